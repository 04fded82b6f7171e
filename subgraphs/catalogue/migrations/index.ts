import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261201000000_catalogue } from './Migration20261201000000_catalogue';
import { Migration20261202000000_browse } from './Migration20261202000000_browse';

/** Every committed migration of a member's catalogue schema, in order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261201000000_catalogue', class: Migration20261201000000_catalogue },
  { name: 'Migration20261202000000_browse', class: Migration20261202000000_browse },
];
