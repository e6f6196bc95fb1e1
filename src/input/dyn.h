/*
 * dyn.h -- libxml2 and libcurl, loaded when first needed (dyn.c).
 *
 * Linked at start-up, the two libraries and theirs (ICU's data alone is
 * 30 MB) took 60 MB of address space before main: under `ulimit -v
 * 40000` sitrep could not even start to say that its lexicon does not
 * fit.  Loaded on first use, they cost nothing to the commands that read
 * no page, feed or URL.  Include this header after the libraries' own:
 * it turns each function used into a call through the loaded table.
 * Call sr_xml_api() / sr_curl_api() first: NULL means the library could
 * not be loaded (the message in sr_dyn_error()).
 */
#ifndef SR_DYN_H
#define SR_DYN_H

#include <curl/curl.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

typedef struct sr_xml_fns {
	htmlParserCtxtPtr (*htmlCreateMemoryParserCtxt)(const char *, int);
	int (*htmlCtxtUseOptions)(htmlParserCtxtPtr, int);
	void (*htmlFreeParserCtxt)(htmlParserCtxtPtr);
	int (*htmlParseDocument)(htmlParserCtxtPtr);
	const xmlChar *(*xmlBufferContent)(const xmlBuffer *);
	xmlBufferPtr (*xmlBufferCreate)(void);
	void (*xmlBufferFree)(xmlBufferPtr);
	xmlNodePtr (*xmlDocGetRootElement)(const xmlDoc *);
	xmlFreeFunc *xmlFree;
	void (*xmlFreeDoc)(xmlDocPtr);
	xmlChar *(*xmlGetProp)(const xmlNode *, const xmlChar *);
	void (*xmlInitParser)(void);
	int (*xmlNodeDump)(xmlBufferPtr, xmlDocPtr, xmlNodePtr, int, int);
	xmlChar *(*xmlNodeGetContent)(const xmlNode *);
	xmlDocPtr (*xmlReadMemory)(const char *, int, const char *, const char *, int);
	int (*xmlSwitchEncoding)(xmlParserCtxtPtr, xmlCharEncoding);
} sr_xml_fns;

typedef struct sr_curl_fns {
	void (*curl_easy_cleanup)(CURL *);
	CURLcode (*curl_easy_getinfo)(CURL *, CURLINFO, ...);
	CURL *(*curl_easy_init)(void);
	CURLcode (*curl_easy_perform)(CURL *);
	CURLcode (*curl_easy_setopt)(CURL *, CURLoption, ...);
	const char *(*curl_easy_strerror)(CURLcode);
	CURLcode (*curl_global_init)(long);
	struct curl_slist *(*curl_slist_append)(struct curl_slist *, const char *);
	void (*curl_slist_free_all)(struct curl_slist *);
} sr_curl_fns;

/* The loaded tables (loaded once, thread-safe), or NULL. */
const sr_xml_fns *sr_xml_api(void);
const sr_curl_fns *sr_curl_api(void);
/* Why a library could not be loaded.  Static. */
const char *sr_dyn_error(void);

#ifndef SR_DYN_NO_MACROS
#define htmlCreateMemoryParserCtxt (sr_xml_api()->htmlCreateMemoryParserCtxt)
#define htmlCtxtUseOptions (sr_xml_api()->htmlCtxtUseOptions)
#define htmlFreeParserCtxt (sr_xml_api()->htmlFreeParserCtxt)
#define htmlParseDocument (sr_xml_api()->htmlParseDocument)
#define xmlBufferContent (sr_xml_api()->xmlBufferContent)
#define xmlBufferCreate (sr_xml_api()->xmlBufferCreate)
#define xmlBufferFree (sr_xml_api()->xmlBufferFree)
#define xmlDocGetRootElement (sr_xml_api()->xmlDocGetRootElement)
#undef xmlFree
#define xmlFree (*sr_xml_api()->xmlFree)
#define xmlFreeDoc (sr_xml_api()->xmlFreeDoc)
#define xmlGetProp (sr_xml_api()->xmlGetProp)
#define xmlInitParser (sr_xml_api()->xmlInitParser)
#define xmlNodeDump (sr_xml_api()->xmlNodeDump)
#define xmlNodeGetContent (sr_xml_api()->xmlNodeGetContent)
#define xmlReadMemory (sr_xml_api()->xmlReadMemory)
#define xmlSwitchEncoding (sr_xml_api()->xmlSwitchEncoding)

#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_cleanup (sr_curl_api()->curl_easy_cleanup)
#define curl_easy_getinfo (sr_curl_api()->curl_easy_getinfo)
#define curl_easy_init (sr_curl_api()->curl_easy_init)
#define curl_easy_perform (sr_curl_api()->curl_easy_perform)
#define curl_easy_setopt (sr_curl_api()->curl_easy_setopt)
#define curl_easy_strerror (sr_curl_api()->curl_easy_strerror)
#define curl_global_init (sr_curl_api()->curl_global_init)
#define curl_slist_append (sr_curl_api()->curl_slist_append)
#define curl_slist_free_all (sr_curl_api()->curl_slist_free_all)
#endif /* SR_DYN_NO_MACROS */

#endif
