/* test-planner.c: the sync planner and runner end to end on the demo company's sample
 * data against the sandbox: import, pull, match, plan (blocked items with their fixes, a
 * bill's fields and lines), sync, exactly once, idempotent, updates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-planner"

#include "config.h"

#include <string.h>

#include "cb-import.h"
#include "cb-intacct-cache.h"
#include "cb-intacct-objects.h"
#include "cb-intacct-pull.h"
#include "cb-mapping-store.h"
#include "cb-planner.h"
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
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cb_test_sync_set_up (&f->sync, "test-planner-XXXXXX", "Demo",
                       CB_TEST_SYNC_ACCOUNTING | CB_TEST_SYNC_CLIENT);
  /* the accounting defaults a bookkeeper picks for the demo company */
  f->sync.profile->default_cost_type = g_strdup ("O");
  f->sync.profile->missing_cost_type_rule = CB_MISSING_COST_TYPE_DEFAULT;
  cb_test_sync_save_profile (&f->sync);
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

static void
pull (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPullResult) result = NULL;

  result = cb_intacct_pull_run (f->sync.client, f->sync.db, f->sync.profile->id, NULL,
                                CB_PULL_FULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cb_pull_result_get_failure (result));
}

/* Sample data, a pull, automatic matching and accepted suggestions for the four kinds;
 * what is left unmapped is marked "create in Intacct" for vendors and jobs. */
static void
prepare (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbImportReport) report = NULL;

  g_assert_true (cb_import_sample_data (f->sync.db, f->sync.profile->id, &report, &error));
  g_assert_no_error (error);
  pull (f);
  for (guint m = 0; m < CB_MAPPING_N_KINDS; m++)
    {
      CbMatchThresholds thresholds = CB_MATCH_THRESHOLDS_DEFAULT;
      CbMappingCounts counts;
      guint accepted = 0;

      g_assert_true (cb_mapping_store_auto_match (f->sync.db, f->sync.profile->id, m, &thresholds,
                                                  &counts, &error));
      g_assert_no_error (error);
      g_assert_true (cb_mapping_store_accept (f->sync.db, f->sync.profile->id, m, NULL, 60,
                                              &accepted, &error));
      g_assert_no_error (error);
      g_test_message ("%s: %u records, %u mapped automatically, %u suggestions accepted",
                      cb_mapping_kind_to_string (m), counts.total, counts.mapped, accepted);
    }
}

static void dump_plan (CbPlan *plan);

static void
set_create (Fixture       *f,
            CbMappingKind  kind,
            const char    *job_id)
{
  g_autoptr(GError) error = NULL;
  const char *ids[] = { job_id, NULL };

  g_assert_true (cb_mapping_store_set_create (f->sync.db, f->sync.profile->id, kind, ids, &error));
  g_assert_no_error (error);
}

/* Makes project @project_id inactive in Intacct (an update through the client), and pulls. */
static void
make_project_inactive (Fixture    *f,
                       const char *project_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCachedRecord) cached = cb_intacct_cache_find (f->sync.db, f->sync.profile->id,
                                                            "PROJECT", project_id, &error);
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  g_autoptr(GPtrArray) results = NULL;
  CbIntacctRecord *rec = cb_intacct_record_new ("PROJECT");

  g_assert_nonnull (cached);
  cb_intacct_record_add_field (rec, "RECORDNO", cached->recordno);
  cb_intacct_record_add_field (rec, "STATUS", "inactive");
  g_ptr_array_add (objects, rec);
  results = cb_intacct_client_update (f->sync.client, objects, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cb_intacct_result_check (g_ptr_array_index (results, 0), &error));
  g_assert_no_error (error);
  pull (f);
}

/* A one-line bill from VEN-001 (@job_id and @gl_account may be NULL). */
static void
add_bill (Fixture    *f,
          const char *id,
          const char *number,
          const char *job_id,
          const char *cost_code_id,
          const char *cost_type_id,
          const char *gl_account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  CbJobRecord *bill = cb_job_record_new (CB_JOB_KIND_BILL, id);
  CbJobLine *line = g_new0 (CbJobLine, 1);

  cb_job_record_set (bill, "vendor_id", "VEN-001");
  cb_job_record_set (bill, "number", number);
  cb_job_record_set (bill, "date", "2026-02-02");
  cb_job_record_set (bill, "currency", "USD");
  line->line_no = 1;
  line->job_id = g_strdup (job_id);
  line->cost_code_id = g_strdup (cost_code_id);
  line->cost_type_id = g_strdup (cost_type_id);
  line->gl_account = g_strdup (gl_account);
  line->amount_cents = 12345;
  if (bill->lines == NULL)
    bill->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_line_free);
  g_ptr_array_add (bill->lines, line);
  g_ptr_array_add (records, bill);
  g_assert_true (cb_job_store_apply (f->sync.db, f->sync.profile->id, CB_JOB_KIND_BILL, records,
                                     FALSE, NULL, &error));
  g_assert_no_error (error);
}

/* A full vendor import without @vendor_id: the vendor vanished from the export. */
static void
vanish_vendor (Fixture    *f,
               const char *vendor_id)
{
  g_autoptr(GError) error = NULL;
  CbJobQuery all = { NULL, FALSE, FALSE, 0, 0 };
  g_autoptr(GPtrArray) vendors = cb_job_store_list (f->sync.db, f->sync.profile->id,
                                                    CB_JOB_KIND_VENDOR, &all, &error);
  CbJobApplyCounts counts = { 0 };

  g_assert_no_error (error);
  for (guint i = 0; i < vendors->len; i++)
    if (g_strcmp0 (((CbJobRecord *) g_ptr_array_index (vendors, i))->id, vendor_id) == 0)
      g_ptr_array_remove_index (vendors, i--);
  g_assert_true (cb_job_store_apply (f->sync.db, f->sync.profile->id, CB_JOB_KIND_VENDOR, vendors,
                                     TRUE, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.vanished, ==, 1);
}

static void
assert_blocked (CbPlan        *plan,
                const char    *key,
                const char    *reason_part,
                CbPlanFixKind  fix_kind,
                int            fix_sub_kind,
                const char    *fix_target)
{
  CbPlanItem *item = cb_plan_find_item (plan, key);

  if (item == NULL)
    g_error ("%s is not in the plan", key);
  g_test_message ("%s blocked: %s", key, item->blocked_reason);
  g_assert_true (item->blocked);
  g_assert_cmpint (item->action, ==, CB_PLAN_ACTION_NONE);
  g_assert_null (item->record);
  g_assert_nonnull (strstr (item->blocked_reason, reason_part));
  g_assert_cmpint (item->fix_kind, ==, fix_kind);
  if (fix_kind == CB_PLAN_FIX_MAPPING)
    g_assert_cmpint (item->fix_mapping_kind, ==, fix_sub_kind);
  else if (fix_kind == CB_PLAN_FIX_RECORD)
    g_assert_cmpint (item->fix_job_kind, ==, fix_sub_kind);
  g_assert_cmpstr (item->fix_target, ==, fix_target);
}

static const char *
line_field (CbPlanItem *item,
            guint       line,
            const char *name)
{
  GPtrArray *fields = g_ptr_array_index (item->lines, line);

  for (guint i = 0; i < fields->len; i++)
    {
      CbPlanField *field = g_ptr_array_index (fields, i);

      if (g_strcmp0 (field->name, name) == 0)
        return field->value;
    }
  return NULL;
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

static CbRun *
run_plan (Fixture *f,
          CbPlan  *plan)
{
  g_autoptr(CbSyncRunner) runner = cb_sync_runner_new (f->sync.db_path, f->sync.profile,
                                                       f->sync.client);
  g_autoptr(GError) error = NULL;
  CbRun *run;

  cb_sync_runner_run_async (runner, plan, NULL, run_done, f);
  g_main_loop_run (f->loop);
  g_assert_no_error (f->error);
  run = cb_run_store_get_run (f->sync.db, f->run_id, &error);
  g_assert_no_error (error);
  return run;
}

/* The bill Intacct holds under @recordno, with its lines. */
static CbIntacctRecord *
read_bill (Fixture    *f,
           const char *recordno)
{
  g_autoptr(GError) error = NULL;
  const char *keys[] = { recordno, NULL };
  g_autoptr(CbIntacctFunction) read = cb_intacct_function_read (NULL, "APBILL", keys, "*");
  g_autoptr(GPtrArray) records = cb_intacct_client_call (f->sync.client, read, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  return cb_intacct_record_ref (g_ptr_array_index (records, 0));
}

static void
test_demo_end_to_end (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPlan) plan = NULL;
  g_autoptr(CbPlan) again = NULL;
  g_autoptr(CbPlan) changed = NULL;
  g_autoptr(CbRun) run = NULL;
  g_autoptr(CbRun) run2 = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(CbProfile) no_default = NULL;
  CbPlanCounts counts;
  CbPlanItem *item;
  guint n_bills = 0, n_blocked_bills = 0, bills_before;

  prepare (f);
  /* vendors, jobs, a cost code and a cost type Intacct does not have yet */
  set_create (f, CB_MAPPING_VENDORS, "VEN-028");    /* Cascade Sealants */
  set_create (f, CB_MAPPING_VENDORS, "VEN-030");    /* Morgan Surveying Associates */
  set_create (f, CB_MAPPING_VENDORS, "VEN-029");    /* Westfield Lock & Key: vanishes */
  set_create (f, CB_MAPPING_PROJECTS, "JOB-1012");  /* Westfield Bank Branch */
  set_create (f, CB_MAPPING_PROJECTS, "JOB-1013");  /* Cedar Hills Clinic */
  set_create (f, CB_MAPPING_PROJECTS, "JOB-1015");  /* Brookside Townhomes */
  set_create (f, CB_MAPPING_COST_TYPES, "CT-P");    /* Permits & Fees */
  set_create (f, CB_MAPPING_COST_CODES, "CC-0190"); /* Contingency */
  /* left unmapped: vendor VEN-008 (TPL), cost code CC-0968 (Carpeting), job JOB-1014 */
  /* a line whose cost type has no job (so no project and no task) */
  add_bill (f, "AP-NOJOB", "GRAN-NOJOB", NULL, "CC-0330", "CT-M", NULL);
  /* a line on a cost type created in Intacct without a GL account (as AP-26001's line),
   * and the same with the line's own GL account */
  add_bill (f, "AP-PERMIT", "GRAN-PERMIT", "JOB-1006", "CC-2240", "CT-P", NULL);
  add_bill (f, "AP-PERMIT2", "GRAN-PERMIT2", "JOB-1006", "CC-2240", "CT-P", "5400");
  vanish_vendor (f, "VEN-029");
  make_project_inactive (f, "24-201");               /* JOB-1009 South Bay Parking */

  plan = cb_planner_build (f->sync.db, f->sync.profile, NULL, &error);
  g_assert_no_error (error);
  if (g_test_verbose ())
    dump_plan (plan);

  /* blocked, each with its reason and the place to fix it */
  assert_blocked (plan, "bill:AP-26002", "TPL Building Supply", CB_PLAN_FIX_MAPPING,
                  CB_MAPPING_VENDORS, "VEN-008");
  assert_blocked (plan, "bill:AP-26018", "Carpeting", CB_PLAN_FIX_MAPPING,
                  CB_MAPPING_COST_CODES, "CC-0968");
  assert_blocked (plan, "bill:AP-26042", "St. Anne", CB_PLAN_FIX_MAPPING,
                  CB_MAPPING_PROJECTS, "JOB-1014");
  assert_blocked (plan, "bill:AP-NOJOB", "COSTTYPEID needs PROJECTID and TASKID",
                  CB_PLAN_FIX_RECORD, CB_JOB_KIND_BILL, "AP-NOJOB");
  /* Permits & Fees is created in Intacct without a GL account: its lines have no expense
   * account, so the bill waits, with the cost type's mapping row as the fix */
  assert_blocked (plan, "bill:AP-PERMIT", "no GL expense account", CB_PLAN_FIX_MAPPING,
                  CB_MAPPING_COST_TYPES, "CT-P");
  item = cb_plan_find_item (plan, "bill:AP-PERMIT2");
  g_assert_nonnull (item);
  g_assert_false (item->blocked);
  g_assert_cmpstr (line_field (item, 0, "ACCOUNTNO"), ==, "5400");
  g_assert_cmpstr (line_field (item, 0, "COSTTYPEID"), ==, "P");
  /* a vendor gone from the export is not created, and its bills wait */
  g_assert_null (cb_plan_find_item (plan, "vendor:VEN-029"));
  assert_blocked (plan, "bill:AP-26004", "no longer in the job system", CB_PLAN_FIX_MAPPING,
                  CB_MAPPING_VENDORS, "VEN-029");
  {
    /* every bill of South Bay Parking Structure (24-201) waits for the project */
    g_autoptr(CbJobRecord) oak = NULL;
    guint n_oak = 0;

    for (guint i = 0; i < cb_plan_get_items (plan)->len; i++)
      {
        CbPlanItem *it = g_ptr_array_index (cb_plan_get_items (plan), i);

        if (it->kind == CB_PLAN_KIND_BILL && it->blocked && it->fix_kind == CB_PLAN_FIX_MAPPING &&
            it->fix_mapping_kind == CB_MAPPING_PROJECTS &&
            g_strcmp0 (it->fix_target, "JOB-1009") == 0)
          {
            g_assert_nonnull (strstr (it->blocked_reason, "inactive"));
            n_oak++;
          }
        g_assert_false (it->kind != CB_PLAN_KIND_BILL && !it->blocked &&
                        strstr (it->key, "24-201") != NULL);
      }
    g_assert_cmpuint (n_oak, >, 0);
  }

  /* a missing default: without a default cost type, lines without one cannot go */
  no_default = cb_profile_copy (f->sync.profile);
  g_clear_pointer (&no_default->default_cost_type, g_free);
  {
    g_autoptr(CbPlan) p2 = cb_planner_build (f->sync.db, no_default, NULL, &error);

    g_assert_no_error (error);
    assert_blocked (p2, "bill:AP-26007", "default cost type", CB_PLAN_FIX_DEFAULT, 0,
                    "default_cost_type");
  }
  /* a line sent without a cost type has no expense account to take: it is blocked, and
   * never booked to the AP account (the credit side), default or not */
  g_clear_pointer (&no_default->default_ap_account, g_free);
  no_default->missing_cost_type_rule = CB_MISSING_COST_TYPE_OMIT;
  {
    g_autoptr(CbPlan) p3 = cb_planner_build (f->sync.db, no_default, NULL, &error);

    g_assert_no_error (error);
    assert_blocked (p3, "bill:AP-26007", "no GL expense account", CB_PLAN_FIX_RECORD,
                    CB_JOB_KIND_BILL, "AP-26007");
    /* its other bills still go, each line on its cost type's account */
    item = cb_plan_find_item (p3, "bill:AP-26001");
    g_assert_nonnull (item);
    g_assert_false (item->blocked);
    g_assert_cmpstr (line_field (item, 0, "ACCOUNTNO"), ==, "5200");
  }

  /* what is created: vendors, the standard cost type and task, projects with defaults */
  item = cb_plan_find_item (plan, "vendor:VEN-028");
  g_assert_nonnull (item);
  g_assert_cmpint (item->action, ==, CB_PLAN_ACTION_CREATE);
  g_assert_cmpstr (cb_plan_item_get_field (item, "VENDORID"), ==, "CASCADE");
  g_assert_cmpstr (cb_plan_item_get_field (item, "NAME"), ==, "Cascade Sealants");
  g_assert_cmpstr (cb_plan_item_get_field (item, "DISPLAYCONTACT.PRINTAS"), ==, "Cascade Sealants");
  item = cb_plan_find_item (plan, "project:JOB-1012");
  g_assert_nonnull (item);
  g_assert_cmpint (item->action, ==, CB_PLAN_ACTION_CREATE);
  g_assert_cmpstr (cb_plan_item_get_field (item, "PROJECTID"), ==, "25-001");
  g_assert_cmpstr (cb_plan_item_get_field (item, "LOCATIONID"), ==, "100");
  g_assert_cmpstr (cb_plan_item_get_field (item, "DEPARTMENTID"), ==, "FIELD");
  g_assert_nonnull (cb_plan_find_item (plan, "standard_cost_type:CT-P"));
  g_assert_nonnull (cb_plan_find_item (plan, "standard_task:CC-0190"));

  /* a bill, field by field: AP-26001 from Copperfield (V1004), JOB-1006 (24-102), 22-400,
   * Subcontract, $11,365.20 */
  item = cb_plan_find_item (plan, "bill:AP-26001");
  g_assert_nonnull (item);
  g_assert_false (item->blocked);
  g_assert_cmpint (item->action, ==, CB_PLAN_ACTION_CREATE);
  g_assert_cmpstr (item->intacct_id, ==, "COPP-4100");
  g_assert_cmpstr (item->intacct_parent, ==, "V1004");
  g_assert_cmpstr (cb_plan_item_get_field (item, "VENDORID"), ==, "V1004");
  g_assert_cmpstr (cb_plan_item_get_field (item, "RECORDID"), ==, "COPP-4100");
  g_assert_cmpstr (cb_plan_item_get_field (item, "WHENCREATED"), ==, "01/17/2026");
  g_assert_cmpstr (cb_plan_item_get_field (item, "WHENDUE"), ==, "02/17/2026");
  g_assert_cmpstr (cb_plan_item_get_field (item, "CURRENCY"), ==, "USD");
  g_assert_cmpuint (item->lines->len, ==, 1);
  g_assert_cmpint (item->amount_cents, ==, 1136520);
  g_assert_cmpstr (line_field (item, 0, "TRX_AMOUNT"), ==, "11365.20");
  g_assert_cmpstr (line_field (item, 0, "PROJECTID"), ==, "24-102");
  g_assert_cmpstr (line_field (item, 0, "TASKID"), ==, "22-400");
  g_assert_cmpstr (line_field (item, 0, "COSTTYPEID"), ==, "S");
  g_assert_cmpstr (line_field (item, 0, "LOCATIONID"), ==, "100");
  g_assert_cmpstr (line_field (item, 0, "DEPARTMENTID"), ==, "FIELD");
  g_assert_cmpstr (line_field (item, 0, "ENTRYDESCRIPTION"), ==, "Retainage 10% held");
  /* booked to the Subcontract cost type's expense account, never to AP (2000) */
  g_assert_cmpstr (line_field (item, 0, "ACCOUNTNO"), ==, "5200");
  /* it waits for the task and cost type it needs under the project */
  g_assert_nonnull (item->depends_on);
  g_assert_true (g_strv_contains ((const char * const *) item->depends_on, "task:24-102/22-400"));
  g_assert_true (g_strv_contains ((const char * const *) item->depends_on,
                                  "cost_type:24-102/22-400/S"));
  /* a bill of a new vendor waits for it */
  item = cb_plan_find_item (plan, "bill:AP-26060");
  g_assert_nonnull (item);
  g_assert_false (item->blocked);
  g_assert_cmpstr (item->intacct_parent, ==, "CASCADE");
  g_assert_cmpstr (line_field (item, 0, "PROJECTID"), ==, "25-004");
  g_assert_true (g_strv_contains ((const char * const *) item->depends_on, "vendor:VEN-028"));
  g_assert_true (g_strv_contains ((const char * const *) item->depends_on, "project:JOB-1015"));

  cb_plan_get_counts (plan, &counts);
  g_test_message ("plan: %u to write, %u blocked", counts.to_write, counts.blocked);
  g_assert_cmpuint (counts.kinds[CB_PLAN_KIND_VENDOR].create, ==, 2);
  g_assert_cmpuint (counts.kinds[CB_PLAN_KIND_PROJECT].create, ==, 3);

  /* run it */
  bills_before = cb_sandbox_count_records (f->sync.sandbox, "APBILL", NULL, NULL);
  run = run_plan (f, plan);
  g_test_message ("run %" G_GINT64_FORMAT ": %s, %u requests, %s", run->id,
                  cb_run_state_to_string (run->state), run->requests,
                  run->message ? run->message : "");
  g_assert_cmpint (run->state, ==, CB_RUN_STATE_SUCCEEDED);
  g_assert_cmpuint (run->counts[CB_ITEM_STATE_DONE], ==, counts.to_write);
  g_assert_cmpuint (run->counts[CB_ITEM_STATE_BLOCKED], ==, counts.blocked);
  items = cb_run_store_list_items (f->sync.db, run->id, -1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      CbRunItem *ri = g_ptr_array_index (items, i);
      CbPlanItem *pi = cb_plan_find_item (plan, ri->item_key);

      g_assert_nonnull (pi);
      if (pi->blocked)
        {
          g_assert_cmpint (ri->state, ==, CB_ITEM_STATE_BLOCKED);
          g_assert_cmpstr (ri->error, ==, pi->blocked_reason);
          if (ri->kind == CB_PLAN_KIND_BILL)
            {
              n_blocked_bills++;
              g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "APBILL", "RECORDID",
                                                          ri->intacct_id), ==, 0);
            }
          continue;
        }
      g_assert_cmpint (ri->state, ==, CB_ITEM_STATE_DONE);
      g_assert_nonnull (ri->intacct_key);
      switch (ri->kind)
        {
        case CB_PLAN_KIND_VENDOR:
          g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "VENDOR", "VENDORID",
                                                      ri->intacct_id), ==, 1);
          break;
        case CB_PLAN_KIND_PROJECT:
          g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "PROJECT", "PROJECTID",
                                                      ri->intacct_id), ==, 1);
          break;
        case CB_PLAN_KIND_STANDARD_TASK:
          g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "STANDARDTASK",
                                                      "STANDARDTASKID", ri->intacct_id), ==, 1);
          break;
        case CB_PLAN_KIND_STANDARD_COST_TYPE:
          g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "STANDARDCOSTTYPE",
                                                      "STANDARDCOSTTYPEID", ri->intacct_id), ==, 1);
          break;
        case CB_PLAN_KIND_BILL:
          {
            g_autoptr(CbIntacctRecord) bill = read_bill (f, ri->intacct_key);
            g_autoptr(GPtrArray) lines = cb_intacct_record_get_lines (bill, "APBILLITEMS");

            n_bills++;
            g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "APBILL", "RECORDID",
                                                        ri->intacct_id), ==, 1);
            g_assert_cmpstr (cb_intacct_record_get_field (bill, "VENDORID"), ==, pi->intacct_parent);
            g_assert_cmpuint (lines->len, ==, pi->lines->len);
            for (guint l = 0; l < lines->len; l++)
              {
                CbIntacctRecord *line = g_ptr_array_index (lines, l);

                g_assert_cmpstr (cb_intacct_record_get_field (line, "PROJECTID"), ==,
                                 line_field (pi, l, "PROJECTID"));
                g_assert_cmpstr (cb_intacct_record_get_field (line, "TASKID"), ==,
                                 line_field (pi, l, "TASKID"));
                g_assert_cmpstr (cb_intacct_record_get_field (line, "COSTTYPEID"), ==,
                                 line_field (pi, l, "COSTTYPEID"));
                g_assert_nonnull (cb_intacct_record_get_field (line, "PROJECTID"));
                g_assert_nonnull (cb_intacct_record_get_field (line, "TASKID"));
                g_assert_nonnull (cb_intacct_record_get_field (line, "COSTTYPEID"));
                /* the debit side: the plan's expense account, never AP */
                g_assert_cmpstr (cb_intacct_record_get_field (line, "ACCOUNTNO"), ==,
                                 line_field (pi, l, "ACCOUNTNO"));
                g_assert_cmpstr (line_field (pi, l, "ACCOUNTNO"), !=, "2000");
                g_assert_cmpint (line_field (pi, l, "ACCOUNTNO")[0], ==, '5');
              }
          }
          break;
        case CB_PLAN_KIND_TASK:
        case CB_PLAN_KIND_COST_TYPE:
        case CB_PLAN_N_KINDS:
        default:
          break;
        }
    }
  g_test_message ("%u bills written, %u blocked", n_bills, n_blocked_bills);
  g_assert_cmpuint (n_bills, >, 20);
  g_assert_cmpuint (n_blocked_bills, >, 5);
  g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "APBILL", NULL, NULL), ==,
                    bills_before + n_bills);
  /* what the run created is now mapped (how = sync) */
  {
    g_autoptr(CbMappingRow) row = cb_mapping_store_get (f->sync.db, f->sync.profile->id,
                                                        CB_MAPPING_VENDORS, "VEN-028", &error);

    g_assert_no_error (error);
    g_assert_cmpint (row->state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpstr (row->intacct_id, ==, "CASCADE");
  }

  /* the same data again: nothing new to write */
  pull (f);
  again = cb_planner_build (f->sync.db, f->sync.profile, NULL, &error);
  g_assert_no_error (error);
  cb_plan_get_counts (again, &counts);
  if (counts.to_write > 0)
    dump_plan (again);
  g_assert_cmpuint (counts.to_write, ==, 0);
  g_assert_cmpuint (counts.kinds[CB_PLAN_KIND_BILL].unchanged, ==, n_bills);

  /* a bill changed in the job system: an update of the same Intacct bill */
  {
    g_autoptr(CbJobRecord) bill = cb_job_store_find (f->sync.db, f->sync.profile->id,
                                                     CB_JOB_KIND_BILL, "AP-26001", &error);
    g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
    g_autoptr(GPtrArray) synced = NULL;
    g_autoptr(CbIntacctRecord) written = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    CbRunItem *done = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (bill->lines);
    ((CbJobLine *) g_ptr_array_index (bill->lines, 0))->amount_cents = 1200000;
    g_ptr_array_add (records, g_steal_pointer (&bill));
    g_assert_true (cb_job_store_apply (f->sync.db, f->sync.profile->id, CB_JOB_KIND_BILL, records,
                                       FALSE, NULL, &error));
    g_assert_no_error (error);
    changed = cb_planner_build (f->sync.db, f->sync.profile, NULL, &error);
    g_assert_no_error (error);
    cb_plan_get_counts (changed, &counts);
    g_assert_cmpuint (counts.to_write, ==, 1);
    item = cb_plan_find_item (changed, "bill:AP-26001");
    g_assert_nonnull (item);
    g_assert_cmpint (item->action, ==, CB_PLAN_ACTION_UPDATE);
    g_assert_nonnull (item->intacct_recordno);
    g_assert_cmpstr (line_field (item, 0, "TRX_AMOUNT"), ==, "12000.00");
    run2 = run_plan (f, changed);
    g_assert_cmpint (run2->state, ==, CB_RUN_STATE_SUCCEEDED);
    synced = cb_run_store_list_items (f->sync.db, run2->id, CB_ITEM_STATE_DONE, &error);
    g_assert_cmpuint (synced->len, ==, 1);
    done = g_ptr_array_index (synced, 0);
    g_assert_cmpstr (done->intacct_key, ==, item->intacct_recordno);
    g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "APBILL", "RECORDID", "COPP-4100"),
                      ==, 1);
    written = read_bill (f, done->intacct_key);
    lines = cb_intacct_record_get_lines (written, "APBILLITEMS");
    g_assert_cmpuint (lines->len, ==, 1);
    g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (lines, 0), "TRX_AMOUNT"),
                     ==, "12000.00");
  }
  /* and after the update, nothing again */
  {
    g_autoptr(CbPlan) after = cb_planner_build (f->sync.db, f->sync.profile, NULL, &error);

    g_assert_no_error (error);
    cb_plan_get_counts (after, &counts);
    g_assert_cmpuint (counts.to_write, ==, 0);
  }
  g_assert_cmpuint (cb_sandbox_count_records (f->sync.sandbox, "APBILL", NULL, NULL), ==,
                    bills_before + n_bills);
}

static void
dump_plan (CbPlan *plan)
{
  g_autoptr(JsonNode) node = cb_plan_to_json (plan, TRUE);
  g_autofree char *text = json_to_string (node, TRUE);

  g_printerr ("%s\n", text);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/planner/demo-end-to-end", Fixture, NULL, fixture_set_up, test_demo_end_to_end,
              fixture_tear_down);
  return g_test_run ();
}
