// `npm run coordinator:invite -- --name "Namn" --email adress@kommun.se`: a coordinator, invited by
// e-mail with a sign-in link that works for a week. Without SMTP_URL the link is printed instead,
// for the admin to pass on.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { sendSignInLink } from '../api/sign-in-mail';
import { durationInWords } from '../domain/durations';
import { describeProblems, fieldProblems } from '../domain/validation';
import { ConfigError, loadConfig } from '../platform/config';
import { createSmtpMailer } from '../platform/mailer';
import { runMain } from '../platform/production';
import { inviteCoordinator } from '../store/coordinators';
import { createDatabase } from '../store/database';
import { createSignInLink } from '../store/sessions';

const INVITATION_VALID_FOR = '7d';
const ArgsSchema = z.object({ name: z.string().trim().min(1, 'ange namnet'), email: z.email('ska vara en e-postadress') });

runMain(async () => {
  const { values } = parseArgs({ options: { name: { type: 'string' }, email: { type: 'string' } } });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    throw new ConfigError(`${describeProblems(fieldProblems(parsed.error))}. Användning: --name "Namn" --email adress@kommun.se`);
  }
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL saknas.');
  const db = createDatabase({ url: config.databaseUrl, poolSize: 1 });
  try {
    const coordinator = await inviteCoordinator(db, parsed.data);
    const validFor = durationInWords(INVITATION_VALID_FOR);
    if (config.smtpUrl) {
      const mailer = createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom });
      try {
        await sendSignInLink(
          { db, mailer, publicBaseUrl: config.publicBaseUrl },
          { coordinator, validFor: INVITATION_VALID_FOR, invitation: true },
        );
      } finally {
        mailer.close();
      }
      console.log(`✓ Inbjudan skickad till ${coordinator.name} <${coordinator.email}> (länken gäller i ${validFor}).`);
    } else {
      const token = await createSignInLink(db, coordinator.id, INVITATION_VALID_FOR);
      console.log(`SMTP_URL saknas, så ingen e-post skickades. Ge ${coordinator.name} den här länken (gäller en gång, i ${validFor}):`);
      console.log(`${config.publicBaseUrl}/logga-in/${token}`);
    }
  } finally {
    await db.$disconnect();
  }
});
