import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261201000000_catalogue } from './Migration20261201000000_catalogue';
import { Migration20261202000000_browse } from './Migration20261202000000_browse';
import { Migration20261203000000_search_vector } from './Migration20261203000000_search_vector';
import { Migration20261204000000_edition_key } from './Migration20261204000000_edition_key';
import { Migration20261205000000_edition_hash } from './Migration20261205000000_edition_hash';
import { Migration20261206000000_search_table } from './Migration20261206000000_search_table';

/** Every committed migration of a member's catalogue schema, in order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261201000000_catalogue', class: Migration20261201000000_catalogue },
  { name: 'Migration20261202000000_browse', class: Migration20261202000000_browse },
  { name: 'Migration20261203000000_search_vector', class: Migration20261203000000_search_vector },
  { name: 'Migration20261204000000_edition_key', class: Migration20261204000000_edition_key },
  { name: 'Migration20261205000000_edition_hash', class: Migration20261205000000_edition_hash },
  { name: 'Migration20261206000000_search_table', class: Migration20261206000000_search_table },
];
