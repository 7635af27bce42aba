import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CbvVocabulary, canonicalCbvValue, classifyVocabularyValue } from './vocabulary.ts';

const USER = new Map([
  ['cbv', 'https://ref.gs1.org/cbv/'],
  ['gs1', 'https://gs1.org/voc/'],
  ['example', 'https://ns.example.com/epcis/'],
]);

test('the four spellings of a CBV value have one canonical Web URI', () => {
  const cases: [CbvVocabulary, string[], string][] = [
    [
      'bizStep',
      [
        'receiving',
        'urn:epcglobal:cbv:bizstep:receiving',
        'https://ref.gs1.org/cbv/BizStep-receiving',
        'cbv:BizStep-receiving',
      ],
      'https://ref.gs1.org/cbv/BizStep-receiving',
    ],
    [
      'disposition',
      [
        'in_transit',
        'urn:epcglobal:cbv:disp:in_transit',
        'https://ref.gs1.org/cbv/Disp-in_transit',
        'cbv:Disp-in_transit',
      ],
      'https://ref.gs1.org/cbv/Disp-in_transit',
    ],
    [
      'bizTransactionType',
      ['po', 'urn:epcglobal:cbv:btt:po', 'https://ref.gs1.org/cbv/BTT-po'],
      'https://ref.gs1.org/cbv/BTT-po',
    ],
    [
      'sourceDestType',
      ['owning_party', 'urn:epcglobal:cbv:sdt:owning_party', 'https://ref.gs1.org/cbv/SDT-owning_party'],
      'https://ref.gs1.org/cbv/SDT-owning_party',
    ],
    [
      'errorReason',
      ['incorrect_data', 'urn:epcglobal:cbv:er:incorrect_data', 'https://ref.gs1.org/cbv/ER-incorrect_data'],
      'https://ref.gs1.org/cbv/ER-incorrect_data',
    ],
    [
      'component',
      ['latitude', 'cbv:Comp-latitude', 'https://ref.gs1.org/cbv/Comp-latitude'],
      'https://ref.gs1.org/cbv/Comp-latitude',
    ],
    [
      'measurementType',
      ['Temperature', 'gs1:Temperature', 'https://gs1.org/voc/Temperature'],
      'https://gs1.org/voc/Temperature',
    ],
    [
      'sensorAlertType',
      ['ALARM_CONDITION', 'gs1:ALARM_CONDITION', 'https://gs1.org/voc/ALARM_CONDITION'],
      'https://gs1.org/voc/ALARM_CONDITION',
    ],
  ];
  for (const [vocabulary, spellings, canonical] of cases) {
    for (const spelling of spellings) {
      assert.equal(canonicalCbvValue(vocabulary, spelling, USER), canonical, `${vocabulary} ${spelling}`);
    }
  }
});

test('CBV 2.0 additions are known (sensor_reporting, sampling, needs_replacement, completeness_verified)', () => {
  assert.equal(
    canonicalCbvValue('bizStep', 'sensor_reporting'),
    'https://ref.gs1.org/cbv/BizStep-sensor_reporting',
  );
  assert.equal(canonicalCbvValue('bizStep', 'sampling'), 'https://ref.gs1.org/cbv/BizStep-sampling');
  assert.equal(
    canonicalCbvValue('disposition', 'needs_replacement'),
    'https://ref.gs1.org/cbv/Disp-needs_replacement',
  );
  assert.equal(
    canonicalCbvValue('disposition', 'completeness_verified'),
    'https://ref.gs1.org/cbv/Disp-completeness_verified',
  );
});

test('a private vocabulary value must be a URI, and stays as written (CURIEs expanded)', () => {
  assert.equal(
    canonicalCbvValue('bizStep', 'http://epcis.example.org/hc/bizstep/summarising_discharge'),
    'http://epcis.example.org/hc/bizstep/summarising_discharge',
  );
  assert.equal(canonicalCbvValue('bizStep', 'example:drying', USER), 'https://ns.example.com/epcis/drying');
  assert.equal(
    canonicalCbvValue('bizTransactionType', 'urn:gs1:epcisapp:rail:btt:passage'),
    'urn:gs1:epcisapp:rail:btt:passage',
  );
  assert.equal(
    canonicalCbvValue('measurementType', 'example:someSensorProperty', USER),
    'https://ns.example.com/epcis/someSensorProperty',
  );
  // a term of the cbv: namespace that is not of the Type-word form is a private URI (OpenEPCIS example)
  assert.equal(
    canonicalCbvValue('sourceDestType', 'cbv:my_own_party', USER),
    'https://ref.gs1.org/cbv/my_own_party',
  );
});

test('refused: bare words outside the CBV, near misses, other vocabularies, retired namespaces', () => {
  const refused: [CbvVocabulary, unknown][] = [
    ['disposition', 'in_transport'],
    ['disposition', 'IN_TRANSIT'],
    ['disposition', 'in transit'],
    ['bizStep', 'recieving'],
    ['bizStep', 'urn:epcglobal:cbv:bizstep:recieving'],
    ['bizStep', 'https://ref.gs1.org/cbv/BizStep-recieving'],
    ['bizStep', 'urn:epcglobal:cbv:disp:in_transit'],
    ['bizStep', 'https://ref.gs1.org/cbv/Disp-in_transit'],
    ['bizStep', 'http://ns.gs1.org/cbv/BizStep-receiving'],
    ['disposition', 'cbv:Disp-in_transport'],
    ['bizTransactionType', 'purchase_order'],
    ['sourceDestType', 'owner'],
    ['errorReason', 'typo'],
    ['component', 'w'],
    ['measurementType', 'Temprature'],
    ['measurementType', 'gs1:Temprature'],
    ['sensorAlertType', 'WARNING'],
    ['bizStep', ''],
    ['bizStep', 42],
    ['bizStep', null],
    ['bizStep', 'has space:x y'],
  ];
  for (const [vocabulary, value] of refused) {
    const result = classifyVocabularyValue(vocabulary, value, USER);
    assert.equal(result.ok, false, `${vocabulary} ${JSON.stringify(value)}`);
  }
  const bare = classifyVocabularyValue('disposition', 'in_transport');
  assert.ok(!bare.ok && /not a CBV disposition/.test(bare.message) && /URI/.test(bare.message));
});

test('without a prefix map only the standard prefixes expand', () => {
  assert.equal(
    canonicalCbvValue('bizStep', 'cbv:BizStep-packing'),
    'https://ref.gs1.org/cbv/BizStep-packing',
  );
  // an undeclared prefix is a URI scheme like any other
  assert.equal(canonicalCbvValue('bizStep', 'example:drying'), 'example:drying');
});
