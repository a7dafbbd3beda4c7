/* fixture.c - what the Check suites share (see fixture.h). */
#include "tests/fixture.h"

#include <check.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>

char *
evx_test_tmpdir_new (const char *name)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *tmpl = g_strdup_printf ("evx-%s-XXXXXX", name);
    char *dir = g_dir_make_tmp (tmpl, &error);
    ck_assert_msg (dir != NULL, "g_dir_make_tmp: %s", error ? error->message : "?");
    return dir;
}

void
evx_test_remove_tree (const char *path)
{
    GStatBuf st;
    if (g_lstat (path, &st) != 0)
        return;
    if (S_ISDIR (st.st_mode)) {
        g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
        const char *name;
        while (dir && (name = g_dir_read_name (dir))) {
            g_autofree char *child = g_build_filename (path, name, NULL);
            evx_test_remove_tree (child);
        }
        ck_assert_msg (g_rmdir (path) == 0, "rmdir %s: %s", path, g_strerror (errno));
    } else {
        ck_assert_msg (g_unlink (path) == 0, "unlink %s: %s", path, g_strerror (errno));
    }
}

evx_catalog *
evx_test_catalog_load (void)
{
    g_autoptr (GError) error = NULL;
    evx_catalog *cat = evx_catalog_load (NULL, &error);
    ck_assert_msg (cat != NULL, "built-in catalog: %s", error != NULL ? error->message : "?");
    return cat;
}

void
evx_test_run_result_clear (evx_test_run_result *r)
{
    g_free (r->out);
    g_free (r->err);
}

/* The argv of "evidex [--db DB] ARGS..." from a va_list of NULL-terminated strings. */
static GPtrArray *
evidex_argv (const char *db, va_list ap)
{
    GPtrArray *argv = g_ptr_array_new ();
    g_ptr_array_add (argv, (gpointer) EVX_BINARY);
    if (db) {
        g_ptr_array_add (argv, (gpointer) "--db");
        g_ptr_array_add (argv, (gpointer) db);
    }
    const char *arg;
    while ((arg = va_arg (ap, const char *)))
        g_ptr_array_add (argv, (gpointer) arg);
    g_ptr_array_add (argv, NULL);
    return argv;
}

evx_test_run_result
evx_test_run (const char *db, ...)
{
    va_list ap;
    va_start (ap, db);
    g_autoptr (GPtrArray) argv = evidex_argv (db, ap);
    va_end (ap);
    evx_test_run_result r = { 0 };
    g_autoptr (GError) error = NULL;
    int wait_status = 0;
    gboolean ok = g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                &r.out, &r.err, &wait_status, &error);
    ck_assert_msg (ok, "cannot run evidex: %s", error ? error->message : "?");
    r.status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
    return r;
}

GPid
evx_test_start (const char *db, ...)
{
    va_list ap;
    va_start (ap, db);
    g_autoptr (GPtrArray) argv = evidex_argv (db, ap);
    va_end (ap);
    GPid pid = 0;
    g_autoptr (GError) error = NULL;
    gboolean ok = g_spawn_async (NULL, (char **) argv->pdata, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                                     | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &pid, &error);
    ck_assert_msg (ok, "cannot start evidex: %s", error ? error->message : "?");
    return pid;
}

int
evx_test_wait (GPid pid)
{
    int status = 0;
    while (waitpid (pid, &status, 0) < 0 && errno == EINTR) {
    }
    g_spawn_close_pid (pid);
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

int
evx_test_main (Suite *suite)
{
    SRunner *sr = srunner_create (suite);
    srunner_run_all (sr, CK_ENV);
    int failed = srunner_ntests_failed (sr);
    srunner_free (sr);
    return failed == 0 ? 0 : 1;
}

void
evx_test_check_indexes (const char *dir)
{
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d))) {
        g_autofree char *index = g_build_filename (dir, name, NULL);
        g_autofree char *glass = g_build_filename (index, "iamglass", NULL);
        if (!g_file_test (glass, G_FILE_TEST_EXISTS))
            continue;
        evx_test_run_result r = evx_test_run (index, "check", NULL);
        ck_assert_msg (r.status == 0, "evidex check %s: %s%s", index, r.out, r.err);
        evx_test_run_result_clear (&r);
    }
}
