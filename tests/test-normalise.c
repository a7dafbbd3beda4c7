/* test-normalise.c - Check suite for ingest/normalise: evx_normalise_text() turns
 * whatever an extractor produced into valid, NFKC-normalised, searchable UTF-8. */
#include "ingest/normalise.h"

#include <check.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Normalises @len bytes of @in; expects exactly @want and @want_invalid replacements. */
static void
expect_len (const char *in, gssize len, const char *want, guint want_invalid)
{
    guint n_invalid = 12345;
    g_autofree char *out = evx_normalise_text (in, len, &n_invalid);

    ck_assert_ptr_nonnull (out);
    ck_assert_msg (g_utf8_validate (out, -1, NULL), "output is not valid UTF-8");
    ck_assert_str_eq (out, want);
    ck_assert_uint_eq (n_invalid, want_invalid);
}

static void
expect (const char *in, const char *want)
{
    expect_len (in, -1, want, 0);
}

/* ---- NFKC ----------------------------------------------------------------- */

START_TEST (test_ligatures)
{
    expect ("\xEF\xAC\x81le", "file");                   /* U+FB01 LATIN SMALL LIGATURE FI */
    expect ("e\xEF\xAC\x83" "cient", "efficient");       /* U+FB03 LATIN SMALL LIGATURE FFI */
    expect ("\xEF\xAC\x80" "ect", "ffect");              /* U+FB00 ff */
    expect ("\xEF\xAC\x82ow", "flow");                   /* U+FB02 fl */
    expect ("\xEF\xAC\x84", "ffl");                      /* U+FB04 ffl */
    expect ("\xEF\xAC\x86", "st");                       /* U+FB06 st */
}
END_TEST

START_TEST (test_compatibility_forms)
{
    /* Full-width Latin letters and digits. */
    expect ("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", "ABC");
    expect ("\xEF\xBC\x98\xEF\xBC\x8E\xEF\xBC\x92", "8.2");
    /* An Arabic presentation form becomes its base letter (U+FE8D -> U+0627). */
    expect ("\xEF\xBA\x8D", "\xD8\xA7");
    /* Composition: e + COMBINING ACUTE ACCENT -> U+00E9. */
    expect ("caf" "e\xCC\x81", "caf\xC3\xA9");
    /* Superscript two and the ellipsis character. */
    expect ("m\xC2\xB2", "m2");
    expect ("wait\xE2\x80\xA6", "wait...");
}
END_TEST

/* ---- whitespace ----------------------------------------------------------- */

START_TEST (test_whitespace_folded)
{
    expect ("a\xC2\xA0" "b", "a b");                     /* NO-BREAK SPACE */
    expect ("  a\t\tb\n\nc \r\n", "a b c");
    expect ("\t\n leading and trailing \n\t", "leading and trailing");
    expect ("one\xE3\x80\x80two", "one two");            /* IDEOGRAPHIC SPACE */
    expect ("one\xE2\x80\x83two", "one two");            /* EM SPACE */
    expect ("one\xE2\x80\xA8two\xE2\x80\xA9three", "one two three"); /* LINE/PARAGRAPH SEPARATOR */
    expect ("a \xC2\xA0 \t b", "a b");
    expect ("   \t\n  ", "");
    expect ("", "");
}
END_TEST

/* ---- invisible characters -------------------------------------------------- */

START_TEST (test_format_characters_removed)
{
    expect ("ab\xE2\x80\x8B" "cd", "abcd");                       /* ZERO WIDTH SPACE */
    expect ("\xE2\x80\xAB" "abc\xE2\x80\xAC", "abc");             /* RLE ... PDF (bidi) */
    expect ("con\xC2\xADtinuity", "continuity");                  /* SOFT HYPHEN */
    expect ("\xEF\xBB\xBF" "BOM first", "BOM first");             /* BYTE ORDER MARK */
    expect ("x\xE2\x80\x8D" "y\xE2\x80\x8C" "z", "xyz");          /* ZWJ, ZWNJ */
    /* A format character between two spaces leaves one space. */
    expect ("a \xE2\x80\x8B b", "a b");
}
END_TEST

START_TEST (test_control_characters_removed)
{
    /* C0 controls as produced by fonts without a usable ToUnicode map. */
    expect ("abc\x02\x03" "def", "abcdef");
    expect ("\x01\x02\x03\x04", "");
    expect ("del\x7F" "ete", "delete");
    expect ("c1\xC2\x90" "x", "c1x");                             /* U+0090, a C1 control */
    /* Control characters never leave a pending space at an end. */
    expect ("word \x02", "word");
}
END_TEST

START_TEST (test_private_use_removed)
{
    expect ("\xEE\x80\x80", "");                                  /* U+E000 */
    expect ("a\xEE\x80\x80" "b\xEF\xA3\xBF" "c", "abc");          /* U+E000, U+F8FF */
    expect ("\xF3\xB0\x80\x80" "plane15", "plane15");             /* U+F0000 */
}
END_TEST

/* ---- bytes that are not UTF-8 -------------------------------------------- */

START_TEST (test_embedded_nul)
{
    expect_len ("foo\0bar", 7, "foo bar", 0);
    expect_len ("foo\0\0\0bar", 9, "foo bar", 0);
    expect_len ("\0foo\0", 5, "foo", 0);
    expect_len ("foo bar", 3, "foo", 0);   /* only @len bytes are read */
}
END_TEST

START_TEST (test_invalid_utf8)
{
    /* Two stray bytes, each replaced and counted. */
    expect_len ("a\xFF\xFE b", -1, "a\xEF\xBF\xBD\xEF\xBF\xBD b", 2);
    /* A lead byte whose sequence is cut short by the end. */
    expect_len ("caf\xC3", -1, "caf\xEF\xBF\xBD", 1);
    /* A truncated 3-byte sequence counts once (its continuation byte goes with it). */
    expect_len ("\xE2\x82x", -1, "\xEF\xBF\xBDx", 1);
    /* An overlong encoding of '/'. */
    expect_len ("\xC0\xAF", -1, "\xEF\xBF\xBD", 1);
    /* A lone continuation byte. */
    expect_len ("\x80z", -1, "\xEF\xBF\xBDz", 1);
    /* Invalid bytes next to a NUL, with an explicit length. */
    expect_len ("a\xFF\0b", 4, "a\xEF\xBF\xBD b", 1);
    /* Valid text is not counted. */
    expect_len ("\xE2\x82\xAC 5", -1, "\xE2\x82\xAC 5", 0);
    /* A NULL counter is allowed. */
    g_autofree char *out = evx_normalise_text ("x\xFFy", -1, NULL);
    ck_assert_str_eq (out, "x\xEF\xBF\xBDy");
}
END_TEST

START_TEST (test_null_input)
{
    guint n = 7;
    g_autofree char *out = evx_normalise_text (NULL, -1, &n);
    g_autofree char *out2 = evx_normalise_text (NULL, 5, NULL);

    ck_assert_str_eq (out, "");
    ck_assert_uint_eq (n, 0);
    ck_assert_str_eq (out2, "");
}
END_TEST

START_TEST (test_everything_at_once)
{
    /* A heading as a broken font might give it: bidi mark, ligature, NBSP, soft
     * hyphen, control bytes, private-use glyph, a bad byte and trailing newline. */
    expect_len ("\xE2\x80\xAB" "8.2.2\xC2\xA0" "Business im\xC2\xADpact\x02 "
                "\xEF\xAC\x81nd\xEE\x80\x80ings\xFF\n",
                -1, "8.2.2 Business impact findings\xEF\xBF\xBD", 1);
}
END_TEST

static Suite *
normalise_suite (void)
{
    Suite *s = suite_create ("normalise");
    TCase *nfkc = tcase_create ("nfkc");
    TCase *invisible = tcase_create ("invisible");
    TCase *bytes = tcase_create ("bytes");

    tcase_add_test (nfkc, test_ligatures);
    tcase_add_test (nfkc, test_compatibility_forms);
    tcase_add_test (nfkc, test_whitespace_folded);
    suite_add_tcase (s, nfkc);

    tcase_add_test (invisible, test_format_characters_removed);
    tcase_add_test (invisible, test_control_characters_removed);
    tcase_add_test (invisible, test_private_use_removed);
    suite_add_tcase (s, invisible);

    tcase_add_test (bytes, test_embedded_nul);
    tcase_add_test (bytes, test_invalid_utf8);
    tcase_add_test (bytes, test_null_input);
    tcase_add_test (bytes, test_everything_at_once);
    suite_add_tcase (s, bytes);
    return s;
}

int
main (void)
{
    SRunner *sr = srunner_create (normalise_suite ());
    int failed;

    srunner_run_all (sr, CK_ENV);
    failed = srunner_ntests_failed (sr);
    srunner_free (sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
