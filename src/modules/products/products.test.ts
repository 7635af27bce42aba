import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createProducer, signIn, startTestApp, type TestApp } from '../../../tests/support/app.ts';
import { dropOwnTemplates, testEngines } from '../../../tests/support/db.ts';
import { disguisedExecutable, samplePdf, samplePng } from '../../../tests/support/files.ts';
import { gtinCheckDigit } from './gtin.ts';

after(dropOwnTemplates);

/** A multipart/form-data body, as a browser sends it. */
function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer; type?: string }) {
  const boundary = `----ocop${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const gtin13 = (twelve: string) => `${twelve}${gtinCheckDigit(twelve)}`;

for (const engine of testEngines()) {
  describe(`products, dossiers and documents (${engine})`, () => {
    let app: TestApp;
    let province: { cookie: string; csrf: string };
    let commune: { cookie: string; csrf: string };
    let owner: { cookie: string; csrf: string };
    let producerId: string;
    before(async () => {
      app = await startTestApp(engine, { uploadLimitBytes: 200_000 });
      province = await signIn(app, { email: 'tinh@camau.vn', role: 'province_office', scopeCode: '96' });
      commune = await signIn(app, { email: 'xa@camau.vn', role: 'commune_officer', scopeCode: '32002' });
      producerId = (await createProducer(app, { legalName: 'HTX Khô cá Rạch Gốc', email: 'htx@racgoc.vn' }))
        .id;
      owner = await signIn(app, { email: 'chu@racgoc.vn', role: 'producer', producerId, name: 'Chủ HTX' });
    });
    after(() => app?.close());

    const call = (method: string, url: string, cookie: string, payload?: unknown) =>
      app.server.inject({
        method: method as 'GET',
        url,
        headers: { cookie },
        ...(payload ? { payload: payload as object } : {}),
      });
    /** A multipart upload with the session's CSRF token (a browser form could send it cross-site). */
    const upload = (
      url: string,
      agent: { cookie: string; csrf: string },
      fields: Record<string, string>,
      file?: Parameters<typeof multipart>[1],
    ) => {
      const body = multipart({ _csrf: agent.csrf, ...fields }, file);
      return app.server.inject({
        method: 'POST',
        url,
        headers: { cookie: agent.cookie, 'content-type': body.contentType },
        payload: body.payload,
      });
    };
    const one = async <T>(query: ReturnType<typeof sql<T>>) =>
      (await query.execute(app.database.db)).rows[0]!;

    let productId: string;
    let dossierId: string;

    test('a producer registers a product; GTIN check digits and uniqueness are enforced', async () => {
      const good = gtin13('893458801211');
      const bad = `${good.slice(0, 12)}${(Number(good[12]) + 1) % 10}`;
      const refused = await call('POST', '/api/v1/products', owner.cookie, {
        producerId,
        name: 'Khô cá bổi',
        productSet: 8,
        gtins: [bad],
      });
      assert.equal(refused.statusCode, 400);
      assert.deepEqual(
        refused.json().errors.map((e: { name: string; rule: string }) => `${e.name}:${e.rule}`),
        ['gtins/0:gtinCheckDigit'],
      );
      const res = await call('POST', '/api/v1/products', owner.cookie, {
        producerId,
        name: 'Khô cá bổi',
        productSet: 8,
        gtins: [good],
        priceMin: 250000,
        priceMax: 320000,
        netContent: '500 g',
        story: 'Cá bổi đánh bắt ở cửa biển Rạch Gốc, phơi nắng trên giàn tre.',
      });
      assert.equal(res.statusCode, 201, res.body);
      const product = res.json();
      productId = product.id;
      assert.deepEqual(product.gtins, [good]);
      assert.equal(product.group, '3. Thực phẩm chế biến', 'group from the product set');
      assert.equal(product.productCode, null, 'the commune gives the code when forwarding');
      const clash = await call('POST', '/api/v1/products', commune.cookie, {
        producerId,
        name: 'Khô cá khác',
        productSet: 8,
        gtins: [`0${good}`], // the same trade item as GTIN-14
      });
      assert.equal(clash.statusCode, 409);
      assert.equal(clash.json().code, 'gtin_taken');
    });

    test('search ignores diacritics and tolerates typos; the public sees only recognised products', async () => {
      await call('POST', '/api/v1/products', owner.cookie, {
        producerId,
        name: 'Muối tinh Bạc Liêu',
        productSet: 10,
      });
      const find = async (q: string, cookie = province.cookie) =>
        (await call('GET', `/api/v1/products?q=${encodeURIComponent(q)}`, cookie))
          .json()
          .items.map((p: { name: string }) => p.name);
      assert.deepEqual(await find('kho ca boi'), ['Khô cá bổi']);
      assert.deepEqual(await find('muoi bac lieu'), ['Muối tinh Bạc Liêu']);
      assert.deepEqual(await find('muoi bac lieuu'), ['Muối tinh Bạc Liêu'], 'a typo');
      assert.deepEqual(await find('kho ca boi', ''), [], 'not recognised: not public');
      await sql`update products.product set stars = 4 where id = ${productId}`.execute(app.database.db);
      assert.deepEqual(await find('kho ca boi', ''), ['Khô cá bổi']);
      const page = await app.server.inject({
        url: `/products/${productId}`,
        headers: { accept: 'text/html' },
      });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /application\/ld\+json/);
      assert.match(page.body, /"@type":"Product"/);
      assert.ok(Buffer.byteLength(page.body) < 30_000, 'a public page stays small');
      const producerPage = await app.server.inject({
        url: `/producers/${producerId}`,
        headers: { accept: 'text/html' },
      });
      assert.equal(producerPage.statusCode, 200, 'a producer with a recognised product is public');
      await sql`update products.product set stars = null where id = ${productId}`.execute(app.database.db);
    });

    test('documents: sniffed, size-limited, stored by content, replaced with history', async () => {
      const open = await call('POST', '/api/v1/dossiers', owner.cookie, {
        productId,
        kind: 'first_evaluation',
      });
      assert.equal(open.statusCode, 201, open.body);
      dossierId = open.json().id;
      const url = `/api/v1/dossiers/${dossierId}/documents`;
      const exe = await upload(
        url,
        owner,
        { kind: 'business_registration' },
        { name: 'giay-phep.pdf', bytes: disguisedExecutable(), type: 'application/pdf' },
      );
      assert.equal(exe.statusCode, 400);
      assert.equal(exe.json().code, 'upload_executable');
      const big = await upload(
        url,
        owner,
        { kind: 'test_report' },
        { name: 'to.pdf', bytes: Buffer.concat([samplePdf(), Buffer.alloc(300_000, 32)]) },
      );
      assert.equal(big.statusCode, 400);
      assert.equal(big.json().code, 'file_too_large');
      const text = await upload(
        url,
        owner,
        { kind: 'other' },
        { name: 'ghi-chu.pdf', bytes: Buffer.from('chỉ là chữ') },
      );
      assert.equal(text.json().code, 'upload_type_not_allowed');
      const wrongKind = await upload(url, owner, { kind: 'passport' }, { name: 'a.pdf', bytes: samplePdf() });
      assert.equal(wrongKind.statusCode, 400);
      assert.equal(
        (await one(sql<{ n: number }>`select count(*)::int as n from products.document`)).n,
        0,
        'nothing was kept',
      );

      const first = await upload(
        url,
        owner,
        { kind: 'test_report' },
        { name: 'phiếu kiểm nghiệm.pdf', bytes: samplePdf('Ket qua 1') },
      );
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().mediaType, 'application/pdf');
      assert.equal(first.json().fileName, 'phiếu kiểm nghiệm.pdf');
      const stored = path.join(
        app.dataDir,
        'documents',
        first.json().sha256.slice(0, 2),
        first.json().sha256.slice(2, 4),
        first.json().sha256,
      );
      assert.ok(fs.existsSync(stored), 'content-addressed under the data directory');
      const second = await upload(
        url,
        owner,
        { kind: 'test_report', replacesId: first.json().id },
        { name: 'phiếu mới.pdf', bytes: samplePdf('Ket qua 2') },
      );
      assert.equal(second.statusCode, 201, second.body);
      const history = await call('GET', `/api/v1/documents/${second.json().id}/history`, commune.cookie);
      assert.deepEqual(
        history.json().items.map((d: { fileName: string }) => d.fileName),
        ['phiếu mới.pdf', 'phiếu kiểm nghiệm.pdf'],
      );
      assert.ok(history.json().items[1].supersededAt);
      const versions = await app.server.inject({
        url: `/documents/${second.json().id}/versions`,
        headers: { cookie: commune.cookie, accept: 'text/html' },
      });
      assert.equal(versions.statusCode, 200);
      assert.match(versions.body, /phiếu mới\.pdf[\s\S]*phiếu kiểm nghiệm\.pdf/);
      const current = await call('GET', url, owner.cookie);
      assert.deepEqual(
        current.json().items.map((d: { fileName: string }) => d.fileName),
        ['phiếu mới.pdf'],
      );

      const download = await app.server.inject({
        url: `/documents/${second.json().id}`,
        headers: { cookie: commune.cookie },
      });
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'application/pdf');
      assert.match(
        String(download.headers['content-disposition']),
        /^inline; .*filename\*=UTF-8''phi%E1%BA%BFu%20m%E1%BB%9Bi\.pdf/,
      );
      assert.ok(download.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
      const stranger = await signIn(app, {
        email: 'xakhac@camau.vn',
        role: 'commune_officer',
        scopeCode: '31825',
      });
      assert.equal(
        (
          await app.server.inject({
            url: `/documents/${second.json().id}`,
            headers: { cookie: stranger.cookie },
          })
        ).statusCode,
        404,
      );
      assert.equal(
        (await app.server.inject({ url: `/documents/${second.json().id}` })).statusCode,
        404,
        'not public',
      );

      const image = await upload(
        `/api/v1/products/${productId}/images`,
        owner,
        {},
        { name: 'kho-ca.png', bytes: await samplePng(800, 600) },
      );
      assert.equal(image.statusCode, 201, image.body);
      const thumb = await app.server.inject({
        url: `/documents/${image.json().id}/thumbnail`,
        headers: { cookie: owner.cookie },
      });
      assert.equal(thumb.headers['content-type'], 'image/webp');
      const pdfAsImage = await upload(
        `/api/v1/products/${productId}/images`,
        owner,
        {},
        { name: 'anh.png', bytes: samplePdf() },
      );
      assert.equal(pdfAsImage.json().code, 'upload_image_required');
    });

    test('the dossier lifecycle: submit, return, resubmit, check, forward, accept — audited, notified, coded', async () => {
      const act = (action: string, cookie: string, body: object = {}) =>
        call('POST', `/api/v1/dossiers/${dossierId}/${action}`, cookie, body);
      const early = await act('submit', owner.cookie);
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().code, 'dossier_incomplete');
      const detail = (await call('GET', `/api/v1/dossiers/${dossierId}`, owner.cookie)).json();
      assert.deepEqual(
        detail.checklist
          .filter((i: { required: boolean; satisfied: boolean }) => i.required && !i.satisfied)
          .map((i: { key: string }) => i.key),
        [
          'registration_form',
          'self_assessment',
          'samples',
          'business_registration',
          'food_safety_certificate',
          'quality_declaration',
          'label_image',
        ],
      );

      const forms = await call('PATCH', `/api/v1/dossiers/${dossierId}`, owner.cookie, {
        registration: {
          representativeName: 'Trần Văn Tôm',
          phone: '0912345678',
          productionAddress: 'Ấp Rạch Gốc',
          sampleCount: 5,
          commitment: true,
        },
        selfAssessment: {
          generalInfo: 'Hợp tác xã thành lập năm 2015, 25 thành viên.',
          businessResults: 'Doanh thu 2025: 3,2 tỷ đồng.',
          businessPlan: 'Mở rộng kênh bán hàng trên sàn thương mại điện tử.',
        },
      });
      assert.equal(forms.statusCode, 200, forms.body);
      for (const kind of [
        'business_registration',
        'food_safety_certificate',
        'quality_declaration',
        'label_image',
      ]) {
        const res = await upload(
          `/api/v1/dossiers/${dossierId}/documents`,
          owner,
          { kind },
          { name: `${kind}.pdf`, bytes: samplePdf(kind) },
        );
        assert.equal(res.statusCode, 201, res.body);
      }
      assert.equal((await act('submit', commune.cookie)).statusCode, 403, 'not the commune’s step');
      const submitted = await act('submit', owner.cookie);
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.equal(submitted.json().status, 'submitted');
      assert.equal(submitted.json().workingDaysLeft, 15, 'fifteen working days');
      assert.ok(submitted.json().dueOn > new Date().toISOString().slice(0, 10));
      assert.equal(
        (
          await call('PATCH', `/api/v1/dossiers/${dossierId}`, owner.cookie, {
            selfAssessment: { businessPlan: 'x' },
          })
        ).statusCode,
        409,
        'frozen once submitted',
      );
      const renamed = await call('PATCH', `/api/v1/products/${productId}`, owner.cookie, { productSet: 1 });
      assert.equal(renamed.statusCode, 409, 'the product set is frozen while the dossier is reviewed');
      assert.equal(renamed.json().code, 'product_under_review');
      assert.equal(
        (await call('PATCH', `/api/v1/products/${productId}`, owner.cookie, { netContent: '1 kg' }))
          .statusCode,
        200,
      );

      const noComment = await act('return', commune.cookie, { comment: '  ' });
      assert.equal(noComment.json().code, 'dossier_comment_required');
      const returned = await act('return', commune.cookie, { comment: 'Bổ sung phiếu kiểm nghiệm mới' });
      assert.equal(returned.json().status, 'returned');
      assert.equal(returned.json().returnComment, 'Bổ sung phiếu kiểm nghiệm mới');
      const mail = await one(
        sql<{
          n: number;
          body: string;
        }>`select count(*)::int as n, max(body_text) as body from platform.outbox where to_address = 'chu@racgoc.vn'`,
      );
      assert.equal(mail.n, 1, 'the producer’s account is told');
      assert.match(mail.body, /Bổ sung phiếu kiểm nghiệm mới/);

      assert.equal((await act('resubmit', owner.cookie)).json().status, 'submitted');
      const noReport = await act('check', commune.cookie);
      assert.equal(noReport.json().code, 'dossier_commune_report_required');
      const report = {
        productOrigin: { met: true },
        localLabour: { met: true },
        ideaOrigin: { met: true, comment: 'Nghề truyền thống của ấp' },
        localIdentity: { met: true },
      };
      assert.equal((await act('check', commune.cookie, { communeReport: report })).json().status, 'checked');
      const forwarded = await act('forward', commune.cookie);
      assert.equal(forwarded.json().status, 'forwarded');
      const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(
        new Date(),
      );
      const product = (await call('GET', `/api/v1/products/${productId}`, owner.cookie)).json();
      assert.equal(product.productCode, `96-32002-001-${year}`, 'the commune’s running number');
      assert.equal((await act('accept', commune.cookie)).statusCode, 403);
      assert.equal((await act('accept', province.cookie)).json().status, 'accepted');

      const events = (await call('GET', `/api/v1/dossiers/${dossierId}`, province.cookie)).json().events;
      assert.deepEqual(
        events.map((e: { action: string }) => e.action),
        ['create', 'submit', 'return', 'resubmit', 'check', 'forward', 'accept'],
      );
      const audited = await sql<{
        action: string;
      }>`select action from platform.audit_log where entity_id = ${dossierId} order by occurred_at, id`.execute(
        app.database.db,
      );
      assert.deepEqual(
        audited.rows.map((r) => r.action).filter((a) => a !== 'dossier.update'),
        [
          'dossier.create',
          'dossier.submit',
          'dossier.return',
          'dossier.resubmit',
          'dossier.check',
          'dossier.forward',
          'dossier.accept',
        ],
      );
      await assert.rejects(
        sql`delete from products.dossier_event where dossier_id = ${dossierId}`.execute(app.database.db),
        'the history is append-only',
      );
      const again = await call('POST', '/api/v1/dossiers', owner.cookie, {
        productId,
        kind: 'first_evaluation',
      });
      assert.equal(again.statusCode, 409, 'one dossier in progress per product');
    });

    test('dossier lists page without losing rows that changed in the same microsecond', async () => {
      for (const name of ['Mắm tôm chà', 'Chả cá thác lác', 'Tôm khô loại 1']) {
        const product = await call('POST', '/api/v1/products', owner.cookie, {
          producerId,
          name,
          productSet: 8,
        });
        const dossier = await call('POST', '/api/v1/dossiers', owner.cookie, {
          productId: product.json().id,
          kind: 'first_evaluation',
        });
        assert.equal(dossier.statusCode, 201);
      }
      await sql`update products.dossier set updated_at = '2026-05-01 08:00:00.123456+00'`.execute(
        app.database.db,
      );
      const seen: string[] = [];
      let url = '/api/v1/dossiers?limit=1';
      for (let i = 0; i < 10; i++) {
        const page = (await call('GET', url, owner.cookie)).json();
        seen.push(...page.items.map((d: { id: string }) => d.id));
        if (!page.nextCursor) break;
        url = `/api/v1/dossiers?limit=1&cursor=${page.nextCursor}`;
      }
      const total = (
        await sql<{ n: number }>`select count(*)::int as n from products.dossier`.execute(app.database.db)
      ).rows[0]!.n;
      assert.equal(new Set(seen).size, total);
      assert.equal(seen.length, total);
      const forged = Buffer.from(
        JSON.stringify(['275760-09-13T00:00:00.000000', '00000000-0000-4000-8000-000000000000']),
      ).toString('base64url');
      assert.equal((await call('GET', `/api/v1/dossiers?cursor=${forged}`, owner.cookie)).statusCode, 400);
    });

    test('forms show Vietnamese messages next to the field and keep what was typed', async () => {
      const csrfOf = async (cookie: string, url: string) =>
        /name="_csrf" value="([^"]+)"/.exec(
          (await app.server.inject({ url, headers: { cookie, accept: 'text/html' } })).body,
        )![1]!;
      const csrf = await csrfOf(province.cookie, '/producers/new');
      const res = await app.server.inject({
        method: 'POST',
        url: '/producers',
        headers: {
          cookie: province.cookie,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({
          _csrf: csrf,
          legalType: 'enterprise',
          legalName: 'Công ty TNHH Mật ong U Minh',
          taxCode: '0312387100',
          communeCode: '32002',
          'salesChannels/0/kind': 'shopee',
          'salesChannels/0/url': 'shopee.vn/matong',
        }).toString(),
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /value="Công ty TNHH Mật ong U Minh"/, 'what was typed stays');
      assert.match(res.body, /id="f-taxCode-error">Mã số thuế sai chữ số kiểm tra/);
      assert.match(res.body, /id="f-salesChannels\/0\/url-error">Đường dẫn phải bắt đầu bằng http/);
    });
  });
}
