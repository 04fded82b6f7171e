import { SchemaMigration } from '../../../lib/migration';

export class Migration20261126000000_init extends SchemaMigration {
  statements(): string[] {
    return [
      `create table section (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        name text not null,
        description text not null,
        established_on date,
        head_person_id uuid,
        head_organisation_id uuid,
        head_since date,
        constraint section_name_unique unique (name),
        constraint section_head_complete check (
          head_person_id is not null or (head_organisation_id is null and head_since is null)
        )
      )`,
      `create table section_membership (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        section_id uuid not null references section (id) on update cascade on delete cascade,
        member_id uuid not null,
        role text not null check (role in ('COORDINATOR', 'MEMBER', 'OBSERVER')),
        joined_on date,
        constraint section_membership_section_id_member_id_unique unique (section_id, member_id)
      )`,
      // Member.sections looks memberships up by member; (section_id, member_id) already serves Section.members.
      `create index section_membership_member_idx on section_membership (member_id)`,
    ];
  }
}
