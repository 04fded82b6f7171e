import { SchemaMigration } from '../../../lib/migration';

/**
 * API keys and tokens: only a hash of each secret is stored (a key is 32 random bytes, so SHA-256 is
 * enough: there is nothing to guess). An editor's credential is bound to one member.
 */
export class Migration20261207000000_api_credential extends SchemaMigration {
  statements(): string[] {
    return [
      `create table api_credential (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        kind text not null check (kind in ('KEY', 'TOKEN')),
        role text not null check (role in ('EDITOR', 'COORDINATOR')),
        member_id uuid references member (id) on delete cascade,
        label text not null,
        secret_hash text not null,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        constraint api_credential_secret_hash_unique unique (secret_hash),
        constraint api_credential_editor_member check ((role = 'EDITOR') = (member_id is not null))
      )`,
    ];
  }
}
