/**
 * Browser journey: a shrimp lot from the pond to the shopper's phone, and its recall.
 * A Cà Mau cooperative's representative, on a phone, adds its pond and its processing facility,
 * creates a lot of dried shrimp made from its raw-shrimp lot, records harvest → processing →
 * packing through the step forms (checking what each form offers first), downloads the label
 * sheet and takes the QR code's GS1 Digital Link URI. A shopper, on another phone with no cookies,
 * opens that URI: the resolver sends it (307) to the trace page, which says in large words it is a
 * 4-star OCOP product, shows the three steps in order with their places, fits the screen and has
 * no script. The producer recalls the lot; the shopper's page then opens with the recall banner
 * and its reason. The pages are photographed (tmp/e2e-trace-*.png) for a person to look at.
 *
 * The app listens on a port chosen beforehand and knows it as its public URL, so the QR code
 * carries a URI this browser can open, as a shopper's phone would.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import type { Engine } from '../../src/platform/db/database.ts';
import { withGs1CheckDigit } from '../../src/platform/gs1/check-digit.ts';
import { projectRoot } from '../../src/platform/paths.ts';
import { createProducer, startTestApp, type TestApp } from '../support/app.ts';
import { chromiumForTests, launchChromium } from '../support/browser.ts';
import { testEngines } from '../support/db.ts';
import { ADMIN, SYSTEM } from '../support/dossiers.ts';

const chromium = chromiumForTests();
const SHOTS = path.join(projectRoot, 'tmp');
const PHONE = { width: 390, height: 844 };
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const PRODUCER = 'Hợp tác xã Tôm khô Rạch Gốc';
const ACCOUNT = {
  email: 'daidien@tomkhorachgoc.vn',
  password: 'mat-khau-chu-the-2026',
  name: 'Trần Văn Tôm',
};
const DRIED = { name: 'Tôm khô Rạch Gốc', gtin13: withGs1CheckDigit('893850000301') };
const RAW = { name: 'Tôm sú nguyên liệu', gtin13: withGs1CheckDigit('893850000302') };
/** The GTIN-14 the Digital Link carries. */
const GTIN = `0${DRIED.gtin13}`;
const LOT = 'TK-2605';
const RAW_LOT = 'TS-0523';
const POND = 'Ao tôm Rạch Gốc số 2';
const FACILITY = 'Xưởng chế biến Tân Ân';
const RECALL_REASON = 'Phát hiện dư lượng kháng sinh vượt mức cho phép';
/** What the shopper reads of the three steps: name, time (Vietnam), place. */
const STEPS = [
  ['harvest', 'Thu hoạch', '2026-05-24T05:30', '24/05/2026 05:30', POND],
  ['processing', 'Chế biến', '2026-05-24T08:00', '24/05/2026 08:00', FACILITY],
  ['packing', 'Đóng gói', '2026-05-24T16:00', '24/05/2026 16:00', FACILITY],
] as const;

/** 10:00 in Vietnam on 25 May 2026: the platform's clock (the forms' defaults follow it). */
const CLOCK = new Date('2026-05-25T03:00:00Z');

/** dd/mm/yyyy, as the Vietnamese pages write dates. */
const vn = (iso: string) => iso.split('-').reverse().join('/');
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

/** A port nothing listens on now (the app takes it next, and knows it as its public URL). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Clicks something that leads to another page and waits for it; returns the page's response. */
async function follow(page: Page, target: Locator): Promise<Response> {
  const label = squash(await target.textContent());
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
type InPage = { document: { documentElement: { scrollWidth: number } }; innerWidth: number };

/** How many pixels the page is wider than the screen (0 or less: no sideways scrolling). */
const overflowOf = (page: Page) =>
  page.evaluate(() => {
    const w = globalThis as unknown as InPage;
    return w.document.documentElement.scrollWidth - w.innerWidth;
  });

/** A message key shown as such means a missing translation. */
async function assertTranslated(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  assert.doesNotMatch(text, /\b(?:trace|tracePages|validation|errors|layout|app)\.[a-zA-Z_]+/);
  assert.doesNotMatch(text, /\bundefined\b|\bNaN\b|\[object /);
}

/** The `dt` → `dd` pairs of the first fact list in the main part of the page. */
const factsOf = async (page: Page) =>
  Object.fromEntries(
    await page
      .locator('main dl.facts')
      .first()
      .locator('dt')
      .evaluateAll((dts) =>
        dts.map((dt) => [
          dt.textContent?.replace(/\s+/g, ' ').trim(),
          dt.nextElementSibling?.textContent?.replace(/\s+/g, ' ').trim(),
        ]),
      ),
  ) as Record<string, string>;

/** The journey as shown: each entry's heading, time and whole text. */
const journeyOf = async (page: Page) =>
  page.locator('ol.trace-journey > li').evaluateAll((lis) =>
    lis.map((li) => ({
      step: li.querySelector('h3')?.textContent?.trim() ?? '',
      when: li.querySelector('.trace-when')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
      text: li.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    })),
  );

for (const engine of testEngines()) journey(engine);

function journey(engine: Engine) {
  describe(`trace journey in Chromium (${engine})`, {
    skip: chromium ? false : 'Chromium not found',
  }, () => {
    let app: TestApp;
    let browser: Browser;
    let base: string;
    let certificate: { number: string; validUntil: string; stars: number };
    /** Errors thrown by scripts on any page: there must be none (the pages have no script). */
    const scriptErrors: string[] = [];
    /** pglite keeps the names the brief gives; another engine's pictures say which it is. */
    const shotPath = (name: string) =>
      path.join(SHOTS, `e2e-trace-${name}${engine === 'pglite' ? '' : `-${engine}`}.png`);

    before(async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      app = await startTestApp(engine, { publicUrl: base, now: () => new Date(CLOCK) });
      const producer = await createProducer(app, {
        legalName: PRODUCER,
        communeCode: '32002',
        representativeName: ACCOUNT.name,
      });
      const product = async (name: string, gtin: string) =>
        (
          await app.products.products.create(SYSTEM, ADMIN, {
            producerId: producer.id,
            name,
            productSet: 8,
            gtins: [gtin],
          })
        ).id;
      const driedId = await product(DRIED.name, DRIED.gtin13);
      const rawId = await product(RAW.name, RAW.gtin13);
      const issued = await app.certification.certificates.create(SYSTEM, ADMIN, {
        productId: driedId,
        level: 'province',
        stars: 4,
        decisionNumber: '96/QĐ-UBND',
        decisionDate: '2026-01-10',
        decisionSigner: 'Chủ tịch UBND tỉnh Cà Mau',
      });
      certificate = { number: issued.number, validUntil: issued.validUntil, stars: issued.stars };
      assert.equal(issued.status, 'valid', 'a certificate in force');
      // the raw shrimp the dried shrimp is made from: a lot the cooperative already has
      await app.traceability.batches.create(SYSTEM, ADMIN, {
        productId: rawId,
        lot: RAW_LOT,
        productionDate: '2026-05-23',
        quantity: 400,
        unit: 'kg',
      });
      await app.identity.createUser(SYSTEM, null, {
        email: ACCOUNT.email,
        name: ACCOUNT.name,
        role: 'producer',
        scopeCode: null,
        producerId: producer.id,
        password: ACCOUNT.password,
      });
      await app.server.listen({ port, host: '127.0.0.1' });
      assert.equal((app.server.server.address() as AddressInfo).port, port);
      browser = await launchChromium(chromium!);
      fs.mkdirSync(SHOTS, { recursive: true });
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    async function phone(
      options: { userAgent?: string } = {},
    ): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext({
        locale: 'vi-VN',
        viewport: PHONE,
        isMobile: true,
        hasTouch: true,
        ...options,
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
      return { context, page };
    }

    /** The whole page, as a picture to look at (once its text is known to be all translated). */
    async function shot(page: Page, name: string): Promise<void> {
      await assertTranslated(page);
      await page.screenshot({ path: shotPath(name), fullPage: true });
    }

    test('recorded on a phone, printed, scanned by a shopper, recalled', async () => {
      // --- 1. the producer signs in on its phone and opens its trace pages ----------------------
      const { context: producerContext, page: producer } = await phone();
      await producer.goto(`${base}/login`);
      await producer.fill('#f-email', ACCOUNT.email);
      await producer.fill('#f-password', ACCOUNT.password);
      await follow(producer, producer.locator('main button[type="submit"]'));
      assert.equal(producer.url(), `${base}/account`, 'the producer signed in');
      await follow(producer, producer.locator('header nav a[href="/trace"]'));
      assert.equal(producer.url(), `${base}/trace`);
      assert.equal(squash(await producer.textContent('main h1')), 'Truy xuất nguồn gốc');
      assert.deepEqual(
        (await producer.locator('main ul.cards h3 a').allTextContents()).map((s) => s.trim()),
        [`Lô ${RAW_LOT}`],
        'only the raw-shrimp lot so far',
      );

      // --- 2. its places: the pond and the processing facility, by form ---------------------------
      await follow(producer, producer.getByRole('link', { name: 'Địa điểm và đối tác' }));
      assert.equal(producer.url(), `${base}/trace/places`);
      assert.match(
        squash(await producer.textContent('section[aria-labelledby="places"]')),
        /Chưa có địa điểm nào/,
      );
      assert.equal(await producer.inputValue('#f-communeCode'), '32002', 'the producer’s commune offered');
      await producer.selectOption('#f-kind', { label: 'Vùng nguyên liệu' });
      await producer.fill('#f-name', POND);
      await producer.fill('#f-latitude', '8,6512');
      await producer.fill('#f-longitude', '105,0187');
      await producer.fill('#f-certifications', 'VietGAP 2025');
      let response = await follow(producer, producer.getByRole('button', { name: 'Thêm địa điểm' }));
      assert.equal(response.status(), 303, 'stored, then sent on (POST → redirect → GET)');
      assert.equal(producer.url(), `${base}/trace/places?added=place`);
      assert.equal(squash(await producer.textContent('main p.notice')), 'Đã thêm địa điểm.');
      await producer.selectOption('#f-kind', { label: 'Cơ sở chế biến' });
      await producer.fill('#f-name', FACILITY);
      await follow(producer, producer.getByRole('button', { name: 'Thêm địa điểm' }));
      assert.equal(producer.url(), `${base}/trace/places?added=place`);
      const cards = producer.locator('section[aria-labelledby="places"] ul.cards > li');
      const placeCards = Object.fromEntries(
        await cards.evaluateAll((lis) =>
          lis.map((li) => [
            li.querySelector('h3')?.textContent ?? '',
            li.textContent?.replace(/\s+/g, ' ') ?? '',
          ]),
        ),
      ) as Record<string, string>;
      assert.deepEqual(Object.keys(placeCards).sort(), [POND, FACILITY].sort(), 'both places listed');
      assert.match(placeCards[POND]!, /Vùng nguyên liệu.*VietGAP 2025/);
      assert.match(placeCards[FACILITY]!, /Cơ sở chế biến/);
      assert.equal(
        await cards.filter({ hasText: POND }).getByRole('link', { name: 'Xem bản đồ' }).getAttribute('href'),
        'https://www.openstreetmap.org/?mlat=8.6512&mlon=105.0187#map=15/8.6512/105.0187',
        'the pond on a map, its coordinates read with a decimal comma',
      );
      assert.ok((await overflowOf(producer)) <= 0, 'the places page fits the phone');

      // --- 3. a new lot of dried shrimp, made from the raw-shrimp lot ------------------------------
      await follow(producer, producer.locator('main p.eyebrow a[href="/trace"]'));
      await follow(producer, producer.getByRole('link', { name: 'Tạo lô hàng mới' }));
      assert.equal(producer.url(), `${base}/trace/batches/new`);
      assert.equal(await producer.inputValue('#f-productionDate'), '2026-05-25', 'today in Vietnam offered');
      assert.equal(await producer.inputValue('#f-productId'), '', 'two products: one must be chosen');
      const rawAreas = (await producer.locator('#f-rawMaterialLocationId option').allTextContents()).map(
        (s) => s.trim(),
      );
      assert.equal(rawAreas.length, 2, `a “none” choice and the pond: ${rawAreas.join(' | ')}`);
      assert.equal(rawAreas[1], POND, 'the pond is offered as raw-material area, not the facility');
      await producer.selectOption('#f-productId', { label: DRIED.name });
      await producer.fill('#f-lot', LOT);
      await producer.fill('#f-productionDate', '2026-05-24');
      await producer.fill('#f-packingDate', '2026-05-24');
      await producer.fill('#f-expiryDate', '2026-11-24');
      await producer.fill('#f-quantity', '120');
      await producer.selectOption('#f-unit', 'kg');
      await producer.selectOption('#f-rawMaterialLocationId', { label: POND });
      await producer.getByLabel(new RegExp(`^${RAW.name} — Lô ${RAW_LOT}`)).check();
      response = await follow(producer, producer.getByRole('button', { name: 'Tạo lô hàng' }));
      assert.equal(response.status(), 303, 'stored, then sent on');
      const created = /^\/trace\/batches\/([0-9a-f-]{36})\?created=1$/.exec(
        producer.url().slice(base.length),
      );
      assert.ok(created, `the new lot’s page: ${producer.url()}`);
      const batchUrl = `${base}/trace/batches/${created[1]}`;
      assert.equal(squash(await producer.textContent('main h1')), DRIED.name);
      assert.equal(
        squash(await producer.textContent('main p.notice')),
        'Đã tạo lô hàng. Hãy ghi các bước của hành trình.',
      );
      const facts = await factsOf(producer);
      assert.equal(facts['Số lô'], LOT);
      assert.equal(facts['Mã sản phẩm (GTIN)'], DRIED.gtin13);
      assert.equal(facts['Cơ sở sản xuất'], PRODUCER);
      assert.equal(facts['Ngày sản xuất'], '24/05/2026');
      assert.equal(facts['Hạn sử dụng'], '24/11/2026');
      assert.equal(facts['Số lượng'], '120 kg');
      assert.equal(facts['Ao nuôi / vùng nguyên liệu'], POND);
      assert.equal(facts['Nguyên liệu từ các lô khác'], `${RAW.name} — Lô ${RAW_LOT}`);
      assert.equal(squash(await producer.textContent('#journey + *')), 'Chưa ghi bước nào.');

      // --- 4. harvest → processing → packing, each by its form -----------------------------------
      for (const [i, [step, name, time, shown, place]] of STEPS.entries()) {
        // the step the lot usually takes next is the one put forward
        const next = producer.locator('section[aria-labelledby="next-steps"] a.button:not(.secondary)');
        assert.equal(await next.count(), 1);
        assert.equal(await next.getAttribute('data-step'), step, `${name} is put forward next`);
        assert.equal(squash(await next.textContent()), name);
        await follow(producer, next);
        assert.equal(producer.url(), `${batchUrl}/steps/${step}`);
        assert.equal(squash(await producer.textContent('main h1')), name);
        // what the form offers: now in Vietnam, where this step happens, the lot's quantity
        assert.equal(await producer.inputValue('#f-eventTime'), '2026-05-25T10:00', `${name}: now offered`);
        assert.equal(
          squash(await producer.locator('#f-placeId option:checked').textContent()),
          place,
          `${name}: ${place} offered`,
        );
        assert.equal(await producer.inputValue('#f-quantity'), '120');
        assert.equal(await producer.inputValue('#f-unit'), 'kg');
        if (step === 'processing') {
          const input = producer.getByLabel(new RegExp(`^${RAW.name} — Lô ${RAW_LOT}`));
          assert.equal(await input.isChecked(), true, 'the lot’s recorded ingredient ticked');
        }
        if (step === 'packing')
          assert.equal(await producer.locator('#f-sscc').count(), 1, 'a carton code asked');
        assert.ok((await overflowOf(producer)) <= 0, `the ${name} form fits the phone`);
        await producer.fill('#f-eventTime', time);
        if (step === 'harvest') {
          await producer.fill('#f-quantity', '150');
          await producer.fill('#f-note', 'Thu hoạch lúc nước ròng');
        }
        response = await follow(producer, producer.getByRole('button', { name: 'Lưu', exact: true }));
        assert.equal(response.status(), 303, `${name} stored, then sent on`);
        assert.equal(producer.url(), `${batchUrl}?recorded=${step}`);
        assert.equal(squash(await producer.textContent('main p.notice')), `Đã ghi bước “${name}”.`);
        const recorded = await journeyOf(producer);
        assert.deepEqual(
          recorded.map((e) => e.step),
          STEPS.slice(0, i + 1).map((s) => s[1]),
          `the journey after ${name}`,
        );
        assert.equal(recorded[i]!.when, shown);
        assert.match(recorded[i]!.text, new RegExp(`Địa điểm${place}`));
      }
      const recorded = await journeyOf(producer);
      assert.match(recorded[0]!.text, /Số lượng150 kg.*Ghi chúThu hoạch lúc nước ròng/);
      assert.match(recorded[1]!.text, new RegExp(`Nguyên liệuLô ${RAW_LOT}`));
      assert.match(recorded[2]!.text, /Số lượng120 kg/);
      await shot(producer, 'producer');

      // --- 5. the labels: the sheet to print and the QR code's Digital Link -------------------------
      const labelsForm = producer.locator('section[aria-labelledby="labels"] form');
      assert.equal(await labelsForm.getAttribute('action'), `/trace/batches/${created[1]}/labels.pdf`);
      assert.equal(await producer.inputValue('#f-columns'), '3');
      assert.equal(await producer.inputValue('#f-rows'), '8');
      const pdf = await producer.request.get(`${batchUrl}/labels.pdf?columns=3&rows=8`);
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      const pdfBytes = await pdf.body();
      assert.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-');
      const pdfFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-trace-labels-')), 'tem.pdf');
      fs.writeFileSync(pdfFile, pdfBytes);
      const pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
      fs.rmSync(path.dirname(pdfFile), { recursive: true, force: true });
      for (const expected of [DRIED.name, LOT])
        assert.ok(pdfText.includes(expected), `the labels say ${expected}`);
      const publicLink = producer.locator('section[aria-labelledby="labels"] a.trace-uri');
      const publicPath = `/01/${GTIN}/10/${LOT}`;
      assert.equal(await publicLink.getAttribute('href'), publicPath);
      const svg = await producer.request.get(`${batchUrl}/qr.svg`);
      assert.equal(svg.status(), 200);
      assert.equal(svg.headers()['content-type'], 'image/svg+xml');
      const uri = /<title>([^<]+)<\/title>/.exec(await svg.text())?.[1];
      assert.equal(uri, `${base}${publicPath}`, 'the QR code says the lot’s Digital Link on the platform');
      const anonymousPdf = await browser.newContext().then(async (c) => {
        const r = await c.request.get(`${batchUrl}/labels.pdf`, { maxRedirects: 0 });
        await c.close();
        return r.status();
      });
      assert.equal(anonymousPdf, 303, 'the label sheet is not given to the public');

      // --- 6. a shopper scans the QR code --------------------------------------------------------
      const { context: shopperContext, page: shopper } = await phone({ userAgent: IPHONE_UA });
      assert.deepEqual(await shopperContext.cookies(), [], 'the shopper is no one');
      const scanned = await shopper.goto(uri!);
      assert.ok(scanned);
      const hop = scanned.request().redirectedFrom();
      assert.ok(hop, 'the Digital Link redirects');
      assert.equal(hop.url(), uri);
      assert.equal((await hop.response())?.status(), 307);
      const tracePageUrl = `${base}/trace${publicPath}`;
      assert.equal(shopper.url(), tracePageUrl, 'to the lot’s trace page');
      assert.equal(scanned.status(), 200);
      const html = await scanned.text();
      assert.doesNotMatch(html, /<script\b/i, 'no script in the page');
      assert.equal(await shopper.locator('script').count(), 0);
      assert.equal(await shopper.locator('.trace-recall').count(), 0, 'no recall yet');
      const verdict = shopper.locator('section.trace-verdict');
      assert.match((await verdict.getAttribute('class')) ?? '', /\btrace-verdict-valid\b/);
      assert.equal(squash(await verdict.locator('.trace-verdict-word').textContent()), 'Sản phẩm OCOP 4 sao');
      assert.equal(await verdict.locator('.trace-stars').getAttribute('aria-label'), '4 sao trên 5');
      assert.equal(squash(await verdict.locator('.trace-stars').textContent()), '★★★★☆');
      assert.match(
        squash(await verdict.textContent()),
        new RegExp(`Còn hiệu lực đến ${vn(certificate.validUntil)}`),
      );
      assert.equal(
        await verdict.getByRole('link', { name: `Xem giấy chứng nhận số ${certificate.number}` }).count(),
        1,
      );
      const box = await verdict.boundingBox();
      assert.ok(box && box.y + box.height <= PHONE.height, 'the verdict is on the first screen, whole');
      assert.ok(await verdict.locator('.trace-verdict-word').isVisible());
      assert.equal(squash(await shopper.textContent('main h1')), DRIED.name);
      assert.match(squash(await shopper.textContent('main .trace-producer')), new RegExp(PRODUCER));
      const timeline = await journeyOf(shopper);
      assert.deepEqual(
        timeline.map((e) => e.step),
        ['Thu hoạch', 'Chế biến', 'Đóng gói'],
        'the three steps, in order',
      );
      for (const [i, [, name, , shown, place]] of STEPS.entries()) {
        assert.equal(timeline[i]!.when, shown, `${name} at ${shown}`);
        assert.match(timeline[i]!.text, new RegExp(`Địa điểm${place}`), `${name} at ${place}`);
      }
      assert.match(timeline[0]!.text, /\(vùng nguyên liệu\)Phường An Xuyên, Tỉnh Cà Mau/);
      assert.match(timeline[1]!.text, /\(cơ sở chế biến\)Phường An Xuyên, Tỉnh Cà Mau/);
      assert.match(timeline[1]!.text, new RegExp(`Nguyên liệu${RAW_LOT}`));
      assert.match(squash(await shopper.textContent('main')), /VietGAP 2025/, 'the pond’s certification');
      const overflow = await overflowOf(shopper);
      assert.ok(overflow <= 0, `nothing wider than the phone (${overflow}px too wide)`);
      await shot(shopper, 'shopper');

      // --- 7. the producer recalls the lot ---------------------------------------------------------
      await producer.goto(batchUrl);
      await follow(producer, producer.locator('p.danger-zone').getByRole('link', { name: 'Thu hồi lô' }));
      assert.equal(producer.url(), `${batchUrl}/recall`);
      assert.equal(squash(await producer.textContent('main h1')), `Thu hồi lô ${LOT}`);
      assert.equal(
        squash(await producer.locator('#f-placeId option:checked').textContent()),
        FACILITY,
        'decided at the facility, by default',
      );
      await producer.fill('#f-reason', RECALL_REASON);
      await producer.check('#f-confirm');
      response = await follow(producer, producer.locator('main form button[type="submit"]'));
      assert.equal(response.status(), 303, 'stored, then sent on');
      assert.equal(producer.url(), `${batchUrl}?recalled=1`);
      assert.equal(squash(await producer.textContent('main p.notice')), 'Đã thu hồi lô hàng.');
      assert.match(squash(await producer.textContent('main .trace-recall')), new RegExp(RECALL_REASON));
      assert.equal(await producer.locator('p.danger-zone').count(), 0, 'nothing left to recall');
      const afterRecall = await producer.request.get(`${batchUrl}/labels.pdf`);
      assert.equal(afterRecall.status(), 200, 'labels still printable (without the OCOP mark)');

      // --- 8. the shopper looks again ----------------------------------------------------------------
      const reloaded = await shopper.reload();
      assert.equal(reloaded?.status(), 200, 'the page comes back changed, not from a cache');
      const first = shopper.locator('main article.trace > *').first();
      assert.equal(await first.getAttribute('class'), 'trace-recall', 'the recall banner comes first');
      const banner = squash(await first.textContent());
      assert.match(banner, /thu hồi/i);
      assert.match(banner, /Lô hàng này đã bị thu hồi/);
      assert.match(banner, /Ngày thu hồi\s*25\/05\/2026/);
      assert.match(banner, new RegExp(`Lý do\\s*${RECALL_REASON}`));
      const bannerBox = await first.boundingBox();
      assert.ok(bannerBox && bannerBox.y < PHONE.height / 2, 'the banner is what the shopper sees first');
      const recalledTimeline = await journeyOf(shopper);
      assert.deepEqual(
        recalledTimeline.map((e) => e.step),
        ['Thu hoạch', 'Chế biến', 'Đóng gói', 'Thu hồi'],
        'the recall at the end of the journey',
      );
      assert.equal(recalledTimeline[3]!.when, '25/05/2026 10:00');
      assert.ok((await overflowOf(shopper)) <= 0, 'the recalled page fits the phone');
      assert.equal(await shopper.locator('script').count(), 0);
      await shot(shopper, 'recall');
      // scanning the code again leads to the same banner
      const rescanned = await shopper.goto(uri!);
      assert.equal(rescanned?.status(), 200);
      assert.equal(shopper.url(), tracePageUrl);
      assert.equal(await shopper.locator('main article.trace > .trace-recall:first-child').count(), 1);

      await producerContext.close();
      await shopperContext.close();
      assert.deepEqual(scriptErrors, [], 'no script error on any page');
    });
  });
}
