// Runs the embedded database in a process of its own (PGlite needs dynamic import, which jest's
// VM lacks): prints its URL, then serves until stdin closes.
import { startEmbeddedDatabase } from '../../platform/embedded/pglite';

async function main() {
  const embedded = await startEmbeddedDatabase(process.argv[2]!);
  process.stdout.write(`${embedded.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void embedded.stop().then(() => process.exit(0)));
}
void main();
