import { GENERATED_FILE, generateClientTypes, readGeneratedFile } from '../scripts/codegen';

describe('the typed client example (examples/client)', () => {
  it('has the types GraphQL Code Generator makes now from docs/examples and the public schema', async () => {
    // Run `npm run codegen` after changing an example operation or the schema.
    expect({ file: GENERATED_FILE, content: readGeneratedFile() }).toEqual({
      file: GENERATED_FILE,
      content: await generateClientTypes(),
    });
  });
});
