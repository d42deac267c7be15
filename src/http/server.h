/*
 * server.h - the libmicrohttpd glue: listen, read each request into a capped buffer, hand it to
 * router_dispatch, write the answer; serve the built console from web_root.
 */
#ifndef EGOV_SERVER_H
#define EGOV_SERVER_H

struct app;
struct err;

/* Runs until SIGINT or SIGTERM; -1 with err when it cannot start. */
int server_run(struct app *app, struct err *e);

#endif
