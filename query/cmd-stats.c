/* cmd-stats.c - `evidex stats`: what the index holds, in numbers. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "index/index.h"
#include "index/schema.h"
#include "ingest/catalog.h"
#include "ingest/doctype.h"
#include "ingest/error.h"
#include "ingest/json.h"
#include "query/cli.h"

/* Bytes of the files in @dir (not recursive: a Xapian index is one folder). */
static guint64
folder_bytes (const char *dir)
{
    guint64 total = 0;
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d))) {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        GStatBuf st;
        if (g_stat (path, &st) == 0)
            total += (guint64) st.st_size;
    }
    return total;
}

int
evx_cmd_stats (evx_cli *cli, int argc, char **argv)
{
    char *format = NULL;
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json",
          "text|json" },
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new ("- what the index holds");
    g_option_context_set_summary (
        ctx, "Documents by kind, documents without passages (indexed, but no text found:\n"
             "scans to OCR, empty files), failed and skipped files, passages, the ISO 22301:2019 clauses with\n"
             "evidence, the size of the index on disk and the time of the last ingest or\n"
             "refresh.  JSON:\n"
             "{\"schema_version\", \"documents\": {KIND: N}, \"without_passages\", \"failed\",\n"
             "\"skipped\", \"passages\", \"clauses_covered\", \"clauses\",\n"
             "\"index_bytes\", \"last_run\": {\"command\", \"finished\"} or null}.\n"
             "Through a stub database file: the counts of all shards, the size of the\n"
             "shards on this machine (null when every shard is remote), the last run\n"
             "that finished longest ago (the stalest shard's), and \"missing_shards\".");
    g_option_context_set_description (
        ctx, "The index is given before the command: evidex --db PATH stats.\n\n"
             "Exit status: 0 success, 1 error (no index, a shard that did not answer), 2 usage\n"
             "error, 3 some shards did not answer (--partial).");
    g_option_context_add_main_entries (ctx, entries, NULL);
    evx_cli_add_shard_options (cli, ctx);
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
    g_autoptr (evx_index) idx = cat ? evx_cli_open_reader (cli, &error) : NULL;
    g_autoptr (GHashTable) files = NULL;
    guint64 passages = 0;
    if (!idx || !evx_index_list_files (idx, &files, &error)
        || !evx_index_counts (idx, NULL, &passages, &error)) {
        evx_cli_error (cli, "%s", error->message);
        return EVX_EXIT_FATAL;
    }
    /* documents by kind (indexed files), failed and skipped files */
    static const evx_doctype kinds[] = { EVX_DOCTYPE_CERTIFICATE, EVX_DOCTYPE_AUDIT_REPORT,
                                         EVX_DOCTYPE_POLICY,      EVX_DOCTYPE_PLAN,
                                         EVX_DOCTYPE_PROCEDURE,   EVX_DOCTYPE_OTHER };
    guint by_kind[G_N_ELEMENTS (kinds)] = { 0 };
    guint without_passages = 0;
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
        g_autoptr (GPtrArray) records = NULL;
        if (!evx_index_list_records (idx, evx_doctype_name (kinds[k]), &records, &error)) {
            evx_cli_error (cli, "%s", error->message);
            return EVX_EXIT_FATAL;
        }
        by_kind[k] = records->len;
        /* indexed but not one passage: a scan, searchable only after OCR, or a file
         * (a page, a DOCX) where no text was found */
        for (guint r = 0; r < records->len; r++) {
            const evx_file_record *rec = g_ptr_array_index (records, r);
            without_passages += rec->passages == 0;
        }
    }
    guint failed = 0, skipped = 0;
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init (&it, files);
    while (g_hash_table_iter_next (&it, NULL, &value)) {
        const evx_file_stat *st = value;
        failed += st->status == EVX_FILE_FAILED;
        skipped += st->status == EVX_FILE_SKIPPED;
    }
    /* clauses of the 2019 edition with at least one passage */
    const GPtrArray *clauses = evx_catalog_clauses (cat, 2019);
    guint covered = 0;
    for (guint i = 0; i < clauses->len; i++) {
        const evx_clause *c = g_ptr_array_index (clauses, i);
        guint64 n = 0;
        if (evx_index_clause_counts (idx, c->id, 2019, &n, NULL, NULL) && n > 0)
            covered++;
    }
    /* a stub's shards on this machine (a remote shard's size is its server's) */
    guint64 bytes = 0;
    g_auto (GStrv) folders = evx_index_local_folders (idx);
    for (guint i = 0; folders[i]; i++)
        bytes += folder_bytes (folders[i]);
    /* how many shards (of those that answered) are not on this machine */
    g_auto (GStrv) missing = evx_index_missing_shards (idx);
    guint remote = evx_index_shard_count (idx) - g_strv_length (missing) - g_strv_length (folders);
    /* the last run: of a stub, the shard's that finished longest ago (the stalest) */
    g_auto (GStrv) last_runs = evx_index_get_metadata_each (idx, EVX_METADATA_LAST_RUN);
    g_autofree char *last_command = NULL, *last_finished = NULL;
    guint runs = 0;
    for (guint i = 0; last_runs[i]; i++) {
        g_autoptr (JsonParser) parser = json_parser_new ();
        if (!*last_runs[i] || !json_parser_load_from_data (parser, last_runs[i], -1, NULL)
            || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
            continue;
        JsonObject *o = json_node_get_object (json_parser_get_root (parser));
        const char *command = json_object_get_string_member_with_default (o, "command", NULL);
        const char *finished = json_object_get_string_member_with_default (o, "finished", NULL);
        if (!command || !finished)
            continue;
        runs++;
        if (!last_finished || strcmp (finished, last_finished) < 0) {   /* ISO 8601, UTC */
            g_free (last_command);
            g_free (last_finished);
            last_command = g_strdup (command);
            last_finished = g_strdup (finished);
        }
    }

    if (out_format == EVX_FORMAT_JSON) {
        g_autoptr (JsonBuilder) b = json_builder_new ();
        evx_cli_json_begin (b);
        json_builder_set_member_name (b, "documents");
        json_builder_begin_object (b);
        for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
            evx_json_set_int (b, evx_doctype_name (kinds[k]), by_kind[k]);
        json_builder_end_object (b);
        evx_json_set_int (b, "without_passages", without_passages);
        evx_json_set_int (b, "failed", failed);
        evx_json_set_int (b, "skipped", skipped);
        evx_json_set_int (b, "passages", (gint64) passages);
        evx_json_set_int (b, "clauses_covered", covered);
        evx_json_set_int (b, "clauses", clauses->len);
        if (folders[0]) {
            evx_json_set_int (b, "index_bytes", (gint64) bytes);
        } else {
            json_builder_set_member_name (b, "index_bytes");   /* every shard is remote */
            json_builder_add_null_value (b);
        }
        json_builder_set_member_name (b, "last_run");
        if (last_command && last_finished) {
            json_builder_begin_object (b);
            evx_json_set_string (b, "command", last_command);
            evx_json_set_string (b, "finished", last_finished);
            json_builder_end_object (b);
        } else {
            json_builder_add_null_value (b);
        }
        json_builder_end_object (b);
        evx_cli_print_json (b);
        return evx_cli_missing_shards (cli, idx);
    }
    guint documents = 0;
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        documents += by_kind[k];
    printf ("documents          %u\n", documents);
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        printf ("  %-16s %u\n", evx_doctype_name (kinds[k]), by_kind[k]);
    printf ("without passages   %u%s\n", without_passages,
            without_passages > 0 ? " (no text found: scans to OCR? 'evidex show PATH' for each)"
                                 : "");
    printf ("failed files       %u\n", failed);
    printf ("skipped files      %u\n", skipped);
    printf ("passages           %" G_GUINT64_FORMAT "\n", passages);
    printf ("clauses covered    %u of %u (ISO 22301:2019)\n", covered, clauses->len);
    if (!folders[0])
        printf ("index on disk      unknown (every shard is remote)\n");
    else if (remote > 0)
        printf ("index on disk      %.1f MiB (the shards on this machine; %u remote)\n",
                (double) bytes / (1024.0 * 1024.0), remote);
    else
        printf ("index on disk      %.1f MiB\n", (double) bytes / (1024.0 * 1024.0));
    if (last_command && last_finished && evx_index_shard_count (idx) > 1)
        printf ("last run           %s, finished %s (the oldest of %u shards' last runs)\n",
                last_command, last_finished, runs);
    else if (last_command && last_finished)
        printf ("last run           %s, finished %s\n", last_command, last_finished);
    else
        printf ("last run           unknown\n");
    return evx_cli_missing_shards (cli, idx);
}
