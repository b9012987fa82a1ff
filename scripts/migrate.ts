// `npm run db:migrate`: applies pending migrations to DATABASE_URL.
import { ConfigError, loadConfig } from '../platform/config';
import { migrate } from '../platform/migrate';
import { runMain } from '../platform/production';

runMain(async () => {
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) throw new ConfigError('DATABASE_URL saknas. (`npm start` migrerar den inbäddade databasen själv.)');
  const result = await migrate(databaseUrl, (line) => console.log(`→ ${line}`));
  console.log(`✓ ${result.applied.length} nya migreringar, ${result.alreadyApplied} redan körda`);
});
