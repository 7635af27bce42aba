/**
 * The message catalogue: Vietnamese first, English second. Each module declares its messages
 * with `defineMessages` (English must have every Vietnamese key: the type checker enforces it),
 * and the composition root joins them into one catalogue.
 */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

export type Messages = Record<string, string>;
export interface MessageBundle<K extends string = string> {
  vi: Record<K, string>;
  en: Record<K, string>;
}

export function defineMessages<const V extends Messages>(
  vi: V,
  en: Record<keyof V, string>,
): MessageBundle<Extract<keyof V, string>> {
  return { vi, en } as MessageBundle<Extract<keyof V, string>>;
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export interface Catalogue {
  translator(locale: Locale): Translate;
  has(key: string): boolean;
  keys(): string[];
}

export function createCatalogue(bundles: MessageBundle[]): Catalogue {
  const merged: Record<Locale, Map<string, string>> = { vi: new Map(), en: new Map() };
  for (const bundle of bundles) {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(bundle[locale])) {
        if (merged[locale].has(key)) throw new Error(`Message key "${key}" is defined twice`);
        merged[locale].set(key, text);
      }
    }
  }
  const translators = Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      ((key, params) => {
        const text = merged[locale].get(key) ?? merged.vi.get(key);
        if (text === undefined) return key;
        return params ? interpolate(text, params) : text;
      }) satisfies Translate,
    ]),
  ) as Record<Locale, Translate>;
  return {
    translator: (locale) => translators[locale],
    has: (key) => merged.vi.has(key),
    keys: () => [...merged.vi.keys()],
  };
}

function interpolate(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The language of a request: `?lang=` first, then the `lang` cookie, then Accept-Language,
 * then Vietnamese.
 */
export function negotiateLocale(input: {
  query?: string | undefined;
  cookie?: string | undefined;
  acceptLanguage?: string | undefined;
}): Locale {
  if (isLocale(input.query)) return input.query;
  if (isLocale(input.cookie)) return input.cookie;
  if (input.acceptLanguage) {
    const ranked = input.acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag = '', ...attrs] = part.trim().split(';');
        const q = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
        const weight = q ? Number(q.slice(2)) : 1;
        return {
          lang: tag.toLowerCase().split('-')[0] ?? '',
          weight: Number.isNaN(weight) ? 0 : weight,
          index,
        };
      })
      .filter((entry) => entry.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.index - b.index);
    for (const entry of ranked) if (isLocale(entry.lang)) return entry.lang;
  }
  return DEFAULT_LOCALE;
}
