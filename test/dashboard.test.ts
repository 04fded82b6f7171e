import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { generatedCatalogue, uploadBytes } from './testkit/catalogue';
import { loadTestConfig } from './testkit/config';
import { launchBrowser } from './testkit/browser';
import { graphqlOk } from './testkit/graphql';
import { startTestNetwork, type TestNetwork } from './testkit/network';

/**
 * The coordinators' dashboard in headless Chromium against a demo network: every chart must show the
 * numbers the API returns, with nothing loaded from anywhere but the gateway. Also the CSV export.
 */

let network: TestNetwork;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  network = await startTestNetwork('dashboard', {
    catalogueNodes: [['kemrsl'], ['kemgik', 'kemsu']],
    beforeGateway: async ({ catalogueNodes }) => {
      await uploadBytes(catalogueNodes.kemrsl!, 'kemrsl', generatedCatalogue('kemrsl', 400, 1));
      await uploadBytes(catalogueNodes.kemgik!, 'kemgik', generatedCatalogue('kemgik', 250, 2));
      await uploadBytes(catalogueNodes.kemgik!, 'kemsu', generatedCatalogue('kemsu', 150, 3));
    },
  });
  origin = new URL(network.gateway.url).origin;
  const { memberByCode } = await graphqlOk(network.gateway.url, '{ memberByCode(code: "kemrsl") { id } }');
  for (const [year, visits] of [
    [2023, 330_000],
    [2024, 350_000],
  ] as const) {
    await graphqlOk(
      network.gateway.url,
      `mutation($id: ID!, $year: Int!, $visits: Int!) { submitMemberReport(memberId: $id, year: $year, figures: { registeredUsers: 40000, visits: $visits, loans: 900000 }) { revision } }`,
      { id: memberByCode.id, year, visits },
      network.coordinator,
    );
  }
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

const API = `{ networkStatistics {
  members { total byRegion { key count } byType { key count } joinedPerYear { year count } }
  events { totals { events participants } byYearAndKind { year events participants organisations } }
  sections { bySection { section { name } memberOrganisations } }
  catalogue { records uniqueTitles heldByOneLibrary heldBySeveralLibraries additionsPerMonth { month count }
    byMaterialType { key count } byDecade { key count } byLibrary { member { code } status records uniqueTitles } }
  reported { byYear { year visits loans } }
} }`;

describe('the dashboard', () => {
  it('draws the numbers the API returns, from the gateway alone', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin)) foreign.push(request.url());
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A coordinator's key, as one types it into the page (it stays in the tab's session storage).
    await page.goto(`${origin}/dashboard`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.fill('input[name="key"]', network.coordinator.authorization!.replace('Bearer ', ''));
    await page.click('button[type="submit"]');
    await page.waitForURL(/dashboard\/\?/);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(page.url()).not.toContain('key=');
    expect(pageErrors).toEqual([]);
    expect(foreign).toEqual([]);

    const { networkStatistics: s } = await graphqlOk(network.gateway.url, API, {}, network.coordinator);
    const chart = (id: string) =>
      page.evaluate((canvas) => {
        const c = (globalThis as any).Chart.getChart(canvas);
        return c ? { labels: c.data.labels, data: c.data.datasets.map((d: { data: unknown[] }) => d.data) } : null;
      }, id);

    expect((await chart('members-by-region'))!.data).toEqual([s.members.byRegion.map((c: any) => c.count)]);
    expect((await chart('members-by-type'))!.data).toEqual([s.members.byType.map((c: any) => c.count)]);
    expect(await chart('members-joined-per-year')).toEqual({
      labels: s.members.joinedPerYear.map((y: any) => String(y.year)),
      data: [s.members.joinedPerYear.map((y: any) => y.count)],
    });
    const ok = s.catalogue.byLibrary.filter((l: any) => l.status === 'OK');
    expect(await chart('catalogue-by-library')).toEqual({
      labels: ok.map((l: any) => l.member.code),
      data: [ok.map((l: any) => l.records), ok.map((l: any) => l.uniqueTitles)],
    });
    expect(ok.map((l: any) => l.records).sort()).toEqual([150, 250, 400]);
    expect((await chart('catalogue-holders'))!.data).toEqual([
      [s.catalogue.heldByOneLibrary, s.catalogue.heldBySeveralLibraries],
    ]);
    expect(await chart('catalogue-additions-per-month')).toEqual({
      labels: s.catalogue.additionsPerMonth.map((m: any) => m.month),
      data: [s.catalogue.additionsPerMonth.map((m: any) => m.count)],
    });
    expect((await chart('catalogue-by-material-type'))!.data).toEqual([
      s.catalogue.byMaterialType.map((c: any) => c.count),
    ]);
    expect((await chart('catalogue-by-decade'))!.data).toEqual([s.catalogue.byDecade.map((c: any) => c.count)]);
    expect((await chart('sections'))!.data).toEqual([s.sections.bySection.map((r: any) => r.memberOrganisations)]);
    // Events per year, stacked by kind: each year's stack adds up to the API's events of that year.
    const events = (await chart('events-per-year'))!;
    const perYear = new Map<string, number>();
    for (const r of s.events.byYearAndKind) perYear.set(String(r.year), (perYear.get(String(r.year)) ?? 0) + r.events);
    expect(events.labels).toEqual([...perYear.keys()].sort());
    expect(
      events.labels.map((_: string, i: number) =>
        events.data.reduce((sum: number, d: unknown[]) => sum + (d[i] as number), 0),
      ),
    ).toEqual(events.labels.map((y: string) => perYear.get(y)));
    expect(await chart('reported-per-year')).toEqual({
      labels: ['2023', '2024'],
      data: [
        [330_000, 350_000],
        [900_000, 900_000],
      ],
    });
    // The headline cards.
    const card = (title: string) => page.locator(`.card[data-figure="${title}"] b`).innerText();
    const digits = (text: string) => Number(text.replace(/\D/g, ''));
    expect(digits(await card('Записей в каталогах'))).toBe(s.catalogue.records);
    expect(digits(await card('Уникальных названий'))).toBe(s.catalogue.uniqueTitles);
    expect(digits(await card('Участников мероприятий'))).toBe(s.events.totals.participants);
    expect(await page.locator('#libraries tbody tr').count()).toBe(s.catalogue.byLibrary.length);
    // Every CSV the page links to is there.
    const links = await page
      .locator('#exports a')
      .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect((await fetch(link, { headers: network.coordinator })).status).toBe(200);

    if (loadTestConfig().TEST_UPDATE_SCREENSHOTS === 'true') {
      await page.screenshot({ path: join(__dirname, '../docs/dashboard.png'), fullPage: true });
    }
    await page.close();
  });

  it('shows an anonymous visitor everything but the reported figures and exports', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/dashboard/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.locator('#reported-note').isVisible()).toBe(true);
    expect(await page.locator('#exports-note').isVisible()).toBe(true);
    expect(await page.locator('#problems li').count()).toBe(0);
    const records = await page.evaluate(() => (globalThis as any).dashboardData.catalogue.records);
    expect(records).toBe(800);
    await page.close();
  });

  it('narrows to a region from the URL', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/dashboard/?region=${encodeURIComponent('Новосибирская область')}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const data = await page.evaluate(() => (globalThis as any).dashboardData.members.byRegion);
    expect(data).toEqual([{ key: 'Новосибирская область', count: expect.any(Number) }]);
    expect(await page.locator('select[name="region"]').inputValue()).toBe('Новосибирская область');
    await page.close();
  });
});

describe('CSV export', () => {
  it('lists the tables and serves each as CSV with the API’s numbers', async () => {
    const list = (await (await fetch(`${origin}/statistics`)).json()) as {
      tables: Array<{ name: string; csv: string }>;
    };
    expect(list.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['members-by-region', 'catalogue-by-library']),
    );
    const response = await fetch(`${origin}/statistics/members-by-region.csv`, { headers: network.coordinator });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toContain('kuzbass-members-by-region.csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    // A byte order mark first, so that spreadsheet programs read the Cyrillic as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFFregion,members\n')).toBe(true);
    const { networkStatistics } = await graphqlOk(
      network.gateway.url,
      '{ networkStatistics { members { byRegion { key count } } } }',
    );
    expect(text.slice(1).trim().split('\n').slice(1)).toEqual(
      networkStatistics.members.byRegion.map((c: any) => `${c.key},${c.count}`),
    );
    const widely = await (
      await fetch(`${origin}/statistics/catalogue-most-widely-held.csv`, { headers: network.coordinator })
    ).text();
    expect(widely.split('\n')[0]).toBe('title,authors,year,isbn,libraries,held_by');
  });

  it('applies the filter and refuses a bad one with the field named', async () => {
    const narrowed = await (
      await fetch(`${origin}/statistics/catalogue-by-library.csv?type=REGIONAL`, { headers: network.coordinator })
    ).text();
    expect(
      narrowed
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['kemrsl']);
    const bad = await fetch(`${origin}/statistics/members-by-type.csv?from=2020-01-01&to=2019-01-01`, {
      headers: network.coordinator,
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^filter\.to: /);
    expect((await fetch(`${origin}/statistics/no-such-table.csv`)).status).toBe(404);
  });

  it('is for coordinators only', async () => {
    const csv = `${origin}/statistics/members-by-region.csv`;
    expect((await fetch(csv)).status).toBe(401);
    const editor = await network.credential({ role: 'EDITOR', memberCode: 'kemgik', label: 'editor' });
    expect((await fetch(csv, { headers: editor })).status).toBe(403);
    expect((await fetch(csv, { headers: { authorization: 'Bearer kbg_forged' } })).status).toBe(401);
  });
});
