/* fuzz-query.c - query parsing and search (Xapian's QueryParser with evidex's fields,
 * the pure-negation rewrite, snippets) on a small index made at start-up. */
#include "fuzz/fuzz.h"

#include <stdlib.h>

#include "index/index.h"
#include "ingest/extract.h"

static evx_index *
fuzz_index (void)
{
    static evx_index *idx;
    if (idx)
        return idx;
    char *dir = g_dir_make_tmp ("evx-fuzz-query-XXXXXX", NULL);
    char *path = g_build_filename (dir, "db", NULL);
    char *source = g_build_filename (EVX_SOURCE_DIR, "corpus", "pdf", "stage2-audit-report.pdf", NULL);
    GError *error = NULL;
    evx_document *doc = evx_extract_file (source, evx_fuzz_catalog (), &error);
    evx_index *w = doc ? evx_index_open (path, EVX_INDEX_WRITE, &error) : NULL;
    evx_file_record rec = { .path = doc ? doc->path : NULL, .sha256 = (char *) "0", .created = -1 };
    if (!w || !evx_index_put_document (w, doc, &rec, &error) || !evx_index_commit (w, &error)) {
        g_printerr ("fuzz-query: cannot make the index: %s\n", error ? error->message : "?");
        abort ();
    }
    evx_index_close (w);
    evx_document_free (doc);
    idx = evx_index_open (path, EVX_INDEX_READ, &error);
    if (!idx)
        abort ();
    g_free (source);
    g_free (path);
    g_free (dir);
    return idx;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    evx_index *idx = fuzz_index ();
    g_autofree char *query = evx_fuzz_text (data, MIN (size, 4096));
    /* the second half of the first byte picks the filters */
    evx_search_request req = { .query = query, .limit = 10 };
    if (size > 0 && (data[0] & 0x10))
        req.clause = "8.2";
    if (size > 0 && (data[0] & 0x20))
        req.commitments = TRUE;
    if (size > 0 && (data[0] & 0x40))
        req.edition = 2012;
    g_autoptr (GError) error = NULL;
    evx_results *res = evx_index_search (idx, &req, &error);
    if (res)
        evx_results_free (res);
    return 0;
}
