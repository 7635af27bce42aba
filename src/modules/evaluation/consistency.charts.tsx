/**
 * Server-side SVG charts of the council consistency analytics (consistency.ts): no script, no
 * library, no inline CSS (the Content-Security-Policy forbids style attributes), only SVG
 * presentation attributes. Each chart is an <svg role="img"> with a <title> and a <desc> that
 * states the data in words; with no data it is a short paragraph instead.
 *
 * Sizing: the SVG has an intrinsic width and height and a viewBox, so a stylesheet rule such as
 * `.consistency-chart { max-width: 100%; height: auto; }` makes it shrink on narrow screens
 * with its text staying proportional. Text is 12 user units (bar counts 11, never less).
 * Colours (on white): ink #1a1f1c, lenient #9a3412, severe #1d4ed8, consistent #55605a,
 * bars #0b6b3a, limit #b91c1c: all ≥ 4.5:1, so they also pass as text colours.
 */
import type { Locale, Translate } from '../../platform/i18n/index.ts';
import { type Child, type Html, h } from '../../platform/views/jsx.ts';
import {
  type CriterionDisagreement,
  compareCriterionCodes,
  DEFAULT_TENDENCY_THRESHOLD,
  type MemberDeviation,
  type SpreadDistribution,
  type Tendency,
} from './consistency.ts';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';
const FONT_SIZE = 12;
const INK = '#1a1f1c';
const MUTED = '#55605a';
const GRID = '#d5ddd8';
const BAR = '#0b6b3a';
const LIMIT = '#b91c1c';
export const TENDENCY_COLOURS: Readonly<Record<Tendency, string>> = {
  lenient: '#9a3412',
  consistent: MUTED,
  severe: '#1d4ed8',
};
/** A white outline under value labels, so a grid or threshold line behind them does not cut them. */
const HALO = { stroke: '#ffffff', 'stroke-width': 3, 'stroke-linejoin': 'round', 'paint-order': 'stroke' };
/** Legend and description order: from lenient to severe, as the chart reads top to bottom. */
const TENDENCIES: readonly Tendency[] = ['lenient', 'consistent', 'severe'];

/** A generous estimate of a text's width (wide fonts such as DejaVu Sans fit in it). */
const textWidth = (text: string, size = FONT_SIZE) => text.length * size * 0.6;
/** Coordinates with one decimal: shorter markup, no visible difference. */
const px = (value: number) => Math.round(value * 10) / 10;
/** Baseline that centres a line of text on y. */
const middle = (y: number, size = FONT_SIZE) => px(y + size * 0.35);

function decimal(value: number, digits: number, locale: Locale | undefined): string {
  const rounded = Number(value.toFixed(digits));
  const text = (Object.is(rounded, -0) ? 0 : rounded).toFixed(digits);
  return locale === 'vi' ? text.replace('.', ',') : text;
}

/** One decimal with a sign: "+4.0", "−2.5" (a real minus sign), "0.0". */
function signed(value: number, locale: Locale | undefined): string {
  const text = decimal(Math.abs(value), 1, locale);
  const zero = Number(Math.abs(value).toFixed(1)) === 0;
  if (zero) return text;
  return value > 0 ? `+${text}` : `−${text}`;
}

/** A whole number as is, anything else with one decimal: "2", "2.5" (or "2,5" in Vietnamese). */
function plain(value: number, locale: Locale | undefined): string {
  return Number.isInteger(Number(value.toFixed(1))) ? decimal(value, 0, locale) : decimal(value, 1, locale);
}

const percent = (rate: number) => `${Math.round(rate * 100)}%`;
const capitalise = (text: string) => text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);

function truncate(text: string, width: number, size = FONT_SIZE): string {
  if (textWidth(text, size) <= width) return text;
  const chars = Math.max(1, Math.floor(width / (size * 0.6)) - 1);
  return `${text.slice(0, chars).trimEnd()}…`;
}

/** A step of 1, 2 or 5 × 10ⁿ that gives about `ticks` intervals up to `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = Math.max(max, 1) / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * power >= raw)! * power;
  return Math.max(1, step);
}

interface FrameProps {
  id: string;
  width: number;
  height: number;
  title: string;
  desc: string;
  children?: Child;
}

function ChartFrame(props: FrameProps): Html {
  const { id, width, height } = props;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class="consistency-chart"
      id={id}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      font-family={FONT}
      font-size={FONT_SIZE}
      fill={INK}
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{props.desc}</desc>
      {props.children}
    </svg>
  );
}

function EmptyChart(props: { id: string; message: string }): Html {
  return (
    <p class="chart-empty" id={props.id}>
      {props.message}
    </p>
  );
}

interface LegendItem {
  label: string;
  swatch: Html;
}

/** Legend items in a row, wrapped onto a new row when the width runs out; returns the rows used. */
function legend(
  items: LegendItem[],
  x0: number,
  y0: number,
  width: number,
): { markup: Html[]; rows: number } {
  const markup: Html[] = [];
  let x = x0;
  let row = 0;
  for (const item of items) {
    const itemWidth = 18 + textWidth(item.label);
    if (x > x0 && x + itemWidth > x0 + width) {
      x = x0;
      row += 1;
    }
    const y = y0 + row * 20;
    markup.push(
      <g transform={`translate(${px(x)} ${px(y)})`}>
        {item.swatch}
        <text x={16} y={middle(0)}>
          {item.label}
        </text>
      </g>,
    );
    x += itemWidth + 20;
  }
  return { markup, rows: row + 1 };
}

// ---------------------------------------------------------------------------------------------

export interface DeviationChartProps {
  deviations: MemberDeviation[];
  t: Translate;
  /** The threshold the tendencies were computed with; drawn as dashed lines. Default 3. */
  threshold?: number;
  /** 'vi' shows decimal commas. */
  locale?: Locale;
  id?: string;
}

/**
 * Horizontal diverging bars: one row per member in the given order (memberDeviations sorts them
 * most lenient first), zero in the middle, lenient to the right, severe to the left.
 */
export function DeviationChart(props: DeviationChartProps): Html {
  const { deviations, t, locale } = props;
  const id = props.id ?? 'consistency-deviation';
  const threshold = props.threshold ?? DEFAULT_TENDENCY_THRESHOLD;
  if (deviations.length === 0) return <EmptyChart id={id} message={t('consistency.deviation.empty')} />;

  const width = 680;
  const nameRight = 196;
  const barsLeft = 256;
  const barsRight = width - 56;
  const centre = (barsLeft + barsRight) / 2;
  const half = (barsRight - barsLeft) / 2;
  const top = 40;
  const rowHeight = 28;
  const barHeight = 16;
  const rowsBottom = top + deviations.length * rowHeight;

  const largest = Math.max(...deviations.map((d) => Math.abs(d.meanDeviation)));
  const extent = Math.ceil(Math.max(largest, threshold + 1, 1));
  const scale = half / extent;
  const xOf = (value: number) => centre + value * scale;

  const legendItems: LegendItem[] = [
    ...TENDENCIES.map((tendency) => ({
      label: capitalise(t(`consistency.tendency.${tendency}`)),
      swatch: <circle cx={6} cy={0} r={6} fill={TENDENCY_COLOURS[tendency]} />,
    })),
    ...(threshold > 0
      ? [
          {
            label: t('consistency.deviation.thresholdNote', { threshold: plain(threshold, locale) }),
            swatch: (
              <line x1={6} x2={6} y1={-8} y2={8} stroke={MUTED} stroke-width={1.5} stroke-dasharray="4 3" />
            ),
          },
        ]
      : []),
  ];
  const legendTop = rowsBottom + 46;
  const { markup: legendMarkup, rows: legendRows } = legend(legendItems, 16, legendTop, width - 32);
  const height = legendTop + (legendRows - 1) * 20 + 18;

  const counts = Object.fromEntries(
    TENDENCIES.map((tendency) => [tendency, deviations.filter((d) => d.tendency === tendency).length]),
  ) as Record<Tendency, number>;
  const desc = [
    t('consistency.deviation.desc', {
      members: deviations.length,
      lenient: counts.lenient,
      severe: counts.severe,
      consistent: counts.consistent,
      threshold: plain(threshold, locale),
    }),
    ...deviations.map((d) =>
      t('consistency.deviation.item', {
        name: d.memberName,
        value: signed(d.meanDeviation, locale),
        tendency: t(`consistency.tendency.${d.tendency}`),
        products: d.products,
      }),
    ),
  ].join(' ');

  // Tick labels: the extremes and zero always; the thresholds when they do not crowd zero.
  const ticks = [-extent, 0, extent];
  if (threshold > 0 && threshold * scale >= 28 && extent - threshold >= 28 / scale) {
    ticks.push(-threshold, threshold);
  }

  return (
    <ChartFrame id={id} width={width} height={height} title={t('consistency.deviation.title')} desc={desc}>
      <text x={barsLeft} y={20} fill={TENDENCY_COLOURS.severe}>
        {t('consistency.deviation.severeSide')}
      </text>
      <text x={barsRight} y={20} text-anchor="end" fill={TENDENCY_COLOURS.lenient}>
        {t('consistency.deviation.lenientSide')}
      </text>
      {threshold > 0 && threshold < extent
        ? [-threshold, threshold].map((value) => (
            <line
              x1={px(xOf(value))}
              x2={px(xOf(value))}
              y1={top - 6}
              y2={rowsBottom + 4}
              stroke={MUTED}
              stroke-width={1}
              stroke-dasharray="4 3"
            />
          ))
        : null}
      {deviations.map((d, i) => {
        const y = top + i * rowHeight + rowHeight / 2;
        const length = Math.abs(d.meanDeviation) * scale;
        const right = d.meanDeviation >= 0;
        const value = signed(d.meanDeviation, locale);
        const name = truncate(d.memberName, nameRight - 8);
        return (
          <g>
            <text x={nameRight} y={middle(y)} text-anchor="end">
              {name !== d.memberName ? <title>{d.memberName}</title> : null}
              {name}
            </text>
            <rect
              class="bar"
              x={px(right ? centre : centre - length)}
              y={px(y - barHeight / 2)}
              width={px(Math.max(length, 1))}
              height={barHeight}
              fill={TENDENCY_COLOURS[d.tendency]}
            />
            <text
              x={px(right ? centre + Math.max(length, 1) + 5 : centre - length - 5)}
              y={middle(y)}
              text-anchor={right ? 'start' : 'end'}
              {...HALO}
            >
              {value}
            </text>
          </g>
        );
      })}
      <line x1={centre} x2={centre} y1={top - 6} y2={rowsBottom + 4} stroke={INK} stroke-width={1.5} />
      <line x1={barsLeft} x2={barsRight} y1={rowsBottom + 4} y2={rowsBottom + 4} stroke={GRID} />
      {ticks.map((value) => (
        <text x={px(xOf(value))} y={rowsBottom + 22} text-anchor="middle" fill={MUTED}>
          {value === 0 ? '0' : value > 0 ? `+${plain(value, locale)}` : `−${plain(-value, locale)}`}
        </text>
      ))}
      {legendMarkup}
    </ChartFrame>
  );
}

// ---------------------------------------------------------------------------------------------

export interface SpreadHistogramProps {
  distribution: SpreadDistribution;
  /** The allowed spread, marked by a dashed line (the limit the distribution was computed with). */
  limit: number;
  t: Translate;
  locale?: Locale;
  id?: string;
}

/** Vertical bars: how many products fall in each spread bin; the limit as a dashed line. */
export function SpreadHistogram(props: SpreadHistogramProps): Html {
  const { distribution, limit, t, locale } = props;
  const id = props.id ?? 'consistency-spread';
  if (distribution.spreads.length === 0 || distribution.bins.length === 0) {
    return <EmptyChart id={id} message={t('consistency.spread.empty')} />;
  }

  const binWidth = distribution.bins[0]!.to - distribution.bins[0]!.from;
  // Extend with empty bins until the limit is inside the axis.
  const bins = [...distribution.bins];
  while (bins.length < 200 && bins[bins.length - 1]!.to <= limit) {
    const last = bins[bins.length - 1]!;
    bins.push({ from: last.to, to: last.to + binWidth, count: 0 });
  }
  const domain = bins[bins.length - 1]!.to;

  const width = 680;
  const height = 340;
  const left = 64;
  const right = width - 24;
  const top = 54;
  const bottom = height - 64;
  const plotWidth = right - left;
  const plotHeight = bottom - top;
  const binPx = plotWidth / bins.length;
  const xOf = (value: number) => left + (value / domain) * plotWidth;

  const maxCount = Math.max(...bins.map((b) => b.count));
  const step = niceStep(maxCount, 4);
  const yMax = Math.max(step, Math.ceil(maxCount / step) * step);
  const yOf = (count: number) => bottom - (count / yMax) * plotHeight;
  const yTicks = Array.from({ length: Math.round(yMax / step) + 1 }, (_, i) => i * step);
  const stride = Math.max(1, Math.ceil(34 / binPx));
  const xTicks = Array.from({ length: bins.length + 1 }, (_, i) => i).filter((i) => i % stride === 0);

  const limitX = xOf(Math.max(0, Math.min(limit, domain)));
  const limitLabel = t('consistency.spread.limit', {
    limit: plain(limit, locale),
    count: distribution.aboveLimit,
  });
  const labelOnLeft = limitX - left > right - limitX;

  const desc = [
    t('consistency.spread.desc', {
      products: distribution.spreads.length,
      median: plain(distribution.median, locale),
      max: plain(distribution.max, locale),
      above: distribution.aboveLimit,
      limit: plain(limit, locale),
    }),
    ...distribution.bins
      .filter((b) => b.count > 0)
      .map((b) =>
        t('consistency.spread.bin', { from: plain(b.from, locale), to: plain(b.to, locale), count: b.count }),
      ),
  ].join(' ');

  return (
    <ChartFrame id={id} width={width} height={height} title={t('consistency.spread.title')} desc={desc}>
      {yTicks.map((count) => (
        <g>
          <line x1={left} x2={right} y1={px(yOf(count))} y2={px(yOf(count))} stroke={GRID} />
          <text x={left - 8} y={middle(yOf(count))} text-anchor="end" fill={MUTED}>
            {count}
          </text>
        </g>
      ))}
      {bins.map((bin, i) =>
        bin.count > 0 ? (
          <g>
            <rect
              class="bar"
              x={px(left + i * binPx + 1)}
              y={px(yOf(bin.count))}
              width={px(Math.max(binPx - 2, 1))}
              height={px(bottom - yOf(bin.count))}
              fill={BAR}
            />
            {binPx >= textWidth(String(bin.count), 11) + 2 ? (
              <text
                x={px(left + (i + 0.5) * binPx)}
                y={px(yOf(bin.count) - 5)}
                text-anchor="middle"
                font-size={11}
              >
                {bin.count}
              </text>
            ) : null}
          </g>
        ) : null,
      )}
      <line x1={left} x2={right} y1={bottom} y2={bottom} stroke={INK} />
      {xTicks.map((i) => (
        <g>
          <line
            x1={px(left + i * binPx)}
            x2={px(left + i * binPx)}
            y1={bottom}
            y2={bottom + 5}
            stroke={INK}
          />
          <text x={px(left + i * binPx)} y={bottom + 20} text-anchor="middle" fill={MUTED}>
            {plain(i * binWidth, locale)}
          </text>
        </g>
      ))}
      <text x={left + plotWidth / 2} y={bottom + 46} text-anchor="middle">
        {t('consistency.spread.axisX')}
      </text>
      <text transform={`translate(18 ${px(top + plotHeight / 2)}) rotate(-90)`} text-anchor="middle">
        {t('consistency.spread.axisY')}
      </text>
      <line
        x1={px(limitX)}
        x2={px(limitX)}
        y1={top - 26}
        y2={bottom}
        stroke={LIMIT}
        stroke-width={2}
        stroke-dasharray="6 4"
      />
      <text
        x={px(labelOnLeft ? limitX - 6 : limitX + 6)}
        y={top - 30}
        text-anchor={labelOnLeft ? 'end' : 'start'}
        fill={LIMIT}
        font-weight="bold"
        {...HALO}
      >
        {limitLabel}
      </text>
    </ChartFrame>
  );
}

// ---------------------------------------------------------------------------------------------

export interface DisagreementChartProps {
  rows: CriterionDisagreement[];
  t: Translate;
  /** How many criteria to show, highest rate first; default 15. */
  max?: number;
  locale?: Locale;
  id?: string;
}

/** Horizontal bars: the share of products on which the members scored a criterion differently. */
export function DisagreementChart(props: DisagreementChartProps): Html {
  const { t, locale } = props;
  const id = props.id ?? 'consistency-disagreement';
  const max = Math.max(0, Math.floor(props.max ?? 15));
  const rows = [...props.rows]
    .sort((a, b) => b.rate - a.rate || compareCriterionCodes(a.criterion, b.criterion))
    .slice(0, max);
  if (rows.length === 0) return <EmptyChart id={id} message={t('consistency.disagreement.empty')} />;

  const width = 680;
  const labelRight = 76;
  const left = 84;
  const right = width - 124;
  const plotWidth = right - left;
  const top = 40;
  const rowHeight = 26;
  const barHeight = 16;
  const rowsBottom = top + rows.length * rowHeight;
  const height = rowsBottom + 58;
  const xOf = (rate: number) => left + rate * plotWidth;

  const desc = [
    t('consistency.disagreement.desc', { criteria: props.rows.length, shown: rows.length }),
    ...rows.map((row) =>
      t('consistency.disagreement.item', {
        criterion: row.criterion,
        rate: percent(row.rate),
        disagreements: row.disagreements,
        products: row.products,
        range: decimal(row.meanRange, 1, locale),
      }),
    ),
  ].join(' ');

  return (
    <ChartFrame id={id} width={width} height={height} title={t('consistency.disagreement.title')} desc={desc}>
      <text x={labelRight} y={22} text-anchor="end" font-weight="bold">
        {t('consistency.disagreement.axisY')}
      </text>
      {[0, 0.25, 0.5, 0.75, 1].map((rate) => (
        <g>
          <line x1={px(xOf(rate))} x2={px(xOf(rate))} y1={top - 6} y2={rowsBottom + 4} stroke={GRID} />
          <text x={px(xOf(rate))} y={rowsBottom + 22} text-anchor="middle" fill={MUTED}>
            {percent(rate)}
          </text>
        </g>
      ))}
      {rows.map((row, i) => {
        const y = top + i * rowHeight + rowHeight / 2;
        const length = row.rate * plotWidth;
        const code = truncate(row.criterion, labelRight - 4);
        return (
          <g>
            <text x={labelRight} y={middle(y)} text-anchor="end">
              {code}
            </text>
            <rect
              class="bar"
              x={left}
              y={px(y - barHeight / 2)}
              width={px(Math.max(length, 1))}
              height={barHeight}
              fill={BAR}
            />
            <text x={px(left + Math.max(length, 1) + 6)} y={middle(y)} {...HALO}>
              {`${percent(row.rate)} (${row.disagreements}/${row.products})`}
            </text>
          </g>
        );
      })}
      <line x1={left} x2={left} y1={top - 6} y2={rowsBottom + 4} stroke={INK} />
      <text x={left + plotWidth / 2} y={rowsBottom + 46} text-anchor="middle">
        {t('consistency.disagreement.axisX')}
      </text>
    </ChartFrame>
  );
}
