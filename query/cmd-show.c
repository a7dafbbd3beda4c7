/* cmd-show.c - `evidex show PATH[#PAGE]`: one document as the index holds it. */
#define _XOPEN_SOURCE 700   /* realpath() */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "ingest/error.h"
#include "ingest/json.h"
#include "query/cli.h"

/* The path as the index records it: symbolic links resolved, bytes escaped. */
static char *
recorded_path (const char *arg)
{
    char *real = realpath (arg, NULL);
    g_autofree char *abs = real ? g_strdup (real) : g_canonicalize_filename (arg, NULL);
    free (real);
    return evx_cli_display_path (abs);
}

/* An indexed document without one passage: a scan without a text layer, pages of
 * furniture only, or a file where no text was found. */
static gboolean
without_passages (const evx_file_record *rec)
{
    return rec->status == EVX_FILE_INDEXED && rec->passages == 0;
}

static void
print_text (const evx_file_record *rec, GPtrArray *passages, int page)
{
    g_autofree char *path = evx_cli_printable (rec->path);
    printf ("%s\n", path);
    printf ("  kind       %s\n", rec->doc_type ? rec->doc_type : "?");
    printf ("  type       %s\n", rec->mime_type ? rec->mime_type : "?");
    printf ("  status     %s%s%s\n", evx_file_status_name (rec->status), rec->reason ? ": " : "",
            rec->reason ? rec->reason : "");
    if (rec->title) {
        g_autofree char *title = evx_cli_printable (rec->title);
        printf ("  title      %s\n", title);
    }
    if (rec->edition)
        printf ("  edition    ISO 22301:%d\n", rec->edition);
    if (rec->page_count > 0)
        printf ("  pages      %d\n", rec->page_count);
    printf ("  passages   %u%s\n", rec->passages,
            !without_passages (rec) ? ""
            : rec->page_count > 0   ? " (its pages hold no text layer, or only page furniture: "
                                      "a scan? OCR it to search it)"
                                    : " (no text was found in it)");
    printf ("  size       %" G_GINT64_FORMAT " bytes, SHA-256 %s\n", rec->size,
            rec->sha256 ? rec->sha256 : "?");
    const evx_certificate *c = rec->certificate;
    if (c) {
        printf ("  certificate %s, %s%s%s, held by %s, issued by %s\n", c->number ? c->number : "?",
                c->standard ? c->standard : "?", c->edition ? ":" : "", c->edition ? c->edition : "",
                c->holder ? c->holder : "?", c->issuer ? c->issuer : "?");
        printf ("              first issued %s, issued %s, expires %s\n",
                c->first_issued ? c->first_issued : "?", c->issued ? c->issued : "?",
                c->expires ? c->expires : "?");
        if (c->scope)
            printf ("              scope: %s\n", c->scope);
        for (guint s = 0; c->sites && c->sites[s]; s++)
            printf ("              site: %s\n", c->sites[s]);
    }
    int shown_page = -1;
    for (guint i = 0; i < passages->len; i++) {
        const evx_hit *h = g_ptr_array_index (passages, i);
        if (page > 0 && h->page != page)
            continue;
        if (h->page != shown_page) {
            if (h->page > 0)
                printf ("\n== page %d%s%s%s\n", h->page, h->page_label ? " (printed \"" : "",
                        h->page_label ? h->page_label : "", h->page_label ? "\")" : "");
            else
                printf ("\n== text\n");
            shown_page = h->page;
        }
        g_autofree char *text = evx_cli_printable (h->text);
        printf ("[%s] %s\n", h->passage, text);
        for (guint j = 0; j < h->clauses->len; j++) {
            const evx_clause_tag *t = g_ptr_array_index (h->clauses, j);
            printf ("    -> %s %s (ISO 22301:%d, %s %.2f)\n", t->id, t->title ? t->title : "",
                    t->edition, evx_clause_reason_name (t->reason), t->confidence);
        }
    }
}

static void
print_json (const evx_file_record *rec, GPtrArray *passages, int page)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    evx_cli_json_begin (b);
    json_builder_set_member_name (b, "document");
    json_builder_begin_object (b);
    evx_json_set_string (b, "path", rec->path);
    evx_json_set_string (b, "doc_type", rec->doc_type);
    evx_json_set_string (b, "type", rec->mime_type);
    evx_json_set_string (b, "status", evx_file_status_name (rec->status));
    evx_json_set_string (b, "reason", rec->reason);
    evx_json_set_string (b, "title", rec->title);
    evx_json_set_string (b, "author", rec->author);
    evx_json_set_string (b, "producer", rec->producer);
    g_autofree char *edition = rec->edition ? g_strdup_printf ("%d", rec->edition) : NULL;
    evx_json_set_string (b, "edition", edition);
    json_builder_set_member_name (b, "pages");
    if (rec->page_count > 0)
        json_builder_add_int_value (b, rec->page_count);
    else
        json_builder_add_null_value (b);
    evx_json_set_int (b, "passages", rec->passages);
    json_builder_set_member_name (b, "without_passages");
    json_builder_add_boolean_value (b, without_passages (rec));
    evx_json_set_int (b, "size", rec->size);
    evx_json_set_string (b, "sha256", rec->sha256);
    json_builder_set_member_name (b, "certificate");
    evx_json_add_certificate (b, rec->certificate);
    json_builder_end_object (b);
    json_builder_set_member_name (b, "passages");
    json_builder_begin_array (b);
    for (guint i = 0; i < passages->len; i++) {
        const evx_hit *h = g_ptr_array_index (passages, i);
        if (page > 0 && h->page != page)
            continue;
        json_builder_begin_object (b);
        evx_cli_json_page (b, h->page);
        evx_json_set_string (b, "page_label", h->page_label);
        evx_json_set_string (b, "passage", h->passage);
        evx_json_set_string (b, "text", h->text);
        evx_cli_json_clauses (b, h->clauses);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
    json_builder_end_object (b);
    evx_cli_print_json (b);
}

int
evx_cmd_show (evx_cli *cli, int argc, char **argv)
{
    char *format = NULL;
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json",
          "text|json" },
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new ("PATH[#PAGE] - one document as the index holds it");
    g_option_context_set_summary (
        ctx, "Shows a document's record (kind, type, status, title, ISO 22301 edition, pages,\n"
             "size, SHA-256), its certificate fields when it is a certificate, and its passages\n"
             "page by page with their clauses; #PAGE (counted from 1) shows one page.\n"
             "JSON: {\"schema_version\", \"document\": {\"path\", \"doc_type\", \"type\", \"status\",\n"
             "\"reason\", \"title\", \"author\", \"producer\", \"edition\", \"pages\", \"passages\",\n"
             "\"without_passages\" (indexed, not one passage: a scan?), \"size\", \"sha256\",\n"
             "\"certificate\"}, \"passages\": [{\"page\", \"page_label\",\n"
             "\"passage\", \"text\", \"clauses\"}]}.");
    g_option_context_set_description (
        ctx, "The index is given before the command: evidex --db PATH show FILE.\n\n"
             "Exit status: 0 success, 1 error (no index, the file is not in it, a shard that did\n"
             "not answer), 2 usage error, 3 some shards did not answer (--partial).");
    g_option_context_add_main_entries (ctx, entries, NULL);
    evx_cli_add_shard_options (cli, ctx);
    if (!evx_cli_parse (cli, ctx, &argc, &argv))
        return EVX_EXIT_USAGE;
    g_autofree char *fmt = format;
    if (argc != 2) {
        evx_cli_error (cli, "give one PATH[#PAGE] (try 'evidex show --help')");
        return EVX_EXIT_USAGE;
    }
    int out_format = evx_cli_format (cli, fmt, FALSE);
    if (out_format < 0)
        return EVX_EXIT_USAGE;
    g_autofree char *arg = g_strdup (argv[1]);
    int page = 0;
    char *hash = strrchr (arg, '#');
    if (hash && !g_file_test (arg, G_FILE_TEST_EXISTS)) {
        char *end = NULL;
        long n = strtol (hash + 1, &end, 10);
        if (!end || *end || n < 1 || n > G_MAXINT) {
            evx_cli_error (cli, "#%s is not a page number (counted from 1)", hash + 1);
            return EVX_EXIT_USAGE;
        }
        page = (int) n;
        *hash = '\0';
    }
    g_autofree char *path = recorded_path (arg);
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_index) idx = evx_cli_open_reader (cli, &error);
    g_autoptr (evx_file_record) rec = NULL;
    g_autoptr (GPtrArray) passages = NULL;
    if (idx && evx_index_get_file (idx, path, &rec, &error) && !rec) {
        /* the name as evidex prints it ("a\xFF.txt"), typed back */
        g_autofree char *as_printed = g_canonicalize_filename (arg, NULL);
        if (g_utf8_validate (as_printed, -1, NULL) && evx_index_get_file (idx, as_printed, &rec, &error)
            && rec) {
            g_free (path);
            path = g_steal_pointer (&as_printed);
        }
    }
    if (!idx || error || !evx_index_file_passages (idx, path, &passages, &error)) {
        evx_cli_error (cli, "%s", error->message);
        return EVX_EXIT_FATAL;
    }
    if (!rec) {
        g_autofree char *shown = evx_cli_printable (path);
        g_auto (GStrv) missing = evx_index_missing_shards (idx);
        evx_cli_error (cli, "%s is not in the index %s%s", shown, cli->db,
                       missing[0] ? " (or it is in a shard that did not answer)" : "");
        evx_cli_missing_shards (cli, idx);
        return EVX_EXIT_FATAL;
    }
    if (page > 0 && (rec->page_count == 0 || page > rec->page_count)) {
        if (rec->page_count == 0)
            evx_cli_error (cli, "page %d: the document has no pages (%s)", page,
                           rec->mime_type ? rec->mime_type : "a format without pages");
        else
            evx_cli_error (cli, "page %d: the document has %d pages", page, rec->page_count);
        return EVX_EXIT_USAGE;
    }
    if (out_format == EVX_FORMAT_JSON)
        print_json (rec, passages, page);
    else
        print_text (rec, passages, page);
    return evx_cli_missing_shards (cli, idx);
}
