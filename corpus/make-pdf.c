/*
 * make-pdf.c - render evidex corpus source texts to A4 PDFs.
 *
 * Part of the evidex sample evidence corpus (see corpus/README.md); built and
 * run by scripts/make-corpus, and by scripts/bench for the synthetic bench
 * corpus (bench/make-bench-corpus.c), which passes many SOURCE OUTPUT pairs
 * to one process so that the fonts are loaded once.  It turns a small
 * line-oriented markup into a paginated PDF with pangocairo, so that the
 * corpus PDFs look like real business-continuity evidence (certificates,
 * audit reports, policies, plans) while staying reproducible: the PDF
 * creation date comes from the source and the output is byte-identical from
 * run to run on the same system.
 *
 *   usage: make-pdf SOURCE.txt OUTPUT.pdf [SOURCE.txt OUTPUT.pdf ...]
 *   build: cc -std=c11 -Wall -Wextra make-pdf.c $(pkg-config --cflags --libs pangocairo)
 *
 * Page: A4 portrait.  Body text is a justified serif (Liberation Serif 11),
 * headings a bold sans (Liberation Sans Bold), titles, table headers and the
 * running header/footer DejaVu Sans.  Every page gets the running header (if
 * set) and a right-aligned footer "Page N of M"; the document is laid out
 * twice, the first time only to count the pages M.  Paragraphs break across
 * columns and pages line by line; a heading is kept with the next lines.
 * Ligatures and automatic hyphens are switched off, so that pdftotext gives
 * back the words of the source.
 *
 * Multi-column regions are laid out so that pdftotext (poppler) reads them
 * column by column (see avoid_alignment()): paragraphs there are set close
 * together with a first-line indent, and blocks of the second column are
 * nudged so that they never line up with blocks of the first.  On the last
 * page of a column region the last column must reach at least as far down
 * as the one before it; make-pdf warns when it does not, and an @colbreak
 * in the source fixes it.  Tables belong in one-column regions.
 *
 * MARKUP (UTF-8, one construct per line)
 *
 * Directives start with '@' in column 1:
 *   @title TEXT      PDF Title metadata (default: the source file name)
 *   @author TEXT     PDF Author metadata
 *   @creator TEXT    PDF Creator metadata (default "evidex corpus/make-pdf.c")
 *   @subject TEXT    PDF Subject metadata
 *   @keywords TEXT   PDF Keywords metadata
 *   @date DATE       required; YYYY-MM-DD or YYYY-MM-DDThh:mm:ss (UTC); used as
 *                    both CreationDate and ModDate (a bare date means 12:00 UTC)
 *   @header TEXT     running header printed at the top of every page (one
 *                    line; make-pdf fails if it does not fit)
 *   @frame           draw a double border round every page (certificates)
 *   @columns N       N = 1, 2 or 3: following blocks flow in N columns; the
 *                    new column region starts below what is already on the page
 *   @page            explicit page break (ignored on a still empty page)
 *   @colbreak        continue in the next column (or on the next page)
 *   @vspace PTS      vertical space of PTS points
 *   @rule            thin horizontal rule across the column
 *   @table W1 W2 .. [noheader]
 *                    start a table; Wi are relative column widths; the next
 *                    "|" row is the table's header row (repeated after a
 *                    break) unless "noheader" is given
 *
 * Blocks.  Paragraphs are separated by blank lines; lines of a paragraph,
 * bullet item or centred block are joined with a space, or with a line
 * break when the previous line ends in a backslash.  Headings, titles and
 * table rows are single lines.
 *   # TEXT      heading, level 1 (bold sans 15 pt)
 *   ## TEXT     heading, level 2 (bold sans 12.5 pt)
 *   ### TEXT    heading, level 3 (bold sans 11 pt)
 *   = TEXT      centred title (bold sans 20 pt)
 *   == TEXT     centred subtitle (sans 12.5 pt)
 *   ~ TEXT      centred serif paragraph
 *   - TEXT      bullet item;  "-- TEXT" is a nested bullet item
 *   | A | B     table row; cells are separated by '|' (no '|' inside cells)
 *   % TEXT      comment, ignored
 *   \TEXT       a paragraph (line) whose text begins with a markup character
 *   TEXT        body paragraph (justified serif 11 pt)
 * Inline, in any text: **bold** and __italic__.
 *
 * Fonts are chosen by fontconfig: the output is byte-identical only on
 * systems with the same fonts, pango and cairo.  cairo 1.16 writes the PDF
 * dates without the "D:" prefix; poppler reads them all the same.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

/* Geometry, in PostScript points (1/72 inch).  A4 is 210 mm x 297 mm. */
#define PAGE_W 595.2756
#define PAGE_H 841.8898
#define MARGIN_L 62.36      /* 22 mm */
#define MARGIN_R 62.36
#define MARGIN_T 76.0
#define MARGIN_B 74.0
#define GUTTER 24.0
#define HEADER_Y 36.0        /* top of the running header text */
#define HEADER_RULE_Y 52.0
#define FOOTER_RULE_Y (PAGE_H - 58.0)
#define FOOTER_Y (PAGE_H - 50.0) /* top of the footer text */
#define LEADING 1.18         /* line advance / natural line height (body) */
#define CELL_PAD 3.5
#define PARA_GAP 6.0         /* space between paragraphs */
#define PARA_GAP_COLS 1.0    /* ... in multi-column regions, where */
#define PARA_INDENT_COLS 12.0 /* paragraphs get a first-line indent */
#define MAX_CELLS 12
#define MAX_COLS 3
#define MAX_BOXES 512
#define ALIGN_GAP 7.5        /* see avoid_alignment() */
#define MERGE_GAP 5.0        /* blocks closer than this are one block for poppler */

#define FONT_BODY "Liberation Serif 11"
#define FONT_TABLE "Liberation Serif 9.5"
#define FONT_THEAD "DejaVu Sans Bold 8"
#define FONT_H1 "Liberation Sans Bold 15"
#define FONT_H2 "Liberation Sans Bold 12.5"
#define FONT_H3 "Liberation Sans Bold 11"
#define FONT_TITLE "DejaVu Sans Bold 20"
#define FONT_SUBTITLE "DejaVu Sans 12.5"
#define FONT_RUNNING "DejaVu Sans 7.5"

#define DEFAULT_CREATOR "evidex corpus/make-pdf.c"

enum kind {
    K_PARA, K_H1, K_H2, K_H3, K_TITLE, K_SUBTITLE, K_CENTER, K_BULLET,
    K_BULLET2, K_ROW, K_PAGE, K_COLBREAK, K_COLUMNS, K_VSPACE, K_RULE, K_TABLE
};

struct block {
    enum kind kind;
    char *text;   /* block text, table row or @table widths; may be NULL */
    double num;   /* K_COLUMNS: column count, K_VSPACE: points */
};

struct doc {
    struct block *b;
    size_t n, cap;
    char *title, *author, *creator, *subject, *keywords, *header;
    char date[64]; /* ISO 8601 date-time for cairo, "" if not given */
    bool frame;
};

struct table {
    bool open;           /* rows are being added to a table */
    bool expect_header;  /* the next row is the header row */
    const char *header;  /* raw text of the header row, NULL if none */
    int nfrac;           /* number of widths given by @table, 0 = equal */
    double frac[MAX_CELLS];
};

struct render {
    const struct doc *doc;
    cairo_t *cr;
    PangoContext *pc;
    int page;           /* current page number, from 1 */
    int total;          /* total pages; 0 while counting */
    int ncols, col;     /* column count and current column (from 0) */
    double region_top;  /* top of the current column region */
    double y;           /* next free position in the current column */
    double region_low;  /* lowest position used in any column of the region */
    bool dirty;         /* something has been placed on this page's body */
    double body_adv;    /* line advance of a body text line */
    struct table tab;
    struct box {        /* text blocks placed in the current column region, */
        int col;        /* merged the way poppler merges lines into blocks */
        double top, bottom, size;
    } boxes[MAX_BOXES];
    int nboxes;
    bool after_heading; /* the previous block was a heading */
};

/* ------------------------------------------------------------------ util */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "make-pdf: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        die("out of memory");
    return d;
}

static char *skip_space(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static void rstrip(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' ||
                 s[n - 1] == '\t'))
        s[--n] = '\0';
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* -------------------------------------------------------------- parsing */

static struct block *add_block(struct doc *d, enum kind k, const char *text)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 64;
        d->b = xrealloc(d->b, d->cap * sizeof *d->b);
    }
    struct block *b = &d->b[d->n++];
    b->kind = k;
    b->text = text ? xstrdup(text) : NULL;
    b->num = 0;
    return b;
}

/* Append a continuation line to a text block: a trailing backslash on the
 * text so far becomes a line break, otherwise the lines are joined by a space. */
static void append_line(struct block *b, const char *line)
{
    size_t n = strlen(b->text), m = strlen(line);
    b->text = xrealloc(b->text, n + m + 2);
    if (n && b->text[n - 1] == '\\')
        b->text[n - 1] = '\n';
    else
        b->text[n++] = ' ';
    memcpy(b->text + n, line, m + 1);
}

/* Accept YYYY-MM-DD or YYYY-MM-DDThh:mm:ss and store cairo's ISO 8601 form. */
static void set_date(struct doc *d, const char *arg, long lineno)
{
    int Y, M, D, h = 12, mi = 0, s = 0, used = 0;
    size_t len = strlen(arg);
    bool ok;
    if (len == 10)
        ok = sscanf(arg, "%4d-%2d-%2d%n", &Y, &M, &D, &used) == 3;
    else
        ok = len == 19 && sscanf(arg, "%4d-%2d-%2dT%2d:%2d:%2d%n", &Y, &M, &D,
                                 &h, &mi, &s, &used) == 6;
    if (!ok || used != (int)len || M < 1 || M > 12 || D < 1 || D > 31 ||
        h > 23 || mi > 59 || s > 59)
        die("line %ld: @date wants YYYY-MM-DD or YYYY-MM-DDThh:mm:ss", lineno);
    snprintf(d->date, sizeof d->date, "%04d-%02d-%02dT%02d:%02d:%02dZ", Y, M, D,
             h, mi, s);
}

static void directive(struct doc *d, char *line, long lineno)
{
    char *name = line + 1, *arg = name;
    while (*arg && *arg != ' ' && *arg != '\t')
        arg++;
    if (*arg)
        *arg++ = '\0';
    arg = skip_space(arg);

    char **meta = NULL;
    if (!strcmp(name, "title"))
        meta = &d->title;
    else if (!strcmp(name, "author"))
        meta = &d->author;
    else if (!strcmp(name, "creator"))
        meta = &d->creator;
    else if (!strcmp(name, "subject"))
        meta = &d->subject;
    else if (!strcmp(name, "keywords"))
        meta = &d->keywords;
    else if (!strcmp(name, "header"))
        meta = &d->header;
    if (meta) {
        free(*meta);
        *meta = xstrdup(arg);
    } else if (!strcmp(name, "date")) {
        set_date(d, arg, lineno);
    } else if (!strcmp(name, "frame")) {
        d->frame = true;
    } else if (!strcmp(name, "page")) {
        add_block(d, K_PAGE, NULL);
    } else if (!strcmp(name, "colbreak")) {
        add_block(d, K_COLBREAK, NULL);
    } else if (!strcmp(name, "rule")) {
        add_block(d, K_RULE, NULL);
    } else if (!strcmp(name, "columns")) {
        int n = atoi(arg);
        if (n < 1 || n > MAX_COLS)
            die("line %ld: @columns wants 1, 2 or 3", lineno);
        add_block(d, K_COLUMNS, NULL)->num = n;
    } else if (!strcmp(name, "vspace")) {
        double v = strtod(arg, NULL);
        if (v <= 0 || v > PAGE_H)
            die("line %ld: @vspace wants a positive number of points", lineno);
        add_block(d, K_VSPACE, NULL)->num = v;
    } else if (!strcmp(name, "table")) {
        add_block(d, K_TABLE, arg);
    } else {
        die("line %ld: unknown directive @%s", lineno, name);
    }
}

static void parse(struct doc *d, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    struct block *cur = NULL; /* open block that takes continuation lines */

    while (getline(&line, &cap, f) != -1) {
        lineno++;
        rstrip(line);
        if (!*skip_space(line)) {
            cur = NULL;
            continue;
        }
        if (line[0] == '%')
            continue;
        if (line[0] == '@') {
            directive(d, line, lineno);
            cur = NULL;
        } else if (starts(line, "### ")) {
            add_block(d, K_H3, skip_space(line + 4));
            cur = NULL;
        } else if (starts(line, "## ")) {
            add_block(d, K_H2, skip_space(line + 3));
            cur = NULL;
        } else if (starts(line, "# ")) {
            add_block(d, K_H1, skip_space(line + 2));
            cur = NULL;
        } else if (starts(line, "== ")) {
            add_block(d, K_SUBTITLE, skip_space(line + 3));
            cur = NULL;
        } else if (starts(line, "= ")) {
            add_block(d, K_TITLE, skip_space(line + 2));
            cur = NULL;
        } else if (line[0] == '|') {
            add_block(d, K_ROW, line + 1);
            cur = NULL;
        } else if (starts(line, "~ ")) {
            cur = add_block(d, K_CENTER, skip_space(line + 2));
        } else if (starts(line, "-- ")) {
            cur = add_block(d, K_BULLET2, skip_space(line + 3));
        } else if (starts(line, "- ")) {
            cur = add_block(d, K_BULLET, skip_space(line + 2));
        } else {
            const char *text = line[0] == '\\' ? line + 1 : line;
            if (cur)
                append_line(cur, text);
            else
                cur = add_block(d, K_PARA, text);
        }
    }
    free(line);
    if (ferror(f))
        die("read error");

    /* a backslash at the very end of a block means nothing */
    for (size_t i = 0; i < d->n; i++) {
        char *t = d->b[i].text;
        size_t n = t ? strlen(t) : 0;
        if (n && t[n - 1] == '\\' && d->b[i].kind != K_TABLE)
            t[n - 1] = '\0';
    }
}

/* Convert source text to Pango markup: escape it, map **..** and __..__ to
 * bold and italic spans (kept properly nested), and switch off ligatures and
 * automatic hyphens so that text extracted from the PDF matches the source. */
static char *to_markup(const char *s)
{
    GString *g = g_string_new("<span font_features=\"liga=0,clig=0\" "
                              "insert_hyphens=\"false\">");
    char open[2] = {0}; /* stack of open inline styles, 'b' or 'i' */
    int depth = 0;
    for (const char *p = s; *p; p++) {
        char style = 0;
        if (p[0] == '*' && p[1] == '*')
            style = 'b';
        else if (p[0] == '_' && p[1] == '_')
            style = 'i';
        if (style) {
            p++;
            if (depth && open[depth - 1] == style) {
                g_string_append_printf(g, "</%c>", style);
                depth--;
            } else if (depth == 2) { /* closing the outer style: reopen inner */
                g_string_append_printf(g, "</%c></%c><%c>", open[1], open[0],
                                       open[1]);
                open[0] = open[1];
                depth = 1;
            } else {
                g_string_append_printf(g, "<%c>", style);
                open[depth++] = style;
            }
            continue;
        }
        if (*p == '&')
            g_string_append(g, "&amp;");
        else if (*p == '<')
            g_string_append(g, "&lt;");
        else if (*p == '>')
            g_string_append(g, "&gt;");
        else
            g_string_append_c(g, *p);
    }
    while (depth)
        g_string_append_printf(g, "</%c>", open[--depth]);
    g_string_append(g, "</span>");
    return g_string_free(g, FALSE);
}

/* ------------------------------------------------------------ rendering */

static double col_w(const struct render *r)
{
    double w = PAGE_W - MARGIN_L - MARGIN_R;
    return (w - (r->ncols - 1) * GUTTER) / r->ncols;
}

static double col_x(const struct render *r)
{
    return MARGIN_L + r->col * (col_w(r) + GUTTER);
}

static double bottom(void) { return PAGE_H - MARGIN_B; }

static PangoLayout *make_layout(struct render *r, const char *font,
                                const char *text, double width,
                                PangoAlignment align, bool justify)
{
    PangoLayout *lay = pango_layout_new(r->pc);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(lay, align);
    pango_layout_set_justify(lay, justify);
    char *markup = to_markup(text);
    pango_layout_set_markup(lay, markup, -1);
    g_free(markup);
    return lay;
}

static double layout_height(PangoLayout *lay)
{
    PangoRectangle log;
    pango_layout_get_extents(lay, NULL, &log);
    return log.height / (double)PANGO_SCALE;
}

static void draw_layout_at(struct render *r, PangoLayout *lay, double x,
                           double y)
{
    cairo_move_to(r->cr, x, y);
    pango_cairo_show_layout(r->cr, lay);
}

static void hline(struct render *r, double x0, double x1, double y, double w,
                  double grey)
{
    cairo_save(r->cr);
    cairo_set_source_rgb(r->cr, grey, grey, grey);
    cairo_set_line_width(r->cr, w);
    cairo_move_to(r->cr, x0, y);
    cairo_line_to(r->cr, x1, y);
    cairo_stroke(r->cr);
    cairo_restore(r->cr);
}

/* Warn about column layouts that poppler (pdftotext) reads across: a text
 * block with nothing level with it in the neighbouring column, while that
 * column goes on below it.  The cure is usually an @colbreak that makes the
 * last column of the page at least as long as the one before it. */
static void check_region(const struct render *r)
{
    if (!r->total)
        return; /* only on the final pass */
    for (int i = 0; i < r->nboxes; i++) {
        const struct box *a = &r->boxes[i];
        for (int side = -1; side <= 1; side += 2) {
            int other = a->col + side;
            if (other < 0 || other >= r->ncols)
                continue;
            bool level = false, below = false;
            for (int j = 0; j < r->nboxes; j++) {
                const struct box *b = &r->boxes[j];
                if (b->col != other)
                    continue;
                level = level || (b->top < a->bottom && b->bottom > a->top);
                below = below || b->top >= a->bottom;
            }
            /* text in the first column with nothing level with it in the
             * second is read across even when nothing follows it there,
             * because the footer lies below both */
            if (!level && (below || side > 0))
                fprintf(stderr,
                        "make-pdf: warning: page %d, column %d, y %.0f: "
                        "nothing level with this text in column %d; "
                        "pdftotext may read across the columns\n",
                        r->page, a->col + 1, a->top, other + 1);
        }
    }
}

static void start_page(struct render *r)
{
    cairo_t *cr = r->cr;
    double x0 = MARGIN_L, x1 = PAGE_W - MARGIN_R, w = x1 - x0;

    r->page++;
    r->col = 0;
    r->region_top = r->y = r->region_low = MARGIN_T;
    r->dirty = false;
    r->nboxes = 0;

    cairo_save(cr);
    if (r->doc->frame) {
        cairo_set_source_rgb(cr, 0.16, 0.24, 0.38);
        cairo_set_line_width(cr, 2.2);
        cairo_rectangle(cr, 20, 20, PAGE_W - 40, PAGE_H - 40);
        cairo_stroke(cr);
        cairo_set_line_width(cr, 0.6);
        cairo_rectangle(cr, 25, 25, PAGE_W - 50, PAGE_H - 50);
        cairo_stroke(cr);
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    if (r->doc->header) {
        PangoLayout *lay = make_layout(r, FONT_RUNNING, r->doc->header, w,
                                       PANGO_ALIGN_LEFT, false);
        if (pango_layout_get_line_count(lay) > 1)
            die("@header text does not fit on one line: %s", r->doc->header);
        draw_layout_at(r, lay, x0, HEADER_Y);
        g_object_unref(lay);
        hline(r, x0, x1, HEADER_RULE_Y, 0.5, 0.45);
    }
    char foot[64];
    if (r->total)
        snprintf(foot, sizeof foot, "Page %d of %d", r->page, r->total);
    else
        snprintf(foot, sizeof foot, "Page %d of ?", r->page);
    /* right-aligned: a footer straddling the gutter upsets the reading order
     * poppler finds for two-column pages (see avoid_alignment) */
    PangoLayout *lay = make_layout(r, FONT_RUNNING, foot, w,
                                   PANGO_ALIGN_RIGHT, false);
    draw_layout_at(r, lay, x0, FOOTER_Y);
    g_object_unref(lay);
    hline(r, x0, x1, FOOTER_RULE_Y, 0.5, 0.45);
    cairo_restore(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
}

static void new_page(struct render *r)
{
    check_region(r);
    cairo_show_page(r->cr);
    start_page(r);
}

static void next_column(struct render *r)
{
    if (r->col + 1 < r->ncols) {
        r->col++;
        r->y = r->region_top;
    } else {
        new_page(r);
    }
}

static bool at_top(const struct render *r) { return r->y <= r->region_top + 0.01; }

/* Make room for h points, moving to the next column or page if needed. */
static void need(struct render *r, double h)
{
    if (r->y + h > bottom() && !at_top(r))
        next_column(r);
}

static void advance(struct render *r, double dy)
{
    r->y += dy;
    if (r->y > r->region_low)
        r->region_low = r->y;
    r->dirty = true;
}

/* Vertical space that disappears at the top of a column. */
static void space(struct render *r, double dy)
{
    if (!at_top(r))
        r->y += dy;
}

static void set_columns(struct render *r, int n)
{
    if (n == r->ncols)
        return;
    double top = r->region_low > r->y ? r->region_low : r->y;
    check_region(r);
    r->ncols = n;
    r->col = 0;
    if (r->dirty && top > bottom() - 3 * r->body_adv) {
        new_page(r);
        return;
    }
    r->region_top = r->y = r->region_low = top;
    r->nboxes = 0;
}

static double dabs(double v) { return v < 0 ? -v : v; }

/* The box that text of the given size starting at top in the current column
 * would be merged into (poppler joins lines of one size that are close
 * together into one block), or -1. */
static int merge_box(const struct render *r, double top, double size)
{
    for (int i = r->nboxes - 1; i >= 0; i--) {
        const struct box *b = &r->boxes[i];
        if (b->col != r->col)
            continue;
        if (b->size == size && top - b->bottom < MERGE_GAP &&
            top >= b->bottom - 0.01)
            return i;
        return -1;
    }
    return -1;
}

/* pdftotext (poppler) takes two text blocks side by side whose tops, centres
 * or bottoms line up, with another such pair below them, for the cells of a
 * table, and then reads straight across the columns.  To keep the reading
 * order of multi-column pages, a block that starts in a column other than the
 * first is pushed down (by up to 40 pt) until none of its edges lines up with
 * a block of the column to its left; poppler also reads across when a block
 * sits level with a gap between two blocks of the other column, so such
 * positions are avoided too.  (In multi-column regions paragraphs are set
 * close together, so that poppler sees each run of paragraphs as one block.)
 * top_off and height give the block's extent relative to r->y; whole says
 * whether all of it fits in the column. */
static void avoid_alignment(struct render *r, double top_off, double height,
                            bool whole, double size)
{
    if (r->col == 0 || merge_box(r, r->y + top_off, size) >= 0)
        return;
    /* bottom of the previous block in this column */
    double prev = r->region_top;
    for (int i = 0; i < r->nboxes; i++)
        if (r->boxes[i].col == r->col && r->boxes[i].bottom > prev)
            prev = r->boxes[i].bottom;

    for (int step = 0; step < 40; step++) {
        double t = r->y + step + top_off, b = t + height, c = t + height / 2;
        bool clash = false, overlap = false, below = false;
        for (int i = 0; i < r->nboxes && !clash; i++) {
            const struct box *x = &r->boxes[i];
            if (x->col != r->col - 1)
                continue;
            /* edges lining up: looks like a table row */
            clash = dabs(t - x->top) < ALIGN_GAP ||
                    (whole && (dabs(b - x->bottom) < ALIGN_GAP ||
                               dabs(c - (x->top + x->bottom) / 2) < ALIGN_GAP));
            /* a neighbour lying wholly in the gap above this block */
            if (x->top > prev && x->bottom < t)
                clash = true;
            if (x->top < b && x->bottom > t)
                overlap = true;
            if (x->top >= b)
                below = true;
        }
        /* a block level with a gap of the neighbour column is read
         * across the columns */
        if (!clash && (overlap || !below)) {
            r->y += step;
            return;
        }
    }
}

/* Place a layout line by line so that it can break across columns and
 * pages; dx indents it inside the column and an optional bullet is drawn
 * at bullet_dx next to its first line. */
static void flow(struct render *r, PangoLayout *lay, double dx,
                 const char *bullet, double bullet_dx, double leading)
{
    int nlines = pango_layout_get_line_count(lay);
    double size = pango_font_description_get_size(
                      pango_layout_get_font_description(lay)) /
                  (double)PANGO_SCALE;
    double total = 0, first_gap = 0, last_gap = 0;
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    do {
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        double h = log.height / (double)PANGO_SCALE, adv = h * leading;
        if (total == 0)
            first_gap = (adv - h) / 2;
        last_gap = (adv - h) / 2;
        total += adv;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);

    it = pango_layout_get_iter(lay);
    bool first = true;
    int box = -1, box_col = -1, box_page = -1;
    do {
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        double h = log.height / (double)PANGO_SCALE;
        double asc = (pango_layout_iter_get_baseline(it) - log.y) /
                     (double)PANGO_SCALE;
        double adv = h * leading;
        /* no lone first line at the foot of a column */
        need(r, first && nlines > 1 ? 2 * adv : adv);
        if (first) {
            double height = total - first_gap - last_gap;
            avoid_alignment(r, first_gap, height, r->y + total <= bottom(),
                            size);
            need(r, nlines > 1 ? 2 * adv : adv);
        }
        double top = r->y + (adv - h) / 2, base = top + asc;
        if (first && bullet) {
            PangoLayout *bl = make_layout(r, FONT_BODY, bullet, 20,
                                          PANGO_ALIGN_LEFT, false);
            double bbase = pango_layout_get_baseline(bl) / (double)PANGO_SCALE;
            draw_layout_at(r, bl, col_x(r) + bullet_dx, base - bbase);
            g_object_unref(bl);
        }
        cairo_move_to(r->cr, col_x(r) + dx + log.x / (double)PANGO_SCALE, base);
        pango_cairo_show_layout_line(r->cr,
                                     pango_layout_iter_get_line_readonly(it));
        /* remember where the block (or its part in this column) lies */
        if (box < 0 || box_col != r->col || box_page != r->page) {
            box = merge_box(r, top, size);
            if (box < 0 && r->nboxes < MAX_BOXES) {
                box = r->nboxes++;
                r->boxes[box] = (struct box){r->col, top, top + h, size};
            }
            box_col = r->col;
            box_page = r->page;
        }
        if (box >= 0)
            r->boxes[box].bottom = top + h;
        advance(r, adv);
        first = false;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void text_block(struct render *r, const char *font, const char *text,
                       PangoAlignment align, bool justify, double before,
                       double after, double keep, double indent)
{
    PangoLayout *lay = make_layout(r, font, text, col_w(r), align, justify);
    pango_layout_set_indent(lay, (int)(indent * PANGO_SCALE));
    space(r, before);
    if (keep > 0)
        need(r, layout_height(lay) + keep);
    flow(r, lay, 0, NULL, 0, LEADING);
    g_object_unref(lay);
    space(r, after);
}

static void bullet_block(struct render *r, const char *text, int level)
{
    double indent = level == 1 ? 15 : 30;
    /* justified only at full width: narrow columns would gape */
    PangoLayout *lay = make_layout(r, FONT_BODY, text, col_w(r) - indent,
                                   PANGO_ALIGN_LEFT, r->ncols == 1);
    flow(r, lay, indent, level == 1 ? "\u2022" : "\u2013", indent - 10, LEADING);
    g_object_unref(lay);
    space(r, r->ncols > 1 ? PARA_GAP_COLS : 3);
}

/* Split a table row into trimmed cells (in place); returns the cell count. */
static int split_cells(char *row, char **cells)
{
    int n = 0;
    char *p = row;
    for (;;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        char *c = skip_space(p);
        rstrip(c);
        if (n < MAX_CELLS && (bar || *c))
            cells[n++] = c;
        if (!bar)
            break;
        p = bar + 1;
    }
    return n;
}

static void table_start(struct render *r, const char *widths)
{
    struct table *t = &r->tab;
    t->open = true;
    t->header = NULL;
    t->nfrac = 0;
    t->expect_header = widths != NULL;
    if (widths) {
        char *end;
        const char *p = widths;
        double sum = 0;
        while (t->nfrac < MAX_CELLS) {
            double v = strtod(p, &end);
            if (end == p || v <= 0)
                break;
            t->frac[t->nfrac++] = v;
            sum += v;
            p = end;
        }
        for (int i = 0; i < t->nfrac; i++)
            t->frac[i] /= sum;
        if (strstr(p, "noheader"))
            t->expect_header = false;
    }
    space(r, 4);
}

static void table_row(struct render *r, const char *raw, bool header)
{
    char *row = xstrdup(raw);
    char *cells[MAX_CELLS];
    int n = split_cells(row, cells);
    if (n == 0) {
        free(row);
        return;
    }
    const struct table *t = &r->tab;
    bool given = t->nfrac == n;
    double w = col_w(r), frac[MAX_CELLS];
    for (int i = 0; i < n; i++)
        frac[i] = given ? t->frac[i] : 1.0 / n;

    PangoLayout *lays[MAX_CELLS];
    double hmax = 0;
    for (int i = 0; i < n; i++) {
        lays[i] = make_layout(r, header ? FONT_THEAD : FONT_TABLE, cells[i],
                              w * frac[i] - 2 * CELL_PAD, PANGO_ALIGN_LEFT,
                              false);
        double h = layout_height(lays[i]);
        if (h > hmax)
            hmax = h;
    }
    double rh = hmax + 2 * CELL_PAD;

    /* keep the header row with the first body row */
    if (r->y + rh + (header ? 2 * r->body_adv : 0) > bottom() && !at_top(r)) {
        next_column(r);
        if (!header && t->header)
            table_row(r, t->header, true);
    }
    double x = col_x(r), y = r->y;
    if (header) {
        cairo_save(r->cr);
        cairo_set_source_rgb(r->cr, 0.88, 0.9, 0.93);
        cairo_rectangle(r->cr, x, y, w, rh);
        cairo_fill(r->cr);
        cairo_restore(r->cr);
    }
    double cx = x;
    for (int i = 0; i < n; i++) {
        draw_layout_at(r, lays[i], cx + CELL_PAD, y + CELL_PAD);
        cx += w * frac[i];
        g_object_unref(lays[i]);
    }
    hline(r, x, x + w, y + rh, header ? 0.8 : 0.4, header ? 0.2 : 0.55);
    advance(r, rh);
    free(row);
}

static int render(const struct doc *d, cairo_surface_t *surface, int total)
{
    struct render r = {.doc = d, .total = total, .ncols = 1};
    r.cr = cairo_create(surface);
    r.pc = pango_cairo_create_context(r.cr);
    pango_context_set_language(r.pc, pango_language_from_string("en-gb"));
    pango_context_set_round_glyph_positions(r.pc, FALSE);
    pango_cairo_context_set_resolution(r.pc, 72); /* font sizes in points */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(r.pc, fo);
    cairo_font_options_destroy(fo);

    PangoLayout *probe = make_layout(&r, FONT_BODY, "Xg", 100, PANGO_ALIGN_LEFT,
                                     false);
    r.body_adv = layout_height(probe) * LEADING;
    g_object_unref(probe);

    start_page(&r);
    for (size_t i = 0; i < d->n; i++) {
        const struct block *b = &d->b[i];
        if (r.tab.open && b->kind != K_ROW) {
            r.tab.open = false;
            space(&r, 8);
        }
        bool heading = b->kind == K_H1 || b->kind == K_H2 || b->kind == K_H3 ||
                       b->kind == K_TITLE || b->kind == K_SUBTITLE;
        switch (b->kind) {
        case K_PARA:
            if (r.ncols > 1)
                text_block(&r, FONT_BODY, b->text, PANGO_ALIGN_LEFT, true, 0,
                           PARA_GAP_COLS, 0,
                           r.after_heading ? 0 : PARA_INDENT_COLS);
            else
                text_block(&r, FONT_BODY, b->text, PANGO_ALIGN_LEFT, true, 0,
                           PARA_GAP, 0, 0);
            break;
        case K_H1:
            text_block(&r, FONT_H1, b->text, PANGO_ALIGN_LEFT, false, 12, 5,
                       3 * r.body_adv, 0);
            break;
        case K_H2:
            text_block(&r, FONT_H2, b->text, PANGO_ALIGN_LEFT, false, 9, 4,
                       3 * r.body_adv, 0);
            break;
        case K_H3:
            text_block(&r, FONT_H3, b->text, PANGO_ALIGN_LEFT, false, 6, 3,
                       3 * r.body_adv, 0);
            break;
        case K_TITLE:
            text_block(&r, FONT_TITLE, b->text, PANGO_ALIGN_CENTER, false, 0, 8,
                       2 * r.body_adv, 0);
            break;
        case K_SUBTITLE:
            text_block(&r, FONT_SUBTITLE, b->text, PANGO_ALIGN_CENTER, false, 0,
                       8, 2 * r.body_adv, 0);
            break;
        case K_CENTER:
            text_block(&r, FONT_BODY, b->text, PANGO_ALIGN_CENTER, false, 0, 6,
                       0, 0);
            break;
        case K_BULLET:
            bullet_block(&r, b->text, 1);
            break;
        case K_BULLET2:
            bullet_block(&r, b->text, 2);
            break;
        case K_TABLE:
            table_start(&r, b->text);
            break;
        case K_ROW:
            if (!r.tab.open)
                table_start(&r, NULL);
            if (r.tab.expect_header) {
                r.tab.expect_header = false;
                r.tab.header = b->text;
                table_row(&r, b->text, true);
            } else {
                table_row(&r, b->text, false);
            }
            break;
        case K_PAGE:
            if (r.dirty)
                new_page(&r);
            break;
        case K_COLBREAK:
            next_column(&r);
            break;
        case K_COLUMNS:
            set_columns(&r, (int)b->num);
            break;
        case K_VSPACE:
            r.y += b->num;
            break;
        case K_RULE:
            need(&r, 10);
            hline(&r, col_x(&r), col_x(&r) + col_w(&r), r.y + 5, 0.6, 0.4);
            advance(&r, 10);
            break;
        }
        if (b->kind != K_COLUMNS && b->kind != K_PAGE && b->kind != K_COLBREAK)
            r.after_heading = heading;
    }
    check_region(&r);
    cairo_show_page(r.cr);

    g_object_unref(r.pc);
    cairo_destroy(r.cr);
    return r.page;
}

static cairo_status_t discard(void *closure, const unsigned char *data,
                              unsigned int length)
{
    (void)closure;
    (void)data;
    (void)length;
    return CAIRO_STATUS_SUCCESS;
}

static void set_meta(cairo_surface_t *s, cairo_pdf_metadata_t key,
                     const char *value)
{
    if (value && *value)
        cairo_pdf_surface_set_metadata(s, key, value);
}

/* Render one SOURCE to OUTPUT; dies on any error. */
static void make_pdf(const char *source, const char *output)
{
    FILE *f = fopen(source, "r");
    if (!f)
        die("%s: %s", source, strerror(errno));
    struct doc d = {0};
    parse(&d, f);
    fclose(f);
    if (!d.date[0])
        die("%s: missing @date (needed for a reproducible PDF)", source);
    if (!d.title) {
        const char *base = strrchr(source, '/');
        d.title = xstrdup(base ? base + 1 : source);
    }

    /* pass 1: lay out into a discarded PDF stream to count the pages */
    cairo_surface_t *s =
        cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
    int pages = render(&d, s, 0);
    cairo_surface_destroy(s);

    /* pass 2: the real thing, with "Page N of M" */
    s = cairo_pdf_surface_create(output, PAGE_W, PAGE_H);
    set_meta(s, CAIRO_PDF_METADATA_TITLE, d.title);
    set_meta(s, CAIRO_PDF_METADATA_AUTHOR, d.author);
    set_meta(s, CAIRO_PDF_METADATA_SUBJECT, d.subject);
    set_meta(s, CAIRO_PDF_METADATA_KEYWORDS, d.keywords);
    set_meta(s, CAIRO_PDF_METADATA_CREATOR, d.creator ? d.creator : DEFAULT_CREATOR);
    set_meta(s, CAIRO_PDF_METADATA_CREATE_DATE, d.date);
    set_meta(s, CAIRO_PDF_METADATA_MOD_DATE, d.date);
    int pages2 = render(&d, s, pages);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS)
        die("%s: %s", output, cairo_status_to_string(st));
    if (pages2 != pages)
        die("%s: page count changed between passes", output);

    for (size_t i = 0; i < d.n; i++)
        free(d.b[i].text);
    free(d.b);
    free(d.title);
    free(d.author);
    free(d.creator);
    free(d.subject);
    free(d.keywords);
    free(d.header);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc % 2 == 0) {
        fprintf(stderr, "usage: make-pdf SOURCE.txt OUTPUT.pdf [SOURCE.txt OUTPUT.pdf ...]\n");
        return 2;
    }
    for (int i = 1; i + 1 < argc; i += 2)
        make_pdf(argv[i], argv[i + 1]);
    return 0;
}
