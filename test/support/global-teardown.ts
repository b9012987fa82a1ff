import { stopCluster } from './postgres-cluster';

export default async function globalTeardown(): Promise<void> {
  const { POSTGRES_BIN_DIR: binDir, TEST_POSTGRES_DATA_DIR: dataDir } = process.env;
  if (binDir && dataDir) stopCluster(binDir, dataDir);
}
