import { readdirSync, readFileSync } from 'node:fs';

// What a process and its children cost, read from /proc (Linux): CPU time in user and kernel mode,
// the finished children's included, and resident memory. Node's own counters see one process only.

const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

interface ProcessStat {
  pid: number;
  ppid: number;
  cpuMs: number;
  rssBytes: number;
}

function stat(pid: number): ProcessStat | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields that follow start after the last ')'.
    const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
    const number = (field: number) => Number(fields[field - 3]);
    return {
      pid,
      ppid: number(4),
      cpuMs: ((number(14) + number(15) + number(16) + number(17)) * 1000) / TICKS_PER_SECOND,
      rssBytes: number(24) * PAGE_BYTES,
    };
  } catch {
    return undefined; // gone between the listing and the read
  }
}

function allProcesses(): ProcessStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter((s): s is ProcessStat => s !== undefined);
}

/** The process and everything it started, still running. */
function tree(root: number, all: ProcessStat[]): ProcessStat[] {
  const found = all.filter((p) => p.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i]!.pid));
  return found;
}

export interface Usage {
  cpuMs: number;
  rssBytes: number;
}

/** CPU time and memory of each named group of process trees now (the running ones of the group). */
export function usageOf(roots: Record<string, (number | undefined)[]>): Record<string, Usage> {
  const all = allProcesses();
  return Object.fromEntries(
    Object.entries(roots).map(([name, group]) => {
      const members = group.flatMap((root) => (root === undefined ? [] : tree(root, all)));
      return [name, { cpuMs: members.reduce((sum, p) => sum + p.cpuMs, 0), rssBytes: members.reduce((sum, p) => sum + p.rssBytes, 0) }];
    }),
  );
}

/** The CPU time each process tree spent between two readings. */
export const cpuBetween = (before: Record<string, Usage>, after: Record<string, Usage>): Record<string, number> =>
  Object.fromEntries(Object.keys(after).map((name) => [name, after[name]!.cpuMs - (before[name]?.cpuMs ?? 0)]));
