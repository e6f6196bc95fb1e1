/*
 * dyn.c -- loads libxml2 and libcurl on first use (see dyn.h for why):
 * dlopen by their Debian sonames, then every function the readers call,
 * once, under pthread_once.  A library missing or a function not found
 * leaves its table NULL and a message in sr_dyn_error().
 */
#include "input_int.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* the tables, without the macros that call through them */
#define SR_DYN_NO_MACROS
#include "dyn.h"

static sr_xml_fns xml_fns;
static sr_curl_fns curl_fns;
static bool xml_ok, curl_ok;
static char dyn_err[512];
static pthread_once_t xml_once = PTHREAD_ONCE_INIT, curl_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t err_mu = PTHREAD_MUTEX_INITIALIZER;

static void
set_error(const char *lib, const char *why)
{
	pthread_mutex_lock(&err_mu);
	snprintf(dyn_err, sizeof dyn_err, "cannot load %s (%s): install %s", lib,
		 why ? why : "unknown error",
		 lib[3] == 'x' ? "Debian's libxml2" : "Debian's libcurl4");
	pthread_mutex_unlock(&err_mu);
}

/* dlsym into a function pointer without a cast between object and
 * function pointers (which ISO C leaves undefined). */
static bool
sym(void *h, const char *name, void *slot, size_t size)
{
	void *p = dlsym(h, name);
	if (!p)
		return false;
	memcpy(slot, &p, size);
	return true;
}

#define SYM(h, tab, name) ok = ok && sym(h, #name, &(tab).name, sizeof (tab).name)

static void
load_xml(void)
{
	void *h = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		set_error("libxml2.so.2", dlerror());
		return;
	}
	bool ok = true;
	SYM(h, xml_fns, htmlCreateMemoryParserCtxt);
	SYM(h, xml_fns, htmlCtxtUseOptions);
	SYM(h, xml_fns, htmlFreeParserCtxt);
	SYM(h, xml_fns, htmlParseDocument);
	SYM(h, xml_fns, xmlBufferContent);
	SYM(h, xml_fns, xmlBufferCreate);
	SYM(h, xml_fns, xmlBufferFree);
	SYM(h, xml_fns, xmlDocGetRootElement);
	SYM(h, xml_fns, xmlFreeDoc);
	SYM(h, xml_fns, xmlGetProp);
	SYM(h, xml_fns, xmlInitParser);
	SYM(h, xml_fns, xmlNodeDump);
	SYM(h, xml_fns, xmlNodeGetContent);
	SYM(h, xml_fns, xmlReadMemory);
	SYM(h, xml_fns, xmlSwitchEncoding);
	/* xmlFree is a variable holding the free function */
	void *f = dlsym(h, "xmlFree");
	xml_fns.xmlFree = f;
	ok = ok && f;
	if (!ok) {
		set_error("libxml2.so.2", "a function is missing");
		return;
	}
	xml_fns.xmlInitParser();
	xml_ok = true;
}

static void
load_curl(void)
{
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		set_error("libcurl.so.4", dlerror());
		return;
	}
	bool ok = true;
	SYM(h, curl_fns, curl_easy_cleanup);
	SYM(h, curl_fns, curl_easy_getinfo);
	SYM(h, curl_fns, curl_easy_init);
	SYM(h, curl_fns, curl_easy_perform);
	SYM(h, curl_fns, curl_easy_setopt);
	SYM(h, curl_fns, curl_easy_strerror);
	SYM(h, curl_fns, curl_global_init);
	SYM(h, curl_fns, curl_slist_append);
	SYM(h, curl_fns, curl_slist_free_all);
	if (!ok) {
		set_error("libcurl.so.4", "a function is missing");
		return;
	}
	curl_fns.curl_global_init(CURL_GLOBAL_DEFAULT);
	curl_ok = true;
}

const sr_xml_fns *
sr_xml_api(void)
{
	pthread_once(&xml_once, load_xml);
	return xml_ok ? &xml_fns : NULL;
}

const sr_curl_fns *
sr_curl_api(void)
{
	pthread_once(&curl_once, load_curl);
	return curl_ok ? &curl_fns : NULL;
}

const char *
sr_dyn_error(void)
{
	return dyn_err;
}
