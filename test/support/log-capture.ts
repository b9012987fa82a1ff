import { Writable } from 'node:stream';
import { createLogger } from '../../platform/logger';

/** The product's logger at info level, writing its JSON lines into `lines` for a test to read. */
export function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      );
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}
