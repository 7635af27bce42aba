/** The problem collector the event rules write to, with the checks every field uses. */
import { isDateTime } from './datetime.ts';
import { identifierProblem } from './identifiers.ts';
import {
  expandCurie,
  extensionKeyProblem,
  isAbsoluteUri,
  isObject,
  type JsonObject,
  type JsonValue,
  type Prefixes,
  type Problem,
  pointer,
} from './jsonld.ts';
import { type CbvVocabulary, classifyVocabularyValue } from './vocabulary.ts';

const UOM = /^[A-Z0-9]{2,3}$/;
const MAX_EXTENSION_DEPTH = 32;

export function asList(value: JsonValue | undefined): JsonValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export class Checker {
  readonly problems: Problem[] = [];
  constructor(readonly prefixes: Prefixes) {}

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  uri(value: JsonValue | undefined, path: string, what: string): void {
    if (!isAbsoluteUri(value)) this.add(path, `${what} must be a URI`);
  }

  identifier(value: JsonValue | undefined, path: string): void {
    const problem = identifierProblem(typeof value === 'string' ? expandCurie(value, this.prefixes) : value);
    if (problem) this.add(path, problem);
  }

  dateTime(value: JsonValue | undefined, path: string, what: string): void {
    if (!isDateTime(value)) {
      this.add(
        path,
        `${what} must be an RFC 3339 date-time with a time zone (2026-05-22T08:30:00.000+07:00)`,
      );
    }
  }

  vocabulary(vocabulary: CbvVocabulary, value: JsonValue | undefined, path: string): void {
    const result = classifyVocabularyValue(vocabulary, value, this.prefixes);
    if (!result.ok) this.add(path, result.message);
  }

  number(value: JsonValue | undefined, path: string, what: string): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.add(path, `${what} must be a number`);
  }

  uom(value: JsonValue | undefined, path: string): void {
    if (typeof value !== 'string' || !UOM.test(value)) {
      this.add(
        path,
        'uom must be a UN/CEFACT Recommendation 20 unit code (2 or 3 capitals or digits: KGM, CEL)',
      );
    }
  }

  object(value: JsonValue | undefined, path: string, what: string): value is JsonObject {
    if (isObject(value)) return true;
    this.add(path, `${what} must be an object`);
    return false;
  }

  /** A list field: each element checked; `min` elements at least; duplicates refused when `unique`. */
  list(
    value: JsonValue | undefined,
    path: string,
    each: (item: JsonValue, at: string) => void,
    options: { min?: number; unique?: boolean } = {},
  ): void {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') {
      this.add(path, 'must be a list');
      return;
    }
    const items = asList(value);
    if (items.length < (options.min ?? 0)) this.add(path, `must have at least ${options.min} element(s)`);
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const at = Array.isArray(value) ? pointer(path, i) : path;
      each(item, at);
      if (options.unique && typeof item === 'string') {
        if (seen.has(item)) this.add(at, `'${item}' is listed twice`);
        seen.add(item);
      }
    });
  }

  /** Keys beyond `known` must be extensions; their values are free but not too deep. */
  extensions(object: JsonObject, known: ReadonlySet<string> | readonly string[], path: string): void {
    const isKnown = (key: string) =>
      Array.isArray(known) ? known.includes(key) : (known as Set<string>).has(key);
    for (const [key, value] of Object.entries(object)) {
      if (isKnown(key)) continue;
      const problem = extensionKeyProblem(key, this.prefixes);
      if (problem) this.add(pointer(path, key), problem);
      else if (depth(value) > MAX_EXTENSION_DEPTH)
        this.add(pointer(path, key), 'this extension is nested too deeply');
    }
  }
}

function depth(value: JsonValue, level = 0): number {
  if (level > MAX_EXTENSION_DEPTH) return level;
  if (Array.isArray(value)) return Math.max(level, ...value.map((v) => depth(v, level + 1)));
  if (isObject(value)) return Math.max(level, ...Object.values(value).map((v) => depth(v, level + 1)));
  return level;
}
