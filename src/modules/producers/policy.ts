/**
 * Who may see and change registry records (producers, and through them products and dossiers):
 * one pure function, table-tested. A province office works within its province, a commune
 * officer within its commune, a producer's representative on its own producer only.
 */
import type { Principal } from '../../platform/auth.ts';

/** Where a record belongs. */
export interface RecordPlace {
  provinceCode: string;
  communeCode: string;
  producerId: string;
}

export type RegistryAction = 'read' | 'create' | 'update';

export function registryPolicy(
  principal: Principal | null,
  action: RegistryAction,
  target: RecordPlace,
): boolean {
  if (!principal) return false;
  switch (principal.role) {
    case 'admin':
      return true;
    case 'province_office':
      return target.provinceCode === principal.scopeCode;
    case 'commune_officer':
      return target.communeCode === principal.scopeCode;
    case 'producer':
      // a producer's account is created with (or linked to) its producer: it never creates one
      return (
        action !== 'create' && principal.producerId !== null && target.producerId === principal.producerId
      );
    default:
      return false;
  }
}

/** The rows a principal's lists may contain: a filter to apply, or null for none at all. */
export type ListScope =
  | { kind: 'all' }
  | { kind: 'province'; code: string }
  | { kind: 'commune'; code: string }
  | { kind: 'producer'; producerId: string };

export function listScope(principal: Principal | null): ListScope | null {
  if (!principal) return null;
  switch (principal.role) {
    case 'admin':
      return { kind: 'all' };
    case 'province_office':
      return principal.scopeCode ? { kind: 'province', code: principal.scopeCode } : null;
    case 'commune_officer':
      return principal.scopeCode ? { kind: 'commune', code: principal.scopeCode } : null;
    case 'producer':
      return principal.producerId ? { kind: 'producer', producerId: principal.producerId } : null;
    default:
      return null;
  }
}

/** Bulk work on a whole province's lists: importing and exporting spreadsheets. */
export function mayImport(principal: Principal | null): boolean {
  return principal?.role === 'admin' || principal?.role === 'province_office';
}

export function mayExport(principal: Principal | null): boolean {
  return mayImport(principal) || principal?.role === 'commune_officer';
}
