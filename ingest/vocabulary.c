/* vocabulary.c - catalog phrases as stemmed term sequences, and passage scoring
 * (see vocabulary.h). */
#include "ingest/vocabulary.h"

#include <libstemmer.h>
#include <math.h>
#include <string.h>

typedef struct {
    char *text;                 /* as written in the catalog (the first spelling seen) */
    char **terms;               /* stemmed terms */
    guint n_terms;
    double weight;
    GPtrArray *clauses;         /* evx_clause*, the clauses whose vocabulary holds it */
} phrase;

typedef struct {
    GHashTable *by_key;         /* "term term ..." -> phrase* (owned) */
    GHashTable *by_first;       /* first term -> GPtrArray of phrase* */
    GHashTable *term_weight;    /* term -> double* */
    GPtrArray *order;           /* clauses in catalog order, for ties */
} edition_vocabulary;

struct _evx_vocabulary {
    edition_vocabulary editions[2];   /* [0] 2012, [1] 2019 */
};

static const char *const stop_words[] = {
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "in", "into",
    "is", "it", "its", "of", "on", "or", "our", "per", "that", "the", "their", "these",
    "this", "those", "to", "with", NULL,
};

/* British spellings with a different stem than the American ones: word -> word. */
static const char *const spellings[][2] = {
    { "programme", "program" }, { "programmes", "programs" }, { "centre", "center" },
    { "centres", "centers" }, { "behaviour", "behavior" }, { "labour", "labor" },
    { "defence", "defense" }, { "licence", "license" }, { "catalogue", "catalog" },
    { "analyse", "analyze" }, { "analysed", "analyzed" }, { "analyses", "analyzes" },
    { "analysing", "analyzing" },
};

/* Word stems before "-ise" that are spelt "-ize" in American English: organise,
 * prioritise, minimise, recognise, authorise, utilise, categorise, summarise, ...
 * ("exercise", "advise", "revise", "promise", "enterprise" end otherwise). */
static gboolean
ize_stem (const char *base, size_t len)
{
    static const char *const endings[] = { "al", "ar", "or", "an", "it", "il", "im", "gn",
                                           "ic", "rd", "er", "on", NULL };
    if (len < 4)
        return FALSE;
    for (const char *const *e = endings; *e; e++) {
        if (strncmp (base + len - 2, *e, 2) == 0)
            return TRUE;
    }
    return FALSE;
}

/* Folds a case-folded word's British spelling to the American one; returns a new string. */
static char *
fold_spelling (const char *word)
{
    for (guint i = 0; i < G_N_ELEMENTS (spellings); i++) {
        if (strcmp (word, spellings[i][0]) == 0)
            return g_strdup (spellings[i][1]);
    }
    static const char *const suffixes[] = { "isations", "isation", "ising", "ises", "ised",
                                            "isers", "iser", "ise", NULL };
    size_t n = strlen (word);
    for (const char *const *s = suffixes; *s; s++) {
        size_t k = strlen (*s);
        if (n > k && strcmp (word + n - k, *s) == 0) {
            if (strstr (*s, "isation") == *s || ize_stem (word, n - k)) {
                char *out = g_strdup (word);
                out[n - k + 1] = 'z';
                return out;
            }
            break;
        }
    }
    return g_strdup (word);
}

static gboolean
is_stop_word (const char *word)
{
    for (const char *const *w = stop_words; *w; w++) {
        if (strcmp (word, *w) == 0)
            return TRUE;
    }
    return FALSE;
}

/* The most words remembered by stem_of(): a worker sees a few thousand distinct words
 * in a corpus of one trade; past this the memory is emptied and filled again. */
#define STEM_CACHE_MAX 50000

/* The term of a case-folded @word: its stem after the British spelling is folded, or
 * NULL for a stop word.  Stemming is a fifth of a worker's time outside poppler, and
 * the same words come back passage after passage, so each word's term is remembered
 * for the life of the process (owned by the cache). */
static const char *
stem_of (const char *word)
{
    static GHashTable *cache;          /* word -> term, "" for a stop word */
    static struct sb_stemmer *stemmer;
    if (!cache)
        cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    const char *known = g_hash_table_lookup (cache, word);
    if (known)
        return *known ? known : NULL;
    if (!stemmer)
        stemmer = sb_stemmer_new ("english", NULL);
    char *term;
    if (is_stop_word (word)) {
        term = g_strdup ("");
    } else {
        g_autofree char *folded = fold_spelling (word);
        const sb_symbol *stem = stemmer ? sb_stemmer_stem (stemmer, (const sb_symbol *) folded,
                                                           (int) strlen (folded))
                                        : NULL;
        /* no stemmer, or out of memory in it: the folded word */
        term = stem ? g_strndup ((const char *) stem, (gsize) sb_stemmer_length (stemmer))
                    : g_steal_pointer (&folded);
    }
    if (g_hash_table_size (cache) >= STEM_CACHE_MAX)
        g_hash_table_remove_all (cache);
    g_hash_table_insert (cache, g_strdup (word), term);
    return *term ? term : NULL;
}

GPtrArray *
evx_vocabulary_terms (const char *text)
{
    GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *folded = g_utf8_casefold (text, -1);
    GString *word = g_string_new (NULL);
    for (const char *p = folded;; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if (c == 0x2019)
            c = '\'';   /* typographic apostrophe: "organisation’s" */
        if (c != 0 && (g_unichar_isalnum (c) || (c == '\'' && word->len > 0)))
            g_string_append_unichar (word, c);
        else if (word->len > 0) {
            /* "organization's" -> "organization" */
            while (word->len > 0 && word->str[word->len - 1] == '\'')
                g_string_truncate (word, word->len - 1);
            if (g_str_has_suffix (word->str, "'s"))
                g_string_truncate (word, word->len - 2);
            const char *term = word->len > 0 ? stem_of (word->str) : NULL;
            if (term)
                g_ptr_array_add (terms, g_strdup (term));
            g_string_truncate (word, 0);
        }
        if (c == 0)
            break;
    }
    g_string_free (word, TRUE);
    return terms;
}

static void
phrase_free (gpointer data)
{
    phrase *ph = data;
    g_free (ph->text);
    g_strfreev (ph->terms);
    g_ptr_array_unref (ph->clauses);
    g_free (ph);
}

static gboolean
scored_clause (const evx_clause *c)
{
    return strcmp (c->id, "1") != 0 && strcmp (c->id, "2") != 0 && strcmp (c->id, "3") != 0;
}

static gboolean
title_is_vocabulary (const evx_clause *c)
{
    if (strcmp (c->title, "General") == 0)
        return FALSE;
    return c->parent != NULL || strchr (c->title, ' ') != NULL;
}

static void
add_phrase (edition_vocabulary *ev, const evx_clause *c, const char *text)
{
    g_autoptr (GPtrArray) terms = evx_vocabulary_terms (text);
    if (terms->len == 0)
        return;
    g_ptr_array_add (terms, NULL);
    g_autofree char *key = g_strjoinv (" ", (char **) terms->pdata);
    phrase *ph = g_hash_table_lookup (ev->by_key, key);
    if (!ph) {
        ph = g_new0 (phrase, 1);
        ph->text = g_strdup (text);
        ph->n_terms = terms->len - 1;
        ph->terms = (char **) g_ptr_array_steal (terms, NULL);
        ph->clauses = g_ptr_array_new ();
        g_hash_table_insert (ev->by_key, g_strdup (key), ph);
        GPtrArray *list = g_hash_table_lookup (ev->by_first, ph->terms[0]);
        if (!list) {
            list = g_ptr_array_new ();
            g_hash_table_insert (ev->by_first, g_strdup (ph->terms[0]), list);
        }
        g_ptr_array_add (list, ph);
    }
    if (!g_ptr_array_find (ph->clauses, c, NULL))
        g_ptr_array_add (ph->clauses, (gpointer) c);
}

static void
build_edition (edition_vocabulary *ev, const evx_catalog *cat, int edition)
{
    ev->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, phrase_free);
    ev->by_first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);
    ev->term_weight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    ev->order = g_ptr_array_new ();
    const GPtrArray *all = evx_catalog_clauses (cat, edition);
    for (guint i = 0; i < all->len; i++) {
        const evx_clause *c = g_ptr_array_index (all, i);
        if (!scored_clause (c))
            continue;
        g_ptr_array_add (ev->order, (gpointer) c);
        if (title_is_vocabulary (c))
            add_phrase (ev, c, c->title);
        for (const char *const *p = c->phrases; *p; p++)
            add_phrase (ev, c, *p);
    }

    /* A phrase that a clause shares with one of its descendants is the descendant's,
     * the more precise clause; except that a sub-clause titled "General" only repeats
     * its parent's subject, so there the parent keeps it. */
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init (&it, ev->by_key);
    while (g_hash_table_iter_next (&it, NULL, &value)) {
        phrase *ph = value;
        for (guint k = 0; k < ph->clauses->len;) {
            const evx_clause *c = g_ptr_array_index (ph->clauses, k);
            gboolean drop = FALSE;
            for (guint j = 0; j < ph->clauses->len && !drop; j++) {
                const evx_clause *o = g_ptr_array_index (ph->clauses, j);
                if (evx_catalog_is_ancestor (cat, c, o))          /* c is above o */
                    drop = strcmp (o->title, "General") != 0;
                else if (evx_catalog_is_ancestor (cat, o, c))     /* c is below o */
                    drop = strcmp (c->title, "General") == 0;
            }
            if (drop)
                g_ptr_array_remove_index (ph->clauses, k);
            else
                k++;
        }
    }

    /* Document frequency of each term over the clauses' vocabularies. */
    g_autoptr (GHashTable) clauses_of = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                               (GDestroyNotify) g_hash_table_unref);
    g_hash_table_iter_init (&it, ev->by_key);
    while (g_hash_table_iter_next (&it, NULL, &value)) {
        phrase *ph = value;
        for (guint t = 0; t < ph->n_terms; t++) {
            GHashTable *set = g_hash_table_lookup (clauses_of, ph->terms[t]);
            if (!set) {
                set = g_hash_table_new (NULL, NULL);
                g_hash_table_insert (clauses_of, ph->terms[t], set);
            }
            for (guint k = 0; k < ph->clauses->len; k++)
                g_hash_table_add (set, g_ptr_array_index (ph->clauses, k));
        }
    }
    double n = (double) ev->order->len;
    gpointer key;
    g_hash_table_iter_init (&it, clauses_of);
    while (g_hash_table_iter_next (&it, &key, &value)) {
        double *w = g_new (double, 1);
        *w = log (n / (double) g_hash_table_size (value));
        g_hash_table_insert (ev->term_weight, g_strdup (key), w);
    }
    g_hash_table_iter_init (&it, ev->by_key);
    while (g_hash_table_iter_next (&it, NULL, &value)) {
        phrase *ph = value;
        for (guint t = 0; t < ph->n_terms; t++)
            ph->weight += *(double *) g_hash_table_lookup (ev->term_weight, ph->terms[t]);
    }
}

static void
free_edition (edition_vocabulary *ev)
{
    if (ev->by_first)
        g_hash_table_unref (ev->by_first);
    if (ev->by_key)
        g_hash_table_unref (ev->by_key);
    if (ev->term_weight)
        g_hash_table_unref (ev->term_weight);
    if (ev->order)
        g_ptr_array_unref (ev->order);
}

evx_vocabulary *
evx_vocabulary_new (const evx_catalog *cat)
{
    evx_vocabulary *v = g_new0 (evx_vocabulary, 1);
    build_edition (&v->editions[0], cat, 2012);
    build_edition (&v->editions[1], cat, 2019);
    return v;
}

void
evx_vocabulary_free (evx_vocabulary *v)
{
    if (!v)
        return;
    free_edition (&v->editions[0]);
    free_edition (&v->editions[1]);
    g_free (v);
}

static const edition_vocabulary *
edition_of (const evx_vocabulary *v, int edition)
{
    return &v->editions[edition == 2012 ? 0 : 1];
}

/* The longest phrase whose terms start at terms[i], or NULL. */
static const phrase *
longest_at (const edition_vocabulary *ev, GPtrArray *terms, guint i)
{
    const GPtrArray *list = g_hash_table_lookup (ev->by_first, g_ptr_array_index (terms, i));
    const phrase *best = NULL;
    for (guint k = 0; list && k < list->len; k++) {
        const phrase *ph = g_ptr_array_index (list, k);
        if (i + ph->n_terms > terms->len || (best && ph->n_terms <= best->n_terms))
            continue;
        guint t = 1;
        while (t < ph->n_terms && strcmp (ph->terms[t], g_ptr_array_index (terms, i + t)) == 0)
            t++;
        if (t == ph->n_terms)
            best = ph;
    }
    return best;
}

static void
match_free (gpointer data)
{
    evx_vocabulary_match *m = data;
    g_ptr_array_unref (m->phrases);
    g_free (m);
}

typedef struct {
    const GPtrArray *order;
} sort_ctx;

static gint
by_score (gconstpointer a, gconstpointer b, gpointer user_data)
{
    const evx_vocabulary_match *x = *(evx_vocabulary_match *const *) a;
    const evx_vocabulary_match *y = *(evx_vocabulary_match *const *) b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    const sort_ctx *ctx = user_data;
    guint ix = 0, iy = 0;
    g_ptr_array_find ((GPtrArray *) ctx->order, x->clause, &ix);
    g_ptr_array_find ((GPtrArray *) ctx->order, y->clause, &iy);
    return ix < iy ? -1 : ix > iy;
}

GPtrArray *
evx_vocabulary_score (const evx_vocabulary *v, const char *text, int edition)
{
    const edition_vocabulary *ev = edition_of (v, edition);
    g_autoptr (GPtrArray) terms = evx_vocabulary_terms (text);
    g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);          /* phrase* */
    g_autoptr (GHashTable) by_clause = g_hash_table_new (NULL, NULL);     /* clause -> match */
    GPtrArray *matches = g_ptr_array_new_with_free_func (match_free);
    for (guint i = 0; i < terms->len;) {
        const phrase *ph = longest_at (ev, terms, i);
        if (!ph) {
            i++;
            continue;
        }
        i += ph->n_terms;
        if (!g_hash_table_add (seen, (gpointer) ph))
            continue;   /* each phrase counts once */
        for (guint k = 0; k < ph->clauses->len; k++) {
            const evx_clause *c = g_ptr_array_index (ph->clauses, k);
            evx_vocabulary_match *m = g_hash_table_lookup (by_clause, c);
            if (!m) {
                m = g_new0 (evx_vocabulary_match, 1);
                m->clause = c;
                m->phrases = g_ptr_array_new_with_free_func (g_free);
                g_hash_table_insert (by_clause, (gpointer) c, m);
                g_ptr_array_add (matches, m);
            }
            m->score += ph->weight;
            g_ptr_array_add (m->phrases, g_strdup (ph->text));
        }
    }
    sort_ctx ctx = { ev->order };
    g_ptr_array_sort_with_data (matches, by_score, &ctx);
    return matches;
}

double
evx_vocabulary_phrase_weight (const evx_vocabulary *v, const char *text, int edition)
{
    const edition_vocabulary *ev = edition_of (v, edition);
    g_autoptr (GPtrArray) terms = evx_vocabulary_terms (text);
    if (terms->len == 0)
        return 0.0;
    g_ptr_array_add (terms, NULL);
    g_autofree char *key = g_strjoinv (" ", (char **) terms->pdata);
    const phrase *ph = g_hash_table_lookup (ev->by_key, key);
    return ph ? ph->weight : 0.0;
}
