import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { deliveryReportOf } from './delivery-report';

// A real SMTP server that keeps what it receives in memory: the local mailbox of `npm start`
// (read at /dev/mailbox) and the mail server of the tests. The app talks SMTP to it exactly as
// it would to a production relay.

export interface ReceivedMail {
  id: number;
  receivedAt: Date;
  /** The From header, decoded: "Lessebo kommun via Medborgarlöften <noreply@…>". */
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The envelope sender (MAIL FROM): where the relay sends a bounce. */
  returnPath: string;
  /** Each header as sent, by its lower-case name (e.g. "reply-to": "Sara <sara@kommun.se>"). */
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: string }[];
}

export class LocalMailbox {
  readonly messages: ReceivedMail[] = [];
  /** Addresses this server refuses at RCPT TO, with the reply it gives (tests of bounces). */
  readonly refused = new Map<string, { code: number; text: string }>();
  /**
   * `npm start`: mail to an address containing `marker` is taken (250) and, `afterMs` later, a
   * delivery status notification goes to its return path, as a relay writes one when the
   * destination refuses the address later.
   */
  bounceLater?: { marker: string; afterMs: number; deliver(report: Buffer, returnPath: string): Promise<void> };
  /** Runs after a message is kept and before the server answers 250 (fault tests stop the sender here). */
  beforeAccepting?: (mail: ReceivedMail) => Promise<void>;
  private readonly server: SMTPServer;
  private listeners: (() => void)[] = [];
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const refusal = this.refused.get(address.address.toLowerCase());
        if (!refusal) return callback();
        callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (parsed) => {
            const mail: ReceivedMail = {
              id: this.messages.length + 1,
              receivedAt: new Date(),
              from: parsed.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              returnPath: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              headers: Object.fromEntries(parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(':') + 1).trim()])),
              attachments: parsed.attachments.map((a) => ({
                filename: a.filename ?? '',
                contentType: a.contentType,
                content: a.content.toString('utf8'),
              })),
            };
            this.messages.push(mail);
            for (const listener of this.listeners.splice(0)) listener();
            this.scheduleBounces(mail);
            await this.beforeAccepting?.(mail);
            callback();
          })
          .catch(callback);
      },
    });
  }

  private scheduleBounces(mail: ReceivedMail): void {
    const later = this.bounceLater;
    if (!later || !mail.returnPath) return;
    for (const recipient of mail.to.filter((address) => address.toLowerCase().includes(later.marker))) {
      const report = deliveryReportOf({
        returnPath: mail.returnPath,
        recipient,
        action: 'failed',
        status: '5.1.1',
        diagnostic: '550 5.1.1 Mottagaren finns inte (lokal brevlåda: adressen studsar senare)',
        subject: mail.subject,
      });
      // A lost notification is only a lost demonstration; the local mailbox does not retry.
      setTimeout(() => void later.deliver(report, mail.returnPath).catch(() => undefined), later.afterMs).unref();
    }
  }

  async start(port = 0, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    // A sender that vanishes mid-session (a worker killed, a connection reset) ends its own
    // session; the server goes on serving the others.
    this.server.on('error', () => undefined);
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    return this.port;
  }

  /** From now on, refuse mail to this address as a relay does for an unknown user. */
  refuse(address: string, code = 550, text = '5.1.1 User unknown'): void {
    this.refused.set(address.toLowerCase(), { code, text });
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Resolves once `predicate` holds over the received mail, or rejects after timeoutMs. */
  async waitFor(predicate: (messages: ReceivedMail[]) => boolean, timeoutMs = 30_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`Väntade förgäves på e-post (${this.messages.length} mottagna).`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 500));
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
