/**
 * Evaluation rounds: the provincial office convenes a round with its council and the forwarded
 * dossiers; members declare conflicts of interest and score each product on its set's official
 * sheet; the secretary finalises each result (quorum, every sheet in, spread resolved); the round
 * is closed, its results proposed, and the chair's recognition decision recorded and handed on.
 *
 * Who may do what:
 * - the office (province_office of the round's province; admin anywhere) plans the round, its
 *   council and dossiers, and records the decision;
 * - the secretary (the member seated as secretary) runs the session: attendance, finalising,
 *   re-scoring, closing; the office may do the same;
 * - each scoring member declares and scores for themself only; the chair alone accepts a spread;
 * - nobody sees another member's sheet before every expected member has submitted.
 * The lifecycle is round-states.ts; the result rules results.ts; the arithmetic scoring.ts.
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth.ts';
import type { DB } from '../../platform/db/schema.ts';
import { DomainError, type FieldError } from '../../platform/errors.ts';
import { isCalendarDate, todayInVietnam } from '../../platform/time.ts';
import type { DossiersService } from '../products/index.ts';
import {
  criterionDisagreement,
  memberDeviations,
  type ScoredSheet,
  spreadDistribution,
} from './consistency.ts';
import type { CriteriaService } from './criteria.service.ts';
import { type CriteriaForm, pointsOf } from './criteria.ts';
import {
  allSubmitted,
  expectedScorers,
  finaliseProblems,
  type Opinion,
  outcomeOf,
  type Quorum,
  quorumOf,
  reEvaluationCountdown,
  type Seat,
  writtenOpinionsState,
} from './results.ts';
import {
  COUNCIL_ROLES,
  type CouncilRole,
  type MinutesProduct,
  type Outcome,
  ROUND_LEVELS,
  type RoundLevel,
  type RoundMinutes,
} from './round.model.ts';
import { regularSchedule } from './round-schedule.ts';
import {
  ATTENDANCE_STATUSES,
  availableRoundActions,
  decideRound,
  type RoundAction,
  type RoundSide,
  type RoundStatus,
  SCORING_STATUSES,
  SETUP_STATUSES,
} from './round-states.ts';
import * as q from './rounds.queries.ts';
import {
  disqualificationFlags,
  memberTotal,
  type ScoreResult,
  scoreSheets,
  validateSheets,
} from './scoring.ts';

// --- what the service returns ------------------------------------------------------------------

export interface Round {
  id: string;
  level: RoundLevel;
  provinceCode: string;
  year: number;
  number: number;
  name: string;
  status: RoundStatus;
  criteriaVersion: string;
  quorumPercent: number;
  spreadLimit: number;
  filesBy: string;
  closesBy: string;
  scoringDate: string | null;
  location: string | null;
  decision: { number: string; date: string; signer: string } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CouncilMember {
  id: string;
  userId: string;
  role: CouncilRole;
  fullName: string;
  organisation: string;
  email: string;
  phone: string;
  present: boolean;
}

export interface RoundDossier {
  id: string;
  dossierId: string;
  productId: string;
  position: number;
  kind: 'first_evaluation' | 'upgrade' | 're_evaluation';
  productName: string;
  productCode: string | null;
  productSet: number;
  producerName: string;
  completeOn: string;
  mode: 'meeting' | 'written';
  attempt: number;
  /** Member ids expected to score now (present, scoring, not recused). */
  expected: string[];
  /** Member ids whose sheet of this attempt is submitted. */
  submitted: string[];
  /** Member id → declared conflict (true) or not (false); missing: not declared yet. */
  conflicts: Record<string, boolean>;
  /** 'scoring' until every expected sheet is in, then 'ready', then 'final'. */
  state: 'scoring' | 'ready' | 'final';
  /** Shown once every expected sheet is in (computed), or as finalised. */
  result: ScoreResult | null;
  outcome: Outcome | null;
  stars: number | null;
  spreadReason: string | null;
  /** Why it cannot be finalised now (error codes); [] when it can or is final. */
  problems: string[];
  /** Written re-evaluation: the state of the opinions. */
  written: 'waiting' | 'agreed' | 'meeting_required' | null;
  meetingHeld: boolean;
  /** Re-evaluation: the 45-day clock from the complete file. */
  countdown: { deadline: string; daysLeft: number } | null;
}

export interface RoundDetail extends Round {
  quorum: Quorum;
  members: CouncilMember[];
  dossiers: RoundDossier[];
  /** What the caller may do on the round now. */
  actions: RoundAction[];
  sides: RoundSide[];
  /** The caller's seat on the council, if any. */
  seat: CouncilMember | null;
}

export interface ScoreSheetView {
  memberId: string;
  memberName: string;
  attempt: number;
  status: 'draft' | 'submitted';
  choices: Record<string, number>;
  comments: Record<string, string>;
  disqualified: string[];
  opinion: Opinion | null;
  total: number | null;
  sha256: string | null;
  savedAt: string;
  submittedAt: string | null;
}

/** A recognition decided by a round, as the certification module receives it. */
export interface Recognition {
  roundId: string;
  dossierId: string;
  dossierKind: string;
  productId: string;
  stars: number;
  score: number | null;
  level: RoundLevel;
  decision: { number: string; date: string; signer: string };
}
export type RecognitionHook = (
  trx: Transaction<DB>,
  context: AuditContext,
  recognitions: Recognition[],
) => Promise<void>;

/** Whether a product's evaluation ends with this round's decision (its dossier is closed). */
function endsHere(level: RoundLevel, outcome: Outcome | null): boolean {
  if (outcome === 'forward_central') return false;
  if (level === 'central' && outcome === 'recognise') return false;
  return true;
}

/**
 * The stars a decision recognises: 3★–4★ by the province, 5★ by the ministry; nothing for a 5★
 * candidate sent on, nor for a central result below 5★ (the province decides on it separately).
 */
function recognisedStars(level: RoundLevel, outcome: Outcome | null, stars: number | null): number | null {
  if (outcome === 'recognise_5_star') return 5;
  if (outcome === 'recognise' && level === 'province' && stars !== null && stars >= 3) return stars;
  return null;
}

/** Whether the sheets the chair accepted (their sha256) are exactly the sheets counted now. */
function sameSheets(accepted: readonly string[], counted: readonly { sha256: string | null }[]): boolean {
  const now = counted.map((s) => s.sha256 ?? '').sort();
  const then = [...accepted].sort();
  return now.length === then.length && now.every((sha, i) => sha === then[i]);
}

/** A final result as stored: the scoring result and the members it counted, in its order. */
type StoredResult = ScoreResult & { scorers?: string[] };

/** A dossier the office may put in a planned round. */
export interface Candidate {
  dossierId: string;
  productName: string;
  producerName: string;
  kind: 'first_evaluation' | 'upgrade' | 're_evaluation';
}

/** What changed since the evaluation an upgrade or re-evaluation revisits. */
export interface Comparison {
  roundName: string;
  decisionDate: string | null;
  score: number;
  stars: number;
  /** Criteria whose mean points changed (null until this evaluation has a result). */
  changes: { criterion: string; before: number; after: number }[] | null;
}

export interface SheetInput {
  choices: Record<string, number>;
  comments?: Record<string, string>;
  disqualified?: string[];
  opinion?: Opinion | null;
  /** Submit (lock) the sheet; otherwise it is saved as a draft. */
  submit: boolean;
  /** Sent by the browser with each save: a replay (offline queue) changes nothing. */
  idempotencyKey?: string;
}

// --- errors --------------------------------------------------------------------------------------

const roundNotFound = () => new DomainError('round_not_found', 'not_found');
const productNotFound = () => new DomainError('round_dossier_not_found', 'not_found');
const memberNotFound = () => new DomainError('round_member_not_found', 'not_found');
const refused = (code: string, params: Record<string, string | number> = {}) =>
  new DomainError(code, 'conflict', params);
const invalid = (fields: FieldError[]) => new DomainError('validation_failed', 'invalid', {}, fields);
const signInRequired = () => new DomainError('sign_in_required', 'unauthenticated');
const forbidden = () => new DomainError('forbidden', 'forbidden');

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
const isoDay = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString().slice(0, 10)
      : String(value).slice(0, 10);

function presentRound(row: q.RoundRow): Round {
  return {
    id: row.id,
    level: row.level as RoundLevel,
    provinceCode: row.province_code,
    year: row.year,
    number: row.number,
    name: row.name,
    status: row.status as RoundStatus,
    criteriaVersion: row.criteria_version,
    quorumPercent: row.quorum_percent,
    spreadLimit: Number(row.spread_limit),
    filesBy: isoDay(row.files_by)!,
    closesBy: isoDay(row.closes_by)!,
    scoringDate: isoDay(row.scoring_date),
    location: row.location,
    decision:
      row.decision_number && row.decision_date && row.decision_signer
        ? { number: row.decision_number, date: isoDay(row.decision_date)!, signer: row.decision_signer }
        : null,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function presentMember(row: q.MemberRow): CouncilMember {
  return {
    id: row.id,
    userId: row.user_id,
    role: row.role as CouncilRole,
    fullName: row.full_name,
    organisation: row.organisation,
    email: row.email,
    phone: row.phone,
    present: row.present,
  };
}

function presentSheet(row: q.SheetRow, memberName: string): ScoreSheetView {
  return {
    memberId: row.member_id,
    memberName,
    attempt: row.attempt,
    status: row.status as 'draft' | 'submitted',
    choices: json(row.choices),
    comments: json(row.comments),
    disqualified: json(row.disqualified),
    opinion: (row.opinion as Opinion | null) ?? null,
    total: row.total === null ? null : Number(row.total),
    sha256: row.sha256,
    savedAt: row.saved_at.toISOString(),
    submittedAt: row.submitted_at?.toISOString() ?? null,
  };
}

/** The content a submitted sheet's hash covers, in a canonical order. */
export function sheetDigest(sheet: {
  roundDossierId: string;
  memberId: string;
  attempt: number;
  choices: Record<string, number>;
  comments: Record<string, string>;
  disqualified: string[];
  opinion: Opinion | null;
}): string {
  const sorted = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const canonical = JSON.stringify([
    sheet.roundDossierId,
    sheet.memberId,
    sheet.attempt,
    sorted(sheet.choices),
    sorted(sheet.comments),
    [...sheet.disqualified].sort(),
    sheet.opinion,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const MAX_COMMENT = 2000;
const KEY = /^[A-Za-z0-9_-]{8,100}$/;

export function createRoundsService(
  db: Kysely<DB>,
  deps: {
    criteria: CriteriaService;
    dossiers: DossiersService;
    now?: () => Date;
    /** Told of the recognitions a decision makes, in its transaction (certification issues them). */
    onRecognised?: RecognitionHook;
  },
) {
  const today = () => todayInVietnam(deps.now?.() ?? new Date());

  function isOffice(principal: Principal, round: { province_code: string }): boolean {
    return (
      principal.role === 'admin' ||
      (principal.role === 'province_office' && principal.scopeCode === round.province_code)
    );
  }

  interface Access {
    principal: Principal;
    round: q.RoundRow;
    members: q.MemberRow[];
    seat: q.MemberRow | null;
    sides: RoundSide[];
  }

  /** The round as the principal may see it; 404 for whoever neither runs nor sits on it. */
  async function access(principal: Principal | null, id: string, trx: Kysely<DB> = db): Promise<Access> {
    if (!principal) throw signInRequired();
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw roundNotFound();
    const round = await q.findRound(trx, id);
    if (!round) throw roundNotFound();
    const members = await q.findMembers(trx, id);
    const seat = members.find((m) => m.user_id === principal.userId) ?? null;
    const sides: RoundSide[] = [];
    if (isOffice(principal, round)) sides.push('office');
    if (seat?.role === 'secretary') sides.push('secretary');
    if (sides.length === 0 && !seat) throw roundNotFound();
    return { principal, round, members, seat, sides };
  }

  /** Locks the round for a write and checks it is (still) in one of `allowed`. */
  async function lockIn(
    trx: Kysely<DB>,
    id: string,
    allowed: readonly RoundStatus[],
    code: string,
  ): Promise<q.RoundRow> {
    const round = await q.lockRound(trx, id);
    if (!round) throw roundNotFound();
    if (!allowed.includes(round.status as RoundStatus)) throw refused(code, { status: round.status });
    return round;
  }

  const runs = (a: Access) => a.sides.length > 0;
  const requireOffice = (a: Access) => {
    if (!a.sides.includes('office')) throw forbidden();
  };
  const requireRunner = (a: Access) => {
    if (!runs(a)) throw forbidden();
  };
  const requireStatus = (a: Access, allowed: readonly RoundStatus[], code: string) => {
    if (!allowed.includes(a.round.status as RoundStatus)) throw refused(code, { status: a.round.status });
  };

  const seatsOf = (members: q.MemberRow[]): Seat[] =>
    members.map((m) => ({ memberId: m.id, role: m.role as CouncilRole, present: m.present }));

  async function formOf(round: q.RoundRow, set: number): Promise<CriteriaForm> {
    return deps.criteria.form(round.criteria_version, String(set).padStart(2, '0'));
  }

  /** Everything about the round's products, computed from the rows (one pass, no N+1). */
  async function productsOf(round: q.RoundRow, members: q.MemberRow[], trx: Kysely<DB> = db) {
    const rows = await q.findRoundDossiers(trx, round.id);
    const ids = rows.map((r) => r.id);
    const [conflicts, sheets] = await Promise.all([q.findConflicts(trx, ids), q.findSheets(trx, ids)]);
    const seats = seatsOf(members);
    const quorum = quorumOf(seats, round.quorum_percent);
    const products: (RoundDossier & { sheetRows: q.SheetRow[] })[] = [];
    for (const row of rows) {
      const mine = conflicts.filter((c) => c.round_dossier_id === row.id);
      const recused = new Set(mine.filter((c) => c.conflicted).map((c) => c.member_id));
      const stored = row.result ? json<StoredResult>(row.result) : null;
      const current = sheets.filter((s) => s.round_dossier_id === row.id && s.attempt === row.attempt);
      const submittedRows = current.filter((s) => s.status === 'submitted');
      const submitted = new Set(submittedRows.map((s) => s.member_id));
      // a final result keeps the members it counted, whatever the attendance says later
      const expected =
        row.finalised_at && stored?.scorers ? stored.scorers : expectedScorers(seats, recused, submitted);
      // in the order of `expected`, so that the i-th member total is the i-th scorer's
      const counted = expected.flatMap((id) => submittedRows.filter((s) => s.member_id === id));
      const everyone = allSubmitted(expected, submitted);
      let result: ScoreResult | null = stored;
      if (!row.finalised_at && everyone) {
        const form = await formOf(round, row.product_set);
        result = scoreSheets(
          form,
          counted.map((s) => ({ choices: json(s.choices), disqualified: json(s.disqualified) })),
          { spreadLimit: Number(round.spread_limit) },
        );
      }
      const opinions = new Map(
        counted.filter((s) => s.opinion).map((s) => [s.member_id, s.opinion as Opinion] as const),
      );
      const written = row.mode === 'written' ? writtenOpinionsState(expected, opinions) : null;
      const problems = row.finalised_at
        ? []
        : finaliseProblems({
            quorum,
            expected,
            submitted,
            result,
            // the chair accepted the spread of exactly these sheets
            spreadAccepted:
              row.spread_reason !== null &&
              sameSheets(json<string[] | null>(row.spread_sheets) ?? [], counted),
            meetingPending: written === 'meeting_required' && !row.meeting_held,
          });
      products.push({
        id: row.id,
        dossierId: row.dossier_id,
        productId: row.product_id,
        position: row.position,
        kind: row.kind as RoundDossier['kind'],
        productName: row.product_name,
        productCode: row.product_code,
        productSet: row.product_set,
        producerName: row.producer_name,
        completeOn: isoDay(row.complete_on)!,
        mode: row.mode as 'meeting' | 'written',
        attempt: row.attempt,
        expected,
        submitted: [...submitted],
        conflicts: Object.fromEntries(mine.map((c) => [c.member_id, c.conflicted])),
        state: row.finalised_at ? 'final' : everyone ? 'ready' : 'scoring',
        result: row.finalised_at || everyone ? result : null,
        outcome: (row.outcome as Outcome | null) ?? null,
        stars: row.stars,
        spreadReason: row.spread_reason,
        problems,
        written,
        meetingHeld: row.meeting_held,
        // the clock runs until the result is final
        countdown:
          row.kind === 're_evaluation' && !row.finalised_at
            ? reEvaluationCountdown(isoDay(row.complete_on)!, today())
            : null,
        sheetRows: current,
      });
    }
    return { quorum, products };
  }

  async function detail(a: Access, trx: Kysely<DB> = db): Promise<RoundDetail> {
    const { quorum, products } = await productsOf(a.round, a.members, trx);
    return {
      ...presentRound(a.round),
      quorum,
      members: a.members.map(presentMember),
      dossiers: products.map(({ sheetRows: _, ...p }) => (mayLookAt(a, p) ? p : { ...p, result: null })),
      actions: availableRoundActions(a.round.status as RoundStatus, a.sides),
      sides: a.sides,
      seat: a.seat ? presentMember(a.seat) : null,
    };
  }

  /**
   * Whether the caller may see the members' sheets and totals on a product: once final, anyone on
   * the round; while every expected sheet is in but the result is open, the office and the members
   * who submitted one of this attempt — never someone who could still score it (a recused member
   * taking the declaration back, an absent member arriving).
   */
  function mayLookAt(a: Access, product: Pick<RoundDossier, 'state' | 'submitted'>): boolean {
    if (product.state === 'final') return true;
    if (product.state === 'scoring') return false;
    if (a.sides.includes('office')) return true;
    return a.seat !== null && product.submitted.includes(a.seat.id);
  }

  /** One product of a round as `productsOf` sees it, read in the caller's transaction. */
  async function productIn(trx: Kysely<DB>, round: q.RoundRow, roundDossierId: string) {
    const members = await q.findMembers(trx, round.id);
    const product = (await productsOf(round, members, trx)).products.find((p) => p.id === roundDossierId);
    if (!product) throw productNotFound();
    return { members, product };
  }

  async function lastScoredOn(roundId: string, trx: Kysely<DB>): Promise<string | null> {
    const rows = await q.findRoundDossiers(trx, roundId);
    const sheets = await q.findSheets(
      trx,
      rows.map((r) => r.id),
    );
    const days = sheets
      .filter((s) => s.submitted_at)
      .map((s) => todayInVietnam(s.submitted_at!))
      .sort();
    return days.at(-1) ?? null;
  }

  // --- input checks ------------------------------------------------------------------------------

  const validDate = (value: unknown): value is string => typeof value === 'string' && isCalendarDate(value);

  function checkText(fields: FieldError[], name: string, value: unknown, max: number, required: boolean) {
    if (value === undefined || value === null || value === '') {
      if (required) fields.push({ in: 'body', name, rule: 'required' });
      return;
    }
    if (typeof value !== 'string' || value.trim().length === 0)
      fields.push({ in: 'body', name, rule: 'required' });
    else if (value.length > max) fields.push({ in: 'body', name, rule: 'maxLength', params: { limit: max } });
  }

  return {
    /** For the products module: a council member reads the dossiers of the rounds they sit on. */
    sitsOnCouncilOf: (userId: string, dossierId: string) => q.sitsOnCouncilOf(db, userId, dossierId),

    async list(
      principal: Principal | null,
      filter: { status?: string; year?: number } = {},
    ): Promise<Round[]> {
      if (!principal) throw signInRequired();
      const base = {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.year ? { year: filter.year } : {}),
      };
      let rows: q.RoundRow[];
      if (principal.role === 'admin') rows = await q.listRounds(db, base);
      else if (principal.role === 'province_office')
        rows = await q.listRounds(db, { ...base, provinceCode: principal.scopeCode! });
      else if (principal.role === 'council_member' || principal.role === 'council_secretary')
        rows = await q.listRounds(db, { ...base, userId: principal.userId });
      else throw forbidden();
      return rows.map(presentRound);
    },

    async get(principal: Principal | null, id: string): Promise<RoundDetail> {
      return detail(await access(principal, id));
    },

    async create(
      context: AuditContext,
      principal: Principal | null,
      input: {
        level: RoundLevel;
        year: number;
        number: number;
        name?: string;
        provinceCode?: string;
        filesBy?: string;
        closesBy?: string;
        scoringDate?: string | null;
        location?: string | null;
        quorumPercent?: number;
        spreadLimit?: number;
      },
    ): Promise<RoundDetail> {
      if (!principal) throw signInRequired();
      if (principal.role !== 'admin' && principal.role !== 'province_office') throw forbidden();
      const provinceCode = principal.role === 'admin' ? input.provinceCode : principal.scopeCode!;
      const fields: FieldError[] = [];
      if (!provinceCode || !/^\d{2}$/.test(provinceCode))
        fields.push({ in: 'body', name: 'provinceCode', rule: 'required' });
      if (!ROUND_LEVELS.includes(input.level))
        fields.push({
          in: 'body',
          name: 'level',
          rule: 'enum',
          params: { allowed: ROUND_LEVELS.join(', ') },
        });
      if (!Number.isInteger(input.year) || input.year < 2020 || input.year > 2100)
        fields.push({ in: 'body', name: 'year', rule: 'range', params: { min: 2020, max: 2100 } });
      if (!Number.isInteger(input.number) || input.number < 1 || input.number > 20)
        fields.push({ in: 'body', name: 'number', rule: 'range', params: { min: 1, max: 20 } });
      checkText(fields, 'name', input.name, 200, false);
      checkText(fields, 'location', input.location, 300, false);
      const regular = fields.length === 0 ? regularSchedule(input.level, input.year, input.number) : null;
      const filesBy = input.filesBy || regular?.filesBy;
      const closesBy = input.closesBy || regular?.closesBy;
      // an extra round has no official dates: the office sets them
      if (!filesBy || !validDate(filesBy)) fields.push({ in: 'body', name: 'filesBy', rule: 'date' });
      if (!closesBy || !validDate(closesBy)) fields.push({ in: 'body', name: 'closesBy', rule: 'date' });
      else if (filesBy && validDate(filesBy) && closesBy < filesBy)
        fields.push({ in: 'body', name: 'closesBy', rule: 'dateAfter', params: { after: filesBy } });
      if (input.scoringDate && !validDate(input.scoringDate))
        fields.push({ in: 'body', name: 'scoringDate', rule: 'date' });
      const quorumPercent = input.quorumPercent ?? 75;
      if (!Number.isInteger(quorumPercent) || quorumPercent < 50 || quorumPercent > 100)
        fields.push({ in: 'body', name: 'quorumPercent', rule: 'range', params: { min: 50, max: 100 } });
      const spreadLimit = input.spreadLimit ?? 10;
      if (!Number.isFinite(spreadLimit) || spreadLimit < 0 || spreadLimit > 100)
        fields.push({ in: 'body', name: 'spreadLimit', rule: 'range', params: { min: 0, max: 100 } });
      if (fields.length > 0) throw invalid(fields);
      const version = await deps.criteria.current();
      const name =
        input.name?.trim() ||
        `${input.level === 'province' ? 'Đợt đánh giá cấp tỉnh' : 'Đợt đánh giá cấp trung ương'} ${input.number}/${input.year}`;
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await q.insertRound(trx, {
            level: input.level,
            province_code: provinceCode!,
            year: input.year,
            number: input.number,
            name,
            criteria_version: version.slug,
            quorum_percent: quorumPercent,
            spread_limit: String(spreadLimit),
            files_by: filesBy!,
            closes_by: closesBy!,
            scoring_date: input.scoringDate || null,
            location: input.location?.trim() || null,
            decision_number: null,
            decision_date: null,
            decision_signer: null,
            created_by: principal.userId,
          } as never);
          await audit(trx, context, {
            action: 'round.create',
            entityType: 'round',
            entityId: row.id,
            after: row,
          });
          return detail({ principal, round: row, members: [], seat: null, sides: ['office'] }, trx);
        });
      } catch (error) {
        if ((error as { code?: string }).code === '23505')
          throw refused('round_exists', { level: input.level, year: input.year, number: input.number });
        throw error;
      }
    },

    /** Changes the plan of a round not yet open: name, dates, place, quorum, spread limit. */
    async update(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      input: {
        name?: string;
        scoringDate?: string | null;
        location?: string | null;
        quorumPercent?: number;
        spreadLimit?: number;
        version?: number;
      },
    ): Promise<RoundDetail> {
      const a = await access(principal, id);
      requireOffice(a);
      const fields: FieldError[] = [];
      if (input.name !== undefined) checkText(fields, 'name', input.name, 200, true);
      if (input.location) checkText(fields, 'location', input.location, 300, false);
      if (input.scoringDate && !validDate(input.scoringDate))
        fields.push({ in: 'body', name: 'scoringDate', rule: 'date' });
      if (
        input.quorumPercent !== undefined &&
        (!Number.isInteger(input.quorumPercent) || input.quorumPercent < 50 || input.quorumPercent > 100)
      )
        fields.push({ in: 'body', name: 'quorumPercent', rule: 'range', params: { min: 50, max: 100 } });
      if (
        input.spreadLimit !== undefined &&
        (!Number.isFinite(input.spreadLimit) || input.spreadLimit < 0 || input.spreadLimit > 100)
      )
        fields.push({ in: 'body', name: 'spreadLimit', rule: 'range', params: { min: 0, max: 100 } });
      if (fields.length > 0) throw invalid(fields);
      return db.transaction().execute(async (trx) => {
        const round = await q.lockRound(trx, id);
        if (!round) throw roundNotFound();
        if (input.version !== undefined && input.version !== round.version) throw refused('round_changed');
        if (round.status !== 'planned') throw refused('round_not_planned', { status: round.status });
        const after = await q.updateRound(trx, id, {
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.scoringDate !== undefined ? { scoring_date: input.scoringDate || null } : {}),
          ...(input.location !== undefined ? { location: input.location?.trim() || null } : {}),
          ...(input.quorumPercent !== undefined ? { quorum_percent: input.quorumPercent } : {}),
          ...(input.spreadLimit !== undefined ? { spread_limit: String(input.spreadLimit) } : {}),
        });
        await audit(trx, context, {
          action: 'round.update',
          entityType: 'round',
          entityId: id,
          before: round,
          after,
        });
        return detail({ ...a, round: after }, trx);
      });
    },

    /** Seats a platform account (a council member or secretary) on the round's council. */
    async addMember(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      input: { userId: string; role: CouncilRole; organisation?: string; phone?: string },
      /** The account to seat, as the identity module shows it to the principal. */
      findUser: (
        userId: string,
      ) => Promise<{ id: string; name: string; email: string; phone: string | null; role: string }>,
    ): Promise<RoundDetail> {
      const a = await access(principal, id);
      requireOffice(a);
      requireStatus(a, SETUP_STATUSES, 'round_not_planned');
      const user = await findUser(input.userId);
      const fields: FieldError[] = [];
      if (!COUNCIL_ROLES.includes(input.role))
        fields.push({
          in: 'body',
          name: 'role',
          rule: 'enum',
          params: { allowed: COUNCIL_ROLES.join(', ') },
        });
      checkText(fields, 'organisation', input.organisation, 300, false);
      checkText(fields, 'phone', input.phone, 30, false);
      if (fields.length > 0) throw invalid(fields);
      if (user.role !== 'council_member' && user.role !== 'council_secretary')
        throw new DomainError('round_member_not_council_account', 'unprocessable', { email: user.email });
      if (a.members.some((m) => m.user_id === user.id))
        throw refused('round_member_exists', { email: user.email });
      if (
        (input.role === 'chair' || input.role === 'secretary') &&
        a.members.some((m) => m.role === input.role)
      )
        throw refused('round_member_role_taken', { role: input.role });
      return db.transaction().execute(async (trx) => {
        const round = await lockIn(trx, id, ['planned'], 'round_not_planned');
        try {
          const row = await q.insertMember(trx, {
            round_id: id,
            user_id: user.id,
            role: input.role,
            full_name: user.name,
            organisation: input.organisation?.trim() ?? '',
            email: user.email,
            phone: input.phone?.trim() || user.phone || '',
          });
          await audit(trx, context, {
            action: 'round.member_add',
            entityType: 'round',
            entityId: id,
            after: row,
          });
        } catch (error) {
          if ((error as { code?: string }).code === '23505')
            throw refused('round_member_exists', { email: user.email });
          throw error;
        }
        return detail({ ...a, round, members: await q.findMembers(trx, id) }, trx);
      });
    },

    async removeMember(context: AuditContext, principal: Principal | null, id: string, memberId: string) {
      const a = await access(principal, id);
      requireOffice(a);
      requireStatus(a, SETUP_STATUSES, 'round_not_planned');
      const member = a.members.find((m) => m.id === memberId);
      if (!member) throw memberNotFound();
      return db.transaction().execute(async (trx) => {
        const round = await lockIn(trx, id, ['planned'], 'round_not_planned');
        await q.deleteMember(trx, id, memberId);
        await audit(trx, context, {
          action: 'round.member_remove',
          entityType: 'round',
          entityId: id,
          before: member,
        });
        return detail({ ...a, round, members: await q.findMembers(trx, id) }, trx);
      });
    },

    /** Records who is present (before opening, and while scoring: a member may arrive late). */
    async setAttendance(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      present: Record<string, boolean>,
    ): Promise<RoundDetail> {
      const a = await access(principal, id);
      requireRunner(a);
      requireStatus(a, ATTENDANCE_STATUSES, 'round_attendance_closed');
      const unknown = Object.keys(present).filter((mid) => !a.members.some((m) => m.id === mid));
      if (unknown.length > 0) throw memberNotFound();
      return db.transaction().execute(async (trx) => {
        const round = await lockIn(trx, id, ATTENDANCE_STATUSES, 'round_attendance_closed');
        for (const member of a.members) {
          const value = present[member.id];
          if (value === undefined || value === member.present) continue;
          await q.setPresent(trx, member.id, value);
          await audit(trx, context, {
            action: 'round.attendance',
            entityType: 'round',
            entityId: id,
            before: { member: member.full_name, present: member.present },
            after: { member: member.full_name, present: value },
          });
        }
        return detail({ ...a, round, members: await q.findMembers(trx, id) }, trx);
      });
    },

    /**
     * Puts a dossier in the round. Province round: a dossier the commune forwarded (the province
     * accepts it now) or already accepted; central round: a dossier a province round proposed for 5★.
     */
    async addDossier(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      dossierId: string,
    ): Promise<RoundDetail> {
      const a = await access(principal, id);
      requireOffice(a);
      requireStatus(a, SETUP_STATUSES, 'round_not_planned');
      const dossier = await deps.dossiers.get(principal, dossierId);
      if (dossier.provinceCode !== a.round.province_code)
        throw new DomainError('dossier_not_found', 'not_found');
      if (dossier.status !== 'forwarded' && dossier.status !== 'accepted')
        throw refused('round_dossier_not_eligible', { status: dossier.status });
      const level = a.round.level as RoundLevel;
      const completeOn = dossier.forwardedAt ? todayInVietnam(new Date(dossier.forwardedAt)) : today();
      return db.transaction().execute(async (trx) => {
        const round = await lockIn(trx, id, ['planned'], 'round_not_planned');
        // one dossier, one live place: two offices adding it at once wait for each other here
        await sql`select pg_advisory_xact_lock(hashtext(${dossierId}))`.execute(trx);
        const places = await q.findPlacesOfDossier(trx, dossierId);
        if (places.some((p) => p.round_id === id)) throw refused('round_dossier_exists');
        if (level === 'province') {
          if (places.some((p) => p.level === 'province' && !p.finalised_at))
            throw refused('round_dossier_in_other_round');
          if (places.some((p) => p.level === 'province' && p.finalised_at))
            throw refused('round_dossier_already_evaluated');
        } else {
          const candidate = places.find(
            (p) => p.level === 'province' && p.outcome === 'forward_central' && p.round_status === 'decided',
          );
          if (!candidate) throw refused('round_dossier_not_candidate');
          if (places.some((p) => p.level === 'central' && !p.finalised_at))
            throw refused('round_dossier_in_other_round');
        }
        // the province receives the forwarded dossier now, in the same transaction
        if (dossier.status === 'forwarded')
          await deps.dossiers.act(context, principal, dossierId, 'accept', {}, trx as Transaction<DB>);
        const existing = await q.findRoundDossiers(trx, id);
        const previous =
          dossier.kind === 'first_evaluation'
            ? undefined
            : await q.findPreviousResult(trx, dossier.productId, id);
        const row = await q.insertRoundDossier(trx, {
          round_id: id,
          dossier_id: dossierId,
          product_id: dossier.productId,
          position: Math.max(0, ...existing.map((r) => r.position)) + 1,
          kind: dossier.kind,
          product_name: dossier.productName,
          product_code: dossier.productCode,
          product_set: dossier.productSet,
          producer_name: dossier.producerName,
          complete_on: completeOn,
          // a re-evaluation goes by written opinions when there are previous scores to confirm
          mode: dossier.kind === 're_evaluation' && previous ? 'written' : 'meeting',
          previous_id: previous?.id ?? null,
        });
        await audit(trx, context, {
          action: 'round.dossier_add',
          entityType: 'round',
          entityId: id,
          after: row,
        });
        return detail({ ...a, round }, trx);
      });
    },

    async removeDossier(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      roundDossierId: string,
    ) {
      const a = await access(principal, id);
      requireOffice(a);
      requireStatus(a, SETUP_STATUSES, 'round_not_planned');
      return db.transaction().execute(async (trx) => {
        const round = await lockIn(trx, id, ['planned'], 'round_not_planned');
        const row = await q.findRoundDossier(trx, id, roundDossierId);
        if (!row) throw productNotFound();
        await q.deleteRoundDossier(trx, id, roundDossierId);
        await audit(trx, context, {
          action: 'round.dossier_remove',
          entityType: 'round',
          entityId: id,
          before: row,
        });
        return detail({ ...a, round }, trx);
      });
    },

    /** The caller declares, for one product, a conflict of interest (with a reason) or none. */
    async declareConflict(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      roundDossierId: string,
      input: { conflicted: boolean; reason?: string | null },
    ): Promise<RoundDetail> {
      const a = await access(principal, id);
      if (!a.seat) throw refused('round_not_on_council');
      requireStatus(a, ATTENDANCE_STATUSES, 'round_not_open');
      const reason = input.reason?.trim() || null;
      if (input.conflicted && !reason) throw invalid([{ in: 'body', name: 'reason', rule: 'required' }]);
      if (reason && reason.length > 2000)
        throw invalid([{ in: 'body', name: 'reason', rule: 'maxLength', params: { limit: 2000 } }]);
      const seat = a.seat;
      return db.transaction().execute(async (trx) => {
        const round = await lockIn(trx, id, ATTENDANCE_STATUSES, 'round_not_open');
        const { product: row } = await productIn(trx, round, roundDossierId);
        if (row.state === 'final') throw refused('round_result_final');
        // once every sheet is in, the others' scores are open: no declaration changes who scores
        if (row.state === 'ready') throw refused('round_sheets_revealed');
        const sheet = await q.lockSheet(trx, {
          round_dossier_id: row.id,
          member_id: seat.id,
          attempt: row.attempt,
        });
        if (sheet?.status === 'submitted') throw refused('round_sheet_submitted');
        const declared = await q.upsertConflict(trx, {
          round_dossier_id: row.id,
          member_id: seat.id,
          conflicted: input.conflicted,
          reason,
        });
        await audit(trx, context, {
          action: 'round.conflict_declare',
          entityType: 'round_dossier',
          entityId: row.id,
          after: { member: seat.full_name, conflicted: declared.conflicted, reason: declared.reason },
        });
        return detail({ ...a, round }, trx);
      });
    },

    /**
     * The sheets of one product the caller may see: their own, always; the others' only once every
     * expected member has submitted (and always after the result is final).
     */
    async sheets(
      principal: Principal | null,
      id: string,
      roundDossierId: string,
    ): Promise<{
      dossier: RoundDossier;
      form: CriteriaForm;
      mine: ScoreSheetView | null;
      others: ScoreSheetView[] | null;
      previous: ScoreSheetView | null;
      comparison: Comparison | null;
    }> {
      const a = await access(principal, id);
      const { products } = await productsOf(a.round, a.members);
      const found = products.find((p) => p.id === roundDossierId);
      if (!found) throw productNotFound();
      const { sheetRows, ...all } = found;
      const looks = mayLookAt(a, all);
      const product = looks ? all : { ...all, result: null };
      const names = new Map(a.members.map((m) => [m.id, m.full_name]));
      const mineRow = a.seat ? sheetRows.find((s) => s.member_id === a.seat!.id) : undefined;
      const others = looks
        ? sheetRows
            .filter((s) => s.status === 'submitted' && s.member_id !== a.seat?.id)
            .map((s) => presentSheet(s, names.get(s.member_id) ?? ''))
        : null;
      const form = await formOf(a.round, product.productSet);
      let previous: ScoreSheetView | null = null;
      const row = await q.findRoundDossier(db, id, roundDossierId);
      if (row?.previous_id && a.seat) previous = await previousSheetFor(row.previous_id, a.seat.user_id);
      const comparison = row?.previous_id ? await compareWithPrevious(row.previous_id, product.result) : null;
      return {
        dossier: product,
        form,
        mine: mineRow ? presentSheet(mineRow, a.seat!.full_name) : null,
        others,
        previous,
        comparison,
      };
    },

    /**
     * Saves (or submits) the caller's sheet for a product. A submitted sheet is locked. A key the
     * member sent with any earlier save is answered with the sheet as it is now, changing nothing
     * (the offline queue may resend old saves, in any order).
     */
    async saveSheet(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      roundDossierId: string,
      input: SheetInput,
    ): Promise<{ sheet: ScoreSheetView; replayed: boolean }> {
      const a = await access(principal, id);
      const seat = a.seat;
      if (!seat || seat.role === 'advisor') throw refused('round_not_on_council');
      if (input.idempotencyKey !== undefined && !KEY.test(input.idempotencyKey))
        throw invalid([{ in: 'body', name: 'idempotencyKey', rule: 'pattern' }]);
      if (input.idempotencyKey) {
        const replay = await q.findSheetByKey(db, seat.id, input.idempotencyKey);
        if (replay) return { sheet: presentSheet(replay, seat.full_name), replayed: true };
      }
      requireStatus(a, SCORING_STATUSES, 'round_not_open');
      if (!seat.present) throw refused('round_member_absent');
      const row = await q.findRoundDossier(db, id, roundDossierId);
      if (!row) throw productNotFound();
      const form = await formOf(a.round, row.product_set);
      const choices = input.choices ?? {};
      const comments = input.comments ?? {};
      const disqualified = [...new Set(input.disqualified ?? [])];
      const opinion = input.opinion ?? null;
      const fields = sheetFaults(form, { choices, comments, disqualified }, input.submit);
      if (input.submit && row.mode === 'written' && !row.meeting_held && !opinion)
        fields.push({ in: 'body', name: 'opinion', rule: 'required' });
      // "confirm" keeps the previous scores: a changed sheet is a change, whatever it is called
      if (opinion === 'confirm' && row.previous_id) {
        const previous = await previousSheetFor(row.previous_id, seat.user_id);
        const same =
          previous !== null &&
          form.leaves.every((leaf) => previous.choices[leaf.code] === choices[leaf.code]);
        if (!same)
          throw new DomainError('round_opinion_mismatch', 'unprocessable', {}, [
            { in: 'body', name: 'opinion', rule: 'opinionMismatch' },
          ]);
      }
      if (fields.length > 0)
        throw new DomainError('score_sheets_invalid', 'unprocessable', { count: fields.length }, fields);
      const total = memberTotal(form, choices);

      return db.transaction().execute(async (trx) => {
        await lockIn(trx, id, ['open'], 'round_not_open');
        // the same save sent twice at once: the second waited for the lock and finds the first
        if (input.idempotencyKey) {
          const replay = await q.findSheetByKey(trx, seat.id, input.idempotencyKey);
          if (replay) return { sheet: presentSheet(replay, seat.full_name), replayed: true };
        }
        const current = await q.findRoundDossier(trx, id, roundDossierId);
        if (!current) throw productNotFound();
        if (current.finalised_at) throw refused('round_result_final');
        const conflicts = await q.findConflicts(trx, [current.id]);
        const mine = conflicts.find((c) => c.member_id === seat.id);
        if (!mine) throw refused('round_conflict_undeclared');
        if (mine.conflicted) throw refused('round_member_recused');
        const key = { round_dossier_id: current.id, member_id: seat.id, attempt: current.attempt };
        const existing = await q.lockSheet(trx, key);
        if (existing?.status === 'submitted') throw refused('round_sheet_submitted');
        const sha256 = input.submit
          ? sheetDigest({
              roundDossierId: current.id,
              memberId: seat.id,
              attempt: current.attempt,
              choices,
              comments,
              disqualified,
              opinion,
            })
          : null;
        const values = {
          status: input.submit ? 'submitted' : 'draft',
          choices: JSON.stringify(choices),
          comments: JSON.stringify(comments),
          disqualified: JSON.stringify(disqualified),
          opinion,
          total: input.submit ? String(total) : null,
          sha256,
          submitted_at: input.submit ? new Date() : null,
        };
        const saved = existing
          ? await q.updateSheet(trx, existing.id, values)
          : await q.insertSheet(trx, { ...key, ...values });
        if (input.idempotencyKey)
          await q.insertSheetSave(trx, {
            member_id: seat.id,
            idempotency_key: input.idempotencyKey,
            sheet_id: saved.id,
          });
        if (input.submit) {
          await audit(trx, context, {
            action: 'score_sheet.submit',
            entityType: 'round_dossier',
            entityId: current.id,
            after: { member: seat.full_name, attempt: current.attempt, total, sha256 },
          });
        }
        return { sheet: presentSheet(saved, seat.full_name), replayed: false };
      });
    },

    /** Fixes a product's result: quorum, every expected sheet in, spread resolved, no meeting pending. */
    async finalise(context: AuditContext, principal: Principal | null, id: string, roundDossierId: string) {
      const a = await access(principal, id);
      requireRunner(a);
      return db.transaction().execute(async (trx) => {
        const round = await lockIn(trx, id, ['open'], 'round_not_open');
        const { members, product } = await productIn(trx, round, roundDossierId);
        if (product.state === 'final') throw refused('round_result_final');
        if (product.problems.length > 0)
          throw refused(product.problems[0]!, { count: product.problems.length });
        const result = product.result!;
        const outcome = outcomeOf(round.level as RoundLevel, result);
        const stored: StoredResult = { ...result, scorers: product.expected };
        const after = await q.updateRoundDossier(trx, product.id, {
          result: JSON.stringify(stored),
          stars: result.stars,
          outcome,
          finalised_at: new Date(),
          finalised_by: principal!.userId,
        });
        await audit(trx, context, {
          action: 'round.result_finalise',
          entityType: 'round_dossier',
          entityId: product.id,
          after: {
            score: result.score,
            stars: result.stars,
            spread: result.spread,
            outcome,
            attempt: after.attempt,
          },
        });
        return detail({ ...a, round, members }, trx);
      });
    },

    /**
     * Starts a new scoring attempt for a product (the spread was too wide, or a written
     * re-evaluation needs a meeting): earlier sheets stay on record, members score again.
     */
    async rescore(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      roundDossierId: string,
      input: { meeting?: boolean; reason?: string } = {},
    ) {
      const a = await access(principal, id);
      requireRunner(a);
      const reason = input.reason?.trim() || null;
      if (reason && reason.length > 4000)
        throw invalid([{ in: 'body', name: 'reason', rule: 'maxLength', params: { limit: 4000 } }]);
      return db.transaction().execute(async (trx) => {
        const round = await lockIn(trx, id, ['open'], 'round_not_open');
        const { members, product } = await productIn(trx, round, roundDossierId);
        // while members are still scoring, a new attempt would throw their work away
        if (product.state === 'scoring') throw refused('round_rescore_while_scoring');
        const row = (await q.findRoundDossier(trx, id, roundDossierId))!;
        const after = await q.updateRoundDossier(trx, row.id, {
          attempt: row.attempt + 1,
          result: null,
          stars: null,
          outcome: null,
          finalised_at: null,
          finalised_by: null,
          spread_reason: null,
          spread_accepted_by: null,
          spread_sheets: null,
          ...(input.meeting || row.mode === 'written' ? { meeting_held: true } : {}),
        });
        await audit(trx, context, {
          action: 'round.rescore',
          entityType: 'round_dossier',
          entityId: row.id,
          before: { attempt: row.attempt, outcome: row.outcome },
          after: { attempt: after.attempt, meetingHeld: after.meeting_held, reason },
        });
        return detail({ ...a, round, members }, trx);
      });
    },

    /** The chair accepts a spread above the limit without re-scoring, with a written reason. */
    async acceptSpread(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      roundDossierId: string,
      input: { reason: string },
    ) {
      const a = await access(principal, id);
      if (a.seat?.role !== 'chair' && a.seat?.role !== 'vice_chair') throw refused('round_chair_only');
      const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
      if (reason.length < 10)
        throw invalid([{ in: 'body', name: 'reason', rule: 'minLength', params: { limit: 10 } }]);
      if (reason.length > 4000)
        throw invalid([{ in: 'body', name: 'reason', rule: 'maxLength', params: { limit: 4000 } }]);
      return db.transaction().execute(async (trx) => {
        const round = await lockIn(trx, id, ['open'], 'round_not_open');
        const { members, product } = await productIn(trx, round, roundDossierId);
        if (product.state === 'final') throw refused('round_result_final');
        if (product.state !== 'ready' || !product.result?.spreadExceeded)
          throw refused('round_spread_within_limit');
        // the chair decides, present and free of any conflict on the product; else the vice-chair
        const able = (m: q.MemberRow | undefined) => m?.present === true && product.conflicts[m.id] !== true;
        const chair = members.find((m) => m.role === 'chair');
        const me = members.find((m) => m.user_id === principal!.userId);
        const mayAccept =
          me?.role === 'chair' ? able(me) : me?.role === 'vice_chair' && !able(chair) && able(me);
        if (!mayAccept) throw refused('round_chair_only');
        const sheets = product.sheetRows
          .filter((s) => s.status === 'submitted' && product.expected.includes(s.member_id))
          .map((s) => s.sha256 ?? '');
        await q.updateRoundDossier(trx, product.id, {
          spread_reason: reason,
          spread_accepted_by: principal!.userId,
          spread_sheets: JSON.stringify(sheets),
        });
        await audit(trx, context, {
          action: 'round.spread_accept',
          entityType: 'round_dossier',
          entityId: product.id,
          after: { spread: product.result.spread, limit: product.result.spreadLimit, reason },
        });
        return detail({ ...a, round, members }, trx);
      });
    },

    /**
     * Takes a step of the round's lifecycle. `decide` records the recognition decision (number,
     * date, signer) and closes the dossiers whose evaluation ends here.
     */
    async act(
      context: AuditContext,
      principal: Principal | null,
      id: string,
      action: RoundAction,
      input: {
        decisionNumber?: string;
        decisionDate?: string;
        decisionSigner?: string;
        version?: number;
      } = {},
    ): Promise<RoundDetail> {
      const a = await access(principal, id);
      const fields: FieldError[] = [];
      if (action === 'decide') {
        checkText(fields, 'decisionNumber', input.decisionNumber, 60, true);
        checkText(fields, 'decisionSigner', input.decisionSigner, 200, true);
        if (!validDate(input.decisionDate)) fields.push({ in: 'body', name: 'decisionDate', rule: 'date' });
        // a decision is recorded once signed: never dated ahead (its certificates take its date)
        else if (input.decisionDate! > today())
          fields.push({ in: 'body', name: 'decisionDate', rule: 'notFuture' });
      }
      if (fields.length > 0) throw invalid(fields);
      const decided = await db.transaction().execute(async (trx) => {
        const round = await q.lockRound(trx, id);
        if (!round) throw roundNotFound();
        if (input.version !== undefined && input.version !== round.version) throw refused('round_changed');
        const members = await q.findMembers(trx, id);
        const { quorum, products } = await productsOf(round, members, trx);
        const seats = members.filter((m) => m.role !== 'advisor');
        const scoredOn =
          action === 'decide' ? ((await lastScoredOn(id, trx)) ?? isoDay(round.scoring_date)) : null;
        const decision = decideRound(round.status as RoundStatus, action, a.sides, {
          councilComplete:
            members.some((m) => m.role === 'chair') &&
            members.some((m) => m.role === 'secretary') &&
            seats.length > 0,
          hasDossiers: products.length > 0,
          quorumMet: quorum.met,
          allResultsFinal: products.length > 0 && products.every((p) => p.state === 'final'),
          hasDecision: Boolean(input.decisionNumber && input.decisionDate && input.decisionSigner),
          decisionAfterScoring: !!input.decisionDate && (!scoredOn || input.decisionDate >= scoredOn),
        });
        if (!decision.ok) {
          const params: Record<string, string | number> = { status: round.status, action };
          if (decision.code === 'round_decision_before_scoring' && scoredOn) params.scoringDate = scoredOn;
          if (decision.code === 'round_quorum_not_met') {
            params.present = quorum.present;
            params.required = quorum.required;
          }
          if (decision.code === 'round_results_not_final')
            params.count = products.filter((p) => p.state !== 'final').length;
          throw refused(decision.code, params);
        }
        const after = await q.updateRound(trx, id, {
          status: decision.to,
          // the day scoring actually opens (a planned date may have moved): the decision comes after
          ...(action === 'open' ? { scoring_date: today() } : {}),
          ...(action === 'decide'
            ? {
                decision_number: input.decisionNumber!.trim(),
                decision_date: input.decisionDate!,
                decision_signer: input.decisionSigner!.trim(),
                decided_at: new Date(),
              }
            : {}),
        });
        await audit(trx, context, {
          action: `round.${action}`,
          entityType: 'round',
          entityId: id,
          before: { status: round.status },
          after: {
            status: after.status,
            ...(action === 'decide'
              ? {
                  decisionNumber: after.decision_number,
                  decisionDate: input.decisionDate,
                  decisionSigner: after.decision_signer,
                }
              : {}),
          },
        });
        if (action === 'decide') {
          // the evaluation ends here, in the same transaction, for every product but those a later
          // decision takes on: the 5★ candidates (central round), and a central result below 5★,
          // which the province may still recognise at 3★ or 4★ by its own decision
          for (const product of products) {
            if (!endsHere(round.level as RoundLevel, product.outcome)) continue;
            await deps.dossiers
              .act(context, principal, product.dossierId, 'close', {}, trx)
              .catch((error: unknown) => {
                // already closed (a dossier closed by hand): nothing to do
                if (!(error instanceof DomainError && error.code === 'dossier_action_not_allowed'))
                  throw error;
              });
          }
          // the recognised products get their certificates in the same transaction
          const recognitions = products.flatMap((p) => {
            const stars = recognisedStars(round.level as RoundLevel, p.outcome, p.stars);
            if (stars === null) return [];
            return [
              {
                roundId: id,
                dossierId: p.dossierId,
                dossierKind: p.kind,
                productId: p.productId,
                stars,
                score: p.result?.score ?? null,
                level: round.level as RoundLevel,
                decision: {
                  number: after.decision_number!,
                  date: input.decisionDate!,
                  signer: after.decision_signer!,
                },
              },
            ];
          });
          if (recognitions.length > 0) await deps.onRecognised?.(trx, context, recognitions);
        }
        return { after, members, products };
      });
      return detail({ ...a, round: decided.after, members: decided.members });
    },

    /** The minutes' content: members and attendance, each product's totals, result and outcome. */
    async minutes(principal: Principal | null, id: string, provinceName: string): Promise<RoundMinutes> {
      const a = await access(principal, id);
      // those who run the round, and the chair who signs the minutes with the secretary
      if (!runs(a) && a.seat?.role !== 'chair') throw forbidden();
      const { quorum, products } = await productsOf(a.round, a.members);
      const names = new Map(a.members.map((m) => [m.id, m.full_name]));
      const lines: MinutesProduct[] = [];
      for (const p of products) {
        const form = await formOf(a.round, p.productSet);
        // nobody reads totals in the minutes before they may see them on the page
        const look = mayLookAt(a, p);
        const result = look ? p.result : null;
        // each counted member's own submitted total, in the order the result counted them
        const totals = (look ? p.expected : []).flatMap((mid) =>
          p.sheetRows
            .filter((s) => s.status === 'submitted' && s.member_id === mid)
            .map((s) => ({ name: names.get(mid) ?? '', total: Number(s.total) })),
        );
        const flagText = new Map(disqualificationFlags(form).map((f) => [f.id, f.text]));
        lines.push({
          position: p.position,
          productName: p.productName,
          productCode: p.productCode,
          producerName: p.producerName,
          set: p.productSet,
          setName: form.name,
          kind: p.kind,
          memberTotals: totals,
          recused: Object.entries(p.conflicts)
            .filter(([, c]) => c)
            .map(([mid]) => names.get(mid) ?? ''),
          score: result?.score ?? null,
          spread: result?.spread ?? null,
          spreadExceeded: result?.spreadExceeded ?? false,
          spreadOverride: p.spreadReason,
          stars: result ? result.stars : null,
          failedGates: result?.failedGates ?? [],
          disqualified: (result?.disqualified ?? []).map((f) => flagText.get(f) ?? f),
          outcome: p.outcome,
        });
      }
      const round = presentRound(a.round);
      return {
        provinceName,
        roundName: round.name,
        level: round.level,
        scoringDate: round.scoringDate,
        criteriaVersion: round.criteriaVersion,
        quorum,
        members: a.members.map((m) => ({
          name: m.full_name,
          role: m.role as CouncilRole,
          organisation: m.organisation,
          present: m.present,
        })),
        products: lines,
        decision: round.decision,
        generatedAt: (deps.now?.() ?? new Date()).toISOString(),
      };
    },

    /**
     * The council's consistency, for those who run the round: each member's mean deviation from
     * the council mean over every final result of the province's rounds, this round's spread
     * distribution and how often members disagree per criterion.
     */
    async consistency(principal: Principal | null, id: string) {
      const a = await access(principal, id);
      requireRunner(a);
      const all = await scoredSheets(a.round.province_code);
      const inRound = all.filter((s) => s.roundId === id);
      const seated = new Set(a.members.map((m) => m.user_id));
      return {
        deviations: memberDeviations(all).filter((d) => seated.has(d.memberId)),
        distribution: spreadDistribution(inRound, { limit: Number(a.round.spread_limit) }),
        disagreement: criterionDisagreement(inRound),
      };
    },

    /** The dossiers the office may put in a planned round, as "product — producer (status)". */
    async candidates(principal: Principal | null, id: string): Promise<Candidate[]> {
      const a = await access(principal, id);
      requireOffice(a);
      if (a.round.level === 'central') {
        const rows = await q.findCentralCandidates(db, a.round.province_code, id);
        return rows.map((r) => ({
          dossierId: r.dossier_id,
          productName: r.product_name,
          producerName: r.producer_name,
          kind: r.kind as Candidate['kind'],
        }));
      }
      const page = await deps.dossiers.list(principal, {
        status: ['forwarded', 'accepted'],
        provinceCode: a.round.province_code,
        limit: 200,
      });
      const taken = await q.findDossiersInRounds(
        db,
        page.items.map((d) => d.id),
      );
      const out: Candidate[] = [];
      for (const d of page.items) {
        if (taken.has(d.id)) continue;
        const detail = await deps.dossiers.get(principal, d.id);
        out.push({
          dossierId: d.id,
          productName: detail.productName,
          producerName: detail.producerName,
          kind: d.kind,
        });
      }
      return out;
    },
  };

  /** Submitted sheets of final results in the province's rounds, as the analytics read them. */
  async function scoredSheets(provinceCode: string): Promise<ScoredSheet[]> {
    const rows = await q.findFinalSheets(db, provinceCode);
    const out: ScoredSheet[] = [];
    for (const row of rows) {
      const form = await deps.criteria.form(row.criteria_version, String(row.product_set).padStart(2, '0'));
      const choices = json<Record<string, number>>(row.choices);
      const points: Record<string, number> = {};
      for (const leaf of form.leaves) {
        const choice = choices[leaf.code];
        const value = choice === undefined ? undefined : pointsOf(leaf, choice);
        if (value !== undefined) points[leaf.code] = value;
      }
      out.push({
        roundId: row.round_id,
        roundName: row.round_name,
        productId: row.round_dossier_id,
        memberId: row.user_id,
        memberName: row.full_name,
        total: Number(row.total),
        points,
      });
    }
    return out;
  }

  /**
   * An upgrade or re-evaluation beside the evaluation it revisits: the previous score and stars,
   * and (once this one has a result) every criterion whose mean points changed.
   */
  async function compareWithPrevious(
    previousId: string,
    now: ScoreResult | null,
  ): Promise<Comparison | null> {
    const previous = await db
      .selectFrom('evaluation.round_dossier as rd')
      .innerJoin('evaluation.round as r', 'r.id', 'rd.round_id')
      .select(['rd.result', 'rd.stars', 'r.name', 'r.decision_date'])
      .where('rd.id', '=', previousId)
      .executeTakeFirst();
    if (!previous?.result) return null;
    const before = json<ScoreResult>(previous.result);
    const changes = now
      ? Object.keys(now.criterionMeans)
          .map((criterion) => ({
            criterion,
            before: before.criterionMeans[criterion] ?? 0,
            after: now.criterionMeans[criterion] ?? 0,
          }))
          .filter((c) => Math.abs(c.after - c.before) > 1e-9)
      : null;
    return {
      roundName: previous.name,
      decisionDate: isoDay(previous.decision_date),
      score: before.score,
      stars: previous.stars ?? before.stars,
      changes,
    };
  }

  /** The previous evaluation's sheet a member confirms or changes: their own, else the one nearest the mean. */
  async function previousSheetFor(previousId: string, userId: string): Promise<ScoreSheetView | null> {
    const previous = await db
      .selectFrom('evaluation.round_dossier')
      .selectAll()
      .where('id', '=', previousId)
      .executeTakeFirst();
    if (!previous) return null;
    const members = await q.findMembers(db, previous.round_id);
    const sheets = (await q.findSheets(db, [previous.id])).filter(
      (s) => s.status === 'submitted' && s.attempt === previous.attempt,
    );
    if (sheets.length === 0) return null;
    const own = members.find((m) => m.user_id === userId);
    const mean = sheets.reduce((sum, s) => sum + Number(s.total), 0) / sheets.length;
    const chosen =
      sheets.find((s) => s.member_id === own?.id) ??
      [...sheets].sort((x, y) => Math.abs(Number(x.total) - mean) - Math.abs(Number(y.total) - mean))[0]!;
    const name = members.find((m) => m.id === chosen.member_id)?.full_name ?? '';
    return presentSheet(chosen, name);
  }
}

/** A sheet's faults: a draft may be partial, a submission must be complete; both must be well-formed. */
export function sheetFaults(
  form: CriteriaForm,
  sheet: { choices: Record<string, number>; comments: Record<string, string>; disqualified: string[] },
  complete: boolean,
): FieldError[] {
  const leaves = new Set(form.leaves.map((l) => l.code));
  const fields: FieldError[] = validateSheets(form, [
    { choices: sheet.choices, disqualified: sheet.disqualified },
  ])
    // a draft may leave criteria unanswered, never answer one wrongly
    .filter((f) => complete || f.rule !== 'missing')
    .map((f) => ({ ...f, name: f.name.replace(/^sheets\/0\/?/, '') || 'choices' }));
  if (typeof sheet.comments !== 'object' || sheet.comments === null || Array.isArray(sheet.comments))
    return [...fields, { in: 'body', name: 'comments', rule: 'type', params: { type: 'object' } }];
  for (const [code, text] of Object.entries(sheet.comments)) {
    if (!leaves.has(code)) fields.push({ in: 'body', name: `comments/${code}`, rule: 'unknownCriterion' });
    else if (typeof text !== 'string' || text.length > MAX_COMMENT)
      fields.push({
        in: 'body',
        name: `comments/${code}`,
        rule: 'maxLength',
        params: { limit: MAX_COMMENT },
      });
  }
  return fields;
}

export type RoundsService = ReturnType<typeof createRoundsService>;
