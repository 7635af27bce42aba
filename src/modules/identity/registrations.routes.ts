import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError } from '../../platform/errors.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import { type HttpServer, sendPage } from '../../platform/http/server.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { renderDocument } from '../../platform/views/jsx.ts';
import {
  EMAIL,
  formFailure,
  type IdentityRouteDeps,
  PHONE,
  requirePrincipal,
  str,
  TAGS,
} from './identity.http.ts';
import { IdParams } from './identity.schemas.ts';
import { RegisterPage, RegistrationsPage } from './registrations.views.tsx';

export function registerRegistrationRoutes(app: HttpServer, deps: IdentityRouteDeps) {
  const { identity } = deps;
  // --- producer self-registration ----------------------------------------------------------

  const RegistrationSchema = Type.Object({
    userId: Type.String(),
    name: Type.String(),
    email: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    producerName: Type.String(),
    communeCode: Type.String(),
    provinceCode: Type.String(),
    createdAt: Type.String(),
  });
  const RegistrationBody = Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 200 }),
      email: Type.String({ format: 'email', maxLength: 254 }),
      phone: Type.Optional(Type.Union([Type.String({ pattern: '^\\+?[0-9]{8,15}$' }), Type.Null()])),
      password: Type.String({ minLength: 10, maxLength: 1024 }),
      producerName: Type.String({ minLength: 1, maxLength: 300 }),
      communeCode: Type.String({ pattern: '^[0-9]{5}$' }),
    },
    { additionalProperties: false },
  );
  const DecisionBody = Type.Union([
    Type.Object(
      { decision: Type.Literal('approved'), producerId: Type.String({ format: 'uuid' }) },
      { additionalProperties: false },
    ),
    Type.Object({ decision: Type.Literal('rejected') }, { additionalProperties: false }),
  ]);

  app.post(
    '/api/v1/registrations',
    {
      schema: {
        tags: TAGS,
        summary: 'A producer’s representative signs up (pending until approved)',
        body: RegistrationBody,
        response: { 201: RegistrationSchema, 400: ProblemRef, 409: ProblemRef, 422: ProblemRef },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await identity.register(auditContextOf(request), request.body)),
  );

  app.get(
    '/api/v1/registrations',
    {
      schema: {
        tags: TAGS,
        summary:
          'Pending sign-ups I may decide (commune officers: their commune; province offices: their province)',
        response: {
          200: Type.Object({ items: Type.Array(RegistrationSchema) }),
          401: ProblemRef,
          403: ProblemRef,
        },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return { items: await identity.pendingRegistrations(request.principal) };
    },
  );

  app.post(
    '/api/v1/registrations/:id/decision',
    {
      schema: {
        tags: TAGS,
        summary: 'Approve (linking the producer record) or reject a sign-up',
        params: IdParams,
        body: DecisionBody,
        response: {
          200: Type.Ref('User'),
          400: ProblemRef,
          401: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return identity.decideRegistration(
        auditContextOf(request),
        request.principal,
        request.params.id,
        request.body,
      );
    },
  );

  app.get('/register', { schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, renderDocument(RegisterPage({ page: request.page, form: emptyForm() }))),
  );

  app.post('/register', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = {
      name: str(body.name).trim(),
      email: str(body.email).trim(),
      phone: str(body.phone).trim(),
      producerName: str(body.producerName).trim(),
      communeCode: str(body.communeCode).trim(),
    };
    try {
      const fields = [];
      if (!values.name) fields.push({ in: 'body' as const, name: 'name', rule: 'required' });
      if (!EMAIL.test(values.email)) fields.push({ in: 'body' as const, name: 'email', rule: 'email' });
      if (values.phone && !PHONE.test(values.phone))
        fields.push({ in: 'body' as const, name: 'phone', rule: 'pattern' });
      if (!values.producerName) fields.push({ in: 'body' as const, name: 'producerName', rule: 'required' });
      if (!/^[0-9]{5}$/.test(values.communeCode))
        fields.push({ in: 'body' as const, name: 'communeCode', rule: 'pattern' });
      if (str(body.password).length < 10)
        fields.push({ in: 'body' as const, name: 'password', rule: 'minLength', params: { limit: 10 } });
      if (fields.length > 0) throw new DomainError('validation_failed', 'invalid', {}, fields);
      const registration = await identity.register(auditContextOf(request), {
        ...values,
        password: str(body.password),
      });
      return sendPage(
        reply,
        renderDocument(
          RegisterPage({ page: request.page, form: emptyForm(), done: registration.producerName }),
        ),
        201,
      );
    } catch (error) {
      const { status, form } = formFailure(request, error, values);
      return sendPage(reply, renderDocument(RegisterPage({ page: request.page, form })), status);
    }
  });

  const registrationsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status = 200,
  ) => {
    const principal = requirePrincipal(request);
    const registrations = await identity.pendingRegistrations(principal);
    const producerOptions = new Map<string, { id: string; name: string }[]>();
    for (const code of new Set(registrations.map((r) => r.communeCode))) {
      producerOptions.set(code, deps.producersOf ? await deps.producersOf(principal, code) : []);
    }
    return sendPage(
      reply,
      renderDocument(RegistrationsPage({ page: request.page, registrations, form, producerOptions })),
      status,
    );
  };

  app.get('/admin/registrations', { schema: { hide: true } }, async (request, reply) =>
    registrationsPage(request, reply, emptyForm()),
  );

  app.post(
    '/admin/registrations/:id',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      requirePrincipal(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const producerId = str(body.producerId).trim();
      try {
        if (body.decision === 'approved') {
          if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(producerId)) {
            throw new DomainError('validation_failed', 'invalid', {}, [
              { in: 'body', name: 'producerId', rule: 'uuid' },
            ]);
          }
          await identity.decideRegistration(auditContextOf(request), request.principal, request.params.id, {
            decision: 'approved',
            producerId,
          });
        } else if (body.decision === 'rejected') {
          await identity.decideRegistration(auditContextOf(request), request.principal, request.params.id, {
            decision: 'rejected',
          });
        } else {
          throw new DomainError('validation_failed', 'invalid', {}, [
            { in: 'body', name: 'decision', rule: 'enum' },
          ]);
        }
        return reply.redirect('/admin/registrations', 303);
      } catch (error) {
        const { status, form } = formFailure(request, error, { producerId, userId: request.params.id });
        return registrationsPage(request, reply, form, status);
      }
    },
  );
}
