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
/* Absolute source path ("P/srv/evidence/a.pdf"); paths too long for a term are hashed. */
#define EVX_PREFIX_PATH "P"
/* Content type ("Tapplication/pdf"). */
#define EVX_PREFIX_MIME "T"
/* Record kind: EVX_PREFIX_KIND "passage" or "file". */
#define EVX_PREFIX_KIND "XK"
/* Which file a passage came from: "XF" + file key. */
#define EVX_PREFIX_FILE "XF"
/* Clause, any edition, with every ancestor: "XC8.2.2", "XC8.2", "XC8". */
#define EVX_PREFIX_CLAUSE "XC"
/* Clause in one edition, with ancestors: "XE2019:8.2.2". */
#define EVX_PREFIX_CLAUSE_EDITION "XE"

/* Field names the query parser accepts, with the prefix each maps to. */
#define EVX_FIELD_CLAUSE "clause"   /* clause:8.2.2 */

#define EVX_KIND_PASSAGE "passage"
#define EVX_KIND_FILE "file"
#define EVX_FILE_ID_PREFIX "file:"

/* Value slots. */
#define EVX_SLOT_PAGE 0    /* page number, sortable_serialise()d */

/* The stemming language of the free-text terms. */
#define EVX_STEM_LANGUAGE "english"

#endif /* EVX_SCHEMA_H */
