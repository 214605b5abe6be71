/**
 * startAmoSandbox: an amoCRM-compatible account on 127.0.0.1 with seeded contacts, real API v4
 * shapes and quirks, and switches for the failure modes a client must survive.
 */
import type { AddressInfo } from 'node:net';
import type { AmoSandbox, SandboxBehaviour, SandboxOptions } from './types.js';
import { ContactStore } from './store.js';
import { createSandboxServer, type GatewayState } from './server.js';
import { createStats } from './stats.js';
import { LONG_LIVED_TTL_SEC, TokenAuthority } from './tokens.js';
import { Rng } from './rng.js';
import { ACCOUNT_ID, ADMIN, USERS, userById } from './users.js';

export type { AmoSandbox, SandboxBehaviour, SandboxOptions, SandboxStats, OAuthClientInfo } from './types.js';
export { DATA_FROM, DATA_TO, BULK_EDIT_AT, CONTACT_ID_BASE, COMPANY_ID_BASE } from './generate.js';

export const DEFAULT_BEHAVIOUR: SandboxBehaviour = {
  latencyMs: 0,
  rateLimitRps: null,
  rateLimitFormat: 'json',
  retryAfterSec: 1,
  blockAfter429s: null,
  fault5xxRate: 0,
  fault504Rate: 0,
  ignoreDateFilter: false,
  accessTokenTtlSec: 86400,
  churn: null,
  unpaid: false,
};

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

export async function startAmoSandbox(opts: SandboxOptions = {}): Promise<AmoSandbox> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new RangeError(`the sandbox listens on loopback addresses only, not ${host}`);
  const seed = opts.seed ?? 1;
  const store = new ContactStore(seed, opts.contacts ?? 2000, opts.bulkEditSize ?? 1200);
  const behaviour: SandboxBehaviour = { ...DEFAULT_BEHAVIOUR, ...opts.behaviour };
  const stats = createStats();
  const churnRng = new Rng(seed, 0xc4a2);
  // Only working, paid users edit contacts.
  const editors = USERS.flatMap((u, k) => (u.isActive && !u.isFree ? [k] : []));
  let contactsRequests = 0;
  const state: GatewayState = {
    behaviour,
    stats,
    tokens: new TokenAuthority('3f1c2a9e-5b7d-4e21-9a0c-5a4db0c00001', `sandbox-secret-${Math.abs(seed).toString(36)}`),
    api: {
      url: '',
      store,
      behaviour,
      beforeContactsList() {
        contactsRequests++;
        const churn = behaviour.churn;
        if (!churn || churn.everyNRequests <= 0 || contactsRequests % churn.everyNRequests !== 0) return;
        for (let k = 0; k < churn.edits; k++) {
          const i = store.randomLive(churnRng);
          if (i !== null) store.edit(i, {}, churnRng.pick(editors));
        }
        for (let k = 0; k < churn.deletes; k++) {
          const i = store.randomLive(churnRng);
          if (i !== null) store.remove(i, churnRng.pick(editors));
        }
      },
    },
    faults: new Rng(seed, 0xfa17),
    arrivals: [],
    tooManyCount: 0,
    blocked: false,
  };
  const { server, cancelPending } = createSandboxServer(state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  state.api.url = url;
  const tokens = state.tokens;
  tokens.setOrigin(url);
  const oauthClient = { clientId: tokens.clientId, clientSecret: tokens.clientSecret, redirectUri: tokens.redirectUri };
  const knownUser = (id: number) => {
    if (!userById(id)) throw new RangeError(`unknown sandbox user ${id}`);
    return id;
  };
  const liveIndex = (id: number) => {
    const i = store.indexOf(id);
    if (i === null) throw new RangeError(`unknown sandbox contact ${id}`);
    return i;
  };
  let closed = false;

  const sandbox: AmoSandbox = {
    url,
    accountId: ACCOUNT_ID,
    longLivedToken: tokens.sign(ADMIN.id, LONG_LIVED_TTL_SEC).token,
    oauthClient,
    issueAuthCode: (userId = ADMIN.id) => tokens.issueCode(knownUser(userId)),
    issueLongLivedToken: (userId, ttlSec = LONG_LIVED_TTL_SEC) => tokens.sign(knownUser(userId), ttlSec).token,
    revokeToken: (token) => tokens.revoke(token),
    behaviour,
    setBehaviour(patch) {
      Object.assign(behaviour, patch);
      if ('blockAfter429s' in patch) {
        state.blocked = false;
        state.tooManyCount = 0;
      }
    },
    stats,
    users: () => USERS.map((u) => ({ id: u.id, name: u.name, groupId: u.groupId, exportRight: u.exportRight, isAdmin: u.isAdmin, isFree: u.isFree, isActive: u.isActive })),
    editContact(id, patch) {
      if (!store.edit(liveIndex(id), patch)) throw new RangeError(`contact ${id} is deleted`);
    },
    deleteContact(id) {
      if (!store.remove(liveIndex(id))) throw new RangeError(`contact ${id} is already deleted`);
    },
    restoreContact(id) {
      if (!store.restore(liveIndex(id))) throw new RangeError(`contact ${id} is not deleted`);
    },
    addContact: (fields) => store.add(fields),
    idsInWindow: (from, to, by = 'updated') => store.idsInWindow(from, to, by),
    async close() {
      if (closed) return;
      closed = true;
      cancelPending();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return sandbox;
}
