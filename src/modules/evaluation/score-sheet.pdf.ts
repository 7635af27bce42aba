/**
 * The official score sheet of one product set as a PDF (A4 portrait, margins 15 mm), in
 * Vietnamese: the same content, in the same order, as the page of `score-sheet.views.tsx` (both
 * draw `scoreSheetModel`). Be Vietnam Pro (OFL) is embedded, as subsets: pdfkit's built-in fonts
 * have no Vietnamese letters.
 *
 * Layout: one table per part, four columns (code, criterion, star minimum, points). A row never
 * splits across pages; a criterion is kept on one page when it fits on one, and a heading is never
 * left alone at the bottom of a page. Continuation pages repeat the part heading and the column
 * headings. Every page has "Trang x/y" in its footer.
 */
import { createCatalogue, type Translate } from '../../platform/i18n/index.ts';
import { type FontName, nfc, openA4Pdf } from '../../platform/pdf.ts';
import type { CriteriaForm } from './criteria.ts';
import { evaluationMessages } from './evaluation.messages.ts';
import {
  correctionText,
  type SheetChoices,
  type SheetHeaderValues,
  type SheetModel,
  type SheetRow,
  type SheetVersion,
  scoreSheetModel,
  starMarker,
} from './score-sheet.views.tsx';

export interface ScoreSheetPdfOptions {
  /** Criterion code → chosen option index: those boxes are ticked. */
  choices?: SheetChoices;
  /** Values for the header fields; the fields without one stay blank lines to fill. */
  header?: SheetHeaderValues;
  /** Fixes the document's creation date (and so its file identifier): same input, same bytes. */
  fixedDate?: Date;
}

/** The sheet's labels, from the module's messages: the PDF is the official (Vietnamese) form, whatever the reader's language. */
const vi: Translate = createCatalogue([evaluationMessages]).translator('vi');

// Geometry, in points (1 mm = 2.8346 pt).
const MM = 72 / 25.4;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN = 15 * MM;
const LEFT = MARGIN;
const WIDTH = PAGE_W - 2 * MARGIN;
/** The lowest y a row may reach (the footer lives in the bottom margin). */
const BOTTOM = PAGE_H - MARGIN - 2;
const COL = { code: 38, stars: 44, points: 38 };
const COL_TEXT = WIDTH - COL.code - COL.stars - COL.points;
const X = {
  code: LEFT,
  text: LEFT + COL.code,
  stars: LEFT + COL.code + COL_TEXT,
  points: LEFT + COL.code + COL_TEXT + COL.stars,
  right: LEFT + WIDTH,
};
const PAD_X = 4;
const PAD_Y = 3;
const BOX = 7.5;
const BOX_INDENT = 13;
const SIZE = { body: 9.5, note: 8.5, small: 8, title: 13, heading: 11 };
const LINE_GAP = 1;
const GREY = { part: '#dfe6e2', section: '#f0f3f1', line: '#6b756f', light: '#9aa39e' };
/** A criterion this tall or less is kept on one page. */
const KEEP_TOGETHER_MAX = 170;

type Doc = PDFKit.PDFDocument;

const formatPoints = (points: number) => String(points).replace('.', ',');

function measure(doc: Doc, text: string, font: FontName, size: number, width: number): number {
  doc.font(font).fontSize(size);
  return doc.heightOfString(nfc(text), { width, lineGap: LINE_GAP });
}

function write(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  font: FontName,
  size: number,
  align: 'left' | 'right' | 'center' = 'left',
): void {
  doc.font(font).fontSize(size).fillColor('black').text(nfc(text), x, y, { width, align, lineGap: LINE_GAP });
}

/** A measured table row: its height and how to draw it at y. */
interface Laid {
  row: SheetRow;
  height: number;
  /** Draw a rule above the row (section and criterion rows start a new cell). */
  ruleAbove: boolean;
  keepWithNext: boolean;
  draw: (y: number) => void;
}

function frame(doc: Doc, y: number, height: number, fill: string | null, columns = true): void {
  if (fill) doc.rect(LEFT, y, WIDTH, height).fill(fill);
  doc.lineWidth(0.5).strokeColor(GREY.line);
  doc
    .moveTo(LEFT, y)
    .lineTo(LEFT, y + height)
    .stroke();
  doc
    .moveTo(X.right, y)
    .lineTo(X.right, y + height)
    .stroke();
  if (columns) {
    for (const x of [X.text, X.stars, X.points])
      doc
        .moveTo(x, y)
        .lineTo(x, y + height)
        .stroke();
  }
}

function rule(doc: Doc, y: number): void {
  doc.lineWidth(0.5).strokeColor(GREY.line).moveTo(LEFT, y).lineTo(X.right, y).stroke();
}

function box(doc: Doc, x: number, y: number, chosen: boolean): void {
  doc.lineWidth(0.7).strokeColor('black').rect(x, y, BOX, BOX).stroke();
  if (chosen) {
    doc
      .lineWidth(1.1)
      .moveTo(x + 1.6, y + 1.6)
      .lineTo(x + BOX - 1.6, y + BOX - 1.6)
      .moveTo(x + BOX - 1.6, y + 1.6)
      .lineTo(x + 1.6, y + BOX - 1.6)
      .stroke();
  }
}

function layRow(doc: Doc, row: SheetRow): Laid {
  const textW = COL_TEXT - 2 * PAD_X;
  switch (row.kind) {
    case 'section': {
      const height = measure(doc, row.name, 'bold', SIZE.body, textW) + 2 * PAD_Y;
      return {
        row,
        height,
        ruleAbove: true,
        keepWithNext: true,
        draw: (y) => {
          frame(doc, y, height, GREY.section);
          write(doc, row.code, X.code + PAD_X, y + PAD_Y, COL.code - 2 * PAD_X, 'bold', SIZE.body);
          write(doc, row.name, X.text + PAD_X, y + PAD_Y, textW, 'bold', SIZE.body);
          write(
            doc,
            formatPoints(row.max),
            X.points,
            y + PAD_Y,
            COL.points - PAD_X,
            'bold',
            SIZE.body,
            'right',
          );
        },
      };
    }
    case 'criterion': {
      const indent = row.depth > 0 ? 8 : 0;
      const font: FontName = 'bold';
      const height = measure(doc, row.text, font, SIZE.body, textW - indent) + 2 * PAD_Y;
      return {
        row,
        height,
        ruleAbove: true,
        keepWithNext: true,
        draw: (y) => {
          frame(doc, y, height, null);
          write(doc, row.code, X.code + PAD_X, y + PAD_Y, COL.code - 2 * PAD_X + 2, font, SIZE.body);
          write(doc, row.text, X.text + PAD_X + indent, y + PAD_Y, textW - indent, font, SIZE.body);
          write(
            doc,
            formatPoints(row.max),
            X.points,
            y + PAD_Y,
            COL.points - PAD_X,
            font,
            SIZE.body,
            'right',
          );
        },
      };
    }
    case 'note':
    case 'case': {
      const font: FontName = row.kind === 'note' ? 'italic' : 'bold';
      const size = row.kind === 'note' ? SIZE.note : SIZE.body;
      const height = measure(doc, row.text, font, size, textW) + 2 * PAD_Y - 1;
      return {
        row,
        height,
        ruleAbove: false,
        keepWithNext: row.kind === 'case',
        draw: (y) => {
          frame(doc, y, height, null);
          write(doc, row.text, X.text + PAD_X, y + PAD_Y - 0.5, textW, font, size);
        },
      };
    }
    case 'option': {
      const text = row.met ? vi('criteria.sheet.met') : row.text;
      const optionW = textW - BOX_INDENT;
      const correction = row.correction
        ? `${correctionText(vi, row.correction)} [${row.correction.number}]`
        : null;
      const textH = measure(doc, text, 'regular', SIZE.body, optionW);
      const correctionH = correction ? measure(doc, correction, 'italic', SIZE.note, optionW) : 0;
      const height = textH + correctionH + 2 * PAD_Y - 1;
      return {
        row,
        height,
        ruleAbove: false,
        keepWithNext: false,
        draw: (y) => {
          frame(doc, y, height, null);
          box(doc, X.text + PAD_X, y + PAD_Y + 1.5, row.chosen);
          write(doc, text, X.text + PAD_X + BOX_INDENT, y + PAD_Y - 0.5, optionW, 'regular', SIZE.body);
          if (correction) {
            write(
              doc,
              correction,
              X.text + PAD_X + BOX_INDENT,
              y + PAD_Y - 0.5 + textH,
              optionW,
              'italic',
              SIZE.note,
            );
          }
          if (row.marker) {
            write(doc, starMarker(row.marker), X.stars, y + PAD_Y, COL.stars, 'bold', SIZE.body, 'center');
          }
          const pointsFont: FontName = row.chosen ? 'bold' : 'regular';
          write(
            doc,
            formatPoints(row.points),
            X.points,
            y + PAD_Y - 0.5,
            COL.points - PAD_X,
            pointsFont,
            SIZE.body,
            'right',
          );
        },
      };
    }
  }
}

/** Marks which rows must stay on the page of the row after them. */
function keepTogether(rows: Laid[]): void {
  const groupOf = ({ row }: Laid): string | null =>
    row.kind === 'criterion' ? row.code : 'group' in row ? row.group : null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.row;
    // A closing note ("Ghi chú: …") stays with the option above it.
    if (row.kind === 'note' && i > 0 && rows[i - 1]!.row.kind === 'option') rows[i - 1]!.keepWithNext = true;
    // A note under a heading stays with what follows it.
    if (row.kind === 'note' && i > 0 && rows[i - 1]!.keepWithNext && i + 1 < rows.length) {
      if (rows[i + 1]!.row.kind !== 'section' && rows[i + 1]!.row.kind !== 'criterion')
        rows[i]!.keepWithNext = true;
    }
  }
  // A whole criterion (heading, notes, options) on one page when it is short enough.
  let start = 0;
  while (start < rows.length) {
    const group = groupOf(rows[start]!);
    let end = start;
    while (end + 1 < rows.length && group !== null && groupOf(rows[end + 1]!) === group) end++;
    const height = rows.slice(start, end + 1).reduce((sum, l) => sum + l.height, 0);
    if (height <= KEEP_TOGETHER_MAX) for (let i = start; i < end; i++) rows[i]!.keepWithNext = true;
    start = end + 1;
  }
}

interface Cursor {
  y: number;
}

function newPage(doc: Doc, cursor: Cursor): void {
  doc.addPage();
  cursor.y = MARGIN;
}

function drawTitle(doc: Doc, model: SheetModel, version: SheetVersion, cursor: Cursor): void {
  const line = (text: string, font: FontName, size: number, gap = 2) => {
    write(doc, text, LEFT, cursor.y, WIDTH, font, size, 'center');
    cursor.y += measure(doc, text, font, size, WIDTH) + gap;
  };
  line(vi('criteria.sheet.issuedWith', { title: version.title }), 'italic', SIZE.small, 6);
  line(vi('criteria.sheet.title'), 'bold', SIZE.title, 1);
  line(vi('criteria.sheet.subtitle'), 'italic', SIZE.heading, 4);
  line(vi('criteria.sheet.set', { number: model.setNumber, name: model.heading }), 'bold', SIZE.heading, 1);
  if (model.classification) line(model.classification, 'regular', SIZE.body, 1);
  cursor.y += 8;
}

/** A label followed by a dotted line to the right edge (or by its value). */
function writeInLine(
  doc: Doc,
  label: string,
  value: string | undefined,
  cursor: Cursor,
  size = SIZE.body,
): void {
  const labelText = nfc(label);
  doc.font('regular').fontSize(size);
  const labelW = Math.min(doc.widthOfString(labelText), WIDTH);
  const lineH = doc.currentLineHeight(true) + LINE_GAP;
  if (labelText) write(doc, labelText, LEFT, cursor.y, WIDTH, 'regular', size);
  const startX = LEFT + labelW + (labelText ? 4 : 0);
  if (value) {
    const height = measure(doc, value, 'bold', size, X.right - startX);
    write(doc, value, startX, cursor.y, X.right - startX, 'bold', size);
    cursor.y += Math.max(height, lineH) + 4;
    return;
  }
  const baseline = cursor.y + lineH - 2;
  doc
    .lineWidth(0.6)
    .strokeColor(GREY.light)
    .dash(1, { space: 2 })
    .moveTo(startX, baseline)
    .lineTo(X.right, baseline)
    .stroke()
    .undash();
  cursor.y += lineH + 5;
}

function drawHeaderFields(doc: Doc, model: SheetModel, header: SheetHeaderValues, cursor: Cursor): void {
  for (const field of model.headerFields) {
    if (field.key === null) {
      const height = measure(doc, field.label, 'italic', SIZE.small, WIDTH);
      write(doc, field.label, LEFT, cursor.y - 2, WIDTH, 'italic', SIZE.small);
      cursor.y += height + 3;
      continue;
    }
    const value = header[field.key]?.trim();
    writeInLine(doc, value ? field.filledLabel : field.label, value || undefined, cursor);
  }
  cursor.y += 6;
}

function drawParts(doc: Doc, model: SheetModel, cursor: Cursor): void {
  for (const part of model.parts) {
    const title = `${vi('criteria.sheet.part', { code: part.code })}: ${part.name}`;
    const textW = COL_TEXT + COL.stars + COL.code - 2 * PAD_X;
    const headHeight = (continued: boolean) =>
      measure(
        doc,
        continued ? `${title} ${vi('criteria.sheet.continued')}` : title,
        'bold',
        SIZE.body,
        textW,
      ) +
      2 * PAD_Y;
    const columnsHeight = measure(doc, 'TT', 'bold', SIZE.small, 100) + 2 * PAD_Y;
    const drawHead = (continued: boolean) => {
      const text = continued ? `${title} ${vi('criteria.sheet.continued')}` : title;
      const height = headHeight(continued);
      const y = cursor.y;
      frame(doc, y, height, GREY.part, false);
      rule(doc, y);
      write(doc, text, X.code + PAD_X, y + PAD_Y, textW, 'bold', SIZE.body);
      doc
        .lineWidth(0.5)
        .strokeColor(GREY.line)
        .moveTo(X.points, y)
        .lineTo(X.points, y + height)
        .stroke();
      write(doc, formatPoints(part.max), X.points, y + PAD_Y, COL.points - PAD_X, 'bold', SIZE.body, 'right');
      cursor.y += height;
      const y2 = cursor.y;
      frame(doc, y2, columnsHeight, GREY.section);
      rule(doc, y2);
      write(doc, vi('criteria.sheet.colCode'), X.code, y2 + PAD_Y, COL.code, 'bold', SIZE.small, 'center');
      write(
        doc,
        vi('criteria.sheet.colCriterion'),
        X.text,
        y2 + PAD_Y,
        COL_TEXT,
        'bold',
        SIZE.small,
        'center',
      );
      write(doc, vi('criteria.sheet.colStars'), X.stars, y2 + PAD_Y, COL.stars, 'bold', SIZE.small, 'center');
      write(
        doc,
        vi('criteria.sheet.colPoints'),
        X.points,
        y2 + PAD_Y,
        COL.points,
        'bold',
        SIZE.small,
        'center',
      );
      cursor.y += columnsHeight;
      rule(doc, cursor.y);
    };

    const rows = part.rows.map((row) => layRow(doc, row));
    keepTogether(rows);
    const chainHeight = (i: number) => {
      let height = rows[i]!.height;
      let j = i;
      while (rows[j]!.keepWithNext && j + 1 < rows.length) height += rows[++j]!.height;
      return height;
    };
    // Room on a continuation page, below the repeated headings (part, columns, criterion).
    const room = BOTTOM - MARGIN - headHeight(true) - columnsHeight - 2 * SIZE.body - 2 * PAD_Y;

    // The part heading stays with its first rows.
    if (cursor.y + headHeight(false) + columnsHeight + Math.min(chainHeight(0), room) > BOTTOM) {
      newPage(doc, cursor);
    }
    drawHead(false);
    let topOfPage = true;
    /** The section or criterion heading the rows being drawn belong to. */
    let heading: SheetRow | null = null;
    for (let i = 0; i < rows.length; i++) {
      const laid = rows[i]!;
      const chain = chainHeight(i);
      const tooLow = cursor.y + chain > BOTTOM && !topOfPage && chain <= room;
      if (tooLow || cursor.y + laid.height > BOTTOM) {
        rule(doc, cursor.y);
        newPage(doc, cursor);
        drawHead(true);
        // A criterion cut by the page break: its heading again, marked as continued.
        if (heading && laid.row.kind !== 'section' && laid.row.kind !== 'criterion') {
          const continued = vi('criteria.sheet.continued');
          const again =
            heading.kind === 'section'
              ? layRow(doc, { ...heading, name: `${heading.name} ${continued}` })
              : heading.kind === 'criterion'
                ? layRow(doc, { ...heading, text: `${heading.text} ${continued}` })
                : null;
          if (again) {
            again.draw(cursor.y);
            cursor.y += again.height;
          }
        }
        topOfPage = true;
      }
      if (laid.row.kind === 'section' || laid.row.kind === 'criterion') heading = laid.row;
      laid.draw(cursor.y);
      if (laid.ruleAbove) rule(doc, cursor.y);
      cursor.y += laid.height;
      topOfPage = false;
    }
    rule(doc, cursor.y);
    cursor.y += 10;
  }
}

/** Starts a new page unless `height` fits below the cursor. */
function ensure(doc: Doc, cursor: Cursor, height: number): void {
  if (cursor.y + height > BOTTOM) newPage(doc, cursor);
}

function drawEnd(doc: Doc, model: SheetModel, cursor: Cursor): void {
  // Total.
  const totalText = vi('criteria.sheet.total');
  const totalH = measure(doc, totalText, 'bold', SIZE.body, WIDTH - COL.points) + 2 * PAD_Y;
  ensure(doc, cursor, totalH);
  frame(doc, cursor.y, totalH, GREY.part, false);
  rule(doc, cursor.y);
  rule(doc, cursor.y + totalH);
  doc
    .lineWidth(0.5)
    .strokeColor(GREY.line)
    .moveTo(X.points, cursor.y)
    .lineTo(X.points, cursor.y + totalH)
    .stroke();
  write(doc, totalText, X.code + PAD_X, cursor.y + PAD_Y, WIDTH - COL.points - 2 * PAD_X, 'bold', SIZE.body);
  write(
    doc,
    formatPoints(model.total),
    X.points,
    cursor.y + PAD_Y,
    COL.points - PAD_X,
    'bold',
    SIZE.body,
    'right',
  );
  cursor.y += totalH + 10;

  const paragraph = (text: string, font: FontName, size: number, gap = 4) => {
    const height = measure(doc, text, font, size, WIDTH);
    ensure(doc, cursor, height);
    write(doc, text, LEFT, cursor.y, WIDTH, font, size);
    cursor.y += height + gap;
  };
  for (const clause of model.disqualifyIf) paragraph(clause, 'bold', SIZE.body);
  for (const note of model.footnotes.filter((f) => !f.writeIn)) paragraph(note.text, 'italic', SIZE.note);
  if (model.corrections.length > 0) {
    cursor.y += 4;
    paragraph(vi('criteria.sheet.corrections'), 'bold', SIZE.note, 2);
    for (const c of model.corrections) {
      const what = vi('criteria.sheet.correctionOf', { code: c.criterion, option: c.text });
      paragraph(`[${c.number}] ${what}: ${correctionText(vi, c)}. ${c.reason}`, 'regular', SIZE.small, 2);
    }
  }
  cursor.y += 6;

  // The evaluator's opinion and the signature stay together.
  const writeIns = model.footnotes.filter((f) => f.writeIn);
  doc.font('regular').fontSize(SIZE.body);
  const lineH = doc.currentLineHeight(true) + LINE_GAP + 5;
  const signatureH = 3 * lineH + 45;
  ensure(doc, cursor, writeIns.length * 3 * lineH + signatureH);
  for (const note of writeIns) {
    writeInLine(doc, note.text, undefined, cursor);
    for (let i = 0; i < 2; i++) writeInLine(doc, '', undefined, cursor);
  }
  cursor.y += 8;
  const half = WIDTH / 2;
  const sx = LEFT + half;
  write(doc, vi('criteria.sheet.dateLine'), sx, cursor.y, half, 'italic', SIZE.body, 'center');
  cursor.y += lineH;
  write(doc, vi('criteria.sheet.evaluator'), sx, cursor.y, half, 'bold', SIZE.body, 'center');
  cursor.y += lineH - 3;
  write(doc, vi('criteria.sheet.signHint'), sx, cursor.y, half, 'italic', SIZE.note, 'center');
  cursor.y += lineH + 45;
}

function drawFooters(doc: Doc, form: CriteriaForm, version: SheetVersion): void {
  const range = doc.bufferedPageRange();
  const left = vi('criteria.sheet.footer', { number: form.set, title: version.title });
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not start a new page
    const y = PAGE_H - MARGIN + 8;
    const pageText = vi('criteria.sheet.page', { page: i + 1, pages: range.count });
    write(doc, left, LEFT, y, WIDTH - 70, 'regular', SIZE.small - 1);
    write(doc, pageText, X.right - 70, y, 70, 'regular', SIZE.small, 'right');
    doc.page.margins.bottom = bottom;
  }
}

/** The score sheet of `form` as a PDF, with the boxes of `choices` ticked and the header filled. */
export async function scoreSheetPdf(
  form: CriteriaForm,
  version: SheetVersion,
  options: ScoreSheetPdfOptions = {},
): Promise<Buffer> {
  const model = scoreSheetModel(form, options.choices);
  const title = `${vi('criteria.sheet.title')} — ${vi('criteria.sheet.set', { number: form.set, name: form.name })}`;
  const { doc, done } = openA4Pdf({
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    title,
    subject: `${vi('criteria.sheet.subtitle')} — ${version.title}`,
    fixedDate: options.fixedDate,
  });

  const cursor: Cursor = { y: MARGIN };
  drawTitle(doc, model, version, cursor);
  drawHeaderFields(doc, model, options.header ?? {}, cursor);
  drawParts(doc, model, cursor);
  drawEnd(doc, model, cursor);
  drawFooters(doc, form, version);
  doc.end();
  return done;
}
