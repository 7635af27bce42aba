import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { searchAudit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import { auditContextOf } from '../../platform/http/context.ts';
import { STATUS_OF_KIND } from '../../platform/http/problem.ts';
import { ProblemRef } from '../../platform/http/problem-schema.ts';
import { type HttpServer, sendPage } from '../../platform/http/server.ts';
import { listOutbox } from '../../platform/mail.ts';
import { emptyForm, type FormState } from '../../platform/views/form.tsx';
import { renderDocument } from '../../platform/views/jsx.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { signInRequired } from './errors.ts';
import {
  AuditQuery,
  AuditResponse,
  IdParams,
  LoginBody,
  NewUserBody,
  UserChangesBody,
  UserSchema,
} from './identity.schemas.ts';
import type { IdentityService } from './identity.service.ts';
import {
  AccountPage,
  AuditPage,
  LoginPage,
  OutboxPage,
  RegisterPage,
  RegistrationsPage,
  ResetPage,
  ResetRequestPage,
  TokensPage,
  UserPage,
  UsersPage,
} from './identity.views.tsx';
import type { Role } from './policy.ts';
import { SESSION_LIMITS } from './session-rules.ts';

export const SESSION_COOKIE = 'ocop_session';
const TAGS = ['identity'];

function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw signInRequired();
  return request.principal;
}

/** Only local paths: never send a signed-in user to another site. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/account';
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** A domain error shown on the form it came from, with the HTTP status it maps to. */
function formFailure(
  request: FastifyRequest,
  error: unknown,
  values: Record<string, string>,
): { status: number; form: FormState } {
  if (!(error instanceof DomainError)) throw error;
  const status = STATUS_OF_KIND[error.kind];
  return {
    status,
    form: { values, errors: error.fields, message: request.t(`errors.${error.code}`, error.params) },
  };
}

export function registerIdentityRoutes(
  app: HttpServer,
  deps: {
    identity: IdentityService;
    adminUnits: AdminUnitsService;
    db: Kysely<DB>;
    secure: boolean;
    publicUrl: URL;
  },
) {
  const { identity } = deps;
  app.addSchema(UserSchema);

  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secure,
      maxAge: SESSION_LIMITS.absoluteMs / 1000,
    });
  const clearSessionCookie = (reply: FastifyReply) =>
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secure });

  // --- sign in and out: API ---------------------------------------------------------------

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: TAGS,
        summary: 'Sign in with e-mail and password; sets the session cookie',
        body: LoginBody,
        response: {
          200: Type.Object({ user: Type.Ref('User') }),
          400: ProblemRef,
          401: ProblemRef,
          429: ProblemRef,
        },
      },
    },
    async (request, reply) => {
      const signedIn = await identity.login(auditContextOf(request), request.body);
      setSessionCookie(reply, signedIn.token);
      return { user: signedIn.user };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags: TAGS, summary: 'Sign out (ends this session)', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token && request.principal) await identity.logout(auditContextOf(request), token);
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: TAGS,
        summary: 'The signed-in user',
        response: { 200: Type.Ref('User'), 401: ProblemRef },
      },
    },
    async (request) => identity.getUser(request.principal, requirePrincipal(request).userId),
  );

  // --- sign in and out: pages -------------------------------------------------------------

  app.get('/login', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    if (request.principal) return reply.redirect(safeNext(query.next), 303);
    const next = safeNext(query.next);
    return sendPage(
      reply,
      renderDocument(
        LoginPage({ page: request.page, form: emptyForm(), next, expired: typeof query.next === 'string' }),
      ),
    );
  });

  app.post('/login', { schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { email: str(body.email) };
    const next = safeNext(body.next);
    try {
      const signedIn = await identity.login(auditContextOf(request), {
        email: str(body.email),
        password: str(body.password),
      });
      setSessionCookie(reply, signedIn.token);
      return reply.redirect(next, 303);
    } catch (error) {
      const { status, form } = formFailure(request, error, values);
      if (error instanceof DomainError && error.kind === 'rate_limited')
        reply.header('retry-after', String(error.params.retryAfter));
      return sendPage(reply, renderDocument(LoginPage({ page: request.page, form, next })), status);
    }
  });

  app.post('/logout', { schema: { hide: true } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token && request.principal) await identity.logout(auditContextOf(request), token);
    clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });

  // --- my account -------------------------------------------------------------------------

  const accountPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status = 200,
    notice?: string,
  ) => {
    const principal = requirePrincipal(request);
    const user = await identity.getUser(principal, principal.userId);
    const scope = user.scopeCode
      ? await deps.adminUnits.get('2025', user.scopeCode).catch(() => undefined)
      : undefined;
    const canAdminister = {
      users: await identity.can(principal, { action: 'user.list' }),
      audit: await identity.can(principal, { action: 'audit.read' }),
      registrations: await identity.can(principal, { action: 'registration.list' }),
    };
    return sendPage(
      reply,
      renderDocument(
        AccountPage({
          page: request.page,
          user,
          scopeName: scope?.fullName ?? null,
          form,
          notice,
          canAdminister,
        }),
      ),
      status,
    );
  };

  app.get('/account', { schema: { hide: true } }, async (request, reply) =>
    accountPage(request, reply, emptyForm()),
  );

  app.post('/account/password', { schema: { hide: true } }, async (request, reply) => {
    const principal = requirePrincipal(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await identity.changePassword(
        auditContextOf(request),
        principal,
        { currentPassword: str(body.currentPassword), newPassword: str(body.newPassword) },
        request.cookies[SESSION_COOKIE],
      );
      return accountPage(request, reply, emptyForm(), 200, request.t('identity.account.passwordChanged'));
    } catch (error) {
      const { status, form } = formFailure(request, error, {});
      return accountPage(request, reply, form, status);
    }
  });

  app.post('/account/logout-all', { schema: { hide: true } }, async (request, reply) => {
    const principal = requirePrincipal(request);
    const ended = await identity.logoutEverywhere(
      auditContextOf(request),
      principal,
      request.cookies[SESSION_COOKIE] ?? '',
    );
    return accountPage(
      request,
      reply,
      emptyForm(),
      200,
      request.t('identity.account.loggedOutOthers', { count: ended }),
    );
  });

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
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email.trim()))
        fields.push({ in: 'body' as const, name: 'email', rule: 'email' });
      if (values.phone && !/^\+?[0-9]{8,15}$/.test(values.phone))
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
      if (values.phone && !/^\+?[0-9]{8,15}$/.test(values.phone))
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
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email))
        fields.push({ in: 'body' as const, name: 'email', rule: 'email' });
      if (values.phone && !/^\+?[0-9]{8,15}$/.test(values.phone))
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
    const registrations = await identity.pendingRegistrations(requirePrincipal(request));
    return sendPage(
      reply,
      renderDocument(RegistrationsPage({ page: request.page, registrations, form })),
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

  // --- password reset ---------------------------------------------------------------------

  const resetLink = (token: string) => new URL(`/password-reset/${token}`, deps.publicUrl).toString();

  app.get('/password-reset', { schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, renderDocument(ResetRequestPage({ page: request.page, form: emptyForm() }))),
  );

  app.post('/password-reset', { schema: { hide: true } }, async (request, reply) => {
    const email = str((request.body as Record<string, unknown> | undefined)?.email).trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      const form = { values: { email }, errors: [{ in: 'body' as const, name: 'email', rule: 'email' }] };
      return sendPage(reply, renderDocument(ResetRequestPage({ page: request.page, form })), 400);
    }
    await identity.requestPasswordReset(auditContextOf(request), email, resetLink);
    return sendPage(
      reply,
      renderDocument(ResetRequestPage({ page: request.page, form: emptyForm(), sent: true })),
    );
  });

  const TokenParams = Type.Object({
    token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
  });

  app.get(
    '/password-reset/:token',
    { schema: { hide: true, params: TokenParams } },
    async (request, reply) => {
      const usable = await identity.passwordResetIsUsable(request.params.token);
      reply.header('referrer-policy', 'no-referrer');
      return sendPage(
        reply,
        renderDocument(
          ResetPage({
            page: request.page,
            form: emptyForm(),
            token: request.params.token,
            state: usable ? 'form' : 'invalid',
          }),
        ),
        usable ? 200 : 410,
      );
    },
  );

  app.post(
    '/password-reset/:token',
    { schema: { hide: true, params: TokenParams } },
    async (request, reply) => {
      const { token } = request.params;
      try {
        await identity.resetPassword(
          auditContextOf(request),
          token,
          str((request.body as Record<string, unknown> | undefined)?.newPassword),
        );
        return sendPage(
          reply,
          renderDocument(ResetPage({ page: request.page, form: emptyForm(), token, state: 'done' })),
        );
      } catch (error) {
        const { status, form } = formFailure(request, error, {});
        const state = error instanceof DomainError && error.code === 'reset_invalid' ? 'invalid' : 'form';
        return sendPage(reply, renderDocument(ResetPage({ page: request.page, form, token, state })), status);
      }
    },
  );

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
