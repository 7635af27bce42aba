/**
 * The GS1 identifier layer: check digits, Application Identifiers and element strings, GS1 Digital
 * Link URIs, EPC URNs. Pure functions (the AI dictionary is read once, when the module loads); any
 * module may import it.
 */

export * from './ai.ts';
export * from './check-digit.ts';
export * from './digital-link.ts';
export * from './epc.ts';
