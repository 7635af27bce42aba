import { DomainError, type FieldError } from '../../platform/errors.ts';

export const productNotFound = () => new DomainError('product_not_found', 'not_found');
export const dossierNotFound = () => new DomainError('dossier_not_found', 'not_found');
export const documentNotFound = () => new DomainError('document_not_found', 'not_found');
export const forbidden = () => new DomainError('forbidden', 'forbidden');
export const signInRequired = () => new DomainError('sign_in_required', 'unauthenticated');
export const invalid = (fields: FieldError[]) => new DomainError('validation_failed', 'invalid', {}, fields);
export const productChanged = () => new DomainError('product_changed', 'conflict');
export const dossierChanged = () => new DomainError('dossier_changed', 'conflict');
export const gtinTaken = (index: number, gtin: string) =>
  new DomainError('gtin_taken', 'conflict', { gtin }, [
    { in: 'body', name: `gtins/${index}`, rule: 'gtinTaken' },
  ]);
export const dossierOpen = () => new DomainError('dossier_already_open', 'conflict');
export const dossierNotEditable = () => new DomainError('dossier_not_editable', 'conflict');
/** A transition the lifecycle refuses: code from dossier-states.ts. */
export const transitionRefused = (code: string, params: Record<string, string | number> = {}) =>
  new DomainError(code, code === 'dossier_not_your_step' ? 'forbidden' : 'conflict', params);
/** Why an upload is refused: the error code, and the rule shown next to the file field. */
const UPLOAD_RULES: Record<string, string> = {
  upload_empty: 'fileEmpty',
  upload_missing: 'fileMissing',
  upload_executable: 'fileExecutable',
  upload_type_not_allowed: 'fileType',
  upload_image_required: 'imageRequired',
  file_too_large: 'fileTooLarge',
};
export const uploadRefused = (
  code: keyof typeof UPLOAD_RULES,
  params: Record<string, string | number> = {},
) =>
  new DomainError(code, 'invalid', params, [{ in: 'body', name: 'file', rule: UPLOAD_RULES[code]!, params }]);
