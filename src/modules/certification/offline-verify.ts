/**
 * The offline verifier: a scanned certificate URL checked against the published keys alone (the
 * JSON of /.well-known/ocop-keys.json saved earlier), with no network and no database. It says
 * whether the QR was signed by the OCOP authority; whether the certificate is still in force needs
 * the register. Pure.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyObject, readSignedQuery, verifyClaim } from './certificate-signature.ts';

export function verifyOffline(url: string, keysJson: string): { authentic: boolean; detail: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { authentic: false, detail: 'not a URL' };
  }
  const id = /^\/verify\/([^/]+)$/.exec(parsed.pathname)?.[1];
  if (!id) return { authentic: false, detail: 'not a certificate verification URL' };
  let ref: string;
  try {
    ref = decodeURIComponent(id);
  } catch {
    return { authentic: false, detail: 'malformed URL' };
  }
  const read = readSignedQuery(ref, Object.fromEntries(parsed.searchParams));
  if (!read) return { authentic: false, detail: 'the URL carries no signature' };
  if (!read.wellFormed) return { authentic: false, detail: 'malformed signature' };
  const keys = new Map<string, KeyObject>();
  try {
    const published = JSON.parse(keysJson) as { keys?: { kid?: unknown; x?: unknown; crv?: unknown }[] };
    for (const key of published.keys ?? [])
      if (typeof key.kid === 'string' && typeof key.x === 'string' && key.crv === 'Ed25519')
        keys.set(key.kid, publicKeyObject(key.x));
  } catch {
    return { authentic: false, detail: 'the keys file is not the JSON of /.well-known/ocop-keys.json' };
  }
  if (!keys.has(read.signature.keyId))
    return { authentic: false, detail: `unknown key ${read.signature.keyId}` };
  const { claim } = read;
  return verifyClaim(claim, read.signature, keys)
    ? {
        authentic: true,
        detail: `certificate ${claim.id}, ${claim.stars} stars, issued ${claim.issuedOn}, valid through ${claim.validUntil} (key ${read.signature.keyId})`,
      }
    : { authentic: false, detail: 'the signature does not match' };
}
