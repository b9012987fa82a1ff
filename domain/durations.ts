// Durations in settings are short strings ("3d", "12h", "30m", "45s"): readable in JSON, plain
// data through continue-as-new, and short enough to set per promise for fast test runs. Every one
// is longer than zero and at most a year and a day. No zod here: workflow code reads durations.
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const DURATION_PATTERN = /^(\d{1,6})(s|m|h|d)$/;
export const MAX_DURATION_DAYS = 366;

const parsed = (duration: string): number | undefined => {
  const match = DURATION_PATTERN.exec(duration);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
};

/** A duration is a string such as "3d"; the settings' schema checks it (DurationSchema). */
export type Duration = string;

/** What is wrong with the length of a duration of the right form, if anything. */
export function durationRangeProblem(duration: string): string | undefined {
  const ms = parsed(duration);
  if (ms === undefined) return undefined;
  if (ms <= 0) return 'ska vara längre än 0';
  if (ms > MAX_DURATION_DAYS * UNIT_MS.d) return `får vara högst ${MAX_DURATION_DAYS} dagar`;
  return undefined;
}

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
