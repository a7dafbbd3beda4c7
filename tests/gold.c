/* gold.c - reads corpus/gold's hand-labelled passages (gold.h). */
#include <stdlib.h>
#include <string.h>

#include "ingest/error.h"
#include "ingest/normalise.h"
#include "tests/gold.h"

void
gold_row_free (gpointer data)
{
    gold_row *r = data;
    g_free (r->split);
    g_free (r->path);
    g_free (r->display);
    g_strfreev (r->clauses);
    g_free (r->quote);
    g_free (r);
}

static char *
fold (const char *text)
{
    g_autofree char *norm = evx_normalise_text (text, -1, NULL);
    return g_utf8_casefold (norm, -1);
}

gboolean
gold_read (const char *file, const char *base, gboolean external, GPtrArray *rows, GError **error)
{
    g_autofree char *contents = NULL;
    if (!g_file_get_contents (file, &contents, NULL, error))
        return FALSE;
    g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        if (lines[i][0] == '#' || lines[i][0] == '\0' || g_str_has_prefix (lines[i], "split\t"))
            continue;
        g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
        if (g_strv_length (f) != 6) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "%s:%d: expected 6 columns", file,
                         i + 1);
            return FALSE;
        }
        gold_row *r = g_new0 (gold_row, 1);
        r->split = g_strdup (f[0]);
        r->display = g_strdup (f[1]);
        r->path = g_build_filename (base, f[1], NULL);
        r->external = external;
        r->page = atoi (f[2]);
        r->edition = atoi (f[3]);
        r->clauses = strcmp (f[4], "-") == 0 ? g_new0 (char *, 1) : g_strsplit (f[4], ",", -1);
        r->quote = g_strdup (f[5]);
        r->line = i + 1;
        g_ptr_array_add (rows, r);
    }
    return TRUE;
}

const evx_passage *
gold_locate (const evx_document *doc, const gold_row *r)
{
    g_autofree char *quote = fold (r->quote);
    for (guint i = 0; i < doc->passages->len; i++) {
        const evx_passage *p = g_ptr_array_index (doc->passages, i);
        if (p->page != r->page)
            continue;
        g_autofree char *text = fold (p->text);
        if (strstr (text, quote))
            return p;
    }
    return NULL;
}

