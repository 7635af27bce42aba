import { Type } from 'typebox';
import { searchAudit } from '../../platform/audit.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import { type HttpServer, sendPage } from '../../platform/http/server.ts';
import { listOutbox } from '../../platform/mail.ts';
import { renderDocument } from '../../platform/views/jsx.ts';
import { AuditPage, OutboxPage } from './audit.views.tsx';
import { type IdentityRouteDeps, requirePrincipal, TAGS } from './identity.http.ts';
import { AuditQuery, AuditResponse } from './identity.schemas.ts';

export function registerAuditRoutes(app: HttpServer, deps: IdentityRouteDeps) {
  const { identity } = deps;
  // --- outbox (administrators) ----------------------------------------------------------------

  const OutboxResponse = Type.Object({
    items: Type.Array(
      Type.Object({
        id: Type.String(),
        to: Type.String(),
        subject: Type.String(),
        text: Type.String(),
        createdAt: Type.String(),
        sentAt: Type.Union([Type.String(), Type.Null()]),
        attempts: Type.Integer(),
        lastError: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  });

  app.get(
    '/api/v1/outbox',
    {
      schema: {
        tags: TAGS,
        summary: 'Mail the platform sent or will send (administrators)',
        response: { 200: OutboxResponse, 401: ProblemRef, 403: ProblemRef },
      },
    },
    async (request) => {
      await identity.authorize(requirePrincipal(request), { action: 'outbox.read' });
      return { items: await listOutbox(deps.db) };
    },
  );

  app.get('/admin/outbox', { schema: { hide: true } }, async (request, reply) => {
    await identity.authorize(requirePrincipal(request), { action: 'outbox.read' });
    return sendPage(
      reply,
      renderDocument(OutboxPage({ page: request.page, messages: await listOutbox(deps.db) })),
    );
  });

  // --- audit log --------------------------------------------------------------------------

  const auditFilter = (query: {
    entityType?: string;
    entityId?: string;
    actorId?: string;
    from?: string;
    to?: string;
    limit?: number;
    offset?: number;
  }) => ({
    entityType: query.entityType || undefined,
    entityId: query.entityId || undefined,
    actorId: query.actorId || undefined,
    from: query.from ? new Date(`${query.from}T00:00:00+07:00`) : undefined,
    // the whole "to" day, in Vietnam's time
    to: query.to ? new Date(new Date(`${query.to}T00:00:00+07:00`).getTime() + 24 * 3600 * 1000) : undefined,
    limit: query.limit ?? 100,
    offset: query.offset ?? 0,
  });

  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: TAGS,
        summary: 'Search the audit log (administrators and province offices)',
        querystring: AuditQuery,
        response: { 200: AuditResponse, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
    },
    async (request) => {
      await identity.authorize(requirePrincipal(request), { action: 'audit.read' });
      return searchAudit(deps.db, auditFilter(request.query));
    },
  );

  app.get('/admin/audit', { schema: { hide: true, querystring: AuditQuery } }, async (request, reply) => {
    await identity.authorize(requirePrincipal(request), { action: 'audit.read' });
    const result = await searchAudit(deps.db, auditFilter(request.query));
    const filter = Object.fromEntries(
      Object.entries(request.query).filter(
        ([key, value]) => typeof value === 'string' && key !== 'limit' && key !== 'offset',
      ),
    ) as Record<string, string>;
    return sendPage(reply, renderDocument(AuditPage({ page: request.page, filter, result })));
  });
}
