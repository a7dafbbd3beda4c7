/* schema.h - how evidex lays out its Xapian index: one table of term prefixes and
 * value slots, shared by the index writer and the query parser.
 *
 * One Xapian document per passage, and one per source file (the file record).
 * Prefixes follow Xapian's omega conventions: single capitals for the common
 * fields, X-prefixes for evidex's own.
 */
#ifndef EVX_SCHEMA_H
#define EVX_SCHEMA_H

/* Unique id term ("Q" + passage id, or "Q" + EVX_FILE_ID_PREFIX + file key). */
#define EVX_PREFIX_ID "Q"
/* Absolute source path ("P/srv/evidence/a.pdf"); paths too long for a term are hashed
 * ("P#" + SHA-256).  A path that NFKC and the rest of evx_normalise_text() change (a
 * ligature, a decomposed accent) also gets the term of its normalised form, the form a
 * query's path: value has. */
#define EVX_PREFIX_PATH "P"
/* Content type ("Tapplication/pdf"). */
#define EVX_PREFIX_MIME "T"
/* Kind of document, on passages and file records ("XTcertificate"; ingest/doctype.h). */
#define EVX_PREFIX_DOCTYPE "XT"
/* ISO 22301 edition the document is read in, on passages ("XE2019"). */
#define EVX_PREFIX_EDITION "XE"
/* On a passage with commitments: "XMany" and "XM" + each modal's key ("XMshall",
 * evx_commitment_modal_key()); "XP" + each word of each party, lower case and stemmed
 * ("XPsupplier"). */
#define EVX_PREFIX_MODAL "XM"
#define EVX_PREFIX_PARTY "XP"
/* Record kind: EVX_PREFIX_KIND "passage" or "file". */
#define EVX_PREFIX_KIND "XK"
/* Which file a passage came from: "XF" + file key. */
#define EVX_PREFIX_FILE "XF"
/* On a passage: a clause it is tagged with, as "EDITION:ID", with every ancestor and
 * with the equivalent clauses of the other edition and their ancestors.  A passage
 * tagged 8.5/2012 gets "XC2012:8.5", "XC2012:8", "XC2019:8.5", "XC2019:8".  An
 * equivalent below another equivalent is left out: 2012 9.2 corresponds to 2019 9.2,
 * 9.2.1 and 9.2.2, and its passages get "XC2019:9.2" and "XC2019:9" only. */
#define EVX_PREFIX_CLAUSE "XC"
/* On a file record: the same terms, for every clause any of its passages carries
 * (so the documents per clause are a term frequency). */
#define EVX_PREFIX_DOCUMENT_CLAUSE "XD"

/* Field names the query parser accepts, with the prefix each maps to: clause:ID is
 * read in the search's edition (default 2019), clause2012:ID and clause2019:ID in
 * the one they name. */
#define EVX_FIELD_CLAUSE "clause"
#define EVX_FIELD_CLAUSE_2012 "clause2012"
#define EVX_FIELD_CLAUSE_2019 "clause2019"
/* type:KIND keeps passages of documents of that kind; edition:2012 those of documents
 * read in that edition; path:/abs/file.pdf those of one file; date:A..B those of
 * documents dated in that range (EVX_SLOT_DATE), where A and B are days, months or
 * years, and either may be left out; date:2024 those of one year, month or day. */
#define EVX_FIELD_DOCTYPE "type"
#define EVX_FIELD_EDITION "edition"
#define EVX_FIELD_PATH "path"
#define EVX_FIELD_DATE "date"
/* modal:shall and party:supplier keep passages with such a commitment.  The query parser
 * lowers modal:'s value, and turns party:'s into its EVX_PREFIX_PARTY terms as indexing
 * does (lower case, stemmed; several words must all be there). */
#define EVX_FIELD_MODAL "modal"
#define EVX_FIELD_PARTY "party"

#define EVX_KIND_PASSAGE "passage"
#define EVX_KIND_FILE "file"
#define EVX_FILE_ID_PREFIX "file:"

/* Value slots. */
#define EVX_SLOT_PAGE 0        /* on a passage: page number, sortable_serialise()d */
#define EVX_SLOT_FILE_STAT 1   /* on a file record: "SIZE MTIME_NS CTIME_NS STATUS SHA256" */
#define EVX_SLOT_FILE_PATH 2   /* on a file record: its path */
#define EVX_SLOT_DATE 3        /* on a passage: its document's date, "YYYYMMDD" (the issue
                                * date of a certificate, else the creation date in the
                                * metadata); absent when unknown */
#define EVX_SLOT_ORDER 4       /* on a passage: its file's key (the 8 bytes of the 16 hex
                                * digits of evx_record_file_key()) and its number in the
                                * file from 0 (4 bytes, big-endian).  Ties in the ranking
                                * are broken by it, so that hits come in the same order from
                                * one index and from shards of it (whose document ids
                                * differ); short, because Xapian reads it for every
                                * candidate of equal weight */

/* Xapian metadata key of the roots recorded by ingest (a JSON array of paths). */
#define EVX_METADATA_ROOTS "evidex.roots"
/* Xapian metadata key of the shard the index holds ("K/N", query/shard.h), recorded by
 * the first ingest with --shard; absent for an index of every file. */
#define EVX_METADATA_SHARD "evidex.shard"
/* Xapian metadata key of the last ingest or refresh: {"command", "finished"} (JSON). */
#define EVX_METADATA_LAST_RUN "evidex.last_run"

/* The stemming language of the free-text terms. */
#define EVX_STEM_LANGUAGE "english"

#endif /* EVX_SCHEMA_H */
