/* test-database.c: the SQLite store, its pragmas and migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-database"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cb-database.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cb-database-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet: open must create it. */
  fixture->path = g_build_filename (fixture->dir, "nested", "store", "costbridge.db", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static char *
query_text (CbDatabase *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (cb_database_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static void
test_open_create (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = NULL;
  g_autofree char *parent = g_path_get_dirname (fixture->path);
  g_autofree char *mode = NULL;
  g_autofree char *fk = NULL;
  g_autofree char *strict = NULL;
  g_autofree char *indexes = NULL;
  GStatBuf st;

  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpstr (cb_database_get_path (db), ==, fixture->path);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  /* The folders it made are private. */
  g_assert_cmpint (g_stat (parent, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  fk = query_text (db, "PRAGMA foreign_keys");
  g_assert_cmpstr (fk, ==, "1");

  g_assert_cmpint (cb_database_get_version (db), ==, cb_database_latest_version ());
  g_assert_cmpint (cb_database_latest_version (), >=, 1);

  /* The v1 tables are there, STRICT, with the lookup indexes. */
  strict = query_text (db, "SELECT group_concat(name || ':' || strict, ',') FROM "
                           "(SELECT name, strict FROM pragma_table_list "
                           " WHERE name IN ('profiles', 'intacct_records', 'intacct_refresh') "
                           " ORDER BY name)");
  g_assert_cmpstr (strict, ==, "intacct_records:1,intacct_refresh:1,profiles:1");
  indexes = query_text (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                            "AND tbl_name = 'intacct_records' AND sql IS NOT NULL");
  g_assert_cmpstr (indexes, ==, "2");

  /* A STRICT table refuses a value of the wrong type. */
  g_assert_false (cb_database_exec (db,
                                    "INSERT INTO profiles (id, name, company_id, user_id, "
                                    "sender_id, created) VALUES ('a', 'a', 'c', 'u', 's', 'not a time')",
                                    &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, fixture->path));
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = NULL;
  g_autofree char *count = NULL;

  db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_database_exec (db,
                                   "INSERT INTO profiles (id, name, company_id, user_id, "
                                   "sender_id, created) VALUES ('p-1', 'One', 'c', 'u', 's', 0)",
                                   &error));
  g_assert_no_error (error);
  g_clear_object (&db);

  /* Opening again migrates nothing and keeps the data. */
  db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_database_get_version (db), ==, cb_database_latest_version ());
  count = query_text (db, "SELECT count(*) FROM profiles");
  g_assert_cmpstr (count, ==, "1");
  g_clear_object (&db);

  db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
test_future_version (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = NULL;
  g_autofree char *sql = NULL;
  int future = cb_database_latest_version () + 1;
  g_autofree char *future_text = g_strdup_printf ("%d", future);

  db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("PRAGMA user_version = %d", future);
  g_assert_true (cb_database_exec (db, sql, &error));
  g_assert_no_error (error);
  g_clear_object (&db);

  db = cb_database_open (fixture->path, &error);
  g_assert_null (db);
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_nonnull (strstr (error->message, future_text));
}

static void
test_garbage_file (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = NULL;
  g_autofree char *parent = g_path_get_dirname (fixture->path);
  g_autofree char *garbage = g_strnfill (8192, 'x');

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, garbage, -1, &error));
  g_assert_no_error (error);

  db = cb_database_open (fixture->path, &error);
  g_assert_null (db);
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "not a Costbridge database"));
}

static void
test_unwritable_folder (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = NULL;
  g_autofree char *blocker = g_build_filename (fixture->dir, "file", NULL);
  g_autofree char *path = g_build_filename (blocker, "costbridge.db", NULL);

  /* A plain file where the folder should be. */
  g_assert_true (g_file_set_contents (blocker, "", 0, &error));
  db = cb_database_open (path, &error);
  g_assert_null (db);
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_rollback (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = NULL;
  g_autofree char *count = NULL;

  db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);

  g_assert_true (cb_database_begin (db, &error));
  g_assert_no_error (error);
  g_assert_true (cb_database_exec (db,
                                   "INSERT INTO profiles (id, name, company_id, user_id, "
                                   "sender_id, created) VALUES ('p-1', 'One', 'c', 'u', 's', 0);"
                                   "INSERT INTO profiles (id, name, company_id, user_id, "
                                   "sender_id, created) VALUES ('p-2', 'Two', 'c', 'u', 's', 0)",
                                   &error));
  g_assert_no_error (error);
  /* The third clashes on the name: the caller rolls back the whole transaction. */
  g_assert_false (cb_database_exec (db,
                                    "INSERT INTO profiles (id, name, company_id, user_id, "
                                    "sender_id, created) VALUES ('p-3', 'One', 'c', 'u', 's', 0)",
                                    &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_CONSTRAINT);
  cb_database_rollback (db);

  count = query_text (db, "SELECT count(*) FROM profiles");
  g_assert_cmpstr (count, ==, "0");
  g_clear_pointer (&count, g_free);

  /* A foreign key to a missing profile is refused. */
  g_clear_error (&error);
  g_assert_false (cb_database_exec (db,
                                    "INSERT INTO intacct_refresh (profile_id, object, refreshed_at) "
                                    "VALUES ('nobody', 'VENDOR', 0)",
                                    &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_CONSTRAINT);

  /* And a committed one stays after reopening. */
  g_clear_error (&error);
  g_assert_true (cb_database_begin (db, &error));
  g_assert_true (cb_database_exec (db,
                                   "INSERT INTO profiles (id, name, company_id, user_id, "
                                   "sender_id, created) VALUES ('p-4', 'Four', 'c', 'u', 's', 0)",
                                   &error));
  g_assert_true (cb_database_commit (db, &error));
  g_assert_no_error (error);
  g_clear_object (&db);
  db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
  count = query_text (db, "SELECT group_concat(id) FROM profiles");
  g_assert_cmpstr (count, ==, "p-4");
}

static gpointer
open_in_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = cb_database_open (data, &error);

  g_assert_no_error (error);
  g_assert_cmpint (cb_database_get_version (db), ==, cb_database_latest_version ());
  return NULL;
}

static void
test_concurrent_open (Fixture       *fixture,
                      gconstpointer  user_data)
{
  /* One connection per thread, all on a new file at once: one migrates, the others
   * wait for it and migrate nothing. */
  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *path = g_strdup_printf ("%s.%u", fixture->path, round);
      GThread *threads[4];

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("open", open_in_thread, path);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        g_thread_join (threads[i]);
    }
}

static char *
schema_of (CbDatabase *db)
{
  /* Every table, index and trigger, in a stable order. */
  return query_text (db, "SELECT group_concat(sql, ';\n') FROM "
                         "(SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name)");
}

static void
test_upgrade_from_every_version (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh_path = g_strconcat (fixture->path, ".fresh", NULL);
  g_autoptr(CbDatabase) fresh = cb_database_open (fresh_path, &error);
  g_autofree char *fresh_schema = NULL;
  int latest = cb_database_latest_version ();

  g_assert_no_error (error);
  fresh_schema = schema_of (fresh);
  g_assert_nonnull (fresh_schema);

  /* A file left at each earlier version, holding data, upgrades to the latest and keeps it. */
  for (int version = 0; version < latest; version++)
    {
      g_autofree char *path = g_strdup_printf ("%s.v%d", fixture->path, version);
      g_autoptr(CbDatabase) db = NULL;
      g_autofree char *schema = NULL;
      g_autofree char *kept = NULL;

      db = cb_database_open_at_version (path, version, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cb_database_get_version (db), ==, version);
      if (version >= 1)
        g_assert_true (cb_database_exec (db,
                                         "INSERT INTO profiles (id, name, company_id, user_id, "
                                         "sender_id, created) VALUES ('p-1', 'One', 'c', 'u', 's', 0);"
                                         "INSERT INTO intacct_records (profile_id, object, recordno, id, "
                                         "name, fields, last_seen) VALUES ('p-1', 'VENDOR', '7', 'V1', "
                                         "'Acme', '{}', 0)", &error));
      g_assert_no_error (error);
      if (version >= 2)
        g_assert_true (cb_database_exec (db,
                                         "INSERT INTO job_records (profile_id, kind, id, code, name, "
                                         "fields, digest, first_seen, last_seen) VALUES ('p-1', "
                                         "'vendor', 'V-1', 'ACME', 'Acme', '{}', 'x', 0, 0);"
                                         "INSERT INTO job_lines (rec, line_no, amount_cents) "
                                         "VALUES (last_insert_rowid (), 1, 100)", &error));
      g_assert_no_error (error);
      g_clear_object (&db);

      g_test_message ("upgrading from schema %d", version);
      db = cb_database_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cb_database_get_version (db), ==, latest);
      schema = schema_of (db);
      g_assert_cmpstr (schema, ==, fresh_schema);
      if (version >= 1)
        {
          kept = query_text (db, "SELECT p.name || '/' || r.name FROM profiles p "
                                 "JOIN intacct_records r ON r.profile_id = p.id");
          g_assert_cmpstr (kept, ==, "One/Acme");
          g_clear_pointer (&kept, g_free);
        }
      if (version >= 2)
        {
          kept = query_text (db, "SELECT r.name || '/' || l.amount_cents FROM job_records r "
                                 "JOIN job_lines l USING (rec)");
          g_assert_cmpstr (kept, ==, "Acme/100");
        }
    }
}

static void
test_default_path (void)
{
  g_autofree char *path = cb_database_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "costbridge",
                                                "costbridge.db", NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpstr (path, ==, expected);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int ret;

  /* Keep the default path in a scratch folder. */
  data_home = g_dir_make_tmp ("cb-database-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/database/open-create", Fixture, NULL, fixture_set_up, test_open_create, fixture_tear_down);
  g_test_add ("/database/reopen", Fixture, NULL, fixture_set_up, test_reopen, fixture_tear_down);
  g_test_add ("/database/future-version", Fixture, NULL, fixture_set_up, test_future_version, fixture_tear_down);
  g_test_add ("/database/garbage-file", Fixture, NULL, fixture_set_up, test_garbage_file, fixture_tear_down);
  g_test_add ("/database/unwritable-folder", Fixture, NULL, fixture_set_up, test_unwritable_folder, fixture_tear_down);
  g_test_add ("/database/rollback", Fixture, NULL, fixture_set_up, test_rollback, fixture_tear_down);
  g_test_add ("/database/concurrent-open", Fixture, NULL, fixture_set_up, test_concurrent_open, fixture_tear_down);
  g_test_add ("/database/upgrade-from-every-version", Fixture, NULL, fixture_set_up, test_upgrade_from_every_version, fixture_tear_down);
  g_test_add_func ("/database/default-path", test_default_path);

  ret = g_test_run ();
  remove_tree (data_home);
  return ret;
}
