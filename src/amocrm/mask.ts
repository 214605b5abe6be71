/** Secrets never reach a terminal or a log in full: first 4 … last 4 at most. */

export function maskToken(token: string | undefined): string {
  if (!token) return '';
  if (token.length <= 12) return '…';
  return `${token.slice(0, 4)}…${token.slice(-4)}`;
}

const SECRET_PARAMS = /^(code|token|access_token|refresh_token|client_secret|secret|password)$/i;

/** A path with query for the --verbose log; values of secret-looking parameters are masked. */
export function maskPath(pathWithQuery: string): string {
  const q = pathWithQuery.indexOf('?');
  if (q < 0) return pathWithQuery;
  const params = pathWithQuery
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = decodeURIComponent(pair.slice(0, eq));
      return SECRET_PARAMS.test(name) ? `${pair.slice(0, eq)}=${maskToken(decodeURIComponent(pair.slice(eq + 1))) || '…'}` : pair;
    });
  return `${pathWithQuery.slice(0, q)}?${params.join('&')}`;
}
