/**
 * What a producer record must satisfy beyond its shape: the legal types of the programme, tax
 * and registration numbers, worker counts, dates. Pure; the service adds the checks that need
 * the database (commune codes, uniqueness).
 */
import type { FieldError } from '../../platform/errors.ts';
import { validateRegistrationNumber, validateTaxCode } from './tax-code.ts';

/** Legal forms of an OCOP producer (association and operating centre: tourism services only). */
export const LEGAL_TYPES = [
  'cooperative',
  'cooperative_group',
  'enterprise',
  'farm',
  'household',
  'association',
  'operating_centre',
] as const;
export type LegalType = (typeof LEGAL_TYPES)[number];

export const SALES_CHANNEL_KINDS = [
  'shopee',
  'lazada',
  'tiki',
  'tiktok_shop',
  'postmart',
  'voso',
  'other_marketplace',
  'own_website',
  'social_shop',
  'ocop_point_of_sale',
  'supermarket',
  'wholesale',
  'export',
] as const;

/** Raw-material area certifications (VietGAP, organic…) and quality-system certificates. */
export const AREA_CERTIFICATION_KINDS = ['vietgap', 'globalgap', 'organic', 'vietgahp', 'other'] as const;
export const QUALITY_CERTIFICATE_KINDS = [
  'haccp',
  'iso_22000',
  'iso_9001',
  'fssc_22000',
  'gmp',
  'brc',
  'halal',
  'other',
] as const;

export interface Certification {
  kind: string;
  number?: string | null | undefined;
  issuer?: string | null | undefined;
  validFrom?: string | null | undefined;
  validUntil?: string | null | undefined;
}

export interface RawMaterialArea {
  name: string;
  communeCode: string;
  hectares: number;
  certifications: Certification[];
}

export interface SalesChannel {
  kind: string;
  name?: string | null | undefined;
  url?: string | null | undefined;
  since?: string | null | undefined;
}

/** The fields a person or an import gives; the service stores them. */
export interface ProducerInput {
  legalType: LegalType;
  isSme?: boolean | undefined;
  legalName: string;
  registrationNumber?: string | null | undefined;
  taxCode?: string | null | undefined;
  foundedOn?: string | null | undefined;
  address?: string | null | undefined;
  communeCode: string;
  oldCommuneCode?: string | null | undefined;
  representativeName?: string | null | undefined;
  representativeTitle?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  website?: string | null | undefined;
  workerCount?: number | null | undefined;
  trainedWorkerCount?: number | null | undefined;
  circularEconomy?: boolean | undefined;
  circularEconomyDescription?: string | null | undefined;
  rawMaterialAreas?: RawMaterialArea[] | undefined;
  qualityCertificates?: Certification[] | undefined;
  salesChannels?: SalesChannel[] | undefined;
}

const body = (name: string, rule: string, params?: Record<string, string | number>): FieldError => ({
  in: 'body',
  name,
  rule,
  ...(params ? { params } : {}),
});

/** Dates people type: 1900 to 2100 (a year 0202 or 20024 is a slip, and the database refuses year 0). */
const DATE_MIN = '1900-01-01';
const DATE_MAX = '2100-12-31';
function checkDate(errors: FieldError[], name: string, value: string | null | undefined) {
  if (value && (value < DATE_MIN || value > DATE_MAX || !/^\d{4}-\d{2}-\d{2}$/.test(value)))
    errors.push(body(name, 'dateRange', { min: '01/01/1900', max: '31/12/2100' }));
}

function checkPeriod(
  errors: FieldError[],
  at: string,
  c: { validFrom?: string | null | undefined; validUntil?: string | null | undefined },
) {
  checkDate(errors, `${at}/validFrom`, c.validFrom);
  checkDate(errors, `${at}/validUntil`, c.validUntil);
  if (c.validFrom && c.validUntil && c.validUntil < c.validFrom)
    errors.push(body(`${at}/validUntil`, 'dateOrder'));
}

/**
 * Normalises the identifiers and returns the input with them, or the fields at fault. `today`
 * (YYYY-MM-DD) bounds the founding date.
 */
export function checkProducer(
  input: ProducerInput,
  today: string,
): { ok: true; value: ProducerInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const value: ProducerInput = { ...input, legalName: input.legalName.trim().replace(/\s+/g, ' ') };
  if (!value.legalName) errors.push(body('legalName', 'required'));
  if (input.isSme && input.legalType !== 'enterprise') errors.push(body('isSme', 'smeEnterpriseOnly'));
  const tax = input.taxCode?.trim();
  if (tax) {
    const result = validateTaxCode(tax);
    if (result.ok) value.taxCode = result.taxCode;
    else errors.push(body('taxCode', result.reason === 'check_digit' ? 'taxCodeCheckDigit' : 'taxCode'));
  } else value.taxCode = null;
  const registration = input.registrationNumber?.trim();
  if (registration) {
    const result = validateRegistrationNumber(registration);
    if (result.ok) value.registrationNumber = result.value;
    else errors.push(body('registrationNumber', 'registrationNumber'));
  } else value.registrationNumber = null;
  if (!tax && !registration) errors.push(body('registrationNumber', 'registrationOrTaxCode'));
  checkDate(errors, 'foundedOn', input.foundedOn);
  if (input.foundedOn && input.foundedOn > today) errors.push(body('foundedOn', 'notInFuture'));
  if (
    input.workerCount != null &&
    input.trainedWorkerCount != null &&
    input.trainedWorkerCount > input.workerCount
  ) {
    errors.push(body('trainedWorkerCount', 'trainedWorkers'));
  }
  if (input.circularEconomy && !input.circularEconomyDescription?.trim())
    errors.push(body('circularEconomyDescription', 'required'));
  (input.rawMaterialAreas ?? []).forEach((area, i) => {
    if (!(area.hectares > 0)) errors.push(body(`rawMaterialAreas/${i}/hectares`, 'positive'));
    for (const [j, c] of area.certifications.entries())
      checkPeriod(errors, `rawMaterialAreas/${i}/certifications/${j}`, c);
  });
  for (const [i, c] of (input.qualityCertificates ?? []).entries())
    checkPeriod(errors, `qualityCertificates/${i}`, c);
  (input.salesChannels ?? []).forEach((c, i) => {
    checkDate(errors, `salesChannels/${i}/since`, c.since);
    if (c.since && c.since > today) errors.push(body(`salesChannels/${i}/since`, 'notInFuture'));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
