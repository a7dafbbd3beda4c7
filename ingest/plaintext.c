/* plaintext.c - text and Markdown (see plaintext.h). */
#include "ingest/plaintext.h"

#include <cmark.h>
#include <string.h>

#include "ingest/passage.h"

char *
evx_plaintext_decode (const guint8 *data, gsize len, guint64 *invalid)
{
    *invalid = 0;
    const char *utf16 = NULL;
    if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
        utf16 = "UTF-16LE";
    else if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
        utf16 = "UTF-16BE";
    if (utf16) {
        gsize read = 0, written = 0;
        char *text = g_convert_with_fallback ((const char *) data + 2, (gssize) ((len - 2) & ~(gsize) 1),
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

/* The text inside a Markdown block: soft breaks as spaces, hard breaks as lines. */
static void
inline_text (cmark_node *node, GString *out)
{
    for (cmark_node *c = cmark_node_first_child (node); c; c = cmark_node_next (c)) {
        switch (cmark_node_get_type (c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            g_string_append (out, cmark_node_get_literal (c));
            break;
        case CMARK_NODE_SOFTBREAK:
            g_string_append_c (out, ' ');
            break;
        case CMARK_NODE_LINEBREAK:
            g_string_append_c (out, '\n');
            break;
        case CMARK_NODE_HTML_INLINE:
            break;   /* tags, not text */
        default:
            inline_text (c, out);   /* emphasis, strong, link, image (its alt text) */
            break;
        }
    }
}

static gboolean
has_heading (cmark_node *root)
{
    for (cmark_node *c = cmark_node_first_child (root); c; c = cmark_node_next (c))
        if (cmark_node_get_type (c) == CMARK_NODE_HEADING)
            return TRUE;
    return FALSE;
}

/* Block structure to flow blocks: headings, paragraphs and code blocks; lists,
 * items and block quotes are walked into. */
static void
markdown_blocks (cmark_node *node, evx_page_layout *flow, evx_document *doc)
{
    for (cmark_node *c = cmark_node_first_child (node); c; c = cmark_node_next (c)) {
        cmark_node_type type = cmark_node_get_type (c);
        if (type == CMARK_NODE_HEADING || type == CMARK_NODE_PARAGRAPH) {
            g_autoptr (GString) text = g_string_new (NULL);
            inline_text (c, text);
            evx_flow_add_block (flow, text->str, type == CMARK_NODE_HEADING);
            if (type == CMARK_NODE_HEADING && !doc->title && *g_strstrip (text->str))
                doc->title = g_strdup (text->str);
        } else if (type == CMARK_NODE_CODE_BLOCK) {
            evx_flow_add_block (flow, cmark_node_get_literal (c), FALSE);
        } else {
            markdown_blocks (c, flow, doc);
        }
    }
}

void
evx_plaintext_extract (const guint8 *data, gsize len, evx_document *doc)
{
    g_autofree char *text = evx_plaintext_decode (data, len, &doc->invalid_bytes);
    g_autoptr (evx_page_layout) flow = evx_flow_new ();
    cmark_node *root = cmark_parse_document (text, strlen (text), CMARK_OPT_DEFAULT);
    gboolean markdown = root && has_heading (root);
    g_free (doc->mime_type);
    doc->mime_type = g_strdup (markdown ? "text/markdown" : "text/plain");
    if (markdown) {
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
                evx_flow_add_block (flow, block->str, FALSE);
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
