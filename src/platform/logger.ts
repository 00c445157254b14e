import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

// Query parameters that carry credentials or signatures: WebSocket tokens, signed blob URLs.
const SECRET_QUERY_PARAMS = /([?&](?:access_token|token|signature|api_key)=)[^&]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMS, '$1[redacted]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
}

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'parley' },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: request.url === undefined ? undefined : redactUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
      }),
    },
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
