/* commitment.h - sentences that commit a party: who shall, must or will do what, and
 * by when.
 *
 * A commitment is a sentence with one of the modals "shall", "must", "will", "is/are
 * required to", "commit(s) to", "undertake(s) to", "agree(s) to" (negated with "not",
 * or written "won't", "shan't", "mustn't" with a straight or typographic apostrophe),
 * that is none of these:
 *   - a question (it ends with "?");
 *   - a definition ("X means ...", "X is defined as ...", "X refers to ..." before the
 *     modal; or the modal followed by "mean", "have the (same) meaning(s)", "be defined
 *     as", "be construed as" or "be interpreted as": "X shall mean ...");
 *   - requirement text quoted from a standard ("Requirement: ...", "... requires that
 *     ...", "the organization shall ..." as ISO 22301 words its requirements);
 *   - a prediction or description with "will": its subject is "it", "this", "that",
 *     "there" or "these" ("This will take a week"); it follows "who", "which" or "that"
 *     ("the people who will use it"); it goes with a verb of state or consequence ("will
 *     be able", "will know", "will need", "will be required", "will continue"); or it is
 *     "will have" of anyone but "we" or "I";
 *   - a list entry ("Contractors – Agree to ...": the modal right after a dash).
 * "will" the noun is no modal (after "at", "free", "ill", "good", "own", "the" or a
 * possessive: "employment at will", "against their will"); a later modal in the
 * sentence may still make it a commitment.
 * A party that starts with "no", "neither", "none", "nobody", "no-one" or "nothing"
 * ("Neither party shall assign", "Nobody will enter") negates the modal too: the
 * commitment is negated (and one negated twice, "No one shall not", is not); the party
 * keeps that word ("Neither party").
 * The party is the subject phrase before the modal (after the last comma, colon,
 * semicolon, opening bracket, bullet, table bar "|" or tab before it, without a leading
 * clause number ("9.2", "Sec. 5", "3)"; a bare number only before a determiner: "5 the
 * Supplier", but "12 engineers") or "and"/"or"/"but"; after a leading subordinate
 * clause without a comma, from its last determiner; at most 8 words); the
 * deadline is the first time limit or frequency in the sentence, as it words it
 * ("within two hours", "within thirty (30) business days", "annually", "semi-annually",
 * "bi-weekly", "at least once a year", "every six months", "by 31 March 2021", "by 30th
 * June 2025", "by 30/06/2025", "no later than 2025-03-31", "in September 2025",
 * "immediately", "without undue delay").  The rules are the project's own.
 */
#ifndef EVX_COMMITMENT_H
#define EVX_COMMITMENT_H

#include <glib.h>

#include "ingest/document.h"

G_BEGIN_DECLS

/**
 * evx_commitment_detect:
 * @sentence: one sentence (UTF-8).
 *
 * Returns: (transfer full) (nullable) the commitment the sentence makes (its sentence
 *   field a copy of @sentence), or NULL when it makes none; free with
 *   evx_commitment_free().
 */
evx_commitment *evx_commitment_detect (const char *sentence);

/**
 * evx_commitments_find:
 * @text: a passage's text.
 *
 * Cuts @text into sentences (at ".", "!" or "?" followed by a space and a capital,
 * digit or quote, not after common abbreviations such as "e.g.", "No.", "Ltd.",
 * "Sec.") and detects the commitment of each.
 *
 * Returns: (transfer full) (element-type evx_commitment) the commitments, in order
 *   (possibly none); free with g_ptr_array_unref().
 */
GPtrArray *evx_commitments_find (const char *text);

/**
 * evx_commitment_modal_key:
 * @modal: a modal as evx_commitment.modal spells it ("is required to").
 * Returns: the one-word key used in queries (modal:KEY): "shall", "must", "will",
 *   "required", "commits", "undertakes" or "agrees" (static string).
 */
const char *evx_commitment_modal_key (const char *modal);

/**
 * evx_commitment_is_modal_key:
 * @key: a word, as a user writes it after modal: in a query.
 *
 * Returns: TRUE when @key, in any case, is one of the keys evx_commitment_modal_key()
 *   returns, or "any" (the key every commitment carries, index/schema.h).
 */
gboolean evx_commitment_is_modal_key (const char *key);

G_END_DECLS

#endif /* EVX_COMMITMENT_H */
