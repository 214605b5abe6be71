/** Unix seconds as ISO 8601 without milliseconds (`2026-11-22T05:11:54Z`), as reports and manifests show them. */
export function isoSeconds(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
}
