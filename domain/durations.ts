import { z } from 'zod';

// Durations in settings are short strings ("3d", "12h", "30m", "45s"): readable in JSON, plain
// data through continue-as-new, and short enough to set per promise for fast test runs. Every one
// is longer than zero and at most a year and a day.
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_PATTERN = /^(\d{1,6})(s|m|h|d)$/;
export const MAX_DURATION_DAYS = 366;

const parsed = (duration: string): number | undefined => {
  const match = DURATION_PATTERN.exec(duration);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
};

export const DurationSchema = z
  .string()
  .regex(DURATION_PATTERN, 'ska vara ett heltal följt av s, m, h eller d, t.ex. "3d"')
  .superRefine((duration, ctx) => {
    const ms = parsed(duration);
    if (ms === undefined) return;
    if (ms <= 0) ctx.addIssue({ code: 'custom', message: 'ska vara längre än 0' });
    if (ms > MAX_DURATION_DAYS * UNIT_MS.d) ctx.addIssue({ code: 'custom', message: `får vara högst ${MAX_DURATION_DAYS} dagar` });
  });

export type Duration = z.infer<typeof DurationSchema>;

export function durationToMs(duration: Duration): number {
  const ms = parsed(duration);
  if (ms === undefined) throw new Error(`Ogiltig varaktighet: ${duration}`);
  return ms;
}

export const DAY_MS = UNIT_MS.d;

const UNIT_WORDS = {
  sv: { s: ['sekund', 'sekunder'], m: ['minut', 'minuter'], h: ['timme', 'timmar'], d: ['dag', 'dagar'] },
  en: { s: ['second', 'seconds'], m: ['minute', 'minutes'], h: ['hour', 'hours'], d: ['day', 'days'] },
} as const;

/** A duration in words: "14 dagar", "1 timme"; in English with lang 'en'. */
export function durationInWords(duration: Duration, lang: 'sv' | 'en' = 'sv'): string {
  const match = DURATION_PATTERN.exec(duration);
  if (!match) throw new Error(`Ogiltig varaktighet: ${duration}`);
  const count = Number(match[1]);
  return `${count} ${UNIT_WORDS[lang][match[2] as 'd'][count === 1 ? 0 : 1]}`;
}
