/**
 * The completeness checklist of a dossier, from its product set and its kind (Quyết định
 * 26/2026/QĐ-TTg, Điều 6 and Phụ lục III; see data/criteria/NOTES.md §8):
 *  - the registration form (Mẫu 01) and the self-assessment report (Mẫu 02), filled online;
 *  - five product samples declared, except set 26 (tourism services);
 *  - the papers without which a dossier is disqualified ("Hồ sơ bị loại khi…" on each form):
 *    business registration; the food-safety facility certificate (sets 1–17); GMP (set 18); the
 *    cosmetic product notification (set 19); the product notification (set 20); the production
 *    licence (sets 15 and 17); plus the quality declaration, test report and label for the sets
 *    whose criteria score them as conditions;
 *  - for an upgrade, the changes since recognition and the current certificate; for a
 *    re-evaluation, the current certificate.
 * The other evidence of Mẫu 02 (IP papers, financial statements, insured workers, contracts,
 * quality systems, awards) earns points but its absence does not stop a dossier: recommended.
 */
import { TOURISM_SET } from './product-sets.ts';

export const DOSSIER_KINDS = ['first_evaluation', 'upgrade', 're_evaluation'] as const;
export type DossierKind = (typeof DOSSIER_KINDS)[number];

/** Kinds of evidence file a dossier (or a product) holds. */
export const DOCUMENT_KINDS = [
  'business_registration',
  'food_safety_certificate',
  'gmp_certificate',
  'cosmetic_notification',
  'product_notification',
  'production_licence',
  'quality_declaration',
  'test_report',
  'label_image',
  'trademark_ip',
  'financial_statements',
  'insured_workers',
  'contracts',
  'quality_system_certificate',
  'awards',
  'previous_certificate',
  'change_report',
  'commune_report',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A product's own files (not part of a dossier). */
export const PRODUCT_DOCUMENT_KINDS = ['product_image'] as const;

export const SAMPLES_REQUIRED = 5;

export interface ChecklistItem {
  key: 'registration_form' | 'self_assessment' | 'samples' | DocumentKind;
  /** form: filled online; samples: declared in Mẫu 01; document: an uploaded file. */
  type: 'form' | 'samples' | 'document';
  required: boolean;
  satisfied: boolean;
}

export interface DossierContents {
  registrationComplete: boolean;
  selfAssessmentComplete: boolean;
  sampleCount: number;
  /** Kinds of the dossier's current (not superseded) documents. */
  documentKinds: ReadonlySet<string>;
}

const between = (set: number, from: number, to: number) => set >= from && set <= to;

/** Which evidence a product set and dossier kind require (true) or recommend (false). */
export function documentRequirements(productSet: number, kind: DossierKind): Map<DocumentKind, boolean> {
  const out = new Map<DocumentKind, boolean>();
  out.set('business_registration', true);
  if (between(productSet, 1, 17)) out.set('food_safety_certificate', true);
  if (productSet === 18) out.set('gmp_certificate', true);
  if (productSet === 19) out.set('cosmetic_notification', true);
  if (productSet === 20) out.set('product_notification', true);
  if (productSet === 15 || productSet === 17) out.set('production_licence', true);
  // food, drinks and herbal products: quality declaration and a test report; others may have them
  out.set('quality_declaration', between(productSet, 1, 18));
  out.set('test_report', between(productSet, 1, 20));
  if (productSet !== TOURISM_SET) out.set('label_image', true);
  if (kind === 'upgrade') out.set('change_report', true);
  if (kind !== 'first_evaluation') out.set('previous_certificate', true);
  for (const recommended of [
    'trademark_ip',
    'financial_statements',
    'insured_workers',
    'contracts',
    'quality_system_certificate',
    'awards',
  ] as const) {
    if (!out.has(recommended)) out.set(recommended, false);
  }
  return out;
}

export function checklist(productSet: number, kind: DossierKind, contents: DossierContents): ChecklistItem[] {
  const items: ChecklistItem[] = [
    { key: 'registration_form', type: 'form', required: true, satisfied: contents.registrationComplete },
    { key: 'self_assessment', type: 'form', required: true, satisfied: contents.selfAssessmentComplete },
  ];
  if (productSet !== TOURISM_SET) {
    items.push({
      key: 'samples',
      type: 'samples',
      required: true,
      satisfied: contents.sampleCount >= SAMPLES_REQUIRED,
    });
  }
  for (const [key, required] of documentRequirements(productSet, kind)) {
    items.push({ key, type: 'document', required, satisfied: contents.documentKinds.has(key) });
  }
  return items;
}

export const isComplete = (items: readonly ChecklistItem[]) => items.every((i) => !i.required || i.satisfied);
export const missing = (items: readonly ChecklistItem[]) => items.filter((i) => i.required && !i.satisfied);

/** Mẫu 01 as the producer fills it. */
export interface RegistrationForm {
  representativeName?: string;
  representativeTitle?: string;
  phone?: string;
  productionAddress?: string;
  sampleCount?: number;
  /** The producer commits that the dossier is truthful. */
  commitment?: boolean;
}

/** Mẫu 02, parts I, II and IV, and part III: the producer's own scoring on the official sheet. */
export interface SelfAssessment {
  generalInfo?: string;
  businessResults?: string;
  businessPlan?: string;
  scoring?: SelfScoring;
}

/** Mẫu 02 part III, as the evaluation module computed it: never an official score. */
export interface SelfScoring {
  /** The criteria version slug, e.g. "26-2026": every score keeps the version it was made under. */
  version: string;
  set: number;
  /** Leaf criterion code → chosen option index. */
  choices: Record<string, number>;
  score: number;
  stars: number;
  savedAt: string;
}

/** Mẫu 03: the commune's assessment of its four items. */
export const COMMUNE_ITEMS = ['productOrigin', 'localLabour', 'ideaOrigin', 'localIdentity'] as const;
export type CommuneReport = Partial<
  Record<(typeof COMMUNE_ITEMS)[number], { met: boolean; comment?: string }>
>;

const filled = (s: string | undefined) => typeof s === 'string' && s.trim().length > 0;

export function registrationComplete(form: RegistrationForm, productSet: number): boolean {
  return (
    filled(form.representativeName) &&
    filled(form.phone) &&
    filled(form.productionAddress) &&
    form.commitment === true &&
    (productSet === TOURISM_SET || (form.sampleCount ?? 0) >= SAMPLES_REQUIRED)
  );
}

export function selfAssessmentComplete(form: SelfAssessment): boolean {
  return filled(form.generalInfo) && filled(form.businessResults) && filled(form.businessPlan);
}

export function communeReportComplete(report: CommuneReport | null | undefined): boolean {
  return !!report && COMMUNE_ITEMS.every((item) => typeof report[item]?.met === 'boolean');
}
