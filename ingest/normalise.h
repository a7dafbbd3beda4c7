/* normalise.h - Unicode normalisation of extracted text before it is cut and indexed. */
#ifndef EVX_NORMALISE_H
#define EVX_NORMALISE_H

#include <glib.h>

G_BEGIN_DECLS

/**
 * evx_normalise_text:
 * @text: (nullable) text in any encoding that claims to be UTF-8; invalid bytes allowed.
 * @len: length of @text in bytes, or -1 when it is NUL-terminated (then it cannot hold NULs).
 * @n_invalid: (out) (optional) number of invalid byte sequences that were replaced.
 *
 * Returns the searchable form of @text:
 *   1. invalid UTF-8 sequences are replaced by U+FFFD (counted in @n_invalid);
 *   2. Unicode NFKC normalisation (ligatures such as U+FB01 become "fi", full-width
 *      forms become ASCII, Arabic presentation forms become base letters);
 *   3. NUL, C0/C1 control characters, format characters (zero-width spaces, bidi
 *      embedding marks, soft hyphens) and private-use characters are removed;
 *   4. every run of whitespace (tabs and newlines included) becomes one space, and
 *      leading and trailing whitespace is removed.
 *
 * Returns: (transfer full) the normalised UTF-8 string, never NULL ("" for NULL input);
 *   free with g_free().
 */
char *evx_normalise_text (const char *text, gssize len, guint *n_invalid);

G_END_DECLS

#endif /* EVX_NORMALISE_H */
