/* eval-commitments.c - measures commitment detection (ingest/commitment.c) against the
 * hand-labelled sentences of corpus/gold/commitments.tsv: precision and recall of "is
 * this sentence a commitment", for the project corpus, the real documents and overall,
 * and, among the sentences found, how often modal, negation, party and deadline agree
 * with the labels.  Run by scripts/eval-commitments; not a test.
 * Usage: eval-commitments [--split test|tune|all] [--errors] */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "ingest/commitment.h"

#define GOLD EVX_SOURCE_DIR "/corpus/gold/commitments.tsv"

typedef struct {
    guint tp, fp, fn, tn;
    guint modal_ok, negated_ok, party_ok, deadline_ok;
} tally;

static double
ratio (guint a, guint b)
{
    return b ? (double) a / b : 0.0;
}

static void
print_row (const char *name, const tally *t)
{
    double p = ratio (t->tp, t->tp + t->fp), r = ratio (t->tp, t->tp + t->fn);
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf ("%-18s %4u %4u %4u %4u   %.3f  %.3f  %.3f   | %.2f   %.2f     %.2f   %.2f\n", name,
            t->tp, t->fp, t->fn, t->tn, p, r, f, ratio (t->modal_ok, t->tp),
            ratio (t->negated_ok, t->tp), ratio (t->party_ok, t->tp), ratio (t->deadline_ok, t->tp));
}

static gboolean
same (const char *label, const char *found)
{
    if (!label || strcmp (label, "-") == 0)
        return found == NULL;
    return found && g_ascii_strcasecmp (label, found) == 0;
}

int
main (int argc, char **argv)
{
    const char *split = "test";
    gboolean errors = FALSE;
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv[i], "--split") == 0 && i + 1 < argc)
            split = argv[++i];
        else if (strcmp (argv[i], "--errors") == 0)
            errors = TRUE;
        else {
            fprintf (stderr, "usage: eval-commitments [--split test|tune|all] [--errors]\n");
            return 2;
        }
    }
    g_autofree char *data = NULL;
    g_autoptr (GError) error = NULL;
    if (!g_file_get_contents (GOLD, &data, NULL, &error)) {
        fprintf (stderr, "eval-commitments: %s\n", error->message);
        return 1;
    }
    g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
    tally by[2] = { { 0 } }, all = { 0 };   /* [0] project, [1] external */
    guint rows = 0;
    for (guint i = 1; lines[i]; i++) {
        g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
        if (g_strv_length (f) < 10)
            continue;
        if (strcmp (split, "all") != 0 && strcmp (f[1], split) != 0)
            continue;
        rows++;
        gboolean external = strcmp (f[2], "external") == 0;
        gboolean gold = strcmp (f[5], "yes") == 0;
        g_autoptr (evx_commitment) c = NULL;
        c = evx_commitment_detect (f[4]);
        tally *t = &by[external];
        if (gold && c) {
            t->tp++;
            t->modal_ok += same (f[6], c->modal) || (strcmp (f[6], "are required to") == 0
                                                     && strcmp (c->modal, "is required to") == 0);
            t->negated_ok += (strcmp (f[7], "yes") == 0) == c->negated;
            t->party_ok += same (f[8], c->party);
            t->deadline_ok += same (f[9], c->deadline);
        } else if (c) {
            t->fp++;
        } else if (gold) {
            t->fn++;
        } else {
            t->tn++;
        }
        if (errors && ((gold && !c) || (!gold && c)))
            printf ("%s %s %s: %s\n   %s\n", f[0], f[2], gold ? "MISSED" : "FALSE", f[3], f[4]);
        else if (errors && gold && c
                 && (!same (f[8], c->party) || !same (f[9], c->deadline)))
            printf ("%s fields: party \"%s\" (gold \"%s\"), deadline \"%s\" (gold \"%s\")\n   %s\n",
                    f[0], c->party ? c->party : "-", f[8], c->deadline ? c->deadline : "-", f[9],
                    f[4]);
    }
    for (int k = 0; k < 2; k++) {
        all.tp += by[k].tp, all.fp += by[k].fp, all.fn += by[k].fn, all.tn += by[k].tn;
        all.modal_ok += by[k].modal_ok, all.negated_ok += by[k].negated_ok;
        all.party_ok += by[k].party_ok, all.deadline_ok += by[k].deadline_ok;
    }
    printf ("\ncommitments on the %s rows of corpus/gold/commitments.tsv: %u sentences\n\n", split,
            rows);
    printf ("%-18s %4s %4s %4s %4s   %-6s %-6s %-6s  | %s\n", "", "TP", "FP", "FN", "TN", "P", "R",
            "F1", "of TP: modal  negated  party  deadline");
    print_row ("project corpus", &by[0]);
    print_row ("real documents", &by[1]);
    print_row ("overall", &all);
    return 0;
}
