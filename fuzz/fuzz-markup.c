/* fuzz-markup.c - HTML and XML extraction with libxml2 (the first byte chooses: even
 * HTML, odd XML), as extract.c calls them. */
#include "fuzz/fuzz.h"

#include "ingest/document.h"
#include "ingest/markup.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size = MIN (size, EVX_FUZZ_MAX_INPUT);
    g_autoptr (evx_document) doc = evx_document_new ("/fuzz.html");
    g_autoptr (GError) error = NULL;
    if (data[0] % 2 == 0)
        (void) evx_markup_extract_html (data + 1, size - 1, doc, &error);
    else
        (void) evx_markup_extract_xml (data + 1, size - 1, doc, &error);
    return 0;
}
