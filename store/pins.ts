import type { Actor } from '../domain/actor';
import { lastFour } from '../domain/bankid';
import { openSealed, sealText } from '../domain/crypto';
import { DomainError } from '../domain/errors';
import { storedContent } from '../domain/stored-content';
import { recordAudit } from './audit';
import type { Database, Tx } from './database';
import { lockPromise } from './promises';

// A personal identity number the coordinator pins for a BankID signatory, so that only that
// person's BankID can sign (BankID's requirement.personalNumber). Sealed in the database, shown
// as its last four digits, never logged; deleted when the signatory has signed, when the round is
// over, or with the person's data.

export async function pinPersonalNumber(
  db: Database,
  input: { promiseId: string; signatoryKey: string; personalNumber: string; secret: string; actor: Actor },
) {
  return db.$transaction(async (tx) => {
    const signatory = await currentSignatory(tx, input.promiseId, input.signatoryKey);
    if (signatory.signingMethod !== 'BANKID') {
      throw new DomainError('CONFLICT', `${signatory.name} signerar med länken i e-posten; välj BankID för hen i texten först.`);
    }
    const pin = { sealed: sealText(input.secret, input.personalNumber), lastFour: lastFour(input.personalNumber) };
    await tx.personalNumberPin.upsert({
      where: { promiseId_signatoryKey: { promiseId: input.promiseId, signatoryKey: input.signatoryKey } },
      create: { promiseId: input.promiseId, signatoryKey: input.signatoryKey, ...pin },
      update: pin,
    });
    await recordAudit(tx, {
      promiseId: input.promiseId,
      actor: input.actor,
      action: 'PERSONAL_NUMBER_PINNED',
      details: { signatoryKey: input.signatoryKey },
    });
    return { signatoryKey: input.signatoryKey, lastFour: pin.lastFour };
  });
}

export async function unpinPersonalNumber(db: Database, input: { promiseId: string; signatoryKey: string; actor: Actor }) {
  await db.$transaction(async (tx) => {
    await currentSignatory(tx, input.promiseId, input.signatoryKey);
    const { count } = await tx.personalNumberPin.deleteMany({ where: { promiseId: input.promiseId, signatoryKey: input.signatoryKey } });
    if (count > 0) {
      await recordAudit(tx, {
        promiseId: input.promiseId,
        actor: input.actor,
        action: 'PERSONAL_NUMBER_UNPINNED',
        details: { signatoryKey: input.signatoryKey },
      });
    }
  });
}

/** The signatory of the promise's current version, with how it signs; refused when the promise is over. */
async function currentSignatory(tx: Tx, promiseId: string, key: string) {
  const locked = await lockPromise(tx, promiseId);
  if (locked.status === 'CLOSED' || locked.status === 'WITHDRAWN') {
    throw new DomainError('CONFLICT', 'Löftet är avslutat eller återkallat; ingen signerar det längre.');
  }
  const version = await tx.documentVersion.findUniqueOrThrow({
    where: { promiseId_number: { promiseId, number: locked.currentVersionNumber } },
  });
  const signatory = storedContent(version.content).signatories.find((s) => s.key === key);
  if (!signatory) throw new DomainError('NOT_FOUND', `Ingen undertecknare i löftet har nyckeln "${key}".`);
  return { name: signatory.name, signingMethod: signatory.signingMethod ?? 'EMAIL_LINK' };
}

/** The promise's pins by signatory key, as anyone may see them: the last four digits. */
export async function pinsOf(db: Database, promiseId: string): Promise<Map<string, string>> {
  const pins = await db.personalNumberPin.findMany({ where: { promiseId }, select: { signatoryKey: true, lastFour: true } });
  return new Map(pins.map((p) => [p.signatoryKey, p.lastFour]));
}

/** The pinned number itself, for the BankID order only. */
export async function pinnedNumberOf(db: Database, secret: string, promiseId: string, signatoryKey: string) {
  const pin = await db.personalNumberPin.findUnique({ where: { promiseId_signatoryKey: { promiseId, signatoryKey } } });
  return pin ? openSealed(secret, pin.sealed) : undefined;
}

/** Deletes pins no longer needed: once the round that needed them is over. */
export const deletePins = (tx: Tx, promiseId: string, signatoryKeys?: string[]) =>
  tx.personalNumberPin.deleteMany({ where: { promiseId, ...(signatoryKeys ? { signatoryKey: { in: signatoryKeys } } : {}) } });
