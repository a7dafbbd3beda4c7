/* extract.h - one file to one clause-tagged evx_document, whatever its format.
 *
 * The type is recognised from the content (magic bytes and markup), never from the
 * file name: PDF (pdf.h), HTML and XML (markup.h), DOCX and ODT (office.h), plain
 * text and Markdown (plaintext.h), and gzip-compressed copies of any of these
 * (compress.h).
 *
 * This is the stage that reads untrusted bytes; callers that must survive hostile
 * files run it through worker.h, in a child process with limits.
 */
#ifndef EVX_EXTRACT_H
#define EVX_EXTRACT_H

#include <glib.h>
#include <sys/stat.h>

#include "ingest/catalog.h"
#include "ingest/document.h"

G_BEGIN_DECLS

/**
 * evx_file_identity:
 * @dev: stat's st_dev.
 * @ino: stat's st_ino.
 * @size: st_size, in bytes.
 * @mtime_ns: st_mtim in nanoseconds.
 *
 * A file as a walk found it; all zero for none.  Device and inode name it; size and
 * modification time let a file system whose inode numbers are not stable (FUSE without
 * use_ino, CIFS with noserverino) still recognise it, when the name is no symbolic link.
 */
typedef struct {
    guint64 dev;
    guint64 ino;
    gint64 size;
    gint64 mtime_ns;
} evx_file_identity;

/**
 * evx_extract_options:
 * @password: (nullable) the password to open an encrypted PDF with, or NULL.
 * @max_bytes: the largest file, and the largest content a gzip file or a zip member
 *   may expand to, in bytes (0 = no limit).
 * @max_pages: the most pages a PDF may have (0 = no limit).
 * @expect: the file the path must still name, as a walk found it, or all zero for
 *   whatever it names.  A file replaced under its name since (by a symbolic link to a
 *   file elsewhere, a FIFO, a device) is not read: the extraction fails with
 *   EVX_ERROR_IO (evx_extract_open()).
 */
typedef struct {
    const char *password;
    guint64 max_bytes;
    int max_pages;
    evx_file_identity expect;
} evx_extract_options;

/** Title, author and producer are cut to this many characters. */
#define EVX_METADATA_MAX_CHARS 300

/** Defaults: files and expanded content up to 256 MiB, PDFs up to 10,000 pages. */
#define EVX_EXTRACT_DEFAULT_MAX_BYTES (G_GUINT64_CONSTANT (256) << 20)
#define EVX_EXTRACT_DEFAULT_MAX_PAGES 10000

/**
 * evx_extract_size_limit_message:
 * @size: the file's size, in bytes.
 * @max_bytes: the limit it is over, in bytes (--max-file-size).
 *
 * Returns: (transfer full) "limit: the file is 2.0 MiB (2097162 bytes), more than 1 MiB
 *   (--max-file-size)": the size in MiB (1 MiB = 1,048,576 bytes), cut to one decimal,
 *   and in bytes, so that a file just over the limit never reads as "1 MiB, more than
 *   1 MiB".
 */
char *evx_extract_size_limit_message (guint64 size, guint64 max_bytes);

/**
 * evx_extract_open:
 * @path: a file's path.
 * @expect: (nullable) the file @path must still name, or NULL (or all zero) for whatever
 *   it names: the same device and inode, or, when @path is no symbolic link, the same
 *   size and modification time.
 * @max_bytes: the largest the file may be now, in bytes (0 = no limit).
 * @st: (out) the open file's stat.
 * @error: EVX_ERROR_IO: "cannot open: REASON", or "cannot read: changed during the
 *   run: no longer a regular file" (a FIFO, a device: it is opened without waiting,
 *   so a FIFO does not block) or "... another file now has its name" (a symbolic link
 *   or another file put under the name since @expect was taken); EVX_ERROR_LIMIT: the
 *   message of evx_extract_size_limit_message() (the file may have grown since the walk).
 *
 * Opens a file to read it, checked by its descriptor, so that what a walk found and
 * what is read are the same file.
 *
 * Returns: a read-only descriptor (close it), or -1 with @error set.
 */
int evx_extract_open (const char *path, const evx_file_identity *expect, guint64 max_bytes,
                      struct stat *st, GError **error);

/**
 * evx_extract_sniff:
 * @head: the first bytes of a file.
 * @len: number of bytes in @head (up to 4096 are looked at).
 *
 * Recognises the type from the content (magic bytes and markup), never from the file
 * name.  The zip and text types are refined by evx_extract_file() once it has read
 * the whole file (DOCX, ODT; Markdown).
 *
 * Returns: (transfer full) a MIME type: "application/pdf", "application/gzip",
 *   "application/zip", "text/html" (HTML and XHTML pages, and text that starts with an
 *   HTML element's start tag, "<p align=center>": evx_extract_file() reads it as
 *   Markdown when cmark finds a heading in the whole file, evx_plaintext_is_markdown()), "application/xml" (other markup that starts
 *   with an XML declaration, a comment, a DOCTYPE or another start tag),
 *   "text/plain" (text in UTF-8, or in UTF-16 with or without a byte-order mark;
 *   anything GIO calls text or mail; text with at most 1 byte in 10 broken), else the
 *   type GIO guesses from the content, or "application/octet-stream"; free with g_free().
 */
char *evx_extract_sniff (const guchar *head, gsize len);

/**
 * evx_extract_file_with:
 * @path: absolute path of the file.
 * @opts: (nullable) options, or NULL for the defaults (no password).
 * @cat: the clause catalog used to tag passages.
 * @mime_type: (out) (optional) (transfer full) the detected type, set on failure too
 *   when it is known (the type inside a gzip file when that could be expanded);
 *   free with g_free().
 * @error: EVX_ERROR_IO when the file cannot be read; EVX_ERROR_UNSUPPORTED when its
 *   content is of a type this version does not extract (the message is
 *   "unsupported type: MIME"); EVX_ERROR_LIMIT when the file, or what it expands to,
 *   is larger than @opts->max_bytes; the errors of evx_pdf_extract(),
 *   evx_markup_extract_html(), evx_markup_extract_xml(), evx_office_extract() and
 *   evx_gunzip().
 *
 * Extracts the text of @path, cuts it into passages and tags them with clauses.  A
 * gzip file is expanded and its content recognised again (up to two gzip layers);
 * the document's container is then "application/gzip".  Markup in which libxml2
 * finds no element is read as plain text.  Title, author and producer are
 * normalised and cut to EVX_METADATA_MAX_CHARS characters.
 *
 * Returns: (transfer full) the document, or NULL on error; free with evx_document_free().
 */
evx_document *evx_extract_file_with (const char *path, const evx_extract_options *opts,
                                     const evx_catalog *cat, char **mime_type, GError **error);

/**
 * evx_extract_prepare:
 * @cat: the clause catalog.
 *
 * Does once, in the calling process, the work that the first extraction of every
 * process would otherwise repeat: the catalog's vocabulary, the compiled patterns of
 * clause references, editions, page numbers, kinds of document, certificate fields and
 * commitments, GIO's MIME database.  A parent that forks one worker per
 * file calls it before the first fork, so every worker inherits the result.
 */
void evx_extract_prepare (const evx_catalog *cat);

/**
 * evx_extract_file:
 *
 * evx_extract_file_with() with the default options and no type out-parameter.
 */
evx_document *evx_extract_file (const char *path, const evx_catalog *cat, GError **error);

G_END_DECLS

#endif /* EVX_EXTRACT_H */
