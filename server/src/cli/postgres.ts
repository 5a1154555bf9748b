import pg from 'pg';

/** Connects once and says which server answered, or throws why it could not. */
export async function postgresReachable(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    // SHOW names its one column after the setting.
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? '?'} answers at ${new URL(url).host}`;
  } catch (error) {
    throw new Error(`PostgreSQL at ${new URL(url).host} cannot be reached: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}
