/* document.h - the plain data handed from ingest/ to index/: an extracted
 * document, its passages and the clauses each passage is tagged with.
 *
 * Ownership: every string and array inside these structs is owned by the struct
 * that holds it and freed by its _free function.  All text is valid UTF-8,
 * NFKC-normalised, without NUL or control characters.
 */
#ifndef EVX_DOCUMENT_H
#define EVX_DOCUMENT_H

#include <glib.h>

G_BEGIN_DECLS

/**
 * evx_clause_reason:
 * @EVX_CLAUSE_REFERENCE: the passage cites the clause explicitly ("clause 8.4.4", "§ 9.2").
 * @EVX_CLAUSE_HEADING: the passage is, or sits under, a heading that maps to the clause
 *   (a numbered clause heading, or a heading whose words are the clause's vocabulary).
 * @EVX_CLAUSE_VOCABULARY: the passage uses the clause's vocabulary (catalog phrases and
 *   title); evx_clause_tag.matched lists the phrases found.
 */
typedef enum {
    EVX_CLAUSE_REFERENCE = 1,
    EVX_CLAUSE_HEADING,
    EVX_CLAUSE_VOCABULARY,
} evx_clause_reason;

/**
 * evx_clause_tag:
 * @id: clause number as printed in the catalog ("8.2.2"); owned.
 * @edition: ISO 22301 edition year the number is read in: 2012 or 2019.
 * @title: the clause title in that edition, from the clause catalog; owned.
 * @reason: why the passage carries this clause.
 * @confidence: how sure the mapper is, in [0, 1] (see mapping.h for the scale).
 * @matched: (array zero-terminated=1) (nullable) the catalog phrases found in the
 *   passage, as written in the catalog: for EVX_CLAUSE_VOCABULARY, and for a reference
 *   or heading that was narrowed to this sub-clause by them (mapping.h); else NULL; owned.
 * @equivalents: (array zero-terminated=1) (nullable) the corresponding clause numbers
 *   in the other edition, as the catalog's correspondence lists them (rows that carry
 *   only part of the subject last), or NULL when there is none; owned.
 *
 * One clause a passage is evidence for.
 */
typedef struct {
    char *id;
    int edition;
    char *title;
    evx_clause_reason reason;
    double confidence;
    char **matched;
    char **equivalents;
} evx_clause_tag;

/**
 * evx_commitment:
 * @sentence: the sentence that makes the commitment; owned.
 * @modal: the modal, lower case ("shall", "must", "will", "is required to", "commits to",
 *   "undertakes to", "agrees to"); owned.
 * @negated: TRUE for "shall not", "must not", "will not", "won't", and for a negative
 *   subject ("Neither party shall", "No supplier will"); both together cancel out.
 * @party: (nullable) the subject phrase ("The Board"); owned.
 * @deadline: (nullable) the time limit or frequency ("within two hours", "annually");
 *   owned.
 *
 * A sentence that commits a party (see commitment.h).
 */
typedef struct {
    char *sentence;
    char *modal;
    gboolean negated;
    char *party;
    char *deadline;
} evx_commitment;

/** evx_commitment_free: frees @c and its strings; NULL is accepted. */
void evx_commitment_free (evx_commitment *c);

/**
 * evx_passage:
 * @page: page number counted from 1; 0 when the format has no pages.
 * @page_label: the printed page label where the PDF defines page labels that
 *   differ from the page number ("iii", "A-3"), else NULL; owned.
 * @start: offset of the passage's first character in the page text, in Unicode
 *   code points counted from 0 (see evx_document.page_texts).
 * @end: offset one past the passage's last character, in code points.
 * @text: the passage text, whitespace folded to single spaces; owned.
 * @is_heading: TRUE when the passage begins with a heading line.
 * @heading_chars: when @is_heading, the length of that heading at the start of @text,
 *   in code points (the body text after it follows a space); 0 otherwise.
 * @heading_level: when @is_heading, the heading's level in the document's outline, 1
 *   (h1, Word's "Heading 1", a Markdown "#") to 6, where the format says; 0 otherwise
 *   (PDF headings, DocBook titles).
 * @clauses: (element-type evx_clause_tag) clause tags; owned, never NULL.
 * @commitments: (element-type evx_commitment) the commitments its sentences make;
 *   owned, never NULL.
 *
 * A paragraph-sized block of text (one heading or paragraph, at most
 * EVX_PASSAGE_MAX_CHARS characters) that never spans two pages.
 */
typedef struct {
    int page;
    char *page_label;
    glong start;
    glong end;
    char *text;
    gboolean is_heading;
    glong heading_chars;
    int heading_level;
    GPtrArray *clauses;
    GPtrArray *commitments;
} evx_passage;

/** Upper bound on a passage's length, in Unicode code points. */
#define EVX_PASSAGE_MAX_CHARS 1000

/* The most sites one certificate is read with. */
#define EVX_CERTIFICATE_MAX_SITES 50

/**
 * evx_certificate:
 * @holder: (nullable) the organisation certified; owned.
 * @number: (nullable) the certificate number ("MAC-BCMS-0487"); owned.
 * @standard: (nullable) the standard certified against, without its year ("ISO 22301",
 *   "ISO/IEC 27001"); owned.
 * @edition: (nullable) the year of that standard's edition ("2019"); owned.
 * @issuer: (nullable) the certification body; owned.
 * @first_issued: (nullable) date of the original (initial) certification, ISO 8601
 *   ("2024-09-02"); owned.
 * @issued: (nullable) date of this certificate (issue date), ISO 8601; owned.
 * @expires: (nullable) expiry date, ISO 8601; owned.
 * @scope: (nullable) the scope statement; owned.
 * @sites: (nullable) (array zero-terminated=1) the sites (addresses) the certificate
 *   covers, in the order it lists them, at most EVX_CERTIFICATE_MAX_SITES; NULL when
 *   it names none; owned (g_strfreev()).
 *
 * The fields of a certificate, as its text states them (certificate.h); a field the
 * text does not state is NULL, never guessed.
 */
typedef struct {
    char *holder;
    char *number;
    char *standard;
    char *edition;
    char *issuer;
    char *first_issued;
    char *issued;
    char *expires;
    char *scope;
    char **sites;
} evx_certificate;

/** evx_certificate_free: frees @cert and its strings; NULL is accepted. */
void evx_certificate_free (evx_certificate *cert);

/**
 * evx_document:
 * @path: absolute path of the source file; owned.
 * @mime_type: detected content type ("application/pdf"); owned.
 * @title: document title from its metadata, or NULL; owned.
 * @author: author from metadata, or NULL; owned.
 * @producer: producing program from metadata, or NULL; owned.
 * @created: creation date from metadata, seconds since the Unix epoch (UTC), or -1.
 * @container: (nullable) the compressed container the content came out of
 *   ("application/gzip"), or NULL when the file was read as it is; owned.
 * @page_count: number of pages (0 when the format has none: HTML, XML, DOCX, ODT, text).
 * @pages_without_text: how many of the @page_count pages have no text layer (a scan
 *   without OCR, or only images); 0 for formats without pages.
 * @invalid_bytes: bytes of the source that were not valid in its encoding and were
 *   replaced by U+FFFD (text and Markdown; 0 for other formats).
 * @page_texts: (element-type utf8) the normalised text of each page, index 0 =
 *   page 1; for a format without pages, one text for the whole document (none when
 *   it has no text); "\n" ends a line and "\t" separates table cells on one line
 *   (passages read it as a space); passage offsets point into these; owned, never NULL.
 * @passages: (element-type evx_passage) in reading order; owned, never NULL.
 * @edition: ISO 22301 edition the document's clause numbers are read in (2019 or 2012).
 * @doc_type: the kind of evidence (an evx_doctype of doctype.h: certificate,
 *   audit report, policy, plan, procedure, other).
 * @certificate: (nullable) the certificate's fields when @doc_type is certificate;
 *   owned.
 */
typedef struct {
    char *path;
    char *mime_type;
    char *title;
    char *author;
    char *producer;
    gint64 created;
    char *container;
    int page_count;
    int pages_without_text;
    guint64 invalid_bytes;
    GPtrArray *page_texts;
    GPtrArray *passages;
    int edition;
    int doc_type;
    evx_certificate *certificate;
} evx_document;

/**
 * evx_document_new:
 * @path: absolute path (copied).
 *
 * Returns: (transfer full) an empty document (edition 2019, created -1);
 *   free with evx_document_free().
 */
evx_document *evx_document_new (const char *path);

/** evx_document_free: frees @doc and everything it owns; NULL is accepted. */
void evx_document_free (evx_document *doc);

/**
 * evx_passage_new:
 * @page: page number from 1 (0 = none).
 * @start: start offset in code points.
 * @end: end offset in code points.
 * @text: (transfer none) passage text, copied.
 *
 * Returns: (transfer full) a passage with no clauses; free with evx_passage_free().
 */
evx_passage *evx_passage_new (int page, glong start, glong end, const char *text);

/** evx_passage_free: frees @p and everything it owns; NULL is accepted. */
void evx_passage_free (evx_passage *p);

/**
 * evx_passage_add_clause:
 * @p: the passage.
 * @id: clause number ("8.2.2"), copied.
 * @edition: 2012 or 2019.
 * @title: (nullable) clause title, copied.
 * @reason: why.
 * @confidence: in [0, 1] (clamped).
 *
 * Adds a clause tag (matched and equivalents NULL) unless @p already carries @id in
 * @edition.
 *
 * Returns: (transfer none) (nullable) the new tag, owned by @p (the caller may fill in
 *   matched and equivalents), or NULL when @p already carried the clause.
 */
evx_clause_tag *evx_passage_add_clause (evx_passage *p, const char *id, int edition,
                                        const char *title, evx_clause_reason reason,
                                        double confidence);

/**
 * evx_passage_find_clause:
 * Returns: (transfer none) (nullable) the tag of clause @id in @edition on @p, or NULL.
 */
evx_clause_tag *evx_passage_find_clause (const evx_passage *p, const char *id, int edition);

/**
 * evx_clause_tag_equivalent:
 * Returns: (transfer none) (nullable) the first equivalent clause number of @t in the
 *   other edition, or NULL.
 */
const char *evx_clause_tag_equivalent (const evx_clause_tag *t);

/** evx_clause_tag_free: frees an evx_clause_tag and its strings; NULL is accepted. */
void evx_clause_tag_free (gpointer tag);

/** evx_clause_reason_name: "reference", "heading" or "vocabulary" (static string). */
const char *evx_clause_reason_name (evx_clause_reason reason);

/**
 * evx_clause_reason_from_name:
 * Returns: the reason named @name (as evx_clause_reason_name() spells it), or 0 when
 *   @name names none.
 */
evx_clause_reason evx_clause_reason_from_name (const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_document, evx_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_certificate, evx_certificate_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_commitment, evx_commitment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (evx_passage, evx_passage_free)

G_END_DECLS

#endif /* EVX_DOCUMENT_H */
