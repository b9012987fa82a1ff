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

/** Address, TLS and API key: the options the client's and the worker's connections share. */
function connectionOptions(settings: TemporalSettings): ConnectionOptions & NativeConnectionOptions {
  return { address: settings.address, tls: tlsOptions(settings), apiKey: settings.apiKey };
}

export function connectClient(settings: TemporalSettings): Promise<Connection> {
  return Connection.connect(connectionOptions(settings));
}

export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(settings));
}
