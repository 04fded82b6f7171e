import { SchemaMigration } from '../../../lib/migration';

export class Migration20261126000000_init extends SchemaMigration {
  statements(): string[] {
    return [
      `create table event (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        title text not null,
        description text,
        kind text not null check (kind in ('CONFERENCE', 'CONFERENCE_SESSION', 'WEBINAR', 'ONLINE_CONFERENCE',
          'SEMINAR', 'TRAINING', 'MEETING')),
        format text not null check (format in ('IN_PERSON', 'ONLINE', 'HYBRID')),
        starts_at timestamptz not null,
        ends_at timestamptz not null,
        host_member_id uuid,
        venue_address text,
        online_url text,
        resolution text,
        resolution_published_at timestamptz,
        reported_participants integer check (reported_participants >= 0),
        reported_organisations integer check (reported_organisations >= 0),
        reported_talks integer check (reported_talks >= 0),
        search tsvector generated always as (to_tsvector('russian', title)) stored,
        constraint event_ends_after_start check (ends_at >= starts_at),
        constraint event_venue_required check (format = 'ONLINE' or venue_address is not null),
        constraint event_online_url_required check (format = 'IN_PERSON' or online_url is not null),
        constraint event_resolution_dated check ((resolution is null) = (resolution_published_at is null))
      )`,
      `create index event_starts_at_idx on event (starts_at, id)`,
      `create index event_ends_at_idx on event (ends_at)`,
      `create index event_kind_idx on event (kind)`,
      `create index event_host_member_idx on event (host_member_id)`,
      `create index event_search_idx on event using gin (search)`,
      `create table event_organiser (
        id uuid primary key,
        event_id uuid not null references event (id) on delete cascade,
        organiser_kind text not null check (organiser_kind in ('MEMBER', 'SECTION')),
        organiser_id uuid not null,
        position integer not null,
        constraint event_organiser_unique unique (event_id, organiser_kind, organiser_id)
      )`,
      `create index event_organiser_organiser_idx on event_organiser (organiser_kind, organiser_id)`,
      `create table talk (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        event_id uuid not null references event (id) on delete cascade,
        title text not null,
        "order" integer not null check ("order" >= 1),
        abstract text,
        -- Deferrable so that a programme can be reordered in one transaction (the seed does); immediate otherwise.
        constraint talk_order_unique unique (event_id, "order") deferrable initially immediate
      )`,
      `create table talk_speaker (
        id uuid primary key,
        talk_id uuid not null references talk (id) on delete cascade,
        person_id uuid not null,
        organisation_id uuid,
        position integer not null,
        constraint talk_speaker_unique unique (talk_id, person_id)
      )`,
      `create index talk_speaker_person_idx on talk_speaker (person_id)`,
      `create table participation (
        id uuid primary key,
        event_id uuid not null references event (id) on delete cascade,
        person_id uuid not null,
        organisation_id uuid,
        registered_at timestamptz not null default now(),
        constraint participation_unique unique (event_id, person_id)
      )`,
      `create index participation_person_idx on participation (person_id)`,
    ];
  }
}
