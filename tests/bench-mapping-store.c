/* bench-mapping-store.c: how fast the mapping store reads and writes at 100,000 rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run on demand with `meson test -C build --benchmark bench-mapping-store` (or the binary
 * directly). Prints figures; asserts only that the answers are right, never a time, because
 * machines are shared.
 *
 * On a fresh database file in a temporary directory:
 *   1. imports 100,000 job-side cost codes through cb_job_store_apply (what an import
 *      does), and caches 100,000 Intacct standard tasks;
 *   2. auto-matches them (a third by the same code, the rest by name or not at all);
 *   3. times the sidebar counts of the four kinds, a page of 100 for every sort, both
 *      directions, at offsets 0, 50,000 and 99,900, with and without a state filter,
 *      a count and a first page for a few searches (short ones match many rows);
 *   4. bulk-accepts every suggestion and undoes it, and exports the CSV;
 *   5. auto-matches 50,000 job-side vendors against 50,000 cached Intacct vendors.
 *
 * Environment: CB_BENCH_ROWS (default 100000), CB_BENCH_VENDORS (default 50000).
 * Each read figure is the best of three runs, in milliseconds.
 */

#define G_LOG_DOMAIN "cb-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "cb-database.h"
#include "cb-job-store.h"
#include "cb-mapping-store.h"
#include "cb-profile.h"

static guint n_rows = 100000;
static guint n_vendors = 50000;

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok || error != NULL)
    g_error ("bench-mapping-store: %s", error ? error->message : "failed");
}

static void
exec (CbDatabase *db,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  check (cb_database_exec (db, sql, &error), error);
}

static char *
add_profile (CbDatabase *db,
             const char *name)
{
  g_autoptr(CbProfile) p = cb_profile_new ();
  g_autoptr(GError) error = NULL;

  p->name = g_strdup (name);
  p->company_id = g_strdup ("bench");
  p->user_id = g_strdup ("ws");
  p->sender_id = g_strdup ("sender");
  check (cb_profile_save (db, p, &error), error);
  return g_strdup (p->id);
}

static const char * const sort_names[] = {
  "job code", "job name", "Intacct ID", "Intacct name", "state", "score",
};

/* Best of three, in ms, of a page of @query. */
static double
time_page (CbDatabase           *db,
           const char           *profile,
           CbMappingKind         kind,
           const CbMappingQuery *query,
           guint                *n)
{
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      gint64 start = g_get_monotonic_time ();

      rows = cb_mapping_store_list (db, profile, kind, query, &error);
      best = MIN (best, ms_since (start));
      check (rows != NULL, error);
      *n = rows->len;
    }
  return best;
}

static double
time_count (CbDatabase           *db,
            const char           *profile,
            CbMappingKind         kind,
            const CbMappingQuery *query,
            guint                *n)
{
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      *n = cb_mapping_store_count (db, profile, kind, query, &error);
      best = MIN (best, ms_since (start));
      check (TRUE, error);
    }
  return best;
}

static void
bench_codes (CbDatabase *db,
             const char *profile)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  CbMappingCounts counts;
  double worst_page = 0, worst_search = 0;
  gint64 start;
  guint n;

  printf ("# %u cost codes on each side\n", n_rows);

  for (guint i = 1; i <= n_rows; i++)
    {
      g_autofree char *id = g_strdup_printf ("cc%u", i);
      g_autofree char *code = g_strdup_printf ("C%06u", i);
      g_autofree char *name = g_strdup_printf ("Work item %06u", (i * 7919) % n_rows);
      CbJobRecord *r = cb_job_record_new (CB_JOB_KIND_COST_CODE, id);

      cb_job_record_set (r, "id", id);
      cb_job_record_set (r, "code", code);
      cb_job_record_set (r, "name", name);
      g_ptr_array_add (records, r);
    }
  start = g_get_monotonic_time ();
  check (cb_job_store_apply (db, profile, CB_JOB_KIND_COST_CODE, records, TRUE, NULL, &error),
         error);
  printf ("import %u job-side records: %.0f ms\n", n_rows, ms_since (start));

  /* Intacct: every third task has the job side's code as its ID (a sure match); the
   * others have their own IDs and the names of the job side, so the matcher suggests
   * them or finds nothing. */
  sql = g_strdup_printf ("BEGIN;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %2$u)"
                         " INSERT INTO intacct_records (profile_id, object, recordno, id, name, status,"
                         " fields, last_seen)"
                         " SELECT '%1$s', 'STANDARDTASK', 'r' || i,"
                         " CASE WHEN i %% 3 = 0 THEN printf ('C%%06d', i) ELSE printf ('T%%06d', i) END,"
                         " CASE WHEN i %% 2 = 0 THEN printf ('Work item %%06d', (i * 7919) %% %2$u)"
                         "  ELSE 'Task ' || i END,"
                         " 'active', '{}', 0 FROM n;"
                         "COMMIT;", profile, n_rows);
  start = g_get_monotonic_time ();
  exec (db, sql);
  printf ("cache %u Intacct records: %.0f ms\n", n_rows, ms_since (start));

  start = g_get_monotonic_time ();
  check (cb_mapping_store_auto_match (db, profile, CB_MAPPING_COST_CODES, NULL, &counts, &error),
         error);
  printf ("auto-match %u × %u cost codes: %.0f ms (%u mapped, %u suggested, %u unmapped)\n",
          n_rows, n_rows, ms_since (start), counts.mapped, counts.suggested, counts.unmapped);

  /* A few stale rows: some tasks gone, one renamed, one inactive. */
  start = g_get_monotonic_time ();
  exec (db, "BEGIN;"
            "DELETE FROM intacct_records WHERE object = 'STANDARDTASK' AND recordno IN"
            " ('r300', 'r600', 'r900', 'r1200');"
            "UPDATE intacct_records SET id = 'C-RENAMED' WHERE object = 'STANDARDTASK'"
            " AND recordno = 'r1500';"
            "UPDATE intacct_records SET status = 'inactive' WHERE object = 'STANDARDTASK'"
            " AND recordno = 'r1800';"
            "COMMIT;");
  printf ("a pull changing 6 Intacct records: %.1f ms\n", ms_since (start));

  /* The sidebar: counts of the four kinds. */
  {
    double best = G_MAXDOUBLE;

    for (guint i = 0; i < 3; i++)
      {
        start = g_get_monotonic_time ();
        for (CbMappingKind k = 0; k < CB_MAPPING_N_KINDS; k++)
          check (cb_mapping_store_counts (db, profile, k, &counts, &error), error);
        best = MIN (best, ms_since (start));
      }
    check (cb_mapping_store_counts (db, profile, CB_MAPPING_COST_CODES, &counts, &error), error);
    printf ("counts of the 4 kinds (sidebar): %.1f ms (cost codes: %u total, %u mapped, "
            "%u suggested, %u unmapped, %u stale)\n", best, counts.total, counts.mapped,
            counts.suggested, counts.unmapped, counts.stale);
    g_assert_cmpuint (counts.stale, ==, 6);
  }

  /* Pages. */
  for (CbMappingSort sort = CB_MAPPING_SORT_JOB_CODE; sort <= CB_MAPPING_SORT_SCORE; sort++)
    for (guint filter = 0; filter < 2; filter++)
      {
        GString *line = g_string_new (NULL);
        CbMappingQuery all = { .filter = filter ? CB_MAPPING_FILTER_UNMAPPED : CB_MAPPING_FILTER_ALL };
        guint total = cb_mapping_store_count (db, profile, CB_MAPPING_COST_CODES, &all, NULL);
        guint offsets[] = { 0, total / 2, total - 100 };

        g_string_append_printf (line, "page of 100 by %-12s %-8s (%u rows):", sort_names[sort],
                                filter ? "unmapped" : "all", total);
        for (guint desc = 0; desc < 2; desc++)
          for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
            {
              CbMappingQuery query = {
                .filter = filter ? CB_MAPPING_FILTER_UNMAPPED : CB_MAPPING_FILTER_ALL,
                .sort = sort, .descending = desc, .limit = 100,
                .offset = offsets[o],
              };
              double t = time_page (db, profile, CB_MAPPING_COST_CODES, &query, &n);

              g_assert_cmpuint (n, ==, 100);
              worst_page = MAX (worst_page, t);
              g_string_append_printf (line, " %s@%u %.1f", desc ? "desc" : "asc", query.offset, t);
            }
        printf ("%s ms\n", line->str);
        g_string_free (line, TRUE);
      }
  printf ("slowest page of 100: %.1f ms\n", worst_page);

  /* Searches: what a person types, one keystroke at a time. */
  {
    static const char * const searches[] = { "c", "c0", "c05", "c050", "c0500", "c05000",
                                             "work item 04", "t0000", "zzz" };

    for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
      {
        CbMappingQuery query = { .search = searches[i], .limit = 100 };
        guint n_count, n_page;
        double tc = time_count (db, profile, CB_MAPPING_COST_CODES, &query, &n_count);
        double tp = time_page (db, profile, CB_MAPPING_COST_CODES, &query, &n_page);
        double tn;

        query.sort = CB_MAPPING_SORT_JOB_NAME;
        tn = time_page (db, profile, CB_MAPPING_COST_CODES, &query, &n_page);
        printf ("search \"%s\": %u rows, count %.1f ms, first page by code %.1f ms, by name %.1f ms\n",
                searches[i], n_count, tc, tp, tn);
        worst_search = MAX (worst_search, tc + MAX (tp, tn));
      }
    printf ("slowest search (count + first page): %.1f ms\n", worst_search);
  }

  /* Bulk accept and undo. */
  {
    guint accepted = 0;

    start = g_get_monotonic_time ();
    check (cb_mapping_store_accept (db, profile, CB_MAPPING_COST_CODES, NULL, 0, &accepted, &error),
           error);
    printf ("bulk-accept %u suggestions: %.0f ms\n", accepted, ms_since (start));
    start = g_get_monotonic_time ();
    check (cb_mapping_store_undo (db, profile, CB_MAPPING_COST_CODES, &error), error);
    printf ("undo it: %.0f ms\n", ms_since (start));
  }

  /* Export. */
  {
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

    start = g_get_monotonic_time ();
    check (cb_mapping_store_export_csv (db, profile, CB_MAPPING_COST_CODES, out, &error), error);
    printf ("export %u rows as CSV: %.0f ms (%.1f MB)\n", n_rows, ms_since (start),
            g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)) / 1e6);
  }
}

static void
bench_vendors (CbDatabase *db,
               const char *profile)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  static const char * const trades[] = { "Concrete", "Electric", "Plumbing", "Roofing",
                                         "Drywall", "Masonry", "Steel", "Paving" };
  static const char * const forms[] = { "Inc", "LLC", "Co", "Corp." };
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  CbMappingCounts counts;
  gint64 start;

  printf ("# %u vendors on each side\n", n_vendors);

  /* 70% the same vendors written differently, 30% new ones. */
  for (guint i = 1; i <= n_vendors; i++)
    {
      g_autofree char *id = g_strdup_printf ("v%u", i);
      g_autofree char *name = NULL;
      g_autofree char *tax_id = NULL;
      CbJobRecord *r = cb_job_record_new (CB_JOB_KIND_VENDOR, id);

      if (i % 10 < 7)
        name = g_strdup_printf ("%s %u %s %s", i % 2 ? "Vendor" : "VENDOR", i,
                                trades[i % G_N_ELEMENTS (trades)], forms[(i / 7) % G_N_ELEMENTS (forms)]);
      else
        name = g_strdup_printf ("Newcomer %u Supply", i);
      if (i % 5 == 0)
        tax_id = g_strdup_printf ("%02u-%07u", i % 90 + 10, i);
      cb_job_record_set (r, "id", id);
      cb_job_record_set (r, "name", name);
      if (tax_id != NULL)
        cb_job_record_set (r, "tax_id", tax_id);
      g_ptr_array_add (records, r);
    }
  check (cb_job_store_apply (db, profile, CB_JOB_KIND_VENDOR, records, TRUE, NULL, &error), error);

  sql = g_strdup_printf ("BEGIN;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %2$u)"
                         " INSERT INTO intacct_records (profile_id, object, recordno, id, name, status,"
                         " fields, last_seen)"
                         " SELECT '%1$s', 'VENDOR', 'vr' || i, 'V' || i,"
                         " CASE WHEN i %% 10 < 7 THEN printf ('Vendor %%d %%s, %%s', i,"
                         "   json_extract ('[\"Concrete\",\"Electric\",\"Plumbing\",\"Roofing\","
                         "\"Drywall\",\"Masonry\",\"Steel\",\"Paving\"]', '$[' || (i %% 8) || ']'),"
                         "   json_extract ('[\"Incorporated\",\"L.L.C.\",\"Company\",\"Corporation\"]',"
                         "   '$[' || ((i / 7) %% 4) || ']'))"
                         "  ELSE 'Established ' || i || ' Holdings' END,"
                         " 'active',"
                         " CASE WHEN i %% 5 = 0 THEN json_object ('TAXID', printf ('%%02d%%07d', i %% 90 + 10, i))"
                         "  ELSE '{}' END, 0 FROM n;"
                         "COMMIT;", profile, n_vendors);
  exec (db, sql);

  start = g_get_monotonic_time ();
  check (cb_mapping_store_auto_match (db, profile, CB_MAPPING_VENDORS, NULL, &counts, &error),
         error);
  printf ("auto-match %u × %u vendors (store, matcher and write): %.0f ms "
          "(%u mapped, %u suggested, %u unmapped)\n", n_vendors, n_vendors, ms_since (start),
          counts.mapped, counts.suggested, counts.unmapped);

  start = g_get_monotonic_time ();
  check (cb_mapping_store_auto_match (db, profile, CB_MAPPING_VENDORS, NULL, &counts, &error),
         error);
  printf ("auto-match again (nothing changes): %.0f ms\n", ms_since (start));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *profile = NULL;
  const char *env;

  if ((env = g_getenv ("CB_BENCH_ROWS")) != NULL)
    n_rows = MAX (1000, atoi (env));
  if ((env = g_getenv ("CB_BENCH_VENDORS")) != NULL)
    n_vendors = MAX (100, atoi (env));

  dir = g_dir_make_tmp ("cb-bench-mapping-XXXXXX", &error);
  check (dir != NULL, error);
  path = g_build_filename (dir, "costbridge.db", NULL);
  db = cb_database_open (path, &error);
  check (db != NULL, error);
  profile = add_profile (db, "Bench");

  bench_codes (db, profile);
  bench_vendors (db, profile);

  g_clear_object (&db);
  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *p = g_strconcat (path, suffix, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
  return 0;
}
