/* test-job-store.c: the job-side store on a real SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-job-store"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cb-job-store.h"

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

  fixture->dir = g_dir_make_tmp ("cb-job-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "costbridge.db", NULL);
  fixture->db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_database_exec (fixture->db,
                                   "INSERT INTO profiles (id, name, company_id, user_id, sender_id, created) "
                                   "VALUES ('p1', 'One', 'c', 'u', 's', 0), ('p2', 'Two', 'c', 'u', 's', 0)",
                                   &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->db);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (fixture->path, suffixes[i], NULL);

      g_unlink (p);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static CbJobRecord *
vendor (const char *id,
        const char *name,
        const char *tax_id)
{
  CbJobRecord *r = cb_job_record_new (CB_JOB_KIND_VENDOR, id);

  cb_job_record_set (r, "name", name);
  cb_job_record_set (r, "code", id);
  cb_job_record_set (r, "tax_id", tax_id);
  cb_job_record_set (r, "status", "active");
  return r;
}

static void
add_line (CbJobRecord *bill,
          const char  *job,
          const char  *cost_code,
          const char  *cost_type,
          gint64       cents)
{
  CbJobLine *line = g_new0 (CbJobLine, 1);

  line->line_no = bill->lines->len + 1;
  line->job_id = g_strdup (job);
  line->cost_code_id = g_strdup (cost_code);
  line->cost_type_id = g_strdup (cost_type);
  line->amount_cents = cents;
  g_ptr_array_add (bill->lines, line);
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
test_kinds (void)
{
  CbJobKind kind = CB_JOB_N_KINDS;

  g_assert_cmpstr (cb_job_kind_to_string (CB_JOB_KIND_COST_CODE), ==, "cost_code");
  g_assert_true (cb_job_kind_from_string ("cost-codes", &kind));
  g_assert_cmpint (kind, ==, CB_JOB_KIND_COST_CODE);
  g_assert_true (cb_job_kind_from_string ("Vendors", &kind));
  g_assert_cmpint (kind, ==, CB_JOB_KIND_VENDOR);
  g_assert_true (cb_job_kind_from_string ("cost_type", &kind));
  g_assert_cmpint (kind, ==, CB_JOB_KIND_COST_TYPE);
  g_assert_true (cb_job_kind_from_string ("commitments", &kind));
  g_assert_cmpint (kind, ==, CB_JOB_KIND_COMMITMENT);
  g_assert_false (cb_job_kind_from_string ("invoices", &kind));
  g_assert_false (cb_job_kind_from_string ("", &kind));
  g_assert_false (cb_job_kind_from_string ("s", &kind));
  g_assert_cmpstr (cb_job_kind_get_label (CB_JOB_KIND_COST_TYPE), ==, "Cost types");
  g_assert_true (cb_job_kind_has_lines (CB_JOB_KIND_BILL));
  g_assert_false (cb_job_kind_has_lines (CB_JOB_KIND_JOB));
}

static void
test_record_fields (void)
{
  g_autoptr(CbJobRecord) bill = cb_job_record_new (CB_JOB_KIND_BILL, "B-1");

  cb_job_record_set (bill, "number", "INV-77");
  cb_job_record_set (bill, "memo", "Rebar");
  cb_job_record_set (bill, "status", "open");
  g_assert_cmpstr (bill->id, ==, "B-1");
  g_assert_cmpstr (bill->code, ==, "INV-77");
  g_assert_cmpstr (bill->name, ==, "Rebar");
  g_assert_cmpstr (bill->status, ==, "open");
  g_assert_cmpstr (cb_job_record_get (bill, "id"), ==, "B-1");
  cb_job_record_set (bill, "memo", NULL);
  g_assert_null (bill->name);
  g_assert_null (cb_job_record_get (bill, "memo"));
  add_line (bill, "J1", "01-100", NULL, 12345);
  add_line (bill, "J1", "01-200", "L", -345);
  g_assert_cmpint (cb_job_record_total_cents (bill), ==, 12000);
}

static void
test_apply_and_reapply (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(CbJobRecord) found = NULL;
  g_autoptr(GDateTime) last = NULL;
  CbJobApplyCounts counts = { 0, };

  g_assert_null (cb_job_store_last_import (fixture->db, "p1", CB_JOB_KIND_VENDOR));

  g_ptr_array_add (records, vendor ("V-1", "Acme Concrete Inc.", "12-3456789"));
  g_ptr_array_add (records, vendor ("V-2", "Bolt Electric", NULL));
  g_ptr_array_add (records, vendor ("V-3", "Crane & Rigging 100%", NULL));
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_VENDOR, records, FALSE, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, 3);
  g_assert_cmpuint (counts.updated, ==, 0);

  last = cb_job_store_last_import (fixture->db, "p1", CB_JOB_KIND_VENDOR);
  g_assert_nonnull (last);
  g_assert_null (cb_job_store_last_import (fixture->db, "p2", CB_JOB_KIND_VENDOR));

  /* Again, with one renamed: updated in place, never duplicated. */
  cb_job_record_set (g_ptr_array_index (records, 1), "name", "Bolt Electric Incorporated");
  memset (&counts, 0, sizeof counts);
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_VENDOR, records, FALSE, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, 0);
  g_assert_cmpuint (counts.updated, ==, 1);
  g_assert_cmpuint (counts.unchanged, ==, 2);
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_VENDOR, NULL, &error), ==, 3);
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p2", CB_JOB_KIND_VENDOR, NULL, &error), ==, 0);
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_JOB, NULL, &error), ==, 0);

  found = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-2", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->name, ==, "Bolt Electric Incorporated");
  g_assert_cmpstr (found->code, ==, "V-2");
  g_assert_cmpstr (found->status, ==, "active");
  g_assert_null (cb_job_record_get (found, "tax_id"));
  g_assert_nonnull (found->first_seen);
  g_assert_nonnull (found->last_seen);
  g_assert_null (found->vanished_at);
  g_assert_null (found->lines);
  g_clear_pointer (&found, cb_job_record_free);

  found = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-404", &error);
  g_assert_no_error (error);
  g_assert_null (found);
  found = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_JOB, "V-1", &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
test_vanished (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(CbJobRecord) found = NULL;
  CbJobApplyCounts counts = { 0, };
  CbJobQuery all = { .include_vanished = TRUE };

  g_ptr_array_add (records, vendor ("V-1", "Acme", NULL));
  g_ptr_array_add (records, vendor ("V-2", "Bolt", NULL));
  g_ptr_array_add (records, vendor ("V-3", "Crane", NULL));
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_VENDOR, records, TRUE, &counts, &error));
  g_assert_no_error (error);
  /* Another profile's records are never touched by this profile's full import. */
  g_assert_true (cb_job_store_apply (fixture->db, "p2", CB_JOB_KIND_VENDOR, records, TRUE, NULL, &error));
  g_assert_no_error (error);

  /* A partial import without V-2 leaves it alone; a full one marks it vanished. */
  g_ptr_array_remove_index (records, 1);
  memset (&counts, 0, sizeof counts);
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_VENDOR, records, FALSE, &counts, &error));
  g_assert_cmpuint (counts.vanished, ==, 0);
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_VENDOR, NULL, &error), ==, 3);

  memset (&counts, 0, sizeof counts);
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_VENDOR, records, TRUE, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.vanished, ==, 1);
  g_assert_cmpuint (counts.unchanged, ==, 2);
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_VENDOR, NULL, &error), ==, 2);
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_VENDOR, &all, &error), ==, 3);
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p2", CB_JOB_KIND_VENDOR, NULL, &error), ==, 3);

  /* Marked, not deleted. */
  found = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-2", &error);
  g_assert_nonnull (found);
  g_assert_nonnull (found->vanished_at);
  g_clear_pointer (&found, cb_job_record_free);

  /* A second full import does not count it again. */
  memset (&counts, 0, sizeof counts);
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_VENDOR, records, TRUE, &counts, &error));
  g_assert_cmpuint (counts.vanished, ==, 0);

  /* It comes back. */
  g_ptr_array_add (records, vendor ("V-2", "Bolt", NULL));
  memset (&counts, 0, sizeof counts);
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_VENDOR, records, TRUE, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.updated, ==, 1);
  g_assert_cmpuint (counts.unchanged, ==, 2);
  g_assert_cmpuint (counts.vanished, ==, 0);
  found = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-2", &error);
  g_assert_null (found->vanished_at);

  listed = cb_job_store_list (fixture->db, "p1", CB_JOB_KIND_VENDOR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 3);
}

static void
test_lines (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(CbJobRecord) found = NULL;
  g_autofree char *total = NULL;
  CbJobApplyCounts counts = { 0, };
  CbJobQuery with_lines = { .with_lines = TRUE };
  CbJobRecord *bill = cb_job_record_new (CB_JOB_KIND_BILL, "B-1");
  CbJobRecord *commitment = cb_job_record_new (CB_JOB_KIND_COMMITMENT, "SC-1");
  CbJobLine *line;

  cb_job_record_set (bill, "number", "INV-1");
  cb_job_record_set (bill, "vendor_id", "V-1");
  cb_job_record_set (bill, "date", "2026-03-14");
  /* Lines may point at jobs and cost codes that have not been imported (yet). */
  add_line (bill, "J-100", "03-300", "M", 150000);
  add_line (bill, "J-100", "03-310", NULL, -2500);
  g_ptr_array_add (records, bill);
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_BILL, records, FALSE, &counts, &error));
  g_assert_no_error (error);

  found = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_BILL, "B-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->lines->len, ==, 2);
  line = g_ptr_array_index (found->lines, 1);
  g_assert_cmpuint (line->line_no, ==, 2);
  g_assert_cmpstr (line->job_id, ==, "J-100");
  g_assert_cmpstr (line->cost_code_id, ==, "03-310");
  g_assert_null (line->cost_type_id);
  g_assert_cmpint (line->amount_cents, ==, -2500);
  g_assert_cmpint (cb_job_record_total_cents (found), ==, 147500);
  total = query_text (fixture->db, "SELECT total_cents || ' ' || vendor_id || ' ' || date FROM job_records WHERE id = 'B-1'");
  g_assert_cmpstr (total, ==, "147500 V-1 2026-03-14");
  g_clear_pointer (&found, cb_job_record_free);

  /* Changing only a line's amount is an update, and lines are replaced, not added. */
  ((CbJobLine *) g_ptr_array_index (bill->lines, 0))->amount_cents = 160000;
  memset (&counts, 0, sizeof counts);
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_BILL, records, FALSE, &counts, &error));
  g_assert_cmpuint (counts.updated, ==, 1);
  found = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_BILL, "B-1", &error);
  g_assert_cmpuint (found->lines->len, ==, 2);
  g_assert_cmpint (cb_job_record_total_cents (found), ==, 157500);
  g_clear_pointer (&found, cb_job_record_free);

  /* A commitment's lines take the commitment's job. */
  g_ptr_array_set_size (records, 0);
  cb_job_record_set (commitment, "number", "SC-2026-01");
  cb_job_record_set (commitment, "vendor_id", "V-1");
  cb_job_record_set (commitment, "job_id", "J-100");
  cb_job_record_set (commitment, "description", "Concrete package");
  add_line (commitment, NULL, "03-300", "S", 9000000);
  g_ptr_array_add (records, commitment);
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_COMMITMENT, records, FALSE, NULL, &error));
  g_assert_no_error (error);
  listed = cb_job_store_list (fixture->db, "p1", CB_JOB_KIND_COMMITMENT, &with_lines, &error);
  g_assert_cmpuint (listed->len, ==, 1);
  found = g_ptr_array_steal_index (listed, 0);
  g_assert_cmpstr (found->name, ==, "Concrete package");
  g_assert_cmpstr (((CbJobLine *) g_ptr_array_index (found->lines, 0))->job_id, ==, "J-100");
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* Without with_lines, no lines. */
  listed = cb_job_store_list (fixture->db, "p1", CB_JOB_KIND_BILL, NULL, &error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_null (((CbJobRecord *) g_ptr_array_index (listed, 0))->lines);
}

static void
test_list_search_paging (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GPtrArray) page = NULL;
  CbJobQuery query = { 0, };

  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *id = g_strdup_printf ("cc-%03u", 249 - i);
      g_autofree char *code = g_strdup_printf ("%02u-%03u", i / 10, i);
      g_autofree char *name = g_strdup_printf ("Cost code %u%s", i, i % 50 == 0 ? " CONCRETE" : "");
      CbJobRecord *r = cb_job_record_new (CB_JOB_KIND_COST_CODE, id);

      cb_job_record_set (r, "code", code);
      cb_job_record_set (r, "name", name);
      g_ptr_array_add (records, r);
    }
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_COST_CODE, records, TRUE, NULL, &error));
  g_assert_no_error (error);

  /* Code order, then paging. */
  query.offset = 100;
  query.limit = 20;
  page = cb_job_store_list (fixture->db, "p1", CB_JOB_KIND_COST_CODE, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 20);
  g_assert_cmpstr (((CbJobRecord *) g_ptr_array_index (page, 0))->code, ==, "10-100");
  g_assert_cmpstr (((CbJobRecord *) g_ptr_array_index (page, 19))->code, ==, "11-119");
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Case-insensitive search in name, code and id; wildcards are literal. */
  memset (&query, 0, sizeof query);
  query.search = "concrete";
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_COST_CODE, &query, &error), ==, 5);
  query.search = "CC-24";
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_COST_CODE, &query, &error), ==, 10);
  query.search = "24-249";
  page = cb_job_store_list (fixture->db, "p1", CB_JOB_KIND_COST_CODE, &query, &error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (((CbJobRecord *) g_ptr_array_index (page, 0))->id, ==, "cc-000");
  g_clear_pointer (&page, g_ptr_array_unref);
  query.search = "%";
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_COST_CODE, &query, &error), ==, 0);
  query.search = "_";
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_COST_CODE, &query, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_query_plans (Fixture       *fixture,
                  gconstpointer  user_data)
{
  /* The lookups the other modules make use the indexes, not a scan of every record. */
  const char *queries[] = {
    "SELECT rec FROM job_records WHERE profile_id = 'p1' AND kind = 'vendor' AND id = 'x'",
    "SELECT rec FROM job_records WHERE profile_id = 'p1' AND kind = 'vendor' AND code = 'x'",
    "SELECT rec FROM job_records WHERE profile_id = 'p1' AND kind = 'vendor' AND name = 'x' COLLATE NOCASE",
    "SELECT rec FROM job_records WHERE profile_id = 'p1' AND kind = 'vendor' AND vanished_at IS NOT NULL",
    "SELECT rec FROM job_records WHERE profile_id = 'p1' AND kind = 'vendor' ORDER BY code, id LIMIT 50 OFFSET 100",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", queries[i], NULL);
      g_autofree char *plan = NULL;
      sqlite3_stmt *stmt = NULL;
      GString *s = g_string_new (NULL);

      g_assert_cmpint (sqlite3_prepare_v2 (cb_database_get_handle (fixture->db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (s, "%s;", sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);
      plan = g_string_free (s, FALSE);
      g_test_message ("%s -> %s", queries[i], plan);
      g_assert_nonnull (strstr (plan, "INDEX job_records_by_"));
      g_assert_null (strstr (plan, "SCAN job_records "));
      g_assert_null (strstr (plan, "TEMP B-TREE"));
    }
}

static void
test_bad_record (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);

  g_ptr_array_add (records, vendor ("V-1", "Acme", NULL));
  g_ptr_array_add (records, cb_job_record_new (CB_JOB_KIND_JOB, "J-1"));
  g_assert_false (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_VENDOR, records, FALSE, NULL, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID);
  /* Its own transaction was rolled back: V-1 is not there either. */
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_VENDOR, NULL, NULL), ==, 0);
  g_assert_null (cb_job_store_last_import (fixture->db, "p1", CB_JOB_KIND_VENDOR));
  g_clear_error (&error);

  /* An unknown profile is refused by the foreign key. */
  g_ptr_array_set_size (records, 1);
  g_assert_false (cb_job_store_apply (fixture->db, "nobody", CB_JOB_KIND_VENDOR, records, FALSE, NULL, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_CONSTRAINT);
}

static void
test_caller_transaction (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);

  g_ptr_array_add (records, vendor ("V-1", "Acme", NULL));
  g_assert_true (cb_database_begin (fixture->db, &error));
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_VENDOR, records, FALSE, NULL, &error));
  g_assert_no_error (error);
  /* Still inside the caller's transaction. */
  g_assert_false (sqlite3_get_autocommit (cb_database_get_handle (fixture->db)));
  cb_database_rollback (fixture->db);
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_VENDOR, NULL, NULL), ==, 0);
}

static void
test_profile_delete_cascades (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autofree char *lines = NULL;
  CbJobRecord *bill = cb_job_record_new (CB_JOB_KIND_BILL, "B-1");

  add_line (bill, "J", "C", NULL, 100);
  g_ptr_array_add (records, bill);
  g_assert_true (cb_job_store_apply (fixture->db, "p1", CB_JOB_KIND_BILL, records, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_database_exec (fixture->db, "DELETE FROM profiles WHERE id = 'p1'", &error));
  g_assert_no_error (error);
  lines = query_text (fixture->db, "SELECT (SELECT count(*) FROM job_lines) + (SELECT count(*) FROM job_records) + (SELECT count(*) FROM job_imports)");
  g_assert_cmpstr (lines, ==, "0");
}

static void
test_format_amount (void)
{
  const struct { gint64 cents; const char *text; } cases[] = {
    { 0, "0.00" }, { 5, "0.05" }, { -5, "−0.05" }, { 123456, "1,234.56" },
    { 100000000, "1,000,000.00" }, { -99999, "−999.99" },
    { G_MININT64, "−92,233,720,368,547,758.08" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cb_job_format_amount (cases[i].cents);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/job-store/kinds", test_kinds);
  g_test_add_func ("/job-store/record-fields", test_record_fields);
  g_test_add_func ("/job-store/format-amount", test_format_amount);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/job-store/apply-and-reapply", test_apply_and_reapply);
  ADD ("/job-store/vanished", test_vanished);
  ADD ("/job-store/lines", test_lines);
  ADD ("/job-store/list-search-paging", test_list_search_paging);
  ADD ("/job-store/query-plans", test_query_plans);
  ADD ("/job-store/bad-record", test_bad_record);
  ADD ("/job-store/caller-transaction", test_caller_transaction);
  ADD ("/job-store/profile-delete-cascades", test_profile_delete_cascades);
#undef ADD

  return g_test_run ();
}
