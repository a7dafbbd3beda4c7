/* eval-ranking.c - measures how well `evidex search` ranks passages, for choosing the
 * BM25 parameters (scripts/eval-ranking).
 *
 * The judgments come from corpus/gold: every labelled passage (tune, test and the
 * validation rows, which together label nearly every passage of their documents) is
 * relevant to the clauses it is labelled with and to their ancestors.  The queries are
 * the catalog's words for each ISO 22301:2019 clause that has relevant passages: its
 * title and each of its vocabulary phrases, typed as a user would (all words required).
 * The documents of the gold rows are extracted and indexed once, in a temporary index,
 * and every query is run under each BM25 setting; only the order of the hits differs
 * between settings.  A query counts when its matches hold a relevant passage.
 *
 * Printed per setting: P@10 (share of the first 10 hits that are relevant), nDCG@10
 * (binary gains) and MRR (1 / rank of the first relevant hit), averaged over queries.
 *
 * Usage: eval-ranking [--gold DIR] [--external DIR]
 * Exit status: 0 when measured; 1 when a document or the index failed; 2 on a usage error.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "index/index.h"
#include "ingest/catalog.h"
#include "ingest/error.h"
#include "ingest/extract.h"
#include "tests/gold.h"

#define TOP 10

typedef struct {
    const char *name;
    double k1, b;
} setting;

static const setting settings[] = {
    { "BM25 k1 1, b 0.5 (Xapian's default)", 1.0, 0.5 },
    { "BM25 k1 1, b 0.75", 1.0, 0.75 },
    { "BM25 k1 1, b 0.25", 1.0, 0.25 },
    { "BM25 k1 1, b 0 (no length normalisation)", 1.0, 0.0 },
};

/* The key a passage is known by in the judgments and in the hits. */
static char *
passage_key (const char *path, int page, const char *text)
{
    return g_strdup_printf ("%s\x1f%d\x1f%s", path, page, text);
}

/* Adds @id (read in 2019) and its ancestors to @ids. */
static void
add_with_ancestors (GHashTable *ids, const evx_catalog *cat, const char *id)
{
    const evx_clause *c = evx_catalog_lookup (cat, id, 2019);
    while (c) {
        g_hash_table_add (ids, (gpointer) c->id);
        c = c->parent ? evx_catalog_lookup (cat, c->parent, 2019) : NULL;
    }
}

/* clause id (2019) -> set of passage keys relevant to it */
static void
judge (GHashTable *relevant, const evx_catalog *cat, const gold_row *r, const char *key)
{
    g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
    for (char **c = r->clauses; *c; c++) {
        if (r->edition == 2019) {
            add_with_ancestors (ids, cat, *c);
            continue;
        }
        const evx_clause *old = evx_catalog_lookup (cat, *c, 2012);
        for (const char *const *e = old ? old->equivalents : NULL; e && *e; e++)
            add_with_ancestors (ids, cat, *e);
    }
    GHashTableIter it;
    gpointer id;
    g_hash_table_iter_init (&it, ids);
    while (g_hash_table_iter_next (&it, &id, NULL)) {
        GHashTable *keys = g_hash_table_lookup (relevant, id);
        if (!keys) {
            keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
            g_hash_table_insert (relevant, id, keys);
        }
        g_hash_table_add (keys, g_strdup (key));
    }
}

typedef struct {
    double p, ndcg, mrr;
    guint queries;
} scores;

/* How many of @query's matches (all of them, not only the first page) are in @keys:
 * the same under every setting, which only reorders the matches.  -1 on error. */
static gint64
relevant_matches (evx_index *idx, const char *query, GHashTable *keys, GError **error)
{
    evx_search_request req = { .query = query, .limit = 100000 };
    g_autoptr (evx_results) every = evx_index_search (idx, &req, error);
    if (!every)
        return -1;
    gint64 n = 0;
    for (guint i = 0; i < every->hits->len; i++) {
        const evx_hit *h = g_ptr_array_index (every->hits, i);
        g_autofree char *key = passage_key (h->path, h->page, h->text);
        n += g_hash_table_contains (keys, key);
    }
    return n;
}

/* Scores @query's first TOP hits against @keys, @in_matches of its matches being
 * relevant (at least 1). */
static gboolean
score_query (evx_index *idx, const char *query, GHashTable *keys, guint in_matches, scores *s,
             GError **error)
{
    evx_search_request req = { .query = query, .limit = TOP };
    g_autoptr (evx_results) res = evx_index_search (idx, &req, error);
    if (!res)
        return FALSE;
    double dcg = 0, ideal = 0, rr = 0;
    guint rel = 0;
    for (guint i = 0; i < res->hits->len; i++) {
        const evx_hit *h = g_ptr_array_index (res->hits, i);
        g_autofree char *key = passage_key (h->path, h->page, h->text);
        if (g_hash_table_contains (keys, key)) {
            rel++;
            dcg += 1.0 / log2 (i + 2.0);
            if (rr == 0)
                rr = 1.0 / (i + 1);
        }
    }
    for (guint i = 0; i < MIN (in_matches, TOP); i++)
        ideal += 1.0 / log2 (i + 2.0);
    s->p += (double) rel / TOP;
    s->ndcg += dcg / ideal;
    s->mrr += rr;
    s->queries++;
    return TRUE;
}

int
main (int argc, char **argv)
{
    g_autofree char *gold_dir = g_strdup (EVX_SOURCE_DIR "/corpus/gold");
    g_autofree char *external_dir = g_strdup (EVX_SOURCE_DIR "/../shared/corpus-external");
    GOptionEntry entries[] = {
        { "gold", 0, 0, G_OPTION_ARG_FILENAME, &gold_dir, "Folder of the gold files", "DIR" },
        { "external", 0, 0, G_OPTION_ARG_FILENAME, &external_dir,
          "Folder of the real documents (../shared/corpus-external)", "DIR" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new ("- measure the ranking of search hits");
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_autoptr (GError) error = NULL;
    if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
        fprintf (stderr, "eval-ranking: %s\n", error->message);
        return 2;
    }
    if (argc > 1) {
        fprintf (stderr, "eval-ranking: unexpected argument '%s'\n", argv[1]);
        return 2;
    }
    g_autoptr (evx_catalog) cat = evx_catalog_load (NULL, &error);
    if (!cat) {
        fprintf (stderr, "eval-ranking: %s\n", error->message);
        return 1;
    }

    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (gold_row_free);
    gboolean have_external = g_file_test (external_dir, G_FILE_TEST_IS_DIR);
    if (!have_external)
        printf ("SKIP real documents: %s is not there; only the project corpus is used\n",
                external_dir);
    const char *subs[] = { "", "validation" };
    for (int s = 0; s < 2; s++) {
        g_autofree char *project = g_build_filename (gold_dir, subs[s], "project.tsv", NULL);
        g_autofree char *external = g_build_filename (gold_dir, subs[s], "external.tsv", NULL);
        if (!gold_read (project, EVX_SOURCE_DIR "/corpus", FALSE, rows, &error)
            || (have_external && !gold_read (external, external_dir, TRUE, rows, &error))) {
            fprintf (stderr, "eval-ranking: %s\n", error->message);
            return 1;
        }
    }

    g_autofree char *tmp = g_dir_make_tmp ("evidex-eval-ranking-XXXXXX", &error);
    if (!tmp) {
        fprintf (stderr, "eval-ranking: %s\n", error->message);
        return 1;
    }
    g_autofree char *db = g_build_filename (tmp, "index", NULL);
    int status = 0;
    evx_index *w = evx_index_open (db, EVX_INDEX_WRITE, &error);
    if (!w) {
        fprintf (stderr, "eval-ranking: %s\n", error->message);
        return 1;
    }
    /* relevant: clause id -> passage keys; docs: path -> document (or NULL: unreadable) */
    g_autoptr (GHashTable) relevant = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                             (GDestroyNotify) g_hash_table_unref);
    g_autoptr (GHashTable) docs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) evx_document_free);
    guint judged = 0, lost = 0, n_docs = 0;
    for (guint i = 0; i < rows->len; i++) {
        const gold_row *r = g_ptr_array_index (rows, i);
        if (!g_hash_table_contains (docs, r->path)) {
            g_autoptr (GError) e = NULL;
            evx_document *doc = evx_extract_file (r->path, cat, &e);
            if (!doc) {
                fprintf (stderr, "eval-ranking: %s: %s\n", r->display, e->message);
                status = 1;
            } else {
                evx_file_record rec = { .path = doc->path, .mime_type = doc->mime_type,
                                        .title = doc->title, .page_count = doc->page_count };
                if (!evx_index_put_document (w, doc, &rec, &e)) {
                    fprintf (stderr, "eval-ranking: %s: %s\n", r->display, e->message);
                    status = 1;
                }
                n_docs++;
            }
            g_hash_table_insert (docs, r->path, doc);
        }
        const evx_document *doc = g_hash_table_lookup (docs, r->path);
        const evx_passage *p = doc ? gold_locate (doc, r) : NULL;
        if (!p) {
            lost++;
            continue;
        }
        g_autofree char *key = passage_key (doc->path, p->page, p->text);
        judge (relevant, cat, r, key);
        judged++;
    }
    if (!evx_index_commit (w, &error)) {
        fprintf (stderr, "eval-ranking: %s\n", error->message);
        return 1;
    }

    /* the queries: each 2019 clause's title and phrases, for clauses with judgments */
    g_autoptr (GPtrArray) queries = g_ptr_array_new ();   /* pairs: text, clause id */
    const GPtrArray *clauses = evx_catalog_clauses (cat, 2019);
    for (guint i = 0; i < clauses->len; i++) {
        const evx_clause *c = g_ptr_array_index (clauses, i);
        if (!g_hash_table_contains (relevant, c->id))
            continue;
        g_ptr_array_add (queries, (gpointer) c->title);
        g_ptr_array_add (queries, (gpointer) c->id);
        for (const char *const *ph = c->phrases; *ph; ph++) {
            g_ptr_array_add (queries, (gpointer) *ph);
            g_ptr_array_add (queries, (gpointer) c->id);
        }
    }

    printf ("\nranking of search hits: %u documents, %u judged passages (%u gold rows not found), "
            "%u queries (clause titles and phrases of ISO 22301:2019)\n\n",
            n_docs, judged, lost, queries->len / 2);
    printf ("queries: those whose matches hold a relevant passage (only they are scored);\n"
            "P@10, nDCG@10, MRR: the mean over them, from 0 to 1, higher is better\n\n");
    printf ("%-44s %8s %8s %8s %8s\n", "setting", "queries", "P@10", "nDCG@10", "MRR");
    g_autofree gint64 *in_matches = g_new0 (gint64, queries->len / 2);
    for (guint q = 0; q < queries->len; q += 2) {
        g_autoptr (GError) e = NULL;
        GHashTable *keys = g_hash_table_lookup (relevant, g_ptr_array_index (queries, q + 1));
        in_matches[q / 2] = relevant_matches (w, g_ptr_array_index (queries, q), keys, &e);
        if (in_matches[q / 2] < 0) {
            fprintf (stderr, "eval-ranking: '%s': %s\n",
                     (const char *) g_ptr_array_index (queries, q), e->message);
            status = 1;
        }
    }
    for (size_t s = 0; s < G_N_ELEMENTS (settings); s++) {
        evx_index_set_bm25 (w, settings[s].k1, settings[s].b);
        scores sc = { 0 };
        for (guint q = 0; q < queries->len; q += 2) {
            if (in_matches[q / 2] <= 0)
                continue;   /* no relevant passage among its matches: not scored */
            g_autoptr (GError) e = NULL;
            GHashTable *keys = g_hash_table_lookup (relevant, g_ptr_array_index (queries, q + 1));
            if (!score_query (w, g_ptr_array_index (queries, q), keys, (guint) in_matches[q / 2],
                              &sc, &e)) {
                fprintf (stderr, "eval-ranking: '%s': %s\n",
                         (const char *) g_ptr_array_index (queries, q), e->message);
                status = 1;
            }
        }
        guint n = MAX (sc.queries, 1);
        gboolean used = settings[s].k1 == EVX_BM25_K1 && settings[s].b == EVX_BM25_B;
        printf ("%-44s %8u %8.3f %8.3f %8.3f%s\n", settings[s].name, sc.queries, sc.p / n,
                sc.ndcg / n, sc.mrr / n, used ? "  *" : "");
    }
    printf ("(* the setting search uses: EVX_BM25_K1 and EVX_BM25_B in index/index.h)\n");
    evx_index_close (w);
    /* a Xapian index folder holds files only */
    g_autoptr (GDir) dir = g_dir_open (db, 0, NULL);
    for (const char *name; dir && (name = g_dir_read_name (dir));) {
        g_autofree char *file = g_build_filename (db, name, NULL);
        g_unlink (file);
    }
    if (g_rmdir (db) != 0 || g_rmdir (tmp) != 0)
        fprintf (stderr, "eval-ranking: could not remove %s\n", tmp);
    return status;
}
