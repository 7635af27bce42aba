import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit.ts';

/** Who is acting, for the audit log, from the request: its principal, request id and address. */
export function auditContextOf(request: FastifyRequest): AuditContext {
  const principal = request.principal;
  return {
    actor: principal
      ? { type: principal.via === 'token' ? 'token' : 'user', id: principal.userId, label: principal.email }
      : { type: 'anonymous' },
    requestId: request.id,
    ip: request.ip,
  };
}
