/** Request rates toward amoCRM: the default, and the ceiling (amoCRM blocks above 7 per second). */
export const DEFAULT_RPS = 5;
export const MAX_RPS = 7;
