/**
 * The EPCIS 2.0 event each step of a batch's journey writes (pure): what a producer types in a
 * short form becomes the standard event, with CBV 2.0 business steps and dispositions, the lot as
 * a GS1 Digital Link class (`/01/{gtin}/10/{lot}`) with its quantity, the place as readPoint and
 * bizLocation, partners as source or destination, and attachments as business transactions.
 *
 * | step        | event                                   | bizStep         | disposition        |
 * | ----------- | --------------------------------------- | --------------- | ------------------ |
 * | harvest     | ObjectEvent ADD (ilmd: harvest, lot)    | commissioning   | active             |
 * | processing  | TransformationEvent inputs → the lot    | commissioning   | active             |
 * | packing     | ObjectEvent OBSERVE, or AggregationEvent ADD into a carton (SSCC) | packing | in_progress |
 * | shipping    | ObjectEvent OBSERVE, destination        | shipping        | in_transit         |
 * | receiving   | ObjectEvent OBSERVE at the partner      | receiving       | sellable_accessible|
 * | inspection  | ObjectEvent OBSERVE, test report        | inspecting      | conformant / non_conformant |
 * | sale        | ObjectEvent OBSERVE at the point of sale| retail_selling  | retail_sold        |
 * | recall      | ObjectEvent OBSERVE                     | holding         | recalled           |
 */
import { generateDigitalLink } from '../../platform/gs1/index.ts';
import type { JourneyStep } from './trace.model.ts';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';
/** The platform's namespace for the few fields EPCIS has no word for (a note). */
export const OCOP_NAMESPACE = 'https://ocop.gov.vn/epcis/';

/** Units a form offers → UN/ECE Recommendation 20 codes (EPCIS `uom`); pieces are counted. */
export const UNITS: Record<string, string | null> = {
  kg: 'KGM',
  g: 'GRM',
  tấn: 'TNE',
  l: 'LTR',
  ml: 'MLT',
  cái: null,
  hộp: null,
  chai: null,
  túi: null,
  hũ: null,
  con: null,
};
export const UNIT_NAMES = Object.keys(UNITS);
const UOM_NAMES = new Map(Object.entries(UNITS).flatMap(([name, code]) => (code ? [[code, name]] : [])));
/** `KGM` → `kg`; a count (no uom) → null. */
export const unitOfUom = (uom: string | null | undefined) => (uom ? (UOM_NAMES.get(uom) ?? uom) : null);

export interface StepEventInput {
  step: JourneyStep;
  /** The instant, ISO with offset (`2026-05-22T08:30:00+07:00`). */
  eventTime: string;
  /** Where: a registered place or (receiving, sale) a partner's identifier. */
  place: string;
  /** Shipping: where to; receiving: where from (a partner or place identifier). */
  partner?: string | null;
  quantity?: number | null;
  unit?: string | null;
  /** Processing: the ingredient lots. */
  inputs?: { gtin: string; lot: string }[];
  /** Packing into a carton: its SSCC (18 digits). */
  sscc?: string | null;
  /** Inspection: passed or not; the test report's public URL. */
  conformant?: boolean;
  attachment?: string | null;
  /** A despatch advice or invoice number (shipping, receiving, sale). */
  document?: string | null;
  /** Recall: why. */
  reason?: string | null;
  note?: string | null;
  /** The producer's party identifier (source of a shipment). */
  producerParty: string;
  /** Processing: ties the transformation to the lot (needed when no ingredient lot is named). */
  transformationId?: string | null;
}

export const lotClass = (gtin: string, lot: string) =>
  generateDigitalLink([
    { ai: '01', value: gtin },
    { ai: '10', value: lot },
  ]);

const offsetOf = (time: string) => /([+-]\d{2}:\d{2}|Z)$/.exec(time)?.[1]?.replace('Z', '+00:00') ?? '+07:00';

const STEP: Record<JourneyStep, { bizStep: string; disposition: string }> = {
  harvest: { bizStep: 'commissioning', disposition: 'active' },
  processing: { bizStep: 'commissioning', disposition: 'active' },
  packing: { bizStep: 'packing', disposition: 'in_progress' },
  shipping: { bizStep: 'shipping', disposition: 'in_transit' },
  receiving: { bizStep: 'receiving', disposition: 'sellable_accessible' },
  inspection: { bizStep: 'inspecting', disposition: 'conformant' },
  sale: { bizStep: 'retail_selling', disposition: 'retail_sold' },
  recall: { bizStep: 'holding', disposition: 'recalled' },
};

/** Which journey step an event is (by its type, bizStep, disposition), or null. */
export function stepOf(event: {
  type?: unknown;
  bizStep?: unknown;
  disposition?: unknown;
  action?: unknown;
}) {
  const word = (v: unknown) => (typeof v === 'string' ? v.replace(/^.*[-:/]/, '') : '');
  const bizStep = word(event.bizStep);
  const disposition = word(event.disposition);
  if (disposition === 'recalled') return 'recall';
  if (event.type === 'TransformationEvent') return 'processing';
  if (bizStep === 'commissioning' && event.action === 'ADD') return 'harvest';
  const found = (Object.entries(STEP) as [JourneyStep, { bizStep: string }][]).find(
    ([step, s]) => s.bizStep === bizStep && step !== 'harvest' && step !== 'processing',
  );
  return found ? found[0] : null;
}

/**
 * The event of a step of the lot `gtin`/`lot` (with its own @context, as POST /epcis/events takes
 * one). `batch` gives the ILMD of a harvest or a processing (lot, production, expiry).
 */
export function journeyEvent(
  batch: { gtin: string; lot: string; productionDate: string; expiryDate: string | null },
  input: StepEventInput,
): Record<string, unknown> {
  const lot = lotClass(batch.gtin, batch.lot);
  const { bizStep } = STEP[input.step];
  const disposition =
    input.step === 'inspection' && input.conformant === false
      ? 'non_conformant'
      : STEP[input.step].disposition;
  const uom = input.unit ? UNITS[input.unit] : null;
  const quantity = input.quantity != null ? { quantity: input.quantity, ...(uom ? { uom } : {}) } : {};
  const lotQuantity = [{ epcClass: lot, ...quantity }];
  const ilmd = {
    'cbvmda:lotNumber': batch.lot,
    ...(input.step === 'harvest' ? { 'cbvmda:harvestStartDate': input.eventTime.slice(0, 10) } : {}),
    ...(batch.expiryDate ? { 'cbvmda:itemExpirationDate': batch.expiryDate } : {}),
  };
  const common = {
    eventTime: input.eventTime,
    eventTimeZoneOffset: offsetOf(input.eventTime),
    bizStep,
    disposition,
    readPoint: { id: input.place },
    bizLocation: { id: input.place },
  };
  const transactions = [
    ...(input.document
      ? [
          {
            type: input.step === 'sale' ? 'inv' : 'desadv',
            bizTransaction: `urn:ocop:doc:${encodeURIComponent(input.document)}`,
          },
        ]
      : []),
    ...(input.attachment ? [{ type: 'testres', bizTransaction: input.attachment }] : []),
  ];
  const extra = {
    ...(transactions.length > 0 ? { bizTransactionList: transactions } : {}),
    ...(input.step === 'shipping' && input.partner
      ? {
          sourceList: [{ type: 'owning_party', source: input.producerParty }],
          destinationList: [{ type: 'location', destination: input.partner }],
        }
      : {}),
    ...(input.step === 'receiving' && input.partner
      ? { sourceList: [{ type: 'location', source: input.partner }] }
      : {}),
    ...(input.note || input.reason
      ? { 'ocop:note': [input.reason, input.note].filter(Boolean).join(' — ') }
      : {}),
  };
  const context = [EPCIS_CONTEXT, { ocop: OCOP_NAMESPACE }];
  if (input.step === 'processing') {
    return {
      '@context': context,
      type: 'TransformationEvent',
      ...(input.transformationId ? { transformationID: input.transformationId } : {}),
      ...common,
      inputQuantityList: (input.inputs ?? []).map((i) => ({ epcClass: lotClass(i.gtin, i.lot) })),
      outputQuantityList: lotQuantity,
      ilmd,
      ...extra,
    };
  }
  if (input.step === 'packing' && input.sscc) {
    return {
      '@context': context,
      type: 'AggregationEvent',
      action: 'ADD',
      parentID: generateDigitalLink([{ ai: '00', value: input.sscc }]),
      childQuantityList: lotQuantity,
      ...common,
      ...extra,
    };
  }
  return {
    '@context': context,
    type: 'ObjectEvent',
    action: input.step === 'harvest' ? 'ADD' : 'OBSERVE',
    quantityList: lotQuantity,
    ...common,
    ...(input.step === 'harvest' ? { ilmd } : {}),
    ...extra,
  };
}
