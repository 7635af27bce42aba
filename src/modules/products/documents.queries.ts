/** The only code that touches products.document. */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, ProductsDocument } from '../../platform/db/schema.ts';

export type DocumentRow = Selectable<ProductsDocument>;

export async function insertDocument(
  db: Kysely<DB>,
  values: Omit<DocumentRow, 'id' | 'uploaded_at' | 'superseded_at'>,
): Promise<DocumentRow> {
  return db.insertInto('products.document').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findDocument(db: Kysely<DB>, id: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('products.document').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks a document replaced; false when someone replaced it first. */
export async function supersedeDocument(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db
    .updateTable('products.document')
    .set({ superseded_at: sql`now()` })
    .where('id', '=', id)
    .where('superseded_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Current documents of a dossier, or a product's own (dossier null). */
export async function findCurrentDocuments(
  db: Kysely<DB>,
  owner: { productId: string; dossierId: string | null },
): Promise<DocumentRow[]> {
  let query = db
    .selectFrom('products.document')
    .selectAll()
    .where('product_id', '=', owner.productId)
    .where('superseded_at', 'is', null);
  query = owner.dossierId
    ? query.where('dossier_id', '=', owner.dossierId)
    : query.where('dossier_id', 'is', null);
  return query.orderBy('kind').orderBy('uploaded_at').execute();
}

/** A document and every version it replaced, newest first. */
export async function findHistory(db: Kysely<DB>, id: string): Promise<DocumentRow[]> {
  const result = await sql<DocumentRow>`
    with recursive chain as (
      select d.*, 0 as depth from products.document d where d.id = ${id}
      union all
      select older.*, chain.depth + 1 from products.document older join chain on older.id = chain.replaces_id
    )
    select id, product_id, dossier_id, kind, sha256, size, media_type, file_name, thumbnail_sha256,
           uploaded_by, uploaded_at, replaces_id, superseded_at
      from chain order by depth`.execute(db);
  return result.rows.map((row) => ({
    ...row,
    size: Number(row.size),
    uploaded_at: new Date(row.uploaded_at),
  }));
}
