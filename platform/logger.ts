import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { promiseIdOfWorkflow } from '../domain/identifiers';

// One structured logger (pino, as Fastify uses) for the API, the worker and the activities: JSON
// lines, the promise's id on every line that concerns one, and no secrets. A personal link's path
// is the capability to sign or report, so it never reaches a log; neither do API keys, cookies nor
// Temporal's task tokens (which complete an activity).

const LINK_PATH = /^\/(sign|report|logga-in)\/[^/?#]+/;

/** A URL as it may be logged: a personal link's key replaced. */
export const redactUrl = (url: string): string => url.replace(LINK_PATH, '/$1/[dold]');

// A personal identity number is never logged, wherever a careless line would put it.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'taskToken',
  'personalNumber',
  '*.personalNumber',
];

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[dold]' },
      serializers: {
        // Temporal puts an activity's or workflow's failure under "error".
        error: pino.stdSerializers.err,
        // The client's address is personal data: it is kept where the inventory says (a signature's
        // origin, for a limited time), never in the log.
        req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
      },
    },
    // Standard output written asynchronously: lines that arrive together go out in one write instead
    // of one system call each (under load most of the API's writing was log lines), and pino
    // flushes what is left when the process exits.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The Temporal SDK's logger (worker, workflows, activities) writing through pino, with promiseId added. */
export function temporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    const workflowId = typeof meta.workflowId === 'string' ? meta.workflowId : undefined;
    const promiseId = workflowId && promiseIdOfWorkflow(workflowId);
    logger[LEVELS[level]]({ ...meta, ...(promiseId ? { promiseId } : {}) }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
