/* fuzz-commitments.c - commitment detection (modal, negation, party, deadline) on
 * untrusted text. */
#include "fuzz/fuzz.h"

#include "ingest/commitment.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    g_autofree char *text = evx_fuzz_text (data, size);
    g_ptr_array_unref (evx_commitments_find (text));
    return 0;
}
