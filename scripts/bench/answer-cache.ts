/**
 * A caching proxy in front of the benchmark's subgraphs, in a process of its own:
 * `node dist/scripts/bench/answer-cache.js name=url ...` listens on one free port per subgraph and prints
 * `answer cache ready {"name":"http://127.0.0.1:port/graphql",...}`. The first time it sees a request
 * body it forwards it (with its headers) to the real subgraph and keeps the answer; after that it answers
 * from memory. On this 2-core machine the real subgraphs cost several times a gateway's CPU per request,
 * so a run through them measures the subgraphs; through this cache (warmed by each gateway's warm-up, so
 * every gateway's own subgraph requests are cached) it measures the gateways. `GET /stats` tells hits
 * and misses, so the benchmark can show the measured run was all hits.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpPoster } from '../../lib/http-post';

const poster = new HttpPoster();
const stats = { hits: 0, misses: 0 };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

async function serve(target: string): Promise<string> {
  const answers = new Map<string, { status: number; body: string }>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.setHeader('content-type', 'application/json');
      return void res.end(JSON.stringify(stats));
    }
    void (async () => {
      const body = await readBody(req);
      let answer = answers.get(body);
      if (answer) stats.hits++;
      else {
        stats.misses++;
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            (e): e is [string, string] => typeof e[1] === 'string' && !['host', 'content-length'].includes(e[0]),
          ),
        );
        const fresh = await poster.post(target, body, headers, 30_000);
        answer = { status: fresh.status, body: fresh.text };
        // Only good answers are kept: a failure must show in the next run too.
        if (fresh.status === 200 && !fresh.text.includes('"errors"')) answers.set(body, answer);
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    })().catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function main(): Promise<void> {
  const targets = process.argv.slice(2).map((arg) => {
    const at = arg.indexOf('=');
    return [arg.slice(0, at), arg.slice(at + 1)] as const;
  });
  const urls: Record<string, string> = {};
  for (const [name, target] of targets) urls[name] = await serve(target);
  process.stdout.write(`answer cache ready ${JSON.stringify(urls)}\n`);
  process.once('SIGTERM', () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
