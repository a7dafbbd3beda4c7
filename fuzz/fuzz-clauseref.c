/* fuzz-clauseref.c - clause-reference detection: references, headings and number depth
 * on untrusted text, in both editions. */
#include "fuzz/fuzz.h"

#include "ingest/clauseref.h"
#include "ingest/edition.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    const evx_catalog *cat = evx_fuzz_catalog ();
    g_autofree char *text = evx_fuzz_text (data, size);
    g_array_unref (evx_clauseref_scan (text, cat, 2019));
    g_ptr_array_unref (evx_clauseref_find (text, cat, 2012));
    (void) evx_clauseref_heading (text, cat, 2019);
    (void) evx_clauseref_number_depth (text);
    (void) evx_edition_detect (text, NULL);
    return 0;
}
