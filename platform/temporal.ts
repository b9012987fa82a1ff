import { readFileSync } from 'node:fs';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { TemporalSettings } from './config';

// One place that turns settings into connection options, for the client (API) and the worker:
// plain for the dev server, TLS (optionally mTLS) for a self-hosted cluster, API key for Cloud.

function tlsOptions(settings: TemporalSettings) {
  if (!settings.tls) return undefined;
  const { certPath, keyPath, caPath, serverName } = settings.tls;
  return {
    serverNameOverride: serverName,
    serverRootCACertificate: caPath ? readFileSync(caPath) : undefined,
    clientCertPair: certPath && keyPath ? { crt: readFileSync(certPath), key: readFileSync(keyPath) } : undefined,
  };
}

export function connectClient(settings: TemporalSettings): Promise<Connection> {
  const options: ConnectionOptions = {
    address: settings.address,
    tls: tlsOptions(settings),
    apiKey: settings.apiKey,
  };
  return Connection.connect(options);
}

export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  const options: NativeConnectionOptions = {
    address: settings.address,
    tls: tlsOptions(settings),
    apiKey: settings.apiKey,
  };
  return NativeConnection.connect(options);
}
