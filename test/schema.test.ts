import { join } from 'node:path';
import { buildSchemaFiles, readSchemaFiles } from '../scripts/compose';

// The SDL files and the supergraph are generated from the code (`npm run compose`) and committed;
// the gateway serves the committed supergraph, so a drift here means the gateway serves a stale graph.
describe('schema/', () => {
  it('matches what the code produces and composes', async () => {
    const generated = await buildSchemaFiles();
    const committed = readSchemaFiles(join(__dirname, '../schema'), Object.keys(generated));
    for (const [file, content] of Object.entries(generated)) {
      expect({ file, content: committed[file] }).toEqual({ file, content });
    }
  });
});
