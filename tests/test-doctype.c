/* test-doctype.c - Check suite for ingest/doctype: the kind of each document of
 * corpus/pdf, as ingest records it, and the signs on small texts. */
#include "ingest/doctype.h"
#include "ingest/extract.h"
#include "tests/fixture.h"

#include <check.h>
#include <string.h>

#define CORPUS_PDF EVX_SOURCE_DIR "/corpus/pdf/"

START_TEST (test_corpus_kinds)
{
    static const char *const expected[][2] = {
        { "certificate-22301-2019.pdf", "certificate" },
        { "certificate-22301-2012.pdf", "certificate" },
        { "stage1-audit-report.pdf", "audit-report" },
        { "stage2-audit-report.pdf", "audit-report" },
        { "surveillance-audit-report.pdf", "audit-report" },
        { "bc-policy.pdf", "policy" },
        { "bc-plan-excerpt.pdf", "plan" },
        { "exercise-report.pdf", "other" },
        { "management-review-minutes.pdf", "other" },
    };
    g_autoptr (evx_catalog) cat = evx_test_catalog_load ();
    for (size_t i = 0; i < G_N_ELEMENTS (expected); i++) {
        g_autofree char *path = g_strconcat (CORPUS_PDF, expected[i][0], NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (evx_document) doc = evx_extract_file (path, cat, &error);
        ck_assert_msg (doc != NULL, "%s: %s", path, error ? error->message : "?");
        ck_assert_msg (strcmp (evx_doctype_name ((evx_doctype) doc->doc_type), expected[i][1]) == 0,
                       "%s: %s, not %s", expected[i][0],
                       evx_doctype_name ((evx_doctype) doc->doc_type), expected[i][1]);
    }
}
END_TEST

START_TEST (test_signs)
{
    g_autofree char *why = NULL;
    ck_assert_int_eq (evx_doctype_classify ("Certificate of Registration",
                                            "This is to certify that ... Certificate number: X-1",
                                            &why),
                      EVX_DOCTYPE_CERTIFICATE);
    ck_assert_str_eq (why, "certificate 19: 'certificate of registration' (title), 'this is to "
                           "certify', 'certificate number'");
    /* a plan that mentions nonconformities stays a plan; "policy" counts in the title only */
    ck_assert_int_eq (evx_doctype_classify ("DC2 incident response plans",
                                            "Raise a nonconformity if the policy is not followed.",
                                            NULL),
                      EVX_DOCTYPE_PLAN);
    ck_assert_int_eq (evx_doctype_classify (NULL, "Our policy on cookies.", NULL), EVX_DOCTYPE_OTHER);
    ck_assert_int_eq (evx_doctype_classify ("Backup procedure", "Step 1: stop the service.", NULL),
                      EVX_DOCTYPE_PROCEDURE);
    g_autofree char *none = NULL;
    ck_assert_int_eq (evx_doctype_classify (NULL, "", &none), EVX_DOCTYPE_OTHER);
    ck_assert_str_eq (none, "other: no kind reaches the threshold");
    ck_assert_int_eq (evx_doctype_from_name ("audit-report"), EVX_DOCTYPE_AUDIT_REPORT);
    ck_assert_int_eq (evx_doctype_from_name ("memo"), -1);
}
END_TEST

static Suite *
doctype_suite (void)
{
    Suite *s = suite_create ("doctype");
    TCase *tc = tcase_create ("doctype");
    tcase_add_test (tc, test_corpus_kinds);
    tcase_add_test (tc, test_signs);
    suite_add_tcase (s, tc);
    return s;
}

int
main (void)
{
    return evx_test_main (doctype_suite ());
}
