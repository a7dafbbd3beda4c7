/* test-refresh.c - Check suite for ingest/refresh as a nightly job runs them, through
 * the evidex program: exact counts for every kind of change (add, modify, delete,
 * rename, move, restore with an older mtime, touch, fail then fixed), a refresh killed
 * with SIGKILL and run again (same index as a clean ingest), SIGTERM, the one-writer
 * lock (two concurrent refreshes: exit 75; --wait), and searches running during a
 * refresh. */
#include "index/index.h"
#include "tests/fixture.h"

#include <check.h>
#include <stdio.h>
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CORPUS_PDF EVX_SOURCE_DIR "/corpus/pdf"
#define MANY 2000   /* files of the kill and concurrency tests: enough to outlast a few commits */
/* the start of the index fingerprint once those files are in: two passages each */
static const char many_fingerprint[] = "files 2000 passages 4000\n";

static char *tmp_dir;
static char *db;
static char *root;

static void
setup (void)
{
    tmp_dir = evx_test_tmpdir_new ("refresh");
    db = g_build_filename (tmp_dir, "db", NULL);
    root = g_build_filename (tmp_dir, "evidence", NULL);
    ck_assert_int_eq (g_mkdir (root, 0700), 0);
}

static void
teardown (void)
{
    evx_test_check_indexes (tmp_dir);
    evx_test_remove_tree (tmp_dir);
    g_clear_pointer (&tmp_dir, g_free);
    g_clear_pointer (&db, g_free);
    g_clear_pointer (&root, g_free);
}

static char *
in_root (const char *name)
{
    return g_build_filename (root, name, NULL);
}

/* Writes @name under the root with @text and the given mtime (seconds). */
static void
put_text (const char *name, const char *text, gint64 mtime)
{
    g_autofree char *path = in_root (name);
    ck_assert (g_file_set_contents (path, text, -1, NULL));
    struct timespec times[2] = { { mtime, 0 }, { mtime, 0 } };
    ck_assert_int_eq (utimensat (AT_FDCWD, path, times, 0), 0);
}

static void
put_pdf (const char *corpus_name, const char *name)
{
    g_autofree char *from = g_build_filename (CORPUS_PDF, corpus_name, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    ck_assert (g_file_get_contents (from, &data, &len, NULL));
    g_autofree char *path = in_root (name);
    ck_assert (g_file_set_contents (path, data, (gssize) len, NULL));
}

/* Runs refresh (or ingest of the root when @ingest) and checks the exit status and the
 * counts of the summary line ("A added, U updated, ..."). */
static void
expect_run (gboolean ingest, int status, const char *counts)
{
    evx_test_run_result r = ingest ? evx_test_run (db, "ingest", root, NULL)
                                   : evx_test_run (db, "refresh", NULL);
    ck_assert_msg (r.status == status, "exit %d, not %d\n%s", r.status, status, r.err);
    ck_assert_msg (strstr (r.err, counts), "expected \"%s\" in:\n%s", counts, r.err);
    evx_test_run_result_clear (&r);
}

/* The number of passages that match @query (exact up to EVX_EXACT_TOTAL). */
static int
total_hits (const char *query)
{
    evx_test_run_result r = evx_test_run (db, "search", "--format", "json", "--limit", "1",
                                          query, NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser = json_parser_new ();
    ck_assert (json_parser_load_from_data (parser, r.out, -1, NULL));
    gint64 n = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                           "total");
    evx_test_run_result_clear (&r);
    return (int) n;
}

/* Paths of the hits for @query whose path ends in @suffix. */
static int
hits (const char *query, const char *suffix)
{
    evx_test_run_result r = evx_test_run (db, "search", "--format", "json", "--limit", "1000",
                                          query, NULL);
    ck_assert_int_eq (r.status, 0);
    g_autoptr (JsonParser) parser = json_parser_new ();
    ck_assert (json_parser_load_from_data (parser, r.out, -1, NULL));
    JsonArray *a = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                 "hits");
    int n = 0;
    for (guint i = 0; i < json_array_get_length (a); i++) {
        const char *path = json_object_get_string_member (json_array_get_object_element (a, i), "path");
        n += g_str_has_suffix (path, suffix);
    }
    evx_test_run_result_clear (&r);
    return n;
}

START_TEST (test_every_kind_of_change)
{
    put_pdf ("bc-policy.pdf", "policy.pdf");
    put_pdf ("exercise-report.pdf", "exercise.pdf");
    put_pdf ("certificate-22301-2019.pdf", "cert.pdf");
    put_text ("notes.txt", "Generator fuel contract renewed with Brantham Fuels.\n", 1700000000);
    expect_run (TRUE, 0, "4 files seen, 4 added, 0 updated, 0 moved, 0 removed, 0 unchanged, "
                         "0 skipped, 0 failed");
    evx_test_run_result r = evx_test_run (db, "roots", "--format", "json", NULL);
    ck_assert_msg (strstr (r.out, root) && strstr (r.out, "\"files\":4"), "%s", r.out);
    evx_test_run_result_clear (&r);

    /* nothing changed */
    expect_run (FALSE, 0, "4 files seen, 0 added, 0 updated, 0 moved, 0 removed, 4 unchanged");
    /* modified */
    put_text ("notes.txt", "Generator fuel contract moved to Stour Energy.\n", 1700000100);
    expect_run (FALSE, 0, "4 files seen, 0 added, 1 updated, 0 moved, 0 removed, 3 unchanged");
    ck_assert_int_eq (hits ("Stour", "/notes.txt"), 1);
    ck_assert_int_eq (hits ("Brantham", "/notes.txt"), 0);
    /* touched, same content: the record only */
    put_text ("notes.txt", "Generator fuel contract moved to Stour Energy.\n", 1700000200);
    expect_run (FALSE, 0, "4 files seen, 0 added, 0 updated, 0 moved, 0 removed, 4 unchanged");
    expect_run (FALSE, 0, "4 files seen, 0 added, 0 updated, 0 moved, 0 removed, 4 unchanged");
    /* restored with an older mtime (size unchanged too): the ctime tells */
    put_text ("notes.txt", "Generator fuel contract moved to Stour Energie.\n", 1600000000);
    expect_run (FALSE, 0, "4 files seen, 0 added, 1 updated, 0 moved, 0 removed, 3 unchanged");
    ck_assert_int_eq (hits ("Energie", "/notes.txt"), 1);
    /* deleted */
    g_autofree char *cert = in_root ("cert.pdf");
    ck_assert_int_eq (g_unlink (cert), 0);
    expect_run (FALSE, 0, "3 files seen, 0 added, 0 updated, 0 moved, 1 removed, 3 unchanged");
    ck_assert_int_eq (hits ("\"MAC-BCMS-0487\"", ".pdf"), 0);
    /* renamed: moved, not extracted; the passages follow with their pages */
    int policy_hits = hits ("\"review this policy annually\"", "/policy.pdf");
    ck_assert_int_gt (policy_hits, 0);
    g_autofree char *policy = in_root ("policy.pdf");
    g_autofree char *renamed = in_root ("bc-policy-2024.pdf");
    ck_assert_int_eq (g_rename (policy, renamed), 0);
    expect_run (FALSE, 0, "3 files seen, 0 added, 0 updated, 1 moved, 0 removed, 2 unchanged, "
                          "0 skipped, 0 failed; 0 passages written");
    ck_assert_int_eq (hits ("\"review this policy annually\"", "/policy.pdf"), 0);
    ck_assert_int_eq (hits ("\"review this policy annually\"", "/bc-policy-2024.pdf"), policy_hits);
    /* moved to another folder under the root */
    g_autofree char *sub = in_root ("archive");
    ck_assert_int_eq (g_mkdir (sub, 0700), 0);
    g_autofree char *exercise = in_root ("exercise.pdf");
    g_autofree char *archived = in_root ("archive/exercise-2023.pdf");
    ck_assert_int_eq (g_rename (exercise, archived), 0);
    expect_run (FALSE, 0, "3 files seen, 0 added, 0 updated, 1 moved, 0 removed, 2 unchanged");
    ck_assert_int_gt (hits ("\"DARK HARBOUR\"", "/archive/exercise-2023.pdf"), 0);
    ck_assert_int_eq (hits ("\"DARK HARBOUR\"", "/evidence/exercise.pdf"), 0);

    /* a file that fails is remembered: not tried again until it changes */
    put_text ("scan.pdf", "%PDF-1.7\nnot really", 1700000000);
    expect_run (FALSE, 3, "4 files seen, 0 added, 0 updated, 0 moved, 0 removed, 3 unchanged, "
                          "0 skipped, 1 failed");
    expect_run (FALSE, 0, "4 files seen, 0 added, 0 updated, 0 moved, 0 removed, 4 unchanged, "
                          "0 skipped, 0 failed");
    /* ... and every later report still names it with its reason (only the first one
     * did: a nightly-job helper) */
    g_autofree char *report = g_build_filename (root, "..", "report.json", NULL);
    r = evx_test_run (db, "refresh", "--report", report, NULL);
    ck_assert_int_eq (r.status, 0);
    evx_test_run_result_clear (&r);
    g_autofree char *json = NULL;
    ck_assert (g_file_get_contents (report, &json, NULL, NULL));
    ck_assert_msg (strstr (json, "/scan.pdf\",\n      \"outcome\" : \"unchanged\"")
                   && strstr (json, "\"reason\" : \"damaged: ")
                   && strstr (json, "\"note\" : \"failed in an earlier run: not tried again until "
                                    "it changes (or --retry-failed)\""),
                   "%s", json);
    r = evx_test_run (db, "refresh", "--retry-failed", NULL);
    ck_assert_int_eq (r.status, 3);
    ck_assert_msg (strstr (r.err, "FAILED ") && strstr (r.err, "/scan.pdf: damaged"), "%s", r.err);
    evx_test_run_result_clear (&r);
    /* ... and fixed */
    put_pdf ("certificate-22301-2012.pdf", "scan.pdf");
    expect_run (FALSE, 0, "4 files seen, 1 added, 0 updated, 0 moved, 0 removed, 3 unchanged, "
                          "0 skipped, 0 failed");
    ck_assert_int_gt (hits ("\"ACS 10472-BC\"", "/scan.pdf"), 0);
}
END_TEST

/* path: finds a file whatever its name: one the file system holds decomposed
 * ("Cafe" + U+0301, as copies from macOS are), searched as typed (composed, which the
 * query's NFKC makes of it anyway), and one whose path is too long for a Xapian term
 * (both matched nothing), also after they moved */
START_TEST (test_path_field_any_name)
{
    put_pdf ("bc-policy.pdf", "Cafe\xCC\x81 plan.pdf");
    g_autofree char *deep = in_root ("Business-Continuity-Evidence-2024-Quarter-3-Plans-And-"
                                     "Policies-For-Every-Site-Of-The-Group-Including-The-"
                                     "Rotterdam-Office-And-The-Distribution-Centres-In-England");
    ck_assert_int_eq (g_mkdir (deep, 0700), 0);
    put_pdf ("exercise-report.pdf", "Business-Continuity-Evidence-2024-Quarter-3-Plans-And-"
                                    "Policies-For-Every-Site-Of-The-Group-Including-The-"
                                    "Rotterdam-Office-And-The-Distribution-Centres-In-England/"
                                    "Exercise-DARK-HARBOUR-post-exercise-report-final-version.pdf");
    expect_run (TRUE, 0, "2 files seen, 2 added");
    int policy = hits ("board", " plan.pdf");
    ck_assert_int_gt (policy, 0);

    g_autofree char *composed = g_strdup_printf ("path:\"%s/Caf\xC3\xA9 plan.pdf\" board", root);
    g_autofree char *decomposed = g_strdup_printf ("path:\"%s/Cafe\xCC\x81 plan.pdf\" board", root);
    ck_assert_int_eq (total_hits (composed), policy);
    ck_assert_int_eq (total_hits (decomposed), policy);
    g_autofree char *report = g_strdup_printf ("path:%s/Exercise-DARK-HARBOUR-post-exercise-"
                                               "report-final-version.pdf", deep);
    ck_assert_int_gt (strlen (report), 250);
    int exercise = hits ("\"DARK HARBOUR\"", "-final-version.pdf");
    ck_assert_int_gt (exercise, 0);
    g_autofree char *report_query = g_strdup_printf ("%s \"DARK HARBOUR\"", report);
    ck_assert_int_eq (total_hits (report_query), exercise);

    /* moved: the new names are found, the old ones no longer */
    g_autofree char *from = in_root ("Cafe\xCC\x81 plan.pdf");
    g_autofree char *to = in_root ("Cafe\xCC\x81 plan 2024.pdf");
    ck_assert_int_eq (g_rename (from, to), 0);
    expect_run (FALSE, 0, "2 files seen, 0 added, 0 updated, 1 moved");
    g_autofree char *moved = g_strdup_printf ("path:\"%s/Caf\xC3\xA9 plan 2024.pdf\" board", root);
    ck_assert_int_eq (total_hits (moved), policy);
    ck_assert_int_eq (total_hits (composed), 0);
}
END_TEST

/* A folder below a root emptied on the file system that held its files (a drop folder
 * whose last files were deleted) lets them go: it failed every night until removed; a
 * folder moved away is a move, whatever it leaves empty behind */
START_TEST (test_empty_folder_below_root)
{
    g_autofree char *share = in_root ("share");
    g_autofree char *deep = in_root ("share/2024");
    ck_assert_int_eq (g_mkdir_with_parents (deep, 0700), 0);
    put_pdf ("bc-policy.pdf", "share/policy.pdf");
    put_pdf ("exercise-report.pdf", "share/2024/exercise.pdf");
    put_text ("notes.txt", "Generator fuel contract renewed.\n", 1700000000);
    expect_run (TRUE, 0, "3 files seen, 3 added");
    /* emptied, down to an empty folder: the files leave */
    evx_test_remove_tree (share);
    g_autofree char *leftover = in_root ("share/archive");
    ck_assert_int_eq (g_mkdir_with_parents (leftover, 0700), 0);
    expect_run (FALSE, 0, "1 files seen, 0 added, 0 updated, 0 moved, 2 removed");
    ck_assert_int_eq (hits ("\"DARK HARBOUR\"", "/share/2024/exercise.pdf"), 0);
    evx_test_remove_tree (share);
    /* a folder moved away leaves its parent empty: a move all the same */
    g_autofree char *from = in_root ("2023/Q1");
    ck_assert_int_eq (g_mkdir_with_parents (from, 0700), 0);
    put_pdf ("bc-policy.pdf", "2023/Q1/policy.pdf");
    expect_run (FALSE, 0, "2 files seen, 1 added");
    g_autofree char *archive = in_root ("archive");
    ck_assert_int_eq (g_mkdir (archive, 0700), 0);
    g_autofree char *to = in_root ("archive/Q1");
    ck_assert_int_eq (g_rename (from, to), 0);
    expect_run (FALSE, 0, "2 files seen, 0 added, 0 updated, 1 moved, 0 removed, 1 unchanged, "
                          "0 skipped, 0 failed");
}
END_TEST

/* A folder replaced by a symbolic link to its new place on another file system (a share
 * relocated) is named as a link, not as an empty folder (a nightly-job helper) */
START_TEST (test_folder_become_link)
{
    struct stat shm, here;
    if (stat ("/dev/shm", &shm) != 0 || stat (tmp_dir, &here) != 0 || shm.st_dev == here.st_dev) {
        fprintf (stderr, "SKIP test_folder_become_link: no /dev/shm on another file system\n");
        return;
    }
    g_autofree char *dir = in_root ("share");
    ck_assert_int_eq (g_mkdir (dir, 0700), 0);
    put_text ("share/notes.txt", "Generator fuel contract renewed.\n", 1700000000);
    put_text ("keep.txt", "Marmot.\n", 1700000000);
    expect_run (TRUE, 0, "2 files seen, 2 added");
    g_autofree char *away = g_strdup ("/dev/shm/evidex-test-XXXXXX");
    ck_assert_ptr_nonnull (g_mkdtemp (away));
    g_autofree char *moved = g_build_filename (away, "share", NULL);
    g_autofree char *cmd = g_strdup_printf ("mv '%s' '%s'", dir, moved);
    ck_assert_int_eq (system (cmd), 0);
    ck_assert_int_eq (symlink (moved, dir), 0);
    evx_test_run_result r = evx_test_run (db, "refresh", NULL);
    ck_assert_int_eq (r.status, 3);
    ck_assert_msg (strstr (r.err, "/share: folder is now a symbolic link, which the walk skips, and 1 "
                                  "recorded files were under it: they stay in the index "
                                  "(--follow-symlinks follows it)"), "%s", r.err);
    evx_test_run_result_clear (&r);
    evx_test_remove_tree (away);
}
END_TEST

/* Runs @script with sh in a new mount namespace (unshare(1): as the user, mapped to
 * root, or as root when user namespaces are off), with $EVIDEX, $DB, $ROOT, $PDF (a
 * corpus PDF) and $SHARE (@share) set; FALSE, saying why on stderr, when no namespace can
 * be had here. */
static gboolean
run_in_mount_namespace (const char *test, const char *script, const char *share,
                        evx_test_run_result *r)
{
    static const char *const ways[][4] = {
        { "unshare", "--user", "--map-root-user", "--mount" },
        { "unshare", "--mount", NULL, NULL },
    };
    char **env = g_get_environ ();
    env = g_environ_setenv (env, "EVIDEX", EVX_BINARY, TRUE);
    env = g_environ_setenv (env, "DB", db, TRUE);
    env = g_environ_setenv (env, "ROOT", root, TRUE);
    env = g_environ_setenv (env, "PDF", CORPUS_PDF "/bc-policy.pdf", TRUE);
    env = g_environ_setenv (env, "SHARE", share ? share : "", TRUE);
    gboolean ran = FALSE;
    for (guint w = 0; w < G_N_ELEMENTS (ways) && !ran; w++) {
        const char *probe[10] = { NULL }, *argv[10] = { NULL };
        guint n = 0;
        for (guint k = 0; k < 4 && ways[w][k]; k++, n++)
            probe[n] = argv[n] = ways[w][k];
        probe[n] = "mount";
        probe[n + 1] = "-t";
        probe[n + 2] = "tmpfs";
        probe[n + 3] = "tmpfs";
        probe[n + 4] = tmp_dir;
        int status = -1;
        if (!g_spawn_sync (NULL, (char **) probe, NULL,
                           G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                           NULL, NULL, NULL, NULL, &status, NULL)
            || !g_spawn_check_wait_status (status, NULL))
            continue;
        argv[n] = "/bin/sh";
        argv[n + 1] = "-c";
        argv[n + 2] = script;
        ck_assert (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &r->out, &r->err, &status, NULL));
        r->status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
        ran = TRUE;
    }
    g_strfreev (env);
    if (!ran)
        fprintf (stderr, "SKIP %s: no mount namespace here (unshare --mount failed), so no file "
                         "system can be unmounted\n", test);
    return ran;
}

/* A share mounted below a root and then unmounted leaves its mount point empty, on the
 * file system above: its files, the failed one too, stay in the index and the run fails,
 * until it is mounted again or the folder removed (a nightly-job helper unmounted a share:
 * its 9 files left the index, exit 0); the share's name is not UTF-8 (it was looked for
 * under its escaped name) */
START_TEST (test_unmounted_share_kept)
{
    g_autofree char *odd = in_root ("Fr\xe9" "d");
    ck_assert_int_eq (g_mkdir (odd, 0700), 0);
    put_text ("notes.txt", "Generator fuel contract renewed.\n", 1700000000);
    evx_test_run_result r = { 0 };
    if (!run_in_mount_namespace ("test_unmounted_share_kept",
                                 "set -e; mount -t tmpfs tmpfs \"$SHARE\"; "
                                 "cp \"$PDF\" \"$SHARE/policy.pdf\"; "
                                 "printf '%%PDF-1.7\\nnot really' >\"$SHARE/broken.pdf\"; "
                                 "\"$EVIDEX\" --db \"$DB\" ingest --quiet \"$ROOT\" >/dev/null 2>&1 || true; "
                                 "umount \"$SHARE\"; exec \"$EVIDEX\" --db \"$DB\" refresh",
                                 odd, &r))
        return;
    ck_assert_int_eq (r.status, 3);
    ck_assert_msg (strstr (r.err, "/Fr\\xE9d: folder holds no file now, but 2 recorded files were "
                                  "under it: they stay in the index")
                   && strstr (r.err, "1 files seen, 0 added, 0 updated, 0 moved, 0 removed"), "%s", r.err);
    evx_test_run_result_clear (&r);
    /* outside the namespace too, where the share is an empty folder */
    expect_run (FALSE, 3, "1 files seen, 0 added, 0 updated, 0 moved, 0 removed");
    ck_assert_int_gt (hits ("\"review this policy annually\"", "/policy.pdf"), 0);
    /* removed on purpose: the files leave */
    ck_assert_int_eq (g_rmdir (odd), 0);
    expect_run (FALSE, 0, "1 files seen, 0 added, 0 updated, 0 moved, 2 removed");
}
END_TEST

/* A bind mount below a root, unmounted: its files stay, though the folder it showed is
 * on the same file system (same st_dev) as the mount point (a helper found them
 * removed, exit 0, once emptied folders let their files go) */
START_TEST (test_unmounted_bind_kept)
{
    g_autofree char *share = in_root ("share");
    ck_assert_int_eq (g_mkdir (share, 0700), 0);
    put_text ("notes.txt", "Generator fuel contract renewed.\n", 1700000000);
    evx_test_run_result r = { 0 };
    if (!run_in_mount_namespace ("test_unmounted_bind_kept",
                                 "set -e; src=\"$ROOT/../bind-src\"; mkdir -p \"$src\"; "
                                 "cp \"$PDF\" \"$src/policy.pdf\"; mount --bind \"$src\" \"$SHARE\"; "
                                 "\"$EVIDEX\" --db \"$DB\" ingest --quiet \"$ROOT\"; "
                                 "umount \"$SHARE\"; exec \"$EVIDEX\" --db \"$DB\" refresh",
                                 share, &r))
        return;
    ck_assert_int_eq (r.status, 3);
    ck_assert_msg (strstr (r.err, "/share: folder holds no file now, but 1 recorded files were under "
                                  "it: they stay in the index")
                   && strstr (r.err, "0 removed"), "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_gt (hits ("\"review this policy annually\"", "/share/policy.pdf"), 0);
}
END_TEST

/* Mount layouts a helper found wrongly taken for emptied folders (files removed, exit
 * 0): a root inside a mount, the mount gone (the folders under it left behind, empty);
 * a bind mount inside a bind mount, unmounted; another, empty file system mounted where
 * a share was (tmpfs reuses device numbers). Each keeps its files and fails the run. */
START_TEST (test_mount_layouts_kept)
{
    static const struct {
        const char *script;
        const char *message;
    } layouts[] = {
        { "mkdir -p \"$ROOT/m/r/sub\"; mount -t tmpfs tmpfs \"$ROOT/m\"; mkdir -p \"$ROOT/m/r/sub\"; "
          "cp \"$PDF\" \"$ROOT/m/r/policy.pdf\"; cp \"$PDF\" \"$ROOT/m/r/sub/copy.pdf\"; "
          "\"$EVIDEX\" --db \"$DB-1\" ingest --quiet \"$ROOT/m/r\"; umount \"$ROOT/m\"; "
          "exec \"$EVIDEX\" --db \"$DB-1\" refresh",
          "/m/r: root holds no file now, but 2 are recorded under it" },
        { "mkdir -p \"$ROOT/a\" \"$ROOT/../src1/b\" \"$ROOT/../src2\"; "
          "mount --bind \"$ROOT/../src1\" \"$ROOT/a\"; mount --bind \"$ROOT/../src2\" \"$ROOT/a/b\"; "
          "cp \"$PDF\" \"$ROOT/a/b/policy.pdf\"; cp \"$PDF\" \"$ROOT/a/other.pdf\"; "
          "\"$EVIDEX\" --db \"$DB-2\" ingest --quiet \"$ROOT\"; umount \"$ROOT/a/b\"; "
          "exec \"$EVIDEX\" --db \"$DB-2\" refresh",
          "/a/b: folder holds no file now, but 1 recorded files were under it" },
        { "mkdir -p \"$ROOT/s\"; mount -t tmpfs tmpfs \"$ROOT/s\"; cp \"$PDF\" \"$ROOT/s/policy.pdf\"; "
          "echo Marmot >\"$ROOT/keep.txt\"; "
          "\"$EVIDEX\" --db \"$DB-3\" ingest --quiet \"$ROOT\"; umount \"$ROOT/s\"; "
          "mount -t tmpfs tmpfs \"$ROOT/s\"; exec \"$EVIDEX\" --db \"$DB-3\" refresh",
          "/s: folder holds no file now, but 1 recorded files were under it" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (layouts); i++) {
        evx_test_run_result r = { 0 };
        g_autofree char *script = g_strconcat ("set -e; ", layouts[i].script, NULL);
        if (!run_in_mount_namespace ("test_mount_layouts_kept", script, NULL, &r))
            return;
        ck_assert_msg (r.status == 3 && strstr (r.err, layouts[i].message) && strstr (r.err, " 0 removed"),
                       "layout %u: exit %d\n%s", i, r.status, r.err);
        evx_test_run_result_clear (&r);
        g_autofree char *leftover = g_strdup_printf ("rm -rf '%s'/* '%s/../src1' '%s/../src2'", root,
                                                     root, root);
        ck_assert_int_eq (system (leftover), 0);
    }
}
END_TEST

/* With --follow-symlinks, a deleted link to a file on another file system leaves the
 * index: its folder's device is recorded, not the target's (a helper found it held as
 * unmounted, every night) */
START_TEST (test_deleted_link_leaves)
{
    struct stat shm, here;
    if (stat ("/dev/shm", &shm) != 0 || stat (tmp_dir, &here) != 0 || shm.st_dev == here.st_dev) {
        fprintf (stderr, "SKIP test_deleted_link_leaves: no /dev/shm on another file system\n");
        return;
    }
    g_autofree char *away = g_strdup ("/dev/shm/evidex-test-XXXXXX");
    ck_assert_ptr_nonnull (g_mkdtemp (away));
    g_autofree char *target = g_build_filename (away, "notes.txt", NULL);
    ck_assert (g_file_set_contents (target, "Ocelot generator contract.\n", -1, NULL));
    g_autofree char *links = in_root ("links");
    ck_assert_int_eq (g_mkdir (links, 0700), 0);
    g_autofree char *link = in_root ("links/notes.txt");
    ck_assert_int_eq (symlink (target, link), 0);
    put_text ("keep.txt", "Marmot.\n", 1700000000);
    evx_test_run_result r = evx_test_run (db, "ingest", "--follow-symlinks", root, NULL);
    ck_assert_msg (r.status == 0 && strstr (r.err, "2 files seen, 2 added"), "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (g_unlink (link), 0);
    r = evx_test_run (db, "refresh", "--follow-symlinks", NULL);
    ck_assert_msg (r.status == 0 && strstr (r.err, "1 files seen, 0 added, 0 updated, 0 moved, 1 removed"),
                   "%s", r.err);
    evx_test_run_result_clear (&r);
    evx_test_remove_tree (away);
}
END_TEST

/* A root that is a mount point, unmounted, is left an empty folder: its files stay and
 * the run fails */
START_TEST (test_unmounted_root_kept)
{
    evx_test_run_result r = { 0 };
    if (!run_in_mount_namespace ("test_unmounted_root_kept",
                                 "set -e; mount -t tmpfs tmpfs \"$ROOT\"; cp \"$PDF\" \"$ROOT/policy.pdf\"; "
                                 "\"$EVIDEX\" --db \"$DB\" ingest --quiet \"$ROOT\"; "
                                 "umount \"$ROOT\"; exec \"$EVIDEX\" --db \"$DB\" refresh",
                                 NULL, &r))
        return;
    ck_assert_int_eq (r.status, 3);
    ck_assert_msg (strstr (r.err, "root holds no file now, but 1 are recorded under it: they stay in "
                                  "the index")
                   && strstr (r.err, "0 removed"), "%s", r.err);
    evx_test_run_result_clear (&r);
    expect_run (FALSE, 3, "root holds no file now, but 1 are recorded under it");
    ck_assert_int_gt (hits ("\"review this policy annually\"", "/policy.pdf"), 0);
}
END_TEST

/* A root retired for good is forgotten with `roots --forget`: it made every refresh
 * exit 3 and kept its files searchable, with no way out (a nightly-job helper) */
START_TEST (test_forget_root)
{
    g_autofree char *old = in_root ("old"), *new_root = in_root ("new");
    ck_assert_int_eq (g_mkdir (old, 0700), 0);
    ck_assert_int_eq (g_mkdir (new_root, 0700), 0);
    put_pdf ("bc-policy.pdf", "old/policy.pdf");
    put_text ("old/notes.txt", "Generator fuel contract renewed.\n", 1700000000);
    put_pdf ("exercise-report.pdf", "new/exercise.pdf");
    evx_test_run_result r = evx_test_run (db, "ingest", old, new_root, NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    evx_test_run_result_clear (&r);
    evx_test_remove_tree (old);
    expect_run (FALSE, 3, "root missing: its files stay in the index (gone for good? evidex roots "
                          "--forget PATH)");
    ck_assert_int_gt (hits ("\"review this policy annually\"", "/old/policy.pdf"), 0);
    /* not a root, or an empty name (an empty variable in a script forgot the current
     * folder's root): a usage error, nothing changed */
    r = evx_test_run (db, "roots", "--forget", "", NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "--forget needs a PATH, not an empty string"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "roots", "--forget", root, NULL);
    ck_assert_int_eq (r.status, 2);
    ck_assert_msg (strstr (r.err, "is not a recorded root ('evidex roots' lists them), and no file "
                                  "recorded outside the roots lies under it"), "%s", r.err);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "roots", "--forget", old, NULL);
    ck_assert_msg (r.status == 0 && strstr (r.out, "/old: 2 files left the index."), "%s%s", r.out,
                   r.err);
    evx_test_run_result_clear (&r);
    expect_run (FALSE, 0, "1 files seen, 0 added, 0 updated, 0 moved, 0 removed, 1 unchanged, "
                          "0 skipped, 0 failed");
    ck_assert_int_eq (hits ("\"review this policy annually\"", ".pdf"), 0);
    ck_assert_int_gt (hits ("\"DARK HARBOUR\"", "/new/exercise.pdf"), 0);
    r = evx_test_run (db, "roots", "--format", "json", NULL);
    ck_assert_msg (strstr (r.out, "/new\"") && !strstr (r.out, "/old\""), "%s", r.out);
    evx_test_run_result_clear (&r);
    /* a root whose name is now a link to another folder is forgotten by that name */
    g_autofree char *other = in_root ("other");
    ck_assert_int_eq (g_mkdir (other, 0700), 0);
    g_autofree char *moved = in_root ("new.retired");
    ck_assert_int_eq (g_rename (new_root, moved), 0);
    ck_assert_int_eq (symlink (other, new_root), 0);
    r = evx_test_run (db, "roots", "--forget", new_root, NULL);
    ck_assert_msg (r.status == 0 && strstr (r.out, "/new: 1 file left the index."), "%s%s", r.out,
                   r.err);
    evx_test_run_result_clear (&r);
    /* files that `ingest --no-record` put in, under no root, gone: forgotten by their
     * folder's name (nothing could remove them: a nightly-job helper) */
    g_autofree char *loose = g_build_filename (tmp_dir, "loose", NULL);
    ck_assert_int_eq (g_mkdir (loose, 0700), 0);
    g_autofree char *loose_file = g_build_filename (loose, "notes.txt", NULL);
    ck_assert (g_file_set_contents (loose_file, "Ocelot generator contract.\n", -1, NULL));
    r = evx_test_run (db, "ingest", "--no-record", "--quiet", loose, NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    evx_test_run_result_clear (&r);
    evx_test_remove_tree (loose);
    ck_assert_int_eq (hits ("ocelot", "/loose/notes.txt"), 1);
    r = evx_test_run (db, "roots", "--forget", loose, NULL);
    ck_assert_msg (r.status == 0 && strstr (r.out, "Forgot the files under ")
                   && strstr (r.out, "/loose: 1 file left the index."), "%s%s", r.out, r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (hits ("ocelot", "/loose/notes.txt"), 0);
}
END_TEST

/* ---- what a refresh-attack session found (each was a bug) ----------------------- */

START_TEST (test_roots_kept_and_merged)
{
    put_text ("a.txt", "heron in the good root\n", 1700000000);
    expect_run (TRUE, 0, "1 files seen, 1 added");
    /* a root whose name is not UTF-8 erased every recorded root */
    g_autofree char *odd = g_build_filename (tmp_dir, "odd\xff" "dir", NULL);
    ck_assert_int_eq (g_mkdir (odd, 0700), 0);
    g_autofree char *odd_file = g_build_filename (odd, "b.txt", NULL);
    ck_assert (g_file_set_contents (odd_file, "heron in the odd root\n", -1, NULL));
    evx_test_run_result r = evx_test_run (db, "ingest", odd, NULL);
    ck_assert_int_eq (r.status, 0);
    evx_test_run_result_clear (&r);
    /* the root reached through a symbolic link to a folder inside it is the same root */
    g_autofree char *sub = in_root ("sub");
    ck_assert_int_eq (g_mkdir (sub, 0700), 0);
    put_text ("sub/c.txt", "heron below\n", 1700000000);
    g_autofree char *link = g_build_filename (tmp_dir, "link", NULL);
    ck_assert_int_eq (symlink (root, link), 0);
    g_autofree char *via_link = g_build_filename (link, "sub", NULL);
    r = evx_test_run (db, "ingest", via_link, NULL);
    ck_assert_int_eq (r.status, 0);
    evx_test_run_result_clear (&r);
    r = evx_test_run (db, "roots", NULL);
    g_autofree char *expected = g_strdup_printf ("%s  (2 files)\n%s/odd\\xFFdir  (1 file)\n", root,
                                                 tmp_dir);
    ck_assert_str_eq (r.out, expected);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (hits ("heron", ".txt"), 3);
    expect_run (FALSE, 0, "3 files seen, 0 added, 0 updated, 0 moved, 0 removed, 3 unchanged");
    /* the same folder given twice is walked once */
    r = evx_test_run (db, "ingest", root, sub, NULL);
    ck_assert_msg (strstr (r.err, "2 files seen, 0 added"), "%s", r.err);
    evx_test_run_result_clear (&r);
    /* a mistyped --db: an error, not a new empty index */
    g_autofree char *typo = g_build_filename (tmp_dir, "typo", NULL);
    r = evx_test_run (typo, "refresh", NULL);
    ck_assert_int_eq (r.status, 1);
    ck_assert_msg (strstr (r.err, "no index at"), "%s", r.err);
    ck_assert (!g_file_test (typo, G_FILE_TEST_EXISTS));
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_vanishing_kinds)
{
    put_text ("s2.txt", "ocelot two\n", 1700000000);
    put_text ("s3.txt", "ocelot three\n", 1700000000);
    put_text ("keep.txt", "marmot stays\n", 1700000000);
    /* a name with a backslash and one with the byte it spells are two files */
    put_text ("a\\xFF.txt", "ibex literal\n", 1700000000);
    put_text ("a\xff.txt", "ibex raw\n", 1700000000);
    expect_run (TRUE, 0, "5 files seen, 5 added");
    ck_assert_int_eq (hits ("ibex", ".txt"), 2);
    /* replaced by a broken symbolic link and by a FIFO: they leave the index */
    g_autofree char *s2 = in_root ("s2.txt"), *s3 = in_root ("s3.txt");
    ck_assert_int_eq (g_unlink (s2), 0);
    ck_assert_int_eq (symlink ("../nowhere", s2), 0);
    ck_assert_int_eq (g_unlink (s3), 0);
    ck_assert_int_eq (mkfifo (s3, 0600), 0);
    expect_run (FALSE, 0, "5 files seen, 0 added, 0 updated, 0 moved, 2 removed, 3 unchanged, "
                          "2 skipped, 0 failed");
    ck_assert_int_eq (hits ("ocelot", ".txt"), 0);
    ck_assert_int_eq (g_unlink (s2), 0);
    ck_assert_int_eq (g_unlink (s3), 0);

    /* a missing root: reported once, its files kept, not counted as a file seen */
    g_autofree char *moved_away = g_build_filename (tmp_dir, "moved-away", NULL);
    ck_assert_int_eq (g_rename (root, moved_away), 0);
    evx_test_run_result m = evx_test_run (db, "refresh", NULL);
    ck_assert_int_eq (m.status, 3);
    ck_assert_msg (strstr (m.err, "root missing: its files stay in the index")
                       && !strstr (m.err, "root holds no file now")
                       && strstr (m.err, "0 files seen, 0 added, 0 updated, 0 moved, 0 removed, "
                                         "0 unchanged, 0 skipped, 1 failed"),
                   "%s", m.err);
    evx_test_run_result_clear (&m);
    ck_assert_int_eq (g_rename (moved_away, root), 0);

    /* a root emptied on its own file system lets its files go (an unmounted one keeps
     * them: test_unmounted_root_kept) */
    g_autofree char *away = g_build_filename (tmp_dir, "away", NULL);
    ck_assert_int_eq (g_rename (root, away), 0);
    ck_assert_int_eq (g_mkdir (root, 0700), 0);
    expect_run (FALSE, 0, "0 files seen, 0 added, 0 updated, 0 moved, 3 removed");
    ck_assert_int_eq (hits ("marmot", "/keep.txt"), 0);
    ck_assert_int_eq (g_rmdir (root), 0);
    ck_assert_int_eq (g_rename (away, root), 0);
    expect_run (FALSE, 0, "3 files seen, 3 added, 0 updated, 0 moved, 0 removed, 0 unchanged");
}
END_TEST

START_TEST (test_renamed_folder_of_identical_files)
{
    g_autofree char *docs = in_root ("docs");
    ck_assert_int_eq (g_mkdir (docs, 0700), 0);
    put_text ("docs/n1.txt", "same words\n", 1700000000);
    put_text ("docs/n2.txt", "same words\n", 1700000000);
    put_text ("docs/n3.txt", "other words\n", 1700000000);
    expect_run (TRUE, 0, "3 files seen, 3 added");
    g_autofree char *renamed = in_root ("renamed");
    ck_assert_int_eq (g_rename (docs, renamed), 0);
    g_autofree char *report = g_build_filename (tmp_dir, "r.json", NULL);
    evx_test_run_result r = evx_test_run (db, "refresh", "--report", report, NULL);
    ck_assert_msg (strstr (r.err, "3 files seen, 0 added, 0 updated, 3 moved, 0 removed"), "%s",
                   r.err);
    evx_test_run_result_clear (&r);
    /* each moved from the file of its own name */
    g_autofree char *data = NULL;
    ck_assert (g_file_get_contents (report, &data, NULL, NULL));
    g_autofree char *pair = g_strdup_printf ("\"path\" : \"%s/renamed/n1.txt\",\n      \"outcome\" : "
                                             "\"moved\",\n      \"change\" : null,\n      "
                                             "\"moved_from\" : \"%s/docs/n1.txt\"",
                                             root, root);
    ck_assert_msg (strstr (data, pair), "%s", data);
}
END_TEST

START_TEST (test_unreadable_folder_kept)
{
    if (geteuid () == 0) {
        fprintf (stderr, "SKIP test_unreadable_folder_kept: running as root, every folder is "
                         "readable\n");
        return;
    }
    g_autofree char *sub = in_root ("sub");
    ck_assert_int_eq (g_mkdir (sub, 0700), 0);
    put_text ("sub/a.txt", "pangolin below\n", 1700000000);
    put_text ("top.txt", "pangolin top\n", 1700000000);
    expect_run (TRUE, 0, "2 files seen, 2 added");
    ck_assert_int_eq (g_chmod (sub, 0), 0);
    expect_run (FALSE, 3, "0 removed, 1 unchanged, 0 skipped, 1 failed");
    ck_assert_int_eq (g_chmod (sub, 0700), 0);
    ck_assert_int_eq (hits ("pangolin", ".txt"), 2);
}
END_TEST

/* ---- killed, interrupted, locked ----------------------------------------------- */

static void
write_many (const char *word)
{
    for (int i = 0; i < MANY; i++) {
        g_autofree char *name = g_strdup_printf ("note-%04d.txt", i);
        g_autofree char *text = g_strdup_printf ("Note %d of the %s exercise log.\n\n"
                                                 "The %s team met on day %d.\n",
                                                 i, word, word, i);
        put_text (name, text, 1700000000 + i);
    }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/* (path, SHA-256, status) of every file record, sorted, and the passage count. */
static char *
index_fingerprint (const char *index)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_index) idx = evx_index_open (index, EVX_INDEX_READ, &error);
    ck_assert_msg (idx != NULL, "%s", error ? error->message : "?");
    g_autoptr (GHashTable) files = NULL;
    ck_assert (evx_index_list_files (idx, &files, &error));
    g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init (&it, files);
    while (g_hash_table_iter_next (&it, &key, &value)) {
        const evx_file_stat *st = value;
        const char *rel = (const char *) key + strlen (root);   /* the same in both trees */
        g_ptr_array_add (lines, g_strdup_printf ("%s %s %d", rel, st->sha256, st->status));
    }
    g_ptr_array_sort (lines, compare_strings);
    guint64 n_files = 0, n_passages = 0;
    ck_assert (evx_index_counts (idx, &n_files, &n_passages, &error));
    GString *out = g_string_new (NULL);
    g_string_append_printf (out, "files %" G_GUINT64_FORMAT " passages %" G_GUINT64_FORMAT "\n",
                            n_files, n_passages);
    for (guint i = 0; i < lines->len; i++)
        g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
    return g_string_free (out, FALSE);
}

/* Fails with the first line where @a and @b differ (whole texts are too long for Check). */
static void
assert_same_lines (const char *a, const char *b)
{
    g_auto (GStrv) la = g_strsplit (a, "\n", -1);
    g_auto (GStrv) lb = g_strsplit (b, "\n", -1);
    for (guint i = 0; la[i] || lb[i]; i++)
        ck_assert_msg (la[i] && lb[i] && strcmp (la[i], lb[i]) == 0, "line %u: \"%s\" vs \"%s\"",
                       i + 1, la[i] ? la[i] : "(end)", lb[i] ? lb[i] : "(end)");
}

/* Waits until the index has at least @n passages committed (at most 20 s). */
static void
wait_for_passages (guint64 n)
{
    for (int i = 0; i < 2000; i++) {
        g_autoptr (evx_index) idx = evx_index_open (db, EVX_INDEX_READ, NULL);
        guint64 passages = 0;
        if (idx && evx_index_counts (idx, NULL, &passages, NULL) && passages >= n)
            return;
        g_usleep (10 * 1000);
    }
    ck_abort_msg ("the run committed nothing in 20 s");
}

START_TEST (test_killed_refresh_completes)
{
    write_many ("blue");
    expect_run (TRUE, 0, "2000 files seen, 2000 added");
    /* every file changes; the refresh is killed after its first commits */
    write_many ("green");
    GPid pid = evx_test_start (db, "refresh", NULL);
    for (int i = 0; i < 1000 && total_hits ("green") == 0; i++)
        g_usleep (10 * 1000);
    kill (pid, SIGKILL);
    ck_assert_int_eq (evx_test_wait (pid), 128 + SIGKILL);
    /* what the killed run committed is consistent */
    evx_test_run_result c = evx_test_run (db, "check", NULL);
    ck_assert_msg (c.status == 0, "%s%s", c.out, c.err);
    ck_assert_msg (g_str_has_prefix (c.out, "consistent: 2000 files, 4000 passages"), "%s", c.out);
    evx_test_run_result_clear (&c);
    /* killed part-way: searchable at its last commit, whole files only (two passages
     * each), then finished by the next run */
    int green = total_hits ("green"), blue = total_hits ("blue");
    ck_assert_int_gt (green, 0);
    ck_assert_int_gt (blue, 0);
    ck_assert_int_eq (green + blue, 2 * MANY);
    evx_test_run_result r = evx_test_run (db, "refresh", NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    ck_assert_msg (strstr (r.err, "2000 files seen"), "%s", r.err);
    evx_test_run_result_clear (&r);
    ck_assert_int_eq (total_hits ("blue"), 0);
    g_autofree char *after = index_fingerprint (db);

    /* the same tree ingested from scratch */
    g_autofree char *clean = g_build_filename (tmp_dir, "clean-db", NULL);
    r = evx_test_run (clean, "ingest", root, NULL);
    ck_assert_int_eq (r.status, 0);
    evx_test_run_result_clear (&r);
    g_autofree char *expected = index_fingerprint (clean);
    assert_same_lines (after, expected);
    ck_assert (g_str_has_prefix (after, many_fingerprint));
}
END_TEST

START_TEST (test_sigterm_stops_after_a_commit)
{
    write_many ("blue");
    g_autofree char *report = g_build_filename (tmp_dir, "stopped.json", NULL);
    GPid pid = evx_test_start (db, "ingest", "--report", report, root, NULL);
    wait_for_passages (1);
    kill (pid, SIGTERM);
    ck_assert_int_eq (evx_test_wait (pid), 130);
    /* the report's counts add up to the files seen: those not reached are counted too
     * (they were in no count: a nightly-job helper) */
    g_autoptr (JsonParser) parser = json_parser_new ();
    ck_assert (json_parser_load_from_file (parser, report, NULL));
    JsonObject *summary = json_object_get_object_member (
        json_node_get_object (json_parser_get_root (parser)), "summary");
    gint64 parts = 0;
    static const char *const outcomes[] = { "added", "updated", "moved", "unchanged", "skipped",
                                            "failed", "interrupted" };
    for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
        parts += json_object_get_int_member (summary, outcomes[i]);
    ck_assert_int_eq (parts, json_object_get_int_member (summary, "seen"));
    ck_assert_int_gt (json_object_get_int_member (summary, "interrupted"), 0);
    /* what was done is kept; refresh (the root was recorded) finishes */
    evx_test_run_result r = evx_test_run (db, "refresh", NULL);
    ck_assert_msg (r.status == 0, "%s", r.err);
    ck_assert_msg (strstr (r.err, "2000 files seen"), "%s", r.err);
    evx_test_run_result_clear (&r);
    g_autofree char *fp = index_fingerprint (db);
    ck_assert (g_str_has_prefix (fp, many_fingerprint));
}
END_TEST

START_TEST (test_one_writer)
{
    put_text ("notes.txt", "Generator fuel contract.\n", 1700000000);
    expect_run (TRUE, 0, "1 files seen, 1 added");
    g_autoptr (GError) error = NULL;
    evx_index *holder = evx_index_open (db, EVX_INDEX_WRITE, &error);
    ck_assert_ptr_nonnull (holder);
    /* the report says so: an earlier night's report, left in place, was read as this
     * night's by a monitor (a nightly-job helper) */
    g_autofree char *report = g_build_filename (tmp_dir, "last.json", NULL);
    ck_assert (g_file_set_contents (report, "{\"stale\": 1}", -1, NULL));
    evx_test_run_result r = evx_test_run (db, "refresh", "--report", report, NULL);
    ck_assert_int_eq (r.status, 75);
    ck_assert_msg (strstr (r.err, "another process holds the index"), "%s", r.err);
    evx_test_run_result_clear (&r);
    g_autoptr (JsonParser) parser = json_parser_new ();
    ck_assert (json_parser_load_from_file (parser, report, NULL));
    JsonObject *o = json_node_get_object (json_parser_get_root (parser));
    ck_assert_msg (strstr (json_object_get_string_member (o, "fatal"), "another process holds the index"),
                   "%s", json_object_get_string_member (o, "fatal"));
    ck_assert_int_eq (json_object_get_int_member (json_object_get_object_member (o, "summary"), "seen"), 0);
    ck_assert_int_eq (json_array_get_length (json_object_get_array_member (o, "files")), 0);
    gint64 t0 = g_get_monotonic_time ();
    r = evx_test_run (db, "ingest", "--wait", "1", root, NULL);
    ck_assert_int_eq (r.status, 75);
    ck_assert_msg (strstr (r.err, "waited 1 s: another process holds the index"), "%s", r.err);
    ck_assert_int_ge (g_get_monotonic_time () - t0, G_USEC_PER_SEC);
    evx_test_run_result_clear (&r);
    /* SIGTERM while waiting for the lock ends the wait at once (exit 130) */
    GPid waiting = evx_test_start (db, "refresh", "--wait", "60", NULL);
    g_usleep (500 * 1000);
    t0 = g_get_monotonic_time ();
    kill (waiting, SIGTERM);
    ck_assert_int_eq (evx_test_wait (waiting), 130);
    ck_assert_int_lt (g_get_monotonic_time () - t0, 5 * G_USEC_PER_SEC);
    /* searches still work while a writer holds it */
    ck_assert_int_eq (hits ("generator", "/notes.txt"), 1);
    evx_index_close (holder);
    r = evx_test_run (db, "refresh", "--wait", "5", NULL);
    ck_assert_int_eq (r.status, 0);
    evx_test_run_result_clear (&r);
}
END_TEST

START_TEST (test_search_during_refresh)
{
    write_many ("blue");
    expect_run (TRUE, 0, "2000 files seen, 2000 added");
    write_many ("green");
    GPid pid = evx_test_start (db, "refresh", NULL);
    /* once the first has committed (it holds the index until it ends), a second
     * refresh exits 75 at once */
    for (int i = 0; i < 1000 && total_hits ("green") == 0; i++)
        g_usleep (10 * 1000);
    ck_assert_msg (waitpid (pid, NULL, WNOHANG) == 0, "the refresh ended too soon to test");
    evx_test_run_result second = evx_test_run (db, "refresh", NULL);
    ck_assert_msg (second.status == 75, "the second refresh exited %d: %s", second.status,
                   second.err);
    evx_test_run_result_clear (&second);
    int searches = 0;
    for (;;) {
        evx_test_run_result r = evx_test_run (db, "search", "--format", "json", "exercise", NULL);
        ck_assert_msg (r.status == 0, "search %d failed during the refresh: %s", searches, r.err);
        evx_test_run_result_clear (&r);
        searches++;
        if (waitpid (pid, NULL, WNOHANG) == pid)
            break;
    }
    g_spawn_close_pid (pid);
    ck_assert_int_gt (searches, 1);
    ck_assert_int_eq (total_hits ("green"), 2 * MANY);   /* two passages a file */
}
END_TEST

static Suite *
refresh_suite (void)
{
    Suite *s = suite_create ("refresh");
    TCase *tc = tcase_create ("refresh");
    tcase_add_checked_fixture (tc, setup, teardown);
    tcase_set_timeout (tc, 120);
    tcase_add_test (tc, test_every_kind_of_change);
    tcase_add_test (tc, test_path_field_any_name);
    tcase_add_test (tc, test_empty_folder_below_root);
    tcase_add_test (tc, test_unmounted_share_kept);
    tcase_add_test (tc, test_unmounted_root_kept);
    tcase_add_test (tc, test_unmounted_bind_kept);
    tcase_add_test (tc, test_mount_layouts_kept);
    tcase_add_test (tc, test_deleted_link_leaves);
    tcase_add_test (tc, test_folder_become_link);
    tcase_add_test (tc, test_forget_root);
    tcase_add_test (tc, test_roots_kept_and_merged);
    tcase_add_test (tc, test_vanishing_kinds);
    tcase_add_test (tc, test_renamed_folder_of_identical_files);
    tcase_add_test (tc, test_unreadable_folder_kept);
    tcase_add_test (tc, test_killed_refresh_completes);
    tcase_add_test (tc, test_sigterm_stops_after_a_commit);
    tcase_add_test (tc, test_one_writer);
    tcase_add_test (tc, test_search_during_refresh);
    suite_add_tcase (s, tc);
    return s;
}

int
main (void)
{
    return evx_test_main (refresh_suite ());
}
