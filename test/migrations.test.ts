import { SUBGRAPHS } from '../scripts/network';
import { createTestDatabase } from './testkit/database';
import { startTestSubgraph } from './testkit/subgraph';

// Migrations are hand-written SQL; the entities are what the code reads and writes. After the
// migrations, MikroORM's schema diff must ask for no table or column change. Indexes, check
// constraints and the generated full-text `search` columns live only in the migrations, so their
// statements are expected in the diff and ignored here.
const TABLE_OR_COLUMN_CHANGE = /create table|drop table|add column|alter column|drop column (?!"search")|rename/i;

/**
 * MikroORM reads the whole database's catalogue to diff one schema. On the embedded database other test
 * files drop their schemas meanwhile, and a table listed a moment ago may be gone (undefined_table,
 * 42P01): read again. A real PostgreSQL gives each test file a database of its own.
 */
async function schemaDiff(read: () => Promise<string>): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if ((error as { code?: string }).code !== '42P01' || attempt === 5) throw error;
    }
  }
}

describe.each(SUBGRAPHS.map((s) => [s.definition.name, s] as const))('%s migrations', (_name, subgraph) => {
  it('create every table and column the entities map', async () => {
    const db = await createTestDatabase(`migrations_${subgraph.definition.name}`);
    // On the embedded database other test files' schemas sit beside ours: look at ours only.
    const schema = `"${db.schema(subgraph.definition.name)}".`;
    const running = await startTestSubgraph(subgraph.definition, db);
    try {
      const diff = await schemaDiff(() =>
        running.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true }),
      );
      const changes = diff.split('\n').filter((line) => line.includes(schema) && TABLE_OR_COLUMN_CHANGE.test(line));
      expect(changes).toEqual([]);
      // Applying them again is a no-op.
      expect(await running.orm.getMigrator().getPendingMigrations()).toEqual([]);
    } finally {
      await running.stop();
      await db.drop();
    }
  });
});
