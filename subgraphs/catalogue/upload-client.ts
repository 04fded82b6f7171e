import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ImportProgress, ImportReport } from './import';

export interface UploadOptions {
  /** Base URL of the member's catalogue on its node, `…/members/<code>`. */
  base: string;
  token: string;
  file: string;
  /** Query parameters of the import endpoint (source, format, encoding, flavour, delete). */
  query: URLSearchParams;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Streams a file to a node's import endpoint and follows its NDJSON answer: progress lines, then the
 * report. Throws when the node refuses the upload or closes without a report.
 */
export async function uploadImport(options: UploadOptions): Promise<ImportReport> {
  const response = await fetch(`${options.base}/import?${options.query.toString()}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/octet-stream' },
    body: Readable.toWeb(createReadStream(options.file, { highWaterMark: 1 << 20 })) as ReadableStream,
    duplex: 'half',
  });
  if (!response.ok || !response.body) {
    throw new Error(`The node refused the import (${response.status}): ${await response.text()}`);
  }
  let buffered = '';
  let report: ImportReport | undefined;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += Buffer.from(chunk).toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, newline)) as { progress?: ImportProgress; report?: ImportReport };
      buffered = buffered.slice(newline + 1);
      if (line.progress) options.onProgress?.(line.progress);
      if (line.report) report = line.report;
    }
  }
  if (!report) throw new Error('The node closed the connection without a report');
  return report;
}
