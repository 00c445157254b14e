import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'parley' },
    // Credentials never reach the logs, whatever a face calls its header.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["api_access_token"]',
        'req.headers["api-access-token"]',
        'req.headers["x-api-key"]',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}
