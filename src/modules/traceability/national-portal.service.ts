/** The national portal's consumer record of a lot, from the batch, product, producer and certificate. */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { type CertificatesService, IN_FORCE } from '../certification/index.ts';
import { communeNames, type ProducersService } from '../producers/index.ts';
import type { DocumentsService, ProductsService } from '../products/index.ts';
import { presentBatch } from './batches.service.ts';
import type { NationalPortalRecord } from './national-portal.ts';
import * as tq from './trace.queries.ts';
import { digitalLinkPath } from './trace-page.service.ts';

export async function portalRecordOf(
  db: Kysely<DB>,
  batchId: string,
  deps: {
    products: Pick<ProductsService, 'byIds'>;
    producers: Pick<ProducersService, 'placeOf'>;
    certificates: Pick<CertificatesService, 'ofProducts'>;
    documents: Pick<DocumentsService, 'list'>;
    adminUnits: AdminUnitsService;
    publicUrl: URL;
  },
): Promise<NationalPortalRecord> {
  const row = await tq.findBatch(db, batchId);
  if (!row) throw new DomainError('batch_not_found', 'not_found');
  const batch = presentBatch(row);
  const [products, place, certificates, images] = await Promise.all([
    deps.products.byIds([row.product_id]),
    deps.producers.placeOf(row.producer_id),
    deps.certificates.ofProducts([row.product_id]),
    deps.documents.list(null, { productId: row.product_id, dossierId: null }).catch(() => []),
  ]);
  const product = products.get(row.product_id);
  if (!product || !place) throw new DomainError('batch_not_found', 'not_found');
  const area = (await communeNames(deps.adminUnits, [place.communeCode])).get(place.communeCode);
  const current = certificates.find((c) => c.supersededById === null && IN_FORCE.includes(c.status)) ?? null;
  const image = images.find((d) => d.kind === 'product_image') ?? null;
  return {
    traceCode: new URL(digitalLinkPath(row.gtin, row.lot), deps.publicUrl).toString(),
    gtin: row.gtin,
    lot: row.lot,
    serial: null,
    productName: product.name,
    productImage: image ? new URL(`/documents/${image.id}`, deps.publicUrl).toString() : null,
    brand: current ? `${product.name} — OCOP ${current.stars} sao` : product.name,
    producerName: place.producer.legalName,
    producerAddress: [place.producer.address, area].filter(Boolean).join(', '),
    productionDate: batch.productionDate,
    packingDate: batch.packingDate,
    expiryDate: batch.expiryDate,
    ocopStars: current?.stars ?? null,
    certificateNumber: current?.number ?? null,
  };
}
