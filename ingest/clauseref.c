/* clauseref.c - explicit clause references and clause headings (see clauseref.h). */
#include "ingest/clauseref.h"

#include <stdlib.h>
#include <string.h>

#define CLAUSE_NUMBER "(\\d{1,2}(?:\\.\\d{1,2}){0,4})(?![\\d.]*\\d)"

static GRegex *
reference_regex (void)
{
    static gsize once;
    if (g_once_init_enter (&once)) {
        /* group 1: edition year (optional), group 2: number after "ISO 22301";
         * group 3: number after "clause"/"cl."/"§" */
        GRegex *re = g_regex_new (
            "\\bISO\\s*22301(?:\\s*:\\s*(2012|2019))?\\s*[,(]?\\s*(?:(?:clause|cl\\.|§)\\s*)?"
            CLAUSE_NUMBER
            "|(?:\\b(?:sub-?)?clauses?\\b|\\bcl\\.|§)\\s*" CLAUSE_NUMBER,
            G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
        g_once_init_leave (&once, (gsize) re);
    }
    return (GRegex *) once;
}

/* TRUE when @c has sub-clauses in its edition. */
static gboolean
has_subclauses (const evx_catalog *cat, const evx_clause *c)
{
    const GPtrArray *all = evx_catalog_clauses (cat, c->edition);
    for (guint i = 0; i < all->len; i++) {
        const evx_clause *other = g_ptr_array_index (all, i);
        if (g_strcmp0 (other->parent, c->id) == 0)
            return TRUE;
    }
    return FALSE;
}

/* The clause @id cites: itself, or, for an ISO 22313 sub-level, the ISO 22301 clause
 * it extends.  Only a clause without sub-clauses of its own is extended that way:
 * "8.3.2.4" is read as 8.3.2, but "9.4" names no clause and is not read as 9. */
static const evx_clause *
cited_clause (const evx_catalog *cat, const char *id, int edition)
{
    const evx_clause *c = evx_catalog_resolve (cat, id, edition);
    if (c && strcmp (c->id, id) != 0 && has_subclauses (cat, c))
        return NULL;
    return c;
}

GPtrArray *
evx_clauseref_find (const char *text, const evx_catalog *cat, int edition)
{
    GPtrArray *found = g_ptr_array_new ();
    g_autoptr (GMatchInfo) m = NULL;
    g_regex_match (reference_regex (), text, 0, &m);
    for (; g_match_info_matches (m); g_match_info_next (m, NULL)) {
        g_autofree char *year = g_match_info_fetch (m, 1);
        g_autofree char *iso_number = g_match_info_fetch (m, 2);
        g_autofree char *number = g_match_info_fetch (m, 3);
        const char *id = iso_number && *iso_number ? iso_number : number;
        if (!id || !*id)
            continue;
        int ed = year && *year ? atoi (year) : edition;
        const evx_clause *c = cited_clause (cat, id, ed);
        if (c && !g_ptr_array_find (found, c, NULL))
            g_ptr_array_add (found, (gpointer) c);
    }
    return found;
}

/* TRUE when @text starts with @title, ignoring case. */
static gboolean
starts_with_title (const char *text, const char *title)
{
    g_autofree char *t = g_utf8_casefold (text, -1);
    g_autofree char *want = g_utf8_casefold (title, -1);
    size_t n = strlen (want);
    if (strncmp (t, want, n) != 0)
        return FALSE;
    /* the title must end at a word boundary */
    return t[n] == '\0' || !g_unichar_isalnum (g_utf8_get_char (t + n));
}

const evx_clause *
evx_clauseref_heading (const char *text, const evx_catalog *cat, int edition)
{
    static gsize once;
    if (g_once_init_enter (&once)) {
        GRegex *re = g_regex_new ("^(\\d{1,2}(?:\\.\\d{1,2}){0,3})\\.?\\s+", G_REGEX_OPTIMIZE, 0,
                                  NULL);
        g_once_init_leave (&once, (gsize) re);
    }
    g_autoptr (GMatchInfo) m = NULL;
    if (!g_regex_match ((GRegex *) once, text, 0, &m))
        return NULL;
    g_autofree char *number = g_match_info_fetch (m, 1);
    int end = 0;
    g_match_info_fetch_pos (m, 0, NULL, &end);
    int editions[2] = { edition, edition == 2012 ? 2019 : 2012 };
    for (int i = 0; i < 2; i++) {
        const evx_clause *c = evx_catalog_lookup (cat, number, editions[i]);
        if (c && starts_with_title (text + end, c->title))
            return c;
    }
    return NULL;
}

void
evx_clauses_tag (evx_document *doc, const evx_catalog *cat)
{
    const evx_clause *section = NULL;   /* the clause heading the current passages sit under */
    for (guint i = 0; i < doc->passages->len; i++) {
        evx_passage *p = g_ptr_array_index (doc->passages, i);
        if (p->is_heading)
            section = evx_clauseref_heading (p->text, cat, doc->edition);
        if (section)
            evx_passage_add_clause (p, section->id, section->edition, section->title,
                                    EVX_CLAUSE_HEADING);
        g_autoptr (GPtrArray) refs = evx_clauseref_find (p->text, cat, doc->edition);
        for (guint j = 0; j < refs->len; j++) {
            const evx_clause *c = g_ptr_array_index (refs, j);
            evx_passage_add_clause (p, c->id, c->edition, c->title, EVX_CLAUSE_REFERENCE);
        }
    }
}
