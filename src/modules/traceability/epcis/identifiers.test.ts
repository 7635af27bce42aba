import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalIdentifier, hashFormOfIdentifier, identifierProblem } from './identifiers.ts';

test('identifierProblem: URIs only; GS1 ones must be valid', () => {
  for (const ok of [
    'urn:epc:id:sgtin:8934567.012345.1001',
    'https://id.gs1.org/01/08934567123457/21/1001',
    'https://dl.example.vn/01/08934567123457/21/1001',
    'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e',
    'https://example.com/baskets/7',
    'geo:10.7769,106.7009',
  ]) {
    assert.equal(identifierProblem(ok), null, ok);
  }
  for (const bad of [
    '08934567123457',
    '',
    42,
    'https://id.gs1.org/01/08934567123458/21/1001',
    'urn:epc:id:sgtin:8934567.12345.1001',
    'urn:epc:id:nosuchscheme:1.2.3',
  ]) {
    assert.notEqual(identifierProblem(bad), null, String(bad));
  }
});

test('canonicalIdentifier: GS1 identifiers as Digital Link URIs on id.gs1.org, others as written', () => {
  assert.equal(
    canonicalIdentifier('urn:epc:id:sgtin:8934567.012345.1001'),
    'https://id.gs1.org/01/08934567123457/21/1001',
  );
  assert.equal(
    canonicalIdentifier('https://dl.example.vn/01/08934567123457/21/1001?17=271231'),
    'https://id.gs1.org/01/08934567123457/21/1001',
  );
  assert.equal(
    canonicalIdentifier('urn:epc:id:sgln:8934567.00001.0'),
    'https://id.gs1.org/414/8934567000017',
  );
  assert.equal(canonicalIdentifier('https://example.com/baskets/7'), 'https://example.com/baskets/7');
});

test('hashFormOfIdentifier: the finest level of identification, legacy forms understood', () => {
  const cases: [string, string | null][] = [
    ['urn:epc:id:sgtin:8934567.012345.1001', 'https://id.gs1.org/01/08934567123457/21/1001'],
    ['https://dl.example.vn/01/08934567123457/10/L1/21/1001', 'https://id.gs1.org/01/08934567123457/21/1001'],
    ['https://id.gs1.org/01/08934567123457/22/V2/10/L1', 'https://id.gs1.org/01/08934567123457/10/L1'],
    ['https://id.gs1.org/gtin/08934567123457/ser/1001', 'https://id.gs1.org/01/08934567123457/21/1001'],
    ['https://id.gs1.org/01/8934567123457', 'https://id.gs1.org/01/08934567123457'],
    ['urn:epc:id:sgln:8934567.00001.12', 'https://id.gs1.org/414/8934567000017/254/12'],
    // EPC URN serials keep ' ; = as they are, like the reference implementation
    ["urn:epc:id:sgtin:8934567.012345.a'b", "https://id.gs1.org/01/08934567123457/21/a'b"],
    ['https://example.com/baskets/7', 'https://example.com/baskets/7'],
    ['not an identifier', null],
    ['https://id.gs1.org/01/08934567123458', null],
  ];
  for (const [input, expected] of cases) assert.equal(hashFormOfIdentifier(input), expected, input);
});
