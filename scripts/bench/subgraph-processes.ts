import { SUBGRAPHS } from '../network';
import { distScript, startNodeProcess, stopProcess, type NodeProcess } from '../processes';
import { childEnv } from '../config';

/** One of the members / sections / events subgraphs running as a process of its own, as in a deployment. */
export interface SubgraphProcess {
  name: string;
  url: string;
  port: number;
  process: NodeProcess;
  stop(): Promise<void>;
  /** Starts it again, on the port it had, after `stop`. */
  start(): Promise<void>;
}

/**
 * Starts the members, sections and events subgraphs, each in its own process, on free ports, over the
 * given database (migrated and seeded beforehand); `options.env` adds to what they share, `options.nodeArgs`
 * go to node.
 */
export async function spawnSubgraphs(
  databaseUrl: string,
  internalSecret: string,
  options: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<SubgraphProcess[]> {
  return Promise.all(
    SUBGRAPHS.map(async ({ definition: { name } }) => {
      const prefix = name.toUpperCase();
      const start = (port: number) =>
        startNodeProcess(
          [distScript(`subgraphs/${name}/main.js`)],
          {
            ...childEnv(),
            NODE_ENV: 'production',
            LOG_LEVEL: 'info',
            HOST: '127.0.0.1',
            DATABASE_URL: databaseUrl,
            INTERNAL_AUTH_SECRET: internalSecret,
            [`${prefix}_PORT`]: String(port),
            ...options.env,
          },
          new RegExp(`"url":"(http://[^"]+)"[^\\n]*"msg":"${name} subgraph ready"`),
          { nodeArgs: options.nodeArgs },
        );
      const first = await start(0);
      const url = first.ready[1]!;
      const subgraph: SubgraphProcess = {
        name,
        url,
        port: Number(new URL(url).port),
        process: first,
        stop: () => stopProcess(subgraph.process.child),
        start: async () => {
          subgraph.process = await start(subgraph.port);
        },
      };
      return subgraph;
    }),
  );
}
