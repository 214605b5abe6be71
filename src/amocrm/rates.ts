/** Request rates toward amoCRM: the default, and the ceiling (amoCRM blocks above 7 per second). */
export const DEFAULT_RPS = 5;
export const MAX_RPS = 7;
/**
 * Requests kept in flight by the contact reader. contacts/source.ts holds the value it uses; this
 * copy is what `--help` shows without loading the reader (a test keeps the two equal).
 */
export const DEFAULT_CONCURRENCY = 8;
