/**
 * The printed certificate (Giấy chứng nhận sản phẩm OCOP): one A4 page in Vietnamese, laid out as
 * an official document — the issuer and the number on the left, the national heading on the
 * right, the title, the product, its producer, the stars (drawn, filled, as many as recognised),
 * the score, the decision, the end of validity, the place and date of issue, and a QR code of the
 * public verification page. A decorative double border; demo data carries a watermark across the
 * page.
 *
 * It is a print of the register's record, not the signed original: it claims no signature and no
 * seal, and says so at the bottom. Everything is vector (the QR code too); Be Vietnam Pro is
 * embedded through `platform/pdf.ts`. With `fixedDate` the same certificate gives the same bytes.
 */
import { type FontName, nfc, openA4Pdf } from '../../platform/pdf.ts';
import type { CertificateDocument, CertificateLevel } from './certificate.model.ts';
import { dayMonthYear, qrRuns, starPoints } from './ocop-mark.ts';

export interface CertificatePdfOptions {
  /** Fixes the document's creation date (and so its file identifier): same input, same bytes. */
  fixedDate?: Date;
}

// ---------------------------------------------------------------------------------------------
// The words.

export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';
export const PRINT_NOTE = '(Bản in từ cơ sở dữ liệu OCOP; kiểm tra hiệu lực bằng mã QR)';
export const DEMO_WATERMARK = 'DỮ LIỆU MINH HOẠ — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ';
export const QR_CAPTION = 'Quét mã để kiểm tra hiệu lực';

/** Who issued the certificate, as its heading says. */
export function issuerLine(level: CertificateLevel, provinceName: string): string {
  switch (level) {
    case 'central':
      return 'BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG';
    case 'district':
      return 'ỦY BAN NHÂN DÂN CẤP HUYỆN (trước 01/7/2025)';
    case 'province':
      return `ỦY BAN NHÂN DÂN ${provinceName.normalize('NFC').trim().toLocaleUpperCase('vi')}`;
  }
}

/**
 * The place in the date line: the province without "Tỉnh"/"Thành phố" ("Cà Mau", "Hà Nội"), but
 * "Thành phố Hồ Chí Minh" whole, as documents write it; the ministry issues in Hà Nội.
 */
export function placeName(level: CertificateLevel, provinceName: string): string {
  if (level === 'central') return 'Hà Nội';
  const name = provinceName.normalize('NFC').trim();
  const bare = name.replace(/^(tỉnh|thành phố|tp\.?)\s+/iu, '');
  return /^hồ chí minh$/iu.test(bare) ? 'Thành phố Hồ Chí Minh' : bare;
}

/** "Cà Mau, ngày 05 tháng 06 năm 2026" from 'YYYY-MM-DD'. */
export function placeDateLine(place: string, iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${place}, ngày ${m[3]} tháng ${m[2]} năm ${m[1]}` : `${place}, ${iso}`;
}

/** Points with two decimals and a decimal comma: 72.5 → "72,50". */
export function formatScore(score: number): string {
  const rounded = Math.round((score + Math.sign(score) * Number.EPSILON) * 100) / 100;
  return rounded.toFixed(2).replace('.', ',');
}

/** The verification address as printed under the QR code: host and path, no query. */
export function printedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------------
// Geometry, in points.

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const CX = PAGE_W / 2;
const OUTER = 20;
const INNER = 27;
const LEFT = 58;
const RIGHT = PAGE_W - 58;
const WIDTH = RIGHT - LEFT;
/** The body (title to validity) flows between these; the QR code and the date line sit below. */
const BODY_TOP = 232;
const BODY_BOTTOM = 626;
const FOOT_TOP = 638;
const QR_SIZE = 96;
const LINE_GAP = 1.5;

const COLOR = {
  red: '#9f1d20',
  gold: '#b8860b',
  star: '#f2b705',
  starEdge: '#8a5a00',
  ink: '#1a1a1a',
  muted: '#4a4a4a',
  watermark: '#c0392b',
};

type Doc = PDFKit.PDFDocument;

interface Style {
  font: FontName;
  size: number;
  color?: string;
}

function height(doc: Doc, text: string, style: Style, width: number): number {
  doc.font(style.font).fontSize(style.size);
  return doc.heightOfString(nfc(text), { width, lineGap: LINE_GAP });
}

function write(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  style: Style,
  maxLines = 0,
): void {
  doc
    .font(style.font)
    .fontSize(style.size)
    .fillColor(style.color ?? COLOR.ink);
  const lineHeight = doc.currentLineHeight(true) + LINE_GAP;
  doc.text(nfc(text), x, y, {
    width,
    align: 'center',
    lineGap: LINE_GAP,
    ...(maxLines > 0 ? { height: lineHeight * maxLines, ellipsis: true } : {}),
  });
}

/** The largest size from `max` down to `min` at which `text` takes at most `lines` lines. */
function fitSize(
  doc: Doc,
  text: string,
  font: FontName,
  max: number,
  min: number,
  width: number,
  lines: number,
) {
  for (let size = max; size > min; size -= 0.5) {
    doc.font(font).fontSize(size);
    const lineHeight = doc.currentLineHeight(true) + LINE_GAP;
    if (height(doc, text, { font, size }, width) <= lineHeight * lines + 0.5) return size;
  }
  return min;
}

/** Something drawn in one piece in the body: its height, and how to draw it at y. */
interface Block {
  height: number;
  /** The space above it (stretched or squeezed to fill the body). */
  gap: number;
  draw: (y: number) => void;
}

/** A block of centred text, at most `maxLines` lines (cut with an ellipsis). */
function textBlock(doc: Doc, text: string, style: Style, gap: number, maxLines = 2, width = WIDTH): Block {
  doc.font(style.font).fontSize(style.size);
  const lineHeight = doc.currentLineHeight(true) + LINE_GAP;
  const h = Math.min(height(doc, text, style, width), lineHeight * maxLines);
  return { height: h, gap, draw: (y) => write(doc, text, CX - width / 2, y, width, style, maxLines) };
}

function star(doc: Doc, x: number, y: number, radius: number): void {
  doc
    .save()
    .lineWidth(0.8)
    .lineJoin('round')
    .polygon(...starPoints(x, y, radius))
    .fillAndStroke(COLOR.star, COLOR.starEdge)
    .restore();
}

// ---------------------------------------------------------------------------------------------
// The parts of the page.

function border(doc: Doc): void {
  doc.save();
  doc
    .lineWidth(3)
    .strokeColor(COLOR.red)
    .rect(OUTER, OUTER, PAGE_W - 2 * OUTER, PAGE_H - 2 * OUTER)
    .stroke();
  doc
    .lineWidth(0.9)
    .strokeColor(COLOR.gold)
    .rect(INNER, INNER, PAGE_W - 2 * INNER, PAGE_H - 2 * INNER)
    .stroke();
  // A gold diamond on each corner of the inner frame, a small one in the middle of each side.
  const diamond = (x: number, y: number, r: number) =>
    doc.polygon([x, y - r], [x + r, y], [x, y + r], [x - r, y]).fillAndStroke(COLOR.gold, COLOR.red);
  doc.lineWidth(0.6);
  for (const x of [INNER, PAGE_W - INNER]) for (const y of [INNER, PAGE_H - INNER]) diamond(x, y, 6);
  for (const [x, y] of [
    [CX, INNER],
    [CX, PAGE_H - INNER],
    [INNER, PAGE_H / 2],
    [PAGE_W - INNER, PAGE_H / 2],
  ] as const)
    diamond(x, y, 3.5);
  doc.restore();
}

/** Across the page, corner to corner, light; drawn first so that everything else is on top. */
function watermark(doc: Doc, text: string, dy = 0, opacity = 0.16): void {
  const angle = (-Math.atan2(PAGE_H, PAGE_W) * 180) / Math.PI;
  doc.font('bold').fontSize(1);
  const size = Math.min(40, 640 / doc.widthOfString(nfc(text)));
  doc.font('bold').fontSize(size);
  const w = doc.widthOfString(nfc(text));
  doc.save();
  doc.rotate(angle, { origin: [CX, PAGE_H / 2] });
  doc.fillColor(COLOR.watermark, opacity);
  doc.text(nfc(text), CX - w / 2, PAGE_H / 2 - size / 2 + dy, { lineBreak: false });
  doc.restore();
}

function heading(doc: Doc, data: CertificateDocument): void {
  const top = 56;
  // Left: the issuer, a short rule, the number.
  const leftW = 230;
  const leftX = LEFT - 6;
  // "(trước 01/7/2025)" on its own line rather than cut anywhere.
  const issuer = issuerLine(data.level, data.provinceName).replace(' (', '\n(');
  const issuerStyle: Style = {
    font: 'bold',
    size: fitSize(doc, issuer, 'bold', 10.5, 8.5, leftW, 2),
  };
  doc.font('bold').fontSize(issuerStyle.size);
  const issuerH = Math.min(
    height(doc, issuer, issuerStyle, leftW),
    3 * (doc.currentLineHeight(true) + LINE_GAP),
  );
  write(doc, issuer, leftX, top, leftW, issuerStyle, 3);
  const ruleY = top + issuerH + 3;
  doc
    .moveTo(leftX + leftW / 2 - 30, ruleY)
    .lineTo(leftX + leftW / 2 + 30, ruleY)
    .lineWidth(0.7)
    .strokeColor(COLOR.ink)
    .stroke();
  write(doc, `Số: ${data.number}`, leftX, ruleY + 6, leftW, { font: 'regular', size: 10.5 }, 2);

  // Right: the national name and motto, the motto underlined.
  const rightW = 270;
  const rightX = RIGHT + 6 - rightW;
  const nameSize = fitSize(doc, NATIONAL_NAME, 'bold', 10.5, 8, rightW, 1);
  write(doc, NATIONAL_NAME, rightX, top, rightW, { font: 'bold', size: nameSize });
  const mottoY = top + nameSize * 1.35 + 2;
  write(doc, NATIONAL_MOTTO, rightX, mottoY, rightW, { font: 'bold', size: 11 });
  doc.font('bold').fontSize(11);
  const mottoW = doc.widthOfString(nfc(NATIONAL_MOTTO));
  const mx = rightX + rightW / 2;
  const underline = mottoY + 11 * 1.35 + 2;
  doc
    .moveTo(mx - mottoW / 2, underline)
    .lineTo(mx + mottoW / 2, underline)
    .lineWidth(0.7)
    .strokeColor(COLOR.ink)
    .stroke();
}

function title(doc: Doc): void {
  write(doc, 'GIẤY CHỨNG NHẬN', LEFT, 146, WIDTH, { font: 'bold', size: 28, color: COLOR.red });
  write(doc, 'SẢN PHẨM OCOP', LEFT, 184, WIDTH, { font: 'bold', size: 19, color: COLOR.red });
  // A gold rule with a diamond in the middle.
  const y = 218;
  doc.save().lineWidth(0.8).strokeColor(COLOR.gold);
  doc
    .moveTo(CX - 90, y)
    .lineTo(CX - 8, y)
    .stroke();
  doc
    .moveTo(CX + 8, y)
    .lineTo(CX + 90, y)
    .stroke();
  doc
    .polygon([CX, y - 4], [CX + 4, y], [CX, y + 4], [CX - 4, y])
    .fill(COLOR.gold)
    .restore();
}

/** The stars in a row, and "4 SAO" under them. */
function starsBlock(doc: Doc, stars: number, gap: number): Block {
  const radius = 15;
  const step = 40;
  const label = `${stars} SAO`;
  const labelSize = 22;
  return {
    height: 2 * radius + 6 + labelSize * 1.3,
    gap,
    draw: (y) => {
      const first = CX - ((stars - 1) * step) / 2;
      for (let i = 0; i < stars; i++) star(doc, first + i * step, y + radius, radius);
      write(doc, label, LEFT, y + 2 * radius + 6, WIDTH, { font: 'bold', size: labelSize, color: COLOR.red });
    },
  };
}

function body(doc: Doc, data: CertificateDocument): void {
  const nameWidth = WIDTH - 40;
  const nameSize = fitSize(doc, data.productName, 'bold', 22, 14, nameWidth, 2);
  const blocks: Block[] = [
    textBlock(doc, 'Chứng nhận sản phẩm', { font: 'italic', size: 12, color: COLOR.muted }, 0, 1),
    textBlock(doc, data.productName, { font: 'bold', size: nameSize }, 4, 3, nameWidth),
  ];
  if (data.productCode) {
    blocks.push(textBlock(doc, `Mã sản phẩm: ${data.productCode}`, { font: 'regular', size: 11 }, 6, 1));
  }
  blocks.push(
    textBlock(doc, 'Chủ thể sản xuất', { font: 'italic', size: 11, color: COLOR.muted }, 14, 1),
    textBlock(doc, data.producerName, { font: 'bold', size: 14 }, 2, 2),
  );
  if (data.producerAddress) {
    blocks.push(textBlock(doc, `Địa chỉ: ${data.producerAddress}`, { font: 'regular', size: 11 }, 3, 2));
  }
  blocks.push(
    textBlock(doc, 'Được công nhận đạt hạng', { font: 'italic', size: 12, color: COLOR.muted }, 14, 1),
    starsBlock(doc, data.stars, 6),
  );
  if (data.score !== null) {
    blocks.push(
      textBlock(doc, `Điểm đánh giá: ${formatScore(data.score)}`, { font: 'regular', size: 11 }, 2, 1),
    );
  }
  const decision = `Theo Quyết định số ${data.decision.number} ngày ${dayMonthYear(data.decision.date)} của ${data.decision.signer}`;
  blocks.push(
    textBlock(doc, decision, { font: 'regular', size: 11 }, 14, 3, WIDTH - 20),
    textBlock(
      doc,
      `Có giá trị đến ngày ${dayMonthYear(data.validUntil)}`,
      { font: 'bold', size: 12.5, color: COLOR.red },
      6,
      1,
    ),
  );

  // Stretch (at most double) or squeeze the gaps so that the body fills its space.
  const content = blocks.reduce((sum, b) => sum + b.height, 0);
  const gaps = blocks.reduce((sum, b) => sum + b.gap, 0);
  const room = BODY_BOTTOM - BODY_TOP - content;
  const factor = gaps > 0 ? Math.max(0, Math.min(2, room / gaps)) : 0;
  const slack = Math.max(0, room - gaps * factor);
  let y = BODY_TOP + slack / 2;
  for (const block of blocks) {
    y += block.gap * factor;
    block.draw(y);
    y += block.height;
  }
}

/** The QR code (dark runs as rectangles, one fill) and its caption on the left; the date on the right. */
function foot(doc: Doc, data: CertificateDocument): void {
  const { size, runs } = qrRuns(data.verifyUrl);
  const module = QR_SIZE / size;
  const qrX = LEFT + 52;
  const qrY = FOOT_TOP + 6;
  doc.save();
  for (const r of runs) doc.rect(qrX + r.col * module, qrY + r.row * module, r.length * module, module);
  doc.fill('#000000');
  doc.restore();
  const captionW = 200;
  const captionX = qrX + QR_SIZE / 2 - captionW / 2;
  write(doc, QR_CAPTION, captionX, qrY + QR_SIZE + 6, captionW, { font: 'italic', size: 8.5 }, 1);
  write(
    doc,
    printedUrl(data.verifyUrl),
    captionX,
    qrY + QR_SIZE + 19,
    captionW,
    {
      font: 'regular',
      size: 6.5,
      color: COLOR.muted,
    },
    2,
  );

  const dateW = 260;
  const dateX = RIGHT - dateW + 6;
  const dateLine = placeDateLine(placeName(data.level, data.provinceName), data.issuedOn);
  const dateSize = fitSize(doc, dateLine, 'italic', 11.5, 9, dateW, 1);
  write(doc, dateLine, dateX, FOOT_TOP + 14, dateW, { font: 'italic', size: dateSize }, 2);

  write(
    doc,
    PRINT_NOTE,
    LEFT,
    PAGE_H - INNER - 19,
    WIDTH,
    { font: 'italic', size: 8, color: COLOR.muted },
    1,
  );
}

/**
 * The certificate as a one-page A4 PDF. Throws a RangeError unless `stars` is 3, 4 or 5 (the only
 * ranks that are certified).
 */
export async function renderCertificatePdf(
  data: CertificateDocument,
  options: CertificatePdfOptions = {},
): Promise<Buffer> {
  if (!Number.isInteger(data.stars) || data.stars < 3 || data.stars > 5) {
    throw new RangeError(`a certificate has 3, 4 or 5 stars, not ${data.stars}`);
  }
  const { doc, done } = openA4Pdf({
    // The layout is absolute; small margins keep pdfkit from ever starting a second page.
    margins: { top: 10, bottom: 10, left: 10, right: 10 },
    title: `Giấy chứng nhận sản phẩm OCOP số ${data.number}`,
    subject: `${data.productName} — ${data.stars} sao`,
    fixedDate: options.fixedDate,
  });
  if (data.isDemo) watermark(doc, DEMO_WATERMARK);
  // a copy of a certificate no longer in force says so across the page
  if (data.notInForce) watermark(doc, data.notInForce, data.isDemo ? 60 : 0, 0.3);
  border(doc);
  heading(doc, data);
  title(doc);
  body(doc, data);
  foot(doc, data);
  doc.end();
  return done;
}
