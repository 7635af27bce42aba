/** How an upload route's multipart form is described in OpenAPI (documentation only). */
import { type TSchema, Type } from 'typebox';

/** The uploaded file, as OpenAPI writes a binary form part. */
export const FilePart = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'the file' });

export function multipartBody(fields: Record<string, TSchema>, required: string[]) {
  return Type.Unsafe<unknown>({
    type: 'object',
    properties: fields,
    required,
  });
}
