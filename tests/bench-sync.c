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
#include "cb-sync-runner.h"

#define N_BILLS    2000
#define LATENCY_MS 50
#define BATCH      50

typedef struct
{
  CbSandbox  *sandbox;
  char       *dir;
  char       *db_path;
  CbDatabase *db;
  CbProfile  *profile;
} Fixture;

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
  Fixture fixture = { NULL }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctCredentials) cred = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(CbSyncRunner) runner = NULL;
  g_autoptr(CbPlan) plan = NULL;
  g_autoptr(CbRun) run = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  Done done = { NULL, 0, NULL };
  CbPlanCounts counts;
  gint64 t0, t_plan, t_run;
  guint requests, floor_requests;
  double wall, floor_s;

  g_test_init (&argc, &argv, NULL);
  f->sandbox = cb_sandbox_new ();
  if (!cb_sandbox_start (f->sandbox, 0, &error))
    g_error ("%s", error->message);
  f->dir = g_dir_make_tmp ("bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "costbridge.db", NULL);
  f->db = cb_database_open (f->db_path, &error);
  g_assert_no_error (error);
  f->profile = cb_profile_new ();
  f->profile->name = g_strdup ("Bench");
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

  generate (f, N_BILLS);

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
  cb_profile_free (f->profile);
  g_clear_object (&f->db);
  wal = g_strconcat (f->db_path, "-wal", NULL);
  shm = g_strconcat (f->db_path, "-shm", NULL);
  g_unlink (f->db_path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
  cb_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
  return 0;
}
