import type { BankIdOrder as BankIdOrderRecord } from '../prisma/generated/client';
import QRCode from 'qrcode';
import { messageFor, ORDER_START_SECONDS } from '../domain/bankid';
import { bankIdQrData } from '../domain/crypto';
import { qrSecretOf } from '../store/bankid-orders';
import type { Sender } from '../store/promises';
import type { BankIdOrderView } from './views/bankid';
import type { PageContext } from './views/layout';

// A BankID order's page as it stands this second: what BankID says (its recommended message for
// the hint code or the error), the QR code while it may still be scanned (made here, from the
// secret only the server holds), the link that starts the app on this device.

/** While a QR code is shown the page reloads every second (BankID's codes change each second); otherwise every two. */
const QR_REFRESH_SECONDS = 1;
const STATUS_REFRESH_SECONDS = 2;

export async function bankIdOrderView(
  context: PageContext,
  order: BankIdOrderRecord,
  link: { path: string; sender: Sender; appUrl: string; secret: string },
): Promise<BankIdOrderView> {
  const texts = context.t.links.bankId;
  const base = { path: link.path, orderId: order.id, sender: link.sender, canRetry: false, running: false, refreshSeconds: 0 };
  const running = (message: string, more: Partial<BankIdOrderView> = {}): BankIdOrderView => ({
    ...base,
    running: true,
    refreshSeconds: STATUS_REFRESH_SECONDS,
    message,
    ...more,
  });
  const ended = (message: string): BankIdOrderView => ({ ...base, message, canRetry: true });

  switch (order.status) {
    case 'STARTING':
      return running(texts.starting);
    case 'COMPLETE':
      // Signed at BankID, being recorded: the page follows until the receipt, with nothing left to cancel.
      return { ...base, message: texts.recording, refreshSeconds: STATUS_REFRESH_SECONDS };
    case 'HELD':
      return { ...base, message: texts.held };
    case 'REFUSED':
      return ended(texts.refused);
    case 'CANCELLED':
      return ended(texts.rfa.RFA3);
    case 'FAILED':
      return ended(
        texts.rfa[
          order.hintCode
            ? messageFor({ status: 'failed', hintCode: order.hintCode }, order.sameDevice)
            : messageFor({ errorCode: order.errorCode ?? 'unknown' }, order.sameDevice)
        ],
      );
    case 'PENDING': {
      const message = texts.rfa[messageFor({ status: 'pending', hintCode: order.hintCode ?? undefined }, order.sameDevice)];
      if (order.cancelRequestedAt) return running(texts.rfa.RFA6);
      if (order.sameDevice) {
        return running(message, { autostart: `${link.appUrl}?autostarttoken=${order.autoStartToken}&redirect=null` });
      }
      const seconds = Math.floor((Date.now() - order.orderStartedAt!.getTime()) / 1000);
      // The code is shown until the app has it, and never past the time BankID lets it be scanned.
      if (order.hintCode !== 'outstandingTransaction' || seconds > ORDER_START_SECONDS) return running(message);
      const data = bankIdQrData(order.qrStartToken!, qrSecretOf(order.qrSecretSealed!, link.secret), seconds);
      const qrSvg = await QRCode.toString(data, { type: 'svg', margin: 2, width: 240, errorCorrectionLevel: 'L' });
      return running(message, { qrSvg, refreshSeconds: QR_REFRESH_SECONDS });
    }
  }
}
