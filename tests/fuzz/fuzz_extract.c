/*
 * fuzz_extract.c -- libFuzzer target for the whole extraction of one
 * document: recognition of places and actors, time expressions and
 * events.  Any bytes become a report (the first two bytes pick whether it
 * has a publication date); every event must point inside the text and
 * name a known type, and its record is written as `sitrep extract` would.
 * The lexicon is loaded once, from $SITREP_DATA or the data/ folder next
 * to build-fuzz/.
 */
#include "fuzz_common.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static sr_lexicon *lx;
static sr_extractor *xt;

static const char *const types[] = {
	"withdraw", "take_control", "deploy", "attack", "transfer_detainees", "agreement",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull) {
		char err[1024];
		devnull = fopen("/dev/null", "w");
		lx = sr_lexicon_load(NULL, 0, err, sizeof err);
		if (!lx) {
			fprintf(stderr, "fuzz_extract: %s\n", err);
			abort();
		}
		xt = sr_extractor_new(lx, err, sizeof err);
		if (!xt) {
			fprintf(stderr, "fuzz_extract: %s\n", err);
			abort();
		}
	}
	char *buf = malloc(size + 17);
	size_t n = 0;
	if (size > 0 && (data[0] & 1)) {
		memcpy(buf, " date 2026-02-24 ", 17);
		n = 17;
	}
	if (size)
		memcpy(buf + n, data, size);
	n += size;
	sr_doc *d = sr_doc_from_text("fuzz", buf, n);
	free(buf);
	const sr_event *ev;
	size_t nev;
	sr_extract(xt, d, &ev, &nev);
	for (size_t i = 0; i < nev; i++) {
		FUZZ_ASSERT(ev[i].start <= ev[i].end && ev[i].end <= d->len);
		FUZZ_ASSERT(ev[i].sentence < d->nsent);
		int known = 0;
		for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
			known |= !strcmp(ev[i].type, types[t]);
		FUZZ_ASSERT(known);
		FUZZ_ASSERT(ev[i].nquantities >= 0 && ev[i].nquantities <= SR_MAX_QUANTITIES);
		sr_event_write_json(devnull, d, &ev[i], i);
		sr_event_write_tsv(devnull, d, &ev[i], i);
	}
	sr_doc_free(d);
	return 0;
}
