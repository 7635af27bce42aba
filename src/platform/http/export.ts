/** Sends any list as a spreadsheet: .xlsx, or CSV in UTF-8 with a BOM (Excel shows Vietnamese). */
import type { FastifyReply } from 'fastify';
import { type Column, toCsv, toXlsx } from '../spreadsheet/index.ts';

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Every page of a cursor-paged list (up to `max` rows). */
export async function collectPages<T>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  max = 100_000,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < max);
  return out.slice(0, max);
}

export async function sendSpreadsheet<T>(
  reply: FastifyReply,
  format: ExportFormat,
  name: string,
  columns: Column<T>[],
  rows: T[],
) {
  const stamp = new Date().toISOString().slice(0, 10);
  const fileName = `${name}-${stamp}.${format}`;
  reply
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'private, no-store');
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(columns, rows));
  return reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .send(await toXlsx(name, columns, rows));
}
