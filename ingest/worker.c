/* worker.c - isolated extraction: a pool of worker processes under limits (see worker.h). */
#define _GNU_SOURCE   /* F_SETPIPE_SZ */
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
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ingest/error.h"
#include "ingest/extract.h"
#include "ingest/json.h"

#define MAX_REPLY_BYTES ((gsize) 512 << 20)
#define REPLY_PIPE_BYTES (1 << 20)

#if defined(__SANITIZE_ADDRESS__)
#define EVX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EVX_ASAN 1
#endif
#endif

/* ---- the conversation ---------------------------------------------------
 *
 * The parent sends requests on a Unix stream socket: a request_header, then the path's
 * bytes and the password's bytes.  The worker replies on a pipe (large enough for most
 * replies, so that it need not wait for the parent): an 8-byte length then that many
 * bytes of JSON: {"mime_type", "seconds", "document"} or {"mime_type", "seconds",
 * "error": {"code", "message"}}.  The worker's stderr is a pipe the parent reads; after
 * each file the worker writes END_OF_FILE_MARK there, so that the lines are counted
 * against the right file while the next one is already under way. */

typedef struct {
    guint32 path_len;
    guint32 name_len;       /* the name the index gives the file (0: none) */
    guint32 password_len;   /* NO_PASSWORD when there is none */
    guint64 max_bytes;
    gint32 max_pages;
    evx_file_identity expect;   /* the file's identity, or all zero (evx_extract_options) */
} request_header;

#define NO_PASSWORD G_MAXUINT32
#define MAX_REQUEST_STRING (1u << 20)
/* after a newline of its own: a diagnostic line left without one ends first */
#define END_OF_FILE_MARK "\n\x1e" "evidex-end-of-file\n"

/* ---- the worker process --------------------------------------------------- */

/* How io_all() moves bytes. */
typedef enum { IO_READ, IO_WRITE, IO_SEND } io_how;

/* Reads, writes or sends (on a socket, raising no SIGPIPE when the peer is gone)
 * exactly @len bytes; FALSE at end of file or on error. */
static gboolean
io_all (int fd, void *buf, gsize len, io_how how)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = how == IO_READ    ? read (fd, p, len)
                    : how == IO_WRITE ? write (fd, p, len)
                                      : send (fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        p += n;
        len -= (gsize) n;
    }
    return TRUE;
}

static void
set_limit (int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = { soft, hard };
    setrlimit (resource, &rl);
}

/* Allows @cpu_s more seconds of CPU time from now: SIGXCPU at the soft limit. */
static void
set_cpu_budget (guint cpu_s)
{
    struct rusage ru;
    struct rlimit rl;
    if (getrusage (RUSAGE_SELF, &ru) != 0 || getrlimit (RLIMIT_CPU, &rl) != 0)
        return;
    rlim_t used = (rlim_t) ru.ru_utime.tv_sec + (rlim_t) ru.ru_stime.tv_sec + 1;
    rl.rlim_cur = used + cpu_s;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
        rl.rlim_cur = rl.rlim_max;
    setrlimit (RLIMIT_CPU, &rl);
}

/* What a worker does with each file (the pool's settings, inherited at fork). */
typedef struct {
    const evx_catalog *cat;
    evx_worker_encoder encoder;
    gpointer encoder_data;
} worker_task;

/* Extracts @path and returns the reply to send: an 8-byte length of the JSON, the JSON,
 * then the encoded passages when the pool has an encoder.  Kept apart from
 * worker_main() so that everything but the reply is freed at once. */
static GByteArray *
worker_reply (const char *path, const char *name, const worker_task *task,
              const evx_extract_options *opts)
{
    gint64 started = g_get_monotonic_time ();
    g_autoptr (GError) error = NULL;
    g_autofree char *mime = NULL;
    g_autoptr (evx_document) doc = evx_extract_file_with (path, opts, task->cat, &mime, &error);
    g_autoptr (GBytes) encoded = NULL;
    guint n_passages = doc ? doc->passages->len : 0;
    if (doc) {
        /* JSON carries UTF-8 only; the parent knows the real path anyway. */
        char *shown = name ? g_strdup (name) : g_filename_display_name (doc->path);
        g_free (doc->path);
        doc->path = shown;
        if (task->encoder) {
            encoded = task->encoder (doc, task->encoder_data, &error);
            if (!encoded)
                g_clear_pointer (&doc, evx_document_free);
            else {
                /* the passages travel encoded: the JSON keeps the document's metadata */
                g_ptr_array_set_size (doc->passages, 0);
                g_ptr_array_set_size (doc->page_texts, 0);
            }
        }
    }
    g_autoptr (JsonBuilder) b = json_builder_new ();
    json_builder_begin_object (b);
    evx_json_set_string (b, "mime_type", mime);
    json_builder_set_member_name (b, "seconds");
    json_builder_add_double_value (b, (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
    evx_json_set_int (b, "passages", n_passages);
    if (doc) {
        json_builder_set_member_name (b, "document");
        evx_wire_add_document (b, doc);
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
    gsize len = 0;
    g_autofree char *json = evx_json_to_string (b, FALSE, &len);
    GByteArray *out = g_byte_array_sized_new ((guint) (sizeof (guint64) + len));
    guint64 json_len = len;
    g_byte_array_append (out, (const guint8 *) &json_len, sizeof json_len);
    g_byte_array_append (out, (const guint8 *) json, (guint) len);
    if (encoded)
        g_byte_array_append (out, g_bytes_get_data (encoded, NULL), (guint) g_bytes_get_size (encoded));
    return out;
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

/* Reads one request; FALSE when the parent has closed the socket (or sent nonsense). */
static gboolean
read_request (int sock, char **path, char **name, char **password, evx_extract_options *opts)
{
    request_header h;
    if (!io_all (sock, &h, sizeof h, IO_READ) || h.path_len == 0 || h.path_len > MAX_REQUEST_STRING
        || h.name_len > MAX_REQUEST_STRING
        || (h.password_len != NO_PASSWORD && h.password_len > MAX_REQUEST_STRING))
        return FALSE;
    *path = g_malloc (h.path_len + 1);
    (*path)[h.path_len] = '\0';
    if (!io_all (sock, *path, h.path_len, IO_READ))
        return FALSE;
    if (h.name_len > 0) {
        *name = g_malloc (h.name_len + 1);
        (*name)[h.name_len] = '\0';
        if (!io_all (sock, *name, h.name_len, IO_READ))
            return FALSE;
    }
    if (h.password_len != NO_PASSWORD) {
        *password = g_malloc (h.password_len + 1);
        (*password)[h.password_len] = '\0';
        if (!io_all (sock, *password, h.password_len, IO_READ))
            return FALSE;
    }
    *opts = (evx_extract_options) { *password, h.max_bytes, h.max_pages, h.expect };
    return TRUE;
}

G_GNUC_NORETURN static void
worker_main (int sock, int reply_fd, int diag_fd, const worker_task *task,
             const evx_worker_limits *limits)
{
#ifdef __linux__
    prctl (PR_SET_PDEATHSIG, SIGKILL);   /* never outlive an interrupted run */
#endif
    /* What poppler, libxml2 and GLib print goes to the parent, which counts it and
     * keeps a few lines for each file's report. */
    dup2 (diag_fd, STDERR_FILENO);
    close (diag_fd);
    /* its own process group: Ctrl-C at the terminal reaches the parent only, which
     * stops after the file in hand */
    setpgid (0, 0);
    g_log_set_handler ("Poppler", G_LOG_LEVEL_MASK, print_poppler_message, NULL);
    set_limit (RLIMIT_CORE, 0, 0);
#ifndef EVX_ASAN
    if (limits->memory_bytes)
        set_limit (RLIMIT_AS, (rlim_t) limits->memory_bytes, (rlim_t) limits->memory_bytes);
#endif
    const char *hang = g_getenv (EVX_WORKER_TEST_HANG_ENV);
    for (;;) {
        char *path = NULL, *name = NULL, *password = NULL;
        evx_extract_options opts;
        if (!read_request (sock, &path, &name, &password, &opts))
            _exit (0);
        if (limits->cpu_s)
            set_cpu_budget (limits->cpu_s);
        while (hang && *hang && g_str_has_suffix (path, hang))
            pause ();   /* the test suites' hung extraction (worker.h) */
        GByteArray *out = worker_reply (path, name, task, &opts);
        if (password) {
            memset (password, 0, strlen (password));
            g_free (password);
        }
        g_free (path);
        g_free (name);
        fputs (END_OF_FILE_MARK, stderr);
        fflush (stderr);
        guint64 n = out->len;
        if (!io_all (reply_fd, &n, sizeof n, IO_WRITE) || !io_all (reply_fd, out->data, out->len, IO_WRITE))
            _exit (3);
        g_byte_array_unref (out);
    }
}

/* ---- the parent: jobs and workers ------------------------------------------ */

/* A file to extract, from submission until evx_worker_pool_next() returns it. */
typedef struct {
    char *path;
    char *name;               /* nullable */
    char *password;           /* nullable */
    guint64 max_bytes;
    int max_pages;
    evx_file_identity expect;
    gpointer user_data;
    gboolean done;
    evx_document *doc;        /* the result, or NULL with error */
    GBytes *encoded;          /* its passages, when the pool has an encoder */
    GError *error;
    evx_worker_info info;
} job;

/* Files a worker is given at once: one in hand and one waiting in its socket, so that
 * it goes on while the parent indexes. */
#define WORKER_DEPTH 2

/* A worker process extracts this many files, then a fresh one takes over: what the
 * libraries keep (caches, fragmented heap) stays bounded. */
#define WORKER_FILES 500

typedef struct {
    pid_t pid;               /* 0: not running */
    int sock;                /* requests out */
    int reply_fd;            /* replies in */
    int diag;                /* its stderr; -1 once closed */
    guint files;             /* requests sent to this process */
    GQueue jobs;             /* given to it, not finished, oldest first */
    guint marks;             /* END_OF_FILE_MARKs read for jobs still in @jobs */
    GByteArray *reply;       /* reply bytes read and not yet used */
    GString *line;           /* a diagnostic line being read */
    gint64 started_ms;       /* when the oldest job started, as the parent saw it; 0: none */
} worker;

struct _evx_worker_pool {
    worker_task task;
    evx_worker_limits limits;
    guint n;
    worker *w;
    GQueue order;            /* every job not yet returned, in submission order */
    GQueue waiting;          /* jobs not yet given to a worker */
};

static gint64
now_ms (void)
{
    return g_get_monotonic_time () / 1000;
}

/* When the worker's oldest job runs out of wall-clock time; 0: no limit, or no job. */
static gint64
deadline_ms (const evx_worker_pool *pool, const worker *w)
{
    return w->started_ms && pool->limits.timeout_s
               ? w->started_ms + (gint64) pool->limits.timeout_s * 1000
               : 0;
}

static void
job_free (job *j)
{
    if (j->password) {
        memset (j->password, 0, strlen (j->password));
        g_free (j->password);
    }
    g_free (j->path);
    g_free (j->name);
    evx_document_free (j->doc);
    if (j->encoded)
        g_bytes_unref (j->encoded);
    g_clear_error (&j->error);
    evx_worker_info_clear (&j->info);
    g_free (j);
}

/* One diagnostic line for @j (NULL: nobody's). */
static void
diag_line (job *j, const char *text)
{
    g_autofree char *line = g_strstrip (g_strdup (text));
    if (!*line || !j)
        return;
    evx_worker_info *info = &j->info;
    info->n_diagnostics++;
    if (info->diagnostics->len >= EVX_WORKER_MAX_DIAGNOSTICS)
        return;
    g_autofree char *valid = g_utf8_make_valid (line, -1);
    if (g_utf8_strlen (valid, -1) > EVX_WORKER_DIAGNOSTIC_CHARS)
        *g_utf8_offset_to_pointer (valid, EVX_WORKER_DIAGNOSTIC_CHARS) = '\0';
    for (guint i = 0; i < info->diagnostics->len; i++)   /* a line repeated is one example */
        if (strcmp (g_ptr_array_index (info->diagnostics, i), valid) == 0)
            return;
    g_ptr_array_add (info->diagnostics, g_steal_pointer (&valid));
}

/* Cuts @n bytes of the worker's stderr into lines for the jobs they belong to. */
static void
diag_feed (worker *w, const char *buf, gssize n)
{
    for (gssize i = 0; i < n; i++) {
        if (buf[i] != '\n') {
            if (w->line->len < 4096)
                g_string_append_c (w->line, buf[i]);
            continue;
        }
        if (strcmp (w->line->str, "\x1e" "evidex-end-of-file") == 0)
            w->marks++;
        else
            diag_line (g_queue_peek_nth (&w->jobs, w->marks), w->line->str);
        g_string_truncate (w->line, 0);
    }
}

/* Reads what the worker's stderr holds now, without waiting; FALSE once it is closed. */
static gboolean
diag_drain (worker *w)
{
    char buf[16384];
    while (w->diag >= 0) {
        ssize_t n = read (w->diag, buf, sizeof buf);   /* non-blocking */
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return TRUE;
        if (n <= 0) {
            close (w->diag);
            w->diag = -1;
            return FALSE;
        }
        diag_feed (w, buf, n);
    }
    return FALSE;
}

static void
close_pair (int fds[2])
{
    if (fds[0] >= 0)
        close (fds[0]);
    if (fds[1] >= 0)
        close (fds[1]);
}

static gboolean
worker_start (evx_worker_pool *pool, worker *w, GError **error)
{
    /* requests on a socket (a dead worker raises no SIGPIPE in the parent), replies
     * and stderr on pipes */
    int sv[2] = { -1, -1 }, reply[2] = { -1, -1 }, diag[2] = { -1, -1 };
    pid_t pid = -1;
    if (socketpair (AF_UNIX, SOCK_STREAM, 0, sv) == 0 && pipe (reply) == 0 && pipe (diag) == 0) {
#ifdef F_SETPIPE_SZ
        /* room for a whole reply, so that the worker goes on to its next file while the
         * parent is busy indexing (the system's limit, 1 MiB by default, applies) */
        fcntl (reply[1], F_SETPIPE_SZ, (int) REPLY_PIPE_BYTES);
#endif
        fflush (NULL);
        pid = fork ();
    }
    if (pid < 0) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "cannot start a worker: %s", g_strerror (errno));
        close_pair (sv);
        close_pair (reply);
        close_pair (diag);
        return FALSE;
    }
    if (pid == 0) {
        close (sv[0]);
        close (reply[0]);
        close (diag[0]);
        /* the other workers' ends: a worker must see its own socket close */
        for (guint i = 0; i < pool->n; i++) {
            if (pool->w[i].pid) {
                close (pool->w[i].sock);
                close (pool->w[i].reply_fd);
                if (pool->w[i].diag >= 0)
                    close (pool->w[i].diag);
            }
        }
        worker_main (sv[1], reply[1], diag[1], &pool->task, &pool->limits);
    }
    close (sv[1]);
    close (reply[1]);
    close (diag[1]);
    /* reads never block: what poll() announced may have been read meanwhile */
    fcntl (reply[0], F_SETFL, fcntl (reply[0], F_GETFL) | O_NONBLOCK);
    fcntl (diag[0], F_SETFL, fcntl (diag[0], F_GETFL) | O_NONBLOCK);
    w->pid = pid;
    w->sock = sv[0];
    w->reply_fd = reply[0];
    w->diag = diag[0];
    w->files = 0;
    w->marks = 0;
    g_byte_array_set_size (w->reply, 0);
    g_string_truncate (w->line, 0);
    return TRUE;
}

/* Closes the worker's ends and waits for it (killing it first when @kill_it). */
static int
worker_stop (worker *w, gboolean kill_it)
{
    if (!w->pid)
        return 0;
    close (w->sock);
    close (w->reply_fd);
    if (w->diag >= 0)
        close (w->diag);
    w->diag = -1;
    if (kill_it)
        kill (w->pid, SIGKILL);
    int status = 0;
    while (waitpid (w->pid, &status, 0) < 0 && errno == EINTR) {
    }
    w->pid = 0;
    w->marks = 0;
    g_byte_array_set_size (w->reply, 0);
    g_string_truncate (w->line, 0);
    return status;
}

static gboolean
send_request (worker *w, const job *j)
{
    request_header h;
    memset (&h, 0, sizeof h);   /* its padding is sent too */
    h.path_len = (guint32) strlen (j->path);
    h.name_len = j->name ? (guint32) strlen (j->name) : 0;
    h.password_len = j->password ? (guint32) strlen (j->password) : NO_PASSWORD;
    h.max_bytes = j->max_bytes;
    h.max_pages = j->max_pages;
    h.expect = j->expect;
    return io_all (w->sock, (void *) &h, sizeof h, IO_SEND) && io_all (w->sock, j->path, h.path_len, IO_SEND)
           && (!j->name || io_all (w->sock, j->name, h.name_len, IO_SEND))
           && (!j->password || io_all (w->sock, j->password, h.password_len, IO_SEND));
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

/* The error of a job whose worker ended (exit @status) before replying. */
static void
set_death_error (job *j, int status, const evx_worker_limits *limits)
{
    if (!WIFSIGNALED (status)) {
        g_set_error (&j->error, EVX_ERROR, EVX_ERROR_CRASHED, "crashed: worker exited with status %d",
                     WIFEXITED (status) ? WEXITSTATUS (status) : -1);
        return;
    }
    int sig = WTERMSIG (status);
    j->info.signal = sig;
    if (sig == SIGXCPU)
        g_set_error (&j->error, EVX_ERROR, EVX_ERROR_LIMIT, "limit: CPU time over %u s", limits->cpu_s);
    else if (out_of_memory (&j->info) && limits->memory_bytes)
        g_set_error (&j->error, EVX_ERROR, EVX_ERROR_LIMIT,
                     "limit: out of memory at the memory limit of %" G_GUINT64_FORMAT " MiB (signal %d)",
                     limits->memory_bytes >> 20, sig);
    else if (sig == SIGBUS)
        /* the file is mapped: reading past its new end raises SIGBUS */
        g_set_error (&j->error, EVX_ERROR, EVX_ERROR_IO,
                     "changed while being read: the file shrank (signal %d, %s)", sig, g_strsignal (sig));
    else if ((sig == SIGABRT || sig == SIGTRAP) && limits->memory_bytes)
        g_set_error (&j->error, EVX_ERROR, EVX_ERROR_CRASHED,
                     "crashed: signal %d (%s), possibly at the memory limit of %" G_GUINT64_FORMAT " MiB",
                     sig, g_strsignal (sig), limits->memory_bytes >> 20);
    else
        g_set_error (&j->error, EVX_ERROR, EVX_ERROR_CRASHED, "crashed: signal %d (%s)", sig,
                     g_strsignal (sig));
}

static void
job_finish (job *j, gint64 started_ms)
{
    if (j->info.seconds == 0 && started_ms)
        j->info.seconds = (double) (now_ms () - started_ms) / 1000;
    j->done = TRUE;
}

/* The worker ended, or is ended (@why_killed: "timeout", "too big", or NULL when it
 * died by itself): its oldest job fails, the others go back to the queue. */
static void
worker_lost (evx_worker_pool *pool, worker *w, const char *why_killed)
{
    diag_drain (w);
    if (w->line->len > 0)   /* a last line without a newline */
        diag_feed (w, "\n", 1);
    job *j = g_queue_pop_head (&w->jobs);
    gint64 started = w->started_ms;
    int status = worker_stop (w, why_killed != NULL);
    for (job *later; (later = g_queue_pop_tail (&w->jobs));)
        g_queue_push_head (&pool->waiting, later);
    w->started_ms = 0;
    if (!j)
        return;
    if (why_killed) {
        j->info.killed_by_us = TRUE;
        j->info.signal = SIGKILL;
        if (strcmp (why_killed, "timeout") == 0)
            g_set_error (&j->error, EVX_ERROR, EVX_ERROR_LIMIT, "timeout: no result after %u s",
                         pool->limits.timeout_s);
        else
            g_set_error (&j->error, EVX_ERROR, EVX_ERROR_LIMIT, "limit: extracted text exceeds %u MiB",
                         (guint) (MAX_REPLY_BYTES >> 20));
    } else {
        set_death_error (j, status, &pool->limits);
    }
    job_finish (j, started);
}

/* Reads a complete reply for the worker's oldest job. */
static void
reply_complete (evx_worker_pool *pool, worker *w, const char *data, gsize len)
{
    /* the worker marked the end of the file on stderr before it replied: it is in
     * the pipe (a full second is allowed for the kernel to say so) */
    for (gint64 until = now_ms () + 1000; w->marks == 0 && w->diag >= 0 && now_ms () < until;) {
        struct pollfd pfd = { .fd = w->diag, .events = POLLIN };
        if (poll (&pfd, 1, 100) > 0 && !diag_drain (w))
            break;
    }
    job *j = g_queue_pop_head (&w->jobs);
    if (w->marks > 0)
        w->marks--;
    guint64 json_len = 0;
    if (len >= sizeof json_len)
        memcpy (&json_len, data, sizeof json_len);
    if (len < sizeof json_len || json_len > len - sizeof json_len) {
        g_set_error (&j->error, EVX_ERROR, EVX_ERROR_INVALID, "invalid extraction result: bad length");
        json_len = 0;
    }
    const char *json = data + MIN (len, sizeof json_len);
    gsize rest = len - MIN (len, sizeof json_len) - (gsize) json_len;
    g_autoptr (JsonParser) parser = j->error ? NULL : evx_wire_parse (json, (gsize) json_len, &j->error);
    JsonNode *root = parser ? json_parser_get_root (parser) : NULL;
    JsonObject *o = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
    if (o) {
        const char *mime = json_object_get_string_member_with_default (o, "mime_type", NULL);
        if (mime && g_utf8_validate (mime, -1, NULL) && strlen (mime) < 256)
            j->info.mime_type = g_strdup (mime);
        JsonNode *secs = json_object_get_member (o, "seconds");
        if (secs && JSON_NODE_HOLDS_VALUE (secs) && json_node_get_value_type (secs) == G_TYPE_DOUBLE)
            j->info.seconds = CLAMP (json_node_get_double (secs), 0.0, 1e6);
        JsonNode *doc = json_object_get_member (o, "document");
        JsonNode *err = json_object_get_member (o, "error");
        j->info.passages = (guint) CLAMP (json_object_get_int_member_with_default (o, "passages", 0), 0,
                                          G_MAXUINT32);
        if (doc) {
            j->doc = evx_wire_read_document (doc, &j->error);
            if (j->doc && pool->task.encoder)
                j->encoded = g_bytes_new (json + json_len, rest);
        } else if (err && JSON_NODE_HOLDS_OBJECT (err)) {
            JsonObject *e = json_node_get_object (err);
            gint64 code = json_object_get_int_member_with_default (e, "code", EVX_ERROR_DAMAGED);
            const char *msg = json_object_get_string_member_with_default (e, "message", NULL);
            if (code < EVX_ERROR_IO || code > EVX_ERROR_NO_MEMORY || !msg)
                g_set_error (&j->error, EVX_ERROR, EVX_ERROR_INVALID, "invalid extraction result: bad error");
            else
                g_set_error (&j->error, EVX_ERROR, (int) code, "%s", msg);
        } else {
            g_set_error (&j->error, EVX_ERROR, EVX_ERROR_INVALID,
                         "invalid extraction result: neither a document nor an error");
        }
    } else if (!j->error) {
        g_set_error (&j->error, EVX_ERROR, EVX_ERROR_INVALID, "invalid extraction result: not an object");
    }
    job_finish (j, w->started_ms);
    /* the next job's clock starts now */
    w->started_ms = g_queue_is_empty (&w->jobs) ? 0 : now_ms ();
}

/* Reads the worker's socket; a complete reply finishes its oldest job. */
static void
reply_read (evx_worker_pool *pool, worker *w)
{
    char buf[65536];
    ssize_t n = read (w->reply_fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n <= 0) {
        worker_lost (pool, w, NULL);
        return;
    }
    g_byte_array_append (w->reply, (const guint8 *) buf, (guint) n);
    while (w->reply->len >= sizeof (guint64) && !g_queue_is_empty (&w->jobs)) {
        guint64 len;
        memcpy (&len, w->reply->data, sizeof len);
        if (len > MAX_REPLY_BYTES) {
            worker_lost (pool, w, "too big");
            return;
        }
        if (w->reply->len < sizeof len + len)
            return;
        reply_complete (pool, w, (const char *) w->reply->data + sizeof len, (gsize) len);
        g_byte_array_remove_range (w->reply, 0, (guint) (sizeof len + len));
    }
}

/* Gives waiting jobs to the workers that have room, starting workers as needed. */
static void
dispatch (evx_worker_pool *pool)
{
    for (guint depth = 1; depth <= WORKER_DEPTH; depth++) {
        for (guint i = 0; i < pool->n && !g_queue_is_empty (&pool->waiting); i++) {
            worker *w = &pool->w[i];
            if (g_queue_get_length (&w->jobs) >= depth)
                continue;
            if (w->pid && w->files >= WORKER_FILES) {
                if (g_queue_is_empty (&w->jobs))
                    worker_stop (w, FALSE);   /* done its share: a fresh process follows */
                else
                    continue;
            }
            job *j = g_queue_pop_head (&pool->waiting);
            gboolean sent = FALSE;
            for (int attempt = 0; attempt < 2 && !sent; attempt++) {
                if (!w->pid) {
                    g_clear_error (&j->error);
                    if (!worker_start (pool, w, &j->error))
                        break;
                }
                sent = send_request (w, j);
                if (!sent && g_queue_is_empty (&w->jobs))
                    worker_stop (w, TRUE);   /* it died idle: start another */
                else if (!sent)
                    break;
            }
            if (!sent) {
                if (!j->error && !g_queue_is_empty (&w->jobs)) {
                    g_queue_push_head (&pool->waiting, j);   /* its reply will tell what happened */
                    continue;
                }
                if (!j->error)
                    g_set_error (&j->error, EVX_ERROR, EVX_ERROR_IO, "cannot start a worker");
                job_finish (j, 0);
                continue;
            }
            w->files++;
            g_queue_push_tail (&w->jobs, j);
            if (g_queue_get_length (&w->jobs) == 1)
                w->started_ms = now_ms ();
        }
    }
}

/* Waits until some worker has something to read or runs out of time, and handles it. */
static void
poll_workers (evx_worker_pool *pool)
{
    g_autofree struct pollfd *pfd = g_new0 (struct pollfd, 2 * pool->n);
    g_autofree worker **who = g_new0 (worker *, 2 * pool->n);
    guint n = 0;
    gint64 now = now_ms (), wait = -1;
    for (guint i = 0; i < pool->n; i++) {
        worker *w = &pool->w[i];
        if (!w->pid || g_queue_is_empty (&w->jobs))
            continue;
        who[n] = w;
        pfd[n++] = (struct pollfd) { .fd = w->reply_fd, .events = POLLIN };
        if (w->diag >= 0) {
            who[n] = w;
            pfd[n++] = (struct pollfd) { .fd = w->diag, .events = POLLIN };
        }
        gint64 deadline = deadline_ms (pool, w);
        if (deadline)
            wait = wait < 0 ? MAX (0, deadline - now) : MIN (wait, MAX (0, deadline - now));
    }
    if (n == 0)
        return;
    int r = poll (pfd, n, (int) MIN (wait, G_MAXINT));
    if (r < 0)
        return;   /* EINTR: the caller loops */
    for (guint k = 0; k < n; k++) {
        worker *w = who[k];
        if (!pfd[k].revents || !w->pid)
            continue;
        if (pfd[k].fd == w->diag)
            diag_drain (w);
        else if (pfd[k].fd == w->reply_fd)
            reply_read (pool, w);
    }
    now = now_ms ();
    for (guint i = 0; i < pool->n; i++) {
        worker *w = &pool->w[i];
        gint64 deadline = deadline_ms (pool, w);
        if (w->pid && deadline && now >= deadline && !g_queue_is_empty (&w->jobs))
            worker_lost (pool, w, "timeout");
    }
}

/* ---- the pool's interface ---------------------------------------------------- */

evx_worker_pool *
evx_worker_pool_new (guint n_workers, const evx_catalog *cat, const evx_worker_limits *limits)
{
    static const evx_worker_limits defaults = { EVX_WORKER_DEFAULT_TIMEOUT_S,
                                                EVX_WORKER_DEFAULT_CPU_S,
                                                EVX_WORKER_DEFAULT_MEMORY_BYTES };
    evx_worker_pool *pool = g_new0 (evx_worker_pool, 1);
    pool->task.cat = cat;
    pool->limits = limits ? *limits : defaults;
    pool->n = CLAMP (n_workers, 1, EVX_WORKER_MAX_JOBS);
    pool->w = g_new0 (worker, pool->n);
    for (guint i = 0; i < pool->n; i++) {
        pool->w[i].diag = -1;
        pool->w[i].reply = g_byte_array_new ();
        pool->w[i].line = g_string_new (NULL);
        g_queue_init (&pool->w[i].jobs);
    }
    g_queue_init (&pool->order);
    g_queue_init (&pool->waiting);
    return pool;
}

void
evx_worker_pool_submit (evx_worker_pool *pool, const char *path, const char *name,
                        const evx_extract_options *opts, gpointer user_data)
{
    job *j = g_new0 (job, 1);
    j->path = g_strdup (path);
    j->name = g_strdup (name);
    j->password = opts && opts->password ? g_strdup (opts->password) : NULL;
    j->max_bytes = opts ? opts->max_bytes : EVX_EXTRACT_DEFAULT_MAX_BYTES;
    j->max_pages = opts ? opts->max_pages : EVX_EXTRACT_DEFAULT_MAX_PAGES;
    if (opts)
        j->expect = opts->expect;
    j->user_data = user_data;
    j->info.diagnostics = g_ptr_array_new_with_free_func (g_free);
    g_queue_push_tail (&pool->order, j);
    g_queue_push_tail (&pool->waiting, j);
    dispatch (pool);
}

guint
evx_worker_pool_pending (const evx_worker_pool *pool)
{
    return g_queue_get_length ((GQueue *) &pool->order);
}

void
evx_worker_pool_set_encoder (evx_worker_pool *pool, evx_worker_encoder encoder, gpointer data)
{
    pool->task.encoder = encoder;
    pool->task.encoder_data = data;
}

gboolean
evx_worker_pool_next (evx_worker_pool *pool, evx_document **doc, GBytes **encoded,
                      evx_worker_info *info, gpointer *user_data, GError **error)
{
    job *j = g_queue_peek_head (&pool->order);
    if (!j)
        return FALSE;
    while (!j->done) {
        dispatch (pool);
        if (!j->done)
            poll_workers (pool);
    }
    g_queue_pop_head (&pool->order);
    dispatch (pool);   /* the workers go on while the caller indexes */
    if (user_data)
        *user_data = j->user_data;
    *doc = g_steal_pointer (&j->doc);
    if (encoded)
        *encoded = g_steal_pointer (&j->encoded);
    if (j->error)
        g_propagate_error (error, g_steal_pointer (&j->error));
    if (info) {
        evx_worker_info_clear (info);
        *info = j->info;
        j->info = (evx_worker_info) { 0 };
    }
    job_free (j);
    return TRUE;
}

void
evx_worker_pool_free (evx_worker_pool *pool)
{
    if (!pool)
        return;
    for (guint i = 0; i < pool->n; i++) {
        worker_stop (&pool->w[i], TRUE);
        g_queue_clear (&pool->w[i].jobs);
        g_byte_array_unref (pool->w[i].reply);
        g_string_free (pool->w[i].line, TRUE);
    }
    g_queue_clear (&pool->waiting);
    for (job *j; (j = g_queue_pop_head (&pool->order));)
        job_free (j);
    g_free (pool->w);
    g_free (pool);
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
    info->passages = 0;
}

evx_document *
evx_worker_extract_full (const char *path, const evx_catalog *cat, const evx_worker_limits *limits,
                         const evx_extract_options *opts, evx_worker_info *info, GError **error)
{
    evx_worker_pool *pool = evx_worker_pool_new (1, cat, limits);
    evx_worker_pool_submit (pool, path, NULL, opts, NULL);
    evx_document *doc = NULL;
    evx_worker_pool_next (pool, &doc, NULL, info, NULL, error);
    evx_worker_pool_free (pool);
    return doc;
}

evx_document *
evx_worker_extract (const char *path, const evx_catalog *cat, const evx_worker_limits *limits,
                    GError **error)
{
    return evx_worker_extract_full (path, cat, limits, NULL, NULL, error);
}
