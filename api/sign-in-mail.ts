import { compose, footerOf, renderEmail } from '../activities/email-templates';
import { durationInWords, type Duration } from '../domain/durations';
import { messageIdFor, type Mailer } from '../platform/mailer';
import type { Database } from '../store/database';
import { createSignInLink } from '../store/sessions';
import { textsFor } from './views/texts';

// A sign-in link by e-mail: asked for on the sign-in page, or sent with an invitation. Sent
// straight from the API (there is nothing to retry later: the person asks again).

/** How long an invitation's sign-in link works, whoever invites (the operator's command or a colleague). */
export const INVITATION_VALID_FOR = '7d';

/** Where a sign-in link's key is used: its confirmation page. */
export const signInUrl = (publicBaseUrl: string, token: string) => `${publicBaseUrl}/logga-in/${token}`;

export async function sendSignInLink(
  deps: { db: Database; mailer: Mailer; publicBaseUrl: string },
  input: {
    coordinator: { id: string; name: string; email: string };
    validFor: Duration;
    lang?: string;
    /** An invitation: by the operator (true), or by a colleague into their organisation. */
    invitation?: true | { inviter: string; organisation: string };
  },
): Promise<void> {
  const t = textsFor(input.lang);
  const token = await createSignInLink(deps.db, input.coordinator.id, input.validFor);
  const url = signInUrl(deps.publicBaseUrl, token);
  const validFor = durationInWords(input.validFor, t.lang);
  const [subject, paragraphs] = input.invitation
    ? [t.email.inviteSubject, t.email.invite(input.coordinator.name, validFor, input.invitation === true ? undefined : input.invitation)]
    : [t.email.signInSubject, t.email.signIn(input.coordinator.name, validFor)];
  const composed = compose(subject, paragraphs, { label: t.email.signInLink, url });
  await deps.mailer.send({
    to: { name: input.coordinator.name, address: input.coordinator.email },
    ...renderEmail(composed, footerOf('COORDINATOR', undefined, deps.publicBaseUrl), t.lang),
    messageId: messageIdFor(`sign-in:${token}`, deps.mailer.from),
  });
}
