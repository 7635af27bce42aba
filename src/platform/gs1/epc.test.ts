import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { withGs1CheckDigit } from './check-digit.ts';
import { escapeUriComponent } from './digital-link.ts';
import {
  canonicalEpc,
  checkEpcIdentifier,
  defaultGcpLength,
  escapeEpcComponent,
  parseEpcUrn,
  toDigitalLink,
  toEpcUrn,
  unescapeEpcComponent,
} from './epc.ts';

const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

test('EPC URN ↔ Digital Link: the worked examples of the EPC Tag Data Standard (Company Prefix 0614141)', () => {
  // [GS1 element string as a Digital Link URI, EPC URN]. itip and upui: constructed the same way.
  const pairs: [string, string][] = [
    ['https://id.gs1.org/01/80614141123458/21/6789', 'urn:epc:id:sgtin:0614141.812345.6789'],
    ['https://id.gs1.org/00/106141412345678908', 'urn:epc:id:sscc:0614141.1234567890'],
    ['https://id.gs1.org/414/0614141123452/254/5678', 'urn:epc:id:sgln:0614141.12345.5678'],
    ['https://id.gs1.org/8003/006141411234525678', 'urn:epc:id:grai:0614141.12345.5678'],
    ['https://id.gs1.org/8004/0614141123456789', 'urn:epc:id:giai:0614141.123456789'],
    ['https://id.gs1.org/8018/061414112345678902', 'urn:epc:id:gsrn:0614141.1234567890'],
    ['https://id.gs1.org/8017/061414112345678902', 'urn:epc:id:gsrnp:0614141.1234567890'],
    ['https://id.gs1.org/253/0614141123452006847', 'urn:epc:id:gdti:0614141.12345.006847'],
    ['https://id.gs1.org/255/401234567890104711', 'urn:epc:id:sgcn:4012345.67890.04711'],
    ['https://id.gs1.org/401/0614141xyz47%2F11', 'urn:epc:id:ginc:0614141.xyz47%2F11'],
    ['https://id.gs1.org/402/06141411234567890', 'urn:epc:id:gsin:0614141.123456789'],
    ['https://id.gs1.org/8010/0614141123ABC/8011/123456789', 'urn:epc:id:cpi:0614141.123ABC.123456789'],
    ['https://id.gs1.org/8010/06141415PQ7%2FZ43/8011/12345', 'urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345'],
    ['https://id.gs1.org/417/0614141123452', 'urn:epc:id:pgln:0614141.12345'],
    ['https://id.gs1.org/8006/106141411234590102/21/981', 'urn:epc:id:itip:0614141.112345.01.02.981'],
    [
      'https://id.gs1.org/01/10614141123459/235/51qIgY%29%3C%26Jp3%2Aj7%27SDB',
      "urn:epc:id:upui:0614141.112345.51qIgY)%3C%26Jp3*j7'SDB",
    ],
  ];
  for (const [dl, urn] of pairs) {
    assert.equal(checkEpcIdentifier(urn), null, urn);
    assert.equal(checkEpcIdentifier(dl), null, dl);
    assert.equal(toDigitalLink(urn), dl, urn);
    assert.equal(toEpcUrn(dl, { gcpLength: 7 }), urn, dl);
    assert.equal(toEpcUrn(urn), urn, urn);
    assert.equal(canonicalEpc(urn), dl, urn);
    assert.equal(canonicalEpc(dl), dl, dl);
  }
});

test('identifiers of the GS1 EPCIS 2.0 examples: canonical form and EPC URN', () => {
  // [identifier as written in ../shared/standards/epcis/examples, canonical form, its Company Prefix length]
  const cases: [string, string, number][] = [
    ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/10614141073464/21/2017', 7],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/998877', 7],
    ['urn:epc:id:sgln:0614141.07346.1234', 'https://id.gs1.org/414/0614141073467/254/1234', 7],
    ['urn:epc:id:sscc:0614141.1234567890', 'https://id.gs1.org/00/106141412345678908', 7],
    ['urn:epc:id:sgln:0614141.00777.0', 'https://id.gs1.org/414/0614141007776', 7],
    ['urn:epc:id:pgln:0614141.00777', 'https://id.gs1.org/417/0614141007776', 7],
    ['urn:epc:idpat:sgtin:4012345.098765.*', 'https://id.gs1.org/01/04012345987652', 7],
    ['urn:epc:id:giai:4000001.111', 'https://id.gs1.org/8004/4000001111', 7],
    ['urn:epc:id:grai:4012345.55555.987', 'https://id.gs1.org/8003/04012345555554987', 7],
    ['urn:epc:id:gdti:0614141.00001.1618034', 'https://id.gs1.org/253/06141410000121618034', 7],
    ['urn:epc:id:gsrn:0614141.0000010253', 'https://id.gs1.org/8018/061414100000102534', 7],
    [
      'urn:epc:class:lgtin:4023333.002000.2019-10-07',
      'https://id.gs1.org/01/04023333020008/10/2019-10-07',
      7,
    ],
    ['urn:epc:id:sgln:952005385.011.ts4711', 'https://id.gs1.org/414/9520053850113/254/ts4711', 9],
    ['urn:epc:id:giai:952005385.w2', 'https://id.gs1.org/8004/952005385w2', 9],
    ['urn:epc:id:sgtin:952001.1012345.22222223333', 'https://id.gs1.org/01/19520010123455/21/22222223333', 6],
    ['https://id.gs1.org/01/09520123456788/21/12345', 'https://id.gs1.org/01/09520123456788/21/12345', 7],
    ['https://id.gs1.org/8004/4000001111', 'https://id.gs1.org/8004/4000001111', 7],
    ['https://id.gs1.org/01/70614141123451/21/2017', 'https://id.gs1.org/01/70614141123451/21/2017', 7],
    ['https://example.com/253/4012345000054987', 'https://id.gs1.org/253/4012345000054987', 7],
    [
      'https://id.gs1.de/01/04012345999990/21/XYZ-1234',
      'https://id.gs1.org/01/04012345999990/21/XYZ-1234',
      7,
    ],
  ];
  for (const [identifier, canonical, gcpLength] of cases) {
    assert.equal(checkEpcIdentifier(identifier), null, identifier);
    assert.equal(canonicalEpc(identifier), canonical, identifier);
    const urn = toEpcUrn(canonical, { gcpLength });
    assert.ok(urn, canonical);
    if (identifier.startsWith('urn:')) assert.equal(urn, identifier);
    assert.equal(canonicalEpc(urn), canonical, urn);
  }
  assert.equal(
    toEpcUrn('https://id.gs1.org/01/09520123456788/21/12345'),
    'urn:epc:id:sgtin:9520123.045678.12345',
  );
  // Two identifiers of the examples carry a wrong check digit (GS1 keys are checked, not trusted):
  // openepcis-test-resources JSON/Query/Combination_of_different_event.json and Queries/SimpleEventQuery.json.
  assert.match(
    checkEpcIdentifier('https://id.example.com/8003/030013450007718765')?.problem ?? '',
    /check digit/,
  );
  assert.match(checkEpcIdentifier('https://id.gs1.org/414/9521141123452')?.problem ?? '', /check digit/);
});

test('checkEpcIdentifier: problems for bad GS1 identifiers, null for good ones and private URIs', () => {
  const problems: [string, RegExp][] = [
    ['', /empty/],
    ['not a uri', /absolute URI/],
    ['urn:epc:id:sgtin:0614141.107346', /3 parts/],
    ['urn:epc:id:sgtin:0614141.10734.2017', /13 digits/],
    ['urn:epc:id:sgtin:06141.4107346.2017', /6 to 12 digits/],
    ['urn:epc:id:sgtin:061414A.107346.2017', /digits/],
    ['urn:epc:id:sgtin:0614141.107346.20 17', /character/],
    ['urn:epc:id:sgtin:0614141.107346.A/B', /character/],
    ['urn:epc:id:sgtin:0614141.107346.A%41', /character/],
    ['urn:epc:id:sgtin:0614141.107346.Lô', /character/],
    ['urn:epc:id:sgtin:0614141.107346.', /empty/],
    ['urn:epc:id:sgtin:0614141.107346.123456789012345678901', /longer than 20/],
    ['urn:epc:id:sscc:0614141.123456789', /17 digits/],
    ['urn:epc:id:sgln:0614141.07346', /3 parts/],
    ['urn:epc:id:cpi:0614141.5PQ7/Z43.12345', /part reference/],
    ['urn:epc:id:cpi:0614141.5PQ7.012345', /\(8011\)/],
    ['urn:epc:id:gid:95100000.012345.400', /leading zeros/],
    ['urn:epc:id:foo:1.2', /not an EPC scheme/],
    ['urn:epc:tag:sgtin-96:3.0614141.107346.2017', /urn:epc:id:/],
    ['urn:epc:idpat:sgtin:0614141.107346.2017', /\.\*/],
    ['https://id.gs1.org/01/09520123456789/21/1', /check digit/],
    ['https://id.gs1.org/01/9520123456788', /too short/],
    ['https://example.com/01/09520123456788/21/a b', /characters/],
    ['https://id.gs1.org/', /primary key/],
    ['https://example.com/shop/414/0614141073467/254/', /empty value/],
  ];
  for (const [identifier, pattern] of problems) {
    const result = checkEpcIdentifier(identifier);
    assert.ok(result, `${identifier} should have a problem`);
    assert.match(result.problem, pattern, identifier);
    assert.equal(canonicalEpc(identifier), null, identifier);
  }
  const accepted = [
    'urn:epc:id:sgtin:0614141.107346.A%2FB',
    'urn:epc:id:sgtin:0614141.107346.a%2fb',
    'URN:EPC:ID:SGTIN:0614141.107346.2017',
    'urn:epc:id:sgtin:0614141.107346.1.2.3',
    'urn:epc:id:gid:95100000.12345.400',
    'urn:epc:idpat:sgtin:4012345.*.*',
    'urn:epc:idpat:sgtin:*.*.*',
    'urn:epc:id:sgln:012345678901..0',
    'urn:example:lot:42',
    'urn:uuid:0190c8d4-8a5e-7f3a-9a0b-1c2d3e4f5a6b',
    'https://example.com/products/42',
    'https://example.com/gtin/09520123456788',
    'http://www.w3.org/2000/01/rdf-schema#',
    'https://id.gs1.org/01/09520123456788?17=251231&linkType=gs1:pip',
  ];
  for (const identifier of accepted) assert.equal(checkEpcIdentifier(identifier), null, identifier);
});

test('canonicalEpc: one form per object, whatever the notation', () => {
  const same = [
    'urn:epc:id:sgtin:0614141.107346.2017',
    'URN:EPC:ID:SGTIN:0614141.107346.2017',
    'https://id.gs1.org/01/10614141073464/21/2017',
    'HTTPS://ID.GS1.ORG/01/10614141073464/21/2017',
    'http://id.gs1.org/01/10614141073464/21/2017',
    'https://brand.example.com/p/01/10614141073464/21/2017',
    'https://id.gs1.org/01/10614141073464/21/2017?17=251231&linkType=gs1:pip#x',
  ];
  for (const identifier of same) {
    assert.equal(canonicalEpc(identifier), 'https://id.gs1.org/01/10614141073464/21/2017', identifier);
  }
  // A GLN extension 0 means none (TDS), whichever way it is written.
  for (const identifier of [
    'urn:epc:id:sgln:0614141.00777.0',
    'https://id.gs1.org/414/0614141007776/254/0',
    'https://id.gs1.org/414/0614141007776',
  ]) {
    assert.equal(canonicalEpc(identifier), 'https://id.gs1.org/414/0614141007776', identifier);
  }
  // Escapes are normalised; serials keep their case and their dots.
  assert.equal(
    canonicalEpc('urn:epc:id:sgtin:0614141.107346.a%2fB.1'),
    'https://id.gs1.org/01/10614141073464/21/a%2FB.1',
  );
  assert.equal(
    toEpcUrn('urn:epc:id:sgtin:0614141.107346.a%2fB.1'),
    'urn:epc:id:sgtin:0614141.107346.a%2FB.1',
  );
  // No Digital Link form: the URN itself, normalised; private URIs: unchanged.
  assert.equal(canonicalEpc('URN:EPC:ID:GID:95100000.12345.400'), 'urn:epc:id:gid:95100000.12345.400');
  assert.equal(canonicalEpc('urn:epc:idpat:sgtin:4012345.*.*'), 'urn:epc:idpat:sgtin:4012345.*.*');
  assert.equal(canonicalEpc('urn:example:lot:42'), 'urn:example:lot:42');
  assert.equal(canonicalEpc('https://example.com/products/42'), 'https://example.com/products/42');
  // Leniency options reach the Digital Link parser (strict by default).
  assert.equal(
    canonicalEpc('https://example.com/gtin/10614141073464/ser/2017'),
    'https://example.com/gtin/10614141073464/ser/2017',
  );
  assert.equal(
    canonicalEpc('https://example.com/gtin/10614141073464/ser/2017', { permitConvenienceAlphas: true }),
    'https://id.gs1.org/01/10614141073464/21/2017',
  );
  assert.equal(
    canonicalEpc('https://example.com/01/9520123456788', { permitZeroSuppressedGtin: true }),
    'https://id.gs1.org/01/09520123456788',
  );
  // Key qualifiers stay: a lot + serial is not the bare SGTIN's canonical form.
  assert.equal(
    canonicalEpc('https://example.com/01/10614141073464/10/L1/21/2017'),
    'https://id.gs1.org/01/10614141073464/10/L1/21/2017',
  );
});

test('toEpcUrn: Company Prefix length given, looked up, or by default (893 → 10 digits, else 7)', () => {
  const vietnam = 'https://id.gs1.org/01/08934588012112/21/A1';
  assert.equal(defaultGcpLength('8934588012112'), 10);
  assert.equal(defaultGcpLength('4012345123456'), 7);
  assert.equal(toEpcUrn(vietnam), 'urn:epc:id:sgtin:8934588012.011.A1');
  assert.equal(toEpcUrn(vietnam, { gcpLength: 8 }), 'urn:epc:id:sgtin:89345880.01211.A1');
  const lookup = (key: string) => (key.startsWith('8934588') ? 7 : undefined);
  assert.equal(toEpcUrn(vietnam, { gcpLength: lookup }), 'urn:epc:id:sgtin:8934588.001211.A1');
  assert.equal(
    toEpcUrn('https://id.gs1.org/01/04012345123456/10/L', { gcpLength: lookup }),
    'urn:epc:class:lgtin:4012345.012345.L',
  );
  const gln = withGs1CheckDigit('893458800001');
  assert.equal(toEpcUrn(`https://id.gs1.org/414/${gln}`), 'urn:epc:id:sgln:8934588000.01.0');
  const sscc = withGs1CheckDigit('08934588000000001');
  assert.equal(toEpcUrn(`https://id.gs1.org/00/${sscc}`), 'urn:epc:id:sscc:8934588000.0000001');
  for (const gcpLength of [5, 13, 6.5])
    assert.equal(toEpcUrn(vietnam, { gcpLength }), null, String(gcpLength));
  // Whatever the length, the URN converts back to the same Digital Link URI.
  for (let gcpLength = 6; gcpLength <= 12; gcpLength++) {
    assert.equal(toDigitalLink(toEpcUrn(vietnam, { gcpLength }) ?? ''), vietnam, String(gcpLength));
  }
  // A GIAI whose first characters are not digits where the prefix should be has no URN.
  assert.equal(toEpcUrn('https://id.gs1.org/8004/0614141ABC', { gcpLength: 9 }), null);
});

test('conversions without an EPC or without a Digital Link form give null', () => {
  const noEpc = [
    'https://id.gs1.org/01/09520123456788/22/CPV1',
    'https://id.gs1.org/414/0614141073467/7040/1A2-',
    'https://id.gs1.org/8003/04012345555554',
    'https://id.gs1.org/253/0614141123452',
    'https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K',
    'https://example.com/products/42',
    'urn:example:lot:42',
    'not a uri',
  ];
  for (const identifier of noEpc) assert.equal(toEpcUrn(identifier), null, identifier);
  assert.equal(
    toEpcUrn('https://id.gs1.org/01/10614141073464/22/C/10/L1/21/2017', { gcpLength: 7 }),
    'urn:epc:id:sgtin:0614141.107346.2017',
  );
  for (const identifier of [
    'urn:epc:id:gid:95100000.12345.400',
    'urn:epc:idpat:sgtin:4012345.*.*',
    'urn:example:x',
  ]) {
    assert.equal(toDigitalLink(identifier), null, identifier);
  }
  assert.equal(
    toDigitalLink('https://brand.example.com/01/09520123456788/21/1?17=251231', 'https://qr.ocop.example/'),
    'https://qr.ocop.example/01/09520123456788/21/1?17=251231',
  );
  assert.equal(
    toDigitalLink('urn:epc:id:sgtin:0614141.107346.2017', 'https://qr.ocop.example'),
    'https://qr.ocop.example/01/10614141073464/21/2017',
  );
});

test('parseEpcUrn gives the kind, scheme, normalised URN and elements', () => {
  const parsed = parseEpcUrn('urn:epc:class:lgtin:4012345.012345.998877');
  assert.ok(parsed.ok);
  assert.equal(parsed.kind, 'class');
  assert.equal(parsed.scheme, 'lgtin');
  assert.equal(parsed.urn, 'urn:epc:class:lgtin:4012345.012345.998877');
  assert.deepEqual(parsed.elements, [
    { ai: '01', value: '04012345123456', dlPathOrder: 0 },
    { ai: '10', value: '998877', dlPathOrder: 1 },
  ]);
  const gid = parseEpcUrn('urn:epc:id:gid:95100000.12345.400');
  assert.ok(gid.ok);
  assert.equal(gid.elements, null);
});

test('EPC URN component escaping: the seven escapes of TDS 2.0, nothing else', () => {
  assert.equal(
    escapeEpcComponent(CSET82),
    `!%22%25%26'()*+,-.%2F0123456789:;%3C=%3E%3FABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`,
  );
  assert.equal(unescapeEpcComponent(escapeEpcComponent(CSET82)), CSET82);
  assert.equal(unescapeEpcComponent('%2f%3c'), '/<');
  for (const bad of ['%41', '%2', '"', '/', ' ', '#', 'ô'])
    assert.equal(unescapeEpcComponent(bad), null, bad);
});

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const serial = (max: number) => fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: max });
const gcpLength = fc.integer({ min: 6, max: 12 });

test('property: EPC URN → Digital Link → EPC URN with the same Company Prefix length is the identity', () => {
  const urns = gcpLength.chain((length) =>
    fc
      .tuple(
        digits(length),
        fc.oneof(
          fc
            .tuple(digits(13 - length), serial(20))
            .map(([iir, s]) => ['sgtin', `${iir}.${escapeEpcComponent(s)}`] as const),
          fc
            .tuple(digits(13 - length), serial(20))
            .map(([iir, s]) => ['lgtin', `${iir}.${escapeEpcComponent(s)}`] as const),
          digits(13 - length).map((iir) => ['idpat', `${iir}.*`] as const),
          digits(17 - length).map((ref) => ['sscc', ref] as const),
          fc
            .tuple(digits(12 - length), serial(20))
            .map(([ref, s]) => ['sgln', `${ref}.${escapeEpcComponent(s)}`] as const),
          digits(12 - length).map((ref) => ['pgln', ref] as const),
          serial(30 - length).map((s) => ['giai', escapeEpcComponent(s)] as const),
          fc
            .tuple(digits(12 - length), serial(16))
            .map(([ref, s]) => ['grai', `${ref}.${escapeEpcComponent(s)}`] as const),
        ),
      )
      .map(([cp, [scheme, rest]]) => {
        const prefix =
          scheme === 'lgtin'
            ? 'urn:epc:class:lgtin'
            : scheme === 'idpat'
              ? 'urn:epc:idpat:sgtin'
              : `urn:epc:id:${scheme}`;
        return { urn: `${prefix}:${cp}.${rest}`, length: cp.length };
      }),
  );
  fc.assert(
    fc.property(urns, ({ urn, length }) => {
      assert.equal(checkEpcIdentifier(urn), null, urn);
      const dl = toDigitalLink(urn);
      assert.ok(dl, urn);
      assert.equal(checkEpcIdentifier(dl), null, dl);
      assert.equal(canonicalEpc(dl), canonicalEpc(urn));
      assert.equal(toEpcUrn(dl, { gcpLength: length }), urn);
    }),
  );
});

test('property: Digital Link → EPC URN (any Company Prefix length) → Digital Link is the identity', () => {
  const gtin = digits(13).map((d) => withGs1CheckDigit(d));
  fc.assert(
    fc.property(gtin, fc.option(serial(20)), gcpLength, (g, s, length) => {
      const dl = `https://id.gs1.org/01/${g}${s === null ? '' : `/21/${escapeUriComponent(s, 'path')}`}`;
      assert.equal(checkEpcIdentifier(dl), null, dl);
      const urn = toEpcUrn(dl, { gcpLength: length });
      assert.ok(urn, dl);
      assert.equal(toDigitalLink(urn), dl);
      assert.equal(canonicalEpc(urn), dl);
    }),
  );
});

test('property: one changed digit of a GS1 key makes the identifier a problem', () => {
  const gtin = digits(13).map((d) => withGs1CheckDigit(d));
  fc.assert(
    fc.property(gtin, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (g, at, delta) => {
      const changed = `${g.slice(0, at)}${(Number(g[at]) + delta) % 10}${g.slice(at + 1)}`;
      assert.equal(checkEpcIdentifier(`https://id.gs1.org/01/${g}/21/1`), null);
      assert.match(checkEpcIdentifier(`https://id.gs1.org/01/${changed}/21/1`)?.problem ?? '', /check digit/);
    }),
  );
});
