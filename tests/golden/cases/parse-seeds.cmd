# the dependency parse of the five seed reports (issue 13): per word its
# id, UPOS, XPOS, head, relation and span; the words, lemmas and "# text"
# lines are cut (the reports are not ours).  tests/syntax/key-arcs checks
# the trees of the key sentences word by word (parse-seeds-key).
"$BIN" parse "$SHARED"/seeds | grep -v '^# text' | cut -f1,4,5,7,8,10
