/* error.c - the EVX_ERROR domain. */
#include "ingest/error.h"

GQuark
evx_error_quark (void)
{
    return g_quark_from_static_string ("evx-error-quark");
}
