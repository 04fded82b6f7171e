import type express from 'express';
import { memberImportPath } from '../../lib/catalogue-protocol';
import { ErrorCode } from '../../lib/errors';
import { type Identity, actsForCode } from '../../lib/identity';
import { type AuditRecorder, auditEntry } from '../audit';
import { refuseAdmission } from '../auth';
import type { CatalogueRegistry } from './registry';
import type { Upstream } from '../upstream';

/**
 * `POST /catalogue/<member>/import?format=&flavour=&encoding=&source=&delete=`: a member's editor (or a
 * coordinator) imports a catalogue file with an API key, through the gateway. The file streams on to the
 * member's node with the caller's signed identity; the node's NDJSON progress and report stream back. The
 * import is in the audit log with the report's status.
 */
export function catalogueImport(options: {
  registry: CatalogueRegistry;
  admit: (req: express.Request) => Promise<Identity>;
  upstream: Upstream;
  /** How long the exchange with the node may go without a byte either way (CATALOGUE_IMPORT_IDLE_MS). */
  idleMs: number;
  record: AuditRecorder;
}): express.RequestHandler {
  return async (req, res) => {
    const member = String(req.params.member ?? '');
    let identity: Identity;
    try {
      identity = await options.admit(req);
    } catch (error) {
      return refuseAdmission(res, error, 'json');
    }
    const args = {
      member,
      ...Object.fromEntries(Object.entries(req.query).filter((e): e is [string, string] => typeof e[1] === 'string')),
    };
    const refuse = (status: number, error: string, outcome: string) => {
      void options.record([auditEntry(identity, 'catalogueImport', args, outcome)]);
      res.status(status).json({ error });
    };
    if (!actsForCode(identity, member)) {
      return refuse(
        identity.role === 'ANONYMOUS' ? 401 : 403,
        `Importing into the catalogue of ${member} needs a coordinator's key or an editor key of ${member}`,
        identity.role === 'ANONYMOUS' ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN,
      );
    }
    const node = options.registry.node(member);
    if (!node) return refuse(404, `No catalogue node is registered for ${member}`, ErrorCode.CATALOGUE_NODE_UNKNOWN);
    const target = new URL(memberImportPath(member), node.url);
    target.search = new URL(req.originalUrl, 'http://gateway').search;
    let answer;
    try {
      answer = await options.upstream.stream(target, req, {
        identity,
        contentType: req.header('content-type') ?? 'application/octet-stream',
        idleMs: options.idleMs,
      });
    } catch (error) {
      const reason = (error as Error).message;
      return refuse(
        502,
        `The catalogue node of ${member} is unavailable: ${reason}`,
        ErrorCode.CATALOGUE_NODE_UNAVAILABLE,
      );
    }
    res.status(answer.statusCode ?? 502);
    res.setHeader('content-type', answer.headers['content-type'] ?? 'application/json');
    let tail = '';
    answer.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-65_536);
      res.write(chunk);
    });
    // The node stopped sending mid-answer (idle limit, a crash): the client sees the stream cut, the audit log why.
    answer.once('error', (error: Error) => {
      void options.record([auditEntry(identity, 'catalogueImport', args, ErrorCode.CATALOGUE_NODE_UNAVAILABLE)]);
      res.destroy(error);
    });
    answer.on('end', () => {
      res.end();
      // The last line is the report: its status is the import's outcome.
      let outcome = answer.statusCode === 200 ? 'ERROR' : `HTTP_${answer.statusCode}`;
      try {
        const last = tail.trim().split('\n').at(-1) ?? '';
        const status = (JSON.parse(last) as { report?: { status?: string } }).report?.status;
        if (status) outcome = status === 'SUCCEEDED' ? 'OK' : status;
      } catch {
        // Not a report: the outcome stays the HTTP status.
      }
      void options.record([auditEntry(identity, 'catalogueImport', args, outcome)]);
    });
  };
}
