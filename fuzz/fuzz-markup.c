/* fuzz-markup.c - HTML and XML extraction with libxml2, and text and Markdown (whose HTML
 * blocks libxml2 reads): the first byte chooses, modulo 3 (0 HTML, 1 XML, 2 text), as
 * extract.c calls them. */
#include "fuzz/fuzz.h"

#include "ingest/document.h"
#include "ingest/markup.h"
#include "ingest/plaintext.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size = MIN (size, EVX_FUZZ_MAX_INPUT);
    g_autoptr (evx_document) doc = evx_document_new ("/fuzz.html");
    g_autoptr (GError) error = NULL;
    if (data[0] % 3 == 0)
        (void) evx_markup_extract_html (data + 1, size - 1, doc, &error);
    else if (data[0] % 3 == 1)
        (void) evx_markup_extract_xml (data + 1, size - 1, doc, &error);
    else
        evx_plaintext_extract (data + 1, size - 1, doc);   /* Markdown's HTML blocks too */
    return 0;
}
