/*
 * demo.c - `egov demo`: a plausible provincial government cloud, created through the same
 * services as the API (so every row is validated and audited): one provincial management
 * institution with two municipal ones, three providers, two evaluators, twelve user agencies,
 * people with posts and certificates (some expiring soon), qualifications and one declared
 * interest relation. All credit codes are fictitious but pass the GB 32100 checks.
 *
 * With --supply it goes on to the service chain (demo_supply.c): pools, products, prices,
 * orders, three months of usage, bills, settlements and budget alerts. Plain `egov demo` stays
 * the province alone: the browser tests start from it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "demo.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "core/uscc.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "domain/keys/keys.h"
#include "domain/org/org_store.h"
#include "core/banned.h"

#define DEMO_PASSWORD "Egov-Demo-2026"

struct demo {
    struct ctx *ctx;
    int serial;
    int n_people;
};

static const char *date_in_days(struct demo *d, int days)
{
    char *buf = arena_alloc(d->ctx->arena, 16);
    time_format_date(time_now_ms() + (int64_t)days * 86400000, 8 * 60, buf, 16);
    return buf;
}

/* A fictitious but valid code: authority+category, region, then a serial body. */
static const char *make_uscc(struct demo *d, const char *head2, const char *region)
{
    char prefix[17], *out = arena_alloc(d->ctx->arena, 19);
    snprintf(prefix, sizeof(prefix), "%s%sMA%06d", head2, region, 310000 + 7 * ++d->serial);
    if (uscc_complete(prefix, out) < 0)
        return NULL;
    return out;
}

static int64_t inst(struct demo *d, int64_t parent, const char *kind, const char *level,
                    const char *region, const char *name, const char *contact)
{
    struct institution_input in;
    struct institution out;
    memset(&in, 0, sizeof(in));
    in.has = INST_F_PARENT;
    in.v.parent_id = parent;
    in.v.kind = kind;
    in.v.level = level;
    in.v.region = region;
    in.v.name = name;
    in.v.uscc =
        make_uscc(d, !strcmp(kind, "provider") || !strcmp(kind, "evaluator") ? "91" : "11", region);
    in.v.contact_name = contact;
    in.v.contact_phone = "0851-86800000";
    int rc =
        parent ? institution_create(d->ctx, &in, &out) : institution_create_root(d->ctx, &in, &out);
    return rc < 0 ? -1 : out.id;
}

static int64_t post(struct demo *d, int64_t inst_id, const char *name, const char *duties,
                    const char *cert, const char *grants)
{
    struct post_input in;
    struct post out;
    memset(&in, 0, sizeof(in));
    in.v.name = name;
    in.v.duties = duties;
    in.v.required_certificate = cert;
    in.v.grants = grants;
    return post_create(d->ctx, inst_id, &in, &out) < 0 ? -1 : out.id;
}

static int64_t person(struct demo *d, int64_t inst_id, const char *login, const char *name,
                      const char *team, bool admin)
{
    struct person_input in;
    struct person out;
    const char *gen;
    memset(&in, 0, sizeof(in));
    in.has = PERSON_F_INSTITUTION;
    in.v.institution_id = inst_id;
    in.v.login = login;
    in.v.name = name;
    in.v.team = team;
    in.v.is_admin = admin;
    in.v.email = arena_printf(d->ctx->arena, "%s@gov-cloud.example", login);
    in.password = DEMO_PASSWORD;
    if (person_create(d->ctx, &in, &out, &gen) < 0)
        return -1;
    d->n_people++;
    return out.id;
}

static int cert(struct demo *d, int64_t person_id, const char *kind, const char *issuer, int days)
{
    struct certificate in, out;
    memset(&in, 0, sizeof(in));
    in.kind = kind;
    in.number = arena_printf(d->ctx->arena, "%s-%lld", kind, (long long)(person_id % 10000000));
    in.issuer = issuer;
    in.valid_to = date_in_days(d, days);
    return certificate_create(d->ctx, person_id, &in, &out);
}

static int give_posts(struct demo *d, int64_t person_id, int64_t p1)
{
    struct person_input in;
    struct person out;
    int64_t ids[1] = {p1};
    memset(&in, 0, sizeof(in));
    in.has = PERSON_F_POSTS;
    in.post_ids = ids;
    in.n_post_ids = 1;
    return person_update(d->ctx, person_id, -1, &in, &out);
}

static int qual(struct demo *d, int64_t inst_id, const char *kind, const char *grade,
                const char *issuer, int days)
{
    struct qualification in, out;
    memset(&in, 0, sizeof(in));
    in.kind = kind;
    in.grade = grade;
    in.certificate_no = arena_printf(d->ctx->arena, "%s-%d", kind, ++d->serial * 1301);
    in.issuer = issuer;
    in.valid_from = date_in_days(d, -700);
    in.valid_to = date_in_days(d, days);
    return qualification_create(d->ctx, inst_id, &in, &out);
}

static const char *next_name(struct demo *d)
{
    static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                           "周", "吴", "徐", "孙", "胡", "朱", "高", "林"};
    static const char *const given[] = {"建国", "晓燕", "志强", "丽娟", "海涛", "雪梅",
                                        "明辉", "静",   "伟",   "芳",   "磊",   "婷"};
    int k = d->n_people;
    return arena_printf(d->ctx->arena, "%s%s", surnames[k % 16], given[(k * 7 + 3) % 12]);
}

#define TRY(x)                                                                                     \
    do {                                                                                           \
        if ((x) < 0)                                                                               \
            return -1;                                                                             \
    } while (0)

static int build(struct demo *d)
{
    static const struct {
        const char *name, *login, *region;
        int parent; /* 0 province, 1 Guiyang, 2 Zunyi */
    } users[] = {
        {"贵州省公安厅", "u.gat", "520000", 0},
        {"贵州省人力资源和社会保障厅", "u.rst", "520000", 0},
        {"贵州省卫生健康委员会", "u.wjw", "520000", 0},
        {"贵州省教育厅", "u.jyt", "520000", 0},
        {"贵州省自然资源厅", "u.zrzyt", "520000", 0},
        {"贵州省市场监督管理局", "u.scjgj", "520000", 0},
        {"贵阳市公安局", "u.gy-gaj", "520100", 1},
        {"贵阳市医疗保障局", "u.gy-ybj", "520100", 1},
        {"贵阳市政务服务中心", "u.gy-zwfw", "520100", 1},
        {"遵义市教育局", "u.zy-jyj", "520300", 2},
        {"遵义市交通运输局", "u.zy-jtj", "520300", 2},
        {"遵义市生态环境局", "u.zy-sthjj", "520300", 2},
    };
    int64_t m[3], p[3], e[2];
#define NAME() next_name(d)

    TRY(m[0] =
            inst(d, 0, "management", "provincial", "520000", "贵州省大数据发展管理局", "王建国"));
    TRY(m[1] =
            inst(d, m[0], "management", "municipal", "520100", "贵阳市大数据发展管理局", "李晓燕"));
    TRY(m[2] =
            inst(d, m[0], "management", "municipal", "520300", "遵义市大数据发展管理局", "张志强"));
    TRY(p[0] = inst(d, m[0], "provider", "provincial", "520000", "黔云数据科技有限公司", "刘海涛"));
    TRY(p[1] =
            inst(d, m[0], "provider", "provincial", "520000", "筑城云计算服务有限公司", "陈雪梅"));
    TRY(p[2] =
            inst(d, m[2], "provider", "municipal", "520300", "遵义智算信息技术有限公司", "杨明辉"));
    TRY(e[0] = inst(d, m[0], "evaluator", "provincial", "520000", "黔安信息安全测评中心有限公司",
                    "赵静"));
    TRY(e[1] = inst(d, m[0], "evaluator", "provincial", "520000", "贵州数字政府工程监理有限公司",
                    "黄伟"));

    /* Management: posts with duties (T5-5.3a), an auditor post that grants audit reading. */
    int64_t ops_post, sec_post, audit_post;
    TRY(ops_post = post(d, m[0], "政务云运营管理岗",
                        "组织政务云服务运营，监督服务提供机构履约，组织服务质量考核", "", ""));
    TRY(sec_post = post(d, m[0], "安全协调岗", "协调政务云安全管理，组织应急演练，掌握安全态势",
                        "cisp", "audit.read"));
    TRY(audit_post = post(d, m[0], "审计监督岗", "审阅审计日志，核验日志链完整性", "",
                          "audit.read,audit.verify"));
    TRY(person(d, m[0], "gz.admin", "王建国", "administrative", true));
    int64_t off, sec, aud;
    TRY(off = person(d, m[0], "gz.official", "周丽娟", "administrative", false));
    TRY(give_posts(d, off, ops_post));
    TRY(sec = person(d, m[0], "gz.security", "吴海涛", "technical", false));
    TRY(cert(d, sec, "cisp", "中国信息安全测评中心", 400));
    TRY(give_posts(d, sec, sec_post));
    TRY(aud = person(d, m[0], "gz.auditor", "孙明辉", "administrative", false));
    TRY(give_posts(d, aud, audit_post));
    TRY(person(d, m[1], "gy.admin", "李晓燕", "administrative", true));
    TRY(person(d, m[1], "gy.official", "胡志强", "administrative", false));
    TRY(person(d, m[2], "zy.admin", "张志强", "administrative", true));

    /* Providers and evaluators: the professional technical team, certified staff (T5-9.2b). */
    static const char *const plogin[] = {"qy", "zc", "zs"};
    for (int i = 0; i < 3; i++) {
        int64_t om, se, eng1, eng2;
        TRY(om = post(d, p[i], "运维工程师岗", "负责云资源的配置、调整、扩容和释放，处理故障工单",
                      "itss-engineer", ""));
        TRY(se = post(d, p[i], "安全工程师岗", "负责安全巡检、安全事件处置和应急预案执行", "cisp",
                      ""));
        TRY(person(d, p[i], arena_printf(d->ctx->arena, "%s.admin", plogin[i]), NAME(), "technical",
                   true));
        TRY(eng1 = person(d, p[i], arena_printf(d->ctx->arena, "%s.ops", plogin[i]), NAME(),
                          "technical", false));
        TRY(cert(d, eng1, "itss-engineer", "中国电子工业标准化技术协会", i == 0 ? 25 : 500));
        TRY(give_posts(d, eng1, om));
        TRY(eng2 = person(d, p[i], arena_printf(d->ctx->arena, "%s.sec", plogin[i]), NAME(),
                          "technical", false));
        TRY(cert(d, eng2, "cisp", "中国信息安全测评中心", i == 1 ? 60 : 700));
        TRY(give_posts(d, eng2, se));
    }
    TRY(qual(d, p[0], "security_service", "一级", "中国网络安全审查技术与认证中心", 800));
    TRY(qual(d, p[0], "cloud_security_assessment", "增强级", "国家互联网信息办公室", 600));
    TRY(qual(d, p[1], "security_service", "二级", "中国网络安全审查技术与认证中心", 45));
    TRY(qual(d, p[1], "itss", "二级", "中国电子工业标准化技术协会", 300));
    TRY(qual(d, p[2], "system_integration", "三级", "中国电子信息行业联合会", 80));

    static const char *const elogin[] = {"qa", "jl"};
    for (int i = 0; i < 2; i++) {
        int64_t ep, ev;
        TRY(ep = post(d, e[i], i ? "监理工程师岗" : "测评师岗",
                      i ? "对政务云项目实施监理，记录监理意见"
                        : "对服务资源和服务产品开展符合性测试与评测",
                      i ? "supervisor" : "evaluator", ""));
        TRY(person(d, e[i], arena_printf(d->ctx->arena, "%s.admin", elogin[i]), NAME(), "technical",
                   true));
        TRY(ev = person(d, e[i], arena_printf(d->ctx->arena, "%s.tester", elogin[i]), NAME(),
                        "technical", false));
        TRY(cert(d, ev, i ? "supervisor" : "evaluator",
                 i ? "工业和信息化部" : "公安部信息安全等级保护评估中心", i ? 30 : 365));
        TRY(give_posts(d, ev, ep));
    }
    TRY(qual(d, e[0], "classified_protection", "", "公安部网络安全等级保护评估中心", 700));
    TRY(qual(d, e[0], "testing_lab", "CMA", "国家认证认可监督管理委员会", 20));
    TRY(qual(d, e[1], "supervision", "甲级", "工业和信息化部", 900));

    /* T5-8.2f: the supervisor is part-owned by a provider; later modules refuse to pair them. */
    struct interest_relation rel, rel_out;
    memset(&rel, 0, sizeof(rel));
    rel.related_id = e[1];
    rel.kind = "equity";
    rel.since = date_in_days(d, -400);
    rel.note = "黔云数据科技有限公司持有该监理公司 30% 股权";
    TRY(relation_create(d->ctx, p[0], &rel, &rel_out));

    for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
        int64_t u;
        TRY(u = inst(d, m[users[i].parent], "user", users[i].parent ? "municipal" : "provincial",
                     users[i].region, users[i].name, NULL));
        TRY(person(d, u, arena_printf(d->ctx->arena, "%s.admin", users[i].login), NAME(),
                   "administrative", true));
        TRY(person(d, u, arena_printf(d->ctx->arena, "%s.it", users[i].login), NAME(), "technical",
                   false));
    }
#undef NAME
    return 0;
}

int cmd_demo(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    struct demo d;
    struct person existing;
    struct cli_opt opts[] = {
        {"supply", false, NULL,
         "also build the service chain: pools, products, orders, three months of usage, bills, "
         "settlements (once per store; a second run changes nothing)"},
    };
    int n;
    int rc = cli_parse(argc, argv, "usage: egov demo [--db URL] [--supply]   (on an empty store)",
                       &cfg, opts, 1);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (cli_open(&app, &cfg, &ctx, &arena))
        return 1;
    memset(&d, 0, sizeof(d));
    d.ctx = ctx;
    rc = 0;
    /* The service chain publishes signed catalogue editions. */
    int found = keys_migrate(&app, &n, &ctx->err) < 0 ||
                        (opts[0].value && app_open_signer(&app, &ctx->err) < 0)
                    ? -1
                    : org_store_person_by_login(ctx, "gz.admin", &existing, NULL);
    if (found == 1)
        printf("the demo province is already in this store\n");
    else if (found < 0 || build(&d) < 0)
        rc = cli_fail(&ctx->err);
    else
        printf("demo province created: %d people.\n", d.n_people);
    if (!rc && opts[0].value) {
        int s = demo_supply(ctx);
        if (s < 0)
            rc = cli_fail(&ctx->err);
        else if (s == 1)
            printf("the demo service chain is already in this store\n");
    }
    if (!rc)
        printf("Demo logins (password %s):\n"
               "  gz.admin     provincial management administrator (贵州省大数据发展管理局)\n"
               "  gz.auditor   management official with the audit post\n"
               "  gy.admin     municipal management administrator (贵阳市)\n"
               "  qy.admin     provider administrator (黔云数据科技有限公司)\n"
               "  qa.admin     evaluator administrator (黔安信息安全测评中心有限公司)\n"
               "  u.gat.admin  user agency administrator (贵州省公安厅)\n"
               "  u.gat.it     user agency IT staff\n",
               DEMO_PASSWORD);
    cli_close(&app, arena);
    return rc;
}
