import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261201000000_catalogue } from './Migration20261201000000_catalogue';

/** Every committed migration of a member's catalogue schema, in order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261201000000_catalogue', class: Migration20261201000000_catalogue },
];
