/**
 * Decoding the bytes of an uploaded CSV/TSV file into text.
 *
 * UTF-8 (with or without BOM) and UTF-16 (with BOM, Excel's "Unicode Text") are decoded strictly.
 * Anything else is taken for one of the legacy Vietnamese encodings still common in provincial offices,
 * chosen by how many of the words each candidate decoding yields are well-formed Vietnamese syllables:
 *  - Windows-1258 (Excel's plain "CSV" on a Vietnamese-locale Windows): decoded with the platform's
 *    TextDecoder and normalised to NFC, since 1258 writes most tones as combining marks;
 *  - TCVN3 / ABC (TCVN 5712:1993, the `.VnTime` fonts): decoded with the table below;
 *  - VNI (the `VNI-Times` fonts): recognised only, and refused, because its two-byte letters are a font
 *    trick with no standard table behind it.
 * A caller should warn the user whenever the result's `encoding` is a legacy one.
 */
import { DomainError } from '../errors.ts';

/** How a text file was decoded: the last two are legacy encodings, guessed from the content. */
export type TextEncodingName = 'utf-8' | 'utf-16' | 'windows-1258' | 'tcvn3';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

/**
 * TCVN 5712:1993 (VN1, a superset of the VN3 "TCVN3/ABC" subset used by the `.VnTime` fonts):
 * byte → Unicode for every byte that differs from ASCII/Latin-1. Uppercase letters with tone marks
 * live in C0 control positions and 0x80–0x9F in VN1; VN3 fonts have none (capitals are drawn by the
 * `.VnTimeH` fonts from the lowercase codes, so such text decodes as lowercase).
 * 0xB0–0xB4 are combining tone marks (composed by the NFC step).
 */
const TCVN3_HIGH =
  // 0x80–0x9F
  'ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ' +
  // 0xA0–0xBF
  '\u00A0ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ' +
  // 0xC0–0xDF
  'ẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịò' +
  // 0xE0–0xFF
  'Ổỏõóọồổỗốộờởỡớợù' +
  'Ỗủũúụừửữứựỳỷỹýỵ' +
  'Ố';

const TCVN3_LOW: Readonly<Record<number, string>> = {
  1: 'Ú',
  2: 'Ụ',
  4: 'Ừ',
  5: 'Ử',
  6: 'Ữ',
  17: 'Ứ',
  18: 'Ự',
  19: 'Ỳ',
  20: 'Ỷ',
  21: 'Ỹ',
  22: 'Ý',
  23: 'Ỵ',
};

/** byte → text, for all 256 bytes. */
const TCVN3_TABLE: readonly string[] = (() => {
  const high = [...TCVN3_HIGH];
  if (high.length !== 128) throw new Error('TCVN3 table must have 128 entries');
  return Array.from({ length: 256 }, (_, byte) =>
    byte >= 0x80 ? high[byte - 0x80]! : (TCVN3_LOW[byte] ?? String.fromCharCode(byte)),
  );
})();

/** Decodes TCVN3 (TCVN 5712:1993) bytes to NFC Unicode. */
export function decodeTcvn3(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += 65_536) {
    let chunk = '';
    for (const byte of bytes.subarray(start, start + 65_536)) chunk += TCVN3_TABLE[byte]!;
    parts.push(chunk);
  }
  return parts.join('').normalize('NFC');
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const ONSETS = [
  'ngh',
  'ng',
  'nh',
  'ch',
  'gh',
  'gi',
  'kh',
  'ph',
  'qu',
  'th',
  'tr',
  'b',
  'c',
  'd',
  'đ',
  'g',
  'h',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'x',
  '',
];
const RHYME = /^[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|c|m|n|p|t)?$/;

/**
 * Whether a word is shaped like one Vietnamese syllable: an onset, one to three vowels, an optional
 * final consonant, and at most one tone mark, sitting on a vowel. A coarse test, but mojibake fails it.
 */
export function isVietnameseSyllable(word: string): boolean {
  const decomposed = word.toLowerCase().normalize('NFD');
  let tones = 0;
  for (let i = 0; i < decomposed.length; i++) {
    if (!/[\u0300\u0301\u0303\u0309\u0323]/.test(decomposed[i]!)) continue;
    tones++;
    let j = i - 1;
    while (j >= 0 && /[\u0302\u0306\u031B\u0300\u0301\u0303\u0309\u0323]/.test(decomposed[j]!)) j--;
    if (j < 0 || !/[aeiouy]/.test(decomposed[j]!)) return false;
  }
  if (tones > 1) return false;
  const base = decomposed.replace(TONE_MARKS, '').normalize('NFC');
  return ONSETS.some((onset) => base.startsWith(onset) && RHYME.test(base.slice(onset.length)));
}

interface Score {
  good: number;
  bad: number;
}

/** Counts the words with non-ASCII letters that are (good) and are not (bad) Vietnamese syllables. */
export function vietnameseScore(text: string): Score {
  const score: Score = { good: 0, bad: 0 };
  for (const match of text.matchAll(/[\p{L}\p{M}]+/gu)) {
    const word = match[0];
    if (/^\p{ASCII}*$/u.test(word)) continue;
    if (isVietnameseSyllable(word)) score.good++;
    else score.bad++;
  }
  return score;
}

// VNI writes a toned vowel as the base letter followed by a Latin-1 "mark" byte. Only used to
// recognise VNI files, so the table covers the common letters rather than every glyph of the font.
const VNI_TONES: Record<string, string> = { ø: '\u0300', ù: '\u0301', û: '\u0309', õ: '\u0303', ï: '\u0323' };
const VNI_HAT: Record<string, string> = {
  â: '\u0302',
  á: '\u0302\u0301',
  à: '\u0302\u0300',
  å: '\u0302\u0309',
  ã: '\u0302\u0303',
  ä: '\u0302\u0323',
};
const VNI_BREVE: Record<string, string> = {
  ê: '\u0306',
  é: '\u0306\u0301',
  è: '\u0306\u0300',
  ú: '\u0306\u0309',
  ü: '\u0306\u0303',
  ë: '\u0306\u0323',
};
const VNI_SINGLE: Record<string, string> = { ô: 'ơ', ö: 'ư', ñ: 'đ', æ: 'ỉ', ó: 'ĩ', ò: 'ị' };

function decodeVniForDetection(bytes: Uint8Array): string {
  const latin = new TextDecoder('windows-1252').decode(bytes);
  const pattern =
    /([aA])([øùûõïâáàåãäêéèúüëØÙÛÕÏÂÁÀÅÃÄÊÉÈÚÜË])|([eEoO])([øùûõïâáàåãäØÙÛÕÏÂÁÀÅÃÄ])|([uUyYôöÔÖ])([øùûõïØÙÛÕÏ])|([ôöñæóòÔÖÑÆÓÒ])/g;
  const single = (ch: string) => {
    const mapped = VNI_SINGLE[ch.toLowerCase()] ?? ch;
    return ch === ch.toLowerCase() ? mapped : mapped.toUpperCase();
  };
  return latin
    .replace(
      pattern,
      (
        whole,
        a?: string,
        aMark?: string,
        eo?: string,
        eoMark?: string,
        u?: string,
        uMark?: string,
        s?: string,
      ) => {
        if (a && aMark) {
          const m = aMark.toLowerCase();
          return a + (VNI_TONES[m] ?? VNI_HAT[m] ?? VNI_BREVE[m] ?? m);
        }
        if (eo && eoMark) {
          const m = eoMark.toLowerCase();
          return eo + (VNI_TONES[m] ?? VNI_HAT[m] ?? m);
        }
        if (u && uMark) return single(u) + (VNI_TONES[uMark.toLowerCase()] ?? uMark);
        return s ? single(s) : whole;
      },
    )
    .normalize('NFC');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes an uploaded text file. Throws `csv_legacy_encoding` {encoding: 'VNI'} for VNI files,
 * `csv_unknown_encoding` when no candidate reads as Vietnamese, and `spreadsheet_unsupported_format`
 * for binary data.
 */
export function decodeText(bytes: Uint8Array, fileName = ''): DecodedText {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xff && b1 === 0xfe) return { text: strict('utf-16le', bytes, fileName), encoding: 'utf-16' };
  if (b0 === 0xfe && b1 === 0xff) return { text: strict('utf-16be', bytes, fileName), encoding: 'utf-16' };
  if (bytes.includes(0))
    throw new DomainError('spreadsheet_unsupported_format', 'invalid', { file: fileName });
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return { text: strict('utf-8', bytes, fileName), encoding: 'utf-8' };
  }
  try {
    return { text: strictUtf8.decode(bytes).normalize('NFC'), encoding: 'utf-8' };
  } catch {
    // not UTF-8: one of the legacy encodings
  }
  // Judge on a sample (single-byte encodings: any cut is clean), then decode the whole file once.
  const sample = bytes.subarray(0, 262_144);
  const decoders = {
    'windows-1258': (b: Uint8Array) => new TextDecoder('windows-1258').decode(b).normalize('NFC'),
    tcvn3: decodeTcvn3,
    vni: decodeVniForDetection,
  };
  const candidates = (['windows-1258', 'tcvn3', 'vni'] as const).map((name) => ({
    name,
    score: vietnameseScore(decoders[name](sample)),
  }));
  const net = (s: Score) => s.good - s.bad;
  const best = candidates.reduce((a, b) => (net(b.score) > net(a.score) ? b : a));
  if (best.score.good > 0 && best.score.good > best.score.bad) {
    if (best.name === 'vni') {
      throw new DomainError('csv_legacy_encoding', 'invalid', { encoding: 'VNI', file: fileName });
    }
    return { text: decoders[best.name](bytes), encoding: best.name };
  }
  // No Vietnamese words in any reading: the bytes above 0x7F are symbols (°, ², €…) that
  // Windows-1258 shares with Windows-1252, or the file is in some other language altogether.
  const [first] = candidates;
  if (first && first.score.good === 0 && first.score.bad === 0) {
    return { text: decoders['windows-1258'](bytes), encoding: 'windows-1258' };
  }
  throw new DomainError('csv_unknown_encoding', 'invalid', { file: fileName });
}

function strict(label: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Uint8Array, fileName: string): string {
  try {
    // The decoder drops the BOM itself (ignoreBOM: false).
    return new TextDecoder(label, { fatal: true }).decode(bytes).normalize('NFC');
  } catch {
    throw new DomainError('csv_unknown_encoding', 'invalid', { file: fileName });
  }
}
