import { login, openBrowser, settled } from '/work/main/tests/e2e/lib/harness.mjs';
const [who, ...paths] = process.argv.slice(2);
const b = await openBrowser({ locale: process.env.LOC || null });
if (who !== 'anon') await login(b.page, who);
for (const p of paths) {
  await b.page.goto(p);
  await new Promise(r => setTimeout(r, 1500));
  await settled(b.page);
  const f = `/tmp/egov-dev/look/${who}${p.replace(/[^\w]+/g, '_')}.png`;
  await b.page.screenshot({ path: f, fullPage: true });
  console.log(f);
}
console.log(b.errors);
await b.close();
