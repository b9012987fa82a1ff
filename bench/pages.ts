import { createActivities } from '../activities';
import { newLinkSecret } from '../domain/crypto';
import { createSmtpMailer } from '../platform/mailer';
import { benchContent, SigningMail, untilActive } from './lifecycle';
import { until } from './measures';
import type { BenchStack } from './stack';

// The pages people open from their e-mail, for the load test: a signing link of a promise being
// signed, and a report link of an active one. The report link comes from the reminder activity
// called here (its date is months away), with a link key of its own: the page reads only the hash.

export async function linkPaths(stack: BenchStack): Promise<{ signing: string; report: string }> {
  const mail = new SigningMail(stack);
  const create = async (tag: string) => {
    const content = benchContent(tag);
    const { json } = await stack.coordinator.post('/api/promises', { content });
    await stack.coordinator.post(`/api/promises/${json.id}/submit`, {});
    return {
      id: json.id as string,
      sha256: json.currentVersion.sha256 as string,
      links: await mail.links(content.signatories.map((s) => s.email)),
    };
  };
  const signing = await create('sidor-signering');
  const active = await create('sidor-rapport');
  for (const link of active.links) await stack.anonymous.form(link, { decision: 'SIGN', documentSha256: active.sha256 });
  await untilActive(stack, active.id);

  // The year is planned just after ACTIVE.
  const occurrence = await until(
    async () => {
      const { json } = await stack.coordinator.get(`/api/promises/${active.id}/occurrences`);
      return (json as { id: string; dueDate: string | null }[]).find((o): o is { id: string; dueDate: string } => o.dueDate !== null);
    },
    'årets tillfällen',
    { everyMs: 100 },
  );
  const mailer = createSmtpMailer({ url: stack.mailbox.smtpUrl, from: 'Medborgarlöften <noreply@medborgarloften.lessebo.se>' });
  const before = stack.mailbox.messages.length;
  await createActivities({
    db: stack.db,
    mailer,
    publicBaseUrl: stack.baseUrl,
    linkSecret: newLinkSecret(),
    dailyLimitPerRecipient: 10_000,
  }).sendOccurrenceReminder({
    occurrenceId: occurrence.id,
    dueDate: occurrence.dueDate,
    kind: 'BEFORE',
    sequence: 0,
    scheduledFor: Date.now(),
  });
  mailer.close();
  const reminder = (await stack.mailbox.waitFor((m) => m.slice(before).some((x) => x.text.includes('/report/')))).slice(before);
  const report = /\/report\/[A-Za-z0-9_-]{43}/.exec(reminder.find((x) => x.text.includes('/report/'))!.text)![0];
  return { signing: signing.links[0]!, report };
}
