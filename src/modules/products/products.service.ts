/** Products: the registry's use cases for products (dossiers and documents have their own files). */
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError, type FieldError } from '../../platform/errors.ts';
import { decodeCursor, type Page, pageOf } from '../../platform/pagination.ts';
import { listScope, type ProducersService, type RecordPlace, registryPolicy } from '../producers/index.ts';
import { findOpenDossier } from './dossiers.queries.ts';
import { forbidden, gtinTaken, invalid, productChanged, productNotFound, signInRequired } from './errors.ts';
import { toGtin14, validateGtin } from './gtin.ts';
import { productSet as productSetOf, TOURISM_SET } from './product-sets.ts';
import {
  findGtinOwners,
  findGtinProducers,
  findGtins,
  findProduct,
  findProducts,
  findProductsByIds,
  findProductsForImport,
  findProductsOfProducer,
  insertProduct,
  type ProductRow,
  type ProductValues,
  replaceGtins,
  setProductStars,
  updateProduct,
} from './products.queries.ts';

/** Dossier statuses during which the product's name and set are frozen. */
const UNDER_REVIEW: readonly string[] = ['submitted', 'checked', 'forwarded', 'accepted'];

export const PRODUCT_STATUSES = ['active', 'discontinued'] as const;

export interface Product {
  id: string;
  producerId: string;
  producerName: string;
  name: string;
  productSet: number;
  sector: string;
  group: string;
  description: string | null;
  story: string | null;
  packaging: string | null;
  netContent: string | null;
  shelfLifeDays: number | null;
  gtins: string[];
  priceMin: number | null;
  priceMax: number | null;
  status: (typeof PRODUCT_STATUSES)[number];
  stars: number | null;
  productCode: string | null;
  communeCode: string;
  provinceCode: string;
  isDemo: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProductInput {
  producerId: string;
  name: string;
  productSet: number;
  description?: string | null | undefined;
  story?: string | null | undefined;
  packaging?: string | null | undefined;
  netContent?: string | null | undefined;
  shelfLifeDays?: number | null | undefined;
  gtins?: string[] | undefined;
  priceMin?: number | null | undefined;
  priceMax?: number | null | undefined;
  status?: (typeof PRODUCT_STATUSES)[number] | undefined;
}

export interface ProductQuery {
  q?: string | undefined;
  provinceCode?: string | undefined;
  communeCode?: string | undefined;
  producerId?: string | undefined;
  productSet?: number | undefined;
  stars?: number | undefined;
  status?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** A stored GTIN-14 as people write it: GTIN-13 when the indicator digit is 0. */
export function displayGtin(gtin: string): string {
  if (gtin.length !== 14) return gtin;
  if (gtin.startsWith('000000')) return gtin.slice(6); // a GTIN-8
  return gtin.startsWith('0') ? gtin.slice(1) : gtin;
}

export function presentProduct(row: ProductRow, producerName: string, gtins: string[]): Product {
  const set = productSetOf(row.product_set);
  return {
    id: row.id,
    producerId: row.producer_id,
    producerName,
    name: row.name,
    productSet: row.product_set,
    sector: set?.sector ?? '',
    group: set?.group ?? '',
    description: row.description,
    story: row.story,
    packaging: row.packaging,
    netContent: row.net_content,
    shelfLifeDays: row.shelf_life_days,
    gtins: gtins.map(displayGtin),
    priceMin: row.price_min,
    priceMax: row.price_max,
    status: row.status as Product['status'],
    stars: row.stars,
    productCode: row.product_code,
    communeCode: row.commune_code,
    provinceCode: row.province_code,
    isDemo: row.is_demo,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const placeOfProduct = (row: {
  province_code: string;
  commune_code: string;
  producer_id: string;
}): RecordPlace => ({
  provinceCode: row.province_code,
  communeCode: row.commune_code,
  producerId: row.producer_id,
});

/** Checks what a product record must satisfy; returns the GTINs normalised. */
export function checkProduct(
  input: ProductInput,
  producerLegalType?: string,
): { errors: FieldError[]; gtins: string[] } {
  const errors: FieldError[] = [];
  const field = (name: string, rule: string): FieldError => ({ in: 'body', name, rule });
  if (!input.name.trim()) errors.push(field('name', 'required'));
  if (!productSetOf(input.productSet)) errors.push(field('productSet', 'productSet'));
  // associations and operating centres are OCOP producers for tourism services only (set 26)
  else if (
    (producerLegalType === 'association' || producerLegalType === 'operating_centre') &&
    input.productSet !== TOURISM_SET
  ) {
    errors.push(field('productSet', 'tourismOnly'));
  }
  if (input.priceMin != null && input.priceMax != null && input.priceMax < input.priceMin)
    errors.push(field('priceMax', 'priceOrder'));
  const gtins: string[] = [];
  (input.gtins ?? []).forEach((raw, i) => {
    const result = validateGtin(raw);
    if (!result.ok)
      errors.push(field(`gtins/${i}`, result.reason === 'check_digit' ? 'gtinCheckDigit' : 'gtin'));
    else if (gtins.includes(toGtin14(result.gtin))) errors.push(field(`gtins/${i}`, 'duplicate'));
    // stored as GTIN-14 (as in GS1 Digital Link), so 8934588012112 and 08934588012112 are one
    else gtins.push(toGtin14(result.gtin));
  });
  return { errors, gtins };
}

/** Another request took one of these GTINs between the check and the insert: the same 409. */
const gtinRace = (gtins: string[]) => (error: { code?: string; detail?: string }) => {
  if (error.code === '23505') {
    const taken = gtins.find((g) => String(error.detail ?? '').includes(g)) ?? gtins[0] ?? '';
    throw gtinTaken(Math.max(0, gtins.indexOf(taken)), taken);
  }
  throw error;
};

export function createProductsService(db: Kysely<DB>, deps: { producers: ProducersService }) {
  async function present(rows: ProductRow[]): Promise<Product[]> {
    const ids = rows.map((r) => r.id);
    const [gtins, names] = await Promise.all([
      findGtins(db, ids),
      deps.producers.namesOf(rows.map((r) => r.producer_id)),
    ]);
    return rows.map((row) => presentProduct(row, names.get(row.producer_id) ?? '', gtins.get(row.id) ?? []));
  }

  async function visible(principal: Principal | null, id: string): Promise<ProductRow> {
    const row = await findProduct(db, id);
    if (!row || !registryPolicy(principal, 'read', placeOfProduct(row))) throw productNotFound();
    return row;
  }

  /** GTINs already held by another product, as field errors. */
  async function checkGtinOwners(gtins: string[], productId: string | null) {
    const owners = await findGtinOwners(db, gtins);
    const clash = owners.find((o) => o.product_id !== productId);
    if (clash) throw gtinTaken(gtins.indexOf(clash.gtin), clash.gtin);
  }

  function valuesOf(input: ProductInput, place: RecordPlace, isDemo: boolean): ProductValues {
    const text = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);
    return {
      producer_id: input.producerId,
      name: input.name.trim().replace(/\s+/g, ' '),
      product_set: input.productSet,
      description: text(input.description),
      story: text(input.story),
      packaging: text(input.packaging),
      net_content: text(input.netContent),
      shelf_life_days: input.shelfLifeDays ?? null,
      price_min: input.priceMin ?? null,
      price_max: input.priceMax ?? null,
      status: input.status ?? 'active',
      stars: null,
      commune_code: place.communeCode,
      province_code: place.provinceCode,
      is_demo: isDemo,
    };
  }

  return {
    async list(principal: Principal | null, query: ProductQuery): Promise<Page<Product>> {
      // the public sees the recognised products; signed-in people their scope
      // (council members, until their rounds come: the public list)
      const scope = principal ? listScope(principal) : null;
      const q = query.q?.trim().replace(/\s+/g, ' ') || undefined;
      const cursor = decodeCursor(query.cursor);
      // a typo search's next pages stay fuzzy (the cursor says so)
      const filter = { ...query, scope, q, cursor, fuzzy: Boolean(q && cursor?.fuzzy) };
      let rows = await findProducts(db, filter);
      if (q && rows.length === 0 && !cursor && q.length >= 3) {
        filter.fuzzy = true;
        rows = await findProducts(db, filter);
      }
      const page = pageOf(
        rows.map((r) => ({ ...r, sort_key: r.sort_key ?? '' })),
        query.limit,
        (r) => r,
        filter.fuzzy,
      );
      return { items: await present(page.items), nextCursor: page.nextCursor };
    },

    async get(principal: Principal | null, id: string): Promise<Product> {
      const [product] = await present([await visible(principal, id)]);
      return product!;
    },

    /** A recognised, active product as the public may see it; null otherwise. */
    async getPublic(id: string): Promise<Product | null> {
      const row = await findProduct(db, id);
      if (!row || row.stars === null || row.status !== 'active') return null;
      const [product] = await present([row]);
      return product ?? null;
    },

    /** May this principal read / change this product? (for pages deciding what to show) */
    async permissions(principal: Principal | null, id: string) {
      const row = await findProduct(db, id);
      if (!row) return null;
      const place = placeOfProduct(row);
      return {
        read: registryPolicy(principal, 'read', place),
        update: registryPolicy(principal, 'update', place),
      };
    },

    /** Several products by id, unchecked (callers have scoped the ids already). */
    async byIds(ids: string[]): Promise<Map<string, Product>> {
      const rows = await findProductsByIds(db, [...new Set(ids)]);
      return new Map((await present(rows)).map((p) => [p.id, p]));
    },

    /**
     * The producers of the products these GTINs (14 digits) belong to, unchecked (the
     * traceability module decides whose events they are). Read on the caller's transaction.
     */
    async gtinProducers(gtins: string[], trx: Kysely<DB> = db) {
      const rows = await findGtinProducers(trx, [...new Set(gtins)]);
      return new Map(
        rows.map((r) => [
          r.gtin,
          {
            productId: r.product_id,
            producerId: r.producer_id,
            provinceCode: r.province_code,
            communeCode: r.commune_code,
          },
        ]),
      );
    },

    /**
     * Products as the certification module records them (identity and place), unchecked: the
     * caller decides who may see what. Read on the caller's transaction when given.
     */
    async forCertificates(ids: string[], trx: Kysely<DB> = db) {
      const rows = await findProductsByIds(trx, [...new Set(ids)]);
      return new Map(
        rows.map((row) => [
          row.id,
          {
            id: row.id,
            name: row.name,
            producerId: row.producer_id,
            productSet: row.product_set,
            productCode: row.product_code,
            communeCode: row.commune_code,
            provinceCode: row.province_code,
            status: row.status,
            stars: row.stars,
            isDemo: row.is_demo,
          },
        ]),
      );
    },

    /**
     * Products a certificate import may name: those with one of these product codes, and every
     * product of these producers (matched by name by the caller). Unchecked: the caller decides
     * who may see what. Read on the caller's transaction (or pool) as given.
     */
    async findForImport(trx: Kysely<DB>, keys: { codes: string[]; producerIds: string[] }) {
      const rows = await findProductsForImport(trx, [...new Set(keys.codes)], [...new Set(keys.producerIds)]);
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        producerId: row.producer_id,
        productCode: row.product_code,
        communeCode: row.commune_code,
        provinceCode: row.province_code,
      }));
    },

    /**
     * The star rating each product's certificates give it today (null: none in force), set by
     * the certification module in its transaction. Returns how many products changed.
     */
    async setCertifiedStars(trx: Kysely<DB>, changes: { productId: string; stars: number | null }[]) {
      let changed = 0;
      for (const { productId, stars } of changes) {
        if (await setProductStars(trx, productId, stars)) changed += 1;
      }
      return changed;
    },

    productsOf: (producerId: string, recognisedOnly: boolean) =>
      findProductsOfProducer(db, producerId, recognisedOnly),

    async create(context: AuditContext, principal: Principal | null, input: ProductInput): Promise<Product> {
      if (!principal) throw signInRequired();
      const place = await deps.producers.placeOf(input.producerId);
      if (!place || !registryPolicy(principal, 'read', place)) {
        throw invalid([{ in: 'body', name: 'producerId', rule: 'unknownProducer' }]);
      }
      // a producer's representative adds its own products; officers those of their scope
      if (!registryPolicy(principal, 'update', place)) throw forbidden();
      const { errors, gtins } = checkProduct(input, place.producer.legalType);
      if (errors.length > 0) throw invalid(errors);
      await checkGtinOwners(gtins, null);
      const values = valuesOf(input, place, place.producer.isDemo);
      return db.transaction().execute(async (trx) => {
        const row = await insertProduct(trx, values);
        await replaceGtins(trx, row.id, gtins).catch(gtinRace(gtins));
        await audit(trx, context, {
          action: 'product.create',
          entityType: 'product',
          entityId: row.id,
          after: { ...values, gtins },
        });
        return presentProduct(row, place.producer.legalName, gtins);
      });
    },

    async update(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      changes: Partial<Omit<ProductInput, 'producerId'>>,
      version?: number,
    ): Promise<Product> {
      const before = await visible(principal, id);
      if (!registryPolicy(principal, 'update', placeOfProduct(before))) throw forbidden();
      const [current] = await present([before]);
      const input: ProductInput = { ...current!, ...changes, producerId: before.producer_id };
      // what the commune and the council evaluate does not change under them
      const open = await findOpenDossier(db, id);
      if (open && UNDER_REVIEW.includes(open.status)) {
        const frozen = [
          ...(input.productSet !== before.product_set ? ['productSet'] : []),
          ...(input.name.trim().replace(/\s+/g, ' ') !== before.name ? ['name'] : []),
        ];
        if (frozen.length > 0) {
          throw new DomainError(
            'product_under_review',
            'conflict',
            {},
            frozen.map((name) => ({ in: 'body' as const, name, rule: 'underReview' })),
          );
        }
      }
      const owner = await deps.producers.placeOf(before.producer_id);
      const { errors, gtins } = checkProduct(input, owner?.producer.legalType);
      if (errors.length > 0) throw invalid(errors);
      await checkGtinOwners(gtins, id);
      const { stars, commune_code, province_code, is_demo, producer_id, ...values } = valuesOf(
        input,
        placeOfProduct(before),
        before.is_demo,
      );
      return db.transaction().execute(async (trx) => {
        const row = await updateProduct(trx, id, version, values);
        if (!row) throw productChanged();
        await replaceGtins(trx, id, gtins).catch(gtinRace(gtins));
        await audit(trx, context, {
          action: 'product.update',
          entityType: 'product',
          entityId: id,
          before: { ...before, gtins: current!.gtins },
          after: { ...row, gtins },
        });
        return presentProduct(row, current!.producerName, gtins);
      });
    },
  };
}

export type ProductsService = ReturnType<typeof createProductsService>;
