/**
 * Documents: evidence files of a dossier and a product's images. The bytes are sniffed (never
 * trusted from the name or the browser), stored once by their SHA-256 under the data directory,
 * and described in products.document. A replacement keeps the old version, linked.
 */
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import {
  type FileStore,
  isExecutable,
  makeThumbnail,
  sniffMediaType,
  stripImageMetadata,
} from '../../platform/files/index.ts';
import { registryPolicy } from '../producers/index.ts';
import {
  type DocumentRow,
  findCurrentDocuments,
  findDocument,
  findHistory,
  insertDocument,
  supersedeDocument,
} from './documents.queries.ts';
import { DOCUMENT_KINDS, PRODUCT_DOCUMENT_KINDS } from './dossier-checklist.ts';
import { lockDossier } from './dossiers.queries.ts';
import { type DossiersService, mayAttachNow } from './dossiers.service.ts';
import { documentNotFound, dossierNotEditable, forbidden, invalid, uploadRefused } from './errors.ts';
import { findProduct } from './products.queries.ts';
import { placeOfProduct } from './products.service.ts';

export interface DocumentInfo {
  id: string;
  productId: string;
  dossierId: string | null;
  kind: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  hasThumbnail: boolean;
  uploadedAt: string;
  replacesId: string | null;
  supersededAt: string | null;
}

export function presentDocument(row: DocumentRow): DocumentInfo {
  return {
    id: row.id,
    productId: row.product_id,
    dossierId: row.dossier_id,
    kind: row.kind,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: Number(row.size),
    sha256: row.sha256,
    hasThumbnail: row.thumbnail_sha256 !== null,
    uploadedAt: row.uploaded_at.toISOString(),
    replacesId: row.replaces_id,
    supersededAt: row.superseded_at?.toISOString() ?? null,
  };
}

/** A file name safe to keep and to send back in Content-Disposition. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\p{Cc}"<>|:*?]/gu, '')
    .trim();
  return (cleaned || 'tep-dinh-kem').slice(0, 255);
}

export interface Upload {
  productId: string;
  dossierId: string | null;
  kind: string;
  fileName: string;
  bytes: Buffer;
  /** The current document this one replaces (same product, dossier and kind). */
  replacesId?: string | null | undefined;
}

export function createDocumentsService(
  db: Kysely<DB>,
  deps: { store: FileStore; dossiers: DossiersService },
) {
  /** The document and whether the principal may read it (the public: images of recognised products). */
  async function readable(principal: Principal | null, id: string): Promise<DocumentRow> {
    return (await access(principal, id)).row;
  }

  /** The document, and whether the principal reads it as the registry (true) or as the public. */
  async function access(
    principal: Principal | null,
    id: string,
  ): Promise<{ row: DocumentRow; registry: boolean }> {
    const row = await findDocument(db, id);
    const product = row && (await findProduct(db, row.product_id));
    if (!row || !product) throw documentNotFound();
    const publicImage =
      row.dossier_id === null && product.stars !== null && product.status === 'active' && !row.superseded_at;
    const registry = registryPolicy(principal, 'read', placeOfProduct(product));
    const council =
      !registry && row.dossier_id !== null && (await deps.dossiers.readsAsCouncil(principal, row.dossier_id));
    if (!publicImage && !registry && !council) throw documentNotFound();
    return { row, registry };
  }

  return {
    async upload(context: AuditContext, principal: Principal | null, upload: Upload): Promise<DocumentInfo> {
      const product = await findProduct(db, upload.productId);
      if (!product || !registryPolicy(principal, 'read', placeOfProduct(product))) {
        throw invalid([{ in: 'body', name: 'productId', rule: 'unknownProduct' }]);
      }
      if (upload.dossierId) {
        if (!(DOCUMENT_KINDS as readonly string[]).includes(upload.kind))
          throw invalid([
            { in: 'body', name: 'kind', rule: 'enum', params: { allowed: DOCUMENT_KINDS.join(', ') } },
          ]);
        const dossier = await deps.dossiers.mayAttach(principal, upload.dossierId, upload.kind);
        if (dossier.product_id !== product.id)
          throw invalid([{ in: 'body', name: 'dossierId', rule: 'mismatch' }]);
      } else {
        if (!(PRODUCT_DOCUMENT_KINDS as readonly string[]).includes(upload.kind))
          throw invalid([
            {
              in: 'body',
              name: 'kind',
              rule: 'enum',
              params: { allowed: PRODUCT_DOCUMENT_KINDS.join(', ') },
            },
          ]);
        if (!registryPolicy(principal, 'update', placeOfProduct(product))) throw forbidden();
      }
      if (upload.bytes.length === 0) throw uploadRefused('upload_empty');
      const mediaType = sniffMediaType(upload.bytes);
      if (!mediaType)
        throw uploadRefused(isExecutable(upload.bytes) ? 'upload_executable' : 'upload_type_not_allowed');
      const image = mediaType === 'image/jpeg' || mediaType === 'image/png';
      if (upload.kind === 'product_image' && !image) throw uploadRefused('upload_image_required');
      // thumbnails first: an image that cannot be decoded is refused before anything is kept
      const thumbnail = image ? await makeThumbnail(upload.bytes) : null;
      // a product image is published: without the EXIF (GPS position…) of the phone that took it
      const bytes = upload.kind === 'product_image' ? await stripImageMetadata(upload.bytes) : upload.bytes;
      const stored = await deps.store.put(bytes);
      const thumb = thumbnail ? await deps.store.put(thumbnail.bytes) : null;
      return db.transaction().execute(async (trx) => {
        if (upload.dossierId) {
          // again under the row lock: a submit that happened meanwhile closes the dossier to files
          const dossier = await lockDossier(trx, upload.dossierId);
          if (!dossier || !mayAttachNow(principal, dossier, upload.kind)) throw dossierNotEditable();
        }
        if (upload.replacesId) {
          const old = await findDocument(trx, upload.replacesId);
          if (
            !old ||
            old.product_id !== product.id ||
            old.dossier_id !== upload.dossierId ||
            old.kind !== upload.kind
          ) {
            throw invalid([{ in: 'body', name: 'replacesId', rule: 'mismatch' }]);
          }
          if (!(await supersedeDocument(trx, old.id)))
            throw invalid([{ in: 'body', name: 'replacesId', rule: 'superseded' }]);
        }
        const row = await insertDocument(trx, {
          product_id: product.id,
          dossier_id: upload.dossierId,
          kind: upload.kind,
          sha256: stored.sha256,
          size: stored.size,
          media_type: mediaType,
          file_name: cleanFileName(upload.fileName),
          thumbnail_sha256: thumb?.sha256 ?? null,
          uploaded_by: principal?.userId ?? null,
          replaces_id: upload.replacesId ?? null,
        });
        await audit(trx, context, {
          action: upload.replacesId ? 'document.replace' : 'document.upload',
          entityType: 'document',
          entityId: row.id,
          after: presentDocument(row) as unknown as Record<string, unknown>,
        });
        return presentDocument(row);
      });
    },

    async list(principal: Principal | null, owner: { productId: string; dossierId: string | null }) {
      const product = await findProduct(db, owner.productId);
      if (!product) return [];
      const publicImages = owner.dossierId === null && product.stars !== null && product.status === 'active';
      const readable =
        publicImages ||
        registryPolicy(principal, 'read', placeOfProduct(product)) ||
        (owner.dossierId !== null && (await deps.dossiers.readsAsCouncil(principal, owner.dossierId)));
      if (!readable) return [];
      return (await findCurrentDocuments(db, owner)).map(presentDocument);
    },

    async get(principal: Principal | null, id: string): Promise<DocumentInfo> {
      return presentDocument(await readable(principal, id));
    },

    /** The bytes to send: the file itself or its thumbnail. */
    async open(principal: Principal | null, id: string, variant: 'file' | 'thumbnail') {
      const row = await readable(principal, id);
      const sha = variant === 'thumbnail' ? row.thumbnail_sha256 : row.sha256;
      if (!sha) throw documentNotFound();
      return {
        document: presentDocument(row),
        stream: deps.store.createReadStream(sha),
        mediaType: variant === 'thumbnail' ? 'image/webp' : row.media_type,
        size: variant === 'thumbnail' ? undefined : Number(row.size),
      };
    },

    async history(principal: Principal | null, id: string): Promise<DocumentInfo[]> {
      const { row, registry } = await access(principal, id);
      // the public sees the published image, not the versions it replaced
      if (!registry) return [presentDocument(row)];
      return (await findHistory(db, id)).map(presentDocument);
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;
