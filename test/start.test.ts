import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from '../scripts/bench/load';
import { loadBodies } from '../scripts/bench/workload';
import { distScript, type NodeProcess, startNodeProcess, stopProcess } from '../scripts/processes';
import { graphqlOk } from './testkit/graphql';

// `npm start` as a new user runs it: the compiled start script (built by `npm test`'s tsc step), no
// database configured, so everything runs on the embedded PostgreSQL in a data directory.

type Started = NodeProcess & { url: string };

/** Resolves when the output so far contains `text` (checked every 100 ms, within the test's time limit). */
async function waitFor(started: Started, text: string): Promise<void> {
  for (let i = 0; i < 1700 && !started.output().includes(text); i++) await new Promise((r) => setTimeout(r, 100));
}

// Every start, so that a failed test leaves no process behind.
const children = new Set<ChildProcess>();

async function start(dataDir: string, extra: Record<string, string> = {}): Promise<Started> {
  const env: Record<string, string> = {
    // eslint-disable-next-line no-restricted-properties -- the child needs PATH and nothing else from us
    PATH: process.env.PATH ?? '',
    // Inside the temporary directory, so the catalogue nodes' data directories beside it go too.
    PGLITE_DATA_DIR: join(dataDir, 'pglite'),
    GATEWAY_PORT: '0',
    MEMBERS_PORT: '0',
    SECTIONS_PORT: '0',
    EVENTS_PORT: '0',
    DEMO_CATALOGUE_PORT: '0',
    DEMO_CATALOGUE_RECORDS: '300',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  const started = await startNodeProcess([distScript('scripts/start.js')], env, /gateway ready at (\S+)/, {
    timeoutMs: 170_000,
  });
  children.add(started.child);
  return Object.assign(started, { url: started.ready[1]! });
}

// The network stops its catalogue nodes and embedded databases before it exits: let it (the data is reused).
const stop = (child: ChildProcess) => stopProcess(child, 60_000);

describe('npm start on the embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kbg-start-'));
  let running: Started | undefined;

  afterAll(async () => {
    await Promise.all([...children].map(stop));
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Two starts of four embedded databases in three processes: generous on a busy 2-core machine.
  jest.setTimeout(180_000);

  it('starts the whole network with the demo data, and keeps data across a restart', async () => {
    running = await start(dataDir);
    const catalogues = waitFor(running, 'demo catalogues ready');
    const first = await graphqlOk(running.url, '{ members { totalCount } sections { name } events { totalCount } }');
    expect(first.members.totalCount).toBe(12);
    expect(first.sections).toHaveLength(4);
    expect(first.events.totalCount).toBe(6);
    // The first start leaves a coordinator's key beside the data (never in the output).
    const keyFile = join(dataDir, 'coordinator-key');
    await waitFor(running, keyFile);
    expect(running.output()).toContain(`a coordinator's API key is in ${keyFile}`);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(running.output()).not.toContain(key);
    await graphqlOk(
      running.url,
      `mutation {
      admitMember(input: { code: "mariinsk-cbs", name: "МБУК «ЦБС Мариинского округа»", shortName: "ЦБС Мариинска", legalForm: MUNICIPAL_BUDGETARY_INSTITUTION, type: MUNICIPAL_CENTRAL, region: "Кемеровская область — Кузбасс", city: "Мариинск" }) { id }
    }`,
      {},
      { authorization: `Bearer ${key}` },
    );
    // The demo catalogues: kemrsl on its own node, three small libraries on a hosted one.
    await catalogues;
    const catalogue = await graphqlOk(
      running.url,
      `{
      kemrsl: memberByCode(code: "kemrsl") { catalogue { recordCount } }
      lyceum: memberByCode(code: "kem-lyceum23") { catalogue { recordCount } }
      record: catalogueRecord(id: "kemrsl:KEMRSL-0000001") { title owner { code } }
      catalogueSearch(query: "", first: 1) { total }
    }`,
    );
    expect(catalogue.kemrsl.catalogue.recordCount).toBe(300);
    expect(catalogue.lyceum.catalogue.recordCount).toBe(300);
    expect(catalogue.record).toEqual({ title: expect.any(String), owner: { code: 'kemrsl' } });
    expect(catalogue.catalogueSearch.total).toBe(4 * 300);
    await stop(running.child);

    // Second start: same data directory, no reseeding; the member admitted above is still there.
    // The load check below is one client on one address: the per-client rate limit would refuse it.
    // Under jest the machine's two cores also run other test files: requests may queue longer than the
    // gateway's 30 s default (refused as OVERLOADED) and a node answer later than its 2 s limit (a partial
    // answer); this check is about errors under 200 clients, not speed, so both limits are wider here.
    running = await start(dataDir, {
      DEMO_SEED: 'false',
      GATEWAY_RATE_LIMIT_ANONYMOUS: '1000000',
      GATEWAY_QUEUE_TIMEOUT_MS: '150000',
      CATALOGUE_NODE_TIMEOUT_MS: '30000',
    });
    const second = await graphqlOk(
      running.url,
      '{ members { totalCount } memberByCode(code: "mariinsk-cbs") { city } }',
    );
    expect(second).toEqual({ members: { totalCount: 13 }, memberByCode: { city: 'Мариинск' } });
  });

  it('answers 200 clients at once with no error (`npm run bench:load`, shorter)', async () => {
    await waitFor(running!, 'demo catalogues ready');
    const result = await runLoad({
      url: running!.url,
      seconds: 15,
      connections: 200,
      bodies: loadBodies(),
      checkBodies: true,
      timeoutSeconds: 180,
    });
    expect({ errors: result.errors, sample: result.samples[0] }).toEqual({ errors: 0, sample: undefined });
    expect(result.requests).toBeGreaterThan(0);
    expect(running!.child.exitCode).toBeNull();
  }, 240_000);
});
