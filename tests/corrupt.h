/* corrupt.h - damage an index on purpose (tests of `evidex check`), or make one that
 * is not evidex's. */
#ifndef EVX_TEST_CORRUPT_H
#define EVX_TEST_CORRUPT_H

#include <glib.h>

G_BEGIN_DECLS

/**
 * evx_test_damage:
 * @EVX_TEST_DROP_FILE_RECORD: delete the file's record: its passages become orphans.
 * @EVX_TEST_DROP_PASSAGE: delete the file's first passage: its record counts one more.
 * @EVX_TEST_BREAK_PASSAGE: make the first passage's stored data unreadable and give it
 *   the clause term "2019:99.9", which the catalog does not know.
 */
typedef enum {
    EVX_TEST_DROP_FILE_RECORD,
    EVX_TEST_DROP_PASSAGE,
    EVX_TEST_BREAK_PASSAGE,
} evx_test_damage;

/**
 * evx_test_corrupt:
 * @db: the index folder (no other writer may hold it).
 * @path: the indexed path of the file to damage.
 * @damage: what to do.
 *
 * Returns: TRUE when the damage is done and committed.
 */
gboolean evx_test_corrupt (const char *db, const char *path, evx_test_damage damage);

/**
 * evx_test_make_foreign_index:
 * @db: a folder to create a Xapian database in.
 * @documents: FALSE for none, only another program's metadata.
 *
 * Writes a database of one document that is nothing evidex writes (no record kind
 * term), and a metadata key that is not evidex's, as another program's index is.
 *
 * Returns: TRUE when it is made and committed.
 */
gboolean evx_test_make_foreign_index (const char *db, gboolean documents);

G_END_DECLS

#endif /* EVX_TEST_CORRUPT_H */
