/* error.h - the evidex error domain (EVX_ERROR).
 *
 * Every evidex library function that can fail takes a trailing `GError **error`
 * (may be NULL) and, on failure, returns FALSE / NULL / a negative count and sets
 * an error in this domain (or, where documented, passes on a GLib/poppler error
 * unchanged).  Compare errors with g_error_matches(), never by number alone.
 */
#ifndef EVX_ERROR_H
#define EVX_ERROR_H

#include <glib.h>

G_BEGIN_DECLS

#define EVX_ERROR (evx_error_quark ())

/**
 * evx_error_code:
 * @EVX_ERROR_IO: a file or folder could not be read or written (reason in the message).
 * @EVX_ERROR_UNSUPPORTED: the file's content is of a type this build does not extract.
 * @EVX_ERROR_ENCRYPTED: the document needs a password that was not given.
 * @EVX_ERROR_DAMAGED: the document is damaged beyond what the extractor recovers.
 * @EVX_ERROR_NO_PAGES: the document opened but reports no pages.
 * @EVX_ERROR_LIMIT: a resource limit (time, memory, size) stopped the work.
 * @EVX_ERROR_CRASHED: the isolated extraction process died (signal in the message).
 * @EVX_ERROR_INVALID: data read back (from a worker, the index or a catalog) is malformed.
 * @EVX_ERROR_LOCKED: another process holds the index for writing.
 * @EVX_ERROR_NOT_FOUND: the index (or a record in it) does not exist.
 * @EVX_ERROR_QUERY_SYNTAX: the query string could not be parsed.
 * @EVX_ERROR_INDEX: any other error reported by the index library (Xapian); the
 *   message names the Xapian exception type.
 * @EVX_ERROR_CATALOG: the clause catalog is malformed or invalid (message gives
 *   file, line and reason).
 * @EVX_ERROR_NO_MEMORY: an allocation failed inside the index library.
 * @EVX_ERROR_SHARD: a shard listed in a stub database file did not answer (the message
 *   names it, with the line of the stub and the network library's reason).
 */
typedef enum {
    EVX_ERROR_IO = 1,
    EVX_ERROR_UNSUPPORTED,
    EVX_ERROR_ENCRYPTED,
    EVX_ERROR_DAMAGED,
    EVX_ERROR_NO_PAGES,
    EVX_ERROR_LIMIT,
    EVX_ERROR_CRASHED,
    EVX_ERROR_INVALID,
    EVX_ERROR_LOCKED,
    EVX_ERROR_NOT_FOUND,
    EVX_ERROR_QUERY_SYNTAX,
    EVX_ERROR_INDEX,
    EVX_ERROR_CATALOG,
    EVX_ERROR_NO_MEMORY,
    EVX_ERROR_SHARD,
} evx_error_code;

/**
 * evx_error_quark:
 *
 * Returns: the GQuark of the EVX_ERROR domain.
 */
GQuark evx_error_quark (void);

G_END_DECLS

#endif /* EVX_ERROR_H */
