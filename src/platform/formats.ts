/** Formats forms and imports check before a service does (the same as the database's CHECKs). */
export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const PHONE = /^\+?[0-9]{8,15}$/;
