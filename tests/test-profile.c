/* test-profile.c: connection profiles and the Intacct cache in a real SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-profile"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <libsecret/secret.h>

#include "cb-intacct-cache.h"
#include "cb-profile.h"
#include "cb-secret-store.h"

typedef struct
{
  char       *dir;
  char       *path;
  CbDatabase *db;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cb-profile-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "costbridge.db", NULL);
  fixture->db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_finalize_object (fixture->db);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);
      g_remove (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static CbProfile *
make_profile (const char *company)
{
  CbProfile *profile = cb_profile_new ();

  profile->company_id = g_strdup (company);
  profile->user_id = g_strdup ("ws_user");
  profile->sender_id = g_strdup ("sender");
  return profile;
}

static void
assert_invalid (CbProfile  *profile,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_profile_validate (profile, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

static void
test_validate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbProfile) profile = cb_profile_new ();

  assert_invalid (profile, "company ID");
  profile->company_id = g_strdup ("   ");
  assert_invalid (profile, "company ID");
  g_free (profile->company_id);
  profile->company_id = g_strdup ("  acme-co \t");
  assert_invalid (profile, "user ID");
  profile->user_id = g_strdup (" ws_acme ");
  assert_invalid (profile, "sender ID");
  profile->sender_id = g_strdup ("acme-sender");

  profile->endpoint = g_strdup ("https://evil.example.com/ia/xml/xmlgw.phtml");
  assert_invalid (profile, "endpoint");
  g_free (profile->endpoint);
  profile->endpoint = g_strdup ("http://api.intacct.com/ia/xml/xmlgw.phtml");
  assert_invalid (profile, "endpoint");
  g_free (profile->endpoint);
  profile->endpoint = g_strdup (" https://api.intacct.com/ia/xml/xmlgw.phtml ");

  profile->missing_cost_type_rule = CB_MISSING_COST_TYPE_DEFAULT;
  assert_invalid (profile, "default cost type");
  profile->default_cost_type = g_strdup (" M ");

  profile->entity_id = g_strdup ("  ");
  g_assert_true (cb_profile_validate (profile, &error));
  g_assert_no_error (error);

  /* Trimmed, blanks gone, and the name defaults to the company ID. */
  g_assert_cmpstr (profile->company_id, ==, "acme-co");
  g_assert_cmpstr (profile->user_id, ==, "ws_acme");
  g_assert_cmpstr (profile->endpoint, ==, "https://api.intacct.com/ia/xml/xmlgw.phtml");
  g_assert_cmpstr (profile->default_cost_type, ==, "M");
  g_assert_null (profile->entity_id);
  g_assert_cmpstr (profile->name, ==, "acme-co");

  /* Loopback is allowed (the demo sandbox). */
  g_free (profile->endpoint);
  profile->endpoint = g_strdup ("http://127.0.0.1:8080/ia/xml/xmlgw.phtml");
  g_assert_true (cb_profile_validate (profile, &error));
  g_assert_no_error (error);
}

static void
test_crud (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbProfile) profile = make_profile ("acme");
  g_autoptr(CbProfile) loaded = NULL;
  g_autoptr(CbProfile) copy = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 4, 5, 6, 7);
  g_autofree char *id = NULL;

  profile->name = g_strdup ("Acme Builders");
  profile->entity_id = g_strdup ("E100");
  profile->is_demo = TRUE;
  profile->default_ap_account = g_strdup ("2000");
  profile->default_location = g_strdup ("100");
  profile->default_department = g_strdup ("ADMIN");
  profile->default_item = g_strdup ("MAT");
  profile->default_cost_type = g_strdup ("LAB");
  profile->bill_date_rule = CB_BILL_DATE_SYNC_DAY;
  profile->missing_cost_type_rule = CB_MISSING_COST_TYPE_DEFAULT;

  g_assert_true (cb_profile_save (fixture->db, profile, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (profile->id, "p-"));
  g_assert_cmpuint (strlen (profile->id), ==, 2 + 36);
  g_assert_nonnull (profile->created);
  g_assert_null (profile->last_connected);
  id = g_strdup (profile->id);

  /* By id and by name, every field back. */
  loaded = cb_profile_load (fixture->db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->id, ==, id);
  g_assert_cmpstr (loaded->name, ==, "Acme Builders");
  g_assert_null (loaded->endpoint);
  g_assert_cmpstr (loaded->company_id, ==, "acme");
  g_assert_cmpstr (loaded->user_id, ==, "ws_user");
  g_assert_cmpstr (loaded->sender_id, ==, "sender");
  g_assert_cmpstr (loaded->entity_id, ==, "E100");
  g_assert_true (loaded->is_demo);
  g_assert_cmpstr (loaded->default_ap_account, ==, "2000");
  g_assert_cmpstr (loaded->default_location, ==, "100");
  g_assert_cmpstr (loaded->default_department, ==, "ADMIN");
  g_assert_cmpstr (loaded->default_item, ==, "MAT");
  g_assert_cmpstr (loaded->default_cost_type, ==, "LAB");
  g_assert_cmpint (loaded->bill_date_rule, ==, CB_BILL_DATE_SYNC_DAY);
  g_assert_cmpint (loaded->missing_cost_type_rule, ==, CB_MISSING_COST_TYPE_DEFAULT);
  g_assert_cmpint (g_date_time_to_unix (loaded->created), ==, g_date_time_to_unix (profile->created));
  g_assert_null (loaded->last_connected);
  g_clear_pointer (&loaded, cb_profile_free);

  loaded = cb_profile_load (fixture->db, "Acme Builders", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->id, ==, id);

  /* Update in place by id. */
  copy = cb_profile_copy (loaded);
  g_free (copy->entity_id);
  copy->entity_id = NULL;
  copy->last_connected = g_date_time_ref (when);
  g_assert_true (cb_profile_save (fixture->db, copy, &error));
  g_assert_no_error (error);
  g_clear_pointer (&loaded, cb_profile_free);
  loaded = cb_profile_load (fixture->db, id, &error);
  g_assert_no_error (error);
  g_assert_null (loaded->entity_id);
  g_assert_true (g_date_time_equal (loaded->last_connected, when));

  /* A second profile; the list is sorted by name. */
  g_clear_pointer (&profile, cb_profile_free);
  profile = make_profile ("zeta");
  profile->name = g_strdup ("Beta Concrete");
  g_assert_true (cb_profile_save (fixture->db, profile, &error));
  g_assert_no_error (error);

  list = cb_profile_list (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((CbProfile *) list->pdata[0])->name, ==, "Acme Builders");
  g_assert_cmpstr (((CbProfile *) list->pdata[1])->name, ==, "Beta Concrete");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Delete, then it is gone. */
  g_assert_true (cb_profile_delete (fixture->db, id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&loaded, cb_profile_free);
  loaded = cb_profile_load (fixture->db, id, &error);
  g_assert_null (loaded);
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_profile_delete (fixture->db, id, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = cb_profile_list (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Save refuses an invalid profile and writes nothing. */
  g_clear_pointer (&profile, cb_profile_free);
  profile = make_profile (" ");
  g_assert_false (cb_profile_save (fixture->db, profile, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID);
  g_assert_null (profile->id);
}

static void
test_unique_names (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbProfile) first = make_profile ("acme");
  g_autoptr(CbProfile) second = make_profile ("acme");
  g_autoptr(CbProfile) loaded = NULL;

  g_assert_true (cb_profile_save (fixture->db, first, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (first->name, ==, "acme");

  /* Same company, same default name: a clear clash. */
  g_assert_false (cb_profile_save (fixture->db, second, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "A profile named “acme” already exists"));
  g_clear_error (&error);

  g_free (second->name);
  second->name = g_strdup ("Acme (sandbox)");
  g_assert_true (cb_profile_save (fixture->db, second, &error));
  g_assert_no_error (error);

  /* Rename: to a taken name fails, to a free one works, blank is refused. */
  g_assert_false (cb_profile_rename (fixture->db, second->id, "acme", &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "“acme”"));
  g_clear_error (&error);

  g_assert_false (cb_profile_rename (fixture->db, second->id, "   ", &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "profile name"));
  g_clear_error (&error);

  g_assert_true (cb_profile_rename (fixture->db, second->id, "  Acme Test Company ", &error));
  g_assert_no_error (error);
  loaded = cb_profile_load (fixture->db, "Acme Test Company", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->id, ==, second->id);
  g_assert_cmpstr (loaded->company_id, ==, "acme");
  g_clear_pointer (&loaded, cb_profile_free);

  loaded = cb_profile_load (fixture->db, "Acme (sandbox)", &error);
  g_assert_null (loaded);
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Acme (sandbox)"));
  g_clear_error (&error);

  g_assert_false (cb_profile_rename (fixture->db, "p-missing", "Whatever", &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_NOT_FOUND);
}

static CbIntacctRecord *
make_record (const char *recordno,
             const char *id,
             const char *name_field,
             const char *name,
             const char *status)
{
  CbIntacctRecord *record = cb_intacct_record_new ("GLACCOUNT");

  cb_intacct_record_add_field (record, "RECORDNO", recordno);
  cb_intacct_record_add_field (record, "ACCOUNTNO", id);
  cb_intacct_record_add_field (record, name_field, name);
  if (status != NULL)
    cb_intacct_record_add_field (record, "STATUS", status);
  return record;
}

static char *
query_text (CbDatabase *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (cb_database_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static void
test_cache (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbProfile) profile = make_profile ("acme");
  g_autoptr(CbProfile) other = make_profile ("other");
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CbCachedRecord) found = NULL;
  g_autoptr(GDateTime) refreshed = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *count = NULL;
  CbCachedRecord *row;

  g_assert_true (cb_profile_save (fixture->db, profile, &error));
  g_assert_true (cb_profile_save (fixture->db, other, &error));
  g_assert_no_error (error);

  g_assert_null (cb_intacct_cache_last_refresh (fixture->db, profile->id, "GLACCOUNT"));

  g_ptr_array_add (records, make_record ("12", "6000", "TITLE", "Concrete Costs", "active"));
  g_ptr_array_add (records, make_record ("10", "1000", "TITLE", "Café Checking", "Active"));
  g_ptr_array_add (records, make_record ("11", "2000", "TITLE", "Accounts Payable", "inactive"));
  g_assert_true (cb_intacct_cache_store (fixture->db, profile->id, "glaccount", records, &error));
  g_assert_no_error (error);

  refreshed = cb_intacct_cache_last_refresh (fixture->db, profile->id, "GLACCOUNT");
  g_assert_nonnull (refreshed);
  g_assert_cmpint (ABS (g_date_time_to_unix (refreshed) - g_get_real_time () / G_USEC_PER_SEC), <=, 5);
  g_assert_null (cb_intacct_cache_last_refresh (fixture->db, other->id, "GLACCOUNT"));

  /* All, ordered by id, names from TITLE, statuses lower case. */
  list = cb_intacct_cache_list (fixture->db, profile->id, "GLACCOUNT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  row = list->pdata[0];
  g_assert_cmpstr (row->object, ==, "GLACCOUNT");
  g_assert_cmpstr (row->recordno, ==, "10");
  g_assert_cmpstr (row->id, ==, "1000");
  g_assert_cmpstr (row->name, ==, "Café Checking");
  g_assert_cmpstr (row->status, ==, "active");
  g_assert_null (row->entity);
  g_assert_cmpstr (((CbCachedRecord *) list->pdata[1])->id, ==, "2000");
  g_assert_cmpstr (((CbCachedRecord *) list->pdata[1])->status, ==, "inactive");
  g_assert_cmpstr (((CbCachedRecord *) list->pdata[2])->id, ==, "6000");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Search by name or id, ignoring case (also beyond ASCII). */
  list = cb_intacct_cache_list (fixture->db, profile->id, "GLACCOUNT", "CAFÉ", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((CbCachedRecord *) list->pdata[0])->id, ==, "1000");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cb_intacct_cache_list (fixture->db, profile->id, "GLACCOUNT", "00", &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cb_intacct_cache_list (fixture->db, profile->id, "GLACCOUNT", "6", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cb_intacct_cache_list (fixture->db, other->id, "GLACCOUNT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Every field kept as JSON. */
  fields = query_text (fixture->db, "SELECT fields FROM intacct_records WHERE recordno = '12'");
  g_assert_cmpstr (fields, ==,
                   "{\"RECORDNO\":\"12\",\"ACCOUNTNO\":\"6000\",\"TITLE\":\"Concrete Costs\",\"STATUS\":\"active\"}");

  /* Find by id; a missing id is NULL without an error. */
  found = cb_intacct_cache_find (fixture->db, profile->id, "GLACCOUNT", "2000", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->name, ==, "Accounts Payable");
  g_clear_pointer (&found, cb_cached_record_free);
  found = cb_intacct_cache_find (fixture->db, profile->id, "GLACCOUNT", "9999", &error);
  g_assert_no_error (error);
  g_assert_null (found);

  /* Upsert by RECORDNO: a renamed account replaces its row. */
  g_ptr_array_set_size (records, 0);
  g_ptr_array_add (records, make_record ("11", "2000", "TITLE", "Trade Payables", "active"));
  g_assert_true (cb_intacct_cache_store (fixture->db, profile->id, "GLACCOUNT", records, &error));
  g_assert_no_error (error);
  found = cb_intacct_cache_find (fixture->db, profile->id, "GLACCOUNT", "2000", &error);
  g_assert_cmpstr (found->name, ==, "Trade Payables");
  g_assert_cmpstr (found->status, ==, "active");
  g_clear_pointer (&found, cb_cached_record_free);
  count = query_text (fixture->db, "SELECT count(*) FROM intacct_records");
  g_assert_cmpstr (count, ==, "3");
  g_clear_pointer (&count, g_free);

  /* A batch with a bad record stores nothing of it (one transaction). */
  g_ptr_array_set_size (records, 0);
  g_ptr_array_add (records, make_record ("20", "7000", "TITLE", "Equipment", "active"));
  g_ptr_array_add (records, make_record ("", "7100", "TITLE", "No record number", "active"));
  g_assert_false (cb_intacct_cache_store (fixture->db, profile->id, "GLACCOUNT", records, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  found = cb_intacct_cache_find (fixture->db, profile->id, "GLACCOUNT", "7000", &error);
  g_assert_no_error (error);
  g_assert_null (found);

  /* A vendor: the id is VENDORID, the name NAME. */
  g_ptr_array_set_size (records, 0);
  {
    CbIntacctRecord *vendor = cb_intacct_record_new ("VENDOR");

    cb_intacct_record_add_field (vendor, "RECORDNO", "5");
    cb_intacct_record_add_field (vendor, "VENDORID", "V100");
    cb_intacct_record_add_field (vendor, "NAME", "Ready Mix Supply");
    cb_intacct_record_add_field (vendor, "MEGAENTITYID", "E1");
    g_ptr_array_add (records, vendor);
  }
  g_assert_true (cb_intacct_cache_store (fixture->db, profile->id, "VENDOR", records, &error));
  g_assert_no_error (error);
  found = cb_intacct_cache_find (fixture->db, profile->id, "vendor", "V100", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->name, ==, "Ready Mix Supply");
  g_assert_cmpstr (found->entity, ==, "E1");
  g_assert_null (found->status);
  g_clear_pointer (&found, cb_cached_record_free);

  /* Deleting the profile takes its cache with it, and only its cache. */
  g_ptr_array_set_size (records, 0);
  g_ptr_array_add (records, make_record ("1", "1000", "TITLE", "Cash", "active"));
  g_assert_true (cb_intacct_cache_store (fixture->db, other->id, "GLACCOUNT", records, &error));
  g_assert_no_error (error);

  g_assert_true (cb_profile_delete (fixture->db, profile->id, &error));
  g_assert_no_error (error);
  count = query_text (fixture->db, "SELECT count(*) FROM intacct_records");
  g_assert_cmpstr (count, ==, "1");
  g_clear_pointer (&count, g_free);
  count = query_text (fixture->db, "SELECT group_concat(profile_id) FROM intacct_refresh");
  g_assert_cmpstr (count, ==, other->id);
  g_assert_null (cb_intacct_cache_last_refresh (fixture->db, profile->id, "GLACCOUNT"));
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize needle_length = strlen (needle);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  if (length < needle_length)
    return FALSE;
  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (contents + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

static void
test_no_secret_on_disk (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbProfile) profile = make_profile ("acme-secrets");
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *user_password = g_strdup_printf ("userpw-%s", uuid);
  g_autofree char *sender_password = g_strdup_printf ("senderpw-%s", uuid);
  char *secret = NULL;

  g_assert_true (cb_profile_save (fixture->db, profile, &error));
  g_assert_no_error (error);

  if (!cb_secret_store_save (profile->id, CB_SECRET_USER_PASSWORD, "Costbridge: user password",
                             user_password, NULL, &error))
    {
      g_assert_error (error, CB_SECRET_ERROR, CB_SECRET_ERROR_UNAVAILABLE);
      g_test_skip ("No Secret Service: run under build-aux/run-tests");
      return;
    }
  g_assert_true (cb_secret_store_save (profile->id, CB_SECRET_SENDER_PASSWORD,
                                       "Costbridge: sender password",
                                       sender_password, NULL, &error));
  g_assert_no_error (error);

  /* Touch the profile again, as the connect flow does after a successful test. */
  profile->last_connected = g_date_time_new_now_utc ();
  g_assert_true (cb_profile_save (fixture->db, profile, &error));
  g_assert_no_error (error);

  /* The keyring has them; the database and its WAL do not. The company ID is there,
   * which shows the search reads the real bytes. */
  secret = cb_secret_store_lookup (profile->id, CB_SECRET_SENDER_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, sender_password);
  cb_clear_secret (&secret);

  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (file_contains (wal, "acme-secrets") || file_contains (fixture->path, "acme-secrets"));
  g_assert_false (file_contains (fixture->path, user_password));
  g_assert_false (file_contains (wal, user_password));
  g_assert_false (file_contains (fixture->path, sender_password));
  g_assert_false (file_contains (wal, sender_password));

  g_assert_true (cb_secret_store_clear (profile->id, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile/validate", test_validate);
  g_test_add ("/profile/crud", Fixture, NULL, fixture_set_up, test_crud, fixture_tear_down);
  g_test_add ("/profile/unique-names", Fixture, NULL, fixture_set_up, test_unique_names, fixture_tear_down);
  g_test_add ("/profile/cache", Fixture, NULL, fixture_set_up, test_cache, fixture_tear_down);
  g_test_add ("/profile/no-secret-on-disk", Fixture, NULL, fixture_set_up, test_no_secret_on_disk, fixture_tear_down);

  ret = g_test_run ();
  /* Drop libsecret's cached service, so LeakSanitizer sees only real leaks. */
  secret_service_disconnect ();
  return ret;
}
