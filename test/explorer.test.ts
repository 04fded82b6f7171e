import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiSchema } from '../scripts/api-schema';
import { parse, validate } from 'graphql';
import type { Browser, Page } from 'playwright-core';
import { startGateway, type RunningGateway } from '../gateway';
import { loadExamples } from '../gateway/examples';
import { createLogger } from '../lib/logger';
import { eventId } from '../scripts/demo/events';
import { generatedCatalogue, uploadBytes } from './testkit/catalogue';
import { launchBrowser } from './testkit/browser';
import { graphql, graphqlOk } from './testkit/graphql';
import { startTestNetwork, testGatewayConfig, type TestNetwork } from './testkit/network';

/**
 * The GraphiQL explorer (/explorer) in headless Chromium against a demo network with catalogues: it loads
 * from the gateway alone, its preset tabs are the example operations of docs/examples and each runs
 * without errors, a key typed into the headers editor is sent, and it still knows the schema when the
 * gateway answers no introspection.
 */

let network: TestNetwork;
let browser: Browser;
let origin: string;
const examples = loadExamples();
const started: RunningGateway[] = [];

beforeAll(async () => {
  network = await startTestNetwork('explorer', {
    catalogueNodes: [['kemrsl'], ['tyazhin-mkuk', 'lnk-branch5']],
    beforeGateway: async ({ catalogueNodes }) => {
      await uploadBytes(catalogueNodes.kemrsl!, 'kemrsl', generatedCatalogue('kemrsl', 300, 1));
      await uploadBytes(catalogueNodes['tyazhin-mkuk']!, 'tyazhin-mkuk', generatedCatalogue('tyazhin-mkuk', 150, 2));
      await uploadBytes(catalogueNodes['tyazhin-mkuk']!, 'lnk-branch5', generatedCatalogue('lnk-branch5', 150, 3));
    },
  });
  origin = new URL(network.gateway.url).origin;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const gateway of started) await gateway.stop();
  await network?.stop();
});

const gatewayWith = async (overrides: Parameters<typeof testGatewayConfig>[1]) => {
  const gateway = await startGateway(testGatewayConfig(network.subgraphs, overrides), {
    logger: createLogger('gateway', 'silent'),
  });
  started.push(gateway);
  return gateway;
};

describe('the example operations (docs/examples)', () => {
  it('cover the catalogue search, a member, an event programme and the statistics, valid against the schema', () => {
    expect(examples.map((e) => e.operationName)).toEqual([
      'CatalogueSearch',
      'EventProgramme',
      'Member',
      'NetworkStatistics',
    ]);
    const schema = apiSchema();
    for (const example of examples) {
      expect({ example: example.name, errors: validate(schema, parse(example.query)).map((e) => e.message) }).toEqual({
        example: example.name,
        errors: [],
      });
      expect(example.description.length).toBeGreaterThan(20);
    }
    // The event example names the demo's XII session by its stable id.
    expect(examples.find((e) => e.name === 'event-programme')!.variables).toEqual({
      id: eventId('session-xii-2015'),
    });
  });

  it('run against the demo network without errors and find what they show', async () => {
    const results = Object.fromEntries(
      await Promise.all(
        examples.map(async (e) => [e.name, await graphqlOk(network.gateway.url, e.query, e.variables)] as const),
      ),
    );
    const search = results['catalogue-search']!.catalogueSearch;
    expect(search.total).toBeGreaterThan(0);
    expect(search.nodes.map((n: any) => n.status)).toEqual(['OK', 'OK', 'OK']);
    // Grouped by edition: some editions are held by several libraries of the network.
    expect(Math.max(...search.hits.map((h: any) => h.heldBy.length))).toBeGreaterThan(1);
    const member = results.member!.memberByCode;
    expect(member.code).toBe('kemrsl');
    expect(member.catalogue.recordCount).toBe(300);
    expect(member.sectionMemberships.length).toBeGreaterThan(0);
    expect(member.events.totalCount).toBeGreaterThan(0);
    const event = results['event-programme']!.event;
    expect(event.talks).toHaveLength(16);
    expect(event.talks[3].speakers.map((s: any) => s.organisation.shortName)).toHaveLength(2);
    const statistics = results['network-statistics']!.networkStatistics;
    expect(statistics.members.total).toBeGreaterThan(0);
    expect(statistics.catalogue.records).toBe(300 + 150 + 150);
  });
});

/** Loads the explorer and fails the test on any request to another origin, page error or console error. */
async function openExplorer(at: string) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  const requests: Array<{ url: string; body: string }> = [];
  page.on('request', (request) => {
    requests.push({ url: request.url(), body: request.postData() ?? '' });
    if (!request.url().startsWith(at)) problems.push(`request to ${request.url()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${at}/explorer`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.waitForSelector('.graphiql-tab', { timeout: 30_000 });
  return { page, problems, requests };
}

const editorValue = (page: Page, selector: string) =>
  page.evaluate(
    (s) => (document.querySelector(s) as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
    selector,
  );

/** Runs the active tab's operation and returns the response GraphiQL shows. */
async function run(page: Page): Promise<any> {
  // Cleared first, so that what is read below is this run's answer and not the previous one.
  await page.evaluate(() =>
    (
      document.querySelector('.graphiql-response .CodeMirror') as unknown as {
        CodeMirror: { setValue(v: string): void };
      }
    ).CodeMirror.setValue(''),
  );
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => {
    const value = (
      document.querySelector('.graphiql-response .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }
    ).CodeMirror.getValue();
    return value.trim().endsWith('}');
  });
  return JSON.parse(await editorValue(page, '.graphiql-response .CodeMirror'));
}

describe('the explorer', () => {
  it('loads from the gateway alone and runs every preset without errors', async () => {
    const { page, problems, requests } = await openExplorer(origin);
    const tabs = page.locator('.graphiql-tab-button');
    expect(await tabs.allInnerTexts()).toEqual(examples.map((e) => e.operationName));
    for (const [index, example] of examples.entries()) {
      await tabs.nth(index).click();
      // The tab's query is in the editor and GraphiQL has read its operation name (100 ms after a change).
      await page.waitForFunction((name) => {
        const editor = (
          document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as {
            CodeMirror: { getValue(): string; operationName: string | null };
          }
        ).CodeMirror;
        return editor.getValue().includes(`query ${name}`) && editor.operationName === name;
      }, example.operationName);
      // Each tab carries its example's variables (the first one too).
      const variables = await editorValue(page, '.graphiql-editor-tool .graphiql-editor .CodeMirror');
      expect(JSON.parse(variables)).toEqual(example.variables);
      const result = await run(page);
      expect({ example: example.name, errors: result.errors }).toEqual({ example: example.name, errors: undefined });
      expect(Object.values(result.data).every((v) => v !== null)).toBe(true);
    }
    // With introspection on, GraphiQL reads the schema by introspection, not from the gateway's SDL.
    expect(requests.some((r) => r.body.includes('__schema'))).toBe(true);
    expect(requests.some((r) => r.url.endsWith('/explorer/schema.graphql'))).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends the API key typed into the headers editor and keeps it out of the browser’s storage', async () => {
    const { page, problems } = await openExplorer(origin);
    const tabs = await page.locator('.graphiql-tab').count();
    await page.click('.graphiql-tab-add');
    await page.waitForFunction((n) => document.querySelectorAll('.graphiql-tab').length > n, tabs);
    // Into the new tab's editor through CodeMirror (typing raced the new tab's editor taking over, now and
    // then leaving a mixed query); then until GraphiQL has read the operation, as the presets above.
    await page.waitForFunction((query) => {
      const editor = (
        document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as {
          CodeMirror: { getValue(): string; setValue(v: string): void; operationName: string | null };
        }
      ).CodeMirror;
      if (editor.getValue() !== query) editor.setValue(query);
      return editor.operationName === 'Audit';
    }, 'query Audit { auditLog(first: 3) { operation outcome } }');
    const anonymous = await run(page);
    expect(anonymous.errors[0].extensions.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);

    const key = network.coordinator.authorization!.replace('Bearer ', '');
    await page.click('.graphiql-editor-tools button:has-text("Headers")');
    await page.click('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    await page.keyboard.insertText(`{"Authorization": "Bearer ${key}"}`);
    const coordinator = await run(page);
    expect(coordinator.errors).toBeUndefined();
    expect(Array.isArray(coordinator.data.auditLog)).toBe(true);

    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    expect(stored).not.toContain(key);
    expect(problems.filter((p) => !p.includes('status of 401'))).toEqual([]);
    await page.close();
  });

  it('knows the schema when the gateway answers no introspection: the public SDL it serves', async () => {
    const closed = await gatewayWith({ introspection: false });
    const closedOrigin = new URL(closed.url).origin;
    // Introspection itself stays closed.
    const introspection = await graphql(closed.url, '{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const sdl = await (await fetch(`${closedOrigin}/explorer/schema.graphql`)).text();
    expect(sdl).toContain('catalogueSearch(');
    // The public API schema only: no internal or @inaccessible fields.
    expect(sdl).not.toMatch(/catalogueHoldings|_credential|_recordAudit|join__/);

    const { page, problems, requests } = await openExplorer(closedOrigin);
    await page.click('button[aria-label="Show Documentation Explorer"]');
    await page.locator('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).click();
    await page.locator('.graphiql-doc-explorer', { hasText: 'catalogueSearch' }).waitFor();
    const result = await run(page);
    expect(result.errors).toBeUndefined();
    expect(requests.some((r) => r.body.includes('__schema'))).toBe(false);
    expect(requests.some((r) => r.url.endsWith('/explorer/schema.graphql'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the gateway’s pages', () => {
  it('sends a browser opening /graphql or / to the explorer, not to Apollo Sandbox on a CDN', async () => {
    const landing = await fetch(network.gateway.url, { headers: { accept: 'text/html' } });
    expect(landing.status).toBe(200);
    const html = await landing.text();
    expect(html).toContain('href="explorer/"');
    expect(html).not.toMatch(/apollographql\.com|cdn\./);
    const root = await fetch(`${origin}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, 'explorer/']);
    const page = await fetch(`${origin}/explorer/`);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
  });

  it('serves no explorer and no landing page when GATEWAY_EXPLORER is false', async () => {
    const without = await gatewayWith({ explorer: false });
    const at = new URL(without.url).origin;
    expect((await fetch(`${at}/explorer/`)).status).toBe(404);
    expect((await fetch(`${at}/explorer/schema.graphql`)).status).toBe(404);
    const landing = await fetch(without.url, { headers: { accept: 'text/html' } });
    expect(await landing.text()).not.toContain('explorer/');
  });

  it('ship in the Docker image: the static files and examples the gateway reads beside its code', () => {
    const dockerfile = readFileSync(join(__dirname, '../Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    for (const dir of ['gateway/dashboard', 'gateway/explorer', 'docs/examples']) {
      expect(runtime).toMatch(new RegExp(`^COPY ${dir} ${dir}$`, 'm'));
    }
  });
});
