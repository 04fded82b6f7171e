import { TEST_INTERNAL_SECRET } from './identity';
import { join } from 'node:path';
import { type GatewayConfig, loadGatewayConfig, startGateway, type RunningGateway } from '../../gateway';
import { createLogger } from '../../lib/logger';
import type { RunningSubgraph } from '../../lib/subgraph';
import { seedDemo } from '../../scripts/demo';
import { SUBGRAPHS } from '../../scripts/network';
import type { RunningCatalogueNode } from '../../subgraphs/catalogue/node';
import { type IssueOptions, issueCredential } from '../../subgraphs/members/credential-client';
import { startTestCatalogueNode } from './catalogue';
import { loadTestConfig } from './config';
import { graphqlOk } from './graphql';
import { createTestDatabase, type TestDatabase } from './database';
import { startTestSubgraph } from './subgraph';

export interface TestNetwork {
  gateway: RunningGateway;
  /** Headers of a coordinator's API key, issued when the network started. */
  coordinator: Record<string, string>;
  /** Issues a credential (as `npm run auth -- issue` does) and returns the headers that present it. */
  credential(options: IssueOptions): Promise<Record<string, string>>;
  subgraphs: Record<string, RunningSubgraph>;
  /** Catalogue nodes by the first member they serve. */
  catalogueNodes: Record<string, RunningCatalogueNode>;
  db: TestDatabase;
  stop(): Promise<void>;
}

/**
 * The whole graph as a client meets it: every subgraph on port 0 with its own schema in the test
 * database, the demo network seeded, and the gateway serving the committed supergraph.
 */
export async function startTestNetwork(
  label: string,
  options: {
    seed?: boolean;
    /** Catalogue nodes to start and register before the gateway, one list of member codes per node. */
    catalogueNodes?: string[][];
    /** Runs once the nodes are up and before the gateway starts (imports, registrations). */
    beforeGateway?: (network: Omit<TestNetwork, 'gateway' | 'stop' | 'coordinator' | 'credential'>) => Promise<void>;
    /** Gateway settings besides the test defaults (timeouts, breaker, fan-out). */
    gateway?: Partial<GatewayConfig>;
  } = {},
): Promise<TestNetwork> {
  const db = await createTestDatabase(label);
  const subgraphs: Record<string, RunningSubgraph> = {};
  const catalogueNodes: Record<string, RunningCatalogueNode> = {};
  let gateway: RunningGateway | undefined;
  const stop = async () => {
    await gateway?.stop();
    await Promise.allSettled([...Object.values(subgraphs), ...Object.values(catalogueNodes)].map((s) => s.stop()));
    await db.drop();
  };
  try {
    for (const running of await Promise.all(SUBGRAPHS.map((s) => startTestSubgraph(s.definition, db)))) {
      subgraphs[running.name] = running;
    }
    if (options.seed ?? true) {
      await seedDemo({
        members: subgraphs.members!.orm.em,
        sections: subgraphs.sections!.orm.em,
        events: subgraphs.events!.orm.em,
        reference: subgraphs.reference!.orm.em,
      });
    }
    for (const members of options.catalogueNodes ?? []) {
      const node = await startTestCatalogueNode(db, members);
      catalogueNodes[members[0]!] = node;
      for (const code of members) await registerCatalogueNode(subgraphs.members!.url, code, node.endpoint(code));
    }
    await options.beforeGateway?.({ subgraphs, catalogueNodes, db });
    gateway = await startGateway(testGatewayConfig(subgraphs, options.gateway), {
      logger: createLogger('gateway', loadTestConfig().TEST_LOG_LEVEL),
    });
    const credential = async (issue: IssueOptions) => {
      const { secret } = await issueCredential(subgraphs.members!.url, TEST_INTERNAL_SECRET, issue);
      return { authorization: `Bearer ${secret}` };
    };
    const coordinator = await credential({ role: 'COORDINATOR', label: 'tests' });
    return { gateway, subgraphs, catalogueNodes, db, stop, coordinator, credential };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A gateway configuration for tests: defaults, port 0, the test subgraphs' URLs, then `overrides`. */
export function testGatewayConfig(
  subgraphs: Record<string, { name: string; url: string }>,
  overrides: Partial<GatewayConfig> = {},
): GatewayConfig {
  const defaults = loadGatewayConfig({});
  return {
    ...defaults,
    // Every test asks from 127.0.0.1: the hourly limit on anonymous questions has a test of its own.
    rateLimits: { ...defaults.rateLimits, anonymousAsksPerHour: 100_000 },
    host: '127.0.0.1',
    port: 0,
    supergraphPath: join(__dirname, '../../schema/supergraph.graphql'),
    subgraphUrls: Object.fromEntries(Object.values(subgraphs).map((s) => [s.name, s.url])),
    subgraphTimeoutMs: 5_000,
    registryRefreshMs: 60_000,
    logLevel: 'silent',
    nodeEnv: 'test',
    internalSecret: TEST_INTERNAL_SECRET,
    ...overrides,
  };
}

/** Registers a member's catalogue node through the members subgraph, as a library joining the network does. */
export async function registerCatalogueNode(membersUrl: string, code: string, endpointUrl: string): Promise<void> {
  const { memberByCode } = await graphqlOk(membersUrl, 'query($code: String!) { memberByCode(code: $code) { id } }', {
    code,
  });
  if (!memberByCode) throw new Error(`no member ${code} to register a catalogue node for`);
  await graphqlOk(
    membersUrl,
    'mutation($id: ID!, $url: String!) { registerCatalogueNode(memberId: $id, endpointUrl: $url) { id } }',
    {
      id: memberByCode.id,
      url: endpointUrl,
    },
  );
}
