/* worker.h - extraction isolated in a child process, under time and memory limits.
 *
 * evx_worker_extract() forks; the child applies the limits, runs
 * evx_extract_file() and sends the document back through a pipe as JSON; the
 * parent validates every field before it builds the evx_document it returns.
 * A crash, hang or memory exhaustion in the child fails that file only.  What the
 * libraries print in the child (poppler's syntax errors, libxml2's parser errors) is
 * read by the parent through a second pipe, counted and sampled for the file's
 * report, and never reaches the terminal.
 */
#ifndef EVX_WORKER_H
#define EVX_WORKER_H

#include <glib.h>

#include "ingest/catalog.h"
#include "ingest/document.h"
#include "ingest/extract.h"

G_BEGIN_DECLS

/**
 * evx_worker_limits:
 * @timeout_s: wall-clock time allowed per file, in seconds (0 = no limit).
 * @cpu_s: CPU time allowed per file, in seconds (0 = no limit).
 * @memory_bytes: address-space limit of the child, in bytes (0 = no limit; ignored
 *   in AddressSanitizer builds, whose shadow memory needs the address space).
 */
typedef struct {
    guint timeout_s;
    guint cpu_s;
    guint64 memory_bytes;
} evx_worker_limits;

/** The smallest address-space limit worth giving: the worker starts as a copy of its
 * parent, libraries and clause catalog included, and needs room to read a file. */
#define EVX_WORKER_MIN_MEMORY_MIB 256

/** Defaults sized for a 2-core, 24 GiB machine: 120 s wall, 60 s CPU, 4 GiB. */
#define EVX_WORKER_DEFAULT_TIMEOUT_S 120
#define EVX_WORKER_DEFAULT_CPU_S 60
#define EVX_WORKER_DEFAULT_MEMORY_BYTES (G_GUINT64_CONSTANT (4) << 30)

/**
 * evx_worker_extract:
 * @path: absolute path of the file.
 * @cat: the clause catalog.
 * @limits: (nullable) limits, or NULL for the defaults.
 * @error: the child's own error (see evx_extract_file_with()), or EVX_ERROR_LIMIT when
 *   the wall-clock limit ("timeout: no result after N s"), the CPU limit ("limit: CPU
 *   time over N s") or the memory limit ("limit: out of memory at the memory limit of
 *   N MiB (signal S)", when the child said it could not allocate) stopped it,
 *   EVX_ERROR_CRASHED when it died of another signal (the message names the signal),
 *   EVX_ERROR_INVALID when what it sent back is malformed, EVX_ERROR_IO when the
 *   process could not be started.
 *
 * evx_worker_extract_full() with the default extraction options and no info.
 *
 * Returns: (transfer full) the extracted document, or NULL on error.  Its path is
 *   @path when that is valid UTF-8, else g_filename_display_name (@path).
 */
evx_document *evx_worker_extract (const char *path, const evx_catalog *cat,
                                  const evx_worker_limits *limits, GError **error);

/** At most this many diagnostic lines are kept per file, each cut to this many characters. */
#define EVX_WORKER_MAX_DIAGNOSTICS 5
#define EVX_WORKER_DIAGNOSTIC_CHARS 200

/**
 * evx_worker_info:
 * @mime_type: (nullable) the type the worker detected (see evx_extract_file_with()),
 *   or NULL when it died before saying; owned.
 * @n_diagnostics: how many lines the worker wrote on stderr (the libraries' warnings
 *   and errors).
 * @diagnostics: (element-type utf8) the first EVX_WORKER_MAX_DIAGNOSTICS distinct
 *   lines among those, made valid UTF-8 and cut to EVX_WORKER_DIAGNOSTIC_CHARS
 *   characters (poppler's lines start "poppler: ", libxml2's "html: line N: " or
 *   "xml: line N: "); owned.
 * @seconds: wall-clock time of the extraction, in seconds.
 * @signal: the signal that ended the worker, or 0 when it exited by itself.
 * @killed_by_us: TRUE when the parent killed it (timeout, reply too large); a worker
 *   that died of SIGKILL, SIGTERM or SIGINT otherwise was killed from outside.
 *
 * What is known about one extraction besides its result.  Clear with
 * evx_worker_info_clear().
 */
typedef struct {
    char *mime_type;
    guint n_diagnostics;
    GPtrArray *diagnostics;
    double seconds;
    int signal;
    gboolean killed_by_us;
} evx_worker_info;

/** evx_worker_info_clear: frees what @info holds (not @info itself); NULL is accepted. */
void evx_worker_info_clear (evx_worker_info *info);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (evx_worker_info, evx_worker_info_clear)

/**
 * evx_worker_extract_full:
 * @path: absolute path of the file.
 * @cat: the clause catalog.
 * @limits: (nullable) limits, or NULL for the defaults.
 * @opts: (nullable) extraction options (password, size and page limits), or NULL for
 *   the defaults of extract.h.
 * @info: (out caller-allocates) (optional) zero-initialised (or cleared) info, filled
 *   on success and on failure.
 * @error: as for evx_worker_extract().
 *
 * Returns: (transfer full) the extracted document, or NULL on error.
 */
evx_document *evx_worker_extract_full (const char *path, const evx_catalog *cat,
                                       const evx_worker_limits *limits,
                                       const evx_extract_options *opts, evx_worker_info *info,
                                       GError **error);

/**
 * evx_document_to_json:
 * @doc: a document.
 * @len: (out) (optional) length of the result in bytes.
 *
 * Serialises @doc completely (the wire format between worker and parent).
 *
 * Returns: (transfer full) UTF-8 JSON text; free with g_free().
 */
char *evx_document_to_json (const evx_document *doc, gsize *len);

/**
 * evx_document_from_json:
 * @data: JSON text as made by evx_document_to_json().
 * @len: length of @data in bytes.
 * @error: EVX_ERROR_INVALID naming the first field that is missing, of the wrong
 *   type or out of range (pages 1..page_count, offsets within the page text,
 *   editions 2012/2019).
 *
 * Returns: (transfer full) the document, or NULL on error.
 */
evx_document *evx_document_from_json (const char *data, gsize len, GError **error);

G_END_DECLS

#endif /* EVX_WORKER_H */
