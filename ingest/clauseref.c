/* clauseref.c - explicit clause references and clause headings (see clauseref.h). */
#include "ingest/clauseref.h"

#include <stdlib.h>
#include <string.h>

#include "ingest/regex.h"

/* A clause number: not glued to a word, a digit or a dot before it, and not followed
 * by more digits (so "10.1.2024" and "9.2.2024" are no numbers here at all). */
#define NUM "(?<![\\w.])\\d{1,2}(?:\\.\\d{1,2}){0,4}(?![\\d.]*\\d)(?!\\.?\\w)"
#define LIST NUM "(?:\\s*(?:,|and|or|&|/)\\s*" NUM ")*"
#define ISO "\\bISO\\s*22301(?:\\s*:\\s*(2012|2019))?"

static GRegex *
compile_once (gsize *once, const char *pattern)
{
    return evx_regex_once (once, pattern, G_REGEX_CASELESS);
}

/* The grade of an audit finding, before the clause it is raised against ("NC-2024-02
 * Minor 8.4.4 ...", "OFI 9.1", "Observation: 8.2.3", "major nonconformity 9.2"). */
#define FINDING "(?:\\b(?:major|minor)(?:\\s+(?:nc|non-?conformity))?|\\bobservation|\\bofi" \
    "|\\bnc|\\bnon-?conformity|\\barea\\s+of\\s+concern|\\baoc" \
    "|\\bopportunity\\s+for\\s+improvement)\\b"

/* Groups: 1 year, 2 list after "ISO 22301"; 3 list after a clause word; 4 list after
 * "section"/"requirement", 5 the year of the standard named after it; 6 list after a
 * finding's grade; 7 a bare number. */
static GRegex *
reference_regex (void)
{
    static gsize once;
    return compile_once (
        &once,
        ISO "\\s*[,(]?\\s*(?:(?:clause|cl\\.|§|section)\\s*)?(" LIST ")"
        "|(?:\\b(?:sub-?)?clauses?\\b\\.?|\\bcl\\.|§§?)\\s*(" LIST ")"
        "|\\b(?:section|requirement)s?\\s+(" LIST ")(?=\\s+of\\s+(?:the\\s+)?(?:ISO\\s*22301"
        "(?:\\s*:\\s*(2012|2019))?|standard))"
        "|" FINDING "\\s*[:–-]?\\s*(" LIST ")"
        "|(" NUM ")(?=\\s+\\p{L})");
}

static GRegex *
number_regex (void)
{
    static gsize once;
    return compile_once (&once, NUM);
}

/* Words after which a number is not a clause number. */
static GRegex *
other_word_regex (void)
{
    static gsize once;
    return compile_once (
        &once,
        "(?:\\b(?:section|sections|version|versions|ver|v|rev|revision|release|build|table|tables"
        "|figure|figures|fig|page|pages|pp|p|step|steps|item|items|annex|appendix|chapter"
        "|article|art|paragraph|para|no|number|row|line|lines|invoice|order|ip|address|host"
        "|server|port|firmware|software|patch|model|room|unit|floor|level|grade|tier)\\.?"
        "|[€$£¥])\\s*$");
}

/* What after a number makes it an amount, a version or a reference to something else. */
static GRegex *
after_regex (void)
{
    static gsize once;
    return compile_once (
        &once,
        "^(?:\\s*(?:%|per\\s*cent|percent|million|bn|billion|m\\b|k\\b|eur|usd|gbp|hours?|hrs?"
        "|h\\b|days?|minutes?|mins?|weeks?|months?|years?|gb|mb|tb|kg|km|°)"
        "|-\\w|\\s+of\\s+(?!(?:the\\s+)?(?:iso|standard|bcms|22301|guidance))"
        "(?:the|this|that|a|an|our|your|its|their)?\\s*\\p{L})");
}

/* A standard named shortly before the number: group 1 its number. */
static GRegex *
standard_regex (void)
{
    static gsize once;
    return compile_once (&once,
                         "\\b(?:ISO(?:\\s*/\\s*IEC)?|IEC|BS(?:\\s*EN)?|NIST(?:\\s*SP)?)"
                         "\\s*(\\d{3,5})");
}

/* TRUE when the standard named last in @before (up to the number) is not ISO 22301
 * or its guidance ISO 22313. */
static gboolean
other_standard_before (const char *before)
{
    g_autoptr (GMatchInfo) m = NULL;
    g_autofree char *last = NULL;
    for (g_regex_match (standard_regex (), before, 0, &m); g_match_info_matches (m);
         g_match_info_next (m, NULL)) {
        g_free (last);
        last = g_match_info_fetch (m, 1);
    }
    return last && strcmp (last, "22301") != 0 && strcmp (last, "22313") != 0;
}

static gboolean
looks_like_address (const char *number, const char *before)
{
    int parts = 1;
    for (const char *p = number; *p; p++)
        parts += *p == '.';
    if (parts < 4)
        return FALSE;
    /* four levels: only an ISO 22313 sub-level when no network word is near */
    static gsize once;
    GRegex *re = compile_once (&once, "\\b(?:ip|address|server|host|subnet|gateway|dns|vlan"
                                      "|network|router|firewall)\\b");
    return g_regex_match (re, before, 0, NULL);
}

/* TRUE when the number at [start, end) of @text is not a clause reference. */
static gboolean
rejected (const char *text, int start, int end, gboolean check_word_before, gboolean named_iso)
{
    g_autofree char *number = g_strndup (text + start, (gsize) (end - start));
    /* a part with a leading zero ("08.05") is a date or a version */
    for (const char *p = number; *p; p++) {
        if ((p == number || p[-1] == '.') && p[0] == '0' && g_ascii_isdigit (p[1]))
            return TRUE;
    }
    /* the text before the number, back to at most 80 bytes, on a character boundary */
    int from = start > 80 ? start - 80 : 0;
    while (from > 0 && (text[from] & 0xC0) == 0x80)
        from++;
    g_autofree char *before = g_strndup (text + from, (gsize) (start - from));
    if (check_word_before && g_regex_match (other_word_regex (), before, 0, NULL))
        return TRUE;
    if (g_regex_match (after_regex (), text + end, 0, NULL))
        return TRUE;
    if (looks_like_address (number, before))
        return TRUE;
    return !named_iso && other_standard_before (before);
}

/* The clause @id cites: itself, or, for an ISO 22313 sub-level, the ISO 22301 clause
 * it extends.  Only a clause without sub-clauses of its own is extended that way:
 * "8.3.2.4" is read as 8.3.2, but "9.4" names no clause and is not read as 9; the
 * extra levels are small numbers (a "8.5.21" is no sub-level). */
static const evx_clause *
cited_clause (const evx_catalog *cat, const char *id, int edition)
{
    const evx_clause *c = evx_catalog_resolve (cat, id, edition);
    if (!c || strcmp (c->id, id) == 0)
        return c;
    if (evx_catalog_has_subclauses (cat, c))
        return NULL;
    for (const char *p = id + strlen (c->id); *p; p++) {
        if (*p == '.' && atoi (p + 1) > 12)
            return NULL;
    }
    return c;
}

/* TRUE when @text starts with @title, ignoring case, and the title ends at a word end. */
static gboolean
starts_with_title (const char *text, const char *title)
{
    g_autofree char *t = g_utf8_casefold (text, -1);
    g_autofree char *want = g_utf8_casefold (title, -1);
    size_t n = strlen (want);
    if (strncmp (t, want, n) != 0)
        return FALSE;
    return t[n] == '\0' || !g_unichar_isalnum (g_utf8_get_char (t + n));
}

static void
add_ref (GArray *refs, const evx_clause *c, gboolean named)
{
    for (guint i = 0; i < refs->len; i++) {
        if (g_array_index (refs, evx_clause_ref, i).clause == c)
            return;
    }
    evx_clause_ref r = { c, named };
    g_array_append_val (refs, r);
}

/* The edition named right after a list ("clause 8.5 of ISO 22301:2012"), or 0. */
static int
edition_after (const char *after)
{
    static gsize once;
    GRegex *re = compile_once (
        &once, "^\\s*(?:of|in)\\s+(?:the\\s+)?ISO\\s*22301\\s*:\\s*(2012|2019)");
    g_autoptr (GMatchInfo) m = NULL;
    if (!g_regex_match (re, after, 0, &m))
        return 0;
    g_autofree char *year = g_match_info_fetch (m, 1);
    return atoi (year);
}

/* The references in the list of numbers at [start, end) of @text.  With @need_dot, a
 * number of one level ("ISO 22301:2019, 10 sites") is no reference. */
static void
scan_list (GArray *refs, const char *text, int start, int end, const evx_catalog *cat,
           int edition, gboolean named, gboolean named_iso, gboolean need_dot)
{
    g_autofree char *list = g_strndup (text + start, (gsize) (end - start));
    g_autoptr (GMatchInfo) m = NULL;
    for (g_regex_match (number_regex (), list, 0, &m); g_match_info_matches (m);
         g_match_info_next (m, NULL)) {
        int s = 0, e = 0;
        g_match_info_fetch_pos (m, 0, &s, &e);
        if (rejected (text, start + s, start + e, FALSE, named_iso))
            continue;
        g_autofree char *id = g_match_info_fetch (m, 0);
        if (need_dot && !strchr (id, '.'))
            continue;
        const evx_clause *c = cited_clause (cat, id, edition);
        if (c)
            add_ref (refs, c, named);
    }
}

/* A bare number followed by its clause's title (in @edition, else the other one). */
static void
scan_titled (GArray *refs, const char *text, int start, int end, const evx_catalog *cat,
             int edition)
{
    if (rejected (text, start, end, TRUE, FALSE))
        return;
    g_autofree char *id = g_strndup (text + start, (gsize) (end - start));
    const char *after = text + end;
    while (*after == ' ')
        after++;
    int editions[2] = { edition, edition == 2012 ? 2019 : 2012 };
    for (int i = 0; i < 2; i++) {
        const evx_clause *c = evx_catalog_lookup (cat, id, editions[i]);
        if (c && starts_with_title (after, c->title)) {
            /* not a table of contents' entry */
            if (strlen (after) < strlen (c->title)
                || !evx_clauseref_toc_page (after + strlen (c->title)))
                add_ref (refs, c, i == 1);
            return;
        }
    }
}

GArray *
evx_clauseref_scan (const char *text, const evx_catalog *cat, int edition)
{
    GArray *refs = g_array_new (FALSE, FALSE, sizeof (evx_clause_ref));
    g_autoptr (GMatchInfo) m = NULL;
    for (g_regex_match (reference_regex (), text, 0, &m); g_match_info_matches (m);
         g_match_info_next (m, NULL)) {
        int s = -1, e = -1;
        for (int group = 2; group <= 7; group++) {
            if (group == 5 || !g_match_info_fetch_pos (m, group, &s, &e) || s < 0)
                continue;
            g_autofree char *year = g_match_info_fetch (m, group == 2 ? 1 : 5);
            int ed = year && *year && group != 3 ? atoi (year) : edition_after (text + e);
            gboolean named = ed != 0;
            if (!named)
                ed = edition;
            if (group == 7) {
                scan_titled (refs, text, s, e, cat, edition);
            } else {
                /* after "ISO 22301" without a clause word, only dotted numbers count */
                g_autofree char *whole = g_match_info_fetch (m, 0);
                g_autofree char *lower = g_ascii_strdown (whole, -1);
                gboolean worded = strstr (lower, "clause") || strstr (lower, "cl.")
                                  || strstr (lower, "§") || strstr (lower, "section");
                /* "§ 1" to "§ 5" are a law's or a paper's paragraphs far more often
                 * than clauses 1 to 5 of the standard: after "§" only dotted numbers */
                gboolean section_sign = group == 3 && strstr (lower, "§") && !strstr (lower, "clause");
                scan_list (refs, text, s, e, cat, ed, named, group == 2 || group == 4,
                           (group == 2 && !worded) || group == 6 || section_sign);
            }
            break;
        }
    }
    return refs;
}

GPtrArray *
evx_clauseref_find (const char *text, const evx_catalog *cat, int edition)
{
    g_autoptr (GArray) refs = evx_clauseref_scan (text, cat, edition);
    GPtrArray *found = g_ptr_array_new ();
    for (guint i = 0; i < refs->len; i++)
        g_ptr_array_add (found, (gpointer) g_array_index (refs, evx_clause_ref, i).clause);
    return found;
}

static GRegex *
heading_number_regex (void)
{
    static gsize once;
    return compile_once (&once, "^(\\d{1,2}(?:\\.\\d{1,2}){0,3})\\.?(?:\\s+|$)");
}

char *
evx_clauseref_number (const char *text)
{
    g_autoptr (GMatchInfo) m = NULL;
    if (!g_regex_match (heading_number_regex (), text, 0, &m))
        return NULL;
    char *number = g_match_info_fetch (m, 1);
    gsize n = strlen (number);
    while (n > 0 && number[n - 1] == '.')
        number[--n] = '\0';
    return number;
}

int
evx_clauseref_number_depth (const char *text)
{
    g_autofree char *number = evx_clauseref_number (text);
    if (!number)
        return 0;
    int depth = 1;
    for (const char *p = number; *p; p++)
        depth += *p == '.';
    return depth;
}

gboolean
evx_clauseref_toc_page (const char *text)
{
    /* white space, dot leaders ("....", "…", "· · ·"), then a page number, alone or
     * before the next line's section number ("... 5 9.2 Internal audit 7") */
    static gsize once;
    GRegex *re = evx_regex_once (&once, "^(?:\\s|\\.|\\x{2026}|\\x{00B7})+"
                                        "(?:\\d{1,3}|[ivxlc]{1,6}|[IVXLC]{1,6})"
                                        "\\s*(?:$|\\d{1,2}(?:\\.\\d{1,2})*\\.?\\s+\\p{Lu})",
                                 G_REGEX_OPTIMIZE);
    return g_regex_match (re, text, 0, NULL);
}

const evx_clause *
evx_clauseref_heading (const char *text, const evx_catalog *cat, int edition)
{
    g_autoptr (GMatchInfo) m = NULL;
    if (!g_regex_match (heading_number_regex (), text, 0, &m))
        return NULL;
    g_autofree char *number = g_match_info_fetch (m, 1);
    int end = 0;
    g_match_info_fetch_pos (m, 0, NULL, &end);
    if (text[end] == '\0')
        return NULL;
    int editions[2] = { edition, edition == 2012 ? 2019 : 2012 };
    for (int i = 0; i < 2; i++) {
        const evx_clause *c = evx_catalog_lookup (cat, number, editions[i]);
        /* "8.2.2 Business impact analysis ..... 5" is a table of contents' line */
        if (c && starts_with_title (text + end, c->title)
            && (strlen (text + end) < strlen (c->title)
                || !evx_clauseref_toc_page (text + end + strlen (c->title))))
            return c;
    }
    return NULL;
}
