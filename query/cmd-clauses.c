/* cmd-clauses.c - `evidex clauses`: every clause of an edition with the number of
 * passages and documents mapped to it, so that clauses without evidence stand out. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "index/index.h"
#include "ingest/catalog.h"
#include "ingest/error.h"
#include "ingest/json.h"
#include "query/cli.h"

typedef struct {
    const evx_clause *clause;
    guint64 passages, documents;
} coverage;

static void
print_text (const GArray *rows, int edition)
{
    guint empty = 0;
    printf ("ISO 22301:%d  %8s %9s  clause\n", edition, "passages", "documents");
    for (guint i = 0; i < rows->len; i++) {
        const coverage *c = &g_array_index (rows, coverage, i);
        int depth = 0;
        for (const char *p = c->clause->id; *p; p++)
            depth += *p == '.';
        printf ("%-14s %8" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT "  %*s%s%s\n", c->clause->id,
                c->passages, c->documents, depth * 2, "", c->clause->title,
                c->passages == 0 ? "   <- no evidence" : "");
        empty += c->passages == 0;
    }
    printf ("%u of %u clauses have no evidence.\n", empty, rows->len);
}

static void
print_json (const GArray *rows, int edition)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autofree char *name = g_strdup_printf ("%d", edition);
    evx_cli_json_begin (b);
    evx_json_set_string (b, "edition", name);
    json_builder_set_member_name (b, "clauses");
    json_builder_begin_array (b);
    for (guint i = 0; i < rows->len; i++) {
        const coverage *c = &g_array_index (rows, coverage, i);
        json_builder_begin_object (b);
        evx_json_set_string (b, "id", c->clause->id);
        evx_json_set_string (b, "title", c->clause->title);
        evx_json_set_string (b, "parent", c->clause->parent);
        evx_json_set_int (b, "passages", (gint64) c->passages);
        evx_json_set_int (b, "documents", (gint64) c->documents);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
    json_builder_end_object (b);
    evx_cli_print_json (b);
}

static void
print_csv (const GArray *rows, int edition)
{
    g_autoptr (GString) out = g_string_new (NULL);
    static const char *const header[] = { "edition", "id", "title", "parent", "passages",
                                          "documents" };
    for (guint i = 0; i < G_N_ELEMENTS (header); i++)
        evx_cli_csv_field (out, header[i], i + 1 == G_N_ELEMENTS (header));
    g_autofree char *ed = g_strdup_printf ("%d", edition);
    for (guint i = 0; i < rows->len; i++) {
        const coverage *c = &g_array_index (rows, coverage, i);
        g_autofree char *passages = g_strdup_printf ("%" G_GUINT64_FORMAT, c->passages);
        g_autofree char *documents = g_strdup_printf ("%" G_GUINT64_FORMAT, c->documents);
        evx_cli_csv_field (out, ed, FALSE);
        evx_cli_csv_field (out, c->clause->id, FALSE);
        evx_cli_csv_field (out, c->clause->title, FALSE);
        evx_cli_csv_field (out, c->clause->parent, FALSE);
        evx_cli_csv_field (out, passages, FALSE);
        evx_cli_csv_field (out, documents, TRUE);
    }
    fwrite (out->str, 1, out->len, stdout);
}

int
evx_cmd_clauses (evx_cli *cli, int argc, char **argv)
{
    char *edition_arg = NULL, *format = NULL;
    GOptionEntry entries[] = {
        { "edition", 'e', 0, G_OPTION_ARG_STRING, &edition_arg,
          "ISO 22301 edition to list (default 2019)", "2012|2019" },
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default), json or csv",
          "text|json|csv" },
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new ("- clause coverage of the indexed evidence");
    g_option_context_set_summary (
        ctx, "Lists every clause of the edition in order, with its title, the number of\n"
             "passages mapped to it or to one of its sub-clauses (directly or through the\n"
             "equivalent clause of the other edition) and the number of documents those\n"
             "passages come from: what `evidex search --clause ID` finds.  Clauses with no\n"
             "evidence are marked.  Clause numbers and titles come from the built-in catalog\n"
             "(corpus/catalog/iso22301.xml).  JSON output is one object:\n"
             "  {\"schema_version\", \"edition\": \"2019\", \"clauses\": [{\"id\", \"title\", \"parent\" (null at the\n"
             "   top), \"passages\", \"documents\"}]}");
    g_option_context_set_description (
        ctx, "The index is given before the command: evidex --db PATH clauses (default:\n"
             "$EVIDEX_DB, else ./evidex.db).\n\n"
             "Exit status: 0 success, 1 error (no index, a shard that did not answer), 2 usage\n"
             "error, 3 some shards did not answer (--partial).");
    g_option_context_add_main_entries (ctx, entries, NULL);
    evx_cli_add_shard_options (cli, ctx);
    if (!evx_cli_parse (cli, ctx, &argc, &argv))
        return EVX_EXIT_USAGE;
    g_autofree char *edition_name = edition_arg;
    g_autofree char *fmt = format;
    if (argc > 1) {
        evx_cli_error (cli, "unexpected argument '%s'", argv[1]);
        return EVX_EXIT_USAGE;
    }
    int edition = evx_cli_edition (cli, edition_name);
    if (edition == 0)
        return EVX_EXIT_USAGE;
    int out_format = evx_cli_format (cli, fmt, TRUE);
    if (out_format < 0)
        return EVX_EXIT_USAGE;

    g_autoptr (GError) error = NULL;
    g_autoptr (evx_catalog) cat = evx_catalog_load (NULL, &error);
    if (!cat) {
        evx_cli_error (cli, "%s", error->message);
        return EVX_EXIT_FATAL;
    }
    g_autoptr (evx_index) idx = evx_cli_open_reader (cli, &error);
    if (!idx) {
        evx_cli_error (cli, "%s", error->message);
        return evx_cli_exit_status (error);
    }
    const GPtrArray *clauses = evx_catalog_clauses (cat, edition);
    g_autoptr (GArray) rows = g_array_sized_new (FALSE, TRUE, sizeof (coverage), clauses->len);
    for (guint i = 0; i < clauses->len; i++) {
        coverage c = { g_ptr_array_index (clauses, i), 0, 0 };
        if (!evx_index_clause_counts (idx, c.clause->id, edition, &c.passages, &c.documents,
                                      &error)) {
            evx_cli_error (cli, "%s", error->message);
            return EVX_EXIT_FATAL;
        }
        g_array_append_val (rows, c);
    }
    if (out_format == EVX_FORMAT_JSON)
        print_json (rows, edition);
    else if (out_format == EVX_FORMAT_CSV)
        print_csv (rows, edition);
    else
        print_text (rows, edition);
    return evx_cli_missing_shards (cli, idx);
}
