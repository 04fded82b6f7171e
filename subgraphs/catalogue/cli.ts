import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { loadOrExit } from '../../lib/config';
import { loadCatalogueCliConfig } from './config';
import type { ImportReport } from './import';
import { uploadImport } from './upload-client';
import { localToken, tokenFile } from './token';

const config = loadOrExit(() => loadCatalogueCliConfig());

/** Finds the base URL of the node that serves `member`: flag, environment, or the member registry. */
async function nodeBase(member: string, flag: string | undefined): Promise<string> {
  const explicit = flag ?? config.nodeUrl;
  if (explicit) return `${explicit.replace(/\/+$/, '')}/members/${member}`;
  let endpoint: string | undefined;
  try {
    const response = await fetch(config.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query($code: String!) { memberByCode(code: $code) { catalogueNode { endpointUrl } } }',
        variables: { code: member },
      }),
    });
    const body = (await response.json()) as {
      data?: { memberByCode: { catalogueNode: { endpointUrl: string } | null } | null };
    };
    if (!body.data?.memberByCode) throw new Error(`no member with code "${member}" in the registry`);
    endpoint = body.data.memberByCode.catalogueNode?.endpointUrl;
    if (!endpoint) throw new Error(`member "${member}" has no catalogue node registered`);
  } catch (error) {
    throw new Error(
      `Cannot find the catalogue node of "${member}" through ${config.gatewayUrl}: ${(error as Error).message}. ` +
        'Start the network (npm start) or pass --node <url>.',
    );
  }
  const url = new URL(endpoint);
  return url.pathname.endsWith(`/members/${member}/graphql`)
    ? endpoint.replace(/\/graphql$/, '')
    : `${url.origin}/members/${member}`;
}

function token(flag: string | undefined): string {
  const value = flag ?? config.uploadToken ?? localToken(tokenFile(config.pgliteDataDir), false);
  if (!value) throw new Error('No upload token: set CATALOGUE_UPLOAD_TOKEN or pass --token');
  return value;
}

function printReport(report: ImportReport): void {
  const lines = [
    `import ${report.status.toLowerCase()}: ${report.source}`,
    `  read ${report.read}, created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, ` +
      `deleted ${report.deleted}, rejected ${report.rejected}`,
    `  took ${((Date.parse(String(report.finishedAt)) - Date.parse(String(report.startedAt))) / 1000).toFixed(1)} s`,
    ...report.rejections.slice(0, 50).map((r) => `  rejected record ${r.index} at byte ${r.offset}: ${r.reason}`),
    ...(report.rejections.length > 50 ? [`  … and ${report.rejections.length - 50} more rejections`] : []),
    ...(report.error ? [`  error: ${report.error}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function importFile(
  file: string,
  opts: {
    member: string;
    format?: string;
    encoding?: string;
    flavour?: string;
    delete?: string;
    node?: string;
    token?: string;
  },
): Promise<void> {
  const size = statSync(file).size;
  const base = await nodeBase(opts.member, opts.node);
  const query = new URLSearchParams({ source: basename(file) });
  if (opts.format) query.set('format', opts.format);
  if (opts.encoding) query.set('encoding', opts.encoding);
  if (opts.flavour) query.set('flavour', opts.flavour);
  if (opts.delete) {
    const list = readFileSync(opts.delete, 'utf8').split(/\s+/).filter(Boolean);
    query.set('delete', list.join(','));
  }
  const bar = new SingleBar({
    format: '{bar} {percentage}% | {records} records | {rate} rec/s | ETA {eta_formatted}',
    etaBuffer: 20,
    hideCursor: true,
  });
  bar.start(size, 0, { records: 0, rate: 0 });
  const started = Date.now();
  let report: ImportReport;
  try {
    report = await uploadImport({
      base,
      token: token(opts.token),
      file,
      query,
      onProgress: (progress) => {
        const seconds = (Date.now() - started) / 1000;
        bar.update(progress.offset, {
          records: progress.read,
          rate: Math.round(progress.read / Math.max(seconds, 0.001)),
        });
      },
    });
    bar.update(size, { records: report.read });
  } finally {
    bar.stop();
  }
  printReport(report);
  if (report.status === 'FAILED') process.exitCode = 1;
}

async function exportFile(opts: { member: string; format: string; out: string; node?: string; token?: string }) {
  const base = await nodeBase(opts.member, opts.node);
  const response = await fetch(`${base}/export?format=${encodeURIComponent(opts.format)}`, {
    headers: { authorization: `Bearer ${token(opts.token)}` },
  });
  if (!response.ok || !response.body) throw new Error(`Export failed (${response.status}): ${await response.text()}`);
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(opts.out));
  process.stdout.write(`exported ${opts.member} as ${opts.format} to ${opts.out} (${statSync(opts.out).size} bytes)\n`);
}

const program = new Command('catalogue').description('Import into and export from a member’s catalogue node');
const nodeOption = new Option('--node <url>', 'base URL of the catalogue node (default: found in the registry)');
const tokenOption = new Option(
  '--token <token>',
  'upload token (default: CATALOGUE_UPLOAD_TOKEN or the local token file)',
);

program
  .command('import')
  .description('Import an ISO 2709, MARCXML or IRBIS file (streamed; bad records are reported, good ones kept)')
  .argument('<file>', 'the export file')
  .requiredOption('--member <code>', 'member code of the catalogue')
  .addOption(new Option('--format <format>', 'force the format').choices(['ISO2709', 'MARCXML', 'IRBIS']))
  .addOption(new Option('--encoding <encoding>', 'force the encoding').choices(['UTF-8', 'CP1251', 'MARC-8']))
  .addOption(new Option('--flavour <flavour>', 'force the MARC flavour').choices(['MARC21', 'RUSMARC', 'UNIMARC']))
  .option('--delete <file>', 'a file of control numbers to delete, separated by spaces or new lines')
  .addOption(nodeOption)
  .addOption(tokenOption)
  .action(importFile);

program
  .command('export')
  .description('Export a member’s catalogue as MARCXML or UTF-8 ISO 2709')
  .requiredOption('--member <code>', 'member code of the catalogue')
  .addOption(new Option('--format <format>', 'output format').choices(['marcxml', 'iso2709']).default('marcxml'))
  .requiredOption('--out <file>', 'where to write')
  .addOption(nodeOption)
  .addOption(tokenOption)
  .action(exportFile);

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
