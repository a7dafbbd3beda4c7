/* office.h - Word (DOCX) and OpenDocument text (ODT) files: the zip container read
 * with zlib's minizip, the document XML with libxml2.
 */
#ifndef EVX_OFFICE_H
#define EVX_OFFICE_H

#include <glib.h>

#include "ingest/document.h"

G_BEGIN_DECLS

#define EVX_MIME_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define EVX_MIME_ODT "application/vnd.oasis.opendocument.text"

/**
 * evx_office_extract:
 * @data: the bytes of a zip file.
 * @len: length of @data in bytes.
 * @max_bytes: the most bytes any one member of the zip may expand to (0 = no limit).
 * @doc: the document to fill: mime_type (EVX_MIME_DOCX or EVX_MIME_ODT), title (from
 *   docProps/core.xml or meta.xml), page_texts and passages (page 0: the page breaks
 *   of a word processor are not in the file).
 * @mime_type: (out) (transfer full) (optional) what the zip holds: EVX_MIME_DOCX,
 *   EVX_MIME_ODT, another OpenDocument type as its "mimetype" member names it, the
 *   XLSX or PPTX type (a zip with xl/workbook.xml or ppt/presentation.xml), or
 *   "application/zip"; set on failure too; free with g_free().
 * @error: EVX_ERROR_UNSUPPORTED ("unsupported type: MIME", and for XLSX and PPTX
 *   "unsupported type: MIME (spreadsheet, XLSX)" or "(presentation, PPTX)") for a zip
 *   that holds no word-processing document; EVX_ERROR_DAMAGED with the reason when the
 *   zip's central directory, a member's data or its CRC, or the document XML
 *   (word/document.xml, word/footnotes.xml, word/endnotes.xml, content.xml) is broken;
 *   EVX_ERROR_LIMIT when a member expands past @max_bytes (a zip bomb).
 *
 * Word files may use the transitional or the strict OOXML namespace.
 *
 * Paragraphs are blocks; Word paragraphs in a style named "heading N" or "Title" (or
 * with an outline level), and ODF text:h, are headings; each table row is a block with
 * its cells separated by " | ".  The paragraphs of a Word text box are blocks of their
 * own, after the paragraph that anchors the box; of an mc:AlternateContent only the
 * first mc:Choice is read (its mc:Fallback when it has none).  Footnotes and endnotes
 * are blocks after the body's (Word's from word/footnotes.xml, then word/endnotes.xml,
 * without the separator notes; ODF's text:note bodies in the order they are cited);
 * their citation marks are not text.  Word tabs and line breaks separate words, a
 * non-breaking hyphen is "-" and an optional (soft) hyphen is nothing.
 *
 * Deleted tracked changes, the source of tracked moves (w:moveFrom; the text is read
 * where it moved to), comments and field codes are not text, nor is hidden text: Word
 * runs with w:vanish or w:specVanish, and ODF sections with text:display="none",
 * paragraphs and spans in a style (of content.xml or styles.xml) whose text properties
 * say text:display="none", and hidden-text and hidden-paragraph fields that are hidden
 * (a section shown under a condition is read).
 *
 * Returns: TRUE on success.
 */
gboolean evx_office_extract (const guint8 *data, gsize len, guint64 max_bytes, evx_document *doc,
                             char **mime_type, GError **error);

G_END_DECLS

#endif /* EVX_OFFICE_H */
