/** Browser journeys in Debian's Chromium: the web shell as a visitor meets it. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/platform/paths.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { chromiumForTests, launchChromium } from '../support/browser.ts';

const chromium = chromiumForTests();
const SHOTS = path.join(projectRoot, 'test-results');

describe('web shell in Chromium', { skip: chromium ? false : 'Chromium not found' }, () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    app = await startTestApp('pglite');
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    browser = await launchChromium(chromium!);
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function newPage(options: { locale?: string; width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({
      locale: options.locale ?? 'vi-VN',
      viewport: { width: options.width ?? 390, height: 844 },
    });
    return context.newPage();
  }

  test('the home page is in Vietnamese by default, says what the platform is and leads to its parts', async () => {
    const page = await newPage({ locale: 'fr-FR' });
    const response = await page.goto(base);
    assert.equal(response?.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    assert.equal(await page.textContent('h1'), 'Nền tảng số cho Chương trình OCOP');
    assert.equal(await page.locator('main').count(), 1);
    assert.ok((await page.locator('nav[aria-label]').count()) >= 1);
    await page.screenshot({ path: path.join(SHOTS, 'home-vi-phone.png'), fullPage: true });
    await page.click('main a[href="/admin-units"]');
    await page.waitForURL(`${base}/admin-units`);
    assert.equal(await page.textContent('h1'), 'Đơn vị hành chính Việt Nam');
    await page.context().close();
  });

  test('switching to English sticks across pages; switching back returns to Vietnamese', async () => {
    const page = await newPage();
    await page.goto(base);
    await page.click('[data-testid="lang-switch"]');
    await page.waitForURL(/lang=en/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('h1'), 'The digital platform for the OCOP programme');
    await page.goto(`${base}/admin-units`);
    assert.equal(await page.textContent('h1'), "Vietnam's administrative units");
    await page.screenshot({ path: path.join(SHOTS, 'admin-units-en-desktop.png'), fullPage: false });
    await page.click('[data-testid="lang-switch"]');
    await page.waitForURL(/lang=vi/);
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    await page.context().close();
  });

  test('a missing page answers 404 with a page in the visitor’s language', async () => {
    const page = await newPage();
    const response = await page.goto(`${base}/khong-co-trang-nay`);
    assert.equal(response?.status(), 404);
    assert.equal(await page.textContent('h1'), 'Không tìm thấy trang');
    await page.screenshot({ path: path.join(SHOTS, 'not-found-vi.png') });
    const english = await page.goto(`${base}/no-such-page?lang=en`);
    assert.equal(english?.status(), 404);
    assert.equal(await page.textContent('h1'), 'Page not found');
    await page.click('text=Back to the home page');
    await page.waitForURL(`${base}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.context().close();
  });

  test('searching communes without diacritics, then opening one', async () => {
    const page = await newPage({ width: 1280 });
    await page.goto(`${base}/admin-units`);
    await page.fill('input[name="q"]', 'dam doi');
    await page.press('input[name="q"]', 'Enter');
    await page.waitForURL(/q=dam\+doi/);
    assert.match((await page.textContent('[role="status"]')) ?? '', /kết quả/);
    await page.click('text=Xã Đầm Dơi');
    assert.equal(await page.textContent('h1'), 'Xã Đầm Dơi');
    assert.match((await page.textContent('main')) ?? '', /Hình thành từ/);
    await page.screenshot({ path: path.join(SHOTS, 'commune-vi-desktop.png'), fullPage: true });
    await page.context().close();
  });

  test('keyboard: the first Tab reaches the skip link, which moves focus to the content', async () => {
    const page = await newPage();
    await page.goto(base);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.className'), 'skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement?.id'), 'main');
    await page.context().close();
  });

  test('pages need no JavaScript and stay small', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' });
    const page = await context.newPage();
    const bodies: Promise<number>[] = [];
    page.on('response', (response) => {
      bodies.push(response.body().then((body) => body.length));
    });
    await page.goto(base, { waitUntil: 'load' });
    const sizes = await Promise.all(bodies);
    const bytes = sizes.reduce((a, b) => a + b, 0);
    assert.ok(sizes.length >= 2, 'the page and its stylesheet');
    assert.ok(bytes > 3000, `counted ${bytes} bytes`);
    assert.equal(await page.textContent('h1'), 'Nền tảng số cho Chương trình OCOP');
    assert.ok(bytes < 30 * 1024, `home page with its assets: ${bytes} bytes`);
    await context.close();
  });
});
