/* extract.c - type sniffing and dispatch to the format extractors. */
#include "ingest/extract.h"

#include <gio/gio.h>
#include <errno.h>
#include <string.h>

#include "ingest/compress.h"
#include "ingest/error.h"
#include "ingest/mapping.h"
#include "ingest/markup.h"
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

/* The markup type of text that starts with "<", or NULL. */
static const char *
sniff_markup (const char *text, gsize len)
{
    gsize i = 0;
    while (i < len && g_ascii_isspace (text[i]))
        i++;
    if (i >= len || text[i] != '<')
        return NULL;
    if (contains_nocase (text + i, len - i, "<!doctype html") || contains_nocase (text + i, len - i, "<html")
        || contains_nocase (text + i, len - i, "<body") || contains_nocase (text + i, len - i, "<head"))
        return "text/html";
    if (i + 1 < len && (text[i + 1] == '?' || text[i + 1] == '!' || g_ascii_isalpha (text[i + 1])
                        || text[i + 1] == '_'))
        return "application/xml";
    return NULL;
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

    gboolean uncertain = FALSE;
    g_autofree char *type = g_content_type_guess (NULL, head, len, &uncertain);
    char *mime = type ? g_content_type_get_mime_type (type) : NULL;
    if ((!mime || strcmp (mime, "application/octet-stream") == 0) && mostly_text (text, text_len)) {
        g_free (mime);
        mime = g_strdup ("text/plain");
    }
    if (mime && g_str_has_prefix (mime, "text/")) {
        /* GIO names text by its first characters ("%" reads as MATLAB): all of it
         * is plain text to evidex */
        g_free (mime);
        mime = g_strdup ("text/plain");
    }
    return mime ? mime : g_strdup ("application/octet-stream");
}

static GBytes *
read_file (const char *path, guint64 max_bytes, GError **error)
{
    g_autoptr (GError) gerr = NULL;
    GMappedFile *mapped = g_mapped_file_new (path, FALSE, &gerr);
    if (!mapped) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot read: %s", gerr->message);
        return NULL;
    }
    if (max_bytes && g_mapped_file_get_length (mapped) > max_bytes) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT,
                     "limit: the file is %" G_GUINT64_FORMAT " MiB, more than %" G_GUINT64_FORMAT
                     " MiB (--max-file-size)",
                     (guint64) g_mapped_file_get_length (mapped) >> 20, max_bytes >> 20);
        g_mapped_file_unref (mapped);
        return NULL;
    }
    GBytes *bytes = g_mapped_file_get_bytes (mapped);
    g_mapped_file_unref (mapped);
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
    if (strcmp (mime, "text/html") == 0)
        return evx_markup_extract_html (data, len, doc, error);
    if (strcmp (mime, "application/xml") == 0) {
        gboolean ok = evx_markup_extract_xml (data, len, doc, error);
        if (ok) {
            g_free (*mime_type);
            *mime_type = g_strdup (doc->mime_type);
        }
        return ok;
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

evx_document *
evx_extract_file_with (const char *path, const evx_extract_options *opts, const evx_catalog *cat,
                       char **mime_type, GError **error)
{
    static const evx_extract_options defaults = { NULL, EVX_EXTRACT_DEFAULT_MAX_BYTES,
                                                  EVX_EXTRACT_DEFAULT_MAX_PAGES };
    if (!opts)
        opts = &defaults;
    g_autofree char *mime = NULL;
    g_autoptr (evx_document) doc = evx_document_new (path);
    g_autoptr (GBytes) bytes = read_file (path, opts->max_bytes, error);
    gboolean ok = bytes && extract_bytes (bytes, opts, 0, doc, &mime, error);
    if (mime_type)
        *mime_type = g_strdup (mime);
    if (!ok)
        return NULL;
    if (!doc->mime_type)
        doc->mime_type = g_strdup (mime);
    if (mime_type) {
        g_free (*mime_type);
        *mime_type = g_strdup (doc->mime_type);
    }
    evx_mapping_tag (doc, cat);
    return g_steal_pointer (&doc);
}

evx_document *
evx_extract_file (const char *path, const evx_catalog *cat, GError **error)
{
    return evx_extract_file_with (path, NULL, cat, NULL, error);
}
