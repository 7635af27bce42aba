/**
 * Imports of existing producer and product lists from .xlsx or CSV: the columns are mapped
 * (guessed from the headings, changeable), a dry run reports every problem by row and column,
 * and a commit writes everything in one transaction or nothing. Re-importing the same file
 * changes nothing: producers match on registration number or tax code, products on product code
 * (or producer and name). Former (pre-2025) communes move to their 2025 successor; where a
 * commune was split, the user says which successor each former commune's records go to.
 */
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import { EMAIL, PHONE } from '../../platform/formats.ts';
import {
  type Cell,
  foldHeading,
  parseDateCell,
  parseIntegerCell,
  type Table,
  textCell,
} from '../../platform/spreadsheet/index.ts';
import { todayInVietnam } from '../../platform/time.ts';
import type { AdminUnit, AdminUnitsService } from '../admin-units/index.ts';
import {
  checkProducer,
  inputOf,
  type LegalType,
  mayImport,
  type Producer,
  type ProducerInput,
  type ProducersService,
  type ProducerValues,
  registryPolicy,
  validateRegistrationNumber,
  validateTaxCode,
} from '../producers/index.ts';
import { toGtin14, validateGtin } from './gtin.ts';
import { IMPORT_FIELDS, type ImportTarget, legalTypeOf } from './import-columns.ts';
import { parseProductCode } from './product-code.ts';
import { productSet as productSetOf } from './product-sets.ts';
import {
  findGtins,
  findProductsForImport,
  insertProduct,
  type ProductRow,
  raiseCommuneSequence,
  replaceGtins,
  updateProduct,
} from './products.queries.ts';

export interface ImportProblem {
  /** 1-based row of the file. */
  row: number;
  /** The heading of the column at fault (null: the row as a whole). */
  column: string | null;
  field: string;
  /** Message key under `validation.` or `errors.`. */
  rule: string;
  params?: Record<string, string | number>;
}

/** A former commune split between several 2025 communes: the user picks where its rows go. */
export interface PendingMerge {
  oldCode: string;
  oldName: string;
  rows: number[];
  candidates: { code: string; name: string }[];
}

export interface ImportReport {
  target: ImportTarget;
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  problems: ImportProblem[];
  pending: PendingMerge[];
  committed: boolean;
}

export interface ImportRequest {
  target: ImportTarget;
  table: Table;
  /** Column index per field key. */
  mapping: Record<string, number>;
  /** Former commune code → chosen 2025 commune code, for partial merges. */
  resolutions: Record<string, string>;
}

interface Commune {
  code: string;
  provinceCode: string;
  oldCode: string | null;
  /** The field (column) it was read from. */
  field: string;
}

/**
 * The database refused a row the checks let through (a race with another writer, or a rule only
 * the database knows): nothing was written; say so instead of failing with a 500.
 */
function importConflict(error: unknown): never {
  if (error instanceof DomainError) throw error;
  const e = error as { code?: string; constraint?: string };
  if (['23505', '23514', '22001', '22003', '22007', '22008'].includes(String(e.code)))
    throw new DomainError('import_conflict', 'conflict', { detail: e.constraint ?? String(e.code) });
  throw error;
}

const placeOfProducer = (p: Producer) => ({
  provinceCode: p.provinceCode,
  communeCode: p.communeCode,
  producerId: p.id,
});

type ProducerPlan = { row: number; id: string | null; values: ProducerValues; changed: boolean };
type ProductPlan = {
  row: number;
  existing: ProductRow | null;
  values: Omit<ProductRow, 'id' | 'sort_key' | 'search_text' | 'version' | 'created_at' | 'updated_at'>;
  gtins: string[];
  changed: boolean;
};

const stable = (value: unknown) =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

export function createImportsService(
  db: Kysely<DB>,
  deps: { producers: ProducersService; adminUnits: AdminUnitsService; afterCommit?: () => Promise<void> },
) {
  /** Resolves the communes of every row in bulk: codes of both eras, and names. */
  async function communesOf(
    request: ImportRequest,
    problems: ImportProblem[],
    pending: Map<string, PendingMerge>,
    cell: (row: Cell[], key: string) => string | null,
    header: (key: string) => string | null,
  ): Promise<Map<number, Commune>> {
    const rows = request.table.rows;
    const codes = new Set<string>();
    const oldCodes = new Set<string>();
    for (const r of rows) {
      const code = cell(r.cells, 'communeCode');
      if (code) codes.add(code.padStart(5, '0'));
      const old = cell(r.cells, 'oldCommuneCode');
      if (old) oldCodes.add(old.padStart(5, '0'));
    }
    const current = new Map(
      (await deps.adminUnits.lookup('2025', [...codes])).flatMap((r) =>
        r.unit?.level === 'commune' ? [[r.code, r.unit] as const] : [],
      ),
    );
    const former = new Map(
      (await deps.adminUnits.lookup('pre2025', [...oldCodes])).flatMap((r) =>
        r.unit?.level === 'commune' ? [[r.code, r.unit] as const] : [],
      ),
    );
    const byName = new Map<string, Awaited<ReturnType<AdminUnitsService['list']>>['items']>();
    const search = async (era: '2025' | 'pre2025', name: string) => {
      const key = `${era}:${foldHeading(name)}`;
      if (!byName.has(key)) {
        const page = await deps.adminUnits.list({ era, level: 'commune', q: name, limit: 200, offset: 0 });
        byName.set(
          key,
          page.fuzzy
            ? []
            : page.items.filter(
                (u) =>
                  foldHeading(u.name) === foldHeading(name) || foldHeading(u.fullName) === foldHeading(name),
              ),
        );
      }
      return byName.get(key)!;
    };

    const out = new Map<number, Commune>();
    /** A former commune's successor: the only one, or the one the user chose for a split. */
    const successorOf = async (row: number, unit: AdminUnit, field: string) => {
      const detail = await deps.adminUnits.get('pre2025', unit.code);
      const successors = detail.successors ?? [];
      const chosen = request.resolutions[unit.code];
      if (successors.length === 1) return successors[0]!;
      const pick = successors.find((s) => s.code === chosen);
      if (pick) return pick;
      if (successors.length === 0) {
        problems.push({
          row,
          column: header(field),
          field,
          rule: 'noSuccessor',
          params: { code: unit.code },
        });
        return null;
      }
      const entry = pending.get(unit.code) ?? {
        oldCode: unit.code,
        oldName: `${unit.fullName}${detail.parent ? `, ${detail.parent.fullName}` : ''}`,
        rows: [],
        candidates: successors.map((s) => ({ code: s.code, name: s.fullName })),
      };
      entry.rows.push(row);
      pending.set(unit.code, entry);
      return null;
    };

    for (const { row, cells } of rows) {
      const code = cell(cells, 'communeCode')?.padStart(5, '0');
      const oldCode = cell(cells, 'oldCommuneCode')?.padStart(5, '0');
      const name = cell(cells, 'communeName');
      const oldName = cell(cells, 'oldCommuneName');
      if (code) {
        const unit = current.get(code);
        const old = oldCode ? former.get(oldCode) : undefined;
        if (!unit) {
          problems.push({ row, column: header('communeCode'), field: 'communeCode', rule: 'unknownCommune' });
        } else if (oldCode && !old) {
          problems.push({
            row,
            column: header('oldCommuneCode'),
            field: 'oldCommuneCode',
            rule: 'unknownOldCommune',
          });
        } else if (old && !(old.successors ?? []).some((s) => s.code === unit.code)) {
          // both codes given: the former commune must be one of those the new one was formed from
          problems.push({
            row,
            column: header('oldCommuneCode'),
            field: 'oldCommuneCode',
            rule: 'oldCommuneMismatch',
          });
        } else {
          out.set(row, {
            code: unit.code,
            provinceCode: unit.provinceCode,
            oldCode: oldCode ?? null,
            field: 'communeCode',
          });
        }
      } else if (oldCode) {
        const unit = former.get(oldCode);
        if (!unit) {
          problems.push({
            row,
            column: header('oldCommuneCode'),
            field: 'oldCommuneCode',
            rule: 'unknownOldCommune',
          });
          continue;
        }
        const successor = await successorOf(row, unit, 'oldCommuneCode');
        if (successor)
          out.set(row, {
            code: successor.code,
            provinceCode: successor.provinceCode,
            oldCode,
            field: 'oldCommuneCode',
          });
      } else if (name) {
        const found = await search('2025', name);
        if (found.length === 1)
          out.set(row, {
            code: found[0]!.code,
            provinceCode: found[0]!.provinceCode,
            oldCode: null,
            field: 'communeName',
          });
        else
          problems.push({
            row,
            column: header('communeName'),
            field: 'communeName',
            rule: found.length === 0 ? 'unknownCommuneName' : 'ambiguousCommuneName',
            params: { name, count: found.length },
          });
      } else if (oldName) {
        const district = cell(cells, 'oldDistrictName');
        let found = await search('pre2025', oldName);
        if (district && found.length > 1) {
          const parents = await deps.adminUnits.lookup(
            'pre2025',
            found.map((u) => u.parentCode ?? ''),
          );
          const folded = foldHeading(district);
          found = found.filter((_u, i) => {
            const parent = parents[i]?.unit;
            return parent
              ? foldHeading(parent.fullName).includes(folded) || folded.includes(foldHeading(parent.name))
              : false;
          });
        }
        if (found.length === 1) {
          const successor = await successorOf(row, found[0]!, 'oldCommuneName');
          if (successor)
            out.set(row, {
              code: successor.code,
              provinceCode: successor.provinceCode,
              oldCode: found[0]!.code,
              field: 'oldCommuneName',
            });
        } else {
          problems.push({
            row,
            column: header('oldCommuneName'),
            field: 'oldCommuneName',
            rule: found.length === 0 ? 'unknownCommuneName' : 'ambiguousCommuneName',
            params: { name: oldName, count: found.length },
          });
        }
      } else {
        problems.push({ row, column: null, field: 'communeCode', rule: 'communeMissing' });
      }
    }
    return out;
  }

  async function planProducers(
    principal: Principal,
    request: ImportRequest,
    problems: ImportProblem[],
    pending: Map<string, PendingMerge>,
    cell: (row: Cell[], key: string) => string | null,
    raw: (row: Cell[], key: string) => Cell,
    header: (key: string) => string | null,
    progress: (done: number) => void,
  ): Promise<ProducerPlan[]> {
    const communes = await communesOf(request, problems, pending, cell, header);
    const registrations: string[] = [];
    const taxCodes: string[] = [];
    for (const { cells } of request.table.rows) {
      const reg = cell(cells, 'registrationNumber');
      const tax = cell(cells, 'taxCode');
      const r = reg ? validateRegistrationNumber(reg) : null;
      const t = tax ? validateTaxCode(tax) : null;
      if (r?.ok) registrations.push(r.value);
      if (t?.ok) taxCodes.push(t.taxCode);
    }
    const existing = await deps.producers.byIdentifiers(registrations, taxCodes);
    const byRegistration = new Map(
      existing.filter((p) => p.registrationNumber).map((p) => [p.registrationNumber!, p]),
    );
    const byTax = new Map(existing.filter((p) => p.taxCode).map((p) => [p.taxCode!, p]));
    const seen = new Map<string, number>();
    const plans: ProducerPlan[] = [];
    let done = 0;
    for (const { row, cells } of request.table.rows) {
      progress(++done);
      const rowProblems: ImportProblem[] = [];
      const fail = (field: string, rule: string, params?: Record<string, string | number>) =>
        rowProblems.push({ row, column: header(field), field, rule, ...(params ? { params } : {}) });
      const name = cell(cells, 'legalName');
      if (!name) fail('legalName', 'required');
      else if (name.length > 300) fail('legalName', 'maxLength', { limit: 300 });
      const founded = raw(cells, 'foundedOn');
      const foundedOn = founded === null ? null : parseDateCell(founded);
      if (foundedOn && !foundedOn.ok) fail('foundedOn', foundedOn.rule, foundedOn.params);
      const workers = raw(cells, 'workerCount');
      const workerCount = workers === null ? null : parseIntegerCell(workers, { min: 0, max: 1_000_000 });
      if (workerCount && !workerCount.ok) fail('workerCount', workerCount.rule, workerCount.params);
      const phone = cell(cells, 'phone')?.replace(/[\s.()-]/g, '') ?? null;
      if (phone && !PHONE.test(phone)) fail('phone', 'pattern');
      const email = cell(cells, 'email');
      if (email && (!EMAIL.test(email) || email.length > 254)) fail('email', 'email');
      for (const [field, limit] of [
        ['address', 500],
        ['representativeName', 200],
      ] as const) {
        const value = cell(cells, field);
        if (value && value.length > limit) fail(field, 'maxLength', { limit });
      }
      const commune = communes.get(row);
      if (commune && principal.role === 'province_office' && commune.provinceCode !== principal.scopeCode)
        fail(commune.field, 'outsideScope');

      const reg = cell(cells, 'registrationNumber');
      const tax = cell(cells, 'taxCode');
      const regOk = reg ? validateRegistrationNumber(reg) : null;
      const taxOk = tax ? validateTaxCode(tax) : null;
      // the same producer twice in the file, by either identifier
      const keys = [regOk?.ok ? `r:${regOk.value}` : null, taxOk?.ok ? `t:${taxOk.taxCode}` : null];
      const repeated = keys.find((k) => k !== null && seen.has(k));
      if (repeated)
        fail(repeated.startsWith('r:') ? 'registrationNumber' : 'taxCode', 'duplicateInFile', {
          row: seen.get(repeated)!,
        });
      for (const k of keys) if (k && !seen.has(k)) seen.set(k, row);
      const found =
        (regOk?.ok ? byRegistration.get(regOk.value) : undefined) ??
        (taxOk?.ok ? byTax.get(taxOk.taxCode) : undefined);
      // a producer outside one's scope is not one's to change (and the file does not learn it exists)
      const match = found && registryPolicy(principal, 'update', placeOfProducer(found)) ? found : undefined;
      if (found && !match) fail(regOk?.ok ? 'registrationNumber' : 'taxCode', 'outsideScope');

      // the legal form: from its column; else kept; else guessed from the name ("HTX …", "Công ty …")
      const typeCell = cell(cells, 'legalType');
      const legalType = typeCell
        ? legalTypeOf(typeCell, '')
        : (match?.legalType ?? legalTypeOf(null, name ?? ''));
      if (!legalType) fail(typeCell ? 'legalType' : 'legalName', 'legalTypeUnknown');

      // what the file says overrides; what it does not say stays as it is
      const given: Partial<ProducerInput> = {
        legalName: name ?? '',
        legalType: (legalType ?? 'household') as LegalType,
        communeCode: commune?.code ?? '',
        ...(commune?.oldCode ? { oldCommuneCode: commune.oldCode } : {}),
        ...(reg ? { registrationNumber: reg } : {}),
        ...(tax ? { taxCode: tax } : {}),
        ...(foundedOn?.ok ? { foundedOn: foundedOn.value } : {}),
        ...(cell(cells, 'address') ? { address: cell(cells, 'address') } : {}),
        ...(cell(cells, 'representativeName')
          ? { representativeName: cell(cells, 'representativeName') }
          : {}),
        ...(phone ? { phone } : {}),
        ...(email ? { email } : {}),
        ...(workerCount?.ok ? { workerCount: workerCount.value } : {}),
      };
      const base: ProducerInput = match ? inputOf(match) : (given as ProducerInput);
      if (!commune || !name || !legalType || rowProblems.length > 0) {
        // report the record's own rules too (tax code, dates…): every problem of the row at once
        const checked = checkProducer({ ...base, ...given } as ProducerInput, todayInVietnam());
        for (const f of checked.ok ? [] : checked.errors) {
          const field = f.name.split('/')[0] ?? f.name;
          if (!rowProblems.some((p) => p.field === field) && header(field))
            rowProblems.push({
              row,
              column: header(field),
              field,
              rule: f.rule,
              ...(f.params ? { params: f.params } : {}),
            });
        }
        problems.push(...rowProblems);
        continue;
      }
      try {
        const values = await deps.producers.valuesOf(
          { ...base, ...given } as ProducerInput,
          match?.isDemo ?? false,
          {
            provinceCode: commune.provinceCode,
          },
        );
        const before = match
          ? await deps.producers.valuesOf(inputOf(match), match.isDemo, { provinceCode: match.provinceCode })
          : null;
        plans.push({
          row,
          id: match?.id ?? null,
          values,
          changed: !before || stable(before) !== stable(values),
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        for (const f of error.fields) {
          const field = f.name.split('/')[0] ?? f.name;
          problems.push({
            row,
            column: header(field),
            field,
            rule: f.rule,
            ...(f.params ? { params: f.params } : {}),
          });
        }
      }
    }
    return plans;
  }

  async function planProducts(
    principal: Principal,
    request: ImportRequest,
    problems: ImportProblem[],
    cell: (row: Cell[], key: string) => string | null,
    raw: (row: Cell[], key: string) => Cell,
    header: (key: string) => string | null,
    progress: (done: number) => void,
  ): Promise<ProductPlan[]> {
    const registrations: string[] = [];
    const taxCodes: string[] = [];
    const codes: string[] = [];
    for (const { cells } of request.table.rows) {
      const reg = cell(cells, 'registrationNumber');
      const tax = cell(cells, 'taxCode');
      const r = reg ? validateRegistrationNumber(reg) : null;
      const t = tax ? validateTaxCode(tax) : null;
      if (r?.ok) registrations.push(r.value);
      if (t?.ok) taxCodes.push(t.taxCode);
      const code = cell(cells, 'productCode');
      if (code) codes.push(code);
    }
    const producers = await deps.producers.byIdentifiers(registrations, taxCodes);
    const byRegistration = new Map(
      producers.filter((p) => p.registrationNumber).map((p) => [p.registrationNumber!, p]),
    );
    const byTax = new Map(producers.filter((p) => p.taxCode).map((p) => [p.taxCode!, p]));
    const existing = await findProductsForImport(
      db,
      codes,
      producers.map((p) => p.id),
    );
    const existingGtins = await findGtins(
      db,
      existing.map((p) => p.id),
    );
    const byCode = new Map(existing.filter((p) => p.product_code).map((p) => [p.product_code!, p]));
    const byName = new Map(existing.map((p) => [`${p.producer_id}:${foldHeading(p.name)}`, p]));
    const seen = new Map<string, number>();
    const plans: ProductPlan[] = [];
    let done = 0;
    for (const { row, cells } of request.table.rows) {
      progress(++done);
      const before = problems.length;
      const fail = (field: string, rule: string, params?: Record<string, string | number>) =>
        problems.push({ row, column: header(field), field, rule, ...(params ? { params } : {}) });
      const name = cell(cells, 'productName');
      if (!name) fail('productName', 'required');
      const setCell = cell(cells, 'productSet');
      const set = setCell ? Number(/\d{1,2}/.exec(setCell)?.[0]) : Number.NaN;
      if (!setCell) fail('productSet', 'required');
      else if (!productSetOf(set)) fail('productSet', 'productSet');
      const reg = cell(cells, 'registrationNumber');
      const tax = cell(cells, 'taxCode');
      const regOk = reg ? validateRegistrationNumber(reg) : null;
      const taxOk = tax ? validateTaxCode(tax) : null;
      const producer: Producer | undefined =
        (regOk?.ok ? byRegistration.get(regOk.value) : undefined) ??
        (taxOk?.ok ? byTax.get(taxOk.taxCode) : undefined);
      if (!reg && !tax) fail('registrationNumber', 'registrationOrTaxCode');
      else if (!producer) fail(reg ? 'registrationNumber' : 'taxCode', 'producerNotInRegistry');
      else if (!registryPolicy(principal, 'update', placeOfProducer(producer)))
        fail(reg ? 'registrationNumber' : 'taxCode', 'outsideScope');
      if (name && name.length > 300) fail('productName', 'maxLength', { limit: 300 });
      for (const [field, limit] of [
        ['netContent', 200],
        ['description', 10_000],
      ] as const) {
        const value = cell(cells, field);
        if (value && value.length > limit) fail(field, 'maxLength', { limit });
      }
      const starsCell = raw(cells, 'stars');
      let stars: number | null = null;
      if (starsCell !== null) {
        const digits = /\d/.exec(String(starsCell))?.[0];
        stars = digits ? Number(digits) : Number.NaN;
        if (!(stars >= 1 && stars <= 5)) fail('stars', 'stars');
      }
      const codeCell = cell(cells, 'productCode');
      const code = codeCell ? parseProductCode(codeCell) : null;
      if (codeCell && !code) fail('productCode', 'productCode');
      const gtinCell = cell(cells, 'gtin');
      const gtins: string[] = [];
      for (const g of (gtinCell ?? '').split(/[\s,;]+/).filter(Boolean)) {
        const result = validateGtin(g);
        if (result.ok) gtins.push(toGtin14(result.gtin));
        else fail('gtin', result.reason === 'check_digit' ? 'gtinCheckDigit' : 'gtin');
      }
      if (problems.length > before || !producer || !name) continue;
      const key = codeCell ?? `${producer.id}:${foldHeading(name)}`;
      if (seen.has(key)) {
        fail(codeCell ? 'productCode' : 'productName', 'duplicateInFile', { row: seen.get(key)! });
        continue;
      }
      seen.set(key, row);
      const match =
        (codeCell ? byCode.get(codeCell) : undefined) ??
        byName.get(`${producer.id}:${foldHeading(name)}`) ??
        null;
      if (match && match.producer_id !== producer.id) {
        fail('productCode', 'productCodeOtherProducer');
        continue;
      }
      const values: ProductPlan['values'] = {
        producer_id: producer.id,
        name: name.replace(/\s+/g, ' '),
        product_set: set,
        description: cell(cells, 'description') ?? match?.description ?? null,
        story: match?.story ?? null,
        packaging: match?.packaging ?? null,
        net_content: cell(cells, 'netContent') ?? match?.net_content ?? null,
        shelf_life_days: match?.shelf_life_days ?? null,
        price_min: match?.price_min ?? null,
        price_max: match?.price_max ?? null,
        status: match?.status ?? 'active',
        stars: starsCell !== null ? stars : (match?.stars ?? null),
        product_code: codeCell ?? match?.product_code ?? null,
        code_sequence:
          code && code.communeCode === producer.communeCode ? code.sequence : (match?.code_sequence ?? null),
        commune_code: match?.commune_code ?? producer.communeCode,
        province_code: match?.province_code ?? producer.provinceCode,
        is_demo: match?.is_demo ?? false,
      };
      const finalGtins = gtinCell ? gtins : (existingGtins.get(match?.id ?? '') ?? []);
      const changed =
        !match ||
        stable(
          Object.fromEntries(Object.keys(values).map((k) => [k, (match as Record<string, unknown>)[k]])),
        ) !== stable(values) ||
        stable(existingGtins.get(match.id) ?? []) !== stable(finalGtins);
      plans.push({ row, existing: match, values, gtins: finalGtins, changed });
    }
    return plans;
  }

  /**
   * Commits run one at a time (in this process), each planned afresh: two people importing the
   * same new rows at once must not both create them.
   */
  let commits: Promise<unknown> = Promise.resolve();

  /** Analyses the file; with `commit`, writes it if nothing is wrong (one transaction). */
  async function run(
    context: AuditContext,
    principal: Principal | null,
    request: ImportRequest,
    options: { commit: boolean; onProgress?: (done: number, total: number) => void },
  ): Promise<ImportReport> {
    if (!principal) throw new DomainError('sign_in_required', 'unauthenticated');
    if (!mayImport(principal)) throw new DomainError('forbidden', 'forbidden');
    const { table, mapping, target } = request;
    const problems: ImportProblem[] = [];
    const pending = new Map<string, PendingMerge>();
    for (const field of IMPORT_FIELDS[target]) {
      if (field.required && mapping[field.key] === undefined)
        problems.push({ row: table.headerRow, column: null, field: field.key, rule: 'columnMissing' });
    }
    if (
      target === 'producers' &&
      mapping.communeCode === undefined &&
      mapping.communeName === undefined &&
      mapping.oldCommuneCode === undefined &&
      mapping.oldCommuneName === undefined
    ) {
      problems.push({ row: table.headerRow, column: null, field: 'communeCode', rule: 'columnMissing' });
    }
    if (mapping.registrationNumber === undefined && mapping.taxCode === undefined)
      problems.push({
        row: table.headerRow,
        column: null,
        field: 'registrationNumber',
        rule: 'columnMissing',
      });
    const raw = (row: Cell[], key: string): Cell => {
      const index = mapping[key];
      return index === undefined ? null : (row[index] ?? null);
    };
    const cell = (row: Cell[], key: string): string | null => {
      const value = raw(row, key);
      if (value === null) return null;
      const text = textCell(value);
      return text.ok && text.value.trim() ? text.value.trim() : null;
    };
    const header = (key: string) => {
      const index = mapping[key];
      return index === undefined ? null : (table.headers[index] ?? null);
    };
    const total = table.rows.length;
    const progress = (done: number) => options.onProgress?.(done, total);
    const report = (
      plans: { changed: boolean; id?: string | null; existing?: ProductRow | null }[],
      committed: boolean,
    ): ImportReport => ({
      target,
      rows: total,
      create: plans.filter((p) => p.changed && !(p.id ?? p.existing)).length,
      update: plans.filter((p) => p.changed && (p.id ?? p.existing)).length,
      unchanged: plans.filter((p) => !p.changed).length,
      problems: problems.sort((a, b) => a.row - b.row),
      pending: [...pending.values()],
      committed,
    });
    if (problems.length > 0) return report([], false);

    if (target === 'producers') {
      const plans = await planProducers(principal, request, problems, pending, cell, raw, header, progress);
      if (!options.commit || problems.length > 0 || pending.size > 0) return report(plans, false);
      await db
        .transaction()
        .execute(async (trx) => {
          const changed = plans.filter((p) => p.changed);
          await deps.producers.saveMany(
            trx,
            context,
            changed.map((p) => ({ id: p.id, values: p.values })),
          );
          await audit(trx, context, {
            action: 'import.commit',
            entityType: 'import',
            after: { target, rows: total, written: changed.length },
          });
        })
        .catch(importConflict);
      return report(plans, true);
    }
    const plans = await planProducts(principal, request, problems, cell, raw, header, progress);
    if (!options.commit || problems.length > 0) return report(plans, false);
    await db
      .transaction()
      .execute(async (trx) => {
        for (const plan of plans.filter((p) => p.changed)) {
          const row = plan.existing
            ? await updateProduct(trx, plan.existing.id, undefined, plan.values as never)
            : await insertProduct(trx, plan.values);
          if (!row) throw new DomainError('product_changed', 'conflict');
          await replaceGtins(trx, row.id, plan.gtins);
          if (plan.values.code_sequence)
            await raiseCommuneSequence(trx, plan.values.commune_code, plan.values.code_sequence);
          await audit(trx, context, {
            action: 'product.import',
            entityType: 'product',
            entityId: row.id,
            before: plan.existing,
            after: { ...row, gtins: plan.gtins },
          });
        }
        await audit(trx, context, {
          action: 'import.commit',
          entityType: 'import',
          after: { target, rows: total, written: plans.filter((p) => p.changed).length },
        });
      })
      .catch(importConflict);
    return report(plans, true);
  }

  return {
    run(...args: Parameters<typeof run>): Promise<ImportReport> {
      if (!args[3].commit) return run(...args);
      const next = commits.then(async () => {
        const report = await run(...args);
        if (report.committed) await deps.afterCommit?.();
        return report;
      });
      commits = next.catch(() => undefined);
      return next;
    },
  };
}

export type ImportsService = ReturnType<typeof createImportsService>;
