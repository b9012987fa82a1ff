// `npm run coordinator:invite -- --name "Namn" --email adress@kommun.se --kommun Lessebo` (or
// `--polisomrade "Lokalpolisområde Nybro"`, or both; `--telefon` shown to those it writes to): a coordinator in their municipality's or police
// area's organisation, invited by e-mail with a sign-in link that works for a week. Without
// SMTP_URL the link is printed instead, for the admin to pass on.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { INVITATION_VALID_FOR, sendSignInLink, signInUrl } from '../api/sign-in-mail';
import { durationInWords } from '../domain/durations';
import { phoneNumber } from '../domain/text-schemas';
import { fieldProblems } from '../domain/validation';
import { describeProblems } from '../domain/problems';
import { ConfigError, loadConfig } from '../platform/config';
import { createSmtpMailer } from '../platform/mailer';
import { runMain } from '../platform/production';
import { inviteCoordinator } from '../store/coordinators';
import { joinOrganisation } from '../store/organisations';
import { createDatabase } from '../store/database';
import { createSignInLink } from '../store/sessions';

const USAGE =
  'Användning: --name "Namn" --email adress@kommun.se --kommun Lessebo (och/eller --polisomrade "Lokalpolisområde Nybro"), valfritt --telefon "0470-410 00"';
const ArgsSchema = z
  .object({
    name: z.string().trim().min(1, 'ange namnet'),
    email: z.email('ska vara en e-postadress'),
    telefon: phoneNumber().optional(),
    kommun: z.string().trim().min(1).optional(),
    polisomrade: z.string().trim().min(1).optional(),
  })
  .refine((args) => args.kommun || args.polisomrade, {
    path: ['kommun'],
    message: 'ange kommunen eller lokalpolisområdet (--polisomrade) som samordnaren arbetar för',
  });

runMain(async () => {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      kommun: { type: 'string' },
      polisomrade: { type: 'string' },
      telefon: { type: 'string' },
    },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) throw new ConfigError(`${describeProblems(fieldProblems(parsed.error))}. ${USAGE}`);
  const { kommun, polisomrade, telefon, ...person } = parsed.data;
  const config = loadConfig();
  // `npm start`'s embedded database takes one connection, its own: there, colleagues are invited in the web app.
  const underNpmStart = `Under npm start bjuder du in en kollega i webbappen: ${config.publicBaseUrl}/app/kollegor.`;
  if (!config.databaseUrl) {
    throw new ConfigError(`DATABASE_URL saknas: ange PostgreSQL-databasen (ägarrollens adress, som för db:migrate). ${underNpmStart}`);
  }
  const db = createDatabase({ url: config.databaseUrl, poolSize: 1 });
  try {
    await db.$queryRaw`SELECT 1`.catch((error: unknown) => {
      const reason = error instanceof Error ? error.message.trim().split('\n').at(-1) : String(error);
      throw new ConfigError(`Databasen på DATABASE_URL svarar inte (${reason}). ${underNpmStart}`);
    });
    const coordinator = await inviteCoordinator(db, { ...person, phone: telefon });
    const organisations = [
      ...(kommun ? [await joinOrganisation(db, coordinator.id, { kind: 'MUNICIPALITY', name: kommun })] : []),
      ...(polisomrade ? [await joinOrganisation(db, coordinator.id, { kind: 'POLICE_AREA', name: polisomrade })] : []),
    ];
    console.log(`✓ ${coordinator.name} samordnar för ${organisations.map((o) => o.name).join(' och ')}.`);
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
      console.log(signInUrl(config.publicBaseUrl, token));
    }
  } finally {
    await db.$disconnect();
  }
});
