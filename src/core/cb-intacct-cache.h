/* cb-intacct-cache.h: Intacct records kept on disk per profile, usable offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table intacct_records (STRICT): profile_id (→ profiles, ON DELETE CASCADE), object,
 * recordno, id, name, status, entity, fields (JSON of every field), last_seen;
 * primary key (profile_id, object, recordno). Table intacct_refresh: profile_id, object,
 * refreshed_at; a row whose object is "<OBJECT>#FULL" holds the last complete *full* pull of
 * that object. Every multi-row change runs in one transaction.
 */

#pragma once

#include "cb-database.h"
#include "cb-intacct-record.h"

G_BEGIN_DECLS

typedef struct
{
  char *object;     /* "GLACCOUNT" */
  char *recordno;
  char *id;         /* ACCOUNTNO, LOCATIONID, … (per cb-intacct-objects) */
  char *name;       /* TITLE or NAME */
  char *status;     /* "active", "inactive", or NULL */
  char *entity;     /* owning entity, NULL for top level */
} CbCachedRecord;

void       cb_cached_record_free       (CbCachedRecord *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbCachedRecord, cb_cached_record_free)

/* Upserts @records (element-type CbIntacctRecord) of @object by RECORDNO, stamps them
 * last_seen now, and records the refresh time, in one transaction. */
gboolean   cb_intacct_cache_store      (CbDatabase  *db,
                                        const char  *profile_id,
                                        const char  *object,
                                        GPtrArray   *records,
                                        GError     **error);
/* Cached records of @object whose id or name contains @search (case-insensitive; NULL:
 * all), ordered by id. element-type CbCachedRecord. */
GPtrArray *cb_intacct_cache_list       (CbDatabase  *db,
                                        const char  *profile_id,
                                        const char  *object,
                                        const char  *search,
                                        GError     **error);
CbCachedRecord *cb_intacct_cache_find  (CbDatabase  *db,
                                        const char  *profile_id,
                                        const char  *object,
                                        const char  *id,
                                        GError     **error);  /* NULL, no error, when absent */
/* When @object was last refreshed for the profile, or NULL if never. */
GDateTime *cb_intacct_cache_last_refresh (CbDatabase *db,
                                          const char *profile_id,
                                          const char *object);

/* For pulls (cb-intacct-pull.h). */

/* Upserts @records like cb_intacct_cache_store(), in one transaction, without touching the
 * refresh time: a pull stamps it only once the object is complete. */
gboolean   cb_intacct_cache_store_page (CbDatabase  *db,
                                        const char  *profile_id,
                                        const char  *object,
                                        GPtrArray   *records,
                                        GError     **error);
/* Ends a complete pull of @object in one transaction: with @seen (a set of RECORDNO
 * strings, nullable) removes every cached record of @object not in it, counting them in
 * @n_removed; records @started as the refresh time, and as the last full pull when @seen
 * is given. */
gboolean   cb_intacct_cache_finish_pull (CbDatabase  *db,
                                         const char  *profile_id,
                                         const char  *object,
                                         GDateTime   *started,
                                         GHashTable  *seen,
                                         guint       *n_removed,
                                         GError     **error);
/* When @object was last pulled whole (deletions detected), or NULL if never. */
GDateTime *cb_intacct_cache_last_full_refresh (CbDatabase *db,
                                               const char *profile_id,
                                               const char *object);
/* How many records of @object are cached. */
guint      cb_intacct_cache_count      (CbDatabase  *db,
                                        const char  *profile_id,
                                        const char  *object);

G_END_DECLS
