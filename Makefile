# sitrep -- build, install dependencies, test, bench, fuzz.
#
#   make run    install what is missing, build, run the main job on examples/
#   make test   install what is missing, build, run every test (and again
#               under AddressSanitizer + UndefinedBehaviorSanitizer)
#   make bench  throughput and memory on a 100 MB corpus built from ../shared
#   make fuzz   libFuzzer targets, FUZZ_SECONDS each (default 60)

CC      ?= cc
SHARED  ?= ../shared
BUILD   ?= build
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla -Wcast-qual -Werror
CFLAGS  ?= -O2 -g
ALLCFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude
LIBS     = -lutf8proc -ljansson -lsqlite3 -lm
LIBS    += -lmicrohttpd -lpthread -lz
# the web's formats (src/input): gzip; libxml2 and libcurl are loaded when
# first needed (src/input/dyn.c), so only their headers are used here
LIBS    += $(shell pkg-config --libs zlib 2>/dev/null || echo -lz) -ldl -lpthread
ALLCFLAGS += $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
# the PostgreSQL engine of the store (issue 18): libpq from libpq-dev
ALLCFLAGS += $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
LIBS    += $(shell pkg-config --libs libpq 2>/dev/null || echo -lpq)

LIB_SRC  = $(sort $(wildcard src/*/*.c))
CLI_SRC  = $(sort $(wildcard cli/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ = $(UNIT_SRC:%.c=$(BUILD)/%.o)

BIN      = $(BUILD)/sitrep
LIBA     = $(BUILD)/libsitrep.a
UNIT     = $(BUILD)/unit-tests

.PHONY: serve
.PHONY: all deps run test check unit golden golden-update cli-tests asan \
        bench fuzz clean gazetteer model model-check

all: $(BIN) data/gen/gazetteer.tsv

# ISO 3166-1 codes and names for the exports (issue 16)
all: data/gen/countries.tsv
data/gen/countries.tsv: tools/gen-countries data/gen/gazetteer.tsv
	@tools/gen-countries

# the lexicon as built, which start-up reads instead of the text files
# while they keep the size and time recorded in it (src/lexicon/image.c)
all: data/gen/lexicon.img
data/gen/lexicon.img: $(BIN) data/gen/gazetteer.tsv data/countries_extra.tsv data/places.tsv \
		data/actors.tsv data/forces.tsv data/shapes.tsv data/words.tsv
	SITREP_DATA=data $(BIN) lexicon compile $@

# the world gazetteer, generated from installed packages (issue 3)
data/gen/gazetteer.tsv: tools/gen-gazetteer data/countries_extra.tsv data/regions_extra.tsv data/region_aliases.tsv data/words.tsv
	@tools/gen-gazetteer

$(BUILD)/%.o: %.c include/sitrep.h src/sr_internal.h $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -c $< -o $@

# the CLI's files share cli/cli.h
$(CLI_OBJ): cli/cli.h

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIBA)
	$(CC) $(ALLCFLAGS) -o $@ $(CLI_OBJ) $(LIBA) $(LIBS)

# the syntax model's trainer (issue 13); `make model` retrains data/syntax.model
TRAIN_SYNTAX_SRC = tools/train/train-syntax.c tools/train/clusters.c tools/train/lemmas.c tools/train/tagdict.c tools/train/text.c
$(BUILD)/train-syntax: $(TRAIN_SYNTAX_SRC) tools/train/clusters.h tools/train/lemmas.h tools/train/tagdict.h tools/train/text.h tools/train/treebank.h tools/train/umap.h $(LIBA) src/syntax/syntax_int.h
	$(CC) $(ALLCFLAGS) -Isrc -o $@ $(TRAIN_SYNTAX_SRC) $(LIBA) $(LIBS)

model: $(BUILD)/train-syntax
	@tools/train-syntax $(SHARED) data/syntax.model

# retrains into a temporary file and compares it with data/syntax.model
# byte for byte (about 6 minutes of CPU, so not part of `make test`)
model-check: $(BUILD)/train-syntax
	@tests/syntax/model-reproduces $(SHARED)

$(UNIT): $(UNIT_OBJ) $(LIBA)
	$(CC) $(ALLCFLAGS) -Isrc -o $@ $(UNIT_OBJ) $(LIBA) $(LIBS)

deps:
	@tools/install-deps

run: deps all
	@tools/run-examples $(BIN)

# the whole suite, then again under the sanitizers
test: deps
	$(MAKE) check
	$(MAKE) asan

check: all $(UNIT) $(BUILD)/train-syntax
	@tools/need-shared $(SHARED)
	@src/time/gen-word-index --check
	@tools/gen-html-words --check
	@echo "== unit tests"
	@$(UNIT)
	@echo "== golden tests"
	@tests/golden/run $(BIN) $(SHARED)
	@echo "== the syntax trainer's text rules"
	@tests/syntax/text-rules $(BUILD)/train-syntax
	@echo "== CLI tests"
	@tests/cli/run $(BIN)
	@echo "== event spec tests"
	@tests/events/run $(BIN)
	@echo "== input tests (pages, feeds, archives)"
	@tests/input/run $(BIN)
	@echo "== watch tests (a loopback server)"
	@tests/input/watch-test $(BIN)
	@if [ -x tests/store/run ]; then echo "== store tests"; tests/store/run $(BIN) $(SHARED); fi
	@if [ -x tests/store/pg ]; then echo "== store tests on PostgreSQL (a private server)"; tests/store/pg $(BIN) $(SHARED); fi
	@if [ -x tests/install/run ]; then echo "== install and README tests"; tests/install/run $(BIN) $(BUILD) $(SHARED); fi
	@tests/scores $(BIN) $(SHARED)
	@echo "== sitrep serve: API, hostile requests, the page in headless Chromium"
	@tests/web/run $(BIN) $(SHARED)

asan:
	@echo "== the suite under AddressSanitizer + UndefinedBehaviorSanitizer"
	$(MAKE) BUILD=build-asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  SR_SKIP_SCORES=1 check

# the page of `sitrep serve` (issue 15): web/ plus Leaflet, topojson-client
# and the Natural Earth outlines from node_modules, copied beside the binary
WEB_SRC = $(sort $(wildcard web/*))
all: $(BUILD)/web/index.html
$(BUILD)/web/index.html: $(WEB_SRC) tools/copy-web package-lock.json
	@tools/copy-web $(BUILD)/web

# the examples on a map: http://127.0.0.1:8750/ until Ctrl-C
serve: run
	$(BIN) serve --db $(BUILD)/examples.db

golden-update: all
	@tests/golden/run --update $(BIN) $(SHARED)

bench: deps all
	@bench/run $(BIN) $(SHARED)

fuzz: deps
	@tests/fuzz/run $(SHARED)

clean:
	rm -rf build build-asan build-fuzz

# ---- install (issue 16): the program, its data and its man page.
#   make install [PREFIX=/usr/local] [DESTDIR=/tmp/stage]
# The program finds its data beside itself (PREFIX/bin/../share/sitrep/data),
# so a staged or moved tree works; the build also records the installed
# location for a copied binary.
PREFIX  ?= /usr/local
DATADIR  = $(PREFIX)/share/sitrep/data
MAN1DIR  = $(PREFIX)/share/man/man1
.PHONY: install uninstall man need-shared
$(BUILD)/src/lexicon/load.o: ALLCFLAGS += -DSR_DATA_DIR='"$(DATADIR)"'

man: $(BUILD)/sitrep.1
$(BUILD)/sitrep.1: $(BIN) tools/gen-man
	tools/gen-man $(BIN) > $@.tmp && mv $@.tmp $@

install: all $(BUILD)/sitrep.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR) $(DESTDIR)$(MAN1DIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/sitrep
	cd data && find . \( -name '*.tsv' -o -name '*.model' \) -type f | while read -r f; do \
	  install -D -m 644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
	# the lexicon's image of the installed files (src/lexicon/image.c)
	SITREP_DATA=$(DESTDIR)$(DATADIR) $(BIN) lexicon compile
	install -m 644 $(BUILD)/sitrep.1 $(DESTDIR)$(MAN1DIR)/sitrep.1
	# the page of `sitrep serve` (issue 15): PREFIX/share/sitrep/web
	cd $(BUILD)/web && find . -type f | while read -r f; do \
	  install -D -m 644 "$$f" "$(DESTDIR)$(PREFIX)/share/sitrep/web/$$f" || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sitrep $(DESTDIR)$(MAN1DIR)/sitrep.1
	rm -rf $(DESTDIR)$(PREFIX)/share/sitrep

# the corpora the golden, store and score tests read
need-shared:
	@tools/need-shared $(SHARED)
