/* test-sync-ui.c: the Bills, Sync and History pages under Xvfb, against the real sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real widgets in a real CbWindow, a real SQLite file (the window's store, in the test
 * wrapper's scratch XDG data folder) filled through the core APIs, and real HTTP to the
 * in-process sandbox gateway. Screenshots go to $COSTBRIDGE_SCREENSHOT_DIR.
 */

#define G_LOG_DOMAIN "test-sync-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cb-bills-page.h"
#include "cb-history-page.h"
#include "cb-mapping-store.h"
#include "cb-run-store.h"
#include "cb-sync-page.h"
#include "cb-window.h"
#include "cb-database.h"
#include "cb-job-store.h"
#include "cb-profile.h"
#include "cb-sandbox.h"
#include "cb-test-ui.h"

#define N_BILLS 450

typedef struct
{
  CbSandbox  *sandbox;
  char       *endpoint;
  CbWindow   *window;
  CbDatabase *db;
  char       *profile_id;
} Fixture;

static AdwApplication *test_app;

/* Helpers */

static AdwApplication *
get_test_application (void)
{
  g_autoptr(GError) error = NULL;

  if (test_app != NULL)
    return test_app;

  test_app = adw_application_new (APPLICATION_ID ".SyncTest", G_APPLICATION_NON_UNIQUE);
  g_application_set_resource_base_path (G_APPLICATION (test_app),
                                        "/io/github/costbridge/Costbridge/");
  g_application_register (G_APPLICATION (test_app), NULL, &error);
  g_assert_no_error (error);

  return test_app;
}

static CbJobRecord *
make_record (CbJobKind   kind,
             const char *id,
             ...)
{
  CbJobRecord *record = cb_job_record_new (kind, id);
  const char *field;
  va_list args;

  va_start (args, id);
  while ((field = va_arg (args, const char *)) != NULL)
    cb_job_record_set (record, field, va_arg (args, const char *));
  va_end (args);

  return record;
}

static void
apply (Fixture   *fixture,
       CbJobKind  kind,
       GPtrArray *records)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_job_store_apply (fixture->db, fixture->profile_id, kind, records, TRUE,
                                     NULL, &error));
  g_assert_no_error (error);
}

static void
add_line (CbJobRecord *bill,
          const char  *job_id,
          const char  *cost_code_id,
          const char  *cost_type_id,
          gint64       cents,
          const char  *memo)
{
  CbJobLine *line = g_new0 (CbJobLine, 1);

  if (bill->lines == NULL)
    bill->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_line_free);
  line->line_no = bill->lines->len + 1;
  line->job_id = g_strdup (job_id);
  line->cost_code_id = g_strdup (cost_code_id);
  line->cost_type_id = g_strdup (cost_type_id);
  /* the cost types are new in Intacct, without a GL account: the job system gives one */
  line->gl_account = g_strdup ("5100");
  line->amount_cents = cents;
  line->memo = g_strdup (memo);
  g_ptr_array_add (bill->lines, line);
}

/* A small job side: two vendors, two jobs, two cost codes, two cost types and @n_bills
 * bills of two lines each ("B-0001"… numbered "1001"…). */
static void
fill_job_side (Fixture *fixture,
               guint    n_bills)
{
  g_autoptr(GPtrArray) vendors = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GPtrArray) bills = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);

  g_ptr_array_add (vendors, make_record (CB_JOB_KIND_VENDOR, "V-100", "name", "Acme Concrete",
                                         "code", "ACME", NULL));
  g_ptr_array_add (vendors, make_record (CB_JOB_KIND_VENDOR, "V-200", "name", "Brightline Electric",
                                         "code", "BRIGHT", NULL));
  g_ptr_array_add (jobs, make_record (CB_JOB_KIND_JOB, "job-1", "number", "J-1001",
                                      "name", "Riverside Clinic", "status", "open", NULL));
  g_ptr_array_add (jobs, make_record (CB_JOB_KIND_JOB, "job-2", "number", "J-1002",
                                      "name", "Harbor Lofts", "status", "open", NULL));
  g_ptr_array_add (codes, make_record (CB_JOB_KIND_COST_CODE, "cc-1", "code", "99-310",
                                       "name", "Cast-in-Place Concrete", NULL));
  g_ptr_array_add (codes, make_record (CB_JOB_KIND_COST_CODE, "cc-2", "code", "99-320",
                                       "name", "Electrical Basics", NULL));
  g_ptr_array_add (types, make_record (CB_JOB_KIND_COST_TYPE, "ct-1", "code", "ZM",
                                       "name", "Material", NULL));
  g_ptr_array_add (types, make_record (CB_JOB_KIND_COST_TYPE, "ct-2", "code", "ZL",
                                       "name", "Labor", NULL));

  for (guint i = 1; i <= n_bills; i++)
    {
      g_autofree char *id = g_strdup_printf ("B-%04u", i);
      g_autofree char *number = g_strdup_printf ("%u", 1000 + i);
      g_autofree char *date = g_strdup_printf ("2026-03-%02u", 1 + i % 28);
      CbJobRecord *bill = make_record (CB_JOB_KIND_BILL, id,
                                       "vendor_id", i % 2 ? "V-100" : "V-200",
                                       "number", number, "date", date,
                                       "due_date", "2026-04-30", "currency", "USD",
                                       "memo", "Pour level 2 deck", NULL);

      add_line (bill, "job-1", "cc-1", "ct-1", 125000 + i, "Concrete");
      add_line (bill, i % 3 ? "job-1" : "job-2", "cc-2", "ct-2", 42050, "Temporary power");
      g_ptr_array_add (bills, bill);
    }

  apply (fixture, CB_JOB_KIND_VENDOR, vendors);
  apply (fixture, CB_JOB_KIND_JOB, jobs);
  apply (fixture, CB_JOB_KIND_COST_CODE, codes);
  apply (fixture, CB_JOB_KIND_COST_TYPE, types);
  apply (fixture, CB_JOB_KIND_BILL, bills);
}

static gpointer
page_named (Fixture    *fixture,
            const char *name)
{
  return cb_test_named (GTK_WIDGET (fixture->window), name);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbProfile) profile = cb_profile_new ();
  static guint counter;
  g_autofree char *name = g_strdup_printf ("Sync UI test %u", ++counter);

  fixture->sandbox = cb_sandbox_new ();
  g_assert_true (cb_sandbox_start (fixture->sandbox, 0, &error));
  g_assert_no_error (error);
  fixture->endpoint = cb_sandbox_dup_endpoint (fixture->sandbox);

  fixture->window = cb_window_new (GTK_APPLICATION (get_test_application ()));
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 760);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, fixture->window, 5000));

  fixture->db = g_object_ref (cb_window_get_database (fixture->window));
  g_assert_nonnull (fixture->db);

  /* A demo-like company on the test's sandbox: its credentials are public test values. */
  profile->name = g_strdup (name);
  profile->endpoint = g_strdup (fixture->endpoint);
  profile->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  profile->user_id = g_strdup (CB_SANDBOX_USER_ID);
  profile->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  profile->is_demo = TRUE;
  profile->default_ap_account = g_strdup ("2000");
  profile->default_location = g_strdup ("100");
  g_assert_true (cb_profile_save (fixture->db, profile, &error));
  g_assert_no_error (error);
  fixture->profile_id = g_strdup (profile->id);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  cb_profile_delete (fixture->db, fixture->profile_id, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->db);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);

  cb_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_free (fixture->endpoint);
  g_free (fixture->profile_id);
}

/* The window's page @name (its stack child, not its sidebar row of the same name). */
static gpointer
window_page (Fixture    *fixture,
             const char *name)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                              CB_TYPE_WINDOW, "stack"));
  GtkWidget *page = gtk_stack_get_child_by_name (stack, name);

  g_assert_true (CB_IS_PAGE (page));
  return page;
}

static void
set_profile (Fixture    *fixture,
             const char *page)
{
  cb_page_set_profile (window_page (fixture, page), fixture->db, fixture->profile_id);
}

/* Bills */

static guint
n_rows (GtkColumnView *view)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

static void
test_bills_page (Fixture       *fixture,
                 gconstpointer  data)
{
  CbPage *page = window_page (fixture, "bills");
  GtkColumnView *view;
  GtkSingleSelection *selection;
  GtkLabel *title;
  GtkWidget *lines;

  cb_window_set_page (fixture->window, "bills");
  set_profile (fixture, "bills");

  /* No bills yet: it says how to get some. */
  g_assert_true (gtk_widget_get_mapped (page_named (fixture, "bills-empty")));
  g_assert_null (cb_page_get_summary (page));

  fill_job_side (fixture, N_BILLS);
  cb_window_data_changed (fixture->window);
  cb_test_wait_for_frame (GTK_WIDGET (fixture->window));

  view = page_named (fixture, "bills-view");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_cmpuint (n_rows (view), ==, N_BILLS);
  g_assert_cmpstr (cb_page_get_summary (page), ==, "450");
  g_assert_cmpstr (gtk_label_get_text (page_named (fixture, "bills-count")), ==, "450 bills");

  /* The first bill is selected and its lines shown with codes and amounts. */
  title = page_named (fixture, "bill-title");
  g_assert_cmpstr (gtk_label_get_text (title), ==, "Bill 1001 · Acme Concrete");
  lines = page_named (fixture, "bill-lines");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (lines), 0, 1))),
                   ==, "J-1001 (job-1)");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (lines), 1, 1))),
                   ==, "99-310 (cc-1)");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (lines), 2, 2))),
                   ==, "ZL (ct-2)");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (lines), 4, 1))),
                   ==, "1,250.01");
  g_assert_nonnull (strstr (gtk_label_get_text (page_named (fixture, "bill-subtitle")),
                            "total 1,670.51 USD"));
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "bills-page.png");

  /* A row past the first page loads from the store when asked for. */
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (view));
  gtk_single_selection_set_selected (selection, 420);
  g_assert_cmpstr (gtk_label_get_text (title), ==, "Bill 1421 · Acme Concrete");

  /* Searching narrows the list and says so. */
  gtk_editable_set_text (page_named (fixture, "bills-search"), "1042");
  g_signal_emit_by_name (page_named (fixture, "bills-search"), "search-changed");
  g_assert_cmpuint (n_rows (view), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (page_named (fixture, "bills-count")), ==,
                   "1 of 450 bills");
  g_assert_cmpstr (gtk_label_get_text (title), ==, "Bill 1042 · Brightline Electric");
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "bills-search.png");

  gtk_editable_set_text (page_named (fixture, "bills-search"), "no such bill");
  g_signal_emit_by_name (page_named (fixture, "bills-search"), "search-changed");
  g_assert_cmpuint (n_rows (view), ==, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));

  /* Another company's page is empty again. */
  cb_page_set_profile (page, fixture->db, NULL);
  g_assert_cmpuint (n_rows (view), ==, 0);
  g_assert_null (cb_page_get_summary (page));
}

/* Sync and History */

static gboolean
is_idle (gpointer page)
{
  return !cb_sync_page_get_busy (CB_SYNC_PAGE (page));
}

/* Updates or adds bills without marking the others vanished. */
static void
apply_bills (Fixture     *fixture,
             CbJobRecord *first,
             ...)
{
  g_autoptr(GPtrArray) bills = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GError) error = NULL;
  CbJobRecord *bill = first;
  va_list args;

  va_start (args, first);
  for (; bill != NULL; bill = va_arg (args, CbJobRecord *))
    g_ptr_array_add (bills, bill);
  va_end (args);

  g_assert_true (cb_job_store_apply (fixture->db, fixture->profile_id, CB_JOB_KIND_BILL, bills,
                                     FALSE, NULL, &error));
  g_assert_no_error (error);
}

static CbJobRecord *
make_bill (const char *id,
           const char *number,
           const char *vendor_id,
           gint64      cents,
           const char *gl_account)
{
  CbJobRecord *bill = make_record (CB_JOB_KIND_BILL, id, "vendor_id", vendor_id,
                                   "number", number, "date", "2026-03-20",
                                   "due_date", "2026-04-30", "currency", "USD",
                                   "memo", "Pour level 2 deck", NULL);

  add_line (bill, "job-1", "cc-1", "ct-1", cents, "Concrete");
  if (gl_account != NULL)
    {
      CbJobLine *line = g_ptr_array_index (bill->lines, 0);

      g_free (line->gl_account);
      line->gl_account = g_strdup (gl_account);
    }
  return bill;
}

/* The Bills page's Intacct column for row @position (transfer full). */
static char *
bill_state (Fixture *fixture,
            guint    position)
{
  GtkColumnView *view = page_named (fixture, "bills-view");
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)),
                                                   position);
  char *state = NULL;

  g_assert_nonnull (item);
  g_object_get (item, "state", &state, NULL);
  return state;
}

typedef struct
{
  Fixture    *fixture;
  guint       position;
  const char *prefix;
} StateWait;

static gboolean
bill_state_is (gpointer data)
{
  StateWait *wait = data;
  g_autofree char *state = bill_state (wait->fixture, wait->position);

  return g_str_has_prefix (state, wait->prefix);
}

static void
create_all (Fixture       *fixture,
            CbMappingKind  kind,
            const char    *first,
            ...)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *id = first;
  va_list args;

  va_start (args, first);
  for (; id != NULL; id = va_arg (args, const char *))
    g_ptr_array_add (ids, (gpointer) id);
  va_end (args);
  g_ptr_array_add (ids, NULL);

  g_assert_true (cb_mapping_store_set_create (fixture->db, fixture->profile_id, kind,
                                              (const char * const *) ids->pdata, &error));
  g_assert_no_error (error);
}

static CbSyncPage *
plan_page (Fixture *fixture)
{
  CbSyncPage *page = window_page (fixture, "sync");

  cb_window_set_page (fixture->window, "sync");
  set_profile (fixture, "history");
  set_profile (fixture, "sync");
  g_assert_true (cb_test_spin_until (is_idle, page, 30000));
  return page;
}

static void
test_sync_blocked_link (Fixture       *fixture,
                        gconstpointer  data)
{
  CbSyncPage *page;
  CbPlan *plan;
  CbPlanCounts counts;
  GtkWidget *button;

  /* Nothing mapped: every bill is blocked, each with a way to fix it. */
  fill_job_side (fixture, 3);
  page = plan_page (fixture);
  plan = cb_sync_page_get_plan (page);
  g_assert_nonnull (plan);
  cb_plan_get_counts (plan, &counts);
  g_assert_cmpuint (counts.blocked, >, 0);
  g_assert_cmpstr (gtk_label_get_text (page_named (fixture, "blocked-count")), !=, "0");
  g_assert_nonnull (page_named (fixture, "blocked-bill:B-0001"));
  gtk_stack_set_visible_child_name (page_named (fixture, "sync-views"), "blocked");
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "sync-blocked.png");

  /* "Fix…" opens the page where it is fixed, with the record in its search. */
  button = cb_test_find_named (page_named (fixture, "blocked-bill:B-0001"), "fix-bill:B-0001");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (cb_window_get_page (fixture->window), ==, "vendors");
}

static gboolean
run_finished (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GPtrArray) runs = cb_run_store_list_runs (fixture->db, fixture->profile_id, 1, NULL);

  /* The run is over in the store, and the page has shown it (its progress is gone). */
  return runs != NULL && runs->len == 1 &&
         ((CbRun *) g_ptr_array_index (runs, 0))->state != CB_RUN_STATE_RUNNING &&
         is_idle (window_page (fixture, "sync")) &&
         !gtk_widget_get_visible (cb_test_named (window_page (fixture, "sync"), "progress-box"));
}

static void
test_sync_run_and_history (Fixture       *fixture,
                           gconstpointer  data)
{
  CbSyncPage *page;
  CbPlan *plan;
  CbPlanCounts counts;
  GtkListView *preview;
  GListModel *rows;
  GtkTreeListRow *row;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) items = NULL;
  CbHistoryPage *history;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  const CbRun *run;

  fill_job_side (fixture, 12);
  create_all (fixture, CB_MAPPING_VENDORS, "V-100", "V-200", NULL);
  create_all (fixture, CB_MAPPING_PROJECTS, "job-1", "job-2", NULL);
  create_all (fixture, CB_MAPPING_COST_CODES, "cc-1", "cc-2", NULL);
  create_all (fixture, CB_MAPPING_COST_TYPES, "ct-1", "ct-2", NULL);

  page = plan_page (fixture);
  plan = cb_sync_page_get_plan (page);
  g_assert_nonnull (plan);
  cb_plan_get_counts (plan, &counts);
  g_test_message ("plan: %u to write, %u blocked", counts.to_write, counts.blocked);
  g_assert_cmpuint (counts.to_write, >, 0);
  g_assert_cmpuint (counts.kinds[CB_PLAN_KIND_BILL].create, ==, 12);

  /* The preview lists every item; expanding one shows the fields it writes. */
  preview = page_named (fixture, "preview-view");
  rows = G_LIST_MODEL (gtk_list_view_get_model (preview));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, cb_plan_get_items (plan)->len);
  row = g_list_model_get_item (rows, g_list_model_get_n_items (rows) - 1);
  gtk_tree_list_row_set_expanded (row, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), >, cb_plan_get_items (plan)->len);
  {
    g_autoptr(GtkTreeListRow) child = g_list_model_get_item (rows, g_list_model_get_n_items (rows) - 1);
    g_autoptr(GObject) node = gtk_tree_list_row_get_item (child);

    g_assert_nonnull (node);
    g_assert_true (gtk_tree_list_row_is_expandable (child));   /* a bill line */
  }
  g_object_unref (row);
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "sync-preview.png");

  /* Start: progress, then done; the log says what happened. */
  gtk_widget_activate_action (GTK_WIDGET (page), "sync.start", NULL);
  g_assert_true (cb_sync_page_get_busy (page));
  g_assert_true (gtk_widget_get_visible (page_named (fixture, "progress-box")));
  g_assert_true (cb_test_spin_until (run_finished, fixture, 60000));
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "sync-done.png");

  runs = cb_run_store_list_runs (fixture->db, fixture->profile_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  run = g_ptr_array_index (runs, 0);
  g_assert_cmpint (run->state, ==, CB_RUN_STATE_SUCCEEDED);
  g_assert_cmpuint (run->counts[CB_ITEM_STATE_DONE], ==, counts.to_write);
  g_assert_cmpuint (cb_sandbox_count_records (fixture->sandbox, "APBILL", NULL, NULL), >=, 12);

  /* History lists the run and each record's outcome with its Intacct key. */
  history = window_page (fixture, "history");
  cb_window_set_page (fixture->window, "history");
  g_assert_cmpint (cb_history_page_get_run_id (history), ==, run->id);
  {
    g_autofree char *row_name = g_strdup_printf ("run-%" G_GINT64_FORMAT, run->id);
    GtkWidget *run_row = cb_test_find_named (GTK_WIDGET (history), row_name);

    /* Each run says where it came from. */
    g_assert_true (ADW_IS_ACTION_ROW (run_row));
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (run_row)),
                                     "From the app · "));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (page_named (fixture, "items-view")))),
                    ==, run->total);
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "history.png");

  /* The report is written as CSV. */
  dir = g_dir_make_tmp ("costbridge-sync-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "report.csv", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (cb_history_page_export_report (history, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &csv, NULL, &error));
  g_assert_true (g_str_has_prefix (csv, "run,seq,kind"));
  g_assert_nonnull (strstr (csv, "done"));
  g_unlink (path);
  g_rmdir (dir);

  items = cb_run_store_list_items (fixture->db, run->id, CB_ITEM_STATE_DONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, counts.to_write);
}

/* The Bills page says where each bill stands in Intacct after a sync. */
static void
test_bills_state (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *posted = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *blocked = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *not_synced = NULL;
  StateWait wait = { fixture, 0, NULL };
  const char *key = NULL;

  fill_job_side (fixture, 4);
  /* Bill 1003 names a GL account Intacct does not have: Intacct refuses it. */
  apply_bills (fixture, make_bill ("B-0003", "1003", "V-100", 99900, "9999"), NULL);
  create_all (fixture, CB_MAPPING_VENDORS, "V-100", "V-200", NULL);
  create_all (fixture, CB_MAPPING_PROJECTS, "job-1", "job-2", NULL);
  create_all (fixture, CB_MAPPING_COST_CODES, "cc-1", "cc-2", NULL);
  create_all (fixture, CB_MAPPING_COST_TYPES, "ct-1", "ct-2", NULL);

  /* Before any sync, every bill is "Not synced". */
  cb_window_set_page (fixture->window, "bills");
  set_profile (fixture, "bills");
  not_synced = bill_state (fixture, 0);
  g_assert_cmpstr (not_synced, ==, "Not synced");

  gtk_widget_activate_action (GTK_WIDGET (plan_page (fixture)), "sync.start", NULL);
  g_assert_true (cb_test_spin_until (run_finished, fixture, 60000));

  /* Bill 1002 changes after the sync; bill 1099 is new, from a vendor nobody mapped. */
  apply_bills (fixture, make_bill ("B-0002", "1002", "V-200", 777700, NULL),
               make_bill ("B-0099", "1099", "V-300", 1000, NULL), NULL);

  cb_window_set_page (fixture->window, "bills");
  set_profile (fixture, "bills");
  /* The planner answers from its worker; the rows follow. */
  wait.position = 1;
  wait.prefix = "Changed since sync";
  g_assert_true (cb_test_spin_until (bill_state_is, &wait, 30000));

  /* The run store has each bill's RECORDNO. */
  runs = cb_run_store_list_runs (fixture->db, fixture->profile_id, 1, &error);
  g_assert_no_error (error);
  items = cb_run_store_list_items (fixture->db, ((CbRun *) g_ptr_array_index (runs, 0))->id,
                                   CB_ITEM_STATE_DONE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (((CbRunItem *) g_ptr_array_index (items, i))->item_key, "bill:B-0001") == 0)
      key = ((CbRunItem *) g_ptr_array_index (items, i))->intacct_key;
  g_assert_nonnull (key);

  posted = bill_state (fixture, 0);
  expected = g_strdup_printf ("Posted · RECORDNO %s · ", key);
  g_assert_true (g_str_has_prefix (posted, expected));
  changed = bill_state (fixture, 1);
  g_assert_true (g_str_has_prefix (changed, "Changed since sync · RECORDNO "));
  failed = bill_state (fixture, 2);
  g_test_message ("failed bill: %s", failed);
  g_assert_true (g_str_has_prefix (failed, "Failed: "));
  g_assert_nonnull (strstr (failed, "9999"));
  blocked = bill_state (fixture, 4);
  g_test_message ("blocked bill: %s", blocked);
  g_assert_true (g_str_has_prefix (blocked, "Blocked: "));

  /* The detail pane says it too. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (page_named (fixture, "bills-view"))), 2);
  g_assert_cmpstr (gtk_label_get_text (page_named (fixture, "bill-state")), ==, failed);
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "bills-state.png");
}

static void
test_sync_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  CbSyncPage *page;
  g_autoptr(GPtrArray) runs = NULL;

  fill_job_side (fixture, 200);
  create_all (fixture, CB_MAPPING_VENDORS, "V-100", "V-200", NULL);
  create_all (fixture, CB_MAPPING_PROJECTS, "job-1", "job-2", NULL);
  create_all (fixture, CB_MAPPING_COST_CODES, "cc-1", "cc-2", NULL);
  create_all (fixture, CB_MAPPING_COST_TYPES, "ct-1", "ct-2", NULL);
  cb_sandbox_set_latency (fixture->sandbox, 200);

  page = plan_page (fixture);
  gtk_widget_activate_action (GTK_WIDGET (page), "sync.start", NULL);
  g_assert_true (cb_test_spin_until (cb_test_is_mapped,
                                     cb_test_named (GTK_WIDGET (page), "cancel-button"), 10000));
  cb_test_spin_for (300);
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "sync-progress.png");
  gtk_widget_activate_action (GTK_WIDGET (page), "sync.cancel", NULL);
  g_assert_true (cb_test_spin_until (run_finished, fixture, 60000));

  runs = cb_run_store_list_runs (fixture->db, fixture->profile_id, 1, NULL);
  g_assert_cmpint (((CbRun *) g_ptr_array_index (runs, 0))->state, ==, CB_RUN_STATE_CANCELLED);
  /* The cancelled run can be resumed. */
  g_assert_true (cb_test_spin_until (cb_test_is_mapped,
                                     cb_test_named (GTK_WIDGET (page), "resume-button"), 10000));
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "sync-cancelled.png");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP No display: run under xvfb-run\n");
      return 0;
    }

  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/sync-ui/bills", Fixture, NULL, fixture_set_up, test_bills_page, fixture_tear_down);
  g_test_add ("/sync-ui/blocked-link", Fixture, NULL, fixture_set_up, test_sync_blocked_link,
              fixture_tear_down);
  g_test_add ("/sync-ui/run-and-history", Fixture, NULL, fixture_set_up,
              test_sync_run_and_history, fixture_tear_down);
  g_test_add ("/sync-ui/bills-state", Fixture, NULL, fixture_set_up, test_bills_state,
              fixture_tear_down);
  g_test_add ("/sync-ui/cancel", Fixture, NULL, fixture_set_up, test_sync_cancel,
              fixture_tear_down);

  ret = g_test_run ();
  g_clear_object (&test_app);

  return ret;
}
