import PostalMime from 'postal-mime';
import { outboxOfReturnPath } from '../domain/crypto';
import { bounceKindOf, parseDeliveryStatus, type BounceKind, type RecipientReport } from '../domain/delivery-status';

// What arrives in the bounce mailbox (issue 26), read once per message, whatever way it came (IMAP or
// the inbound SMTP port): a delivery status notification about one of our e-mails (its return path
// checked), an automatic answer, a person's answer, or something that cannot be read. Only a report
// whose return path carries the installation's check value may mark anything.

/** The largest message read; a notification is a few kilobytes, with the returned headers. */
export const MAX_INBOUND_BYTES = 1024 * 1024;

export type InboundMessage =
  | { kind: 'BOUNCE'; outboxId: string; reports: (RecipientReport & { bounce: BounceKind })[] }
  /** A notification whose return path is not one the installation made (forged, or another system's). */
  | { kind: 'UNVERIFIED_BOUNCE'; reason: string }
  /** An out-of-office or other automatic answer: ignored. */
  | { kind: 'AUTO_REPLY' }
  /**
   * A person wrote to the return path: the coordinator is pointed to the bounce mailbox (its
   * e-mail, when the address is one of ours). Nothing of what they wrote is kept here.
   */
  | { kind: 'REPLY'; outboxId?: string }
  | { kind: 'UNREADABLE'; reason: string };

const headerOf = (email: PostalMime.Email, name: string) => email.headers.find((h) => h.key === name)?.value;

/** RFC 3834's marks of a message no person wrote, and the common older ones. */
function isAutomatic(email: PostalMime.Email): boolean {
  const submitted = headerOf(email, 'auto-submitted');
  if (submitted && submitted.toLowerCase() !== 'no') return true;
  const precedence = headerOf(email, 'precedence')?.toLowerCase();
  return Boolean(
    headerOf(email, 'x-autoreply') || headerOf(email, 'x-autorespond') || precedence === 'auto_reply' || precedence === 'bulk',
  );
}

/**
 * Reads one message. `recipient` is the address it was delivered to (the SMTP envelope's, or the
 * mailbox's Delivered-To or To): the return path our e-mail carried, for a notification about it.
 */
export async function readInboundMessage(
  raw: Buffer,
  options: { linkSecret: string; bounceAddress: string; recipient?: string },
): Promise<InboundMessage> {
  if (raw.length > MAX_INBOUND_BYTES) return { kind: 'UNREADABLE', reason: `större än ${MAX_INBOUND_BYTES} byte` };
  let email: PostalMime.Email;
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: 'utf8', maxNestingDepth: 20 });
  } catch (error) {
    return { kind: 'UNREADABLE', reason: error instanceof Error ? error.message : String(error) };
  }
  const candidates = [options.recipient, email.deliveredTo, ...(email.to ?? []).map((a) => ('address' in a ? a.address : undefined))];
  const outboxId = candidates
    .filter((address): address is string => Boolean(address))
    .map((address) => outboxOfReturnPath(options.linkSecret, address, options.bounceAddress))
    .find(Boolean);
  const statusPart = email.attachments.find((a) => a.mimeType.toLowerCase() === 'message/delivery-status');
  if (statusPart) {
    const status = parseDeliveryStatus(String(statusPart.content));
    if (!status) return { kind: 'UNREADABLE', reason: 'leveransrapporten saknar mottagare, åtgärd eller status' };
    if (!outboxId) return { kind: 'UNVERIFIED_BOUNCE', reason: 'returadressen saknas eller har fel kontrollvärde' };
    return { kind: 'BOUNCE', outboxId, reports: status.recipients.map((report) => ({ ...report, bounce: bounceKindOf(report) })) };
  }
  if (isAutomatic(email)) return { kind: 'AUTO_REPLY' };
  return outboxId ? { kind: 'REPLY', outboxId } : { kind: 'REPLY' };
}
