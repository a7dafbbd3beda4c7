/* fixture.h - what the Check suites share: temporary folders, the built-in catalog. */
#ifndef EVX_TEST_FIXTURE_H
#define EVX_TEST_FIXTURE_H

#include <glib.h>

#include "ingest/catalog.h"

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

/**
 * evx_test_catalog_load:
 * Returns: (transfer full) the built-in clause catalog; the test fails, naming the
 *   reason, when it cannot be loaded.  Free with evx_catalog_free().
 */
evx_catalog *evx_test_catalog_load (void);

#endif /* EVX_TEST_FIXTURE_H */
