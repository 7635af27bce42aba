/**
 * The CBV 2.0 vocabularies an EPCIS event names (business steps, dispositions, business
 * transaction types, source/destination types, error reasons, sensor components) and the GS1 Web
 * Vocabulary terms of sensor reports (measurement types, alert types).
 *
 * A value may be written as the bare CBV word (`receiving`, the JSON-LD form), as the CBV 1.x URN
 * (`urn:epcglobal:cbv:bizstep:receiving`), as the GS1 Web URI
 * (`https://ref.gs1.org/cbv/BizStep-receiving`) or as a CURIE of it (`cbv:BizStep-receiving`); all
 * four have one canonical form, the Web URI. Any other value must be a URI (a private vocabulary);
 * a bare word that is not in the vocabulary, and a CBV URN or Web URI naming a term the vocabulary
 * does not have (`…/Disp-in_transport`), are refused.
 */
import { expandCurie, isAbsoluteUri, type Prefixes } from './jsonld.ts';

export type CbvVocabulary =
  | 'bizStep'
  | 'disposition'
  | 'bizTransactionType'
  | 'sourceDestType'
  | 'errorReason'
  | 'component'
  | 'measurementType'
  | 'sensorAlertType';

const words = (list: string) => new Set(list.trim().split(/\s+/));

const BIZ_STEPS = words(`
  accepting arriving assembling collecting commissioning consigning creating_class_instance
  cycle_counting decommissioning departing destroying disassembling dispensing encoding
  entering_exiting holding inspecting installing killing loading other packing picking receiving
  removing repackaging repairing replacing reserving retail_selling sampling sensor_reporting
  shipping staging_outbound stock_taking stocking storing transporting unloading unpacking
  void_shipping`);

const DISPOSITIONS = words(`
  active available completeness_inferred completeness_verified conformant container_closed
  container_open damaged destroyed dispensed disposed encoded expired in_progress in_transit
  inactive mismatch_class mismatch_instance mismatch_quantity needs_replacement no_pedigree_match
  non_conformant non_sellable_other partially_dispensed recalled reserved retail_sold returned
  sellable_accessible sellable_not_accessible stolen unavailable unknown`);

const BIZ_TRANSACTION_TYPES = words(
  'bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt',
);

const SOURCE_DEST_TYPES = words('owning_party possessing_party location');

const ERROR_REASONS = words('did_not_occur incorrect_data');

const COMPONENTS = words(`
  x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle easting northing
  latitude longitude altitude`);

// The measurement types of EPCIS 2.0 sensor reports (GS1 Web Vocabulary, gs1:MeasurementType), and
// EffectiveDoseRate, which GS1's own sensor examples (SensorDataExample11) and OpenEPCIS use though
// the 2022 context does not list it.
const MEASUREMENT_TYPES = words(`
  AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Altitude AmountOfSubstance
  AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum AngularVelocity Area
  Capacitance Conductance Conductivity Count Density Dimensionless DoseEquivalent
  DoseEquivalentRate DynamicViscosity EffectiveDoseRate ElectricCharge ElectricCurrent
  ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency Illuminance
  Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux
  LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass
  MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy
  MolarMass MolarVolume Power Pressure Radioactivity RadiantFlux RadiantIntensity RelativeHumidity
  Resistance Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension
  Temperature Time Torque Voltage Volume VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber`);

const SENSOR_ALERT_TYPES = words('ALARM_CONDITION ERROR_CONDITION');

export const CBV_WEB = 'https://ref.gs1.org/cbv/';
export const GS1_VOC = 'https://gs1.org/voc/';

interface Spec {
  /** what the messages call it */
  name: string;
  words: ReadonlySet<string>;
  /** the canonical form is `web + word` */
  web: string;
  /** the CBV 1.x URN prefix, where there is one */
  urn?: string;
}

const SPECS: Record<CbvVocabulary, Spec> = {
  bizStep: {
    name: 'business step',
    words: BIZ_STEPS,
    web: `${CBV_WEB}BizStep-`,
    urn: 'urn:epcglobal:cbv:bizstep:',
  },
  disposition: {
    name: 'disposition',
    words: DISPOSITIONS,
    web: `${CBV_WEB}Disp-`,
    urn: 'urn:epcglobal:cbv:disp:',
  },
  bizTransactionType: {
    name: 'business transaction type',
    words: BIZ_TRANSACTION_TYPES,
    web: `${CBV_WEB}BTT-`,
    urn: 'urn:epcglobal:cbv:btt:',
  },
  sourceDestType: {
    name: 'source/destination type',
    words: SOURCE_DEST_TYPES,
    web: `${CBV_WEB}SDT-`,
    urn: 'urn:epcglobal:cbv:sdt:',
  },
  errorReason: {
    name: 'error reason',
    words: ERROR_REASONS,
    web: `${CBV_WEB}ER-`,
    urn: 'urn:epcglobal:cbv:er:',
  },
  component: { name: 'sensor component', words: COMPONENTS, web: `${CBV_WEB}Comp-` },
  measurementType: { name: 'measurement type', words: MEASUREMENT_TYPES, web: GS1_VOC },
  sensorAlertType: { name: 'sensor alert type', words: SENSOR_ALERT_TYPES, web: GS1_VOC },
};

/** The CBV URN vocabularies and their Web URI prefixes (the event hash rewrites any of them). */
export const CBV_URN_TO_WEB: readonly (readonly [string, string])[] = Object.values(SPECS)
  .filter((s) => s.urn)
  .map((s) => [s.urn!, s.web] as const);

const CBV_WEB_TERM = /^https?:\/\/ref\.gs1\.org\/cbv\/(BizStep|Disp|BTT|SDT|ER|Comp)-(.*)$/;
const GS1_VOC_TERM = /^https?:\/\/(?:www\.)?gs1\.org\/voc\/(.*)$/;
const OLD_CBV_NAMESPACE = /^https?:\/\/ns\.gs1\.org\/cbv\//;
const WEB_PREFIX_OF: Record<string, CbvVocabulary> = {
  BizStep: 'bizStep',
  Disp: 'disposition',
  BTT: 'bizTransactionType',
  SDT: 'sourceDestType',
  ER: 'errorReason',
  Comp: 'component',
};

export type VocabularyResult = { ok: true; canonical: string } | { ok: false; message: string };

/**
 * The canonical URI of a vocabulary value, or why it is not one. `prefixes` expands CURIEs
 * (`cbv:Disp-in_transit`, `example:myStep`); without it only the standard prefixes are known.
 */
export function classifyVocabularyValue(
  vocabulary: CbvVocabulary,
  value: unknown,
  prefixes?: Prefixes,
): VocabularyResult {
  const spec = SPECS[vocabulary];
  if (typeof value !== 'string' || value.length === 0) {
    return { ok: false, message: `a ${spec.name} must be a non-empty string` };
  }
  if (!value.includes(':')) {
    if (spec.words.has(value)) return { ok: true, canonical: spec.web + value };
    return {
      ok: false,
      message: `'${value}' is not a CBV ${spec.name} (a value of a private vocabulary must be a URI)`,
    };
  }
  const expanded = expandCurie(value, prefixes);
  const notInVocabulary = { ok: false as const, message: `'${value}' is not a CBV ${spec.name}` };
  if (expanded.startsWith('urn:epcglobal:cbv:')) {
    if (spec.urn && expanded.startsWith(spec.urn) && spec.words.has(expanded.slice(spec.urn.length))) {
      return { ok: true, canonical: spec.web + expanded.slice(spec.urn.length) };
    }
    return notInVocabulary;
  }
  if (OLD_CBV_NAMESPACE.test(expanded)) {
    return { ok: false, message: `'${value}' uses a retired CBV namespace: write ${spec.web}…` };
  }
  const cbv = CBV_WEB_TERM.exec(expanded);
  if (cbv) {
    if (WEB_PREFIX_OF[cbv[1]!] === vocabulary && spec.words.has(cbv[2]!)) {
      return { ok: true, canonical: spec.web + cbv[2]! };
    }
    return notInVocabulary;
  }
  if (spec.web === GS1_VOC) {
    const voc = GS1_VOC_TERM.exec(expanded);
    if (voc) return spec.words.has(voc[1]!) ? { ok: true, canonical: GS1_VOC + voc[1]! } : notInVocabulary;
  }
  if (!isAbsoluteUri(expanded)) {
    return { ok: false, message: `'${value}' is neither a CBV ${spec.name} nor a URI` };
  }
  return { ok: true, canonical: expanded };
}

/** The canonical URI of a vocabulary value, or null when it is not a valid one. */
export function canonicalCbvValue(
  vocabulary: CbvVocabulary,
  value: string,
  prefixes?: Prefixes,
): string | null {
  const result = classifyVocabularyValue(vocabulary, value, prefixes);
  return result.ok ? result.canonical : null;
}

/** The same, under the name the query service uses. */
export const canonicalVocabulary = canonicalCbvValue;

/** Whether a bare word is a term of the vocabulary (`in_transit` is a disposition). */
export function isCbvWord(vocabulary: CbvVocabulary, word: string): boolean {
  return SPECS[vocabulary].words.has(word);
}
