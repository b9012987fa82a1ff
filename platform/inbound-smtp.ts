import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Logger } from 'pino';
import { domainOf } from '../domain/return-path';
import { MAX_INBOUND_BYTES } from './inbound-mail';

// The product's own inbound SMTP port for bounces (BOUNCE_SMTP_PORT), for a relay that forwards
// them rather than leaving them in a mailbox: mail to the bounce address's domain only, at most
// MAX_INBOUND_BYTES, each message handed over before the 250. A failure to take it in answers 451,
// so the relay keeps the message and tries again; nothing is lost and the intake dedups.

export interface InboundSmtpOptions {
  host: string;
  port: number;
  /** The bounce address's domain: recipients elsewhere are refused (no relaying through this port). */
  domain: string;
  receive(raw: Buffer, recipient: string): Promise<unknown>;
  logger?: Logger;
}

const refusal = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

function readLimited(stream: SMTPServerDataStream): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= MAX_INBOUND_BYTES) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded || length > MAX_INBOUND_BYTES ? undefined : Buffer.concat(chunks)));
  });
}

export async function startInboundSmtp(options: InboundSmtpOptions): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_INBOUND_BYTES,
    logger: false,
    banner: 'Medborgarlöften: studsar',
    onRcptTo(address, _session, callback) {
      if (domainOf(address.address) !== options.domain.toLowerCase())
        return callback(refusal(550, '5.7.1 Tar bara emot studsar till studsadressen'));
      callback();
    },
    onData(stream, session, callback) {
      readLimited(stream)
        .then(async (raw) => {
          if (!raw) return callback(refusal(552, `5.3.4 Större än ${MAX_INBOUND_BYTES} byte`));
          for (const recipient of session.envelope.rcptTo) await options.receive(raw, recipient.address);
          callback();
        })
        .catch((error: unknown) => {
          options.logger?.warn({ err: error }, 'studs: kunde inte ta emot meddelandet nu; reläet försöker igen');
          callback(refusal(451, '4.3.0 Försök igen senare'));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  // A sender that drops the connection ends its own session only.
  server.on('error', (error) => options.logger?.warn({ err: error }, 'studs: SMTP-sessionen avbröts'));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
