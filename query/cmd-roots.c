/* cmd-roots.c - `evidex roots`: the folders and files that `evidex refresh` re-scans. */
#define _XOPEN_SOURCE 700   /* realpath() */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "ingest/error.h"
#include "ingest/json.h"
#include "query/cli.h"

/* Whether @path is @root or lies under it. */
static gboolean
is_under (const char *path, const char *root)
{
    gsize n = strlen (root);
    return strncmp (path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Files recorded under @root (indexed, failed or skipped). */
static guint
files_under (GHashTable *files, const char *root)
{
    guint count = 0;
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init (&it, files);
    while (g_hash_table_iter_next (&it, &key, NULL))
        count += is_under (key, root);
    return count;
}

/* Opens the index in @mode and reads its roots and file records; the exit status of
 * the error, reported, or EVX_EXIT_OK. */
static int
open_roots (evx_cli *cli, evx_index_mode mode, evx_index **idx, char ***roots, GHashTable **files)
{
    g_autoptr (GError) error = NULL;
    *idx = evx_index_open (cli->db, mode, &error);
    if (*idx && evx_index_get_roots (*idx, roots, &error) && evx_index_list_files (*idx, files, &error))
        return EVX_EXIT_OK;
    evx_cli_error (cli, "%s", error->message);
    return evx_cli_exit_status (error);
}

/* roots --forget PATH: @path stops being a root, and the files recorded under it leave
 * the index, in one commit. */
static int
forget_root (evx_cli *cli, const char *path)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_index) idx = NULL;
    g_auto (GStrv) roots = NULL;
    g_autoptr (GHashTable) files = NULL;
    int status = open_roots (cli, EVX_INDEX_UPDATE, &idx, &roots, &files);
    if (status != EVX_EXIT_OK)
        return status;
    /* the root as ingest recorded it (absolute, links resolved) or as typed: the link
     * may point elsewhere now, or the root be gone while a link above it stays */
    g_autofree char *abs = g_canonicalize_filename (path, NULL);
    char *real = realpath (path, NULL);
    g_autofree char *resolved = real ? g_strdup (real) : NULL;
    free (real);
    g_autofree char *parent = g_path_get_dirname (abs);
    g_autofree char *base = g_path_get_basename (abs);
    char *real_parent = realpath (parent, NULL);
    g_autofree char *under_resolved = real_parent ? g_build_filename (real_parent, base, NULL) : NULL;
    free (real_parent);
    const char *const names[] = { resolved, abs, under_resolved };
    const char *root = NULL;
    for (guint i = 0; roots[i] && !root; i++)
        for (guint k = 0; k < G_N_ELEMENTS (names) && !root; k++)
            root = names[k] && strcmp (roots[i], names[k]) == 0 ? roots[i] : NULL;
    /* no root: files that `ingest --no-record` put in under PATH, and which no root
     * covers (refresh never looks at them, so they stayed when they were gone) */
    g_auto (GStrv) shown_roots = g_new0 (char *, g_strv_length (roots) + 1);
    for (guint i = 0; roots[i]; i++)
        shown_roots[i] = evx_cli_display_path (roots[i]);
    g_autoptr (GHashTable) uncovered = g_hash_table_new (g_str_hash, g_str_equal);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init (&it, files);
    while (g_hash_table_iter_next (&it, &key, NULL)) {
        gboolean covered = FALSE;
        for (guint i = 0; shown_roots[i] && !covered; i++)
            covered = is_under (key, shown_roots[i]);
        if (!covered)
            g_hash_table_add (uncovered, key);
    }
    const char *loose = NULL;
    for (guint k = 0; k < G_N_ELEMENTS (names) && !root && !loose; k++) {
        g_autofree char *shown_name = names[k] ? evx_cli_display_path (names[k]) : NULL;
        loose = shown_name && files_under (uncovered, shown_name) > 0 ? names[k] : NULL;
    }
    if (!root && !loose) {
        g_autofree char *shown = evx_cli_printable (abs);
        evx_cli_error (cli, "%s is not a recorded root ('evidex roots' lists them), and no file "
                            "recorded outside the roots lies under it", shown);
        return EVX_EXIT_USAGE;
    }
    /* roots never nest (ingest records the outer one), so what lies under it is its own */
    g_autofree char *display = evx_cli_display_path (root ? root : loose);
    guint removed = 0;
    g_hash_table_iter_init (&it, root ? files : uncovered);
    while (g_hash_table_iter_next (&it, &key, NULL)) {
        if (!is_under (key, display))
            continue;
        if (!evx_index_remove_file (idx, key, &error))
            break;
        removed++;
    }
    if (error || (root && !evx_index_forget_root (idx, root, &error))
        || !evx_index_commit (idx, &error)) {
        evx_cli_error (cli, "%s; the index keeps its last commit", error->message);
        return EVX_EXIT_FATAL;
    }
    g_autofree char *shown = evx_cli_printable (display);
    printf ("Forgot %s %s: %u file%s left the index.\n", root ? "the root" : "the files under",
            shown, removed, removed == 1 ? "" : "s");
    return EVX_EXIT_OK;
}

int
evx_cmd_roots (evx_cli *cli, int argc, char **argv)
{
    char *format = NULL, *forget = NULL;
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json",
          "text|json" },
        { "forget", 0, 0, G_OPTION_ARG_FILENAME, &forget,
          "Stop re-scanning the root PATH and remove the files recorded under it from the index "
          "(a share retired for good); for a PATH that is no root, remove the files that "
          "'ingest --no-record' put in under it",
          "PATH" },
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new ("- the roots 'evidex refresh' re-scans");
    g_option_context_set_summary (
        ctx, "Lists the files and folders recorded by 'evidex ingest' (all but those given\n"
             "with --no-record), with the number of files recorded under each and whether\n"
             "it exists now.  JSON output: {\"schema_version\", \"roots\": [{\"path\", \"exists\",\n"
             "\"files\"}]}.  A root that is missing makes every refresh fail (exit 3) and keeps\n"
             "its files searchable: --forget PATH ends that, for a root gone for good.");
    g_option_context_set_description (
        ctx, "The index is given before the command: evidex --db PATH roots.\n\n"
             "Exit status: 0 success, 1 error (no index), 2 usage error (--forget: PATH is no\n"
             "recorded root, and no file outside the roots lies under it), 75 another process\n"
             "holds the index (--forget).");
    g_option_context_add_main_entries (ctx, entries, NULL);
    if (!evx_cli_parse (cli, ctx, &argc, &argv))
        return EVX_EXIT_USAGE;
    g_autofree char *fmt = format;
    g_autofree char *forget_path = forget;
    if (argc > 1) {
        evx_cli_error (cli, "unexpected argument '%s'", argv[1]);
        return EVX_EXIT_USAGE;
    }
    if (forget_path) {
        if (!*forget_path) {
            /* an empty variable in a script ("--forget $OLD"), not the current folder */
            evx_cli_error (cli, "--forget needs a PATH, not an empty string");
            return EVX_EXIT_USAGE;
        }
        if (fmt) {
            evx_cli_error (cli, "--format lists the roots; --forget changes them: give one");
            return EVX_EXIT_USAGE;
        }
        return forget_root (cli, forget_path);
    }
    int json = evx_cli_format_is_json (cli, fmt);
    if (json < 0)
        return EVX_EXIT_USAGE;
    g_autoptr (evx_index) idx = NULL;
    g_auto (GStrv) roots = NULL;
    g_autoptr (GHashTable) files = NULL;
    int status = open_roots (cli, EVX_INDEX_READ, &idx, &roots, &files);
    if (status != EVX_EXIT_OK)
        return status;
    g_autoptr (JsonBuilder) b = json_builder_new ();
    evx_cli_json_begin (b);
    json_builder_set_member_name (b, "roots");
    json_builder_begin_array (b);
    for (guint i = 0; roots[i]; i++) {
        gboolean exists = g_file_test (roots[i], G_FILE_TEST_EXISTS);
        /* as the index names files: UTF-8, other bytes as \xHH */
        g_autofree char *path = evx_cli_display_path (roots[i]);
        guint n = files_under (files, path);
        if (json) {
            json_builder_begin_object (b);
            evx_json_set_string (b, "path", path);
            json_builder_set_member_name (b, "exists");
            json_builder_add_boolean_value (b, exists);
            evx_json_set_int (b, "files", n);
            json_builder_end_object (b);
        } else {
            g_autofree char *shown = evx_cli_printable (path);
            printf ("%s  (%u file%s%s)\n", shown, n, n == 1 ? "" : "s", exists ? "" : ", MISSING");
        }
    }
    json_builder_end_array (b);
    json_builder_end_object (b);
    if (json)
        evx_cli_print_json (b);
    else if (!roots[0])
        printf ("No roots recorded: 'evidex ingest PATH...' records them.\n");
    return EVX_EXIT_OK;
}
