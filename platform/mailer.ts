import nodemailer from 'nodemailer';
import { sha256Hex } from '../domain/crypto';

export interface Mailbox {
  name?: string;
  address: string;
}

export interface MailMessage {
  to: Mailbox;
  /** The sender's name for this message (the coordinator's organisation); the address stays MAIL_FROM's. */
  fromName?: string;
  /** The person to answer: the promise's coordinator, not the service's no-reply sender. */
  replyTo?: Mailbox;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The envelope sender bounces go back to (VERP, domain/return-path.ts); MAIL_FROM's address without one. */
  returnPath?: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

/** The one thing activities need from e-mail: send this, or throw. */
export interface Mailer {
  from: string;
  send(message: MailMessage): Promise<void>;
  verify(): Promise<void>;
  close(): void;
}

/**
 * An attempt to send gives up well within its activity's 30-second start-to-close timeout
 * (workflows/activity-stubs.ts), so Temporal never retries while an attempt is still talking to
 * the relay. nodemailer's own defaults would wait up to ten minutes.
 */
export const SMTP_TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 } as const;

/**
 * Connections to the relay kept open and shared by the sends running at once: a connection per
 * message (nodemailer's default) cost a TCP and SMTP handshake each. A relay that refuses one
 * recipient leaves the connection usable for the next message.
 */
export const SMTP_POOL = { pool: true, maxConnections: 5, maxMessages: 100 } as const;

export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport({ url: options.url, ...SMTP_POOL, ...SMTP_TIMEOUTS_MS });
  return {
    from: options.from,
    async send({ fromName, returnPath, ...message }) {
      const address = mailAddressOf(options.from);
      const from = fromName && address ? { name: fromName, address } : options.from;
      const envelope = returnPath ? { envelope: { from: returnPath, to: [message.to.address] } } : {};
      // Every message is sent by the service, not typed by a person: out-of-office replies stay away (RFC 3834).
      await transport.sendMail({ from, ...message, ...envelope, headers: { 'Auto-Submitted': 'auto-generated' } });
    },
    async verify() {
      await transport.verify();
    },
    close: () => transport.close(),
  };
}

/** The address of a From setting, "Namn <adress@domän>" or "adress@domän". */
export const mailAddressOf = (from: string): string | undefined =>
  /<([^>\s]+@[^>\s]+)>\s*$|^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(from)?.slice(1).find(Boolean);

/** The domain of a From address, "Namn <adress@domän>" or "adress@domän". */
export const mailDomainOf = (from: string): string | undefined => /@([^>\s]+)>?\s*$/.exec(from)?.[1]?.toLowerCase();

/** One Message-ID per e-mail (the same on every attempt), on the sender's own domain. */
export const messageIdFor = (idempotencyKey: string, from: string): string =>
  `<${sha256Hex(idempotencyKey).slice(0, 32)}@${mailDomainOf(from) ?? 'medborgarloften.localhost'}>`;
