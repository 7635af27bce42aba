/**
 * The signed certificate QR: the URL of the public verification page carries the certificate's
 * id, stars and validity with an Ed25519 signature over them, so that the page — and an offline
 * verifier holding the public keys of `/.well-known/ocop-keys.json` — can tell an authentic code
 * from a forged one. Pure (no I/O; node:crypto only computes).
 *
 * The URL: `{base}/verify/{id}?st={stars}&vf={YYYYMMDD}&vu={YYYYMMDD}&k={key id}&sig={base64url}`
 * The signed message (UTF-8): `OCOP-CERT-1|{id}|{stars}|{issued YYYY-MM-DD}|{valid until YYYY-MM-DD}`
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

export const SIGNED_MESSAGE_FORMAT = 'OCOP-CERT-1|{id}|{stars}|{issuedOn YYYY-MM-DD}|{validUntil YYYY-MM-DD}';

/** What a signed QR claims about a certificate. */
export interface SignedClaim {
  id: string;
  stars: number;
  issuedOn: string;
  validUntil: string;
}

export interface Signature {
  keyId: string;
  /** 64 bytes, base64url. */
  value: string;
}

/** A signing key as it is stored: the public half as a JWK `x`, the private half as PKCS#8. */
export interface StoredKey {
  keyId: string;
  /** Raw 32-byte Ed25519 public key, base64url (the JWK `x`). */
  publicKey: string;
  /** PKCS#8 DER, base64. */
  privateKey: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/;
const SIG = /^[A-Za-z0-9_-]{86}$/;
/** The query fields of a signed URL. */
const SIGNED_FIELDS = ['st', 'vf', 'vu', 'k', 'sig'];

export function signedMessage(claim: SignedClaim): Buffer {
  return Buffer.from(`OCOP-CERT-1|${claim.id}|${claim.stars}|${claim.issuedOn}|${claim.validUntil}`, 'utf8');
}

/** A new Ed25519 key pair, named `keyId`. */
export function generateSigningKey(keyId: string): StoredKey {
  if (!KEY_ID.test(keyId)) throw new RangeError(`bad key id: ${keyId}`);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    keyId,
    publicKey: String(publicKey.export({ format: 'jwk' }).x),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

export function publicKeyObject(x: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

export function signClaim(claim: SignedClaim, key: StoredKey): Signature {
  const privateKey = createPrivateKey({
    key: Buffer.from(key.privateKey, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  return { keyId: key.keyId, value: sign(null, signedMessage(claim), privateKey).toString('base64url') };
}

/**
 * Whether the signature is an authentic one over the claim by one of the published keys
 * (key id → public key, retired keys included). An unknown key id is not authentic.
 */
export function verifyClaim(
  claim: SignedClaim,
  signature: Signature,
  keys: ReadonlyMap<string, KeyObject>,
): boolean {
  const key = keys.get(signature.keyId);
  if (!key || !SIG.test(signature.value)) return false;
  const bytes = Buffer.from(signature.value, 'base64url');
  // one spelling per signature: the last character's 4 unused bits must be zero, or a changed
  // character would decode to the same bytes and pass
  if (bytes.toString('base64url') !== signature.value) return false;
  return verify(null, signedMessage(claim), key, bytes);
}

const compactDate = (iso: string) => iso.replaceAll('-', '');
const isoDate = (compact: string) => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;

/** The path and query the QR encodes (prefix it with the platform's public URL). */
export function signedPath(claim: SignedClaim, signature: Signature): string {
  const query = new URLSearchParams({
    st: String(claim.stars),
    vf: compactDate(claim.issuedOn),
    vu: compactDate(claim.validUntil),
    k: signature.keyId,
    sig: signature.value,
  });
  return `/verify/${claim.id}?${query.toString()}`;
}

/**
 * Reads the claim and the signature from a verification URL's id and query, or null when the
 * query carries no signature at all. A signature that is present but malformed is returned as
 * such (the page says "not authentic", never "valid").
 */
export function readSignedQuery(
  id: string,
  query: Record<string, unknown>,
): { claim: SignedClaim; signature: Signature; wellFormed: boolean } | null {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
  // any of the signed fields present — even empty — is a claim that must verify
  if (!SIGNED_FIELDS.some((name) => name in query)) return null;
  const st = text('st');
  const vf = text('vf');
  const vu = text('vu');
  const wellFormed =
    UUID.test(id) &&
    /^[1-5]$/.test(st) &&
    /^\d{8}$/.test(vf) &&
    /^\d{8}$/.test(vu) &&
    KEY_ID.test(text('k')) &&
    SIG.test(text('sig'));
  return {
    claim: { id, stars: Number(st), issuedOn: isoDate(vf), validUntil: isoDate(vu) },
    signature: { keyId: text('k'), value: text('sig') },
    wellFormed,
  };
}
