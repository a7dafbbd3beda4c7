/* test-mapping.c - Check suite for ingest/edition, ingest/vocabulary and
 * ingest/mapping: edition detection, vocabulary weights and scores, and the tagging
 * of whole documents with each reason kind, with the built-in catalog. */
#include "ingest/catalog.h"
#include "ingest/clauseref.h"
#include "ingest/edition.h"
#include "ingest/mapping.h"
#include "ingest/vocabulary.h"

#include <check.h>

#include "tests/fixture.h"
#include <glib.h>
#include <stdlib.h>
#include <string.h>

static evx_catalog *cat;

static void
setup_catalog (void)
{
    cat = evx_test_catalog_load ();
}

static void
teardown_catalog (void)
{
    evx_catalog_free (cat);
    cat = NULL;
}

/* ---- edition detection --------------------------------------------------- */

static void
expect_edition (const char *text, int want, const char *want_why)
{
    const char *why = NULL;
    int got = evx_edition_detect (text, &why);

    ck_assert_msg (got == want, "\"%s\": got %d, expected %d (%s)", text, got, want, why);
    ck_assert_ptr_nonnull (why);
    if (want_why)
        ck_assert_str_eq (why, want_why);
}

START_TEST (test_edition_named)
{
    expect_edition ("Certified to ISO 22301:2012 since 2013.", 2012, "names ISO 22301:2012");
    expect_edition ("BS EN ISO 22301 : 2019 applies.", 2019, "names ISO 22301:2019");
    expect_edition ("iso22301:2012", 2012, NULL);
    /* the edition named most often wins */
    expect_edition ("Transition from ISO 22301:2012 to ISO 22301:2019; audited against "
                    "ISO 22301:2019.", 2019, "names ISO 22301:2019");
}
END_TEST

START_TEST (test_edition_title_words)
{
    expect_edition ("Societal security — Business continuity management systems — Requirements",
                    2012, "title words \"Societal security\" (2012)");
    expect_edition ("Security and resilience — Business continuity management systems", 2019,
                    "title words \"Security and resilience\" (2019)");
    /* the title words outweigh wording */
    expect_edition ("Societal security. The exercise programme and response structure.", 2012,
                    NULL);
}
END_TEST

START_TEST (test_edition_wording)
{
    expect_edition ("Invocation of the plan follows the incident response structure; "
                    "exercising and testing is annual.", 2012, "2012 wording");
    expect_edition ("The exercise programme covers strategies and solutions.", 2019,
                    "2019 wording");
    /* "incident response structure" is 2012 wording, not also 2019's "response structure" */
    expect_edition ("The incident response structure has three levels.", 2012, "2012 wording");
}
END_TEST

START_TEST (test_edition_default)
{
    expect_edition ("", 2019, "2019 by default: nothing tells");
    expect_edition ("The depot has a generator.", 2019, "2019 by default: nothing tells");
    expect_edition ("Invocation of the exercise programme.", 2019,
                    "2019 by default: the signs are even");
}
END_TEST

/* ---- vocabulary --------------------------------------------------------- */

static char *
terms (const char *text)
{
    g_autoptr (GPtrArray) t = evx_vocabulary_terms (text);
    g_ptr_array_add (t, NULL);
    return g_strjoinv (" ", (char **) t->pdata);
}

START_TEST (test_vocabulary_terms)
{
    g_autofree char *a = terms ("The Organisation's prioritised activities");
    g_autofree char *b = terms ("the organization prioritized activity");
    /* stop words dropped, case folded, British spelling folded, stemmed */
    ck_assert_str_eq (a, b);
    g_autofree char *c = terms ("exercise programme; exercised programs");
    ck_assert_str_eq (c, "exercis program exercis program");
    /* the typographic apostrophe too */
    g_autofree char *e = terms ("the Organisation\xE2\x80\x99s prioritised activities");
    ck_assert_str_eq (e, b);
    g_autofree char *d = terms ("");
    ck_assert_str_eq (d, "");
}
END_TEST

START_TEST (test_vocabulary_weights)
{
    const evx_vocabulary *v = evx_catalog_vocabulary (cat);
    double rare = evx_vocabulary_phrase_weight (v, "maximum tolerable period of disruption", 2019);
    double common = evx_vocabulary_phrase_weight (v, "policy", 2019);

    /* vocabulary.h: a rare phrase counts far more than a common one */
    ck_assert_msg (rare > 3 * common, "MTPD %.2f, policy %.2f", rare, common);
    ck_assert (common > 0);
    /* spelling and inflection do not matter; unknown phrases weigh nothing */
    ck_assert_double_eq_tol (evx_vocabulary_phrase_weight (v, "Maximum Tolerable Periods of "
                                                              "Disruption", 2019), rare, 1e-9);
    ck_assert_double_eq (evx_vocabulary_phrase_weight (v, "purple elephant", 2019), 0.0);
    /* a title of "General" is no vocabulary */
    ck_assert_double_eq (evx_vocabulary_phrase_weight (v, "General", 2019), 0.0);
}
END_TEST

START_TEST (test_vocabulary_score)
{
    const evx_vocabulary *v = evx_catalog_vocabulary (cat);
    g_autoptr (GPtrArray) m = evx_vocabulary_score (
        v, "The BIA set a maximum tolerable period of disruption of 24 hours.", 2019);
    ck_assert_uint_ge (m->len, 1);
    const evx_vocabulary_match *best = g_ptr_array_index (m, 0);
    ck_assert_str_eq (best->clause->id, "8.2.2");
    ck_assert_int_eq (best->clause->edition, 2019);
    /* the longest phrase matches, each phrase once, as written in the catalog */
    ck_assert_uint_eq (best->phrases->len, 2);
    ck_assert_str_eq (g_ptr_array_index (best->phrases, 0), "BIA");
    ck_assert_str_eq (g_ptr_array_index (best->phrases, 1), "maximum tolerable period of disruption");
    ck_assert_double_eq_tol (best->score,
                             evx_vocabulary_phrase_weight (v, "BIA", 2019)
                                 + evx_vocabulary_phrase_weight (
                                     v, "maximum tolerable period of disruption", 2019),
                             1e-9);
    /* clauses 1 to 3 are never scored */
    g_autoptr (GPtrArray) none = evx_vocabulary_score (v, "terms and definitions glossary", 2019);
    for (guint i = 0; i < none->len; i++) {
        const evx_vocabulary_match *x = g_ptr_array_index (none, i);
        ck_assert_str_ne (x->clause->id, "3");
    }
}
END_TEST

/* ---- tagging documents -------------------------------------------------- */

static evx_passage *
add (evx_document *doc, const char *text, glong heading_chars)
{
    glong start = 0;
    if (doc->passages->len > 0) {
        const evx_passage *last = g_ptr_array_index (doc->passages, doc->passages->len - 1);
        start = last->end + 1;
    }
    evx_passage *p = evx_passage_new (1, start, start + g_utf8_strlen (text, -1), text);
    p->is_heading = heading_chars > 0;
    p->heading_chars = heading_chars;
    g_ptr_array_add (doc->passages, p);
    return p;
}

/* The tags of passage @i, as "ID/EDITION:REASON" separated by spaces. */
static char *
tags (const evx_document *doc, guint i)
{
    const evx_passage *p = g_ptr_array_index (doc->passages, i);
    GString *out = g_string_new (NULL);
    for (guint k = 0; k < p->clauses->len; k++) {
        const evx_clause_tag *t = g_ptr_array_index (p->clauses, k);
        const evx_clause *c = evx_catalog_lookup (cat, t->id, t->edition);
        ck_assert_ptr_nonnull (c);
        ck_assert_str_eq (t->title, c->title);
        ck_assert (t->confidence > 0.0 && t->confidence <= 1.0);
        g_string_append_printf (out, "%s%s/%d:%s", k > 0 ? " " : "", t->id, t->edition,
                                evx_clause_reason_name (t->reason));
    }
    return g_string_free (out, FALSE);
}

static void
expect_tags (const evx_document *doc, guint i, const char *want)
{
    g_autofree char *got = tags (doc, i);
    ck_assert_msg (strcmp (got, want) == 0, "passage %u: got \"%s\", expected \"%s\"", i, got, want);
}

static const evx_clause_tag *
tag (const evx_document *doc, guint i, guint k)
{
    const evx_passage *p = g_ptr_array_index (doc->passages, i);
    ck_assert_uint_gt (p->clauses->len, k);
    return g_ptr_array_index (p->clauses, k);
}

START_TEST (test_tag_reasons)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/stage2.pdf");

    add (doc, "Audit summary The audit against ISO 22301:2019 covered both depots.", 13);
    add (doc, "Plans follow clause 8.4.4 and ISO 22301:2012 clause 8.5.", 0);
    add (doc, "8.2.2 Business impact analysis The BIA covered twelve activities.", 30);
    add (doc, "Each activity has a maximum tolerable period of disruption.", 0);
    add (doc, "8.9 Not a clause heading", 24);
    add (doc, "The canteen reopened on Monday.", 0);
    add (doc, "Each activity has a maximum tolerable period of disruption.", 0);
    evx_mapping_tag (doc, cat);

    ck_assert_int_eq (doc->edition, 2019);
    expect_tags (doc, 0, "");
    /* reference: named edition 0.98, else 0.95; the equivalent of the other edition */
    expect_tags (doc, 1, "8.4.4/2019:reference 8.5/2012:reference");
    ck_assert_double_eq_tol (tag (doc, 1, 0)->confidence, 0.95, 1e-9);
    ck_assert_str_eq (evx_clause_tag_equivalent (tag (doc, 1, 0)), "8.4.4");
    ck_assert_double_eq_tol (tag (doc, 1, 1)->confidence, 0.98, 1e-9);
    ck_assert_str_eq (evx_clause_tag_equivalent (tag (doc, 1, 1)), "8.5");
    ck_assert_ptr_null (tag (doc, 1, 0)->matched);
    /* heading: the clause heading itself 0.95, the passages under it x 0.85 */
    expect_tags (doc, 2, "8.2.2/2019:heading");
    ck_assert_double_eq_tol (tag (doc, 2, 0)->confidence, 0.95, 1e-9);
    expect_tags (doc, 3, "8.2.2/2019:heading");
    ck_assert_double_eq_tol (tag (doc, 3, 0)->confidence, 0.95 * 0.85, 1e-9);
    /* the next heading ends its reach, even when it names no clause */
    expect_tags (doc, 4, "");
    expect_tags (doc, 5, "");
    /* vocabulary: the matched phrases and a confidence from the score */
    expect_tags (doc, 6, "8.2.2/2019:vocabulary");
    const evx_clause_tag *v = tag (doc, 6, 0);
    ck_assert_str_eq (v->matched[0], "maximum tolerable period of disruption");
    ck_assert_ptr_null (v->matched[1]);
    double w = evx_vocabulary_phrase_weight (evx_catalog_vocabulary (cat),
                                             "maximum tolerable period of disruption", 2019);
    ck_assert_double_eq_tol (v->confidence, w / (w + EVX_MAPPING_THRESHOLD), 1e-9);
}
END_TEST

START_TEST (test_tag_below_threshold)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/memo.pdf");

    /* one common word is no evidence ("policy" weighs less than the threshold) */
    add (doc, "The travel policy was updated.", 0);
    evx_mapping_tag (doc, cat);
    expect_tags (doc, 0, "");
    ck_assert (evx_vocabulary_phrase_weight (evx_catalog_vocabulary (cat), "policy", 2019)
               < EVX_MAPPING_THRESHOLD);
}
END_TEST

START_TEST (test_tag_numbered_sections_nest)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/drp.pdf");

    /* a short numbered passage with a capitalised word is a heading; a sub-section
     * that maps to nothing hands down its parent's clause */
    add (doc, "2. Business Impact Analysis", 0);
    add (doc, "Each service was rated on a five-point scale.", 0);
    add (doc, "2.1 Method", 0);
    add (doc, "Interviews with each service owner.", 0);
    add (doc, "12 hours 4 hours generator", 0);   /* a table row, not a heading */
    add (doc, "Staff canteen", 14);              /* an unnumbered heading of another subject */
    add (doc, "The canteen reopened on Monday.", 0);
    add (doc, "3. Office Moves", 0);
    add (doc, "The office moved in May.", 0);
    evx_mapping_tag (doc, cat);

    expect_tags (doc, 0, "8.2.2/2019:heading");
    expect_tags (doc, 1, "8.2.2/2019:heading");
    expect_tags (doc, 2, "8.2.2/2019:heading");
    expect_tags (doc, 3, "8.2.2/2019:heading");
    expect_tags (doc, 4, "8.2.2/2019:heading");
    expect_tags (doc, 5, "");
    expect_tags (doc, 6, "");
    expect_tags (doc, 7, "");
    expect_tags (doc, 8, "");
}
END_TEST

/* A table of contents' lines are no evidence: "8.2.2 Business impact analysis 5" was a
 * clause heading at 0.95 and counted in `clauses` (a helper's DOCX with a TOC) */
START_TEST (test_tag_table_of_contents)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/plan.docx");

    add (doc, "Contents", 8);
    add (doc, "8.2.2 Business impact analysis 5", 0);
    add (doc, "9.2 Internal audit ........ 7", 0);
    add (doc, "8.4 Business continuity plans and procedures \xe2\x80\xa6 iv", 0);
    add (doc, "3 Business Impact Analysis . . . . . 12", 0);
    add (doc, "8.2.2 Business impact analysis", 30);
    add (doc, "Twelve activities were rated.", 0);
    add (doc, "8.2.3 Risk assessment 2024", 0);
    evx_mapping_tag (doc, cat);
    for (guint i = 0; i < 5; i++)
        expect_tags (doc, i, "");
    expect_tags (doc, 5, "8.2.2/2019:heading");
    expect_tags (doc, 6, "8.2.2/2019:heading");
    /* a year is no page number: a heading still */
    expect_tags (doc, 7, "8.2.3/2019:heading");
    /* a numbered heading ends the sections its number does not lie in: the paragraph
     * after "8.4.4 Business continuity plans 12" (no clause heading: a TOC line's shape)
     * inherited 9.2.1 from the section before (a helper) */
    g_autoptr (evx_document) d2 = evx_document_new ("/srv/evidence/plan.txt");
    add (d2, "9.2 Internal audit", 18);
    add (d2, "Audits run every year.", 0);
    add (d2, "8.4.4 Business continuity plans 12", 0);
    add (d2, "The canteen reopened on Monday.", 0);
    add (d2, "9.2.2 Audit programme", 21);
    add (d2, "9.3 Management review", 21);
    evx_mapping_tag (d2, cat);
    expect_tags (d2, 1, "9.2/2019:heading");
    expect_tags (d2, 3, "");
    g_autofree char *number = evx_clauseref_number ("8.2.2. Business impact analysis");
    ck_assert_str_eq (number, "8.2.2");
    ck_assert (evx_clauseref_toc_page (" ....... 17"));
    ck_assert (!evx_clauseref_toc_page (" and 17 more"));
    ck_assert (!evx_clauseref_toc_page (""));
}
END_TEST

/* Outline levels (HTML, Word, ODF, Markdown): an unnumbered sub-heading ("Roles", an h3
 * under an h2 "8.4 ...") stays in its parent's section; it ended it, and its passages
 * lost 8.4 (a helper's HTML plan); a heading of the parent's level ends it */
START_TEST (test_tag_outline_levels)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/plan.html");

    add (doc, "8.4 Business continuity plans and procedures", 44)->heading_level = 2;
    add (doc, "The plans cover the two depots.", 0);
    add (doc, "Roles", 5)->heading_level = 3;
    add (doc, "The duty manager leads on site.", 0);
    add (doc, "Contacts", 8)->heading_level = 4;
    add (doc, "Call the depot on extension 200.", 0);
    add (doc, "Appendix", 8)->heading_level = 2;
    add (doc, "The canteen reopened on Monday.", 0);
    evx_mapping_tag (doc, cat);
    for (guint i = 0; i < 6; i++) {
        g_autofree char *got = tags (doc, i);
        ck_assert_msg (strstr (got, "8.4/2019:heading") != NULL, "passage %u: %s", i, got);
    }
    expect_tags (doc, 6, "");
    expect_tags (doc, 7, "");

    /* the level outweighs the numbers: "1. Purpose" (h3) under "8.4 ..." (h2) lost 8.4
     * once numbers ended sections they do not lie in (a helper) */
    g_autoptr (evx_document) d2 = evx_document_new ("/srv/evidence/plan.md");
    add (d2, "8.4 Business continuity plans and procedures", 44)->heading_level = 2;
    add (d2, "1. Purpose The plans keep the depots running.", 10)->heading_level = 3;
    evx_mapping_tag (d2, cat);
    g_autofree char *got = tags (d2, 1);
    ck_assert_msg (strstr (got, "8.4/2019:heading") != NULL, "%s", got);
}
END_TEST

START_TEST (test_tag_heading_words_give_way)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/audit-2014.pdf");

    /* a heading mapped by its words alone does not reach passages that cite clauses or
     * have words of their own */
    add (doc, "Business impact analysis", 24);
    add (doc, "Four sites were interviewed in March.", 0);
    add (doc, "Finding against clause 7.4: the communication procedure is out of date.", 0);
    add (doc, "Each site keeps a call tree and a contact list for warning its staff.", 0);
    evx_mapping_tag (doc, cat);
    expect_tags (doc, 0, "8.2.2/2019:heading");
    expect_tags (doc, 1, "8.2.2/2019:heading");
    expect_tags (doc, 2, "7.4/2019:reference");
    expect_tags (doc, 3, "8.4.3/2019:vocabulary");
}
END_TEST

START_TEST (test_tag_refines_parent)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/report.pdf");

    /* a reference to 9.2 (which has sub-clauses) is narrowed by the passage's words */
    add (doc, "Under clause 9.2 the audit programme lists four audits for the year.", 0);
    add (doc, "Clause 9.2 was found to be met.", 0);
    evx_mapping_tag (doc, cat);
    expect_tags (doc, 0, "9.2.2/2019:reference");
    ck_assert_ptr_nonnull (tag (doc, 0, 0)->matched);
    expect_tags (doc, 1, "9.2/2019:reference");
}
END_TEST

START_TEST (test_tag_edition_2012)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/stage1-2014.pdf");

    add (doc, "Audited against ISO 22301:2012.", 0);
    add (doc, "9.1.2 Evaluation of business continuity procedures", 51);
    add (doc, "Exercises under clause 8.5 were reviewed; see also clause 5.2.", 0);
    evx_mapping_tag (doc, cat);

    ck_assert_int_eq (doc->edition, 2012);
    expect_tags (doc, 1, "9.1.2/2012:heading");
    /* 2012 9.1.2 corresponds to 2019 8.6 */
    ck_assert_str_eq (evx_clause_tag_equivalent (tag (doc, 1, 0)), "8.6");
    /* numbers read in 2012: 5.2 is Management commitment */
    expect_tags (doc, 2, "8.5/2012:reference 5.2/2012:reference 9.1.2/2012:heading");
    ck_assert_str_eq (tag (doc, 2, 1)->title, "Management commitment");
    ck_assert_str_eq (evx_clause_tag_equivalent (tag (doc, 2, 1)), "5.1");
    /* every equivalent, the rows that carry only part of the subject last */
    ck_assert_uint_eq (g_strv_length (tag (doc, 2, 1)->equivalents), 2);
    ck_assert_str_eq (tag (doc, 2, 1)->equivalents[1], "5.3");
}
END_TEST

START_TEST (test_tag_kinds)
{
    g_autoptr (evx_document) doc = evx_document_new ("/srv/evidence/x.pdf");

    add (doc, "8.2.2 Business impact analysis", 30);
    add (doc, "Plans follow clause 8.4.4; a maximum tolerable period of disruption was set.", 0);
    evx_mapping_tag_with (doc, cat, EVX_MAPPING_REFERENCES);
    expect_tags (doc, 0, "8.2.2/2019:reference");
    expect_tags (doc, 1, "8.4.4/2019:reference");
}
END_TEST

static Suite *
mapping_suite (void)
{
    Suite *s = suite_create ("mapping");
    TCase *edition = tcase_create ("edition");
    TCase *vocab = tcase_create ("vocabulary");
    TCase *tagging = tcase_create ("tag");

    tcase_add_test (edition, test_edition_named);
    tcase_add_test (edition, test_edition_title_words);
    tcase_add_test (edition, test_edition_wording);
    tcase_add_test (edition, test_edition_default);
    suite_add_tcase (s, edition);

    tcase_add_checked_fixture (vocab, setup_catalog, teardown_catalog);
    tcase_add_test (vocab, test_vocabulary_terms);
    tcase_add_test (vocab, test_vocabulary_weights);
    tcase_add_test (vocab, test_vocabulary_score);
    suite_add_tcase (s, vocab);

    tcase_add_checked_fixture (tagging, setup_catalog, teardown_catalog);
    tcase_add_test (tagging, test_tag_reasons);
    tcase_add_test (tagging, test_tag_below_threshold);
    tcase_add_test (tagging, test_tag_numbered_sections_nest);
    tcase_add_test (tagging, test_tag_table_of_contents);
    tcase_add_test (tagging, test_tag_outline_levels);
    tcase_add_test (tagging, test_tag_heading_words_give_way);
    tcase_add_test (tagging, test_tag_refines_parent);
    tcase_add_test (tagging, test_tag_edition_2012);
    tcase_add_test (tagging, test_tag_kinds);
    suite_add_tcase (s, tagging);
    return s;
}

int
main (void)
{
    SRunner *sr = srunner_create (mapping_suite ());
    srunner_run_all (sr, CK_ENV);
    int failed = srunner_ntests_failed (sr);
    srunner_free (sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
