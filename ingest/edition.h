/* edition.h - which edition of ISO 22301 a document is written against.
 *
 * Evidence is read against ISO 22301:2012 or ISO 22301:2019, and the same clause
 * number means different things in the two (5.2 is "Management commitment" in 2012
 * and "Policy" in 2019).  The signs, strongest first:
 *   - the standard named with its year: "ISO 22301:2012", "ISO 22301:2019"
 *     ("BS EN ISO 22301:2012", "ISO 22301 : 2019" too);                 weight 10 each
 *   - the title words: "Societal security" (2012), "Security and resilience" (2019); 6
 *   - wording only one edition uses (reference/NOTES.md, from NQA's list of changes):
 *     2012 "invocation", "incident response structure", "exercising and testing",
 *     "protection and mitigation", "management commitment", "risk appetite";
 *     2019 "exercise programme", "strategies and solutions", "response structure"
 *     (not after "incident"), "documentation and capabilities", "planning changes"; 1
 *     per distinct phrase.
 * The edition with the higher total wins; a tie, or no sign at all, means 2019.
 */
#ifndef EVX_EDITION_H
#define EVX_EDITION_H

#include <glib.h>

G_BEGIN_DECLS

/**
 * evx_edition_detect:
 * @text: the document's text (UTF-8, any length; pages may be joined with newlines).
 * @why: (out) (optional) (transfer none): a static, human-readable description of the
 *   deciding sign ("names ISO 22301:2012", "2019 by default: nothing tells", ...).
 *
 * Returns: 2012 or 2019.
 */
int evx_edition_detect (const char *text, const char **why);

G_END_DECLS

#endif /* EVX_EDITION_H */
