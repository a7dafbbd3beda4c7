/* certificate.h - the fields of a management-system certificate, read from its text.
 *
 * Each field is found by the labels certificates put before it, matched without regard
 * to case; a field whose label is not there is NULL, never guessed:
 *   number        "Certificate number|No.|Nr.|#|reference" then an upper-case code that
 *                 holds a digit ("MAC-BCMS-0487", "ACS 10472-BC");
 *   holder        the line after "certify that ... of" / "hereby certifies that", or
 *                 the name between "certifies that" and "operates|has been|complies";
 *   issuer        the name before "hereby certifies", else after "on behalf of";
 *   standard      "ISO 22301[:YYYY]" when the text names it (a combined certificate of
 *                 several standards is listed as ISO 22301; not when the words next
 *                 to it on its line say it is not held: "working towards",
 *                 "(transition pending)", "not included"), else the first
 *                 "ISO[/IEC] NNNNN[:YYYY]" of the text; its year the edition;
 *   first_issued  "original certification date", "date of initial registration",
 *                 "initial certification date", "certified since", ...;
 *   issued        "issue date", "date of issue", "date of this certificate", "issued on",
 *                 "effective date", "valid[ity][:] from", "valid:" or "validity[:]"
 *                 right before a date;
 *   expires       "expiry [date]", "date of expiry", "expiration [date]", "expires",
 *                 "valid until|till|to|through"; else the end of a range of validity
 *                 ("Valid from 2 September 2024 until 1 September 2027", "Validity: ...
 *                 to ...");
 *   scope         the text after "Scope [of registration|certification|approval]:",
 *                 "Approved activities:" or "Activities covered:", to the end of its
 *                 passage;
 *   sites         the ";"-separated list after "[Certified] Site(s):", "Location(s):",
 *                 "Site address(es):" or "Premises:"; else the cells under a table
 *                 heading of those names (cells set apart by tabs in the page text; a
 *                 cell cut at a comma or an open parenthesis is joined to its next line);
 *                 else the address on the line after the holder's name (it must hold a
 *                 digit and a comma, and name no standard).
 * A name (holder, issuer) ends after its legal form (Ltd, Limited, LLP, plc, Inc, GmbH,
 * B.V., AG, S.A., LLC) when it has one.  A date is read within 40 characters after its
 * label, in any common form: "2 September 2024", "01-Sep-2027", "September 2, 2024",
 * "2024-09-02" (with a time after it too), "2027/09/01", "2027.09.01", "02.09.2024",
 * "18/06/2013"; year first is always year, month, day.  A numeric date with both parts 12 or less is read in the
 * order the document's other numeric dates show (a day over 12 settles it); with
 * dots it is day first (the European convention); otherwise it is not read.
 */
#ifndef EVX_CERTIFICATE_H
#define EVX_CERTIFICATE_H

#include <glib.h>

#include "ingest/document.h"

G_BEGIN_DECLS

/**
 * evx_certificate_read:
 * @doc: an extracted document (its page texts and passages are read).
 *
 * Returns: (transfer full) the fields found (any may be NULL); free with
 *   evx_certificate_free().
 */
evx_certificate *evx_certificate_read (const evx_document *doc);

/**
 * evx_date_parse:
 * @text: text that starts with a date, possibly after a few characters of filler
 *   (": ", "certificate: "): at most 40 characters are searched.
 * @day_first: for an ambiguous numeric date (both parts 12 or less): 1 day first, -1
 *   month first, 0 unknown (dots then mean day first; slashes and dashes give NULL).
 *
 * Returns: (transfer full) (nullable) the date in ISO 8601 ("2024-09-02"), or NULL when
 *   there is no valid date there; free with g_free().
 */
char *evx_date_parse (const char *text, int day_first);

/**
 * evx_date_order:
 * @text: a document's text.
 *
 * Returns: 1 when its numeric dates put the day first (one has a first part over 12),
 *   -1 when they put the month first (a second part over 12), 0 when they do not tell
 *   or disagree.
 */
int evx_date_order (const char *text);

G_END_DECLS

#endif /* EVX_CERTIFICATE_H */
