// `npm test`: provision what the suite runs on (each step says what it does), then run jest.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  ensureSchemathesis,
  ensureTemporalCli,
  ensureTimeSkippingTestServer,
  ensureVeraPdf,
  findChromium,
  findPostgresBinaries,
  ProvisionError,
  projectRoot,
  step,
} from './lib/provision';

async function main() {
  const temporalCli = await step('Temporal CLI (utvecklingsserver)', ensureTemporalCli);
  const testServer = await step('Temporals tidshoppande testserver', ensureTimeSkippingTestServer);
  const postgresBin = await step('PostgreSQL-program för testerna', findPostgresBinaries);
  const schemathesis = await step('Schemathesis (API-kontraktet)', ensureSchemathesis);
  const chromium = await step('Chromium (webbläsartesterna)', findChromium);
  const veraPdf = await step('veraPDF (PDF/UA-kontroll av PDF-filerna)', ensureVeraPdf);

  const jest = spawn(join(projectRoot, 'node_modules', '.bin', 'jest'), process.argv.slice(2), {
    cwd: projectRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      TEMPORAL_CLI_PATH: temporalCli,
      TEMPORAL_TEST_SERVER_PATH: testServer,
      POSTGRES_BIN_DIR: postgresBin,
      SCHEMATHESIS_PATH: schemathesis,
      CHROMIUM_PATH: chromium,
      VERAPDF_PATH: veraPdf,
    },
  });
  jest.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((error) => {
  console.error(error instanceof ProvisionError ? `✗ ${error.message}` : error);
  process.exit(1);
});
