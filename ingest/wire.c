/* wire.c - the document as JSON between worker and parent, validated on arrival (see wire.h). */
#include "ingest/wire.h"

#include <string.h>

#include "ingest/doctype.h"
#include "ingest/error.h"
#include "ingest/json.h"

/* ---- serialisation ---------------------------------------------------- */

void
evx_wire_add_document (JsonBuilder *b, const evx_document *doc)
{
    json_builder_begin_object (b);
    evx_json_set_string (b, "path", doc->path);
    evx_json_set_string (b, "mime_type", doc->mime_type);
    evx_json_set_string (b, "title", doc->title);
    evx_json_set_string (b, "author", doc->author);
    evx_json_set_string (b, "producer", doc->producer);
    json_builder_set_member_name (b, "created");
    json_builder_add_int_value (b, doc->created);
    evx_json_set_string (b, "container", doc->container);
    json_builder_set_member_name (b, "page_count");
    json_builder_add_int_value (b, doc->page_count);
    json_builder_set_member_name (b, "pages_without_text");
    json_builder_add_int_value (b, doc->pages_without_text);
    json_builder_set_member_name (b, "invalid_bytes");
    json_builder_add_int_value (b, (gint64) MIN (doc->invalid_bytes, (guint64) G_MAXINT64));
    json_builder_set_member_name (b, "edition");
    json_builder_add_int_value (b, doc->edition);
    evx_json_set_string (b, "doc_type", evx_doctype_name ((evx_doctype) doc->doc_type));
    json_builder_set_member_name (b, "certificate");
    evx_json_add_certificate (b, doc->certificate);
    json_builder_set_member_name (b, "page_texts");
    json_builder_begin_array (b);
    for (guint i = 0; i < doc->page_texts->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (doc->page_texts, i));
    json_builder_end_array (b);
    json_builder_set_member_name (b, "passages");
    json_builder_begin_array (b);
    for (guint i = 0; i < doc->passages->len; i++) {
        const evx_passage *p = g_ptr_array_index (doc->passages, i);
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "page");
        json_builder_add_int_value (b, p->page);
        evx_json_set_string (b, "page_label", p->page_label);
        json_builder_set_member_name (b, "start");
        json_builder_add_int_value (b, p->start);
        json_builder_set_member_name (b, "end");
        json_builder_add_int_value (b, p->end);
        evx_json_set_string (b, "text", p->text);
        json_builder_set_member_name (b, "is_heading");
        json_builder_add_boolean_value (b, p->is_heading);
        evx_json_set_int (b, "heading_chars", p->heading_chars);
        evx_json_set_int (b, "heading_level", p->heading_level);
        json_builder_set_member_name (b, "clauses");
        json_builder_begin_array (b);
        for (guint j = 0; j < p->clauses->len; j++)
            evx_json_add_clause_tag (b, g_ptr_array_index (p->clauses, j));
        json_builder_end_array (b);
        json_builder_set_member_name (b, "commitments");
        evx_json_add_commitments (b, p->commitments);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
    json_builder_end_object (b);
}

char *
evx_document_to_json (const evx_document *doc, gsize *len)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    evx_wire_add_document (b, doc);
    return evx_json_to_string (b, FALSE, len);
}

/* ---- validation ------------------------------------------------------- */

typedef struct {
    GError **error;
    gboolean failed;
} checker;

static gboolean
invalid (checker *ck, const char *field, const char *why)
{
    if (!ck->failed)
        g_set_error (ck->error, EVX_ERROR, EVX_ERROR_INVALID, "invalid extraction result: %s %s",
                     field, why);
    ck->failed = TRUE;
    return FALSE;
}

static JsonNode *
member (checker *ck, JsonObject *o, const char *name, JsonNodeType type, gboolean nullable)
{
    JsonNode *n = o ? json_object_get_member (o, name) : NULL;
    if (!n) {
        invalid (ck, name, "is missing");
        return NULL;
    }
    if (JSON_NODE_HOLDS_NULL (n)) {
        if (!nullable)
            invalid (ck, name, "is null");
        return NULL;
    }
    if (json_node_get_node_type (n) != type) {
        invalid (ck, name, "has the wrong type");
        return NULL;
    }
    return n;
}

static char *
get_string (checker *ck, JsonObject *o, const char *name, gboolean nullable)
{
    JsonNode *n = member (ck, o, name, JSON_NODE_VALUE, nullable);
    if (!n)
        return NULL;
    if (json_node_get_value_type (n) != G_TYPE_STRING) {
        invalid (ck, name, "is not a string");
        return NULL;
    }
    return g_strdup (json_node_get_string (n));
}

static gint64
get_int (checker *ck, JsonObject *o, const char *name, gint64 min, gint64 max)
{
    JsonNode *n = member (ck, o, name, JSON_NODE_VALUE, FALSE);
    if (!n)
        return min;
    if (json_node_get_value_type (n) != G_TYPE_INT64) {
        invalid (ck, name, "is not an integer");
        return min;
    }
    gint64 v = json_node_get_int (n);
    if (v < min || v > max) {
        invalid (ck, name, "is out of range");
        return min;
    }
    return v;
}

static int
get_edition (checker *ck, JsonObject *o)
{
    gint64 edition = get_int (ck, o, "edition", 2012, 2019);
    if (!ck->failed && edition != 2012 && edition != 2019)
        invalid (ck, "edition", "is not 2012 or 2019");
    return (int) edition;
}

static gboolean
get_bool (checker *ck, JsonObject *o, const char *name)
{
    JsonNode *n = member (ck, o, name, JSON_NODE_VALUE, FALSE);
    if (n && json_node_get_value_type (n) != G_TYPE_BOOLEAN) {
        invalid (ck, name, "is not a boolean");
        return FALSE;
    }
    return n ? json_node_get_boolean (n) : FALSE;
}

static JsonArray *
get_array (checker *ck, JsonObject *o, const char *name)
{
    JsonNode *n = member (ck, o, name, JSON_NODE_ARRAY, FALSE);
    return n ? json_node_get_array (n) : NULL;
}

static JsonObject *
element_object (checker *ck, JsonArray *a, guint i, const char *what)
{
    JsonNode *n = json_array_get_element (a, i);
    if (!JSON_NODE_HOLDS_OBJECT (n)) {
        invalid (ck, what, "element is not an object");
        return NULL;
    }
    return json_node_get_object (n);
}

static double
get_double (checker *ck, JsonObject *o, const char *name, double min, double max)
{
    JsonNode *n = member (ck, o, name, JSON_NODE_VALUE, FALSE);
    if (!n)
        return min;
    GType type = json_node_get_value_type (n);
    if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64) {
        invalid (ck, name, "is not a number");
        return min;
    }
    double v = json_node_get_double (n);
    if (!(v >= min && v <= max)) {
        invalid (ck, name, "is out of range");
        return min;
    }
    return v;
}

static char **
get_strings (checker *ck, JsonObject *o, const char *name)
{
    JsonArray *a = get_array (ck, o, name);
    if (!a || json_array_get_length (a) == 0)
        return NULL;
    GStrvBuilder *sb = g_strv_builder_new ();
    for (guint i = 0; i < json_array_get_length (a); i++) {
        JsonNode *n = json_array_get_element (a, i);
        if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING
            || !g_utf8_validate (json_node_get_string (n), -1, NULL)) {
            invalid (ck, name, "element is not a UTF-8 string");
            break;
        }
        g_strv_builder_add (sb, json_node_get_string (n));
    }
    char **v = g_strv_builder_end (sb);
    g_strv_builder_unref (sb);
    return v;
}

static void
read_clauses (checker *ck, JsonArray *a, evx_passage *p)
{
    for (guint i = 0; a && i < json_array_get_length (a) && !ck->failed; i++) {
        JsonObject *o = element_object (ck, a, i, "clauses");
        if (!o)
            return;
        g_autofree char *id = get_string (ck, o, "id", FALSE);
        g_autofree char *edition_name = get_string (ck, o, "edition", FALSE);
        int edition = g_strcmp0 (edition_name, "2012") == 0 ? 2012 : 2019;
        if (!ck->failed && g_strcmp0 (edition_name, "2012") != 0
            && g_strcmp0 (edition_name, "2019") != 0)
            invalid (ck, "edition", "is not 2012 or 2019");
        g_autofree char *title = get_string (ck, o, "title", TRUE);
        g_autofree char *reason_name = get_string (ck, o, "reason", FALSE);
        evx_clause_reason reason = evx_clause_reason_from_name (reason_name);
        if (!ck->failed && reason == 0)
            invalid (ck, "reason", "names no reason");
        double confidence = get_double (ck, o, "confidence", 0.0, 1.0);
        g_auto (GStrv) matched = get_strings (ck, o, "matched");
        g_auto (GStrv) equivalents = get_strings (ck, o, "equivalents");
        if (ck->failed)
            return;
        evx_clause_tag *t = evx_passage_add_clause (p, id, edition, title, reason, confidence);
        if (t) {
            t->matched = g_steal_pointer (&matched);
            t->equivalents = g_steal_pointer (&equivalents);
        }
    }
}

static void
read_passages (checker *ck, JsonArray *a, evx_document *doc, const glong *page_chars)
{
    for (guint i = 0; a && i < json_array_get_length (a) && !ck->failed; i++) {
        JsonObject *o = element_object (ck, a, i, "passages");
        /* Page 0 ("no pages") only in a document without pages. */
        gint64 page = get_int (ck, o, "page", doc->page_count > 0 ? 1 : 0, doc->page_count);
        glong limit = page >= 1 && page <= doc->page_count ? page_chars[page - 1]
                      : doc->page_texts->len == 1 ? page_chars[0]
                                                  : 0;
        gint64 start = get_int (ck, o, "start", 0, limit);
        gint64 end = get_int (ck, o, "end", start, limit);
        g_autofree char *text = get_string (ck, o, "text", FALSE);
        g_autofree char *label = get_string (ck, o, "page_label", TRUE);
        gboolean heading = get_bool (ck, o, "is_heading");
        gint64 heading_chars = get_int (ck, o, "heading_chars", 0, EVX_PASSAGE_MAX_CHARS);
        gint64 heading_level = get_int (ck, o, "heading_level", 0, 6);
        if (ck->failed)
            return;
        if (g_utf8_strlen (text, -1) > EVX_PASSAGE_MAX_CHARS) {
            invalid (ck, "text", "is longer than a passage may be");
            return;
        }
        evx_passage *p = evx_passage_new ((int) page, (glong) start, (glong) end, text);
        p->page_label = g_steal_pointer (&label);
        p->is_heading = heading;
        p->heading_chars = heading ? (glong) heading_chars : 0;
        p->heading_level = heading ? (int) heading_level : 0;
        g_ptr_array_add (doc->passages, p);
        read_clauses (ck, get_array (ck, o, "clauses"), p);
        GError *cerr = NULL;
        if (!ck->failed
            && !evx_json_read_commitments (json_object_get_member (o, "commitments"), p->commitments,
                                           &cerr)) {
            invalid (ck, "commitments", cerr->message + strlen ("commitments "));
            g_error_free (cerr);
        }
    }
}

evx_document *
evx_wire_read_document (JsonNode *root, GError **error)
{
    checker ck = { error, FALSE };
    if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
        invalid (&ck, "document", "is not an object");
        return NULL;
    }
    JsonObject *o = json_node_get_object (root);
    g_autofree char *path = get_string (&ck, o, "path", FALSE);
    if (ck.failed)
        return NULL;
    g_autoptr (evx_document) doc = evx_document_new (path);
    doc->mime_type = get_string (&ck, o, "mime_type", FALSE);
    /* it becomes an index term: short, printable, no spaces */
    if (!ck.failed && (strlen (doc->mime_type) > 127 || strpbrk (doc->mime_type, " \t\r\n")))
        invalid (&ck, "mime_type", "is not a MIME type");
    doc->title = get_string (&ck, o, "title", TRUE);
    doc->author = get_string (&ck, o, "author", TRUE);
    doc->producer = get_string (&ck, o, "producer", TRUE);
    doc->created = get_int (&ck, o, "created", -1, G_MAXINT64);
    doc->container = get_string (&ck, o, "container", TRUE);
    doc->page_count = (int) get_int (&ck, o, "page_count", 0, 1000000);
    doc->pages_without_text = (int) get_int (&ck, o, "pages_without_text", 0, doc->page_count);
    doc->invalid_bytes = (guint64) get_int (&ck, o, "invalid_bytes", 0, G_MAXINT64);
    doc->edition = get_edition (&ck, o);
    g_autofree char *doc_type = get_string (&ck, o, "doc_type", FALSE);
    doc->doc_type = ck.failed ? 0 : evx_doctype_from_name (doc_type);
    if (!ck.failed && doc->doc_type < 0)
        invalid (&ck, "doc_type", "names no kind of document");
    if (!ck.failed) {
        GError *cert_error = NULL;
        doc->certificate = evx_json_read_certificate (json_object_get_member (o, "certificate"),
                                                      &cert_error);
        if (cert_error) {
            invalid (&ck, "certificate", cert_error->message + strlen ("certificate "));
            g_error_free (cert_error);
        }
    }
    JsonArray *texts = get_array (&ck, o, "page_texts");
    if (ck.failed)
        return NULL;
    /* one text per page; a document without pages has one text, or none when empty;
     * none at all when the passages travel encoded (then there are no passages either) */
    guint n_texts = json_array_get_length (texts);
    if (n_texts > 0 && (doc->page_count > 0 ? n_texts != (guint) doc->page_count : n_texts > 1)) {
        invalid (&ck, "page_texts", "does not have one text per page");
        return NULL;
    }
    g_autofree glong *page_chars = g_new0 (glong, doc->page_count + 1);
    for (guint i = 0; i < json_array_get_length (texts); i++) {
        JsonNode *n = json_array_get_element (texts, i);
        if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING) {
            invalid (&ck, "page_texts", "holds a non-string");
            return NULL;
        }
        const char *t = json_node_get_string (n);
        page_chars[i] = g_utf8_strlen (t, -1);
        g_ptr_array_add (doc->page_texts, g_strdup (t));
    }
    read_passages (&ck, get_array (&ck, o, "passages"), doc, page_chars);
    if (ck.failed)
        return NULL;
    return g_steal_pointer (&doc);
}

JsonParser *
evx_wire_parse (const char *data, gsize len, GError **error)
{
    JsonParser *parser = json_parser_new_immutable ();
    g_autoptr (GError) perr = NULL;
    if (!json_parser_load_from_data (parser, data, (gssize) len, &perr)) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "invalid extraction result: %s",
                     perr->message);
        g_object_unref (parser);
        return NULL;
    }
    return parser;
}

evx_document *
evx_document_from_json (const char *data, gsize len, GError **error)
{
    g_autoptr (JsonParser) parser = evx_wire_parse (data, len, error);
    return parser ? evx_wire_read_document (json_parser_get_root (parser), error) : NULL;
}
