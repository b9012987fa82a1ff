// The pages' anchor: a bare Fastify server in a process of its own, answering the product's
// stylesheet from memory with the same headers and nothing else (no logging, hooks or plugins).
// What the product's own static asset costs beyond this is the product's per-request overhead.
// `tsx bench/bare-server.ts` with PORT.
import Fastify from 'fastify';
import { STYLESHEET, STYLESHEET_PATH } from '../api/pages/html';

async function main() {
  const app = Fastify();
  app.get(STYLESHEET_PATH, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  console.log(`bare server: ${STYLESHEET_PATH}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
