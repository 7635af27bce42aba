import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from '../errors.ts';
import { decodeTcvn3, decodeText, isVietnameseSyllable } from './encoding.ts';

/** Bytes from ASCII text and raw byte values, e.g. bytes('T', 0xea, 'n'). */
function bytes(...parts: Array<string | number>): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else for (const ch of part) out.push(ch.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

// TCVN 5712:1993, by letter: the base letter (where it is not ASCII), then its five toned forms in
// the standard's order: grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
const TCVN3_SERIES: Array<[string, number | null, number[]]> = [
  ['a', null, [0xb5, 0xb6, 0xb7, 0xb8, 0xb9]],
  ['ă', 0xa8, [0xbb, 0xbc, 0xbd, 0xbe, 0xc6]],
  ['â', 0xa9, [0xc7, 0xc8, 0xc9, 0xca, 0xcb]],
  ['e', null, [0xcc, 0xce, 0xcf, 0xd0, 0xd1]],
  ['ê', 0xaa, [0xd2, 0xd3, 0xd4, 0xd5, 0xd6]],
  ['i', null, [0xd7, 0xd8, 0xdc, 0xdd, 0xde]],
  ['o', null, [0xdf, 0xe1, 0xe2, 0xe3, 0xe4]],
  ['ô', 0xab, [0xe5, 0xe6, 0xe7, 0xe8, 0xe9]],
  ['ơ', 0xac, [0xea, 0xeb, 0xec, 0xed, 0xee]],
  ['u', null, [0xef, 0xf1, 0xf2, 0xf3, 0xf4]],
  ['ư', 0xad, [0xf5, 0xf6, 0xf7, 0xf8, 0xf9]],
  ['y', null, [0xfa, 0xfb, 0xfc, 0xfd, 0xfe]],
];
const TONES = ['\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];

test('TCVN3: every lowercase Vietnamese letter, and the capitals of the base letters', () => {
  for (const [letter, base, toned] of TCVN3_SERIES) {
    if (base !== null) assert.equal(decodeTcvn3(Uint8Array.of(base)), letter);
    toned.forEach((byte, i) => {
      assert.equal(
        decodeTcvn3(Uint8Array.of(byte)),
        `${letter}${TONES[i]}`.normalize('NFC'),
        byte.toString(16),
      );
    });
  }
  assert.equal(decodeTcvn3(Uint8Array.of(0xae, 0xa7)), 'đĐ');
  assert.equal(decodeTcvn3(Uint8Array.of(0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6)), 'ĂÂÊÔƠƯ');
  // TCVN 5712 VN1 capitals with tones, and a combining tone mark after a base letter
  assert.equal(decodeTcvn3(Uint8Array.of(0x80, 0x8a, 0x9b, 0x16)), 'ÀÉỚÝ');
  assert.equal(decodeTcvn3(bytes('a', 0xb3)), 'á');
  assert.equal(decodeTcvn3(bytes('Plain ASCII, 123\r\n')), 'Plain ASCII, 123\r\n');
});

test('UTF-8 with and without BOM, and UTF-16 with BOM, are decoded strictly', () => {
  const text = 'Tên sản phẩm;Địa chỉ\nMật ong;Hưng Yên\n';
  assert.deepEqual(decodeText(new TextEncoder().encode(text)), { text, encoding: 'utf-8' });
  assert.deepEqual(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)])), {
    text,
    encoding: 'utf-8',
  });
  const le = Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(text, 'utf16le')]);
  assert.deepEqual(decodeText(le), { text, encoding: 'utf-16' });
  const be = Buffer.from(le);
  be.swap16();
  assert.deepEqual(decodeText(be), { text, encoding: 'utf-16' });
  // NFD (as macOS writes) becomes NFC
  assert.equal(decodeText(new TextEncoder().encode('Nguye\u0302\u0303n')).text, 'Nguyễn');
});

test('Windows-1258 is recognised, and its combining tone marks composed', () => {
  // "Tên sản phẩm;Địa chỉ\nMật ong hoa nhãn;Hưng Yên\nĐặc sản;Hà Nội\n" as Excel on a Vietnamese
  // Windows saves it: ê = EA, â = E2, ư = FD, ă = E3, Đ = D0, hook above = D2, dot below = F2,
  // tilde = DE, à = E0 (precomposed, shared with Latin-1).
  const cp1258 = bytes(
    'T',
    0xea,
    'n sa',
    0xd2,
    'n ph',
    0xe2,
    0xd2,
    'm;',
    0xd0,
    'i',
    0xf2,
    'a chi',
    0xd2,
    '\n',
    'M',
    0xe2,
    0xf2,
    't ong hoa nha',
    0xde,
    'n;H',
    0xfd,
    'ng Y',
    0xea,
    'n\n',
    0xd0,
    0xe3,
    0xf2,
    'c sa',
    0xd2,
    'n;H',
    0xe0,
    ' N',
    0xf4,
    0xf2,
    'i\n',
  );
  const decoded = decodeText(cp1258);
  assert.equal(decoded.encoding, 'windows-1258');
  assert.equal(decoded.text, 'Tên sản phẩm;Địa chỉ\nMật ong hoa nhãn;Hưng Yên\nĐặc sản;Hà Nội\n');
});

test('TCVN3 is recognised and decoded', () => {
  const tcvn3 = bytes(
    'T',
    0xaa,
    'n s',
    0xb6,
    'n ph',
    0xc8,
    'm;',
    0xa7,
    0xde,
    'a ch',
    0xd8,
    '\n',
    'M',
    0xcb,
    't ong hoa nh',
    0xb7,
    'n;H',
    0xad,
    'ng Y',
    0xaa,
    'n\n',
    0xa7,
    0xc6,
    'c s',
    0xb6,
    'n;H',
    0xb5,
    ' N',
    0xe9,
    'i\n',
    'Ch',
    0xcc,
    ' Shan tuy',
    0xd5,
    't;Th',
    0xde,
    ' tr',
    0xca,
    'n V',
    0xde,
    ' Xuy',
    0xaa,
    'n\n',
  );
  const decoded = decodeText(tcvn3);
  assert.equal(decoded.encoding, 'tcvn3');
  assert.equal(
    decoded.text,
    'Tên sản phẩm;Địa chỉ\nMật ong hoa nhãn;Hưng Yên\nĐặc sản;Hà Nội\nChè Shan tuyết;Thị trấn Vị Xuyên\n',
  );
});

test('VNI is recognised and refused, with the way out in the error', () => {
  // "Tên sản phẩm;Địa chỉ\nĐặc sản Việt Nam;Hà Nội\nNguyễn Văn A;" in the VNI-Times font encoding
  const vni = bytes(
    'Te',
    0xe2,
    'n sa',
    0xfb,
    'n pha',
    0xe5,
    'm;',
    0xd1,
    0xf2,
    'a ch',
    0xe6,
    '\n',
    0xd1,
    'a',
    0xeb,
    'c sa',
    0xfb,
    'n Vie',
    0xe4,
    't Nam;Ha',
    0xf8,
    ' No',
    0xe4,
    'i\n',
    'Nguye',
    0xe3,
    'n Va',
    0xea,
    'n A;\n',
  );
  assert.throws(
    () => decodeText(vni, 'ds.csv'),
    (e: unknown) =>
      e instanceof DomainError &&
      e.code === 'csv_legacy_encoding' &&
      e.params.encoding === 'VNI' &&
      e.params.file === 'ds.csv',
  );
});

test('non-UTF-8 text with no Vietnamese words: symbols pass as Windows-1258, other languages are refused', () => {
  // "Nhiệt độ °C;m²" with only the symbols outside ASCII
  assert.deepEqual(decodeText(bytes('Temp ', 0xb0, 'C;Area m', 0xb2, '\n')), {
    text: 'Temp °C;Area m²\n',
    encoding: 'windows-1258',
  });
  // German in Windows-1252: "Größe;Übermäßig"
  assert.throws(
    () => decodeText(bytes('Gr', 0xf6, 0xdf, 'e;', 0xdc, 'berm', 0xe4, 0xdf, 'ig\n')),
    (e: unknown) => e instanceof DomainError && e.code === 'csv_unknown_encoding',
  );
  // A BOM that lies
  assert.throws(
    () => decodeText(bytes(0xef, 0xbb, 0xbf, 'a', 0xff)),
    (e: unknown) => e instanceof DomainError && e.code === 'csv_unknown_encoding',
  );
});

test('binary data is refused', () => {
  assert.throws(
    () => decodeText(bytes('%PDF-1.4', 0, 0xff, 0xfe, 0)),
    (e: unknown) => e instanceof DomainError && e.code === 'spreadsheet_unsupported_format',
  );
});

test('the syllable test accepts Vietnamese words and rejects mojibake', () => {
  for (const word of [
    'Nguyễn',
    'người',
    'nghiêng',
    'khuyến',
    'quốc',
    'giường',
    'gì',
    'Đặc',
    'oanh',
    'ĂN',
    'ở',
  ]) {
    assert.ok(isVietnameseSyllable(word), word);
  }
  for (const word of ['Tªn', 'sản̉', 'Ñaëc', 'Größe', 'café', 'µ', 'h\u0300', 'sáng\u0301']) {
    assert.ok(!isVietnameseSyllable(word), word);
  }
});
