/* regex.h - GLib regular expressions compiled once per process, for the pattern tables
 * of the ingest rules (clause references, editions, kinds of document, certificate
 * fields, commitments).  Compiled before a worker is forked, they are inherited. */
#ifndef EVX_REGEX_H
#define EVX_REGEX_H

#include <glib.h>

G_BEGIN_DECLS

/**
 * evx_regex_once:
 * @slot: a static slot, 0 before the first call, that keeps the compiled expression.
 * @pattern: a PCRE pattern (the project's own: it must compile).
 * @flags: compile flags (G_REGEX_OPTIMIZE, PCRE2's JIT, is added unless the environment
 *   sets EVX_REGEX_JIT=0, as scripts/memcheck does: Valgrind reports JIT code's reads of
 *   whole words past a string's end as uses of uninitialised memory).
 *
 * Returns: (transfer none) the expression, compiled on the first call (thread-safe)
 *   and kept for the life of the process.
 */
GRegex *evx_regex_once (gsize *slot, const char *pattern, GRegexCompileFlags flags);

G_END_DECLS

#endif /* EVX_REGEX_H */
