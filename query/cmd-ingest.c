/* cmd-ingest.c - `evidex ingest PATH...` and `evidex refresh`: their options, and
 * the shared options of both; the work is done by update.c. */
#define _XOPEN_SOURCE 700   /* realpath() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/worker.h"
#include "query/cli.h"
#include "query/update.h"

/* Options both commands take, with their defaults. */
typedef struct {
    gboolean quiet;
    gboolean retry_failed;
    gboolean follow_symlinks;
    int timeout_s, cpu_s, memory_mib, max_file_mib, max_pages, wait_s, jobs;
    char *password_file;
    char *report_file;
    char *shard;
} shared_options;

static void
shared_options_init (shared_options *o)
{
    *o = (shared_options) { .timeout_s = EVX_WORKER_DEFAULT_TIMEOUT_S,
                            .cpu_s = EVX_WORKER_DEFAULT_CPU_S,
                            .memory_mib = (int) (EVX_WORKER_DEFAULT_MEMORY_BYTES >> 20),
                            .max_file_mib = (int) (EVX_EXTRACT_DEFAULT_MAX_BYTES >> 20),
                            .max_pages = EVX_EXTRACT_DEFAULT_MAX_PAGES,
                            .jobs = (int) g_get_num_processors () };
}

static void
add_shared_entries (GOptionContext *ctx, shared_options *o)
{
    GOptionEntry entries[] = {
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
          "Print nothing unless a file or the run fails: then the failures and the summary",
          NULL },
        { "report", 0, 0, G_OPTION_ARG_FILENAME, &o->report_file,
          "Write every file's outcome to FILE as JSON (also when the run cannot start)",
          "FILE.json" },
        { "wait", 0, 0, G_OPTION_ARG_INT, &o->wait_s,
          "Wait up to SECONDS for another run to let go of the index (default: exit at once "
          "with status 75)",
          "SECONDS" },
        { "retry-failed", 0, 0, G_OPTION_ARG_NONE, &o->retry_failed,
          "Try again files that failed or were skipped, even if unchanged", NULL },
        { "follow-symlinks", 0, 0, G_OPTION_ARG_NONE, &o->follow_symlinks,
          "Follow symbolic links out of the given paths and to folders (default: links to "
          "files inside them only)",
          NULL },
        { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &o->password_file,
          "Passwords for encrypted PDFs: lines GLOB<TAB>PASSWORD (mode 600)", "FILE" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
          "Extraction worker processes run in parallel, 1 to 64 (default: the number of cores)",
          "N" },
        { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout_s,
          "Wall-clock seconds allowed per file (default 120)", "SECONDS" },
        { "cpu-limit", 0, 0, G_OPTION_ARG_INT, &o->cpu_s,
          "CPU seconds allowed per file (default 60)", "SECONDS" },
        { "memory-limit", 0, 0, G_OPTION_ARG_INT, &o->memory_mib,
          "Address space allowed per extraction, in MiB (default 4096, at least 256)", "MIB" },
        { "max-file-size", 0, 0, G_OPTION_ARG_INT, &o->max_file_mib,
          "Largest file, and largest content a gzip or zip member may expand to, in MiB "
          "(default 256)",
          "MIB" },
        { "max-pages", 0, 0, G_OPTION_ARG_INT, &o->max_pages,
          "Most pages a PDF may have (default 10000)", "N" },
        { "shard", 0, 0, G_OPTION_ARG_STRING, &o->shard,
          "Index only shard K of N of the files (by a hash of each file's path below its "
          "root); recorded in the index, which then always holds that shard",
          "K/N" },
        G_OPTION_ENTRY_NULL,
    };
    g_option_context_add_main_entries (ctx, entries, NULL);
}

static const char shared_description[] =
    "The index is given before the command: evidex --db PATH COMMAND ... (default:\n"
    "$EVIDEX_DB, else ./evidex.db).\n\n"
    "A file whose size, mtime and ctime are unchanged is not read.  Otherwise its SHA-256\n"
    "decides: same content, only the record is updated; the content of a file that\n"
    "vanished, it was moved or renamed (its passages follow, nothing is extracted); else\n"
    "it is extracted and its passages replace the old ones.  Files that vanished leave\n"
    "the index.  Types are recognised by content: PDF, HTML and XHTML, XML (DocBook),\n"
    "DOCX, ODT, plain text and Markdown, and gzip-compressed copies of these; other\n"
    "files are skipped, naming their type.  Files are extracted by --jobs worker\n"
    "processes (each replaced after 500 files or when it fails) under the limits above,\n"
    "and indexed by this process in the order they were found; a file that fails (encrypted, damaged, over a limit,\n"
    "crashed its worker) is named on stderr with its reason, remembered, and not tried\n"
    "again until it changes (or --retry-failed).  A PDF whose pages have no text layer\n"
    "is indexed and named as needing OCR.  Pages of DOCX, ODT, HTML, XML and text files\n"
    "are not known (\"page\": null in JSON).  Changes are committed every 50 files:\n"
    "a run killed at any moment leaves the index at its last commit, and the next run\n"
    "finishes the work.  SIGINT and SIGTERM stop the run after the current file.\n\n"
    "Summary line on stderr: N files seen, added, updated, moved, removed, unchanged,\n"
    "skipped, failed; passages written; seconds.  --report writes {\"summary\": {...},\n"
    "\"files\": [{\"path\", \"outcome\" (indexed, moved, removed, unchanged, skipped,\n"
    "failed, interrupted), \"change\" (added, updated), \"moved_from\", \"type\", \"container\",\n"
    "\"pages\", \"pages_without_text\", \"needs_ocr\", \"passages\", \"invalid_bytes\",\n"
    "\"seconds\", \"reason\", \"note\", \"diagnostics\": {\"count\", \"examples\"}}]}.\n\n"
    "With --shard K/N, N runs (on N machines, or N jobs of one) that walk the same roots\n"
    "with their own --db folders build N shards of one store: a file belongs to shard\n"
    "1 + (the first 8 bytes of the SHA-256 of its path below its root, big-endian) mod\n"
    "N, wherever the store is mounted (N at most 1024).  The\n"
    "first such ingest records K/N in the index; later runs, refresh included, keep to\n"
    "it.  A stub database file listing the shards, given as --db to search, clauses,\n"
    "certs, show and stats, searches them as one index (docs/deployment.md).\n\n"
    "Exit status: 0 done; 3 completed, but some files failed; 75 another run holds the\n"
    "index (see --wait); 130 interrupted (SIGINT, SIGTERM) after a commit; 1 fatal\n"
    "error; 2 usage error.";

/* The real folder the report @path will be written in: that of the file it names,
 * through symbolic links (a dangling one too), or NULL. */
static char *
report_folder (const char *path)
{
    char *real = realpath (path, NULL);
    if (real) {
        char *folder = g_path_get_dirname (real);
        free (real);
        return folder;
    }
    /* a dangling link, or a chain of them: where the last one points */
    g_autofree char *name = g_strdup (path);
    for (int hops = 0; hops < 40; hops++) {
        g_autofree char *target = g_file_read_link (name, NULL);
        if (!target)
            break;
        g_autofree char *base = g_path_get_dirname (name);
        g_free (name);
        name = g_path_is_absolute (target) ? g_strdup (target) : g_build_filename (base, target, NULL);
    }
    g_autofree char *folder = g_path_get_dirname (name);
    return realpath (folder, NULL);
}

/* Checks the shared options and fills @u; prints the problem and returns FALSE. */
static gboolean
shared_options_apply (evx_cli *cli, const shared_options *o, evx_password_file **passwords,
                      evx_update_options *u)
{
    /* each option named with its own floor */
    const struct {
        const char *option;
        int value, least;
        const char *unit;
    } floors[] = {
        { "--timeout", o->timeout_s, 1, " s" },
        { "--cpu-limit", o->cpu_s, 1, " s" },
        { "--memory-limit", o->memory_mib, EVX_WORKER_MIN_MEMORY_MIB, " MiB" },
        { "--max-file-size", o->max_file_mib, 1, " MiB" },
        { "--max-pages", o->max_pages, 1, "" },
        { "--wait", o->wait_s, 0, " s" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (floors); i++) {
        if (floors[i].value < floors[i].least) {
            evx_cli_error (cli, "%s must be at least %d%s, not %d", floors[i].option,
                           floors[i].least, floors[i].unit, floors[i].value);
            return FALSE;
        }
    }
    if (o->jobs < 1 || o->jobs > EVX_WORKER_MAX_JOBS) {
        evx_cli_error (cli, "--jobs must be between 1 and %d", EVX_WORKER_MAX_JOBS);
        return FALSE;
    }
    if (o->password_file) {
        g_autoptr (GError) error = NULL;
        *passwords = evx_password_file_load (o->password_file, &error);
        if (!*passwords) {
            evx_cli_error (cli, "%s", error->message);
            return FALSE;
        }
    }
    if (o->report_file) {
        /* found out now, not after an hour of indexing */
        g_autofree char *folder = g_path_get_dirname (o->report_file);
        g_autofree char *shown = evx_cli_display_path (o->report_file);
        if (access (folder, W_OK) != 0) {
            evx_cli_error (cli, "cannot write the report %s: %s", shown, g_strerror (errno));
            return FALSE;
        }
        g_autofree char *report_abs = g_canonicalize_filename (o->report_file, NULL);
        g_autofree char *db_abs = g_canonicalize_filename (cli->db, NULL);
        if (g_file_test (o->report_file, G_FILE_TEST_IS_DIR) || strcmp (report_abs, db_abs) == 0) {
            evx_cli_error (cli, "cannot write the report %s: it is a folder%s", shown,
                           strcmp (report_abs, db_abs) == 0 ? " (the index's)" : "");
            return FALSE;
        }
        /* the index folder holds the index alone (ingest refuses one holding other files),
         * wherever the report's name leads: a link to db/docdata.glass was written over
         * the index */
        g_autofree char *folder_real = report_folder (o->report_file);
        g_autofree char *db_real = realpath (cli->db, NULL);
        if (folder_real && db_real
            && (strcmp (folder_real, db_real) == 0
                || (g_str_has_prefix (folder_real, db_real) && folder_real[strlen (db_real)] == '/'))) {
            evx_cli_error (cli, "cannot write the report %s: it would go inside the index folder "
                                "%s, which holds the index alone", shown, cli->db);
            return FALSE;
        }
    }
    u->limits = (evx_worker_limits) { (guint) o->timeout_s, (guint) o->cpu_s,
                                      (guint64) o->memory_mib << 20 };
    u->extract = (evx_extract_options) { .max_bytes = (guint64) o->max_file_mib << 20,
                                         .max_pages = o->max_pages };
    u->passwords = *passwords;
    u->report_file = o->report_file;
    u->wait_s = (guint) o->wait_s;
    u->retry_failed = o->retry_failed;
    u->quiet = o->quiet;
    u->jobs = (guint) o->jobs;
    u->follow_symlinks = o->follow_symlinks;
    u->shard = (evx_shard_spec) { 0, 0 };
    if (o->shard && !evx_shard_parse (o->shard, &u->shard)) {
        evx_cli_error (cli, "--shard takes K/N, 1 <= K <= N <= %d (e.g. --shard 1/2), not '%s'",
                       EVX_SHARD_MAX, o->shard);
        return FALSE;
    }
    return TRUE;
}

static void
shared_options_clear (shared_options *o)
{
    g_free (o->password_file);
    g_free (o->report_file);
    g_free (o->shard);
}

int
evx_cmd_ingest (evx_cli *cli, int argc, char **argv)
{
    shared_options o;
    shared_options_init (&o);
    gboolean no_record = FALSE;
    GOptionEntry entries[] = {
        { "no-record", 0, 0, G_OPTION_ARG_NONE, &no_record,
          "Do not record the PATHs as roots for 'evidex refresh'", NULL },
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new ("PATH... - index files and folders");
    g_option_context_set_summary (
        ctx, "Brings the index in line with the files under each PATH (folders recursively):\n"
             "extracts their text, cuts it into page-true passages, tags them with ISO 22301\n"
             "clauses and indexes them.  Each PATH is recorded as a root for 'evidex refresh'\n"
             "(see 'evidex roots') unless --no-record is given.");
    g_option_context_set_description (ctx, shared_description);
    g_option_context_add_main_entries (ctx, entries, NULL);
    add_shared_entries (ctx, &o);
    int status = EVX_EXIT_USAGE;
    g_autoptr (evx_password_file) passwords = NULL;
    evx_update_options u = { 0 };
    if (!evx_cli_parse (cli, ctx, &argc, &argv))
        goto out;
    if (argc < 2) {
        evx_cli_error (cli, "no PATH given (try 'evidex ingest --help')");
        goto out;
    }
    for (int i = 1; i < argc; i++) {
        if (!g_file_test (argv[i], G_FILE_TEST_EXISTS)) {
            g_autofree char *shown = evx_cli_display_path (argv[i]);
            evx_cli_error (cli, "%s: no such file or folder", shown);
            goto out;
        }
    }
    if (!shared_options_apply (cli, &o, &passwords, &u))
        goto out;
    u.roots = argv + 1;
    u.record_roots = !no_record;
    status = evx_update_run (cli, &u);
out:
    shared_options_clear (&o);
    return status;
}

int
evx_cmd_refresh (evx_cli *cli, int argc, char **argv)
{
    shared_options o;
    shared_options_init (&o);
    GOptionContext *ctx = g_option_context_new ("- bring the index in line with its roots");
    g_option_context_set_summary (
        ctx, "Re-scans every root recorded by earlier 'evidex ingest' runs ('evidex roots'\n"
             "lists them): new files are added, changed ones updated, moved or renamed ones\n"
             "followed, deleted ones removed.  Made for nightly jobs: a root that is missing\n"
             "(unmounted) keeps its files and counts as a failure.");
    g_option_context_set_description (ctx, shared_description);
    add_shared_entries (ctx, &o);
    int status = EVX_EXIT_USAGE;
    g_autoptr (evx_password_file) passwords = NULL;
    evx_update_options u = { 0 };
    if (!evx_cli_parse (cli, ctx, &argc, &argv))
        goto out;
    if (argc > 1) {
        evx_cli_error (cli, "refresh takes no PATH: it walks the recorded roots (use 'evidex "
                            "ingest PATH' to add one)");
        goto out;
    }
    if (!shared_options_apply (cli, &o, &passwords, &u))
        goto out;
    status = evx_update_run (cli, &u);
out:
    shared_options_clear (&o);
    return status;
}
