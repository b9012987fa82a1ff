import type { Database } from '../../store/database';

/** Retries an assertion until it passes: for effects that land just after what the test awaited. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Waits until no e-mail is still on its way: each one's outbox row and audit event are written
 * just after the mailbox receives it, so a test that counts rows starts from here.
 */
export const outboxSettled = (db: Database) =>
  eventually(async () => expect(await db.emailOutbox.count({ where: { status: 'PENDING' } })).toBe(0));
