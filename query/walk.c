/* walk.c - recursive, sorted, loop-free walk of files and folders. */
#define _XOPEN_SOURCE 700   /* realpath() */
#include "query/walk.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What one walk needs besides the path. */
typedef struct {
    const GStatBuf *skip;              /* the folder left out, or NULL */
    const char *const *roots;          /* real paths a symbolic link may lead into */
    gboolean follow_symlinks;
    GArray *stack;                     /* GStatBuf of the folders being walked */
    evx_walk_file_fn on_file;
    evx_walk_problem_fn on_problem;
    gpointer data;
} walk_state;

/* TRUE when @path is @root or inside it. */
static gboolean
inside (const char *path, const char *root)
{
    gsize n = strlen (root);
    return strncmp (path, root, n) == 0 && (path[n] == '\0' || path[n] == '/' || strcmp (root, "/") == 0);
}

/* TRUE when the target of the symbolic link @path lies inside one of the roots. */
static gboolean
link_stays_inside (const char *path, const char *const *roots)
{
    char real[PATH_MAX];
    if (!realpath (path, real))
        return FALSE;
    for (guint i = 0; roots && roots[i]; i++)
        if (inside (real, roots[i]))
            return TRUE;
    return FALSE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

static gboolean
walk_path (walk_state *w, const char *path, gboolean is_root)
{
    GStatBuf lst, st;
    if (g_lstat (path, &lst) != 0) {
        w->on_problem (path, g_strerror (errno), TRUE, w->data);
        return TRUE;
    }
    st = lst;
    if (S_ISLNK (lst.st_mode)) {
        if (g_stat (path, &st) != 0) {
            w->on_problem (path, errno == ELOOP ? "symbolic link loop" : "broken symbolic link",
                           FALSE, w->data);
            return TRUE;
        }
        if (!is_root && !w->follow_symlinks && !link_stays_inside (path, w->roots)) {
            w->on_problem (path, "symbolic link out of the given roots, not followed (see --follow-symlinks)",
                           FALSE, w->data);
            return TRUE;
        }
        if (S_ISDIR (st.st_mode) && !is_root && !w->follow_symlinks) {
            w->on_problem (path, "symbolic link to a folder, not followed", FALSE, w->data);
            return TRUE;
        }
    }
    if (S_ISREG (st.st_mode))
        return w->on_file (path, &st, w->data);
    if (!S_ISDIR (st.st_mode)) {
        w->on_problem (path, "not a regular file or folder", FALSE, w->data);
        return TRUE;
    }
    if (w->skip && st.st_dev == w->skip->st_dev && st.st_ino == w->skip->st_ino)
        return TRUE;   /* the folder left out, under whatever name it is reached */
    for (guint i = 0; i < w->stack->len; i++) {
        const GStatBuf *up = &g_array_index (w->stack, GStatBuf, i);
        if (up->st_dev == st.st_dev && up->st_ino == st.st_ino) {
            /* a followed link back to a folder being walked */
            w->on_problem (path, "symbolic link loop", FALSE, w->data);
            return TRUE;
        }
    }
    g_autoptr (GError) error = NULL;
    g_autoptr (GDir) dir = g_dir_open (path, 0, &error);
    if (!dir) {
        w->on_problem (path, error->message, TRUE, w->data);
        return TRUE;
    }
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *name;
    while ((name = g_dir_read_name (dir)))
        g_ptr_array_add (names, g_strdup (name));
    g_ptr_array_sort (names, compare_names);
    g_array_append_val (w->stack, st);
    gboolean go_on = TRUE;
    for (guint i = 0; i < names->len && go_on; i++) {
        g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
        go_on = walk_path (w, child, FALSE);
    }
    g_array_set_size (w->stack, w->stack->len - 1);
    return go_on;
}

gboolean
evx_walk (const char *root, const char *skip_dir, const char *const *roots, gboolean follow_symlinks,
          evx_walk_file_fn on_file, evx_walk_problem_fn on_problem, gpointer data)
{
    g_autofree char *abs = g_canonicalize_filename (root, NULL);
    GStatBuf skip;
    gboolean skipping = skip_dir && g_stat (skip_dir, &skip) == 0 && S_ISDIR (skip.st_mode);
    g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (GStatBuf));
    walk_state w = { skipping ? &skip : NULL, roots, follow_symlinks, stack, on_file, on_problem, data };
    return walk_path (&w, abs, TRUE);
}
