/**
 * Thumbnails of uploaded photos (JPEG, PNG) with sharp: turned upright by the EXIF orientation,
 * fitted inside a square without enlarging, stripped of all metadata (EXIF GPS included), as WebP.
 * Decompression bombs are refused from the declared dimensions before any pixel is decoded; bombs,
 * corrupt files and other formats all give `image_unreadable` (kind `invalid`), with
 * `params.reason` telling which.
 */
import sharp from 'sharp';
import { DomainError } from '../errors.ts';
import { sniffMediaType } from './sniff.ts';

export interface Thumbnail {
  bytes: Buffer;
  mediaType: 'image/webp';
  width: number;
  height: number;
}

/** 100 megapixels: any phone photo, yet a bounded amount of decoding work. */
export const DEFAULT_MAX_INPUT_PIXELS = 100_000_000;
/** The largest side WebP can encode. */
const WEBP_MAX_SIDE = 16383;

export type ImageUnreadableReason = 'unsupported_type' | 'too_many_pixels' | 'corrupt';

const unreadable = (reason: ImageUnreadableReason) =>
  new DomainError('image_unreadable', 'invalid', { reason });

/**
 * @param maxSize  the thumbnail's longest side at most, in pixels (an integer, 1 to 16383)
 * @param options.maxInputPixels  refuse inputs declaring more pixels (width × height) than this
 */
export async function makeThumbnail(
  bytes: Uint8Array,
  maxSize = 320,
  options: { maxInputPixels?: number } = {},
): Promise<Thumbnail> {
  if (!Number.isInteger(maxSize) || maxSize < 1 || maxSize > WEBP_MAX_SIDE) {
    throw new RangeError(`maxSize must be an integer from 1 to ${WEBP_MAX_SIDE}, not ${maxSize}`);
  }
  const maxInputPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const type = sniffMediaType(bytes);
  if (type !== 'image/jpeg' && type !== 'image/png') throw unreadable('unsupported_type');

  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: maxInputPixels,
      failOn: 'warning',
      autoOrient: true,
    })
      .resize(maxSize, maxSize, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, mediaType: 'image/webp', width: info.width, height: info.height };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    throw unreadable(/pixel limit/i.test(message) ? 'too_many_pixels' : 'corrupt');
  }
}

/**
 * The image as it may be published: upright, without its metadata (EXIF and GPS position of the
 * phone that took it, camera serial numbers), in its own format. JPEG is re-encoded at quality 90.
 */
export async function stripImageMetadata(
  bytes: Uint8Array,
  options: { maxInputPixels?: number } = {},
): Promise<Buffer> {
  const type = sniffMediaType(bytes);
  if (type !== 'image/jpeg' && type !== 'image/png') throw unreadable('unsupported_type');
  try {
    const image = sharp(bytes, {
      limitInputPixels: options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS,
      failOn: 'warning',
      autoOrient: true,
    });
    return type === 'image/jpeg'
      ? await image.jpeg({ quality: 90, mozjpeg: true }).toBuffer()
      : await image.png({ compressionLevel: 9 }).toBuffer();
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    throw unreadable(/pixel limit/i.test(message) ? 'too_many_pixels' : 'corrupt');
  }
}
