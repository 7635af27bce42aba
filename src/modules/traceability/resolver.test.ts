import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_RESOLVER_URL,
  parseResolverRequest,
  type ResolveHeaders,
  type ResolveOutcome,
  type ResolverEntry,
  type ResolverRefusal,
  type ResolverRequest,
  readDataEntries,
  resolve,
  resolverDescription,
} from './resolver.ts';

const BASE = new URL('https://id.example.org/');
const GTIN = '09506000134352';
const OTHER_GTIN = '09506000134376';

function parsed(url: string): ResolverRequest {
  const result = parseResolverRequest(url);
  if (!result.ok) assert.fail(`${url} refused: ${result.problem}`);
  return result;
}

function refused(url: string): ResolverRefusal {
  const result = parseResolverRequest(url);
  if (result.ok) assert.fail(`${url} accepted`);
  return result;
}

function entries(json: unknown): ResolverEntry[] {
  const read = readDataEntries(json);
  if (!read.ok) assert.fail(read.problems.join('\n'));
  return read.entries;
}

function problemsOf(json: unknown): string[] {
  const read = readDataEntries(json);
  if (read.ok) assert.fail('the data was accepted');
  return read.problems;
}

function answer(url: string, data: readonly ResolverEntry[], headers: ResolveHeaders = {}, base = BASE) {
  return resolve(parsed(url), data, headers, base);
}

function location(outcome: ResolveOutcome): string {
  if (outcome.status !== 307) assert.fail(`expected 307, got ${JSON.stringify(outcome)}`);
  return outcome.location;
}

function link(linktype: string, href: string, extra: Record<string, unknown> = {}) {
  return { linktype, href, title: `${linktype} link`, type: 'text/html', hreflang: ['en'], ...extra };
}

// --- parsing -------------------------------------------------------------------------------------

describe('parseResolverRequest: accepted requests', () => {
  test('key, qualifier, data attribute and link type of the brief example', () => {
    assert.deepEqual(parsed(`/01/${GTIN}/10/ABC?17=260131&linkType=gs1:pip`), {
      ok: true,
      primaryKey: { ai: '01', value: GTIN },
      keyQualifiers: [{ ai: '10', value: 'ABC' }],
      dataAttributes: [{ ai: '17', value: '260131' }],
      linkType: 'gs1:pip',
      all: false,
      context: null,
      otherParameters: [],
      query: '17=260131&linkType=gs1:pip',
      stem: '',
      canonicalPath: `/01/${GTIN}/10/ABC`,
    });
  });

  test('values are decoded, and re-encoded in the canonical path', () => {
    const request = parsed(`/01/${GTIN}/22/V1/10/A%2fB/21/S+1`);
    assert.deepEqual(
      request.keyQualifiers.map((q) => q.value),
      ['V1', 'A/B', 'S+1'],
    );
    assert.equal(request.canonicalPath, `/01/${GTIN}/22/V1/10/A%2FB/21/S%2B1`);
  });

  test('one trailing slash is tolerated (Resolver 2.13)', () => {
    assert.equal(parsed(`/01/${GTIN}/`).canonicalPath, `/01/${GTIN}`);
    assert.equal(parsed(`/01/${GTIN}/10/L1/?17=260131`).canonicalPath, `/01/${GTIN}/10/L1`);
    assert.equal(refused(`/01/${GTIN}//`).status, 400);
  });

  test('an absolute URI with a trailing slash is refused, as the URI syntax has none', () => {
    assert.equal(refused(`https://id.gs1.org/01/${GTIN}/`).status, 400);
  });

  test('an absolute-form target is read as the whole URI', () => {
    const request = parsed(`https://id.gs1.org/01/${GTIN}?3103=000195`);
    assert.deepEqual(request.dataAttributes, [{ ai: '3103', value: '000195' }]);
    assert.equal(request.canonicalPath, `/01/${GTIN}`);
  });

  test('other parameters are kept decoded, the context keyword apart, the raw query for passing on', () => {
    const request = parsed(`/01/${GTIN}?foo=b%20r&single&context=retail&x=a+b`);
    assert.deepEqual(request.otherParameters, [
      { name: 'foo', value: 'b r' },
      { name: 'single', value: null },
      { name: 'x', value: 'a b' },
    ]);
    assert.equal(request.context, 'retail');
    assert.equal(request.query, 'foo=b%20r&single&context=retail&x=a+b');
  });

  test('AI (17) takes day 00 (end of month) and 29 February in a leap year', () => {
    assert.deepEqual(parsed(`/01/${GTIN}?17=260100`).dataAttributes, [{ ai: '17', value: '260100' }]);
    assert.equal(parsed(`/01/${GTIN}?17=280229`).dataAttributes[0]?.value, '280229');
  });
});

describe('parseResolverRequest: refusals and their reasons', () => {
  const cases: [string, string, number, RegExp][] = [
    ['GTIN of 13 digits', `/01/9506000134352`, 400, /must be written with 14 digits \(got 13\)/],
    ['GTIN of 8 digits in the query', `/8004/0950600013435?01=95012346`, 400, /14 digits \(got 8\)/],
    ['GTIN of 15 digits', `/01/095060001343520`, 400, /AI \(01\): the value is too long/],
    [
      'bad check digit',
      `/01/09506000134353`,
      400,
      /AI \(01\): "09506000134353" has an incorrect check digit/,
    ],
    [
      'key qualifiers out of order',
      `/01/${GTIN}/21/S1/10/L1`,
      400,
      /\(01\)\(21\)\(10\) are out of order: after \(01\) come the key qualifiers \(22\), \(10\), \(21\) in this order/,
    ],
    ['a qualifier twice', `/01/${GTIN}/10/A/10/B`, 400, /AI \(10\) appears more than once in the path/],
    ['qualifiers of two sequences', `/01/${GTIN}/10/A/235/B`, 400, /\(10\)\(235\) cannot be combined/],
    [
      'unknown AI in the path',
      `/01/${GTIN}/89/X`,
      400,
      /AI \(89\) in the path is not a known GS1 Application/,
    ],
    ['unknown AI in the query', `/01/${GTIN}?89=X`, 400, /query parameter 89 is numeric but not a known AI/],
    [
      'lot in the query string',
      `/01/${GTIN}?10=L1`,
      400,
      /AI \(10\) belongs in the path, not the query string/,
    ],
    [
      'serial in the query string',
      `/01/${GTIN}?21=S1`,
      400,
      /AI \(21\) is a key qualifier of AI \(01\): it belongs in the path/,
    ],
    [
      'data attribute in the path',
      `/01/${GTIN}/17/260131`,
      400,
      /AI \(17\) is a data attribute: .*query string/,
    ],
    [
      'a qualifier of another key',
      `/01/${GTIN}/254/X`,
      400,
      /AI \(254\) is not a key qualifier of AI \(01\)/,
    ],
    ['convenience alpha', `/gtin/${GTIN}`, 400, /convenience alphas .*write \/01\/ instead of \/gtin\//],
    ['convenience alpha for a qualifier', `/01/${GTIN}/ser/S1`, 400, /write \/21\/ instead of \/ser\//],
    ['expiry with month 13', `/01/${GTIN}?17=261301`, 400, /AI \(17\): "261301" has no such month/],
    ['expiry on 30 February', `/01/${GTIN}?17=260230`, 400, /AI \(17\): "260230" has no such day/],
    ['expiry on 29 February 2025', `/01/${GTIN}?17=250229`, 400, /has no such day/],
    ['expiry too short', `/01/${GTIN}?17=2601`, 400, /AI \(17\): the value is too short/],
    ['expiry not digits', `/01/${GTIN}?17=26013A`, 400, /AI \(17\)/],
    [
      'a segment that is no AI',
      `/01/${GTIN}/foo`,
      400,
      /the path segment "foo" is not a GS1 Application Identifier/,
    ],
    ['an AI without value', `/01/${GTIN}/10`, 400, /AI \(10\) at the end of the path has no value/],
    [
      'an AI without value, trailing slash',
      `/01/${GTIN}/10/`,
      400,
      /AI \(10\) at the end of the path has no value/,
    ],
    ['an AI alone', '/01', 400, /AI \(01\) at the end of the path has no value/],
    ['a character outside URIs', `/01/${GTIN}/10/a<b`, 400, /characters that are not allowed in a URI/],
    ['a lot outside the GS1 character set', `/01/${GTIN}/10/a%20b`, 400, /AI \(10\).*character set 82/],
    ['a linkType that is no link type', `/01/${GTIN}?linkType=foo`, 400, /linkType "foo" is not a link type/],
    ['an empty linkType', `/01/${GTIN}?linkType=`, 400, /the linkType parameter has no value/],
    ['two different linkTypes', `/01/${GTIN}?linkType=gs1:pip&linktype=gs1:epil`, 400, /more than once/],
    ['an empty target', '', 400, /must be a path/],
    ['another scheme', `ftp://a/01/${GTIN}`, 400, /must be a path/],
    ['mixed-case scheme', `HtTp://a/01/${GTIN}`, 400, /http:\/\/ or https:\/\//],
    ['a site page', '/favicon.ico', 404, /"\/favicon.ico" is not a GS1 Digital Link URI path/],
    ['the root', '/', 404, /not a GS1 Digital Link URI path/],
    ['a compressed URI (not implemented)', '/ARFKk4XB0CDKWcnpq', 404, /not a GS1 Digital Link URI path/],
  ];
  for (const [name, url, status, reason] of cases) {
    test(`${name}: ${status}`, () => {
      const refusal = refused(url);
      assert.equal(refusal.status, status, refusal.problem);
      assert.match(refusal.problem, reason);
    });
  }

  test('a 10 KB URL gets 414 without being parsed', () => {
    const refusal = refused(`/01/${GTIN}?x=${'a'.repeat(10 * 1024)}`);
    assert.equal(refusal.status, 414);
    assert.match(refusal.problem, /at most 2048/);
    assert.equal(refused(`/favicon.ico?${'a'.repeat(3000)}`).status, 414); // not 404: never read
  });

  test(`${MAX_RESOLVER_URL} characters are read, one more is 414`, () => {
    const prefix = `/01/${GTIN}?x=`;
    const longest = prefix + 'a'.repeat(MAX_RESOLVER_URL - prefix.length);
    assert.equal(longest.length, MAX_RESOLVER_URL);
    assert.equal(parsed(longest).otherParameters[0]?.value?.length, MAX_RESOLVER_URL - prefix.length);
    assert.equal(refused(`${longest}a`).status, 414);
  });
});

describe('parseResolverRequest: linkType', () => {
  const spellings = [
    'gs1:pip',
    'GS1:pip',
    'https://gs1.org/voc/pip',
    'https://ref.gs1.org/voc/pip',
    'http://gs1.org/voc/pip',
    'https://www.gs1.org/voc/pip',
    'gs1%3Apip',
    'https%3A%2F%2Fref.gs1.org%2Fvoc%2Fpip',
  ];
  for (const spelling of spellings) {
    test(`${spelling} → gs1:pip`, () => {
      assert.equal(parsed(`/01/${GTIN}?linkType=${spelling}`).linkType, 'gs1:pip');
    });
  }

  test('the parameter name is case-insensitive and is not among the other parameters', () => {
    for (const name of ['linkType', 'linktype', 'LINKTYPE']) {
      const request = parsed(`/01/${GTIN}?${name}=gs1:epil&x=1`);
      assert.equal(request.linkType, 'gs1:epil');
      assert.deepEqual(request.otherParameters, [{ name: 'x', value: '1' }]);
    }
  });

  test('linkset and the deprecated all ask for the linkset', () => {
    for (const value of ['linkset', 'all', 'LinkSet']) {
      const request = parsed(`/01/${GTIN}?linkType=${value}`);
      assert.equal(request.all, true);
      assert.equal(request.linkType, null);
    }
    assert.equal(parsed(`/01/${GTIN}?linkType=gs1:pip`).all, false);
  });

  test('a link type of another namespace is kept as given', () => {
    assert.equal(parsed(`/01/${GTIN}?linkType=schema:owner`).linkType, 'schema:owner');
  });

  test('the same linkType twice is no conflict', () => {
    assert.equal(parsed(`/01/${GTIN}?linkType=gs1:pip&linktype=gs1:pip`).linkType, 'gs1:pip');
  });
});

// --- data entries --------------------------------------------------------------------------------

const ENTRY = {
  anchor: `/01/${GTIN}`,
  itemDescription: 'Risotto rice',
  defaultLinktype: 'gs1:pip',
  links: [link('gs1:pip', 'https://example.com/pip')],
};

function withLink(extra: Record<string, unknown>) {
  return { ...ENTRY, links: [{ ...link('gs1:pip', 'https://example.com/pip'), ...extra }] };
}

describe('readDataEntries: the Resolver CE data entry v3 format', () => {
  test('one entry or an array; link types as CURIEs; qualifier paths canonical', () => {
    const [single] = entries(ENTRY);
    assert.deepEqual(single, {
      anchor: `/01/${GTIN}`,
      qualifierPath: '',
      itemDescription: 'Risotto rice',
      defaultLinkType: 'gs1:pip',
      links: [
        {
          linkType: 'gs1:pip',
          href: 'https://example.com/pip',
          title: 'gs1:pip link',
          type: 'text/html',
          hreflang: ['en'],
        },
      ],
    });
    const read = entries([
      {
        ...ENTRY,
        defaultLinktype: 'https://gs1.org/voc/traceability',
        qualifiers: [{ '10': '{lotnumber}' }],
        links: [
          link('https://ref.gs1.org/voc/traceability', 'https://example.com/lot/{lotnumber}', {
            context: 'retail',
            type: null,
          }),
        ],
      },
      { ...ENTRY, qualifiers: [{ '22': 'V/1' }, { '10': '{lot}' }, { '21': '{serial}' }] },
    ]);
    assert.equal(read.length, 2);
    assert.equal(read[0]!.qualifierPath, '/10/{lotnumber}');
    assert.equal(read[0]!.defaultLinkType, 'gs1:traceability');
    assert.deepEqual(read[0]!.links[0], {
      linkType: 'gs1:traceability',
      href: 'https://example.com/lot/{lotnumber}',
      title: 'https://ref.gs1.org/voc/traceability link',
      type: null,
      hreflang: ['en'],
      context: ['retail'],
    });
    assert.equal(read[1]!.qualifierPath, '/22/V%2F1/10/{lot}/21/{serial}');
  });

  const cases: [string, unknown, string][] = [
    [
      'not an object',
      42,
      '(root): must be an object with anchor, itemDescription, defaultLinktype and links',
    ],
    ['an empty array', [], '(root): no entry'],
    ['an array item that is no object', ['x'], '/0: must be an object'],
    ['no anchor', { ...ENTRY, anchor: undefined }, '/anchor: required'],
    ['an anchor without "/"', { ...ENTRY, anchor: `01/${GTIN}` }, '/anchor: must be a Digital Link path'],
    [
      'an anchor with a bad check digit',
      { ...ENTRY, anchor: '/01/09506000134353' },
      '/anchor: not a valid GS1 Digital Link primary key: AI (01): "09506000134353" has an incorrect check digit',
    ],
    [
      'an anchor with a qualifier',
      { ...ENTRY, anchor: `/01/${GTIN}/10/L1` },
      '/anchor: must be the primary key only',
    ],
    [
      'an anchor with a stem',
      { ...ENTRY, anchor: `/x/01/${GTIN}` },
      '/anchor: must start with the primary key AI',
    ],
    [
      'an anchor with a 13-digit GTIN',
      { ...ENTRY, anchor: '/01/9506000134352' },
      '/anchor: not a valid GS1 Digital Link primary key: AI (01): a GTIN in a GS1 Digital Link URI must be written with 14 digits',
    ],
    ['a relative href', withLink({ href: '/pip' }), '/links/0/href: "/pip" is not an absolute http(s) URL'],
    [
      'an ftp href',
      withLink({ href: 'ftp://example.com/x' }),
      '/links/0/href: "ftp://example.com/x" is not an absolute http(s) URL',
    ],
    [
      'an href with a space',
      withLink({ href: 'https://example.com/a b' }),
      '/links/0/href: "https://example.com/a b" is not an absolute http(s) URL',
    ],
    [
      'an href too long',
      withLink({ href: `https://example.com/${'a'.repeat(1981)}` }),
      '/links/0/href: too long (2001 characters; at most 2000)',
    ],
    [
      'an undefined variable',
      withLink({ href: 'https://example.com/{lot}' }),
      "/links/0/href: uses the variable {lot}, which the entry's qualifiers do not define",
    ],
    ['no title', withLink({ title: undefined }), '/links/0/title: required: a non-empty string'],
    ['a blank title', withLink({ title: '  ' }), '/links/0/title: required: a non-empty string'],
    [
      'a title too long',
      withLink({ title: 't'.repeat(501) }),
      '/links/0/title: too long (501 characters; at most 500)',
    ],
    ['no link type', withLink({ linktype: undefined }), '/links/0/linktype: required: a GS1 link type'],
    ['a bare link type', withLink({ linktype: 'pip' }), '/links/0/linktype: "pip" is not a GS1 link type'],
    [
      'a link type of another vocabulary',
      withLink({ linktype: 'https://schema.org/url' }),
      '/links/0/linktype: "https://schema.org/url" is not a GS1 link type',
    ],
    ['a media type without subtype', withLink({ type: 'html' }), '/links/0/type: must be a media type'],
    [
      'a bad language tag',
      withLink({ hreflang: ['en_GB'] }),
      '/links/0/hreflang/0: "en_GB" is not BCP 47 language tags',
    ],
    ['a language as a string', withLink({ hreflang: 'en' }), '/links/0/hreflang: must be a non-empty array'],
    ['a language twice', withLink({ hreflang: ['en', 'EN'] }), '/links/0/hreflang/1: "EN" is given twice'],
    [
      'a misspelt member',
      withLink({ linkType: 'gs1:pip' }),
      '/links/0/linkType: unknown member (did you mean "linktype"?)',
    ],
    [
      'an unknown member',
      { ...ENTRY, 'a/b': 1 },
      '/a~1b: unknown member (expected anchor, itemDescription, defaultLinktype, qualifiers, links)',
    ],
    ['no links', { ...ENTRY, links: [] }, '/links: required: a non-empty array of links'],
    [
      '101 links',
      { ...ENTRY, links: Array.from({ length: 101 }, () => ENTRY.links[0]) },
      '/links: too many links (101; at most 100 per entry)',
    ],
    [
      'a default type without link',
      { ...ENTRY, defaultLinktype: 'gs1:epil' },
      '/defaultLinktype: no link of the entry has the link type gs1:epil',
    ],
    ['no itemDescription', { ...ENTRY, itemDescription: undefined }, '/itemDescription: required'],
    [
      'a qualifier of another key',
      { ...ENTRY, qualifiers: [{ '254': 'X' }] },
      '/qualifiers: AI (254) is not a key qualifier of AI (01)',
    ],
    [
      'qualifiers out of order',
      { ...ENTRY, qualifiers: [{ '21': '{s}' }, { '10': '{l}' }] },
      '/qualifiers: the path AIs (01)(21)(10) are out of order',
    ],
    [
      'two qualifiers in one object',
      { ...ENTRY, qualifiers: [{ '10': '{l}', '21': '{s}' }] },
      '/qualifiers/0: must be an object with exactly one member',
    ],
    [
      'a qualifier value outside the character set',
      { ...ENTRY, qualifiers: [{ '10': 'a b' }] },
      '/qualifiers/0/10: AI (10): the value must contain the GS1 character set 82 only',
    ],
    [
      'an unknown qualifier AI',
      { ...ENTRY, qualifiers: [{ '89': 'X' }] },
      '/qualifiers/0/89: "89" is not a known GS1 Application Identifier',
    ],
    [
      'a variable defined twice',
      { ...ENTRY, qualifiers: [{ '10': '{x}' }, { '21': '{x}' }] },
      '/qualifiers/1/21: the variable {x} is defined twice',
    ],
    [
      'the same level twice',
      [ENTRY, { ...ENTRY, itemDescription: 'again' }],
      `/1: a second entry for /01/${GTIN} (the first is at /0)`,
    ],
  ];
  for (const [name, json, expected] of cases) {
    test(name, () => {
      const problems = problemsOf(json);
      assert.ok(
        problems.some((p) => p.startsWith(expected)),
        `expected a problem starting ${JSON.stringify(expected)}, got:\n${problems.join('\n')}`,
      );
    });
  }

  test('entries differing only by template names are the same level', () => {
    const lot = (name: string) => ({ ...ENTRY, qualifiers: [{ '10': `{${name}}` }] });
    assert.deepEqual(problemsOf([lot('a'), lot('b')]), [
      `/1: a second entry for /01/${GTIN}/10/{b} (the first is at /0)`,
    ]);
    assert.equal(entries([lot('a'), { ...ENTRY, qualifiers: [{ '10': 'FIXED' }] }]).length, 2);
  });

  test('every problem is reported, each with its pointer', () => {
    const problems = problemsOf([
      ENTRY,
      { ...ENTRY, anchor: '/01/1', links: [{ linktype: 'pip', href: 'x', title: '' }] },
    ]);
    assert.deepEqual(
      problems.map((p) => p.slice(0, p.indexOf(':'))),
      ['/1/anchor', '/1/links/0/linktype', '/1/links/0/href', '/1/links/0/title'],
    );
  });

  test('at most 1000 entries', () => {
    assert.deepEqual(problemsOf(Array.from({ length: 1001 }, () => ENTRY)), [
      '(root): too many entries (1001; at most 1000)',
    ]);
  });
});

// --- resolution ----------------------------------------------------------------------------------

const DATA = entries([
  {
    anchor: `/01/${GTIN}`,
    itemDescription: 'Risotto rice',
    defaultLinktype: 'gs1:pip',
    links: [
      link('gs1:pip', 'https://example.com/pip'),
      link('gs1:certificationInfo', 'https://example.com/cert?c=1#top', { hreflang: ['und'] }),
    ],
  },
  {
    anchor: `/01/${GTIN}`,
    itemDescription: 'Risotto rice, a lot',
    defaultLinktype: 'gs1:traceability',
    qualifiers: [{ '10': '{lot}' }],
    links: [
      link('gs1:traceability', 'https://example.com/lot/{lot}'),
      link('gs1:pip', 'https://example.com/lot-pip?lot={lot}', { hreflang: ['und', 'vi'] }),
    ],
  },
  {
    anchor: `/01/${GTIN}`,
    itemDescription: 'Risotto rice, the recalled lot',
    defaultLinktype: 'gs1:recallStatus',
    qualifiers: [{ '10': 'LOT-7' }],
    links: [link('gs1:recallStatus', 'https://example.com/recall')],
  },
  {
    anchor: `/01/${GTIN}`,
    itemDescription: 'Risotto rice, one bag',
    defaultLinktype: 'gs1:traceability',
    qualifiers: [{ '21': '{serial}' }],
    links: [link('gs1:traceability', 'https://example.com/item/{serial}')],
  },
  {
    anchor: `/01/${OTHER_GTIN}`,
    itemDescription: 'Only lots are registered',
    defaultLinktype: 'gs1:pip',
    qualifiers: [{ '10': '{lot}' }],
    links: [link('gs1:pip', 'https://example.com/other/{lot}')],
  },
  {
    anchor: '/8004/0950600013',
    itemDescription: 'Assets, short range',
    defaultLinktype: 'gs1:pip',
    links: [link('gs1:pip', 'https://example.com/short/{0}/{1}')],
  },
  {
    anchor: '/8004/095060001343',
    itemDescription: 'Assets, long range',
    defaultLinktype: 'gs1:pip',
    links: [link('gs1:pip', 'https://example.com/assets?giai=095060001343{1}')],
  },
  {
    anchor: '/8004/0950600013430000001',
    itemDescription: 'One fixed asset',
    defaultLinktype: 'gs1:pip',
    links: [link('gs1:pip', 'https://example.com/asset-1')],
  },
]);

describe('resolve: which entry answers', () => {
  const cases: [string, string, string][] = [
    ['the key alone: its own entry, its default type', `/01/${GTIN}`, 'https://example.com/pip'],
    ['a lot: the lot template, its own default type', `/01/${GTIN}/10/L1`, 'https://example.com/lot/L1'],
    ['a fixed lot value outranks the template', `/01/${GTIN}/10/LOT-7`, 'https://example.com/recall'],
    ['lot and serial: the serial entry is finer', `/01/${GTIN}/10/L1/21/S1`, 'https://example.com/item/S1'],
    ['a CPV nobody registered: walks up to the key', `/01/${GTIN}/22/V1`, 'https://example.com/pip'],
    ['CPV and lot: walks up to the lot', `/01/${GTIN}/22/V1/10/L2`, 'https://example.com/lot/L2'],
    [
      'a value is percent-encoded into the href',
      `/01/${GTIN}/10/A%2FB+C`,
      'https://example.com/lot/A%2FB%2BC',
    ],
    [
      'a link type missing at the serial level is found higher up',
      `/01/${GTIN}/21/S1?linkType=gs1:certificationInfo`,
      'https://example.com/cert?c=1&linkType=gs1:certificationInfo#top',
    ],
    [
      'the requested type at the finest level having it',
      `/01/${GTIN}/10/L1?linkType=gs1:pip`,
      'https://example.com/lot-pip?lot=L1&linkType=gs1:pip',
    ],
    [
      'gs1:defaultLink asks for the default',
      `/01/${GTIN}/10/L1?linkType=gs1:defaultLink`,
      'https://example.com/lot/L1?linkType=gs1:defaultLink',
    ],
    [
      'variable asset: the longest anchor that begins the key',
      '/8004/095060001343777',
      'https://example.com/assets?giai=095060001343777',
    ],
    [
      'variable asset: a shorter range, {0} and {1}',
      '/8004/0950600013999',
      'https://example.com/short/0950600013/999',
    ],
    ['a fixed asset: its exact anchor', '/8004/0950600013430000001', 'https://example.com/asset-1'],
    [
      'an anchor without {1} is no range, even when it begins the key',
      '/8004/09506000134300000019',
      'https://example.com/assets?giai=09506000134300000019',
    ],
    ['a lot of a key registered only by lot', `/01/${OTHER_GTIN}/10/X1`, 'https://example.com/other/X1'],
  ];
  for (const [name, url, expected] of cases) {
    test(name, () => assert.equal(location(answer(url, DATA)), expected));
  }

  test('the 307 carries the chosen link, variables substituted, and where the linkset is', () => {
    const outcome = answer(`/01/${GTIN}/21/S%2F1?x=1`, DATA);
    assert.deepEqual(outcome, {
      status: 307,
      location: 'https://example.com/item/S%2F1?x=1',
      link: {
        linkType: 'gs1:traceability',
        href: 'https://example.com/item/S%2F1',
        title: 'gs1:traceability link',
        type: 'text/html',
        hreflang: ['en'],
      },
      linksetUrl: `https://id.example.org/01/${GTIN}/21/S%2F1?linkType=linkset`,
    });
  });

  test('a requested link type that no level has: 404, not the default', () => {
    assert.deepEqual(answer(`/01/${GTIN}/10/L1?linkType=gs1:epil`, DATA), {
      status: 404,
      problem: `no link of type gs1:epil for /01/${GTIN}/10/L1`,
    });
  });

  test('nothing registered: 404', () => {
    assert.deepEqual(answer('/01/09520123456788', DATA), {
      status: 404,
      problem: 'nothing is registered for /01/09520123456788',
    });
    assert.deepEqual(answer(`/01/${OTHER_GTIN}`, DATA), {
      status: 404,
      problem: `nothing is registered for /01/${OTHER_GTIN}`,
    });
    assert.equal(answer('/414/9520123456788/254/1', DATA).status, 404);
  });

  test('without a default type: gs1:defaultLink, else the first link', () => {
    const bare = (links: ResolverEntry['links']): ResolverEntry[] => [
      { anchor: `/01/${GTIN}`, qualifierPath: '', itemDescription: '', defaultLinkType: '', links },
    ];
    const pip = { linkType: 'gs1:pip', href: 'https://example.com/pip', title: 'pip' };
    const fallback = { linkType: 'gs1:defaultLink', href: 'https://example.com/default', title: 'default' };
    assert.equal(location(answer(`/01/${GTIN}`, bare([pip, fallback]))), 'https://example.com/default');
    assert.equal(location(answer(`/01/${GTIN}`, bare([pip]))), 'https://example.com/pip');
  });
});

describe('resolve: languages and context', () => {
  const pip = (href: string, hreflang?: string[], context?: string[]) => ({
    linktype: 'gs1:pip',
    href: `https://example.com/${href}`,
    title: href,
    ...(hreflang ? { hreflang } : {}),
    ...(context ? { context } : {}),
  });
  const data = entries({
    ...ENTRY,
    links: [
      pip('en', ['en']),
      pip('en-us', ['en-US']),
      pip('fr-ca', ['fr-CA']),
      pip('vi', ['vi']),
      pip('und', ['und']),
    ],
  });
  const cases: [string | undefined, string][] = [
    [undefined, 'en'],
    ['*', 'en'],
    ['vi', 'vi'],
    ['VI', 'vi'],
    ['en-US', 'en-us'],
    ['en-us', 'en-us'],
    ['en-GB', 'en'],
    ['fr', 'fr-ca'],
    ['fr-FR', 'fr-ca'],
    ['de', 'und'],
    ['de, vi;q=0.5', 'vi'],
    ['vi;q=0.5, en-US;q=0.9', 'en-us'],
    ['vi;q=0, de', 'und'],
    ['vi;q=2, de', 'und'],
    ['en-GB, fr;q=0.8', 'en'],
    ['zh-Hant-TW, vi;q=0.1', 'vi'],
  ];
  for (const [acceptLanguage, expected] of cases) {
    test(`Accept-Language ${JSON.stringify(acceptLanguage)} → ${expected}`, () => {
      assert.equal(
        location(answer(`/01/${GTIN}`, data, { acceptLanguage })),
        `https://example.com/${expected}`,
      );
    });
  }

  test('a link for several languages; without an und link the first one', () => {
    const multi = entries({ ...ENTRY, links: [pip('ja', ['ja']), pip('en-gb', ['en-GB', 'en'])] });
    assert.equal(
      location(answer(`/01/${GTIN}`, multi, { acceptLanguage: 'en-IE' })),
      'https://example.com/en-gb',
    );
    assert.equal(location(answer(`/01/${GTIN}`, multi, { acceptLanguage: 'de' })), 'https://example.com/ja');
  });

  test('a link without hreflang stands for any language', () => {
    const unmarked = entries({ ...ENTRY, links: [pip('ja', ['ja']), pip('any')] });
    assert.equal(
      location(answer(`/01/${GTIN}`, unmarked, { acceptLanguage: 'de' })),
      'https://example.com/any',
    );
    assert.equal(location(answer(`/01/${GTIN}`, unmarked, {})), 'https://example.com/ja');
  });

  test('the context keyword keeps the links of its context, then languages choose', () => {
    const contexts = entries({
      ...ENTRY,
      links: [
        pip('retail', ['en'], ['retail']),
        pip('b2b-en', ['en'], ['b2b']),
        pip('b2b-vi', ['vi'], ['b2b']),
      ],
    });
    assert.equal(
      location(answer(`/01/${GTIN}?context=b2b`, contexts)),
      'https://example.com/b2b-en?context=b2b',
    );
    assert.equal(
      location(answer(`/01/${GTIN}?context=b2b`, contexts, { acceptLanguage: 'vi' })),
      'https://example.com/b2b-vi?context=b2b',
    );
    assert.equal(
      location(answer(`/01/${GTIN}?context=none`, contexts)),
      'https://example.com/retail?context=none',
    );
  });
});

describe('resolve: links the request cannot tell apart (Resolver 2.6.3, 300)', () => {
  const data = entries({
    ...ENTRY,
    qualifiers: [{ '10': '{lot}' }],
    defaultLinktype: 'gs1:certificationInfo',
    links: [
      link('gs1:certificationInfo', 'https://example.com/c1?lot={lot}'),
      link('gs1:certificationInfo', 'https://example.com/c-vi?lot={lot}', { hreflang: ['vi'] }),
      link('gs1:certificationInfo', 'https://example.com/c2?lot={lot}', { hreflang: ['EN'] }),
      link('gs1:certificationInfo', 'https://example.com/c3?lot={lot}', { context: ['b2b'] }),
    ],
  });

  test('the chosen link and its look-alikes, variables substituted', () => {
    const outcome = answer(`/01/${GTIN}/10/L1?linkType=gs1:certificationInfo`, data);
    if (outcome.status !== 307) assert.fail(JSON.stringify(outcome));
    assert.equal(outcome.location, 'https://example.com/c1?lot=L1&linkType=gs1:certificationInfo');
    assert.deepEqual(
      outcome.alternatives?.map((l) => l.href),
      ['https://example.com/c1?lot=L1', 'https://example.com/c2?lot=L1'],
    );
  });

  test('none when the request decides', () => {
    const outcome = answer(`/01/${GTIN}/10/L1`, data, { acceptLanguage: 'vi' });
    assert.equal(outcome.status === 307 && outcome.link.href, 'https://example.com/c-vi?lot=L1');
    assert.equal(outcome.status === 307 && outcome.alternatives, undefined);
    const unique = answer(`/01/${GTIN}`, DATA);
    assert.equal(unique.status === 307 && 'alternatives' in unique, false);
  });
});

describe('resolve: the query string is passed on (Resolver 2.12)', () => {
  const target = (href: string) => entries({ ...ENTRY, links: [link('gs1:pip', href)] });
  test('appended with "?" or "&", before the fragment, as received', () => {
    assert.equal(
      location(answer(`/01/${GTIN}?17=260131&x=a+b`, target('https://example.com/p'))),
      'https://example.com/p?17=260131&x=a+b',
    );
    assert.equal(
      location(answer(`/01/${GTIN}?x=1`, target('https://example.com/p?a=b'))),
      'https://example.com/p?a=b&x=1',
    );
    assert.equal(
      location(answer(`/01/${GTIN}?x=1`, target('https://example.com/p?'))),
      'https://example.com/p?x=1',
    );
    assert.equal(
      location(answer(`/01/${GTIN}?x=1`, target('https://example.com/p#top'))),
      'https://example.com/p?x=1#top',
    );
    assert.equal(
      location(answer(`/01/${GTIN}`, target('https://example.com/p#top'))),
      'https://example.com/p#top',
    );
  });
});

describe('resolve: the linkset', () => {
  test('every level from the request up, anchors on the public base, GS1 link types as URIs', () => {
    const outcome = answer(`/01/${GTIN}/10/L%2F1?linkType=linkset`, DATA);
    assert.deepEqual(outcome, {
      status: 200,
      mediaType: 'application/linkset+json',
      linkset: {
        linkset: [
          {
            anchor: `https://id.example.org/01/${GTIN}/10/L%2F1`,
            itemDescription: 'Risotto rice, a lot',
            'https://gs1.org/voc/defaultLink': [
              { href: 'https://example.com/lot/L%2F1', title: 'gs1:traceability link' },
            ],
            'https://gs1.org/voc/traceability': [
              {
                href: 'https://example.com/lot/L%2F1',
                title: 'gs1:traceability link',
                type: 'text/html',
                hreflang: ['en'],
              },
            ],
            'https://gs1.org/voc/pip': [
              {
                href: 'https://example.com/lot-pip?lot=L%2F1',
                title: 'gs1:pip link',
                type: 'text/html',
                hreflang: ['vi'],
              },
            ],
          },
          {
            anchor: `https://id.example.org/01/${GTIN}`,
            itemDescription: 'Risotto rice',
            'https://gs1.org/voc/defaultLink': [{ href: 'https://example.com/pip', title: 'gs1:pip link' }],
            'https://gs1.org/voc/pip': [
              { href: 'https://example.com/pip', title: 'gs1:pip link', type: 'text/html', hreflang: ['en'] },
            ],
            'https://gs1.org/voc/certificationInfo': [
              {
                href: 'https://example.com/cert?c=1#top',
                title: 'gs1:certificationInfo link',
                type: 'text/html',
              },
            ],
          },
        ],
      },
    });
  });

  test('a fixed lot and the template both apply: both levels, the fixed one first', () => {
    const outcome = answer(`/01/${GTIN}/10/LOT-7?linkType=all`, DATA);
    if (outcome.status !== 200) assert.fail(JSON.stringify(outcome));
    assert.deepEqual(
      outcome.linkset.linkset.map((c) => c.itemDescription),
      ['Risotto rice, the recalled lot', 'Risotto rice, a lot', 'Risotto rice'],
    );
  });

  test('an explicit gs1:defaultLink keeps only href and title, once', () => {
    const data = entries({
      ...ENTRY,
      links: [
        link('gs1:pip', 'https://example.com/pip'),
        link('gs1:defaultLink', 'https://example.com/home'),
      ],
    });
    const outcome = answer(`/01/${GTIN}?linkType=linkset`, data);
    if (outcome.status !== 200) assert.fail(JSON.stringify(outcome));
    assert.deepEqual(outcome.linkset.linkset[0]?.['https://gs1.org/voc/defaultLink'], [
      { href: 'https://example.com/home', title: 'gs1:defaultLink link' },
    ]);
  });

  const negotiation: [string, ResolveHeaders, number, string?][] = [
    ['Accept linkset+json alone', { accept: 'application/linkset+json' }, 200, 'application/linkset+json'],
    ['Accept linkset+json before */*', { accept: 'application/linkset+json, */*;q=0.1' }, 200],
    ['Accept preferring HTML', { accept: 'text/html, application/linkset+json;q=0.5' }, 307],
    ['Accept application/json alone', { accept: 'application/json' }, 307],
    ['a browser', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, 307],
  ];
  for (const [name, headers, status, mediaType] of negotiation) {
    test(`${name}: ${status}`, () => {
      const outcome = answer(`/01/${GTIN}`, DATA, headers);
      assert.equal(outcome.status, status);
      if (mediaType && outcome.status === 200) assert.equal(outcome.mediaType, mediaType);
    });
  }

  test('linkType=linkset with Accept application/json: the linkset as application/json', () => {
    const outcome = answer(`/01/${GTIN}?linkType=linkset`, DATA, { accept: 'application/json' });
    assert.equal(outcome.status === 200 && outcome.mediaType, 'application/json');
  });

  test('an explicit link type wins over Accept', () => {
    const outcome = answer(`/01/${GTIN}?linkType=gs1:pip`, DATA, { accept: 'application/linkset+json' });
    assert.equal(location(outcome), 'https://example.com/pip?linkType=gs1:pip');
  });

  test('a public base with a path', () => {
    const base = new URL('https://example.org/resolver/');
    const outcome = answer(`/01/${GTIN}?linkType=linkset`, DATA, {}, base);
    assert.equal(
      outcome.status === 200 && outcome.linkset.linkset[0]?.anchor,
      `https://example.org/resolver/01/${GTIN}`,
    );
    const redirect = answer(`/01/${GTIN}`, DATA, {}, base);
    assert.equal(
      redirect.status === 307 && redirect.linksetUrl,
      `https://example.org/resolver/01/${GTIN}?linkType=linkset`,
    );
  });

  test('nothing registered: 404 for the linkset too', () => {
    assert.equal(answer('/01/09520123456788?linkType=linkset', DATA).status, 404);
  });
});

describe('resolverDescription', () => {
  test('the /.well-known/gs1resolver document', () => {
    const description = resolverDescription(new URL('https://id.example.org/'));
    assert.equal(description.resolverRoot, 'https://id.example.org');
    assert.deepEqual(description.supportedLinkType, [{ namespace: 'https://gs1.org/voc/', prefix: 'gs1:' }]);
    assert.equal(description.linkTypeDefaultCanBeLinkset, false);
    assert.equal(description.jsonLdContextLocation, 'https://ref.gs1.org/standards/resolver/linkset-context');
    for (const key of ['00', '01', '253', '414', '417', '8003', '8004', '8006']) {
      assert.ok(description.supportedPrimaryKeys.includes(key), key);
    }
    for (const notKey of ['10', '21', '17', 'all'])
      assert.ok(!description.supportedPrimaryKeys.includes(notKey));
    assert.equal(typeof description.name, 'string');
    assert.deepEqual(JSON.parse(JSON.stringify(description)), description);
  });

  test('a root with a path loses its trailing slash', () => {
    assert.equal(
      resolverDescription(new URL('https://example.org/r/')).resolverRoot,
      'https://example.org/r',
    );
  });
});
