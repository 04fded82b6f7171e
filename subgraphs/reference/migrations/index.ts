import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207000000_init } from './Migration20261207000000_init';

/** Every committed migration, in order; applied at start by `startSubgraph`. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261207000000_init', class: Migration20261207000000_init },
];
