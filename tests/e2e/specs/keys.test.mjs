// Editions verify in the browser after a key rotation, under both crypto suites (issue 12): each
// suite gets a server of its own (a fresh demo store), an edition is published, the key is
// rotated with `egov keys rotate` against that store, the server restarts with the new key and
// publishes a second edition. On the portal both editions verify, each with the key it names
// (the first with the retired key), the OpenSSL command fits the algorithm, and the key list
// shows both keys with the first one retired.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiSession, openBrowser, shot, waitForText } from '../lib/harness.mjs';

const BIN = process.env.EGOV_E2E_BIN;
const WEB_ROOT = process.env.EGOV_E2E_WEB_ROOT;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/* Polls /readyz until the server answers (a condition, bounded by the test's own timeout). */
async function ready(base, child) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`egov serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/* A demo store of its own under one suite; start() / stop() one `egov serve` on it. */
function store(suite) {
  const dir = mkdtempSync(join(tmpdir(), 'egov-e2e-keys-'));
  const db = `sqlite:${join(dir, 'keys.db')}`;
  const env = { ...process.env, EGOV_CRYPTO_SUITE: suite };
  execFileSync(BIN, ['demo', '--db', db], { env, stdio: 'ignore' });
  let child = null;
  let base = null;
  return {
    db, env,
    get base() { return base; },
    async start() {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web-root', WEB_ROOT, '--log-level', 'warn'], { env, stdio: 'ignore' });
      await ready(base, child);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
    async remove() {
      await this.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function publish(base) {
  const gz = await apiSession('gz.admin', base);
  const r = await gz.call('POST', '/catalogues/products/editions');
  if (r.status >= 300) throw new Error(`publish: ${r.status} ${JSON.stringify(r.body)}`);
  const publisher = gz.session.institution.id;
  // The edition list names each edition's key.
  const list = await gz.call('GET', '/catalogues/products/editions');
  const e = list.body.items.find((x) => x.edition === r.body.edition && x.publisher_id === publisher);
  if (!e) throw new Error(`edition ${r.body.edition} is not listed: ${JSON.stringify(list.body)}`);
  return { ...e, publisher };
}

const SUITES = [
  { suite: 'ed25519-blake2b', algorithm: 'ed25519', label: 'Ed25519', sm3: false },
  { suite: 'sm2-sm3', algorithm: 'sm2', label: 'SM2/SM3', sm3: true },
];

describe('editions verify with the key each names, after a rotation', { skip: !BIN || !WEB_ROOT ? 'run through tests/e2e/run.sh' : false }, () => {
  for (const s of SUITES) {
    test(`${s.suite}: an edition signed before the rotation and one after both verify`, async (t) => {
      const st = store(s.suite);
      try {
        await check(t, st, s);
      } finally {
        await st.remove();
      }
    });
  }
});

async function check(t, st, s) {
  await st.start();
  const first = await publish(st.base);
  execFileSync(BIN, ['keys', 'rotate', '--db', st.db], { env: st.env, stdio: 'ignore' });
  // A node still holding the retired key refuses to sign: restart it with the new key.
  await st.stop();
  await st.start();
  const second = await publish(st.base);
  assert.notEqual(first.key_id, second.key_id);
  assert.ok(first.key_id.startsWith(`${s.algorithm}-`), first.key_id);

  const b = await openBrowser({ base: st.base });
  const { page } = b;
  try {
    await shot(t, page, async () => {
      for (const e of [first, second]) {
        await page.goto(`/portal/editions?tab=products&publisher=${e.publisher}&edition=${e.edition}`);
        const sig = page.getByTestId('edition-signature');
        await waitForText(sig, `第 ${e.edition} 版`);
        assert.equal((await page.getByTestId('edition-key-id').textContent()).trim(), e.key_id);
        await page.getByTestId('edition-verify').click();
        const verdict = page.getByTestId('edition-verdict');
        await verdict.waitFor();
        assert.match(await verdict.textContent(), /签名有效/);
        await waitForText(page.getByTestId('edition-algorithm'), s.label);
        const cmds = await page.getByTestId('edition-commands').textContent();
        assert.ok(cmds.includes(`/api/v1/catalogues/public-key?key_id=${e.key_id}`), cmds);
        assert.equal(cmds.includes('-digest sm3 -pkeyopt distid:1234567812345678'), s.sm3, cmds);
        await waitForText(page.getByTestId('public-key'), 'BEGIN PUBLIC KEY');
      }
      const keys = page.getByTestId('signing-keys');
      const old = keys.locator('.el-table__body tr', { hasText: first.key_id });
      const cur = keys.locator('.el-table__body tr', { hasText: second.key_id });
      await waitForText(cur, '使用中');
      assert.ok(!(await old.textContent()).includes('使用中'), 'the rotated-out key shows as retired');
      assert.equal(b.errors.length, 0, b.errors.join('\n'));
    });
  } finally {
    await b.close();
  }
}
