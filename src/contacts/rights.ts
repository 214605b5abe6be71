/**
 * The export right (amocrm-api.md §5). The server filters reads by `view` only, so the export
 * right A/G/M/D has to be applied here, on our side, to every contact we write out.
 */
import type { AmoClient } from '../amocrm/client.js';
import type { ApiAccount, RightValue } from '../amocrm/types.js';
import { AppError } from '../errors.js';

export interface RightsFilter {
  mode: 'A' | 'G' | 'M';
  userId: number;
  groupId: number | null;
  /** resolveRights sets it: 'read' from the user's record; 'assumed' when unreadable or of no known meaning. */
  source?: 'read' | 'assumed';
  /** Catalog key saying why the right was assumed (takes {account}). */
  note?: string;
}

/**
 * Reads the user's `rights.contacts.export`. Admins export everything; D refuses. When the token
 * may not read `/users/{id}` (a non-admin), the right is unknowable: viewing more than one may
 * export is common (view A, export M), so we fail closed to the user's own contacts and say so
 * in `note`; an administrator's login with --as-user reads the real right.
 */
export async function resolveRights(client: AmoClient, account: ApiAccount, asUser?: number): Promise<RightsFilter> {
  const userId = asUser ?? account.current_user_id;
  const user = await client.user(userId);
  if (!user) {
    return { mode: 'M', userId, groupId: null, source: 'assumed', note: 'export.rightsUnreadable' };
  }
  if (user.rights.is_admin) return { mode: 'A', userId, groupId: user.rights.group_id, source: 'read' };
  const right: RightValue = user.rights.contacts.export;
  switch (right) {
    case 'A':
    case 'G':
    case 'M':
      return { mode: right, userId, groupId: user.rights.group_id, source: 'read' };
    case 'D':
      throw new AppError('rights', 'export.rightsDenied', { user: user.name || String(userId) });
    default:
      // 'L' is a catalog-only value; on contacts it has no documented meaning, so take the narrowest reading.
      return { mode: 'M', userId, groupId: user.rights.group_id, source: 'assumed', note: 'export.rightsUnknown' };
  }
}

export function allowedByRights(c: { responsibleUserId: number; groupId: number }, r: RightsFilter): boolean {
  switch (r.mode) {
    case 'A':
      return true;
    case 'G':
      // A user without a group has group_id null; amoCRM shows such users' contacts under group 0.
      return c.groupId === (r.groupId ?? 0);
    case 'M':
      return c.responsibleUserId === r.userId;
  }
}
