/**
 * Browser journey: an evaluation round from planning to the recognition decision.
 * The provincial office plans round 1, seats the council (chair, secretary, one member: three
 * scoring members) and puts three forwarded dossiers in it; the secretary records attendance and
 * opens scoring; each member, on a tablet, declares conflicts of interest and scores each product
 * on the official sheet (one member recuses on one product; one sheet is submitted offline and sent
 * when the connection returns, once). Nobody sees the others' sheets before everyone has submitted.
 * Two products' totals differ by more than the limit: the chair accepts one spread in writing, the
 * secretary has the other re-scored. The secretary finalises the three results, closes scoring and
 * proposes; the office records the decision (not before the scoring day). The minutes PDF and the
 * result list are downloaded and read back; the round and scoring pages are photographed on a
 * tablet for a person to look at (tmp/).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { builtInCriteria, type Criterion, findForm } from '../../src/modules/evaluation/criteria.ts';
import { memberTotal } from '../../src/modules/evaluation/scoring.ts';
import { projectRoot } from '../../src/platform/paths.ts';
import { addDays, todayInVietnam } from '../../src/platform/time.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { chromiumForTests, launchChromium } from '../support/browser.ts';
import { forwardedDossier, SYSTEM } from '../support/dossiers.ts';

const chromium = chromiumForTests();
const SHOTS = path.join(projectRoot, 'tmp');
const TABLET = { width: 820, height: 1180 };
const PROVINCE = '96';
const PASSWORD = 'mat-khau-hoi-dong-2026';

const OFFICE = { email: 'vanphong.ocop@camau.gov.vn', name: 'Lê Thị Văn Phòng' };
const CHAIR = { email: 'chutich.hoidong@camau.gov.vn', name: 'Phạm Văn Chủ Tịch' };
const SECRETARY = { email: 'thuky.hoidong@camau.gov.vn', name: 'Ngô Thị Thư Ký' };
const MEMBER = { email: 'thanhvien.hoidong@camau.gov.vn', name: 'Đỗ Minh Thành Viên' };

/** The three products, in the order they are put in the round. */
const PRODUCTS = ['Khô cá bổi Rạch Gốc', 'Mắm ba khía Cà Mau', 'Tôm khô Đất Mũi'] as const;
const RECUSAL = 'Tôi là thành viên của hợp tác xã sản xuất sản phẩm này';
const SPREAD_REASON = 'Hội đồng đã thảo luận: chênh lệch do đánh giá khác nhau về vùng nguyên liệu';
/** The page's localStorage, as a script in the page sees it. */
type WithStorage = { localStorage: { getItem(key: string): string | null } };
const storedQueue = (page: Page, key: string) =>
  page.evaluate((k) => (globalThis as unknown as WithStorage).localStorage.getItem(k), key);

const form8 = findForm(builtInCriteria(), 8)!;
const optionCount = (leaf: Criterion) => leaf.options.length || 2;

/**
 * A sheet (criterion → option index): every criterion one step below its best option, but the
 * `best` ones (criterion codes, or 'part:A' for every criterion of part A) at their best.
 */
function sheet(best: string[] = []): Record<string, number> {
  return Object.fromEntries(
    form8.leaves.map((leaf) => {
      const top = optionCount(leaf) - 1;
      const atBest = best.includes(leaf.code) || best.includes(`part:${leaf.part}`);
      return [leaf.code, atBest ? top : Math.max(0, top - 1)];
    }),
  );
}
const total = (choices: Record<string, number>) => memberTotal(form8, choices);

/** Clicks something that submits a form and waits for the page it leads to. */
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

/** A message key shown as such means a missing translation. */
async function assertTranslated(page: Page): Promise<void> {
  const text = (await page.locator('body').textContent()) ?? '';
  assert.doesNotMatch(text, /\b(?:round|errors|validation|criteria|layout)\.[a-zA-Z_]+/);
  assert.doesNotMatch(text, /first_evaluation|re_evaluation|\bundefined\b|\bNaN\b/);
}

describe('evaluation round in Chromium (pglite)', { skip: chromium ? false : 'Chromium not found' }, () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  const entries: string[] = [];
  const userIds: Record<string, string> = {};
  /** Errors thrown by the pages' scripts (scoring.js): there must be none. */
  const scriptErrors: string[] = [];

  before(async () => {
    app = await startTestApp('pglite');
    for (const [who, role, scopeCode] of [
      [OFFICE, 'province_office', PROVINCE],
      [CHAIR, 'council_member', null],
      [SECRETARY, 'council_secretary', null],
      [MEMBER, 'council_member', null],
    ] as const) {
      const user = await app.identity.createUser(SYSTEM, null, {
        email: who.email,
        name: who.name,
        role,
        scopeCode,
        producerId: null,
        password: PASSWORD,
      });
      userIds[who.email] = user.id;
    }
    for (const name of PRODUCTS) await forwardedDossier(app, { name, productSet: 8 });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    browser = await launchChromium(chromium!);
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signInAs(who: { email: string }): Promise<Page> {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: TABLET });
    const page = await context.newPage();
    page.on('pageerror', (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`${base}/login`);
    await page.fill('#f-email', who.email);
    await page.fill('#f-password', PASSWORD);
    await submit(page, page.locator('main button[type="submit"]'));
    assert.equal(page.url(), `${base}/account`, `${who.email} signed in`);
    return page;
  }

  /** The whole page, as a picture to look at (once its text is known to be all translated). */
  async function shot(page: Page, name: string): Promise<void> {
    await assertTranslated(page);
    await page.screenshot({ path: path.join(SHOTS, `round-${name}.png`), fullPage: true });
  }
  /** What the tablet's screen shows with `target` scrolled into view (sticky bars where they stay). */
  async function screen(page: Page, name: string, target: Locator): Promise<void> {
    await assertTranslated(page);
    await target.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, `round-${name}.png`) });
  }

  test('a round is planned, scored on tablets, resolved, finalised, decided and printed', async () => {
    // --- 1. the office plans the round, seats the council, puts the dossiers in --------------
    const office = await signInAs(OFFICE);
    await submit(office, office.getByRole('link', { name: 'Đợt đánh giá', exact: true }));
    assert.equal(office.url(), `${base}/rounds`);
    const year = todayInVietnam().slice(0, 4);
    await office.selectOption('#f-level', 'province');
    assert.equal(await office.inputValue('#f-year'), year);
    await office.fill('#f-number', '1');
    await office.fill('#f-location', 'Hội trường Sở Nông nghiệp và Môi trường tỉnh Cà Mau');
    await submit(office, office.getByRole('button', { name: 'Lập đợt' }));
    assert.match(office.url(), /\/rounds\/[0-9a-f-]{36}$/);
    const roundUrl = office.url();
    const roundId = roundUrl.split('/').pop()!;
    assert.equal((await office.textContent('h1'))?.trim(), `Đợt đánh giá cấp tỉnh 1/${year}`);

    for (const [who, role, organisation] of [
      [CHAIR, 'chair', 'Sở Nông nghiệp và Môi trường'],
      [SECRETARY, 'secretary', 'Văn phòng Điều phối OCOP tỉnh'],
      [MEMBER, 'member', 'Sở Công Thương'],
    ] as const) {
      await office.selectOption('#f-userId', { label: `${who.name} (${who.email})` });
      await office.selectOption('#f-role', role);
      await office.fill('#f-organisation', organisation);
      await submit(office, office.getByRole('button', { name: 'Thêm vào hội đồng' }));
      assert.equal(office.url(), `${roundUrl}#council`);
    }
    const members = office.locator('[data-testid="members"] tbody tr');
    assert.deepEqual(
      (await members.locator('td:nth-child(2)').allTextContents()).map((s) => s.trim()),
      ['Chủ tịch', 'Thư ký', 'Thành viên'],
    );

    for (const name of PRODUCTS) {
      const option = office.locator('#f-dossierId option', { hasText: name });
      await office.selectOption('#f-dossierId', (await option.getAttribute('value'))!);
      await submit(office, office.getByRole('button', { name: 'Thêm vào đợt' }));
      assert.equal(office.url(), `${roundUrl}#dossiers`);
    }
    for (const [i, name] of PRODUCTS.entries()) {
      const row = office.locator(`[data-testid="round-dossier-${i + 1}"]`);
      assert.equal((await row.getByRole('link').first().textContent())?.trim(), name);
      entries.push((await row.getByRole('link').first().getAttribute('href'))!.split('/').pop()!);
    }
    await shot(office, 'planned-office');

    // --- 2. the secretary records attendance and opens scoring -------------------------------
    const secretary = await signInAs(SECRETARY);
    await secretary.goto(`${base}/rounds`);
    await submit(secretary, secretary.getByRole('link', { name: `Đợt đánh giá cấp tỉnh 1/${year}` }));
    assert.equal(secretary.url(), roundUrl);
    assert.match((await secretary.textContent('[data-testid="quorum"]')) ?? '', /Có mặt 0\/3/);
    for (const who of [CHAIR, SECRETARY, MEMBER]) await secretary.getByLabel(`${who.name} có mặt`).check();
    await submit(secretary, secretary.getByRole('button', { name: 'Lưu điểm danh' }));
    assert.match(
      (await secretary.textContent('[data-testid="quorum"]')) ?? '',
      /Có mặt 3\/3.*Đủ điều kiện họp/,
    );
    await submit(secretary, secretary.getByRole('button', { name: 'Mở phiên chấm' }));
    assert.equal((await secretary.textContent('h1 + p .status'))?.trim(), 'Đang chấm');

    // --- 3. the members score -----------------------------------------------------------------
    const [chair, member] = await Promise.all([signInAs(CHAIR), signInAs(MEMBER)]);
    const scoring = (entry: number) => `${roundUrl}/dossiers/${entries[entry]}`;
    const sheetsApi = (entry: number) =>
      `${base}/api/v1/evaluation/rounds/${roundId}/dossiers/${entries[entry]}/sheets`;

    /** Opens a product's scoring page and declares no conflict (or one, with its reason). */
    async function declare(page: Page, entry: number, conflict?: string) {
      await page.goto(scoring(entry));
      if (conflict) {
        await page.getByLabel('Tôi có xung đột lợi ích, không chấm sản phẩm này').check();
        await page.getByLabel('Lý do (bắt buộc khi có xung đột)').fill(conflict);
      } else {
        await page.getByLabel('Tôi không có xung đột lợi ích').check();
      }
      await submit(page, page.getByRole('button', { name: 'Khai báo' }));
      assert.equal(page.url(), scoring(entry));
      assert.match(
        (await page.textContent('[data-testid="conflict-declared"] summary')) ?? '',
        conflict ? /có xung đột lợi ích/ : /không có xung đột lợi ích/,
      );
    }
    /** Chooses the options of a sheet on the page, with a comment on the first criterion. */
    async function fill(page: Page, choices: Record<string, number>, comment?: string) {
      for (const leaf of form8.leaves)
        await page.locator(`input[name="c/${leaf.code}"]`).nth(choices[leaf.code]!).check({ force: true });
      if (comment) await page.locator('textarea[name="m/1.1"]').fill(comment);
      assert.equal(
        (await page.textContent('[data-running-total]'))?.trim(),
        `Đã chấm ${form8.leaves.length}/${form8.leaves.length} tiêu chí · tạm tính ${total(choices)} điểm`,
      );
    }
    /** Declares, scores and submits; the page comes back with the sheet locked. */
    async function score(page: Page, entry: number, choices: Record<string, number>, comment?: string) {
      await declare(page, entry);
      await fill(page, choices, comment);
      await submit(page, page.getByRole('button', { name: 'Nộp phiếu' }));
      const done = (await page.textContent('[data-testid="submitted"]')) ?? '';
      assert.match(done, new RegExp(`: ${total(choices)},00 điểm\\. Phiếu đã khóa`));
      assert.equal(await page.locator('input[name="c/1.1"]:disabled').count(), optionCount(form8.leaves[0]!));
    }

    const ordinary = sheet();
    const higher = sheet(['7']);
    const generous = sheet(['part:A']);
    assert.ok(total(generous) - total(ordinary) > 10, 'a spread above the limit');
    assert.ok(total(higher) - total(ordinary) <= 10, 'a spread within the limit');

    // product 1: the chair first; nobody sees another's sheet before every sheet is in
    await score(chair, 0, ordinary, 'Nguyên liệu cá bổi đánh bắt tại vùng biển Rạch Gốc');
    assert.equal(await chair.locator('[data-testid="all-sheets"]').count(), 0);
    assert.match((await chair.textContent('.evidence')) ?? '', /chỉ hiện khi mọi thành viên có mặt đã nộp/);
    const hidden = await chair.context().request.get(sheetsApi(0));
    assert.equal(hidden.status(), 200);
    assert.equal((await hidden.json()).others, null, 'the API hides the others too');
    await screen(chair, 'scoring-submitted-chair', chair.locator('[data-testid="submitted"]'));
    await score(secretary, 0, higher);

    // the member's sheet goes while the tablet is offline: it waits on the device, then is sent once
    await declare(member, 0);
    assert.equal(await member.locator('[data-testid="all-sheets"]').count(), 0, 'two of three are in');
    assert.equal((await (await member.context().request.get(sheetsApi(0))).json()).others, null);
    await fill(member, higher);
    const puts = { finished: 0, failed: 0 };
    const finished = (r: Request) => {
      if (r.method() === 'PUT') puts.finished += 1;
    };
    const failed = (r: Request) => {
      if (r.method() === 'PUT') puts.failed += 1;
    };
    member.on('requestfinished', finished);
    member.on('requestfailed', failed);
    await member.context().setOffline(true);
    await member.getByRole('button', { name: 'Nộp phiếu' }).click();
    const status = member.locator('[data-offline-status]');
    await status.waitFor({ state: 'visible' });
    assert.match((await status.textContent()) ?? '', /Mất kết nối: phiếu được giữ trên máy này/);
    const queueKey = (await member.getAttribute('form.score-form', 'data-queue-key'))!;
    assert.equal(queueKey, `ocop-sheet-queue:${userIds[MEMBER.email]}`, 'one queue per member');
    const queued = JSON.parse((await storedQueue(member, queueKey)) ?? '{}');
    const apiUrl = `/api/v1/evaluation/rounds/${roundId}/dossiers/${entries[0]}/sheet`;
    assert.deepEqual(Object.keys(queued), [apiUrl]);
    assert.equal(queued[apiUrl].submit, true);
    assert.deepEqual(queued[apiUrl].choices, higher);
    assert.equal(await submittedSheets(app, entries[0]!, MEMBER.email), 0, 'nothing reached the server');
    await screen(member, 'scoring-offline-member', member.locator('input[name="c/11"]').first());
    await Promise.all([
      member.waitForEvent('framenavigated', { predicate: (f) => f === member.mainFrame() }),
      member.context().setOffline(false),
    ]);
    await member.waitForLoadState('load');
    await member.locator('[data-testid="submitted"]').waitFor();
    assert.equal(await storedQueue(member, queueKey), '{}', 'the queue is empty');
    assert.deepEqual(puts, { finished: 1, failed: 1 }, 'one attempt offline, one send once online');
    member.off('requestfinished', finished);
    member.off('requestfailed', failed);
    // a resend of the same save (the answer was lost on the way back) changes nothing
    const replay = await member.context().request.put(`${base}${apiUrl}`, { data: queued[apiUrl] });
    assert.equal(replay.status(), 200);
    assert.equal((await replay.json()).replayed, true);
    assert.equal(await submittedSheets(app, entries[0]!, MEMBER.email), 1, 'submitted exactly once');
    assert.equal(await auditedSubmissions(app, entries[0]!), 3, 'one audited submission per member');

    // every sheet is in: each member now sees the others'
    await chair.reload();
    const all = chair.locator('[data-testid="all-sheets"] details');
    assert.equal(await all.count(), 2);
    assert.match((await all.allTextContents()).join(' '), new RegExp(`${SECRETARY.name}: ${total(higher)}`));
    const shown = await (await chair.context().request.get(sheetsApi(0))).json();
    assert.deepEqual(
      shown.others.map((s: { memberName: string }) => s.memberName).sort(),
      [MEMBER.name, SECRETARY.name].sort(),
    );
    await chair.locator('[data-testid="all-sheets"] summary').first().click();
    await screen(chair, 'scoring-all-sheets-chair', chair.locator('h1'));

    // the member reads the dossier and its papers from the scoring page
    const evidence = member.locator('[data-testid="evidence"] a');
    assert.ok((await evidence.count()) >= 5, 'the papers of the dossier');
    assert.match((await member.textContent('[data-testid="evidence"]')) ?? '', /Phiếu kết quả kiểm nghiệm: /);
    for (const href of [
      (await member.getAttribute('a:text("Mở hồ sơ (tab mới)")', 'href'))!,
      (await evidence.first().getAttribute('href'))!,
    ]) {
      const read = await member.context().request.get(`${base}${href}`);
      assert.equal(read.status(), 200, href);
    }

    // product 2: the chair is far more generous than the others (a draft first, then the sheet)
    await declare(chair, 1);
    const partA = form8.leaves.filter((leaf) => leaf.part === 'A');
    for (const leaf of partA)
      await chair.locator(`input[name="c/${leaf.code}"]`).nth(generous[leaf.code]!).check();
    await submit(chair, chair.getByRole('button', { name: 'Lưu nháp' }));
    assert.match((await chair.textContent('[data-testid="draft-saved"]')) ?? '', /Đã lưu nháp lúc/);
    assert.equal(
      (await chair.textContent('[data-running-total]'))?.trim(),
      `Đã chấm ${partA.length}/${form8.leaves.length} tiêu chí · tạm tính 40 điểm`,
      'the draft comes back as saved',
    );
    await fill(chair, generous);
    await submit(chair, chair.getByRole('button', { name: 'Nộp phiếu' }));
    assert.match((await chair.textContent('[data-testid="submitted"]')) ?? '', /: 77,00 điểm/);
    await score(secretary, 1, ordinary);
    // the member's first draft meets a server briefly unavailable: it waits on the tablet; the
    // member saves again at once, and the older draft waiting must not overwrite the newer one
    await declare(member, 1);
    await member.route(
      '**/api/v1/evaluation/rounds/*/dossiers/*/sheet',
      (route) => route.fulfill({ status: 503 }),
      {
        times: 1,
      },
    );
    await member.locator('input[name="c/1.1"]').first().check();
    await member.getByRole('button', { name: 'Lưu nháp' }).click();
    await status.waitFor({ state: 'visible' });
    const waiting = JSON.parse((await storedQueue(member, queueKey)) ?? '{}');
    assert.deepEqual(
      Object.values(waiting).map((sheet) => (sheet as { choices: object }).choices),
      [{ '1.1': 0 }],
    );
    await fill(member, ordinary);
    await submit(member, member.getByRole('button', { name: 'Lưu nháp' }));
    await member.locator('[data-testid="draft-saved"]').waitFor();
    assert.equal(await storedQueue(member, queueKey), '{}', 'the older draft left the queue');
    assert.equal(
      (await member.textContent('[data-running-total]'))?.trim(),
      `Đã chấm ${form8.leaves.length}/${form8.leaves.length} tiêu chí · tạm tính ${total(ordinary)} điểm`,
      'the newer draft is kept',
    );
    await submit(member, member.getByRole('button', { name: 'Nộp phiếu' }));
    await member.locator('[data-testid="submitted"]').waitFor();

    // product 3: the member recuses; the chair and the secretary disagree widely
    await declare(member, 2, RECUSAL);
    assert.match((await member.textContent('[data-testid="recused"]')) ?? '', /đã khai báo xung đột lợi ích/);
    assert.equal(await member.getByRole('button', { name: 'Nộp phiếu' }).count(), 0);
    await score(chair, 2, generous);
    await score(secretary, 2, ordinary);

    // --- 4. the round page flags the spreads; one is accepted, the other re-scored ---------------
    await secretary.goto(roundUrl);
    const row = (entry: number) => secretary.locator(`[data-testid="round-dossier-${entry + 1}"]`);
    assert.equal((await row(0).locator('[data-testid="sheets-in"]').textContent())?.trim(), '3/3');
    assert.equal((await row(2).locator('[data-testid="sheets-in"]').textContent())?.trim(), '2/2');
    for (const entry of [1, 2])
      assert.match(
        (await row(entry).locator('[data-testid="spread"]').textContent()) ?? '',
        /16,00 ⚠ vượt ngưỡng 10/,
      );
    assert.doesNotMatch((await row(0).locator('[data-testid="spread"]').textContent()) ?? '', /⚠/);
    await shot(secretary, 'spread-flagged-secretary');
    // a product whose spread is unresolved cannot be finalised: the page says why, the API refuses
    for (const entry of [1, 2]) {
      assert.match(
        (await row(entry).locator('[data-testid="outcome"]').textContent()) ?? '',
        /vượt ngưỡng: chấm lại hoặc Chủ tịch chấp nhận kèm lý do/,
      );
      assert.equal(await row(entry).getByRole('button', { name: 'Chốt kết quả' }).count(), 0);
    }
    assert.equal(await row(0).getByRole('button', { name: 'Chốt kết quả' }).count(), 1);
    const refused = await secretary
      .context()
      .request.post(`${base}/api/v1/evaluation/rounds/${roundId}/dossiers/${entries[1]}/finalise`);
    assert.equal(refused.status(), 409);
    assert.equal((await refused.json()).code, 'round_spread_unresolved');

    // the chair accepts the spread of product 2 with a written reason
    await chair.goto(roundUrl);
    const chairRow = chair.locator('[data-testid="round-dossier-2"]');
    await chairRow.getByLabel('Lý do chấp nhận chênh lệch').fill(SPREAD_REASON);
    await submit(chair, chairRow.getByRole('button', { name: 'Chấp nhận chênh lệch' }));
    assert.match(
      (await chair.locator('[data-testid="round-dossier-2"] [data-testid="spread"]').textContent()) ?? '',
      new RegExp(`Chủ tịch chấp nhận: ${SPREAD_REASON}`),
    );

    // the secretary has product 3 re-scored: the two score again, closer
    await secretary.goto(roundUrl);
    await submit(secretary, row(2).getByRole('button', { name: 'Chấm lại' }));
    assert.match((await row(2).locator('[data-testid="sheets-in"]').textContent()) ?? '', /0\/2.*lần chấm 2/);
    await chair.goto(scoring(2));
    await fill(chair, higher);
    await submit(chair, chair.getByRole('button', { name: 'Nộp phiếu' }));
    await chair.locator('[data-testid="submitted"]').waitFor();
    await secretary.goto(scoring(2));
    await fill(secretary, ordinary);
    await submit(secretary, secretary.getByRole('button', { name: 'Nộp phiếu' }));
    await secretary.locator('[data-testid="submitted"]').waitFor();

    // the member's view of the round: the products to score, no running of the session
    await member.goto(roundUrl);
    assert.equal(await member.getByRole('button', { name: 'Lưu điểm danh' }).count(), 0);
    assert.equal(await member.locator('[data-testid="minutes-pdf"]').count(), 0);
    await shot(member, 'round-member');

    // --- 5. the secretary finalises, closes scoring, proposes ---------------------------------
    await secretary.goto(roundUrl);
    for (const entry of [0, 1, 2]) {
      await submit(secretary, row(entry).getByRole('button', { name: 'Chốt kết quả' }));
      assert.match(
        (await row(entry).locator('[data-testid="outcome"]').textContent()) ?? '',
        /Đề nghị công nhận/,
      );
    }
    await shot(secretary, 'finalised-secretary');
    await submit(secretary, secretary.getByRole('button', { name: 'Kết thúc chấm' }));
    assert.equal((await secretary.textContent('h1 + p .status'))?.trim(), 'Đã kết thúc chấm');
    await submit(
      secretary,
      secretary.getByRole('button', { name: 'Đề xuất kết quả lên Chủ tịch UBND tỉnh' }),
    );
    assert.equal((await secretary.textContent('h1 + p .status'))?.trim(), 'Đã đề xuất kết quả');

    // --- 6. the office records the decision (never dated before the scoring) -------------------
    await office.goto(roundUrl);
    const today = todayInVietnam();
    await office.fill('#f-decisionNumber', `1234/QĐ-UBND`);
    await office.fill('#f-decisionDate', addDays(today, -1));
    await office.fill('#f-decisionSigner', 'Nguyễn Văn Chủ Tịch Tỉnh');
    await submit(office, office.getByRole('button', { name: 'Ghi nhận quyết định công nhận' }));
    assert.match(
      (await office.textContent('#round-actions + [role="alert"]')) ?? '',
      new RegExp(`Ngày quyết định không được trước ngày chấm \\(${today.split('-').reverse().join('/')}\\)`),
    );
    await office.fill('#f-decisionDate', today);
    await submit(office, office.getByRole('button', { name: 'Ghi nhận quyết định công nhận' }));
    assert.equal((await office.textContent('h1 + p .status'))?.trim(), 'Đã có quyết định');
    assert.match((await office.textContent('[data-testid="decision"]')) ?? '', /số 1234\/QĐ-UBND/);
    await shot(office, 'decided-office');

    // --- 7. the minutes and the result list ----------------------------------------------------
    const [download] = await Promise.all([
      office.waitForEvent('download'),
      office.locator('[data-testid="results-xlsx"]').click(),
    ]);
    const xlsxPath = path.join(SHOTS, 'round-results.xlsx');
    await download.saveAs(xlsxPath);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxPath);
    const sheetXlsx = workbook.getWorksheet('Kết quả')!;
    assert.equal(sheetXlsx.rowCount, 4, 'a heading row and one row per product');
    const cell = (r: number, header: string) => {
      const heads = (sheetXlsx.getRow(1).values as unknown[]).map(String);
      return sheetXlsx.getRow(r).getCell(heads.indexOf(header)).value;
    };
    const rows = [2, 3, 4].map((r) => ({
      name: cell(r, 'Tên sản phẩm'),
      score: cell(r, 'Điểm'),
      spread: cell(r, 'Độ chênh lệch'),
      stars: cell(r, 'Số sao'),
      outcome: cell(r, 'Kết quả'),
    }));
    assert.deepEqual(rows, [
      { name: PRODUCTS[0], score: 62.33, spread: 2, stars: 3, outcome: 'Đề nghị công nhận' },
      { name: PRODUCTS[1], score: 66.33, spread: 16, stars: 3, outcome: 'Đề nghị công nhận' },
      { name: PRODUCTS[2], score: 62, spread: 2, stars: 3, outcome: 'Đề nghị công nhận' },
    ]);
    assert.match(String(cell(4, 'Điểm từng thành viên')), new RegExp(`${MEMBER.name}: .*xung đột lợi ích`));
    const minutesHref = (await office.getAttribute('[data-testid="minutes-pdf"]', 'href'))!;
    const pdf = await office.context().request.get(`${base}${minutesHref}`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const pdfPath = path.join(SHOTS, 'round-minutes.pdf');
    fs.writeFileSync(pdfPath, await pdf.body());
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    for (const heading of ['BIÊN BẢN HỌP HỘI ĐỒNG', 'I. THÀNH PHẦN', 'II. KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG'])
      assert.ok(text.includes(heading), heading);
    for (const name of PRODUCTS) assert.ok(text.includes(name), name);
    assert.match(text, /không chấm do xung đột lợi ích/);
    assert.match(text, /Chấp nhận độ chênh lệch, không chấm lại/);
    assert.match(text, /Quyết định số 1234\/QĐ-UBND/);
    execFileSync('pdftoppm', ['-png', '-r', '90', pdfPath, path.join(SHOTS, 'round-minutes')]);

    // what the database keeps: the dossiers' evaluation is over, every step is in the audit log
    const dossiers = await app.database.db
      .selectFrom('products.dossier as d')
      .innerJoin('evaluation.round_dossier as rd', 'rd.dossier_id', 'd.id')
      .select(['d.status', 'rd.attempt', 'rd.outcome'])
      .where('rd.round_id', '=', roundId)
      .orderBy('rd.position')
      .execute();
    assert.deepEqual(dossiers, [
      { status: 'closed', attempt: 1, outcome: 'recognise' },
      { status: 'closed', attempt: 1, outcome: 'recognise' },
      { status: 'closed', attempt: 2, outcome: 'recognise' },
    ]);
    const steps = await app.database.db
      .selectFrom('platform.audit_log')
      .select('action')
      .where('action', 'in', [
        'round.spread_accept',
        'round.rescore',
        'round.result_finalise',
        'round.decide',
      ])
      .execute();
    assert.deepEqual(steps.map((a) => a.action).sort(), [
      'round.decide',
      'round.rescore',
      'round.result_finalise',
      'round.result_finalise',
      'round.result_finalise',
      'round.spread_accept',
    ]);

    // the consistency report of the council
    await office.goto(`${roundUrl}/report`);
    await shot(office, 'report-office');

    for (const page of [office, secretary, chair, member]) await page.context().close();
    assert.deepEqual(scriptErrors, [], 'no script error on any page');
  });
});

/** The member's submitted sheets for a product (every attempt). */
async function submittedSheets(app: TestApp, entryId: string, email: string): Promise<number> {
  const rows = await app.database.db
    .selectFrom('evaluation.score_sheet as s')
    .innerJoin('evaluation.council_member as m', 'm.id', 's.member_id')
    .select('s.id')
    .where('s.round_dossier_id', '=', entryId)
    .where('m.email', '=', email)
    .where('s.status', '=', 'submitted')
    .execute();
  return rows.length;
}

async function auditedSubmissions(app: TestApp, entryId: string): Promise<number> {
  const rows = await app.database.db
    .selectFrom('platform.audit_log')
    .select('id')
    .where('action', '=', 'score_sheet.submit')
    .where('entity_id', '=', entryId)
    .execute();
  return rows.length;
}
