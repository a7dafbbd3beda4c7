/* commitment.c - commitments in passages (see commitment.h). */
#include "ingest/commitment.h"

#include <string.h>

#include "ingest/regex.h"

#define PARTY_MAX_WORDS 8

/* a count in words or digits, with its digits in brackets after it ("thirty (30)") */
#define NUMBER_WORDS                                                                               \
    "(?:\\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"                            \
    "(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|"      \
    "fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|"    \
    "ten)(?:\\s*\\(\\d+\\))?"
#define MONTH_NAMES                                                                                \
    "(?:January|February|March|April|May|June|July|August|September|October|November|December)"

/* a day of the month ("30", "30th") */
#define DAY_OF_MONTH "\\d{1,2}(?:st|nd|rd|th)?"
/* the words before a date that make it a limit */
#define BY_DATE "(?:no\\s+later\\s+than|not\\s+later\\s+than|on\\s+or\\s+before|by|before)"

typedef enum {
    P_MODAL,
    P_QUESTION_OR_DEFINITION,
    P_DEFINING_MODAL,
    P_QUOTED_REQUIREMENT,
    P_PREDICTION_SUBJECT,
    P_NEGATIVE_SUBJECT,
    P_WILL_NOUN,
    P_DESCRIPTIVE_WILL,
    P_SUBORDINATE,
    P_DETERMINER,
    P_NUMBERING,
    P_DEADLINE,
    P_SENTENCE_END,
    N_PATTERNS
} pattern_id;

static const char *const patterns[N_PATTERNS] = {
    /* 1: the modal, 2: "not" after it; 3: "wo", "sha" or "must" of "won't", "shan't",
     * "mustn't" (straight or typographic apostrophe) */
    "\\b(?:(shall|must|will|(?:is|are)\\s+required\\s+to|commits?\\s+to|undertakes?\\s+to|"
    "agrees?\\s+to)\\b(\\s+not\\b)?|(wo|sha|must)n['’]t\\b)",
    "\\b(?:means|is\\s+defined\\s+as|are\\s+defined\\s+as|refers\\s+to)\\b",
    /* a definition in the modal's own words, after it ("X shall mean ...", "terms shall
     * have the meanings given ...", "shall be construed as") */
    "^\\s*(?:mean|have\\s+the\\s+(?:same\\s+)?meanings?|be\\s+defined\\s+as|"
    "be\\s+(?:construed|interpreted)\\s+as)\\b",
    "^\\s*(?:requirement\\b|[\"“])|\\brequires?\\s+that\\b|\\bthe\\s+organi[sz]ation\\s+shall\\b",
    "^(?:it|this|that|there|these)$",
    /* a party that negates the modal ("Neither party shall", "No one will"; not "No 5
     * pump") */
    "^(?:no\\s+(?!\\d)|(?:neither|none|nobody|no-one|nothing)\\b)",
    /* the word before "will" the noun ("employment at will", "free will", "against their
     * will") */
    "\\b(?:at|free|ill|good|own|the|my|your|his|her|its|our|their)\\s+$",
    /* "will" that describes rather than commits: after a relative pronoun ("the people
     * who will use it"), before a verb of state or consequence ("will have a clear
     * understanding", "a visit will be required") */
    "(?:\\b(?:who|which|that)\\s+will\\b)"
    "|\\bwill\\s+(?:be\\s+able|know|understand|need|be\\s+required|be\\s+needed|"
    "be\\s+necessary|likely|probably|continue|remain|become|seem|appear)\\b",
    /* a subordinate clause before the subject ("Before work returns to normal the site
     * must"): the party starts at its last determiner */
    "^(?:before|after|when|whenever|if|once|until|while|unless|as\\s+soon\\s+as)\\b",
    "\\b(?:the|a|an|all|each|every|our|its|their|this|these|any)\\b",
    /* a clause or list number before the party ("9.2 The Customer", "Sec. 5 the Supplier",
     * "3) the site"); a bare number only before a determiner ("5 the Supplier", not "12
     * engineers") */
    "^(?:(?:section|sect?|clause|cl|article|art|paragraph|para|\xc2\xa7)\\.?\\s*\\d+(?:\\.\\d+)*[.)]?"
    "|\\d+(?:\\.\\d+)+\\.?|\\d+[.)]|[a-z]\\)|[ivx]+\\)"
    "|\\d+(?=\\s+(?:the|a|an|all|each|every|our|its|their|this|these|any)\\b))\\s+",
    "\\b(?:within\\s+" NUMBER_WORDS "\\s+(?:working\\s+|business\\s+|calendar\\s+)?"
    "(?:minutes?|hours?|days?|weeks?|months?|years?)"
    "|" BY_DATE "\\s+(?:the\\s+)?" DAY_OF_MONTH "\\s+(?:of\\s+)?" MONTH_NAMES "(?:,?\\s+\\d{4})?"
    "|" BY_DATE "\\s+" MONTH_NAMES "\\s+" DAY_OF_MONTH ",?\\s+\\d{4}"
    "|" BY_DATE "\\s+(?:\\d{1,2}([/.-])\\d{1,2}\\1\\d{2}(?:\\d{2})?|\\d{4}-\\d{2}-\\d{2})"
    "|(?:in|by|before|during)\\s+" MONTH_NAMES "\\s+\\d{4}"
    "|(?:at\\s+least\\s+)?(?:once|twice)\\s+(?:a|per|every)\\s+(?:year|month|quarter|week|day)"
    "|every\\s+(?:" NUMBER_WORDS "\\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?|quarters?)"
    "|each\\s+(?:year|month|quarter|week|day)"
    "|(?:(?:semi|bi|tri|half)-?)?(?:annually|yearly|quarterly|monthly|weekly|daily)"
    "|immediately|without\\s+(?:undue\\s+)?delay)\\b",
    /* a sentence end: ".", "!" or "?" then space and a capital, digit, quote or bullet */
    "([.!?])\\s+(?=[A-Z0-9\"“•])",
};

static GRegex *
pattern (pattern_id id)
{
    static gsize slots[N_PATTERNS];
    return evx_regex_once (&slots[id], patterns[id], id == P_SENTENCE_END ? 0 : G_REGEX_CASELESS);
}

static const char *const modal_keys[] = { "shall", "must", "will", "required", "commits",
                                          "undertakes", "agrees" };

const char *
evx_commitment_modal_key (const char *modal)
{
    const char *const *keys = modal_keys;
    for (guint i = 0; i < G_N_ELEMENTS (modal_keys); i++)
        if (strstr (modal, i == 3 ? "required" : i == 4 ? "commit" : i == 5 ? "undertake"
                                                           : i == 6 ? "agree" : keys[i]))
            return keys[i];
    return "will";
}

gboolean
evx_commitment_is_modal_key (const char *key)
{
    for (guint i = 0; i < G_N_ELEMENTS (modal_keys); i++)
        if (g_ascii_strcasecmp (key, modal_keys[i]) == 0)
            return TRUE;
    return g_ascii_strcasecmp (key, "any") == 0;
}

/* TRUE for a quotation mark (straight or typographic), a square bracket or a space. */
static gboolean
is_quote_or_bracket (gunichar c)
{
    return c == '"' || c == '\'' || c == '[' || c == ']' || c == 0x201C || c == 0x201D
           || c == 0x2018 || c == 0x2019 || c == 0x00AB || c == 0x00BB || g_unichar_isspace (c);
}

/* The subject phrase in @before (the sentence up to the modal): after the last comma,
 * colon, semicolon, bracket, bullet, table bar or tab, without the quotes or brackets
 * around it or a clause number before it, at most PARTY_MAX_WORDS words. */
static char *
party_of (const char *before)
{
    const char *start = before;
    for (const char *p = before; *p; p = g_utf8_next_char (p)) {
        gunichar c = g_utf8_get_char (p);
        if (c == ',' || c == ';' || c == ':' || c == '(' || c == '|' || c == '\t'
            || c == 0x2022 /* • */)
            start = g_utf8_next_char (p);
    }
    /* a quote or bracket that opens the party is not part of it ("states: “Employees
     * must") ... */
    for (gunichar c = g_utf8_get_char (start); c && is_quote_or_bracket (c);
         c = g_utf8_get_char (start))
        start = g_utf8_next_char (start);
    g_autofree char *phrase = g_strdup (start);
    /* ... nor one that closes it ("[the deputy] will") */
    for (char *end = phrase + strlen (phrase); end > phrase;) {
        char *last = g_utf8_prev_char (end);
        if (!is_quote_or_bracket (g_utf8_get_char (last)))
            break;
        *last = '\0';
        end = last;
    }
    g_strstrip (phrase);
    /* nor the number of the clause it is in ("9.2 The Customer") */
    g_autoptr (GMatchInfo) numbering = NULL;
    if (g_regex_match (pattern (P_NUMBERING), phrase, 0, &numbering)) {
        int to = 0;
        g_match_info_fetch_pos (numbering, 0, NULL, &to);
        memmove (phrase, phrase + to, strlen (phrase + to) + 1);
    }
    /* a clause joined by a conjunction: "..., and will" has no party of its own */
    static const char *const joins[] = { "and", "or", "but", "then", "so", "also" };
    for (gboolean again = TRUE; again;) {
        again = FALSE;
        for (guint i = 0; i < G_N_ELEMENTS (joins); i++) {
            gsize n = strlen (joins[i]);
            if (g_ascii_strncasecmp (phrase, joins[i], n) == 0
                && (phrase[n] == '\0' || g_ascii_isspace (phrase[n]))) {
                memmove (phrase, phrase + n, strlen (phrase + n) + 1);
                g_strstrip (phrase);
                again = TRUE;
            }
        }
    }
    if (g_regex_match (pattern (P_SUBORDINATE), phrase, 0, NULL)) {
        /* the subject is the last noun phrase: from its last determiner on */
        g_autoptr (GMatchInfo) m = NULL;
        int from = -1;
        for (g_regex_match (pattern (P_DETERMINER), phrase, 0, &m); g_match_info_matches (m);
             g_match_info_next (m, NULL))
            g_match_info_fetch_pos (m, 0, &from, NULL);
        if (from > 0)
            memmove (phrase, phrase + from, strlen (phrase + from) + 1);
    }
    g_auto (GStrv) words = g_strsplit_set (phrase, " \t", -1);
    guint n = 0;
    for (guint i = 0; words[i]; i++)
        n += words[i][0] != '\0';
    if (n == 0)
        return NULL;
    GString *out = g_string_new (NULL);
    guint skip = n > PARTY_MAX_WORDS ? n - PARTY_MAX_WORDS : 0, seen = 0;
    for (guint i = 0; words[i]; i++) {
        if (!words[i][0] || seen++ < skip)
            continue;
        if (out->len)
            g_string_append_c (out, ' ');
        g_string_append (out, words[i]);
    }
    return g_string_free (out, FALSE);
}

evx_commitment *
evx_commitment_detect (const char *sentence)
{
    g_autofree char *s = g_strstrip (g_strdup (sentence));
    gsize len = strlen (s);
    if (len == 0 || s[len - 1] == '?')
        return NULL;   /* a question */
    g_autoptr (GMatchInfo) m = NULL;
    g_autofree char *before = NULL;
    int start = 0, end = 0;
    for (g_regex_match (pattern (P_MODAL), s, 0, &m);; g_match_info_next (m, NULL)) {
        if (!g_match_info_matches (m))
            return NULL;
        g_match_info_fetch_pos (m, 0, &start, &end);
        g_free (before);
        before = g_strndup (s, (gsize) start);
        /* "will" the noun ("is at will") is no modal: look further */
        if (g_ascii_strncasecmp (s + start, "will", 4) != 0
            || !g_regex_match (pattern (P_WILL_NOUN), before, 0, NULL))
            break;
    }
    /* a definition ("X means ...", "X shall mean ..."), or requirement text quoted */
    if (g_regex_match (pattern (P_QUESTION_OR_DEFINITION), before, 0, NULL)
        || g_regex_match (pattern (P_DEFINING_MODAL), s + end, 0, NULL)
        || g_regex_match (pattern (P_QUOTED_REQUIREMENT), s, 0, NULL))
        return NULL;
    g_autofree char *modal_raw = g_match_info_fetch (m, 1);
    g_autofree char *negation = g_match_info_fetch (m, 2);
    g_autofree char *contracted = g_match_info_fetch (m, 3);
    gboolean short_form = contracted && *contracted;   /* "won't", "shan't", "mustn't" */
    gboolean negated = (negation && *negation) || short_form;
    g_autofree char *modal = g_ascii_strdown (short_form ? contracted : modal_raw, -1);
    if (strcmp (modal, "wo") == 0 || strcmp (modal, "sha") == 0) {
        const char *full = modal[0] == 'w' ? "will" : "shall";
        g_free (modal);
        modal = g_strdup (full);
    }
    /* one spelling per modal: "are required to" is "is required to", "commit to" ... */
    static const char *const canonical[][2] = { { "required", "is required to" },
                                                { "commit", "commits to" },
                                                { "undertake", "undertakes to" },
                                                { "agree", "agrees to" } };
    for (guint i = 0; i < G_N_ELEMENTS (canonical); i++)
        if (strstr (modal, canonical[i][0])) {
            g_free (modal);
            modal = g_strdup (canonical[i][1]);
        }
    /* a list entry ("Contractors – Agree to ...") commits nobody in particular */
    g_autofree char *tail = g_strchomp (g_strdup (before));
    if (g_str_has_suffix (tail, "\xe2\x80\x93") || g_str_has_suffix (tail, "\xe2\x80\x94")
        || g_str_has_suffix (tail, " -"))
        return NULL;
    g_autofree char *party = party_of (before);
    if (strcmp (modal, "will") == 0) {
        g_autofree char *lower = party ? g_ascii_strdown (party, -1) : NULL;
        if (!lower || g_regex_match (pattern (P_PREDICTION_SUBJECT), lower, 0, NULL)
            || g_regex_match (pattern (P_DESCRIPTIVE_WILL), s, 0, NULL))
            return NULL;   /* "This will take a week", "the people who will use it" */
        /* "will have" commits only the speaker ("We will have monthly meetings"); of
         * others it describes ("the personnel will have a clear understanding") */
        if (strstr (s, "will have") && strcmp (lower, "we") != 0 && strcmp (lower, "i") != 0)
            return NULL;
    }
    /* "Neither party shall" commits as "shall not" does ("No one shall not" does not) */
    if (party && g_regex_match (pattern (P_NEGATIVE_SUBJECT), party, 0, NULL))
        negated = !negated;
    evx_commitment *c = g_new0 (evx_commitment, 1);
    c->sentence = g_strdup (s);
    c->modal = g_steal_pointer (&modal);
    c->negated = negated;
    c->party = g_steal_pointer (&party);
    g_autoptr (GMatchInfo) d = NULL;
    if (g_regex_match (pattern (P_DEADLINE), s, 0, &d))
        c->deadline = g_match_info_fetch (d, 0);
    return c;
}

/* TRUE when the word before @dot is an abbreviation that a full stop does not end. */
static gboolean
after_abbreviation (const char *text, const char *dot)
{
    static const char *const abbrev[] = { "e.g", "i.e", "etc", "No", "no", "Ltd", "Dr", "Mr",
                                          "Mrs", "Ms", "St", "cf", "vs", "approx", "Co", "Inc",
                                          "Sec", "Sect", "Art", "Cl", "Para", "para" };
    const char *w = dot;
    while (w > text && !g_ascii_isspace (w[-1]) && w[-1] != '(')
        w--;
    for (guint i = 0; i < G_N_ELEMENTS (abbrev); i++)
        if ((gsize) (dot - w) == strlen (abbrev[i]) && strncmp (w, abbrev[i], (gsize) (dot - w)) == 0)
            return TRUE;
    return FALSE;
}

GPtrArray *
evx_commitments_find (const char *text)
{
    GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_commitment_free);
    const char *from = text;
    g_autoptr (GMatchInfo) m = NULL;
    g_regex_match (pattern (P_SENTENCE_END), text, 0, &m);
    for (;; g_match_info_next (m, NULL)) {
        gboolean more = g_match_info_matches (m);
        int end = (int) strlen (text);
        if (more) {
            int dot = 0;
            g_match_info_fetch_pos (m, 1, &dot, &end);
            if (text[dot] == '.' && after_abbreviation (text, text + dot))
                continue;
        }
        if (text + end > from) {
            g_autofree char *sentence = g_strndup (from, (gsize) (text + end - from));
            evx_commitment *c = evx_commitment_detect (sentence);
            if (c)
                g_ptr_array_add (out, c);
        }
        from = text + end;
        if (!more)
            break;
    }
    return out;
}
