/**
 * Browser journey: a certificate's life as the province office and a shopper see it.
 * The provincial OCOP office records two certificates decided outside the platform (a future issue
 * date is refused next to its field, with what was typed kept); a shopper on a phone, not signed
 * in, finds the first by its number and reads CÒN HIỆU LỰC (VALID in English), with schema.org
 * JSON-LD, in a small page; the signed QR is authentic, and with one character of its signature
 * changed it is not. The office revokes the second (a missing ground is refused next to the field)
 * and the public page reads ĐÃ BỊ THU HỒI with the ground; its OCOP label is no longer given out.
 * The office downloads the first one's label and PDF; then the clock moves past its expiry and the
 * public page reads HẾT HIỆU LỰC, and the register filtered by that status lists it. The pages are
 * photographed (tmp/certificate-*.png) for a person to look at.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page, Response } from 'playwright-core';
import { certificationMessages } from '../../src/modules/certification/certification.messages.ts';
import { projectRoot } from '../../src/platform/paths.ts';
import { addDays, todayInVietnam } from '../../src/platform/time.ts';
import { createProducer, startTestApp, type TestApp } from '../support/app.ts';
import { chromiumForTests, launchChromium } from '../support/browser.ts';
import { ADMIN, SYSTEM } from '../support/dossiers.ts';

const chromium = chromiumForTests();
const SHOTS = path.join(projectRoot, 'tmp');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 800 };
const PASSWORD = 'mat-khau-van-phong-2026';
const OFFICE = { email: 'vanphong.ocop@camau.gov.vn', name: 'Lê Thị Văn Phòng' };
const PRODUCER = 'Hợp tác xã Khô cá Rạch Gốc';
/** The two products: the first is certified 4 stars, the second 3 stars (and revoked). */
const PRODUCTS = ['Khô cá bổi Rạch Gốc', 'Mắm ba khía Cà Mau'] as const;
const NUMBERS = ['OCOP-96-2025-00001', 'OCOP-96-2025-00002'] as const;
const DECISION_DATE = '2025-02-05';
const SIGNER = 'Lâm Văn Bi';
const REVOCATION = {
  ground: 'Sử dụng nhãn OCOP sai quy định',
  decisionNumber: '310/QĐ-UBND',
  signer: 'Lâm Văn Bi',
  reason: 'Đoàn kiểm tra phát hiện nhãn OCOP 3 sao in trên sản phẩm khác của chủ thể.',
};

/** The platform's clock (the certificate statuses follow it): mid-March 2026 in Vietnam. */
let clock = new Date('2026-03-16T03:00:00Z');

const vi = (key: string) => (certificationMessages.vi as Record<string, string>)[key]!;
/** dd/mm/yyyy, as the Vietnamese pages write dates. */
const vn = (iso: string) => iso.split('-').reverse().join('/');

/** Clicks something that leads to another page and waits for it; returns the page's response. */
async function follow(page: Page, target: Locator): Promise<Response> {
  const label = (await target.textContent())?.trim();
  const [response] = await Promise.all([
    page
      .waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame(), {
        timeout: 15_000,
      })
      .catch((error: Error) => {
        throw new Error(`no page came back after clicking “${label}”: ${error.message.split('\n')[0]}`);
      }),
    target.click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** What a script in the page sees of it (the project compiles without the DOM library). */
type InPage = {
  getComputedStyle(element: unknown): { backgroundColor: string };
  document: { documentElement: { scrollWidth: number } };
  innerWidth: number;
};

/** A message key shown as such means a missing translation. */
async function assertTranslated(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  assert.doesNotMatch(text, /\b(?:certificates|verify|validation|errors|layout|app)\.[a-zA-Z_]+/);
  assert.doesNotMatch(text, /\bundefined\b|\bNaN\b|\[object /);
}

const verdictOf = async (page: Page) => {
  const box = page.locator('section.verdict');
  return {
    className: (await box.getAttribute('class')) ?? '',
    word: (await box.locator('.verdict-word').textContent())?.trim(),
    text: ((await box.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
  };
};

describe('certificates in Chromium (pglite)', { skip: chromium ? false : 'Chromium not found' }, () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  const productIds: string[] = [];
  /** Errors thrown by scripts on any page: there must be none. */
  const scriptErrors: string[] = [];

  before(async () => {
    app = await startTestApp('pglite', { now: () => clock });
    const producer = await createProducer(app, { legalName: PRODUCER, communeCode: '32002' });
    for (const name of PRODUCTS) {
      const product = await app.products.products.create(SYSTEM, ADMIN, {
        producerId: producer.id,
        name,
        productSet: 8,
      });
      productIds.push(product.id);
    }
    await app.identity.createUser(SYSTEM, null, {
      email: OFFICE.email,
      name: OFFICE.name,
      role: 'province_office',
      scopeCode: '96',
      producerId: null,
      password: PASSWORD,
    });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    browser = await launchChromium(chromium!);
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ locale: 'vi-VN', viewport });
    const page = await context.newPage();
    page.on('pageerror', (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
    return page;
  }

  async function signIn(): Promise<Page> {
    const page = await newPage(DESKTOP);
    await page.goto(`${base}/login`);
    await page.fill('#f-email', OFFICE.email);
    await page.fill('#f-password', PASSWORD);
    await follow(page, page.locator('main button[type="submit"]'));
    assert.equal(page.url(), `${base}/account`, 'the office signed in');
    return page;
  }

  /** The whole page, as a picture to look at (once its text is known to be all translated). */
  async function shot(page: Page, name: string, fullPage = true): Promise<void> {
    await assertTranslated(page);
    await page.screenshot({ path: path.join(SHOTS, `certificate-${name}.png`), fullPage });
  }

  test('recorded, verified by its number and signed QR, revoked, printed, then expired', async () => {
    // --- 1. the office records certificate 1 (a future issue date first) ----------------------
    const office = await signIn();
    await follow(office, office.getByRole('link', { name: 'Giấy chứng nhận', exact: true }));
    assert.equal(office.url(), `${base}/certificates`);
    await follow(office, office.getByRole('link', { name: 'Ghi nhận giấy chứng nhận' }));
    assert.equal(office.url(), `${base}/certificates/new`);
    assert.equal((await office.textContent('h1'))?.trim(), 'Ghi nhận giấy chứng nhận');

    const today = todayInVietnam(clock);
    const tomorrow = addDays(today, 1);
    await office.selectOption('#f-productId', { label: `${PRODUCTS[0]} — ${PRODUCER}` });
    await office.selectOption('#f-level', { label: 'UBND tỉnh' });
    await office.selectOption('#f-stars', { label: '4 sao' });
    await office.fill('#f-score', '78,5');
    await office.fill('#f-decisionNumber', '125/QĐ-UBND');
    await office.fill('#f-decisionDate', DECISION_DATE);
    await office.fill('#f-decisionSigner', SIGNER);
    await office.fill('#f-issuedOn', tomorrow);
    const refused = await follow(office, office.getByRole('button', { name: 'Ghi vào sổ' }));
    assert.equal(refused.status(), 400);
    assert.equal(office.url(), `${base}/certificates`, 'the form came back');
    assert.equal(
      (await office.locator('#f-issuedOn ~ p.error').textContent())?.trim(),
      'Ngày này không được ở tương lai',
    );
    assert.equal(await office.locator('.field-error').count(), 1, 'only the issue date is at fault');
    assert.equal(await office.getAttribute('#f-issuedOn', 'aria-invalid'), 'true');
    // what was typed is still there
    assert.equal(await office.inputValue('#f-productId'), productIds[0]);
    assert.equal(await office.inputValue('#f-level'), 'province');
    assert.equal(await office.inputValue('#f-stars'), '4');
    assert.equal(await office.inputValue('#f-score'), '78,5');
    assert.equal(await office.inputValue('#f-decisionNumber'), '125/QĐ-UBND');
    assert.equal(await office.inputValue('#f-decisionDate'), DECISION_DATE);
    assert.equal(await office.inputValue('#f-decisionSigner'), SIGNER);
    assert.equal(await office.inputValue('#f-issuedOn'), tomorrow);
    await shot(office, 'new-error-desktop');

    await office.fill('#f-issuedOn', DECISION_DATE);
    await follow(office, office.getByRole('button', { name: 'Ghi vào sổ' }));
    assert.match(office.url(), /\/certificates\/[0-9a-f-]{36}$/);
    const ids = [office.url().split('/').pop()!];
    assert.equal((await office.textContent('h1'))?.trim(), PRODUCTS[0]);
    assert.equal((await office.textContent('main h1 + p .status'))?.trim(), 'Còn hiệu lực');
    const facts = async () =>
      Object.fromEntries(
        await office
          .locator('main dl.facts')
          .first()
          .locator('dt')
          .evaluateAll((dts) =>
            dts.map((dt) => [dt.textContent?.trim(), dt.nextElementSibling?.textContent?.trim()]),
          ),
      ) as Record<string, string>;
    const first = await facts();
    assert.equal(first['Số giấy chứng nhận'], NUMBERS[0]);
    assert.equal(first['Cấp công nhận'], 'UBND tỉnh');
    assert.equal(first['Điểm đánh giá'], '78,50');
    assert.equal(first['Quyết định công nhận'], `125/QĐ-UBND, 05/02/2025, ${SIGNER}`);
    assert.equal(first['Ngày cấp'], '05/02/2025');
    assert.equal(first['Có giá trị đến hết ngày'], '05/02/2028');
    assert.match(
      (await office.textContent('main h1 + p')) ?? '',
      /★★★★\s+4 sao/,
      'four stars next to the status',
    );
    await shot(office, 'office-desktop');

    // --- certificate 2, the same way ----------------------------------------------------------
    await office.goto(`${base}/certificates/new`);
    await office.selectOption('#f-productId', { label: `${PRODUCTS[1]} — ${PRODUCER}` });
    await office.selectOption('#f-level', { label: 'UBND tỉnh' });
    await office.selectOption('#f-stars', { label: '3 sao' });
    await office.fill('#f-score', '62.25');
    await office.fill('#f-decisionNumber', '126/QĐ-UBND');
    await office.fill('#f-decisionDate', DECISION_DATE);
    await office.fill('#f-decisionSigner', SIGNER);
    await follow(office, office.getByRole('button', { name: 'Ghi vào sổ' }));
    assert.match(office.url(), /\/certificates\/[0-9a-f-]{36}$/);
    ids.push(office.url().split('/').pop()!);
    assert.equal((await office.textContent('main h1 + p .status'))?.trim(), 'Còn hiệu lực');
    const second = await facts();
    assert.equal(second['Số giấy chứng nhận'], NUMBERS[1]);
    assert.equal(second['Điểm đánh giá'], '62,25');
    assert.equal(second['Ngày cấp'], '05/02/2025', 'issued on the decision’s date');

    // --- 2. a shopper on a phone finds certificate 1 by its number ------------------------------
    const phone = await newPage(PHONE);
    await phone.goto(`${base}/verify`);
    await phone.fill('#f-q', NUMBERS[0]);
    await follow(phone, phone.getByRole('button', { name: 'Kiểm tra', exact: true }));
    const results = phone.locator('ul.verify-results li');
    assert.equal(await results.count(), 1);
    assert.match((await results.textContent()) ?? '', new RegExp(`${NUMBERS[0]}.*CÒN HIỆU LỰC`));
    const verdictPage = await follow(phone, results.getByRole('link', { name: PRODUCTS[0] }));
    assert.equal(phone.url(), `${base}/verify/${ids[0]}`);
    assert.equal(verdictPage.status(), 200);
    const valid = await verdictOf(phone);
    assert.match(valid.className, /\bverdict-valid\b/);
    assert.equal(valid.word, 'CÒN HIỆU LỰC');
    assert.match(valid.text, /Sản phẩm OCOP 4 sao, giấy chứng nhận có giá trị đến hết ngày 05\/02\/2028/);
    assert.equal((await phone.textContent('main h1'))?.trim(), PRODUCTS[0]);
    assert.equal((await phone.textContent('.stars-big'))?.trim(), '★★★★');
    assert.equal(await phone.getAttribute('.stars-big', 'aria-label'), '4 sao');
    assert.match((await phone.textContent('main')) ?? '', new RegExp(PRODUCER));
    assert.match((await phone.textContent('main .hint')) ?? '', new RegExp(vi('verify.noSignature')));
    // schema.org Certification for search engines
    const jsonLd = JSON.parse((await phone.textContent('script[type="application/ld+json"]')) ?? '');
    assert.equal(jsonLd['@type'], 'Certification');
    assert.equal(jsonLd.certificationIdentification, NUMBERS[0]);
    assert.equal(jsonLd.certificationStatus, 'https://schema.org/CertificationActive');
    assert.equal(jsonLd.certificationRating.ratingValue, 4);
    assert.equal(jsonLd.about.name, PRODUCTS[0]);
    assert.equal(jsonLd.expires, '2028-02-05');
    // small for a slow phone network: the HTML as sent, and as read
    const sizes = await verdictPage.request().sizes();
    const html = await verdictPage.body();
    assert.ok(sizes.responseBodySize < 30 * 1024, `transferred ${sizes.responseBodySize} bytes`);
    assert.ok(html.length < 30 * 1024, `HTML ${html.length} bytes`);
    const styled = await phone
      .locator('section.verdict')
      .evaluate((el) => (globalThis as unknown as InPage).getComputedStyle(el).backgroundColor);
    assert.notEqual(styled, 'rgba(0, 0, 0, 0)', 'the verdict box is coloured (the stylesheet applies)');
    const overflow = await phone.evaluate(() => {
      const page = globalThis as unknown as InPage;
      return page.document.documentElement.scrollWidth - page.innerWidth;
    });
    assert.ok(overflow <= 0, `nothing wider than the phone (${overflow}px too wide)`);
    await shot(phone, 'verify-valid-phone');

    // in English
    await follow(phone, phone.getByTestId('lang-switch'));
    assert.equal(phone.url(), `${base}/verify/${ids[0]}?lang=en`);
    const english = await verdictOf(phone);
    assert.equal(english.word, 'VALID');
    assert.match(english.text, /4-star OCOP product; the certificate is valid through 05 Feb 2028/);
    await follow(phone, phone.getByTestId('lang-switch'));
    assert.equal(phone.url(), `${base}/verify/${ids[0]}?lang=vi`);
    assert.equal((await verdictOf(phone)).word, 'CÒN HIỆU LỰC');
    const publicUrl1 = phone.url();

    // --- 3. the signed QR (the URL the PDF's QR and the label encode) --------------------------
    const claim = async (id: string) => {
      const c = await app.certification.certificates.get(id);
      return app.certification.keys.signedUrl({
        id,
        stars: c.stars,
        issuedOn: c.issuedOn,
        validUntil: c.validUntil,
      });
    };
    const signed = new URL(await claim(ids[0]!));
    assert.equal(signed.origin, 'http://localhost:3000', 'the QR points at the platform’s public URL');
    const scanned = `${base}${signed.pathname}${signed.search}`;
    const qr = await newPage(PHONE);
    await qr.goto(scanned);
    assert.equal((await verdictOf(qr)).word, 'CÒN HIỆU LỰC');
    assert.match((await qr.textContent('main .hint')) ?? '', new RegExp(literal(vi('verify.authentic'))));
    // one character of the signature changed (in the middle: every bit there counts)
    const sig = signed.searchParams.get('sig')!;
    assert.equal(sig.length, 86);
    const tampered = new URL(scanned);
    tampered.searchParams.set('sig', `${sig.slice(0, 40)}${sig[40] === 'A' ? 'B' : 'A'}${sig.slice(41)}`);
    await qr.goto(tampered.toString());
    const forged = await verdictOf(qr);
    assert.match(forged.className, /\bverdict-forged\b/);
    assert.equal(forged.word, 'MÃ QR KHÔNG XÁC THỰC');
    assert.doesNotMatch(forged.text, /CÒN HIỆU LỰC/i);
    assert.equal(await qr.locator('section.verdict + p').textContent(), vi('verify.registerSays'));
    assert.doesNotMatch(
      (await qr.textContent('main .hint')) ?? '',
      new RegExp(literal(vi('verify.authentic'))),
    );
    await shot(qr, 'verify-forged-phone');

    // --- 4. the office revokes certificate 2 (without a ground first) ---------------------------
    await office.goto(`${base}/certificates/${ids[1]}`);
    const zone = office.locator('details.danger-zone');
    assert.equal(await zone.getAttribute('open'), null, 'the revocation form starts folded');
    await zone.locator('summary').click();
    assert.equal((await zone.locator('summary').textContent())?.trim(), 'Thu hồi giấy chứng nhận');
    await office.fill('#f-decisionNumber', REVOCATION.decisionNumber);
    await office.fill('#f-decisionDate', today);
    await office.fill('#f-signer', REVOCATION.signer);
    await office.fill('#f-reason', REVOCATION.reason);
    const revokeButton = zone.locator('form button[type="submit"]');
    // the browser itself holds the form back …
    assert.equal(
      await office
        .locator('#f-ground')
        .evaluate((el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing),
      true,
    );
    // … and without its check (an older browser), the server refuses it, next to the field
    await zone.locator('form').evaluate((form) => {
      (form as unknown as { noValidate: boolean }).noValidate = true;
    });
    const noGround = await follow(office, revokeButton);
    assert.equal(noGround.status(), 400);
    assert.equal(await office.locator('details.danger-zone[open]').count(), 1, 'the form stays open');
    const groundError = (await office.locator('#f-ground ~ p.error').textContent())?.trim() ?? '';
    assert.ok(groundError.length > 0, 'an error next to the ground');
    assert.equal(await office.getAttribute('#f-ground', 'aria-invalid'), 'true');
    assert.equal(await office.locator('details.danger-zone .field-error').count(), 1, 'only the ground');
    assert.equal(await office.inputValue('#f-decisionNumber'), REVOCATION.decisionNumber);
    assert.equal(await office.inputValue('#f-decisionDate'), today);
    assert.equal(await office.inputValue('#f-signer'), REVOCATION.signer);
    assert.equal(await office.inputValue('#f-reason'), REVOCATION.reason);
    assert.equal((await app.certification.certificates.get(ids[1]!)).status, 'valid', 'nothing revoked');
    await zone.scrollIntoViewIfNeeded();
    await shot(office, 'revoke-error-desktop');

    await office.selectOption('#f-ground', { label: REVOCATION.ground });
    await follow(office, office.locator('details.danger-zone form button[type="submit"]'));
    assert.equal(office.url(), `${base}/certificates/${ids[1]}`);
    assert.equal((await office.textContent('main h1 + p .status'))?.trim(), 'Đã bị thu hồi');
    const revoked = Object.fromEntries(
      await office
        .locator('main dl.facts')
        .nth(1)
        .locator('dt')
        .evaluateAll((dts) =>
          dts.map((dt) => [dt.textContent?.trim(), dt.nextElementSibling?.textContent?.trim()]),
        ),
    ) as Record<string, string>;
    assert.equal(revoked['Căn cứ thu hồi (Điều 8 QĐ 26/2026/QĐ-TTg)'], REVOCATION.ground);
    assert.equal(revoked['Số quyết định thu hồi'], REVOCATION.decisionNumber);
    assert.equal(revoked['Ngày quyết định thu hồi'], vn(today));
    assert.equal(await office.locator('details.danger-zone').count(), 0, 'nothing left to revoke');
    assert.equal(await office.getByRole('link', { name: /Tải nhãn OCOP/ }).count(), 0, 'no label link');
    assert.match((await office.textContent('main p.actions')) ?? '', /Không cấp nhãn OCOP/);
    const mark2 = await office.context().request.get(`${base}/certificates/${ids[1]}/mark.svg`);
    assert.equal(mark2.status(), 409, 'no label for a revoked certificate');
    await shot(office, 'revoked-office-desktop');

    // the public page of certificate 2
    await phone.goto(`${base}/verify/${ids[1]}`);
    const gone = await verdictOf(phone);
    assert.match(gone.className, /\bverdict-revoked\b/);
    assert.equal(gone.word, 'ĐÃ BỊ THU HỒI');
    assert.equal(
      gone.text.replace(gone.word, '').trim(),
      `Bị thu hồi từ ngày ${vn(today)} theo Quyết định số ${REVOCATION.decisionNumber}. Căn cứ: ${REVOCATION.ground}.`,
    );
    // the findings (free text that may name people) stay with those who keep the record
    assert.doesNotMatch((await phone.textContent('main')) ?? '', new RegExp(REVOCATION.reason));
    assert.equal(
      JSON.parse((await phone.textContent('script[type="application/ld+json"]')) ?? '').certificationStatus,
      'https://schema.org/CertificationInactive',
    );
    await shot(phone, 'verify-revoked-phone');

    // --- 5. the office prints certificate 1: its label and the certificate -----------------------
    await office.goto(`${base}/certificates/${ids[0]}`);
    const [download] = await Promise.all([
      office.waitForEvent('download'),
      office.getByRole('link', { name: 'Tải nhãn OCOP (SVG)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `nhan-OCOP-${NUMBERS[0]}.svg`);
    const svgPath = path.join(SHOTS, 'certificate-mark.svg');
    await download.saveAs(svgPath);
    const svg = fs.readFileSync(svgPath, 'utf8');
    assert.match(svg, /^(?:<\?xml[^>]*>\s*)?<svg\b/);
    assert.equal(svg.match(/class="star"/g)?.length, 4, 'four stars on the label');
    assert.ok(svg.includes(NUMBERS[0]), 'the number on the label');
    const pdfHref = (await office
      .getByRole('link', { name: 'In giấy chứng nhận (PDF)' })
      .getAttribute('href'))!;
    const pdf = await office.context().request.get(`${base}${pdfHref}`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const pdfBytes = await pdf.body();
    assert.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const pdfPath = path.join(SHOTS, 'certificate-1.pdf');
    fs.writeFileSync(pdfPath, pdfBytes);
    const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    for (const expected of [NUMBERS[0], PRODUCTS[0], PRODUCER, '125/QĐ-UBND'])
      assert.ok(pdfText.includes(expected), `the PDF says ${expected}`);
    // the printable certificate is not given to someone not signed in
    const anonymous = await phone.context().request.get(`${base}${pdfHref}`, { maxRedirects: 0 });
    assert.notEqual(anonymous.status(), 200, 'the PDF is not public');

    // --- 6. the clock moves past certificate 1's end (05/02/2028) --------------------------------
    clock = new Date('2028-02-07T03:00:00Z');
    await phone.goto(publicUrl1);
    const reloaded = await phone.reload();
    assert.equal(reloaded?.status(), 200);
    const expired = await verdictOf(phone);
    assert.match(expired.className, /\bverdict-expired\b/);
    assert.equal(expired.word, 'HẾT HIỆU LỰC');
    assert.match(expired.text, /Hết hiệu lực từ ngày 06\/02\/2028\./);
    assert.doesNotMatch(expired.text, /CÒN HIỆU LỰC/);
    assert.equal(
      JSON.parse((await phone.textContent('script[type="application/ld+json"]')) ?? '').certificationStatus,
      'https://schema.org/CertificationInactive',
    );
    await shot(phone, 'verify-expired-phone');
    // the signed QR is still authentic: it is the certificate that has ended (scanned on another
    // phone: this one keeps the page it saw two years ago in its cache for five minutes)
    const later = await newPage(PHONE);
    await later.goto(scanned);
    assert.equal((await verdictOf(later)).word, 'HẾT HIỆU LỰC');
    assert.match((await later.textContent('main .hint')) ?? '', new RegExp(literal(vi('verify.authentic'))));

    // the office's register, filtered by status
    await office.goto(`${base}/certificates`);
    await office.selectOption('#f-status', { label: 'Hết hiệu lực' });
    await follow(office, office.getByRole('button', { name: 'Lọc', exact: true }));
    assert.equal(new URL(office.url()).searchParams.get('status'), 'expired');
    const rows = office.locator('main table tbody tr');
    assert.equal(await rows.count(), 1, 'the revoked one is not expired');
    assert.equal((await rows.locator('td').first().textContent())?.trim(), NUMBERS[0]);
    assert.equal((await rows.locator('.status').textContent())?.trim(), 'Hết hiệu lực');
    await shot(office, 'list-expired-desktop');
    await follow(office, rows.getByRole('link', { name: NUMBERS[0] }));
    assert.equal((await office.textContent('main h1 + p .status'))?.trim(), 'Hết hiệu lực');
    assert.equal(await office.getByRole('link', { name: /Tải nhãn OCOP/ }).count(), 0);
    const mark1 = await office.context().request.get(`${base}/certificates/${ids[0]}/mark.svg`);
    assert.equal(mark1.status(), 409, 'no label once expired');

    for (const page of [office, phone, qr, later]) await page.context().close();
    assert.deepEqual(scriptErrors, [], 'no script error on any page');
  });
});

/** A string matched literally in a regular expression. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
