import { dirname, join } from 'node:path';

/**
 * Where a node without a configured upload token keeps the one it generated, so the import CLI on
 * the same machine finds it (the demo works with no setup). Production sets CATALOGUE_UPLOAD_TOKEN.
 */
export function tokenFile(pgliteDataDir: string): string {
  return join(dirname(pgliteDataDir), 'catalogue-upload-token');
}

export { localToken, tokenMatches } from '../../lib/secrets';
