import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { projectRoot } from '../paths.ts';
import {
  type AiElement,
  aiDefinition,
  checkAiAssociations,
  checkAiMutex,
  checkAiRepeats,
  checkAiRequisites,
  checkDigSigSerialisedKey,
  KNOWN_AIS,
  parseBracketedAiData,
  parseElementString,
  toBracketedAiData,
  toElementString,
  validateAiValue,
} from './ai.ts';

const FIXTURES = path.join(projectRoot, 'tests', 'fixtures', 'gs1-digital-link');

interface ElementStringVector {
  kind: 'bracketed_to_element_string' | 'element_string_validate' | 'ai_association_rule';
  input: string;
  valid: boolean;
  element_string?: string;
  elements?: Record<string, string>;
  rule?: string;
  options?: { permitUnknownAIs?: boolean };
  note?: string;
  source: string;
}

const vectors = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'element-strings.gs1-syntax-engine.json'), 'utf8'),
) as ElementStringVector[];

const RULES: Record<string, (elements: readonly AiElement[]) => string | null> = {
  validateAIrepeats: checkAiRepeats,
  validateAImutex: checkAiMutex,
  validateAIrequisites: checkAiRequisites,
  validateDigSigRequiresSerialisedKey: checkDigSigSerialisedKey,
};

describe('element-string vectors of the GS1 Barcode Syntax Engine (61 of 61)', () => {
  test('all are here', () => assert.equal(vectors.length, 61));
  for (const v of vectors) {
    const options = { permitUnknownAis: v.options?.permitUnknownAIs === true };
    test(`${v.kind} ${JSON.stringify(v.input)} → ${v.valid ? 'valid' : 'invalid'} (${v.source})`, () => {
      if (v.kind === 'bracketed_to_element_string') {
        const parsed = parseBracketedAiData(v.input, options);
        assert.equal(parsed.ok, v.valid, parsed.ok ? undefined : parsed.problem);
        if (parsed.ok) {
          assert.equal(parsed.elementString, v.element_string);
          assert.deepEqual(Object.fromEntries(parsed.elements.map((e) => [e.ai, e.value])), v.elements);
        }
      } else if (v.kind === 'element_string_validate') {
        const parsed = parseElementString(v.input, options);
        assert.equal(parsed.ok, v.valid, parsed.ok ? undefined : parsed.problem);
      } else {
        const parsed = parseBracketedAiData(v.input, options);
        assert.ok(parsed.ok, parsed.ok ? undefined : parsed.problem);
        const rule = RULES[v.rule ?? ''];
        assert.ok(rule, v.rule);
        assert.equal(rule(parsed.elements) === null, v.valid);
      }
    });
  }
});

test('the dictionary is loaded whole: ranges expanded, flags and Digital Link attributes read', () => {
  assert.ok(KNOWN_AIS.length > 400);
  for (const ai of ['00', '01', '10', '17', '21', '254', '3103', '414', '8003', '8004', '91', '99']) {
    assert.ok(aiDefinition(ai), ai);
  }
  assert.equal(aiDefinition('3106'), undefined);
  assert.equal(aiDefinition('89'), undefined);
  const gtin = aiDefinition('01')!;
  assert.equal(gtin.fnc1Required, false);
  assert.equal(gtin.dlPrimaryKey, true);
  assert.deepEqual(gtin.dlKeyQualifierSequences, [['22', '10', '21'], ['235']]);
  assert.deepEqual(gtin.excludes, ['255', '37']);
  const lot = aiDefinition('10')!;
  assert.equal(lot.fnc1Required, true);
  assert.equal(lot.dlDataAttribute, true);
  assert.equal(lot.maxLength, 20);
  assert.deepEqual(aiDefinition('250')!.requires, [
    [
      ['01', '21'],
      ['03', '21'],
      ['8006', '21'],
    ],
  ]);
  assert.deepEqual(aiDefinition('8003')!.components, [
    { cset: 'N', min: 1, max: 1, optional: false, linters: ['zero'] },
    { cset: 'N', min: 13, max: 13, optional: false, linters: ['csum', 'gcppos1'] },
    { cset: 'X', min: 1, max: 16, optional: true, linters: [] },
  ]);
  assert.equal(aiDefinition('21')!.dlDataAttribute, false);
});

test('validateAiValue: formats, lengths and linters', () => {
  const cases: [string, string, boolean][] = [
    ['01', '09520123456788', true],
    ['01', '09520123456789', false], // check digit
    ['01', '9520123456788', false], // 13 digits
    ['01', '0952012345678A', false],
    ['00', '106141412345678908', true],
    ['414', '0614141073467', true],
    ['10', 'ABC-123/x', true],
    ['10', 'ABC 123', false], // space is not in CSET 82
    ['10', 'Lô', false],
    ['10', 'A'.repeat(20), true],
    ['10', 'A'.repeat(21), false],
    ['21', '', false],
    ['17', '251231', true], // yymmd0
    ['17', '250200', true], // day 00 allowed for expiry
    ['17', '240229', true], // 2024 is a leap year
    ['17', '250229', false],
    ['17', '251301', false],
    ['17', '25123', false],
    ['11', '250100', true],
    ['7006', '250100', false], // yymmdd: no day 00
    ['7006', '250131', true],
    ['7007', '250101250131', true], // harvest date range
    ['7007', '2501012501', false],
    ['7003', '2501012359', true], // yymmdd + hhmi
    ['7003', '2501012460', false],
    ['8008', '25010112', true], // hh, optional mi ss
    ['8008', '2501011260', false],
    ['7250', '19991231', true], // yyyymmdd
    ['7250', '19000229', false],
    ['4321', '1', true],
    ['4321', '2', false],
    ['8006', '123456789012310102', true], // pieceoftotal
    ['8006', '123456789012310302', false],
    ['8006', '123456789012310002', false],
    ['7258', '1/2', true],
    ['7258', '3/2', false],
    ['8013', '1987654Ad4X4bL5ttr2310c2K', true], // csumalpha
    ['8013', '1987654Ad4X4bL5ttr2310c2L', false],
    ['8011', '123', true],
    ['8011', '0123', false], // nozeroprefix
    ['8001', '12341234512310', true], // nonzero, winding
    ['8001', '00001234512310', false],
    ['8001', '12341234512320', false],
    ['4307', 'VN', true], // iso3166alpha2
    ['4307', 'vn', false],
    ['8007', 'GB82WEST12345698765432', true], // iban
    ['8007', 'GB82WEST12345698765433', false],
    ['4309', '01234567890123456789', true], // latitude, longitude
    ['4309', '18000000013600000000', false],
    ['8030', 'YWJj', true], // base64url
    ['8030', 'YWJ=', false], // padding in the wrong place
    ['8030', 'YW+j', false],
    ['8010', '0614141-/#AB', true], // CSET 39
    ['8010', '0614141abc', false],
    ['4300', 'Nguy%E1%BB%85n', true], // pcenc
    ['4300', 'Nguy%E1%BB%8Zn', false],
    ['7040', '1A2-', true], // importeridx
    ['7040', '1A2!', false],
    ['7241', '01', true], // mediatype
    ['7241', '50', false],
    ['422', '704', true], // iso3166 (only the format is checked: no code list here)
    ['3103', '000195', true],
    ['3103', '00019', false],
    ['89', 'X', false], // unknown AI
  ];
  for (const [ai, value, valid] of cases) {
    const problem = validateAiValue(ai, value);
    assert.equal(problem === null, valid, `(${ai})${value}: ${problem}`);
    if (problem) assert.match(problem, new RegExp(`\\(${ai}\\)`));
  }
  assert.equal(validateAiValue('89', 'X', { permitUnknownAis: true }), null);
});

test('element strings: bracketed and ^ forms, both ways', () => {
  const elements: AiElement[] = [
    { ai: '01', value: '09520123456788' },
    { ai: '17', value: '251231' },
    { ai: '10', value: 'LOT(7)' },
    { ai: '21', value: 'S/1' },
  ];
  assert.equal(toBracketedAiData(elements), '(01)09520123456788(17)251231(10)LOT\\(7)(21)S/1');
  assert.equal(toElementString(elements), '^010952012345678817251231' + '10LOT(7)^21S/1');
  const bracketed = parseBracketedAiData(toBracketedAiData(elements));
  assert.ok(bracketed.ok);
  assert.deepEqual(bracketed.elements, elements);
  const raw = parseElementString(toElementString(elements));
  assert.ok(raw.ok);
  assert.deepEqual(raw.elements, elements);
  assert.equal(checkAiAssociations(elements), null);
  assert.match(checkAiAssociations([{ ai: '21', value: 'S' }]) ?? '', /\(21\) needs/);
  assert.equal(checkAiAssociations([{ ai: '21', value: 'S' }], { requisites: false }), null);
  assert.match(
    checkAiAssociations([
      { ai: '01', value: '09520123456788' },
      { ai: '01', value: '09520123456795' },
    ]) ?? '',
    /twice/,
  );
});

test('property: element lists round-trip through both notations', () => {
  const cset82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
  const text = (max: number) => fc.string({ unit: fc.constantFrom(...cset82), minLength: 1, maxLength: max });
  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
  const gtin = digits(13).map((d) => {
    let sum = 0;
    d.forEach((digit, i) => {
      sum += digit * (i % 2 === 0 ? 3 : 1);
    });
    return `${d.join('')}${(10 - (sum % 10)) % 10}`;
  });
  const element = fc.oneof(
    gtin.map((value) => ({ ai: '01', value })),
    text(20).map((value) => ({ ai: '10', value })),
    text(20).map((value) => ({ ai: '21', value })),
    text(90).map((value) => ({ ai: '99', value })),
    digits(6).map((d) => ({ ai: '3103', value: d.join('') })),
  );
  fc.assert(
    fc.property(fc.array(element, { minLength: 1, maxLength: 5 }), (elements) => {
      const bracketed = parseBracketedAiData(toBracketedAiData(elements));
      assert.ok(bracketed.ok, bracketed.ok ? '' : bracketed.problem);
      assert.deepEqual(bracketed.elements, elements);
      const raw = parseElementString(toElementString(elements));
      assert.ok(raw.ok, raw.ok ? '' : raw.problem);
      assert.deepEqual(raw.elements, elements);
    }),
  );
});
