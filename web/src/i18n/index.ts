// The app's words in the reader's language: English (./en, the source of truth, in the
// first load) and French, German and Spanish (./fr, ./de, ./es, each a chunk fetched only
// when chosen and precached by the service worker, so a switch works offline).
// `t(key, params)` fills "{name}" placeholders; a key whose text is a set of plural forms
// picks one with Intl.PluralRules from `params.n`. Amounts and dates use `intlLocale()`.
// Adding a language: a catalog typed `Catalog` (a missing key is a TypeScript error), an
// entry in LANGUAGES and one in `load` (docs/languages.md).
import { en, type Catalog, type Key, type Plural } from "./en";

export type { Catalog, Key, Plural };

export type Lang = "en" | "fr" | "de" | "es";

/** The languages offered, each in its own name. */
export const LANGUAGES: { code: Lang; name: string }[] = [
  { code: "en", name: "English" },
  { code: "fr", name: "Français" },
  { code: "de", name: "Deutsch" },
  { code: "es", name: "Español" },
];

const STORAGE_KEY = "gfms.language";

let lang: Lang = "en";
let catalog: Catalog = en;
let locale = "en";
const listeners = new Set<(lang: Lang) => void>();

function isLang(x: unknown): x is Lang {
  return LANGUAGES.some((l) => l.code === x);
}

/** The first of the browser's languages the app speaks, else English ("fr-CA" → fr). */
export function detect(languages: readonly string[]): Lang {
  for (const tag of languages) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLang(base)) return base;
  }
  return "en";
}

/** The BCP 47 tag for Intl: the browser's own variant of `l` if it lists one ("fr-CH"), else `l`. */
export function localeFor(l: Lang, languages: readonly string[]): string {
  const own = languages.find((tag) => tag.toLowerCase().split("-")[0] === l);
  if (!own) return l;
  try {
    return Intl.getCanonicalLocales(own)[0] ?? l;
  } catch {
    return l;
  }
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** The language chosen in Settings on this device, if any. */
export function savedLanguage(): Lang | null {
  const v = storage()?.getItem(STORAGE_KEY);
  return isLang(v) ? v : null;
}

/** The language to start in: the one chosen on this device, else the browser's. */
export function startLanguage(): Lang {
  return savedLanguage() ?? detect(browserLanguages());
}

/** Fetches a language's catalog (a lazily loaded chunk, except English). */
export function load(l: Lang): Promise<Catalog> {
  switch (l) {
    case "fr":
      return import("./fr").then((m) => m.fr);
    case "de":
      return import("./de").then((m) => m.de);
    case "es":
      return import("./es").then((m) => m.es);
    default:
      return Promise.resolve(en);
  }
}

/** Uses a loaded catalog at once: `t` answers in it, `<html lang>` says it, listeners re-render. */
export function use(l: Lang, c: Catalog): void {
  lang = l;
  catalog = c;
  locale = localeFor(l, browserLanguages());
  if (typeof document !== "undefined") document.documentElement.lang = l;
  for (const f of listeners) f(l);
}

/**
 * Tells the service worker the language, so a notification is worded in it
 * (public/push-sw.js reads the cache "gfms-settings"); best effort.
 */
function tellWorker(l: Lang): void {
  try {
    if (typeof caches === "undefined" || typeof location === "undefined") return;
    const url = new URL("gfms-language", location.href).href;
    void caches
      .open("gfms-settings")
      .then((c) => c.put(url, new Response(l)))
      .catch(() => {});
  } catch {
    // no Cache Storage here
  }
}

/**
 * Switches to `l` (fetching its catalog first; a failed fetch leaves the language as it
 * was and rethrows); `remember` keeps the choice on this device.
 */
export async function setLanguage(l: Lang, remember = false): Promise<void> {
  const c = await load(l);
  if (remember) {
    try {
      storage()?.setItem(STORAGE_KEY, l);
    } catch {
      // private mode: the choice holds until the app closes
    }
  }
  use(l, c);
  tellWorker(l);
}

/** The current language. */
export function language(): Lang {
  return lang;
}

/** The locale for Intl (NumberFormat, DateTimeFormat, …). */
export function intlLocale(): string {
  return locale;
}

/** Called after every switch; returns the unsubscribe. */
export function onLanguage(f: (lang: Lang) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

function fill(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (all, name: string) => {
    const v = params[name];
    if (v === undefined) return all;
    return typeof v === "number" ? new Intl.NumberFormat(locale).format(v) : v;
  });
}

/** The plural form of `forms` for `n` in the current language (other when it has none). */
export function pluralForm(forms: Plural, n: number): string {
  const cat = new Intl.PluralRules(locale).select(n) as keyof Plural;
  return forms[cat] ?? forms.other;
}

/** The text of `key` in the current language, with `{placeholders}` filled from `params`. */
export function t(key: Key, params?: Record<string, string | number>): string {
  const v = (catalog[key] ?? en[key]) as string | Plural;
  const text = typeof v === "string" ? v : pluralForm(v, Number(params?.n ?? 0));
  return fill(text, params);
}

/** "Bob", "Bob and Carol", "Bob, Carol and Dan" in the current language (Intl.ListFormat). */
export function listOf(items: string[]): string {
  if (lang === "en") return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
  try {
    return new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(items);
  } catch {
    return items.join(", ");
  }
}
