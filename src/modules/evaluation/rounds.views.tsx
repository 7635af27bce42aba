/**
 * The pages of evaluation rounds: the list, a round (council, attendance, dossiers, results,
 * lifecycle), the scoring page a member uses on a tablet (sheet beside the dossier's evidence,
 * with an offline queue in public/scoring.js) and the round's consistency report.
 */
import { formatDate, formatDateTime } from '../../platform/time.ts';
import { assetUrl } from '../../platform/views/assets.ts';
import { emptyForm, Field, FormMessage, type FormState } from '../../platform/views/form.tsx';
import { EMPTY, Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import { type CriteriaForm, choiceCount, pointsOf } from './criteria.ts';
import { LeafChoice } from './evaluation.views.tsx';
import { COUNCIL_ROLES, ROUND_LEVELS } from './round.model.ts';
import type { RoundAction } from './round-states.ts';
import type {
  Comparison,
  CouncilMember,
  Round,
  RoundDetail,
  RoundDossier,
  ScoreSheetView,
} from './rounds.service.ts';
import { disqualificationFlags, formatScore } from './scoring.ts';

const starText = (n: number | null) => (n ? '★'.repeat(n) : '—');
/** Stars as shown (★★★), named for screen readers ("3 sao"). */
function Stars(props: { page: PageContext; stars: number | null | undefined }): Html {
  return props.stars ? (
    <span
      class="stars-shown"
      role="img"
      aria-label={props.page.t('round.starsCount', { stars: props.stars })}
    >
      {starText(props.stars)}
    </span>
  ) : (
    <>—</>
  );
}
const score = (page: PageContext, value: number | null | undefined) =>
  value === null || value === undefined
    ? '—'
    : page.locale === 'vi'
      ? formatScore(value).replace('.', ',')
      : formatScore(value);

function Status(props: { page: PageContext; status: string }): Html {
  return <span class={`status status-${props.status}`}>{props.page.t(`round.status.${props.status}`)}</span>;
}

export function RoundsPage(props: {
  page: PageContext;
  rounds: Round[];
  canCreate: boolean;
  form: FormState;
}): Html {
  const { page, rounds } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('round.listTitle')}>
      <h1>{t('round.listTitle')}</h1>
      <p>{t('round.listIntro')}</p>
      {rounds.length === 0 ? (
        <p class="empty">{t('round.none')}</p>
      ) : (
        <table class="table" data-testid="rounds">
          <thead>
            <tr>
              <th scope="col">{t('round.name')}</th>
              <th scope="col">{t('round.level')}</th>
              <th scope="col">{t('round.closesBy')}</th>
              <th scope="col">{t('round.statusLabel')}</th>
            </tr>
          </thead>
          <tbody>
            {rounds.map((r) => (
              <tr>
                <td>
                  <a href={`/rounds/${r.id}`}>{r.name}</a>
                </td>
                <td>{t(`round.levels.${r.level}`)}</td>
                <td>{formatDate(r.closesBy, page.locale)}</td>
                <td>
                  <Status page={page} status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canCreate ? (
        <section aria-labelledby="new-round">
          <h2 id="new-round">{t('round.create')}</h2>
          <form method="post" action="/rounds" class="form">
            <CsrfField page={page} />
            <FormMessage form={props.form} />
            <Field
              page={page}
              form={props.form}
              name="level"
              label={t('round.level')}
              required
              options={ROUND_LEVELS.map((l) => ({ value: l, label: t(`round.levels.${l}`) }))}
            />
            <Field page={page} form={props.form} name="year" label={t('round.year')} type="number" required />
            <Field
              page={page}
              form={props.form}
              name="number"
              label={t('round.number')}
              type="number"
              required
              hint={t('round.numberHint')}
            />
            <Field
              page={page}
              form={props.form}
              name="name"
              label={t('round.name')}
              hint={t('round.nameHint')}
            />
            <Field
              page={page}
              form={props.form}
              name="filesBy"
              label={t('round.filesBy')}
              type="date"
              hint={t('round.datesHint')}
            />
            <Field page={page} form={props.form} name="closesBy" label={t('round.closesBy')} type="date" />
            <Field
              page={page}
              form={props.form}
              name="scoringDate"
              label={t('round.scoringDate')}
              type="date"
            />
            <Field page={page} form={props.form} name="location" label={t('round.location')} />
            <Field
              page={page}
              form={props.form}
              name="quorumPercent"
              label={t('round.quorumPercent')}
              type="number"
              hint={t('round.quorumHint')}
            />
            <Field
              page={page}
              form={props.form}
              name="spreadLimit"
              label={t('round.spreadLimit')}
              type="number"
            />
            <p class="actions">
              <button type="submit">{t('round.createButton')}</button>
            </p>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

export interface RoundForms {
  member: FormState;
  attendance: FormState;
  dossier: FormState;
  action: FormState;
  /** A refusal on one dossier's row (finalise, re-score, spread). */
  row: FormState & { id?: string };
}

function DossierRow(props: {
  page: PageContext;
  round: RoundDetail;
  dossier: RoundDossier;
  forms: RoundForms;
}): Html {
  const { page, round, dossier: d } = props;
  const { t } = page;
  const runs = round.sides.length > 0;
  const isChair = round.seat?.role === 'chair';
  const base = `/rounds/${round.id}/dossiers/${d.id}`;
  const rowForm = props.forms.row.id === d.id ? props.forms.row : null;
  const open = round.status === 'open';
  return (
    <tr data-testid={`round-dossier-${d.position}`}>
      <td>{d.position}</td>
      <td class="product-cell">
        <a href={base}>{d.productName}</a>
        <br />
        <small>
          {d.producerName} · {t('round.set', { set: d.productSet })} · {t(`round.kind.${d.kind}`)}
          {d.mode === 'written' ? ` · ${t('round.written')}` : ''}
        </small>
        {d.countdown ? (
          <p class={d.countdown.daysLeft < 0 ? 'error' : 'hint'} data-testid="countdown">
            {t('round.countdown', {
              deadline: formatDate(d.countdown.deadline, page.locale),
              days: d.countdown.daysLeft,
            })}
          </p>
        ) : null}
      </td>
      <td data-testid="sheets-in">
        {t('round.sheetsIn', {
          submitted: d.submitted.filter((id) => d.expected.includes(id)).length,
          expected: d.expected.length,
        })}
        {d.attempt > 1 ? <small> · {t('round.attempt', { attempt: d.attempt })}</small> : null}
      </td>
      <td>{score(page, d.result?.score)}</td>
      <td data-testid="spread" class="spread-cell">
        {d.result ? (
          <span class={d.result.spreadExceeded && !d.spreadReason ? 'error' : ''}>
            {score(page, d.result.spread)}
            {d.result.spreadExceeded
              ? ` ⚠ ${t('round.spreadExceeded', { limit: d.result.spreadLimit })}`
              : ''}
          </span>
        ) : (
          '—'
        )}
        {d.spreadReason ? (
          <small class="hint spread-reason">{t('round.spreadAccepted', { reason: d.spreadReason })}</small>
        ) : null}
      </td>
      <td>{d.result ? <Stars page={page} stars={d.result.stars} /> : '—'}</td>
      <td data-testid="outcome" class="outcome-cell">
        {d.outcome ? (
          <strong>{t(`round.outcome.${d.outcome}`)}</strong>
        ) : d.problems.length > 0 && d.state !== 'scoring' ? (
          <small>{d.problems.map((p) => t(`errors.${p}`, {})).join(' ')}</small>
        ) : round.status === 'planned' ? (
          t('round.state.waiting')
        ) : (
          t(`round.state.${d.state}`)
        )}
        {rowForm ? <FormMessage form={rowForm} /> : null}
        {open && runs && d.state === 'ready' ? (
          <div class="row-actions">
            {d.problems.length === 0 ? (
              <form method="post" action={`${base}/finalise`} class="inline-form">
                <CsrfField page={page} />
                <button type="submit">{t('round.finalise')}</button>
              </form>
            ) : null}
            <form method="post" action={`${base}/rescore`} class="inline-form">
              <CsrfField page={page} />
              <button type="submit" class="secondary">
                {d.written === 'meeting_required' && !d.meetingHeld ? t('round.convene') : t('round.rescore')}
              </button>
            </form>
          </div>
        ) : null}
        {open && runs && d.state === 'final' ? (
          <details class="row-actions">
            <summary>{t('round.rescoreFinal')}</summary>
            <p class="hint">{t('round.rescoreFinalHint')}</p>
            <form method="post" action={`${base}/rescore`} class="inline-form">
              <CsrfField page={page} />
              <button type="submit" class="secondary">
                {t('round.rescore')}
              </button>
            </form>
          </details>
        ) : null}
        {open && isChair && d.state === 'ready' && d.result?.spreadExceeded && !d.spreadReason ? (
          <form method="post" action={`${base}/accept-spread`} class="form accept-spread">
            <CsrfField page={page} />
            <label>
              {t('round.spreadReason')}
              <textarea name="reason" rows={3} required minlength={10} maxlength={4000} />
            </label>
            <p class="actions">
              <button type="submit" class="secondary">
                {t('round.acceptSpread')}
              </button>
            </p>
          </form>
        ) : null}
      </td>
    </tr>
  );
}

function Council(props: {
  page: PageContext;
  round: RoundDetail;
  councilUsers: { id: string; name: string; email: string }[];
  forms: RoundForms;
}): Html {
  const { page, round } = props;
  const { t } = page;
  const office = round.sides.includes('office');
  const setup = round.status === 'planned';
  const attendance = round.sides.length > 0 && (round.status === 'planned' || round.status === 'open');
  return (
    <section aria-labelledby="council">
      <h2 id="council">{t('round.council')}</h2>
      <p data-testid="quorum" class={round.quorum.met ? '' : 'error'}>
        {t('round.quorum', {
          present: round.quorum.present,
          voting: round.quorum.voting,
          required: round.quorum.required,
          percent: round.quorumPercent,
        })}{' '}
        <strong>{round.quorum.met ? t('round.quorumMet') : t('round.quorumNotMet')}</strong>
      </p>
      <form method="post" action={`/rounds/${round.id}/attendance`}>
        <CsrfField page={page} />
        <FormMessage form={props.forms.attendance} />
        <table class="table" data-testid="members">
          <thead>
            <tr>
              <th scope="col">{t('round.memberName')}</th>
              <th scope="col">{t('round.memberRole')}</th>
              <th scope="col">{t('round.organisation')}</th>
              <th scope="col">{t('round.present')}</th>
              {office && setup ? <th scope="col" /> : null}
            </tr>
          </thead>
          <tbody>
            {round.members.map((m: CouncilMember) => (
              <tr>
                <td>
                  {m.fullName}
                  <br />
                  <small>
                    {m.email} {m.phone}
                  </small>
                </td>
                <td>{t(`round.role.${m.role}`)}</td>
                <td>{m.organisation}</td>
                <td>
                  {attendance ? (
                    <>
                      <input type="hidden" name={`seen/${m.id}`} value="1" />
                      <input
                        type="checkbox"
                        name={`present/${m.id}`}
                        value="1"
                        checked={m.present}
                        class="present-box"
                        aria-label={t('round.presentOf', { name: m.fullName })}
                      />
                    </>
                  ) : m.present ? (
                    t('round.yes')
                  ) : (
                    t('round.no')
                  )}
                </td>
                {office && setup ? (
                  <td>
                    <button
                      type="submit"
                      formaction={`/rounds/${round.id}/members/${m.id}/remove`}
                      class="secondary small"
                    >
                      {t('round.remove')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {attendance && round.members.length > 0 ? (
          <p class="actions">
            <button type="submit" class="secondary">
              {t('round.saveAttendance')}
            </button>
          </p>
        ) : null}
      </form>
      {office && setup ? (
        <form method="post" action={`/rounds/${round.id}/members`} class="form">
          <CsrfField page={page} />
          <h3>{t('round.addMember')}</h3>
          <FormMessage form={props.forms.member} />
          <Field
            page={page}
            form={props.forms.member}
            name="userId"
            label={t('round.account')}
            required
            hint={t('round.accountHint')}
            options={[
              { value: '', label: '—' },
              ...props.councilUsers.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` })),
            ]}
          />
          <Field
            page={page}
            form={props.forms.member}
            name="role"
            label={t('round.memberRole')}
            required
            options={COUNCIL_ROLES.map((r) => ({ value: r, label: t(`round.role.${r}`) }))}
          />
          <Field page={page} form={props.forms.member} name="organisation" label={t('round.organisation')} />
          <Field page={page} form={props.forms.member} name="phone" label={t('round.phone')} type="tel" />
          <p class="actions">
            <button type="submit">{t('round.addMemberButton')}</button>
          </p>
        </form>
      ) : null}
    </section>
  );
}

const ACTION_STYLE: Partial<Record<RoundAction, string>> = { cancel: 'secondary', reopen: 'secondary' };

/** One step of the round's lifecycle, as a button (the round's version guards against a stale page). */
function ActionButton(props: { page: PageContext; round: RoundDetail; action: RoundAction }): Html {
  const { page, round, action } = props;
  return (
    <form method="post" action={`/rounds/${round.id}/actions/${action}`} class="inline-form">
      <CsrfField page={page} />
      <input type="hidden" name="version" value={String(round.version)} />
      <button type="submit" class={ACTION_STYLE[action] ?? ''}>
        {page.t(`round.action.${action}`)}
      </button>
    </form>
  );
}

export function RoundPage(props: {
  page: PageContext;
  round: RoundDetail;
  councilUsers: { id: string; name: string; email: string }[];
  candidates: { dossierId: string; label: string }[];
  forms: RoundForms;
}): Html {
  const { page, round, forms } = props;
  const { t } = page;
  const office = round.sides.includes('office');
  const runs = round.sides.length > 0;
  return (
    <Layout page={page} title={round.name}>
      <p class="eyebrow">
        <a href="/rounds">{t('round.listTitle')}</a>
      </p>
      <h1>{round.name}</h1>
      <p>
        <Status page={page} status={round.status} /> · {t(`round.levels.${round.level}`)} ·{' '}
        {t('round.schedule', {
          filesBy: formatDate(round.filesBy, page.locale),
          closesBy: formatDate(round.closesBy, page.locale),
        })}
        {round.scoringDate
          ? ` · ${t('round.scoringOn', { date: formatDate(round.scoringDate, page.locale) })}`
          : ''}
        {round.location ? ` · ${round.location}` : ''}
      </p>
      <p class="hint">{t('round.rules', { version: round.criteriaVersion, limit: round.spreadLimit })}</p>
      {round.decision ? (
        <p class="notice" data-testid="decision">
          {t('round.decisionRecorded', {
            number: round.decision.number,
            date: formatDate(round.decision.date, page.locale),
            signer: round.decision.signer,
          })}
        </p>
      ) : null}
      {runs ? (
        <p class="actions">
          <a
            class="button secondary"
            href={`/api/v1/evaluation/rounds/${round.id}/minutes.pdf`}
            data-testid="minutes-pdf"
          >
            {t('round.minutesPdf')}
          </a>{' '}
          <a
            class="button secondary"
            href={`/api/v1/evaluation/rounds/${round.id}/results.xlsx`}
            data-testid="results-xlsx"
          >
            {t('round.resultsXlsx')}
          </a>{' '}
          <a class="button secondary" href={`/rounds/${round.id}/report`}>
            {t('round.report')}
          </a>
        </p>
      ) : null}

      <Council page={page} round={round} councilUsers={props.councilUsers} forms={forms} />

      <section aria-labelledby="dossiers">
        <h2 id="dossiers">{t('round.dossiers')}</h2>
        {round.dossiers.length === 0 ? (
          <p class="empty">{t('round.noDossiers')}</p>
        ) : (
          <div class="table-scroll">
            <table class="table" data-testid="round-dossiers">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('round.product')}</th>
                  <th scope="col">{t('round.sheets')}</th>
                  <th scope="col">{t('round.score')}</th>
                  <th scope="col">{t('round.spread')}</th>
                  <th scope="col">{t('round.stars')}</th>
                  <th scope="col">{t('round.result')}</th>
                </tr>
              </thead>
              <tbody>
                {round.dossiers.map((d) => (
                  <DossierRow page={page} round={round} dossier={d} forms={forms} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {office && round.status === 'planned' ? (
          <form method="post" action={`/rounds/${round.id}/dossiers`} class="form">
            <CsrfField page={page} />
            <h3>{t('round.addDossier')}</h3>
            <FormMessage form={forms.dossier} />
            {props.candidates.length === 0 ? (
              <p class="hint">{t('round.noCandidates')}</p>
            ) : (
              <>
                <Field
                  page={page}
                  form={forms.dossier}
                  name="dossierId"
                  label={t('round.dossier')}
                  required
                  options={props.candidates.map((c) => ({ value: c.dossierId, label: c.label }))}
                />
                <p class="actions">
                  <button type="submit">{t('round.addDossierButton')}</button>
                </p>
              </>
            )}
          </form>
        ) : null}
      </section>

      {round.actions.length > 0 ? (
        <section aria-labelledby="round-actions">
          <h2 id="round-actions">{t('round.actions')}</h2>
          <FormMessage form={forms.action} />
          {round.actions.includes('decide') ? (
            <form method="post" action={`/rounds/${round.id}/actions/decide`} class="form">
              <CsrfField page={page} />
              <p>{t('round.decideIntro')}</p>
              <Field
                page={page}
                form={forms.action}
                name="decisionNumber"
                label={t('round.decisionNumber')}
                required
              />
              <Field
                page={page}
                form={forms.action}
                name="decisionDate"
                label={t('round.decisionDate')}
                type="date"
                required
              />
              <Field
                page={page}
                form={forms.action}
                name="decisionSigner"
                label={t('round.decisionSigner')}
                required
              />
              <p class="actions">
                <button type="submit">{t('round.action.decide')}</button>
              </p>
            </form>
          ) : null}
          <div class="actions">
            {round.actions
              .filter((action) => action !== 'decide' && action !== 'cancel')
              .map((action) => (
                <ActionButton page={page} round={round} action={action} />
              ))}
          </div>
          {round.actions.includes('cancel') ? (
            <details class="danger-zone">
              <summary>{t('round.cancelOpen')}</summary>
              <p class="hint">{t('round.cancelHint')}</p>
              <ActionButton page={page} round={round} action="cancel" />
            </details>
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}

function SheetSummary(props: { page: PageContext; sheet: ScoreSheetView; form: CriteriaForm }): Html {
  const { page, sheet, form } = props;
  const { t } = page;
  const comments = Object.entries(sheet.comments).filter(([, c]) => c);
  return (
    <details class="sheet-summary">
      <summary>
        {sheet.memberName}: <strong>{score(page, sheet.total)}</strong>
        {sheet.opinion ? ` · ${t(`round.opinion.${sheet.opinion}`)}` : ''}
      </summary>
      <ul>
        {form.leaves.map((leaf) => {
          const choice = sheet.choices[leaf.code];
          const points = choice === undefined ? undefined : pointsOf(leaf, choice);
          return (
            <li>
              {leaf.code}: {points === undefined ? '—' : t('criteria.points', { points })}
              {sheet.comments[leaf.code] ? ` — ${sheet.comments[leaf.code]}` : ''}
            </li>
          );
        })}
      </ul>
      {comments.length === 0 ? null : (
        <p class="hint">{t('round.commentsCount', { count: comments.length })}</p>
      )}
      {sheet.sha256 ? <p class="hint mono">SHA-256 {sheet.sha256}</p> : null}
    </details>
  );
}

/** The member's declaration of a conflict of interest on one product. */
function ConflictForm(props: {
  page: PageContext;
  action: string;
  declared: boolean | undefined;
  state: FormState;
}): Html {
  const { page, declared } = props;
  const { t } = page;
  const reasonError = props.state.errors.find((e) => e.name === 'reason');
  return (
    <form method="post" action={props.action} class="form conflict">
      <CsrfField page={page} />
      <h2>{t('round.conflictTitle')}</h2>
      <p class="hint">{t('round.conflictIntro')}</p>
      <FormMessage form={props.state} />
      <label class="option">
        <input type="radio" name="conflicted" value="0" checked={declared === false} required />{' '}
        {t('round.noConflict')}
      </label>
      <label class="option">
        <input type="radio" name="conflicted" value="1" checked={declared === true} />{' '}
        {t('round.hasConflict')}
      </label>
      <label class="block-label">
        {t('round.conflictReason')}
        <textarea name="reason" rows={2} maxlength={2000}>
          {props.state.values.reason ?? ''}
        </textarea>
      </label>
      {reasonError ? <p class="error">{t(`validation.${reasonError.rule}`, reasonError.params)}</p> : null}
      <p class="actions">
        <button type="submit" class="secondary">
          {t('round.declare')}
        </button>
      </p>
    </form>
  );
}

/** An upgrade or re-evaluation beside the evaluation it revisits: what changed, criterion by criterion. */
function ComparisonBox(props: { page: PageContext; comparison: Comparison }): Html {
  const { page, comparison: c } = props;
  const { t } = page;
  return (
    <section class="comparison" aria-labelledby="comparison" data-testid="comparison">
      <h2 id="comparison">{t('round.comparisonTitle')}</h2>
      <p>
        {t('round.comparisonPrevious', {
          round: c.roundName,
          date: c.decisionDate ? formatDate(c.decisionDate, page.locale) : '—',
          score: score(page, c.score),
          stars: c.stars,
        })}
      </p>
      {c.changes === null ? (
        <p class="hint">{t('round.comparisonPending')}</p>
      ) : c.changes.length === 0 ? (
        <p>{t('round.comparisonNone')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('criteria.criterion')}</th>
              <th scope="col">{t('round.comparisonBefore')}</th>
              <th scope="col">{t('round.comparisonAfter')}</th>
            </tr>
          </thead>
          <tbody>
            {c.changes.map((change) => (
              <tr>
                <td>{change.criterion}</td>
                <td>{score(page, change.before)}</td>
                <td>
                  {score(page, change.after)} {change.after > change.before ? '▲' : '▼'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ScoringPage(props: {
  page: PageContext;
  round: RoundDetail;
  dossier: RoundDossier;
  form: CriteriaForm;
  mine: ScoreSheetView | null;
  others: ScoreSheetView[] | null;
  previous: ScoreSheetView | null;
  /** An upgrade or re-evaluation: the evaluation it revisits and what changed since. */
  comparison: Comparison | null;
  documents: { id: string; name: string; kind: string }[];
  state: FormState;
  /** What the member typed when a save failed, to show again. */
  typed?: { choices: Record<string, number>; comments: Record<string, string> } | undefined;
  idempotencyKey: string;
}): Html {
  const { page, round, dossier: d, form, mine } = props;
  const { t } = page;
  const seat = round.seat;
  const declared = seat ? d.conflicts[seat.id] : undefined;
  const canScore =
    round.status === 'open' &&
    seat !== null &&
    seat.role !== 'advisor' &&
    seat.present &&
    declared === false &&
    d.state !== 'final' &&
    mine?.status !== 'submitted';
  const choices = props.typed?.choices ?? mine?.choices ?? props.previous?.choices ?? {};
  const comments = props.typed?.comments ?? mine?.comments ?? {};
  const flags = disqualificationFlags(form);
  const errorOf = (code: string) => {
    const e = sheetState.errors.find((f) => f.name === `choices/${code}`);
    return e ? t(`validation.${e.rule}`, e.params) : undefined;
  };
  const apiUrl = `/api/v1/evaluation/rounds/${round.id}/dossiers/${d.id}/sheet`;
  const conflictUrl = `/rounds/${round.id}/dossiers/${d.id}/conflict`;
  // a declaration may change until the member's sheet is submitted or the result is final
  const canDeclare =
    (round.status === 'planned' || round.status === 'open') &&
    mine?.status !== 'submitted' &&
    d.state !== 'final';
  // one page, two forms: a refusal is shown on the form it came from
  const conflictFailed =
    props.state.values.conflicted !== undefined ||
    props.state.errors.some((e) => e.name === 'conflicted' || e.name === 'reason');
  const conflictState = conflictFailed ? props.state : emptyForm();
  const sheetState = conflictFailed ? emptyForm() : props.state;
  return (
    <Layout page={page} title={`${d.productName} · ${round.name}`}>
      <p class="eyebrow">
        <a href={`/rounds/${round.id}`}>{round.name}</a>
      </p>
      <h1>{d.productName}</h1>
      <p>
        {d.producerName} · {t('round.set', { set: d.productSet })} {form.name} · {t(`round.kind.${d.kind}`)}
        {d.attempt > 1 ? ` · ${t('round.attempt', { attempt: d.attempt })}` : ''}
      </p>
      <div class="scoring-layout">
        <aside class="evidence" aria-labelledby="evidence">
          <h2 id="evidence">{t('round.evidence')}</h2>
          <p>
            <a href={`/dossiers/${d.dossierId}`} target="_blank" rel="noopener">
              {t('round.openDossier')}
            </a>
          </p>
          {props.documents.length === 0 ? (
            <p class="hint">{t('round.noDocuments')}</p>
          ) : (
            <ul data-testid="evidence">
              {props.documents.map((doc) => (
                <li>
                  {t(`dossiers.item.${doc.kind}`)}:{' '}
                  <a href={`/documents/${doc.id}`} target="_blank" rel="noopener">
                    {doc.name}
                  </a>
                </li>
              ))}
            </ul>
          )}
          {props.others ? (
            <section aria-labelledby="all-sheets" data-testid="all-sheets">
              <h2 id="all-sheets">{t('round.allSheets')}</h2>
              {props.others.map((s) => (
                <SheetSummary page={page} sheet={s} form={form} />
              ))}
            </section>
          ) : (
            <p class="hint">{t('round.sheetsHidden')}</p>
          )}
        </aside>
        <div class="sheet-column">
          {seat === null ? (
            <p class="notice">{t('round.notMember')}</p>
          ) : seat.role === 'advisor' ? (
            <p class="notice">{t('round.advisorNoScore')}</p>
          ) : !canDeclare ? null : declared === undefined ? (
            <ConflictForm page={page} action={conflictUrl} declared={declared} state={conflictState} />
          ) : (
            <details class="conflict-declared" data-testid="conflict-declared" open={conflictFailed}>
              <summary>
                {declared ? t('round.declaredConflict') : t('round.declaredNoConflict')}{' '}
                <span class="link-like">{t('round.changeDeclaration')}</span>
              </summary>
              <ConflictForm page={page} action={conflictUrl} declared={declared} state={conflictState} />
            </details>
          )}
          {declared === true ? (
            <p class="notice" data-testid="recused">
              {t('round.recused')}
            </p>
          ) : null}
          {mine?.status === 'submitted' ? (
            <p class="notice" data-testid="submitted">
              {t('round.submittedAt', {
                at: formatDateTime(mine.submittedAt, page.locale),
                total: score(page, mine.total),
              })}
            </p>
          ) : mine ? (
            <p class="hint" data-testid="draft-saved">
              {t('round.draftSavedAt', { at: formatDateTime(mine.savedAt, page.locale) })}
            </p>
          ) : null}
          {props.previous && d.mode === 'written' ? (
            <p class="notice">{t('round.previousScores', { total: score(page, props.previous.total) })}</p>
          ) : null}
          {props.comparison ? <ComparisonBox page={page} comparison={props.comparison} /> : null}
          {seat &&
          seat.role !== 'advisor' &&
          declared === false &&
          round.status === 'open' &&
          !seat.present ? (
            <p class="notice">{t('errors.round_member_absent')}</p>
          ) : null}
          {canScore || (mine && declared === false) ? (
            <form
              method="post"
              action={`/rounds/${round.id}/dossiers/${d.id}/sheet`}
              class="form form-wide score-form"
              data-api={apiUrl}
              data-queue-key={`ocop-sheet-queue:${seat?.userId ?? ''}`}
              data-text-queued={t('round.offline.queued')}
              data-text-sent={t('round.offline.sent')}
              data-text-sending={t('round.offline.sending')}
              data-points={JSON.stringify(
                Object.fromEntries(
                  form.leaves.map((leaf) => [
                    leaf.code,
                    Array.from({ length: choiceCount(leaf) }, (_, i) => pointsOf(leaf, i) ?? 0),
                  ]),
                ),
              )}
            >
              <CsrfField page={page} />
              <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
              <FormMessage form={sheetState} />
              {form.parts.map((part) => (
                <section aria-labelledby={`part-${part.code}`}>
                  <h2 id={`part-${part.code}`}>
                    {t('criteria.part', { code: part.code })}: {part.name}
                  </h2>
                  {form.leaves
                    .filter((leaf) => leaf.part === part.code)
                    .map((leaf) => (
                      <LeafChoice
                        page={page}
                        leaf={leaf}
                        chosen={choices[leaf.code]}
                        locked={!canScore}
                        comment={comments[leaf.code] ?? ''}
                        error={errorOf(leaf.code)}
                      />
                    ))}
                </section>
              ))}
              {flags.length > 0 ? (
                <fieldset class="choice" disabled={!canScore}>
                  <legend>{t('round.disqualify')}</legend>
                  {flags.map((f) => (
                    <label class="option">
                      <input
                        type="checkbox"
                        name="disqualified"
                        value={f.id}
                        checked={(mine?.disqualified ?? []).includes(f.id)}
                      />{' '}
                      {f.text}
                    </label>
                  ))}
                </fieldset>
              ) : null}
              {d.mode === 'written' && !d.meetingHeld ? (
                <fieldset class="choice" disabled={!canScore}>
                  <legend>{t('round.opinionTitle')}</legend>
                  <label class="option">
                    <input
                      type="radio"
                      name="opinion"
                      value="confirm"
                      checked={mine?.opinion === 'confirm'}
                    />{' '}
                    {t('round.opinion.confirm')}
                  </label>
                  <label class="option">
                    <input type="radio" name="opinion" value="change" checked={mine?.opinion === 'change'} />{' '}
                    {t('round.opinion.change')}
                  </label>
                </fieldset>
              ) : null}
              {canScore ? (
                <div class="sticky-actions">
                  <p class="offline-status" role="status" aria-live="polite" data-offline-status hidden />
                  <p
                    class="running-total"
                    data-running-total
                    data-template={t('round.runningTotal', {
                      answered: '{answered}',
                      of: form.leaves.length,
                      total: '{total}',
                    })}
                    hidden
                  />
                  <p class="actions">
                    <button type="submit" name="action" value="draft" class="secondary" formnovalidate>
                      {t('round.saveDraft')}
                    </button>
                    <button type="submit" name="action" value="submit">
                      {t('round.submitSheet')}
                    </button>
                  </p>
                </div>
              ) : null}
            </form>
          ) : (
            EMPTY
          )}
        </div>
      </div>
      <script src={assetUrl('scoring.js')} defer />
    </Layout>
  );
}
