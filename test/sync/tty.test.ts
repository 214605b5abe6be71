/**
 * On a terminal: the CardDAV password is asked for (and not echoed), and reset --delete-cards
 * says how many cards it would delete and asks first.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { atTerminal } from '../helpers/terminal.js';
import { fixture, type Fixture } from '../export/helpers.js';
import { startCardDavSandbox, type CardDavSandbox } from '../../src/sandbox/carddav/server.js';

let f: Fixture;
let dav: CardDavSandbox | undefined;
beforeAll(async () => {
  f = await fixture({ contacts: 30, bulkEditSize: 5 });
});
afterAll(() => f?.close());
afterEach(async () => {
  await dav?.close();
  dav = undefined;
});

const onTerminal = (argv: string[], answers: [cue: string, keys: string][]) => atTerminal(argv, answers, f.env);

describe('amo-export --to on a terminal', () => {
  it('asks for the password without echoing it; reset --delete-cards asks before deleting', async () => {
    dav = await startCardDavSandbox({ password: 'tty-secret-1' });
    const to = `${dav.url}${dav.bookPath}`;
    const sync = await onTerminal(['--to', to, '--dav-user', 'anna', '--since', '2000-01-01'], [['CardDAV password for anna', 'tty-secret-1\r']]);
    expect(sync.unanswered).toBe(0);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).not.toContain('tty-secret-1');
    const count = dav.cards().size;
    expect(count).toBeGreaterThan(0);

    const no = await onTerminal(['reset', '--to', to, '--delete-cards', '--dav-user', 'anna'], [['CardDAV password', 'tty-secret-1\r'], [`Delete the ${count} cards`, 'n\r']]);
    expect(no.unanswered).toBe(0);
    expect(no.code).toBe(130);
    expect(dav.cards().size).toBe(count);

    const yes = await onTerminal(['reset', '--to', to, '--delete-cards', '--dav-user', 'anna'], [['CardDAV password', 'tty-secret-1\r'], [`Delete the ${count} cards`, 'y\r']]);
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).toContain(`Deleted ${count} cards`);
    expect(dav.cards().size).toBe(0);
  });
});
