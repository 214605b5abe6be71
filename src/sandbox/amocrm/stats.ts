/** What the server saw: every API request with its arrival time, and every token grant. */
import type { SandboxStats } from './types.js';

export function createStats(): SandboxStats {
  const stats: SandboxStats = {
    requests: [],
    tokenGrants: [],
    maxPerSecond() {
      const at = stats.requests.map((r) => r.at).sort((a, b) => a - b);
      let best = 0;
      let lo = 0;
      for (let hi = 0; hi < at.length; hi++) {
        while (at[hi]! - at[lo]! >= 1000) lo++;
        best = Math.max(best, hi - lo + 1);
      }
      return best;
    },
    count(status?: number) {
      return status === undefined ? stats.requests.length : stats.requests.filter((r) => r.status === status).length;
    },
    reset() {
      stats.requests.length = 0;
      stats.tokenGrants.length = 0;
    },
  };
  return stats;
}
