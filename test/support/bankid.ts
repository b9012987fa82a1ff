import { bankIdQrData, openSealed } from '../../domain/crypto';
import { findSigningAccess } from '../../store/signing';
import type { Engine } from './engine';
import { eventually } from './eventually';
import { mailTo, signingToken, subjectsStartingWith } from './promises';

// What the BankID tests share: a signatory's signing link as the e-mail brought it, and the QR code
// a phone's camera reads from an order's page this second.

/** The path of the signing link the latest request mail to `email` carries for the promise: `/sign/<token>`. */
export function signingLinkFor(engine: Engine, promiseId: string, email: string): Promise<string> {
  return eventually(async () => {
    for (const mail of subjectsStartingWith(mailTo(engine.mailbox.messages, email), 'Signera medborgarlöftet')) {
      const access = await findSigningAccess(engine.database.db, signingToken(mail));
      if (access?.request.round.promiseId === promiseId) return `/sign/${signingToken(mail)}`;
    }
    throw new Error(`Ingen signeringslänk till ${email} i löftet ${promiseId} än`);
  });
}

/** The order an order page's address names. */
export const orderIdIn = (url: string) => /\/bankid\/([0-9a-f-]{36})/.exec(url)![1]!;

/** What a phone's camera reads from the page's QR code this second (the page draws it from these). */
export async function qrNow(engine: Engine, orderId: string): Promise<string> {
  const order = await eventually(async () => {
    const row = await engine.database.db.bankIdOrder.findUniqueOrThrow({ where: { id: orderId } });
    expect(row.status).toBe('PENDING');
    return row;
  });
  const seconds = Math.floor((Date.now() - order.orderStartedAt!.getTime()) / 1000);
  return bankIdQrData(order.qrStartToken!, openSealed(engine.activityDeps.linkSecret, order.qrSecretSealed!), seconds);
}

/** The autostart token of a same-device order, once BankID gave it. */
export function autoStartTokenOf(engine: Engine, orderId: string): Promise<string> {
  return eventually(async () => {
    const { autoStartToken } = await engine.database.db.bankIdOrder.findUniqueOrThrow({ where: { id: orderId } });
    expect(autoStartToken).not.toBeNull();
    return autoStartToken!;
  });
}
