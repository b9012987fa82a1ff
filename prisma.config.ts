// Prisma CLI configuration: only `prisma generate` runs here (scripts/lib/provision.ts). Migrations
// are applied by platform/migrate.ts and written by scripts/new-migration.ts, so no engine binary
// is ever downloaded.
import { defineConfig } from 'prisma/config';

export default defineConfig({ schema: 'prisma/schema.prisma' });
