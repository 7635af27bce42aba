/** What the products module's routes share. */
import type { FastifyRequest } from 'fastify';
import { formFailure as platformFormFailure } from '../../platform/http/form-body.ts';
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

/** A domain error shown on the form it came from; a missing record or sign-in goes to its own page. */
export const formFailure = (request: FastifyRequest, error: unknown, values: Record<string, string>) =>
  platformFormFailure(request, error, values, ['not_found', 'unauthenticated']);

/** Star marks as text ("★★★★"). */
export const starsText = (stars: number | null) => (stars ? '★'.repeat(stars) : '');
