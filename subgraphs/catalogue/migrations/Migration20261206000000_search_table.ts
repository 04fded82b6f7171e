import { SchemaMigration } from '../../../lib/migration';

/** One record in this many is in the search sample (`catalogue_search_sample`), which estimates broad searches. */
export const SAMPLE_ONE_IN = 16;
/** One record in this many is in the sample's `coarse` part, which estimates the broadest first. */
export const COARSE_ONE_IN = 64;

// «ё» is folded to «е» here and in queries, as people type either.
const folded = (text: string) => `translate(${text}, 'Ёё', 'Ее')`;
const vector = (text: string, weight: string) => `setweight(to_tsvector('russian', ${folded(text)}), '${weight}')`;

/** The lexemes of a text, sorted and space-separated: a title's key, compared with a query's (search.ts). */
export const lexemeKey = (text: string) =>
  `array_to_string(tsvector_to_array(to_tsvector('russian', ${folded(text)})), ' ')`;

// The search row of each record in `rows` (a transition table, or the record table itself). Names and
// series titles come out of the JSON as a JSON array text, whose brackets and quotes the parser skips.
const searchRows = (rows: string, where = '') => `
  select r.id, r.year, r.material_type, r.languages, r.bbk_classes, r.bbk_prefixes, r.udc_prefixes,
    left(${lexemeKey('r.title')}, 200),
    ${vector('r.title', 'A')}
    || ${vector(`concat_ws(' ', jsonb_path_query_array(r.authors, '$[*].name')::text, array_to_string(r.corporate_authors, ' '))`, 'B')}
    || ${vector(`array_to_string(r.subjects, ' ')`, 'C')}
    || ${vector(
      `concat_ws(' ', r.other_title_info, r.statement_of_responsibility, r.edition, r.place, r.publisher,
        jsonb_path_query_array(r.relations, '$[*].title')::text, array_to_string(r.notes, ' '))`,
      'D',
    )}
  from ${rows} r ${where}`;

const COLUMNS = 'id, year, material_type, languages, bbk_classes, bbk_prefixes, udc_prefixes, title_key, search';
const IN_SAMPLE = `where (hashint8(r.id) & ${SAMPLE_ONE_IN - 1}) = 0`;

const table = (name: string, extra = '') => `create table ${name} (
  id bigint primary key,${extra}
  year int,
  material_type text not null,
  languages text[] not null,
  bbk_classes text[] not null,
  bbk_prefixes text[] not null,
  udc_prefixes text[] not null,
  title_key text not null,
  search tsvector not null
)`;

/**
 * What a search reads, apart from what it does not (issue #15). `catalogue_search` holds one narrow row per
 * record: the search vector, the facet and filter columns and the title's lexemes (for exact-title
 * matches), ≈ 650 bytes where a record row with its MARCXML took ≈ 3 000. `catalogue_search_sample` holds
 * the same rows of one record in 16 (by a hash of its id), a quarter of them marked `coarse` (one in 64):
 * ≈ 50 MB for a million records, small enough to stay in the packaged `shared_buffers`, so a broad search
 * is estimated from it at a sixteenth or a sixty-fourth of the work of counting every match (search.ts).
 *
 * Both are kept by statement-level triggers on `catalogue_record`, set-based per imported batch; the per-row
 * trigger that built the vector inside the record goes, with the record's search column and the indexes that
 * moved here.
 */
export class Migration20261206000000_search_table extends SchemaMigration {
  statements(): string[] {
    return [
      table('catalogue_search'),
      // `coarse` rows are a quarter of the sample (hash bits 4–5 as well as 0–3 clear): one record in 64.
      table(
        'catalogue_search_sample',
        `\n  coarse boolean not null generated always as ((hashint8(id) & ${COARSE_ONE_IN - 1}) = 0) stored,`,
      ),
      `insert into catalogue_search (${COLUMNS}) ${searchRows('catalogue_record')}`,
      `insert into catalogue_search_sample (${COLUMNS}) ${searchRows('catalogue_record', IN_SAMPLE)}`,
      `drop trigger catalogue_record_search on catalogue_record`,
      `drop function catalogue_record_search()`,
      `alter table catalogue_record drop column search`,
      `drop index catalogue_record_languages_idx`,
      `drop index catalogue_record_bbk_prefixes_idx`,
      `drop index catalogue_record_udc_prefixes_idx`,
      `drop index catalogue_record_material_type_idx`,
      ...['catalogue_search', 'catalogue_search_sample'].flatMap((t) => [
        `create index ${t}_search_idx on ${t} using gin (search)`,
        `create index ${t}_bbk_idx on ${t} using gin (bbk_prefixes)`,
        `create index ${t}_udc_idx on ${t} using gin (udc_prefixes)`,
      ]),
      ...['search', 'bbk_prefixes', 'udc_prefixes'].map(
        (c) =>
          `create index catalogue_search_sample_coarse_${c}_idx on catalogue_search_sample using gin (${c}) where coarse`,
      ),
      `create index catalogue_search_title_key_idx on catalogue_search (title_key)`,
      // One statement per imported batch. `set search_path from current` binds the function to this schema.
      `create function catalogue_search_change() returns trigger language plpgsql set search_path from current as $$
      begin
        if tg_op = 'TRUNCATE' then
          truncate catalogue_search, catalogue_search_sample;
          return null;
        end if;
        if tg_op in ('UPDATE', 'DELETE') then
          delete from catalogue_search s using old_rows o where s.id = o.id;
          delete from catalogue_search_sample s using old_rows o where s.id = o.id;
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          insert into catalogue_search (${COLUMNS}) ${searchRows('new_rows')};
          insert into catalogue_search_sample (${COLUMNS}) ${searchRows('new_rows', IN_SAMPLE)};
        end if;
        return null;
      end
      $$`,
      `create trigger catalogue_search_insert after insert on catalogue_record
        referencing new table as new_rows for each statement execute function catalogue_search_change()`,
      `create trigger catalogue_search_update after update on catalogue_record
        referencing old table as old_rows new table as new_rows
        for each statement execute function catalogue_search_change()`,
      `create trigger catalogue_search_delete after delete on catalogue_record
        referencing old table as old_rows for each statement execute function catalogue_search_change()`,
      `create trigger catalogue_search_truncate after truncate on catalogue_record
        for each statement execute function catalogue_search_change()`,
    ];
  }
}
