/* office.c - DOCX and ODT through minizip and libxml2 (see office.h). */
#include "ingest/office.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>
#include <unzip.h>

#include "ingest/error.h"
#include "ingest/markup.h"
#include "ingest/normalise.h"
#include "ingest/passage.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
/* Strict OOXML (ISO/IEC 29500 strict): the same elements in another namespace. */
#define W_STRICT_NS "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define TEXT_NS "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define TABLE_NS "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define STYLE_NS "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define OFFICE_NS "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define DC_NS "http://purl.org/dc/elements/1.1/"

/* ---- the zip, read from memory through minizip's I/O callbacks -------- */

typedef struct {
    const guint8 *data;
    gsize len;
    gsize pos;
} mem_stream;

static voidpf ZCALLBACK
mem_open (voidpf opaque, const void *filename, int mode)
{
    (void) filename;
    if ((mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) != ZLIB_FILEFUNC_MODE_READ)
        return NULL;
    mem_stream *s = opaque;
    s->pos = 0;
    return s;
}

static uLong ZCALLBACK
mem_read (voidpf opaque, voidpf stream, void *buf, uLong size)
{
    (void) opaque;
    mem_stream *s = stream;
    gsize n = MIN ((gsize) size, s->len - s->pos);
    memcpy (buf, s->data + s->pos, n);
    s->pos += n;
    return (uLong) n;
}

static uLong ZCALLBACK
mem_write (voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    (void) opaque;
    (void) stream;
    (void) buf;
    (void) size;
    return 0;
}

static ZPOS64_T ZCALLBACK
mem_tell (voidpf opaque, voidpf stream)
{
    (void) opaque;
    return ((mem_stream *) stream)->pos;
}

static long ZCALLBACK
mem_seek (voidpf opaque, voidpf stream, ZPOS64_T offset, int origin)
{
    (void) opaque;
    mem_stream *s = stream;
    guint64 base = origin == ZLIB_FILEFUNC_SEEK_CUR ? s->pos
                   : origin == ZLIB_FILEFUNC_SEEK_END ? s->len
                                                      : 0;
    if (offset > s->len || base + offset > s->len)
        return -1;
    s->pos = (gsize) (base + offset);
    return 0;
}

static int ZCALLBACK
mem_close (voidpf opaque, voidpf stream)
{
    (void) opaque;
    (void) stream;
    return 0;
}

static int ZCALLBACK
mem_error (voidpf opaque, voidpf stream)
{
    (void) opaque;
    (void) stream;
    return 0;
}

/* A member's bytes; NULL with FALSE in *found when there is no such member. */
static GBytes *
read_member (unzFile zf, const char *name, guint64 max_bytes, gboolean *found, GError **error)
{
    *found = FALSE;
    if (unzLocateFile (zf, name, 1) != UNZ_OK)
        return NULL;
    *found = TRUE;
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64 (zf, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED, "damaged: zip: cannot read member %s",
                     name);
        return NULL;
    }
    if (info.flag & 1) {   /* general purpose bit 0: the member is encrypted */
        g_set_error (error, EVX_ERROR, EVX_ERROR_ENCRYPTED,
                     "encrypted: zip member %s is password-protected", name);
        return NULL;
    }
    if (unzOpenCurrentFile (zf) != UNZ_OK) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED, "damaged: zip: cannot open member %s",
                     name);
        return NULL;
    }
    if (max_bytes && info.uncompressed_size > max_bytes) {
        unzCloseCurrentFile (zf);
        g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT,
                     "limit: zip member %s expands to %" G_GUINT64_FORMAT
                     " MiB, more than %" G_GUINT64_FORMAT " MiB (--max-file-size)",
                     name, (guint64) info.uncompressed_size >> 20, max_bytes >> 20);
        return NULL;
    }
    GByteArray *out = g_byte_array_new ();
    guint8 buf[65536];
    int n;
    while ((n = unzReadCurrentFile (zf, buf, sizeof buf)) > 0) {
        g_byte_array_append (out, buf, (guint) n);
        if (max_bytes && out->len > max_bytes) {
            /* the size in the directory lied */
            unzCloseCurrentFile (zf);
            g_byte_array_unref (out);
            g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT,
                         "limit: zip member %s expands to more than %" G_GUINT64_FORMAT
                         " MiB (--max-file-size)",
                         name, max_bytes >> 20);
            return NULL;
        }
    }
    int closed = unzCloseCurrentFile (zf);
    if (n < 0 || closed != UNZ_OK) {
        g_byte_array_unref (out);
        g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED, "damaged: zip: member %s %s", name,
                     closed == UNZ_CRCERROR ? "fails its CRC check" : "cannot be expanded");
        return NULL;
    }
    return g_byte_array_free_to_bytes (out);
}

/* ---- XML helpers ---------------------------------------------------------- */

static xmlDocPtr
parse_member (GBytes *bytes, const char *name, GError **error)
{
    gsize len = 0;
    const char *data = g_bytes_get_data (bytes, &len);
    xmlSetStructuredErrorFunc ((void *) name, evx_markup_print_error);
    xmlDocPtr xml = xmlReadMemory (data, (int) MIN (len, (gsize) G_MAXINT), name, NULL,
                                   XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_COMPACT);
    xmlSetStructuredErrorFunc (NULL, NULL);
    if (!xml || !xmlDocGetRootElement (xml)) {
        if (xml)
            xmlFreeDoc (xml);
        g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED, "damaged: %s is not XML", name);
        return NULL;
    }
    return xml;
}

/* An optional member, parsed; NULL when it is missing or cannot be read (the
 * document is read without it). */
static xmlDocPtr
parse_optional_member (unzFile zf, const char *name, guint64 max_bytes)
{
    gboolean found;
    g_autoptr (GError) ignored = NULL;
    g_autoptr (GBytes) bytes = read_member (zf, name, max_bytes, &found, &ignored);
    return bytes ? parse_member (bytes, name, &ignored) : NULL;
}

/* TRUE when the namespace @href is @ns; W_NS stands for the strict namespace too. */
static gboolean
ns_is (const xmlChar *href, const char *ns)
{
    return strcmp ((const char *) href, ns) == 0
           || (strcmp (ns, W_NS) == 0 && strcmp ((const char *) href, W_STRICT_NS) == 0);
}

static gboolean
is (xmlNodePtr n, const char *ns, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href && ns_is (n->ns->href, ns)
           && strcmp ((const char *) n->name, name) == 0;
}

static char *
attr (xmlNodePtr n, const char *ns, const char *name)
{
    xmlChar *v = xmlGetNsProp (n, (const xmlChar *) name, (const xmlChar *) ns);
    if (!v && strcmp (ns, W_NS) == 0)
        v = xmlGetNsProp (n, (const xmlChar *) name, (const xmlChar *) W_STRICT_NS);
    char *copy = v ? g_strdup ((const char *) v) : NULL;
    xmlFree (v);
    return copy;
}

/* The first dc:title in a metadata member (docProps/core.xml, meta.xml). */
static char *
find_title (xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (is (n, DC_NS, "title")) {
            g_autoptr (GString) text = g_string_new (NULL);
            evx_markup_node_text (n, text, EVX_MARKUP_MAX_TITLE);
            char *norm = evx_normalise_text (text->str, -1, NULL);
            if (*norm)
                return norm;
            g_free (norm);
        }
        char *t = n->type == XML_ELEMENT_NODE ? find_title (n->children) : NULL;
        if (t)
            return t;
    }
    return NULL;
}

static void
read_title (unzFile zf, const char *member, evx_document *doc)
{
    xmlDocPtr xml = parse_optional_member (zf, member, 1 << 20);
    if (!xml)
        return;
    g_free (doc->title);
    doc->title = find_title (xmlDocGetRootElement (xml));
    xmlFreeDoc (xml);
}

/* ---- Word ----------------------------------------------------------------- */

typedef struct {
    evx_page_layout *flow;
    GString *block;
    GHashTable *heading_styles;   /* style ids of headings, to their outline levels */
    GPtrArray *boxes;             /* text boxes (w:txbxContent) met in the paragraph being read */
} word_walk;

/* The outline level (1 to 6) of Word's w:outlineLvl element @o (its w:val counts from 0),
 * EVX_HEADING_ANY for levels 7 to 9, or 0 for "9", which is body text (the "Body Text"
 * style, a heading demoted by hand). */
static int
outline_level (xmlNodePtr o)
{
    g_autofree char *val = attr (o, W_NS, "val");
    int level = val && g_ascii_isdigit (val[0]) && !val[1] ? val[0] - '0' + 1 : 0;
    if (level == 10)
        return 0;
    return level >= 1 && level <= 6 ? level : EVX_HEADING_ANY;
}

/* Style ids of headings, from word/styles.xml, each with its outline level (1 to 6, or
 * EVX_HEADING_ANY): the style's name is "heading N" (level N), "Title" (1) or "Subtitle"
 * (2) (names are English whatever the ids), or it has an outline level. */
static GHashTable *
heading_styles (unzFile zf, guint64 max_bytes)
{
    GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    xmlDocPtr xml = parse_optional_member (zf, "word/styles.xml", max_bytes);
    if (!xml)
        return ids;
    for (xmlNodePtr s = xmlDocGetRootElement (xml)->children; s; s = s->next) {
        if (!is (s, W_NS, "style"))
            continue;
        g_autofree char *id = attr (s, W_NS, "styleId");
        int level = 0;   /* not a heading */
        for (xmlNodePtr c = s->children; c && id; c = c->next) {
            if (is (c, W_NS, "name") && level == 0) {
                g_autofree char *name = attr (c, W_NS, "val");
                g_autofree char *lower = name ? g_ascii_strdown (name, -1) : NULL;
                if (lower && g_str_has_prefix (lower, "heading")) {
                    const char *n = lower + strlen ("heading");
                    while (*n == ' ')
                        n++;
                    level = *n >= '1' && *n <= '6' && !n[1] ? *n - '0' : EVX_HEADING_ANY;
                } else if (lower && strcmp (lower, "title") == 0) {
                    level = 1;
                } else if (lower && strcmp (lower, "subtitle") == 0) {
                    level = 2;
                }
            } else if (is (c, W_NS, "pPr")) {
                for (xmlNodePtr o = c->children; o; o = o->next)
                    if (is (o, W_NS, "outlineLvl"))
                        level = outline_level (o);
            }
        }
        if (level > 0)
            g_hash_table_insert (ids, g_steal_pointer (&id), GINT_TO_POINTER (level));
    }
    xmlFreeDoc (xml);
    return ids;
}

/* TRUE when a toggle property (w:vanish, w:b, ...) is on: present, and its w:val is not
 * "false", "0" or "off". */
static gboolean
word_toggle_on (xmlNodePtr prop)
{
    g_autofree char *val = attr (prop, W_NS, "val");
    return !val || !(strcmp (val, "false") == 0 || strcmp (val, "0") == 0 || strcmp (val, "off") == 0);
}

/* TRUE for a run formatted as hidden text (w:vanish, or w:specVanish: always hidden). */
static gboolean
word_run_hidden (xmlNodePtr r)
{
    for (xmlNodePtr c = r->children; c; c = c->next) {
        if (!is (c, W_NS, "rPr"))
            continue;
        for (xmlNodePtr o = c->children; o; o = o->next)
            if ((is (o, W_NS, "vanish") || is (o, W_NS, "specVanish")) && word_toggle_on (o))
                return TRUE;
    }
    return FALSE;
}

/* The branch of an mc:AlternateContent to read: its first mc:Choice, or its
 * mc:Fallback when it has no Choice (both hold the same content, for different readers). */
static xmlNodePtr
mc_branch (xmlNodePtr alternate)
{
    xmlNodePtr fallback = NULL;
    for (xmlNodePtr c = alternate->children; c; c = c->next) {
        if (is (c, MC_NS, "Choice"))
            return c;
        if (!fallback && is (c, MC_NS, "Fallback"))
            fallback = c;
    }
    return fallback;
}

static void
word_runs (word_walk *w, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is (n, W_NS, "t")) {
            evx_markup_node_text (n, w->block, EVX_MARKUP_MAX_TEXT);
        } else if (is (n, W_NS, "tab") || is (n, W_NS, "ptab")) {
            g_string_append_c (w->block, ' ');
        } else if (is (n, W_NS, "noBreakHyphen")) {
            /* '-' rather than U+2011, which NFKC makes U+2010: searched as typed */
            g_string_append_c (w->block, '-');
        } else if (is (n, W_NS, "softHyphen")) {
            /* an optional hyphen: not text */
        } else if (is (n, W_NS, "br") || is (n, W_NS, "cr")) {
            g_string_append_c (w->block, '\n');
        } else if (is (n, W_NS, "del") || is (n, W_NS, "moveFrom") || is (n, W_NS, "instrText")
                   || is (n, W_NS, "pPr") || is (n, W_NS, "rPr")
                   || (is (n, W_NS, "r") && word_run_hidden (n))) {
            /* deleted text, text moved away (it is read where it moved to: w:moveTo),
             * field codes, formatting, hidden text */
        } else if (is (n, MC_NS, "AlternateContent")) {
            xmlNodePtr branch = mc_branch (n);
            if (branch)
                word_runs (w, branch->children);
        } else if (is (n, W_NS, "txbxContent")) {
            g_ptr_array_add (w->boxes, n);   /* its own blocks, after the paragraph */
        } else {
            word_runs (w, n->children);   /* r, hyperlink, ins, smartTag, sdt, fldSimple */
        }
    }
}

/* The outline level of the paragraph @p when it is a heading (its own outline level,
 * which outweighs its style's, else its style's: heading_styles()), else 0. */
static int
word_heading_level (word_walk *w, xmlNodePtr p)
{
    int level = 0;
    for (xmlNodePtr c = p->children; c; c = c->next) {
        if (!is (c, W_NS, "pPr"))
            continue;
        for (xmlNodePtr o = c->children; o; o = o->next) {
            if (is (o, W_NS, "outlineLvl"))
                return outline_level (o);
            if (is (o, W_NS, "pStyle")) {
                g_autofree char *id = attr (o, W_NS, "val");
                level = id ? GPOINTER_TO_INT (g_hash_table_lookup (w->heading_styles, id)) : 0;
            }
        }
    }
    return level;
}

static void word_blocks (word_walk *w, xmlNodePtr n, gboolean in_cell);

/* Reads the text boxes met since the last block was added, each paragraph of them a
 * block (text boxes in them come after). */
static void
word_flush_boxes (word_walk *w)
{
    if (w->boxes->len == 0)
        return;
    GPtrArray *boxes = w->boxes;
    w->boxes = g_ptr_array_new ();
    for (guint i = 0; i < boxes->len; i++)
        word_blocks (w, ((xmlNodePtr) g_ptr_array_index (boxes, i))->children, FALSE);
    g_ptr_array_unref (boxes);
}

static void
word_row (word_walk *w, xmlNodePtr tr)
{
    for (xmlNodePtr tc = tr->children; tc; tc = tc->next) {
        if (!is (tc, W_NS, "tc"))
            continue;
        if (w->block->len > 0)
            g_string_append (w->block, " | ");
        word_blocks (w, tc->children, TRUE);
    }
    evx_flow_add_block (w->flow, w->block->str, 0);
    g_string_truncate (w->block, 0);
    word_flush_boxes (w);
}

static void
word_blocks (word_walk *w, xmlNodePtr n, gboolean in_cell)
{
    for (; n; n = n->next) {
        if (is (n, W_NS, "p")) {
            if (in_cell) {
                if (w->block->len > 0 && w->block->str[w->block->len - 1] != ' ')
                    g_string_append_c (w->block, ' ');
                word_runs (w, n->children);
                continue;
            }
            word_runs (w, n->children);
            evx_flow_add_block (w->flow, w->block->str, word_heading_level (w, n));
            g_string_truncate (w->block, 0);
            word_flush_boxes (w);
        } else if (is (n, W_NS, "tbl")) {
            for (xmlNodePtr tr = n->children; tr; tr = tr->next) {
                if (!is (tr, W_NS, "tr"))
                    continue;
                if (in_cell)
                    word_blocks (w, tr->children, TRUE);   /* a table in a cell: its text */
                else
                    word_row (w, tr);
            }
        } else if (is (n, W_NS, "tc")) {
            word_blocks (w, n->children, in_cell);
        } else if (is (n, MC_NS, "AlternateContent")) {
            xmlNodePtr branch = mc_branch (n);
            if (branch)
                word_blocks (w, branch->children, in_cell);
        } else if (n->type == XML_ELEMENT_NODE && !is (n, W_NS, "sectPr")) {
            word_blocks (w, n->children, in_cell);   /* body, sdt, sdtContent, customXml */
        }
    }
}

/* Appends the notes in @member (word/footnotes.xml with @element "footnote", or
 * word/endnotes.xml with "endnote") as blocks, leaving out the separator lines (notes
 * of a w:type other than "normal").  TRUE when they were read or there are none. */
static gboolean
word_notes (word_walk *w, unzFile zf, const char *member, const char *element, guint64 max_bytes,
            GError **error)
{
    gboolean found;
    g_autoptr (GBytes) bytes = read_member (zf, member, max_bytes, &found, error);
    if (!bytes)
        return !found;
    xmlDocPtr xml = parse_member (bytes, member, error);
    if (!xml)
        return FALSE;
    for (xmlNodePtr n = xmlDocGetRootElement (xml)->children; n; n = n->next) {
        if (!is (n, W_NS, element))
            continue;
        g_autofree char *type = attr (n, W_NS, "type");
        if (!type || strcmp (type, "normal") == 0)
            word_blocks (w, n->children, FALSE);
    }
    word_flush_boxes (w);
    xmlFreeDoc (xml);
    return TRUE;
}

static gboolean
extract_docx (unzFile zf, guint64 max_bytes, evx_document *doc, GError **error)
{
    gboolean found;
    g_autoptr (GBytes) bytes = read_member (zf, "word/document.xml", max_bytes, &found, error);
    if (!bytes) {
        if (!found)
            g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED,
                         "damaged: DOCX file without word/document.xml");
        return FALSE;
    }
    xmlDocPtr xml = parse_member (bytes, "word/document.xml", error);
    if (!xml)
        return FALSE;
    g_autoptr (evx_page_layout) flow = evx_flow_new ();
    word_walk w = { flow, g_string_new (NULL), heading_styles (zf, max_bytes), g_ptr_array_new () };
    word_blocks (&w, xmlDocGetRootElement (xml)->children, FALSE);
    word_flush_boxes (&w);
    xmlFreeDoc (xml);
    /* the notes after the body, each member under the same limit as the body */
    gboolean ok = word_notes (&w, zf, "word/footnotes.xml", "footnote", max_bytes, error)
                  && word_notes (&w, zf, "word/endnotes.xml", "endnote", max_bytes, error);
    g_ptr_array_unref (w.boxes);
    g_string_free (w.block, TRUE);
    g_hash_table_unref (w.heading_styles);
    if (!ok)
        return FALSE;
    read_title (zf, "docProps/core.xml", doc);
    evx_passages_cut_flow (doc, flow);
    return TRUE;
}

/* ---- OpenDocument text ------------------------------------------------------ */

typedef struct {
    evx_page_layout *flow;
    GHashTable *hidden_styles;   /* names of styles whose text is hidden (text:display="none") */
    GPtrArray *notes;            /* the text:note-body of each note met, read after the body */
} odf_walk;

/* Adds to @names the styles among @n's children whose text properties hide the text. */
static void
odf_add_hidden_styles (GHashTable *names, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (!is (n, STYLE_NS, "style"))
            continue;
        for (xmlNodePtr p = n->children; p; p = p->next) {
            g_autofree char *display = is (p, STYLE_NS, "text-properties")
                                           ? attr (p, TEXT_NS, "display") : NULL;
            char *name = display && strcmp (display, "none") == 0 ? attr (n, STYLE_NS, "name") : NULL;
            if (name)
                g_hash_table_add (names, name);
        }
    }
}

/* The hidden styles of styles.xml (office:styles) and of content.xml's root @content
 * (office:automatic-styles).  A style that inherits hiding from its parent is not seen. */
static GHashTable *
odf_hidden_styles (unzFile zf, guint64 max_bytes, xmlNodePtr content)
{
    GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (xmlNodePtr n = content->children; n; n = n->next)
        if (is (n, OFFICE_NS, "automatic-styles"))
            odf_add_hidden_styles (names, n->children);
    xmlDocPtr xml = parse_optional_member (zf, "styles.xml", max_bytes);
    if (!xml)
        return names;
    for (xmlNodePtr n = xmlDocGetRootElement (xml)->children; n; n = n->next)
        if (is (n, OFFICE_NS, "styles"))
            odf_add_hidden_styles (names, n->children);
    xmlFreeDoc (xml);
    return names;
}

/* TRUE for a paragraph or span in a hidden style, a section with text:display="none",
 * a hidden-text field that is hidden, or a paragraph whose hidden-paragraph field says
 * it is hidden.  A section shown under a condition is read: the condition cannot be
 * evaluated here. */
static gboolean
odf_hidden (odf_walk *o, xmlNodePtr n)
{
    if (is (n, TEXT_NS, "section")) {
        g_autofree char *display = attr (n, TEXT_NS, "display");
        return display && strcmp (display, "none") == 0;
    }
    if (is (n, TEXT_NS, "hidden-text")) {
        g_autofree char *hidden = attr (n, TEXT_NS, "is-hidden");
        return hidden && strcmp (hidden, "true") == 0;
    }
    if (!is (n, TEXT_NS, "p") && !is (n, TEXT_NS, "h") && !is (n, TEXT_NS, "span"))
        return FALSE;
    g_autofree char *style = attr (n, TEXT_NS, "style-name");
    if (style && g_hash_table_contains (o->hidden_styles, style))
        return TRUE;
    if (is (n, TEXT_NS, "span"))
        return FALSE;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        g_autofree char *hidden = is (c, TEXT_NS, "hidden-paragraph") ? attr (c, TEXT_NS, "is-hidden") : NULL;
        if (hidden && strcmp (hidden, "true") == 0)
            return TRUE;
    }
    return FALSE;
}

static void
odf_inline (odf_walk *o, GString *out, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content) {
            g_string_append (out, (const char *) n->content);
        } else if (is (n, TEXT_NS, "s")) {
            g_string_append_c (out, ' ');
        } else if (is (n, TEXT_NS, "tab")) {
            g_string_append_c (out, ' ');
        } else if (is (n, TEXT_NS, "line-break")) {
            g_string_append_c (out, '\n');
        } else if (is (n, TEXT_NS, "note")) {
            for (xmlNodePtr c = n->children; c; c = c->next)
                if (is (c, TEXT_NS, "note-body"))
                    g_ptr_array_add (o->notes, c);   /* not the citation (its number) */
        } else if (is (n, OFFICE_NS, "annotation") || is (n, TEXT_NS, "tracked-changes")
                   || odf_hidden (o, n)) {
            /* comments and change records are not the running text */
        } else if (n->type == XML_ELEMENT_NODE) {
            odf_inline (o, out, n->children);   /* span, a, meta, ... */
        }
    }
}

/* 0 for a paragraph; for a text:h, its text:outline-level (1 to 6), else
 * EVX_HEADING_ANY. */
static int
odf_heading_level (xmlNodePtr n)
{
    if (!is (n, TEXT_NS, "h"))
        return 0;
    g_autofree char *val = attr (n, TEXT_NS, "outline-level");
    int level = val && val[0] >= '1' && val[0] <= '6' && !val[1] ? val[0] - '0' : 0;
    return level > 0 ? level : EVX_HEADING_ANY;
}

static void
odf_blocks (odf_walk *o, GString *row, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (odf_hidden (o, n)) {
            /* hidden sections and paragraphs */
        } else if (is (n, TEXT_NS, "h") || is (n, TEXT_NS, "p")) {
            if (row) {
                if (row->len > 0 && row->str[row->len - 1] != ' ')
                    g_string_append_c (row, ' ');
                odf_inline (o, row, n->children);
                continue;
            }
            g_autoptr (GString) text = g_string_new (NULL);
            odf_inline (o, text, n->children);
            evx_flow_add_block (o->flow, text->str, odf_heading_level (n));
        } else if (is (n, TABLE_NS, "table-row") && !row) {
            g_autoptr (GString) cells = g_string_new (NULL);
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (!is (c, TABLE_NS, "table-cell"))
                    continue;
                if (cells->len > 0)
                    g_string_append (cells, " | ");
                odf_blocks (o, cells, c->children);
            }
            evx_flow_add_block (o->flow, cells->str, 0);
        } else if (is (n, TEXT_NS, "tracked-changes") || is (n, OFFICE_NS, "annotation")
                   || is (n, TEXT_NS, "sequence-decls") || is (n, TABLE_NS, "table-columns")) {
            /* no running text */
        } else if (n->type == XML_ELEMENT_NODE) {
            odf_blocks (o, row, n->children);   /* body, text, list, section, table, ... */
        }
    }
}

static gboolean
extract_odt (unzFile zf, guint64 max_bytes, evx_document *doc, GError **error)
{
    gboolean found;
    g_autoptr (GBytes) bytes = read_member (zf, "content.xml", max_bytes, &found, error);
    if (!bytes) {
        if (!found)
            g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED, "damaged: ODF file without content.xml");
        return FALSE;
    }
    xmlDocPtr xml = parse_member (bytes, "content.xml", error);
    if (!xml)
        return FALSE;
    g_autoptr (evx_page_layout) flow = evx_flow_new ();
    xmlNodePtr root = xmlDocGetRootElement (xml);
    odf_walk o = { flow, odf_hidden_styles (zf, max_bytes, root), g_ptr_array_new () };
    for (xmlNodePtr n = root->children; n; n = n->next)
        if (is (n, OFFICE_NS, "body"))
            odf_blocks (&o, NULL, n->children);
    /* footnotes and endnotes after the body (a note in a note comes after them all) */
    for (guint i = 0; i < o.notes->len; i++)
        odf_blocks (&o, NULL, ((xmlNodePtr) g_ptr_array_index (o.notes, i))->children);
    g_ptr_array_unref (o.notes);
    g_hash_table_unref (o.hidden_styles);
    xmlFreeDoc (xml);
    read_title (zf, "meta.xml", doc);
    evx_passages_cut_flow (doc, flow);
    return TRUE;
}

/* ---- dispatch ----------------------------------------------------------------- */

/* Office Open XML packages other than DOCX, known by their main part's usual name, so
 * that a skipped file says what it is. */
static const struct {
    const char *member, *mime, *name;
} ooxml_others[] = {
    { "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "spreadsheet, XLSX" },
    { "ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "presentation, PPTX" },
};

/* What the zip holds, from its "mimetype" member (ODF) or its members (OOXML). */
static char *
zip_content_type (unzFile zf)
{
    gboolean found;
    g_autoptr (GError) ignored = NULL;
    g_autoptr (GBytes) mimetype = read_member (zf, "mimetype", 256, &found, &ignored);
    if (mimetype) {
        gsize n = 0;
        const char *s = g_bytes_get_data (mimetype, &n);
        g_autofree char *type = g_strstrip (g_strndup (s ? s : "", s ? n : 0));
        if (g_str_has_prefix (type, "application/") && strlen (type) <= 127
            && g_utf8_validate (type, -1, NULL) && !strpbrk (type, " \t\r\n"))
            return g_steal_pointer (&type);
    }
    if (unzLocateFile (zf, "word/document.xml", 1) == UNZ_OK)
        return g_strdup (EVX_MIME_DOCX);
    for (gsize i = 0; i < G_N_ELEMENTS (ooxml_others); i++)
        if (unzLocateFile (zf, ooxml_others[i].member, 1) == UNZ_OK)
            return g_strdup (ooxml_others[i].mime);
    return g_strdup ("application/zip");
}

/* TRUE when every entry of the central directory can be read. */
static gboolean
directory_readable (unzFile zf)
{
    int rc = unzGoToFirstFile (zf);
    while (rc == UNZ_OK)
        rc = unzGoToNextFile (zf);
    return rc == UNZ_END_OF_LIST_OF_FILE;
}

gboolean
evx_office_extract (const guint8 *data, gsize len, guint64 max_bytes, evx_document *doc,
                    char **mime_type, GError **error)
{
    mem_stream stream = { data, len, 0 };
    zlib_filefunc64_def io = { mem_open, mem_read, mem_write, mem_tell, mem_seek,
                               mem_close, mem_error, &stream };
    unzFile zf = unzOpen2_64 ("memory", &io);
    if (!zf) {
        if (mime_type)
            *mime_type = g_strdup ("application/zip");
        g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED,
                     "damaged: zip: the central directory cannot be read");
        return FALSE;
    }
    g_autofree char *type = zip_content_type (zf);
    if (mime_type)
        *mime_type = g_strdup (type);
    if (strcmp (type, "application/zip") == 0 && !directory_readable (zf)) {
        unzClose (zf);
        g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED,
                     "damaged: zip: the central directory is broken");
        return FALSE;
    }
    gboolean ok;
    if (strcmp (type, EVX_MIME_DOCX) == 0) {
        ok = extract_docx (zf, max_bytes, doc, error);
    } else if (strcmp (type, EVX_MIME_ODT) == 0) {
        ok = extract_odt (zf, max_bytes, doc, error);
    } else {
        const char *name = NULL;
        for (gsize i = 0; i < G_N_ELEMENTS (ooxml_others); i++)
            if (strcmp (type, ooxml_others[i].mime) == 0)
                name = ooxml_others[i].name;
        g_set_error (error, EVX_ERROR, EVX_ERROR_UNSUPPORTED, "unsupported type: %s%s%s%s", type,
                     name ? " (" : "", name ? name : "", name ? ")" : "");
        ok = FALSE;
    }
    unzClose (zf);
    if (ok) {
        g_free (doc->mime_type);
        doc->mime_type = g_strdup (type);
    }
    return ok;
}
