/**
 * Who may do what with certificates. The register is public (anyone reads a certificate, its
 * status and the open-data lists); the printable certificate and the OCOP mark artwork go to
 * those who may read the product's registry record (its producer, the commune, the province);
 * recording certificates (create, import, revoke) is the province office's, in its province —
 * a ministry's 5★ decision included, as the office records the central round's decision.
 */
import type { Principal } from '../../platform/auth.ts';
import { type RecordPlace, registryPolicy } from '../producers/index.ts';

export type CertificationAction = 'print' | 'record';

export function certificationPolicy(
  principal: Principal | null,
  action: CertificationAction,
  place: RecordPlace,
): boolean {
  if (!principal) return false;
  if (action === 'print') return registryPolicy(principal, 'read', place);
  return (
    principal.role === 'admin' ||
    (principal.role === 'province_office' && principal.scopeCode === place.provinceCode)
  );
}

/** Whether the principal records certificates anywhere (pages and navigation). */
export const recordsCertificates = (principal: Principal | null) =>
  principal?.role === 'admin' || (principal?.role === 'province_office' && principal.scopeCode !== null);
