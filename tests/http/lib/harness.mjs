// harness.mjs - the one place the black-box suite talks to the outside world: temp stores, the
// real egov binary on free 127.0.0.1 ports, plain HTTP requests, raw TCP exchanges and CLI runs.
// Only node: modules. Every server started here is registered (pid file for run.sh) and stopped
// by the test file that started it; a crashed test file still kills its servers on exit.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BIN = process.env.EGOV_BIN;
export const DEMO_PASSWORD = 'Egov-Demo-2026';
const TMP_ROOT = process.env.EGOV_BB_TMP || os.tmpdir();
const PID_DIR = process.env.EGOV_BB_PIDS || '';

if (!BIN || !fs.existsSync(BIN)) {
  throw new Error('EGOV_BIN must name the egov binary (tests/http/run.sh sets it)');
}

const live = new Set();
function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

export function tmpDir(prefix) {
  return fs.mkdtempSync(path.join(TMP_ROOT, `${prefix}-`));
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the caller retries on a lost race). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs an egov subcommand to completion; never hangs (timeout) and never reads a terminal. */
export function runCli(args, { env = {}, timeoutMs = 60000 } = {}) {
  const r = spawnSync(BIN, args, {
    env: { ...process.env, EGOV_ADMIN_PASSWORD: '', EGOV_USER_PASSWORD: '', ...env },
    encoding: 'utf8',
    input: '',
    timeout: timeoutMs,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A demo province in a fresh SQLite file; copied from run.sh's template when there is one. */
export function demoStore(dir, name = 'demo.db') {
  const file = path.join(dir, name);
  const template = process.env.EGOV_BB_DEMO_TEMPLATE;
  if (template && fs.existsSync(template)) {
    fs.copyFileSync(template, file);
  } else {
    const r = runCli(['demo', '--db', `sqlite:${file}`], { timeoutMs: 120000 });
    assert.equal(r.status, 0, `egov demo failed: ${r.stderr}`);
  }
  return file;
}

/** A running `egov serve`. wrapper: argv prefix such as valgrind. */
export async function startServer({ dbFile, args = [], env = {}, wrapper = [], readyMs = 20000 }) {
  let lastErr;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const argv = [...wrapper, BIN, 'serve', '--db', `sqlite:${dbFile}`,
      '--listen', `127.0.0.1:${port}`, '--log-level', 'warn',
      // The suites log in far more often than a person would; a test of the limit sets it.
      '--rate-limit-anon', '0', ...args];
    const child = spawn(argv[0], argv.slice(1), {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    const pidFile = PID_DIR && child.pid ? path.join(PID_DIR, String(child.pid)) : '';
    if (pidFile) fs.writeFileSync(pidFile, argv.join(' '));
    const server = {
      port,
      base: `http://127.0.0.1:${port}`,
      child,
      stdout: '',
      stderr: '',
      exited: null,
    };
    const exitedP = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        server.exited = { code, signal };
        live.delete(child);
        if (pidFile) fs.rmSync(pidFile, { force: true });
        resolve(server.exited);
      });
    });
    child.stdout.on('data', (d) => { server.stdout += d; });
    child.stderr.on('data', (d) => { server.stderr += d; });
    server.stop = async (signal = 'SIGTERM', waitMs = 30000) => {
      if (server.exited) return server.exited;
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), waitMs);
      const r = await exitedP;
      clearTimeout(t);
      return r;
    };
    server.alive = () => server.exited === null;
    const ready = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), readyMs);
      const check = () => {
        if (/egov listening on http:\/\//.test(server.stdout)) {
          clearTimeout(timer);
          resolve('ready');
        }
      };
      child.stdout.on('data', check);
      exitedP.then(() => { clearTimeout(timer); resolve('exited'); });
      check();
    });
    if (ready === 'ready') return server;
    await server.stop('SIGKILL');
    lastErr = new Error(`egov serve did not start (${ready}) on port ${port}:\n${server.stderr}`);
    if (ready === 'timeout') break; /* a hang is not a port race */
  }
  throw lastErr;
}

/**
 * One HTTP request on its own connection. Resolves {status, headers, text, json}; rejects
 * if no complete answer arrives within timeoutMs (a hang is a failure, never a wait).
 * localAddress: the client's address (any of 127.0.0.0/8).
 */
export function request(server, method, urlPath, { headers = {}, body, timeoutMs = 10000, agent, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    let payload = body;
    const h = { ...headers };
    if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
      payload = JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
        h['Content-Type'] = 'application/json';
      }
    }
    if (payload !== undefined) h['Content-Length'] = Buffer.byteLength(payload);
    const req = http.request({
      host: '127.0.0.1',
      port: server.port,
      method,
      path: urlPath,
      headers: h,
      agent: agent || false,
      localAddress,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`${method} ${urlPath}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e) => { clearTimeout(timer); reject(e); });
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/**
 * Writes raw bytes to a fresh TCP connection and collects what comes back until the server
 * closes, the answer is complete (Content-Length reached) or timeoutMs passes. pieces: one
 * Buffer/string or an array written one by one, delayMs apart, with Nagle off so that each
 * piece is its own TCP segment. Write errors (the server closed early) are recorded, not thrown.
 * untilClose: keep reading past the first answer (pipelining) until the server closes.
 * localAddress: the client's address (any of 127.0.0.0/8), for per-address limits.
 */
export function rawExchange(port, pieces, { delayMs = 0, timeoutMs = 10000, halfClose = false, untilClose = false, localAddress } = {}) {
  const list = Array.isArray(pieces) ? pieces : [pieces];
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port, localAddress });
    sock.setNoDelay(true);
    const got = [];
    let writeError = null;
    let done = false;
    const finish = (how) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const data = Buffer.concat(got);
      resolve({ how, data, writeError, ...parseResponse(data) });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    sock.on('data', (d) => {
      got.push(d);
      const r = parseResponse(Buffer.concat(got));
      if (r.complete && !untilClose) finish('answered');
    });
    sock.on('end', () => finish('closed'));
    sock.on('close', () => finish('closed'));
    sock.on('error', (e) => {
      writeError = writeError || e;
      if (e.code === 'ECONNRESET') finish('reset');
    });
    sock.on('connect', async () => {
      for (let i = 0; i < list.length && !done; i++) {
        const ok = await new Promise((res) => {
          sock.write(list[i], (err) => {
            if (err) writeError = writeError || err;
            res(!err);
          });
        });
        if (!ok) break;
        if (delayMs && i + 1 < list.length) await sleep(delayMs);
      }
      if (halfClose && !done) sock.end();
    });
  });
}

/** Parses the first HTTP/1.x response in a buffer: status, headers (lower-case) and body. */
export function parseResponse(buf) {
  const text = buf.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: null, headers: {}, body: '', complete: false };
  const lines = text.slice(0, end).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const bodyBuf = buf.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
  const complete = len !== null && bodyBuf.length >= len;
  const body = (len !== null ? bodyBuf.subarray(0, len) : bodyBuf).toString('utf8');
  let json;
  try { json = body ? JSON.parse(body) : undefined; } catch { json = undefined; }
  return { status: m ? Number(m[1]) : null, headers, body, json, complete };
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** POST /api/v1/session; returns the grant with token, csrf_token and the cookie value. */
export async function login(server, loginName, password = DEMO_PASSWORD) {
  const r = await request(server, 'POST', '/api/v1/session', { body: { login: loginName, password } });
  assert.equal(r.status, 201, `login ${loginName}: ${r.status} ${r.text}`);
  assert.ok(r.json && r.json.token, 'login answers a token');
  return { ...r.json, bearer: { Authorization: `Bearer ${r.json.token}` } };
}

/**
 * Asserts an RFC 9457 problem answer: the status, application/problem+json, the members our
 * API promises (type, title, status, detail) and, with field, an errors[] entry naming it.
 */
export function assertProblem(res, status, { field, rule, what = '' } = {}) {
  const label = `${what ? `${what}: ` : ''}answer ${res.status} ${String(res.text ?? res.body).slice(0, 300)}`;
  assert.equal(res.status, status, label);
  const ct = (res.headers['content-type'] || '').split(';')[0].trim();
  assert.equal(ct, 'application/problem+json', `${label}: Content-Type`);
  const p = res.json;
  assert.ok(p && typeof p === 'object', `${label}: the body is a JSON object`);
  assert.equal(p.status, status, `${label}: problem.status`);
  for (const k of ['type', 'title', 'detail']) {
    assert.equal(typeof p[k], 'string', `${label}: problem.${k} is a string`);
    assert.ok(p[k].length > 0, `${label}: problem.${k} is not empty`);
  }
  if (field !== undefined) {
    assert.ok(Array.isArray(p.errors), `${label}: errors[] present`);
    const hit = p.errors.find((e) => e.field === field && (!rule || e.rule === rule));
    assert.ok(hit, `${label}: errors[] names field '${field}'${rule ? ` with rule ${rule}` : ''}`);
    assert.equal(typeof hit.message, 'string');
  }
  return p;
}

/** The egov_http_requests_total samples of a /metrics text: [{method, route, status, value}]. */
export function requestCounts(metricsText) {
  const out = [];
  const re = /^egov_http_requests_total\{(.*)\}\s+(\S+)$/gm; // route labels contain braces
  let m;
  while ((m = re.exec(metricsText))) {
    const labels = {};
    for (const l of m[1].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ ...labels, value: Number(m[2]) });
  }
  return out;
}
