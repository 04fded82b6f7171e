import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphql } from 'graphql';
import { buildCatalogueSchema } from '../../subgraphs/catalogue/schema';
import { expectedCatalogueSchema, schemaIncompatibilities } from './schema-check';

describe('catalogue node schema check', () => {
  let sdl: string;
  const expected = expectedCatalogueSchema(
    readFileSync(join(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
    'catalogue',
  )!;

  beforeAll(async () => {
    const result = await graphql({ schema: await buildCatalogueSchema(), source: '{ _service { sdl } }' });
    sdl = (result.data as { _service: { sdl: string } })._service.sdl;
  });

  it('accepts the node this code builds, and a newer one that serves more', () => {
    expect(schemaIncompatibilities(expected, sdl)).toEqual([]);
    const newer = sdl.replace('type CatalogueHolder', 'type CatalogueShelf { place: String }\n\ntype CatalogueHolder');
    expect(schemaIncompatibilities(expected, newer)).toEqual([]);
  });

  it('names what an older or different node would break', () => {
    const older = sdl
      .replace(/heldBy: \[CatalogueHolder!\]!/, 'holders: [CatalogueHolder!]!')
      .replace(/^(\s+)EDITION$/m, '$1WORK');
    expect(schemaIncompatibilities(expected, older)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/CatalogueHit\.heldBy was removed/),
        expect.stringMatching(/EDITION was removed/),
      ]),
    );
  });
});
