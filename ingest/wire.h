/* wire.h - an evx_document as JSON: what a worker process sends back to its parent.
 *
 * The worker serialises the whole document with json-glib; the parent checks every
 * field before it builds the document it indexes (pages within 1..page_count, offsets
 * within the page text, known editions, clause ids of the catalog's shape, bounded
 * strings), so that a worker that went wrong cannot put nonsense in the index.
 */
#ifndef EVX_WIRE_H
#define EVX_WIRE_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ingest/document.h"

G_BEGIN_DECLS

/**
 * evx_wire_add_document:
 * @b: a builder positioned where a value may be added.
 * @doc: the document.
 *
 * Adds @doc, completely, as one JSON object (the shape evx_wire_read_document() reads).
 */
void evx_wire_add_document (JsonBuilder *b, const evx_document *doc);

/**
 * evx_wire_read_document:
 * @root: (nullable) a node made by evx_wire_add_document().
 * @error: EVX_ERROR_INVALID ("invalid extraction result: FIELD WHY") naming the first
 *   field that is missing, of the wrong type or out of range.
 *
 * A document has one page text per page (one for a format without pages), or none at
 * all when its passages were sent apart, encoded (then it has no passages either).
 *
 * Returns: (transfer full) the document, or NULL on error.
 */
evx_document *evx_wire_read_document (JsonNode *root, GError **error);

/**
 * evx_wire_parse:
 * @data: JSON text.
 * @len: length of @data in bytes.
 * @error: EVX_ERROR_INVALID ("invalid extraction result: " and json-glib's message).
 *
 * Returns: (transfer full) the parser holding the parsed tree, or NULL on error;
 *   g_object_unref() it.
 */
JsonParser *evx_wire_parse (const char *data, gsize len, GError **error);

/**
 * evx_document_to_json:
 * @doc: a document.
 * @len: (out) (optional) length of the result in bytes.
 *
 * Serialises @doc completely (the wire format between worker and parent).
 *
 * Returns: (transfer full) UTF-8 JSON text; free with g_free().
 */
char *evx_document_to_json (const evx_document *doc, gsize *len);

/**
 * evx_document_from_json:
 * @data: JSON text as made by evx_document_to_json().
 * @len: length of @data in bytes.
 * @error: EVX_ERROR_INVALID naming the first field that is missing, of the wrong
 *   type or out of range (pages 1..page_count, offsets within the page text,
 *   editions 2012/2019).
 *
 * Returns: (transfer full) the document, or NULL on error.
 */
evx_document *evx_document_from_json (const char *data, gsize len, GError **error);

G_END_DECLS

#endif /* EVX_WIRE_H */
