import { createTransport } from 'nodemailer';
// A delivery status notification (RFC 3464) as a relay writes one after taking an e-mail and
// failing to deliver it: what the local mailbox of `npm start` sends for an address that bounces
// later, and what the tests send where no real relay is needed.

export interface DeliveryReport {
  /** The envelope sender of the e-mail that failed: where the notification goes. */
  returnPath: string;
  recipient: string;
  action: 'failed' | 'delayed';
  /** Enhanced status code: 5.1.1 for an unknown mailbox, 4.2.2 for a full one. */
  status: string;
  diagnostic: string;
  reportingMta?: string;
  /** The failed e-mail's Subject, returned in its headers. */
  subject?: string;
}

export function deliveryReportOf(report: DeliveryReport): Buffer {
  const mta = report.reportingMta ?? 'localhost';
  const boundary = `dsn-${report.action}-${report.status}`;
  return Buffer.from(
    [
      `From: Mail Delivery System <MAILER-DAEMON@${mta}>`,
      `To: ${report.returnPath}`,
      `Subject: ${report.action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)'}`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      report.action === 'failed' ? 'Meddelandet kunde inte levereras.' : 'Meddelandet har inte kunnat levereras än; försöken fortsätter.',
      '',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      `Reporting-MTA: dns; ${mta}`,
      '',
      `Final-Recipient: rfc822; ${report.recipient}`,
      `Action: ${report.action}`,
      `Status: ${report.status}`,
      `Diagnostic-Code: smtp; ${report.diagnostic}`,
      '',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `Subject: ${report.subject ?? ''}`,
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

/** Sends a notification over SMTP with the null sender (MAIL FROM:<>), as relays send them. */
export async function sendDeliveryReport(port: number, returnPath: string, report: Buffer): Promise<void> {
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from: '', to: returnPath }, raw: report });
  } finally {
    transport.close();
  }
}
