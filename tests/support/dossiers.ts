/** Dossiers at the step a test needs, taken through the real lifecycle by an administrator. */
import type { Principal } from '../../src/platform/auth.ts';
import { createProducer, type TestApp } from './app.ts';
import { samplePdf } from './files.ts';

export const SYSTEM = { actor: { type: 'system' as const, label: 'test' } };
export const ADMIN: Principal = {
  userId: '00000000-0000-4000-8000-000000000001',
  email: 'admin@test.vn',
  name: 'Quản trị',
  role: 'admin',
  scopeCode: null,
  producerId: null,
  via: 'session',
};

/**
 * A product of commune 32002 (Cà Mau) with a complete dossier the commune has checked and
 * forwarded to the province: what an evaluation round takes in.
 */
export async function forwardedDossier(
  app: TestApp,
  options: {
    name: string;
    productSet?: number;
    producerName?: string;
    kind?: 'first_evaluation' | 'upgrade' | 're_evaluation';
    productId?: string;
  },
): Promise<{ dossierId: string; productId: string }> {
  const productSet = options.productSet ?? 8;
  let productId = options.productId;
  if (!productId) {
    const producer = await createProducer(
      app,
      options.producerName ? { legalName: options.producerName } : {},
    );
    productId = (
      await app.products.products.create(SYSTEM, ADMIN, {
        producerId: producer.id,
        name: options.name,
        productSet,
      })
    ).id;
  }
  const dossier = await app.products.dossiers.create(SYSTEM, ADMIN, {
    productId,
    kind: options.kind ?? 'first_evaluation',
  });
  await app.products.dossiers.updateForms(SYSTEM, ADMIN, dossier.id, {
    registration: {
      representativeName: 'Trần Văn Tôm',
      phone: '0912345678',
      productionAddress: 'Ấp Rạch Gốc',
      sampleCount: 5,
      commitment: true,
    },
    selfAssessment: {
      generalInfo: 'Hợp tác xã thành lập năm 2015.',
      businessResults: 'Doanh thu 2025: 3,2 tỷ đồng.',
      businessPlan: 'Mở rộng kênh bán hàng.',
    },
  });
  const detail = await app.products.dossiers.get(ADMIN, dossier.id);
  for (const item of detail.checklist) {
    if (item.type !== 'document' || !item.required || item.satisfied) continue;
    await app.products.documents.upload(SYSTEM, ADMIN, {
      productId,
      dossierId: dossier.id,
      kind: item.key,
      fileName: `${item.key}.pdf`,
      bytes: samplePdf(item.key),
    });
  }
  await app.products.dossiers.act(SYSTEM, ADMIN, dossier.id, 'submit');
  await app.products.dossiers.act(SYSTEM, ADMIN, dossier.id, 'check', {
    communeReport: {
      productOrigin: { met: true },
      localLabour: { met: true },
      ideaOrigin: { met: true },
      localIdentity: { met: true },
    },
  });
  await app.products.dossiers.act(SYSTEM, ADMIN, dossier.id, 'forward');
  return { dossierId: dossier.id, productId };
}
