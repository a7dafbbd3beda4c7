/* cmd-certs.c - `evidex certs`: the register of the indexed certificates, with their
 * status on a date. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "ingest/certificate.h"
#include "ingest/error.h"
#include "ingest/json.h"
#include "query/cli.h"

#define DEFAULT_EXPIRING_DAYS 90

typedef struct {
    const evx_file_record *rec;
    const char *status;
} row;

/* @iso (YYYY-MM-DD, as stored) into @d; FALSE when it is NULL or no date. */
static gboolean
read_date (const char *iso, GDate *d)
{
    g_date_clear (d, 1);
    if (iso)
        g_date_set_parse (d, iso);
    return g_date_valid (d);
}

/* "not-yet-valid" (@as_of before the certificate was issued: its issue date, else its
 * first issue), "valid", "expiring" (within @days of @as_of), "expired" (before
 * @as_of), or "unknown" when the certificate states no expiry date. */
static const char *
status_of (const evx_certificate *c, GDate *as_of, int days)
{
    GDate expires, start;
    if (c && (read_date (c->issued, &start) || read_date (c->first_issued, &start))
        && g_date_compare (as_of, &start) < 0)
        return "not-yet-valid";
    if (!c || !read_date (c->expires, &expires))
        return "unknown";
    int left = g_date_days_between (as_of, &expires);
    return left < 0 ? "expired" : left <= days ? "expiring" : "valid";
}

static int
compare_rows (gconstpointer a, gconstpointer b)
{
    const row *x = a, *y = b;
    const char *ex = x->rec->certificate ? x->rec->certificate->expires : NULL;
    const char *ey = y->rec->certificate ? y->rec->certificate->expires : NULL;
    if (!ex != !ey)
        return ex ? -1 : 1;   /* no expiry date: last */
    int c = ex ? strcmp (ex, ey) : 0;
    return c ? c : strcmp (x->rec->path, y->rec->path);
}

static const char *
field (const evx_certificate *c, gsize offset)
{
    return c ? G_STRUCT_MEMBER (const char *, c, offset) : NULL;
}

static const struct {
    const char *name;
    gsize offset;
} fields[] = {
    { "holder", G_STRUCT_OFFSET (evx_certificate, holder) },
    { "number", G_STRUCT_OFFSET (evx_certificate, number) },
    { "standard", G_STRUCT_OFFSET (evx_certificate, standard) },
    { "edition", G_STRUCT_OFFSET (evx_certificate, edition) },
    { "issuer", G_STRUCT_OFFSET (evx_certificate, issuer) },
    { "first_issued", G_STRUCT_OFFSET (evx_certificate, first_issued) },
    { "issued", G_STRUCT_OFFSET (evx_certificate, issued) },
    { "expires", G_STRUCT_OFFSET (evx_certificate, expires) },
    { "scope", G_STRUCT_OFFSET (evx_certificate, scope) },
};

static void
print_json (GArray *rows, const char *as_of)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    evx_cli_json_begin (b);
    evx_json_set_string (b, "as_of", as_of);
    json_builder_set_member_name (b, "certificates");
    json_builder_begin_array (b);
    for (guint i = 0; i < rows->len; i++) {
        const row *r = &g_array_index (rows, row, i);
        json_builder_begin_object (b);
        evx_json_set_string (b, "path", r->rec->path);
        for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
            evx_json_set_string (b, fields[f].name, field (r->rec->certificate, fields[f].offset));
        evx_json_set_strv (b, "sites", r->rec->certificate ? r->rec->certificate->sites : NULL);
        evx_json_set_string (b, "status", r->status);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
    json_builder_end_object (b);
    evx_cli_print_json (b);
}

static void
print_csv (GArray *rows)
{
    g_autoptr (GString) out = g_string_new (NULL);
    evx_cli_csv_field (out, "path", FALSE);
    for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        evx_cli_csv_field (out, fields[f].name, FALSE);
    evx_cli_csv_field (out, "sites", FALSE);
    evx_cli_csv_field (out, "status", TRUE);
    for (guint i = 0; i < rows->len; i++) {
        const row *r = &g_array_index (rows, row, i);
        evx_cli_csv_field (out, r->rec->path, FALSE);
        for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
            evx_cli_csv_field (out, field (r->rec->certificate, fields[f].offset), FALSE);
        char **sites = r->rec->certificate ? r->rec->certificate->sites : NULL;
        g_autofree char *joined = sites ? g_strjoinv ("; ", sites) : NULL;
        evx_cli_csv_field (out, joined, FALSE);
        evx_cli_csv_field (out, r->status, TRUE);
    }
    fwrite (out->str, 1, out->len, stdout);
}

static void
print_text (GArray *rows, const char *as_of)
{
    printf ("Certificates as of %s (%u):\n", as_of, rows->len);
    for (guint i = 0; i < rows->len; i++) {
        const row *r = &g_array_index (rows, row, i);
        const evx_certificate *c = r->rec->certificate;
        g_autofree char *path = evx_cli_printable (r->rec->path);
        g_autofree char *holder = evx_cli_printable (field (c, G_STRUCT_OFFSET (evx_certificate, holder)));
        printf ("%-13s expires %-10s  %s  %s%s%s  %s\n   %s\n", r->status,
                c && c->expires ? c->expires : "?", c && c->number ? c->number : "(no number)",
                c && c->standard ? c->standard : "?", c && c->edition ? ":" : "",
                c && c->edition ? c->edition : "", *holder ? holder : "(holder not stated)", path);
    }
}

int
evx_cmd_certs (evx_cli *cli, int argc, char **argv)
{
    char *format = NULL, *as_of_arg = NULL;
    int days = DEFAULT_EXPIRING_DAYS;
    GOptionEntry entries[] = {
        { "expiring", 0, 0, G_OPTION_ARG_INT, &days,
          "A certificate that expires within DAYS is 'expiring' (default 90)", "DAYS" },
        { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of_arg,
          "The date the statuses are for (default: today)", "YYYY-MM-DD" },
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
          "Output format: text (default), json or csv", "text|json|csv" },
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new ("- the register of indexed certificates");
    g_option_context_set_summary (
        ctx, "Lists the documents classified as certificates, sorted by expiry date (those\n"
             "without one last), with the fields their text states (a field not found is\n"
             "null in JSON, empty in CSV, \"?\" or \"(... not stated)\" in text: never guessed)\n"
             "and their status on the --as-of date: not-yet-valid (before its issue date),\n"
             "valid, expiring (within --expiring days), expired, or unknown (no expiry date\n"
             "found).\n"
             "JSON: {\"schema_version\", \"as_of\": \"YYYY-MM-DD\", \"certificates\": [{\"path\",\n"
             "\"holder\", \"number\", \"standard\", \"edition\", \"issuer\", \"first_issued\",\n"
             "\"issued\", \"expires\", \"scope\", \"sites\" (an array), \"status\"}]}; dates in\n"
             "ISO 8601.  CSV (RFC 4180): the same columns, sites joined by \"; \".");
    g_option_context_set_description (
        ctx, "The index is given before the command: evidex --db PATH certs.\n\n"
             "Exit status: 0 success, 1 error (no index, a shard that did not answer), 2 usage\n"
             "error, 3 some shards did not answer (--partial).");
    g_option_context_add_main_entries (ctx, entries, NULL);
    evx_cli_add_shard_options (cli, ctx);
    if (!evx_cli_parse (cli, ctx, &argc, &argv))
        return EVX_EXIT_USAGE;
    g_autofree char *fmt = format;
    g_autofree char *as_of_text = as_of_arg;
    if (argc > 1) {
        evx_cli_error (cli, "unexpected argument '%s'", argv[1]);
        return EVX_EXIT_USAGE;
    }
    int out_format = evx_cli_format (cli, fmt, TRUE);
    if (out_format < 0)
        return EVX_EXIT_USAGE;
    if (days < 0) {
        evx_cli_error (cli, "--expiring must be 0 or more days");
        return EVX_EXIT_USAGE;
    }
    GDate as_of;
    g_date_clear (&as_of, 1);
    g_autofree char *as_of_iso = NULL;
    if (as_of_text) {
        /* any day of the calendar (the certificate reader only takes 1900 to 2200) */
        gboolean shape = strlen (as_of_text) == 10;
        for (int i = 0; shape && i < 10; i++)
            shape = (i == 4 || i == 7) ? as_of_text[i] == '-' : g_ascii_isdigit (as_of_text[i]);
        unsigned y = shape ? atoi (as_of_text) : 0;
        unsigned m = shape ? atoi (as_of_text + 5) : 0;
        unsigned d = shape ? atoi (as_of_text + 8) : 0;
        if (!shape || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y)) {
            evx_cli_error (cli, "--as-of '%s' is not a date YYYY-MM-DD", as_of_text);
            return EVX_EXIT_USAGE;
        }
        g_date_set_dmy (&as_of, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
        as_of_iso = g_strdup (as_of_text);
    } else {
        g_date_set_time_t (&as_of, time (NULL));
        as_of_iso = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&as_of),
                                     g_date_get_month (&as_of), g_date_get_day (&as_of));
    }

    g_autoptr (GError) error = NULL;
    g_autoptr (evx_index) idx = evx_cli_open_reader (cli, &error);
    g_autoptr (GPtrArray) records = NULL;
    if (!idx || !evx_index_list_records (idx, "certificate", &records, &error)) {
        evx_cli_error (cli, "%s", error->message);
        return EVX_EXIT_FATAL;
    }
    g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (row));
    for (guint i = 0; i < records->len; i++) {
        const evx_file_record *rec = g_ptr_array_index (records, i);
        row r = { rec, status_of (rec->certificate, &as_of, days) };
        g_array_append_val (rows, r);
    }
    g_array_sort (rows, compare_rows);
    if (out_format == EVX_FORMAT_JSON)
        print_json (rows, as_of_iso);
    else if (out_format == EVX_FORMAT_CSV)
        print_csv (rows);
    else
        print_text (rows, as_of_iso);
    return evx_cli_missing_shards (cli, idx);
}
