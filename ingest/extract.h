/* extract.h - one file to one clause-tagged evx_document, whatever its format.
 *
 * This is the stage that reads untrusted bytes; callers that must survive hostile
 * files run it through worker.h, in a child process with limits.
 */
#ifndef EVX_EXTRACT_H
#define EVX_EXTRACT_H

#include <glib.h>

#include "ingest/catalog.h"
#include "ingest/document.h"

G_BEGIN_DECLS

/**
 * evx_extract_sniff:
 * @head: the first bytes of a file.
 * @len: number of bytes in @head (up to 4096 are looked at).
 *
 * Recognises the type from the content (magic bytes), never from the file name.
 *
 * Returns: (transfer full) a MIME type: "application/pdf" for PDF, "text/plain" for
 *   any text GIO recognises, else the type GIO guesses from the content
 *   ("application/zip", "application/xml", ...), or "application/octet-stream";
 *   free with g_free().
 */
char *evx_extract_sniff (const guchar *head, gsize len);

/**
 * evx_extract_file:
 * @path: absolute path of the file.
 * @cat: the clause catalog used to tag passages.
 * @error: EVX_ERROR_IO when the file cannot be read; EVX_ERROR_UNSUPPORTED when its
 *   content is of a type this version does not extract (the message is
 *   "unsupported type: MIME"); the errors of evx_pdf_extract() for PDFs.
 *
 * Extracts the text of @path, cuts it into passages and tags them with clauses.
 *
 * Returns: (transfer full) the document, or NULL on error; free with evx_document_free().
 */
evx_document *evx_extract_file (const char *path, const evx_catalog *cat, GError **error);

G_END_DECLS

#endif /* EVX_EXTRACT_H */
