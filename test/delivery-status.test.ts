import { bounceKindOf, MAX_DELIVERY_STATUS_BYTES, parseDeliveryStatus } from '../domain/delivery-status';

// Reading delivery status notifications (issue 26, RFC 3464): the per-message and per-recipient
// fields, folded lines, several recipients, and what each report means.

const PERMANENT = [
  'Reporting-MTA: dns; relay.lessebo.example',
  'X-Postfix-Queue-ID: 4Xy7Qd1c2Kz9',
  'X-Postfix-Sender: rfc822; studs+0b5e6d0e-2f1c-4a51-9a0e-3d2f1b7c8a90.a1b2c3d4e5f6@lessebo.example',
  'Arrival-Date: Thu,  3 Dec 2026 14:02:11 +0100 (CET)',
  'Original-Envelope-Id: 0b5e6d0e-2f1c-4a51-9a0e-3d2f1b7c8a90',
  '',
  'Final-Recipient: rfc822; Kalle.Finns-Inte@Example.se',
  'Original-Recipient: rfc822;kalle.finns-inte@example.se',
  'Action: failed',
  'Status: 5.1.1',
  'Remote-MTA: dns; mx.example.se',
  'Diagnostic-Code: smtp; 550 5.1.1 <kalle.finns-inte@example.se>: Recipient address',
  '    rejected: User unknown in virtual mailbox table',
  '',
].join('\r\n');

test('a permanent failure: who, what status, the remote words unfolded, and the envelope id', () => {
  const report = parseDeliveryStatus(PERMANENT);
  expect(report).toEqual({
    reportingMta: 'relay.lessebo.example',
    envelopeId: '0b5e6d0e-2f1c-4a51-9a0e-3d2f1b7c8a90',
    recipients: [
      {
        recipient: 'kalle.finns-inte@example.se',
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <kalle.finns-inte@example.se>: Recipient address rejected: User unknown in virtual mailbox table',
      },
    ],
  });
  expect(bounceKindOf(report!.recipients[0]!)).toBe('PERMANENT');
});

test('several recipients, a delay among them; a report without per-message fields', () => {
  const report = parseDeliveryStatus(
    [
      'Final-Recipient: rfc822; anna@example.se',
      'Action: delayed',
      'Status: 4.4.1',
      'Will-Retry-Until: Sat, 5 Dec 2026 14:02:11 +0100',
      '',
      'Final-Recipient: rfc822; bo@example.se',
      'Action: failed',
      'Status: 5.2.2 (mailbox full)',
      '',
      'Final-Recipient: rfc822; cilla@example.se',
      'Action: relayed',
      'Status: 2.0.0',
    ].join('\n'),
  );
  expect(report?.recipients.map((r) => [r.recipient, bounceKindOf(r)])).toEqual([
    ['anna@example.se', 'DELAYED'],
    ['bo@example.se', 'PERMANENT'],
    ['cilla@example.se', 'NOT_A_FAILURE'],
  ]);
  expect(report?.envelopeId).toBeUndefined();
});

test('a relay that gave up with a 4.x.x status is a delay, not an address that does not exist', () => {
  expect(bounceKindOf({ action: 'failed', status: '4.4.7' })).toBe('DELAYED');
  expect(bounceKindOf({ action: 'delivered', status: '2.0.0' })).toBe('NOT_A_FAILURE');
});

test('what is not a delivery status is nothing: empty, truncated, no status, too large', () => {
  for (const text of [
    '',
    'Hej! Jag är på semester till den 10 januari.',
    'Reporting-MTA: dns; relay.lessebo.example\n\nFinal-Recipient: rfc822; anna@example.se\nAction: fail',
    'Final-Recipient: rfc822; anna@example.se\nAction: failed\nStatus: okänd',
    `Final-Recipient: rfc822; anna@example.se\nAction: failed\nStatus: 5.1.1\nX-Fyllnad: ${'x'.repeat(MAX_DELIVERY_STATUS_BYTES)}`,
  ]) {
    expect(parseDeliveryStatus(text)).toBeUndefined();
  }
});
