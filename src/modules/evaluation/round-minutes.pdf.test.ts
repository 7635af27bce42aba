import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { MinutesMember, MinutesProduct, RoundMinutes } from './round.model.ts';
import { formatPoints, roundMinutesPdf } from './round-minutes.pdf.ts';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const FIXED = new Date('2026-06-01T00:00:00Z');

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
const hasPdftotext = () => spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Vũ', 'Đặng', 'Bùi', 'Đỗ'];
const GIVEN = [
  'Thị Hồng Nhung',
  'Văn Đức',
  'Quốc Việt',
  'Thị Thu Hường',
  'Minh Khôi',
  'Ngọc Ánh',
  'Hữu Nghĩa',
];

/** A council of `count` seats: chair, vice-chair, secretary, members, one advisor; the 5th is absent. */
function council(count: number): MinutesMember[] {
  const roles = ['chair', 'vice_chair', 'secretary'] as const;
  return Array.from({ length: count }, (_, i) => ({
    name: `${FAMILY[i % FAMILY.length]} ${GIVEN[i % GIVEN.length]}`,
    role: i < roles.length ? roles[i]! : i === count - 1 && count > 4 ? 'advisor' : 'member',
    organisation:
      i % 3 === 0
        ? 'Sở Nông nghiệp và Môi trường tỉnh Hà Giang — Chi cục Phát triển nông thôn'
        : 'Văn phòng Điều phối nông thôn mới',
    present: i !== 4,
  }));
}

/** A product of the round; every fourth one has a long name, some fail gates or are disqualified. */
function product(position: number, members: MinutesMember[]): MinutesProduct {
  const scorers = members.filter((m) => m.present && m.role !== 'advisor').slice(0, 7);
  const base = 40 + ((position * 7) % 55);
  const totals = scorers.map((m, i) => ({ name: m.name, total: base + ((i * 3) % 7) * 0.75 }));
  const score = totals.length ? totals.reduce((s, t) => s + t.total, 0) / totals.length : null;
  const disqualified =
    position % 13 === 0 ? ['Hồ sơ không có giấy chứng nhận an toàn thực phẩm còn hiệu lực'] : [];
  const stars = disqualified.length
    ? 0
    : score === null
      ? null
      : score >= 90
        ? 5
        : score >= 70
          ? 4
          : score >= 50
            ? 3
            : 2;
  return {
    position,
    productName:
      position % 4 === 1
        ? `Nước mắm cá cơm truyền thống Phú Quốc thượng hạng đóng chai thủy tinh 500 ml, phiên bản quà tặng Tết số ${position}`
        : `Chè Shan tuyết cổ thụ Tà Xùa số ${position}`,
    productCode: position % 5 === 0 ? null : `14-04486-${String(position).padStart(3, '0')}-2026`,
    producerName:
      position % 2
        ? 'Hợp tác xã Nông nghiệp và Dịch vụ tổng hợp Chè Tà Xùa'
        : 'Công ty TNHH Đặc sản Hà Giang',
    set: 11,
    setName: 'Chè tươi, chè chế biến',
    kind: (['first_evaluation', 'upgrade', 're_evaluation'] as const)[position % 3]!,
    memberTotals: totals,
    recused: position % 6 === 0 ? [members[3]!.name] : [],
    score,
    spread: totals.length ? (totals.length > 1 ? 4.5 : 0) : null,
    spreadExceeded: position % 7 === 0,
    spreadOverride: position % 14 === 0 ? 'Các thành viên đã thảo luận và thống nhất giữ nguyên điểm.' : null,
    stars,
    failedGates: position % 4 === 2 ? [{ criterion: '1.1', stars: 4, required: 3, actual: 2.333333 }] : [],
    disqualified,
    outcome: disqualified.length
      ? 'disqualified'
      : stars === null
        ? null
        : stars < 3
          ? 'not_recognised'
          : stars === 5
            ? 'forward_central'
            : 'recognise',
  };
}

function minutes(products: number, members = 9): RoundMinutes {
  const seats = council(members);
  return {
    provinceName: 'Hà Giang',
    roundName: 'Đợt 1 năm 2026',
    level: 'province',
    scoringDate: '2026-05-20',
    criteriaVersion: '26/2026/QĐ-TTg',
    quorum: {
      voting: members - 1,
      present: members - 2,
      required: Math.ceil(((members - 1) * 2) / 3),
      met: true,
    },
    members: seats,
    products: Array.from({ length: products }, (_, i) => product(i + 1, seats)),
    decision: null,
    generatedAt: '2026-05-20T17:30:00Z',
  };
}

function pdfText(pdf: Buffer): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-minutes-'));
  try {
    const file = path.join(dir, 'minutes.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize(
      'NFC',
    );
    return text.split('\f').slice(0, pageCount(pdf));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function needPdftotext(t: { skip: (message: string) => void }): boolean {
  if (hasPdftotext()) return true;
  if (ci) assert.fail('CI is set but pdftotext is missing (apt-get install -y poppler-utils)');
  t.skip('pdftotext not found (apt-get install -y poppler-utils): the text of the PDF is not checked');
  return false;
}

test('points have two decimals and a decimal comma', () => {
  assert.equal(formatPoints(72.5), '72,50');
  assert.equal(formatPoints(70), '70,00');
  assert.equal(formatPoints(2.333333), '2,33');
  assert.equal(formatPoints(72.345), '72,35');
});

test('0, 1 and 60 products render as PDFs with Be Vietnam Pro embedded', async () => {
  const counts: number[] = [];
  for (const n of [0, 1, 60]) {
    const pdf = await roundMinutesPdf(minutes(n), { fixedDate: FIXED });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', `${n} products`);
    assert.match(pdf.subarray(-16).toString('latin1'), /%%EOF\s*$/);
    const raw = pdf.toString('latin1');
    assert.match(raw, /BeVietnamPro-Regular/);
    assert.match(raw, /BeVietnamPro-Bold/);
    assert.doesNotMatch(raw, /Helvetica/);
    counts.push(pageCount(pdf));
  }
  assert.ok(counts[0]! >= 1 && counts[0]! <= 2, `0 products: ${counts[0]} pages`);
  assert.ok(counts[1]! <= 3, `1 product: ${counts[1]} pages`);
  assert.ok(counts[2]! > 5, `60 products: ${counts[2]} pages`);
});

test('the same minutes render to the same bytes when the date is fixed', async () => {
  const a = await roundMinutesPdf(minutes(12), { fixedDate: FIXED });
  const b = await roundMinutesPdf(minutes(12), { fixedDate: FIXED });
  assert.ok(a.equals(b));
  const other = await roundMinutesPdf({ ...minutes(12), roundName: 'Đợt 2 năm 2026' }, { fixedDate: FIXED });
  assert.ok(!a.equals(other), 'a different round gives different bytes');
});

test('the text: Vietnamese with its diacritics, every section, in order', async (t) => {
  if (!needPdftotext(t)) return;
  const data = minutes(14, 20);
  data.decision = {
    number: '1234/QĐ-UBND',
    date: '2026-06-15',
    signer: 'Phó Chủ tịch UBND tỉnh Hoàng Văn Thụ',
  };
  data.products[0]!.disqualified = [];
  data.products[0]!.outcome = 'recognise';
  data.products[0]!.stars = 4;
  data.products[0]!.score = 72.5;
  data.products[0]!.memberTotals = [
    { name: 'Nguyễn Văn An', total: 72.5 },
    ...data.products[0]!.memberTotals,
  ];
  const pdf = await roundMinutesPdf(data, { fixedDate: FIXED });
  const pages = pdfText(pdf);
  // Cells wrap: compare with the line breaks as spaces.
  const text = pages.join('\n').replace(/\s+/g, ' ');
  for (const expected of [
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    'Hà Giang, ngày 20 tháng 05 năm 2026',
    'BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP',
    'CẤP TỈNH — HÀ GIANG',
    'Đợt 1 năm 2026',
    '20/05/2026',
    'Bộ tiêu chí theo Quyết định số 26/2026/QĐ-TTg',
    'I. THÀNH PHẦN',
    'Chức danh trong Hội đồng',
    'Phó Chủ tịch',
    'Thư ký',
    'Tổ tư vấn',
    'Vắng mặt',
    '18/19 thành viên có mặt, yêu cầu tối thiểu 13',
    'đủ điều kiện tiến hành họp',
    'II. KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG',
    'Chè Shan tuyết cổ thụ Tà Xùa số 2',
    'Hợp tác xã Nông nghiệp và Dịch vụ tổng hợp Chè Tà Xùa',
    'Số 11: Chè tươi, chè chế biến',
    'Đánh giá lần đầu',
    'Nâng hạng',
    'Đánh giá lại',
    'Nguyễn Văn An: 72,50',
    'không chấm do xung đột lợi ích',
    '(vượt ngưỡng)',
    'Các thành viên đã thảo luận và thống nhất giữ nguyên điểm.',
    '4 sao',
    'Tiêu chí 1.1 (mức 4 sao): yêu cầu 3,00, thực tế 2,33',
    'Hồ sơ không có giấy chứng nhận an toàn thực phẩm còn hiệu lực',
    'Bị loại',
    'Đề nghị công nhận',
    'Không đạt (dưới 3 sao)',
    '2. Tổng hợp kết quả',
    'III. QUYẾT ĐỊNH',
    'Quyết định số 1234/QĐ-UBND ngày 15/06/2026',
    'Phó Chủ tịch UBND tỉnh Hoàng Văn Thụ',
    'THƯ KÝ HỘI ĐỒNG',
    'CHỦ TỊCH HỘI ĐỒNG',
  ]) {
    assert.ok(text.includes(expected), `the text has "${expected}"`);
  }
  assert.ok(!text.includes('Chưa có quyết định công nhận'));
  const order = [
    'I. THÀNH PHẦN',
    'II. KẾT QUẢ',
    '2. Tổng hợp kết quả',
    'III. QUYẾT ĐỊNH',
    'CHỦ TỊCH HỘI ĐỒNG',
  ].map((s) => text.indexOf(s));
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
    'sections in order',
  );
  pages.forEach((page, i) => {
    assert.ok(page.includes(`Trang ${i + 1}/${pages.length}`), `page ${i + 1} has its number`);
  });
});

test('60 products: many pages, each numbered; the summary header repeats; every product listed', async (t) => {
  if (!needPdftotext(t)) return;
  const pdf = await roundMinutesPdf(minutes(60, 20), { fixedDate: FIXED });
  const pages = pdfText(pdf);
  assert.ok(pages.length > 1);
  assert.equal(pages.length, pageCount(pdf));
  pages.forEach((page, i) => {
    assert.ok(page.includes('Trang'), `page ${i + 1} has "Trang"`);
    assert.ok(page.includes(`Trang ${i + 1}/${pages.length}`), `page ${i + 1} is numbered`);
  });
  const text = pages.join('\n');
  for (let p = 1; p <= 60; p++) {
    const code = p % 5 === 0 ? null : `14-04486-${String(p).padStart(3, '0')}-2026`;
    // Each code twice: in the product's block and in the summary table.
    if (code) assert.equal(text.split(code).length - 1, 2, `product ${p}`);
  }
  const summaryPages = pages.filter((page) => page.includes('Bảng tổng hợp kết quả (tiếp theo)'));
  assert.ok(summaryPages.length >= 1, 'the summary table continues on another page');
  for (const page of summaryPages) assert.ok(page.includes('Kết quả') && page.includes('Số sao'));
  assert.ok(pages.some((page) => page.includes('(tiếp theo)')));
});

test('0 products, no decision, quorum not met, central round', async (t) => {
  if (!needPdftotext(t)) return;
  const data: RoundMinutes = {
    ...minutes(0, 3),
    level: 'central',
    criteriaVersion: '26-2026',
    scoringDate: null,
    quorum: { voting: 3, present: 1, required: 2, met: false },
  };
  const text = pdfText(await roundMinutesPdf(data, { fixedDate: FIXED })).join('\n');
  for (const expected of [
    'CẤP TRUNG ƯƠNG',
    'Bộ tiêu chí theo Quyết định số 26/2026/QĐ-TTg',
    '1/3 thành viên có mặt, yêu cầu tối thiểu 2',
    'không đủ điều kiện tiến hành họp',
    'Kỳ đánh giá chưa có sản phẩm nào.',
    'Chưa có quyết định công nhận',
    'ngày …… tháng …… năm 20……',
    'Trang 1/1',
  ]) {
    assert.ok(text.includes(expected), `the text has "${expected}"`);
  }
});

test('a product without scores: no points, no stars, no outcome yet', async (t) => {
  if (!needPdftotext(t)) return;
  const data = minutes(1);
  const p = data.products[0]!;
  Object.assign(p, {
    memberTotals: [],
    score: null,
    spread: null,
    stars: null,
    outcome: null,
    failedGates: [],
    disqualified: [],
  });
  const text = pdfText(await roundMinutesPdf(data, { fixedDate: FIXED })).join('\n');
  for (const expected of ['Chưa có phiếu chấm', 'Chưa chấm điểm', 'Chưa có kết quả']) {
    assert.ok(text.includes(expected), `the text has "${expected}"`);
  }
});

test('a long council table continues on the next page under its column headings', async (t) => {
  if (!needPdftotext(t)) return;
  const data = minutes(1, 20);
  for (const m of data.members) {
    m.organisation = `${m.organisation}, Ủy ban nhân dân tỉnh Hà Giang, Trung tâm Khuyến nông và Xúc tiến thương mại`;
  }
  const pages = pdfText(await roundMinutesPdf(data, { fixedDate: FIXED })).map((p) => p.replace(/\s+/g, ' '));
  assert.ok(pages.length >= 2);
  assert.ok(pages[0]!.includes('I. THÀNH PHẦN'), 'the table starts on the first page');
  assert.ok(pages[0]!.includes('Nguyễn Thị Hồng Nhung'));
  const last = data.members.at(-1)!.name;
  const continued = pages.findIndex((p) => p.includes(`20 ${last}`));
  assert.ok(continued >= 1, 'the last member is on a later page');
  assert.ok(pages[continued]!.includes('Chức danh trong Hội đồng'), 'the column headings repeat');
});
