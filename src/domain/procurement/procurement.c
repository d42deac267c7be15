/*
 * procurement.c - procurement projects: declaration, budget, lots, bids, awards, supervision,
 * evaluation.
 */
#include "procurement.h"
#include "app.h"
#include "core/banned.h"

int project_access(struct ctx *ctx, int64_t id)
{
    (void)id;
    return err_set(&ctx->err, ERR_NOT_FOUND, "procurement project not found");
}
