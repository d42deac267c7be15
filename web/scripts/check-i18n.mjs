// Fails the build when a literal i18n key used in src/ is missing from a locale, so that no
// untranslated key ever shows. Dynamic keys (kind.${k}) are covered by the typed dictionaries.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
for (const f of files) {
  const s = readFileSync(f, 'utf8');
  for (const m of s.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) used.add(m[1]);
  for (const m of s.matchAll(/(?:title|key):\s*'((?:nav|inst|person|login|error|qual|post|audit|home|cert|common|pool|prod|cat|portal|test|alloc|metric|price|doc|lifecycle|elim)\.[\w.]+)'/g)) used.add(m[1]);
}

async function load(name) {
  const src = readFileSync(join(root, 'i18n', name), 'utf8');
  // The dictionaries are plain object literals: evaluate them without TypeScript.
  const body = src.replace(/^import type .*$/m, '').replace(/type Shape[\s\S]*?;\n/, '').replace(/const en: [^=]+=/, 'const en =');
  const js = body.replace(/export default en;/, 'export default en;');
  const mod = await import(`data:text/javascript,${encodeURIComponent(js)}`);
  return mod.default;
}
const get = (o, k) => k.split('.').reduce((a, p) => (a && typeof a === 'object' ? a[p] : undefined), o);

let bad = 0;
for (const [name, dict] of [['zh-CN', await load('zh-CN.ts')], ['en', await load('en.ts')]]) {
  for (const k of used) {
    if (typeof get(dict, k) !== 'string') {
      console.error(`i18n: key "${k}" missing in ${name}`);
      bad++;
    }
  }
}
if (bad) process.exit(1);
console.log(`i18n: ${used.size} keys present in zh-CN and en`);
