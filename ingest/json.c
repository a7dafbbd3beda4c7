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
evx_json_set_strv (JsonBuilder *b, const char *name, char *const *values)
{
    json_builder_set_member_name (b, name);
    if (!values) {
        json_builder_add_null_value (b);
        return;
    }
    json_builder_begin_array (b);
    for (guint i = 0; values[i]; i++)
        json_builder_add_string_value (b, values[i]);
    json_builder_end_array (b);
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
    evx_json_set_strv (b, "sites", cert->sites);
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

/* Reads the "sites" array into *out (NULL when absent or null). */
static gboolean
read_sites (JsonObject *o, char ***out, GError **error)
{
    JsonNode *n = json_object_get_member (o, "sites");
    if (!n || JSON_NODE_HOLDS_NULL (n))
        return TRUE;
    JsonArray *a = JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
    guint len = a ? json_array_get_length (a) : 0;
    if (!a || len == 0 || len > EVX_CERTIFICATE_MAX_SITES)
        goto invalid;
    *out = g_new0 (char *, len + 1);
    for (guint i = 0; i < len; i++) {
        JsonNode *e = json_array_get_element (a, i);
        const char *s = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
                            ? json_node_get_string (e)
                            : NULL;
        if (!s || !*s || !g_utf8_validate (s, -1, NULL) || g_utf8_strlen (s, -1) > EVX_JSON_MAX_FIELD)
            goto invalid;
        (*out)[i] = g_strdup (s);
    }
    return TRUE;
invalid:
    g_clear_pointer (out, g_strfreev);
    g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "certificate field sites is invalid");
    return FALSE;
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
        || !read_field (o, "scope", FALSE, &cert->scope, error)
        || !read_sites (o, &cert->sites, error))
        return NULL;
    return g_steal_pointer (&cert);
}

void
evx_json_add_commitments (JsonBuilder *b, const GPtrArray *commitments)
{
    json_builder_begin_array (b);
    for (guint i = 0; commitments && i < commitments->len; i++) {
        const evx_commitment *c = g_ptr_array_index (commitments, i);
        json_builder_begin_object (b);
        evx_json_set_string (b, "sentence", c->sentence);
        evx_json_set_string (b, "modal", c->modal);
        json_builder_set_member_name (b, "negated");
        json_builder_add_boolean_value (b, c->negated);
        evx_json_set_string (b, "party", c->party);
        evx_json_set_string (b, "deadline", c->deadline);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
}

static const char *
string_member (JsonObject *o, const char *name, gboolean nullable, gboolean *ok)
{
    JsonNode *n = json_object_get_member (o, name);
    if (nullable && (!n || JSON_NODE_HOLDS_NULL (n)))
        return NULL;
    if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING
        || !g_utf8_validate (json_node_get_string (n), -1, NULL)) {
        *ok = FALSE;
        return NULL;
    }
    return json_node_get_string (n);
}

gboolean
evx_json_read_commitments (JsonNode *node, GPtrArray *out, GError **error)
{
    if (!node || JSON_NODE_HOLDS_NULL (node))
        return TRUE;
    if (!JSON_NODE_HOLDS_ARRAY (node)) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "commitments is not an array");
        return FALSE;
    }
    JsonArray *a = json_node_get_array (node);
    for (guint i = 0; i < json_array_get_length (a); i++) {
        JsonNode *e = json_array_get_element (a, i);
        gboolean ok = JSON_NODE_HOLDS_OBJECT (e);
        JsonObject *o = ok ? json_node_get_object (e) : NULL;
        const char *sentence = o ? string_member (o, "sentence", FALSE, &ok) : NULL;
        const char *modal = o ? string_member (o, "modal", FALSE, &ok) : NULL;
        const char *party = o ? string_member (o, "party", TRUE, &ok) : NULL;
        const char *deadline = o ? string_member (o, "deadline", TRUE, &ok) : NULL;
        JsonNode *neg = o ? json_object_get_member (o, "negated") : NULL;
        if (!neg || !JSON_NODE_HOLDS_VALUE (neg) || json_node_get_value_type (neg) != G_TYPE_BOOLEAN)
            ok = FALSE;
        if (!ok) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "commitments element %u is malformed", i);
            return FALSE;
        }
        evx_commitment *c = g_new0 (evx_commitment, 1);
        c->sentence = g_strdup (sentence);
        c->modal = g_strdup (modal);
        c->negated = json_node_get_boolean (neg);
        c->party = g_strdup (party);
        c->deadline = g_strdup (deadline);
        g_ptr_array_add (out, c);
    }
    return TRUE;
}
