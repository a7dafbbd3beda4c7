/* fuzz-passages.c - normalisation, passage cutting and clause mapping of untrusted
 * text: the input is cut into blocks at blank lines (lines starting "#" are headings),
 * normalised, cut into passages and tagged with clauses, as a text file is. */
#include "fuzz/fuzz.h"

#include <string.h>

#include "ingest/document.h"
#include "ingest/mapping.h"
#include "ingest/normalise.h"
#include "ingest/passage.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    const evx_catalog *cat = evx_fuzz_catalog ();
    guint invalid = 0;
    g_free (evx_normalise_text ((const char *) data, (gssize) MIN (size, EVX_FUZZ_MAX_INPUT), &invalid));
    g_autofree char *text = evx_fuzz_text (data, size);
    g_autoptr (evx_document) doc = evx_document_new ("/fuzz.txt");
    evx_page_layout *flow = evx_flow_new ();
    g_auto (GStrv) blocks = g_strsplit (text, "\n\n", -1);
    for (guint i = 0; blocks[i]; i++)
        evx_flow_add_block (flow, blocks[i], blocks[i][0] == '#');
    evx_passages_cut_flow (doc, flow);
    evx_page_layout_free (flow);
    evx_mapping_tag (doc, cat);
    return 0;
}
