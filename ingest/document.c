/* document.c - constructors and destructors of the ingest data types. */
#include "ingest/document.h"

void
evx_clause_tag_free (gpointer data)
{
    evx_clause_tag *t = data;
    if (!t)
        return;
    g_free (t->id);
    g_free (t->title);
    g_strfreev (t->matched);
    g_strfreev (t->equivalents);
    g_free (t);
}

const char *
evx_clause_tag_equivalent (const evx_clause_tag *t)
{
    return t->equivalents ? t->equivalents[0] : NULL;
}

evx_document *
evx_document_new (const char *path)
{
    evx_document *doc = g_new0 (evx_document, 1);
    doc->path = g_strdup (path);
    doc->created = -1;
    doc->edition = 2019;
    doc->page_texts = g_ptr_array_new_with_free_func (g_free);
    doc->passages = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_passage_free);
    return doc;
}

void
evx_document_free (evx_document *doc)
{
    if (!doc)
        return;
    g_free (doc->path);
    g_free (doc->mime_type);
    g_free (doc->container);
    evx_certificate_free (doc->certificate);
    g_free (doc->title);
    g_free (doc->author);
    g_free (doc->producer);
    g_ptr_array_unref (doc->page_texts);
    g_ptr_array_unref (doc->passages);
    g_free (doc);
}

evx_passage *
evx_passage_new (int page, glong start, glong end, const char *text)
{
    evx_passage *p = g_new0 (evx_passage, 1);
    p->page = page;
    p->start = start;
    p->end = end;
    p->text = g_strdup (text ? text : "");
    p->clauses = g_ptr_array_new_with_free_func (evx_clause_tag_free);
    p->commitments = g_ptr_array_new_with_free_func ((GDestroyNotify) evx_commitment_free);
    return p;
}

void
evx_passage_free (evx_passage *p)
{
    if (!p)
        return;
    g_free (p->page_label);
    g_free (p->text);
    g_ptr_array_unref (p->commitments);
    g_ptr_array_unref (p->clauses);
    g_free (p);
}

evx_clause_tag *
evx_passage_find_clause (const evx_passage *p, const char *id, int edition)
{
    for (guint i = 0; i < p->clauses->len; i++) {
        evx_clause_tag *t = g_ptr_array_index (p->clauses, i);
        if (t->edition == edition && g_strcmp0 (t->id, id) == 0)
            return t;
    }
    return NULL;
}

evx_clause_tag *
evx_passage_add_clause (evx_passage *p, const char *id, int edition, const char *title,
                        evx_clause_reason reason, double confidence)
{
    if (evx_passage_find_clause (p, id, edition))
        return NULL;
    evx_clause_tag *t = g_new0 (evx_clause_tag, 1);
    t->id = g_strdup (id);
    t->edition = edition;
    t->title = g_strdup (title);
    t->reason = reason;
    t->confidence = CLAMP (confidence, 0.0, 1.0);
    g_ptr_array_add (p->clauses, t);
    return t;
}

const char *
evx_clause_reason_name (evx_clause_reason reason)
{
    switch (reason) {
    case EVX_CLAUSE_REFERENCE:
        return "reference";
    case EVX_CLAUSE_HEADING:
        return "heading";
    case EVX_CLAUSE_VOCABULARY:
        return "vocabulary";
    }
    return "unknown";
}

evx_clause_reason
evx_clause_reason_from_name (const char *name)
{
    for (int r = EVX_CLAUSE_REFERENCE; r <= EVX_CLAUSE_VOCABULARY; r++) {
        if (g_strcmp0 (name, evx_clause_reason_name ((evx_clause_reason) r)) == 0)
            return (evx_clause_reason) r;
    }
    return 0;
}

void
evx_certificate_free (evx_certificate *cert)
{
    if (!cert)
        return;
    g_free (cert->holder);
    g_free (cert->number);
    g_free (cert->standard);
    g_free (cert->edition);
    g_free (cert->issuer);
    g_free (cert->first_issued);
    g_free (cert->issued);
    g_free (cert->expires);
    g_free (cert->scope);
    g_strfreev (cert->sites);
    g_free (cert);
}

void
evx_commitment_free (evx_commitment *c)
{
    if (!c)
        return;
    g_free (c->sentence);
    g_free (c->modal);
    g_free (c->party);
    g_free (c->deadline);
    g_free (c);
}
