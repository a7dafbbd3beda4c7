/* cli.h - what the evidex command-line program's parts share: exit statuses,
 * global options and the sub-command entry points.  Only query/ prints or exits.
 */
#ifndef EVX_CLI_H
#define EVX_CLI_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "index/index.h"
#include "ingest/catalog.h"

G_BEGIN_DECLS

/* The version of the JSON every command prints ("schema_version"), documented with its
 * history in docs/json.md; it goes up when a member changes meaning or goes away. */
#define EVX_JSON_SCHEMA_VERSION 2

/* Exit statuses, listed in the README and in `evidex --help`. */
#define EVX_EXIT_OK 0       /* everything done */
#define EVX_EXIT_FATAL 1    /* a fatal error: nothing (more) could be done */
#define EVX_EXIT_USAGE 2    /* bad command line */
#define EVX_EXIT_PARTIAL 3  /* completed, but some files failed (listed on stderr), or
                             * some shards did not answer (--partial; named on stderr) */
#define EVX_EXIT_LOCKED 75  /* another run holds the index (EX_TEMPFAIL) */
#define EVX_EXIT_INTERRUPTED 130  /* stopped by SIGINT or SIGTERM after a commit */

/**
 * evx_cli:
 * @db: path of the index folder, or of a stub database file listing shards, for the
 *   commands that read (--db, else $EVIDEX_DB, else ./evidex.db); owned.
 * @command: the sub-command's name ("ingest").
 * @timeout_text: (nullable) --timeout as given (the command's, else the global one);
 *   owned.
 * @timeout_global: (nullable) the global --timeout while a command's options are
 *   parsed (evx_cli_add_shard_options()); owned.
 * @timeout_s: seconds a remote shard has to answer, from @timeout_text once
 *   evx_cli_parse() has checked it; 0 when not given (then EVX_REMOTE_TIMEOUT_S).
 * @partial: --partial: read the shards that answer when some do not.
 */
typedef struct {
    char *db;
    const char *command;
    char *timeout_text;
    char *timeout_global;
    double timeout_s;
    gboolean partial;
} evx_cli;

/**
 * Sub-commands.  Each parses its own options from @argc/@argv (argv[0] is the
 * command name), prints its results to stdout and its errors to stderr as
 * "evidex COMMAND: message", and returns one of the EVX_EXIT_* statuses.
 */
int evx_cmd_ingest (evx_cli *cli, int argc, char **argv);
int evx_cmd_refresh (evx_cli *cli, int argc, char **argv);
int evx_cmd_roots (evx_cli *cli, int argc, char **argv);
int evx_cmd_certs (evx_cli *cli, int argc, char **argv);
int evx_cmd_show (evx_cli *cli, int argc, char **argv);
int evx_cmd_stats (evx_cli *cli, int argc, char **argv);
int evx_cmd_search (evx_cli *cli, int argc, char **argv);
int evx_cmd_clauses (evx_cli *cli, int argc, char **argv);
int evx_cmd_check (evx_cli *cli, int argc, char **argv);

/**
 * evx_cli_printable:
 * @s: (nullable) text to show on a terminal, e.g. a file name.
 * Returns: (transfer full) a copy with control characters (C0, DEL and C1: U+009B is
 *   a terminal's CSI), bidirectional overrides and isolates (U+202A-U+202E,
 *   U+2066-U+2069) and bytes that are not UTF-8 shown as '?'.
 */
char *evx_cli_printable (const char *s);

/**
 * evx_cli_display_path:
 * @filename: a file name in the file system's encoding (any bytes but NUL).
 *
 * The name as evidex records it in the index: unchanged when it is valid UTF-8 without
 * a backslash; otherwise each byte that is not valid UTF-8, and each backslash, is
 * written "\xHH" (two upper-case hex digits: "\x5C" for a backslash), so that two
 * different names never give the same text.
 *
 * Returns: (transfer full) valid UTF-8; free with g_free().
 */
char *evx_cli_display_path (const char *filename);

/**
 * evx_cli_file_name:
 * @display: a name as evx_cli_display_path() gives it.
 *
 * The inverse of evx_cli_display_path(): each "\xHH" back to its byte.
 *
 * Returns: (transfer full) the file name; free with g_free().
 */
char *evx_cli_file_name (const char *display);

/**
 * evx_cli_error:
 * Prints "evidex COMMAND: MESSAGE" (printf-style) and a newline to stderr, control
 * characters shown as '?'.
 */
void evx_cli_error (const evx_cli *cli, const char *format, ...) G_GNUC_PRINTF (2, 3);

/**
 * evx_cli_parse:
 * @cli: the program state (the command name for messages; --timeout is checked and
 *   stored in it).
 * @ctx: the command's option context (consumed: freed here).
 * @argc: (inout) argument count; @argv: (inout) arguments, left with the operands.
 *
 * Parses a sub-command's options; on a usage error prints it with a hint to try
 * --help.  A --timeout (global or the command's) given outside [0.001, 86400] seconds is
 * one.  `--help` prints to stdout and exits 0 (GOption's behaviour).
 *
 * Returns: TRUE when the options were valid.
 */
gboolean evx_cli_parse (evx_cli *cli, GOptionContext *ctx, int *argc, char ***argv);

/**
 * evx_cli_json_begin:
 * @b: an empty builder.
 * Begins the output object and adds "schema_version" (EVX_JSON_SCHEMA_VERSION) first;
 * when the command reads a stub database file (evx_cli_open_reader()), then
 * "missing_shards": the shards that did not answer, each as its stub line names it
 * ([] when all did).
 */
void evx_cli_json_begin (JsonBuilder *b);

/** evx_cli_json_page: adds member "page": @page (from 1), or null when it is 0. */
void evx_cli_json_page (JsonBuilder *b, int page);

/**
 * evx_cli_json_clauses:
 * Adds member "clauses": an array of @clauses (element-type evx_clause_tag) in the
 * shape of evx_json_add_clause_tag().
 */
void evx_cli_json_clauses (JsonBuilder *b, const GPtrArray *clauses);

/**
 * evx_cli_print_json:
 * @b: a builder holding one complete value.
 * Prints it to stdout with a newline, indented when stdout is a terminal.
 */
void evx_cli_print_json (JsonBuilder *b);

/** Output formats of --format. */
typedef enum {
    EVX_FORMAT_TEXT = 0,
    EVX_FORMAT_JSON = 1,
    EVX_FORMAT_CSV = 2,
} evx_format;

/**
 * evx_cli_format:
 * @cli: the program state.
 * @name: (nullable) the value of a --format option.
 * @csv: whether "csv" is accepted.
 * Returns: the format (text for NULL), or -1 after printing a usage error.
 */
int evx_cli_format (const evx_cli *cli, const char *name, gboolean csv);

/**
 * evx_cli_csv_field:
 * @out: where the field is appended.
 * @value: (nullable) the field (NULL is an empty field).
 * @last: TRUE for the last field of the record: a CRLF follows, else a comma.
 *
 * Appends one CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it
 * holds a comma, a quote, CR or LF.  A field that starts with =, +, -, @, a tab or CR
 * is also quoted, after an apostrophe, so that a spreadsheet program shows it as text
 * instead of running it as a formula (a document's text can hold "=HYPERLINK(...)").
 */
void evx_cli_csv_field (GString *out, const char *value, gboolean last);

/**
 * evx_cli_format_is_json:
 * @cli: the program state.
 * @name: (nullable) the value of a --format option.
 * Returns: 1 for "json", 0 for "text" or NULL, or -1 after printing a usage error.
 */
int evx_cli_format_is_json (const evx_cli *cli, const char *name);

/**
 * evx_cli_edition:
 * @cli: the program state.
 * @name: (nullable) the value of an --edition option.
 *
 * Returns: 2019 when @name is NULL, 2012 or 2019 as named, or 0 after printing a
 *   usage error when @name is neither.
 */
int evx_cli_edition (const evx_cli *cli, const char *name);

/**
 * evx_cli_check_clause:
 * @cli: the program state.
 * @cat: the clause catalog.
 * @id: a clause number from the command line.
 * @edition: 2012 or 2019.
 *
 * Returns: TRUE when @id is a clause of ISO 22301:@edition in @cat;
 *   otherwise prints a usage error naming the edition and returns FALSE.
 */
gboolean evx_cli_check_clause (const evx_cli *cli, const evx_catalog *cat, const char *id,
                               int edition);

/**
 * evx_cli_clause_id:
 * @text: a clause number as typed ("８.２.２", " 8.2.", "8.2.2").
 * Returns: (transfer full) it NFKC-normalised, without surrounding spaces and without a
 *   final dot ("8.2.2"); free with g_free().
 */
char *evx_cli_clause_id (const char *text);

/**
 * evx_cli_add_shard_options:
 * @cli: the program state, where the options are stored.
 * @ctx: the option context of a command that reads (search, clauses, certs, show,
 *   stats).
 *
 * Adds --timeout SECONDS and --partial (the same as the global options, for a --db that
 * is a stub database file); evx_cli_parse() checks the timeout.
 */
void evx_cli_add_shard_options (evx_cli *cli, GOptionContext *ctx);

/**
 * evx_cli_open_reader:
 * @cli: the program state: the index (a folder or a stub database file), --timeout and
 *   --partial.
 * @error: as evx_index_open_read().
 * Returns: (transfer full) the index opened for reading, or NULL.
 */
evx_index *evx_cli_open_reader (const evx_cli *cli, GError **error);

/**
 * evx_cli_missing_shards:
 * @cli: the program state.
 * @idx: an index opened by evx_cli_open_reader().
 *
 * Names each shard that did not answer on stderr ("partial results: shard '...' did
 * not answer").  (The JSON output names them too: see evx_cli_json_begin().)
 *
 * Returns: the exit status of a command that otherwise succeeded: EVX_EXIT_PARTIAL when
 *   a shard is missing, else EVX_EXIT_OK.
 */
int evx_cli_missing_shards (const evx_cli *cli, evx_index *idx);

/**
 * evx_cli_exit_status:
 * @error: an EVX_ERROR from opening or using the index.
 * Returns: EVX_EXIT_LOCKED for EVX_ERROR_LOCKED, EVX_EXIT_USAGE for
 *   EVX_ERROR_QUERY_SYNTAX (a query is part of the command line), EVX_EXIT_FATAL otherwise.
 */
int evx_cli_exit_status (const GError *error);

G_END_DECLS

#endif /* EVX_CLI_H */
