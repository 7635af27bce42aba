import assert from 'node:assert/strict';
import { test } from 'node:test';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { escapeXml, type OcopMarkInput, qrRuns, renderOcopMarkSvg } from './ocop-mark.ts';

const input = (changes: Partial<OcopMarkInput> = {}): OcopMarkInput => ({
  stars: 4,
  number: '125/GCN-UBND',
  validUntil: '2029-06-05',
  verifyUrl: 'https://ocop.example.gov.vn/xac-minh/GCN-2026-000125?sig=AbCdEf0123456789',
  ...changes,
});

/**
 * A minimal well-formedness check: one root, every tag closed in order, attributes quoted, no
 * raw `<` or stray `&` in text or attribute values. Returns the element names, in order.
 */
function checkWellFormed(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
  const stack: string[] = [];
  const names: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < body.length) {
    if (body[i] === '<') {
      tag.lastIndex = i;
      const m = tag.exec(body);
      assert.ok(m, `a well-formed tag at ${i}: ${body.slice(i, i + 60)}`);
      const [whole, closing, name, attributes, selfClosing] = m;
      assert.ok(!attributes!.replace(entity, '').includes('&'), `escaped attributes in <${name}>`);
      if (closing) {
        assert.equal(stack.pop(), name, `</${name}> closes the open element`);
      } else {
        if (stack.length === 0) roots++;
        names.push(name!);
        if (!selfClosing) stack.push(name!);
      }
      i += whole.length;
    } else {
      const next = body.indexOf('<', i);
      const text = body.slice(i, next === -1 ? body.length : next);
      assert.ok(!text.replace(entity, '').includes('&'), `escaped text: ${text}`);
      if (stack.length === 0) assert.equal(text.trim(), '', 'nothing outside the root');
      i += text.length;
    }
  }
  assert.deepEqual(stack, [], 'every element closed');
  assert.equal(roots, 1, 'one root element');
  return names;
}

/** The dark modules of the QR path ("M{col} {row}h{n}v1h-{n}z" runs) as "row,col" keys. */
function darkModules(svg: string): Set<string> {
  const qr = /<svg class="qr"[^>]*>[\s\S]*?<path fill="#000000" d="([^"]*)"\/>/.exec(svg);
  assert.ok(qr, 'the QR code is a nested svg with one path');
  const dark = new Set<string>();
  for (const [, col, row, length] of qr[1]!.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let c = 0; c < Number(length); c++) dark.add(`${row},${Number(col) + c}`);
  }
  assert.equal(qr[1]!.replace(/M(\d+) (\d+)h(\d+)v1h-\3z/g, ''), '', 'only runs in the path');
  return dark;
}

test('an SVG of 70 × 32 mm, well-formed, that sharp (librsvg) reads and draws', async () => {
  const svg = renderOcopMarkSvg(input());
  const names = checkWellFormed(svg);
  assert.equal(names[0], 'svg');
  assert.match(
    svg,
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
  );
  assert.match(svg, / width="70mm" height="32mm" viewBox="0 0 700 320"/);
  assert.match(svg, /font-family="Be Vietnam Pro, Arial, sans-serif"/);
  assert.doesNotMatch(svg, /<image|data:|href=/, 'vector only, nothing linked');
  const meta = await sharp(Buffer.from(svg)).metadata();
  assert.equal(meta.format, 'svg');
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  assert.ok(png.length > 1000);
});

test('exactly as many star shapes as stars, and the words of the seal', () => {
  for (const stars of [3, 4, 5]) {
    const svg = renderOcopMarkSvg(input({ stars }));
    assert.equal((svg.match(/class="star"/g) ?? []).length, stars, `${stars} stars`);
    assert.match(
      svg,
      /<polygon class="star" fill="#f2b705"[^>]* points="(?:[\d.-]+,[\d.-]+ ){9}[\d.-]+,[\d.-]+"\/>/,
    );
    assert.ok(svg.includes(`>${stars} SAO</text>`));
  }
  const svg = renderOcopMarkSvg(input());
  assert.ok(svg.includes('>OCOP</text>'));
  // The ring's words are set a letter at a time.
  const letters = (word: string) => [...word].filter((c) => c !== ' ').map((c) => `>${c}</text>`);
  for (const word of ['VIỆT NAM', 'MỖI XÃ MỘT SẢN PHẨM']) {
    let from = 0;
    for (const letter of letters(word)) {
      const at = svg.indexOf(letter, from);
      assert.ok(at >= 0, `${word}: ${letter}`);
      from = at + 1;
    }
  }
  assert.ok(svg.includes('>GCN số 125/GCN-UBND</text>'));
  assert.ok(svg.includes('>Hiệu lực đến 05/06/2029</text>'));
});

test('the number is escaped for XML', () => {
  const svg = renderOcopMarkSvg(input({ number: `12/<&">'GCN` }));
  checkWellFormed(svg);
  assert.ok(svg.includes('>GCN số 12/&lt;&amp;&quot;&gt;&apos;GCN</text>'));
  assert.ok(svg.includes('giấy chứng nhận số 12/&lt;&amp;&quot;&gt;&apos;GCN'), 'in the label too');
  assert.ok(!svg.includes('12/<'));
  assert.equal(escapeXml('a\u0000b & c'), 'ab &amp; c');
});

test('the QR code encodes the verification URL: same size and the same dark modules', () => {
  for (const verifyUrl of [
    'https://ocop.example.gov.vn/xac-minh/GCN-2026-000125?sig=AbCdEf0123456789',
    'https://ocop.example.gov.vn/v/1',
    `https://ocop.example.gov.vn/xac-minh/${'x'.repeat(200)}`,
  ]) {
    const svg = renderOcopMarkSvg(input({ verifyUrl }));
    const { modules } = QRCode.create(verifyUrl);
    const size = modules.size;
    assert.match(svg, new RegExp(`data-modules="${size}"`));
    assert.match(svg, new RegExp(`viewBox="-4 -4 ${size + 8} ${size + 8}"`), 'a quiet zone of four modules');
    const dark = darkModules(svg);
    let expected = 0;
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        if (modules.get(row, col)) {
          expected++;
          assert.ok(dark.has(`${row},${col}`), `module ${row},${col} is dark`);
        }
      }
    }
    assert.equal(dark.size, expected, 'no other dark module');
    assert.equal(qrRuns(verifyUrl).size, size);
  }
});

test('stars other than 3, 4 or 5 are refused', () => {
  for (const stars of [2, 6, 0, 4.5, Number.NaN]) {
    assert.throws(() => renderOcopMarkSvg(input({ stars })), RangeError, `${stars}`);
  }
});

test('deterministic; demo data says so over the seal', () => {
  assert.equal(renderOcopMarkSvg(input()), renderOcopMarkSvg(input()));
  assert.ok(!renderOcopMarkSvg(input()).includes('class="demo"'));
  const demo = renderOcopMarkSvg(input({ isDemo: true }));
  checkWellFormed(demo);
  assert.ok(demo.includes('class="demo"'));
  assert.ok(demo.includes('>DỮ LIỆU</text>') && demo.includes('>MINH HOẠ</text>'));
});
