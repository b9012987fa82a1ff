// Delivery status notifications (RFC 3464) as the product reads them (issue 26): the fields of a
// message/delivery-status part, per message and per recipient, and what each recipient's report
// means for the product. Written here rather than taken from a library: the format is a few header
// blocks, and what counts as permanent is this product's rule.

export interface RecipientReport {
  /** Final-Recipient's address (the "rfc822;" type dropped), lowercased. */
  recipient: string;
  action: string;
  /** The enhanced status code, "5.1.1". */
  status: string;
  /** The remote server's words, when the report carries them. */
  diagnostic?: string;
}

export interface DeliveryStatus {
  /** The envelope id the message was sent with (ENVID), when the relay kept it. */
  envelopeId?: string;
  reportingMta?: string;
  recipients: RecipientReport[];
}

/** What a recipient's report means: the address will not take mail, a delay, or nothing to act on. */
export type BounceKind = 'PERMANENT' | 'DELAYED' | 'NOT_A_FAILURE';

/** The longest delivery-status part read; a real one is a few hundred bytes per recipient. */
export const MAX_DELIVERY_STATUS_BYTES = 64 * 1024;

/** Header-like blocks, separated by blank lines; a line starting with white space continues the one before. */
function blocksOf(text: string): Map<string, string>[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      let last: string | undefined;
      for (const line of block.split('\n')) {
        if (/^[ \t]/.test(line) && last) fields.set(last, `${fields.get(last)} ${line.trim()}`);
        else {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          last = line.slice(0, colon).trim().toLowerCase();
          if (!fields.has(last)) fields.set(last, line.slice(colon + 1).trim());
        }
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);
}

/** "rfc822; Anna@Example.se" → "anna@example.se"; a value without a type as it is. */
const typedValue = (value: string) => value.replace(/^[^;]*;\s*/, '').trim();

/** The fields of a message/delivery-status part; undefined when it has no recipient with an action and a status. */
export function parseDeliveryStatus(text: string): DeliveryStatus | undefined {
  if (text.length > MAX_DELIVERY_STATUS_BYTES) return undefined;
  const [first, ...rest] = blocksOf(text);
  if (!first) return undefined;
  const perMessage = first.has('final-recipient') ? new Map<string, string>() : first;
  const perRecipient = first.has('final-recipient') ? [first, ...rest] : rest;
  const recipients = perRecipient.flatMap((fields): RecipientReport[] => {
    const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
    const action = fields.get('action')?.toLowerCase();
    const status = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(fields.get('status') ?? '')?.[1];
    if (!recipient || !action || !status) return [];
    const diagnostic = fields.get('diagnostic-code');
    return [
      { recipient: typedValue(recipient).toLowerCase(), action, status, ...(diagnostic ? { diagnostic: typedValue(diagnostic) } : {}) },
    ];
  });
  if (recipients.length === 0) return undefined;
  const envelopeId = perMessage.get('original-envelope-id');
  const reportingMta = perMessage.get('reporting-mta');
  return { recipients, ...(envelopeId ? { envelopeId } : {}), ...(reportingMta ? { reportingMta: typedValue(reportingMta) } : {}) };
}

/**
 * A failed action with a 5.x.x status is permanent; a delayed action, or any 4.x.x status, is a
 * delay (a warning, nothing marked); delivered, relayed and expanded are not failures.
 */
export function bounceKindOf(report: Pick<RecipientReport, 'action' | 'status'>): BounceKind {
  if (report.action === 'failed' && report.status.startsWith('5.')) return 'PERMANENT';
  if (report.action === 'delayed' || report.status.startsWith('4.')) return 'DELAYED';
  return 'NOT_A_FAILURE';
}
