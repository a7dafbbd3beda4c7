/* compress.c - gzip expansion with zlib (see compress.h). */
#include "ingest/compress.h"

#include <stdio.h>
#include <zlib.h>

#include "ingest/error.h"

#define CHUNK ((gsize) 256 << 10)

GBytes *
evx_gunzip (const guint8 *data, gsize len, guint64 max_bytes, GError **error)
{
    z_stream z = { 0 };
    /* 16 + MAX_WBITS: a gzip header and trailer (CRC-32 and length are checked) */
    if (inflateInit2 (&z, 16 + MAX_WBITS) != Z_OK) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NO_MEMORY, "gzip: zlib could not start");
        return NULL;
    }
    GByteArray *out = g_byte_array_new ();
    gsize in_left = len;
    const guint8 *in = data;
    int rc = Z_OK;
    guint members = 0;
    while (rc != Z_STREAM_END || in_left > 0) {
        if (rc == Z_STREAM_END) {
            /* another gzip member follows (concatenated files) */
            members++;
            if (inflateReset (&z) != Z_OK)
                break;
        }
        if (z.avail_in == 0) {
            z.next_in = (Bytef *) in;
            z.avail_in = (uInt) MIN (in_left, (gsize) G_MAXUINT32);
            in += z.avail_in;
            in_left -= z.avail_in;
        }
        guint old = out->len;
        g_byte_array_set_size (out, old + CHUNK);
        z.next_out = out->data + old;
        z.avail_out = (uInt) CHUNK;
        rc = inflate (&z, Z_NO_FLUSH);
        g_byte_array_set_size (out, old + (guint) (CHUNK - z.avail_out));
        if (max_bytes && out->len > max_bytes) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT,
                         "limit: gzip content expands to more than %" G_GUINT64_FORMAT
                         " MiB (--max-file-size)",
                         max_bytes >> 20);
            goto fail;
        }
        if (rc == Z_STREAM_END) {
            /* put back what the member did not use */
            in -= z.avail_in;
            in_left += z.avail_in;
            z.avail_in = 0;
            /* trailing zero padding after the last member is not another member */
            gboolean only_zeros = TRUE;
            for (gsize i = 0; i < in_left && only_zeros; i++)
                only_zeros = in[i] == 0;
            if (only_zeros)
                break;
            continue;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && in_left == 0) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED,
                         "damaged: gzip: the compressed data ends early (truncated file)");
            goto fail;
        }
        if (rc == Z_DATA_ERROR && members > 0 && z.total_out == 0) {
            /* bytes after the last member that are no gzip member: gzip(1) ignores
             * them with a warning, and so does evidex */
            fprintf (stderr, "gzip: trailing garbage after the compressed data ignored\n");
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            if (rc == Z_MEM_ERROR)
                g_set_error (error, EVX_ERROR, EVX_ERROR_NO_MEMORY, "gzip: out of memory");
            else
                g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED, "damaged: gzip: %s",
                             z.msg ? z.msg : zError (rc));
            goto fail;
        }
    }
    inflateEnd (&z);
    return g_byte_array_free_to_bytes (out);
fail:
    inflateEnd (&z);
    g_byte_array_unref (out);
    return NULL;
}
