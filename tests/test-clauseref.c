/* test-clauseref.c - Check suite for ingest/clauseref: explicit clause references,
 * clause headings and the tagging of a document's passages, with the built-in
 * ISO 22301 catalog. */
#include "ingest/catalog.h"
#include "ingest/clauseref.h"

#include <check.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

static evx_catalog *cat;

static void
setup_catalog (void)
{
    g_autoptr (GError) error = NULL;

    cat = evx_catalog_load (NULL, &error);
    ck_assert_msg (cat != NULL, "built-in catalog: %s", error != NULL ? error->message : "?");
}

static void
teardown_catalog (void)
{
    evx_catalog_free (cat);
    cat = NULL;
}

/* The references found in @text, as "ID/EDITION" separated by spaces. */
static char *
refs (const char *text, int edition)
{
    g_autoptr (GPtrArray) found = evx_clauseref_find (text, cat, edition);
    GString *out = g_string_new (NULL);

    ck_assert_ptr_nonnull (found);
    for (guint i = 0; i < found->len; i++) {
        const evx_clause *c = g_ptr_array_index (found, i);

        /* The elements are the catalog's own clauses. */
        ck_assert_ptr_eq (c, evx_catalog_lookup (cat, c->id, c->edition));
        g_string_append_printf (out, "%s%s/%d", i > 0 ? " " : "", c->id, c->edition);
    }
    return g_string_free (out, FALSE);
}

static void
expect_refs (const char *text, int edition, const char *want)
{
    g_autofree char *got = refs (text, edition);

    ck_assert_msg (strcmp (got, want) == 0, "\"%s\" (%d): got \"%s\", expected \"%s\"", text,
                   edition, got, want);
}

/* ---- evx_clauseref_find -------------------------------------------------- */

START_TEST (test_find_forms)
{
    expect_refs ("as required by clause 8.4.4 the plans", 2019, "8.4.4/2019");
    expect_refs ("\xC2\xA7 9.2", 2019, "9.2/2019");
    expect_refs ("see \xC2\xA7" "9.2", 2019, "9.2/2019");
    expect_refs ("ISO 22301:2019 10.1", 2019, "10.1/2019");
    expect_refs ("cl. 8.4 applies", 2019, "8.4/2019");
    expect_refs ("ISO 22301 clause 6.3", 2019, "6.3/2019");
    expect_refs ("Clause 7.5.3.", 2019, "7.5.3/2019");
    expect_refs ("(ISO 22301:2019, 8.2.2)", 2012, "8.2.2/2019");
    expect_refs ("under sub-clause 9.3.2 the inputs", 2019, "9.3.2/2019");
}
END_TEST

START_TEST (test_find_named_edition)
{
    const evx_clause *c;
    g_autoptr (GPtrArray) found = evx_clauseref_find ("ISO 22301:2012, clause 8.5", cat, 2019);

    ck_assert_uint_eq (found->len, 1);
    c = g_ptr_array_index (found, 0);
    ck_assert_str_eq (c->id, "8.5");
    ck_assert_int_eq (c->edition, 2012);
    ck_assert_str_eq (c->title, "Exercising and testing");
    /* The edition named in the text wins over the document's. */
    expect_refs ("ISO 22301:2012 8.3.3", 2019, "8.3.3/2012");
    expect_refs ("ISO 22301:2019 clause 8.3.5", 2012, "8.3.5/2019");
    /* A bare number is read in the document's edition. */
    expect_refs ("clause 8.3.2", 2012, "8.3.2/2012");
    ck_assert_str_eq (evx_catalog_lookup (cat, "8.3.2", 2012)->title,
                      "Establishing resource requirements");
}
END_TEST

START_TEST (test_find_iso22313_sublevel)
{
    expect_refs ("clause 8.3.2.4", 2019, "8.3.2/2019");
    expect_refs ("see cl. 8.4.4.1 of the guidance", 2019, "8.4.4/2019");
    expect_refs ("clause 9.1.2", 2019, "9.1/2019");   /* 9.1 has no sub-clause in 2019 */
    expect_refs ("clause 9.1.2", 2012, "9.1.2/2012");
}
END_TEST

START_TEST (test_find_nothing)
{
    expect_refs ("clause 11.4", 2019, "");
    expect_refs ("version 9.2 of the software", 2019, "");
    expect_refs ("on 8.4.2019 the plan", 2019, "");
    expect_refs ("ISO 22301:2019 certified since 2020", 2019, "");
    expect_refs ("clause 123.4", 2019, "");
    expect_refs ("clause 8.4.44", 2019, "");
    expect_refs ("", 2019, "");
}
END_TEST

START_TEST (test_find_no_such_clause)
{
    /* clauseref.h: "Numbers that name no clause of the edition are ignored."  Only a
     * number below a clause that has no sub-clauses of its own is an ISO 22313
     * sub-level; "9.4" is no clause of either standard, not a way to cite 9. */
    expect_refs ("clause 9.4", 2019, "");
    expect_refs ("clause 8.2.4", 2019, "");
    expect_refs ("clause 6.3", 2012, "");   /* new in 2019; 2012 has 6.1 and 6.2 only */
    expect_refs ("clause 5.2.3", 2019, "");
}
END_TEST

START_TEST (test_find_each_once_in_order)
{
    expect_refs ("clause 8.4.4 and again clause 8.4.4, cf. \xC2\xA7 8.4.4", 2019, "8.4.4/2019");
    expect_refs ("clause 9.2, clause 8.4.4 and clause 9.2 again", 2019, "9.2/2019 8.4.4/2019");
    /* 8.3.2.4 and 8.3.2 are the same clause. */
    expect_refs ("clause 8.3.2.4 and clause 8.3.2", 2019, "8.3.2/2019");
    /* The same number in two editions is two clauses. */
    expect_refs ("ISO 22301:2012 clause 8.5 and ISO 22301:2019 clause 8.5", 2019,
                 "8.5/2012 8.5/2019");
}
END_TEST

/* ---- evx_clauseref_heading ------------------------------------------------ */

START_TEST (test_heading)
{
    const evx_clause *c;

    c = evx_clauseref_heading ("8.2.2 Business impact analysis The BIA covered", cat, 2019);
    ck_assert_ptr_eq (c, evx_catalog_lookup (cat, "8.2.2", 2019));
    ck_assert_ptr_null (evx_clauseref_heading ("8.2.2 Something else", cat, 2019));
    ck_assert_ptr_eq (evx_clauseref_heading ("8.2.2. Business impact analysis", cat, 2019), c);
    ck_assert_ptr_eq (evx_clauseref_heading ("8.2.2 BUSINESS IMPACT ANALYSIS", cat, 2019), c);
    /* The title must end at a word boundary. */
    ck_assert_ptr_null (evx_clauseref_heading ("8.2.2 Business impact analysiss", cat, 2019));
    /* A heading without its number, or the number alone, is no clause heading. */
    ck_assert_ptr_null (evx_clauseref_heading ("Business impact analysis", cat, 2019));
    ck_assert_ptr_null (evx_clauseref_heading ("8.2.2", cat, 2019));
    ck_assert_ptr_null (evx_clauseref_heading ("", cat, 2019));
    ck_assert_ptr_null (evx_clauseref_heading ("11 Business impact analysis", cat, 2019));
}
END_TEST

START_TEST (test_heading_other_edition)
{
    const evx_clause *c;

    /* 9.1.2 exists only in 2012: a 2019 document falls back to it. */
    c = evx_clauseref_heading ("9.1.2 Evaluation of business continuity procedures", cat, 2019);
    ck_assert_ptr_nonnull (c);
    ck_assert_str_eq (c->id, "9.1.2");
    ck_assert_int_eq (c->edition, 2012);
    /* The same number with different titles: the title decides the edition. */
    c = evx_clauseref_heading ("5.2 Policy", cat, 2012);
    ck_assert_ptr_eq (c, evx_catalog_lookup (cat, "5.2", 2019));
    c = evx_clauseref_heading ("5.2 Management commitment", cat, 2019);
    ck_assert_ptr_eq (c, evx_catalog_lookup (cat, "5.2", 2012));
    /* A title both editions share: the document's edition first. */
    c = evx_clauseref_heading ("8.4.4 Business continuity plans", cat, 2012);
    ck_assert_ptr_eq (c, evx_catalog_lookup (cat, "8.4.4", 2012));
    c = evx_clauseref_heading ("8.4.4 Business continuity plans", cat, 2019);
    ck_assert_ptr_eq (c, evx_catalog_lookup (cat, "8.4.4", 2019));
}
END_TEST

/* ---- evx_clauses_tag ------------------------------------------------------ */

static evx_passage *
add (evx_document *doc, const char *text, gboolean is_heading)
{
    glong start = 0;
    evx_passage *p;

    if (doc->passages->len > 0) {
        const evx_passage *last = g_ptr_array_index (doc->passages, doc->passages->len - 1);
        start = last->end + 1;
    }
    p = evx_passage_new (1, start, start + g_utf8_strlen (text, -1), text);
    p->is_heading = is_heading;
    g_ptr_array_add (doc->passages, p);
    return p;
}

/* The tags of passage @p, as "ID/EDITION:REASON" separated by spaces. */
static char *
tags (const evx_passage *p)
{
    GString *out = g_string_new (NULL);

    for (guint i = 0; i < p->clauses->len; i++) {
        const evx_clause_tag *t = g_ptr_array_index (p->clauses, i);
        const evx_clause *c = evx_catalog_lookup (cat, t->id, t->edition);

        ck_assert_ptr_nonnull (c);
        ck_assert_str_eq (t->title, c->title);
        g_string_append_printf (out, "%s%s/%d:%s", i > 0 ? " " : "", t->id, t->edition,
                                evx_clause_reason_name (t->reason));
    }
    return g_string_free (out, FALSE);
}

static void
expect_tags (const evx_document *doc, guint i, const char *want)
{
    g_autofree char *got = tags (g_ptr_array_index (doc->passages, i));

    ck_assert_msg (strcmp (got, want) == 0, "passage %u: got \"%s\", expected \"%s\"", i, got, want);
}

START_TEST (test_tag_document)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/stage2.pdf");

    add (doc, "Audit summary The audit covered both depots.", TRUE);
    add (doc, "No clause is named here.", FALSE);
    add (doc, "8.2 Business impact analysis and risk assessment", TRUE);
    add (doc, "The BIA was completed in May.", FALSE);
    add (doc, "Plans follow clause 8.4.4 and ISO 22301:2012 clause 8.5.", FALSE);
    add (doc, "8.2.2 Business impact analysis The BIA covered twelve activities.", TRUE);
    add (doc, "As \xC2\xA7 8.2.2 requires, RTOs were set.", FALSE);
    add (doc, "8.9 Not a clause heading", TRUE);
    add (doc, "Closing remarks.", FALSE);
    evx_clauses_tag (doc, cat);

    expect_tags (doc, 0, "");
    expect_tags (doc, 1, "");
    expect_tags (doc, 2, "8.2/2019:heading");
    expect_tags (doc, 3, "8.2/2019:heading");
    expect_tags (doc, 4, "8.2/2019:heading 8.4.4/2019:reference 8.5/2012:reference");
    expect_tags (doc, 5, "8.2.2/2019:heading");
    /* A reference to the clause the passage already sits under adds nothing. */
    expect_tags (doc, 6, "8.2.2/2019:heading");
    /* The next heading ends the clause's reach, even when it names no clause. */
    expect_tags (doc, 7, "");
    expect_tags (doc, 8, "");

    /* Tagging twice adds nothing new. */
    evx_clauses_tag (doc, cat);
    expect_tags (doc, 4, "8.2/2019:heading 8.4.4/2019:reference 8.5/2012:reference");
}
END_TEST

START_TEST (test_tag_document_2012)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/stage1-2014.pdf");

    doc->edition = 2012;
    add (doc, "9.1.2 Evaluation of business continuity procedures", TRUE);
    add (doc, "Exercises under clause 8.5 were reviewed; see also clause 8.3.2.", FALSE);
    add (doc, "6.3 Planning changes to the business continuity management system", TRUE);
    add (doc, "Changes are logged.", FALSE);
    evx_clauses_tag (doc, cat);

    expect_tags (doc, 0, "9.1.2/2012:heading");
    expect_tags (doc, 1, "9.1.2/2012:heading 8.5/2012:reference 8.3.2/2012:reference");
    /* 6.3 is a 2019 clause: the heading falls back to that edition. */
    expect_tags (doc, 2, "6.3/2019:heading");
    expect_tags (doc, 3, "6.3/2019:heading");
    ck_assert_str_eq (((evx_clause_tag *) g_ptr_array_index (
                           ((evx_passage *) g_ptr_array_index (doc->passages, 1))->clauses, 1))
                          ->title,
                      "Exercising and testing");
}
END_TEST

static Suite *
clauseref_suite (void)
{
    Suite *s = suite_create ("clauseref");
    TCase *find = tcase_create ("find");
    TCase *head = tcase_create ("heading");
    TCase *tag = tcase_create ("tag");

    tcase_add_checked_fixture (find, setup_catalog, teardown_catalog);
    tcase_add_test (find, test_find_forms);
    tcase_add_test (find, test_find_named_edition);
    tcase_add_test (find, test_find_iso22313_sublevel);
    tcase_add_test (find, test_find_nothing);
    tcase_add_test (find, test_find_no_such_clause);
    tcase_add_test (find, test_find_each_once_in_order);
    suite_add_tcase (s, find);

    tcase_add_checked_fixture (head, setup_catalog, teardown_catalog);
    tcase_add_test (head, test_heading);
    tcase_add_test (head, test_heading_other_edition);
    suite_add_tcase (s, head);

    tcase_add_checked_fixture (tag, setup_catalog, teardown_catalog);
    tcase_add_test (tag, test_tag_document);
    tcase_add_test (tag, test_tag_document_2012);
    suite_add_tcase (s, tag);
    return s;
}

int
main (void)
{
    SRunner *sr = srunner_create (clauseref_suite ());
    int failed;

    srunner_run_all (sr, CK_ENV);
    failed = srunner_ntests_failed (sr);
    srunner_free (sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
