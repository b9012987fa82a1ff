import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../platform/migrate';
import { createDatabase, type Database } from '../../store/database';

export interface TestDatabase {
  url: string;
  db: Database;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_POSTGRES_ADMIN_URL;
  if (!url) throw new Error('TEST_POSTGRES_ADMIN_URL saknas: kör testerna med `npm test`.');
  return url;
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = adminUrl().replace(/\/[^/]*$/, `/${name}`);
  await migrate(url);
  const db = createDatabase({ url, poolSize: 5 });
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
