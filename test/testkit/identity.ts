import { IDENTITY_HEADER, type Identity, signIdentity } from '../../lib/identity';

/** The internal secret every service started by the tests shares (lib/identity.ts). */
export const TEST_INTERNAL_SECRET = 'test-internal-secret-0123456789abcdefghij';

/** Headers that make a request to a subgraph or node look signed by the gateway for `identity`. */
export const signedAs = (identity: Identity): Record<string, string> => ({
  [IDENTITY_HEADER]: signIdentity(identity, TEST_INTERNAL_SECRET),
});

/** Headers of a request that carries no signature at all. */
export const UNSIGNED: Record<string, string> = { [IDENTITY_HEADER]: '' };
