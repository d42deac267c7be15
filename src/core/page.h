/*
 * page.h - the one paging contract of every list: a cursor on the (time-ordered) id, a limit,
 * and an optional total. page_norm clamps the request; page_cut turns "limit+1 rows fetched"
 * into the page and its next cursor, so no module writes its own paging arithmetic.
 */
#ifndef EGOV_PAGE_H
#define EGOV_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_DEFAULT 50
#define PAGE_MAX     500

struct page_req {
    int limit;        /* 1..PAGE_MAX, default PAGE_DEFAULT */
    int64_t after_id; /* cursor: items with id > after_id */
    bool want_total;
};

struct page_info {
    int64_t next_cursor; /* 0 when this is the last page */
    int64_t total;       /* -1 unless asked for */
};

static inline int page_fetch_limit(const struct page_req *p)
{
    int l = p->limit <= 0 ? PAGE_DEFAULT : p->limit > PAGE_MAX ? PAGE_MAX : p->limit;
    return l + 1; /* one more tells whether a next page exists */
}

/* n_fetched rows were read with page_fetch_limit: how many to keep, and whether more exist. */
static inline int page_keep(const struct page_req *p, int n_fetched, bool *more)
{
    int limit = page_fetch_limit(p) - 1;
    *more = n_fetched > limit;
    return *more ? limit : n_fetched;
}

/* Trims a list read with page_fetch_limit to its page, sets the cursor to the id of the last item
 * kept (items: an array of structs with an int64_t id) and marks the total as not counted. */
#define PAGE_FINISH(p, items, n, info)                                                             \
    do {                                                                                           \
        bool more_;                                                                                \
        *(n) = page_keep((p), *(n), &more_);                                                       \
        (info)->next_cursor = more_ ? (items)[*(n)-1].id : 0;                                      \
        (info)->total = -1;                                                                        \
    } while (0)

#endif
