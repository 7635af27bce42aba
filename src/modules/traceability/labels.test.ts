import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import QRCode from 'qrcode';
import sharp from 'sharp';
import {
  checkLayout,
  DEFAULT_LAYOUT,
  humanReadableGtin,
  type LabelContent,
  type LabelSheetLayout,
  labelGeometryMm,
  labelSheetPdf,
  MAX_LABELS_PER_REQUEST,
  qrPng,
  qrSvg,
  serialRange,
} from './labels.ts';

const URI = 'https://ocop.example.vn/01/08930000000019/10/L2026-05A/21/RG0001';
const LONG_NAME = 'Tôm khô Rạch Gốc loại đặc biệt xuất khẩu — túi 500 g';
const FIXED = new Date('2026-06-01T00:00:00Z');

function label(i: number, overrides: Partial<LabelContent> = {}): LabelContent {
  const serial = `RG${String(i + 1).padStart(4, '0')}`;
  return {
    uri: `https://ocop.example.vn/01/08930000000019/10/L2026-05A/21/${serial}`,
    productName: LONG_NAME,
    gtin: '8930000000019',
    lot: 'L2026-05A',
    serial,
    expiryDate: '2027-03-15',
    stars: i % 2 === 0 ? 4 : null,
    producerName: 'HTX Thủy sản Rạch Gốc, Ngọc Hiển, Cà Mau',
    ...overrides,
  };
}

const layout = (overrides: Partial<LabelSheetLayout>): LabelSheetLayout => ({
  ...DEFAULT_LAYOUT,
  ...overrides,
});

function problemsOf(l: LabelSheetLayout): string[] {
  const result = checkLayout(l);
  return result.ok ? [] : result.problems.map((p) => `${p.field}:${p.rule}`);
}

const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;

const has = (tool: string) => spawnSync(tool, ['-v'], { encoding: 'utf8' }).error === undefined;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-labels-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('checkLayout', () => {
  it('gives the default sheet 24 labels of 70 × 37 mm, symmetric, inside A4', () => {
    const result = checkLayout(DEFAULT_LAYOUT);
    assert.ok(result.ok);
    assert.deepEqual(result.label, { widthMm: 70, heightMm: 37 });
    assert.equal(result.positions.length, 24);
    assert.deepEqual(result.positions[0], { xMm: 0, yMm: 0.5 });
    assert.deepEqual(result.positions[1], { xMm: 70, yMm: 0.5 }, 'reading order: along the row first');
    assert.deepEqual(result.positions[3], { xMm: 0, yMm: 37.5 });
    const last = result.positions[23]!;
    assert.deepEqual(last, { xMm: 140, yMm: 259.5 });
    // what is left on the right and at the bottom equals the left and top margins
    assert.equal(210 - (last.xMm + result.label.widthMm), DEFAULT_LAYOUT.marginLeftMm);
    assert.equal(297 - (last.yMm + result.label.heightMm), DEFAULT_LAYOUT.marginTopMm);
    for (const p of result.positions) {
      assert.ok(p.xMm >= 0 && p.xMm + result.label.widthMm <= 210);
      assert.ok(p.yMm >= 0 && p.yMm + result.label.heightMm <= 297);
    }
  });

  it('shares margins and gaps out symmetrically', () => {
    const result = checkLayout({
      columns: 2,
      rows: 3,
      marginTopMm: 10,
      marginLeftMm: 5,
      gapXMm: 4,
      gapYMm: 3,
    });
    assert.ok(result.ok);
    assert.deepEqual(result.label, { widthMm: 98, heightMm: 90.333 });
    assert.deepEqual(
      result.positions.map((p) => [p.xMm, p.yMm]),
      [
        [5, 10],
        [107, 10],
        [5, 103.333],
        [107, 103.333],
        [5, 196.667],
        [107, 196.667],
      ],
    );
    const last = result.positions.at(-1)!;
    assert.equal(210 - (last.xMm + result.label.widthMm), 5);
    assert.ok(Math.abs(297 - (last.yMm + result.label.heightMm) - 10) < 0.002);
  });

  it('takes 1 × 1 (the whole page) and 10 columns of 21 mm', () => {
    const one = checkLayout(layout({ columns: 1, rows: 1, marginTopMm: 0, marginLeftMm: 0 }));
    assert.ok(one.ok);
    assert.deepEqual(one.label, { widthMm: 210, heightMm: 297 });
    assert.deepEqual(one.positions, [{ xMm: 0, yMm: 0 }]);
    const narrow = checkLayout(layout({ columns: 10, rows: 14, marginTopMm: 0, marginLeftMm: 0 }));
    assert.ok(narrow.ok);
    assert.equal(narrow.positions.length, 140);
    assert.deepEqual(narrow.label, { widthMm: 21, heightMm: 21.214 });
  });

  it('refuses 10 × 20 on A4: 14.85 mm labels are below 20 mm, though 10 and 20 are allowed counts', () => {
    assert.deepEqual(problemsOf(layout({ columns: 10, rows: 20, marginTopMm: 0 })), [
      'labelHeightMm:minLabelSize',
    ]);
  });

  it('refuses counts that are not whole or out of range', () => {
    assert.deepEqual(problemsOf(layout({ columns: 2.5 })), ['columns:integer']);
    assert.deepEqual(problemsOf(layout({ rows: Number.NaN })), ['rows:integer']);
    assert.deepEqual(problemsOf(layout({ columns: 0 })), ['columns:range']);
    assert.deepEqual(problemsOf(layout({ columns: 11 })), ['columns:range']);
    assert.deepEqual(problemsOf(layout({ rows: 0 })), ['rows:range']);
    assert.deepEqual(problemsOf(layout({ rows: 21 })), ['rows:range']);
  });

  it('refuses negative, absurd and non-finite margins and gaps, every one named', () => {
    assert.deepEqual(problemsOf(layout({ marginTopMm: -1 })), ['marginTopMm:minimum']);
    assert.deepEqual(problemsOf(layout({ marginLeftMm: 51 })), ['marginLeftMm:maximum']);
    assert.deepEqual(problemsOf(layout({ gapXMm: Number.POSITIVE_INFINITY })), ['gapXMm:number']);
    assert.deepEqual(problemsOf(layout({ gapYMm: 31 })), ['gapYMm:maximum']);
    assert.deepEqual(problemsOf(layout({ gapYMm: -0.1, columns: 3.2 })), [
      'columns:integer',
      'gapYMm:minimum',
    ]);
  });

  it('refuses labels under 20 × 20 mm and layouts that do not fit the page', () => {
    // (210 - 2·5 - 9·1) / 10 = 19.1 mm
    assert.deepEqual(problemsOf(layout({ columns: 10, marginLeftMm: 5, gapXMm: 1 })), [
      'labelWidthMm:minLabelSize',
    ]);
    assert.deepEqual(problemsOf(layout({ columns: 10, marginLeftMm: 5, gapXMm: 0 })), []);
    // 2·50 + 4·30 = 220 mm > 210 mm
    assert.deepEqual(problemsOf(layout({ columns: 5, marginLeftMm: 50, gapXMm: 30 })), [
      'labelWidthMm:fitsPage',
    ]);
    assert.deepEqual(problemsOf(layout({ rows: 20, marginTopMm: 50, gapYMm: 30 })), [
      'labelHeightMm:fitsPage',
    ]);
  });
});

describe('labelGeometryMm', () => {
  it('puts a QR symbol of at least 15 mm on the left of the default label, text beside it', () => {
    const g = labelGeometryMm({ widthMm: 70, heightMm: 37 }, URI);
    assert.ok(g.qr.symbolMm >= 15, `${g.qr.symbolMm} mm`);
    assert.ok(g.qr.xMm >= 0 && g.qr.xMm < 2);
    assert.ok(g.text);
    assert.ok(g.text.xMm >= g.qr.xMm + g.qr.boxMm, 'the text starts after the quiet zone');
    assert.ok(g.text.xMm + g.text.widthMm <= 70 && g.text.yMm + g.text.heightMm <= 37);
  });

  it('keeps the symbol at 15 mm or more on the smallest labels any layout allows', () => {
    for (const size of [
      { widthMm: 20, heightMm: 20 },
      { widthMm: 21, heightMm: 21.214 },
      { widthMm: 38.4, heightMm: 26.9 },
      { widthMm: 26.25, heightMm: 49.5 },
      { widthMm: 210, heightMm: 20 },
    ]) {
      const g = labelGeometryMm(size, URI);
      assert.ok(g.qr.symbolMm >= 15, `${JSON.stringify(size)}: ${g.qr.symbolMm} mm`);
      assert.ok(g.qr.xMm >= 0 && g.qr.yMm >= 0);
      assert.ok(
        g.qr.xMm + g.qr.boxMm <= size.widthMm + 1e-6 && g.qr.yMm + g.qr.boxMm <= size.heightMm + 1e-6,
      );
      if (g.text) {
        assert.ok(
          g.text.xMm + g.text.widthMm <= size.widthMm && g.text.yMm + g.text.heightMm <= size.heightMm,
        );
      }
    }
    assert.equal(labelGeometryMm({ widthMm: 20, heightMm: 20 }, URI).text, null, 'room for the QR code only');
    const tall = labelGeometryMm({ widthMm: 26.25, heightMm: 49.5 }, URI);
    assert.ok(tall.text && tall.text.yMm >= tall.qr.yMm + tall.qr.boxMm, 'narrow and tall: text under it');
  });
});

describe('qrSvg', () => {
  it('is the same string for the same URI', () => {
    assert.equal(qrSvg(URI), qrSvg(URI));
    assert.notEqual(qrSvg(URI), qrSvg(`${URI}X`));
  });

  it('has the module count of the symbol version, in a viewBox with a 4-module quiet zone', () => {
    const { version, modules } = QRCode.create(URI, { errorCorrectionLevel: 'M' });
    assert.equal(modules.size, 17 + 4 * version);
    const svg = qrSvg(URI);
    const total = modules.size + 8;
    assert.match(svg, new RegExp(`viewBox="0 0 ${total} ${total}"`));
    assert.match(svg, new RegExp(`width="${total * 8}" height="${total * 8}"`));
    assert.match(svg, /shape-rendering="crispEdges"/);
    assert.equal(svg.match(/<path /g)?.length, 1);
    // the top row of the top-left finder pattern: 7 dark modules from (4, 4)
    assert.match(svg, /d="M4 4h7v1h-7z/);
    // version 1 (21 modules) for a short text
    const hello = qrSvg('HELLO', { quietZoneModules: 2, moduleSizePx: 1 });
    assert.match(hello, /viewBox="0 0 25 25"/);
    assert.match(hello, /width="25" height="25"/);
  });

  it('uses error correction M', () => {
    const m = QRCode.create(URI, { errorCorrectionLevel: 'M' }).modules.size;
    const h = QRCode.create(URI, { errorCorrectionLevel: 'H' }).modules.size;
    assert.notEqual(m, h);
    assert.match(qrSvg(URI, { quietZoneModules: 0 }), new RegExp(`viewBox="0 0 ${m} ${m}"`));
  });

  it('carries the URI as its title, escaped', () => {
    const svg = qrSvg('https://ocop.example.vn/01/08930000000019?a=1&b=<2>');
    assert.match(svg, /<title>https:\/\/ocop\.example\.vn\/01\/08930000000019\?a=1&amp;b=&lt;2&gt;<\/title>/);
  });

  it('refuses an empty URI and impossible options', () => {
    assert.throws(() => qrSvg(''), RangeError);
    assert.throws(() => qrSvg(URI, { moduleSizePx: 0 }), RangeError);
    assert.throws(() => qrSvg(URI, { quietZoneModules: 1.5 }), RangeError);
    assert.throws(() => qrSvg('x'.repeat(3000)), RangeError);
  });
});

describe('qrPng', () => {
  it('is 512 px square by default, black on white, whole-pixel modules', async () => {
    const png = await qrPng(URI);
    const meta = await sharp(png).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, 512);
    assert.equal(meta.height, 512);
    assert.equal(meta.channels, 1, 'one grey channel');
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => data[y * info.width + x]!;
    assert.ok(
      [...data].every((v) => v === 0 || v === 255),
      'only black and white',
    );
    const size = QRCode.create(URI, { errorCorrectionLevel: 'M' }).modules.size;
    const modulePx = Math.floor(512 / (size + 8));
    const start = Math.floor((512 - modulePx * (size + 8)) / 2) + 4 * modulePx;
    assert.equal(pixel(0, 0), 255, 'the quiet zone is white');
    assert.equal(pixel(start, start), 0, 'the finder pattern starts after 4 modules');
    assert.equal(pixel(start - 1, start), 255);
    assert.equal(pixel(start + modulePx, start + modulePx), 255, 'the finder pattern’s white ring');
  });

  it('honours sizePx within 64–4096 and is deterministic', async () => {
    for (const sizePx of [64, 300, 4096]) {
      const meta = await sharp(await qrPng(URI, { sizePx })).metadata();
      assert.deepEqual([meta.width, meta.height], [sizePx, sizePx]);
    }
    assert.deepEqual(await qrPng(URI, { sizePx: 200 }), await qrPng(URI, { sizePx: 200 }));
    for (const sizePx of [63, 4097, 100.5]) {
      await assert.rejects(qrPng(URI, { sizePx }), RangeError);
    }
  });
});

describe('serialRange', () => {
  it('pads to the width of the last number', () => {
    assert.deepEqual(serialRange('A', 98, 3), ['A098', 'A099', 'A100']);
    assert.deepEqual(serialRange('', 1, 1), ['1']);
    assert.deepEqual(serialRange('RG-', 9, 2), ['RG-09', 'RG-10']);
    const all = serialRange('X', 1, MAX_LABELS_PER_REQUEST);
    assert.equal(all.length, 2000);
    assert.equal(all[0], 'X0001');
    assert.equal(all.at(-1), 'X2000');
  });

  it('refuses counts and starts out of bounds', () => {
    assert.throws(() => serialRange('A', 1, 0), /count must be a whole number from 1 to 2000/);
    assert.throws(() => serialRange('A', 1, MAX_LABELS_PER_REQUEST + 1), RangeError);
    assert.throws(() => serialRange('A', 1, 1.5), RangeError);
    assert.throws(() => serialRange('A', 0, 1), /first must be a whole number from 1/);
    assert.throws(() => serialRange('A', -5, 1), RangeError);
    assert.throws(() => serialRange('A', 2.5, 1), RangeError);
  });

  it('refuses serials over 20 characters or outside GS1 character set 82', () => {
    assert.equal(serialRange('P'.repeat(16), 1, 2000).at(-1)!.length, 20);
    assert.throws(
      () => serialRange('P'.repeat(17), 1, 2000),
      /21 characters; GS1 AI \(21\) allows at most 20/,
    );
    assert.throws(
      () => serialRange('ABCDEFGHIJKLMN', 999_999, 2),
      /ABCDEFGHIJKLMN1000000 would have 21 characters/,
    );
    assert.throws(() => serialRange('', 2 ** 53, 1), RangeError);
    assert.throws(() => serialRange('Lô', 1, 1), /character set 82/);
    assert.throws(() => serialRange('A B', 1, 1), /character set 82/);
    assert.throws(() => serialRange('A#', 1, 1), /character set 82/);
  });
});

describe('labelSheetPdf', () => {
  it('puts 25 labels on 3 × 8 on two A4 pages, 24 on one', async () => {
    const pdf = await labelSheetPdf(
      Array.from({ length: 25 }, (_, i) => label(i)),
      DEFAULT_LAYOUT,
      { fixedDate: FIXED },
    );
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(pageCount(pdf), 2);
    const one = await labelSheetPdf(
      Array.from({ length: 24 }, (_, i) => label(i)),
      DEFAULT_LAYOUT,
    );
    assert.equal(pageCount(one), 1);
  });

  it('gives the same bytes for the same labels and date', async () => {
    const labels = Array.from({ length: 5 }, (_, i) => label(i));
    const a = await labelSheetPdf(labels, DEFAULT_LAYOUT, { fixedDate: FIXED, title: 'Tem lô L2026-05A' });
    const b = await labelSheetPdf(labels, DEFAULT_LAYOUT, { fixedDate: FIXED, title: 'Tem lô L2026-05A' });
    assert.deepEqual(a, b);
  });

  it('refuses a bad layout, no labels, too many, and unprintable fields', async () => {
    await assert.rejects(labelSheetPdf([label(0)], layout({ columns: 11 })), /columns \(range\)/);
    await assert.rejects(labelSheetPdf([], DEFAULT_LAYOUT), RangeError);
    await assert.rejects(
      labelSheetPdf(
        Array.from({ length: MAX_LABELS_PER_REQUEST + 1 }, () => label(0)),
        DEFAULT_LAYOUT,
      ),
      /1 to 2000 labels/,
    );
    const bad: [Partial<LabelContent>, RegExp][] = [
      [{ gtin: '8930000000018' }, /label 2: gtin/],
      [{ gtin: '893000000001' }, /gtin/],
      [{ lot: '' }, /lot/],
      [{ lot: 'Lô-1' }, /lot "Lô-1" must be 1–20 characters of GS1 character set 82/],
      [{ serial: 'S'.repeat(21) }, /serial/],
      [{ expiryDate: '2027-02-30' }, /expiryDate/],
      [{ expiryDate: '15/03/2027' }, /expiryDate/],
      [{ stars: 2 }, /stars/],
      [{ stars: 4.5 }, /stars/],
      [{ uri: '' }, /uri/],
    ];
    for (const [overrides, message] of bad) {
      await assert.rejects(labelSheetPdf([label(0), label(1, overrides)], DEFAULT_LAYOUT), message);
    }
  });

  it('renders with pdftoppm: one A4 image per page', {
    skip: !has('pdftoppm') && 'pdftoppm absent',
  }, async () => {
    const file = path.join(tmp, 'sheet.pdf');
    fs.writeFileSync(
      file,
      await labelSheetPdf(
        Array.from({ length: 25 }, (_, i) => label(i)),
        DEFAULT_LAYOUT,
      ),
    );
    const run = spawnSync('pdftoppm', ['-r', '60', '-png', file, path.join(tmp, 'page')], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const pages = fs.readdirSync(tmp).filter((f) => /^page-\d+\.png$/.test(f));
    assert.equal(pages.length, 2);
    const meta = await sharp(path.join(tmp, pages[0]!)).metadata();
    // 210 × 297 mm at 60 dpi: 496.1 × 701.6 px, as pdftoppm rounds them
    assert.ok(
      Math.abs(meta.width! - 496) <= 1 && Math.abs(meta.height! - 702) <= 1,
      `${meta.width} × ${meta.height}`,
    );
  });

  describe('text stays inside each label', { skip: !has('pdftotext') && 'pdftotext absent' }, () => {
    interface Word {
      page: number;
      xMin: number;
      yMin: number;
      xMax: number;
      yMax: number;
      text: string;
    }

    /** The words of the PDF with their boxes, in points (pdftotext -bbox). */
    function words(pdf: Buffer, name: string): Word[] {
      const file = path.join(tmp, `${name}.pdf`);
      fs.writeFileSync(file, pdf);
      const run = spawnSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const out: Word[] = [];
      let page = 0;
      for (const line of run.stdout.split('\n')) {
        if (line.includes('<page ')) page++;
        const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(
          line,
        );
        if (m) {
          out.push({ page, xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]!, text: m[5]! });
        }
      }
      return out;
    }

    async function assertInside(labels: LabelContent[], l: LabelSheetLayout, name: string): Promise<Word[]> {
      // labels of about 21 mm hold the QR code only
      const checked = checkLayout(l);
      assert.ok(checked.ok);
      const pt = 72 / 25.4;
      const w = checked.label.widthMm * pt;
      const h = checked.label.heightMm * pt;
      const found = words(await labelSheetPdf(labels, l), name);
      assert.ok(found.length > 0 || checked.label.widthMm < 25, `${name}: no text at all`);
      for (const word of found) {
        const inside = checked.positions.some((p) => {
          const x = p.xMm * pt;
          const y = p.yMm * pt;
          return (
            word.xMin >= x - 0.01 &&
            word.xMax <= x + w + 0.01 &&
            word.yMin >= y - 0.01 &&
            word.yMax <= y + h + 0.01
          );
        });
        assert.ok(
          inside,
          `${name}: "${word.text}" at ${word.xMin},${word.yMin}–${word.xMax},${word.yMax} crosses a label edge`,
        );
      }
      return found;
    }

    it('on the default sheet, with the fields in Vietnamese and the mark only where stars are given', async () => {
      const labels = [
        label(0, { productName: LONG_NAME.normalize('NFD') }),
        label(1, { serial: null, expiryDate: null }),
        label(2, { productName: 'Mật ong U Minh', stars: 5 }),
        label(3, { productName: `${LONG_NAME} ${LONG_NAME} ${LONG_NAME}`, stars: 3 }),
      ];
      const found = await assertInside(labels, DEFAULT_LAYOUT, 'default');
      const text = found.map((w) => w.text).join(' ');
      assert.ok(text.includes('Tôm khô Rạch Gốc'), 'NFC Vietnamese, one glyph per letter');
      assert.ok(text.includes('Lô: L2026-05A'));
      assert.ok(text.includes('Số sê-ri: RG0001'));
      assert.ok(text.includes('HSD: 15/03/2027'));
      assert.ok(text.includes(humanReadableGtin('8930000000019')));
      assert.equal(humanReadableGtin('8930000000019'), '(01) 08930000000019');
      assert.equal(found.filter((w) => w.text === 'OCOP').length, 3, 'labels 1, 3 and 4 have stars');
      assert.ok(!text.includes('RG0002'), 'label 2 has no serial line');
    });

    it('on small, narrow and large labels, with long fields', async () => {
      const labels = [
        label(0, { lot: 'L'.repeat(20), serial: 'S'.repeat(20), productName: 'Xoài-cát-Hòa-Lộc-'.repeat(6) }),
        label(1, { producerName: 'Hợp tác xã '.repeat(12) }),
        label(2),
      ];
      const layouts: [string, LabelSheetLayout][] = [
        ['5x10', { columns: 5, rows: 10, marginTopMm: 5, marginLeftMm: 5, gapXMm: 2, gapYMm: 2 }],
        ['8x6', { columns: 8, rows: 6, marginTopMm: 0, marginLeftMm: 0, gapXMm: 0, gapYMm: 0 }],
        ['10x14', { columns: 10, rows: 14, marginTopMm: 0, marginLeftMm: 0, gapXMm: 0, gapYMm: 0 }],
        ['4x10', { columns: 4, rows: 10, marginTopMm: 13, marginLeftMm: 4.5, gapXMm: 2.5, gapYMm: 0 }],
        ['2x4', { columns: 2, rows: 4, marginTopMm: 10, marginLeftMm: 10, gapXMm: 5, gapYMm: 5 }],
        ['1x1', { columns: 1, rows: 1, marginTopMm: 0, marginLeftMm: 0, gapXMm: 0, gapYMm: 0 }],
      ];
      for (const [name, l] of layouts) {
        const found = await assertInside(labels, l, name);
        // an identifier is whole or absent, never cut
        for (const word of found) assert.ok(!/^(L{1,19}|S{1,19})…$/.test(word.text), `${name}: ${word.text}`);
      }
    });
  });
});
