/* update.c - the engine of ingest and refresh (see update.h). */
#define _GNU_SOURCE   /* realpath(), statx() */
#include "query/update.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/index.h"
#include "index/schema.h"
#include "ingest/catalog.h"
#include "ingest/error.h"
#include "ingest/extract.h"
#include "query/report.h"
#include "query/walk.h"

/* A file that must be looked at: changed, new, or kept out by an earlier failure. */
typedef struct {
    char *file;      /* as the file system names it */
    char *path;      /* as the index names it (evx_cli_display_path) */
    GStatBuf st;
    gint64 folder_dev;   /* evx_file_record.dev */
    char *mount_point;   /* evx_file_record.mount_point (nullable) */
} pending;

static void
pending_free (gpointer data)
{
    pending *p = data;
    g_free (p->file);
    g_free (p->path);
    g_free (p->mount_point);
    g_free (p);
}

typedef struct {
    evx_cli *cli;
    const evx_update_options *opts;
    evx_index *idx;
    evx_catalog *catalog;         /* loaded on the first extraction */
    evx_run_report *report;       /* nullable */
    gboolean progress;            /* stderr is a terminal */
    GHashTable *records;          /* path -> evx_file_stat, from the index */
    GHashTable *seen;             /* paths found by the walk */
    GPtrArray *pending;           /* pending */
    GHashTable *vanished_by_sha;  /* SHA-256 -> GQueue of paths of vanished indexed files */
    GPtrArray *protected;         /* display paths whose recorded files are kept: roots
                                   * missing or empty, folders that could not be read */
    GHashTable *problems;         /* display paths already reported by the walk */
    guint seen_n, added, updated, moved, removed, unchanged, skipped, failed, since_commit;
    guint not_reached;            /* files an interrupted run did not get to */
    guint64 passages;
    GError *fatal;                /* an index error that ends the run */
    evx_worker_pool *pool;        /* started on the first extraction */
    evx_shard_spec shard;         /* the files this index holds (n == 0: all) */
    const char *walk_root;        /* the root being walked */
    GHashTable *mount_points;     /* folder -> mount_point_of() ("-" unknown); NULL until needed */
    GHashTable *elsewhere;        /* display paths of files of other shards */
    GHashTable *held;             /* folder (display path) -> files kept under it, unmounted */
    GHashTable *seen_dirs;        /* folders holding a file of this walk; NULL until needed */
    GQueue in_flight;             /* extraction, in the order given to the pool */
} update_run;

/* A file given to the workers, until its result is indexed. */
typedef struct {
    const pending *pf;
    evx_file_record rec;          /* borrows pf->path and sha */
    char *sha;
} extraction;

static void
extraction_free (extraction *x)
{
    g_free (x->sha);
    g_free (x);
}

static volatile sig_atomic_t interrupted;

static void
on_signal (int sig)
{
    (void) sig;
    interrupted = 1;
}

static gint64
ns (const struct timespec *t)
{
    return (gint64) t->tv_sec * 1000000000 + t->tv_nsec;
}

/* The ID of the mount that holds @name (statx's STATX_MNT_ID: it tells a bind mount from
 * the file system it shows, which st_dev does not), or -1 when it cannot be had. */
static gint64
mount_id (const char *name)
{
    struct statx sx;
    if (statx (AT_FDCWD, name, 0, STATX_MNT_ID, &sx) != 0 || !(sx.stx_mask & STATX_MNT_ID))
        return -1;
    return (gint64) sx.stx_mnt_id;
}

/* Where the mount that holds the folder @dir (as the file system names it, at or below
 * @root) begins, relative to @root: "/" at the root, "/a/b" at ROOT/a/b, "^" above the
 * root; NULL when mount IDs cannot be had (evx_file_record.mount_point). */
static char *
mount_point_of (const char *dir, const char *root)
{
    gint64 m = mount_id (dir);
    if (m < 0)
        return NULL;
    size_t skip = strcmp (root, "/") == 0 ? 0 : strlen (root);
    g_autofree char *d = g_strdup (dir);
    while (strcmp (d, root) != 0) {
        g_autofree char *up = g_path_get_dirname (d);
        if (strcmp (up, d) == 0 || strlen (up) < skip)
            return NULL;   /* not below the root after all */
        gint64 u = mount_id (up);
        if (u < 0)
            return NULL;
        if (u != m)
            return g_strdup (d + skip);
        g_free (d);
        d = g_steal_pointer (&up);
    }
    g_autofree char *above = g_path_get_dirname (root);
    if (strcmp (above, root) == 0)
        return g_strdup ("/");
    gint64 a = mount_id (above);
    return a < 0 ? NULL : g_strdup (a == m ? "^" : "/");
}

/* mount_point_of() @dir, once per folder and run (roots never nest: @dir has one root);
 * owned by the run. */
static const char *
mount_point_cached (update_run *run, const char *dir, const char *root)
{
    if (!run->mount_points)
        run->mount_points = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    const char *known = g_hash_table_lookup (run->mount_points, dir);
    if (!known) {
        char *mp = mount_point_of (dir, root);
        known = mp ? mp : g_strdup ("-");
        g_hash_table_insert (run->mount_points, g_strdup (dir), (char *) known);
    }
    return strcmp (known, "-") == 0 ? NULL : known;
}

/* ---- messages and report --------------------------------------------------- */

static void
say (update_run *run, const char *what, const char *path, const char *reason)
{
    if (run->progress)
        fputs ("\r\033[K", stderr);
    evx_cli_error (run->cli, "%s %s: %s", what, path, reason);
}

static void
add_entry (update_run *run, evx_report_entry *e, const char *outcome)
{
    if (!run->report)
        return;
    e->outcome = outcome;
    evx_run_report_add (run->report, e);
}

static void
report_failure (update_run *run, evx_report_entry *e, const char *reason)
{
    run->failed++;
    say (run, "FAILED", e->path, reason);
    e->reason = reason;
    add_entry (run, e, "failed");
}

static void
report_skipped (update_run *run, evx_report_entry *e, const char *reason)
{
    run->skipped++;
    if (!run->opts->quiet)
        say (run, "skipped", e->path, reason);
    e->reason = reason;
    add_entry (run, e, "skipped");
}

/* What the run says about an indexed document: pages without text, bytes that were
 * not UTF-8, text lost below libxml2's depth limit, the libraries' diagnostics.
 * Returns the note (or NULL); sets needs_ocr, and *print when the note says more than
 * the libraries' diagnostics (which go to the report only). */
static char *
document_note (const evx_document *doc, const evx_worker_info *info, gboolean *needs_ocr,
               gboolean *print)
{
    g_autoptr (GString) note = g_string_new (NULL);
    *needs_ocr = doc->page_count > 0 && doc->pages_without_text == doc->page_count;
    if (*needs_ocr && doc->page_count == 1)
        g_string_append (note, "needs OCR: its page has no text layer");
    else if (*needs_ocr)
        g_string_append_printf (note, "needs OCR: none of its %d pages has a text layer",
                                doc->page_count);
    else if (doc->pages_without_text > 0)
        g_string_append_printf (note, "%d of %d pages have no text layer",
                                doc->pages_without_text, doc->page_count);
    else if (info->passages == 0)
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

/* ---- index changes -------------------------------------------------------------- */

static gboolean
maybe_commit (update_run *run, gboolean force)
{
    if (run->since_commit == 0 || (!force && run->since_commit < EVX_UPDATE_COMMIT_EVERY))
        return TRUE;
    if (!evx_index_commit (run->idx, &run->fatal))
        return FALSE;
    run->since_commit = 0;
    return TRUE;
}

static gboolean
changed (update_run *run)
{
    run->since_commit++;
    return maybe_commit (run, FALSE);
}

/* The file @st describes, as evx_extract_open() checks it. */
static evx_file_identity
identity (const GStatBuf *st)
{
    return (evx_file_identity) { (guint64) st->st_dev, (guint64) st->st_ino, (gint64) st->st_size,
                                 ns (&st->st_mtim) };
}

static char *
file_sha256 (const pending *pf, guint64 max_bytes, GError **error)
{
    /* the file the walk found, not what may have been put under its name since: a
     * FIFO (the open would block), a device (the read would not end), a symbolic link
     * to a file outside the roots */
    struct stat st;
    evx_file_identity expect = identity (&pf->st);
    /* grown since the walk (a copy under way): the limit holds all the same, and only
     * what the file holds now is read, so that a file that keeps growing ends the read */
    int fd = evx_extract_open (pf->file, &expect, max_bytes, &st, error);
    if (fd < 0)
        return NULL;
    guint64 size = (guint64) st.st_size;
    g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
    guchar buf[65536];
    guint64 done = 0;
    while (done < size) {
        if (interrupted) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot read: the run was interrupted");
            close (fd);
            return NULL;
        }
        ssize_t n = read (fd, buf, (size_t) MIN ((guint64) sizeof buf, size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot read: %s", g_strerror (errno));
            close (fd);
            return NULL;
        }
        if (n == 0)
            break;   /* shorter now than when it was opened */
        g_checksum_update (sum, buf, (gsize) n);
        done += (guint64) n;
    }
    close (fd);
    return g_strdup (g_checksum_get_string (sum));
}

/* TRUE when a failure lies in the file itself, so that it is remembered; FALSE when
 * it is the machine's (read errors, a worker killed from outside, an interrupted
 * run), so that the next run tries again. */
static gboolean
file_is_to_blame (const GError *error, const evx_worker_info *info)
{
    if (interrupted || g_error_matches (error, EVX_ERROR, EVX_ERROR_IO))
        return FALSE;
    if (info->signal && !info->killed_by_us
        && (info->signal == SIGKILL || info->signal == SIGTERM || info->signal == SIGINT
            || info->signal == SIGHUP || info->signal == SIGQUIT))
        return FALSE;
    return TRUE;
}

/* Remembers a failed or skipped file (its passages, if any, leave the index). */
static gboolean
remember_problem (update_run *run, const evx_file_record *base, evx_file_status status,
                  const char *mime, const char *reason)
{
    evx_file_record rec = *base;
    rec.status = status;
    rec.reason = (char *) reason;
    rec.mime_type = (char *) mime;
    rec.passages = 0;
    if (!evx_index_put_problem (run->idx, &rec, &run->fatal))
        return FALSE;
    return changed (run);
}

/* The vanished file a new file with the same content was moved from: the one with the
 * same base name if there is one (a renamed folder of identical files pairs them by
 * name), else the first; taken out of @q.  Returns NULL when @q is empty. */
static char *
pick_vanished (GQueue *q, const char *path)
{
    const char *base = strrchr (path, '/');
    for (GList *l = q->head; l && base; l = l->next) {
        const char *other = strrchr (l->data, '/');
        if (other && strcmp (other, base) == 0) {
            char *from = l->data;
            g_queue_delete_link (q, l);
            return from;
        }
    }
    return g_queue_pop_head (q);
}

/* The document metadata of @from (borrowed), or none when @from is NULL. */
static void
take_metadata (evx_file_record *rec, const evx_file_record *from)
{
    rec->mime_type = from ? from->mime_type : NULL;
    rec->title = from ? from->title : NULL;
    rec->author = from ? from->author : NULL;
    rec->producer = from ? from->producer : NULL;
    rec->created = from ? from->created : -1;
    rec->page_count = from ? from->page_count : 0;
    rec->doc_type = from ? from->doc_type : NULL;
    rec->certificate = from ? from->certificate : NULL;
    rec->edition = from ? from->edition : 0;
}

static gboolean finish_extraction (update_run *run);

/* The worker's encoder: the document's passages as the index stores them. */
static GBytes *
encode_passages (const evx_document *doc, gpointer data, GError **error)
{
    (void) data;
    return evx_index_encode_passages (doc, error);
}

/* One pending file: same content or moved (done here), or given to the workers (its
 * result is indexed by finish_extraction()). */
static gboolean
update_file (update_run *run, const pending *pf)
{
    const char *path = pf->path;
    if (run->progress) {
        g_autofree char *shown = evx_cli_printable (path);
        fprintf (stderr, "\r\033[K[%u/%u] %s", run->added + run->updated + run->moved
                 + run->failed + run->skipped + 1, run->pending->len, shown);
    }
    evx_report_entry entry = EVX_REPORT_ENTRY_INIT;
    entry.path = path;
    const evx_file_stat *old = g_hash_table_lookup (run->records, path);
    evx_file_record rec = { .path = (char *) path, .size = pf->st.st_size,
                            .mtime = pf->st.st_mtim.tv_sec, .mtime_ns = ns (&pf->st.st_mtim),
                            .ctime_ns = ns (&pf->st.st_ctim), .created = -1,
                            .dev = pf->folder_dev, .mount_point = pf->mount_point };

    const evx_extract_options *eo = &run->opts->extract;
    if (eo->max_bytes && (guint64) pf->st.st_size > eo->max_bytes) {
        g_autofree char *why = evx_extract_size_limit_message ((guint64) pf->st.st_size,
                                                               eo->max_bytes);
        report_failure (run, &entry, why);
        return remember_problem (run, &rec, EVX_FILE_FAILED, NULL, why);
    }
    g_autoptr (GError) error = NULL;
    g_autofree char *sha = file_sha256 (pf, eo->max_bytes, &error);
    if (!sha) {
        report_failure (run, &entry, error->message);   /* the machine's, or a race */
        return TRUE;
    }
    rec.sha256 = sha;

    if (old && old->status == EVX_FILE_INDEXED && g_strcmp0 (old->sha256, sha) == 0) {
        /* same content, new metadata (touched, or copied back) */
        g_autoptr (evx_file_record) full = NULL;
        if (!evx_index_get_file (run->idx, path, &full, &run->fatal))
            return FALSE;
        if (full) {
            take_metadata (&rec, full);
            if (!evx_index_put_file_record (run->idx, &rec, &run->fatal))
                return FALSE;
            run->unchanged++;
            entry.type = full->mime_type;
            entry.passages = full->passages;
            add_entry (run, &entry, "unchanged");
            return changed (run);
        }
    }
    GQueue *vanished = old ? NULL : g_hash_table_lookup (run->vanished_by_sha, sha);
    g_autofree char *from = vanished ? pick_vanished (vanished, path) : NULL;
    if (from) {
        /* the content of a file that vanished: moved or renamed */
        g_autoptr (evx_file_record) full = NULL;
        if (!evx_index_get_file (run->idx, from, &full, &run->fatal))
            return FALSE;
        take_metadata (&rec, full);
        if (!evx_index_move_file (run->idx, from, &rec, &run->fatal))
            return FALSE;
        run->moved++;
        entry.type = rec.mime_type;
        entry.passages = full ? (gint64) full->passages : -1;
        entry.moved_from = from;
        add_entry (run, &entry, "moved");
        return changed (run);
    }

    if (!run->catalog) {
        /* loaded on the first extraction: a no-change refresh never needs it */
        run->catalog = evx_catalog_load (NULL, &run->fatal);
        if (!run->catalog)
            return FALSE;
        evx_extract_prepare (run->catalog);   /* done once here, inherited by every worker */
        run->pool = evx_worker_pool_new (run->opts->jobs, run->catalog, &run->opts->limits);
        /* with more than one worker, the workers also build the Xapian documents and
         * this process only adds them: the one writer would otherwise be the limit
         * (with one worker, it is cheaper done here, beside the worker) */
        if (run->opts->jobs > 1)
            evx_worker_pool_set_encoder (run->pool, encode_passages, NULL);
    }
    evx_extract_options opts = *eo;
    opts.password = evx_password_file_lookup (run->opts->passwords, path);
    opts.expect = identity (&pf->st);   /* the worker reads this very file, or nothing */
    extraction *x = g_new0 (extraction, 1);
    x->pf = pf;
    x->rec = rec;
    x->sha = g_steal_pointer (&sha);
    x->rec.sha256 = x->sha;
    evx_worker_pool_submit (run->pool, pf->file, path, &opts, x);
    g_queue_push_tail (&run->in_flight, x);
    /* enough ahead to keep every worker busy while this process indexes */
    while (evx_worker_pool_pending (run->pool) > 3 * run->opts->jobs + 1)
        if (!finish_extraction (run))
            return FALSE;
    return TRUE;
}

/* Indexes the result of the oldest file given to the workers. */
static gboolean
finish_extraction (update_run *run)
{
    evx_document *got = NULL;
    GBytes *got_passages = NULL;
    g_auto (evx_worker_info) info = { 0 };
    gpointer data = NULL;
    g_autoptr (GError) error = NULL;
    if (!evx_worker_pool_next (run->pool, &got, &got_passages, &info, &data, &error))
        return TRUE;
    g_autoptr (evx_document) doc = got;
    g_autoptr (GBytes) passages = got_passages;
    extraction *x = data;
    g_assert (x == g_queue_peek_head (&run->in_flight));
    g_queue_pop_head (&run->in_flight);
    const pending *pf = x->pf;
    const char *path = pf->path;
    const evx_file_stat *old = g_hash_table_lookup (run->records, path);
    evx_file_record rec = x->rec;
    evx_report_entry entry = EVX_REPORT_ENTRY_INIT;
    entry.path = path;
    entry.type = info.mime_type;
    entry.n_diagnostics = info.n_diagnostics;
    entry.diagnostics = info.diagnostics;
    entry.seconds = info.seconds;
    gboolean ok = TRUE;
    if (!doc) {
        gboolean skip = g_error_matches (error, EVX_ERROR, EVX_ERROR_UNSUPPORTED);
        /* the library's own words say more than "damaged" */
        g_autofree char *why = !skip && info.diagnostics->len > 0
                                   ? g_strdup_printf ("%s (%s)", error->message,
                                                      (char *) g_ptr_array_index (
                                                          info.diagnostics,
                                                          info.diagnostics->len - 1))
                                   : g_strdup (error->message);
        if (skip)
            report_skipped (run, &entry, why);
        else
            report_failure (run, &entry, why);
        if (file_is_to_blame (error, &info))
            ok = remember_problem (run, &rec, skip ? EVX_FILE_SKIPPED : EVX_FILE_FAILED,
                                   info.mime_type, why);
        extraction_free (x);
        return ok;
    }
    g_free (doc->path);
    doc->path = g_strdup (path);
    gboolean print = FALSE;
    g_autofree char *note = document_note (doc, &info, &entry.needs_ocr, &print);
    g_autoptr (GError) invalid = NULL;
    if (print && !run->opts->quiet)
        say (run, entry.needs_ocr ? "needs OCR" : "note", path,
             entry.needs_ocr ? note + strlen ("needs OCR: ") : note);
    rec.mime_type = doc->mime_type;
    rec.title = doc->title;
    rec.author = doc->author;
    rec.producer = doc->producer;
    rec.created = doc->created;
    rec.page_count = doc->page_count;
    guint n_passages = doc->passages->len;
    ok = passages ? evx_index_put_encoded (run->idx, doc, passages, &rec, &n_passages, &invalid)
                  : evx_index_put_document (run->idx, doc, &rec, &invalid);
    if (!ok && g_error_matches (invalid, EVX_ERROR, EVX_ERROR_INVALID)) {
        /* the worker's fault: the file fails, the run goes on */
        report_failure (run, &entry, invalid->message);
        ok = remember_problem (run, &rec, EVX_FILE_FAILED, doc->mime_type, invalid->message);
        extraction_free (x);
        return ok;
    }
    if (!ok)
        g_propagate_error (&run->fatal, g_steal_pointer (&invalid));
    if (ok) {
        gboolean is_new = !old || old->status != EVX_FILE_INDEXED;
        if (is_new)
            run->added++;
        else
            run->updated++;
        run->passages += n_passages;
        entry.change = is_new ? "added" : "updated";
        entry.container = doc->container;
        entry.pages = doc->page_count > 0 ? doc->page_count : -1;
        entry.pages_without_text = doc->page_count > 0 ? doc->pages_without_text : -1;
        entry.passages = n_passages;
        entry.invalid_bytes = (gint64) MIN (doc->invalid_bytes, (guint64) G_MAXINT64);
        entry.note = note;
        add_entry (run, &entry, "indexed");
        ok = changed (run);
    }
    extraction_free (x);
    return ok;
}

/* ---- the walk ------------------------------------------------------------------- */

static gboolean
walk_file (const char *file, const GStatBuf *st, gpointer data)
{
    update_run *run = data;
    if (run->shard.n > 0
        && evx_shard_of (evx_shard_relative (file, run->walk_root), run->shard.n) != run->shard.k) {
        g_hash_table_add (run->elsewhere, evx_cli_display_path (file));
        return TRUE;   /* another shard's file */
    }
    char *path = evx_cli_display_path (file);
    if (!g_hash_table_add (run->seen, path))
        return TRUE;   /* reached twice (through two roots) */
    run->seen_n++;
    const evx_file_stat *old = g_hash_table_lookup (run->records, path);
    gboolean same = old && old->size == (gint64) st->st_size
                    && old->mtime_ns == ns (&st->st_mtim) && old->ctime_ns == ns (&st->st_ctim);
    /* a remembered failure is tried again on request, and when a password file now
     * has a password for the file */
    gboolean retry = run->opts->retry_failed
                     || (old && old->status == EVX_FILE_FAILED
                         && evx_password_file_lookup (run->opts->passwords, path));
    if (same && (old->status == EVX_FILE_INDEXED || !retry)) {
        run->unchanged++;
        if (run->report) {
            evx_report_entry e = EVX_REPORT_ENTRY_INIT;
            e.path = path;
            /* a file remembered as failed or skipped keeps its reason in every report,
             * not only in the first night's */
            g_autoptr (evx_file_record) rec = NULL;
            if (old->status != EVX_FILE_INDEXED && evx_index_get_file (run->idx, path, &rec, NULL)
                && rec) {
                e.reason = rec->reason;
                e.type = rec->mime_type;
                e.note = old->status == EVX_FILE_FAILED
                             ? "failed in an earlier run: not tried again until it changes "
                               "(or --retry-failed)"
                             : "skipped in an earlier run: not tried again until it changes";
            }
            add_entry (run, &e, "unchanged");
        }
        return TRUE;
    }
    pending *pf = g_new0 (pending, 1);
    pf->file = g_strdup (file);
    pf->path = g_strdup (path);
    pf->st = *st;
    /* the file's folder, not the file: a link followed leads elsewhere */
    g_autofree char *folder = g_path_get_dirname (file);
    GStatBuf fst;
    pf->folder_dev = g_stat (folder, &fst) == 0 ? (gint64) fst.st_dev : -1;
    pf->mount_point = g_strdup (mount_point_cached (run, folder, run->walk_root));
    g_ptr_array_add (run->pending, pf);
    return TRUE;
}

static void
walk_problem (const char *path, const char *reason, gboolean failure, gpointer data)
{
    update_run *run = data;
    char *shown = evx_cli_display_path (path);
    if (!g_hash_table_add (run->problems, shown))
        return;   /* reached twice (through two roots) */
    run->seen_n++;
    evx_report_entry entry = EVX_REPORT_ENTRY_INIT;
    entry.path = shown;
    if (failure) {
        /* could not be read (a folder without permission, an I/O error): the machine's
         * fault, so what is recorded under it is kept */
        g_ptr_array_add (run->protected, g_strdup (shown));
        report_failure (run, &entry, reason);
    } else {
        /* not a regular file (any more): a record under this name leaves the index */
        report_skipped (run, &entry, reason);
    }
}

/* TRUE when @path is @root or inside it. */
static gboolean
under (const char *path, const char *root)
{
    gsize n = strlen (root);
    return strncmp (path, root, n) == 0 && (path[n] == '\0' || path[n] == '/'
                                            || (n > 0 && root[n - 1] == '/'));
}

static gboolean remove_vanished (update_run *run, const char *path);

static guint
count_under (GHashTable *paths, const char *root)
{
    guint n = 0;
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init (&it, paths);
    while (g_hash_table_iter_next (&it, &key, NULL))
        n += under (key, root);
    return n;
}

/* TRUE when the file @path (a display path) was recorded on the file system that holds
 * the folder @name (as the file system names it) now (the same st_dev).  FALSE also when
 * the record is older than the device it names. */
static gboolean
same_file_system (update_run *run, const char *path, const char *name)
{
    const evx_file_stat *st = g_hash_table_lookup (run->records, path);
    struct stat d;
    return st && st->dev >= 0 && stat (name, &d) == 0 && (gint64) d.st_dev == st->dev;
}

/* TRUE when the vanished file @path (a display path), under the folder @name (as the
 * file system names it, at or below the root @root) that now holds no file, was
 * deleted: its folder was emptied, not unmounted.  That takes the same mount layout as
 * when the file was recorded (the mount holding @name begins where the one holding the
 * file's folder began: an unmount, or a mount over the folder, moves it), @name being no
 * mount point itself (an empty mount point may be an emptied file system or another one,
 * empty, mounted in its place), and the same device (same_file_system()). */
static gboolean
deleted_not_hidden (update_run *run, const char *path, const char *name, const char *root)
{
    const evx_file_stat *st = g_hash_table_lookup (run->records, path);
    if (!st || !st->mount_point)
        return FALSE;   /* recorded before mounts were */
    const char *now = mount_point_cached (run, name, root);
    if (!now || strcmp (now, st->mount_point) != 0)
        return FALSE;   /* a mount came or went */
    size_t skip = strcmp (root, "/") == 0 ? 0 : strlen (root);
    const char *here = strlen (name) > skip ? name + skip : "/";
    if (strcmp (now, here) == 0)
        return FALSE;   /* an empty mount point */
    return same_file_system (run, path, name);
}

/* A root that exists but holds no file now, while files are recorded under it, is
 * most likely an unmounted file system (an empty mount point): its files are kept and
 * the run fails, as for a missing root; unless every one of them was deleted
 * (deleted_not_hidden()): then they leave the index. */
static void
protect_empty_roots (update_run *run, char **shown_roots)
{
    for (guint i = 0; shown_roots[i]; i++) {
        gboolean missing = FALSE;   /* reported as missing already */
        for (guint j = 0; j < run->protected->len && !missing; j++)
            missing = strcmp (g_ptr_array_index (run->protected, j), shown_roots[i]) == 0;
        if (missing || count_under (run->seen, shown_roots[i]) > 0
            || count_under (run->elsewhere, shown_roots[i]) > 0)
            continue;
        guint recorded = 0, hidden = 0;
        g_autofree char *name = evx_cli_file_name (shown_roots[i]);
        GHashTableIter it;
        gpointer key;
        g_hash_table_iter_init (&it, run->records);
        while (g_hash_table_iter_next (&it, &key, NULL)) {
            if (!under (key, shown_roots[i]))
                continue;
            recorded++;
            hidden += !deleted_not_hidden (run, key, name, name);
        }
        if (hidden == 0)
            continue;
        g_ptr_array_add (run->protected, g_strdup (shown_roots[i]));
        g_autofree char *why = g_strdup_printf (
            "root holds no file now, but %u are recorded under it: they stay in the index "
            "(an unmounted file system?)",
            recorded);
        evx_report_entry e = EVX_REPORT_ENTRY_INIT;
        e.path = shown_roots[i];
        report_failure (run, &e, why);
    }
}

/* The nearest folder above the vanished file @path (a display path) that still
 * exists, when it lies below one of @shown_roots, this run found no file under it
 * (an unmounted file system leaves its mount point empty, or holding only empty
 * folders), and the file was not deleted from it (deleted_not_hidden(): an emptied
 * folder); else NULL. */
static char *
unmounted_folder_above (update_run *run, const char *path, char **shown_roots)
{
    const char *root = NULL;
    for (guint i = 0; shown_roots[i] && !root; i++)
        root = under (path, shown_roots[i]) ? shown_roots[i] : NULL;
    if (!root)
        return NULL;
    g_autofree char *dir = g_path_get_dirname (path);
    for (;;) {
        if (strlen (dir) <= strlen (root))
            return NULL;
        g_autofree char *name = evx_cli_file_name (dir);   /* as the file system names it */
        if (g_file_test (name, G_FILE_TEST_IS_DIR)) {
            g_autofree char *root_name = evx_cli_file_name (root);
            if (deleted_not_hidden (run, path, name, root_name))
                return NULL;
            break;
        }
        char *up = g_path_get_dirname (dir);
        g_free (dir);
        dir = up;
    }
    if (!run->seen_dirs) {
        /* every folder that holds a file found by this walk, at any depth: built once */
        run->seen_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        GHashTable *sets[] = { run->seen, run->elsewhere };
        for (guint k = 0; k < G_N_ELEMENTS (sets); k++) {
            GHashTableIter it;
            gpointer key;
            g_hash_table_iter_init (&it, sets[k]);
            while (g_hash_table_iter_next (&it, &key, NULL)) {
                /* the table takes each name (g_hash_table_add() keeps the new one when
                 * it was there already); a folder already there has its folders too */
                char *d = g_path_get_dirname (key);
                while (g_hash_table_add (run->seen_dirs, d) && strcmp (d, "/") != 0
                       && strcmp (d, ".") != 0)
                    d = g_path_get_dirname (d);
            }
        }
    }
    if (g_hash_table_contains (run->seen_dirs, dir))
        return NULL;
    return g_steal_pointer (&dir);
}

/* Keeps the vanished file @path when it lies under a folder that looks unmounted
 * (unmounted_folder_above()), counting it for that folder's report; FALSE when the
 * file may go. */
static gboolean
hold_if_unmounted (update_run *run, const char *path, char **shown_roots)
{
    char *dir = unmounted_folder_above (run, path, shown_roots);
    if (!dir)
        return FALSE;
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (run->held, dir));
    g_hash_table_insert (run->held, dir, GUINT_TO_POINTER (n + 1));
    return TRUE;
}

/* The indexed files under @shown_roots that the walk did not find, by SHA-256; the
 * others (failed or skipped, no content to match) are removed at once. */
static gboolean
find_vanished (update_run *run, char **shown_roots)
{
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init (&it, run->records);
    while (g_hash_table_iter_next (&it, &key, &value)) {
        const char *path = key;
        const evx_file_stat *st = value;
        if (g_hash_table_contains (run->seen, path))
            continue;
        gboolean in_root = FALSE, kept = FALSE;
        for (guint i = 0; shown_roots[i] && !in_root; i++)
            in_root = under (path, shown_roots[i]);
        for (guint i = 0; i < run->protected->len && !kept; i++)
            kept = under (path, g_ptr_array_index (run->protected, i));
        if (!in_root || kept)
            continue;
        if (st->status == EVX_FILE_INDEXED && st->sha256) {
            GQueue *q = g_hash_table_lookup (run->vanished_by_sha, st->sha256);
            if (!q) {
                q = g_queue_new ();
                g_hash_table_insert (run->vanished_by_sha, g_strdup (st->sha256), q);
            }
            g_queue_push_tail (q, g_strdup (path));
        } else if (!hold_if_unmounted (run, path, shown_roots) && !remove_vanished (run, path)) {
            return FALSE;
        }
    }
    return TRUE;
}

static void
queue_free (gpointer data)
{
    g_queue_free_full (data, g_free);
}

static gboolean
remove_vanished (update_run *run, const char *path)
{
    if (!evx_index_remove_file (run->idx, path, &run->fatal))
        return FALSE;
    run->removed++;
    evx_report_entry e = EVX_REPORT_ENTRY_INIT;
    e.path = path;
    add_entry (run, &e, "removed");
    return changed (run);
}

/* ---- the run --------------------------------------------------------------------- */

/* The absolute, canonical form of each root; NULL-terminated. */
static char **
canonical_roots (char **roots)
{
    GStrvBuilder *sb = g_strv_builder_new ();
    for (guint i = 0; roots && roots[i]; i++) {
        /* symbolic links resolved: a folder reached through a link is the same root */
        char *real = realpath (roots[i], NULL);
        g_autofree char *abs = real ? g_strdup (real) : g_canonicalize_filename (roots[i], NULL);
        free (real);
        g_strv_builder_add (sb, abs);
    }
    char **out = g_strv_builder_end (sb);
    g_strv_builder_unref (sb);
    return out;
}

static void
print_summary (update_run *run, double seconds)
{
    if (run->progress)
        fputs ("\r\033[K", stderr);
    g_autofree char *shard = run->shard.n == 0
                                 ? g_strdup ("")
                                 : g_strdup_printf (" (shard %u/%u; %u belong to other shards)",
                                                    run->shard.k, run->shard.n,
                                                    g_hash_table_size (run->elsewhere));
    g_autofree char *not_reached = run->not_reached == 0
                                       ? g_strdup ("")
                                       : g_strdup_printf (", %u not reached", run->not_reached);
    fprintf (stderr,
             "evidex %s: %u files seen%s, %u added, %u updated, %u moved, %u removed, %u "
             "unchanged, %u skipped, %u failed%s; %" G_GUINT64_FORMAT " passages written in %.1f s\n",
             run->cli->command, run->seen_n, shard, run->added, run->updated, run->moved,
             run->removed, run->unchanged, run->skipped, run->failed, not_reached, run->passages,
             seconds);
}

static gboolean
run_update (update_run *run, char **roots)
{
    if (!evx_index_list_files (run->idx, &run->records, &run->fatal))
        return FALSE;
    /* the records hold display paths (evx_cli_display_path) */
    g_autoptr (GStrvBuilder) sb = g_strv_builder_new ();
    for (guint i = 0; roots[i]; i++) {
        g_autofree char *shown = evx_cli_display_path (roots[i]);
        g_strv_builder_add (sb, shown);
    }
    g_auto (GStrv) shown_roots = g_strv_builder_end (sb);
    for (guint i = 0; roots[i] && !interrupted; i++) {
        gboolean nested = FALSE;   /* inside a root walked already */
        for (guint j = 0; j < i && !nested; j++)
            nested = under (shown_roots[i], shown_roots[j]) && strcmp (shown_roots[i], shown_roots[j]) != 0;
        for (guint j = 0; j < i && !nested; j++)
            nested = strcmp (shown_roots[i], shown_roots[j]) == 0;
        if (nested)
            continue;
        if (!g_file_test (roots[i], G_FILE_TEST_EXISTS)) {
            /* unmounted or renamed: its files are kept, not removed */
            evx_report_entry e = EVX_REPORT_ENTRY_INIT;
            e.path = shown_roots[i];
            report_failure (run, &e, "root missing: its files stay in the index (gone for good? "
                                      "evidex roots --forget PATH)");
            g_ptr_array_add (run->protected, g_strdup (shown_roots[i]));
            continue;
        }
        run->walk_root = roots[i];
        evx_walk (roots[i], run->cli->db, (const char *const *) roots, run->opts->follow_symlinks,
                  walk_file, walk_problem, run);
    }
    if (interrupted)
        return TRUE;
    protect_empty_roots (run, shown_roots);
    if (!find_vanished (run, shown_roots))
        return FALSE;
    guint done = 0;
    for (; done < run->pending->len && !interrupted; done++)
        if (!update_file (run, g_ptr_array_index (run->pending, done)))
            return FALSE;
    while (!g_queue_is_empty (&run->in_flight) && !interrupted)
        if (!finish_extraction (run))
            return FALSE;
    if (interrupted) {
        /* the report lists what this run did not get to */
        for (extraction *x; (x = g_queue_pop_head (&run->in_flight));) {
            evx_report_entry e = EVX_REPORT_ENTRY_INIT;
            e.path = x->pf->path;
            e.reason = "the run was interrupted before this file";
            add_entry (run, &e, "interrupted");
            run->not_reached++;
            extraction_free (x);
        }
        for (; done < run->pending->len; done++) {
            const pending *pf = g_ptr_array_index (run->pending, done);
            evx_report_entry e = EVX_REPORT_ENTRY_INIT;
            e.path = pf->path;
            e.reason = "the run was interrupted before this file";
            add_entry (run, &e, "interrupted");
            run->not_reached++;
        }
        return TRUE;
    }
    /* what vanished and did not reappear elsewhere leaves the index, but for what lay
     * under a folder that looks unmounted: below a root as at a root (see
     * protect_empty_roots()), those files stay, and the run fails, until the folder is
     * removed (or its file system mounted again) */
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init (&it, run->vanished_by_sha);
    while (g_hash_table_iter_next (&it, &key, &value)) {
        for (GList *l = ((GQueue *) value)->head; l; l = l->next)
            if (!hold_if_unmounted (run, l->data, shown_roots) && !remove_vanished (run, l->data))
                return FALSE;
    }
    g_hash_table_iter_init (&it, run->held);
    while (g_hash_table_iter_next (&it, &key, &value)) {
        g_autofree char *name = evx_cli_file_name (key);
        struct stat st;
        gboolean link = lstat (name, &st) == 0 && S_ISLNK (st.st_mode);
        g_autofree char *why = g_strdup_printf (
            link ? "folder is now a symbolic link, which the walk skips, and %u recorded files "
                   "were under it: they stay in the index (--follow-symlinks follows it)"
                 : "folder holds no file now, but %u recorded files were under it: they stay in "
                   "the index (an unmounted file system? remove the folder if they are gone for "
                   "good)",
            GPOINTER_TO_UINT (value));
        evx_report_entry e = EVX_REPORT_ENTRY_INIT;
        e.path = key;
        report_failure (run, &e, why);
    }
    return TRUE;
}

static int update_with_index (evx_cli *cli, const evx_update_options *opts, evx_index *idx);

/* The names of the report's counts (evx_run_report_write()), in order. */
static const char *const report_counts[] = { "seen", "added", "updated", "moved", "removed",
                                             "unchanged", "skipped", "failed", "interrupted",
                                             "passages", NULL };

/* Ends a run that could not start (the lock is held, no index, no roots): prints
 * @message and writes a report that says so (all counts 0, "fatal": @message), so that
 * a monitor never takes an earlier run's report for this one's.  Returns @status. */
static int
end_early (evx_cli *cli, const evx_update_options *opts, int status, const char *message)
{
    evx_cli_error (cli, "%s", message);
    if (opts->report_file) {
        g_autoptr (evx_run_report) report = evx_run_report_new (cli->command, cli->db);
        guint64 counts[G_N_ELEMENTS (report_counts) - 1] = { 0 };
        g_autoptr (GError) error = NULL;
        if (!evx_run_report_write (report, opts->report_file, report_counts, counts, 0.0, message,
                                   &error))
            evx_cli_error (cli, "%s", error->message);
    }
    return status;
}

int
evx_update_run (evx_cli *cli, const evx_update_options *opts)
{
    /* from the start: a SIGTERM while waiting for the lock ends the run the same way */
    interrupted = 0;
    struct sigaction sa = { 0 }, old_int, old_term, old_pipe;
    sa.sa_handler = on_signal;
    sigemptyset (&sa.sa_mask);
    sigaction (SIGINT, &sa, &old_int);
    sigaction (SIGTERM, &sa, &old_term);
    /* a closed stdout or stderr (`ingest ... 2>&1 | head`) must not kill the run with
     * nothing committed and no report: what cannot be printed is lost, the work is not */
    struct sigaction ignore = { 0 };
    ignore.sa_handler = SIG_IGN;
    sigemptyset (&ignore.sa_mask);
    sigaction (SIGPIPE, &ignore, &old_pipe);
    int status;
    g_autoptr (GError) error = NULL;
    /* refresh: a mistyped --db is an error, not a new empty index */
    /* --wait: try for the lock every 200 ms; a signal ends the wait at once */
    evx_index_mode mode = opts->roots ? EVX_INDEX_WRITE : EVX_INDEX_UPDATE;
    gint64 since = g_get_monotonic_time ();
    gint64 deadline = since + (gint64) opts->wait_s * G_USEC_PER_SEC;
    evx_index *idx;
    while (!(idx = evx_index_open (cli->db, mode, &error))
           && g_error_matches (error, EVX_ERROR, EVX_ERROR_LOCKED) && !interrupted
           && g_get_monotonic_time () < deadline) {
        g_clear_error (&error);
        g_usleep (200 * 1000);
    }
    if (!idx && opts->wait_s > 0 && g_error_matches (error, EVX_ERROR, EVX_ERROR_LOCKED))
        g_prefix_error (&error, "waited %.0f s: ",   /* less when a signal ended the wait */
                        (double) (g_get_monotonic_time () - since) / G_USEC_PER_SEC);
    if (!idx) {
        status = end_early (cli, opts,
                            interrupted ? EVX_EXIT_INTERRUPTED : evx_cli_exit_status (error),
                            error->message);
        goto out;
    }
    status = update_with_index (cli, opts, idx);
    evx_index_close (idx);
out:
    sigaction (SIGINT, &old_int, NULL);
    sigaction (SIGTERM, &old_term, NULL);
    sigaction (SIGPIPE, &old_pipe, NULL);
    return status;
}

static int
update_with_index (evx_cli *cli, const evx_update_options *opts, evx_index *idx)
{
    g_autoptr (GError) error = NULL;
    g_auto (GStrv) roots = NULL;
    if (opts->roots) {
        roots = canonical_roots (opts->roots);
    } else {
        if (!evx_index_get_roots (idx, &roots, &error))
            return end_early (cli, opts, EVX_EXIT_FATAL, error->message);
        if (!roots[0]) {
            g_autofree char *why = g_strdup_printf (
                "no roots are recorded in %s: run 'evidex ingest PATH...' first", cli->db);
            return end_early (cli, opts, EVX_EXIT_USAGE, why);
        }
    }

    update_run run = { .cli = cli, .opts = opts, .idx = idx };
    /* the shard: as given, else as recorded; never two shards in one index */
    g_autofree char *recorded = evx_index_get_metadata (idx, EVX_METADATA_SHARD);
    evx_shard_spec held = { 0, 0 };
    if (recorded && !evx_shard_parse (recorded, &held)) {
        g_autofree char *why = g_strdup_printf ("%s records an invalid shard '%s'", cli->db,
                                                recorded);
        return end_early (cli, opts, EVX_EXIT_FATAL, why);
    }
    if (opts->shard.n > 0 && held.n > 0 && (opts->shard.k != held.k || opts->shard.n != held.n)) {
        g_autofree char *why = g_strdup_printf (
            "%s holds shard %u/%u; --shard %u/%u would mix two shards in one index (give each "
            "shard its own --db folder)", cli->db, held.k, held.n, opts->shard.k, opts->shard.n);
        return end_early (cli, opts, EVX_EXIT_USAGE, why);
    }
    run.shard = opts->shard.n > 0 ? opts->shard : held;
    if (run.shard.n > 0 && !recorded) {
        g_autofree char *spec = evx_shard_format (&run.shard);
        if (!evx_index_set_metadata (idx, EVX_METADATA_SHARD, spec, &error))
            return end_early (cli, opts, EVX_EXIT_FATAL, error->message);
    }
    run.elsewhere = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    run.held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    run.progress = !opts->quiet && isatty (STDERR_FILENO);
    run.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    run.pending = g_ptr_array_new_with_free_func (pending_free);
    run.vanished_by_sha = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, queue_free);
    run.protected = g_ptr_array_new_with_free_func (g_free);
    run.problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr (evx_run_report) report = opts->report_file ? evx_run_report_new (cli->command, cli->db)
                                                          : NULL;
    run.report = report;

    gint64 started = g_get_monotonic_time ();
    /* the roots go in with the first commit: a run killed later is finished by refresh;
     * the index's own folder (never ingested) is no root */
    g_autoptr (GStrvBuilder) keep = g_strv_builder_new ();
    char *db_real = realpath (cli->db, NULL);
    for (guint i = 0; roots[i]; i++)
        if (!db_real || !under (roots[i], db_real))
            g_strv_builder_add (keep, roots[i]);
    free (db_real);
    g_auto (GStrv) to_record = g_strv_builder_end (keep);
    gboolean ok = !opts->record_roots
                  || evx_index_add_roots (idx, (const char *const *) to_record, &run.fatal);
    run.since_commit += opts->record_roots ? 1 : 0;
    ok = ok && run_update (&run, roots);
    if (ok && !interrupted) {
        /* for 'evidex stats' */
        g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
        g_autofree char *when = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
        g_autofree char *last = g_strdup_printf ("{\"command\":\"%s\",\"finished\":\"%s\"}",
                                                 cli->command, when);
        ok = evx_index_set_metadata (idx, EVX_METADATA_LAST_RUN, last, &run.fatal);
        run.since_commit++;
    }
    if (ok)
        ok = maybe_commit (&run, TRUE);
    double seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

    int status = EVX_EXIT_OK;
    if (run.report) {
        guint64 counts[] = { run.seen_n, run.added, run.updated, run.moved, run.removed,
                             run.unchanged, run.skipped, run.failed, run.not_reached,
                             run.passages };
        g_autoptr (GError) rerr = NULL;
        if (!evx_run_report_write (run.report, opts->report_file, report_counts, counts, seconds,
                                   ok ? NULL : run.fatal->message, &rerr)) {
            evx_cli_error (cli, "%s", rerr->message);
            status = EVX_EXIT_FATAL;
        }
    }
    /* --quiet keeps a run that went well silent (cron mails any output) */
    if (!opts->quiet || !ok || interrupted || run.failed > 0 || status != EVX_EXIT_OK)
        print_summary (&run, seconds);
    if (!ok) {
        evx_cli_error (cli, "%s; the index keeps its last commit", run.fatal->message);
        g_clear_error (&run.fatal);
        status = EVX_EXIT_FATAL;
    } else if (interrupted) {
        evx_cli_error (cli, "interrupted: the index keeps what was committed; run again to "
                            "finish");
        status = EVX_EXIT_INTERRUPTED;
    } else if (run.failed > 0 && status == EVX_EXIT_OK) {
        status = EVX_EXIT_PARTIAL;
    }
    evx_worker_pool_free (run.pool);   /* before the catalog its workers borrow */
    for (extraction *x; (x = g_queue_pop_head (&run.in_flight));)
        extraction_free (x);
    if (run.catalog)
        evx_catalog_free (run.catalog);
    if (run.records)
        g_hash_table_unref (run.records);
    g_hash_table_unref (run.seen);
    g_ptr_array_unref (run.pending);
    g_hash_table_unref (run.vanished_by_sha);
    g_ptr_array_unref (run.protected);
    g_hash_table_unref (run.problems);
    g_hash_table_unref (run.elsewhere);
    g_hash_table_unref (run.held);
    if (run.mount_points)
        g_hash_table_unref (run.mount_points);
    if (run.seen_dirs)
        g_hash_table_unref (run.seen_dirs);
    return status;
}
