import { Migration } from '@mikro-orm/migrations';

/**
 * A migration written without schema names: it runs with `search_path` set to the service's
 * configured schema, so the same migration serves `members` in production and `members_t3` in a test.
 * `set local` keeps the setting inside the migration's transaction (PGlite shares one session
 * between connections, so a session-wide `set` would leak into other services).
 */
export abstract class SchemaMigration extends Migration {
  abstract statements(): string[];

  override up(): void {
    const schema = this.config.get('schema');
    if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${String(schema)}`);
    this.addSql(`set local search_path to "${schema}"`);
    for (const statement of this.statements()) this.addSql(statement);
  }
}
