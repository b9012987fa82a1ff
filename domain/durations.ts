import { z } from 'zod';

// Durations in settings are short strings ("3d", "12h", "30m", "45s"): readable in JSON, plain
// data through continue-as-new, and short enough to set per promise for fast test runs.
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_PATTERN = /^(\d{1,6})(s|m|h|d)$/;

export const DurationSchema = z
  .string()
  .regex(DURATION_PATTERN, 'ska vara ett heltal följt av s, m, h eller d, t.ex. "3d"');

export type Duration = z.infer<typeof DurationSchema>;

export function durationToMs(duration: Duration): number {
  const match = DURATION_PATTERN.exec(duration);
  if (!match) throw new Error(`Ogiltig varaktighet: ${duration}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export const DAY_MS = UNIT_MS.d;
