/**
 * A producer's places and partners. Places (farm, pond or raw-material area, processing facility,
 * warehouse, shop) are the locations it may name in its events (readPoint, bizLocation); partners
 * (distributors, retailers, OCOP points of sale) are where its goods go, and where it may record a
 * receipt or a sale. Each has its GLN-based identifier (a GS1 member's SGLN or GLN), or one the
 * platform mints (`{public URL}/id/location/{uuid}`, `/id/party/{uuid}`); a commune (2025 code)
 * and optional coordinates.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/errors.ts';
import { canonicalEpc, checkEpcIdentifier } from '../../platform/gs1/index.ts';
import type { AdminUnitsService } from '../admin-units/index.ts';
import { type ProducersService, registryPolicy } from '../producers/index.ts';
import { LOCATION_KINDS, type LocationKind, PARTNER_KINDS, type PartnerKind } from './trace.model.ts';
import * as tq from './trace.queries.ts';
import * as q from './traceability.queries.ts';

/** What a place or partner form gives, beyond its name and identifier. */
export interface PlaceInput {
  name: string;
  identifier?: string | null | undefined;
  communeCode?: string | null | undefined;
  latitude?: number | null | undefined;
  longitude?: number | null | undefined;
}

export const presentLocation = (l: tq.LocationRow) => ({
  id: l.id,
  identifier: l.identifier,
  name: l.name,
  minted: l.minted,
  kind: l.kind as LocationKind,
  communeCode: l.commune_code,
  latitude: l.latitude === null ? null : Number(l.latitude),
  longitude: l.longitude === null ? null : Number(l.longitude),
  certifications: l.certifications,
});
export type Location = ReturnType<typeof presentLocation>;

export const presentPartner = (p: tq.PartnerRow) => ({
  id: p.id,
  identifier: p.identifier,
  name: p.name,
  minted: p.minted,
  kind: p.kind as PartnerKind,
  communeCode: p.commune_code,
  address: p.address,
  latitude: p.latitude === null ? null : Number(p.latitude),
  longitude: p.longitude === null ? null : Number(p.longitude),
});
export type Partner = ReturnType<typeof presentPartner>;

type Field = { in: 'body'; name: string; rule: string; params?: Record<string, string | number> };

export function createLocationsService(
  db: Kysely<DB>,
  deps: {
    producers: Pick<ProducersService, 'placeOf'>;
    adminUnits: Pick<AdminUnitsService, 'lookup'>;
    publicUrl: URL;
  },
) {
  /** The common checks of a place or a partner: name, identifier (GLN) or minted, commune, coordinates. */
  async function checkPlace(input: PlaceInput, mint: 'location' | 'party', fields: Field[]) {
    const name = (input.name ?? '').trim();
    if (!name || name.length > 200) fields.push({ in: 'body', name: 'name', rule: 'required' });
    let identifier: string;
    const raw = input.identifier?.trim();
    const minted = !raw;
    if (raw) {
      const problem = checkEpcIdentifier(raw);
      const canonical = canonicalEpc(raw);
      if (problem || !canonical || !/\/(414|417)\/\d{13}/.test(canonical))
        fields.push({ in: 'body', name: 'identifier', rule: 'gln' });
      identifier = canonical ?? raw;
    } else {
      identifier = new URL(`/id/${mint}/${randomUUID()}`, deps.publicUrl).toString();
    }
    const communeCode = input.communeCode?.trim() || null;
    if (communeCode) {
      const [found] = await deps.adminUnits.lookup('2025', [communeCode]);
      if (found?.unit?.level !== 'commune')
        fields.push({ in: 'body', name: 'communeCode', rule: 'unknownUnit' });
    }
    const { latitude = null, longitude = null } = input;
    if ((latitude === null) !== (longitude === null))
      fields.push({ in: 'body', name: latitude === null ? 'latitude' : 'longitude', rule: 'required' });
    // Vietnam lies within 8–24° N, 102–110° E; a point outside is a typing error (or swapped)
    if (latitude !== null && !(Number.isFinite(latitude) && latitude >= 8 && latitude <= 24))
      fields.push({ in: 'body', name: 'latitude', rule: 'range', params: { min: 8, max: 24 } });
    if (longitude !== null && !(Number.isFinite(longitude) && longitude >= 102 && longitude <= 110))
      fields.push({ in: 'body', name: 'longitude', rule: 'range', params: { min: 102, max: 110 } });
    return {
      name,
      identifier,
      minted,
      commune_code: communeCode,
      latitude: latitude === null ? null : latitude.toFixed(6),
      longitude: longitude === null ? null : longitude.toFixed(6),
    };
  }

  async function producerInScope(principal: Principal | null, producerId: string, action: 'read' | 'update') {
    if (!principal) throw new DomainError('sign_in_required', 'unauthenticated');
    const place = await deps.producers.placeOf(producerId);
    if (!place || !registryPolicy(principal, action, place))
      throw new DomainError('producer_not_found', 'not_found');
  }

  return {
    async list(principal: Principal | null, producerId: string): Promise<Location[]> {
      await producerInScope(principal, producerId, 'read');
      return (await q.locationsOf(db, producerId)).map(presentLocation);
    },

    async partners(principal: Principal | null, producerId: string): Promise<Partner[]> {
      await producerInScope(principal, producerId, 'read');
      return (await tq.partnersOf(db, producerId)).map(presentPartner);
    },

    /** Registers a place: its GLN-based identifier, or (without one) a platform-minted one. */
    async add(
      context: AuditContext,
      principal: Principal | null,
      producerId: string,
      input: PlaceInput & { kind?: string | null | undefined; certifications?: string | null | undefined },
    ): Promise<Location> {
      await producerInScope(principal, producerId, 'update');
      const fields: Field[] = [];
      const place = await checkPlace(input, 'location', fields);
      const kind = input.kind ?? 'other';
      if (!(LOCATION_KINDS as readonly string[]).includes(kind))
        fields.push({
          in: 'body',
          name: 'kind',
          rule: 'enum',
          params: { allowed: LOCATION_KINDS.join(', ') },
        });
      const certifications = input.certifications?.trim() || null;
      if (certifications && certifications.length > 500)
        fields.push({ in: 'body', name: 'certifications', rule: 'maxLength', params: { limit: 500 } });
      if (fields.length > 0) throw new DomainError('validation_failed', 'invalid', {}, fields);
      return db.transaction().execute(async (trx) => {
        const row = await q
          .insertLocation(trx, { ...place, producer_id: producerId, kind, certifications })
          .catch((error: { code?: string }) => {
            if (error.code === '23505')
              throw new DomainError('location_taken', 'conflict', { identifier: place.identifier });
            throw error;
          });
        await audit(trx, context, {
          action: 'traceability.location.add',
          entityType: 'location',
          entityId: row.id,
          after: { ...place, producerId, kind, certifications },
        });
        return presentLocation(row);
      });
    },

    /** Registers a partner (one retailer may be the partner of many producers). */
    async addPartner(
      context: AuditContext,
      principal: Principal | null,
      producerId: string,
      input: PlaceInput & { kind?: string | null | undefined; address?: string | null | undefined },
    ): Promise<Partner> {
      await producerInScope(principal, producerId, 'update');
      const fields: Field[] = [];
      const place = await checkPlace(input, 'party', fields);
      const kind = input.kind ?? '';
      if (!(PARTNER_KINDS as readonly string[]).includes(kind))
        fields.push({
          in: 'body',
          name: 'kind',
          rule: 'enum',
          params: { allowed: PARTNER_KINDS.join(', ') },
        });
      const address = input.address?.trim() || null;
      if (address && address.length > 300)
        fields.push({ in: 'body', name: 'address', rule: 'maxLength', params: { limit: 300 } });
      if (fields.length > 0) throw new DomainError('validation_failed', 'invalid', {}, fields);
      return db.transaction().execute(async (trx) => {
        const row = await tq
          .insertPartner(trx, { ...place, producer_id: producerId, kind, address })
          .catch((error: { code?: string }) => {
            if (error.code === '23505')
              throw new DomainError('partner_taken', 'conflict', { identifier: place.identifier });
            throw error;
          });
        await audit(trx, context, {
          action: 'traceability.partner.add',
          entityType: 'partner',
          entityId: row.id,
          after: { ...place, producerId, kind, address },
        });
        return presentPartner(row);
      });
    },
  };
}

export type LocationsService = ReturnType<typeof createLocationsService>;
