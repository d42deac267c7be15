// usage.test.mjs - the usage ingest of the real binary: `egov usage import` killed with SIGKILL in
// the middle leaves whole chunks only (every batch row counts exactly the records it committed)
// and a re-run completes the file without a record twice; stdin and CSV work; POST /api/v1/usage
// takes a chunked NDJSON stream larger than body_max over a real socket.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { BIN, assertProblem, demoStore, login, request, runCli, sleep, startServer, tmpDir } from './lib/harness.mjs';

const CHUNK = 20000; // USAGE_CHUNK in src/domain/usage/usage.h
const BASE = 9000000000000000;
const POOL = BASE + 1; const PRODUCT = BASE + 2; const METRIC = BASE + 3; const ALLOCS = 50;

function sql(file, statement) {
  return execFileSync('sqlite3', ['-batch', '-bail', file, statement], { encoding: 'utf8', timeout: 30000 }).trim();
}

/* One provider's pool, allocations and a product with a metric on the pool, as plain SQL. */
function fixture(file) {
  const provider = "(SELECT id FROM institutions WHERE name = '黔云数据科技有限公司')";
  const user = "(SELECT id FROM institutions WHERE name = '贵州省公安厅')";
  let s = 'BEGIN;';
  s += `INSERT INTO resource_pools (id, provider_id, name, kind, unit, specification, capacity, allocated, region, security_level, status, created_at, updated_at, version) VALUES (${POOL}, ${provider}, 'usage test pool', 'compute', 'vcpu', 'x86', 1000, ${ALLOCS}, '520000', 3, 'active', 0, 0, 1);`;
  s += `INSERT INTO products (id, provider_id, name, category, description, state, region, created_at, updated_at, version) VALUES (${PRODUCT}, ${provider}, 'usage test product', 'operation_maintenance', 'x', 'online', '520000', 0, 0, 1);`;
  s += `INSERT INTO product_resources (product_id, pool_id) VALUES (${PRODUCT}, ${POOL});`;
  s += `INSERT INTO product_metrics (id, product_id, name, unit, method, list_price_fen, created_at) VALUES (${METRIC}, ${PRODUCT}, 'vcpu hours', 'h', 'hourly', 12, 0);`;
  for (let i = 0; i < ALLOCS; i++) {
    s += `INSERT INTO allocations (id, pool_id, user_id, application, quantity, status, created_at, updated_at, version) VALUES (${BASE + 100 + i}, ${POOL}, ${user}, 'app', 1, 'active', 0, 0, 1);`;
  }
  sql(file, `${s}COMMIT;`);
}

// 2024: the 600,000 records of the kill test reach into 2025, all of them in the past (a period
// that ends after now is refused, issue 12)
const T0 = Date.UTC(2024, 0, 1);
function records(n, prefix, csv = false, hour0 = 0) {
  const out = csv ? ['id,allocation_id,metric_id,quantity,start,end,source'] : [];
  for (let i = 0; i < n; i++) {
    const h = hour0 + Math.floor(i / ALLOCS);
    const start = new Date(T0 + h * 3600000).toISOString();
    const end = new Date(T0 + (h + 1) * 3600000).toISOString();
    const q = `${i % 97}.${String(i % 1000).padStart(3, '0')}`;
    const id = `${prefix}${String(i).padStart(9, '0')}`;
    out.push(csv ? `${id},${BASE + 100 + (i % ALLOCS)},${METRIC},${q},${start},${end},t`
      : JSON.stringify({ id, allocation_id: BASE + 100 + (i % ALLOCS), metric_id: METRIC, quantity: q, start, end }));
  }
  return `${out.join('\n')}\n`;
}

/* Every batch row counts exactly the records it stored: nothing half-committed. */
function assertWholeChunks(file) {
  const rows = sql(file, 'SELECT b.id, b.accepted, (SELECT COUNT(*) FROM usage_records r WHERE r.batch_id = b.id) FROM usage_batches b;');
  for (const line of rows.split('\n').filter(Boolean)) {
    const [id, accepted, stored] = line.split('|').map(Number);
    assert.equal(stored, accepted, `batch ${id}: row says ${accepted}, store holds ${stored}`);
  }
}

describe('egov usage import', () => {
  let dir; let file;
  before(() => {
    dir = tmpDir('usage');
    file = demoStore(dir, 'usage.db');
    fixture(file);
  });

  test('a kill in the middle loses no committed chunk and leaves no half chunk; the re-run completes it', async () => {
    const total = 30 * CHUNK; // large enough that the kill always comes before the end
    const data = path.join(dir, 'kill.ndjson');
    fs.writeFileSync(data, records(total, 'k'));
    const child = spawn(BIN, ['usage', 'import', data, '--db', `sqlite:${file}`], { stdio: 'ignore' });
    // wait until at least one chunk is committed, then kill without warning
    const deadline = Date.now() + 60000;
    let stored = 0;
    while (Date.now() < deadline) {
      await sleep(20);
      stored = Number(sql(file, "SELECT COUNT(*) FROM usage_records WHERE id LIKE 'k%';"));
      if (stored >= CHUNK) break;
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    stored = Number(sql(file, "SELECT COUNT(*) FROM usage_records WHERE id LIKE 'k%';"));
    assert.ok(stored >= CHUNK, `a chunk was committed before the kill (${stored})`);
    assert.ok(stored < total, 'the kill came before the end (make the file larger if this fails)');
    assert.equal(stored % CHUNK, 0, `only whole chunks are stored (${stored})`);
    assertWholeChunks(file);

    const again = runCli(['usage', 'import', data, '--db', `sqlite:${file}`], { timeoutMs: 300000 });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`${total} records .*: ${total - stored} accepted, ${stored} duplicated, 0 rejected`));
    assert.equal(Number(sql(file, "SELECT COUNT(*) FROM usage_records WHERE id LIKE 'k%';")), total);
    assertWholeChunks(file);
  });

  test('stdin and CSV; rejected records give exit 2 (invalid input) and are listed', () => {
    const csv = path.join(dir, 'in.csv');
    fs.writeFileSync(csv, `${records(100, 'c', true, 15000)}c-bad,${BASE + 100},${METRIC},-1,2025-12-01T00:00:00Z,2025-12-01T01:00:00Z,t\n`);
    const r = runCli(['usage', 'import', csv, '--db', `sqlite:${file}`]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout, /101 records .*: 100 accepted, 0 duplicated, 1 rejected/);
    assert.match(r.stdout, /line 101 +rejected +negative +quantity/);
    const batch = r.stdout.match(/^batch (\d+)/)[1];
    const o = runCli(['usage', 'outcomes', batch, '--db', `sqlite:${file}`]);
    assert.equal(o.status, 0, o.stderr);
    assert.match(o.stdout, /^101\tc-bad\trejected\tnegative\tquantity\t/);
    // the same file through stdin: nothing new, the bad record refused again
    const viaStdin = spawnSync(BIN, ['usage', 'import', '-', '--format', 'csv', '--db', `sqlite:${file}`],
      { input: fs.readFileSync(csv), encoding: 'utf8', timeout: 60000 });
    assert.equal(viaStdin.status, 2, viaStdin.stderr);
    assert.match(viaStdin.stdout, /101 records .*: 0 accepted, 100 duplicated, 1 rejected/);
  });

  test('a NUL byte in a CSV field refuses its record, naming the column (issue 12)', () => {
    const csv = path.join(dir, 'nul.csv');
    const head = 'id,allocation_id,metric_id,quantity,start,end\n';
    const row = (id, q, h) => Buffer.concat([Buffer.from(`${id},${BASE + 100},${METRIC},`), q,
      Buffer.from(`,${new Date(T0 + h * 3600000).toISOString()},${new Date(T0 + (h + 1) * 3600000).toISOString()}\n`)]);
    fs.writeFileSync(csv, Buffer.concat([Buffer.from(head),
      row('nul-1', Buffer.from([0x35, 0x00, 0x39]), 16000), row('nul-2', Buffer.from('5'), 16001)]));
    const r = runCli(['usage', 'import', csv, '--db', `sqlite:${file}`]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout, /2 records .*: 1 accepted, 0 duplicated, 1 rejected/);
    assert.match(r.stdout, /line 1 +rejected +nul +quantity/);
    assert.equal(sql(file, "SELECT quantity FROM usage_records WHERE id LIKE 'nul-%';"), '5000000');
  });
});

describe('POST /api/v1/usage over a socket', () => {
  let dir; let server; let token; let file;
  before(async () => {
    dir = tmpDir('usage-http');
    file = demoStore(dir, 'usage-http.db');
    fixture(file);
    server = await startServer({ dbFile: file, args: ['--body-max', '65536'] });
    token = (await login(server, 'qy.admin')).token;
  });
  after(async () => { await server?.stop(); });

  test('a chunked stream many times larger than body_max is taken whole', async () => {
    const n = 30000;
    const body = records(n, 'h'); // about 5 MB against a 64 KiB body limit
    const answer = await new Promise((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/v1/usage',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
      }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
      });
      req.on('error', reject);
      // chunked transfer: written in pieces that cut lines anywhere
      for (let o = 0; o < body.length; o += 40000) req.write(body.slice(o, o + 40000));
      req.end();
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.equal(answer.json.records, n);
    assert.equal(answer.json.accepted, n);
    assert.equal(answer.json.rejected, 0);
  });

  // Issue 12, defect 8: a megabyte of junk lines stores 1000 outcomes and a count, not 500,000
  // rows; the provider's next batch is refused while its rejected lines exceed the limit.
  test('junk is counted, not stored, and holds the sender back', async () => {
    const junk = 'x\n'.repeat(512 * 1024);
    const r = await request(server, 'POST', '/api/v1/usage', {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' }, body: junk,
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rejected, 512 * 1024);
    assert.equal(r.json.outcomes_not_stored, 512 * 1024 - 1000);
    assert.equal(sql(file, `SELECT COUNT(*) FROM usage_outcomes WHERE batch_id = ${r.json.batch_id};`), '1000');
    const again = await request(server, 'POST', '/api/v1/usage', {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' }, body: 'x\n',
    });
    const p = assertProblem(again, 429);
    assert.equal(p.rule, 'rejected_volume');
    assert.ok(Number(again.headers['retry-after']) >= 1, `Retry-After: ${again.headers['retry-after']}`);
  });

  // Issue 12, defect 6: an encoded NUL in a query parameter never passes as the text before it
  // (libmicrohttpd 0.9.75 leaves %00 encoded, so the field's own rule refuses it; a decoded NUL
  // would be refused by the server's NUL check, rule `nul`), and "\u0000" in a JSON body is a
  // 422 naming the field instead of a text cut at the NUL.
  test('NUL in a query parameter or a JSON body is a 422 naming the field', async () => {
    const r = await request(server, 'GET', '/api/v1/allocations?user_id=1%002', { headers: { Authorization: `Bearer ${token}` } });
    assertProblem(r, 422, { field: 'user_id' });
    const page = await request(server, 'GET', '/api/v1/allocations?limit=1%000', { headers: { Authorization: `Bearer ${token}` } });
    assertProblem(page, 422, { field: 'limit' });
    const body = await request(server, 'POST', '/api/v1/resource-pools', {
      headers: { Authorization: `Bearer ${token}` },
      body: '{"name":"n\\u0000x","kind":"compute","unit":"vcpu","specification":"x","capacity":1,"region":"520000","security_level":3}',
    });
    assert.equal(body.status, 415, 'no JSON content type: refused before parsing');
    const json = await request(server, 'POST', '/api/v1/resource-pools', {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{"name":"n\\u0000x","kind":"compute","unit":"vcpu","specification":"x","capacity":1,"region":"520000","security_level":3}',
    });
    assertProblem(json, 422, { field: 'name', rule: 'nul' });
  });
});

// The month-end work through the CLI on the real binary: rate, verify, issue, correct with a
// reason, export, settle. The bill's total is computed here from the records sent (BigInt, list
// price 12 fen, one line: half up once).
describe('egov billing', () => {
  let dir; let file; let db;
  before(() => {
    dir = tmpDir('billing');
    file = demoStore(dir, 'billing.db');
    db = `sqlite:${file}`;
    fixture(file);
  });

  function expectedFen(text) {
    let q = 0n;
    for (const line of text.split('\n').filter(Boolean)) {
      const [w, f = ''] = JSON.parse(line).quantity.split('.');
      q += BigInt(w) * 1000000n + BigInt(f.padEnd(6, '0'));
    }
    return (q * 12n * 10000n + 5000000000n) / 10000000000n;
  }

  test('run, verify, issue, correction with a reason, exports, settlement', () => {
    const first = records(1000, 'b1-');
    fs.writeFileSync(path.join(dir, 'm1.ndjson'), first);
    assert.equal(runCli(['usage', 'import', path.join(dir, 'm1.ndjson'), '--db', db]).status, 0);
    let r = runCli(['billing', 'run', '2026-1', '--db', db]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /period/);
    // issue 12: months that have not ended are not rated
    r = runCli(['billing', 'run', '2099-01', '--db', db]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /has not ended/);
    r = runCli(['billing', 'run', '2024-01', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1000 records rated into 1 draft bills/);
    assert.equal(sql(file, "SELECT total_fen FROM bills WHERE period = '2024-01';"), String(expectedFen(first)));
    r = runCli(['billing', 'verify', '2024-01', '--db', db]);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, / 0 differences/);
    r = runCli(['billing', 'issue', '2024-01', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 bills issued/);
    // nothing new: nothing to correct
    r = runCli(['billing', 'run', '2024-01', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 unchanged/);
    // late records of the month: a correction needs a reason
    const late = records(100, 'b2-', false, 40);
    fs.writeFileSync(path.join(dir, 'm2.ndjson'), late);
    assert.equal(runCli(['usage', 'import', path.join(dir, 'm2.ndjson'), '--db', db]).status, 0);
    r = runCli(['billing', 'run', '2024-01', '--db', db]);
    assert.equal(r.status, 5, 'a conflict (README: exit codes)');
    assert.match(r.stderr, /reason/);
    r = runCli(['billing', 'run', '2024-01', '--reason', 'late records', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 corrections/);
    assert.equal(sql(file, "SELECT total_fen FROM bills WHERE period = '2024-01' AND version = 2;"),
      String(expectedFen(first + late)));
    assert.equal(runCli(['billing', 'issue', '2024-01', '--db', db]).status, 0);
    assert.equal(sql(file, "SELECT state FROM bills WHERE period = '2024-01' AND version = 1;"), 'superseded');
    // exports
    const id = sql(file, "SELECT id FROM bills WHERE period = '2024-01' AND version = 2;");
    const xlsx = path.join(dir, 'bill.xlsx');
    r = runCli(['billing', 'export', 'bill', id, '--format', 'xlsx', '--output', xlsx, '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(xlsx).subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    r = runCli(['billing', 'export', 'bill', id, '--output', '-', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.startsWith('\ufeff'), 'CSV starts with a BOM');
    const fen = expectedFen(first + late);
    assert.ok(r.stdout.includes(`${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`), 'the total in yuan');
    r = runCli(['billing', 'export', 'bill', '1', '--db', db]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no bill 1/);
    // settlement
    r = runCli(['billing', 'settle', '2024-01', '--issue', '--db', db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 statements issued/);
    assert.equal(sql(file, "SELECT net_fen FROM settlements WHERE state = 'issued';"), String(fen));
    // verify finds a tampered day
    sql(file, 'UPDATE usage_daily SET records = records + 1 WHERE rowid IN (SELECT rowid FROM usage_daily LIMIT 1);');
    r = runCli(['billing', 'verify', '2024-01', '--db', db]);
    assert.equal(r.status, 2, r.stdout);
  });
});
