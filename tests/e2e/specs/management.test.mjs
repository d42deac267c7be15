// Management institution: the provincial administrator sees the jurisdiction, registers an
// institution, edits it; a wrong credit code is marked on the field; two people editing the
// same institution — the second is told and can reload.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RUN, apiSession, choose, dialog, field, fieldError, fill, login, makeUscc, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';

describe('management administrator (gz.admin)', () => {
  let b;
  before(async () => { b = await openBrowser(); await login(b.page, 'gz.admin'); });
  after(async () => { await b?.close(); });

  test('home dashboard shows the jurisdiction in charts and numbers', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      await page.goto('/');
      await waitForText(page.locator('h2'), '辖区机构类型分布');
      await waitForText(page.locator('h2'), '未来 90 天到期的证书与资质');
      await waitForText(page.locator('h2'), '近期审计活动');
      await settled(page);
      assert.ok(await page.locator('.echart canvas').count() >= 4, 'the four charts are drawn');
      await page.waitForFunction(() => document.querySelector('[data-testid=stat-institutions] .el-statistic__number')?.textContent?.trim() === '20');
      // Menus of a management official: institutions, people, posts, audit.
      for (const m of ['nav-institutions', 'nav-people', 'nav-posts', 'nav-audit']) await page.getByTestId(m).waitFor();
    });
  });

  test('registers an institution, sees it in the tree, and edits it', async (t) => {
    const { page } = b;
    const name = `黔东数智科技有限公司${RUN}`;
    const uscc = makeUscc(Date.now() % 100000000);
    await shot(t, page, async () => {
      await page.getByTestId('nav-institutions').click();
      await page.getByTestId('inst-tree').waitFor();
      await page.getByTestId('inst-create').click();
      const form = page.getByTestId('inst-form');
      await fill(form, '机构名称', name);
      await fill(form, '统一社会信用代码', uscc);
      await choose(form, '机构类型', '服务提供机构');
      await choose(form, '层级', '市级');
      await choose(form, '上级管理机构', '贵阳市大数据发展管理局');
      await fill(form, '行政区划代码', '520100');
      await fill(form, '联系人', '张伟');
      await page.getByTestId('inst-save').click();
      // The detail page of the new institution.
      await waitForText(page.getByTestId('inst-title'), name);
      assert.equal((await page.getByTestId('inst-uscc').textContent()).trim(), uscc);
      await waitForText(page.getByTestId('inst-info'), '贵阳市大数据发展管理局');

      // It is in the jurisdiction tree and found by the search.
      await page.getByTestId('nav-institutions').click();
      await waitForText(page.getByTestId('inst-tree'), name);
      await page.getByTestId('inst-search').fill(uscc);
      await page.getByTestId('inst-search-submit').click();
      await settled(page);
      await waitForText(page.locator('.el-table__body'), name);
      await waitForText(page.getByTestId('list-total'), '共 1 条');

      // Edit: a new contact phone.
      await page.locator('.el-table__body tr', { hasText: name }).getByRole('button', { name: '编辑' }).click();
      const edit = page.getByTestId('inst-form');
      await page.waitForFunction(() => document.querySelector('[data-testid=f-name]')?.value !== '');
      await fill(edit, '联系电话', '0851-88886666');
      await page.getByTestId('inst-save').click();
      await waitForText(page.getByTestId('inst-contact-phone'), '0851-88886666');
      await waitForText(page.locator('.el-message'), '机构信息已保存');
    });
  });

  test('a wrong credit code is marked on the field with the reason', async (t) => {
    const { page } = b;
    const good = makeUscc((Date.now() + 7) % 100000000);
    const wrong = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    await shot(t, page, async () => {
      await page.goto('/institutions/new');
      const form = page.getByTestId('inst-form');
      await fill(form, '机构名称', `校验位错误测试单位${RUN}`);
      await fill(form, '统一社会信用代码', wrong);
      await choose(form, '机构类型', '用户单位');
      await choose(form, '层级', '省级');
      await fill(form, '行政区划代码', '520000');
      await page.getByTestId('inst-save').click();
      const msg = await fieldError(form, '统一社会信用代码');
      assert.match(msg, /校验位（第 18 位，GB 32100）不正确/);
      // Nothing else is marked, and the person stays on the form.
      assert.equal(await field(form, '机构名称').locator('.el-form-item__error').count(), 0);
      assert.match(page.url(), /\/institutions\/new$/);
    });
  });

  test('an edit that lost the race is told so and can reload', async (t) => {
    const { page } = b;
    // A user agency to edit, registered through the API for this test.
    const api = await apiSession('gz.admin');
    const created = await api.call('POST', '/institutions', {
      uscc: makeUscc((Date.now() + 13) % 100000000, '520000'), name: `并发编辑测试厅${RUN}`, kind: 'user', level: 'provincial',
      parent_id: api.session.institution.id, region: '520000', contact_name: '原联系人',
    });
    assert.equal(created.status, 201);
    const id = created.body.id;
    // A second official of the same institution, in a browser of their own.
    const second = await openBrowser();
    try {
      await login(second.page, 'gz.admin');
      await shot(t, page, async () => {
        await page.goto(`/institutions/${id}/edit`);
        await second.page.goto(`/institutions/${id}/edit`);
        for (const p of [page, second.page]) await p.waitForFunction(() => document.querySelector('[data-testid=f-contact-name]')?.value === '原联系人');
        // The other person saves first.
        await fill(second.page.getByTestId('inst-form'), '联系人', '先保存的人');
        await second.page.getByTestId('inst-save').click();
        await waitForText(second.page.getByTestId('inst-contact-name'), '先保存的人');
        // This person, still on the old version, saves and is told.
        await fill(page.getByTestId('inst-form'), '联系人', '后保存的人');
        await page.getByTestId('inst-save').click();
        const box = dialog(page, '记录已被他人修改');
        await waitForText(box, '其他人已修改并保存了这条记录');
        await box.getByRole('button', { name: '重新加载最新内容' }).click();
        await page.waitForFunction(() => document.querySelector('[data-testid=f-contact-name]')?.value === '先保存的人');
        // Now the change applies on top of the current version.
        await fill(page.getByTestId('inst-form'), '联系人', '后保存的人');
        await page.getByTestId('inst-save').click();
        await waitForText(page.getByTestId('inst-contact-name'), '后保存的人');
      });
    } finally {
      await second.close();
    }
  });
});
