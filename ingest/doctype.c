/* doctype.c - the kind of a document from its title and text (see doctype.h). */
#include "ingest/doctype.h"

#include <string.h>

#include "ingest/regex.h"

#define READ_CHARS 20000
#define TITLE_FACTOR 3

typedef struct {
    evx_doctype type;
    const char *pattern;   /* PCRE, matched case-insensitively */
    int weight;
    gboolean title_only;
} sign;

static const sign signs[] = {
    { EVX_DOCTYPE_CERTIFICATE, "\\bcertificate\\s+of\\s+(?:registration|approval|conformity)\\b", 4, FALSE },
    { EVX_DOCTYPE_CERTIFICATE, "\\b(?:this\\s+is\\s+to\\s+certify|hereby\\s+certif(?:y|ies))\\b", 4, FALSE },
    { EVX_DOCTYPE_CERTIFICATE, "\\bcertificate\\s+(?:number|no\\.?)", 3, FALSE },
    { EVX_DOCTYPE_CERTIFICATE, "\\b(?:expiry\\s+date|valid\\s+until|date\\s+of\\s+expiry)\\b", 2, FALSE },
    { EVX_DOCTYPE_CERTIFICATE, "\\bassessed\\s+and\\s+found\\s+to\\s+conform\\b", 3, FALSE },
    { EVX_DOCTYPE_AUDIT_REPORT, "\\baudit\\s+report\\b", 4, FALSE },
    { EVX_DOCTYPE_AUDIT_REPORT, "\\b(?:stage\\s*[12]|surveillance|recertification)\\s+audit\\b", 3, FALSE },
    { EVX_DOCTYPE_AUDIT_REPORT, "\\bnon-?conformit(?:y|ies)\\b", 2, FALSE },
    { EVX_DOCTYPE_AUDIT_REPORT, "\\baudit\\s+findings\\b", 2, FALSE },
    { EVX_DOCTYPE_AUDIT_REPORT, "\\blead\\s+auditor\\b", 2, FALSE },
    { EVX_DOCTYPE_AUDIT_REPORT, "\\bopportunit(?:y|ies)\\s+for\\s+improvement\\b", 2, FALSE },
    { EVX_DOCTYPE_POLICY, "\\bpolicy\\b", 4, TRUE },
    { EVX_DOCTYPE_POLICY, "\\bthis\\s+policy\\b", 2, FALSE },
    { EVX_DOCTYPE_POLICY, "\\bpolicy\\s+statement\\b", 2, FALSE },
    { EVX_DOCTYPE_POLICY, "\\bpolicy\\s+owner\\b", 1, FALSE },
    { EVX_DOCTYPE_PLAN, "\\b(?:continuity|recovery|response|contingency|emergency|crisis\\s+management)\\s+plans?\\b", 4, FALSE },
    { EVX_DOCTYPE_PLAN, "\\b(?:invocation|invoke\\s+the\\s+plan)\\b", 2, FALSE },
    { EVX_DOCTYPE_PLAN, "\\bcall(?:\\s+tree|-out)\\b", 1, FALSE },
    { EVX_DOCTYPE_PROCEDURE, "\\bprocedure\\b", 4, TRUE },
    { EVX_DOCTYPE_PROCEDURE, "\\bstep\\s+1\\b", 1, FALSE },
    { EVX_DOCTYPE_PROCEDURE, "\\bwork\\s+instruction\\b", 2, FALSE },
};

static const char *const names[] = { "other", "certificate", "audit-report", "policy", "plan",
                                      "procedure" };

const char *
evx_doctype_name (evx_doctype type)
{
    return (guint) type < G_N_ELEMENTS (names) ? names[type] : "other";
}

int
evx_doctype_from_name (const char *name)
{
    for (guint i = 0; name && i < G_N_ELEMENTS (names); i++)
        if (strcmp (name, names[i]) == 0)
            return (int) i;
    return -1;
}

static GRegex *
sign_regex (guint i)
{
    static gsize slots[G_N_ELEMENTS (signs)];
    return evx_regex_once (&slots[i], signs[i].pattern, G_REGEX_CASELESS);
}

static char *
first_match (GRegex *re, const char *text)
{
    g_autoptr (GMatchInfo) m = NULL;
    if (!text || !g_regex_match (re, text, 0, &m))
        return NULL;
    return g_match_info_fetch (m, 0);
}

evx_doctype
evx_doctype_classify (const char *title, const char *text, char **why)
{
    /* the start of the text, cut at a character boundary */
    g_autofree char *head = g_utf8_substring (text ? text : "", 0,
                                              MIN (g_utf8_strlen (text ? text : "", -1), READ_CHARS));
    int score[G_N_ELEMENTS (names)] = { 0 };
    GString *said[G_N_ELEMENTS (names)] = { NULL };
    for (guint i = 0; i < G_N_ELEMENTS (signs); i++) {
        const sign *s = &signs[i];
        GRegex *re = sign_regex (i);
        g_autofree char *in_title = first_match (re, title);
        g_autofree char *in_text = in_title || s->title_only ? NULL : first_match (re, head);
        const char *found = in_title ? in_title : in_text;
        if (!found)
            continue;
        score[s->type] += s->weight * (in_title ? TITLE_FACTOR : 1);
        if (!said[s->type])
            said[s->type] = g_string_new (NULL);
        g_autofree char *lower = g_utf8_strdown (found, -1);
        g_string_append_printf (said[s->type], "%s'%s'%s", said[s->type]->len ? ", " : "", lower,
                                in_title ? " (title)" : "");
    }
    guint best = EVX_DOCTYPE_OTHER;
    for (guint t = 1; t < G_N_ELEMENTS (names); t++)
        if (score[t] > score[best])
            best = t;
    if (score[best] < EVX_DOCTYPE_THRESHOLD)
        best = EVX_DOCTYPE_OTHER;
    if (why)
        *why = best == EVX_DOCTYPE_OTHER
                   ? g_strdup ("other: no kind reaches the threshold")
                   : g_strdup_printf ("%s %d: %s", names[best], score[best], said[best]->str);
    for (guint t = 0; t < G_N_ELEMENTS (names); t++)
        if (said[t])
            g_string_free (said[t], TRUE);
    return (evx_doctype) best;
}
