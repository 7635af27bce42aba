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
  requirePrincipal,
  SESSION_COOKIE,
  safeNext,
  str,
  TAGS,
} from './identity.http.ts';
import { LoginBody } from './identity.schemas.ts';
import { SESSION_LIMITS } from './session-rules.ts';
import { AccountPage, LoginPage, ResetPage, ResetRequestPage } from './sessions.views.tsx';

export function registerSessionRoutes(app: HttpServer, deps: IdentityRouteDeps) {
  const { identity } = deps;
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

  // --- password reset ---------------------------------------------------------------------

  const resetLink = (token: string) => new URL(`/password-reset/${token}`, deps.publicUrl).toString();

  app.get('/password-reset', { schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, renderDocument(ResetRequestPage({ page: request.page, form: emptyForm() }))),
  );

  app.post('/password-reset', { schema: { hide: true } }, async (request, reply) => {
    const email = str((request.body as Record<string, unknown> | undefined)?.email).trim();
    if (!EMAIL.test(email)) {
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
}
