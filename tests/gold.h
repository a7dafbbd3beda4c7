/* gold.h - the hand-labelled passages of corpus/gold (see its README.md), read by the
 * measuring programs scripts/eval-mapping and scripts/eval-ranking. */
#ifndef EVX_TESTS_GOLD_H
#define EVX_TESTS_GOLD_H

#include <glib.h>

#include "ingest/document.h"

/**
 * gold_row:
 * @split: "tune", "test" or "valid".
 * @path: the document's absolute path.
 * @display: the path as written in the gold file.
 * @external: a real document written by others (corpus-external), not the project's.
 * @page: the page, counted from 1.
 * @edition: 2012 or 2019: the edition @clauses are read in.
 * @clauses: the expected clause ids, empty for "-".
 * @quote: an exact piece of the passage's text.
 * @line: the row's line in its file, from 1.
 */
typedef struct {
    char *split;
    char *path;         /* absolute */
    char *display;      /* as written in the gold file */
    gboolean external;  /* a real document written by others */
    int page;
    int edition;
    char **clauses;     /* expected ids, empty for "-" */
    char *quote;
    int line;
} gold_row;

/** gold_row_free: frees a gold_row (a GDestroyNotify for arrays of them). */
void gold_row_free (gpointer data);

/**
 * gold_read:
 * @file: a gold TSV file (split, file, page, edition, clauses, quote).
 * @base: the folder the file column is relative to.
 * @external: the value of gold_row.external for every row of @file.
 * @rows: (element-type gold_row) the rows are appended here.
 * @error: EVX_ERROR_IO when @file cannot be read, EVX_ERROR_INVALID for a row that has
 *   not 6 columns ("FILE:LINE: expected 6 columns").
 *
 * Returns: TRUE when every row was read.
 */
gboolean gold_read (const char *file, const char *base, gboolean external, GPtrArray *rows,
                    GError **error);

/**
 * gold_locate:
 * @doc: the extracted document of @r->path.
 * @r: a row.
 *
 * Returns: (transfer none) the first passage on @r->page whose text holds @r->quote
 *   (both normalised and case-folded), or NULL.
 */
const evx_passage *gold_locate (const evx_document *doc, const gold_row *r);

#endif
