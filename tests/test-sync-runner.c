/* test-sync-runner.c: the sync runner against the sandbox: exactly once under faults,
 * cancel and resume, a crash left "sending", one run per company, failures in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sync-runner"

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "cb-intacct-objects.h"
#include "cb-profile.h"
#include "cb-run-store.h"
#include "cb-sandbox.h"
#include "cb-sync-runner.h"
#include "cb-test-sync.h"

typedef struct
{
  CbTestSync  sync;
  GMainLoop  *loop;
  gint64      run_id;
  GError     *error;
  guint       n_progress;
  guint       n_items;
  gboolean    cancel_on_progress;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cb_test_sync_set_up (&f->sync, "test-sync-runner-XXXXXX", "Demo", CB_TEST_SYNC_CLIENT);
  cb_intacct_client_set_timeout (f->sync.client, 10);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_error (&f->error);
  g_main_loop_unref (f->loop);
  cb_test_sync_tear_down (&f->sync);
}

/* A plan made by hand: one new vendor, then @n_bills bills of two lines from it (the second
 * bill of every @bad_every, when non-zero, names a GL account Intacct does not have). */
static CbPlan *
make_plan (Fixture    *f,
           const char *vendor_id,
           guint       n_bills,
           guint       bad_every)
{
  CbPlan *plan = cb_plan_new (f->sync.profile->id);
  g_autofree char *vendor_key = g_strdup_printf ("vendor:%s", vendor_id);
  CbPlanItem *item;
  CbIntacctRecord *rec, *contact;
  GDate date;
  const char *deps[] = { vendor_key, NULL };

  item = cb_plan_item_new (CB_PLAN_KIND_VENDOR, CB_PLAN_ACTION_CREATE, vendor_key,
                           CB_JOB_KIND_VENDOR, vendor_id, "Vendor");
  item->intacct_id = g_strdup (vendor_id);
  rec = cb_intacct_record_new ("VENDOR");
  cb_intacct_record_add_field (rec, "VENDORID", vendor_id);
  cb_intacct_record_add_field (rec, "NAME", "Sync Test Supply");
  contact = cb_intacct_record_add_child (rec, "DISPLAYCONTACT");
  cb_intacct_record_add_field (contact, "PRINTAS", "Sync Test Supply");
  cb_plan_item_set_record (item, rec);
  cb_plan_add_item (plan, item);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 14, 3, 2026);
  for (guint i = 0; i < n_bills; i++)
    {
      g_autofree char *number = g_strdup_printf ("%s-%04u", vendor_id, i);
      g_autofree char *key = g_strdup_printf ("bill:%s", number);
      g_autofree char *label = g_strdup_printf ("Bill %s", number);
      gboolean bad = bad_every > 0 && i % bad_every == 1;

      item = cb_plan_item_new (CB_PLAN_KIND_BILL, CB_PLAN_ACTION_CREATE, key, CB_JOB_KIND_BILL,
                               number, label);
      item->intacct_id = g_strdup (number);
      item->intacct_parent = g_strdup (vendor_id);
      item->depends_on = g_strdupv ((char **) deps);
      rec = cb_intacct_apbill_new (vendor_id, number, &date, &date, NULL);
      cb_intacct_apbill_add_line (rec, bad ? "9999" : "5000", "100.00", "Labor", NULL, NULL,
                                  NULL, NULL, NULL, NULL);
      cb_intacct_apbill_add_line (rec, "5000", "25.50", "More labor", NULL, NULL, NULL, NULL,
                                  NULL, NULL);
      cb_plan_item_set_record (item, rec);
      cb_plan_add_item (plan, item);
    }
  return plan;
}

static void
on_progress (CbSyncRunner         *runner,
             const CbSyncProgress *progress,
             Fixture              *f)
{
  g_assert_cmpuint (progress->done, <=, progress->total);
  f->n_progress++;
  if (f->cancel_on_progress && progress->done > 0)
    cb_sync_runner_cancel (runner);
}

static void
on_item (CbSyncRunner    *runner,
         const CbRunItem *item,
         Fixture         *f)
{
  g_assert_nonnull (item->item_key);
  f->n_items++;
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Fixture *f = data;

  g_clear_error (&f->error);
  f->run_id = cb_sync_runner_run_finish (CB_SYNC_RUNNER (source), result, &f->error);
  g_main_loop_quit (f->loop);
}

static CbSyncRunner *
new_runner (Fixture *f,
            guint    batch)
{
  CbSyncRunner *runner = cb_sync_runner_new (f->sync.db_path, f->sync.profile, f->sync.client);

  cb_sync_runner_set_batch_size (runner, batch);
  g_signal_connect (runner, "progress", G_CALLBACK (on_progress), f);
  g_signal_connect (runner, "item", G_CALLBACK (on_item), f);
  return runner;
}

static void
assert_exactly_once (Fixture    *f,
                     const char *vendor_id,
                     guint       n_bills,
                     guint       bad_every)
{
  g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "VENDOR", "VENDORID", vendor_id),
                    ==, 1);
  for (guint i = 0; i < n_bills; i++)
    {
      g_autofree char *number = g_strdup_printf ("%s-%04u", vendor_id, i);
      guint expected = bad_every > 0 && i % bad_every == 1 ? 0 : 1;

      g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "APBILL", "RECORDID", number),
                        ==, expected);
    }
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CbPlan) plan = make_plan (f, "SYNCF", 120, 0);
  g_autoptr(CbSyncRunner) runner = new_runner (f, 10);
  g_autoptr(CbRun) run = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  /* every kind of trouble, spread over the run's ~14 requests */
  cb_sandbox_configure_faults (f->sync.sandbox,
                               "drop-after=1@3,524=1@5,expire=1@6,429=2@7,502=1@9,"
                               "malformed=1@11,drop-before=1@12", &error);
  g_assert_no_error (error);
  cb_sync_runner_run_async (runner, plan, NULL, run_done, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  g_assert_cmpint (f->run_id, >, 0);

  assert_exactly_once (f, "SYNCF", 120, 0);
  run = cb_run_store_get_run (f->sync.db, f->run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run->state, ==, CB_RUN_STATE_SUCCEEDED);
  g_assert_cmpuint (run->counts[CB_ITEM_STATE_DONE], ==, 121);
  g_assert_cmpuint (run->total, ==, 121);
  items = cb_run_store_list_items (f->sync.db, f->run_id, -1, &error);
  for (guint i = 0; i < items->len; i++)
    {
      CbRunItem *it = g_ptr_array_index (items, i);

      g_assert_nonnull (it->intacct_key);
      g_assert_cmpstr (it->intacct_key, !=, "");
    }
  g_assert_cmpuint (f->n_items, >=, 121);
  /* coalesced: far fewer progress signals than items */
  g_assert_cmpuint (f->n_progress, >, 0);
  g_assert_cmpuint (f->n_progress, <, 121);
}

static void
test_failures_in_words (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CbPlan) plan = make_plan (f, "SYNCW", 10, 4);
  g_autoptr(CbSyncRunner) runner = new_runner (f, 50);
  g_autoptr(GPtrArray) failed = NULL;
  g_autoptr(CbRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autofree char *csv = NULL;

  cb_sync_runner_run_async (runner, plan, NULL, run_done, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  assert_exactly_once (f, "SYNCW", 10, 4);
  run = cb_run_store_get_run (f->sync.db, f->run_id, &error);
  g_assert_cmpint (run->state, ==, CB_RUN_STATE_FAILED);
  g_assert_cmpuint (run->counts[CB_ITEM_STATE_FAILED], ==, 3);   /* bills 1, 5, 9 */
  failed = cb_run_store_list_items (f->sync.db, f->run_id, CB_ITEM_STATE_FAILED, &error);
  g_assert_cmpuint (failed->len, ==, 3);
  for (guint i = 0; i < failed->len; i++)
    {
      CbRunItem *it = g_ptr_array_index (failed, i);

      g_assert_nonnull (it->error);
      g_assert_nonnull (strstr (it->error, "9999"));
    }
  g_assert_true (cb_run_store_export_csv (f->sync.db, f->run_id, out, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  csv = g_memdup2 (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  g_assert_true (g_str_has_prefix (csv, "run,seq,kind,action,record,"));
  g_assert_nonnull (strstr (csv, ",failed,"));
  g_assert_nonnull (strstr (csv, "SYNCW-0001"));
}

static void
test_cancel_resume (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CbPlan) plan = make_plan (f, "SYNCC", 200, 0);
  g_autoptr(CbSyncRunner) runner = new_runner (f, 5);
  g_autoptr(CbRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gint64 run_id;

  cb_sandbox_set_latency (f->sync.sandbox, 20);
  f->cancel_on_progress = TRUE;
  cb_sync_runner_run_async (runner, plan, NULL, run_done, f);
  g_main_loop_run (f->loop);
  g_assert_error (f->error, CB_SYNC_ERROR, CB_SYNC_ERROR_CANCELLED);
  run_id = cb_sync_runner_get_run_id (runner);
  g_assert_cmpint (run_id, >, 0);
  run = cb_run_store_get_run (f->sync.db, run_id, &error);
  g_assert_cmpint (run->state, ==, CB_RUN_STATE_CANCELLED);
  g_assert_cmpuint (run->counts[CB_ITEM_STATE_DONE], <, 201);
  g_assert_cmpuint (run->counts[CB_ITEM_STATE_PENDING], >, 0);
  g_clear_pointer (&run, cb_run_free);

  cb_sandbox_set_latency (f->sync.sandbox, 0);
  f->cancel_on_progress = FALSE;
  cb_sync_runner_resume_async (runner, run_id, NULL, run_done, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  g_assert_cmpint (f->run_id, ==, run_id);
  run = cb_run_store_get_run (f->sync.db, run_id, &error);
  g_assert_cmpint (run->state, ==, CB_RUN_STATE_SUCCEEDED);
  g_assert_cmpuint (run->counts[CB_ITEM_STATE_DONE], ==, 201);
  assert_exactly_once (f, "SYNCC", 200, 0);
}

static void
test_crash_left_sending (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CbPlan) plan = make_plan (f, "SYNCK", 30, 0);
  g_autoptr(CbSyncRunner) runner = new_runner (f, 10);
  g_autoptr(CbRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  guint writes;
  GPid pid;
  const char *argv[] = { "/bin/true", NULL };

  cb_sync_runner_run_async (runner, plan, NULL, run_done, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);

  /* as if the process died just after sending bills 10–29: they were written, the database
   * still says "sending", and the run's owner is a process that no longer exists */
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                NULL, &pid, &error));
  waitpid (pid, NULL, 0);
  sql = g_strdup_printf ("UPDATE sync_items SET state = 'sending', intacct_key = NULL "
                         "WHERE run_id = %" G_GINT64_FORMAT " AND seq > 11;"
                         "UPDATE sync_runs SET state = 'running', owner_pid = %d WHERE id = %"
                         G_GINT64_FORMAT, f->run_id, (int) pid, f->run_id);
  g_assert_true (cb_database_exec (f->sync.db, sql, &error));
  g_assert_no_error (error);
  run = cb_run_store_get_run (f->sync.db, f->run_id, &error);
  g_assert_cmpint (run->state, ==, CB_RUN_STATE_INTERRUPTED);
  g_clear_pointer (&run, cb_run_free);

  writes = cb_sandbox_get_write_count (f->sync.sandbox);
  cb_sync_runner_resume_async (runner, f->run_id, NULL, run_done, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  /* settled by lookups: nothing written again */
  g_assert_cmpuint (cb_sandbox_get_write_count (f->sync.sandbox), ==, writes);
  run = cb_run_store_get_run (f->sync.db, f->run_id, &error);
  g_assert_cmpint (run->state, ==, CB_RUN_STATE_SUCCEEDED);
  g_assert_cmpuint (run->counts[CB_ITEM_STATE_DONE], ==, 31);
  assert_exactly_once (f, "SYNCK", 30, 0);
}

static void
busy_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GError **error = data;

  g_assert_cmpint (cb_sync_runner_run_finish (CB_SYNC_RUNNER (source), result, error), ==, 0);
}

static void
test_one_run_per_company (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CbPlan) plan = make_plan (f, "SYNCB", 40, 0);
  g_autoptr(CbSyncRunner) first = new_runner (f, 5);
  g_autoptr(CbSyncRunner) second = new_runner (f, 5);
  g_autoptr(GError) busy = NULL;

  cb_sandbox_set_latency (f->sync.sandbox, 10);
  cb_sync_runner_run_async (first, plan, NULL, run_done, f);
  cb_sync_runner_run_async (second, plan, NULL, busy_done, &busy);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  while (busy == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (busy, CB_SYNC_ERROR, CB_SYNC_ERROR_BUSY);
  assert_exactly_once (f, "SYNCB", 40, 0);
}

static void
test_maintenance_window (void)
{
  CbMaintenanceWindow w;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) sunday_3 = g_date_time_new_local (2026, 3, 15, 3, 0, 0);   /* a Sunday */
  g_autoptr(GDateTime) sunday_7 = g_date_time_new_local (2026, 3, 15, 7, 0, 0);
  g_autoptr(GDateTime) monday_0 = g_date_time_new_local (2026, 3, 16, 0, 30, 0);
  g_autoptr(GDateTime) ends = NULL;

  g_assert_true (cb_maintenance_window_parse ("sunday 2 4", &w, &error));
  g_assert_cmpint (w.day, ==, 7);
  g_assert_true (cb_maintenance_window_contains (&w, sunday_3, &ends));
  g_assert_cmpint (g_date_time_get_hour (ends), ==, 6);
  g_assert_false (cb_maintenance_window_contains (&w, sunday_7, NULL));
  g_assert_true (cb_maintenance_window_parse ("sun 22:00 4h", &w, &error));
  g_assert_true (cb_maintenance_window_contains (&w, monday_0, NULL));
  g_assert_true (cb_maintenance_window_parse ("none", &w, &error));
  g_assert_false (cb_maintenance_window_contains (&w, sunday_3, NULL));
  g_assert_false (cb_maintenance_window_parse ("someday 2", &w, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/sync-runner/faults-exactly-once", test_faults);
  ADD ("/sync-runner/failures-in-words", test_failures_in_words);
  ADD ("/sync-runner/cancel-resume", test_cancel_resume);
  ADD ("/sync-runner/crash-left-sending", test_crash_left_sending);
  ADD ("/sync-runner/one-run-per-company", test_one_run_per_company);
#undef ADD
  g_test_add_func ("/sync-runner/maintenance-window", test_maintenance_window);
  return g_test_run ();
}
