/** The round's consistency report: three server-side SVG charts and the figures as tables. */
import { type Html, h } from '../../platform/views/jsx.ts';
import { Layout, type PageContext } from '../../platform/views/layout.tsx';
import { DeviationChart, DisagreementChart, SpreadHistogram } from './consistency.charts.tsx';
import type { CriterionDisagreement, MemberDeviation, SpreadDistribution } from './consistency.ts';
import type { Round } from './rounds.service.ts';

const one = (page: PageContext, n: number) =>
  page.locale === 'vi' ? n.toFixed(1).replace('.', ',') : n.toFixed(1);

export function ReportPage(props: {
  page: PageContext;
  round: Round;
  deviations: MemberDeviation[];
  distribution: SpreadDistribution;
  disagreement: CriterionDisagreement[];
}): Html {
  const { page, round } = props;
  const { t } = page;
  return (
    <Layout page={page} title={`${t('round.reportTitle')} · ${round.name}`}>
      <p class="eyebrow">
        <a href={`/rounds/${round.id}`}>{round.name}</a>
      </p>
      <h1>{t('round.reportTitle')}</h1>
      <p>{t('round.reportIntro')}</p>
      <section aria-labelledby="deviation" class="report-section">
        <h2 id="deviation">{t('consistency.deviation.title')}</h2>
        <p class="hint">{t('round.reportAcrossRounds')}</p>
        <DeviationChart deviations={props.deviations} t={t} locale={page.locale} />
        {props.deviations.length > 0 ? (
          <table class="table" data-testid="deviations">
            <thead>
              <tr>
                <th scope="col">{t('round.memberName')}</th>
                <th scope="col">{t('round.reportProducts')}</th>
                <th scope="col">{t('round.reportMeanDeviation')}</th>
                <th scope="col">{t('round.reportMeanAbsolute')}</th>
                <th scope="col">{t('round.reportTendency')}</th>
              </tr>
            </thead>
            <tbody>
              {props.deviations.map((d) => (
                <tr>
                  <td>{d.memberName}</td>
                  <td>{String(d.products)}</td>
                  <td>{one(page, d.meanDeviation)}</td>
                  <td>{one(page, d.meanAbsoluteDeviation)}</td>
                  <td>{t(`consistency.tendency.${d.tendency}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section aria-labelledby="spread" class="report-section">
        <h2 id="spread">{t('consistency.spread.title')}</h2>
        <SpreadHistogram
          distribution={props.distribution}
          limit={round.spreadLimit}
          t={t}
          locale={page.locale}
        />
      </section>
      <section aria-labelledby="disagreement" class="report-section">
        <h2 id="disagreement">{t('consistency.disagreement.title')}</h2>
        <DisagreementChart rows={props.disagreement} t={t} locale={page.locale} />
      </section>
    </Layout>
  );
}
