import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import { STATUS_OF_KIND } from '../../platform/http/problem.ts';
import type { FormState } from '../../platform/views/form.tsx';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { signInRequired } from './errors.ts';
import type { IdentityService } from './identity.service.ts';

export const SESSION_COOKIE = 'ocop_session';

/** The formats forms check before the service (the same as the database's CHECKs). */
export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const PHONE = /^\+?[0-9]{8,15}$/;
export const TAGS = ['identity'];

/** What the identity routes need. */
export interface IdentityRouteDeps {
  identity: IdentityService;
  adminUnits: AdminUnitsService;
  db: Kysely<DB>;
  secure: boolean;
  publicUrl: URL;
  /** The producers of a commune the principal may link a sign-up to (given by the composition root). */
  producersOf?: (principal: Principal, communeCode: string) => Promise<{ id: string; name: string }[]>;
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw signInRequired();
  return request.principal;
}

/** Only local paths: never send a signed-in user to another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/account';
}

export const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** A domain error shown on the form it came from, with the HTTP status it maps to. */
export function formFailure(
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
