import { SchemaMigration } from '../../../lib/migration';

export class Migration20261207000000_init extends SchemaMigration {
  statements(): string[] {
    return [
      `create table enquiry (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        question text not null,
        topic text,
        subject text,
        language text not null default 'rus',
        status text not null default 'NEW' check (status in ('NEW', 'ASSIGNED', 'ANSWERED', 'CLOSED', 'REJECTED')),
        reject_reason text,
        reader_name text not null,
        reader_contact text not null,
        reader_token_hash text not null,
        preferred_member_id uuid,
        routed_member_ids uuid[] not null default '{}',
        assigned_member_id uuid,
        linked_record_ids text[] not null default '{}',
        first_response_at timestamptz,
        answered_at timestamptz,
        closed_at timestamptz,
        constraint enquiry_reader_token_hash_unique unique (reader_token_hash),
        constraint enquiry_assigned check (status in ('NEW', 'REJECTED') or assigned_member_id is not null)
      )`,
      // A library's queue: open enquiries routed to it, in the network queue, or assigned to it.
      `create index enquiry_open_idx on enquiry (created_at) where status in ('NEW', 'ASSIGNED', 'ANSWERED')`,
      `create index enquiry_routed_idx on enquiry using gin (routed_member_ids)`,
      `create index enquiry_assigned_idx on enquiry (assigned_member_id)`,
      `create table enquiry_message (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        enquiry_id uuid not null references enquiry (id) on update cascade on delete cascade,
        author text not null check (author in ('READER', 'LIBRARIAN', 'SYSTEM')),
        member_id uuid,
        text text not null
      )`,
      `create index enquiry_message_enquiry_idx on enquiry_message (enquiry_id, created_at)`,
      `create table reference_topic (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        member_id uuid not null,
        bbk_prefix text not null,
        constraint reference_topic_member_prefix_unique unique (member_id, bbk_prefix)
      )`,
    ];
  }
}
