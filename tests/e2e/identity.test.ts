/**
 * Browser journey: the administrator signs in, creates a commune officer for one Cà Mau commune;
 * the officer signs in and sees that commune — its pending producer sign-ups — and not another's.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../src/platform/paths.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { chromiumForTests, launchChromium } from '../support/browser.ts';

const chromium = chromiumForTests();
const SHOTS = path.join(projectRoot, 'test-results');

describe('identity in Chromium', { skip: chromium ? false : 'Chromium not found' }, () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  let adminPassword: string;

  before(async () => {
    app = await startTestApp('pglite');
    adminPassword = (await app.identity.bootstrapAdmin())!.password;
    const signUp = (email: string, producerName: string, communeCode: string) =>
      app.identity.register(
        { actor: { type: 'anonymous' } },
        { name: 'Đại diện', email, password: 'mat-khau-dai-du', producerName, communeCode },
      );
    await signUp('htx@anxuyen.vn', 'HTX Khô cá An Xuyên', '32002');
    await signUp('htx@baclieu.vn', 'HTX Muối Bạc Liêu', '31825');
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    browser = await launchChromium(chromium!);
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('administrator creates a commune officer who sees only their commune', async () => {
    const admin = await (
      await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 } })
    ).newPage();
    // asking for a protected page leads to the sign-in page, then back
    await admin.goto(`${base}/admin/users`);
    await admin.waitForURL(/\/login\?next=%2Fadmin%2Fusers/);
    await admin.fill('#f-email', 'admin@ocop.local');
    await admin.fill('#f-password', 'sai mat khau');
    await admin.click('button[type="submit"]');
    assert.match((await admin.textContent('[role="alert"]')) ?? '', /Email hoặc mật khẩu không đúng/);
    assert.equal(await admin.inputValue('#f-email'), 'admin@ocop.local', 'what was typed is kept');
    await admin.fill('#f-password', adminPassword);
    await admin.click('button[type="submit"]');
    await admin.waitForURL(`${base}/admin/users`);
    assert.equal(await admin.textContent('h1'), 'Người dùng');

    // a wrong scope is explained next to the field
    await admin.fill('#f-name', 'Trần Thị Cán Bộ');
    await admin.fill('#f-email', 'canbo@anxuyen.camau.gov.vn');
    await admin.selectOption('#f-role', 'commune_officer');
    await admin.fill('#f-scopeCode', '99999');
    await admin.fill('#f-password', 'mat-khau-can-bo-2026');
    await admin.click('form.form button[type="submit"]');
    assert.match((await admin.textContent('#f-scopeCode-error')) ?? '', /Không có đơn vị hành chính/);
    assert.equal(await admin.inputValue('#f-name'), 'Trần Thị Cán Bộ');
    await admin.fill('#f-scopeCode', '32002');
    await admin.fill('#f-password', 'mat-khau-can-bo-2026');
    await admin.click('form.form button[type="submit"]');
    assert.match(
      (await admin.textContent('[role="status"]')) ?? '',
      /Đã tạo người dùng canbo@anxuyen\.camau\.gov\.vn/,
    );
    await admin.screenshot({ path: path.join(SHOTS, 'users-admin.png'), fullPage: true });
    await admin.goto(`${base}/account`);
    await admin.click('[data-testid="logout"]');
    await admin.waitForURL(`${base}/`);
    assert.equal(await admin.locator('[data-testid="login-link"]').count(), 1);
    await admin.context().close();

    const officer = await (
      await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 } })
    ).newPage();
    await officer.goto(`${base}/login`);
    await officer.fill('#f-email', 'canbo@anxuyen.camau.gov.vn');
    await officer.fill('#f-password', 'mat-khau-can-bo-2026');
    await officer.click('button[type="submit"]');
    await officer.waitForURL(`${base}/account`);
    assert.equal(await officer.textContent('[data-testid="role"]'), 'Cán bộ UBND xã');
    assert.match((await officer.textContent('[data-testid="scope"]')) ?? '', /Phường An Xuyên \(32002\)/);
    await officer.click('text=Đăng ký chờ duyệt');
    const producers = await officer.locator('[data-testid="registration"] h2').allTextContents();
    assert.deepEqual(producers, ['HTX Khô cá An Xuyên'], 'its own commune only');
    await officer.screenshot({ path: path.join(SHOTS, 'registrations-officer-phone.png'), fullPage: true });
    // another commune's administration is closed to it
    const users = await officer.goto(`${base}/admin/users`);
    assert.equal(users?.status(), 403);
    await officer.context().close();
  });
});
