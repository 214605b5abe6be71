/** Request rates toward amoCRM: the default, and the ceiling (amoCRM blocks above 7 per second). */
export const DEFAULT_RPS = 5;
export const MAX_RPS = 7;
/**
 * The most slices the contact reader keeps in flight (--concurrency). It keeps as many as the rate
 * times the measured round trip, plus one (six at 6 req/s and 0.8 s), up to this. Kept here, like
 * the deadline below, so that `--help` shows them without loading the reader or the HTTP layer.
 */
export const DEFAULT_CONCURRENCY = 8;
/** The deadline of one request, answer included (--timeout). */
export const DEFAULT_TIMEOUT_MS = 30_000;
