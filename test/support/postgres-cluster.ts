import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../platform/net';

// A throwaway PostgreSQL cluster for one test run, from the machine's own PostgreSQL programs.
// PostgreSQL refuses to run as root, so as root it runs as the "postgres" system user.

function asPostgresUser(binary: string, args: string[]) {
  const isRoot = process.getuid?.() === 0;
  const [command, fullArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  execFileSync(command, fullArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface PostgresCluster {
  adminUrl: string;
  dataDir: string;
}

export async function startCluster(binDir: string): Promise<PostgresCluster> {
  const base = mkdtempSync(join(tmpdir(), 'medborgarlofte-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(base, uid, gid);
  }
  const dataDir = join(base, 'data');
  const port = await freePort();
  asPostgresUser(join(binDir, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  asPostgresUser(join(binDir, 'pg_ctl'), [
    '-D', dataDir, '-w', '-l', join(base, 'postgres.log'),
    '-o', `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ]);
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir };
}

export function stopCluster(binDir: string, dataDir: string): void {
  asPostgresUser(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']);
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
}
