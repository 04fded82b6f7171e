import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_UPLOAD_TOKEN, uploadBytes } from './testkit/catalogue';
import { graphql, graphqlOk } from './testkit/graphql';
import { startTestNetwork, type TestNetwork } from './testkit/network';

// Fixtures are read in place, never copied into the project.
const FIXTURES = join(__dirname, '../../shared/fixtures/marc');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

let network: TestNetwork;
let url: string;
const reports: Record<string, any> = {};

beforeAll(async () => {
  // kemrsl runs its own node; two small libraries share a hosted node, each in its own schema.
  network = await startTestNetwork('catalogue', {
    catalogueNodes: [['kemrsl'], ['tyazhin-mkuk', 'kem-lyceum23']],
    beforeGateway: async ({ catalogueNodes }) => {
      reports.kemrsl = await uploadBytes(catalogueNodes.kemrsl!, 'kemrsl', fixture('rusmarc-nlr-cp1251.iso'), {
        source: 'rusmarc-nlr-cp1251.iso',
      });
      reports.tyazhin = await uploadBytes(
        catalogueNodes['tyazhin-mkuk']!,
        'tyazhin-mkuk',
        fixture('marc21-rkp-cp1251.mrc'),
      );
      reports.lyceum = await uploadBytes(
        catalogueNodes['tyazhin-mkuk']!,
        'kem-lyceum23',
        fixture('irbis-exchange-utf8.txt'),
      );
    },
  });
  url = network.gateway.url;
});

afterAll(async () => {
  await network?.stop();
});

describe('catalogue nodes behind the gateway', () => {
  it('imported the fixtures with full reports', () => {
    expect(reports.kemrsl).toMatchObject({
      status: 'SUCCEEDED',
      read: 81,
      created: 81,
      rejected: 0,
      source: 'rusmarc-nlr-cp1251.iso',
    });
    expect(reports.tyazhin).toMatchObject({ status: 'SUCCEEDED', read: 6, created: 6, rejected: 0 });
    expect(reports.lyceum).toMatchObject({ status: 'SUCCEEDED', read: 3, created: 3, rejected: 0 });
  });

  it("shows a member's catalogue summary through the gateway", async () => {
    const data = await graphqlOk(
      url,
      `{
      kemrsl: memberByCode(code: "kemrsl") { catalogue { recordCount lastImportAt lastImport { read created source } status } }
      lyceum: memberByCode(code: "kem-lyceum23") { catalogue { recordCount } }
      none: memberByCode(code: "kemgik") { catalogue { recordCount } }
    }`,
    );
    expect(data.kemrsl.catalogue).toMatchObject({
      recordCount: 81,
      lastImport: { read: 81, created: 81, source: 'rusmarc-nlr-cp1251.iso' },
      status: 'ONLINE',
    });
    expect(data.lyceum.catalogue.recordCount).toBe(3);
    // kemgik runs no catalogue node: no catalogue, and no error either.
    expect(data.none.catalogue).toBeNull();
  });

  it('fetches a record from the node that owns it, with its owner from the members subgraph', async () => {
    const data = await graphqlOk(
      url,
      `{
      a: catalogueRecord(id: "kemrsl:RU\\\\NLR\\\\bibl\\\\3415") {
        id title year isbns { raw isbn13 } languages relations { kind title volume } holdings { location shelfmark }
        sourceFlavour sourceEncoding owner { code shortName }
      }
    }`,
    );
    expect(data.a).toMatchObject({
      id: 'kemrsl:RU\\NLR\\bibl\\3415',
      year: 1997,
      languages: ['rus'],
      sourceFlavour: 'RUSMARC',
      sourceEncoding: 'CP1251',
      owner: { code: 'kemrsl', shortName: 'КОНБ им. В. Д. Федорова' },
    });
    expect(data.a.title).toContain('Вып. 13');
    expect(data.a.isbns[0].isbn13).toBe('9785744300432');
    expect(data.a.relations).toEqual([expect.objectContaining({ kind: 'VOLUME_OF', title: 'Задачи и этюды' })]);
    expect(data.a.holdings).toEqual([expect.objectContaining({ location: 'NLR', shelfmark: '97-4/119' })]);
  });

  it('keeps hosted members apart', async () => {
    const hosted = network.catalogueNodes['tyazhin-mkuk']!;
    const [tyazhin, lyceum] = await Promise.all(
      ['tyazhin-mkuk', 'kem-lyceum23'].map((code) =>
        graphqlOk(
          hosted.endpoint(code),
          '{ catalogueSearch(query: "", first: 100) { total hits { record { id owner { code } } } } }',
        ),
      ),
    );
    expect(tyazhin!.catalogueSearch.total).toBe(6);
    expect(lyceum!.catalogueSearch.total).toBe(3);
    for (const hit of tyazhin!.catalogueSearch.hits) expect(hit.record.id).toMatch(/^tyazhin-mkuk:/);
    // A record id of the other hosted member is not found through this member's endpoint.
    const foreign = lyceum!.catalogueSearch.hits[0].record.id as string;
    const crossed = await graphqlOk(
      hosted.endpoint('tyazhin-mkuk'),
      'query($id: ID!) { catalogueRecord(id: $id) { id } }',
      { id: foreign },
    );
    expect(crossed.catalogueRecord).toBeNull();
  });

  it('searches every node through the gateway', async () => {
    const data = await graphqlOk(url, '{ catalogueSearch(query: "", first: 100) { total hits { record { id } } } }');
    expect(data.catalogueSearch.total).toBe(81 + 6 + 3);
  });

  it('answers an unknown owner with null and a coded error', async () => {
    const result = await graphql(url, '{ catalogueRecord(id: "nobody:1") { id } }');
    expect(result.data).toEqual({ catalogueRecord: null });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CATALOGUE_NODE_UNKNOWN', member: 'nobody' });
  });
});

describe('import and export over HTTP', () => {
  it('re-imports idempotently', async () => {
    const again = await uploadBytes(network.catalogueNodes.kemrsl!, 'kemrsl', fixture('rusmarc-nlr-cp1251.iso'));
    expect(again).toMatchObject({ read: 81, created: 0, updated: 0, unchanged: 81, rejected: 0 });
  });

  it('imports the good records of a corrupted file and reports each bad one with its position', async () => {
    const bytes = Buffer.from(fixture('rusmarc-nlr-cp1251.iso'));
    // Break the third record's length digits and cut the file inside its last record.
    const starts = [0];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x1d && i + 1 < bytes.length) starts.push(i + 1);
    bytes.write('99999', starts[2]!, 'latin1');
    const truncated = bytes.subarray(0, bytes.length - 40);
    const node = network.catalogueNodes['tyazhin-mkuk']!;
    const report = await uploadBytes(node, 'kem-lyceum23', truncated);
    expect(report.rejected).toBe(2);
    expect(report.read).toBe(81);
    expect(report.created).toBe(79);
    expect(report.rejections).toEqual([
      expect.objectContaining({ index: 3, offset: starts[2] }),
      expect.objectContaining({ index: 81, offset: starts[80] }),
    ]);
    for (const r of report.rejections) expect(r.reason).toEqual(expect.any(String));
  });

  it('refuses uploads without the token and for members the node does not serve', async () => {
    const node = network.catalogueNodes.kemrsl!;
    const anonymous = await fetch(`${node.baseUrl}/members/kemrsl/import`, { method: 'POST', body: 'x' });
    expect(anonymous.status).toBe(401);
    const elsewhere = await fetch(`${node.baseUrl}/members/kemgik/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_UPLOAD_TOKEN}` },
      body: 'x',
    });
    expect(elsewhere.status).toBe(404);
  });

  it.each(['marcxml', 'iso2709'])('exports as %s and imports the export back with nothing changed', async (format) => {
    const node = network.catalogueNodes.kemrsl!;
    const response = await fetch(`${node.baseUrl}/members/kemrsl/export?format=${format}`, {
      headers: { authorization: `Bearer ${TEST_UPLOAD_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const exported = Buffer.from(await response.arrayBuffer());
    const report = await uploadBytes(node, 'kemrsl', exported);
    expect(report).toMatchObject({ read: 81, created: 0, updated: 0, unchanged: 81, rejected: 0 });
  });

  // Asynchronously: the nodes run in this process and must keep answering while the CLI talks to them.
  it('runs the import CLI with a progress bar and a report', async () => {
    const run = async (args: string[], env: Record<string, string>) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { env, encoding: 'utf8' });
        return { status: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { status: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };
    const dir = mkdtempSync(join(tmpdir(), 'kbg-cli-'));
    try {
      const cli = join(__dirname, '../dist/subgraphs/catalogue/cli.js');
      const node = network.catalogueNodes['tyazhin-mkuk']!;
      const env = { CATALOGUE_UPLOAD_TOKEN: TEST_UPLOAD_TOKEN, PGLITE_DATA_DIR: join(dir, 'pglite') };
      const imported = await run(
        [cli, 'import', join(FIXTURES, 'marc21-batch.xml'), '--member', 'tyazhin-mkuk', '--node', node.baseUrl],
        env,
      );
      expect(imported.stderr).not.toMatch(/error|failed/i);
      expect(imported.status).toBe(0);
      expect(imported.stdout).toMatch(/read 2, created 2, updated 0, unchanged 0, deleted 0, rejected 0/);
      const out = join(dir, 'export.xml');
      const exported = await run(
        [cli, 'export', '--member', 'tyazhin-mkuk', '--format', 'marcxml', '--out', out, '--node', node.baseUrl],
        env,
      );
      expect(exported.status).toBe(0);
      expect((readFileSync(out, 'utf8').match(/<record/g) ?? []).length).toBe(6 + 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
