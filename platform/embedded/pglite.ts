import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from '../net';

// The embedded database of `npm start`: PGlite (PostgreSQL compiled to WebAssembly) persisted
// under the data folder and served on loopback over the PostgreSQL wire protocol. The app reaches
// it through the same pg driver and SQL as a production PostgreSQL: one schema, one dialect.
// PGlite is single-session, so the app keeps one connection to it (DATABASE_POOL_SIZE is 1).

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 1 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
