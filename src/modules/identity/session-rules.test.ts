import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffSeconds, sessionState } from './session-rules.ts';

test('session state from idle and absolute timeouts', () => {
  const limits = { idleMs: 100, absoluteMs: 1000, touchEveryMs: 10 };
  const at = (ms: number) => new Date(ms);
  const cases: [number, number, number, string][] = [
    // lastSeen, expires, now → state
    [0, 1000, 50, 'active'],
    [0, 1000, 99, 'active'],
    [0, 1000, 100, 'idle'],
    [900, 1000, 950, 'active'],
    [900, 1000, 1000, 'expired'],
    [0, 1000, 5000, 'expired'],
  ];
  for (const [lastSeen, expires, now, state] of cases) {
    assert.equal(sessionState({ lastSeenAt: at(lastSeen), expiresAt: at(expires) }, at(now), limits), state);
  }
});

test('back-off: free failures, then doubling waits, capped at 15 minutes', () => {
  const cases: ['account' | 'ip' | 'public', number, number][] = [
    ['account', 1, 0],
    ['account', 5, 0],
    ['account', 6, 1],
    ['account', 7, 2],
    ['account', 10, 16],
    ['account', 30, 900],
    ['ip', 20, 0],
    ['ip', 21, 1],
    ['ip', 25, 16],
    ['public', 10, 0],
    ['public', 11, 1],
  ];
  for (const [kind, failures, seconds] of cases)
    assert.equal(backoffSeconds(kind, failures), seconds, `${kind} ${failures}`);
});
