/* pdf.c - PDF pages to laid-out lines (poppler-glib stays inside this file).
 *
 * poppler_page_get_text() gives the page text in reading order, but it does not
 * always separate two text blocks ("...documented.4.2 Scope"), so lines are cut
 * from the geometry: poppler_page_get_text_layout() gives one rectangle per
 * character of that text, and poppler_page_get_text_attributes() the font runs.
 */
#include "ingest/pdf.h"

#include <math.h>
#include <gio/gio.h>
#include <poppler.h>
#include <string.h>

#include "ingest/error.h"
#include "ingest/normalise.h"

/* Horizontal gap, in character heights, between two table cells on one line. */
#define CELL_GAP_EM 1.5

static char *
clean_meta (char *value)
{
    if (!value)
        return NULL;
    char *norm = evx_normalise_text (value, -1, NULL);
    g_free (value);
    if (*norm == '\0') {
        g_free (norm);
        return NULL;
    }
    return norm;
}

static gboolean
font_is_bold (const char *name)
{
    if (!name)
        return FALSE;
    g_autofree char *lower = g_ascii_strdown (name, -1);
    return strstr (lower, "bold") || strstr (lower, "black") || strstr (lower, "heavy")
           || strstr (lower, "semibold") || strstr (lower, "demi");
}

/* Per-character font facts, from the attribute runs. */
typedef struct {
    double size;
    gboolean bold;
} char_font;

static char_font *
char_fonts (PopplerPage *page, glong n_chars)
{
    char_font *fonts = g_new0 (char_font, n_chars > 0 ? n_chars : 1);
    GList *runs = poppler_page_get_text_attributes (page);
    for (GList *l = runs; l; l = l->next) {
        const PopplerTextAttributes *a = l->data;
        gboolean bold = font_is_bold (a->font_name);
        for (glong i = MAX (0, a->start_index); i <= a->end_index && i < n_chars; i++) {
            fonts[i].size = a->font_size;
            fonts[i].bold = bold;
        }
    }
    poppler_page_free_text_attributes (runs);
    return fonts;
}

/* A line being collected from characters. */
typedef struct {
    GString *text;
    double x0, y0, x1, y1;
    double size_sum, bold_n, n;  /* over the line's non-space characters */
    double last_x2;              /* right edge of the last non-space character */
    gboolean last_space;         /* the last character was a space */
} line_acc;

static void
acc_reset (line_acc *acc)
{
    g_string_truncate (acc->text, 0);
    acc->x0 = acc->y0 = G_MAXDOUBLE;
    acc->x1 = acc->y1 = -G_MAXDOUBLE;
    acc->size_sum = acc->bold_n = acc->n = 0;
    acc->last_x2 = 0;
    acc->last_space = FALSE;
}

static void
acc_flush (line_acc *acc, evx_page_layout *layout)
{
    if (acc->n > 0)
        evx_page_layout_add_line (layout, acc->text->str, acc->x0, acc->y0, acc->x1, acc->y1,
                                  acc->size_sum / acc->n, acc->bold_n * 2 > acc->n);
    acc_reset (acc);
}

static void
acc_add (line_acc *acc, gunichar c, const PopplerRectangle *r, const char_font *font)
{
    if (g_unichar_isspace (c)) {
        acc->last_space = TRUE;
        g_string_append_unichar (acc->text, c);
        return;
    }
    /* Words set apart by position only (dot leaders) get a space; a gap wider than
     * CELL_GAP_EM separates table cells or columns and gets a tab. */
    double gap = r->x1 - acc->last_x2, h = MAX (r->y2 - r->y1, 1.0);
    if (acc->n > 0 && !acc->last_space && gap > 0.3 * h)
        g_string_append_c (acc->text, gap > CELL_GAP_EM * h ? '\t' : ' ');
    acc->last_space = FALSE;
    acc->last_x2 = r->x2;
    g_string_append_unichar (acc->text, c);
    acc->x0 = MIN (acc->x0, r->x1);
    acc->x1 = MAX (acc->x1, r->x2);
    acc->y0 = MIN (acc->y0, r->y1);
    acc->y1 = MAX (acc->y1, r->y2);
    acc->size_sum += font->size;
    acc->bold_n += font->bold ? 1 : 0;
    acc->n += 1;
}

/* Fallback when poppler gives no usable geometry: one line per text line. */
static void
layout_without_geometry (const char *text, evx_page_layout *layout)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    double y = layout->height * 0.2;   /* below the header zone: nothing is taken as furniture */
    for (guint i = 0; lines[i]; i++, y += 1)
        evx_page_layout_add_line (layout, lines[i], 0, y, layout->width, y + 1, 0, FALSE);
}

static void
layout_page (PopplerPage *page, evx_page_layout *layout)
{
    g_autofree char *text = poppler_page_get_text (page);
    if (!text || !*text)
        return;
    glong n_chars = g_utf8_strlen (text, -1);
    g_autofree PopplerRectangle *rects = NULL;
    guint n_rects = 0;
    if (!poppler_page_get_text_layout (page, &rects, &n_rects) || (glong) n_rects != n_chars) {
        layout_without_geometry (text, layout);
        return;
    }
    g_autofree char_font *fonts = char_fonts (page, n_chars);

    line_acc acc = { .text = g_string_new (NULL) };
    acc_reset (&acc);
    const char *p = text;
    for (glong i = 0; i < n_chars; i++, p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        const PopplerRectangle *r = &rects[i];
        if (c == '\n' || c == '\r') {
            acc_flush (&acc, layout);
            continue;
        }
        if (acc.n > 0 && !g_unichar_isspace (c)) {
            /* A jump to another baseline, or far back to the left, ends the line
             * even where poppler put no newline. */
            double mid = (r->y1 + r->y2) / 2;
            double h = MAX (r->y2 - r->y1, 1.0);
            gboolean other_line = mid < acc.y0 || mid > acc.y1;
            gboolean went_left = r->x1 < acc.x1 - 2 * h && r->x2 <= acc.x0 + h;
            if (other_line || went_left)
                acc_flush (&acc, layout);
        }
        acc_add (&acc, c, r, &fonts[i]);
    }
    acc_flush (&acc, layout);
    g_string_free (acc.text, TRUE);
}

static void
read_metadata (PopplerDocument *pd, evx_document *meta)
{
    g_free (meta->title);
    meta->title = clean_meta (poppler_document_get_title (pd));
    g_free (meta->author);
    meta->author = clean_meta (poppler_document_get_author (pd));
    g_free (meta->producer);
    meta->producer = clean_meta (poppler_document_get_producer (pd));
    GDateTime *created = poppler_document_get_creation_date_time (pd);
    meta->created = created ? g_date_time_to_unix (created) : -1;
    if (created)
        g_date_time_unref (created);
    g_free (meta->mime_type);
    meta->mime_type = g_strdup ("application/pdf");
}

/* The page label when the PDF defines one that differs from the page number. */
static char *
page_label (PopplerPage *page, int number)
{
    char *label = poppler_page_get_label (page);
    if (label) {
        char *norm = evx_normalise_text (label, -1, NULL);
        g_free (label);
        label = norm;
    }
    char digits[16];
    g_snprintf (digits, sizeof digits, "%d", number);
    if (!label || !*label || strcmp (label, digits) == 0) {
        g_free (label);
        return NULL;
    }
    return label;
}

gboolean
evx_pdf_extract (GBytes *bytes, const char *password, int max_pages, evx_document *meta,
                 GPtrArray **pages, GError **error)
{
    *pages = NULL;
    g_autoptr (GError) perr = NULL;
    PopplerDocument *pd;
    if (password) {
        /* poppler-glib 22.12 crashes in poppler_document_new_from_bytes() when a
         * password is given and is wrong (it retries on a stream it has freed);
         * reading through a GInputStream does not have that bug. */
        g_autoptr (GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
        pd = poppler_document_new_from_stream (in, (goffset) g_bytes_get_size (bytes), password,
                                               NULL, &perr);
    } else {
        pd = poppler_document_new_from_bytes (bytes, NULL, &perr);
    }
    if (!pd) {
        if (g_error_matches (perr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
            g_set_error (error, EVX_ERROR, EVX_ERROR_ENCRYPTED,
                         password ? "encrypted: wrong password" : "encrypted: password required");
        else
            g_set_error (error, EVX_ERROR, EVX_ERROR_DAMAGED, "damaged: %s",
                         perr ? perr->message : "poppler could not open the file");
        return FALSE;
    }
    int n_pages = poppler_document_get_n_pages (pd);
    if (n_pages <= 0) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_NO_PAGES, "damaged: the document reports no pages");
        g_object_unref (pd);
        return FALSE;
    }
    if (max_pages > 0 && n_pages > max_pages) {
        g_set_error (error, EVX_ERROR, EVX_ERROR_LIMIT,
                     "limit: %d pages, more than the %d allowed (--max-pages)", n_pages, max_pages);
        g_object_unref (pd);
        return FALSE;
    }
    read_metadata (pd, meta);
    meta->page_count = n_pages;

    GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_page_layout_free);
    for (int i = 0; i < n_pages; i++) {
        PopplerPage *page = poppler_document_get_page (pd, i);
        double w = 0, h = 0;
        if (page)
            poppler_page_get_size (page, &w, &h);
        evx_page_layout *layout = evx_page_layout_new (i + 1, w, h);
        if (page) {
            layout->label = page_label (page, i + 1);
            layout_page (page, layout);
            g_object_unref (page);
        }
        if (layout->lines->len == 0)
            meta->pages_without_text++;
        g_ptr_array_add (out, layout);
    }
    g_object_unref (pd);
    *pages = out;
    return TRUE;
}

GBytes *
evx_pdf_build (const char *const *objects, guint n_objects)
{
    GString *pdf = g_string_new ("%PDF-1.4\n");
    g_autofree gsize *offsets = g_new (gsize, n_objects);
    for (guint i = 0; i < n_objects; i++) {
        offsets[i] = pdf->len;
        g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
    gsize xref = pdf->len;
    g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", n_objects + 1);
    for (guint i = 0; i < n_objects; i++)
        g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
    g_string_append_printf (pdf, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT
                                 "\n%%%%EOF\n",
                            n_objects + 1, xref);
    return g_string_free_to_bytes (pdf);
}

void
evx_pdf_prepare (void)
{
    static const char *const objects[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length 36 >>\nstream\nBT /F1 10 Tf 20 100 Td (evidex) Tj ET\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    /* poppler-glib builds its GlobalParams for each document and deletes them with the
     * last one (GlobalParamsIniter): one document kept open for the life of the process
     * keeps them, for this process and every worker forked from it */
    static PopplerDocument *keep;
    if (keep)
        return;
    GBytes *bytes = evx_pdf_build (objects, G_N_ELEMENTS (objects));
    keep = poppler_document_new_from_bytes (bytes, NULL, NULL);
    g_bytes_unref (bytes);
    if (keep && poppler_document_get_n_pages (keep) > 0) {
        PopplerPage *page = poppler_document_get_page (keep, 0);
        g_free (poppler_page_get_text (page));
        g_object_unref (page);
    }
}
