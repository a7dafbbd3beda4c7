/* worker.c - isolated extraction (fork, limits, JSON over a pipe, validation). */
#include "ingest/worker.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ingest/doctype.h"
#include "ingest/error.h"
#include "ingest/extract.h"
#include "ingest/json.h"

#define MAX_REPLY_BYTES ((gsize) 512 << 20)

#if defined(__SANITIZE_ADDRESS__)
#define EVX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EVX_ASAN 1
#endif
#endif

/* ---- serialisation ---------------------------------------------------- */

static void
build_document (JsonBuilder *b, const evx_document *doc)
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
    build_document (b, doc);
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

static evx_document *
document_from_node (JsonNode *root, GError **error)
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
    /* one text per page; a document without pages has one text, or none when empty */
    guint n_texts = json_array_get_length (texts);
    if (doc->page_count > 0 ? n_texts != (guint) doc->page_count : n_texts > 1) {
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

static JsonParser *
parse_json (const char *data, gsize len, GError **error)
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
    g_autoptr (JsonParser) parser = parse_json (data, len, error);
    return parser ? document_from_node (json_parser_get_root (parser), error) : NULL;
}

/* ---- the child process ------------------------------------------------ */

static void
write_all (int fd, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write (fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit (3);
        data += n;
        len -= (gsize) n;
    }
}

static void
set_limit (int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = { soft, hard };
    setrlimit (resource, &rl);
}

/* Extracts @path and returns the reply to send: {"document": ...} or {"error": ...},
 * each with the detected "mime_type".  Kept apart from child_main() so that everything
 * but the reply is freed before the child's _exit() (which runs no cleanup). */
static char *
child_reply (const char *path, const evx_catalog *cat, const evx_extract_options *opts, gsize *len)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *mime = NULL;
    g_autoptr (evx_document) doc = evx_extract_file_with (path, opts, cat, &mime, &error);
    g_autoptr (JsonBuilder) b = json_builder_new ();
    json_builder_begin_object (b);
    evx_json_set_string (b, "mime_type", mime);
    if (doc) {
        /* JSON carries UTF-8 only; the parent knows the real path anyway. */
        char *shown = g_filename_display_name (doc->path);
        g_free (doc->path);
        doc->path = shown;
        json_builder_set_member_name (b, "document");
        build_document (b, doc);
    } else {
        json_builder_set_member_name (b, "error");
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "code");
        json_builder_add_int_value (b, error->domain == EVX_ERROR ? error->code : EVX_ERROR_DAMAGED);
        json_builder_set_member_name (b, "message");
        json_builder_add_string_value (b, error->message);
        json_builder_end_object (b);
    }
    json_builder_end_object (b);
    return evx_json_to_string (b, FALSE, len);
}

/* poppler-glib hands its syntax errors to g_log (domain "Poppler", level INFO), which
 * GLib's default handler does not print: they are written as one line each. */
static void
print_poppler_message (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
    (void) domain;
    (void) level;
    (void) data;
    g_autofree char *line = g_strdup (message);
    for (char *p = line; *p; p++)
        if ((guchar) *p < 0x20)
            *p = ' ';
    fprintf (stderr, "poppler: %s\n", g_strstrip (line));
}

G_GNUC_NORETURN static void
child_main (int fd, int diag_fd, const char *path, const evx_catalog *cat,
            const evx_worker_limits *limits, const evx_extract_options *opts)
{
#ifdef __linux__
    prctl (PR_SET_PDEATHSIG, SIGKILL);   /* never outlive an interrupted run */
#endif
    /* What poppler, libxml2 and GLib print goes to the parent, which counts it and
     * keeps a few lines for the file's report. */
    dup2 (diag_fd, STDERR_FILENO);
    close (diag_fd);
    /* its own process group: Ctrl-C at the terminal reaches the parent only, which
     * stops after this file */
    setpgid (0, 0);
    g_log_set_handler ("Poppler", G_LOG_LEVEL_MASK, print_poppler_message, NULL);
    set_limit (RLIMIT_CORE, 0, 0);
    /* SIGXCPU at the soft limit, SIGKILL only if that is ignored */
    if (limits->cpu_s)
        set_limit (RLIMIT_CPU, limits->cpu_s, limits->cpu_s + 5);
#ifndef EVX_ASAN
    if (limits->memory_bytes)
        set_limit (RLIMIT_AS, (rlim_t) limits->memory_bytes, (rlim_t) limits->memory_bytes);
#endif
    gsize len = 0;
    char *out = child_reply (path, cat, opts, &len);
    write_all (fd, out, len);
    g_free (out);
    close (fd);
    _exit (0);
}

/* ---- the parent ------------------------------------------------------- */

static gint64
now_ms (void)
{
    return g_get_monotonic_time () / 1000;
}

/* The worker's stderr, cut into lines: counted, the first few kept. */
typedef struct {
    GString *partial;
    evx_worker_info *info;
} diag_reader;

static void
diag_line (diag_reader *d)
{
    char *line = g_strstrip (d->partial->str);
    if (*line && d->info) {
        d->info->n_diagnostics++;
        if (d->info->diagnostics->len < EVX_WORKER_MAX_DIAGNOSTICS) {
            g_autofree char *valid = g_utf8_make_valid (line, -1);
            if (g_utf8_strlen (valid, -1) > EVX_WORKER_DIAGNOSTIC_CHARS)
                *g_utf8_offset_to_pointer (valid, EVX_WORKER_DIAGNOSTIC_CHARS) = '\0';
            gboolean seen = FALSE;   /* the same line a thousand times is one example */
            for (guint i = 0; i < d->info->diagnostics->len && !seen; i++)
                seen = strcmp (g_ptr_array_index (d->info->diagnostics, i), valid) == 0;
            if (!seen)
                g_ptr_array_add (d->info->diagnostics, g_steal_pointer (&valid));
        }
    }
    g_string_truncate (d->partial, 0);
}

static void
diag_feed (diag_reader *d, const char *buf, gssize n)
{
    for (gssize i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            diag_line (d);
        } else if (d->partial->len < 4096) {
            g_string_append_c (d->partial, buf[i]);
        }
    }
}

/* Reads the child's whole reply (and its diagnostics), or stops at the deadline.
 * Returns FALSE on timeout. */
static gboolean
read_reply (int fd, int diag_fd, diag_reader *diag, GByteArray *reply, gint64 deadline_ms,
            gboolean *too_big)
{
    char buf[65536];
    gboolean reply_open = TRUE, diag_open = TRUE;
    while (reply_open) {
        int wait = -1;
        if (deadline_ms > 0) {
            gint64 left = deadline_ms - now_ms ();
            if (left <= 0)
                return FALSE;
            wait = (int) MIN (left, G_MAXINT);
        }
        struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN },
                                 { .fd = diag_open ? diag_fd : -1, .events = POLLIN } };
        int r = poll (pfd, 2, wait);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            return FALSE;
        if (pfd[1].revents) {
            ssize_t n = read (diag_fd, buf, sizeof buf);
            if (n > 0)
                diag_feed (diag, buf, n);
            else if (n == 0 || errno != EINTR)
                diag_open = FALSE;
        }
        if (pfd[0].revents) {
            ssize_t n = read (fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                reply_open = FALSE;
                break;
            }
            if (reply->len + (gsize) n > MAX_REPLY_BYTES) {
                *too_big = TRUE;
                return TRUE;
            }
            g_byte_array_append (reply, (const guint8 *) buf, (guint) n);
        }
    }
    /* the reply is complete: what is left of the diagnostics, without waiting */
    while (diag_open) {
        struct pollfd pfd = { .fd = diag_fd, .events = POLLIN };
        if (poll (&pfd, 1, 0) <= 0)
            break;
        ssize_t n = read (diag_fd, buf, sizeof buf);
        if (n <= 0)
            break;
        diag_feed (diag, buf, n);
    }
    return TRUE;
}

static evx_document *
parse_reply (GByteArray *reply, evx_worker_info *info, GError **error)
{
    g_autoptr (JsonParser) parser = parse_json ((const char *) reply->data, reply->len, error);
    if (!parser)
        return NULL;
    JsonNode *root = json_parser_get_root (parser);
    JsonObject *o = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
    JsonNode *doc = o ? json_object_get_member (o, "document") : NULL;
    JsonNode *err = o ? json_object_get_member (o, "error") : NULL;
    JsonNode *mime = o ? json_object_get_member (o, "mime_type") : NULL;
    if (info && mime && JSON_NODE_HOLDS_VALUE (mime) && json_node_get_value_type (mime) == G_TYPE_STRING
        && g_utf8_validate (json_node_get_string (mime), -1, NULL)
        && strlen (json_node_get_string (mime)) < 256) {
        g_free (info->mime_type);
        info->mime_type = g_strdup (json_node_get_string (mime));
    }
    if (doc)
        return document_from_node (doc, error);
    if (err && JSON_NODE_HOLDS_OBJECT (err)) {
        JsonObject *e = json_node_get_object (err);
        gint64 code = json_object_get_int_member_with_default (e, "code", EVX_ERROR_DAMAGED);
        const char *msg = json_object_get_string_member_with_default (e, "message", NULL);
        if (code < EVX_ERROR_IO || code > EVX_ERROR_NO_MEMORY || !msg) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID, "invalid extraction result: bad error");
            return NULL;
        }
        g_set_error (error, EVX_ERROR, (int) code, "%s", msg);
        return NULL;
    }
    g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                 "invalid extraction result: neither a document nor an error");
    return NULL;
}

/* TRUE when the worker said it could not allocate memory (GLib, C++ or poppler). */
static gboolean
out_of_memory (const evx_worker_info *info)
{
    for (guint i = 0; i < info->diagnostics->len; i++) {
        const char *line = g_ptr_array_index (info->diagnostics, i);
        if (strstr (line, "failed to allocate") || strstr (line, "bad_alloc")
            || strstr (line, "Out of memory") || strstr (line, "out of memory"))
            return TRUE;
    }
    return FALSE;
}

void
evx_worker_info_clear (evx_worker_info *info)
{
    if (!info)
        return;
    g_clear_pointer (&info->mime_type, g_free);
    g_clear_pointer (&info->diagnostics, g_ptr_array_unref);
    info->n_diagnostics = 0;
    info->seconds = 0;
    info->signal = 0;
    info->killed_by_us = FALSE;
}

evx_document *
evx_worker_extract_full (const char *path, const evx_catalog *cat, const evx_worker_limits *limits,
                         const evx_extract_options *opts, evx_worker_info *info, GError **error)
{
    static const evx_worker_limits defaults = { EVX_WORKER_DEFAULT_TIMEOUT_S,
                                                EVX_WORKER_DEFAULT_CPU_S,
                                                EVX_WORKER_DEFAULT_MEMORY_BYTES };
    static const evx_extract_options default_opts = { NULL, EVX_EXTRACT_DEFAULT_MAX_BYTES,
                                                      EVX_EXTRACT_DEFAULT_MAX_PAGES };
    if (!limits)
        limits = &defaults;
    if (!opts)
        opts = &default_opts;
    /* the diagnostics are needed to tell memory exhaustion from other crashes */
    g_auto (evx_worker_info) local = { 0 };
    if (!info)
        info = &local;
    evx_worker_info_clear (info);
    info->diagnostics = g_ptr_array_new_with_free_func (g_free);
    gint64 started = g_get_monotonic_time ();
    int fds[2], diag[2];
    if (pipe (fds) != 0) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot start a worker: %s",
                     g_strerror (errno));
        return NULL;
    }
    if (pipe (diag) != 0) {
        close (fds[0]);
        close (fds[1]);
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot start a worker: %s",
                     g_strerror (errno));
        return NULL;
    }
    fflush (NULL);
    pid_t pid = fork ();
    if (pid < 0) {
        close (fds[0]);
        close (fds[1]);
        close (diag[0]);
        close (diag[1]);
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot start a worker: %s",
                     g_strerror (errno));
        return NULL;
    }
    if (pid == 0) {
        close (fds[0]);
        close (diag[0]);
        child_main (fds[1], diag[1], path, cat, limits, opts);
    }
    close (fds[1]);
    close (diag[1]);

    g_autoptr (GByteArray) reply = g_byte_array_new ();
    gboolean too_big = FALSE;
    diag_reader dr = { g_string_new (NULL), info };
    gint64 deadline = limits->timeout_s ? now_ms () + (gint64) limits->timeout_s * 1000 : 0;
    gboolean finished = read_reply (fds[0], diag[0], &dr, reply, deadline, &too_big);
    diag_line (&dr);   /* a last line without a newline */
    g_string_free (dr.partial, TRUE);
    close (fds[0]);
    close (diag[0]);
    if (!finished || too_big) {
        kill (pid, SIGKILL);
        info->killed_by_us = TRUE;
    }
    int status = 0;
    while (waitpid (pid, &status, 0) < 0 && errno == EINTR) {
    }
    info->seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

    if (!finished) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT, "timeout: no result after %u s",
                     limits->timeout_s);
        return NULL;
    }
    if (too_big) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT, "limit: extracted text exceeds %u MiB",
                     (guint) (MAX_REPLY_BYTES >> 20));
        return NULL;
    }
    if (WIFSIGNALED (status))
        info->signal = WTERMSIG (status);
    if (WIFSIGNALED (status)) {
        int sig = WTERMSIG (status);
        if (sig == SIGXCPU)
            g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT, "limit: CPU time over %u s",
                         limits->cpu_s);
        else if (out_of_memory (info) && limits->memory_bytes)
            g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT,
                         "limit: out of memory at the memory limit of %" G_GUINT64_FORMAT
                         " MiB (signal %d)",
                         limits->memory_bytes >> 20, sig);
        else if (sig == SIGBUS)
            /* the file is mapped: reading past its new end raises SIGBUS */
            g_set_error (error, EVX_ERROR, EVX_ERROR_IO,
                         "changed while being read: the file shrank (signal %d, %s)", sig,
                         g_strsignal (sig));
        else if ((sig == SIGABRT || sig == SIGTRAP) && limits->memory_bytes)
            g_set_error (error, EVX_ERROR, EVX_ERROR_CRASHED,
                         "crashed: signal %d (%s), possibly at the memory limit of %" G_GUINT64_FORMAT
                         " MiB",
                         sig, g_strsignal (sig), limits->memory_bytes >> 20);
        else
            g_set_error (error, EVX_ERROR, EVX_ERROR_CRASHED, "crashed: signal %d (%s)", sig,
                         g_strsignal (sig));
        return NULL;
    }
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_CRASHED, "crashed: worker exited with status %d",
                     WIFEXITED (status) ? WEXITSTATUS (status) : -1);
        return NULL;
    }
    return parse_reply (reply, info == &local ? NULL : info, error);
}

evx_document *
evx_worker_extract (const char *path, const evx_catalog *cat, const evx_worker_limits *limits,
                    GError **error)
{
    return evx_worker_extract_full (path, cat, limits, NULL, NULL, error);
}
