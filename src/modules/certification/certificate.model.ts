/**
 * The certificate as the module speaks of it: who recognised the product, at which level, the
 * statuses a certificate goes through, the six grounds of revocation (QĐ 26/2026, Điều 8) and
 * the printed document. Pure data and types.
 */

/**
 * Who recognised the product: the province (3★, 4★), the ministry (5★), or — before QĐ
 * 1489/2025 removed the district level — the district (3★), for certificates imported from
 * earlier years.
 */
export const CERTIFICATE_LEVELS = ['district', 'province', 'central'] as const;
export type CertificateLevel = (typeof CERTIFICATE_LEVELS)[number];

/** The stars each level may recognise. */
export const STARS_BY_LEVEL: Record<CertificateLevel, readonly number[]> = {
  district: [3],
  province: [3, 4],
  central: [5],
};

/** Where the record came from. */
export const CERTIFICATE_SOURCES = ['decision', 'import', 'manual'] as const;
export type CertificateSource = (typeof CERTIFICATE_SOURCES)[number];

/**
 * A certificate's status on a given day (`certificate-status.ts` decides it):
 * - `valid`: in force;
 * - `reevaluation_window`: in force, and the re-evaluation may be filed (180 to 120 days before expiry);
 * - `valid_pending_reevaluation`: past its end date, kept in force because a re-evaluation was
 *   filed in time and is not decided yet — at most 180 days (Điều 12);
 * - `expired`; `revoked`; `superseded` (by an upgrade or re-evaluation);
 * - `not_yet_valid`: before its issue date (only seen when the clock is set back).
 */
export const CERTIFICATE_STATUSES = [
  'valid',
  'reevaluation_window',
  'valid_pending_reevaluation',
  'expired',
  'revoked',
  'superseded',
  'not_yet_valid',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** The statuses in which the product may carry the OCOP mark. */
export const IN_FORCE: readonly CertificateStatus[] = [
  'valid',
  'reevaluation_window',
  'valid_pending_reevaluation',
];

/** Whether the product may carry the OCOP mark under a certificate in this status. */
export const inForce = (c: { status: CertificateStatus }) => IN_FORCE.includes(c.status);

/** The six grounds of revocation, Điều 8 of QĐ 26/2026/QĐ-TTg, in the decision's order. */
export const REVOCATION_GROUNDS = [
  /** 1. false or forged dossier */
  'forged_dossier',
  /** 2. no longer meets the criteria after inspection */
  'criteria_not_met',
  /** 3. violates quality, food-safety, environment, IP or labelling law */
  'law_violation',
  /** 4. misuses the OCOP mark */
  'mark_misuse',
  /** 5. stopped producing */
  'production_stopped',
  /** 6. another conclusion of the competent authority */
  'authority_conclusion',
] as const;
export type RevocationGround = (typeof REVOCATION_GROUNDS)[number];

/** Everything the printed certificate (PDF) shows. Dates are 'YYYY-MM-DD'. */
export interface CertificateDocument {
  number: string;
  productName: string;
  /** (T)-(X)-(STT)-year, when the product has one. */
  productCode: string | null;
  producerName: string;
  producerAddress: string | null;
  /** The province the producer is in, e.g. 'Tỉnh Cà Mau'. */
  provinceName: string;
  stars: number;
  /** The council's average score, when known (imported certificates may not have it). */
  score: number | null;
  level: CertificateLevel;
  decision: { number: string; date: string; signer: string };
  issuedOn: string;
  validUntil: string;
  /** The signed URL the QR code encodes (public verification page). */
  verifyUrl: string;
  /** Demo data: the PDF says so across the page. */
  isDemo: boolean;
  /** For a certificate no longer in force, the words printed across the page (e.g. "ĐÃ BỊ THU HỒI 16/03/2026"). */
  notInForce?: string | null;
}
