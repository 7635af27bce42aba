/**
 * What the public trace page of a lot (or of one serialised item) shows, assembled by
 * trace-page.service.ts from the batch, the product, its producer, the certificate's status today
 * and the lot's EPCIS events; drawn by trace-page.views.tsx. Plain data: dates are `YYYY-MM-DD`
 * (Vietnam's calendar), instants ISO 8601 with their offset.
 */

/** The kinds of a producer's own places. */
export const LOCATION_KINDS = [
  'farm',
  'raw_material_area',
  'processing_facility',
  'warehouse',
  'shop',
  'other',
] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

/** The kinds of a producer's partners. */
export const PARTNER_KINDS = ['distributor', 'retailer', 'ocop_point_of_sale', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** The steps of a batch's journey a producer records by form, each one EPCIS event. */
export const JOURNEY_STEPS = [
  'harvest',
  'processing',
  'packing',
  'shipping',
  'receiving',
  'inspection',
  'sale',
  'recall',
] as const;
export type JourneyStep = (typeof JOURNEY_STEPS)[number];

/** The certificate's standing today, as the trace page says it. */
export type TraceCertificateStatus = 'valid' | 'expired' | 'revoked' | 'none';

export interface TracePlace {
  name: string;
  kind: LocationKind | PartnerKind | null;
  /** Commune and province, e.g. "Xã Tân Thành, Tỉnh Cà Mau"; null when unknown. */
  area: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface TraceStep {
  /** The journey step when the event was recorded by form, else null (then bizStep says what). */
  step: JourneyStep | null;
  /** CBV bizStep word (`shipping`) or null. */
  bizStep: string | null;
  /** CBV disposition word (`in_transit`) or null. */
  disposition: string | null;
  /** When it happened: ISO instant with the event's own offset (`2026-05-22T08:30:00+07:00`). */
  eventTime: string;
  /** Where (readPoint / bizLocation), resolved to a registered place when it is one. */
  place: TracePlace | null;
  /** Where it went (shipping) or came from (receiving): a partner or place. */
  destination: TracePlace | null;
  source: TracePlace | null;
  /** How much, e.g. "120 kg"; null when the event says no quantity. */
  quantity: string | null;
  /** Inputs of a processing step (ingredient lots) with their trace page path. */
  inputs: { label: string; href: string | null }[];
  /** Free text the producer wrote (a note), already plain text. */
  note: string | null;
  /** Test report attached to an inspection: its public URL. */
  attachments: { name: string; href: string }[];
}

export interface TraceView {
  /** The Digital Link URI the page answers for (on the platform's public URL). */
  uri: string;
  product: {
    id: string;
    name: string;
    gtin: string;
    netContent: string | null;
    description: string | null;
    /** A thumbnail URL (WebP) or null. */
    imageUrl: string | null;
    /** The product's public page. */
    href: string;
  };
  producer: { id: string; name: string; area: string | null };
  certificate: {
    status: TraceCertificateStatus;
    stars: number | null;
    number: string | null;
    issuedOn: string | null;
    validUntil: string | null;
    revokedOn: string | null;
    /** The public verification page of the certificate. */
    verifyHref: string | null;
  };
  batch: {
    lot: string;
    /** The serial when the page is of one item. */
    serial: string | null;
    productionDate: string;
    packingDate: string | null;
    expiryDate: string | null;
    quantity: string | null;
    recall: { on: string; reason: string } | null;
  };
  rawMaterialArea: (TracePlace & { certifications: string | null }) | null;
  ingredients: { label: string; href: string | null }[];
  testReports: { name: string; href: string; issuedOn: string | null }[];
  /** Oldest first. */
  journey: TraceStep[];
  /** Where "report a problem" goes (a form of the platform). */
  reportHref: string;
  /** The day the page speaks for (the certificate's status is of this day). */
  today: string;
  /** Demo data (`ocop demo`): the page says so, so that nobody takes it for a real product. */
  demo: boolean;
}
