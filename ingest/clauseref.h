/* clauseref.h - explicit ISO 22301 clause references and clause headings (first version).
 *
 * Recognised:
 *   - references: "clause 8.4.4", "cl. 8.4", "§ 9.2", "ISO 22301:2019 10.1",
 *     "ISO 22301:2012, clause 8.5", "ISO 22301 clause 6.3"; a cited ISO 22313
 *     sub-level ("clause 8.3.2.4") is read as its ISO 22301 parent ("8.3.2");
 *   - headings: a heading passage that starts with a clause number followed by that
 *     clause's title in the catalog ("8.2.2 Business impact analysis"); the passages
 *     after it carry the same clause until the next heading.
 * Numbers that name no clause of the edition are ignored.
 */
#ifndef EVX_CLAUSEREF_H
#define EVX_CLAUSEREF_H

#include <glib.h>

#include "ingest/catalog.h"
#include "ingest/document.h"

G_BEGIN_DECLS

/**
 * evx_clauseref_find:
 * @text: normalised passage text.
 * @cat: the clause catalog.
 * @edition: edition to read bare clause numbers in (2012 or 2019); a reference that
 *   names its edition ("ISO 22301:2012 8.5") is read in that one.
 *
 * Returns: (transfer full) (element-type evx_clause) the clauses referenced in
 *   @text, in order of first mention, each once; the elements are owned by @cat
 *   (free only the array, with g_ptr_array_unref()).
 */
GPtrArray *evx_clauseref_find (const char *text, const evx_catalog *cat, int edition);

/**
 * evx_clauseref_heading:
 * @text: normalised text of a heading passage (the heading may be followed by body text).
 * @cat: the clause catalog.
 * @edition: the document's edition, tried first; the other edition is tried next.
 *
 * Returns: (transfer none) (nullable) the clause whose number and title start @text,
 *   or NULL.
 */
const evx_clause *evx_clauseref_heading (const char *text, const evx_catalog *cat, int edition);

/**
 * evx_clauses_tag:
 * @doc: a document whose passages are cut; their clause tags are added to.
 * @cat: the clause catalog.
 *
 * Tags every passage of @doc with the clauses it references (reason
 * EVX_CLAUSE_REFERENCE) and with the clause of the heading it is under
 * (EVX_CLAUSE_HEADING), reading numbers in doc->edition.
 */
void evx_clauses_tag (evx_document *doc, const evx_catalog *cat);

G_END_DECLS

#endif /* EVX_CLAUSEREF_H */
