/** Session and sign-in limits: pure rules, table-tested. */
export const SESSION_LIMITS = {
  /** Signed out after this long without a request. */
  idleMs: 2 * 60 * 60 * 1000,
  /** Signed out this long after signing in, whatever happens. */
  absoluteMs: 12 * 60 * 60 * 1000,
  /** last_seen_at is written at most this often (not on every request). */
  touchEveryMs: 60 * 1000,
};

export function sessionState(
  session: { lastSeenAt: Date; expiresAt: Date },
  now: Date,
  limits = SESSION_LIMITS,
): 'active' | 'idle' | 'expired' {
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= limits.idleMs) return 'idle';
  return 'active';
}

/**
 * Failures allowed before waiting, per account and per client address; `public`: public writes
 * (sign-ups, password-reset requests) per address. Counts start again after an hour of quiet.
 */
export const FREE_FAILURES = { account: 5, ip: 20, public: 10 } as const;
const MAX_WAIT_SECONDS = 15 * 60;

/**
 * How long to wait after the n-th consecutive failure: nothing within the free allowance,
 * then 1 s, 2 s, 4 s… doubling, up to 15 minutes.
 */
export function backoffSeconds(kind: keyof typeof FREE_FAILURES, failures: number): number {
  const over = failures - FREE_FAILURES[kind];
  if (over <= 0) return 0;
  return Math.min(MAX_WAIT_SECONDS, 2 ** (over - 1));
}
