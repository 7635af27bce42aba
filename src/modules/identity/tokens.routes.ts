import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { auditContextOf } from '../../platform/http/context.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import { type HttpServer, sendPage } from '../../platform/http/server.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { renderDocument } from '../../platform/views/jsx.ts';
import { type IdentityRouteDeps, requirePrincipal, str, TAGS } from './identity.http.ts';
import { IdParams } from './identity.schemas.ts';
import { TokensPage } from './tokens.views.tsx';

export function registerTokenRoutes(app: HttpServer, deps: IdentityRouteDeps) {
  const { identity } = deps;
  // --- API tokens -------------------------------------------------------------------------

  const TokenSchema = Type.Object({
    id: Type.String(),
    name: Type.String(),
    createdAt: Type.String(),
    lastUsedAt: Type.Union([Type.String(), Type.Null()]),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
  });

  app.get(
    '/api/v1/tokens',
    {
      schema: {
        tags: TAGS,
        summary: 'My API tokens (never the secrets)',
        response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), 401: ProblemRef },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return { items: await identity.listTokens(request.principal) };
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: TAGS,
        summary: 'Create an API token acting within my scope; the token is in this answer only',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([TokenSchema, Type.Object({ token: Type.String() })]),
          400: ProblemRef,
          401: ProblemRef,
        },
      },
    },
    async (request, reply) => {
      requirePrincipal(request);
      const created = await identity.createToken(
        auditContextOf(request),
        request.principal,
        request.body.name,
      );
      return reply.status(201).send({ ...created.record, token: created.token });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke an API token',
        params: IdParams,
        response: { 200: TokenSchema, 401: ProblemRef, 404: ProblemRef },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return identity.revokeToken(auditContextOf(request), request.principal, request.params.id);
    },
  );

  const tokensPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    created?: string,
    status = 200,
  ) => {
    const tokens = await identity.listTokens(requirePrincipal(request));
    return sendPage(reply, renderDocument(TokensPage({ page: request.page, tokens, form, created })), status);
  };

  app.get('/account/tokens', { schema: { hide: true } }, async (request, reply) =>
    tokensPage(request, reply, emptyForm()),
  );

  app.post('/account/tokens', { schema: { hide: true } }, async (request, reply) => {
    requirePrincipal(request);
    const name = str((request.body as Record<string, unknown> | undefined)?.name).trim();
    if (!name || name.length > 100) {
      const form = {
        values: { name },
        errors: [
          {
            in: 'body' as const,
            name: 'name',
            rule: name ? 'maxLength' : 'required',
            params: { limit: 100 },
          },
        ],
      };
      return tokensPage(request, reply, form, undefined, 400);
    }
    const created = await identity.createToken(auditContextOf(request), request.principal, name);
    return tokensPage(request, reply, emptyForm(), created.token, 201);
  });

  app.post(
    '/account/tokens/:id/revoke',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      requirePrincipal(request);
      await identity.revokeToken(auditContextOf(request), request.principal, request.params.id);
      return reply.redirect('/account/tokens', 303);
    },
  );
}
