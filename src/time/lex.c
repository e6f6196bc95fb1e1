/*
 * lex.c -- the time tagger's own micro-tokens and word table.
 *
 * The tagger re-splits each sentence of the normalized text into small
 * pieces ("mid-October" -> mid - october, "Feb." -> feb ., "10:30" ->
 * 10 : 30, "23rd" -> 23 with an ordinal suffix) so the grammar does not
 * depend on how the document tokenizer joins hyphens and periods.
 *
 * The word table is compiled in, on purpose: these are the closed-class
 * words of English calendar language (month and weekday names, number
 * words, units, "ago", "earlier"...), the grammar's own vocabulary, not
 * knowledge about a conflict that a user would edit (that lives in
 * data/).  Keeping them here avoids a file lookup for every document and
 * keeps the grammar and its words in step.
 */
#include "time_int.h"

#include <stdio.h>
#include <threads.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SR_BIG_ENDIAN 1
#else
#define SR_BIG_ENDIAN 0
#endif


typedef struct wentry {
	const char *w;
	uint8_t cls;
	int16_t lv;
	uint16_t id;
} wentry;

/* Sorted by w (strcmp order); checked by a unit test. */
static const wentry words[] = {
	{"a", C_FUNC, 0, W_A},
	{"about", C_FUNC, 0, W_ABOUT},
	{"after", C_FUNC, 0, W_AFTER},
	{"afternoon", C_POD, POD_AF, 0},
	{"afternoons", C_POD, POD_AF + 100, 0},
	{"ago", C_FUNC, 0, W_AGO},
	{"ahead", C_FUNC, 0, W_AHEAD},
	{"aim", C_TENSE, T_FUTV, 0},
	{"aims", C_TENSE, T_FUTV, 0},
	{"all", C_FUNC, 0, W_ALL},
	{"alleged", C_TENSE, T_NOTV, 0},
	{"almost", C_FUNC, 0, W_ALMOST},
	{"already", C_FUNC, 0, W_ALREADY},
	{"am", C_TENSE, T_PRES, W_AM},
	{"an", C_FUNC, 0, W_AN},
	{"and", C_FUNC, 0, W_AND},
	{"annual", C_FUNC, 0, W_ANNUAL},
	{"annually", C_FUNC, 0, W_ANNUALLY},
	{"another", C_FUNC, 0, W_ANOTHER},
	{"approximately", C_FUNC, 0, W_APPROXIMATELY},
	{"apr", C_MONABBR, 4, 0},
	{"april", C_MONTH, 4, 0},
	{"are", C_TENSE, T_PRES, 0},
	{"armed", C_TENSE, T_NOTV, 0},
	{"around", C_FUNC, 0, W_AROUND},
	{"at", C_FUNC, 0, W_AT},
	{"ate", C_TENSE, T_PASTV, 0},
	{"aug", C_MONABBR, 8, 0},
	{"august", C_MONTH, 8, 0},
	{"autumn", C_SEASON, SEAS_FA, 0},
	{"backed", C_TENSE, T_NOTV, 0},
	{"based", C_TENSE, T_NOTV, 0},
	{"be", C_TENSE, T_INF_FUT, 0},
	{"beat", C_TENSE, T_PASTV, 0},
	{"became", C_TENSE, T_PASTV, 0},
	{"been", C_TENSE, T_BE, 0},
	{"before", C_FUNC, 0, W_BEFORE},
	{"began", C_TENSE, T_PASTV, 0},
	{"beginning", C_FUNC, 0, W_BEGINNING},
	{"being", C_TENSE, T_BE, 0},
	{"between", C_FUNC, 0, W_BETWEEN},
	{"bid", C_TENSE, T_PASTV, 0},
	{"bore", C_TENSE, T_PASTV, 0},
	{"bought", C_TENSE, T_PASTV, 0},
	{"broke", C_TENSE, T_PASTV, 0},
	{"brought", C_TENSE, T_PASTV, 0},
	{"built", C_TENSE, T_PASTV, 0},
	{"by", C_FUNC, 0, W_BY},
	{"called", C_TENSE, T_NOTV, 0},
	{"came", C_TENSE, T_PASTV, 0},
	{"can", C_TENSE, T_PRES, 0},
	{"caught", C_TENSE, T_PASTV, 0},
	{"centuries", C_UNIT, U_CENTURY + 100, 0},
	{"century", C_UNIT, U_CENTURY, 0},
	{"chose", C_TENSE, T_PASTV, 0},
	{"christmas", C_FUNC, 0, W_CHRISTMAS},
	{"coming", C_FUNC, 0, W_COMING},
	{"comparable", C_FUNC, 0, W_COMPARABLE},
	{"cost", C_TENSE, T_PASTV, 0},
	{"couple", C_FUNC, 0, W_COUPLE},
	{"current", C_FUNC, 0, W_CURRENT},
	{"currently", C_FUNC, 0, W_CURRENTLY},
	{"cut", C_TENSE, T_PASTV, 0},
	{"daily", C_FUNC, 0, W_DAILY},
	{"dawn", C_POD, POD_MO, W_DAWN},
	{"day", C_UNIT, U_DAY, 0},
	{"days", C_UNIT, U_DAY + 100, 0},
	{"dealt", C_TENSE, T_PASTV, 0},
	{"dec", C_MONABBR, 12, 0},
	{"decade", C_UNIT, U_DECADE, 0},
	{"decades", C_UNIT, U_DECADE + 100, 0},
	{"december", C_MONTH, 12, 0},
	{"designated", C_TENSE, T_NOTV, 0},
	{"detained", C_TENSE, T_NOTV, 0},
	{"did", C_TENSE, T_PAST, 0},
	{"does", C_TENSE, T_PRES, 0},
	{"dozen", C_FUNC, 0, W_DOZEN},
	{"dozens", C_FUNC, 0, W_DOZENS},
	{"drew", C_TENSE, T_PASTV, 0},
	{"drove", C_TENSE, T_PASTV, 0},
	{"due", C_TENSE, T_FUTV, 0},
	{"dug", C_TENSE, T_PASTV, 0},
	{"during", C_FUNC, 0, W_DURING},
	{"dusk", C_POD, POD_EV, W_DUSK},
	{"each", C_FUNC, 0, W_EACH},
	{"earlier", C_FUNC, 0, W_EARLIER},
	{"early", C_FUNC, 0, W_EARLY},
	{"easter", C_FUNC, 0, W_EASTER},
	{"eight", C_NUM, 8, 0},
	{"eighteen", C_NUM, 18, 0},
	{"eighteenth", C_ORD, 18, 0},
	{"eighth", C_ORD, 8, 0},
	{"eighties", C_DECADE, 80, 0},
	{"eighty", C_NUM, 80, 0},
	{"eleven", C_NUM, 11, 0},
	{"eleventh", C_ORD, 11, 0},
	{"end", C_FUNC, 0, W_END},
	{"ended", C_FUNC, 0, W_ENDED},
	{"ending", C_FUNC, 0, W_ENDING},
	{"entire", C_FUNC, 0, W_ENTIRE},
	{"eve", C_FUNC, 0, W_EVE},
	{"evening", C_POD, POD_EV, 0},
	{"evenings", C_POD, POD_EV + 100, 0},
	{"every", C_FUNC, 0, W_EVERY},
	{"expect", C_TENSE, T_FUTV, 0},
	{"expected", C_TENSE, T_FUTV, 0},
	{"expects", C_TENSE, T_FUTV, 0},
	{"fall", C_SEASON, SEAS_FA, 0},
	{"feb", C_MONABBR, 2, 0},
	{"february", C_MONTH, 2, 0},
	{"fed", C_TENSE, T_PASTV, 0},
	{"fell", C_TENSE, T_PASTV, 0},
	{"felt", C_TENSE, T_PASTV, 0},
	{"few", C_FUNC, 0, W_FEW},
	{"fifteen", C_NUM, 15, 0},
	{"fifteenth", C_ORD, 15, 0},
	{"fifth", C_ORD, 5, 0},
	{"fifties", C_DECADE, 50, 0},
	{"fifty", C_NUM, 50, 0},
	{"final", C_FUNC, 0, W_FINAL},
	{"first", C_ORD, 1, W_FIRST},
	{"fiscal", C_FUNC, 0, W_FISCAL},
	{"five", C_NUM, 5, 0},
	{"fled", C_TENSE, T_PASTV, 0},
	{"flew", C_TENSE, T_PASTV, 0},
	{"following", C_FUNC, 0, W_FOLLOWING},
	{"for", C_FUNC, 0, W_FOR},
	{"forbade", C_TENSE, T_PASTV, 0},
	{"forgot", C_TENSE, T_PASTV, 0},
	{"formerly", C_FUNC, 0, W_FORMERLY},
	{"forties", C_DECADE, 40, 0},
	{"fortnight", C_UNIT, U_FORTNIGHT, 0},
	{"forty", C_NUM, 40, 0},
	{"fought", C_TENSE, T_PASTV, 0},
	{"found", C_TENSE, T_PASTV, 0},
	{"four", C_NUM, 4, 0},
	{"fourteen", C_NUM, 14, 0},
	{"fourteenth", C_ORD, 14, 0},
	{"fourth", C_ORD, 4, 0},
	{"fri", C_WDABBR, 5, 0},
	{"friday", C_WDAY, 5, 0},
	{"fridays", C_WDAY, 105, 0},
	{"from", C_FUNC, 0, W_FROM},
	{"full", C_FUNC, 0, W_FULL},
	{"future", C_FUNC, 0, W_FUTURE},
	{"gave", C_TENSE, T_PASTV, 0},
	{"going", C_TENSE, T_MODAL_FUT, 0},
	{"got", C_TENSE, T_PASTV, 0},
	{"grew", C_TENSE, T_PASTV, 0},
	{"had", C_TENSE, T_PAST, 0},
	{"half", C_FUNC, 0, W_HALF},
	{"has", C_TENSE, T_PERF, 0},
	{"have", C_TENSE, T_PERF, 0},
	{"heard", C_TENSE, T_PASTV, 0},
	{"held", C_TENSE, T_PASTV, 0},
	{"hence", C_FUNC, 0, W_HENCE},
	{"hid", C_TENSE, T_PASTV, 0},
	{"historically", C_FUNC, 0, W_HISTORICALLY},
	{"hit", C_TENSE, T_PASTV, 0},
	{"hour", C_UNIT, U_HOUR, 0},
	{"hourly", C_FUNC, 0, W_HOURLY},
	{"hours", C_UNIT, U_HOUR + 100, 0},
	{"hundred", C_NUM, 100, 0},
	{"hung", C_TENSE, T_PASTV, 0},
	{"in", C_FUNC, 0, W_IN},
	{"indeed", C_TENSE, T_NOTV, 0},
	{"intend", C_TENSE, T_FUTV, 0},
	{"intends", C_TENSE, T_FUTV, 0},
	{"into", C_FUNC, 0, W_INTO},
	{"is", C_TENSE, T_PRES, 0},
	{"jan", C_MONABBR, 1, 0},
	{"january", C_MONTH, 1, 0},
	{"jul", C_MONABBR, 7, 0},
	{"july", C_MONTH, 7, 0},
	{"jun", C_MONABBR, 6, 0},
	{"june", C_MONTH, 6, 0},
	{"just", C_FUNC, 0, W_JUST},
	{"kept", C_TENSE, T_PASTV, 0},
	{"knew", C_TENSE, T_PASTV, 0},
	{"laid", C_TENSE, T_PASTV, 0},
	{"last", C_FUNC, 0, W_LAST},
	{"late", C_FUNC, 0, W_LATE},
	{"lately", C_FUNC, 0, W_LATELY},
	{"later", C_FUNC, 0, W_LATER},
	{"latest", C_FUNC, 0, W_LATEST},
	{"lay", C_TENSE, T_PASTV, 0},
	{"least", C_FUNC, 0, W_LEAST},
	{"led", C_TENSE, T_PASTV, 0},
	{"left", C_TENSE, T_PASTV, 0},
	{"less", C_FUNC, 0, W_LESS},
	{"likely", C_TENSE, T_FUTV, 0},
	{"limited", C_TENSE, T_NOTV, 0},
	{"lit", C_TENSE, T_PASTV, 0},
	{"ll", C_TENSE, T_FUT, 0},
	{"lost", C_TENSE, T_PASTV, 0},
	{"made", C_TENSE, T_PASTV, 0},
	{"many", C_FUNC, 0, W_MANY},
	{"mar", C_MONABBR, 3, 0},
	{"march", C_MONTH, 3, 0},
	{"may", C_MONTH, 5, 0},
	{"meant", C_TENSE, T_PASTV, 0},
	{"met", C_TENSE, T_PASTV, 0},
	{"mid", C_FUNC, 0, W_MID},
	{"midafternoon", C_POD, POD_AF, W_MIDAFTERNOON},
	{"midday", C_FUNC, 0, W_NOON},
	{"middle", C_FUNC, 0, W_MIDDLE},
	{"midnight", C_FUNC, 0, W_MIDNIGHT},
	{"might", C_TENSE, T_FUT, 0},
	{"millennium", C_UNIT, U_MILLENNIUM, 0},
	{"minute", C_UNIT, U_MINUTE, 0},
	{"minutes", C_UNIT, U_MINUTE + 100, 0},
	{"moment", C_FUNC, 0, W_MOMENT},
	{"mon", C_WDABBR, 1, 0},
	{"monday", C_WDAY, 1, 0},
	{"mondays", C_WDAY, 101, 0},
	{"month", C_UNIT, U_MONTH, 0},
	{"monthly", C_FUNC, 0, W_MONTHLY},
	{"months", C_UNIT, U_MONTH + 100, 0},
	{"more", C_FUNC, 0, W_MORE},
	{"morning", C_POD, POD_MO, 0},
	{"mornings", C_POD, POD_MO + 100, 0},
	{"must", C_TENSE, T_PRES, 0},
	{"nearly", C_FUNC, 0, W_NEARLY},
	{"need", C_TENSE, T_NOTV, 0},
	{"new", C_FUNC, 0, W_NEW},
	{"next", C_FUNC, 0, W_NEXT},
	{"night", C_POD, POD_NI, 0},
	{"nightly", C_FUNC, 0, W_NIGHTLY},
	{"nights", C_POD, POD_NI + 100, 0},
	{"nine", C_NUM, 9, 0},
	{"nineteen", C_NUM, 19, 0},
	{"nineteenth", C_ORD, 19, 0},
	{"nineties", C_DECADE, 90, 0},
	{"ninety", C_NUM, 90, 0},
	{"ninth", C_ORD, 9, 0},
	{"no", C_FUNC, 0, W_NO},
	{"noon", C_FUNC, 0, W_NOON},
	{"not", C_FUNC, 0, W_NOT},
	{"nov", C_MONABBR, 11, 0},
	{"november", C_MONTH, 11, 0},
	{"now", C_FUNC, 0, W_NOW},
	{"nowadays", C_FUNC, 0, W_NOWADAYS},
	{"oct", C_MONABBR, 10, 0},
	{"october", C_MONTH, 10, 0},
	{"of", C_FUNC, 0, W_OF},
	{"on", C_FUNC, 0, W_ON},
	{"once", C_FUNC, 0, W_ONCE},
	{"one", C_NUM, 1, W_ONE},
	{"only", C_FUNC, 0, W_ONLY},
	{"or", C_FUNC, 0, W_OR},
	{"other", C_FUNC, 0, W_OTHER},
	{"over", C_FUNC, 0, W_OVER},
	{"overnight", C_FUNC, 0, W_OVERNIGHT},
	{"overran", C_TENSE, T_PASTV, 0},
	{"overthrew", C_TENSE, T_PASTV, 0},
	{"overtook", C_TENSE, T_PASTV, 0},
	{"paid", C_TENSE, T_PASTV, 0},
	{"past", C_FUNC, 0, W_PAST},
	{"per", C_FUNC, 0, W_PER},
	{"period", C_FUNC, 0, W_PERIOD},
	{"plan", C_TENSE, T_FUTV, 0},
	{"planned", C_TENSE, T_FUTV, 0},
	{"planning", C_TENSE, T_FUTV, 0},
	{"plans", C_TENSE, T_FUTV, 0},
	{"poised", C_TENSE, T_FUTV, 0},
	{"preparing", C_TENSE, T_FUTV, 0},
	{"present", C_FUNC, 0, W_PRESENT},
	{"presently", C_FUNC, 0, W_PRESENTLY},
	{"previous", C_FUNC, 0, W_PREVIOUS},
	{"previously", C_FUNC, 0, W_PREVIOUSLY},
	{"prior", C_FUNC, 0, W_PRIOR},
	{"quarter", C_UNIT, U_QUARTER, 0},
	{"quarterly", C_FUNC, 0, W_QUARTERLY},
	{"quarters", C_UNIT, U_QUARTER + 100, 0},
	{"ran", C_TENSE, T_PASTV, 0},
	{"rang", C_TENSE, T_PASTV, 0},
	{"read", C_TENSE, T_PASTV, 0},
	{"ready", C_TENSE, T_FUTV, 0},
	{"recent", C_FUNC, 0, W_RECENT},
	{"recently", C_FUNC, 0, W_RECENTLY},
	{"related", C_TENSE, T_NOTV, 0},
	{"rode", C_TENSE, T_PASTV, 0},
	{"rose", C_TENSE, T_PASTV, 0},
	{"roughly", C_FUNC, 0, W_ROUGHLY},
	{"said", C_TENSE, T_PASTV, 0},
	{"same", C_FUNC, 0, W_SAME},
	{"sank", C_TENSE, T_PASTV, 0},
	{"sat", C_WDABBR, 6, 0},
	{"saturday", C_WDAY, 6, 0},
	{"saturdays", C_WDAY, 106, 0},
	{"saw", C_TENSE, T_PASTV, 0},
	{"scheduled", C_TENSE, T_FUTV, 0},
	{"second", C_ORD, 2, W_SECOND},
	{"seconds", C_UNIT, U_SECOND + 100, 0},
	{"seized", C_TENSE, T_PASTV, 0},
	{"sent", C_TENSE, T_PASTV, 0},
	{"sep", C_MONABBR, 9, 0},
	{"sept", C_MONABBR, 9, 0},
	{"september", C_MONTH, 9, 0},
	{"set", C_TENSE, T_FUTV, 0},
	{"seven", C_NUM, 7, 0},
	{"seventeen", C_NUM, 17, 0},
	{"seventeenth", C_ORD, 17, 0},
	{"seventh", C_ORD, 7, 0},
	{"seventies", C_DECADE, 70, 0},
	{"seventy", C_NUM, 70, 0},
	{"several", C_FUNC, 0, W_SEVERAL},
	{"shall", C_TENSE, T_FUT, 0},
	{"shook", C_TENSE, T_PASTV, 0},
	{"shot", C_TENSE, T_PASTV, 0},
	{"should", C_TENSE, T_PRES, 0},
	{"since", C_FUNC, 0, W_SINCE},
	{"six", C_NUM, 6, 0},
	{"sixteen", C_NUM, 16, 0},
	{"sixteenth", C_ORD, 16, 0},
	{"sixth", C_ORD, 6, 0},
	{"sixties", C_DECADE, 60, 0},
	{"sixty", C_NUM, 60, 0},
	{"slated", C_TENSE, T_FUTV, 0},
	{"slid", C_TENSE, T_PASTV, 0},
	{"sold", C_TENSE, T_PASTV, 0},
	{"some", C_FUNC, 0, W_SOME},
	{"soon", C_FUNC, 0, W_SOON},
	{"sought", C_TENSE, T_PASTV, 0},
	{"speed", C_TENSE, T_NOTV, 0},
	{"spent", C_TENSE, T_PASTV, 0},
	{"spoke", C_TENSE, T_PASTV, 0},
	{"spring", C_SEASON, SEAS_SP, 0},
	{"spun", C_TENSE, T_PASTV, 0},
	{"start", C_FUNC, 0, W_START},
	{"stole", C_TENSE, T_PASTV, 0},
	{"stood", C_TENSE, T_PASTV, 0},
	{"struck", C_TENSE, T_PASTV, 0},
	{"stuck", C_TENSE, T_PASTV, 0},
	{"summer", C_SEASON, SEAS_SU, 0},
	{"sun", C_WDABBR, 7, 0},
	{"sunday", C_WDAY, 7, 0},
	{"sundays", C_WDAY, 107, 0},
	{"suspected", C_TENSE, T_NOTV, 0},
	{"swept", C_TENSE, T_PASTV, 0},
	{"swore", C_TENSE, T_PASTV, 0},
	{"swung", C_TENSE, T_PASTV, 0},
	{"taught", C_TENSE, T_PASTV, 0},
	{"ten", C_NUM, 10, 0},
	{"tenth", C_ORD, 10, 0},
	{"than", C_FUNC, 0, W_THAN},
	{"thanksgiving", C_FUNC, 0, W_THANKSGIVING},
	{"that", C_FUNC, 0, W_THAT},
	{"the", C_FUNC, 0, W_THE},
	{"then", C_FUNC, 0, W_THEN},
	{"these", C_FUNC, 0, W_THESE},
	{"third", C_ORD, 3, 0},
	{"thirteen", C_NUM, 13, 0},
	{"thirteenth", C_ORD, 13, 0},
	{"thirties", C_DECADE, 30, 0},
	{"thirtieth", C_ORD, 30, 0},
	{"thirty", C_NUM, 30, 0},
	{"this", C_FUNC, 0, W_THIS},
	{"those", C_FUNC, 0, W_THOSE},
	{"thought", C_TENSE, T_PASTV, 0},
	{"thousand", C_NUM, 1000, 0},
	{"three", C_NUM, 3, 0},
	{"threw", C_TENSE, T_PASTV, 0},
	{"through", C_FUNC, 0, W_THROUGH},
	{"thu", C_WDABBR, 4, 0},
	{"thur", C_WDABBR, 4, 0},
	{"thurs", C_WDABBR, 4, 0},
	{"thursday", C_WDAY, 4, 0},
	{"thursdays", C_WDAY, 104, 0},
	{"till", C_FUNC, 0, W_TILL},
	{"time", C_FUNC, 0, W_TIME},
	{"times", C_FUNC, 0, W_TIMES},
	{"to", C_FUNC, 0, W_TO},
	{"today", C_FUNC, 0, W_TODAY},
	{"told", C_TENSE, T_PASTV, 0},
	{"tomorrow", C_FUNC, 0, W_TOMORROW},
	{"tonight", C_FUNC, 0, W_TONIGHT},
	{"took", C_TENSE, T_PASTV, 0},
	{"tore", C_TENSE, T_PASTV, 0},
	{"tue", C_WDABBR, 2, 0},
	{"tues", C_WDABBR, 2, 0},
	{"tuesday", C_WDAY, 2, 0},
	{"tuesdays", C_WDAY, 102, 0},
	{"twelfth", C_ORD, 12, 0},
	{"twelve", C_NUM, 12, 0},
	{"twenties", C_DECADE, 20, 0},
	{"twentieth", C_ORD, 20, 0},
	{"twenty", C_NUM, 20, 0},
	{"twice", C_FUNC, 0, W_TWICE},
	{"two", C_NUM, 2, 0},
	{"under", C_FUNC, 0, W_UNDER},
	{"understood", C_TENSE, T_PASTV, 0},
	{"undertook", C_TENSE, T_PASTV, 0},
	{"united", C_TENSE, T_NOTV, 0},
	{"until", C_FUNC, 0, W_UNTIL},
	{"up", C_FUNC, 0, W_UP},
	{"upcoming", C_FUNC, 0, W_UPCOMING},
	{"upheld", C_TENSE, T_PASTV, 0},
	{"was", C_TENSE, T_PAST, 0},
	{"wed", C_WDABBR, 3, 0},
	{"wednesday", C_WDAY, 3, 0},
	{"wednesdays", C_WDAY, 103, 0},
	{"week", C_UNIT, U_WEEK, 0},
	{"weekend", C_UNIT, U_WEEKEND, 0},
	{"weekends", C_UNIT, U_WEEKEND + 100, 0},
	{"weekly", C_FUNC, 0, W_WEEKLY},
	{"weeks", C_UNIT, U_WEEK + 100, 0},
	{"went", C_TENSE, T_PASTV, 0},
	{"were", C_TENSE, T_PAST, 0},
	{"whole", C_FUNC, 0, W_WHOLE},
	{"will", C_TENSE, T_FUT, 0},
	{"winter", C_SEASON, SEAS_WI, 0},
	{"withdrew", C_TENSE, T_PASTV, 0},
	{"withheld", C_TENSE, T_PASTV, 0},
	{"within", C_FUNC, 0, W_WITHIN},
	{"woke", C_TENSE, T_PASTV, 0},
	{"won", C_TENSE, T_PASTV, 0},
	{"wore", C_TENSE, T_PASTV, 0},
	{"would", C_TENSE, T_MODAL_FUT, 0},
	{"wrote", C_TENSE, T_PASTV, 0},
	{"year", C_UNIT, U_YEAR, 0},
	{"yearly", C_FUNC, 0, W_YEARLY},
	{"years", C_UNIT, U_YEAR + 100, 0},
	{"yesterday", C_FUNC, 0, W_YESTERDAY},
	{"yet", C_FUNC, 0, W_YET},
	{"zero", C_NUM, 0, 0},
};

/* The table's index, generated (src/time/gen-word-index) so that no
 * document pays for building it and the library keeps no mutable
 * global. */
#include "word_index.h"

/* A word's two slots in the index: bits of a multiplicative hash of its
 * key (its bytes zero-padded to 16, as two little-endian numbers) and
 * length. */
static inline uint64_t
tlex_mix(uint64_t a, uint64_t b, size_t l)
{
	return (a * 0x9E3779B97F4A7C15ULL) ^ (b * 0xC2B2AE3D27D4EB4FULL) ^ (uint64_t)l;
}

static inline void
tlex_hash(uint64_t a, uint64_t b, size_t l, uint32_t *h1, uint32_t *h2)
{
	uint64_t h = tlex_mix(a, b, l);
	*h1 = (uint32_t)(h >> 54) & (TLEX_SLOTS - 1);
	*h2 = (uint32_t)(h >> 40) & (TLEX_SLOTS - 1);
}

/* A word's key from its bytes (at most 15). */
static void
tlex_key(const char *w, size_t l, uint64_t *a, uint64_t *b)
{
	unsigned char k[16] = {0};
	memcpy(k, w, l);
	uint64_t x = 0, y = 0;
	for (int i = 7; i >= 0; i--) {
		x = x << 8 | k[i];
		y = y << 8 | k[8 + i];
	}
	*a = x;
	*b = y;
}

#define NWORDS SR_ARRAY_LEN(words)

/* Checks word_index.h against the table (for the unit test): 1 if every
 * word has its key, sits in one of its two slots, and no other slot is
 * taken. */
int
tlex_index_check(void)
{
	if (SR_ARRAY_LEN(word_key) != NWORDS + 1)
		return 0;
	size_t used = 0;
	for (size_t h = 0; h < TLEX_SLOTS; h++)
		used += word_slot[h] >= 0 && (size_t)word_slot[h] < NWORDS;
	if (used != NWORDS)
		return 0;
	for (size_t i = 0; i < NWORDS; i++) {
		uint64_t a, b;
		uint32_t h1, h2;
		size_t l = strlen(words[i].w);
		if (l > 15)
			return 0;
		tlex_key(words[i].w, l, &a, &b);
		if (a != word_key[i][0] || b != word_key[i][1])
			return 0;
		tlex_hash(a, b, l, &h1, &h2);
		if (word_slot[h1] != (int16_t)i && word_slot[h2] != (int16_t)i)
			return 0;
	}
	return 1;
}

/* Each entry's flags (TF_*: its start flags, and TF_ANCHOR), by whether
 * the word is capitalized (a month is an anchor only then); the last
 * row, for no entry, is zero.  Filled once (anchor_init). */
static uint8_t entry_tf[NWORDS + 1][2];

/* Looks up t->w, whose key is (a, b) (letters only, at most 13): two
 * slots, and a choice without branches (whether a word is in the table
 * is a coin toss in running text, which a branch predictor loses).
 * Sets its class, value, id and flags; returns whether it is there. */
static inline int
lookup(tw *t, uint64_t a, uint64_t b, size_t l)
{
	uint32_t h1, h2;
	tlex_hash(a, b, l, &h1, &h2);
	/* an empty slot holds NWORDS, whose key no word has */
	size_t x1 = (size_t)word_slot[h1], x2 = (size_t)word_slot[h2];
	size_t m1 = (word_key[x1][0] == a) & (word_key[x1][1] == b);
	size_t m2 = (word_key[x2][0] == a) & (word_key[x2][1] == b);
	/* the entry, or 0 (then masked off): with masks, not branches */
	size_t k = (x1 & (0 - m1)) | (x2 & (0 - (m2 & (m1 ^ 1))));
	int found = (int)(m1 | m2);
	const wentry *e = &words[k];
	t->cls = found ? e->cls : 0;
	t->lv = (int16_t)(found ? e->lv : 0);
	t->id = (uint16_t)(found ? e->id : 0);
	t->tf = entry_tf[found ? k : NWORDS][t->up];
	return found;
}

/* For the unit test that keeps the table sorted. */
int
tlex_table_sorted(void)
{
	for (size_t i = 1; i < SR_ARRAY_LEN(words); i++)
		if (strcmp(words[i - 1].w, words[i].w) >= 0)
			return 0;
	return 1;
}

/* Character classes of the splitter. */
enum { CH_PUNCT = 0, CH_SPACE, CH_DIGIT, CH_UPPER, CH_LOWER, CH_HIGH };

static const uint8_t chclass[256] = {
	['\t'] = CH_SPACE, ['\n'] = CH_SPACE, ['\v'] = CH_SPACE, ['\f'] = CH_SPACE, ['\r'] = CH_SPACE,
	[' '] = CH_SPACE,
	['0'] = CH_DIGIT, ['1'] = CH_DIGIT, ['2'] = CH_DIGIT, ['3'] = CH_DIGIT, ['4'] = CH_DIGIT,
	['5'] = CH_DIGIT, ['6'] = CH_DIGIT, ['7'] = CH_DIGIT, ['8'] = CH_DIGIT, ['9'] = CH_DIGIT,
	['A'] = CH_UPPER, ['B'] = CH_UPPER, ['C'] = CH_UPPER, ['D'] = CH_UPPER, ['E'] = CH_UPPER,
	['F'] = CH_UPPER, ['G'] = CH_UPPER, ['H'] = CH_UPPER, ['I'] = CH_UPPER, ['J'] = CH_UPPER,
	['K'] = CH_UPPER, ['L'] = CH_UPPER, ['M'] = CH_UPPER, ['N'] = CH_UPPER, ['O'] = CH_UPPER,
	['P'] = CH_UPPER, ['Q'] = CH_UPPER, ['R'] = CH_UPPER, ['S'] = CH_UPPER, ['T'] = CH_UPPER,
	['U'] = CH_UPPER, ['V'] = CH_UPPER, ['W'] = CH_UPPER, ['X'] = CH_UPPER, ['Y'] = CH_UPPER,
	['Z'] = CH_UPPER,
	['a'] = CH_LOWER, ['b'] = CH_LOWER, ['c'] = CH_LOWER, ['d'] = CH_LOWER, ['e'] = CH_LOWER,
	['f'] = CH_LOWER, ['g'] = CH_LOWER, ['h'] = CH_LOWER, ['i'] = CH_LOWER, ['j'] = CH_LOWER,
	['k'] = CH_LOWER, ['l'] = CH_LOWER, ['m'] = CH_LOWER, ['n'] = CH_LOWER, ['o'] = CH_LOWER,
	['p'] = CH_LOWER, ['q'] = CH_LOWER, ['r'] = CH_LOWER, ['s'] = CH_LOWER, ['t'] = CH_LOWER,
	['u'] = CH_LOWER, ['v'] = CH_LOWER, ['w'] = CH_LOWER, ['x'] = CH_LOWER, ['y'] = CH_LOWER,
	['z'] = CH_LOWER,
#define H16(x) [x] = CH_HIGH, [x + 1] = CH_HIGH, [x + 2] = CH_HIGH, [x + 3] = CH_HIGH, \
	[x + 4] = CH_HIGH, [x + 5] = CH_HIGH, [x + 6] = CH_HIGH, [x + 7] = CH_HIGH, \
	[x + 8] = CH_HIGH, [x + 9] = CH_HIGH, [x + 10] = CH_HIGH, [x + 11] = CH_HIGH, \
	[x + 12] = CH_HIGH, [x + 13] = CH_HIGH, [x + 14] = CH_HIGH, [x + 15] = CH_HIGH
	H16(0x80), H16(0x90), H16(0xa0), H16(0xb0), H16(0xc0), H16(0xd0), H16(0xe0), H16(0xf0),
#undef H16
};

static int
is_digit(unsigned char c)
{
	return chclass[c] == CH_DIGIT;
}

/* Start flags by word class, and by word id for the other words. */
static const uint8_t cls_tf[C_DECADE + 1] = {
	[C_MONTH] = TF_TEMPORAL, [C_MONABBR] = TF_TEMPORAL, [C_WDAY] = TF_TEMPORAL,
	[C_WDABBR] = TF_TEMPORAL, [C_UNIT] = TF_TEMPORAL, [C_SEASON] = TF_TEMPORAL,
	[C_POD] = TF_TEMPORAL, [C_NUM] = TF_TEMPORAL, [C_ORD] = TF_TEMPORAL,
	[C_DECADE] = TF_TEMPORAL,
};
static const uint8_t id_tf[W__COUNT] = {
	[W_PAST] = TF_TEMPORAL, [W_FUTURE] = TF_TEMPORAL, [W_PRESENT] = TF_TEMPORAL,
	[W_MOMENT] = TF_TEMPORAL, [W_TODAY] = TF_TEMPORAL, [W_YESTERDAY] = TF_TEMPORAL,
	[W_TOMORROW] = TF_TEMPORAL, [W_TONIGHT] = TF_TEMPORAL, [W_LATER] = TF_TEMPORAL,
	[W_PERIOD] = TF_TEMPORAL, [W_HALF] = TF_TEMPORAL, [W_CHRISTMAS] = TF_TEMPORAL,
	[W_THANKSGIVING] = TF_TEMPORAL, [W_FISCAL] = TF_TEMPORAL, [W_NOON] = TF_TEMPORAL,
	[W_MIDNIGHT] = TF_TEMPORAL, [W_LATEST] = TF_TEMPORAL, [W_CURRENT] = TF_TEMPORAL,
	[W_COMPARABLE] = TF_TEMPORAL, [W_NEW] = TF_TEMPORAL, [W_SEVERAL] = TF_TEMPORAL,
	[W_FEW] = TF_TEMPORAL, [W_COUPLE] = TF_TEMPORAL, [W_DOZEN] = TF_TEMPORAL,
	[W_MANY] = TF_TEMPORAL,
	[W_NOW] = TF_STRONG, [W_CURRENTLY] = TF_STRONG, [W_PRESENTLY] = TF_STRONG,
	[W_NOWADAYS] = TF_STRONG, [W_RECENTLY] = TF_STRONG, [W_LATELY] = TF_STRONG,
	[W_DAILY] = TF_STRONG, [W_WEEKLY] = TF_STRONG, [W_MONTHLY] = TF_STRONG,
	[W_YEARLY] = TF_STRONG, [W_HOURLY] = TF_STRONG, [W_NIGHTLY] = TF_STRONG,
	[W_RECENT] = TF_STRONG, [W_EVERY] = TF_STRONG, [W_EACH] = TF_STRONG,
	[W_DOZENS] = TF_STRONG,
};

/* Function words the grammar reads only after the start of an
 * expression (a preposition before it, "ago" or "from now" after it, a
 * conjunction inside it): never a start (TF_WEAK). */
static const uint8_t id_inner[W__COUNT] = {
	[W_IN] = 1, [W_OF] = 1, [W_FOR] = 1, [W_ON] = 1, [W_OR] = 1, [W_FROM] = 1,
	[W_BY] = 1, [W_THAN] = 1, [W_SINCE] = 1, [W_WITHIN] = 1, [W_DURING] = 1,
	[W_THROUGH] = 1, [W_INTO] = 1, [W_BETWEEN] = 1, [W_AND] = 1, [W_TO] = 1,
	[W_UNTIL] = 1, [W_TILL] = 1, [W_TIL] = 1, [W_BEFORE] = 1, [W_AFTER] = 1,
	[W_AGO] = 1, [W_HENCE] = 1, [W_PER] = 1,
};

/* "Q1".."Q4" */
static inline int
is_quarter_name(const tw *t)
{
	return t->w[0] == 'q' && t->w[1] >= '1' && t->w[1] <= '4' && !t->w[2];
}

/* The start flags of a table word (TF_*): can it be the core of an
 * expression (a month, a unit, a number, "past", "future"...), stand
 * alone ("now", "daily"), or begin one before such a core ("the",
 * "last", "about")?  The grammar's gate (may_start) reads only these.
 * A number is temporal, "Q1".."Q4" too (nonword_flags). */
static uint8_t
start_flags(int cls, int id)
{
	uint8_t c = cls <= C_DECADE ? cls_tf[cls] : 0;
	if (c)
		return c;
	c = id < W__COUNT ? id_tf[id] : 0;
	if (c)
		return c;
	return id && (id >= W__COUNT || !id_inner[id]) ? TF_WEAK : 0;
}

/* A number word's value if token t is one in [lo, hi], else -1. */
static int
numword(const tw *t, int lo, int hi)
{
	return t->k == TW_ALPHA && t->cls == C_NUM && t->lv >= lo && t->lv <= hi ? t->lv : -1;
}

/* Years said in words, as broadcast transcripts write them ("nineteen
 * ninety-six", "nineteen seventy nine", "nineteen eighteen"), become one
 * four-digit number token, so every date rule reads them as "1996".  The
 * first word is eighteen or nineteen: "eleven thirty" and "sixteen
 * hundred" are times of day, the rest too rare to risk. */
static size_t
join_spelled_years(tw *v, size_t n0, size_t n)
{
	size_t o = n0;
	for (size_t i = n0; i < n; i++) {
		int c = numword(&v[i], 18, 19), t = -1, u = 0;
		size_t last = i;
		if (c >= 0 && i + 1 < n && v[i + 1].sp) {
			t = numword(&v[i + 1], 10, 90);
			if (t >= 20 && t % 10)
				t = -1;
			last = i + 1;
		}
		if (t >= 20 && i + 3 < n && v[i + 2].k == TW_PUNCT && v[i + 2].w[0] == '-' && !v[i + 2].sp &&
		    !v[i + 3].sp && numword(&v[i + 3], 1, 9) > 0) {
			u = v[i + 3].lv;
			last = i + 3;
		} else if (t >= 20 && i + 2 < n && v[i + 2].sp && numword(&v[i + 2], 1, 9) > 0) {
			u = v[i + 2].lv;
			last = i + 2;
		}
		/* not part of a longer number ("nineteen ninety-six thousand") */
		if (t >= 0 && last + 1 < n && (numword(&v[last + 1], 0, 1000) >= 0 || v[last + 1].cls == C_ORD))
			t = -1;
		if (t < 0) {
			if (o != i)
				v[o] = v[i];
			o++;
			continue;
		}
		tw y = v[i];
		int year = c * 100 + t + u;
		y.e = v[last].e;
		y.k = TW_NUM;
		y.up = y.caps = 0;
		y.nd = 4;
		y.v = year;
		y.id = 0;
		y.cls = 0;
		y.lv = 0;
		snprintf(y.w, sizeof y.w, "%d", year);
		v[o++] = y;
		i = last;
	}
	return o;
}

/* Reads a number at p[i] (digits, maybe a leading apostrophe, thousands
 * separators or decimals, a glued suffix) into t; returns its end. */
static size_t
split_number(const unsigned char *p, size_t i, size_t e, tw *t)
{
	if (p[i] == '\'') {
		t->apos = 1;
		i++;
	}
	size_t j = i;
	long val = 0;
	while (j < e && is_digit(p[j])) {
		if (j - i < 9)
			val = val * 10 + (p[j] - '0');
		j++;
	}
	t->k = TW_NUM;
	t->nd = (uint8_t)(j - i > 255 ? 255 : j - i);
	t->v = j - i > 9 ? -1 : (int32_t)val;
	/* thousands separators and decimals: a quantity */
	for (;;) {
		if (j + 3 < e && p[j] == ',' && is_digit(p[j + 1]) && is_digit(p[j + 2]) && is_digit(p[j + 3]) &&
		    (j + 4 >= e || !is_digit(p[j + 4]))) {
			t->comma = 1;
			j += 4;
		} else if (j + 1 < e && p[j] == '.' && is_digit(p[j + 1])) {
			t->comma = 1;
			j++;
			while (j < e && is_digit(p[j]))
				j++;
		} else {
			break;
		}
	}
	size_t a = j;
	while (j < e && chclass[p[j]] >= CH_UPPER && chclass[p[j]] <= CH_LOWER)
		j++;
	if (j > a) {
		char sx[8] = {0};
		size_t l = j - a;
		for (size_t k = 0; k < l && k < 7; k++)
			sx[k] = (char)(p[a + k] | 0x20);
		if (l == 2 && (!strcmp(sx, "st") || !strcmp(sx, "nd") || !strcmp(sx, "rd") || !strcmp(sx, "th")))
			t->sfx = SFX_ORD;
		else if (l == 1 && sx[0] == 's')
			t->sfx = SFX_S;
		else if (!strcmp(sx, "am"))
			t->sfx = SFX_AM;
		else if (!strcmp(sx, "pm"))
			t->sfx = SFX_PM;
		else
			t->sfx = SFX_OTHER;
	}
	size_t l = j - t->s;
	if (l > sizeof t->w - 1)
		l = sizeof t->w - 1;
	for (size_t k = 0; k < l; k++) {
		unsigned char ch = p[t->s + k];
		t->w[k] = (char)(chclass[ch] == CH_UPPER ? ch | 0x20 : ch);
	}
	t->w[l] = 0;
	return j;
}

#ifdef __SSE2__
/* The classes of sixteen bytes as bit masks (bit k: byte k). */
typedef struct wclass16 {
	unsigned upper, lower, digit, high, other;
} wclass16;

static inline wclass16
classify16(const unsigned char *q)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
	__m128i u = _mm_sub_epi8(v, _mm_set1_epi8('A'));
	__m128i lo = _mm_sub_epi8(v, _mm_set1_epi8('a'));
	__m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	/* x <= n unsigned: min(x, n) == x */
	__m128i iu = _mm_cmpeq_epi8(_mm_min_epu8(u, _mm_set1_epi8(25)), u);
	__m128i il = _mm_cmpeq_epi8(_mm_min_epu8(lo, _mm_set1_epi8(25)), lo);
	__m128i id = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
	wclass16 m;
	m.upper = (unsigned)_mm_movemask_epi8(iu);
	m.lower = (unsigned)_mm_movemask_epi8(il);
	m.digit = (unsigned)_mm_movemask_epi8(id);
	m.high = (unsigned)_mm_movemask_epi8(v);
	m.other = ~(m.upper | m.lower | m.digit | m.high) & 0xFFFFu;
	return m;
}
#endif

/* ------------------------------------------------------------- anchors */

/* Most sentences of news hold no time expression.  Every expression the
 * grammar knows holds an anchor: a calendar word (a month, a weekday, a
 * unit, a season, a part of the day, a decade, "today", "now", "half",
 * a quarter name, a spelled-out year) or a number shaped like a date or
 * a time (four digits, a glued suffix or punctuation, an apostrophe
 * before it, "a.m."/"p.m."/"o'clock" after it).  A plain count ("25
 * percent") or a determiner ("the", "several") is no anchor.
 * tlex_may_hold tells, without splitting the sentence into tokens,
 * whether it holds one: words are tested against a bitmap of the anchor
 * words' hashed prefixes, and the rare hits confirmed in the table.
 * The unit test time_anchor_gate and the identical output of `sitrep
 * times` on the TimeBank and news corpora with and without the gate
 * check that it loses nothing. */

#define ANCHOR_BITS (1u << 16)
static uint64_t anchor_bits[ANCHOR_BITS / 64];
/* By the first two letters (their low five bits: case aside), the
 * lengths of the anchor words that start with them (bit l). */
static uint16_t anchor_pre[32 * 32];
static once_flag anchor_once = ONCE_FLAG_INIT;

/* The bitmap slot of a word: its first eight letters, lower-cased, and
 * its length. */
static inline uint32_t
anchor_slot(uint64_t a, size_t l)
{
	return (uint32_t)(((a * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)l * 0xC2B2AE3D27D4EB4FULL)) >> 48);
}

/* Is table entry e an anchor word? */
static inline int
anchor_entry(int cls, int lv, int id)
{
	switch (cls) {
	case C_MONTH: case C_MONABBR: case C_WDAY: case C_WDABBR: case C_UNIT:
	case C_SEASON: case C_POD: case C_DECADE:
		return 1;
	case C_NUM:
		return lv == 18 || lv == 19;   /* "nineteen ninety-six" */
	default:
		break;
	}
	switch (id) {
	case W_HALF:
		return 1;
	case W_SEVERAL: case W_FEW: case W_COUPLE: case W_DOZEN: case W_MANY: case W_NEW:
		return 0;   /* need a unit after them, which is the anchor */
	default:
		return id < W__COUNT && id_tf[id] != 0;
	}
}

static int
anchor_word(const wentry *e)
{
	return anchor_entry(e->cls, e->lv, e->id);
}

static void
anchor_init(void)
{
	for (size_t k = 0; k < NWORDS; k++) {
		const wentry *e = &words[k];
		uint8_t f = start_flags(e->cls, e->id);
		int an = anchor_word(e);
		int month = e->cls == C_MONTH || e->cls == C_MONABBR;
		entry_tf[k][0] = f | (an && !month ? TF_ANCHOR : 0);
		entry_tf[k][1] = f | (an ? TF_ANCHOR : 0);
		if (!an)
			continue;
		size_t l = strlen(words[k].w);
		unsigned char b[8] = {0};
		memcpy(b, words[k].w, l < 8 ? l : 8);
		uint64_t a = 0;
		for (int i = 7; i >= 0; i--)
			a = a << 8 | b[i];
		uint32_t h = anchor_slot(a, l);
		anchor_bits[h >> 6] |= 1ULL << (h & 63);
		if (l <= 13)
			anchor_pre[(unsigned)(b[0] & 31) << 5 | (l > 1 ? (unsigned)(b[1] & 31) : 0)] |=
				(uint16_t)(1u << l);
	}
}

static inline int
is_letter(unsigned char c)
{
	return chclass[c] == CH_UPPER || chclass[c] == CH_LOWER;
}

static int anchor_confirm(const unsigned char *p, size_t l);

/* The letter word p[0, l) (at most 13 letters, lim bytes readable from
 * p): may it be an anchor word? */
static inline __attribute__((always_inline)) int
anchor_test(const unsigned char *p, size_t l, size_t lim)
{
	/* most words fail on their first two letters and length */
	unsigned pre = (unsigned)(p[0] & 31) << 5 | (l > 1 ? (unsigned)(p[1] & 31) : 0);
	if (!((anchor_pre[pre] >> l) & 1))
		return 0;
	uint64_t a = 0;
	size_t m = l < 8 ? l : 8;
	if (!SR_BIG_ENDIAN && lim >= 8) {
		memcpy(&a, p, 8);
	} else {
		for (size_t i = m; i-- > 0;)
			a = a << 8 | p[i];
	}
	/* letters only: | 0x20 lower-cases them */
	a |= 0x2020202020202020ULL;
	if (m < 8)
		a &= (1ULL << (8 * m)) - 1;
	uint32_t h = anchor_slot(a, l);
	if (!((anchor_bits[h >> 6] >> (h & 63)) & 1))
		return 0;
	return anchor_confirm(p, l);
}

/* The letter word p[0, l) passed the bitmap (rare): is it an anchor
 * word of the table? */
static int
anchor_confirm(const unsigned char *p, size_t l)
{
	/* rare: confirm in the word table itself */
	char w[16] = {0};
	for (size_t i = 0; i < l; i++)
		w[i] = (char)(p[i] | 0x20);
	uint64_t ka, kb;
	tlex_key(w, l, &ka, &kb);
	uint32_t h1, h2;
	tlex_hash(ka, kb, l, &h1, &h2);
	int k1 = word_slot[h1], k2 = word_slot[h2], k = -1;   /* NWORDS: empty */
	if (word_key[k1][0] == ka && word_key[k1][1] == kb)
		k = k1;
	else if (word_key[k2][0] == ka && word_key[k2][1] == kb)
		k = k2;
	if (k < 0 || !anchor_word(&words[k]))
		return 0;
	/* the grammar takes a month only capitalized (month_at): "may",
	   "march" are verbs */
	if (words[k].cls == C_MONTH || words[k].cls == C_MONABBR)
		return chclass[p[0]] == CH_UPPER;
	return 1;
}

/* Does the word (a run of letters, digits and non-ASCII bytes) that
 * starts at q hold an anchor?  Returns its end in *end (or a bound of
 * it: the caller may land inside the run, which is harmless). */
static int
word_holds(const unsigned char *p, size_t nlen, size_t s, size_t e, size_t q, size_t *end)
{
	unsigned char c = p[q];
	int cc = chclass[c];
	*end = q + 1;
	if (cc == CH_UPPER || cc == CH_LOWER) {
		size_t j = q + 1;
#ifdef __SSE2__
		if (q + 16 <= nlen) {
			wclass16 m = classify16(p + q);
			j = q + (unsigned)__builtin_ctz(~(m.upper | m.lower) | 0x10000u);
			if (j > e)
				j = e;
		}
#endif
		while (j < e && is_letter(p[j]))
			j++;
		size_t l = j - q;
		*end = j;
		if (j < e && (chclass[p[j]] == CH_DIGIT || chclass[p[j]] == CH_HIGH)) {
			/* letters glued to digits or non-ASCII: one word of
			   the splitter, in the table only as "Q1".."Q4" */
			return l == 1 && (c | 0x20) == 'q' && p[j] >= '1' && p[j] <= '4' &&
			       (j + 1 >= e || chclass[p[j + 1]] < CH_DIGIT);
		}
		return l <= 13 && anchor_test(p + q, l, nlen - q);
	}
	if (cc != CH_DIGIT)
		return 0;   /* a word that starts with a non-ASCII letter */
	if (q > s && p[q - 1] == '\'')
		return 1;   /* '98, the '80s */
	size_t j = q + 1;
	while (j < e && chclass[p[j]] == CH_DIGIT)
		j++;
	if (j - q == 4) {
		*end = j;
		return 1;   /* a year, 0930 */
	}
	/* the rest of the number as split_number reads it: thousands
	   groups and decimals ("1,200", "3.5") */
	for (;;) {
		if (j + 3 < e && p[j] == ',' && is_digit(p[j + 1]) && is_digit(p[j + 2]) && is_digit(p[j + 3]) &&
		    (j + 4 >= e || !is_digit(p[j + 4]))) {
			j += 4;
		} else if (j + 1 < e && p[j] == '.' && is_digit(p[j + 1])) {
			j++;
			while (j < e && is_digit(p[j]))
				j++;
		} else {
			break;
		}
	}
	*end = j;
	if (j >= e)
		return 0;
	unsigned char x = p[j];
	if (chclass[x] >= CH_UPPER)
		return 1;   /* 3rd, 1990s, 5pm */
	if (x == ':' || x == '/' || x == '-')
		return 1;   /* 10:30, 3/4/98, 15-day */
	/* 3 a.m., 4 pm, 8 o'clock */
	size_t k = j;
	while (k < e && chclass[p[k]] == CH_SPACE)
		k++;
	if (k > j && k < e && is_letter(p[k])) {
		size_t r = k + 1;
		while (r < e && is_letter(p[r]))
			r++;
		unsigned char a0 = (unsigned char)(p[k] | 0x20);
		if (r - k == 1 && (a0 == 'a' || a0 == 'p' || a0 == 'o'))
			return 1;
		if (r - k == 2 && (a0 == 'a' || a0 == 'p') && (p[k + 1] | 0x20) == 'm')
			return 1;
	}
	return 0;
}

int
tlex_may_hold(const char *norm, size_t nlen, size_t s, size_t e)
{
	const unsigned char *p = (const unsigned char *)norm;
	call_once(&anchor_once, anchor_init);
	if (e > nlen)
		e = nlen;
	size_t i = s, end;
#ifdef __SSE2__
	/* sixteen bytes at a time: only where a word starts */
	unsigned prev = 0;   /* the byte before the block is in a word */
	/* the classes of a block and of the next, as 32-bit masks: a word
	   that runs into the next block is read from them too, without a
	   branch on where it ends (a coin toss) */
	const wclass16 none = {0, 0, 0, 0, 0};
	wclass16 m = i + 16 <= e ? classify16(p + i) : none;
	while (i + 16 <= e) {
		unsigned whole = i + 32 <= e;   /* the next block is in the sentence */
		wclass16 nx = whole ? classify16(p + i + 16) : none;
		uint32_t letter = (m.upper | m.lower) | (uint32_t)(nx.upper | nx.lower) << 16;
		uint32_t dh = (m.digit | m.high) | (uint32_t)(nx.digit | nx.high) << 16;
		unsigned lim = 16u << whole;    /* a word must end before this */
		unsigned w = (m.upper | m.lower | m.digit | m.high) & 0xFFFFu;
		unsigned starts = w & ~((w << 1) | prev);
		prev = (w >> 15) & 1;
		while (starts) {
			unsigned pos = (unsigned)__builtin_ctz(starts);
			starts &= starts - 1;
			if ((letter >> pos) & 1) {
				/* a word of letters: its length and what follows
				   it from the masks, no second look at its bytes */
				unsigned l = (unsigned)__builtin_ctzll(~(uint64_t)letter >> pos);
				if (pos + l < lim && !((dh >> (pos + l)) & 1)) {
					if (l <= 13 && anchor_test(p + i + pos, l, nlen - i - pos))
						return 1;
					continue;
				}
			} else if ((m.high >> pos) & 1) {
				continue;   /* a word that starts with a non-ASCII letter */
			}
			if (word_holds(p, nlen, s, e, i + pos, &end))
				return 1;
		}
		m = nx;
		i += 16;
	}
	/* the rest: first out of a word the last block ran into */
	if (prev)
		while (i < e && chclass[p[i]] >= CH_DIGIT)
			i++;
#endif
	while (i < e) {
		if (chclass[p[i]] < CH_DIGIT) {
			i++;
			continue;
		}
		if (word_holds(p, nlen, s, e, i, &end))
			return 1;
		/* past the whole word */
		i = end;
		while (i < e && chclass[p[i]] >= CH_DIGIT)
			i++;
	}
	return 0;
}

/* Is the letter word with key (a, b) and length l (not in the table)
 * one of the words quoted in grammar.c?  A bitmap by a hash of the key
 * (word_index.h): a collision only keeps a word that is not. */
static inline int
grammar_word(uint64_t a, uint64_t b, size_t l)
{
	uint32_t g = (uint32_t)(tlex_mix(a, b, l) >> 20) & 4095;
	return (int)((grammar_word_bits[g >> 6] >> (g & 63)) & 1);
}

/* The flags of a word token the table does not hold: "Q1".."Q4" are
 * temporal anchors (the gate's "Q" rule); a word the grammar never
 * reads is plain.  key: whether (a, b) is its key (letters only, at
 * most 13). */
static inline uint8_t
nonword_flags(const tw *t, int key, uint64_t a, uint64_t b, size_t l)
{
	if (is_quarter_name(t))
		return TF_TEMPORAL | TF_ANCHOR;
	return key && grammar_word(a, b, l) ? 0 : TF_PLAIN;
}

int
tlex_split(const char *norm, size_t s, size_t e, tw **v, size_t *n, size_t *cap)
{
	const unsigned char *p = (const unsigned char *)norm;
	call_once(&anchor_once, anchor_init);
	size_t i = s, n0 = *n;
	int spelled = 0, flags = 0;
	int sp = 1;
	/* at most one token a byte: grow once */
	SR_GROW(*v, *cap, *n + (e - s) + 1);
	tw *t = *v + *n;
	while (i < e) {
		unsigned char c = p[i];
		int cc = chclass[c];
		if (cc == CH_SPACE) {
			sp = 1;
			i++;
			continue;
		}
		/* every field, without a memset per token */
		t->s = (uint32_t)i;
		t->sp = (uint8_t)sp;
		t->up = t->caps = t->nd = t->sfx = t->apos = t->comma = 0;
		t->v = 0;
		t->id = 0;
		t->cls = 0;
		t->lv = 0;
		sp = 0;
		if (cc == CH_DIGIT || (c == '\'' && i + 2 < e && is_digit(p[i + 1]) && is_digit(p[i + 2]) &&
				       (i + 3 >= e || !is_digit(p[i + 3])))) {
			size_t q = i;
			i = split_number(p, i, e, t);
			/* an anchor as the gate reads it: "'98", or a number
			   shaped like a date or a time (word_holds) */
			size_t wend;
			t->tf = TF_TEMPORAL | (p[q] == '\'' || word_holds(p, e, s, e, q, &wend) ? TF_ANCHOR : 0);
		} else if (cc >= CH_UPPER) {
			/* the extent first (which classes it has), then the
			   lower-cased copy and its hash */
			size_t j = i + 1;
			unsigned seen = 1u << cc, upper = cc == CH_UPPER;
			int k;
#ifdef __SSE2__
			if (i + 16 <= e) {
				/* sixteen bytes at once: the word's end and which
				   classes it holds, without a branch a byte */
				wclass16 m = classify16(p + i);
				unsigned stop = m.other | 0x10000u;
				unsigned l16 = (unsigned)__builtin_ctz(stop);
				unsigned in = (1u << l16) - 1;
				if (l16 < 16) {
					j = i + l16;
					/* the count matters only up to 2 (caps),
					   and popcount is a libgcc call here */
					unsigned um = m.upper & in;
					upper = (um & (um - 1)) ? 2 : um ? 1 : 0;
					seen |= (m.upper & in ? 1u << CH_UPPER : 0) |
						(m.lower & in ? 1u << CH_LOWER : 0) |
						(m.digit & in ? 1u << CH_DIGIT : 0) |
						(m.high & in ? 1u << CH_HIGH : 0);
				}
			}
#endif
			while (j < e && (k = chclass[p[j]]) >= CH_DIGIT) {
				seen |= 1u << k;
				upper += k == CH_UPPER;
				j++;
			}
			t->k = TW_ALPHA;
			t->up = cc == CH_UPPER;
			t->caps = upper >= 2 && !(seen & (1u << CH_LOWER));
			size_t l = j - i;
			int letters = !(seen & (1u << CH_DIGIT | 1u << CH_HIGH));
			if (!SR_BIG_ENDIAN && letters && l <= 13 && i + 16 <= e) {
				/* a word of letters that may be in the table: its
				   lower-cased key straight from the text, in two
				   registers ('A' | 0x20 is 'a'), stored as w */
				uint64_t a, b;
				const uint64_t low = 0x2020202020202020ULL;
				memcpy(&a, p + i, 8);
				memcpy(&b, p + i + 8, 8);
				if (l < 8) {
					uint64_t mk = (1ULL << (8 * l)) - 1;
					a = (a | low) & mk;
					b = 0;
				} else {
					uint64_t mk = l == 8 ? 0 : (1ULL << (8 * (l - 8))) - 1;
					a |= low;
					b = (b | low) & mk;
				}
				memcpy(t->w, &a, 8);
				memcpy(t->w + 8, &b, 8);
				if (!lookup(t, a, b, l))
					t->tf = nonword_flags(t, 1, a, b, l);
				spelled |= t->cls == C_NUM && (t->lv == 18 || t->lv == 19);
			} else if (l < sizeof t->w) {
				const unsigned char *q = p + i;
				if (seen & (1u << CH_UPPER)) {
					for (size_t m = 0; m < l; m++)
						t->w[m] = (char)(chclass[q[m]] == CH_UPPER ? q[m] | 0x20 : q[m]);
				} else {
					memcpy(t->w, q, l);
				}
				t->w[l] = 0;
				/* the table holds letters only, at most 13 */
				if (l <= 13 && letters) {
					memset(t->w + l, 0, 16 - l);
					uint64_t a, b;
					memcpy(&a, t->w, 8);
					memcpy(&b, t->w + 8, 8);
					if (SR_BIG_ENDIAN) {
						a = __builtin_bswap64(a);
						b = __builtin_bswap64(b);
					}
					if (!lookup(t, a, b, l))
						t->tf = nonword_flags(t, 1, a, b, l);
				} else {
					t->tf = nonword_flags(t, 0, 0, 0, l);
				}
				spelled |= t->cls == C_NUM && (t->lv == 18 || t->lv == 19);
			} else {
				memcpy(t->w, "~", 2); /* too long to be one of ours */
				t->tf = TF_PLAIN;
			}
			i = j;
		} else {
			t->k = TW_PUNCT;
			t->w[0] = (char)c;
			t->w[1] = 0;
			t->tf = 0;
			i++;
		}
		t->e = (uint32_t)i;
		flags |= t->tf & TF_START;
		t++;
	}
	*n = (size_t)(t - *v);
	if (spelled)
		*n = join_spelled_years(*v, n0, *n);
	return flags;
}
