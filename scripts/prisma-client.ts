// Generates the Prisma client when the schema changed since it was last generated. Run by
// scripts/bootstrap.mjs in a process of its own, before anything imports prisma/generated/.
import { ensurePrismaClient, step } from './lib/provision';

step('Prisma-klient', ensurePrismaClient).catch((error: unknown) => {
  console.error(`✗ Prisma-klienten kunde inte genereras: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
