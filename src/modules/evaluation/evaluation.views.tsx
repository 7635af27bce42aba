import { formatDateTime } from '../../platform/time.ts';
import { FormMessage, type FormState } from '../../platform/views/form.tsx';
import { EMPTY, Fragment, type Html, h } from '../../platform/views/jsx.ts';
import { CsrfField, Layout, type PageContext } from '../../platform/views/layout.tsx';
import { type CriteriaForm, type CriteriaVersion, type Criterion, isMetOrNot } from './criteria.ts';
import type { NextSteps } from './next-steps.ts';
import { ScoreSheet } from './score-sheet.views.tsx';
import { formatScore, type ScoreResult } from './scoring.ts';

const stars = (n: number) => (n > 0 ? '★'.repeat(n) : '—');

export function CriteriaIndexPage(props: { page: PageContext; versions: CriteriaVersion[] }): Html {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('criteria.title')}>
      <h1>{t('criteria.title')}</h1>
      <p>{t('criteria.intro')}</p>
      {props.versions.map((version) => (
        <section aria-labelledby={`v-${version.slug}`}>
          <h2 id={`v-${version.slug}`}>{t('criteria.version', { title: version.title })}</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('criteria.set')}</th>
                  <th scope="col">{t('criteria.setName')}</th>
                  <th scope="col">{t('criteria.group')}</th>
                  <th scope="col">{t('criteria.form')}</th>
                </tr>
              </thead>
              <tbody>
                {version.sets.map((form) => (
                  <tr>
                    <td>{form.setCode}</td>
                    <td>
                      <a href={`/criteria/${version.slug}/${form.setCode}`}>{form.name}</a>
                    </td>
                    <td>{form.classification.nhom}</td>
                    <td>
                      <a href={`/criteria/${version.slug}/${form.setCode}/pdf`}>PDF</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {version.corrections.length > 0 ? (
            <>
              <h3>{t('criteria.corrections')}</h3>
              <p>{t('criteria.correctionsIntro')}</p>
              <div class="table-wrap">
                <table data-testid="corrections">
                  <thead>
                    <tr>
                      <th scope="col">{t('criteria.set')}</th>
                      <th scope="col">{t('criteria.criterion')}</th>
                      <th scope="col">{t('criteria.printed')}</th>
                      <th scope="col">{t('criteria.applied')}</th>
                      <th scope="col">{t('criteria.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {version.corrections.map((c) => (
                      <tr>
                        <td>{String(c.set).padStart(2, '0')}</td>
                        <td>
                          {c.criterion} — {c.text}
                        </td>
                        <td>{c.printed === null ? t('criteria.blank') : String(c.printed)}</td>
                        <td>{String(c.corrected)}</td>
                        <td>{c.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </section>
      ))}
    </Layout>
  );
}

export function CriteriaFormPage(props: {
  page: PageContext;
  form: CriteriaForm;
  version: CriteriaVersion;
}): Html {
  const { page, form, version } = props;
  return (
    <Layout page={page} title={`${form.setCode}. ${form.name}`}>
      <p class="actions no-print">
        <a href="/criteria">{page.t('criteria.back')}</a>
        <a href={`/criteria/${version.slug}/${form.setCode}/pdf`}>{page.t('criteria.downloadPdf')}</a>
      </p>
      <ScoreSheet page={page} form={form} version={{ slug: version.slug, title: version.title }} />
    </Layout>
  );
}

/** One leaf of the self-assessment: its options as radio buttons, with their points and markers. */
export function LeafChoice(props: {
  page: PageContext;
  leaf: Criterion;
  chosen: number | undefined;
  locked: boolean;
  /** A council member's comment on the criterion (the field `m/<code>`); absent: no comment box. */
  comment?: string;
  /** The field's error message, next to it. */
  error?: string;
}): Html {
  const { leaf, page } = props;
  const { t } = page;
  const name = `c/${leaf.code}`;
  const choices = isMetOrNot(leaf)
    ? [
        { label: t('criteria.notMet'), points: 0, marker: null as number | null },
        { label: t('criteria.met'), points: leaf.max, marker: null as number | null },
      ]
    : leaf.options.map((o) => ({
        label: o.text,
        points: o.points,
        marker: o.minimumForStars as number | null,
      }));
  return (
    <fieldset class="choice criterion" disabled={props.locked}>
      <legend>
        {leaf.code}. {leaf.text} <small>({t('criteria.maxPoints', { max: leaf.max })})</small>
      </legend>
      {leaf.notes.length > 0 ? <p class="hint">{leaf.notes.join(' ')}</p> : null}
      {choices.map((c, i) => (
        <label class="option">
          <input type="radio" name={name} value={String(i)} checked={props.chosen === i} required /> {c.label}{' '}
          <strong>({t('criteria.points', { points: c.points })})</strong>
          {c.marker ? <span class="stars"> {t('criteria.minimumFor', { stars: c.marker })}</span> : null}
        </label>
      ))}
      {props.error ? <p class="error">{props.error}</p> : null}
      {props.comment !== undefined ? (
        <label class="criterion-comment">
          {t('round.sheet.comment')}
          <textarea name={`m/${leaf.code}`} rows={2} maxlength={2000} disabled={props.locked}>
            {props.comment}
          </textarea>
        </label>
      ) : null}
    </fieldset>
  );
}

export function ResultBox(props: { page: PageContext; result: ScoreResult; steps: NextSteps | null }): Html {
  const { page, result, steps } = props;
  const { t } = page;
  return (
    <section class="notice result" aria-labelledby="result-title" data-testid="self-assessment-result">
      <h2 id="result-title">{t('selfAssessment.result')}</h2>
      <p>
        {t('selfAssessment.score', { score: formatScore(result.score) })} ·{' '}
        {t('selfAssessment.band', { stars: stars(result.band) })} ·{' '}
        <strong data-testid="estimated-stars">
          {t('selfAssessment.stars', { stars: stars(result.stars) })}
        </strong>
      </p>
      {result.failedGates.length > 0 ? (
        <>
          <p>{t('selfAssessment.failedGates')}</p>
          <ul>
            {result.failedGates.map((g) => (
              <li>
                {t('selfAssessment.gate', {
                  criterion: g.criterion,
                  stars: g.stars,
                  required: g.required,
                  actual: formatScore(g.actual),
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {steps && steps.steps.length > 0 ? (
        <>
          <p>
            <strong>{t('selfAssessment.nextSteps', { stars: steps.target })}</strong>
          </p>
          <ol data-testid="next-steps">
            {steps.steps.map((s) => (
              <li>{t('selfAssessment.step', { criterion: s.criterion, option: s.toText, gain: s.gain })}</li>
            ))}
          </ol>
        </>
      ) : steps && !steps.reachable ? (
        <p>{t('selfAssessment.unreachable', { stars: steps.target })}</p>
      ) : null}
      <p class="hint">{t('selfAssessment.notOfficial')}</p>
    </section>
  );
}

export function SelfAssessmentPage(props: {
  page: PageContext;
  dossierId: string;
  productName: string;
  form: CriteriaForm;
  version: CriteriaVersion;
  choices: Record<string, number>;
  result: ScoreResult | null;
  steps: NextSteps | null;
  editable: boolean;
  savedAt: string | null;
  state: FormState;
}): Html {
  const { page, form } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t('selfAssessment.title')}>
      <p class="eyebrow">
        <a href={`/dossiers/${props.dossierId}`}>{props.productName}</a>
      </p>
      <h1>{t('selfAssessment.title')}</h1>
      <p>
        {t('selfAssessment.intro', { set: `${form.setCode}. ${form.name}`, version: props.version.title })}
      </p>
      {props.savedAt ? (
        <p class="hint">{t('selfAssessment.savedAt', { at: formatDateTime(props.savedAt, page.locale) })}</p>
      ) : null}
      {props.result ? <ResultBox page={page} result={props.result} steps={props.steps} /> : EMPTY}
      <form
        method="post"
        action={`/dossiers/${props.dossierId}/self-assessment`}
        class="form form-wide self-assessment"
      >
        <CsrfField page={page} />
        <FormMessage form={props.state} />
        {form.parts.map((part) => (
          <section aria-labelledby={`part-${part.code}`}>
            <h2 id={`part-${part.code}`}>
              {t('criteria.part', { code: part.code })}: {part.name}
            </h2>
            {part.sections.map((section) => (
              <>
                <h3>
                  {section.code}. {section.name}{' '}
                  <small>({t('criteria.maxPoints', { max: section.max })})</small>
                </h3>
                {form.leaves
                  .filter((leaf) => leaf.part === part.code && leaf.section === section.code)
                  .map((leaf) => (
                    <LeafChoice
                      page={page}
                      leaf={leaf}
                      chosen={props.choices[leaf.code]}
                      locked={!props.editable}
                    />
                  ))}
              </>
            ))}
          </section>
        ))}
        {props.editable ? (
          <p class="actions">
            <button type="submit" name="action" value="estimate" class="secondary">
              {t('selfAssessment.estimate')}
            </button>
            <button type="submit" name="action" value="save">
              {t('selfAssessment.save')}
            </button>
          </p>
        ) : null}
      </form>
    </Layout>
  );
}
