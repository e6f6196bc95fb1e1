# sentences of the bundled examples, both input forms, with their text
"$BIN" sentences "$ROOT"/examples
