import { ImapFlow } from 'imapflow';
import { deliveryReportOf } from '../platform/embedded/delivery-report';
import { MAX_INBOUND_BYTES } from '../platform/inbound-mail';
import { startImapReader } from '../platform/imap-reader';
import { createDovecot, type Dovecot } from './support/dovecot';
import { eventually } from './support/eventually';

// The bounce mailbox read over IMAP (issue 26), against a real Dovecot from Debian: every message
// handed over once and moved out of the mailbox; one whose hand-over fails stays and comes again;
// one over the size limit is counted and moved unread; the server going away for a while is
// counted, and the reader carries on when it is back.

let dovecot: Dovecot;
beforeAll(async () => {
  dovecot = await createDovecot();
}, 60_000);
afterAll(async () => {
  await dovecot?.remove();
});

async function withMailbox<T>(act: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
  });
  await client.connect();
  try {
    return await act(client);
  } finally {
    await client.logout();
  }
}
const deliver = (raw: Buffer) => withMailbox((client) => client.append('INBOX', raw));
const countIn = (folder: string) =>
  withMailbox(async (client) => ((await client.status(folder, { messages: true })) || { messages: 0 }).messages ?? 0);

const report = (n: number) =>
  deliveryReportOf({
    returnPath: `studs+${n}@kommun.test`,
    recipient: `person${n}@example.se`,
    action: 'failed',
    status: '5.1.1',
    diagnostic: 'User unknown',
  });

test('each message once and moved; a failed hand-over comes again; too large is moved unread; an outage is waited out', async () => {
  const received: string[] = [];
  let failNext = false;
  let tooLarge = 0;
  let unreachable = 0;
  await deliver(report(1));
  await deliver(Buffer.concat([Buffer.from('Subject: stor\r\n\r\n'), Buffer.alloc(MAX_INBOUND_BYTES + 1, 'a')]));
  const reader = startImapReader({
    url: dovecot.url,
    processedFolder: 'Behandlade',
    receive: async (raw) => {
      if (failNext) {
        failNext = false;
        throw new Error('databasen svarar inte');
      }
      received.push(/Final-Recipient: rfc822; (\S+)/.exec(raw.toString())![1]!);
    },
    onTooLarge: () => (tooLarge += 1),
    onUnreachable: () => (unreachable += 1),
    sweepEveryMs: 500,
  });
  try {
    await eventually(async () => expect(await countIn('Behandlade')).toBe(2), 30_000);
    expect(received).toEqual(['person1@example.se']);
    expect(tooLarge).toBe(1);
    expect(await countIn('INBOX')).toBe(0);

    // A hand-over that fails (the database away): the message stays, and is taken on the next try.
    failNext = true;
    await deliver(report(2));
    await eventually(() => expect(received).toEqual(['person1@example.se', 'person2@example.se']), 30_000);
    await eventually(async () => expect(await countIn('INBOX')).toBe(0), 30_000);

    // The mailbox goes away; mail that arrived meanwhile is read once it is back.
    await dovecot.stop();
    await eventually(() => expect(unreachable).toBeGreaterThan(0), 30_000);
    await dovecot.start();
    await deliver(report(3));
    await eventually(() => expect(received).toEqual(['person1@example.se', 'person2@example.se', 'person3@example.se']), 90_000);
    expect(await countIn('Behandlade')).toBe(4);
  } finally {
    await reader.stop();
  }
}, 240_000);
