/**
 * Control surface of the amoCRM-compatible sandbox. Tests, benchmarks and `--sandbox` use it; the
 * HTTP side speaks the real API v4 (see shared amocrm-api.md).
 */
export interface SandboxBehaviour {
  /** Added to every response, in ms. */
  latencyMs: number;
  /** Requests per second the server tolerates (sliding 1 s window); beyond it answers 429. null = unlimited. */
  rateLimitRps: number | null;
  /** Body of the 429: Kommo's problem+json with retry_after, or the gateway's HTML page. */
  rateLimitFormat: 'json' | 'html';
  /** retry_after seconds in the JSON 429 (omitted when null). */
  retryAfterSec: number | null;
  /**
   * After this many 429s the account is blocked: every request then gets 403 (HTML). null = never.
   * Setting this field through setBehaviour lifts an existing block and restarts the count.
   */
  blockAfter429s: number | null;
  /** Probability of a 500 (problem+json with trace_id) / 504 (HTML gateway timeout) per API request. */
  fault5xxRate: number;
  fault504Rate: number;
  /** filter[updated_at]/filter[created_at] accepted but ignored (the alpha-feature quirk). */
  ignoreDateFilter: boolean;
  /** Lifetime of OAuth access tokens issued from now on, in seconds. */
  accessTokenTtlSec: number;
  /** Mutations applied while a client pages: every N-th contacts request edits/deletes random contacts. */
  churn: { everyNRequests: number; edits: number; deletes: number } | null;
  /** 402 on everything (subscription over). */
  unpaid: boolean;
}

export interface SandboxOptions {
  host?: string; // default 127.0.0.1
  port?: number; // default 0 (any free port)
  contacts?: number; // default 2000; up to 1,000,000
  seed?: number; // default 1
  /** Contacts sharing one updated_at second (a bulk edit); default 1200. */
  bulkEditSize?: number;
  behaviour?: Partial<SandboxBehaviour>;
}

export interface SandboxStats {
  /** Every API request (not the token endpoint), with the time it arrived (ms since epoch). */
  requests: { at: number; method: string; path: string; status: number; /** The query string without '?'. */ query: string }[];
  /** Every call of the token endpoint, in arrival order (proves how often a client refreshed). */
  tokenGrants: { at: number; grant_type: string; status: number }[];
  /** Largest number of requests that arrived within any 1,000 ms window. */
  maxPerSecond(): number;
  count(status?: number): number;
  reset(): void;
}

export interface OAuthClientInfo {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface AmoSandbox {
  /** e.g. http://127.0.0.1:43123 — what `--base-url` takes. */
  url: string;
  accountId: number;
  /** A long-lived token of the admin user (JWT shape, exp ~5 years). */
  longLivedToken: string;
  oauthClient: OAuthClientInfo;
  /** A fresh authorization code for the admin (or the given user), valid 20 minutes. */
  issueAuthCode(userId?: number): string;
  /** A long-lived token acting as the given user (to test G/M/D export rights). */
  issueLongLivedToken(userId: number, ttlSec?: number): string;
  revokeToken(token: string): void;
  behaviour: SandboxBehaviour;
  setBehaviour(patch: Partial<SandboxBehaviour>): void;
  stats: SandboxStats;
  /** Users with rights A/G/M/D, in groups; the first is the admin. */
  users(): { id: number; name: string; groupId: number; exportRight: 'A' | 'G' | 'M' | 'D'; isAdmin: boolean; isFree: boolean; isActive: boolean }[];
  /** Mutations (each bumps updated_at to "now" and records events like the real account). */
  editContact(id: number, patch?: { name?: string; phones?: string[] }): void;
  deleteContact(id: number): void;
  restoreContact(id: number): void;
  addContact(fields: { name: string; phones: string[]; responsibleUserId?: number }): number;
  /** Ids of live contacts whose updated_at (or created_at) lies in [from, to] (unix seconds), for test oracles. */
  idsInWindow(from: number, to: number, by?: 'updated' | 'created'): number[];
  close(): Promise<void>;
}
