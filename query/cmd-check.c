/* cmd-check.c - `evidex check`: is the index consistent? */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "ingest/catalog.h"
#include "ingest/json.h"
#include "query/cli.h"

/* TRUE when @term ("2019:8.2.2") names a clause of the catalog. */
static gboolean
clause_known (const evx_catalog *cat, const char *term)
{
    if (strlen (term) < 6 || term[4] != ':')
        return FALSE;
    int edition = atoi (term);
    return (edition == 2012 || edition == 2019) && evx_catalog_lookup (cat, term + 5, edition) != NULL;
}

int
evx_cmd_check (evx_cli *cli, int argc, char **argv)
{
    char *format = NULL;
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json",
          "text|json" },
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new ("- verify the index");
    g_option_context_set_summary (
        ctx, "Reads every file record and every passage of the index and reports what does\n"
             "not hold: a passage whose file has no record (orphan-passage), a record that\n"
             "counts more or fewer passages than the index has for it (missing-passages,\n"
             "extra-passages), stored data that cannot be read (passage-data, file-data), a\n"
             "document that is neither (unknown-document), a clause term the catalog does\n"
             "not know (clause).  It takes about 4 s per 100,000 passages and changes\n"
             "nothing.  It checks the last commit; when an ingest or refresh commits while\n"
             "it reads (Xapian then ends the read), it starts again, up to 11 times in all.\n"
             "JSON: {\"schema_version\", \"files\", \"passages\", \"problems\": [{\"kind\",\n"
             "\"path\", \"detail\"}]}.");
    g_option_context_set_description (
        ctx, "The index is given before the command: evidex --db PATH check.\n\n"
             "Exit status: 0 the index is consistent, 1 problems found (each is listed) or\n"
             "the index could not be read, 2 usage error.");
    g_option_context_add_main_entries (ctx, entries, NULL);
    if (!evx_cli_parse (cli, ctx, &argc, &argv))
        return EVX_EXIT_USAGE;
    g_autofree char *fmt = format;
    if (argc > 1) {
        evx_cli_error (cli, "unexpected argument '%s'", argv[1]);
        return EVX_EXIT_USAGE;
    }
    int out_format = evx_cli_format (cli, fmt, FALSE);
    if (out_format < 0)
        return EVX_EXIT_USAGE;
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_catalog) cat = evx_catalog_load (NULL, &error);
    g_autoptr (evx_index) idx = cat ? evx_index_open (cli->db, EVX_INDEX_READ, &error) : NULL;
    g_autoptr (GPtrArray) problems = NULL;
    g_auto (GStrv) clause_terms = NULL;
    guint64 files = 0, passages = 0;
    if (!idx || !evx_index_check (idx, &problems, &clause_terms, &files, &passages, &error)) {
        evx_cli_error (cli, "%s", error->message);
        return EVX_EXIT_FATAL;
    }
    for (guint i = 0; clause_terms[i]; i++) {
        if (clause_known (cat, clause_terms[i]))
            continue;
        evx_index_problem *p = g_new0 (evx_index_problem, 1);
        p->kind = "clause";
        p->detail = g_strdup_printf ("clause term %s is not in the catalog", clause_terms[i]);
        g_ptr_array_add (problems, p);
    }
    if (out_format == EVX_FORMAT_JSON) {
        g_autoptr (JsonBuilder) b = json_builder_new ();
        evx_cli_json_begin (b);
        evx_json_set_int (b, "files", (gint64) files);
        evx_json_set_int (b, "passages", (gint64) passages);
        json_builder_set_member_name (b, "problems");
        json_builder_begin_array (b);
        for (guint i = 0; i < problems->len; i++) {
            const evx_index_problem *p = g_ptr_array_index (problems, i);
            json_builder_begin_object (b);
            evx_json_set_string (b, "kind", p->kind);
            evx_json_set_string (b, "path", p->path);
            evx_json_set_string (b, "detail", p->detail);
            json_builder_end_object (b);
        }
        json_builder_end_array (b);
        json_builder_end_object (b);
        evx_cli_print_json (b);
    } else {
        for (guint i = 0; i < problems->len; i++) {
            const evx_index_problem *p = g_ptr_array_index (problems, i);
            g_autofree char *path = p->path ? evx_cli_printable (p->path) : NULL;
            printf ("%s: %s%s%s\n", p->kind, path ? path : "", path ? ": " : "", p->detail);
        }
        printf ("%s: %" G_GUINT64_FORMAT " files, %" G_GUINT64_FORMAT " passages, %u problem%s\n",
                problems->len ? "inconsistent" : "consistent", files, passages, problems->len,
                problems->len == 1 ? "" : "s");
    }
    return problems->len ? EVX_EXIT_FATAL : EVX_EXIT_OK;
}
