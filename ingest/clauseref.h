/* clauseref.h - explicit ISO 22301 clause references and clause headings.
 *
 * A reference is a clause number the text cites as a clause of ISO 22301:
 *   - after a clause word: "clause 8.4.4", "clauses 8.4.4 and 8.5", "cl. 8.4", "§ 9.2"
 *     (after "§" dotted numbers only: "§ 1" to "§ 5" are mostly a law's or a paper's
 *     paragraphs);
 *   - after the standard: "ISO 22301:2019 10.1", "ISO 22301:2012, clause 8.5",
 *     "ISO 22301 clause 6.3", "section 8.4 of ISO 22301", "requirement 9.2 of the
 *     standard";
 *   - before the clause's own title: "raised against 8.2.2 Business impact analysis";
 *   - after the grade of an audit finding, where findings tables put the clause a
 *     finding is raised against: "NC-2024-02 Minor 8.4.4 ...", "OFI 9.1",
 *     "Observation: 8.2.3", "major nonconformity 9.2", "Area of concern 8.2.2" (dotted
 *     numbers only: "Minor 2 actions" is no reference).
 * A reference that names the edition ("ISO 22301:2012 8.5") is read in that edition,
 * any other in the document's.  A cited ISO 22313 sub-level ("clause 8.3.2.4") is read
 * as its ISO 22301 parent ("8.3.2"); numbers that name no clause are ignored.
 *
 * Rejected, because they are not clause references: a number after a word that
 * names something else ("section 8.4 of the lease", "version 9.2", "table 10.1",
 * "figure", "page", "step", "annex", "article", "v9.2"); a number followed by "of"
 * and something that is not the standard ("clause 8.4 of the lease"); dates
 * ("10.1.2024", "08.05"); amounts ("€ 8.5 million", "9.2%", "8.5 hours"); IP addresses
 * and version strings ("10.1.2.3", "9.2.1-beta"); and numbers cited for another
 * standard ("ISO/IEC 27001 clause 9.2").
 *
 * A clause heading is a heading that starts with a clause number followed by that
 * clause's title in the catalog ("8.2.2 Business impact analysis").
 */
#ifndef EVX_CLAUSEREF_H
#define EVX_CLAUSEREF_H

#include <glib.h>

#include "ingest/catalog.h"

G_BEGIN_DECLS

/**
 * evx_clause_ref:
 * @clause: (transfer none) the clause cited, owned by the catalog.
 * @edition_named: TRUE when the text names the edition with the reference
 *   ("ISO 22301:2012 8.5"); FALSE when the number was read in the default edition.
 */
typedef struct {
    const evx_clause *clause;
    gboolean edition_named;
} evx_clause_ref;

/**
 * evx_clauseref_scan:
 * @text: normalised passage text.
 * @cat: the clause catalog.
 * @edition: edition to read numbers in (2012 or 2019) unless the reference names one.
 *
 * Returns: (transfer full) (element-type evx_clause_ref) the references found in
 *   @text, in order of first mention, each clause once; free with g_array_unref().
 */
GArray *evx_clauseref_scan (const char *text, const evx_catalog *cat, int edition);

/**
 * evx_clauseref_find:
 * @text: normalised passage text.
 * @cat: the clause catalog.
 * @edition: as for evx_clauseref_scan().
 *
 * Returns: (transfer full) (element-type evx_clause) the clauses of
 *   evx_clauseref_scan(), in the same order; the elements are owned by @cat (free only
 *   the array, with g_ptr_array_unref()).
 */
GPtrArray *evx_clauseref_find (const char *text, const evx_catalog *cat, int edition);

/**
 * evx_clauseref_heading:
 * @text: normalised text of a heading (it may be followed by body text).
 * @cat: the clause catalog.
 * @edition: the document's edition, tried first; the other edition is tried next.
 *
 * Returns: (transfer none) (nullable) the clause whose number and title start @text,
 *   or NULL; NULL also for a table of contents' line, the title followed by a page
 *   number alone (evx_clauseref_toc_page()): "8.2.2 Business impact analysis ..... 5".
 */
const evx_clause *evx_clauseref_heading (const char *text, const evx_catalog *cat, int edition);

/**
 * evx_clauseref_toc_page:
 * @text: the text after a heading's title.
 *
 * Returns: TRUE when @text is white space or dot leaders ("....", "…", "·") and then a
 *   page number (1 to 3 digits, or a Roman numeral), alone or before the next entry's
 *   section number and capitalised word: the rest of a table of contents' line.
 */
gboolean evx_clauseref_toc_page (const char *text);

/**
 * evx_clauseref_number_depth:
 * @text: a heading's text.
 *
 * Returns: the number of levels of the section number @text starts with ("2." and
 *   "2" give 1, "8.2.2" gives 3), or 0 when it starts with none.
 */
int evx_clauseref_number_depth (const char *text);

/**
 * evx_clauseref_number:
 * @text: a heading's text.
 *
 * Returns: (transfer full) (nullable) the section number @text starts with, without a
 *   final dot ("2." gives "2", "8.2.2 Business impact analysis" gives "8.2.2"), or NULL
 *   when it starts with none (as evx_clauseref_number_depth()); free with g_free().
 */
char *evx_clauseref_number (const char *text);

G_END_DECLS

#endif /* EVX_CLAUSEREF_H */
