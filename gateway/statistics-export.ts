import type { ApolloServer } from '@apollo/server';
import { stringify } from 'csv-stringify/sync';
import express, { type Request, type Response } from 'express';
import { type Identity, isCoordinator } from '../lib/identity';
import { refuseAdmission } from './auth';
import { ErrorCode } from '../lib/errors';

type Row = Array<string | number | boolean | null>;
type Count = { key: string; count: number };
type SectionRef = { id: string; name: string };
type Figures = { events: number; participants: number; organisations: number; talks: number };

/** What the tables read of `networkStatistics` (each table's query asks for its own part). */
interface Statistics {
  members: Record<'byRegion' | 'byType' | 'byLegalForm' | 'byStatus', Count[]> & {
    joinedPerYear: Array<{ year: number; count: number }>;
  };
  sections: {
    bySection: Array<{ section: SectionRef; memberOrganisations: number; coordinators: number; observers: number }>;
  };
  events: {
    byYearAndKind: Array<Figures & { year: number; kind: string }>;
    bySection: Array<{ section: SectionRef; events: number }>;
  };
  catalogue: Record<'byMaterialType' | 'byLanguage' | 'byDecade' | 'byBbkClass', Count[]> & {
    records: number;
    addedInPeriod: number;
    uniqueTitles: number;
    heldByOneLibrary: number;
    heldBySeveralLibraries: number;
    complete: boolean;
    computedAt: string;
    additionsPerMonth: Array<{ month: string; count: number }>;
    titlesByHolders: Array<{ libraries: number; titles: number }>;
    byLibrary: Array<{
      member: { code: string; name: string };
      status: string;
      records: number | null;
      titles: number | null;
      uniqueTitles: number | null;
      addedInPeriod: number | null;
      lastImportAt: string | null;
      lastImportStatus: string | null;
      computedAt: string | null;
    }>;
    mostWidelyHeld: Array<{
      title: string | null;
      authors: string[];
      year: number | null;
      isbn: string | null;
      libraries: number;
      heldBy: Array<{ code: string }>;
    }>;
  };
  reported: {
    byYear: Array<{
      year: number;
      reportingMembers: number;
      registeredUsers: number;
      visits: number;
      loans: number;
      eventsHeld: number;
      staff: number;
    }>;
  };
}

interface Table {
  description: string;
  /** The selection under `networkStatistics` the table needs. */
  selection: string;
  header: string[];
  rows(statistics: Statistics): Row[];
}

function counts<P extends 'members' | 'catalogue'>(
  part: P,
  field: keyof Statistics[P] & string,
  keyName: string,
  countName: string,
  description: string,
): Table {
  return {
    description,
    selection: `${part} { ${field} { key count } }`,
    header: [keyName, countName],
    rows: (s) => (s[part][field] as Count[]).map((c) => [c.key, c.count]),
  };
}

const FIGURES = ['events', 'participants', 'organisations', 'talks'] as const;

/** Every statistics table, by the name in its URL: `/statistics/<name>.csv`. */
export const STATISTICS_TABLES: Record<string, Table> = {
  'members-by-region': counts('members', 'byRegion', 'region', 'members', 'Members by region'),
  'members-by-type': counts('members', 'byType', 'type', 'members', 'Members by kind of library'),
  'members-by-legal-form': counts('members', 'byLegalForm', 'legal_form', 'members', 'Members by legal form'),
  'members-by-status': counts('members', 'byStatus', 'status', 'members', 'Members by status'),
  'members-joined-per-year': {
    description: 'Members joined per year',
    selection: 'members { joinedPerYear { year count } }',
    header: ['year', 'members_joined'],
    rows: (s) => s.members.joinedPerYear.map((y) => [y.year, y.count]),
  },
  sections: {
    description: 'Sections with the member organisations taking part',
    selection: 'sections { bySection { section { id name } memberOrganisations coordinators observers } }',
    header: ['section_id', 'section', 'member_organisations', 'coordinators', 'observers'],
    rows: (s) =>
      s.sections.bySection.map((r) => [
        r.section.id,
        r.section.name,
        r.memberOrganisations,
        r.coordinators,
        r.observers,
      ]),
  },
  'events-by-year-and-kind': {
    description: 'Events, participants, organisations and talks per year and kind',
    selection: `events { byYearAndKind { year kind ${FIGURES.join(' ')} } }`,
    header: ['year', 'kind', ...FIGURES],
    rows: (s) => s.events.byYearAndKind.map((r) => [r.year, r.kind, ...FIGURES.map((f) => r[f])]),
  },
  'events-by-section': {
    description: 'Events per organising section',
    selection: 'events { bySection { section { id name } events } }',
    header: ['section_id', 'section', 'events'],
    rows: (s) => s.events.bySection.map((r) => [r.section.id, r.section.name, r.events]),
  },
  'catalogue-summary': {
    description: 'Catalogue totals across the covered libraries',
    selection:
      'catalogue { records addedInPeriod uniqueTitles heldByOneLibrary heldBySeveralLibraries complete computedAt }',
    header: [
      'records',
      'added_in_period',
      'unique_titles',
      'held_by_one_library',
      'held_by_several_libraries',
      'complete',
      'computed_at',
    ],
    rows: (s) => {
      const c = s.catalogue;
      return [
        [
          c.records,
          c.addedInPeriod,
          c.uniqueTitles,
          c.heldByOneLibrary,
          c.heldBySeveralLibraries,
          c.complete,
          c.computedAt,
        ],
      ];
    },
  },
  'catalogue-by-library': {
    description: 'Each library’s catalogue: size, titles, freshness, and whether its node answered',
    selection:
      'catalogue { byLibrary { member { code name } status records titles uniqueTitles addedInPeriod lastImportAt lastImportStatus computedAt } }',
    header: [
      'member',
      'name',
      'node_status',
      'records',
      'titles',
      'unique_titles',
      'added_in_period',
      'last_import_at',
      'last_import_status',
      'computed_at',
    ],
    rows: (s) =>
      s.catalogue.byLibrary.map((l) => [
        l.member.code,
        l.member.name,
        l.status,
        l.records,
        l.titles,
        l.uniqueTitles,
        l.addedInPeriod,
        l.lastImportAt,
        l.lastImportStatus,
        l.computedAt,
      ]),
  },
  'catalogue-by-material-type': counts(
    'catalogue',
    'byMaterialType',
    'material_type',
    'records',
    'Records by material type',
  ),
  'catalogue-by-language': counts('catalogue', 'byLanguage', 'language', 'records', 'Records by language'),
  'catalogue-by-decade': counts('catalogue', 'byDecade', 'decade', 'records', 'Records by decade of publication'),
  'catalogue-by-bbk-class': counts('catalogue', 'byBbkClass', 'bbk_class', 'records', 'Records by top-level BBK class'),
  'catalogue-additions-per-month': {
    description: 'Records added per month',
    selection: 'catalogue { additionsPerMonth { month count } }',
    header: ['month', 'records_added'],
    rows: (s) => s.catalogue.additionsPerMonth.map((m) => [m.month, m.count]),
  },
  'catalogue-titles-by-holders': {
    description: 'Titles by how many libraries hold them',
    selection: 'catalogue { titlesByHolders { libraries titles } }',
    header: ['libraries', 'titles'],
    rows: (s) => s.catalogue.titlesByHolders.map((h) => [h.libraries, h.titles]),
  },
  'catalogue-most-widely-held': {
    description: 'The titles most libraries hold',
    selection: 'catalogue { mostWidelyHeld { title authors year isbn libraries heldBy { code } } }',
    header: ['title', 'authors', 'year', 'isbn', 'libraries', 'held_by'],
    rows: (s) =>
      s.catalogue.mostWidelyHeld.map((t) => [
        t.title,
        t.authors.join('; '),
        t.year,
        t.isbn,
        t.libraries,
        t.heldBy.map((m) => m.code).join(' '),
      ]),
  },
  'reported-by-year': {
    description: 'Figures the members reported, per year',
    selection: 'reported { byYear { year reportingMembers registeredUsers visits loans eventsHeld staff } }',
    header: ['year', 'reporting_members', 'registered_users', 'visits', 'loans', 'events_held', 'staff'],
    rows: (s) =>
      s.reported.byYear.map((r) => [
        r.year,
        r.reportingMembers,
        r.registeredUsers,
        r.visits,
        r.loans,
        r.eventsHeld,
        r.staff,
      ]),
  },
};

/** A query parameter given once, several times or comma-separated, as a list (none when absent). */
function list(value: unknown): string[] | undefined {
  const values = (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length ? values : undefined;
}

function filterOf(query: Request['query']) {
  const one = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  return {
    from: one(query.from),
    to: one(query.to),
    regions: list(query.region ?? query.regions),
    types: list(query.type ?? query.types),
    members: list(query.member ?? query.members),
  };
}

/**
 * `GET /statistics`: the tables; `GET /statistics/<table>.csv?from=&to=&region=&type=&member=`: one table as
 * CSV (UTF-8 with a byte order mark, so spreadsheet programs read the Cyrillic right), computed through the
 * gateway's own GraphQL API — the same figures and errors as `networkStatistics`. A bad filter is HTTP 400
 * naming the field; catalogue nodes missing from the figures are named in `X-Statistics-Missing`.
 */
export function statisticsExport(
  apollo: ApolloServer<{ identity: Identity }>,
  identify: (req: Request) => Promise<Identity>,
): express.Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    const base = `${req.baseUrl}/`;
    res.json({
      tables: Object.entries(STATISTICS_TABLES).map(([name, t]) => ({
        name,
        description: t.description,
        csv: `${base}${name}.csv`,
      })),
      parameters: {
        from: 'first day, YYYY-MM-DD',
        to: 'last day, YYYY-MM-DD',
        region: 'region (repeat or comma-separate for several)',
        type: 'LibraryType value (repeat or comma-separate)',
        member: 'member id (repeat or comma-separate)',
      },
    });
  });
  router.get('/:table.csv', async (req: Request<{ table: string }>, res: Response) => {
    const table = STATISTICS_TABLES[req.params.table];
    if (!table) {
      res.status(404).type('text/plain').send(`No statistics table ${req.params.table}: GET /statistics lists them\n`);
      return;
    }
    let identity: Identity;
    try {
      identity = await identify(req);
    } catch (error) {
      return refuseAdmission(res, error, 'text');
    }
    // Exports are the coordinators' (issue #6): they may hold what members reported.
    if (!isCoordinator(identity)) {
      res
        .status(identity.role === 'ANONYMOUS' ? 401 : 403)
        .type('text/plain')
        .send('Statistics exports are for coordinators: present a coordinator’s API key or token\n');
      return;
    }
    const filter = filterOf(req.query);
    const response = await apollo.executeOperation(
      {
        query: `query StatisticsExport($filter: StatisticsFilter) { networkStatistics(filter: $filter) { ${table.selection} } }`,
        variables: { filter },
      },
      { contextValue: { identity } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    const errors = result?.errors ?? [];
    const statistics = (result?.data as { networkStatistics?: Statistics } | null | undefined)?.networkStatistics;
    const refused = errors.find((e) => e.extensions?.code === ErrorCode.BAD_USER_INPUT);
    if (refused || !statistics) {
      const field = refused?.extensions?.field as string | undefined;
      res
        .status(refused ? 400 : 502)
        .type('text/plain')
        .send(`${field ? `${field}: ` : ''}${(refused ?? errors[0])?.message ?? 'no statistics'}\n`);
      return;
    }
    const missing = errors.flatMap((e) =>
      e.extensions?.code === ErrorCode.CATALOGUE_NODE_UNAVAILABLE ? [String(e.extensions.member)] : [],
    );
    if (missing.length) res.setHeader('X-Statistics-Missing', [...new Set(missing)].join(' '));
    const period = [filter.from, filter.to].filter(Boolean).join('_');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="kuzbass-${req.params.table}${period ? `-${period}` : ''}.csv"`,
    );
    res
      .type('text/csv; charset=utf-8')
      .send(`\uFEFF${stringify([table.header, ...table.rows(statistics)], { cast: { boolean: String } })}`);
  });
  return router;
}
