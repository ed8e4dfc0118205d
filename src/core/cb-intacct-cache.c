/* cb-intacct-cache.c: see cb-intacct-cache.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-intacct-cache"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cb-intacct-cache.h"
#include "cb-intacct-objects.h"

void
cb_cached_record_free (CbCachedRecord *self)
{
  if (self == NULL)
    return;

  g_free (self->object);
  g_free (self->recordno);
  g_free (self->id);
  g_free (self->name);
  g_free (self->status);
  g_free (self->entity);
  g_free (self);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* The object's canonical name ("GLACCOUNT") as stored. */
static char *
canonical_object (const char *object)
{
  const CbIntacctObjectInfo *info = cb_intacct_object_lookup (object);

  return info != NULL ? g_strdup (info->name) : g_ascii_strup (object, -1);
}

static const char *
non_empty (const char *value)
{
  return value != NULL && *value != '\0' ? value : NULL;
}

static void
add_record_members (JsonBuilder           *builder,
                    const CbIntacctRecord *record)
{
  guint n = cb_intacct_record_get_n_children (record);

  for (guint i = 0; i < n; i++)
    {
      CbIntacctRecord *child = cb_intacct_record_get_nth_child (record, i);
      guint n_lines = cb_intacct_record_get_n_children (child);

      json_builder_set_member_name (builder, cb_intacct_record_get_name (child));
      if (n_lines == 0)
        {
          const char *value = cb_intacct_record_get_value (child);

          json_builder_add_string_value (builder, value != NULL ? value : "");
        }
      else
        {
          /* A group of lines (APBILLITEMS → APBILLITEM …): an array of objects. */
          json_builder_begin_array (builder);
          for (guint j = 0; j < n_lines; j++)
            {
              json_builder_begin_object (builder);
              add_record_members (builder, cb_intacct_record_get_nth_child (child, j));
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
    }
}

static char *
record_to_json (const CbIntacctRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_record_members (builder, record);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Upserts @records, inside the caller's transaction. */
static gboolean
upsert_records (CbDatabase  *db,
                const char  *profile_id,
                const char  *object,
                GPtrArray   *records,
                gint64       now,
                GError     **error)
{
  const CbIntacctObjectInfo *info = cb_intacct_object_lookup (object);
  g_autofree char *object_name = canonical_object (object);
  g_autofree char *fallback_id_field = NULL;
  const char *id_field;
  sqlite3_stmt *stmt;
  int rc;

  if (info != NULL)
    id_field = info->id_field;
  else
    id_field = fallback_id_field = g_strconcat (object_name, "ID", NULL);

  stmt = cb_database_prepare (db,
                  "INSERT INTO intacct_records "
                  "(profile_id, object, recordno, id, name, status, entity, fields, last_seen) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                  "ON CONFLICT (profile_id, object, recordno) DO UPDATE SET "
                  "id = excluded.id, name = excluded.name, status = excluded.status, "
                  "entity = excluded.entity, fields = excluded.fields, "
                  "last_seen = excluded.last_seen",
                  error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < records->len; i++)
    {
      const CbIntacctRecord *record = g_ptr_array_index (records, i);
      const char *recordno = non_empty (cb_intacct_record_get_field (record, "RECORDNO"));
      const char *name = non_empty (cb_intacct_record_get_field (record, "NAME"));
      const char *status = non_empty (cb_intacct_record_get_field (record, "STATUS"));
      g_autofree char *status_lower = NULL;
      g_autofree char *fields = NULL;

      if (recordno == NULL)
        {
          g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
                       _("An Intacct %s record has no RECORDNO, so it cannot be kept."),
                       object_name);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (name == NULL)
        name = non_empty (cb_intacct_record_get_field (record, "TITLE"));
      if (status != NULL)
        status_lower = g_ascii_strdown (status, -1);
      fields = record_to_json (record);

      sqlite3_reset (stmt);
      cb_database_bind_text (stmt, 1, profile_id);
      cb_database_bind_text (stmt, 2, object_name);
      cb_database_bind_text (stmt, 3, recordno);
      cb_database_bind_text (stmt, 4, non_empty (cb_intacct_record_get_field (record, id_field)));
      cb_database_bind_text (stmt, 5, name);
      cb_database_bind_text (stmt, 6, status_lower);
      cb_database_bind_text (stmt, 7, non_empty (cb_intacct_record_get_field (record, "MEGAENTITYID")));
      cb_database_bind_text (stmt, 8, fields);
      sqlite3_bind_int64 (stmt, 9, now);

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          cb_database_set_error (db, rc, error);
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Records @when for @object_name (canonical, or "<OBJECT>#FULL"), inside a transaction. */
static gboolean
stamp_refresh (CbDatabase  *db,
               const char  *profile_id,
               const char  *object_name,
               gint64       when,
               GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_database_prepare (db,
                  "INSERT INTO intacct_refresh (profile_id, object, refreshed_at) "
                  "VALUES (?1, ?2, ?3) ON CONFLICT (profile_id, object) DO UPDATE SET "
                  "refreshed_at = excluded.refreshed_at",
                  error);
  if (stmt == NULL)
    return FALSE;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, object_name);
  sqlite3_bind_int64 (stmt, 3, when);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_intacct_cache_store (CbDatabase  *db,
                        const char  *profile_id,
                        const char  *object,
                        GPtrArray   *records,
                        GError     **error)
{
  g_autofree char *object_name = NULL;
  gint64 now;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  object_name = canonical_object (object);
  now = g_get_real_time () / G_USEC_PER_SEC;

  if (!cb_database_begin (db, error))
    return FALSE;
  if (!upsert_records (db, profile_id, object_name, records, now, error) ||
      !stamp_refresh (db, profile_id, object_name, now, error) ||
      !cb_database_commit (db, error))
    {
      cb_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_intacct_cache_store_page (CbDatabase  *db,
                             const char  *profile_id,
                             const char  *object,
                             GPtrArray   *records,
                             GError     **error)
{
  g_autofree char *object_name = NULL;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  object_name = canonical_object (object);
  if (!cb_database_begin (db, error))
    return FALSE;
  if (!upsert_records (db, profile_id, object_name, records,
                       g_get_real_time () / G_USEC_PER_SEC, error) ||
      !cb_database_commit (db, error))
    {
      cb_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/* Removes the cached records of @object_name whose RECORDNO is not in @seen. */
static gboolean
remove_unseen (CbDatabase  *db,
               const char  *profile_id,
               const char  *object_name,
               GHashTable  *seen,
               guint       *n_removed,
               GError     **error)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_database_prepare (db,
                  "SELECT recordno FROM intacct_records WHERE profile_id = ?1 AND object = ?2",
                  error);
  if (stmt == NULL)
    return FALSE;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, object_name);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *recordno = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (seen, recordno))
        g_ptr_array_add (gone, g_strdup (recordno));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return FALSE;
    }

  stmt = cb_database_prepare (db,
                  "DELETE FROM intacct_records "
                  "WHERE profile_id = ?1 AND object = ?2 AND recordno = ?3",
                  error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < gone->len; i++)
    {
      sqlite3_reset (stmt);
      cb_database_bind_text (stmt, 1, profile_id);
      cb_database_bind_text (stmt, 2, object_name);
      cb_database_bind_text (stmt, 3, g_ptr_array_index (gone, i));
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          cb_database_set_error (db, rc, error);
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  if (n_removed != NULL)
    *n_removed = gone->len;
  return TRUE;
}

gboolean
cb_intacct_cache_finish_pull (CbDatabase  *db,
                              const char  *profile_id,
                              const char  *object,
                              GDateTime   *started,
                              GHashTable  *seen,
                              guint       *n_removed,
                              GError     **error)
{
  g_autofree char *object_name = NULL;
  g_autofree char *full_name = NULL;
  gint64 when;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (started != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_removed != NULL)
    *n_removed = 0;
  object_name = canonical_object (object);
  full_name = g_strconcat (object_name, "#FULL", NULL);
  when = g_date_time_to_unix (started);

  if (!cb_database_begin (db, error))
    return FALSE;
  if ((seen != NULL &&
       (!remove_unseen (db, profile_id, object_name, seen, n_removed, error) ||
        !stamp_refresh (db, profile_id, full_name, when, error))) ||
      !stamp_refresh (db, profile_id, object_name, when, error) ||
      !cb_database_commit (db, error))
    {
      cb_database_rollback (db);
      if (n_removed != NULL)
        *n_removed = 0;
      return FALSE;
    }
  return TRUE;
}

static CbCachedRecord *
cached_record_from_row (sqlite3_stmt *stmt)
{
  CbCachedRecord *self = g_new0 (CbCachedRecord, 1);

  self->object = column_text (stmt, 0);
  self->recordno = column_text (stmt, 1);
  self->id = column_text (stmt, 2);
  self->name = column_text (stmt, 3);
  self->status = column_text (stmt, 4);
  self->entity = column_text (stmt, 5);
  return self;
}

static gboolean
contains_folded (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, folded_needle) != NULL;
}

GPtrArray *
cb_intacct_cache_list (CbDatabase  *db,
                       const char  *profile_id,
                       const char  *object,
                       const char  *search,
                       GError     **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autofree char *object_name = NULL;
  g_autofree char *needle = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object_name = canonical_object (object);
  if (search != NULL && *search != '\0')
    needle = g_utf8_casefold (search, -1);

  stmt = cb_database_prepare (db,
                  "SELECT object, recordno, id, name, status, entity FROM intacct_records "
                  "WHERE profile_id = ?1 AND object = ?2 ORDER BY id, recordno",
                  error);
  if (stmt == NULL)
    return NULL;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, object_name);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_cached_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* Unicode-aware matching, which LIKE is not. */
      if (needle != NULL &&
          !contains_folded ((const char *) sqlite3_column_text (stmt, 2), needle) &&
          !contains_folded ((const char *) sqlite3_column_text (stmt, 3), needle))
        continue;
      g_ptr_array_add (result, cached_record_from_row (stmt));
    }

  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);
  return g_steal_pointer (&result);
}

CbCachedRecord *
cb_intacct_cache_find (CbDatabase  *db,
                       const char  *profile_id,
                       const char  *object,
                       const char  *id,
                       GError     **error)
{
  g_autofree char *object_name = NULL;
  CbCachedRecord *record = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object_name = canonical_object (object);
  stmt = cb_database_prepare (db,
                  "SELECT object, recordno, id, name, status, entity FROM intacct_records "
                  "WHERE profile_id = ?1 AND object = ?2 AND id = ?3 "
                  "ORDER BY recordno LIMIT 1",
                  error);
  if (stmt == NULL)
    return NULL;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, object_name);
  cb_database_bind_text (stmt, 3, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = cached_record_from_row (stmt);
  else if (rc != SQLITE_DONE)
    cb_database_set_error (db, rc, error);

  sqlite3_finalize (stmt);
  return record;
}

GDateTime *
cb_intacct_cache_last_refresh (CbDatabase *db,
                               const char *profile_id,
                               const char *object)
{
  g_autofree char *object_name = NULL;
  GDateTime *when = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (object != NULL, NULL);

  object_name = canonical_object (object);
  stmt = cb_database_prepare (db,
                  "SELECT refreshed_at FROM intacct_refresh WHERE profile_id = ?1 AND object = ?2",
                  NULL);
  if (stmt == NULL)
    return NULL;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, object_name);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    when = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 0));

  sqlite3_finalize (stmt);
  return when;
}

GDateTime *
cb_intacct_cache_last_full_refresh (CbDatabase *db,
                                    const char *profile_id,
                                    const char *object)
{
  g_autofree char *object_name = NULL;
  g_autofree char *full_name = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  object_name = canonical_object (object);
  full_name = g_strconcat (object_name, "#FULL", NULL);
  return cb_intacct_cache_last_refresh (db, profile_id, full_name);
}

guint
cb_intacct_cache_count (CbDatabase *db,
                        const char *profile_id,
                        const char *object)
{
  g_autofree char *object_name = NULL;
  sqlite3_stmt *stmt;
  guint n = 0;

  g_return_val_if_fail (CB_IS_DATABASE (db), 0);
  g_return_val_if_fail (profile_id != NULL, 0);
  g_return_val_if_fail (object != NULL, 0);

  object_name = canonical_object (object);
  stmt = cb_database_prepare (db,
                  "SELECT count(*) FROM intacct_records WHERE profile_id = ?1 AND object = ?2",
                  NULL);
  if (stmt == NULL)
    return 0;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, object_name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}
