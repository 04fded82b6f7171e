import { SchemaMigration } from '../../../lib/migration';

// The facet values of the records in `rows` (a transition table, or the table itself), one row per
// (field, value) a record counts under. Must say what search.ts's facets say (decade = year rounded down
// to ten; each language and BBK class of a record once).
const facetRows = (rows: string) => `
  select 'LANGUAGE' as field, l as value from ${rows}, unnest(languages) l
  union all select 'MATERIAL_TYPE', material_type from ${rows}
  union all select 'DECADE', (year / 10 * 10)::text from ${rows} where year is not null
  union all select 'BBK_CLASS', c from ${rows}, unnest(bbk_classes) c`;

/**
 * Browsing a million records without a query: facet counts of the whole catalogue kept by triggers (they
 * also give the record count, one material type per record, so the record-count table goes) and indexes
 * that page in each sort order instead of sorting everything.
 */
export class Migration20261202000000_browse extends SchemaMigration {
  statements(): string[] {
    return [
      `drop trigger catalogue_record_count_insert on catalogue_record`,
      `drop trigger catalogue_record_count_delete on catalogue_record`,
      `drop trigger catalogue_record_count_truncate on catalogue_record`,
      `drop function catalogue_record_count()`,
      `drop table catalogue_stats`,
      `drop index catalogue_record_year_idx`,
      `create index catalogue_record_title_idx on catalogue_record (lower(title), id)`,
      `create index catalogue_record_year_idx on catalogue_record (year, lower(title), id)`,
      `create index catalogue_record_year_desc_idx on catalogue_record (year desc nulls last, lower(title), id)`,
      `create table catalogue_facet_count (
        field text not null,
        value text not null,
        count bigint not null,
        primary key (field, value)
      )`,
      `insert into catalogue_facet_count (field, value, count)
        select field, value, count(*) from (${facetRows('catalogue_record')}) v group by 1, 2`,
      // One ordered statement per change: concurrent imports lock the count rows in the same order (no
      // deadlock). `set search_path from current` binds the function to this schema, whatever the caller's.
      `create function catalogue_facet_count_change() returns trigger language plpgsql
        set search_path from current as $$
      begin
        if tg_op = 'TRUNCATE' then
          delete from catalogue_facet_count;
        elsif tg_op = 'INSERT' then
          insert into catalogue_facet_count as f (field, value, count)
          select field, value, count(*) from (${facetRows('new_rows')}) v group by 1, 2 order by 1, 2
          on conflict (field, value) do update set count = f.count + excluded.count;
        elsif tg_op = 'DELETE' then
          insert into catalogue_facet_count as f (field, value, count)
          select field, value, -count(*) from (${facetRows('old_rows')}) v group by 1, 2 order by 1, 2
          on conflict (field, value) do update set count = f.count + excluded.count;
        else
          insert into catalogue_facet_count as f (field, value, count)
          select field, value, sum(n) from (
            select v.*, 1 as n from (${facetRows('new_rows')}) v
            union all select v.*, -1 from (${facetRows('old_rows')}) v
          ) d group by 1, 2 having sum(n) <> 0 order by 1, 2
          on conflict (field, value) do update set count = f.count + excluded.count;
        end if;
        return null;
      end
      $$`,
      `create trigger catalogue_facet_count_insert after insert on catalogue_record
        referencing new table as new_rows for each statement execute function catalogue_facet_count_change()`,
      `create trigger catalogue_facet_count_update after update on catalogue_record
        referencing old table as old_rows new table as new_rows
        for each statement execute function catalogue_facet_count_change()`,
      `create trigger catalogue_facet_count_delete after delete on catalogue_record
        referencing old table as old_rows for each statement execute function catalogue_facet_count_change()`,
      `create trigger catalogue_facet_count_truncate after truncate on catalogue_record
        for each statement execute function catalogue_facet_count_change()`,
    ];
  }
}
