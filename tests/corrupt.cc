// corrupt.cc - damage an index on purpose, with Xapian directly, so that the tests can
// show that `evidex check` finds it (see corrupt.h).
#include <xapian.h>

#include "index/record.h"
#include "index/schema.h"
#include "tests/corrupt.h"

extern "C" gboolean
evx_test_corrupt (const char *db, const char *path, evx_test_damage damage)
{
    try {
        Xapian::WritableDatabase w (db, Xapian::DB_OPEN);
        char *key = evx_record_file_key (path);
        std::string k (key);
        g_free (key);
        if (damage == EVX_TEST_DROP_FILE_RECORD) {
            w.delete_document (std::string (EVX_PREFIX_ID) + EVX_FILE_ID_PREFIX + k);
        } else {
            // the first passage of the file
            std::string file_term = EVX_PREFIX_FILE + k;
            Xapian::PostingIterator it = w.postlist_begin (file_term);
            if (it == w.postlist_end (file_term))
                return FALSE;
            if (damage == EVX_TEST_DROP_PASSAGE) {
                w.delete_document (*it);
            } else {
                Xapian::Document d = w.get_document (*it);
                d.set_data ("{not json");
                d.add_boolean_term (EVX_PREFIX_CLAUSE "2019:99.9");
                w.replace_document (*it, d);
            }
        }
        w.commit ();
        return TRUE;
    } catch (const Xapian::Error &) {
        return FALSE;
    }
}

gboolean
evx_test_make_foreign_index (const char *db, gboolean documents)
{
    try {
        Xapian::WritableDatabase w (db, Xapian::DB_CREATE_OR_OPEN);
        if (documents) {
            Xapian::Document d;
            d.add_term ("recovery");
            d.add_boolean_term ("Q1");
            d.set_data ("url=/intranet/recovery.html");
            w.add_document (d);
        }
        w.set_metadata ("omega.version", "1.4");
        w.commit ();
        return TRUE;
    } catch (const Xapian::Error &) {
        return FALSE;
    }
}
