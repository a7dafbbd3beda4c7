/* fuzz-containers.c - gzip (zlib) and zip (minizip: DOCX, ODT) container reading under
 * a 1 MiB expansion limit; the first byte chooses (even gzip, odd zip). */
#include "fuzz/fuzz.h"

#include "ingest/compress.h"
#include "ingest/document.h"
#include "ingest/office.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size = MIN (size, EVX_FUZZ_MAX_INPUT);
    g_autoptr (GError) error = NULL;
    if (data[0] % 2 == 0) {
        GBytes *out = evx_gunzip (data + 1, size - 1, 1 << 20, &error);
        if (out)
            g_bytes_unref (out);
    } else {
        g_autoptr (evx_document) doc = evx_document_new ("/fuzz.docx");
        g_autofree char *mime = NULL;
        (void) evx_office_extract (data + 1, size - 1, 1 << 20, doc, &mime, &error);
    }
    return 0;
}
