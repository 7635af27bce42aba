/**
 * Import of the certificates a province already issued (since 2019) from .xlsx or CSV, as the
 * registry import does it: the columns are guessed from the headings (changeable), a dry run
 * reports every problem by row and column, and a commit writes everything in one transaction or
 * nothing. Each row names its product by product code, or by its producer (registration number
 * or tax code) and its name; the product must already be in the registry. Every rule a recorded
 * certificate obeys (`rowOf`) is checked in the dry run. Certificates of one product chain in
 * date order: an earlier one ends superseded by the next. Re-importing the same file changes
 * nothing: a number already in the register for an identical certificate counts as unchanged.
 */
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError, type FieldError } from '../../platform/errors.ts';
import {
  type Cell,
  foldHeading,
  guessMapping,
  type HeadingField,
  parseDateCell,
  parseDecimalCell,
  type Table,
  textCell,
} from '../../platform/spreadsheet/index.ts';
import { type ProducersService, validateRegistrationNumber, validateTaxCode } from '../producers/index.ts';
import type { ProductsService } from '../products/index.ts';
import { type CertificateLevel, inForce } from './certificate.model.ts';
import { certificateStatus } from './certificate-status.ts';
import { datesOf, findByNumber, findOfProducts, type NewCertificateRow } from './certificates.queries.ts';
import type { CertificateInput, CertificatesService } from './certificates.service.ts';
import { certificationPolicy, recordsCertificates } from './policy.ts';

export interface CertificateImportField extends HeadingField {
  key: CertificateImportKey;
  required: boolean;
}

export const CERTIFICATE_IMPORT_KEYS = [
  'number',
  'productCode',
  'productName',
  'producerName',
  'registrationNumber',
  'taxCode',
  'stars',
  'score',
  'level',
  'decisionNumber',
  'decisionDate',
  'decisionSigner',
  'issuedOn',
  'validUntil',
  'validityReason',
] as const;
export type CertificateImportKey = (typeof CERTIFICATE_IMPORT_KEYS)[number];

/** The columns, with the headings provinces use (folded: no case, diacritics or punctuation). */
export const CERTIFICATE_IMPORT_FIELDS: readonly CertificateImportField[] = [
  {
    key: 'number',
    required: true,
    aliases: [
      'so gcn',
      'so giay chung nhan',
      'so gcn ocop',
      'so giay chung nhan ocop',
      'so chung nhan',
      'so hieu gcn',
      'so hieu giay chung nhan',
      'ma gcn',
      'ma giay chung nhan',
      'gcn so',
    ],
  },
  {
    key: 'productCode',
    required: false,
    aliases: ['ma san pham', 'ma so san pham', 'ma sp', 'ma san pham ocop', 'ma so sp'],
  },
  {
    key: 'productName',
    required: false,
    aliases: ['ten san pham', 'san pham', 'ten sp', 'ten san pham ocop', 'san pham ocop'],
  },
  {
    key: 'producerName',
    required: false,
    aliases: [
      'chu the',
      'ten chu the',
      'chu the san xuat',
      'chu the ocop',
      'ten co so',
      'co so san xuat',
      'don vi',
      'ten don vi',
      'ten to chuc',
      'ten doanh nghiep',
      'ten htx',
    ],
  },
  {
    key: 'registrationNumber',
    required: false,
    aliases: [
      'so dkkd',
      'so dang ky kinh doanh',
      'giay dkkd',
      'so giay chung nhan dang ky kinh doanh',
      'dkkd',
      'so dang ky',
    ],
  },
  { key: 'taxCode', required: false, aliases: ['ma so thue', 'mst', 'ma so doanh nghiep'] },
  {
    key: 'stars',
    required: true,
    aliases: [
      'so sao',
      'hang sao',
      'xep hang',
      'xep hang sao',
      'sao',
      'hang',
      'hang sao ocop',
      'ket qua xep hang',
      'ket qua danh gia',
    ],
  },
  {
    key: 'score',
    required: false,
    aliases: ['diem', 'diem so', 'tong diem', 'diem danh gia', 'diem trung binh', 'diem cham', 'so diem'],
  },
  {
    key: 'level',
    required: false,
    aliases: [
      'cap cong nhan',
      'cap',
      'cap danh gia',
      'cap xep hang',
      'cap quyet dinh',
      'cap cong nhan ocop',
      'cap danh gia phan hang',
    ],
  },
  {
    key: 'decisionNumber',
    required: true,
    aliases: [
      'so quyet dinh',
      'so qd',
      'quyet dinh',
      'quyet dinh so',
      'quyet dinh cong nhan',
      'so quyet dinh cong nhan',
      'so ngay quyet dinh',
      'so ngay qd',
      'quyet dinh so ngay',
      'so va ngay quyet dinh',
      'so qd cong nhan',
    ],
  },
  {
    key: 'decisionDate',
    required: true,
    aliases: [
      'ngay quyet dinh',
      'ngay qd',
      'ngay ky quyet dinh',
      'ngay ky qd',
      'ngay ky',
      'ngay ban hanh',
      'ngay ban hanh quyet dinh',
    ],
  },
  {
    key: 'decisionSigner',
    required: true,
    aliases: ['nguoi ky', 'nguoi ky quyet dinh', 'nguoi ky qd', 'ky boi', 'nguoi ky gcn'],
  },
  {
    key: 'issuedOn',
    required: false,
    aliases: [
      'ngay cap',
      'ngay cap gcn',
      'ngay cap giay chung nhan',
      'ngay hieu luc',
      'co hieu luc tu',
      'hieu luc tu',
    ],
  },
  {
    key: 'validUntil',
    required: false,
    aliases: [
      'co gia tri den',
      'ngay het han',
      'het han',
      'hieu luc den',
      'co hieu luc den',
      'gia tri den',
      'ngay het hieu luc',
    ],
  },
  {
    key: 'validityReason',
    required: false,
    aliases: ['ly do', 'ly do thoi han', 'ly do thoi han khac', 'ghi chu thoi han'],
  },
];

/** Column index per field, guessed from the headings (the user can change it before importing). */
export const guessCertificateMapping = (headings: readonly string[]) =>
  guessMapping(headings, CERTIFICATE_IMPORT_FIELDS);

/**
 * The stars a cell gives: a number (4), "4 sao", "4*", "4★", or the stars drawn ("★★★★",
 * "****"). NaN when it says none of these.
 */
export function starsOf(cell: Cell): number {
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell : Number.NaN;
  if (typeof cell !== 'string') return Number.NaN;
  const text = cell.normalize('NFC').trim();
  const digits = text.match(/\d+/g);
  if (digits) {
    // "4 sao", "4*", "4★", "Hạng 4 sao": one number, and nothing else that counts
    return digits.length === 1 && /^(hạng\s*)?\d+\s*(sao|\*|★)?$/iu.test(text)
      ? Number(digits[0])
      : Number.NaN;
  }
  const drawn = /^(★+|\*+|☆+)$/u.exec(text.replace(/\s+/g, ''));
  return drawn ? [...drawn[1]!].length : Number.NaN;
}

/**
 * The level a cell names: "tỉnh", "cấp tỉnh", "UBND tỉnh" → province; "huyện" → district;
 * "trung ương", "TW", "Bộ …", "quốc gia" → central. Null when it names none (or several).
 */
export function levelOf(text: string): CertificateLevel | null {
  const folded = ` ${foldHeading(text)} `;
  const found = new Set<CertificateLevel>();
  if (/ (huyen|quan|district) /.test(folded)) found.add('district');
  if (/ (tinh|province|provincial) /.test(folded)) found.add('province');
  if (/ (tw|trung uong|bo|quoc gia|central|national) /.test(folded)) found.add('central');
  return found.size === 1 ? [...found][0]! : null;
}

/**
 * A decision written with its date in one cell, as lists often do: "125/QĐ-UBND ngày 12/3/2020"
 * (or "…, ngày 12/3/2020") → its number and its date as written; otherwise the cell as the number.
 */
export function splitDecision(text: string): { number: string; date: string | null } {
  const m = /^(.+?)[\s,;]+ngày\s+(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})\.?$/iu.exec(text.normalize('NFC').trim());
  return m ? { number: m[1]!.trim(), date: m[2]! } : { number: text.trim(), date: null };
}

/** What the stars imply when the file does not say the level: 5★ is the ministry's, the rest the province's. */
export const levelForStars = (stars: number): CertificateLevel => (stars === 5 ? 'central' : 'province');

/** A product name as matched: no diacritics, case, punctuation or spaces. */
const foldName = (name: string) => foldHeading(name).replace(/ /g, '');

export interface CertificateImportProblem {
  /** 1-based row of the file. */
  row: number;
  /** The heading of the column at fault (null: the row or the file as a whole). */
  column: string | null;
  field: string;
  /** Message key under `validation.`. */
  rule: string;
  params?: Record<string, string | number>;
}

export interface CertificateImportReport {
  rows: number;
  create: number;
  /** Always 0: a certificate in the register is never changed by an import (kept for the registry's report shape). */
  update: number;
  unchanged: number;
  problems: CertificateImportProblem[];
  /**
   * The certificates in the register, still in force, that rows of the file will replace (a
   * re-evaluation or upgrade issued while they ran): shown before the commit so that a wrong match
   * is seen before it happens.
   */
  replaces: { row: number; number: string; stars: number; validUntil: string }[];
  committed: boolean;
}

export interface CertificateImportRequest {
  table: Table;
  /** Column index per field key. */
  mapping: Record<string, number>;
}

export interface CertificateImportDeps {
  certificates: Pick<CertificatesService, 'rowOf' | 'recordImported'>;
  products: Pick<ProductsService, 'findForImport'>;
  producers: Pick<ProducersService, 'byIdentifiers'>;
  /** Upkeep after a commit (statistics after bulk writes). */
  afterCommit?: () => Promise<void>;
}

interface Plan {
  row: number;
  values: NewCertificateRow;
  unchanged: boolean;
}

/** When a rule's own field has no column, the column the user should look at instead. */
const FALLBACK: Partial<Record<string, CertificateImportKey>> = {
  decisionDate: 'decisionNumber',
  validityReason: 'validUntil',
  validUntil: 'issuedOn',
  issuedOn: 'decisionDate',
  level: 'stars',
};

/** A product that does not exist: `rowOf` then checks the rest of the row and says only that. */
const NO_PRODUCT = '00000000-0000-0000-0000-000000000000';

/**
 * The database refused what the checks let through (another writer, or a rule only the database
 * knows): nothing was written; say so instead of failing with a 500.
 */
function importConflict(error: unknown): never {
  if (error instanceof DomainError) throw error;
  const e = error as { code?: string; constraint?: string };
  if (['23505', '23514', '22001', '22003', '22007', '22008'].includes(String(e.code)))
    throw new DomainError('import_conflict', 'conflict', { detail: e.constraint ?? String(e.code) });
  throw error;
}

export function createCertificateImport(db: Kysely<DB>, deps: CertificateImportDeps) {
  async function plan(
    principal: Principal,
    request: CertificateImportRequest,
    problems: CertificateImportProblem[],
  ): Promise<Plan[]> {
    const { table, mapping } = request;
    const raw = (cells: Cell[], key: CertificateImportKey): Cell => {
      const index = mapping[key];
      return index === undefined ? null : (cells[index] ?? null);
    };
    const cell = (cells: Cell[], key: CertificateImportKey): string | null => {
      const value = raw(cells, key);
      if (value === null) return null;
      const text = textCell(value);
      return text.ok && text.value.trim() ? text.value.trim() : null;
    };
    const header = (key: string): string | null => {
      const index = mapping[key];
      return index === undefined ? null : (table.headers[index] ?? null);
    };
    const columnOf = (field: string) => {
      const fallback = FALLBACK[field];
      return header(field) ?? (fallback ? header(fallback) : null);
    };
    const codeOf = (cells: Cell[]) => cell(cells, 'productCode')?.replace(/\s+/g, '') ?? null;

    // the producers and products the rows name, in bulk
    const registrations = new Set<string>();
    const taxCodes = new Set<string>();
    const codes = new Set<string>();
    for (const { cells } of table.rows) {
      const reg = cell(cells, 'registrationNumber');
      const tax = cell(cells, 'taxCode');
      const r = reg ? validateRegistrationNumber(reg) : null;
      const t = tax ? validateTaxCode(tax) : null;
      if (r?.ok) registrations.add(r.value);
      if (t?.ok) taxCodes.add(t.taxCode);
      const code = codeOf(cells);
      if (code) codes.add(code);
    }
    const producers = await deps.producers.byIdentifiers([...registrations], [...taxCodes]);
    const byRegistration = new Map(
      producers.filter((p) => p.registrationNumber).map((p) => [p.registrationNumber!, p]),
    );
    const byTax = new Map(producers.filter((p) => p.taxCode).map((p) => [p.taxCode!, p]));
    const products = await deps.products.findForImport(db, {
      codes: [...codes],
      producerIds: producers.map((p) => p.id),
    });
    const byCode = new Map(products.filter((p) => p.productCode).map((p) => [p.productCode!, p]));
    const byName = new Map<string, (typeof products)[number][]>();
    for (const p of products) {
      const key = `${p.producerId}:${foldName(p.name)}`;
      byName.set(key, [...(byName.get(key) ?? []), p]);
    }
    /** Certificates already in the register, by number (as written, any province and level). */
    const registered = new Map<string, Awaited<ReturnType<typeof findByNumber>>>();
    const inRegister = async (number: string) => {
      if (!registered.has(number))
        registered.set(
          number,
          (await findByNumber(db, number)).filter((c) => c.number === number),
        );
      return registered.get(number)!;
    };

    const seen = new Map<string, number>();
    const plans: Plan[] = [];
    for (const { row, cells } of table.rows) {
      const rowProblems: CertificateImportProblem[] = [];
      const fail = (field: string, rule: string, params?: Record<string, string | number>) => {
        if (rowProblems.some((p) => p.field === field)) return; // one problem per field is enough
        rowProblems.push({ row, column: columnOf(field), field, rule, ...(params ? { params } : {}) });
      };

      // the product: by its code first, else by its producer and name
      const code = codeOf(cells);
      const name = cell(cells, 'productName');
      const reg = cell(cells, 'registrationNumber');
      const tax = cell(cells, 'taxCode');
      const regOk = reg ? validateRegistrationNumber(reg) : null;
      const taxOk = tax ? validateTaxCode(tax) : null;
      const producer =
        (regOk?.ok ? byRegistration.get(regOk.value) : undefined) ??
        (taxOk?.ok ? byTax.get(taxOk.taxCode) : undefined);
      const productField: CertificateImportKey = code ? 'productCode' : 'productName';
      let product = code ? byCode.get(code) : undefined;
      if (product && producer && product.producerId !== producer.id) {
        fail('productCode', 'productCodeOtherProducer');
      } else if (!product && name && producer) {
        const candidates = byName.get(`${producer.id}:${foldName(name)}`) ?? [];
        if (candidates.length > 1)
          fail('productName', 'certificateProductAmbiguous', { count: candidates.length });
        else product = candidates[0];
      }
      if (!code && !name) fail('productName', 'required');
      else if (!product && rowProblems.length === 0)
        fail(productField, 'certificateProductUnknown', { name: name ?? code ?? '' });
      const place = product && {
        provinceCode: product.provinceCode,
        communeCode: product.communeCode,
        producerId: product.producerId,
      };
      if (place && !certificationPolicy(principal, 'record', place)) fail(productField, 'outsideScope');

      // the cells, read as the certificate needs them
      const number = cell(cells, 'number')?.replace(/\s+/g, ' ') ?? null;
      if (!number) fail('number', 'required');
      const starsCell = raw(cells, 'stars');
      const stars = starsCell === null ? Number.NaN : starsOf(starsCell);
      if (starsCell === null) fail('stars', 'required');
      else if (!(stars >= 1 && stars <= 5)) fail('stars', 'stars');
      const levelCell = cell(cells, 'level');
      const level = levelCell ? levelOf(levelCell) : levelForStars(stars);
      if (!level) fail('level', 'certificateLevel');
      const scoreCell = raw(cells, 'score');
      const score = scoreCell === null ? null : parseDecimalCell(scoreCell);
      if (score && !score.ok) fail('score', score.rule, score.params);
      const decision = splitDecision(cell(cells, 'decisionNumber') ?? '');
      const date = (key: 'decisionDate' | 'issuedOn' | 'validUntil', required: boolean): string | null => {
        // the decision's date may come with its number ("125/QĐ-UBND ngày 12/3/2020")
        const value = raw(cells, key) ?? (key === 'decisionDate' ? decision.date : null);
        if (value === null) {
          if (required) fail(key, 'required');
          return null;
        }
        const parsed = parseDateCell(value);
        if (parsed.ok) return parsed.value;
        fail(key, parsed.rule, parsed.params);
        return null;
      };
      const decisionDate = date('decisionDate', true);
      const issuedOn = date('issuedOn', false);
      const validUntil = date('validUntil', false);
      const decisionNumber = decision.number || null;
      if (!decisionNumber) fail('decisionNumber', 'required');
      const decisionSigner = cell(cells, 'decisionSigner');
      if (!decisionSigner) fail('decisionSigner', 'required');

      // every rule of a recorded certificate, on the row's columns
      const input: CertificateInput = {
        productId: product?.id ?? NO_PRODUCT,
        number,
        level: level ?? ('?' as CertificateLevel),
        stars,
        score: score?.ok ? score.value : null,
        decisionNumber: decisionNumber ?? '',
        decisionDate: decisionDate ?? '',
        decisionSigner: decisionSigner ?? '',
        issuedOn,
        validUntil,
        validityReason: cell(cells, 'validityReason'),
      };
      let values: NewCertificateRow | null = null;
      try {
        values = await deps.certificates.rowOf(db, input, 'import');
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
        for (const f of error.fields as FieldError[]) {
          const field = f.name.split('/')[0] ?? f.name;
          if (field === 'productId') continue; // reported above, as the file says it
          fail(field, f.rule, f.params);
        }
      }

      // the number: once per province and level, in the file and in the register
      if (product && number && level) {
        const key = `${product.provinceCode}:${level}:${number}`;
        const first = seen.get(key);
        if (first !== undefined) fail('number', 'certificateNumberTaken', { number, row: first });
        else {
          seen.set(key, row);
          const existing = (await inRegister(number)).find(
            (c) => c.province_code === product.provinceCode && c.level === level,
          );
          const identical =
            existing !== undefined &&
            values !== null &&
            existing.product_id === values.product_id &&
            existing.stars === values.stars &&
            existing.decision_date === values.decision_date &&
            existing.issued_on === values.issued_on &&
            existing.valid_until === values.valid_until;
          if (existing && !identical) fail('number', 'certificateNumberTaken', { number });
          else if (existing && values && rowProblems.length === 0) {
            plans.push({ row, values, unchanged: true });
            continue;
          }
        }
      }
      if (rowProblems.length > 0 || !values) {
        problems.push(...rowProblems);
        continue;
      }
      plans.push({ row, values, unchanged: false });
    }
    return plans;
  }

  /** Analyses the file; with `commit`, writes it if nothing is wrong (one transaction). */
  async function run(
    context: AuditContext,
    principal: Principal | null,
    request: CertificateImportRequest,
    options: { commit: boolean },
  ): Promise<CertificateImportReport> {
    if (!principal) throw new DomainError('sign_in_required', 'unauthenticated');
    if (!recordsCertificates(principal)) throw new DomainError('forbidden', 'forbidden');
    const { table, mapping } = request;
    const problems: CertificateImportProblem[] = [];
    const missing = (field: CertificateImportKey) =>
      problems.push({ row: table.headerRow, column: null, field, rule: 'columnMissing' });
    for (const field of CERTIFICATE_IMPORT_FIELDS) {
      // the decision's date may be written in the number's column ("… ngày 12/3/2020")
      const implied = field.key === 'decisionDate' && mapping.decisionNumber !== undefined;
      if (field.required && mapping[field.key] === undefined && !implied) missing(field.key);
    }
    if (mapping.productCode === undefined && mapping.productName === undefined) missing('productCode');
    else if (
      mapping.productCode === undefined &&
      mapping.registrationNumber === undefined &&
      mapping.taxCode === undefined
    )
      missing('registrationNumber');
    const report = (
      plans: Plan[],
      committed: boolean,
      replaces: CertificateImportReport['replaces'] = [],
    ): CertificateImportReport => ({
      rows: table.rows.length,
      replaces,
      create: plans.filter((p) => !p.unchanged).length,
      update: 0,
      unchanged: plans.filter((p) => p.unchanged).length,
      problems: problems.sort((a, b) => a.row - b.row),
      committed,
    });
    if (problems.length > 0) return report([], false);

    const plans = await plan(principal, request, problems);
    const replaces = await replacedInForce(plans);
    if (!options.commit || problems.length > 0) return report(plans, false, replaces);
    const fresh = plans.filter((p) => !p.unchanged);
    if (fresh.length === 0) return report(plans, true); // everything is already in the register
    await db
      .transaction()
      .execute(async (trx) => {
        const written = await deps.certificates.recordImported(
          trx,
          context,
          fresh.map((p) => p.values),
        );
        await audit(trx, context, {
          action: 'certificate.import',
          entityType: 'import',
          after: {
            target: 'certificates',
            rows: table.rows.length,
            written,
            unchanged: plans.length - fresh.length,
          },
        });
      })
      .catch(importConflict);
    return report(plans, true, replaces);
  }

  /** The register's current certificates, in force on the day, that the file's newest row per product replaces. */
  async function replacedInForce(plans: Plan[]): Promise<CertificateImportReport['replaces']> {
    const newest = new Map<string, Plan>();
    for (const p of plans) {
      if (p.unchanged) continue;
      const seen = newest.get(p.values.product_id);
      if (!seen || seen.values.issued_on < p.values.issued_on) newest.set(p.values.product_id, p);
    }
    const out: CertificateImportReport['replaces'] = [];
    for (const row of await findOfProducts(db, [...newest.keys()])) {
      if (row.superseded_by_id !== null || row.revoked_on !== null) continue;
      const p = newest.get(row.product_id)!;
      if (row.issued_on >= p.values.issued_on) continue;
      if (!inForce(certificateStatus(datesOf(row), p.values.issued_on))) continue;
      out.push({ row: p.row, number: row.number, stars: row.stars, validUntil: row.valid_until });
    }
    return out.sort((a, b) => a.row - b.row);
  }

  /**
   * Commits run one at a time (in this process), each planned afresh: two people importing the
   * same certificates at once must not both write them.
   */
  let commits: Promise<unknown> = Promise.resolve();

  return {
    run(...args: Parameters<typeof run>): Promise<CertificateImportReport> {
      if (!args[3].commit) return run(...args);
      const next = commits.then(async () => {
        const result = await run(...args);
        if (result.committed) await deps.afterCommit?.();
        return result;
      });
      commits = next.catch(() => undefined);
      return next;
    },
  };
}

export type CertificateImport = ReturnType<typeof createCertificateImport>;
