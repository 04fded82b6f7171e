import pg from 'pg';
import { runLoad, type LoadResult } from './load';
import type { FaultNetwork } from './fault-network';
import { loadBodies } from './workload';

/** What clients saw in one phase of a fault check. */
export interface PhaseResult {
  answers: number;
  /** Requests with no answer or not 200 (a crash, a refusal, a hung request). */
  httpErrors: number;
  /** 200 answers with `errors` (partial answers naming what is missing). */
  graphqlErrors: number;
  sample?: string;
}

export interface FaultResult {
  fault: string;
  before: PhaseResult;
  during: PhaseResult;
  /** From the repair (process or server started again) to the first complete answers. */
  recoveryMs: number;
  after: PhaseResult;
  /** Writes acknowledged (and refused) while this check ran. */
  writes: { acknowledged: number; failed: number };
  /** Service processes that changed while nothing made them (must be none). */
  restartedUnasked: string[];
}

export interface FaultReport {
  results: FaultResult[];
  /** Every acknowledged write, and how many of them the database holds after all the faults. */
  writes: { acknowledged: number; found: number; failed: number };
}

const phase = (r: LoadResult): PhaseResult => ({
  answers: r.requests,
  httpErrors: r.httpErrors,
  graphqlErrors: r.graphqlErrors,
  ...(r.samples[0] ? { sample: r.samples[0] } : {}),
});

/**
 * Writes one at a time through the gateway as a coordinator, people (members subgraph) and events
 * (events subgraph) in turn, until stopped; remembers the id of every write the gateway acknowledged.
 */
class Writer {
  readonly people: string[] = [];
  readonly events: string[] = [];
  failed = 0;
  private running = true;
  private loop: Promise<void> | undefined;

  constructor(private readonly net: FaultNetwork) {}

  get acknowledged(): number {
    return this.people.length + this.events.length;
  }

  start(): void {
    this.loop = (async () => {
      for (let i = 0; this.running; i++) {
        const person = i % 2 === 0;
        const query = person
          ? `mutation($n: String!) { addPerson(input: { fullName: $n, organisationId: null }) { id } }`
          : `mutation($n: String!) { createEvent(input: { title: $n, kind: SEMINAR, format: ONLINE, onlineUrl: "https://example.org/f", startsAt: "2027-03-01T03:00:00Z", endsAt: "2027-03-01T06:00:00Z" }) { id } }`;
        try {
          const response = await fetch(this.net.gatewayUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${this.net.coordinatorKey}` },
            body: JSON.stringify({ query, variables: { n: `Проверка отказов ${i}` } }),
            signal: AbortSignal.timeout(20_000),
          });
          const body = (await response.json()) as {
            data?: { addPerson?: { id: string }; createEvent?: { id: string } } | null;
            errors?: unknown[];
          };
          const id = body.data?.addPerson?.id ?? body.data?.createEvent?.id;
          if (response.ok && id && !body.errors) (person ? this.people : this.events).push(id);
          else this.failed++;
        } catch {
          this.failed++;
        }
        // A steady trickle rather than a flood: the readers make the load.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Polls until a nested query, a network search answered by every node and a member lookup all come back whole. */
async function waitForRecovery(net: FaultNetwork, limitMs: number): Promise<number> {
  const started = performance.now();
  const bodies = loadBodies().slice(0, 4);
  while (performance.now() - started < limitMs) {
    const whole = await Promise.all(
      bodies.map(async (body) => {
        try {
          const response = await fetch(net.gatewayUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(5000),
          });
          const text = await response.text();
          return response.ok && !text.includes('"errors"');
        } catch {
          return false;
        }
      }),
    );
    if (whole.every(Boolean)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the network did not recover within ${limitMs} ms`);
}

/**
 * The fault checks of issue #7, one after another on one network under a steady read load and a trickle
 * of writes: a catalogue node killed, PostgreSQL stopped and started again, the events subgraph stopped
 * and started again. Each: a phase of load before, the fault, a phase of load during it, the repair, the
 * time to the first whole answers, a phase after. Then every acknowledged write is looked for in the
 * database.
 */
export async function runFaultChecks(
  net: FaultNetwork,
  options: { phaseSeconds: number; connections: number; recoveryLimitMs?: number; log?: (line: string) => void },
): Promise<FaultReport> {
  const bodies = loadBodies();
  const load = async () =>
    phase(
      await runLoad({
        url: net.gatewayUrl,
        seconds: options.phaseSeconds,
        connections: options.connections,
        bodies,
        checkBodies: true,
        timeoutSeconds: 30,
      }),
    );
  const faults: Array<{ name: string; target: string; inject(): Promise<void>; repair(): Promise<void> }> = [
    {
      name: `catalogue node of ${net.nodes[0]!.member} killed (SIGKILL), then started again`,
      target: `catalogue ${net.nodes[0]!.member}`,
      inject: () => net.nodes[0]!.kill(),
      repair: () => net.nodes[0]!.start(),
    },
    {
      name: 'PostgreSQL stopped (fast shutdown: every connection cut), then started again',
      target: 'postgres',
      inject: async () => net.postgres.stop(),
      repair: async () => net.postgres.start(),
    },
    {
      name: 'events subgraph stopped (SIGTERM), then started again',
      target: 'events',
      inject: () => net.subgraphs.find((s) => s.name === 'events')!.stop(),
      repair: () => net.subgraphs.find((s) => s.name === 'events')!.start(),
    },
  ];
  const writer = new Writer(net);
  writer.start();
  const results: FaultResult[] = [];
  try {
    for (const fault of faults) {
      const pids = net.pids();
      const writesBefore = { acknowledged: writer.acknowledged, failed: writer.failed };
      const before = await load();
      await fault.inject();
      const during = await load();
      await fault.repair();
      const recoveryMs = await waitForRecovery(net, options.recoveryLimitMs ?? 60_000);
      const after = await load();
      const now = net.pids();
      const result: FaultResult = {
        fault: fault.name,
        before,
        during,
        recoveryMs,
        after,
        writes: {
          acknowledged: writer.acknowledged - writesBefore.acknowledged,
          failed: writer.failed - writesBefore.failed,
        },
        restartedUnasked: Object.keys(pids).filter((name) => name !== fault.target && pids[name] !== now[name]),
      };
      options.log?.(`  ${fault.name}: ${JSON.stringify({ ...result, fault: undefined })}`);
      results.push(result);
    }
  } finally {
    await writer.stop();
  }
  const client = new pg.Client({ connectionString: net.databaseUrl });
  await client.connect();
  try {
    const count = async (table: string, ids: string[]) =>
      Number(
        (await client.query<{ n: string }>(`select count(*) as n from ${table} where id = any($1::uuid[])`, [ids]))
          .rows[0]!.n,
      );
    const found = (await count('members.person', writer.people)) + (await count('events.event', writer.events));
    return { results, writes: { acknowledged: writer.acknowledged, found, failed: writer.failed } };
  } finally {
    await client.end();
  }
}
