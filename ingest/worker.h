/* worker.h - extraction isolated in a child process, under time and memory limits.
 *
 * A worker is a forked process that applies the limits, runs evx_extract_file_with()
 * and sends each document back over a socket as JSON (wire.h); the parent validates
 * every field before it builds the evx_document it returns.  evx_worker_pool runs
 * several workers for many files; evx_worker_extract() runs one for one file.
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
#include "ingest/wire.h"

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

/** For the test suites only: a worker given a file whose path ends with this
 * variable's value waits for ever, as an extraction that hangs does (a FIFO no longer
 * can: files are opened without waiting, evx_extract_open()). */
#define EVX_WORKER_TEST_HANG_ENV "EVX_WORKER_TEST_HANG"

/** The most worker processes one pool runs. */
#define EVX_WORKER_MAX_JOBS 64

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
 * @passages: the number of passages extracted (also when they came encoded).
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
    guint passages;
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
 * evx_worker_pool:
 *
 * Up to N worker processes that extract files in parallel for one parent, which
 * indexes the results in the order the files were submitted.  Each worker is forked
 * from the parent when first needed (so it inherits the catalog and everything
 * evx_extract_prepare() made ready), extracts file after file, and is replaced by a
 * fresh process after 500 files, or at once when it crashes, hangs or is killed.  The
 * limits apply to each file: the wall-clock limit from the moment the worker starts
 * on it (as the parent sees it), the CPU limit as extra CPU seconds the worker may use
 * for it, the memory limit to the worker's address space.  Each worker has at most two
 * files at a time (one in hand, one queued), so it goes on while the parent indexes.
 * Not thread-safe: one thread of the parent uses a pool.
 */
typedef struct _evx_worker_pool evx_worker_pool;

/**
 * evx_worker_pool_new:
 * @n_workers: the number of worker processes, 1 to EVX_WORKER_MAX_JOBS (clamped).
 * @cat: the clause catalog; borrowed, must outlive the pool.
 * @limits: (nullable) the limits per file (copied), or NULL for the defaults.
 *
 * No process is started until a file is submitted.
 *
 * Returns: (transfer full) the pool; free with evx_worker_pool_free().
 */
evx_worker_pool *evx_worker_pool_new (guint n_workers, const evx_catalog *cat,
                                      const evx_worker_limits *limits);

/**
 * evx_worker_pool_submit:
 * @pool: the pool.
 * @path: absolute path of the file (any bytes); copied.
 * @name: (nullable) the name the index gives the file (valid UTF-8), set as the
 *   document's path; NULL for g_filename_display_name (@path).
 * @opts: (nullable) extraction options (copied, the password too), or NULL for the
 *   defaults of extract.h.
 * @user_data: handed back with the result by evx_worker_pool_next().
 *
 * Queues @path and gives it to a worker at once if one has room.  Never blocks on
 * extraction; the caller bounds how many files it submits ahead (see
 * evx_worker_pool_pending()).
 */
void evx_worker_pool_submit (evx_worker_pool *pool, const char *path, const char *name,
                             const evx_extract_options *opts, gpointer user_data);

/**
 * evx_worker_encoder:
 * @doc: the document just extracted; doc->path is the name given at submission.
 * @data: the encoder's data.
 * @error: why it could not encode (the file then fails with this error).
 *
 * Runs in the worker after each extraction and returns the passages in the form the
 * parent stores (see evx_index_encode_passages()), so that this work is spread over
 * the workers instead of falling on the one parent.
 *
 * Returns: (transfer full) the encoded passages, or NULL on error.
 */
typedef GBytes *(*evx_worker_encoder) (const evx_document *doc, gpointer data, GError **error);

/**
 * evx_worker_pool_set_encoder:
 * @pool: a pool to which nothing was submitted yet (the workers inherit it at fork).
 * @encoder: the encoder.
 * @data: its data, handed to every call.
 *
 * From now on each document comes back with its passages encoded (see
 * evx_worker_pool_next()): the document itself keeps its metadata only, with no
 * passages and no page texts.
 */
void evx_worker_pool_set_encoder (evx_worker_pool *pool, evx_worker_encoder encoder, gpointer data);

/**
 * evx_worker_pool_pending:
 * Returns: the number of files submitted and not yet returned by evx_worker_pool_next().
 */
guint evx_worker_pool_pending (const evx_worker_pool *pool);

/**
 * evx_worker_pool_next:
 * @pool: the pool.
 * @doc: (out) (transfer full) the document of the oldest submitted file, or NULL when
 *   its extraction failed.
 * @encoded: (out) (optional) (transfer full) its passages as the encoder made them, or
 *   NULL (no encoder, or a failure).
 * @info: (out caller-allocates) (optional) zero-initialised (or cleared) info about
 *   that extraction, filled on success and on failure.
 * @user_data: (out) (optional) the file's user data.
 * @error: as for evx_worker_extract(), for that file.
 *
 * Waits until the oldest file still pending is done (the workers keep working on the
 * others meanwhile) and hands its result over.
 *
 * Returns: FALSE when nothing is pending (and nothing is set), else TRUE.
 */
gboolean evx_worker_pool_next (evx_worker_pool *pool, evx_document **doc, GBytes **encoded,
                               evx_worker_info *info, gpointer *user_data, GError **error);

/**
 * evx_worker_pool_free:
 * @pool: (nullable) the pool.
 *
 * Kills the workers (files still pending are dropped) and frees @pool.
 */
void evx_worker_pool_free (evx_worker_pool *pool);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_worker_pool, evx_worker_pool_free)

G_END_DECLS

#endif /* EVX_WORKER_H */
