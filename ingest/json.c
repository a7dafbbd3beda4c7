/* json.c - json-glib conveniences (see json.h). */
#include "ingest/json.h"

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
