import { createTransport } from 'nodemailer';
import { deliveryReportOf, sendDeliveryReport } from '../platform/embedded/delivery-report';
import { MAX_INBOUND_BYTES } from '../platform/inbound-mail';
import { startInboundSmtp } from '../platform/inbound-smtp';

// The worker's inbound SMTP port for bounces (issue 26): mail to the bounce domain only, nothing
// over the size limit, and a message it could not take in refused for now (451), so that the
// relay keeps it and tries again.

const received: { recipient: string; size: number }[] = [];
let failing = false;
let server: Awaited<ReturnType<typeof startInboundSmtp>>;
beforeAll(async () => {
  server = await startInboundSmtp({
    host: '127.0.0.1',
    port: 0,
    domain: 'Studsar.Kommun.test',
    receive: async (raw, recipient) => {
      if (failing) throw new Error('databasen svarar inte');
      received.push({ recipient, size: raw.length });
    },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  received.length = 0;
  failing = false;
});

const returnPath = 'studs+1.abc@studsar.kommun.test';
const report = deliveryReportOf({ returnPath, recipient: 'a@example.se', action: 'failed', status: '5.1.1', diagnostic: 'User unknown' });

test('a notification to the bounce domain is handed over with its envelope recipient, whatever the case', async () => {
  await sendDeliveryReport(server.port, 'STUDS+1.abc@Studsar.Kommun.TEST', report);
  expect(received).toEqual([{ recipient: expect.stringMatching(/^STUDS\+1\.abc@studsar\.kommun\.test$/i), size: report.length }]);
});

test('mail for any other domain is refused at RCPT: the port relays nothing', async () => {
  await expect(sendDeliveryReport(server.port, 'someone@example.se', report)).rejects.toThrow(/550 5\.7\.1/);
  expect(received).toEqual([]);
});

test('a message over the limit is refused for good (552); one that could not be taken in is refused for now (451)', async () => {
  const huge = Buffer.concat([Buffer.from('Subject: stor\r\n\r\n'), Buffer.alloc(MAX_INBOUND_BYTES + 10, 'a')]);
  await expect(sendDeliveryReport(server.port, returnPath, huge)).rejects.toMatchObject({ responseCode: 552 });
  failing = true;
  await expect(sendDeliveryReport(server.port, returnPath, report)).rejects.toMatchObject({ responseCode: 451 });
  expect(received).toEqual([]);
  // The relay tries again once the intake is back.
  failing = false;
  await sendDeliveryReport(server.port, returnPath, report);
  expect(received).toHaveLength(1);
});

test('broken bytes and a bare message are handed over as they are, for the intake to judge', async () => {
  const transport = createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true });
  await transport.sendMail({
    envelope: { from: '', to: returnPath },
    raw: Buffer.concat([Buffer.from('Subject: \xff\xfe\r\n\r\n', 'latin1'), Buffer.from([0xc3, 0x28, 0x00])]),
  });
  transport.close();
  expect(received).toHaveLength(1);
});
