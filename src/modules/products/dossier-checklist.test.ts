import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checklist,
  communeReportComplete,
  documentRequirements,
  isComplete,
  missing,
  registrationComplete,
  selfAssessmentComplete,
} from './dossier-checklist.ts';

const required = (set: number, kind: Parameters<typeof documentRequirements>[1]) =>
  [...documentRequirements(set, kind)]
    .filter(([, r]) => r)
    .map(([k]) => k)
    .sort();

test('required papers follow the product set (the "Hồ sơ bị loại khi…" of each form)', () => {
  const table: [number, string[]][] = [
    [
      1,
      [
        'business_registration',
        'food_safety_certificate',
        'label_image',
        'quality_declaration',
        'test_report',
      ],
    ],
    [
      8,
      [
        'business_registration',
        'food_safety_certificate',
        'label_image',
        'quality_declaration',
        'test_report',
      ],
    ],
    [
      15,
      [
        'business_registration',
        'food_safety_certificate',
        'label_image',
        'production_licence',
        'quality_declaration',
        'test_report',
      ],
    ],
    [
      17,
      [
        'business_registration',
        'food_safety_certificate',
        'label_image',
        'production_licence',
        'quality_declaration',
        'test_report',
      ],
    ],
    [18, ['business_registration', 'gmp_certificate', 'label_image', 'quality_declaration', 'test_report']],
    [19, ['business_registration', 'cosmetic_notification', 'label_image', 'test_report']],
    [20, ['business_registration', 'label_image', 'product_notification', 'test_report']],
    [21, ['business_registration', 'label_image']],
    [26, ['business_registration']],
  ];
  for (const [set, expected] of table)
    assert.deepEqual(required(set, 'first_evaluation'), expected, `set ${set}`);
});

test('upgrades show the changes and the current certificate; re-evaluations the certificate', () => {
  assert.ok(required(8, 'upgrade').includes('change_report'));
  assert.ok(required(8, 'upgrade').includes('previous_certificate'));
  assert.ok(required(8, 're_evaluation').includes('previous_certificate'));
  assert.ok(!required(8, 're_evaluation').includes('change_report'));
  assert.ok(!required(8, 'first_evaluation').includes('previous_certificate'));
});

test('five samples, except for tourism services (set 26)', () => {
  const contents = {
    registrationComplete: true,
    selfAssessmentComplete: true,
    sampleCount: 0,
    documentKinds: new Set<string>(),
  };
  assert.ok(checklist(8, 'first_evaluation', contents).some((i) => i.key === 'samples' && i.required));
  assert.ok(!checklist(26, 'first_evaluation', contents).some((i) => i.key === 'samples'));
});

test('complete only when every required item is there; recommended items never block', () => {
  const docs = new Set([
    'business_registration',
    'food_safety_certificate',
    'quality_declaration',
    'test_report',
  ]);
  const contents = {
    registrationComplete: true,
    selfAssessmentComplete: true,
    sampleCount: 5,
    documentKinds: docs,
  };
  const items = checklist(8, 'first_evaluation', contents);
  assert.equal(isComplete(items), false);
  assert.deepEqual(
    missing(items).map((i) => i.key),
    ['label_image'],
  );
  docs.add('label_image');
  assert.equal(isComplete(checklist(8, 'first_evaluation', contents)), true);
  assert.equal(isComplete(checklist(8, 'first_evaluation', { ...contents, sampleCount: 4 })), false);
  assert.equal(
    isComplete(checklist(8, 'first_evaluation', { ...contents, selfAssessmentComplete: false })),
    false,
  );
});

test('the forms: Mẫu 01 needs the representative, phone, address, commitment and samples; Mẫu 02 its three parts', () => {
  const form = {
    representativeName: 'Lê Văn A',
    phone: '0912345678',
    productionAddress: 'Ấp 1',
    sampleCount: 5,
    commitment: true,
  };
  assert.equal(registrationComplete(form, 8), true);
  assert.equal(registrationComplete({ ...form, commitment: false }, 8), false);
  assert.equal(registrationComplete({ ...form, sampleCount: 2 }, 8), false);
  assert.equal(registrationComplete({ ...form, sampleCount: 0 }, 26), true);
  assert.equal(registrationComplete({ ...form, phone: '  ' }, 8), false);
  assert.equal(selfAssessmentComplete({ generalInfo: 'a', businessResults: 'b', businessPlan: 'c' }), true);
  assert.equal(selfAssessmentComplete({ generalInfo: 'a', businessResults: 'b' }), false);
  assert.equal(communeReportComplete(null), false);
  assert.equal(
    communeReportComplete({
      productOrigin: { met: true },
      localLabour: { met: true },
      ideaOrigin: { met: false, comment: 'Ý tưởng từ nơi khác' },
      localIdentity: { met: true },
    }),
    true,
  );
  assert.equal(communeReportComplete({ productOrigin: { met: true } }), false);
});
