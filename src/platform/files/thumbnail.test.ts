/** Tests of thumbnails on real images made with sharp, and on broken and hostile ones. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { DomainError } from '../errors.ts';
import { makeThumbnail, stripImageMetadata } from './thumbnail.ts';

let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-thumb-'));
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a real image file of the given size and format, and reads it back. */
async function imageFile(
  width: number,
  height: number,
  format: 'png' | 'jpeg',
  orientation?: number,
): Promise<Buffer> {
  let image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } });
  image = format === 'png' ? image.png() : image.jpeg({ quality: 90 });
  if (orientation) image = image.withMetadata({ orientation });
  const file = path.join(dir, `${width}x${height}-${orientation ?? 1}.${format === 'png' ? 'png' : 'jpg'}`);
  await image.toFile(file);
  return fs.readFileSync(file);
}

const unreadable = (reason: string) => (error: unknown) =>
  error instanceof DomainError &&
  error.code === 'image_unreadable' &&
  error.kind === 'invalid' &&
  error.params.reason === reason;

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A small, well-formed PNG declaring huge dimensions: a decompression bomb's header. */
function hugePng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // truecolour
  // a few rows of zeros, highly compressible; the rest would follow in a real bomb
  const idat = zlib.deflateSync(Buffer.alloc((width * 3 + 1) * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('makes a WebP thumbnail fitting inside the box, keeping the aspect ratio', async () => {
  const cases: [number, number, 'png' | 'jpeg', number, number][] = [
    [1600, 1200, 'jpeg', 320, 240],
    [1200, 1600, 'png', 240, 320],
    [640, 640, 'png', 320, 320],
    [3000, 500, 'jpeg', 320, 53],
  ];
  for (const [width, height, format, expectedWidth, expectedHeight] of cases) {
    const thumb = await makeThumbnail(await imageFile(width, height, format));
    assert.equal(thumb.mediaType, 'image/webp');
    assert.equal(thumb.width, expectedWidth, `${width}x${height} ${format}`);
    assert.equal(thumb.height, expectedHeight, `${width}x${height} ${format}`);
    const meta = await sharp(thumb.bytes).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(meta.width, expectedWidth);
    assert.equal(meta.height, expectedHeight);
  }
});

test('honours another maximum size', async () => {
  const thumb = await makeThumbnail(await imageFile(1000, 500, 'png'), 100);
  assert.deepEqual([thumb.width, thumb.height], [100, 50]);
});

test('a small image is not enlarged', async () => {
  const thumb = await makeThumbnail(await imageFile(40, 30, 'jpeg'));
  assert.deepEqual([thumb.width, thumb.height], [40, 30]);
  const meta = await sharp(thumb.bytes).metadata();
  assert.deepEqual([meta.width, meta.height], [40, 30]);
});

test('turns the image upright by its EXIF orientation and strips the metadata', async () => {
  // Stored 400x200, tagged "rotate 90° clockwise to display": shown as 200x400.
  const photo = await imageFile(400, 200, 'jpeg', 6);
  assert.equal((await sharp(photo).metadata()).orientation, 6);
  const thumb = await makeThumbnail(photo);
  assert.deepEqual([thumb.width, thumb.height], [160, 320]);
  const meta = await sharp(thumb.bytes).metadata();
  assert.equal(meta.orientation, undefined);
  assert.equal(meta.exif, undefined);
  assert.equal(meta.icc, undefined);
});

test('corrupt bytes are unreadable', async () => {
  const png = await imageFile(200, 200, 'png');
  const garbled = Buffer.from(png);
  garbled.fill(0xab, 40); // keep the signature and IHDR, ruin the pixel data
  await assert.rejects(makeThumbnail(garbled), unreadable('corrupt'));
  const jpeg = await imageFile(200, 200, 'jpeg');
  await assert.rejects(makeThumbnail(jpeg.subarray(0, 200)), unreadable('corrupt')); // truncated
  await assert.rejects(makeThumbnail(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])), unreadable('corrupt'));
});

test('other formats are unreadable, even ones sharp could decode', async () => {
  const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } })
    .gif()
    .toBuffer();
  await assert.rejects(makeThumbnail(gif), unreadable('unsupported_type'));
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
  await assert.rejects(makeThumbnail(svg), unreadable('unsupported_type'));
  await assert.rejects(makeThumbnail(new Uint8Array()), unreadable('unsupported_type'));
});

test('a PNG declaring huge dimensions (decompression bomb) is refused', async () => {
  const bomb = hugePng(100_000, 100_000);
  assert.ok(bomb.length < 10_000);
  const file = path.join(dir, 'bomb.png');
  fs.writeFileSync(file, bomb);
  // a real PNG header, as sharp reads it when told not to limit
  assert.equal((await sharp(file, { limitInputPixels: false }).metadata()).width, 100_000);
  await assert.rejects(makeThumbnail(fs.readFileSync(file)), unreadable('too_many_pixels'));
  // Under sharp's own default limit (268 MP) but over ours (100 MP).
  await assert.rejects(makeThumbnail(hugePng(12_000, 12_000)), unreadable('too_many_pixels'));
});

test('the pixel limit can be lowered', async () => {
  const photo = await imageFile(1200, 1000, 'jpeg');
  await assert.rejects(
    makeThumbnail(photo, 320, { maxInputPixels: 1_000_000 }),
    unreadable('too_many_pixels'),
  );
  const thumb = await makeThumbnail(photo, 320, { maxInputPixels: 1_200_000 });
  assert.equal(thumb.width, 320);
});

test('an invalid maximum size is a programming error', async () => {
  const png = await imageFile(10, 10, 'png');
  for (const size of [0, -1, 1.5, Number.NaN, 20_000]) {
    await assert.rejects(makeThumbnail(png, size), RangeError);
  }
});

test('stripImageMetadata drops EXIF (and a GPS position) and keeps the picture and its format', async () => {
  const withExif = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#0b6b3a' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '9/1 10/1 0/1' },
    })
    .toBuffer();
  assert.ok((await sharp(withExif).metadata()).exif, 'the input carries EXIF');
  const stripped = await stripImageMetadata(withExif);
  const meta = await sharp(stripped).metadata();
  assert.equal(meta.exif, undefined);
  assert.equal(meta.format, 'jpeg');
  assert.deepEqual([meta.width, meta.height], [40, 30]);
});
