/* cmd-ingest.c - `evidex ingest PATH...`: walk, extract in isolated workers, index. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "index/index.h"
#include "ingest/catalog.h"
#include "ingest/error.h"
#include "ingest/worker.h"
#include "query/cli.h"
#include "query/walk.h"

#define COMMIT_EVERY 50   /* files changed between two commits */

typedef struct {
    evx_cli *cli;
    evx_index *idx;
    evx_catalog *catalog;
    evx_worker_limits limits;
    gboolean quiet;
    gboolean progress;     /* stderr is a terminal */
    guint seen, indexed, unchanged, skipped, failed, since_commit;
    guint64 passages;
    GError *fatal;         /* an index error that ends the run */
    char *db_prefix;       /* the index folder + "/": never ingested */
} ingest_run;

static gboolean maybe_commit (ingest_run *run, gboolean force);

static void
report (ingest_run *run, const char *what, const char *path, const char *reason)
{
    if (run->progress)
        fputs ("\r\033[K", stderr);
    evx_cli_error (run->cli, "%s %s: %s", what, path, reason);
}

static void
report_failure (ingest_run *run, const char *path, const char *reason)
{
    run->failed++;
    report (run, "FAILED", path, reason);
}

static void
report_skipped (ingest_run *run, const char *path, const char *reason)
{
    run->skipped++;
    if (!run->quiet)
        report (run, "skipped", path, reason);
}

/* A file that changed and can no longer be extracted: its old passages no longer
 * say what the file says, so they leave the index. */
static gboolean
drop_stale (ingest_run *run, const evx_file_record *old)
{
    if (!old)
        return TRUE;
    if (!evx_index_remove_file (run->idx, old->path, &run->fatal))
        return FALSE;
    run->since_commit++;
    return maybe_commit (run, FALSE);
}

static char *
file_sha256 (const char *path, GError **error)
{
    FILE *f = fopen (path, "rb");
    if (!f) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot open: %s", g_strerror (errno));
        return NULL;
    }
    g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    guchar buf[65536];
    size_t n;
    while ((n = fread (buf, 1, sizeof buf, f)) > 0)
        g_checksum_update (sum, buf, n);
    gboolean failed = ferror (f);
    fclose (f);
    if (failed) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot read: %s", g_strerror (errno));
        return NULL;
    }
    return g_strdup (g_checksum_get_string (sum));
}

static gboolean
maybe_commit (ingest_run *run, gboolean force)
{
    if (run->since_commit == 0 || (!force && run->since_commit < COMMIT_EVERY))
        return TRUE;
    if (!evx_index_commit (run->idx, &run->fatal))
        return FALSE;
    run->since_commit = 0;
    return TRUE;
}

/* One file: unchanged (same size and mtime, or same content), or extracted anew. */
static gboolean
ingest_file (const char *file, const GStatBuf *st, gpointer data)
{
    ingest_run *run = data;
    if (g_str_has_prefix (file, run->db_prefix))
        return TRUE;   /* the index's own files */
    run->seen++;
    /* The index holds UTF-8: a name in another encoding is indexed as displayed. */
    g_autofree char *path = g_filename_display_name (file);
    if (run->progress)
        fprintf (stderr, "\r\033[K[%u] %s", run->seen, path);

    g_autoptr (evx_file_record) old = NULL;
    if (!evx_index_get_file (run->idx, path, &old, &run->fatal))
        return FALSE;
    if (old && old->size == (gint64) st->st_size && old->mtime == (gint64) st->st_mtime) {
        run->unchanged++;
        return TRUE;
    }

    g_autoptr (GError) error = NULL;
    g_autofree char *sha = file_sha256 (file, &error);
    if (!sha) {
        report_failure (run, path, error->message);
        return drop_stale (run, old);
    }
    evx_file_record rec = { .path = (char *) path, .size = st->st_size, .mtime = st->st_mtime,
                            .sha256 = sha, .created = -1 };
    if (old && strcmp (old->sha256, sha) == 0) {
        /* Same content, new metadata (touched or copied back). */
        rec.mime_type = old->mime_type;
        rec.title = old->title;
        rec.author = old->author;
        rec.producer = old->producer;
        rec.created = old->created;
        rec.page_count = old->page_count;
        if (!evx_index_put_file_record (run->idx, &rec, &run->fatal))
            return FALSE;
        run->unchanged++;
        run->since_commit++;
        return maybe_commit (run, FALSE);
    }

    g_autoptr (evx_document) doc = evx_worker_extract (file, run->catalog, &run->limits, &error);
    if (!doc) {
        if (g_error_matches (error, EVX_ERROR, EVX_ERROR_UNSUPPORTED))
            report_skipped (run, path, error->message);
        else
            report_failure (run, path, error->message);
        return drop_stale (run, old);
    }
    g_free (doc->path);
    doc->path = g_strdup (path);
    if (doc->passages->len == 0 && !run->quiet)
        report (run, "no text in", path,
                "none of its pages has a text layer (a scan needs OCR); indexed without passages");
    rec.mime_type = doc->mime_type;
    rec.title = doc->title;
    rec.author = doc->author;
    rec.producer = doc->producer;
    rec.created = doc->created;
    rec.page_count = doc->page_count;
    if (!evx_index_put_document (run->idx, doc, &rec, &run->fatal))
        return FALSE;
    run->indexed++;
    run->passages += doc->passages->len;
    run->since_commit++;
    return maybe_commit (run, FALSE);
}

static void
walk_problem (const char *path, const char *reason, gboolean failure, gpointer data)
{
    ingest_run *run = data;
    g_autofree char *shown = g_filename_display_name (path);
    run->seen++;
    if (failure)
        report_failure (run, shown, reason);
    else
        report_skipped (run, shown, reason);
}

int
evx_cmd_ingest (evx_cli *cli, int argc, char **argv)
{
    ingest_run run = { .cli = cli,
                       .limits = { EVX_WORKER_DEFAULT_TIMEOUT_S, EVX_WORKER_DEFAULT_CPU_S,
                                   EVX_WORKER_DEFAULT_MEMORY_BYTES } };
    int timeout_s = EVX_WORKER_DEFAULT_TIMEOUT_S, cpu_s = EVX_WORKER_DEFAULT_CPU_S;
    int memory_mib = (int) (EVX_WORKER_DEFAULT_MEMORY_BYTES >> 20);
    GOptionEntry entries[] = {
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &run.quiet,
          "Print only failures and the summary", NULL },
        { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
          "Wall-clock seconds allowed per file (default 120)", "SECONDS" },
        { "cpu-limit", 0, 0, G_OPTION_ARG_INT, &cpu_s,
          "CPU seconds allowed per file (default 60)", "SECONDS" },
        { "memory-limit", 0, 0, G_OPTION_ARG_INT, &memory_mib,
          "Address space allowed per extraction, in MiB (default 4096)", "MIB" },
        { NULL },
    };
    GOptionContext *ctx = g_option_context_new ("PATH... - index files and folders");
    g_option_context_set_summary (
        ctx, "Extracts the text of every file under each PATH (folders recursively), cuts it\n"
             "into page-true passages, tags them with ISO 22301 clauses and indexes them.\n"
             "A file whose size and modification time are unchanged is not read again; a\n"
             "changed file has all its passages replaced.  Each file is extracted in a child\n"
             "process under the limits below; a file that fails is named on stderr with its\n"
             "reason and the run goes on.  Files of other types than PDF are skipped.");
    g_option_context_set_description (
        ctx, "The index is given before the command: evidex --db PATH ingest ... (default:\n"
             "$EVIDEX_DB, else ./evidex.db).  Symbolic links to folders, FIFOs and devices are\n"
             "skipped.  A changed file that can no longer be extracted leaves the index.\n\n"
             "Exit status: 0 all files indexed, unchanged or skipped; 3 completed but some files\n"
             "failed; 75 another run holds the index; 1 fatal error; 2 usage error.");
    g_option_context_add_main_entries (ctx, entries, NULL);
    if (!evx_cli_parse (cli, ctx, &argc, &argv))
        return EVX_EXIT_USAGE;
    if (argc < 2) {
        evx_cli_error (cli, "no PATH given (try 'evidex ingest --help')");
        return EVX_EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        if (!g_file_test (argv[i], G_FILE_TEST_EXISTS)) {
            g_autofree char *shown = g_filename_display_name (argv[i]);
            evx_cli_error (cli, "%s: no such file or folder", shown);
            return EVX_EXIT_USAGE;
        }
    }
    if (timeout_s < 1 || cpu_s < 1 || memory_mib < 64) {
        evx_cli_error (cli, "--timeout and --cpu-limit must be at least 1 s, --memory-limit at "
                            "least 64 MiB");
        return EVX_EXIT_USAGE;
    }
    run.limits.timeout_s = (guint) timeout_s;
    run.limits.cpu_s = (guint) cpu_s;
    run.limits.memory_bytes = (guint64) memory_mib << 20;
    run.progress = !run.quiet && isatty (STDERR_FILENO);

    g_autoptr (GError) error = NULL;
    run.catalog = evx_catalog_load (NULL, &error);
    if (!run.catalog) {
        evx_cli_error (cli, "%s", error->message);
        return EVX_EXIT_FATAL;
    }
    evx_catalog_vocabulary (run.catalog);   /* built once here, inherited by every worker */
    run.idx = evx_index_open (cli->db, EVX_INDEX_WRITE, &error);
    if (!run.idx) {
        evx_cli_error (cli, "%s", error->message);
        evx_catalog_free (run.catalog);
        return evx_cli_exit_status (error);
    }

    g_autofree char *db_abs = g_canonicalize_filename (cli->db, NULL);
    run.db_prefix = g_strconcat (db_abs, G_DIR_SEPARATOR_S, NULL);
    gint64 started = g_get_monotonic_time ();
    gboolean ok = TRUE;
    for (int i = 1; i < argc && ok; i++)
        ok = evx_walk (argv[i], ingest_file, walk_problem, &run);
    if (ok)
        ok = maybe_commit (&run, TRUE);
    if (run.progress)
        fputs ("\r\033[K", stderr);
    int status = EVX_EXIT_OK;
    if (!ok) {
        evx_cli_error (cli, "%s; the index keeps its last commit", run.fatal->message);
        g_clear_error (&run.fatal);
        status = EVX_EXIT_FATAL;
    } else if (run.failed > 0) {
        status = EVX_EXIT_PARTIAL;
    }
    double seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
    fprintf (stderr,
             "evidex ingest: %u files seen, %u indexed, %u unchanged, %u skipped, %u failed; "
             "%" G_GUINT64_FORMAT " passages written in %.1f s\n",
             run.seen, run.indexed, run.unchanged, run.skipped, run.failed, run.passages, seconds);
    evx_index_close (run.idx);
    evx_catalog_free (run.catalog);
    g_free (run.db_prefix);
    return status;
}
