/**
 * The OCOP mark label (tem nhãn OCOP) as print-ready SVG artwork: a round seal — "OCOP" large, the
 * stars the product was recognised with on an arc above it, "MỖI XÃ MỘT SẢN PHẨM" along the top of
 * the ring and "VIỆT NAM" along its bottom — and, beside it, the QR code of the certificate's
 * verification page with the certificate's number and end date. 70 mm × 32 mm, vector only.
 *
 * Our own drawing, not the official trademark logo. The ring's letters are placed one by one (no
 * `<textPath>`, which librsvg — and so `sharp` — does not draw), from a fixed table of widths: the
 * same input always gives the same string.
 *
 * The QR code is also drawn by the printed certificate (`certificate.pdf.ts`): both take its
 * modules from `qrRuns`.
 */
import QRCode from 'qrcode';

export interface OcopMarkInput {
  /** 3, 4 or 5: a product with fewer stars carries no mark. */
  stars: number;
  /** The certificate's number, printed "GCN số …". */
  number: string;
  /** 'YYYY-MM-DD', printed "Hiệu lực đến dd/mm/yyyy". */
  validUntil: string;
  /** The signed public verification URL the QR code encodes. */
  verifyUrl: string;
  /** Demo data: "DỮ LIỆU MINH HOẠ" across the label. */
  isDemo?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Shared with the certificate.

/** A QR code as horizontal runs of dark modules (row, first column, length) and its size in modules. */
export interface QrRuns {
  size: number;
  runs: { row: number; col: number; length: number }[];
}

/** The QR code of `text` (error correction M, as printed labels need), dark modules merged by row. */
export function qrRuns(text: string): QrRuns {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const runs: QrRuns['runs'] = [];
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
  return { size, runs };
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy'; anything else as given. */
export function dayMonthYear(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * The points of a five-point star centred on (cx, cy), one tip up, as "x,y x,y …" (ten corners,
 * inner radius at the regular star's ratio).
 */
export function starPoints(cx: number, cy: number, outer: number, inner = outer * 0.382): number[][] {
  const points: number[][] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push([round(cx + r * Math.cos(angle)), round(cy + r * Math.sin(angle))]);
  }
  return points;
}

// ---------------------------------------------------------------------------------------------
// The label.

const W = 700; // viewBox units: 0.1 mm
const H = 320;
const RED = '#b91c1c';
const GOLD = '#f2b705';
const GOLD_EDGE = '#8a5a00';
const INK = '#1f1f1f';
const FONT = 'Be Vietnam Pro, Arial, sans-serif';

const SEAL = { cx: 160, cy: 160, outer: 148, inner: 110 };
const QR_BOX = { x: 395, y: 8, size: 220 };
const QR_QUIET = 4;
const TEXT = { cx: 505, width: 360 };

const round = (n: number) => Math.round(n * 100) / 100;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text and attribute values for XML; control characters other than tab and line breaks removed. */
export function escapeXml(text: string): string {
  return [...text.normalize('NFC')]
    .filter((c) => {
      const code = c.codePointAt(0)!;
      return (
        (code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) &&
        code !== 0xfffe &&
        code !== 0xffff
      );
    })
    .join('')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/**
 * A generous estimate of a character's advance in em, after Be Vietnam Pro Bold (wider than
 * Arial, the fallback): enough to space the ring's letters and to tell when a line must shrink.
 */
function advance(c: string): number {
  const base = c.normalize('NFD')[0] ?? c;
  if (base === ' ') return 0.24;
  if (/[MWmw]/.test(base)) return 1;
  if (/[Iijl.,:;|!'"]/.test(base)) return 0.32;
  if (/[frt]/.test(base)) return 0.44;
  if (/[A-Z<>&]/.test(base)) return 0.76;
  if (/[a-z]/.test(base)) return 0.64;
  if (/[0-9]/.test(base)) return 0.68;
  if (/[/\\-]/.test(base)) return 0.5;
  return 0.76;
}

const textWidth = (text: string, size: number) =>
  [...text.normalize('NFC')].reduce((sum, c) => sum + advance(c), 0) * size;

/**
 * One line of text centred on x, its size reduced when the estimate says it would not fit in
 * `maxWidth` (`textLength` would do it exactly, but librsvg ignores it).
 */
function line(text: string, x: number, y: number, size: number, weight: number, maxWidth: number): string {
  const fitted = round(Math.min(size, (size * maxWidth) / textWidth(text, size)));
  return `<text x="${x}" y="${y}" font-size="${fitted}" font-weight="${weight}" text-anchor="middle">${escapeXml(text)}</text>`;
}

/**
 * Letters along a circle around the seal's centre, one `<text>` each. `top`: read left to right
 * over the top, upright outward, baseline at `radius`; otherwise left to right under the bottom,
 * upright inward.
 */
function arcText(text: string, radius: number, size: number, top: boolean, spacing: number): string {
  const chars = [...text.normalize('NFC')];
  const widths = chars.map((c) => (advance(c) + spacing) * size);
  const total = widths.reduce((a, b) => a + b, 0) - spacing * size;
  let along = -total / 2;
  const parts: string[] = [];
  chars.forEach((c, i) => {
    const w = widths[i]!;
    const middle = along + (w - spacing * size) / 2;
    along += w;
    if (c === ' ') return;
    const theta = top ? -Math.PI / 2 + middle / radius : Math.PI / 2 - middle / radius;
    const x = round(SEAL.cx + radius * Math.cos(theta));
    const y = round(SEAL.cy + radius * Math.sin(theta));
    const rotate = round(((theta * 180) / Math.PI + (top ? 90 : -90)) % 360);
    parts.push(
      `<text x="${x}" y="${y}" transform="rotate(${rotate} ${x} ${y})" text-anchor="middle">${escapeXml(c)}</text>`,
    );
  });
  return parts.join('');
}

const polygon = (points: number[][], attributes: string) =>
  `<polygon ${attributes} points="${points.map(([x, y]) => `${x},${y}`).join(' ')}"/>`;

/** The stars on an arc above "OCOP", 26° apart, centred on the top. */
function sealStars(stars: number): string {
  const radius = 74;
  const step = (26 * Math.PI) / 180;
  const out: string[] = [];
  for (let i = 0; i < stars; i++) {
    const theta = -Math.PI / 2 + (i - (stars - 1) / 2) * step;
    const x = SEAL.cx + radius * Math.cos(theta);
    const y = SEAL.cy + radius * Math.sin(theta);
    out.push(
      polygon(
        starPoints(x, y, 15),
        `class="star" fill="${GOLD}" stroke="${GOLD_EDGE}" stroke-width="1.5" stroke-linejoin="round"`,
      ),
    );
  }
  return out.join('');
}

function seal(stars: number): string {
  const { cx, cy, outer, inner } = SEAL;
  const band = (outer + inner) / 2;
  const dot = (x: number) => polygon(starPoints(x, cy, 7), 'fill="#ffffff"');
  return [
    `<g class="seal">`,
    `<circle cx="${cx}" cy="${cy}" r="${outer}" fill="${RED}"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${outer - 5}" fill="none" stroke="#ffffff" stroke-width="1.5"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${inner}" fill="#ffffff"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${inner - 6}" fill="none" stroke="${RED}" stroke-width="1.5"/>`,
    `<g fill="#ffffff" font-size="21" font-weight="700">`,
    arcText('MỖI XÃ MỘT SẢN PHẨM', inner + 7, 21, true, 0.05),
    arcText('VIỆT NAM', outer - 13, 21, false, 0.16),
    `</g>`,
    dot(cx - band),
    dot(cx + band),
    sealStars(stars),
    `<text x="${cx}" y="${cy + 28}" font-size="58" font-weight="700" fill="${RED}" text-anchor="middle">OCOP</text>`,
    `<text x="${cx}" y="${cy + 70}" font-size="24" font-weight="700" fill="${INK}" text-anchor="middle">${stars} SAO</text>`,
    `</g>`,
  ].join('');
}

/** The QR code in its box, quiet zone included: one path of dark runs, module = 1 unit. */
function qrCode(url: string): string {
  const { size, runs } = qrRuns(url);
  const view = size + 2 * QR_QUIET;
  const d = runs.map((r) => `M${r.col} ${r.row}h${r.length}v1h-${r.length}z`).join('');
  return [
    `<svg class="qr" x="${QR_BOX.x}" y="${QR_BOX.y}" width="${QR_BOX.size}" height="${QR_BOX.size}"`,
    ` viewBox="${-QR_QUIET} ${-QR_QUIET} ${view} ${view}" data-modules="${size}" shape-rendering="crispEdges">`,
    `<rect x="${-QR_QUIET}" y="${-QR_QUIET}" width="${view}" height="${view}" fill="#ffffff"/>`,
    `<path fill="#000000" d="${d}"/>`,
    `</svg>`,
  ].join('');
}

/**
 * The label's SVG. Throws a RangeError unless `stars` is 3, 4 or 5 (the module never asks for a
 * mark otherwise).
 */
export function renderOcopMarkSvg(input: OcopMarkInput): string {
  const { stars } = input;
  if (!Number.isInteger(stars) || stars < 3 || stars > 5) {
    throw new RangeError(`an OCOP mark has 3, 4 or 5 stars, not ${stars}`);
  }
  const label = `Nhãn OCOP ${stars} sao, giấy chứng nhận số ${input.number}, hiệu lực đến ${dayMonthYear(input.validUntil)}`;
  // Over the seal, not the QR code, which must still scan.
  const demo = input.isDemo
    ? [
        `<g class="demo" transform="rotate(-24 ${SEAL.cx} ${SEAL.cy})" font-size="34" font-weight="700"`,
        ` fill="#000000" fill-opacity="0.6" stroke="#ffffff" stroke-width="3" paint-order="stroke" text-anchor="middle">`,
        `<text x="${SEAL.cx}" y="${SEAL.cy - 6}">${escapeXml('DỮ LIỆU')}</text>`,
        `<text x="${SEAL.cx}" y="${SEAL.cy + 32}">${escapeXml('MINH HOẠ')}</text>`,
        `</g>`,
      ].join('')
    : '';
  return [
    `<?xml version="1.0" encoding="UTF-8"?>\n`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="70mm" height="32mm" viewBox="0 0 ${W} ${H}"`,
    ` role="img" aria-label="${escapeXml(label)}" font-family="${FONT}">`,
    `<title>${escapeXml(label)}</title>`,
    `<rect x="2" y="2" width="${W - 4}" height="${H - 4}" rx="18" fill="#ffffff" stroke="${RED}" stroke-width="3"/>`,
    seal(stars),
    qrCode(input.verifyUrl),
    `<g fill="${INK}">`,
    line(`GCN số ${input.number}`, TEXT.cx, 262, 24, 700, TEXT.width),
    line(`Hiệu lực đến ${dayMonthYear(input.validUntil)}`, TEXT.cx, 296, 24, 400, TEXT.width),
    `</g>`,
    demo,
    `</svg>\n`,
  ].join('');
}
