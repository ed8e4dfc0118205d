/* cb-database.c: see cb-database.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-database"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cb-database.h"

#define BUSY_TIMEOUT_MS 5000

/* Numbered migrations: migrations[i] takes the schema from version i to i + 1. Each runs
 * in its own transaction together with the user_version bump. Append; never edit one
 * that has shipped. */
static const char * const migrations[] = {
  /* 1: profiles and the Intacct cache */
  "CREATE TABLE profiles ("
  "  id                     TEXT PRIMARY KEY NOT NULL,"
  "  name                   TEXT NOT NULL UNIQUE,"
  "  endpoint               TEXT,"
  "  company_id             TEXT NOT NULL,"
  "  user_id                TEXT NOT NULL,"
  "  sender_id              TEXT NOT NULL,"
  "  entity_id              TEXT,"
  "  is_demo                INTEGER NOT NULL DEFAULT 0,"
  "  default_ap_account     TEXT,"
  "  default_location       TEXT,"
  "  default_department     TEXT,"
  "  default_item           TEXT,"
  "  default_cost_type      TEXT,"
  "  bill_date_rule         INTEGER NOT NULL DEFAULT 0,"
  "  missing_cost_type_rule INTEGER NOT NULL DEFAULT 0,"
  "  created                INTEGER NOT NULL,"
  "  last_connected         INTEGER"
  ") STRICT;"
  "CREATE TABLE intacct_records ("
  "  profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,"
  "  object     TEXT NOT NULL,"
  "  recordno   TEXT NOT NULL,"
  "  id         TEXT,"
  "  name       TEXT,"
  "  status     TEXT,"
  "  entity     TEXT,"
  "  fields     TEXT NOT NULL,"
  "  last_seen  INTEGER NOT NULL,"
  "  PRIMARY KEY (profile_id, object, recordno)"
  ") STRICT;"
  "CREATE INDEX intacct_records_by_id ON intacct_records (profile_id, object, id);"
  "CREATE INDEX intacct_records_by_name ON intacct_records (profile_id, object, name COLLATE NOCASE);"
  "CREATE TABLE intacct_refresh ("
  "  profile_id   TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,"
  "  object       TEXT NOT NULL,"
  "  refreshed_at INTEGER NOT NULL,"
  "  PRIMARY KEY (profile_id, object)"
  ") STRICT;",
  /* 2: job-side records and imports (cb-job-store.h) */
#include "cb-schema-2-jobs.inc"
  ,
  /* 3: mappings, their history and undo (cb-mapping-store.h) */
#include "cb-schema-3-mappings.inc"
  ,
  /* 4: sync runs, the outbox and per-record outcomes (cb-sync-runner.h) */
#include "cb-schema-4-sync.inc"
  ,
};

struct _CbDatabase
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *handle;
  int      version;
};

G_DEFINE_FINAL_TYPE (CbDatabase, cb_database, G_TYPE_OBJECT)

static void
cb_database_finalize (GObject *object)
{
  CbDatabase *self = CB_DATABASE (object);

  if (self->handle != NULL)
    sqlite3_close_v2 (self->handle);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cb_database_parent_class)->finalize (object);
}

static void
cb_database_class_init (CbDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_database_finalize;
}

static void
cb_database_init (CbDatabase *self)
{
}

static CbDatabaseErrorCode
code_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return CB_DATABASE_ERROR_CONSTRAINT;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_SCHEMA:
      return CB_DATABASE_ERROR_SCHEMA;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return CB_DATABASE_ERROR_OPEN;
    case SQLITE_NOTFOUND:
      return CB_DATABASE_ERROR_NOT_FOUND;
    default:
      return CB_DATABASE_ERROR_IO;
    }
}

static void
set_error_from_handle (GError     **error,
                       sqlite3     *handle,
                       const char  *path,
                       int          rc)
{
  const char *reason = handle != NULL ? sqlite3_errmsg (handle) : sqlite3_errstr (rc);
  CbDatabaseErrorCode code = code_from_sqlite (rc);

  switch (code)
    {
    case CB_DATABASE_ERROR_SCHEMA:
      g_set_error (error, CB_DATABASE_ERROR, code,
                   _("The file “%s” is not a Costbridge database, or it is damaged (%s)."),
                   path, reason);
      break;
    case CB_DATABASE_ERROR_OPEN:
      g_set_error (error, CB_DATABASE_ERROR, code,
                   _("Could not open the database “%s” (%s)."), path, reason);
      break;
    case CB_DATABASE_ERROR_CONSTRAINT:
      g_set_error (error, CB_DATABASE_ERROR, code,
                   _("The database “%s” refused the change (%s)."), path, reason);
      break;
    default:
      g_set_error (error, CB_DATABASE_ERROR, code,
                   _("Could not read or write the database “%s” (%s)."), path, reason);
      break;
    }
}

char *
cb_database_default_path (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "costbridge", NULL);

  /* A failure here shows again, with a sentence for the user, in cb_database_open(). */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_debug ("Could not create %s: %s", dir, g_strerror (errno));
  return g_build_filename (dir, "costbridge.db", NULL);
}

int
cb_database_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

static gboolean
exec_raw (CbDatabase  *self,
          const char  *sql,
          GError     **error)
{
  int rc = sqlite3_exec (self->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_error_from_handle (error, self->handle, self->path, rc);
      return FALSE;
    }
  return TRUE;
}

/* SQLite answers SQLITE_BUSY without calling the busy handler in a few places, such as
 * switching a new file to WAL while another connection does the same. Retry those for
 * as long as the busy timeout would have waited. */
static gboolean
exec_retrying (CbDatabase  *self,
               const char  *sql,
               GError     **error)
{
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * 1000;
  int rc;

  while ((rc = sqlite3_exec (self->handle, sql, NULL, NULL, NULL)) != SQLITE_OK)
    {
      if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        break;
      if (g_get_monotonic_time () > deadline)
        break;
      g_usleep (5000);
    }
  if (rc != SQLITE_OK)
    {
      set_error_from_handle (error, self->handle, self->path, rc);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_version (CbDatabase  *self,
              int         *version,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * 1000;

      while ((rc = sqlite3_step (stmt)) == SQLITE_BUSY && g_get_monotonic_time () < deadline)
        {
          sqlite3_reset (stmt);
          g_usleep (5000);
        }
    }
  if (rc != SQLITE_ROW)
    {
      set_error_from_handle (error, self->handle, self->path, rc);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
migrate (CbDatabase  *self,
         int          latest,
         GError     **error)
{
  if (!read_version (self, &self->version, error))
    return FALSE;

  if (self->version > cb_database_latest_version ())
    {
      g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_SCHEMA,
                   _("The database “%s” was written by a newer version of Costbridge "
                     "(schema %d; this version knows up to %d). Update Costbridge to open it."),
                   self->path, self->version, cb_database_latest_version ());
      return FALSE;
    }
  if (self->version < 0)
    {
      g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_SCHEMA,
                   _("The database “%s” has an invalid schema version (%d)."),
                   self->path, self->version);
      return FALSE;
    }

  while (self->version < latest)
    {
      g_autofree char *bump = NULL;
      int next;

      if (!exec_retrying (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      /* Another connection (a worker opening the same file) may have migrated while
       * this one waited for the write lock. */
      if (!read_version (self, &self->version, error))
        {
          cb_database_rollback (self);
          return FALSE;
        }
      if (self->version >= latest)
        {
          cb_database_rollback (self);
          break;
        }
      next = self->version + 1;
      bump = g_strdup_printf ("PRAGMA user_version = %d", next);

      g_debug ("Migrating %s to schema %d", self->path, next);
      if (!exec_raw (self, migrations[self->version], error) ||
          !exec_raw (self, bump, error) ||
          !cb_database_commit (self, error))
        {
          cb_database_rollback (self);
          return FALSE;
        }
      self->version = next;
    }

  return TRUE;
}

static CbDatabase *
open_at (const char  *path,
         int          version,
         GError     **error)
{
  g_autoptr(CbDatabase) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CB_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_OPEN,
                   _("Could not create the folder for the database “%s” (%s)."),
                   path, g_strerror (saved_errno));
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_handle (error, self->handle, path, rc);
      return NULL;
    }

  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->handle, 1);

  /* journal_mode is the first statement that reads the file, so a file that is not a
   * database fails here. */
  if (!exec_retrying (self, "PRAGMA journal_mode = WAL", error) ||
      !exec_retrying (self, "PRAGMA foreign_keys = ON", error) ||
      !exec_retrying (self, "PRAGMA synchronous = NORMAL", error))
    return NULL;

  if (!migrate (self, version, error))
    return NULL;

  return g_steal_pointer (&self);
}

CbDatabase *
cb_database_open (const char  *path,
                  GError     **error)
{
  return open_at (path, cb_database_latest_version (), error);
}

CbDatabase *
cb_database_open_at_version (const char  *path,
                             int          version,
                             GError     **error)
{
  g_return_val_if_fail (version >= 0 && version <= cb_database_latest_version (), NULL);
  return open_at (path, version, error);
}

const char *
cb_database_get_path (CbDatabase *self)
{
  g_return_val_if_fail (CB_IS_DATABASE (self), NULL);
  return self->path;
}

sqlite3 *
cb_database_get_handle (CbDatabase *self)
{
  g_return_val_if_fail (CB_IS_DATABASE (self), NULL);
  return self->handle;
}

int
cb_database_get_version (CbDatabase *self)
{
  g_return_val_if_fail (CB_IS_DATABASE (self), 0);
  return self->version;
}

gboolean
cb_database_begin (CbDatabase  *self,
                   GError     **error)
{
  g_return_val_if_fail (CB_IS_DATABASE (self), FALSE);
  return exec_raw (self, "BEGIN IMMEDIATE", error);
}

gboolean
cb_database_commit (CbDatabase  *self,
                    GError     **error)
{
  g_return_val_if_fail (CB_IS_DATABASE (self), FALSE);
  return exec_raw (self, "COMMIT", error);
}

void
cb_database_rollback (CbDatabase *self)
{
  g_return_if_fail (CB_IS_DATABASE (self));
  if (!sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
cb_database_exec (CbDatabase  *self,
                  const char  *sql,
                  GError     **error)
{
  g_return_val_if_fail (CB_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  return exec_raw (self, sql, error);
}

void
cb_database_set_error (CbDatabase  *self,
                       int          rc,
                       GError     **error)
{
  g_return_if_fail (CB_IS_DATABASE (self));

  set_error_from_handle (error, self->handle, self->path, rc);
}

sqlite3_stmt *
cb_database_prepare (CbDatabase  *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (self), NULL);

  rc = sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      cb_database_set_error (self, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

void
cb_database_bind_text (sqlite3_stmt *stmt,
                       int           index,
                       const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}
