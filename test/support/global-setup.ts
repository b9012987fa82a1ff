import { startCluster } from './postgres-cluster';

// One PostgreSQL cluster for the whole run; each test file makes its own database in it.
export default async function globalSetup(): Promise<void> {
  const binDir = process.env.POSTGRES_BIN_DIR;
  if (process.env.TEST_POSTGRES_ADMIN_URL || !binDir) return;
  const cluster = await startCluster(binDir);
  process.env.TEST_POSTGRES_ADMIN_URL = cluster.adminUrl;
  process.env.TEST_POSTGRES_DATA_DIR = cluster.dataDir;
}
