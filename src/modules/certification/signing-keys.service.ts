/**
 * The keys that sign certificate QR codes: one active Ed25519 key signs; rotating retires it and
 * makes a new one; every key, retired ones included, stays published so that a QR printed years
 * ago still verifies. The private halves stay in the database (and in its backups).
 */

import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import {
  generateSigningKey,
  publicKeyObject,
  readSignedQuery,
  SIGNED_MESSAGE_FORMAT,
  type SignedClaim,
  signClaim,
  signedPath,
  verifyClaim,
} from './certificate-signature.ts';
import * as q from './certificates.queries.ts';

/** How the verification page judges a scanned QR. */
export type Authenticity = 'authentic' | 'forged';

const newKeyId = () =>
  `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;

/** How long a process trusts its copy of the keys (another process may rotate them). */
const KEYS_TTL_MS = 60 * 1000;

export function createSigningKeys(db: Kysely<DB>, deps: { publicUrl: URL }) {
  let cache: { rows: q.KeyRow[]; objects: Map<string, KeyObject>; loadedAt: number } | null = null;

  async function load() {
    if (cache && Date.now() - cache.loadedAt < KEYS_TTL_MS) return cache;
    const rows = await q.findKeys(db);
    cache = {
      rows,
      objects: new Map(rows.map((r) => [r.key_id, publicKeyObject(r.public_key)])),
      loadedAt: Date.now(),
    };
    return cache;
  }

  async function active(): Promise<q.KeyRow> {
    const found = (await load()).rows.find((r) => r.retired_at === null);
    if (found) return found;
    await this_
      .rotate({ actor: { type: 'system', label: 'first signing key' } })
      .catch((error: { code?: string }) => {
        // another request or process made the first key at the same moment: use that one
        if (error.code !== '23505') throw error;
        cache = null;
      });
    return (await load()).rows.find((r) => r.retired_at === null)!;
  }

  const this_ = {
    /** Retires the active key (if any) and makes a new one. */
    async rotate(context: AuditContext): Promise<string> {
      const key = generateSigningKey(newKeyId());
      await db.transaction().execute(async (trx) => {
        await q.retireActiveKey(trx);
        await q.insertKey(trx, { key_id: key.keyId, public_key: key.publicKey, private_key: key.privateKey });
        await audit(trx, context, {
          action: 'certificate.signing_key.rotate',
          entityType: 'signing_key',
          entityId: null,
          after: { keyId: key.keyId, publicKey: key.publicKey },
        });
      });
      cache = null;
      return key.keyId;
    },

    /** Makes the first key if there is none (at start). */
    async ensure(): Promise<void> {
      await active();
    },

    /** The full URL a certificate's QR encodes, signed with the active key. */
    async signedUrl(claim: SignedClaim): Promise<string> {
      const key = await active();
      const signature = signClaim(claim, {
        keyId: key.key_id,
        publicKey: key.public_key,
        privateKey: key.private_key,
      });
      return new URL(signedPath(claim, signature), deps.publicUrl).toString();
    },

    /**
     * Judges the signature a scanned URL carries against the register's record: authentic only
     * when a published key signed exactly what the register says; null when there is none.
     */
    async judge(
      id: string,
      query: Record<string, unknown>,
      record: SignedClaim | null,
    ): Promise<Authenticity | null> {
      const read = readSignedQuery(id, query);
      if (!read) return null;
      if (!read.wellFormed || !record) return 'forged';
      let { objects } = await load();
      // a key made by another process since this one last looked (ocop certificates rotate-key)
      if (!objects.has(read.signature.keyId)) {
        cache = null;
        ({ objects } = await load());
      }
      const same =
        read.claim.id === record.id &&
        read.claim.stars === record.stars &&
        read.claim.issuedOn === record.issuedOn &&
        read.claim.validUntil === record.validUntil;
      return same && verifyClaim(read.claim, read.signature, objects) ? 'authentic' : 'forged';
    },

    /** The published keys (JWKS), for offline verifiers. */
    async published() {
      const { rows } = await load();
      return {
        description:
          'Ed25519 keys that sign the QR codes of OCOP certificates. The QR holds ' +
          '{base}/verify/{id}?st={stars}&vf={issued YYYYMMDD}&vu={valid until YYYYMMDD}&k={kid}&sig={base64url signature}; ' +
          'the signature is over the UTF-8 message below. Retired keys stay here: signatures made with them remain valid.',
        message: SIGNED_MESSAGE_FORMAT,
        keys: rows.map((r) => ({
          kty: 'OKP',
          crv: 'Ed25519',
          alg: 'EdDSA',
          use: 'sig',
          kid: r.key_id,
          x: r.public_key,
          status: r.retired_at === null ? 'active' : 'retired',
          created: r.created_at.toISOString(),
          ...(r.retired_at ? { retired: r.retired_at.toISOString() } : {}),
        })),
      };
    },
  };
  return this_;
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;
