/**
 * Browser journey: a dossier from the producer's first click to the province.
 * The producer's representative adds a product, opens a first-evaluation dossier, fills Mẫu 01 and
 * Mẫu 02, uploads the required papers one by one (a disguised executable is refused), submits; the
 * commune officer returns it with a comment; the producer replaces the test report and resubmits;
 * the officer fills Mẫu 03, records the check and forwards it, which gives the product its code.
 * Then the database is asked what happened: status, history, superseded file, audit log, outbox.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Engine } from '../../src/platform/db/database.ts';
import { projectRoot } from '../../src/platform/paths.ts';
import { todayInVietnam } from '../../src/platform/time.ts';
import { createProducer, startTestApp, type TestApp } from '../support/app.ts';
import { chromiumForTests, launchChromium } from '../support/browser.ts';
import { testEngines } from '../support/db.ts';
import { disguisedExecutable, samplePdf, samplePng } from '../support/files.ts';

const chromium = chromiumForTests();
const SHOTS = path.join(projectRoot, 'test-results');

const PRODUCER = { email: 'daidien@khocarachgoc.vn', password: 'mat-khau-chu-the-2026' };
const OFFICER = { email: 'canbo@anxuyen.camau.gov.vn', password: 'mat-khau-can-bo-2026' };
const PRODUCT = 'Khô cá bổi Rạch Gốc';
const RETURN_COMMENT = 'Bổ sung phiếu kiểm nghiệm mới';

/** The required papers of product set 8, first evaluation, in upload order, with their file and label. */
const PAPERS = [
  ['business_registration', 'giay-dang-ky-kinh-doanh.pdf', 'Giấy chứng nhận đăng ký kinh doanh'],
  [
    'food_safety_certificate',
    'giay-chung-nhan-attp.pdf',
    'Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
  ],
  ['quality_declaration', 'ban-tu-cong-bo.pdf', 'Bản tự công bố/công bố chất lượng sản phẩm'],
  ['test_report', 'phieu-kiem-nghiem.pdf', 'Phiếu kết quả kiểm nghiệm'],
  ['label_image', 'nhan-san-pham.png', 'Hình ảnh nhãn sản phẩm'],
] as const;

const COMMUNE_ITEMS = [
  'Nguồn gốc sản phẩm, nguyên liệu địa phương',
  'Sử dụng lao động địa phương',
  'Nguồn gốc ý tưởng sản phẩm',
  'Bản sắc, trí tuệ địa phương',
];

/**
 * Clicks something that submits a form and waits until the page it leads to has loaded (a
 * server that never answers fails here, after 15 s, naming the button).
 */
async function submit(page: Page, target: Locator): Promise<void> {
  const label = (await target.textContent())?.trim();
  await Promise.all([
    page
      .waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 15_000 })
      .catch((error: Error) => {
        throw new Error(`no page came back after clicking “${label}”: ${error.message.split('\n')[0]}`);
      }),
    target.click(),
  ]);
  await page.waitForLoadState('load');
}

/** The labels of the checklist's required items still missing. */
const missingItems = async (page: Page) =>
  (await page.locator('[data-testid="checklist"] li.missing').allTextContents()).map((s) => s.trim());

/** A message key shown as such means a missing translation. */
async function assertTranslated(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  assert.doesNotMatch(text, /\b(?:app|layout|dossiers|products|producers|my|errors|validation)\.[a-zA-Z_]+/);
}

const statusOf = async (page: Page) => (await page.textContent('[data-testid="dossier-status"]'))?.trim();

for (const engine of testEngines()) journey(engine);

function journey(engine: Engine) {
  describe(`dossier journey in Chromium (${engine})`, {
    skip: chromium ? false : 'Chromium not found',
  }, () => {
    let app: TestApp;
    let browser: Browser;
    let base: string;
    let files: string;
    let producerId: string;

    before(async () => {
      app = await startTestApp(engine);
      const producer = await createProducer(app, {
        legalName: 'Hợp tác xã Khô cá Rạch Gốc',
        communeCode: '32002',
        representativeName: 'Nguyễn Văn Bổi',
        representativeTitle: 'Giám đốc',
        phone: '02903880123',
        address: 'Ấp Rạch Gốc, phường An Xuyên, Cà Mau',
      });
      producerId = producer.id;
      const system = { actor: { type: 'system' as const, label: 'test' } };
      await app.identity.createUser(system, null, {
        email: PRODUCER.email,
        name: 'Nguyễn Văn Bổi',
        role: 'producer',
        scopeCode: null,
        producerId,
        password: PRODUCER.password,
      });
      await app.identity.createUser(system, null, {
        email: OFFICER.email,
        name: 'Trần Thị Cán Bộ',
        role: 'commune_officer',
        scopeCode: '32002',
        producerId: null,
        password: OFFICER.password,
      });
      // the files a user would pick from their disk
      files = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-dossier-files-'));
      for (const [, name] of PAPERS) {
        const bytes = name.endsWith('.png') ? await samplePng(640, 480) : samplePdf(name.replace(/\W/g, ' '));
        fs.writeFileSync(path.join(files, name), bytes);
      }
      fs.writeFileSync(path.join(files, 'phieu-kiem-nghiem-2026.pdf'), samplePdf('Phieu kiem nghiem 2026'));
      fs.writeFileSync(path.join(files, 'giay-phep.pdf'), disguisedExecutable());
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
      browser = await launchChromium(chromium!);
      fs.mkdirSync(SHOTS, { recursive: true });
    });
    after(async () => {
      await browser?.close();
      await app?.close();
      if (files) fs.rmSync(files, { recursive: true, force: true });
    });

    async function signInAs(
      who: { email: string; password: string },
      viewport: { width: number; height: number },
    ): Promise<Page> {
      const context = await browser.newContext({ locale: 'vi-VN', viewport });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.fill('#f-email', who.email);
      await page.fill('#f-password', who.password);
      await submit(page, page.locator('main button[type="submit"]'));
      assert.equal(page.url(), `${base}/account`, 'signed in');
      return page;
    }

    /** A screenshot of the page (to look at), once its text is known to be all translated. */
    async function shot(page: Page, name: string): Promise<void> {
      await assertTranslated(page);
      await page.screenshot({ path: path.join(SHOTS, `dossier-${name}-${engine}.png`), fullPage: true });
    }

    test('a producer submits a dossier, the commune returns it, it is completed, checked and forwarded', async () => {
      // --- 1. the producer's representative: product, dossier, forms, papers, submission -------
      const producer = await signInAs(PRODUCER, { width: 1280, height: 900 });
      await producer.goto(`${base}/my`);
      assert.equal(await producer.textContent('h1'), 'Hợp tác xã Khô cá Rạch Gốc');
      await submit(producer, producer.getByRole('link', { name: 'Thêm sản phẩm' }));
      assert.equal(await producer.textContent('h1'), 'Thêm sản phẩm');
      await producer.fill('#f-name', PRODUCT);
      await producer.selectOption('#f-productSet', '8');
      await producer.fill('#f-netContent', '200 g');
      await submit(producer, producer.locator('main form button[type="submit"]'));
      assert.match(producer.url(), /\/products\/[0-9a-f-]{36}$/);
      assert.equal((await producer.textContent('h1'))?.trim(), PRODUCT);

      assert.equal(await producer.inputValue('#f-kind'), 'first_evaluation');
      await submit(producer, producer.getByRole('button', { name: 'Lập hồ sơ đánh giá' }));
      assert.match(producer.url(), /\/dossiers\/[0-9a-f-]{36}$/);
      const dossierUrl = producer.url();
      const dossierId = dossierUrl.split('/').pop()!;
      assert.equal(await statusOf(producer), 'Đang soạn');
      assert.deepEqual(await missingItems(producer), [
        'Phiếu đăng ký (Mẫu 01)',
        'Báo cáo tự đánh giá (Mẫu 02)',
        '05 mẫu sản phẩm',
        ...PAPERS.map(([, , label]) => label),
      ]);
      // Mẫu 01 starts from the producer record
      assert.equal(await producer.inputValue('#f-representativeName'), 'Nguyễn Văn Bổi');

      // Mẫu 01 and Mẫu 02
      await producer.fill('#f-representativeName', 'Nguyễn Văn Bổi');
      await producer.fill('#f-representativeTitle', 'Giám đốc HTX');
      await producer.fill('#f-phone', '0918123456');
      await producer.fill('#f-productionAddress', 'Ấp Rạch Gốc, phường An Xuyên, tỉnh Cà Mau');
      await producer.fill('#f-sampleCount', '5');
      await producer.getByLabel('Tôi cam đoan nội dung hồ sơ là đúng sự thật').check();
      await producer
        .getByLabel('I. Thông tin chung')
        .fill('HTX thành lập năm 2018, 25 thành viên, nghề làm khô cá truyền thống.');
      await producer
        .getByLabel('II. Kết quả sản xuất, kinh doanh')
        .fill('Năm 2025: 12 tấn khô cá bổi, doanh thu 3,6 tỷ đồng.');
      await producer
        .getByLabel('IV. Kế hoạch sản xuất, kinh doanh')
        .fill('Mở rộng vùng nguyên liệu, bán qua sàn thương mại điện tử.');
      await submit(producer, producer.getByRole('button', { name: 'Lưu phiếu' }));
      assert.equal(producer.url(), `${dossierUrl}#forms`);
      assert.equal(await producer.inputValue('#f-sampleCount'), '5', 'what was saved is shown');
      assert.equal(await producer.isChecked('#f-commitment'), true);
      assert.deepEqual(
        await missingItems(producer),
        PAPERS.map(([, , label]) => label),
        'the forms are done; the papers remain',
      );

      // a Windows program named like a PDF is refused, next to the file field, and nothing is kept
      const storeBefore = await storedBlobs(app);
      await producer.selectOption('#f-kind', 'business_registration');
      await producer.setInputFiles('#f-file', path.join(files, 'giay-phep.pdf'));
      await submit(producer, producer.getByRole('button', { name: 'Tải lên' }));
      assert.equal(
        (await producer.locator('#f-file ~ p.error').textContent())?.trim(),
        'Tệp này là chương trình chạy được (đổi đuôi thành tài liệu): không được nhận',
      );
      assert.equal(await producer.locator('.field-error #f-file').count(), 1, 'the field is marked');
      await shot(producer, 'upload-refused');
      assert.equal(await producer.textContent('#documents + p'), 'Chưa có tài liệu nào.');
      assert.equal((await missingItems(producer)).length, PAPERS.length);
      const refused = await app.database.db
        .selectFrom('products.document')
        .select('id')
        .where('file_name', '=', 'giay-phep.pdf')
        .execute();
      assert.deepEqual(refused, [], 'no document row for the executable');
      assert.deepEqual(await storedBlobs(app), storeBefore, 'no bytes stored for the executable');
      const exeSha = createHash('sha256').update(disguisedExecutable()).digest('hex');
      assert.ok(!(await storedBlobs(app)).includes(exeSha));

      // the papers, one by one: the checklist shrinks with each
      for (const [index, [kind, name, label]] of PAPERS.entries()) {
        await producer.selectOption('#f-kind', kind);
        await producer.setInputFiles('#f-file', path.join(files, name));
        await submit(producer, producer.getByRole('button', { name: 'Tải lên' }));
        assert.equal(producer.url(), `${dossierUrl}#documents`);
        const missing = await missingItems(producer);
        assert.equal(missing.length, PAPERS.length - index - 1, `after ${kind}`);
        assert.ok(!missing.includes(label), `${label} is ticked off`);
        assert.equal(await producer.locator(`#documents ~ ul a:text-is("${name}")`).count(), 1, name);
      }
      assert.equal(await producer.textContent('#checklist + p'), 'Hồ sơ đã đủ các thành phần bắt buộc.');

      await submit(producer, producer.getByRole('button', { name: 'Nộp hồ sơ cho UBND xã' }));
      assert.equal(await statusOf(producer), 'Đã nộp, chờ xã kiểm tra');
      assert.match(
        (await producer.textContent('.badge-ok')) ?? '',
        /^Còn 15 ngày làm việc \(hạn \d{2}\/\d{2}\/\d{4}\)$/,
      );
      assert.equal(await producer.locator('#f-sampleCount:disabled').count(), 1, 'the forms are locked');
      assert.equal(await producer.getByRole('button', { name: 'Tải lên' }).count(), 0, 'no more uploads');
      await shot(producer, 'submitted-producer');

      // --- 2. the commune officer: inbox, a refused return, a return with a comment ------------
      const officer = await signInAs(OFFICER, { width: 390, height: 844 });
      await submit(officer, officer.getByRole('link', { name: 'Hồ sơ', exact: true }));
      assert.equal(officer.url(), `${base}/dossiers`);
      const row = officer.locator('tbody tr', { hasText: PRODUCT });
      assert.equal(await row.count(), 1);
      assert.match((await row.locator('td').nth(2).textContent()) ?? '', /Đã nộp, chờ xã kiểm tra/);
      assert.match((await row.locator('.badge-ok').textContent()) ?? '', /^Còn 15 ngày làm việc/);
      await submit(officer, row.getByRole('link', { name: PRODUCT }));
      assert.equal(officer.url(), dossierUrl);
      assert.equal(await statusOf(officer), 'Đã nộp, chờ xã kiểm tra');
      await shot(officer, 'submitted-officer-phone');

      await submit(officer, officer.getByRole('button', { name: 'Trả lại để bổ sung' }));
      assert.equal(
        (await officer.textContent('#actions-title ~ [role="alert"]'))?.trim(),
        'Hãy ghi rõ nội dung cần bổ sung',
      );
      assert.equal(await statusOf(officer), 'Đã nộp, chờ xã kiểm tra', 'nothing changed');
      await officer.getByLabel('Nội dung cần bổ sung').fill(RETURN_COMMENT);
      await submit(officer, officer.getByRole('button', { name: 'Trả lại để bổ sung' }));
      assert.equal(await statusOf(officer), 'Trả lại để bổ sung');
      assert.equal(await officer.locator('.badge-ok').count(), 0, 'the clock stops while it is returned');

      // --- 3. the producer: reads the comment, replaces the test report, resubmits -------------
      await producer.goto(dossierUrl);
      assert.equal(await statusOf(producer), 'Trả lại để bổ sung');
      assert.equal(
        (await producer.textContent('[data-testid="return-comment"]'))?.trim(),
        `Ý kiến của cán bộ: ${RETURN_COMMENT}`,
      );
      await shot(producer, 'returned-producer');
      await producer.selectOption('#f-kind', 'test_report');
      await producer.getByLabel('Thay thế tài liệu').selectOption({
        label: 'Phiếu kết quả kiểm nghiệm: phieu-kiem-nghiem.pdf',
      });
      await producer.setInputFiles('#f-file', path.join(files, 'phieu-kiem-nghiem-2026.pdf'));
      await submit(producer, producer.getByRole('button', { name: 'Tải lên' }));
      const listed = producer.locator('#documents ~ ul').first();
      assert.equal(await listed.locator('a:text-is("phieu-kiem-nghiem-2026.pdf")').count(), 1);
      assert.equal(
        await listed.locator('a:text-is("phieu-kiem-nghiem.pdf")').count(),
        0,
        'the old one is replaced',
      );
      assert.match(
        (await listed.locator('li', { hasText: 'phieu-kiem-nghiem-2026.pdf' }).textContent()) ?? '',
        /bản thay thế/,
      );
      assert.deepEqual(await missingItems(producer), []);
      await submit(producer, producer.getByRole('button', { name: 'Nộp lại hồ sơ đã bổ sung' }));
      assert.equal(await statusOf(producer), 'Đã nộp, chờ xã kiểm tra');
      assert.equal(await producer.locator('[data-testid="return-comment"]').count(), 0);

      // --- 4. the officer: Mẫu 03, the check, forwarding --------------------------------------
      await officer.goto(dossierUrl);
      assert.equal(await statusOf(officer), 'Đã nộp, chờ xã kiểm tra');
      const dueShown = /hạn (\d{2})\/(\d{2})\/(\d{4})/.exec((await officer.textContent('.badge-ok')) ?? '');
      assert.ok(dueShown, 'the countdown runs again');
      for (const item of COMMUNE_ITEMS) {
        // each Mẫu 03 item is a group named by its legend
        const field = officer.getByRole('group', { name: item, exact: true });
        await field.getByLabel('Đạt', { exact: true }).check();
        await field.getByRole('textbox').fill('Phù hợp');
      }
      await submit(officer, officer.getByRole('button', { name: 'Lưu báo cáo kiểm tra (Mẫu 03)' }));
      assert.equal(await statusOf(officer), 'Xã đã kiểm tra');
      await submit(officer, officer.getByRole('button', { name: 'Chuyển hồ sơ lên tỉnh' }));
      assert.equal(await statusOf(officer), 'Đã chuyển lên tỉnh');
      const year = todayInVietnam().slice(0, 4);
      assert.equal(await officer.textContent('[data-testid="product-code"]'), `96-32002-001-${year}`);
      await shot(officer, 'forwarded-officer-phone');

      await producer.goto(dossierUrl);
      assert.equal(await statusOf(producer), 'Đã chuyển lên tỉnh');
      assert.equal(await producer.textContent('[data-testid="product-code"]'), `96-32002-001-${year}`);
      assert.equal(await producer.locator('.badge-ok, .badge-overdue').count(), 0);
      await shot(producer, 'forwarded-producer');
      await producer.context().close();
      await officer.context().close();

      // --- 5. what the database holds -------------------------------------------------------
      const db = app.database.db;
      const dossier = await db
        .selectFrom('products.dossier')
        .selectAll()
        .where('id', '=', dossierId)
        .executeTakeFirstOrThrow();
      assert.equal(dossier.status, 'forwarded');
      assert.equal(dossier.producer_id, producerId);
      assert.equal(dossier.due_on, `${dueShown[3]}-${dueShown[2]}-${dueShown[1]}`, 'the deadline shown');
      const events = await db
        .selectFrom('products.dossier_event')
        .select(['action', 'from_status', 'to_status', 'comment', 'actor_name'])
        .where('dossier_id', '=', dossierId)
        .orderBy('occurred_at')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.map((e) => [e.action, e.from_status, e.to_status]),
        [
          ['create', null, 'draft'],
          ['submit', 'draft', 'submitted'],
          ['return', 'submitted', 'returned'],
          ['resubmit', 'returned', 'submitted'],
          ['check', 'submitted', 'checked'],
          ['forward', 'checked', 'forwarded'],
        ],
      );
      assert.equal(events[2]!.comment, RETURN_COMMENT);
      assert.equal(events[2]!.actor_name, 'Trần Thị Cán Bộ');
      assert.equal(events[1]!.actor_name, 'Nguyễn Văn Bổi');

      const reports = await db
        .selectFrom('products.document')
        .select(['id', 'file_name', 'replaces_id', 'superseded_at'])
        .where('dossier_id', '=', dossierId)
        .where('kind', '=', 'test_report')
        .orderBy('uploaded_at')
        .execute();
      assert.equal(reports.length, 2);
      const [old, current] = reports as [(typeof reports)[0], (typeof reports)[0]];
      assert.equal(old.file_name, 'phieu-kiem-nghiem.pdf');
      assert.ok(old.superseded_at instanceof Date, 'the superseded report is kept, marked');
      assert.equal(current.file_name, 'phieu-kiem-nghiem-2026.pdf');
      assert.equal(current.replaces_id, old.id);
      assert.equal(current.superseded_at, null);
      const { rows: counts } = await sql<{ n: number }>`
        select count(*)::int as n from products.document where dossier_id = ${dossierId}`.execute(db);
      assert.equal(counts[0]!.n, PAPERS.length + 1, 'five papers and one replacement, nothing else');

      const audited = await db
        .selectFrom('platform.audit_log')
        .select(['action', 'actor_label'])
        .where('entity_type', '=', 'dossier')
        .where('entity_id', '=', dossierId)
        .orderBy('occurred_at')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audited.map((a) => a.action),
        [
          'dossier.create',
          'dossier.update',
          'dossier.submit',
          'dossier.return',
          'dossier.resubmit',
          'dossier.check',
          'dossier.forward',
        ],
      );
      const documentAudits = await db
        .selectFrom('platform.audit_log')
        .select('action')
        .where('entity_type', '=', 'document')
        .orderBy('occurred_at')
        .execute();
      assert.deepEqual(
        documentAudits.map((a) => a.action),
        [...PAPERS.map(() => 'document.upload'), 'document.replace'],
        'the refused file left no trace',
      );

      const mail = await db
        .selectFrom('platform.outbox')
        .select(['to_address', 'subject', 'body_text'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const toProducer = mail.filter((m) => m.to_address === PRODUCER.email);
      const returned = toProducer.filter((m) => /đã trả hồ sơ để bổ sung/.test(m.subject));
      assert.equal(returned.length, 1, 'the producer is told of the return');
      assert.match(returned[0]!.subject, new RegExp(PRODUCT));
      assert.match(returned[0]!.body_text, new RegExp(`Ý kiến: ${RETURN_COMMENT}`));
      assert.match(returned[0]!.body_text, new RegExp(`/dossiers/${dossierId}`));
      const toOfficer = mail.filter((m) => m.to_address === OFFICER.email).map((m) => m.subject);
      assert.equal(
        toOfficer.filter((s) => /đã nộp hồ sơ/.test(s)).length,
        1,
        'the commune hears of the submission',
      );
      assert.equal(toOfficer.filter((s) => /đã nộp lại hồ sơ/.test(s)).length, 1, 'and of the resubmission');
    });
  });
}

/** The SHA-256 names of the blobs in the test app's document store. */
async function storedBlobs(app: TestApp): Promise<string[]> {
  const root = path.join(app.dataDir, 'documents');
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  for (const entry of await fs.promises.readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /^[0-9a-f]{64}$/.test(entry.name)) out.push(entry.name);
  }
  return out.sort();
}
