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
 * @EVX_INDEX_UPDATE: the single writer of an index that must exist (refresh: a
 *   mistyped --db is an error, not a new empty index).
 */
typedef enum {
    EVX_INDEX_READ,
    EVX_INDEX_WRITE,
    EVX_INDEX_UPDATE,
} evx_index_mode;

/**
 * evx_file_status:
 * @EVX_FILE_INDEXED: the file's passages are in the index.
 * @EVX_FILE_FAILED: extraction failed for a reason that lies in the file (damaged,
 *   encrypted, over a limit, crashed its worker); it is not tried again until it
 *   changes (or `--retry-failed`).
 * @EVX_FILE_SKIPPED: its type is not extracted; not looked at again until it changes.
 */
typedef enum {
    EVX_FILE_INDEXED = 0,
    EVX_FILE_FAILED,
    EVX_FILE_SKIPPED,
} evx_file_status;

/**
 * evx_file_record:
 * @path: absolute path of the source file; owned.
 * @size: file size in bytes.
 * @mtime: modification time, seconds since the Unix epoch.
 * @mtime_ns: modification time in nanoseconds since the Unix epoch (-1 when unknown:
 *   a record written by an older version).
 * @ctime_ns: status-change time in nanoseconds since the Unix epoch (-1 when unknown).
 *   A file restored with an older mtime still gets a new ctime.
 * @sha256: (nullable) SHA-256 of the content, 64 lower-case hex digits (NULL only for
 *   a failed file that could not be read); owned.
 * @mime_type: content type as detected; owned.
 * @title: (nullable) document title from its metadata; owned.
 * @author: (nullable) author from the document's metadata; owned.
 * @producer: (nullable) producing program from the document's metadata; owned.
 * @created: creation date from the metadata, seconds since the Unix epoch, or -1.
 * @page_count: number of pages.
 * @passages: number of passages indexed for the file.
 * @status: whether the file is indexed, failed or skipped.
 * @reason: (nullable) why it failed or was skipped; owned.
 * @doc_type: (nullable) the kind of document ("certificate", "audit-report",
 *   "policy", "plan", "procedure", "other"; see ingest/doctype.h); owned.
 * @certificate: (nullable) a certificate's fields (ingest/certificate.h); owned.
 * @edition: the ISO 22301 edition the document is read in (2012 or 2019; 0 unknown).
 * @dev: the device (file system) that held the file's folder, its st_dev; -1 when
 *   unknown (a record written by an older version).
 * @mount_point: (nullable) where the mount that held the file's folder begins, relative
 *   to the file's root: "/" at the root, "/a/b" at ROOT/a/b, "^" above the root (the
 *   root is no mount point); NULL when unknown; owned.  A refresh tells an emptied
 *   folder from an unmounted one by it and @dev.
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
    gint64 mtime_ns;
    gint64 ctime_ns;
    evx_file_status status;
    char *reason;
    char *doc_type;
    evx_certificate *certificate;
    int edition;
    gint64 dev;
    char *mount_point;
} evx_file_record;

/**
 * evx_file_stat:
 * @size: file size in bytes.
 * @mtime_ns: modification time in nanoseconds (-1 unknown).
 * @ctime_ns: status-change time in nanoseconds (-1 unknown).
 * @status: indexed, failed or skipped.
 * @sha256: (nullable) 64 hex digits, or NULL; owned by the table that holds it.
 * @dev: the device that held the file (st_dev), or -1 when unknown.
 * @mount_point: (nullable) as evx_file_record.mount_point; owned by the table.
 *
 * What a refresh compares with the file system, for every file, without reading the
 * full record.
 */
typedef struct {
    gint64 size;
    gint64 mtime_ns;
    gint64 ctime_ns;
    evx_file_status status;
    char *sha256;
    gint64 dev;
    char *mount_point;
} evx_file_stat;

/** evx_file_status_name: "indexed", "failed" or "skipped" (static string). */
const char *evx_file_status_name (evx_file_status status);

/** evx_file_record_free: frees @rec and its strings; NULL is accepted. */
void evx_file_record_free (evx_file_record *rec);

/**
 * evx_index_open:
 * @path: the index folder.
 * @mode: read, write, or update (write an index that exists).
 * @error: EVX_ERROR_NOT_FOUND when @mode is EVX_INDEX_READ or EVX_INDEX_UPDATE and there
 *   is no index at @path; EVX_ERROR_INVALID when @path is a stub database file (a
 *   writer writes one shard's folder; readers of a stub use evx_index_open_read()); EVX_ERROR_LOCKED when @mode is a writer's and another process
 *   holds the index (callers that wait poll again); EVX_ERROR_INVALID also when @path
 *   holds documents none of which evidex wrote (another program's Xapian index) or, to
 *   write, when it is a folder of other files; EVX_ERROR_IO when the folder cannot be
 *   created, or its lock cannot be taken for another reason ("cannot lock the index PATH
 *   for writing: Couldn't open lockfile: Permission denied"); EVX_ERROR_INDEX for
 *   anything else Xapian reports.
 *
 * Returns: (transfer full) the index, or NULL on error; close with evx_index_close().
 */
evx_index *evx_index_open (const char *path, evx_index_mode mode, GError **error);

/** Seconds a remote shard has to answer when evx_read_options.timeout_s is 0. */
#define EVX_REMOTE_TIMEOUT_S 10.0

/**
 * evx_read_options:
 * @timeout_s: seconds a remote shard has to accept the connection and to answer each
 *   request (0: EVX_REMOTE_TIMEOUT_S).
 * @partial: when some shards do not answer, read the others (evx_index_missing_shards()
 *   names the missing ones) instead of failing; it still fails when none answers.
 */
typedef struct {
    double timeout_s;
    gboolean partial;
} evx_read_options;

/**
 * evx_index_open_read:
 * @path: an index folder, or a Xapian stub database file listing shards.
 * @opts: (nullable) timeout and partial results, for a stub (NULL: defaults, not partial).
 * @error: as evx_index_open() for a folder; for a stub, EVX_ERROR_IO when it cannot be
 *   read, EVX_ERROR_INVALID with "PATH:LINE: reason" when a line is malformed or the
 *   file names no shard, EVX_ERROR_SHARD naming each shard that did not answer (every
 *   one with @opts->partial).
 *
 * Opens an index for reading.  A stub database file (Xapian's format: one shard per
 * line, "auto PATH" (or "glass PATH", "chert PATH") for an index folder, relative to
 * the stub's folder unless absolute, "remote HOST:PORT" for a shard served by
 * xapian-tcpsrv, "remote :PROGRAM ARGS" for one reached through a program such as
 * ssh running xapian-progsrv; blank lines and lines starting with '#' ignored) is
 * opened shard by shard, so that one that does not answer is named, then searched as
 * one database: Xapian merges the shards' statistics, so that the ranking is the one
 * a single index of all their files would give.
 *
 * Returns: (transfer full) the index, or NULL on error; close with evx_index_close().
 */
evx_index *evx_index_open_read (const char *path, const evx_read_options *opts, GError **error);

/**
 * evx_index_shard_count:
 * @idx: the index.
 * Returns: the number of shards a stub lists (answering or not); 1 for an index folder.
 */
guint evx_index_shard_count (evx_index *idx);

/**
 * evx_index_missing_shards:
 * @idx: the index.
 *
 * The shards of a stub opened with evx_read_options.partial that did not answer, each
 * as the stub's line names it ("remote 10.0.0.2:33333"), in the stub's order.  A shard
 * that stops answering during a search is added here when the search is retried
 * without it.
 *
 * Returns: (transfer full) (array zero-terminated=1) the names (empty when every shard
 *   answered, and for an index folder); g_strfreev().
 */
char **evx_index_missing_shards (evx_index *idx);

/**
 * evx_index_local_folders:
 * @idx: the index.
 * Returns: (transfer full) (array zero-terminated=1) the index folders on this machine:
 *   the index's own, or a stub's local shards that answered; g_strfreev().
 */
char **evx_index_local_folders (evx_index *idx);

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
 * evx_index_encode_passages:
 * @doc: the extracted document; doc->path is the path the index names the file by.
 * @error: EVX_ERROR_INDEX, EVX_ERROR_NO_MEMORY.
 *
 * Builds the Xapian documents evx_index_put_document() would add for @doc's passages
 * (terms, positions, values, stored data) without an index, and returns them
 * serialised with the file's clause terms: the work a worker process does so that the
 * one writer only adds them (evx_index_put_encoded()).
 *
 * Returns: (transfer full) the encoded passages, or NULL on error; free with
 *   g_bytes_unref().
 */
GBytes *evx_index_encode_passages (const evx_document *doc, GError **error);

/**
 * evx_index_put_encoded:
 * @idx: a writer.
 * @doc: the document's metadata (type, edition, certificate; its passages are not read).
 * @passages: what evx_index_encode_passages() made of the same document.
 * @rec: the file's record; rec->passages is ignored and set from @passages.
 * @n_passages: (out) (optional) the number of passages added.
 * @error: EVX_ERROR_INVALID when @passages is malformed, or holds a passage that does
 *   not belong to @rec->path, a file record, or stored data a search could not read
 *   back (nothing is written then: the file keeps what it had);
 *   EVX_ERROR_INDEX, EVX_ERROR_NO_MEMORY.
 *
 * evx_index_put_document() for passages encoded elsewhere: removes the file's old
 * passages, adds the encoded ones and writes its file record.  Not committed until
 * evx_index_commit().
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_put_encoded (evx_index *idx, const evx_document *doc, GBytes *passages,
                                const evx_file_record *rec, guint *n_passages, GError **error);

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
 * evx_index_put_problem:
 * @idx: a writer.
 * @rec: a record whose status is EVX_FILE_FAILED or EVX_FILE_SKIPPED, with its reason.
 * @error: EVX_ERROR_INDEX.
 *
 * Remembers a file that could not be indexed: removes any passages it had and writes
 * its record (passages 0).  Not committed until evx_index_commit().
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_put_problem (evx_index *idx, const evx_file_record *rec, GError **error);

/**
 * evx_index_move_file:
 * @idx: a writer.
 * @from: the path the file had.
 * @rec: its record under the new path (rec->path), with the new size and times; the
 *   passages count is taken from the old record.
 * @error: EVX_ERROR_NOT_FOUND when @from has no record; EVX_ERROR_INDEX.
 *
 * Moves a file's passages and record to a new path without extracting it again: each
 * passage is rewritten with the new path, file key and passage id (its text terms,
 * positions, clause terms and values are copied).  Not committed until
 * evx_index_commit().
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_move_file (evx_index *idx, const char *from, const evx_file_record *rec,
                              GError **error);

/**
 * evx_index_list_files:
 * @idx: the index.
 * @out: (out) (transfer full) (element-type utf8 evx_file_stat) every file record:
 *   path to its stat; free with g_hash_table_unref().
 * @error: EVX_ERROR_INDEX, EVX_ERROR_INVALID.
 *
 * Reads the size, times, status and SHA-256 of every file record from a value slot,
 * without parsing the records (records written by an older version are parsed).
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_list_files (evx_index *idx, GHashTable **out, GError **error);

/**
 * evx_index_list_records:
 * @idx: the index.
 * @doc_type: the kind of document ("certificate", ...).
 * @out: (out) (transfer full) (element-type evx_file_record) the records of the
 *   indexed files of that kind, in no particular order; free with g_ptr_array_unref().
 * @error: EVX_ERROR_INDEX, EVX_ERROR_INVALID.
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_list_records (evx_index *idx, const char *doc_type, GPtrArray **out,
                                 GError **error);

/**
 * evx_index_file_passages:
 * @idx: the index.
 * @path: a file's path as recorded.
 * @out: (out) (transfer full) (element-type evx_hit) its passages in reading order
 *   (rank and score 0, no snippet); free with g_ptr_array_unref().
 * @error: EVX_ERROR_INDEX, EVX_ERROR_INVALID.
 *
 * Returns: TRUE on success (an empty array for a file with no passages or no record).
 */
gboolean evx_index_file_passages (evx_index *idx, const char *path, GPtrArray **out,
                                  GError **error);

/**
 * evx_index_get_metadata:
 * @idx: the index.
 * @key: a metadata key ("evidex.last_run").
 * Returns: (transfer full) (nullable) its value, or NULL when unset or on error.
 */
char *evx_index_get_metadata (evx_index *idx, const char *key);

/**
 * evx_index_get_metadata_each:
 * @idx: the index.
 * @key: a metadata key.
 *
 * The value of @key in each shard of a stub that answered, in the stub's order (a shard
 * that stops answering now is left out); for an index folder, its one value.
 * (evx_index_get_metadata() reads a stub's first shard only, as Xapian does.)
 *
 * Returns: (transfer full) (array zero-terminated=1) the values, "" where @key is
 *   unset; g_strfreev().
 */
char **evx_index_get_metadata_each (evx_index *idx, const char *key);

/**
 * evx_index_set_metadata:
 * @idx: a writer.
 * @key: the key.
 * @value: the value (committed with the next evx_index_commit()).
 * @error: EVX_ERROR_INDEX.
 * Returns: TRUE on success.
 */
gboolean evx_index_set_metadata (evx_index *idx, const char *key, const char *value,
                                 GError **error);

/**
 * evx_index_get_roots:
 * @idx: the index.
 * @out: (out) (transfer full) (array zero-terminated=1) the roots recorded by earlier
 *   ingest runs (absolute paths as file names, in the order they were first recorded);
 *   free with g_strfreev().
 * @error: EVX_ERROR_INDEX; EVX_ERROR_INVALID when the stored roots are unreadable (then
 *   evx_index_add_roots() refuses too, rather than lose them).
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_get_roots (evx_index *idx, char ***out, GError **error);

/**
 * evx_index_add_roots:
 * @idx: a writer.
 * @roots: (array zero-terminated=1) absolute paths; those already recorded, and those
 *   inside a recorded root, are left out; a recorded root inside a new one is
 *   replaced by it.
 * @error: EVX_ERROR_INDEX.
 *
 * Records roots for `evidex refresh` (Xapian metadata "evidex.roots", JSON).  Not
 * committed until evx_index_commit().
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_add_roots (evx_index *idx, const char *const *roots, GError **error);

/**
 * evx_index_forget_root:
 * @idx: a writer.
 * @root: a recorded root, exactly as evx_index_get_roots() gives it.
 * @error: EVX_ERROR_NOT_FOUND when @root is not recorded; EVX_ERROR_INDEX.
 *
 * Stops recording @root for `evidex refresh`; the files under it stay until removed
 * (evx_index_remove_file()).  Not committed until evx_index_commit().
 *
 * Returns: TRUE on success.
 */
gboolean evx_index_forget_root (evx_index *idx, const char *root, GError **error);

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
 *   clause:ID; NULL or "" matches every passage (a filter is then expected).  A query
 *   of excluded words only ("-impact") keeps the passages without them.  Words are
 *   stemmed whatever their case ("Exercises" finds "exercise": Xapian's parser alone
 *   would take a capitalised word for a name and not stem it); curly double quotes
 *   work as straight ones.
 * @clause: (nullable) keep only passages tagged with this clause or one of its
 *   sub-clauses ("8.2" keeps 8.2.2), read in @edition; a passage tagged in the other
 *   edition is kept when its equivalent clause is (2012 8.5 "Exercising and testing"
 *   is found as 2019 8.5 "Exercise programme").
 * @edition: 2012 or 2019 (0 means 2019): the edition @clause and the query field
 *   clause:ID are read in; clause2012:ID and clause2019:ID name theirs.  Several clause
 *   fields in one query keep the passages of any of them (and all the words).  Every
 *   query field (schema.h) is also recognised with a capital first letter or in
 *   capitals ("Clause:8.2.2", "TYPE:plan").
 * @doc_type: (nullable) keep only passages of documents of this kind
 *   ("certificate", ...); the query field type:KIND does the same.
 * @commitments: keep only passages that make a commitment (modal:KEY and party:WORD
 *   select among them in the query; KEY is read in any case, and WORD's words are lowered
 *   and stemmed as indexing does, so "party:Suppliers" finds "the supplier shall").
 * @offset: number of hits to skip.
 * @limit: maximum number of hits to return.
 */
typedef struct {
    const char *query;
    const char *clause;
    int edition;
    const char *doc_type;
    gboolean commitments;
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
 * @doc_type: (nullable) the kind of document the passage is from (NULL in an index
 *   written before kinds were recorded).
 * @commitments: (element-type evx_commitment) the commitments the passage makes
 *   (ingest/commitment.h).
 * @matched: (array zero-terminated=1) (nullable) the query's words that matched the
 *   passage, as typed (a stemmed term is shown as the query words it came from); NULL
 *   when the query has no words.
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
    char *doc_type;
    char **matched;
    GPtrArray *commitments;
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
 *   parsed; when its operators or phrases do not parse and Xapian's parser would search
 *   its words alone instead ("-recovery AND plan"); for a date: value that is not a year,
 *   month or day (YYYY, YYYY-MM, YYYY-MM-DD) or a range of them; or when it uses XOR on
 *   the words and @idx is a stub of several shards (Xapian 1.4.22 crashes on it);
 *   EVX_ERROR_INDEX, EVX_ERROR_INVALID (stored data unreadable).
 *
 * Runs the query (reopening the database when a writer committed meanwhile).  A
 * wildcard ("recover*") stands for the words of the index it begins, ORed, each weighed
 * by the statistics of all shards; hits of equal weight come in EVX_SLOT_ORDER order
 * (through a stub, weights equal to 12 significant figures count as equal); so a stub
 * of shards gives the hits, order and total of one index of the same files, and a page
 * is the same piece of the ranking whatever @req->offset and @req->limit.
 *
 * Returns: (transfer full) the results, or NULL on error.
 */
evx_results *evx_index_search (evx_index *idx, const evx_search_request *req, GError **error);

/** BM25's k1 (how fast repeats of a word stop adding weight) in evx_index_search(). */
#define EVX_BM25_K1 1.0
/**
 * EVX_BM25_B:
 *
 * BM25's b (how much a long passage is marked down, 0 to 1) in evx_index_search(): 0,
 * no length normalisation.  Passages are short (at most EVX_PASSAGE_MAX_CHARS), and
 * scripts/eval-ranking ranks no worse without it than with Xapian's default 0.5
 * (nDCG@10 0.773 against 0.765, MRR 0.755 against 0.742, 495 queries), while Xapian
 * 1.4 then reads no document lengths: a third of the search time on 1,000,000
 * passages (scripts/bench-search p50 5.1 ms with b 0.5, 2.7 ms with b 0).
 */
#define EVX_BM25_B 0.0

/**
 * evx_index_set_bm25:
 * @idx: the index (reader or writer).
 * @k1: BM25's k1, >= 0.
 * @b: BM25's b, 0 to 1: 0 leaves passage lengths out of the weights.
 *
 * Sets the parameters of the BM25 weights (Robertson and Zaragoza, "The Probabilistic
 * Relevance Framework: BM25 and Beyond", 2009; Xapian::BM25Weight with k2 = 0, k3 = 1)
 * that later evx_index_search() calls on @idx rank by.  An index is opened with
 * EVX_BM25_K1 and EVX_BM25_B.  For measuring rankings (scripts/eval-ranking).
 */
void evx_index_set_bm25 (evx_index *idx, double k1, double b);

/**
 * evx_index_problem:
 * @kind: what is wrong: "orphan-passage" (a passage whose file has no record),
 *   "missing-passages" (a file record counts more passages than the index holds),
 *   "extra-passages" (fewer), "passage-data" (a passage's stored data cannot be read),
 *   "file-data" (a file record's data cannot be read), "unknown-document" (a document
 *   that is neither a passage nor a file record), "clause" (a clause term the catalog
 *   does not know: set by the caller, see evx_index_check()); a static string.
 * @path: (nullable) the file concerned (its recorded path, or its key when it has no
 *   record); owned.
 * @detail: what was found, for a person; owned.
 */
typedef struct {
    const char *kind;
    char *path;
    char *detail;
} evx_index_problem;

/** evx_index_problem_free: frees @p; NULL is accepted. */
void evx_index_problem_free (evx_index_problem *p);

/**
 * evx_index_check:
 * @idx: an index (any mode; a writer checks what it has committed and not).
 * @problems: (out) (transfer full) (element-type evx_index_problem) what is wrong, in
 *   the order found (empty when the index is consistent).
 * @clause_terms: (out) (transfer full) (array zero-terminated=1) every clause term of
 *   the index without its prefix ("2019:8.2.2"), each once, for the caller to check
 *   against the catalog; g_strfreev().
 * @files: (out) (optional) the number of file records.
 * @passages: (out) (optional) the number of passages.
 * @error: EVX_ERROR_INDEX (also when commits overtook the check 11 times),
 *   EVX_ERROR_NO_MEMORY (then nothing is set).
 *
 * Reads every file record and every passage of the last commit (a reader is moved to
 * it first): each passage must belong to a recorded file, each file record must count
 * exactly the passages that belong to it, every stored datum must be readable, and
 * every document must be a passage or a file record.  When a writer's commits overtake
 * the read (Xapian::DatabaseModifiedError), the check starts again on the newer commit,
 * up to 11 times in all.  Takes about 4 s per 100,000 passages (37 s for the 1,000,004
 * of scripts/bench-search's index).
 *
 * Returns: TRUE when the check ran (whatever it found).
 */
gboolean evx_index_check (evx_index *idx, GPtrArray **problems, char ***clause_terms,
                          guint64 *files, guint64 *passages, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_index, evx_index_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_file_record, evx_file_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_results, evx_results_free)

G_END_DECLS

#endif /* EVX_INDEX_H */
