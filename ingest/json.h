/* json.h - small json-glib conveniences shared by the worker wire format, the
 * index's stored data and the CLI's JSON output (all JSON is made with json-glib).
 */
#ifndef EVX_JSON_H
#define EVX_JSON_H

#include <json-glib/json-glib.h>

#include "ingest/document.h"

G_BEGIN_DECLS

/** evx_json_set_string: adds member @name with string @value, or null when @value is NULL. */
void evx_json_set_string (JsonBuilder *b, const char *name, const char *value);

/**
 * evx_json_set_strv: adds member @name with the strings of @values as an array, or null
 * when @values is NULL.
 */
void evx_json_set_strv (JsonBuilder *b, const char *name, char *const *values);

/** evx_json_set_int: adds member @name with integer @value. */
void evx_json_set_int (JsonBuilder *b, const char *name, gint64 value);

/**
 * evx_json_add_clause_tag:
 * @b: a builder positioned where a value may be added (in an array, or after a member name).
 * @t: the tag.
 *
 * Adds @t as an object: {"id": str, "edition": "2012"|"2019", "title": str|null,
 * "reason": "reference"|"heading"|"vocabulary", "confidence": number in [0, 1],
 * "matched": [str] (the phrases of evx_clause_tag.matched, else empty),
 * "equivalent": str|null (the first of "equivalents"), "equivalents": [str]}.
 * The worker wire format, the index's stored passages and `evidex search --format
 * json` all use this shape.
 */
void evx_json_add_clause_tag (JsonBuilder *b, const evx_clause_tag *t);

/**
 * evx_json_add_certificate:
 * @b: a builder positioned where a value may be added.
 * @cert: (nullable) the certificate fields, or NULL (null is added).
 *
 * Adds {"holder", "number", "standard", "edition", "issuer", "first_issued", "issued",
 * "expires", "scope"}, each a string or null (dates in ISO 8601), and "sites", an array
 * of strings or null.
 */
void evx_json_add_certificate (JsonBuilder *b, const evx_certificate *cert);

/**
 * evx_json_read_certificate:
 * @node: (nullable) a node as evx_json_add_certificate() makes it.
 * @error: EVX_ERROR_INVALID naming the first member that is not a string or null, a
 *   date that is not YYYY-MM-DD, or a value longer than EVX_JSON_MAX_FIELD characters.
 *
 * Returns: (transfer full) (nullable) the fields, or NULL for a null or missing node
 *   and on error (then @error is set).
 */
evx_certificate *evx_json_read_certificate (JsonNode *node, GError **error);

/** The longest value a certificate field may have, in characters. */
#define EVX_JSON_MAX_FIELD 2000

/**
 * evx_json_add_commitments:
 * @b: a builder positioned after a member name or in an array.
 * @commitments: (element-type evx_commitment) the commitments.
 *
 * Adds an array of {"sentence", "modal", "negated", "party", "deadline"} (party and
 * deadline null when unknown).
 */
void evx_json_add_commitments (JsonBuilder *b, const GPtrArray *commitments);

/**
 * evx_json_read_commitments:
 * @node: (nullable) an array as evx_json_add_commitments() makes it.
 * @out: the array to append to (element-type evx_commitment).
 * @error: EVX_ERROR_INVALID when an element is malformed (sentence and modal must be
 *   strings, negated a boolean, party and deadline strings or null).
 *
 * Returns: TRUE on success (a missing or null node is no commitment).
 */
gboolean evx_json_read_commitments (JsonNode *node, GPtrArray *out, GError **error);

/**
 * evx_json_to_string:
 * @b: a builder holding one complete value.
 * @pretty: indent the output.
 * @len: (out) (optional) length of the result in bytes.
 * Returns: (transfer full) the JSON text (UTF-8); free with g_free().
 */
char *evx_json_to_string (JsonBuilder *b, gboolean pretty, gsize *len);

G_END_DECLS

#endif /* EVX_JSON_H */
