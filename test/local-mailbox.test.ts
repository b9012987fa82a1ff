import { randomUUID } from 'node:crypto';
import { LocalMailbox } from '../platform/embedded/mailbox';
import { readInboundMessage } from '../platform/inbound-mail';
import { createSmtpMailer } from '../platform/mailer';
import { newLinkSecret, returnPathCheck } from '../domain/crypto';
import { returnPathFor } from '../domain/return-path';

// npm start's local mailbox plays the relay that bounces later (issue 26): mail to an address
// containing the marker is taken with 250, and a delivery status notification for it goes to the
// e-mail's return path afterwards; other addresses are delivered as before.

test('an address containing studsar-senare is taken, then reported failed to its return path', async () => {
  const mailbox = new LocalMailbox();
  await mailbox.start();
  const delivered: { report: Buffer; returnPath: string }[] = [];
  mailbox.bounceLater = {
    marker: 'studsar-senare',
    afterMs: 50,
    deliver: async (report, returnPath) => void delivered.push({ report, returnPath }),
  };
  const linkSecret = newLinkSecret();
  const outboxId = randomUUID();
  const returnPath = returnPathFor('studs@kommun.test', outboxId, returnPathCheck(linkSecret, outboxId));
  const mailer = createSmtpMailer({ url: mailbox.smtpUrl, from: 'Medborgarlöften <noreply@kommun.test>' });
  try {
    for (const address of ['kalle.studsar-senare@example.se', 'anna@example.se']) {
      await mailer.send({ to: { address }, messageId: `<${address}>`, returnPath, subject: 'Signera', text: 'Hej', html: '<p>Hej</p>' });
    }
    expect(mailbox.messages.map((m) => m.to)).toEqual([['kalle.studsar-senare@example.se'], ['anna@example.se']]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered.map((d) => d.returnPath)).toEqual([returnPath]);
    // What the worker's intake makes of it: a permanent failure of that e-mail.
    expect(
      await readInboundMessage(delivered[0]!.report, { linkSecret, bounceAddress: 'studs@kommun.test', recipient: returnPath }),
    ).toEqual({
      kind: 'BOUNCE',
      outboxId,
      reports: [expect.objectContaining({ recipient: 'kalle.studsar-senare@example.se', status: '5.1.1', bounce: 'PERMANENT' })],
    });
  } finally {
    mailer.close();
    await mailbox.stop();
  }
});
