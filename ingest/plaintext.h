/* plaintext.h - plain text and Markdown to passages (Markdown read with cmark,
 * the CommonMark reference library). */
#ifndef EVX_PLAINTEXT_H
#define EVX_PLAINTEXT_H

#include <glib.h>

#include "ingest/document.h"

G_BEGIN_DECLS

/**
 * evx_plaintext_decode:
 * @data: the file's bytes.
 * @len: length of @data in bytes.
 * @invalid: (out) number of bytes that were not valid UTF-8 and became U+FFFD.
 *
 * Reads @data as UTF-8 (a UTF-8 byte-order mark is dropped; a UTF-16 one, or
 * UTF-16 text as evx_plaintext_utf16_order() recognises it, makes it read as UTF-16).
 * NUL bytes become spaces.
 *
 * Returns: (transfer full) valid UTF-8 text; free with g_free().
 */
char *evx_plaintext_decode (const guint8 *data, gsize len, guint64 *invalid);

/**
 * evx_plaintext_utf16_order:
 * @data: the first bytes of a file.
 * @len: length of @data in bytes.
 *
 * Recognises UTF-16 text without a byte-order mark: at least 16 bytes, and in at
 * least 9 of 10 byte pairs one byte is 0 and the other printable ASCII or white space.
 *
 * Returns: "UTF-16LE" or "UTF-16BE" (static strings), or NULL when @data does not look
 *   like UTF-16.
 */
const char *evx_plaintext_utf16_order (const guint8 *data, gsize len);

/**
 * evx_plaintext_extract:
 * @data: the file's bytes (any content; see evx_plaintext_decode()).
 * @len: length of @data in bytes.
 * @doc: the document to fill: mime_type ("text/markdown" when CommonMark finds at
 *   least one heading in it, else "text/plain"), title (the first Markdown heading),
 *   invalid_bytes, page_texts and passages (page 0: text has no pages).
 *
 * Markdown headings (ATX "# Title" and setext underlines) become section context for
 * the passages under them; paragraphs, list items and code blocks are passages.  Plain
 * text is cut at blank lines (a line ends in LF, CR LF or CR alone).  Never fails.
 */
void evx_plaintext_extract (const guint8 *data, gsize len, evx_document *doc);

/**
 * evx_plaintext_is_markdown:
 * @data: the file's bytes.
 * @len: length of @data in bytes.
 *
 * Returns: TRUE when evx_plaintext_extract() would read @data as Markdown: cmark finds
 *   a heading at its top level (a "#" line inside an HTML block, such as a <pre>, is
 *   none).
 */
gboolean evx_plaintext_is_markdown (const guint8 *data, gsize len);

G_END_DECLS

#endif /* EVX_PLAINTEXT_H */
