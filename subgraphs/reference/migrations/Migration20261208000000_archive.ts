import { SchemaMigration } from '../../../lib/migration';

export class Migration20261208000000_archive extends SchemaMigration {
  statements(): string[] {
    return [
      // Published answers, without the reader: searched with the same Russian morphology as the catalogue.
      `create table reference_answer (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        enquiry_id uuid not null references enquiry (id) on update cascade on delete cascade,
        member_id uuid not null,
        question text not null,
        answer text not null,
        topic text,
        linked_record_ids text[] not null default '{}',
        search tsvector generated always as (
          setweight(to_tsvector('russian', question), 'A') || setweight(to_tsvector('russian', answer), 'B')
        ) stored,
        constraint reference_answer_enquiry_id_unique unique (enquiry_id)
      )`,
      `create index reference_answer_search_idx on reference_answer using gin (search)`,
    ];
  }
}
