/* extract.c - type sniffing and dispatch to the format extractors. */
#include "ingest/extract.h"

#include <gio/gio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ingest/mapping.h"
#include "ingest/error.h"
#include "ingest/pdf.h"

#define SNIFF_BYTES 4096

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
    gboolean uncertain = FALSE;
    g_autofree char *type = g_content_type_guess (NULL, head, len, &uncertain);
    char *mime = type ? g_content_type_get_mime_type (type) : NULL;
    if (mime && g_str_has_prefix (mime, "text/")) {
        /* GIO names text by its first characters ("%" reads as MATLAB): all of it
         * is plain text to evidex */
        g_free (mime);
        mime = g_strdup ("text/plain");
    }
    return mime ? mime : g_strdup ("application/octet-stream");
}

static char *
sniff_file (const char *path, GError **error)
{
    FILE *f = fopen (path, "rb");
    if (!f) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot open: %s", g_strerror (errno));
        return NULL;
    }
    guchar head[SNIFF_BYTES];
    size_t n = fread (head, 1, sizeof head, f);
    gboolean failed = ferror (f);
    fclose (f);
    if (failed) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot read: %s", g_strerror (errno));
        return NULL;
    }
    return evx_extract_sniff (head, n);
}

evx_document *
evx_extract_file (const char *path, const evx_catalog *cat, GError **error)
{
    g_autofree char *mime = sniff_file (path, error);
    if (!mime)
        return NULL;
    if (strcmp (mime, "application/pdf") != 0) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_UNSUPPORTED, "unsupported type: %s", mime);
        return NULL;
    }
    g_autoptr (evx_document) doc = evx_document_new (path);
    g_autoptr (GPtrArray) pages = NULL;
    if (!evx_pdf_extract (path, NULL, doc, &pages, error))
        return NULL;
    evx_passages_cut (doc, pages);
    evx_mapping_tag (doc, cat);
    return g_steal_pointer (&doc);
}
