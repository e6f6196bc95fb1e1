/*
 * test_syntax.c -- the syntax stage: names of tags and relations, the
 * arc-hybrid transition system and its move costs on a known tree, the
 * feature extractors, cutting tokens into UD words, and the committed
 * model on a known sentence.
 */
#include "harness.h"

#include "../../src/syntax/syntax_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

SR_TEST(syntax_names_round_trip)
{
	for (int d = 1; d < SR_DEP_COUNT; d++)
		CHECK_INT(sr_deprel_id(sr_deprel_name(d)), d);
	for (int u = 1; u < SR_UPOS_COUNT; u++)
		CHECK_INT(sr_upos_id(sr_upos_name(u)), u);
	CHECK_INT(sr_deprel_id("nsubj:pass"), SR_DEP_NSUBJ_PASS);
	CHECK_INT(sr_deprel_base(SR_DEP_NSUBJ_PASS), SR_DEP_NSUBJ);
	CHECK_INT(sr_deprel_base(SR_DEP_OBL_AGENT), SR_DEP_OBL);
	CHECK_INT(sr_deprel_base(SR_DEP_OBJ), SR_DEP_OBJ);
	CHECK_INT(sr_deprel_id("no-such-relation"), SR_DEP_NONE);
	CHECK_STR(sr_deprel_name(SR_DEP_COUNT), "_");
	CHECK_STR(sr_upos_name(SR_UPOS_PROPN), "PROPN");
	CHECK_INT(sr_upos_id("XYZ"), SR_UPOS_NONE);
}

/* "She saw the base": She <-nsubj- saw -obj-> base -det-> the; saw is
 * the root.  Labels: 0 root, 1 nsubj, 2 obj, 3 det. */
static const int16_t gold_head[] = {1, 4, 3, 1};
static const uint8_t gold_label[] = {1, 0, 3, 2};

SR_TEST(syntax_transition_costs_on_a_known_tree)
{
	sy_state st;
	sy_state_alloc(&st, 4);
	sy_state_init(&st, 4);
	/* at the start only SHIFT is allowed, and it costs nothing */
	CHECK(sy_valid(&st, SY_SHIFT, 0));
	CHECK(!sy_valid(&st, SY_LEFT, 1));
	CHECK(!sy_valid(&st, SY_RIGHT, 1));
	CHECK_INT(sy_cost(&st, SY_SHIFT, 0, gold_head, gold_label), 0);
	sy_apply(&st, SY_SHIFT, 0);   /* stack ROOT She | saw the base */
	/* ROOT takes its dependent only at the end */
	CHECK(!sy_valid(&st, SY_RIGHT, 0));
	CHECK_INT(sy_cost(&st, SY_LEFT, 1, gold_head, gold_label), 0);
	CHECK_INT(sy_cost(&st, SY_LEFT, 2, gold_head, gold_label), 1);   /* wrong label */
	/* shifting "saw" over "She" loses saw <- ROOT and She <- saw */
	CHECK_INT(sy_cost(&st, SY_SHIFT, 0, gold_head, gold_label), 2);
	sy_apply(&st, SY_LEFT, 1);
	CHECK_INT(st.head[0], 1);
	CHECK_INT(st.l1[1], 0);
	CHECK_INT(st.nl[1], 1);
	sy_state_free(&st);
}

SR_TEST(syntax_zero_cost_moves_rebuild_the_gold_tree)
{
	sy_state st;
	sy_state_alloc(&st, 4);
	sy_state_init(&st, 4);
	int moves = 0;
	while (!sy_state_final(&st) && moves < 20) {
		int done = 0;
		for (int mv = 0; mv < 3 && !done; mv++)
			for (int l = 0; l < 4 && !done; l++) {
				if (mv == SY_SHIFT && l > 0)
					break;
				if (sy_valid(&st, mv, l) && sy_cost(&st, mv, l, gold_head, gold_label) == 0) {
					sy_apply(&st, mv, l);
					done = 1;
				}
			}
		CHECK(done);
		if (!done)
			break;
		moves++;
	}
	CHECK_INT(moves, 8);   /* 2n moves */
	for (int i = 0; i < 4; i++) {
		CHECK_INT(st.head[i], gold_head[i]);
		CHECK_INT(st.label[i], gold_label[i]);
	}
	sy_state_free(&st);
}

SR_TEST(syntax_word_features)
{
	sy_wfeat a, b, c;
	sy_word_features(NULL, NULL, "Syrian", 6, &a);
	sy_word_features(NULL, NULL, "syrian", 6, &b);
	CHECK(a.lower == b.lower);
	CHECK(a.form != b.form);
	CHECK(a.flags & SY_W_UPPER1);
	CHECK(!(b.flags & SY_W_UPPER1));
	CHECK(a.suf[2] == b.suf[2]);
	sy_word_features(NULL, NULL, "1,500", 5, &c);
	CHECK(c.flags & SY_W_DIGIT);
	sy_wfeat d;
	sy_word_features(NULL, NULL, "2,700", 5, &d);
	CHECK(c.lower == d.lower);   /* digits alike */
	CHECK(c.shape == d.shape);
	sy_word_features(NULL, NULL, "--", 2, &d);
	CHECK(d.flags & SY_W_PUNCT);
	sy_word_features(NULL, NULL, "SDF", 3, &d);
	CHECK(d.flags & SY_W_ALLCAP);
}

SR_TEST(syntax_features_depend_on_the_state)
{
	const char *words[] = {"She", "saw", "the", "base"};
	sy_wfeat w[4];
	for (int i = 0; i < 4; i++)
		sy_word_features(NULL, NULL, words[i], strlen(words[i]), &w[i]);
	uint16_t tags[4] = {3, 5, 7, 9};
	uint64_t k1[SY_PARSE_FEATS], k2[SY_PARSE_FEATS], k3[SY_PARSE_FEATS];
	sy_state st;
	sy_state_alloc(&st, 4);
	sy_state_init(&st, 4);
	size_t n1 = sy_parse_features(&st, w, tags, k1);
	size_t n2 = sy_parse_features(&st, w, tags, k2);
	CHECK(n1 > 60 && n1 <= SY_PARSE_FEATS);
	CHECK_INT(n1, n2);
	CHECK(!memcmp(k1, k2, n1 * sizeof *k1));   /* deterministic */
	sy_apply(&st, SY_SHIFT, 0);
	size_t n3 = sy_parse_features(&st, w, tags, k3);
	CHECK_INT(n3, n1);
	size_t same = 0;
	for (size_t i = 0; i < n1; i++)
		same += k1[i] == k3[i];
	CHECK(same < n1 / 4);   /* a move changes most features */
	uint64_t tk[SY_TAG_FEATS];
	size_t nt = sy_tag_features(w, 4, 1, tags, tk);
	CHECK(nt > 30 && nt <= SY_TAG_FEATS);
	sy_state_free(&st);
}

static void
check_split(const char *tok, const char *want)
{
	uint16_t st[8], ln[8];
	size_t k = sy_split_token(tok, strlen(tok), st, ln, 8);
	char got[128] = "";
	for (size_t i = 0; i < k; i++) {
		if (i)
			strcat(got, " ");
		strncat(got, tok + st[i], ln[i]);
	}
	CHECK_STR(got, want);
}

SR_TEST(syntax_tokens_cut_into_ud_words)
{
	check_split("didn't", "did n't");
	check_split("can't", "ca n't");
	check_split("I'm", "I 'm");
	check_split("they'll", "they 'll");
	check_split("cannot", "can not");
	check_split("al-Tanf", "al-Tanf");   /* the Arabic article stays */
	check_split("ash-Shaddadi", "ash-Shaddadi");
	check_split("all-out", "all - out");
	check_split("U.S.-led", "U.S. - led");
	check_split("Kurdish-led", "Kurdish - led");
	check_split("713-853-3989", "713-853-3989");
	check_split("5,700", "5,700");
	check_split("base", "base");
	check_split("-", "-");
	check_split("'s", "'s");
}

static sr_syntax *
load_model(void)
{
	char err[512];
	sr_syntax *m = sr_syntax_load(NULL, err, sizeof err);
	if (!m)
		fprintf(stderr, "test_syntax: %s\n", err);
	return m;
}

static int
word_index(const sr_parse *p, const char *form)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->w[i].flen == strlen(form) && !memcmp(p->w[i].form, form, p->w[i].flen))
			return (int)i;
	return -2;
}

SR_TEST(syntax_model_parses_a_known_sentence)
{
	sr_syntax *m = load_model();
	CHECK(m != NULL);
	if (!m)
		return;
	sr_parser *p = sr_parser_new(m);
	const char *text = "Syrian forces have taken control of the base near the border.";
	sr_doc *doc = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(doc);
	sr_parse parse;
	CHECK_INT(sr_parse_sentence(p, doc, 0, &parse), SR_OK);
	CHECK_INT(parse.n, 12);
	int forces = word_index(&parse, "forces"), taken = word_index(&parse, "taken");
	int base = word_index(&parse, "base"), control = word_index(&parse, "control");
	CHECK(forces >= 0 && taken >= 0 && base >= 0);
	if (forces >= 0 && taken >= 0 && base >= 0 && control >= 0) {
		CHECK_INT(parse.w[taken].head, -1);
		CHECK_INT(parse.w[taken].deprel, SR_DEP_ROOT);
		CHECK_INT(parse.w[taken].upos, SR_UPOS_VERB);
		CHECK_STR(parse.w[taken].lemma, "take");
		CHECK_INT(parse.w[forces].head, taken);
		CHECK_INT(parse.w[forces].deprel, SR_DEP_NSUBJ);
		CHECK_STR(parse.w[forces].lemma, "force");
		CHECK_INT(parse.w[control].head, taken);
		CHECK_INT(parse.w[control].deprel, SR_DEP_OBJ);
		CHECK_INT(parse.w[base].head, control);
		CHECK_STR(sr_xpos_name(m, parse.w[forces].xpos), "NNS");
		/* spans point into the text */
		CHECK_INT(parse.w[forces].start, 7);
		CHECK_INT(parse.w[forces].end, 13);
	}
	/* a sentence index past the end */
	CHECK_INT(sr_parse_sentence(p, doc, 5, &parse), SR_ERR_USAGE);
	CHECK_INT(parse.n, 0);
	sr_doc_free(doc);
	sr_parser_free(p);
	sr_syntax_free(m);
}

/* The parse with every feature summed at every move (the trainer's
 * sy_parse_features): what sy_parse, which keeps the sums of feature
 * groups between moves, must reproduce move for move. */
static void
parse_every_feature(const sr_syntax *m, sy_state *st, const sy_wfeat *w,
		    const uint16_t *t, int n)
{
	uint64_t keys[SY_PARSE_FEATS];
	_Alignas(64) int32_t scores[SY_SCORES];
	int nl = (int)m->nlabels;
	sy_state_init(st, n);
	while (!sy_state_final(st)) {
		if (st->sp < 2) {
			sy_apply(st, SY_SHIFT, 0);
			continue;
		}
		if (st->b >= n && st->sp == 2) {
			sy_apply(st, SY_RIGHT, 0);
			continue;
		}
		memset(scores, 0, sizeof scores);
		sy_score(&m->parw, keys, sy_parse_features(st, w, t, keys), scores);
		/* the first of the best allowed classes */
		int best = -1;
		for (int c = 0; c < 1 + 2 * nl; c++)
			if (sy_valid(st, sy_cls_move(c, nl), sy_cls_label(c, nl)) &&
			    (best < 0 || scores[c] > scores[best]))
				best = c;
		sy_apply(st, sy_cls_move(best, nl), sy_cls_label(best, nl));
	}
}

SR_TEST(syntax_kept_group_sums_give_the_same_trees)
{
	sr_syntax *m = load_model();
	CHECK(m != NULL);
	if (!m)
		return;
	static const char *const sentences[] = {
		"The garrison that had guarded the old airfield since 2014 pulled out on Friday , "
		"handing the runway , two hangars and a fuel depot to local police , a spokesman told reporters .",
		"Rockets fell near the crossing , but nobody was hurt , officials said .",
		"After weeks of talks , both sides agreed to a truce which neither expects to last .",
		"Did they leave ?",
		"Convoys of trucks , tankers and armoured vehicles were seen moving north , east and then "
		"south again along the highway , according to residents who counted more than 120 of them "
		"over three days , while drones circled overhead and artillery fired from positions "
		"that the army says it abandoned last year .",
	};
	sy_state a, b;
	sy_state_alloc(&a, 128);
	sy_state_alloc(&b, 128);
	for (size_t s = 0; s < sizeof sentences / sizeof *sentences; s++) {
		char buf[1024];
		snprintf(buf, sizeof buf, "%s", sentences[s]);
		sy_wfeat w[128];
		uint16_t t[128];
		int n = 0;
		for (char *q = strtok(buf, " "); q && n < 128; q = strtok(NULL, " "))
			sy_word_features(&m->amb, &m->clu, q, strlen(q), &w[n++]);
		sy_tag(m, w, (size_t)n, t);
		parse_every_feature(m, &a, w, t, n);
		sy_parse(m, &b, w, t, n);
		int same = 0;
		for (int i = 0; i < n; i++)
			same += a.head[i] == b.head[i] && a.label[i] == b.label[i];
		CHECK_INT(same, n);
	}
	sy_state_free(&a);
	sy_state_free(&b);
	sr_syntax_free(m);
}

/* The tag dictionary (tools/train/tagdict.c): the model has one, "the"
 * and "," are in it with their treebank classes, it covers a good share
 * of running words, and on these sentences the scoring tagger would
 * have given every dictionary word the same class. */
SR_TEST(syntax_tag_dictionary_gives_the_tagger_s_classes)
{
	sr_syntax *m = load_model();
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(m->tdict.keys != NULL);
	uint32_t v = 0;
	CHECK(sy_map_get(&m->tdict, sy_hash("the", 3), &v));
	CHECK_INT(v > 0 && v <= m->ntags ? m->tag_upos[v - 1] : -1, SR_UPOS_DET);
	CHECK(sy_map_get(&m->tdict, sy_hash(",", 1), &v));
	CHECK_INT(v > 0 && v <= m->ntags ? m->tag_upos[v - 1] : -1, SR_UPOS_PUNCT);
	CHECK(!sy_map_get(&m->tdict, sy_hash("Kherson", 7), &v));
	static const char *const sentences[] = {
		"The garrison pulled out on Friday , handing the runway to local police , a spokesman said .",
		"Rockets fell near the crossing , but nobody was hurt , officials said .",
		"After weeks of talks , both sides agreed to a truce which neither expects to last .",
	};
	sr_syntax scored = *m;
	scored.tdict = (sy_map){0};
	int words = 0, in_dict = 0, same = 0;
	for (size_t s = 0; s < sizeof sentences / sizeof *sentences; s++) {
		char buf[1024];
		snprintf(buf, sizeof buf, "%s", sentences[s]);
		sy_wfeat w[128];
		uint16_t t[128], u[128];
		int n = 0;
		for (char *q = strtok(buf, " "); q && n < 128; q = strtok(NULL, " "))
			sy_word_features(&m->amb, &m->clu, q, strlen(q), &w[n++]);
		sy_tag(m, w, (size_t)n, t);
		sy_tag(&scored, w, (size_t)n, u);
		for (int i = 0; i < n; i++) {
			words++;
			if (sy_map_get(&m->tdict, w[i].form, &v)) {
				in_dict++;
				CHECK_INT(t[i], (int)v - 1);
			}
			same += t[i] == u[i];
		}
	}
	CHECK_INT(same, words);
	CHECK(in_dict * 4 >= words);
	sr_syntax_free(m);
}

SR_TEST(syntax_sentence_past_the_parse_limit)
{
	sr_syntax *m = load_model();
	if (!m) {
		CHECK(m != NULL);
		return;
	}
	sr_parser *p = sr_parser_new(m);
	enum { N = SR_MAX_PARSE_WORDS * 2 + 37 };
	static const char *forms[N];
	static uint32_t lens[N];
	static const char *cycle[] = {"the", "troops", "left", "the", "base", ","};
	for (size_t i = 0; i < N; i++) {
		forms[i] = cycle[i % 6];
		lens[i] = (uint32_t)strlen(forms[i]);
	}
	sr_parse parse;
	CHECK_INT(sr_parse_words(p, forms, lens, N, &parse), SR_OK);
	CHECK_INT(parse.n, N);
	int roots = 0, bad = 0;
	for (size_t i = 0; i < parse.n; i++) {
		if (parse.w[i].head == -1)
			roots++;
		else if (parse.w[i].head < 0 || (size_t)parse.w[i].head >= parse.n || (size_t)parse.w[i].head == i)
			bad++;
	}
	CHECK_INT(roots, 1);
	CHECK_INT(bad, 0);
	/* an empty sentence */
	CHECK_INT(sr_parse_words(p, forms, lens, 0, &parse), SR_OK);
	CHECK_INT(parse.n, 0);
	sr_parser_free(p);
	sr_syntax_free(m);
}

SR_TEST(syntax_damaged_model_is_an_error)
{
	char path[] = "/tmp/sitrep-test-model-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	FILE *f = fdopen(fd, "wb");
	/* the magic, this version, then a table header cut short */
	char head[20] = "SRSYNTAX";
	uint32_t ver = SY_VERSION;
	memcpy(head + 8, &ver, 4);
	memset(head + 12, 0, 4);
	memcpy(head + 16, "CONF", 4);
	fwrite(head, 1, sizeof head, f);
	fclose(f);
	char err[512] = "";
	sr_syntax *m = sr_syntax_load(path, err, sizeof err);
	CHECK(m == NULL);
	CHECK(strstr(err, path) != NULL);
	CHECK(strstr(err, "truncated") != NULL);
	sr_syntax_free(m);
	m = sr_syntax_load("/nonexistent/syntax.model", err, sizeof err);
	CHECK(m == NULL);
	CHECK(strstr(err, "make model") != NULL);
	remove(path);
}
