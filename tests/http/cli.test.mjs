// cli.test.mjs - the egov command line as an operator uses it: exit codes of init, audit verify
// (with the SQLite file tampered through the sqlite3 CLI), user add / passwd / disable against a
// running server (a disabled person's token stops working at once), and unknown commands.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  assertProblem, demoStore, login, request, runCli, startServer, tmpDir,
} from './lib/harness.mjs';

const ADMIN_PW = 'Init-Admin-Pass-2026';

function sql(file, statement) {
  return execFileSync('sqlite3', ['-batch', '-bail', file, statement], { encoding: 'utf8', timeout: 20000 }).trim();
}

describe('egov init and unknown commands', () => {
  let dir;
  before(() => { dir = tmpDir('cli-init'); });

  test('init without --admin exits 2 and creates nothing', () => {
    const file = path.join(dir, 'noadmin.db');
    const r = runCli(['init', '--db', `sqlite:${file}`], { env: { EGOV_ADMIN_PASSWORD: ADMIN_PW } });
    assert.equal(r.status, 2, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, /--admin/, 'the message names the missing option');
    assert.ok(!fs.existsSync(file), 'no store file was created');
  });

  test('init without a password and without a terminal exits 2; a later init still works', () => {
    const file = path.join(dir, 'nopw.db');
    const r = runCli(['init', '--db', `sqlite:${file}`, '--admin', 'root.admin']);
    assert.equal(r.status, 2, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, /EGOV_ADMIN_PASSWORD/);
    const ok = runCli(['init', '--db', `sqlite:${file}`, '--admin', 'root.admin'], { env: { EGOV_ADMIN_PASSWORD: ADMIN_PW } });
    assert.equal(ok.status, 0, `second init: ${ok.stderr}`);
  });

  test('init exits 0, a second init exits non-zero and changes nothing', () => {
    const file = path.join(dir, 'twice.db');
    const db = `sqlite:${file}`;
    const r = runCli(['init', '--db', db, '--admin', 'root.admin'], { env: { EGOV_ADMIN_PASSWORD: ADMIN_PW } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /initialised/);
    const before = sql(file, 'SELECT count(*) FROM institutions; SELECT count(*) FROM people; SELECT count(*) FROM audit_log;');
    const again = runCli(['init', '--db', db, '--admin', 'other.admin'], { env: { EGOV_ADMIN_PASSWORD: ADMIN_PW } });
    assert.notEqual(again.status, 0, 'init twice must fail');
    assert.ok(again.stderr.length > 0, 'and say why');
    assert.equal(sql(file, 'SELECT count(*) FROM institutions; SELECT count(*) FROM people; SELECT count(*) FROM audit_log;'), before);
    const v = runCli(['audit', 'verify', '--db', db]);
    assert.equal(v.status, 0, `audit verify after init: ${v.stdout}${v.stderr}`);
  });

  test('unknown commands and options exit 2; help and version exit 0', () => {
    for (const argv of [['frobnicate'], ['--frobnicate'], ['audit'], ['audit', 'frob'], ['user', 'frob', '--login', 'x'],
      ['init', '--no-such-option', 'x'], ['serve', '--no-such-option']]) {
      const r = runCli(argv);
      assert.equal(r.status, 2, `egov ${argv.join(' ')}: exit ${r.status} ${r.stderr}`);
      assert.ok(r.stderr.length > 0, `egov ${argv.join(' ')} says what is wrong on stderr`);
    }
    const none = runCli([]);
    assert.equal(none.status, 2, 'egov without a command');
    for (const argv of [['help'], ['version'], ['serve', '--help']]) {
      const r = runCli(argv);
      assert.equal(r.status, 0, `egov ${argv.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0);
    }
  });
});

describe('egov audit verify on a tampered SQLite file', () => {
  let dir;
  let template;
  let n;
  before(() => {
    dir = tmpDir('cli-audit');
    template = demoStore(dir, 'template.db');
    n = Number(sql(template, 'SELECT count(*) FROM audit_log'));
    assert.ok(n >= 20, `the demo has an audit trail (${n} records)`);
  });

  function copy(name) {
    const file = path.join(dir, name);
    fs.copyFileSync(template, file);
    return file;
  }
  const verify = (file) => runCli(['audit', 'verify', '--db', `sqlite:${file}`]);
  const middle = () => Number(sql(template, `SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET ${Math.floor(n / 2)}`));

  test('an intact chain verifies with exit 0', () => {
    const r = verify(copy('intact.db'));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`\\b${n}\\b`), 'the verdict counts the records');
  });

  test("one record's changes edited: non-zero, and stdout names that record", () => {
    const file = copy('edited.db');
    const s = middle();
    sql(file, `UPDATE audit_log SET changes = '{"name":{"from":"a","to":"b"}}' WHERE seq = ${s}`);
    const r = verify(file);
    assert.notEqual(r.status, 0, 'an edited record must fail verification');
    assert.match(r.stdout, new RegExp(`\\b${s}\\b`), `stdout names seq ${s}: ${r.stdout}`);
  });

  test('a middle record deleted: non-zero', () => {
    const file = copy('deleted.db');
    const s = middle();
    sql(file, `DELETE FROM audit_log WHERE seq = ${s}`);
    const r = verify(file);
    assert.notEqual(r.status, 0, 'a deleted record must fail verification');
    const next = Number(sql(file, `SELECT min(seq) FROM audit_log WHERE seq > ${s}`));
    assert.match(r.stdout, new RegExp(`\\b(${s}|${next})\\b`), `stdout names the gap: ${r.stdout}`);
  });

  test('the newest record deleted: non-zero', () => {
    const file = copy('tail.db');
    sql(file, 'DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)');
    assert.notEqual(verify(file).status, 0, 'truncating the tail must fail verification');
  });

  test('two records swapped: non-zero', () => {
    const file = copy('swapped.db');
    const s = middle();
    sql(file, `UPDATE audit_log SET seq = -1 WHERE seq = ${s};
               UPDATE audit_log SET seq = ${s} WHERE seq = ${s + 1};
               UPDATE audit_log SET seq = ${s + 1} WHERE seq = -1;`);
    assert.notEqual(verify(file).status, 0, 'reordering must fail verification');
  });

  test('a forged record appended with the head moved to it: non-zero', () => {
    const file = copy('forged.db');
    sql(file, `INSERT INTO audit_log (seq, at, actor_id, actor_login, actor_institution_id, scope_institution_id,
                 action, object_type, object_id, changes, client_ip, request_id, prev_hash, hash)
               SELECT seq + 1, at + 1, actor_id, actor_login, actor_institution_id, scope_institution_id,
                 'person.delete', object_type, object_id, '{}', client_ip, request_id, hash, hash
               FROM audit_log ORDER BY seq DESC LIMIT 1;
               UPDATE audit_head SET seq = seq + 1, hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1);`);
    assert.notEqual(verify(file).status, 0, 'a forged record must fail verification');
  });
});

describe('egov user add / passwd / disable against a running server', () => {
  let dir;
  let file;
  let db;
  let srv;
  let instId;
  before(async () => {
    dir = tmpDir('cli-user');
    file = path.join(dir, 'users.db');
    db = `sqlite:${file}`;
    const r = runCli(['init', '--db', db, '--admin', 'root.admin'], { env: { EGOV_ADMIN_PASSWORD: ADMIN_PW } });
    assert.equal(r.status, 0, r.stderr);
    instId = /institution (\d+)/.exec(r.stdout)?.[1];
    assert.ok(instId, `init names the institution id: ${r.stdout}`);
    srv = await startServer({ dbFile: file });
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  test('user add: 0 with a password, a generated one without, non-zero for bad input', async () => {
    const add = runCli(['user', 'add', '--db', db, '--login', 'cli.alice', '--name', '李爱丽', '--institution', instId],
      { env: { EGOV_USER_PASSWORD: 'Alice-Pass-2026-a' } });
    assert.equal(add.status, 0, add.stderr);
    await login(srv, 'cli.alice', 'Alice-Pass-2026-a');

    const gen = runCli(['user', 'add', '--db', db, '--login', 'cli.bob', '--name', 'Bob Chen', '--institution', instId, '--team', 'administrative']);
    assert.equal(gen.status, 0, gen.stderr);
    const pw = /generated password: (\S+)/.exec(gen.stdout)?.[1];
    assert.ok(pw, `a generated password is printed once: ${gen.stdout}`);
    const bob = await login(srv, 'cli.bob', pw);
    assert.equal(bob.person.team, 'administrative');

    const dup = runCli(['user', 'add', '--db', db, '--login', 'cli.alice', '--name', 'Again', '--institution', instId],
      { env: { EGOV_USER_PASSWORD: 'Alice-Pass-2026-b' } });
    assert.notEqual(dup.status, 0, 'a taken login is refused');
    await login(srv, 'cli.alice', 'Alice-Pass-2026-a'); // the first Alice is untouched

    const noLogin = runCli(['user', 'add', '--db', db, '--name', 'X', '--institution', instId]);
    assert.equal(noLogin.status, 2, `missing --login: ${noLogin.status}`);
    const badInst = runCli(['user', 'add', '--db', db, '--login', 'cli.nobody', '--name', 'No Body', '--institution', '999'],
      { env: { EGOV_USER_PASSWORD: 'Nobody-Pass-2026' } });
    assert.notEqual(badInst.status, 0, 'an unknown institution is refused');
    const badLogin = runCli(['user', 'add', '--db', db, '--login', 'Bad Login!', '--name', 'Bad', '--institution', instId],
      { env: { EGOV_USER_PASSWORD: 'Nobody-Pass-2026' } });
    assert.notEqual(badLogin.status, 0, 'an invalid login is refused');
    assert.equal(sql(file, "SELECT count(*) FROM people WHERE login IN ('cli.nobody', 'Bad Login!')"), '0');
  });

  test('user passwd: 0; the old password and the old session stop working, the new one works', async () => {
    const before = await login(srv, 'cli.alice', 'Alice-Pass-2026-a');
    const r = runCli(['user', 'passwd', '--db', db, '--login', 'cli.alice'], { env: { EGOV_USER_PASSWORD: 'Alice-Pass-2026-new' } });
    assert.equal(r.status, 0, r.stderr);
    assertProblem(await request(srv, 'GET', '/api/v1/session', { headers: before.bearer }), 401, { what: 'old session' });
    assertProblem(await request(srv, 'POST', '/api/v1/session', { body: { login: 'cli.alice', password: 'Alice-Pass-2026-a' } }),
      401, { what: 'old password' });
    await login(srv, 'cli.alice', 'Alice-Pass-2026-new');
    const noPw = runCli(['user', 'passwd', '--db', db, '--login', 'cli.alice']);
    assert.equal(noPw.status, 2, 'no password and no terminal');
    const nobody = runCli(['user', 'passwd', '--db', db, '--login', 'no.such'], { env: { EGOV_USER_PASSWORD: 'Whatever-2026-x' } });
    assert.notEqual(nobody.status, 0, 'an unknown login');
  });

  test('user disable: 0; the person\'s live token stops working at once', async () => {
    const alice = await login(srv, 'cli.alice', 'Alice-Pass-2026-new');
    const ok = await request(srv, 'GET', '/api/v1/session', { headers: alice.bearer });
    assert.equal(ok.status, 200);
    const r = runCli(['user', 'disable', '--db', db, '--login', 'cli.alice']);
    assert.equal(r.status, 0, r.stderr);
    assertProblem(await request(srv, 'GET', '/api/v1/session', { headers: alice.bearer }), 401, { what: 'token after disable' });
    assertProblem(await request(srv, 'GET', `/api/v1/institutions/${instId}`, { headers: alice.bearer }), 401, { what: 'read after disable' });
    assertProblem(await request(srv, 'POST', '/api/v1/session', { body: { login: 'cli.alice', password: 'Alice-Pass-2026-new' } }),
      401, { what: 'login after disable' });
    const root = await login(srv, 'root.admin', ADMIN_PW);
    const people = await request(srv, 'GET', '/api/v1/people?q=cli.alice', { headers: root.bearer });
    const a = people.json.items.find((p) => p.login === 'cli.alice');
    assert.equal(a.enabled, false, 'the API shows the person disabled');
    const trail = await request(srv, 'GET', `/api/v1/audit?object_type=person&object_id=${a.id}`, { headers: root.bearer });
    assert.equal(trail.status, 200, trail.text);
    assert.ok(trail.json.items.length >= 2, 'the CLI\'s changes are in the audit trail');
    const nobody = runCli(['user', 'disable', '--db', db, '--login', 'no.such']);
    assert.notEqual(nobody.status, 0, 'an unknown login');
    const v = runCli(['audit', 'verify', '--db', db]);
    assert.equal(v.status, 0, `the chain holds after CLI and API writes: ${v.stdout}`);
  });
});

describe('egov serve configuration: flags > EGOV_* > INI, bad values refused', () => {
  let dir;
  let dbFile;
  before(() => {
    dir = tmpDir('cli-config');
    dbFile = demoStore(dir);
    fs.writeFileSync(path.join(dir, 'egov.ini'), '; test settings\n[egov]\nbody_max = 1100\n');
  });

  /** Is a body of n bytes refused as too large by a server started this way? */
  async function refuses(n, { args = [], env = {} }) {
    const srv = await startServer({ dbFile, args: ['--config', path.join(dir, 'egov.ini'), ...args], env });
    try {
      const r = await request(srv, 'POST', '/api/v1/session', {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ login: 'gz.admin', password: 'p'.repeat(n - 40) }),
      });
      return r.status === 413;
    } finally {
      await srv.stop();
    }
  }

  test('body_max comes from the flag, else the environment, else the INI file', { timeout: 60000 }, async () => {
    assert.equal(await refuses(1500, {}), true, 'INI body_max = 1100 refuses 1500 bytes');
    assert.equal(await refuses(1000, {}), false, 'INI body_max = 1100 accepts 1000 bytes');
    assert.equal(await refuses(1500, { env: { EGOV_BODY_MAX: '2100' } }), false, 'EGOV_BODY_MAX=2100 beats the INI file');
    assert.equal(await refuses(2500, { env: { EGOV_BODY_MAX: '2100' } }), true, 'EGOV_BODY_MAX=2100 refuses 2500 bytes');
    assert.equal(await refuses(2500, { env: { EGOV_BODY_MAX: '2100' }, args: ['--body-max', '3100'] }), false,
      '--body-max 3100 beats the environment');
  });

  test('bad settings exit 2 (and a taken port non-zero) at once, without serving', { timeout: 60000 }, async () => {
    const net = await import('node:net');
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const taken = blocker.address().port;
    fs.writeFileSync(path.join(dir, 'bad.ini'), '[egov]\nno_such_key = 1\n');
    try {
      const db = `sqlite:${dbFile}`;
      const cases = [
        [['--body-max', 'abc'], {}, 2],
        [['--body-max', '10'], {}, 2],
        [['--rate-limit', '-1'], {}, 2],
        [['--login-lock-after', 'many'], {}, 2],
        [['--listen', 'nonsense'], {}, 2],
        [['--config', path.join(dir, 'bad.ini')], {}, 2],
        [['--config', path.join(dir, 'missing.ini')], {}, 2],
        [[], { EGOV_BODY_MAX: 'zz' }, 2],
      ];
      for (const [args, env, want] of cases) {
        const r = runCli(['serve', '--db', db, '--listen', '127.0.0.1:0', ...args], { env, timeoutMs: 10000 });
        assert.equal(r.signal, null, `egov serve ${args.join(' ')} ${JSON.stringify(env)} did not exit by itself`);
        assert.equal(r.status, want, `egov serve ${args.join(' ')} ${JSON.stringify(env)}: exit ${r.status} ${r.stderr}`);
        assert.doesNotMatch(r.stdout, /listening/);
        assert.ok(r.stderr.trim().length > 0, 'and says why');
      }
      const busy = runCli(['serve', '--db', db, '--listen', `127.0.0.1:${taken}`], { timeoutMs: 10000 });
      assert.equal(busy.signal, null, 'a taken port does not hang');
      assert.notEqual(busy.status, 0, `a taken port: exit ${busy.status}`);
      assert.match(busy.stderr, /in use|listen/i);
      const scheme = runCli(['serve', '--db', 'mysql://x/y', '--listen', '127.0.0.1:0'], { timeoutMs: 10000 });
      assert.notEqual(scheme.status, 0, 'an unknown store scheme');
    } finally {
      blocker.close();
    }
  });
});

describe('audit checkpoints outside the store: the public feed, openssl, and egov audit verify --checkpoint', () => {
  let dir;
  let file;
  let cpFile;
  let srv;
  before(async () => {
    dir = tmpDir('cli-checkpoints');
    file = demoStore(dir, 'cp.db');
    cpFile = path.join(dir, 'audit-checkpoints.jsonl'); // the default: next to the SQLite store
    srv = await startServer({ dbFile: file, args: ['--jobs-interval-s', '0'] });
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  test('a catalogue edition publishes a signed checkpoint that anyone can fetch and check with openssl', async () => {
    const admin = await login(srv, 'gz.admin');
    const pub = await request(srv, 'POST', '/api/v1/catalogues/resources/editions', { headers: admin.bearer });
    assert.equal(pub.status, 201, pub.text);
    const r = await request(srv, 'GET', '/api/v1/audit/checkpoints'); // no login
    assert.equal(r.status, 200, r.text);
    const [cp] = r.json.items;
    assert.equal(cp.reason, 'catalogue:resources');
    assert.equal(cp.algorithm, 'ed25519');
    const lines = fs.readFileSync(cpFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.at(-1).seq, cp.seq, 'the file holds the same checkpoint');
    const key = await request(srv, 'GET', '/api/v1/catalogues/public-key');
    fs.writeFileSync(path.join(dir, 'egov.pem'), key.text);
    fs.writeFileSync(path.join(dir, 'cp.txt'), cp.signed_text);
    fs.writeFileSync(path.join(dir, 'cp.sig'), Buffer.from(cp.signature, 'base64'));
    const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', path.join(dir, 'egov.pem'), '-rawin',
      '-in', path.join(dir, 'cp.txt'), '-sigfile', path.join(dir, 'cp.sig')], { encoding: 'utf8' });
    assert.match(out, /Signature Verified Successfully/);
    const bad = await request(srv, 'GET', '/api/v1/audit/checkpoints?limit=0');
    assertProblem(bad, 422, { field: 'limit' });
  });

  test('records removed from the end with the head set back: verify passes, verify --checkpoint exits 1', async () => {
    await srv.stop();
    const db = `sqlite:${file}`;
    const ok = runCli(['audit', 'verify', '--db', db, '--checkpoint', cpFile, '--public-key', path.join(dir, 'egov.pem')]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const last = Number(sql(file, 'SELECT max(seq) FROM audit_checkpoints'));
    // A database administrator's truncation: no hash to compute, the head points at what is left.
    sql(file, `DELETE FROM audit_log WHERE seq >= ${last};
               UPDATE audit_head SET seq = ${last - 1}, hash = (SELECT hash FROM audit_log WHERE seq = ${last - 1});`);
    const alone = runCli(['audit', 'verify', '--db', db]);
    assert.equal(alone.status, 0, `the chain alone looks intact: ${alone.stdout}`);
    const r = runCli(['audit', 'verify', '--db', db, '--checkpoint', cpFile]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const line = fs.readFileSync(cpFile, 'utf8').trim().split('\n').length;
    assert.match(r.stdout, new RegExp(`checkpoint at line ${line} signed record ${last}`));
  });
});
