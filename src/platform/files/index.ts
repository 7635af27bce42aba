/**
 * Uploaded documents: type sniffing from the bytes, a content-addressed blob store, and
 * thumbnails of images. Modules import this file rather than its parts.
 */
export {
  ACCEPTED_MEDIA_TYPES,
  type DocumentMediaType,
  extensionFor,
  isExecutable,
  sniffMediaType,
  zipUncompressedSize,
} from './sniff.ts';
export { assertSha256, createFileStore, type FileStore, type StoredFile } from './store.ts';
export {
  DEFAULT_MAX_INPUT_PIXELS,
  type ImageUnreadableReason,
  makeThumbnail,
  stripImageMetadata,
  type Thumbnail,
} from './thumbnail.ts';
