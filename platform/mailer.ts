import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

/** The one thing activities need from e-mail: send this, or throw. */
export interface Mailer {
  from: string;
  send(message: MailMessage): Promise<void>;
  verify(): Promise<void>;
  close(): void;
}

export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.url);
  return {
    from: options.from,
    async send(message) {
      await transport.sendMail({ from: options.from, ...message });
    },
    async verify() {
      await transport.verify();
    },
    close: () => transport.close(),
  };
}
