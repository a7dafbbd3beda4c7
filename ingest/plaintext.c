/* plaintext.c - text and Markdown (see plaintext.h). */
#include "ingest/plaintext.h"

#include <cmark.h>
#include <string.h>

#include "ingest/markup.h"
#include "ingest/passage.h"

const char *
evx_plaintext_utf16_order (const guint8 *data, gsize len)
{
    len = MIN (len, 4096) & ~(gsize) 1;
    if (len < 16)
        return NULL;
    gsize le = 0, be = 0;
    for (gsize i = 0; i < len; i += 2) {
        if (data[i + 1] == 0 && (g_ascii_isprint (data[i]) || g_ascii_isspace (data[i])))
            le++;
        else if (data[i] == 0 && (g_ascii_isprint (data[i + 1]) || g_ascii_isspace (data[i + 1])))
            be++;
    }
    gsize pairs = len / 2;
    return le * 10 >= pairs * 9 ? "UTF-16LE" : be * 10 >= pairs * 9 ? "UTF-16BE" : NULL;
}

char *
evx_plaintext_decode (const guint8 *data, gsize len, guint64 *invalid)
{
    *invalid = 0;
    const char *utf16 = NULL;
    gsize skip = 2;
    if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
        utf16 = "UTF-16LE";
    else if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
        utf16 = "UTF-16BE";
    else if ((utf16 = evx_plaintext_utf16_order (data, len)))
        skip = 0;
    if (utf16) {
        gsize read = 0, written = 0;
        char *text = g_convert_with_fallback ((const char *) data + skip, (gssize) ((len - skip) & ~(gsize) 1),
                                              "UTF-8", utf16, "\xEF\xBF\xBD", &read, &written,
                                              NULL);
        if (text) {
            for (gsize i = 0; i < written; i++)
                if (text[i] == '\0')
                    text[i] = ' ';
            return text;
        }
        /* not UTF-16 after all: read it as UTF-8 below */
    }
    if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    GString *out = g_string_sized_new (len + 1);
    const char *p = (const char *) data, *end = p + len;
    while (p < end) {
        const char *bad = NULL;
        if (g_utf8_validate_len (p, (gsize) (end - p), &bad)) {
            g_string_append_len (out, p, end - p);
            break;
        }
        g_string_append_len (out, p, bad - p);
        if (*bad == '\0') {
            g_string_append_c (out, ' ');
        } else {
            g_string_append (out, "\xEF\xBF\xBD");
            (*invalid)++;
        }
        p = bad + 1;
    }
    return g_string_free (out, FALSE);
}

/* TRUE when the document has a heading at its top level ("# Title", "Title\n====="). */
static gboolean
has_heading (cmark_node *root)
{
    for (cmark_node *c = cmark_node_first_child (root); c; c = cmark_node_next (c))
        if (cmark_node_get_type (c) == CMARK_NODE_HEADING)
            return TRUE;
    return FALSE;
}

/* Markdown to flow blocks, walked with cmark's iterator (no recursion, whatever the
 * nesting): headings and paragraphs (wherever they are: lists, block quotes) and code
 * blocks become blocks, and so do HTML blocks, read by libxml2's HTML parser
 * (evx_markup_html_blocks()); inline text, code, soft breaks (spaces) and hard breaks
 * (lines) fill them; inline HTML is tags, not text.  Returns TRUE when there was a
 * heading. */
static gboolean
markdown_blocks (cmark_node *root, evx_page_layout *flow, evx_document *doc)
{
    gboolean any_heading = FALSE;
    g_autoptr (GString) text = g_string_new (NULL);
    cmark_iter *it = cmark_iter_new (root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next (it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node (it);
        cmark_node_type type = cmark_node_get_type (n);
        if (type == CMARK_NODE_HEADING || type == CMARK_NODE_PARAGRAPH) {
            if (ev == CMARK_EVENT_ENTER) {
                g_string_truncate (text, 0);
                continue;
            }
            gboolean heading = type == CMARK_NODE_HEADING;
            any_heading = any_heading || heading;
            if (heading && !doc->title && *text->str)
                doc->title = g_strdup (text->str);
            evx_flow_add_block (flow, text->str, heading ? cmark_node_get_heading_level (n) : 0);
            g_string_truncate (text, 0);
        } else if (type == CMARK_NODE_CODE_BLOCK) {
            evx_flow_add_block (flow, cmark_node_get_literal (n), 0);
        } else if (type == CMARK_NODE_HTML_BLOCK) {
            evx_markup_html_blocks (cmark_node_get_literal (n), flow);   /* <div>, <details> */
        } else if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
            g_string_append (text, cmark_node_get_literal (n));
        } else if (type == CMARK_NODE_SOFTBREAK) {
            g_string_append_c (text, ' ');
        } else if (type == CMARK_NODE_LINEBREAK) {
            g_string_append_c (text, '\n');
        }
    }
    cmark_iter_free (it);
    return any_heading;
}

/* TRUE when the line at @line (up to "\n") is @mark with nothing but blanks after it. */
static gboolean
is_fence (const char *line, const char *mark)
{
    if (strncmp (line, mark, 3) != 0)
        return FALSE;
    for (line += 3; *line && *line != '\n'; line++)
        if (*line != ' ' && *line != '\t')
            return FALSE;
    return TRUE;
}

/* The length in bytes of the YAML front matter that opens @text (a "---" line, lines
 * whose first is a "key:", then a "---" or "..." line, as static site generators write
 * it), or 0; *@inner: the bytes of the lines between.  A "---" rule at the top of a
 * Markdown file is no front matter. */
static gsize
front_matter_length (const char *text, gsize *inner)
{
    if (!is_fence (text, "---"))
        return 0;
    const char *line = strchr (text, '\n');
    if (!line)
        return 0;
    line++;
    gsize key = 0;
    while (g_ascii_isalnum (line[key]) || line[key] == '_' || line[key] == '-')
        key++;
    if (key == 0 || line[key] != ':')
        return 0;
    const char *first = line;
    for (int n = 0; *line && n < 200; n++) {
        const char *end = strchr (line, '\n');
        if (line != first && (is_fence (line, "---") || is_fence (line, "..."))) {
            *inner = (gsize) (line - first);
            return end ? (gsize) (end + 1 - text) : strlen (text);
        }
        if (!end)
            break;
        line = end + 1;
    }
    return 0;
}

/* The text of @data (evx_plaintext_decode()) with its lines ending in LF: old Mac line
 * ends (CR alone) and Windows' (CR LF) too (a file of CRs alone was one passage). */
static char *
text_of (const guint8 *data, gsize len, guint64 *invalid)
{
    char *text = evx_plaintext_decode (data, len, invalid);
    char *to = text;
    for (const char *from = text; *from; from++) {
        if (*from == '\r') {
            *to++ = '\n';
            from += from[1] == '\n';
        } else {
            *to++ = *from;
        }
    }
    *to = '\0';
    return text;
}

/* @text parsed as Markdown after its front matter (front_matter_length(): metadata, which
 * cmark would take for a heading over its closing "---", and for the title): the
 * document when it has a heading (the file is Markdown), else NULL. */
static cmark_node *
markdown_document (const char *text, gsize front_matter)
{
    const char *body = text + front_matter;
    cmark_node *root = cmark_parse_document (body, strlen (body), CMARK_OPT_DEFAULT);
    if (root && !has_heading (root)) {
        cmark_node_free (root);
        root = NULL;
    }
    return root;
}

gboolean
evx_plaintext_is_markdown (const guint8 *data, gsize len)
{
    guint64 invalid = 0;
    g_autofree char *text = text_of (data, len, &invalid);
    gsize inner = 0;
    cmark_node *root = markdown_document (text, front_matter_length (text, &inner));
    if (root)
        cmark_node_free (root);
    return root != NULL;
}

void
evx_plaintext_extract (const guint8 *data, gsize len, evx_document *doc)
{
    g_autofree char *text = text_of (data, len, &doc->invalid_bytes);
    g_autoptr (evx_page_layout) flow = evx_flow_new ();
    gsize inner = 0;
    gsize fm = front_matter_length (text, &inner);
    cmark_node *root = markdown_document (text, fm);
    gboolean markdown = root != NULL;
    g_free (doc->mime_type);
    doc->mime_type = g_strdup (markdown ? "text/markdown" : "text/plain");
    if (markdown) {
        if (fm > 0) {
            g_autofree char *matter = g_strndup (strchr (text, '\n') + 1, inner);
            evx_flow_add_block (flow, matter, 0);
        }
        markdown_blocks (root, flow, doc);
    } else {
        /* paragraphs are separated by blank lines */
        g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
        g_autoptr (GString) block = g_string_new (NULL);
        for (guint i = 0;; i++) {
            gboolean blank = TRUE;
            for (const char *p = lines[i] ? lines[i] : ""; *p && blank; p++)
                blank = g_ascii_isspace (*p);
            if (!lines[i] || blank) {
                evx_flow_add_block (flow, block->str, 0);
                g_string_truncate (block, 0);
                if (!lines[i])
                    break;
                continue;
            }
            g_string_append (block, lines[i]);
            g_string_append_c (block, '\n');
        }
    }
    if (root)
        cmark_node_free (root);
    evx_passages_cut_flow (doc, flow);
}
