import { defineMessages } from '../../platform/i18n/index.ts';

/** Messages of the traceability module (vi first, en second). */
export const traceabilityMessages = defineMessages(
  {
    'errors.location_taken': 'Mã địa điểm {identifier} đã được đăng ký',
    'validation.gln':
      'Phải là mã địa điểm GS1 (GLN, SGLN hoặc GS1 Digital Link /414/, /417/) đúng số kiểm tra',
  },
  {
    'errors.location_taken': 'Location identifier {identifier} is already registered',
    'validation.gln':
      'Must be a GS1 location identifier (GLN, SGLN or GS1 Digital Link /414/, /417/) with a valid check digit',
  },
);
