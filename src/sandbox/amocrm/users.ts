/**
 * The sandbox account's people: an admin plus users whose contact rights cover A, G, M and D,
 * spread over two groups, one free seat and one deactivated employee (still responsible for
 * old contacts, as happens in real accounts).
 */
import type { ApiEntityRights, ApiUser, RightValue } from '../../amocrm/types.js';

export const ACCOUNT_ID = 30000001;
export const ACCOUNT_SUBDOMAIN = 'sandbox';

export interface SandboxGroup {
  id: number;
  name: string;
}

export const GROUPS: readonly SandboxGroup[] = [
  { id: 0, name: 'Отдел продаж' },
  { id: 101, name: 'Поддержка' },
  { id: 102, name: 'Partners' },
];

export interface SandboxUser {
  id: number;
  name: string;
  email: string;
  lang: string;
  groupId: number;
  view: RightValue;
  exportRight: 'A' | 'G' | 'M' | 'D';
  isAdmin: boolean;
  isFree: boolean;
  isActive: boolean;
  /** Relative share of contacts this user is responsible for (0 = none). */
  share: number;
}

export const USERS: readonly SandboxUser[] = [
  { id: 9000001, name: 'Анна Админова', email: 'admin@sandbox.example', lang: 'ru', groupId: 0, view: 'A', exportRight: 'A', isAdmin: true, isFree: false, isActive: true, share: 3 },
  { id: 9000002, name: 'Борис Всевидящий', email: 'boris@sandbox.example', lang: 'ru', groupId: 0, view: 'A', exportRight: 'A', isAdmin: false, isFree: false, isActive: true, share: 3 },
  { id: 9000003, name: 'Галина Группова', email: 'galina@sandbox.example', lang: 'ru', groupId: 0, view: 'G', exportRight: 'G', isAdmin: false, isFree: false, isActive: true, share: 2 },
  { id: 9000004, name: 'Михаил Личный', email: 'mikhail@sandbox.example', lang: 'ru', groupId: 101, view: 'M', exportRight: 'M', isAdmin: false, isFree: false, isActive: true, share: 2 },
  { id: 9000005, name: 'Dmitry Denied', email: 'dmitry@sandbox.example', lang: 'en', groupId: 101, view: 'A', exportRight: 'D', isAdmin: false, isFree: false, isActive: true, share: 1 },
  { id: 9000006, name: 'Olga Partner', email: 'olga@sandbox.example', lang: 'en', groupId: 102, view: 'G', exportRight: 'G', isAdmin: false, isFree: false, isActive: true, share: 2 },
  { id: 9000007, name: 'Фёдор Бесплатный', email: 'fedor@sandbox.example', lang: 'ru', groupId: 102, view: 'D', exportRight: 'D', isAdmin: false, isFree: true, isActive: true, share: 0 },
  { id: 9000008, name: 'Уволенный Сотрудник', email: 'former@sandbox.example', lang: 'ru', groupId: 101, view: 'M', exportRight: 'M', isAdmin: false, isFree: false, isActive: false, share: 1 },
];

export const ADMIN = USERS[0]!;

/** Indexes into USERS by weight: contact i's responsible is RESPONSIBLE_SLOTS[h % length]. */
export const RESPONSIBLE_SLOTS: readonly number[] = USERS.flatMap((u, i) => Array<number>(u.share).fill(i));

export function userById(id: number): SandboxUser | undefined {
  return USERS.find((u) => u.id === id);
}

export function userIndex(id: number): number {
  return USERS.findIndex((u) => u.id === id);
}

function rights(view: RightValue, exportRight: RightValue, admin: boolean): ApiEntityRights {
  if (admin) return { view: 'A', edit: 'A', add: 'A', delete: 'A', export: 'A' };
  return { view, edit: view, add: view === 'D' ? 'D' : 'A', delete: view === 'D' ? 'D' : 'M', export: exportRight };
}

export function apiUser(u: SandboxUser, baseUrl: string, withGroup: boolean): ApiUser & Record<string, unknown> {
  const contacts = rights(u.view, u.exportRight, u.isAdmin);
  const group = GROUPS.find((g) => g.id === u.groupId)!;
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    lang: u.lang,
    rights: {
      leads: contacts,
      contacts,
      companies: contacts,
      tasks: { edit: u.isAdmin ? 'A' : 'M', delete: u.isAdmin ? 'A' : 'M' },
      mail_access: !u.isFree,
      catalog_access: !u.isFree,
      is_admin: u.isAdmin,
      is_free: u.isFree,
      is_active: u.isActive,
      group_id: u.groupId,
      role_id: null,
    },
    _links: { self: { href: `${baseUrl}/api/v4/users/${u.id}` } },
    ...(withGroup ? { _embedded: { roles: [], groups: [{ id: group.id, name: group.name }] } } : {}),
  };
}
