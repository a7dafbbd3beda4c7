/* record.h - (internal to index/) the stored data of passages and file records,
 * as JSON made and read with json-glib, and the terms derived from paths.
 * Declared extern "C" so that index.cc can call them.
 */
#ifndef EVX_RECORD_H
#define EVX_RECORD_H

#include <glib.h>

#include "index/index.h"
#include "ingest/document.h"

G_BEGIN_DECLS

/**
 * evx_record_file_key:
 * @path: absolute path.
 * Returns: (transfer full) the first 16 hex digits of SHA-256(@path): the key that
 *   names a file inside the index (in passage ids and EVX_PREFIX_FILE terms).
 */
char *evx_record_file_key (const char *path);

/**
 * evx_record_path_term:
 * @path: absolute path.
 * Returns: (transfer full) the EVX_PREFIX_PATH term for @path: "P" + path, or, when
 *   that would exceed Xapian's term length limit, "P#" + SHA-256(@path) in hex.
 */
char *evx_record_path_term (const char *path);

/**
 * evx_record_passage_id:
 * Returns: (transfer full) "FILEKEY-PAGE-N": the stable id of the @n-th (from 1)
 *   passage of page @page of the file with key @file_key.
 */
char *evx_record_passage_id (const char *file_key, int page, guint n);

/**
 * evx_record_passage_data:
 * Returns: (transfer full) the stored data of passage @p of @doc, with id @id.
 */
char *evx_record_passage_data (const evx_document *doc, const evx_passage *p, const char *id);

/**
 * evx_record_hit_read:
 * @data: stored data of a passage.
 * @len: its length in bytes.
 * @hit: the hit whose path, title, page, page_label, passage, text and clauses are set.
 * @error: EVX_ERROR_INVALID when @data is not what evx_record_passage_data() makes.
 * Returns: TRUE on success.
 */
gboolean evx_record_hit_read (const char *data, gsize len, evx_hit *hit, GError **error);

/** evx_hit_free: frees @hit and its fields; NULL is accepted. */
void evx_hit_free (evx_hit *hit);

/**
 * evx_record_file_data:
 * Returns: (transfer full) the stored data of file record @rec.
 */
char *evx_record_file_data (const evx_file_record *rec);

/**
 * evx_record_file_read:
 * @error: EVX_ERROR_INVALID when @data is not a file record.
 * Returns: (transfer full) the record, or NULL on error.
 */
evx_file_record *evx_record_file_read (const char *data, gsize len, GError **error);

/**
 * evx_record_file_stat_value:
 * Returns: (transfer full) the EVX_SLOT_FILE_STAT value of @rec:
 *   "SIZE MTIME_NS CTIME_NS STATUS SHA256" (SHA256 "-" when unknown).
 */
char *evx_record_file_stat_value (const evx_file_record *rec);

/**
 * evx_record_file_stat_parse:
 * @value: an EVX_SLOT_FILE_STAT value.
 * @st: (out) filled in; st->sha256 is newly allocated (or NULL).
 * Returns: FALSE when @value is malformed (@st is then untouched).
 */
gboolean evx_record_file_stat_parse (const char *value, evx_file_stat *st);

/**
 * evx_record_passage_retarget:
 * @data: stored data of a passage.
 * @len: its length in bytes.
 * @path: the new path.
 * @id: the new passage id.
 * @error: EVX_ERROR_INVALID when @data is not a passage.
 * Returns: (transfer full) the same data with the new path and id, or NULL on error.
 */
char *evx_record_passage_retarget (const char *data, gsize len, const char *path, const char *id,
                                   GError **error);

/**
 * evx_record_roots_read:
 * @value: (nullable) the EVX_METADATA_ROOTS value (a JSON array of strings; a root
 *   whose path is not UTF-8 is stored as "base64:" and its bytes).
 * @error: EVX_ERROR_INVALID when @value is not such an array.
 * Returns: (transfer full) (array zero-terminated=1) the roots as file names (none
 *   when @value is NULL or empty), or NULL on error; free with g_strfreev().
 */
char **evx_record_roots_read (const char *value, GError **error);

/**
 * evx_record_roots_merge:
 * @old: (nullable) (array zero-terminated=1) recorded roots.
 * @added: (array zero-terminated=1) roots to add (file names, any bytes): one inside a
 *   recorded root is left out; a recorded root inside an added one is replaced by it.
 * Returns: (transfer full) the new EVX_METADATA_ROOTS value.
 */
char *evx_record_roots_merge (const char *const *old, const char *const *added);

G_END_DECLS

#endif /* EVX_RECORD_H */
