// Builds guidestudio/resources/runtime/guide-runtime.min.js (+ .min.js.map) from the readable
// guide-runtime.js: `node build-runtime.mjs` writes them, `--check` rebuilds in memory and fails when
// the files in the repository differ (make runtime / make runtime-check).
//
// Two passes. esbuild holds the output to ES2019 and renames the properties of the runtime's internal
// objects: the per-guide state (the GuideState typedef in guide-runtime.js) and the objects of
// functions that init()'s parts return (HistoryPart, RenderingPart), so readable names there cost
// nothing once shipped. Only names that no public shape in guide-runtime.d.ts uses (bundle, options,
// events, history) are renamed, so the bundle, storage and events keep theirs. terser then minifies:
// gzipped, its output is about 270 bytes (3%) smaller than esbuild's --minify on this file, room the
// runtime's 9 KB budget needs. Its map is composed with esbuild's, so it points into the readable
// source (and carries it). The shipped file is tested in the browser.
import {build} from 'esbuild';
import {minify} from 'terser';
import {readFileSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';

const RUNTIME = join(dirname(fileURLToPath(import.meta.url)), '../../guidestudio/resources/runtime');
const SOURCE = join(RUNTIME, 'guide-runtime.js');
const OUT = join(RUNTIME, 'guide-runtime.min.js');
const MAP = 'guide-runtime.min.js.map';
// The per-guide state and the objects of functions that init()'s parts return (history, rendering).
const INTERNAL = ['GuideState', 'HistoryPart', 'RenderingPart'];

/** The properties of the internal typedefs that no public type names: safe to rename in the minified file. */
function mangledProperties(source, types) {
  return INTERNAL.flatMap((name) => {
    const typedef = new RegExp(`@typedef \\{object\\} ${name}\\n([\\s\\S]*?)\\*/`).exec(source);
    if (!typedef) throw new Error(`guide-runtime.js has no ${name} typedef`);
    return [...typedef[1].matchAll(/@property \{[^}]*\} \[?(\w+)/g)].map((m) => m[1]);
  }).filter((name) => !new RegExp(`\\b${name}\\??:`).test(types)).sort();
}

async function minifyRuntime() {
  const source = readFileSync(SOURCE, 'utf8');
  const names = mangledProperties(source, readFileSync(join(RUNTIME, 'guide-runtime.d.ts'), 'utf8'));
  const lowered = await build({
    entryPoints: [SOURCE], outfile: OUT, write: false, logLevel: 'error',
    target: 'es2019', sourcemap: 'external', dropLabels: ['internal'], mangleProps: new RegExp(`^(${names.join('|')})$`)
  });
  const code = lowered.outputFiles.find((file) => file.path === OUT).text;
  const map = lowered.outputFiles.find((file) => file.path === OUT + '.map').text;
  const minified = await minify(code, {
    ecma: 2019, compress: {passes: 2}, mangle: true, format: {comments: false},
    sourceMap: {content: map, includeSources: true}
  });
  return [
    {path: OUT, bytes: Buffer.from(`${minified.code}\n//# sourceMappingURL=${MAP}\n`)},
    {path: join(RUNTIME, MAP), bytes: Buffer.from(minified.map)}
  ];
}

const files = await minifyRuntime();
if (process.argv.includes('--check')) {
  const stale = files.filter((file) => {
    try { return !readFileSync(file.path).equals(file.bytes); } catch { return true; }
  });
  if (stale.length) {
    console.error(`out of date with guide-runtime.js: ${stale.map((f) => relative(process.cwd(), f.path)).join(', ')}` +
      ' (run `make runtime` and commit the result)');
    process.exit(1);
  }
} else {
  const {writeFileSync} = await import('node:fs');
  for (const file of files) writeFileSync(file.path, file.bytes);
}
