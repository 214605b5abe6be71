/** The read side of API v4: account, contacts, companies, users, events, custom fields. */
import type { SandboxBehaviour } from './types.js';
import { BracketParams } from './params.js';
import { hal, noContent, notFound, problem, validation, forbidden, type Reply } from './responses.js';
import { CUSTOM_FIELDS_PAGE, customFieldDefs, type ContactQuery, type ContactStore, type OrderField } from './store.js';
import { COMPANY_ID_BASE } from './generate.js';
import { ACCOUNT_ID, ACCOUNT_SUBDOMAIN, ADMIN, GROUPS, USERS, apiUser, userById, type SandboxUser } from './users.js';

export interface ApiContext {
  url: string;
  store: ContactStore;
  behaviour: SandboxBehaviour;
  /** Called before each contacts list request is answered (the churn switch hooks in here). */
  beforeContactsList(): void;
}

export interface Caller {
  /** Whose rights apply (the token's user, or X-Context-User-ID). */
  viewer: SandboxUser;
}

class BadParam extends Error {
  constructor(readonly reply: Reply) {
    super('bad parameter');
  }
}

/** HAL `_links` of a list page: `self`, and `next` when the caller may ask for one more page. */
function pageLinks(ctx: ApiContext, p: BracketParams, pathname: string, page: number, hasNext: boolean): Record<string, { href: string }> {
  const base = `${ctx.url}${pathname}`;
  return { self: { href: `${base}?${p.withPage(page)}` }, ...(hasNext ? { next: { href: `${base}?${p.withPage(page + 1)}` } } : {}) };
}

function int(value: string | null, path: string, min = 0): number | null {
  if (value === null || value === '') return null;
  if (!/^-?\d+$/.test(value) || Number(value) < min) throw new BadParam(validation(path, `This value should be a valid number greater than or equal to ${min}.`, 'InvalidType'));
  return Number(value);
}

function paging(p: BracketParams, max: number, defaultLimit: number): { page: number; limit: number } {
  const page = int(p.get('page'), 'page', 1) ?? 1;
  const limit = int(p.get('limit'), 'limit', 1) ?? defaultLimit;
  if (limit > max) throw new BadParam(problem(422, 'Unprocessable Entity', `Limit ${max} per page`));
  return { page, limit };
}

function ids(p: BracketParams, name: string): number[] | null {
  const raw = p.list(name);
  if (raw === null) return null;
  return raw.map((v, k) => int(v, `${name}.${k}`) ?? 0);
}

export function handleApi(ctx: ApiContext, method: string, pathname: string, search: URLSearchParams, caller: Caller): Reply {
  if (method !== 'GET') return notFound(method, pathname);
  const p = new BracketParams(search);
  const path = pathname.replace(/\/+$/, '');
  try {
    if (path === '/api/v4/account') return account(ctx, p, caller);
    if (path === '/api/v4/contacts') return contacts(ctx, p, caller, pathname);
    if (path === '/api/v4/contacts/custom_fields') return customFields(ctx, p, pathname);
    let m = /^\/api\/v4\/contacts\/(\d+)$/.exec(path);
    if (m) return contact(ctx, Number(m[1]), caller);
    if (path === '/api/v4/companies') return companies(ctx, p, pathname);
    m = /^\/api\/v4\/companies\/(\d+)$/.exec(path);
    if (m) return company(ctx, Number(m[1]));
    if (path === '/api/v4/users') return users(ctx, p, caller, pathname);
    m = /^\/api\/v4\/users\/(\d+)$/.exec(path);
    if (m) return user(ctx, Number(m[1]), p, caller);
    if (path === '/api/v4/events') return events(ctx, p, caller, pathname);
    return notFound(method, pathname);
  } catch (e) {
    if (e instanceof BadParam) return e.reply;
    throw e;
  }
}

function account(ctx: ApiContext, p: BracketParams, caller: Caller): Reply {
  const w = p.with();
  const embedded: Record<string, unknown> = {};
  if (w.has('users_groups')) embedded.users_groups = GROUPS.map((g) => ({ id: g.id, name: g.name, uuid: null }));
  if (w.has('datetime_settings')) {
    embedded.datetime_settings = { date_pattern: 'd.m.Y H:i', short_date_pattern: 'd.m.Y', date_format: 'd.m.Y', time_format: 'H:i', timezone: 'Europe/Moscow', timezone_offset: '+03:00' };
  }
  return hal({
    id: ACCOUNT_ID,
    name: 'Песочница amo-phonebook',
    subdomain: ACCOUNT_SUBDOMAIN,
    created_at: 1672531200,
    created_by: ADMIN.id,
    updated_at: 1672531200,
    updated_by: ADMIN.id,
    current_user_id: caller.viewer.id,
    country: 'RU',
    currency: 'RUB',
    currency_symbol: '₽',
    customers_mode: 'disabled',
    is_unsorted_on: true,
    is_loss_reason_enabled: true,
    is_helpbot_enabled: false,
    is_technical_account: false,
    contact_name_display_order: 1,
    ...(w.has('is_api_filter_enabled') ? { is_api_filter_enabled: !ctx.behaviour.ignoreDateFilter } : {}),
    _links: { self: { href: `${ctx.url}/api/v4/account` } },
    ...(Object.keys(embedded).length ? { _embedded: embedded } : {}),
  });
}

const ORDER_FIELDS: Record<string, OrderField> = { updated_at: 'updated', created_at: 'created', id: 'id' };

function contacts(ctx: ApiContext, p: BracketParams, caller: Caller, pathname: string): Reply {
  const { page, limit } = paging(p, 250, 50);
  const windows: ContactQuery['windows'] = [];
  if (!ctx.behaviour.ignoreDateFilter) {
    for (const [name, field] of [['updated_at', 'updated'], ['created_at', 'created']] as const) {
      const r = p.range(`filter[${name}]`);
      if (r) windows.push({ field, from: int(r.from, `filter.${name}.from`), to: int(r.to, `filter.${name}.to`) });
    }
  }
  const o = p.order();
  let order: ContactQuery['order'] = { field: 'id', desc: false };
  if (o) {
    const field = ORDER_FIELDS[o.field];
    if (!field || (o.dir !== 'asc' && o.dir !== 'desc')) throw new BadParam(validation(`order.${o.field}`, 'This value is not valid.'));
    order = { field, desc: o.dir === 'desc' };
  }
  const w = p.with();
  ctx.beforeContactsList();
  const found = ctx.store.query({
    windows,
    ids: ids(p, 'filter[id]'),
    responsible: ids(p, 'filter[responsible_user_id]'),
    text: p.get('query')?.trim() || null,
    onlyDeleted: w.has('only_deleted'),
    order,
    viewer: caller.viewer,
    offset: (page - 1) * limit,
    limit,
  });
  if (found.length === 0) return noContent();
  return hal({
    _page: page,
    // "next" is always there: counting is too costly for the real API, so clients must stop on a short page.
    _links: pageLinks(ctx, p, pathname, page, true),
    _embedded: { contacts: found.map((i) => ctx.store.render(i, ctx.url)) },
  });
}

function contact(ctx: ApiContext, id: number, caller: Caller): Reply {
  const i = ctx.store.indexOf(id);
  if (i === null || !ctx.store.isLive(i)) return noContent();
  const visible = ctx.store.contactFilter(caller.viewer);
  if (visible && !visible(id)) return forbidden();
  return hal(ctx.store.render(i, ctx.url));
}

function customFields(ctx: ApiContext, p: BracketParams, pathname: string): Reply {
  const { page, limit } = paging(p, CUSTOM_FIELDS_PAGE, CUSTOM_FIELDS_PAGE);
  const defs = customFieldDefs();
  const slice = defs.slice((page - 1) * limit, page * limit);
  if (slice.length === 0) return noContent();
  return hal({
    _total_items: defs.length,
    _page: page,
    _page_count: Math.ceil(defs.length / limit),
    _links: pageLinks(ctx, p, pathname, page, page * limit < defs.length),
    _embedded: {
      custom_fields: slice.map((d, k) => ({
        ...d, sort: 100 * (k + 1), is_predefined: true, is_deletable: false, is_visible: true, is_required: false, is_api_only: false,
        entity_type: 'contacts', account_id: ACCOUNT_ID, _links: { self: { href: `${ctx.url}/api/v4/contacts/custom_fields/${d.id}` } },
      })),
    },
  });
}

function companies(ctx: ApiContext, p: BracketParams, pathname: string): Reply {
  const { page, limit } = paging(p, 250, 50);
  const total = ctx.store.companies;
  let list: number[];
  const wanted = ids(p, 'filter[id]');
  if (wanted) {
    list = [...new Set(wanted)].map((id) => id - COMPANY_ID_BASE).filter((k) => k >= 0 && k < total).sort((a, b) => a - b);
    list = list.slice((page - 1) * limit, page * limit);
  } else {
    list = [];
    for (let k = (page - 1) * limit; k < Math.min(total, page * limit); k++) list.push(k);
  }
  if (list.length === 0) return noContent();
  return hal({
    _page: page,
    _links: pageLinks(ctx, p, pathname, page, !wanted && page * limit < total),
    _embedded: { companies: list.map((k) => ctx.store.renderCompany(k, ctx.url)) },
  });
}

function company(ctx: ApiContext, id: number): Reply {
  const k = id - COMPANY_ID_BASE;
  if (k < 0 || k >= ctx.store.companies) return noContent();
  return hal(ctx.store.renderCompany(k, ctx.url));
}

function users(ctx: ApiContext, p: BracketParams, caller: Caller, pathname: string): Reply {
  if (!caller.viewer.isAdmin) return forbidden();
  const { page, limit } = paging(p, 250, 50);
  const slice = USERS.slice((page - 1) * limit, page * limit);
  if (slice.length === 0) return noContent();
  const pageCount = Math.ceil(USERS.length / limit);
  return hal({
    _total_items: USERS.length,
    _page: page,
    _page_count: pageCount,
    _links: pageLinks(ctx, p, pathname, page, page < pageCount),
    _embedded: { users: slice.map((u) => apiUser(u, ctx.url, withGroups(p))) },
  });
}

function user(ctx: ApiContext, id: number, p: BracketParams, caller: Caller): Reply {
  if (!caller.viewer.isAdmin) return forbidden();
  const u = userById(id);
  if (!u) return noContent();
  return hal(apiUser(u, ctx.url, withGroups(p)));
}

/** Either extra brings the user's groups and roles along. */
const withGroups = (p: BracketParams) => {
  const w = p.with();
  return w.has('group') || w.has('role');
};

function events(ctx: ApiContext, p: BracketParams, caller: Caller, pathname: string): Reply {
  const { page, limit } = paging(p, 100, 100);
  const r = p.range('filter[created_at]');
  const entity = p.list('filter[entity]');
  const o = p.order();
  const found = ctx.store.events.query({
    types: p.list('filter[type]'),
    entity: entity?.[0] ?? null,
    from: r ? int(r.from, 'filter.created_at.from') : null,
    to: r ? int(r.to, 'filter.created_at.to') : null,
    entityIds: ids(p, 'filter[entity_id]'),
    visible: ctx.store.contactFilter(caller.viewer),
    desc: o?.dir === 'desc',
    offset: (page - 1) * limit,
    limit,
  });
  if (found.length === 0) return noContent();
  return hal({
    _page: page,
    _links: pageLinks(ctx, p, pathname, page, found.length === limit),
    _embedded: {
      events: found.map((e) => ({
        ...e,
        _links: { self: { href: `${ctx.url}/api/v4/events/${e.id}` } },
        _embedded: { entity: { id: e.entity_id, _links: { self: { href: `${ctx.url}/api/v4/contacts/${e.entity_id}` } } } },
      })),
    },
  });
}
