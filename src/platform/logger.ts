import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/** JSON logs (pino); Fastify adds a requestId to every line of a request. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  });
}
