import { TEST_INTERNAL_SECRET } from './identity';
import { generateRecords } from '../../scripts/catalogue-generator';
import { createLogger } from '../../lib/logger';
import { startCatalogueNode, type RunningCatalogueNode } from '../../subgraphs/catalogue/node';
import { loadTestConfig } from './config';
import type { TestDatabase } from './database';

export const TEST_UPLOAD_TOKEN = 'test-upload-token-0123456789';

/** A catalogue node on port 0 serving `members`, each in a schema of its own inside the test database. */
export function startTestCatalogueNode(db: TestDatabase, members: string[]): Promise<RunningCatalogueNode> {
  return startCatalogueNode(
    {
      members,
      host: '127.0.0.1',
      port: 0,
      databaseUrl: db.url,
      schemaPrefix: db.schema(`catalogue_${members[0]!.replace(/-/g, '_')}`),
      uploadToken: TEST_UPLOAD_TOKEN,
      batchSize: 500,
      batchConcurrency: 64,
      pgliteDataDir: '',
      logLevel: 'silent',
      nodeEnv: 'test',
      internalSecret: TEST_INTERNAL_SECRET,
      internalSecretFile: '',
    },
    { logger: createLogger('catalogue', loadTestConfig().TEST_LOG_LEVEL) },
  );
}

/** Uploads bytes to a member's import endpoint and returns the final report line. */
export async function uploadBytes(
  node: RunningCatalogueNode,
  member: string,
  bytes: Buffer | string,
  query: Record<string, string> = {},
): Promise<any> {
  const response = await fetch(`${node.baseUrl}/members/${member}/import?${new URLSearchParams(query).toString()}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_UPLOAD_TOKEN}`, 'content-type': 'application/octet-stream' },
    body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`import failed (${response.status}): ${text}`);
  return (JSON.parse(text.trim().split('\n').at(-1)!) as { report: unknown }).report;
}

/** A generated catalogue (RUSMARC, UTF-8 ISO 2709): `shared` of its editions are held by other libraries too. */
export function generatedCatalogue(member: string, records: number, seed: number, shared = 0.5): Buffer {
  return Buffer.concat([...generateRecords({ member, records, seed, flavour: 'RUSMARC', encoding: 'UTF-8', shared })]);
}
