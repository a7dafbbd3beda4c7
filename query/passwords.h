/* passwords.h - the --password-file of `evidex ingest`: which password opens which PDF.
 *
 * The file holds one rule per line, "GLOB<TAB>PASSWORD"; blank lines and lines that
 * start with "#" are ignored.  GLOB is a GLib pattern ("*" and "?"; "*" also matches
 * "/") matched against the file's absolute path and against its base name.  The
 * password is the rest of the line after the first tab, taken as it is.
 */
#ifndef EVX_PASSWORDS_H
#define EVX_PASSWORDS_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct evx_password_file evx_password_file;

/**
 * evx_password_file_load:
 * @path: the password file.
 * @error: EVX_ERROR_IO when it cannot be read, or when it can be read or written by
 *   its group or by others (like ssh, evidex asks for mode 600: "chmod 600 FILE");
 *   EVX_ERROR_INVALID naming the line number of a non-comment line without a tab or
 *   with an empty pattern.  No message ever contains a password.
 *
 * Returns: (transfer full) the rules, or NULL on error; free with evx_password_file_free().
 */
evx_password_file *evx_password_file_load (const char *path, GError **error);

/**
 * evx_password_file_lookup:
 * @pf: (nullable) the rules, or NULL.
 * @path: absolute path of a file.
 *
 * Returns: (transfer none) (nullable) the password of the first rule whose pattern
 *   matches @path or its base name, or NULL; owned by @pf.
 */
const char *evx_password_file_lookup (const evx_password_file *pf, const char *path);

/** evx_password_file_free: wipes the passwords from memory and frees @pf; NULL is accepted. */
void evx_password_file_free (evx_password_file *pf);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_password_file, evx_password_file_free)

G_END_DECLS

#endif /* EVX_PASSWORDS_H */
