import { SchemaMigration } from '../../../lib/migration';

export class Migration20261125000000_init extends SchemaMigration {
  statements(): string[] {
    return [
      `create table member (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        code text not null,
        name text not null,
        short_name text not null,
        legal_form text not null check (legal_form in ('STATE_BUDGETARY_INSTITUTION', 'MUNICIPAL_BUDGETARY_INSTITUTION',
          'STATE_AUTONOMOUS_INSTITUTION', 'MUNICIPAL_AUTONOMOUS_INSTITUTION', 'STATE_GOVERNMENT_INSTITUTION',
          'MUNICIPAL_GOVERNMENT_INSTITUTION', 'FEDERAL_EDUCATIONAL_INSTITUTION', 'PRIVATE_INSTITUTION',
          'NON_PROFIT_ORGANISATION', 'OTHER')),
        type text not null check (type in ('REGIONAL', 'MUNICIPAL_CENTRAL', 'MUNICIPAL_BRANCH', 'UNIVERSITY',
          'COLLEGE', 'SCHOOL', 'SPECIAL', 'OTHER')),
        region text not null,
        city text not null,
        address text,
        website text,
        email text,
        phone text,
        joined_on date,
        status text not null default 'ACTIVE' check (status in ('ACTIVE', 'SUSPENDED', 'LEFT')),
        status_changed_at timestamptz,
        status_reason text,
        catalogue_node_endpoint_url text,
        catalogue_node_status text check (catalogue_node_status in ('ACTIVE', 'SUSPENDED')),
        catalogue_node_registered_at timestamptz,
        search tsvector generated always as (
          to_tsvector('russian', name || ' ' || short_name || ' ' || code)
        ) stored,
        constraint member_code_unique unique (code),
        constraint member_node_complete check (
          (catalogue_node_endpoint_url is null) = (catalogue_node_status is null)
          and (catalogue_node_endpoint_url is null) = (catalogue_node_registered_at is null)
        )
      )`,
      `create index member_search_idx on member using gin (search)`,
      `create index member_name_idx on member (name, id)`,
      `create index member_region_idx on member (region)`,
      `create table person (
        id uuid primary key,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        full_name text not null,
        position text,
        email text,
        phone text,
        organisation_id uuid references member (id) on delete set null,
        search tsvector generated always as (to_tsvector('russian', full_name)) stored
      )`,
      `create index person_organisation_idx on person (organisation_id)`,
      `create index person_search_idx on person using gin (search)`,
      `create index person_name_idx on person (full_name, id)`,
    ];
  }
}
