import { SchemaMigration } from '../../../lib/migration';

/**
 * The edition key that groups one edition's records across libraries (network search `groupBy: EDITION`
 * and `heldBy`), indexed for the gateway's lookup of who else holds a page's editions. Computed at import
 * (edition-key.ts); records stored before this migration get theirs on their next import, which rewrites
 * them (the content hash version changed with it).
 */
export class Migration20261204000000_edition_key extends SchemaMigration {
  statements(): string[] {
    return [
      `alter table catalogue_record add column edition_key text`,
      `create index catalogue_record_edition_key_idx on catalogue_record (edition_key)`,
    ];
  }
}
