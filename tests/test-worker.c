/* test-worker.c - Check suite for ingest/worker: the JSON wire format between the
 * extraction child and its parent (exact round trip, strict validation) and
 * evx_worker_extract() on files that are not PDFs, missing files, a file whose
 * reading never ends, and a small PDF written by the test itself. */
#include "ingest/catalog.h"
#include "ingest/error.h"
#include "ingest/extract.h"
#include "ingest/worker.h"
#include "tests/fixture.h"

#include <check.h>
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static char *tmp_dir;
static evx_catalog *cat;

static void
setup_tmp (void)
{
    tmp_dir = evx_test_tmpdir_new ("worker");
    cat = evx_test_catalog_load ();
}

static void
teardown_tmp (void)
{
    evx_test_remove_tree (tmp_dir);
    g_clear_pointer (&tmp_dir, g_free);
    g_clear_pointer (&cat, evx_catalog_free);
}

static char *
tmp_path (const char *name)
{
    return g_build_filename (tmp_dir, name, NULL);
}

/* ---- the wire format ------------------------------------------------------ */

static evx_document *
make_doc (void)
{
    evx_document *doc = evx_document_new ("/srv/evidence/h\xC3\xA4lden/\"quoted\" report.pdf");
    evx_passage *p;

    doc->mime_type = g_strdup ("application/pdf");
    doc->title = g_strdup ("Stage 2 \xE2\x80\x94 \"audit\" \\ report");
    doc->author = NULL;
    doc->producer = g_strdup ("LibreOffice 7.4");
    doc->created = 1700000000;
    doc->page_count = 3;
    doc->edition = 2012;
    g_ptr_array_add (doc->page_texts, g_strdup ("8.5 Exercising and testing\nTests ran in May."));
    g_ptr_array_add (doc->page_texts, g_strdup (""));
    g_ptr_array_add (doc->page_texts, g_strdup ("Caf\xC3\xA9 \xE2\x82\xAC 5 \xF0\x9F\x93\x84 end."));
    p = evx_passage_new (1, 0, 44, "8.5 Exercising and testing Tests ran in May.");
    p->is_heading = TRUE;
    p->heading_chars = 26;
    evx_clause_tag *t = evx_passage_add_clause (p, "8.5", 2012, "Exercising and testing",
                                                EVX_CLAUSE_HEADING, 0.95);
    t->equivalents = g_strsplit ("8.5", "|", -1);
    t = evx_passage_add_clause (p, "8.5", 2019, "Exercise programme", EVX_CLAUSE_VOCABULARY, 0.62);
    t->matched = g_strsplit ("exercise|tests", "|", -1);
    g_ptr_array_add (doc->passages, p);
    p = evx_passage_new (3, 0, 15, "Caf\xC3\xA9 \xE2\x82\xAC 5 \xF0\x9F\x93\x84 end.");
    p->page_label = g_strdup ("A-3");
    g_ptr_array_add (doc->passages, p);
    return doc;
}

static void
assert_docs_equal (const evx_document *a, const evx_document *b)
{
    ck_assert_str_eq (a->path, b->path);
    ck_assert_pstr_eq (a->mime_type, b->mime_type);
    ck_assert_pstr_eq (a->title, b->title);
    ck_assert_pstr_eq (a->author, b->author);
    ck_assert_pstr_eq (a->producer, b->producer);
    ck_assert_int_eq (a->created, b->created);
    ck_assert_int_eq (a->page_count, b->page_count);
    ck_assert_int_eq (a->edition, b->edition);
    ck_assert_uint_eq (a->page_texts->len, b->page_texts->len);
    for (guint i = 0; i < a->page_texts->len; i++)
        ck_assert_str_eq (g_ptr_array_index (a->page_texts, i), g_ptr_array_index (b->page_texts, i));
    ck_assert_uint_eq (a->passages->len, b->passages->len);
    for (guint i = 0; i < a->passages->len; i++) {
        const evx_passage *p = g_ptr_array_index (a->passages, i);
        const evx_passage *q = g_ptr_array_index (b->passages, i);

        ck_assert_int_eq (p->page, q->page);
        ck_assert_pstr_eq (p->page_label, q->page_label);
        ck_assert_int_eq (p->start, q->start);
        ck_assert_int_eq (p->end, q->end);
        ck_assert_str_eq (p->text, q->text);
        ck_assert_int_eq (p->is_heading, q->is_heading);
        ck_assert_int_eq (p->heading_chars, q->heading_chars);
        ck_assert_uint_eq (p->clauses->len, q->clauses->len);
        for (guint j = 0; j < p->clauses->len; j++) {
            const evx_clause_tag *s = g_ptr_array_index (p->clauses, j);
            const evx_clause_tag *t = g_ptr_array_index (q->clauses, j);

            ck_assert_str_eq (s->id, t->id);
            ck_assert_int_eq (s->edition, t->edition);
            ck_assert_pstr_eq (s->title, t->title);
            ck_assert_int_eq (s->reason, t->reason);
            /* the wire format keeps two decimals */
            ck_assert_double_eq_tol (s->confidence, t->confidence, 0.005);
            ck_assert_pstr_eq (evx_clause_tag_equivalent (s), evx_clause_tag_equivalent (t));
            ck_assert_uint_eq (s->equivalents ? g_strv_length (s->equivalents) : 0,
                               t->equivalents ? g_strv_length (t->equivalents) : 0);
            ck_assert_uint_eq (s->matched ? g_strv_length (s->matched) : 0,
                               t->matched ? g_strv_length (t->matched) : 0);
            for (guint k = 0; s->matched && s->matched[k]; k++)
                ck_assert_str_eq (s->matched[k], t->matched[k]);
        }
    }
}

START_TEST (test_json_round_trip)
{
    g_autoptr (evx_document) doc = make_doc ();
    g_autoptr (evx_document) back = NULL;
    g_autoptr (GError) error = NULL;
    gsize len = 0, len2 = 0;
    g_autofree char *json = evx_document_to_json (doc, &len);
    g_autofree char *json2 = NULL;
    g_autofree char *json3 = evx_document_to_json (doc, NULL);

    ck_assert_uint_eq (len, strlen (json));
    ck_assert (g_utf8_validate (json, (gssize) len, NULL));
    ck_assert_str_eq (json3, json);
    back = evx_document_from_json (json, len, &error);
    ck_assert_msg (back != NULL, "from_json: %s", error != NULL ? error->message : "?");
    assert_docs_equal (doc, back);
    ck_assert_ptr_null (back->author);
    ck_assert_str_eq (((evx_passage *) g_ptr_array_index (back->passages, 1))->page_label, "A-3");
    json2 = evx_document_to_json (back, &len2);
    ck_assert_uint_eq (len2, len);
    ck_assert_str_eq (json2, json);
}
END_TEST

START_TEST (test_json_round_trip_empty)
{
    g_autoptr (evx_document) doc = evx_document_new ("/x");
    g_autoptr (evx_document) back = NULL;
    g_autoptr (GError) error = NULL;
    gsize len = 0;
    g_autofree char *json = NULL;

    doc->mime_type = g_strdup ("application/pdf");   /* always set by an extractor */
    json = evx_document_to_json (doc, &len);

    back = evx_document_from_json (json, len, &error);
    ck_assert_msg (back != NULL, "from_json: %s", error != NULL ? error->message : "?");
    assert_docs_equal (doc, back);
    ck_assert_int_eq (back->created, -1);
    ck_assert_int_eq (back->edition, 2019);
}
END_TEST

/* What to break in the JSON of make_doc(). */
typedef enum {
    PAGE_OUT_OF_RANGE,
    PAGE_NEGATIVE,
    PAGE_ZERO,
    END_BEYOND_TEXT,
    START_AFTER_END,
    MISSING_MIME,
    MISSING_PASSAGE_TEXT,
    MISSING_CLAUSE_ID,
    PAGE_COUNT_STRING,
    IS_HEADING_NUMBER,
    CLAUSES_OBJECT,
    TEXT_NUMBER,
    PATH_NULL,
    EDITION_2015,
    CLAUSE_EDITION_2015,
    CLAUSE_REASON_UNKNOWN,
    PAGE_TEXTS_SHORT,
    PAGE_TEXT_NOT_STRING,
    PASSAGE_NOT_OBJECT,
    PASSAGE_TOO_LONG,
    ROOT_ARRAY,
} breakage;

static char *
broken_json (breakage what)
{
    g_autoptr (evx_document) doc = make_doc ();
    g_autofree char *json = evx_document_to_json (doc, NULL);
    g_autoptr (JsonNode) root = json_from_string (json, NULL);
    JsonObject *o = json_node_get_object (root);
    JsonArray *passages = json_object_get_array_member (o, "passages");
    JsonObject *p0 = json_array_get_object_element (passages, 0);
    JsonObject *c0 = json_array_get_object_element (json_object_get_array_member (p0, "clauses"), 0);

    switch (what) {
    case PAGE_OUT_OF_RANGE:
        json_object_set_int_member (p0, "page", 4);
        break;
    case PAGE_NEGATIVE:
        json_object_set_int_member (p0, "page", -1);
        break;
    case PAGE_ZERO:   /* "no page" in a document that has pages */
        json_object_set_int_member (p0, "page", 0);
        break;
    case END_BEYOND_TEXT:
        json_object_set_int_member (p0, "end", 45);   /* page 1 holds 44 code points */
        break;
    case START_AFTER_END:
        json_object_set_int_member (p0, "start", 40);
        json_object_set_int_member (p0, "end", 30);
        break;
    case MISSING_MIME:
        json_object_remove_member (o, "mime_type");
        break;
    case MISSING_PASSAGE_TEXT:
        json_object_remove_member (p0, "text");
        break;
    case MISSING_CLAUSE_ID:
        json_object_remove_member (c0, "id");
        break;
    case PAGE_COUNT_STRING:
        json_object_set_string_member (o, "page_count", "3");
        break;
    case IS_HEADING_NUMBER:
        json_object_set_int_member (p0, "is_heading", 1);
        break;
    case CLAUSES_OBJECT:
        json_object_set_object_member (p0, "clauses", json_object_new ());
        break;
    case TEXT_NUMBER:
        json_object_set_int_member (p0, "text", 5);
        break;
    case PATH_NULL:
        json_object_set_null_member (o, "path");
        break;
    case EDITION_2015:
        json_object_set_int_member (o, "edition", 2015);
        break;
    case CLAUSE_EDITION_2015:
        json_object_set_int_member (c0, "edition", 2015);
        break;
    case CLAUSE_REASON_UNKNOWN:
        json_object_set_string_member (c0, "reason", "hunch");
        break;
    case PAGE_TEXTS_SHORT:
        json_array_remove_element (json_object_get_array_member (o, "page_texts"), 2);
        break;
    case PAGE_TEXT_NOT_STRING:
        json_array_add_int_element (json_object_get_array_member (o, "page_texts"), 1);
        json_object_set_int_member (o, "page_count", 4);
        break;
    case PASSAGE_NOT_OBJECT:
        json_array_add_string_element (passages, "passage");
        break;
    case PASSAGE_TOO_LONG: {
        g_autofree char *text = g_strnfill (EVX_PASSAGE_MAX_CHARS + 1, 'x');
        json_object_set_string_member (p0, "text", text);
        break;
    }
    case ROOT_ARRAY: {
        g_autoptr (JsonNode) array = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (array, json_array_new ());
        return json_to_string (array, FALSE);
    }
    }
    return json_to_string (root, FALSE);
}

static void
expect_rejected (const char *json, gssize len, const char *mention)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = evx_document_from_json (json, len < 0 ? strlen (json) : (gsize) len,
                                                           &error);

    ck_assert_msg (doc == NULL, "accepted: %s", json);
    ck_assert_ptr_nonnull (error);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_INVALID), "%s", error->message);
    ck_assert_msg (g_str_has_prefix (error->message, "invalid extraction result: "), "%s",
                   error->message);
    if (mention != NULL)
        ck_assert_msg (strstr (error->message, mention) != NULL, "\"%s\" does not name \"%s\"",
                       error->message, mention);
}

static void
expect_broken_rejected (breakage what, const char *mention)
{
    g_autofree char *json = broken_json (what);

    expect_rejected (json, -1, mention);
}

START_TEST (test_json_rejects_ranges)
{
    expect_broken_rejected (PAGE_OUT_OF_RANGE, "page is out of range");
    expect_broken_rejected (PAGE_NEGATIVE, "page is out of range");
    expect_broken_rejected (PAGE_ZERO, "page is out of range");
    expect_broken_rejected (END_BEYOND_TEXT, "end is out of range");
    expect_broken_rejected (START_AFTER_END, "end is out of range");
    expect_broken_rejected (EDITION_2015, "edition is not 2012 or 2019");
    expect_broken_rejected (CLAUSE_EDITION_2015, "edition");
    expect_broken_rejected (CLAUSE_REASON_UNKNOWN, "reason names no reason");
    expect_broken_rejected (PAGE_TEXTS_SHORT, "page_texts");
    expect_broken_rejected (PASSAGE_TOO_LONG, "text is longer");
}
END_TEST

START_TEST (test_json_rejects_missing)
{
    expect_broken_rejected (MISSING_MIME, "mime_type is missing");
    expect_broken_rejected (MISSING_PASSAGE_TEXT, "text is missing");
    expect_broken_rejected (MISSING_CLAUSE_ID, "id is missing");
    expect_broken_rejected (PATH_NULL, "path is null");
}
END_TEST

START_TEST (test_json_rejects_types)
{
    expect_broken_rejected (PAGE_COUNT_STRING, "page_count");
    expect_broken_rejected (IS_HEADING_NUMBER, "is_heading");
    expect_broken_rejected (CLAUSES_OBJECT, "clauses");
    expect_broken_rejected (TEXT_NUMBER, "text");
    expect_broken_rejected (PAGE_TEXT_NOT_STRING, "page_texts");
    expect_broken_rejected (PASSAGE_NOT_OBJECT, "passages");
    expect_broken_rejected (ROOT_ARRAY, "document");
}
END_TEST

START_TEST (test_json_rejects_non_json)
{
    expect_rejected ("this is not JSON {", -1, NULL);
    expect_rejected ("", 0, NULL);
    expect_rejected ("{\"path\": \"/x\"", -1, NULL);
    expect_rejected ("42", -1, "document");
    /* A valid document followed by bytes that are not JSON. */
    g_autoptr (evx_document) doc = make_doc ();
    g_autofree char *json = evx_document_to_json (doc, NULL);
    g_autofree char *trailing = g_strconcat (json, " trailing", NULL);
    expect_rejected (trailing, -1, NULL);
}
END_TEST

/* ---- evx_worker_extract --------------------------------------------------- */

START_TEST (test_extract_image_unsupported)
{
    g_autofree char *path = tmp_path ("notes.pdf");   /* the name does not matter */
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = NULL;
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0";

    ck_assert (g_file_set_contents (path, png, sizeof png - 1, NULL));
    doc = evx_worker_extract (path, cat, NULL, &error);
    ck_assert_ptr_null (doc);
    ck_assert_ptr_nonnull (error);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_UNSUPPORTED), "%s", error->message);
    ck_assert_str_eq (error->message, "unsupported type: image/png");
}
END_TEST

START_TEST (test_extract_missing_file)
{
    g_autofree char *path = tmp_path ("does-not-exist.pdf");
    g_autoptr (GError) error = NULL;
    evx_worker_limits limits = { 10, 10, 0 };
    g_autoptr (evx_document) doc = evx_worker_extract (path, cat, &limits, &error);

    ck_assert_ptr_null (doc);
    ck_assert_ptr_nonnull (error);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_IO), "%s", error->message);
}
END_TEST

START_TEST (test_fifo_not_waited_on)
{
    /* a FIFO put where a file was: refused at once (its open blocked the worker until
     * the wall-clock limit, and the run's hashing for good) */
    g_autofree char *path = tmp_path ("never.pdf");
    g_autoptr (GError) error = NULL;
    ck_assert_int_eq (mkfifo (path, 0600), 0);
    gint64 t0 = g_get_monotonic_time ();
    g_autoptr (evx_document) doc = evx_worker_extract (path, cat, NULL, &error);
    ck_assert_ptr_null (doc);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_IO), "%s", error->message);
    ck_assert_str_eq (error->message, "cannot read: changed during the run: no longer a regular file");
    ck_assert_int_lt (g_get_monotonic_time () - t0, 5 * G_USEC_PER_SEC);
}
END_TEST

START_TEST (test_extract_timeout)
{
    /* A worker that hangs (worker.h's test hook) is killed at the wall-clock limit. */
    g_autofree char *path = tmp_path ("never.hang");
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = NULL;
    evx_worker_limits limits = { 1, 0, 0 };
    gint64 t0, elapsed_us;

    ck_assert (g_file_set_contents (path, "text\n", -1, NULL));
    g_setenv (EVX_WORKER_TEST_HANG_ENV, ".hang", TRUE);
    t0 = g_get_monotonic_time ();
    doc = evx_worker_extract (path, cat, &limits, &error);
    elapsed_us = g_get_monotonic_time () - t0;
    ck_assert_ptr_null (doc);
    ck_assert_ptr_nonnull (error);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_LIMIT), "%s", error->message);
    ck_assert_str_eq (error->message, "timeout: no result after 1 s");
    ck_assert_msg (elapsed_us >= 900000 && elapsed_us < 5000000, "returned after %" G_GINT64_FORMAT " us",
                   elapsed_us);
}
END_TEST

/* A one-page PDF with a bold 12 pt heading and two 10 pt body lines, in the
 * standard fonts Helvetica and Helvetica-Bold; offsets of the xref table computed. */
static char *
write_pdf (const char *name)
{
    static const char content[] =
        "BT /F2 12 Tf 72 700 Td (8.2.2 Business impact analysis) Tj ET\n"
        "BT /F1 10 Tf 72 676 Td (The BIA covered twelve activities of the depot.) Tj ET\n"
        "BT /F1 10 Tf 72 664 Td (Plans follow clause 8.4.4 of the standard.) Tj ET\n";
    g_autofree char *stream = g_strdup_printf ("<< /Length %zu >>\nstream\n%sendstream",
                                               strlen (content), content);
    const char *objects[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        stream,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        "<< /Title (Halden stage 2 report) /Producer (test-worker) >>",
    };
    GString *pdf = g_string_new ("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
    gsize offsets[G_N_ELEMENTS (objects)];
    gsize xref;
    char *path = tmp_path (name);

    for (guint i = 0; i < G_N_ELEMENTS (objects); i++) {
        offsets[i] = pdf->len;
        g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
    xref = pdf->len;
    g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", (guint) G_N_ELEMENTS (objects) + 1);
    for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
        g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
    g_string_append_printf (pdf, "trailer\n<< /Size %u /Root 1 0 R /Info 7 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                            (guint) G_N_ELEMENTS (objects) + 1, xref);
    ck_assert (g_file_set_contents (path, pdf->str, (gssize) pdf->len, NULL));
    g_string_free (pdf, TRUE);
    return path;
}

START_TEST (test_extract_pdf)
{
    g_autofree char *path = write_pdf ("small.pdf");
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = NULL;
    g_autoptr (evx_document) direct = NULL;
    g_autofree char *json = NULL;
    g_autofree char *json_direct = NULL;
    const evx_passage *p;
    const evx_clause_tag *t;

    doc = evx_worker_extract (path, cat, NULL, &error);
    ck_assert_msg (doc != NULL, "worker: %s", error != NULL ? error->message : "?");
    ck_assert_str_eq (doc->path, path);
    ck_assert_str_eq (doc->mime_type, "application/pdf");
    ck_assert_str_eq (doc->title, "Halden stage 2 report");
    ck_assert_str_eq (doc->producer, "test-worker");
    ck_assert_ptr_null (doc->author);
    ck_assert_int_eq (doc->created, -1);
    ck_assert_int_eq (doc->page_count, 1);
    ck_assert_int_eq (doc->edition, 2019);
    ck_assert_uint_eq (doc->page_texts->len, 1);
    ck_assert_str_eq (g_ptr_array_index (doc->page_texts, 0),
                      "8.2.2 Business impact analysis\n"
                      "The BIA covered twelve activities of the depot.\n"
                      "Plans follow clause 8.4.4 of the standard.");
    ck_assert_uint_eq (doc->passages->len, 1);
    p = g_ptr_array_index (doc->passages, 0);
    ck_assert_int_eq (p->page, 1);
    ck_assert_ptr_null (p->page_label);
    ck_assert_int_eq (p->start, 0);
    ck_assert_int_eq (p->end, 121);
    ck_assert (p->is_heading);
    ck_assert_str_eq (p->text, "8.2.2 Business impact analysis The BIA covered twelve activities "
                               "of the depot. Plans follow clause 8.4.4 of the standard.");
    ck_assert_uint_eq (p->clauses->len, 2);
    t = g_ptr_array_index (p->clauses, 0);
    ck_assert_str_eq (t->id, "8.2.2");
    ck_assert_int_eq (t->edition, 2019);
    ck_assert_str_eq (t->title, "Business impact analysis");
    ck_assert_int_eq (t->reason, EVX_CLAUSE_HEADING);
    t = g_ptr_array_index (p->clauses, 1);
    ck_assert_str_eq (t->id, "8.4.4");
    ck_assert_int_eq (t->edition, 2019);
    ck_assert_str_eq (t->title, "Business continuity plans");
    ck_assert_int_eq (t->reason, EVX_CLAUSE_REFERENCE);

    /* The child's result is exactly what extraction in this process gives. */
    direct = evx_extract_file (path, cat, &error);
    ck_assert_msg (direct != NULL, "direct: %s", error != NULL ? error->message : "?");
    json = evx_document_to_json (doc, NULL);
    json_direct = evx_document_to_json (direct, NULL);
    ck_assert_str_eq (json, json_direct);
}
END_TEST

START_TEST (test_extract_damaged_pdf)
{
    g_autofree char *path = tmp_path ("damaged.pdf");
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = NULL;

    ck_assert (g_file_set_contents (path, "%PDF-1.4\nthis is where the objects would be\n", -1, NULL));
    doc = evx_worker_extract (path, cat, NULL, &error);
    ck_assert_ptr_null (doc);
    ck_assert_ptr_nonnull (error);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_DAMAGED), "%s", error->message);
    ck_assert (g_str_has_prefix (error->message, "damaged: "));
}
END_TEST

/* ---- evx_worker_pool -------------------------------------------------------- */

/* Waits for the pool's oldest file; checks it is the one expected (@tag) and returns
 * its document (NULL with *error on failure). */
static evx_document *
next_of (evx_worker_pool *pool, const char *tag, evx_worker_info *info, GError **error)
{
    evx_document *doc = NULL;
    gpointer data = NULL;
    ck_assert (evx_worker_pool_next (pool, &doc, NULL, info, &data, error));
    ck_assert_str_eq ((const char *) data, tag);
    return doc;
}

START_TEST (test_pool_order_and_failures)
{
    /* Two workers, two files each at a time: results come back in the order given,
     * each file with its own diagnostics; a hang is killed at the limit and the
     * files queued behind it in the same worker are done by a fresh one. */
    g_autofree char *pdf = write_pdf ("small.pdf");
    g_autofree char *damaged = tmp_path ("damaged.pdf");
    ck_assert (g_file_set_contents (damaged, "%PDF-1.4\nno objects here\n", -1, NULL));
    g_autofree char *hung = tmp_path ("never.hang");
    ck_assert (g_file_set_contents (hung, "text\n", -1, NULL));
    g_setenv (EVX_WORKER_TEST_HANG_ENV, ".hang", TRUE);
    g_autofree char *text = tmp_path ("notes.txt");
    ck_assert (g_file_set_contents (text, "Generator test passed on 3 March.\n", -1, NULL));
    evx_worker_limits limits = { 2, 10, 0 };
    g_autoptr (evx_worker_pool) pool = evx_worker_pool_new (2, cat, &limits);
    static const char *const tags[] = { "pdf-1", "damaged-1", "hung", "text-1", "pdf-2",
                                        "damaged-2", "text-2", "pdf-3" };
    const char *paths[] = { pdf, damaged, hung, text, pdf, damaged, text, pdf };
    for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
        evx_worker_pool_submit (pool, paths[i], NULL, NULL, (gpointer) tags[i]);
    ck_assert_uint_eq (evx_worker_pool_pending (pool), 8);
    for (guint i = 0; i < G_N_ELEMENTS (tags); i++) {
        g_auto (evx_worker_info) info = { 0 };
        g_autoptr (GError) error = NULL;
        g_autoptr (evx_document) doc = next_of (pool, tags[i], &info, &error);
        if (g_str_has_prefix (tags[i], "pdf")) {
            ck_assert_msg (doc != NULL, "%s: %s", tags[i], error ? error->message : "?");
            ck_assert_str_eq (info.mime_type, "application/pdf");
            ck_assert_uint_eq (doc->passages->len, 1);
            ck_assert_uint_eq (info.n_diagnostics, 0);
        } else if (g_str_has_prefix (tags[i], "damaged")) {
            ck_assert_ptr_null (doc);
            ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_DAMAGED), "%s", error->message);
            /* poppler's complaints about this file, and only this file */
            ck_assert_uint_gt (info.n_diagnostics, 0);
            ck_assert (g_str_has_prefix (g_ptr_array_index (info.diagnostics, 0), "poppler: "));
        } else if (g_str_has_prefix (tags[i], "hung")) {
            ck_assert_ptr_null (doc);
            ck_assert_str_eq (error->message, "timeout: no result after 2 s");
            ck_assert (info.killed_by_us);
        } else {
            ck_assert_msg (doc != NULL, "%s: %s", tags[i], error ? error->message : "?");
            ck_assert_str_eq (info.mime_type, "text/plain");
            ck_assert_uint_eq (info.n_diagnostics, 0);
        }
    }
    ck_assert_uint_eq (evx_worker_pool_pending (pool), 0);
    evx_document *none = NULL;
    ck_assert (!evx_worker_pool_next (pool, &none, NULL, NULL, NULL, NULL));
}
END_TEST

START_TEST (test_pool_fresh_worker)
{
    /* One worker past its 500 files is replaced; every file is still extracted. */
    g_autofree char *text = tmp_path ("notes.txt");
    ck_assert (g_file_set_contents (text, "Call tree test reached 41 of 44 staff.\n", -1, NULL));
    g_autoptr (evx_worker_pool) pool = evx_worker_pool_new (1, cat, NULL);
    guint done = 0;
    for (guint i = 0; i < 520; i++) {
        evx_worker_pool_submit (pool, text, NULL, NULL, NULL);
        while (evx_worker_pool_pending (pool) > 4) {
            g_autoptr (GError) error = NULL;
            evx_document *doc = NULL;
            ck_assert (evx_worker_pool_next (pool, &doc, NULL, NULL, NULL, &error));
            ck_assert_msg (doc != NULL, "file %u: %s", done, error ? error->message : "?");
            evx_document_free (doc);
            done++;
        }
    }
    for (evx_document *doc = NULL; evx_worker_pool_next (pool, &doc, NULL, NULL, NULL, NULL); done++) {
        ck_assert_ptr_nonnull (doc);
        g_clear_pointer (&doc, evx_document_free);
    }
    ck_assert_uint_eq (done, 520);
}
END_TEST

static Suite *
worker_suite (void)
{
    Suite *s = suite_create ("worker");
    TCase *json = tcase_create ("json");
    TCase *extract = tcase_create ("extract");

    tcase_add_test (json, test_json_round_trip);
    tcase_add_test (json, test_json_round_trip_empty);
    tcase_add_test (json, test_json_rejects_ranges);
    tcase_add_test (json, test_json_rejects_missing);
    tcase_add_test (json, test_json_rejects_types);
    tcase_add_test (json, test_json_rejects_non_json);
    suite_add_tcase (s, json);

    tcase_add_checked_fixture (extract, setup_tmp, teardown_tmp);
    tcase_add_test (extract, test_extract_image_unsupported);
    tcase_add_test (extract, test_extract_missing_file);
    tcase_add_test (extract, test_extract_timeout);
    tcase_add_test (extract, test_fifo_not_waited_on);
    tcase_add_test (extract, test_extract_pdf);
    tcase_add_test (extract, test_extract_damaged_pdf);
    tcase_add_test (extract, test_pool_order_and_failures);
    tcase_add_test (extract, test_pool_fresh_worker);
    suite_add_tcase (s, extract);
    return s;
}

int
main (void)
{
    SRunner *sr = srunner_create (worker_suite ());
    int failed;

    srunner_run_all (sr, CK_ENV);
    failed = srunner_ntests_failed (sr);
    srunner_free (sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
