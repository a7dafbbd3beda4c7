/* fuzz.h - what the libFuzzer harnesses of fuzz/ share.
 *
 * Each harness is one fuzz-NAME.c defining LLVMFuzzerTestOneInput(); scripts/fuzz NAME
 * SECONDS builds it with clang (-fsanitize=fuzzer,address,undefined) and runs it on a
 * seed corpus made from corpus/ and tests/data/.
 */
#ifndef EVX_FUZZ_H
#define EVX_FUZZ_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/catalog.h"

/* The harnesses read at most this many bytes of an input (the extractors' own limits
 * are far larger; small inputs keep the runs fast). */
#define EVX_FUZZ_MAX_INPUT (256 * 1024)

/**
 * evx_fuzz_catalog:
 * Returns: (transfer none) the built-in clause catalog, loaded on the first call and
 *   kept for the life of the process; aborts when it cannot be loaded.
 */
const evx_catalog *evx_fuzz_catalog (void);

/**
 * evx_fuzz_text:
 * @data: the input.
 * @size: its length in bytes.
 *
 * Returns: (transfer full) the input as a NUL-terminated string, invalid UTF-8
 *   replaced (the form every text function of ingest/ receives); free with g_free().
 */
char *evx_fuzz_text (const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#endif /* EVX_FUZZ_H */
