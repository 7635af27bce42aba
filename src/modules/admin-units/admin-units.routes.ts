import { Type } from 'typebox';
import { DomainError } from '../../platform/errors.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import { type HttpServer, sendPage } from '../../platform/http/server.ts';
import { renderDocument } from '../../platform/views/jsx.ts';
import type { Era } from './admin-code.ts';
import {
  AdminUnitSchema,
  CodeParams,
  DetailResponse,
  EraQuery,
  ListQuery,
  ListResponse,
  LookupBody,
  LookupResponse,
} from './admin-units.schemas.ts';
import type { AdminUnitsService } from './admin-units.service.ts';
import { AdminUnitPage, AdminUnitsPage } from './admin-units.views.tsx';

const TAGS = ['admin-units'];
/** Reference data changes rarely: let browsers and proxies keep it for an hour. */
const CACHE = 'public, max-age=3600';

export function registerAdminUnitsRoutes(app: HttpServer, service: AdminUnitsService) {
  app.addSchema(AdminUnitSchema);

  app.get(
    '/api/v1/admin-units',
    {
      schema: {
        tags: TAGS,
        summary: 'List or search administrative units',
        description:
          'era=2025 (default) or pre2025; level=province|district|commune; parent=province code (or district code before 2025); q=name search ignoring diacritics and case.',
        querystring: ListQuery,
        response: { 200: ListResponse, 400: ProblemRef },
      },
    },
    async (request, reply) => {
      const { limit = 1000, offset = 0, ...rest } = request.query;
      const page = await service.list({ ...rest, limit, offset, era: (request.query.era ?? '2025') as Era });
      reply.header('cache-control', CACHE);
      return page;
    },
  );

  app.get(
    '/api/v1/admin-units/:code',
    {
      schema: {
        tags: TAGS,
        summary: 'One administrative unit with its parent and its 2025 successors or pre-2025 predecessors',
        params: CodeParams,
        querystring: EraQuery,
        response: { 200: DetailResponse, 400: ProblemRef, 404: ProblemRef },
      },
    },
    async (request, reply) => {
      const unit = await service.get((request.query.era ?? '2025') as Era, request.params.code);
      reply.header('cache-control', CACHE);
      return unit;
    },
  );

  app.post(
    '/api/v1/admin-units/lookup',
    {
      schema: {
        tags: TAGS,
        summary: 'Look up many codes at once (e.g. to convert records keyed to pre-2025 units)',
        description:
          'Body: { era, codes: [...] } with up to 1000 codes. Answers in the order given; a code with no unit has unit: null.',
        body: LookupBody,
        response: { 200: LookupResponse, 400: ProblemRef, 413: ProblemRef, 415: ProblemRef },
      },
    },
    async (request) => ({
      items: await service.lookup((request.body.era ?? '2025') as Era, request.body.codes),
    }),
  );

  // /lookup would otherwise match /:code for GET and answer "bad code" instead of 405.
  app.get('/api/v1/admin-units/lookup', { schema: { hide: true } }, async () => {
    throw new DomainError('method_not_allowed', 'method_not_allowed', { allow: 'POST' });
  });

  // Pages for people: browse and search, in both languages.
  const PageQuery = Type.Object({
    era: Type.Optional(Type.Enum(['2025', 'pre2025'])),
    q: Type.Optional(Type.String({ maxLength: 1000 })),
  });
  /** What a person typed in the search box: control characters dropped, at most 100 characters. */
  const cleanQuery = (q: string | undefined) =>
    [...(q ?? '')]
      .map((ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? ' ' : ch))
      .join('')
      .trim()
      .slice(0, 100) || undefined;

  app.get('/admin-units', { schema: { hide: true, querystring: PageQuery } }, async (request, reply) => {
    const era = (request.query.era ?? '2025') as Era;
    const q = cleanQuery(request.query.q);
    const result = q
      ? await service.list({ era, q, limit: 200, offset: 0 })
      : await service.list({ era, level: 'province', limit: 100, offset: 0 });
    return sendPage(reply, renderDocument(AdminUnitsPage({ page: request.page, era, q, result })));
  });

  app.get(
    '/admin-units/:code',
    { schema: { hide: true, params: CodeParams, querystring: EraQuery } },
    async (request, reply) => {
      const era = (request.query.era ?? '2025') as Era;
      const unit = await service.get(era, request.params.code);
      const children =
        unit.level === 'commune'
          ? undefined
          : await service.list({
              era,
              parent: unit.code,
              level: era === 'pre2025' && unit.level === 'province' ? 'district' : 'commune',
              limit: 10000,
              offset: 0,
            });
      return sendPage(reply, renderDocument(AdminUnitPage({ page: request.page, unit, children })));
    },
  );
}
