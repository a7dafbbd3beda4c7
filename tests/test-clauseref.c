/* test-clauseref.c - Check suite for ingest/clauseref: explicit clause references,
 * clause headings and the false positives they must reject, with the built-in ISO
 * 22301 catalog.  (Tagging whole documents is test-mapping's.) */
#include "ingest/catalog.h"
#include "ingest/clauseref.h"

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

START_TEST (test_find_more_forms)
{
    /* lists after one clause word */
    expect_refs ("clauses 8.4.4 and 8.5", 2019, "8.4.4/2019 8.5/2019");
    expect_refs ("clauses 4.1, 4.2 and 5.3 were sampled", 2019, "4.1/2019 4.2/2019 5.3/2019");
    /* "section"/"requirement" count when the standard follows */
    expect_refs ("section 8.4 of ISO 22301", 2019, "8.4/2019");
    expect_refs ("requirement 9.2 of the standard", 2019, "9.2/2019");
    expect_refs ("section 8.5 of ISO 22301:2012", 2019, "8.5/2012");
    expect_refs ("clause 8.5 of ISO 22301:2012", 2019, "8.5/2012");
    /* a bare number followed by its clause's title */
    expect_refs ("raised against 8.2.2 Business impact analysis", 2019, "8.2.2/2019");
    expect_refs ("see 9.1.2 Evaluation of business continuity procedures", 2019, "9.1.2/2012");
    expect_refs ("raised against 8.2.2 with no title", 2019, "");
    /* after "ISO 22301" alone, only a dotted number is a clause */
    expect_refs ("ISO 22301:2019, 10 sites", 2019, "");
    expect_refs ("ISO 22301 clause 10", 2019, "10/2019");
}
END_TEST

/* "§1 - §5" in a paper's axioms (corpus-external GeoTopo-komprimiert.pdf) were read as
 * clauses 1 to 5 of ISO 22301 */
START_TEST (test_find_section_sign_needs_dot)
{
    expect_refs ("Die Axiome \xC2\xA7" "1 - \xC2\xA7" "5 gelten", 2019, "");
    expect_refs ("nach \xC2\xA7 4 BDSG", 2019, "");
    expect_refs ("\xC2\xA7\xC2\xA7 8.4 and 9.2", 2019, "8.4/2019 9.2/2019");
    expect_refs ("clause 4 applies", 2019, "4/2019");
}
END_TEST

START_TEST (test_find_after_finding_grade)
{
    /* rows of an audit report's findings table (corpus/pdf/stage2-audit-report.pdf,
     * surveillance-audit-report.pdf): the clause a finding is raised against follows
     * its grade */
    expect_refs ("NC-2024-02 Minor 8.4.4 Calder Valley Hub plan lacks invocation criteria",
                 2019, "8.4.4/2019");
    expect_refs ("NC-2024-03 Minor 10.1 Actions from exercise DARK HARBOUR", 2019, "10.1/2019");
    expect_refs ("OFI-2024-02 OFI 9.1 Objectives dashboard could show trends", 2019, "9.1/2019");
    expect_refs ("OBS-2025-02 Observation 8.2.3 Battery storage fire risk", 2019, "8.2.3/2019");
    expect_refs ("Ref Grade Clause Summary NC-2024-01 Major 9.2 Internal audit programme",
                 2019, "9.2/2019");
    expect_refs ("a major nonconformity: 8.4.4 and 8.5", 2019, "8.4.4/2019 8.5/2019");
    expect_refs ("Area of concern 8.2.2 BIA not approved", 2012, "8.2.2/2012");
    /* not a clause: one level, an amount, a version, an unknown number */
    expect_refs ("Minor 2 actions remain open", 2019, "");
    expect_refs ("Observation 8.5 hours of downtime", 2019, "");
    expect_refs ("minor version 9.2 of the tool", 2019, "");
    expect_refs ("Major 11.4 findings", 2019, "");
}
END_TEST

/* ---- false positives (clauseref.h: "Rejected, because ...") -------------- */

START_TEST (test_reject_other_sections)
{
    expect_refs ("Under section 8.4 of the lease schedule the landlord", 2019, "");
    expect_refs ("clause 8.4 of the lease", 2019, "");
    expect_refs ("clause 9.2 of the contract with the carrier", 2019, "");
    expect_refs ("article 10.1 Nonconformity and corrective action", 2019, "");
    expect_refs ("step 8.5 Exercise programme", 2019, "");
    /* the standard itself is fine */
    expect_refs ("clause 8.4 of the standard", 2019, "8.4/2019");
}
END_TEST

START_TEST (test_reject_versions)
{
    expect_refs ("software version 9.2 Internal audit tool", 2019, "");
    expect_refs ("v9.2 Internal audit", 2019, "");
    expect_refs ("release 8.5 Exercise programme notes", 2019, "");
    expect_refs ("clause 9.2-beta", 2019, "");
    expect_refs ("ISO 22301:2019 9.2.1-rc1", 2019, "");
}
END_TEST

START_TEST (test_reject_tables_and_figures)
{
    expect_refs ("see table 10.1 Nonconformity and corrective action log", 2019, "");
    expect_refs ("Figure 8.4 Business continuity plans and procedures", 2019, "");
    expect_refs ("page 8.2 Business impact analysis and risk assessment", 2019, "");
}
END_TEST

START_TEST (test_reject_dates)
{
    expect_refs ("on 10.1.2024 Nonconformity and corrective action", 2019, "");
    expect_refs ("clause 9.2.2024", 2019, "");
    expect_refs ("clause 08.05", 2019, "");
    expect_refs ("clause 8.5.21", 2019, "");   /* no ISO 22313 sub-level is that deep */
}
END_TEST

START_TEST (test_reject_amounts)
{
    expect_refs ("clause 8.5 million in losses", 2019, "");
    expect_refs ("ISO 22301:2019 8.5% of revenue", 2019, "");
    expect_refs ("€ 8.5 Exercise programme budget", 2019, "");
    expect_refs ("clause 8.5 hours of downtime", 2019, "");
}
END_TEST

START_TEST (test_reject_addresses)
{
    expect_refs ("the server at clause 10.1.2.3", 2019, "");
    expect_refs ("IP address 10.1.2.3 Nonconformity", 2019, "");
    /* a four-level ISO 22313 reference away from network words stays */
    expect_refs ("clause 8.3.2.4", 2019, "8.3.2/2019");
}
END_TEST

START_TEST (test_reject_other_standards)
{
    expect_refs ("ISO/IEC 27001 clause 9.2 requires internal audits", 2019, "");
    expect_refs ("per ISO 9001 Â§ 8.5 production", 2019, "");
    expect_refs ("NIST SP 800 clause 8.4", 2019, "");
    /* ISO 22313 gives guidance on ISO 22301's clauses */
    expect_refs ("ISO 22313 clause 8.4.4.1", 2019, "8.4.4/2019");
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

static Suite *
clauseref_suite (void)
{
    Suite *s = suite_create ("clauseref");
    TCase *find = tcase_create ("find");
    TCase *head = tcase_create ("heading");
    TCase *reject = tcase_create ("false positives");

    tcase_add_checked_fixture (find, setup_catalog, teardown_catalog);
    tcase_add_test (find, test_find_forms);
    tcase_add_test (find, test_find_named_edition);
    tcase_add_test (find, test_find_iso22313_sublevel);
    tcase_add_test (find, test_find_nothing);
    tcase_add_test (find, test_find_no_such_clause);
    tcase_add_test (find, test_find_each_once_in_order);
    tcase_add_test (find, test_find_more_forms);
    tcase_add_test (find, test_find_after_finding_grade);
    tcase_add_test (find, test_find_section_sign_needs_dot);
    suite_add_tcase (s, find);

    tcase_add_checked_fixture (head, setup_catalog, teardown_catalog);
    tcase_add_test (head, test_heading);
    tcase_add_test (head, test_heading_other_edition);
    suite_add_tcase (s, head);

    tcase_add_checked_fixture (reject, setup_catalog, teardown_catalog);
    tcase_add_test (reject, test_reject_other_sections);
    tcase_add_test (reject, test_reject_versions);
    tcase_add_test (reject, test_reject_tables_and_figures);
    tcase_add_test (reject, test_reject_dates);
    tcase_add_test (reject, test_reject_amounts);
    tcase_add_test (reject, test_reject_addresses);
    tcase_add_test (reject, test_reject_other_standards);
    suite_add_tcase (s, reject);
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
