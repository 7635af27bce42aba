/**
 * Tells the type of an uploaded document from its bytes, never from its name or the declared
 * Content-Type: PDF, JPEG and PNG by their signatures; XLSX and DOCX (both ZIP packages) by the
 * part names in the ZIP central directory. Anything else — other ZIPs, legacy OLE .xls/.doc
 * (also what encrypted Office files are), HTML, executables — is refused with `null`.
 * `isExecutable` lets the caller say "this is a program" rather than "unsupported type".
 * Pure and total: never throws, whatever the bytes.
 */

export type DocumentMediaType =
  | 'application/pdf'
  | 'image/jpeg'
  | 'image/png'
  | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Every type `sniffMediaType` can answer, in a stable order. */
export const ACCEPTED_MEDIA_TYPES: readonly DocumentMediaType[] = Object.freeze([
  'application/pdf',
  'image/jpeg',
  'image/png',
  XLSX,
  DOCX,
] as const);

const EXTENSIONS: Readonly<Record<DocumentMediaType, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  [XLSX]: 'xlsx',
  [DOCX]: 'docx',
};

/** The usual file extension of a type, without the dot: `pdf`, `jpg`, `png`, `xlsx`, `docx`. */
export function extensionFor(type: DocumentMediaType): string {
  return EXTENSIONS[type];
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

const EXECUTABLE_MAGICS: readonly (readonly number[])[] = [
  ascii('MZ'), // DOS / Windows PE (.exe, .dll, .scr)
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xfe, 0xed, 0xfa, 0xce], // Mach-O 32-bit, big-endian
  [0xce, 0xfa, 0xed, 0xfe], // Mach-O 32-bit, little-endian
  [0xfe, 0xed, 0xfa, 0xcf], // Mach-O 64-bit, big-endian
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O 64-bit, little-endian
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O universal (fat) binary; also a Java class file
  [0xbe, 0xba, 0xfe, 0xca], // the same, byte-swapped
  [0xca, 0xfe, 0xba, 0xbf], // Mach-O universal 64-bit
  [0xbf, 0xba, 0xfe, 0xca], // the same, byte-swapped
  ascii('#!'), // a script with an interpreter line
];

/** Whether the bytes start like a native executable (PE, ELF, Mach-O) or a `#!` script. */
export function isExecutable(bytes: Uint8Array): boolean {
  return EXECUTABLE_MAGICS.some((magic) => startsWith(bytes, magic));
}

const PDF = ascii('%PDF-');
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The first chunk of every PNG: length 13, type IHDR. */
const PNG_IHDR = [0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52];
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];

const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/**
 * The document type of the bytes, or null when they are not one of ACCEPTED_MEDIA_TYPES.
 * Checks signatures and the ZIP directory only; it does not prove the whole file is well formed.
 */
export function sniffMediaType(bytes: Uint8Array): DocumentMediaType | null {
  if (isExecutable(bytes)) return null;
  // %PDF-1.7 / %PDF-2.0: the header line must carry a version.
  if (startsWith(bytes, PDF) && isDigit(bytes[5]) && bytes[6] === 0x2e && isDigit(bytes[7])) {
    return 'application/pdf';
  }
  // SOI then the first marker segment (FF xx).
  if (startsWith(bytes, JPEG) && bytes.length >= 4) return 'image/jpeg';
  if (startsWith(bytes, PNG) && startsWith(bytes, PNG_IHDR, PNG.length)) return 'image/png';
  if (startsWith(bytes, ZIP_LOCAL_HEADER)) return sniffOfficePackage(bytes);
  return null;
}

/** Which Office Open XML package a ZIP is, by the names in its central directory. */
function sniffOfficePackage(bytes: Uint8Array): DocumentMediaType | null {
  const names = zipEntryNames(bytes);
  if (!names) return null;
  const has = (name: string) => names.has(name);
  if (!has('[content_types].xml')) return null;
  // A VBA project makes it an .xlsm/.docm in disguise; an honest .xlsx/.docx never carries one.
  for (const name of names) if (name.endsWith('vbaproject.bin')) return null;
  const workbook = has('xl/workbook.xml');
  const document = has('word/document.xml');
  if (workbook && !document) return XLSX;
  if (document && !workbook) return DOCX;
  return null;
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
const MAX_COMMENT = 0xffff;
/** More entries than any real document has; bounds the work on a hostile directory. */
const MAX_ENTRIES = 100_000;

/**
 * The entry names of a ZIP (lower-cased, as OPC part names compare case-insensitively), read
 * from its central directory; null when the directory is missing, inconsistent, or lists an
 * encrypted entry.
 */
function zipEntryNames(bytes: Uint8Array): Set<string> | null {
  return zipDirectory(bytes)?.names ?? null;
}

/**
 * What a ZIP archive would take once inflated, in bytes, from its central directory (an entry
 * too large to say counts as infinite); null when the bytes are not a readable ZIP. Callers
 * refuse "zip bombs" (a few MB that inflate to gigabytes) before unpacking anything.
 */
export function zipUncompressedSize(bytes: Uint8Array): number | null {
  return zipDirectory(bytes)?.uncompressed ?? null;
}

function zipDirectory(bytes: Uint8Array): { names: Set<string>; uncompressed: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  /** A 64-bit field as a number, or null beyond 2^53. */
  const u64 = (at: number) => {
    const high = u32(at + 4);
    return high >= 0x200000 ? null : high * 0x1_0000_0000 + u32(at);
  };

  const eocd = findEndOfCentralDirectory(bytes, view);
  if (eocd === null) return null;
  let count = u16(eocd + 10);
  let size = u32(eocd + 12);
  let offset = u32(eocd + 16);
  // A single-disk archive: disk numbers 0 (or 0xFFFF, deferring to ZIP64), all entries on it.
  const oneDisk = (n: number) => n === 0 || n === 0xffff;
  if (!oneDisk(u16(eocd + 4)) || !oneDisk(u16(eocd + 6)) || u16(eocd + 8) !== count) return null;

  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - ZIP64_LOCATOR_SIZE;
    if (locator < 0 || u32(locator) !== ZIP64_LOCATOR_SIGNATURE) return null;
    const record = u64(locator + 8);
    if (record === null || record + ZIP64_EOCD_SIZE > locator) return null;
    if (u32(record) !== ZIP64_EOCD_SIGNATURE) return null;
    const count64 = u64(record + 32);
    const size64 = u64(record + 40);
    const offset64 = u64(record + 48);
    if (count64 === null || size64 === null || offset64 === null) return null;
    count = count64;
    size = size64;
    offset = offset64;
  }

  if (count > MAX_ENTRIES || offset + size > bytes.length) return null;
  const names = new Set<string>();
  let uncompressed = 0;
  const end = offset + size;
  let at = offset;
  const decoder = new TextDecoder('utf-8');
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_HEADER_SIZE > end || u32(at) !== CENTRAL_HEADER_SIGNATURE) return null;
    if ((u16(at + 8) & 0x0001) !== 0) return null; // encrypted entry
    const nameLength = u16(at + 28);
    const next = at + CENTRAL_HEADER_SIZE + nameLength + u16(at + 30) + u16(at + 32);
    if (next > end) return null;
    const name = bytes.subarray(at + CENTRAL_HEADER_SIZE, at + CENTRAL_HEADER_SIZE + nameLength);
    names.add(decoder.decode(name).toLowerCase());
    const entrySize = u32(at + 24);
    uncompressed += entrySize === 0xffffffff ? Number.POSITIVE_INFINITY : entrySize;
    at = next;
  }
  return { names, uncompressed };
}

/** The offset of the last plausible End Of Central Directory record, scanning back from the end. */
function findEndOfCentralDirectory(bytes: Uint8Array, view: DataView): number | null {
  const last = bytes.length - EOCD_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let at = last; at >= first; at--) {
    if (bytes[at] !== 0x50 || view.getUint32(at, true) !== EOCD_SIGNATURE) continue;
    // The comment must fit in what follows; otherwise this is a stray match inside the comment.
    if (at + EOCD_SIZE + view.getUint16(at + 20, true) <= bytes.length) return at;
  }
  return null;
}
