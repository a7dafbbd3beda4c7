/* index.h - the evidex index: a Xapian database reached from C.
 *
 * Everything here is implemented in index.cc, the project's only C++ file.  Every
 * function catches every exception (Xapian::Error, std::bad_alloc, anything else)
 * and reports it as a GError in the EVX_ERROR domain; no exception crosses into C.
 *
 * Layout of the database: see schema.h.
 */
#ifndef EVX_INDEX_H
#define EVX_INDEX_H

#include <glib.h>

#include "ingest/document.h"

G_BEGIN_DECLS

typedef struct _evx_index evx_index;

/**
 * evx_index_mode:
 * @EVX_INDEX_READ: read only; the index must exist.
 * @EVX_INDEX_WRITE: the single writer; the index folder is created (mode 0700) if missing.
 */
typedef enum {
    EVX_INDEX_READ,
    EVX_INDEX_WRITE,
} evx_index_mode;

/**
 * evx_file_record:
 * @path: absolute path of the source file; owned.
 * @size: file size in bytes.
 * @mtime: modification time, seconds since the Unix epoch.
 * @sha256: SHA-256 of the content, 64 lower-case hex digits; owned.
 * @mime_type: content type as detected; owned.
 * @title: (nullable) document title from its metadata; owned.
 * @author: (nullable) author from the document's metadata; owned.
 * @producer: (nullable) producing program from the document's metadata; owned.
 * @created: creation date from the metadata, seconds since the Unix epoch, or -1.
 * @page_count: number of pages.
 * @passages: number of passages indexed for the file.
 *
 * What the index remembers of one source file.
 */
typedef struct {
    char *path;
    gint64 size;
    gint64 mtime;
    char *sha256;
    char *mime_type;
    char *title;
    char *author;
    char *producer;
    gint64 created;
    int page_count;
    guint passages;
} evx_file_record;

/** evx_file_record_free: frees @rec and its strings; NULL is accepted. */
void evx_file_record_free (evx_file_record *rec);

/**
 * evx_index_open:
 * @path: the index folder.
 * @mode: read or write.
 * @error: EVX_ERROR_NOT_FOUND when @mode is EVX_INDEX_READ and there is no index at
 *   @path; EVX_ERROR_LOCKED when @mode is EVX_INDEX_WRITE and another process holds
 *   the index; EVX_ERROR_IO when the folder cannot be created; EVX_ERROR_INDEX for
 *   anything else Xapian reports.
 *
 * Returns: (transfer full) the index, or NULL on error; close with evx_index_close().
 */
evx_index *evx_index_open (const char *path, evx_index_mode mode, GError **error);

/**
 * evx_index_close:
 * @idx: (nullable) the index.
 *
 * Closes @idx and frees it.  A writer's changes not yet committed are discarded:
 * call evx_index_commit() first to keep them.
 */
void evx_index_close (evx_index *idx);

/**
 * evx_index_commit:
 * @idx: a writer.
 * @error: EVX_ERROR_INDEX (or EVX_ERROR_NO_MEMORY) when Xapian fails.
 *
 * Makes every change since the last commit visible to readers, atomically.
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_commit (evx_index *idx, GError **error);

/**
 * evx_index_get_file:
 * @idx: the index.
 * @path: absolute path.
 * @out: (out) (transfer full) the record, or NULL when @path is not in the index.
 * @error: EVX_ERROR_INDEX, EVX_ERROR_INVALID (stored record unreadable).
 *
 * Returns: TRUE on success (whether or not a record was found).
 */
gboolean evx_index_get_file (evx_index *idx, const char *path, evx_file_record **out,
                             GError **error);

/**
 * evx_index_put_document:
 * @idx: a writer.
 * @doc: the extracted document; doc->path must equal @rec->path.
 * @rec: the file's record; rec->passages is ignored and set from @doc.
 * @error: EVX_ERROR_INDEX, EVX_ERROR_NO_MEMORY.
 *
 * Replaces everything indexed for the file: removes all its old passages, adds one
 * Xapian document per passage of @doc (free text with positions and English
 * stemming; filter terms for clause and ancestors, path and type; stored data to
 * print a hit) and writes its file record.  Not committed until evx_index_commit().
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_put_document (evx_index *idx, const evx_document *doc,
                                 const evx_file_record *rec, GError **error);

/**
 * evx_index_put_file_record:
 * @idx: a writer.
 * @rec: the record; rec->passages is kept from the stored record.
 * @error: EVX_ERROR_NOT_FOUND when the file has no record yet; EVX_ERROR_INDEX.
 *
 * Updates a file's stored metadata (size, mtime) without touching its passages.
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_put_file_record (evx_index *idx, const evx_file_record *rec, GError **error);

/**
 * evx_index_remove_file:
 * @idx: a writer.
 * @path: absolute path.
 * @error: EVX_ERROR_INDEX.
 *
 * Removes every passage of @path and its file record (nothing when it has none).
 * Not committed until evx_index_commit().
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_remove_file (evx_index *idx, const char *path, GError **error);

/**
 * evx_index_counts:
 * @idx: the index.
 * @files: (out) (optional) number of file records.
 * @passages: (out) (optional) number of passages.
 * @error: EVX_ERROR_INDEX.
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_counts (evx_index *idx, guint64 *files, guint64 *passages, GError **error);

/**
 * evx_index_clause_counts:
 * @idx: an open index.
 * @id: a clause number ("8.2.2").
 * @edition: 2012 or 2019: the edition @id is read in.
 * @passages: (out) (optional) passages tagged with @id or a sub-clause of it, directly
 *   or through the equivalent clause of the other edition.
 * @documents: (out) (optional) files with at least one such passage.
 * @error: EVX_ERROR_INDEX.
 *
 * Counts what `evidex search --clause ID --edition EDITION` would find.
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_clause_counts (evx_index *idx, const char *id, int edition,
                                  guint64 *passages, guint64 *documents, GError **error);

/** Up to this many matches, evx_results.total is exact; beyond, Xapian's estimate. */
#define EVX_EXACT_TOTAL 10000

/**
 * evx_search_request:
 * @query: (nullable) the query in Xapian QueryParser syntax: words (stemmed,
 *   all required), "phrases", AND/OR/NOT, +must -mustnot, word*, and the field
 *   clause:ID; NULL or "" matches every passage (a filter is then expected).
 * @clause: (nullable) keep only passages tagged with this clause or one of its
 *   sub-clauses ("8.2" keeps 8.2.2), read in @edition; a passage tagged in the other
 *   edition is kept when its equivalent clause is (2012 8.5 "Exercising and testing"
 *   is found as 2019 8.5 "Exercise programme").
 * @edition: 2012 or 2019 (0 means 2019): the edition @clause and the query field
 *   clause:ID are read in; clause2012:ID and clause2019:ID name theirs.  Several clause
 *   fields in one query keep the passages of any of them (and all the words).
 * @offset: number of hits to skip.
 * @limit: maximum number of hits to return.
 */
typedef struct {
    const char *query;
    const char *clause;
    int edition;
    guint offset;
    guint limit;
} evx_search_request;

/**
 * evx_hit:
 * @rank: position in the ranking, from 1.
 * @score: Xapian's BM25 weight.
 * @path: absolute path of the source file.
 * @title: (nullable) document title.
 * @page: page number from 1, 0 when unknown.
 * @page_label: (nullable) printed page label.
 * @passage: stable passage id ("FILEKEY-PAGE-N").
 * @text: the passage text.
 * @snippet: an HTML fragment of the passage around the matches: text escaped
 *   (&amp; &lt; &gt;), matched terms in <mark>...</mark>, cuts marked "…".
 * @clauses: (element-type evx_clause_tag) the passage's clauses.
 *
 * One search result; every field is owned by the hit.
 */
typedef struct {
    int rank;
    double score;
    char *path;
    char *title;
    int page;
    char *page_label;
    char *passage;
    char *text;
    char *snippet;
    GPtrArray *clauses;
} evx_hit;

/**
 * evx_results:
 * @total: the number of matching passages: exact up to EVX_EXACT_TOTAL, above it
 *   Xapian's estimate.
 * @hits: (element-type evx_hit) the hits, best first.
 */
typedef struct {
    guint64 total;
    GPtrArray *hits;
} evx_results;

/** evx_results_free: frees @res and its hits; NULL is accepted. */
void evx_results_free (evx_results *res);

/**
 * evx_index_search:
 * @idx: the index (reader or writer).
 * @req: the request.
 * @error: EVX_ERROR_QUERY_SYNTAX with the parser's message when @req->query cannot be
 *   parsed; EVX_ERROR_INDEX, EVX_ERROR_INVALID (stored data unreadable).
 *
 * Runs the query (reopening the database when a writer committed meanwhile).
 *
 * Returns: (transfer full) the results, or NULL on error.
 */
evx_results *evx_index_search (evx_index *idx, const evx_search_request *req, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_index, evx_index_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_file_record, evx_file_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_results, evx_results_free)

G_END_DECLS

#endif /* EVX_INDEX_H */
