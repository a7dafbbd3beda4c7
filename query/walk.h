/* walk.h - the files under the paths given on the command line. */
#ifndef EVX_WALK_H
#define EVX_WALK_H

#include <glib.h>
#include <glib/gstdio.h>

G_BEGIN_DECLS

/**
 * evx_walk_file_fn:
 * @path: absolute, canonical path of a regular file.
 * @st: its stat (of the target, for a symbolic link to a file).
 * @data: the caller's data.
 *
 * Returns: FALSE to stop the walk.
 */
typedef gboolean (*evx_walk_file_fn) (const char *path, const GStatBuf *st, gpointer data);

/**
 * evx_walk_problem_fn:
 * @path: the path that could not be walked.
 * @reason: why (e.g. "Permission denied", "symbolic link to a folder, not followed").
 * @failure: TRUE when the path could not be read (an error), FALSE when it is
 *   left out on purpose (symbolic link to a folder, broken link, FIFO, device).
 */
typedef void (*evx_walk_problem_fn) (const char *path, const char *reason, gboolean failure,
                                     gpointer data);

/**
 * evx_walk:
 * @root: a file or folder (relative to the working directory, or absolute).
 * @skip_dir: (nullable) a folder never to enter (the index's own), recognised by its
 *   device and inode, so also when it is reached through a symbolic link or another
 *   name; NULL for none.
 * @roots: (nullable) (array zero-terminated=1) the real paths (realpath()) of all the
 *   roots of the run: a symbolic link whose target lies outside every one of them is
 *   not followed (reported through @on_problem) unless @follow_symlinks.
 * @follow_symlinks: follow every symbolic link, to files and to folders, wherever it
 *   leads; a link back to a folder being walked is reported as a loop, not followed.
 * @on_file: called for each regular file, folders recursively, names in byte order.
 * @on_problem: called for each path that cannot be read or is not walked.
 * @data: passed to both.
 *
 * Without @follow_symlinks, symbolic links to files inside the roots are followed and
 * symbolic links to folders are not (reported through @on_problem), so that a walk can
 * never loop nor leave the roots.  @root itself may be a link to a folder.
 *
 * Returns: FALSE when @on_file stopped the walk.
 */
gboolean evx_walk (const char *root, const char *skip_dir, const char *const *roots,
                   gboolean follow_symlinks, evx_walk_file_fn on_file,
                   evx_walk_problem_fn on_problem, gpointer data);

G_END_DECLS

#endif /* EVX_WALK_H */
