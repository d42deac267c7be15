// Developer aid (not a test): screenshots of a few pages, to look at the console.
import { login, openBrowser, settled } from './harness.mjs';
const [who, ...paths] = process.argv.slice(2);
const b = await openBrowser({ locale: process.env.LOC ?? null });
await login(b.page, who);
for (const p of paths) {
  await b.page.goto(p);
  await b.page.waitForTimeout(1500); // developer aid only: let charts animate
  await settled(b.page);
  const f = `/tmp/shot-${who}-${p.replace(/\W+/g, '_')}.png`;
  await b.page.screenshot({ path: f, fullPage: true });
  console.log(f);
}
console.log('errors:', b.errors);
await b.close();
