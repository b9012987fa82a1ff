import { en } from './en';
import { sv, type Texts } from './sv';

export type { Texts };
export const LANGUAGES = ['sv', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** The texts of a language; Swedish first, and for anything not a known language. */
export const textsFor = (lang: string | undefined): Texts => (lang === 'en' ? en : sv);
