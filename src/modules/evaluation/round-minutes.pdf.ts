/**
 * The minutes (biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP) of an evaluation round as a
 * PDF: A4 portrait, in Vietnamese, laid out as an administrative document (national heading on the
 * right, the council on the left, then the title, the attendance, each product's result, the
 * summary table, the decision and the two signatures). Be Vietnam Pro is embedded as in the score
 * sheet (`score-sheet.pdf.ts`): pdfkit's built-in fonts have no Vietnamese letters.
 *
 * Tables: a row never splits across pages; a table cut by a page break repeats its heading rows on
 * the next page; each product's block is kept on one page when it fits on one. Every page has
 * "Trang x/y" in its footer. With `fixedDate` the same minutes give the same bytes.
 *
 * The words (roles, kinds, outcomes) and the number and date formats are exported for the result
 * list (`round-results.xlsx.ts`), so that both documents say the same thing.
 */

import { createCatalogue, type Translate } from '../../platform/i18n/index.ts';
import { type FontName, nfc, openA4Pdf } from '../../platform/pdf.ts';
import { formatDate, toVietnamDate } from '../../platform/spreadsheet/index.ts';
import type {
  CouncilRole,
  MinutesMember,
  MinutesProduct,
  Outcome,
  RoundLevel,
  RoundMinutes,
} from './round.model.ts';
import { roundsMessages } from './rounds.messages.ts';
import type { FailedGate, Stars } from './scoring.ts';

export interface RoundMinutesPdfOptions {
  /** Fixes the document's creation date (and so its file identifier): same input, same bytes. */
  fixedDate?: Date;
}

// ---------------------------------------------------------------------------------------------
// The words of the minutes (an official Vietnamese document, whatever the reader's language).

/** The words the pages use too (rounds.messages.ts), in Vietnamese: roles, kinds of dossier, outcomes. */
const vi: Translate = createCatalogue([roundsMessages]).translator('vi');
export const roleWords = (role: CouncilRole) => vi(`round.role.${role}`);
export const kindWords = (kind: MinutesProduct['kind']) => vi(`round.kind.${kind}`);
const outcomeWords = (outcome: Outcome) => vi(`round.outcome.${outcome}`);

const LEVEL_WORDS: Readonly<Record<RoundLevel, string>> = {
  province: 'cấp tỉnh',
  central: 'cấp trung ương',
};

const NOT_SCORED = 'Chưa chấm điểm';
const NO_OUTCOME = 'Chưa có kết quả';
export const RECUSED_WORDS = 'không chấm do xung đột lợi ích';

/** Points with two decimals and a decimal comma: 72.5 → "72,50". */
export function formatPoints(points: number): string {
  const rounded = Math.round((points + Math.sign(points) * Number.EPSILON) * 100) / 100;
  return rounded.toFixed(2).replace('.', ',');
}

/** An ISO date (YYYY-MM-DD…) as dd/mm/yyyy; anything else as given. */
export function formatIsoDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? formatDate(iso) : iso;
}

/** "4 sao"; a disqualified product (0) is not ranked: "Không xếp hạng", or "—" where space is short. */
export const starsText = (stars: Stars | null, short = false): string =>
  stars === null ? '—' : stars === 0 ? (short ? '—' : 'Không xếp hạng') : `${stars} sao`;

export const outcomeText = (outcome: Outcome | null): string =>
  outcome === null ? NO_OUTCOME : outcomeWords(outcome);

/** "Số 11: Chè tươi, chè chế biến". */
export const setText = (product: MinutesProduct): string => `Số ${product.set}: ${product.setName}`;

/** "Nguyễn Văn A: 72,50; Trần Thị B: 70,00". */
export const memberTotalsText = (product: MinutesProduct): string =>
  product.memberTotals.map((m) => `${m.name}: ${formatPoints(m.total)}`).join('; ');

/** "Tiêu chí 1.1 (mức 4 sao): yêu cầu 3,00, thực tế 2,00". */
export const failedGateText = (gate: FailedGate): string =>
  `Tiêu chí ${gate.criterion} (mức ${gate.stars} sao): yêu cầu ${formatPoints(gate.required)}, thực tế ${formatPoints(gate.actual)}`;

/** The criteria's legal text: "26/2026/QĐ-TTg" as given, a slug "26-2026" as "26/2026/QĐ-TTg". */
export function criteriaDecision(criteriaVersion: string): string {
  const slug = /^(\d+)-(\d{4})$/.exec(criteriaVersion.trim());
  return slug ? `${slug[1]}/${slug[2]}/QĐ-TTg` : criteriaVersion.trim();
}

// ---------------------------------------------------------------------------------------------
// Geometry, in points (1 mm = 2.8346 pt). Margins after Decree 30/2020/NĐ-CP, a little narrower.

const MM = 72 / 25.4;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const TOP = 15 * MM;
const LEFT = 20 * MM;
const WIDTH = PAGE_W - LEFT - 15 * MM;
const RIGHT = LEFT + WIDTH;
/** The lowest y content may reach; the footer lives below. */
const BOTTOM = PAGE_H - 18 * MM;
const CONTENT_H = BOTTOM - TOP;
/** A row never gets taller than this (its text is cut with an ellipsis): a page holds it and a heading. */
const MAX_ROW_H = CONTENT_H - 120;
const PAD_X = 4;
const PAD_Y = 3;
const LINE_GAP = 1;
const SIZE = { body: 9.5, table: 8.5, small: 8, footer: 7.5, heading: 11, title: 13.5, motto: 10 };
const COLOR = {
  line: '#6b756f',
  head: '#dfe6e2',
  product: '#e6ece8',
  label: '#f5f7f6',
  muted: '#3f4843',
  alert: '#a3261b',
};

type Doc = PDFKit.PDFDocument;
type Align = 'left' | 'center' | 'right';

function measure(doc: Doc, text: string, font: FontName, size: number, width: number): number {
  doc.font(font).fontSize(size);
  return doc.heightOfString(nfc(text), { width, lineGap: LINE_GAP });
}

interface WriteOptions {
  align?: Align;
  color?: string;
  /** Cuts the text at this height, with an ellipsis, instead of letting it run on. */
  height?: number;
}

function write(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  font: FontName,
  size: number,
  options: WriteOptions = {},
): void {
  doc
    .font(font)
    .fontSize(size)
    .fillColor(options.color ?? 'black')
    .text(nfc(text), x, y, {
      width,
      align: options.align ?? 'left',
      lineGap: LINE_GAP,
      ...(options.height !== undefined ? { height: options.height, ellipsis: true } : {}),
    });
}

interface Cursor {
  y: number;
}

/** Something drawn in one piece: its height, and how to draw it at y. */
interface Block {
  height: number;
  draw: (y: number) => void;
}

function newPage(doc: Doc, cursor: Cursor): void {
  doc.addPage();
  cursor.y = TOP;
}

/** Starts a new page unless `height` fits below the cursor. */
function ensure(doc: Doc, cursor: Cursor, height: number): void {
  if (cursor.y + height > BOTTOM && cursor.y > TOP) newPage(doc, cursor);
}

function paragraph(doc: Doc, cursor: Cursor, text: string, font: FontName, size: number, gap = 4): void {
  const height = measure(doc, text, font, size, WIDTH);
  ensure(doc, cursor, height);
  write(doc, text, LEFT, cursor.y, WIDTH, font, size);
  cursor.y += height + gap;
}

// ---------------------------------------------------------------------------------------------
// Tables.

interface Cell {
  text: string;
  font?: FontName;
  size?: number;
  align?: Align;
  color?: string;
  /** Columns the cell covers; 1 by default. */
  span?: number;
  fill?: string;
}

interface Row {
  cells: Cell[];
  fill?: string;
  /** Text only, no frame (a caption such as "… (tiếp theo)"). */
  plain?: boolean;
}

interface LaidRow {
  row: Row;
  height: number;
  xs: number[];
  widths: number[];
}

interface Table {
  /** Column widths; they add up to WIDTH. */
  columns: number[];
  /** The heading rows, drawn at the top of the table and again on every continuation page. */
  head: (continued: boolean) => Row[];
  rows: Row[];
  /** Keep the whole table on one page when it fits on one. */
  keepTogether?: boolean;
  /** Drawn just before the table and kept on its first page (a section heading). */
  lead?: Block;
}

function layRow(doc: Doc, columns: number[], row: Row): LaidRow {
  const xs: number[] = [];
  const widths: number[] = [];
  let column = 0;
  let x = LEFT;
  let height = 0;
  for (const cell of row.cells) {
    const span = cell.span ?? 1;
    const width = columns.slice(column, column + span).reduce((sum, w) => sum + w, 0);
    xs.push(x);
    widths.push(width);
    const textH = measure(doc, cell.text, cell.font ?? 'regular', cell.size ?? SIZE.body, width - 2 * PAD_X);
    height = Math.max(height, textH);
    column += span;
    x += width;
  }
  return { row, height: Math.min(height + 2 * PAD_Y, MAX_ROW_H), xs, widths };
}

function drawRow(doc: Doc, laid: LaidRow, y: number): void {
  const { row, height } = laid;
  if (row.fill) doc.rect(LEFT, y, WIDTH, height).fill(row.fill);
  row.cells.forEach((cell, i) => {
    if (cell.fill) doc.rect(laid.xs[i]!, y, laid.widths[i]!, height).fill(cell.fill);
  });
  row.cells.forEach((cell, i) => {
    const x = laid.xs[i]!;
    const width = laid.widths[i]!;
    write(
      doc,
      cell.text,
      x + PAD_X,
      y + PAD_Y,
      width - 2 * PAD_X,
      cell.font ?? 'regular',
      cell.size ?? SIZE.body,
      {
        align: cell.align ?? 'left',
        // The measured height, plus a little against rounding: cuts only the text of an absurdly long cell.
        height: height - 2 * PAD_Y + 2,
        ...(cell.color ? { color: cell.color } : {}),
      },
    );
  });
  if (row.plain) return;
  doc.lineWidth(0.5).strokeColor(COLOR.line);
  row.cells.forEach((_, i) => {
    doc.rect(laid.xs[i]!, y, laid.widths[i]!, height).stroke();
  });
}

const totalHeight = (rows: LaidRow[]) => rows.reduce((sum, r) => sum + r.height, 0);

function drawTable(doc: Doc, cursor: Cursor, table: Table): void {
  const rows = table.rows.map((row) => layRow(doc, table.columns, row));
  const head = (continued: boolean) => table.head(continued).map((row) => layRow(doc, table.columns, row));
  const lead = table.lead?.height ?? 0;
  const whole = lead + totalHeight(head(false)) + totalHeight(rows);
  const start =
    table.keepTogether && whole <= CONTENT_H
      ? whole
      : lead + totalHeight(head(false)) + (rows[0]?.height ?? 0);
  ensure(doc, cursor, start);
  if (table.lead) {
    table.lead.draw(cursor.y);
    cursor.y += table.lead.height;
  }
  const drawHead = (continued: boolean) => {
    for (const laid of head(continued)) {
      drawRow(doc, laid, cursor.y);
      cursor.y += laid.height;
    }
  };
  drawHead(false);
  for (const laid of rows) {
    if (cursor.y + laid.height > BOTTOM) {
      newPage(doc, cursor);
      drawHead(true);
    }
    drawRow(doc, laid, cursor.y);
    cursor.y += laid.height;
  }
}

/** A bold section heading ("I. THÀNH PHẦN") as the lead of what follows it. */
function headingLead(doc: Doc, text: string, size = SIZE.heading, gapBefore = 8, gapAfter = 5): Block {
  const height = gapBefore + measure(doc, text, 'bold', size, WIDTH) + gapAfter;
  return { height, draw: (y) => write(doc, text, LEFT, y + gapBefore, WIDTH, 'bold', size) };
}

function heading(doc: Doc, cursor: Cursor, text: string, keepWith: number, size = SIZE.heading): void {
  const lead = headingLead(doc, text, size);
  ensure(doc, cursor, lead.height + keepWith);
  lead.draw(cursor.y);
  cursor.y += lead.height;
}

const headCell = (text: string, align: Align = 'center'): Cell => ({
  text,
  font: 'bold',
  size: SIZE.small,
  align,
});

// ---------------------------------------------------------------------------------------------
// The parts of the minutes.

/** "Hà Giang" from "Tỉnh Hà Giang" or "Thành phố Hà Nội", for the place-and-date line. */
const placeName = (province: string) => province.trim().replace(/^(tỉnh|thành phố|tp\.?)\s+/iu, '');

function dateLine(minutes: RoundMinutes): string {
  const place =
    minutes.level === 'province' && minutes.provinceName.trim() ? placeName(minutes.provinceName) : '…………';
  const date = minutes.scoringDate ? /^(\d{4})-(\d{2})-(\d{2})/.exec(minutes.scoringDate) : null;
  return date
    ? `${place}, ngày ${date[3]} tháng ${date[2]} năm ${date[1]}`
    : `${place}, ngày …… tháng …… năm 20……`;
}

function drawDocumentHeading(doc: Doc, minutes: RoundMinutes, cursor: Cursor): void {
  const leftW = 210;
  const rightX = LEFT + leftW;
  const rightW = WIDTH - leftW;
  const y0 = cursor.y;

  // Left: the council.
  let yl = y0;
  const issuer =
    minutes.level === 'province' ? minutes.provinceName.trim().toLocaleUpperCase('vi') : 'CẤP TRUNG ƯƠNG';
  if (issuer) {
    write(doc, issuer, LEFT, yl, leftW, 'regular', SIZE.body, { align: 'center' });
    yl += measure(doc, issuer, 'regular', SIZE.body, leftW);
  }
  const council = 'HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP';
  write(doc, council, LEFT + 15, yl, leftW - 30, 'bold', SIZE.body, { align: 'center' });
  yl += measure(doc, council, 'bold', SIZE.body, leftW - 30) + 3;
  doc
    .lineWidth(0.6)
    .strokeColor('black')
    .moveTo(LEFT + leftW / 2 - 30, yl)
    .lineTo(LEFT + leftW / 2 + 30, yl)
    .stroke();
  yl += 4;

  // Right: the national heading and the motto, underlined, then the place and date.
  let yr = y0;
  const nation = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
  write(doc, nation, rightX, yr, rightW, 'bold', SIZE.body, { align: 'center' });
  yr += measure(doc, nation, 'bold', SIZE.body, rightW);
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  write(doc, motto, rightX, yr, rightW, 'bold', SIZE.motto, { align: 'center' });
  yr += measure(doc, motto, 'bold', SIZE.motto, rightW) + 1;
  doc.font('bold').fontSize(SIZE.motto);
  const mottoW = doc.widthOfString(motto);
  doc
    .lineWidth(0.6)
    .strokeColor('black')
    .moveTo(rightX + (rightW - mottoW) / 2, yr)
    .lineTo(rightX + (rightW + mottoW) / 2, yr)
    .stroke();
  yr += 8;
  const when = dateLine(minutes);
  write(doc, when, rightX, yr, rightW, 'italic', SIZE.body, { align: 'center' });
  yr += measure(doc, when, 'italic', SIZE.body, rightW);

  cursor.y = Math.max(yl, yr) + 18;

  // Title.
  const centred = (text: string, font: FontName, size: number, gap: number) => {
    write(doc, text, LEFT, cursor.y, WIDTH, font, size, { align: 'center' });
    cursor.y += measure(doc, text, font, size, WIDTH) + gap;
  };
  centred('BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP', 'bold', SIZE.title, 2);
  const level = LEVEL_WORDS[minutes.level].toLocaleUpperCase('vi');
  const province = minutes.provinceName.trim();
  centred(
    minutes.level === 'province' && province ? `${level} — ${province.toLocaleUpperCase('vi')}` : level,
    'bold',
    SIZE.heading,
    2,
  );
  if (minutes.roundName.trim()) centred(minutes.roundName.trim(), 'italic', SIZE.heading, 2);
  cursor.y += 10;

  // The round, as label: value lines.
  const facts: [string, string][] = [
    ['Kỳ đánh giá', minutes.roundName.trim() || '—'],
    ['Cấp đánh giá', `Hội đồng ${LEVEL_WORDS[minutes.level]}`],
    ['Tỉnh/thành phố', province || '—'],
    ['Ngày họp, chấm điểm', minutes.scoringDate ? formatIsoDate(minutes.scoringDate) : 'chưa xác định'],
    ['Bộ tiêu chí', `Bộ tiêu chí theo Quyết định số ${criteriaDecision(minutes.criteriaVersion)}`],
  ];
  const labelW = 120;
  for (const [label, value] of facts) {
    const height = Math.max(
      measure(doc, `${label}:`, 'regular', SIZE.body, labelW),
      measure(doc, value, 'bold', SIZE.body, WIDTH - labelW),
    );
    write(doc, `${label}:`, LEFT, cursor.y, labelW, 'regular', SIZE.body);
    write(doc, value, LEFT + labelW, cursor.y, WIDTH - labelW, 'bold', SIZE.body);
    cursor.y += height + 2;
  }
}

const MEMBER_COLUMNS = [28, 140, 82, 186, WIDTH - 28 - 140 - 82 - 186];

function drawMembers(doc: Doc, minutes: RoundMinutes, cursor: Cursor): void {
  const rows: Row[] = minutes.members.map((m: MinutesMember, i) => ({
    cells: [
      { text: String(i + 1), align: 'center' },
      { text: m.name },
      { text: roleWords(m.role) },
      { text: m.organisation || '—' },
      m.present
        ? { text: 'Có mặt', align: 'center' }
        : { text: 'Vắng mặt', align: 'center', font: 'italic', color: COLOR.alert },
    ],
  }));
  if (rows.length === 0) {
    rows.push({
      cells: [{ text: 'Chưa có thành viên Hội đồng.', font: 'italic', span: 5, align: 'center' }],
    });
  }
  drawTable(doc, cursor, {
    columns: MEMBER_COLUMNS,
    head: () => [
      {
        fill: COLOR.head,
        cells: [
          headCell('STT'),
          headCell('Họ và tên'),
          headCell('Chức danh trong Hội đồng'),
          headCell('Cơ quan, đơn vị'),
          headCell('Có mặt / vắng mặt'),
        ],
      },
    ],
    rows,
    lead: headingLead(doc, 'I. THÀNH PHẦN'),
  });
  cursor.y += 6;

  const { quorum } = minutes;
  const verdict = quorum.met ? 'đủ điều kiện tiến hành họp' : 'không đủ điều kiện tiến hành họp';
  paragraph(
    doc,
    cursor,
    `Có ${quorum.present}/${quorum.voting} thành viên có mặt, yêu cầu tối thiểu ${quorum.required}: Hội đồng ${verdict}.`,
    'bold',
    SIZE.body,
  );
}

/** Label, value, label, value: short facts go two to a row, long ones take the whole width. */
const PRODUCT_COLUMNS = [122, 150, 84, WIDTH - 122 - 150 - 84];

function productRows(product: MinutesProduct): Row[] {
  const label = (text: string): Cell => ({ text, color: COLOR.muted, fill: COLOR.label });
  const value = (text: string, font: FontName = 'regular', color?: string, span = 1): Cell => ({
    text,
    font,
    span,
    ...(color ? { color } : {}),
  });
  const wide = (name: string, text: string, font: FontName = 'regular', color?: string): Row => ({
    cells: [label(name), value(text, font, color, 3)],
  });
  const spread = product.spread === null ? '—' : formatPoints(product.spread);
  const rows: Row[] = [
    wide('Chủ thể sản xuất', product.producerName),
    {
      cells: [
        label('Bộ sản phẩm'),
        value(setText(product)),
        label('Loại hồ sơ'),
        value(kindWords(product.kind)),
      ],
    },
    wide(
      'Điểm của từng thành viên',
      product.memberTotals.length ? memberTotalsText(product) : 'Chưa có phiếu chấm',
    ),
  ];
  if (product.recused.length > 0) {
    rows.push(wide('Thành viên không chấm', `${product.recused.join(', ')} (${RECUSED_WORDS})`, 'italic'));
  }
  rows.push({
    cells: [
      label('Điểm trung bình'),
      value(product.score === null ? NOT_SCORED : formatPoints(product.score), 'bold'),
      label('Độ chênh lệch'),
      product.spreadExceeded ? value(`${spread} (vượt ngưỡng)`, 'bold', COLOR.alert) : value(spread),
    ],
  });
  if (product.spreadOverride) {
    rows.push(
      wide(
        'Ý kiến của Chủ tịch Hội đồng',
        `Chấp nhận độ chênh lệch, không chấm lại: ${product.spreadOverride}`,
        'italic',
      ),
    );
  }
  rows.push(
    wide(
      'Điểm tối thiểu không đạt',
      product.failedGates.length ? product.failedGates.map(failedGateText).join('\n') : 'Không',
    ),
  );
  if (product.disqualified.length > 0) {
    rows.push(
      wide('Căn cứ loại hồ sơ', product.disqualified.map((d) => `– ${d}`).join('\n'), 'regular', COLOR.alert),
    );
  }
  rows.push({
    cells: [
      label('Số sao'),
      value(starsText(product.stars), 'bold'),
      label('Kết quả'),
      value(outcomeText(product.outcome), 'bold'),
    ],
  });
  return rows;
}

function productTitle(product: MinutesProduct): string {
  const code = product.productCode?.trim();
  return `${product.position}. ${product.productName}${code ? ` — Mã số: ${code}` : ''}`;
}

const SUMMARY_COLUMNS = [28, 166, 112, 38, 38, WIDTH - 28 - 166 - 112 - 38 - 38];

function drawResults(doc: Doc, products: MinutesProduct[], cursor: Cursor): void {
  heading(doc, cursor, 'II. KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG', 40);
  if (products.length === 0) {
    paragraph(doc, cursor, 'Kỳ đánh giá chưa có sản phẩm nào.', 'italic', SIZE.body);
    return;
  }
  paragraph(doc, cursor, `Số sản phẩm đưa ra đánh giá: ${products.length}.`, 'regular', SIZE.body, 2);

  products.forEach((product, i) => {
    drawTable(doc, cursor, {
      columns: PRODUCT_COLUMNS,
      head: (continued) => [
        {
          fill: COLOR.product,
          cells: [
            { text: `${productTitle(product)}${continued ? ' (tiếp theo)' : ''}`, font: 'bold', span: 4 },
          ],
        },
      ],
      rows: productRows(product),
      keepTogether: true,
      ...(i === 0 ? { lead: headingLead(doc, '1. Kết quả từng sản phẩm', SIZE.body + 0.5, 4, 4) } : {}),
    });
    cursor.y += 8;
  });

  const summaryHead = (continued: boolean): Row[] => [
    ...(continued
      ? [
          {
            plain: true,
            cells: [
              {
                text: 'Bảng tổng hợp kết quả (tiếp theo)',
                font: 'italic' as const,
                size: SIZE.small,
                span: 6,
              },
            ],
          },
        ]
      : []),
    {
      fill: COLOR.head,
      cells: [
        headCell('STT'),
        headCell('Sản phẩm'),
        headCell('Chủ thể'),
        headCell('Điểm'),
        headCell('Số sao'),
        headCell('Kết quả'),
      ],
    },
  ];
  drawTable(doc, cursor, {
    columns: SUMMARY_COLUMNS,
    head: summaryHead,
    rows: products.map((p) => ({
      cells: [
        { text: String(p.position), align: 'center', size: SIZE.table },
        {
          text: p.productCode?.trim() ? `${p.productName} (${p.productCode.trim()})` : p.productName,
          size: SIZE.table,
        },
        { text: p.producerName, size: SIZE.table },
        { text: p.score === null ? '—' : formatPoints(p.score), align: 'right', size: SIZE.table },
        { text: starsText(p.stars, true), align: 'center', size: SIZE.table },
        { text: outcomeText(p.outcome), font: 'bold', size: SIZE.table },
      ],
    })),
    lead: headingLead(doc, '2. Tổng hợp kết quả', SIZE.body + 0.5, 4, 4),
  });
  cursor.y += 6;

  const counts = new Map<Outcome | null, number>();
  for (const p of products) counts.set(p.outcome, (counts.get(p.outcome) ?? 0) + 1);
  const order: (Outcome | null)[] = [
    'recognise_5_star',
    'forward_central',
    'recognise',
    'not_recognised',
    'disqualified',
    null,
  ];
  const parts = order.filter((o) => counts.has(o)).map((o) => `${outcomeText(o)}: ${counts.get(o)}`);
  paragraph(
    doc,
    cursor,
    `Tổng số ${products.length} sản phẩm, trong đó: ${parts.join('; ')}.`,
    'regular',
    SIZE.body,
  );
}

function decisionBlock(doc: Doc, minutes: RoundMinutes): Block {
  const { decision } = minutes;
  const lines: [string, FontName][] = decision
    ? [
        [
          `Kết quả đánh giá, phân hạng được công nhận tại Quyết định số ${decision.number} ngày ${formatIsoDate(decision.date)}.`,
          'regular',
        ],
        [`Người ký quyết định: ${decision.signer}.`, 'regular'],
      ]
    : [['Chưa có quyết định công nhận.', 'italic']];
  const lead = headingLead(doc, 'III. QUYẾT ĐỊNH');
  const heights = lines.map(([text, font]) => measure(doc, text, font, SIZE.body, WIDTH) + 2);
  return {
    height: lead.height + heights.reduce((sum, h) => sum + h, 0),
    draw: (y) => {
      lead.draw(y);
      let at = y + lead.height;
      lines.forEach(([text, font], i) => {
        write(doc, text, LEFT, at, WIDTH, font, SIZE.body);
        at += heights[i]!;
      });
    },
  };
}

function signatureBlock(doc: Doc, minutes: RoundMinutes): Block {
  const closing =
    'Cuộc họp kết thúc vào hồi ……… giờ ……… cùng ngày. Biên bản đã được đọc lại cho các thành viên Hội đồng cùng nghe.';
  const closingH = measure(doc, closing, 'regular', SIZE.body, WIDTH);
  const half = WIDTH / 2;
  const secretary = minutes.members.find((m) => m.role === 'secretary')?.name ?? '';
  const chair = minutes.members.find((m) => m.role === 'chair')?.name ?? '';
  const nameH = Math.max(
    measure(doc, secretary || ' ', 'bold', SIZE.body, half - 20),
    measure(doc, chair || ' ', 'bold', SIZE.body, half - 20),
  );
  const signSpace = 62;
  const columns: [string, string][] = [
    ['THƯ KÝ HỘI ĐỒNG', secretary],
    ['CHỦ TỊCH HỘI ĐỒNG', chair],
  ];
  return {
    height: 14 + closingH + 14 + 26 + signSpace + nameH,
    draw: (y) => {
      write(doc, closing, LEFT, y + 14, WIDTH, 'regular', SIZE.body);
      const top = y + 14 + closingH + 14;
      columns.forEach(([title, name], i) => {
        const x = LEFT + i * half;
        write(doc, title, x, top, half, 'bold', SIZE.body + 0.5, { align: 'center' });
        write(doc, '(Ký, ghi rõ họ tên)', x, top + 14, half, 'italic', SIZE.small, { align: 'center' });
        if (name)
          write(doc, name, x + 10, top + 26 + signSpace, half - 20, 'bold', SIZE.body, { align: 'center' });
      });
    },
  };
}

/** The decision and the signatures, on one page when they fit on one (a signature page never stands alone). */
function drawEnd(doc: Doc, minutes: RoundMinutes, cursor: Cursor): void {
  const decision = decisionBlock(doc, minutes);
  const signatures = signatureBlock(doc, minutes);
  if (decision.height + signatures.height <= CONTENT_H)
    ensure(doc, cursor, decision.height + signatures.height);
  for (const block of [decision, signatures]) {
    ensure(doc, cursor, block.height);
    block.draw(cursor.y);
    cursor.y += block.height;
  }
}

function drawFooters(doc: Doc, minutes: RoundMinutes): void {
  const range = doc.bufferedPageRange();
  const generated = Date.parse(minutes.generatedAt);
  const made = Number.isNaN(generated) ? '' : ` — lập ngày ${formatDate(toVietnamDate(new Date(generated)))}`;
  const round = minutes.roundName.trim();
  const left = `Biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP${round ? ` — ${round}` : ''}${made}`;
  const y = BOTTOM + 16;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .lineWidth(0.4)
      .strokeColor(COLOR.line)
      .moveTo(LEFT, y - 4)
      .lineTo(RIGHT, y - 4)
      .stroke();
    doc.font('regular').fontSize(SIZE.footer);
    const lineH = doc.currentLineHeight(true) + LINE_GAP;
    write(doc, left, LEFT, y, WIDTH - 70, 'regular', SIZE.footer, { color: COLOR.muted, height: lineH });
    write(doc, `Trang ${i + 1}/${range.count}`, RIGHT - 70, y, 70, 'regular', SIZE.small, { align: 'right' });
  }
}

/** The minutes of a round as a PDF (A4): attendance, each product's result, the summary, the decision. */
export async function roundMinutesPdf(
  minutes: RoundMinutes,
  options: RoundMinutesPdfOptions = {},
): Promise<Buffer> {
  const products = [...minutes.products].sort((a, b) => a.position - b.position);
  const round = minutes.roundName.trim();
  // no bottom margin for pdfkit: this file decides every page break (and writes the footer there)
  const { doc, done } = openA4Pdf({
    margins: { top: TOP, bottom: 0, left: LEFT, right: PAGE_W - RIGHT },
    title: `Biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP${round ? ` — ${round}` : ''}`,
    subject: `${minutes.provinceName} — ${LEVEL_WORDS[minutes.level]}`,
    fixedDate: options.fixedDate,
  });

  const cursor: Cursor = { y: TOP };
  drawDocumentHeading(doc, minutes, cursor);
  drawMembers(doc, minutes, cursor);
  drawResults(doc, products, cursor);
  drawEnd(doc, minutes, cursor);
  drawFooters(doc, minutes);
  doc.end();
  return done;
}
