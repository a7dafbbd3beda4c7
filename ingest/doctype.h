/* doctype.h - what kind of evidence a document is: certificate, audit report, policy,
 * plan, procedure or other, from its title and text.
 *
 * Each kind has signs (phrases, matched case-insensitively), each with a weight, counted
 * once per document; a sign found in the document's title (its metadata title or its
 * first heading) counts three times.  The kind with the highest total wins if it
 * reaches EVX_DOCTYPE_THRESHOLD; else the document is "other".  The signs:
 *   certificate   "certificate of registration|approval|conformity" 4, "this is to
 *                 certify" / "hereby certifies" 4, "certificate number|no." 3, "expiry
 *                 date" / "valid until" 2, "has been assessed and found to conform" 3;
 *   audit-report  "audit report" 4, "stage 1|2 audit", "surveillance audit",
 *                 "recertification audit" 3, "nonconformity" / "nonconformities" 2,
 *                 "audit findings" 2, "lead auditor" 2, "opportunities for improvement" 2;
 *   policy        "policy" in the title 4 (counted in the title only), "this policy" 2,
 *                 "policy statement" 2, "policy owner" 1;
 *   plan          "continuity|recovery|response|contingency|emergency|crisis management
 *                 plan(s)" ("business continuity plan", "incident response plans") 4, "invocation" /
 *                 "invoke the plan" 2, "call tree" / "call-out" 1;
 *   procedure     "procedure" in the title 4 (title only), "step 1" 1, "work instruction" 2.
 * The signs are the project's own reading of how such documents name themselves.
 */
#ifndef EVX_DOCTYPE_H
#define EVX_DOCTYPE_H

#include <glib.h>

G_BEGIN_DECLS

/**
 * evx_doctype:
 * The kinds of evidence; names as evx_doctype_name() spells them.
 */
typedef enum {
    EVX_DOCTYPE_OTHER = 0,
    EVX_DOCTYPE_CERTIFICATE,
    EVX_DOCTYPE_AUDIT_REPORT,
    EVX_DOCTYPE_POLICY,
    EVX_DOCTYPE_PLAN,
    EVX_DOCTYPE_PROCEDURE,
} evx_doctype;

/** The least total that makes a kind (see the weights above). */
#define EVX_DOCTYPE_THRESHOLD 6

/**
 * evx_doctype_name:
 * Returns: "other", "certificate", "audit-report", "policy", "plan" or "procedure"
 *   (static string).
 */
const char *evx_doctype_name (evx_doctype type);

/**
 * evx_doctype_from_name:
 * Returns: the kind named @name, or -1 when @name names none.
 */
int evx_doctype_from_name (const char *name);

/**
 * evx_doctype_classify:
 * @title: (nullable) the document's title (metadata title, or its first heading).
 * @text: the document's text (any length: only the first 20,000 characters are read,
 *   where documents say what they are).
 * @why: (out) (optional) (transfer full) the signs that decided, e.g. "certificate 15:
 *   'certificate of registration' (title), 'this is to certify'"; free with g_free().
 *
 * Returns: the kind of document.
 */
evx_doctype evx_doctype_classify (const char *title, const char *text, char **why);

G_END_DECLS

#endif /* EVX_DOCTYPE_H */
