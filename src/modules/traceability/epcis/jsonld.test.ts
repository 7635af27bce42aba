import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expandCurie,
  extensionKeyProblem,
  isAbsoluteUri,
  mergePrefixes,
  pointer,
  qualifiedName,
  readContext,
  STANDARD_CONTEXT_URLS,
} from './jsonld.ts';

test('readContext: standard context URLs recognised, prefixes read from inline objects', () => {
  for (const url of STANDARD_CONTEXT_URLS) assert.equal(readContext(url, '/@context').standard, true, url);
  const reading = readContext(
    [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { example: 'http://ns.example.com/epcis/', 'rail:vehicle': { '@type': '@id' }, '@vocab': 'https://x/' },
      { rail: 'urn:gs1:epcisapp:rail:' },
      { ext: { '@id': 'https://ext.example/', '@prefix': true } },
      null,
      {},
    ],
    '/@context',
  );
  assert.equal(reading.standard, true);
  assert.deepEqual(reading.problems, []);
  assert.deepEqual(Object.fromEntries(reading.prefixes), {
    example: 'http://ns.example.com/epcis/',
    rail: 'urn:gs1:epcisapp:rail:',
    ext: 'https://ext.example/',
  });
  assert.equal(readContext(['https://example.com/my-context.jsonld'], '').standard, false);
  assert.deepEqual(
    readContext([5, 'no url'], '/@context').problems.map((p) => p.path),
    ['/@context/0', '/@context/1'],
  );
});

test('CURIEs expand with known prefixes only; scheme URIs are left alone', () => {
  const prefixes = mergePrefixes(new Map([['example', 'https://ns.example.com/epcis/']]));
  assert.equal(expandCurie('example:batch', prefixes), 'https://ns.example.com/epcis/batch');
  assert.equal(expandCurie('cbv:Disp-active', prefixes), 'https://ref.gs1.org/cbv/Disp-active');
  assert.equal(expandCurie('gs1:Temperature'), 'https://gs1.org/voc/Temperature');
  assert.equal(
    expandCurie('urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e', prefixes),
    'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e',
  );
  assert.equal(
    expandCurie('https://example.com/x', new Map([['https', 'http://evil/']])),
    'https://example.com/x',
  );
  assert.equal(expandCurie('plain', prefixes), 'plain');
});

test('extension keys: a declared prefix or a full IRI', () => {
  const prefixes = mergePrefixes(new Map([['example', 'https://ns.example.com/epcis/']]));
  for (const ok of [
    'example:field',
    'rdfs:comment',
    'gs1:netWeight',
    'https://ns.example.com/epcis/field',
    'urn:example:field',
  ]) {
    assert.equal(extensionKeyProblem(ok, prefixes), null, ok);
  }
  const bad: [string, RegExp][] = [
    ['weight', /unknown field 'weight'/],
    ['acme:weight', /prefix 'acme' .* not declared/],
    ['example:', /no name after its prefix/],
    [':x', /unknown field/],
  ];
  for (const [key, expected] of bad) assert.match(extensionKeyProblem(key, prefixes) ?? '', expected, key);
});

test('qualifiedName: {namespace}local, as the event hash names extensions', () => {
  const prefixes = mergePrefixes(new Map([['example', 'https://ns.example.com/epcis/']]));
  assert.equal(qualifiedName('example:batch', prefixes), '{https://ns.example.com/epcis/}batch');
  assert.equal(qualifiedName('cbvmda:bestBeforeDate', prefixes), '{urn:epcglobal:cbv:mda:}bestBeforeDate');
  assert.equal(
    qualifiedName('https://ns.example.com/epcis/batch', prefixes),
    '{https://ns.example.com/epcis/}batch',
  );
  assert.equal(qualifiedName('http://example.com/ns#batch', prefixes), '{http://example.com/ns#}batch');
  assert.equal(qualifiedName('plain', prefixes), 'plain');
});

test('isAbsoluteUri and JSON Pointers', () => {
  for (const ok of [
    'urn:epc:id:sgtin:0614141.107346.2017',
    'https://id.gs1.org/01/09506000134352',
    'geo:10.77,106.70',
    'ni:///sha-256;ab?ver=CBV2.0',
  ]) {
    assert.equal(isAbsoluteUri(ok), true, ok);
  }
  for (const bad of ['0614141', 'no scheme', 'https://a b', 'urn:', '1urn:x', 'http://x/<y>', '', 5, null]) {
    assert.equal(isAbsoluteUri(bad), false, String(bad));
  }
  assert.equal(pointer('/epcisBody/eventList', 3), '/epcisBody/eventList/3');
  assert.equal(pointer('', 'a/b~c'), '/a~1b~0c');
});
