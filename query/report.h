/* report.h - the run report (`ingest --report FILE.json`): every file's outcome.
 *
 * The report is JSON (json-glib), written once at the end of the run (also of one
 * that could not start), atomically (a temporary file renamed over FILE, keeping its
 * permissions; a new FILE is its owner's only), or through a symbolic link or a device
 * (/dev/stdout), which it never replaces:
 *
 *   {"command": "ingest", "db": "...", "started": "2026-11-30T05:41:07Z",
 *    "seconds": 7.2, "fatal": null,
 *    "summary": {"seen": 47, "added": 39, "updated": 0, "moved": 0, "removed": 0,
 *                "unchanged": 0, "skipped": 2, "failed": 6, "interrupted": 0,
 *                "passages": 1234},
 *    "files": [{"path", "outcome", "change", "moved_from", "type", "container", "pages",
 *               "pages_without_text",
 *               "needs_ocr", "passages", "invalid_bytes", "seconds", "reason", "note",
 *               "diagnostics": {"count", "examples": [...]}}, ...]}
 *
 * outcome is "indexed" (change "added" or "updated"), "moved" (moved_from says from
 * where), "removed", "unchanged", "skipped" or "failed"; reason says why a file was
 * skipped or failed; note carries what the run printed about an indexed file
 * ("3 of 5 pages have no text layer").  A number that is not known is null.
 */
#ifndef EVX_REPORT_H
#define EVX_REPORT_H

#include <glib.h>

G_BEGIN_DECLS

/**
 * evx_report_entry:
 * @path: the file (UTF-8, as displayed).
 * @outcome: "indexed", "moved", "removed", "unchanged", "skipped", "failed" or
 *   "interrupted" (the run stopped before it reached the file) (static string).
 * @change: (nullable) for "indexed": "added" (new to the index) or "updated" (new
 *   content).
 * @moved_from: (nullable) for "moved": the path the file had.
 * @type: (nullable) detected MIME type.
 * @container: (nullable) "application/gzip" when the content was compressed.
 * @pages: pages, or -1 when unknown or the format has none.
 * @pages_without_text: pages without a text layer, or -1 when unknown.
 * @needs_ocr: TRUE when the document has pages and none has text.
 * @passages: passages indexed for the file, or -1 when unknown.
 * @invalid_bytes: bytes replaced as invalid UTF-8 (text formats), or -1 when the file
 *   was not extracted (null in the report).
 * @seconds: time spent extracting the file, in seconds, or a negative number when it was
 *   not extracted (null in the report).
 * @reason: (nullable) why it was skipped or failed.
 * @note: (nullable) remark on an indexed file.
 * @n_diagnostics: lines the extraction libraries printed.
 * @diagnostics: (nullable) (element-type utf8) the first few of those lines.
 *
 * One file's outcome; every string is borrowed (copied by evx_run_report_add()).
 */
typedef struct {
    const char *path;
    const char *outcome;
    const char *change;
    const char *moved_from;
    const char *type;
    const char *container;
    int pages;
    int pages_without_text;
    gboolean needs_ocr;
    gint64 passages;
    gint64 invalid_bytes;
    double seconds;
    const char *reason;
    const char *note;
    guint n_diagnostics;
    const GPtrArray *diagnostics;
} evx_report_entry;

/** EVX_REPORT_ENTRY_INIT: an entry with every number unknown. */
#define EVX_REPORT_ENTRY_INIT { .pages = -1, .pages_without_text = -1, .passages = -1, \
                                .invalid_bytes = -1, .seconds = -1 }

typedef struct evx_run_report evx_run_report;

/**
 * evx_run_report_new:
 * @command: "ingest" (or "refresh").
 * @db: the index folder, as given.
 *
 * Returns: (transfer full) an empty report started now; free with evx_run_report_free().
 */
evx_run_report *evx_run_report_new (const char *command, const char *db);

/** evx_run_report_add: appends one file's outcome (its fields are copied). */
void evx_run_report_add (evx_run_report *report, const evx_report_entry *entry);

/**
 * evx_run_report_write:
 * @report: the report.
 * @path: the file to write: a regular file is replaced atomically, keeping its mode (a
 *   new one gets 0600); a symbolic link, a device or a FIFO with a reader is written
 *   through (opened without waiting: a FIFO nobody reads is an error).
 * @names: (array zero-terminated=1) the names of the counts, in output order.
 * @counts: one count per name.
 * @seconds: duration of the run, in seconds.
 * @fatal: (nullable) the message of the error that ended the run early, or NULL.
 * @error: EVX_ERROR_IO with the reason when the file cannot be written.
 *
 * Returns: TRUE on success.
 */
gboolean evx_run_report_write (evx_run_report *report, const char *path, const char *const *names,
                               const guint64 *counts, double seconds, const char *fatal,
                               GError **error);

/** evx_run_report_free: frees @report; NULL is accepted. */
void evx_run_report_free (evx_run_report *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_run_report, evx_run_report_free)

G_END_DECLS

#endif /* EVX_REPORT_H */
