/* record.c - stored data of passages and file records (JSON via json-glib). */
#include "index/record.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "ingest/doctype.h"
#include "ingest/error.h"
#include "ingest/json.h"

#define MAX_TERM_BYTES 240

char *
evx_record_file_key (const char *path)
{
    g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
    return g_strndup (sum, 16);
}

char *
evx_record_path_term (const char *path)
{
    if (strlen (path) + 1 <= MAX_TERM_BYTES)
        return g_strconcat ("P", path, NULL);
    g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
    return g_strconcat ("P#", sum, NULL);
}

char *
evx_record_passage_id (const char *file_key, int page, guint n)
{
    return g_strdup_printf ("%s-%d-%u", file_key, page, n);
}

char *
evx_record_passage_data (const evx_document *doc, const evx_passage *p, const char *id)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    json_builder_begin_object (b);
    evx_json_set_string (b, "passage", id);
    evx_json_set_string (b, "path", doc->path);
    evx_json_set_string (b, "title", doc->title);
    evx_json_set_string (b, "doc_type", evx_doctype_name ((evx_doctype) doc->doc_type));
    evx_json_set_int (b, "page", p->page);
    evx_json_set_string (b, "page_label", p->page_label);
    evx_json_set_string (b, "text", p->text);
    json_builder_set_member_name (b, "clauses");
    json_builder_begin_array (b);
    for (guint i = 0; i < p->clauses->len; i++)
        evx_json_add_clause_tag (b, g_ptr_array_index (p->clauses, i));
    json_builder_end_array (b);
    json_builder_set_member_name (b, "commitments");
    evx_json_add_commitments (b, p->commitments);
    json_builder_end_object (b);
    return evx_json_to_string (b, FALSE, NULL);
}

void
evx_hit_free (evx_hit *hit)
{
    if (!hit)
        return;
    g_free (hit->path);
    g_free (hit->title);
    g_free (hit->page_label);
    g_free (hit->passage);
    g_free (hit->text);
    g_free (hit->snippet);
    g_free (hit->doc_type);
    g_strfreev (hit->matched);
    if (hit->commitments)
        g_ptr_array_unref (hit->commitments);
    if (hit->clauses)
        g_ptr_array_unref (hit->clauses);
    g_free (hit);
}

static JsonObject *
parse_object (JsonParser *parser, const char *data, gsize len, const char *what, GError **error)
{
    if (!json_parser_load_from_data (parser, data, (gssize) len, NULL)
        || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "unreadable %s record in the index",
                     what);
        return NULL;
    }
    return json_node_get_object (json_parser_get_root (parser));
}

/* A string member, or NULL when absent, null or not a string. */
static char *
dup_string (JsonObject *o, const char *name)
{
    JsonNode *n = json_object_get_member (o, name);
    if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
        return NULL;
    return g_strdup (json_node_get_string (n));
}

/* A member that is an array of strings, or NULL when absent or empty. */
static char **
dup_strings (JsonObject *o, const char *name)
{
    JsonNode *n = json_object_get_member (o, name);
    if (!n || !JSON_NODE_HOLDS_ARRAY (n))
        return NULL;
    JsonArray *a = json_node_get_array (n);
    GStrvBuilder *sb = g_strv_builder_new ();
    for (guint k = 0; k < json_array_get_length (a); k++) {
        JsonNode *m = json_array_get_element (a, k);
        if (JSON_NODE_HOLDS_VALUE (m) && json_node_get_value_type (m) == G_TYPE_STRING)
            g_strv_builder_add (sb, json_node_get_string (m));
    }
    char **v = g_strv_builder_end (sb);
    g_strv_builder_unref (sb);
    if (!v[0])
        g_clear_pointer (&v, g_strfreev);
    return v;
}

gboolean
evx_record_hit_read (const char *data, gsize len, evx_hit *hit, GError **error)
{
    g_autoptr (JsonParser) parser = json_parser_new_immutable ();
    JsonObject *o = parse_object (parser, data, len, "passage", error);
    if (!o)
        return FALSE;
    hit->passage = dup_string (o, "passage");
    hit->path = dup_string (o, "path");
    hit->text = dup_string (o, "text");
    if (!hit->passage || !hit->path || !hit->text) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "incomplete passage record in the index");
        return FALSE;
    }
    hit->title = dup_string (o, "title");
    hit->page_label = dup_string (o, "page_label");
    hit->doc_type = dup_string (o, "doc_type");
    hit->page = (int) json_object_get_int_member_with_default (o, "page", 0);
    hit->clauses = g_ptr_array_new_with_free_func (evx_clause_tag_free);
    hit->commitments = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_commitment_free);
    evx_json_read_commitments (json_object_get_member (o, "commitments"), hit->commitments, NULL);
    JsonNode *clauses = json_object_get_member (o, "clauses");
    JsonArray *a = clauses && JSON_NODE_HOLDS_ARRAY (clauses) ? json_node_get_array (clauses) : NULL;
    for (guint i = 0; a && i < json_array_get_length (a); i++) {
        JsonNode *n = json_array_get_element (a, i);
        if (!JSON_NODE_HOLDS_OBJECT (n))
            continue;
        JsonObject *c = json_node_get_object (n);
        evx_clause_tag *t = g_new0 (evx_clause_tag, 1);
        t->id = dup_string (c, "id");
        t->title = dup_string (c, "title");
        t->edition = g_strcmp0 (json_object_get_string_member_with_default (c, "edition", ""),
                                "2012") == 0 ? 2012 : 2019;
        const char *reason = json_object_get_string_member_with_default (c, "reason", "");
        t->reason = evx_clause_reason_from_name (reason);
        if (t->reason == 0)
            t->reason = EVX_CLAUSE_REFERENCE;
        t->confidence = json_object_get_double_member_with_default (c, "confidence", 1.0);
        t->matched = dup_strings (c, "matched");
        t->equivalents = dup_strings (c, "equivalents");
        if (!t->id) {
            evx_clause_tag_free (t);
            continue;
        }
        g_ptr_array_add (hit->clauses, t);
    }
    return TRUE;
}

char *
evx_record_file_data (const evx_file_record *rec)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    json_builder_begin_object (b);
    evx_json_set_string (b, "path", rec->path);
    evx_json_set_int (b, "size", rec->size);
    evx_json_set_int (b, "mtime", rec->mtime);
    evx_json_set_string (b, "sha256", rec->sha256);
    evx_json_set_string (b, "mime_type", rec->mime_type);
    evx_json_set_string (b, "title", rec->title);
    evx_json_set_string (b, "author", rec->author);
    evx_json_set_string (b, "producer", rec->producer);
    evx_json_set_int (b, "created", rec->created);
    evx_json_set_int (b, "page_count", rec->page_count);
    evx_json_set_int (b, "passages", rec->passages);
    evx_json_set_int (b, "mtime_ns", rec->mtime_ns);
    evx_json_set_int (b, "ctime_ns", rec->ctime_ns);
    evx_json_set_string (b, "status", evx_file_status_name (rec->status));
    evx_json_set_string (b, "reason", rec->reason);
    evx_json_set_string (b, "doc_type", rec->doc_type);
    json_builder_set_member_name (b, "certificate");
    evx_json_add_certificate (b, rec->certificate);
    evx_json_set_int (b, "edition", rec->edition);
    evx_json_set_int (b, "dev", rec->dev);
    evx_json_set_string (b, "mount_point", rec->mount_point);
    json_builder_end_object (b);
    return evx_json_to_string (b, FALSE, NULL);
}

const char *
evx_file_status_name (evx_file_status status)
{
    switch (status) {
    case EVX_FILE_FAILED:
        return "failed";
    case EVX_FILE_SKIPPED:
        return "skipped";
    default:
        return "indexed";
    }
}

static evx_file_status
status_from_name (const char *name)
{
    if (g_strcmp0 (name, "failed") == 0)
        return EVX_FILE_FAILED;
    if (g_strcmp0 (name, "skipped") == 0)
        return EVX_FILE_SKIPPED;
    return EVX_FILE_INDEXED;
}

char *
evx_record_file_stat_value (const evx_file_record *rec)
{
    /* the mount point last, escaped: no space in it ("-" when unknown) */
    g_autofree char *mount = rec->mount_point ? g_uri_escape_string (rec->mount_point, "/^", FALSE)
                                              : g_strdup ("-");
    return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                            " %d %s %" G_GINT64_FORMAT " %s",
                            rec->size, rec->mtime_ns, rec->ctime_ns, (int) rec->status,
                            rec->sha256 ? rec->sha256 : "-", rec->dev, mount);
}

gboolean
evx_record_file_stat_parse (const char *value, evx_file_stat *st)
{
    gint64 size = 0, mtime = 0, ctime = 0, dev = -1;
    int status = 0, used = 0;
    char sha[65];
    /* the device and mount point came later: a value without them is read as unknown */
    int n = sscanf (value, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                    " %d %64s %" G_GINT64_FORMAT " %n", &size, &mtime, &ctime, &status, sha, &dev,
                    &used);
    if (n < 5 || status < EVX_FILE_INDEXED || status > EVX_FILE_SKIPPED)
        return FALSE;
    st->dev = n >= 6 ? dev : -1;
    const char *mount = n >= 6 && used > 0 ? value + used : "-";
    st->mount_point = strcmp (mount, "-") == 0 || !*mount ? NULL
                                                          : g_uri_unescape_string (mount, NULL);
    st->size = size;
    st->mtime_ns = mtime;
    st->ctime_ns = ctime;
    st->status = (evx_file_status) status;
    st->sha256 = strcmp (sha, "-") == 0 ? NULL : g_strdup (sha);
    return TRUE;
}

char *
evx_record_passage_retarget (const char *data, gsize len, const char *path, const char *id,
                             GError **error)
{
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *o = parse_object (parser, data, len, "passage", error);
    if (!o)
        return NULL;
    json_object_set_string_member (o, "path", path);
    json_object_set_string_member (o, "passage", id);
    g_autoptr (JsonGenerator) gen = json_generator_new ();
    json_generator_set_root (gen, json_parser_get_root (parser));
    return json_generator_to_data (gen, NULL);
}

void
evx_file_record_free (evx_file_record *rec)
{
    if (!rec)
        return;
    g_free (rec->path);
    g_free (rec->sha256);
    g_free (rec->mime_type);
    g_free (rec->title);
    g_free (rec->author);
    g_free (rec->producer);
    g_free (rec->reason);
    g_free (rec->doc_type);
    g_free (rec->mount_point);
    evx_certificate_free (rec->certificate);
    g_free (rec);
}

evx_file_record *
evx_record_file_read (const char *data, gsize len, GError **error)
{
    g_autoptr (JsonParser) parser = json_parser_new_immutable ();
    JsonObject *o = parse_object (parser, data, len, "file", error);
    if (!o)
        return NULL;
    g_autoptr (evx_file_record) rec = g_new0 (evx_file_record, 1);
    rec->path = dup_string (o, "path");
    rec->sha256 = dup_string (o, "sha256");
    g_autofree char *status = dup_string (o, "status");
    rec->status = status_from_name (status);
    rec->reason = dup_string (o, "reason");
    rec->doc_type = dup_string (o, "doc_type");
    rec->edition = (int) json_object_get_int_member_with_default (o, "edition", 0);
    rec->certificate = evx_json_read_certificate (json_object_get_member (o, "certificate"), NULL);
    if (!rec->path || (!rec->sha256 && rec->status == EVX_FILE_INDEXED)) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "incomplete file record in the index");
        return NULL;
    }
    rec->mime_type = dup_string (o, "mime_type");
    rec->title = dup_string (o, "title");
    rec->author = dup_string (o, "author");
    rec->producer = dup_string (o, "producer");
    rec->created = json_object_get_int_member_with_default (o, "created", -1);
    rec->size = json_object_get_int_member_with_default (o, "size", -1);
    rec->mtime = json_object_get_int_member_with_default (o, "mtime", -1);
    rec->page_count = (int) json_object_get_int_member_with_default (o, "page_count", 0);
    rec->passages = (guint) json_object_get_int_member_with_default (o, "passages", 0);
    rec->mtime_ns = json_object_get_int_member_with_default (o, "mtime_ns", -1);
    rec->ctime_ns = json_object_get_int_member_with_default (o, "ctime_ns", -1);
    rec->dev = json_object_get_int_member_with_default (o, "dev", -1);
    rec->mount_point = dup_string (o, "mount_point");
    return g_steal_pointer (&rec);
}

/* A root as stored: its path when that is UTF-8, else "base64:" + its bytes (a path
 * that is not UTF-8 cannot go into JSON, and a root is absolute: it starts with "/"). */
static char *
root_encode (const char *path)
{
    if (g_utf8_validate (path, -1, NULL))
        return g_strdup (path);
    g_autofree char *b64 = g_base64_encode ((const guchar *) path, strlen (path));
    return g_strconcat ("base64:", b64, NULL);
}

static char *
root_decode (const char *stored)
{
    if (!g_str_has_prefix (stored, "base64:"))
        return g_strdup (stored);
    gsize len = 0;
    guchar *raw = g_base64_decode (stored + 7, &len);
    char *path = g_strndup ((const char *) raw, len);
    g_free (raw);
    return path;
}

char **
evx_record_roots_read (const char *value, GError **error)
{
    g_autoptr (GStrvBuilder) sb = g_strv_builder_new ();
    if (value && *value) {
        g_autoptr (JsonParser) parser = json_parser_new ();
        JsonNode *root = json_parser_load_from_data (parser, value, -1, NULL)
                             ? json_parser_get_root (parser)
                             : NULL;
        if (!root || !JSON_NODE_HOLDS_ARRAY (root)) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                         "the roots recorded in the index are unreadable");
            return NULL;
        }
        JsonArray *a = json_node_get_array (root);
        for (guint i = 0; i < json_array_get_length (a); i++) {
            JsonNode *n = json_array_get_element (a, i);
            if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING) {
                g_autofree char *path = root_decode (json_node_get_string (n));
                g_strv_builder_add (sb, path);
            }
        }
    }
    return g_strv_builder_end (sb);
}

/* TRUE when @path is @root or inside it. */
static gboolean
inside (const char *path, const char *root)
{
    gsize n = strlen (root);
    return strncmp (path, root, n) == 0
           && (path[n] == '\0' || path[n] == '/' || (n > 0 && root[n - 1] == '/'));
}

char *
evx_record_roots_merge (const char *const *old, const char *const *added)
{
    g_autoptr (GPtrArray) all = g_ptr_array_new ();
    for (guint i = 0; old && old[i]; i++)
        g_ptr_array_add (all, (gpointer) old[i]);
    for (guint i = 0; added && added[i]; i++) {
        gboolean covered = FALSE;
        for (guint j = 0; j < all->len && !covered; j++)
            covered = inside (added[i], g_ptr_array_index (all, j));
        if (covered)
            continue;
        /* a recorded root inside the new one gives way to it */
        for (guint j = all->len; j-- > 0;)
            if (inside (g_ptr_array_index (all, j), added[i]))
                g_ptr_array_remove_index (all, j);
        g_ptr_array_add (all, (gpointer) added[i]);
    }
    g_autoptr (JsonBuilder) b = json_builder_new ();
    json_builder_begin_array (b);
    for (guint i = 0; i < all->len; i++) {
        g_autofree char *stored = root_encode (g_ptr_array_index (all, i));
        json_builder_add_string_value (b, stored);
    }
    json_builder_end_array (b);
    return evx_json_to_string (b, FALSE, NULL);
}
