/**
 * A non-admin's export right cannot be read (/users/{id} is refused to non-admins). The export
 * must then take only the user's own contacts, say why and how to export more, and report the
 * rights it applied as assumed — not everything the token can view.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { main } from '../../src/cli/amo-export.js';
import { main as callerid } from '../../src/cli/amo-callerid.js';
import { runInProcess } from '../helpers/cli.js';
import { fixture, saveProfile, vcardIdsOf, type Fixture } from '../export/helpers.js';
import { createAmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { DATA_FROM } from '../../src/sandbox/amocrm/generate.js';
import { isoSeconds } from '../../src/export/dates.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('export right that cannot be read', () => {
  it('exports only the own contacts of a non-admin who may view everything, and says so', async () => {
    f = await fixture({ contacts: 300, bulkEditSize: 50 });
    // A non-admin whose view right is A: the server shows every contact to this token.
    const viewer = f.sb.users().find((u) => !u.isAdmin && u.exportRight === 'A')!;
    saveProfile(f.env, 'viewer', f.sb, f.sb.issueLongLivedToken(viewer.id));

    const admin = createAmoClient({ baseUrl: f.sb.url, auth: staticTokenProvider(f.sb.longLivedToken), rps: 7 });
    const own: number[] = [];
    let visible = 0;
    try {
      for await (const page of admin.contacts({})) {
        for (const c of page) {
          visible++;
          if (c.responsible_user_id === viewer.id && c.custom_fields_values?.some((v) => v.field_code === 'PHONE')) own.push(c.id);
        }
      }
    } finally {
      await admin.close();
    }
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(visible / 2);

    const out = join(f.dir, 'viewer.vcf');
    const since = isoSeconds(DATA_FROM).slice(0, 10);
    const r = await runInProcess(main, ['--account', 'viewer', '--since', since, '-o', out, '--json', '--rps', '7'], { env: f.env });
    expect(r.code, r.stderr).toBe(0);
    expect(vcardIdsOf(out).sort((a, b) => a - b)).toEqual(own.sort((a, b) => a - b));
    const summary = JSON.parse(r.stdout) as { accounts: { rights: string; rightsSource: string }[] };
    expect(summary.accounts[0]).toMatchObject({ rights: 'M', rightsSource: 'assumed' });
    // Why, and how to export more.
    expect(r.stderr).toContain('cannot be read');
    expect(r.stderr).toContain('--as-user');

    // amo-callerid build applies the same rule to its dataset.
    const b = await runInProcess(callerid, ['build', '--account', 'viewer', '--out', join(f.dir, 'dataset'), '--json', '--rps', '7'], { env: f.env, cwd: f.dir });
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).counts.contacts).toBe(own.length);
    expect(b.stderr).toContain('--as-user');
  });

  it('reports rights read from the user record as read', async () => {
    f = await fixture({ contacts: 50, bulkEditSize: 10 });
    const m = f.sb.users().find((u) => !u.isAdmin && u.exportRight === 'M')!;
    const r = await runInProcess(main, ['--since', isoSeconds(DATA_FROM).slice(0, 10), '--as-user', String(m.id), '-o', join(f.dir, 'm.vcf'), '--json', '--rps', '7'], { env: f.env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).accounts[0]).toMatchObject({ rights: 'M', rightsSource: 'read' });
  });
});
