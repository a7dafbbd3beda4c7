/* pdf.h - text extraction from PDF files with poppler-glib. */
#ifndef EVX_PDF_H
#define EVX_PDF_H

#include <glib.h>

#include "ingest/passage.h"

G_BEGIN_DECLS

/**
 * evx_pdf_extract:
 * @path: path of a PDF file (absolute or relative to the working directory).
 * @password: (nullable) user or owner password, or NULL to try none.
 * @meta: the document to fill with metadata (title, author, producer, created,
 *   page_count, mime_type); its page_texts and passages are left alone.
 * @pages: (out) (transfer full) (element-type evx_page_layout) one layout per page,
 *   in page order: the lines of text in poppler's reading order, with geometry
 *   (points) and font; free with g_ptr_array_unref().
 * @error: EVX_ERROR_ENCRYPTED ("encrypted: password required") when the file needs a
 *   password that was not given or is wrong; EVX_ERROR_DAMAGED with poppler's reason
 *   when poppler cannot open it (including files that are not PDFs); EVX_ERROR_NO_PAGES
 *   when it opens but reports no pages.
 *
 * Returns: TRUE on success.
 */
gboolean evx_pdf_extract (const char *path, const char *password, evx_document *meta,
                          GPtrArray **pages, GError **error);

G_END_DECLS

#endif /* EVX_PDF_H */
