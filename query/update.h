/* update.h - bringing the index in line with the files under some roots: the engine
 * behind `evidex ingest` (the roots are the paths given) and `evidex refresh` (the
 * roots recorded by earlier ingest runs).
 *
 * One run:
 * 1. walks every root (the index's own folder left out) and compares each file's
 *    size, mtime and ctime (nanoseconds) with its record: equal means unchanged, and
 *    the file is not read;
 * 2. for every other file, its SHA-256 decides: the same content only updates the
 *    record; the content of a file that vanished from under the roots means the file
 *    was moved or renamed (its passages are moved, nothing is extracted); else the file
 *    is extracted in a worker process and its passages replace the old ones;
 * 3. removes the passages and records of files that vanished.
 * Failures that lie in the file (damaged, encrypted, over a limit, crashed its worker)
 * and skipped types are remembered in the file's record and not tried again until the
 * file changes; failures that are the machine's (a read error, a worker killed from
 * outside, an interrupted run) are not remembered against the file.
 * Changes are committed every EVX_UPDATE_COMMIT_EVERY files and at the end, each
 * commit atomic: a run killed at any moment leaves the index at its last commit, and
 * the next run finishes the work.  SIGINT and SIGTERM stop the run after the file in
 * hand, with a commit.
 */
#ifndef EVX_UPDATE_H
#define EVX_UPDATE_H

#include <glib.h>

#include "ingest/extract.h"
#include "ingest/worker.h"
#include "query/cli.h"
#include "query/passwords.h"
#include "query/shard.h"

G_BEGIN_DECLS

/** Files changed between two commits. */
#define EVX_UPDATE_COMMIT_EVERY 50

/**
 * evx_update_options:
 * @roots: (array zero-terminated=1) the paths to bring in line (absolute or relative
 *   to the working directory; files or folders); for refresh, NULL: the recorded roots.
 * @record_roots: record @roots in the index for later refreshes.
 * @limits: the worker limits.
 * @extract: extraction options (the password is looked up per file in @passwords).
 * @passwords: (nullable) the --password-file rules.
 * @report_file: (nullable) where to write the JSON run report.
 * @wait_s: seconds to wait for another writer (0: exit at once).
 * @retry_failed: try files whose remembered failure or skip would keep them out.
 * @quiet: print only failures and the summary.
 * @jobs: extraction worker processes (1 to EVX_WORKER_MAX_JOBS).
 * @follow_symlinks: follow symbolic links out of the roots and to folders (evx_walk()).
 * @shard: (--shard K/N) index only the files of shard K of N (query/shard.h); n == 0:
 *   the shard recorded in the index at its first sharded ingest, or every file when
 *   none is.  A shard that differs from the recorded one is a usage error.
 */
typedef struct {
    char **roots;
    gboolean record_roots;
    evx_worker_limits limits;
    evx_extract_options extract;
    const evx_password_file *passwords;
    const char *report_file;
    guint wait_s;
    gboolean retry_failed;
    gboolean quiet;
    guint jobs;
    gboolean follow_symlinks;
    evx_shard_spec shard;
} evx_update_options;

/**
 * evx_update_run:
 * @cli: the program's global options (the index) and the command's name.
 * @opts: the options.
 *
 * Runs one update, printing per-file problems, and a one-line summary, on stderr:
 * "evidex refresh: 212 files seen, 3 added, 1 updated, 1 moved, 2 removed, 205
 * unchanged, 0 skipped, 0 failed; 57 passages written in 0.4 s" (for a shard, "212
 * files seen (shard 1/2; 209 belong to other shards), ...").
 *
 * Returns: EVX_EXIT_OK, EVX_EXIT_PARTIAL (some files failed), EVX_EXIT_LOCKED,
 *   EVX_EXIT_INTERRUPTED, EVX_EXIT_FATAL or EVX_EXIT_USAGE (no roots to refresh).
 */
int evx_update_run (evx_cli *cli, const evx_update_options *opts);

G_END_DECLS

#endif /* EVX_UPDATE_H */
