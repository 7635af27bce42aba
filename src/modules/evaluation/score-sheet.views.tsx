/**
 * The printable official score sheet ("Bộ tiêu chí đánh giá sản phẩm OCOP (Kiêm phiếu đánh giá
 * sản phẩm OCOP)") of one product set, laid out like the form of Phụ lục II: title, the header
 * fields to fill, one table per part (section, criterion and option rows with their boxes, star
 * markers and points), the disqualification clauses, the footnotes and the signature block.
 *
 * `scoreSheetModel` flattens a form into the rows both renderings draw (this page and the PDF of
 * `score-sheet.pdf.ts`), so that they show the same content in the same order.
 */
import type { Translate } from '../../platform/i18n/index.ts';
import { type Html, h } from '../../platform/views/jsx.ts';
import type { PageContext } from '../../platform/views/layout.tsx';
import type { Correction, CriteriaForm, Criterion, Part, StarMarker } from './criteria.ts';

/** What the caller passes for the criteria version: `CriteriaVersion` fits. */
export interface SheetVersion {
  slug: string;
  title: string;
}

/** Criterion code → the chosen option's index (for a met/not-met criterion: 1 = met). */
export type SheetChoices = Record<string, number>;

/** The header fields a sheet can be filled with (the PDF fills them; the page leaves them blank). */
export interface SheetHeaderValues {
  productName?: string;
  productCode?: string;
  producerName?: string;
  phone?: string;
  address?: string;
}

export interface HeaderField {
  /** Which value fills it; null for the explanatory line under the product code. */
  key: keyof SheetHeaderValues | null;
  /** The label as printed, without the dotted leader ("Tên sản phẩm:"). */
  label: string;
  /** The label to put before a filled-in value ("Mã số sản phẩm:"). */
  filledLabel: string;
}

export type SheetRow =
  | { kind: 'section'; code: string; name: string; max: number }
  | { kind: 'criterion'; code: string; text: string; max: number; depth: number }
  | { kind: 'note'; text: string; group: string }
  | { kind: 'case'; text: string; group: string }
  | {
      kind: 'option';
      /** The leaf criterion the option answers (the key of `choices`). */
      criterion: string;
      index: number;
      text: string;
      points: number;
      marker: StarMarker | null;
      chosen: boolean;
      correction: (Correction & { number: number }) | null;
      /** "met" is the single box of a criterion the source lists without options. */
      met: boolean;
      group: string;
    };

export interface SheetPart {
  code: Part['code'];
  name: string;
  max: number;
  rows: SheetRow[];
}

export interface SheetFootnote {
  text: string;
  /** A line ending with ':' ("Ý kiến của người đánh giá:") is followed by lines to write on. */
  writeIn: boolean;
}

export interface SheetModel {
  setNumber: number;
  heading: string;
  classification: string;
  headerFields: HeaderField[];
  parts: SheetPart[];
  total: number;
  disqualifyIf: string[];
  footnotes: SheetFootnote[];
  /** The corrected options, numbered in form order (their reasons are listed at the end). */
  corrections: (Correction & { number: number })[];
}

const HEADER_KEYS: [RegExp, keyof SheetHeaderValues][] = [
  [/^Tên sản phẩm/iu, 'productName'],
  [/^Mã số sản phẩm/iu, 'productCode'],
  [/^Tên chủ thể/iu, 'producerName'],
  [/^Số điện thoại/iu, 'phone'],
  [/^Địa chỉ/iu, 'address'],
];

/** A printed header field: its label without the dotted leader, and which value fills it. */
export function parseHeaderField(printed: string): HeaderField {
  const key = HEADER_KEYS.find(([pattern]) => pattern.test(printed.trim()))?.[1] ?? null;
  if (key === null) return { key, label: printed.trim(), filledLabel: printed.trim() };
  let label = printed.replace(/[\s.…]+$/u, '').trim();
  if (key === 'productCode') {
    // "Mã số sản phẩm.(T).-.(X).-.(STT).-20……" → "Mã số sản phẩm (T)-(X)-(STT)-20…"
    label = `${label
      .replace(/\.?(\([A-Z]+\))\.?/g, ' $1 ')
      .replace(/\s*-\s*/g, '-')
      .replace(/\s+/g, ' ')
      .trim()}…`;
  }
  const base = (label.split(/[:(]/u)[0] ?? label).trim();
  return { key, label, filledLabel: `${base}:` };
}

/** Notes printed after the options ("Ghi chú: …", "Chú ý: …"); the others explain the heading. */
const isClosingNote = (note: string) => /^(Ghi chú|Chú ý|Lưu ý)(?=[\s:])/iu.test(note.trim());

/** The rows of every part, in form order, with the boxes ticked for `choices`. */
export function scoreSheetModel(form: CriteriaForm, choices: SheetChoices = {}): SheetModel {
  const corrections: (Correction & { number: number })[] = [];

  const criterionRows = (criterion: Criterion, depth: number, sectionName: string | null): SheetRow[] => {
    const group = criterion.code;
    const rows: SheetRow[] = [];
    // A criterion that only repeats its section (sections with options of their own) has no row.
    const notes =
      sectionName === null ? criterion.notes : criterion.notes.filter((n) => !sectionName.includes(n.trim()));
    if (sectionName === null) {
      rows.push({ kind: 'criterion', code: criterion.code, text: criterion.text, max: criterion.max, depth });
    }
    for (const note of notes.filter((n) => !isClosingNote(n))) rows.push({ kind: 'note', text: note, group });
    for (const child of criterion.children) rows.push(...criterionRows(child, depth + 1, null));
    const chosen = choices[criterion.code];
    if (criterion.leaf && criterion.options.length === 0) {
      rows.push({
        kind: 'option',
        criterion: criterion.code,
        index: 1,
        text: '',
        points: criterion.max,
        marker: null,
        chosen: chosen === 1,
        correction: null,
        met: true,
        group,
      });
    }
    let currentCase: string | null = null;
    for (const [index, option] of criterion.options.entries()) {
      if (option.case !== null && option.case !== currentCase) {
        currentCase = option.case;
        rows.push({ kind: 'case', text: option.case, group });
      }
      let correction: (Correction & { number: number }) | null = null;
      if (option.correction) {
        correction = { ...option.correction, number: corrections.length + 1 };
        corrections.push(correction);
      }
      rows.push({
        kind: 'option',
        criterion: criterion.code,
        index,
        text: option.text,
        points: option.points,
        marker: option.minimumForStars,
        chosen: chosen === index,
        correction,
        met: false,
        group,
      });
    }
    for (const note of notes.filter(isClosingNote)) rows.push({ kind: 'note', text: note, group });
    return rows;
  };

  const parts = form.parts.map((part): SheetPart => {
    const rows: SheetRow[] = [];
    for (const section of part.sections) {
      rows.push({ kind: 'section', code: section.code, name: section.name, max: section.max });
      for (const note of section.notes) rows.push({ kind: 'note', text: note, group: `§${section.code}` });
      for (const criterion of section.criteria) {
        const implicit = criterion.implicitFromSection && criterion.code === section.code;
        rows.push(...criterionRows(criterion, 0, implicit ? section.name : null));
      }
    }
    return { code: part.code, name: part.name, max: part.max, rows };
  });

  return {
    setNumber: form.set,
    heading: form.headingInForm || form.name,
    classification: form.classificationInForm,
    headerFields: form.formHeaderFields.map(parseHeaderField),
    parts,
    total: form.total,
    disqualifyIf: form.disqualifyIf,
    footnotes: form.footnotes.map((text) => ({ text, writeIn: text.trim().endsWith(':') })),
    corrections,
  };
}

/** "***" for a 3-star minimum, and so on. */
export const starMarker = (stars: StarMarker) => '*'.repeat(stars);

/** The printed value of a corrected option ("13", or a blank cell). */
export function correctionText(t: Translate, correction: Correction): string {
  return t('criteria.sheet.printed', {
    printed: correction.printed === null ? t('criteria.sheet.blankCell') : correction.printed,
    applied: correction.corrected,
  });
}

const formatPoints = (points: number) => String(points).replace('.', ',');

function Box(props: { page: PageContext; chosen: boolean }): Html {
  return props.chosen ? (
    <span class="score-sheet-box is-chosen" role="img" aria-label={props.page.t('criteria.sheet.chosen')}>
      ☒
    </span>
  ) : (
    <span class="score-sheet-box" aria-hidden="true">
      ☐
    </span>
  );
}

function Row(props: { page: PageContext; row: SheetRow }): Html {
  const { page, row } = props;
  const { t } = page;
  switch (row.kind) {
    case 'section':
      return (
        <tr class="score-sheet-section">
          <th scope="rowgroup">{row.code}</th>
          <th scope="rowgroup">{row.name}</th>
          <td />
          <td class="score-sheet-points">{formatPoints(row.max)}</td>
        </tr>
      );
    case 'criterion':
      return (
        <tr class={`score-sheet-criterion depth-${row.depth}`}>
          <th scope="row">{row.code}</th>
          <td>{row.text}</td>
          <td />
          <td class="score-sheet-points">{formatPoints(row.max)}</td>
        </tr>
      );
    case 'note':
      return (
        <tr class="score-sheet-note">
          <td />
          <td>
            <i>{row.text}</i>
          </td>
          <td />
          <td />
        </tr>
      );
    case 'case':
      return (
        <tr class="score-sheet-case">
          <td />
          <td>{row.text}</td>
          <td />
          <td />
        </tr>
      );
    case 'option':
      return (
        <tr class={`score-sheet-option${row.chosen ? ' is-chosen' : ''}`}>
          <td />
          <td>
            <Box page={page} chosen={row.chosen} /> {row.met ? t('criteria.sheet.met') : row.text}
            {row.correction ? (
              <span class="score-sheet-correction" title={row.correction.reason}>
                {' '}
                ({correctionText(t, row.correction)}
                <sup>
                  <a href={`#score-sheet-correction-${row.correction.number}`}>{row.correction.number}</a>
                </sup>
                )
              </span>
            ) : null}
          </td>
          <td class="score-sheet-stars">
            {row.marker ? (
              <abbr title={t('criteria.sheet.starsLabel', { stars: row.marker })}>
                {starMarker(row.marker)}
              </abbr>
            ) : null}
          </td>
          <td class="score-sheet-points">{formatPoints(row.points)}</td>
        </tr>
      );
  }
}

/** The rows of a part cut at each section row: one `<tbody>` (row group) per section. */
function bySection(rows: SheetRow[]): SheetRow[][] {
  const groups: SheetRow[][] = [];
  for (const row of rows) {
    if (row.kind === 'section' || groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(row);
  }
  return groups;
}

/** The score sheet of one form (the page body; the caller wraps it in the layout). */
export function ScoreSheet(props: {
  page: PageContext;
  form: CriteriaForm;
  version: SheetVersion;
  choices?: SheetChoices;
}): Html {
  const { page, form, version } = props;
  const { t } = page;
  const model = scoreSheetModel(form, props.choices);
  const starNote = model.footnotes.filter((f) => !f.writeIn);
  const writeIns = model.footnotes.filter((f) => f.writeIn);
  return (
    <article
      class="score-sheet"
      aria-labelledby="score-sheet-title"
      data-set={form.setCode}
      data-version={version.slug}
    >
      <header class="score-sheet-head">
        <p class="score-sheet-issued">{t('criteria.sheet.issuedWith', { title: version.title })}</p>
        <h1 id="score-sheet-title">
          {t('criteria.sheet.title')} <span class="score-sheet-subtitle">{t('criteria.sheet.subtitle')}</span>
        </h1>
        <p class="score-sheet-set">
          {t('criteria.sheet.set', { number: model.setNumber, name: model.heading })}
        </p>
        {model.classification ? <p class="score-sheet-classification">{model.classification}</p> : null}
      </header>

      <div class="score-sheet-fields">
        {model.headerFields.map((field) =>
          field.key === null ? (
            <p class="score-sheet-field-hint">{field.label}</p>
          ) : (
            <p class="score-sheet-field">
              <span class="score-sheet-field-label">{field.label}</span>
              <span class="score-sheet-blank" />
            </p>
          ),
        )}
      </div>

      {model.parts.map((part) => (
        <table class="score-sheet-part" aria-labelledby={`score-sheet-part-${part.code}`}>
          <colgroup>
            <col class="score-sheet-col-code" />
            <col />
            <col class="score-sheet-col-stars" />
            <col class="score-sheet-col-points" />
          </colgroup>
          <thead>
            <tr class="score-sheet-part-head">
              <th scope="colgroup" colspan="3" id={`score-sheet-part-${part.code}`}>
                {`${t('criteria.sheet.part', { code: part.code })}: ${part.name}`}
              </th>
              <td class="score-sheet-points">{formatPoints(part.max)}</td>
            </tr>
            <tr class="score-sheet-columns">
              <th scope="col">{t('criteria.sheet.colCode')}</th>
              <th scope="col">{t('criteria.sheet.colCriterion')}</th>
              <th scope="col">{t('criteria.sheet.colStars')}</th>
              <th scope="col" class="score-sheet-points">
                {t('criteria.sheet.colPoints')}
              </th>
            </tr>
          </thead>
          {bySection(part.rows).map((rows) => (
            <tbody>
              {rows.map((row) => (
                <Row page={page} row={row} />
              ))}
            </tbody>
          ))}
        </table>
      ))}

      <p class="score-sheet-total">
        <span>{t('criteria.sheet.total')}</span> <strong>{formatPoints(model.total)}</strong>
      </p>

      <div class="score-sheet-end">
        {model.disqualifyIf.map((clause) => (
          <p class="score-sheet-disqualify">
            <strong>{clause}</strong>
          </p>
        ))}
        {starNote.map((note) => (
          <p class="score-sheet-footnote">
            <i>{note.text}</i>
          </p>
        ))}
        {model.corrections.length > 0 ? (
          <section class="score-sheet-corrections" aria-labelledby="score-sheet-corrections">
            <h2 id="score-sheet-corrections">{t('criteria.sheet.corrections')}</h2>
            <ol>
              {model.corrections.map((c) => (
                <li id={`score-sheet-correction-${c.number}`} value={c.number}>
                  {`${t('criteria.sheet.correctionOf', { code: c.criterion, option: c.text })}: ${correctionText(t, c)}. `}
                  <span lang="en">{c.reason}</span>
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        {writeIns.map((note) => (
          <div class="score-sheet-write-in">
            <p>{note.text}</p>
            <span class="score-sheet-blank" />
            <span class="score-sheet-blank" />
            <span class="score-sheet-blank" />
          </div>
        ))}
        <div class="score-sheet-signature">
          <p class="score-sheet-date">{t('criteria.sheet.dateLine')}</p>
          <p class="score-sheet-signer">
            <strong>{t('criteria.sheet.evaluator')}</strong>
          </p>
          <p class="score-sheet-sign-hint">
            <i>{t('criteria.sheet.signHint')}</i>
          </p>
        </div>
      </div>
    </article>
  );
}
