/* cb-cli-pull.c: costbridge-cli pull — refreshes the Intacct cache of a company
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "costbridge-cli"

#include "config.h"

#include <signal.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cb-cli.h"
#include "cb-intacct-objects.h"
#include "cb-intacct-pull.h"

static char     *pull_profile;
static char     *pull_objects;
static gboolean  pull_full;

static const GOptionEntry pull_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, &pull_profile,
    N_("The company profile (name or id)"), N_("NAME") },
  { "objects", 0, 0, G_OPTION_ARG_STRING, &pull_objects,
    N_("Only these objects, separated by commas (default: all)"), N_("A,B") },
  { "full", 0, 0, G_OPTION_ARG_NONE, &pull_full,
    N_("Read everything again and remove what Intacct no longer has"), NULL },
  G_OPTION_ENTRY_NULL
};

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  CbPullResult *result;
  GError       *error;
} PullRun;

/* The n for ngettext of a 64-bit count: past a million, a number with the same last six
 * digits, which is all any plural rule looks at (the gettext manual's advice). */
static gulong
plural_n (guint64 n)
{
  return (gulong) (n < 1000000 ? n : 1000000 + n % 1000000);
}

static void
on_progress (const CbPullProgress *progress,
             gpointer              user_data)
{
  /* The record counts are 64-bit: formatted here, so each message is one whole sentence
   * for translators (xgettext cannot see through G_GUINT64_FORMAT). */
  g_autofree char *fetched = g_strdup_printf ("%" G_GUINT64_FORMAT, progress->fetched);

  switch (progress->state)
    {
    case CB_PULL_STATE_RUNNING:
      if (progress->total < 0)
        g_printerr (_("[%u/%u] %s…\n"), progress->index + 1, progress->n_objects,
                    progress->display_name);
      else
        {
          g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, progress->total);

          /* Translators: progress of `costbridge-cli pull` on stderr: "[2/11] Vendor: 400 of
           * 1250", object 2 of 11, then records read so far of the total in Intacct */
          g_printerr (_("[%u/%u] %s: %s of %s\n"), progress->index + 1, progress->n_objects,
                      progress->display_name, fetched, total);
        }
      break;
    case CB_PULL_STATE_DONE:
      /* Translators: `costbridge-cli pull` finished an object: "[2/11] Vendor: 1250 records";
       * the last %s is the number of records read */
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "[%u/%u] %s: %s record\n",
                               "[%u/%u] %s: %s records\n", plural_n (progress->fetched)),
                  progress->index + 1, progress->n_objects, progress->display_name, fetched);
      break;
    case CB_PULL_STATE_CANCELLED:
      /* Translators: `costbridge-cli pull` was interrupted: "[2/11] Vendor: stopped after 400
       * records"; the last %s is the number of records read (and kept) */
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "[%u/%u] %s: stopped after %s record\n",
                               "[%u/%u] %s: stopped after %s records\n",
                               plural_n (progress->fetched)),
                  progress->index + 1, progress->n_objects, progress->display_name, fetched);
      break;
    case CB_PULL_STATE_SKIPPED:
    case CB_PULL_STATE_FAILED:
      g_printerr ("[%u/%u] %s: %s\n", progress->index + 1, progress->n_objects,
                  progress->display_name, progress->message);
      break;
    case CB_PULL_STATE_PENDING:
    default:
      break;
    }
}

static gboolean
on_interrupt (gpointer user_data)
{
  PullRun *run = user_data;

  g_printerr ("%s\n", _("Stopping after this page; what was pulled is kept."));
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_pulled (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  PullRun *run = user_data;

  run->result = cb_intacct_pull_finish (res, &run->error);
  g_main_loop_quit (run->loop);
}

static void
print_summary (const CbProfile    *p,
               const CbPullResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_string_member (b, "profile", p->name);
  json_builder_set_member_name (b, "cancelled");
  json_builder_add_boolean_value (b, result->cancelled);
  json_builder_set_member_name (b, "fetched");
  json_builder_add_int_value (b, (gint64) result->fetched);
  json_builder_set_member_name (b, "elapsed_ms");
  json_builder_add_int_value (b, result->elapsed_us / 1000);
  json_builder_set_member_name (b, "objects");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->objects->len; i++)
    {
      const CbPullObjectResult *r = g_ptr_array_index (result->objects, i);

      json_builder_begin_object (b);
      add_string_member (b, "object", r->object);
      add_string_member (b, "state", cb_pull_state_to_string (r->state));
      json_builder_set_member_name (b, "full");
      json_builder_add_boolean_value (b, r->full);
      json_builder_set_member_name (b, "fetched");
      json_builder_add_int_value (b, (gint64) r->fetched);
      json_builder_set_member_name (b, "total");
      if (r->total >= 0)
        json_builder_add_int_value (b, r->total);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "removed");
      json_builder_add_int_value (b, r->removed);
      add_time_member (b, "refreshed_at", r->refreshed_at);
      add_string_member (b, "message", r->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  print_json (root);
}

static void
print_table (const CbPullResult *result)
{
  for (guint i = 0; i < result->objects->len; i++)
    {
      const CbPullObjectResult *r = g_ptr_array_index (result->objects, i);
      g_autofree char *when = r->refreshed_at != NULL
                              ? g_date_time_format (r->refreshed_at, "%Y-%m-%d %H:%M:%S UTC")
                              : g_strdup (_("never"));

      g_print ("%-18s %-9s %8" G_GUINT64_FORMAT " %-11s %s\n", r->object,
               cb_pull_state_to_string (r->state), r->fetched,
               r->full ? _("full") : _("incremental"), when);
    }
}

static int
run_pull (int    argc,
          char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  g_auto(GStrv) objects = NULL;
  const char *name;
  PullRun run = { 0 };
  const GError *failure;
  guint sigint;
  int code = CB_EXIT_OK;

  if (!parse_options (&cb_cli_cmd_pull, &argc, &argv, 0, 1, &code))
    return code;
  name = pull_profile != NULL ? pull_profile : (argc > 1 ? argv[1] : NULL);
  if (name == NULL)
    return fail (CB_EXIT_USAGE, _("Say which company to pull: --profile NAME"));
  if (pull_objects != NULL)
    {
      objects = g_strsplit (pull_objects, ",", -1);
      /* Said before anything is asked of Intacct. */
      for (guint i = 0; objects[i] != NULL; i++)
        {
          g_strstrip (objects[i]);
          if (*objects[i] != '\0' && cb_intacct_object_lookup (objects[i]) == NULL &&
              g_ascii_strcasecmp (objects[i], "ENTITY") != 0 &&
              g_ascii_strcasecmp (objects[i], "ENTITIES") != 0)
            {
              g_autofree char *message =
                g_strdup_printf (_("“%s” is not an Intacct object Costbridge can pull"),
                                 objects[i]);
              return fail (CB_EXIT_USAGE, message);
            }
        }
    }

  if ((db = open_database (&code)) == NULL || (p = load_profile (db, name, &code)) == NULL)
    return code;
  if ((client = connect_profile (p, &code)) == NULL)
    return code;
  stamp_connected (db, p);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  cb_intacct_pull_async (client, db, p->id, (const char * const *) objects,
                         pull_full ? CB_PULL_FULL : CB_PULL_NONE,
                         on_progress, NULL, NULL, run.cancellable, on_pulled, &run);
  g_main_loop_run (run.loop);
  g_source_remove (sigint);
  g_main_loop_unref (run.loop);
  g_object_unref (run.cancellable);

  if (run.result == NULL)
    {
      code = g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
             ? fail (CB_EXIT_USAGE, run.error->message)
             : fail (CB_EXIT_FAILURE, run.error->message);
      g_error_free (run.error);
      return code;
    }

  if (opt_json)
    print_summary (p, run.result);
  else
    print_table (run.result);

  failure = cb_pull_result_get_failure (run.result);
  if (failure != NULL)
    {
      g_autoptr(CbConnectDiagnosis) d = cb_connect_diagnose (failure);

      g_printerr ("%s\n%s\n", d->title, d->advice);
      code = cb_connect_problem_to_exit_code (d->problem);
      if (code == CB_EXIT_OK)
        code = CB_EXIT_FAILURE;
    }
  else if (run.result->cancelled)
    code = CB_EXIT_FAILURE;

  cb_pull_result_free (run.result);
  return code;
}

const Command cb_cli_cmd_pull = {
  "pull", "[--profile NAME] [--objects A,B] [--full]",
  N_("Refreshes the cached Intacct records of a company (incremental; --full finds deletions)"),
  run_pull, pull_entries,
};
