/**
 * An iOS configuration profile with one CardDAV account (payload com.apple.carddav.account), so
 * an iPhone subscribes to the book by opening a file. The password is only in it when asked.
 */
import { randomUUID } from 'node:crypto';
import { escapeXml } from '../carddav/xml.js';

export interface IosProfileRequest {
  url: string;
  user: string;
  password?: string;
  description: string;
}

function plistValue(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? '<true/>' : '<false/>';
  if (typeof v === 'number') return `<integer>${v}</integer>`;
  return `<string>${escapeXml(v)}</string>`;
}

function dict(entries: [string, string | number | boolean | undefined][], indent: string): string {
  return entries
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${indent}<key>${escapeXml(k)}</key>\n${indent}${plistValue(v!)}\n`)
    .join('');
}

export function iosProfile(r: IosProfileRequest): string {
  const u = new URL(r.url);
  const ssl = u.protocol === 'https:';
  const port = u.port ? Number(u.port) : ssl ? 443 : 80;
  const payload = dict(
    [
      ['PayloadType', 'com.apple.carddav.account'],
      ['PayloadVersion', 1],
      ['PayloadIdentifier', `com.amo-phonebook.carddav.${u.hostname}`],
      ['PayloadUUID', randomUUID().toUpperCase()],
      ['PayloadDisplayName', r.description],
      ['CardDAVAccountDescription', r.description],
      ['CardDAVHostName', u.hostname],
      ['CardDAVPort', port],
      ['CardDAVPrincipalURL', u.pathname],
      ['CardDAVUseSSL', ssl],
      ['CardDAVUsername', r.user],
      ['CardDAVPassword', r.password],
    ],
    '      ',
  );
  const outer = dict(
    [
      ['PayloadType', 'Configuration'],
      ['PayloadVersion', 1],
      ['PayloadIdentifier', 'com.amo-phonebook.profile'],
      ['PayloadUUID', randomUUID().toUpperCase()],
      ['PayloadDisplayName', r.description],
      ['PayloadDescription', 'amoCRM contacts over CardDAV'],
    ],
    '  ',
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
${payload}    </dict>
  </array>
${outer}</dict>
</plist>
`;
}
