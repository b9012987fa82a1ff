import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../platform/net';

// A throwaway PostgreSQL cluster for one test run, from the machine's own PostgreSQL programs.
// PostgreSQL refuses to run as root, so as root it runs as the "postgres" system user. Its
// settings are in its own configuration, so the fault tests can stop it and start it again.

function asPostgresUser(binary: string, args: string[]) {
  const isRoot = process.getuid?.() === 0;
  const [command, fullArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  execFileSync(command, fullArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface PostgresCluster {
  adminUrl: string;
  dataDir: string;
}

/**
 * A cluster of its own; fsync off for the tests, on for the bench (as a production server runs),
 * which also counts every statement (pg_stat_statements, transaction control included).
 */
export async function startCluster(binDir: string, options: { fsync?: boolean; countStatements?: boolean } = {}): Promise<PostgresCluster> {
  const base = mkdtempSync(join(tmpdir(), 'medborgarlofte-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(base, uid, gid);
  }
  const dataDir = join(base, 'data');
  const port = await freePort();
  asPostgresUser(join(binDir, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    `\nport = ${port}\nunix_socket_directories = '${base}'\nlisten_addresses = '127.0.0.1'\nfsync = ${options.fsync ? 'on' : 'off'}\nmax_connections = 200\n` +
      (options.countStatements ? `shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.max = 10000\n` : ''),
  );
  startServer(binDir, dataDir);
  return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir };
}

/** Starts the cluster's server and waits until it takes connections. */
export function startServer(binDir: string, dataDir: string): void {
  asPostgresUser(join(binDir, 'pg_ctl'), ['-D', dataDir, '-w', '-l', join(dataDir, '..', 'postgres.log'), 'start']);
}

/** Stops the server as an outage would: connections are cut, nothing is removed. */
export function stopServer(binDir: string, dataDir: string): void {
  asPostgresUser(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', 'stop']);
}

export function stopCluster(binDir: string, dataDir: string): void {
  asPostgresUser(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']);
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
}
