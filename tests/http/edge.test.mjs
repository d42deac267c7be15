// edge.test.mjs - the defences of the HTTP layer (docs/security.md, "HTTP layer"), over real
// sockets: a web root that cannot be escaped (request targets, sibling folders, symbolic links,
// dotfiles), the security headers of the console and of its 404, header names that must be
// tokens, egov's own 431 problem, the per-address connection limit, and read deadlines that a
// trickle of bytes cannot extend. Each test fails on a server without the defence.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { assertProblem, demoStore, rawExchange, request, sleep, startServer, tmpDir } from './lib/harness.mjs';

const SECRETS = ['TOP-SECRET-SIBLING', 'BAK-SECRET', 'DOTFILE-SECRET', 'HIDDEN-ASSET'];
const INDEX = '<!doctype html><title>egov console</title><div id="app"></div>';
const APP_JS = 'console.log("egov app");';

/** A built console in DIR/dist and, beside it, what must never be served from it. */
function makeWebRoot(dir) {
  const root = path.join(dir, 'dist');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), INDEX);
  fs.writeFileSync(path.join(root, 'assets', 'app-1234.js'), APP_JS);
  fs.writeFileSync(path.join(root, '.env'), 'DOTFILE-SECRET');
  fs.writeFileSync(path.join(root, 'assets', '.hidden.js'), 'HIDDEN-ASSET');
  fs.mkdirSync(path.join(dir, 'dist-private'));
  fs.writeFileSync(path.join(dir, 'dist-private', 'secret.txt'), 'TOP-SECRET-SIBLING');
  fs.writeFileSync(path.join(dir, 'dist.bak'), 'BAK-SECRET');
  fs.symlinkSync('../dist-private/secret.txt', path.join(root, 'out.txt'));
  fs.symlinkSync('../dist-private', path.join(root, 'outdir'));
  return root;
}

const rawGet = (target, extra = '') => `GET ${target} HTTP/1.1\r\nHost: x\r\n${extra}Connection: close\r\n\r\n`;

function assertNoSecret(r, what) {
  const text = r.body ?? r.text ?? '';
  for (const s of SECRETS) assert.ok(!text.includes(s), `${what}: the answer leaks ${s}: ${text.slice(0, 200)}`);
}

describe('the console file server (--web-root)', () => {
  let srv;
  let hsts;

  before(async () => {
    const dir = tmpDir('edge-web');
    const root = makeWebRoot(dir);
    srv = await startServer({ dbFile: demoStore(dir), args: ['--web-root', root] });
    hsts = await startServer({ dbFile: demoStore(dir, 'hsts.db'), args: ['--web-root', root, '--cookie-secure', '1'] });
  });

  after(async () => {
    await srv?.stop();
    await hsts?.stop();
  });

  test('the console is served: index, hashed assets, client routes', { timeout: 10000 }, async () => {
    const index = await request(srv, 'GET', '/');
    assert.equal(index.status, 200);
    assert.equal(index.text, INDEX);
    assert.equal(index.headers['cache-control'], 'no-cache');
    const js = await request(srv, 'GET', '/assets/app-1234.js');
    assert.equal(js.status, 200);
    assert.equal(js.text, APP_JS);
    assert.match(js.headers['content-type'], /^text\/javascript/);
    assert.match(js.headers['cache-control'], /immutable/);
    const route = await request(srv, 'GET', '/orders/17');
    assert.equal(route.status, 200, 'a client route without an extension falls back to index.html');
    assert.equal(route.text, INDEX);
  });

  test('a request target that does not start with / gets 400 and nothing beside the root', { timeout: 15000 }, async () => {
    // With root DIR/dist, "-private/secret.txt" joined as text is DIR/dist-private/secret.txt.
    for (const target of ['-private/secret.txt', '.bak', '-private/../dist-private/secret.txt', 'index.html']) {
      const r = await rawExchange(srv.port, rawGet(target), { timeoutMs: 5000 });
      assertNoSecret(r, `GET ${target}`);
      assertProblem(r, 400, { field: 'target', rule: 'origin_form', what: `GET ${target}` });
    }
  });

  test('symbolic links out of the root are not followed', { timeout: 10000 }, async () => {
    for (const p of ['/out.txt', '/outdir/secret.txt']) {
      const r = await request(srv, 'GET', p);
      assertNoSecret(r, `GET ${p}`);
      assertProblem(r, 404, { what: `GET ${p}` });
    }
  });

  test('dotfiles and dot segments are not served', { timeout: 10000 }, async () => {
    for (const p of ['/.env', '/assets/.hidden.js']) {
      const r = await request(srv, 'GET', p);
      assertNoSecret(r, `GET ${p}`);
      assertProblem(r, 404, { what: `GET ${p}` });
    }
    for (const p of ['/assets/../../dist-private/secret.txt', '/%2e%2e/dist-private/secret.txt', '/./.env']) {
      const r = await rawExchange(srv.port, rawGet(p), { timeoutMs: 5000 });
      assertNoSecret(r, `GET ${p}`);
      assert.ok(r.status === 404 || r.status === 400, `GET ${p}: ${r.status}`);
    }
  });

  test('the console and its 404 carry a Content-Security-Policy that forbids framing, and the other security headers', { timeout: 10000 }, async () => {
    const answers = {
      index: await request(srv, 'GET', '/'),
      asset: await request(srv, 'GET', '/assets/app-1234.js'),
      'missing asset (404)': await request(srv, 'GET', '/assets/nope-1.js'),
    };
    assert.equal(answers['missing asset (404)'].status, 404);
    for (const [what, r] of Object.entries(answers)) {
      const csp = r.headers['content-security-policy'] || '';
      assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP ${csp}`);
      // Scripts only from the console's origin; the 404 problem loads nothing at all.
      assert.ok(/script-src 'self'(;|$)/.test(csp) || (/default-src 'none'/.test(csp) && !/script-src/.test(csp)),
        `${what}: scripts from elsewhere allowed by ${csp}`);
      assert.doesNotMatch(csp, /unsafe-eval/, `${what}: ${csp}`);
      assert.ok(/object-src 'none'/.test(csp) || /default-src 'none'/.test(csp), `${what}: plugins allowed by ${csp}`);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
      assert.equal(r.headers['x-frame-options'], 'DENY', what);
      assert.equal(r.headers['referrer-policy'], 'same-origin', what);
      assert.equal(r.headers['strict-transport-security'], undefined, `${what}: no HSTS without --cookie-secure 1`);
    }
    const api = await request(srv, 'GET', '/healthz');
    assert.match(api.headers['content-security-policy'] || '', /default-src 'none'/, 'API answers load nothing');
  });

  test('with --cookie-secure 1 every answer carries Strict-Transport-Security', { timeout: 10000 }, async () => {
    for (const p of ['/', '/assets/nope-1.js', '/healthz', '/api/v1/nope']) {
      const r = await request(hsts, 'GET', p);
      assert.match(r.headers['strict-transport-security'] || '', /^max-age=\d{7,}/, `GET ${p} (${r.status})`);
    }
  });
});

describe('header names and the request head', () => {
  let srv;
  const SMUGGLED = 'GET /api/v1/smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
  const statusesOf = (r) => [...r.data.toString('latin1').matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

  before(async () => {
    const dir = tmpDir('edge-head');
    srv = await startServer({ dbFile: demoStore(dir) });
  });

  after(async () => {
    if (!srv) return;
    assert.ok(srv.alive(), `the server died:\n${srv.stderr}`);
    await srv.stop();
  });

  test('"Transfer-Encoding : chunked" (white space before the colon) gets 400 and nothing after it is read', { timeout: 15000 }, async () => {
    for (const te of ['Transfer-Encoding : chunked', 'Transfer-Encoding\t: chunked']) {
      const r = await rawExchange(srv.port, 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
        + `Content-Length: 4\r\n${te}\r\n\r\n2\r\n{}\r\n0\r\n\r\n${SMUGGLED}`, { untilClose: true, timeoutMs: 5000 });
      assert.deepEqual(statusesOf(r), [400], `${JSON.stringify(te)}: answers ${statusesOf(r)}`);
      assertProblem(r, 400, { field: 'header', rule: 'token', what: JSON.stringify(te) });
      assert.equal(r.headers.connection, 'close');
    }
  });

  test('header names that are not tokens get 400 problem+json', { timeout: 15000 }, async () => {
    for (const line of ['Content-Length : 0', 'X Y: 1', 'X(Y): 1', 'X"Y: 1', 'X/Y: 1', 'X{Y}: 1']) {
      const r = await rawExchange(srv.port, rawGet('/healthz', `${line}\r\n`), { timeoutMs: 5000 });
      assertProblem(r, 400, { field: 'header', rule: 'token', what: JSON.stringify(line) });
    }
    const ok = await rawExchange(srv.port, rawGet('/healthz', "X-A.b_c!#$%&'*+^`|~9: 1\r\n"), { timeoutMs: 5000 });
    assert.equal(ok.status, 200, 'every token character is allowed in a header name');
  });

  test('a malformed Content-Length is refused and nothing after it is read as a request', { timeout: 20000 }, async () => {
    // libmicrohttpd answers these itself (an HTML 400, docs/security.md); what matters is that
    // the bytes after them never become a second request.
    for (const cl of ['abc', '1x', '-1', '99999999999999999999999', '4, 4', '']) {
      const r = await rawExchange(srv.port, 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
        + `Content-Length: ${cl}\r\n\r\n{}\r\n${SMUGGLED}`, { untilClose: true, timeoutMs: 5000 });
      const st = statusesOf(r);
      assert.notEqual(r.how, 'timeout', `Content-Length: ${cl}: no answer and no close`);
      assert.ok(st.length >= 1 && st.every((s) => s === 400 || s === 413), `Content-Length: ${JSON.stringify(cl)}: answers ${st}`);
      assert.ok(!r.data.toString('latin1').includes('/api/v1/smuggled'), `Content-Length: ${cl}: the smuggled request was answered`);
    }
    assert.equal((await request(srv, 'GET', '/healthz')).status, 200);
  });

  test('a request head over 16 KB gets egov\'s 431 problem+json, not the library\'s HTML page', { timeout: 10000 }, async () => {
    const r = await rawExchange(srv.port, rawGet('/healthz', `X-Big: ${'a'.repeat(20000)}\r\n`), { timeoutMs: 5000 });
    assertProblem(r, 431, { what: '20 KB header' });
    const cookies = Array.from({ length: 40 }, (_, i) => `Cookie: c${i}=${'v'.repeat(500)}\r\n`).join('');
    const many = await rawExchange(srv.port, rawGet('/healthz', cookies), { timeoutMs: 5000 });
    assertProblem(many, 431, { what: '40 cookie lines of 500 bytes' });
  });
});

describe('connection exhaustion', () => {
  let limited; // --conns-per-ip 8, no early deadline
  let strict; // --header-timeout-s 1 --body-timeout-s 1

  before(async () => {
    const dir = tmpDir('edge-conns');
    limited = await startServer({ dbFile: demoStore(dir), args: ['--conns-per-ip', '8', '--header-timeout-s', '3600'] });
    strict = await startServer({ dbFile: demoStore(dir, 'strict.db'), args: ['--header-timeout-s', '1', '--body-timeout-s', '1'] });
  });

  after(async () => {
    for (const s of [limited, strict]) {
      if (!s) continue;
      assert.ok(s.alive(), `the server died:\n${s.stderr}`);
      await s.stop();
    }
  });

  /** A kept-alive connection from 127.0.0.1 that has been answered once (so it is counted). */
  function heldConnection(port) {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: '127.0.0.1', port });
      let got = '';
      sock.on('error', () => {});
      sock.on('data', (d) => {
        got += d.toString('latin1');
        if (/\r\n\r\n[\s\S]*"ok"/.test(got)) resolve(sock);
      });
      sock.on('close', () => reject(new Error(`a held connection was closed: ${got.slice(0, 100)}`)));
      sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    });
  }

  test('past --conns-per-ip one address is refused while another address is served', { timeout: 30000 }, async () => {
    const held = [];
    try {
      for (let i = 0; i < 8; i++) held.push(await heldConnection(limited.port));
      // A burst of slow clients from the same address: each is closed at once, unanswered.
      const burst = await Promise.all(Array.from({ length: 40 }, () => rawExchange(limited.port,
        'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', { timeoutMs: 10000 })));
      for (const r of burst) {
        assert.ok(r.how === 'closed' || r.how === 'reset', `a 9th+ connection from 127.0.0.1 was ${r.how}`);
        assert.equal(r.status, null);
      }
      const same = await rawExchange(limited.port, rawGet('/healthz'), { timeoutMs: 10000 });
      assert.equal(same.status, null, `a complete request on a 9th connection from 127.0.0.1 was answered ${same.status}`);
      const other = await request(limited, 'GET', '/healthz', { localAddress: '127.0.0.2' });
      assert.equal(other.status, 200, 'another address is served while 127.0.0.1 is at its limit');
    } finally {
      for (const s of held) s.destroy();
    }
    // The held connections are gone: 127.0.0.1 is served again (libmicrohttpd releases the
    // count when it has seen the close, so ask until it has).
    let ok = null;
    for (let i = 0; i < 50 && !ok; i++) {
      const r = await rawExchange(limited.port, rawGet('/healthz'), { timeoutMs: 5000 });
      if (r.status === 200) ok = r;
      else await sleep(100);
    }
    assert.ok(ok, '127.0.0.1 is never served again after closing its connections');
  });

  test('a client trickling its headers is cut at --header-timeout-s, however often it sends a byte', { timeout: 40000 }, async () => {
    // 60 bytes 250 ms apart: 15 s of header that libmicrohttpd's idle timeout (30 s, reset by
    // every byte) would wait for. Unanswered means cut before the head was complete.
    const pieces = ['GET /healthz HTTP/1.1\r\nHost: x\r\nX-Trickle: ', ...Array(60).fill('a'), '\r\n\r\n'];
    const r = await rawExchange(strict.port, pieces, { delayMs: 250, timeoutMs: 30000 });
    assert.ok(r.how === 'closed' || r.how === 'reset', `trickled headers: ${r.how} ${r.status}`);
    assert.equal(r.status, null, `trickled headers were answered ${r.status}: the trickle was never cut`);
  });

  test('a client trickling its body is cut at --body-timeout-s', { timeout: 40000 }, async () => {
    const body = JSON.stringify({ login: 'gz.admin', password: 'x'.repeat(40) });
    const pieces = [`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      ...Array.from(body)];
    const r = await rawExchange(strict.port, pieces, { delayMs: 250, timeoutMs: 30000 });
    assert.ok(r.how === 'closed' || r.how === 'reset', `trickled body: ${r.how} ${r.status}`);
    assert.equal(r.status, null, `a trickled body was answered ${r.status}: the trickle was never cut`);
  });

  test('an ordinary client is unaffected by the deadlines: kept-alive requests in a row', { timeout: 15000 }, async () => {
    const r = await rawExchange(strict.port,
      'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n'
      + 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { timeoutMs: 10000, untilClose: true });
    const statuses = [...r.data.toString('latin1').matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    assert.deepEqual(statuses, [200, 200, 200]);
  });
});
