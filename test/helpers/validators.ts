/**
 * Independent checks of our output: parsers we did not write (python-vobject, khard, ez-vcard,
 * vcard4, Python's csv module). Each helper throws when the tool reports a parse error, so a test
 * that calls it fails on any format mistake. Uses the Debian packages listed in
 * contact-formats.md §8 (installed by scripts/setup-test-deps.sh); a test that calls a helper whose
 * tool is missing is skipped, or fails with CI=true (test/helpers/tools.ts).
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as vcard4ParseRaw } from 'vcard4';
import { ROOT } from './cli.js';
import { JAVA_LIB, PYTHON, needTool } from './tools.js';

export interface VobjectLine {
  name: string;
  group: string | null;
  params: Record<string, string[]>;
  /** Text for simple properties; a list for ORG/CATEGORIES; [family, given, additional, prefix, suffix] for N. */
  value: string | string[];
}

export interface VobjectCard {
  version: string;
  fn: string;
  n: string[];
  uid: string;
  tels: { value: string; types: string[] }[];
  emails: { value: string; types: string[] }[];
  categories: string[];
  lines: VobjectLine[];
}

const VOBJECT_SCRIPT = `
import sys, json, vobject
from vobject.vcard import Name
text = open(sys.argv[1], encoding='utf-8', newline='').read()
out = []
for card in vobject.readComponents(text, validate=True):
    lines = []
    for cl in card.getChildren():
        v = cl.value
        if isinstance(v, Name):
            v = [v.family, v.given, v.additional, v.prefix, v.suffix]
            v = [' '.join(x) if isinstance(x, list) else x for x in v]
        elif isinstance(v, list):
            v = [str(x) for x in v]
        else:
            v = str(v)
        lines.append({'name': cl.name, 'group': cl.group, 'params': {k: list(p) for k, p in cl.params.items()}, 'value': v})
    out.append(lines)
print(json.dumps(out, ensure_ascii=False))
`;

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

function typesOf(l: VobjectLine): string[] {
  return (l.params.TYPE ?? []).flatMap((t) => t.split(',')).map((t) => t.toLowerCase());
}

/** Parses with python3-vobject (validate=True); throws on a parse error. */
export function vobjectParse(file: string): VobjectCard[] {
  needTool('vobject');
  const cards = JSON.parse(run(PYTHON, ['-c', VOBJECT_SCRIPT, file])) as VobjectLine[][];
  return cards.map((lines) => {
    const one = (name: string): VobjectLine | undefined => lines.find((l) => l.name === name);
    const str = (name: string): string => {
      const v = one(name)?.value;
      return Array.isArray(v) ? v.join(';') : (v ?? '');
    };
    return {
      version: str('VERSION'),
      fn: str('FN'),
      n: (one('N')?.value as string[] | undefined) ?? [],
      uid: str('UID'),
      tels: lines.filter((l) => l.name === 'TEL').map((l) => ({ value: String(l.value), types: typesOf(l) })),
      emails: lines.filter((l) => l.name === 'EMAIL').map((l) => ({ value: String(l.value), types: typesOf(l) })),
      categories: lines.filter((l) => l.name === 'CATEGORIES').flatMap((l) => (Array.isArray(l.value) ? l.value : [l.value])),
      lines,
    };
  });
}

export interface KhardEntry {
  uid: string;
  name: string;
  /** khard's YAML view of the contact (`show --format yaml`), parsed. */
  yaml: Record<string, unknown>;
}

const YAML_TO_JSON = `
import sys, json
from ruamel.yaml import YAML
print(json.dumps(YAML(typ='safe').load(sys.stdin.read()), ensure_ascii=False, default=str))
`;

/**
 * Lists the vCards of the .vcf files in `dir` with khard (which refuses cards without UID) and
 * shows each one as YAML. `uids` limits the (slow, one process each) `show` calls; all cards are always listed.
 */
export function khardList(dir: string, uids?: string[]): KhardEntry[] {
  needTool('khard');
  const home = mkdtempSync(join(tmpdir(), 'khard-'));
  try {
    return khardListIn(home, dir, uids);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function khardListIn(home: string, dir: string, uids: string[] | undefined): KhardEntry[] {
  // khard is a vdir client: it reads one card per file. Split every multi-card .vcf (only at a
  // physical BEGIN:VCARD line, which no escaped value can produce) into a file of its own.
  const book = join(home, 'book');
  mkdirSync(book);
  let n = 0;
  for (const f of readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.vcf'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const card of text.split(/(?=^BEGIN:VCARD\r?$)/m)) if (card.trim()) writeFileSync(join(book, `card-${++n}.vcf`), card);
  }
  const conf = join(home, 'khard.conf');
  writeFileSync(
    conf,
    `[addressbooks]\n[[crm]]\npath = ${book}/\n\n[general]\ndefault_action = list\n\n` +
      `[vcard]\nprivate_objects = Skype, Skype-Username, Telegram, Jabber, ICQ, WhatsApp, Viber, VK\n`,
  );
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home };
  const listed = spawnSync('timeout', ['20', 'khard', '-c', conf, 'list', '-p'], { encoding: 'utf8', env });
  if (listed.status !== 0) throw new Error(`khard list failed (${listed.status}): ${listed.stderr}`);
  if (/error|warning/i.test(listed.stderr)) throw new Error(`khard list complained: ${listed.stderr}`);
  const rows = listed.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .map(([uid = '', name = '']) => ({ uid, name }));
  const wanted = uids ? new Set(uids) : undefined;
  return rows.map((r) => {
    if (wanted && !wanted.has(r.uid)) return { ...r, yaml: {} };
    const shown = spawnSync('timeout', ['20', 'khard', '-c', conf, 'show', '--format', 'yaml', '--uid', r.uid], {
      encoding: 'utf8',
      env,
      input: '',
    });
    if (shown.status !== 0) throw new Error(`khard show ${r.uid} failed (${shown.status}): ${shown.stderr}`);
    const yaml = JSON.parse(run(PYTHON, ['-c', YAML_TO_JSON], shown.stdout)) as Record<string, unknown>;
    return { ...r, yaml };
  });
}

export interface EzWarning {
  card: number;
  property: string;
  code: number | null;
  message: string;
}

const EZ_CHECK = `
import ezvcard.*;
import ezvcard.property.VCardProperty;
import ezvcard.io.ParseWarning;
import java.io.File;
import java.util.*;
public class EzCheck {
  static String clean(String s) { return s == null ? "" : s.replace('\\t', ' ').replace('\\n', ' ').replace('\\r', ' '); }
  public static void main(String[] a) throws Exception {
    List<List<ParseWarning>> parseWarnings = new ArrayList<>();
    List<VCard> cards = Ezvcard.parse(new File(a[0])).warnings(parseWarnings).all();
    System.out.println("CARDS\\t" + cards.size());
    for (int i = 0; i < parseWarnings.size(); i++)
      for (ParseWarning w : parseWarnings.get(i)) System.out.println("W\\t" + i + "\\tPARSE\\t" + (w.getCode() == null ? "" : w.getCode()) + "\\t" + clean(w.getMessage()));
    for (int i = 0; i < cards.size(); i++) {
      VCard c = cards.get(i);
      ValidationWarnings ws = c.validate(c.getVersion());
      for (Map.Entry<VCardProperty, List<ValidationWarning>> e : ws) {
        String prop = e.getKey() == null ? "VCARD" : e.getKey().getClass().getSimpleName();
        for (ValidationWarning w : e.getValue())
          System.out.println("W\\t" + i + "\\t" + prop + "\\t" + (w.getCode() == null ? "" : w.getCode()) + "\\t" + clean(w.getMessage()));
      }
    }
  }
}
`;

const EZ_CP = `${JAVA_LIB}/ez-vcard.jar:${JAVA_LIB}/vinnie.jar`;
// No JVM performance file left in /tmp/hsperfdata_USER by each run.
const JVM_FLAGS = ['-XX:-UsePerfData'];

/**
 * EzCheck compiled once per version of its source, kept in node_modules/.cache (not in the temp
 * dir, which must be empty after the run): compiled beside it, then renamed into place, so two
 * workers compiling at once both end with a complete class.
 */
function ezCompiled(): string {
  const key = createHash('sha256').update(EZ_CHECK).update(EZ_CP).digest('hex').slice(0, 16);
  const cache = join(ROOT, 'node_modules', '.cache', 'amo-phonebook-tests');
  const dir = join(cache, `ezcheck-${key}`);
  if (existsSync(join(dir, 'EzCheck.class'))) return dir;
  mkdirSync(cache, { recursive: true });
  const building = mkdtempSync(join(cache, 'ezcheck-build-'));
  try {
    writeFileSync(join(building, 'EzCheck.java'), EZ_CHECK);
    execFileSync('javac', [...JVM_FLAGS.map((f) => `-J${f}`), '-nowarn', '-cp', EZ_CP, '-d', building, join(building, 'EzCheck.java')], { stdio: 'pipe' });
    try {
      renameSync(building, dir);
    } catch (e) {
      // Another worker got there first with the same class.
      if (!existsSync(join(dir, 'EzCheck.class'))) throw e;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/**
 * ez-vcard's parse warnings plus `validate(version)` per card. W09 on EMAIL (`TYPE=WORK` is not in
 * RFC 2426's list, yet Google and Apple write it) is whitelisted as contact-formats.md §8 says.
 */
export function ezVcardValidate(file: string): { cards: number; warnings: EzWarning[] } {
  needTool('ez-vcard');
  const out = run('java', [...JVM_FLAGS, '-cp', `${EZ_CP}:${ezCompiled()}`, 'EzCheck', file]);
  let cards = 0;
  const warnings: EzWarning[] = [];
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'CARDS') cards = Number(f[1]);
    else if (f[0] === 'W') {
      const w = { card: Number(f[1]), property: f[2] ?? '', code: f[3] ? Number(f[3]) : null, message: f[4] ?? '' };
      if (w.property === 'Email' && w.code === 9) continue;
      warnings.push(w);
    }
  }
  return { cards, warnings };
}

export type Vcard4Card = Extract<ReturnType<typeof vcard4ParseRaw>, unknown[]>[number];

/** The npm vcard4 strict 4.0 parser (CRLF only, known properties only); throws on an error. */
export function vcard4Parse(text: string): Vcard4Card[] {
  const r = vcard4ParseRaw(text);
  // One card comes back as an object, several as an array.
  return Array.isArray(r) ? r : [r];
}

const CSV_SCRIPT = `
import sys, csv, json
with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
    r = csv.reader(f, strict=True)
    header = next(r)
    rows = []
    for i, row in enumerate(r):
        if len(row) != len(header):
            sys.exit('row %d has %d cells, header has %d' % (i + 2, len(row), len(header)))
        rows.append(dict(zip(header, row)))
print(json.dumps({'header': header, 'rows': rows}, ensure_ascii=False))
`;

/** Python's csv module in strict mode; every row must have as many cells as the header. */
export function csvParse(file: string): { header: string[]; rows: Record<string, string>[] } {
  needTool('python3');
  return JSON.parse(run(PYTHON, ['-c', CSV_SCRIPT, file])) as { header: string[]; rows: Record<string, string>[] };
}
