/* test-import.c: the job-side importers (CSV, JSON) against a real SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cb-import.h"
#include "cb-import-private.h"

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

  fixture->dir = g_dir_make_tmp ("cb-import-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "costbridge.db", NULL);
  fixture->db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_database_exec (fixture->db,
                                   "INSERT INTO profiles (id, name, company_id, user_id, sender_id, created) "
                                   "VALUES ('p1', 'One', 'c', 'u', 's', 0)", &error));
  g_assert_no_error (error);
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
  g_clear_object (&fixture->db);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static GPtrArray *
data_files (const char *first,
            ...)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);

      g_ptr_array_add (files, g_file_new_for_path (path));
    }
  va_end (args);
  return files;
}

static GFile *
write_temp (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* The problem naming @line / @index, @record_id and @field, whose reason has @words; fails if
 * there is none. */
static CbImportProblem *
find_problem (CbImportReport *report,
              const char     *file,
              guint           line,
              guint           index,
              const char     *record_id,
              const char     *field,
              const char     *words)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      CbImportProblem *p = g_ptr_array_index (report->problems, i);

      if (g_strcmp0 (p->file, file) == 0 && p->line == line && p->index == index &&
          g_strcmp0 (p->record_id, record_id) == 0 && g_strcmp0 (p->field, field) == 0 &&
          (words == NULL || strstr (p->reason, words) != NULL))
        return p;
    }
  for (guint i = 0; i < report->problems->len; i++)
    {
      g_autofree char *text = cb_import_problem_to_string (g_ptr_array_index (report->problems, i));

      g_test_message ("problem: %s", text);
    }
  g_error ("No problem in %s at line %u / record %u, ID %s, field %s, with “%s”",
           file, line, index, record_id, field, words);
  return NULL;
}

static void
dump_problems (CbImportReport *report)
{
  for (guint i = 0; report != NULL && i < report->problems->len; i++)
    {
      g_autofree char *text = cb_import_problem_to_string (g_ptr_array_index (report->problems, i));

      g_printerr ("problem: %s\n", text);
    }
}

/* Imports and fails with every problem listed if the import fails. */
#define assert_imported(db, files, options, report)                                       \
  G_STMT_START {                                                                          \
    g_autoptr(GError) import_error = NULL;                                                \
    gboolean import_ok = cb_import_files ((db), "p1", (files), (options), (report), NULL,  \
                                          &import_error);                                 \
    if (!import_ok)                                                                       \
      dump_problems (*(report));                                                          \
    g_assert_no_error (import_error);                                                     \
    g_assert_true (import_ok);                                                            \
  } G_STMT_END

static char *
file_checksum (Fixture *fixture)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  /* Everything in the main file, the WAL emptied. */
  g_assert_cmpint (sqlite3_wal_checkpoint_v2 (cb_database_get_handle (fixture->db), NULL,
                                              SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static guint
count (Fixture   *fixture,
       CbJobKind  kind)
{
  g_autoptr(GError) error = NULL;
  guint n = cb_job_store_count (fixture->db, "p1", kind, NULL, &error);

  g_assert_no_error (error);
  return n;
}

static void
test_amounts (void)
{
  struct { const char *text; gboolean ok; gint64 cents; } cases[] = {
    { "0", TRUE, 0 },
    { "12", TRUE, 1200 },
    { "12.5", TRUE, 1250 },
    { "12.05", TRUE, 1205 },
    { "-12.05", TRUE, -1205 },
    { "(12.05)", TRUE, -1205 },
    { "$1,234.56", TRUE, 123456 },
    { "-$1,234,567.89", TRUE, -123456789 },
    { "($1,000)", TRUE, -100000 },
    { "1234567.00", TRUE, 123456700 },
    { "", FALSE, 0 },
    { "-", FALSE, 0 },
    { "$", FALSE, 0 },
    { "12.", FALSE, 0 },
    { ".5", FALSE, 0 },
    { "12.345", FALSE, 0 },
    { "1,23", FALSE, 0 },
    { "12,34.00", FALSE, 0 },
    { "1234,567", FALSE, 0 },
    { ",123", FALSE, 0 },
    { "1,234,", FALSE, 0 },
    { "1.234,50", FALSE, 0 },
    { "€12.00", FALSE, 0 },
    { "12.00 USD", FALSE, 0 },
    { "USD 12.00", FALSE, 0 },
    { "+12", FALSE, 0 },
    { "(12", FALSE, 0 },
    { "-(12)", FALSE, 0 },
    { "1e3", FALSE, 0 },
    { "12 000", FALSE, 0 },
    { "99999999999999", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 cents = 42;
      gboolean ok = cb_import_parse_amount (cases[i].text, &cents);

      g_test_message ("amount “%s”", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (cents, ==, cases[i].cents);
    }
}

static void
test_dates (void)
{
  struct { const char *text; CbImportDateRule rule; const char *iso; const char *why; } cases[] = {
    { "2026-03-14", CB_IMPORT_DATES_ISO_OR_US, "2026-03-14", NULL },
    { "03/14/2026", CB_IMPORT_DATES_ISO_OR_US, "2026-03-14", NULL },
    { "3/4/2026", CB_IMPORT_DATES_ISO_OR_US, "2026-03-04", NULL },
    { "3/4/2026", CB_IMPORT_DATES_DAY_FIRST, "2026-04-03", NULL },
    { "14/03/2026", CB_IMPORT_DATES_DAY_FIRST, "2026-03-14", NULL },
    { "2024-02-29", CB_IMPORT_DATES_ISO_OR_US, "2024-02-29", NULL },
    { "14/03/2026", CB_IMPORT_DATES_ISO_OR_US, NULL, "day-first" },
    { "03/14/2026", CB_IMPORT_DATES_DAY_FIRST, NULL, "calendar" },
    { "2026-02-29", CB_IMPORT_DATES_ISO_OR_US, NULL, "calendar" },
    { "2026-13-01", CB_IMPORT_DATES_ISO_OR_US, NULL, "calendar" },
    { "2026-3-14", CB_IMPORT_DATES_ISO_OR_US, NULL, "not a date" },
    { "03/14/26", CB_IMPORT_DATES_ISO_OR_US, NULL, "not a date" },
    { "03-14-2026", CB_IMPORT_DATES_ISO_OR_US, NULL, "not a date" },
    { "2026-03-14T10:00:00", CB_IMPORT_DATES_ISO_OR_US, NULL, "not a date" },
    { "March 14, 2026", CB_IMPORT_DATES_ISO_OR_US, NULL, "not a date" },
    { "0/1/2026", CB_IMPORT_DATES_ISO_OR_US, NULL, "calendar" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *why = NULL;
      g_autofree char *iso = cb_import_parse_date (cases[i].text, cases[i].rule, &why);

      g_test_message ("date “%s”", cases[i].text);
      g_assert_cmpstr (iso, ==, cases[i].iso);
      if (cases[i].why != NULL)
        {
          g_assert_nonnull (why);
          g_assert_nonnull (strstr (why, cases[i].why));
        }
    }
}

static void
test_kind_from_filename (void)
{
  CbJobKind kind;

  g_assert_true (cb_import_kind_from_filename ("vendors.csv", &kind));
  g_assert_cmpint (kind, ==, CB_JOB_KIND_VENDOR);
  g_assert_true (cb_import_kind_from_filename ("cost-codes.csv", &kind));
  g_assert_cmpint (kind, ==, CB_JOB_KIND_COST_CODE);
  g_assert_true (cb_import_kind_from_filename ("2026-03 Cost Types.json", &kind));
  g_assert_cmpint (kind, ==, CB_JOB_KIND_COST_TYPE);
  g_assert_true (cb_import_kind_from_filename ("acme_bills.csv", &kind));
  g_assert_cmpint (kind, ==, CB_JOB_KIND_BILL);
  g_assert_false (cb_import_kind_from_filename ("export.csv", &kind));
}

static void
test_csv_encodings (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = data_files ("vendors.csv", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(CbJobRecord) acme = NULL;
  g_autoptr(CbJobRecord) crane = NULL;
  g_autoptr(CbJobRecord) bolt = NULL;
  g_autoptr(CbJobRecord) delta = NULL;

  /* BOM, CRLF, a quoted comma, a quoted value over three lines, a doubled quote, a blank
   * line, columns in another case and spacing. */
  assert_imported (fixture->db, files, NULL, &report);
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpuint (report->files, ==, 1);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_VENDOR].added, ==, 4);
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_VENDOR), ==, 4);

  acme = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-100", &error);
  g_assert_nonnull (acme);
  g_assert_cmpstr (acme->name, ==, "Acme Concrete, Inc.");
  g_assert_cmpstr (cb_job_record_get (acme, "tax_id"), ==, "12-3456789");
  g_assert_cmpstr (cb_job_record_get (acme, "address"), ==, "12 Main St\r\nSuite 4\r\nSpringfield");
  g_assert_cmpstr (acme->code, ==, "ACME");
  crane = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-102", &error);
  g_assert_cmpstr (crane->name, ==, "Crane \"Big Lift\" Rentals");
  g_assert_null (crane->code);
  g_assert_cmpstr (crane->status, ==, "inactive");
  bolt = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-101", &error);
  g_assert_cmpstr (bolt->status, ==, "active");
  delta = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-103", &error);
  g_assert_nonnull (delta);
  g_assert_null (delta->status);
  /* The BOM is not part of the first column's name. */
  g_assert_cmpstr (delta->id, ==, "V-103");
}

static void
test_csv_bills (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = data_files ("bills.csv", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(CbJobRecord) b1 = NULL;
  g_autoptr(CbJobRecord) b2 = NULL;
  CbJobLine *line;

  assert_imported (fixture->db, files, NULL, &report);
  g_assert_no_error (error);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_BILL].added, ==, 2);

  b1 = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_BILL, "B-1", &error);
  g_assert_cmpstr (cb_job_record_get (b1, "date"), ==, "2026-03-14");
  g_assert_cmpstr (cb_job_record_get (b1, "due_date"), ==, "2026-04-13");
  g_assert_cmpstr (b1->name, ==, "March pour");
  g_assert_cmpstr (b1->code, ==, "INV-1001");
  g_assert_cmpuint (b1->lines->len, ==, 3);
  g_assert_cmpint (cb_job_record_total_cents (b1), ==, 1250000 + 125050 - 25000);
  line = g_ptr_array_index (b1->lines, 2);
  g_assert_cmpint (line->amount_cents, ==, -25000);
  g_assert_cmpstr (line->memo, ==, "Credit for returned rebar");
  g_assert_cmpstr (line->cost_code_id, ==, "03-310");
  g_assert_null (line->cost_type_id);
  line = g_ptr_array_index (b1->lines, 0);
  g_assert_cmpstr (line->job_id, ==, "J-2401");
  g_assert_cmpstr (line->cost_type_id, ==, "M");

  b2 = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_BILL, "B-2", &error);
  g_assert_cmpuint (b2->lines->len, ==, 1);
  g_assert_cmpint (cb_job_record_total_cents (b2), ==, -9999);
  g_assert_cmpstr (((CbJobLine *) g_ptr_array_index (b2->lines, 0))->cost_type_id, ==, "S");

  /* Again: unchanged, not duplicated. */
  g_clear_pointer (&report, cb_import_report_free);
  assert_imported (fixture->db, files, NULL, &report);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_BILL].added, ==, 0);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_BILL].unchanged, ==, 2);
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_BILL), ==, 2);
}

static void
test_json_bundle (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = data_files ("bundle.json", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(CbJobRecord) bill = NULL;
  g_autoptr(CbJobRecord) commitment = NULL;
  g_autoptr(CbJobRecord) job = NULL;

  assert_imported (fixture->db, files, NULL, &report);
  g_assert_no_error (error);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_JOB].added, ==, 2);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_COST_CODE].added, ==, 1);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_COST_TYPE].added, ==, 2);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_VENDOR].added, ==, 1);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_BILL].added, ==, 1);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_COMMITMENT].added, ==, 1);

  job = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_JOB, "J-2401", &error);
  g_assert_cmpstr (job->status, ==, "open");
  g_assert_cmpstr (job->code, ==, "2401");
  /* A numeric ID is read as its text. */
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_VENDOR), ==, 1);
  {
    g_autoptr(CbJobRecord) vendor = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR,
                                                       "300", &error);
    g_assert_nonnull (vendor);
  }

  bill = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_BILL, "B-9", &error);
  g_assert_cmpstr (cb_job_record_get (bill, "date"), ==, "2026-03-05");
  g_assert_cmpuint (bill->lines->len, ==, 2);
  g_assert_cmpint (((CbJobLine *) g_ptr_array_index (bill->lines, 0))->amount_cents, ==, 123450);
  g_assert_cmpint (((CbJobLine *) g_ptr_array_index (bill->lines, 1))->amount_cents, ==, -450);

  commitment = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_COMMITMENT, "SC-1", &error);
  g_assert_cmpstr (commitment->name, ==, "Glazing package");
  g_assert_cmpstr (((CbJobLine *) g_ptr_array_index (commitment->lines, 0))->job_id, ==, "J-2401");
  g_assert_cmpint (cb_job_record_total_cents (commitment), ==, 4500000);
}

static void
test_column_map (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = data_files ("mapped-vendors.csv", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GHashTable) map = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CbJobRecord) echo = NULL;
  CbImportOptions options = { 0, };

  /* Without a map, the columns are unknown: every one is named. */
  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID);
  find_problem (report, "mapped-vendors.csv", 1, 0, NULL, "Vendor Number", "no such column");
  find_problem (report, "mapped-vendors.csv", 1, 0, NULL, "EIN", "no such column");
  find_problem (report, "mapped-vendors.csv", 2, 0, NULL, "id", "required");
  g_clear_error (&error);
  g_clear_pointer (&report, cb_import_report_free);

  g_hash_table_insert (map, "Vendor Number", "id");
  g_hash_table_insert (map, "vendor name", "name");
  g_hash_table_insert (map, "EIN", "tax_id");
  options.column_map = map;
  options.has_kind = TRUE;
  options.kind = CB_JOB_KIND_VENDOR;
  assert_imported (fixture->db, files, &options, &report);
  g_assert_no_error (error);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_VENDOR].added, ==, 2);
  echo = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-200", &error);
  g_assert_cmpstr (echo->name, ==, "Echo Excavating LLC");
  g_assert_cmpstr (cb_job_record_get (echo, "tax_id"), ==, "11-1111111");
}

static void
test_bad_csv (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = data_files ("bad-vendors.csv", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autofree char *text = NULL;
  CbImportProblem *p;

  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID);
  g_assert_nonnull (report);
  find_problem (report, "bad-vendors.csv", 1, 0, NULL, "fax", "no such column");
  p = find_problem (report, "bad-vendors.csv", 3, 0, "V-2", "name", "required");
  find_problem (report, "bad-vendors.csv", 4, 0, "V-3", "status", "active, inactive");
  find_problem (report, "bad-vendors.csv", 5, 0, "V-1", "id", "line 2");
  find_problem (report, "bad-vendors.csv", 6, 0, NULL, NULL, "3 values");
  g_assert_cmpuint (report->problems->len, ==, 5);
  text = cb_import_problem_to_string (p);
  g_assert_cmpstr (text, ==, "bad-vendors.csv, line 3, ID V-2, field name: "
                             "This field is required and is missing or empty.");
  g_assert_nonnull (strstr (error->message, "5 problems"));
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_VENDOR), ==, 0);
}

static void
test_bad_json (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = data_files ("bad-bills.json", NULL);
  g_autoptr(CbImportReport) report = NULL;
  const char *f = "bad-bills.json";

  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID);
  find_problem (report, f, 0, 1, "B-1", "date", "day-first");
  find_problem (report, f, 0, 1, "B-1", "lines[1].amount", "not an amount");
  find_problem (report, f, 0, 2, "B-2", "lines", "not text");
  find_problem (report, f, 0, 3, "B-3", "vendor_id", "not an object");
  find_problem (report, f, 0, 3, "B-3", "date", "calendar");
  find_problem (report, f, 0, 3, "B-3", "lines[1].amount", "not true or false");
  find_problem (report, f, 0, 3, "B-3", "lines[2]", "not a number");
  find_problem (report, f, 0, 3, "B-3", NULL, "Line 3 is empty");
  find_problem (report, f, 0, 4, "B-1", "id", "record 1");
  find_problem (report, f, 0, 4, "B-1", "lines[1].amount", "1.234,50");
  find_problem (report, f, 0, 5, "B-5", "lines", "at least one line");
  find_problem (report, f, 0, 6, NULL, NULL, "not text");
  find_problem (report, f, 0, 7, "B-7", "colour", "no such field");
  find_problem (report, f, 0, 7, "B-7", "lines[1].job_id", "required");
  find_problem (report, f, 0, 7, "B-7", "lines[1].amount", "12.345");
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_BILL), ==, 0);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = data_files ("truncated-vendors.json", "truncated-vendors.csv", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(CbImportReport) parse_report = cb_import_report_new ();
  GPtrArray *by_kind[CB_JOB_N_KINDS] = { NULL, };

  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID);
  find_problem (report, "truncated-vendors.json", 0, 0, NULL, NULL, "line 3");
  find_problem (report, "truncated-vendors.csv", 3, 0, NULL, NULL, "cut short");
  g_assert_cmpuint (report->problems->len, ==, 2);
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_VENDOR), ==, 0);
  g_clear_error (&error);

  /* Parsing alone says what kind of failure it is. */
  g_assert_false (cb_import_parse_file (g_ptr_array_index (files, 0), NULL, by_kind, parse_report,
                                        NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT);
  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    g_clear_pointer (&by_kind[k], g_ptr_array_unref);
}

static void
test_broken_quotes_and_kinds (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GFile) missing = NULL;

  g_ptr_array_add (files, write_temp (fixture, "cost-types.csv",
                                      "id,code,name\nM,M,Material\nL,L,La\"bor\nS,S,Sub\n", -1));
  g_ptr_array_add (files, write_temp (fixture, "export.csv", "id,name\nX,Y\n", -1));
  g_ptr_array_add (files, write_temp (fixture, "bundle.json",
                                      "{ \"jobs\": [], \"invoices\": [], \"vendors\": {} }", -1));
  g_ptr_array_add (files, write_temp (fixture, "other.json",
                                      "{ \"kind\": \"invoice\", \"records\": [] }", -1));
  g_ptr_array_add (files, write_temp (fixture, "jobs.csv", "", 0));
  g_ptr_array_add (files, write_temp (fixture, "vendors.json", "42", -1));

  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID);
  find_problem (report, "cost-types.csv", 3, 0, NULL, NULL, "quoting");
  find_problem (report, "export.csv", 0, 0, NULL, NULL, "Cannot tell");
  find_problem (report, "bundle.json", 0, 0, NULL, "invoices", "not a kind");
  find_problem (report, "bundle.json", 0, 0, NULL, "vendors", "not an object");
  find_problem (report, "other.json", 0, 0, NULL, NULL, "unknown kind");
  find_problem (report, "jobs.csv", 0, 0, NULL, NULL, "header row");
  find_problem (report, "vendors.json", 0, 0, NULL, NULL, "a number");
  g_assert_cmpuint (report->problems->len, ==, 7);
  g_assert_cmpuint (report->files, ==, 6);
  g_clear_error (&error);
  g_clear_pointer (&report, cb_import_report_free);

  /* A file that cannot be read is an error of its own, without a report. */
  missing = g_file_new_build_filename (fixture->dir, "nope.csv", NULL);
  g_ptr_array_set_size (files, 0);
  g_ptr_array_add (files, g_object_ref (missing));
  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "nope.csv"));
  g_assert_null (report);
}

static void
test_day_first (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = data_files ("dayfirst-bills.csv", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(CbJobRecord) b1 = NULL;
  g_autoptr(CbJobRecord) b2 = NULL;
  CbImportOptions options = { .date_rule = CB_IMPORT_DATES_DAY_FIRST };

  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  find_problem (report, "dayfirst-bills.csv", 2, 0, "B-1", "date", "day-first");
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_clear_error (&error);
  g_clear_pointer (&report, cb_import_report_free);

  assert_imported (fixture->db, files, &options, &report);
  g_assert_no_error (error);
  b1 = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_BILL, "B-1", &error);
  b2 = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_BILL, "B-2", &error);
  g_assert_cmpstr (cb_job_record_get (b1, "date"), ==, "2026-03-14");
  g_assert_cmpstr (cb_job_record_get (b2, "date"), ==, "2026-04-03");
}

static void
test_unchanged_bytes (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) good = data_files ("vendors.csv", "bundle.json", NULL);
  g_autoptr(GPtrArray) mixed = data_files ("bills.csv", "mapped-vendors.csv", "bad-vendors.csv", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CbImportOptions full = { .full = TRUE };

  assert_imported (fixture->db, good, NULL, &report);
  g_assert_no_error (error);
  g_clear_pointer (&report, cb_import_report_free);
  before = file_checksum (fixture);

  /* Good files with a bad one, as a full import that would also mark records vanished:
   * nothing at all is written. */
  g_assert_false (cb_import_files (fixture->db, "p1", mixed, &full, &report, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_BILL].added, ==, 0);
  after = file_checksum (fixture);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_VENDOR), ==, 5);
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_BILL), ==, 1);

  /* And after reopening the file. */
  g_clear_error (&error);
  g_clear_object (&fixture->db);
  fixture->db = cb_database_open (fixture->path, &error);
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = file_checksum (fixture);
  g_assert_cmpstr (before, ==, after);
}

static void
test_full_reimport (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = data_files ("vendors.csv", NULL);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(CbJobRecord) gone = NULL;
  CbImportOptions full = { .full = TRUE };
  CbJobQuery all = { .include_vanished = TRUE };

  assert_imported (fixture->db, first, &full, &report);
  g_clear_pointer (&report, cb_import_report_free);

  g_ptr_array_add (second, write_temp (fixture, "vendors.csv",
                                       "id,name,code,tax_id,status\n"
                                       "V-100,\"Acme Concrete, Inc.\",ACME,12-3456789,active\n"
                                       "V-101,Bolt Electric Inc.,BOLT,98-7654321,active\n", -1));
  assert_imported (fixture->db, second, &full, &report);
  g_assert_no_error (error);
  /* V-100 lost its address, email and phone; V-101 was renamed: both updated. */
  g_assert_cmpuint (report->counts[CB_JOB_KIND_VENDOR].updated, ==, 2);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_VENDOR].vanished, ==, 2);
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_VENDOR), ==, 2);
  g_assert_cmpuint (cb_job_store_count (fixture->db, "p1", CB_JOB_KIND_VENDOR, &all, NULL), ==, 4);
  gone = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "V-103", &error);
  g_assert_nonnull (gone->vanished_at);
}

static void
test_cross_file_duplicates (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CbImportReport) report = NULL;

  g_ptr_array_add (files, write_temp (fixture, "vendors-a.csv", "id,name\nV-1,One\nV-2,Two\n", -1));
  g_ptr_array_add (files, write_temp (fixture, "vendors-b.json", "[ { \"id\": \"V-2\", \"name\": \"Two\" } ]", -1));
  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID);
  find_problem (report, "vendors-b.json", 0, 0, "V-2", "id", "vendors-a.csv");
  g_assert_cmpuint (report->problems->len, ==, 1);
}

static void
test_csv_bill_rows (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CbImportReport) report = NULL;

  /* Rows of one bill that disagree, a bill split in two places, a line naming nothing. */
  g_ptr_array_add (files, write_temp (fixture, "bills.csv",
                                      "id,vendor_id,number,date,job_id,cost_code_id,amount,line_memo\n"
                                      "B-1,V-1,1,2026-03-01,J-1,01-100,1.00,\n"
                                      "B-1,V-2,1,2026-03-01,J-1,01-100,2.00,\n"
                                      "B-2,V-1,2,2026-03-01,J-1,01-100,3.00,\n"
                                      "B-1,V-1,1,2026-03-01,J-1,01-100,4.00,\n"
                                      "B-3,V-1,3,2026-03-01,,,,\n", -1));
  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  find_problem (report, "bills.csv", 3, 0, "B-1", "vendor_id", "line 2");
  find_problem (report, "bills.csv", 5, 0, "B-1", "id", "follow each other");
  find_problem (report, "bills.csv", 6, 0, "B-3", NULL, "names no job");
  g_assert_cmpuint (report->problems->len, ==, 3);
}

static void
test_problem_cap (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GString) csv = g_string_new ("id,code,name\n");

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (csv, "CC-%u,,Name %u\n", i, i);
  g_ptr_array_add (files, write_temp (fixture, "cost-codes.csv", csv->str, csv->len));
  g_assert_false (cb_import_files (fixture->db, "p1", files, NULL, &report, NULL, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID);
  g_assert_cmpuint (report->problems->len, ==, CB_IMPORT_MAX_PROBLEMS);
  g_assert_cmpuint (report->problems_dropped, ==, 500 - CB_IMPORT_MAX_PROBLEMS);
  g_assert_nonnull (strstr (error->message, "500 problems"));
  find_problem (report, "cost-codes.csv", 201, 0, "CC-199", "code", "required");
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = data_files ("bundle.json", NULL);
  g_autoptr(GPtrArray) bad = data_files ("bad-vendors.csv", NULL);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  cb_import_files_async (fixture->path, "p1", files, NULL, NULL, on_imported, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cb_import_files_finish (result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->counts[CB_JOB_KIND_JOB].added, ==, 2);
  g_assert_cmpuint (count (fixture, CB_JOB_KIND_BILL), ==, 1);
  g_clear_object (&result);
  g_clear_pointer (&report, cb_import_report_free);

  cb_import_files_async (fixture->path, "p1", bad, NULL, NULL, on_imported, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (cb_import_files_finish (result, &report, &error));
  g_assert_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID);
  g_assert_cmpuint (report->problems->len, ==, 5);
}

static void
test_sample_data (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(CbJobRecord) tpl = NULL;
  g_autoptr(CbJobRecord) job = NULL;
  g_autoptr(CbJobRecord) concrete = NULL;
  guint expected[CB_JOB_N_KINDS] = { 15, 40, 6, 31, 60, 10 };
  g_autoptr(GPtrArray) bills = NULL;
  CbJobQuery with_lines = { .with_lines = TRUE };

  g_assert_true (cb_import_sample_data (fixture->db, "p1", &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, ==, 0);
  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    {
      g_assert_cmpuint (report->counts[k].added, ==, expected[k]);
      g_assert_cmpuint (count (fixture, k), ==, expected[k]);
    }

  /* Bills have one to five lines (and a credit now and then). */
  bills = cb_job_store_list (fixture->db, "p1", CB_JOB_KIND_BILL, &with_lines, &error);
  for (guint i = 0; i < bills->len; i++)
    {
      CbJobRecord *bill = g_ptr_array_index (bills, i);

      g_assert_cmpuint (bill->lines->len, >=, 1);
      g_assert_cmpuint (bill->lines->len, <=, 6);
    }

  /* The overlaps with the sandbox's demo company that the matcher has to cope with. */
  job = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_JOB, "JOB-1001", &error);
  g_assert_cmpstr (job->code, ==, "24-001");            /* the project ID, as is */
  concrete = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_COST_CODE, "CC-0330", &error);
  g_assert_cmpstr (concrete->code, ==, "03-3000");      /* the standard task is 03-300 */
  tpl = cb_job_store_find (fixture->db, "p1", CB_JOB_KIND_VENDOR, "VEN-008", &error);
  g_assert_cmpstr (tpl->name, ==, "TPL Building Supply");
  g_assert_cmpstr (cb_job_record_get (tpl, "tax_id"), ==, "17-1242344"); /* Tall Pine Lumber Yard's */

  /* Loading it again changes nothing. */
  g_clear_pointer (&report, cb_import_report_free);
  g_assert_true (cb_import_sample_data (fixture->db, "p1", &report, &error));
  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    {
      g_assert_cmpuint (report->counts[k].unchanged, ==, expected[k]);
      g_assert_cmpuint (report->counts[k].added + report->counts[k].updated +
                        report->counts[k].vanished, ==, 0);
    }
}

static void
test_sample_csv_matches_json (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  const char *names[] = { "jobs.csv", "cost-codes.csv", "cost-types.csv", "vendors.csv",
                          "bills.csv", "commitments.csv" };
  CbJobQuery with_lines = { .with_lines = TRUE };

  g_assert_true (cb_database_exec (fixture->db,
                                   "INSERT INTO profiles (id, name, company_id, user_id, sender_id, created) "
                                   "VALUES ('p2', 'Two', 'c', 'u', 's', 0)", &error));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "sample", names[i], NULL);

      g_ptr_array_add (files, g_file_new_for_path (path));
    }
  g_assert_true (cb_import_sample_data (fixture->db, "p1", NULL, &error));
  g_assert_no_error (error);
  if (!cb_import_files (fixture->db, "p2", files, NULL, &report, NULL, &error))
    dump_problems (report);
  g_assert_no_error (error);

  /* The CSV files hold the same records as the JSON bundle, field for field. */
  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    {
      g_autoptr(GPtrArray) a = cb_job_store_list (fixture->db, "p1", k, &with_lines, &error);
      g_autoptr(GPtrArray) b = cb_job_store_list (fixture->db, "p2", k, &with_lines, &error);

      g_assert_cmpuint (a->len, ==, b->len);
      g_assert_cmpuint (a->len, >, 0);
      for (guint i = 0; i < a->len; i++)
        {
          CbJobRecord *ra = g_ptr_array_index (a, i);
          CbJobRecord *rb = g_ptr_array_index (b, i);
          GHashTableIter iter;
          gpointer key, value;

          g_assert_cmpstr (ra->id, ==, rb->id);
          g_assert_cmpuint (g_hash_table_size (ra->fields), ==, g_hash_table_size (rb->fields));
          g_hash_table_iter_init (&iter, ra->fields);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_assert_cmpstr (value, ==, cb_job_record_get (rb, key));
          g_assert_cmpint (cb_job_record_total_cents (ra), ==, cb_job_record_total_cents (rb));
          if (ra->lines != NULL)
            g_assert_cmpuint (ra->lines->len, ==, rb->lines->len);
        }
    }
}

/* Runs costbridge-cli with @args (NULL-terminated); returns its exit status. */
static int
run_cli (Fixture     *fixture,
         char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autofree char *cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "costbridge-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, cli);
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, fixture->path);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", *out, *err);
  return g_subprocess_get_exit_status (proc);
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *good = g_test_build_filename (G_TEST_DIST, "data", "import", "vendors.csv", NULL);
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "data", "import", "bad-vendors.csv", NULL);
  g_autofree char *mapped = g_test_build_filename (G_TEST_DIST, "data", "import", "mapped-vendors.csv", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL, *err = NULL;
  JsonObject *root;

  /* The CLI opens the file on its own: this connection lets go of it first. */
  g_clear_object (&fixture->db);

  g_assert_cmpint (run_cli (fixture, &out, &err, "import", "--profile", "One", good, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Vendors: 4 added, 0 updated, 0 unchanged, 0 vanished"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Rejected: every problem is printed, exit 1, nothing stored. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "import", "--profile", "One", "--full", bad, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "bad-vendors.csv, line 1, field fax: "));
  g_assert_nonnull (strstr (err, "bad-vendors.csv, line 3, ID V-2, field name: "));
  g_assert_nonnull (strstr (err, "bad-vendors.csv, line 4, ID V-3, field status: "));
  g_assert_nonnull (strstr (err, "bad-vendors.csv, line 5, ID V-1, field id: "));
  g_assert_nonnull (strstr (err, "bad-vendors.csv, line 6: "));
  g_assert_nonnull (strstr (err, "5 problems"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "import", "--profile", "One", "--json", bad, NULL), ==, 1);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "imported"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "problems")), ==, 5);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A column map from the command line. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "import", "--profile", "One", "--json",
                            "--map-column", "Vendor Number=id", "--map-column", "EIN=tax_id",
                            "--kind", "vendors", mapped, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (root, "imported"));
  root = json_object_get_object_member (json_object_get_object_member (root, "counts"), "vendor");
  g_assert_cmpint (json_object_get_int_member (root, "added"), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Listing: 6 vendors, searched and limited. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "records", "vendors", "--profile", "One", "--json",
                            "--search", "INC", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, &out, &err, "records", "vendor", "--profile", "One",
                            "--limit", "2", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "V-102"));   /* code order: no code first */
  g_assert_nonnull (strstr (err, "2 of 6"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Usage errors exit 2; an unknown profile 1. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "import", good, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, &out, &err, "import", "--profile", "One", "--kind", "invoice", good, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, &out, &err, "import", "--profile", "One", "--map-column", "oops", good, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, &out, &err, "records", "invoices", "--profile", "One", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, &out, &err, "import", "--profile", "Nobody", good, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Nobody"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/amounts", test_amounts);
  g_test_add_func ("/import/dates", test_dates);
  g_test_add_func ("/import/kind-from-filename", test_kind_from_filename);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/import/csv-encodings", test_csv_encodings);
  ADD ("/import/csv-bills", test_csv_bills);
  ADD ("/import/csv-bill-rows", test_csv_bill_rows);
  ADD ("/import/json-bundle", test_json_bundle);
  ADD ("/import/column-map", test_column_map);
  ADD ("/import/bad-csv", test_bad_csv);
  ADD ("/import/bad-json", test_bad_json);
  ADD ("/import/truncated", test_truncated);
  ADD ("/import/broken-quotes-and-kinds", test_broken_quotes_and_kinds);
  ADD ("/import/day-first", test_day_first);
  ADD ("/import/unchanged-bytes", test_unchanged_bytes);
  ADD ("/import/full-reimport", test_full_reimport);
  ADD ("/import/cross-file-duplicates", test_cross_file_duplicates);
  ADD ("/import/problem-cap", test_problem_cap);
  ADD ("/import/async", test_async);
  ADD ("/import/sample-data", test_sample_data);
  ADD ("/import/cli", test_cli);
  ADD ("/import/sample-csv-matches-json", test_sample_csv_matches_json);
#undef ADD

  return g_test_run ();
}
