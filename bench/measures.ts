// The bench's small shared pieces: a percentile of a set of times, and waiting for something.

/** The value below which `p` percent of the values lie (0 for none). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Reads until the answer is there (not undefined), every `everyMs`, for at most `timeoutMs`. */
export async function until<T>(
  read: () => Promise<T | undefined>,
  what: string,
  { everyMs = 50, timeoutMs = 120_000 }: { everyMs?: number; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Väntade förgäves: ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
