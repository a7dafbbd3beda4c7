/* test-extract.c - Check suite for the format extractors behind evx_extract_file_with():
 * type recognition by content, HTML (windows-1252, dropped elements, headings), XHTML,
 * DocBook, Markdown, text with invalid bytes, gzip (and gzip bombs), DOCX and ODT
 * (written by the test with minizip), PDFs that are encrypted, owner-password only,
 * truncated, repairable or scanned (inputs in tests/data/ or made here), and a worker
 * that exceeds its memory limit.  Every input is small and every outcome exact. */
#include "ingest/catalog.h"
#include "ingest/error.h"
#include "ingest/extract.h"
#include "ingest/markup.h"
#include "ingest/passage.h"
#include "ingest/worker.h"
#include "tests/fixture.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <check.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

#define DATA EVX_SOURCE_DIR "/tests/data"
#define EVX_TEST_MIME_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define CORPUS_PDF EVX_SOURCE_DIR "/corpus/pdf"

static char *tmp_dir;
static evx_catalog *cat;

static void
setup (void)
{
    tmp_dir = evx_test_tmpdir_new ("extract");
    cat = evx_test_catalog_load ();
}

static void
teardown (void)
{
    evx_test_remove_tree (tmp_dir);
    g_clear_pointer (&tmp_dir, g_free);
    g_clear_pointer (&cat, evx_catalog_free);
}

/* Writes @len bytes (-1: a string) to a new file in the test folder; returns its path. */
static char *
write_file (const char *name, const char *data, gssize len)
{
    char *path = g_build_filename (tmp_dir, name, NULL);
    ck_assert (g_file_set_contents (path, data, len, NULL));
    return path;
}

static const evx_passage *
passage (const evx_document *doc, guint i)
{
    ck_assert_msg (i < doc->passages->len, "passage %u of %u", i, doc->passages->len);
    return g_ptr_array_index (doc->passages, i);
}

/* Extracts with the default options; fails the test on error. */
static evx_document *
extract_ok (const char *path, const evx_extract_options *opts)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *mime = NULL;
    evx_document *doc = evx_extract_file_with (path, opts, cat, &mime, &error);
    ck_assert_msg (doc != NULL, "%s: %s", path, error ? error->message : "?");
    ck_assert_str_eq (mime, doc->mime_type);
    return doc;
}

/* Extracts expecting an error; returns its message. */
static char *
extract_error (const char *path, const evx_extract_options *opts, int code)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = evx_extract_file_with (path, opts, cat, NULL, &error);
    ck_assert_msg (doc == NULL, "%s was extracted", path);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, code), "%s: %s", path, error->message);
    return g_strdup (error->message);
}

/* ---- markup ------------------------------------------------------------------ */

START_TEST (test_html_windows_1252)
{
    /* declared ISO-8859-1, which browsers read as windows-1252: 0x93/0x94 are quotes */
    g_autofree char *path = write_file (
        "page.bin",
        "<!DOCTYPE html>\n<html><head>"
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
        "<title>Caf\xe9 continuity</title><script>var leak = 'scripttext';</script>"
        "<style>p { color: red }</style></head><body>"
        "<nav>Home | About | navtext</nav>"
        "<h2>8.4 Business continuity plans and procedures</h2>"
        "<p>The \x93plan\x94 covers the caf\xe9 \x96 and <b>its</b> staff.</p>"
        "<div style=\"display: none\">hiddentext</div><p hidden>hiddentoo</p>"
        "<template><p>templatetext</p></template>"
        "<table><tr><th>Activity</th><th>RTO</th></tr><tr><td>Dispatch</td><td>4 hours</td></tr></table>"
        "</body></html>",
        -1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type, "text/html");
    ck_assert_str_eq (doc->title, "Caf\xc3\xa9 continuity");
    ck_assert_int_eq (doc->page_count, 0);
    ck_assert_uint_eq (doc->passages->len, 3);
    const evx_passage *p = passage (doc, 0);
    ck_assert_str_eq (p->text, "8.4 Business continuity plans and procedures The \xe2\x80\x9cplan\xe2\x80\x9d "
                               "covers the caf\xc3\xa9 \xe2\x80\x93 and its staff.");
    ck_assert (p->is_heading);
    ck_assert_int_eq (p->heading_chars, 44);
    ck_assert_int_eq (p->page, 0);
    ck_assert_str_eq (passage (doc, 1)->text, "Activity | RTO");
    ck_assert_str_eq (passage (doc, 2)->text, "Dispatch | 4 hours");
    /* the heading's clause reaches the passages under it */
    ck_assert_ptr_nonnull (evx_passage_find_clause (passage (doc, 0), "8.4", 2019));
    for (guint i = 0; i < doc->passages->len; i++) {
        const char *t = passage (doc, i)->text;
        ck_assert_msg (!strstr (t, "scripttext") && !strstr (t, "navtext") && !strstr (t, "hidden")
                           && !strstr (t, "templatetext") && !strstr (t, "color"),
                       "%s", t);
    }
    /* the page text holds the same text the offsets point into */
    ck_assert_uint_eq (doc->page_texts->len, 1);
    g_autofree char *slice = g_utf8_substring (g_ptr_array_index (doc->page_texts, 0), p->start,
                                               p->start + 44);
    ck_assert_str_eq (slice, "8.4 Business continuity plans and procedures");
}
END_TEST

START_TEST (test_html_meta_charset_and_utf16)
{
    g_autofree char *meta = write_file (
        "meta.html", "<html><head><meta charset=\"windows-1252\"></head><body><p>\x93quoted\x94</p></body></html>",
        -1);
    g_autoptr (evx_document) doc = extract_ok (meta, NULL);
    ck_assert_str_eq (passage (doc, 0)->text, "\xe2\x80\x9cquoted\xe2\x80\x9d");

    /* UTF-16 with a byte-order mark */
    const char *utf8 = "<html><body><h1>\xc3\x9c" "bersicht</h1><p>Text</p></body></html>";
    gsize n = 0;
    g_autofree char *utf16 = g_convert (utf8, -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
    g_autofree char *bytes = g_malloc (n + 2);
    bytes[0] = (char) 0xFF;
    bytes[1] = (char) 0xFE;
    memcpy (bytes + 2, utf16, n);
    g_autofree char *path = write_file ("utf16.html", bytes, (gssize) n + 2);
    g_autoptr (evx_document) doc16 = extract_ok (path, NULL);
    ck_assert_str_eq (doc16->mime_type, "text/html");
    ck_assert_str_eq (passage (doc16, 0)->text, "\xc3\x9c" "bersicht Text");
}
END_TEST

/* Pages as browsers read them (a helper's files): with no declaration and bytes that are
 * not UTF-8, windows-1252 ("€" and "’" were dropped); a UTF-8 byte order mark outweighs
 * a declaration ("café" read "cafÃ©") */
START_TEST (test_html_charset_fallbacks)
{
    g_autofree char *none = write_file (
        "none.html", "<html><body><p>The supplier\x92s r\xe9sum\xe9 costs \x80" "5.</p></body></html>", -1);
    g_autoptr (evx_document) d1 = extract_ok (none, NULL);
    ck_assert_str_eq (passage (d1, 0)->text,
                      "The supplier\xe2\x80\x99s r\xc3\xa9sum\xc3\xa9 costs \xe2\x82\xac" "5.");
    g_autofree char *bom = write_file (
        "bom.html",
        "\xef\xbb\xbf<html><head><meta charset=\"windows-1252\"></head><body><p>caf\xc3\xa9 "
        "\xe2\x80\x99</p></body></html>", -1);
    g_autoptr (evx_document) d2 = extract_ok (bom, NULL);
    ck_assert_str_eq (passage (d2, 0)->text, "caf\xc3\xa9 \xe2\x80\x99");
    /* UTF-8 with a NUL byte, or cut inside its last character, is UTF-8 still (it was
     * read as windows-1252: "cafÃ©") */
    static const char with_nul[] = "<p>caf\xc3\xa9 \xe2\x80\x99</p>\0<p>x\xe2\x80";
    g_autofree char *nul = write_file ("nul.html", with_nul, sizeof with_nul - 1);
    g_autoptr (evx_document) d3 = extract_ok (nul, NULL);
    ck_assert_str_eq (passage (d3, 0)->text, "caf\xc3\xa9 \xe2\x80\x99");
    /* UTF-16 that names Latin-1 in its <meta> is UTF-16 (it was one passage, "ÿþ<") */
    const char *page = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\xc3\xa9 plan</p>"
                       "</body></html>";
    gsize n = 0;
    g_autofree char *utf16 = g_convert (page, -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
    g_autofree char *bytes = g_malloc (n + 2);
    bytes[0] = (char) 0xFF;
    bytes[1] = (char) 0xFE;
    memcpy (bytes + 2, utf16, n);
    g_autofree char *u16 = write_file ("u16meta.html", bytes, (gssize) n + 2);
    g_autoptr (evx_document) d4 = extract_ok (u16, NULL);
    ck_assert_str_eq (passage (d4, 0)->text, "Caf\xc3\xa9 plan");
}
END_TEST

/* A table row is one passage even when each cell holds a <p> (Google Docs and Word
 * exports): "Payroll", "4 hours" and "Finance Director" were three passages, so
 * `payroll hours` found nothing (a helper) */
START_TEST (test_html_cells_with_paragraphs)
{
    g_autofree char *path = write_file (
        "gdocs.html",
        "<html><body><h2>Recovery contacts</h2><table>"
        "<tr><td><p>Service</p></td><td><p>RTO</p></td><td><p>Owner</p></td></tr>"
        "<tr><td><p>Payroll</p><p>(monthly run)</p></td><td><p><span>4 hours</span></p></td>"
        "<td><div><p><b>Finance Director</b></p></div></td></tr></table><p>After the table.</p></body></html>",
        -1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_uint_eq (doc->passages->len, 3);
    ck_assert_str_eq (passage (doc, 0)->text, "Recovery contacts Service | RTO | Owner");
    ck_assert_str_eq (passage (doc, 1)->text, "Payroll (monthly run) | 4 hours | Finance Director");
    ck_assert_str_eq (passage (doc, 2)->text, "After the table.");
    /* a list in a data cell is data (a risk register's controls became passages of their
     * own, apart from their row) */
    g_autofree char *listed = write_file (
        "register.html",
        "<html><body><table><tr><td>Flood at data centre</td><td>Facilities manager</td><td><ul>"
        "<li>Raised floor</li><li>Water sensors</li><li>Offsite backup</li></ul></td></tr></table>"
        "</body></html>",
        -1);
    g_autoptr (evx_document) d3 = extract_ok (listed, NULL);
    ck_assert_uint_eq (d3->passages->len, 1);
    ck_assert_str_eq (passage (d3, 0)->text, "Flood at data centre | Facilities manager | Raised floor "
                                             "Water sensors Offsite backup");
    /* ... but a table that lays out the page keeps its headings and paragraphs apart (the
     * page became one passage, its headings lost) */
    g_autofree char *layout = write_file (
        "layout.html",
        "<html><body><table><tr><td>Menu</td><td><h2>8.4.2 Response structure</h2><p>The team "
        "meets within an hour.</p><h2>9.2 Internal audit</h2><p>Audits run yearly.</p></td></tr>"
        "</table></body></html>",
        -1);
    g_autoptr (evx_document) d2 = extract_ok (layout, NULL);
    ck_assert_uint_eq (d2->passages->len, 3);
    ck_assert_str_eq (passage (d2, 1)->text, "8.4.2 Response structure The team meets within an hour.");
    ck_assert (passage (d2, 1)->is_heading);
    ck_assert_str_eq (passage (d2, 2)->text, "9.2 Internal audit Audits run yearly.");
}
END_TEST

/* Headings keep their outline level, so that a sub-heading stays in its parent's clause
 * (test-mapping's test_tag_outline_levels) */
START_TEST (test_heading_levels)
{
    g_autofree char *html = write_file (
        "levels.html",
        "<html><body><h2>8.4 Business continuity plans and procedures</h2><p>The plans cover both "
        "depots.</p><h3>Roles</h3><p>The duty manager leads on site.</p></body></html>", -1);
    g_autoptr (evx_document) doc = extract_ok (html, NULL);
    ck_assert_uint_eq (doc->passages->len, 2);
    ck_assert_int_eq (passage (doc, 0)->heading_level, 2);
    ck_assert_int_eq (passage (doc, 1)->heading_level, 3);
    ck_assert_str_eq (passage (doc, 1)->text, "Roles The duty manager leads on site.");
    ck_assert_ptr_nonnull (evx_passage_find_clause (passage (doc, 1), "8.4", 2019));
    g_autofree char *md = write_file ("levels.md", "# Plan\n\n### Roles\n\nText.\n", -1);
    g_autoptr (evx_document) d2 = extract_ok (md, NULL);
    ck_assert_int_eq (passage (d2, 0)->heading_level, 1);
    ck_assert_int_eq (passage (d2, 1)->heading_level, 3);
}
END_TEST

START_TEST (test_xhtml_declared_encoding)
{
    g_autofree char *path = write_file (
        "page.xhtml",
        "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>Audit</title></head><body>"
        "<h2>9.2 Internal audit</h2><p>The audit programme \x93" "covers\x94 all sites.</p>"
        "<nav>navtext</nav></body></html>",
        -1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type, "application/xhtml+xml");
    ck_assert_str_eq (doc->title, "Audit");
    ck_assert_uint_eq (doc->passages->len, 1);
    ck_assert_str_eq (passage (doc, 0)->text,
                      "9.2 Internal audit The audit programme \xe2\x80\x9c" "covers\xe2\x80\x9d all sites.");
    ck_assert (passage (doc, 0)->is_heading);

    /* not well-formed: the HTML parser reads it, still in the declared encoding */
    g_autofree char *bad = write_file (
        "bad.xhtml",
        "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
        "<body><p>Broken \x93quote\x94<br> unclosed</body></html>",
        -1);
    g_autoptr (evx_document) doc2 = extract_ok (bad, NULL);
    ck_assert_str_eq (doc2->mime_type, "text/html");
    ck_assert_str_eq (passage (doc2, 0)->text, "Broken \xe2\x80\x9cquote\xe2\x80\x9d unclosed");
}
END_TEST

START_TEST (test_docbook)
{
    g_autofree char *path = write_file (
        "manual.xml",
        "<?xml version=\"1.0\"?>\n"
        "<article xmlns=\"http://docbook.org/ns/docbook\" version=\"5.0\">"
        "<info><title>BC Manual</title></info>"
        "<section><title>8.2.2 Business impact analysis</title>"
        "<para>The <emphasis>analysis</emphasis> sets the MTPD of each activity.</para>"
        "<para>It is reviewed every year.</para></section></article>",
        -1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type, "application/docbook+xml");
    ck_assert_str_eq (doc->title, "BC Manual");
    ck_assert_uint_eq (doc->passages->len, 3);
    ck_assert_str_eq (passage (doc, 0)->text, "BC Manual");
    ck_assert_str_eq (passage (doc, 1)->text,
                      "8.2.2 Business impact analysis The analysis sets the MTPD of each activity.");
    ck_assert (passage (doc, 1)->is_heading);
    ck_assert_str_eq (passage (doc, 2)->text, "It is reviewed every year.");
    /* under the heading, the next paragraph is evidence for 8.2.2 as well */
    ck_assert_ptr_nonnull (evx_passage_find_clause (passage (doc, 2), "8.2.2", 2019));
}
END_TEST

START_TEST (test_generic_xml)
{
    g_autofree char *path = write_file (
        "register.xml",
        "<?xml version=\"1.0\"?><register><risk><name>Loss of site</name>"
        "<note>Owner: <b>facilities</b> manager</note></risk>"
        "<!-- a comment --><risk><name>Supplier failure</name></risk>&unknown;</register>",
        -1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type, "application/xml");
    ck_assert_uint_eq (doc->passages->len, 3);
    ck_assert_str_eq (passage (doc, 0)->text, "Loss of site");
    ck_assert_str_eq (passage (doc, 1)->text, "Owner: facilities manager");
    ck_assert_str_eq (passage (doc, 2)->text, "Supplier failure");
}
END_TEST

/* ---- text ----------------------------------------------------------------------- */

START_TEST (test_markdown)
{
    g_autofree char *path = write_file (
        "notes.txt",
        "# Exercise programme\n\nWe run *tabletop* exercises [annually](http://x.example).\n\n"
        "## 10.1 Nonconformity and corrective action\n\n- first item\n- second item\n\n    code block\n",
        -1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type, "text/markdown");
    ck_assert_str_eq (doc->title, "Exercise programme");
    ck_assert_uint_eq (doc->passages->len, 4);
    ck_assert_str_eq (passage (doc, 0)->text, "Exercise programme We run tabletop exercises annually.");
    ck_assert (passage (doc, 0)->is_heading);
    ck_assert_str_eq (passage (doc, 1)->text, "10.1 Nonconformity and corrective action first item");
    ck_assert_str_eq (passage (doc, 2)->text, "second item");
    ck_assert_str_eq (passage (doc, 3)->text, "code block");
    ck_assert_ptr_nonnull (evx_passage_find_clause (passage (doc, 2), "10.1", 2019));

    /* a clause the passage cites is a reference, also under a heading mapped by its
     * words (it was reported as "heading", confidence 0.45) */
    g_autofree char *cites = write_file ("cites.md", "# Exercise programme\n\nOur annual drills "
                                                     "meet clause 8.5 of ISO 22301.\n", -1);
    g_autoptr (evx_document) doc2 = extract_ok (cites, NULL);
    const evx_clause_tag *t = evx_passage_find_clause (passage (doc2, 0), "8.5", 2019);
    ck_assert_ptr_nonnull (t);
    ck_assert_int_eq (t->reason, EVX_CLAUSE_REFERENCE);
    ck_assert_double_eq_tol (t->confidence, 0.95, 1e-9);

    /* HTML blocks are read (a <div>'s commitment vanished), and a README that opens
     * with <p align="center"> is Markdown, not one XML passage with its "#" left in
     * (a helper) */
    g_autofree char *readme = write_file (
        "README.md",
        "<p align=\"center\"><img src=\"logo.png\" alt=\"logo\"></p>\n\n# Continuity policy\n\n"
        "<div align=\"left\">\nThe Supplier shall notify the Customer within 2 hours.\n</div>\n\n"
        "<details><summary>Terms</summary>\n\nThe Auditor shall review evidence.\n\n</details>\n", -1);
    g_autoptr (evx_document) doc3 = extract_ok (readme, NULL);
    ck_assert_str_eq (doc3->mime_type, "text/markdown");
    ck_assert_str_eq (doc3->title, "Continuity policy");
    ck_assert_uint_eq (doc3->passages->len, 3);
    ck_assert_str_eq (passage (doc3, 0)->text,
                      "Continuity policy The Supplier shall notify the Customer within 2 hours.");
    ck_assert_str_eq (passage (doc3, 1)->text, "Terms");
    ck_assert_str_eq (passage (doc3, 2)->text, "The Auditor shall review evidence.");

    /* YAML front matter is a plain block, not the title ("title: Supplier Policy owner:
     * Legal" was, read as a heading over its closing "---") */
    g_autofree char *matter = write_file (
        "policy.md", "---\ntitle: Supplier Policy\nowner: Legal\n---\n\n# Supplier policy\n\n"
                     "The Supplier shall report.\n", -1);
    g_autoptr (evx_document) doc4 = extract_ok (matter, NULL);
    ck_assert_str_eq (doc4->title, "Supplier policy");
    ck_assert_uint_eq (doc4->passages->len, 2);
    ck_assert_str_eq (passage (doc4, 0)->text, "title: Supplier Policy owner: Legal");
    ck_assert (!passage (doc4, 0)->is_heading);
    ck_assert_str_eq (passage (doc4, 1)->text, "Supplier policy The Supplier shall report.");
    /* a "---" rule at the top is no front matter (a file with two rules lost its
     * Markdown), and a fence may end in blanks (a helper) */
    g_autofree char *rules = write_file ("rules.md", "---\n\n# Real title\n\nText.\n\n---\n\nMore.\n", -1);
    g_autoptr (evx_document) doc5 = extract_ok (rules, NULL);
    ck_assert_str_eq (doc5->mime_type, "text/markdown");
    ck_assert_str_eq (doc5->title, "Real title");
    g_autofree char *blanks = write_file ("blanks.md", "--- \ntitle: sp\n---  \n\n# Heading\n", -1);
    g_autoptr (evx_document) doc6 = extract_ok (blanks, NULL);
    ck_assert_str_eq (doc6->title, "Heading");
    /* a README whose first "#" heading lies past the sniffed head (4 KB of badges) */
    g_autoptr (GString) badges = g_string_new ("<p align=\"center\">\n");
    while (badges->len < 5000)
        g_string_append (badges, "<img src=\"https://img.example/badge.svg\" alt=\"badge\">\n");
    g_string_append (badges, "</p>\n\n# 8.5 Exercise programme\n\nWe exercise twice a year.\n");
    g_autofree char *badged = write_file ("BADGES.md", badges->str, -1);
    g_autoptr (evx_document) doc7 = extract_ok (badged, NULL);
    ck_assert_str_eq (doc7->mime_type, "text/markdown");
    ck_assert_str_eq (doc7->title, "8.5 Exercise programme");
    /* ... but an HTML fragment with a "#" line in a <pre> is HTML (it became text, its
     * tags as words: a helper) */
    g_autofree char *pre = write_file (
        "fragment.html",
        "<div class=\"content\">\n<h1>Business continuity</h1>\n<p>The plan.</p>\n<pre>\n"
        "# nightly backup\nrsync -a /srv /backup\n</pre>\n</div>\n", -1);
    g_autoptr (evx_document) doc8 = extract_ok (pre, NULL);
    ck_assert_str_eq (doc8->mime_type, "text/html");
    ck_assert_str_eq (passage (doc8, 0)->text, "Business continuity The plan.");
}
END_TEST

/* Lines that end in CR alone (old Mac files) or CR LF are lines: a file of CRs was one
 * passage (a helper) */
START_TEST (test_text_line_ends)
{
    g_autofree char *mac = write_file ("mac.txt", "First paragraph.\r\rSecond paragraph.\r", -1);
    g_autoptr (evx_document) d1 = extract_ok (mac, NULL);
    ck_assert_uint_eq (d1->passages->len, 2);
    ck_assert_str_eq (passage (d1, 1)->text, "Second paragraph.");
    g_autofree char *dos = write_file ("dos.txt", "One.\r\n\r\nTwo\r\nlines.\r\n", -1);
    g_autoptr (evx_document) d2 = extract_ok (dos, NULL);
    ck_assert_uint_eq (d2->passages->len, 2);
    ck_assert_str_eq (passage (d2, 1)->text, "Two lines.");
}
END_TEST

START_TEST (test_text_invalid_bytes_and_nul)
{
    static const char text[] = "Line one\nline two \xff\xfe bad\0nul\n\n\nSecond paragraph\x01.\n";
    g_autofree char *path = write_file ("plain.txt", text, sizeof text - 1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type, "text/plain");
    ck_assert_int_eq (doc->invalid_bytes, 2);
    ck_assert_uint_eq (doc->passages->len, 2);
    ck_assert_str_eq (passage (doc, 0)->text, "Line one line two \xef\xbf\xbd\xef\xbf\xbd bad nul");
    ck_assert_str_eq (passage (doc, 1)->text, "Second paragraph.");
}
END_TEST

/* ---- gzip ----------------------------------------------------------------------- */

static char *
write_gzip (const char *name, const char *data, gsize len, gsize repeat)
{
    char *path = g_build_filename (tmp_dir, name, NULL);
    gzFile gz = gzopen (path, "wb1");
    ck_assert_ptr_nonnull (gz);
    for (gsize i = 0; i < repeat; i++)
        ck_assert_int_eq (gzwrite (gz, data, (unsigned) len), (int) len);
    ck_assert_int_eq (gzclose (gz), Z_OK);
    return path;
}

START_TEST (test_gzip_text)
{
    const char *md = "# Business impact analysis\n\nThe MTPD of dispatch is 48 hours.\n";
    g_autofree char *path = write_gzip ("bia.gz", md, strlen (md), 1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type, "text/markdown");
    ck_assert_str_eq (doc->container, "application/gzip");
    ck_assert_uint_eq (doc->passages->len, 1);
    ck_assert_str_eq (passage (doc, 0)->text,
                      "Business impact analysis The MTPD of dispatch is 48 hours.");
}
END_TEST

START_TEST (test_gzip_bomb)
{
    /* 64 MiB of spaces in about 64 KiB: refused past the 1 MiB limit, early */
    static char spaces[1 << 20];
    memset (spaces, ' ', sizeof spaces);
    g_autofree char *path = write_gzip ("bomb.txt.gz", spaces, sizeof spaces, 64);
    evx_extract_options opts = { .max_bytes = 1 << 20 };
    g_autofree char *msg = extract_error (path, &opts, EVX_ERROR_LIMIT);
    ck_assert_str_eq (msg, "limit: gzip content expands to more than 1 MiB (--max-file-size)");
}
END_TEST

START_TEST (test_gzip_damaged)
{
    const char *text = "Business continuity policy text, long enough to compress.\n";
    g_autofree char *path = write_gzip ("policy.gz", text, strlen (text), 20);
    g_autofree char *data = NULL;
    gsize len = 0;
    ck_assert (g_file_get_contents (path, &data, &len, NULL));
    data[len - 6] ^= 0x55;   /* the CRC-32 in the trailer */
    g_autofree char *bad = write_file ("bad-crc.gz", data, (gssize) len);
    g_autofree char *msg = extract_error (bad, NULL, EVX_ERROR_DAMAGED);
    ck_assert_str_eq (msg, "damaged: gzip: incorrect data check");
    g_autofree char *cut = write_file ("cut.gz", data, (gssize) len / 2);
    g_autofree char *msg2 = extract_error (cut, NULL, EVX_ERROR_DAMAGED);
    ck_assert_str_eq (msg2, "damaged: gzip: the compressed data ends early (truncated file)");
}
END_TEST

/* ---- DOCX and ODT, written here with minizip -------------------------------------- */

static void
zip_add (zipFile zf, const char *name, const char *data, gboolean stored)
{
    zip_fileinfo zi = { 0 };
    ck_assert_int_eq (zipOpenNewFileInZip (zf, name, &zi, NULL, 0, NULL, 0, NULL,
                                           stored ? 0 : Z_DEFLATED, Z_DEFAULT_COMPRESSION),
                      ZIP_OK);
    ck_assert_int_eq (zipWriteInFileInZip (zf, data, (unsigned) strlen (data)), ZIP_OK);
    ck_assert_int_eq (zipCloseFileInZip (zf), ZIP_OK);
}

/* Writes a zip of @members (name, data, name, data, ..., NULL; "mimetype" is stored)
 * to the test folder; returns its path. */
static char *
write_zip (const char *name, const char *const *members)
{
    char *path = g_build_filename (tmp_dir, name, NULL);
    zipFile zf = zipOpen (path, APPEND_STATUS_CREATE);
    ck_assert_ptr_nonnull (zf);
    for (guint i = 0; members[i]; i += 2)
        zip_add (zf, members[i], members[i + 1], strcmp (members[i], "mimetype") == 0);
    ck_assert_int_eq (zipClose (zf, NULL), ZIP_OK);
    return path;
}

#define W "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

static char *
write_docx (const char *name)
{
    char *path = g_build_filename (tmp_dir, name, NULL);
    zipFile zf = zipOpen (path, APPEND_STATUS_CREATE);
    ck_assert_ptr_nonnull (zf);
    zip_add (zf, "[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>", FALSE);
    zip_add (zf, "word/styles.xml",
             "<?xml version=\"1.0\"?><w:styles " W ">"
             "<w:style w:type=\"paragraph\" w:styleId=\"berschrift2\"><w:name w:val=\"heading 2\"/></w:style>"
             "<w:style w:type=\"paragraph\" w:styleId=\"Body\"><w:name w:val=\"Body Text\"/></w:style>"
             "</w:styles>",
             FALSE);
    zip_add (zf, "word/document.xml",
             "<?xml version=\"1.0\"?><w:document " W "><w:body>"
             "<w:p><w:pPr><w:pStyle w:val=\"berschrift2\"/></w:pPr><w:r><w:t>8.4.4 Business continuity plans</w:t></w:r></w:p>"
             "<w:p><w:pPr><w:pStyle w:val=\"Body\"/></w:pPr><w:r><w:t xml:space=\"preserve\">The plan </w:t></w:r>"
             "<w:del><w:r><w:delText>deletedtext </w:delText></w:r></w:del>"
             "<w:r><w:instrText>PAGEREF x</w:instrText></w:r>"
             "<w:r><w:t>names</w:t><w:tab/><w:t>the team.</w:t></w:r></w:p>"
             "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Activity</w:t></w:r></w:p></w:tc>"
             "<w:tc><w:p><w:r><w:t>RTO</w:t></w:r></w:p></w:tc></w:tr>"
             "<w:tr><w:tc><w:p><w:r><w:t>Dispatch</w:t></w:r></w:p></w:tc>"
             "<w:tc><w:p><w:r><w:t>4 hours</w:t></w:r></w:p><w:p><w:r><w:t>(agreed)</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
             "<w:sectPr/></w:body></w:document>",
             FALSE);
    zip_add (zf, "docProps/core.xml",
             "<?xml version=\"1.0\"?><cp:coreProperties "
             "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
             "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>DC2 continuity plan</dc:title>"
             "</cp:coreProperties>",
             FALSE);
    ck_assert_int_eq (zipClose (zf, NULL), ZIP_OK);
    return path;
}

START_TEST (test_docx)
{
    g_autofree char *path = write_docx ("plan.bin");
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type,
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    ck_assert_str_eq (doc->title, "DC2 continuity plan");
    ck_assert_int_eq (doc->page_count, 0);
    ck_assert_uint_eq (doc->passages->len, 3);
    ck_assert_str_eq (passage (doc, 0)->text, "8.4.4 Business continuity plans The plan names the team.");
    ck_assert (passage (doc, 0)->is_heading);
    ck_assert_int_eq (passage (doc, 0)->page, 0);
    ck_assert_str_eq (passage (doc, 1)->text, "Activity | RTO");
    ck_assert_str_eq (passage (doc, 2)->text, "Dispatch | 4 hours (agreed)");
    ck_assert_ptr_nonnull (evx_passage_find_clause (passage (doc, 0), "8.4.4", 2019));
}
END_TEST

#define ODF_NS                                                                                     \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "                           \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "                               \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""

START_TEST (test_odt)
{
    g_autofree char *path = g_build_filename (tmp_dir, "audit.odt", NULL);
    zipFile zf = zipOpen (path, APPEND_STATUS_CREATE);
    ck_assert_ptr_nonnull (zf);
    zip_add (zf, "mimetype", "application/vnd.oasis.opendocument.text", TRUE);
    zip_add (zf, "content.xml",
             "<?xml version=\"1.0\"?><office:document-content " ODF_NS "><office:body><office:text>"
             "<text:sequence-decls><text:sequence-decl text:name=\"Table\"/></text:sequence-decls>"
             "<text:h text:outline-level=\"1\">9.2 Internal audit</text:h>"
             "<text:p>The internal audit<text:s/>programme covers <text:span>all</text:span> sites."
             "<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>footnotetext</text:p></text:note-body></text:note></text:p>"
             "<text:list><text:list-item><text:p>Rotterdam audited in March.</text:p></text:list-item></text:list>"
             "<table:table><table:table-column/><table:table-row><table:table-cell><text:p>Site</text:p></table:table-cell>"
             "<table:table-cell><text:p>Audited</text:p></table:table-cell></table:table-row></table:table>"
             "</office:text></office:body></office:document-content>",
             FALSE);
    zip_add (zf, "meta.xml",
             "<?xml version=\"1.0\"?><office:document-meta " ODF_NS " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
             "<office:meta><dc:title>Audit programme</dc:title></office:meta></office:document-meta>",
             FALSE);
    ck_assert_int_eq (zipClose (zf, NULL), ZIP_OK);

    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type, "application/vnd.oasis.opendocument.text");
    ck_assert_str_eq (doc->title, "Audit programme");
    ck_assert_uint_eq (doc->passages->len, 4);
    ck_assert_str_eq (passage (doc, 0)->text, "9.2 Internal audit The internal audit programme covers all sites.");
    ck_assert (passage (doc, 0)->is_heading);
    ck_assert_int_eq (passage (doc, 0)->heading_level, 1);   /* text:outline-level */
    ck_assert_str_eq (passage (doc, 1)->text, "Rotterdam audited in March.");
    ck_assert_str_eq (passage (doc, 2)->text, "Site | Audited");
    /* the footnote after the body (it was not indexed), without its citation */
    ck_assert_str_eq (passage (doc, 3)->text, "footnotetext");
}
END_TEST

START_TEST (test_zip_without_document)
{
    g_autofree char *path = g_build_filename (tmp_dir, "photos.zip", NULL);
    zipFile zf = zipOpen (path, APPEND_STATUS_CREATE);
    zip_add (zf, "readme.txt", "not a document", FALSE);
    ck_assert_int_eq (zipClose (zf, NULL), ZIP_OK);
    g_autofree char *msg = extract_error (path, NULL, EVX_ERROR_UNSUPPORTED);
    ck_assert_str_eq (msg, "unsupported type: application/zip");

    /* spreadsheets and presentations were skipped as "application/zip" */
    const char *xlsx[] = { "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>", NULL };
    g_autofree char *xlsx_path = write_zip ("budget.xlsx", xlsx);
    g_autofree char *xlsx_msg = extract_error (xlsx_path, NULL, EVX_ERROR_UNSUPPORTED);
    ck_assert_str_eq (xlsx_msg, "unsupported type: application/vnd.openxmlformats-officedocument"
                                ".spreadsheetml.sheet (spreadsheet, XLSX)");
    const char *pptx[] = { "ppt/presentation.xml", "<presentation/>", NULL };
    g_autofree char *pptx_path = write_zip ("drill.pptx", pptx);
    g_autofree char *pptx_msg = extract_error (pptx_path, NULL, EVX_ERROR_UNSUPPORTED);
    ck_assert_str_eq (pptx_msg, "unsupported type: application/vnd.openxmlformats-officedocument"
                                ".presentationml.presentation (presentation, PPTX)");

    /* a DOCX whose central directory is cut off */
    g_autofree char *docx = write_docx ("plan.docx");
    g_autofree char *data = NULL;
    gsize len = 0;
    ck_assert (g_file_get_contents (docx, &data, &len, NULL));
    g_autofree char *cut = write_file ("cut.docx", data, (gssize) (len - 30));
    g_autofree char *msg2 = extract_error (cut, NULL, EVX_ERROR_DAMAGED);
    ck_assert_str_eq (msg2, "damaged: zip: the central directory cannot be read");
}
END_TEST

/* Extracts a zip of @members (as write_zip() takes them) and checks that its passages
 * are @expected (NULL-terminated), exactly and in order. */
static void
assert_zip_passages (const char *name, const char *const *members, const char *const *expected)
{
    g_autofree char *path = write_zip (name, members);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    guint n = g_strv_length ((char **) expected);
    for (guint i = 0; i < MIN (n, doc->passages->len); i++)
        ck_assert_str_eq (passage (doc, i)->text, expected[i]);
    ck_assert_uint_eq (doc->passages->len, n);
}

/* The same for a DOCX that is only its word/document.xml. */
static void
assert_docx_passages (const char *name, const char *document, const char *const *expected)
{
    const char *members[] = { "word/document.xml", document, NULL };
    assert_zip_passages (name, members, expected);
}

#define DOCX_BODY(body)                                                                            \
    "<?xml version=\"1.0\"?><w:document " W                                                        \
    " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""                     \
    " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""          \
    " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""                            \
    " xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\""              \
    " xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>" body "</w:body></w:document>"
#define ODT_TEXT(styles, body)                                                                      \
    "<?xml version=\"1.0\"?><office:document-content " ODF_NS " " STYLE_NS ">"                     \
    "<office:automatic-styles>" styles "</office:automatic-styles><office:body><office:text>" body \
    "</office:text></office:body></office:document-content>"
#define STYLE_NS "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""

START_TEST (test_docx_hidden_text)
{
    /* a run formatted as hidden (w:vanish) was indexed, and became a commitment */
    assert_docx_passages ("hidden.docx",
                          DOCX_BODY ("<w:p><w:r><w:t>The Landlord shall repair the roof.</w:t></w:r>"
                                     "<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space=\"preserve\"> The Tenant shall pay a penalty.</w:t></w:r></w:p>"
                                     "<w:p><w:r><w:rPr><w:b/><w:specVanish/></w:rPr><w:t>Hidden mark.</w:t></w:r>"
                                     "<w:r><w:rPr><w:vanish w:val=\"false\"/></w:rPr><w:t>Shown text.</w:t></w:r></w:p>"),
                          (const char *const[]) { "The Landlord shall repair the roof.", "Shown text.", NULL });
}
END_TEST

START_TEST (test_docx_tracked_move)
{
    /* a tracked move was indexed twice: where it moved from and where it moved to */
    assert_docx_passages ("moved.docx",
                          DOCX_BODY ("<w:p><w:r><w:t xml:space=\"preserve\">Backups run </w:t></w:r>"
                                     "<w:moveToRangeStart w:id=\"1\" w:name=\"move1\"/><w:moveTo w:id=\"2\"><w:r><w:t xml:space=\"preserve\">every night </w:t></w:r></w:moveTo>"
                                     "<w:moveToRangeEnd w:id=\"1\"/><w:r><w:t>at the data centre.</w:t></w:r></w:p>"
                                     "<w:p><w:r><w:t>Restores are tested</w:t></w:r>"
                                     "<w:moveFromRangeStart w:id=\"3\" w:name=\"move1\"/><w:moveFrom w:id=\"4\"><w:r><w:t xml:space=\"preserve\"> every night</w:t></w:r></w:moveFrom>"
                                     "<w:moveFromRangeEnd w:id=\"3\"/><w:r><w:t>.</w:t></w:r></w:p>"),
                          (const char *const[]) { "Backups run every night at the data centre.",
                                                  "Restores are tested.", NULL });
}
END_TEST

START_TEST (test_docx_text_box)
{
    /* a text box was read twice (mc:Choice and mc:Fallback) and glued to the words of
     * the paragraph that anchors it ("...building.The Landlord keeps...") */
    assert_docx_passages (
        "box.docx",
        DOCX_BODY ("<w:p><w:r><w:t>Fire doors are on every floor of the building.</w:t></w:r>"
                   "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
                   "<wp:positionH><wp:posOffset>12700</wp:posOffset></wp:positionH><a:graphic><a:graphicData><wps:wsp><wps:txbx>"
                   "<w:txbxContent><w:p><w:r><w:t>The Landlord keeps the keys.</w:t></w:r></w:p></w:txbxContent>"
                   "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
                   "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>The Landlord keeps the keys.</w:t></w:r></w:p>"
                   "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
                   "<w:r><w:t xml:space=\"preserve\"> Exits are signed.</w:t></w:r></w:p>"
                   "<w:p><w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
                   "<w:p><w:r><w:t>Only a fallback.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>"
                   "</mc:Fallback></mc:AlternateContent></w:r></w:p>"),
        (const char *const[]) { "Fire doors are on every floor of the building. Exits are signed.",
                                "The Landlord keeps the keys.", "Only a fallback.", NULL });
}
END_TEST

START_TEST (test_docx_special_characters)
{
    /* a non-breaking hyphen was dropped ("twenty-four" became "twentyfour") */
    assert_docx_passages (
        "hyphen.docx",
        DOCX_BODY ("<w:p><w:r><w:t>Restore within twenty</w:t><w:noBreakHyphen/><w:t>four hours; the con</w:t>"
                   "<w:softHyphen/><w:t>tinuity</w:t><w:tab/><w:t>plan</w:t><w:br/><w:t>is reviewed</w:t>"
                   "<w:cr/><w:t>yearly.</w:t></w:r></w:p>"),
        (const char *const[]) { "Restore within twenty-four hours; the continuity plan is reviewed yearly.", NULL });
}
END_TEST

#define DOCX_NOTES(element, notes)                                                                 \
    "<?xml version=\"1.0\"?><w:" element "s " W ">"                                                 \
    "<w:" element " w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/><w:t>SEPARATOR</w:t></w:r></w:p></w:" element ">" \
    "<w:" element " w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:" element ">" \
    notes "</w:" element "s>"

START_TEST (test_docx_notes)
{
    /* word/footnotes.xml and word/endnotes.xml were not read */
    const char *members[] = {
        "word/document.xml",
        DOCX_BODY ("<w:p><w:r><w:t>Recovery is tested.</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r>"
                   "<w:r><w:endnoteReference w:id=\"1\"/></w:r></w:p>"),
        "word/endnotes.xml",
        DOCX_NOTES ("endnote", "<w:endnote w:id=\"1\"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t>Source: the 2024 BIA.</w:t></w:r></w:p></w:endnote>"),
        "word/footnotes.xml",
        DOCX_NOTES ("footnote", "<w:footnote w:id=\"1\"><w:p><w:r><w:footnoteRef/></w:r>"
                                "<w:r><w:t xml:space=\"preserve\"> The supplier shall restore service within 4 hours.</w:t></w:r></w:p></w:footnote>"),
        NULL
    };
    assert_zip_passages ("notes.docx", members,
                         (const char *const[]) { "Recovery is tested.",
                                                 "The supplier shall restore service within 4 hours.",
                                                 "Source: the 2024 BIA.", NULL });
    /* a footnotes member is held to the limit of any member */
    g_autoptr (GString) big = g_string_new ("<w:footnotes " W "><w:footnote w:id=\"1\"><w:p><w:r><w:t>");
    for (int i = 0; i < (1 << 21) / 8; i++)
        g_string_append (big, "penalty ");
    g_string_append (big, "</w:t></w:r></w:p></w:footnote></w:footnotes>");
    members[5] = big->str;
    g_autofree char *path = write_zip ("big-notes.docx", members);
    evx_extract_options opts = { .max_bytes = 1 << 20 };
    g_autofree char *msg = extract_error (path, &opts, EVX_ERROR_LIMIT);
    ck_assert_str_eq (msg, "limit: zip member word/footnotes.xml expands to 2 MiB, more than 1 MiB (--max-file-size)");
}
END_TEST

#define W_STRICT "xmlns:w=\"http://purl.oclc.org/ooxml/wordprocessingml/main\""

START_TEST (test_docx_strict)
{
    /* a strict OOXML DOCX (as Word saves "Strict Open XML Document") had 0 passages */
    const char *members[] = {
        "word/styles.xml",
        "<?xml version=\"1.0\"?><w:styles " W_STRICT "><w:style w:type=\"paragraph\" w:styleId=\"H1\">"
        "<w:name w:val=\"heading 1\"/></w:style></w:styles>",
        "word/document.xml",
        "<?xml version=\"1.0\"?><w:document " W_STRICT " w:conformance=\"strict\"><w:body>"
        "<w:p><w:pPr><w:pStyle w:val=\"H1\"/></w:pPr><w:r><w:t>1 Scope</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>This plan covers the Rotterdam site.</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>"
        "</w:body></w:document>",
        "word/footnotes.xml",
        "<?xml version=\"1.0\"?><w:footnotes " W_STRICT "><w:footnote w:type=\"separator\" w:id=\"0\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
        "<w:footnote w:id=\"1\"><w:p><w:r><w:t>Opened in 2021.</w:t></w:r></w:p></w:footnote></w:footnotes>",
        NULL
    };
    g_autofree char *path = write_zip ("strict.docx", members);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_uint_eq (doc->passages->len, 2);
    ck_assert_str_eq (passage (doc, 0)->text, "1 Scope This plan covers the Rotterdam site.");
    ck_assert (passage (doc, 0)->is_heading);
    ck_assert_int_eq (passage (doc, 0)->heading_level, 1);   /* "heading 1" */

    /* outline level 9 is body text (Word's "Body Text" style, a heading demoted by
     * hand): such paragraphs ended their section as headings (a helper) */
    const char *demoted[] = {
        "word/styles.xml",
        "<?xml version=\"1.0\"?><w:styles " W "><w:style w:type=\"paragraph\" w:styleId=\"H2\">"
        "<w:name w:val=\"heading 2\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Body\">"
        "<w:name w:val=\"Body Text\"/><w:pPr><w:outlineLvl w:val=\"9\"/></w:pPr></w:style></w:styles>",
        "word/document.xml",
        "<?xml version=\"1.0\"?><w:document " W "><w:body>"
        "<w:p><w:pPr><w:pStyle w:val=\"H2\"/></w:pPr><w:r><w:t>8.4 Business continuity plans and "
        "procedures</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"Body\"/></w:pPr><w:r><w:t>Plans are kept at each depot.</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"H2\"/><w:outlineLvl w:val=\"9\"/></w:pPr><w:r><w:t>Demoted "
        "by hand</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>The canteen reopened.</w:t></w:r></w:p></w:body></w:document>",
        NULL
    };
    g_autofree char *dpath = write_zip ("demoted.docx", demoted);
    g_autoptr (evx_document) d2 = extract_ok (dpath, NULL);
    ck_assert_uint_eq (d2->passages->len, 3);
    ck_assert_str_eq (passage (d2, 0)->text, "8.4 Business continuity plans and procedures Plans are "
                                             "kept at each depot.");
    ck_assert_int_eq (passage (d2, 0)->heading_level, 2);
    ck_assert (!passage (d2, 1)->is_heading);
    ck_assert_str_eq (passage (d2, 1)->text, "Demoted by hand");
    ck_assert_ptr_nonnull (evx_passage_find_clause (passage (d2, 2), "8.4", 2019));
    ck_assert_str_eq (passage (doc, 1)->text, "Opened in 2021.");
}
END_TEST

START_TEST (test_odt_hidden_text)
{
    /* sections, paragraphs and spans hidden by text:display="none" were indexed */
    const char *members[] = {
        "mimetype", "application/vnd.oasis.opendocument.text",
        "content.xml",
        ODT_TEXT ("<style:style style:name=\"T1\" style:family=\"text\"><style:text-properties text:display=\"none\"/></style:style>"
                  "<style:style style:name=\"P1\" style:family=\"paragraph\"><style:text-properties text:display=\"true\"/></style:style>",
                  "<text:p text:style-name=\"P1\">Visible <text:span text:style-name=\"T1\">the Tenant shall pay a penalty </text:span>text.</text:p>"
                  "<text:section text:name=\"S1\" text:display=\"none\"><text:p>Hidden section.</text:p></text:section>"
                  "<text:section text:name=\"S2\" text:display=\"condition\" text:condition=\"ooow:x\"><text:p>Conditional section.</text:p></text:section>"
                  "<text:p text:style-name=\"Secret\">Hidden by a common style.</text:p>"
                  "<text:p>Hidden by a field.<text:hidden-paragraph text:condition=\"ooow:1\" text:is-hidden=\"true\"/></text:p>"
                  "<text:p>End<text:hidden-text text:condition=\"ooow:1\" text:string-value=\"x\" text:is-hidden=\"true\"> hidden</text:hidden-text>.</text:p>"),
        "styles.xml",
        "<?xml version=\"1.0\"?><office:document-styles " ODF_NS " " STYLE_NS "><office:styles>"
        "<style:style style:name=\"Secret\" style:family=\"paragraph\"><style:text-properties text:display=\"none\"/></style:style>"
        "</office:styles></office:document-styles>",
        NULL
    };
    const char *expected[] = { "Visible text.", "Conditional section.", "End.", NULL };
    assert_zip_passages ("hidden.odt", members, expected);
}
END_TEST

/* ---- PDFs in trouble ---------------------------------------------------------------- */

START_TEST (test_pdf_encrypted)
{
    const char *path = DATA "/encrypted-user.pdf";
    g_autofree char *msg = extract_error (path, NULL, EVX_ERROR_ENCRYPTED);
    ck_assert_str_eq (msg, "encrypted: password required");
    evx_extract_options wrong = { .password = "not-it" };
    g_autofree char *msg2 = extract_error (path, &wrong, EVX_ERROR_ENCRYPTED);
    ck_assert_str_eq (msg2, "encrypted: wrong password");
    evx_extract_options right = { .password = "evidex-user" };
    g_autoptr (evx_document) doc = extract_ok (path, &right);
    ck_assert_int_eq (doc->page_count, 1);
    ck_assert_str_eq (passage (doc, 0)->text,
                      "Meridian Assurance Certification Ltd | Certificate of Registration MAC-BCMS-0487");
}
END_TEST

START_TEST (test_pdf_owner_password_only)
{
    /* printing and copying restricted: indexed like any other PDF */
    g_autoptr (evx_document) doc = extract_ok (DATA "/encrypted-owner.pdf", NULL);
    ck_assert_int_eq (doc->page_count, 1);
    ck_assert_int_eq (doc->pages_without_text, 0);
    ck_assert_str_eq (passage (doc, 0)->text,
                      "Meridian Assurance Certification Ltd | Certificate of Registration MAC-BCMS-0487");
}
END_TEST

static char *
corpus_bytes (const char *name, gsize *len)
{
    g_autofree char *path = g_build_filename (CORPUS_PDF, name, NULL);
    char *data = NULL;
    ck_assert (g_file_get_contents (path, &data, len, NULL));
    return data;
}

START_TEST (test_pdf_truncated)
{
    gsize len = 0;
    g_autofree char *data = corpus_bytes ("stage2-audit-report.pdf", &len);
    g_autofree char *path = write_file ("truncated.pdf", data, (gssize) (len * 6 / 10));
    evx_worker_info info = { 0 };
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = evx_worker_extract_full (path, cat, NULL, NULL, &info, &error);
    ck_assert_ptr_null (doc);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_DAMAGED), "%s", error->message);
    ck_assert_str_eq (error->message, "damaged: PDF document is damaged");
    ck_assert_str_eq (info.mime_type, "application/pdf");
    /* poppler's reason, counted and sampled */
    ck_assert_uint_eq (info.n_diagnostics, 3);
    ck_assert_uint_eq (info.diagnostics->len, 2);
    ck_assert_str_eq (g_ptr_array_index (info.diagnostics, 1),
                      "poppler: Syntax error at position -1: Couldn't read xref table");
    evx_worker_info_clear (&info);
}
END_TEST

START_TEST (test_pdf_broken_xref_repaired)
{
    /* every offset of the cross-reference table wrong: poppler rebuilds it, all 7
     * pages are read */
    gsize len = 0;
    g_autofree char *data = corpus_bytes ("stage2-audit-report.pdf", &len);
    char *xref = NULL;
    for (gsize i = len - 6; i > 0 && !xref; i--)
        if (memcmp (data + i, "\nxref\n", 6) == 0)
            xref = data + i;
    ck_assert_ptr_nonnull (xref);
    for (char *p = strchr (xref + 6, '\n') + 1; p < data + len && g_ascii_isdigit (*p); p += 20)
        memcpy (p, "0000000009", 10);
    g_autofree char *path = write_file ("broken-xref.pdf", data, (gssize) len);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_int_eq (doc->page_count, 7);
    ck_assert_int_eq (doc->pages_without_text, 0);
    g_autoptr (evx_document) intact = extract_ok (CORPUS_PDF "/stage2-audit-report.pdf", NULL);
    ck_assert_uint_eq (doc->passages->len, intact->passages->len);
}
END_TEST

START_TEST (test_pdf_scanned)
{
    /* two pages that are only pictures: no text layer */
    g_autofree char *path = g_build_filename (tmp_dir, "scan.pdf", NULL);
    cairo_surface_t *pdf = cairo_pdf_surface_create (path, 595, 842);
    cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 100);
    cairo_t *ic = cairo_create (img);
    cairo_set_source_rgb (ic, 1, 1, 1);
    cairo_paint (ic);
    cairo_set_source_rgb (ic, 0, 0, 0);
    cairo_rectangle (ic, 20, 20, 160, 10);   /* a "line of text", as pixels */
    cairo_fill (ic);
    cairo_destroy (ic);
    cairo_t *cr = cairo_create (pdf);
    for (int page = 0; page < 2; page++) {
        cairo_set_source_surface (cr, img, 50, 50);
        cairo_paint (cr);
        cairo_show_page (cr);
    }
    cairo_destroy (cr);
    cairo_surface_destroy (img);
    cairo_surface_finish (pdf);
    ck_assert_int_eq (cairo_surface_status (pdf), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (pdf);

    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_int_eq (doc->page_count, 2);
    ck_assert_int_eq (doc->pages_without_text, 2);
    ck_assert_uint_eq (doc->passages->len, 0);
}
END_TEST

START_TEST (test_pdf_page_limit)
{
    evx_extract_options opts = { .max_pages = 5 };
    g_autofree char *msg = extract_error (CORPUS_PDF "/stage2-audit-report.pdf", &opts, EVX_ERROR_LIMIT);
    ck_assert_str_eq (msg, "limit: 7 pages, more than the 5 allowed (--max-pages)");
}
END_TEST

/* ---- limits, types ------------------------------------------------------------------- */

START_TEST (test_file_size_limit)
{
    g_autofree char *path = write_file ("big.txt", "x", -1);
    g_autofree char *big = g_strnfill ((2 << 20) + 10, 'a');
    ck_assert (g_file_set_contents (path, big, -1, NULL));
    evx_extract_options opts = { .max_bytes = 1 << 20 };
    g_autofree char *msg = extract_error (path, &opts, EVX_ERROR_LIMIT);
    ck_assert_str_eq (msg, "limit: the file is 2.0 MiB (2097162 bytes), more than 1 MiB "
                           "(--max-file-size)");
    /* one byte over read "the file is 1 MiB, more than 1 MiB" (a nightly-job helper) */
    ck_assert (g_file_set_contents (path, big, (1 << 20) + 1, NULL));
    g_autofree char *just = extract_error (path, &opts, EVX_ERROR_LIMIT);
    ck_assert_str_eq (just, "limit: the file is 1.0 MiB (1048577 bytes), more than 1 MiB "
                            "(--max-file-size)");
}
END_TEST

/* A file replaced under its name between the walk and the extraction is not read: a
 * symbolic link to a file elsewhere (a nightly-job helper had a secret indexed that way),
 * a FIFO (its open blocked the run for good) or a device (/dev/zero was read without
 * end) */
START_TEST (test_replaced_file_not_read)
{
    g_autofree char *path = write_file ("notes.txt", "Generator fuel contract.\n", -1);
    g_autofree char *secret = write_file ("secret.txt", "zyzzyva secret\n", -1);
    GStatBuf st;
    ck_assert_int_eq (g_stat (path, &st), 0);
    gint64 mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    evx_extract_options same = { .expect = { st.st_dev, st.st_ino, st.st_size, mtime_ns } };
    g_autoptr (evx_document) ok = extract_ok (path, &same);
    ck_assert_uint_eq (ok->passages->len, 1);
    /* a file system whose inode numbers are not stable: the same size and time do */
    evx_extract_options renumbered = same;
    renumbered.expect.ino += 1000;
    g_autoptr (evx_document) again = extract_ok (path, &renumbered);
    ck_assert_uint_eq (again->passages->len, 1);
    /* the name now a link to another file, even one of the same size and time */
    GStatBuf sst;
    ck_assert_int_eq (g_stat (secret, &sst), 0);
    evx_extract_options like_secret = { .expect = { st.st_dev, st.st_ino + 1000, sst.st_size,
                                                    (gint64) sst.st_mtim.tv_sec * 1000000000
                                                        + sst.st_mtim.tv_nsec } };
    ck_assert_int_eq (g_unlink (path), 0);
    ck_assert_int_eq (symlink (secret, path), 0);
    g_autofree char *msg = extract_error (path, &same, EVX_ERROR_IO);
    ck_assert_str_eq (msg, "cannot read: changed during the run: another file now has its name");
    g_autofree char *msg2 = extract_error (path, &like_secret, EVX_ERROR_IO);
    ck_assert_str_eq (msg2, "cannot read: changed during the run: another file now has its name");
    /* a FIFO: refused at once, not waited on */
    ck_assert_int_eq (g_unlink (path), 0);
    ck_assert_int_eq (mkfifo (path, 0600), 0);
    g_autofree char *fifo = extract_error (path, &same, EVX_ERROR_IO);
    ck_assert_str_eq (fifo, "cannot read: changed during the run: no longer a regular file");
    /* a device, also when nothing names the file to expect */
    ck_assert_int_eq (g_unlink (path), 0);
    ck_assert_int_eq (symlink ("/dev/zero", path), 0);
    evx_extract_options any = { .max_bytes = 0 };
    g_autofree char *dev = extract_error (path, &any, EVX_ERROR_IO);
    ck_assert_str_eq (dev, "cannot read: changed during the run: no longer a regular file");
}
END_TEST

START_TEST (test_sniff)
{
    static const struct {
        const char *head;
        const char *type;
    } cases[] = {
        { "%PDF-1.7\n", "application/pdf" },
        { "junk before %PDF-1.4", "application/pdf" },
        { "\x1f\x8b\x08\x00", "application/gzip" },
        { "PK\x03\x04rest", "application/zip" },
        { "  <!DOCTYPE HTML PUBLIC>", "text/html" },
        { "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">", "text/html" },
        { "\xef\xbb\xbf<?xml version=\"1.0\"?><article/>", "application/xml" },
        { "<register><risk/></register>", "application/xml" },
        /* an HTML fragment; Markdown that opens with HTML */
        { "<div class=\"note\"><p>Plan</p></div>", "text/html" },
        { "<p align=\"center\"><img src=\"logo.png\"></p>\n\n## Plan\n", "text/html" },   /* Markdown: decided on the whole file */
        { "<- not markup", "text/plain" },
        { "# Heading\n\ntext", "text/plain" },
        { "\x89PNG\r\n\x1a\n", "image/png" },
        /* text that looks like something else */
        { "From: alice@example.com\nSubject: BIA\n\nbody", "text/plain" },
        { "<alice@example.com> wrote:\n> the plan", "text/plain" },
        { "<?php echo 'plan'; ?>", "application/x-php" },   /* skipped, named */
        { "P\0l\0a\0n\0 \0t\0e\0x\0t\0 \0i\0n\0 \0U\0T\0F\0-\0" "1\0" "6\0", "text/plain" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
        gsize len = strlen (cases[i].head);
        if (cases[i].head[0] == 'P' && cases[i].head[1] == '\0')
            len = 34;   /* UTF-16LE without a byte-order mark */
        g_autofree char *type = evx_extract_sniff ((const guchar *) cases[i].head, len);
        ck_assert_msg (strcmp (type, cases[i].type) == 0, "%s: %s", cases[i].head, type);
    }
}
END_TEST

START_TEST (test_worker_memory_limit)
{
#if defined(__SANITIZE_ADDRESS__)
    fprintf (stderr, "SKIP test_worker_memory_limit: AddressSanitizer builds run workers "
                     "without an address-space limit\n");
    return;
#endif
    /* 1 GiB of text behind a 1 MiB gzip file, no size limit, a 512 MiB worker */
    static char letters[1 << 20];
    memset (letters, 'a', sizeof letters);
    g_autofree char *path = write_gzip ("big.gz", letters, sizeof letters, 1024);
    evx_worker_limits limits = { 60, 60, 512 << 20 };
    evx_extract_options opts = { .max_bytes = 0 };
    g_autoptr (GError) error = NULL;
    evx_worker_info info = { 0 };
    g_autoptr (evx_document) doc = evx_worker_extract_full (path, cat, &limits, &opts, &info, &error);
    ck_assert_ptr_null (doc);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_LIMIT), "%s", error->message);
    /* GLib stops a process that cannot allocate with SIGTRAP */
    ck_assert_str_eq (error->message, "limit: out of memory at the memory limit of 512 MiB (signal 5)");
    ck_assert_uint_eq (info.n_diagnostics, 1);
    evx_worker_info_clear (&info);

    /* and the next file gets a fresh worker */
    g_clear_error (&error);
    g_autoptr (evx_document) next = evx_worker_extract_full (DATA "/encrypted-owner.pdf", cat,
                                                             &limits, NULL, NULL, &error);
    ck_assert_ptr_nonnull (next);
}
END_TEST

/* ---- inputs a hostile-input session found mishandled (each was a bug) ------------ */

START_TEST (test_docx_without_document)
{
    /* the worker crashed (NULL error) */
    g_autofree char *path = g_build_filename (tmp_dir, "m.docx", NULL);
    zipFile zf = zipOpen (path, APPEND_STATUS_CREATE);
    zip_add (zf, "mimetype", EVX_TEST_MIME_DOCX, TRUE);
    zip_add (zf, "o.xml", "<x/>", FALSE);
    ck_assert_int_eq (zipClose (zf, NULL), ZIP_OK);
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = evx_worker_extract (path, cat, NULL, &error);
    ck_assert_ptr_null (doc);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_DAMAGED), "%s", error->message);
    ck_assert_str_eq (error->message, "damaged: DOCX file without word/document.xml");
}
END_TEST

START_TEST (test_markdown_deep_nesting)
{
    /* 200,000 nested block quotes overflowed the stack of a recursive walk */
    g_autofree char *quotes = g_strnfill (200000, '>');
    g_autofree char *md = g_strconcat ("# T\n", quotes, " x\n", NULL);
    g_autofree char *path = write_file ("q.md", md, -1);
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = evx_worker_extract (path, cat, NULL, &error);
    ck_assert_msg (doc != NULL, "%s", error ? error->message : "");
    ck_assert_uint_eq (doc->passages->len, 1);
    ck_assert_str_eq (passage (doc, 0)->text, "T x");
}
END_TEST

START_TEST (test_fuzz_markup_invalid_utf8)
{
    /* found by fuzz-markup: XML declared UTF-8 holding bytes that are not (a lone 0xE3),
     * which libxml2 recovers from and hands on; walking its text read past the end of a
     * line (heap-buffer-overflow under AddressSanitizer) */
    gsize len = 0;
    g_autofree char *data = NULL;
    ck_assert (g_file_get_contents (EVX_SOURCE_DIR "/tests/data/fuzz-markup-invalid-utf8.xml", &data,
                                    &len, NULL));
    g_autoptr (evx_document) doc = evx_document_new ("/fuzz.xml");
    g_autoptr (GError) error = NULL;
    gboolean ok = evx_markup_extract_xml ((const guint8 *) data, len, doc, &error);
    ck_assert_msg (ok || error, "no result and no error");
    for (guint i = 0; i < doc->passages->len; i++)
        ck_assert (g_utf8_validate (((evx_passage *) g_ptr_array_index (doc->passages, i))->text, -1, NULL));
    /* the same at its smallest: a line of spaces ending in a lone lead byte */
    g_autoptr (evx_page_layout) flow = evx_flow_new ();
    evx_flow_add_block (flow, " \xf0", FALSE);
    evx_flow_add_block (flow, "plan \xe3", FALSE);
    /* each bad byte is a U+FFFD, as in text files */
    ck_assert_uint_eq (flow->lines->len, 2);
    ck_assert_str_eq (((evx_line *) g_ptr_array_index (flow->lines, 0))->text, " \xef\xbf\xbd");
    ck_assert_str_eq (((evx_line *) g_ptr_array_index (flow->lines, 1))->text, "plan \xef\xbf\xbd");
}
END_TEST

START_TEST (test_entities_bounded)
{
    /* an entity the document declares reads as its text, in the title as in the passages
     * (they were dropped: "The plan"), with the entities inside it, within budgets:
     * xmlNodeGetContent() expanded them all (100 MB titles from 300 KB); an external
     * entity is never read */
    g_autofree char *path = write_file (
        "ent.xml",
        "<?xml version=\"1.0\"?><!DOCTYPE article [<!ENTITY co \"Contoso <emphasis>Freight</emphasis>\">"
        "<!ENTITY ext SYSTEM \"file:///etc/hostname\"><!ENTITY lol \"&co;&co;&co;\">]>"
        "<article xmlns=\"http://docbook.org/ns/docbook\"><title>Plan for &co;</title>"
        "<para>The &co; plan&ext;&lol;</para></article>",
        -1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->title, "Plan for Contoso Freight");
    /* the title reads entities as deep as the passages do (one level less, before) */
    g_autofree char *chain = write_file (
        "chain.xml",
        "<?xml version=\"1.0\"?><!DOCTYPE article [<!ENTITY d \"Deepest\"><!ENTITY c \"C &d;\">"
        "<!ENTITY b \"B &c;\"><!ENTITY a \"A &b;\">]><article xmlns=\"http://docbook.org/ns/docbook\">"
        "<title>T &a;</title><para>P &a;</para></article>", -1);
    g_autoptr (evx_document) dc = extract_ok (chain, NULL);
    ck_assert_str_eq (dc->title, "T A B C");
    ck_assert_str_eq (passage (dc, 0)->text, "T A B C P A B C");
    ck_assert_str_eq (passage (doc, 0)->text, "Plan for Contoso Freight The Contoso Freight "
                                            "planContoso FreightContoso FreightContoso Freight");
    /* XHTML's named entities, declared by its DTD, which is never loaded: they were
     * dropped and the words either side ran together ("shallnotify", "within24hours") */
    g_autofree char *xhtml = write_file (
        "ent.xhtml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 "
        "Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>The Supplier won&rsquo;t charge "
        "more than&nbsp;&euro;500. The Supplier shall&nbsp;notify the Customer within&nbsp;24&nbsp;hours "
        "&amp; more.</p></body></html>",
        -1);
    g_autoptr (evx_document) xd = extract_ok (xhtml, NULL);
    ck_assert_str_eq (xd->mime_type, "application/xhtml+xml");
    ck_assert_str_eq (passage (xd, 0)->text, "The Supplier won\xe2\x80\x99t charge more than \xe2\x82\xac"
                                             "500. The Supplier shall notify the Customer within 24 "
                                             "hours & more.");
    /* a thousand references to a 1,000-byte entity give at most a 1 MiB budget, not more */
    g_autoptr (GString) bomb = g_string_new ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"");
    for (int i = 0; i < 100; i++)
        g_string_append (bomb, "aaaaaaaaa ");
    g_string_append (bomb, "\">]><r>");
    for (int i = 0; i < 3000; i++)
        g_string_append (bomb, "&a;");
    g_string_append (bomb, "end</r>");
    g_autofree char *bomb_path = write_file ("bomb.xml", bomb->str, -1);
    g_autoptr (evx_document) bd = extract_ok (bomb_path, NULL);
    gsize total = 0;
    for (guint i = 0; i < bd->passages->len; i++)
        total += strlen (passage (bd, i)->text);
    ck_assert_uint_le (total, (1 << 20) + 2000);
    ck_assert_uint_ge (total, 1000000);
    /* a DOCX title made of a repeated entity */
    g_autofree char *docx = g_build_filename (tmp_dir, "ent.docx", NULL);
    zipFile zf = zipOpen (docx, APPEND_STATUS_CREATE);
    g_autoptr (GString) body = g_string_new ("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"");
    for (int i = 0; i < 100; i++)
        g_string_append (body, "aaaaaaaaaa");
    g_string_append (body, "\">]><w:document " W "><w:body><w:p><w:r><w:t>");
    for (int i = 0; i < 1000; i++)
        g_string_append (body, "&a;");
    g_string_append (body, "real text</w:t></w:r></w:p></w:body></w:document>");
    zip_add (zf, "word/document.xml", body->str, FALSE);
    ck_assert_int_eq (zipClose (zf, NULL), ZIP_OK);
    g_autoptr (evx_document) d2 = extract_ok (docx, NULL);
    ck_assert_uint_eq (d2->passages->len, 1);
    ck_assert_str_eq (passage (d2, 0)->text, "real text");
}
END_TEST

START_TEST (test_zip_trouble)
{
    /* a password-protected member was "cannot be expanded" */
    g_autofree char *enc = g_build_filename (tmp_dir, "enc.docx", NULL);
    zipFile zf = zipOpen (enc, APPEND_STATUS_CREATE);
    zip_fileinfo zi = { 0 };
    const char *xml = "<w:document " W "><w:body/></w:document>";
    ck_assert_int_eq (zipOpenNewFileInZip3 (zf, "word/document.xml", &zi, NULL, 0, NULL, 0, NULL,
                                            Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS,
                                            DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY, "secret", 0),
                      ZIP_OK);
    ck_assert_int_eq (zipWriteInFileInZip (zf, xml, (unsigned) strlen (xml)), ZIP_OK);
    ck_assert_int_eq (zipCloseFileInZip (zf), ZIP_OK);
    ck_assert_int_eq (zipClose (zf, NULL), ZIP_OK);
    g_autofree char *msg = extract_error (enc, NULL, EVX_ERROR_ENCRYPTED);
    ck_assert_str_eq (msg, "encrypted: zip member word/document.xml is password-protected");

    /* an empty ODF "mimetype" member made GLib print criticals in the worker */
    g_autofree char *odt = g_build_filename (tmp_dir, "empty-mimetype.odt", NULL);
    zf = zipOpen (odt, APPEND_STATUS_CREATE);
    zip_add (zf, "mimetype", "", TRUE);
    zip_add (zf, "content.xml", "<x/>", FALSE);
    ck_assert_int_eq (zipClose (zf, NULL), ZIP_OK);
    evx_worker_info info = { 0 };
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = evx_worker_extract_full (odt, cat, NULL, NULL, &info, &error);
    ck_assert_ptr_null (doc);
    ck_assert_str_eq (error->message, "unsupported type: application/zip");
    ck_assert_uint_eq (info.n_diagnostics, 0);
    evx_worker_info_clear (&info);
}
END_TEST

START_TEST (test_gzip_trailing_garbage)
{
    /* gzip(1) ignores bytes after the last member with a warning; evidex failed */
    const char *text = "Business continuity policy.\n";
    g_autofree char *gz = write_gzip ("policy.txt.gz", text, strlen (text), 1);
    g_autofree char *data = NULL;
    gsize len = 0;
    ck_assert (g_file_get_contents (gz, &data, &len, NULL));
    g_autofree char *padded = g_malloc (len + 7);
    memcpy (padded, data, len);
    memcpy (padded + len, "garbage", 7);
    g_autofree char *path = write_file ("trailing.gz", padded, (gssize) len + 7);
    evx_worker_info info = { 0 };
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = evx_worker_extract_full (path, cat, NULL, NULL, &info, &error);
    ck_assert_msg (doc != NULL, "%s", error ? error->message : "");
    ck_assert_str_eq (passage (doc, 0)->text, "Business continuity policy.");
    ck_assert_uint_eq (info.n_diagnostics, 1);
    ck_assert_str_eq (g_ptr_array_index (info.diagnostics, 0),
                      "gzip: trailing garbage after the compressed data ignored");
    evx_worker_info_clear (&info);
}
END_TEST

START_TEST (test_markup_that_is_text)
{
    g_autofree char *path = write_file ("mail.txt", "<alice@example.com> wrote:\n\nThe plan is fine.\n", -1);
    g_autoptr (evx_document) doc = extract_ok (path, NULL);
    ck_assert_str_eq (doc->mime_type, "text/plain");
    ck_assert_uint_eq (doc->passages->len, 2);
    ck_assert_str_eq (passage (doc, 1)->text, "The plan is fine.");
    /* starts like XML, has no element: read as text */
    g_autofree char *bad = write_file ("notes.xml", "<?xml version=\"1.0\"?>\nnot markup at all\n", -1);
    g_autoptr (evx_document) doc2 = extract_ok (bad, NULL);
    ck_assert_str_eq (doc2->mime_type, "text/plain");
    /* UTF-16 without a byte-order mark */
    gsize n = 0;
    g_autofree char *utf16 = g_convert ("Plan text in UTF-16, no mark", -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
    g_autofree char *u16 = write_file ("u16.txt", utf16, (gssize) n);
    g_autoptr (evx_document) doc3 = extract_ok (u16, NULL);
    ck_assert_str_eq (passage (doc3, 0)->text, "Plan text in UTF-16, no mark");
}
END_TEST

static Suite *
extract_suite (void)
{
    Suite *s = suite_create ("extract");
    TCase *tc = tcase_create ("formats");
    tcase_add_checked_fixture (tc, setup, teardown);
    tcase_set_timeout (tc, 60);
    tcase_add_test (tc, test_html_windows_1252);
    tcase_add_test (tc, test_html_meta_charset_and_utf16);
    tcase_add_test (tc, test_html_charset_fallbacks);
    tcase_add_test (tc, test_html_cells_with_paragraphs);
    tcase_add_test (tc, test_heading_levels);
    tcase_add_test (tc, test_xhtml_declared_encoding);
    tcase_add_test (tc, test_docbook);
    tcase_add_test (tc, test_generic_xml);
    tcase_add_test (tc, test_markdown);
    tcase_add_test (tc, test_text_invalid_bytes_and_nul);
    tcase_add_test (tc, test_text_line_ends);
    tcase_add_test (tc, test_gzip_text);
    tcase_add_test (tc, test_gzip_bomb);
    tcase_add_test (tc, test_gzip_damaged);
    tcase_add_test (tc, test_docx);
    tcase_add_test (tc, test_odt);
    tcase_add_test (tc, test_zip_without_document);
    tcase_add_test (tc, test_docx_hidden_text);
    tcase_add_test (tc, test_docx_tracked_move);
    tcase_add_test (tc, test_docx_text_box);
    tcase_add_test (tc, test_docx_special_characters);
    tcase_add_test (tc, test_docx_notes);
    tcase_add_test (tc, test_docx_strict);
    tcase_add_test (tc, test_odt_hidden_text);
    tcase_add_test (tc, test_pdf_encrypted);
    tcase_add_test (tc, test_pdf_owner_password_only);
    tcase_add_test (tc, test_pdf_truncated);
    tcase_add_test (tc, test_pdf_broken_xref_repaired);
    tcase_add_test (tc, test_pdf_scanned);
    tcase_add_test (tc, test_pdf_page_limit);
    tcase_add_test (tc, test_file_size_limit);
    tcase_add_test (tc, test_replaced_file_not_read);
    tcase_add_test (tc, test_sniff);
    tcase_add_test (tc, test_worker_memory_limit);
    tcase_add_test (tc, test_docx_without_document);
    tcase_add_test (tc, test_markdown_deep_nesting);
    tcase_add_test (tc, test_entities_bounded);
    tcase_add_test (tc, test_fuzz_markup_invalid_utf8);
    tcase_add_test (tc, test_zip_trouble);
    tcase_add_test (tc, test_gzip_trailing_garbage);
    tcase_add_test (tc, test_markup_that_is_text);
    suite_add_tcase (s, tc);
    return s;
}

int
main (void)
{
    return evx_test_main (extract_suite ());
}
