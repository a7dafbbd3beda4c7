/* certificate.c - certificate fields from the text (see certificate.h). */
#include "ingest/certificate.h"

#include <stdlib.h>
#include <string.h>

#include "ingest/regex.h"

#define DATE_WINDOW 40

#define MONTHS                                                                                     \
    "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"               \
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"

typedef enum {
    P_DATE,
    P_NUMERIC_DATE,
    P_LEGAL_FORM,
    P_HOLDER_INLINE,
    P_HOLDER_NEXT_LINE,
    P_NUMBER,
    P_STANDARD,
    P_NOT_HELD_BEFORE,
    P_NOT_HELD_AFTER,
    P_SCOPE,
    P_ISSUER_CERTIFIES,
    P_ISSUER_ON_BEHALF,
    P_FIRST_ISSUED,
    P_ISSUED,
    P_EXPIRES,
    P_VALIDITY_END,
    P_SITES_INLINE,
    P_SITES_HEADER,
    P_SITES_END,
    N_PATTERNS
} pattern_id;

static const struct {
    const char *pattern;
    GRegexCompileFlags flags;
} patterns[N_PATTERNS] = {
    { "\\b(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})(?![\\d.])"           /* 1-4: year first */
      "|\\b(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+|-)" MONTHS "\\.?,?(?:\\s+|-)(\\d{4})\\b" /* 5-7 */
      "|\\b" MONTHS "\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b"       /* 8-10 */
      "|\\b(\\d{1,2})([./-])(\\d{1,2})\\12(\\d{4})\\b",                    /* 11-14 */
      G_REGEX_CASELESS },
    { "\\b(\\d{1,2})[./-](\\d{1,2})[./-]\\d{4}\\b",
      G_REGEX_CASELESS },
    { "\\b(?:Ltd|Limited|LLP|plc|PLC|Inc|GmbH|B\\.V\\.|AG|S\\.A\\.|LLC)\\b\\.?",
      0 },
    { "certif(?:y|ies)\\s+that\\s+(?!the\\b)([^\\n]+?)\\s+"
      "(?:operates|has\\s+been|complies|is\\s+)",
      G_REGEX_CASELESS },
    { "certif(?:y|ies)\\s+that(?:[^\\n]*\\bof)?[ \\t]*\\n\\s*([^\\n]+)",
      G_REGEX_CASELESS },
    { "(?i:certificate\\s*(?:number|no\\.?|nr\\.?|#|reference|registration\\s+number))"
      "\\s*[:.]?\\s*([A-Z0-9][A-Z0-9./-]*(?:[ ][A-Z0-9][A-Z0-9./-]*)?)",
      0 },
    { "\\bISO(/IEC)?\\s*(\\d{4,5})(?:\\s*:\\s*(\\d{4}))?\\b",
      G_REGEX_CASELESS },
    /* words around a standard's name that say it is not (yet) held: "working towards",
     * "(transition pending)", "not included" */
    { "\\b(?:towards?|preparing\\s+for|excluding|except|not(?:\\s+(?:include|cover)\\w*)?|"
      "without|pending)\\W*$",
      G_REGEX_CASELESS },
    { "^\\W*(?:transition\\s+|certification\\s+|assessment\\s+|audit\\s+)?"
      "(?:pending|planned|scheduled|in\\s+progress|in\\s+preparation|applied\\s+for|to\\s+follow|"
      "not\\s+(?:yet|included|covered|certified|part)|excluded|under\\s+assessment)\\b",
      G_REGEX_CASELESS },
    { "\\b(?:scope(?:\\s+of\\s+(?:registration|certification|approval))?|"
      "approved\\s+activities|activities\\s+covered)\\s*:\\s*(.+)$",
      G_REGEX_CASELESS },
    { "^[ \\t]*([^\\n]+?)\\s+hereby\\s+certif",
      G_REGEX_CASELESS | G_REGEX_MULTILINE },
    { "on\\s+behalf\\s+of\\s+([^\\n]+)",
      G_REGEX_CASELESS },
    { "\\b(?:original\\s+certification\\s+date|date\\s+of\\s+(?:initial|original|first)\\s+"
      "(?:registration|certification|approval)|initial\\s+(?:registration|certification)\\s+"
      "date|original\\s+approval\\s+date|first\\s+issued|certified\\s+since|originally\\s+"
      "(?:certified|registered)(?:\\s+on)?)\\b",
      G_REGEX_CASELESS },
    { "\\b(?:issue\\s+date|date\\s+of\\s+issue|date\\s+of\\s+this\\s+"
      "certificate|issued\\s+on|effective\\s+date|valid(?:ity)?\\s*:?\\s*from|"
      "valid(?:ity)?(?=\\s*:\\s*\\d)|validity(?=\\s+\\d))\\b",
      G_REGEX_CASELESS },
    { "\\b(?:expiry(?:\\s+date)?|date\\s+of\\s+expiry|expiration(?:\\s+date)?|"
      "expires(?:\\s+on)?|valid\\s+(?:until|till|to|through))\\b",
      G_REGEX_CASELESS },
    /* the end of a range of validity: "Valid from 2 September 2024 until 1 September
     * 2027", "Validity: 2 September 2024 to 1 September 2027" */
    { "\\bvalid(?:ity)?\\s*:?\\s*(?:(?:from|between)\\s+)?[^\\n]{6,30}?\\d\\s*"
      "(?:until|till|to|through|and|-|–)(?=\\s)",
      G_REGEX_CASELESS },
    { "^[ \\t]*(?:certified\\s+|registered\\s+)?(?:sites?|site\\s*\\(s\\)|locations?|"
      "location\\s*\\(s\\)|site\\s+address(?:es)?|premises)[ \\t]*:[ \\t]*([^\\n]+)",
      G_REGEX_CASELESS | G_REGEX_MULTILINE },
    { "^(?:certified\\s+|registered\\s+)?(?:sites?|site\\s*\\(s\\)|locations?|"
      "location\\s*\\(s\\)|site\\s+address(?:es)?|premises)$",
      G_REGEX_CASELESS },
    { "\\b(?:date|expir|valid|issue|certificate\\s+(?:number|no)|signed|on\\s+behalf|scope)",
      G_REGEX_CASELESS },
};

/* The compiled pattern @id (compiled once, for the whole process). */
static GRegex *
pattern (pattern_id id)
{
    static gsize slots[N_PATTERNS];
    return evx_regex_once (&slots[id], patterns[id].pattern, patterns[id].flags);
}

static int
month_number (const char *name)
{
    static const char *const names[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec" };
    for (int i = 0; i < 12; i++)
        if (g_ascii_strncasecmp (name, names[i], 3) == 0)
            return i + 1;
    return 0;
}

static char *
iso_date (int y, int m, int d)
{
    if (y < 1900 || y > 2200 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        return NULL;
    return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

static int
group_int (GMatchInfo *m, int n)
{
    g_autofree char *s = g_match_info_fetch (m, n);
    return s && *s ? atoi (s) : 0;
}

char *
evx_date_parse (const char *text, int day_first)
{
    g_autofree char *window = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), DATE_WINDOW));
    GRegex *re = pattern (P_DATE);
    g_autoptr (GMatchInfo) m = NULL;
    if (!g_regex_match (re, window, 0, &m))
        return NULL;
    int start = 0;
    g_match_info_fetch_pos (m, 0, &start, NULL);
    for (int i = 0; i < start; i++)
        if (g_ascii_isdigit (window[i]))
            return NULL;   /* something else stands between the label and the date */
    if (group_int (m, 1))   /* year first is always year, month, day (ISO 8601's order) */
        return iso_date (group_int (m, 1), group_int (m, 3), group_int (m, 4));
    if (group_int (m, 7)) {
        g_autofree char *mon = g_match_info_fetch (m, 6);
        return iso_date (group_int (m, 7), month_number (mon), group_int (m, 5));
    }
    if (group_int (m, 10)) {
        g_autofree char *mon = g_match_info_fetch (m, 8);
        return iso_date (group_int (m, 10), month_number (mon), group_int (m, 9));
    }
    int a = group_int (m, 11), b = group_int (m, 13), y = group_int (m, 14);
    g_autofree char *sep = g_match_info_fetch (m, 12);
    if (a > 12 || (a <= 12 && b <= 12 && (day_first > 0 || (day_first == 0 && sep && *sep == '.'))))
        return iso_date (y, b, a);
    if (b > 12 || (a <= 12 && b <= 12 && day_first < 0))
        return iso_date (y, a, b);
    return NULL;
}

int
evx_date_order (const char *text)
{
    GRegex *re = pattern (P_NUMERIC_DATE);
    g_autoptr (GMatchInfo) m = NULL;
    gboolean day = FALSE, month = FALSE;
    for (g_regex_match (re, text, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL)) {
        day = day || group_int (m, 1) > 12;
        month = month || group_int (m, 2) > 12;
    }
    return day == month ? 0 : day ? 1 : -1;
}

/* The date after the first of @labels found in @text. */
static char *
labelled_date (GRegex *labels, const char *text, int day_first)
{
    g_autoptr (GMatchInfo) m = NULL;
    for (g_regex_match (labels, text, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL)) {
        int end = 0;
        g_match_info_fetch_pos (m, 0, NULL, &end);
        char *date = evx_date_parse (text + end, day_first);
        if (date)
            return date;
    }
    return NULL;
}

/* @name up to and with its legal form, when it has one; trimmed of punctuation. */
static char *
clean_name (const char *name)
{
    g_autofree char *s = g_strstrip (g_strdup (name));
    g_autoptr (GMatchInfo) m = NULL;
    GRegex *form = pattern (P_LEGAL_FORM);
    if (g_regex_match (form, s, 0, &m)) {
        int end = 0;
        g_match_info_fetch_pos (m, 0, NULL, &end);
        s[end] = '\0';
    }
    gsize n = strlen (s);
    while (n > 0 && strchr (",;:", s[n - 1]))
        s[--n] = '\0';
    return *s ? g_strdup (g_strstrip (s)) : NULL;
}

static char *
fetch_clean (GRegex *re, const char *text, int group)
{
    g_autoptr (GMatchInfo) m = NULL;
    if (!g_regex_match (re, text, 0, &m))
        return NULL;
    g_autofree char *s = g_match_info_fetch (m, group);
    return s ? clean_name (s) : NULL;
}

static char *
find_holder (const char *text)
{
    /* "certifies that NAME operates ..." on one line */
    GRegex *inline_re = pattern (P_HOLDER_INLINE);
    char *holder = fetch_clean (inline_re, text, 1);
    if (holder)
        return holder;
    /* "... certify that the business continuity management system of" + NAME on the
     * next line */
    GRegex *next_re = pattern (P_HOLDER_NEXT_LINE);
    return fetch_clean (next_re, text, 1);
}

static char *
find_number (const char *text)
{
    GRegex *re = pattern (P_NUMBER);
    g_autoptr (GMatchInfo) m = NULL;
    for (g_regex_match (re, text, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL)) {
        g_autofree char *value = g_match_info_fetch (m, 1);
        g_auto (GStrv) parts = g_strsplit (value, " ", 2);
        /* "ACS 10472-BC" is one number; "MAC-0487 Halden" is not */
        if (parts[1] && !strpbrk (parts[1], "0123456789"))
            g_clear_pointer (&parts[1], g_free);
        g_autofree char *number = parts[1] ? g_strjoin (" ", parts[0], parts[1], NULL)
                                           : g_strdup (parts[0]);
        gsize n = strlen (number);
        while (n > 0 && strchr ("./-", number[n - 1]))
            number[--n] = '\0';
        if (strpbrk (number, "0123456789"))
            return g_steal_pointer (&number);
    }
    return NULL;
}

/* FALSE when the words next to the standard matched by @m, on its line, say the
 * certificate does not cover it ("ISO 22301:2012 (transition pending)", "working towards
 * ISO 22301"). */
static gboolean
standard_held (const char *text, GMatchInfo *m)
{
    int start = 0, end = 0;
    g_match_info_fetch_pos (m, 0, &start, &end);
    int from = start;
    while (from > 0 && start - from < 40 && text[from - 1] != '\n')
        from--;
    int to = end;
    while (text[to] && to - end < 60 && text[to] != '\n')
        to++;
    /* whole characters only */
    while (from < start && ((guchar) text[from] & 0xC0) == 0x80)
        from++;
    while (to > end && ((guchar) text[to] & 0xC0) == 0x80)
        to--;
    g_autofree char *before = g_strndup (text + from, (gsize) (start - from));
    g_autofree char *after = g_strndup (text + end, (gsize) (to - end));
    return !g_regex_match (pattern (P_NOT_HELD_BEFORE), before, 0, NULL)
           && !g_regex_match (pattern (P_NOT_HELD_AFTER), after, 0, NULL);
}

/* The standard: ISO 22301 when the text names it (a combined certificate, "ISO 9001:2015,
 * ISO/IEC 27001:2022 and ISO 22301:2019", is an ISO 22301 certificate too), else the
 * first standard named. */
static void
find_standard (const char *text, evx_certificate *cert)
{
    GRegex *re = pattern (P_STANDARD);
    g_autoptr (GMatchInfo) m = NULL;
    for (g_regex_match (re, text, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL)) {
        g_autofree char *iec = g_match_info_fetch (m, 1);
        g_autofree char *number = g_match_info_fetch (m, 2);
        g_autofree char *year = g_match_info_fetch (m, 3);
        gboolean bcms = strcmp (number, "22301") == 0;
        if (bcms && !standard_held (text, m))
            continue;
        if (cert->standard && !bcms)
            continue;
        g_free (cert->standard);
        g_free (cert->edition);
        cert->standard = g_strdup_printf ("ISO%s %s", iec && *iec ? "/IEC" : "", number);
        cert->edition = year && *year ? g_strdup (year) : NULL;
        if (bcms)
            return;
    }
}

static char *
find_scope (const evx_document *doc)
{
    GRegex *re = pattern (P_SCOPE);
    for (guint i = 0; i < doc->passages->len; i++) {
        const evx_passage *p = g_ptr_array_index (doc->passages, i);
        g_autoptr (GMatchInfo) m = NULL;
        if (g_regex_match (re, p->text, 0, &m)) {
            g_autofree char *scope = g_strstrip (g_match_info_fetch (m, 1));
            if (*scope)
                return g_steal_pointer (&scope);
        }
    }
    return NULL;
}

/* TRUE when @site is cut at its line end: it ends with a comma or "&", or leaves a
 * parenthesis open ("Halden House, Felixstowe IP11 3XP, UK (head" + "office)"). */
static gboolean
site_continues (const GString *site)
{
    int depth = 0;
    for (const char *c = site->str; *c; c++)
        depth += *c == '(' ? 1 : *c == ')' ? -1 : 0;
    char last = site->len ? site->str[site->len - 1] : '\0';
    return depth > 0 || last == ',' || last == '&';
}

static void
add_site (GPtrArray *sites, GString *site)
{
    g_autofree char *s = g_strstrip (g_strdup (site->str));
    gsize n = strlen (s);
    while (n > 0 && strchr (",;", s[n - 1]))
        s[--n] = '\0';
    if (*s && sites->len < EVX_CERTIFICATE_MAX_SITES)
        g_ptr_array_add (sites, g_strdup (s));
    g_string_truncate (site, 0);
}

/* The cell of @line, counted from 0, that is a "Site" (Sites, Locations, ...) column
 * heading, or -1. */
static int
site_column (const char *line)
{
    g_auto (GStrv) cells = g_strsplit (line, "\t", -1);
    for (int i = 0; cells[i]; i++)
        if (g_regex_match (pattern (P_SITES_HEADER), g_strstrip (cells[i]), 0, NULL))
            return i;
    return -1;
}

/* The sites of a table whose header row is lines[h]: the cells of the site column in the
 * rows below, up to a line that names another field.  A row whose cells are wrapped
 * comes as several lines: a line with as many cells as the header gives its cell of the
 * site column; a line with fewer is the rest of a cut site, else a new site when it holds
 * a digit (a street number or postcode), else the wrapped cell of another column. */
static void
table_sites (char **lines, guint h, GPtrArray *sites)
{
    guint n_cols = 1, col = (guint) site_column (lines[h]);
    for (const char *c = lines[h]; *c; c++)
        n_cols += *c == '\t';
    g_autoptr (GString) site = g_string_new (NULL);
    for (guint i = h + 1; lines[i] && i <= h + EVX_CERTIFICATE_MAX_SITES * 4; i++) {
        if (g_regex_match (pattern (P_SITES_END), lines[i], 0, NULL))
            break;
        g_auto (GStrv) cells = g_strsplit (lines[i], "\t", -1);
        guint n = g_strv_length (cells);
        const char *cell = n == n_cols ? cells[col] : n == 1 ? cells[0] : NULL;
        if (!cell || !*cell)
            continue;
        if (n == 1 && site->len > 0 && site_continues (site)) {
            g_string_append_printf (site, " %s", cell);
            continue;
        }
        if (site->len > 0)
            add_site (sites, site);
        if (n == n_cols || strpbrk (cell, "0123456789"))
            g_string_assign (site, cell);
    }
    if (site->len > 0)
        add_site (sites, site);
}

/* The certified sites: a "Sites:" (Locations, Premises, ...) label and the list after it
 * (";"-separated); else a table with a Site column; else the address printed on the line
 * after the holder's name, when that line holds a digit and a comma. */
static char **
find_sites (const char *text, const char *holder)
{
    g_autoptr (GPtrArray) sites = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GMatchInfo) m = NULL;
    if (g_regex_match (pattern (P_SITES_INLINE), text, 0, &m)) {
        g_autofree char *list = g_match_info_fetch (m, 1);
        g_auto (GStrv) parts = g_strsplit (list, ";", -1);
        g_autoptr (GString) site = g_string_new (NULL);
        for (guint i = 0; parts[i]; i++) {
            g_string_assign (site, parts[i]);
            add_site (sites, site);
        }
    }
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    for (guint i = 0; sites->len == 0 && lines[i]; i++)
        if (site_column (lines[i]) >= 0)
            table_sites (lines, i, sites);
    for (guint i = 0; sites->len == 0 && holder && lines[i] && lines[i + 1]; i++) {
        g_autofree char *line = g_strstrip (g_strdup (lines[i]));
        const char *next = lines[i + 1];
        if (g_str_has_prefix (line, holder) && strlen (line) <= strlen (holder) + 1
            && strpbrk (next, "0123456789") && strchr (next, ',') && !strchr (next, '\t')
            && !g_regex_match (pattern (P_STANDARD), next, 0, NULL)) {   /* "... of ISO 9001:2015, ..." */
            g_autoptr (GString) site = g_string_new (next);
            add_site (sites, site);
        }
    }
    if (sites->len == 0)
        return NULL;
    g_ptr_array_add (sites, NULL);
    return (char **) g_ptr_array_steal (sites, NULL);
}

evx_certificate *
evx_certificate_read (const evx_document *doc)
{
    g_autoptr (GString) all = g_string_new (NULL);
    for (guint i = 0; i < doc->page_texts->len; i++) {
        g_string_append (all, g_ptr_array_index (doc->page_texts, i));
        g_string_append_c (all, '\n');
    }
    const char *text = all->str;
    evx_certificate *cert = g_new0 (evx_certificate, 1);
    int order = evx_date_order (text);
    cert->number = find_number (text);
    cert->holder = find_holder (text);
    cert->issuer = fetch_clean (pattern (P_ISSUER_CERTIFIES), text, 1);
    if (!cert->issuer)
        cert->issuer = fetch_clean (pattern (P_ISSUER_ON_BEHALF), text, 1);
    find_standard (text, cert);
    cert->first_issued = labelled_date (
        pattern (P_FIRST_ISSUED),
        text, order);
    cert->issued = labelled_date (pattern (P_ISSUED),
                                  text, order);
    cert->expires = labelled_date (pattern (P_EXPIRES),
                                   text, order);
    if (!cert->expires)
        cert->expires = labelled_date (pattern (P_VALIDITY_END), text, order);
    cert->scope = find_scope (doc);
    cert->sites = find_sites (text, cert->holder);
    return cert;
}
