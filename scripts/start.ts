import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadOrExit } from '../lib/config';
import { startEmbeddedPostgres } from '../lib/embedded-postgres';
import { createLogger, type Logger } from '../lib/logger';
import { startSubgraph, type RunningSubgraph } from '../lib/subgraph';
import { loadGatewayConfig, startGateway } from '../gateway';
import { localToken, tokenFile } from '../subgraphs/catalogue/token';
import { writeCatalogue } from './catalogue-generator';
import {
  type CatalogueNodeProcess,
  catalogueSize,
  ensureDir,
  spawnCatalogueNode,
  uploadCatalogue,
} from './catalogue-nodes';
import { IDENTITY_HEADER, signIdentity } from '../lib/identity';
import { internalSecretOf } from '../lib/secrets';
import { issueCredential, listCredentials } from '../subgraphs/members/credential-client';
import { referenceSectionSettings } from '../subgraphs/reference/config';
import { configureReferenceSection } from '../subgraphs/reference/section-members';
import { childEnv, loadStartConfig } from './config';
import { seedDemo } from './demo';
import { DEMO_CATALOGUE_NODES } from './demo/catalogues';
import { sectionId } from './demo/sections';
import { SUBGRAPHS } from './network';

type StartConfig = ReturnType<typeof loadStartConfig>;

/** Starts the demo catalogue node processes: kemrsl on its own, the small libraries hosted together. */
function startCatalogueNodes(config: StartConfig, pgliteDataDir: string, secret: string, logger: Logger) {
  const env = { ...childEnv(), INTERNAL_AUTH_SECRET: secret };
  return Promise.all(
    DEMO_CATALOGUE_NODES.map((node, i) =>
      spawnCatalogueNode(
        node.members,
        {
          ...env,
          CATALOGUE_PORT: String(config.catalogueBasePort === 0 ? 0 : config.catalogueBasePort + i),
          // An embedded database is one process's: each node process gets a data directory of its own.
          PGLITE_DATA_DIR: `${pgliteDataDir}-catalogue-${node.name}`,
        },
        logger,
      ),
    ),
  );
}

/** Loads a generated catalogue into every demo library whose catalogue is still empty. */
async function loadDemoCatalogues(
  nodes: CatalogueNodeProcess[],
  config: StartConfig,
  token: string,
  dataDir: string,
  logger: Logger,
) {
  const dir = ensureDir(join(dataDir, 'demo-catalogues'));
  await Promise.all(
    nodes.flatMap((node) =>
      [...node.endpoints].map(async ([member, endpoint]) => {
        if (config.catalogueRecords === 0 || (await catalogueSize(endpoint)) > 0) return;
        const spec = DEMO_CATALOGUE_NODES.find((n) => n.members.includes(member))!.exports[member]!;
        const file = join(dir, `${member}.iso`);
        await writeCatalogue({ member, records: config.catalogueRecords, ...spec, seed: 1, out: file });
        const report = await uploadCatalogue(endpoint, file, token);
        logger.info(
          { member, read: report.read, created: report.created, rejected: report.rejected },
          'demo catalogue loaded',
        );
      }),
    ),
  );
}

interface RegistrationData {
  memberByCode?: { id: string; catalogueNode: { endpointUrl: string } | null } | null;
}

/** Registers each demo node with the members subgraph, as a library joining the network would. */
async function registerNodes(membersUrl: string, secret: string, nodes: CatalogueNodeProcess[]): Promise<void> {
  const call = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(membersUrl, {
      method: 'POST',
      // The demo's operator registers the nodes: a coordinator's act, signed as the gateway would.
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity({ role: 'COORDINATOR' }, secret) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: RegistrationData; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(body.errors[0]!.message);
    return body.data!;
  };
  for (const node of nodes) {
    for (const [code, endpoint] of node.endpoints) {
      const { memberByCode } = await call(
        'query($code: String!) { memberByCode(code: $code) { id catalogueNode { endpointUrl } } }',
        { code },
      );
      if (!memberByCode || memberByCode.catalogueNode?.endpointUrl === endpoint) continue;
      await call(
        'mutation($id: ID!, $url: String!) { registerCatalogueNode(memberId: $id, endpointUrl: $url) { id } }',
        {
          id: memberByCode.id,
          url: endpoint,
        },
      );
    }
  }
}

/**
 * On a network without a coordinator's credential (a first start), outside production: issues a
 * coordinator's API key and leaves it in a file only this user can read — never in the output — so that
 * the demo's writes, exports and reported figures can be tried at once. Returns the file, or none.
 */
async function firstCoordinatorKey(
  membersUrl: string,
  secret: string,
  dir: string,
  nodeEnv: string,
): Promise<string | undefined> {
  const file = join(dir, 'coordinator-key');
  if (nodeEnv === 'production') return undefined;
  const active = (await listCredentials(membersUrl, secret)).some((c) => c.role === 'COORDINATOR' && !c.revokedAt);
  if (active) return existsSync(file) ? file : undefined;
  const { secret: key } = await issueCredential(membersUrl, secret, {
    role: 'COORDINATOR',
    label: 'npm start: first coordinator',
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return file;
}

/**
 * `npm start`: the subgraphs and the gateway in this process, the demo catalogue nodes in processes
 * of their own, on the embedded PostgreSQL unless a database URL is configured, with the demo network
 * seeded. Deployments run each service on its own (see docker-compose.yml).
 */
async function main(): Promise<void> {
  const started = performance.now();
  const configs = SUBGRAPHS.map((s) => loadOrExit(() => s.loadConfig()));
  const gatewayConfig = loadOrExit(() => loadGatewayConfig());
  const startConfig = loadOrExit(() => loadStartConfig());
  const logger = createLogger('start', gatewayConfig.logLevel);
  const pgliteDataDir = configs[0]!.pgliteDataDir;
  // One internal secret for every process of the network: configured, or kept beside the data.
  const secret = internalSecretOf({
    ...gatewayConfig,
    internalSecretFile: join(dirname(pgliteDataDir), 'internal-secret'),
  });

  const running: RunningSubgraph[] = [];
  // Started once the gateway answers, so their databases do not compete with the first answer for the CPU.
  let catalogueNodes: Promise<CatalogueNodeProcess[]> = Promise.resolve([]);
  const stopAll = async () => {
    const nodes = await catalogueNodes.catch(() => [] as CatalogueNodeProcess[]);
    await Promise.allSettled([...running.map((s) => s.stop()), ...nodes.map((n) => n.stop())]);
    for (const config of configs) {
      if (!config.databaseUrl) await (await startEmbeddedPostgres({ dataDir: config.pgliteDataDir })).stop();
    }
  };
  try {
    running.push(
      ...(await Promise.all(
        SUBGRAPHS.map((s, i) => startSubgraph(s.definition, { ...configs[i]!, internalSecret: secret })),
      )),
    );
    const byName = Object.fromEntries(running.map((s) => [s.name, s]));
    // The reference desk routes enquiries on undeclared topics to the reference section's members, asked of
    // the sections subgraph listening here: the demo's section unless REFERENCE_SECTION_ID names another.
    configureReferenceSection(
      referenceSectionSettings(undefined, {
        sectionId: startConfig.demoSeed ? sectionId('reference') : undefined,
        sectionsUrl: byName.sections!.url,
        secret,
      }),
    );
    if (startConfig.demoSeed) {
      const counts = await seedDemo({
        members: byName.members!.orm.em,
        sections: byName.sections!.orm.em,
        events: byName.events!.orm.em,
        reference: byName.reference!.orm.em,
      });
      logger.info(counts, 'demo network seeded');
    }
    const gateway = await startGateway({
      ...gatewayConfig,
      internalSecret: secret,
      subgraphUrls: { ...Object.fromEntries(running.map((s) => [s.name, s.url])), ...gatewayConfig.subgraphUrls },
    });
    const keyFile = await firstCoordinatorKey(
      byName.members!.url,
      secret,
      dirname(pgliteDataDir),
      gatewayConfig.nodeEnv,
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`gateway ready at ${gateway.url} (started in ${seconds} s)\n`);
    if (keyFile) process.stdout.write(`a coordinator's API key is in ${keyFile} (more: npm run auth -- issue)\n`);
    // The catalogue nodes join when they are up, as a library's node would: the graph answers meanwhile.
    catalogueNodes = startCatalogueNodes(startConfig, pgliteDataDir, secret, logger);
    void catalogueNodes
      .then(async (nodes) => {
        await registerNodes(byName.members!.url, secret, nodes);
        await gateway.refreshCatalogueNodes();
        if (startConfig.demoSeed) {
          // Empty demo catalogues are filled with generated records.
          const token = localToken(tokenFile(`${pgliteDataDir}-catalogue-${DEMO_CATALOGUE_NODES[0]!.name}`), true)!;
          await loadDemoCatalogues(nodes, startConfig, token, join(pgliteDataDir, '..'), logger);
        }
        process.stdout.write('demo catalogues ready\n');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'catalogue nodes not started'));
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'stopping');
      await gateway.stop();
      await stopAll();
      process.exit(0);
    };
    process.once('SIGINT', (s) => void shutdown(s));
    process.once('SIGTERM', (s) => void shutdown(s));
  } catch (error) {
    logger.fatal({ err: error }, 'start failed');
    await stopAll();
    process.exit(1);
  }
}

void main();
