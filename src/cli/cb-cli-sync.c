/* cb-cli-sync.c: costbridge-cli plan, sync and runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exit codes: 0 when everything planned is in Intacct; 1 when anything failed, stayed
 * unsure, or is blocked; the connection codes of cb-connection.h otherwise.
 */

#define G_LOG_DOMAIN "costbridge-cli"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cb-cli.h"
#include "cb-planner.h"
#include "cb-run-store.h"
#include "cb-sync-runner.h"

static char     *opt_profile;
static gboolean  opt_fields;
static gint64    opt_resume;
static gint64    opt_retry;
static int       opt_batch = 50;
static gboolean  opt_respect_maintenance;
static char     *opt_maintenance;
static char     *opt_export;

static const GOptionEntry plan_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, &opt_profile,
    N_("The company profile (name or id)"), N_("NAME") },
  { "fields", 0, 0, G_OPTION_ARG_NONE, &opt_fields,
    N_("Show every field that would be written"), NULL },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry sync_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, &opt_profile,
    N_("The company profile (name or id)"), N_("NAME") },
  { "resume", 0, 0, G_OPTION_ARG_INT64, &opt_resume,
    N_("Finish run RUN (cancelled or interrupted)"), N_("RUN") },
  { "retry-failed", 0, 0, G_OPTION_ARG_INT64, &opt_retry,
    N_("Plan again and send what failed in run RUN"), N_("RUN") },
  { "batch", 0, 0, G_OPTION_ARG_INT, &opt_batch,
    N_("Records per request (1–50)"), N_("N") },
  { "respect-maintenance", 0, 0, G_OPTION_ARG_NONE, &opt_respect_maintenance,
    N_("Inside the maintenance window, wait for it to end (for timers)"), NULL },
  { "maintenance", 0, 0, G_OPTION_ARG_STRING, &opt_maintenance,
    N_("The maintenance window, e.g. “sunday 2 4” (default: the app’s setting)"), N_("WINDOW") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry runs_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, &opt_profile,
    N_("The company profile (name or id)"), N_("NAME") },
  { "export", 0, 0, G_OPTION_ARG_FILENAME, &opt_export,
    N_("Write run RUN’s report to FILE as CSV"), N_("FILE") },
  G_OPTION_ENTRY_NULL
};

static char *
money (gint64 cents)
{
  guint64 a = cents < 0 ? (guint64) -cents : (guint64) cents;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", cents < 0 ? "-" : "", a / 100,
                          (guint) (a % 100));
}

static int
run_plan (int    argc,
          char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(CbPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  CbPlanCounts counts;
  GPtrArray *items;
  int code = CB_EXIT_OK;

  if (!parse_options (&cb_cli_cmd_plan, &argc, &argv, 0, 1, &code))
    return code;
  if (opt_profile == NULL && argc > 1)
    opt_profile = g_strdup (argv[1]);
  if ((db = open_database (&code)) == NULL || (p = pick_profile (db, opt_profile, &code)) == NULL)
    return code;
  if ((plan = cb_planner_build (db, p, NULL, &error)) == NULL)
    return report_error (error);
  cb_plan_get_counts (plan, &counts);
  if (opt_json)
    {
      g_autoptr(JsonNode) node = cb_plan_to_json (plan, opt_fields);

      print_json (node);
    }
  else
    {
      g_autofree char *total = money (counts.bill_cents);

      items = cb_plan_get_items (plan);
      for (guint k = 0; k < CB_PLAN_N_KINDS; k++)
        {
          CbPlanKindCounts *c = &counts.kinds[k];

          if (c->create + c->update + c->ensure + c->blocked + c->unchanged == 0)
            continue;
          g_print (_("%-20s %5u to create, %u to update, %u if missing, %u blocked, %u unchanged\n"),
                   cb_plan_kind_get_label (k), c->create, c->update, c->ensure, c->blocked,
                   c->unchanged);
        }
      g_print (_("%u records to write (bills total %s), %u blocked\n"), counts.to_write, total,
               counts.blocked);
      for (guint i = 0; i < items->len; i++)
        {
          CbPlanItem *it = g_ptr_array_index (items, i);

          if (it->blocked)
            g_print (_("blocked  %s: %s\n"), it->label, it->blocked_reason);
          else if (opt_fields)
            {
              g_print ("%-8s %s\n", cb_plan_action_to_string (it->action), it->label);
              for (guint f = 0; f < it->fields->len; f++)
                {
                  CbPlanField *field = g_ptr_array_index (it->fields, f);

                  g_print ("           %s = %s\n", field->name, field->value);
                }
              for (guint l = 0; l < it->lines->len; l++)
                {
                  GPtrArray *line = g_ptr_array_index (it->lines, l);

                  g_print (_("           line %u:"), l + 1);
                  for (guint f = 0; f < line->len; f++)
                    {
                      CbPlanField *field = g_ptr_array_index (line, f);

                      g_print (" %s=%s", field->name, field->value);
                    }
                  g_print ("\n");
                }
            }
        }
    }
  return counts.blocked > 0 ? CB_EXIT_FAILURE : CB_EXIT_OK;
}

typedef struct
{
  GMainLoop    *loop;
  gint64        run_id;
  GError       *error;
  CbSyncRunner *runner;
} SyncRun;

static void
on_progress (CbSyncRunner         *runner,
             const CbSyncProgress *progress,
             gpointer              data)
{
  g_autofree char *text = cb_sync_progress_describe (progress);

  if (progress->rate > 0 && progress->seconds_left >= 0 && progress->stage == CB_SYNC_STAGE_SENDING)
    g_printerr (_("%s %.0f/s, %.0f s left\n"), text, progress->rate, progress->seconds_left);
  else
    g_printerr ("%s\n", text);
}

static void
on_item (CbSyncRunner    *runner,
         const CbRunItem *item,
         gpointer         data)
{
  if (item->state == CB_ITEM_STATE_FAILED || item->state == CB_ITEM_STATE_UNSURE ||
      item->state == CB_ITEM_STATE_SKIPPED)
    g_printerr ("%s: %s: %s\n", cb_item_state_get_label (item->state), item->label,
                item->error ? item->error : "");
}

static gboolean
on_interrupt (gpointer data)
{
  SyncRun *run = data;

  g_printerr ("%s\n", _("Stopping after this batch; resume the run to send the rest."));
  cb_sync_runner_cancel (run->runner);
  return G_SOURCE_CONTINUE;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  SyncRun *run = data;

  run->run_id = cb_sync_runner_run_finish (CB_SYNC_RUNNER (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static int
print_run (CbDatabase *db,
           gint64      run_id,
           gboolean    with_items)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRun) run = cb_run_store_get_run (db, run_id, &error);
  g_autoptr(GPtrArray) items = NULL;

  if (run == NULL)
    return report_error (error);
  if (with_items && (items = cb_run_store_list_items (db, run_id, -1, &error)) == NULL)
    return report_error (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) node = cb_run_to_json (run);

      if (items != NULL)
        {
          JsonArray *a = json_array_new ();

          for (guint i = 0; i < items->len; i++)
            json_array_add_element (a, cb_run_item_to_json (g_ptr_array_index (items, i)));
          json_object_set_array_member (json_node_get_object (node), "items", a);
        }
      print_json (node);
    }
  else
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run->id);

      /* Translators: `costbridge-cli runs RUN`: "Run 12: Succeeded, 40 done, 0 failed…";
       * the first %s is the run number, the second its state, %.1f s the seconds it took */
      g_print (_("Run %s: %s, %u done, %u failed, %u unsure, %u blocked, "
                 "%u skipped, %u waiting, %u requests, %.1f s\n"),
               id, cb_run_state_get_label (run->state), run->counts[CB_ITEM_STATE_DONE],
               run->counts[CB_ITEM_STATE_FAILED], run->counts[CB_ITEM_STATE_UNSURE],
               run->counts[CB_ITEM_STATE_BLOCKED], run->counts[CB_ITEM_STATE_SKIPPED],
               run->counts[CB_ITEM_STATE_PENDING], run->requests, run->duration);
      if (run->message)
        g_print ("  %s\n", run->message);
      for (guint i = 0; items && i < items->len; i++)
        {
          CbRunItem *it = g_ptr_array_index (items, i);

          g_print ("  %-8s %-40s %s\n", cb_item_state_to_string (it->state), it->label,
                   it->state == CB_ITEM_STATE_DONE ? (it->intacct_key ? it->intacct_key : "") :
                   (it->error ? it->error : ""));
        }
    }
  /* Blocked records count as not done: `sync` (and `runs RUN`) exit 1 while any is left,
   * as the help's exit codes say, so a timer's failure shows until they are fixed. */
  return (run->counts[CB_ITEM_STATE_FAILED] + run->counts[CB_ITEM_STATE_UNSURE] +
          run->counts[CB_ITEM_STATE_SENDING] + run->counts[CB_ITEM_STATE_BLOCKED] > 0 ||
          run->state != CB_RUN_STATE_SUCCEEDED) ?
         CB_EXIT_FAILURE : CB_EXIT_OK;
}

static gboolean
maintenance_from_settings (CbMaintenanceWindow *window)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *day = NULL;
  g_autofree char *text = NULL;

  if (source == NULL ||
      (schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE)) == NULL ||
      !g_settings_schema_has_key (schema, "maintenance-day") ||
      !g_settings_schema_has_key (schema, "maintenance-duration"))
    return FALSE;
  settings = g_settings_new (APPLICATION_ID);
  day = g_settings_get_string (settings, "maintenance-day");
  text = g_strdup_printf ("%s %u %u", day, g_settings_get_uint (settings, "maintenance-hour"),
                          g_settings_get_uint (settings, "maintenance-duration"));
  return cb_maintenance_window_parse (text, window, NULL);
}

static int
run_sync (int    argc,
          char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(CbSyncRunner) runner = NULL;
  g_autoptr(CbPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  SyncRun run = { 0 };
  CbMaintenanceWindow window = { -1, 0, 0 };
  guint sigint, sigterm;
  int code = CB_EXIT_OK;

  if (!parse_options (&cb_cli_cmd_sync, &argc, &argv, 0, 1, &code))
    return code;
  if (opt_profile == NULL && argc > 1)
    opt_profile = g_strdup (argv[1]);
  if (opt_batch < 1 || opt_batch > 50)
    return fail (CB_EXIT_USAGE, _("--batch takes 1 to 50"));
  if (opt_maintenance != NULL && !cb_maintenance_window_parse (opt_maintenance, &window, &error))
    return fail (CB_EXIT_USAGE, error->message);
  if ((db = open_database (&code)) == NULL || (p = pick_profile (db, opt_profile, &code)) == NULL)
    return code;
  if (opt_resume == 0 && opt_retry == 0)
    {
      CbPlanCounts counts;

      if ((plan = cb_planner_build (db, p, NULL, &error)) == NULL)
        return report_error (error);
      cb_plan_get_counts (plan, &counts);
      if (counts.to_write == 0)
        {
          g_printerr ("%s\n", counts.blocked > 0 ?
                      _("Nothing can be sent: every record is blocked (see `costbridge-cli plan`)") :
                      _("Nothing to send: everything is already in Intacct"));
          return counts.blocked > 0 ? CB_EXIT_FAILURE : CB_EXIT_OK;
        }
    }
  if ((client = connect_profile (p, &code)) == NULL)
    return code;

  runner = cb_sync_runner_new (cb_database_get_path (db), p, client);
  cb_sync_runner_set_batch_size (runner, opt_batch);
  cb_sync_runner_set_trigger (runner, opt_respect_maintenance ? "scheduled" : "cli");
  if (opt_respect_maintenance)
    {
      if (opt_maintenance == NULL)
        maintenance_from_settings (&window);
      cb_sync_runner_set_maintenance (runner, &window, TRUE);
    }
  g_signal_connect (runner, "progress", G_CALLBACK (on_progress), NULL);
  g_signal_connect (runner, "item", G_CALLBACK (on_item), NULL);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.runner = runner;
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &run);
  if (opt_resume > 0)
    cb_sync_runner_resume_async (runner, opt_resume, NULL, on_done, &run);
  else if (opt_retry > 0)
    cb_sync_runner_retry_failed_async (runner, opt_retry, NULL, on_done, &run);
  else
    cb_sync_runner_run_async (runner, plan, NULL, on_done, &run);
  g_main_loop_run (run.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_main_loop_unref (run.loop);

  if (run.error != NULL)
    {
      gint64 id = cb_sync_runner_get_run_id (runner);

      if (g_error_matches (run.error, CB_SYNC_ERROR, CB_SYNC_ERROR_BLOCKED) &&
          strstr (run.error->message, "already") != NULL)
        {
          g_printerr ("%s\n", run.error->message);
          g_clear_error (&run.error);
          return CB_EXIT_OK;
        }
      if (id > 0 && opt_json)
        print_run (db, id, TRUE);
      code = run.error->domain == CB_SYNC_ERROR ? fail (CB_EXIT_FAILURE, run.error->message) :
             report_error (run.error);
      g_clear_error (&run.error);
      return code;
    }
  return print_run (db, run.run_id, opt_json);
}

static int
run_runs (int    argc,
          char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  gint64 run_id = 0;
  int code = CB_EXIT_OK;

  if (!parse_options (&cb_cli_cmd_runs, &argc, &argv, 0, 1, &code))
    return code;
  if (argc > 1 && !g_ascii_string_to_signed (argv[1], 10, 1, G_MAXINT64, &run_id, NULL))
    return fail (CB_EXIT_USAGE, _("RUN is a run number, as `costbridge-cli runs` lists them"));
  if ((db = open_database (&code)) == NULL)
    return code;
  if (run_id > 0)
    {
      if (opt_export != NULL)
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (opt_export);
          g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE,
                                                             G_FILE_CREATE_NONE, NULL, &error);

          if (out == NULL ||
              !cb_run_store_export_csv (db, run_id, G_OUTPUT_STREAM (out), &error) ||
              !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error))
            return fail (CB_EXIT_FAILURE, error->message);
        }
      return print_run (db, run_id, TRUE);
    }
  if ((p = pick_profile (db, opt_profile, &code)) == NULL)
    return code;
  if ((runs = cb_run_store_list_runs (db, p->id, 0, &error)) == NULL)
    return report_error (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *a = json_array_new ();

      for (guint i = 0; i < runs->len; i++)
        json_array_add_element (a, cb_run_to_json (g_ptr_array_index (runs, i)));
      json_node_take_array (root, a);
      print_json (root);
    }
  else
    for (guint i = 0; i < runs->len; i++)
      {
        CbRun *r = g_ptr_array_index (runs, i);
        g_autofree char *when = g_date_time_format (r->started, "%Y-%m-%d %H:%M");
        g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, r->id);

        /* Translators: one line of `costbridge-cli runs`, in columns: run number, start
         * time, state, then counts and seconds; keep the widths so the columns line up */
        g_print (_("%5s  %s  %-22s %5u done %4u failed %4u unsure  %.1f s\n"),
                 id, when, cb_run_state_get_label (r->state), r->counts[CB_ITEM_STATE_DONE],
                 r->counts[CB_ITEM_STATE_FAILED], r->counts[CB_ITEM_STATE_UNSURE], r->duration);
      }
  return CB_EXIT_OK;
}

const Command cb_cli_cmd_plan = {
  "plan", "[PROFILE]", N_("Show what a sync would write to Intacct, and what is blocked"),
  run_plan, plan_entries,
};

const Command cb_cli_cmd_sync = {
  "sync", "[PROFILE]", N_("Send the plan to Intacct, exactly once"), run_sync, sync_entries,
};

const Command cb_cli_cmd_runs = {
  "runs", "[RUN]", N_("List sync runs, or show one run’s outcomes"), run_runs, runs_entries,
};
