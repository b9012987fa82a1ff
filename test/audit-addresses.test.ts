import { addressIdOf } from '../store/audit';
import { createTestDatabase, type TestDatabase } from './support/database';

// The audit log names an address by the id of its EmailAddress row, made on first use. Many
// e-mails to one address (a coordinator's, a signatory's in many promises) close at the same
// moment, each in its own transaction: every one must get the same id, and none may fail.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

test('one address first used by twenty transactions at once: one row, one id, no failure', async () => {
  const { db } = database;
  const ids = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      db.$transaction(async (tx) => {
        const id = await addressIdOf(tx, i % 2 ? 'Samma.Person@lessebo.example' : ' samma.person@lessebo.example');
        // Held open a moment, as a transaction that records more after it does.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return id;
      }),
    ),
  );
  expect(new Set(ids).size).toBe(1);
  expect(await db.emailAddress.count({ where: { address: 'samma.person@lessebo.example' } })).toBe(1);
});
