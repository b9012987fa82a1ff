import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

// Applies prisma/migrations/*/migration.sql in name order, each in its own transaction, and
// records them in _app_migrations. An advisory lock lets several workers start at once safely.
// We apply the SQL ourselves because Prisma's migrate needs an engine binary that closed networks
// cannot download.

export const MIGRATIONS_DIR = join(__dirname, '..', 'prisma', 'migrations');
const LOCK_ID = 7_120_400_001;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(databaseUrl: string, log: (line: string) => void = () => {}): Promise<MigrationResult> {
  const migrations = readdirSync(MIGRATIONS_DIR)
    .filter((name) => existsSync(join(MIGRATIONS_DIR, name, 'migration.sql')))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });

  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    // Only created when missing: the application's role (README: two roles) may read it, not create.
    const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('"_app_migrations"') IS NOT NULL AS exists`);
    if (!rows[0]!.exists) {
      await client.query(`CREATE TABLE "_app_migrations" (
        name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    }
    const done = new Map(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM "_app_migrations"')).rows.map((row) => [
        row.name,
        row.checksum,
      ]),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = done.get(migration.name);
      if (previous) {
        if (previous !== migration.checksum) {
          throw new Error(`Migreringen ${migration.name} har ändrats efter att den kördes. Lägg ändringar i en ny migrering.`);
        }
        continue;
      }
      log(`migrering ${migration.name}`);
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO "_app_migrations" (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migreringen ${migration.name} misslyckades: ${(error as Error).message}`);
      }
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
