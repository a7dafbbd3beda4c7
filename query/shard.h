/* shard.h - which shard of a store a file belongs to (`ingest --shard K/N`).
 *
 * A store too large for one machine is indexed as N shards, each an index folder of
 * its own, built by N runs (on N machines, or N jobs of one) that walk the same roots
 * and each keep only their share of the files.  A file belongs to shard
 * evx_shard_of (its path relative to its root, N): the same on every machine and in
 * every version of evidex, whatever the absolute path the store is mounted at.
 * The shards are searched as one index through a Xapian stub database file
 * (index/index.h: evx_index_open_read()).
 */
#ifndef EVX_SHARD_H
#define EVX_SHARD_H

#include <glib.h>

G_BEGIN_DECLS

/** The most shards a store may be cut into. */
#define EVX_SHARD_MAX 1024

/**
 * evx_shard_spec:
 * @k: this index's shard, from 1 to @n.
 * @n: the number of shards; 0 when the index is not a shard (then @k is 0).
 */
typedef struct {
    guint k;
    guint n;
} evx_shard_spec;

/**
 * evx_shard_parse:
 * @text: "K/N" as given to --shard or recorded in the index ("2/4"), 1 <= K <= N <=
 *   EVX_SHARD_MAX, decimal digits only.
 * @out: (out) the shard.
 * Returns: TRUE when @text is well formed; FALSE (and @out untouched) otherwise.
 */
gboolean evx_shard_parse (const char *text, evx_shard_spec *out);

/**
 * evx_shard_format:
 * @spec: a shard (n > 0).
 * Returns: (transfer full) "K/N"; g_free().
 */
char *evx_shard_format (const evx_shard_spec *spec);

/**
 * evx_shard_of:
 * @relative: a file's path relative to its root, as bytes ("plans/bcp-2024.pdf"); see
 *   evx_shard_relative().
 * @n: the number of shards (at least 1).
 *
 * The shard of a file: 1 + (the first 8 bytes of the SHA-256 of @relative, read as a
 * big-endian integer) modulo @n.  SHA-256 (GLib's GChecksum) spreads paths evenly and
 * never changes between machines or versions.
 *
 * Returns: the shard, from 1 to @n.
 */
guint evx_shard_of (const char *relative, guint n);

/**
 * evx_shard_relative:
 * @path: a file's absolute path, as the walk found it.
 * @root: the absolute path of the root being walked (a folder, or the file itself).
 *
 * Returns: (transfer none) the part of @path below @root ("plans/bcp.pdf" for
 *   "/srv/store/plans/bcp.pdf" under "/srv/store"); the file's name when @root is the
 *   file itself; @path itself when it is not under @root (a symbolic link followed out
 *   of it).  Points into @path.
 */
const char *evx_shard_relative (const char *path, const char *root);

G_END_DECLS

#endif /* EVX_SHARD_H */
