/* markup.h - HTML, XHTML and XML to passages, parsed with libxml2.
 *
 * Both parsers run without network access and without loading external DTDs or
 * letting libxml2 substitute entities (no "billion laughs", no external entity read);
 * the walk reads an entity reference itself: an internal entity's text, with the
 * entities nested in it, 3 levels of entities in all, in titles as in passages (at most 64 KiB and 100,000 nodes looked at for
 * a reference, 1 MiB and 10 million nodes for a document: past that, references give
 * nothing), an HTML entity's character (&rsquo;, &nbsp;, &euro; in XHTML and DocBook,
 * whose DTDs are never loaded).  libxml2 itself stops at entities that multiply one
 * another too much ("Detected an entity reference loop"), and the rest of the document
 * is then lost, with that warning in the file's note.  libxml2's own
 * limits on depth and sizes apply.  Parser errors are written to stderr, one line each ("html: line 12:
 * Tag nav invalid"), where the worker collects them for the file's report.
 */
#ifndef EVX_MARKUP_H
#define EVX_MARKUP_H

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "ingest/document.h"
#include "ingest/passage.h"

G_BEGIN_DECLS

/**
 * evx_markup_extract_html:
 * @data: the page's bytes.
 * @len: length of @data in bytes.
 * @doc: the document to fill: mime_type ("text/html"), title (the <title>), page_texts
 *   and passages (page 0).
 * @error: EVX_ERROR_DAMAGED when libxml2 gives no document at all.
 *
 * Reads HTML and XHTML with libxml2's HTML parser.  The character set is the one the
 * page declares (a byte-order mark, <meta charset>, <meta http-equiv="Content-Type">),
 * else UTF-8; a page declared ISO-8859-1 or US-ASCII, or declaring nothing over bytes
 * that are not UTF-8, is read as windows-1252, as web browsers do (the WHATWG Encoding
 * Standard maps those labels to windows-1252); a UTF-8 byte order mark outweighs any
 * declaration.
 * Dropped: script, style, nav, template, noscript, iframe, object, svg and head
 * (except the title), and every element that is hidden (the hidden attribute,
 * aria-hidden="true", or a style with display:none or visibility:hidden).
 * h1-h6 are headings: the passages after them take them as context.  Each paragraph,
 * list item, table row (cells separated by " | ") and other block is a block of text.
 *
 * Returns: TRUE on success.
 */
gboolean evx_markup_extract_html (const guint8 *data, gsize len, evx_document *doc,
                                  GError **error);

/**
 * evx_markup_extract_xml:
 * @data: the document's bytes (its encoding is the one its XML declaration or
 *   byte-order mark gives, else UTF-8).
 * @len: length of @data in bytes.
 * @doc: the document to fill: mime_type ("application/docbook+xml" for DocBook 4 or 5,
 *   "application/xhtml+xml" for a document in the XHTML namespace, else
 *   "application/xml"), title, page_texts and passages (page 0).
 * @error: EVX_ERROR_DAMAGED with libxml2's first error when the document is not
 *   well-formed beyond what libxml2's recovery mode can read.
 *
 * Every text node is kept.  An element whose parent holds text of its own is inline
 * (emphasis, links); every other element is a block.  DocBook titles and XHTML h1-h6
 * are headings; XHTML elements follow the rules of evx_markup_extract_html().
 *
 * Returns: TRUE on success.
 */
gboolean evx_markup_extract_xml (const guint8 *data, gsize len, evx_document *doc,
                                 GError **error);

/**
 * evx_markup_html_blocks:
 * @html: a fragment of HTML, UTF-8 (a Markdown file's HTML block: `<div>`, `<details>`).
 * @flow: the flow the fragment's blocks are added to, as evx_markup_extract_html() makes
 *   them (hidden and dropped elements left out; no title taken).
 *
 * Reads an HTML fragment with libxml2's HTML parser, without adding html and body
 * elements around it.
 */
void evx_markup_html_blocks (const char *html, evx_page_layout *flow);

/** Caps on text collected from one element: a title, and any other element. */
#define EVX_MARKUP_MAX_TITLE 1000
#define EVX_MARKUP_MAX_TEXT ((gsize) 16 << 20)

/**
 * evx_markup_node_text:
 * @n: an element.
 * @out: where the text is appended.
 * @max_bytes: stop once @out holds this many bytes (cut at a character boundary).
 *
 * Appends the text and CDATA of @n's descendants, in document order, for formats that
 * have no entities of their own (OOXML and ODF forbid a DTD): entity references are not
 * expanded, so an entity repeated many times cannot blow the text up.
 */
void evx_markup_node_text (xmlNodePtr n, GString *out, gsize max_bytes);

/**
 * evx_markup_print_error:
 * @what: (type utf8) what is being parsed ("html", "xml", "word/document.xml"): the
 *   line's prefix.
 * @e: the error libxml2 reports.
 *
 * A libxml2 structured error handler (xmlSetStructuredErrorFunc()) that writes one
 * line per error on stderr: "WHAT: line N: MESSAGE"; but not "Tag header invalid" and
 * the like about the elements of HTML5, which libxml2's HTML 4 parser does not know.
 */
void evx_markup_print_error (void *what, xmlErrorPtr e);

G_END_DECLS

#endif /* EVX_MARKUP_H */
