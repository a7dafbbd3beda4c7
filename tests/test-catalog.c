/* test-catalog.c - Check suite for ingest/catalog: the built-in ISO 22301 catalog
 * (both editions, their correspondence) and the refusal of bad catalog files. */
#include "ingest/catalog.h"
#include "ingest/error.h"

#include <check.h>

#include "tests/fixture.h"
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Rows in /work/shared/reference/iso22301-20NN.tsv (header excluded). */
#define N_CLAUSES_2019 67
#define N_CLAUSES_2012 55

static evx_catalog *cat;

static void
setup_builtin (void)
{
    cat = evx_test_catalog_load ();
}

static void
teardown_builtin (void)
{
    evx_catalog_free (cat);
    cat = NULL;
}

static gboolean
strv_has (const char *const *strv, const char *s)
{
    for (; *strv != NULL; strv++)
        if (g_strcmp0 (*strv, s) == 0)
            return TRUE;
    return FALSE;
}

static guint
strv_len (const char *const *strv)
{
    guint n = 0;

    while (strv[n] != NULL)
        n++;
    return n;
}

static const evx_clause *
must_lookup (const char *id, int edition)
{
    const evx_clause *c = evx_catalog_lookup (cat, id, edition);

    ck_assert_msg (c != NULL, "clause %s (%d) missing", id, edition);
    ck_assert_str_eq (c->id, id);
    ck_assert_int_eq (c->edition, edition);
    return c;
}

/* ---- the built-in catalog ----------------------------------------------- */

START_TEST (test_bia_2019)
{
    const evx_clause *c = must_lookup ("8.2.2", 2019);

    ck_assert_str_eq (c->title, "Business impact analysis");
    ck_assert_str_eq (c->parent, "8.2");
    ck_assert (strv_has (c->phrases, "maximum tolerable period of disruption"));
    ck_assert (strv_has (c->phrases, "recovery point objective"));
    ck_assert (strv_has (c->equivalents, "8.2.2"));
    ck_assert_str_eq (must_lookup ("8.2", 2019)->title, "Business impact analysis and risk assessment");
    ck_assert_ptr_null (must_lookup ("8", 2019)->parent);
}
END_TEST

START_TEST (test_same_number_differs)
{
    ck_assert_str_eq (must_lookup ("5.2", 2012)->title, "Management commitment");
    ck_assert_str_eq (must_lookup ("5.2", 2019)->title, "Policy");
    ck_assert_str_eq (must_lookup ("5.3", 2012)->title, "Policy");
    ck_assert_str_eq (must_lookup ("5.3", 2019)->title, "Roles, responsibilities and authorities");
    ck_assert_str_eq (must_lookup ("8.4.2", 2012)->title, "Incident response structure");
    ck_assert_str_eq (must_lookup ("8.4.2", 2019)->title, "Response structure");
}
END_TEST

START_TEST (test_9_1_2_only_2012)
{
    const evx_clause *old = must_lookup ("9.1.2", 2012);
    const evx_clause *now = must_lookup ("8.6", 2019);

    ck_assert_str_eq (old->title, "Evaluation of business continuity procedures");
    ck_assert_str_eq (old->parent, "9.1");
    ck_assert_uint_eq (strv_len (old->equivalents), 1);
    ck_assert_str_eq (old->equivalents[0], "8.6");
    ck_assert_str_eq (now->title, "Evaluation of business continuity documentation and capabilities");
    ck_assert (strv_has (now->equivalents, "9.1.2"));
    ck_assert_ptr_null (evx_catalog_lookup (cat, "9.1.2", 2019));
}
END_TEST

START_TEST (test_exercising_8_5)
{
    const evx_clause *old = must_lookup ("8.5", 2012);
    const evx_clause *now = must_lookup ("8.5", 2019);

    ck_assert_str_eq (old->title, "Exercising and testing");
    ck_assert_str_eq (now->title, "Exercise programme");
    ck_assert_uint_eq (strv_len (old->equivalents), 1);
    ck_assert_str_eq (old->equivalents[0], "8.5");
    ck_assert_uint_eq (strv_len (now->equivalents), 1);
    ck_assert_str_eq (now->equivalents[0], "8.5");
}
END_TEST

START_TEST (test_equivalents_both_ways)
{
    const evx_clause *c;

    /* One 2012 clause to several 2019 clauses, and back. */
    c = must_lookup ("5.3", 2012);
    ck_assert_uint_eq (strv_len (c->equivalents), 3);
    ck_assert_str_eq (c->equivalents[0], "5.2");
    ck_assert_str_eq (c->equivalents[1], "5.2.1");
    ck_assert_str_eq (c->equivalents[2], "5.2.2");
    ck_assert (strv_has (must_lookup ("5.2.2", 2019)->equivalents, "5.3"));
    /* 2012 7.4 split between 7.4 and 8.4.3 in 2019. */
    c = must_lookup ("7.4", 2012);
    ck_assert (strv_has (c->equivalents, "7.4"));
    ck_assert (strv_has (c->equivalents, "8.4.3"));
    c = must_lookup ("8.4.3", 2019);
    ck_assert (strv_has (c->equivalents, "7.4"));
    ck_assert (strv_has (c->equivalents, "8.4.3"));
    /* New in 2019: no 2012 counterpart; top-level clauses map one to one. */
    ck_assert_ptr_null (must_lookup ("6.3", 2019)->equivalents[0]);
    ck_assert_ptr_null (must_lookup ("8.3.5", 2019)->equivalents[0]);
    ck_assert_uint_eq (strv_len (must_lookup ("8", 2012)->equivalents), 1);
    ck_assert_str_eq (must_lookup ("8", 2012)->equivalents[0], "8");
    /* rows that carry only part of a subject come last: 2019 5.3 Roles is 2012 5.4,
     * and in part 2012 5.2 Management commitment */
    c = must_lookup ("5.3", 2019);
    ck_assert_uint_eq (strv_len (c->equivalents), 2);
    ck_assert_str_eq (c->equivalents[0], "5.4");
    ck_assert_str_eq (c->equivalents[1], "5.2");
}
END_TEST

START_TEST (test_resolve)
{
    const evx_clause *c;

    c = evx_catalog_resolve (cat, "8.3.2.4", 2019);
    ck_assert_ptr_nonnull (c);
    ck_assert_str_eq (c->id, "8.3.2");
    ck_assert_str_eq (c->title, "Identification of strategies and solutions");
    ck_assert_ptr_eq (c, evx_catalog_lookup (cat, "8.3.2", 2019));
    ck_assert_ptr_null (evx_catalog_resolve (cat, "11.2", 2019));
    ck_assert_ptr_null (evx_catalog_resolve (cat, "", 2019));
    ck_assert_str_eq (evx_catalog_resolve (cat, "7.1.3", 2019)->id, "7.1");
    ck_assert_str_eq (evx_catalog_resolve (cat, "9.1.2", 2019)->id, "9.1");
    ck_assert_str_eq (evx_catalog_resolve (cat, "9.1.2", 2012)->id, "9.1.2");
    ck_assert_str_eq (evx_catalog_resolve (cat, "10", 2012)->id, "10");
    ck_assert_ptr_null (evx_catalog_resolve (cat, "8.2", 2015));
}
END_TEST

static void
check_edition (int edition, guint expected)
{
    const GPtrArray *all = evx_catalog_clauses (cat, edition);
    const evx_clause *first, *last;

    ck_assert_ptr_nonnull (all);
    ck_assert_uint_eq (all->len, expected);
    first = g_ptr_array_index (all, 0);
    last = g_ptr_array_index (all, all->len - 1);
    ck_assert_str_eq (first->id, "1");
    ck_assert_str_eq (((const evx_clause *) g_ptr_array_index (all, 4))->id, "4.1");
    ck_assert_str_eq (last->id, "10.2");
    for (guint i = 0; i < all->len; i++) {
        const evx_clause *c = g_ptr_array_index (all, i);

        ck_assert_int_eq (c->edition, edition);
        ck_assert_ptr_eq (evx_catalog_lookup (cat, c->id, edition), c);
        ck_assert (c->title != NULL && c->title[0] != '\0');
        ck_assert_msg (c->phrases != NULL && c->phrases[0] != NULL, "%s has no phrases", c->id);
        ck_assert_ptr_nonnull (c->equivalents);
        if (c->parent != NULL)
            ck_assert_ptr_nonnull (evx_catalog_lookup (cat, c->parent, edition));
        for (guint j = 0; c->equivalents[j] != NULL; j++)
            ck_assert_ptr_nonnull (evx_catalog_lookup (cat, c->equivalents[j],
                                                       edition == 2019 ? 2012 : 2019));
    }
}

START_TEST (test_clause_counts)
{
    check_edition (2019, N_CLAUSES_2019);
    check_edition (2012, N_CLAUSES_2012);
    ck_assert_uint_eq (evx_catalog_clauses (cat, 2015)->len, 0);
    ck_assert_ptr_null (evx_catalog_lookup (cat, "8.2.2", 2015));
}
END_TEST

static void
assert_strv_eq (const char *const *a, const char *const *b, const char *what, const char *id)
{
    guint i = 0;
    for (; a[i] && b[i]; i++)
        ck_assert_msg (strcmp (a[i], b[i]) == 0, "%s of %s: '%s' against '%s'", what, id, a[i], b[i]);
    ck_assert_msg (a[i] == NULL && b[i] == NULL, "%s of %s: lengths differ", what, id);
}

/* The source file loads, and so is valid against the schema (a file is validated; the
 * built-in catalog, which is that file compiled in, is not, at run time), and it is the
 * built-in catalog clause by clause. */
START_TEST (test_load_by_path)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_catalog) file = evx_catalog_load (EVX_SOURCE_DIR "/corpus/catalog/iso22301.xml", &error);

    ck_assert_msg (file != NULL, "%s", error != NULL ? error->message : "?");
    ck_assert_uint_eq (evx_catalog_clauses (file, 2019)->len, N_CLAUSES_2019);
    ck_assert_uint_eq (evx_catalog_clauses (file, 2012)->len, N_CLAUSES_2012);
    ck_assert_str_eq (evx_catalog_lookup (file, "8.2.2", 2019)->title, "Business impact analysis");
    g_autoptr (evx_catalog) compiled_in = evx_test_catalog_load ();
    for (int edition = 2012; edition <= 2019; edition += 7) {
        const GPtrArray *from_file = evx_catalog_clauses (file, edition);
        const GPtrArray *built_in = evx_catalog_clauses (compiled_in, edition);
        ck_assert_uint_eq (from_file->len, built_in->len);
        for (guint i = 0; i < from_file->len; i++) {
            const evx_clause *f = g_ptr_array_index (from_file, i);
            const evx_clause *b = g_ptr_array_index (built_in, i);
            ck_assert_str_eq (f->id, b->id);
            ck_assert_str_eq (f->title, b->title);
            ck_assert_str_eq (f->parent ? f->parent : "-", b->parent ? b->parent : "-");
            assert_strv_eq (f->phrases, b->phrases, "phrases", f->id);
            assert_strv_eq (f->equivalents, b->equivalents, "equivalents", f->id);
        }
    }
}
END_TEST

/* ---- refusing bad files ------------------------------------------------- */

#define HEAD "<?xml version=\"1.0\"?>\n<catalog xmlns=\"https://evidex.invalid/ns/catalog/1\">\n"

/* Writes @content to a new temporary file; returns its path (to g_free). */
static char *
write_tmp (const char *content)
{
    g_autoptr (GError) error = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp ("evx-catalog-XXXXXX.xml", &path, &error);

    ck_assert_msg (fd >= 0, "g_file_open_tmp: %s", error != NULL ? error->message : "?");
    close (fd);
    ck_assert (g_file_set_contents (path, content, -1, NULL));
    return path;
}

/* Loads @content from a temporary file; stderr must stay silent. */
static evx_catalog *
load_text (const char *content, char **path_out, GError **error)
{
    g_autofree char *path = write_tmp (content);
    g_autofree char *err_path = write_tmp ("");
    g_autofree char *err_text = NULL;
    evx_catalog *result;
    int saved = dup (STDERR_FILENO);
    FILE *err = fopen (err_path, "w");

    ck_assert (saved >= 0 && err != NULL);
    fflush (stderr);
    dup2 (fileno (err), STDERR_FILENO);
    result = evx_catalog_load (path, error);
    fflush (stderr);
    dup2 (saved, STDERR_FILENO);
    close (saved);
    fclose (err);
    ck_assert (g_file_get_contents (err_path, &err_text, NULL, NULL));
    ck_assert_msg (err_text[0] == '\0', "libxml2 printed: %s", err_text);
    g_unlink (err_path);
    g_unlink (path);
    *path_out = g_steal_pointer (&path);
    return result;
}

/* Loads @content and expects EVX_ERROR_CATALOG "PATH:LINE: ...@reason...". */
static void
expect_refused (const char *content, int line, const char *reason)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *path = NULL;
    g_autofree char *prefix = NULL;
    g_autoptr (evx_catalog) bad = load_text (content, &path, &error);

    ck_assert_ptr_null (bad);
    ck_assert_ptr_nonnull (error);
    ck_assert_msg (g_error_matches (error, EVX_ERROR, EVX_ERROR_CATALOG), "wrong error: %s", error->message);
    prefix = g_strdup_printf ("%s:%d: ", path, line);
    ck_assert_msg (g_str_has_prefix (error->message, prefix), "\"%s\" does not start with \"%s\"",
                   error->message, prefix);
    if (reason != NULL)
        ck_assert_msg (strstr (error->message, reason) != NULL, "\"%s\" does not mention \"%s\"",
                       error->message, reason);
}

START_TEST (test_small_valid_file)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *path = NULL;
    g_autoptr (evx_catalog) small = load_text (
        HEAD
        "  <edition year=\"2019\" title=\"t\">\n"
        "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
        "    <clause id=\"8.5\" parent=\"8\">\n"
        "      <title>Exercise\n        programme</title>\n"
        "      <phrase>  tabletop   exercise </phrase>\n"
        "    </clause>\n"
        "  </edition>\n"
        "  <edition year=\"2012\" title=\"t\">\n"
        "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
        "    <clause id=\"8.5\" parent=\"8\"><title>Exercising and testing</title><phrase>test</phrase></clause>\n"
        "  </edition>\n"
        "  <correspondence><map from=\"2012:8.5\" to=\"2019:8.5\" basis=\"stated\"/></correspondence>\n"
        "</catalog>\n",
        &path, &error);
    const evx_clause *c;

    ck_assert_msg (small != NULL, "%s", error != NULL ? error->message : "?");
    c = evx_catalog_lookup (small, "8.5", 2019);
    ck_assert_ptr_nonnull (c);
    ck_assert_str_eq (c->title, "Exercise programme");
    ck_assert_str_eq (c->phrases[0], "tabletop exercise");
    ck_assert_ptr_null (c->phrases[1]);
    ck_assert_str_eq (c->equivalents[0], "8.5");
    ck_assert_str_eq (evx_catalog_lookup (small, "8.5", 2012)->equivalents[0], "8.5");
    ck_assert_uint_eq (evx_catalog_clauses (small, 2012)->len, 2);
}
END_TEST

START_TEST (test_malformed)
{
    expect_refused (HEAD
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"1\"><title>Scope</title><phrase>scope</phrase></claus>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    4, "mismatch");
    expect_refused ("", 1, NULL);
}
END_TEST

START_TEST (test_schema_invalid)
{
    /* An edition year that does not exist. */
    expect_refused (HEAD
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"1\"><title>Scope</title><phrase>scope</phrase></clause>\n"
                    "  </edition>\n"
                    "  <edition year=\"2015\" title=\"t\">\n"
                    "    <clause id=\"1\"><title>Scope</title><phrase>scope</phrase></clause>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    6, "edition");
    /* A clause number that is not one. */
    expect_refused (HEAD
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "\n"
                    "    <clause id=\"8.a\"><title>Scope</title><phrase>scope</phrase></clause>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    5, "clause");
    /* Wrong namespace. */
    expect_refused ("<?xml version=\"1.0\"?>\n<catalog>\n"
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"1\"><title>Scope</title><phrase>scope</phrase></clause>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    2, NULL);
}
END_TEST

START_TEST (test_duplicate_id)
{
    expect_refused (HEAD
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
                    "    <clause id=\"8.2\" parent=\"8\"><title>BIA and RA</title><phrase>bia</phrase></clause>\n"
                    "    <clause id=\"8.2\" parent=\"8\"><title>Again</title><phrase>bia</phrase></clause>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    6, "duplicate clause 8.2");
}
END_TEST

START_TEST (test_semantic_errors)
{
    /* A parent that does not exist. */
    expect_refused (HEAD
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
                    "    <clause id=\"8.2.2\" parent=\"8.2\"><title>BIA</title><phrase>bia</phrase></clause>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    5, "parent 8.2");
    /* A parent that is not the clause's own prefix. */
    expect_refused (HEAD
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
                    "    <clause id=\"9\"><title>Evaluation</title><phrase>evaluation</phrase></clause>\n"
                    "    <clause id=\"8.2\" parent=\"9\"><title>BIA</title><phrase>bia</phrase></clause>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    6, "expected 8");
    /* The same edition twice. */
    expect_refused (HEAD
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
                    "  </edition>\n"
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"9\"><title>Evaluation</title><phrase>evaluation</phrase></clause>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    6, "edition 2019");
    /* A correspondence naming a clause that does not exist. */
    expect_refused (HEAD
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
                    "  </edition>\n"
                    "  <edition year=\"2012\" title=\"t\">\n"
                    "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
                    "  </edition>\n"
                    "  <correspondence>\n"
                    "    <map from=\"2012:8\" to=\"2019:8\" basis=\"derived\"/>\n"
                    "    <map from=\"2012:9.1.2\" to=\"2019:8\" basis=\"derived\"/>\n"
                    "  </correspondence>\n"
                    "</catalog>\n",
                    11, "2012:9.1.2");
    /* A correspondence row given twice. */
    expect_refused (HEAD
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
                    "  </edition>\n"
                    "  <edition year=\"2012\" title=\"t\">\n"
                    "    <clause id=\"8\"><title>Operation</title><phrase>operation</phrase></clause>\n"
                    "  </edition>\n"
                    "  <correspondence>\n"
                    "    <map from=\"2012:8\" to=\"2019:8\" basis=\"derived\"/>\n"
                    "    <map from=\"2012:8\" to=\"2019:8\" basis=\"stated\"/>\n"
                    "  </correspondence>\n"
                    "</catalog>\n",
                    11, "twice");
}
END_TEST

START_TEST (test_doctype_refused)
{
    /* Entities are neither expanded nor loaded: a DOCTYPE is refused outright. */
    expect_refused ("<?xml version=\"1.0\"?>\n"
                    "<!DOCTYPE catalog [ <!ENTITY t \"Scope\"> ]>\n"
                    "<catalog xmlns=\"https://evidex.invalid/ns/catalog/1\">\n"
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"1\"><title>&t;</title><phrase>scope</phrase></clause>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    2, "DOCTYPE");
    expect_refused ("<?xml version=\"1.0\"?>\n"
                    "\n"
                    "<!DOCTYPE catalog SYSTEM \"http://evidex.invalid/catalog.dtd\">\n"
                    "<catalog xmlns=\"https://evidex.invalid/ns/catalog/1\">\n"
                    "  <edition year=\"2019\" title=\"t\">\n"
                    "    <clause id=\"1\"><title>Scope</title><phrase>scope</phrase></clause>\n"
                    "  </edition>\n"
                    "</catalog>\n",
                    3, "DOCTYPE");
}
END_TEST

START_TEST (test_missing_file)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_catalog) none = evx_catalog_load ("/nonexistent/evx/catalog.xml", &error);

    ck_assert_ptr_null (none);
    ck_assert_ptr_nonnull (error);
    ck_assert (g_error_matches (error, EVX_ERROR, EVX_ERROR_IO));
    ck_assert (strstr (error->message, "/nonexistent/evx/catalog.xml") != NULL);
    /* A NULL error location is allowed. */
    ck_assert_ptr_null (evx_catalog_load ("/nonexistent/evx/catalog.xml", NULL));
    evx_catalog_free (NULL);
}
END_TEST

static Suite *
catalog_suite (void)
{
    Suite *s = suite_create ("catalog");
    TCase *builtin = tcase_create ("builtin");
    TCase *files = tcase_create ("files");

    tcase_add_checked_fixture (builtin, setup_builtin, teardown_builtin);
    tcase_add_test (builtin, test_bia_2019);
    tcase_add_test (builtin, test_same_number_differs);
    tcase_add_test (builtin, test_9_1_2_only_2012);
    tcase_add_test (builtin, test_exercising_8_5);
    tcase_add_test (builtin, test_equivalents_both_ways);
    tcase_add_test (builtin, test_resolve);
    tcase_add_test (builtin, test_clause_counts);
    suite_add_tcase (s, builtin);

    tcase_add_test (files, test_load_by_path);
    tcase_add_test (files, test_small_valid_file);
    tcase_add_test (files, test_malformed);
    tcase_add_test (files, test_schema_invalid);
    tcase_add_test (files, test_duplicate_id);
    tcase_add_test (files, test_semantic_errors);
    tcase_add_test (files, test_doctype_refused);
    tcase_add_test (files, test_missing_file);
    suite_add_tcase (s, files);
    return s;
}

int
main (void)
{
    SRunner *sr = srunner_create (catalog_suite ());
    int failed;

    srunner_run_all (sr, CK_ENV);
    failed = srunner_ntests_failed (sr);
    srunner_free (sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
