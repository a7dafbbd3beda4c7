/*
 * floor.c - the floor of scripts/bench: the least work that gets the text of
 * every page of every PDF with poppler, the library evidex extracts with.
 *
 *   usage: floor [--dump FILE] PATH...
 *   build: cc -std=c11 -O2 -Wall -Wextra floor.c $(pkg-config --cflags --libs poppler-glib)
 *
 * One process, one thread: every PDF under the PATHs (files, or folders walked
 * recursively in name order; only names ending in ".pdf" are read in folders)
 * is opened with poppler_document_new_from_file and every page's text is
 * extracted with poppler_page_get_text, then dropped.  No index, no passages,
 * no worker processes.  The first PDF opened stays open to the end: poppler-glib
 * builds its global tables (GlobalParams: fonts, encodings) with the first open
 * document and deletes them with the last, so closing every document would rebuild
 * them for every file (about 15% of the floor's time), work that evidex avoids in
 * the same way (evx_pdf_prepare() in ingest/pdf.h).  Prints one line on stdout:
 *
 *   floor: FILES files, PAGES pages, CHARS characters in SECONDS s
 *
 * (SECONDS from the monotonic clock, from the first file to the last).
 * A PDF that poppler cannot open is named on stderr and counted as failed;
 * the exit status is then 1.
 *
 * With --dump FILE it also writes every page's text to FILE as one record of
 * Xapian's scriptindex input ("text=" and the text on one line, then an empty line),
 * for scripts/bench to time Xapian indexing the same text alone.  The timed runs do
 * not dump.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <poppler.h>

struct totals {
    long files, failed, pages;
    gint64 chars;
    FILE *dump;               /* --dump: scriptindex records, or NULL */
    PopplerDocument *first;   /* kept open to the end: see the top of this file */
};

static int compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void extract (const char *path, struct totals *t)
{
    GError *error = NULL;
    char *uri = g_filename_to_uri (path, NULL, &error);
    PopplerDocument *doc = uri ? poppler_document_new_from_file (uri, NULL, &error) : NULL;
    g_free (uri);
    if (!doc) {
        fprintf (stderr, "floor: %s: %s\n", path, error->message);
        g_error_free (error);
        t->failed++;
        return;
    }
    int n = poppler_document_get_n_pages (doc);
    for (int i = 0; i < n; i++) {
        PopplerPage *page = poppler_document_get_page (doc, i);
        char *text = page ? poppler_page_get_text (page) : NULL;
        if (text)
            t->chars += g_utf8_strlen (text, -1);
        if (text && t->dump) {
            /* scriptindex reads a line per field: the page on one line */
            g_strdelimit (text, "\r\n", ' ');
            fprintf (t->dump, "text=%s\n\n", text);
        }
        g_free (text);
        if (page)
            g_object_unref (page);
    }
    if (t->first)
        g_object_unref (doc);
    else
        t->first = doc;
    t->files++;
    t->pages += n;
}

/* PATH is absolute.  Folders: their entries in name order, PDFs and folders
 * only; symbolic links are not followed into folders. */
static void walk (const char *path, gboolean named, struct totals *t)
{
    if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
        if (named || g_str_has_suffix (path, ".pdf"))
            extract (path, t);
        return;
    }
    if (!named && g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        return;
    GError *error = NULL;
    GDir *dir = g_dir_open (path, 0, &error);
    if (!dir) {
        fprintf (stderr, "floor: %s\n", error->message);
        g_error_free (error);
        t->failed++;
        return;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    for (const char *name; (name = g_dir_read_name (dir));)
        g_ptr_array_add (names, g_strdup (name));
    g_dir_close (dir);
    g_ptr_array_sort (names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        char *child = g_build_filename (path, names->pdata[i], NULL);
        walk (child, FALSE, t);
        g_free (child);
    }
    g_ptr_array_free (names, TRUE);
}

int main (int argc, char **argv)
{
    struct totals t = { 0 };
    int first = 1;
    if (argc > 1 && !strcmp (argv[1], "--dump")) {
        if (argc < 3) {
            fprintf (stderr, "floor: --dump needs a FILE\n");
            return 2;
        }
        t.dump = fopen (argv[2], "w");
        if (!t.dump) {
            perror (argv[2]);
            return 2;
        }
        first = 3;
    }
    if (argc <= first || !strcmp (argv[1], "--help") || !strcmp (argv[1], "-h")) {
        fprintf (argc <= first ? stderr : stdout,
                 "usage: floor [--dump FILE] PATH...\n"
                 "Extracts every page's text of every PDF under the PATHs with poppler-glib,\n"
                 "in one process and one thread, and prints the files, pages, characters and\n"
                 "seconds.  --dump FILE also writes each page's text to FILE as a record of\n"
                 "Xapian's scriptindex input.\n");
        return argc <= first ? 2 : 0;
    }
    gint64 start = g_get_monotonic_time ();
    for (int i = first; i < argc; i++) {
        char *abs = g_canonicalize_filename (argv[i], NULL);
        walk (abs, TRUE, &t);
        g_free (abs);
    }
    double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
    if (t.first)
        g_object_unref (t.first);
    if (t.dump && fclose (t.dump) != 0) {
        perror ("floor: --dump");
        return 1;
    }
    printf ("floor: %ld files, %ld pages, %" G_GINT64_FORMAT " characters in %.3f s\n", t.files,
            t.pages, t.chars, seconds);
    if (t.failed)
        fprintf (stderr, "floor: %ld files failed\n", t.failed);
    return t.failed ? 1 : 0;
}
