import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207000000_init } from './Migration20261207000000_init';
import { Migration20261208000000_archive } from './Migration20261208000000_archive';

/** Every committed migration, in order; applied at start by `startSubgraph`. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261207000000_init', class: Migration20261207000000_init },
  { name: 'Migration20261208000000_archive', class: Migration20261208000000_archive },
];
