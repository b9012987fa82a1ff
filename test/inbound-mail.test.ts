import { randomUUID } from 'node:crypto';
import { newLinkSecret, returnPathCheck } from '../domain/crypto';
import { returnPathFor } from '../domain/return-path';
import { MAX_INBOUND_BYTES, readInboundMessage } from '../platform/inbound-mail';

// What arrives in the bounce mailbox (issue 26): a notification about one of our e-mails, a forged
// one, one without our return path, an out-of-office, a person's answer, and what cannot be read.

const linkSecret = newLinkSecret();
const BOUNCES = 'studs@lessebo.example';
const outboxId = randomUUID();
const ours = returnPathFor(BOUNCES, outboxId, returnPathCheck(linkSecret, outboxId));

function notification(to: string, status = ['Final-Recipient: rfc822; kalle@example.se', 'Action: failed', 'Status: 5.1.1']) {
  return Buffer.from(
    [
      'From: MAILER-DAEMON@relay.lessebo.example (Mail Delivery System)',
      `To: ${to}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="gräns"',
      '',
      '--gräns',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'Ditt meddelande kunde inte levereras.',
      '',
      '--gräns',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; relay.lessebo.example',
      '',
      ...status,
      '',
      '--gräns',
      'Content-Type: text/rfc822-headers',
      '',
      'Subject: Signera medborgarlöftet',
      '',
      '--gräns--',
      '',
    ].join('\r\n'),
  );
}
const read = (raw: Buffer, recipient?: string) =>
  readInboundMessage(raw, { linkSecret, bounceAddress: BOUNCES, ...(recipient ? { recipient } : {}) });

test("a notification to one of our return paths names the outbox row and each recipient's outcome", async () => {
  expect(await read(notification(ours))).toEqual({
    kind: 'BOUNCE',
    outboxId,
    reports: [{ recipient: 'kalle@example.se', action: 'failed', status: '5.1.1', bounce: 'PERMANENT' }],
  });
  // The envelope's recipient counts when the header was rewritten.
  expect(await read(notification('studs@lessebo.example'), ours)).toMatchObject({ kind: 'BOUNCE', outboxId });
  const delayed = await read(notification(ours, ['Final-Recipient: rfc822; kalle@example.se', 'Action: delayed', 'Status: 4.4.1']));
  expect(delayed).toMatchObject({ kind: 'BOUNCE', reports: [{ bounce: 'DELAYED' }] });
});

test('a forged check value, or no return path of ours, marks nothing', async () => {
  const forged = returnPathFor(BOUNCES, outboxId, '0'.repeat(12));
  expect(await read(notification(forged))).toMatchObject({ kind: 'UNVERIFIED_BOUNCE' });
  expect(await read(notification('studs@lessebo.example'))).toMatchObject({ kind: 'UNVERIFIED_BOUNCE' });
});

test('an out-of-office is ignored; a person writing to the address is a reply to show, naming no one', async () => {
  const mail = (headers: string[]) =>
    Buffer.from([`From: Anna Andersson <anna@example.se>`, `To: ${ours}`, 'Subject: Sv: Signera', ...headers, '', 'Hej!'].join('\r\n'));
  expect(await read(mail(['Auto-Submitted: auto-replied']))).toEqual({ kind: 'AUTO_REPLY' });
  expect(await read(mail(['X-Autoreply: yes']))).toEqual({ kind: 'AUTO_REPLY' });
  // The e-mail it answers is known from the return path; who wrote and what is left in the mailbox.
  expect(await read(mail([]))).toEqual({ kind: 'REPLY', outboxId });
  expect(await read(Buffer.from('From: anna@example.se\r\nTo: studs@lessebo.example\r\nSubject: Hej\r\n\r\nHej!'))).toEqual({
    kind: 'REPLY',
  });
});

test('a truncated or malformed notification, a huge message and deep nesting are unreadable, never a bounce', async () => {
  const truncated = notification(ours).subarray(0, notification(ours).indexOf('Action:'));
  expect((await read(truncated)).kind).not.toBe('BOUNCE');
  expect(await read(notification(ours, ['Final-Recipient: rfc822; kalle@example.se']))).toMatchObject({ kind: 'UNREADABLE' });
  expect(await read(Buffer.alloc(MAX_INBOUND_BYTES + 1, 'a'))).toMatchObject({ kind: 'UNREADABLE' });
  const nested = [
    'Content-Type: multipart/mixed; boundary="b0"',
    '',
    ...Array.from({ length: 40 }, (_, i) => `--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n`),
  ];
  expect(await read(Buffer.from([`To: ${ours}`, ...nested].join('\r\n')))).toMatchObject({ kind: 'UNREADABLE' });
});
