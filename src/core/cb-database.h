/* cb-database.h: the local SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One database file per user (XDG data dir: costbridge/costbridge.db), WAL, foreign keys,
 * STRICT tables, numbered migrations (PRAGMA user_version). One connection per thread:
 * open one in each worker. Never holds a secret.
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "cb-error.h"

G_BEGIN_DECLS

#define CB_TYPE_DATABASE (cb_database_get_type ())
G_DECLARE_FINAL_TYPE (CbDatabase, cb_database, CB, DATABASE, GObject)

/* The default file: $XDG_DATA_HOME/costbridge/costbridge.db (folders are created). */
char       *cb_database_default_path   (void);

/* Opens (creating and migrating as needed) the file at @path. */
CbDatabase *cb_database_open           (const char  *path,
                                        GError     **error);
/* For tests of the migrations only: opens @path migrating no further than @version (a
 * newer file is refused as by cb_database_open()). */
CbDatabase *cb_database_open_at_version (const char  *path,
                                         int          version,
                                         GError     **error);
const char *cb_database_get_path       (CbDatabase  *self);
sqlite3    *cb_database_get_handle     (CbDatabase  *self);
/* The schema version after migrations. */
int         cb_database_get_version    (CbDatabase  *self);
int         cb_database_latest_version (void);

/* Transactions (BEGIN IMMEDIATE / COMMIT / ROLLBACK), errors in CB_DATABASE_ERROR. */
gboolean    cb_database_begin          (CbDatabase  *self,
                                        GError     **error);
gboolean    cb_database_commit         (CbDatabase  *self,
                                        GError     **error);
void        cb_database_rollback       (CbDatabase  *self);
/* Statement helpers shared by every module that keeps data in the store. */
/* Sets @error (CB_DATABASE_ERROR, code from the SQLite result @rc) with a sentence naming
 * the file and SQLite's reason. */
void          cb_database_set_error  (CbDatabase    *self,
                                      int            rc,
                                      GError       **error);
/* A prepared statement (finalize it), or NULL with @error. */
sqlite3_stmt *cb_database_prepare    (CbDatabase    *self,
                                      const char    *sql,
                                      GError       **error);
/* Binds @value, or NULL when @value is NULL. */
void          cb_database_bind_text  (sqlite3_stmt  *stmt,
                                      int            index,
                                      const char    *value);

/* Runs SQL with no results (several statements allowed). */
gboolean    cb_database_exec           (CbDatabase  *self,
                                        const char  *sql,
                                        GError     **error);

G_END_DECLS
