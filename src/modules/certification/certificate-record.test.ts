/**
 * Writing certificates where it can go wrong, on both engines: history imported after a later
 * certificate was revoked never becomes current again; a decision replaces what the product held
 * whatever its dossier's kind; two writers for one product never both win; a QR whose signature
 * was stripped is not authentic; the revocation's findings stay with those who keep the record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createProducer,
  type SignedInAgent,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { ADMIN, SYSTEM } from '../../../tests/support/dossiers.ts';

after(dropOwnTemplates);

const clock = new Date('2026-06-01T05:00:00Z');

for (const engine of testEngines()) {
  describe(`recording certificates: history, decisions, races, redaction (${engine})`, () => {
    let app: TestApp;
    let office: SignedInAgent;
    let producerId: string;
    let seq = 0;

    const product = async () =>
      (
        await app.products.products.create(SYSTEM, ADMIN, {
          producerId,
          name: `Sản phẩm ghi ${++seq}`,
          productSet: 8,
        })
      ).id;
    const create = (productId: string, body: Record<string, unknown> = {}) =>
      app.server.inject({
        method: 'POST',
        url: '/api/v1/certificates',
        headers: { cookie: office.cookie, 'x-csrf-token': office.csrf },
        payload: {
          productId,
          level: 'province',
          stars: 3,
          decisionNumber: `${++seq}/QĐ-UBND`,
          decisionDate: '2024-03-01',
          decisionSigner: 'Chủ tịch UBND tỉnh Cà Mau',
          ...body,
        },
      });
    const revoke = (id: string, reason = 'Biên bản kiểm tra số 12 của Đoàn kiểm tra, ông Nguyễn Văn A ký') =>
      app.server.inject({
        method: 'POST',
        url: `/api/v1/certificates/${id}/revocation`,
        headers: { cookie: office.cookie, 'x-csrf-token': office.csrf },
        payload: {
          ground: 'forged_dossier',
          decisionNumber: '77/QĐ-UBND',
          decisionDate: '2026-05-20',
          signer: 'Chủ tịch UBND tỉnh',
          reason,
        },
      });

    before(async () => {
      app = await startTestApp(engine, { now: () => clock });
      producerId = (await createProducer(app)).id;
      office = await signIn(app, { email: 'ghi@camau.vn', role: 'province_office', scopeCode: '96' });
    });
    after(() => app?.close());

    test('history recorded after its successor was revoked stays history: never VALID again', async () => {
      const id = await product();
      const older = (await create(id, { stars: 3, decisionDate: '2024-03-01' })).json();
      const newer = await create(id, { stars: 4, decisionDate: '2025-03-01', supersedesId: older.id });
      assert.equal(newer.statusCode, 201, newer.body);
      assert.equal((await revoke(newer.json().id)).statusCode, 200);
      // the office then records (or imports) the 2024 one again, under another number
      const again = await create(id, { stars: 3, decisionDate: '2024-03-01', number: 'GCN-LICH-SU-1' });
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.json().status, 'superseded');
      assert.equal(again.json().supersededById, newer.json().id);
      const page = await app.server.inject({
        url: `/verify/${again.json().id}`,
        headers: { accept: 'text/html' },
      });
      assert.doesNotMatch(page.body, /verdict-valid/);
      const mark = await app.server.inject({
        url: `/certificates/${again.json().id}/mark.svg`,
        headers: { cookie: office.cookie },
      });
      assert.equal(mark.statusCode, 409);
      assert.equal((await app.products.products.forCertificates([id])).get(id)?.stars, null);
    });

    test('a replacement whose predecessor was revoked meanwhile is refused, not written beside it', async () => {
      const id = await product();
      const first = (await create(id)).json();
      assert.equal((await revoke(first.id)).statusCode, 200);
      const late = await create(id, { stars: 4, decisionDate: '2025-03-01', supersedesId: first.id });
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().code, 'certificate_changed');
    });

    test('two offices recording the first certificate of a product at once: one wins, the other gets 409', async () => {
      const id = await product();
      const answers = await Promise.all([create(id), create(id), create(id)]);
      const codes = answers.map((a) => a.statusCode).sort();
      assert.deepEqual(codes, [201, 409, 409], answers.map((a) => a.body).join('\n'));
      for (const a of answers.filter((x) => x.statusCode === 409))
        assert.ok(['certificate_already_valid', 'certificate_changed'].includes(a.json().code), a.body);
    });

    test('a decision replaces the certificate in force even for a first-evaluation dossier', async () => {
      const id = await product();
      const held = (await create(id)).json();
      // a round's decision as the evaluation module hands it over (no round here: no links)
      const recognition = {
        roundId: null as unknown as string,
        dossierId: null as unknown as string,
        dossierKind: 'first_evaluation',
        productId: id,
        stars: 4,
        score: 75,
        level: 'province' as const,
        decision: { number: '900/QĐ-UBND', date: '2026-05-30', signer: 'Chủ tịch' },
      };
      const issued = await app.database.db
        .transaction()
        .execute((trx) => app.certification.certificates.issueFromDecision(trx, SYSTEM, [recognition]));
      assert.equal(issued[0]!.supersedesId, held.id);
      assert.equal((await app.certification.certificates.get(held.id)).status, 'superseded');
    });

    test('a QR whose signature was stripped or emptied is not authentic; the findings are not public', async () => {
      const id = await product();
      const c = (await create(id)).json();
      for (const query of ['?vf=20240301&vu=20270301', '?st=&vf=&vu=&k=&sig=', '?sig=']) {
        const page = await app.server.inject({
          url: `/verify/${c.id}${query}`,
          headers: { accept: 'text/html' },
        });
        assert.match(page.body, /verdict-forged/, query);
        assert.doesNotMatch(page.body, /verdict-valid/, query);
        assert.doesNotMatch(page.body, /application\/ld\+json/, 'no machine-readable claim on a forged page');
      }
      assert.equal((await revoke(c.id, 'Ông Nguyễn Văn A khai man hồ sơ')).statusCode, 200);
      const publicApi = await app.server.inject({ url: `/api/v1/certificates/${c.id}` });
      assert.equal(publicApi.json().revocation.ground, 'forged_dossier');
      assert.equal(publicApi.json().revocation.reason, null);
      const publicPage = await app.server.inject({
        url: `/verify/${c.id}`,
        headers: { accept: 'text/html' },
      });
      assert.match(publicPage.body, /ĐÃ BỊ THU HỒI/);
      assert.doesNotMatch(publicPage.body, /Nguyễn Văn A/);
      const officeApi = await app.server.inject({
        url: `/api/v1/certificates/${c.id}`,
        headers: { cookie: office.cookie },
      });
      assert.equal(officeApi.json().revocation.reason, 'Ông Nguyễn Văn A khai man hồ sơ');
    });
  });
}
