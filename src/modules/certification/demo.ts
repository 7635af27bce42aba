/**
 * The demo certificates that go with the Cà Mau demo products (`ocop demo`): the press reports give
 * each product's stars and the year of its round, not the decision, so each demo certificate is
 * dated 5 February of the year after the round (when Cà Mau announced its 2024 and 2025 rounds)
 * and numbered DEMO-96-{year}-{NNN}. Marked demo everywhere. Loading again adds nothing.
 */
import type { Kysely } from 'kysely';
import type { AuditContext } from '../../platform/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import * as q from './certificates.queries.ts';
import type { CertificatesService } from './certificates.service.ts';

export interface DemoItem {
  productId: string;
  stars: number;
  year: number | null;
}

export async function loadDemoCertificates(
  db: Kysely<DB>,
  certificates: CertificatesService,
  context: AuditContext,
  items: DemoItem[],
): Promise<number> {
  const dated = items.filter((i): i is DemoItem & { year: number } => i.year !== null && i.stars >= 3);
  return db.transaction().execute(async (trx) => {
    let created = 0;
    for (const [index, item] of dated.entries()) {
      const level = item.stars === 5 ? 'central' : 'province';
      const number = `DEMO-96-${item.year}-${String(index + 1).padStart(3, '0')}`;
      if (await q.numberTaken(trx, '96', level, number)) continue;
      const decisionDate = `${item.year + 1}-02-05`;
      const row = await certificates.rowOf(
        trx,
        {
          productId: item.productId,
          number,
          level,
          stars: item.stars,
          decisionNumber: `DEMO/QĐ-${level === 'central' ? 'BNNMT' : 'UBND'}`,
          decisionDate,
          decisionSigner:
            level === 'central' ? 'Bộ trưởng Bộ NN&MT (minh hoạ)' : 'Chủ tịch UBND tỉnh (minh hoạ)',
        },
        'import',
        { isDemo: true },
      );
      await certificates.record(trx, context, row, 'any');
      created += 1;
    }
    return created;
  });
}
