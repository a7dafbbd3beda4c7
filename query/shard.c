/* shard.c - which shard of a store a file belongs to. */
#include <string.h>

#include "query/shard.h"

gboolean
evx_shard_parse (const char *text, evx_shard_spec *out)
{
    if (!text)
        return FALSE;
    const char *slash = strchr (text, '/');
    if (!slash || slash == text || !slash[1])
        return FALSE;
    g_autofree char *k_text = g_strndup (text, (gsize) (slash - text));
    guint64 k = 0, n = 0;
    if (!g_ascii_string_to_unsigned (k_text, 10, 1, EVX_SHARD_MAX, &k, NULL)
        || !g_ascii_string_to_unsigned (slash + 1, 10, 1, EVX_SHARD_MAX, &n, NULL) || k > n)
        return FALSE;
    /* digits only: g_ascii_string_to_unsigned refuses signs and spaces */
    out->k = (guint) k;
    out->n = (guint) n;
    return TRUE;
}

char *
evx_shard_format (const evx_shard_spec *spec)
{
    return g_strdup_printf ("%u/%u", spec->k, spec->n);
}

guint
evx_shard_of (const char *relative, guint n)
{
    g_return_val_if_fail (n >= 1, 1);
    guint8 digest[32];
    gsize len = sizeof digest;
    GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
    g_checksum_update (sum, (const guchar *) relative, (gssize) strlen (relative));
    g_checksum_get_digest (sum, digest, &len);
    g_checksum_free (sum);
    guint64 v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | digest[i];
    return 1 + (guint) (v % n);
}

const char *
evx_shard_relative (const char *path, const char *root)
{
    gsize n = strlen (root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (strncmp (path, root, n) == 0) {
        if (path[n] == '/')
            return path + n + 1;
        if (n == 1 && root[0] == '/')
            return path + 1;   /* the root is "/" */
        if (path[n] == '\0') {
            const char *base = strrchr (path, '/');   /* the root is the file */
            return base ? base + 1 : path;
        }
    }
    return path;
}
