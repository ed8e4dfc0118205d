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

#include <glib/gstdio.h>

#include "cb-connection.h"
#include "cb-intacct-cache.h"
#include "cb-intacct-pull.h"
#include "cb-job-store.h"
#include "cb-mapping-store.h"
#include "cb-planner.h"
#include "cb-profile.h"
#include "cb-run-store.h"
#include "cb-sandbox.h"

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
  CbSandbox  *sandbox;
  char       *dir;
  char       *db_path;
  char       *cli;
  CbDatabase *db;
  CbProfile  *profile;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = cb_sandbox_new ();
  g_assert_true (cb_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);
  f->dir = g_dir_make_tmp ("test-sync-kill-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "costbridge.db", NULL);
  f->db = cb_database_open (f->db_path, &error);
  g_assert_no_error (error);
  f->cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "costbridge-cli", NULL);

  f->profile = cb_profile_new ();
  f->profile->name = g_strdup ("Kill");
  f->profile->endpoint = cb_sandbox_dup_endpoint (f->sandbox);
  f->profile->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  f->profile->user_id = g_strdup (CB_SANDBOX_USER_ID);
  f->profile->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  f->profile->is_demo = TRUE;
  f->profile->default_ap_account = g_strdup ("2000");
  f->profile->default_location = g_strdup ("100");
  f->profile->default_department = g_strdup ("FIELD");
  g_assert_true (cb_profile_save (f->db, f->profile, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->db_path, "-shm", NULL);

  cb_profile_free (f->profile);
  g_clear_object (&f->db);
  g_unlink (f->db_path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
  g_free (f->cli);
  cb_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
}

static CbJobRecord *
simple_record (CbJobKind   kind,
               const char *id,
               const char *code,
               const char *name)
{
  CbJobRecord *r = cb_job_record_new (kind, id);

  cb_job_record_set (r, "code", code);
  cb_job_record_set (r, "name", name);
  return r;
}

static void
apply (Fixture   *f,
       CbJobKind  kind,
       GPtrArray *records)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_job_store_apply (f->db, f->profile->id, kind, records, FALSE, NULL, &error));
  g_assert_no_error (error);
}

static void
map_to (Fixture       *f,
        CbMappingKind  kind,
        const char    *job_id,
        const char    *object,
        const char    *intacct_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCachedRecord) cached = cb_intacct_cache_find (f->db, f->profile->id, object,
                                                            intacct_id, &error);
  const char *ids[] = { job_id, NULL };

  g_assert_no_error (error);
  g_assert_nonnull (cached);
  g_assert_true (cb_mapping_store_set (f->db, f->profile->id, kind, ids, cached->recordno,
                                       &error));
  g_assert_no_error (error);
}

/* Ten vendors, one job, one cost code and three cost types mapped to the demo company's
 * records, and @n bills of three lines. */
static void
generate (Fixture *f,
          guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctCredentials) cred = cb_connection_credentials (f->profile,
                                                                    CB_SANDBOX_USER_SECRET,
                                                                    CB_SANDBOX_SENDER_SECRET);
  g_autoptr(CbIntacctClient) client = cb_intacct_client_new (cred, &error);
  g_autoptr(CbPullResult) pulled = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  static const char * const types[] = { "L", "M", "S" };

  g_assert_no_error (error);
  pulled = cb_intacct_pull_run (client, f->db, f->profile->id, NULL, CB_PULL_FULL, NULL, NULL,
                                NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cb_pull_result_get_failure (pulled));

  g_ptr_array_add (records, simple_record (CB_JOB_KIND_JOB, "J-1", "24-001", "Riverside"));
  apply (f, CB_JOB_KIND_JOB, records);
  g_ptr_array_set_size (records, 0);
  g_ptr_array_add (records, simple_record (CB_JOB_KIND_COST_CODE, "C-1", "01-310", "PM"));
  apply (f, CB_JOB_KIND_COST_CODE, records);
  g_ptr_array_set_size (records, 0);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_ptr_array_add (records, simple_record (CB_JOB_KIND_COST_TYPE, types[i], types[i], types[i]));
  apply (f, CB_JOB_KIND_COST_TYPE, records);
  g_ptr_array_set_size (records, 0);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *id = g_strdup_printf ("KV-%u", i);
      g_autofree char *name = g_strdup_printf ("Kill Vendor %u", i);

      g_ptr_array_add (records, simple_record (CB_JOB_KIND_VENDOR, id, id, name));
    }
  apply (f, CB_JOB_KIND_VENDOR, records);
  g_ptr_array_set_size (records, 0);

  map_to (f, CB_MAPPING_PROJECTS, "J-1", "PROJECT", "24-001");
  map_to (f, CB_MAPPING_COST_CODES, "C-1", "STANDARDTASK", "01-310");
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    map_to (f, CB_MAPPING_COST_TYPES, types[i], "STANDARDCOSTTYPE", types[i]);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *id = g_strdup_printf ("KV-%u", i);
      g_autofree char *vendor = g_strdup_printf ("V%04u", 1001 + i);

      map_to (f, CB_MAPPING_VENDORS, id, "VENDOR", vendor);
    }

  for (guint b = 0; b < n; b++)
    {
      g_autofree char *id = g_strdup_printf ("KB-%05u", b);
      g_autofree char *vendor = g_strdup_printf ("KV-%u", b % 10);
      CbJobRecord *bill = cb_job_record_new (CB_JOB_KIND_BILL, id);

      cb_job_record_set (bill, "vendor_id", vendor);
      cb_job_record_set (bill, "number", id);
      cb_job_record_set (bill, "date", "2026-03-02");
      cb_job_record_set (bill, "due_date", "2026-04-01");
      /* cb_job_record_new made the bill's (empty) lines array */
      for (guint l = 0; l < 3; l++)
        {
          CbJobLine *line = g_new0 (CbJobLine, 1);

          line->line_no = l + 1;
          line->job_id = g_strdup ("J-1");
          line->cost_code_id = g_strdup ("C-1");
          line->cost_type_id = g_strdup (types[l]);
          line->amount_cents = 10000 + b * 3 + l;
          line->gl_account = g_strdup (l == 0 ? "5000" : "5100");
          g_ptr_array_add (bill->lines, line);
        }
      g_ptr_array_add (records, bill);
    }
  apply (f, CB_JOB_KIND_BILL, records);
}

/* The newest run of the profile, or 0. */
static gint64
last_run (Fixture    *f,
          CbRunState *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = cb_run_store_list_runs (f->db, f->profile->id, 1, &error);
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
                                        f->db_path, "--profile", "Kill", "--batch", "5",
                                        "--resume", resume_arg, NULL);
  else
    proc = g_subprocess_launcher_spawn (launcher, &error, f->cli, "sync", "--database",
                                        f->db_path, "--profile", "Kill", "--batch", "5", NULL);
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
  g_autoptr(CbRun) run = cb_run_store_get_run (f->db, run_id, NULL);

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
  generate (f, N_BILLS);
  cb_sandbox_set_latency (f->sandbox, g_rand_int_range (rand, 0, 6));
  bills_before = cb_sandbox_count_records (f->sandbox, "APBILL", NULL, NULL);

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
      g_assert_cmpint (state, ==, CB_RUN_STATE_INTERRUPTED);
    }
  g_test_message ("%u kills over %u processes", kills, spawns);
  g_assert_cmpuint (kills, >=, N_KILLS);

  /* every bill of every run is done exactly once; every item has its outcome */
  {
    g_autoptr(GPtrArray) runs = cb_run_store_list_runs (f->db, f->profile->id, 0, &error);
    g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    CbJobQuery all = { NULL, FALSE, FALSE, 0, 0 };
    guint n_bills = cb_job_store_count (f->db, f->profile->id, CB_JOB_KIND_BILL, &all, &error);

    g_assert_no_error (error);
    for (guint r = 0; r < runs->len; r++)
      {
        CbRun *run = g_ptr_array_index (runs, r);

        g_assert_cmpint (run->state, ==, CB_RUN_STATE_SUCCEEDED);
        items = cb_run_store_list_items (f->db, run->id, -1, &error);
        g_assert_no_error (error);
        for (guint i = 0; i < items->len; i++)
          {
            CbRunItem *it = g_ptr_array_index (items, i);

            g_assert_cmpint (it->state, ==, CB_ITEM_STATE_DONE);
            g_assert_nonnull (it->intacct_key);
            if (it->kind != CB_PLAN_KIND_BILL)
              continue;
            g_assert_true (g_hash_table_add (done, g_strdup (it->intacct_id)));
            g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "APBILL", "RECORDID",
                                                        it->intacct_id), ==, 1);
            n_done_bills++;
          }
        g_clear_pointer (&items, g_ptr_array_unref);
      }
    g_assert_cmpuint (n_done_bills, ==, n_bills);
    g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "APBILL", NULL, NULL), ==,
                      bills_before + n_bills);
  }
  /* nothing left to plan */
  {
    g_autoptr(CbPlan) plan = cb_planner_build (f->db, f->profile, NULL, &error);
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
