/* search-latency.c - the search-latency benchmark of issue 7 (run by scripts/bench-search,
 * and by scripts/bench-shards for issue 9).
 *
 *   search-latency build DB PASSAGES [K/N]  writes a deterministic index of at least
 *                                      PASSAGES synthetic business-continuity passages
 *                                      (with K/N: only the documents of shard K of N)
 *   search-latency check DB PASSAGES [K/N]  exit 0 when DB is a complete index written
 *                                      by `build` of this generator for these arguments
 *   search-latency query DB [N]        times N deterministic searches (default 1000); DB
 *                                      may be a stub database file listing shards
 *   search-latency queries FILE [N]    writes the same N queries, in plain Xapian syntax
 *
 * The index is written through evidex's own index API (evx_index_put_document with
 * evx_document objects made in memory), so it has the terms, prefixes, value slots and
 * stored data of a real ingest: English-stemmed text with positions, clause terms of
 * the ISO 22301 catalog with their ancestors and equivalents, document kinds, editions,
 * dates, commitments (modal and party terms) and a file record per document.  The text
 * is drawn from a fixed seed (GRand): a Zipf-distributed vocabulary of real words and
 * made-up rarer ones, with business-continuity phrases, supplier and site names, clause
 * references and commitment sentences mixed in.
 *
 * Searches go through evx_index_search(), the call `evidex search` makes (query parsing,
 * filters, exact counts up to EVX_EXACT_TOTAL, stored data decoded, snippets), after
 * the same NFKC normalisation of the query; the index is opened once, its files are
 * read once into the OS page cache and a few uncounted queries warm it up.  Wall time
 * per query, g_get_monotonic_time().
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "index/index.h"
#include "ingest/catalog.h"
#include "ingest/doctype.h"
#include "ingest/normalise.h"
#include "query/shard.h"

/* Bump when the generated index changes, so that cached indexes are rebuilt. */
#define GENERATOR_VERSION 3   /* 3: passages have EVX_SLOT_ORDER (12 bytes) */
#define METADATA_KEY "evidex.bench.search-latency"

#define BUILD_SEED 22301u
#define QUERY_SEED 2019u
#define WARMUP_SEED 2012u
#define WARMUP_QUERIES 20
#define DOCS_PER_COMMIT 500
#define DEFAULT_QUERIES 1000
#define SEARCH_LIMIT 10   /* evidex search's default --limit */
#define ZIPF_EXPONENT 1.0
#define RARE_WORDS 5000

/* ---------------------------------------------------------------- vocabulary */

/* Words without content; they head the Zipf ranking and are never query words. */
static const char *const function_words[] = {
    "the", "of", "and", "to", "in", "a", "for", "is", "are", "be", "on", "with", "by", "as",
    "that", "this", "at", "from", "or", "an", "it", "all", "its", "which", "was", "were", "has",
    "have", "not", "each", "any", "been", "their", "our", "when", "where", "within", "per",
    "into", "also", "than", "these", "those", "after", "before", "during", "under", "other",
    "such", "more", "no", "only", "both", "between", "if", "over", "through", "up", "out",
    "about", "against", "new", "may",
};

/* Real words of business-continuity evidence, roughly the most frequent first. */
static const char *const content_words[] = {
    "business", "continuity", "recovery", "plan", "management", "risk", "service", "services",
    "incident", "site", "team", "data", "system", "systems", "process", "processes", "staff",
    "supplier", "suppliers", "critical", "activities", "activity", "impact", "analysis",
    "response", "test", "testing", "exercise", "exercises", "review", "audit", "time",
    "objective", "objectives", "policy", "procedure", "procedures", "requirements",
    "requirement", "information", "resources", "security", "emergency", "crisis",
    "communication", "communications", "backup", "restore", "restoration", "disruption",
    "disruptions", "availability", "capacity", "contract", "contracts", "customer",
    "customers", "level", "levels", "minimum", "maximum", "period", "tolerable", "priority",
    "priorities", "evidence", "records", "record", "document", "documents", "documented",
    "report", "reports", "annual", "quarterly", "monthly", "weekly", "daily", "hours",
    "minutes", "days", "office", "offices", "building", "premises", "facility", "facilities",
    "power", "generator", "network", "telephony", "payroll", "finance", "operations",
    "operational", "organization", "leadership", "board", "manager", "managers", "director",
    "owner", "owners", "coordinator", "lead", "leads", "role", "roles", "responsibilities",
    "responsibility", "training", "awareness", "competence", "scope", "context", "interested",
    "parties", "performance", "evaluation", "monitoring", "measurement", "internal",
    "external", "nonconformity", "corrective", "action", "actions", "improvement",
    "continual", "opportunities", "findings", "observation", "observations", "major",
    "minor", "stage", "surveillance", "certification", "certificate", "standard", "clause",
    "control", "controls", "strategy", "strategies", "solutions", "arrangements", "warning",
    "alert", "alerts", "escalation", "invocation", "activation", "call", "tree", "contact",
    "contacts", "list", "lists", "register", "registers", "log", "logs", "assessment",
    "assessments", "threat", "threats", "likelihood", "consequence", "consequences",
    "treatment", "appetite", "dependencies", "dependency", "interdependencies", "product",
    "products", "delivery", "deliver", "provide", "provided", "ensure", "ensures",
    "identified", "identify", "defined", "define", "approved", "approve", "maintained",
    "maintain", "updated", "update", "reviewed", "tested", "completed", "complete", "agreed",
    "established", "implemented", "implementation", "planned", "planning", "prepared",
    "preparation", "readiness", "resilience", "resilient", "workaround", "workarounds",
    "alternative", "alternate", "secondary", "primary", "remote", "working", "home", "travel",
    "vehicles", "fleet", "warehouse", "distribution", "logistics", "transport", "fuel",
    "water", "cooling", "datacentre", "server", "servers", "cloud", "hosting", "application",
    "applications", "database", "databases", "replication", "replicated", "snapshot",
    "snapshots", "tape", "offsite", "storage", "media", "ransomware", "cyber", "attack",
    "outage", "outages", "failure", "failures", "fire", "flood", "pandemic", "evacuation",
    "shelter", "welfare", "safety", "health", "wellbeing", "people", "personnel", "employees",
    "contractors", "visitors", "public", "regulators", "regulator", "insurance", "legal",
    "regulatory", "compliance", "obligations", "statutory", "financial", "reputational",
    "reputation", "press", "statement", "statements", "stakeholders", "stakeholder",
    "notification", "notify", "notified", "partners", "partner", "vendor", "vendors",
    "outsourced", "third", "agreement", "agreements", "penalties", "escalated", "senior",
    "executive", "committee", "meeting", "meetings", "agenda", "decisions", "decision",
    "approval", "budget", "funding", "costs", "cost", "investment", "lessons", "learned",
    "debrief", "scenario", "scenarios", "tabletop", "simulation", "live", "walkthrough",
    "participants", "observers", "results", "result", "outcome", "outcomes", "gaps", "gap",
    "issues", "issue", "recommendations", "recommendation", "deadline", "target", "targets",
    "achieved", "met", "exceeded", "missed", "restored", "recovered", "resumed", "resumption",
    "normal", "phase", "phases", "initial", "final", "version", "revision", "signed",
    "signature", "date", "dated", "valid", "expiry", "issued", "registration", "accredited",
    "body", "scheme", "sites", "locations", "location", "region", "regional", "national",
    "head", "branch", "branches", "centre", "floor", "room", "rooms", "desk", "desks", "seats",
    "workspace", "equipment", "laptops", "laptop", "phones", "mobile", "radio", "satellite",
    "internet", "connectivity", "bandwidth", "links", "link", "route", "routes", "diverse",
    "redundant", "redundancy", "single", "point", "points", "manual", "automated",
    "automatic", "failover", "switchover", "cutover", "batch", "jobs", "job", "overnight",
    "weekend", "shift", "shifts", "rota", "cover", "standby", "duty", "officer", "officers",
    "gold", "silver", "bronze", "command", "structure", "structures", "framework",
    "programme", "project", "projects", "change", "changes", "configuration", "asset",
    "assets", "inventory", "mail", "post", "printing", "print", "scanning", "archive",
    "archives", "retention", "paper", "forms", "signage", "keys", "access", "badge",
    "badges", "visitor", "reception", "catering", "cleaning", "waste", "heating",
    "ventilation", "lifts", "parking", "roads", "weather", "snow", "storm", "heatwave",
    "strike", "industrial", "supply", "chain", "shortage", "shortages", "stock", "stocks",
    "spares", "parts", "maintenance", "contracted", "inspection", "inspections", "checks",
    "check", "checklist", "checklists", "template", "templates", "forecast", "demand",
    "volume", "volumes", "peak", "season", "seasonal", "quarter", "year", "years", "month",
    "months", "week", "weeks", "day", "hour", "minute", "second", "first", "last", "next",
    "previous", "current", "future", "past", "recent", "latest", "earlier", "later",
};

/* Phrases that business-continuity evidence uses, inserted into the text as they are. */
static const char *const bc_phrases[] = {
    "business impact analysis", "recovery time objective", "recovery point objective",
    "maximum tolerable period of disruption", "minimum business continuity objective",
    "business continuity plan", "business continuity management system",
    "incident management plan", "crisis management team", "risk assessment", "call tree",
    "top management", "internal audit", "management review", "corrective action",
    "lessons learned", "exercise programme", "prioritized activities", "interested parties",
    "work area recovery",
};

static const char *const suppliers[] = {
    "Northwind Logistics Ltd", "Contoso Data Services", "Fabrikam Facilities plc",
    "Tailspin Telecom", "Litware Payroll Bureau", "Adventure Works Print",
    "Proseware Cloud Hosting", "Wingtip Security Group", "Coho Fuel Supplies",
    "Lucerne Insurance Brokers", "Margie Travel Services", "Trey Research Laboratories",
};

static const char *const sites[] = {
    "Leeds data centre", "Bristol head office", "Glasgow contact centre", "Cardiff warehouse",
    "Manchester operations centre", "Belfast branch", "Reading disaster recovery site",
    "Newcastle print room", "Birmingham depot", "Norwich records store",
};

/* Commitment parts: "PARTY MODAL ACTION [DEADLINE]." */
static const char *const parties[] = {
    "The supplier", "Each supplier", "The Board", "Top management", "The BC manager",
    "The IT service desk", "The site lead", "The crisis management team",
    "The facilities team", "The payroll supplier",
};
static const char *const actions[] = {
    "restore the payroll service", "notify the crisis management team",
    "review the business impact analysis", "test the standby generator",
    "update the call tree", "report the outcome to top management",
    "provide replacement workspace for critical staff",
    "maintain a secondary copy of the records", "complete the corrective actions",
    "deliver fuel to the site", "remove backup media from the building",
    "keep the contact list current",
};
static const char *const deadlines[] = {
    "within two hours", "within four hours", "within 24 hours", "annually",
    "every six months", "at least once a year", "by 31 March 2025", "quarterly",
    "within five working days",
};

/* Words that party:WORD queries use (each is a stemmed word of some party above). */
static const char *const party_words[] = {
    "supplier", "board", "management", "manager", "desk", "lead", "team", "facilities",
    "payroll", "northwind", "contoso", "tailspin",
};

typedef struct {
    GPtrArray *words;   /* (element-type utf8) by Zipf rank */
    guint n_function;   /* the first n_function words are function words */
    double *cumulative; /* cumulative Zipf weights, normalised to 1 */
} vocabulary;

/* A made-up rare word ("torvalen"): two to four syllables. */
static char *
rare_word (GRand *r)
{
    static const char *const onsets[] = { "b", "c", "d", "f", "g", "k", "l", "m", "n", "p",
                                          "r", "s", "t", "v", "z", "br", "cr", "dr", "gr",
                                          "pr", "st", "tr", "pl", "sh", "th" };
    static const char *const vowels[] = { "a", "e", "i", "o", "u", "ai", "ea", "ou" };
    static const char *const codas[] = { "", "", "", "n", "r", "l", "s", "x", "nd", "rt" };
    GString *w = g_string_new (NULL);
    int syllables = g_rand_int_range (r, 2, 5);
    for (int i = 0; i < syllables; i++) {
        g_string_append (w, onsets[g_rand_int_range (r, 0, G_N_ELEMENTS (onsets))]);
        g_string_append (w, vowels[g_rand_int_range (r, 0, G_N_ELEMENTS (vowels))]);
    }
    g_string_append (w, codas[g_rand_int_range (r, 0, G_N_ELEMENTS (codas))]);
    return g_string_free (w, FALSE);
}

static vocabulary *
vocabulary_new (void)
{
    vocabulary *v = g_new0 (vocabulary, 1);
    v->words = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint i = 0; i < G_N_ELEMENTS (function_words); i++)
        if (g_hash_table_add (seen, (gpointer) function_words[i]))
            g_ptr_array_add (v->words, g_strdup (function_words[i]));
    v->n_function = v->words->len;
    for (guint i = 0; i < G_N_ELEMENTS (content_words); i++)
        if (g_hash_table_add (seen, (gpointer) content_words[i]))
            g_ptr_array_add (v->words, g_strdup (content_words[i]));
    /* its own seed: the vocabulary does not depend on what else is drawn */
    g_autoptr (GRand) r = g_rand_new_with_seed (BUILD_SEED + 1);
    while (v->words->len < v->n_function + G_N_ELEMENTS (content_words) + RARE_WORDS) {
        char *w = rare_word (r);
        if (g_hash_table_add (seen, w))
            g_ptr_array_add (v->words, w);   /* the set borrows it from the array */
        else
            g_free (w);
    }
    v->cumulative = g_new (double, v->words->len);
    double sum = 0;
    for (guint i = 0; i < v->words->len; i++) {
        sum += 1.0 / pow (i + 1.0, ZIPF_EXPONENT);
        v->cumulative[i] = sum;
    }
    for (guint i = 0; i < v->words->len; i++)
        v->cumulative[i] /= sum;
    return v;
}

static void
vocabulary_free (vocabulary *v)
{
    g_ptr_array_unref (v->words);
    g_free (v->cumulative);
    g_free (v);
}

/* A word drawn by its Zipf weight. */
static const char *
zipf_word (const vocabulary *v, GRand *r)
{
    double x = g_rand_double (r);
    guint lo = 0, hi = v->words->len - 1;
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (v->cumulative[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return g_ptr_array_index (v->words, lo);
}

/* A content word for a query: its rank log-uniform over the content words, so that
 * frequent, middling and rare words are asked for alike. */
static const char *
query_word (const vocabulary *v, GRand *r)
{
    double lo = log (v->n_function + 1.0), hi = log ((double) v->words->len);
    guint rank = (guint) exp (lo + g_rand_double (r) * (hi - lo)) - 1;
    return g_ptr_array_index (v->words, MIN (rank, v->words->len - 1));
}

#define PICK(r, array) ((array)[g_rand_int_range ((r), 0, G_N_ELEMENTS (array))])

/* ---------------------------------------------------------------- build */

typedef struct {
    const vocabulary *vocab;
    const evx_catalog *cat;
    GRand *r;
} generator;

/* One sentence of Zipf words, sometimes with a phrase, a supplier or a site in it. */
static void
append_sentence (generator *g, GString *s)
{
    int n = g_rand_int_range (g->r, 6, 23);
    int insert_at = g_rand_int_range (g->r, 0, n);
    double extra = g_rand_double (g->r);
    gsize start = s->len;
    for (int i = 0; i < n; i++) {
        if (s->len > start)
            g_string_append_c (s, ' ');
        if (i == insert_at && extra < 0.45) {
            g_string_append (s, extra < 0.25   ? PICK (g->r, bc_phrases)
                                : extra < 0.35 ? PICK (g->r, suppliers)
                                               : PICK (g->r, sites));
            continue;
        }
        g_string_append (s, zipf_word (g->vocab, g->r));
    }
    s->str[start] = g_ascii_toupper (s->str[start]);
    g_string_append (s, ". ");
}

/* A commitment sentence, appended to @s and recorded on @p. */
static void
append_commitment (generator *g, GString *s, evx_passage *p)
{
    static const char *const modals[] = { "shall", "shall", "shall", "shall", "will", "will",
                                          "must", "must", "is required to", "agrees to",
                                          "undertakes to" };
    const char *party = g_rand_boolean (g->r) ? PICK (g->r, parties) : PICK (g->r, suppliers);
    const char *modal = PICK (g->r, modals);
    gboolean negated = (strcmp (modal, "shall") == 0 || strcmp (modal, "must") == 0)
                       && g_rand_int_range (g->r, 0, 10) == 0;
    const char *deadline = g_rand_int_range (g->r, 0, 5) ? PICK (g->r, deadlines) : NULL;
    g_autofree char *sentence = g_strdup_printf ("%s %s%s %s%s%s.", party, modal,
                                                 negated ? " not" : "", PICK (g->r, actions),
                                                 deadline ? " " : "", deadline ? deadline : "");
    g_string_append (s, sentence);
    g_string_append_c (s, ' ');
    evx_commitment *c = g_new0 (evx_commitment, 1);
    c->sentence = g_steal_pointer (&sentence);
    c->modal = g_strdup (modal);
    c->negated = negated;
    c->party = g_strdup (party);
    c->deadline = g_strdup (deadline);
    g_ptr_array_add (p->commitments, c);
}

/* Tags @p with @c as the mapper would (title, equivalents; matched for vocabulary). */
static void
tag_clause (evx_passage *p, const evx_clause *c, evx_clause_reason reason, double confidence,
            const char *matched)
{
    evx_clause_tag *t = evx_passage_add_clause (p, c->id, c->edition, c->title, reason,
                                                confidence);
    if (!t)
        return;
    if (c->equivalents[0])
        t->equivalents = g_strdupv ((char **) c->equivalents);
    if (matched) {
        t->matched = g_new0 (char *, 2);
        t->matched[0] = g_strdup (matched);
    }
}

/* One passage: an optional heading, 1 to 5 sentences, clause evidence and sometimes a
 * commitment (340 characters on average; the longest of the 1,000,000-passage index
 * has 964, under EVX_PASSAGE_MAX_CHARS).
 * Clauses: none for 45 % of the passages, else one to three, each cited ("This meets
 * clause 8.4.4 of ISO 22301:2019."), a clause heading the passage starts with, or found
 * by its vocabulary (one of the clause's catalog phrases put into the text). */
static evx_passage *
make_passage (generator *g, int page, glong start, int edition, gboolean may_head)
{
    const GPtrArray *clauses = evx_catalog_clauses (g->cat, edition);
    g_autoptr (GString) s = g_string_new (NULL);
    g_autoptr (GPtrArray) picked = g_ptr_array_new ();
    double x = g_rand_double (g->r);
    int n_clauses = x < 0.45 ? 0 : x < 0.80 ? 1 : x < 0.95 ? 2 : 3;
    for (int i = 0; i < n_clauses; i++)
        g_ptr_array_add (picked, g_ptr_array_index (clauses,
                                                    g_rand_int_range (g->r, 0, clauses->len)));
    evx_clause_reason reasons[3] = { 0 };
    const char *matched[3] = { NULL };
    glong heading_chars = 0;
    for (guint i = 0; i < picked->len; i++) {
        const evx_clause *c = g_ptr_array_index (picked, i);
        double y = g_rand_double (g->r);
        reasons[i] = y < 0.3 ? EVX_CLAUSE_REFERENCE
                     : y < 0.5 && i == 0 && may_head ? EVX_CLAUSE_HEADING
                                                     : EVX_CLAUSE_VOCABULARY;
        if (reasons[i] == EVX_CLAUSE_HEADING) {
            g_string_append_printf (s, "%s %s ", c->id, c->title);
            heading_chars = g_utf8_strlen (s->str, s->len - 1);
        }
        if (reasons[i] == EVX_CLAUSE_VOCABULARY && c->phrases[0]) {
            guint n = g_strv_length ((char **) c->phrases);
            matched[i] = c->phrases[g_rand_int_range (g->r, 0, n)];
        }
    }
    if (!heading_chars && may_head && g_rand_int_range (g->r, 0, 5) == 0) {
        g_string_append_printf (s, "%d. %s arrangements ", g_rand_int_range (g->r, 1, 12),
                                PICK (g->r, bc_phrases));
        heading_chars = g_utf8_strlen (s->str, s->len - 1);
    }
    int sentences = g_rand_int_range (g->r, 1, 6);
    for (int i = 0; i < sentences && s->len < 700; i++)
        append_sentence (g, s);
    for (guint i = 0; i < picked->len; i++) {
        const evx_clause *c = g_ptr_array_index (picked, i);
        if (reasons[i] == EVX_CLAUSE_REFERENCE)
            g_string_append_printf (s, "This meets clause %s of ISO 22301:%d. ", c->id, edition);
        else if (matched[i])
            g_string_append_printf (s, "It covers the %s. ", matched[i]);
    }
    evx_passage *p = evx_passage_new (page, start, start, "");
    if (g_rand_int_range (g->r, 0, 7) == 0)
        append_commitment (g, s, p);
    while (s->len > 0 && s->str[s->len - 1] == ' ')
        g_string_truncate (s, s->len - 1);
    g_free (p->text);
    p->text = g_strdup (s->str);
    p->end = start + g_utf8_strlen (p->text, -1);
    p->is_heading = heading_chars > 0;
    p->heading_chars = heading_chars;
    for (guint i = 0; i < picked->len; i++) {
        const evx_clause *c = g_ptr_array_index (picked, i);
        double conf = reasons[i] == EVX_CLAUSE_REFERENCE ? 0.95
                      : reasons[i] == EVX_CLAUSE_HEADING ? 0.95
                                                         : 0.5 + 0.3 * g_rand_double (g->r);
        tag_clause (p, c, reasons[i], conf, matched[i]);
    }
    return p;
}

static const struct {
    evx_doctype type;
    const char *title;
    int weight;
} kinds[] = {
    { EVX_DOCTYPE_PLAN, "Business continuity plan", 25 },
    { EVX_DOCTYPE_PROCEDURE, "Recovery procedure", 20 },
    { EVX_DOCTYPE_POLICY, "Business continuity policy", 12 },
    { EVX_DOCTYPE_AUDIT_REPORT, "Stage 2 audit report", 20 },
    { EVX_DOCTYPE_CERTIFICATE, "Certificate of registration", 5 },
    { EVX_DOCTYPE_OTHER, "Exercise report", 18 },
};

static char *
iso_date (gint64 unix_seconds)
{
    g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (unix_seconds);
    return g_date_time_format (t, "%Y-%m-%d");
}

/* Document number @n: its kind, title, path, edition, dates and 4 to 16 passages
 * (2 to 4 for a certificate), about 3 to a page. */
static evx_document *
make_document (generator *g, guint n)
{
    int total = 0, pick;
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        total += kinds[i].weight;
    pick = g_rand_int_range (g->r, 0, total);
    guint k = 0;
    while (pick >= kinds[k].weight)
        pick -= kinds[k++].weight;
    const char *site = PICK (g->r, sites);
    static const char *const formats[][2] = {
        { "application/pdf", "pdf" }, { "application/pdf", "pdf" },
        { "application/pdf", "pdf" }, { "application/pdf", "pdf" },
        { "text/html", "html" },
        { "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx" },
    };
    guint fmt = g_rand_int_range (g->r, 0, G_N_ELEMENTS (formats));
    gboolean paged = strcmp (formats[fmt][1], "pdf") == 0;
    g_autofree char *slug = g_ascii_strdown (site, -1);
    g_strdelimit (slug, " ", '-');
    int year = 2015 + g_rand_int_range (g->r, 0, 11);
    g_autofree char *path = g_strdup_printf ("/srv/evidence/%s/%d/%s-%06u.%s", slug, year,
                                             evx_doctype_name (kinds[k].type), n,
                                             formats[fmt][1]);
    evx_document *doc = evx_document_new (path);
    doc->mime_type = g_strdup (formats[fmt][0]);
    doc->title = g_strdup_printf ("%s – %s", kinds[k].title, site);
    doc->author = g_strdup ("BC Office");
    doc->producer = g_strdup (paged ? "Microsoft Word" : NULL);
    g_autoptr (GDateTime) jan1 = g_date_time_new_utc (year, 1, 1, 9, 0, 0);
    doc->created = g_date_time_to_unix (jan1) + g_rand_int_range (g->r, 0, 364) * 86400;
    doc->edition = g_rand_int_range (g->r, 0, 100) < 15 ? 2012 : 2019;
    doc->doc_type = kinds[k].type;
    if (kinds[k].type == EVX_DOCTYPE_CERTIFICATE) {
        evx_certificate *c = g_new0 (evx_certificate, 1);
        c->holder = g_strdup ("Contoso Group plc");
        c->number = g_strdup_printf ("BCMS-%06u", n);
        c->standard = g_strdup ("ISO 22301");
        c->edition = g_strdup_printf ("%d", doc->edition);
        c->issuer = g_strdup ("Lucerne Certification Ltd");
        c->issued = iso_date (doc->created);
        c->first_issued = g_strdup (c->issued);
        c->expires = iso_date (doc->created + 3 * 365 * 86400);
        c->scope = g_strdup_printf ("Business continuity management of the %s", site);
        c->sites = g_new0 (char *, 2);
        c->sites[0] = g_strdup (site);
        doc->certificate = c;
    }
    gboolean cert = kinds[k].type == EVX_DOCTYPE_CERTIFICATE;
    int n_passages = cert ? g_rand_int_range (g->r, 2, 5) : g_rand_int_range (g->r, 4, 17);
    int page = paged ? 1 : 0, on_page = 0;
    glong offset = 0;
    for (int i = 0; i < n_passages; i++) {
        if (paged && on_page >= 3 && g_rand_boolean (g->r)) {
            page++;
            on_page = 0;
            offset = 0;
        }
        evx_passage *p = make_passage (g, page, offset, doc->edition, on_page == 0);
        offset = p->end + 1;
        on_page++;
        g_ptr_array_add (doc->passages, p);
    }
    doc->page_count = paged ? page : 0;
    return doc;
}

/* " shard K/N" for a shard's stamp, "" for the whole index. */
static char *
shard_suffix (const evx_shard_spec *shard)
{
    return shard->n ? g_strdup_printf (" shard %u/%u", shard->k, shard->n) : g_strdup ("");
}

static int
cmd_build (const char *db, guint64 want, const evx_shard_spec *shard)
{
    if (g_file_test (db, G_FILE_TEST_EXISTS)) {
        fprintf (stderr, "search-latency: %s exists; remove it first (build writes a new index)\n",
                 db);
        return 2;
    }
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_catalog) cat = evx_catalog_load (NULL, &error);
    if (!cat) {
        fprintf (stderr, "search-latency: %s\n", error->message);
        return 1;
    }
    g_autoptr (evx_index) idx = evx_index_open (db, EVX_INDEX_WRITE, &error);
    if (!idx) {
        fprintf (stderr, "search-latency: %s\n", error->message);
        return 1;
    }
    vocabulary *vocab = vocabulary_new ();
    generator g = { vocab, cat, g_rand_new_with_seed (BUILD_SEED) };
    gint64 t0 = g_get_monotonic_time (), last_report = t0;
    guint64 passages = 0, kept = 0;   /* generated (all shards), written (this one) */
    guint docs = 0;
    int status = 0;
    g_autofree char *suffix = shard_suffix (shard);
    fprintf (stderr, "search-latency: building %s with at least %" G_GUINT64_FORMAT
                     " passages (vocabulary of %u words)\n",
             db, want, vocab->words->len);
    while (passages < want) {
        evx_document *doc = make_document (&g, docs);
        /* a shard: the same documents as the whole index, those of shard K kept */
        if (shard->n > 0
            && evx_shard_of (evx_shard_relative (doc->path, "/srv/evidence"), shard->n) != shard->k) {
            passages += doc->passages->len;
            docs++;
            evx_document_free (doc);
            if (passages < want)
                continue;
            g_autofree char *stamp = g_strdup_printf (
                "generator %d passages %" G_GUINT64_FORMAT " documents %u requested %"
                G_GUINT64_FORMAT "%s", GENERATOR_VERSION, kept, docs, want, suffix);
            if (!evx_index_set_metadata (idx, METADATA_KEY, stamp, &error)
                || !evx_index_commit (idx, &error)) {
                fprintf (stderr, "search-latency: %s\n", error->message);
                status = 1;
            }
            break;
        }
        g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, doc->path, -1);
        gint64 mtime = doc->created + 86400;
        evx_file_record rec = {
            .path = doc->path, .size = 20000 + 3000 * (gint64) doc->passages->len,
            .mtime = mtime, .sha256 = sha, .mime_type = doc->mime_type, .title = doc->title,
            .author = doc->author, .producer = doc->producer, .created = doc->created,
            .page_count = doc->page_count, .mtime_ns = mtime * G_GINT64_CONSTANT (1000000000),
            .ctime_ns = mtime * G_GINT64_CONSTANT (1000000000), .status = EVX_FILE_INDEXED,
            .edition = doc->edition,
        };
        gboolean ok = evx_index_put_document (idx, doc, &rec, &error);
        passages += doc->passages->len;
        kept += doc->passages->len;
        evx_document_free (doc);
        docs++;
        if (ok && (docs % DOCS_PER_COMMIT == 0 || passages >= want)) {
            if (passages >= want) {
                g_autofree char *stamp = g_strdup_printf (
                    "generator %d passages %" G_GUINT64_FORMAT " documents %u requested %"
                    G_GUINT64_FORMAT "%s", GENERATOR_VERSION, kept, docs, want, suffix);
                ok = evx_index_set_metadata (idx, METADATA_KEY, stamp, &error);
            }
            ok = ok && evx_index_commit (idx, &error);
            gint64 now = g_get_monotonic_time ();
            if (now - last_report > 10 * G_USEC_PER_SEC || passages >= want) {
                fprintf (stderr, "search-latency: %" G_GUINT64_FORMAT " passages, %u documents, "
                                 "%.0f s\n",
                         passages, docs, (now - t0) / 1e6);
                last_report = now;
            }
        }
        if (!ok) {
            fprintf (stderr, "search-latency: %s\n", error->message);
            status = 1;
            break;
        }
    }
    double seconds = (g_get_monotonic_time () - t0) / 1e6;
    g_rand_free (g.r);
    vocabulary_free (vocab);
    if (status == 0)
        printf ("built %s: %" G_GUINT64_FORMAT " passages%s in %.1f s (%.0f passages/s)\n", db,
                kept, suffix, seconds, kept / seconds);
    return status;
}

static int
cmd_check (const char *db, guint64 want, const evx_shard_spec *shard)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_index) idx = evx_index_open (db, EVX_INDEX_READ, &error);
    if (!idx) {
        fprintf (stderr, "search-latency: %s\n", error->message);
        return 1;
    }
    g_autofree char *stamp = evx_index_get_metadata (idx, METADATA_KEY);
    g_autofree char *expect = g_strdup_printf ("generator %d ", GENERATOR_VERSION);
    g_autofree char *suffix = shard_suffix (shard);
    g_autofree char *requested = g_strdup_printf (" requested %" G_GUINT64_FORMAT "%s", want, suffix);
    if (!stamp || !g_str_has_prefix (stamp, expect) || !g_str_has_suffix (stamp, requested)) {
        fprintf (stderr, "search-latency: %s is not a complete index of generator %d for %"
                         G_GUINT64_FORMAT " passages (it says: %s)\n",
                 db, GENERATOR_VERSION, want, stamp ? stamp : "nothing");
        return 1;
    }
    printf ("%s: %s\n", db, stamp);
    return 0;
}

/* ---------------------------------------------------------------- queries */

typedef enum {
    Q_TERM,          /* one word */
    Q_TWO_WORDS,     /* two words, both required */
    Q_PHRASE,        /* "a quoted phrase" */
    Q_CLAUSE,        /* a word and --clause ID */
    Q_CLAUSE_ONLY,   /* --clause ID alone: every passage of a clause */
    Q_CLAUSE_FIELD,  /* a word and clause:ID in the query */
    Q_COMMITMENTS,   /* a word and --commitments */
    Q_MODAL_PARTY,   /* modal:KEY party:WORD [word] */
    N_KINDS,
} query_kind;

static const char *const kind_names[N_KINDS] = {
    "term", "two-words", "phrase", "clause", "clause-only", "clause-field", "commitments",
    "modal-party",
};
/* shares of the queries, in per cent */
static const int kind_weights[N_KINDS] = { 30, 15, 15, 10, 5, 10, 8, 7 };

typedef struct {
    query_kind kind;
    char *query;   /* as given to evidex search (nullable: --clause alone) */
    char *clause;  /* --clause, or NULL */
    gboolean commitments;
    char *plain;   /* the query in plain Xapian syntax, without evidex's fields ("" when
                    * it has no words) */
} bench_query;

static void
bench_query_clear (bench_query *q)
{
    g_free (q->query);
    g_free (q->clause);
    g_free (q->plain);
}

static GArray *
make_queries (guint n, guint32 seed, const vocabulary *v, const evx_catalog *cat)
{
    static const char *const modal_keys[] = { "shall", "shall", "will", "must", "required" };
    GArray *out = g_array_sized_new (FALSE, TRUE, sizeof (bench_query), n);
    g_array_set_clear_func (out, (GDestroyNotify) bench_query_clear);
    g_autoptr (GRand) r = g_rand_new_with_seed (seed);
    const GPtrArray *clauses = evx_catalog_clauses (cat, 2019);
    for (guint i = 0; i < n; i++) {
        bench_query q = { 0 };
        int x = g_rand_int_range (r, 0, 100);
        q.kind = 0;
        while (x >= kind_weights[q.kind])
            x -= kind_weights[q.kind++];
        const char *word = query_word (v, r);
        const evx_clause *c = g_ptr_array_index (clauses, g_rand_int_range (r, 0, clauses->len));
        switch (q.kind) {
        case Q_TERM:
            q.plain = g_strdup (word);
            q.query = g_strdup (word);
            break;
        case Q_TWO_WORDS:
            q.plain = g_strdup_printf ("%s %s", word, query_word (v, r));
            q.query = g_strdup (q.plain);
            break;
        case Q_PHRASE: {
            int y = g_rand_int_range (r, 0, 10);
            q.plain = g_strdup_printf ("\"%s\"", y < 6   ? PICK (r, bc_phrases)
                                                 : y < 8 ? PICK (r, suppliers)
                                                         : PICK (r, sites));
            q.query = g_strdup (q.plain);
            break;
        }
        case Q_CLAUSE:
            q.plain = g_strdup (word);
            q.query = g_strdup (word);
            q.clause = g_strdup (c->id);
            break;
        case Q_CLAUSE_ONLY:
            q.plain = g_strdup ("");
            q.clause = g_strdup (c->id);
            break;
        case Q_CLAUSE_FIELD:
            q.plain = g_strdup (word);
            q.query = g_strdup_printf ("%s clause:%s", word, c->id);
            break;
        case Q_COMMITMENTS:
            q.plain = g_strdup (word);
            q.query = g_strdup (word);
            q.commitments = TRUE;
            break;
        case Q_MODAL_PARTY: {
            const char *key = PICK (r, modal_keys), *party = PICK (r, party_words);
            gboolean with_word = g_rand_boolean (r);
            q.plain = g_strdup (with_word ? word : "");
            q.query = g_strdup_printf ("%s%smodal:%s party:%s", with_word ? word : "",
                                       with_word ? " " : "", key, party);
            break;
        }
        case N_KINDS:
            g_assert_not_reached ();
        }
        g_array_append_val (out, q);
    }
    return out;
}

/* The command line `evidex search` would be given for @q (for messages). */
static char *
describe (const bench_query *q)
{
    g_autofree char *quoted = q->query ? g_shell_quote (q->query) : NULL;
    return g_strdup_printf ("%s%s%s%s%s", q->clause ? "--clause " : "",
                            q->clause ? q->clause : "", q->clause && q->query ? " " : "",
                            q->commitments ? "--commitments " : "", quoted ? quoted : "");
}

typedef struct {
    double ms;
    guint hits;
    guint64 total;
} timing;

/* One search as `evidex search` runs it: the query normalised, then evx_index_search
 * (which parses, filters, counts, decodes the stored data and makes the snippets). */
static gboolean
run_query (evx_index *idx, const bench_query *q, timing *t, GError **error)
{
    gint64 t0 = g_get_monotonic_time ();
    g_autofree char *normal = q->query ? evx_normalise_text (q->query, -1, NULL) : NULL;
    evx_search_request req = { .query = normal, .clause = q->clause, .edition = 2019,
                               .doc_type = NULL, .commitments = q->commitments, .offset = 0,
                               .limit = SEARCH_LIMIT };
    evx_results *res = evx_index_search (idx, &req, error);
    if (!res)
        return FALSE;
    t->hits = res->hits->len;
    t->total = res->total;
    evx_results_free (res);
    t->ms = (g_get_monotonic_time () - t0) / 1000.0;
    return TRUE;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* The nearest-rank percentile @p (0 < p <= 100) of @sorted. */
static double
percentile (const GArray *sorted, double p)
{
    if (sorted->len == 0)
        return 0;
    guint rank = (guint) ceil (p / 100.0 * sorted->len);
    return g_array_index (sorted, double, MAX (rank, 1) - 1);
}

static void
print_row (const char *name, GArray *ms, guint64 hits, guint64 total)
{
    if (ms->len == 0)
        return;
    g_array_sort (ms, compare_double);
    double sum = 0;
    for (guint i = 0; i < ms->len; i++)
        sum += g_array_index (ms, double, i);
    printf ("%-13s %7u %8.2f %8.2f %8.2f %8.2f %8.2f %6.1f %10.0f\n", name, ms->len,
            percentile (ms, 50), percentile (ms, 90), percentile (ms, 99),
            g_array_index (ms, double, ms->len - 1), sum / ms->len, (double) hits / ms->len,
            (double) total / ms->len);
}

static int
compare_slowest (gconstpointer a, gconstpointer b, gpointer data)
{
    const timing *t = data;
    double x = t[*(const guint *) a].ms, y = t[*(const guint *) b].ms;
    return x > y ? -1 : x < y;
}

/* Reads every file of the index folder once, so that the timed queries find it in the
 * OS page cache (what a search server that has been running a while sees).
 * Returns: the bytes read. */
static guint64
warm_page_cache (const char *db)
{
    guint64 bytes = 0;
    g_autoptr (GDir) dir = g_dir_open (db, 0, NULL);
    const char *name;
    static char buf[1 << 20];
    while (dir && (name = g_dir_read_name (dir))) {
        g_autofree char *path = g_build_filename (db, name, NULL);
        FILE *f = g_file_test (path, G_FILE_TEST_IS_REGULAR) ? fopen (path, "rb") : NULL;
        if (!f)
            continue;
        for (size_t got; (got = fread (buf, 1, sizeof buf, f)) > 0;)
            bytes += got;
        fclose (f);
    }
    return bytes;
}

static int
cmd_query (const char *db, guint n)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_catalog) cat = evx_catalog_load (NULL, &error);
    if (!cat) {
        fprintf (stderr, "search-latency: %s\n", error->message);
        return 1;
    }
    g_autoptr (evx_index) idx = evx_index_open_read (db, NULL, &error);
    guint64 files = 0, passages = 0;
    if (!idx || !evx_index_counts (idx, &files, &passages, &error)) {
        fprintf (stderr, "search-latency: %s\n", error->message);
        return 1;
    }
    vocabulary *vocab = vocabulary_new ();
    g_autoptr (GArray) warmup = make_queries (WARMUP_QUERIES, WARMUP_SEED, vocab, cat);
    g_autoptr (GArray) queries = make_queries (n, QUERY_SEED, vocab, cat);
    vocabulary_free (vocab);
    guint64 warm = 0;
    g_auto (GStrv) folders = evx_index_local_folders (idx);   /* none for remote shards */
    for (guint i = 0; folders[i]; i++)
        warm += warm_page_cache (folders[i]);
    fprintf (stderr, "search-latency: read the index files (%.0f MiB) into the page cache; %u "
                     "warm-up queries, then %u timed queries on %s\n",
             warm / 1048576.0, WARMUP_QUERIES, n, db);
    timing t;
    for (guint i = 0; i < warmup->len; i++)
        if (!run_query (idx, &g_array_index (warmup, bench_query, i), &t, &error)) {
            fprintf (stderr, "search-latency: warm-up query: %s\n", error->message);
            return 1;
        }
    g_autofree timing *times = g_new0 (timing, n);
    gint64 t0 = g_get_monotonic_time ();
    for (guint i = 0; i < n; i++) {
        const bench_query *q = &g_array_index (queries, bench_query, i);
        if (!run_query (idx, q, &times[i], &error)) {
            g_autofree char *what = describe (q);
            fprintf (stderr, "search-latency: query %u (%s): %s\n", i + 1, what, error->message);
            return 1;
        }
        if ((i + 1) % 200 == 0 && i + 1 < n)
            fprintf (stderr, "search-latency: %u of %u queries\n", i + 1, n);
    }
    double seconds = (g_get_monotonic_time () - t0) / 1e6;

    printf ("search latency, in-process: %u queries on %s (%" G_GUINT64_FORMAT " passages, %"
            G_GUINT64_FORMAT " files)\n",
            n, db, passages, files);
    printf ("each query: NFKC normalisation + evx_index_search (parse, filters, exact count up "
            "to %d, stored data, snippets), limit %d;\nindex opened once, its files read into "
            "the page cache first, %d warm-up queries; wall time per query\n\n",
            EVX_EXACT_TOTAL, SEARCH_LIMIT, WARMUP_QUERIES);
    printf ("%-13s %7s %8s %8s %8s %8s %8s %6s %10s\n", "kind", "queries", "p50 ms", "p90 ms",
            "p99 ms", "max ms", "mean ms", "hits", "matches");
    g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
    guint64 all_hits = 0, all_total = 0;
    for (int k = 0; k < N_KINDS; k++) {
        g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
        guint64 hits = 0, total = 0;
        for (guint i = 0; i < n; i++) {
            if (g_array_index (queries, bench_query, i).kind != (query_kind) k)
                continue;
            g_array_append_val (ms, times[i].ms);
            hits += times[i].hits;
            total += times[i].total;
        }
        g_array_append_vals (all, ms->data, ms->len);
        all_hits += hits;
        all_total += total;
        print_row (kind_names[k], ms, hits, total);
    }
    print_row ("overall", all, all_hits, all_total);
    printf ("(hits: mean hits returned; matches: mean matching passages, exact up to %d)\n",
            EVX_EXACT_TOTAL);
    printf ("%u queries in %.2f s (%.0f queries/s, one thread)\n\n", n, seconds, n / seconds);

    g_autofree guint *order = g_new (guint, n);
    for (guint i = 0; i < n; i++)
        order[i] = i;
    g_qsort_with_data (order, n, sizeof (guint), compare_slowest, times);
    printf ("slowest queries:\n");
    for (guint i = 0; i < MIN (n, 5u); i++) {
        const bench_query *q = &g_array_index (queries, bench_query, order[i]);
        g_autofree char *what = describe (q);
        printf ("  %8.2f ms  %-12s %-40s %" G_GUINT64_FORMAT " matches\n", times[order[i]].ms,
                kind_names[q->kind], what, times[order[i]].total);
    }
    return 0;
}

static int
cmd_queries (const char *file, guint n)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (evx_catalog) cat = evx_catalog_load (NULL, &error);
    if (!cat) {
        fprintf (stderr, "search-latency: %s\n", error->message);
        return 1;
    }
    vocabulary *vocab = vocabulary_new ();
    g_autoptr (GArray) queries = make_queries (n, QUERY_SEED, vocab, cat);
    vocabulary_free (vocab);
    g_autoptr (GString) out = g_string_new (NULL);
    for (guint i = 0; i < n; i++) {
        const bench_query *q = &g_array_index (queries, bench_query, i);
        g_string_append_printf (out, "%s\t%s\t%s\t%s\t%d\n", kind_names[q->kind], q->plain,
                                q->query ? q->query : "", q->clause ? q->clause : "",
                                q->commitments ? 1 : 0);
    }
    if (!g_file_set_contents (file, out->str, out->len, &error)) {
        fprintf (stderr, "search-latency: %s\n", error->message);
        return 1;
    }
    fprintf (stderr, "search-latency: wrote %u queries to %s\n", n, file);
    return 0;
}

/* ---------------------------------------------------------------- main */

static void
usage (FILE *to)
{
    fprintf (to,
             "Usage: search-latency build DB PASSAGES [K/N]\n"
             "       search-latency check DB PASSAGES [K/N]\n"
             "       search-latency query DB [N]\n"
             "       search-latency queries FILE [N]\n"
             "\n"
             "The search-latency benchmark of evidex (scripts/bench-search runs it).\n"
             "\n"
             "  build    writes a new index at DB (which must not exist) of at least PASSAGES\n"
             "           synthetic business-continuity passages (about 10 to a document),\n"
             "           through evidex's index API, from a fixed seed: the same PASSAGES\n"
             "           always give the same index.  Commits every %d documents; prints\n"
             "           the passages written and the time taken.  With K/N, generates\n"
             "           the same documents but writes only those of shard K of N (by\n"
             "           the path below /srv/evidence, as `ingest --shard` cuts).\n"
             "  check    exit status 0 when DB is a complete index written by `build` of\n"
             "           this version for PASSAGES, 1 otherwise.\n"
             "  query    opens DB (an index folder or a stub database file) once, reads its files once (into the OS page cache), runs\n"
             "           %d uncounted warm-up queries, then times N (default %d) fixed\n"
             "           queries as `evidex search` runs them (normalised query,\n"
             "           evx_index_search with snippets, limit %d) and prints p50, p90, p99\n"
             "           and max wall time in ms per kind of query and overall: single terms,\n"
             "           two words, \"phrases\", --clause ID with a word, --clause ID alone,\n"
             "           clause:ID in the query, --commitments with a word, and\n"
             "           modal:KEY party:WORD [word].\n"
             "  queries  writes the same N queries to FILE, one a line, tab-separated: KIND,\n"
             "           the query in plain Xapian syntax without evidex's fields and filters\n"
             "           (for Xapian's quest; empty for a query that has only those), the\n"
             "           query as evidex search gets it (empty with --clause alone), the\n"
             "           --clause ID (or empty) and 1 for --commitments (else 0).\n",
             DOCS_PER_COMMIT, WARMUP_QUERIES, DEFAULT_QUERIES, SEARCH_LIMIT);
}

/* A positive count, or 0 when @s is not one. */
static guint64
parse_count (const char *s)
{
    guint64 v = 0;
    if (!g_ascii_string_to_unsigned (s, 10, 1, G_MAXUINT32, &v, NULL))
        return 0;
    return v;
}

int
main (int argc, char **argv)
{
    if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)) {
        usage (stdout);
        return 0;
    }
    const char *mode = argc >= 2 ? argv[1] : "";
    gboolean two_args = strcmp (mode, "build") == 0 || strcmp (mode, "check") == 0;
    gboolean optional = strcmp (mode, "query") == 0 || strcmp (mode, "queries") == 0;
    if (!(two_args && (argc == 4 || argc == 5)) && !(optional && (argc == 3 || argc == 4))) {
        usage (stderr);
        return 2;
    }
    evx_shard_spec shard = { 0, 0 };
    if (argc == 5 && !evx_shard_parse (argv[4], &shard)) {
        fprintf (stderr, "search-latency: '%s' is not a shard K/N\n", argv[4]);
        return 2;
    }
    guint64 count = argc >= 4 ? parse_count (argv[3]) : DEFAULT_QUERIES;
    if (count == 0) {
        fprintf (stderr, "search-latency: '%s' is not a positive number\n", argv[3]);
        return 2;
    }
    if (strcmp (mode, "build") == 0)
        return cmd_build (argv[2], count, &shard);
    if (strcmp (mode, "check") == 0)
        return cmd_check (argv[2], count, &shard);
    if (strcmp (mode, "query") == 0)
        return cmd_query (argv[2], (guint) count);
    return cmd_queries (argv[2], (guint) count);
}
