/* cli.c - what the sub-commands share: messages, option parsing, exit statuses. */
#include <stdarg.h>
#include <stdio.h>

#include <string.h>
#include <unistd.h>

#include "ingest/catalog.h"
#include "ingest/error.h"
#include "ingest/json.h"
#include "ingest/normalise.h"
#include "query/cli.h"

char *
evx_cli_printable (const char *s)
{
    GString *out = g_string_new (NULL);
    for (const char *p = s ? s : ""; *p;) {
        gunichar c = g_utf8_get_char_validated (p, -1);
        if (c == (gunichar) -1 || c == (gunichar) -2) {
            g_string_append_c (out, '?');   /* a byte that is not UTF-8 */
            p++;
            continue;
        }
        /* C0 and C1 controls and DEL (a terminal reads U+009B as ESC [), and the
         * bidirectional overrides and isolates, which reorder what follows on the line */
        gboolean hidden = g_unichar_type (c) == G_UNICODE_CONTROL || (c >= 0x202A && c <= 0x202E)
                          || (c >= 0x2066 && c <= 0x2069);
        if (hidden)
            g_string_append_c (out, '?');
        else
            g_string_append_unichar (out, c);
        p = g_utf8_next_char (p);
    }
    return g_string_free (out, FALSE);
}

char *
evx_cli_display_path (const char *filename)
{
    if (g_utf8_validate (filename, -1, NULL) && !strchr (filename, '\\'))
        return g_strdup (filename);
    GString *out = g_string_new (NULL);
    const char *p = filename;
    while (*p) {
        const char *bad = NULL;
        g_utf8_validate (p, -1, &bad);
        const char *stop = bad;
        const char *slash = memchr (p, '\\', (gsize) (stop - p));
        if (slash)
            stop = slash;
        g_string_append_len (out, p, stop - p);
        if (!*stop)
            break;
        g_string_append_printf (out, "\\x%02X", (guchar) *stop);   /* a bad byte, or "\\" */
        p = stop + 1;
    }
    return g_string_free (out, FALSE);
}

char *
evx_cli_file_name (const char *display)
{
    GString *out = g_string_new (NULL);
    for (const char *p = display; *p; p++) {
        if (p[0] == '\\' && p[1] == 'x' && g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3])) {
            g_string_append_c (out, (char) (g_ascii_xdigit_value (p[2]) << 4 | g_ascii_xdigit_value (p[3])));
            p += 3;
        } else {
            g_string_append_c (out, *p);
        }
    }
    return g_string_free (out, FALSE);
}

void
evx_cli_error (const evx_cli *cli, const char *format, ...)
{
    va_list ap;
    va_start (ap, format);
    g_autofree char *msg = g_strdup_vprintf (format, ap);
    va_end (ap);
    /* file names may hold control characters: never send them to a terminal */
    g_autofree char *shown = evx_cli_printable (msg);
    if (cli && cli->command)
        fprintf (stderr, "evidex %s: %s\n", cli->command, shown);
    else
        fprintf (stderr, "evidex: %s\n", shown);
}

gboolean
evx_cli_parse (evx_cli *cli, GOptionContext *ctx, int *argc, char ***argv)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *prgname = cli->command ? g_strconcat ("evidex ", cli->command, NULL)
                                            : g_strdup ("evidex");
    g_set_prgname (prgname);   /* "Usage: evidex ingest [OPTION…] PATH..." */
    /* a word to exclude from a query ("-impact") looks like an option to GOption: an
     * unknown one, or short options ("-call" is -c with no value) */
    gboolean search = cli->command && strcmp (cli->command, "search") == 0;
    gboolean dash_word = FALSE, db_after = FALSE;
    for (int i = 1; i < *argc && strcmp ((*argv)[i], "--") != 0; i++) {
        const char *a = (*argv)[i];
        dash_word = dash_word
                    || (search && a[0] == '-' && g_ascii_isalpha (a[1]) && g_ascii_isalpha (a[2]));
        db_after = db_after || strcmp (a, "--db") == 0 || g_str_has_prefix (a, "--db=");
    }
    gboolean ok = g_option_context_parse (ctx, argc, argv, &error);
    g_option_context_free (ctx);
    if (!ok && cli->command && db_after) {
        /* a newcomer's "evidex stats --db x" */
        evx_cli_error (cli, "--db goes before the command: evidex --db PATH %s ...", cli->command);
        return FALSE;
    }
    if (!ok) {
        gboolean looks_like_word = search && (dash_word || g_error_matches (error, G_OPTION_ERROR,
                                                                           G_OPTION_ERROR_UNKNOWN_OPTION));
        evx_cli_error (cli, "%s (try 'evidex%s%s --help'%s)", error->message,
                       cli->command ? " " : "", cli->command ? cli->command : "",
                       looks_like_word ? "; to exclude a word, put -- before the QUERY or write "
                                         "NOT word"
                                       : "");
        return FALSE;
    }
    /* GOption leaves the "--" that ends the options where it stood: it is no argument
     * ("ingest -- -rf.pdf" named a file "--") */
    for (int i = 1; cli->command && i < *argc; i++) {
        if (strcmp ((*argv)[i], "--") == 0) {
            memmove (*argv + i, *argv + i + 1, (gsize) (*argc - i) * sizeof (char *));   /* with the NULL */
            (*argc)--;
            break;
        }
    }
    if (!cli->timeout_text)   /* no --timeout after the command: the one before it */
        cli->timeout_text = g_steal_pointer (&cli->timeout_global);
    if (cli->timeout_text) {
        char *end = NULL;
        double t = g_ascii_strtod (cli->timeout_text, &end);
        if (end == cli->timeout_text || *end || !(t >= 0.001 && t <= 86400)) {   /* NaN too */
            evx_cli_error (cli, "--timeout takes seconds, from 0.001 to 86400, not '%s'",
                           cli->timeout_text);
            return FALSE;
        }
        cli->timeout_s = t;
    }
    return TRUE;
}

void
evx_cli_add_shard_options (evx_cli *cli, GOptionContext *ctx)
{
    /* the command's --timeout replaces the global one (GOption would not free it) */
    g_free (cli->timeout_global);
    cli->timeout_global = g_steal_pointer (&cli->timeout_text);
    GOptionEntry entries[] = {
        { "timeout", 0, 0, G_OPTION_ARG_STRING, &cli->timeout_text,
          "Seconds each remote shard of a stub database file (--db) has to answer (default 10)",
          "SECONDS" },
        { "partial", 0, 0, G_OPTION_ARG_NONE, &cli->partial,
          "When shards of the stub do not answer, use the others (named on stderr and in JSON "
          "\"missing_shards\"; exit status 3)",
          NULL },
        G_OPTION_ENTRY_NULL,
    };
    g_option_context_add_main_entries (ctx, entries, NULL);
}

int
evx_cli_exit_status (const GError *error)
{
    if (g_error_matches (error, EVX_ERROR, EVX_ERROR_QUERY_SYNTAX))
        return EVX_EXIT_USAGE;
    return g_error_matches (error, EVX_ERROR, EVX_ERROR_LOCKED) ? EVX_EXIT_LOCKED : EVX_EXIT_FATAL;
}


/* The stub reader of this run (one per process), whose missing shards the JSON
 * output names: set by evx_cli_open_reader(), and only for a stub. */
static evx_index *stub_reader;

evx_index *
evx_cli_open_reader (const evx_cli *cli, GError **error)
{
    evx_read_options opts = { cli->timeout_s, cli->partial };
    evx_index *idx = evx_index_open_read (cli->db, &opts, error);
    if (idx && g_file_test (cli->db, G_FILE_TEST_IS_REGULAR))
        stub_reader = idx;
    return idx;
}

int
evx_cli_missing_shards (const evx_cli *cli, evx_index *idx)
{
    g_auto (GStrv) missing = evx_index_missing_shards (idx);
    guint n = g_strv_length (missing), all = evx_index_shard_count (idx);
    for (guint i = 0; i < n; i++)
        evx_cli_error (cli, "partial results: shard '%s' did not answer (%u of %u shards answered)",
                       missing[i], all - n, all);
    return n > 0 ? EVX_EXIT_PARTIAL : EVX_EXIT_OK;
}

void
evx_cli_json_begin (JsonBuilder *b)
{
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "schema_version");
    json_builder_add_int_value (b, EVX_JSON_SCHEMA_VERSION);
    if (stub_reader) {
        g_auto (GStrv) missing = evx_index_missing_shards (stub_reader);
        json_builder_set_member_name (b, "missing_shards");
        json_builder_begin_array (b);
        for (guint i = 0; missing[i]; i++)
            json_builder_add_string_value (b, missing[i]);
        json_builder_end_array (b);
    }
}

void
evx_cli_json_page (JsonBuilder *b, int page)
{
    json_builder_set_member_name (b, "page");
    if (page > 0)
        json_builder_add_int_value (b, page);
    else
        json_builder_add_null_value (b);
}

void
evx_cli_json_clauses (JsonBuilder *b, const GPtrArray *clauses)
{
    json_builder_set_member_name (b, "clauses");
    json_builder_begin_array (b);
    for (guint j = 0; j < clauses->len; j++)
        evx_json_add_clause_tag (b, g_ptr_array_index (clauses, j));
    json_builder_end_array (b);
}

int
evx_cli_format (const evx_cli *cli, const char *name, gboolean csv)
{
    if (!name || strcmp (name, "text") == 0)
        return EVX_FORMAT_TEXT;
    if (strcmp (name, "json") == 0)
        return EVX_FORMAT_JSON;
    if (csv && strcmp (name, "csv") == 0)
        return EVX_FORMAT_CSV;
    evx_cli_error (cli, "unknown --format '%s' (text, json%s)", name, csv ? " or csv" : "");
    return -1;
}

void
evx_cli_csv_field (GString *out, const char *value, gboolean last)
{
    /* a spreadsheet runs a cell that starts like a formula ("=HYPERLINK(...)", "@SUM(...)"):
     * an apostrophe before it keeps it text (OWASP's advice on CSV injection) */
    gboolean formula = value && strchr ("=+-@\t\r", value[0]) && value[0];
    if (value && (formula || strpbrk (value, ",\"\r\n"))) {
        g_string_append_c (out, '"');
        if (formula)
            g_string_append_c (out, '\'');
        for (const char *p = value; *p; p++) {
            if (*p == '"')
                g_string_append_c (out, '"');
            g_string_append_c (out, *p);
        }
        g_string_append_c (out, '"');
    } else if (value) {
        g_string_append (out, value);
    }
    g_string_append (out, last ? "\r\n" : ",");
}

int
evx_cli_format_is_json (const evx_cli *cli, const char *name)
{
    if (!name || strcmp (name, "text") == 0)
        return 0;
    if (strcmp (name, "json") == 0)
        return 1;
    evx_cli_error (cli, "unknown --format '%s' (text or json)", name);
    return -1;
}

int
evx_cli_edition (const evx_cli *cli, const char *name)
{
    if (!name || strcmp (name, "2019") == 0)
        return 2019;
    if (strcmp (name, "2012") == 0)
        return 2012;
    evx_cli_error (cli, "unknown --edition '%s' (2012 or 2019)", name);
    return 0;
}

gboolean
evx_cli_check_clause (const evx_cli *cli, const evx_catalog *cat, const char *id, int edition)
{
    if (!evx_catalog_lookup (cat, id, edition)) {
        /* a long id is cut short: the message is about the clause, not an echo */
        evx_cli_error (cli, "'%.20s%s' is no clause of ISO 22301:%d (see 'evidex clauses "
                       "--edition %d')", id, strlen (id) > 20 ? "..." : "", edition, edition);
        return FALSE;
    }
    return TRUE;
}

char *
evx_cli_clause_id (const char *text)
{
    char *id = evx_normalise_text (text, -1, NULL);
    g_strstrip (id);
    size_t n = strlen (id);
    if (n > 0 && id[n - 1] == '.')
        id[n - 1] = '\0';
    return id;
}

void
evx_cli_print_json (JsonBuilder *b)
{
    g_autofree char *text = evx_json_to_string (b, isatty (STDOUT_FILENO), NULL);
    printf ("%s\n", text);
}
