/**
 * design.md: product code imports nothing from the sandbox (the CLI wires it in), and the simulated
 * phone imports nothing from the doctor: each side could otherwise bend to fit the other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map((m) => m[1]!);
}

describe('the phone sandbox and the doctor stay apart', () => {
  it('no doctor or adb module imports the sandbox', () => {
    const offenders = [...files(join(SRC, 'doctor')), ...files(join(SRC, 'adb'))].filter((f) => imports(f).some((i) => i.includes('/sandbox/')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('no simulated-phone module imports the doctor', () => {
    const offenders = files(join(SRC, 'sandbox/phone')).filter((f) => imports(f).some((i) => i.includes('/doctor/')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
