/*
 * format.c -- counts written the way reports write them (5,700).  The
 * tables, CSV, JSON and GeoJSON are the output layer's (src/output).
 */
#include "store_int.h"

#include <math.h>
#include <stdlib.h>

void
st_fmt_count(double v, char *out, size_t n)
{
	if (!isfinite(v)) {
		snprintf(out, n, "?");
		return;
	}
	if (v != floor(v) || fabs(v) >= 1e15) {
		snprintf(out, n, "%g", v);
		return;
	}
	char digits[32];
	snprintf(digits, sizeof digits, "%.0f", fabs(v));
	size_t len = strlen(digits), o = 0;
	if (v < 0 && o + 1 < n)
		out[o++] = '-';
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = 0;
}
