// hostile.test.mjs - hostile and malformed requests against the real binary. Every one must get
// a clear 4xx (application/problem+json where egov itself answers), never a crash, a 500 or a
// hang, and must leave nothing written: each write attempt is read back afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  assertProblem, demoStore, login, rawExchange, request, requestCounts, sleep, startServer, tmpDir,
} from './lib/harness.mjs';

const BODY_MAX = 2048;

describe('hostile and malformed requests (server with --body-max 2048)', () => {
  let srv;
  let admin; // gz.admin grant (bearer)
  let instId;
  let victim; // a person created for the write tests
  let seq = 0;

  const uniqueLogin = (tag) => `bb.${tag}.${process.pid}.${++seq}`.toLowerCase().slice(0, 60);
  const personBody = (loginName, extra = {}) => ({
    login: loginName, name: 'Black Box', institution_id: instId, team: 'technical',
    password: 'Bb-Hostile-Pass-2026', ...extra,
  });
  const authJson = (extra = {}) => ({ ...admin.bearer, 'Content-Type': 'application/json', ...extra });

  /** Reads back: no person with exactly this login exists. */
  async function assertNoPerson(loginName) {
    const r = await request(srv, 'GET', `/api/v1/people?q=${encodeURIComponent(loginName)}&limit=50`,
      { headers: admin.bearer });
    assert.equal(r.status, 200, r.text);
    const hit = r.json.items.filter((p) => p.login === loginName);
    assert.deepEqual(hit, [], `a refused request must write nothing, yet ${loginName} exists`);
  }

  /** Reads back the victim: its name and version are what we last wrote. */
  async function assertVictimUnchanged() {
    const r = await request(srv, 'GET', `/api/v1/people/${victim.id}`, { headers: admin.bearer });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, victim.name, 'name unchanged by a refused write');
    assert.equal(r.json.version, victim.version, 'version unchanged by a refused write');
  }

  function rawPost(path, bodyText, extraHeaders = '') {
    const body = Buffer.from(bodyText);
    return Buffer.concat([Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin.token}\r\n`
      + `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n${extraHeaders}`
      + 'Connection: close\r\n\r\n'), body]);
  }

  before(async () => {
    const dir = tmpDir('hostile');
    srv = await startServer({ dbFile: demoStore(dir), args: ['--body-max', String(BODY_MAX)] });
    admin = await login(srv, 'gz.admin');
    instId = admin.institution.id;
    const r = await request(srv, 'POST', '/api/v1/people', {
      headers: admin.bearer, body: personBody(uniqueLogin('victim'), { name: 'Victim One' }),
    });
    assert.equal(r.status, 201, r.text);
    victim = { id: r.json.id, name: r.json.name, version: r.json.version, etag: r.headers.etag };
    assert.equal(victim.etag, `"${victim.id}-${victim.version}"`, 'ETag is "ID-VERSION"');
  });

  after(async () => {
    if (!srv) return;
    try {
      assert.ok(srv.alive(), `the server died during the hostile tests:\n${srv.stderr}`);
      const h = await request(srv, 'GET', '/healthz');
      assert.equal(h.status, 200, 'after everything the server still answers /healthz');
      const m = await request(srv, 'GET', '/metrics');
      const fives = requestCounts(m.text).filter((s) => /^5/.test(s.status));
      assert.deepEqual(fives, [], 'no request of the hostile suite was answered 5xx');
    } finally {
      await srv.stop();
    }
  });

  // --- body size ----------------------------------------------------------------------------

  test('a body over body_max announced by Content-Length gets 413 before the body is sent', { timeout: 15000 }, async () => {
    // Only the headers go out: the answer must come without waiting for a byte of the body.
    const r = await rawExchange(srv.port,
      `POST /api/v1/people HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin.token}\r\n`
      + 'Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n', { timeoutMs: 5000 });
    assert.notEqual(r.how, 'timeout', 'the server must refuse at once, not wait for 1 MB');
    assertProblem(r, 413, { what: 'Content-Length 1000000' });
  });

  test('a body over body_max sent in full gets 413 and writes nothing', { timeout: 15000 }, async () => {
    const who = uniqueLogin('big');
    const body = JSON.stringify(personBody(who, { address: 'x'.repeat(BODY_MAX * 2) }));
    const r = await request(srv, 'POST', '/api/v1/people', { headers: authJson(), body });
    assertProblem(r, 413, { what: 'body of 4 KB' });
    await assertNoPerson(who);
  });

  test('a chunked body under body_max is accepted (control for the next test)', { timeout: 15000 }, async () => {
    const who = uniqueLogin('chunkok');
    const body = JSON.stringify(personBody(who));
    const pieces = [
      `POST /api/v1/people HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin.token}\r\n`
      + 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
    ];
    for (let i = 0; i < body.length; i += 40) {
      const c = body.slice(i, i + 40);
      pieces.push(`${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`);
    }
    pieces.push('0\r\n\r\n');
    const r = await rawExchange(srv.port, pieces, { delayMs: 2 });
    assert.equal(r.status, 201, `chunked create: ${r.how} ${r.body}`);
    assert.equal(r.json.login, who);
  });

  test('a chunked body over body_max gets 413 problem+json while it is read, and writes nothing', { timeout: 20000 }, async () => {
    const who = uniqueLogin('chunkbig');
    const body = JSON.stringify(personBody(who, { address: 'y'.repeat(BODY_MAX * 4) }));
    const pieces = [
      `POST /api/v1/people HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin.token}\r\n`
      + 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    ];
    for (let i = 0; i < body.length; i += 512) {
      const c = body.slice(i, i + 512);
      pieces.push(`${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`);
    }
    pieces.push('0\r\n\r\n');
    const r = await rawExchange(srv.port, pieces, { delayMs: 5, timeoutMs: 8000 });
    assert.notEqual(r.how, 'timeout', 'no hang');
    assert.ok(r.status !== null,
      `the server dropped the connection without any answer (${r.how}, ${r.writeError?.code || 'no write error'}); expected 413`);
    assertProblem(r, 413, { what: 'chunked 8 KB body' });
    await assertNoPerson(who);
  });

  test('an endless chunked body is cut off: 413 or a closed connection before 64 MB are read', { timeout: 30000 }, async () => {
    // libmicrohttpd 0.9 cannot answer in the middle of a chunked upload, but reading and
    // dropping an unbounded stream ties up the connection for as long as the client likes.
    const net = await import('node:net');
    const sock = net.connect({ host: '127.0.0.1', port: srv.port });
    let got = '';
    let ended = false;
    let sent = 0;
    sock.on('data', (d) => { got += d.toString('latin1'); });
    sock.on('close', () => { ended = true; });
    sock.on('error', () => { ended = true; });
    await new Promise((r) => sock.once('connect', r));
    sock.write(`POST /api/v1/people HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin.token}\r\n`
      + 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = `10000\r\n${'x'.repeat(0x10000)}\r\n`;
    const LIMIT = 64 * 1024 * 1024;
    const t0 = Date.now();
    while (!ended && !got && sent < LIMIT && Date.now() - t0 < 15000) {
      if (!sock.write(chunk)) {
        await new Promise((r) => {
          const t = setTimeout(r, 2000);
          sock.once('drain', () => { clearTimeout(t); r(); });
          sock.once('close', () => { clearTimeout(t); r(); });
        });
      }
      sent += 0x10000;
    }
    await sleep(300);
    sock.destroy();
    assert.ok(ended || got, `the server read ${Math.round(sent / 1048576)} MB of a chunked body over `
      + `body_max (${BODY_MAX} bytes) without answering or closing`);
    if (got) assert.match(got, /^HTTP\/1\.1 413 /, 'if it answers, it answers 413');
    assert.equal((await request(srv, 'GET', '/healthz')).status, 200);
  });

  // --- JSON ---------------------------------------------------------------------------------

  test('malformed JSON gets 400 and writes nothing', { timeout: 20000 }, async () => {
    const who = uniqueLogin('malformed');
    const good = JSON.stringify(personBody(who));
    const cases = {
      truncated: good.slice(0, -5),
      'trailing garbage': `${good} x`,
      'single quotes': good.replace(/"/g, "'"),
      'trailing comma': `${good.slice(0, -1)},}`,
      'bare word': 'login',
      'NaN value': good.replace('"Black Box"', 'NaN'),
      'duplicate key': `{"login":"${who}",${good.slice(1)}`,
      'top-level array': `[${good}]`,
      'top-level string': '"hello"',
      'empty body': '',
      'nesting 900 deep': `${'['.repeat(900)}${']'.repeat(900)}`,
      'comment': `/* c */${good}`,
    };
    for (const [what, body] of Object.entries(cases)) {
      const r = await request(srv, 'POST', '/api/v1/people', { headers: authJson(), body });
      assertProblem(r, 400, { what });
    }
    await assertNoPerson(who);
  });

  test('invalid UTF-8 inside JSON strings gets 400 and writes nothing', { timeout: 20000 }, async () => {
    const who = uniqueLogin('utf8');
    const cases = {
      'byte 0xff': Buffer.from([0xff]),
      'truncated sequence': Buffer.from([0xc3]),
      'overlong slash': Buffer.from([0xc0, 0xaf]),
      'UTF-16 surrogate encoded': Buffer.from([0xed, 0xa0, 0x80]),
      'beyond U+10FFFF': Buffer.from([0xf4, 0x90, 0x80, 0x80]),
      'continuation alone': Buffer.from([0x80]),
    };
    for (const [what, bad] of Object.entries(cases)) {
      for (const key of ['name', 'login']) {
        const body = Buffer.concat([
          Buffer.from(`{"institution_id":${instId},"team":"technical","${key === 'name' ? 'login' : 'name'}":"${key === 'name' ? who : 'Black Box'}","${key}":"ab`),
          bad, Buffer.from('cd"}'),
        ]);
        const r = await request(srv, 'POST', '/api/v1/people', { headers: authJson(), body });
        assertProblem(r, 400, { what: `${what} in ${key}` });
      }
    }
    const lone = await request(srv, 'POST', '/api/v1/people', {
      headers: authJson(),
      body: `{"institution_id":${instId},"team":"technical","login":"${who}","name":"a\\ud800b"}`,
    });
    assertProblem(lone, 400, { what: 'lone surrogate escape' });
    const nul = await request(srv, 'POST', '/api/v1/people', {
      headers: authJson(),
      body: `{"institution_id":${instId},"team":"technical","login":"${who}","name":"a\\u0000b"}`,
    });
    assert.ok([400, 422].includes(nul.status), `NUL escape: ${nul.status} ${nul.text}`);
    assertProblem(nul, nul.status, { what: 'NUL escape' });
    await assertNoPerson(who);
  });

  test('a missing or wrong Content-Type gets 415 and writes nothing', { timeout: 20000 }, async () => {
    const who = uniqueLogin('ctype');
    const body = JSON.stringify(personBody(who));
    for (const ct of [null, 'text/plain', 'application/jsonx', 'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x', 'text/json', '']) {
      const headers = { ...admin.bearer };
      if (ct !== null) headers['Content-Type'] = ct;
      const r = await request(srv, 'POST', '/api/v1/people', { headers, body });
      assertProblem(r, 415, { what: `Content-Type ${JSON.stringify(ct)}` });
    }
    const patch = await request(srv, 'PATCH', `/api/v1/people/${victim.id}`, {
      headers: { ...admin.bearer, 'Content-Type': 'text/plain' }, body: '{"name":"Wrong Type"}',
    });
    assertProblem(patch, 415, { what: 'PATCH as text/plain' });
    await assertNoPerson(who);
    await assertVictimUnchanged();
    // Control: the same body with a charset parameter is accepted.
    const ok = await request(srv, 'POST', '/api/v1/people', {
      headers: authJson({ 'Content-Type': 'application/json; charset=utf-8' }), body,
    });
    assert.equal(ok.status, 201, ok.text);
  });

  test('unknown fields, wrong types and over-long strings get 422 naming the field', { timeout: 20000 }, async () => {
    const who = uniqueLogin('shape');
    const cases = [
      ['unknown field', { ...personBody(who), nickname: 'x' }, 'nickname', 'unknown_field'],
      ['unknown field "id"', { ...personBody(who), id: 5 }, 'id', 'unknown_field'],
      ['login a number', { ...personBody(who), login: 12345 }, 'login', 'type'],
      ['institution_id a string', { ...personBody(who), institution_id: String(instId) }, 'institution_id', 'type'],
      ['institution_id a float', { ...personBody(who), institution_id: 1.5 }, 'institution_id', 'type'],
      ['institution_id 2^53+1', { ...personBody(who), institution_id: 9007199254740993 }, 'institution_id', undefined],
      ['institution_id negative', { ...personBody(who), institution_id: -4 }, 'institution_id', undefined],
      ['is_admin a string', { ...personBody(who), is_admin: 'yes' }, 'is_admin', 'type'],
      ['post_ids an object', { ...personBody(who), post_ids: { a: 1 } }, 'post_ids', 'type'],
      ['name null', { ...personBody(who), name: null }, 'name', undefined],
      ['name an array', { ...personBody(who), name: ['a'] }, 'name', 'type'],
      ['name over 50 characters', { ...personBody(who), name: '名'.repeat(51) }, 'name', 'max_length'],
      ['login over 64 characters', { ...personBody(who), login: `a${'b'.repeat(64)}` }, 'login', 'max_length'],
      ['email over 254 characters', { ...personBody(who), email: `${'e'.repeat(250)}@x.cn` }, 'email', 'max_length'],
      ['password over 128 characters', { ...personBody(who), password: 'P'.repeat(129) }, 'password', 'max_length'],
      ['required team missing', (({ team, ...rest }) => rest)(personBody(who)), 'team', 'required'],
    ];
    for (const [what, body, field, rule] of cases) {
      const r = await request(srv, 'POST', '/api/v1/people', { headers: admin.bearer, body });
      assertProblem(r, 422, { field, rule, what });
    }
    const login422 = await request(srv, 'POST', '/api/v1/session', {
      body: { login: 'gz.admin', password: 'x'.repeat(1025) },
    });
    assertProblem(login422, 422, { field: 'password', rule: 'max_length', what: 'login password 1025' });
    const patch = await request(srv, 'PATCH', `/api/v1/people/${victim.id}`, {
      headers: admin.bearer, body: { name: 'N'.repeat(51), shoe_size: 44 },
    });
    const p = assertProblem(patch, 422, { field: 'name', rule: 'max_length', what: 'PATCH' });
    assert.ok(p.errors.some((e) => e.field === 'shoe_size'), 'every bad field is named, not only the first');
    await assertNoPerson(who);
    await assertVictimUnchanged();
  });

  test('a PATCH mixing valid and invalid fields changes nothing', { timeout: 15000 }, async () => {
    for (const body of [{ name: 'Half Written', email: 'not-an-email' }, { name: 'Half Written', post_ids: [123456] },
      { name: 'Half Written', team: 'astronauts' }]) {
      const r = await request(srv, 'PATCH', `/api/v1/people/${victim.id}`, { headers: admin.bearer, body });
      assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
      assertProblem(r, 422, { field: Object.keys(body)[1] });
      await assertVictimUnchanged();
    }
    const inst = await request(srv, 'GET', `/api/v1/institutions/${instId}`, { headers: admin.bearer });
    for (const body of [{ contact_name: 'Half Written', region: '12' }, { contact_name: 'Half Written', uscc: '91520000MA6DK0000X' },
      { contact_name: 'Half Written', parent_id: instId }]) {
      const r = await request(srv, 'PATCH', `/api/v1/institutions/${instId}`, { headers: admin.bearer, body });
      assert.ok(r.status === 422 || r.status === 409, `${JSON.stringify(body)}: ${r.status} ${r.text}`);
      assertProblem(r, r.status);
    }
    const after = await request(srv, 'GET', `/api/v1/institutions/${instId}`, { headers: admin.bearer });
    assert.deepEqual(after.json, inst.json, 'the institution is unchanged');
  });

  test('an unknown field with a long multi-byte name still gets a 422 that names it', { timeout: 10000 }, async () => {
    // 59 ASCII letters then "é": echoing the name cut at 60 bytes splits the character.
    const name = `${'a'.repeat(59)}é`;
    const r = await request(srv, 'POST', '/api/v1/people', {
      headers: admin.bearer, body: { ...personBody(uniqueLogin('mb')), [name]: 1 },
    });
    const p = assertProblem(r, 422, { what: 'unknown field of 61 bytes' });
    assert.ok(Array.isArray(p.errors) && p.errors.some((e) => e.rule === 'unknown_field'),
      `the problem must name the unknown field; got ${r.text}`);
  });

  // --- paths and methods --------------------------------------------------------------------

  test('bad ids in paths get 400', { timeout: 20000 }, async () => {
    const bad = ['abc', '0', '99999999999999999999', '-1', '9007199254740992', '1.5', '1e3', '0x10',
      '%20', '+1', '12345678901234567'];
    for (const id of bad) {
      for (const [method, path] of [
        ['GET', `/api/v1/people/${id}`],
        ['PATCH', `/api/v1/institutions/${id}`],
        ['DELETE', `/api/v1/institutions/${instId}/posts/${id}`],
        ['DELETE', `/api/v1/people/${victim.id}/certificates/${id}`],
      ]) {
        const r = await request(srv, method, path, {
          headers: authJson(), body: method === 'PATCH' ? '{}' : undefined,
        });
        assertProblem(r, 400, { field: 'id', what: `${method} ${path}` });
      }
    }
    await assertVictimUnchanged();
  });

  test('a NUL byte in a path id is refused, not read as the id before it', { timeout: 10000 }, async () => {
    const r = await request(srv, 'GET', `/api/v1/people/${victim.id}%00abc`, { headers: admin.bearer });
    assert.ok([400, 404].includes(r.status),
      `GET /api/v1/people/${victim.id}%00abc answered ${r.status} (${r.text.slice(0, 120)}); expected 400`);
    assertProblem(r, r.status);
  });

  test('unknown paths get 404 problem+json', { timeout: 10000 }, async () => {
    for (const path of ['/api/v1/nope', '/api/v2/people', '/api/v1/people/1/2/3/4', '/nope',
      '/api/v1/people/', '/api/v1//people', `/api/v1/${'a'.repeat(3000)}`, '/api/v1/PEOPLE',
      '/api/v1/../healthz']) {
      const r = await request(srv, 'GET', path, { headers: admin.bearer });
      assertProblem(r, 404, { what: `GET ${path.slice(0, 60)}` });
    }
  });

  test('a path with invalid UTF-8 still gets a complete problem (type, detail)', { timeout: 10000 }, async () => {
    const r1 = await request(srv, 'GET', '/api/v1/%ff%fe', { headers: admin.bearer });
    assertProblem(r1, 404, { what: 'GET /api/v1/%ff%fe' });
    const r2 = await request(srv, 'GET', '/api/v1/people/%ff', { headers: admin.bearer });
    assertProblem(r2, 400, { what: 'GET /api/v1/people/%ff' });
  });

  test('a wrong method gets 405 with Allow', { timeout: 10000 }, async () => {
    const cases = [
      ['PUT', `/api/v1/people/${victim.id}`, ['GET', 'PATCH']],
      ['DELETE', '/api/v1/people', ['GET', 'POST']],
      ['POST', '/healthz', ['GET']],
      ['PATCH', '/api/v1/session', ['DELETE', 'GET', 'POST']],
      ['OPTIONS', '/api/v1/institutions', ['GET', 'POST']],
      ['TRACE', '/api/v1/audit', ['GET']],
    ];
    for (const [method, path, allow] of cases) {
      const r = await request(srv, method, path, { headers: admin.bearer });
      assertProblem(r, 405, { what: `${method} ${path}` });
      const got = (r.headers.allow || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
      assert.deepEqual(got, allow, `${method} ${path}: Allow`);
    }
    await assertVictimUnchanged();
  });

  test('API answers, errors included, carry nosniff, no-store and their request id', { timeout: 10000 }, async () => {
    const answers = [
      await request(srv, 'GET', '/api/v1/session', { headers: admin.bearer }),
      await request(srv, 'GET', '/api/v1/session'),
      await request(srv, 'GET', '/api/v1/nope'),
      await request(srv, 'POST', '/api/v1/people', { headers: authJson(), body: '{' }),
      await request(srv, 'PUT', '/healthz'),
    ];
    for (const r of answers) {
      const what = `${r.status} ${r.text.slice(0, 60)}`;
      assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
      assert.match(r.headers['cache-control'] || '', /no-store/, what);
      assert.match(r.headers['x-request-id'] || '', /^[0-9a-f]{16,}$/, what);
      if (r.status >= 400) assert.equal(r.json.request_id, r.headers['x-request-id'], `${what}: problem.request_id = X-Request-Id`);
    }
    assert.equal(answers[1].headers['www-authenticate'], 'Bearer realm="egov"', '401 names the scheme');
    const ids = new Set(answers.map((r) => r.headers['x-request-id']));
    assert.equal(ids.size, answers.length, 'request ids are unique');
  });

  // --- headers and transport ----------------------------------------------------------------

  test('a huge header and a flood of headers get a 4xx and the connection is closed', { timeout: 20000 }, async () => {
    // libmicrohttpd answers these itself (431 with an HTML body) before egov sees the request.
    const huge = await rawExchange(srv.port,
      `GET /api/v1/session HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(200000)}\r\n\r\n`);
    assert.ok(huge.status >= 400 && huge.status < 500, `200 KB header: ${huge.how} ${huge.status}`);
    const lines = Array.from({ length: 5000 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const many = await rawExchange(srv.port, `GET /api/v1/session HTTP/1.1\r\nHost: x\r\n${lines}\r\n`);
    assert.ok(many.status >= 400 && many.status < 500, `5000 headers: ${many.how} ${many.status}`);
    const h = await request(srv, 'GET', '/healthz');
    assert.equal(h.status, 200);
  });

  test('100 headers that fit the memory limit are honoured or refused, never partly dropped', { timeout: 10000 }, async () => {
    const pad = Array.from({ length: 100 }, (_, i) => `X-Pad-${i}: v\r\n`).join('');
    const r = await rawExchange(srv.port, `GET /api/v1/session HTTP/1.1\r\nHost: x\r\n${pad}`
      + `Authorization: Bearer ${admin.token}\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === 200 || r.status === 431,
      `with 100 headers before Authorization the answer was ${r.status} ${r.body.slice(0, 120)}: `
      + 'a header the server did not look at was silently ignored');
  });

  test('a query string of 70 parameters is validated whole, not cut at some count', { timeout: 10000 }, async () => {
    const qs = `${Array.from({ length: 70 }, () => 'limit=2').join('&')}&no_such_filter=1`;
    const r = await request(srv, 'GET', `/api/v1/people?${qs}`, { headers: admin.bearer });
    assert.ok(r.status === 422 || r.status === 400 || r.status === 414,
      `GET /api/v1/people?limit=2 x70&no_such_filter=1 answered ${r.status}: the unknown parameter `
      + 'after the 64th was never looked at (alone it gets 422)');
    assertProblem(r, r.status);
    const alone = await request(srv, 'GET', '/api/v1/people?no_such_filter=1', { headers: admin.bearer });
    assertProblem(alone, 422, { field: 'no_such_filter', what: 'unknown query parameter alone' });
  });

  test('a request split into many tiny TCP writes is answered correctly', { timeout: 30000 }, async () => {
    const who = uniqueLogin('tiny');
    const req = rawPost('/api/v1/people', JSON.stringify(personBody(who)));
    const pieces = [];
    for (let i = 0; i < req.length; i += 1) pieces.push(req.subarray(i, i + 1));
    const r = await rawExchange(srv.port, pieces, { delayMs: 1, timeoutMs: 20000 });
    assert.equal(r.status, 201, `1-byte writes: ${r.how} ${r.body}`);
    assert.equal(r.json.login, who);
    const get = await rawExchange(srv.port, Array.from(
      `GET /api/v1/people/${r.json.id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin.token}\r\nConnection: close\r\n\r\n`,
    ), { delayMs: 1, timeoutMs: 20000 });
    assert.equal(get.status, 200, get.body);
    assert.equal(get.json.login, who);
  });

  test('garbage bytes instead of HTTP get a 4xx or a closed connection, never a hang', { timeout: 30000 }, async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
    const tlsHello = Buffer.from('16030100a5010000a10303' + '00'.repeat(32) + '000020c02b', 'hex');
    const cases = {
      'binary noise': Buffer.concat([bytes, Buffer.from('\r\n\r\n')]),
      'TLS ClientHello': tlsHello,
      'words': 'HELLO WORLD\r\n\r\n',
      'bad method characters': 'G{T} /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
      'no version': 'GET /healthz\r\n\r\n',
      'bad version': 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n',
      'header without colon': 'GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n',
      'bad chunk size': `POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      'negative Content-Length': 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
      'NUL bytes': Buffer.concat([Buffer.from('GET /hea'), Buffer.alloc(64), Buffer.from('\r\n\r\n')]),
    };
    for (const [what, data] of Object.entries(cases)) {
      const r = await rawExchange(srv.port, data, { timeoutMs: 5000, halfClose: true });
      assert.notEqual(r.how, 'timeout', `${what}: no answer and no close within 5 s`);
      if (r.status !== null) {
        assert.ok(r.status >= 400 && r.status < 500 || r.status === 505, `${what}: ${r.status}`);
      }
    }
    const h2 = await rawExchange(srv.port, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', { timeoutMs: 5000 });
    assert.ok(h2.status === null || h2.status === 505 || (h2.status >= 400 && h2.status < 500),
      `HTTP/2 preface: ${h2.status}`);
    assert.ok(srv.alive());
    assert.equal((await request(srv, 'GET', '/healthz')).status, 200);
  });

  test('slow clients holding half-sent headers do not block other requests', { timeout: 20000 }, async () => {
    const net = await import('node:net');
    const socks = [];
    for (let i = 0; i < 40; i++) {
      const s = net.connect({ host: '127.0.0.1', port: srv.port });
      s.on('error', () => {});
      s.write('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nX-Slow: ');
      socks.push(s);
    }
    await sleep(200);
    const t0 = Date.now();
    const h = await request(srv, 'GET', '/healthz', { timeoutMs: 3000 });
    assert.equal(h.status, 200);
    assert.ok(Date.now() - t0 < 3000);
    for (const s of socks) s.destroy();
  });

  test('pipelined requests on one connection are all answered', { timeout: 10000 }, async () => {
    const r = await rawExchange(srv.port,
      'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/nope HTTP/1.1\r\nHost: x\r\n\r\n'
      + 'GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { timeoutMs: 5000, untilClose: true });
    assert.equal(r.how, 'closed', 'the server closes after Connection: close');
    const statuses = [...r.data.toString('latin1').matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    assert.deepEqual(statuses, [200, 404, 200]);
  });

  // --- message framing (request smuggling) --------------------------------------------------

  const statusesOf = (r) => [...r.data.toString('latin1').matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
  const SMUGGLED = 'GET /api/v1/smuggled HTTP/1.1\r\nHost: x\r\n\r\n';

  test('Content-Length together with Transfer-Encoding: refused, or the connection closed after the answer', { timeout: 20000 }, async () => {
    // RFC 9112 6.1/6.3: such a message may be a smuggling attempt; a server that processes it
    // must close the connection, so the bytes after it are never read as a second request.
    for (const order of [['Content-Length: 4', 'Transfer-Encoding: chunked'], ['Transfer-Encoding: chunked', 'Content-Length: 4']]) {
      const r = await rawExchange(srv.port, `POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${order.join('\r\n')}\r\n\r\n`
        + `2\r\n{}\r\n0\r\n\r\n${SMUGGLED}`, { untilClose: true, timeoutMs: 3000 });
      const st = statusesOf(r);
      assert.ok(st.length >= 1 && st[0] >= 400 && st[0] < 500, `${order.join(' + ')}: ${st}`);
      assert.equal(st.length, 1, `${order.join(' + ')}: the bytes after the body were answered as a second request (${st})`);
    }
  });

  test('two different Content-Length values get 400 and nothing after them is read as a request', { timeout: 20000 }, async () => {
    const r = await rawExchange(srv.port, 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
      + `Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}${SMUGGLED}`, { untilClose: true, timeoutMs: 3000 });
    const st = statusesOf(r);
    assert.deepEqual(st, [400], `answers: ${st} (RFC 9112 6.3: conflicting lengths are an unrecoverable error)`);
  });

  test('an unknown Transfer-Encoding gets 4xx/501 at once, not a connection held until the timeout', { timeout: 30000 }, async () => {
    for (const te of ['gzip, chunked', 'identity', 'xchunked', 'chunked, chunked']) {
      const r = await rawExchange(srv.port, 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
        + `Transfer-Encoding: ${te}\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, { timeoutMs: 5000 });
      assert.notEqual(r.how, 'timeout', `Transfer-Encoding: ${te}: no answer within 5 s`);
      assert.ok(r.status === 501 || (r.status >= 400 && r.status < 500), `Transfer-Encoding: ${te}: ${r.status}`);
    }
  });

  test('an HTTP/1.1 request without Host, or with two, gets 400', { timeout: 10000 }, async () => {
    const none = await rawExchange(srv.port, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', { timeoutMs: 3000 });
    assert.equal(none.status, 400, `no Host: ${none.status} (RFC 9112 3.2: MUST respond 400)`);
    const two = await rawExchange(srv.port, 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n', { timeoutMs: 3000 });
    assert.equal(two.status, 400, `two Host lines: ${two.status}`);
  });

  // --- concurrency control and CSRF ---------------------------------------------------------

  test('a stale If-Match gets 412 and the record is unchanged', { timeout: 15000 }, async () => {
    const fresh = await request(srv, 'PATCH', `/api/v1/people/${victim.id}`, {
      headers: { ...admin.bearer, 'If-Match': victim.etag }, body: { name: 'Victim Two' },
    });
    assert.equal(fresh.status, 200, fresh.text);
    assert.equal(fresh.json.version, victim.version + 1);
    const stale = victim.etag;
    victim = { ...victim, name: 'Victim Two', version: fresh.json.version, etag: fresh.headers.etag };
    assert.equal(victim.etag, `"${victim.id}-${victim.version}"`);

    const r = await request(srv, 'PATCH', `/api/v1/people/${victim.id}`, {
      headers: { ...admin.bearer, 'If-Match': stale }, body: { name: 'Lost Update' },
    });
    assertProblem(r, 412, { what: 'stale If-Match' });
    for (const etag of ['"garbage"', '*x', `"${victim.id}-0"`, `"${Number(instId)}-${victim.version}"`]) {
      const g = await request(srv, 'PATCH', `/api/v1/people/${victim.id}`, {
        headers: { ...admin.bearer, 'If-Match': etag }, body: { name: 'Lost Update' },
      });
      assert.ok(g.status === 412 || g.status === 400, `If-Match ${etag}: ${g.status} ${g.text}`);
      assertProblem(g, g.status, { what: `If-Match ${etag}` });
    }
    await assertVictimUnchanged();
  });

  test('a stale If-Match sent after 70 other headers still gets 412 (no silent overwrite)', { timeout: 15000 }, async () => {
    const before = await request(srv, 'GET', `/api/v1/people/${victim.id}`, { headers: admin.bearer });
    assert.equal(before.status, 200);
    const stale = `"${victim.id}-${victim.version - 1}"`;
    const pad = Array.from({ length: 70 }, (_, i) => `X-Trace-${i}: ${i}\r\n`).join('');
    const r = await rawExchange(srv.port, rawPost(`/api/v1/people/${victim.id}`,
      JSON.stringify({ name: 'Overwritten' }), `${pad}If-Match: ${stale}\r\n`).toString('latin1')
      .replace(/^POST/, 'PATCH'));
    const afterRead = await request(srv, 'GET', `/api/v1/people/${victim.id}`, { headers: admin.bearer });
    if (afterRead.json.version !== victim.version) {
      // Keep the fixture truthful for the later tests even though this one fails.
      victim = { ...victim, name: afterRead.json.name, version: afterRead.json.version, etag: afterRead.headers.etag };
    }
    // 412 (the header was read) or 431 (too many headers, refused whole) are both safe; a
    // write that goes through is a lost update.
    assert.ok(r.status === 412 || r.status === 431,
      `PATCH with a stale If-Match as its 75th header answered ${r.status}: `
      + `the record went from version ${before.json.version} to ${afterRead.json.version} ("${afterRead.json.name}")`);
    assert.equal(afterRead.json.version, before.json.version, 'the record is unchanged');
  });

  test('a cookie session write without the right X-CSRF-Token gets 403 and writes nothing', { timeout: 15000 }, async () => {
    const cookie = { Cookie: `egov_session=${admin.token}` };
    const who = uniqueLogin('csrf');
    for (const extra of [{}, { 'X-CSRF-Token': 'deadbeef' }, { 'X-CSRF-Token': '' },
      { 'X-CSRF-Token': admin.csrf_token.toUpperCase() + 'x' }]) {
      const r1 = await request(srv, 'PATCH', `/api/v1/people/${victim.id}`, {
        headers: { ...cookie, ...extra }, body: { name: 'Forged' },
      });
      assertProblem(r1, 403, { what: `cookie PATCH ${JSON.stringify(extra)}` });
      const r2 = await request(srv, 'POST', '/api/v1/people', { headers: { ...cookie, ...extra }, body: personBody(who) });
      assertProblem(r2, 403, { what: `cookie POST ${JSON.stringify(extra)}` });
    }
    const r3 = await request(srv, 'DELETE', '/api/v1/session', { headers: cookie });
    assertProblem(r3, 403, { what: 'cookie DELETE /session' });
    await assertNoPerson(who);
    await assertVictimUnchanged();
    // Controls: reads need no CSRF header; the right one lets the write through.
    const read = await request(srv, 'GET', `/api/v1/people/${victim.id}`, { headers: cookie });
    assert.equal(read.status, 200);
    const ok = await request(srv, 'PATCH', `/api/v1/people/${victim.id}`, {
      headers: { ...cookie, 'X-CSRF-Token': admin.csrf_token, 'If-Match': victim.etag }, body: { name: 'Victim Three' },
    });
    assert.equal(ok.status, 200, ok.text);
    victim = { ...victim, name: 'Victim Three', version: ok.json.version, etag: ok.headers.etag };
    const who2 = await request(srv, 'GET', '/api/v1/session', { headers: admin.bearer });
    assert.equal(who2.status, 200, 'the bearer session survived the forged cookie DELETE');
  });

  test('logging in again while a session cookie is present is not refused as CSRF', { timeout: 15000 }, async () => {
    // POST /api/v1/session is public: a browser that still holds a cookie (another tab, an
    // expired console view) must be able to log in without a CSRF token it cannot know yet.
    const r = await request(srv, 'POST', '/api/v1/session', {
      headers: { Cookie: `egov_session=${admin.token}` },
      body: { login: 'gz.admin', password: 'Egov-Demo-2026' },
    });
    assert.equal(r.status, 201, `login with a live cookie answered ${r.status} ${r.text}`);
  });
});

describe('rate limit (server with --rate-limit 5)', () => {
  let srv;
  let limited; // the first 429 answer seen

  before(async () => {
    const dir = tmpDir('ratelimit');
    srv = await startServer({ dbFile: demoStore(dir), args: ['--rate-limit', '5'] });
  });

  after(async () => {
    if (srv) await srv.stop();
  });

  async function until429() {
    // One keep-alive connection, requests back to back: more than 5 land in one second.
    const http = await import('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 60; i++) {
        const r = await request(srv, 'GET', '/api/v1/openapi.json', { agent });
        if (r.status === 429) return { r, i };
        assert.equal(r.status, 200, `request ${i}: ${r.status}`);
      }
      return { r: null, i: 60 };
    } finally {
      agent.destroy();
    }
  }

  async function waitHealthy() {
    for (let i = 0; i < 30; i++) {
      const h = await request(srv, 'GET', '/healthz');
      if (h.status === 200) return h;
      await sleep(Number(h.headers['retry-after'] || 1) * 200);
    }
    assert.fail('the server never answered /healthz again after the rate limit');
  }

  test('over the rate limit requests get 429 with Retry-After', { timeout: 20000 }, async () => {
    const { r, i } = await until429();
    assert.ok(r, 'no 429 after 60 requests back to back at --rate-limit 5');
    assert.ok(i >= 5, `the first 5 requests of a second are allowed (429 came at request ${i})`);
    const ra = Number(r.headers['retry-after']);
    assert.ok(Number.isInteger(ra) && ra >= 1 && ra <= 60, `Retry-After: ${r.headers['retry-after']}`);
    limited = r;
    await waitHealthy();
  });

  test('the 429 of the rate limit is application/problem+json', { timeout: 20000 }, async () => {
    const r = limited || (await until429()).r;
    assert.ok(r, 'no 429 seen');
    assertProblem(r, 429, { what: 'rate-limited GET' });
    await waitHealthy();
  });

  test('rate-limited requests are counted in /metrics', { timeout: 20000 }, async () => {
    if (!limited) await until429();
    await waitHealthy();
    const m = await request(srv, 'GET', '/metrics');
    assert.equal(m.status, 200);
    const n429 = requestCounts(m.text).filter((s) => s.status === '429').reduce((a, s) => a + s.value, 0);
    assert.ok(n429 > 0, 'requests answered 429 by the rate limiter appear nowhere in egov_http_requests_total');
  });

  test('after the window the server answers again', { timeout: 20000 }, async () => {
    const h = await waitHealthy();
    assert.deepEqual(h.json, { status: 'ok' });
    assert.ok(srv.alive());
  });
});
