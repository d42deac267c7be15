// keys.test.mjs - the signing key as an operator and a verifier meet it (docs/keys.md): egov serve
// refuses a key file that group or others may read; under crypto_suite sm2-sm3 an edition
// published over HTTP verifies with the documented openssl SM2/SM3 command (and not with the
// Ed25519 one); `egov keys rotate` retires the old key, `egov keys list` shows both, and the old
// edition still verifies with the old key's PEM while the new edition names the new key.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { demoStore, login, request, runCli, startServer, tmpDir } from './lib/harness.mjs';

const SM2 = ['-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678'];

/** Fetches edition n, its signature and its key's PEM into dir; answers the file names. */
async function fetchEdition(srv, dir, n) {
  const ed = await request(srv, 'GET', `/api/v1/catalogues/resources/editions/${n}`);
  assert.equal(ed.status, 200);
  const sig = await request(srv, 'GET', `/api/v1/catalogues/resources/editions/${n}/signature`);
  const list = await request(srv, 'GET', '/api/v1/catalogues/resources/editions');
  const keyId = list.json.items.find((e) => e.edition === n).key_id;
  assert.equal(ed.headers['x-egov-key-id'], keyId, 'the edition names its key');
  const pem = await request(srv, 'GET', `/api/v1/catalogues/public-key?key_id=${keyId}`);
  assert.equal(pem.status, 200);
  const f = {
    json: path.join(dir, `e${n}.json`), sig: path.join(dir, `e${n}.sig`), pem: path.join(dir, `${keyId}.pem`), keyId,
  };
  fs.writeFileSync(f.json, ed.text);
  fs.writeFileSync(f.sig, Buffer.from(sig.text.trim(), 'base64'));
  fs.writeFileSync(f.pem, pem.text);
  return f;
}

/** The exit status of docs/keys.md's verification command. */
function verify(f, pem, extra = []) {
  return spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pem, '-rawin', '-in', f.json,
    '-sigfile', f.sig, ...extra], { encoding: 'utf8' }).status;
}

async function publish(srv, who) {
  const r = await request(srv, 'POST', '/api/v1/catalogues/resources/editions', { headers: who.bearer });
  assert.equal(r.status, 201, r.text);
  return r.json.edition;
}

describe('signing keys', () => {
  const servers = [];
  after(async () => { for (const s of servers) await s.stop(); });

  test('egov serve refuses a key file that group or others may read', () => {
    const dir = tmpDir('keys-mode');
    const file = demoStore(dir);
    const key = path.join(dir, 'signing.key');
    execFileSync('openssl', ['genpkey', '-algorithm', 'ED25519', '-out', key]);
    fs.chmodSync(key, 0o644);
    const r = runCli(['serve', '--db', `sqlite:${file}`, '--listen', '127.0.0.1:0', '--signing-key', `file:${key}`]);
    assert.equal(r.status, 2, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, /mode_0600|chmod 600/);
    assert.doesNotMatch(r.stdout, /listening/);
  });

  test('sm2-sm3: an edition verifies with openssl SM2/SM3 and the GB/T 35276 id', async () => {
    const dir = tmpDir('keys-sm2');
    const file = demoStore(dir);
    const srv = await startServer({ dbFile: file, args: ['--crypto-suite', 'sm2-sm3'] });
    servers.push(srv);
    const m = await login(srv, 'gz.admin');
    const n = await publish(srv, m);
    const f = await fetchEdition(srv, dir, n);
    assert.match(f.keyId, /^sm2-[0-9a-f]{16}$/);
    const keys = await request(srv, 'GET', '/api/v1/signing-keys');
    assert.equal(keys.json.items[0].algorithm, 'sm2');
    assert.equal(verify(f, f.pem, SM2), 0, 'the documented SM2 command verifies');
    assert.notEqual(verify(f, f.pem, ['-digest', 'sm3', '-pkeyopt', 'distid:1234567812345679']), 0, 'another user id does not');
    fs.appendFileSync(f.json, ' ');
    assert.notEqual(verify(f, f.pem, SM2), 0, 'a changed edition does not');
    assert.equal(fs.statSync(path.join(dir, 'signing.key')).mode & 0o777, 0o600, 'the generated key file is 0600');
  });

  test('keys rotate: old editions keep verifying with the old key, new ones name the new key', async () => {
    const dir = tmpDir('keys-rotate');
    const file = demoStore(dir);
    const db = `sqlite:${file}`;
    let srv = await startServer({ dbFile: file });
    servers.push(srv);
    let m = await login(srv, 'gz.admin');
    const a = await fetchEdition(srv, dir, await publish(srv, m));
    await srv.stop();

    const rot = runCli(['keys', 'rotate', '--db', db]);
    assert.equal(rot.status, 0, rot.stderr);
    assert.match(rot.stdout, new RegExp(`${a.keyId} is retired`));
    const list = runCli(['keys', 'list', '--db', db]);
    assert.equal(list.status, 0, list.stderr);
    const lines = list.stdout.trim().split('\n');
    assert.equal(lines.length, 2, list.stdout);
    assert.match(lines.find((l) => l.startsWith(a.keyId)), / retired /);

    srv = await startServer({ dbFile: file });
    servers.push(srv);
    m = await login(srv, 'gz.admin');
    const b = await fetchEdition(srv, dir, await publish(srv, m));
    assert.notEqual(b.keyId, a.keyId);
    assert.equal(verify(a, a.pem), 0, 'the old edition verifies with the old key');
    assert.equal(verify(b, b.pem), 0, 'the new edition verifies with the new key');
    assert.notEqual(verify(a, b.pem), 0, 'not with the new key');
    const current = await request(srv, 'GET', '/api/v1/catalogues/public-key');
    assert.equal(current.headers['x-egov-key-id'], b.keyId);
    const audit = execFileSync('sqlite3', [file, "SELECT count(*) FROM audit_log WHERE action = 'signing_key.rotate'"], { encoding: 'utf8' });
    assert.equal(audit.trim(), '1');
  });
});
