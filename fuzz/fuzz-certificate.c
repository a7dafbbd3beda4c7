/* fuzz-certificate.c - certificate fields, dates and kind of document read from
 * untrusted text (the input is the text of one page; a form feed starts another). */
#include "fuzz/fuzz.h"

#include "ingest/certificate.h"
#include "ingest/doctype.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    g_autofree char *text = evx_fuzz_text (data, size);
    g_autoptr (evx_document) doc = evx_document_new ("/fuzz.pdf");
    g_auto (GStrv) pages = g_strsplit (text, "\f", 50);
    for (guint i = 0; pages[i]; i++)
        g_ptr_array_add (doc->page_texts, g_strdup (pages[i]));
    evx_certificate_free (evx_certificate_read (doc));
    g_free (evx_date_parse (text, 0));
    g_free (evx_date_parse (text, 1));
    (void) evx_date_order (text);
    g_autofree char *why = NULL;
    (void) evx_doctype_classify (pages[0], text, &why);
    return 0;
}
