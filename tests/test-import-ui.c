/* test-import-ui.c: the Refresh from Intacct dialog against the sandbox, and the Import
 * dialog's summary, under Xvfb. Screenshots go to $COSTBRIDGE_SCREENSHOT_DIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-import-ui"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cb-import-dialog.h"
#include "cb-intacct-cache.h"
#include "cb-job-store.h"
#include "cb-intacct-pull.h"
#include "cb-profile.h"
#include "cb-refresh-dialog.h"
#include "cb-sandbox.h"
#include "cb-test-ui.h"

typedef struct
{
  CbSandbox  *sandbox;
  char       *dir;
  char       *path;
  CbDatabase *db;
  CbProfile  *profile;
  GtkWindow  *parent;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = cb_sandbox_new ();
  g_assert_true (cb_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);

  f->dir = g_dir_make_tmp ("cb-import-ui-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "costbridge.db", NULL);
  f->db = cb_database_open (f->path, &error);
  g_assert_no_error (error);

  f->profile = cb_profile_new ();
  f->profile->name = g_strdup ("Demo company");
  f->profile->endpoint = cb_sandbox_dup_endpoint (f->sandbox);
  f->profile->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  f->profile->user_id = g_strdup (CB_SANDBOX_USER_ID);
  f->profile->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  f->profile->is_demo = TRUE;
  g_assert_true (cb_profile_save (f->db, f->profile, &error));
  g_assert_no_error (error);

  f->parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->parent, 800, 600);
  gtk_window_present (f->parent);
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, f->parent, 5000));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
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
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->parent);
  cb_test_spin_for (50);
  cb_profile_free (f->profile);
  g_clear_object (&f->db);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
  cb_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
}

static gboolean
refresh_idle (gpointer dialog)
{
  return !_cb_refresh_dialog_is_running (dialog);
}

static const char *
label_text (GtkWindow  *window,
            const char *name)
{
  GtkWidget *label = cb_test_find_named (GTK_WIDGET (window), name);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static const char *
row_subtitle (GtkWindow  *window,
              const char *object)
{
  g_autofree char *name = g_strconcat ("row-", object, NULL);
  GtkWidget *row = cb_test_find_named (GTK_WIDGET (window), name);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
click (GtkWindow  *window,
       const char *name)
{
  GtkWidget *button = cb_test_find_named (GTK_WIDGET (window), name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The dialog connects, shows progress while it pulls, then says it is done; every object
 * is in the cache and says when it was refreshed. */
static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  GtkWindow *dialog;
  g_autofree char *count = NULL;
  guint n_vendors;

  cb_sandbox_add_generated_vendors (f->sandbox, 3000);
  cb_sandbox_set_latency (f->sandbox, 150);
  n_vendors = cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL);

  dialog = _cb_refresh_dialog_new (f->parent, f->db, f->profile->id, FALSE);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, dialog, 5000));
  g_assert_true (_cb_refresh_dialog_is_running (dialog));
  g_assert_cmpstr (row_subtitle (dialog, "VENDOR"), ==, "Never refreshed");
  g_assert_true (gtk_widget_get_visible (cb_test_find_named (GTK_WIDGET (dialog), "cancel")));
  g_assert_false (gtk_widget_get_visible (cb_test_find_named (GTK_WIDGET (dialog), "close")));

  /* Progress: the stage and n of N for vendors. */
  for (guint i = 0; i < 200 && strstr (label_text (dialog, "status"), "Reading Vendor") == NULL; i++)
    cb_test_spin_for (20);
  g_assert_nonnull (strstr (label_text (dialog, "status"), "Reading Vendor (1 of 11)"));
  cb_test_wait_for_frame (GTK_WIDGET (dialog));
  cb_test_save_screenshot (GTK_WIDGET (dialog), "refresh-progress.png");

  cb_sandbox_set_latency (f->sandbox, 0);
  g_assert_true (cb_test_spin_until (refresh_idle, dialog, 60000));
  g_assert_true (g_str_has_prefix (label_text (dialog, "status"), "Done:"));
  count = g_strdup_printf ("%u of %u", n_vendors, n_vendors);
  g_assert_cmpstr (label_text (dialog, "count-VENDOR"), ==, count);
  g_assert_true (g_str_has_prefix (row_subtitle (dialog, "VENDOR"), "Refreshed just now"));
  g_assert_cmpuint (cb_intacct_cache_count (f->db, f->profile->id, "VENDOR"), ==, n_vendors);
  g_assert_true (gtk_widget_get_visible (cb_test_find_named (GTK_WIDGET (dialog), "close")));
  g_assert_false (gtk_widget_get_visible (cb_test_find_named (GTK_WIDGET (dialog), "cancel")));
  cb_test_wait_for_frame (GTK_WIDGET (dialog));
  cb_test_save_screenshot (GTK_WIDGET (dialog), "refresh-done.png");

  click (dialog, "close");
  for (guint i = 0; i < 100 && dialog != NULL; i++)
    cb_test_spin_for (20);
  g_assert_null (dialog);
}

/* Cancel stops between pages; what was read stays, and the dialog says so. */
static void
test_refresh_cancel (Fixture       *f,
                     gconstpointer  data)
{
  GtkWindow *dialog;
  guint cached;

  cb_sandbox_add_generated_vendors (f->sandbox, 10000);
  cb_sandbox_set_latency (f->sandbox, 200);

  dialog = _cb_refresh_dialog_new (f->parent, f->db, f->profile->id, FALSE);
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, dialog, 5000));
  for (guint i = 0; i < 500 && strstr (label_text (dialog, "count-VENDOR"), "1000 of") == NULL; i++)
    cb_test_spin_for (20);
  g_assert_nonnull (strstr (label_text (dialog, "count-VENDOR"), "of 10050"));

  click (dialog, "cancel");
  g_assert_true (cb_test_spin_until (refresh_idle, dialog, 30000));
  g_assert_true (g_str_has_prefix (label_text (dialog, "status"), "Stopped."));
  g_assert_cmpstr (row_subtitle (dialog, "VENDOR"), ==, "Stopped; what was read is kept");
  cached = cb_intacct_cache_count (f->db, f->profile->id, "VENDOR");
  g_assert_cmpuint (cached, >=, 1000);
  g_assert_cmpuint (cached, <, 10050);
  g_assert_null (cb_intacct_cache_last_refresh (f->db, f->profile->id, "VENDOR"));
  cb_test_wait_for_frame (GTK_WIDGET (dialog));
  cb_test_save_screenshot (GTK_WIDGET (dialog), "refresh-cancelled.png");
  cb_sandbox_set_latency (f->sandbox, 0);
  gtk_window_destroy (dialog);
}

static GPtrArray *
write_files (Fixture *f,
             ...)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;
  const char *name;

  va_start (args, f);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *contents = va_arg (args, const char *);
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_set_contents (path, contents, -1, &error));
      g_assert_no_error (error);
      g_ptr_array_add (files, g_file_new_for_path (path));
    }
  va_end (args);
  return g_steal_pointer (&files);
}

static gboolean
import_done (gpointer summary)
{
  return _cb_import_dialog_is_done (summary);
}

static guint
count_jobs (Fixture   *f,
            CbJobKind  kind)
{
  g_autoptr(GError) error = NULL;
  guint n = cb_job_store_count (f->db, f->profile->id, kind, NULL, &error);

  g_assert_no_error (error);
  return n;
}

/* A good import: the summary lists added / updated / unchanged per kind. */
static void
test_import_good (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) again = NULL;
  GtkWindow *summary;
  GtkWidget *row;

  files = write_files (f,
                       "vendors.csv",
                       "ID,Name,Tax ID\r\n"
                       "V-1,Granite State Ready-Mix,10-1234567\r\n"
                       "V-2,\"Keystone Rebar, Inc.\",11-1235678\r\n",
                       "cost-codes.json",
                       "[{\"id\": \"03-300\", \"code\": \"03-300\", \"name\": \"Cast-in-Place Concrete\"}]",
                       NULL);
  summary = _cb_import_dialog_import_files (f->parent, f->db, f->profile->id, files);
  g_assert_true (cb_test_spin_until (import_done, summary, 30000));
  g_assert_cmpstr (label_text (summary, "summary-title"), ==, "Imported");
  g_assert_cmpstr (label_text (summary, "summary-detail"), ==, "2 files, 3 records.");
  row = cb_test_find_named (GTK_WIDGET (summary), "count-vendor");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "2 added, 0 updated, 0 unchanged");
  row = cb_test_find_named (GTK_WIDGET (summary), "count-cost_code");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "1 added, 0 updated, 0 unchanged");
  g_assert_false (gtk_widget_get_visible (cb_test_find_named (GTK_WIDGET (summary), "copy")));
  g_assert_cmpuint (count_jobs (f, CB_JOB_KIND_VENDOR), ==, 2);
  cb_test_wait_for_frame (GTK_WIDGET (summary));
  cb_test_save_screenshot (GTK_WIDGET (summary), "import-summary.png");
  gtk_window_destroy (summary);

  /* Again with one vendor renamed: updated and unchanged, never duplicated. */
  again = write_files (f,
                       "vendors.csv",
                       "ID,Name,Tax ID\n"
                       "V-1,Granite State Ready Mix LLC,10-1234567\n"
                       "V-2,\"Keystone Rebar, Inc.\",11-1235678\n",
                       NULL);
  summary = _cb_import_dialog_import_files (f->parent, f->db, f->profile->id, again);
  g_assert_true (cb_test_spin_until (import_done, summary, 30000));
  row = cb_test_find_named (GTK_WIDGET (summary), "count-vendor");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "0 added, 1 updated, 1 unchanged");
  g_assert_cmpuint (count_jobs (f, CB_JOB_KIND_VENDOR), ==, 2);
  gtk_window_destroy (summary);
}

/* A rejected import stores nothing and lists every problem, selectable and copyable. */
static void
test_import_rejected (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) files = NULL;
  GtkWindow *summary;
  GtkWidget *view;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  files = write_files (f,
                       "vendors.csv",
                       "ID,Name,Status\n"
                       "V-1,Granite State Ready-Mix,active\n"
                       "V-2,,active\n"
                       "V-3,Keystone Rebar,sleeping\n",
                       NULL);
  summary = _cb_import_dialog_import_files (f->parent, f->db, f->profile->id, files);
  g_assert_true (cb_test_spin_until (import_done, summary, 30000));
  g_assert_cmpstr (label_text (summary, "summary-title"), ==, "Nothing was imported");
  g_assert_nonnull (strstr (label_text (summary, "summary-detail"), "2 problems"));
  view = cb_test_find_named (GTK_WIDGET (summary), "summary-problems");
  g_assert_true (gtk_widget_get_mapped (view));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (view)));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "vendors.csv, line 3"));
  g_assert_nonnull (strstr (text, "vendors.csv, line 4"));
  g_assert_nonnull (strstr (text, "sleeping"));
  g_assert_true (gtk_widget_get_visible (cb_test_find_named (GTK_WIDGET (summary), "copy")));
  g_assert_cmpuint (count_jobs (f, CB_JOB_KIND_VENDOR), ==, 0);
  cb_test_wait_for_frame (GTK_WIDGET (summary));
  cb_test_save_screenshot (GTK_WIDGET (summary), "import-rejected.png");

  click (summary, "copy");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (cb_test_find_named (GTK_WIDGET (summary), "copy"))),
                   ==, "Copied");
  gtk_window_destroy (summary);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP No display: run under xvfb-run\n");
      return 0;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/import-ui/refresh", test_refresh);
  ADD ("/import-ui/refresh-cancel", test_refresh_cancel);
  ADD ("/import-ui/import-good", test_import_good);
  ADD ("/import-ui/import-rejected", test_import_rejected);
#undef ADD

  return g_test_run ();
}
