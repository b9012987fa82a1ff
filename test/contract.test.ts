import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActivities } from '../activities';
import { addDays } from '../domain/calendar';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { fixture, startingOn, today } from './support/promises';
import { signEveryRequest } from './support/signing';

// The API against its own /openapi.json, as a strict client would try it: Schemathesis with every
// check (server errors, undocumented statuses, bodies and content types that do not match the
// document, 405 for methods the document does not list, what a request without a key gets). Its
// identifiers point at a real promise in its year, so the runs reach past the 404s.
//
// One check is left out: positive_data_acceptance expects every body the JSON Schema allows to be
// accepted, but a promise has rules across fields (a period's end after its start, unique keys)
// and text rules (no control characters) that JSON Schema cannot say; those are 400s naming the
// field, as documented.

let testbed: ApiTestbed;

beforeAll(async () => {
  testbed = await startApiTestbed('samordnare@ljungby.example');
});
afterAll(async () => {
  await testbed?.stop();
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

test('Schemathesis with every check finds no server error, no undocumented status and no schema mismatch', async () => {
  const { engine, coordinator, token, api } = testbed;
  const created = await coordinator.post('/api/promises', { content: startingOn(fixture('ljungby-2021'), addDays(today(), -1)) });
  const promiseId: string = created.json.id;
  await coordinator.post(`/api/promises/${promiseId}/submit`);
  await signEveryRequest(engine, promiseId);
  const occurrence = await engine.database.db.activityOccurrence.findFirstOrThrow({ where: { promiseId } });
  await createActivities(engine.activityDeps).sendOccurrenceReminder({
    occurrenceId: occurrence.id,
    dueDate: occurrence.dueDate!.toISOString().slice(0, 10),
    kind: 'BEFORE',
    sequence: 0,
    scheduledFor: Date.now(),
  });
  const reportMail = await engine.mailbox.waitFor((messages) => messages.some((m) => /\/report\/[A-Za-z0-9_-]{43}/.test(m.text)));
  const reportToken = /\/report\/([A-Za-z0-9_-]{43})/.exec(reportMail.find((m) => /\/report\//.test(m.text))!.text)![1]!;

  const work = mkdtempSync(join(tmpdir(), 'kontrakt-'));
  const config = join(work, 'schemathesis.toml');
  writeFileSync(
    config,
    [
      '[parameters]',
      '"path.id" = "${PROMISE_ID}"',
      '"path.occurrenceId" = "${OCCURRENCE_ID}"',
      '"path.token" = "${REPORT_TOKEN}"',
      '',
    ].join('\n'),
  );
  const { code, output } = await run(
    process.env.SCHEMATHESIS_PATH ?? 'st',
    [
      '--config-file',
      config,
      'run',
      `${api.baseUrl}/openapi.json`,
      '--url',
      api.baseUrl,
      '--checks',
      'all',
      '--exclude-checks',
      'positive_data_acceptance',
      '--max-examples',
      '25',
      '--seed',
      '20261121',
      '--header',
      `Authorization: Bearer ${token}`,
      '--no-color',
    ],
    { PROMISE_ID: promiseId, OCCURRENCE_ID: occurrence.id, REPORT_TOKEN: reportToken },
  );
  const summary = output.split('\n').filter((line) => /generated|Failures|❌|passed|failed/.test(line));
  console.log(`Schemathesis ${'─'.repeat(30)}\n${code === 0 ? summary.join('\n') : output}`);
  expect([code, output.includes('Test cases:') ? 'ran' : output]).toEqual([0, 'ran']);
}, 600_000);
