/** Messenger properties and IMPP URIs as Android, Apple, Google and our own writer emit them. */
import type { Messenger } from '../contact.js';

export const CLASSIC_IM: Record<string, string> = {
  'X-SKYPE': 'skype',
  'X-SKYPE-USERNAME': 'skype',
  'X-JABBER': 'jabber',
  'X-GOOGLE-TALK': 'jabber',
  'X-GTALK': 'jabber',
  'X-ICQ': 'icq',
  'X-TELEGRAM': 'telegram',
  'X-WHATSAPP': 'whatsapp',
  'X-VIBER': 'viber',
  'X-VK': 'vk',
  'X-AIM': 'aim',
  'X-MSN': 'msn',
  'X-YAHOO': 'yahoo',
  'X-QQ': 'qq',
};

const SCHEMES: Record<string, string> = { skype: 'skype', xmpp: 'jabber', icq: 'icq', aim: 'aim', msnim: 'msn', ymsgr: 'yahoo', sip: 'sip' };

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `https://t.me/x` → telegram x; `xmpp:a@b` → jabber a@b; X-SERVICE-TYPE names the rest. */
export function messengerFromImpp(uri: string, serviceType: string | undefined): Messenger | undefined {
  const v = uri.trim();
  if (!v) return undefined;
  const web = /^https?:\/\/(?:www\.)?(t\.me|telegram\.me|wa\.me|vk\.com)\/+([^?#]+)/i.exec(v);
  if (web) {
    const host = web[1]!.toLowerCase();
    const service = host === 'wa.me' ? 'whatsapp' : host === 'vk.com' ? 'vk' : 'telegram';
    return { service, handle: decode(web[2]!.replace(/\/+$/, '')) };
  }
  const viber = /^viber:\/\/chat\?number=(.+)$/i.exec(v);
  if (viber) return { service: 'viber', handle: decode(viber[1]!) };
  const m = /^([a-z][a-z0-9+.-]*):(?:\/\/)?(.+)$/i.exec(v);
  const declared = serviceType ? normalizeService(serviceType) : undefined;
  if (m) {
    const scheme = m[1]!.toLowerCase();
    const known = SCHEMES[scheme];
    if (known) return { service: known, handle: decode(m[2]!) };
    // Private schemes (Apple's `x-apple:`, our `x-<service>:`) carry the handle; the declared
    // service type names the messenger.
    if (scheme.startsWith('x-')) return { service: declared ?? normalizeService(scheme.slice(2)), handle: decode(m[2]!) };
    // A scheme we do not know (matrix:, https://…) is the address itself: keep the whole URI.
    return { service: declared ?? 'other', handle: decode(v) };
  }
  return { service: declared ?? 'other', handle: v };
}

/** `Google Talk` → jabber, `WhatsApp` → whatsapp; anything else lower-cased. */
function normalizeService(name: string): string {
  const s = name.trim().toLowerCase();
  return s === 'google talk' || s === 'gtalk' || s === 'xmpp' ? 'jabber' : s || 'other';
}

/** The same handle written different ways by different properties: `@user`, `+7 (999) …`. */
export function canonicalMessenger(m: Messenger): Messenger {
  let handle = m.handle.trim();
  if (m.service === 'telegram') handle = handle.replace(/^@/, '');
  if (m.service === 'whatsapp' && /^[+\d\s()-]+$/.test(handle)) handle = handle.replace(/\D/g, '');
  return { service: m.service, handle };
}
