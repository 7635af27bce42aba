/**
 * CSRF protection for HTML forms. A signed-in user's forms carry their session's CSRF token;
 * anonymous forms (sign-in, sign-up) use a double-submit cookie. Every POST with a form body is
 * checked before its handler runs: a missing or wrong `_csrf` field → 403, nothing written.
 * JSON requests need no token: browsers cannot send them cross-site without a CORS preflight,
 * which this server never grants, and other content types are refused (415).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';

export const CSRF_FIELD = '_csrf';
const CSRF_COOKIE = 'ocop_csrf';

/** The token to put in a form's hidden `_csrf` field. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  if (request.principal?.csrfToken) return request.principal.csrfToken;
  let token = request.cookies[CSRF_COOKIE];
  if (!token || token.length < 32) {
    token = randomBytes(32).toString('base64url');
    request.cookies[CSRF_COOKIE] = token;
    reply.setCookie(CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  }
  return token;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isFormRequest(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
}

/** Throws 403 csrf_invalid unless the form's `_csrf` matches the session's or the cookie's token. */
export function verifyCsrf(request: FastifyRequest): void {
  const sent = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  const expected = request.principal?.csrfToken ?? request.cookies[CSRF_COOKIE];
  if (typeof sent !== 'string' || !expected || !same(sent, expected)) {
    throw new DomainError('csrf_invalid', 'forbidden');
  }
}
