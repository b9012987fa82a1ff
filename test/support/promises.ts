import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../../domain/actor';
import { stockholmDateOf } from '../../domain/calendar';
import { PromiseContentSchema, type PromiseContent } from '../../domain/content';
import { movedToYear } from '../../domain/move-years';
import { PromiseSettingsSchema, type PromiseSettings } from '../../domain/settings';
import type { ReceivedMail } from '../../platform/embedded/mailbox';
import { createCoordinator } from '../../store/coordinators';
import type { Database } from '../../store/database';
import { createDraft } from '../../store/promises';

/** A promise from test/fixtures (taken from ../shared/seeds), validated. */
export function fixture(name: 'lessebo-2020' | 'ljungby-2021' | 'astorp-2023-2025'): PromiseContent {
  return PromiseContentSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', `${name}.json`), 'utf8')));
}

export const lessebo = () => fixture('lessebo-2020');

/** The promise moved to the first year after `now`: Temporal's test servers start at today's date. */
export const inComingYear = (content: PromiseContent, now = Date.now()) => movedToYear(content, new Date(now).getUTCFullYear() + 1);

let coordinators = 0;

/** A draft of the fixture under a coordinator of its own, so tests sharing a mailbox can tell mail apart. */
export async function createDraftOf(db: Database, content: PromiseContent, settings: PromiseSettings) {
  coordinators += 1;
  const email = `samordnare-${process.pid}-${coordinators}@${content.municipality.toLowerCase().replace(/[^a-z]/g, '')}.example`;
  const { coordinator, token } = await createCoordinator(db, { name: 'Sara Samordnare', email });
  const actor: Actor = { kind: 'COORDINATOR', id: coordinator.id };
  const { promise } = await createDraft(db, { content, settings, coordinatorId: coordinator.id, actor });
  return { promise, coordinator, token, actor, coordinatorEmail: email };
}

/** Lessebo's promise, its period still ahead, so that signing tests are not followed by a year at once. */
export function createLesseboDraft(db: Database, settings: Partial<PromiseSettings['signing']> = {}) {
  return createDraftOf(db, inComingYear(lessebo()), PromiseSettingsSchema.parse({ signing: settings }));
}

/** The personal link's token in a signing e-mail. */
export function signingToken(mail: ReceivedMail): string {
  const match = /\/sign\/([A-Za-z0-9_-]{43})/.exec(mail.text);
  if (!match) throw new Error(`Ingen signeringslänk i "${mail.subject}"`);
  return match[1]!;
}

export const mailTo = (messages: ReceivedMail[], address: string) => messages.filter((m) => m.to.includes(address));
export const subjectsStartingWith = (messages: ReceivedMail[], prefix: string) => messages.filter((m) => m.subject.startsWith(prefix));

export { startingOn } from '../../domain/move-years';

/** Today in Sweden, the day reports are measured against. */
export const today = () => stockholmDateOf(Date.now());
