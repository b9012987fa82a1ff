import { reportTokenFor } from './support/reports';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../domain/calendar';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { fixture, startingOn, today } from './support/promises';
import { signEveryRequest } from './support/signing';

// The API against its own /openapi.json, as a strict client would try it: Schemathesis with every
// check (server errors, undocumented statuses, bodies and content types that do not match the
// document, 405 for methods the document does not list, what a request without a key gets). Its
// identifiers point at a real promise in its year, so the runs reach past the 404s.
//
// Every check runs on every operation, with these exceptions, each for named operations and listed
// in the README ("API-kontraktet"): positive_data_acceptance (a body the schema allows must be
// accepted) takes a 400 where a rule across fields decides, which JSON Schema cannot say; a
// personal link's pages may answer 410, since a link that has been used or has expired is the
// link's state, not the request's data; the verify form's limits are a 413. Every rule on one
// field is in the schema. (Statuses, not `enabled = false`: the command line's --checks all would
// turn a check back on.)

const CROSS_FIELD = 'a rule across fields decides (README, "API-kontraktet")';
const LINK_STATE = "a personal link that is used, voided or expired answers 410: the link's state, not the request";

/**
 * The exceptions, one entry per operation (Schemathesis takes the first entry that names an
 * operation): the statuses added to what a check expects, and why.
 */
const EXCEPTIONS: { method: string; path: string; positive?: string[]; negative?: string[]; why: string[] }[] = [
  { method: 'POST', path: '/api/promises', positive: ['400'], why: [CROSS_FIELD] },
  { method: 'PUT', path: '/api/promises/{id}/content', positive: ['400'], why: [CROSS_FIELD] },
  { method: 'POST', path: '/api/promises/{id}/address-corrections', positive: ['400'], why: [CROSS_FIELD] },
  { method: 'POST', path: '/api/promises/{id}/occurrences/{occurrenceId}/reports', positive: ['400'], why: [CROSS_FIELD] },
  { method: 'POST', path: '/app/loften/ny', positive: ['400'], why: [CROSS_FIELD] },
  { method: 'POST', path: '/app/loften/{id}/redigera', positive: ['400'], why: [CROSS_FIELD] },
  { method: 'POST', path: '/sign/{token}', positive: ['400', '410'], why: [CROSS_FIELD, LINK_STATE] },
  { method: 'POST', path: '/report/{token}', positive: ['400', '410'], why: [CROSS_FIELD, LINK_STATE] },
  { method: 'GET', path: '/sign/{token}', positive: ['410'], why: [LINK_STATE] },
  { method: 'GET', path: '/sign/{token}/bekrafta', positive: ['410'], why: [LINK_STATE] },
  { method: 'GET', path: '/report/{token}', positive: ['410'], why: [LINK_STATE] },
  {
    method: 'POST',
    path: '/verifiera',
    positive: ['400'],
    negative: ['413'],
    why: [CROSS_FIELD, 'the form takes at most five fields and 10 MB: more is a 413, as documented'],
  },
  {
    method: 'PUT',
    path: '/api/promises/{id}/signatories/{key}/personal-number',
    positive: ['400'],
    why: ["a personal identity number's check digit (Luhn) is a rule a schema cannot say"],
  },
  {
    method: 'POST',
    path: '/verifiera/handelser',
    positive: ['400'],
    negative: ['413'],
    why: ["the file must hold a trail in JSON (schema AuditChain), which a binary part's schema cannot say", 'at most 10 MB'],
  },
];

/** The statuses each check expects by default (Schemathesis 4). */
const EXPECTED = {
  positive_data_acceptance: ['2xx', '3xx', '401', '403', '404', '409', '429', '5xx'],
  negative_data_rejection: ['400', '401', '403', '404', '405', '406', '409', '415', '422', '428', '429', '5xx'],
};
const statusList = (statuses: string[]) => `[${statuses.map((s) => `"${s}"`).join(', ')}]`;

/** The exceptions as the configuration's [[operations]] entries. */
const exceptionEntries = () =>
  EXCEPTIONS.flatMap(({ method, path, positive, negative }) => [
    '[[operations]]',
    `include-name = "${method} ${path}"`,
    ...(positive
      ? [`checks.positive_data_acceptance.expected-statuses = ${statusList([...EXPECTED.positive_data_acceptance, ...positive])}`]
      : []),
    ...(negative
      ? [`checks.negative_data_rejection.expected-statuses = ${statusList([...EXPECTED.negative_data_rejection, ...negative])}`]
      : []),
    '',
  ]);

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
  const reportToken = await reportTokenFor(engine, occurrence);

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
      ...exceptionEntries(),
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
      '--max-examples',
      '25',
      '--seed',
      '20261121',
      // How fast examples of the large content schema are made depends on the machine's load, not on the API.
      '--suppress-health-check',
      'too_slow',
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
