/* passage.h - cutting laid-out page text into page-true passages.
 *
 * The format extractors (pdf.c, later others) describe each page as a list of
 * text lines with their geometry and font; evx_passages_cut() removes page
 * furniture (running headers and footers, "Page 2 of 4"), groups lines into
 * paragraph-sized blocks and turns those into evx_passage records.  Nothing here
 * knows about PDF.
 */
#ifndef EVX_PASSAGE_H
#define EVX_PASSAGE_H

#include <glib.h>

#include "ingest/document.h"

G_BEGIN_DECLS

/**
 * evx_line:
 * @text: the line's text as extracted (any UTF-8, normalised by the cutter); owned.
 * @x0: left edge, in points from the page's left edge.
 * @y0: top edge, in points from the page's top edge.
 * @x1: right edge, in points.
 * @y1: bottom edge, in points.
 * @font_size: the dominant font size of the line, in points (0 when unknown).
 * @bold: TRUE when most of the line is set in a bold (or black/heavy) font.
 * @level: in a flow, the outline level of a heading line (1 to 6), else 0.
 */
typedef struct {
    char *text;
    double x0, y0, x1, y1;
    double font_size;
    gboolean bold;
    int level;
} evx_line;

/**
 * evx_page_layout:
 * @number: page number counted from 1.
 * @label: (nullable) printed page label when it differs from @number; owned.
 * @width: page width in points.
 * @height: page height in points.
 * @lines: (element-type evx_line) lines in reading order; owned.
 */
typedef struct {
    int number;
    char *label;
    double width, height;
    GPtrArray *lines;
} evx_page_layout;

/**
 * evx_page_layout_new:
 * Returns: (transfer full) an empty page; free with evx_page_layout_free().
 */
evx_page_layout *evx_page_layout_new (int number, double width, double height);

/** evx_page_layout_free: frees @page and its lines; NULL is accepted. */
void evx_page_layout_free (evx_page_layout *page);

/**
 * evx_page_layout_add_line:
 * @page: the page.
 * @text: (transfer none) line text, copied; a tab separates two table cells (or
 *   columns) set on the same line.
 *
 * Appends a line with the given geometry (points, origin at the top-left corner).
 */
void evx_page_layout_add_line (evx_page_layout *page, const char *text, double x0, double y0,
                               double x1, double y1, double font_size, gboolean bold);

/**
 * evx_passages_cut:
 * @doc: the document to fill: its page_texts and passages arrays are appended to.
 * @pages: (element-type evx_page_layout) every page of the document, in order.
 *
 * 1. Furniture: a line in the top or bottom 12% of a page whose text, with digits
 *    ignored, appears there on at least half of the pages (and on 2 pages or more)
 *    is dropped, and so is a line that is only a page number ("7", "iv", "Page 2 of 4",
 *    "- 3 -", "3 / 9") when it is in those zones or is the first or last line of the page.
 * 2. Each page's text (doc->page_texts) is its remaining lines, each normalised
 *    with evx_normalise_text(), joined by "\n".
 * 3. Lines are grouped into blocks: a new block starts after a vertical gap wider
 *    than 0.6 line heights, when the text moves up or to another column, and where
 *    the font size or weight changes.  A block of at most 3 short lines set bold or
 *    larger than the body text is a heading and is joined to the block after it
 *    (on the same page) to form one passage.  Words hyphenated at a line end are
 *    joined ("continu-" + "ity" = "continuity").
 * 4. Blocks longer than EVX_PASSAGE_MAX_CHARS are split at sentence ends (or, failing
 *    that, at spaces) into passages of at most that length.
 *
 * Each passage's start/end are the code-point offsets, in its page's text, of its
 * first and last characters; its text is that span with line breaks folded to spaces
 * and hyphenation joined.  Passages never span two pages.
 */
void evx_passages_cut (evx_document *doc, GPtrArray *pages);

/**
 * evx_flow_new:
 *
 * A flow is the text of a format without pages (HTML, XML, DOCX, ODT, plain text,
 * Markdown): a sequence of blocks (paragraphs, list items, table rows, headings) that
 * the format's extractor appends in reading order.
 *
 * Returns: (transfer full) an empty flow (an evx_page_layout whose number is 0);
 *   free with evx_page_layout_free().
 */
evx_page_layout *evx_flow_new (void);

/**
 * evx_flow_add_block:
 * @flow: a flow made by evx_flow_new().
 * @text: (transfer none) the block's text, any UTF-8; "\n" separates its lines.  A
 *   block with no visible character is ignored.
 * @heading: 0 for body text; for a heading (the passages under it take it as context),
 *   its outline level, 1 (h1, Word's "Heading 1", ODF outline level 1, "#") to 6, or
 *   EVX_HEADING_ANY when the format gives none (a DocBook title).
 */
void evx_flow_add_block (evx_page_layout *flow, const char *text, int heading);

/** EVX_HEADING_ANY: evx_flow_add_block()'s heading of no known level. */
#define EVX_HEADING_ANY 9

/**
 * evx_passages_cut_flow:
 * @doc: the document to fill (page_count is left at 0).
 * @flow: the blocks.
 *
 * Cuts a flow as evx_passages_cut() cuts a page, with every block a block of its
 * own and no furniture removal: a heading (at most 3 lines and 150 characters) is
 * joined to the block after it, long blocks are split at sentence ends.  The whole
 * text becomes doc->page_texts[0] (nothing is added when the flow has no text) and
 * every passage has page 0.
 */
void evx_passages_cut_flow (evx_document *doc, evx_page_layout *flow);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_page_layout, evx_page_layout_free)

G_END_DECLS

#endif /* EVX_PASSAGE_H */
