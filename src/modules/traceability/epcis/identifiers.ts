/**
 * Identifiers in EPCIS events (EPCs, EPC classes, parent IDs, locations, parties): URIs; GS1 ones
 * (EPC URNs, GS1 Digital Link URIs) are checked and put in canonical form by platform/gs1. A URI
 * that is not a GS1 identifier is kept as written.
 */
import { canonicalEpc, checkEpcIdentifier } from '../../../platform/gs1/index.ts';
import { isAbsoluteUri } from './jsonld.ts';

// A capture checks, hashes and indexes each identifier: the GS1 parsing is done once per
// identifier (one resolve gives both the check and the canonical form), in a bounded memo keyed by
// the identifier as written.
interface Examined {
  problem: string | null;
  canonical: string | null;
  hashForm?: string | null;
}
const memo = new Map<string, Examined>();
function examine(value: string): Examined {
  const known = memo.get(value);
  if (known !== undefined) return known;
  if (memo.size >= 50_000) memo.clear();
  const canonical = canonicalEpc(value);
  const examined: Examined = {
    canonical,
    problem: canonical === null ? (checkEpcIdentifier(value)?.problem ?? 'not a valid GS1 identifier') : null,
  };
  memo.set(value, examined);
  return examined;
}

/** Why the value is not an acceptable identifier, or null. */
export function identifierProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'an identifier must be a non-empty string';
  if (!isAbsoluteUri(value)) return `'${value}' is not a URI`;
  return examine(value).problem;
}

/** The form the repository indexes and queries: canonical when GS1, else as written. */
export function canonicalIdentifier(value: string): string {
  return examine(value).canonical ?? value;
}

// legacy Digital Link forms (convenience alphas, GTIN-13) still name the same object
const LENIENT = { permitConvenienceAlphas: true, permitZeroSuppressedGtin: true } as const;

const CONVENIENCE_ALPHAS: Record<string, string> = {
  gtin: '01',
  itip: '8006',
  cpid: '8010',
  gln: '414',
  party: '417',
  gsrnp: '8017',
  gsrn: '8018',
  gcn: '255',
  sscc: '00',
  gdti: '253',
  ginc: '401',
  gsin: '402',
  grai: '8003',
  giai: '8004',
  cpv: '22',
  lot: '10',
  ser: '21',
};

/** `…/gtin/…/ser/…` → `…/01/…/21/…` in the path of an http(s) URI (Digital Link 1.0 names). */
function withoutConvenienceAlphas(value: string): string {
  if (!/^https?:\/\//i.test(value)) return value;
  const query = value.search(/[?#]/);
  const path = query < 0 ? value : value.slice(0, query);
  const rewritten = path.replace(/\/([a-z]+)(?=\/)/g, (segment, name: string) =>
    CONVENIENCE_ALPHAS[name] ? `/${CONVENIENCE_ALPHAS[name]}` : segment,
  );
  return rewritten + (query < 0 ? '' : value.slice(query));
}

const CANONICAL_DL = /^https:\/\/id\.gs1\.org\/(\d{2,4})\/([^/?#]+)((?:\/\d{2,4}\/[^/?#]+)*)$/;
// the finest key qualifier kept per primary key (CBV 2.0 event hash: only the most fine-granular
// level of identification): a serial or TPX beats a lot; a consumer product variant is dropped
const KEEP_QUALIFIERS: Record<string, readonly string[][]> = {
  '01': [['21'], ['235'], ['10']],
  '8006': [['21'], ['10']],
  '414': [['254']],
  '8010': [['8011']],
};

/**
 * The identifier as the CBV event hash writes it: a GS1 identifier as a canonical GS1 Digital
 * Link URI on id.gs1.org reduced to its finest level (01/…/21/… rather than 01/…/10/…/21/…, no
 * CPV, no query string); null when it is not a GS1 identifier.
 */
export function hashFormOfIdentifier(value: string): string | null {
  const examined = examine(value);
  if (examined.hashForm === undefined) examined.hashForm = hashFormOf(value, examined);
  return examined.hashForm;
}

function hashFormOf(value: string, examined: Examined): string | null {
  const strict = examined.canonical;
  const canonical =
    strict !== null && /^(?:https:\/\/id\.gs1\.org\/|urn:epc:)/.test(strict)
      ? strict
      : canonicalEpc(withoutConvenienceAlphas(value), LENIENT);
  if (canonical === null) return null;
  const m = CANONICAL_DL.exec(canonical.split('?')[0]!);
  if (!m) return canonical;
  const [, key, keyValue, rest = ''] = m;
  const qualifiers = new Map<string, string>();
  const parts = rest.split('/').slice(1);
  for (let i = 0; i + 1 < parts.length; i += 2) qualifiers.set(parts[i]!, parts[i + 1]!);
  let out = `https://id.gs1.org/${key}/${keyValue}`;
  for (const choice of KEEP_QUALIFIERS[key!] ?? []) {
    if (choice.every((q) => qualifiers.has(q))) {
      out += choice.map((q) => `/${q}/${qualifiers.get(q)}`).join('');
      break;
    }
  }
  // the reference writes ' ; = of a serial as they are (sub-delimiters, allowed in a path)
  return out.replace(/%27|%3B|%3D/g, (code) => decodeURIComponent(code));
}
