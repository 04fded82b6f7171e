import { SchemaMigration } from '../../../lib/migration';

/**
 * Figures a member reports for a year (the 6-НК / ISO 2789 kind the graph cannot compute). Every
 * submission and correction is a revision of its own; the highest revision is the report.
 */
export class Migration20261206000000_member_report extends SchemaMigration {
  statements(): string[] {
    return [
      `create table member_report_revision (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        member_id uuid not null references member (id) on delete cascade,
        year integer not null check (year between 1900 and 2999),
        revision integer not null check (revision >= 1),
        registered_users integer check (registered_users >= 0),
        visits integer check (visits >= 0),
        loans integer check (loans >= 0),
        events_held integer check (events_held >= 0),
        staff integer check (staff >= 0),
        reason text,
        constraint member_report_revision_unique unique (member_id, year, revision),
        constraint member_report_revision_reason check (revision = 1 or reason is not null)
      )`,
    ];
  }
}
