// index.cc - the Xapian index behind the C API of index.h.
//
// The project's only C++ file.  Every exported function is wrapped in guarded(),
// which catches every exception and turns it into a GError: no exception ever
// crosses into C.

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

#include <glib/gstdio.h>

#include "index/index.h"
#include "index/record.h"
#include "index/schema.h"
#include "ingest/commitment.h"
#include "ingest/doctype.h"
#include "ingest/error.h"
#include "ingest/normalise.h"

// One line of a stub database file.
struct evx_shard {
    std::string name;       // as the stub writes it: "remote 10.0.0.2:33333"
    int line = 0;           // in the stub, from 1
    enum { LOCAL, TCP, PROG } kind = LOCAL;
    std::string path;       // LOCAL: the index folder (made absolute)
    std::string host;       // TCP
    unsigned port = 0;      // TCP
    std::string program;    // PROG
    std::string args;       // PROG
    bool answered = false;  // at the last (re)connection
    std::string spec;       // the shard of a store it holds ("1/2"), if recorded
    Xapian::Database db;    // the shard alone, when it answered
};

struct _evx_index {
    std::string path;
    Xapian::Database *db = nullptr;          // the reader (== wdb for a writer)
    Xapian::WritableDatabase *wdb = nullptr; // only for a writer
    bool stub = false;                       // opened from a stub database file
    std::vector<evx_shard> shards;           // a stub's shards
    evx_read_options opts = { 0, FALSE };
    double bm25_k1 = EVX_BM25_K1, bm25_b = EVX_BM25_B;   // evx_index_set_bm25()
};

namespace {

const int MODIFIED_RETRIES = 3;
// evx_index_check() reads the whole index: commits may overtake it more often
const int CHECK_RETRIES = 10;

// Sets *error from the exception being handled.  Call only inside a catch block.
void
set_error_from_current (GError **error, const char *path)
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        // Xapian says "Unable to get write lock on DIR: REASON"; only "already locked"
        // means another writer (exit 75, try again later): a lock file that cannot be
        // made (permissions, a file system mounted read-only) is an error to fix
        const std::string &msg = e.get_msg ();
        const std::string head = std::string ("Unable to get write lock on ") + path + ": ";
        const std::string reason = msg.compare (0, head.size (), head) == 0 ? msg.substr (head.size ())
                                                                           : msg;
        if (reason == "already locked")
            g_set_error (error, EVX_ERROR, EVX_ERROR_LOCKED,
                         "another process holds the index %s for writing", path);
        else
            g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot lock the index %s for writing: %s",
                         path, reason.c_str ());
    } catch (const Xapian::DatabaseNotFoundError &e) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NOT_FOUND, "no index at %s", path);
    } catch (const Xapian::DatabaseOpeningError &e) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NOT_FOUND, "cannot open the index %s: %s", path,
                     e.get_msg ().c_str ());
    } catch (const Xapian::QueryParserError &e) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_QUERY_SYNTAX, "query syntax: %s",
                     e.get_msg ().c_str ());
    } catch (const Xapian::Error &e) {
        // the system's reason, when Xapian has one ("No space left on device")
        std::string msg = std::string (e.get_type ()) + ": " + e.get_msg ();
        const char *why = e.get_error_string ();
        if (why && *why)
            msg += std::string (" (") + why + ")";
        g_set_error (error, EVX_ERROR, EVX_ERROR_INDEX, "%s", msg.c_str ());
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

// Whether clause @id is a sub-clause (at any depth) of one of @ids: "9.2.1" of "9.2".
bool
below_one_of (const char *id, char **ids)
{
    for (char **o = ids; o && *o; o++) {
        size_t n = strlen (*o);
        if (strncmp (id, *o, n) == 0 && id[n] == '.')
            return true;
    }
    return false;
}

// The clause terms (without prefix) of one passage: see schema.h.  Of the equivalents
// in the other edition, the most general only: 2012 9.2 corresponds to 2019 9.2, 9.2.1
// and 9.2.2 together, so a passage about 2012 9.2 is evidence for 2019 9.2, not for
// its audit programme (9.2.2) in particular.
std::set<std::string>
clause_terms (const evx_passage *p)
{
    std::set<std::string> out;
    for (guint j = 0; j < p->clauses->len; j++) {
        const evx_clause_tag *t = (const evx_clause_tag *) g_ptr_array_index (p->clauses, j);
        add_with_ancestors (out, t->edition, t->id);
        for (char **e = t->equivalents; e && *e; e++)
            if (!below_one_of (*e, t->equivalents))
                add_with_ancestors (out, t->edition == 2012 ? 2019 : 2012, *e);
    }
    return out;
}

// The EVX_PREFIX_PATH terms of a file at @path: evx_record_path_term() of the path as
// stored, and of the path normalised as queries are (evx_normalise_text(): NFKC, so a
// name with a ligature or a decomposed accent, written as the file system holds it,
// is found by path: as typed) when that differs.  Indexing and the query field path:
// (PathField) both use them.
std::vector<std::string>
path_terms (const char *path)
{
    gstr raw (evx_record_path_term (path));
    std::vector<std::string> terms { raw.str () };
    gstr normal (evx_normalise_text (path, -1, nullptr));
    if (strcmp (normal.s, path) != 0) {
        gstr term (evx_record_path_term (normal.s));
        terms.push_back (term.str ());
    }
    return terms;
}

// Writes (or replaces) the record document of one file, with its clause terms.
void
write_file_record (Xapian::WritableDatabase &w, const evx_file_record *rec,
                   const std::set<std::string> &clauses)
{
    gstr key (evx_record_file_key (rec->path));
    gstr data (evx_record_file_data (rec));
    std::string id_term = file_id_term (key.s);
    Xapian::Document f;
    f.add_boolean_term (id_term);
    f.add_boolean_term (EVX_PREFIX_KIND EVX_KIND_FILE);
    for (const std::string &t : path_terms (rec->path))
        f.add_boolean_term (t);
    if (rec->doc_type)
        f.add_boolean_term (std::string (EVX_PREFIX_DOCTYPE) + rec->doc_type);
    for (const std::string &c : clauses)
        f.add_boolean_term (EVX_PREFIX_DOCUMENT_CLAUSE + c);
    gstr stat (evx_record_file_stat_value (rec));
    f.add_value (EVX_SLOT_FILE_STAT, stat.str ());
    f.add_value (EVX_SLOT_FILE_PATH, rec->path);
    f.set_data (data.str ());
    w.replace_document (id_term, f);
}

// The clause terms (without prefix) of a stored file record.
std::set<std::string>
record_clauses (Xapian::Database &db, const std::string &id_term)
{
    std::set<std::string> clauses;
    Xapian::PostingIterator it = db.postlist_begin (id_term);
    if (it == db.postlist_end (id_term))
        return clauses;
    const std::string prefix (EVX_PREFIX_DOCUMENT_CLAUSE);
    Xapian::Document f = db.get_document (*it);
    for (Xapian::TermIterator t = f.termlist_begin (); t != f.termlist_end (); ++t) {
        t.skip_to (prefix);
        if (t == f.termlist_end () || (*t).compare (0, prefix.size (), prefix) != 0)
            break;
        clauses.insert ((*t).substr (prefix.size ()));
    }
    return clauses;
}

void
file_stat_free (gpointer data)
{
    evx_file_stat *st = (evx_file_stat *) data;
    g_free (st->sha256);
    g_free (st->mount_point);
    g_free (st);
}

struct JsonPassageId {
    std::string id;
};

// The id a moved passage gets: its page and number stay, the file key changes
// ("OLDKEY-3-2" becomes "NEWKEY-3-2").
JsonPassageId
passage_id_for (const std::string &data, const char *new_key)
{
    evx_hit *hit = g_new0 (evx_hit, 1);
    JsonPassageId out;
    GError *err = nullptr;
    if (evx_record_hit_read (data.data (), data.size (), hit, &err) && hit->passage) {
        const char *dash = strchr (hit->passage, '-');
        out.id = std::string (new_key) + (dash ? dash : "");
    } else {
        out.id = std::string (new_key) + "-0-0";
    }
    g_clear_error (&err);
    evx_hit_free (hit);
    return out;
}

// The party terms of @party (schema.h): each word of letters and digits, lower case and
// stemmed, under EVX_PREFIX_PARTY; words of 64 bytes or more are left out.  Indexing and
// the query field party:WORD both use it, so that "party:Suppliers" finds "the supplier".
std::vector<std::string>
party_terms (const char *party, const Xapian::Stem &stem)
{
    std::vector<std::string> terms;
    gstr lower (g_utf8_strdown (party, -1));
    std::string word;
    for (const char *q = lower.s;; q = g_utf8_next_char (q)) {
        gunichar ch = g_utf8_get_char (q);
        if (ch && g_unichar_isalnum (ch)) {
            word.append (q, g_utf8_next_char (q) - q);
            continue;
        }
        if (!word.empty () && word.size () < 64)
            terms.push_back (std::string (EVX_PREFIX_PARTY) + stem (word));
        word.clear ();
        if (!ch)
            break;
    }
    return terms;
}

// The commitment terms of a passage (schema.h).
void
add_commitment_terms (Xapian::Document &d, const evx_passage *p)
{
    if (p->commitments->len == 0)
        return;
    d.add_boolean_term (EVX_PREFIX_MODAL "any");
    Xapian::Stem stem = stemmer ();
    for (guint i = 0; i < p->commitments->len; i++) {
        const evx_commitment *c = (const evx_commitment *) g_ptr_array_index (p->commitments, i);
        d.add_boolean_term (std::string (EVX_PREFIX_MODAL) + evx_commitment_modal_key (c->modal));
        if (c->party) {
            for (const std::string &t : party_terms (c->party, stem))
                d.add_boolean_term (t);
        }
    }
}

// "YYYYMMDD" of a document: a certificate's issue date, else its metadata creation
// date; "" when neither is known.
std::string
document_date (const evx_document *doc)
{
    if (doc->certificate && doc->certificate->issued && strlen (doc->certificate->issued) == 10) {
        std::string iso (doc->certificate->issued);
        return iso.substr (0, 4) + iso.substr (5, 2) + iso.substr (8, 2);
    }
    if (doc->created <= 0)
        return "";
    GDateTime *t = g_date_time_new_from_unix_utc (doc->created);
    if (!t)
        return "";
    gstr s (g_date_time_format (t, "%Y%m%d"));
    g_date_time_unref (t);
    return s.str ();
}

bool
end_transaction_and_commit (Xapian::WritableDatabase *wdb)
{
    wdb->commit_transaction ();
    wdb->commit ();
    wdb->begin_transaction (false);
    return true;
}

// The file records' (path, stat) pairs from the two value streams into @files (path
// -> evx_file_stat).  Returns how many records have both slots; throws
// Xapian::UnimplementedError for a remote database (no value streams).
Xapian::doccount
list_file_slots (Xapian::Database &db, GHashTable *files)
{
    Xapian::ValueIterator path = db.valuestream_begin (EVX_SLOT_FILE_PATH);
    Xapian::ValueIterator stat = db.valuestream_begin (EVX_SLOT_FILE_STAT);
    const Xapian::ValueIterator end = db.valuestream_end (EVX_SLOT_FILE_PATH);
    const Xapian::ValueIterator stat_end = db.valuestream_end (EVX_SLOT_FILE_STAT);
    Xapian::doccount with_slots = 0;
    for (; path != end; ++path) {
        if (stat == stat_end)
            break;
        if (stat.get_docid () < path.get_docid ())
            stat.skip_to (path.get_docid ());
        if (stat == stat_end || stat.get_docid () != path.get_docid ())
            continue;
        evx_file_stat *st = g_new0 (evx_file_stat, 1);
        if (!evx_record_file_stat_parse ((*stat).c_str (), st)) {
            g_free (st);
            continue;
        }
        g_hash_table_replace (files, g_strdup ((*path).c_str ()), st);
        with_slots++;
    }
    return with_slots;
}

// EVX_SLOT_ORDER of the passage numbered @n (from 0) of the file at @path: the 8 bytes
// of its file key (evx_record_file_key(), 16 hex digits), then @n (4 bytes, big-endian).
std::string
order_value (const char *path, guint32 n)
{
    gstr key (evx_record_file_key (path));
    std::string v;
    for (int i = 0; i + 1 < 16 && key.s[i] && key.s[i + 1]; i += 2)
        v += (char) ((g_ascii_xdigit_value (key.s[i]) << 4) | g_ascii_xdigit_value (key.s[i + 1]));
    for (int shift = 24; shift >= 0; shift -= 8)
        v += (char) ((n >> shift) & 0xff);
    return v;
}

} // namespace

namespace {

// The Xapian documents of @doc's passages, one by one, to @add; the file-level clause
// terms to @file_clauses.  doc->path is the path the index names the file by.
template <typename Add>
void
build_passages (const evx_document *doc, std::set<std::string> &file_clauses, Add add)
{
    gstr key (evx_record_file_key (doc->path));
    const std::vector<std::string> paths = path_terms (doc->path);
    Xapian::TermGenerator tg;
    tg.set_stemmer (stemmer ());
    tg.set_stemming_strategy (Xapian::TermGenerator::STEM_SOME);
    int page = -1;
    guint n_on_page = 0;
    const std::string date = document_date (doc);
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
        for (const std::string &t : paths)
            d.add_boolean_term (t);
        if (doc->mime_type)
            d.add_boolean_term (std::string (EVX_PREFIX_MIME) + doc->mime_type);
        d.add_boolean_term (std::string (EVX_PREFIX_DOCTYPE) + evx_doctype_name ((evx_doctype) doc->doc_type));
        d.add_boolean_term (std::string (EVX_PREFIX_EDITION) + std::to_string (doc->edition));
        add_commitment_terms (d, p);
        if (!date.empty ())
            d.add_value (EVX_SLOT_DATE, date);
        for (const std::string &c : clause_terms (p)) {
            d.add_boolean_term (EVX_PREFIX_CLAUSE + c);
            file_clauses.insert (c);
        }
        d.add_value (EVX_SLOT_PAGE, Xapian::sortable_serialise (p->page));
        d.add_value (EVX_SLOT_ORDER, order_value (doc->path, i));
        d.set_data (data.str ());
        add (d);
    }
}

// Writes the file record of a file whose @n_passages passages were just added.
void
finish_file (Xapian::WritableDatabase &w, const evx_document *doc, const evx_file_record *rec,
             guint n_passages, const std::set<std::string> &file_clauses)
{
    evx_file_record stored = *rec;
    stored.passages = n_passages;
    stored.doc_type = (char *) evx_doctype_name ((evx_doctype) doc->doc_type);
    stored.certificate = doc->certificate;
    stored.edition = doc->edition;
    write_file_record (w, &stored, file_clauses);
}

// The encoded form of a file's passages (evx_index_encode_passages): a magic line, the
// file-level clause terms, then the serialised documents, each string preceded by its
// length (4 bytes, little-endian).
const char ENCODED_MAGIC[] = "evidex-passages-1\n";

void
put_string (std::string &out, const std::string &s)
{
    guint32 n = GUINT32_TO_LE ((guint32) s.size ());
    out.append ((const char *) &n, sizeof n);
    out.append (s);
}

// Reads the next string of @in at @at; false when there is none or it is cut short.
bool
get_string (const std::string &in, std::string::size_type &at, std::string &s)
{
    guint32 n;
    if (in.size () - at < sizeof n)
        return false;
    memcpy (&n, in.data () + at, sizeof n);
    n = GUINT32_FROM_LE (n);
    at += sizeof n;
    if (in.size () - at < n)
        return false;
    s.assign (in, at, n);
    at += n;
    return true;
}

// TRUE when @term is in @d.
bool
has_term (const Xapian::Document &d, const std::string &term)
{
    Xapian::TermIterator t = d.termlist_begin ();
    t.skip_to (term);
    return t != d.termlist_end () && *t == term;
}

// TRUE when @data is a passage's stored data that a search can read back, naming the
// file @path (any file when NULL); else FALSE with @error when @data cannot be read.
bool
passage_data_ok (const std::string &data, const char *path, GError **error)
{
    evx_hit *hit = g_new0 (evx_hit, 1);
    bool ok = evx_record_hit_read (data.data (), data.size (), hit, error)
              && (!path || g_strcmp0 (hit->path, path) == 0);
    evx_hit_free (hit);
    return ok;
}

// A clause term as build_passages makes them: "2019:8.2.2" (edition, then dotted digits).
bool
clause_term_ok (const std::string &c)
{
    if (c.size () < 6 || c.size () > 40 || (c.compare (0, 5, "2019:") != 0 && c.compare (0, 5, "2012:") != 0))
        return false;
    for (std::string::size_type i = 5; i < c.size (); i++)
        if (!g_ascii_isdigit (c[i]) && c[i] != '.')
            return false;
    return true;
}

}  // namespace

namespace {

// The largest stub database file read: a line per shard, so a few kilobytes in practice.
const goffset STUB_MAX_BYTES = 1 << 20;

bool
stub_invalid (GError **error, const char *stub, int line, const char *why)
{
    if (line > 0)
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "%s:%d: %s", stub, line, why);
    else
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "%s: %s", stub, why);
    return false;
}

// Reads the shards of the stub database file @stub (the format Xapian's stub backend
// reads; see index.h).
bool
parse_stub (const char *stub, std::vector<evx_shard> &out, GError **error)
{
    GStatBuf st;
    if (g_stat (stub, &st) != 0 || st.st_size > STUB_MAX_BYTES)
        return stub_invalid (error, stub, 0, "not a stub database file (larger than 1 MiB)");
    char *contents = nullptr;
    gsize len = 0;
    GError *ioerr = nullptr;
    if (!g_file_get_contents (stub, &contents, &len, &ioerr)) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot read %s: %s", stub, ioerr->message);
        g_error_free (ioerr);
        return false;
    }
    gstr text (contents);
    if (memchr (contents, '\0', len) || !g_utf8_validate (contents, (gssize) len, nullptr))
        return stub_invalid (error, stub, 0, "not a stub database file (not text)");
    gstr stub_dir (g_path_get_dirname (stub));
    gstr dir (g_canonicalize_filename (stub_dir.s, nullptr));   // absolute: the shards' base
    const char *start = g_str_has_prefix (contents, "\xef\xbb\xbf") ? contents + 3 : contents;   // a BOM
    gchar **lines = g_strsplit (start, "\n", -1);
    bool ok = true;
    for (int i = 0; lines[i] && ok; i++) {
        char *line = g_strstrip (lines[i]);
        if (!*line || *line == '#')
            continue;
        evx_shard s;
        s.line = i + 1;
        s.name = line;
        char *rest = line + strcspn (line, " \t");
        if (*rest)
            *rest++ = '\0';
        rest = g_strchug (rest);
        const std::string type (line);
        if (!*rest) {
            ok = stub_invalid (error, stub, s.line, ("'" + type + "' names no shard").c_str ());
        } else if (type == "auto" || type == "glass" || type == "chert") {
            s.kind = evx_shard::LOCAL;
            gstr abs (g_canonicalize_filename (rest, dir.s));   // "./a" and "a" are one shard
            s.path = abs.str ();
            // a stub naming a stub would be opened by Xapian without evidex's checks and
            // timeouts (and one naming itself, forever): the stub is wrong, whatever
            // --partial says
            if (g_file_test (s.path.c_str (), G_FILE_TEST_IS_REGULAR))
                ok = stub_invalid (error, stub, s.line,
                                   (s.path + " is a file, not an index folder (a stub lists index "
                                             "folders and remote shards, not another stub: list "
                                             "its shards here)").c_str ());
        } else if (type == "remote" && rest[0] == ':') {
            s.kind = evx_shard::PROG;   // "remote :ssh host xapian-progsrv /srv/shard1"
            char *args = rest + 1 + strcspn (rest + 1, " \t");
            s.program = std::string (rest + 1, (size_t) (args - rest - 1));
            s.args = g_strchug (args);
            if (s.program.empty ())
                ok = stub_invalid (error, stub, s.line, "'remote :' names no program");
        } else if (type == "remote") {
            s.kind = evx_shard::TCP;    // "remote HOST:PORT" (Xapian 1.4 connects over IPv4)
            const char *colon = strrchr (rest, ':');
            guint64 port = 0;
            if (!colon || colon == rest
                || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, nullptr)) {
                ok = stub_invalid (error, stub, s.line,
                                   "a remote shard is written 'remote HOST:PORT' (port 1 to 65535)");
            } else {
                s.host.assign (rest, (size_t) (colon - rest));
                s.port = (unsigned) port;
            }
        } else {
            ok = stub_invalid (error, stub, s.line,
                               ("unknown shard type '" + type
                                + "' (expected auto, glass, chert or remote)").c_str ());
        }
        for (const evx_shard &o : out) {
            bool same = ok && o.kind == s.kind
                        && (s.kind == evx_shard::LOCAL ? o.path == s.path
                            : s.kind == evx_shard::TCP ? o.host == s.host && o.port == s.port
                                                       : o.program == s.program && o.args == s.args);
            if (same)
                ok = stub_invalid (error, stub, s.line,
                                   ("names the shard of line " + std::to_string (o.line)
                                    + " again (its passages would count twice)").c_str ());
        }
        if (ok)
            out.push_back (s);
    }
    g_strfreev (lines);
    if (ok && out.empty ())
        ok = stub_invalid (error, stub, 0, "names no shard (expected lines such as 'auto PATH' "
                                           "or 'remote HOST:PORT')");
    return ok;
}

// Opens one shard; throws what Xapian throws.
Xapian::Database
open_shard (const evx_shard &s, double timeout_s)
{
    // at least 1 ms: 0 would mean no timeout to Xapian
    unsigned ms = (unsigned) MAX (1.0, ceil (timeout_s * 1000.0));
    switch (s.kind) {
    case evx_shard::TCP:
        return Xapian::Remote::open (s.host, s.port, ms, ms);
    case evx_shard::PROG:
        return Xapian::Remote::open (s.program, s.args, ms);
    case evx_shard::LOCAL:
    default:
        // (parse_stub() refused a stub naming a stub)
        if (!g_file_test (s.path.c_str (), G_FILE_TEST_EXISTS))
            throw Xapian::DatabaseNotFoundError ("no index at " + s.path);
        return Xapian::Database (s.path);
    }
}

// (Re)opens every shard of a stub and makes the ones that answer idx->db.  Fails,
// naming each shard that did not answer, unless the options allow partial results
// and at least one did.
bool
connect_shards (evx_index *idx, GError **error)
{
    double timeout = idx->opts.timeout_s > 0 ? idx->opts.timeout_s : EVX_REMOTE_TIMEOUT_S;
    std::unique_ptr<Xapian::Database> db (new Xapian::Database ());
    std::string missing;
    guint n_missing = 0;
    for (evx_shard &s : idx->shards) {
        try {
            Xapian::Database one = open_shard (s, timeout);
            s.spec = one.get_metadata (EVX_METADATA_SHARD);
            db->add_database (one);
            s.db = one;
            s.answered = true;
        } catch (const Xapian::Error &e) {
            s.answered = false;
            n_missing++;
            const char *why = e.get_error_string ();   // the system's reason, if any
            gchar *one = g_strdup_printf ("%sshard '%s' (line %d of %s) did not answer: %s%s%s",
                                          missing.empty () ? "" : "; ", s.name.c_str (), s.line,
                                          idx->path.c_str (), e.get_msg ().c_str (),
                                          why ? ": " : "", why ? why : "");
            missing += one;
            g_free (one);
        }
    }
    // two lines that hold the same shard of a store (as recorded by ingest --shard)
    // would count its passages twice
    std::map<std::string, int> held;
    const evx_shard *first_sharded = nullptr;
    for (const evx_shard &s : idx->shards) {
        if (!s.answered || s.spec.empty ())
            continue;
        // shards of one cut (K/N) all have the same N; another N is another cut of
        // the same files, most likely, whose passages would count twice
        const std::string n = s.spec.substr (s.spec.find ('/') + 1);
        if (!first_sharded)
            first_sharded = &s;
        else if (n != first_sharded->spec.substr (first_sharded->spec.find ('/') + 1)) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                         "%s: line %d holds shard %s and line %d shard %s: shards of two "
                         "different cuts (their files would count twice)",
                         idx->path.c_str (), first_sharded->line, first_sharded->spec.c_str (),
                         s.line, s.spec.c_str ());
            return false;
        }
        auto seen = held.emplace (s.spec, s.line);
        if (!seen.second) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                         "%s: lines %d and %d both hold shard %s of a store (its passages would "
                         "count twice)",
                         idx->path.c_str (), seen.first->second, s.line, s.spec.c_str ());
            return false;
        }
    }
    if (n_missing > 0 && (!idx->opts.partial || n_missing == idx->shards.size ())) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_SHARD, "%s%s", missing.c_str (),
                     n_missing == idx->shards.size () ? " (no shard answered)"
                                                     : " (--partial searches the others)");
        return false;
    }
    delete idx->db;
    idx->db = db.release ();
    return true;
}

// A reader of one folder moves to the latest commit (cheap when there is none); a
// stub's reader stays at the revisions it opened (a command's lifetime), which saves
// a round trip per remote shard and call.
void
maybe_reopen (evx_index *idx)
{
    if (!idx->wdb && !idx->stub)
        idx->db->reopen ();
}

// guarded() for reads: when a shard of a stub stops answering (Xapian::NetworkError),
// every shard is opened again, which names the ones that do not answer; with
// evx_read_options.partial, @body runs once more on the others.  @body must start
// from scratch (clear what it fills).
template <class F>
gboolean
guarded_read (evx_index *idx, GError **error, F body)
{
    return guarded (error, idx->path.c_str (), [&] {
        for (int attempt = 0;; attempt++) {
            try {
                return body ();
            } catch (const Xapian::NetworkError &) {
                if (!idx->stub || attempt >= 1)
                    throw;
                if (!connect_shards (idx, error))
                    return false;
            }
        }
    });
}

} // namespace

extern "C" {

// Whether @path is a folder with nothing in it (but the lost+found of a file system
// made for the index).
static bool
is_empty_folder (const char *path)
{
    GDir *dir = g_dir_open (path, 0, nullptr);
    if (!dir)
        return false;
    const char *name;
    while ((name = g_dir_read_name (dir)) && strcmp (name, "lost+found") == 0) {
    }
    g_dir_close (dir);
    return name == nullptr;
}

// Whether @path holds a Xapian database (of any backend: the files it names itself by),
// or the start of one: the lock file is made first, so a first ingest killed before
// the database was whole left it.
static bool
is_xapian_folder (const char *path)
{
    static const char *const marks[] = { "iamglass", "iamchert", "iamhoney", "iamflint", "flintlock" };
    for (const char *mark : marks) {
        gstr file (g_build_filename (path, mark, nullptr));
        if (g_file_test (file.s, G_FILE_TEST_EXISTS))
            return true;
    }
    return false;
}

// A first ingest killed while Xapian was creating the database leaves its table files
// without the version file (iamglass) that a database is opened by; Xapian then refuses
// the folder ("Failed to open glass revision file").  Nothing was ever committed there:
// those files are removed so that the database is created anew.  Only a folder holding
// nothing but Xapian's table and lock files is touched.
static void
remove_unfinished_database (const char *path)
{
    gstr version (g_build_filename (path, "iamglass", nullptr));
    GDir *dir = g_dir_open (path, 0, nullptr);
    if (!dir || g_file_test (version.s, G_FILE_TEST_EXISTS)) {
        if (dir)
            g_dir_close (dir);
        return;
    }
    std::vector<std::string> files;
    bool only_xapian = true;
    for (const char *name; only_xapian && (name = g_dir_read_name (dir));) {
        only_xapian = strcmp (name, "flintlock") == 0 || g_str_has_suffix (name, ".glass")
                      || g_str_has_suffix (name, ".tmp");
        files.emplace_back (name);
    }
    g_dir_close (dir);
    for (const std::string &name : files) {
        if (!only_xapian || name == "flintlock")
            continue;
        gstr file (g_build_filename (path, name.c_str (), nullptr));
        g_unlink (file.s);
    }
}

// TRUE (with @error set) when @db holds documents but none that evidex writes (every
// passage and file record has an EVX_PREFIX_KIND term): another program's index, which
// ingest would write into and whose documents search cannot read.
static bool
is_foreign (Xapian::Database &db, const char *path, GError **error)
{
    const Xapian::doccount n = db.get_doccount ();
    if (n == 0) {
        // no documents: foreign when it holds metadata, none of it evidex's
        bool other = false;
        for (Xapian::TermIterator k = db.metadata_keys_begin (); k != db.metadata_keys_end (); ++k) {
            if ((*k).compare (0, 7, "evidex.") == 0)
                return false;
            other = true;
        }
        if (!other)
            return false;
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                     "%s is a Xapian index that evidex did not make (its metadata is another "
                     "program's): give evidex a folder of its own",
                     path);
        return true;
    }
    if (db.get_termfreq (EVX_PREFIX_KIND EVX_KIND_PASSAGE) > 0
        || db.get_termfreq (EVX_PREFIX_KIND EVX_KIND_FILE) > 0)
        return false;
    g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                 "%s is a Xapian index that evidex did not make (none of its %u documents is "
                 "an evidex passage or file record): give evidex a folder of its own",
                 path, (unsigned) n);
    return true;
}

evx_index *
evx_index_open (const char *path, evx_index_mode mode, GError **error)
{
    evx_index *idx = nullptr;
    gboolean ok = guarded (error, path, [&] {
        idx = new evx_index;
        idx->path = path;
        if (g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
            if (mode == EVX_INDEX_READ)
                g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                             "%s is a file, not an index folder (a stub database file is read by "
                             "search, clauses, certs, show and stats; check each shard's folder)",
                             path);
            else
                g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                             "%s is a file, not an index folder (ingest and refresh write one "
                             "shard's folder: --db FOLDER --shard K/N)",
                             path);
            return false;
        }
        if (mode == EVX_INDEX_UPDATE) {
            if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
                g_set_error (error, EVX_ERROR, EVX_ERROR_NOT_FOUND,
                             "no index at %s (run 'evidex ingest' first)", path);
                return false;
            }
            idx->wdb = new Xapian::WritableDatabase (path, Xapian::DB_OPEN);
            idx->db = idx->wdb;
            idx->wdb->begin_transaction (false);
        } else if (mode == EVX_INDEX_WRITE) {
            if (g_mkdir_with_parents (path, 0700) != 0) {
                int err = errno;
                g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot create the index folder %s: %s",
                             path, g_strerror (err));
                return false;
            }
            if (!is_empty_folder (path) && !is_xapian_folder (path)) {
                g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                             "%s holds other files and is no index: --db must be an evidex index, "
                             "or a new or empty folder",
                             path);
                return false;
            }
            remove_unfinished_database (path);
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
        return !is_foreign (*idx->db, path, error);
    });
    if (!ok) {
        evx_index_close (idx);
        return nullptr;
    }
    return idx;
}

evx_index *
evx_index_open_read (const char *path, const evx_read_options *opts, GError **error)
{
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return evx_index_open (path, EVX_INDEX_READ, error);
    evx_index *idx = nullptr;
    gboolean ok = guarded (error, path, [&] {
        idx = new evx_index;
        idx->path = path;
        idx->stub = true;
        if (opts)
            idx->opts = *opts;
        return parse_stub (path, idx->shards, error) && connect_shards (idx, error);
    });
    if (!ok) {
        evx_index_close (idx);
        return nullptr;
    }
    return idx;
}

guint
evx_index_shard_count (evx_index *idx)
{
    return idx->stub ? (guint) idx->shards.size () : 1;
}

char **
evx_index_missing_shards (evx_index *idx)
{
    GStrvBuilder *b = g_strv_builder_new ();
    for (const evx_shard &s : idx->shards)
        if (!s.answered)
            g_strv_builder_add (b, s.name.c_str ());
    char **out = g_strv_builder_end (b);
    g_strv_builder_unref (b);
    return out;
}

char **
evx_index_local_folders (evx_index *idx)
{
    GStrvBuilder *b = g_strv_builder_new ();
    if (!idx->stub)
        g_strv_builder_add (b, idx->path.c_str ());
    for (const evx_shard &s : idx->shards)
        if (s.answered && s.kind == evx_shard::LOCAL)
            g_strv_builder_add (b, s.path.c_str ());
    char **out = g_strv_builder_end (b);
    g_strv_builder_unref (b);
    return out;
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
    return guarded_read (idx, error, [&] {
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
        w.delete_document (EVX_PREFIX_FILE + key.str ());
        std::set<std::string> file_clauses;
        build_passages (doc, file_clauses, [&] (Xapian::Document &d) {
            // the file's old passages went above: its passage ids are free, and adding
            // is much cheaper than replacing by term (no lookup in the pending changes)
            w.add_document (d);
        });
        finish_file (w, doc, rec, doc->passages->len, file_clauses);
        return true;
    });
}

GBytes *
evx_index_encode_passages (const evx_document *doc, GError **error)
{
    std::string out;
    gboolean ok = guarded (error, doc->path, [&] {
        std::set<std::string> file_clauses;
        std::string docs;
        guint32 n = 0;
        build_passages (doc, file_clauses, [&] (Xapian::Document &d) {
            put_string (docs, d.serialise ());
            n++;
        });
        out.append (ENCODED_MAGIC);
        put_string (out, std::to_string (file_clauses.size ()));
        for (const std::string &c : file_clauses)
            put_string (out, c);
        put_string (out, std::to_string (n));
        out.append (docs);
        return true;
    });
    return ok ? g_bytes_new (out.data (), out.size ()) : NULL;
}

gboolean
evx_index_put_encoded (evx_index *idx, const evx_document *doc, GBytes *passages,
                       const evx_file_record *rec, guint *n_passages, GError **error)
{
    gsize len = 0;
    const char *data = (const char *) g_bytes_get_data (passages, &len);
    const std::string in (data ? data : "", len);
    auto invalid = [&] (const char *why) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "invalid encoded passages: %s", why);
        return FALSE;
    };
    if (in.compare (0, sizeof ENCODED_MAGIC - 1, ENCODED_MAGIC) != 0)
        return invalid ("no magic line");
    std::string::size_type at = sizeof ENCODED_MAGIC - 1;
    std::string s;
    std::set<std::string> file_clauses;
    if (!get_string (in, at, s))
        return invalid ("no clause count");
    guint64 n_clauses = g_ascii_strtoull (s.c_str (), NULL, 10);
    for (guint64 i = 0; i < n_clauses; i++) {
        if (!get_string (in, at, s) || !clause_term_ok (s))
            return invalid ("a clause term is malformed");
        file_clauses.insert (s);
    }
    if (!get_string (in, at, s))
        return invalid ("no passage count");
    guint64 n = g_ascii_strtoull (s.c_str (), NULL, 10);
    if (n > (guint64) G_MAXUINT32)
        return invalid ("too many passages");
    return guarded (error, idx->path.c_str (), [&] {
        Xapian::WritableDatabase &w = *idx->wdb;
        gstr key (evx_record_file_key (rec->path));
        const std::string file_term = EVX_PREFIX_FILE + key.str ();
        const std::string file_kind = EVX_PREFIX_KIND EVX_KIND_FILE;
        // all checked before anything changes: a refused file leaves the index as it was
        std::vector<Xapian::Document> docs;
        for (guint64 i = 0; i < n; i++) {
            std::string one;
            if (!get_string (in, at, one)) {
                g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "invalid encoded passages: cut short");
                return false;
            }
            Xapian::Document d;
            try {
                d = Xapian::Document::unserialise (one);
            } catch (const Xapian::SerialisationError &e) {
                g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "invalid encoded passages: %s",
                             e.get_msg ().c_str ());
                return false;
            }
            // a worker may add passages of its own file only, never a file record, and
            // only stored data that a search can read back
            if (!has_term (d, file_term) || has_term (d, file_kind)) {
                g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                             "invalid encoded passages: a passage of another file");
                return false;
            }
            if (!passage_data_ok (d.get_data (), rec->path, NULL)) {
                g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                             "invalid encoded passages: stored data that cannot be read back");
                return false;
            }
            docs.push_back (d);
        }
        if (at != in.size ()) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "invalid encoded passages: trailing bytes");
            return false;
        }
        w.delete_document (file_term);
        for (Xapian::Document &d : docs)
            w.add_document (d);
        finish_file (w, doc, rec, (guint) n, file_clauses);
        if (n_passages)
            *n_passages = (guint) n;
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
        gstr stat (evx_record_file_stat_value (&stored));
        f.add_value (EVX_SLOT_FILE_STAT, stat.str ());
        f.add_value (EVX_SLOT_FILE_PATH, stored.path);
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
evx_index_put_problem (evx_index *idx, const evx_file_record *rec, GError **error)
{
    return guarded (error, idx->path.c_str (), [&] {
        gstr key (evx_record_file_key (rec->path));
        idx->wdb->delete_document (EVX_PREFIX_FILE + key.str ());
        evx_file_record stored = *rec;
        stored.passages = 0;
        write_file_record (*idx->wdb, &stored, std::set<std::string> ());
        return true;
    });
}

gboolean
evx_index_move_file (evx_index *idx, const char *from, const evx_file_record *rec, GError **error)
{
    evx_file_record *old = nullptr;
    if (!evx_index_get_file (idx, from, &old, error))
        return FALSE;
    if (!old) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NOT_FOUND, "%s has no record in the index", from);
        return FALSE;
    }
    evx_file_record stored = *rec;
    stored.passages = old->passages;
    gboolean ok = guarded (error, idx->path.c_str (), [&] {
        Xapian::WritableDatabase &w = *idx->wdb;
        gstr old_key (evx_record_file_key (from));
        gstr new_key (evx_record_file_key (rec->path));
        const std::vector<std::string> new_paths = path_terms (rec->path);
        const std::string old_file_term = EVX_PREFIX_FILE + old_key.str ();
        std::vector<Xapian::docid> ids;
        for (Xapian::PostingIterator it = w.postlist_begin (old_file_term);
             it != w.postlist_end (old_file_term); ++it)
            ids.push_back (*it);
        w.delete_document (EVX_PREFIX_FILE + new_key.str ());   // whatever the new path had
        for (Xapian::docid id : ids) {
            Xapian::Document d = w.get_document (id);
            Xapian::Document n;
            // every term but the ones naming the file, with its positions
            for (Xapian::TermIterator t = d.termlist_begin (); t != d.termlist_end (); ++t) {
                const std::string &term = *t;
                if (term.compare (0, 1, EVX_PREFIX_ID) == 0 || term.compare (0, 1, EVX_PREFIX_PATH) == 0
                    || term.compare (0, 2, EVX_PREFIX_FILE) == 0)
                    continue;
                bool positioned = false;
                for (Xapian::PositionIterator p = t.positionlist_begin (); p != t.positionlist_end ();
                     ++p) {
                    n.add_posting (term, *p);
                    positioned = true;
                }
                if (!positioned) {
                    if (t.get_wdf () > 0)
                        n.add_term (term, t.get_wdf ());
                    else
                        n.add_boolean_term (term);
                }
            }
            for (Xapian::ValueIterator v = d.values_begin (); v != d.values_end (); ++v)
                n.add_value (v.get_valueno (), *v);
            // the same place in the file, under the new path's key
            const std::string order = d.get_value (EVX_SLOT_ORDER);
            if (order.size () == 12) {
                guint32 place = 0;
                for (int i = 8; i < 12; i++)
                    place = (place << 8) | (guchar) order[i];
                n.add_value (EVX_SLOT_ORDER, order_value (rec->path, place));
            }
            std::string data = d.get_data ();
            JsonPassageId pid = passage_id_for (data, new_key.s);
            GError *rerr = nullptr;
            gstr moved (evx_record_passage_retarget (data.data (), data.size (), rec->path,
                                                     pid.id.c_str (), &rerr));
            if (!moved.s) {
                g_propagate_error (error, rerr);
                return false;
            }
            n.add_boolean_term (EVX_PREFIX_ID + pid.id);
            n.add_boolean_term (EVX_PREFIX_FILE + new_key.str ());
            for (const std::string &t : new_paths)
                n.add_boolean_term (t);
            n.set_data (moved.str ());
            w.delete_document (id);
            w.replace_document (EVX_PREFIX_ID + pid.id, n);
        }
        std::string old_id_term = file_id_term (old_key.s);
        std::set<std::string> clauses = record_clauses (w, old_id_term);
        w.delete_document (old_id_term);
        write_file_record (w, &stored, clauses);
        return true;
    });
    evx_file_record_free (old);
    return ok;
}

gboolean
evx_index_list_files (evx_index *idx, GHashTable **out, GError **error)
{
    *out = nullptr;
    GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, file_stat_free);
    gboolean ok = guarded_read (idx, error, [&] {
        g_hash_table_remove_all (files);
        maybe_reopen (idx);
        // Only file records have the two slots: walk both value streams side by side
        // (sequential reads, no document fetched).  A remote shard has no value
        // streams: then every record is read.
        Xapian::doccount with_slots = 0;
        bool streams = true;
        try {
            with_slots = list_file_slots (*idx->db, files);
        } catch (const Xapian::UnimplementedError &) {
            streams = false;
            g_hash_table_remove_all (files);
        }
        if (streams && with_slots == idx->db->get_termfreq (EVX_PREFIX_KIND EVX_KIND_FILE))
            return true;
        // records written before the slots existed, or all of them: read them
        const std::string kind (EVX_PREFIX_KIND EVX_KIND_FILE);
        for (Xapian::PostingIterator it = idx->db->postlist_begin (kind);
             it != idx->db->postlist_end (kind); ++it) {
            Xapian::Document f = idx->db->get_document (*it);
            const std::string path = f.get_value (EVX_SLOT_FILE_PATH);
            if (streams && !path.empty ())
                continue;   // read from the streams already
            // the slots of this record, when it has them (times in nanoseconds)
            evx_file_stat *st = g_new0 (evx_file_stat, 1);
            const std::string slot = f.get_value (EVX_SLOT_FILE_STAT);
            if (!path.empty () && !slot.empty () && evx_record_file_stat_parse (slot.c_str (), st)) {
                g_hash_table_replace (files, g_strdup (path.c_str ()), st);
                continue;
            }
            std::string data = f.get_data ();
            evx_file_record *rec = evx_record_file_read (data.data (), data.size (), error);
            if (!rec) {
                g_free (st);
                return false;
            }
            *st = evx_file_stat { rec->size, -1, -1, rec->status, g_strdup (rec->sha256), rec->dev,
                                 g_strdup (rec->mount_point) };
            g_hash_table_replace (files, g_strdup (rec->path), st);
            evx_file_record_free (rec);
        }
        return true;
    });
    if (!ok) {
        g_hash_table_unref (files);
        return FALSE;
    }
    *out = files;
    return TRUE;
}

gboolean
evx_index_list_records (evx_index *idx, const char *doc_type, GPtrArray **out, GError **error)
{
    *out = nullptr;
    GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_file_record_free);
    gboolean ok = guarded_read (idx, error, [&] {
        g_ptr_array_set_size (records, 0);
        maybe_reopen (idx);
        Xapian::Query q (Xapian::Query::OP_FILTER, Xapian::Query (EVX_PREFIX_KIND EVX_KIND_FILE),
                         Xapian::Query (std::string (EVX_PREFIX_DOCTYPE) + doc_type));
        Xapian::Enquire enquire (*idx->db);
        enquire.set_query (q);
        enquire.set_weighting_scheme (Xapian::BoolWeight ());
        Xapian::MSet mset = enquire.get_mset (0, idx->db->get_doccount ());
        for (Xapian::MSetIterator it = mset.begin (); it != mset.end (); ++it) {
            std::string data = it.get_document ().get_data ();
            evx_file_record *rec = evx_record_file_read (data.data (), data.size (), error);
            if (!rec)
                return false;
            g_ptr_array_add (records, rec);
        }
        return true;
    });
    if (!ok) {
        g_ptr_array_unref (records);
        return FALSE;
    }
    *out = records;
    return TRUE;
}

gboolean
evx_index_file_passages (evx_index *idx, const char *path, GPtrArray **out, GError **error)
{
    *out = nullptr;
    GPtrArray *hits = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_hit_free);
    gboolean ok = guarded_read (idx, error, [&] {
        g_ptr_array_set_size (hits, 0);
        maybe_reopen (idx);
        gstr key (evx_record_file_key (path));
        const std::string term = EVX_PREFIX_FILE + key.str ();
        for (Xapian::PostingIterator it = idx->db->postlist_begin (term);
             it != idx->db->postlist_end (term); ++it) {
            std::string data = idx->db->get_document (*it).get_data ();
            evx_hit *hit = g_new0 (evx_hit, 1);
            g_ptr_array_add (hits, hit);
            if (!evx_record_hit_read (data.data (), data.size (), hit, error))
                return false;
        }
        return true;
    });
    if (!ok) {
        g_ptr_array_unref (hits);
        return FALSE;
    }
    *out = hits;
    return TRUE;
}

char *
evx_index_get_metadata (evx_index *idx, const char *key)
{
    std::string value;
    if (!guarded (nullptr, idx->path.c_str (), [&] {
            value = idx->db->get_metadata (key);
            return true;
        }))
        return nullptr;
    return value.empty () ? nullptr : g_strdup (value.c_str ());
}

char **
evx_index_get_metadata_each (evx_index *idx, const char *key)
{
    GStrvBuilder *b = g_strv_builder_new ();
    if (!idx->stub) {
        gstr one (evx_index_get_metadata (idx, key));
        g_strv_builder_add (b, one.s ? one.s : "");
    }
    for (evx_shard &s : idx->shards) {
        if (!s.answered)
            continue;
        std::string value;
        if (guarded (nullptr, idx->path.c_str (), [&] {
                value = s.db.get_metadata (key);
                return true;
            }))
            g_strv_builder_add (b, value.c_str ());
    }
    char **out = g_strv_builder_end (b);
    g_strv_builder_unref (b);
    return out;
}

gboolean
evx_index_set_metadata (evx_index *idx, const char *key, const char *value, GError **error)
{
    return guarded (error, idx->path.c_str (), [&] {
        idx->wdb->set_metadata (key, value);
        return true;
    });
}

gboolean
evx_index_get_roots (evx_index *idx, char ***out, GError **error)
{
    *out = nullptr;
    std::string value;
    gboolean ok = guarded (error, idx->path.c_str (), [&] {
        value = idx->db->get_metadata (EVX_METADATA_ROOTS);
        return true;
    });
    if (!ok)
        return FALSE;
    *out = evx_record_roots_read (value.c_str (), error);
    return *out != nullptr;
}

gboolean
evx_index_add_roots (evx_index *idx, const char *const *roots, GError **error)
{
    char **old = nullptr;
    if (!evx_index_get_roots (idx, &old, error))
        return FALSE;
    gstr value (evx_record_roots_merge ((const char *const *) old, roots));
    g_strfreev (old);
    return guarded (error, idx->path.c_str (), [&] {
        idx->wdb->set_metadata (EVX_METADATA_ROOTS, value.str ());
        return true;
    });
}

gboolean
evx_index_forget_root (evx_index *idx, const char *root, GError **error)
{
    char **old = nullptr;
    if (!evx_index_get_roots (idx, &old, error))
        return FALSE;
    GPtrArray *rest = g_ptr_array_new ();
    for (guint i = 0; old[i]; i++)
        if (strcmp (old[i], root) != 0)
            g_ptr_array_add (rest, old[i]);
    gboolean found = rest->len < g_strv_length (old);
    g_ptr_array_add (rest, nullptr);
    // the roots left, encoded as evx_index_add_roots() stores them
    gstr value (found ? evx_record_roots_merge ((const char *const *) rest->pdata, nullptr) : nullptr);
    g_ptr_array_free (rest, TRUE);
    g_strfreev (old);
    if (!found) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NOT_FOUND, "%s is not a recorded root", root);
        return FALSE;
    }
    return guarded (error, idx->path.c_str (), [&] {
        idx->wdb->set_metadata (EVX_METADATA_ROOTS, value.str ());
        return true;
    });
}

gboolean
evx_index_clause_counts (evx_index *idx, const char *id, int edition, guint64 *passages,
                         guint64 *documents, GError **error)
{
    return guarded_read (idx, error, [&] {
        std::string term = std::to_string (edition) + ":" + id;
        maybe_reopen (idx);
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
    return guarded_read (idx, error, [&] {
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

// Whether @word (@len bytes) is one of the query parser's operators, which are
// written in capitals.
static bool
is_query_operator (const char *word, size_t len)
{
    static const char *const ops[] = { "AND", "OR", "NOT", "XOR", "NEAR", "ADJ" };
    for (const char *op : ops) {
        if (strlen (op) == len && memcmp (op, word, len) == 0)
            return true;
    }
    return false;
}

// Whether the @len bytes at @word, lowered, name a query field (schema.h), which the
// parser knows in three spellings (add_field()).
static bool
is_field_name (const char *word, size_t len)
{
    static const char *const fields[] = { EVX_FIELD_CLAUSE, EVX_FIELD_CLAUSE_2012,
                                          EVX_FIELD_CLAUSE_2019, EVX_FIELD_DOCTYPE,
                                          EVX_FIELD_EDITION, EVX_FIELD_PATH, EVX_FIELD_MODAL,
                                          EVX_FIELD_PARTY, EVX_FIELD_DATE };
    for (const char *f : fields) {
        if (strlen (f) == len && g_ascii_strncasecmp (f, word, len) == 0)
            return true;
    }
    return false;
}

// Reads a query as Xapian's parser will: whether each character is inside double
// quotes, inside a field's value (from the colon to the next space outside quotes, or
// a quoted value right after the colon), and where words (runs of letters and digits)
// start.  Feed it every character with step().
struct query_scan {
    bool quoted = false;        // inside "..."
    bool value = false;         // inside a field's value
    gunichar before = 0;        // the previous character

    void
    step (gunichar c)
    {
        if (c == '"') {
            quoted = !quoted;
            if (!quoted)
                value = false;   // a quoted value ends with its quote
        } else if (!quoted && g_unichar_isspace (c)) {
            value = false;
        } else if (!quoted && c == ':') {
            value = true;
        }
        before = c;
    }

    // Whether @c, the next character, starts a word of the query's own text.
    bool
    word_start (gunichar c) const
    {
        return !quoted && !value && g_unichar_isalnum (c)
               && !(before && g_unichar_isalnum (before));
    }
};

// Whether @text (as prepare_query() leaves it) uses an operator (AND, OR, NOT, XOR, NEAR,
// ADJ as words of their own outside quotes and field values; NEAR/3) or a phrase of
// several words (cut at spaces) in quotes: the syntax that, parsed with no flags, gives
// another query.
static bool
uses_operators (const char *text)
{
    query_scan scan;
    guint words_in_quotes = 0;
    bool phrase_is_value = false, in_word = false;   // in a space-free run with a letter or digit
    for (const char *p = text; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if (c == '"' && !scan.quoted) {
            words_in_quotes = 0;
            phrase_is_value = scan.before == ':';
        } else if (c == '"' && scan.quoted && words_in_quotes >= 2 && !phrase_is_value) {
            return true;
        }
        // words of a phrase are cut at spaces and hold a letter or digit: "MAC-BCMS-0487"
        // is one word, "§ 9.2" one too; such a phrase parses the same with or without
        // the parser's operators
        if (scan.quoted && g_unichar_isalnum (c) && !in_word) {
            words_in_quotes++;
            in_word = true;
        }
        if (g_unichar_isspace (c) || c == '"')
            in_word = false;
        if (scan.word_start (c) && (scan.before == 0 || g_unichar_isspace (scan.before)
                                    || scan.before == '(')) {
            const char *end = p;
            while (*end && g_unichar_isalnum (g_utf8_get_char (end)))
                end = g_utf8_next_char (end);
            bool delimited = !*end || *end == ' ' || *end == '\t' || *end == ')'
                             || (*end == '/' && (*p == 'N' || *p == 'A'));
            if (delimited && is_query_operator (p, (size_t) (end - p)))
                return true;
        }
        scan.step (c);
    }
    return scan.quoted && words_in_quotes >= 2 && !phrase_is_value;   // a phrase left open
}

// Whether @out ends with a field name (is_field_name()) standing as a word of its own.
static bool
follows_field_name (const GString *out)
{
    size_t end = out->len, start = end;
    while (start > 0 && g_ascii_isalnum (out->str[start - 1]))
        start--;
    if (start > 0 && !strchr (" \t(+-", out->str[start - 1]))
        return false;
    return start < end && is_field_name (out->str + start, end - start);
}

// The end of the unquoted field value starting at @value: the first space, double
// quote or end of the query, or a ')' that closes no '(' of the value (so that
// "(path:/a/b(1).pdf)" keeps its group's bracket).
static const char *
field_value_end (const char *value)
{
    int depth = 0;
    const char *p = value;
    for (; *p && *p != ' ' && *p != '\t' && *p != '"'; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth-- == 0)
            break;
    }
    return p;
}

// The query as Xapian's parser should read it:
//  - curly double quotes become straight ones (the parser takes both for phrases, and
//    rewrite_pure_negation() must see them), and a minus sign or an en dash right
//    before a word or a quote a "-" (exclusion);
//  - a word of the query's text (outside quotes and field values) with a capital in it
//    is lowered: the parser's STEM_SOME leaves a word that starts with a capital
//    unstemmed (it takes it for a name), so "Plan" found only the word plan and
//    "Exercises" missed "exercise", while the index has every word stemmed whatever its
//    case.  Operators (AND, OR, NOT, XOR, NEAR, ADJ), field names ("Clause:") and field
//    values ("party:Board", "path:/Srv/a.pdf", path:"/Srv/My Plans/a.pdf") stay as
//    they are;
//  - an unquoted field value with a '(' in it is quoted: the parser would end it at its
//    first ')' ("path:/a/policy(v2).pdf" filtered on "/a/policy(v2" and found nothing).
static char *
prepare_query (const char *query)
{
    GString *out = g_string_sized_new (strlen (query));
    query_scan scan;
    for (const char *p = query; *p;) {
        gunichar c = g_utf8_get_char (p);
        const char *next = g_utf8_next_char (p);
        if (c == 0x201C || c == 0x201D)
            c = '"';
        if ((c == 0x2212 || c == 0x2013) && !scan.quoted
            && (scan.before == 0 || g_unichar_isspace (scan.before) || scan.before == '(')) {
            gunichar after = g_utf8_get_char (next);
            if (g_unichar_isalnum (after) || after == '"' || after == 0x201C || after == 0x201D)
                c = '-';
        }
        if (c == ':' && !scan.quoted && !scan.value && *next != '"' && follows_field_name (out)) {
            const char *end = field_value_end (next);
            if (memchr (next, '(', (size_t) (end - next))) {
                // Xapian's parser ends a value at its first ')': "path:/a/b(1).pdf" would
                // filter on "/a/b(1" and search the word "pdf"; quoted, it is the path
                g_string_append (out, ":\"");
                g_string_append_len (out, next, end - next);
                g_string_append_c (out, '"');
                scan.before = '"';
                p = end;
                continue;
            }
        }
        if (scan.word_start (c)) {
            const char *end = p;
            bool capital = false;
            while (*end && g_unichar_isalnum (g_utf8_get_char (end))) {
                capital = capital || g_unichar_isupper (g_utf8_get_char (end));
                end = g_utf8_next_char (end);
            }
            size_t len = (size_t) (end - p);
            // "B.V.", "U.K.", "B.V": a capital next to a full stop is an acronym to the
            // parser, which joins it ("bv") only when it is written in capitals
            bool acronym = len == 1 && (*end == '.' || scan.before == '.');
            if (capital && !acronym && !is_query_operator (p, len)
                && !(*end == ':' && is_field_name (p, len))) {
                gstr lower (g_utf8_strdown (p, (gssize) len));
                g_string_append (out, lower.s);
                scan.before = g_utf8_get_char (g_utf8_prev_char (end));
                p = end;
                continue;
            }
        }
        g_string_append_unichar (out, c);
        scan.step (c);
        p = next;
    }
    return g_string_free (out, FALSE);
}

// A query of excluded words and phrases only ("-impact", "-\"call tree\""): Xapian's
// parser would match them instead of excluding them (and reads a lone -"phrase" as its
// words ORed), so each becomes "NOT word" or "NOT \"phrase\"" (a pure NOT query).  The
// query is cut at spaces outside double quotes.
static char *
rewrite_pure_negation (const char *query)
{
    GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
    const char *p = query;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *start = p;
        gboolean quoted = FALSE;
        for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++)
            if (*p == '"')
                quoted = !quoted;
        g_ptr_array_add (parts, g_strndup (start, (gsize) (p - start)));
    }
    gboolean all_negated = parts->len > 0;
    for (guint i = 0; i < parts->len && all_negated; i++) {
        const char *w = (const char *) g_ptr_array_index (parts, i);
        size_t n = strlen (w);
        gboolean phrase = w[1] == '"' && n >= 4 && w[n - 1] == '"' && !strchr (w + 2, '"')[1];
        /* a field with a quoted value, -type:"plan" or -path:"/a b.pdf" (a helper found
         * them matched instead of excluded) */
        const char *colon = strstr (w, ":\"");
        gboolean quoted_value = colon && w[n - 1] == '"' && colon + 2 < w + n - 1
                                && !strchr (colon + 2, '"')[1] && !memchr (w, '"', (size_t) (colon - w));
        all_negated = w[0] == '-' && w[1] && (phrase || quoted_value || !strchr (w, '"'));
    }
    char *out;
    if (!all_negated) {
        out = g_strdup (query);
    } else {
        GString *s = g_string_new (NULL);
        for (guint i = 0; i < parts->len; i++)
            g_string_append_printf (s, "%sNOT %s", s->len ? " " : "",
                                    (const char *) g_ptr_array_index (parts, i) + 1);
        out = g_string_free (s, FALSE);
    }
    g_ptr_array_unref (parts);
    return out;
}

// The query words found in a hit's @text: the query's free-text terms, in query order,
// that the TermGenerator makes of @text as it did when indexing it; a stemmed term
// ("Zanalysi") shown as the words of the query it came from ("analysis").  Computed
// here rather than by Enquire::get_matching_terms_begin(), which reads each hit's term
// list from the index: one round trip per hit to a remote shard (5 ms of the 7 ms of a
// two-shard search on loopback).
static char **
matched_words (const Xapian::Query &query, const char *text, const Xapian::QueryParser &qp)
{
    Xapian::Document d;
    Xapian::TermGenerator tg;
    tg.set_stemmer (stemmer ());
    tg.set_stemming_strategy (Xapian::TermGenerator::STEM_SOME);
    tg.set_document (d);
    tg.index_text (text ? text : "");
    GStrvBuilder *sb = g_strv_builder_new ();
    std::set<std::string> seen, tried;
    for (Xapian::TermIterator t = query.get_terms_begin (); t != query.get_terms_end (); ++t) {
        const std::string &term = *t;
        if (term.empty () || (g_ascii_isupper (term[0]) && term[0] != 'Z'))
            continue;   // a boolean filter term (clause, type, path...)
        if (!tried.insert (term).second)
            continue;
        Xapian::TermIterator in = d.termlist_begin ();
        in.skip_to (term);
        if (in == d.termlist_end () || *in != term)
            continue;   // not in this passage
        bool any = false;
        for (Xapian::TermIterator u = qp.unstem_begin (term); u != qp.unstem_end (term); ++u) {
            if (seen.insert (*u).second)
                g_strv_builder_add (sb, (*u).c_str ());
            any = true;
        }
        if (!any && term[0] != 'Z' && seen.insert (term).second)
            g_strv_builder_add (sb, term.c_str ());
    }
    char **out = g_strv_builder_end (sb);
    g_strv_builder_unref (sb);
    return out;
}

// Whether @q could match a file record: it has a term a file record carries (its id,
// kind, path, document type and document clause terms), matches every document
// (a query of excluded words only, or no words), or has a leaf of a kind not known to
// stay off file records.  Words, phrases, wildcards (unprefixed terms only), clause,
// edition, modal and party terms, and date ranges (a slot file records lack) do not.
static bool
may_match_file_record (const Xapian::Query &q)
{
    switch (q.get_type ()) {
    case Xapian::Query::LEAF_TERM: {
        Xapian::TermIterator t = q.get_terms_begin ();
        if (t == q.get_terms_end ())
            return true;
        const std::string term = *t;
        static const char *const file_prefixes[] = {
            EVX_PREFIX_ID, EVX_PREFIX_PATH, EVX_PREFIX_DOCTYPE, EVX_PREFIX_KIND,
            EVX_PREFIX_DOCUMENT_CLAUSE,
        };
        for (const char *prefix : file_prefixes)
            if (term.compare (0, strlen (prefix), prefix) == 0)
                return true;
        return term.empty ();
    }
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_WILDCARD:
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
        return false;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_NEAR:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_SCALE_WEIGHT:
    case Xapian::Query::OP_ELITE_SET:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
        for (size_t i = 0; i < q.get_num_subqueries (); i++)
            if (may_match_file_record (q.get_subquery (i)))
                return true;
        return false;
    default:
        return true;   // LEAF_MATCH_ALL, posting sources, and any kind added later
    }
}

// Whether @test holds for a node of @q on its weighted side: outside the filter side
// of OP_FILTER and OP_AND_NOT.
static bool
any_weighed_node (const Xapian::Query &q, bool (*test) (const Xapian::Query &))
{
    if (test (q))
        return true;
    size_t n = q.get_num_subqueries ();
    if (q.get_type () == Xapian::Query::OP_FILTER || q.get_type () == Xapian::Query::OP_AND_NOT)
        n = MIN (n, 1);
    for (size_t i = 0; i < n; i++)
        if (any_weighed_node (q.get_subquery (i), test))
            return true;
    return false;
}

// Whether @q has a term that gives a match a weight: a word (unprefixed, or stemmed
// with Z) or a wildcard, on its weighted side.  The field filters (clause:, modal:,
// ...) are boolean, and QueryParser gives a query of filters only no weight.  Chooses
// how run_search() matches (a count pass or not, the workarounds for Xapian's ties
// and OR pruning), not what a query means.
static bool
has_weighted_term (const Xapian::Query &q)
{
    return any_weighed_node (q, [] (const Xapian::Query &n) -> bool {
        if (n.get_type () == Xapian::Query::OP_WILDCARD)
            return true;
        if (n.get_type () != Xapian::Query::LEAF_TERM)
            return false;
        Xapian::TermIterator t = n.get_terms_begin ();
        if (t == n.get_terms_end () || (*t).empty ())
            return false;
        const std::string term = *t;
        bool prefixed = term[0] >= 'A' && term[0] <= 'Z';
        bool stemmed = term[0] == 'Z' && (term.size () < 2 || term[1] < 'A' || term[1] > 'Z');
        return !prefixed || stemmed;
    });
}

// The pattern of @q when it is an OP_WILDCARD as QueryParser makes them (no
// expansion limit, OP_SYNONYM), else FALSE.  Xapian 1.4 does not give a wildcard's
// pattern back, but its description holds it ("Query(WILDCARD SYNONYM recover)"): the
// pattern read there is checked by making the same query again and comparing both
// serialised forms.
static bool
wildcard_pattern (const Xapian::Query &q, std::string &pattern)
{
    static const std::string head = "Query(WILDCARD SYNONYM ";
    const std::string d = q.get_description ();
    if (d.size () <= head.size () || d.compare (0, head.size (), head) != 0 || d.back () != ')')
        return false;
    pattern = d.substr (head.size (), d.size () - head.size () - 1);
    Xapian::Query again (Xapian::Query::OP_WILDCARD, pattern, 0,
                         Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_SYNONYM);
    return again.serialise () == q.serialise ();
}

// @q with each wildcard replaced by OP_OR of the terms it stands for in @db, all
// shards at once (Xapian's own way before 1.3).  Xapian 1.4 expands a wildcard in each
// shard on its own and weighs the synonym it makes by that shard's frequencies only,
// so through a stub a wildcard ranked differently from one index; a synonym of the
// terms listed here still gets its frequency estimated per shard from the terms that
// shard has (w* moved hits), and OP_MAX crashes Xapian 1.4.22 over several shards
// (MaxPostList::recalc_maxweight).  Each term under OP_OR is weighed by the collection
// statistics of all shards, as one index weighs it.  Only the operators that take no
// parameter are rebuilt; a wildcard under another (QueryParser puts none there) is
// left to Xapian.
static Xapian::Query
expand_wildcards (const Xapian::Query &q, const Xapian::Database &db)
{
    switch (q.get_type ()) {
    case Xapian::Query::OP_WILDCARD: {
        std::string pattern;
        if (!wildcard_pattern (q, pattern))
            return q;
        std::vector<Xapian::Query> terms;
        for (Xapian::TermIterator t = db.allterms_begin (pattern); t != db.allterms_end (pattern); ++t)
            terms.emplace_back (*t);
        return Xapian::Query (Xapian::Query::OP_OR, terms.begin (), terms.end ());
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX: {
        std::vector<Xapian::Query> sub;
        bool changed = false;
        for (size_t i = 0; i < q.get_num_subqueries (); i++) {
            const Xapian::Query one = q.get_subquery (i);
            sub.push_back (expand_wildcards (one, db));
            changed = changed || sub.back ().internal.get () != one.internal.get ();
        }
        return changed ? Xapian::Query (q.get_type (), sub.begin (), sub.end ()) : q;
    }
    default:
        return q;
    }
}

// How many weights may be added up to weigh a match of @q: one per word (a synonym is
// one; an expanded wildcard, its words ORed, counts each), none for filters.  At most
// one means no rounding that depends on the order of a sum.
static guint
weighted_parts (const Xapian::Query &q)
{
    switch (q.get_type ()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::OP_WILDCARD:
    case Xapian::Query::OP_SYNONYM:
        return has_weighted_term (q) ? 1 : 0;
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
        return q.get_num_subqueries () > 0 ? weighted_parts (q.get_subquery (0)) : 0;
    default: {
        guint n = 0;
        for (size_t i = 0; i < q.get_num_subqueries (); i++)
            n += weighted_parts (q.get_subquery (i));
        return n;
    }
    }
}

// Whether @q ORs weighted branches (OR, AND_MAYBE, XOR, ELITE_SET, MAX) on its
// weighted side.
static bool
has_weighed_or (const Xapian::Query &q)
{
    return any_weighed_node (q, [] (const Xapian::Query &n) -> bool {
        switch (n.get_type ()) {
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_AND_MAYBE:
        case Xapian::Query::OP_XOR:
        case Xapian::Query::OP_ELITE_SET:
        case Xapian::Query::OP_MAX:
            return has_weighted_term (n);
        default:
            return false;
        }
    });
}

// Whether @q or any query under it has operator @op.
static bool
has_op (const Xapian::Query &q, Xapian::Query::op op)
{
    if (q.get_type () == op)
        return true;
    for (size_t i = 0; i < q.get_num_subqueries (); i++)
        if (has_op (q.get_subquery (i), op))
            return true;
    return false;
}

// Whether two weights are the same but for rounding: a passage's weight is a sum of
// its terms' weights, added in an order that each shard chooses from its own
// statistics, so a tie in one index can come out of a stub as weights a few units in
// the last place apart.
static bool
near_equal (double a, double b)
{
    return fabs (a - b) <= 1e-12 * MAX (fabs (a), fabs (b));
}

// The hits of @mset (from rank 0) in search order: by weight, weights that are equal
// but for rounding (near_equal) counting as equal, then by EVX_SLOT_ORDER (the sort
// key).  Xapian's order but where a near-tie was split by the rounding.
static std::vector<Xapian::MSetIterator>
order_near_ties (const Xapian::MSet &mset)
{
    std::vector<std::pair<guint, Xapian::MSetIterator>> ranked;
    guint group = 0;
    double group_weight = 0;
    for (Xapian::MSetIterator it = mset.begin (); it != mset.end (); ++it) {
        if (it == mset.begin () || !near_equal (it.get_weight (), group_weight)) {
            group++;
            group_weight = it.get_weight ();
        }
        ranked.emplace_back (group, it);
    }
    std::stable_sort (ranked.begin (), ranked.end (), [] (const auto &a, const auto &b) {
        if (a.first != b.first)
            return a.first < b.first;
        return a.second.get_sort_key () < b.second.get_sort_key ();
    });
    std::vector<Xapian::MSetIterator> out;
    for (const auto &r : ranked)
        out.push_back (r.second);
    return out;
}

// A query field's name as written in lower case (@spelling 0, as schema.h names it),
// with a capital first letter (1) or in capitals (2): "clause", "Clause", "CLAUSE".
static std::string
field_spelling (const char *name, int spelling)
{
    std::string s (name);
    for (size_t i = 0; i < s.size (); i++) {
        if (spelling == 2 || (spelling == 1 && i == 0))
            s[i] = g_ascii_toupper (s[i]);
    }
    return s;
}

// Registers boolean field @name (schema.h) for terms of @prefix, in each spelling of
// field_spelling(), all in filter group @group: "Clause:8.2.2" is "clause:8.2.2".
static void
add_field (Xapian::QueryParser &qp, const char *name, const std::string &prefix,
           const std::string &group)
{
    for (int spelling = 0; spelling < 3; spelling++)
        qp.add_boolean_prefix (field_spelling (name, spelling), prefix, &group);
}

// The same for a field whose value @proc turns into a filter.  @proc stays owned by the
// caller and must outlive @qp's parse_query().
static void
add_field_processor (Xapian::QueryParser &qp, const char *name, Xapian::FieldProcessor *proc,
                     const std::string &group)
{
    for (int spelling = 0; spelling < 3; spelling++)
        qp.add_boolean_prefix (field_spelling (name, spelling), proc, &group);
}

// A field whose values are index terms in lower case (modal:KEY, type:KIND; schema.h):
// the value in any case ("modal:Shall" is "modal:shall", "type:Plan" "type:plan").
class LowerField : public Xapian::FieldProcessor {
    const std::string prefix;

  public:
    explicit LowerField (const char *prefix_) : prefix (prefix_) {}

    Xapian::Query operator() (const std::string &value) override
    {
        gstr lower (g_utf8_strdown (value.c_str (), -1));
        return Xapian::Query (prefix + lower.s);
    }
};

// path:FILE: the file's path term (path_terms()), which for a path too long for a term
// is a hash of it: the plain prefix made a term Xapian could never have stored, and a
// path of more than 244 bytes matched nothing.
class PathField : public Xapian::FieldProcessor {
  public:
    Xapian::Query operator() (const std::string &value) override
    {
        gstr term (evx_record_path_term (value.c_str ()));
        return Xapian::Query (term.str ());
    }
};

// date:VALUE: a year (2024), a month (2024-04) or a day (2024-04-15), or a range of them
// ("2024..2025", "2024-04-01..2024-06-30", "..2023"), as the days they cover
// (EVX_SLOT_DATE holds "YYYYMMDD").  Only these ISO 8601 forms: Xapian's
// DateRangeProcessor, used before, also read "24-01-01" and "01/02/2024", each in a way
// a reader may not mean, and took any "a..b" in the query for a range it could not read.
class DateField : public Xapian::FieldProcessor {
    // The first (@last false) or last day of @v, "YYYYMMDD"; false when @v is not a
    // year, a month or a day.
    static bool
    day_of (const std::string &v, bool last, std::string &out)
    {
        int y = 0, m = 0, d = 0;
        char tail;
        const char *s = v.c_str ();
        bool day = v.size () == 10 && sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3;
        bool month = v.size () == 7 && sscanf (s, "%4d-%2d%c", &y, &m, &tail) == 2;
        bool year = v.size () == 4 && sscanf (s, "%4d%c", &y, &tail) == 1;
        if (!(day || month || year) || y < 1000 || (!year && (m < 1 || m > 12))
            || (day && !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y)))
            return false;
        if (year)
            m = last ? 12 : 1;
        if (!day)
            d = last ? g_date_get_days_in_month ((GDateMonth) m, (GDateYear) y) : 1;
        char buf[16];
        g_snprintf (buf, sizeof buf, "%04d%02d%02d", y, m, d);
        out = buf;
        return true;
    }

  public:
    // Why the first value that is not a date was refused ("" when none was): an
    // exception thrown through Xapian's parser leaks its parse state, so the caller
    // reads this after parse_query() instead.
    std::string refused;

    Xapian::Query operator() (const std::string &value) override
    {
        const std::string::size_type dots = value.find ("..");
        const std::string a = dots == std::string::npos ? value : value.substr (0, dots);
        const std::string b = dots == std::string::npos ? value : value.substr (dots + 2);
        std::string from, to;
        bool ok = (a.empty () || day_of (a, false, from)) && (b.empty () || day_of (b, true, to))
                  && !(a.empty () && b.empty ());
        if (!ok || (!from.empty () && !to.empty () && from > to)) {
            if (refused.empty ())
                refused = "date:" + value
                          + (ok ? ": the range ends before it starts"
                                : ": a date is YYYY, YYYY-MM or YYYY-MM-DD; a range is two of "
                                  "them joined by '..' (either may be left out)");
            return Xapian::Query::MatchNothing;
        }
        if (from.empty ())
            return Xapian::Query (Xapian::Query::OP_VALUE_LE, EVX_SLOT_DATE, to);
        if (to.empty ())
            return Xapian::Query (Xapian::Query::OP_VALUE_GE, EVX_SLOT_DATE, from);
        return Xapian::Query (Xapian::Query::OP_VALUE_RANGE, EVX_SLOT_DATE, from, to);
    }
};

// party:WORD: its words as indexing writes them (party_terms(): lower case, stemmed), so
// that "party:Suppliers" finds "the supplier shall"; several words must all be there.
class PartyField : public Xapian::FieldProcessor {
  public:
    Xapian::Query operator() (const std::string &value) override
    {
        std::vector<std::string> terms = party_terms (value.c_str (), stemmer ());
        if (terms.empty ())
            return Xapian::Query (std::string (EVX_PREFIX_PARTY) + value);   // matches nothing
        return Xapian::Query (Xapian::Query::OP_AND, terms.begin (), terms.end ());
    }
};

static bool
run_search (evx_index *idx, const evx_search_request *req, evx_results *res, GError **error)
{
    int edition = req->edition == 2012 ? 2012 : 2019;
    Xapian::Query query;
    Xapian::QueryParser qp;
    if (req->query && *req->query) {
        qp.set_stemmer (stemmer ());
        qp.set_stemming_strategy (Xapian::QueryParser::STEM_SOME);
        qp.set_default_op (Xapian::Query::OP_AND);
        qp.set_database (*idx->db);
        // one group: several clause filters match a passage of any of them; each other
        // field is its own group, whatever the case its name is written in
        const std::string group (EVX_FIELD_CLAUSE);
        add_field (qp, EVX_FIELD_CLAUSE,
                   std::string (EVX_PREFIX_CLAUSE) + std::to_string (edition) + ":", group);
        add_field (qp, EVX_FIELD_CLAUSE_2012, EVX_PREFIX_CLAUSE "2012:", group);
        add_field (qp, EVX_FIELD_CLAUSE_2019, EVX_PREFIX_CLAUSE "2019:", group);
        LowerField doc_type (EVX_PREFIX_DOCTYPE);
        add_field_processor (qp, EVX_FIELD_DOCTYPE, &doc_type, EVX_FIELD_DOCTYPE);
        add_field (qp, EVX_FIELD_EDITION, EVX_PREFIX_EDITION, EVX_FIELD_EDITION);
        PathField path;
        add_field_processor (qp, EVX_FIELD_PATH, &path, EVX_FIELD_PATH);
        LowerField modal (EVX_PREFIX_MODAL);
        PartyField party;
        DateField date;
        add_field_processor (qp, EVX_FIELD_DATE, &date, EVX_FIELD_DATE);
        add_field_processor (qp, EVX_FIELD_MODAL, &modal, EVX_FIELD_MODAL);
        add_field_processor (qp, EVX_FIELD_PARTY, &party, EVX_FIELD_PARTY);
        unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD
                         | Xapian::QueryParser::FLAG_PURE_NOT;
        gstr prepared (prepare_query (req->query));
        gstr text (rewrite_pure_negation (prepared.s));
        query = qp.parse_query (text.s, flags);
        if (!date.refused.empty ()) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_QUERY_SYNTAX, "query syntax: %s",
                         date.refused.c_str ());
            return false;
        }
        if (uses_operators (text.s)
            && query.get_description () == qp.parse_query (text.s, 0).get_description ()) {
            // Xapian's parser, failing to parse the operators, read the words alone
            // ("-recovery AND plan" became recovery, and, plan: the exclusion lost)
            g_set_error (error, EVX_ERROR, EVX_ERROR_QUERY_SYNTAX,
                         "query syntax: the operators or quotes of '%s' do not parse (check "
                         "AND, OR, NOT, NEAR, parentheses and quotes; put a word to exclude "
                         "as -word or NOT word)",
                         req->query);
            return false;
        }
        if (query.empty ()) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_QUERY_SYNTAX,
                         "query syntax: '%s' contains no searchable term", req->query);
            return false;
        }
        query = expand_wildcards (query, *idx->db);
        if (idx->db->size () > 1 && has_op (query, Xapian::Query::OP_XOR)) {
            // Xapian 1.4.22 crashes (SIGSEGV in MultiXorPostList::recalc_maxweight) on
            // XOR over several shards once the page is full
            g_set_error (error, EVX_ERROR, EVX_ERROR_QUERY_SYNTAX,
                         "query syntax: '%s': XOR cannot be searched through a stub of several "
                         "shards (Xapian 1.4 fails on it); use OR and NOT, or search each shard",
                         req->query);
            return false;
        }
    } else {
        query = Xapian::Query::MatchAll;
    }
    // passages only: every document is a passage or a file record, and leaving out the
    // file records (one per file) is much cheaper than filtering by the passage term
    // (one posting per passage: a skip in it for every candidate); cheaper still is no
    // test at all when no term of the query is one a file record has
    if (may_match_file_record (query))
        query = Xapian::Query (Xapian::Query::OP_AND_NOT, query,
                               Xapian::Query (EVX_PREFIX_KIND EVX_KIND_FILE));
    if (req->commitments)
        query = Xapian::Query (Xapian::Query::OP_FILTER, query,
                               Xapian::Query (EVX_PREFIX_MODAL "any"));
    if (req->doc_type && *req->doc_type)
        query = Xapian::Query (Xapian::Query::OP_FILTER, query,
                               Xapian::Query (std::string (EVX_PREFIX_DOCTYPE) + req->doc_type));
    if (req->clause && *req->clause)
        query = Xapian::Query (Xapian::Query::OP_FILTER, query,
                               Xapian::Query (std::string (EVX_PREFIX_CLAUSE)
                                              + std::to_string (edition) + ":" + req->clause));

    Xapian::Enquire enquire (*idx->db);
    enquire.set_query (query);
    // Equal weights come in the order of EVX_SLOT_ORDER (file, then place in the file),
    // not of document ids, which differ between one index and shards of it.  Xapian
    // reads that value for every candidate it keeps, so the ranking pass keeps as few
    // as it can (below).
    enquire.set_sort_by_relevance_then_value (EVX_SLOT_ORDER, false);
    enquire.set_weighting_scheme (Xapian::BM25Weight (idx->bm25_k1, 0, 1, idx->bm25_b, 0.5));
    // The total is exact up to EVX_EXACT_TOTAL matches (Xapian's estimate with filters
    // can be far off, and a pager needs it).  Counting that far while ranking would
    // read the order value of every match counted, so a query with weights is matched
    // twice: a count with BoolWeight (no document lengths, no values, and it stops
    // past EVX_EXACT_TOTAL), then the ranking pass told to check only as far as the page
    // (once the page is full, a candidate weighing less than its last hit is dropped
    // before its value is read).  A query whose every match weighs 0 (filters only) is
    // ranked by the order value alone: that one pass reads every match's value
    // whatever it is told, and counts them as it goes.
    const Xapian::doccount first = (Xapian::doccount) req->offset;
    const Xapian::doccount page = (Xapian::doccount) req->limit;
    const Xapian::doccount nothing = 0;
    bool weighted = has_weighted_term (query);
    // Xapian 1.4 can leave out of a page a match that belongs on it when the query ORs
    // weighted branches: once it holds the candidates asked for, it turns an OR whose
    // branch cannot reach the least of them into AND_MAYBE, and that step drops a match
    // now and then (seen here with 4 words ORed: a hit ranked 12th of 20 missing from
    // a page of 10 to 20, and back with a page of 30).  It prunes nothing until it has
    // counted the matches it was told to check, so such a query is matched once,
    // checking EVX_EXACT_TOTAL + 1 like a query of filters only.
    bool or_weighed = weighted && has_weighed_or (query);
    bool count_pass = weighted && !or_weighed;
    const Xapian::doccount check_all = EVX_EXACT_TOTAL + 1;
    Xapian::MSet count;
    if (count_pass) {
        Xapian::Enquire counter (*idx->db);
        counter.set_query (query);
        counter.set_weighting_scheme (Xapian::BoolWeight ());
        // one more than the bound: seeing it tells "more than EVX_EXACT_TOTAL match"
        count = counter.get_mset (nothing, nothing, check_all);
    }
    Xapian::MSet mset;
    std::vector<Xapian::MSetIterator> page_hits;   // the page, when reordered
    bool reordered = false;
    if (idx->db->size () > 1 && page > 0 && weighted_parts (query) > 1) {
        // Through a stub, weights tied in one index may differ by rounding
        // (near_equal): Xapian adds a match's term weights in an order each shard
        // chooses, and puts the higher first.  So the hits are taken from rank 0 and
        // the ranking pass goes on until the near-tie at the page's end is whole
        // (EVX_EXACT_TOTAL hits at most), then ordered as one index orders them.
        Xapian::doccount want = first + page, n = want + 1;
        for (;;) {
            mset = enquire.get_mset (nothing, n, or_weighed ? std::max (n, check_all) : n);
            if (mset.size () < n || n >= EVX_EXACT_TOTAL
                || !near_equal (mset[n - 1].get_weight (), mset[want - 1].get_weight ()))
                break;
            n = std::min (std::max (n * 4, want + 100), (Xapian::doccount) EVX_EXACT_TOTAL);
        }
        page_hits = order_near_ties (mset);
        page_hits.erase (page_hits.begin (),
                         page_hits.begin () + std::min ((size_t) first, page_hits.size ()));
        if (page_hits.size () > page)
            page_hits.resize (page);
        reordered = true;
    } else {
        mset = enquire.get_mset (first, page, count_pass ? first + page : check_all);
    }
    if (count_pass) {
        res->total = count.get_matches_estimated ();
        // more match than the bound: the total is an estimate, and says so by being
        // above it (Xapian's estimates may fall short of what was counted)
        if (count.get_matches_lower_bound () > EVX_EXACT_TOTAL)
            res->total = std::max ({ res->total, (guint64) mset.get_matches_estimated (),
                                     (guint64) check_all });
    } else {
        res->total = mset.get_matches_estimated ();
    }
    res->hits = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_hit_free);
    int rank = (int) req->offset;
    if (!reordered)
        for (Xapian::MSetIterator it = mset.begin (); it != mset.end (); ++it)
            page_hits.push_back (it);
    for (const Xapian::MSetIterator &it : page_hits) {
        std::string data = it.get_document ().get_data ();
        evx_hit *hit = g_new0 (evx_hit, 1);
        g_ptr_array_add (res->hits, hit);
        if (!evx_record_hit_read (data.data (), data.size (), hit, error))
            return false;
        hit->rank = ++rank;
        hit->score = it.get_weight ();
        if (req->query && *req->query)
            hit->matched = matched_words (query, hit->text, qp);
        // no background model: it looks up the frequency of every word of the passage
        // in the index (a third of the search time on 1,000,000 passages)
        std::string snippet = mset.snippet (hit->text, 240, stemmer (),
                                            Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                            "<mark>", "</mark>", "…");
        hit->snippet = g_strdup (snippet.c_str ());
    }
    return true;
}

void
evx_index_set_bm25 (evx_index *idx, double k1, double b)
{
    idx->bm25_k1 = k1;
    idx->bm25_b = b;
}

evx_results *
evx_index_search (evx_index *idx, const evx_search_request *req, GError **error)
{
    evx_results *res = g_new0 (evx_results, 1);
    gboolean ok = guarded_read (idx, error, [&] {
        // A reader stays at the revision it opened until reopen(): move it to the
        // latest commit (cheap when there is none).  A writer sees its own changes.
        maybe_reopen (idx);
        for (int attempt = 0;; attempt++) {
            if (res->hits)
                g_ptr_array_unref (res->hits);
            res->hits = nullptr;
            try {
                return run_search (idx, req, res, error);
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt >= MODIFIED_RETRIES)
                    throw;
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

void
evx_index_problem_free (evx_index_problem *p)
{
    if (!p)
        return;
    g_free (p->path);
    g_free (p->detail);
    g_free (p);
}

gboolean
evx_index_check (evx_index *idx, GPtrArray **problems, char ***clause_terms, guint64 *files,
                 guint64 *passages, GError **error)
{
    GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_index_problem_free);
    auto problem = [&] (const char *kind, const char *path, std::string detail) {
        evx_index_problem *p = g_new0 (evx_index_problem, 1);
        p->kind = kind;
        p->path = g_strdup (path);
        p->detail = g_strdup (detail.c_str ());
        g_ptr_array_add (found, p);
    };
    struct file_info {
        std::string path;
        guint64 expected = 0, seen = 0;
    };
    std::map<std::string, file_info> by_key;   // file key -> record
    std::set<std::string> clauses;
    guint64 n_files = 0, n_passages = 0;
    // the whole check again when a writer's commits overtake it (a reader's revision is
    // only kept until two newer commits have reused its blocks)
    auto one_pass = [&] () -> bool {
        g_ptr_array_set_size (found, 0);
        by_key.clear ();
        clauses.clear ();
        n_files = n_passages = 0;
        Xapian::Database &db = *idx->db;
        const std::string file_kind = EVX_PREFIX_KIND EVX_KIND_FILE;
        const std::string passage_kind = EVX_PREFIX_KIND EVX_KIND_PASSAGE;
        const std::string id_prefix = std::string (EVX_PREFIX_ID) + EVX_FILE_ID_PREFIX;
        for (Xapian::PostingIterator it = db.postlist_begin (file_kind); it != db.postlist_end (file_kind); ++it) {
            n_files++;
            Xapian::Document d = db.get_document (*it);
            Xapian::TermIterator t = d.termlist_begin ();
            t.skip_to (id_prefix);
            std::string key = t != d.termlist_end () && (*t).compare (0, id_prefix.size (), id_prefix) == 0
                                  ? (*t).substr (id_prefix.size ())
                                  : std::string ();
            std::string data = d.get_data ();
            g_autoptr (GError) perr = NULL;
            evx_file_record *rec = evx_record_file_read (data.data (), data.size (), &perr);
            if (!rec || key.empty ()) {
                problem ("file-data", key.empty () ? NULL : key.c_str (),
                         std::string ("file record #") + std::to_string (*it) + ": "
                             + (perr ? perr->message : "no id term"));
                evx_file_record_free (rec);
                continue;
            }
            file_info &f = by_key[key];
            f.path = rec->path;
            f.expected = rec->status == EVX_FILE_INDEXED ? rec->passages : 0;
            evx_file_record_free (rec);
        }
        for (Xapian::PostingIterator it = db.postlist_begin (passage_kind); it != db.postlist_end (passage_kind); ++it) {
            n_passages++;
            Xapian::Document d = db.get_document (*it);
            Xapian::TermIterator t = d.termlist_begin ();
            t.skip_to (EVX_PREFIX_FILE);
            std::string key = t != d.termlist_end () && (*t).compare (0, 2, EVX_PREFIX_FILE) == 0
                                  ? (*t).substr (2)
                                  : std::string ();
            auto f = by_key.find (key);
            if (f == by_key.end ()) {
                problem ("orphan-passage", key.empty () ? NULL : key.c_str (),
                         "passage #" + std::to_string (*it) + " belongs to no recorded file");
            } else {
                f->second.seen++;
            }
            g_autoptr (GError) perr = NULL;
            if (!passage_data_ok (d.get_data (), NULL, &perr))
                problem ("passage-data", f == by_key.end () ? NULL : f->second.path.c_str (),
                         "passage #" + std::to_string (*it) + ": " + perr->message);
        }
        for (const auto &kv : by_key) {
            const file_info &f = kv.second;
            if (f.seen < f.expected)
                problem ("missing-passages", f.path.c_str (),
                         "its record counts " + std::to_string (f.expected) + " passages, the index holds "
                             + std::to_string (f.seen));
            else if (f.seen > f.expected)
                problem ("extra-passages", f.path.c_str (),
                         "its record counts " + std::to_string (f.expected) + " passages, the index holds "
                             + std::to_string (f.seen));
        }
        guint64 docs = db.get_doccount ();
        if (docs > n_files + n_passages)
            problem ("unknown-document", NULL,
                     std::to_string (docs - n_files - n_passages)
                         + " documents are neither a passage nor a file record");
        else if (docs < n_files + n_passages)
            problem ("unknown-document", NULL,
                     std::to_string (n_files + n_passages - docs)
                         + " documents are both a passage and a file record");
        for (const char *prefix : { EVX_PREFIX_CLAUSE, EVX_PREFIX_DOCUMENT_CLAUSE })
            for (Xapian::TermIterator t = db.allterms_begin (prefix); t != db.allterms_end (prefix); ++t)
                clauses.insert ((*t).substr (strlen (prefix)));
        return true;
    };
    gboolean ok = guarded (error, idx->path.c_str (), [&] {
        maybe_reopen (idx);   // a reader checks the last commit
        for (int attempt = 0;; attempt++) {
            try {
                return one_pass ();
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt >= CHECK_RETRIES) {
                    g_set_error (error, EVX_ERROR, EVX_ERROR_INDEX,
                                 "the index changed %d times while it was being checked: run "
                                 "check when nothing writes to it",
                                 CHECK_RETRIES + 1);
                    return false;
                }
                idx->db->reopen ();
            }
        }
    });
    if (!ok) {
        g_ptr_array_unref (found);
        return FALSE;
    }
    GStrvBuilder *sb = g_strv_builder_new ();
    for (const std::string &c : clauses)
        g_strv_builder_add (sb, c.c_str ());
    *clause_terms = g_strv_builder_end (sb);
    g_strv_builder_unref (sb);
    *problems = found;
    if (files)
        *files = n_files;
    if (passages)
        *passages = n_passages;
    return TRUE;
}

} // extern "C"
