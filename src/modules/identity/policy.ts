/**
 * Who may do what in the identity module: one pure function, table-tested. Routes ask it and
 * never look at roles themselves.
 */
import type { Principal } from '../../platform/auth.ts';

export const ROLES = [
  'admin',
  'province_office',
  'commune_officer',
  'council_member',
  'council_secretary',
  'producer',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose scope is a place: the code they hold. */
export function scopeLevel(role: Role): 'province' | 'commune' | null {
  return role === 'province_office' ? 'province' : role === 'commune_officer' ? 'commune' : null;
}

/** A user record as the policy sees it: its role and where it belongs. */
export interface UserTarget {
  role: Role;
  /** The province the user belongs to (its scope's province), if any. */
  provinceCode: string | null;
}

export type IdentityAction =
  | { action: 'user.list' }
  | { action: 'user.read' | 'user.create' | 'user.update'; target: UserTarget }
  | { action: 'registration.decide'; target: { provinceCode: string; communeCode: string } }
  | { action: 'registration.list' }
  | { action: 'audit.read' }
  | { action: 'outbox.read' }
  | { action: 'token.manage' };

/** The province a principal's scope lies in (commune officers: given by the caller). */
export interface PrincipalPlace {
  provinceCode: string | null;
}

/**
 * Whether `principal` may do `request`. `place` is where the principal's scope lies: the
 * province of a province office or of a commune officer's commune.
 */
export function identityPolicy(
  principal: Principal | null,
  request: IdentityAction,
  place: PrincipalPlace,
): boolean {
  if (!principal) return false;
  const role = principal.role as Role;
  if (role === 'admin') return true;
  switch (request.action) {
    case 'token.manage':
      return true; // every signed-in user manages their own tokens
    case 'audit.read':
      return role === 'province_office';
    case 'outbox.read':
      return false;
    case 'user.list':
    case 'registration.list':
      return (
        role === 'province_office' || (request.action === 'registration.list' && role === 'commune_officer')
      );
    case 'user.read':
    case 'user.create':
    case 'user.update':
      // A province office manages the people of its own province, never administrators.
      return (
        role === 'province_office' &&
        request.target.role !== 'admin' &&
        (request.target.provinceCode === null
          ? request.target.role === 'council_member' || request.target.role === 'council_secretary'
          : request.target.provinceCode === place.provinceCode)
      );
    case 'registration.decide':
      return (
        (role === 'province_office' && request.target.provinceCode === principal.scopeCode) ||
        (role === 'commune_officer' && request.target.communeCode === principal.scopeCode)
      );
  }
}
