/* bench-mapping-ui.c: the mapping page with 100,000 rows on each side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills a temporary database with CB_BENCH_ROWS (default 100,000) job-side vendors and as
 * many cached Intacct vendors, then under Xvfb prints: the time to open the Vendors page
 * (set the profile and draw the first frame), a search keystroke and a filter change
 * (each until the grid has drawn again), scrolling to the end, auto-match in its worker,
 * and the process's resident memory along the way (the model keeps a bounded number of
 * pages, whatever the row count).
 */

#define G_LOG_DOMAIN "bench-mapping-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cb-database.h"
#include "cb-intacct-cache.h"
#include "cb-job-store.h"
#include "cb-mapping-model.h"
#include "cb-mapping-page.h"
#include "cb-mapping-store.h"
#include "cb-page.h"
#include "cb-profile.h"

#include "cb-test-ui.h"

static const char * const words[] = {
  "Ready", "Mix", "Acme", "Drywall", "North", "Side", "Electric", "Blue", "Line", "Plumbing",
  "Summit", "Steel", "Harbor", "Concrete", "Valley", "Roofing", "Granite", "Glass", "Pioneer",
  "Paving", "Metro", "Mechanical", "Cedar", "Framing", "Atlas", "Crane", "Delta", "Masonry",
};

static double
rss_mb (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;

  return resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static char *
vendor_name (guint i,
             gboolean intacct)
{
  guint n = G_N_ELEMENTS (words);

  /* Every fifth Intacct vendor is spelled differently, every seventh has no twin. */
  if (intacct && i % 7 == 3)
    return g_strdup_printf ("%s %s Holdings %u", words[(i * 3) % n], words[(i / n) % n], i);
  if (intacct && i % 5 == 1)
    return g_strdup_printf ("%s-%s %s, Inc.", words[i % n], words[(i / n) % n], words[(i / (n * n)) % n]);

  return g_strdup_printf ("%s %s %s Inc %u", words[i % n], words[(i / n) % n],
                          words[(i / (n * n)) % n], intacct ? i : i);
}

static void
fill (CbDatabase *db,
      const char *profile_id,
      guint       n)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GPtrArray) vendors = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("v%06u", i);
      g_autofree char *code = g_strdup_printf ("V%06u", i);
      g_autofree char *name = vendor_name (i, FALSE);
      g_autofree char *iname = vendor_name (i, TRUE);
      g_autofree char *recordno = g_strdup_printf ("%u", 1000 + i);
      g_autofree char *vendorid = g_strdup_printf (i % 2 ? "V%06u" : "VEN-%u", i);
      CbJobRecord *record = cb_job_record_new (CB_JOB_KIND_VENDOR, id);
      CbIntacctRecord *vendor = cb_intacct_record_new ("VENDOR");

      cb_job_record_set (record, "id", id);
      cb_job_record_set (record, "code", code);
      cb_job_record_set (record, "name", name);
      g_ptr_array_add (jobs, record);

      cb_intacct_record_add_field (vendor, "RECORDNO", recordno);
      cb_intacct_record_add_field (vendor, "VENDORID", vendorid);
      cb_intacct_record_add_field (vendor, "NAME", iname);
      cb_intacct_record_add_field (vendor, "STATUS", "active");
      g_ptr_array_add (vendors, vendor);
    }

  g_assert_true (cb_job_store_apply (db, profile_id, CB_JOB_KIND_VENDOR, jobs, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_intacct_cache_store (db, profile_id, "VENDOR", vendors, &error));
  g_assert_no_error (error);
}

static gboolean
page_is_idle (gpointer page)
{
  return !_cb_mapping_page_is_busy (page);
}

static gboolean
page_is_loaded (gpointer page)
{
  return !_cb_mapping_page_is_loading (page);
}

/* The longest the main loop went without running a 10 ms timeout. */
static gint64 last_tick, max_gap;

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    max_gap = MAX (max_gap, now - last_tick);
  last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
reset_gap (void)
{
  last_tick = g_get_monotonic_time ();
  max_gap = 0;
}

static double
search (GtkWidget  *window,
        GtkWidget  *entry,
        const char *text,
        guint      *n_rows,
        CbMappingPage *page)
{
  gint64 start = g_get_monotonic_time ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* What the entry emits once typing pauses. */
  g_signal_emit_by_name (entry, "search-changed");
  /* The query runs in a worker: until its first rows are drawn. */
  cb_test_spin_until (page_is_loaded, page, 600000);
  cb_test_wait_for_frame (window);
  *n_rows = g_list_model_get_n_items (G_LIST_MODEL (_cb_mapping_page_get_model (page)));

  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbProfile) profile = cb_profile_new ();
  g_autoptr(CbDatabase) db = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *env = g_getenv ("CB_BENCH_ROWS");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 100000;
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *entry;
  gint64 start;
  double ms, rss_before, rss_open;
  guint n_rows = 0;
  CbMappingCounts counts;
  gint64 idle_gap;

  gtk_disable_setlocale ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  dir = g_dir_make_tmp ("bench-mapping-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "costbridge.db", NULL);
  db = cb_database_open (path, &error);
  g_assert_no_error (error);
  profile->name = g_strdup ("Bench Builders");
  profile->company_id = g_strdup ("bench");
  profile->user_id = g_strdup ("ws_user");
  profile->sender_id = g_strdup ("sender");
  g_assert_true (cb_profile_save (db, profile, &error));

  start = g_get_monotonic_time ();
  fill (db, profile->id, n);
  g_print ("# %u job-side vendors and %u Intacct vendors stored in %.2f s (setup, not a figure)\n",
           n, n, (g_get_monotonic_time () - start) / 1e6);

  rss_before = rss_mb ();
  start = g_get_monotonic_time ();
  page = cb_mapping_page_new ("vendors");
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_set_child (GTK_WINDOW (window), page);
  cb_page_set_profile (CB_PAGE (page), db, profile->id);
  gtk_window_present (GTK_WINDOW (window));
  cb_test_spin_until (cb_test_is_mapped, window, 10000);
  cb_test_spin_until (page_is_loaded, page, 600000);
  cb_test_wait_for_frame (window);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_timeout_add (10, tick_cb, NULL);
  rss_open = rss_mb ();
  g_print ("page open (%u rows, first frame drawn): %.1f ms, %u of %u pages loaded, RSS +%.1f MB\n",
           n, ms,
           cb_mapping_model_get_n_loaded_pages (_cb_mapping_page_get_model (CB_MAPPING_PAGE (page))),
           (n + CB_MAPPING_MODEL_PAGE_SIZE - 1) / CB_MAPPING_MODEL_PAGE_SIZE, rss_open - rss_before);

  /* The baseline: the longest iteration with nothing to do but draw, for a second. */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    reset_gap ();
    while (g_get_monotonic_time () < until)
      {
        gtk_widget_queue_draw (window);
        cb_test_wait_for_frame (window);
      }
    idle_gap = max_gap;
  }

  entry = cb_test_named (page, "mapping-search");
  {
    static const char * const keystrokes[] = { "s", "su", "sum", "summ", "summit", "summit steel", "V0500", "zzz", "" };
    gint64 worst_gap = 0;
    const char *worst = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (keystrokes); i++)
      {
        reset_gap ();
        ms = search (window, entry, keystrokes[i], &n_rows, CB_MAPPING_PAGE (page));
        g_print ("search keystroke \"%s\": %.1f ms to the first rows drawn (%u rows), main loop blocked at most %.1f ms\n",
                 keystrokes[i], ms, n_rows, max_gap / 1000.0);
        if (max_gap >= worst_gap)
          {
            worst_gap = max_gap;
            worst = keystrokes[i];
          }
      }
    g_print ("worst main-loop stall during a search at %u rows: %.1f ms (\"%s\"; idle baseline %.1f ms)\n",
             n, worst_gap / 1000.0, worst, idle_gap / 1000.0);
  }

  start = g_get_monotonic_time ();
  gtk_widget_activate_action (page, "mapping.auto-match", NULL);
  cb_test_spin_until (page_is_idle, page, 600000);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_true (cb_mapping_store_counts (db, profile->id, CB_MAPPING_VENDORS, &counts, &error));
  g_print ("auto-match %u × %u in the worker (window kept drawing): %.0f ms → %u mapped, %u suggested, %u unmapped\n",
           n, n, ms, counts.mapped, counts.suggested, counts.unmapped);

  {
    static const char * const filters[] = { "filter-suggested", "filter-unmapped", "filter-mapped", "filter-all" };

    for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
      {
        reset_gap ();
        start = g_get_monotonic_time ();
        gtk_toggle_button_set_active (cb_test_named (page, filters[i]), TRUE);
        cb_test_spin_until (page_is_loaded, page, 600000);
        cb_test_wait_for_frame (window);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_print ("filter %s: %.1f ms to the first rows drawn, main loop blocked at most %.1f ms (%u rows)\n",
                 filters[i] + 7, ms, max_gap / 1000.0,
                 g_list_model_get_n_items (G_LIST_MODEL (_cb_mapping_page_get_model (CB_MAPPING_PAGE (page)))));
      }
  }

  {
    GtkColumnView *view = cb_test_named (page, "mapping-grid");
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_parent (GTK_WIDGET (view)));
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scrolled);

    start = g_get_monotonic_time ();
    for (guint step = 1; step <= 20; step++)
      {
        gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) * step / 20.0);
        cb_test_wait_for_frame (window);
      }
    /* Rows show placeholders until their page arrives. */
    cb_test_spin_until (page_is_loaded, page, 600000);
    ms = (g_get_monotonic_time () - start) / 1000.0;
    g_print ("scrolling to the end in 20 jumps: %.1f ms (%.1f ms a jump), %u pages loaded (at most %u), RSS +%.1f MB since before opening\n",
             ms, ms / 20, cb_mapping_model_get_n_loaded_pages (_cb_mapping_page_get_model (CB_MAPPING_PAGE (page))),
             CB_MAPPING_MODEL_MAX_PAGES, rss_mb () - rss_before);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&db);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (path);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (dir);
  }

  return 0;
}
