/** Requests to a CardDAV server kept in flight: also shown in `--help`, which must not load the transport (undici). */
export const DEFAULT_DAV_CONCURRENCY = 4;
