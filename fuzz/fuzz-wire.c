/* fuzz-wire.c - the parent's check of what a worker sends back (wire.c): a worker that
 * went wrong must not crash the parent or reach the index with nonsense. */
#include "fuzz/fuzz.h"

#include "ingest/wire.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    g_autoptr (GError) error = NULL;
    evx_document *doc = evx_document_from_json ((const char *) data, MIN (size, EVX_FUZZ_MAX_INPUT), &error);
    evx_document_free (doc);
    return 0;
}
