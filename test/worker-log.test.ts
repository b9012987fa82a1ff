import { submitForSigning } from '../api/commands';
import { startEngine, type Engine } from './support/engine';
import { capturedLog } from './support/log-capture';
import { createLesseboDraft } from './support/promises';
import { signEveryRequest } from './support/signing';

// What an operator reads at info level from the worker: one structured line per e-mail (purpose
// and outcome), per signing round opened and closed, per status change; ids, never an address or
// a link. The activities write them through the worker's logger, as `npm run worker` sets it up.

const { lines, logger } = capturedLog();
let engine: Engine;

beforeAll(async () => {
  engine = await startEngine('dev-server', { logger });
});
afterAll(async () => {
  await engine?.stop();
});

test('a signed promise leaves a line per e-mail, per round opened and closed and per status change, with no address or link', async () => {
  const { promise, actor } = await createLesseboDraft(engine.database.db);
  await submitForSigning(engine, promise.id, actor);
  await signEveryRequest(engine, promise.id);

  const mine = lines.filter((line) => line.promiseId === promise.id);
  const said = (msg: string) => mine.filter((line) => line.msg === msg);
  expect(said('signeringsomgång öppnad')).toEqual([expect.objectContaining({ round: 1, requests: 8, level: 30 })]);
  expect(said('signeringsomgång avslutad')).toEqual([expect.objectContaining({ round: 1, outcome: 'COMPLETED' })]);
  expect(said('status').map((line) => line.status)).toEqual(['SIGNING', 'ACTIVE']);
  const emails = said('e-post');
  expect(emails.filter((line) => line.purpose === 'SIGNING_REQUEST' && line.outcome === 'sent')).toHaveLength(8);
  expect(emails.filter((line) => line.purpose === 'ACTIVATED').length).toBeGreaterThan(0);

  const text = JSON.stringify(lines);
  expect(text).not.toContain('@');
  expect(text).not.toMatch(/[A-Za-z0-9_-]{43}/);
});
