import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCatalogue, type Locale } from '../../platform/i18n/index.ts';
import { platformMessages } from '../../platform/i18n/platform.messages.ts';
import { renderDocument } from '../../platform/views/jsx.ts';
import type { PageContext } from '../../platform/views/layout.tsx';
import { isCbvWord } from './epcis/vocabulary.ts';
import { JOURNEY_STEPS, type TracePlace, type TraceStep, type TraceView } from './trace.model.ts';
import { tracePageMessages } from './trace-page.messages.ts';
import { TraceNotFound, TracePage } from './trace-page.views.tsx';
import { traceabilityMessages } from './traceability.messages.ts';

const catalogue = createCatalogue([platformMessages, traceabilityMessages, tracePageMessages]);

/** A page context on the real catalogue; keys the catalogue lacks are collected in `missing`. */
function pageFor(locale: Locale, missing: string[] = []): PageContext {
  const translate = catalogue.translator(locale);
  return {
    locale,
    t: (key, params) => {
      if (!catalogue.has(key)) missing.push(key);
      return translate(key, params);
    },
    url: '/01/08938512345673/10/TK2605-01',
    nav: [],
    user: null,
    csrf: () => 'token',
  };
}

const GTIN = '08938512345673';
const pond: TracePlace = {
  name: 'Ao nuôi tôm số 3 — HTX Tôm khô Tân Ân',
  kind: 'farm',
  area: 'Xã Tân Ân, Tỉnh Cà Mau',
  latitude: 8.6952,
  longitude: 104.9871,
};
const workshop: TracePlace = {
  name: 'Xưởng chế biến HTX Tôm khô Tân Ân',
  kind: 'processing_facility',
  area: 'Xã Tân Ân, Tỉnh Cà Mau',
  latitude: null,
  longitude: null,
};
const shop: TracePlace = {
  name: 'Điểm bán sản phẩm OCOP Cà Mau',
  kind: 'ocop_point_of_sale',
  area: 'Phường An Xuyên, Tỉnh Cà Mau',
  latitude: null,
  longitude: null,
};

const event = (fields: Partial<TraceStep> & Pick<TraceStep, 'eventTime'>): TraceStep => ({
  step: null,
  bizStep: null,
  disposition: null,
  place: null,
  destination: null,
  source: null,
  quantity: null,
  inputs: [],
  note: null,
  attachments: [],
  ...fields,
});

const journey: TraceStep[] = [
  event({
    step: 'harvest',
    bizStep: 'commissioning',
    disposition: 'active',
    eventTime: '2026-05-18T05:30:00+07:00',
    place: pond,
    quantity: '38 kg tôm sú tươi',
  }),
  event({
    step: 'processing',
    bizStep: 'creating_class_instance',
    disposition: 'in_progress',
    eventTime: '2026-05-19T07:00:00+07:00',
    place: workshop,
    quantity: '30 kg tôm khô',
    inputs: [
      { label: 'Tôm sú tươi — lô AO3-260518', href: `/01/${GTIN}/10/AO3-260518` },
      { label: 'Muối hạt Bạc Liêu — lô M2604', href: null },
    ],
    note: 'Luộc, phơi nắng 2 ngày, bóc vỏ thủ công',
  }),
  event({
    step: 'packing',
    bizStep: 'packing',
    eventTime: '2026-05-21T09:15:00+07:00',
    place: workshop,
    quantity: '120 gói × 250 g',
  }),
  event({
    step: 'shipping',
    bizStep: 'shipping',
    disposition: 'in_transit',
    eventTime: '2026-05-22T07:45:00+07:00',
    place: workshop,
    destination: shop,
    quantity: '40 gói',
  }),
  event({
    step: 'receiving',
    bizStep: 'receiving',
    disposition: 'sellable_accessible',
    eventTime: '2026-05-22T23:30:00+07:00',
    place: shop,
    source: workshop,
    quantity: '40 gói',
  }),
  event({
    step: 'inspection',
    bizStep: 'inspecting',
    disposition: 'conformant',
    eventTime: '2026-05-27T10:00:00+07:00',
    place: shop,
    note: 'Đạt chỉ tiêu vi sinh; hàn the âm tính',
    attachments: [{ name: 'Phiếu kết quả thử nghiệm 1234/KT3', href: '/documents/7f3a/file' }],
  }),
  event({
    step: 'sale',
    bizStep: 'retail_selling',
    disposition: 'retail_sold',
    eventTime: '2026-05-30T16:20:00+07:00',
    place: shop,
    quantity: '1 gói',
  }),
];

export function sampleTraceView(overrides: Partial<TraceView> = {}): TraceView {
  return {
    demo: false,
    uri: `https://ocop.example.vn/01/${GTIN}/10/TK2605-01`,
    product: {
      id: 'b1f3e0d2-0000-4000-8000-000000000001',
      name: 'Tôm khô Cà Mau loại 1',
      gtin: GTIN,
      netContent: '250 g',
      description: 'Tôm sú nuôi quảng canh ở rừng ngập mặn Ngọc Hiển, luộc và phơi nắng tự nhiên.',
      imageUrl: '/documents/5c1d/thumbnail',
      href: '/products/b1f3e0d2-0000-4000-8000-000000000001',
    },
    producer: { id: 'p-1', name: 'HTX Tôm khô Tân Ân', area: 'Xã Tân Ân, Tỉnh Cà Mau' },
    certificate: {
      status: 'valid',
      stars: 4,
      number: '96/QĐ-UBND-CM-2025',
      issuedOn: '2025-11-30',
      validUntil: '2028-11-29',
      revokedOn: null,
      verifyHref: '/verify/2d6c8a40-0000-4000-8000-000000000002',
    },
    batch: {
      lot: 'TK2605-01',
      serial: null,
      productionDate: '2026-05-19',
      packingDate: '2026-05-21',
      expiryDate: '2027-05-19',
      quantity: '120 gói × 250 g',
      recall: null,
    },
    rawMaterialArea: {
      name: 'Vùng nuôi tôm quảng canh Tân Ân',
      kind: 'raw_material_area',
      area: 'Xã Tân Ân, Tỉnh Cà Mau',
      latitude: 8.6952,
      longitude: 104.9871,
      certifications: 'VietGAP (VG-CM-0456), ASC',
    },
    ingredients: [
      { label: 'Tôm sú tươi — lô AO3-260518', href: `/01/${GTIN}/10/AO3-260518` },
      { label: 'Muối hạt Bạc Liêu — lô M2604', href: null },
    ],
    testReports: [
      {
        name: 'Phiếu kết quả thử nghiệm 1234/KT3 — QUATEST 3',
        href: '/documents/7f3a/file',
        issuedOn: '2026-05-27',
      },
    ],
    journey,
    reportHref: `/trace/report?gtin=${GTIN}&lot=TK2605-01`,
    today: '2026-06-02',
    ...overrides,
  };
}

/** 20 steps: the lot's journey, then its packs shipped to and sold at more points of sale. */
export function twentyStepView(): TraceView {
  const steps = [...journey];
  for (let i = 0; steps.length < 20; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const base = journey[3 + (i % 4)]!;
    steps.push({ ...base, eventTime: `2026-06-${day}T${String(8 + (i % 10)).padStart(2, '0')}:05:00+07:00` });
  }
  return sampleTraceView({ journey: steps });
}

const render = (view: TraceView, locale: Locale = 'vi', missing?: string[]) =>
  renderDocument(TracePage({ page: pageFor(locale, missing), view }));
/** The text a reader sees: tags dropped, entities of the escaper read back. */
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('trace page', () => {
  test('a lot with 20 journey steps is under 30 KB, without script, in either language', () => {
    for (const locale of ['vi', 'en'] as const) {
      const missing: string[] = [];
      const html = render(twentyStepView(), locale, missing);
      const bytes = Buffer.byteLength(html, 'utf8');
      assert.ok(bytes < 30 * 1024, `${locale}: ${bytes} bytes`);
      assert.equal((html.match(/<li(?: class="trace-step-recall")?><h3>/g) ?? []).length, 20);
      assert.doesNotMatch(html, /<script/i);
      assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
      assert.deepEqual(missing, [], 'every key is in the catalogue');
      assert.match(html, new RegExp(`<html lang="${locale}">`));
    }
  });

  test('top to bottom: verdict, product, lot, raw materials, journey, test reports, report link, Digital Link', () => {
    const html = render(sampleTraceView());
    const order = [
      'class="trace-verdict',
      '<h1 itemprop="name">Tôm khô Cà Mau loại 1</h1>',
      'id="trace-batch"',
      'id="trace-materials"',
      '<ol class="trace-journey">',
      'id="trace-tests"',
      'href="/trace/report?gtin=08938512345673&amp;lot=TK2605-01"',
      '>https://ocop.example.vn/01/08938512345673/10/TK2605-01</a>',
    ].map((s) => html.indexOf(s));
    for (const [i, at] of order.entries()) assert.ok(at > 0, `part ${i} present`);
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    const words = text(html);
    assert.match(words, /Cơ sở sản xuất: HTX Tôm khô Tân Ân/);
    assert.match(words, /Báo cáo vấn đề/);
    assert.match(words, /Số lô\s*TK2605-01/);
    assert.match(words, /Ngày sản xuất\s*19\/05\/2026/);
    assert.match(words, /Ngày đóng gói\s*21\/05\/2026/);
    assert.match(words, /Hạn sử dụng\s*19\/05\/2027/);
    assert.doesNotMatch(words, /đã hết hạn/);
    assert.match(words, /Thông tin tại ngày 02\/06\/2026/);
    // the product image: a thumbnail with its size, lazy, described
    assert.match(
      html,
      /<img src="\/documents\/5c1d\/thumbnail" alt="Tôm khô Cà Mau loại 1" width="160" height="160" loading="lazy"/,
    );
    // raw materials: the area, its certifications and the ingredient lots linked to their trace pages
    assert.match(words, /Vùng nguyên liệuVùng nuôi tôm quảng canh Tân ÂnXã Tân Ân, Tỉnh Cà Mau/);
    assert.match(words, /Chứng nhận\s*VietGAP \(VG-CM-0456\), ASC/);
    assert.match(html, /<a href="\/01\/08938512345673\/10\/AO3-260518">Tôm sú tươi — lô AO3-260518<\/a>/);
    assert.match(
      html,
      /<a href="\/documents\/7f3a\/file">Phiếu kết quả thử nghiệm 1234\/KT3 — QUATEST 3<\/a>/,
    );
  });

  test('the journey says what, when, where, to and from, how much, inputs, note and documents', () => {
    const html = render(sampleTraceView());
    const journeyText = text(html.slice(html.indexOf('<ol class="trace-journey">')));
    for (const name of [
      'Thu hoạch',
      'Chế biến',
      'Đóng gói',
      'Xuất hàng',
      'Nhận hàng',
      'Kiểm tra chất lượng',
      'Bán tại điểm bán',
    ])
      assert.match(journeyText, new RegExp(`${name}\\d{2}/\\d{2}/2026 \\d{2}:\\d{2}`), name);
    assert.match(journeyText, /Địa điểmAo nuôi tôm số 3 — HTX Tôm khô Tân Ân \(nơi nuôi trồng\)Xã Tân Ân/);
    assert.match(journeyText, /ĐếnĐiểm bán sản phẩm OCOP Cà Mau \(điểm bán sản phẩm OCOP\)Phường An Xuyên/);
    assert.match(journeyText, /TừXưởng chế biến HTX Tôm khô Tân Ân/);
    assert.match(journeyText, /Số lượng38 kg tôm sú tươi/);
    assert.match(journeyText, /Tình trạngđang vận chuyển/);
    assert.match(journeyText, /Nguyên liệuTôm sú tươi — lô AO3-260518, Muối hạt Bạc Liêu — lô M2604/);
    assert.match(journeyText, /Ghi chúLuộc, phơi nắng 2 ngày/);
    assert.match(journeyText, /Tài liệuPhiếu kết quả thử nghiệm 1234\/KT3/);
  });

  test("an event's time is shown in its own offset, not the server's zone nor UTC", () => {
    const html = render(sampleTraceView());
    assert.match(html, /<time datetime="2026-05-22T23:30:00\+07:00">22\/05\/2026 23:30<\/time>/);
    assert.doesNotMatch(html, /23\/05\/2026/);
    assert.doesNotMatch(html, /22\/05\/2026 16:30/);
    // an event recorded elsewhere keeps its wall-clock time and says which offset it is in
    const abroad = render(
      sampleTraceView({
        journey: [event({ step: 'receiving', eventTime: '2026-05-23T01:30:00.250+09:00' })],
      }),
    );
    assert.match(text(abroad), /23\/05\/2026 01:30 \(giờ UTC\+09:00\)/);
    const utc = render(
      sampleTraceView({ journey: [event({ step: 'receiving', eventTime: '2026-05-22T16:30:00Z' })] }),
      'en',
    );
    assert.match(text(utc), /22\/05\/2026 16:30 \(UTC\)/);
  });

  test('the verdict: valid, expired, revoked, none — in words, colour and stars', () => {
    const certificate = sampleTraceView().certificate;
    const cases = [
      {
        c: certificate,
        vi: [
          'Sản phẩm OCOP 4 sao',
          'Còn hiệu lực đến 29/11/2028',
          'Xem giấy chứng nhận số 96/QĐ-UBND-CM-2025',
        ],
        en: ['OCOP 4-star product', 'Certified until 29/11/2028', 'See certificate no. 96/QĐ-UBND-CM-2025'],
      },
      {
        c: { ...certificate, status: 'expired' as const, validUntil: '2026-03-31' },
        vi: ['Chứng nhận OCOP đã hết hạn', 'Hết hiệu lực sau ngày 31/03/2026', 'không được dùng nhãn OCOP'],
        en: ['OCOP certificate expired', 'No longer valid after 31/03/2026', 'may not carry the OCOP label'],
      },
      {
        c: { ...certificate, status: 'revoked' as const, revokedOn: '2026-04-15' },
        vi: ['Chứng nhận OCOP đã bị thu hồi', 'Bị thu hồi từ ngày 15/04/2026'],
        en: ['OCOP certificate revoked', 'Revoked since 15/04/2026'],
      },
      {
        c: {
          status: 'none' as const,
          stars: null,
          number: null,
          issuedOn: null,
          validUntil: null,
          revokedOn: null,
          verifyHref: null,
        },
        vi: ['Sản phẩm chưa được chứng nhận OCOP'],
        en: ['This product is not OCOP-certified'],
      },
    ];
    for (const { c, vi, en } of cases) {
      for (const [locale, expected] of [
        ['vi', vi],
        ['en', en],
      ] as const) {
        const html = render(sampleTraceView({ certificate: c }), locale);
        const verdict = html.slice(html.indexOf('<section class="trace-verdict'), html.indexOf('</section>'));
        assert.match(verdict, new RegExp(`class="trace-verdict trace-verdict-${c.status}"`));
        for (const words of expected)
          assert.ok(text(verdict).includes(words), `${c.status}/${locale}: ${words}`);
        // the stars are drawn for a valid certificate only, with a label a screen reader says
        if (c.status === 'valid') {
          assert.match(
            verdict,
            locale === 'vi'
              ? /role="img" aria-label="4 sao trên 5">★★★★<span/
              : /aria-label="4 out of 5 stars"/,
          );
          assert.match(verdict, /☆<\/span>/);
        } else assert.doesNotMatch(verdict, /★/);
        if (c.status === 'none') assert.doesNotMatch(verdict, /href=/);
        else assert.match(verdict, /<a href="\/verify\/2d6c8a40-/);
      }
    }
  });

  test('the recall banner comes first, only when the lot is recalled', () => {
    assert.doesNotMatch(render(sampleTraceView()), /trace-recall|Lô hàng này đã bị thu hồi/);
    const base = sampleTraceView();
    const recalled = sampleTraceView({
      batch: {
        ...base.batch,
        recall: { on: '2026-06-01', reason: 'Phát hiện nấm mốc ở một số gói (kiểm tra ngày 31/05/2026)' },
      },
    });
    for (const [locale, title, doNotUse] of [
      ['vi', 'Lô hàng này đã bị thu hồi', 'Không sử dụng sản phẩm thuộc lô này'],
      ['en', 'This lot has been recalled', 'Do not use products from this lot'],
    ] as const) {
      const html = render(recalled, locale);
      const banner = html.indexOf('class="trace-recall"');
      assert.ok(banner > 0 && banner < html.indexOf('class="trace-verdict'), 'before the verdict');
      const words = text(html);
      assert.ok(words.includes(title));
      assert.ok(words.includes(doNotUse));
      assert.match(html, /<time datetime="2026-06-01">01\/06\/2026<\/time>/);
      assert.ok(words.includes('Phát hiện nấm mốc ở một số gói'));
    }
  });

  test('an expiry date before today is shown as passed', () => {
    const base = sampleTraceView();
    const html = render(sampleTraceView({ batch: { ...base.batch, expiryDate: '2026-06-01' } }));
    assert.match(text(html), /Hạn sử dụng\s*01\/06\/2026 đã hết hạn/);
    // the last day is still within date
    const lastDay = render(sampleTraceView({ batch: { ...base.batch, expiryDate: '2026-06-02' } }));
    assert.doesNotMatch(text(lastDay), /đã hết hạn/);
    const en = render(sampleTraceView({ batch: { ...base.batch, expiryDate: '2026-06-01' } }), 'en');
    assert.match(text(en), /Expiry date\s*01\/06\/2026 expired/);
  });

  test('demo data says so', () => {
    assert.match(text(render(sampleTraceView({ demo: true }))), /Dữ liệu minh hoạ, không phải sản phẩm thật/);
    assert.doesNotMatch(text(render(sampleTraceView())), /minh hoạ/);
  });

  test('everything from the data is escaped; only web and platform links are links', () => {
    const base = sampleTraceView();
    const html = render(
      sampleTraceView({
        product: { ...base.product, name: '<script>alert("x")</script> Tôm & Cá' },
        producer: { ...base.producer, name: '"><img src=x onerror=alert(1)>' },
        journey: [
          event({
            step: 'inspection',
            eventTime: '2026-05-27T10:00:00+07:00',
            note: '</dd><script>alert(1)</script>',
            attachments: [{ name: 'evil', href: 'javascript:alert(1)' }],
          }),
        ],
      }),
    );
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img src=x/);
    assert.doesNotMatch(html, /javascript:/);
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; Tôm &amp; Cá/);
    assert.match(html, /<title>&lt;script&gt;/);
  });

  test('English words in English, Vietnamese words in Vietnamese', () => {
    const en = text(render(sampleTraceView(), 'en'));
    for (const words of [
      'OCOP 4-star product',
      'Producer: HTX Tôm khô Tân Ân',
      'Lot number',
      'Production date',
      'Raw-material area',
      'Journey',
      'Harvest',
      'Processing',
      'Quality inspection',
      'Sold at a point of sale',
      'in transit',
      '(OCOP point of sale)',
      'Test reports',
      'Report a problem',
      'Trace code (GS1 Digital Link)',
      'Information as of 02/06/2026',
    ])
      assert.ok(en.includes(words), words);
    for (const words of ['Thu hoạch', 'Hành trình', 'Số lô', 'Báo cáo vấn đề', 'còn hiệu lực'])
      assert.ok(!en.includes(words), words);
  });

  test('an EPCIS event without a form step is named by its CBV business step and disposition', () => {
    const html = render(
      sampleTraceView({
        journey: [
          event({ bizStep: 'shipping', disposition: 'in_transit', eventTime: '2026-05-22T07:45:00+07:00' }),
          event({
            bizStep: 'urn:epcglobal:cbv:bizstep:receiving',
            disposition: 'https://ref.gs1.org/cbv/Disp-sellable_not_accessible',
            eventTime: '2026-05-22T10:00:00+07:00',
          }),
          event({ bizStep: 'https://example.vn/voc/smoking', eventTime: '2026-05-22T11:00:00+07:00' }),
          event({ eventTime: '2026-05-22T12:00:00+07:00' }),
        ],
      }),
      'vi',
    );
    const words = text(html.slice(html.indexOf('<ol class="trace-journey">')));
    assert.match(words, /Xuất hàng22\/05\/2026 07:45Tình trạngđang vận chuyển/);
    assert.match(words, /Nhận hàng22\/05\/2026 10:00Tình trạngsẵn sàng bán \(trong kho\)/);
    assert.match(words, /https:\/\/example\.vn\/voc\/smoking22\/05\/2026 11:00/);
    assert.match(words, /Sự kiện22\/05\/2026 12:00/);
  });

  test('a well-formed code nothing is registered for', () => {
    const uri = `https://ocop.example.vn/01/${GTIN}/10/<b>FAKE</b>`;
    const vi = renderDocument(TraceNotFound({ page: pageFor('vi'), uri }));
    assert.ok(text(vi).includes('Mã này chưa được đăng ký trên nền tảng OCOP'));
    assert.ok(text(vi).includes('Có thể đây không phải là sản phẩm OCOP chính hãng'));
    assert.match(vi, /<a class="button" href="\/trace\/report\?uri=https%3A%2F%2F[^"]*">Báo cáo vấn đề<\/a>/);
    assert.match(vi, /&lt;b&gt;FAKE&lt;\/b&gt;/);
    assert.doesNotMatch(vi, /<b>|<script/);
    const en = renderDocument(TraceNotFound({ page: pageFor('en'), uri, reportHref: '/problems/new?uri=x' }));
    assert.ok(text(en).includes('This code is not registered on the OCOP platform'));
    assert.ok(text(en).includes('It may not be a genuine OCOP product'));
    assert.match(en, /href="\/problems\/new\?uri=x">Report a problem<\/a>/);
  });
});

describe('trace page messages', () => {
  test('both languages have the same keys, all under trace.', () => {
    const vi = Object.keys(tracePageMessages.vi).sort();
    assert.deepEqual(Object.keys(tracePageMessages.en).sort(), vi);
    for (const key of vi) assert.ok(key.startsWith('trace.'), key);
    for (const key of vi) assert.notEqual(tracePageMessages.en[key as keyof typeof tracePageMessages.en], '');
  });

  test('every journey step has a word; the CBV words are CBV terms', () => {
    for (const step of JOURNEY_STEPS) assert.ok(catalogue.has(`trace.step.${step}`), step);
    for (const key of Object.keys(tracePageMessages.vi)) {
      const [, family, word] = key.split('.');
      if (family === 'bizStep') assert.ok(isCbvWord('bizStep', word!), key);
      if (family === 'disposition') assert.ok(isCbvWord('disposition', word!), key);
    }
    for (const w of ['shipping', 'receiving', 'packing', 'inspecting', 'retail_selling', 'commissioning'])
      assert.ok(catalogue.has(`trace.bizStep.${w}`), w);
    for (const w of ['in_transit', 'active', 'conformant', 'retail_sold', 'recalled', 'expired'])
      assert.ok(catalogue.has(`trace.disposition.${w}`), w);
  });
});
