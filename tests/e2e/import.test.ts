/**
 * Browser journey: a province office imports its producer list from a CSV made in Excel.
 * The first file has a wrong tax code and a former commune that was split: the dry run lists the
 * problem by row and column and asks where the split commune's rows go; the corrected file, with
 * the commune chosen, is written in one go; importing it again changes nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { taxCodeCheckDigit } from '../../src/modules/producers/index.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { projectRoot } from '../../src/platform/paths.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { chromiumForTests, launchChromium } from '../support/browser.ts';
import { testEngines } from '../support/db.ts';

const chromium = chromiumForTests();
const SHOTS = path.join(projectRoot, 'test-results');
const OFFICE = { email: 'vanphong@ocop.camau.gov.vn', password: 'mat-khau-van-phong-2026' };
const TAX = `200123456${taxCodeCheckDigit('200123456')}`;
const WRONG_TAX = `${TAX.slice(0, 9)}${(Number(TAX[9]) + 1) % 10}`;

/** As Excel for Vietnamese Windows saves "CSV UTF-8": a BOM, semicolons, CRLF. */
const csv = (lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;
const HEADER = 'Tên chủ thể;Loại hình;Mã số thuế;Số ĐKKD;Ngày thành lập;Mã xã cũ;Xã/phường;Người đại diện';
const rows = (tax: string) => [
  HEADER,
  `HTX Tôm khô Rạch Gốc;HTX;${tax};;20/03/2015;31813;;Trần Văn Tôm`,
  'Hộ kinh doanh Mắm Ba Khía;;;61A8001234;2019-05-01;;Phường An Xuyên;Lê Thị Khía',
  'Cơ sở Khô cá Phường 7;Cơ sở;;61A8005678;;32020;;',
];

async function upload(page: Page, base: string, file: string) {
  await page.goto(`${base}/imports`);
  await page.selectOption('#f-target', 'producers');
  await page.setInputFiles('#f-file', file);
  await Promise.all([page.waitForURL(/\/imports\/[0-9a-f-]{36}$/), page.click('button[type="submit"]')]);
  await page.waitForSelector('[data-testid="import-summary"]', { timeout: 20_000 });
}

for (const engine of testEngines()) journey(engine);

function journey(engine: Engine) {
  describe(`import journey in Chromium (${engine})`, {
    skip: chromium ? false : 'Chromium not found',
  }, () => {
    let app: TestApp;
    let browser: Browser;
    let base: string;
    let dir: string;

    before(async () => {
      app = await startTestApp(engine);
      await app.identity.createUser({ actor: { type: 'system', label: 'test' } }, null, {
        email: OFFICE.email,
        name: 'Văn phòng OCOP Cà Mau',
        role: 'province_office',
        scopeCode: '96',
        producerId: null,
        password: OFFICE.password,
      });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-import-'));
      fs.writeFileSync(path.join(dir, 'chu-the-sai.csv'), csv(rows(WRONG_TAX)));
      fs.writeFileSync(path.join(dir, 'chu-the.csv'), csv(rows(TAX)));
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
      browser = await launchChromium(chromium!);
      fs.mkdirSync(SHOTS, { recursive: true });
    });
    after(async () => {
      await browser?.close();
      await app?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    test('dry run with problems, then the corrected file committed once', async () => {
      const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
      await page.goto(`${base}/login`);
      await page.fill('#f-email', OFFICE.email);
      await page.fill('#f-password', OFFICE.password);
      await page.click('button[type="submit"]');
      await page.waitForURL(`${base}/account`);

      await upload(page, base, path.join(dir, 'chu-the-sai.csv'));
      const problems = await page.locator('[data-testid="import-problems"] tbody tr').allTextContents();
      assert.equal(problems.length, 1, problems.join(' | '));
      assert.match(problems[0]!, /^2\s*C: Mã số thuế\s*Mã số thuế sai chữ số kiểm tra/);
      assert.match((await page.textContent('[data-testid="import-summary"]')) ?? '', /chưa ghi gì/);
      await page.screenshot({ path: path.join(SHOTS, `import-problems-${engine}.png`), fullPage: true });

      await upload(page, base, path.join(dir, 'chu-the.csv'));
      assert.equal(
        await page.locator('[data-testid="import-commit"]').count(),
        0,
        'a split commune to resolve first',
      );
      await page.selectOption('#res-32020', '32025');
      await Promise.all([
        page.waitForLoadState('load'),
        page.getByRole('button', { name: 'Kiểm tra thử' }).click(),
      ]);
      await page.waitForSelector('[data-testid="import-commit"]', { timeout: 20_000 });
      assert.match((await page.textContent('[data-testid="import-summary"]')) ?? '', /sẽ thêm 3/);
      await Promise.all([page.waitForLoadState('load'), page.click('[data-testid="import-commit"]')]);
      await page.waitForSelector('text=Đã nhập xong', { timeout: 20_000 });
      const saved = await sql<{ legal_name: string; commune_code: string }>`
        select legal_name, commune_code from producers.producer order by legal_name`.execute(app.database.db);
      assert.deepEqual(
        saved.rows.map((r) => `${r.legal_name}:${r.commune_code}`),
        ['Cơ sở Khô cá Phường 7:32025', 'HTX Tôm khô Rạch Gốc:31825', 'Hộ kinh doanh Mắm Ba Khía:32002'],
      );

      await upload(page, base, path.join(dir, 'chu-the.csv'));
      await page.selectOption('#res-32020', '32025');
      await Promise.all([
        page.waitForLoadState('load'),
        page.getByRole('button', { name: 'Kiểm tra thử' }).click(),
      ]);
      await page.waitForSelector('[data-testid="import-commit"]', { timeout: 20_000 });
      assert.match(
        (await page.textContent('[data-testid="import-summary"]')) ?? '',
        /thêm 0, cập nhật 0, giữ nguyên 3/,
      );
      await page.context().close();
    });
  });
}
