import { randomUUID } from 'node:crypto';
import { newLinkSecret, outboxOfReturnPath, returnPathCheck } from '../domain/crypto';
import { parseReturnPath, returnPathFor } from '../domain/return-path';

// The return path that names an e-mail's outbox row (issue 26, VERP): made and read back; any
// other address, or a forged check value, names nothing.

const secret = newLinkSecret();
const BOUNCES = 'Studs@Lessebo.example';

test('a return path names its outbox row, whatever case a relay gives it back in', () => {
  const outboxId = randomUUID();
  const path = returnPathFor(BOUNCES, outboxId, returnPathCheck(secret, outboxId));
  expect(path).toMatch(new RegExp(`^Studs\\+${outboxId}\\.[0-9a-f]{12}@lessebo\\.example$`));
  expect(path.split('@')[0]!.length).toBeLessThanOrEqual(64);
  expect(outboxOfReturnPath(secret, path, BOUNCES)).toBe(outboxId);
  expect(outboxOfReturnPath(secret, path.toUpperCase(), BOUNCES)).toBe(outboxId);
  expect(outboxOfReturnPath(secret, `<${path}>`, BOUNCES)).toBe(outboxId);
});

test('a forged check value, another installation, another mailbox or a plain address names nothing', () => {
  const outboxId = randomUUID();
  const check = returnPathCheck(secret, outboxId);
  const forged = returnPathFor(
    BOUNCES,
    outboxId,
    check.replace(/^./, (c) => (c === '0' ? '1' : '0')),
  );
  expect(outboxOfReturnPath(secret, forged, BOUNCES)).toBeUndefined();
  expect(outboxOfReturnPath(newLinkSecret(), returnPathFor(BOUNCES, outboxId, check), BOUNCES)).toBeUndefined();
  for (const other of [
    `studs+${outboxId}.${check}@annan.example`,
    `andra+${outboxId}.${check}@lessebo.example`,
    'studs@lessebo.example',
    `studs+${outboxId}@lessebo.example`,
    `studs+inte-ett-id.${check}@lessebo.example`,
    `studs+${outboxId}.${check}x@lessebo.example`,
    '',
    '@',
  ]) {
    expect({ other, named: parseReturnPath(other, BOUNCES) }).toEqual({ other, named: undefined });
  }
});
