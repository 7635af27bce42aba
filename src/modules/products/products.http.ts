/** What the products module's routes share. */
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/errors.ts';
import { STATUS_OF_KIND } from '../../platform/http/problem.ts';
import type { FormState } from '../../platform/views/form.tsx';
import type { AdminUnitsService } from '../admin-units/index.ts';
import type { ProducersService } from '../producers/index.ts';
import type { DocumentsService } from './documents.service.ts';
import type { DossiersService } from './dossiers.service.ts';
import type { ImportsService } from './imports.service.ts';
import type { ProductsService } from './products.service.ts';

export const PRODUCT_TAGS = ['products'];
export const DOSSIER_TAGS = ['dossiers'];

export interface ProductsRouteDeps {
  products: ProductsService;
  dossiers: DossiersService;
  documents: DocumentsService;
  imports: ImportsService;
  producers: ProducersService;
  adminUnits: AdminUnitsService;
  uploadLimitBytes: number;
}

/** A domain error shown on the form it came from; errors that are not about the form go up. */
export function formFailure(
  request: FastifyRequest,
  error: unknown,
  values: Record<string, string>,
): { status: number; form: FormState } {
  if (!(error instanceof DomainError) || error.kind === 'not_found' || error.kind === 'unauthenticated')
    throw error;
  return {
    status: STATUS_OF_KIND[error.kind],
    form: { values, errors: error.fields, message: request.t(`errors.${error.code}`, error.params) },
  };
}

/** Star marks as text ("★★★★"). */
export const starsText = (stars: number | null) => (stars ? '★'.repeat(stars) : '');
