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
import { IdParams, NewUserBody, UserChangesBody } from './identity.schemas.ts';
import type { Role } from './policy.ts';
import { UserPage, UsersPage } from './users.views.tsx';

export function registerUserRoutes(app: HttpServer, deps: IdentityRouteDeps) {
  const { identity } = deps;
  // --- users: API -------------------------------------------------------------------------

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: TAGS,
        summary: 'Users within the caller’s scope (administrators: all; province offices: their province)',
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('User')) }),
          401: ProblemRef,
          403: ProblemRef,
        },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return { items: await identity.listUsers(request.principal) };
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a user within the caller’s scope',
        body: NewUserBody,
        response: {
          201: Type.Ref('User'),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
          422: ProblemRef,
        },
      },
    },
    async (request, reply) => {
      requirePrincipal(request);
      const user = await identity.createUser(auditContextOf(request), request.principal, request.body);
      return reply.status(201).send(user);
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One user',
        params: IdParams,
        response: { 200: Type.Ref('User'), 401: ProblemRef, 404: ProblemRef },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return identity.getUser(request.principal, request.params.id);
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a user: status (disabling ends their sessions), name, phone, role, scope',
        params: IdParams,
        body: UserChangesBody,
        response: {
          200: Type.Ref('User'),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          422: ProblemRef,
        },
      },
    },
    async (request) => {
      requirePrincipal(request);
      return identity.updateUser(auditContextOf(request), request.principal, request.params.id, request.body);
    },
  );

  // --- users: pages -----------------------------------------------------------------------

  const usersPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status = 200,
    notice?: string,
  ) => {
    const principal = requirePrincipal(request);
    const users = await identity.listUsers(principal);
    return sendPage(
      reply,
      renderDocument(
        UsersPage({
          page: request.page,
          users,
          form,
          notice,
          roles: await identity.creatableRoles(principal),
        }),
      ),
      status,
    );
  };

  app.get('/admin/users', { schema: { hide: true } }, async (request, reply) =>
    usersPage(request, reply, emptyForm({ role: 'commune_officer' })),
  );

  app.post('/admin/users', { schema: { hide: true } }, async (request, reply) => {
    const principal = requirePrincipal(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = {
      name: str(body.name),
      email: str(body.email),
      phone: str(body.phone),
      role: str(body.role),
      scopeCode: str(body.scopeCode),
    };
    try {
      const fields = [];
      if (!values.name.trim()) fields.push({ in: 'body' as const, name: 'name', rule: 'required' });
      if (!EMAIL.test(values.email.trim()))
        fields.push({ in: 'body' as const, name: 'email', rule: 'email' });
      if (values.phone && !PHONE.test(values.phone))
        fields.push({ in: 'body' as const, name: 'phone', rule: 'pattern' });
      if (fields.length > 0) throw new DomainError('validation_failed', 'invalid', {}, fields);
      const user = await identity.createUser(auditContextOf(request), principal, {
        ...values,
        role: values.role as Role,
        scopeCode: values.scopeCode || null,
        phone: values.phone || null,
        password: str(body.password),
      });
      return usersPage(
        request,
        reply,
        emptyForm({ role: 'commune_officer' }),
        201,
        request.t('identity.users.created', { email: user.email }),
      );
    } catch (error) {
      const { status, form } = formFailure(request, error, values);
      return usersPage(request, reply, form, status);
    }
  });

  app.post(
    '/admin/users/:id/status',
    { schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      requirePrincipal(request);
      const status = str((request.body as Record<string, unknown> | undefined)?.status);
      if (status !== 'active' && status !== 'disabled') {
        throw new DomainError('validation_failed', 'invalid', {}, [
          { in: 'body', name: 'status', rule: 'enum' },
        ]);
      }
      await identity.updateUser(auditContextOf(request), request.principal, request.params.id, { status });
      return reply.redirect('/admin/users', 303);
    },
  );

  const userPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form?: FormState,
    status = 200,
  ) => {
    const principal = requirePrincipal(request);
    const user = await identity.getUser(principal, id);
    const values = {
      name: user.name,
      phone: user.phone ?? '',
      role: user.role,
      scopeCode: user.scopeCode ?? '',
    };
    return sendPage(
      reply,
      renderDocument(
        UserPage({
          page: request.page,
          user,
          form: form ?? emptyForm(values),
          roles: await identity.creatableRoles(principal),
        }),
      ),
      status,
    );
  };

  app.get('/admin/users/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) =>
    userPage(request, reply, request.params.id),
  );

  app.post('/admin/users/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    requirePrincipal(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = {
      name: str(body.name).trim(),
      phone: str(body.phone).trim(),
      role: str(body.role),
      scopeCode: str(body.scopeCode).trim(),
    };
    try {
      const fields = [];
      if (!values.name) fields.push({ in: 'body' as const, name: 'name', rule: 'required' });
      if (values.phone && !PHONE.test(values.phone))
        fields.push({ in: 'body' as const, name: 'phone', rule: 'pattern' });
      if (fields.length > 0) throw new DomainError('validation_failed', 'invalid', {}, fields);
      await identity.updateUser(auditContextOf(request), request.principal, request.params.id, {
        name: values.name,
        phone: values.phone || null,
        role: values.role as Role,
        scopeCode: values.scopeCode || null,
      });
      return reply.redirect('/admin/users', 303);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not_found') throw error;
      const { status, form } = formFailure(request, error, values);
      return userPage(request, reply, request.params.id, form, status);
    }
  });
}
