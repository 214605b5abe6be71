/**
 * Bundles what the bins run (after `tsc` has emitted dist/) into dist/bundle/, one ES module per
 * bin plus shared chunks, with commander inside. Node loads a few files instead of forty and never
 * goes through its CommonJS loader for commander: `--help` starts in about half the time.
 *
 * The runtime dependencies other than commander stay outside, loaded on first use as before.
 * Each command's work (`commands/*-run.js`) stays a chunk of its own, loaded when the command runs.
 * dist/bundle/meta.json maps each output file to the dist/ modules inside it (the start-up test
 * reads it to name what `--help` loads).
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'dist', 'bundle');

// version.js reads ../package.json next to itself; from dist/bundle/ that path is dist/package.json.
// The bundle gets the same value as a constant.
const version = {
  name: 'version',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]version\.js$/ }, () => ({ contents: `export const VERSION = ${JSON.stringify(pkg.version)};`, loader: 'js' }));
  },
};

// The message catalogs as JSON files, one per language, read when a run first needs that language:
// a run never compiles the other language, and V8 parses JSON several times faster than it compiles
// the same object literals. Every output file sits one level below dist/bundle/ (start.mjs reads
// no catalog), so the path is the same from all of them.
const { catalogSource } = await import(pathToFileURL(join(root, 'dist', 'i18n', 'catalog-source.js')).href);
const catalogs = {
  name: 'catalogs',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]i18n[\\/]catalog-source\.js$/ }, () => ({
      // require (the banner's), not import: an ES module of a builtin costs a facade of all its exports.
      contents: `export function catalogSource(lang) { return JSON.parse(require('node:fs').readFileSync(new URL(\`../catalogs/\${lang}.json\`, import.meta.url), 'utf8')); }`,
      loader: 'js',
    }));
  },
};

// commander requires node:child_process at load time only to spawn executable subcommands, which
// these bins never declare; loading it (and net, stream, … behind it) costs more than the rest of
// commander. Inside commander it is required when first called.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "let cp; module.exports = { spawn: (...a) => (cp ??= require('node:child_process')).spawn(...a) };",
      loader: 'js',
    }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // .mjs: Node knows the format from the name and skips looking for package.json scopes.
  outExtension: { '.js': '.mjs' },
  // Catalogs in UTF-8, not \u escapes (a third of the size); no whitespace or comments to parse.
  charset: 'utf8',
  minifyWhitespace: true,
  minifySyntax: true,
  external: Object.keys(pkg.dependencies).filter((d) => d !== 'commander'),
  sourcemap: true,
  metafile: true,
  plugins: [version, catalogs, lazyChildProcess],
  // commander is CommonJS: its require() of Node's own modules needs a real require in an ES module.
  banner: { js: "import { createRequire as __amoRequire } from 'node:module'; const require = __amoRequire(import.meta.url);" },
  logLevel: 'warning',
};

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'catalogs'), { recursive: true });
for (const lang of ['en', 'ru']) writeFileSync(join(out, 'catalogs', `${lang}.json`), JSON.stringify(catalogSource(lang)));
// What every bin runs first (it answers --version alone): one file.
await build({ ...common, entryPoints: { start: 'dist/cli/start.js' }, outdir: out });
// One build per bin: a build of all three would split their shared modules into many chunks, and
// Node pays about a millisecond for each file it loads.
//
// Within a bin, esbuild puts each module in a chunk keyed by the set of entries that reach it: the
// modules `--help` needs would spread over ten small chunks, since each command's work (loaded by
// import()) reaches a different part of them. A first pass finds the modules the bin's own entry
// reaches; the second makes every import()ed module reach all of them too (side-effect imports
// of modules that have already run), so they share one chunk and `--help` loads two files.
const meta = {};
const reachedBy = (metafile, entryOut) => {
  const seen = new Set();
  const inputs = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const o = metafile.outputs[file];
    for (const i of Object.keys(o.inputs)) inputs.add(i);
    for (const imp of o.imports) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  visit(entryOut);
  return inputs;
};
for (const bin of ['amo-export', 'amo-callerid', 'amo-doctor']) {
  const options = { ...common, entryPoints: { main: `dist/cli/${bin}.js` }, outdir: join(out, bin), splitting: true, chunkNames: '[name]-[hash]' };
  const first = await build({ ...options, write: false });
  const entryOut = Object.keys(first.metafile.outputs).find((f) => f.endsWith(`${bin}/main.mjs`));
  const startup = [...reachedBy(first.metafile, entryOut)].filter((i) => existsSync(join(root, i)));
  const lazyTargets = new Set(
    Object.values(first.metafile.inputs).flatMap((i) => i.imports.filter((imp) => imp.kind === 'dynamic-import' && !imp.external).map((imp) => resolve(root, imp.path))),
  );
  const shareStartup = {
    name: 'share-startup',
    setup(b) {
      b.onResolve({ filter: /^amo-startup$/ }, () => ({ path: 'startup', namespace: 'amo-startup' }));
      b.onLoad({ filter: /.*/, namespace: 'amo-startup' }, () => ({
        contents: startup.map((i) => `import ${JSON.stringify(join(root, i))};`).join('\n'),
        loader: 'js',
        resolveDir: root,
      }));
      b.onLoad({ filter: /\.js$/ }, (args) =>
        lazyTargets.has(args.path) ? { contents: `${readFileSync(args.path, 'utf8')}\nimport "amo-startup";\n`, loader: 'js' } : undefined,
      );
    },
  };
  const result = await build({ ...options, plugins: [...common.plugins, shareStartup] });
  for (const [file, o] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.mjs')) meta[file.slice('dist/bundle/'.length)] = Object.keys(o.inputs);
  }
}
writeFileSync(join(out, 'meta.json'), `${JSON.stringify(meta, null, 1)}\n`);
