/* vocabulary.h - scoring a passage against the clause catalog's vocabulary.
 *
 * Every clause's catalog phrases and its title (except the titles "General" and the
 * one-word titles of top-level clauses, like "Support") are turned into
 * sequences of terms: case-folded, British spellings folded to American
 * ("organisation" = "organization"), stop words dropped, stemmed with the Snowball
 * English stemmer (libstemmer, the stemmer Xapian uses too).  A passage's terms are
 * matched against them left to right, longest phrase first, so "business continuity
 * policy" is one match, not also "policy".
 *
 * Weights: a term's weight is its inverse document frequency over the clauses of the
 * edition, ln(N / n) where N is the number of clauses and n the number of clauses
 * whose vocabulary holds the term; a phrase weighs the sum of its terms' weights.  So
 * a rare phrase ("maximum tolerable period of disruption", about 13.6) counts far more
 * than a common one ("policy", about 2.4).  A clause's score in a passage is the sum
 * of the weights of the distinct phrases of that clause found in it.  A phrase that
 * a clause shares with one of its sub-clauses counts for the sub-clause only (the more
 * precise one), unless the sub-clause is titled "General": then for the parent only.
 *
 * Clauses 1 to 3 (scope of the standard, normative references, terms and
 * definitions) set no requirements and are never scored.
 */
#ifndef EVX_VOCABULARY_H
#define EVX_VOCABULARY_H

#include <glib.h>

#include "ingest/catalog.h"

G_BEGIN_DECLS

/**
 * evx_vocabulary_match:
 * @clause: (transfer none) the clause, owned by the catalog.
 * @score: sum of the weights of the clause's distinct phrases found (> 0).
 * @phrases: (element-type utf8) (transfer full) those phrases, as written in the
 *   catalog, in order of first occurrence.
 */
typedef struct {
    const evx_clause *clause;
    double score;
    GPtrArray *phrases;
} evx_vocabulary_match;

/**
 * evx_vocabulary_new:
 * @cat: (transfer none) the catalog; it must outlive the vocabulary.
 *
 * Returns: (transfer full) the compiled vocabulary of both editions; free with
 *   evx_vocabulary_free().
 */
evx_vocabulary *evx_vocabulary_new (const evx_catalog *cat);

/** evx_vocabulary_free: frees @v; NULL is accepted. */
void evx_vocabulary_free (evx_vocabulary *v);

/**
 * evx_vocabulary_score:
 * @v: the vocabulary.
 * @text: UTF-8 text (a passage or a heading).
 * @edition: 2012 or 2019: whose clauses are scored.
 *
 * Returns: (transfer full) (element-type evx_vocabulary_match) every clause with a
 *   score above 0, highest score first (ties in catalog order); free with
 *   g_ptr_array_unref().
 */
GPtrArray *evx_vocabulary_score (const evx_vocabulary *v, const char *text, int edition);

/**
 * evx_vocabulary_terms:
 * @text: UTF-8 text.
 *
 * The terms phrases are matched on: what evx_vocabulary_score() sees of @text.
 *
 * Returns: (transfer full) (element-type utf8) the terms in order; free with
 *   g_ptr_array_unref().
 */
GPtrArray *evx_vocabulary_terms (const char *text);

/**
 * evx_vocabulary_phrase_weight:
 * @v: the vocabulary.
 * @phrase: a phrase, in any spelling the catalog would match.
 * @edition: 2012 or 2019.
 *
 * Returns: the weight a match of @phrase adds to a clause's score in @edition, or 0
 *   when @phrase is in no clause's vocabulary.
 */
double evx_vocabulary_phrase_weight (const evx_vocabulary *v, const char *phrase, int edition);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_vocabulary, evx_vocabulary_free)

G_END_DECLS

#endif /* EVX_VOCABULARY_H */
