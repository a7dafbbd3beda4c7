/*
 * make-bench-corpus.c - the synthetic corpus of scripts/bench: N multi-page
 * business-continuity documents, written as corpus/make-pdf.c sources.
 *
 *   usage: make-bench-corpus [--files N] SRC_DIR PDF_DIR
 *          make-bench-corpus --version
 *   build: cc -std=c11 -O2 -Wall -Wextra make-bench-corpus.c $(pkg-config --cflags --libs glib-2.0)
 *
 * For document i (0 <= i < N, default N = 2000) it writes the make-pdf source
 * SRC_DIR/unit-FF/IIII-KIND.txt (FF = i / 100: folders of 100 documents),
 * creates the folder PDF_DIR/unit-FF and prints on stdout the pair
 * "SOURCE\0OUTPUT\0" (OUTPUT = PDF_DIR/unit-FF/IIII-KIND.pdf), ready for
 * `xargs -0 -n 200 make-pdf` (make-pdf takes any number of such pairs).
 * SRC_DIR/pages.tsv lists every output with the number of pages it is made
 * of; the total is printed on stderr.  Nothing else goes into PDF_DIR.
 *
 * Documents are audit reports, business continuity plans, business impact
 * analyses, exercise reports, policies, management review minutes, supplier
 * continuity schedules and risk assessments of fictional organisations: a
 * title page with a document-control table, then sections headed by ISO
 * 22301:2019 clauses ("8.2.2 Business impact analysis") holding paragraphs
 * made from a vocabulary of business-continuity sentences (RTO, MTPD,
 * exercise programme, nonconformities, "The supplier shall restore ... within
 * four hours", dates), tables (BIA, findings, contacts, actions) and bullet
 * lists.  Each document has 4 to 6 pages, separated by explicit @page breaks;
 * a page holds about three quarters of what fits, so that make-pdf never
 * breaks a page by itself and the page counts in pages.tsv are the pages of
 * the PDFs (scripts/bench checks this against the floor's count).
 *
 * Deterministic: document i is drawn from a GRand seeded with (SEED, i), so
 * the sources are the same on every run and every machine, and the first N
 * documents do not depend on how many are asked for; make-pdf turns them
 * into byte-identical PDFs on systems with the same fonts, pango and cairo.
 * GENERATOR_VERSION names the corpus (scripts/bench caches it as
 * corpus-vVERSION-N): change it whenever the output changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#define GENERATOR_VERSION 1
#define SEED 22301u
#define DEFAULT_FILES 2000
#define FILES_PER_FOLDER 100
#define MIN_PAGES 4
#define MAX_PAGES 6

#define N_OF(a) (sizeof (a) / sizeof *(a))
#define PICK(r, a) ((a)[g_rand_int_range ((r), 0, (gint32) N_OF (a))])

/* ------------------------------------------------------------ vocabulary */

static const char *const org_first[] = {
    "Northgate", "Harbourside", "Ashdown", "Kingsmere", "Fenwick", "Calder", "Brackenridge",
    "Westholme", "Ravensworth", "Thistledown", "Marlow", "Oakhurst", "Pennine", "Solent",
    "Tamar", "Wychwood", "Elmstead", "Greyfriars", "Lowther", "Carrick",
};
static const char *const org_second[] = {
    "Logistics", "Healthcare", "Water", "Insurance", "Building Society", "Foods",
    "Energy", "Transport", "Pharmaceuticals", "Telecom", "Housing", "Engineering",
};
static const char *const org_third[] = { "Ltd", "plc", "Group", "Services Ltd", "Holdings" };

static const char *const first_names[] = {
    "Alice", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hamish", "Imogen", "James",
    "Kiran", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys", "Sofia", "Tom", "Yusuf",
};
static const char *const last_names[] = {
    "Ahmed", "Brennan", "Clarke", "Dawson", "Evans", "Fraser", "Gill", "Hughes", "Iqbal",
    "Jones", "Kaur", "Lewis", "Morgan", "Nolan", "Okafor", "Patel", "Quinn", "Reid", "Shaw",
    "Turner",
};
static const char *const roles[] = {
    "Business Continuity Manager", "Head of IT Operations", "Chief Operating Officer",
    "Facilities Manager", "Head of Procurement", "Risk and Compliance Officer",
    "Incident Manager", "HR Director", "Customer Services Manager", "Information Security Lead",
};
static const char *const suppliers[] = {
    "Brightwater Data Centres", "Kestrel Telecom", "Meridian Payroll Services",
    "Ironbridge Facilities", "Skylark Cloud Hosting", "Portway Couriers",
    "Aldgate Recovery Suites", "Northern Fuel Supplies", "Copperfield Print",
    "Vantage Contact Centres",
};
static const char *const services[] = {
    "data centre hosting", "wide area network", "payroll processing", "cleaning and security",
    "cloud infrastructure", "courier", "work area recovery", "generator fuel", "printing",
    "overflow call handling",
};
static const char *const activities[] = {
    "payroll processing", "the customer contact centre", "order fulfilment",
    "claims handling", "treasury payments", "patient scheduling", "fleet dispatch",
    "billing", "supplier payments", "network operations", "regulatory reporting",
    "warehouse picking",
};
static const char *const sites[] = {
    "Leeds", "Bristol", "Manchester", "Glasgow", "Cardiff", "Reading", "Norwich",
    "Belfast", "Milton Keynes", "Southampton", "Newcastle", "Exeter",
};
static const char *const systems[] = {
    "ERP", "telephony", "payroll", "CRM", "warehouse management", "email", "document management",
    "finance", "scheduling", "SCADA",
};
static const char *const durations[] = {
    "two hours", "four hours", "eight hours", "12 hours", "24 hours", "48 hours",
    "two working days", "three days", "five working days",
};
static const char *const rpos[] = { "15 minutes", "one hour", "four hours", "24 hours" };
static const char *const months[] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
};
static const char *const documents[] = {
    "business impact analysis", "business continuity plan", "call tree", "risk register",
    "exercise schedule", "supplier register", "training matrix", "communication plan",
};
static const char *const grades[] = { "Minor", "Major", "Observation", "Opportunity" };
static const char *const findings[] = {
    "Contact list not updated after staff changes",
    "BIA not reviewed within the planned interval",
    "No evidence of a failover test of the ERP platform",
    "Supplier continuity arrangements not assessed",
    "Exercise lessons not tracked to closure",
    "Objectives lack measurable targets",
    "Awareness training records incomplete",
    "Recovery procedure refers to a retired system",
    "Management review inputs incomplete",
    "Risk treatment owners not assigned",
};
static const char *const actions[] = {
    "Update the call tree and test it",
    "Repeat the failover test of the telephony platform",
    "Review the BIA with activity owners",
    "Add continuity clauses to the courier contract",
    "Publish the revised policy on the intranet",
    "Train the deputy incident managers",
    "Confirm fuel delivery arrangements for the generator",
    "Close the actions from the last exercise",
};

/* Sentence templates; {slot} names are filled in by expand().  "general"
 * sentences go anywhere, the others mostly under clauses of their topic. */
enum topic { T_GENERAL, T_CONTEXT, T_LEADERSHIP, T_SUPPORT, T_BIA, T_STRATEGY, T_PLAN,
             T_EXERCISE, T_AUDIT, T_IMPROVE, N_TOPICS };

static const char *const sentences[N_TOPICS][8] = {
    [T_GENERAL] = {
        "The {role} reviewed the arrangements for {activity} on {date} and confirmed that they remain fit for purpose.",
        "Records of the review are held in the document management system under reference {ref}.",
        "This document is reviewed annually and after any significant change to {org}, its sites or its suppliers.",
        "Copies of this document are held at the {site} and {site2} sites and in the secure online repository.",
        "The {role2} is responsible for keeping the contact details in this document current.",
        "Any deviation from this document must be approved by the {role} and recorded in the change log.",
        "The figures in this section were confirmed with the activity owners between {date} and {date2}.",
        "Questions about this document should be addressed to {person}, {role}.",
    },
    [T_CONTEXT] = {
        "The scope of the BCMS covers {activity} and {activity2} at the {site} and {site2} sites.",
        "Interested parties include customers, regulators, employees and suppliers such as {supplier}.",
        "Legal and regulatory requirements are recorded in the compliance register, last reviewed on {date}.",
        "Activities performed at the {site3} site are excluded from the scope, because they are outsourced to {supplier}.",
        "The context analysis identified dependency on {supplier} for {service} as a key external issue.",
        "Internal issues include the migration of the {system} system and the move of staff to hybrid working.",
        "The organisation must meet the contractual obligation to resume {activity} within {dur}.",
        "The scope statement was approved by the board on {date} and published on the intranet.",
    },
    [T_LEADERSHIP] = {
        "Top management approved the business continuity policy on {date} and committed the resources needed.",
        "The {role} is accountable to the board for the performance of the business continuity management system.",
        "The business continuity policy is communicated to all staff at induction and is available to interested parties.",
        "The steering committee meets quarterly, chaired by the {role}.",
        "Roles, responsibilities and authorities for business continuity are set out in the RACI chart in appendix {n}.",
        "Each plan owner has a named deputy who can act with the same authority during a disruption.",
        "{org} is committed to the continual improvement of the business continuity management system.",
        "Business continuity objectives are reviewed at each management review and reported to the board.",
    },
    [T_SUPPORT] = {
        "Staff at the {site} site completed business continuity awareness training, with {pct} per cent attendance.",
        "{n} members of the incident management team hold a recognised business continuity qualification.",
        "The annual budget for business continuity is agreed with the {role} and covers {n} exercises a year.",
        "Documented information is version controlled and retained for six years after it is superseded.",
        "The communication plan sets out what is communicated, when, to whom and by whom.",
        "The training matrix was last updated on {date} and shows {k} of {n} role holders fully trained.",
        "New starters receive a briefing on their role before, during and after a disruption.",
        "Obsolete versions of plans are withdrawn from the shared drive and archived.",
    },
    [T_BIA] = {
        "The business impact analysis identified {n} prioritized activities, of which {k} have a recovery time objective of less than 24 hours.",
        "The maximum tolerable period of disruption for {activity} is {dur}, and its recovery time objective is {dur2}.",
        "The recovery point objective for the {system} system is {rpo}.",
        "The impact of a disruption to {activity} rises from financial loss after four hours to regulatory breach after {dur}.",
        "The risk assessment rated the loss of the {site} building as likely, with a major impact on {activity}.",
        "Single points of failure include the {system} system and the sole supplier of {service}, {supplier}.",
        "The minimum business continuity objective for {activity} is {pct} per cent of normal volumes.",
        "The risk register was reviewed on {date}; {k} risks are above the agreed risk appetite.",
    },
    [T_STRATEGY] = {
        "Work area recovery is provided by {supplier} at {site2}, with {n} seats available within {dur}.",
        "The {system} system is replicated to a second data centre every {rpo}, which meets the recovery point objective.",
        "The supplier shall restore the {service} service within {dur} of a declared disruption.",
        "{supplier} shall notify the organisation of any incident affecting the {service} service within two hours.",
        "Staff can work from home for up to {n} days, using laptops and the remote access service.",
        "A second supplier of {service} was contracted on {date} to remove a single point of failure.",
        "The selected strategy was approved by top management after a cost-benefit analysis.",
        "Resource requirements for recovery include {n} staff, the {system} system and access to the {site} site.",
    },
    [T_PLAN] = {
        "The incident management team is convened by the {role} within {dur} of an alert.",
        "The plan is invoked when an incident is expected to disrupt {activity} for longer than {dur}.",
        "On invocation, the {role2} opens the incident log and starts the call tree.",
        "The crisis communications lead prepares a holding statement for customers and the media within one hour.",
        "Recovery procedures for {activity} are set out in section {clause2} of this plan.",
        "Staff must not speak to the media; all enquiries are passed to the communications team.",
        "The plan is stood down by the {role} once normal service levels for {activity} have been restored.",
        "Emergency contact numbers for the {site} site are listed in the contact table below.",
    },
    [T_EXERCISE] = {
        "The exercise programme for {year} includes a tabletop exercise, a call tree test and a failover test of the {system} system.",
        "The call tree test on {date} reached {k} of {n} staff within 30 minutes.",
        "The tabletop exercise on {date} simulated the loss of the {site} site for {dur}.",
        "The failover of the {system} system completed in {mins} minutes, within the recovery time objective.",
        "Lessons learned from the exercise were recorded in the action log and assigned to owners.",
        "Participants agreed that the escalation route to the {role} was clear.",
        "The exercise showed that the contact list for {supplier} was out of date.",
        "A post-exercise report was issued on {date2} and presented to the steering committee.",
    },
    [T_AUDIT] = {
        "The auditor sampled {n} business continuity plans and found that {k} had current contact lists.",
        "A minor nonconformity was raised against clause {clause} because the {doc} had not been reviewed since {date}.",
        "Evidence of the management review held on {date} was presented, including minutes and the action tracker.",
        "The audit programme covers every clause of ISO 22301:2019 over a three-year cycle.",
        "Internal audits are carried out by trained auditors who are independent of the area audited.",
        "No major nonconformities were identified during this audit.",
        "The audit team interviewed the {role} and {n} plan owners at the {site} site.",
        "The auditor recommends continued certification, subject to the closure of the findings below.",
    },
    [T_IMPROVE] = {
        "Corrective action {ref} is due for completion by {date} and is owned by the {role}.",
        "The root cause of the nonconformity was a gap in the handover between plan owners.",
        "Opportunities for improvement from the last exercise have been added to the improvement register.",
        "The effectiveness of corrective actions is checked at the next internal audit.",
        "{k} of {n} corrective actions raised in {year} were closed on time.",
        "Management review outputs included a decision to extend the BCMS to the {site2} site.",
        "The review considered changes in external issues, the results of exercises and the status of actions.",
        "Nonconformities and the actions taken are retained as documented information.",
    },
};

struct clause {
    const char *id, *title;
    enum topic topic;
};

static const struct clause clauses[] = {
    { "4.1", "Understanding the organization and its context", T_CONTEXT },
    { "4.2", "Understanding the needs and expectations of interested parties", T_CONTEXT },
    { "4.3", "Determining the scope of the business continuity management system", T_CONTEXT },
    { "5.1", "Leadership and commitment", T_LEADERSHIP },
    { "5.2", "Policy", T_LEADERSHIP },
    { "5.3", "Roles, responsibilities and authorities", T_LEADERSHIP },
    { "6.1", "Actions to address risks and opportunities", T_BIA },
    { "6.2", "Business continuity objectives and planning to achieve them", T_LEADERSHIP },
    { "7.1", "Resources", T_SUPPORT },
    { "7.2", "Competence", T_SUPPORT },
    { "7.3", "Awareness", T_SUPPORT },
    { "7.4", "Communication", T_SUPPORT },
    { "7.5", "Documented information", T_SUPPORT },
    { "8.1", "Operational planning and control", T_STRATEGY },
    { "8.2.2", "Business impact analysis", T_BIA },
    { "8.2.3", "Risk assessment", T_BIA },
    { "8.3", "Business continuity strategies and solutions", T_STRATEGY },
    { "8.4.2", "Response structure", T_PLAN },
    { "8.4.3", "Warning and communication", T_PLAN },
    { "8.4.4", "Business continuity plans", T_PLAN },
    { "8.4.5", "Recovery", T_PLAN },
    { "8.5", "Exercise programme", T_EXERCISE },
    { "8.6", "Evaluation of business continuity documentation and capabilities", T_EXERCISE },
    { "9.1", "Monitoring, measurement, analysis and evaluation", T_AUDIT },
    { "9.2", "Internal audit", T_AUDIT },
    { "9.3", "Management review", T_IMPROVE },
    { "10.1", "Nonconformity and corrective action", T_IMPROVE },
    { "10.2", "Continual improvement", T_IMPROVE },
};

enum table_kind { TB_BIA, TB_FINDINGS, TB_CONTACTS, TB_ACTIONS, TB_SUPPLIERS, TB_OBJECTIVES,
                  TB_TIMELINE };

struct kind {
    const char *slug, *title;
    enum topic topics[3];  /* the topics its sections favour */
    enum table_kind tables[2];
};

static const struct kind kinds[] = {
    { "stage2-audit-report", "Stage 2 audit report", { T_AUDIT, T_IMPROVE, T_PLAN },
      { TB_FINDINGS, TB_ACTIONS } },
    { "surveillance-audit-report", "Surveillance audit report", { T_AUDIT, T_EXERCISE, T_IMPROVE },
      { TB_FINDINGS, TB_ACTIONS } },
    { "bc-plan", "Business continuity plan", { T_PLAN, T_STRATEGY, T_BIA },
      { TB_CONTACTS, TB_BIA } },
    { "bia-report", "Business impact analysis", { T_BIA, T_STRATEGY, T_CONTEXT },
      { TB_BIA, TB_SUPPLIERS } },
    { "exercise-report", "Exercise report", { T_EXERCISE, T_PLAN, T_IMPROVE },
      { TB_TIMELINE, TB_ACTIONS } },
    { "bc-policy", "Business continuity policy", { T_LEADERSHIP, T_CONTEXT, T_SUPPORT },
      { TB_OBJECTIVES, TB_CONTACTS } },
    { "management-review-minutes", "Management review minutes", { T_IMPROVE, T_LEADERSHIP, T_AUDIT },
      { TB_ACTIONS, TB_OBJECTIVES } },
    { "supplier-continuity-schedule", "Supplier continuity schedule", { T_STRATEGY, T_CONTEXT, T_BIA },
      { TB_SUPPLIERS, TB_CONTACTS } },
    { "risk-assessment", "Business continuity risk assessment", { T_BIA, T_CONTEXT, T_STRATEGY },
      { TB_BIA, TB_ACTIONS } },
};

/* ------------------------------------------------------------- drawing */

struct gen {
    GRand *r;
    char *org, *ref;
    int year;
};

static int rint_in (GRand *r, int lo, int hi) /* lo..hi inclusive */
{
    return g_rand_int_range (r, lo, hi + 1);
}

static void add_date (struct gen *g, GString *out)
{
    int y = g->year - rint_in (g->r, 0, 1), m = rint_in (g->r, 0, 11), d = rint_in (g->r, 1, 28);
    if (g_rand_boolean (g->r))
        g_string_append_printf (out, "%d %s %d", d, months[m], y);
    else
        g_string_append_printf (out, "%04d-%02d-%02d", y, m + 1, d);
}

static void add_person (struct gen *g, GString *out)
{
    g_string_append_printf (out, "%s %s", PICK (g->r, first_names), PICK (g->r, last_names));
}

/* Append TEMPLATE with its {slots} filled in. */
static void expand (struct gen *g, GString *out, const char *tmpl)
{
    int n = rint_in (g->r, 4, 40), k = rint_in (g->r, 1, n);
    for (const char *p = tmpl; *p; p++) {
        const char *end = *p == '{' ? strchr (p, '}') : NULL;
        if (!end) {
            g_string_append_c (out, *p);
            continue;
        }
        g_autofree char *slot = g_strndup (p + 1, (gsize) (end - p - 1));
        p = end;
        GRand *r = g->r;
        if (!strcmp (slot, "org"))
            g_string_append (out, g->org);
        else if (!strcmp (slot, "ref"))
            g_string_append_printf (out, "CA-%d-%03d", g->year, rint_in (r, 1, 250));
        else if (!strcmp (slot, "role") || !strcmp (slot, "role2"))
            g_string_append (out, PICK (r, roles));
        else if (!strcmp (slot, "person"))
            add_person (g, out);
        else if (!strcmp (slot, "supplier"))
            g_string_append (out, PICK (r, suppliers));
        else if (!strcmp (slot, "service"))
            g_string_append (out, PICK (r, services));
        else if (!strcmp (slot, "activity") || !strcmp (slot, "activity2"))
            g_string_append (out, PICK (r, activities));
        else if (!strncmp (slot, "site", 4))
            g_string_append (out, PICK (r, sites));
        else if (!strcmp (slot, "system"))
            g_string_append (out, PICK (r, systems));
        else if (!strcmp (slot, "dur") || !strcmp (slot, "dur2"))
            g_string_append (out, PICK (r, durations));
        else if (!strcmp (slot, "rpo"))
            g_string_append (out, PICK (r, rpos));
        else if (!strcmp (slot, "date") || !strcmp (slot, "date2"))
            add_date (g, out);
        else if (!strcmp (slot, "year"))
            g_string_append_printf (out, "%d", g->year);
        else if (!strcmp (slot, "n"))
            g_string_append_printf (out, "%d", n);
        else if (!strcmp (slot, "k"))
            g_string_append_printf (out, "%d", k);
        else if (!strcmp (slot, "pct"))
            g_string_append_printf (out, "%d", rint_in (r, 60, 99));
        else if (!strcmp (slot, "mins"))
            g_string_append_printf (out, "%d", rint_in (r, 12, 95));
        else if (!strcmp (slot, "clause") || !strcmp (slot, "clause2"))
            g_string_append (out, PICK (r, clauses).id);
        else if (!strcmp (slot, "doc"))
            g_string_append (out, PICK (r, documents));
        else
            g_error ("make-bench-corpus: unknown slot {%s}", slot); /* a bug in the tables */
    }
}

/* A paragraph of 3 to 5 sentences, mostly of TOPIC, no sentence twice. */
static void paragraph (struct gen *g, GString *out, enum topic topic)
{
    const char *used[5] = { 0 };
    int n = rint_in (g->r, 3, 5);
    for (int i = 0; i < n; i++) {
        enum topic t = g_rand_int_range (g->r, 0, 10) < 7 ? topic : T_GENERAL;
        const char *tmpl = PICK (g->r, sentences[t]);
        for (int j = 0; j < i; j++)
            if (used[j] == tmpl) {
                tmpl = PICK (g->r, sentences[t]);
                j = -1; /* check the new one against all */
            }
        used[i] = tmpl;
        if (i)
            g_string_append_c (out, ' ');
        expand (g, out, tmpl);
    }
    g_string_append (out, "\n\n");
}

/* A list of 3 to 5 different sentences of TOPIC. */
static void bullets (struct gen *g, GString *out, enum topic topic)
{
    int n = rint_in (g->r, 3, 5), first = g_rand_int_range (g->r, 0, 8);
    for (int i = 0; i < n; i++) {
        g_string_append (out, "- ");
        expand (g, out, sentences[topic][(first + i) % 8]);
        g_string_append_c (out, '\n');
    }
    g_string_append_c (out, '\n');
}

static void table (struct gen *g, GString *out, enum table_kind kind)
{
    GRand *r = g->r;
    int rows = rint_in (r, 4, 6);
    switch (kind) {
    case TB_BIA:
        g_string_append (out, "@table 3 1.3 1.3 1.2 2.2\n| Activity | RTO | MTPD | RPO | Owner\n");
        for (int i = 0; i < rows; i++) {
            int rto = rint_in (r, 1, 4), mult = rint_in (r, 2, 3);
            g_string_append_printf (out, "| %s | %d hours | %d hours | %s | ",
                                    PICK (r, activities), rto * 4, rto * 4 * mult, PICK (r, rpos));
            add_person (g, out);
            g_string_append_c (out, '\n');
        }
        break;
    case TB_FINDINGS:
        g_string_append (out, "@table 1.2 1 4 1.4\n| Ref | Clause | Finding | Grade\n");
        for (int i = 0; i < rows; i++)
            g_string_append_printf (out, "| F%02d | %s | %s | %s\n", i + 1, PICK (r, clauses).id,
                                    PICK (r, findings), PICK (r, grades));
        break;
    case TB_CONTACTS:
        g_string_append (out, "@table 3 2 2 2\n| Role | Primary | Alternate | Phone\n");
        for (int i = 0; i < rows; i++) {
            g_string_append_printf (out, "| %s | ", PICK (r, roles));
            add_person (g, out);
            g_string_append (out, " | ");
            add_person (g, out);
            g_string_append_printf (out, " | 0%d %04d %04d\n", rint_in (r, 113, 199),
                                    rint_in (r, 0, 9999), rint_in (r, 0, 9999));
        }
        break;
    case TB_ACTIONS:
        g_string_append (out, "@table 1 4 2.2 1.6\n| No. | Action | Owner | Due\n");
        for (int i = 0; i < rows; i++) {
            g_string_append_printf (out, "| %d | %s | %s | ", i + 1, PICK (r, actions),
                                    PICK (r, roles));
            add_date (g, out);
            g_string_append_c (out, '\n');
        }
        break;
    case TB_SUPPLIERS:
        g_string_append (out, "@table 2.6 2.4 1.6 1.6\n| Supplier | Service | Restore within | Reviewed\n");
        for (int i = 0; i < rows; i++) {
            g_string_append_printf (out, "| %s | %s | %s | ", PICK (r, suppliers),
                                    PICK (r, services), PICK (r, durations));
            add_date (g, out);
            g_string_append_c (out, '\n');
        }
        break;
    case TB_OBJECTIVES:
        g_string_append (out, "@table 3 3 1.2\n| Objective | Measure | Target\n");
        for (int i = 0; i < rows; i++)
            g_string_append_printf (out, "| Resume %s within %s | Exercise results | %d%%\n",
                                    PICK (r, activities), PICK (r, durations), rint_in (r, 80, 100));
        break;
    case TB_TIMELINE:
        g_string_append (out, "@table 1 4 3\n| Time | Event | Observation\n");
        for (int i = 0; i < rows; i++)
            g_string_append_printf (out, "| %02d:%02d | Loss of the %s system reported | %s\n",
                                    9 + i, rint_in (r, 0, 59), PICK (r, systems),
                                    i % 2 ? "Escalated on time" : "Call tree started");
        break;
    }
    g_string_append_c (out, '\n');
}

static void section (struct gen *g, GString *out, const struct kind *k, int blocks)
{
    /* a clause of one of the kind's topics, most of the time */
    const struct clause *c = &PICK (g->r, clauses);
    if (g_rand_int_range (g->r, 0, 4)) {
        enum topic want = k->topics[g_rand_int_range (g->r, 0, 3)];
        for (int tries = 0; c->topic != want && tries < 50; tries++)
            c = &PICK (g->r, clauses);
    }
    /* "8.2" is a level 2 heading, "8.2.2" a level 3 one */
    g_string_append_printf (out, "%s %s %s\n\n", strchr (strchr (c->id, '.') + 1, '.') ? "###" : "##",
                            c->id, c->title);
    for (int i = 0; i < blocks; i++)
        paragraph (g, out, c->topic);
}

/* The source of document INDEX, and its number of pages. */
static GString *document (int index, int *pages_out)
{
    guint32 seed[2] = { SEED, (guint32) index };
    struct gen g = { .r = g_rand_new_with_seed_array (seed, 2) };
    const struct kind *k = &kinds[index % N_OF (kinds)];
    g.org = g_strdup_printf ("%s %s %s", PICK (g.r, org_first), PICK (g.r, org_second),
                             PICK (g.r, org_third));
    g.year = rint_in (g.r, 2019, 2025);
    g.ref = g_strdup_printf ("BC-%d-%04d", g.year, index);
    int version = rint_in (g.r, 1, 9), pages = rint_in (g.r, MIN_PAGES, MAX_PAGES);

    GString *out = g_string_new (NULL);
    g_string_append_printf (out, "%% %s: generated by bench/make-bench-corpus.c v%d, document %d\n",
                            k->slug, GENERATOR_VERSION, index);
    g_string_append_printf (out, "@title %s - %s\n", k->title, g.org);
    g_string_append (out, "@author ");
    add_person (&g, out);
    g_string_append_printf (out, "\n@subject %s\n@keywords ISO 22301, business continuity\n",
                            k->title);
    g_string_append_printf (out, "@date %d-%02d-%02d\n", g.year, rint_in (g.r, 1, 12),
                            rint_in (g.r, 1, 28));
    g_string_append_printf (out, "@header %s - %s - %s v%d\n\n", g.org, k->title, g.ref, version);

    /* page 1: title block, document control, one section */
    g_string_append_printf (out, "= %s\n\n== %s\n\n~ Reference %s, version %d, issued ", k->title,
                            g.org, g.ref, version);
    add_date (&g, out);
    g_string_append (out, "\n\n@table 1 2 noheader\n| Document owner | ");
    add_person (&g, out);
    g_string_append_printf (out, ", %s\n| Approved by | ", PICK (g.r, roles));
    add_person (&g, out);
    g_string_append (out, "\n| Next review | ");
    add_date (&g, out);
    g_string_append_printf (out, "\n| Classification | Internal\n\n");
    section (&g, out, k, 2);
    section (&g, out, k, 1);

    /* pages 2..: three sections, the second followed by a table, a list or
     * a paragraph */
    for (int p = 2; p <= pages; p++) {
        g_string_append (out, "@page\n\n");
        section (&g, out, k, 2);
        section (&g, out, k, 1);
        int what = g_rand_int_range (g.r, 0, 10);
        if (what < 5)
            table (&g, out, k->tables[g_rand_int_range (g.r, 0, 2)]);
        else if (what < 8)
            bullets (&g, out, k->topics[0]);
        else
            paragraph (&g, out, k->topics[0]);
        section (&g, out, k, 1);
    }

    g_free (g.org);
    g_free (g.ref);
    g_rand_free (g.r);
    *pages_out = pages;
    return out;
}

/* ---------------------------------------------------------------- main */

static void usage (FILE *f)
{
    fprintf (f,
             "usage: make-bench-corpus [--files N] SRC_DIR PDF_DIR\n"
             "       make-bench-corpus --version\n"
             "Writes the make-pdf sources of N synthetic business-continuity documents\n"
             "(default %d; 4 to 6 pages each; folders of %d) under SRC_DIR, creates the\n"
             "matching folders under PDF_DIR and prints \"SOURCE\\0OUTPUT\\0\" pairs for\n"
             "`xargs -0 -n 200 make-pdf`; SRC_DIR/pages.tsv lists each output's pages.\n"
             "--version prints the generator version (it names the cached corpus).\n",
             DEFAULT_FILES, FILES_PER_FOLDER);
}

int main (int argc, char **argv)
{
    long files = DEFAULT_FILES;
    int argi = 1;
    if (argc == 2 && !strcmp (argv[1], "--version")) {
        printf ("%d\n", GENERATOR_VERSION);
        return 0;
    }
    if (argc == 2 && (!strcmp (argv[1], "--help") || !strcmp (argv[1], "-h"))) {
        usage (stdout);
        return 0;
    }
    if (argc > 2 && !strcmp (argv[1], "--files")) {
        char *end;
        errno = 0;
        files = strtol (argv[2], &end, 10);
        if (errno || *end || files < 1 || files > 1000000) {
            fprintf (stderr, "make-bench-corpus: --files wants a number from 1 to 1000000\n");
            return 2;
        }
        argi = 3;
    }
    if (argc - argi != 2) {
        usage (stderr);
        return 2;
    }
    const char *src_dir = argv[argi], *pdf_dir = argv[argi + 1];

    GString *list = g_string_new (NULL);
    long total = 0;
    for (long i = 0; i < files; i++) {
        int pages;
        GString *doc = document ((int) i, &pages);
        const char *slug = kinds[i % (long) N_OF (kinds)].slug;
        char folder[32], name[96];
        snprintf (folder, sizeof folder, "unit-%02ld", i / FILES_PER_FOLDER);
        snprintf (name, sizeof name, "%04ld-%s", i, slug);
        g_autofree char *sdir = g_build_filename (src_dir, folder, NULL);
        g_autofree char *pdir = g_build_filename (pdf_dir, folder, NULL);
        if (g_mkdir_with_parents (sdir, 0755) != 0 || g_mkdir_with_parents (pdir, 0755) != 0) {
            fprintf (stderr, "make-bench-corpus: cannot make %s or %s: %s\n", sdir, pdir,
                     g_strerror (errno));
            return 1;
        }
        g_autofree char *src_name = g_strconcat (name, ".txt", NULL);
        g_autofree char *pdf_name = g_strconcat (name, ".pdf", NULL);
        g_autofree char *src = g_build_filename (sdir, src_name, NULL);
        g_autofree char *pdf = g_build_filename (pdir, pdf_name, NULL);
        GError *error = NULL;
        if (!g_file_set_contents (src, doc->str, (gssize) doc->len, &error)) {
            fprintf (stderr, "make-bench-corpus: %s\n", error->message);
            return 1;
        }
        g_string_free (doc, TRUE);
        fwrite (src, 1, strlen (src) + 1, stdout);
        fwrite (pdf, 1, strlen (pdf) + 1, stdout);
        g_string_append_printf (list, "%s/%s\t%d\n", folder, pdf_name, pages);
        total += pages;
    }
    g_autofree char *list_path = g_build_filename (src_dir, "pages.tsv", NULL);
    GError *error = NULL;
    if (!g_file_set_contents (list_path, list->str, (gssize) list->len, &error)) {
        fprintf (stderr, "make-bench-corpus: %s\n", error->message);
        return 1;
    }
    g_string_free (list, TRUE);
    if (fflush (stdout) != 0) {
        perror ("make-bench-corpus: stdout");
        return 1;
    }
    long folders = (files + FILES_PER_FOLDER - 1) / FILES_PER_FOLDER;
    fprintf (stderr, "make-bench-corpus: %ld documents, %ld pages, %ld folder%s\n", files, total,
             folders, folders == 1 ? "" : "s");
    return 0;
}
