import type { ErrorKind, FieldError } from '../errors.ts';
import type { Translate } from '../i18n/index.ts';

/** RFC 9457 problem details, with our stable `code` and, for bad input, the fields at fault. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: ProblemField[];
  [extension: string]: unknown;
}

export interface ProblemField {
  in: FieldError['in'];
  name: string;
  rule: string;
  detail: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  method_not_allowed: 405,
  unavailable: 503,
};

export function problemType(code: string): string {
  return `urn:ocop:problem:${code}`;
}

export function buildProblem(input: {
  t: Translate;
  status: number;
  code: string;
  params?: Record<string, string | number>;
  fields?: FieldError[];
  instance?: string;
  requestId?: string;
}): Problem {
  const { t } = input;
  const problem: Problem = {
    type: problemType(input.code),
    title: t(`errors.${input.code}`, input.params),
    status: input.status,
    code: input.code,
  };
  if (input.params && Object.keys(input.params).length > 0) problem.params = input.params;
  if (input.fields && input.fields.length > 0) {
    problem.errors = input.fields.map((field) => ({
      in: field.in,
      name: field.name,
      rule: field.rule,
      detail: t(`validation.${field.rule}`, field.params),
    }));
  }
  if (input.instance) problem.instance = input.instance;
  if (input.requestId) problem.requestId = input.requestId;
  return problem;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

const KNOWN_RULES = new Set([
  'required',
  'type',
  'enum',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'additionalProperties',
  'minItems',
  'maxItems',
]);

/** Fastify/Ajv validation errors → the fields at fault, with a rule we can translate. */
export function fieldsFromValidation(errors: AjvError[], context: string | undefined): FieldError[] {
  const where: FieldError['in'] =
    context === 'querystring'
      ? 'query'
      : context === 'params'
        ? 'params'
        : context === 'headers'
          ? 'headers'
          : 'body';
  const seen = new Set<string>();
  const fields: FieldError[] = [];
  for (const error of errors) {
    let name = error.instancePath.replace(/^\//, '');
    if (error.keyword === 'required') {
      const missing = String(error.params.missingProperty ?? '');
      name = name ? `${name}/${missing}` : missing;
    } else if (error.keyword === 'additionalProperties') {
      const extra = String(error.params.additionalProperty ?? '');
      name = name ? `${name}/${extra}` : extra;
    }
    const rule = KNOWN_RULES.has(error.keyword) ? error.keyword : 'invalid';
    const params: Record<string, string | number> = {};
    if (rule === 'enum' && Array.isArray(error.params.allowedValues))
      params.allowed = error.params.allowedValues.join(', ');
    if (rule === 'type') params.type = String(error.params.type);
    if (rule === 'format') params.format = String(error.params.format);
    if (['minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'].includes(rule)) {
      params.limit = Number(error.params.limit);
    }
    const key = `${where}:${name}:${rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push({ in: where, name: name || '(root)', rule, params });
  }
  return fields;
}
