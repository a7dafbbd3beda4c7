/* normalise.c - NFKC, control/format character removal and whitespace folding. */
#include "ingest/normalise.h"

#include <string.h>

/* Characters that carry no searchable text. */
static gboolean
is_dropped (gunichar c)
{
    switch (g_unichar_type (c)) {
    case G_UNICODE_CONTROL:      /* C0, C1, DEL; whitespace controls are handled before */
    case G_UNICODE_FORMAT:       /* ZWSP, bidi marks, soft hyphen, BOM */
    case G_UNICODE_PRIVATE_USE:  /* private glyph codes of embedded fonts */
    case G_UNICODE_SURROGATE:
        return TRUE;
    default:
        return FALSE;
    }
}

char *
evx_normalise_text (const char *text, gssize len, guint *n_invalid)
{
    if (n_invalid)
        *n_invalid = 0;
    if (!text)
        return g_strdup ("");
    if (len < 0)
        len = (gssize) strlen (text);

    /* 1. Make valid UTF-8, counting the replaced sequences.  NULs inside the
     * buffer are valid UTF-8 to g_utf8_validate_len's eyes only when len is
     * given; they are dropped in step 3. */
    GString *valid = g_string_sized_new ((gsize) len + 1);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *bad = NULL;
        if (g_utf8_validate_len (p, (gsize) (end - p), &bad)) {
            g_string_append_len (valid, p, end - p);
            break;
        }
        g_string_append_len (valid, p, bad - p);
        if (*bad == '\0') {
            g_string_append_c (valid, ' ');   /* an embedded NUL separates words */
        } else {
            g_string_append (valid, "\xEF\xBF\xBD");
            if (n_invalid)
                (*n_invalid)++;
        }
        p = bad + 1;
        /* skip continuation bytes of the broken sequence */
        while (p < end && ((guchar) *p & 0xC0) == 0x80) {
            p++;
        }
    }

    /* 2. NFKC. */
    char *nfkc = g_utf8_normalize (valid->str, (gssize) valid->len, G_NORMALIZE_NFKC);
    g_string_free (valid, TRUE);
    if (!nfkc)
        return g_strdup ("");

    /* 3 and 4. Drop invisible characters, fold whitespace. */
    GString *out = g_string_sized_new (strlen (nfkc) + 1);
    gboolean pending_space = FALSE;
    for (const char *q = nfkc; *q; q = g_utf8_next_char (q)) {
        gunichar c = g_utf8_get_char (q);
        if (g_unichar_isspace (c) || c == 0x2028 || c == 0x2029) {
            pending_space = out->len > 0;
            continue;
        }
        if (is_dropped (c))
            continue;
        if (pending_space) {
            g_string_append_c (out, ' ');
            pending_space = FALSE;
        }
        g_string_append_unichar (out, c);
    }
    g_free (nfkc);
    return g_string_free (out, FALSE);
}
