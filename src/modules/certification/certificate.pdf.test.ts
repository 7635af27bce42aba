import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import type { CertificateDocument } from './certificate.model.ts';
import {
  DEMO_WATERMARK,
  formatScore,
  issuerLine,
  placeDateLine,
  placeName,
  printedUrl,
  renderCertificatePdf,
} from './certificate.pdf.ts';
import { qrRuns } from './ocop-mark.ts';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const FIXED = new Date('2026-06-20T00:00:00Z');

const certificate = (changes: Partial<CertificateDocument> = {}): CertificateDocument => ({
  number: '125/GCN-UBND',
  productName: 'Mật ong hoa tràm U Minh Hạ',
  productCode: '96-32011-003-2026',
  producerName: 'Hợp tác xã Nuôi ong Trần Văn Thời',
  producerAddress: 'Ấp Kênh Ngang, xã Trần Hợi, tỉnh Cà Mau',
  provinceName: 'Tỉnh Cà Mau',
  stars: 4,
  score: 72.5,
  level: 'province',
  decision: { number: '1234/QĐ-UBND', date: '2026-06-05', signer: 'Chủ tịch Ủy ban nhân dân tỉnh Cà Mau' },
  issuedOn: '2026-06-05',
  validUntil: '2029-06-05',
  verifyUrl: 'https://ocop.example.gov.vn/xac-minh/GCN-2026-000125?sig=AbCdEf0123456789',
  isDemo: false,
  ...changes,
});

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
const hasPdftotext = () => spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined;

function needPdftotext(t: { skip: (message: string) => void }): boolean {
  if (hasPdftotext()) return true;
  if (ci) assert.fail('CI is set but pdftotext is missing (apt-get install -y poppler-utils)');
  t.skip('pdftotext not found (apt-get install -y poppler-utils): the text of the PDF is not checked');
  return false;
}

/** The page's text by pdftotext, NFC; `raw` keeps the content stream's order (the rotated watermark). */
function pdfText(pdf: Buffer, raw = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-certificate-'));
  try {
    const file = path.join(dir, 'certificate.pdf');
    fs.writeFileSync(file, pdf);
    const args = [...(raw ? ['-raw'] : []), '-enc', 'UTF-8', file, '-'];
    return execFileSync('pdftotext', args, { encoding: 'utf8' }).normalize('NFC');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The drawing operators of the page: every Flate stream that draws paths, inflated. */
function contentStreams(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    try {
      const inflated = zlib.inflateSync(pdf.subarray(start, end)).toString('latin1');
      if (/ (?:m|re)\n/.test(inflated)) out.push(inflated);
    } catch {
      // fonts and other binary streams
    }
  }
  return out.join('\n');
}

/** Closed paths of exactly ten corners: the stars (the border's diamonds have four). */
const starPaths = (content: string) => (content.match(/^\S+ \S+ m\n(?:\S+ \S+ l\n){9}h\n/gm) ?? []).length;

test('words and formats: issuer by level, place, date line, score, printed address', () => {
  assert.equal(issuerLine('province', 'Tỉnh Cà Mau'), 'ỦY BAN NHÂN DÂN TỈNH CÀ MAU');
  assert.equal(issuerLine('province', 'Thành phố Hà Nội'), 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI');
  assert.equal(issuerLine('central', 'Tỉnh Cà Mau'), 'BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG');
  assert.equal(issuerLine('district', 'Tỉnh Cà Mau'), 'ỦY BAN NHÂN DÂN CẤP HUYỆN (trước 01/7/2025)');
  assert.equal(placeName('province', 'Tỉnh Cà Mau'), 'Cà Mau');
  assert.equal(placeName('province', 'Thành phố Hà Nội'), 'Hà Nội');
  assert.equal(placeName('province', 'Thành phố Hồ Chí Minh'), 'Thành phố Hồ Chí Minh');
  assert.equal(placeName('central', 'Tỉnh Cà Mau'), 'Hà Nội');
  assert.equal(placeDateLine('Cà Mau', '2026-06-05'), 'Cà Mau, ngày 05 tháng 06 năm 2026');
  assert.equal(formatScore(72.5), '72,50');
  assert.equal(formatScore(90), '90,00');
  assert.equal(formatScore(72.345), '72,35');
  assert.equal(
    printedUrl('https://ocop.example.gov.vn/xac-minh/X1?sig=abc'),
    'ocop.example.gov.vn/xac-minh/X1',
  );
  assert.equal(printedUrl('not a url'), 'not a url');
});

test('one A4 page, a PDF with Be Vietnam Pro embedded and no built-in font', async () => {
  for (const stars of [3, 4, 5]) {
    const pdf = await renderCertificatePdf(certificate({ stars }), { fixedDate: FIXED });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-16).toString('latin1'), /%%EOF\s*$/);
    assert.equal(pageCount(pdf), 1, `${stars} stars: one page`);
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/MediaBox \[0 0 595\.28 841\.89\]/);
    assert.match(raw, /BeVietnamPro-Bold/);
    assert.match(raw, /BeVietnamPro-Regular/);
    assert.doesNotMatch(raw, /Helvetica/);
    assert.doesNotMatch(raw, /\/Subtype \/Image/, 'no raster image: the QR code is vector');
  }
});

test('the same certificate and date give the same bytes; another number other bytes', async () => {
  const a = await renderCertificatePdf(certificate(), { fixedDate: FIXED });
  const b = await renderCertificatePdf(certificate(), { fixedDate: FIXED });
  assert.ok(a.equals(b));
  const other = await renderCertificatePdf(certificate({ number: '126/GCN-UBND' }), { fixedDate: FIXED });
  assert.ok(!a.equals(other));
});

test('as many drawn stars as recognised, and the QR code drawn module run by module run', async () => {
  for (const stars of [3, 4, 5]) {
    const data = certificate({ stars });
    const content = contentStreams(await renderCertificatePdf(data, { fixedDate: FIXED }));
    assert.equal(starPaths(content), stars, `${stars} stars drawn`);
    // Rectangles: the two frames and one per horizontal run of dark modules.
    const rects = (content.match(/ re\n/g) ?? []).length;
    assert.equal(rects, qrRuns(data.verifyUrl).runs.length + 2);
  }
});

test('stars other than 3, 4 or 5 are refused', async () => {
  for (const stars of [0, 2, 6, 4.5]) {
    await assert.rejects(renderCertificatePdf(certificate({ stars })), RangeError, `${stars}`);
  }
});

test('the text: Vietnamese with its diacritics, every part of the certificate', async (t) => {
  if (!needPdftotext(t)) return;
  const text = pdfText(await renderCertificatePdf(certificate(), { fixedDate: FIXED })).replace(/\s+/g, ' ');
  for (const expected of [
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    'ỦY BAN NHÂN DÂN TỈNH CÀ MAU',
    'Số: 125/GCN-UBND',
    'GIẤY CHỨNG NHẬN SẢN PHẨM OCOP',
    'Mật ong hoa tràm U Minh Hạ',
    'Mã sản phẩm: 96-32011-003-2026',
    'Hợp tác xã Nuôi ong Trần Văn Thời',
    'Địa chỉ: Ấp Kênh Ngang, xã Trần Hợi, tỉnh Cà Mau',
    '4 SAO',
    'Điểm đánh giá: 72,50',
    'Theo Quyết định số 1234/QĐ-UBND ngày 05/06/2026 của Chủ tịch Ủy ban nhân dân tỉnh Cà Mau',
    'Có giá trị đến ngày 05/06/2029',
    'Cà Mau, ngày 05 tháng 06 năm 2026',
    'Quét mã để kiểm tra hiệu lực',
    'ocop.example.gov.vn/xac-minh/GCN-2026-000125',
    '(Bản in từ cơ sở dữ liệu OCOP; kiểm tra hiệu lực bằng mã QR)',
  ]) {
    assert.ok(text.includes(expected), `the text has "${expected}"`);
  }
  assert.ok(!text.includes('sig='), 'the signature of the URL is not printed');
  assert.ok(!text.includes('MINH HOẠ'), 'no watermark on real data');
  assert.ok(!/đã ký|ký tên|đóng dấu/i.test(text), 'no claim of a signature or seal');
});

test('central and district certificates; a certificate without score, code or address', async (t) => {
  if (!needPdftotext(t)) return;
  const central = pdfText(
    await renderCertificatePdf(
      certificate({
        level: 'central',
        stars: 5,
        number: '05/GCN-BNNMT',
        decision: {
          number: '77/QĐ-BNNMT',
          date: '2026-11-30',
          signer: 'Bộ trưởng Bộ Nông nghiệp và Môi trường',
        },
        issuedOn: '2026-11-30',
        validUntil: '2029-11-30',
      }),
      { fixedDate: FIXED },
    ),
  ).replace(/\s+/g, ' ');
  for (const expected of [
    'BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG',
    '5 SAO',
    'Hà Nội, ngày 30 tháng 11 năm 2026',
    'Theo Quyết định số 77/QĐ-BNNMT ngày 30/11/2026 của Bộ trưởng Bộ Nông nghiệp và Môi trường',
  ]) {
    assert.ok(central.includes(expected), `central: "${expected}"`);
  }
  const district = pdfText(
    await renderCertificatePdf(
      certificate({
        level: 'district',
        stars: 3,
        score: null,
        productCode: null,
        producerAddress: null,
        provinceName: 'Thành phố Hồ Chí Minh',
      }),
      { fixedDate: FIXED },
    ),
  ).replace(/\s+/g, ' ');
  for (const expected of [
    'ỦY BAN NHÂN DÂN CẤP HUYỆN (trước 01/7/2025)',
    '3 SAO',
    'Thành phố Hồ Chí Minh, ngày 05 tháng 06 năm 2026',
  ]) {
    assert.ok(district.includes(expected), `district: "${expected}"`);
  }
  for (const absent of ['Điểm đánh giá', 'Mã sản phẩm', 'Địa chỉ']) {
    assert.ok(!district.includes(absent), `district: no "${absent}"`);
  }
});

test('long names wrap and stay on the one page', async (t) => {
  const data = certificate({
    productName:
      'Nước mắm cá cơm truyền thống Phú Quốc thượng hạng đóng chai thủy tinh 500 ml, phiên bản quà tặng Tết đặc biệt',
    producerName:
      'Công ty Trách nhiệm hữu hạn Một thành viên Chế biến Nông sản và Thủy sản Xuất khẩu Đồng bằng sông Cửu Long',
    producerAddress:
      'Số 123, đường Nguyễn Trung Trực, khu phố 5, phường Dương Đông, đặc khu Phú Quốc, tỉnh An Giang',
    verifyUrl: 'https://ocop.example.gov.vn/xac-minh/7f3a9c2e-1b4d-4e8f-9a0b-c1d2e3f4a5b6?sig=xyz',
  });
  const pdf = await renderCertificatePdf(data, { fixedDate: FIXED });
  assert.equal(pageCount(pdf), 1);
  if (!needPdftotext(t)) return;
  const text = pdfText(pdf).replace(/\s+/g, ' ');
  for (const expected of [
    'phiên bản quà tặng Tết đặc biệt',
    'Đồng bằng sông Cửu Long',
    'đặc khu Phú Quốc, tỉnh An Giang',
    '(Bản in từ cơ sở dữ liệu OCOP; kiểm tra hiệu lực bằng mã QR)',
  ]) {
    assert.ok(text.includes(expected), `the text has "${expected}"`);
  }
});

test('demo data carries the watermark across the page', async (t) => {
  if (!needPdftotext(t)) return;
  // The watermark is turned: pdftotext gives it a letter a line, in drawing order.
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  const demo = squeeze(
    pdfText(await renderCertificatePdf(certificate({ isDemo: true }), { fixedDate: FIXED }), true),
  );
  assert.ok(demo.includes(squeeze(DEMO_WATERMARK)));
  assert.ok(demo.includes(squeeze('GIẤY CHỨNG NHẬN')), 'and the certificate is still there');
  const real = squeeze(pdfText(await renderCertificatePdf(certificate(), { fixedDate: FIXED }), true));
  assert.ok(!real.includes(squeeze('KHÔNG CÓ GIÁ TRỊ PHÁP LÝ')));
});
