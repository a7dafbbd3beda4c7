/* cmd-search.c - `evidex search`: ranked passages as text or JSON. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index/index.h"
#include "ingest/catalog.h"
#include "ingest/commitment.h"
#include "ingest/doctype.h"
#include "ingest/error.h"
#include "ingest/json.h"
#include "ingest/normalise.h"
#include "query/cli.h"

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 10000

/* How matched terms are marked in text output (--highlight). */
typedef enum {
    HIGHLIGHT_ANSI,       /* bold, on a terminal */
    HIGHLIGHT_BRACKETS,   /* [term] */
    HIGHLIGHT_NONE,
} highlight;

/* The snippet is HTML (see evx_hit): marks become the chosen highlight and the
 * entities Xapian escapes become characters. */
static char *
snippet_to_text (const char *html, highlight hl)
{
    static const struct {
        const char *from, *to[3];
    } map[] = {
        { "<mark>", { "\033[1m", "[", "" } }, { "</mark>", { "\033[0m", "]", "" } },
        { "&amp;", { "&", "&", "&" } },        { "&lt;", { "<", "<", "<" } },
        { "&gt;", { ">", ">", ">" } },         { "&quot;", { "\"", "\"", "\"" } },
    };
    GString *out = g_string_new (NULL);
    for (const char *p = html; *p;) {
        gboolean replaced = FALSE;
        for (size_t i = 0; i < G_N_ELEMENTS (map); i++) {
            size_t n = strlen (map[i].from);
            if (strncmp (p, map[i].from, n) == 0) {
                g_string_append (out, map[i].to[hl]);
                p += n;
                replaced = TRUE;
                break;
            }
        }
        if (!replaced)
            g_string_append_c (out, *p++);
    }
    return g_string_free (out, FALSE);
}

/* Why the hit is there: its weight, the query words that matched, each clause's reason. */
static void
print_why (const evx_hit *h)
{
    printf ("   why: Xapian weight %.4f (BM25)", h->score);
    if (h->matched && h->matched[0]) {
        g_autofree char *words = g_strjoinv (", ", h->matched);
        printf ("; matched: %s", words);
    }
    printf ("\n");
    for (guint j = 0; j < h->clauses->len; j++) {
        const evx_clause_tag *t = g_ptr_array_index (h->clauses, j);
        printf ("        %s (ISO 22301:%d) by %s, confidence %.2f", t->id, t->edition,
                evx_clause_reason_name (t->reason), t->confidence);
        if (t->matched && t->matched[0]) {
            g_autofree char *phrases = g_strjoinv ("\", \"", t->matched);
            printf (": \"%s\"", phrases);
        }
        printf ("\n");
    }
}

static void
print_text (const evx_results *res, const evx_search_request *req, highlight hl, gboolean explain)
{
    const char *query = req->query;
    if (res->hits->len == 0 && req->offset > 0 && res->total > 0) {
        printf ("No hits after the first %u (%s%" G_GUINT64_FORMAT " passages match).\n",
                req->offset, res->total > EVX_EXACT_TOTAL ? "about " : "", res->total);
        return;
    }
    if (res->hits->len == 0) {
        gboolean words = query && *query;
        g_autofree char *filter = req->clause ? g_strdup_printf ("%sclause %s of ISO 22301:%d",
                                                                 words ? " in " : " ", req->clause,
                                                                 req->edition)
                                              : g_strdup ("");
        g_autofree char *shown = evx_cli_printable (words ? query : "");
        printf ("No passage matches%s%s%s.\n", words ? " " : "", shown, filter);
        return;
    }
    for (guint i = 0; i < res->hits->len; i++) {
        const evx_hit *h = g_ptr_array_index (res->hits, i);
        g_autofree char *path = evx_cli_printable (h->path);
        printf ("%d. %s", h->rank, path);
        if (h->page > 0)
            printf ("  page %d", h->page);
        if (h->page_label) {
            g_autofree char *label = evx_cli_printable (h->page_label);
            printf (" (printed \"%s\")", label);
        }
        printf ("  score %.2f\n", h->score);
        if (h->title) {
            /* an index written by an older version may hold any bytes */
            g_autofree char *title = evx_cli_printable (h->title);
            printf ("   title: %s%s%s%s\n", title, h->doc_type ? "  (" : "",
                    h->doc_type ? h->doc_type : "", h->doc_type ? ")" : "");
        }
        if (h->clauses->len > 0) {
            printf ("   clauses:");
            for (guint j = 0; j < h->clauses->len; j++) {
                const evx_clause_tag *t = g_ptr_array_index (h->clauses, j);
                printf ("%s %s %s (ISO 22301:%d, %s %.2f)", j ? ";" : "", t->id,
                        t->title ? t->title : "", t->edition, evx_clause_reason_name (t->reason),
                        t->confidence);
            }
            printf ("\n");
        }
        for (guint j = 0; h->commitments && j < h->commitments->len; j++) {
            const evx_commitment *c = g_ptr_array_index (h->commitments, j);
            g_autofree char *party = evx_cli_printable (c->party ? c->party : "(no party)");
            printf ("   commitment: %s %s%s%s%s%s\n", party, c->modal, c->negated ? " not" : "",
                    c->deadline ? " (" : "", c->deadline ? c->deadline : "", c->deadline ? ")" : "");
        }
        if (explain)
            print_why (h);
        g_autofree char *snippet = snippet_to_text (h->snippet, hl);
        printf ("   %s\n\n", snippet);
    }
    if (req->offset > 0 && res->hits->len > 0)   /* "3 to 4 of 63", as the hits are numbered */
        printf ("%u to %u of %s%" G_GUINT64_FORMAT " matching passages shown.\n", req->offset + 1,
                req->offset + res->hits->len, res->total > EVX_EXACT_TOTAL ? "about " : "",
                res->total);
    else
        printf ("%u of %s%" G_GUINT64_FORMAT " matching passages shown.\n", res->hits->len,
                res->total > EVX_EXACT_TOTAL ? "about " : "", res->total);
}

static void
print_csv (const evx_results *res)
{
    g_autoptr (GString) out = g_string_new (NULL);
    static const char *const header[] = { "rank", "score", "path", "doc_type", "page", "page_label",
                                          "passage", "clauses", "text" };
    for (guint i = 0; i < G_N_ELEMENTS (header); i++)
        evx_cli_csv_field (out, header[i], i + 1 == G_N_ELEMENTS (header));
    for (guint i = 0; i < res->hits->len; i++) {
        const evx_hit *h = g_ptr_array_index (res->hits, i);
        g_autofree char *rank = g_strdup_printf ("%d", h->rank);
        g_autofree char *score = g_strdup_printf ("%.4f", h->score);
        g_autofree char *page = h->page > 0 ? g_strdup_printf ("%d", h->page) : NULL;
        g_autoptr (GString) clauses = g_string_new (NULL);
        for (guint j = 0; j < h->clauses->len; j++) {
            const evx_clause_tag *t = g_ptr_array_index (h->clauses, j);
            g_string_append_printf (clauses, "%s%s/%d", j ? " " : "", t->id, t->edition);
        }
        evx_cli_csv_field (out, rank, FALSE);
        evx_cli_csv_field (out, score, FALSE);
        evx_cli_csv_field (out, h->path, FALSE);
        evx_cli_csv_field (out, h->doc_type, FALSE);
        evx_cli_csv_field (out, page, FALSE);
        evx_cli_csv_field (out, h->page_label, FALSE);
        evx_cli_csv_field (out, h->passage, FALSE);
        evx_cli_csv_field (out, clauses->str, FALSE);
        evx_cli_csv_field (out, h->text, TRUE);
    }
    fwrite (out->str, 1, out->len, stdout);
}

static void
print_json (const evx_results *res, const char *query)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    evx_cli_json_begin (b);
    evx_json_set_string (b, "query", query ? query : "");
    json_builder_set_member_name (b, "total");
    json_builder_add_int_value (b, (gint64) res->total);
    json_builder_set_member_name (b, "hits");
    json_builder_begin_array (b);
    for (guint i = 0; i < res->hits->len; i++) {
        const evx_hit *h = g_ptr_array_index (res->hits, i);
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "rank");
        json_builder_add_int_value (b, h->rank);
        json_builder_set_member_name (b, "score");
        json_builder_add_double_value (b, h->score);
        evx_json_set_string (b, "path", h->path);
        evx_json_set_string (b, "title", h->title);
        evx_json_set_string (b, "doc_type", h->doc_type);
        evx_cli_json_page (b, h->page);
        evx_json_set_string (b, "page_label", h->page_label);
        evx_json_set_string (b, "passage", h->passage);
        evx_json_set_string (b, "text", h->text);
        evx_json_set_string (b, "snippet", h->snippet);
        evx_cli_json_clauses (b, h->clauses);
        json_builder_set_member_name (b, "commitments");
        evx_json_add_commitments (b, h->commitments);
        /* why the hit is there: the weight, the words, each clause's reason */
        json_builder_set_member_name (b, "why");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "weight");
        json_builder_add_double_value (b, h->score);
        json_builder_set_member_name (b, "matched_terms");
        json_builder_begin_array (b);
        for (char **w = h->matched; w && *w; w++)
            json_builder_add_string_value (b, *w);
        json_builder_end_array (b);
        json_builder_set_member_name (b, "clauses");
        json_builder_begin_array (b);
        for (guint j = 0; j < h->clauses->len; j++) {
            const evx_clause_tag *t = g_ptr_array_index (h->clauses, j);
            g_autofree char *ed = g_strdup_printf ("%d", t->edition);
            json_builder_begin_object (b);
            evx_json_set_string (b, "id", t->id);
            evx_json_set_string (b, "edition", ed);
            evx_json_set_string (b, "reason", evx_clause_reason_name (t->reason));
            json_builder_set_member_name (b, "matched");
            json_builder_begin_array (b);
            for (char **m = t->matched; m && *m; m++)
                json_builder_add_string_value (b, *m);
            json_builder_end_array (b);
            json_builder_end_object (b);
        }
        json_builder_end_array (b);
        json_builder_end_object (b);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
    json_builder_end_object (b);
    evx_cli_print_json (b);
}


typedef struct {
    const evx_catalog *cat;
    int edition;   /* the one clause: is read in */
} clause_check;

/* A clause field ("clause:8.2.2", "clause2012:9.1.2") must be one the query parser knows
 * and its id a clause of its edition ("clause: 8.2" is refused: a clause number is
 * meant). */
static gboolean
check_clause_field (const evx_cli *cli, const clause_check *cc, const char *field,
                    const char *name, const char *value)
{
    const char *year = name + strlen ("clause");
    int ed = cc->edition;
    if (*year) {
        if (strcmp (year, "2012") != 0 && strcmp (year, "2019") != 0) {
            evx_cli_error (cli, "unknown field '%s:' (clause:, clause2012: or clause2019:)", field);
            return FALSE;
        }
        ed = atoi (year);
    }
    if (!*value) {
        evx_cli_error (cli, "'%s:' needs a clause number right after the colon, as in "
                            "clause:8.2.2",
                       field);
        return FALSE;
    }
    return evx_cli_check_clause (cli, cc->cat, value, ed);
}

/* type:KIND and edition:YEAR must name a kind and an edition, as --type and --edition
 * must; modal:KEY a key; a field must have a value (a field name followed by a space,
 * as in pasted text, is searched as a word, with a note); path: an absolute path, as
 * the index names files; clause fields as check_clause_field() says. */
static gboolean
check_field (const evx_cli *cli, const clause_check *cc, const char *field, const char *name,
             const char *value, gboolean spaced)
{
    if (g_str_has_prefix (name, "clause"))
        return check_clause_field (cli, cc, field, name, value);
    if (spaced) {
        /* text such as "Issue date: 2024-09-02" is searched as words; say so */
        evx_cli_error (cli, "note: '%s:' is followed by a space, so it is searched as the word "
                            "'%s', not as a field (a filter is written %s:VALUE)",
                       field, field, field);
        return TRUE;
    }
    if (!*value) {
        evx_cli_error (cli, "'%s:' needs a value right after the colon, as in %s:%s", field,
                       field,
                       strcmp (name, "type") == 0      ? "plan"
                       : strcmp (name, "edition") == 0 ? "2012"
                       : strcmp (name, "modal") == 0   ? "shall"
                       : strcmp (name, "party") == 0   ? "supplier"
                       : strcmp (name, "date") == 0    ? "2024"
                                                       : "/srv/evidence/plan.pdf");
        return FALSE;
    }
    g_autofree char *lower = g_ascii_strdown (value, -1);
    if (strcmp (name, "type") == 0 && evx_doctype_from_name (lower) < 0) {
        evx_cli_error (cli, "%s:%s: the kinds are certificate, audit-report, policy, plan, "
                            "procedure and other",
                       field, value);
        return FALSE;
    }
    if (strcmp (name, "edition") == 0 && strcmp (value, "2012") != 0
        && strcmp (value, "2019") != 0) {
        evx_cli_error (cli, "%s:%s: the editions are 2012 and 2019", field, value);
        return FALSE;
    }
    if (strcmp (name, "modal") == 0 && !evx_commitment_is_modal_key (value)) {
        evx_cli_error (cli, "%s:%s: the modal keys are shall, must, will, required, commits, "
                            "undertakes, agrees and any",
                       field, value);
        return FALSE;
    }
    if (strcmp (name, "path") == 0 && !g_path_is_absolute (value)) {
        evx_cli_error (cli, "%s:%s: give the file's absolute path, as the index names it "
                            "(evidex show and search output print it)",
                       field, value);
        return FALSE;
    }
    return TRUE;
}

/* Checks each field of @query whose value can be checked here (type:, edition:, modal:,
 * party:, path:, date:, clause:, clause2012:, clause2019:), outside phrases, in the
 * spellings the query parser knows (index.h: "type:", "Type:", "TYPE:"), with
 * check_field(): the field as written, its name in lower case, its value without
 * quotes, and whether a space follows the colon (the value is then empty).  A mistyped
 * or empty value would otherwise match nothing, silently.  Stops at the first error. */
static gboolean
check_query_fields (const evx_cli *cli, const clause_check *cc, const char *query)
{
    /* curly double quotes are quotes to the query parser too (index.h) */
    GString *straight = g_string_new (NULL);
    for (const char *p = query; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        g_string_append_unichar (straight, c == 0x201C || c == 0x201D ? '"' : c);
    }
    g_autofree char *text = g_string_free (straight, FALSE);
    g_autoptr (GRegex) re = g_regex_new ("(?<![\\w:])(type|edition|modal|party|path|date|"
                                         "clause(?:\\d*)):(\"[^\"]*\"?|[^\\s()\"]*)",
                                         G_REGEX_CASELESS, 0, NULL);
    g_autoptr (GMatchInfo) m = NULL;
    for (g_regex_match (re, text, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL)) {
        int at = 0, end = 0;
        g_match_info_fetch_pos (m, 0, &at, &end);
        guint quotes = 0;
        for (int i = 0; i < at; i++)
            quotes += text[i] == '"';
        if (quotes % 2)
            continue;   /* words of a phrase ("Document type: plan"), not a field */
        g_autofree char *field = g_match_info_fetch (m, 1);
        g_autofree char *raw = g_match_info_fetch (m, 2);
        g_autofree char *name = g_ascii_strdown (field, -1);
        g_autofree char *capital = g_strdup (name);
        capital[0] = g_ascii_toupper (capital[0]);
        g_autofree char *upper = g_ascii_strup (field, -1);
        if (strcmp (field, name) != 0 && strcmp (field, capital) != 0
            && strcmp (field, upper) != 0) {
            evx_cli_error (cli, "'%s:' is not a field: write %s:, %s: or %s:", field, name,
                           capital, upper);
            return FALSE;
        }
        size_t n = strlen (raw);
        g_autofree char *value = raw[0] == '"' ? g_strndup (raw + 1, n > 1 && raw[n - 1] == '"'
                                                                     ? n - 2 : n - 1)
                                               : g_strdup (raw);
        /* "Review date: June 2025", pasted: the parser reads words, not a field */
        gboolean spaced = !*value && g_ascii_isspace (text[end]);
        if (!check_field (cli, cc, field, name, value, spaced))
            return FALSE;
    }
    return TRUE;
}

int
evx_cmd_search (evx_cli *cli, int argc, char **argv)
{
    char *clause = NULL, *format = NULL, *edition_arg = NULL, *type = NULL, *highlight_arg = NULL;
    gboolean explain = FALSE, commitments = FALSE;
    int limit = DEFAULT_LIMIT, offset = 0;
    GOptionEntry entries[] = {
        { "clause", 'c', 0, G_OPTION_ARG_FILENAME, &clause,
          "Only passages tagged with clause ID or one of its sub-clauses (e.g. 8.2.2)", "ID" },
        { "edition", 'e', 0, G_OPTION_ARG_STRING, &edition_arg,
          "ISO 22301 edition that --clause and clause:ID are read in (default 2019)",
          "2012|2019" },
        { "type", 't', 0, G_OPTION_ARG_STRING, &type,
          "Only passages of documents of this kind: certificate, audit-report, policy, plan, "
          "procedure or other",
          "KIND" },
        { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, "Number of hits to show (default 10)", "N" },
        { "offset", 0, 0, G_OPTION_ARG_INT, &offset, "Number of hits to skip (default 0)", "N" },
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
          "Output format: text (default), json or csv (RFC 4180: rank, score, path, doc_type, "
          "page, page_label, passage, clauses, text)",
          "text|json|csv" },
        { "commitments", 0, 0, G_OPTION_ARG_NONE, &commitments,
          "Only passages that commit a party (shall, must, will, is required to, commits to, "
          "undertakes to, agrees to); modal:KEY and party:WORD in the query narrow them",
          NULL },
        { "explain", 0, 0, G_OPTION_ARG_NONE, &explain,
          "Say why each hit is there: its Xapian weight, the query words that matched, and "
          "why it carries each clause (JSON output always has this as \"why\")",
          NULL },
        { "highlight", 0, 0, G_OPTION_ARG_STRING, &highlight_arg,
          "How text output marks matched terms: ansi (bold; the default on a terminal), "
          "brackets ([term]; the default otherwise) or none",
          "ansi|brackets|none" },
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new ("[QUERY...] - search the indexed passages");
    g_option_context_set_summary (
        ctx, "Ranks passages (BM25) by the QUERY words, all of which must match (English\n"
             "stemming in any case: 'Exercises' finds 'exercise').  QUERY accepts \"phrases\"\n"
             "(straight or curly quotes), OR, NOT, -word, word*, NEAR, modal:KEY and\n"
             "party:WORD (commitments), type:KIND, edition:2012|2019, path:/abs/file.pdf,\n"
             "date:2024, date:2024-09, date:2024-09-02, date:A..B (either end may be left\n"
             "out) and clause:ID (clause2012:ID and clause2019:ID name the edition;\n"
             "several clause fields keep the passages of any of them).\n"
             "Field names may also be written with a capital or in capitals (Clause:8.2.2,\n"
             "TYPE:plan).\n"
             "A QUERY of excluded words and phrases only (\"-- -impact\",\n"
             "'-- -\"call tree\"') keeps the passages without them.\n"
             "With --clause alone, lists the passages of a clause.  A clause matches its\n"
             "sub-clauses, and a passage mapped in the other edition is found through the\n"
             "equivalent clause (2012 8.5 \"Exercising and testing\" = 2019 8.5).\n"
             "Text output shows per hit: rank, path, page, clauses and a snippet with the\n"
             "matched terms marked.  JSON output is one object:\n"
             "  {\"schema_version\", \"query\", \"total\", \"hits\": [{\"rank\", \"score\", \"path\",\n"
             "   \"title\", \"doc_type\", \"page\", \"page_label\", \"passage\", \"text\", \"snippet\",\n"
             "   \"clauses\": [{\"id\", \"edition\", \"title\", \"confidence\", \"reason\", \"matched\",\n"
             "   \"equivalent\", \"equivalents\"}], \"commitments\": [{\"sentence\", \"modal\",\n"
             "   \"negated\", \"party\", \"deadline\"}], \"why\": {\"weight\", \"matched_terms\",\n"
             "   \"clauses\": [{\"id\", \"edition\", \"reason\", \"matched\"}]}}]}  (docs/json.md)\n"
             "where \"reason\" is reference, heading or vocabulary, \"matched\" lists the\n"
             "catalog phrases found (for vocabulary, and where a reference or heading was\n"
             "narrowed to a sub-clause), \"equivalents\" are the clause numbers in the other\n"
             "edition (\"equivalent\" the first, or null), and\n"
             "\"snippet\" is HTML with the matched terms in <mark>.");
    g_option_context_set_description (
        ctx, "The index is given before the command: evidex --db PATH search ... (default:\n"
             "$EVIDEX_DB, else ./evidex.db).  Put -- before a QUERY that holds a\n"
             "word starting with '-' (\"evidex search -- business -impact\").\n\n"
             "Exit status: 0 success (also with no hits), 1 error (no index, a shard that did\n"
             "not answer), 2 usage error (also a query with a syntax error or no searchable\n"
             "term), 3 some shards did not answer (--partial).");
    g_option_context_add_main_entries (ctx, entries, NULL);
    evx_cli_add_shard_options (cli, ctx);
    if (!evx_cli_parse (cli, ctx, &argc, &argv))
        return EVX_EXIT_USAGE;

    /* taken as bytes (G_OPTION_ARG_FILENAME): GOption would convert a string from the
     * locale's charset and refuse "８.２.２" under LANG=C; the text is UTF-8 or refused */
    g_autofree char *clause_arg = clause;
    if (clause_arg && !g_utf8_validate (clause_arg, -1, NULL)) {
        evx_cli_error (cli, "--clause is not valid UTF-8");
        return EVX_EXIT_USAGE;
    }
    g_autofree char *clause_id = clause_arg ? evx_cli_clause_id (clause_arg) : NULL;
    g_autofree char *fmt = format;
    int out_format = evx_cli_format (cli, fmt, TRUE);
    if (out_format < 0)
        return EVX_EXIT_USAGE;
    g_autofree char *hl_name = highlight_arg;
    highlight hl = isatty (STDOUT_FILENO) ? HIGHLIGHT_ANSI : HIGHLIGHT_BRACKETS;
    if (hl_name) {
        if (strcmp (hl_name, "brackets") == 0) {
            hl = HIGHLIGHT_BRACKETS;
        } else if (strcmp (hl_name, "none") == 0) {
            hl = HIGHLIGHT_NONE;
        } else if (strcmp (hl_name, "ansi") == 0) {
            /* escape sequences only for a terminal */
            hl = isatty (STDOUT_FILENO) ? HIGHLIGHT_ANSI : HIGHLIGHT_BRACKETS;
        } else {
            evx_cli_error (cli, "unknown --highlight '%s' (ansi, brackets or none)", hl_name);
            return EVX_EXIT_USAGE;
        }
    }
    if (limit < 1 || limit > MAX_LIMIT) {
        evx_cli_error (cli, "--limit %d: it must be 1 to %d", limit, MAX_LIMIT);
        return EVX_EXIT_USAGE;
    }
    if (offset < 0) {
        evx_cli_error (cli, "--offset %d: it must be 0 or more", offset);
        return EVX_EXIT_USAGE;
    }
    /* kinds are names in lower case; --type Plan means plan */
    g_autofree char *type_name = type ? g_ascii_strdown (type, -1) : NULL;
    g_free (type);
    if (type_name && evx_doctype_from_name (type_name) < 0) {
        evx_cli_error (cli, "--type %s: the kinds are certificate, audit-report, policy, plan, "
                            "procedure and other",
                       type_name);
        return EVX_EXIT_USAGE;
    }
    g_autofree char *edition_name = edition_arg;
    int edition = evx_cli_edition (cli, edition_name);
    if (edition == 0)
        return EVX_EXIT_USAGE;
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_catalog) cat = evx_catalog_load (NULL, &error);
    if (!cat) {
        evx_cli_error (cli, "%s", error->message);
        return EVX_EXIT_FATAL;
    }
    if (clause_id && !evx_cli_check_clause (cli, cat, clause_id, edition))
        return EVX_EXIT_USAGE;
    char **words = argv + 1;   /* evx_cli_parse() took out the "--" that ends the options */
    g_autofree char *joined = *words ? g_strjoinv (" ", words) : NULL;
    /* the same normalisation as the indexed text: "ﬁnancial" finds "financial" */
    g_autofree char *query = joined ? evx_normalise_text (joined, -1, NULL) : NULL;
    if ((!query || !*query) && !clause_id && !type_name && !commitments) {
        evx_cli_error (cli, "give a QUERY, --clause ID or --type KIND (try 'evidex search --help')");
        return EVX_EXIT_USAGE;
    }
    clause_check cc = { cat, edition };
    if (query && !check_query_fields (cli, &cc, query))
        return EVX_EXIT_USAGE;


    g_autoptr (evx_index) idx = evx_cli_open_reader (cli, &error);
    if (!idx) {
        evx_cli_error (cli, "%s", error->message);
        return evx_cli_exit_status (error);
    }
    evx_search_request req = { .query = query, .clause = clause_id, .edition = edition,
                               .doc_type = type_name, .commitments = commitments,
                               .offset = (guint) offset, .limit = (guint) limit };
    g_autoptr (evx_results) res = evx_index_search (idx, &req, &error);
    if (!res) {
        evx_cli_error (cli, "%s", error->message);
        return evx_cli_exit_status (error);   /* a query syntax error is a usage error */
    }
    if (out_format == EVX_FORMAT_JSON)
        print_json (res, query);
    else if (out_format == EVX_FORMAT_CSV)
        print_csv (res);
    else
        print_text (res, &req, hl, explain);
    return evx_cli_missing_shards (cli, idx);
}
