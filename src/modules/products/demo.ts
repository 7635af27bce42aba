/**
 * `ocop demo`: loads the Cà Mau demo data set (data/demo/ca-mau.json: real products and producers
 * from press reports, see data/demo/README.md) so that a new installation shows a living
 * platform. Every record is marked demo (shown with a "Dữ liệu minh hoạ" badge). Loading again
 * updates the same records; nothing is duplicated.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { projectRoot } from '../../platform/paths.ts';
import { foldHeading } from '../../platform/spreadsheet/index.ts';
import type { LegalType, ProducersService } from '../producers/index.ts';
import { formatProductCode } from './product-code.ts';
import {
  findProductsForImport,
  insertProduct,
  nextCommuneSequence,
  updateProduct,
} from './products.queries.ts';

export const DEMO_FILE = path.join(projectRoot, 'data', 'demo', 'ca-mau.json');

interface DemoFile {
  demo: true;
  provinceCode: string;
  producers: {
    key: string;
    legalName: string;
    legalType: LegalType;
    address: string | null;
    oldCommuneCode: string | null;
    communeCode: string;
    representative: string | null;
    phone: string | null;
  }[];
  products: {
    name: string;
    producerKey: string;
    productSet: number;
    stars: number;
    year: number | null;
    note: string | null;
  }[];
}

export interface DemoResult {
  producers: number;
  products: number;
  /** Each demo product with its rating and the year of the round (for the demo certificates). */
  items: { productId: string; stars: number; year: number | null }[];
}

/** Demo producers carry a recognisable placeholder registration number, DEMO-00001 … */
const demoRegistration = (index: number) => `DEMO-${String(index + 1).padStart(5, '0')}`;

export async function loadDemo(
  db: Kysely<DB>,
  deps: { producers: ProducersService },
  context: AuditContext,
): Promise<DemoResult> {
  const data = JSON.parse(fs.readFileSync(DEMO_FILE, 'utf8')) as DemoFile;
  const registrations = data.producers.map((_p, i) => demoRegistration(i));
  const existing = new Map(
    (await deps.producers.byIdentifiers(registrations, [])).map((p) => [p.registrationNumber, p]),
  );
  const rows = await Promise.all(
    data.producers.map(async (p, i) => {
      const current = existing.get(registrations[i]!);
      return {
        id: current?.id ?? null,
        values: await deps.producers.valuesOf(
          {
            legalType: p.legalType,
            legalName: p.legalName,
            registrationNumber: registrations[i],
            address: p.address,
            communeCode: p.communeCode,
            oldCommuneCode: p.oldCommuneCode,
            representativeName: p.representative,
            phone: p.phone,
          },
          true,
        ),
      };
    }),
  );
  return db.transaction().execute(async (trx) => {
    const saved = await deps.producers.saveMany(trx, context, rows);
    const byKey = new Map(data.producers.map((p, i) => [p.key, saved[i]!]));
    const products = await findProductsForImport(
      trx,
      [],
      saved.map((p) => p.id),
    );
    const byName = new Map(products.map((p) => [`${p.producer_id}:${foldHeading(p.name)}`, p]));
    const items: DemoResult['items'] = [];
    for (const item of data.products) {
      const producer = byKey.get(item.producerKey);
      if (!producer) throw new Error(`demo data: no producer ${item.producerKey}`);
      const current = byName.get(`${producer.id}:${foldHeading(item.name)}`);
      if (current) {
        // the stars are the certificates' business once loaded (an expired one leaves none)
        await updateProduct(trx, current.id, undefined, { product_set: item.productSet });
        items.push({ productId: current.id, stars: item.stars, year: item.year });
        continue;
      }
      const sequence = await nextCommuneSequence(trx, producer.communeCode);
      const row = await insertProduct(trx, {
        producer_id: producer.id,
        name: item.name,
        product_set: item.productSet,
        // the research notes (in English, about sources) are not a product description
        description: null,
        story: null,
        packaging: null,
        net_content: null,
        shelf_life_days: null,
        price_min: null,
        price_max: null,
        status: 'active',
        stars: item.stars,
        commune_code: producer.communeCode,
        province_code: producer.provinceCode,
        is_demo: true,
      });
      items.push({ productId: row.id, stars: item.stars, year: item.year });
      await updateProduct(trx, row.id, undefined, {
        code_sequence: sequence,
        product_code: formatProductCode({
          provinceCode: producer.provinceCode,
          communeCode: producer.communeCode,
          sequence,
          year: item.year ?? 2025,
        }),
      });
    }
    await audit(trx, context, {
      action: 'demo.load',
      entityType: 'demo',
      after: { producers: data.producers.length, products: data.products.length },
    });
    return { producers: data.producers.length, products: data.products.length, items };
  });
}
