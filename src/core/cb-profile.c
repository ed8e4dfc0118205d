/* cb-profile.c: see cb-profile.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-profile"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-intacct-client.h"
#include "cb-profile.h"

#define PROFILE_COLUMNS \
  "id, name, endpoint, company_id, user_id, sender_id, entity_id, is_demo, " \
  "default_ap_account, default_location, default_department, default_item, " \
  "default_cost_type, bill_date_rule, missing_cost_type_rule, created, last_connected"

CbProfile *
cb_profile_new (void)
{
  CbProfile *self = g_new0 (CbProfile, 1);

  self->bill_date_rule = CB_BILL_DATE_FROM_BILL;
  self->missing_cost_type_rule = CB_MISSING_COST_TYPE_BLOCK;
  return self;
}

CbProfile *
cb_profile_copy (const CbProfile *self)
{
  CbProfile *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = cb_profile_new ();
  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  copy->endpoint = g_strdup (self->endpoint);
  copy->company_id = g_strdup (self->company_id);
  copy->user_id = g_strdup (self->user_id);
  copy->sender_id = g_strdup (self->sender_id);
  copy->entity_id = g_strdup (self->entity_id);
  copy->is_demo = self->is_demo;
  copy->default_ap_account = g_strdup (self->default_ap_account);
  copy->default_location = g_strdup (self->default_location);
  copy->default_department = g_strdup (self->default_department);
  copy->default_item = g_strdup (self->default_item);
  copy->default_cost_type = g_strdup (self->default_cost_type);
  copy->bill_date_rule = self->bill_date_rule;
  copy->missing_cost_type_rule = self->missing_cost_type_rule;
  copy->created = self->created != NULL ? g_date_time_ref (self->created) : NULL;
  copy->last_connected = self->last_connected != NULL ? g_date_time_ref (self->last_connected) : NULL;
  return copy;
}

void
cb_profile_free (CbProfile *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->name);
  g_free (self->endpoint);
  g_free (self->company_id);
  g_free (self->user_id);
  g_free (self->sender_id);
  g_free (self->entity_id);
  g_free (self->default_ap_account);
  g_free (self->default_location);
  g_free (self->default_department);
  g_free (self->default_item);
  g_free (self->default_cost_type);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->last_connected, g_date_time_unref);
  g_free (self);
}

/* Trims *@field in place; an empty value becomes NULL. */
static void
normalise (char **field)
{
  if (*field == NULL)
    return;
  g_strstrip (*field);
  if (**field == '\0')
    g_clear_pointer (field, g_free);
}

static gboolean
require (const char  *value,
         const char  *label,
         GError     **error)
{
  if (value != NULL)
    return TRUE;
  g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
               _("%s is required."), label);
  return FALSE;
}

gboolean
cb_profile_validate (CbProfile  *self,
                     GError    **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  normalise (&self->id);
  normalise (&self->name);
  normalise (&self->endpoint);
  normalise (&self->company_id);
  normalise (&self->user_id);
  normalise (&self->sender_id);
  normalise (&self->entity_id);
  normalise (&self->default_ap_account);
  normalise (&self->default_location);
  normalise (&self->default_department);
  normalise (&self->default_item);
  normalise (&self->default_cost_type);

  if (!require (self->company_id, _("The company ID"), error) ||
      !require (self->user_id, _("The user ID"), error) ||
      !require (self->sender_id, _("The sender ID"), error))
    return FALSE;

  if (self->endpoint != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!cb_intacct_endpoint_is_allowed (self->endpoint, &local_error))
        {
          g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
                       _("The endpoint “%s” cannot be used: %s"),
                       self->endpoint, local_error->message);
          return FALSE;
        }
    }

  if ((guint) self->bill_date_rule > CB_BILL_DATE_SYNC_DAY)
    {
      g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
                   _("The bill date rule is not valid."));
      return FALSE;
    }
  if ((guint) self->missing_cost_type_rule > CB_MISSING_COST_TYPE_OMIT)
    {
      g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
                   _("The rule for lines without a cost type is not valid."));
      return FALSE;
    }
  if (self->missing_cost_type_rule == CB_MISSING_COST_TYPE_DEFAULT &&
      self->default_cost_type == NULL)
    {
      g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
                   _("The default cost type is required when lines without a cost type use it."));
      return FALSE;
    }

  if (self->name == NULL)
    self->name = g_strdup (self->company_id);

  return TRUE;
}

/* Statement helpers */

static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           GDateTime    *value)
{
  if (value != NULL)
    sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (value));
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NULL;
  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, index));
}

static CbProfile *
profile_from_row (sqlite3_stmt *stmt)
{
  CbProfile *self = cb_profile_new ();

  self->id = column_text (stmt, 0);
  self->name = column_text (stmt, 1);
  self->endpoint = column_text (stmt, 2);
  self->company_id = column_text (stmt, 3);
  self->user_id = column_text (stmt, 4);
  self->sender_id = column_text (stmt, 5);
  self->entity_id = column_text (stmt, 6);
  self->is_demo = sqlite3_column_int (stmt, 7) != 0;
  self->default_ap_account = column_text (stmt, 8);
  self->default_location = column_text (stmt, 9);
  self->default_department = column_text (stmt, 10);
  self->default_item = column_text (stmt, 11);
  self->default_cost_type = column_text (stmt, 12);
  self->bill_date_rule = sqlite3_column_int (stmt, 13);
  self->missing_cost_type_rule = sqlite3_column_int (stmt, 14);
  self->created = column_time (stmt, 15);
  self->last_connected = column_time (stmt, 16);
  return self;
}

static gboolean
is_name_clash (CbDatabase *db,
               int         rc)
{
  const char *message = sqlite3_errmsg (cb_database_get_handle (db));

  return rc == SQLITE_CONSTRAINT_UNIQUE && strstr (message, "profiles.name") != NULL;
}

static void
set_name_clash_error (GError     **error,
                      const char  *name)
{
  g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_CONSTRAINT,
               _("A profile named “%s” already exists. Choose another name."), name);
}

gboolean
cb_profile_save (CbDatabase  *db,
                 CbProfile   *profile,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cb_profile_validate (profile, error))
    return FALSE;

  if (profile->id == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      profile->id = g_strconcat ("p-", uuid, NULL);
    }
  if (profile->created == NULL)
    profile->created = g_date_time_new_now_utc ();

  stmt = cb_database_prepare (db,
                  "INSERT INTO profiles (" PROFILE_COLUMNS ") "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
                  "ON CONFLICT (id) DO UPDATE SET "
                  "name = excluded.name, endpoint = excluded.endpoint, "
                  "company_id = excluded.company_id, user_id = excluded.user_id, "
                  "sender_id = excluded.sender_id, entity_id = excluded.entity_id, "
                  "is_demo = excluded.is_demo, default_ap_account = excluded.default_ap_account, "
                  "default_location = excluded.default_location, "
                  "default_department = excluded.default_department, "
                  "default_item = excluded.default_item, "
                  "default_cost_type = excluded.default_cost_type, "
                  "bill_date_rule = excluded.bill_date_rule, "
                  "missing_cost_type_rule = excluded.missing_cost_type_rule, "
                  "last_connected = excluded.last_connected",
                  error);
  if (stmt == NULL)
    return FALSE;

  cb_database_bind_text (stmt, 1, profile->id);
  cb_database_bind_text (stmt, 2, profile->name);
  cb_database_bind_text (stmt, 3, profile->endpoint);
  cb_database_bind_text (stmt, 4, profile->company_id);
  cb_database_bind_text (stmt, 5, profile->user_id);
  cb_database_bind_text (stmt, 6, profile->sender_id);
  cb_database_bind_text (stmt, 7, profile->entity_id);
  sqlite3_bind_int (stmt, 8, profile->is_demo ? 1 : 0);
  cb_database_bind_text (stmt, 9, profile->default_ap_account);
  cb_database_bind_text (stmt, 10, profile->default_location);
  cb_database_bind_text (stmt, 11, profile->default_department);
  cb_database_bind_text (stmt, 12, profile->default_item);
  cb_database_bind_text (stmt, 13, profile->default_cost_type);
  sqlite3_bind_int (stmt, 14, profile->bill_date_rule);
  sqlite3_bind_int (stmt, 15, profile->missing_cost_type_rule);
  bind_time (stmt, 16, profile->created);
  bind_time (stmt, 17, profile->last_connected);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      if (is_name_clash (db, sqlite3_extended_errcode (cb_database_get_handle (db))))
        set_name_clash_error (error, profile->name);
      else
        cb_database_set_error (db, rc, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  sqlite3_finalize (stmt);
  return TRUE;
}

CbProfile *
cb_profile_load (CbDatabase  *db,
                 const char  *id_or_name,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  CbProfile *profile = NULL;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* An id wins over a name that happens to look like one. */
  stmt = cb_database_prepare (db,
                  "SELECT " PROFILE_COLUMNS " FROM profiles "
                  "WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1",
                  error);
  if (stmt == NULL)
    return NULL;
  cb_database_bind_text (stmt, 1, id_or_name);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    profile = profile_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_NOT_FOUND,
                 _("There is no profile named “%s”."), id_or_name);
  else
    cb_database_set_error (db, rc, error);

  sqlite3_finalize (stmt);
  return profile;
}

GPtrArray *
cb_profile_list (CbDatabase  *db,
                 GError     **error)
{
  g_autoptr(GPtrArray) profiles = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = cb_database_prepare (db,
                  "SELECT " PROFILE_COLUMNS " FROM profiles ORDER BY name COLLATE NOCASE, name",
                  error);
  if (stmt == NULL)
    return NULL;

  profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_profile_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (profiles, profile_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);
  return g_steal_pointer (&profiles);
}

static gboolean
run_on_id (CbDatabase  *db,
           const char  *sql,
           const char  *id,
           const char  *text,
           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_database_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  cb_database_bind_text (stmt, 1, id);
  if (text != NULL)
    cb_database_bind_text (stmt, 2, text);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      if (text != NULL && is_name_clash (db, sqlite3_extended_errcode (cb_database_get_handle (db))))
        set_name_clash_error (error, text);
      else
        cb_database_set_error (db, rc, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  if (sqlite3_changes (cb_database_get_handle (db)) == 0)
    {
      g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_NOT_FOUND,
                   _("There is no profile with the id “%s”."), id);
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_profile_delete (CbDatabase  *db,
                   const char  *id,
                   GError     **error)
{
  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_on_id (db, "DELETE FROM profiles WHERE id = ?1", id, NULL, error);
}

gboolean
cb_profile_rename (CbDatabase  *db,
                   const char  *id,
                   const char  *new_name,
                   GError     **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = g_strstrip (g_strdup (new_name != NULL ? new_name : ""));
  if (*name == '\0')
    {
      g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
                   _("%s is required."), _("The profile name"));
      return FALSE;
    }

  return run_on_id (db, "UPDATE profiles SET name = ?2 WHERE id = ?1", id, name, error);
}
