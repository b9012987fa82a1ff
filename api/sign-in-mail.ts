import { compose } from '../activities/email-templates';
import { sha256Hex } from '../domain/crypto';
import { durationInWords, type Duration } from '../domain/durations';
import { mailDomainOf, type Mailer } from '../platform/mailer';
import type { Database } from '../store/database';
import { createSignInLink } from '../store/sessions';
import { textsFor } from './views/texts';

// A sign-in link by e-mail: asked for on the sign-in page, or sent with an invitation. Sent
// straight from the API (there is nothing to retry later: the person asks again).

export async function sendSignInLink(
  deps: { db: Database; mailer: Mailer; publicBaseUrl: string },
  input: { coordinator: { id: string; name: string; email: string }; validFor: Duration; lang?: string; invitation?: boolean },
): Promise<string> {
  const t = textsFor(input.lang);
  const token = await createSignInLink(deps.db, input.coordinator.id, input.validFor);
  const url = `${deps.publicBaseUrl}/logga-in/${token}`;
  const validFor = durationInWords(input.validFor, t.lang);
  const composed = input.invitation
    ? compose(t.email.inviteSubject, t.email.invite(input.coordinator.name, validFor), { label: t.email.signInLink, url })
    : compose(t.email.signInSubject, t.email.signIn(input.coordinator.name, validFor), { label: t.email.signInLink, url });
  await deps.mailer.send({
    to: { name: input.coordinator.name, address: input.coordinator.email },
    ...composed,
    messageId: `<${sha256Hex(`sign-in:${token}`).slice(0, 32)}@${mailDomainOf(deps.mailer.from) ?? 'medborgarloften.localhost'}>`,
  });
  return url;
}
