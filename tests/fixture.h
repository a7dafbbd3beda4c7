/* fixture.h - temporary folders for the Check suites. */
#ifndef EVX_TEST_FIXTURE_H
#define EVX_TEST_FIXTURE_H

#include <glib.h>

/**
 * evx_test_tmpdir_new:
 * @name: a word naming the suite ("index"), part of the folder's name.
 * Returns: (transfer full) a new empty folder under the temporary folder; the test
 *   fails when it cannot be made.
 */
char *evx_test_tmpdir_new (const char *name);

/**
 * evx_test_remove_tree:
 * Removes @path and everything below it (symbolic links are removed, not followed);
 * the test fails when something cannot be removed.
 */
void evx_test_remove_tree (const char *path);

#endif /* EVX_TEST_FIXTURE_H */
