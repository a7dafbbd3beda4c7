/* report.c - the run report as JSON (see report.h). */
#include "query/report.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "ingest/error.h"
#include "ingest/json.h"
#include "query/cli.h"

struct evx_run_report {
    char *command;
    char *db;
    GDateTime *started;
    GPtrArray *files;   /* JsonNode */
};

evx_run_report *
evx_run_report_new (const char *command, const char *db)
{
    evx_run_report *r = g_new0 (evx_run_report, 1);
    r->command = g_strdup (command);
    r->db = g_filename_display_name (db);
    r->started = g_date_time_new_now_utc ();
    r->files = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
    return r;
}

void
evx_run_report_free (evx_run_report *r)
{
    if (!r)
        return;
    g_free (r->command);
    g_free (r->db);
    g_date_time_unref (r->started);
    g_ptr_array_unref (r->files);
    g_free (r);
}

static void
set_count (JsonBuilder *b, const char *name, gint64 value)
{
    json_builder_set_member_name (b, name);
    if (value < 0)
        json_builder_add_null_value (b);
    else
        json_builder_add_int_value (b, value);
}

void
evx_run_report_add (evx_run_report *r, const evx_report_entry *e)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    json_builder_begin_object (b);
    evx_json_set_string (b, "path", e->path);
    evx_json_set_string (b, "outcome", e->outcome);
    evx_json_set_string (b, "change", e->change);
    evx_json_set_string (b, "moved_from", e->moved_from);
    evx_json_set_string (b, "type", e->type);
    evx_json_set_string (b, "container", e->container);
    set_count (b, "pages", e->pages);
    set_count (b, "pages_without_text", e->pages_without_text);
    json_builder_set_member_name (b, "needs_ocr");
    json_builder_add_boolean_value (b, e->needs_ocr);
    set_count (b, "passages", e->passages);
    set_count (b, "invalid_bytes", e->invalid_bytes);
    json_builder_set_member_name (b, "seconds");
    if (e->seconds < 0)
        json_builder_add_null_value (b);
    else
        json_builder_add_double_value (b, (double) (gint64) (e->seconds * 1000 + 0.5) / 1000);
    evx_json_set_string (b, "reason", e->reason);
    evx_json_set_string (b, "note", e->note);
    json_builder_set_member_name (b, "diagnostics");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "count");
    json_builder_add_int_value (b, e->n_diagnostics);
    json_builder_set_member_name (b, "examples");
    json_builder_begin_array (b);
    for (guint i = 0; e->diagnostics && i < e->diagnostics->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (e->diagnostics, i));
    json_builder_end_array (b);
    json_builder_end_object (b);
    json_builder_end_object (b);
    g_ptr_array_add (r->files, json_builder_get_root (b));
}

/* Writes @len bytes of @text to @path: a regular file (or a new one) is replaced
 * atomically, keeping its permissions (a new one is its owner's only: the report names
 * every file and failure); anything else (a symbolic link such as /dev/stdout, a device,
 * a FIFO with a reader) is written through, never replaced by a file. */
static gboolean
write_in_place (const char *path, const char *text, gsize len, GError **error)
{
    struct stat st;
    gboolean exists = lstat (path, &st) == 0;
    if (!exists || S_ISREG (st.st_mode))
        return g_file_set_contents_full (path, text, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT,
                                         exists ? (int) (st.st_mode & 07777) : 0600, error);
    if (S_ISDIR (st.st_mode) || (stat (path, &st) == 0 && S_ISDIR (st.st_mode))) {
        g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, g_strerror (EISDIR));
        return FALSE;
    }
    /* O_NONBLOCK: a FIFO nobody reads is an error (ENXIO), not a run that never ends */
    int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0600);
    if (fd < 0) {
        int e = errno;
        g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (e), g_strerror (e));
        return FALSE;
    }
    int flags = fcntl (fd, F_GETFL);
    if (flags >= 0)
        fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
    gsize done = 0;
    while (done < len) {
        ssize_t n = write (fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            close (fd);
            g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (e), g_strerror (e));
            return FALSE;
        }
        done += (gsize) n;
    }
    if (close (fd) != 0 && errno != EINTR) {
        int e = errno;
        g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (e), g_strerror (e));
        return FALSE;
    }
    return TRUE;
}

gboolean
evx_run_report_write (evx_run_report *r, const char *path, const char *const *names,
                      const guint64 *counts, double seconds, const char *fatal, GError **error)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    evx_cli_json_begin (b);
    evx_json_set_string (b, "command", r->command);
    evx_json_set_string (b, "db", r->db);
    g_autofree char *started = g_date_time_format (r->started, "%Y-%m-%dT%H:%M:%SZ");
    evx_json_set_string (b, "started", started);
    json_builder_set_member_name (b, "seconds");
    json_builder_add_double_value (b, (double) (gint64) (seconds * 1000 + 0.5) / 1000);
    evx_json_set_string (b, "fatal", fatal);
    json_builder_set_member_name (b, "summary");
    json_builder_begin_object (b);
    for (guint i = 0; names[i]; i++) {
        json_builder_set_member_name (b, names[i]);
        json_builder_add_int_value (b, (gint64) counts[i]);
    }
    json_builder_end_object (b);
    json_builder_set_member_name (b, "files");
    json_builder_begin_array (b);
    for (guint i = 0; i < r->files->len; i++)
        json_builder_add_value (b, json_node_ref (g_ptr_array_index (r->files, i)));
    json_builder_end_array (b);
    json_builder_end_object (b);
    gsize len = 0;
    g_autofree char *text = evx_json_to_string (b, TRUE, &len);
    g_autoptr (GError) gerr = NULL;
    if (!write_in_place (path, text, len, &gerr)) {
        g_autofree char *shown = g_filename_display_name (path);
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot write the report %s: %s", shown,
                     gerr->message);
        return FALSE;
    }
    return TRUE;
}
