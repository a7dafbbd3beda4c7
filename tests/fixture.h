/* fixture.h - what the Check suites share: temporary folders, the built-in catalog. */
#ifndef EVX_TEST_FIXTURE_H
#define EVX_TEST_FIXTURE_H

#include <check.h>
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

/**
 * evx_test_check_indexes:
 * @dir: a test's folder.
 *
 * Runs `evidex check` on every index directly in @dir (a folder holding "iamglass")
 * and fails the test unless each is consistent: every test that builds an index shows
 * that check passes on it.
 */
void evx_test_check_indexes (const char *dir);

/**
 * evx_test_run_result:
 * @status: exit status, or 128 + the signal that ended the program.
 * @out: (transfer full) what it printed on stdout.
 * @err: (transfer full) what it printed on stderr.
 */
typedef struct {
    int status;
    char *out;
    char *err;
} evx_test_run_result;

/** evx_test_run_result_clear: frees out and err. */
void evx_test_run_result_clear (evx_test_run_result *r);

/**
 * evx_test_run:
 * @db: (nullable) the index (--db), or NULL for none.
 * @...: the arguments after the program name, NULL-terminated.
 *
 * Runs the evidex program built with the tests and waits for it; fails the test when
 * it cannot be started.
 */
evx_test_run_result evx_test_run (const char *db, ...) G_GNUC_NULL_TERMINATED;

/**
 * evx_test_start:
 * Starts evidex like evx_test_run(), without waiting and with its output thrown away.
 * Returns: its process id, for kill() and evx_test_wait().
 */
GPid evx_test_start (const char *db, ...) G_GNUC_NULL_TERMINATED;

/**
 * evx_test_wait:
 * Returns: the exit status of @pid, or 128 + the signal that ended it.
 */
int evx_test_wait (GPid pid);

/**
 * evx_test_main:
 * Runs every test of @suite (taking it), printing Check's report.
 * Returns: the exit status of the test program: 0 when all passed, 1 otherwise.
 */
int evx_test_main (Suite *suite);

#endif /* EVX_TEST_FIXTURE_H */
