/** Themes are shared with opportunities, so they live in @tsunagi/domain. */
export { THEMES } from '@tsunagi/domain';
export type { Theme } from '@tsunagi/domain';

/** Languages a person speaks (ISO 639-1; 'tl' Tagalog, 'ne' Nepali: large communities in Kawasaki). */
export const LANGUAGES = ['ja', 'en', 'zh', 'ko', 'vi', 'tl', 'pt', 'es', 'ne', 'other'] as const;
export type SpokenLanguage = (typeof LANGUAGES)[number];

/** Languages the product writes its messages in. */
export const MESSAGE_LANGUAGES = ['ja', 'en'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];
