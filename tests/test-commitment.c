/* test-commitment.c - Check suite for ingest/commitment: what is a commitment, its
 * modal, negation, party and deadline, and sentence cutting. */
#include "ingest/commitment.h"
#include "tests/fixture.h"

#include <check.h>
#include <string.h>

static void
expect (const char *sentence, const char *modal, gboolean negated, const char *party,
        const char *deadline)
{
    g_autoptr (evx_commitment) c = evx_commitment_detect (sentence);
    if (!modal) {
        ck_assert_msg (c == NULL, "not a commitment: %s", sentence);
        return;
    }
    ck_assert_msg (c != NULL, "a commitment: %s", sentence);
    ck_assert_str_eq (c->modal, modal);
    ck_assert_int_eq (c->negated, negated);
    ck_assert_msg (g_strcmp0 (c->party, party) == 0, "party %s, not %s", c->party, party);
    ck_assert_msg (g_strcmp0 (c->deadline, deadline) == 0, "deadline %s, not %s", c->deadline,
                   deadline);
}

/* one row per sentence: what expect() checks */
typedef struct {
    const char *sentence, *modal;
    gboolean negated;
    const char *party, *deadline;
} expected;

static void
expect_rows (const expected *rows, gsize n)
{
    for (gsize i = 0; i < n; i++)
        expect (rows[i].sentence, rows[i].modal, rows[i].negated, rows[i].party, rows[i].deadline);
}

START_TEST (test_commitments)
{
    expect ("The Board shall own this policy and shall review the performance of the BCMS at "
            "least once a year through the management review.",
            "shall", FALSE, "The Board", "at least once a year");
    expect ("The supplier will not disclose the data.", "will", TRUE, "The supplier", NULL);
    expect ("We won't share passwords with anyone.", "will", TRUE, "We", NULL);
    /* a typographic apostrophe (Word, &rsquo;) hid "won’t"; "shan't" and "mustn't" were
     * not read in either spelling */
    expect ("The Supplier won\xe2\x80\x99t disclose customer data.", "will", TRUE, "The Supplier",
            NULL);
    expect ("The Supplier shan\xe2\x80\x99t disclose customer data.", "shall", TRUE,
            "The Supplier", NULL);
    expect ("The Supplier shan't disclose customer data.", "shall", TRUE, "The Supplier", NULL);
    expect ("Staff mustn\xe2\x80\x99t share passwords.", "must", TRUE, "Staff", NULL);
    expect ("All staff are required to complete training within 30 days of joining.",
            "is required to", FALSE, "All staff", "within 30 days");
    expect ("If the site is lost, the duty manager must invoke the plan within two hours.", "must",
            FALSE, "the duty manager", "within two hours");
    expect ("Halden Freight commits to test the plan annually.", "commits to", FALSE,
            "Halden Freight", "annually");
    expect ("The contractor undertakes to restore service by 31 March 2021.", "undertakes to",
            FALSE, "The contractor", "by 31 March 2021");
    /* a bullet before the party was cut in the middle of its UTF-8 bytes */
    expect ("Duties \xe2\x80\xa2 The IT manager shall restore the WMS.", "shall", FALSE,
            "The IT manager", NULL);
    /* the quote that opens a quoted rule was kept as part of the party */
    expect ("The handbook states: \xe2\x80\x9c" "Employees must report every incident within "
            "24 hours.\xe2\x80\x9d", "must", FALSE, "Employees", "within 24 hours");
    expect ("Under the contract, \"the supplier shall restore service within 4 hours\".", "shall",
            FALSE, "the supplier", "within 4 hours");
    expect ("Duties: [the deputy] will take over.", "will", FALSE, "the deputy", NULL);
    /* a negative party negates the commitment */
    expect ("Neither party shall assign this agreement.", "shall", TRUE, "Neither party", NULL);
    expect ("No party shall assign this agreement.", "shall", TRUE, "No party", NULL);
    expect ("Nobody will enter the server room alone.", "will", TRUE, "Nobody", NULL);
    /* table cells and clause numbers are not part of the party */
    expect ("Facilities | The Facilities Manager shall test the generator monthly.", "shall",
            FALSE, "The Facilities Manager", "monthly");
    expect ("Facilities\tThe Facilities Manager shall test the generator monthly.", "shall",
            FALSE, "The Facilities Manager", "monthly");
    expect ("9.2 The Customer shall pay the fees.", "shall", FALSE, "The Customer", NULL);
    expect ("Sec. 5 the Supplier shall keep backups.", "shall", FALSE, "the Supplier", NULL);
    expect ("12 engineers will attend the exercise.", "will", FALSE, "12 engineers", NULL);
    /* "will" the noun is no modal, but a later one is */
    expect ("Employment is at will; the employer will give notice.", "will", FALSE,
            "the employer", NULL);
}
END_TEST

/* deadlines that were missed: numbers in words with digits in brackets, "sixty", ordinal
 * and numeric dates, "immediately" */
START_TEST (test_deadlines)
{
    static const expected rows[] = {
        { "The Customer shall pay each invoice within thirty (30) days.", "shall", FALSE,
          "The Customer", "within thirty (30) days" },
        { "The Customer shall pay each invoice within sixty days.", "shall", FALSE,
          "The Customer", "within sixty days" },
        { "The Supplier shall notify the Customer within two (2) Business Days.", "shall", FALSE,
          "The Supplier", "within two (2) Business Days" },
        { "The Supplier shall deliver the plan by 30th June 2025.", "shall", FALSE,
          "The Supplier", "by 30th June 2025" },
        { "The Supplier shall deliver the plan by 30/06/2025.", "shall", FALSE, "The Supplier",
          "by 30/06/2025" },
        { "The Supplier shall deliver the plan no later than 2025-03-31.", "shall", FALSE,
          "The Supplier", "no later than 2025-03-31" },
        { "The duty manager must inform the Board immediately.", "must", FALSE,
          "The duty manager", "immediately" },
        { "Each site shall run a drill every twenty-four months.", "shall", FALSE, "Each site",
          "every twenty-four months" },
        /* the frequency was cut after the hyphen ("annually") */
        { "The BC team shall test the plan semi-annually.", "shall", FALSE, "The BC team",
          "semi-annually" },
        { "The BC team shall review the risks bi-annually.", "shall", FALSE, "The BC team",
          "bi-annually" },
        { "The BC team shall review the risks half-yearly.", "shall", FALSE, "The BC team",
          "half-yearly" },
    };
    expect_rows (rows, G_N_ELEMENTS (rows));
}
END_TEST

START_TEST (test_not_commitments)
{
    expect ("Requirement: The organization shall determine the scope of the BCMS.", NULL, FALSE,
            NULL, NULL);
    expect ("ISO 22301 requires that top management shall demonstrate leadership.", NULL, FALSE,
            NULL, NULL);
    expect ("What will happen if the site is lost?", NULL, FALSE, NULL, NULL);
    expect ("MTPD means the time after which the impacts shall become unacceptable.", NULL, FALSE,
            NULL, NULL);
    /* a definition whose verb follows the modal */
    expect ("The term Business Day shall mean any day other than a Saturday.", NULL, FALSE, NULL,
            NULL);
    expect ("Capitalised terms shall have the meanings given in Schedule 1.", NULL, FALSE, NULL,
            NULL);
    expect ("This will take a week.", NULL, FALSE, NULL, NULL);
    /* "will" the noun */
    expect ("The employment relationship is at will.", NULL, FALSE, NULL, NULL);
    expect ("The plan should be reviewed every year.", NULL, FALSE, NULL, NULL);
    expect ("Staff were willing to help.", NULL, FALSE, NULL, NULL);
    expect ("The Supplier can\xe2\x80\x99t disclose customer data.", NULL, FALSE, NULL, NULL);
}
END_TEST

START_TEST (test_sentences)
{
    g_autoptr (GPtrArray) found = evx_commitments_find (
        "Roles are listed in App. 2. The IT manager shall restore the WMS within 4 hours. "
        "Why? Because customers e.g. Tesco depend on it. Each deputy will attend the "
        "exercise each year.");
    ck_assert_uint_eq (found->len, 2);
    const evx_commitment *a = g_ptr_array_index (found, 0), *b = g_ptr_array_index (found, 1);
    ck_assert_str_eq (a->sentence, "The IT manager shall restore the WMS within 4 hours.");
    ck_assert_str_eq (a->party, "The IT manager");
    ck_assert_str_eq (b->sentence, "Each deputy will attend the exercise each year.");
    ck_assert_str_eq (b->deadline, "each year");
    /* "Sec." ended the sentence, leaving "5 the Supplier" as the party */
    g_autoptr (GPtrArray) numbered = evx_commitments_find ("See the schedule. Sec. 5 the Supplier "
                                                           "shall keep backups.");
    ck_assert_uint_eq (numbered->len, 1);
    const evx_commitment *c = g_ptr_array_index (numbered, 0);
    ck_assert_str_eq (c->sentence, "Sec. 5 the Supplier shall keep backups.");
    ck_assert_str_eq (c->party, "the Supplier");
}
END_TEST

static Suite *
commitment_suite (void)
{
    Suite *s = suite_create ("commitment");
    TCase *tc = tcase_create ("commitment");
    tcase_add_test (tc, test_commitments);
    tcase_add_test (tc, test_deadlines);
    tcase_add_test (tc, test_not_commitments);
    tcase_add_test (tc, test_sentences);
    suite_add_tcase (s, tc);
    return s;
}

int
main (void)
{
    return evx_test_main (commitment_suite ());
}
