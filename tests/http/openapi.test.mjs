// openapi.test.mjs - the served OpenAPI document: it lints clean with Redocly's `recommended`
// ruleset (@redocly/cli, pinned in package.json), every operation documents a 4xx problem
// answer, and the document agrees with the running server: the methods the router accepts,
// the statuses it really answers, and the shapes of its JSON answers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { demoStore, login, request, startServer, tmpDir } from './lib/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REDOCLY = path.join(HERE, 'node_modules', '.bin', 'redocly');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** [{method, path, op}] of the document. */
function operations(doc) {
  const out = [];
  for (const [p, item] of Object.entries(doc.paths || {})) {
    for (const m of METHODS) if (item[m]) out.push({ method: m.toUpperCase(), path: p, op: item[m] });
  }
  return out;
}

/** A concrete path for a template: every {param} becomes the given id. */
const concrete = (template, id = 1) => template.replace(/\{[^}]+\}/g, String(id));

/** The operation whose template matches a concrete path (literal segments win over params). */
function findOperation(doc, method, urlPath) {
  const segs = urlPath.split('?')[0].split('/');
  let best = null;
  for (const o of operations(doc)) {
    if (o.method !== method) continue;
    const t = o.path.split('/');
    if (t.length !== segs.length) continue;
    let score = 0;
    let ok = true;
    for (let i = 0; i < t.length && ok; i++) {
      if (/^\{.+\}$/.test(t[i])) continue;
      if (t[i] === segs[i]) score++;
      else ok = false;
    }
    if (ok && (!best || score > best.score)) best = { ...o, score };
  }
  return best;
}

/**
 * A small JSON Schema check covering the keywords the document uses (type, enum, required,
 * properties, additionalProperties, items, $ref, minimum, maximum, maxLength). It also lists
 * properties of an answer that the schema does not mention (a typed client would not see them).
 */
function check(doc, schema, value, where, problems) {
  if (!schema) return;
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    check(doc, doc.components.schemas[name], value, where, problems);
    return;
  }
  const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array'
    : Number.isInteger(v) ? 'integer' : typeof v);
  if (schema.type) {
    const types = [].concat(schema.type);
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      problems.push(`${where}: ${JSON.stringify(value)?.slice(0, 60)} is ${t}, schema says ${types.join('|')}`);
      return;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${where}: ${JSON.stringify(value)} not in enum ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${where}: ${value} < minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${where}: ${value} > maximum ${schema.maximum}`);
  }
  if (typeof value === 'string' && schema.maxLength !== undefined && [...value].length > schema.maxLength) {
    problems.push(`${where}: longer than maxLength ${schema.maxLength}`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const r of schema.required || []) {
      if (!(r in value)) problems.push(`${where}: required property ${r} missing`);
    }
    const props = schema.properties || {};
    for (const [k, v] of Object.entries(value)) {
      if (props[k]) check(doc, props[k], v, `${where}.${k}`, problems);
      else if (schema.properties && schema.additionalProperties === undefined) problems.push(`${where}.${k}: not in the schema`);
      else if (schema.additionalProperties === false) problems.push(`${where}.${k}: additionalProperties is false`);
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.slice(0, 5).forEach((v, i) => check(doc, schema.items, v, `${where}[${i}]`, problems));
  }
}

describe('OpenAPI document', () => {
  let srv;
  let doc;
  let docFile;

  before(async () => {
    const dir = tmpDir('openapi');
    srv = await startServer({ dbFile: demoStore(dir) });
    const r = await request(srv, 'GET', '/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^application\/json/);
    doc = r.json;
    docFile = path.join(dir, 'openapi.json');
    fs.writeFileSync(docFile, r.text);
  });

  after(async () => {
    if (srv) await srv.stop();
  });

  test('is OpenAPI 3.1 and lints clean with redocly lint --extends recommended', { timeout: 120000 }, () => {
    assert.match(doc.openapi, /^3\.1\./);
    assert.ok(fs.existsSync(REDOCLY), 'tests/http/node_modules/.bin/redocly (run.sh runs npm ci)');
    const r = spawnSync(REDOCLY, ['lint', '--extends', 'recommended', '--format', 'json', '--max-problems', '1000', docFile], {
      cwd: path.dirname(docFile), // no redocly.yaml of anyone else's
      encoding: 'utf8',
      timeout: 100000,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    assert.ok(!r.error, `redocly could not run: ${r.error}`);
    let report;
    try {
      report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    } catch {
      assert.fail(`redocly gave no JSON report (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    const list = (report.problems || []).map((p) => `${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer}: ${p.message}`);
    assert.deepEqual(list, [], `redocly lint (recommended) reports ${list.length} problem(s):\n${list.join('\n')}`);
    assert.equal(report.totals.errors, 0);
    assert.equal(report.totals.warnings, 0);
    assert.equal(r.status, 0, r.stderr);
  });

  test('every operation documents a 4xx answer as application/problem+json', () => {
    const ops = operations(doc);
    assert.ok(ops.length >= 30, `the document covers the routes (${ops.length} operations)`);
    const missing = [];
    for (const { method, path: p, op } of ops) {
      const fours = Object.keys(op.responses || {}).filter((c) => /^4(\d\d|XX)$/.test(c));
      if (!fours.length) {
        missing.push(`${method} ${p}: no 4xx response`);
        continue;
      }
      for (const c of fours) {
        const content = op.responses[c].content || {};
        if (!content['application/problem+json']) missing.push(`${method} ${p} ${c}: not application/problem+json`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('the router accepts exactly the documented methods of each path (405 + Allow otherwise)', { timeout: 30000 }, async () => {
    const wrong = [];
    for (const [p, item] of Object.entries(doc.paths)) {
      const documented = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase()).sort();
      const probe = ['PUT', 'PATCH', 'DELETE', 'POST', 'TRACE'].find((m) => !documented.includes(m));
      const r = await request(srv, probe, concrete(p), { headers: { 'Content-Type': 'application/json' }, body: probe === 'TRACE' ? undefined : '{}' });
      const allow = (r.headers.allow || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
      if (r.status !== 405) wrong.push(`${probe} ${p}: ${r.status}, expected 405`);
      else if (JSON.stringify(allow) !== JSON.stringify(documented)) wrong.push(`${p}: Allow ${allow} but documented ${documented}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('an anonymous call of every operation gets a status that operation documents', { timeout: 30000 }, async () => {
    const wrong = [];
    for (const { method, path: p, op } of operations(doc)) {
      const body = op.requestBody ? '{}' : undefined;
      const r = await request(srv, method, concrete(p), { headers: body ? { 'Content-Type': 'application/json' } : {}, body });
      if (!op.responses[String(r.status)] && !op.responses[`${String(r.status)[0]}XX`] && !op.responses.default) {
        wrong.push(`${method} ${p} answered ${r.status}; documented: ${Object.keys(op.responses).join(', ')}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  test('every status the server answers to an authorised caller is documented for that operation', { timeout: 60000 }, async () => {
    const admin = await login(srv, 'gz.admin');
    const member = await login(srv, 'u.gat.it');
    const inst = admin.institution.id;
    const people = (await request(srv, 'GET', '/api/v1/people?limit=1', { headers: admin.bearer })).json.items;
    const person = people[0];
    const A = admin.bearer;
    const J = { ...admin.bearer, 'Content-Type': 'application/json' };
    const probes = [
      ['POST', '/api/v1/session', {}, { login: 'gz.admin', password: 'wrong password' }],
      ['POST', '/api/v1/session', {}, { login: 'gz.admin' }],
      ['GET', '/api/v1/session', A],
      ['GET', '/api/v1/institutions?limit=abc', A],
      ['GET', '/api/v1/institutions?no_such_filter=1', A],
      ['GET', '/api/v1/institutions/123456789', A],
      ['DELETE', `/api/v1/institutions/${inst}`, A],
      ['PATCH', `/api/v1/institutions/${inst}`, { ...J, 'If-Match': `"${inst}-999"` }, { name: 'Stale' }],
      ['POST', '/api/v1/institutions', J, { name: 'x' }],
      ['GET', '/api/v1/people?limit=0', A],
      ['GET', `/api/v1/people/${person.id}`, A],
      ['GET', '/api/v1/people/123456789', A],
      ['PATCH', `/api/v1/people/${person.id}`, { ...J, 'If-Match': `"${person.id}-999"` }, { name: 'Stale Name' }],
      ['POST', '/api/v1/people', J, { login: 'x' }],
      ['POST', `/api/v1/people/${person.id}/password`, J, { new_password: 'short' }],
      ['GET', '/api/v1/certificates?expiring_before=soon', A],
      ['GET', '/api/v1/qualifications?expiring_before=soon', A],
      ['GET', '/api/v1/audit?from=yesterday', A],
      ['GET', '/api/v1/audit/verify', A],
      ['POST', `/api/v1/institutions/${member.institution.id}/posts`, { ...member.bearer, 'Content-Type': 'application/json' }, { name: 'P', duties: 'D' }],
      ['GET', `/api/v1/institutions/${inst}/posts`, member.bearer],
      ['GET', '/api/v1/audit', member.bearer],
    ];
    const undocumented = [];
    for (const [method, url, headers, body] of probes) {
      const r = await request(srv, method, url, { headers, body });
      const o = findOperation(doc, method, url);
      assert.ok(o, `${method} ${url} is in the document`);
      if (!o.op.responses[String(r.status)] && !o.op.responses.default) {
        undocumented.push(`${method} ${o.path} answers ${r.status} (${r.json?.detail || ''}); documented: ${Object.keys(o.op.responses).join(', ')}`);
      }
    }
    assert.deepEqual(undocumented, [], `statuses the server answers but the document does not list:\n${undocumented.join('\n')}`);
  });

  test('JSON answers match their documented schemas', { timeout: 60000 }, async () => {
    const admin = await login(srv, 'gz.admin');
    const A = admin.bearer;
    const inst = admin.institution.id;
    const people = (await request(srv, 'GET', '/api/v1/people?limit=3', { headers: A })).json.items;
    const urls = ['/healthz', '/readyz', '/api/v1/session', '/api/v1/institutions?limit=5', `/api/v1/institutions/${inst}`,
      `/api/v1/institutions/${inst}/qualifications`, `/api/v1/institutions/${inst}/interest-relations`,
      `/api/v1/institutions/${inst}/posts`, '/api/v1/qualifications?limit=5', '/api/v1/people?limit=5',
      `/api/v1/people/${people[0].id}`, `/api/v1/people/${people[0].id}/certificates`, '/api/v1/certificates?limit=5',
      '/api/v1/audit?limit=5', '/api/v1/audit/verify', '/api/v1/nope', '/api/v1/people/abc'];
    const problems = [];
    // The checker itself must see a wrong answer (guards against a vacuous pass).
    const selfTest = [];
    check(doc, { $ref: '#/components/schemas/Person' }, { id: 'seven', enabled: 1, surprise: true }, 'self', selfTest);
    // three wrong members, and the twelve members the schema requires that are missing
    assert.equal(selfTest.length, 15, `the schema checker flags wrong types, unknown and missing properties: ${selfTest}`);
    assert.ok(selfTest.includes('self: required property posts missing'), `${selfTest}`);
    for (const url of urls) {
      const r = await request(srv, 'GET', url, { headers: A });
      const o = findOperation(doc, 'GET', url);
      const resp = o?.op.responses[String(r.status)];
      if (!o) {
        // unmatched paths: the answer is a Problem
        check(doc, doc.components.schemas.Problem, r.json, `GET ${url} ${r.status}`, problems);
        continue;
      }
      if (!resp) {
        problems.push(`GET ${o.path}: status ${r.status} not documented`);
        continue;
      }
      const ct = (r.headers['content-type'] || '').split(';')[0];
      const media = resp.content?.[ct];
      if (!media) {
        problems.push(`GET ${o.path} ${r.status}: content type ${ct} not documented (${Object.keys(resp.content || {})})`);
        continue;
      }
      check(doc, media.schema, r.json, `GET ${o.path} ${r.status}`, problems);
    }
    // A login answer and a problem answer.
    const s = await request(srv, 'POST', '/api/v1/session', { body: { login: 'gz.admin', password: 'Egov-Demo-2026' } });
    check(doc, doc.paths['/api/v1/session'].post.responses['201'].content['application/json'].schema, s.json, 'POST /api/v1/session 201', problems);
    assert.deepEqual(problems, [], `answers that differ from the document:\n${problems.join('\n')}`);
  });
});
