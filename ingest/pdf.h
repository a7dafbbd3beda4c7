/* pdf.h - text extraction from PDF files with poppler-glib. */
#ifndef EVX_PDF_H
#define EVX_PDF_H

#include <glib.h>

#include "ingest/passage.h"

G_BEGIN_DECLS

/**
 * evx_pdf_extract:
 * @bytes: the content of a PDF file.
 * @password: (nullable) user or owner password, or NULL to try none (a file with only
 *   an owner password, which restricts printing or copying, opens without one).
 * @max_pages: the most pages a document may have (0 = no limit).
 * @meta: the document to fill with metadata (title, author, producer, created,
 *   page_count, pages_without_text, mime_type); its page_texts and passages are left
 *   alone.
 * @pages: (out) (transfer full) (element-type evx_page_layout) one layout per page,
 *   in page order: the lines of text in poppler's reading order, with geometry
 *   (points) and font; a page without a text layer has no lines; free with
 *   g_ptr_array_unref().
 * @error: EVX_ERROR_ENCRYPTED ("encrypted: password required", or "encrypted: wrong
 *   password" when @password does not open it); EVX_ERROR_DAMAGED with poppler's
 *   reason when poppler cannot open it (including files that are not PDFs);
 *   EVX_ERROR_NO_PAGES when it opens but reports no pages; EVX_ERROR_LIMIT when it has
 *   more than @max_pages pages.
 *
 * A damaged file that poppler can repair (a broken or missing cross-reference table,
 * a truncated end) gives the pages poppler recovers.
 *
 * Returns: TRUE on success.
 */
gboolean evx_pdf_extract (GBytes *bytes, const char *password, int max_pages,
                          evx_document *meta, GPtrArray **pages, GError **error);

/**
 * evx_pdf_build:
 * @objects: the bodies of objects 1 to @n_objects ("<< /Type /Catalog /Pages 2 0 R >>",
 *   ...); object 1 must be the catalog.
 * @n_objects: how many.
 *
 * A PDF 1.4 file of those objects with a correct cross-reference table: for the
 * one-page PDF of evx_pdf_prepare() and for tests that need a PDF of a given shape.
 *
 * Returns: (transfer full) the file's bytes; free with g_bytes_unref().
 */
GBytes *evx_pdf_build (const char *const *objects, guint n_objects);

/**
 * evx_pdf_prepare:
 *
 * Opens a one-page PDF made in memory, reads its text and keeps it open for the life of
 * the process, so that poppler's global state (its GlobalParams: font and encoding
 * tables, otherwise built for every document and deleted with it) is built once; a
 * process that forks workers calls it first, and each worker inherits it.  Calls after
 * the first do nothing.
 */
void evx_pdf_prepare (void);

G_END_DECLS

#endif /* EVX_PDF_H */
