/** The only code that touches the rounds' tables (evaluation.round, council_member, …). */
import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type {
  DB,
  EvaluationConflictDeclaration,
  EvaluationCouncilMember,
  EvaluationRound,
  EvaluationRoundDossier,
  EvaluationScoreSheet,
} from '../../platform/db/schema.ts';

export type RoundRow = Selectable<EvaluationRound>;
export type MemberRow = Selectable<EvaluationCouncilMember>;
export type RoundDossierRow = Selectable<EvaluationRoundDossier>;
export type ConflictRow = Selectable<EvaluationConflictDeclaration>;
export type SheetRow = Selectable<EvaluationScoreSheet>;

export function findRound(db: Kysely<DB>, id: string): Promise<RoundRow | undefined> {
  return db.selectFrom('evaluation.round').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockRound(db: Kysely<DB>, id: string): Promise<RoundRow | undefined> {
  return db.selectFrom('evaluation.round').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listRounds(
  db: Kysely<DB>,
  filter: { provinceCode?: string; userId?: string; status?: string; year?: number },
): Promise<RoundRow[]> {
  let query = db.selectFrom('evaluation.round').selectAll();
  if (filter.provinceCode) query = query.where('province_code', '=', filter.provinceCode);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.year) query = query.where('year', '=', filter.year);
  if (filter.userId) {
    const userId = filter.userId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('evaluation.council_member as m')
          .select('m.id')
          .whereRef('m.round_id', '=', 'evaluation.round.id')
          .where('m.user_id', '=', userId),
      ),
    );
  }
  return query.orderBy('year', 'desc').orderBy('number', 'desc').orderBy('level').limit(500).execute();
}

export function insertRound(
  db: Kysely<DB>,
  row: Omit<RoundRow, 'id' | 'created_at' | 'updated_at' | 'version' | 'status' | 'decided_at'>,
): Promise<RoundRow> {
  return db.insertInto('evaluation.round').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateRound(
  db: Kysely<DB>,
  id: string,
  changes: Updateable<EvaluationRound>,
): Promise<RoundRow> {
  return db
    .updateTable('evaluation.round')
    .set({ ...changes, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findMembers(db: Kysely<DB>, roundId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('evaluation.council_member')
    .selectAll()
    .where('round_id', '=', roundId)
    .orderBy(sql`array_position(array['chair','vice_chair','secretary','member','advisor']::text[], role)`)
    .orderBy('created_at')
    .execute();
}

export function insertMember(
  db: Kysely<DB>,
  row: Omit<MemberRow, 'id' | 'created_at' | 'present'>,
): Promise<MemberRow> {
  return db.insertInto('evaluation.council_member').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function deleteMember(db: Kysely<DB>, roundId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('evaluation.council_member')
    .where('round_id', '=', roundId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function setPresent(db: Kysely<DB>, id: string, present: boolean): Promise<MemberRow> {
  return db
    .updateTable('evaluation.council_member')
    .set({ present })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findRoundDossiers(db: Kysely<DB>, roundId: string): Promise<RoundDossierRow[]> {
  return db
    .selectFrom('evaluation.round_dossier')
    .selectAll()
    .where('round_id', '=', roundId)
    .orderBy('position')
    .execute();
}

export function findRoundDossier(
  db: Kysely<DB>,
  roundId: string,
  id: string,
): Promise<RoundDossierRow | undefined> {
  return db
    .selectFrom('evaluation.round_dossier')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The dossier's places in rounds that are not cancelled, latest first. */
export function findPlacesOfDossier(
  db: Kysely<DB>,
  dossierId: string,
): Promise<(RoundDossierRow & { level: string; round_status: string })[]> {
  return db
    .selectFrom('evaluation.round_dossier as rd')
    .innerJoin('evaluation.round as r', 'r.id', 'rd.round_id')
    .selectAll('rd')
    .select(['r.level', 'r.status as round_status'])
    .where('rd.dossier_id', '=', dossierId)
    .where('r.status', '<>', 'cancelled')
    .orderBy('rd.created_at', 'desc')
    .execute();
}

/** The latest final result of a product in a decided round (the evaluation a re-evaluation revisits). */
export function findPreviousResult(
  db: Kysely<DB>,
  productId: string,
  beforeRoundId: string,
): Promise<RoundDossierRow | undefined> {
  return db
    .selectFrom('evaluation.round_dossier as rd')
    .innerJoin('evaluation.round as r', 'r.id', 'rd.round_id')
    .selectAll('rd')
    .where('rd.product_id', '=', productId)
    .where('rd.round_id', '<>', beforeRoundId)
    .where('r.status', '=', 'decided')
    .where('rd.finalised_at', 'is not', null)
    .orderBy('r.decision_date', 'desc')
    .executeTakeFirst();
}

export function insertRoundDossier(
  db: Kysely<DB>,
  row: Omit<
    RoundDossierRow,
    | 'id'
    | 'created_at'
    | 'attempt'
    | 'meeting_held'
    | 'spread_reason'
    | 'spread_accepted_by'
    | 'spread_sheets'
    | 'result'
    | 'stars'
    | 'outcome'
    | 'finalised_at'
    | 'finalised_by'
  >,
): Promise<RoundDossierRow> {
  return db.insertInto('evaluation.round_dossier').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateRoundDossier(
  db: Kysely<DB>,
  id: string,
  changes: Updateable<EvaluationRoundDossier>,
): Promise<RoundDossierRow> {
  return db
    .updateTable('evaluation.round_dossier')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteRoundDossier(db: Kysely<DB>, roundId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('evaluation.round_dossier')
    .where('round_id', '=', roundId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function findConflicts(db: Kysely<DB>, roundDossierIds: string[]): Promise<ConflictRow[]> {
  if (roundDossierIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('evaluation.conflict_declaration')
    .selectAll()
    .where('round_dossier_id', 'in', roundDossierIds)
    .execute();
}

export function upsertConflict(
  db: Kysely<DB>,
  row: { round_dossier_id: string; member_id: string; conflicted: boolean; reason: string | null },
): Promise<ConflictRow> {
  return db
    .insertInto('evaluation.conflict_declaration')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['round_dossier_id', 'member_id']).doUpdateSet({
        conflicted: row.conflicted,
        reason: row.reason,
        declared_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The sheets of the given products (every attempt); callers pick the attempt they need. */
export function findSheets(db: Kysely<DB>, roundDossierIds: string[]): Promise<SheetRow[]> {
  if (roundDossierIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('evaluation.score_sheet')
    .selectAll()
    .where('round_dossier_id', 'in', roundDossierIds)
    .orderBy('saved_at')
    .execute();
}

/** The sheet a save with this key went to, if the member made one (a resend). */
export function findSheetByKey(
  db: Kysely<DB>,
  memberId: string,
  idempotencyKey: string,
): Promise<SheetRow | undefined> {
  return db
    .selectFrom('evaluation.sheet_save as k')
    .innerJoin('evaluation.score_sheet as s', 's.id', 'k.sheet_id')
    .selectAll('s')
    .where('k.member_id', '=', memberId)
    .where('k.idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}

export async function insertSheetSave(
  db: Kysely<DB>,
  row: { member_id: string; idempotency_key: string; sheet_id: string },
): Promise<void> {
  await db.insertInto('evaluation.sheet_save').values(row).execute();
}

export function lockSheet(
  db: Kysely<DB>,
  key: { round_dossier_id: string; member_id: string; attempt: number },
): Promise<SheetRow | undefined> {
  return db
    .selectFrom('evaluation.score_sheet')
    .selectAll()
    .where('round_dossier_id', '=', key.round_dossier_id)
    .where('member_id', '=', key.member_id)
    .where('attempt', '=', key.attempt)
    .forUpdate()
    .executeTakeFirst();
}

export function insertSheet(db: Kysely<DB>, row: Omit<SheetRow, 'id' | 'saved_at'>): Promise<SheetRow> {
  return db.insertInto('evaluation.score_sheet').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateSheet(
  db: Kysely<DB>,
  id: string,
  changes: Updateable<EvaluationScoreSheet>,
): Promise<SheetRow> {
  return db
    .updateTable('evaluation.score_sheet')
    .set({ ...changes, saved_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Whether the user sits on a council of a round (not cancelled) that has the dossier. */
export async function sitsOnCouncilOf(db: Kysely<DB>, userId: string, dossierId: string): Promise<boolean> {
  const row = await db
    .selectFrom('evaluation.round_dossier as rd')
    .innerJoin('evaluation.council_member as m', 'm.round_id', 'rd.round_id')
    .innerJoin('evaluation.round as r', 'r.id', 'rd.round_id')
    .select('rd.id')
    .where('rd.dossier_id', '=', dossierId)
    .where('m.user_id', '=', userId)
    .where('r.status', '<>', 'cancelled')
    .executeTakeFirst();
  return row !== undefined;
}

/** Every submitted sheet of the final attempt of products in the province's rounds, for analytics. */
export function findFinalSheets(db: Kysely<DB>, provinceCode: string) {
  let query = db
    .selectFrom('evaluation.score_sheet as s')
    .innerJoin('evaluation.round_dossier as rd', (join) =>
      join.onRef('rd.id', '=', 's.round_dossier_id').onRef('rd.attempt', '=', 's.attempt'),
    )
    .innerJoin('evaluation.round as r', 'r.id', 'rd.round_id')
    .innerJoin('evaluation.council_member as m', 'm.id', 's.member_id')
    .select([
      'r.id as round_id',
      'r.name as round_name',
      'rd.id as round_dossier_id',
      'rd.product_set',
      'r.criteria_version',
      'm.user_id',
      'm.full_name',
      's.choices',
      's.total',
    ])
    .where('s.status', '=', 'submitted')
    .where('rd.finalised_at', 'is not', null);
  query = query.where('r.province_code', '=', provinceCode);
  return query.orderBy('r.created_at').limit(200_000).execute();
}

/** Which of the dossiers already have a place in a round that is not cancelled. */
export async function findDossiersInRounds(db: Kysely<DB>, dossierIds: string[]): Promise<Set<string>> {
  if (dossierIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('evaluation.round_dossier as rd')
    .innerJoin('evaluation.round as r', 'r.id', 'rd.round_id')
    .select('rd.dossier_id')
    .where('rd.dossier_id', 'in', dossierIds)
    .where('r.status', '<>', 'cancelled')
    .execute();
  return new Set(rows.map((r) => r.dossier_id));
}

/** 5★ candidates of the province's rounds that no central round has taken yet. */
export function findCentralCandidates(db: Kysely<DB>, provinceCode: string, roundId: string) {
  return (
    db
      .selectFrom('evaluation.round_dossier as rd')
      .innerJoin('evaluation.round as r', 'r.id', 'rd.round_id')
      .select(['rd.dossier_id', 'rd.product_name', 'rd.producer_name', 'rd.kind'])
      .where('r.province_code', '=', provinceCode)
      .where('r.level', '=', 'province')
      // only once the province has decided: a proposed result may still be re-scored
      .where('r.status', '=', 'decided')
      .where('rd.outcome', '=', 'forward_central')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('evaluation.round_dossier as c')
              .innerJoin('evaluation.round as cr', 'cr.id', 'c.round_id')
              .select('c.id')
              .whereRef('c.dossier_id', '=', 'rd.dossier_id')
              .where('cr.level', '=', 'central')
              .where('cr.status', '<>', 'cancelled')
              .where('c.round_id', '<>', roundId),
          ),
        ),
      )
      .orderBy('rd.product_name')
      .execute()
  );
}
