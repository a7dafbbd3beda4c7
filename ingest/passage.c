/* passage.c - furniture removal, block grouping and passage cutting (see passage.h). */
#include "ingest/passage.h"

#include <math.h>
#include <string.h>

#include "ingest/normalise.h"
#include "ingest/regex.h"

#define FURNITURE_ZONE 0.12  /* fraction of the page height at top and bottom */
#define HEADING_MAX_LINES 3
#define HEADING_MAX_CHARS 150

static void
line_free (gpointer data)
{
    evx_line *line = data;
    g_free (line->text);
    g_free (line);
}

evx_page_layout *
evx_page_layout_new (int number, double width, double height)
{
    evx_page_layout *page = g_new0 (evx_page_layout, 1);
    page->number = number;
    page->width = width;
    page->height = height;
    page->lines = g_ptr_array_new_with_free_func (line_free);
    return page;
}

void
evx_page_layout_free (evx_page_layout *page)
{
    if (!page)
        return;
    g_ptr_array_unref (page->lines);
    g_free (page->label);
    g_free (page);
}

void
evx_page_layout_add_line (evx_page_layout *page, const char *text, double x0, double y0,
                          double x1, double y1, double font_size, gboolean bold)
{
    evx_line *line = g_new0 (evx_line, 1);
    line->text = g_strdup (text);
    line->x0 = x0;
    line->y0 = y0;
    line->x1 = x1;
    line->y1 = y1;
    line->font_size = font_size;
    line->bold = bold;
    g_ptr_array_add (page->lines, line);
}

/* A line after normalisation, with its place in the page text. */
typedef struct {
    const evx_line *src;
    gunichar *chars;
    glong n_chars;
    glong offset;   /* code-point offset of chars[0] in the page text */
} kept_line;

/* The furniture key of a line: lower case, digits and spaces removed. */
static char *
furniture_key (const char *normalised)
{
    GString *key = g_string_new (NULL);
    for (const char *p = normalised; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if (g_unichar_isdigit (c) || g_unichar_isspace (c))
            continue;
        g_string_append_unichar (key, g_unichar_tolower (c));
    }
    return g_string_free (key, FALSE);
}

static gboolean
in_furniture_zone (const evx_page_layout *page, const evx_line *line)
{
    if (page->height <= 0)
        return FALSE;
    return line->y1 <= page->height * FURNITURE_ZONE
           || line->y0 >= page->height * (1.0 - FURNITURE_ZONE);
}

/* "7", "- 7 -", "Page 7", "page 7 of 9", "7 / 9", "7 of 9", "iv" */
static gboolean
is_page_number (const char *normalised)
{
    static gsize once;
    GRegex *re = evx_regex_once (&once,
                                 "^(page|p\\.|seite|pagina|página)?\\s*[-–—]?\\s*"
                                 "([0-9]{1,4}|[ivx]{1,6})\\s*[-–—]?"
                                 "(\\s*(of|/|von|de)\\s*[0-9]{1,4})?$",
                                 G_REGEX_CASELESS);
    return g_regex_match (re, normalised, 0, NULL);
}

/* Finds the keys of repeated header and footer lines. */
static GHashTable *
find_furniture (GPtrArray *pages)
{
    GHashTable *pages_with_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < pages->len; i++) {
        const evx_page_layout *page = g_ptr_array_index (pages, i);
        g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        for (guint j = 0; j < page->lines->len; j++) {
            const evx_line *line = g_ptr_array_index (page->lines, j);
            if (!in_furniture_zone (page, line))
                continue;
            g_autofree char *norm = evx_normalise_text (line->text, -1, NULL);
            char *key = furniture_key (norm);
            if (*key == '\0' || !g_hash_table_add (seen, key))
                continue;
            gpointer count = g_hash_table_lookup (pages_with_key, key);
            g_hash_table_replace (pages_with_key, g_strdup (key),
                                  GINT_TO_POINTER (GPOINTER_TO_INT (count) + 1));
        }
    }
    guint needed = MAX (2, (pages->len + 1) / 2);
    GHashTableIter it;
    gpointer key, count;
    g_hash_table_iter_init (&it, pages_with_key);
    while (g_hash_table_iter_next (&it, &key, &count)) {
        if ((guint) GPOINTER_TO_INT (count) < needed)
            g_hash_table_iter_remove (&it);
    }
    return pages_with_key;
}

/* The body text size: the font size that carries the most characters. */
static double
body_font_size (GPtrArray *pages)
{
    g_autoptr (GHashTable) chars_at = g_hash_table_new (g_direct_hash, g_direct_equal);
    int best = 0;
    glong best_n = -1;
    for (guint i = 0; i < pages->len; i++) {
        const evx_page_layout *page = g_ptr_array_index (pages, i);
        for (guint j = 0; j < page->lines->len; j++) {
            const evx_line *line = g_ptr_array_index (page->lines, j);
            int size = (int) lround (line->font_size * 2);  /* half points */
            glong n = GPOINTER_TO_INT (g_hash_table_lookup (chars_at, GINT_TO_POINTER (size)))
                      + (glong) strlen (line->text);
            g_hash_table_insert (chars_at, GINT_TO_POINTER (size), GINT_TO_POINTER ((int) n));
            if (n > best_n) {
                best_n = n;
                best = size;
            }
        }
    }
    return best / 2.0;
}

static double
line_height (const evx_line *l)
{
    double h = l->y1 - l->y0;
    if (h <= 0)
        h = l->font_size;
    return h > 0 ? h : 10.0;
}

static gboolean
starts_new_block (const evx_line *prev, const evx_line *cur)
{
    double h = MAX (line_height (prev), line_height (cur));
    if (cur->y0 - prev->y1 > 0.6 * h)
        return TRUE;   /* paragraph gap */
    if (cur->y0 < prev->y0 - 0.5 * h)
        return TRUE;   /* moved up: next column or out-of-order block */
    if (cur->x0 > prev->x1 + h && cur->y0 < prev->y1)
        return TRUE;   /* beside the previous line: another column or table cell */
    if (fabs (cur->font_size - prev->font_size) > 0.9)
        return TRUE;
    return cur->bold != prev->bold;
}

/* A run of kept lines [first, last] of one page. */
typedef struct {
    guint first, last;
    gboolean heading;
} block;

static gboolean
block_is_heading (GArray *lines, guint first, guint last, double body_size)
{
    if (last - first + 1 > HEADING_MAX_LINES)
        return FALSE;
    glong n = 0;
    gboolean all_bold = TRUE, all_large = TRUE;
    for (guint i = first; i <= last; i++) {
        const kept_line *k = &g_array_index (lines, kept_line, i);
        n += k->n_chars;
        all_bold = all_bold && k->src->bold;
        all_large = all_large && body_size > 0 && k->src->font_size >= body_size * 1.15;
    }
    return n <= HEADING_MAX_CHARS && (all_bold || all_large);
}

static glong
lines_chars (GArray *lines, const block *bl)
{
    glong n = 0;
    for (guint i = bl->first; i <= bl->last; i++)
        n += g_array_index (lines, kept_line, i).n_chars + 1;
    return n;
}

/* Text being assembled for one passage, with each character's page offset. */
typedef struct {
    GArray *chars;  /* gunichar */
    GArray *map;    /* glong: page offset of chars[i] */
} span;

/* TRUE when the span holds only a section number such as "4" or "8.2." */
static gboolean
span_is_number (const span *s)
{
    for (guint i = 0; i < s->chars->len; i++) {
        gunichar c = g_array_index (s->chars, gunichar, i);
        if (!g_unichar_isdigit (c) && c != '.' && c != ' ')
            return FALSE;
    }
    return s->chars->len > 0;
}

static void
span_append_line (span *s, const kept_line *k)
{
    if (s->chars->len > 0) {
        guint n = s->chars->len;
        gunichar last = g_array_index (s->chars, gunichar, n - 1);
        gunichar before = n >= 2 ? g_array_index (s->chars, gunichar, n - 2) : 0;
        if (last == '-' && g_unichar_isalpha (before) && k->n_chars > 0
            && g_unichar_islower (k->chars[0])) {
            /* hyphenated at the line end: join the word */
            g_array_set_size (s->chars, n - 1);
            g_array_set_size (s->map, n - 1);
        } else {
            gunichar space = ' ';
            glong at = k->offset - 1;   /* the "\n" between the lines */
            g_array_append_val (s->chars, space);
            g_array_append_val (s->map, at);
        }
    }
    for (glong i = 0; i < k->n_chars; i++) {
        glong at = k->offset + i;
        g_array_append_val (s->chars, k->chars[i]);
        g_array_append_val (s->map, at);
    }
}

static void
span_append_block (span *s, GArray *lines, const block *bl)
{
    for (guint i = bl->first; i <= bl->last; i++)
        span_append_line (s, &g_array_index (lines, kept_line, i));
}

/* heading_end: where the heading ends in s->chars (0 when the span is no heading);
 * level: its outline level (0 unknown). */
static void
emit_passage (evx_document *doc, const evx_page_layout *page, span *s, guint from, guint to,
              guint heading_end, int level)
{
    while (from < to && g_array_index (s->chars, gunichar, from) == ' ')
        from++;
    while (to > from && g_array_index (s->chars, gunichar, to - 1) == ' ')
        to--;
    gboolean has_word = FALSE;
    for (guint i = from; i < to && !has_word; i++)
        has_word = g_unichar_isalnum (g_array_index (s->chars, gunichar, i));
    if (!has_word)
        return;   /* bullets, rules and other marks alone are not a passage */
    g_autofree char *text = g_ucs4_to_utf8 ((gunichar *) s->chars->data + from,
                                            (glong) (to - from), NULL, NULL, NULL);
    if (!text)
        return;
    evx_passage *p = evx_passage_new (page->number, g_array_index (s->map, glong, from),
                                      g_array_index (s->map, glong, to - 1) + 1, text);
    p->page_label = g_strdup (page->label);
    p->is_heading = heading_end > from;
    if (p->is_heading) {
        guint h = MIN (heading_end, to);
        while (h > from && g_array_index (s->chars, gunichar, h - 1) == ' ')
            h--;
        p->heading_chars = (glong) (h - from);
        p->heading_level = level;
    }
    g_ptr_array_add (doc->passages, p);
}

/* Where to end a piece of at most max chars starting at from. */
static guint
split_point (span *s, guint from, guint max)
{
    guint limit = from + max;
    const gunichar *c = (const gunichar *) s->chars->data;
    for (guint i = limit; i > from + max / 3; i--) {
        if (c[i] == ' ' && i >= 1 && (c[i - 1] == '.' || c[i - 1] == '?' || c[i - 1] == '!'
                                      || c[i - 1] == ';'))
            return i;
    }
    for (guint i = limit; i > from + max / 3; i--) {
        if (c[i] == ' ')
            return i;
    }
    return limit;
}

static void
emit_span (evx_document *doc, const evx_page_layout *page, span *s, guint heading_end,
           int level)
{
    guint from = 0, len = s->chars->len;
    while (len - from > EVX_PASSAGE_MAX_CHARS) {
        guint at = split_point (s, from, EVX_PASSAGE_MAX_CHARS);
        emit_passage (doc, page, s, from, at, heading_end, level);
        heading_end = 0;
        from = at;
    }
    emit_passage (doc, page, s, from, len, heading_end, level);
    g_array_set_size (s->chars, 0);
    g_array_set_size (s->map, 0);
}

/* @text normalised cell by cell: the tabs that separate table cells (see
 * evx_page_layout_add_line) are kept, one per gap, so the page text shows the cells. */
static char *
normalise_cells (const char *text)
{
    if (!strchr (text, '\t'))
        return evx_normalise_text (text, -1, NULL);
    g_auto (GStrv) cells = g_strsplit (text, "\t", -1);
    GString *out = g_string_new (NULL);
    for (guint i = 0; cells[i]; i++) {
        g_autofree char *cell = evx_normalise_text (cells[i], -1, NULL);
        if (*cell == '\0')
            continue;
        if (out->len > 0)
            g_string_append_c (out, '\t');
        g_string_append (out, cell);
    }
    return g_string_free (out, FALSE);
}

static void
cut_page (evx_document *doc, const evx_page_layout *page, GHashTable *furniture, double body_size,
          gboolean paged)
{
    g_autoptr (GArray) lines = g_array_new (FALSE, TRUE, sizeof (kept_line));
    GString *page_text = g_string_new (NULL);
    glong offset = 0;

    for (guint j = 0; j < page->lines->len; j++) {
        const evx_line *line = g_ptr_array_index (page->lines, j);
        g_autofree char *norm = normalise_cells (line->text);
        if (*norm == '\0')
            continue;
        gboolean first_or_last = paged && (j == 0 || j + 1 == page->lines->len);
        if ((in_furniture_zone (page, line) || first_or_last) && is_page_number (norm))
            continue;
        if (in_furniture_zone (page, line)) {
            g_autofree char *key = furniture_key (norm);
            if (g_hash_table_contains (furniture, key))
                continue;
        }
        kept_line k = { .src = line };
        k.chars = g_utf8_to_ucs4_fast (norm, -1, &k.n_chars);
        for (glong c = 0; c < k.n_chars; c++)
            if (k.chars[c] == '\t')
                k.chars[c] = ' ';   /* passages read cells as words; the page text keeps tabs */
        if (page_text->len > 0) {
            g_string_append_c (page_text, '\n');
            offset++;
        }
        k.offset = offset;
        offset += k.n_chars;
        g_string_append (page_text, norm);
        g_array_append_val (lines, k);
    }
    g_ptr_array_add (doc->page_texts, g_string_free (page_text, FALSE));

    /* Group into blocks. */
    g_autoptr (GArray) blocks = g_array_new (FALSE, TRUE, sizeof (block));
    for (guint i = 0; i < lines->len; i++) {
        const kept_line *k = &g_array_index (lines, kept_line, i);
        if (i == 0
            || starts_new_block (g_array_index (lines, kept_line, i - 1).src, k->src)) {
            block b = { .first = i, .last = i };
            g_array_append_val (blocks, b);
        } else {
            g_array_index (blocks, block, blocks->len - 1).last = i;
        }
    }
    for (guint b = 0; b < blocks->len; b++) {
        block *bl = &g_array_index (blocks, block, b);
        bl->heading = block_is_heading (lines, bl->first, bl->last, body_size);
    }

    /* Blocks to passages: a heading that is only a number takes along the heading
     * block after it (its title, set apart), and a heading takes along the first
     * block of body text after it. */
    span s = { g_array_new (FALSE, FALSE, sizeof (gunichar)),
               g_array_new (FALSE, FALSE, sizeof (glong)) };
    for (guint b = 0; b < blocks->len; b++) {
        const block *bl = &g_array_index (blocks, block, b);
        span_append_block (&s, lines, bl);
        while (bl->heading && span_is_number (&s) && b + 1 < blocks->len
               && g_array_index (blocks, block, b + 1).heading
               && s.chars->len + lines_chars (lines, &g_array_index (blocks, block, b + 1))
                      <= HEADING_MAX_CHARS) {
            span_append_block (&s, lines, &g_array_index (blocks, block, ++b));
        }
        guint heading_end = bl->heading ? s.chars->len : 0;
        int level = bl->heading ? g_array_index (lines, kept_line, bl->first).src->level : 0;
        if (bl->heading && b + 1 < blocks->len
            && !g_array_index (blocks, block, b + 1).heading) {
            span_append_block (&s, lines, &g_array_index (blocks, block, ++b));
        }
        emit_span (doc, page, &s, heading_end, level);
    }
    g_array_unref (s.chars);
    g_array_unref (s.map);
    for (guint i = 0; i < lines->len; i++)
        g_free (g_array_index (lines, kept_line, i).chars);
}

void
evx_passages_cut (evx_document *doc, GPtrArray *pages)
{
    g_autoptr (GHashTable) furniture = find_furniture (pages);
    double body_size = body_font_size (pages);
    for (guint i = 0; i < pages->len; i++)
        cut_page (doc, g_ptr_array_index (pages, i), furniture, body_size, TRUE);
}

/* Flow geometry: lines 1 unit high, blocks 1 unit apart (a paragraph gap). */
#define FLOW_WIDTH 1000.0

evx_page_layout *
evx_flow_new (void)
{
    return evx_page_layout_new (0, FLOW_WIDTH, 0);
}

/* Blocks are cut into pieces of at most this many bytes (at a line break or a space
 * where there is one), so that a file of one huge line needs memory in proportion to
 * a piece, not to the file, while it is cut into passages. */
#define FLOW_MAX_BLOCK_BYTES 65536

static void add_flow_block (evx_page_layout *flow, const char *text, int heading);

void
evx_flow_add_block (evx_page_layout *flow, const char *text, int heading)
{
    /* invalid UTF-8 (a recovering parser may hand some over) becomes U+FFFD: what
     * follows steps through characters and must not run past the end */
    g_autofree char *valid = g_utf8_validate (text, -1, NULL) ? NULL : g_utf8_make_valid (text, -1);
    if (valid)
        text = valid;
    gsize len = strlen (text);
    if (len <= FLOW_MAX_BLOCK_BYTES) {
        add_flow_block (flow, text, heading);
        return;
    }
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *cut = end;
        if ((gsize) (end - p) > FLOW_MAX_BLOCK_BYTES) {
            cut = p + FLOW_MAX_BLOCK_BYTES;
            const char *at = cut;
            while (at > p + FLOW_MAX_BLOCK_BYTES / 2 && *at != '\n' && *at != ' ')
                at--;
            if (*at == '\n' || *at == ' ')
                cut = at;
            else
                cut = g_utf8_find_prev_char (p, cut + 1);   /* a character boundary */
        }
        g_autofree char *piece = g_strndup (p, (gsize) (cut - p));
        add_flow_block (flow, piece, 0);
        p = cut;
    }
}

static void
add_flow_block (evx_page_layout *flow, const char *text, int heading)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    gboolean first = TRUE;
    for (guint i = 0; lines[i]; i++) {
        gboolean visible = FALSE;
        for (const char *p = lines[i]; *p && !visible; p = g_utf8_next_char (p))
            visible = g_unichar_isgraph (g_utf8_get_char_validated (p, -1));
        if (!visible)
            continue;
        double y = 0;
        if (flow->lines->len > 0) {
            const evx_line *last = g_ptr_array_index (flow->lines, flow->lines->len - 1);
            y = last->y1 + (first ? 1.0 : 0.0);
        }
        evx_page_layout_add_line (flow, lines[i], 0, y, FLOW_WIDTH, y + 1, 10.0, heading > 0);
        evx_line *added = g_ptr_array_index (flow->lines, flow->lines->len - 1);
        added->level = heading >= 1 && heading <= 6 ? heading : 0;
        first = FALSE;
    }
}

void
evx_passages_cut_flow (evx_document *doc, evx_page_layout *flow)
{
    if (flow->lines->len == 0)
        return;
    g_autoptr (GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
    cut_page (doc, flow, none, 10.0, FALSE);
}
