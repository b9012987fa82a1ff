import { redactUrl, temporalLogger } from '../platform/logger';
import { capturedLog } from './support/log-capture';

// The one logger of the API, the worker and the activities: JSON lines, the promise's id where the
// line concerns one, and no secret a reader of the logs could use.

test('a personal link is logged without its key', () => {
  expect(redactUrl('/sign/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_ABCDE')).toBe('/sign/[dold]');
  expect(redactUrl('/report/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_ABCDE?x=1')).toBe('/report/[dold]?x=1');
  expect(redactUrl('/api/promises')).toBe('/api/promises');
});

test("the worker's and the activities' lines carry the promise id and never a task token", () => {
  const { lines, logger } = capturedLog();
  const log = temporalLogger(logger);
  const promiseId = '26479ff4-09a0-4c71-9f3b-cf495153f684';
  log.warn('Activity failed', {
    workflowId: `medborgarlofte-${promiseId}-signering-2`,
    taskToken: 'CiQwMWExZmUyMy1kNTQwLTc4NzgtOTBkNi05MzI4OTRlOTBiNjcS',
    error: new Error('Databasen svarade inte'),
  });
  log.info('Worker state changed', { state: 'RUNNING' });
  expect(lines[0]).toMatchObject({
    level: 40,
    msg: 'Activity failed',
    promiseId,
    taskToken: '[dold]',
    error: { message: 'Databasen svarade inte' },
  });
  expect(lines[1]).toMatchObject({ level: 30, msg: 'Worker state changed', state: 'RUNNING' });
  expect(lines[1]).not.toHaveProperty('promiseId');
});
