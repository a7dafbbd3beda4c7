/* fixture.c - what the Check suites share (see fixture.h). */
#include "tests/fixture.h"

#include <check.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

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
