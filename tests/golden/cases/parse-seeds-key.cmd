# the trees of the seeds' key sentences where events need them (issue 13),
# each phrase named by its sentence and byte span in the seed report (the
# reports are not ours: the test does not repeat their words):
# subject and object of "taken", the words inside the base's name (004,
# sentence 1); the participle clause "vacated by" with its obl:agent and
# the passive subject of "transferred" (001, sentence 7); who "confirmed"
# the shift (002, sentence 1).
"$BIN" parse "$SHARED"/seeds | "$ROOT"/tests/syntax/key-arcs \
  "004_3960a0e75762fe68.txt#1@133-204" \
  "001_8618eda9ae476017.txt#7@1259-1367" \
  "002_ec32b4ca33967a97.txt#1@152-271"
