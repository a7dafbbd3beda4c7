/* main.c - the evidex program: global options and the table of sub-commands. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "query/cli.h"

typedef struct {
    const char *name;
    int (*run) (evx_cli *cli, int argc, char **argv);
    const char *summary;
    gboolean reads_stubs;   /* takes a stub database file as --db, --timeout, --partial */
} command;

static const command commands[] = {
    { "ingest", evx_cmd_ingest, "extract, cut and index files and folders (recursively)", FALSE },
    { "refresh", evx_cmd_refresh, "bring the index in line with the recorded roots (nightly)", FALSE },
    { "roots", evx_cmd_roots, "list the roots that refresh re-scans", FALSE },
    { "certs", evx_cmd_certs, "the register of indexed certificates: holder, number, dates, status", TRUE },
    { "show", evx_cmd_show, "one document: its record, certificate fields and passages by page", TRUE },
    { "stats", evx_cmd_stats, "documents by kind, passages, clauses covered, size, last run", TRUE },
    { "search", evx_cmd_search, "search the indexed passages, by words and by clause", TRUE },
    { "clauses", evx_cmd_clauses, "list the clauses of ISO 22301 with the evidence found for each", TRUE },
    { "check", evx_cmd_check, "verify the index: every passage has its file, counts agree", FALSE },
};

static const char exit_statuses[] =
    "Exit status:\n"
    "  0   success\n"
    "  1   fatal error (nothing more could be done)\n"
    "  2   usage error\n"
    "  3   completed, but some files failed (each named on stderr with its reason), or\n"
    "      some shards did not answer (--partial; each named on stderr)\n"
    "  75  another run holds the index for writing (EX_TEMPFAIL)\n"
    "  130 ingest or refresh interrupted (SIGINT, SIGTERM) after a commit\n";

static char *
global_description (void)
{
    GString *s = g_string_new ("Commands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS (commands); i++)
        g_string_append_printf (s, "  %-8s %s\n", commands[i].name, commands[i].summary);
    g_string_append (s, "\n'evidex COMMAND --help' describes a command's options.\n\n"
                        "Environment:\n"
                        "  EVIDEX_DB  index folder (or stub database file) used when --db is not "
                        "given (default ./evidex.db)\n\n"
                        "Shards: 'ingest --shard K/N' and 'refresh' build one shard of a store per\n"
                        "index folder; a stub database file (lines 'auto FOLDER' and 'remote\n"
                        "HOST:PORT' for shards served by xapian-tcpsrv) given as --db searches them\n"
                        "as one index.  See docs/deployment.md.\n\n");
    g_string_append (s, exit_statuses);
    return g_string_free (s, FALSE);
}

int
main (int argc, char **argv)
{
    /* descriptors 0 to 2 open, on /dev/null when the caller closed them: else the first
     * socket or file opened takes the number, and what is printed goes into it (an
     * ingest run with stdout and stderr closed wrote its messages into a worker's
     * socket, and good files failed as "crashed") */
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl (fd, F_GETFD) < 0 && errno == EBADF) {
            int null = open ("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (null >= 0 && null != fd) {
                dup2 (null, fd);
                close (null);
            }
        }
    }
    setlocale (LC_ALL, "");
    evx_cli cli = { 0 };
    gboolean version = FALSE;
    char *db = NULL;
    GOptionEntry entries[] = {
        { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
          "Index folder, or for search, clauses, certs, show and stats a Xapian stub "
          "database file listing shards (default: $EVIDEX_DB, else ./evidex.db)", "PATH" },
        { "timeout", 0, 0, G_OPTION_ARG_STRING, &cli.timeout_text,
          "Seconds a remote shard of a stub has to answer (default 10)", "SECONDS" },
        { "partial", 0, 0, G_OPTION_ARG_NONE, &cli.partial,
          "When shards of a stub do not answer, use the others (named on stderr and in "
          "JSON \"missing_shards\"; exit status 3)", NULL },
        { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new ("COMMAND [ARGS...]");
    g_option_context_set_summary (ctx, "evidex turns business-continuity evidence (ISO 22301 "
                                       "certificates, audit reports, policies, plans) into a "
                                       "searchable index of page-true passages.");
    g_autofree char *description = global_description ();
    g_option_context_set_description (ctx, description);
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_strict_posix (ctx, TRUE);   /* options end at the command name */
    if (!evx_cli_parse (&cli, ctx, &argc, &argv)) {
        g_free (db);   /* set when --db came before the bad option */
        g_free (cli.timeout_text);
        return EVX_EXIT_USAGE;
    }
    if (version) {
        printf ("evidex %s\n", EVX_VERSION);
        return EVX_EXIT_OK;
    }
    if (db && !*db) {
        evx_cli_error (&cli, "--db needs a folder name");
        g_free (db);
        return EVX_EXIT_USAGE;
    }
    if (db)
        cli.db = db;
    else if (g_getenv ("EVIDEX_DB") && *g_getenv ("EVIDEX_DB"))
        cli.db = g_strdup (g_getenv ("EVIDEX_DB"));
    else
        cli.db = g_strdup ("evidex.db");

    int status = EVX_EXIT_USAGE;
    if (argc < 2) {
        evx_cli_error (&cli, "no command given (try 'evidex --help')");
    } else {
        const command *cmd = NULL;
        for (size_t i = 0; i < G_N_ELEMENTS (commands); i++) {
            if (strcmp (argv[1], commands[i].name) == 0)
                cmd = &commands[i];
        }
        if (!cmd) {
            evx_cli_error (&cli, "unknown command '%s' (try 'evidex --help')", argv[1]);
        } else if (!cmd->reads_stubs && (cli.timeout_text || cli.partial)) {
            evx_cli_error (&cli, "--timeout and --partial before a command are for the shards of "
                                 "a stub database file: search, clauses, certs, show and stats "
                                 "(ingest's and refresh's --timeout, after the command, limits "
                                 "each file)");
        } else {
            cli.command = cmd->name;
            status = cmd->run (&cli, argc - 1, argv + 1);
        }
    }
    g_free (cli.db);
    g_free (cli.timeout_text);
    g_free (cli.timeout_global);
    return status;
}
