/* test-pdf.c - PDF extraction (ingest/pdf.c + passage cutting + clause tags) on the
 * project's own corpus: exact metadata, pages, passages and clauses. */
#include <check.h>
#include <glib.h>
#include <string.h>

#include "ingest/extract.h"
#include "tests/fixture.h"

#define STAGE2 EVX_SOURCE_DIR "/corpus/pdf/stage2-audit-report.pdf"
#define POLICY EVX_SOURCE_DIR "/corpus/pdf/bc-policy.pdf"

static evx_catalog *catalog;

static void
setup (void)
{
    catalog = evx_test_catalog_load ();
}

static void
teardown (void)
{
    g_clear_pointer (&catalog, evx_catalog_free);
}

static const evx_passage *
find_passage (const evx_document *doc, const char *phrase)
{
    for (guint i = 0; i < doc->passages->len; i++) {
        const evx_passage *p = g_ptr_array_index (doc->passages, i);
        if (strstr (p->text, phrase))
            return p;
    }
    return NULL;
}

START_TEST (test_metadata)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = evx_extract_file (STAGE2, catalog, &error);
    ck_assert_msg (doc, "%s", error ? error->message : "");
    ck_assert_str_eq (doc->mime_type, "application/pdf");
    ck_assert_int_eq (doc->page_count, 7);
    ck_assert_uint_eq (doc->page_texts->len, 7);
    ck_assert_str_eq (doc->title, "Stage 2 Certification Audit Report MAC-R-24-0517 — Halden "
                                  "Freight Services Ltd — ISO 22301:2019");
    ck_assert_str_eq (doc->author, "Catherine Whitlow, Meridian Assurance Certification Ltd");
    ck_assert (g_str_has_prefix (doc->producer, "cairo "));
    ck_assert_int_eq (doc->created, 1716552000);   /* 2024-05-24 12:00:00 UTC */
}
END_TEST

START_TEST (test_bia_passage_on_page_4)
{
    g_autoptr (evx_document) doc = evx_extract_file (STAGE2, catalog, NULL);
    ck_assert_ptr_nonnull (doc);
    const evx_passage *p = find_passage (doc, "The business impact analysis covered 14 activities");
    ck_assert_ptr_nonnull (p);
    ck_assert_int_eq (p->page, 4);
    ck_assert (p->is_heading);
    ck_assert (g_str_has_prefix (p->text, "8.2.2 Business impact analysis The business impact"));
    ck_assert_ptr_null (p->page_label);
    ck_assert_uint_eq (p->clauses->len, 1);
    const evx_clause_tag *t = g_ptr_array_index (p->clauses, 0);
    ck_assert_str_eq (t->id, "8.2.2");
    ck_assert_int_eq (t->edition, 2019);
    ck_assert_str_eq (t->title, "Business impact analysis");
    ck_assert_int_eq (t->reason, EVX_CLAUSE_HEADING);

    /* the offsets point at the passage in its page's text */
    const char *page = g_ptr_array_index (doc->page_texts, 3);
    const char *from = g_utf8_offset_to_pointer (page, p->start);
    const char *to = g_utf8_offset_to_pointer (page, p->end);
    ck_assert (g_str_has_prefix (from, "8.2.2 Business impact analysis\n"));
    g_autofree char *span = g_strndup (from, (gsize) (to - from));
    ck_assert (g_str_has_suffix (span, "HFS-BCM-PR-02."));

    /* the next paragraph sits under the same heading */
    const evx_passage *next = find_passage (doc, "MTPD of 24 hours and an RTO of 8 hours");
    ck_assert_ptr_nonnull (next);
    ck_assert_int_eq (next->page, 4);
    ck_assert (evx_passage_find_clause (next, "8.2.2", 2019) != NULL);
}
END_TEST

START_TEST (test_furniture_removed)
{
    g_autoptr (evx_document) doc = evx_extract_file (STAGE2, catalog, NULL);
    ck_assert_ptr_nonnull (doc);
    for (guint i = 0; i < doc->page_texts->len; i++) {
        const char *text = g_ptr_array_index (doc->page_texts, i);
        ck_assert_msg (!strstr (text, " of 7"), "page %u keeps its footer", i + 1);
        ck_assert_msg (!strstr (text, "Stage 2 audit report MAC-R-24-0517"),
                       "page %u keeps its running header", i + 1);
    }
}
END_TEST

START_TEST (test_references_and_distractors)
{
    g_autoptr (evx_document) doc = evx_extract_file (STAGE2, catalog, NULL);
    ck_assert_ptr_nonnull (doc);
    const evx_passage *p = find_passage (doc, "Three nonconformities were raised");
    ck_assert_ptr_nonnull (p);
    ck_assert_int_eq (p->page, 1);
    ck_assert_uint_eq (p->clauses->len, 3);
    ck_assert (evx_passage_find_clause (p, "9.2", 2019) != NULL);
    ck_assert (evx_passage_find_clause (p, "8.4.4", 2019) != NULL);
    ck_assert (evx_passage_find_clause (p, "10.1", 2019) != NULL);
    /* "software version 9.2" is under heading 8.3 (narrowed to the sub-clause its
     * words point at, 8.3.5 "Implementation of solutions") and cites nothing */
    const evx_passage *v = find_passage (doc, "software version 9.2");
    ck_assert_ptr_nonnull (v);
    const evx_clause_tag *t = evx_passage_find_clause (v, "8.3.5", 2019);
    ck_assert_ptr_nonnull (t);
    ck_assert_int_eq (t->reason, EVX_CLAUSE_HEADING);
    for (guint i = 0; i < v->clauses->len; i++) {
        t = g_ptr_array_index (v->clauses, i);
        ck_assert_int_ne (t->reason, EVX_CLAUSE_REFERENCE);
        ck_assert_str_ne (t->id, "9.2");
    }
}
END_TEST

START_TEST (test_two_columns)
{
    g_autoptr (evx_document) doc = evx_extract_file (POLICY, catalog, NULL);
    ck_assert_ptr_nonnull (doc);
    ck_assert_int_eq (doc->page_count, 2);
    const evx_passage *p = find_passage (doc, "Halden Freight will review this policy annually");
    ck_assert_ptr_nonnull (p);
    ck_assert_int_eq (p->page, 2);
    const evx_passage *q = find_passage (doc, "The Board shall provide the resources the BCMS");
    ck_assert_ptr_nonnull (q);
    ck_assert_int_eq (q->page, 1);
}
END_TEST

static Suite *
pdf_suite (void)
{
    Suite *s = suite_create ("pdf");
    TCase *tc = tcase_create ("corpus");
    tcase_add_checked_fixture (tc, setup, teardown);
    tcase_add_test (tc, test_metadata);
    tcase_add_test (tc, test_bia_passage_on_page_4);
    tcase_add_test (tc, test_furniture_removed);
    tcase_add_test (tc, test_references_and_distractors);
    tcase_add_test (tc, test_two_columns);
    suite_add_tcase (s, tc);
    return s;
}

int
main (void)
{
    return evx_test_main (pdf_suite ());
}
