/** Request rates toward amoCRM: the default, and the ceiling (amoCRM blocks above 7 per second). */
export const DEFAULT_RPS = 5;
export const MAX_RPS = 7;
/**
 * Slices the contact reader keeps in flight. More than rps × round trip (6 × 0.8 s): a page is
 * turned round in more than its round trip (parsing, a loaded machine), and a start slot nobody is
 * waiting for is lost. Kept here so that `--help` shows it without loading the reader.
 */
export const DEFAULT_CONCURRENCY = 8;
