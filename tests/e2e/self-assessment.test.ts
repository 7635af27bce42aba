/**
 * Browser journey: a producer scores its own product on the official sheet before submitting.
 * From the dossier page it opens the self-assessment, answers every criterion of set 8 (the lowest
 * level, then better ones), asks for the estimate, sees the likely stars, the minimums it misses
 * and the steps to the next star, and saves it as part III of Mẫu 02.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { builtInCriteria, findForm } from '../../src/modules/evaluation/criteria.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { projectRoot } from '../../src/platform/paths.ts';
import { createProducer, startTestApp, type TestApp } from '../support/app.ts';
import { chromiumForTests, launchChromium } from '../support/browser.ts';
import { testEngines } from '../support/db.ts';

const chromium = chromiumForTests();
const SHOTS = path.join(projectRoot, 'test-results');
const PRODUCER = { email: 'tucham@khocarachgoc.vn', password: 'mat-khau-chu-the-2026' };

for (const engine of testEngines()) journey(engine);

function journey(engine: Engine) {
  describe(`self-assessment in Chromium (${engine})`, {
    skip: chromium ? false : 'Chromium not found',
  }, () => {
    let app: TestApp;
    let browser: Browser;
    let base: string;
    let dossierId: string;

    before(async () => {
      app = await startTestApp(engine);
      const producer = await createProducer(app, { legalName: 'Hợp tác xã Khô cá Tự Chấm' });
      const system = { actor: { type: 'system' as const, label: 'test' } };
      await app.identity.createUser(system, null, {
        email: PRODUCER.email,
        name: 'Lê Văn Chấm',
        role: 'producer',
        scopeCode: null,
        producerId: producer.id,
        password: PRODUCER.password,
      });
      const principal = {
        userId: '00000000-0000-4000-8000-000000000000',
        email: 'x',
        name: 'Quản trị',
        role: 'admin',
        scopeCode: null,
        producerId: null,
        via: 'session' as const,
      };
      const product = await app.products.products.create(system, principal, {
        producerId: producer.id,
        name: 'Khô cá bổi tự chấm',
        productSet: 8,
      });
      dossierId = (
        await app.products.dossiers.create(system, principal, {
          productId: product.id,
          kind: 'first_evaluation',
        })
      ).id;
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
      browser = await launchChromium(chromium!);
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    test('the producer answers every criterion, sees the likely stars and what to improve, saves', async () => {
      const page = await (
        await browser.newContext({ locale: 'vi-VN', viewport: { width: 1100, height: 900 } })
      ).newPage();
      await page.goto(`${base}/login`);
      await page.fill('#f-email', PRODUCER.email);
      await page.fill('#f-password', PRODUCER.password);
      await page.click('button[type="submit"]');
      await page.waitForURL(`${base}/account`);
      await page.goto(`${base}/dossiers/${dossierId}`);
      await page.click('[data-testid="self-assessment-link"]');
      await page.waitForURL(`${base}/dossiers/${dossierId}/self-assessment`);

      // every criterion at its lowest level but 1.x at their best: a low score, minimums missed
      const form = findForm(builtInCriteria(), 8)!;
      for (const leaf of form.leaves) {
        const group = page.getByRole('group', { name: new RegExp(`^${leaf.code.replace('.', '\\.')}\\. `) });
        const radios = group.getByRole('radio');
        const count = await radios.count();
        await radios.nth(leaf.code.startsWith('1.') ? count - 1 : 0).check();
      }
      await Promise.all([
        page.waitForLoadState('load'),
        page.getByRole('button', { name: 'Tính điểm dự kiến' }).click(),
      ]);
      await page.waitForSelector('[data-testid="self-assessment-result"]');
      const result = (await page.textContent('[data-testid="self-assessment-result"]')) ?? '';
      assert.match(result, /Điểm: \d+\.\d\d\/100/);
      assert.match(result, /hạng dự kiến/);
      const steps = await page.locator('[data-testid="next-steps"] li').allTextContents();
      assert.ok(steps.length > 0, 'the steps to the next star');
      assert.match(steps[0]!, /nâng tiêu chí [\d.]+ lên “.+” \(\+\d+ điểm\)/);
      // the answers stay chosen after the estimate
      const first = form.leaves.find((l) => l.code.startsWith('1.'))!;
      const firstGroup = page.getByRole('group', {
        name: new RegExp(`^${first.code.replace('.', '\\.')}\\. `),
      });
      assert.equal(await firstGroup.getByRole('radio').last().isChecked(), true);
      await page.screenshot({ path: path.join(SHOTS, `self-assessment-${engine}.png`), fullPage: false });

      await Promise.all([
        page.waitForLoadState('load'),
        page.getByRole('button', { name: 'Lưu vào hồ sơ' }).click(),
      ]);
      await page.waitForSelector('text=Đã lưu vào hồ sơ');
      const stored = await sql<{
        scoring: { version: string; stars: number; choices: Record<string, number> };
      }>`
        select self_assessment->'scoring' as scoring from products.dossier where id = ${dossierId}`.execute(
        app.database.db,
      );
      const scoring = stored.rows[0]!.scoring;
      assert.equal(scoring.version, '26-2026');
      assert.equal(Object.keys(scoring.choices).length, form.leaves.length);
      await page.goto(`${base}/dossiers/${dossierId}`);
      assert.match(
        (await page.textContent('[data-testid="self-assessment-link"]'))! +
          (await page.locator('.notice').first().textContent()),
        /đã lưu/,
      );
      const body = (await page.locator('body').textContent()) ?? '';
      assert.doesNotMatch(body, /\b(?:criteria|selfAssessment|dossiers)\.[a-zA-Z_]+/);
      await page.context().close();
    });
  });
}
