/* regex.c - expressions compiled once (see regex.h). */
#include "ingest/regex.h"

GRegex *
evx_regex_once (gsize *slot, const char *pattern, GRegexCompileFlags flags)
{
    if (g_once_init_enter (slot)) {
        /* PCRE2's JIT, unless EVX_REGEX_JIT=0: Valgrind cannot follow JIT code, which
         * reads whole words past the end of a string (scripts/memcheck sets it) */
        if (g_strcmp0 (g_getenv ("EVX_REGEX_JIT"), "0") != 0)
            flags |= G_REGEX_OPTIMIZE;
        GRegex *re = g_regex_new (pattern, flags, 0, NULL);
        g_assert (re);
        g_once_init_leave (slot, (gsize) re);
    }
    return (GRegex *) *slot;
}
