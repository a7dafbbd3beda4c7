/* walk.c - recursive, sorted, loop-free walk of files and folders. */
#include "query/walk.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

static gboolean
walk_path (const char *path, gboolean is_root, const GStatBuf *skip, evx_walk_file_fn on_file,
           evx_walk_problem_fn on_problem, gpointer data)
{
    GStatBuf lst, st;
    if (g_lstat (path, &lst) != 0) {
        on_problem (path, g_strerror (errno), TRUE, data);
        return TRUE;
    }
    st = lst;
    if (S_ISLNK (lst.st_mode)) {
        if (g_stat (path, &st) != 0) {
            on_problem (path, errno == ELOOP ? "symbolic link loop" : "broken symbolic link",
                        FALSE, data);
            return TRUE;
        }
        if (S_ISDIR (st.st_mode) && !is_root) {
            on_problem (path, "symbolic link to a folder, not followed", FALSE, data);
            return TRUE;
        }
    }
    if (S_ISREG (st.st_mode))
        return on_file (path, &st, data);
    if (!S_ISDIR (st.st_mode)) {
        on_problem (path, "not a regular file or folder", FALSE, data);
        return TRUE;
    }
    if (skip && st.st_dev == skip->st_dev && st.st_ino == skip->st_ino)
        return TRUE;   /* the folder left out, under whatever name it is reached */
    g_autoptr (GError) error = NULL;
    g_autoptr (GDir) dir = g_dir_open (path, 0, &error);
    if (!dir) {
        on_problem (path, error->message, TRUE, data);
        return TRUE;
    }
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *name;
    while ((name = g_dir_read_name (dir)))
        g_ptr_array_add (names, g_strdup (name));
    g_ptr_array_sort (names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
        if (!walk_path (child, FALSE, skip, on_file, on_problem, data))
            return FALSE;
    }
    return TRUE;
}

gboolean
evx_walk (const char *root, const char *skip_dir, evx_walk_file_fn on_file,
          evx_walk_problem_fn on_problem, gpointer data)
{
    g_autofree char *abs = g_canonicalize_filename (root, NULL);
    GStatBuf skip;
    gboolean skipping = skip_dir && g_stat (skip_dir, &skip) == 0 && S_ISDIR (skip.st_mode);
    return walk_path (abs, TRUE, skipping ? &skip : NULL, on_file, on_problem, data);
}
