import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../../domain/actor';
import { PromiseContentSchema, type PromiseContent } from '../../domain/content';
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

/**
 * The same promise moved whole years so that it starts on the first 1 January after `now`: Temporal's
 * test servers start at today's date, so a simulated year must lie ahead of it.
 */
export function inComingYear(content: PromiseContent, now = Date.now()): PromiseContent {
  const years = new Date(now).getUTCFullYear() + 1 - Number(content.period.start.slice(0, 4));
  const shift = (date: string) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
  const from = content.period.start.slice(0, 4);
  return {
    ...content,
    title: content.title.replaceAll(from, shift(content.period.start).slice(0, 4)),
    period: { start: shift(content.period.start), end: shift(content.period.end) },
    priorityAreas: content.priorityAreas.map((area) => ({
      ...area,
      commitments: area.commitments.map((c) => (c.shape.kind === 'ONE_OFF' ? { ...c, shape: { ...c.shape, dueDate: shift(c.shape.dueDate) } } : c)),
    })),
  };
}

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
export const subjectsStartingWith = (messages: ReceivedMail[], prefix: string) =>
  messages.filter((m) => m.subject.startsWith(prefix));
