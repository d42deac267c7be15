/*
 * demo_supply.c - `egov demo --supply`: the whole service chain of the demo province, so that
 * every page of the console has something to show. Pools of the providers and their conformity
 * tests, two products of 黔云 taken online after a test by 黔安, the price basis 黔安 publishes
 * (graduated tiers per service level, one flat basis, one metric left at its list price), budget
 * lines, orders applied, approved and delivered, three whole months (CST) of usage before the
 * current one, bills (two months issued, the newest a draft), settlement statements with a
 * quality coefficient and the budget alert the smallest line runs into.
 *
 * Every row is made by the service the API calls, acting as the institution whose act it is
 * (ctx->caller set to that institution's demo administrator), so everything is validated and
 * audited like a real request. It writes no SQL and knows no table. Usage is generated
 * deterministically (a hash of the series and the slot, not rand()), so two runs on two stores
 * produce the same records and the same bills.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "demo.h"
#include "domain/billing/billing.h"
#include "domain/order/order.h"
#include "domain/org/org.h"
#include "domain/org/org_store.h"
#include "domain/product/product.h"
#include "domain/resource/resource.h"
#include "domain/usage/usage.h"
#include "core/banned.h"

#define N_MONTHS  3
#define MAX_ALLOC 16

struct alloc_ref {
    int64_t id, quantity;
    bool is_compute;
};

struct supply {
    struct ctx *ctx;
    int64_t qianyun, qianan;                 /* institutions */
    int64_t pool_vcpu, pool_ssd;             /* 黔云's pools the products are made of */
    int64_t m_vcpu, m_mem, m_traffic, m_ssd; /* metrics */
    int64_t year;                            /* current CST year: the fiscal year */
    char periods[N_MONTHS][16];              /* oldest first */
    int64_t month_start[N_MONTHS + 1];       /* Unix ms, CST month starts */
    struct alloc_ref allocs[MAX_ALLOC];
    int n_allocs;
    /* the summary */
    int n_pools, n_tests, n_products, n_bases, n_lines, n_orders;
    int64_t n_records, n_bills_issued, n_bills_draft, n_statements, n_alerts;
};

#define TRY(x)                                                                                     \
    do {                                                                                           \
        if ((x) < 0)                                                                               \
            return -1;                                                                             \
    } while (0)

/* Acts as the demo person with this login: the caller a session of theirs would give. */
static int act_as(struct supply *s, const char *login)
{
    struct ctx *c = s->ctx;
    struct person p;
    struct institution inst;
    memset(&c->caller, 0, sizeof(c->caller));
    c->caller.is_system = true; /* to read the person and the institution */
    int rc = org_store_person_by_login(c, login, &p, NULL);
    if (rc <= 0)
        return rc < 0 ? -1
                      : err_set(&c->err, ERR_NOT_FOUND,
                                "demo login %s is missing: run egov demo on an empty store", login);
    if (institution_lookup(c, p.institution_id, &inst) < 0)
        return -1;
    memset(&c->caller, 0, sizeof(c->caller));
    c->caller.person_id = p.id;
    c->caller.institution_id = p.institution_id;
    c->caller.login = p.login;
    c->caller.name = p.name;
    c->caller.inst_kind = inst.kind;
    c->caller.inst_level = inst.level;
    c->caller.is_admin = p.is_admin;
    return 0;
}

/* Back to the operator of `egov demo` (the usage import is the operator's, as in usage_cli.c). */
static void act_as_operator(struct supply *s)
{
    memset(&s->ctx->caller, 0, sizeof(s->ctx->caller));
    s->ctx->caller.is_system = true;
    s->ctx->caller.login = "demo";
}

static int institution_of(struct supply *s, const char *login, int64_t *id)
{
    TRY(act_as(s, login));
    *id = s->ctx->caller.institution_id;
    return 0;
}

static const char *today_cst(struct supply *s)
{
    char *buf = arena_alloc(s->ctx->arena, 16);
    time_format_date(time_now_ms(), 8 * 60, buf, 16);
    return buf;
}

/* The three whole months before the current one (CST), oldest first, and their bounds. */
static int months(struct supply *s)
{
    const char *t = today_cst(s);
    int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int m = (t[5] - '0') * 10 + (t[6] - '0');
    s->year = y;
    for (int i = 0; i <= N_MONTHS; i++) {
        int k = y * 12 + (m - 1) - N_MONTHS + i;
        char start[40];
        snprintf(start, sizeof(start), "%04d-%02d-01T00:00:00+08:00", k / 12, k % 12 + 1);
        if (time_parse(start, &s->month_start[i]) < 0)
            return err_set(&s->ctx->err, ERR_INTERNAL, "cannot compute the month %s", start);
        if (i < N_MONTHS)
            snprintf(s->periods[i], sizeof(s->periods[i]), "%04d-%02d", k / 12, k % 12 + 1);
    }
    return 0;
}

/* ---------- resources ---------- */

static int pool(struct supply *s, const char *name, const char *kind, const char *unit,
                const char *spec, int64_t capacity, const char *region, int64_t *id)
{
    struct pool_input in;
    struct pool out;
    memset(&in, 0, sizeof(in));
    in.v.name = name;
    in.v.kind = kind;
    in.v.unit = unit;
    in.v.specification = spec;
    in.v.capacity = capacity;
    in.v.region = region;
    in.v.security_level = 3;
    TRY(pool_create(s->ctx, &in, &out));
    s->n_pools++;
    *id = out.id;
    return 0;
}

/* Management assigns 黔安 (no interest relation with any provider, T5-8.2f); 黔安 passes it. */
static int conformity(struct supply *s, int64_t pool_id, const char *report)
{
    struct conformity_test t, res;
    TRY(act_as(s, "gz.admin"));
    TRY(conformity_assign(s->ctx, pool_id, s->qianan, &t));
    TRY(act_as(s, "qa.admin"));
    memset(&res, 0, sizeof(res));
    res.status = "passed";
    res.findings = "";
    res.report_ref = report;
    res.tested_on = today_cst(s);
    TRY(conformity_record(s->ctx, t.id, &res, &t));
    s->n_tests++;
    return 0;
}

static int resources(struct supply *s)
{
    int64_t zc_mem, zc_obj, zs_gpu;
    TRY(act_as(s, "qy.admin"));
    TRY(pool(s, "黔云政务云计算资源池", "compute", "vcpu",
             "鲲鹏920 / 海光7285 双栈宿主机，vCPU:内存 1:4，单虚拟机最大 64 vCPU", 1024, "520000",
             &s->pool_vcpu));
    TRY(pool(s, "黔云高性能块存储池", "storage", "block_gib_ssd",
             "全闪存分布式块存储，三副本，单盘最大 32 TiB，IOPS 不低于 50000", 200000, "520000",
             &s->pool_ssd));
    TRY(act_as(s, "zc.admin"));
    TRY(pool(s, "筑城云内存资源池", "compute", "memory_gib", "x86 宿主机内存资源，按 GiB 分配",
             16384, "520100", &zc_mem));
    TRY(pool(s, "筑城云对象存储池", "storage", "object_gib",
             "兼容 S3 接口的对象存储，纠删码 8+4，同城双活", 500000, "520100", &zc_obj));
    TRY(act_as(s, "zs.admin"));
    TRY(pool(s, "遵义智算GPU资源池", "compute", "gpu", "推理加速卡，单卡 24 GiB 显存", 64, "520300",
             &zs_gpu));
    TRY(conformity(s, s->pool_vcpu, "黔安测(资源)第001号"));
    TRY(conformity(s, s->pool_ssd, "黔安测(资源)第002号"));
    TRY(conformity(s, zc_mem, "黔安测(资源)第003号"));
    TRY(conformity(s, zc_obj, "黔安测(资源)第004号"));
    /* The GPU pool stays untested, so the catalogue of conformant resources leaves it out. */
    int64_t edition;
    int n;
    TRY(act_as(s, "gz.admin"));
    return resource_catalogue_publish(s->ctx, &edition, &n);
}

/* ---------- products and prices ---------- */

static int metric(struct supply *s, int64_t product_id, const char *name, const char *unit,
                  const char *method, int64_t list_price_fen, int64_t *id)
{
    struct metric in, out;
    memset(&in, 0, sizeof(in));
    in.name = name;
    in.unit = unit;
    in.method = method;
    in.list_price_fen = list_price_fen;
    TRY(metric_add(s->ctx, product_id, &in, &out));
    *id = out.id;
    return 0;
}

/* The provider creates and submits; management assigns 黔安, which passes it; the provider
 * launches (T5-7.2e: online only after a passed test by an independent evaluator). The metrics
 * are added by add_metrics between creation and submission, while the product is a draft. */
static int product(struct supply *s, const char *name, const char *description, int64_t pool_id,
                   int (*add_metrics)(struct supply *, int64_t), int64_t *id)
{
    struct product_input in;
    struct product p;
    struct product_test t, res;
    int64_t pools[1] = {pool_id};
    TRY(act_as(s, "qy.admin"));
    memset(&in, 0, sizeof(in));
    in.has = PRODUCT_F_NAME | PRODUCT_F_CATEGORY | PRODUCT_F_DESCRIPTION | PRODUCT_F_REGION |
             PRODUCT_F_POOLS;
    in.v.name = name;
    in.v.category = "operation_maintenance";
    in.v.description = description;
    in.v.region = "520000";
    in.v.pool_ids = pools;
    in.v.n_pools = 1;
    TRY(product_create(s->ctx, &in, &p));
    TRY(add_metrics(s, p.id));
    TRY(product_act(s->ctx, p.id, "submit", NULL, &p));
    TRY(act_as(s, "gz.admin"));
    TRY(product_test_assign(s->ctx, p.id, s->qianan, &t));
    TRY(act_as(s, "qa.admin"));
    memset(&res, 0, sizeof(res));
    res.status = "passed";
    res.findings = "";
    res.report_ref = arena_printf(s->ctx->arena, "黔安测(产品)第%03d号", s->n_products + 1);
    res.tested_on = today_cst(s);
    TRY(product_test_record(s->ctx, t.id, &res, &t));
    TRY(act_as(s, "qy.admin"));
    TRY(product_act(s->ctx, p.id, "launch", NULL, &p));
    s->n_products++;
    *id = p.id;
    return 0;
}

static int compute_metrics(struct supply *s, int64_t product_id)
{
    TRY(metric(s, product_id, "vCPU使用时长", "核·时",
               "按虚拟机运行时长乘以 vCPU 核数，每 6 小时汇总", 18, &s->m_vcpu));
    TRY(metric(s, product_id, "内存使用量", "GiB·时", "按虚拟机运行时长乘以内存规格，每 6 小时汇总",
               2, &s->m_mem));
    return metric(s, product_id, "公网出流量", "GB", "按出口流量计，每日汇总", 30, &s->m_traffic);
}

static int storage_metrics(struct supply *s, int64_t product_id)
{
    return metric(s, product_id, "SSD块存储占用", "GiB·日", "按每日零点已分配容量计", 1, &s->m_ssd);
}

/* The bases start in the oldest month of usage, before the current month: 贵州 management
 * records why first (issue 12: a back-dated basis needs a recorded reason). */
static int backdating(struct supply *s, int64_t product_id, int64_t metric_id)
{
    struct price_backdating in, out;
    memset(&in, 0, sizeof(in));
    in.valid_from = arena_printf(s->ctx->arena, "%s-01", s->periods[0]);
    if (strcmp(in.valid_from, price_month_start(s->ctx)) >= 0)
        return 0;
    in.reason = "服务迁移上平台，按迁移前已执行的价格补录计价依据";
    TRY(price_backdating_grant(s->ctx, product_id, metric_id, &in, &out));
    return 0;
}

/* 黔安, which tested the product, publishes its price basis from the first day of the oldest
 * month of usage (T5-7.2e). rates: level, tier_from, unit price as exact decimal text. */
static int basis(struct supply *s, int64_t product_id, int64_t metric_id, int64_t price_fen,
                 const char *measurement, const char *const (*rates)[3], int n_rates)
{
    struct price_basis in, out;
    struct price_rate r[MAX_PRICE_RATES];
    memset(&in, 0, sizeof(in));
    for (int i = 0; i < n_rates; i++) {
        memset(&r[i], 0, sizeof(r[i]));
        r[i].service_level = rates[i][0];
        r[i].tier_from_text = rates[i][1];
        r[i].unit_price_text = rates[i][2];
    }
    in.price_fen = price_fen;
    in.measurement = measurement;
    in.valid_from = arena_printf(s->ctx->arena, "%s-01", s->periods[0]);
    in.valid_to = arena_printf(s->ctx->arena, "%lld-12-31", (long long)s->year + 1);
    in.rates = n_rates ? r : NULL;
    in.n_rates = n_rates;
    TRY(price_basis_publish(s->ctx, product_id, metric_id, &in, &out));
    s->n_bases++;
    return 0;
}

static int products(struct supply *s)
{
    static const char *const vcpu_rates[][3] = {
        {"basic", "0", "12"},        {"basic", "20000", "10"}, {"standard", "0", "15"},
        {"standard", "20000", "12"}, {"premium", "0", "20"},   {"premium", "20000", "16.5"},
    };
    static const char *const ssd_rates[][3] = {
        {"basic", "0", "0.35"},  {"standard", "0", "0.5"},     {"standard", "100000", "0.4"},
        {"premium", "0", "0.7"}, {"premium", "100000", "0.6"},
    };
    int64_t p_compute, p_storage, edition;
    int n;
    TRY(product(s, "黔云政务云主机服务",
                "按需提供政务云虚拟机，含主机安全加固、7x24 小时监控和故障处置", s->pool_vcpu,
                compute_metrics, &p_compute));
    TRY(product(s, "黔云政务云块存储服务", "为政务云主机提供高性能块存储，含快照与容灾复制",
                s->pool_ssd, storage_metrics, &p_storage));
    TRY(act_as(s, "gz.admin"));
    TRY(backdating(s, p_compute, s->m_vcpu));
    TRY(backdating(s, p_compute, s->m_mem));
    TRY(backdating(s, p_storage, s->m_ssd));
    TRY(act_as(s, "qa.admin"));
    TRY(basis(s, p_compute, s->m_vcpu, 15, "按核·时分级累进计价，分基础、标准、增强三个服务等级",
              vcpu_rates, 6));
    /* A basis without rates: one price at every level. */
    TRY(basis(s, p_compute, s->m_mem, 1, "按 GiB·时统一计价，不分服务等级", NULL, 0));
    /* 公网出流量 gets no basis: it is rated at its list price ("price_source": "list"). */
    TRY(basis(s, p_storage, s->m_ssd, 1, "按 GiB·日分级累进计价，基础等级单一价格", ssd_rates, 5));
    TRY(act_as(s, "gz.admin"));
    return product_catalogue_publish(s->ctx, &edition, &n);
}

/* ---------- budget lines and orders ---------- */

struct order_spec {
    const char *agency;      /* login prefix of the user agency */
    const char *application; /* application system */
    const char *justification;
    int64_t budget_fen, estimated_fen; /* budget_fen 0: the line of the order before */
    int64_t vcpu, ssd_gib;             /* quantities; ssd 0: no storage item */
    const char *levels;                /* per pool item, comma-joined */
};

static int budget_line(struct supply *s, int64_t user_id, const char *agency, int64_t amount,
                       int64_t *id)
{
    struct budget_line in, out;
    memset(&in, 0, sizeof(in));
    in.user_id = user_id;
    in.fiscal_year = s->year;
    in.code = arena_printf(s->ctx->arena, "%lld-YUN-%s", (long long)s->year, agency);
    in.name = "政务云服务费";
    in.amount_fen = amount;
    TRY(budget_line_create(s->ctx, &in, &out));
    s->n_lines++;
    *id = out.id;
    return 0;
}

static int order(struct supply *s, const struct order_spec *o, int64_t *line_id)
{
    struct order_input in;
    struct order_decision dec;
    struct order out;
    int64_t pools[2] = {s->pool_vcpu, s->pool_ssd}, qty[2] = {o->vcpu, o->ssd_gib};
    int64_t user_id;
    const char *agency_admin = arena_printf(s->ctx->arena, "%s.admin", o->agency);
    TRY(institution_of(s, agency_admin, &user_id));
    if (o->budget_fen) {
        TRY(act_as(s, "gz.admin"));
        TRY(budget_line(s, user_id, o->agency + 2, o->budget_fen, line_id));
    }
    TRY(act_as(s, agency_admin));
    memset(&in, 0, sizeof(in));
    in.application = o->application;
    in.justification = o->justification;
    in.budget_line_id = *line_id;
    in.estimated_fen = o->estimated_fen;
    in.pool_ids = pools;
    in.quantities = qty;
    in.n_pools = in.n_quantities = o->ssd_gib ? 2 : 1;
    in.service_levels = o->levels;
    TRY(order_apply(s->ctx, &in, &out));
    memset(&dec, 0, sizeof(dec));
    TRY(act_as(s, "gz.admin"));
    TRY(order_approve(s->ctx, out.id, &dec, &out));
    TRY(act_as(s, "qy.admin"));
    TRY(order_deliver(s->ctx, out.id, &dec, &out));
    s->n_orders++;
    /* The demo's usage history precedes the deliveries: its services were migrated onto the
     * platform, and the provider says so (usage before an allocation's start is refused). */
    char from[40];
    time_format(s->month_start[0], from, sizeof(from));
    for (int i = 0; i < out.n_items; i++) {
        struct allocation al;
        TRY(allocation_set_service_start(s->ctx, out.items[i].pool_id, out.items[i].allocation_id,
                                         from, "业务系统由自建机房迁移上云，迁移前的用量随迁移导入",
                                         &al));
    }
    for (int i = 0; i < out.n_items && s->n_allocs < MAX_ALLOC; i++) {
        struct alloc_ref *a = &s->allocs[s->n_allocs++];
        a->id = out.items[i].allocation_id;
        a->quantity = out.items[i].quantity;
        a->is_compute = out.items[i].pool_id == s->pool_vcpu;
    }
    return 0;
}

static int orders(struct supply *s)
{
    /* 卫健委's line is sized below two months of its usage: issuing the second month's bill
     * takes it past 80 % and fires the budget alert. */
    static const struct order_spec specs[] = {
        {"u.gat", "警务云综合应用平台", "警务数据汇聚与研判业务迁移上云，需扩充计算与存储资源",
         30000000, 14000000, 64, 20000, "premium,premium"},
        {"u.gat", "交通违法处理系统", "交通违法处理系统由自建机房迁移至政务云，保障业务连续性", 0,
         2500000, 16, 0, "standard"},
        {"u.rst", "社会保障经办系统", "社保经办系统年度扩容，支撑养老保险全省统筹业务", 12000000,
         6000000, 32, 10000, "standard,basic"},
        {"u.wjw", "全民健康信息平台", "全民健康信息平台二期建设，部署区域健康数据交换节点", 480000,
         450000, 24, 0, "basic"},
        {"u.gy-ybj", "医保结算系统", "医保异地就医直接结算系统扩容，满足年底结算高峰", 6000000,
         3000000, 16, 5000, "standard,standard"},
        {"u.zy-jyj", "智慧教育云平台", "智慧教育云平台承载全市中小学在线教学，需新增计算资源",
         2000000, 1200000, 8, 0, "basic"},
    };
    int64_t line = 0;
    /* A line counts the bills of its own fiscal year only, and an order is approved only on a
     * line of the current one (docs/orders.md). From January to March some issued months are of
     * the year before: the alert line shrinks with the issued months of this year (in January
     * and February none are, and no alert can fire). */
    int this_year = 0;
    for (int i = 0; i < N_MONTHS - 1; i++)
        this_year += strtoll(s->periods[i], NULL, 10) == s->year;
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        struct order_spec o = specs[i];
        if (!strcmp(o.agency, "u.wjw") && this_year == 1) {
            o.budget_fen /= 2;
            o.estimated_fen /= 2;
        }
        TRY(order(s, &o, &line));
    }
    return 0;
}

/* ---------- usage ---------- */

/* A deterministic spread in 0..999 for a series and slot. */
static int64_t spread(int64_t a, int64_t b)
{
    uint64_t x = (uint64_t)a * 0x9E3779B97F4A7C15u ^ (uint64_t)b * 0xC2B2AE3D27D4EB4Fu;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9u;
    x ^= x >> 29;
    return (int64_t)(x % 1000);
}

static int add_record(struct supply *s, struct usage_batch *b, int64_t alloc, int64_t metric_id,
                      int64_t millionths, int64_t start, int64_t end)
{
    char id[32], qty[32], from[40], to[40];
    struct usage_input in;
    s->n_records++;
    /* Time-ordered ids (docs/usage.md): records are generated in the order of their start. */
    snprintf(id, sizeof(id), "demo-%07lld", (long long)s->n_records);
    usage_format_quantity(millionths, qty, sizeof(qty));
    time_format(start, from, sizeof(from));
    time_format(end, to, sizeof(to));
    memset(&in, 0, sizeof(in));
    in.id = id;
    in.id_len = strlen(id);
    in.quantity = qty;
    in.quantity_len = strlen(qty);
    in.start = from;
    in.start_len = strlen(from);
    in.end = to;
    in.end_len = strlen(to);
    in.source = "demo";
    in.source_len = 4;
    in.allocation_id = alloc;
    in.metric_id = metric_id;
    return usage_batch_add(b, &in, s->n_records);
}

/* Compute allocations: vCPU and memory hours every 6 hours (busier in office hours), outbound
 * traffic once a day; storage: GiB-days once a day, filling up over the months. The months lie
 * before the delivery (today): no service back-dates a delivery, so each allocation states the
 * earlier start of its migrated service (order() above), and the history precedes the orders. */
static int usage(struct supply *s)
{
    struct usage_summary sum;
    const int64_t h6 = 6 * 3600 * 1000LL;
    act_as_operator(s);
    struct usage_batch *b = usage_batch_begin(s->ctx, "import");
    if (!b)
        return -1;
    int64_t n_days = (s->month_start[N_MONTHS] - s->month_start[0]) / (4 * h6);
    for (int64_t slot = 0; slot < n_days * 4; slot++) {
        int64_t t = s->month_start[0] + slot * h6, day = slot / 4;
        bool office = slot % 4 == 1 || slot % 4 == 2; /* 06:00-18:00 CST */
        for (int i = 0; i < s->n_allocs; i++) {
            const struct alloc_ref *a = &s->allocs[i];
            int rc = 0;
            if (a->is_compute) {
                int64_t util = 300 + spread(i, slot) * 4 / 10 + (office ? 200 : 0); /* permille */
                int64_t mem = 600 + spread(i + 100, slot) * 3 / 10;
                rc = add_record(s, b, a->id, s->m_vcpu, a->quantity * 6 * util * 1000, t, t + h6);
                if (!rc)
                    rc = add_record(s, b, a->id, s->m_mem, a->quantity * 4 * 6 * mem * 1000, t,
                                    t + h6);
                if (!rc && slot % 4 == 0)
                    rc = add_record(s, b, a->id, s->m_traffic,
                                    a->quantity * (50 + spread(i + 200, day) / 5) * 10000, t,
                                    t + 4 * h6);
            } else if (slot % 4 == 0) {
                int64_t fill = 550 + day * 3 + spread(i, day) / 20; /* permille */
                if (fill > 950)
                    fill = 950;
                rc = add_record(s, b, a->id, s->m_ssd, a->quantity * fill * 1000, t, t + 4 * h6);
            }
            if (rc < 0) {
                usage_batch_abort(b);
                return -1;
            }
        }
    }
    if (usage_batch_end(b, &sum) < 0)
        return -1;
    if (sum.rejected)
        return err_set(&s->ctx->err, ERR_INTERNAL,
                       "%lld demo usage records were rejected (egov usage outcomes %lld)",
                       (long long)sum.rejected, (long long)sum.batch_id);
    return 0;
}

/* ---------- bills and settlements ---------- */

static int settle(struct supply *s, const char *period)
{
    struct settlement_run run;
    struct settlement_filter f = {.period = period, .state = "draft"};
    struct page_req p = {.limit = PAGE_MAX};
    struct page_info info;
    struct settlement *items, out;
    int n;
    memset(&run, 0, sizeof(run));
    run.period = period;
    TRY(settlement_run(s->ctx, &run));
    TRY(settlement_list(s->ctx, &f, &p, &items, &n, &info));
    for (int i = 0; i < n; i++) {
        TRY(settlement_issue(s->ctx, items[i].id, &out));
        s->n_statements++;
    }
    return 0;
}

static int billing(struct supply *s)
{
    struct quality_coefficient q, qout;
    TRY(act_as(s, "gz.admin"));
    for (int i = 0; i < N_MONTHS; i++) {
        struct billing_run run;
        memset(&run, 0, sizeof(run));
        run.period = s->periods[i];
        TRY(billing_run(s->ctx, &run));
        if (i == N_MONTHS - 1) {
            s->n_bills_draft = run.bills; /* the newest month stays a draft */
            continue;
        }
        int64_t issued;
        TRY(bill_issue_period(s->ctx, s->periods[i], &issued));
        s->n_bills_issued += issued;
    }
    /* The quality assessment of the oldest month found 黔云 below its agreed availability. */
    memset(&q, 0, sizeof(q));
    q.provider_id = s->qianyun;
    q.period = s->periods[0];
    q.coefficient_text = "0.9500";
    q.note = "云主机月可用性 99.90%，低于协议约定的 99.95%";
    TRY(quality_coefficient_set(s->ctx, &q, &qout));
    for (int i = 0; i < N_MONTHS - 1; i++)
        TRY(settle(s, s->periods[i]));
    struct alert_filter af = {.open_only = true};
    struct page_req p = {.limit = PAGE_MAX};
    struct page_info info;
    struct budget_alert *alerts;
    int n;
    TRY(budget_alert_list(s->ctx, &af, &p, &alerts, &n, &info));
    s->n_alerts = n;
    return 0;
}

/* The chain is there when 黔云 has its computing pool (the first thing built). */
static int present(struct supply *s)
{
    struct pool_filter f = {.provider_id = s->qianyun};
    struct page_req p = {.limit = PAGE_MAX};
    struct page_info info;
    struct pool *items;
    int n;
    TRY(pool_list(s->ctx, &f, &p, &items, &n, &info));
    for (int i = 0; i < n; i++)
        if (!strcmp(items[i].name, "黔云政务云计算资源池"))
            return 1;
    return 0;
}

int demo_supply(struct ctx *ctx)
{
    struct supply s;
    int rc = -1;
    memset(&s, 0, sizeof(s));
    s.ctx = ctx;
    if (institution_of(&s, "qy.admin", &s.qianyun) < 0 ||
        institution_of(&s, "qa.admin", &s.qianan) < 0)
        goto out;
    act_as_operator(&s);
    if ((rc = present(&s)) != 0)
        goto out;
    rc = -1;
    if (months(&s) < 0 || resources(&s) < 0 || products(&s) < 0 || orders(&s) < 0 ||
        usage(&s) < 0 || billing(&s) < 0)
        goto out;
    printf("demo service chain created (usage %s .. %s):\n"
           "  %d resource pools, %d conformity tests passed\n"
           "  %d products of 黔云 online, %d price bases published by 黔安\n"
           "  %d budget lines (fiscal year %lld), %d orders delivered into %d allocations\n"
           "  %lld usage records\n"
           "  %lld bills issued (%s, %s), %lld draft bills (%s)\n"
           "  %lld settlement statements issued, %lld open budget alerts\n",
           s.periods[0], s.periods[N_MONTHS - 1], s.n_pools, s.n_tests, s.n_products, s.n_bases,
           s.n_lines, (long long)s.year, s.n_orders, s.n_allocs, (long long)s.n_records,
           (long long)s.n_bills_issued, s.periods[0], s.periods[1], (long long)s.n_bills_draft,
           s.periods[2], (long long)s.n_statements, (long long)s.n_alerts);
    rc = 0;
out:
    act_as_operator(&s);
    return rc;
}
