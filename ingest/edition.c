/* edition.c - ISO 22301 edition of a document, from its text (see edition.h). */
#include "ingest/edition.h"

#include "ingest/regex.h"

typedef struct {
    const char *pattern;   /* PCRE, matched case-insensitively */
    int edition;
    int weight;
    gboolean each;         /* weight per occurrence (else once per document) */
    const char *why;
} sign;

static const sign signs[] = {
    { "\\bISO\\s*22301\\s*:\\s*2012\\b", 2012, 10, TRUE, "names ISO 22301:2012" },
    { "\\bISO\\s*22301\\s*:\\s*2019\\b", 2019, 10, TRUE, "names ISO 22301:2019" },
    { "\\bsocietal\\s+security\\b", 2012, 6, FALSE, "title words \"Societal security\" (2012)" },
    { "\\bsecurity\\s+and\\s+resilience\\b", 2019, 6, FALSE,
      "title words \"Security and resilience\" (2019)" },
    { "\\binvocation\\b", 2012, 1, FALSE, "2012 wording" },
    { "\\bincident\\s+response\\s+structure\\b", 2012, 1, FALSE, "2012 wording" },
    { "\\bexercising\\s+and\\s+testing\\b", 2012, 1, FALSE, "2012 wording" },
    { "\\bprotection\\s+and\\s+mitigation\\b", 2012, 1, FALSE, "2012 wording" },
    { "\\bmanagement\\s+commitment\\b", 2012, 1, FALSE, "2012 wording" },
    { "\\brisk\\s+appetite\\b", 2012, 1, FALSE, "2012 wording" },
    { "\\bexercise\\s+programmes?\\b", 2019, 1, FALSE, "2019 wording" },
    { "\\bstrateg(?:y|ies)\\s+and\\s+solutions\\b", 2019, 1, FALSE, "2019 wording" },
    { "(?<!incident\\s)\\bresponse\\s+structure\\b", 2019, 1, FALSE, "2019 wording" },
    { "\\bdocumentation\\s+and\\s+capabilities\\b", 2019, 1, FALSE, "2019 wording" },
    { "\\bplanning\\s+(?:of\\s+)?changes\\b", 2019, 1, FALSE, "2019 wording" },
};

static GRegex *
sign_regex (guint i)
{
    static gsize slots[G_N_ELEMENTS (signs)];
    return evx_regex_once (&slots[i], signs[i].pattern, G_REGEX_CASELESS);
}

int
evx_edition_detect (const char *text, const char **why)
{
    int score[2] = { 0, 0 };           /* [0] 2012, [1] 2019 */
    int strongest[2] = { 0, 0 };       /* weight of the strongest sign seen */
    const char *reason[2] = { NULL, NULL };
    for (guint i = 0; i < G_N_ELEMENTS (signs); i++) {
        const sign *s = &signs[i];
        g_autoptr (GMatchInfo) m = NULL;
        int n = 0;
        for (g_regex_match (sign_regex (i), text, 0, &m); g_match_info_matches (m);
             g_match_info_next (m, NULL)) {
            n++;
            if (!s->each)
                break;
        }
        if (n == 0)
            continue;
        int e = s->edition == 2012 ? 0 : 1;
        score[e] += s->weight * n;
        if (s->weight > strongest[e]) {
            strongest[e] = s->weight;
            reason[e] = s->why;
        }
    }
    int edition = score[0] > score[1] ? 2012 : 2019;
    if (why) {
        if (score[0] == 0 && score[1] == 0)
            *why = "2019 by default: nothing tells";
        else if (score[0] == score[1])
            *why = "2019 by default: the signs are even";
        else
            *why = reason[edition == 2012 ? 0 : 1];
    }
    return edition;
}
