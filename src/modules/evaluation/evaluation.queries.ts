/** The only code that touches the evaluation schema. */
import type { Kysely, Selectable } from 'kysely';
import type { DB, EvaluationCriteriaVersion } from '../../platform/db/schema.ts';

export type CriteriaVersionRow = Selectable<EvaluationCriteriaVersion>;

export async function findImportedVersions(db: Kysely<DB>): Promise<CriteriaVersionRow[]> {
  return db.selectFrom('evaluation.criteria_version').selectAll().orderBy('imported_at').execute();
}

export async function insertVersion(
  db: Kysely<DB>,
  row: { slug: string; title: string; content: string; sha256: string; imported_by: string | null },
): Promise<void> {
  await db.insertInto('evaluation.criteria_version').values(row).execute();
}
