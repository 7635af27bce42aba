import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from './errors.ts';
import { createRateLimiter } from './rate-limit.ts';

test('a key may make `limit` requests a window, then waits; other keys are not affected', () => {
  const limiter = createRateLimiter({ limit: 3, windowMs: 60_000 });
  for (let i = 0; i < 3; i++) limiter.hit('10.0.0.1');
  assert.throws(
    () => limiter.hit('10.0.0.1'),
    (e: unknown) => e instanceof DomainError && e.kind === 'rate_limited' && Number(e.params.retryAfter) > 0,
  );
  limiter.hit('10.0.0.2');
});

test('the window starts again once it has passed', async () => {
  const limiter = createRateLimiter({ limit: 1, windowMs: 20 });
  limiter.hit('a');
  assert.throws(() => limiter.hit('a'));
  await new Promise((resolve) => setTimeout(resolve, 30));
  limiter.hit('a');
});

test('memory stays bounded whatever the number of clients', () => {
  const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 100 });
  for (let i = 0; i < 1000; i++) limiter.hit(`client-${i}`);
  limiter.hit('client-new');
});
