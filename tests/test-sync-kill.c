/* test-sync-kill.c: a 2,000-bill sync run by costbridge-cli in a child process, killed with
 * SIGKILL at random points and resumed each time: every bill ends in Intacct exactly once,
 * and every outcome is recorded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox runs in this process (its own thread), with 0–5 ms of latency; the seed of
 * the kill points is printed, and COSTBRIDGE_KILL_SEED replays it.
 */

#define G_LOG_DOMAIN "test-sync-kill"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cb-job-store.h"
#include "cb-planner.h"
#include "cb-run-store.h"
#include "cb-sandbox.h"
#include "cb-test-sync.h"

/* 2,000 bills and 24 kills; under AddressSanitizer, where each restart of the child costs
 * seconds, a smaller run with as many kills keeps the test within its time limit. */
#if defined(__SANITIZE_ADDRESS__)
#define N_BILLS  400
#else
#define N_BILLS  2000
#endif
#define N_KILLS  20

typedef struct
{
  CbTestSync  sync;
  char       *cli;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cb_test_sync_set_up (&f->sync, "test-sync-kill-XXXXXX", "Kill", CB_TEST_SYNC_ACCOUNTING);
  f->cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "costbridge-cli", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->cli);
  cb_test_sync_tear_down (&f->sync);
}

/* The newest run of the profile, or 0. */
static gint64
last_run (Fixture    *f,
          CbRunState *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = cb_run_store_list_runs (f->sync.db, f->sync.profile->id, 1, &error);
  CbRun *run;

  g_assert_no_error (error);
  if (runs->len == 0)
    return 0;
  run = g_ptr_array_index (runs, 0);
  *state = run->state;
  return run->id;
}

static GSubprocess *
spawn_sync (Fixture *f,
            gint64   resume)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *resume_arg = resume > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, resume) : NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  GSubprocess *proc;

  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  if (resume > 0)
    proc = g_subprocess_launcher_spawn (launcher, &error, f->cli, "sync", "--database",
                                        f->sync.db_path, "--profile", "Kill", "--batch", "5",
                                        "--resume", resume_arg, NULL);
  else
    proc = g_subprocess_launcher_spawn (launcher, &error, f->cli, "sync", "--database",
                                        f->sync.db_path, "--profile", "Kill", "--batch", "5", NULL);
  g_assert_no_error (error);
  return proc;
}

/* Waits for @proc at most @ms milliseconds; TRUE when it exited. */
static gboolean
wait_for (GSubprocess *proc,
          guint        ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GError) error = NULL;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (g_subprocess_get_identifier (proc) == NULL)
        return TRUE;
      g_usleep (2 * 1000);
    }
  return FALSE;
}

/* Items of run @run_id settled so far (done, failed, skipped). */
static guint
settled (Fixture *f,
         gint64   run_id)
{
  g_autoptr(CbRun) run = cb_run_store_get_run (f->sync.db, run_id, NULL);

  if (run == NULL)
    return 0;
  return run->counts[CB_ITEM_STATE_DONE] + run->counts[CB_ITEM_STATE_FAILED] +
         run->counts[CB_ITEM_STATE_SKIPPED];
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static void
test_kill_and_resume (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint32 seed;
  guint kills = 0, spawns = 0, bills_before, n_done_bills = 0;
  guint points[N_KILLS + 4];
  gint64 run_id = 0;
  CbRunState state = CB_RUN_STATE_RUNNING;

  seed = g_getenv ("COSTBRIDGE_KILL_SEED") ? (guint32) g_ascii_strtoull (g_getenv ("COSTBRIDGE_KILL_SEED"), NULL, 10)
                                           : (guint32) g_test_rand_int ();
  g_test_message ("kill seed %u (COSTBRIDGE_KILL_SEED=%u replays it)", seed, seed);
  rand = g_rand_new_with_seed (seed);
  cb_test_sync_generate_bills (&f->sync, N_BILLS);
  cb_sandbox_set_latency (f->sync.sandbox, g_rand_int_range (rand, 0, 6));
  bills_before = cb_sandbox_count_records (f->sync.sandbox, "APBILL", NULL, NULL);

  /* the kill points: after how many settled items of the run, plus a random delay (so a
   * kill also lands while a request is out, leaving items "sending") */
  for (guint k = 0; k < G_N_ELEMENTS (points); k++)
    points[k] = g_rand_int_range (rand, 0, N_BILLS);
  qsort (points, G_N_ELEMENTS (points), sizeof (guint), compare_uint);

  for (;;)
    {
      g_autoptr(GSubprocess) proc = NULL;
      gboolean exited = FALSE;

      proc = spawn_sync (f, run_id);
      spawns++;
      g_assert_cmpuint (spawns, <, 100);
      while (!(exited = wait_for (proc, 3)))
        {
          if (run_id == 0)
            run_id = last_run (f, &state);
          if (kills < G_N_ELEMENTS (points) && run_id > 0 && settled (f, run_id) >= points[kills])
            {
              guint delay = g_rand_int_range (rand, 0, 40);

              exited = wait_for (proc, delay);
              if (exited)
                break;
              g_subprocess_send_signal (proc, SIGKILL);
              g_subprocess_wait (proc, NULL, &error);
              g_assert_no_error (error);
              g_test_message ("kill %u at %u settled items + %u ms: %u settled", kills + 1,
                              points[kills], delay, settled (f, run_id));
              kills++;
              break;
            }
        }
      if (exited)
        {
          last_run (f, &state);
          g_test_message ("run %" G_GINT64_FORMAT " ended on its own: %s, exit %d", run_id,
                          cb_run_state_to_string (state), g_subprocess_get_exit_status (proc));
          g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
          g_assert_cmpint (state, ==, CB_RUN_STATE_SUCCEEDED);
          break;
        }
      last_run (f, &state);
      if (state == CB_RUN_STATE_SUCCEEDED)
        {
          /* The kill landed after the run had finished, while the process was still
           * exiting (slow under a leak checker): the run is complete all the same. */
          g_test_message ("run %" G_GINT64_FORMAT " had already succeeded when killed", run_id);
          break;
        }
      g_assert_cmpint (state, ==, CB_RUN_STATE_INTERRUPTED);
    }
  g_test_message ("%u kills over %u processes", kills, spawns);
  g_assert_cmpuint (kills, >=, N_KILLS);

  /* every bill of every run is done exactly once; every item has its outcome */
  {
    g_autoptr(GPtrArray) runs = cb_run_store_list_runs (f->sync.db, f->sync.profile->id, 0, &error);
    g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    CbJobQuery all = { NULL, FALSE, FALSE, 0, 0 };
    guint n_bills = cb_job_store_count (f->sync.db, f->sync.profile->id, CB_JOB_KIND_BILL, &all,
                                        &error);

    g_assert_no_error (error);
    for (guint r = 0; r < runs->len; r++)
      {
        CbRun *run = g_ptr_array_index (runs, r);

        g_assert_cmpint (run->state, ==, CB_RUN_STATE_SUCCEEDED);
        items = cb_run_store_list_items (f->sync.db, run->id, -1, &error);
        g_assert_no_error (error);
        for (guint i = 0; i < items->len; i++)
          {
            CbRunItem *it = g_ptr_array_index (items, i);

            g_assert_cmpint (it->state, ==, CB_ITEM_STATE_DONE);
            g_assert_nonnull (it->intacct_key);
            if (it->kind != CB_PLAN_KIND_BILL)
              continue;
            g_assert_true (g_hash_table_add (done, g_strdup (it->intacct_id)));
            g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "APBILL", "RECORDID",
                                                        it->intacct_id), ==, 1);
            n_done_bills++;
          }
        g_clear_pointer (&items, g_ptr_array_unref);
      }
    g_assert_cmpuint (n_done_bills, ==, n_bills);
    g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "APBILL", NULL, NULL), ==,
                      bills_before + n_bills);
  }
  /* nothing left to plan */
  {
    g_autoptr(CbPlan) plan = cb_planner_build (f->sync.db, f->sync.profile, NULL, &error);
    CbPlanCounts counts;

    g_assert_no_error (error);
    cb_plan_get_counts (plan, &counts);
    g_assert_cmpuint (counts.to_write, ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sync-kill/kill-and-resume", Fixture, NULL, fixture_set_up,
              test_kill_and_resume, fixture_tear_down);
  return g_test_run ();
}
