import { SchemaMigration } from '../../../lib/migration';

/** The audit log: every mutation through the gateway — who, what, when, on what, and how it ended. */
export class Migration20261208000000_audit_entry extends SchemaMigration {
  statements(): string[] {
    return [
      `create table audit_entry (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        at timestamptz not null,
        role text not null,
        credential_id uuid,
        member_code text,
        operation text not null,
        target text,
        arguments jsonb not null,
        outcome text not null
      )`,
      `create index audit_entry_at_idx on audit_entry (at desc, id)`,
      `create index audit_entry_operation_idx on audit_entry (operation, at desc)`,
    ];
  }
}
