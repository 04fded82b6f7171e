import express from 'express';
import { closeServer, listen } from '../lib/http';
import { createLogger } from '../lib/logger';
import { Admission } from './admission';

/** A real HTTP server whose handler holds every request until released, behind the admission gate. */
async function gated(config: ConstructorParameters<typeof Admission>[0]) {
  const admission = new Admission(config, createLogger('test', 'silent'));
  const started: string[] = [];
  const held: Array<() => void> = [];
  const app = express();
  app.get('/work/:name', admission.middleware, (req, res) => {
    started.push(String(req.params.name));
    held.push(() => res.json({ name: req.params.name }));
  });
  const { server, port } = await listen(app, 0, '127.0.0.1');
  const call = (name: string, signal?: AbortSignal) =>
    fetch(`http://127.0.0.1:${port}/work/${name}`, { signal }).then(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get('retry-after'),
      body: (await r.json()) as { name?: string; errors?: Array<{ extensions: { code: string } }> },
    }));
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };
  return { admission, started, held, call, until, stop: () => closeServer(server) };
}

describe('admission', () => {
  it('works on a few requests at once, queues the next in order, refuses beyond the queue', async () => {
    const gate = await gated({ maxConcurrent: 2, maxQueued: 2, queueTimeoutMs: 10_000 });
    try {
      const answers = ['a', 'b', 'c', 'd'].map((name) => gate.call(name));
      await gate.until(() => gate.admission.stats().queued === 2);
      expect(gate.started).toEqual(['a', 'b']);
      const refused = await gate.call('e');
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toMatch(/^\d+$/);
      expect(refused.body.errors?.[0]?.extensions.code).toBe('OVERLOADED');
      // Each finished request lets the next waiting one in, first come first served.
      gate.held.shift()!();
      await gate.until(() => gate.started.length === 3);
      expect(gate.started[2]).toBe('c');
      gate.held.shift()!();
      await gate.until(() => gate.started.length === 4);
      expect(gate.started[3]).toBe('d');
      gate.held.splice(0).forEach((release) => release());
      expect((await Promise.all(answers)).map((a) => a.body.name)).toEqual(['a', 'b', 'c', 'd']);
      expect(gate.admission.stats()).toEqual({ active: 0, queued: 0, refused: 1 });
    } finally {
      await gate.stop();
    }
  });

  it('refuses a request that waited too long, and drops one whose client left without starting it', async () => {
    const gate = await gated({ maxConcurrent: 1, maxQueued: 10, queueTimeoutMs: 300 });
    try {
      const first = gate.call('first');
      await gate.until(() => gate.started.length === 1);
      const leaving = new AbortController();
      const gone = gate.call('gone', leaving.signal).catch((error: Error) => error.name);
      await gate.until(() => gate.admission.stats().queued === 1);
      leaving.abort();
      expect(await gone).toBe('AbortError');
      await gate.until(() => gate.admission.stats().queued === 0);
      const late = await gate.call('late');
      expect(late.status).toBe(503);
      expect(late.body.errors?.[0]?.extensions.code).toBe('OVERLOADED');
      gate.held.shift()!();
      await first;
      // Neither the abandoned nor the refused request ever ran.
      expect(gate.started).toEqual(['first']);
      expect(gate.admission.stats()).toMatchObject({ active: 0, queued: 0 });
    } finally {
      await gate.stop();
    }
  });
});
