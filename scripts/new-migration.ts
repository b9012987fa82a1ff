// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
// the SQL that takes the last committed prisma/schema.prisma to the one in the work tree. Runs
// Prisma's diff offline (scripts/schema-diff.ts) beside a throwaway embedded database.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../platform/embedded/pglite';
import { MIGRATIONS_DIR } from '../platform/migrate';
import { runMain } from '../platform/production';
import { ConfigError } from '../platform/config';
import { ensurePrismaClient, projectRoot } from './lib/provision';
import { diffSchemas } from './schema-diff';

runMain(async () => {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name))
    throw new ConfigError('Ange ett namn med a–z, 0–9 och _, t.ex. npm run db:migration -- add_feed');
  const work = mkdtempSync(join(tmpdir(), 'medborgarlofte-migration-'));
  const previous = join(work, 'previous.prisma');
  writeFileSync(previous, execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: projectRoot }));
  const embedded = await startEmbeddedDatabase(join(work, 'db'));
  try {
    const diff = await diffSchemas({ from: previous, to: join(projectRoot, 'prisma', 'schema.prisma'), databaseUrl: embedded.url });
    // Prisma wraps some steps (an enum recreated) in BEGIN/COMMIT of their own; our runner already
    // gives each migration one transaction, and a COMMIT inside it would end that one early.
    const sql = diff.replace(/^(BEGIN|COMMIT);\n/gm, '');
    if (!/^\s*(CREATE|ALTER|DROP)/im.test(sql)) {
      console.log('Ingen skillnad mot senast incheckade schema.prisma; ingen migrering skrevs.');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), sql);
    ensurePrismaClient();
    console.log(`✓ ${join('prisma', 'migrations', `${stamp}_${name}`, 'migration.sql')}`);
  } finally {
    await embedded.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
