/**
 * The locations a producer may name in its events (readPoint, bizLocation): its own GLN-based
 * identifiers (a GS1 member's SGLN or GLN), or an identifier the platform mints for it
 * (`{public URL}/id/location/{uuid}`) when it has no GS1 location number.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import { canonicalEpc, checkEpcIdentifier } from '../../platform/gs1/index.ts';
import { type ProducersService, registryPolicy } from '../producers/index.ts';
import * as q from './traceability.queries.ts';

export function createLocationsService(
  db: Kysely<DB>,
  deps: { producers: Pick<ProducersService, 'placeOf'>; publicUrl: URL },
) {
  async function producerInScope(principal: Principal | null, producerId: string, action: 'read' | 'update') {
    if (!principal) throw new DomainError('sign_in_required', 'unauthenticated');
    const place = await deps.producers.placeOf(producerId);
    if (!place || !registryPolicy(principal, action, place))
      throw new DomainError('producer_not_found', 'not_found');
  }

  return {
    async list(principal: Principal | null, producerId: string) {
      await producerInScope(principal, producerId, 'read');
      return (await q.locationsOf(db, producerId)).map((l) => ({
        id: l.id,
        identifier: l.identifier,
        name: l.name,
        minted: l.minted,
      }));
    },

    /** Registers a GLN-based identifier of the producer, or (without one) mints a platform identifier. */
    async add(
      context: AuditContext,
      principal: Principal | null,
      producerId: string,
      input: { name: string; identifier?: string | null },
    ) {
      await producerInScope(principal, producerId, 'update');
      const name = input.name.trim();
      const fields = [];
      if (!name || name.length > 200) fields.push({ in: 'body' as const, name: 'name', rule: 'required' });
      let identifier: string;
      const minted = !input.identifier;
      if (input.identifier) {
        const problem = checkEpcIdentifier(input.identifier);
        const canonical = canonicalEpc(input.identifier);
        if (problem || !canonical || !/\/(414|417)\/\d{13}/.test(canonical))
          fields.push({ in: 'body' as const, name: 'identifier', rule: 'gln' });
        identifier = canonical ?? input.identifier;
      } else {
        identifier = new URL(`/id/location/${randomUUID()}`, deps.publicUrl).toString();
      }
      if (fields.length > 0) throw new DomainError('validation_failed', 'invalid', {}, fields);
      return db.transaction().execute(async (trx) => {
        const row = await q
          .insertLocation(trx, { identifier, producer_id: producerId, name, minted })
          .catch((error: { code?: string }) => {
            if (error.code === '23505') throw new DomainError('location_taken', 'conflict', { identifier });
            throw error;
          });
        await audit(trx, context, {
          action: 'traceability.location.add',
          entityType: 'location',
          entityId: row.id,
          after: { identifier, producerId, name, minted },
        });
        return { id: row.id, identifier: row.identifier, name: row.name, minted: row.minted };
      });
    },
  };
}

export type LocationsService = ReturnType<typeof createLocationsService>;
