// metrics.test.mjs - /metrics after known traffic: `promtool check metrics` passes (Debian's
// prometheus package), the counts equal what was sent, labels are route patterns (bounded
// cardinality, no raw ids), and each histogram is internally consistent.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import {
  demoStore, login, rawExchange, request, requestCounts, startServer, tmpDir,
} from './lib/harness.mjs';

describe('/metrics', () => {
  let srv;
  let text;
  const sent = new Map(); // "METHOD route status" -> count
  const note = (method, route, status) => {
    const k = `${method} ${route} ${status}`;
    sent.set(k, (sent.get(k) || 0) + 1);
  };

  before(async () => {
    const dir = tmpDir('metrics');
    srv = await startServer({ dbFile: demoStore(dir), args: ['--body-max', '4096'] });
    // Known traffic: successes and failures on several routes.
    const expect = async (method, path, route, status, opts = {}) => {
      const r = await request(srv, method, path, opts);
      assert.equal(r.status, status, `${method} ${path}: ${r.text.slice(0, 200)}`);
      note(route === 'unmatched' ? 'any' : method === 'HEAD' ? 'GET' : method, route, status);
      return r;
    };
    for (let i = 0; i < 3; i++) await expect('GET', '/healthz', '/healthz', 200);
    await expect('HEAD', '/healthz', '/healthz', 200);
    await expect('GET', '/readyz', '/readyz', 200);
    await expect('GET', '/api/v1/openapi.json', '/api/v1/openapi.json', 200);
    const admin = await login(srv, 'gz.admin');
    note('POST', '/api/v1/session', 201);
    await expect('POST', '/api/v1/session', '/api/v1/session', 401, { body: { login: 'gz.admin', password: 'nope' } });
    await expect('POST', '/api/v1/session', '/api/v1/session', 422, { body: { login: 'gz.admin' } });
    await expect('GET', '/api/v1/session', '/api/v1/session', 200, { headers: admin.bearer });
    await expect('GET', '/api/v1/session', '/api/v1/session', 401);
    await expect('GET', '/api/v1/institutions?limit=5', '/api/v1/institutions', 200, { headers: admin.bearer });
    await expect('GET', `/api/v1/institutions/${admin.institution.id}`, '/api/v1/institutions/{id}', 200, { headers: admin.bearer });
    await expect('GET', '/api/v1/institutions/123456789', '/api/v1/institutions/{id}', 404, { headers: admin.bearer });
    await expect('GET', '/api/v1/people?limit=abc', '/api/v1/people', 422, { headers: admin.bearer });
    await expect('POST', '/api/v1/people', '/api/v1/people', 415, { headers: { ...admin.bearer, 'Content-Type': 'text/plain' }, body: '{}' });
    await expect('GET', '/api/v1/audit?limit=3', '/api/v1/audit', 200, { headers: admin.bearer });
    // Unmatched: unknown path, bad id, wrong method, body too large, and a transport error.
    await expect('GET', '/api/v1/nope', 'unmatched', 404);
    await expect('GET', '/api/v1/people/abc', 'unmatched', 400);
    await expect('PUT', '/api/v1/people', 'unmatched', 405);
    await expect('POST', '/api/v1/people', 'unmatched', 413, { headers: admin.bearer, body: { pad: 'x'.repeat(5000) } });
    await rawExchange(srv.port, 'NOT HTTP\r\n\r\n', { timeoutMs: 3000 });
    const m = await request(srv, 'GET', '/metrics');
    assert.equal(m.status, 200);
    assert.match(m.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    text = m.text;
    if (process.env.EGOV_BB_DEBUG) console.log(text);
  });

  after(async () => {
    if (srv) await srv.stop();
  });

  test('promtool check metrics passes', { timeout: 30000 }, () => {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20000 });
    assert.ok(!r.error, `promtool could not run: ${r.error} (install Debian's prometheus package)`);
    assert.equal(r.status, 0, `promtool check metrics exited ${r.status}:\n${r.stdout}${r.stderr}`);
    assert.equal(`${r.stdout}${r.stderr}`.trim(), '', 'promtool reports no lint problem');
  });

  test('request counts equal the traffic sent, by method, route pattern and status', () => {
    const got = new Map(requestCounts(text).map((s) => [`${s.method} ${s.route} ${s.status}`, s.value]));
    for (const [k, v] of sent) {
      assert.equal(got.get(k), v, `egov_http_requests_total for ${k}`);
    }
    for (const k of got.keys()) {
      assert.ok(sent.has(k), `a count for traffic that was not sent: ${k}`);
    }
  });

  test('labels are route patterns: no raw ids or query strings', () => {
    for (const s of requestCounts(text)) {
      assert.ok(s.route === 'unmatched' || s.route.startsWith('/'), `route label ${s.route}`);
      assert.doesNotMatch(s.route, /\/\d|\?/, `route label carries a raw id or query: ${s.route}`);
      assert.match(s.status, /^[1-5]\d\d$/);
    }
  });

  test('each latency histogram is consistent: cumulative buckets, +Inf = count = requests', () => {
    const series = new Map();
    for (const line of text.split('\n')) {
      const m = /^egov_http_request_duration_seconds_(bucket|sum|count)\{(.*)\}\s+(\S+)$/.exec(line);
      if (!m) continue;
      const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      const key = `${labels.method} ${labels.route}`;
      const s = series.get(key) || { buckets: [], sum: null, count: null };
      if (m[1] === 'bucket') s.buckets.push([labels.le === '+Inf' ? Infinity : Number(labels.le), Number(m[3])]);
      else s[m[1]] = Number(m[3]);
      series.set(key, s);
    }
    assert.equal(series.size, new Set([...sent.keys()].map((k) => k.split(' ').slice(0, 2).join(' '))).size,
      'one histogram per (method, route) used');
    const totals = new Map();
    for (const s of requestCounts(text)) {
      const k = `${s.method} ${s.route}`;
      totals.set(k, (totals.get(k) || 0) + s.value);
    }
    for (const [key, s] of series) {
      let prevLe = -Infinity;
      let prev = 0;
      for (const [le, c] of s.buckets) {
        assert.ok(le > prevLe, `${key}: buckets in increasing le`);
        assert.ok(c >= prev, `${key}: bucket le=${le} is cumulative`);
        prevLe = le;
        prev = c;
      }
      assert.equal(prevLe, Infinity, `${key}: a +Inf bucket`);
      assert.equal(prev, s.count, `${key}: +Inf bucket = _count`);
      assert.ok(s.sum >= 0, `${key}: _sum`);
      assert.equal(s.count, totals.get(key), `${key}: _count = sum of egov_http_requests_total`);
    }
  });
});
