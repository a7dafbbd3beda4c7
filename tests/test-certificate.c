/* test-certificate.c - Check suite for ingest/certificate: dates in every common form
 * (and the ambiguous ones left unread), and the fields of the corpus certificates. */
#include "ingest/certificate.h"
#include "ingest/extract.h"
#include "tests/fixture.h"

#include <check.h>
#include <string.h>

#define CORPUS_PDF EVX_SOURCE_DIR "/corpus/pdf/"

static void
assert_date (const char *text, int order, const char *expected)
{
    g_autofree char *got = evx_date_parse (text, order);
    ck_assert_msg (g_strcmp0 (got, expected) == 0, "\"%s\" (order %d): %s, not %s", text, order,
                   got ? got : "NULL", expected ? expected : "NULL");
}

START_TEST (test_dates)
{
    assert_date (" 2 September 2024 (issue 1)", 0, "2024-09-02");
    assert_date (": 2nd Sept. 2024", 0, "2024-09-02");
    assert_date (" September 2, 2024", 0, "2024-09-02");
    assert_date (" 2024-09-02", 0, "2024-09-02");
    assert_date (" certificate: 23.06.2027", 0, "2027-06-23");
    assert_date (" 18/06/2013", 0, "2013-06-18");
    assert_date (" 06/18/2013", 0, "2013-06-18");
    /* both parts 12 or less: the document's order, dots day first, else not read */
    assert_date (" 05/06/2019", 1, "2019-06-05");
    assert_date (" 05/06/2019", -1, "2019-05-06");
    assert_date (" 05/06/2019", 0, NULL);
    assert_date (" 05.06.2019", 0, "2019-06-05");
    /* not dates, or too far from the label */
    assert_date (" 31 February 2024", 0, NULL);
    assert_date (" issue 2 of 2024-01-01", 0, NULL);
    assert_date (" is printed on the back of this certificate: 2024-01-01", 0, NULL);
    /* forms an auditor-style helper found unread: month names between dashes, year
     * first with slashes or dots, a date with a time */
    assert_date (": 01-Sep-2027", 0, "2027-09-01");
    assert_date (": 1-Sep-2027", 0, "2027-09-01");
    assert_date (": 2027/09/01", 0, "2027-09-01");
    assert_date (": 2027.09.01", 0, "2027-09-01");
    assert_date (": 2027-09-01T00:00:00Z", 0, "2027-09-01");
    assert_date (": 1 Sep. 2027", 0, "2027-09-01");
    assert_date (": 2027.09.01.5", 0, NULL);   /* a version, not a date */
    ck_assert_int_eq (evx_date_order ("Issued 18/06/2013, renewed 05/06/2016"), 1);
    ck_assert_int_eq (evx_date_order ("Issued 06/18/2013"), -1);
    ck_assert_int_eq (evx_date_order ("Issued 05/06/2016"), 0);
}
END_TEST

static evx_certificate *
read_corpus (const char *name, evx_catalog *cat)
{
    g_autofree char *path = g_strconcat (CORPUS_PDF, name, NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) doc = evx_extract_file (path, cat, &error);
    ck_assert_msg (doc != NULL, "%s", error ? error->message : "?");
    ck_assert_ptr_nonnull (doc->certificate);
    return g_steal_pointer (&doc->certificate);
}

START_TEST (test_corpus_certificates)
{
    g_autoptr (evx_catalog) cat = evx_test_catalog_load ();
    g_autoptr (evx_certificate) c19 = read_corpus ("certificate-22301-2019.pdf", cat);
    ck_assert_str_eq (c19->holder, "Halden Freight Services Ltd");
    ck_assert_str_eq (c19->number, "MAC-BCMS-0487");
    ck_assert_str_eq (c19->standard, "ISO 22301");
    ck_assert_str_eq (c19->edition, "2019");
    ck_assert_str_eq (c19->issuer, "Meridian Assurance Certification Ltd");
    ck_assert_str_eq (c19->first_issued, "2024-09-02");
    ck_assert_str_eq (c19->issued, "2024-09-02");
    ck_assert_str_eq (c19->expires, "2027-09-01");
    ck_assert (g_str_has_prefix (c19->scope, "the provision of international freight forwarding"));
    /* the Site column of its table, with the cells wrapped at "(head" and "Rotterdam," */
    ck_assert_uint_eq (g_strv_length (c19->sites), 4);
    ck_assert_str_eq (c19->sites[0], "Halden House, Felixstowe IP11 3XP, UK (head office)");
    ck_assert_str_eq (c19->sites[1], "Orwell Crossing DC2, Ipswich IP10 0WE, UK");
    ck_assert_str_eq (c19->sites[2], "Calder Valley Hub, Knottingley WF11 8SQ, UK");
    ck_assert_str_eq (c19->sites[3], "Halden Freight Services B.V., 3089 JH Rotterdam, NL");
    g_autoptr (evx_certificate) c12 = read_corpus ("certificate-22301-2012.pdf", cat);
    ck_assert_str_eq (c12->holder, "Halden Freight Services Ltd");
    ck_assert_str_eq (c12->number, "ACS 10472-BC");
    ck_assert_str_eq (c12->edition, "2012");
    ck_assert_str_eq (c12->issuer, "Albion Certification Services Ltd");
    ck_assert_str_eq (c12->first_issued, "2013-06-18");
    ck_assert_str_eq (c12->issued, "2016-06-24");
    ck_assert_str_eq (c12->expires, "2019-06-23");
    ck_assert (g_str_has_prefix (c12->scope, "the provision of freight forwarding and customs"));
    /* no site list: the address printed under the holder's name */
    ck_assert_uint_eq (g_strv_length (c12->sites), 1);
    ck_assert_str_eq (c12->sites[0], "Halden House, 3 Dockside Way, Felixstowe, Suffolk IP11 3XP");
    /* documents of other kinds have no certificate fields */
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_document) policy = evx_extract_file (CORPUS_PDF "bc-policy.pdf", cat, &error);
    ck_assert_ptr_null (policy->certificate);
}
END_TEST

/* The certificate fields of a one-page document with @text as its page text. */
static evx_certificate *
read_text (const char *text)
{
    g_autoptr (evx_document) doc = evx_document_new ("/tmp/certificate.txt");
    g_ptr_array_add (doc->page_texts, g_strdup (text));
    return evx_certificate_read (doc);
}

/* labels and standards an auditor-style helper found unread */
/* Each of the @n certificate @texts names @standard, edition @edition. */
static void
assert_standard (const char *const *texts, gsize n, const char *standard, const char *edition)
{
    for (gsize i = 0; i < n; i++) {
        g_autoptr (evx_certificate) c = read_text (texts[i]);
        ck_assert_msg (g_strcmp0 (c->standard, standard) == 0 && g_strcmp0 (c->edition, edition) == 0,
                       "%s: %s %s", texts[i], c->standard, c->edition);
    }
}

START_TEST (test_more_labels)
{
    g_autoptr (evx_certificate) expiry = read_text ("Certificate IS 1\nCertificate expiry: 1 Sep. 2027\n");
    ck_assert_str_eq (expiry->expires, "2027-09-01");
    g_autoptr (evx_certificate) range = read_text (
        "ISO 22301:2019\nValid from 2 September 2024 until 1 September 2027\n");
    ck_assert_str_eq (range->issued, "2024-09-02");
    ck_assert_str_eq (range->expires, "2027-09-01");
    g_autoptr (evx_certificate) validity = read_text (
        "ISO 22301:2019\nValidity: 2 September 2024 to 1 September 2027\n");
    ck_assert_str_eq (validity->issued, "2024-09-02");
    ck_assert_str_eq (validity->expires, "2027-09-01");
    /* ranges a second helper attack found half read: an en dash between ISO dates,
     * "Valid:" and "Validity: from" */
    static const char *const ranges[] = {
        "ISO 22301:2019\nValidity: 2024-09-02 \xe2\x80\x93 2027-09-01\n",
        "ISO 22301:2019\nValid: 2 September 2024 - 1 September 2027\n",
        "ISO 22301:2019\nValidity: from 2 September 2024 to 1 September 2027\n",
    };
    for (guint i = 0; i < G_N_ELEMENTS (ranges); i++) {
        g_autoptr (evx_certificate) c = read_text (ranges[i]);
        ck_assert_msg (g_strcmp0 (c->issued, "2024-09-02") == 0 && g_strcmp0 (c->expires, "2027-09-01") == 0,
                       "%s: issued %s, expires %s", ranges[i], c->issued, c->expires);
    }
    /* a range elsewhere in the text is no validity */
    g_autoptr (evx_certificate) audits = read_text (
        "ISO 22301:2019\nSurveillance audits 1 January 2025 to 31 March 2025\n");
    ck_assert_ptr_null (audits->expires);
    /* a combined certificate is an ISO 22301 certificate too */
    g_autoptr (evx_certificate) combined = read_text (
        "This is to certify that the management system of Theta Ltd has been assessed and found "
        "to conform to the requirements of ISO 9001:2015, ISO/IEC 27001:2022 and ISO 22301:2019.\n"
        "Expiry date: 1 January 2028\n");
    ck_assert_str_eq (combined->standard, "ISO 22301");
    ck_assert_str_eq (combined->edition, "2019");
    /* the sentence under the holder's name is no address because it holds digits and
     * commas (a helper attack found it taken as the site) */
    g_autoptr (evx_certificate) sentence = read_text (
        "This is to certify that\nTheta Ltd\noperates a management system that meets the "
        "requirements of ISO 9001:2015, ISO/IEC 27001:2022 and ISO 22301:2019.\n");
    ck_assert_str_eq (sentence->holder, "Theta Ltd");
    ck_assert_ptr_null (sentence->sites);
    g_autoptr (evx_certificate) other = read_text (
        "This is to certify that Theta Ltd complies with ISO/IEC 27001:2022 and ISO 9001:2015.\n");
    ck_assert_str_eq (other->standard, "ISO/IEC 27001");
    ck_assert_str_eq (other->edition, "2022");
    /* a standard the certificate says it does not cover is not its standard (an ISO 9001
     * certificate naming "ISO 22301:2012 (transition pending)" was listed as ISO 22301) */
    static const char *const not_held[] = {
        "This is to certify that Theta Ltd complies with ISO 9001:2015.\n"
        "ISO 22301:2012 (transition pending)\n",
        "This is to certify that Theta Ltd complies with ISO 9001:2015 and is working towards "
        "ISO 22301:2019.\n",
        "This is to certify that Theta Ltd complies with ISO 9001:2015; ISO 22301 not included.\n",
        "This is to certify that Theta Ltd complies with ISO 9001:2015. The scope does not "
        "cover ISO 22301.\n",
        "This is to certify that Theta Ltd complies with ISO 9001:2015 — ISO 22301: "
        "certification planned for 2026\n",
    };
    assert_standard (not_held, G_N_ELEMENTS (not_held), "ISO 9001", "2015");
    /* ... while a transition that happened, or a later standard's qualifier, leaves it held */
    static const char *const held[] = {
        "This is to certify that Theta Ltd complies with ISO 22301:2019 (transition from "
        "ISO 22301:2012 completed).\n",
        "This is to certify that Theta Ltd complies with ISO 22301:2019 and ISO 9001:2015 "
        "(transition pending).\n",
    };
    assert_standard (held, G_N_ELEMENTS (held), "ISO 22301", "2019");
}
END_TEST

START_TEST (test_sites)
{
    /* a labelled list, ";"-separated */
    g_autoptr (evx_certificate) inline_list = read_text (
        "This is to certify that\nKestrel Data Ltd\nCertified sites: 1 Mill Lane, Leeds LS1 1AA; "
        "Unit 4, Dock Road, Hull HU1 2BB;\nExpiry date: 2027-01-31\n");
    ck_assert_uint_eq (g_strv_length (inline_list->sites), 2);
    ck_assert_str_eq (inline_list->sites[0], "1 Mill Lane, Leeds LS1 1AA");
    ck_assert_str_eq (inline_list->sites[1], "Unit 4, Dock Road, Hull HU1 2BB");
    /* a table whose Site column is the second one; the table ends at the next field */
    g_autoptr (evx_certificate) table = read_text (
        "Activities\tLocations\nData centre operations\t12 Rue Vaugirard, 75015 Paris\n"
        "Service desk\t8 Harbour St, Cork T12 X2Y4\nDate of issue\t2025-02-01\t9 Other Road\n");
    ck_assert_uint_eq (g_strv_length (table->sites), 2);
    ck_assert_str_eq (table->sites[0], "12 Rue Vaugirard, 75015 Paris");
    ck_assert_str_eq (table->sites[1], "8 Harbour St, Cork T12 X2Y4");
    /* nothing that names a site: NULL, not a guess (the line under the holder has no
     * address) */
    g_autoptr (evx_certificate) none = read_text (
        "Acme Certification Ltd hereby certifies that\nKestrel Data Ltd\noperates an ISMS\n"
        "Issue date: 2025-02-01\n");
    ck_assert_str_eq (none->holder, "Kestrel Data Ltd");
    ck_assert_ptr_null (none->sites);
}
END_TEST

static Suite *
certificate_suite (void)
{
    Suite *s = suite_create ("certificate");
    TCase *tc = tcase_create ("certificate");
    tcase_add_test (tc, test_dates);
    tcase_add_test (tc, test_corpus_certificates);
    tcase_add_test (tc, test_sites);
    tcase_add_test (tc, test_more_labels);
    suite_add_tcase (s, tc);
    return s;
}

int
main (void)
{
    return evx_test_main (certificate_suite ());
}
