/**
 * Reading HTML form posts (application/x-www-form-urlencoded or multipart fields) into typed
 * inputs. Repeated rows use names like `salesChannels/0/kind`: the same JSON-pointer-like names
 * the services use for field errors, so an error finds its field.
 */
import type { FastifyRequest } from 'fastify';
import { DomainError, type ErrorKind, type FieldError } from '../errors.ts';
import type { FormState } from '../views/form.tsx';
import { STATUS_OF_KIND } from './problem.ts';

export type FormBody = Record<string, unknown>;

export const text = (body: FormBody, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : Array.isArray(value) ? String(value[0] ?? '').trim() : '';
};

/** The string values of every field, to show the form again as typed. */
export function valuesOf(body: FormBody): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '_csrf') continue;
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** The rows of a repeated group (`prefix/<i>/<field>`), blank rows dropped, in index order. */
export function rowsOf(body: FormBody, prefix: string): Record<string, string>[] {
  const rows = new Map<number, Record<string, string>>();
  const pattern = new RegExp(`^${prefix}/(\\d{1,3})/(.+)$`);
  for (const [key, value] of Object.entries(body)) {
    const match = pattern.exec(key);
    if (!match || typeof value !== 'string') continue;
    const index = Number(match[1]);
    const row = rows.get(index) ?? {};
    row[match[2]!] = value.trim();
    rows.set(index, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row)
    .filter((row) => Object.values(row).some((v) => v !== ''));
}

/** Collects field errors while converting strings to typed values. */
export class FormReader {
  readonly errors: FieldError[] = [];
  constructor(readonly body: FormBody) {}

  text(name: string, options: { required?: boolean; max?: number } = {}): string | null {
    const value = text(this.body, name);
    if (!value) {
      if (options.required) this.fail(name, 'required');
      return null;
    }
    if (options.max && value.length > options.max) this.fail(name, 'maxLength', { limit: options.max });
    return value;
  }

  /** A value that must be one of `allowed`. */
  choice<T extends string>(name: string, allowed: readonly T[], required = true): T | null {
    const value = text(this.body, name);
    if (!value) {
      if (required) this.fail(name, 'required');
      return null;
    }
    if (!allowed.includes(value as T)) {
      this.fail(name, 'enum', { allowed: allowed.join(', ') });
      return null;
    }
    return value as T;
  }

  integer(name: string, options: { min?: number; max?: number } = {}): number | null {
    const value = text(this.body, name).replace(/[.\s]/g, '');
    if (!value) return null;
    if (!/^-?\d{1,15}$/.test(value)) {
      this.fail(name, 'integer');
      return null;
    }
    const n = Number(value);
    // the database's integer columns end at 2^31 - 1
    const max = Math.min(options.max ?? 2_147_483_647, 2_147_483_647);
    if (options.min !== undefined && n < options.min) this.fail(name, 'minimum', { limit: options.min });
    if (n > max) this.fail(name, 'maximum', { limit: max });
    return n;
  }

  decimal(name: string): number | null {
    const value = text(this.body, name).replace(',', '.');
    if (!value) return null;
    if (!/^\d{1,9}(\.\d{1,4})?$/.test(value)) {
      this.fail(name, 'decimal');
      return null;
    }
    return Number(value);
  }

  /** A date from an <input type="date"> (YYYY-MM-DD) or typed as dd/mm/yyyy. */
  date(name: string, required = false): string | null {
    const value = text(this.body, name);
    if (!value) {
      if (required) this.fail(name, 'required');
      return null;
    }
    const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    const iso = vn ? `${vn[3]}-${vn[2]!.padStart(2, '0')}-${vn[1]!.padStart(2, '0')}` : value;
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : null;
    if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) {
      this.fail(name, 'date');
      return null;
    }
    return iso;
  }

  flag(name: string): boolean {
    const value = text(this.body, name);
    return value === '1' || value === 'on' || value === 'true';
  }

  fail(name: string, rule: string, params?: Record<string, string | number>) {
    this.errors.push({ in: 'body', name, rule, ...(params ? { params } : {}) });
  }
}

/**
 * A domain error shown again on the form it came from, with the status its kind maps to. Errors
 * that are not about the form (other than a DomainError, or of a kind in `passThrough`) go up to
 * the error page.
 */
export function formFailure(
  request: FastifyRequest,
  error: unknown,
  values: Record<string, string>,
  passThrough: readonly ErrorKind[] = [],
): { status: number; form: FormState } {
  if (!(error instanceof DomainError) || passThrough.includes(error.kind)) throw error;
  return {
    status: STATUS_OF_KIND[error.kind],
    form: { values, errors: error.fields, message: request.t(`errors.${error.code}`, error.params) },
  };
}
