# places and actors of the five seed reports: spans, ids and kinds (the
# "text" field removed: the reports are not ours).  Seed 000 names
# "Iraq's Kurdish region" (iq:kurdistan, once only "Iraq").
"$BIN" entities "$SHARED"/seeds | sed -E 's/"text":"([^"\\]|\\.)*",//'
