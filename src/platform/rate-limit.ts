/**
 * A small in-process rate limiter for public endpoints that compute but do not write (writes are
 * limited in the database, see identity's throttle): a fixed window per key (a client address).
 * Several instances each keep their own count; that is enough to stop one client hammering one.
 */
import { DomainError } from './errors.ts';

export interface RateLimiter {
  /** Counts a request of `key`; throws 429 (rate_limited, with retryAfter) past the limit. */
  hit(key: string): void;
}

export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const maxKeys = options.maxKeys ?? 50_000;
  return {
    hit(key) {
      const now = Date.now();
      let window = windows.get(key);
      if (!window || now - window.start >= options.windowMs) {
        if (windows.size >= maxKeys) {
          // forget the windows that have ended; if all are live, the oldest
          for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
          if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
        }
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count > options.limit) {
        throw new DomainError('too_many_requests', 'rate_limited', {
          retryAfter: Math.max(1, Math.ceil((window.start + options.windowMs - now) / 1000)),
        });
      }
    },
  };
}
