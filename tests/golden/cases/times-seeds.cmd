# time expressions of the five seed reports: spans, short expression texts
# and values (no sentence text: the reports are not ours)
"$BIN" times "$SHARED"/seeds
