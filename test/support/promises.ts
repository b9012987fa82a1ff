import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../../domain/actor';
import { PromiseContentSchema, type PromiseContent } from '../../domain/content';
import { PromiseSettingsSchema, type PromiseSettings } from '../../domain/settings';
import type { ReceivedMail } from '../../platform/embedded/mailbox';
import { createCoordinator } from '../../store/coordinators';
import type { Database } from '../../store/database';
import { createDraft } from '../../store/promises';

export function lessebo(): PromiseContent {
  const raw = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'lessebo-2020.json'), 'utf8'));
  return PromiseContentSchema.parse(raw);
}

export const COORDINATOR_EMAIL = 'samordnare@lessebo.example';

export async function createLesseboDraft(db: Database, settings: Partial<PromiseSettings['signing']> = {}) {
  const { coordinator, token } = await createCoordinator(db, { name: 'Sara Samordnare', email: COORDINATOR_EMAIL });
  const actor: Actor = { kind: 'COORDINATOR', id: coordinator.id };
  const { promise } = await createDraft(db, {
    content: lessebo(),
    settings: PromiseSettingsSchema.parse({ signing: settings }),
    coordinatorId: coordinator.id,
    actor,
  });
  return { promise, coordinator, token, actor };
}

/** The personal link's token in a signing e-mail. */
export function signingToken(mail: ReceivedMail): string {
  const match = /\/sign\/([A-Za-z0-9_-]{43})/.exec(mail.text);
  if (!match) throw new Error(`Ingen signeringslänk i "${mail.subject}"`);
  return match[1]!;
}

export const mailTo = (messages: ReceivedMail[], address: string) => messages.filter((m) => m.to.includes(address));
export const subjectsStartingWith = (messages: ReceivedMail[], prefix: string) =>
  messages.filter((m) => m.subject.startsWith(prefix));
