import { runSql, schemaOf } from '../lib/sql';
import { generateCatalogue } from '../scripts/catalogue-generator';
import { deadUrl } from './testkit/fault-proxy';
import { uploadBytes } from './testkit/catalogue';
import { graphql, graphqlOk } from './testkit/graphql';
import { registerCatalogueNode, startTestNetwork, type TestNetwork } from './testkit/network';

/**
 * Network statistics through the gateway, against counts computed directly from the databases (and, for
 * events and sections, from the per-event and per-section figures of the ordinary API).
 */

const CATALOGUES: Array<[string, number]> = [
  ['kemrsl', 500],
  ['kemgik', 300],
  ['kemsu', 250],
  ['tyazhin-mkuk', 120],
];

let network: TestNetwork;
let url: string;

function catalogueBytes(member: string, records: number, seed: number): Buffer {
  const parts: Buffer[] = [];
  // Half of each catalogue from the shared pool, so that editions overlap between libraries.
  for (const r of generateCatalogue({ member, records, seed, flavour: 'RUSMARC', encoding: 'CP1251', shared: 0.5 }))
    parts.push(r.iso);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  network = await startTestNetwork('statistics', {
    catalogueNodes: [['kemrsl'], ['kemgik', 'kemsu', 'tyazhin-mkuk']],
    gateway: { statisticsCacheMs: 0, nodeTimeoutMs: 1500 },
    beforeGateway: async ({ catalogueNodes, subgraphs }) => {
      for (const [i, [member, records]] of CATALOGUES.entries()) {
        const node = catalogueNodes[member] ?? catalogueNodes.kemgik!;
        const report = await uploadBytes(node, member, catalogueBytes(member, records, i + 1));
        expect(report).toMatchObject({ status: 'SUCCEEDED', created: records });
      }
      // A library whose node is down: its catalogue is missing from the figures, with a note saying so.
      await registerCatalogueNode(subgraphs.members!.url, 'kem-lyceum23', await deadUrl());
    },
  });
  url = network.gateway.url;
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

/** Every record's edition key (null when it has none), per member, straight from the node databases. */
async function editionKeys(): Promise<Map<string, Array<string | null>>> {
  const keys = new Map<string, Array<string | null>>();
  for (const node of Object.values(network.catalogueNodes)) {
    for (const [code, orm] of node.members) {
      const em = orm.em.fork();
      const rows = await runSql<{ k: string | null }>(
        em,
        `select edition_key as k from ${schemaOf(em)}.catalogue_record`,
      );
      keys.set(
        code,
        rows.map((r) => r.k),
      );
    }
  }
  return keys;
}

const CATALOGUE_QUERY = `query($filter: StatisticsFilter) {
  networkStatistics(filter: $filter) {
    period { from to }
    catalogue {
      computedAt complete records addedInPeriod uniqueTitles heldByOneLibrary heldBySeveralLibraries
      titlesByHolders { libraries titles }
      byMaterialType { key count } byLanguage { key count } byDecade { key count } byBbkClass { key count }
      additionsPerMonth { month count }
      byLibrary { member { code name } status records titles uniqueTitles lastImportAt lastImportStatus }
      mostWidelyHeld { title year isbn libraries heldBy { code } }
      method
    }
  }
}`;

describe('catalogue statistics across the network', () => {
  it('count records and unique titles as the databases do, with the dead node noted', async () => {
    const response = await graphql(url, CATALOGUE_QUERY);
    const keys = await editionKeys();
    const stats = response.data!.networkStatistics.catalogue;

    // Ground truth from the databases: distinct edition keys across libraries, and who holds each.
    const holders = new Map<string, Set<string>>();
    let unkeyed = 0;
    for (const [code, list] of keys) {
      for (const k of list) {
        if (k === null) unkeyed++;
        else holders.set(k, (holders.get(k) ?? new Set()).add(code));
      }
    }
    const byCount = new Map<number, number>();
    for (const set of holders.values()) byCount.set(set.size, (byCount.get(set.size) ?? 0) + 1);
    if (unkeyed) byCount.set(1, (byCount.get(1) ?? 0) + unkeyed);
    const shared = [...holders.values()].filter((s) => s.size > 1).length;
    expect(shared).toBeGreaterThan(10); // the test would prove little without overlap

    expect(stats.records).toBe(CATALOGUES.reduce((sum, [, n]) => sum + n, 0));
    expect(stats.uniqueTitles).toBe(holders.size + unkeyed);
    expect(stats.heldBySeveralLibraries).toBe(shared);
    expect(stats.heldByOneLibrary).toBe(holders.size - shared + unkeyed);
    expect(stats.titlesByHolders).toEqual(
      [...byCount].sort((a, b) => a[0] - b[0]).map(([libraries, titles]) => ({ libraries, titles })),
    );
    expect(stats.addedInPeriod).toBe(stats.records);
    expect(stats.additionsPerMonth.reduce((sum: number, m: { count: number }) => sum + m.count, 0)).toBe(stats.records);
    expect(stats.byMaterialType.reduce((sum: number, m: { count: number }) => sum + m.count, 0)).toBe(stats.records);
    expect(stats.method).toMatch(/hash/);

    // Per library: its records and the titles only it holds.
    for (const [code, records] of CATALOGUES) {
      const own = keys.get(code)!;
      const only =
        own.filter((k) => k === null).length +
        new Set(own.filter((k): k is string => k !== null && holders.get(k)!.size === 1)).size;
      expect(stats.byLibrary.find((l: { member: { code: string } }) => l.member.code === code)).toMatchObject({
        status: 'OK',
        records,
        uniqueTitles: only,
        lastImportStatus: 'SUCCEEDED',
        member: { name: expect.any(String) },
      });
    }

    // The most widely held: the largest holder counts, with their holders and a title from a holder's record.
    const top = [...holders.entries()].filter(([, s]) => s.size > 1).sort((a, b) => b[1].size - a[1].size);
    expect(stats.mostWidelyHeld.map((t: { libraries: number }) => t.libraries)).toEqual(
      top.slice(0, stats.mostWidelyHeld.length).map(([, s]) => s.size),
    );
    expect(stats.mostWidelyHeld.length).toBe(Math.min(20, top.length));
    const first = stats.mostWidelyHeld[0];
    expect(first.title).toEqual(expect.any(String));
    expect(first.heldBy).toHaveLength(first.libraries);

    // The dead node: not in the figures, reported in byLibrary and in errors; the rest still answered.
    expect(stats.complete).toBe(false);
    expect(stats.byLibrary.find((l: { member: { code: string } }) => l.member.code === 'kem-lyceum23')).toMatchObject({
      status: 'UNAVAILABLE',
      records: null,
    });
    expect(response.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'CATALOGUE_NODE_UNAVAILABLE', member: 'kem-lyceum23' }),
      }),
    ]);
  });

  it('narrows to members by id and region, and to one member through Member.statistics', async () => {
    const { memberByCode } = await graphqlOk(url, '{ memberByCode(code: "kemsu") { id } }');
    const { networkStatistics } = await graphqlOk(
      url,
      `query($filter: StatisticsFilter) { networkStatistics(filter: $filter) {
        members { total } catalogue { records complete byLibrary { member { code } } } } }`,
      { filter: { members: [memberByCode.id] } },
    );
    expect(networkStatistics.members.total).toBe(1);
    expect(networkStatistics.catalogue).toMatchObject({
      records: 250,
      complete: true,
      byLibrary: [{ member: { code: 'kemsu' } }],
    });

    const own = await graphqlOk(
      url,
      `{ memberByCode(code: "kemgik") { statistics { members { total } catalogue { records uniqueTitles heldBySeveralLibraries } } } }`,
    );
    expect(own.memberByCode.statistics.catalogue).toMatchObject({ records: 300, heldBySeveralLibraries: 0 });

    // Novosibirsk members run no catalogue node here: none of the Kemerovo catalogues count.
    const nso = await graphqlOk(
      url,
      `{ networkStatistics(filter: { regions: ["Новосибирская область"] }) { members { total byRegion { key count } } catalogue { records byLibrary { member { code } } } } }`,
    );
    expect(nso.networkStatistics.members.byRegion).toEqual([
      { key: 'Новосибирская область', count: nso.networkStatistics.members.total },
    ]);
    expect(nso.networkStatistics.catalogue).toEqual({ records: 0, byLibrary: [] });
  });

  it('follows a catalogue that changes', async () => {
    const before = (await graphql(url, CATALOGUE_QUERY)).data!.networkStatistics.catalogue;
    const node = network.catalogueNodes.kemgik!;
    const report = await uploadBytes(node, 'tyazhin-mkuk', catalogueBytes('tyazhin-mkuk', 180, 4));
    expect(report).toMatchObject({ status: 'SUCCEEDED' });
    const after = (await graphql(url, CATALOGUE_QUERY)).data!.networkStatistics.catalogue;
    expect(after.records).toBe(before.records + report.created);
    expect(report.created).toBeGreaterThan(0);
    const keys = await editionKeys();
    const all = new Set([...keys.values()].flat().filter((k) => k !== null));
    const unkeyed = [...keys.values()].flat().filter((k) => k === null).length;
    expect(after.uniqueTitles).toBe(all.size + unkeyed);
  });
});

describe('members, sections and events statistics', () => {
  it('count members by region, type, legal form and status as the members list does', async () => {
    const { members, networkStatistics } = await graphqlOk(
      url,
      `{ members(first: 100) { totalCount edges { node { region type legalForm status joinedOn } } }
         networkStatistics { members { total byRegion { key count } byType { key count } byLegalForm { key count } byStatus { key count } joinedPerYear { year count } } } }`,
    );
    const nodes = members.edges.map((e: { node: Record<string, string> }) => e.node);
    const tally = (field: string) => {
      const counts = new Map<string, number>();
      for (const n of nodes) counts.set(n[field], (counts.get(n[field]) ?? 0) + 1);
      return [...counts]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([key, count]) => ({ key, count }));
    };
    const stats = networkStatistics.members;
    expect(stats.total).toBe(members.totalCount);
    expect(stats.byRegion).toEqual(tally('region'));
    expect(stats.byType).toEqual(tally('type'));
    expect(stats.byLegalForm).toEqual(tally('legalForm'));
    expect(stats.byStatus).toEqual(tally('status'));
    const years = new Map<number, number>();
    for (const n of nodes)
      if (n.joinedOn) years.set(Number(n.joinedOn.slice(0, 4)), (years.get(Number(n.joinedOn.slice(0, 4))) ?? 0) + 1);
    expect(stats.joinedPerYear).toEqual(
      [...years].sort((a, b) => a[0] - b[0]).map(([year, count]) => ({ year, count })),
    );
  });

  it('sum events per year and kind as the events themselves report, and count events per section', async () => {
    const { events, networkStatistics } = await graphqlOk(
      url,
      `{ events(first: 100) { totalCount edges { node { kind startsAt participantsCount organisationsCount talksCount organisers { __typename ... on Section { id } } } } }
         networkStatistics { events { totals { events participants organisations talks }
           byYearAndKind { year kind events participants organisations talks }
           bySection { section { id name } events } } } }`,
    );
    const nodes = events.edges.map((e: { node: any }) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    const stats = networkStatistics.events;
    const sum = (list: any[], f: string) => list.reduce((s, n) => s + n[f], 0);
    expect(stats.totals).toEqual({
      events: events.totalCount,
      participants: sum(nodes, 'participantsCount'),
      organisations: sum(nodes, 'organisationsCount'),
      talks: sum(nodes, 'talksCount'),
    });
    const year = (iso: string) =>
      Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Novokuznetsk' }).format(new Date(iso)));
    for (const row of stats.byYearAndKind) {
      const group = nodes.filter((n: any) => n.kind === row.kind && year(n.startsAt) === row.year);
      expect(row).toEqual({
        year: row.year,
        kind: row.kind,
        events: group.length,
        participants: sum(group, 'participantsCount'),
        organisations: sum(group, 'organisationsCount'),
        talks: sum(group, 'talksCount'),
      });
    }
    expect(sum(stats.byYearAndKind, 'events')).toBe(events.totalCount);
    const bySection = new Map<string, number>();
    for (const n of nodes)
      for (const o of n.organisers) if (o.__typename === 'Section') bySection.set(o.id, (bySection.get(o.id) ?? 0) + 1);
    expect(
      stats.bySection.map((s: any) => [s.section.id, s.events]).sort((a: any, b: any) => a[0].localeCompare(b[0])),
    ).toEqual([...bySection].sort((a, b) => a[0].localeCompare(b[0])));
    expect(stats.bySection[0]?.section.name).toEqual(expect.any(String));
  });

  it('narrows events to a period, in the network’s days', async () => {
    const { events } = await graphqlOk(url, `{ events(first: 100) { edges { node { startsAt } } } }`);
    const starts: string[] = events.edges.map((e: any) => e.node.startsAt).sort();
    const day = (iso: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Novokuznetsk' }).format(new Date(iso));
    const from = day(starts[0]!);
    const to = day(starts[0]!);
    const expected = starts.filter((s) => day(s) >= from && day(s) <= to).length;
    const { networkStatistics } = await graphqlOk(
      url,
      `query($from: LocalDate, $to: LocalDate) { networkStatistics(filter: { from: $from, to: $to }) { period { from to } events { totals { events } } } }`,
      { from, to },
    );
    expect(networkStatistics.period).toEqual({ from, to });
    expect(networkStatistics.events.totals.events).toBe(expected);
  });

  it('lists every section with the member organisations taking part', async () => {
    const { sections, networkStatistics } = await graphqlOk(
      url,
      `{ sections { id members { role } }
         networkStatistics { sections { total active bySection { section { id } memberOrganisations coordinators observers } } } }`,
    );
    const stats = networkStatistics.sections;
    expect(stats.total).toBe(sections.length);
    for (const section of sections) {
      const row = stats.bySection.find((s: any) => s.section.id === section.id);
      expect(row).toEqual({
        section: { id: section.id },
        memberOrganisations: section.members.length,
        coordinators: section.members.filter((m: any) => m.role === 'COORDINATOR').length,
        observers: section.members.filter((m: any) => m.role === 'OBSERVER').length,
      });
    }
    expect(stats.active).toBe(sections.filter((s: any) => s.members.length > 0).length);
  });
});

describe('bad statistics filters', () => {
  const ask = (filter: unknown) =>
    graphql(
      url,
      `
        query ($filter: StatisticsFilter) {
          networkStatistics(filter: $filter) {
            members {
              total
            }
          }
        }
      `,
      {
        filter,
      },
    );

  it.each([
    [{ from: '2016-01-01', to: '2015-12-31' }, 'filter.to'],
    [{ regions: ['Атлантида'] }, 'filter.regions'],
    [{ members: ['00000000-0000-4000-8000-000000000000'] }, 'filter.members'],
    [{ members: ['not-an-id'] }, 'filter.members'],
  ])('%j is BAD_USER_INPUT naming %s', async (filter, field) => {
    const response = await ask(filter);
    expect(response.data?.networkStatistics ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a Member.statistics period that ends before it starts', async () => {
    const response = await graphql(
      url,
      `
        {
          memberByCode(code: "kemrsl") {
            statistics(from: "2020-01-01", to: "2019-01-01") {
              members {
                total
              }
            }
          }
        }
      `,
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });
});

describe('figures members report', () => {
  const SUBMIT = `mutation($memberId: ID!, $year: Int!, $figures: ReportedFiguresInput!) {
    submitMemberReport(memberId: $memberId, year: $year, figures: $figures) {
      year revision member { code } figures { registeredUsers visits loans eventsHeld staff } correctedAt
    }
  }`;
  const CORRECT = `mutation($memberId: ID!, $year: Int!, $figures: ReportedFiguresInput!, $reason: String!) {
    correctMemberReport(memberId: $memberId, year: $year, figures: $figures, reason: $reason) {
      year revision figures { visits loans } submittedAt correctedAt
      history { revision reason figures { visits loans } createdAt }
    }
  }`;
  const ids: Record<string, string> = {};
  const reports = async () =>
    (await graphqlOk(url, '{ memberReports { year revision member { code } } }', {}, network.coordinator))
      .memberReports;

  beforeAll(async () => {
    const { members } = await graphqlOk(url, '{ members(first: 100) { edges { node { id code } } } }');
    for (const { node } of members.edges) ids[node.code] = node.id;
  });

  it('keeps one report per member and year, and corrections as history', async () => {
    const submitted = await graphqlOk(
      url,
      SUBMIT,
      {
        memberId: ids.kemrsl,
        year: 2024,
        figures: { registeredUsers: 41_000, visits: 350_000, loans: 900_000, eventsHeld: 640, staff: 180 },
      },
      network.coordinator,
    );
    expect(submitted.submitMemberReport).toEqual({
      year: 2024,
      revision: 1,
      member: { code: 'kemrsl' },
      figures: { registeredUsers: 41_000, visits: 350_000, loans: 900_000, eventsHeld: 640, staff: 180 },
      correctedAt: null,
    });
    const again = await graphql(
      url,
      SUBMIT,
      { memberId: ids.kemrsl, year: 2024, figures: { visits: 1 } },
      network.coordinator,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'year' });

    const corrected = await graphqlOk(
      url,
      CORRECT,
      {
        memberId: ids.kemrsl,
        year: 2024,
        figures: { registeredUsers: 41_000, visits: 352_000, loans: 905_000, eventsHeld: 640, staff: 180 },
        reason: 'Учтены посещения филиала',
      },
      network.coordinator,
    );
    const report = corrected.correctMemberReport;
    expect(report).toMatchObject({ year: 2024, revision: 2, figures: { visits: 352_000, loans: 905_000 } });
    expect(report.correctedAt).not.toBeNull();
    expect(report.history).toEqual([
      expect.objectContaining({ revision: 1, reason: null, figures: { visits: 350_000, loans: 900_000 } }),
      expect.objectContaining({
        revision: 2,
        reason: 'Учтены посещения филиала',
        figures: { visits: 352_000, loans: 905_000 },
      }),
    ]);
    const missing = await graphql(
      url,
      CORRECT,
      {
        memberId: ids.kemrsl,
        year: 2019,
        figures: { visits: 1 },
        reason: 'x',
      },
      network.coordinator,
    );
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each([
    [{ year: 2023, figures: { visits: -5 } }, 'figures.visits'],
    [{ year: 2023, figures: { staff: 50_000 } }, 'figures.staff'],
    [{ year: 2023, figures: { registeredUsers: 10, loans: 50_000 } }, 'figures.loans'],
    [{ year: 2023, figures: {} }, 'figures'],
    [{ year: 2999, figures: { visits: 10 } }, 'year'],
    [{ year: 1900, figures: { visits: 10 } }, 'year'],
  ])('%j is BAD_USER_INPUT naming %s, and nothing is stored', async (input, field) => {
    const before = await reports();
    const response = await graphql(url, SUBMIT, { memberId: ids.kemgik, ...input }, network.coordinator);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await reports()).toEqual(before);
  });

  it('refuses a report for an unknown member', async () => {
    const response = await graphql(
      url,
      SUBMIT,
      {
        memberId: '00000000-0000-4000-8000-000000000000',
        year: 2023,
        figures: { visits: 10 },
      },
      network.coordinator,
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sums the current revisions per year over the scope and period', async () => {
    await graphqlOk(
      url,
      SUBMIT,
      {
        memberId: ids.kemgik,
        year: 2024,
        figures: { registeredUsers: 9_000, visits: 60_000 },
      },
      network.coordinator,
    );
    await graphqlOk(
      url,
      SUBMIT,
      { memberId: ids.kemgik, year: 2023, figures: { registeredUsers: 8_500, staff: 40 } },
      network.coordinator,
    );
    const query = `query($filter: StatisticsFilter) { networkStatistics(filter: $filter) { reported { byYear {
      year reportingMembers registeredUsers visits loans eventsHeld staff } } } }`;
    const all = (await graphqlOk(url, query, {}, network.coordinator)).networkStatistics.reported.byYear;
    expect(all).toEqual([
      { year: 2023, reportingMembers: 1, registeredUsers: 8_500, visits: 0, loans: 0, eventsHeld: 0, staff: 40 },
      // kemrsl's corrected figures count, not its first submission.
      {
        year: 2024,
        reportingMembers: 2,
        registeredUsers: 50_000,
        visits: 412_000,
        loans: 905_000,
        eventsHeld: 640,
        staff: 180,
      },
    ]);
    const kemgik2024 = (
      await graphqlOk(
        url,
        query,
        { filter: { members: [ids.kemgik], from: '2024-01-01', to: '2024-12-31' } },
        network.coordinator,
      )
    ).networkStatistics.reported.byYear;
    expect(kemgik2024).toEqual([
      { year: 2024, reportingMembers: 1, registeredUsers: 9_000, visits: 60_000, loans: 0, eventsHeld: 0, staff: 0 },
    ]);
    const own = await graphqlOk(
      url,
      '{ memberByCode(code: "kemgik") { reports { year figures { registeredUsers } } } }',
      {},
      network.coordinator,
    );
    expect(own.memberByCode.reports).toEqual([
      { year: 2024, figures: { registeredUsers: 9_000 } },
      { year: 2023, figures: { registeredUsers: 8_500 } },
    ]);
  });
});
