import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { renderDocument } from '../../platform/views/jsx.ts';
import type { PageContext } from '../../platform/views/layout.tsx';
import { builtInCriteria } from './criteria.ts';
import { scoreSheetPdf } from './score-sheet.pdf.ts';
import { ScoreSheet, scoreSheetModel } from './score-sheet.views.tsx';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const version = builtInCriteria();
const FIXED = new Date('2026-06-01T00:00:00Z');

const form = (set: number) => {
  const found = version.sets.find((f) => f.set === set);
  assert.ok(found, `set ${set}`);
  return found;
};
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
const hasPdftotext = () => spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined;

/** The best option of every leaf (met for a criterion without options). */
function bestChoices(set: number): Record<string, number> {
  const choices: Record<string, number> = {};
  for (const leaf of form(set).leaves) choices[leaf.code] = leaf.options.length ? leaf.options.length - 1 : 1;
  return choices;
}

test('every one of the 26 forms renders as a PDF of a sane length', async () => {
  assert.equal(version.sets.length, 26);
  for (const f of version.sets) {
    const pdf = await scoreSheetPdf(f, version, { fixedDate: FIXED });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', `set ${f.set}`);
    assert.match(pdf.subarray(-16).toString('latin1'), /%%EOF\s*$/, `set ${f.set}`);
    const pages = pageCount(pdf);
    assert.ok(pages >= 4 && pages <= 12, `set ${f.set}: ${pages} pages`);
    // The three fonts are embedded (subsets), none of pdfkit's built-in (non-Vietnamese) ones.
    const text = pdf.toString('latin1');
    assert.match(text, /BeVietnamPro-Regular/, `set ${f.set}`);
    assert.match(text, /BeVietnamPro-Bold/, `set ${f.set}`);
    assert.doesNotMatch(text, /Helvetica/, `set ${f.set}`);
  }
});

test('the same sheet renders to the same bytes when the date is fixed', async () => {
  const options = {
    fixedDate: FIXED,
    choices: bestChoices(11),
    header: { productName: 'Chè Shan tuyết', productCode: '14-04486-003-2026' },
  };
  const a = await scoreSheetPdf(form(11), version, options);
  const b = await scoreSheetPdf(form(11), version, options);
  assert.ok(a.equals(b));
  const blank = await scoreSheetPdf(form(11), version, { fixedDate: FIXED });
  assert.ok(!a.equals(blank), 'ticks and header values change the document');
});

test('set 11 as text: Vietnamese with its diacritics, in form order, with page numbers', async (t) => {
  if (!hasPdftotext()) {
    if (ci) assert.fail('CI is set but pdftotext is missing (apt-get install -y poppler-utils)');
    t.skip('pdftotext not found (apt-get install -y poppler-utils): the text of the PDF is not checked');
    return;
  }
  const pdf = await scoreSheetPdf(form(11), version, {
    fixedDate: FIXED,
    header: { producerName: 'Hợp tác xã Chè Tà Xùa', phone: '0912 345 678' },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-sheet-'));
  try {
    const file = path.join(dir, 'sheet.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize(
      'NFC',
    );
    const pages = pageCount(pdf);
    for (const expected of [
      'BỘ TIÊU CHÍ ĐÁNH GIÁ SẢN PHẨM OCOP',
      '(Kiêm phiếu đánh giá sản phẩm OCOP)',
      'Chè tươi, chè chế biến',
      'Sản phẩm: Thực phẩm. Nhóm: Chè',
      'Tên chủ thể sản xuất: Hợp tác xã Chè Tà Xùa',
      'Số điện thoại: 0912 345 678',
      'PHẦN A: SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG (40 Điểm)',
      'Nguồn nguyên liệu',
      'Chế biến sâu',
      'CHỈ TIÊU CẢM QUAN',
      'Hồ sơ bị loại khi',
      'Dấu sao là yêu cầu tối thiểu',
      'in trong văn bản: 11 — áp dụng: 1',
      'NGƯỜI ĐÁNH GIÁ',
      `Trang 1/${pages}`,
      `Trang ${pages}/${pages}`,
    ]) {
      assert.ok(text.includes(expected), `the text has "${expected}"`);
    }
    const order = ['Nguồn nguyên liệu', 'PHẦN B', 'PHẦN C', 'TỔNG ĐIỂM', 'NGƯỜI ĐÁNH GIÁ'].map((s) =>
      text.indexOf(s),
    );
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      'parts, total and signature in form order',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the sheet model: headings, notes, ticks, cases, corrections and the met/not-met box', () => {
  const model = scoreSheetModel(form(11), { '1.1': 2, '2.4': 1, '6.1.1': 0 });
  const a = model.parts[0]!.rows;
  assert.deepEqual(
    a.slice(0, 6).map((r) => r.kind),
    ['section', 'criterion', 'option', 'option', 'option', 'note'],
    'a "Ghi chú" note comes after the options',
  );
  const chosen = model.parts.flatMap((p) => p.rows).filter((r) => r.kind === 'option' && r.chosen);
  assert.deepEqual(
    chosen.map((r) => (r.kind === 'option' ? [r.criterion, r.index, r.met] : null)),
    [
      ['1.1', 2, false],
      ['2.4', 1, true],
      ['6.1.1', 0, false],
    ],
  );
  const corrected = model.corrections.map((c) => [c.number, c.criterion, c.printed, c.corrected]);
  assert.deepEqual(corrected, [
    [1, '1.2', null, 0],
    [2, '6.1.1', 11, 1],
  ]);
  assert.deepEqual(
    model.headerFields.map((f) => f.key),
    ['productName', 'productCode', null, 'producerName', 'phone', 'address'],
  );
  assert.equal(model.headerFields[1]!.label, 'Mã số sản phẩm (T)-(X)-(STT)-20…');

  // Set 26: the two cases of criterion 8, each before its options; no heading repeats section 8.
  const rows26 = scoreSheetModel(form(26)).parts.flatMap((p) => p.rows);
  const at = rows26.findIndex((r) => r.kind === 'section' && r.code === '8');
  assert.deepEqual(
    rows26.slice(at, at + 8).map((r) => r.kind),
    ['section', 'note', 'case', 'option', 'option', 'case', 'option', 'option'],
  );
});

test('the page draws the same sheet: accessible tables, boxes ticked for the choices', () => {
  const page: PageContext = {
    locale: 'vi',
    t: (key) => key,
    url: '/',
    nav: [],
    user: null,
    csrf: () => 'x',
  };
  const choices = bestChoices(11);
  const html = renderDocument(ScoreSheet({ page, form: form(11), version, choices }));
  assert.equal(html.match(/<table /g)?.length, 3);
  assert.equal(html.match(/☒/g)?.length, Object.keys(choices).length);
  const options = scoreSheetModel(form(11)).parts.flatMap((p) => p.rows.filter((r) => r.kind === 'option'));
  assert.equal((html.match(/☐/g)?.length ?? 0) + Object.keys(choices).length, options.length);
  assert.match(html, /<th scope="col">criteria\.sheet\.colCriterion<\/th>/);
  assert.match(html, /<th scope="row">1\.1<\/th>/);
  assert.match(html, /Chế biến sâu từ vùng nguyên liệu địa phương/);
  assert.match(html, /Hồ sơ bị loại khi/);
  assert.match(html, /title="Printed 11 points/);
});
