/* malformed.c - the malformed-file sweep of scripts/sweep (issue 8).
 *
 *   malformed make SOURCE_DIR OUT_DIR   writes broken files, deterministically (fixed
 *                                       seed), from the project's corpus
 *   malformed summary REPORT.json       reads an `evidex ingest --report` and prints
 *                                       the outcomes; exit 1 when a file was neither
 *                                       indexed nor failed or skipped with a reason
 *
 * What `make` writes, from corpus/pdf and corpus/src under SOURCE_DIR:
 *   pdf-truncated   each PDF cut at 10 offsets (5 % to 95 % of its length)
 *   pdf-flipped     each PDF with 32 bytes flipped, 6 seeds
 *   pdf-xref        each PDF with the offsets of its cross-reference table garbled
 *   pdf-stream      each PDF with the middle of every content stream overwritten
 *   pdf-header      each PDF with its "%PDF-" header damaged
 *   gzip-crc        each corpus text gzipped with a wrong CRC-32 and length
 *   gzip-cut        each corpus text gzipped and cut in half
 *   zip-*           a DOCX (written with minizip) with a broken central directory:
 *                   wrong offset, wrong entry count, cut off, local header garbled,
 *                   member sizes lying (a zip bomb's trick)
 *   markup-*        HTML and XML nested 300, 10,000 and 200,000 levels deep, unclosed
 *                   tags, an entity-expansion ("billion laughs") document, a 1 MiB
 *                   attribute
 *   text-*          invalid UTF-8, NUL bytes, an odd-length UTF-16 file, a 4 MiB line
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

static guint written;

static void
put (const char *dir, const char *name, const void *data, gsize len)
{
    g_autofree char *path = g_build_filename (dir, name, NULL);
    GError *error = NULL;
    if (!g_file_set_contents (path, data, (gssize) len, &error)) {
        g_printerr ("malformed: %s\n", error->message);
        exit (1);
    }
    written++;
}

static GBytes *
slurp (const char *path)
{
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents (path, &data, &len, NULL)) {
        g_printerr ("malformed: cannot read %s\n", path);
        exit (1);
    }
    return g_bytes_new_take (data, len);
}

/* The names of the files in @dir ending in @suffix, sorted. */
static GPtrArray *
list (const char *dir, const char *suffix)
{
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
        if (g_str_has_suffix (name, suffix))
            g_ptr_array_add (names, g_strdup (name));
    g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
    return names;
}

static void
pdfs (const char *src, const char *out, GRand *rand)
{
    g_autofree char *dir = g_build_filename (src, "corpus", "pdf", NULL);
    g_autoptr (GPtrArray) names = list (dir, ".pdf");
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index (names, i);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autoptr (GBytes) bytes = slurp (path);
        gsize len = 0;
        const guint8 *data = g_bytes_get_data (bytes, &len);
        static const int cuts[] = { 5, 15, 25, 35, 45, 55, 65, 75, 85, 95 };
        for (guint c = 0; c < G_N_ELEMENTS (cuts); c++) {
            g_autofree char *n = g_strdup_printf ("pdf-truncated-%02d-%s", cuts[c], name);
            put (out, n, data, len * (gsize) cuts[c] / 100);
        }
        for (int seed = 0; seed < 6; seed++) {
            g_autofree guint8 *copy = g_memdup2 (data, len);
            for (int k = 0; k < 32; k++)
                copy[g_rand_int_range (rand, 0, (gint32) len)] ^= (guint8) g_rand_int_range (rand, 1, 256);
            g_autofree char *n = g_strdup_printf ("pdf-flipped-%d-%s", seed, name);
            put (out, n, copy, len);
        }
        /* the cross-reference table: every digit of its entries becomes '7' */
        g_autofree guint8 *xref = g_memdup2 (data, len);
        const char *at = g_strstr_len ((const char *) xref, (gssize) len, "\nxref");
        for (gsize k = at ? (gsize) (at - (const char *) xref) + 5 : len; k < len && k < (gsize) (at - (const char *) xref) + 4000; k++)
            if (g_ascii_isdigit (xref[k]))
                xref[k] = '7';
        g_autofree char *nx = g_strdup_printf ("pdf-xref-%s", name);
        put (out, nx, xref, len);
        /* the middle third of every stream overwritten */
        g_autofree guint8 *streams = g_memdup2 (data, len);
        for (const char *s = (const char *) streams;
             (s = g_strstr_len (s, (gssize) (len - (gsize) (s - (const char *) streams)), "stream\n"));) {
            const char *e = g_strstr_len (s, (gssize) (len - (gsize) (s - (const char *) streams)), "endstream");
            if (!e)
                break;
            gsize from = (gsize) (s - (const char *) streams) + 7, to = (gsize) (e - (const char *) streams);
            for (gsize k = from + (to - from) / 3; k < from + 2 * (to - from) / 3; k++)
                streams[k] = (guint8) g_rand_int_range (rand, 0, 256);
            s = e + 9;
        }
        g_autofree char *ns = g_strdup_printf ("pdf-stream-%s", name);
        put (out, ns, streams, len);
        g_autofree guint8 *header = g_memdup2 (data, len);
        if (len > 5)
            memcpy (header, "%PDX-", 5);
        g_autofree char *nh = g_strdup_printf ("pdf-header-%s", name);
        put (out, nh, header, len);
    }
}

static GByteArray *
gzip (const guint8 *data, gsize len)
{
    z_stream z = { 0 };
    deflateInit2 (&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    GByteArray *out = g_byte_array_sized_new ((guint) deflateBound (&z, (uLong) len));
    g_byte_array_set_size (out, (guint) deflateBound (&z, (uLong) len));
    z.next_in = (Bytef *) data;
    z.avail_in = (uInt) len;
    z.next_out = out->data;
    z.avail_out = out->len;
    deflate (&z, Z_FINISH);
    g_byte_array_set_size (out, (guint) z.total_out);
    deflateEnd (&z);
    return out;
}

static void
gzips (const char *src, const char *out)
{
    g_autofree char *dir = g_build_filename (src, "corpus", "src", NULL);
    g_autoptr (GPtrArray) names = list (dir, ".txt");
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index (names, i);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autoptr (GBytes) bytes = slurp (path);
        gsize len = 0;
        const guint8 *data = g_bytes_get_data (bytes, &len);
        g_autoptr (GByteArray) gz = gzip (data, len);
        g_autofree char *cut = g_strdup_printf ("gzip-cut-%s.gz", name);
        put (out, cut, gz->data, gz->len / 2);
        for (guint k = gz->len - 8; k < gz->len; k++)   /* CRC-32 and length */
            gz->data[k] ^= 0x5a;
        g_autofree char *crc = g_strdup_printf ("gzip-crc-%s.gz", name);
        put (out, crc, gz->data, gz->len);
    }
}

static void
zip_add (zipFile zf, const char *name, const char *text)
{
    zip_fileinfo zi = { 0 };
    zipOpenNewFileInZip (zf, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, Z_DEFAULT_COMPRESSION);
    zipWriteInFileInZip (zf, text, (unsigned) strlen (text));
    zipCloseFileInZip (zf);
}

/* Replaces the first 4-byte little-endian field at @offset bytes after the last
 * signature @sig in @zip with @value. */
static void
patch_after (GByteArray *zip, guint32 sig, gsize offset, guint32 value)
{
    for (gsize k = zip->len - 4; k > 0; k--) {
        guint32 v;
        memcpy (&v, zip->data + k, 4);
        if (GUINT32_FROM_LE (v) == sig && k + offset + 4 <= zip->len) {
            guint32 le = GUINT32_TO_LE (value);
            memcpy (zip->data + k + offset, &le, 4);
            return;
        }
    }
}

static void
zips (const char *out)
{
    g_autofree char *tmp = g_build_filename (out, "zip-source.tmp", NULL);
    zipFile zf = zipOpen (tmp, APPEND_STATUS_CREATE);
    zip_add (zf, "[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
    zip_add (zf, "word/document.xml",
             "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/"
             "wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>8.4.4 Business continuity "
             "plans shall be tested annually.</w:t></w:r></w:p></w:body></w:document>");
    zipClose (zf, NULL);
    g_autoptr (GBytes) bytes = slurp (tmp);
    g_unlink (tmp);
    gsize len = 0;
    const guint8 *data = g_bytes_get_data (bytes, &len);
    struct {
        const char *name;
        guint32 sig;
        gsize offset;
        guint32 value;
    } cases[] = {
        { "zip-cd-offset.docx", 0x06054b50, 16, 0x7fffffff },   /* central directory offset */
        { "zip-cd-count.docx", 0x06054b50, 8, 0xffff0000 },     /* entries (this disk, total) */
        { "zip-cd-size.docx", 0x06054b50, 12, 3 },              /* central directory size */
        { "zip-member-size.docx", 0x02014b50, 24, 0x7fffffff }, /* uncompressed size: a bomb's lie */
        { "zip-local-header.docx", 0x04034b50, 14, 0xdeadbeef },/* CRC of the last member */
    };
    for (guint c = 0; c < G_N_ELEMENTS (cases); c++) {
        g_autoptr (GByteArray) z = g_byte_array_new ();
        g_byte_array_append (z, data, (guint) len);
        patch_after (z, cases[c].sig, cases[c].offset, cases[c].value);
        put (out, cases[c].name, z->data, z->len);
    }
    put (out, "zip-cut-end.docx", data, len - 10);
    put (out, "zip-cut-half.docx", data, len / 2);
}

static void
markup (const char *out)
{
    static const int depths[] = { 300, 10000, 200000 };
    for (guint i = 0; i < G_N_ELEMENTS (depths); i++) {
        g_autoptr (GString) html = g_string_new ("<html><body>");
        g_autoptr (GString) xml = g_string_new ("<?xml version=\"1.0\"?>");
        for (int d = 0; d < depths[i]; d++) {
            g_string_append (html, "<div>");
            g_string_append (xml, "<section>");
        }
        g_string_append (html, "8.2.2 Business impact analysis is deep here.");
        g_string_append (xml, "<title>8.2.2 Business impact analysis</title>");
        for (int d = 0; d < depths[i]; d++)
            g_string_append (xml, "</section>");
        g_autofree char *nh = g_strdup_printf ("markup-nested-%d.html", depths[i]);
        g_autofree char *nx = g_strdup_printf ("markup-nested-%d.xml", depths[i]);
        put (out, nh, html->str, html->len);
        put (out, nx, xml->str, xml->len);
    }
    static const char laughs[] =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
        "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
        "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
        "]><lolz><title>&lol9;</title><p>&lol9;</p></lolz>";
    put (out, "markup-billion-laughs.xml", laughs, strlen (laughs));
    static const char unclosed[] = "<html><head><title>Plan<body><p>8.4 Business continuity "
                                   "plans <b><i><table><tr><td>RTO 4 h<p><p>";
    put (out, "markup-unclosed.html", unclosed, strlen (unclosed));
    g_autoptr (GString) attr = g_string_new ("<?xml version=\"1.0\"?><doc a=\"");
    for (int k = 0; k < (1 << 20); k++)
        g_string_append_c (attr, 'x');
    g_string_append (attr, "\"><p>Exercise programme</p></doc>");
    put (out, "markup-long-attribute.xml", attr->str, attr->len);
}

static void
texts (const char *out, GRand *rand)
{
    guint8 bad[4096];
    for (gsize k = 0; k < sizeof bad; k++)
        bad[k] = (guint8) g_rand_int_range (rand, 0x80, 0x100);   /* continuation bytes alone */
    memcpy (bad, "Business continuity ", 20);
    put (out, "text-invalid-utf8.txt", bad, sizeof bad);
    static const char nul[] = "Recovery time objective\0\0\0 of four hours\0 for payroll.\n";
    put (out, "text-nul-bytes.txt", nul, sizeof nul - 1);
    static const guint8 utf16[] = { 0xff, 0xfe, 'B', 0, 'C', 0, 'P', 0, ' ', 0, 0x41 };
    put (out, "text-utf16-odd.txt", utf16, sizeof utf16);
    g_autoptr (GString) line = g_string_new ("The supplier shall ");
    while (line->len < (4u << 20))
        g_string_append (line, "restore ");
    put (out, "text-long-line.txt", line->str, line->len);
}

static int
make (const char *src, const char *out)
{
    if (g_mkdir_with_parents (out, 0755) != 0) {
        g_printerr ("malformed: cannot make %s\n", out);
        return 1;
    }
    g_autoptr (GRand) rand = g_rand_new_with_seed (22301);
    pdfs (src, out, rand);
    gzips (src, out);
    zips (out);
    markup (out);
    texts (out, rand);
    printf ("%u malformed files in %s\n", written, out);
    return 0;
}

static int
summary (const char *report)
{
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autoptr (GError) error = NULL;
    if (!json_parser_load_from_file (parser, report, &error)) {
        g_printerr ("malformed: %s\n", error->message);
        return 1;
    }
    JsonObject *root = json_node_get_object (json_parser_get_root (parser));
    JsonArray *files = json_object_get_array_member (root, "files");
    g_autoptr (GHashTable) outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr (GHashTable) reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    guint unaccounted = 0, n = json_array_get_length (files);
    for (guint i = 0; i < n; i++) {
        JsonObject *f = json_array_get_object_element (files, i);
        const char *outcome = json_object_get_string_member_with_default (f, "outcome", "?");
        const char *reason = json_object_get_string_member_with_default (f, "reason", NULL);
        g_hash_table_insert (outcomes, g_strdup (outcome),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (outcomes, outcome)) + 1));
        gboolean failed = strcmp (outcome, "failed") == 0 || strcmp (outcome, "skipped") == 0;
        if ((failed && (!reason || !*reason)) || (!failed && strcmp (outcome, "indexed") != 0)) {
            printf ("  unaccounted for: %s (%s)\n", json_object_get_string_member (f, "path"), outcome);
            unaccounted++;
        }
        if (failed && reason) {
            /* the reason's kind: the words before the first colon */
            g_autofree char *kind = g_strndup (reason, strcspn (reason, ":("));
            g_hash_table_insert (reasons, g_strdup (g_strstrip (kind)),
                                 GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (reasons, kind)) + 1));
        }
    }
    printf ("%u files:", n);
    static const char *const order[] = { "indexed", "failed", "skipped" };
    for (guint k = 0; k < G_N_ELEMENTS (order); k++)
        printf (" %u %s%s", GPOINTER_TO_UINT (g_hash_table_lookup (outcomes, order[k])), order[k],
                k + 1 < G_N_ELEMENTS (order) ? "," : "\n");
    g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (reasons), (GCompareFunc) g_strcmp0);
    for (GList *l = keys; l; l = l->next)
        printf ("  %4u %s\n", GPOINTER_TO_UINT (g_hash_table_lookup (reasons, l->data)), (char *) l->data);
    if (unaccounted)
        printf ("%u files neither indexed nor failed with a reason\n", unaccounted);
    return unaccounted ? 1 : 0;
}

int
main (int argc, char **argv)
{
    if (argc == 4 && strcmp (argv[1], "make") == 0)
        return make (argv[2], argv[3]);
    if (argc == 3 && strcmp (argv[1], "summary") == 0)
        return summary (argv[2]);
    g_printerr ("usage: malformed make SOURCE_DIR OUT_DIR | malformed summary REPORT.json\n");
    return 2;
}
