/* fuzz-common.c - helpers shared by the harnesses (see fuzz.h). */
#include "fuzz/fuzz.h"

#include <stdlib.h>

const evx_catalog *
evx_fuzz_catalog (void)
{
    static evx_catalog *cat;
    if (!cat) {
        GError *error = NULL;
        cat = evx_catalog_load (NULL, &error);
        if (!cat) {
            g_printerr ("fuzz: cannot load the catalog: %s\n", error->message);
            abort ();
        }
    }
    return cat;
}

char *
evx_fuzz_text (const uint8_t *data, size_t size)
{
    return g_utf8_make_valid ((const char *) data, (gssize) MIN (size, EVX_FUZZ_MAX_INPUT));
}
