import { SchemaMigration } from '../../../lib/migration';

// Text of one weight class for the full-text vector: Russian morphology (stems, stop words dropped)
// plus the exact words ('simple'), so Latin-script, non-Russian words and stop words still match as typed.
// «ё» is folded to «е» here and in queries, as people type either.
const both = (text: string) =>
  `to_tsvector('russian', translate(${text}, 'Ёё', 'Ее')) || to_tsvector('simple', translate(${text}, 'Ёё', 'Ее'))`;

export class Migration20261201000000_catalogue extends SchemaMigration {
  statements(): string[] {
    return [
      `create table catalogue_record (
        id bigserial primary key,
        control_number text not null,
        title text not null,
        other_title_info text,
        statement_of_responsibility text,
        authors jsonb not null,
        corporate_authors text[] not null,
        edition text,
        place text,
        publisher text,
        year int,
        isbns jsonb not null,
        isbn13 text[] not null,
        issn text,
        languages text[] not null,
        material_type text not null check (material_type in ('BOOK', 'SERIAL', 'ARTICLE', 'E_RESOURCE', 'AUDIO',
          'VIDEO', 'MAP', 'SCORE', 'OTHER')),
        relations jsonb not null,
        subjects text[] not null,
        bbk text[] not null,
        udc text[] not null,
        bbk_prefixes text[] not null,
        udc_prefixes text[] not null,
        bbk_classes text[] not null,
        physical_description text,
        notes text[] not null,
        holdings jsonb not null,
        flavour text not null check (flavour in ('MARC21', 'RUSMARC', 'UNIMARC')),
        encoding text not null check (encoding in ('UTF-8', 'CP1251', 'MARC-8')),
        format text not null check (format in ('ISO2709', 'MARCXML', 'IRBIS')),
        marc_xml text not null,
        content_hash text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        search tsvector not null default ''::tsvector,
        constraint catalogue_record_control_number_unique unique (control_number)
      )`,
      // A trigger rather than a generated column: array_to_string is not immutable. No subqueries in it:
      // plpgsql runs those through SPI, which cost a quarter of the trigger's time; names and series
      // titles come out of the JSON as a JSON array text, whose brackets and quotes the parser skips.
      `create function catalogue_record_search() returns trigger language plpgsql as $$
      declare
        a text := coalesce(new.title, '');
        b text := concat_ws(' ', jsonb_path_query_array(new.authors, '$[*].name')::text,
          array_to_string(new.corporate_authors, ' '));
        c text := array_to_string(new.subjects, ' ');
        d text := concat_ws(' ', new.other_title_info, new.statement_of_responsibility, new.edition, new.place,
          new.publisher, jsonb_path_query_array(new.relations, '$[*].title')::text, array_to_string(new.notes, ' '));
      begin
        new.search := setweight(${both('a')}, 'A') || setweight(${both('b')}, 'B')
          || setweight(${both('c')}, 'C') || setweight(${both('d')}, 'D');
        return new;
      end
      $$`,
      `create trigger catalogue_record_search before insert or update on catalogue_record
        for each row execute function catalogue_record_search()`,
      // Keep the vector in the row: ranking reads it for every match, and out of line (where TOAST would
      // otherwise move it beside the MARCXML of a long record) each read costs two more page visits.
      `alter table catalogue_record alter column search set storage main`,
      `create index catalogue_record_search_idx on catalogue_record using gin (search)`,
      `create index catalogue_record_isbn13_idx on catalogue_record using gin (isbn13)`,
      `create index catalogue_record_languages_idx on catalogue_record using gin (languages)`,
      `create index catalogue_record_bbk_prefixes_idx on catalogue_record using gin (bbk_prefixes)`,
      `create index catalogue_record_udc_prefixes_idx on catalogue_record using gin (udc_prefixes)`,
      `create index catalogue_record_year_idx on catalogue_record (year)`,
      `create index catalogue_record_material_type_idx on catalogue_record (material_type)`,
      // The record count, kept by statement triggers so that `recordCount` needs no count(*) over a million rows
      // (a sequential scan of the whole table). `set search_path from current` binds the function to this
      // schema, whatever the caller's search_path.
      `create table catalogue_stats (
        id smallint primary key check (id = 1),
        record_count bigint not null
      )`,
      `insert into catalogue_stats (id, record_count) values (1, 0)`,
      `create function catalogue_record_count() returns trigger language plpgsql set search_path from current as $$
      begin
        if tg_op = 'INSERT' then
          update catalogue_stats set record_count = record_count + (select count(*) from changed) where id = 1;
        elsif tg_op = 'DELETE' then
          update catalogue_stats set record_count = record_count - (select count(*) from changed) where id = 1;
        else
          update catalogue_stats set record_count = 0 where id = 1;
        end if;
        return null;
      end
      $$`,
      `create trigger catalogue_record_count_insert after insert on catalogue_record
        referencing new table as changed for each statement execute function catalogue_record_count()`,
      `create trigger catalogue_record_count_delete after delete on catalogue_record
        referencing old table as changed for each statement execute function catalogue_record_count()`,
      `create trigger catalogue_record_count_truncate after truncate on catalogue_record
        for each statement execute function catalogue_record_count()`,
      `create table catalogue_import (
        id uuid primary key,
        started_at timestamptz not null,
        finished_at timestamptz,
        source text not null,
        format text check (format in ('ISO2709', 'MARCXML', 'IRBIS')),
        flavour text check (flavour in ('MARC21', 'RUSMARC', 'UNIMARC')),
        encoding text check (encoding in ('UTF-8', 'CP1251', 'MARC-8')),
        status text not null default 'RUNNING' check (status in ('RUNNING', 'SUCCEEDED', 'FAILED')),
        read int not null default 0,
        created int not null default 0,
        updated int not null default 0,
        unchanged int not null default 0,
        deleted int not null default 0,
        rejected int not null default 0,
        rejections jsonb not null,
        rejections_truncated boolean not null default false,
        error text
      )`,
      `create index catalogue_import_started_idx on catalogue_import (started_at)`,
    ];
  }
}
