/* mapping.h - which ISO 22301 clauses each passage of a document is evidence for.
 *
 * Steps, per document:
 *   1. the edition the document is written against (edition.h);
 *   2. per passage, three kinds of evidence, each recorded with its reason:
 *      - reference: the passage cites the clause (clauseref.h);
 *      - heading: the passage is, or sits under, a heading that maps to a clause: a
 *        clause heading ("8.2.2 Business impact analysis"), a heading that cites a
 *        clause, or a heading whose words score for one clause (vocabulary.h) at
 *        EVX_MAPPING_HEADING_THRESHOLD.  Headings nest by their section numbers
 *        ("2." > "2.1" > unnumbered; "8.4.4" lies in "8.4", not in "9.2", which it
 *        ends); a numbered heading that maps to nothing hands
 *        down the clause of the heading it sits under, an unnumbered one ends the
 *        numbered sections, unless the format gives outline levels (HTML h1-h6,
 *        Word and ODF outline levels, Markdown "#"s; evx_passage.heading_level):
 *        then headings nest by level, and "Roles" (h3) under "8.4 ..." (h2) hands
 *        down 8.4.  A table of contents' line ("8.2.2 Business impact analysis
 *        ..... 5") is no heading of a clause.  A clause that a heading maps to by its words alone
 *        reaches only passages without references or words of their own.  A short passage that starts with a
 *        section number and has no full stop ("2. Risk Assessment") counts as a
 *        heading too;
 *      - vocabulary: the clauses whose score in the passage reaches
 *        EVX_MAPPING_THRESHOLD and at least EVX_MAPPING_RELATIVE times the best
 *        clause's score, at most EVX_MAPPING_MAX_VOCABULARY of them; a clause is
 *        dropped when a clause below it is tagged too (the more precise one wins).
 *   A reference or heading that names a clause with sub-clauses ("9.2") is narrowed to
 *   the sub-clause the passage's vocabulary points at ("audit programme": 9.2.2) when
 *   one scores EVX_MAPPING_REFINE_THRESHOLD; it keeps its reason and lists the phrases.
 *   A clause found in several ways keeps the first reason in the order above.
 *
 * Confidence, in [0, 1]:
 *   reference naming the edition ("ISO 22301:2012 8.5")     0.98
 *   other reference, clause heading                         0.95
 *   heading citing a clause                                 0.90
 *   vocabulary with score s                                 s / (s + EVX_MAPPING_THRESHOLD)
 *                                                           (0.5 at the threshold)
 *   a passage under a heading                               the heading's x 0.85
 */
#ifndef EVX_MAPPING_H
#define EVX_MAPPING_H

#include <glib.h>

#include "ingest/catalog.h"
#include "ingest/document.h"

G_BEGIN_DECLS

/** Lowest vocabulary score that tags a passage (the sum of phrase weights, vocabulary.h). */
#define EVX_MAPPING_THRESHOLD 7.0
/** Lowest vocabulary score that maps a heading's own words to a clause. */
#define EVX_MAPPING_HEADING_THRESHOLD 5.0
/** A vocabulary clause must score at least this share of the passage's best score. */
#define EVX_MAPPING_RELATIVE 0.9
/** A reference or heading naming a clause with sub-clauses is narrowed to the
 * sub-clause whose vocabulary scores at least this much in the passage. */
#define EVX_MAPPING_REFINE_THRESHOLD 2.5
/** At most this many clauses per passage from vocabulary. */
#define EVX_MAPPING_MAX_VOCABULARY 2

/**
 * evx_mapping_kinds:
 * @EVX_MAPPING_REFERENCES: explicit references.
 * @EVX_MAPPING_HEADINGS: heading context.
 * @EVX_MAPPING_VOCABULARY: vocabulary scoring.
 * @EVX_MAPPING_ALL: all three (what ingest uses).
 *
 * Which kinds of evidence evx_mapping_tag_with() uses (the evaluation compares them).
 */
typedef enum {
    EVX_MAPPING_REFERENCES = 1 << 0,
    EVX_MAPPING_HEADINGS = 1 << 1,
    EVX_MAPPING_VOCABULARY = 1 << 2,
    EVX_MAPPING_ALL = 7,
} evx_mapping_kinds;

/**
 * evx_mapping_tag:
 * @doc: a document whose page texts and passages are filled in.
 * @cat: the clause catalog.
 *
 * Sets doc->edition (edition.h) and adds to every passage the clauses it is evidence
 * for, with reason, confidence and the equivalent clause of the other edition.
 */
void evx_mapping_tag (evx_document *doc, const evx_catalog *cat);

/**
 * evx_mapping_tag_with:
 * @doc: as for evx_mapping_tag().
 * @cat: the clause catalog.
 * @kinds: the kinds of evidence to use.
 *
 * evx_mapping_tag() with only @kinds of evidence.
 */
void evx_mapping_tag_with (evx_document *doc, const evx_catalog *cat, evx_mapping_kinds kinds);

G_END_DECLS

#endif /* EVX_MAPPING_H */
