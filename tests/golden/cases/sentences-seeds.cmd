# sentence spans of the five seed reports (no text: the reports are not ours)
"$BIN" sentences --no-text "$SHARED"/seeds
