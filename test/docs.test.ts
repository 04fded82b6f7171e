import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDoc } from '../scripts/env-docs';

describe('docs/ARCHITECTURE.md', () => {
  it('lists every configuration variable exactly as the config schemas define them', () => {
    const doc = readFileSync(join(__dirname, '../docs/ARCHITECTURE.md'), 'utf8');
    // Run `npm run docs:env` after changing a config schema.
    expect(doc).toEqual(renderDoc(doc));
  });
});
