import { createReadStream } from 'node:fs';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
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
 *
 * node:http rather than fetch: Node 20's fetch reads a request body ahead of the network (a 650 MB file
 * ended up in memory while a node took minutes to import it); a piped stream sends only as fast as the
 * node reads, so the uploader's memory stays flat.
 */
export async function uploadImport(options: UploadOptions): Promise<ImportReport> {
  const url = new URL(`${options.base}/import?${options.query.toString()}`);
  const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/octet-stream' },
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  // The node may answer (and refuse) before the whole file is sent: then stop sending.
  const sent = pipeline(createReadStream(options.file, { highWaterMark: 1 << 20 }), request).catch(() => undefined);
  const response = await answered;
  let text = '';
  let report: ImportReport | undefined;
  if (response.statusCode !== 200) {
    for await (const chunk of response) text += (chunk as Buffer).toString('utf8');
    request.destroy();
    throw new Error(`The node refused the import (${response.statusCode}): ${text}`);
  }
  for await (const chunk of response) {
    text += (chunk as Buffer).toString('utf8');
    let newline: number;
    while ((newline = text.indexOf('\n')) >= 0) {
      const line = JSON.parse(text.slice(0, newline)) as { progress?: ImportProgress; report?: ImportReport };
      text = text.slice(newline + 1);
      if (line.progress) options.onProgress?.(line.progress);
      if (line.report) report = line.report;
    }
  }
  await sent;
  if (!report) throw new Error('The node closed the connection without a report');
  return report;
}
