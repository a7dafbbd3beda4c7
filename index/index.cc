// index.cc - the Xapian index behind the C API of index.h.
//
// The project's only C++ file.  Every exported function is wrapped in guarded(),
// which catches every exception and turns it into a GError: no exception ever
// crosses into C.

#include <xapian.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <set>
#include <string>

#include <glib/gstdio.h>

#include "index/index.h"
#include "index/record.h"
#include "index/schema.h"
#include "ingest/error.h"

struct _evx_index {
    std::string path;
    Xapian::Database *db = nullptr;          // the reader (== wdb for a writer)
    Xapian::WritableDatabase *wdb = nullptr; // only for a writer
};

namespace {

const int MODIFIED_RETRIES = 3;

// Sets *error from the exception being handled.  Call only inside a catch block.
void
set_error_from_current (GError **error, const char *path)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_LOCKED,
                     "another process holds the index %s for writing", path);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NOT_FOUND, "no index at %s", path);
    } catch (const Xapian::DatabaseOpeningError &e) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NOT_FOUND, "cannot open the index %s: %s", path,
                     e.get_msg ().c_str ());
    } catch (const Xapian::QueryParserError &e) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_QUERY_SYNTAX, "query syntax: %s",
                     e.get_msg ().c_str ());
    } catch (const Xapian::Error &e) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INDEX, "%s: %s", e.get_type (),
                     e.get_msg ().c_str ());
    } catch (const std::bad_alloc &) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NO_MEMORY, "out of memory in the index library");
    } catch (const std::exception &e) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INDEX, "index error: %s", e.what ());
    } catch (...) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INDEX, "unknown exception in the index library");
    }
}

template <class F>
gboolean
guarded (GError **error, const char *path, F body)
{
    try {
        return body () ? TRUE : FALSE;
    } catch (...) {
        set_error_from_current (error, path);
        return FALSE;
    }
}

// Owns a g_malloc'ed C string for the length of a scope.
struct gstr {
    char *s;
    explicit gstr (char *p) : s (p) {}
    ~gstr () { g_free (s); }
    gstr (const gstr &) = delete;
    gstr &operator= (const gstr &) = delete;
    std::string str () const { return s ? std::string (s) : std::string (); }
};

Xapian::Stem
stemmer ()
{
    return Xapian::Stem (EVX_STEM_LANGUAGE);
}

std::string
file_id_term (const char *key)
{
    return std::string (EVX_PREFIX_ID) + EVX_FILE_ID_PREFIX + key;
}

// "EDITION:ID" for ID and each ancestor: "2019:8.2.2", "2019:8.2", "2019:8".
void
add_with_ancestors (std::set<std::string> &out, int edition, const char *clause)
{
    if (!clause || !*clause)
        return;
    std::string id (clause);
    std::string ed = std::to_string (edition) + ":";
    for (;;) {
        out.insert (ed + id);
        std::string::size_type dot = id.rfind ('.');
        if (dot == std::string::npos)
            break;
        id.resize (dot);
    }
}

// The clause terms (without prefix) of one passage: see schema.h.
std::set<std::string>
clause_terms (const evx_passage *p)
{
    std::set<std::string> out;
    for (guint j = 0; j < p->clauses->len; j++) {
        const evx_clause_tag *t = (const evx_clause_tag *) g_ptr_array_index (p->clauses, j);
        add_with_ancestors (out, t->edition, t->id);
        for (char **e = t->equivalents; e && *e; e++)
            add_with_ancestors (out, t->edition == 2012 ? 2019 : 2012, *e);
    }
    return out;
}

// Writes (or replaces) the record document of one file, with its clause terms.
void
write_file_record (Xapian::WritableDatabase &w, const evx_file_record *rec,
                   const std::set<std::string> &clauses)
{
    gstr key (evx_record_file_key (rec->path));
    gstr path_term (evx_record_path_term (rec->path));
    gstr data (evx_record_file_data (rec));
    std::string id_term = file_id_term (key.s);
    Xapian::Document f;
    f.add_boolean_term (id_term);
    f.add_boolean_term (EVX_PREFIX_KIND EVX_KIND_FILE);
    f.add_boolean_term (path_term.str ());
    for (const std::string &c : clauses)
        f.add_boolean_term (EVX_PREFIX_DOCUMENT_CLAUSE + c);
    f.set_data (data.str ());
    w.replace_document (id_term, f);
}

bool
end_transaction_and_commit (Xapian::WritableDatabase *wdb)
{
    wdb->commit_transaction ();
    wdb->commit ();
    wdb->begin_transaction (false);
    return true;
}

} // namespace

extern "C" {

evx_index *
evx_index_open (const char *path, evx_index_mode mode, GError **error)
{
    evx_index *idx = nullptr;
    gboolean ok = guarded (error, path, [&] {
        idx = new evx_index;
        idx->path = path;
        if (mode == EVX_INDEX_WRITE) {
            if (g_mkdir_with_parents (path, 0700) != 0) {
                int err = errno;
                g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot create the index folder %s: %s",
                             path, g_strerror (err));
                return false;
            }
            idx->wdb = new Xapian::WritableDatabase (path, Xapian::DB_CREATE_OR_OPEN);
            idx->db = idx->wdb;
            // Changes stay invisible, and are discarded on close, until evx_index_commit().
            idx->wdb->begin_transaction (false);
        } else {
            if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
                g_set_error (error, EVX_ERROR, EVX_ERROR_NOT_FOUND,
                             "no index at %s (run 'evidex ingest' first)", path);
                return false;
            }
            idx->db = new Xapian::Database (path);
        }
        return true;
    });
    if (!ok) {
        evx_index_close (idx);
        return nullptr;
    }
    return idx;
}

void
evx_index_close (evx_index *idx)
{
    if (!idx)
        return;
    try {
        if (idx->wdb) {
            idx->wdb->cancel_transaction ();
            idx->wdb->close ();
        }
    } catch (...) {
        // Nothing to report to: the caller is discarding the index.
    }
    try {
        delete idx->db;   // the writer when there is one (same object)
    } catch (...) {
    }
    delete idx;
}

gboolean
evx_index_commit (evx_index *idx, GError **error)
{
    return guarded (error, idx->path.c_str (), [&] { return end_transaction_and_commit (idx->wdb); });
}

gboolean
evx_index_get_file (evx_index *idx, const char *path, evx_file_record **out, GError **error)
{
    *out = nullptr;
    return guarded (error, idx->path.c_str (), [&] {
        gstr key (evx_record_file_key (path));
        std::string term = file_id_term (key.s);
        for (int attempt = 0;; attempt++) {
            try {
                Xapian::PostingIterator it = idx->db->postlist_begin (term);
                if (it == idx->db->postlist_end (term))
                    return true;
                std::string data = idx->db->get_document (*it).get_data ();
                *out = evx_record_file_read (data.data (), data.size (), error);
                return *out != nullptr;
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt >= MODIFIED_RETRIES)
                    throw;
                idx->db->reopen ();
            }
        }
    });
}

gboolean
evx_index_put_document (evx_index *idx, const evx_document *doc, const evx_file_record *rec,
                        GError **error)
{
    return guarded (error, idx->path.c_str (), [&] {
        Xapian::WritableDatabase &w = *idx->wdb;
        gstr key (evx_record_file_key (rec->path));
        gstr path_term (evx_record_path_term (rec->path));
        w.delete_document (EVX_PREFIX_FILE + key.str ());

        Xapian::TermGenerator tg;
        tg.set_stemmer (stemmer ());
        tg.set_stemming_strategy (Xapian::TermGenerator::STEM_SOME);
        int page = -1;
        guint n_on_page = 0;
        std::set<std::string> file_clauses;
        for (guint i = 0; i < doc->passages->len; i++) {
            const evx_passage *p = (const evx_passage *) g_ptr_array_index (doc->passages, i);
            n_on_page = p->page == page ? n_on_page + 1 : 1;
            page = p->page;
            gstr id (evx_record_passage_id (key.s, p->page, n_on_page));
            gstr data (evx_record_passage_data (doc, p, id.s));

            Xapian::Document d;
            tg.set_document (d);
            tg.index_text (p->text);
            d.add_boolean_term (EVX_PREFIX_ID + id.str ());
            d.add_boolean_term (EVX_PREFIX_KIND EVX_KIND_PASSAGE);
            d.add_boolean_term (EVX_PREFIX_FILE + key.str ());
            d.add_boolean_term (path_term.str ());
            if (doc->mime_type)
                d.add_boolean_term (std::string (EVX_PREFIX_MIME) + doc->mime_type);
            for (const std::string &c : clause_terms (p)) {
                d.add_boolean_term (EVX_PREFIX_CLAUSE + c);
                file_clauses.insert (c);
            }
            d.add_value (EVX_SLOT_PAGE, Xapian::sortable_serialise (p->page));
            d.set_data (data.str ());
            w.replace_document (EVX_PREFIX_ID + id.str (), d);
        }

        evx_file_record stored = *rec;
        stored.passages = doc->passages->len;
        write_file_record (w, &stored, file_clauses);
        return true;
    });
}

gboolean
evx_index_put_file_record (evx_index *idx, const evx_file_record *rec, GError **error)
{
    evx_file_record *old = nullptr;
    if (!evx_index_get_file (idx, rec->path, &old, error))
        return FALSE;
    if (!old) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NOT_FOUND, "%s has no record in the index",
                     rec->path);
        return FALSE;
    }
    evx_file_record stored = *rec;
    stored.passages = old->passages;
    gboolean ok = guarded (error, idx->path.c_str (), [&] {
        // keep the document as it is (its clause terms) and replace only its data
        gstr key (evx_record_file_key (rec->path));
        gstr data (evx_record_file_data (&stored));
        std::string id_term = file_id_term (key.s);
        Xapian::PostingIterator it = idx->wdb->postlist_begin (id_term);
        if (it == idx->wdb->postlist_end (id_term))
            return true;
        Xapian::Document f = idx->wdb->get_document (*it);
        f.set_data (data.str ());
        idx->wdb->replace_document (*it, f);
        return true;
    });
    evx_file_record_free (old);
    return ok;
}

gboolean
evx_index_remove_file (evx_index *idx, const char *path, GError **error)
{
    return guarded (error, idx->path.c_str (), [&] {
        gstr key (evx_record_file_key (path));
        idx->wdb->delete_document (EVX_PREFIX_FILE + key.str ());
        idx->wdb->delete_document (file_id_term (key.s));
        return true;
    });
}

gboolean
evx_index_clause_counts (evx_index *idx, const char *id, int edition, guint64 *passages,
                         guint64 *documents, GError **error)
{
    return guarded (error, idx->path.c_str (), [&] {
        std::string term = std::to_string (edition) + ":" + id;
        if (!idx->wdb)
            idx->db->reopen ();
        if (passages)
            *passages = idx->db->get_termfreq (EVX_PREFIX_CLAUSE + term);
        if (documents)
            *documents = idx->db->get_termfreq (EVX_PREFIX_DOCUMENT_CLAUSE + term);
        return true;
    });
}

gboolean
evx_index_counts (evx_index *idx, guint64 *files, guint64 *passages, GError **error)
{
    return guarded (error, idx->path.c_str (), [&] {
        if (files)
            *files = idx->db->get_termfreq (EVX_PREFIX_KIND EVX_KIND_FILE);
        if (passages)
            *passages = idx->db->get_termfreq (EVX_PREFIX_KIND EVX_KIND_PASSAGE);
        return true;
    });
}

void
evx_results_free (evx_results *res)
{
    if (!res)
        return;
    if (res->hits)
        g_ptr_array_unref (res->hits);
    g_free (res);
}

static bool
run_search (evx_index *idx, const evx_search_request *req, evx_results *res, GError **error)
{
    int edition = req->edition == 2012 ? 2012 : 2019;
    Xapian::Query query;
    if (req->query && *req->query) {
        Xapian::QueryParser qp;
        qp.set_stemmer (stemmer ());
        qp.set_stemming_strategy (Xapian::QueryParser::STEM_SOME);
        qp.set_default_op (Xapian::Query::OP_AND);
        qp.set_database (*idx->db);
        // one group: several clause filters match a passage of any of them
        const std::string group (EVX_FIELD_CLAUSE);
        qp.add_boolean_prefix (EVX_FIELD_CLAUSE,
                               std::string (EVX_PREFIX_CLAUSE) + std::to_string (edition) + ":",
                               &group);
        qp.add_boolean_prefix (EVX_FIELD_CLAUSE_2012, EVX_PREFIX_CLAUSE "2012:", &group);
        qp.add_boolean_prefix (EVX_FIELD_CLAUSE_2019, EVX_PREFIX_CLAUSE "2019:", &group);
        unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD
                         | Xapian::QueryParser::FLAG_PURE_NOT;
        query = qp.parse_query (req->query, flags);
        if (query.empty ()) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_QUERY_SYNTAX,
                         "query syntax: '%s' contains no searchable term", req->query);
            return false;
        }
    } else {
        query = Xapian::Query::MatchAll;
    }
    query = Xapian::Query (Xapian::Query::OP_FILTER, query,
                           Xapian::Query (EVX_PREFIX_KIND EVX_KIND_PASSAGE));
    if (req->clause && *req->clause)
        query = Xapian::Query (Xapian::Query::OP_FILTER, query,
                               Xapian::Query (std::string (EVX_PREFIX_CLAUSE)
                                              + std::to_string (edition) + ":" + req->clause));

    Xapian::Enquire enquire (*idx->db);
    enquire.set_query (query);
    // count exactly up to EVX_EXACT_TOTAL matches: Xapian's estimate with filters can
    // be far off, and a pager needs the total
    Xapian::MSet mset = enquire.get_mset (req->offset, req->limit, EVX_EXACT_TOTAL);
    res->total = mset.get_matches_estimated ();
    res->hits = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_hit_free);
    int rank = (int) req->offset;
    for (Xapian::MSetIterator it = mset.begin (); it != mset.end (); ++it) {
        std::string data = it.get_document ().get_data ();
        evx_hit *hit = g_new0 (evx_hit, 1);
        g_ptr_array_add (res->hits, hit);
        if (!evx_record_hit_read (data.data (), data.size (), hit, error))
            return false;
        hit->rank = ++rank;
        hit->score = it.get_weight ();
        std::string snippet = mset.snippet (hit->text, 240, stemmer (),
                                            Xapian::MSet::SNIPPET_BACKGROUND_MODEL
                                                | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                            "<mark>", "</mark>", "…");
        hit->snippet = g_strdup (snippet.c_str ());
    }
    return true;
}

evx_results *
evx_index_search (evx_index *idx, const evx_search_request *req, GError **error)
{
    evx_results *res = g_new0 (evx_results, 1);
    gboolean ok = guarded (error, idx->path.c_str (), [&] {
        // A reader stays at the revision it opened until reopen(): move it to the
        // latest commit (cheap when there is none).  A writer sees its own changes.
        if (!idx->wdb)
            idx->db->reopen ();
        for (int attempt = 0;; attempt++) {
            try {
                return run_search (idx, req, res, error);
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt >= MODIFIED_RETRIES)
                    throw;
                if (res->hits)
                    g_ptr_array_unref (res->hits);
                res->hits = nullptr;
                idx->db->reopen ();
            }
        }
    });
    if (!ok) {
        evx_results_free (res);
        return nullptr;
    }
    return res;
}

} // extern "C"
