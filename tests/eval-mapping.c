/* eval-mapping.c - measures the clause mapper against the hand-labelled gold set
 * (corpus/gold/README.md) and prints precision, recall and F1, next to the
 * "explicit references only" baseline measured in the same run.
 *
 * Usage: eval-mapping [--split tune|test|all] [--errors] [--gold DIR] [--external DIR]
 *        eval-mapping --agreement [--split ...]  (second annotator against the gold labels)
 *        eval-mapping --passages FILE...     (lists the passages of files, for labelling)
 *
 * Exit status: 0 when every gold row was found and scored; 1 when a row could not be
 * located or a document not read; 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/catalog.h"
#include "ingest/error.h"
#include "ingest/extract.h"
#include "ingest/mapping.h"
#include "ingest/normalise.h"
#include "ingest/vocabulary.h"
#include "tests/gold.h"


typedef struct {
    guint tp, fp, fn;
} counts;

enum { FAMILIES = 11 };   /* clause families 1..10 */
typedef struct {
    counts all, family[FAMILIES], kind[2];   /* kind: [0] project corpus, [1] real documents */
} tally;

/* The ids a passage is tagged with, read in @edition (equivalents for the other one). */
static GPtrArray *
predicted (const evx_passage *p, int edition)
{
    GPtrArray *ids = g_ptr_array_new ();
    for (guint i = 0; i < p->clauses->len; i++) {
        const evx_clause_tag *t = g_ptr_array_index (p->clauses, i);
        const char *id = t->edition == edition ? t->id : evx_clause_tag_equivalent (t);
        if (id && !g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
            g_ptr_array_add (ids, (gpointer) id);
    }
    return ids;
}

static int
family (const char *id)
{
    int f = atoi (id);
    return f > 0 && f < FAMILIES ? f : 0;
}

/* which: 0 true positive, 1 false positive, 2 false negative */
static void
count (tally *t, const gold_row *r, const char *id, int which)
{
    counts *c[3] = { &t->all, &t->family[family (id)], &t->kind[r->external ? 1 : 0] };
    for (int i = 0; i < 3; i++) {
        if (which == 0)
            c[i]->tp++;
        else if (which == 1)
            c[i]->fp++;
        else
            c[i]->fn++;
    }
}

static gboolean
has_id (char *const *ids, guint n, const char *id)
{
    for (guint i = 0; i < n; i++) {
        if (strcmp (ids[i], id) == 0)
            return TRUE;
    }
    return FALSE;
}

/* Scores one row: the passage's predicted ids against the expected ones. */
static void
score_row (tally *t, const gold_row *r, const evx_passage *p, const evx_catalog *cat,
           gboolean show)
{
    g_autoptr (GPtrArray) got = predicted (p, r->edition);
    guint want_n = g_strv_length (r->clauses);
    GString *wrong = g_string_new (NULL);
    for (guint i = 0; i < got->len; i++) {
        const char *id = g_ptr_array_index (got, i);
        gboolean ok = has_id (r->clauses, want_n, id);
        count (t, r, id, ok ? 0 : 1);
        if (!ok)
            g_string_append_printf (wrong, " +%s", id);
    }
    for (guint i = 0; i < want_n; i++) {
        if (!has_id ((char *const *) got->pdata, got->len, r->clauses[i])) {
            count (t, r, r->clauses[i], 2);
            g_string_append_printf (wrong, " -%s", r->clauses[i]);
        }
    }
    if (show && wrong->len > 0) {
        printf ("  %s p%d:%s\n", r->display, r->page, wrong->str);
        for (guint i = 0; i < p->clauses->len; i++) {
            const evx_clause_tag *tag = g_ptr_array_index (p->clauses, i);
            g_autofree char *matched = tag->matched ? g_strjoinv ("; ", tag->matched) : NULL;
            printf ("      %s/%d %s %.2f %s\n", tag->id, tag->edition,
                    evx_clause_reason_name (tag->reason), tag->confidence, matched ? matched : "");
        }
        g_autoptr (GPtrArray) scores = evx_vocabulary_score (evx_catalog_vocabulary (cat), p->text,
                                                             r->edition);
        for (guint i = 0; i < want_n; i++) {
            if (has_id ((char *const *) got->pdata, got->len, r->clauses[i]))
                continue;
            double sc = 0;
            for (guint k = 0; k < scores->len; k++) {
                const evx_vocabulary_match *m = g_ptr_array_index (scores, k);
                if (strcmp (m->clause->id, r->clauses[i]) == 0)
                    sc = m->score;
            }
            printf ("      missed %s: vocabulary score %.1f\n", r->clauses[i], sc);
        }
        printf ("      | %.160s\n", p->text);
    }
    g_string_free (wrong, TRUE);
}

static void
clear_tags (evx_document *doc)
{
    for (guint i = 0; i < doc->passages->len; i++) {
        evx_passage *p = g_ptr_array_index (doc->passages, i);
        g_ptr_array_set_size (p->clauses, 0);
    }
}

static void
print_counts (const char *name, const counts *c)
{
    double p = c->tp + c->fp ? (double) c->tp / (c->tp + c->fp) : 0.0;
    double r = c->tp + c->fn ? (double) c->tp / (c->tp + c->fn) : 0.0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    printf ("%-22s %5u %5u %5u   %.3f  %.3f  %.3f", name, c->tp, c->fp, c->fn, p, r, f);
}

static void
print_line (const char *name, const counts *base, const counts *full)
{
    if (base->tp + base->fp + base->fn + full->tp + full->fp + full->fn == 0)
        return;
    print_counts (name, full);
    double p = base->tp + base->fp ? (double) base->tp / (base->tp + base->fp) : 0.0;
    double r = base->tp + base->fn ? (double) base->tp / (base->tp + base->fn) : 0.0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    printf ("   | %.3f  %.3f  %.3f\n", p, r, f);
}

/* The second annotator's label sets of @file (rows in the gold file's order). */
static GPtrArray *
read_second (const char *file, GError **error)
{
    g_autofree char *contents = NULL;
    if (!g_file_get_contents (file, &contents, NULL, error))
        return NULL;
    GPtrArray *sets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        if (lines[i][0] == '#' || lines[i][0] == '\0' || g_str_has_prefix (lines[i], "file\t"))
            continue;
        g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
        if (g_strv_length (f) != 5) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "%s:%d: expected 5 columns", file,
                         i + 1);
            g_ptr_array_unref (sets);
            return NULL;
        }
        g_ptr_array_add (sets, strcmp (f[4], "-") == 0 ? g_new0 (char *, 1)
                                                       : g_strsplit (f[4], ",", -1));
    }
    return sets;
}

/* Scores the second annotator against the first (the gold) on @split, like the mapper. */
static int
agreement (GPtrArray *rows, const char *gold_dir, const char *split, gboolean have_external)
{
    tally t = { 0 };
    guint n = 0, pos[2] = { 0, 0 };
    const char *names[2] = { "project.tsv", "external.tsv" };
    for (int kind = 0; kind < (have_external ? 2 : 1); kind++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *path = g_build_filename (gold_dir, "second-annotator", names[kind], NULL);
        g_autoptr (GPtrArray) sets = read_second (path, &error);
        if (!sets) {
            fprintf (stderr, "eval-mapping: %s\n", error->message);
            return 1;
        }
        for (guint i = 0; i < rows->len; i++) {
            const gold_row *r = g_ptr_array_index (rows, i);
            if (r->external != (kind == 1))
                continue;
            guint k = pos[kind]++;
            if (k >= sets->len) {
                fprintf (stderr, "eval-mapping: %s has fewer rows than the gold file\n", path);
                return 1;
            }
            if (strcmp (split, "all") != 0 && strcmp (r->split, split) != 0)
                continue;
            char **got = g_ptr_array_index (sets, k);
            guint want_n = g_strv_length (r->clauses), got_n = g_strv_length (got);
            for (guint j = 0; j < got_n; j++)
                count (&t, r, got[j], has_id (r->clauses, want_n, got[j]) ? 0 : 1);
            for (guint j = 0; j < want_n; j++) {
                if (!has_id (got, got_n, r->clauses[j]))
                    count (&t, r, r->clauses[j], 2);
            }
            n++;
        }
    }
    printf ("\nsecond annotator against the gold labels, %s%s: %u passages\n\n",
            strcmp (split, "all") == 0 ? "all rows" : split, strcmp (split, "all") == 0 ? "" : " half",
            n);
    printf ("%-22s %5s %5s %5s   %-5s  %-5s  %-5s\n", "", "TP", "FP", "FN", "P", "R", "F1");
    print_counts ("project corpus", &t.kind[0]);
    printf ("\n");
    if (have_external) {
        print_counts ("real documents", &t.kind[1]);
        printf ("\n");
    }
    print_counts ("overall", &t.all);
    printf ("\n");
    return 0;
}

static int
list_passages (char **files, const evx_catalog *cat, gboolean show_tags)
{
    int status = 0;
    for (char **f = files; *f; f++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *abs = g_canonicalize_filename (*f, NULL);
        g_autoptr (evx_document) doc = evx_extract_file (abs, cat, &error);
        if (!doc) {
            fprintf (stderr, "%s: %s\n", *f, error->message);
            status = 1;
            continue;
        }
        printf ("== %s (edition %d, %u passages)\n", *f, doc->edition, doc->passages->len);
        for (guint i = 0; i < doc->passages->len; i++) {
            const evx_passage *p = g_ptr_array_index (doc->passages, i);
            printf ("[p%d%s] %s\n", p->page, p->is_heading ? " H" : "", p->text);
            for (guint k = 0; show_tags && k < p->clauses->len; k++) {
                const evx_clause_tag *t = g_ptr_array_index (p->clauses, k);
                g_autofree char *matched = t->matched ? g_strjoinv ("; ", t->matched) : NULL;
                printf ("        -> %s/%d %s %.2f %s\n", t->id, t->edition,
                        evx_clause_reason_name (t->reason), t->confidence, matched ? matched : "");
            }
        }
    }
    return status;
}

int
main (int argc, char **argv)
{
    g_autofree char *split = g_strdup ("test");
    g_autofree char *gold_dir = g_strdup (EVX_SOURCE_DIR "/corpus/gold");
    g_autofree char *external_dir = g_strdup (EVX_SOURCE_DIR "/../shared/corpus-external");
    gboolean errors = FALSE, second = FALSE;
    g_auto (GStrv) passages = NULL;
    GOptionEntry entries[] = {
        { "split", 0, 0, G_OPTION_ARG_STRING, &split,
          "Rows to score: tune, test (default), all (tune and test) or valid (gold/validation)",
          "SPLIT" },
        { "errors", 0, 0, G_OPTION_ARG_NONE, &errors, "List every row the mapper gets wrong", NULL },
        { "agreement", 0, 0, G_OPTION_ARG_NONE, &second,
          "Score the second annotator (gold/second-annotator) instead of the mapper", NULL },
        { "gold", 0, 0, G_OPTION_ARG_FILENAME, &gold_dir, "Folder of the gold files", "DIR" },
        { "external", 0, 0, G_OPTION_ARG_FILENAME, &external_dir,
          "Folder of the real documents (../shared/corpus-external)", "DIR" },
        { "passages", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &passages,
          "List the passages of FILE (repeatable), for labelling; with --errors, with their tags",
          "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new ("- measure the clause mapper");
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_autoptr (GError) error = NULL;
    if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
        fprintf (stderr, "eval-mapping: %s\n", error->message);
        return 2;
    }
    if (argc > 1) {
        fprintf (stderr, "eval-mapping: unexpected argument '%s'\n", argv[1]);
        return 2;
    }
    if (strcmp (split, "tune") != 0 && strcmp (split, "test") != 0 && strcmp (split, "all") != 0
        && strcmp (split, "valid") != 0) {
        fprintf (stderr, "eval-mapping: --split must be tune, test, all or valid\n");
        return 2;
    }
    g_autoptr (evx_catalog) cat = evx_catalog_load (NULL, &error);
    if (!cat) {
        fprintf (stderr, "eval-mapping: %s\n", error->message);
        return 1;
    }
    if (passages)
        return list_passages (passages, cat, errors);

    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (gold_row_free);
    /* the validation rows live in their own folder */
    gboolean valid = strcmp (split, "valid") == 0;
    if (valid && second) {
        fprintf (stderr, "eval-mapping: --agreement has no second annotator for --split valid\n");
        return 2;
    }
    const char *sub = valid ? "validation" : "";
    g_autofree char *project_tsv = g_build_filename (gold_dir, sub, "project.tsv", NULL);
    g_autofree char *external_tsv = g_build_filename (gold_dir, sub, "external.tsv", NULL);
    if (!gold_read (project_tsv, EVX_SOURCE_DIR "/corpus", FALSE, rows, &error)) {
        fprintf (stderr, "eval-mapping: %s\n", error->message);
        return 1;
    }
    gboolean have_external = g_file_test (external_dir, G_FILE_TEST_IS_DIR);
    if (have_external) {
        if (!gold_read (external_tsv, external_dir, TRUE, rows, &error)) {
            fprintf (stderr, "eval-mapping: %s\n", error->message);
            return 1;
        }
    } else {
        printf ("SKIP real documents: %s is not there; only the project corpus is scored\n",
                external_dir);
    }

    if (second)
        return agreement (rows, gold_dir, split, have_external);

    int status = 0;
    tally base = { 0 }, full = { 0 };
    guint scored = 0, scored_kind[2] = { 0, 0 };
    g_autoptr (GHashTable) docs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) evx_document_free);
    for (guint i = 0; i < rows->len; i++) {
        const gold_row *r = g_ptr_array_index (rows, i);
        if (strcmp (split, "all") != 0 && strcmp (r->split, split) != 0)
            continue;
        evx_document *doc = g_hash_table_lookup (docs, r->path);
        if (!doc && !g_hash_table_contains (docs, r->path)) {
            g_autoptr (GError) e = NULL;
            doc = evx_extract_file (r->path, cat, &e);
            if (!doc) {
                fprintf (stderr, "eval-mapping: %s: %s\n", r->display, e->message);
                status = 1;
            }
            g_hash_table_insert (docs, r->path, doc);
        }
        if (!doc)
            continue;
        const evx_passage *p = gold_locate (doc, r);
        if (!p) {
            fprintf (stderr, "eval-mapping: %s line %d: quote not found on page %d of %s\n",
                     r->external ? "external.tsv" : "project.tsv", r->line, r->page, r->display);
            status = 1;
            continue;
        }
        clear_tags (doc);
        evx_mapping_tag_with (doc, cat, EVX_MAPPING_REFERENCES);
        score_row (&base, r, p, cat, FALSE);
        clear_tags (doc);
        evx_mapping_tag (doc, cat);
        score_row (&full, r, p, cat, errors);
        scored++;
        scored_kind[r->external ? 1 : 0]++;
    }

    printf ("\nclause mapping on %s%s of corpus/gold: %u passages (%u from the project "
            "corpus, %u from real documents)\n\n",
            strcmp (split, "all") == 0 ? "all" : "the ",
            strcmp (split, "all") == 0   ? ""
            : strcmp (split, "test") == 0 ? "test half"
            : strcmp (split, "tune") == 0 ? "tune half"
                                          : "validation rows",
            scored, scored_kind[0], scored_kind[1]);
    printf ("%-22s %5s %5s %5s   %-5s  %-5s  %-5s   | baseline: explicit references only\n",
            "", "TP", "FP", "FN", "P", "R", "F1");
    for (int f = 1; f < FAMILIES; f++) {
        char name[32];
        g_snprintf (name, sizeof name, "clause %d", f);
        print_line (name, &base.family[f], &full.family[f]);
    }
    print_line ("project corpus", &base.kind[0], &full.kind[0]);
    print_line ("real documents", &base.kind[1], &full.kind[1]);
    print_line ("overall", &base.all, &full.all);
    return status;
}
