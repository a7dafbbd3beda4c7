/* test-passage.c - Check suite for ingest/passage: evx_passages_cut() on hand-built
 * page layouts with realistic geometry (A4, 595 x 842 pt; body text 10 pt on a
 * 12 pt pitch; headings 12 pt bold; running header at y = 30, footer at y = 810). */
#include "ingest/passage.h"

#include <check.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define A4_W 595.0
#define A4_H 842.0
#define LEFT 72.0
#define BODY 10.0
#define HEAD 12.0
#define HEADER "Halden Freight \xE2\x80\x94 Stage 2 audit report"

/* ---- building pages ------------------------------------------------------- */

static GPtrArray *
new_pages (void)
{
    return g_ptr_array_new_with_free_func ((GDestroyNotify) evx_page_layout_free);
}

static evx_page_layout *
add_page (GPtrArray *pages)
{
    evx_page_layout *page = evx_page_layout_new ((int) pages->len + 1, A4_W, A4_H);

    g_ptr_array_add (pages, page);
    return page;
}

/* A line of @size pt text at (@x, @y), about half an em per character wide. */
static void
line_at (evx_page_layout *page, const char *text, double x, double y, double size, gboolean bold)
{
    double width = 0.5 * size * (double) g_utf8_strlen (text, -1);

    evx_page_layout_add_line (page, text, x, y, x + width, y + size, size, bold);
}

static void
body (evx_page_layout *page, const char *text, double y)
{
    line_at (page, text, LEFT, y, BODY, FALSE);
}

static void
heading (evx_page_layout *page, const char *text, double y)
{
    line_at (page, text, LEFT, y, HEAD, TRUE);
}

static void
header_footer (evx_page_layout *page, int n_pages)
{
    g_autofree char *footer = g_strdup_printf ("Page %d of %d", page->number, n_pages);

    line_at (page, HEADER, LEFT, 30, 9, FALSE);
    line_at (page, footer, 260, 810, 9, FALSE);
}

static evx_document *
cut (GPtrArray *pages)
{
    evx_document *doc = evx_document_new ("/srv/evidence/halden/stage2.pdf");

    doc->page_count = (int) pages->len;
    evx_passages_cut (doc, pages);
    ck_assert_uint_eq (doc->page_texts->len, pages->len);
    return doc;
}

/* ---- checking passages ---------------------------------------------------- */

static const char *
page_text (const evx_document *doc, int page)
{
    ck_assert_int_ge (page, 1);
    ck_assert_uint_ge (doc->page_texts->len, (guint) page);
    return g_ptr_array_index (doc->page_texts, page - 1);
}

/* The page text between code points [start, end) with line breaks made spaces
 * and "-\n" before a lower-case letter removed: what the passage text must be. */
static char *
folded_span (const evx_document *doc, const evx_passage *p)
{
    const char *t = page_text (doc, p->page);
    g_autofree char *span = NULL;
    GString *out = g_string_new (NULL);

    ck_assert_int_ge (p->start, 0);
    ck_assert_int_le (p->end, g_utf8_strlen (t, -1));
    ck_assert_int_lt (p->start, p->end);
    span = g_utf8_substring (t, p->start, p->end);
    for (const char *c = span; *c != '\0'; c++) {
        if (c[0] == '-' && c[1] == '\n' && c > span && g_ascii_isalpha (c[-1])
            && g_unichar_islower (g_utf8_get_char (c + 2)))
            c++;   /* hyphenation joined: skip "-\n" */
        else if (*c == '\n')
            g_string_append_c (out, ' ');
        else
            g_string_append_c (out, *c);
    }
    return g_string_free (out, FALSE);
}

static const evx_passage *
passage (const evx_document *doc, guint i)
{
    ck_assert_msg (i < doc->passages->len, "passage %u of %u", i, doc->passages->len);
    return g_ptr_array_index (doc->passages, i);
}

/* Passage @i must be exactly this, and consistent with its page text. */
static void
expect_passage (const evx_document *doc, guint i, int page, glong start, glong end,
                const char *text, gboolean is_heading)
{
    const evx_passage *p = passage (doc, i);
    g_autofree char *span = NULL;

    ck_assert_msg (p->page == page, "passage %u: page %d, expected %d", i, p->page, page);
    ck_assert_msg (p->start == start && p->end == end, "passage %u: [%ld, %ld), expected [%ld, %ld)",
                   i, p->start, p->end, start, end);
    ck_assert_str_eq (p->text, text);
    ck_assert_msg (p->is_heading == is_heading, "passage %u: is_heading %d", i, p->is_heading);
    ck_assert_ptr_nonnull (p->clauses);
    ck_assert_uint_eq (p->clauses->len, 0);
    span = folded_span (doc, p);
    ck_assert_str_eq (span, p->text);
}

static void
assert_nowhere (const evx_document *doc, const char *needle)
{
    for (guint i = 0; i < doc->page_texts->len; i++)
        ck_assert_msg (strstr (g_ptr_array_index (doc->page_texts, i), needle) == NULL,
                       "\"%s\" in the text of page %u", needle, i + 1);
    for (guint i = 0; i < doc->passages->len; i++)
        ck_assert_msg (strstr (passage (doc, i)->text, needle) == NULL, "\"%s\" in passage %u",
                       needle, i);
}

/* ---- tests ---------------------------------------------------------------- */

START_TEST (test_heading_joined_with_paragraph)
{
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *pg = add_page (pages);
    g_autoptr (evx_document) doc = NULL;

    heading (pg, "8.2.2 Business impact analysis", 120);
    body (pg, "The BIA covered all twelve activities of the", 140);
    body (pg, "Halden depot and set recovery time objectives.", 152);
    body (pg, "The risk assessment followed in March.", 176);
    doc = cut (pages);

    ck_assert_str_eq (page_text (doc, 1),
                      "8.2.2 Business impact analysis\n"
                      "The BIA covered all twelve activities of the\n"
                      "Halden depot and set recovery time objectives.\n"
                      "The risk assessment followed in March.");
    ck_assert_uint_eq (doc->passages->len, 2);
    expect_passage (doc, 0, 1, 0, 122,
                    "8.2.2 Business impact analysis The BIA covered all twelve activities of the "
                    "Halden depot and set recovery time objectives.",
                    TRUE);
    expect_passage (doc, 1, 1, 123, 161, "The risk assessment followed in March.", FALSE);
    ck_assert_ptr_null (passage (doc, 0)->page_label);
}
END_TEST

START_TEST (test_heading_number_apart)
{
    /* The clause number and its title set apart on one baseline: two bold blocks
     * side by side make one heading, joined with the paragraph below. */
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *pg = add_page (pages);
    g_autoptr (evx_document) doc = NULL;

    evx_page_layout_add_line (pg, "8.4.4", LEFT, 120, LEFT + 30, 132, HEAD, TRUE);
    evx_page_layout_add_line (pg, "Business continuity plans", 120, 120, 270, 132, HEAD, TRUE);
    body (pg, "Plans exist for both depots.", 140);
    pg->label = g_strdup ("iii");
    doc = cut (pages);

    ck_assert_str_eq (page_text (doc, 1),
                      "8.4.4\nBusiness continuity plans\nPlans exist for both depots.");
    ck_assert_uint_eq (doc->passages->len, 1);
    expect_passage (doc, 0, 1, 0, 60,
                    "8.4.4 Business continuity plans Plans exist for both depots.", TRUE);
    ck_assert_str_eq (passage (doc, 0)->page_label, "iii");
}
END_TEST

START_TEST (test_running_header_footer_removed)
{
    g_autoptr (GPtrArray) pages = new_pages ();
    g_autoptr (evx_document) doc = NULL;

    for (int n = 1; n <= 4; n++) {
        evx_page_layout *pg = add_page (pages);
        g_autofree char *finding = g_strdup_printf ("Finding %d: the plan was reviewed.", n);

        header_footer (pg, 4);
        if (n == 1)
            line_at (pg, "Confidential draft", LEFT, 50, 9, FALSE); /* top zone, page 1 only */
        if (n >= 3)
            line_at (pg, "Draft for review", LEFT, 50, 9, FALSE);   /* top zone, half the pages */
        body (pg, finding, 120);
        if (n == 2)
            body (pg, HEADER, 400);   /* the same words in the body are text */
    }
    doc = cut (pages);

    ck_assert_str_eq (page_text (doc, 1), "Confidential draft\nFinding 1: the plan was reviewed.");
    ck_assert_str_eq (page_text (doc, 2), "Finding 2: the plan was reviewed.\n" HEADER);
    ck_assert_str_eq (page_text (doc, 3), "Finding 3: the plan was reviewed.");
    ck_assert_str_eq (page_text (doc, 4), "Finding 4: the plan was reviewed.");
    ck_assert_uint_eq (doc->passages->len, 6);
    expect_passage (doc, 0, 1, 0, 18, "Confidential draft", FALSE);
    expect_passage (doc, 1, 1, 19, 52, "Finding 1: the plan was reviewed.", FALSE);
    expect_passage (doc, 2, 2, 0, 33, "Finding 2: the plan was reviewed.", FALSE);
    expect_passage (doc, 3, 2, 34, 71, HEADER, FALSE);
    expect_passage (doc, 4, 3, 0, 33, "Finding 3: the plan was reviewed.", FALSE);
    expect_passage (doc, 5, 4, 0, 33, "Finding 4: the plan was reviewed.", FALSE);
    assert_nowhere (doc, "Page ");
    assert_nowhere (doc, "of 4");
    assert_nowhere (doc, "Draft for review");
}
END_TEST

START_TEST (test_single_page_keeps_header_zone)
{
    /* One page: nothing repeats, so a header-zone line is text; page numbers go. */
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *pg = add_page (pages);
    g_autoptr (evx_document) doc = NULL;

    line_at (pg, HEADER, LEFT, 30, 9, FALSE);
    line_at (pg, "- 3 -", 290, 50, 9, FALSE);
    body (pg, "Scope: the Halden depot.", 120);
    line_at (pg, "3 / 9", 290, 790, 9, FALSE);
    line_at (pg, "Page 1 of 1", 260, 810, 9, FALSE);
    doc = cut (pages);

    ck_assert_str_eq (page_text (doc, 1), HEADER "\nScope: the Halden depot.");
    ck_assert_uint_eq (doc->passages->len, 2);
    expect_passage (doc, 0, 1, 0, 37, HEADER, FALSE);
    expect_passage (doc, 1, 1, 38, 62, "Scope: the Halden depot.", FALSE);
}
END_TEST

START_TEST (test_heading_at_page_bottom_stays_alone)
{
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *p1 = add_page (pages);
    evx_page_layout *p2 = add_page (pages);
    g_autoptr (evx_document) doc = NULL;

    body (p1, "Recovery objectives were agreed with the board.", 120);
    heading (p1, "8.3 Business continuity strategies and solutions", 700);
    body (p2, "The strategies were chosen after the BIA.", 120);
    body (p2, "Each depot has a fallback site.", 132);
    doc = cut (pages);

    ck_assert_uint_eq (doc->passages->len, 3);
    expect_passage (doc, 0, 1, 0, 47, "Recovery objectives were agreed with the board.", FALSE);
    expect_passage (doc, 1, 1, 48, 96, "8.3 Business continuity strategies and solutions", TRUE);
    expect_passage (doc, 2, 2, 0, 73,
                    "The strategies were chosen after the BIA. Each depot has a fallback site.",
                    FALSE);
}
END_TEST

START_TEST (test_hyphenation)
{
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *pg = add_page (pages);
    g_autoptr (evx_document) doc = NULL;

    body (pg, "The organisation shall maintain a business continu-", 120);
    body (pg, "ity plan for each site and review it yearly.", 132);
    body (pg, "The 2009 paper on Trace-", 156);
    body (pg, "Monkey describes trace trees.", 168);
    doc = cut (pages);

    /* The page text keeps the lines as they were printed. */
    ck_assert_str_eq (page_text (doc, 1),
                      "The organisation shall maintain a business continu-\n"
                      "ity plan for each site and review it yearly.\n"
                      "The 2009 paper on Trace-\n"
                      "Monkey describes trace trees.");
    ck_assert_uint_eq (doc->passages->len, 2);
    expect_passage (doc, 0, 1, 0, 96,
                    "The organisation shall maintain a business continuity plan for each site and "
                    "review it yearly.",
                    FALSE);
    /* A capital after the hyphen: not a word broken at the line end, so the hyphen
     * stays and the line break is folded to a space (passage.h: "line breaks folded
     * to spaces and hyphenation joined"). */
    expect_passage (doc, 1, 1, 97, 151, "The 2009 paper on Trace- Monkey describes trace trees.",
                    FALSE);
}
END_TEST

/* 60 sentences of exactly 50 characters, as one paragraph wrapped at spaces into
 * lines of at most 90 characters. */
static void
add_long_block (evx_page_layout *pg, GString *all)
{
    GString *line = g_string_new (NULL);
    g_auto (GStrv) words = NULL;
    double y = 120;

    for (int k = 0; k < 60; k++) {
        g_autofree char *s = g_strdup_printf ("Step %02d: the depot team restores one more service.", k);

        ck_assert_uint_eq (strlen (s), 50);
        g_string_append_printf (all, "%s%s", k > 0 ? " " : "", s);
    }
    words = g_strsplit (all->str, " ", -1);
    for (guint w = 0; words[w] != NULL; w++) {
        if (line->len > 0 && line->len + 1 + strlen (words[w]) > 90) {
            body (pg, line->str, y);
            y += 12;
            g_string_truncate (line, 0);
        }
        g_string_append_printf (line, "%s%s", line->len > 0 ? " " : "", words[w]);
    }
    body (pg, line->str, y);
    ck_assert_double_lt (y, 700);
    g_string_free (line, TRUE);
}

START_TEST (test_long_block_split_at_sentences)
{
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *pg = add_page (pages);
    g_autoptr (evx_document) doc = NULL;
    GString *all = g_string_new (NULL);
    /* Sentence k occupies [51k, 51k + 50); 19 of them (968 characters) fit in 1000. */
    static const glong starts[] = { 0, 969, 1938, 2907 };
    static const glong ends[] = { 968, 1937, 2906, 3059 };

    add_long_block (pg, all);
    ck_assert_uint_eq (all->len, 3059);
    doc = cut (pages);

    ck_assert_int_eq (g_utf8_strlen (page_text (doc, 1), -1), 3059);
    ck_assert_uint_eq (doc->passages->len, 4);
    for (guint i = 0; i < 4; i++) {
        const evx_passage *p = passage (doc, i);
        g_autofree char *want = g_strndup (all->str + starts[i], (gsize) (ends[i] - starts[i]));

        expect_passage (doc, i, 1, starts[i], ends[i], want, FALSE);
        ck_assert_int_le (g_utf8_strlen (p->text, -1), EVX_PASSAGE_MAX_CHARS);
        ck_assert (g_str_has_prefix (p->text, "Step "));
        ck_assert (g_str_has_suffix (p->text, "service."));
        if (i > 0)   /* consecutive: only the separating space lies between */
            ck_assert_int_eq (p->start, passage (doc, i - 1)->end + 1);
    }
    ck_assert (g_str_has_prefix (passage (doc, 1)->text, "Step 19:"));
    ck_assert (g_str_has_prefix (passage (doc, 2)->text, "Step 38:"));
    ck_assert (g_str_has_prefix (passage (doc, 3)->text, "Step 57:"));
    g_string_free (all, TRUE);
}
END_TEST

START_TEST (test_long_block_without_sentences)
{
    /* No sentence end anywhere: the block is split at spaces, never inside a word. */
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *pg = add_page (pages);
    g_autoptr (evx_document) doc = NULL;
    GString *all = g_string_new (NULL);
    glong total = 0;

    for (int l = 0; l < 30; l++) {
        g_autofree char *line = g_strdup_printf ("recovery%02d continuity resilience depot "
                                                 "warehouse logistics freight", l);
        body (pg, line, 120 + 12 * l);
        g_string_append_printf (all, "%s%s", l > 0 ? " " : "", line);
    }
    doc = cut (pages);

    ck_assert_uint_ge (doc->passages->len, 3);
    for (guint i = 0; i < doc->passages->len; i++) {
        const evx_passage *p = passage (doc, i);
        g_autofree char *span = folded_span (doc, p);

        ck_assert_str_eq (span, p->text);
        ck_assert_int_le (g_utf8_strlen (p->text, -1), EVX_PASSAGE_MAX_CHARS);
        ck_assert_int_eq (p->end - p->start, g_utf8_strlen (p->text, -1));
        ck_assert (p->text[0] != ' ' && !g_str_has_suffix (p->text, " "));
        if (i == 0)
            ck_assert_int_eq (p->start, 0);
        else
            ck_assert_int_eq (p->start, passage (doc, i - 1)->end + 1);
        total += p->end - p->start + (i > 0 ? 1 : 0);
        /* Every piece ends with a whole word of the text. */
        ck_assert (g_str_has_suffix (p->text, "freight") || g_str_has_suffix (p->text, "logistics")
                   || g_str_has_suffix (p->text, "warehouse") || g_str_has_suffix (p->text, "depot")
                   || g_str_has_suffix (p->text, "resilience")
                   || g_str_has_suffix (p->text, "continuity")
                   || g_regex_match_simple ("recovery\\d\\d$", p->text, 0, 0));
    }
    ck_assert_int_eq (total, (glong) all->len);
    g_string_free (all, TRUE);
}
END_TEST

START_TEST (test_two_columns)
{
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *pg = add_page (pages);
    g_autoptr (evx_document) doc = NULL;

    line_at (pg, "Left column starts the report", 57, 120, BODY, FALSE);
    line_at (pg, "and goes on down the page.", 57, 132, BODY, FALSE);
    line_at (pg, "Right column is another text", 310, 120, BODY, FALSE);
    line_at (pg, "that starts higher up.", 310, 132, BODY, FALSE);
    doc = cut (pages);

    ck_assert_uint_eq (doc->passages->len, 2);
    expect_passage (doc, 0, 1, 0, 56, "Left column starts the report and goes on down the page.",
                    FALSE);
    expect_passage (doc, 1, 1, 57, 108, "Right column is another text that starts higher up.",
                    FALSE);
}
END_TEST

START_TEST (test_bullets_alone_no_passage)
{
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *pg = add_page (pages);
    g_autoptr (evx_document) doc = NULL;

    line_at (pg, "\xE2\x97\x8F", LEFT, 120, BODY, FALSE);   /* U+25CF BLACK CIRCLE */
    line_at (pg, "\xE2\x97\x8F", LEFT, 132, BODY, FALSE);
    line_at (pg, "Review the call tree quarterly.", 86, 120, BODY, FALSE);
    line_at (pg, "Test the generator monthly.", 86, 132, BODY, FALSE);
    line_at (pg, "\xE2\x80\xA2 \xE2\x80\xA2", LEFT, 160, BODY, FALSE); /* "• •" */
    doc = cut (pages);

    ck_assert_str_eq (page_text (doc, 1),
                      "\xE2\x97\x8F\n\xE2\x97\x8F\nReview the call tree quarterly.\n"
                      "Test the generator monthly.\n\xE2\x80\xA2 \xE2\x80\xA2");
    ck_assert_uint_eq (doc->passages->len, 1);
    expect_passage (doc, 0, 1, 4, 63,
                    "Review the call tree quarterly. Test the generator monthly.", FALSE);
}
END_TEST

START_TEST (test_lines_normalised)
{
    /* Line text is normalised before it goes into the page text; empty lines vanish. */
    g_autoptr (GPtrArray) pages = new_pages ();
    evx_page_layout *pg = add_page (pages);
    g_autoptr (evx_document) doc = NULL;

    body (pg, "  The \xEF\xAC\x81nal  re\xC2\xADport\t", 120);
    body (pg, "\xE2\x80\x8B", 126);   /* a stray invisible glyph */
    body (pg, "was signed.", 132);
    doc = cut (pages);

    ck_assert_str_eq (page_text (doc, 1), "The final report\nwas signed.");
    ck_assert_uint_eq (doc->passages->len, 1);
    expect_passage (doc, 0, 1, 0, 28, "The final report was signed.", FALSE);
}
END_TEST

START_TEST (test_empty_pages)
{
    g_autoptr (GPtrArray) pages = new_pages ();
    g_autoptr (evx_document) doc = NULL;

    add_page (pages);
    add_page (pages);
    doc = cut (pages);
    ck_assert_str_eq (page_text (doc, 1), "");
    ck_assert_str_eq (page_text (doc, 2), "");
    ck_assert_uint_eq (doc->passages->len, 0);
    evx_page_layout_free (NULL);
}
END_TEST

static Suite *
passage_suite (void)
{
    Suite *s = suite_create ("passage");
    TCase *blocks = tcase_create ("blocks");
    TCase *furniture = tcase_create ("furniture");
    TCase *split = tcase_create ("split");

    tcase_add_test (blocks, test_heading_joined_with_paragraph);
    tcase_add_test (blocks, test_heading_number_apart);
    tcase_add_test (blocks, test_heading_at_page_bottom_stays_alone);
    tcase_add_test (blocks, test_hyphenation);
    tcase_add_test (blocks, test_two_columns);
    tcase_add_test (blocks, test_bullets_alone_no_passage);
    tcase_add_test (blocks, test_lines_normalised);
    tcase_add_test (blocks, test_empty_pages);
    suite_add_tcase (s, blocks);

    tcase_add_test (furniture, test_running_header_footer_removed);
    tcase_add_test (furniture, test_single_page_keeps_header_zone);
    suite_add_tcase (s, furniture);

    tcase_add_test (split, test_long_block_split_at_sentences);
    tcase_add_test (split, test_long_block_without_sentences);
    suite_add_tcase (s, split);
    return s;
}

int
main (void)
{
    SRunner *sr = srunner_create (passage_suite ());
    int failed;

    srunner_run_all (sr, CK_ENV);
    failed = srunner_ntests_failed (sr);
    srunner_free (sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
