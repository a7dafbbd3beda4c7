/* mapping.c - passages to clauses: references, heading context, vocabulary (see mapping.h). */
#include "ingest/mapping.h"

#include <string.h>

#include "ingest/clauseref.h"
#include "ingest/edition.h"
#include "ingest/regex.h"
#include "ingest/vocabulary.h"

#define UNNUMBERED 100          /* nesting depth of a heading without a section number */
#define INHERITED 0.85          /* confidence factor for passages under a heading */
#define SHORT_HEADING_CHARS 80  /* longest passage that may count as a numbered heading */
#define HEADING_MAX_WORDS 6     /* longest heading whose words alone may map it */

typedef struct {
    const evx_clause *clause;
    evx_clause_reason reason;
    double confidence;
    GPtrArray *matched;         /* phrases, for vocabulary; owned */
    gboolean weak;              /* a heading mapped by its words only */
} candidate;

typedef struct {
    int depth;
    int level;                  /* the heading's outline level, 0 unknown */
    char *number;               /* its section number ("8.4"), or NULL; owned */
    GArray *clauses;            /* of candidate (reason heading, matched NULL) */
} section;

static void
section_clear (gpointer data)
{
    section *s = data;
    g_free (s->number);
    g_array_unref (s->clauses);
}

/* TRUE when the section numbered @inner lies in the one numbered @outer ("8.4" holds
 * "8.4.2", not "8.5" nor "9.2.1"). */
static gboolean
number_within (const char *outer, const char *inner)
{
    size_t n = strlen (outer);
    return strncmp (outer, inner, n) == 0 && inner[n] == '.';
}

static void
candidate_clear (gpointer data)
{
    candidate *c = data;
    if (c->matched)
        g_ptr_array_unref (c->matched);
}

/* TRUE when @a and @b are the same clause, or equivalents across the editions. */
static gboolean
same_or_equivalent (const evx_clause *a, const evx_clause *b)
{
    if (a == b)
        return TRUE;
    if (a->edition == b->edition)
        return FALSE;
    for (const char *const *e = a->equivalents; *e; e++) {
        if (strcmp (*e, b->id) == 0)
            return TRUE;
    }
    return FALSE;
}

static gboolean
has_candidate (GArray *cands, const evx_clause *c)
{
    for (guint i = 0; i < cands->len; i++) {
        if (same_or_equivalent (g_array_index (cands, candidate, i).clause, c))
            return TRUE;
    }
    return FALSE;
}

static void
add_candidate (GArray *cands, const evx_clause *c, evx_clause_reason reason, double confidence,
               GPtrArray *matched)
{
    if (has_candidate (cands, c))
        return;
    candidate cand = { c, reason, confidence, matched ? g_ptr_array_ref (matched) : NULL, FALSE };
    g_array_append_val (cands, cand);
}

/* A reference or heading that names a clause with sub-clauses ("9.2 Internal audit")
 * is narrowed to the sub-clause the passage's words point at ("audit programme":
 * 9.2.2), when one scores at least EVX_MAPPING_REFINE_THRESHOLD; the sub-clause keeps
 * the reason and confidence, and records the matched phrases. */
static void
refine (GArray *cands, const evx_catalog *cat, GPtrArray *matches)
{
    for (guint i = 0; i < cands->len; i++) {
        candidate *c = &g_array_index (cands, candidate, i);
        if (c->reason == EVX_CLAUSE_VOCABULARY || !evx_catalog_has_subclauses (cat, c->clause))
            continue;
        for (guint k = 0; k < matches->len; k++) {
            evx_vocabulary_match *m = g_ptr_array_index (matches, k);
            if (m->score < EVX_MAPPING_REFINE_THRESHOLD)
                break;
            if (!evx_catalog_is_ancestor (cat, c->clause, m->clause)
                || has_candidate (cands, m->clause))
                continue;
            c->clause = m->clause;
            if (c->matched)
                g_ptr_array_unref (c->matched);
            c->matched = g_ptr_array_ref (m->phrases);
            break;   /* the best sub-clause only */
        }
    }
}

static double
vocabulary_confidence (double score)
{
    return score / (score + EVX_MAPPING_THRESHOLD);
}

/* The clauses of @matches (evx_vocabulary_score()) that reach @threshold and the relative
 * cut, best first, appended to @cands. */
static void
add_matches (GArray *cands, const evx_catalog *cat, GPtrArray *matches, double threshold,
             evx_clause_reason reason)
{
    if (matches->len == 0)
        return;
    double best = ((evx_vocabulary_match *) g_ptr_array_index (matches, 0))->score;
    g_autoptr (GPtrArray) kept = g_ptr_array_new ();
    for (guint i = 0; i < matches->len; i++) {
        evx_vocabulary_match *m = g_ptr_array_index (matches, i);
        if (m->score < threshold || m->score < EVX_MAPPING_RELATIVE * best)
            break;
        /* the more precise clause wins: skip an ancestor of a kept clause, and
         * replace a kept ancestor by its descendant */
        gboolean skip = FALSE;
        for (guint k = 0; k < kept->len && !skip; k++) {
            evx_vocabulary_match *o = g_ptr_array_index (kept, k);
            if (evx_catalog_is_ancestor (cat, m->clause, o->clause))
                skip = TRUE;
            else if (evx_catalog_is_ancestor (cat, o->clause, m->clause))
                g_ptr_array_remove_index (kept, k--);
        }
        if (!skip)
            g_ptr_array_add (kept, m);
        if (kept->len >= EVX_MAPPING_MAX_VOCABULARY)
            break;
    }
    for (guint k = 0; k < kept->len; k++) {
        evx_vocabulary_match *m = g_ptr_array_index (kept, k);
        add_candidate (cands, m->clause, reason, vocabulary_confidence (m->score), m->phrases);
    }
}

/* Vocabulary candidates of @text at @threshold, best first, appended to @cands. */
static void
add_vocabulary (GArray *cands, const evx_catalog *cat, const char *text, int edition,
                double threshold, evx_clause_reason reason)
{
    g_autoptr (GPtrArray) matches = evx_vocabulary_score (evx_catalog_vocabulary (cat), text,
                                                          edition);
    add_matches (cands, cat, matches, threshold, reason);
}

static guint
count_words (const char *text)
{
    guint n = 0;
    gboolean in_word = FALSE;
    for (const char *c = text; *c; c = g_utf8_next_char (c)) {
        gboolean alnum = g_unichar_isalnum (g_utf8_get_char (c));
        n += alnum && !in_word;
        in_word = alnum;
    }
    return n;
}

/* The clauses a heading maps to: a clause heading, else the clauses it cites, else the
 * clause its words score for. */
static GArray *
heading_clauses (const char *heading, const evx_catalog *cat, int edition)
{
    GArray *cands = g_array_new (FALSE, FALSE, sizeof (candidate));
    g_array_set_clear_func (cands, candidate_clear);
    const evx_clause *c = evx_clauseref_heading (heading, cat, edition);
    if (c) {
        add_candidate (cands, c, EVX_CLAUSE_HEADING, 0.95, NULL);
        return cands;
    }
    g_autoptr (GArray) refs = evx_clauseref_scan (heading, cat, edition);
    for (guint i = 0; i < refs->len; i++)
        add_candidate (cands, g_array_index (refs, evx_clause_ref, i).clause, EVX_CLAUSE_HEADING,
                       0.90, NULL);
    if (cands->len == 0 && count_words (heading) <= HEADING_MAX_WORDS) {
        add_vocabulary (cands, cat, heading, edition, EVX_MAPPING_HEADING_THRESHOLD,
                        EVX_CLAUSE_HEADING);
        if (cands->len > 1)
            g_array_set_size (cands, 1);   /* a heading names one subject */
        for (guint i = 0; i < cands->len; i++) {
            candidate *h = &g_array_index (cands, candidate, i);
            g_clear_pointer (&h->matched, g_ptr_array_unref);
            h->weak = TRUE;
        }
    }
    return cands;
}

/* The heading text of @p, or NULL when @p is no heading.  A short passage that
 * starts with a section number followed by a capitalised word ("2. Risk Assessment",
 * "1.1 Purpose"), without a full stop at the end, is one; "12 hours 4 hours" is not. */
static char *
heading_text (const evx_passage *p)
{
    if (p->is_heading && p->heading_chars > 0)
        return g_utf8_substring (p->text, 0, p->heading_chars);
    if (g_utf8_strlen (p->text, -1) > SHORT_HEADING_CHARS
        || evx_clauseref_number_depth (p->text) == 0)
        return NULL;
    const char *last = g_utf8_prev_char (p->text + strlen (p->text));
    if (strchr (".:;,", *last))
        return NULL;
    /* "3 Business Impact Analysis ........ 7": a table of contents' line */
    static gsize leaders;
    GRegex *toc = evx_regex_once (&leaders, "(?:\\.\\s*){3,}\\d{1,3}\\s*$|\\x{2026}\\s*\\d{1,3}\\s*$",
                                  0);
    if (g_regex_match (toc, p->text, 0, NULL))
        return NULL;
    const char *word = p->text;
    while (*word && (g_ascii_isdigit (*word) || *word == '.'))
        word++;
    while (*word == ' ')
        word++;
    return g_unichar_isupper (g_utf8_get_char (word)) ? g_strdup (p->text) : NULL;
}

/* Opens a heading's section (@number: its section number, or NULL; taken): closes the
 * sections it ends (by outline level where both headings have one, as HTML, Word, ODF
 * and Markdown give, so that "1. Purpose" (h3) stays in "8.4 ..." (h2); else by section
 * number: its depth, and a numbered section the number does not lie in, "8.4.4" ending
 * "9.2"), pushes its own. */
static void
open_section (GArray *stack, int depth, int level, char *number, GArray *clauses)
{
    while (stack->len > 0) {
        const section *top = &g_array_index (stack, section, stack->len - 1);
        gboolean by_level = level > 0 && top->level > 0;
        gboolean inside = by_level ? top->level < level : top->depth < depth;
        if (inside && !by_level && number && top->number)
            inside = number_within (top->number, number);
        if (inside)
            break;
        g_array_remove_index (stack, stack->len - 1);
    }
    section s = { depth, level, number, clauses };
    g_array_append_val (stack, s);
}

/* The innermost open section that maps to a clause, or NULL. */
static const section *
current_section (GArray *stack)
{
    for (guint i = stack->len; i > 0; i--) {
        const section *s = &g_array_index (stack, section, i - 1);
        if (s->clauses->len > 0)
            return s;
    }
    return NULL;
}

static void
tag_passage (evx_passage *p, GArray *cands, const evx_catalog *cat)
{
    for (guint i = 0; i < cands->len; i++) {
        const candidate *c = &g_array_index (cands, candidate, i);
        /* vocabulary gives way to a more precise clause found otherwise */
        gboolean covered = FALSE;
        for (guint k = 0; k < cands->len && c->reason == EVX_CLAUSE_VOCABULARY && !covered; k++)
            covered = evx_catalog_is_ancestor (cat, c->clause,
                                               g_array_index (cands, candidate, k).clause);
        if (covered)
            continue;
        evx_clause_tag *t = evx_passage_add_clause (p, c->clause->id, c->clause->edition,
                                                    c->clause->title, c->reason, c->confidence);
        if (!t)
            continue;
        if (c->clause->equivalents[0])
            t->equivalents = g_strdupv ((char **) c->clause->equivalents);
        if (c->matched && c->matched->len > 0) {
            t->matched = g_new0 (char *, c->matched->len + 1);
            for (guint k = 0; k < c->matched->len; k++)
                t->matched[k] = g_strdup (g_ptr_array_index (c->matched, k));
        }
    }
}

static char *
document_text (const evx_document *doc)
{
    GString *all = g_string_new (NULL);
    for (guint i = 0; i < doc->page_texts->len; i++) {
        g_string_append (all, g_ptr_array_index (doc->page_texts, i));
        g_string_append_c (all, '\n');
    }
    if (doc->page_texts->len == 0) {
        for (guint i = 0; i < doc->passages->len; i++) {
            g_string_append (all, ((evx_passage *) g_ptr_array_index (doc->passages, i))->text);
            g_string_append_c (all, '\n');
        }
    }
    return g_string_free (all, FALSE);
}

void
evx_mapping_tag_with (evx_document *doc, const evx_catalog *cat, evx_mapping_kinds kinds)
{
    g_autofree char *text = document_text (doc);
    doc->edition = evx_edition_detect (text, NULL);

    g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (section));
    g_array_set_clear_func (stack, section_clear);
    for (guint i = 0; i < doc->passages->len; i++) {
        evx_passage *p = g_ptr_array_index (doc->passages, i);
        g_autoptr (GArray) cands = g_array_new (FALSE, FALSE, sizeof (candidate));
        g_array_set_clear_func (cands, candidate_clear);

        /* a heading's own clause comes first; an inherited one after the references */
        const section *s = NULL;
        gboolean here = FALSE;
        if (kinds & EVX_MAPPING_HEADINGS) {
            g_autofree char *heading = heading_text (p);
            if (heading) {
                int depth = evx_clauseref_number_depth (heading);
                GArray *hc = heading_clauses (heading, cat, doc->edition);
                /* an unnumbered heading of another subject ends the sections, unless
                 * its outline level puts it below them ("Roles" under "8.4 ...") */
                if (depth == 0 && hc->len == 0 && p->heading_level == 0)
                    depth = 1;
                open_section (stack, depth > 0 ? depth : UNNUMBERED, p->heading_level,
                              evx_clauseref_number (heading), hc);
            }
            s = current_section (stack);
            here = heading && s == &g_array_index (stack, section, stack->len - 1);
        }
        /* the passage's vocabulary scores, used twice below */
        g_autoptr (GPtrArray) matches = NULL;
        g_autoptr (GArray) vocabulary = g_array_new (FALSE, FALSE, sizeof (candidate));
        g_array_set_clear_func (vocabulary, candidate_clear);
        if (kinds & EVX_MAPPING_VOCABULARY) {
            matches = evx_vocabulary_score (evx_catalog_vocabulary (cat), p->text, doc->edition);
            add_matches (vocabulary, cat, matches, EVX_MAPPING_THRESHOLD, EVX_CLAUSE_VOCABULARY);
        }
        for (guint pass = 0; pass < 2; pass++) {
            for (guint k = 0; s && here == (pass == 0) && k < s->clauses->len; k++) {
                const candidate *h = &g_array_index (s->clauses, candidate, k);
                /* a heading mapped by its words only gives way to the passage's own
                 * words and references */
                if (!here && h->weak && (vocabulary->len > 0 || cands->len > 0))
                    continue;
                guint before = cands->len;
                add_candidate (cands, h->clause, EVX_CLAUSE_HEADING,
                               here ? h->confidence : h->confidence * INHERITED, NULL);
                if (cands->len > before)
                    g_array_index (cands, candidate, before).weak = h->weak;
            }
            if (pass == 0 && (kinds & EVX_MAPPING_REFERENCES)) {
                g_autoptr (GArray) refs = evx_clauseref_scan (p->text, cat, doc->edition);
                for (guint k = 0; k < refs->len; k++) {
                    const evx_clause_ref *r = &g_array_index (refs, evx_clause_ref, k);
                    double confidence = r->edition_named ? 0.98 : 0.95;
                    /* a clause the passage cites is a reference, also when a heading
                     * mapped by its words alone put it there first */
                    for (guint c = 0; c < cands->len; c++) {
                        candidate *prior = &g_array_index (cands, candidate, c);
                        if (prior->clause == r->clause && prior->reason == EVX_CLAUSE_HEADING
                            && prior->weak) {
                            prior->reason = EVX_CLAUSE_REFERENCE;
                            prior->confidence = confidence;
                            prior->weak = FALSE;
                        }
                    }
                    add_candidate (cands, r->clause, EVX_CLAUSE_REFERENCE, confidence, NULL);
                }
            }
        }
        if (matches)
            refine (cands, cat, matches);
        for (guint k = 0; k < vocabulary->len; k++) {
            const candidate *v = &g_array_index (vocabulary, candidate, k);
            add_candidate (cands, v->clause, v->reason, v->confidence, v->matched);
        }
        tag_passage (p, cands, cat);
    }
}

void
evx_mapping_tag (evx_document *doc, const evx_catalog *cat)
{
    evx_mapping_tag_with (doc, cat, EVX_MAPPING_ALL);
}
