/* catalog.h - the ISO 22301 clause catalog (both editions), read from XML.
 *
 * The catalog data is corpus/catalog/iso22301.xml, validated against the RELAX NG
 * schema corpus/catalog/iso22301.rng beside it.  Both files are compiled into the
 * program as a GResource, so evx_catalog_load (NULL, ...) works from any folder;
 * a path loads another catalog file instead (validated against the built-in schema).
 *
 * Facts (clause numbers, titles, parents) come from the published tables of
 * contents of ISO 22301:2019 and ISO 22301:2012 (see the XML file's header for
 * sources); vocabulary phrases are the project's own words.  The catalog never
 * contains the standard's requirement text.
 */
#ifndef EVX_CATALOG_H
#define EVX_CATALOG_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct _evx_catalog evx_catalog;
typedef struct _evx_vocabulary evx_vocabulary;   /* see vocabulary.h */

/**
 * evx_clause:
 * @id: clause number ("8.2.2").
 * @edition: 2012 or 2019.
 * @title: clause title in that edition.
 * @parent: parent clause number ("8.2"), or NULL for a top-level clause.
 * @phrases: (array zero-terminated=1) indicative vocabulary phrases, never NULL.
 * @equivalents: (array zero-terminated=1) clause numbers in the OTHER edition
 *   that correspond to this one (may be empty), never NULL.
 *
 * One clause of one edition.  All fields are owned by the catalog (transfer none)
 * and live as long as it.
 */
typedef struct {
    const char *id;
    int edition;
    const char *title;
    const char *parent;
    const char *const *phrases;
    const char *const *equivalents;
} evx_clause;

/**
 * evx_catalog_load:
 * @path: (nullable) a catalog XML file, or NULL for the built-in catalog.
 * @error: return location for an EVX_ERROR_CATALOG error (message: "FILE:LINE: reason"),
 *   or EVX_ERROR_IO when @path cannot be read.
 *
 * Parses the catalog with libxml2 (no network access, no entity expansion) and
 * validates a catalog file against the built-in RELAX NG schema.  The built-in catalog
 * is not validated at run time: it is corpus/catalog/iso22301.xml, compiled in, which
 * the test suite loads by path, validates, and compares with the built-in one clause by
 * clause.
 *
 * Returns: (transfer full) the catalog, or NULL on error; free with evx_catalog_free().
 */
evx_catalog *evx_catalog_load (const char *path, GError **error);

/** evx_catalog_free: frees @cat; NULL is accepted. */
void evx_catalog_free (evx_catalog *cat);

/**
 * evx_catalog_lookup:
 * @cat: the catalog.
 * @id: clause number, e.g. "8.2.2".
 * @edition: 2012 or 2019.
 *
 * Returns: (transfer none) (nullable) the clause, or NULL when @edition has no clause @id.
 */
const evx_clause *evx_catalog_lookup (const evx_catalog *cat, const char *id, int edition);

/**
 * evx_catalog_clauses:
 * @cat: the catalog.
 * @edition: 2012 or 2019.
 *
 * Returns: (transfer none) (element-type evx_clause) every clause of @edition in
 *   document order (1, 2, 3, 4, 4.1, ...).
 */
const GPtrArray *evx_catalog_clauses (const evx_catalog *cat, int edition);

/**
 * evx_catalog_resolve:
 * @cat: the catalog.
 * @id: a clause number as cited, possibly an ISO 22313 sub-level ("8.3.2.4").
 * @edition: 2012 or 2019.
 *
 * Drops trailing levels of @id until the number names a clause of @edition.
 *
 * Returns: (transfer none) (nullable) that clause, or NULL when no prefix of @id is one.
 */
const evx_clause *evx_catalog_resolve (const evx_catalog *cat, const char *id, int edition);

/**
 * evx_catalog_is_ancestor:
 * @cat: the catalog.
 * @a: a clause.
 * @b: a clause.
 *
 * Returns: TRUE when @a is an ancestor of @b (its parent, its parent's parent, ...) in
 *   the same edition; FALSE for @a == @b.
 */
gboolean evx_catalog_is_ancestor (const evx_catalog *cat, const evx_clause *a, const evx_clause *b);

/**
 * evx_catalog_has_subclauses:
 * Returns: TRUE when clause @c has sub-clauses in its edition.
 */
gboolean evx_catalog_has_subclauses (const evx_catalog *cat, const evx_clause *c);

/**
 * evx_catalog_vocabulary:
 * @cat: the catalog.
 *
 * Returns: (transfer none) the catalog's phrases and titles compiled for scoring
 *   passages (vocabulary.h), built on the first call (about 15 ms; thread-safe) and
 *   kept; a process that forks workers calls it first so that they inherit it.
 */
const evx_vocabulary *evx_catalog_vocabulary (const evx_catalog *cat);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_catalog, evx_catalog_free)

G_END_DECLS

#endif /* EVX_CATALOG_H */
