import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultNetwork, type FaultNetwork } from '../scripts/bench/fault-network';
import { runFaultChecks, type FaultReport } from '../scripts/bench/faults';

// The fault checks of `npm run bench:faults`, shorter: every service a process of its own (the compiled
// dist/, built by `npm test`'s tsc step) over a PostgreSQL server of the test's own, so that stopping it
// touches nothing else.
describe('faults under load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kbg-faults-'));
  let net: FaultNetwork | undefined;
  let report: FaultReport;

  beforeAll(async () => {
    net = await startFaultNetwork({ dir, members: ['kemrsl', 'kemgik', 'kemsu'], records: 200, logLevel: 'fatal' });
    report = await runFaultChecks(net, { phaseSeconds: 3, connections: 4 });
  }, 300_000);

  afterAll(async () => {
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it.each([
    // A database down shows through a subgraph as its code, through a catalogue node as the node's message.
    ['catalogue node', /CATALOGUE_NODE_UNAVAILABLE/],
    ['PostgreSQL', /DATABASE_UNAVAILABLE|database is unavailable/],
    ['events subgraph', /SUBGRAPH_UNAVAILABLE/],
  ])('%s down: every request still answered, the missing part named (%s), all whole again after', (what, code) => {
    const result = report.results.find((r) => r.fault.includes(what))!;
    expect(result.before).toMatchObject({ httpErrors: 0, graphqlErrors: 0 });
    // The fault showed, as partial answers naming what is missing, never as a failed request.
    expect(result.during.httpErrors).toBe(0);
    expect(result.during.graphqlErrors).toBeGreaterThan(0);
    expect(result.during.sample).toMatch(code);
    expect(result.after).toMatchObject({ httpErrors: 0, graphqlErrors: 0 });
    expect(result.after.answers).toBeGreaterThan(0);
    // Recovered by itself: nothing but the failed part was started again.
    expect(result.restartedUnasked).toEqual([]);
  });

  it('keeps every write it acknowledged', () => {
    expect(report.writes.acknowledged).toBeGreaterThan(0);
    expect(report.writes.found).toBe(report.writes.acknowledged);
  });
});
