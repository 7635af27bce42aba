/**
 * What every PDF of the platform shares (score sheets, council minutes, certificates): Be Vietnam
 * Pro (OFL) embedded as subsets — pdfkit's built-in fonts have no Vietnamese letters —, NFC text,
 * and an A4 document whose bytes are collected into a Buffer.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf',
  bold: '@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf',
  italic: '@expo-google-fonts/be-vietnam-pro/400Regular_Italic/BeVietnamPro_400Regular_Italic.ttf',
} as const;
export type FontName = keyof typeof FONT_FILES;
let fontBytes: Record<FontName, Buffer> | undefined;

/** The embedded fonts, read once. */
function fonts(): Record<FontName, Buffer> {
  fontBytes ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
    italic: readFileSync(require.resolve(FONT_FILES.italic)),
  };
  return fontBytes;
}

/** Text as the PDF gets it: composed (NFC), so that each Vietnamese letter is one glyph. */
export const nfc = (s: string) => s.normalize('NFC');

/**
 * A new A4 portrait document in Vietnamese with the fonts registered as 'regular', 'bold' and
 * 'italic', pages buffered (for "Trang x/y" footers); `done` resolves with the bytes after
 * `doc.end()`. A fixed date fixes the file identifier too: same input, same bytes.
 */
export function openA4Pdf(options: {
  margins: { top: number; bottom: number; left: number; right: number };
  title: string;
  subject: string;
  fixedDate?: Date | undefined;
}): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'portrait',
    margins: options.margins,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: nfc(options.title),
      Subject: nfc(options.subject),
      Creator: 'OCOP platform',
      Producer: 'PDFKit',
      ...(options.fixedDate ? { CreationDate: options.fixedDate } : {}),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const bytes = fonts();
  for (const name of Object.keys(bytes) as FontName[]) doc.registerFont(name, bytes[name]);
  return { doc, done };
}
