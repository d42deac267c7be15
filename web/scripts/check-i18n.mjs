// Fails the build when a literal i18n key used in src/ is missing from a locale, so that no
// untranslated key ever shows. Dynamic keys (kind.${k}) are covered by the typed dictionaries.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../src/', import.meta.url).pathname;
const files = [];
(function walk(d) {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(vue|ts)$/.test(f) && !p.includes('/i18n/') && !f.endsWith('.d.ts')) files.push(p);
  }
})(root);

const used = new Set();
const titled = new Set();
for (const f of files) {
  const s = readFileSync(f, 'utf8');
  for (const m of s.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) used.add(m[1]);
  for (const m of s.matchAll(/(?:title|key):\s*'([a-z]\w*\.[\w.]+)'/g)) titled.add(m[1]);
}

// The dictionaries are plain object literals spread from ./modules/*: strip the TypeScript
// (type imports, the Shape annotations), write them as .mjs files in a temporary folder with
// the same layout, and import them.
const tmp = mkdtempSync(join(tmpdir(), 'egov-i18n-'));
(function copy(from, to) {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) {
    const p = join(from, f);
    if (statSync(p).isDirectory()) { copy(p, join(to, f)); continue; }
    if (!f.endsWith('.ts')) continue;
    const js = readFileSync(p, 'utf8')
      .replace(/^import type .*$/gm, '')
      .replace(/^(?:export )?type \w+<[\s\S]*?;\n/gm, '')
      .replace(/^const (\w+): [^=]+=/gm, 'const $1 =')
      .replace(/from '(\.{1,2}\/[^']+)'/g, "from '$1.mjs'");
    writeFileSync(join(to, f.replace(/\.ts$/, '.mjs')), js);
  }
})(join(root, 'i18n'), tmp);
const load = async (name) => (await import(pathToFileURL(join(tmp, name)).href)).default;
const zh = await load('zh-CN.mjs');
const enDict = await load('en.mjs');
rmSync(tmp, { recursive: true, force: true });
// title: / key: strings count as keys when they start with one of the dictionary's sections.
for (const k of titled) if (Object.hasOwn(zh, k.split('.')[0])) used.add(k);
const get = (o, k) => k.split('.').reduce((a, p) => (a && typeof a === 'object' ? a[p] : undefined), o);

let bad = 0;
for (const [name, dict] of [['zh-CN', zh], ['en', enDict]]) {
  for (const k of used) {
    if (typeof get(dict, k) !== 'string') {
      console.error(`i18n: key "${k}" missing in ${name}`);
      bad++;
    }
  }
}
if (bad) process.exit(1);
console.log(`i18n: ${used.size} keys present in zh-CN and en`);
