import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_init } from './Migration20261125000000_init';
import { Migration20261206000000_member_report } from './Migration20261206000000_member_report';
import { Migration20261207000000_api_credential } from './Migration20261207000000_api_credential';
import { Migration20261208000000_audit_entry } from './Migration20261208000000_audit_entry';

/** Every committed migration, in order; applied at start by `startSubgraph`. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261125000000_init', class: Migration20261125000000_init },
  { name: 'Migration20261206000000_member_report', class: Migration20261206000000_member_report },
  { name: 'Migration20261207000000_api_credential', class: Migration20261207000000_api_credential },
  { name: 'Migration20261208000000_audit_entry', class: Migration20261208000000_audit_entry },
];
