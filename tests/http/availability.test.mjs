// availability.test.mjs - many requests that become readable at the same moment, with a bogus
// token, must all be answered and leave the server answering (a regression test for the
// self-deadlock bench/deadlock_probe.py found: workers waited for store connections that only
// their own event loops would have released).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';

import { demoStore, request, sleep, startServer, tmpDir } from './lib/harness.mjs';

describe('availability under simultaneous requests', () => {
  let srv;
  before(async () => {
    srv = await startServer({ dbFile: demoStore(tmpDir('avail')), args: ['--threads', '2'] });
  });
  after(async () => { await srv?.stop(); });

  test('16 requests released at once are all answered, and the server answers afterwards', { timeout: 30000 }, async () => {
    const head = 'GET /api/v1/institutions HTTP/1.1\r\nHost: x\r\n';
    const rest = 'Authorization: Bearer egv_not-a-real-token\r\nConnection: close\r\n\r\n';
    const socks = [];
    const answers = [];
    for (let i = 0; i < 16; i++) {
      const s = net.connect({ host: '127.0.0.1', port: srv.port });
      let got = '';
      answers.push(new Promise((resolve) => {
        s.on('data', (d) => { got += d.toString('latin1'); });
        s.on('close', () => resolve(got));
        s.on('error', () => resolve(got));
      }));
      await new Promise((resolve) => s.on('connect', resolve));
      s.write(head);
      socks.push(s);
    }
    await sleep(300);
    for (const s of socks) s.write(rest);
    const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 15000));
    const all = await Promise.race([Promise.all(answers), timeout]);
    assert.ok(all, 'not every request was answered within 15 s');
    for (const a of all) assert.match(a, /^HTTP\/1\.1 401 /, `answer: ${a.slice(0, 80)}`);
    const h = await request(srv, 'GET', '/healthz', { timeoutMs: 5000 });
    assert.equal(h.status, 200);
  });
});
