/**
 * Evaluation rounds through the API, on both engines: planning, council, dossiers, conflicts of
 * interest, scoring (drafts, submission, lock, replay), hidden sheets, spread, quorum, results,
 * decision, minutes — and every refusal the issue names leaves the data as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type SignedInAgent, signIn, startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { ADMIN, forwardedDossier } from '../../../tests/support/dossiers.ts';
import { addDays, todayInVietnam } from '../../platform/time.ts';
import { builtInCriteria, type CriteriaForm, findForm, isMetOrNot, pointsOf } from './criteria.ts';
import { memberTotal } from './scoring.ts';

after(dropOwnTemplates);

const FORM = findForm(builtInCriteria(), 8)!;

/** The best option of every leaf (100 points), then lowered criterion by criterion down to `target`. */
function sheetNear(form: CriteriaForm, target: number): Record<string, number> {
  const choices: Record<string, number> = {};
  for (const leaf of form.leaves) {
    if (isMetOrNot(leaf)) choices[leaf.code] = 1;
    else
      choices[leaf.code] = leaf.options.reduce(
        (best, o, i) => (o.points > (leaf.options[best]?.points ?? -1) ? i : best),
        0,
      );
  }
  for (const leaf of [...form.leaves].reverse()) {
    if (memberTotal(form, choices) <= target) break;
    if (isMetOrNot(leaf)) choices[leaf.code] = 0;
    else {
      let lowest = 0;
      leaf.options.forEach((o, i) => {
        if (o.points < (pointsOf(leaf, lowest) ?? 0)) lowest = i;
      });
      choices[leaf.code] = lowest;
    }
  }
  return choices;
}

for (const engine of testEngines()) {
  describe(`evaluation rounds (${engine})`, () => {
    let app: TestApp;
    let office: SignedInAgent;
    let chair: SignedInAgent;
    let secretary: SignedInAgent;
    let member: SignedInAgent;
    let outsider: SignedInAgent;
    let producer: SignedInAgent;
    let roundId: string;
    const entries: string[] = [];
    const dossierIds: string[] = [];
    const productIds: string[] = [];

    const call = (
      method: string,
      url: string,
      agent: SignedInAgent | null,
      payload?: unknown,
      headers = {},
    ) =>
      app.server.inject({
        method: method as 'GET',
        url,
        headers: { accept: 'application/json', ...(agent ? { cookie: agent.cookie } : {}), ...headers },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const api = (tail = '') => `/api/v1/evaluation/rounds/${roundId}${tail}`;
    const round = async () => (await call('GET', api(), office)).json();
    const sheet = (agent: SignedInAgent, entry: string, body: object) =>
      call('PUT', api(`/dossiers/${entry}/sheet`), agent, body);

    before(async () => {
      app = await startTestApp(engine);
      office = await signIn(app, { email: 'vanphong@camau.vn', role: 'province_office', scopeCode: '96' });
      chair = await signIn(app, { email: 'chutich@hd.vn', role: 'council_member', name: 'Nguyễn Văn Chủ' });
      secretary = await signIn(app, {
        email: 'thuky@hd.vn',
        role: 'council_secretary',
        name: 'Trần Thị Thư',
      });
      member = await signIn(app, { email: 'thanhvien@hd.vn', role: 'council_member', name: 'Lê Văn Viên' });
      outsider = await signIn(app, { email: 'ngoai@hd.vn', role: 'council_member', name: 'Người Ngoài' });
      producer = await signIn(app, { email: 'chu@htx.vn', role: 'producer' });
      for (const name of ['Khô cá bổi', 'Mật ong U Minh', 'Tôm khô Rạch Gốc']) {
        const { dossierId, productId } = await forwardedDossier(app, { name, productSet: 8 });
        dossierIds.push(dossierId);
        productIds.push(productId);
      }
    });
    after(() => app?.close());

    test('planning: official dates for regular rounds, dates required for extra ones, one round per number', async () => {
      const created = await call('POST', '/api/v1/evaluation/rounds', office, {
        level: 'province',
        year: 2026,
        number: 2,
      });
      assert.equal(created.statusCode, 201, created.body);
      const body = created.json();
      roundId = body.id;
      assert.equal(body.filesBy, '2026-10-30');
      assert.equal(body.closesBy, '2026-12-30');
      assert.equal(body.status, 'planned');
      assert.equal(body.quorumPercent, 75);
      assert.equal(body.provinceCode, '96');
      const again = await call('POST', '/api/v1/evaluation/rounds', office, {
        level: 'province',
        year: 2026,
        number: 2,
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'round_exists');
      const extra = await call('POST', '/api/v1/evaluation/rounds', office, {
        level: 'province',
        year: 2026,
        number: 3,
      });
      assert.equal(extra.statusCode, 400);
      assert.deepEqual(
        extra
          .json()
          .errors.map((e: { name: string }) => e.name)
          .sort(),
        ['closesBy', 'filesBy'],
      );
      const central = await call('POST', '/api/v1/evaluation/rounds', office, {
        level: 'central',
        year: 2026,
        number: 2,
      });
      assert.equal(central.json().filesBy, '2027-01-30', 'central round 2: files by 30/01 of the next year');
      assert.equal(central.json().closesBy, '2027-03-30');
      assert.equal(
        (
          await call('POST', '/api/v1/evaluation/rounds', producer, {
            level: 'province',
            year: 2026,
            number: 4,
          })
        ).statusCode,
        403,
      );
      assert.equal((await call('GET', api(), outsider)).statusCode, 404, 'not on the council: not there');
    });

    test('council: council accounts only, one chair, one seat per person', async () => {
      const seat = (userId: string, role: string, organisation = 'Sở Nông nghiệp và Môi trường') =>
        call('POST', api('/members'), office, { userId, role, organisation });
      assert.equal((await seat(chair.userId, 'chair')).statusCode, 200);
      assert.equal((await seat(secretary.userId, 'secretary')).statusCode, 200);
      const second = await seat(member.userId, 'chair');
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().code, 'round_member_role_taken');
      assert.equal((await seat(member.userId, 'member')).statusCode, 200);
      const twice = await seat(member.userId, 'vice_chair');
      assert.equal(twice.json().code, 'round_member_exists');
      const notCouncil = await seat(producer.userId, 'member');
      assert.ok([404, 422].includes(notCouncil.statusCode), notCouncil.body);
      assert.equal(
        (await call('POST', api('/members'), secretary, { userId: outsider.userId, role: 'member' }))
          .statusCode,
        403,
      );
      const detail = await round();
      assert.deepEqual(
        detail.members.map((m: { role: string }) => m.role),
        ['chair', 'secretary', 'member'],
      );
      assert.deepEqual(detail.quorum, { voting: 3, present: 0, required: 3, met: false });
    });

    test('dossiers: forwarded ones are accepted into the round; others are refused', async () => {
      for (const id of dossierIds) {
        const res = await call('POST', api('/dossiers'), office, { dossierId: id });
        assert.equal(res.statusCode, 200, res.body);
      }
      const detail = await round();
      assert.equal(detail.dossiers.length, 3);
      entries.push(...detail.dossiers.map((d: { id: string }) => d.id));
      const dossier = (await call('GET', `/api/v1/dossiers/${dossierIds[0]}`, office)).json();
      assert.equal(dossier.status, 'accepted');
      const twice = await call('POST', api('/dossiers'), office, { dossierId: dossierIds[0] });
      assert.equal(twice.json().code, 'round_dossier_exists');
      // a council member of the round reads the dossier and its evidence, and changes nothing
      const read = await call('GET', `/api/v1/dossiers/${dossierIds[0]}`, member);
      assert.equal(read.statusCode, 200);
      assert.deepEqual(read.json().actions, []);
      assert.ok(
        (await call('GET', `/api/v1/dossiers/${dossierIds[0]}/documents`, member)).json().items.length > 0,
      );
      assert.equal((await call('GET', `/api/v1/dossiers/${dossierIds[0]}`, outsider)).statusCode, 404);
    });

    test('opening needs a quorum; the secretary records attendance', async () => {
      const early = await call('POST', api('/actions/open'), secretary, {});
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().code, 'round_quorum_not_met');
      assert.equal((await round()).status, 'planned', 'nothing changed');
      const ids = (await round()).members.map((m: { id: string }) => m.id);
      const present = Object.fromEntries(ids.map((id: string) => [id, true]));
      assert.equal((await call('PUT', api('/attendance'), secretary, { present })).statusCode, 200);
      const opened = await call('POST', api('/actions/open'), secretary, {});
      assert.equal(opened.statusCode, 200, opened.body);
      assert.equal(opened.json().status, 'open');
      assert.ok(opened.json().scoringDate);
      assert.equal(
        (await call('POST', api('/members'), office, { userId: outsider.userId, role: 'member' })).json()
          .code,
        'round_not_planned',
      );
    });

    test('scoring: declare first; drafts; a submission is complete, locked, hashed, and replays harmlessly', async () => {
      const [first] = entries;
      const undeclared = await sheet(chair, first!, { choices: {}, submit: false });
      assert.equal(undeclared.statusCode, 409);
      assert.equal(undeclared.json().code, 'round_conflict_undeclared');
      const outside = await sheet(outsider, first!, { choices: {}, submit: false });
      assert.equal(outside.statusCode, 404, 'a member not on the round does not see it');
      for (const agent of [chair, secretary, member]) {
        for (const entry of entries) {
          const recuse = agent === member && entry === entries[2];
          const res = await call('PUT', api(`/dossiers/${entry}/conflict`), agent, {
            conflicted: recuse,
            ...(recuse ? { reason: 'Là người thân của chủ thể' } : {}),
          });
          assert.equal(res.statusCode, 200, res.body);
        }
      }
      const noReason = await call('PUT', api(`/dossiers/${first}/conflict`), chair, { conflicted: true });
      assert.equal(noReason.statusCode, 400);

      const partial = Object.fromEntries(Object.entries(sheetNear(FORM, 100)).slice(0, 3));
      const draft = await sheet(chair, first!, {
        choices: partial,
        comments: { [FORM.leaves[0]!.code]: 'Hồ sơ đầy đủ' },
        submit: false,
      });
      assert.equal(draft.statusCode, 201, draft.body);
      assert.equal(draft.json().sheet.status, 'draft');
      const incomplete = await sheet(chair, first!, { choices: partial, submit: true });
      assert.equal(incomplete.statusCode, 422);
      assert.ok(incomplete.json().errors.some((e: { rule: string }) => e.rule === 'missing'));
      const wrong = await sheet(chair, first!, { choices: { ...partial, 'no-such': 1 }, submit: false });
      assert.equal(wrong.statusCode, 422);

      const key = 'phieu-chutich-0001';
      const submitted = await sheet(chair, first!, {
        choices: sheetNear(FORM, 100),
        submit: true,
        idempotencyKey: key,
      });
      assert.equal(submitted.statusCode, 201, submitted.body);
      assert.match(submitted.json().sheet.sha256, /^[0-9a-f]{64}$/);
      const replay = await sheet(chair, first!, {
        choices: sheetNear(FORM, 10),
        submit: true,
        idempotencyKey: key,
      });
      assert.equal(replay.statusCode, 200, 'a resend of the same save answers with the saved sheet');
      assert.equal(replay.json().replayed, true);
      assert.equal(replay.json().sheet.total, 100);
      const twice = await sheet(chair, first!, {
        choices: sheetNear(FORM, 10),
        submit: true,
        idempotencyKey: 'phieu-chutich-0002',
      });
      assert.equal(twice.statusCode, 409);
      assert.equal(twice.json().code, 'round_sheet_submitted');
      const { rows } = await sql<{ n: number; after: unknown }>`
        select count(*)::int as n, max(diff::text) as after from platform.audit_log where action = 'score_sheet.submit'`.execute(
        app.database.db,
      );
      assert.equal(rows[0]!.n, 1);
      assert.match(String(rows[0]!.after), new RegExp(submitted.json().sheet.sha256));
      await assert.rejects(
        sql`update evaluation.score_sheet set total = 1 where status = 'submitted'`.execute(app.database.db),
        'the database itself refuses to change a submitted sheet',
      );

      const recused = await sheet(member, entries[2]!, { choices: sheetNear(FORM, 80), submit: true });
      assert.equal(recused.statusCode, 409);
      assert.equal(recused.json().code, 'round_member_recused');
    });

    test("nobody sees another member's sheet before everyone present has submitted", async () => {
      const [first] = entries;
      const before = (await call('GET', api(`/dossiers/${first}/sheets`), secretary)).json();
      assert.equal(before.others, null);
      assert.equal(before.dossier.result, null);
      const asOffice = (await call('GET', api(`/dossiers/${first}/sheets`), office)).json();
      assert.equal(asOffice.others, null, 'nor the office');
      // the first product: 100, 98, 84 → spread 16 > 10
      assert.equal(
        (await sheet(secretary, first!, { choices: sheetNear(FORM, 98), submit: true })).statusCode,
        201,
      );
      assert.equal(
        (await sheet(member, first!, { choices: sheetNear(FORM, 84), submit: true })).statusCode,
        201,
      );
      const afterAll = (await call('GET', api(`/dossiers/${first}/sheets`), secretary)).json();
      assert.equal(afterAll.others.length, 2);
      assert.equal(afterAll.dossier.state, 'ready');
      assert.ok(afterAll.dossier.result.spreadExceeded);
    });

    test('a spread above the limit blocks the result until re-scored or accepted by the chair in writing', async () => {
      const [first, second, third] = entries;
      const blocked = await call('POST', api(`/dossiers/${first}/finalise`), secretary, {});
      assert.equal(blocked.statusCode, 409);
      assert.equal(blocked.json().code, 'round_spread_unresolved');
      const notChair = await call('POST', api(`/dossiers/${first}/accept-spread`), secretary, {
        reason: 'Đã thảo luận kỹ',
      });
      assert.equal(notChair.json().code, 'round_chair_only');
      const accepted = await call('POST', api(`/dossiers/${first}/accept-spread`), chair, {
        reason: 'Hội đồng đã thảo luận, giữ nguyên điểm của từng thành viên',
      });
      assert.equal(accepted.statusCode, 200, accepted.body);
      const done = await call('POST', api(`/dossiers/${first}/finalise`), secretary, {});
      assert.equal(done.statusCode, 200, done.body);
      const entry = done.json().dossiers[0];
      assert.equal(entry.state, 'final');
      assert.equal(entry.outcome, 'recognise', '94 points with gates: depends on the gates, 4★ here');

      // the second product: wide spread, re-scored in a new attempt
      await sheet(chair, second!, { choices: sheetNear(FORM, 95), submit: true });
      await sheet(secretary, second!, { choices: sheetNear(FORM, 60), submit: true });
      const early = await call('POST', api(`/dossiers/${second}/rescore`), secretary, {});
      assert.equal(early.json().code, 'round_rescore_while_scoring', 'not while a member is still scoring');
      await sheet(member, second!, { choices: sheetNear(FORM, 92), submit: true });
      const rescored = await call('POST', api(`/dossiers/${second}/rescore`), secretary, {});
      assert.equal(rescored.json().dossiers[1].attempt, 2);
      assert.equal(rescored.json().dossiers[1].state, 'scoring');
      for (const agent of [chair, secretary, member])
        assert.equal(
          (await sheet(agent, second!, { choices: sheetNear(FORM, 100), submit: true })).statusCode,
          201,
        );
      const five = await call('POST', api(`/dossiers/${second}/finalise`), secretary, {});
      assert.equal(five.json().dossiers[1].outcome, 'forward_central', '100 points: to the central round');

      // the third product: the recused member's sheet is not expected
      await sheet(chair, third!, { choices: sheetNear(FORM, 55), submit: true });
      await sheet(secretary, third!, { choices: sheetNear(FORM, 52), submit: true });
      const third3 = (await round()).dossiers[2];
      assert.equal(third3.expected.length, 2);
      assert.equal(third3.state, 'ready');
      // the recused member does not see the others' sheets, and cannot take the declaration back now
      const recusedView = (await call('GET', api(`/dossiers/${third}/sheets`), member)).json();
      assert.equal(recusedView.others, null);
      assert.equal(recusedView.dossier.result, null);
      const asMember = (await call('GET', api(), member)).json().dossiers[2];
      assert.equal(asMember.result, null, 'nor on the round');
      const back = await call('PUT', api(`/dossiers/${third}/conflict`), member, { conflicted: false });
      assert.equal(back.statusCode, 409);
      assert.equal(back.json().code, 'round_sheets_revealed');
    });

    test('no result without quorum', async () => {
      const detail = await round();
      const absent = { [detail.members[2].id]: false, [detail.members[1].id]: false };
      await call('PUT', api('/attendance'), secretary, { present: absent });
      const refused = await call('POST', api(`/dossiers/${entries[2]}/finalise`), secretary, {});
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'round_quorum_not_met');
      assert.equal((await round()).dossiers[2].state !== 'final', true, 'nothing changed');
      const back = { [detail.members[2].id]: true, [detail.members[1].id]: true };
      await call('PUT', api('/attendance'), secretary, { present: back });
      const ok = await call('POST', api(`/dossiers/${entries[2]}/finalise`), secretary, {});
      assert.equal(ok.statusCode, 200, ok.body);
      const third = ok.json().dossiers[2];
      assert.equal(third.result.memberTotals.length, 2, 'the recused member is not counted');
      assert.equal(third.outcome, third.stars >= 3 ? 'recognise' : 'not_recognised');
    });

    test('closing, proposing and the decision: a decision dated before the scoring is refused', async () => {
      assert.equal(
        (await call('POST', api('/actions/close_scoring'), secretary, {})).json().status,
        'scoring_closed',
      );
      assert.equal(
        (await call('POST', api('/actions/propose'), secretary, {})).json().status,
        'results_proposed',
      );
      const bySecretary = await call('POST', api('/actions/decide'), secretary, {
        decisionNumber: '1234/QĐ-UBND',
        decisionDate: todayInVietnam(),
        decisionSigner: 'Chủ tịch UBND tỉnh',
      });
      assert.equal(bySecretary.json().code, 'round_not_your_step');
      const early = await call('POST', api('/actions/decide'), office, {
        decisionNumber: '1234/QĐ-UBND',
        decisionDate: '2020-01-01',
        decisionSigner: 'Chủ tịch UBND tỉnh',
      });
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().code, 'round_decision_before_scoring');
      const still = await round();
      assert.equal(still.status, 'results_proposed');
      assert.equal(still.decision, null);
      const missing = await call('POST', api('/actions/decide'), office, { decisionNumber: '1234/QĐ-UBND' });
      assert.equal(missing.statusCode, 400);
      // a decision is recorded once signed: never dated ahead
      const ahead = await call('POST', api('/actions/decide'), office, {
        decisionNumber: '1234/QĐ-UBND',
        decisionDate: addDays(todayInVietnam(), 1),
        decisionSigner: 'Chủ tịch UBND tỉnh Cà Mau',
      });
      assert.equal(ahead.statusCode, 400);
      assert.equal(ahead.json().errors[0].rule, 'notFuture');
      const decided = await call('POST', api('/actions/decide'), office, {
        decisionNumber: '1234/QĐ-UBND',
        decisionDate: todayInVietnam(),
        decisionSigner: 'Chủ tịch UBND tỉnh Cà Mau',
      });
      assert.equal(decided.statusCode, 200, decided.body);
      assert.equal(decided.json().status, 'decided');
      assert.deepEqual(decided.json().decision, {
        number: '1234/QĐ-UBND',
        date: todayInVietnam(),
        signer: 'Chủ tịch UBND tỉnh Cà Mau',
      });
      const statuses = [];
      for (const id of dossierIds)
        statuses.push((await call('GET', `/api/v1/dossiers/${id}`, office)).json().status);
      assert.deepEqual(
        statuses,
        ['closed', 'accepted', 'closed'],
        'the 5★ candidate stays open for the central round',
      );
      // the recognised products have their certificates, from the decision, in the same transaction
      const expected = decided
        .json()
        .dossiers.filter((d: { outcome: string }) => d.outcome === 'recognise')
        .map((d: { productId: string; stars: number }) => [d.productId, d.stars]);
      assert.ok(expected.length >= 1);
      const issued = await app.certification.certificates.list({ status: ['valid'] });
      assert.deepEqual(issued.items.map((c) => [c.productId, c.stars]).sort(), [...expected].sort());
      for (const c of issued.items) {
        assert.equal(c.source, 'decision');
        assert.equal(c.level, 'province');
        assert.deepEqual(c.decision, {
          number: '1234/QĐ-UBND',
          date: todayInVietnam(),
          signer: 'Chủ tịch UBND tỉnh Cà Mau',
        });
        assert.equal(c.issuedOn, todayInVietnam());
        assert.match(c.number, /^OCOP-96-\d{4}-\d{5}$/);
        assert.equal(c.roundId, roundId);
      }
      // and the products carry the stars
      for (const [productId, stars] of expected)
        assert.equal((await app.products.products.get(ADMIN, productId)).stars, stars);
    });

    test('the minutes (PDF) and the result list (.xlsx); the consistency figures', async () => {
      const pdf = await call('GET', api('/minutes.pdf'), secretary);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const xlsx = await call('GET', api('/results.xlsx'), office);
      assert.equal(xlsx.statusCode, 200);
      assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
      assert.equal(
        (await call('GET', api('/minutes.pdf'), member)).statusCode,
        403,
        'a member does not print the minutes',
      );
      const figures = (await call('GET', api('/consistency'), office)).json();
      assert.equal(figures.deviations.length, 3);
      assert.equal(figures.distribution.spreads.length, 3);
      assert.ok(figures.disagreement.length > 0);
    });

    test('a central round takes the 5★ candidate only', async () => {
      const central = (
        await call('POST', '/api/v1/evaluation/rounds', office, { level: 'central', year: 2027, number: 1 })
      ).json();
      const url = `/api/v1/evaluation/rounds/${central.id}/dossiers`;
      const closed = await call('POST', url, office, { dossierId: dossierIds[0] });
      assert.equal(
        closed.json().code,
        'round_dossier_not_eligible',
        'its evaluation ended with the decision',
      );
      const candidate = await call('POST', url, office, { dossierId: dossierIds[1] });
      assert.equal(candidate.statusCode, 200, candidate.body);
      const provinceAgain = (
        await call('POST', '/api/v1/evaluation/rounds', office, { level: 'province', year: 2027, number: 1 })
      ).json();
      const refused = await call('POST', `/api/v1/evaluation/rounds/${provinceAgain.id}/dossiers`, office, {
        dossierId: dossierIds[0],
      });
      assert.equal(refused.statusCode, 409);
      await app.evaluation.rounds.get(ADMIN, central.id);
    });

    test('re-evaluation by written opinions: agreed opinions need no meeting; differing ones do', async () => {
      // the certificate the recognition led to (issued by the certification module, next issue)
      await sql`update products.product set stars = 4 where id = ${productIds[0]!}`.execute(app.database.db);
      const { dossierId } = await forwardedDossier(app, {
        name: 'Khô cá bổi',
        kind: 're_evaluation',
        productId: productIds[0]!,
      });
      const next = (
        await call('POST', '/api/v1/evaluation/rounds', office, { level: 'province', year: 2028, number: 1 })
      ).json();
      roundId = next.id;
      for (const [agent, role] of [
        [chair, 'chair'],
        [secretary, 'secretary'],
        [member, 'member'],
      ] as const)
        await call('POST', api('/members'), office, { userId: agent.userId, role });
      const added = await call('POST', api('/dossiers'), office, { dossierId });
      assert.equal(added.statusCode, 200, added.body);
      const entry = added.json().dossiers[0];
      assert.equal(entry.mode, 'written');
      assert.equal(entry.kind, 're_evaluation');
      assert.equal(entry.countdown.daysLeft, 45, 'forty-five days from the complete file');
      const present = Object.fromEntries(added.json().members.map((m: { id: string }) => [m.id, true]));
      await call('PUT', api('/attendance'), secretary, { present });
      assert.equal((await call('POST', api('/actions/open'), secretary, {})).statusCode, 200);
      for (const agent of [chair, secretary, member])
        await call('PUT', api(`/dossiers/${entry.id}/conflict`), agent, { conflicted: false });

      const view = (await call('GET', api(`/dossiers/${entry.id}/sheets`), chair)).json();
      assert.equal(view.previous.total, 100, "the chair's own previous sheet, to confirm or change");
      assert.equal(view.comparison.stars, 4);
      const disguised = await sheet(chair, entry.id, {
        choices: sheetNear(FORM, 60),
        opinion: 'confirm',
        submit: true,
      });
      assert.equal(disguised.statusCode, 422, 'changed scores cannot be called a confirmation');
      assert.equal(disguised.json().code, 'round_opinion_mismatch');
      const noOpinion = await sheet(chair, entry.id, { choices: view.previous.choices, submit: true });
      assert.equal(noOpinion.statusCode, 422);
      assert.deepEqual(
        noOpinion.json().errors.map((e: { name: string }) => e.name),
        ['opinion'],
      );
      for (const agent of [chair, secretary]) {
        const previous = (await call('GET', api(`/dossiers/${entry.id}/sheets`), agent)).json().previous;
        assert.equal(
          (await sheet(agent, entry.id, { choices: previous.choices, opinion: 'confirm', submit: true }))
            .statusCode,
          201,
        );
      }
      await sheet(member, entry.id, { choices: sheetNear(FORM, 70), opinion: 'change', submit: true });
      const differ = await call('POST', api(`/dossiers/${entry.id}/finalise`), secretary, {});
      assert.equal(differ.statusCode, 409);
      assert.equal(differ.json().code, 'round_meeting_required');
      const met = await call('POST', api(`/dossiers/${entry.id}/rescore`), secretary, { meeting: true });
      assert.equal(met.json().dossiers[0].meetingHeld, true);
      for (const agent of [chair, secretary, member])
        assert.equal(
          (await sheet(agent, entry.id, { choices: sheetNear(FORM, 90), submit: true })).statusCode,
          201,
          'in the meeting, no opinion needed',
        );
      const final = await call('POST', api(`/dossiers/${entry.id}/finalise`), secretary, {});
      assert.equal(final.statusCode, 200, final.body);
      const compared = (await call('GET', api(`/dossiers/${entry.id}/sheets`), chair)).json().comparison;
      assert.ok(compared.changes.length > 0, 'the criteria that changed since the previous evaluation');
    });
  });
}
