import { randomBytes } from 'node:crypto';
import { IDENTITY_HEADER, signIdentity } from '../../lib/identity';

/** The internal secret of the processes a benchmark starts (fresh for every run). */
export const BENCH_INTERNAL_SECRET = randomBytes(24).toString('base64url');

/** Headers of a request sent straight to a node, signed as the gateway would sign a coordinator's. */
export const signedHeaders = (): Record<string, string> => ({
  'content-type': 'application/json',
  [IDENTITY_HEADER]: signIdentity({ role: 'COORDINATOR' }, BENCH_INTERNAL_SECRET),
});
