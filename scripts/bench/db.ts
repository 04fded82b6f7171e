import pg from 'pg';

/** The URL of another database on the same server. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `work` on a fresh connection to `url`, then closes it. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops (whoever is connected) and creates a database. */
export async function recreateDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    await c.query(`drop database if exists ${database} with (force)`);
    await c.query(`create database ${database}`);
  });
}

/**
 * The mark a benchmark left on a database it finished loading (its comment), to reuse the data on the
 * next run; null when there is none.
 */
export async function databaseMark(adminUrl: string, database: string): Promise<string | null> {
  return withClient(adminUrl, async (c) => {
    const r = await c.query<{ comment: string | null }>(
      `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
      [database],
    );
    return r.rows[0]?.comment ?? null;
  });
}

export async function markDatabase(adminUrl: string, database: string, mark: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`comment on database ${database} is '${mark.replace(/'/g, "''")}'`));
}

/** The server's version and shared_buffers, for the machine line of a result. */
export async function serverDescription(adminUrl: string): Promise<string> {
  return withClient(adminUrl, async (c) => {
    const r = await c.query<{ v: string; sb: string }>(
      `select split_part(version(), ' on ', 1) as v, current_setting('shared_buffers') as sb`,
    );
    return `${r.rows[0]!.v} (shared_buffers ${r.rows[0]!.sb})`;
  });
}
