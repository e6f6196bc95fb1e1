# the trees of the seeds' key sentences where events need them (issue 13):
# subject and object of "taken", the words inside the base's name; the
# participle clause "previously vacated by U.S. forces" with its obl:agent
# and the passive subject of "transferred"; who "confirmed" the shift.
"$BIN" parse "$SHARED"/seeds | "$ROOT"/tests/syntax/key-arcs \
  "Syrian forces have taken control of the strategic al-Tanf military base" \
  "the “Tal Beydar” base near Qasrak, previously vacated by U.S. forces, will be transferred to SDF control" \
  "a significant shift in the US military presence in the region, confirmed by two Syrian military sources speaking to AFP"
