/* markup.c - HTML and XML text with libxml2 (see markup.h). */
#include "ingest/markup.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <string.h>

#include "ingest/error.h"
#include "ingest/normalise.h"
#include "ingest/passage.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define DOCBOOK_NS "http://docbook.org/ns/docbook"

/* ---- diagnostics ------------------------------------------------------ */

/* TRUE for libxml2's "Tag header invalid" about an element of HTML5, which its HTML
 * parser (HTML 4) does not know: every modern page had such warnings in its note. */
static gboolean
html5_noise (const char *msg)
{
    static const char *const html5[] = {
        "article", "aside", "audio", "bdi", "canvas", "data", "datalist", "details", "dialog",
        "figcaption", "figure", "footer", "header", "main", "mark", "meter", "nav", "output",
        "picture", "progress", "search", "section", "source", "summary", "svg", "template",
        "time", "track", "video", "wbr", NULL,
    };
    if (!g_str_has_prefix (msg, "Tag ") || !g_str_has_suffix (msg, " invalid"))
        return FALSE;
    g_autofree char *name = g_strndup (msg + 4, strlen (msg) - 4 - strlen (" invalid"));
    for (guint i = 0; html5[i]; i++)
        if (strcmp (name, html5[i]) == 0)
            return TRUE;
    return FALSE;
}

/* The line a libxml2 error gives ("WHAT: line N: MESSAGE\n"), or NULL for none. */
static char *
error_line (const char *what, xmlErrorPtr e)
{
    if (!e || !e->message)
        return NULL;
    g_autofree char *msg = g_strstrip (g_strdup (e->message));
    return html5_noise (msg) ? NULL : g_strdup_printf ("%s: line %d: %s\n", what, e->line, msg);
}

void
evx_markup_print_error (void *what, xmlErrorPtr e)
{
    g_autofree char *line = error_line (what, e);
    if (line)
        fputs (line, stderr);
}

/* ---- the walk ----------------------------------------------------------- */

typedef struct {
    evx_document *doc;
    evx_page_layout *flow;
    GString *block;       /* text of the block being collected */
    gboolean docbook;
    gsize entity_bytes;   /* text the entity references gave, against ENTITY_BUDGET */
    guint entity_nodes;   /* nodes their expansion looked at, against ENTITY_BUDGET_NODES */
    int in_cell;          /* depth of table cells around the node: a row is one block */
} walker;

#define ENTITY_MAX ((gsize) 64 << 10)    /* bytes one entity reference may give */
#define ENTITY_BUDGET ((gsize) 1 << 20)  /* bytes all of a document's references may give */
#define ENTITY_DEPTH 3                   /* entities expanded inside an entity's text */
#define ENTITY_NODES 100000              /* nodes looked at for one reference, at most */
#define ENTITY_BUDGET_NODES 10000000u    /* ... and for all of a document's references */

static void
flush (walker *w, int heading)
{
    evx_flow_add_block (w->flow, w->block->str, heading);
    g_string_truncate (w->block, 0);
}

/* Appends text with its white space folded (markup white space is not layout). */
static void
append_text (walker *w, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (g_ascii_isspace (*p)) {
            if (w->block->len > 0 && w->block->str[w->block->len - 1] != ' '
                && w->block->str[w->block->len - 1] != '\n')
                g_string_append_c (w->block, ' ');
        } else {
            g_string_append_c (w->block, *p);
        }
    }
}

static void append_entity (xmlNodePtr ref, GString *out, gsize max_bytes, int depth,
                           guint *nodes);
static void cut_to_character (GString *out);

/* Appends what the entity reference @n stands for (append_entity()), up to ENTITY_MAX
 * bytes and ENTITY_NODES nodes for one reference, and ENTITY_BUDGET bytes and
 * ENTITY_BUDGET_NODES nodes for the document. */
static void
take_entity (walker *w, xmlNodePtr n)
{
    if (w->entity_bytes >= ENTITY_BUDGET || w->entity_nodes >= ENTITY_BUDGET_NODES)
        return;
    g_autoptr (GString) text = g_string_new (NULL);
    guint allowed = MIN (ENTITY_NODES, ENTITY_BUDGET_NODES - w->entity_nodes);
    guint nodes = allowed;
    append_entity (n, text, ENTITY_MAX, ENTITY_DEPTH - 1, &nodes);   /* as node_text () */
    w->entity_nodes += allowed - nodes + 1;
    cut_to_character (text);
    w->entity_bytes += text->len;
    append_text (w, text->str);
}

/* Appends the text of a text or CDATA node, or an entity reference's (take_entity());
 * FALSE for other nodes. */
static gboolean
take_text (walker *w, xmlNodePtr n)
{
    if (n->type == XML_ENTITY_REF_NODE) {
        take_entity (w, n);
        return TRUE;
    }
    if (n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE)
        return FALSE;
    if (n->content)
        append_text (w, (const char *) n->content);
    return TRUE;
}

static gboolean
name_in (const char *name, const char *const *set)
{
    for (guint i = 0; set[i]; i++)
        if (g_ascii_strcasecmp (name, set[i]) == 0)
            return TRUE;
    return FALSE;
}

static const char *const html_dropped[] = {
    "script", "style", "nav", "template", "noscript", "iframe", "object", "embed",
    "svg", "canvas", "select", "datalist", NULL,
};

static const char *const html_blocks[] = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "thead", "tbody",
    "tfoot", "caption", "section", "article", "header", "footer", "main", "aside",
    "blockquote", "pre", "figure", "figcaption", "address", "hr", "form", "fieldset",
    "legend", "details", "summary", "body", "html", "center", "menu", "option", NULL,
};

static gboolean
is_html_heading (const char *name)
{
    return strlen (name) == 2 && g_ascii_tolower (name[0]) == 'h' && name[1] >= '1'
           && name[1] <= '6';
}

/* hidden, aria-hidden="true", style="display: none" or "visibility: hidden" */
static gboolean
is_hidden (xmlNodePtr n)
{
    if (xmlHasProp (n, (const xmlChar *) "hidden"))
        return TRUE;
    xmlChar *aria = xmlGetProp (n, (const xmlChar *) "aria-hidden");
    gboolean hidden = aria && g_ascii_strcasecmp ((const char *) aria, "true") == 0;
    xmlFree (aria);
    xmlChar *style = xmlGetProp (n, (const xmlChar *) "style");
    if (style && !hidden) {
        GString *compact = g_string_new (NULL);
        for (const xmlChar *p = style; *p; p++)
            if (!g_ascii_isspace (*p))
                g_string_append_c (compact, g_ascii_tolower ((char) *p));
        hidden = strstr (compact->str, "display:none") || strstr (compact->str, "visibility:hidden");
        g_string_free (compact, TRUE);
    }
    xmlFree (style);
    return hidden;
}

/* The text of @n's descendants (evx_markup_node_text()); entity references in it are
 * expanded @depth levels deep (0: not at all), looking at no more than *@nodes nodes
 * in all (counted down). */
static void
collect_text (xmlNodePtr n, GString *out, gsize max_bytes, int depth, guint *nodes)
{
    /* iterative: no recursion, whatever the depth of the elements */
    xmlNodePtr top = n;
    xmlNodePtr c = n->children;
    while (c && out->len < max_bytes && *nodes > 0) {
        (*nodes)--;
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            g_string_append_len (out, (const char *) c->content,
                                 (gssize) MIN (strlen ((const char *) c->content),
                                               max_bytes - out->len));
        if (c->type == XML_ENTITY_REF_NODE && depth > 0)
            append_entity (c, out, max_bytes, depth - 1, nodes);
        if (c->type == XML_ELEMENT_NODE && c->children) {
            c = c->children;
            continue;
        }
        while (c && c != top && !c->next)
            c = c->parent;
        c = c && c != top ? c->next : NULL;
    }
}

/* Appends to @out, while it holds less than @max_bytes, what the entity reference @ref
 * stands for.  libxml2 leaves references unexpanded (XML_PARSE_NOENT would also fetch
 * external entities): an entity declared in the document gives its parsed text, with
 * the references inside it expanded @depth levels deeper, within *@nodes nodes looked at
 * (so that entities multiplying each other, or nesting empty ones, cost no more than
 * that); an HTML entity (&rsquo; &nbsp; &euro;, which XHTML's DTD, never loaded,
 * declares) its character; an external entity nothing. */
static void
append_entity (xmlNodePtr ref, GString *out, gsize max_bytes, int depth, guint *nodes)
{
    xmlEntityPtr e = ref->doc && ref->name ? xmlGetDocEntity (ref->doc, ref->name) : NULL;
    if (e && e->etype == XML_INTERNAL_GENERAL_ENTITY) {
        if (e->children)
            collect_text ((xmlNodePtr) e, out, max_bytes, depth, nodes);
        else if (e->content && !strpbrk ((const char *) e->content, "<&") && out->len < max_bytes)
            g_string_append_len (out, (const char *) e->content,
                                 (gssize) MIN (strlen ((const char *) e->content),
                                               max_bytes - out->len));
        return;
    }
    const htmlEntityDesc *h = !e && ref->name ? htmlEntityLookup (ref->name) : NULL;
    char utf8[8] = { 0 };
    if (h && out->len + (gsize) g_unichar_to_utf8 ((gunichar) h->value, utf8) <= max_bytes)
        g_string_append (out, utf8);
}

/* Cuts @out back to its last whole character. */
static void
cut_to_character (GString *out)
{
    const char *end = NULL;
    if (!g_utf8_validate (out->str, (gssize) out->len, &end))
        g_string_truncate (out, (gsize) (end - out->str));
}

void
evx_markup_node_text (xmlNodePtr n, GString *out, gsize max_bytes)
{
    guint nodes = G_MAXUINT;
    collect_text (n, out, max_bytes, 0, &nodes);
    cut_to_character (out);   /* a cut may have split a character */
}

/* The text of @n and its descendants, normalised, for a title. */
static char *
node_text (xmlNodePtr n)
{
    g_autoptr (GString) text = g_string_new (NULL);
    guint nodes = ENTITY_NODES;
    collect_text (n, text, EVX_MARKUP_MAX_TITLE, ENTITY_DEPTH, &nodes);   /* as passages read it */
    cut_to_character (text);
    g_autofree char *norm = evx_normalise_text (text->str, -1, NULL);
    return *norm ? g_steal_pointer (&norm) : NULL;
}

static void walk_html (walker *w, xmlNodePtr n);

#define LAYOUT_SCAN_NODES 4096   /* nodes of a cell looked at to tell a layout cell */

static const char *const list_blocks[] = { "ul", "ol", "li", "dl", "dt", "dd", "menu", NULL };

/* TRUE when the table cell @td lays out a page rather than holding data: a heading or a
 * table is in it, or more than 3 blocks (paragraphs, divisions; a list and its items,
 * which risk registers hold, are none); found among its first LAYOUT_SCAN_NODES nodes. */
static gboolean
is_layout_cell (xmlNodePtr td)
{
    guint seen = 0, blocks = 0;
    xmlNodePtr c = td->children;
    while (c && seen++ < LAYOUT_SCAN_NODES) {
        if (c->type == XML_ELEMENT_NODE && c->name) {
            const char *name = (const char *) c->name;
            if (is_html_heading (name) || g_ascii_strcasecmp (name, "table") == 0)
                return TRUE;
            if (name_in (name, html_blocks) && !name_in (name, list_blocks) && ++blocks > 3)
                return TRUE;
            if (c->children) {
                c = c->children;
                continue;
            }
        }
        while (c && c != td && !c->next)
            c = c->parent;
        c = c && c != td ? c->next : NULL;
    }
    return FALSE;
}

static void
walk_html_children (walker *w, xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        walk_html (w, c);
}

static void
walk_html (walker *w, xmlNodePtr n)
{
    if (take_text (w, n))
        return;
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return;
    const char *name = (const char *) n->name;
    if (g_ascii_strcasecmp (name, "head") == 0) {
        for (xmlNodePtr c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && g_ascii_strcasecmp ((const char *) c->name, "title") == 0
                && !w->doc->title)
                w->doc->title = node_text (c);
        return;
    }
    if (g_ascii_strcasecmp (name, "title") == 0) {
        if (!w->doc->title)
            w->doc->title = node_text (n);
        return;
    }
    if (name_in (name, html_dropped) || is_hidden (n))
        return;
    if (g_ascii_strcasecmp (name, "br") == 0) {
        g_string_append_c (w->block, '\n');
        return;
    }
    if (g_ascii_strcasecmp (name, "td") == 0 || g_ascii_strcasecmp (name, "th") == 0) {
        if (w->block->len > 0)
            g_string_append (w->block, " | ");
        /* a cell of a layout table holds the page: its blocks stay blocks */
        gboolean data = w->in_cell > 0 || !is_layout_cell (n);
        w->in_cell += data;
        walk_html_children (w, n);
        w->in_cell -= data;
        return;
    }
    if (w->in_cell > 0) {
        /* paragraphs inside a data cell (Google Docs and Word exports put a <p>
         * in every cell) stay in the row's block, a space apart */
        if ((name_in (name, html_blocks) || is_html_heading (name)) && w->block->len > 0
            && w->block->str[w->block->len - 1] != ' ')
            g_string_append_c (w->block, ' ');
        walk_html_children (w, n);
        return;
    }
    if (is_html_heading (name)) {
        flush (w, 0);
        walk_html_children (w, n);
        flush (w, name[1] - '0');   /* h1 to h6 */
        return;
    }
    gboolean block = name_in (name, html_blocks);
    if (block)
        flush (w, 0);
    walk_html_children (w, n);
    if (block)
        flush (w, 0);
}

/* ---- HTML ----------------------------------------------------------------- */

static htmlDocPtr
read_html (const guint8 *data, gsize len, const char *encoding)
{
    return htmlReadMemory ((const char *) data, (int) MIN (len, (gsize) G_MAXINT), NULL,
                           encoding, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_COMPACT);
}

/* TRUE when @data holds bytes that are not UTF-8 and not one character of more than one
 * byte that is: windows-1252 text (a page with a NUL byte, or cut in the middle of its
 * last character, is UTF-8 all the same). */
static gboolean
looks_windows_1252 (const guint8 *data, gsize len)
{
    gsize invalid = 0;
    const char *p = (const char *) data, *end = p + len;
    while (p < end) {
        if ((guchar) *p < 0x80) {
            p++;
            continue;
        }
        gunichar c = g_utf8_get_char_validated (p, end - p);
        if (c == (gunichar) -1 || c == (gunichar) -2) {
            invalid++;
            p++;
            continue;
        }
        return FALSE;   /* a multi-byte UTF-8 character */
    }
    return invalid > 0;
}

/* libxml2's messages, one line each as evx_markup_print_error() writes them, into the
 * GString @data. */
static void
collect_error (void *data, xmlErrorPtr e)
{
    g_autofree char *line = error_line ("html", e);
    if (line)
        g_string_append (data, line);
}

/* Labels that web browsers read as windows-1252 (WHATWG Encoding Standard). */
static gboolean
means_windows_1252 (const char *label)
{
    static const char *const labels[] = { "iso-8859-1", "iso8859-1", "latin1", "l1",
                                          "iso_8859-1", "us-ascii", "ascii", "iso-ir-100",
                                          "cp819", "ibm819", NULL };
    return label && name_in (label, labels);
}

static void
ignore_error (void *data, xmlErrorPtr e)
{
    (void) data;
    (void) e;
}

static gboolean
starts_with_xml_declaration (const guint8 *data, gsize len)
{
    if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    return len >= 5 && memcmp (data, "<?xml", 5) == 0;
}

static void walk_xml (walker *w, xmlNodePtr n);
static gboolean in_namespace (xmlNodePtr n, const char *ns);

/* Walks @first and the nodes after it with @walk, adding their blocks to @flow; @doc
 * takes the title. */
static void
walk_nodes (evx_document *doc, evx_page_layout *flow, xmlNodePtr first, gboolean docbook,
            void (*walk) (walker *, xmlNodePtr))
{
    walker w = { doc, flow, g_string_new (NULL), docbook, 0, 0, 0 };
    for (xmlNodePtr n = first; n; n = n->next)
        walk (&w, n);
    flush (&w, 0);
    g_string_free (w.block, TRUE);
}

static void
walk_document (evx_document *doc, xmlNodePtr root, gboolean docbook, void (*walk) (walker *, xmlNodePtr))
{
    g_autoptr (evx_page_layout) flow = evx_flow_new ();
    walk_nodes (doc, flow, root, docbook, walk);
    evx_passages_cut_flow (doc, flow);
}

gboolean
evx_markup_extract_html (const guint8 *data, gsize len, evx_document *doc, GError **error)
{
    int size = (int) MIN (len, (gsize) G_MAXINT);
    g_autofree char *declared = NULL;
    if (starts_with_xml_declaration (data, len)) {
        /* XHTML: well-formed, it is read as XML (which honours the encoding its XML
         * declaration gives); else the HTML parser reads it in that encoding. */
        xmlParserCtxtPtr ctxt = xmlNewParserCtxt ();
        xmlSetStructuredErrorFunc (NULL, ignore_error);
        xmlDocPtr x = ctxt ? xmlCtxtReadMemory (ctxt, (const char *) data, size, NULL, NULL,
                                                XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_COMPACT)
                           : NULL;
        xmlSetStructuredErrorFunc (NULL, NULL);
        xmlNodePtr root = x ? xmlDocGetRootElement (x) : NULL;
        if (root && ctxt->wellFormed && in_namespace (root, XHTML_NS)) {
            g_free (doc->mime_type);
            doc->mime_type = g_strdup ("application/xhtml+xml");
            walk_document (doc, root, FALSE, walk_xml);
            xmlFreeDoc (x);
            xmlFreeParserCtxt (ctxt);
            return TRUE;
        }
        if (x && x->encoding)
            declared = g_strdup ((const char *) x->encoding);
        else if (ctxt && ctxt->encoding)
            declared = g_strdup ((const char *) ctxt->encoding);
        if (x)
            xmlFreeDoc (x);
        if (ctxt)
            xmlFreeParserCtxt (ctxt);
    }
    if (means_windows_1252 (declared)) {
        g_free (declared);
        declared = g_strdup ("windows-1252");
    }
    /* a UTF-8 byte order mark outweighs any declaration (WHATWG: the BOM is sniffed first) */
    if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0) {
        g_free (declared);
        declared = g_strdup ("UTF-8");
    }
    /* the first reading's messages are kept until it is known to be the one used */
    g_autoptr (GString) messages = g_string_new (NULL);
    xmlSetStructuredErrorFunc (messages, collect_error);
    htmlDocPtr html = read_html (data, len, declared);
    /* a page that declares Latin-1, or declares nothing and is not UTF-8, is read as
     * windows-1252, as browsers read it: libxml2 falls back to ISO-8859-1, where the bytes
     * of ’ “ ” € – are control characters, which normalisation then drops */
    gboolean utf16 = len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE)
                                  || (data[0] == 0xFE && data[1] == 0xFF));   /* libxml2 reads it */
    if (html && !declared && !utf16
        && (means_windows_1252 ((const char *) html->encoding)
            || (!html->encoding && looks_windows_1252 (data, len)))) {
        xmlFreeDoc (html);
        xmlSetStructuredErrorFunc ((void *) "html", evx_markup_print_error);
        html = read_html (data, len, "windows-1252");
    } else {
        fputs (messages->str, stderr);
    }
    xmlSetStructuredErrorFunc (NULL, NULL);
    if (!html) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED, "damaged: libxml2 read no HTML document");
        return FALSE;
    }
    g_free (doc->mime_type);
    doc->mime_type = g_strdup ("text/html");
    walk_document (doc, xmlDocGetRootElement (html), FALSE, walk_html);
    xmlFreeDoc (html);
    return TRUE;
}

void
evx_markup_html_blocks (const char *html, evx_page_layout *flow)
{
    gsize len = strlen (html);
    xmlSetStructuredErrorFunc ((void *) "html", evx_markup_print_error);
    htmlDocPtr x = htmlReadMemory (html, (int) MIN (len, (gsize) G_MAXINT), NULL, "UTF-8",
                                   HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_COMPACT
                                       | HTML_PARSE_NOIMPLIED);
    xmlSetStructuredErrorFunc (NULL, NULL);
    if (!x)
        return;
    g_autoptr (evx_document) scratch = evx_document_new ("");   /* takes no title */
    scratch->title = g_strdup ("");
    walk_nodes (scratch, flow, x->children, FALSE, walk_html);
    xmlFreeDoc (x);
}

/* ---- generic XML -------------------------------------------------------- */

static gboolean
in_namespace (xmlNodePtr n, const char *ns)
{
    return n->ns && n->ns->href && strcmp ((const char *) n->ns->href, ns) == 0;
}

static const char *const docbook_roots[] = {
    "book", "article", "chapter", "part", "set", "reference", "refentry", "section",
    "sect1", "appendix", "preface", NULL,
};

/* TRUE when @n's parent holds text of its own: @n is inline there. */
static gboolean
is_inline (xmlNodePtr n)
{
    if (!n->parent || n->parent->type != XML_ELEMENT_NODE)
        return FALSE;
    for (xmlNodePtr s = n->parent->children; s; s = s->next) {
        if ((s->type == XML_TEXT_NODE || s->type == XML_CDATA_SECTION_NODE) && s->content) {
            for (const xmlChar *p = s->content; *p; p++)
                if (!g_ascii_isspace (*p))
                    return TRUE;
        }
    }
    return FALSE;
}

static void
walk_xml (walker *w, xmlNodePtr n)
{
    if (take_text (w, n))
        return;
    if (n->type != XML_ELEMENT_NODE || !n->name)
        return;
    if (in_namespace (n, XHTML_NS)) {
        walk_html (w, n);
        return;
    }
    const char *name = (const char *) n->name;
    gboolean heading = w->docbook && (strcmp (name, "title") == 0 || strcmp (name, "subtitle") == 0);
    if (heading && !w->doc->title)
        w->doc->title = node_text (n);
    gboolean block = heading || !is_inline (n);
    if (block)
        flush (w, 0);
    for (xmlNodePtr c = n->children; c; c = c->next)
        walk_xml (w, c);
    if (block)
        flush (w, heading ? EVX_HEADING_ANY : 0);
}

gboolean
evx_markup_extract_xml (const guint8 *data, gsize len, evx_document *doc, GError **error)
{
    xmlSetStructuredErrorFunc ((void *) "xml", evx_markup_print_error);
    xmlDocPtr xml = xmlReadMemory ((const char *) data, (int) MIN (len, (gsize) G_MAXINT), NULL,
                                   NULL, XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_COMPACT);
    xmlSetStructuredErrorFunc (NULL, NULL);
    xmlNodePtr root = xml ? xmlDocGetRootElement (xml) : NULL;
    if (!root) {
        xmlErrorPtr e = xmlGetLastError ();
        g_autofree char *why = g_strstrip (g_strdup (e && e->message ? e->message
                                                                     : "no document element"));
        g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED, "damaged: XML: %s", why);
        if (xml)
            xmlFreeDoc (xml);
        return FALSE;
    }
    gboolean docbook = in_namespace (root, DOCBOOK_NS)
                       || (!root->ns && name_in ((const char *) root->name, docbook_roots));
    g_free (doc->mime_type);
    doc->mime_type = g_strdup (docbook ? "application/docbook+xml"
                               : in_namespace (root, XHTML_NS) ? "application/xhtml+xml"
                                                               : "application/xml");
    walk_document (doc, root, docbook, walk_xml);
    xmlFreeDoc (xml);
    return TRUE;
}
