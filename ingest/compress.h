/* compress.h - gzip-compressed evidence (zlib), expanded under a size limit. */
#ifndef EVX_COMPRESS_H
#define EVX_COMPRESS_H

#include <glib.h>

G_BEGIN_DECLS

/**
 * evx_gunzip:
 * @data: the compressed bytes (a gzip file; several gzip members one after the other
 *   are expanded one after the other, as gzip(1) does).
 * @len: length of @data in bytes.
 * @max_bytes: the most bytes the expanded content may have (0 = no limit).
 * @error: EVX_ERROR_LIMIT ("limit: expands to more than N MiB", a gzip bomb or simply
 *   too large) when the content grows past @max_bytes; EVX_ERROR_DAMAGED with zlib's
 *   reason ("damaged: gzip: incorrect data check") when the stream is corrupt or
 *   truncated.
 *
 * Returns: (transfer full) the expanded content, or NULL on error.
 */
GBytes *evx_gunzip (const guint8 *data, gsize len, guint64 max_bytes, GError **error);

G_END_DECLS

#endif /* EVX_COMPRESS_H */
