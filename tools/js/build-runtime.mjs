// Builds guidestudio/resources/runtime/guide-runtime.min.js (+ .min.js.map) from the readable
// guide-runtime.js with esbuild: `node build-runtime.mjs` writes them, `--check` rebuilds in memory
// and fails when the files in the repository differ (make runtime / make runtime-check).
//
// Besides --minify, the build mangles the property names of the runtime's per-guide state (the
// GuideState typedef in guide-runtime.js): readable names there cost nothing once shipped. Only
// names that no public shape in guide-runtime.d.ts uses (bundle, options, events, history) are
// mangled, so the bundle, storage and events keep theirs; the shipped file is tested in the browser.
import {build} from 'esbuild';
import {readFileSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';

const RUNTIME = join(dirname(fileURLToPath(import.meta.url)), '../../guidestudio/resources/runtime');
const SOURCE = join(RUNTIME, 'guide-runtime.js');
const OUT = join(RUNTIME, 'guide-runtime.min.js');
// The per-guide state and the objects of functions that init()'s parts return (history, rendering, input).
const INTERNAL = ['GuideState', 'HistoryPart', 'RenderingPart'];

/** The properties of the internal typedefs that no public type names: safe to rename in the minified file. */
function mangledProperties(source, types) {
  return INTERNAL.flatMap((name) => {
    const typedef = new RegExp(`@typedef \\{object\\} ${name}\\n([\\s\\S]*?)\\*/`).exec(source);
    if (!typedef) throw new Error(`guide-runtime.js has no ${name} typedef`);
    return [...typedef[1].matchAll(/@property \{[^}]*\} \[?(\w+)/g)].map((m) => m[1]);
  }).filter((name) => !new RegExp(`\\b${name}\\??:`).test(types)).sort();
}

async function minify() {
  const source = readFileSync(SOURCE, 'utf8');
  const names = mangledProperties(source, readFileSync(join(RUNTIME, 'guide-runtime.d.ts'), 'utf8'));
  const result = await build({
    entryPoints: [SOURCE], outfile: OUT, write: false, logLevel: 'error',
    minify: true, target: 'es2019', sourcemap: 'linked',
    mangleProps: new RegExp(`^(${names.join('|')})$`)
  });
  return result.outputFiles.map((file) => ({path: file.path, bytes: Buffer.from(file.contents)}));
}

const files = await minify();
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
