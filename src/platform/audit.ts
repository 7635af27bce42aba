/**
 * The audit log: the one mechanism every module uses to put a write on record, inside the same
 * transaction as the write (both happen or neither). Who (user, API token, system), when, what
 * (action, entity type and id), the change (a diff of before and after), the request id and IP.
 * The table refuses UPDATE and DELETE (migration 0004).
 */
import type { Kysely } from 'kysely';
import type { DB } from './db/schema.ts';

export interface Actor {
  type: 'user' | 'token' | 'system' | 'anonymous';
  /** The user's id (for a token: the id of the user who owns it). */
  id?: string;
  /** For people reading the log: an e-mail address, a token name, a command. */
  label?: string;
}

/** Who is acting and from where: built once per request (or per CLI command). */
export interface AuditContext {
  actor: Actor;
  requestId?: string;
  ip?: string;
}

/** Fields never copied into the log. */
const SECRET = /(^|_)(password|hash|token|secret)(_|$)/i;

type Row = Record<string, unknown> | null | undefined;

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  return value;
}

/** { field: [before, after] } for every field that differs; secrets show as "[changed]". */
export function diff(before: Row, after: Row): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of [...keys].sort()) {
    const a = normalise(before?.[key]);
    const b = normalise(after?.[key]);
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out[key] = SECRET.test(key) ? ['[secret]', '[changed]'] : [a, b];
  }
  return out;
}

export interface AuditEntry {
  /** What was done, `<entity>.<verb>` in the glossary's words: `user.create`, `session.login`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: Row;
  after?: Row;
}

export async function audit(db: Kysely<DB>, context: AuditContext, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('platform.audit_log')
    .values({
      actor_type: context.actor.type,
      actor_id: context.actor.id ?? null,
      actor_label: context.actor.label ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      diff: JSON.stringify(diff(entry.before, entry.after)),
      request_id: context.requestId ?? null,
      ip: context.ip ?? null,
    })
    .execute();
}

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  offset: number;
}

export interface AuditRecord {
  id: string;
  occurredAt: string;
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string | null;
  diff: Record<string, [unknown, unknown]>;
  requestId: string | null;
  ip: string | null;
}

export async function searchAudit(
  db: Kysely<DB>,
  filter: AuditFilter,
): Promise<{ items: AuditRecord[]; total: number }> {
  let query = db.selectFrom('platform.audit_log');
  if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.from) query = query.where('occurred_at', '>=', filter.from);
  if (filter.to) query = query.where('occurred_at', '<', filter.to);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await query
    .selectAll()
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return {
    total: total?.n ?? 0,
    items: rows.map((row) => ({
      id: row.id,
      occurredAt: row.occurred_at.toISOString(),
      actor: {
        type: row.actor_type as Actor['type'],
        ...(row.actor_id ? { id: row.actor_id } : {}),
        ...(row.actor_label ? { label: row.actor_label } : {}),
      },
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      diff: (typeof row.diff === 'string' ? JSON.parse(row.diff) : row.diff) as Record<
        string,
        [unknown, unknown]
      >,
      requestId: row.request_id,
      ip: row.ip,
    })),
  };
}
