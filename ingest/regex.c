/* regex.c - expressions compiled once (see regex.h). */
#include "ingest/regex.h"

GRegex *
evx_regex_once (gsize *slot, const char *pattern, GRegexCompileFlags flags)
{
    if (g_once_init_enter (slot)) {
        GRegex *re = g_regex_new (pattern, flags | G_REGEX_OPTIMIZE, 0, NULL);
        g_assert (re);
        g_once_init_leave (slot, (gsize) re);
    }
    return (GRegex *) *slot;
}
