/** Producers: the registry's use cases. Each write is checked, scoped, audited, in one transaction. */
import type { Kysely, Transaction } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError, type FieldError } from '../../platform/errors.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/pagination.ts';
import { todayInVietnam } from '../../platform/time.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import {
  producerChanged,
  producerDuplicate,
  producerForbidden,
  producerInvalid,
  producerNotFound,
  signInRequired,
} from './errors.ts';
import { listScope, type RecordPlace, registryPolicy } from './policy.ts';
import {
  type Certification,
  checkProducer,
  type LegalType,
  type ProducerInput,
  type RawMaterialArea,
  type SalesChannel,
} from './producer-rules.ts';
import {
  findProducer,
  findProducerNames,
  findProducers,
  findProducersByIdentifiers,
  findProducersByIds,
  insertProducer,
  type ProducerRow,
  type ProducerValues,
  updateProducer,
} from './producers.queries.ts';

export interface Producer {
  id: string;
  legalType: LegalType;
  isSme: boolean;
  legalName: string;
  registrationNumber: string | null;
  taxCode: string | null;
  foundedOn: string | null;
  address: string | null;
  communeCode: string;
  oldCommuneCode: string | null;
  provinceCode: string;
  representativeName: string | null;
  representativeTitle: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  workerCount: number | null;
  trainedWorkerCount: number | null;
  circularEconomy: boolean;
  circularEconomyDescription: string | null;
  rawMaterialAreas: RawMaterialArea[];
  qualityCertificates: Certification[];
  salesChannels: SalesChannel[];
  isDemo: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export function presentProducer(row: ProducerRow): Producer {
  return {
    id: row.id,
    legalType: row.legal_type as LegalType,
    isSme: row.is_sme,
    legalName: row.legal_name,
    registrationNumber: row.registration_number,
    taxCode: row.tax_code,
    foundedOn: row.founded_on,
    address: row.address,
    communeCode: row.commune_code,
    oldCommuneCode: row.old_commune_code,
    provinceCode: row.province_code,
    representativeName: row.representative_name,
    representativeTitle: row.representative_title,
    phone: row.phone,
    email: row.email,
    website: row.website,
    workerCount: row.worker_count,
    trainedWorkerCount: row.trained_worker_count,
    circularEconomy: row.circular_economy,
    circularEconomyDescription: row.circular_economy_description,
    rawMaterialAreas: json(row.raw_material_areas),
    qualityCertificates: json(row.quality_certificates),
    salesChannels: json(row.sales_channels),
    isDemo: row.is_demo,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface ProducerQuery {
  q?: string | undefined;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  legalType?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Postgres unique violations on the two identifiers, as a field error. */
function duplicateOf(error: unknown): never {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code === '23505') {
    const text = `${e.constraint ?? ''} ${e.message ?? ''}`;
    throw producerDuplicate(text.includes('tax_code') ? 'taxCode' : 'registrationNumber');
  }
  throw error;
}

/** A stored producer as the input that would store it again. */
export function inputOf(producer: Producer): ProducerInput {
  const { id, provinceCode, isDemo, version, createdAt, updatedAt, ...input } = producer;
  return input;
}

/** Fields only an officer changes: the producer's account asks its commune to. */
const OFFICER_FIELDS = [
  ['legalType', 'legal_type'],
  ['isSme', 'is_sme'],
  ['registrationNumber', 'registration_number'],
  ['taxCode', 'tax_code'],
  ['communeCode', 'commune_code'],
  ['oldCommuneCode', 'old_commune_code'],
] as const;

const placeOfRow = (row: ProducerRow): RecordPlace => ({
  provinceCode: row.province_code,
  communeCode: row.commune_code,
  producerId: row.id,
});

export function createProducersService(db: Kysely<DB>, deps: { adminUnits: AdminUnitsService }) {
  /** Checks the input, resolves its commune to a province, and returns the row values. */
  /**
   * Checks an input and returns the row values. `resolved`: the caller (an import) has already
   * resolved the commune, and the former commune to it, in bulk.
   */
  async function valuesOf(
    input: ProducerInput,
    isDemo = false,
    resolved?: { provinceCode: string },
  ): Promise<ProducerValues> {
    const checked = checkProducer(input, todayInVietnam());
    const errors: FieldError[] = checked.ok ? [] : [...checked.errors];
    const value = checked.ok ? checked.value : input;
    const areaCodes = (value.rawMaterialAreas ?? []).map((a) => a.communeCode);
    const [found, ...areaUnits] = resolved
      ? [
          {
            code: value.communeCode,
            unit: { level: 'commune', code: value.communeCode, provinceCode: resolved.provinceCode },
          },
        ]
      : await deps.adminUnits.lookup('2025', [value.communeCode, ...areaCodes]);
    const commune = found?.unit?.level === 'commune' ? found.unit : null;
    if (!commune) errors.push({ in: 'body', name: 'communeCode', rule: 'unknownCommune' });
    areaUnits.forEach((unit, i) => {
      if (unit.unit?.level !== 'commune')
        errors.push({ in: 'body', name: `rawMaterialAreas/${i}/communeCode`, rule: 'unknownCommune' });
    });
    if (value.oldCommuneCode && !resolved) {
      const [old] = await deps.adminUnits.lookup('pre2025', [value.oldCommuneCode]);
      if (old?.unit?.level !== 'commune') {
        errors.push({ in: 'body', name: 'oldCommuneCode', rule: 'unknownOldCommune' });
      } else if (commune && !(old.unit.successors ?? []).some((s) => s.code === commune.code)) {
        errors.push({ in: 'body', name: 'oldCommuneCode', rule: 'oldCommuneMismatch' });
      }
    }
    if (errors.length > 0 || !commune) throw producerInvalid(errors);
    const text = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);
    return {
      legal_type: value.legalType,
      is_sme: value.isSme ?? false,
      legal_name: value.legalName,
      registration_number: value.registrationNumber ?? null,
      tax_code: value.taxCode ?? null,
      founded_on: value.foundedOn ?? null,
      address: text(value.address),
      commune_code: commune.code,
      old_commune_code: value.oldCommuneCode ?? null,
      province_code: commune.provinceCode,
      representative_name: text(value.representativeName),
      representative_title: text(value.representativeTitle),
      phone: text(value.phone),
      email: text(value.email),
      website: text(value.website),
      worker_count: value.workerCount ?? null,
      trained_worker_count: value.trainedWorkerCount ?? null,
      circular_economy: value.circularEconomy ?? false,
      circular_economy_description: value.circularEconomy ? text(value.circularEconomyDescription) : null,
      raw_material_areas: value.rawMaterialAreas ?? [],
      quality_certificates: value.qualityCertificates ?? [],
      sales_channels: value.salesChannels ?? [],
      is_demo: isDemo,
    };
  }

  async function visible(
    principal: Principal | null,
    id: string,
    action: 'read' | 'update',
  ): Promise<ProducerRow> {
    const row = await findProducer(db, id);
    // someone who may not read it does not learn that it exists
    if (!row || !registryPolicy(principal, 'read', placeOfRow(row))) throw producerNotFound();
    if (action === 'update' && !registryPolicy(principal, 'update', placeOfRow(row)))
      throw producerForbidden();
    return row;
  }

  return {
    async list(principal: Principal | null, query: ProducerQuery): Promise<Page<Producer>> {
      const scope = listScope(principal);
      if (!scope) throw principal ? producerForbidden() : signInRequired();
      const q = query.q?.trim().replace(/\s+/g, ' ') || undefined;
      const filter = {
        scope,
        q,
        provinceCode: query.provinceCode,
        communeCode: query.communeCode,
        legalType: query.legalType,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
        fuzzy: false,
      };
      // a typo search's next pages stay fuzzy (the cursor says so)
      filter.fuzzy = Boolean(q && filter.cursor?.fuzzy);
      let rows = await findProducers(db, filter);
      if (q && rows.length === 0 && !filter.cursor && q.length >= 3) {
        filter.fuzzy = true;
        rows = await findProducers(db, filter);
      }
      return pageOf(
        rows.map((r) => ({ ...r, sort_key: r.sort_key ?? '' })),
        query.limit,
        presentProducer,
        filter.fuzzy,
      );
    },

    async get(principal: Principal | null, id: string): Promise<Producer> {
      return presentProducer(await visible(principal, id, 'read'));
    },

    async create(
      context: AuditContext,
      principal: Principal | null,
      input: ProducerInput,
    ): Promise<Producer> {
      if (!principal) throw signInRequired();
      const values = await valuesOf(input);
      if (
        !registryPolicy(principal, 'create', {
          provinceCode: values.province_code,
          communeCode: values.commune_code,
          producerId: '',
        })
      ) {
        throw producerForbidden();
      }
      return db.transaction().execute(async (trx) => {
        const row = await insertProducer(trx, values).catch(duplicateOf);
        await audit(trx, context, {
          action: 'producer.create',
          entityType: 'producer',
          entityId: row.id,
          after: values,
        });
        return presentProducer(row);
      });
    },

    async update(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      changes: Partial<ProducerInput>,
      version?: number,
    ): Promise<Producer> {
      const before = await visible(principal, id, 'update');
      // a change names only what changes; the rest stays as it is
      const values = await valuesOf({ ...inputOf(presentProducer(before)), ...changes }, before.is_demo);
      // moving a producer to a commune outside one's own scope is not an update one may make
      if (
        !registryPolicy(principal, 'update', {
          ...placeOfRow(before),
          communeCode: values.commune_code,
          provinceCode: values.province_code,
        })
      ) {
        throw producerForbidden();
      }
      // what officers checked (legal form, identifiers, place) a producer's account cannot change
      if (principal?.role === 'producer') {
        const fixed = OFFICER_FIELDS.filter(([, column]) => values[column] !== before[column]).map(
          ([field]) => ({
            in: 'body' as const,
            name: field,
            rule: 'officerOnly',
          }),
        );
        if (fixed.length > 0) throw new DomainError('producer_officer_fields', 'unprocessable', {}, fixed);
      }
      return db.transaction().execute(async (trx) => {
        const row = await updateProducer(trx, id, version, values).catch(duplicateOf);
        if (!row) throw producerChanged();
        await audit(trx, context, {
          action: 'producer.update',
          entityType: 'producer',
          entityId: id,
          before,
          after: row,
        });
        return presentProducer(row);
      });
    },

    /** Where a producer belongs, for other modules' policies (no check: callers decide). */
    async placeOf(
      id: string,
      trx: Kysely<DB> | Transaction<DB> = db,
    ): Promise<(RecordPlace & { producer: Producer }) | null> {
      const row = await findProducer(trx, id);
      return row ? { ...placeOfRow(row), producer: presentProducer(row) } : null;
    },

    /** Producers' names by id, unchecked (callers have already scoped the ids). */
    async namesOf(ids: string[]): Promise<Map<string, string>> {
      const rows = await findProducerNames(db, [...new Set(ids)]);
      return new Map(rows.map((row) => [row.id, row.legal_name]));
    },

    /** Several producers by id, unchecked (callers have already scoped the ids). */
    async byIds(ids: string[]): Promise<Map<string, Producer>> {
      const rows = await findProducersByIds(db, [...new Set(ids)]);
      return new Map(rows.map((row) => [row.id, presentProducer(row)]));
    },

    /** Row values for an input, checked, for bulk imports. */
    valuesOf,

    /** Producers holding these registration numbers or tax codes (imports match on them). */
    async byIdentifiers(registrationNumbers: string[], taxCodes: string[]): Promise<Producer[]> {
      return (await findProducersByIdentifiers(db, registrationNumbers, taxCodes)).map(presentProducer);
    },

    /**
     * Writes many producers in the caller's transaction (an import: all or nothing), each
     * audited. `id` set: an update of that producer; otherwise a new one.
     */
    async saveMany(
      trx: Transaction<DB>,
      context: AuditContext,
      rows: { id: string | null; values: ProducerValues }[],
    ): Promise<Producer[]> {
      const out: Producer[] = [];
      for (const { id, values } of rows) {
        if (id) {
          const before = await findProducer(trx, id);
          const row = await updateProducer(trx, id, undefined, values).catch(duplicateOf);
          if (!row) throw producerNotFound();
          await audit(trx, context, {
            action: 'producer.import',
            entityType: 'producer',
            entityId: id,
            before,
            after: row,
          });
          out.push(presentProducer(row));
        } else {
          const row = await insertProducer(trx, values).catch(duplicateOf);
          await audit(trx, context, {
            action: 'producer.import',
            entityType: 'producer',
            entityId: row.id,
            after: values,
          });
          out.push(presentProducer(row));
        }
      }
      return out;
    },
  };
}

export type ProducersService = ReturnType<typeof createProducersService>;
