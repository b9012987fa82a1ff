import type { Prisma } from '../prisma/generated/client';
import type { Actor } from '../domain/actor';
import { sameAddress } from '../domain/addresses';
import { contactsOf, storedContent, withAddressesMapped } from '../domain/stored-content';
import { canonicalTextOf } from '../domain/document';
import { DomainError } from '../domain/errors';
import { addressIdOf, recordAudit } from './audit';
import type { Database, Tx } from './database';
import { lockPromise } from './promises';

// Correcting an e-mail address of a signatory or an activity's contact. Addresses are not part of
// the signed text (domain/document.ts), so a correction changes no version and voids no signature:
// the current version's rows and stored content take the new address, and its hash stays the same.

export interface AddressCorrection {
  /** Who now has the new address: signatories by name, contacts by their commitment's text. */
  signatories: string[];
  contacts: string[];
}

export async function correctAddress(
  db: Database,
  input: { promiseId: string; previous: string; email: string; actor: Actor },
): Promise<AddressCorrection> {
  return db.$transaction(async (tx) => {
    const locked = await lockPromise(tx, input.promiseId);
    if (locked.status === 'CLOSED' || locked.status === 'WITHDRAWN') {
      throw new DomainError('CONFLICT', 'Löftet är avslutat eller återkallat; adresser behöver inte rättas.');
    }
    const version = await tx.documentVersion.findUniqueOrThrow({
      where: { promiseId_number: { promiseId: input.promiseId, number: locked.currentVersionNumber } },
      include: { signatories: true, commitments: { include: { contacts: true } } },
    });
    const content = storedContent(version.content);
    const signatories = content.signatories.filter((s) => sameAddress(s.email, input.previous));
    const commitments = content.priorityAreas
      .flatMap((a) => a.commitments)
      .filter((c) => contactsOf(c).some((contact) => sameAddress(contact.email, input.previous)));
    if (signatories.length === 0 && commitments.length === 0) {
      throw new DomainError('NOT_FOUND', `Ingen undertecknare eller kontaktperson i löftet har adressen ${input.previous}.`);
    }
    if (content.signatories.some((s) => sameAddress(s.email, input.email) && !sameAddress(s.email, input.previous))) {
      throw new DomainError('CONFLICT', `${input.email} har redan en annan undertecknare i löftet.`);
    }
    for (const signatory of signatories) signatory.email = input.email;
    for (const commitment of commitments) {
      for (const contact of contactsOf(commitment)) if (sameAddress(contact.email, input.previous)) contact.email = input.email;
    }
    if (canonicalTextOf(content) !== version.canonicalText) throw new Error('En adressrättelse ändrade den signerade texten.');

    await tx.documentVersion.update({ where: { id: version.id }, data: { content: content as unknown as Prisma.InputJsonValue } });
    const signatoryIds = version.signatories.filter((s) => sameAddress(s.email, input.previous)).map((s) => s.id);
    await tx.signatory.updateMany({ where: { id: { in: signatoryIds } }, data: { email: input.email } });
    const contactIds = version.commitments
      .flatMap((c) => c.contacts)
      .filter((c) => sameAddress(c.email, input.previous))
      .map((c) => c.id);
    await tx.commitmentContact.updateMany({ where: { id: { in: contactIds } }, data: { email: input.email } });
    const corrected = { signatories: signatories.map((s) => s.name), contacts: commitments.map((c) => c.text) };
    await recordAudit(tx, {
      promiseId: input.promiseId,
      actor: input.actor,
      action: 'ADDRESS_CORRECTED',
      details: { previousAddressId: await addressIdOf(tx, input.previous), addressId: await addressIdOf(tx, input.email), ...corrected },
    });
    return corrected;
  });
}

/**
 * Passes every address a promise keeps (its versions' content, signatories, contacts and outbox)
 * through `map`: the pseudonyms of retention and of erasure. The signed text holds no address, so
 * its hash must stay as it was.
 */
export async function mapPromiseAddresses(tx: Tx, promiseId: string, map: (address: string) => string): Promise<void> {
  const versions = await tx.documentVersion.findMany({
    where: { promiseId },
    include: { signatories: true, commitments: { include: { contacts: true } } },
  });
  for (const version of versions) {
    const content = withAddressesMapped(storedContent(version.content), map);
    if (canonicalTextOf(content) !== version.canonicalText) throw new Error('Ändrade adresser ändrade den signerade texten.');
    await tx.documentVersion.update({ where: { id: version.id }, data: { content: content as unknown as Prisma.InputJsonValue } });
    for (const { id, email } of version.signatories) {
      if (map(email) !== email) await tx.signatory.update({ where: { id }, data: { email: map(email) } });
    }
    for (const { id, email } of version.commitments.flatMap((c) => c.contacts)) {
      if (map(email) !== email) await tx.commitmentContact.update({ where: { id }, data: { email: map(email) } });
    }
  }
  for (const { id, recipient } of await tx.emailOutbox.findMany({ where: { promiseId }, select: { id: true, recipient: true } })) {
    if (map(recipient) !== recipient) await tx.emailOutbox.update({ where: { id }, data: { recipient: map(recipient) } });
  }
}
