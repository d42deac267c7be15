/*
 * market.c - the anti-monopoly view (T5-8.2b): per region (of the project) and lot category,
 * each provider's share of the value awarded in a period, and the Herfindahl–Hirschman index
 * with the warning threshold of the configuration (hhi_warning).
 */
#include <stdio.h>
#include <string.h>

#include "procurement.h"
#include "procurement_internal.h"
#include "procurement_store.h"
#include "app.h"
#include "core/arena.h"
#include "domain/org/org.h"
#include "domain/product/product.h"
#include "domain/validate.h"
#include "core/banned.h"

/* Shares in basis points (rounded) and HHI = Σ (percentage share)² = Σ bp² / 10000, so that a
 * monopoly is 10000 and n equal providers 10000 / n. Integers only: no float touches money. */
static void finish_group(struct market_group *g, int64_t threshold)
{
    int64_t sum_sq = 0;
    for (int i = 0; i < g->n_shares; i++) {
        struct market_share *s = &g->shares[i];
        s->share_bp = g->total_fen ? (s->awarded_fen * 10000 + g->total_fen / 2) / g->total_fen : 0;
        sum_sq += s->share_bp * s->share_bp;
    }
    g->hhi = (sum_sq + 5000) / 10000;
    if (g->hhi > 10000)
        g->hhi = 10000;
    g->warning = g->hhi >= threshold;
}

int market_concentration(struct ctx *ctx, struct market_query *q, struct market_group **groups,
                         int *n, int64_t *threshold)
{
    struct market_row *rows;
    int n_rows;
    int64_t root;
    int depth;
    const char *now = today(ctx);
    if (!q->to || !*q->to)
        q->to = now;
    if (!q->from || !*q->from)
        q->from = arena_printf(ctx->arena, "%.4s-01-01", q->to);
    if (!check_date(ctx, "from", q->from) && !check_date(ctx, "to", q->to) &&
        strcmp(q->from, q->to) > 0)
        err_field(&ctx->err, "to", "after_from", "to comes on or after from");
    if (q->category && *q->category)
        check_enum(ctx, "category", q->category, product_categories);
    if (q->region && *q->region)
        check_region(ctx, "region", q->region);
    if (ctx->err.kind)
        return -1;
    *threshold = ctx->app->cfg.hhi_warning;
    org_scope(ctx, &root, &depth);
    if (proc_store_market(ctx, root, q, &rows, &n_rows) < 0)
        return -1;
    *groups = arena_alloc(ctx->arena, sizeof(**groups) * (size_t)(n_rows + 1));
    *n = 0;
    for (int i = 0; i < n_rows; i++) {
        struct market_group *g = *n ? &(*groups)[*n - 1] : NULL;
        if (!g || strcmp(g->region, rows[i].region) != 0 ||
            strcmp(g->category, rows[i].category) != 0) {
            if (g)
                finish_group(g, *threshold);
            g = &(*groups)[(*n)++];
            memset(g, 0, sizeof(*g));
            g->region = rows[i].region;
            g->category = rows[i].category;
            g->shares = arena_alloc(ctx->arena, sizeof(*g->shares) * (size_t)(n_rows - i));
        }
        struct market_share *s = &g->shares[g->n_shares++];
        s->provider_id = rows[i].provider_id;
        s->provider_name = rows[i].provider_name;
        s->awarded_fen = rows[i].awarded_fen;
        s->n_awards = rows[i].n_awards;
        g->total_fen += rows[i].awarded_fen;
    }
    if (*n)
        finish_group(&(*groups)[*n - 1], *threshold);
    return 0;
}
