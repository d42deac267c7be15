// Service agreements (T5-8.2a), in order: management (gz.admin) drafts an agreement with
// 黔云数据科技有限公司, tries to sign the incomplete draft and reads the missing clauses by name;
// fills in the nine clauses, the SLA, the service content and the period, and signs. A member of
// the provider without a signing post (qy.ops) has no Sign button and is told why; the provider's
// administrator signs and the agreement is in force, with the expiry warning and without any edit
// control. Management records a breach and amends the agreement, which opens version 2.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RUN, apiSession, choose, dialog, fill, login, openBrowser, pickDate, settled, shot, waitForText } from '../lib/harness.mjs';
import { day, seedProviderPool } from '../lib/agreements.mjs';

const TITLE = `2027年度政务云存储服务协议${RUN}`;
const PROVIDER = '黔云数据科技有限公司';
const CLAUSES = {
  responsibilities: '双方责任', service_content: '服务内容', quality_standards: '质量考核标准', security: '安全保密要求',
  breach_liability: '违约责任', dispute_handling: '争议处理机制', ip_ownership: '知识产权归属', performance: '绩效考核要求',
  fee_payment: '费用支付',
};
const TEXT = {
  responsibilities: '甲方负责需求提出与监督考核；乙方负责服务的建设、运行和保障。',
  service_content: '乙方为甲方提供对象存储服务，含容灾备份。',
  quality_standards: '按月考核可用性及各级事件的响应、解决时限。',
  security: '乙方遵守数据安全与保密要求，人员签署保密承诺书。',
  breach_liability: '未达到可用性目标的，按差额比例扣减当月服务费。',
  dispute_handling: '双方协商解决；协商不成的，提交贵阳仲裁委员会仲裁。',
  ip_ownership: '服务过程中产生的数据及文档归甲方所有。',
  performance: '每季度进行一次绩效考核，结果计入信用评价。',
  fee_payment: '按月结算，甲方在收到发票后 30 日内支付。',
};

/* The message Element Plus shows after a write. */
const toast = (page, text) => waitForText(page.locator('.el-message'), text);

/* Confirms the message box with this title by its button. */
async function confirm(page, title, button) {
  await dialog(page, title).getByRole('button', { name: button }).click();
}

/* An Element Plus number input: type, then leave the field so that it takes the value. */
async function fillNumber(page, testid, value) {
  const input = page.getByTestId(testid).locator('input');
  await input.fill(String(value));
  await input.press('Tab');
}

describe('service agreements: drafting, signing by both parties, breaches and amendments', () => {
  const ids = {};

  before(async () => {
    const seed = await seedProviderPool('agr');
    ids.pool = seed.pool;
  });

  test('management (gz.admin) drafts, is refused with the missing clauses named, completes and signs', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin');
        await page.getByTestId('nav-agreements').click();
        await page.getByTestId('agr-create').click();
        const form = page.getByTestId('agr-create-form');
        await choose(form, '服务提供机构', PROVIDER);
        await fill(form, '协议名称', TITLE);
        await page.getByTestId('agr-create-save').click();
        await waitForText(page.getByTestId('agr-title'), TITLE);
        await waitForText(page.getByTestId('agr-state'), '草稿');
        await waitForText(page.getByTestId('agr-version'), '第 1 版');
        ids.agreement = Number(page.url().match(/agreements\/(\d+)/)[1]);
        await waitForText(page.getByTestId('agr-completeness'), '0 / 9 项条款已完整');
        await waitForText(page.getByTestId('agr-clause-security-status'), '待完善');

        // Signing the empty draft is refused, and each missing clause is named in words.
        await page.getByTestId('agr-sign-management').click();
        await confirm(page, '签署服务协议', '确认签署');
        const refusal = page.getByTestId('agr-sign-error');
        await waitForText(refusal, '协议尚不完整，不能签署');
        for (const name of Object.values(CLAUSES)) await waitForText(refusal, `“${name}”条款缺失`);
        await waitForText(refusal, '“服务内容”未列明任何服务产品或资源池');
        await waitForText(refusal, '未设定有效期');
        await waitForText(page.getByTestId('agr-state'), '草稿');

        // The nine clauses, the period (ending in 20 days: the expiry warning), content and SLA.
        const edit = page.getByTestId('agr-edit-form');
        await pickDate(edit, '生效日期', day(0));
        await pickDate(edit, '截止日期', day(20));
        for (const [c, text] of Object.entries(TEXT)) await page.getByTestId(`agr-text-${c}`).fill(text);
        await choose(edit, '资源池', ids.pool.name);
        await page.keyboard.press('Escape');
        await page.getByTestId('agr-availability').fill('99.95');
        await waitForText(page.getByTestId('agr-availability-bp'), '9,995 基点');
        const minutes = [[5, 60], [15, 240], [30, 480], [60, 1440]];
        for (const [i, [r, s]] of minutes.entries()) {
          await fillNumber(page, `agr-response-${i + 1}`, r);
          await fillNumber(page, `agr-resolution-${i + 1}`, s);
        }
        await waitForText(page.getByTestId('agr-completeness'), '9 / 9 项条款已完整');
        await waitForText(page.getByTestId('agr-clause-security-status'), '已完整');
        await page.getByTestId('agr-save').click();
        await toast(page, '协议草稿已保存');

        const api = await apiSession('gz.admin');
        const saved = (await api.call('GET', `/agreements/${ids.agreement}`)).body;
        assert.equal(saved.availability_bp, 9995);
        assert.deepEqual(saved.response_minutes, [5, 15, 30, 60]);
        assert.deepEqual(saved.resolution_minutes, [60, 240, 480, 1440]);
        assert.deepEqual(saved.pool_ids, [ids.pool.id]);
        assert.equal(saved.clauses.fee_payment, TEXT.fee_payment);

        // Management signs for its institution: the text is locked while the provider signs.
        await page.getByTestId('agr-sign-management').click();
        await confirm(page, '签署服务协议', '确认签署');
        await toast(page, '已代表本机构签署');
        await waitForText(page.getByTestId('agr-state'), '签署中');
        await waitForText(page.getByTestId('agr-signer-management'), '王建国');
        await waitForText(page.getByTestId('agr-signer-provider'), '尚未签署');
        await waitForText(page.getByTestId('agr-locked'), '内容已锁定');
        assert.equal(await page.getByTestId('agr-save').count(), 0);
        assert.equal(await page.getByTestId('agr-text-responsibilities').count(), 0);
        await waitForText(page.getByTestId('agr-view-fee_payment'), TEXT.fee_payment);
      });
    } finally {
      await b.close();
    }
  });

  test('a provider member without a signing post (qy.ops) cannot sign, and is told why', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'qy.ops');
        await page.getByTestId('nav-agreements').click();
        await page.getByRole('link', { name: TITLE }).click();
        await waitForText(page.getByTestId('agr-state'), '签署中');
        await waitForText(page.getByTestId('agr-no-sign-right'), '您没有签署服务协议的权限');
        assert.equal(await page.getByTestId('agr-sign-provider').count(), 0);
        assert.equal(await page.getByTestId('agr-sign-management').count(), 0);
        // The API refuses it too.
        const api = await apiSession('qy.ops');
        assert.equal((await api.call('POST', `/agreements/${ids.agreement}/signatures`)).status, 403);
      });
    } finally {
      await b.close();
    }
  });

  test('the provider (qy.admin) signs: the agreement is in force, warns of its expiry and has no edit controls', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'qy.admin');
        await page.getByTestId('nav-agreements').click();
        await page.getByRole('link', { name: TITLE }).click();
        await waitForText(page.getByTestId('agr-info'), '贵州省大数据发展管理局');
        await page.getByTestId('agr-sign-provider').click();
        await confirm(page, '签署服务协议', '确认签署');
        await toast(page, '双方均已签署，协议已生效');
        await waitForText(page.getByTestId('agr-state'), '生效中');
        await waitForText(page.getByTestId('agr-signer-provider'), '黄海涛');
        await waitForText(page.getByTestId('agr-expiry'), '20 天后到期');
        await waitForText(page.getByTestId('agr-locked'), '协议已生效，内容不可修改');
        for (const id of ['agr-save', 'agr-sign-provider', 'agr-sign-management', 'agr-amend', 'agr-text-security', 'agr-availability']) {
          assert.equal(await page.getByTestId(id).count(), 0, `${id} is shown on an agreement in force`);
        }
        await waitForText(page.getByTestId('agr-sla-availability'), '99.95%（9,995 基点）');
        await waitForText(page.getByTestId('agr-items'), ids.pool.name);

        // The list's expiry filter finds it, with the warning tag.
        await page.getByTestId('nav-agreements').click();
        await page.getByTestId('agr-filter-expiring').click();
        await settled(page);
        const row = page.locator('.el-table__body tr', { hasText: TITLE });
        await waitForText(row, '20 天后到期');
        await waitForText(row, '生效中');
      });
    } finally {
      await b.close();
    }
  });

  test('management records a breach and amends the agreement into version 2', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin');
        await page.goto(`/agreements/${ids.agreement}`);
        await waitForText(page.getByTestId('agr-state'), '生效中');
        assert.equal(await page.getByTestId('agr-save').count(), 0);
        assert.equal(await page.getByTestId('agr-text-responsibilities').count(), 0);

        await page.getByRole('tab', { name: '违约记录' }).click();
        await page.getByTestId('agr-breach-add').click();
        const dlg = dialog(page, '登记违约');
        await choose(dlg, '违反的条款', '质量考核标准');
        await fill(dlg, '违约事实', `对象存储服务中断 3 小时${RUN}`);
        await fill(dlg, '证据', '监控告警记录及工单 GZ-2026-118');
        await fill(dlg, '适用的违约责任', '扣减当月服务费 5%');
        await page.getByTestId('agr-breach-save').click();
        await toast(page, '违约记录已登记');
        const breach = page.getByTestId('agr-breaches').locator('.el-table__body tr', { hasText: `对象存储服务中断 3 小时${RUN}` });
        await waitForText(breach, '质量考核标准');
        await waitForText(breach, '扣减当月服务费 5%');
        await waitForText(breach, '王建国');

        await page.getByTestId('agr-amend').click();
        await confirm(page, '发起修订', '创建修订草稿');
        await toast(page, '已创建第 2 版草稿');
        await waitForText(page.getByTestId('agr-version'), '第 2 版');
        await waitForText(page.getByTestId('agr-state'), '草稿');
        const v2 = Number(page.url().match(/agreements\/(\d+)/)[1]);
        assert.notEqual(v2, ids.agreement);
        // The new draft starts from the text in force, editable again.
        assert.equal(await page.getByTestId('agr-text-fee_payment').inputValue(), TEXT.fee_payment);
        await waitForText(page.getByTestId('agr-completeness'), '9 / 9 项条款已完整');

        // Someone else saves the draft meanwhile: saving is refused as stale, and reloading
        // shows their text (the existing stale flow).
        const api = await apiSession('gz.admin');
        const before = await api.call('GET', `/agreements/${v2}`);
        const other = await api.call('PATCH', `/agreements/${v2}`, { performance: `每半年考核一次${RUN}` }, { 'If-Match': before.etag });
        assert.equal(other.status, 200);
        await page.getByTestId('agr-text-fee_payment').fill('按季度结算，甲方在收到发票后 15 日内支付。');
        await page.getByTestId('agr-save').click();
        await confirm(page, '记录已被他人修改', '重新加载最新内容');
        await page.waitForFunction((want) => document.querySelector('[data-testid="agr-text-performance"]')?.value === want, `每半年考核一次${RUN}`);
        assert.equal(await page.getByTestId('agr-text-fee_payment').inputValue(), TEXT.fee_payment);

        await page.getByRole('tab', { name: '版本历史' }).click();
        const versions = page.getByTestId('agr-versions');
        await waitForText(versions.locator('.el-table__body tr', { hasText: '第 1 版' }), '生效中');
        await waitForText(versions.locator('.el-table__body tr', { hasText: '第 2 版' }), '草稿');

        const amended = (await api.call('GET', `/agreements/${v2}`)).body;
        assert.equal(amended.previous_id, ids.agreement);
        assert.equal(amended.number, 2);
      });
    } finally {
      await b.close();
    }
  });
});
