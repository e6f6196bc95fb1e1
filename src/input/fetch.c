/*
 * fetch.c -- one HTTP(S) GET with libcurl: the bytes of a page or feed
 * and what the server said about them (status, type, ETag,
 * Last-Modified, the address after redirects).  Bounded in every way a
 * server can misbehave: redirects, time, size.  Retrying, scheduling and
 * rate limits belong to the caller (`sitrep watch`).
 */
#include "input_int.h"

#include <curl/curl.h>
#include <stdlib.h>

#include "dyn.h"

#define SR_USER_AGENT "sitrep/" SR_VERSION " (+https://github.com/sitrep; news reader)"

typedef struct sink {
	sr_buf body;
	bool too_big;
	sr_fetch_result *res;
} sink;

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	sink *s = ud;
	size_t k = size * n;
	if (s->body.len + k > SR_MAX_RECORD) {
		s->too_big = true;
		return 0;   /* aborts the transfer */
	}
	sr_buf_add(&s->body, p, k);
	return k;
}

static char *
header_copy(const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	return sr_strndup(v, n);
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	sink *s = ud;
	size_t k = size * n;
	static const struct { const char *name; size_t off; } hs[] = {
		{"etag:", offsetof(sr_fetch_result, etag)},
		{"last-modified:", offsetof(sr_fetch_result, last_modified)},
		{"content-type:", offsetof(sr_fetch_result, content_type)},
	};
	if (k >= 5 && !memcmp(p, "HTTP/", 5)) {
		/* a new response (after a redirect): forget the last one's */
		free(s->res->etag);
		free(s->res->last_modified);
		free(s->res->content_type);
		s->res->etag = s->res->last_modified = s->res->content_type = NULL;
		return k;
	}
	for (size_t i = 0; i < SR_ARRAY_LEN(hs); i++) {
		size_t m = strlen(hs[i].name);
		if (k > m && !sr_strncasecmp_ascii(p, hs[i].name, m)) {
			char **slot = (char **)(void *)((char *)s->res + hs[i].off);
			free(*slot);
			*slot = header_copy(p + m, k - m);
		}
	}
	return k;
}

int
sr_fetch(const char *url, const char *etag, const char *last_modified, long timeout_s,
	 sr_fetch_result *res)
{
	memset(res, 0, sizeof *res);
	if (!sr_curl_api()) {
		snprintf(res->error, sizeof res->error, "%s", sr_dyn_error());
		return SR_ERR_IO;
	}
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(res->error, sizeof res->error, "cannot start libcurl");
		return SR_ERR_IO;
	}
	sink s = {{0}, false, res};
	struct curl_slist *hdrs = NULL;
	char h[1100];
	if (etag && *etag) {
		snprintf(h, sizeof h, "If-None-Match: %s", etag);
		hdrs = curl_slist_append(hdrs, h);
	}
	if (last_modified && *last_modified) {
		snprintf(h, sizeof h, "If-Modified-Since: %s", last_modified);
		hdrs = curl_slist_append(hdrs, h);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s > 0 ? timeout_s : 60L);
	/* a server that stalls: less than 1 byte/s for 15 s ends it */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 15L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, SR_USER_AGENT);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	if (hdrs)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	CURLcode cr = curl_easy_perform(c);
	int st = SR_OK;
	if (cr != CURLE_OK) {
		snprintf(res->error, sizeof res->error, "%s",
			 s.too_big ? "the answer is larger than the record limit" : curl_easy_strerror(cr));
		st = SR_ERR_IO;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	char *eff = NULL;
	curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff);
	if (eff)
		res->final_url = sr_strdup(eff);
	if (!s.body.ptr)
		sr_buf_add(&s.body, "", 0);
	res->body = s.body.ptr;
	res->len = s.body.len;
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return st;
}

void
sr_fetch_result_clear(sr_fetch_result *res)
{
	free(res->body);
	free(res->content_type);
	free(res->etag);
	free(res->last_modified);
	free(res->final_url);
	memset(res, 0, sizeof *res);
}
