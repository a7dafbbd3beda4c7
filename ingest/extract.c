/* extract.c - type sniffing and dispatch to the format extractors. */
#include "ingest/extract.h"

#include <gio/gio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/certificate.h"
#include "ingest/commitment.h"
#include "ingest/compress.h"
#include "ingest/doctype.h"
#include "ingest/error.h"
#include "ingest/mapping.h"
#include "ingest/markup.h"
#include "ingest/normalise.h"
#include "ingest/office.h"
#include "ingest/pdf.h"
#include "ingest/plaintext.h"

#define SNIFF_BYTES 4096
#define MAX_GZIP_LAYERS 2

/* Case-insensitive search for @needle in the first @len bytes of @hay. */
static gboolean
contains_nocase (const char *hay, gsize len, const char *needle)
{
    gsize n = strlen (needle);
    for (gsize i = 0; i + n <= len; i++)
        if (g_ascii_strncasecmp (hay + i, needle, n) == 0)
            return TRUE;
    return FALSE;
}

/* Elements of HTML that a page or a Markdown file may start with ("<p align=center>"
 * opens many a README). */
static const char *const html_elements[] = {
    "a", "abbr", "address", "article", "aside", "b", "blockquote", "br", "center", "details",
    "div", "dl", "em", "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "li", "ol", "p", "picture", "pre", "section", "small", "span", "strong", "summary",
    "table", "u", "ul", NULL,
};

/* TRUE when a line of the first @len bytes of @text is a Markdown heading ("# Title"). */
static gboolean
has_markdown_heading (const char *text, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        if ((i == 0 || text[i - 1] == '\n') && text[i] == '#') {
            gsize j = i;
            while (j < len && j - i < 6 && text[j] == '#')
                j++;
            if (j < len && (text[j] == ' ' || text[j] == '\t'))
                return TRUE;
        }
    }
    return FALSE;
}

/* TRUE when the HTML in the first SNIFF_BYTES of @text has no doctype, html, head or
 * body tag: a fragment, which may be Markdown that opens with HTML. */
static gboolean
html_fragment (const char *text, gsize len)
{
    len = MIN (len, SNIFF_BYTES);
    return contains_nocase (text, len, "<!doctype html") || contains_nocase (text, len, "<html")
                   || contains_nocase (text, len, "<body") || contains_nocase (text, len, "<head")
               ? FALSE
               : TRUE;
}

/* The markup type of text that starts with "<", or NULL. */
static const char *
sniff_markup (const char *text, gsize len)
{
    gsize i = 0;
    while (i < len && g_ascii_isspace (text[i]))
        i++;
    if (i >= len || text[i] != '<')
        return NULL;
    if (!html_fragment (text + i, len - i))
        return "text/html";   /* a page: a doctype, html, head or body tag */
    if (contains_nocase (text + i, MIN (len - i, 5), "<?xml") || contains_nocase (text + i, MIN (len - i, 4), "<!--")
        || contains_nocase (text + i, MIN (len - i, 9), "<!doctype"))
        return "application/xml";
    /* a start tag: an XML name, then white space, ">" or "/" ("<alice@example.com>" and
     * "<?php" are text) */
    gsize j = i + 1;
    if (j >= len || !(g_ascii_isalpha (text[j]) || text[j] == '_'))
        return NULL;
    while (j < len && (g_ascii_isalnum (text[j]) || strchr ("_:.-", text[j])))
        j++;
    if (j >= len || !(g_ascii_isspace (text[j]) || text[j] == '>' || text[j] == '/'))
        return NULL;
    /* an HTML element: a fragment of HTML, or Markdown that starts with one (which
     * extract_bytes() tells, from the whole file) */
    g_autofree char *name = g_strndup (text + i + 1, j - i - 1);
    for (guint k = 0; html_elements[k]; k++)
        if (g_ascii_strcasecmp (name, html_elements[k]) == 0)
            return "text/html";
    return "application/xml";
}

/* TRUE when at most 1 byte in 10 is a control character (other than white space) or
 * not valid UTF-8: text with a few broken bytes, which GIO calls binary. */
static gboolean
mostly_text (const char *text, gsize len)
{
    gsize bad = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *stop = NULL;
        if (g_utf8_validate_len (p, (gsize) (end - p), &stop))
            stop = end;
        for (const char *q = p; q < stop; q++) {
            guchar c = (guchar) *q;
            if ((c < 0x20 && !g_ascii_isspace (c)) || c == 0x7F)
                bad++;
        }
        if (stop >= end)
            break;
        if (end - stop < 4 && (guchar) *stop >= 0xC0)
            break;   /* a character cut by the end of the sniffed bytes */
        bad++;
        p = stop + 1;
    }
    return len > 0 && bad * 10 <= len;
}

char *
evx_extract_sniff (const guchar *head, gsize len)
{
    len = MIN (len, SNIFF_BYTES);
    /* PDF readers accept the header anywhere in the first 1024 bytes. */
    for (gsize i = 0; i + 5 <= len && i < 1024; i++) {
        if (memcmp (head + i, "%PDF-", 5) == 0)
            return g_strdup ("application/pdf");
    }
    if (len == 0)
        return g_strdup ("application/x-zerosize");
    if (len >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        return g_strdup ("application/gzip");
    if (len >= 4 && head[0] == 'P' && head[1] == 'K'
        && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
        return g_strdup ("application/zip");

    /* Markup and text, in UTF-8 or (after a byte-order mark) UTF-16. */
    g_autofree char *utf16 = NULL;
    gsize text_len = len;
    const char *text = (const char *) head;
    if (len >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))) {
        utf16 = g_convert ((const char *) head + 2, (gssize) ((len - 2) & ~(gsize) 1), "UTF-8",
                           head[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", NULL, &text_len, NULL);
        if (utf16) {
            text = utf16;
            const char *markup = sniff_markup (text, text_len);
            return g_strdup (markup ? markup : "text/plain");
        }
        text_len = len;
    }
    if (text_len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        text_len -= 3;
    }
    const char *markup = sniff_markup (text, text_len);
    if (markup)
        return g_strdup (markup);

    if (evx_plaintext_utf16_order (head, len))
        return g_strdup ("text/plain");   /* UTF-16 without a byte-order mark */
    gboolean uncertain = FALSE;
    g_autofree char *type = g_content_type_guess (NULL, head, len, &uncertain);
    char *mime = type ? g_content_type_get_mime_type (type) : NULL;
    if ((!mime || strcmp (mime, "application/octet-stream") == 0) && mostly_text (text, text_len)) {
        g_free (mime);
        mime = g_strdup ("text/plain");
    }
    if (mime && (g_str_has_prefix (mime, "text/") || g_str_has_prefix (mime, "message/"))) {
        /* GIO names text by its first characters ("%" reads as MATLAB, "From:" as
         * mail): all of it is plain text to evidex */
        g_free (mime);
        mime = g_strdup ("text/plain");
    }
    return mime ? mime : g_strdup ("application/octet-stream");
}

/* Files up to this size are read into memory; larger ones are mapped (unmapping costs
 * more than copying a small file). */
#define READ_MAX_BYTES (4 << 20)

/* The @size bytes of the open file @fd, read; NULL when reading fails or falls short. */
static GBytes *
read_all (int fd, gsize size)
{
    gsize got = 0;
    char *buf = g_malloc (size + 1);
    while (got < size) {
        ssize_t n = read (fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (gsize) n;
    }
    if (got < size) {
        g_free (buf);
        return NULL;
    }
    return g_bytes_new_take (buf, size);
}

/* Whether the open file @st is the file @expect describes (evx_extract_open()). */
static gboolean
is_expected (const char *path, const struct stat *st, const evx_file_identity *expect)
{
    if (!expect || (!expect->dev && !expect->ino))
        return TRUE;
    if ((guint64) st->st_dev == expect->dev && (guint64) st->st_ino == expect->ino)
        return TRUE;
    /* inode numbers that are not stable: the same size and time, under a name that is
     * no symbolic link (a link put there is the swap this check is for) */
    struct stat lst;
    gint64 mtime_ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
    return lstat (path, &lst) == 0 && S_ISREG (lst.st_mode) && (gint64) st->st_size == expect->size
           && mtime_ns == expect->mtime_ns;
}

char *
evx_extract_size_limit_message (guint64 size, guint64 max_bytes)
{
    /* in the limit's unit, one decimal, never rounded up to look like the limit */
    char mib[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd (mib, sizeof mib, "%.1f", (double) (size >> 20)
                                                   + (double) ((size & 0xFFFFF) * 10 >> 20) / 10);
    return g_strdup_printf ("limit: the file is %s MiB (%" G_GUINT64_FORMAT " bytes), more than %"
                            G_GUINT64_FORMAT " MiB (--max-file-size)", mib, size, max_bytes >> 20);
}

int
evx_extract_open (const char *path, const evx_file_identity *expect, guint64 max_bytes,
                  struct stat *st, GError **error)
{
    int fd = open (path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot open: %s", g_strerror (errno));
        return -1;
    }
    const char *changed = NULL;
    if (fstat (fd, st) != 0)
        changed = g_strerror (errno);
    else if (!S_ISREG (st->st_mode))
        changed = "changed during the run: no longer a regular file";
    else if (!is_expected (path, st, expect))
        changed = "changed during the run: another file now has its name";
    if (changed) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot read: %s", changed);
        close (fd);
        return -1;
    }
    if (max_bytes && (guint64) st->st_size > max_bytes) {
        g_autofree char *why = evx_extract_size_limit_message ((guint64) st->st_size, max_bytes);
        g_set_error_literal (error, EVX_ERROR, EVX_ERROR_LIMIT, why);
        close (fd);
        return -1;
    }
    return fd;
}

/* The content of the regular file at @path (evx_extract_open()): read when small,
 * else mapped. */
static GBytes *
read_file (const char *path, const evx_extract_options *opts, GError **error)
{
    struct stat st;
    int fd = evx_extract_open (path, &opts->expect, opts->max_bytes, &st, error);
    if (fd < 0)
        return NULL;
    guint64 size = (guint64) st.st_size;
    GBytes *bytes = NULL;
    if (size <= READ_MAX_BYTES) {
        bytes = read_all (fd, (gsize) size);
        if (!bytes)
            g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot read: %s",
                         errno ? g_strerror (errno) : "the file got shorter while it was read");
    } else {
        g_autoptr (GError) gerr = NULL;
        GMappedFile *mapped = g_mapped_file_new_from_fd (fd, FALSE, &gerr);
        if (mapped) {
            bytes = g_mapped_file_get_bytes (mapped);
            g_mapped_file_unref (mapped);
        } else if (g_error_matches (gerr, G_FILE_ERROR, G_FILE_ERROR_NOMEM)) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT,
                         "limit: no memory to read the file within the memory limit");
        } else {
            g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot read: %s", gerr->message);
        }
    }
    close (fd);
    return bytes;
}

/* Fills @doc from @bytes; FALSE with @error set when it cannot. */
static gboolean
extract_bytes (GBytes *bytes, const evx_extract_options *opts, int layers, evx_document *doc,
               char **mime_type, GError **error)
{
    gsize len = 0;
    const guint8 *data = g_bytes_get_data (bytes, &len);
    g_autofree char *mime = evx_extract_sniff (data, len);
    g_free (*mime_type);
    *mime_type = g_strdup (mime);

    if (strcmp (mime, "application/gzip") == 0) {
        if (layers >= MAX_GZIP_LAYERS) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_UNSUPPORTED,
                         "unsupported type: application/gzip inside %d gzip layers", layers);
            return FALSE;
        }
        g_autoptr (GBytes) inner = evx_gunzip (data, len, opts->max_bytes, error);
        if (!inner)
            return FALSE;
        g_free (doc->container);
        doc->container = g_strdup ("application/gzip");
        return extract_bytes (inner, opts, layers + 1, doc, mime_type, error);
    }
    if (strcmp (mime, "application/pdf") == 0) {
        g_autoptr (GPtrArray) pages = NULL;
        if (!evx_pdf_extract (bytes, opts->password, opts->max_pages, doc, &pages, error))
            return FALSE;
        evx_passages_cut (doc, pages);
        return TRUE;
    }
    if (strcmp (mime, "application/zip") == 0) {
        g_autofree char *inner = NULL;
        gboolean ok = evx_office_extract (data, len, opts->max_bytes, doc, &inner, error);
        g_free (*mime_type);
        *mime_type = g_steal_pointer (&inner);
        return ok;
    }
    if (strcmp (mime, "text/html") == 0 && html_fragment ((const char *) data, len)
        && has_markdown_heading ((const char *) data, len) && evx_plaintext_is_markdown (data, len)) {
        /* Markdown that opens with HTML (a README's <p align="center"> of badges): cmark
         * finds a heading in it, outside HTML blocks (a "#" line in a <pre> is none) */
        g_free (mime);
        mime = g_strdup ("text/plain");
    }
    if (strcmp (mime, "text/html") == 0)
        return evx_markup_extract_html (data, len, doc, error);
    if (strcmp (mime, "application/xml") == 0) {
        g_autoptr (GError) xml_error = NULL;
        if (!evx_markup_extract_xml (data, len, doc, &xml_error)) {
            /* no element at all: it only looked like markup; read it as text */
            fprintf (stderr, "%s; read as plain text\n", xml_error->message);
            evx_plaintext_extract (data, len, doc);
        }
        g_free (*mime_type);
        *mime_type = g_strdup (doc->mime_type);
        return TRUE;
    }
    if (strcmp (mime, "text/plain") == 0) {
        evx_plaintext_extract (data, len, doc);
        g_free (*mime_type);
        *mime_type = g_strdup (doc->mime_type);
        return TRUE;
    }
    g_set_error (error, EVX_ERROR, EVX_ERROR_UNSUPPORTED, "unsupported type: %s", mime);
    return FALSE;
}

/* Metadata is shown with every hit: normalised (no control characters), at most
 * EVX_METADATA_MAX_CHARS characters, NULL when empty. */
static void
clean_metadata (char **value)
{
    if (!*value)
        return;
    char *norm = evx_normalise_text (*value, -1, NULL);
    g_free (*value);
    *value = norm;
    if (g_utf8_strlen (norm, -1) > EVX_METADATA_MAX_CHARS)
        *g_utf8_offset_to_pointer (norm, EVX_METADATA_MAX_CHARS) = '\0';
    if (!*norm)
        g_clear_pointer (value, g_free);
}

/* The kind of document, from its title (metadata, else its first heading) and text. */
static void
classify (evx_document *doc)
{
    g_autofree char *heading = NULL;
    for (guint i = 0; i < doc->passages->len && !heading; i++) {
        const evx_passage *p = g_ptr_array_index (doc->passages, i);
        if (p->is_heading && p->heading_chars > 0)
            heading = g_utf8_substring (p->text, 0, p->heading_chars);
    }
    g_autoptr (GString) text = g_string_new (NULL);
    for (guint i = 0; i < doc->page_texts->len && text->len < 100000; i++) {
        g_string_append (text, g_ptr_array_index (doc->page_texts, i));
        g_string_append_c (text, '\n');
    }
    g_autofree char *title = g_strjoin ("\n", doc->title ? doc->title : "", heading ? heading : "",
                                        NULL);
    doc->doc_type = evx_doctype_classify (title, text->str, NULL);
    if (doc->doc_type == EVX_DOCTYPE_CERTIFICATE)
        doc->certificate = evx_certificate_read (doc);
}

evx_document *
evx_extract_file_with (const char *path, const evx_extract_options *opts, const evx_catalog *cat,
                       char **mime_type, GError **error)
{
    static const evx_extract_options defaults = { .max_bytes = EVX_EXTRACT_DEFAULT_MAX_BYTES,
                                                  .max_pages = EVX_EXTRACT_DEFAULT_MAX_PAGES };
    if (!opts)
        opts = &defaults;
    g_autofree char *mime = NULL;
    g_autoptr (evx_document) doc = evx_document_new (path);
    g_autoptr (GBytes) bytes = read_file (path, opts, error);
    gboolean ok = bytes && extract_bytes (bytes, opts, 0, doc, &mime, error);
    if (mime_type)
        *mime_type = g_strdup (mime);
    if (!ok)
        return NULL;
    if (!doc->mime_type)
        doc->mime_type = g_strdup (mime);
    clean_metadata (&doc->title);
    clean_metadata (&doc->author);
    clean_metadata (&doc->producer);
    if (mime_type) {
        g_free (*mime_type);
        *mime_type = g_strdup (doc->mime_type);
    }
    evx_mapping_tag (doc, cat);
    classify (doc);
    for (guint i = 0; i < doc->passages->len; i++) {
        evx_passage *p = g_ptr_array_index (doc->passages, i);
        /* a heading is not part of the first sentence after it */
        const char *body = p->is_heading ? g_utf8_offset_to_pointer (p->text, p->heading_chars)
                                         : p->text;
        g_autoptr (GPtrArray) found = evx_commitments_find (body);
        g_ptr_array_extend_and_steal (p->commitments, g_steal_pointer (&found));
    }
    return g_steal_pointer (&doc);
}

void
evx_extract_prepare (const evx_catalog *cat)
{
    /* a small text that takes every path that compiles a pattern or builds a table */
    static const char text[] = "Page 1 of 2\n\n4.1 Context of the organization\n\n"
                               "ISO 22301:2019 clause 8.2.2 and section 8.4 of ISO 22301 cover "
                               "the business impact analysis and the exercise programme.\n";
    g_autoptr (evx_document) doc = evx_document_new ("/prepare");
    g_autoptr (evx_page_layout) page = evx_page_layout_new (1, 595, 842);
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    for (guint i = 0; lines[i]; i++)
        evx_page_layout_add_line (page, lines[i], 50, 100 + 14 * i, 500, 112 + 14 * i, 10, FALSE);
    g_autoptr (GPtrArray) pages = g_ptr_array_new ();
    g_ptr_array_add (pages, page);
    evx_passages_cut (doc, pages);
    evx_mapping_tag (doc, cat);
    /* the kind, certificate and commitment patterns */
    evx_doctype_classify ("Certificate of Registration", text, NULL);
    evx_certificate_free (evx_certificate_read (doc));
    g_ptr_array_unref (evx_commitments_find ("The Board shall review it annually. It will."));
    g_free (evx_date_parse (" 2 September 2024", 0));
    /* poppler's global tables */
    evx_pdf_prepare ();
    /* GIO reads the shared MIME database on its first guess */
    static const guchar binary[] = { 0x00, 0x01, 0x02, 0xFE, 0xFF, 0x80, 0x81, 0x82 };
    g_free (evx_extract_sniff (binary, sizeof binary));
}

evx_document *
evx_extract_file (const char *path, const evx_catalog *cat, GError **error)
{
    return evx_extract_file_with (path, NULL, cat, NULL, error);
}
