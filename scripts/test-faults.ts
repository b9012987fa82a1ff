// `npm run test:faults`: the fault suite (test/faults) on real components, then a table of what
// each scenario did: promises, kills, how many reached ACTIVE, duplicate e-mails, redelivered
// e-mails, lost signatures, dead links.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultResult } from '../test/faults/support/report';
import { ensureTemporalCli, findPostgresBinaries, ProvisionError, projectRoot, step } from './lib/provision';

const COLUMNS: [keyof FaultResult, string][] = [
  ['promises', 'löften'],
  ['kills', 'avbrott'],
  ['active', 'ACTIVE'],
  ['duplicates', 'dubbletter'],
  ['redeliveries', 'omleveranser*'],
  ['lostSignatures', 'förlorade signaturer'],
  ['deadLinks', 'döda länkar'],
];

function table(results: FaultResult[]): string {
  const width = Math.max(30, ...results.map((r) => r.scenario.length));
  const header = ['Scenario'.padEnd(width), ...COLUMNS.map(([, label]) => label)].join('  ');
  const rows = results.map((r) =>
    [r.scenario.padEnd(width), ...COLUMNS.map(([key, label]) => String(r[key]).padStart(label.length))].join('  '),
  );
  return [header, '-'.repeat(header.length), ...rows].join('\n');
}

async function main() {
  const temporalCli = await step('Temporal CLI (utvecklingsserver)', ensureTemporalCli);
  const postgresBin = await step('PostgreSQL-program för testerna', findPostgresBinaries);
  const report = join(mkdtempSync(join(tmpdir(), 'medborgarlofte-faults-')), 'results.jsonl');
  const jest = spawn(join(projectRoot, 'node_modules', '.bin', 'jest'), ['--config', 'jest.faults.config.js', ...process.argv.slice(2)], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, TEMPORAL_CLI_PATH: temporalCli, POSTGRES_BIN_DIR: postgresBin, FAULTS_REPORT: report },
  });
  const code = await new Promise<number>((resolve) => jest.on('exit', (exit, signal) => resolve(exit ?? (signal ? 1 : 0))));
  const results: FaultResult[] = existsSync(report)
    ? readFileSync(report, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
  console.log(
    `\nFelinjektion på riktiga komponenter (maskinens last: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})\n`,
  );
  console.log(results.length > 0 ? table(results) : '(inga resultat: se testutskriften ovan)');
  console.log('\n* samma e-post (samma Message-ID och samma länk) levererad igen efter ett avbrott direkt efter reläets 250.');
  process.exit(code);
}

main().catch((error) => {
  console.error(error instanceof ProvisionError ? `✗ ${error.message}` : error);
  process.exit(1);
});
