/**
 * API record → domain Contact. Field and enum codes come from the record itself, or, when an old
 * account or a legacy fixture leaves them out, from the account's field definitions (ids are per
 * account, so nothing is hard-coded).
 */
import type { ApiContact, ApiCustomField, ApiCustomFieldValue } from '../amocrm/types.js';
import type { Contact, Email, EmailKind, Messenger, Phone, PhoneKind } from './contact.js';
import { companyIdOf } from './companies.js';
import { cleanPhoneText, pushUniquePhone, toPhone } from './phone.js';
import { canonicalMessenger } from './readers/messengers.js';

export interface FromApiContext {
  accountId: number;
  defaultRegion: string;
  companyName(id: number): string | undefined;
  /** field_id → field code (PHONE, EMAIL, POSITION, IM, …) from contacts/custom_fields. */
  fieldCodes?: Map<number, string>;
  /** enum_id → enum code, from contacts/custom_fields. */
  enumCodes?: Map<number, string>;
}

const PHONE_KINDS: Record<string, PhoneKind> = { MOB: 'cell', WORK: 'work', WORKDD: 'work', HOME: 'home', FAX: 'fax', OTHER: 'other' };
const EMAIL_KINDS: Record<string, EmailKind> = { WORK: 'work', PRIV: 'home', HOME: 'home', OTHER: 'other' };
// API v2-era IM enum codes. Google Talk was XMPP; MSN no longer exists as a service of its own.
const IM_SERVICES: Record<string, string> = { SKYPE: 'skype', ICQ: 'icq', JABBER: 'jabber', GTALK: 'jabber', MSN: 'other', OTHER: 'other' };
// User-defined fields people add for the messengers amoCRM has no system field for.
const MESSENGER_FIELD: [RegExp, string][] = [
  [/telegram|телеграм/i, 'telegram'],
  [/whats\s*app|ватсап|вотсап/i, 'whatsapp'],
  [/viber|вайбер/i, 'viber'],
  [/^(vk|vkontakte|вконтакте|вк)$/i, 'vk'],
  [/skype|скайп/i, 'skype'],
];

function text(v: ApiCustomFieldValue['value']): string {
  if (v === null || v === undefined || typeof v === 'boolean') return '';
  return String(v).trim();
}

function enumCode(v: ApiCustomFieldValue, ctx: FromApiContext): string {
  const code = v.enum_code ?? v.enum ?? (v.enum_id !== undefined ? ctx.enumCodes?.get(v.enum_id) : undefined);
  return (code ?? '').toUpperCase();
}

/**
 * Whether the field definitions could tell this record something it leaves out: an enum value
 * without its code, or a field without its code that may be a predefined one (PHONE, EMAIL and IM
 * are multitext; a user field has no code in its definition either).
 */
export function needsFieldDefinitions(c: ApiContact): boolean {
  for (const f of c.custom_fields_values ?? []) {
    if (f.field_code === undefined || (f.field_code === null && (f.field_type === undefined || f.field_type === 'multitext'))) return true;
    for (const v of f.values ?? []) if (v.enum_id !== undefined && v.enum_code == null && v.enum == null) return true;
  }
  return false;
}

function fieldCode(f: ApiCustomField, ctx: FromApiContext): string {
  return (f.field_code ?? ctx.fieldCodes?.get(f.field_id) ?? '').toUpperCase();
}

/**
 * Recognises messenger links typed into a generic IM field (`https://t.me/x`, `wa.me/7999…`).
 * Anything else keeps the handle as typed (`@user`, `+7 (999) …`): that is what the phone shows.
 */
function messengerFromText(service: string, value: string): Messenger | undefined {
  let handle = value.trim();
  let svc = service;
  const link = /^(?:https?:\/\/)?(?:www\.)?(t\.me|telegram\.me|wa\.me|vk\.com)\/+([^?#\s]+)/i.exec(handle);
  if (link) {
    const host = link[1]!.toLowerCase();
    svc = host === 'wa.me' ? 'whatsapp' : host === 'vk.com' ? 'vk' : 'telegram';
    handle = link[2]!.replace(/\/+$/, '');
  }
  handle = cleanPhoneText(handle);
  return handle ? { service: svc, handle } : undefined;
}

export function contactFromApi(c: ApiContact, ctx: FromApiContext): Contact {
  const phones: Phone[] = [];
  const emails: Email[] = [];
  const messengers: Messenger[] = [];
  const seenPhones = new Set<string>();
  const seenEmails = new Set<string>();
  const seenMessengers = new Set<string>();
  let position: string | undefined;

  const addMessenger = (m: Messenger | undefined): void => {
    if (!m) return;
    // The same `@user` / `+7 (999) …` rules as the file readers, so `@x` and `t.me/x` are one.
    const key = `${m.service}\u0000${canonicalMessenger(m).handle.toLowerCase()}`;
    if (seenMessengers.has(key)) return;
    seenMessengers.add(key);
    messengers.push(m);
  };

  for (const f of c.custom_fields_values ?? []) {
    const code = fieldCode(f, ctx);
    for (const v of f.values ?? []) {
      const value = text(v.value);
      if (!value) continue;
      if (code === 'PHONE') {
        pushUniquePhone(phones, seenPhones, toPhone(value, PHONE_KINDS[enumCode(v, ctx)] ?? 'other', ctx.defaultRegion));
      } else if (code === 'EMAIL') {
        const key = value.toLowerCase();
        if (seenEmails.has(key)) continue;
        seenEmails.add(key);
        emails.push({ value, kind: EMAIL_KINDS[enumCode(v, ctx)] ?? 'other' });
      } else if (code === 'POSITION') {
        position ??= value;
      } else if (code === 'IM') {
        addMessenger(messengerFromText(IM_SERVICES[enumCode(v, ctx)] ?? 'other', value));
      } else {
        const hit = MESSENGER_FIELD.find(([re]) => re.test(code) || re.test(f.field_name ?? ''));
        if (hit) addMessenger(messengerFromText(hit[1], value));
      }
    }
  }

  const out: Contact = {
    accountId: ctx.accountId,
    id: c.id,
    name: (c.name ?? '').trim(),
    firstName: (c.first_name ?? '').trim(),
    lastName: (c.last_name ?? '').trim(),
    phones,
    emails,
    messengers,
    tags: (c._embedded?.tags ?? []).map((t) => t.name).filter((t) => t && t.trim()),
    responsibleUserId: c.responsible_user_id,
    groupId: c.group_id,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
  const companyId = companyIdOf(c);
  if (companyId !== undefined) {
    const name = ctx.companyName(companyId);
    if (name && name.trim()) out.company = { id: companyId, name: name.trim() };
  }
  if (position) out.position = position;
  return out;
}
