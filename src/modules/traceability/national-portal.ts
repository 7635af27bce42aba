/**
 * The national traceability portal (Cổng thông tin truy xuất nguồn gốc sản phẩm, hàng hóa quốc
 * gia): the consumer information of Thông tư 02/2024/TT-BKHCN for a lot — product name and image,
 * producer name and address, production time, brand, trace code and serial, expiry — as one
 * record, written out as JSON or CSV, behind an adapter that can later push to the portal's API
 * (whose interface is not published yet: `exportAdapter` only writes files).
 */
import { toCsv } from '../../platform/spreadsheet/index.ts';

export interface NationalPortalRecord {
  /** The trace code: the lot's (or item's) GS1 Digital Link URI on the platform. */
  traceCode: string;
  gtin: string;
  lot: string;
  serial: string | null;
  productName: string;
  /** An absolute URL of the product's image, or null. */
  productImage: string | null;
  /** The brand (nhãn hiệu): the product's name as marketed, with the OCOP stars when certified. */
  brand: string;
  producerName: string;
  producerAddress: string;
  productionDate: string;
  packingDate: string | null;
  expiryDate: string | null;
  ocopStars: number | null;
  certificateNumber: string | null;
}

/** Where records go: files today, the portal's API when it publishes one. */
export interface NationalPortalAdapter {
  readonly name: string;
  push(records: NationalPortalRecord[]): Promise<{ accepted: number; body: string; mediaType: string }>;
}

const COLUMNS: [keyof NationalPortalRecord, string][] = [
  ['traceCode', 'Mã truy xuất'],
  ['gtin', 'GTIN'],
  ['lot', 'Số lô'],
  ['serial', 'Số sê-ri'],
  ['productName', 'Tên sản phẩm'],
  ['productImage', 'Hình ảnh sản phẩm'],
  ['brand', 'Nhãn hiệu'],
  ['producerName', 'Tên cơ sở sản xuất'],
  ['producerAddress', 'Địa chỉ cơ sở sản xuất'],
  ['productionDate', 'Thời gian sản xuất'],
  ['packingDate', 'Ngày đóng gói'],
  ['expiryDate', 'Hạn sử dụng'],
  ['ocopStars', 'Hạng sao OCOP'],
  ['certificateNumber', 'Số giấy chứng nhận OCOP'],
];

/** The records as the CSV the portal's import takes (UTF-8 with BOM, Vietnamese headings). */
export function recordsCsv(records: NationalPortalRecord[]): string {
  return toCsv(
    COLUMNS.map(([key, header]) => ({ header, value: (r: NationalPortalRecord) => r[key] ?? '' })),
    records,
  );
}

export const exportAdapter = (format: 'json' | 'csv'): NationalPortalAdapter => ({
  name: `export-${format}`,
  async push(records) {
    return format === 'json'
      ? {
          accepted: records.length,
          body: JSON.stringify({ standard: 'Thông tư 02/2024/TT-BKHCN', records }, null, 2),
          mediaType: 'application/json; charset=utf-8',
        }
      : { accepted: records.length, body: recordsCsv(records), mediaType: 'text/csv; charset=utf-8' };
  },
});
