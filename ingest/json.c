/* json.c - json-glib conveniences (see json.h). */
#include "ingest/json.h"

#include <string.h>

#include "ingest/error.h"

void
evx_json_set_string (JsonBuilder *b, const char *name, const char *value)
{
    json_builder_set_member_name (b, name);
    if (value)
        json_builder_add_string_value (b, value);
    else
        json_builder_add_null_value (b);
}

void
evx_json_set_int (JsonBuilder *b, const char *name, gint64 value)
{
    json_builder_set_member_name (b, name);
    json_builder_add_int_value (b, value);
}

char *
evx_json_to_string (JsonBuilder *b, gboolean pretty, gsize *len)
{
    g_autoptr (JsonNode) root = json_builder_get_root (b);
    g_autoptr (JsonGenerator) gen = json_generator_new ();
    json_generator_set_root (gen, root);
    json_generator_set_pretty (gen, pretty);
    return json_generator_to_data (gen, len);
}

void
evx_json_add_clause_tag (JsonBuilder *b, const evx_clause_tag *t)
{
    g_autofree char *edition = g_strdup_printf ("%d", t->edition);
    json_builder_begin_object (b);
    evx_json_set_string (b, "id", t->id);
    evx_json_set_string (b, "edition", edition);
    evx_json_set_string (b, "title", t->title);
    evx_json_set_string (b, "reason", evx_clause_reason_name (t->reason));
    json_builder_set_member_name (b, "confidence");
    /* two decimals: stable output, and as precise as the mapper's scale means anything */
    json_builder_add_double_value (b, (double) (gint64) (t->confidence * 100.0 + 0.5) / 100.0);
    json_builder_set_member_name (b, "matched");
    json_builder_begin_array (b);
    for (char **m = t->matched; m && *m; m++)
        json_builder_add_string_value (b, *m);
    json_builder_end_array (b);
    evx_json_set_string (b, "equivalent", evx_clause_tag_equivalent (t));
    json_builder_set_member_name (b, "equivalents");
    json_builder_begin_array (b);
    for (char **e = t->equivalents; e && *e; e++)
        json_builder_add_string_value (b, *e);
    json_builder_end_array (b);
    json_builder_end_object (b);
}

void
evx_json_add_certificate (JsonBuilder *b, const evx_certificate *cert)
{
    if (!cert) {
        json_builder_add_null_value (b);
        return;
    }
    json_builder_begin_object (b);
    evx_json_set_string (b, "holder", cert->holder);
    evx_json_set_string (b, "number", cert->number);
    evx_json_set_string (b, "standard", cert->standard);
    evx_json_set_string (b, "edition", cert->edition);
    evx_json_set_string (b, "issuer", cert->issuer);
    evx_json_set_string (b, "first_issued", cert->first_issued);
    evx_json_set_string (b, "issued", cert->issued);
    evx_json_set_string (b, "expires", cert->expires);
    evx_json_set_string (b, "scope", cert->scope);
    json_builder_end_object (b);
}

static gboolean
is_iso_date (const char *s)
{
    return strlen (s) == 10 && g_ascii_isdigit (s[0]) && g_ascii_isdigit (s[3]) && s[4] == '-'
           && g_ascii_isdigit (s[5]) && g_ascii_isdigit (s[6]) && s[7] == '-'
           && g_ascii_isdigit (s[8]) && g_ascii_isdigit (s[9]);
}

/* Reads member @name into *out; FALSE (with @error) when it is not a valid value. */
static gboolean
read_field (JsonObject *o, const char *name, gboolean date, char **out, GError **error)
{
    JsonNode *n = json_object_get_member (o, name);
    if (!n || JSON_NODE_HOLDS_NULL (n))
        return TRUE;
    const char *s = JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
                        ? json_node_get_string (n)
                        : NULL;
    if (!s || !g_utf8_validate (s, -1, NULL) || g_utf8_strlen (s, -1) > EVX_JSON_MAX_FIELD
        || (date && !is_iso_date (s))) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "certificate field %s is invalid", name);
        return FALSE;
    }
    *out = g_strdup (s);
    return TRUE;
}

evx_certificate *
evx_json_read_certificate (JsonNode *node, GError **error)
{
    if (!node || JSON_NODE_HOLDS_NULL (node))
        return NULL;
    if (!JSON_NODE_HOLDS_OBJECT (node)) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "certificate is not an object");
        return NULL;
    }
    JsonObject *o = json_node_get_object (node);
    g_autoptr (evx_certificate) cert = g_new0 (evx_certificate, 1);
    if (!read_field (o, "holder", FALSE, &cert->holder, error)
        || !read_field (o, "number", FALSE, &cert->number, error)
        || !read_field (o, "standard", FALSE, &cert->standard, error)
        || !read_field (o, "edition", FALSE, &cert->edition, error)
        || !read_field (o, "issuer", FALSE, &cert->issuer, error)
        || !read_field (o, "first_issued", TRUE, &cert->first_issued, error)
        || !read_field (o, "issued", TRUE, &cert->issued, error)
        || !read_field (o, "expires", TRUE, &cert->expires, error)
        || !read_field (o, "scope", FALSE, &cert->scope, error))
        return NULL;
    return g_steal_pointer (&cert);
}
