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
