/* passwords.c - password file rules (see passwords.h). */
#include "query/passwords.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/error.h"

typedef struct {
    GPatternSpec *pattern;
    char *password;
} rule;

struct evx_password_file {
    GArray *rules;   /* rule */
};

void
evx_password_file_free (evx_password_file *pf)
{
    if (!pf)
        return;
    for (guint i = 0; i < pf->rules->len; i++) {
        rule *r = &g_array_index (pf->rules, rule, i);
        g_pattern_spec_free (r->pattern);
        memset (r->password, 0, strlen (r->password));
        g_free (r->password);
    }
    g_array_unref (pf->rules);
    g_free (pf);
}

evx_password_file *
evx_password_file_load (const char *path, GError **error)
{
    g_autofree char *shown = g_filename_display_name (path);
    GStatBuf st;
    if (g_stat (path, &st) != 0) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "password file %s: %s", shown,
                     g_strerror (errno));
        return NULL;
    }
    if (!S_ISREG (st.st_mode)) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "password file %s is not a regular file",
                     shown);
        return NULL;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO,
                     "password file %s can be read or written by others than its owner; "
                     "run: chmod 600 %s",
                     shown, shown);
        return NULL;
    }
    char *contents = NULL;
    gsize len = 0;
    g_autoptr (GError) gerr = NULL;
    if (!g_file_get_contents (path, &contents, &len, &gerr)) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_IO, "password file %s: %s", shown, gerr->message);
        return NULL;
    }
    evx_password_file *pf = g_new0 (evx_password_file, 1);
    pf->rules = g_array_new (FALSE, FALSE, sizeof (rule));
    char **lines = g_strsplit (contents, "\n", -1);
    memset (contents, 0, len);
    g_free (contents);
    gboolean ok = TRUE;
    for (guint i = 0; lines[i] && ok; i++) {
        char *line = lines[i];
        gsize n = strlen (line);
        if (n > 0 && line[n - 1] == '\r')
            line[n - 1] = '\0';
        const char *start = line;
        while (*start == ' ')
            start++;
        if (*start == '\0' || *start == '#')
            continue;
        char *tab = strchr (line, '\t');
        if (!tab || tab == line) {
            g_set_error (error, EVX_ERROR, EVX_ERROR_INVALID,
                         "password file %s, line %u: expected GLOB<TAB>PASSWORD", shown, i + 1);
            ok = FALSE;
            break;
        }
        *tab = '\0';
        rule r = { g_pattern_spec_new (line), g_strdup (tab + 1) };
        g_array_append_val (pf->rules, r);
    }
    for (guint i = 0; lines[i]; i++)
        memset (lines[i], 0, strlen (lines[i]));
    g_strfreev (lines);
    if (!ok) {
        evx_password_file_free (pf);
        return NULL;
    }
    return pf;
}

const char *
evx_password_file_lookup (const evx_password_file *pf, const char *path)
{
    if (!pf)
        return NULL;
    g_autofree char *base = g_path_get_basename (path);
    for (guint i = 0; i < pf->rules->len; i++) {
        const rule *r = &g_array_index (pf->rules, rule, i);
        if (g_pattern_spec_match_string (r->pattern, path)
            || g_pattern_spec_match_string (r->pattern, base))
            return r->password;
    }
    return NULL;
}
