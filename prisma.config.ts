// Prisma CLI configuration. The JS schema engine with the pg adapter lets `prisma migrate diff`
// run with no engine download (see scripts/new-migration.ts); the app never runs the CLI.
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error('DATABASE_URL behövs för prisma-kommandon som når databasen.');
    return new PrismaPg({ connectionString });
  },
});
