/* bench-import.c: rows per second importing job-side CSV and JSON into a real SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generates CB_BENCH_ROWS (default 100,000) job-side rows in a temporary folder — vendors,
 * and bills whose lines make up the rest — as CSV files and as one JSON bundle, then imports
 * each into a fresh database, and imports the CSV files again (every record unchanged).
 * Prints the figures; asserts only that everything was stored.
 */

#define G_LOG_DOMAIN "bench-import"

#include "config.h"

#include <glib/gstdio.h>

#include "cb-import.h"

static char *dir;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  if (d != NULL)
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        g_unlink (child);
      }
  g_rmdir (path);
}

static void
write_file (const char *name,
            GString    *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents->str, contents->len, &error));
  g_assert_no_error (error);
}

/* @rows rows: a fifth vendors, the rest bill lines, three lines a bill. */
static void
generate (guint  rows,
          guint *n_vendors,
          guint *n_bills)
{
  g_autoptr(GString) vendors = g_string_new ("id,name,code,tax_id,email,status\n");
  g_autoptr(GString) bills = g_string_new ("id,vendor_id,number,date,memo,job_id,cost_code_id,"
                                           "cost_type_id,amount,line_memo\n");
  g_autoptr(GString) json = g_string_new ("{\n \"vendors\": [\n");
  guint v = rows / 5, lines = rows - v, b = (lines + 2) / 3;

  for (guint i = 0; i < v; i++)
    {
      g_string_append_printf (vendors, "V%06u,\"Vendor %u, Inc.\",VEN%u,%02u-%07u,ap@v%u.example,active\n",
                              i, i, i, i % 90 + 10, i, i);
      g_string_append_printf (json, "  {\"id\": \"V%06u\", \"name\": \"Vendor %u, Inc.\", \"code\": \"VEN%u\", "
                              "\"tax_id\": \"%02u-%07u\", \"email\": \"ap@v%u.example\", \"status\": \"active\"}%s\n",
                              i, i, i, i % 90 + 10, i, i, i + 1 < v ? "," : "");
    }
  g_string_append (json, " ],\n \"bills\": [\n");
  for (guint i = 0, line = 0; i < b; i++)
    {
      guint n = MIN (3, lines - line);

      g_string_append_printf (json, "  {\"id\": \"B%07u\", \"vendor_id\": \"V%06u\", \"number\": \"INV-%u\", "
                              "\"date\": \"2026-%02u-%02u\", \"memo\": \"Progress billing\", \"lines\": [",
                              i, i % v, i, i % 12 + 1, i % 28 + 1);
      for (guint k = 0; k < n; k++, line++)
        {
          g_string_append_printf (bills, "B%07u,V%06u,INV-%u,%u/%u/2026,Progress billing,J%03u,"
                                  "%02u-%03u,%c,\"$%u,%03u.%02u\",Line %u\n",
                                  i, i % v, i, i % 12 + 1, i % 28 + 1, i % 200, k * 10, i % 1000,
                                  "LMS"[k], 1 + i % 50, i % 1000, k * 7, k + 1);
          g_string_append_printf (json, "%s{\"job_id\": \"J%03u\", \"cost_code_id\": \"%02u-%03u\", "
                                  "\"cost_type_id\": \"%c\", \"amount\": \"%u%03u.%02u\", \"memo\": \"Line %u\"}",
                                  k > 0 ? ", " : "", i % 200, k * 10, i % 1000, "LMS"[k],
                                  1 + i % 50, i % 1000, k * 7, k + 1);
        }
      g_string_append_printf (json, "]}%s\n", i + 1 < b ? "," : "");
    }
  g_string_append (json, " ]\n}\n");

  write_file ("vendors.csv", vendors);
  write_file ("bills.csv", bills);
  write_file ("bundle.json", json);
  *n_vendors = v;
  *n_bills = b;
}

static double
import (const char  *db_name,
        const char  *first,
        const char  *second,
        guint        rows,
        const char  *label,
        guint        n_vendors,
        guint        n_bills,
        gboolean     expect_unchanged)
{
  g_autofree char *db_path = g_build_filename (dir, db_name, NULL);
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  double seconds;

  db = cb_database_open (db_path, &error);
  g_assert_no_error (error);
  cb_database_exec (db, "INSERT OR IGNORE INTO profiles (id, name, company_id, user_id, sender_id, "
                        "created) VALUES ('p', 'P', 'c', 'u', 's', 0)", &error);
  g_assert_no_error (error);
  g_ptr_array_add (files, g_file_new_build_filename (dir, first, NULL));
  if (second != NULL)
    g_ptr_array_add (files, g_file_new_build_filename (dir, second, NULL));

  start = g_get_monotonic_time ();
  g_assert_true (cb_import_files (db, "p", files, NULL, &report, NULL, &error));
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_no_error (error);

  if (expect_unchanged)
    {
      g_assert_cmpuint (report->counts[CB_JOB_KIND_VENDOR].unchanged, ==, n_vendors);
      g_assert_cmpuint (report->counts[CB_JOB_KIND_BILL].unchanged, ==, n_bills);
    }
  else
    {
      g_assert_cmpuint (report->counts[CB_JOB_KIND_VENDOR].added, ==, n_vendors);
      g_assert_cmpuint (report->counts[CB_JOB_KIND_BILL].added, ==, n_bills);
    }
  g_print ("%-44s %7u rows  %6.2f s  %9.0f rows/s\n", label, rows, seconds, rows / seconds);
  return seconds;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *env = g_getenv ("CB_BENCH_ROWS");
  guint rows = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 100000;
  guint n_vendors, n_bills;
  gint64 start;

  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
  if (rows < 10)
    rows = 10;
  dir = g_dir_make_tmp ("cb-bench-import-XXXXXX", &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  generate (rows, &n_vendors, &n_bills);
  g_print ("# %u rows: %u vendors, %u bills with %u lines (generated in %.2f s)\n",
           rows, n_vendors, n_bills, rows - n_vendors,
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  import ("csv.db", "vendors.csv", "bills.csv", rows, "CSV (vendors.csv + bills.csv), new", n_vendors, n_bills, FALSE);
  import ("csv.db", "vendors.csv", "bills.csv", rows, "CSV again, every record unchanged", n_vendors, n_bills, TRUE);
  import ("json.db", "bundle.json", NULL, rows, "JSON bundle, new", n_vendors, n_bills, FALSE);

  remove_tree (dir);
  g_free (dir);
  return 0;
}
