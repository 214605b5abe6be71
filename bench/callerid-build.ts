/**
 * Offline caller-ID build from a 1,000,000-contact file vs libphonenumber-js's own parse rate
 * over exactly the same phone strings, measured in the same run. Prints the rates, their ratio
 * (the target is ≥ 0.5) and the build's peak RSS (target < 500 MB). Prints, does not assert.
 *
 *   npx tsx bench/callerid-build.ts [--contacts N] [--format vcard|csv] [--keep]
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};

/** Deterministic PRNG so every run builds the same file. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Иван', 'Анна', 'Сергей', 'Мария', 'Дмитрий', 'Ольга', 'Алексей', 'Елена', 'Николай', 'Татьяна', 'John', 'Айгуль'];
const LAST = ['Иванов', 'Петрова', 'Смирнов', 'Кузнецова', 'Попов', 'Соколова', 'Лебедев', 'Новикова', 'Морозов', 'Волкова'];
const COMPANY = ['ООО «Ромашка»', 'ИП Сидоров', 'АО Вектор', 'ООО Север-Трейд', 'Стройинвест', 'ACME Ltd', ''];
const CODES = ['916', '903', '925', '999', '985', '495', '499', '812', '843', '383', '701'];

/** The messy ways Russian users type numbers into a CRM. */
function messyPhone(r: () => number): string {
  const code = CODES[Math.floor(r() * CODES.length)]!;
  const d = String(Math.floor(r() * 1e7)).padStart(7, '0');
  const [a, b, c] = [d.slice(0, 3), d.slice(3, 5), d.slice(5)];
  switch (Math.floor(r() * 11)) {
    case 0: return `+7 (${code}) ${a}-${b}-${c}`;
    case 1: return `8 (${code}) ${a}-${b}-${c}`;
    case 2: return `8${code}${d}`;
    case 3: return `+7${code}${d}`;
    case 4: return `7 ${code} ${a} ${b} ${c}`;
    case 5: return `${code}-${a}-${b}-${c}`;
    case 6: return `8-${code}-${a}-${b}${c}`;
    case 7: return `+7 ${code} ${a}${b}${c} доб. ${Math.floor(r() * 900) + 100}`;
    case 8: return `8 ${code} ${a}-${b}-${c}, доб 12`;
    case 9: return `${a}-${b}-${c}`; // no area code: not a valid number
    default: return `+7(${code})${a}${b}${c}`;
  }
}

async function generate(path: string, contacts: number, format: string): Promise<string[]> {
  const r = rng(20261122);
  const phones: string[] = [];
  const out = createWriteStream(path);
  let buf = format === 'csv' ? 'First Name,Last Name,Organization Name,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value\r\n' : '';
  for (let i = 0; i < contacts; i++) {
    const first = FIRST[Math.floor(r() * FIRST.length)]!;
    const last = LAST[Math.floor(r() * LAST.length)]!;
    const org = COMPANY[Math.floor(r() * COMPANY.length)]!;
    const ps = [messyPhone(r)];
    if (r() < 0.3) ps.push(messyPhone(r));
    phones.push(...ps);
    if (format === 'csv') {
      const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
      buf += `${q(first)},${q(last)},${q(org)},Mobile,${q(ps[0]!)},${ps[1] ? `Work,${q(ps[1])}` : ','}\r\n`;
    } else {
      buf += `BEGIN:VCARD\r\nVERSION:3.0\r\nN:${last};${first};;;\r\nFN:${first} ${last}\r\n${org ? `ORG:${org}\r\n` : ''}`;
      buf += `TEL;TYPE=CELL:${ps[0]}\r\n${ps[1] ? `TEL;TYPE=WORK:${ps[1]}\r\n` : ''}REV:2026-${String((i % 12) + 1).padStart(2, '0')}-01T00:00:00Z\r\nEND:VCARD\r\n`;
    }
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return phones;
}

async function child(input: string, outDir: string): Promise<void> {
  const { main } = await import('../src/cli/amo-callerid.js');
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const code = await main(['build', '--input', input, '--out', outDir, '--platform', 'all', '--quiet', '--json'], { env: { ...process.env, AMO_PHONEBOOK_CONFIG_DIR: join(outDir, '..', 'config') } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  process.stderr.write(`${JSON.stringify({ code, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

async function parent(): Promise<void> {
  const contacts = Number(arg('--contacts', '1000000'));
  const format = arg('--format', 'vcard');
  const dir = mkdtempSync(join(tmpdir(), 'callerid-bench-'));
  try {
    const input = join(dir, format === 'csv' ? 'contacts.csv' : 'contacts.vcf');
    const phones = await generate(input, contacts, format);
    console.log(`input: ${contacts} contacts, ${phones.length} phone strings, ${(statSync(input).size / 1e6).toFixed(1)} MB ${format}`);

    // Baseline: libphonenumber-js (the max build, as the reader uses) parsing the same strings.
    // The machine may be shared, so CPU time is reported next to wall time.
    let ok = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (const s of phones) if (parsePhoneNumberFromString(s, 'RU')?.isPossible()) ok++;
    const parseCpu = process.cpuUsage(c0);
    const parseSec = Number(process.hrtime.bigint() - t0) / 1e9;
    const parseCpuSec = (parseCpu.user + parseCpu.system) / 1e6;
    const parseRate = phones.length / parseSec;
    const parseCpuRate = phones.length / parseCpuSec;
    console.log(`libphonenumber-js parse+isPossible: ${parseSec.toFixed(2)} s wall, ${parseCpuSec.toFixed(2)} s CPU; ${Math.round(parseRate).toLocaleString('en')} phones/s wall, ${Math.round(parseCpuRate).toLocaleString('en')} phones/s CPU (${ok} possible)`);
    // The same parse plus isValid(): what normalization needs to drop invalid numbers.
    const v0 = process.cpuUsage();
    const tv = process.hrtime.bigint();
    for (const s of phones) {
      const p = parsePhoneNumberFromString(s, 'RU');
      if (p?.isPossible()) p.isValid();
    }
    const validCpu = process.cpuUsage(v0);
    const validSec = Number(process.hrtime.bigint() - tv) / 1e9;
    const validCpuSec = (validCpu.user + validCpu.system) / 1e6;
    console.log(`libphonenumber-js parse+isPossible+isValid: ${validSec.toFixed(2)} s wall, ${validCpuSec.toFixed(2)} s CPU`);
    phones.length = 0;

    const proc = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', input, join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    let vmHwmKb = 0;
    proc.stderr.on('data', (c: Buffer) => (stderr += c));
    proc.stdout.on('data', (c: Buffer) => (stdout += c));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
        if (m) vmHwmKb = Math.max(vmHwmKb, Number(m[1]));
      } catch {
        /* the child has exited */
      }
    }, 200);
    const [code] = (await once(proc, 'close')) as [number];
    clearInterval(poll);
    const last = stderr.trim().split('\n').pop() ?? '';
    if (!last.startsWith('{')) throw new Error(`the build process failed (exit ${code}):\n${stderr}`);
    const report = JSON.parse(last) as { code: number; seconds: number; cpuSeconds: number; maxRssKb: number };
    if (code !== 0 || report.code !== 0) throw new Error(`build failed: ${stderr}`);
    const summary = JSON.parse(stdout) as { counts: { phonesSeen: number; phonesInvalid: number; ios: { entries: number }; android: { entries: number } } };
    const buildRate = summary.counts.phonesSeen / report.seconds;
    const buildCpuRate = summary.counts.phonesSeen / report.cpuSeconds;
    const rssMb = Math.max(report.maxRssKb, vmHwmKb) / 1024;
    console.log(`amo-callerid build --input: ${report.seconds.toFixed(2)} s wall, ${report.cpuSeconds.toFixed(2)} s CPU; ${Math.round(buildRate).toLocaleString('en')} phones/s wall, ${Math.round(buildCpuRate).toLocaleString('en')} phones/s CPU (invalid ${summary.counts.phonesInvalid}; iOS ${summary.counts.ios.entries}, Android ${summary.counts.android.entries})`);
    console.log(`ratio build/parse, wall: ${(buildRate / parseRate).toFixed(2)}; CPU: ${(buildCpuRate / parseCpuRate).toFixed(2)} (target ≥ 0.50; the build's CPU includes GC threads)`);
    const validRate = summary.counts.phonesSeen / validSec;
    const validCpuRate = summary.counts.phonesSeen / validCpuSec;
    console.log(`ratio build/(parse+isValid), wall: ${(buildRate / validRate).toFixed(2)}; CPU: ${(buildCpuRate / validCpuRate).toFixed(2)}`);
    console.log(`peak RSS of the build process: ${rssMb.toFixed(0)} MB (target < 500 MB)`);
  } finally {
    if (process.argv.includes('--keep')) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await parent();
