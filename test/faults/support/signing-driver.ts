import type { ReceivedMail } from '../../../platform/embedded/mailbox';
import { findSigningAccess } from '../../../store/signing';
import { pageHash, type client } from '../../support/http';
import { subjectsStartingWith } from '../../support/promises';
import type { FaultStack } from './stack';

// Signatories as people are: each opens the link in the e-mail they got and signs, whatever the
// worker is going through; a page that fails is tried again a moment later.

export const linkPath = (mail: ReceivedMail): string => /\/sign\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];

export interface SigningDriver {
  /** Requests whose signing page answered "Tack för din signatur". */
  signed: Set<string>;
  /** Every signing page load and post that failed and was tried again. */
  retried: number;
}

/**
 * Signs every request e-mailed for these promises, until each is ACTIVE or the time is up; through
 * the API's given addresses in turn, as a load balancer spreads people over them.
 */
export async function signEverything(
  stack: FaultStack,
  promiseIds: string[],
  timeoutMs: number,
  through: ReturnType<typeof client>[] = [stack.anonymous],
): Promise<SigningDriver> {
  const driver: SigningDriver = { signed: new Set(), retried: 0 };
  const handled = new Set<string>();
  let attempts = 0;
  const mine = new Set(promiseIds);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const active = await stack.db.promiseRecord.count({ where: { id: { in: promiseIds }, status: 'ACTIVE' } });
    if (active === promiseIds.length) return driver;
    for (const mail of subjectsStartingWith(stack.mailbox.messages, 'Signera medborgarlöftet')) {
      const path = linkPath(mail);
      if (handled.has(path)) continue;
      const access = await findSigningAccess(stack.db, path.slice('/sign/'.length));
      if (!access || !mine.has(access.request.round.promiseId)) continue;
      const api = through[attempts++ % through.length]!;
      try {
        const page = await api.get(path);
        if (page.status !== 200 || !page.text.includes('name="documentSha256"')) {
          if (page.status >= 500) throw new Error(`sidan svarade ${page.status}`);
          handled.add(path); // already answered, or the round closed
          continue;
        }
        const posted = await api.form(path, { decision: 'SIGN', documentSha256: pageHash(page.text) });
        if (posted.status >= 500) throw new Error(`signeringen svarade ${posted.status}`);
        if (posted.status === 200) driver.signed.add(access.request.id);
        handled.add(path);
      } catch {
        driver.retried += 1;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Alla ${promiseIds.length} löften blev inte aktiva inom ${timeoutMs / 1000} s.`);
}
