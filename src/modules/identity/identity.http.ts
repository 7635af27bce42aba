import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { signInRequired } from './errors.ts';
import type { IdentityService } from './identity.service.ts';

export const SESSION_COOKIE = 'ocop_session';

export { EMAIL, PHONE } from '../../platform/formats.ts';
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

export { formFailure } from '../../platform/http/form-body.ts';
