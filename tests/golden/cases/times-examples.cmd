# time expressions of the bundled examples, both input forms
"$BIN" times "$ROOT"/examples
