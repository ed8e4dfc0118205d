/* bench-sync.c: how fast a sync sends 2,000 three-line bills at 50 ms of latency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints wall time, requests, bills per second, and the ratio to the floor: the requests a
 * sync cannot do without (one per batch of 50 bills, one to look up the project's task and
 * cost types, one to sign in) times the latency.
 */

#define G_LOG_DOMAIN "bench-sync"

#include "config.h"

#include "cb-connection.h"
#include "cb-planner.h"
#include "cb-run-store.h"
#include "cb-sandbox.h"
#include "cb-sync-runner.h"
#include "cb-test-sync.h"

#define N_BILLS    2000
#define LATENCY_MS 50
#define BATCH      50

typedef struct
{
  GMainLoop *loop;
  gint64     run_id;
  GError    *error;
} Done;

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Done *d = data;

  d->run_id = cb_sync_runner_run_finish (CB_SYNC_RUNNER (source), result, &d->error);
  g_main_loop_quit (d->loop);
}

int
main (int    argc,
      char **argv)
{
  CbTestSync fixture = { NULL }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctCredentials) cred = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(CbSyncRunner) runner = NULL;
  g_autoptr(CbPlan) plan = NULL;
  g_autoptr(CbRun) run = NULL;
  Done done = { NULL, 0, NULL };
  CbPlanCounts counts;
  gint64 t0, t_plan, t_run;
  guint requests, floor_requests;
  double wall, floor_s;

  g_test_init (&argc, &argv, NULL);
  cb_test_sync_set_up (f, "bench-sync-XXXXXX", "Bench", CB_TEST_SYNC_ACCOUNTING);
  cb_test_sync_generate_bills (f, N_BILLS);

  cred = cb_connection_credentials (f->profile, CB_SANDBOX_USER_SECRET, CB_SANDBOX_SENDER_SECRET);
  client = cb_intacct_client_new (cred, &error);
  g_assert_no_error (error);
  cb_sandbox_set_latency (f->sandbox, LATENCY_MS);
  cb_sandbox_reset_counters (f->sandbox);

  t0 = g_get_monotonic_time ();
  plan = cb_planner_build (f->db, f->profile, NULL, &error);
  g_assert_no_error (error);
  t_plan = g_get_monotonic_time ();
  cb_plan_get_counts (plan, &counts);
  g_assert_cmpuint (counts.kinds[CB_PLAN_KIND_BILL].create, ==, N_BILLS);

  runner = cb_sync_runner_new (f->db_path, f->profile, client);
  cb_sync_runner_set_batch_size (runner, BATCH);
  done.loop = g_main_loop_new (NULL, FALSE);
  cb_sync_runner_run_async (runner, plan, NULL, run_done, &done);
  g_main_loop_run (done.loop);
  t_run = g_get_monotonic_time ();
  g_assert_no_error (done.error);
  run = cb_run_store_get_run (f->db, done.run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run->state, ==, CB_RUN_STATE_SUCCEEDED);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "APBILL", NULL, NULL), ==, 6 + N_BILLS);

  requests = cb_sandbox_get_request_count (f->sandbox);
  floor_requests = (N_BILLS + BATCH - 1) / BATCH + 2;
  wall = (t_run - t_plan) / (double) G_USEC_PER_SEC;
  floor_s = floor_requests * LATENCY_MS / 1000.0;
  g_print ("sync: %u bills of 3 lines at %u ms latency, batches of %u\n", N_BILLS, LATENCY_MS,
           BATCH);
  g_print ("  plan:      %.2f s\n", (t_plan - t0) / (double) G_USEC_PER_SEC);
  g_print ("  run:       %.2f s wall, %u requests (runner counted %u), %.0f bills/s\n", wall,
           requests, run->requests, N_BILLS / wall);
  g_print ("  floor:     %u requests x %u ms = %.2f s; ratio %.2f\n", floor_requests, LATENCY_MS,
           floor_s, wall / floor_s);

  g_main_loop_unref (done.loop);
  g_clear_object (&runner);
  g_clear_object (&client);
  cb_test_sync_tear_down (f);
  return 0;
}
