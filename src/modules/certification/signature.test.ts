/**
 * The signed certificate QR, pure: signing and verifying, every tampering refused, and the URL's
 * query read back exactly as `signedPath` wrote it.
 */
import assert from 'node:assert/strict';
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  generateSigningKey,
  publicKeyObject,
  readSignedQuery,
  SIGNED_MESSAGE_FORMAT,
  type SignedClaim,
  signClaim,
  signedMessage,
  signedPath,
  verifyClaim,
} from './certificate-signature.ts';

const KEY = generateSigningKey('k20260101-abc123');
const OTHER = generateSigningKey('k20260102-def456');
const KEYS: ReadonlyMap<string, KeyObject> = new Map([
  [KEY.keyId, publicKeyObject(KEY.publicKey)],
  [OTHER.keyId, publicKeyObject(OTHER.publicKey)],
]);
const CLAIM: SignedClaim = {
  id: '3f0c9a52-6a1e-4c7b-9d7e-2b8f4a1c5e60',
  stars: 4,
  issuedOn: '2024-02-05',
  validUntil: '2027-02-05',
};
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The query of a signed path as the server reads it (a plain record of strings). */
const queryOf = (path: string): Record<string, string> =>
  Object.fromEntries(new URL(path, 'https://ocop.example').searchParams);

test('a key pair: a JWK x of 43 base64url characters, a PKCS#8 private half; bad key ids refused', () => {
  assert.match(KEY.publicKey, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(Buffer.from(KEY.privateKey, 'base64').length > 32);
  assert.notEqual(KEY.publicKey, OTHER.publicKey);
  for (const bad of ['', 'a b', 'k/1', 'x'.repeat(41), 'clé']) assert.throws(() => generateSigningKey(bad));
});

test('sign → verify round trip; the message is the documented one', () => {
  const signature = signClaim(CLAIM, KEY);
  assert.equal(signature.keyId, KEY.keyId);
  assert.match(signature.value, /^[A-Za-z0-9_-]{86}$/, '64 bytes in base64url');
  assert.equal(Buffer.from(signature.value, 'base64url').length, 64);
  assert.equal(verifyClaim(CLAIM, signature, KEYS), true);
  assert.equal(
    signedMessage(CLAIM).toString('utf8'),
    'OCOP-CERT-1|3f0c9a52-6a1e-4c7b-9d7e-2b8f4a1c5e60|4|2024-02-05|2027-02-05',
  );
  assert.equal(
    SIGNED_MESSAGE_FORMAT.replace('{id}', CLAIM.id)
      .replace('{stars}', String(CLAIM.stars))
      .replace('{issuedOn YYYY-MM-DD}', CLAIM.issuedOn)
      .replace('{validUntil YYYY-MM-DD}', CLAIM.validUntil),
    signedMessage(CLAIM).toString('utf8'),
    'the published format describes the message exactly',
  );
  // an offline verifier with only the JWK
  const jwk = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: KEY.publicKey }, format: 'jwk' });
  assert.equal(verify(null, signedMessage(CLAIM), jwk, Buffer.from(signature.value, 'base64url')), true);
});

test('every byte flip of the signature fails', () => {
  const signature = signClaim(CLAIM, KEY);
  const bytes = Buffer.from(signature.value, 'base64url');
  for (let i = 0; i < bytes.length; i++) {
    for (const mask of [0x01, 0x80]) {
      const flipped = Buffer.from(bytes);
      flipped[i]! ^= mask;
      assert.equal(
        verifyClaim(CLAIM, { ...signature, value: flipped.toString('base64url') }, KEYS),
        false,
        `byte ${i} ^ ${mask}`,
      );
    }
  }
});

test('every one-character change of the signature text fails (no second spelling of a signature)', () => {
  const signature = signClaim(CLAIM, KEY);
  for (let i = 0; i < signature.value.length; i++) {
    const original = signature.value[i]!;
    // the neighbouring letter of the alphabet: for the last character, only its padding bits may differ
    const replacement = B64URL[(B64URL.indexOf(original) + 1) % 64]!;
    const value = signature.value.slice(0, i) + replacement + signature.value.slice(i + 1);
    assert.equal(verifyClaim(CLAIM, { ...signature, value }, KEYS), false, `character ${i}`);
  }
});

test('changing the id, the stars or a date fails; another key, an unknown key, a malformed signature fail', () => {
  const signature = signClaim(CLAIM, KEY);
  for (const changed of [
    { ...CLAIM, id: '3f0c9a52-6a1e-4c7b-9d7e-2b8f4a1c5e61' },
    { ...CLAIM, stars: 5 },
    { ...CLAIM, stars: 3 },
    { ...CLAIM, issuedOn: '2024-02-06' },
    { ...CLAIM, validUntil: '2027-02-06' },
    { ...CLAIM, validUntil: '2028-02-05' },
  ])
    assert.equal(verifyClaim(changed, signature, KEYS), false, JSON.stringify(changed));
  assert.equal(
    verifyClaim(CLAIM, { ...signature, keyId: OTHER.keyId }, KEYS),
    false,
    'signed by another key',
  );
  assert.equal(verifyClaim(CLAIM, { ...signature, keyId: 'k-unknown' }, KEYS), false, 'unknown key');
  assert.equal(verifyClaim(CLAIM, signature, new Map()), false, 'no key published');
  for (const value of [
    '',
    'abc',
    `${signature.value}A`,
    signature.value.slice(1),
    `${signature.value.slice(1)}=`,
  ])
    assert.equal(verifyClaim(CLAIM, { ...signature, value }, KEYS), false, value);
  // a retired key still verifies what it signed
  const byOther = signClaim(CLAIM, OTHER);
  assert.equal(verifyClaim(CLAIM, byOther, KEYS), true);
});

test('readSignedQuery reads what signedPath writes; malformed inputs are not well-formed; none is null', () => {
  const signature = signClaim(CLAIM, KEY);
  const path = signedPath(CLAIM, signature);
  assert.match(
    path,
    /^\/verify\/3f0c9a52-6a1e-4c7b-9d7e-2b8f4a1c5e60\?st=4&vf=20240205&vu=20270205&k=k20260101-abc123&sig=[A-Za-z0-9_-]{86}$/,
  );
  const read = readSignedQuery(CLAIM.id, queryOf(path));
  assert.deepEqual(read, { claim: CLAIM, signature, wellFormed: true });

  assert.equal(readSignedQuery(CLAIM.id, {}), null, 'no signature at all');
  assert.equal(readSignedQuery(CLAIM.id, { lang: 'en' }), null, 'other parameters are no claim');
  // a signed field present without its signature (stripped, emptied) is a claim that fails
  assert.equal(readSignedQuery(CLAIM.id, { lang: 'en', vf: '20240205' })?.wellFormed, false);
  assert.equal(readSignedQuery(CLAIM.id, { st: '', vf: '', vu: '', k: '', sig: '' })?.wellFormed, false);
  const good = queryOf(path);
  const cases: [string, string, Record<string, unknown>][] = [
    ['id not a uuid', 'OCOP-96-2024-00001', good],
    ['id in capitals', CLAIM.id.toUpperCase(), good],
    ['stars 0', CLAIM.id, { ...good, st: '0' }],
    ['stars 6', CLAIM.id, { ...good, st: '6' }],
    ['stars 4.0', CLAIM.id, { ...good, st: '4.0' }],
    ['stars missing', CLAIM.id, { ...good, st: undefined }],
    ['issue date with dashes', CLAIM.id, { ...good, vf: '2024-02-05' }],
    ['end date short', CLAIM.id, { ...good, vu: '2027025' }],
    ['key id with a slash', CLAIM.id, { ...good, k: 'k/1' }],
    ['key id missing', CLAIM.id, { ...good, k: '' }],
    ['signature short', CLAIM.id, { ...good, sig: good.sig!.slice(1) }],
    ['signature in standard base64', CLAIM.id, { ...good, sig: `${good.sig!.slice(2)}+/` }],
    ['signature repeated', CLAIM.id, { ...good, sig: [good.sig, good.sig] }],
    ['signature only', CLAIM.id, { sig: good.sig }],
  ];
  for (const [label, id, query] of cases) {
    const result = readSignedQuery(id, query);
    assert.ok(result, label);
    assert.equal(result.wellFormed, false, label);
  }
});

const isoDay = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const claimArb = fc.record({
  id: fc.uuid(),
  stars: fc.integer({ min: 1, max: 5 }),
  issuedOn: isoDay,
  validUntil: isoDay,
});
const signatureArb = fc.record({
  keyId: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
  value: fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url')),
});

test('property: signedPath → readSignedQuery round-trips every claim and signature', () => {
  fc.assert(
    fc.property(claimArb, signatureArb, (claim, signature) => {
      const path = signedPath(claim, signature);
      const url = new URL(path, 'https://ocop.example');
      const id = decodeURIComponent(url.pathname.slice('/verify/'.length));
      assert.equal(id, claim.id);
      // fast-check's records have no prototype: compare plain copies
      assert.deepEqual(readSignedQuery(id, Object.fromEntries(url.searchParams)), {
        claim: { ...claim },
        signature: { ...signature },
        wellFormed: true,
      });
    }),
    { numRuns: 300 },
  );
});

test('property: a signature verifies only its own claim', () => {
  fc.assert(
    fc.property(claimArb, claimArb, (claim, other) => {
      const signature = signClaim(claim, KEY);
      assert.equal(verifyClaim(claim, signature, KEYS), true);
      const same =
        claim.id === other.id &&
        claim.stars === other.stars &&
        claim.issuedOn === other.issuedOn &&
        claim.validUntil === other.validUntil;
      assert.equal(verifyClaim(other, signature, KEYS), same);
    }),
    { numRuns: 100 },
  );
});
