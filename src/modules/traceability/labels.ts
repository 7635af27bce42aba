/**
 * Printable QR labels (tem truy xuất) for lots and serialised items. Pure: no database, no HTTP.
 *
 *  - `qrSvg` / `qrPng`: the QR code of one URI (a GS1 Digital Link, usually), error correction M,
 *    a 4-module quiet zone; the PNG pure black on white with whole-pixel modules.
 *  - `checkLayout`: the geometry of a sheet of labels on A4 (columns × rows, symmetric margins,
 *    gaps), or the rules it breaks. `DEFAULT_LAYOUT` is the common 3 × 8 sheet of 70 × 37 mm.
 *  - `labelSheetPdf`: the labels on as many A4 pages as needed. Each label: the QR code on its left
 *    (vector, as large as the label allows, the symbol ≥ 15 mm whenever the label is big enough to
 *    hold one beside its quiet zone), and beside it the product name, "Lô", "Số sê-ri", "HSD", the
 *    human-readable GTIN and the producer, fitted (smaller type, fewer lines, then fewer fields)
 *    so that nothing crosses the label's edge; a small round OCOP mark of our own drawing when the
 *    caller passes stars (never the official trademark).
 *  - `serialRange`: GS1 AI (21) serials `prefix + zero-padded number`.
 *
 * Units: layouts in millimetres, the PDF in points (1 mm = 72 / 25.4 pt).
 */
import QRCode from 'qrcode';
import sharp from 'sharp';
import { isCset82, validateGs1Key } from '../../platform/gs1/index.ts';
import { type FontName, nfc, openA4Pdf } from '../../platform/pdf.ts';

// ---------------------------------------------------------------------------------------------
// The QR code.

/** The QR code of `text` with error correction M: its size in modules and its dark runs by row. */
interface QrMatrix {
  version: number;
  size: number;
  runs: { row: number; col: number; length: number }[];
}

function qrMatrix(text: string): QrMatrix {
  if (typeof text !== 'string' || text.length === 0) throw new RangeError('a QR code needs a non-empty URI');
  let symbol: QRCode.QRCode;
  try {
    symbol = QRCode.create(text, { errorCorrectionLevel: 'M' });
  } catch (error) {
    throw new RangeError(`no QR code can hold this URI (${text.length} characters): ${String(error)}`);
  }
  const { modules, version } = symbol;
  const size = modules.size;
  const runs: QrMatrix['runs'] = [];
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && modules.get(row, col)) col++;
      runs.push({ row, col: start, length: col - start });
    }
  }
  return { version, size, runs };
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text for XML: NFC, control characters (other than tab and line breaks) removed, escaped. */
function escapeXml(text: string): string {
  return [...text.normalize('NFC')]
    .filter((c) => {
      const code = c.codePointAt(0)!;
      return (code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) && code < 0xfffe;
    })
    .join('')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

export interface QrSvgOptions {
  /** The width of one module in pixels (the SVG's width and height attributes); default 8. */
  moduleSizePx?: number;
  /** The white border in modules; default 4, as ISO/IEC 18004 requires. */
  quietZoneModules?: number;
}

/**
 * The QR code of `uri` as a standalone SVG: error correction M, viewBox in modules (quiet zone
 * included), a white background, one `<path>` for every dark module, `crispEdges`, the URI as its
 * `<title>`. The same URI and options always give the same string.
 */
export function qrSvg(uri: string, options: QrSvgOptions = {}): string {
  const moduleSizePx = options.moduleSizePx ?? 8;
  const quiet = options.quietZoneModules ?? 4;
  if (!Number.isFinite(moduleSizePx) || moduleSizePx <= 0 || moduleSizePx > 100) {
    throw new RangeError(`moduleSizePx must be a number above 0 and at most 100, not ${moduleSizePx}`);
  }
  if (!Number.isInteger(quiet) || quiet < 0 || quiet > 40) {
    throw new RangeError(`quietZoneModules must be a whole number from 0 to 40, not ${quiet}`);
  }
  const { size, runs } = qrMatrix(uri);
  const total = size + 2 * quiet;
  const px = Math.round(total * moduleSizePx * 1000) / 1000;
  const d = runs.map((r) => `M${r.col + quiet} ${r.row + quiet}h${r.length}v1h-${r.length}z`).join('');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${px}" height="${px}"`,
    ` viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges" role="img" data-modules="${size}">`,
    `<title>${escapeXml(uri)}</title>`,
    `<rect width="${total}" height="${total}" fill="#ffffff"/>`,
    `<path fill="#000000" d="${d}"/>`,
    '</svg>\n',
  ].join('');
}

export const QR_PNG_SIZE = { default: 512, min: 64, max: 4096 } as const;

/**
 * The QR code of `uri` as a square PNG of `sizePx` pixels (default 512, 64–4096): the SVG rendered
 * with whole-pixel modules (the largest that fit with the 4-module quiet zone), the pixels left
 * over added to the white border, then cut to pure black and white (an 8-bit grey PNG holding 0
 * and 255 only).
 * Throws a RangeError when `sizePx` is out of bounds or too small for one pixel per module.
 */
export async function qrPng(uri: string, options: { sizePx?: number } = {}): Promise<Buffer> {
  const sizePx = options.sizePx ?? QR_PNG_SIZE.default;
  if (!Number.isInteger(sizePx) || sizePx < QR_PNG_SIZE.min || sizePx > QR_PNG_SIZE.max) {
    throw new RangeError(
      `sizePx must be a whole number from ${QR_PNG_SIZE.min} to ${QR_PNG_SIZE.max}, not ${sizePx}`,
    );
  }
  const quiet = 4;
  const { size } = qrMatrix(uri);
  const total = size + 2 * quiet;
  const modulePx = Math.floor(sizePx / total);
  if (modulePx < 1) {
    throw new RangeError(`sizePx ${sizePx} is too small for this QR code: it needs at least ${total} px`);
  }
  const spare = sizePx - modulePx * total;
  const before = Math.floor(spare / 2);
  const svg = qrSvg(uri, { moduleSizePx: modulePx, quietZoneModules: quiet });
  return (
    sharp(Buffer.from(svg), { density: 72 })
      .flatten({ background: '#ffffff' })
      .extend({
        top: before,
        left: before,
        bottom: spare - before,
        right: spare - before,
        background: '#ffffff',
      })
      .threshold(128)
      .toColourspace('b-w')
      // one grey channel of 0 and 255 only: a palette would make it 1-bit, but quantising a
      // 4096-px image takes seconds for a few kilobytes
      .png({ compressionLevel: 9, adaptiveFiltering: false })
      .toBuffer()
  );
}

// ---------------------------------------------------------------------------------------------
// The sheet.

/** A4 portrait, in millimetres. */
export const A4_MM = { widthMm: 210, heightMm: 297 } as const;

/** A sheet of labels: a grid centred left–right (the left margin is also the right one), likewise top–bottom. */
export interface LabelSheetLayout {
  columns: number;
  rows: number;
  marginTopMm: number;
  marginLeftMm: number;
  gapXMm: number;
  gapYMm: number;
}

/**
 * The common A4 sheet of 24 labels, 3 × 8 of 70 × 37 mm: edge to edge across (3 × 70 = 210 mm),
 * 0.5 mm top and bottom (8 × 37 = 296 mm), no gaps.
 */
export const DEFAULT_LAYOUT: Readonly<LabelSheetLayout> = Object.freeze({
  columns: 3,
  rows: 8,
  marginTopMm: 0.5,
  marginLeftMm: 0,
  gapXMm: 0,
  gapYMm: 0,
});

/** What a layout may ask for. */
export const LAYOUT_LIMITS = {
  columns: { min: 1, max: 10 },
  rows: { min: 1, max: 20 },
  /** Margins beyond this are a mistake, not a label sheet. */
  maxMarginMm: 50,
  maxGapMm: 30,
  /** Room for a QR symbol of at least 15 mm and its quiet zone. */
  minLabelMm: 20,
} as const;

export interface LayoutProblem {
  /** A field of the layout, or `labelWidthMm` / `labelHeightMm` for the size it results in. */
  field: string;
  /** 'integer', 'range', 'number', 'minimum', 'maximum', 'fitsPage' or 'minLabelSize'. */
  rule: string;
}

export type LayoutCheck =
  | { ok: true; label: { widthMm: number; heightMm: number }; positions: { xMm: number; yMm: number }[] }
  | { ok: false; problems: LayoutProblem[] };

/** Millimetres to the micrometre, so that 296 / 8 is 37 and not 36.99999999999999. */
const roundMm = (mm: number) => Math.round(mm * 1000) / 1000;

/**
 * The size of each label (what A4 leaves after both margins and the gaps, shared by the columns
 * and the rows) and the top-left corner of each label in reading order (row by row), in mm from
 * the top-left corner of the page; or every rule the layout breaks.
 */
export function checkLayout(layout: LabelSheetLayout): LayoutCheck {
  const problems: LayoutProblem[] = [];
  for (const field of ['columns', 'rows'] as const) {
    const value = layout[field];
    const { min, max } = LAYOUT_LIMITS[field];
    if (typeof value !== 'number' || !Number.isInteger(value)) problems.push({ field, rule: 'integer' });
    else if (value < min || value > max) problems.push({ field, rule: 'range' });
  }
  const lengths = [
    ['marginTopMm', LAYOUT_LIMITS.maxMarginMm],
    ['marginLeftMm', LAYOUT_LIMITS.maxMarginMm],
    ['gapXMm', LAYOUT_LIMITS.maxGapMm],
    ['gapYMm', LAYOUT_LIMITS.maxGapMm],
  ] as const;
  for (const [field, max] of lengths) {
    const value = layout[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) problems.push({ field, rule: 'number' });
    else if (value < 0) problems.push({ field, rule: 'minimum' });
    else if (value > max) problems.push({ field, rule: 'maximum' });
  }
  if (problems.length > 0) return { ok: false, problems };

  const { columns, rows, marginTopMm, marginLeftMm, gapXMm, gapYMm } = layout;
  const exactWidth = (A4_MM.widthMm - 2 * marginLeftMm - (columns - 1) * gapXMm) / columns;
  const exactHeight = (A4_MM.heightMm - 2 * marginTopMm - (rows - 1) * gapYMm) / rows;
  const widthMm = roundMm(exactWidth);
  const heightMm = roundMm(exactHeight);
  for (const [field, size] of [
    ['labelWidthMm', widthMm],
    ['labelHeightMm', heightMm],
  ] as const) {
    if (size <= 0) problems.push({ field, rule: 'fitsPage' });
    else if (size < LAYOUT_LIMITS.minLabelMm) problems.push({ field, rule: 'minLabelSize' });
  }
  if (problems.length > 0) return { ok: false, problems };

  const positions: { xMm: number; yMm: number }[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < columns; col++) {
      positions.push({
        xMm: roundMm(marginLeftMm + col * (exactWidth + gapXMm)),
        yMm: roundMm(marginTopMm + row * (exactHeight + gapYMm)),
      });
    }
  }
  return { ok: true, label: { widthMm, heightMm }, positions };
}

// ---------------------------------------------------------------------------------------------
// Serials.

/** At most this many labels (and serials) in one request. */
export const MAX_LABELS_PER_REQUEST = 2000;

/** AI (21) holds up to 20 characters of GS1 character set 82. */
const MAX_SERIAL_LENGTH = 20;

/**
 * `count` serials for AI (21): `prefix` then the numbers `first`, `first + 1`, … zero-padded to
 * the width of the last one (`serialRange('A', 98, 3)` → A098, A099, A100). Throws a RangeError
 * when count is not 1–MAX_LABELS_PER_REQUEST, first is not a whole number ≥ 1, the prefix is not
 * GS1 character set 82, or a serial would be longer than 20 characters.
 */
export function serialRange(prefix: string, first: number, count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_LABELS_PER_REQUEST) {
    throw new RangeError(`count must be a whole number from 1 to ${MAX_LABELS_PER_REQUEST}, not ${count}`);
  }
  if (!Number.isSafeInteger(first) || first < 1) {
    throw new RangeError(`first must be a whole number from 1, not ${first}`);
  }
  if (typeof prefix !== 'string' || !isCset82(prefix)) {
    throw new RangeError(
      `the serial prefix "${prefix}" has characters outside the GS1 character set 82 (letters A–Z a–z without diacritics, digits, ! " % & ' ( ) * + , - . / : ; < = > ? _)`,
    );
  }
  const last = first + count - 1;
  const width = String(last).length;
  if (prefix.length + width > MAX_SERIAL_LENGTH) {
    throw new RangeError(
      `serial ${prefix}${last} would have ${prefix.length + width} characters; GS1 AI (21) allows at most ${MAX_SERIAL_LENGTH}`,
    );
  }
  const serials: string[] = [];
  for (let n = first; n <= last; n++) serials.push(`${prefix}${String(n).padStart(width, '0')}`);
  return serials;
}

// ---------------------------------------------------------------------------------------------
// The label's content.

export interface LabelContent {
  /** What the QR code encodes: the GS1 Digital Link URI of the lot or item. */
  uri: string;
  productName: string;
  /** GTIN-8, -12, -13 or -14, check digit included. */
  gtin: string;
  /** AI (10): 1–20 characters of GS1 character set 82. */
  lot: string;
  /** AI (21): 1–20 characters of GS1 character set 82, or null for a lot label. */
  serial: string | null;
  /** 'YYYY-MM-DD', or null. */
  expiryDate: string | null;
  /**
   * 3, 4 or 5: the OCOP mark is drawn only when non-null. The caller passes stars only while the
   * product's certificate is valid.
   */
  stars: number | null;
  producerName: string;
}

/** The human-readable GTIN under AI (01): "(01) 08930000000017" (padded to 14 digits). */
export function humanReadableGtin(gtin: string): string {
  return `(01) ${gtin.padStart(14, '0')}`;
}

/** 'YYYY-MM-DD' → 'DD/MM/YYYY'. */
export function dayMonthYear(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

function isCalendarDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === iso;
}

/** Why a label cannot be printed, or null. */
function labelProblem(label: LabelContent): string | null {
  if (typeof label.uri !== 'string' || label.uri.length === 0) return 'uri is empty';
  if (typeof label.gtin !== 'string' || !validateGs1Key('gtin', label.gtin).ok) {
    return `gtin "${label.gtin}" is not a GTIN-8, -12, -13 or -14 with a valid check digit`;
  }
  const ai82 = (name: string, value: string) =>
    value.length < 1 || value.length > 20 || !isCset82(value)
      ? `${name} "${value}" must be 1–20 characters of GS1 character set 82`
      : null;
  const lot = typeof label.lot === 'string' ? ai82('lot', label.lot) : 'lot is missing';
  if (lot) return lot;
  if (label.serial !== null) {
    const serial = typeof label.serial === 'string' ? ai82('serial', label.serial) : 'serial is not text';
    if (serial) return serial;
  }
  if (label.expiryDate !== null && !isCalendarDate(label.expiryDate)) {
    return `expiryDate "${label.expiryDate}" is not a date YYYY-MM-DD`;
  }
  if (label.stars !== null && (!Number.isInteger(label.stars) || label.stars < 3 || label.stars > 5)) {
    return `stars must be 3, 4, 5 or null, not ${label.stars}`;
  }
  if (typeof label.productName !== 'string') return 'productName is not text';
  if (typeof label.producerName !== 'string') return 'producerName is not text';
  return null;
}

// ---------------------------------------------------------------------------------------------
// The label's geometry (points, from the label's top-left corner).

const PT_PER_MM = 72 / 25.4;
const mm = (value: number) => value * PT_PER_MM;
/** Be Vietnam Pro: ascender 1000, descender −265 per 1000 units: a line is 1.265 × the size. */
const LINE_HEIGHT = 1.265;
/** The smallest QR symbol (quiet zone excluded) the labels print when the label can hold it. */
const MIN_QR_MM = 15;
const QUIET_MODULES = 4;

const COLOR = {
  ink: '#111111',
  muted: '#444444',
  red: '#b91c1c',
  gold: '#f2b705',
  goldEdge: '#8a5a00',
  guide: '#b8b8b8',
};

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface LabelGeometry {
  /** The QR code with its quiet zone. */
  qr: Rect;
  /** Where the text goes, or null when the label only holds the QR code. */
  text: Rect | null;
}

/**
 * Where the QR code and the text go on a label of `w` × `h` points for a symbol of `modules`.
 * Beside each other when the text gets at least 16 mm; else the text under the QR code when it
 * gets 7 mm; else the QR code alone.
 */
function labelGeometry(w: number, h: number, modules: number): LabelGeometry {
  const minSide = Math.min(w, h);
  // The QR code's quiet zone is white already: it may come close to the edge on small labels.
  const edge = Math.max(0, Math.min(mm(1), (minSide - mm(20)) / 10));
  // The text keeps clear of the edge (and of the printer's margin) more.
  const pad = Math.max(mm(1.5), Math.min(mm(2.5), minSide * 0.07));
  const minBox = (mm(MIN_QR_MM) * (modules + 2 * QUIET_MODULES)) / modules;
  const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

  // Side by side: the QR code takes up to 45 % of the width (at least the 15-mm symbol).
  const side = Math.min(clamp(0.45 * w, minBox, h - 2 * edge), w - 2 * edge);
  const sideText: Rect = { x: edge + side + mm(0.3), y: pad, w: 0, h: h - 2 * pad };
  sideText.w = w - pad - sideText.x;
  if (sideText.w >= mm(16)) {
    return { qr: { x: edge, y: (h - side) / 2, w: side, h: side }, text: sideText };
  }
  // Stacked: the QR code on top, centred, up to 55 % of the height.
  const top = Math.min(clamp(0.55 * h, minBox, w - 2 * edge), h - 2 * edge);
  const below: Rect = { x: pad, y: edge + top + mm(0.3), w: w - 2 * pad, h: 0 };
  below.h = h - pad - below.y;
  if (below.h >= mm(7) && below.w >= mm(12)) {
    return { qr: { x: (w - top) / 2, y: edge, w: top, h: top }, text: below };
  }
  const alone = minSide - 2 * edge;
  return { qr: { x: (w - alone) / 2, y: (h - alone) / 2, w: alone, h: alone }, text: null };
}

/**
 * Where the QR code (box = quiet zone included; symbol = the dark modules' square) and the text go
 * on a label of the given size for `uri`, in mm from the label's top-left corner; `text` is null
 * when the label only holds the QR code. What `labelSheetPdf` draws.
 */
export function labelGeometryMm(
  label: { widthMm: number; heightMm: number },
  uri: string,
): {
  qr: { xMm: number; yMm: number; boxMm: number; symbolMm: number; modules: number };
  text: { xMm: number; yMm: number; widthMm: number; heightMm: number } | null;
} {
  const { size } = qrMatrix(uri);
  const g = labelGeometry(mm(label.widthMm), mm(label.heightMm), size);
  const toMm = (pt: number) => roundMm(pt / PT_PER_MM);
  return {
    qr: {
      xMm: toMm(g.qr.x),
      yMm: toMm(g.qr.y),
      boxMm: toMm(g.qr.w),
      symbolMm: toMm((g.qr.w * size) / (size + 2 * QUIET_MODULES)),
      modules: size,
    },
    text: g.text
      ? { xMm: toMm(g.text.x), yMm: toMm(g.text.y), widthMm: toMm(g.text.w), heightMm: toMm(g.text.h) }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The label's text: fitted lines.

type Doc = PDFKit.PDFDocument;

interface Segment {
  text: string;
  font: FontName;
  color: string;
}

interface Line {
  segments: Segment[];
  size: number;
  /** Top of the line box, from the top of the text area. */
  y: number;
}

/** The fields in the order of the label, and the order in which they give way (last first). */
type Field = 'name' | 'lot' | 'serial' | 'expiry' | 'gtin' | 'producer';
const DROP_ORDER: Field[] = ['producer', 'serial', 'expiry', 'gtin', 'lot', 'name'];

interface Measure {
  width(text: string, font: FontName, size: number): number;
}

function pdfMeasure(doc: Doc): Measure {
  return {
    width: (text, font, size) => doc.font(font).fontSize(size).widthOfString(text),
  };
}

const ELLIPSIS = '…';

/** `text` cut (at a word if it can) with an ellipsis to fit `width`. */
function truncate(measure: Measure, text: string, font: FontName, size: number, width: number): string {
  if (measure.width(text, font, size) <= width) return text;
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  // the longest prefix that fits with the ellipsis
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const candidate = `${chars.slice(0, mid).join('').trimEnd()}${ELLIPSIS}`;
    if (measure.width(candidate, font, size) <= width) low = mid;
    else high = mid - 1;
  }
  if (low === 0) return measure.width(ELLIPSIS, font, size) <= width ? ELLIPSIS : '';
  const head = chars.slice(0, low).join('');
  const space = head.lastIndexOf(' ');
  const cut = space > head.length * 0.6 ? head.slice(0, space) : head;
  // no "Gốc,…": the punctuation before the cut goes
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '') || cut}${ELLIPSIS}`;
}

/**
 * Greedy word wrap of `text` into at most `maxLines` lines, line i at most `widthAt(i)` wide; a
 * word wider than a line is broken between letters; what does not fit ends in an ellipsis. A dash
 * standing alone stays at the end of the line before ("xuất khẩu —" / "túi 500 g") when that
 * costs no extra line.
 */
function wrap(
  measure: Measure,
  text: string,
  font: FontName,
  size: number,
  maxLines: number,
  widthAt: (line: number) => number,
): string[] {
  const words = text.split(/\s+/).filter((word) => word.length > 0);
  const glued: string[] = [];
  for (const word of words) {
    if (/^[—–-]$/.test(word) && glued.length > 0) glued[glued.length - 1] += ` ${word}`;
    else glued.push(word);
  }
  const plain = wrapWords(measure, words, font, size, maxLines, widthAt);
  if (glued.length === words.length) return plain.lines;
  const better = wrapWords(measure, glued, font, size, maxLines, widthAt);
  return !better.cut && better.lines.length <= plain.lines.length ? better.lines : plain.lines;
}

function wrapWords(
  measure: Measure,
  input: readonly string[],
  font: FontName,
  size: number,
  maxLines: number,
  widthAt: (line: number) => number,
): { lines: string[]; cut: boolean } {
  const words = [...input];
  const lines: string[] = [];
  let cut = false;
  let i = 0;
  while (i < words.length && lines.length < maxLines) {
    const width = widthAt(lines.length);
    const last = lines.length === maxLines - 1;
    let line = '';
    while (i < words.length) {
      const next = line ? `${line} ${words[i]}` : words[i]!;
      if (measure.width(next, font, size) <= width) {
        line = next;
        i++;
        continue;
      }
      if (!line && !last) {
        // one word wider than the line: as many letters as fit, the rest on the next line
        const chars = [...words[i]!];
        let n = 1;
        while (n < chars.length && measure.width(chars.slice(0, n + 1).join(''), font, size) <= width) n++;
        line = chars.slice(0, n).join('');
        words[i] = chars.slice(n).join('');
      }
      break;
    }
    if (last && i < words.length) {
      line = truncate(measure, [line, ...words.slice(i)].join(' ').trim(), font, size, width);
      i = words.length;
      cut = true;
    }
    lines.push(line);
  }
  return { lines, cut };
}

interface TextPlan {
  lines: Line[];
  /** From the top of the first line to the bottom of the last (or of the mark, if lower). */
  height: number;
  /** The OCOP mark's diameter (top-right corner of the text area), or 0 for none. */
  markSize: number;
}

/**
 * The label's lines in a text area of `area` points: the largest type (from `base` down to 60 %)
 * at which everything fits, the name in up to 4 lines and the producer in 2 (else 1), both cut
 * with an ellipsis when longer, each identifier (lot, serial, date, GTIN) whole on its line; else
 * the smallest type with fewer name lines and without the identifiers too wide for the area, then
 * without the fields that give way first. Every line is measured: none is wider than the area
 * (beside the mark, than what the mark leaves) and the last ends inside it.
 */
function planText(measure: Measure, label: LabelContent, area: { w: number; h: number }): TextPlan {
  const markSize =
    label.stars !== null && area.w >= mm(20) && area.h >= mm(12)
      ? Math.max(mm(6), Math.min(mm(11), 0.32 * area.h, 0.3 * area.w))
      : 0;
  const markBottom = markSize > 0 ? markSize + mm(0.6) : 0;
  const besideMark = markSize > 0 ? area.w - markSize - mm(1) : area.w;
  const widthAt = (y: number) => (y < markBottom ? besideMark : area.w);
  const base = Math.max(7, Math.min(16, (area.h / PT_PER_MM) * 0.25));
  const name = nfc(label.productName).replace(/\s+/g, ' ').trim();

  const attempt = (
    scale: number,
    nameLines: number,
    producerLines: number,
    dropped: ReadonlySet<Field>,
    lastResort = false,
  ): TextPlan | null => {
    const nameSize = base * scale;
    const size = Math.max(4.5, nameSize * 0.85);
    const lines: Line[] = [];
    let y = 0;
    if (!dropped.has('name') && name) {
      const step = nameSize * LINE_HEIGHT;
      const wrapped = wrap(measure, name, 'bold', nameSize, nameLines, (i) => widthAt(y + i * step));
      for (const text of wrapped) {
        lines.push({ segments: [{ text, font: 'bold', color: COLOR.ink }], size: nameSize, y });
        y += step;
      }
      y += size * 0.3;
    }
    // An identifier is printed whole or not at all: a cut lot number or GTIN would mislead.
    let tooWide = false;
    const field = (key: Field, caption: string, value: string, font: FontName = 'bold') => {
      if (dropped.has(key)) return;
      const captionWidth = caption ? measure.width(caption, 'regular', size) : 0;
      if (captionWidth + measure.width(value, font, size) > widthAt(y)) {
        // smaller type first; at the smallest, this field only is left out
        if (!lastResort) tooWide = true;
        return;
      }
      const segments: Segment[] = [];
      if (caption) segments.push({ text: caption, font: 'regular', color: COLOR.muted });
      segments.push({ text: value, font, color: COLOR.ink });
      lines.push({ segments, size, y });
      y += size * LINE_HEIGHT;
    };
    field('lot', 'Lô: ', label.lot);
    if (label.serial !== null) field('serial', 'Số sê-ri: ', label.serial);
    if (label.expiryDate !== null) field('expiry', 'HSD: ', dayMonthYear(label.expiryDate));
    field('gtin', '', humanReadableGtin(label.gtin), 'regular');
    const producer = nfc(label.producerName).replace(/\s+/g, ' ').trim();
    if (producer && !dropped.has('producer')) {
      const step = size * LINE_HEIGHT;
      const wrapped = wrap(measure, producer, 'italic', size, producerLines, (i) => widthAt(y + i * step));
      for (const text of wrapped) {
        lines.push({ segments: [{ text, font: 'italic', color: COLOR.muted }], size, y });
        y += step;
      }
    }
    return y <= area.h + 0.01 && !tooWide ? { lines, height: Math.max(y, markSize), markSize } : null;
  };

  const none = new Set<Field>();
  for (let scale = 1; scale >= 0.6 - 1e-9; scale -= 0.05) {
    const plan = attempt(scale, 4, 2, none) ?? attempt(scale, 4, 1, none);
    if (plan) return plan;
  }
  for (const nameLines of [3, 2, 1]) {
    const plan = attempt(0.6, nameLines, 1, none, true);
    if (plan) return plan;
  }
  const dropped = new Set<Field>();
  for (const field of DROP_ORDER) {
    dropped.add(field);
    const plan = attempt(0.6, 1, 1, dropped, true);
    if (plan) return plan;
  }
  return { lines: [], height: markSize, markSize };
}

// ---------------------------------------------------------------------------------------------
// Drawing.

/** A five-point star centred on (cx, cy), one tip up. */
function starPoints(cx: number, cy: number, outer: number): [number, number][] {
  const inner = outer * 0.382;
  const points: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push([cx + r * Math.cos(angle), cy + r * Math.sin(angle)]);
  }
  return points;
}

/**
 * A small round mark of our own: a red ring, "OCOP" in red, the stars in gold below it. Not the
 * programme's registered logo.
 */
function drawOcopMark(doc: Doc, cx: number, cy: number, diameter: number, stars: number): void {
  const r = diameter / 2;
  const ring = Math.max(0.5, diameter * 0.05);
  doc.save();
  doc
    .lineWidth(ring)
    .circle(cx, cy, r - ring / 2)
    .fillAndStroke('#ffffff', COLOR.red);
  doc
    .lineWidth(Math.max(0.25, ring * 0.35))
    .circle(cx, cy, r - ring * 2.2)
    .stroke(COLOR.red);
  doc.font('bold').fontSize(10);
  const wordWidth = 1.1 * r;
  const size = (10 * wordWidth) / doc.widthOfString('OCOP');
  doc.fontSize(size).fillColor(COLOR.red);
  // the top of the font's line box is `size` above the baseline; the word a little above the centre
  const baseline = cy + 0.08 * r;
  doc.text('OCOP', cx - wordWidth / 2, baseline - size, { lineBreak: false });
  // the row of stars under it, clear of the inner ring
  const starRadius = Math.min(0.15 * r, r / (stars * 2.15));
  const step = starRadius * 2.15;
  const starY = cy + 0.38 * r;
  doc.lineWidth(Math.max(0.15, starRadius * 0.12)).lineJoin('round');
  for (let i = 0; i < stars; i++) {
    const x = cx + (i - (stars - 1) / 2) * step;
    doc.polygon(...starPoints(x, starY, starRadius)).fillAndStroke(COLOR.gold, COLOR.goldEdge);
  }
  doc.restore();
}

function drawQr(doc: Doc, matrix: QrMatrix, box: Rect): void {
  const module = box.w / (matrix.size + 2 * QUIET_MODULES);
  const x0 = box.x + QUIET_MODULES * module;
  const y0 = box.y + QUIET_MODULES * module;
  for (const r of matrix.runs) doc.rect(x0 + r.col * module, y0 + r.row * module, r.length * module, module);
  doc.fill('#000000');
}

function drawLabel(
  doc: Doc,
  label: LabelContent,
  origin: { x: number; y: number },
  w: number,
  h: number,
): void {
  const matrix = qrMatrix(label.uri);
  const geometry = labelGeometry(w, h, matrix.size);
  doc.save();
  // Whatever happens, nothing leaves the label.
  doc.rect(origin.x, origin.y, w, h).clip();
  doc.translate(origin.x, origin.y);
  drawQr(doc, matrix, geometry.qr);
  const area = geometry.text;
  if (area) {
    const plan = planText(pdfMeasure(doc), label, area);
    // the block in the middle of the area, beside the QR code's middle
    const top = area.y + Math.max(0, (area.h - plan.height) / 2);
    for (const line of plan.lines) {
      let x = area.x;
      for (const segment of line.segments) {
        if (!segment.text) continue;
        doc.font(segment.font).fontSize(line.size).fillColor(segment.color);
        doc.text(segment.text, x, top + line.y, { lineBreak: false });
        x += doc.widthOfString(segment.text);
      }
    }
    if (plan.markSize > 0 && label.stars !== null) {
      const r = plan.markSize / 2;
      drawOcopMark(doc, area.x + area.w - r, top + r, plan.markSize, label.stars);
    }
  }
  doc.restore();
}

export interface LabelSheetOptions {
  /** The PDF's title; default "Tem truy xuất nguồn gốc". */
  title?: string;
  /** Thin grey lines around each label, for cutting plain paper; off by default. */
  cutGuides?: boolean;
  /** Fixes the creation date (and so the file identifier): same input, same bytes. */
  fixedDate?: Date;
}

/**
 * The labels, in reading order, on as many A4 pages as the layout needs. Throws a RangeError when
 * the layout breaks a rule of `checkLayout`, when there are no labels or more than
 * MAX_LABELS_PER_REQUEST, or when a label's fields are not printable (naming the label).
 */
export async function labelSheetPdf(
  labels: LabelContent[],
  layout: LabelSheetLayout,
  options: LabelSheetOptions = {},
): Promise<Buffer> {
  const checked = checkLayout(layout);
  if (!checked.ok) {
    const list = checked.problems.map((p) => `${p.field} (${p.rule})`).join(', ');
    throw new RangeError(`the label layout breaks these rules: ${list}`);
  }
  if (labels.length < 1 || labels.length > MAX_LABELS_PER_REQUEST) {
    throw new RangeError(`a sheet holds 1 to ${MAX_LABELS_PER_REQUEST} labels, not ${labels.length}`);
  }
  labels.forEach((label, i) => {
    const problem = labelProblem(label);
    if (problem) throw new RangeError(`label ${i + 1}: ${problem}`);
  });

  const perPage = layout.columns * layout.rows;
  const pages = Math.ceil(labels.length / perPage);
  const { doc, done } = openA4Pdf({
    // Absolute layout: no margin, and text drawn without line breaks never starts a page itself.
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    title: options.title ?? 'Tem truy xuất nguồn gốc',
    subject: `${labels.length} tem, ${layout.columns} × ${layout.rows} trên A4 (${pages} trang)`,
    fixedDate: options.fixedDate,
  });
  const w = mm(checked.label.widthMm);
  const h = mm(checked.label.heightMm);
  labels.forEach((label, i) => {
    const slot = i % perPage;
    if (i > 0 && slot === 0) doc.addPage();
    const position = checked.positions[slot]!;
    const origin = { x: mm(position.xMm), y: mm(position.yMm) };
    drawLabel(doc, label, origin, w, h);
    if (options.cutGuides) {
      doc.save().lineWidth(0.25).strokeColor(COLOR.guide).rect(origin.x, origin.y, w, h).stroke().restore();
    }
  });
  doc.end();
  return done;
}
