import { SchemaMigration } from '../../../lib/migration';

/**
 * The 52-bit edition hash the network statistics count titles by (statistics.ts): indexed, so the gateway
 * can ask a node for the editions behind the most widely held hashes without a scan.
 */
export class Migration20261205000000_edition_hash extends SchemaMigration {
  statements(): string[] {
    return [
      `create index catalogue_record_edition_hash_idx on catalogue_record
        ((('x' || left(md5(edition_key), 13))::bit(52)::bigint)) where edition_key is not null`,
    ];
  }
}
