// `npm run coordinator:create -- --name "Namn" --email adress@kommun.se [--telefon "0470-410 00"]`: a coordinator and an API
// token, printed once (only its hash is stored).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { phoneNumber } from '../domain/text-schemas';
import { fieldProblems } from '../domain/validation';
import { describeProblems } from '../domain/problems';
import { ConfigError, loadConfig } from '../platform/config';
import { runMain } from '../platform/production';
import { createCoordinator } from '../store/coordinators';
import { createDatabase } from '../store/database';

const ArgsSchema = z.object({ name: z.string().trim().min(1), email: z.email(), telefon: phoneNumber().optional() });

runMain(async () => {
  const { values } = parseArgs({ options: { name: { type: 'string' }, email: { type: 'string' }, telefon: { type: 'string' } } });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    throw new ConfigError(
      `${describeProblems(fieldProblems(parsed.error))}. Användning: --name "Namn" --email adress@kommun.se [--telefon "0470-410 00"]`,
    );
  }
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) throw new ConfigError('DATABASE_URL saknas.');
  const db = createDatabase({ url: databaseUrl, poolSize: 1 });
  const { coordinator, token } = await createCoordinator(db, { ...parsed.data, phone: parsed.data.telefon });
  console.log(`Samordnare ${coordinator.name} <${coordinator.email}>\nAPI-nyckel (visas bara nu): ${token}`);
  await db.$disconnect();
});
