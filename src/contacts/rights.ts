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
  /** Why the filter is wider than the user's stored right, e.g. "export right unreadable". */
  note?: string;
}

/**
 * Reads the user's `rights.contacts.export`. Admins export everything; D refuses; when the token
 * may not read `/users/{id}` (a non-admin), the right is unknowable and we export what the token
 * can view, saying so in `note` (§5 "rec").
 */
export async function resolveRights(client: AmoClient, account: ApiAccount, asUser?: number): Promise<RightsFilter> {
  const userId = asUser ?? account.current_user_id;
  const user = await client.user(userId);
  if (!user) {
    return { mode: 'A', userId, groupId: null, note: 'export.rightsUnreadable' };
  }
  if (user.rights.is_admin) return { mode: 'A', userId, groupId: user.rights.group_id };
  const right: RightValue = user.rights.contacts.export;
  switch (right) {
    case 'A':
      return { mode: 'A', userId, groupId: user.rights.group_id };
    case 'G':
      return { mode: 'G', userId, groupId: user.rights.group_id };
    case 'M':
      return { mode: 'M', userId, groupId: user.rights.group_id };
    case 'D':
      throw new AppError('rights', 'export.rightsDenied', { user: user.name || String(userId) });
    default:
      // 'L' is a catalog-only value; on contacts it has no documented meaning, so take the narrowest reading.
      return { mode: 'M', userId, groupId: user.rights.group_id, note: 'export.rightsUnknown' };
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
