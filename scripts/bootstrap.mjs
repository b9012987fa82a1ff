#!/usr/bin/env node
// Entry point of every npm script that runs the app (`npm start`, `npm test`, the worker, the
// API, …) on a fresh clone. Plain Node with no dependencies, because it runs before
// node_modules exists: it installs the npm dependencies, generates the Prisma client into
// prisma/generated/ in a process of its own (the app's modules import it, so it must exist before
// any of them loads), then hands over to the TypeScript script.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...args] = process.argv.slice(2);
const scripts = {
  start: 'scripts/start.ts',
  test: 'scripts/test.ts',
  'test:faults': 'scripts/test-faults.ts',
  bench: 'bench/run.ts',
  worker: 'worker/main.ts',
  api: 'api/main.ts',
  'db:migrate': 'scripts/migrate.ts',
  'coordinator:create': 'scripts/create-coordinator.ts',
  'coordinator:invite': 'scripts/invite-coordinator.ts',
  'replay:cluster': 'scripts/replay-cluster.ts',
  'codec-server': 'scripts/codec-server.ts',
};
if (!scripts[command]) {
  console.error(`Okänt kommando "${command}". Använd: ${Object.keys(scripts).join(' | ')}`);
  process.exit(2);
}

// The supported lines (README); an older Node still runs, with a warning that nobody patches it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.warn(`! Node.js ${process.version} har inte längre support; använd Node.js 22 eller 24 (LTS).`);
} else {
  console.log(`✓ Node.js ${process.version} (${process.execPath})`);
}

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
const upToDate = existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
if (!upToDate) {
  console.log('→ npm-beroenden: installerar (npm ci)…');
  // A registry connection cut mid-download fails npm ci outright; it is worth two more tries.
  const ATTEMPTS = 3;
  for (let attempt = 1; ; attempt += 1) {
    const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    if (npm.status === 0) break;
    if (attempt === ATTEMPTS) {
      console.error(`✗ npm ci misslyckades ${ATTEMPTS} gånger; se utskriften ovan.`);
      process.exit(npm.status ?? 1);
    }
    console.error(`! npm ci misslyckades (försök ${attempt} av ${ATTEMPTS}); försöker igen om 10 sekunder…`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  }
} else {
  console.log('✓ npm-beroenden: redan installerade');
}

const tsx = join(root, 'node_modules', '.bin', 'tsx');
const prisma = spawnSync(tsx, [join(root, 'scripts', 'prisma-client.ts')], { cwd: root, stdio: 'inherit' });
if (prisma.status !== 0) process.exit(prisma.status ?? 1);

const child = spawn(tsx, [join(root, scripts[command]), ...args], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the whole process group, so the child already has it: wait for its clean
// shutdown. SIGTERM is sent to us alone and is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
