/* cmd-ingest.c - `evidex ingest PATH...`: walk, extract in isolated workers, index. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "index/index.h"
#include "ingest/catalog.h"
#include "ingest/error.h"
#include "ingest/extract.h"
#include "ingest/worker.h"
#include "query/cli.h"
#include "query/passwords.h"
#include "query/report.h"
#include "query/walk.h"

#define COMMIT_EVERY 50   /* files changed between two commits */

typedef struct {
    evx_cli *cli;
    evx_index *idx;
    evx_catalog *catalog;
    evx_worker_limits limits;
    evx_extract_options extract;   /* password set per file */
    evx_password_file *passwords;  /* nullable */
    evx_run_report *report;        /* nullable: --report */
    gboolean quiet;
    gboolean progress;     /* stderr is a terminal */
    guint seen, indexed, unchanged, skipped, failed, since_commit;
    guint64 passages;
    GError *fatal;         /* an index error that ends the run */
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
add_entry (ingest_run *run, evx_report_entry *e, const char *outcome)
{
    if (!run->report)
        return;
    e->outcome = outcome;
    evx_run_report_add (run->report, e);
}

static void
report_failure (ingest_run *run, evx_report_entry *e, const char *reason)
{
    run->failed++;
    report (run, "FAILED", e->path, reason);
    e->reason = reason;
    add_entry (run, e, "failed");
}

static void
report_skipped (ingest_run *run, evx_report_entry *e, const char *reason)
{
    run->skipped++;
    if (!run->quiet)
        report (run, "skipped", e->path, reason);
    e->reason = reason;
    add_entry (run, e, "skipped");
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

/* What the run says about an indexed document: pages without text, bytes that were
 * not UTF-8, the libraries' diagnostics.  Returns the note (or NULL); sets needs_ocr,
 * and *print when the note says more than the libraries' diagnostics (which go to the
 * report only). */
static char *
document_note (const evx_document *doc, const evx_worker_info *info, gboolean *needs_ocr,
               gboolean *print)
{
    g_autoptr (GString) note = g_string_new (NULL);
    *needs_ocr = doc->page_count > 0 && doc->pages_without_text == doc->page_count;
    if (*needs_ocr)
        g_string_append_printf (note, "needs OCR: none of its %d page%s has a text layer",
                                doc->page_count, doc->page_count == 1 ? "" : "s");
    else if (doc->pages_without_text > 0)
        g_string_append_printf (note, "%d of %d pages have no text layer",
                                doc->pages_without_text, doc->page_count);
    else if (doc->passages->len == 0)
        g_string_append (note, "no text found");
    if (doc->invalid_bytes > 0)
        g_string_append_printf (note, "%s%" G_GUINT64_FORMAT " byte%s not valid UTF-8, replaced",
                                note->len ? "; " : "", doc->invalid_bytes,
                                doc->invalid_bytes == 1 ? "" : "s");
    for (guint i = 0; i < info->diagnostics->len; i++) {
        if (strstr (g_ptr_array_index (info->diagnostics, i), "Excessive depth")) {
            g_string_append_printf (note, "%smarkup nested deeper than libxml2's limit (256 "
                                          "levels): the text below that depth is not indexed",
                                    note->len ? "; " : "");
            break;
        }
    }
    *print = note->len > 0;
    if (info->n_diagnostics > 0)
        g_string_append_printf (note, "%s%u warning%s from %s (first: %s)", note->len ? "; " : "",
                                info->n_diagnostics, info->n_diagnostics == 1 ? "" : "s",
                                g_strcmp0 (doc->mime_type, "application/pdf") == 0 ? "poppler"
                                                                                  : "libxml2",
                                (const char *) g_ptr_array_index (info->diagnostics, 0));
    return note->len ? g_string_free (g_steal_pointer (&note), FALSE) : NULL;
}

/* One file: unchanged (same size and mtime, or same content), or extracted anew. */
static gboolean
ingest_file (const char *file, const GStatBuf *st, gpointer data)
{
    ingest_run *run = data;
    run->seen++;
    gint64 started = g_get_monotonic_time ();
    /* The index holds UTF-8: a name in another encoding is indexed with its bytes
     * escaped. */
    g_autofree char *path = evx_cli_display_path (file);
    if (run->progress) {
        g_autofree char *shown = evx_cli_printable (path);
        fprintf (stderr, "\r\033[K[%u] %s", run->seen, shown);
    }
    evx_report_entry entry = EVX_REPORT_ENTRY_INIT;
    entry.path = path;

    g_autoptr (evx_file_record) old = NULL;
    if (!evx_index_get_file (run->idx, path, &old, &run->fatal))
        return FALSE;
    if (old && old->size == (gint64) st->st_size && old->mtime == (gint64) st->st_mtime) {
        run->unchanged++;
        entry.type = old->mime_type;
        entry.pages = old->page_count > 0 ? old->page_count : -1;
        entry.passages = old->passages;
        add_entry (run, &entry, "unchanged");
        return TRUE;
    }

    g_autoptr (GError) error = NULL;
    if (run->extract.max_bytes && (guint64) st->st_size > run->extract.max_bytes) {
        g_autofree char *why = g_strdup_printf (
            "limit: the file is %" G_GUINT64_FORMAT " MiB, more than %" G_GUINT64_FORMAT
            " MiB (--max-file-size)",
            (guint64) st->st_size >> 20, run->extract.max_bytes >> 20);
        report_failure (run, &entry, why);
        return drop_stale (run, old);
    }
    g_autofree char *sha = file_sha256 (file, &error);
    if (!sha) {
        report_failure (run, &entry, error->message);
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
        entry.type = old->mime_type;
        entry.pages = old->page_count > 0 ? old->page_count : -1;
        entry.passages = old->passages;
        add_entry (run, &entry, "unchanged");
        return maybe_commit (run, FALSE);
    }

    evx_extract_options opts = run->extract;
    opts.password = evx_password_file_lookup (run->passwords, path);
    evx_worker_info info = { 0 };
    g_autoptr (evx_document) doc = evx_worker_extract_full (file, run->catalog, &run->limits, &opts,
                                                            &info, &error);
    entry.type = info.mime_type;
    entry.n_diagnostics = info.n_diagnostics;
    entry.diagnostics = info.diagnostics;
    if (!doc) {
        entry.seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
        if (g_error_matches (error, EVX_ERROR, EVX_ERROR_UNSUPPORTED)) {
            report_skipped (run, &entry, error->message);
        } else {
            /* the library's own words say more than "damaged" */
            g_autofree char *why = info.diagnostics && info.diagnostics->len > 0
                                       ? g_strdup_printf ("%s (%s)", error->message,
                                                          (char *) g_ptr_array_index (
                                                              info.diagnostics,
                                                              info.diagnostics->len - 1))
                                       : g_strdup (error->message);
            report_failure (run, &entry, why);
        }
        evx_worker_info_clear (&info);
        return drop_stale (run, old);
    }
    g_free (doc->path);
    doc->path = g_strdup (path);
    gboolean print = FALSE;
    g_autofree char *note = document_note (doc, &info, &entry.needs_ocr, &print);
    if (print && !run->quiet)
        report (run, entry.needs_ocr ? "needs OCR" : "note", path,
                entry.needs_ocr ? note + strlen ("needs OCR: ") : note);
    rec.mime_type = doc->mime_type;
    rec.title = doc->title;
    rec.author = doc->author;
    rec.producer = doc->producer;
    rec.created = doc->created;
    rec.page_count = doc->page_count;
    gboolean ok = evx_index_put_document (run->idx, doc, &rec, &run->fatal);
    if (ok) {
        run->indexed++;
        run->passages += doc->passages->len;
        run->since_commit++;
        entry.container = doc->container;
        entry.pages = doc->page_count > 0 ? doc->page_count : -1;
        entry.pages_without_text = doc->page_count > 0 ? doc->pages_without_text : -1;
        entry.passages = doc->passages->len;
        entry.invalid_bytes = doc->invalid_bytes;
        entry.note = note;
        entry.seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
        add_entry (run, &entry, "indexed");
    }
    evx_worker_info_clear (&info);
    return ok && maybe_commit (run, FALSE);
}

static void
walk_problem (const char *path, const char *reason, gboolean failure, gpointer data)
{
    ingest_run *run = data;
    g_autofree char *shown = evx_cli_display_path (path);
    run->seen++;
    evx_report_entry entry = EVX_REPORT_ENTRY_INIT;
    entry.path = shown;
    if (failure)
        report_failure (run, &entry, reason);
    else
        report_skipped (run, &entry, reason);
}

int
evx_cmd_ingest (evx_cli *cli, int argc, char **argv)
{
    ingest_run run = { .cli = cli,
                       .limits = { EVX_WORKER_DEFAULT_TIMEOUT_S, EVX_WORKER_DEFAULT_CPU_S,
                                   EVX_WORKER_DEFAULT_MEMORY_BYTES } };
    int timeout_s = EVX_WORKER_DEFAULT_TIMEOUT_S, cpu_s = EVX_WORKER_DEFAULT_CPU_S;
    int memory_mib = (int) (EVX_WORKER_DEFAULT_MEMORY_BYTES >> 20);
    int max_file_mib = (int) (EVX_EXTRACT_DEFAULT_MAX_BYTES >> 20);
    int max_pages = EVX_EXTRACT_DEFAULT_MAX_PAGES;
    g_autofree char *password_file = NULL, *report_file = NULL;
    GOptionEntry entries[] = {
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &run.quiet,
          "Print only failures and the summary", NULL },
        { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
          "Wall-clock seconds allowed per file (default 120)", "SECONDS" },
        { "cpu-limit", 0, 0, G_OPTION_ARG_INT, &cpu_s,
          "CPU seconds allowed per file (default 60)", "SECONDS" },
        { "memory-limit", 0, 0, G_OPTION_ARG_INT, &memory_mib,
          "Address space allowed per extraction, in MiB (default 4096, at least 256)", "MIB" },
        { "max-file-size", 0, 0, G_OPTION_ARG_INT, &max_file_mib,
          "Largest file, and largest content a gzip or zip member may expand to, in MiB "
          "(default 256)", "MIB" },
        { "max-pages", 0, 0, G_OPTION_ARG_INT, &max_pages,
          "Most pages a PDF may have (default 10000)", "N" },
        { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
          "Passwords for encrypted PDFs: lines GLOB<TAB>PASSWORD (mode 600)", "FILE" },
        { "report", 0, 0, G_OPTION_ARG_FILENAME, &report_file,
          "Write every file's outcome to FILE as JSON", "FILE.json" },
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
             "skipped.  A changed file that can no longer be extracted leaves the index.\n"
             "Pages of DOCX, ODT, HTML, XML and text files are not known: their passages have\n"
             "no page number (\"page\": null in JSON).\n\n"
             "--report writes {\"summary\": {...}, \"files\": [{\"path\", \"outcome\" (indexed,\n"
             "unchanged, skipped, failed), \"type\", \"container\", \"pages\",\n"
             "\"pages_without_text\", \"needs_ocr\", \"passages\", \"invalid_bytes\", \"seconds\",\n"
             "\"reason\", \"note\", \"diagnostics\": {\"count\", \"examples\"}}]}.\n\n"
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
    if (timeout_s < 1 || cpu_s < 1 || memory_mib < EVX_WORKER_MIN_MEMORY_MIB || max_file_mib < 1
        || max_pages < 1) {
        evx_cli_error (cli, "--timeout and --cpu-limit must be at least 1 s, --memory-limit at "
                            "least %d MiB, --max-file-size at least 1 MiB, --max-pages at least 1",
                       EVX_WORKER_MIN_MEMORY_MIB);
        return EVX_EXIT_USAGE;
    }
    g_autoptr (evx_password_file) passwords = NULL;
    if (password_file) {
        g_autoptr (GError) perr = NULL;
        passwords = evx_password_file_load (password_file, &perr);
        if (!passwords) {
            evx_cli_error (cli, "%s", perr->message);
            return EVX_EXIT_USAGE;
        }
        run.passwords = passwords;
    }
    if (report_file) {
        /* found out now, not after an hour of indexing */
        g_autofree char *folder = g_path_get_dirname (report_file);
        if (access (folder, W_OK) != 0) {
            g_autofree char *shown = evx_cli_display_path (report_file);
            evx_cli_error (cli, "cannot write the report %s: %s", shown, g_strerror (errno));
            return EVX_EXIT_USAGE;
        }
    }
    run.extract.max_bytes = (guint64) max_file_mib << 20;
    run.extract.max_pages = max_pages;
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
    evx_extract_prepare (run.catalog);   /* done once here, inherited by every worker */
    run.idx = evx_index_open (cli->db, EVX_INDEX_WRITE, &error);
    if (!run.idx) {
        evx_cli_error (cli, "%s", error->message);
        evx_catalog_free (run.catalog);
        return evx_cli_exit_status (error);
    }

    g_autoptr (evx_run_report) run_report = report_file ? evx_run_report_new ("ingest", cli->db) : NULL;
    run.report = run_report;
    gint64 started = g_get_monotonic_time ();
    gboolean ok = TRUE;
    for (int i = 1; i < argc && ok; i++)
        ok = evx_walk (argv[i], cli->db, ingest_file, walk_problem, &run);   /* not the index */
    if (ok)
        ok = maybe_commit (&run, TRUE);
    if (run.progress)
        fputs ("\r\033[K", stderr);
    int status = EVX_EXIT_OK;
    double seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
    if (run_report) {
        static const char *const names[] = { "seen", "indexed", "unchanged", "skipped", "failed",
                                             "passages", NULL };
        guint64 counts[] = { run.seen, run.indexed, run.unchanged, run.skipped, run.failed,
                             run.passages };
        g_autoptr (GError) rerr = NULL;
        if (!evx_run_report_write (run_report, report_file, names, counts, seconds,
                                   ok ? NULL : run.fatal->message, &rerr)) {
            evx_cli_error (cli, "%s", rerr->message);
            status = EVX_EXIT_FATAL;
        }
    }
    if (!ok) {
        evx_cli_error (cli, "%s; the index keeps its last commit", run.fatal->message);
        g_clear_error (&run.fatal);
        status = EVX_EXIT_FATAL;
    } else if (run.failed > 0 && status == EVX_EXIT_OK) {
        status = EVX_EXIT_PARTIAL;
    }
    fprintf (stderr,
             "evidex ingest: %u files seen, %u indexed, %u unchanged, %u skipped, %u failed; "
             "%" G_GUINT64_FORMAT " passages written in %.1f s\n",
             run.seen, run.indexed, run.unchanged, run.skipped, run.failed, run.passages, seconds);
    evx_index_close (run.idx);
    evx_catalog_free (run.catalog);
    return status;
}
