import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '../platform/migrate';
import { createTestDatabase, type TestDatabase } from './support/database';

// The audit log cannot be rewritten: not by UPDATE or DELETE (row triggers), not by TRUNCATE (a
// statement trigger), and, with the two-role set-up of the README, not by the application's role
// at all, which owns nothing and so cannot drop or disable a trigger.

let database: TestDatabase;
const role = `app_${randomBytes(4).toString('hex')}`;
let appUrl: string;

async function run(url: string, sql: string, params: unknown[] = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  await run(database.url, `CREATE ROLE ${role} LOGIN PASSWORD 'test'`);
  const grants = readFileSync(join(__dirname, '..', 'prisma', 'roles', 'application-role.sql'), 'utf8').replaceAll(
    'medborgarlofte_app',
    role,
  );
  await run(database.url, grants);
  const url = new URL(database.url);
  url.username = role;
  url.password = 'test';
  appUrl = url.toString();
});
afterAll(async () => {
  await database?.drop();
  await run(process.env.TEST_POSTGRES_ADMIN_URL!, `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
});

const addEvent = (url: string) => run(url, `INSERT INTO "AuditEvent" (actor, action) VALUES ('SYSTEM:test', 'TEST')`);

test('TRUNCATE of the audit log is refused, even for its owner', async () => {
  await addEvent(database.url);
  // Alone, the origins' foreign key already stops it; with them, the log's own trigger does.
  await expect(run(database.url, 'TRUNCATE "AuditEvent"')).rejects.toThrow(/foreign key|främmande nyckel/);
  await expect(run(database.url, 'TRUNCATE "AuditEvent", "AuditOrigin"')).rejects.toThrow(/bara för tillägg: TRUNCATE/);
  await expect(run(database.url, 'TRUNCATE "AuditEvent" CASCADE')).rejects.toThrow(/bara för tillägg: TRUNCATE/);
  expect(Number((await run(database.url, 'SELECT count(*) FROM "AuditEvent"')).rows[0].count)).toBeGreaterThan(0);
});

test("the application's role adds to the audit log and reads it, and can do nothing else to it", async () => {
  await addEvent(appUrl);
  expect((await run(appUrl, 'SELECT action FROM "AuditEvent"')).rows.length).toBeGreaterThan(0);
  for (const sql of ['UPDATE "AuditEvent" SET action = \'X\'', 'DELETE FROM "AuditEvent"', 'TRUNCATE "AuditEvent"']) {
    await expect(run(appUrl, sql)).rejects.toThrow(/permission denied|åtkomst nekad/);
  }
  await expect(run(appUrl, 'ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner|måste vara ägare/);
  await expect(run(appUrl, 'DROP TRIGGER "AuditEvent_append_only" ON "AuditEvent"')).rejects.toThrow(/must be owner|måste vara ägare/);
  // The rest of the data is the application's to write.
  await expect(run(appUrl, 'UPDATE "Promise" SET "statusReason" = NULL WHERE false')).resolves.toBeDefined();
});

test("a worker on the application's role starts against an up-to-date database: nothing to migrate, nothing refused", async () => {
  await expect(migrate(appUrl)).resolves.toMatchObject({ applied: [] });
});
