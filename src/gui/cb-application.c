/* cb-application.c: the Costbridge application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Command line: --version prints the version in the launching process; --demo starts the
 * built-in sandbox company on loopback in the primary instance and keeps it running until
 * the application shuts down.
 */

#define G_LOG_DOMAIN "cb-application"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-application.h"
#include "cb-preferences-window.h"
#include "cb-window.h"

#include "cb-connection.h"
#include "cb-database.h"
#include "cb-import.h"
#include "cb-intacct-pull.h"
#include "cb-job-store.h"
#include "cb-profile.h"
#include "cb-sandbox.h"

struct _CbApplication
{
  AdwApplication  parent_instance;

  CbSandbox      *sandbox;
  CbDatabase     *db;
  char           *demo_filled;   /* the demo profile whose data was loaded this run */
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (CbApplication, cb_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_options[] = {
  { "demo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Start the built-in demo company on this computer and connect to it"), NULL },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static CbWindow *
get_window (CbApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CB_IS_WINDOW (window))
    return CB_WINDOW (window);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (CB_IS_WINDOW (l->data))
        return CB_WINDOW (l->data);
    }

  return NULL;
}

static gboolean
start_demo (CbApplication  *self,
            GError        **error)
{
  g_autoptr(CbSandbox) sandbox = NULL;
  g_autofree char *endpoint = NULL;

  if (self->sandbox != NULL)
    return TRUE;

  sandbox = cb_sandbox_new ();
  if (!cb_sandbox_start (sandbox, 0, error))
    return FALSE;

  self->sandbox = g_steal_pointer (&sandbox);
  endpoint = cb_sandbox_dup_endpoint (self->sandbox);
  g_message ("Demo company gateway listening at %s", endpoint);

  return TRUE;
}

/* ---- the demo company's data ----------------------------------------------------------- */

static void
on_demo_pulled (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CbApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPullResult) pull = cb_intacct_pull_finish (result, &error);
  CbWindow *window;

  if (pull == NULL)
    {
      g_message ("Could not pull the demo company: %s", error->message);
      return;
    }
  if (cb_pull_result_get_failure (pull) != NULL)
    g_message ("Could not pull the demo company: %s", cb_pull_result_get_failure (pull)->message);

  window = get_window (self);
  if (window != NULL)
    cb_window_data_changed (window);
}

static gboolean
has_job_records (CbDatabase *db,
                 const char *profile_id)
{
  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    if (cb_job_store_count (db, profile_id, k, NULL, NULL) > 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  char                 *db_path;
  char                 *profile_id;
  CbIntacctCredentials *credentials;
} DemoData;

static void
demo_data_free (gpointer data)
{
  DemoData *dd = data;

  g_free (dd->db_path);
  g_free (dd->profile_id);
  g_clear_pointer (&dd->credentials, cb_intacct_credentials_free);
  g_free (dd);
}

/* In a worker, on a connection of its own: the sample job-side data set, when the demo
 * profile has no job data yet. Returns whether it loaded anything. */
static void
import_sample_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  DemoData *dd = task_data;
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbImportReport) report = NULL;
  GError *error = NULL;

  db = cb_database_open (dd->db_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (has_job_records (db, dd->profile_id))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  if (!cb_import_sample_data (db, dd->profile_id, &report, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Then the pull from the sandbox, itself in a worker. */
static void
on_sample_imported (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CbApplication *self = CB_APPLICATION (source);
  DemoData *dd = g_task_get_task_data (G_TASK (result));
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(GError) error = NULL;
  gboolean loaded;
  CbWindow *window;

  loaded = g_task_propagate_boolean (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      g_message ("Could not load the sample job data: %s", error->message);
      g_clear_error (&error);
    }

  window = get_window (self);
  if (loaded && window != NULL)
    cb_window_data_changed (window);

  client = cb_intacct_client_new (dd->credentials, &error);
  if (client == NULL)
    g_message ("Could not pull the demo company: %s", error->message);
  else
    cb_intacct_pull_async (client, self->db, dd->profile_id, NULL, CB_PULL_FULL, NULL, NULL, NULL,
                           self->cancellable, on_demo_pulled, g_object_ref (self));
}

/* Once the demo profile exists (the window's company changed to it), gives every page
 * data: the sample job-side data set when the profile has none yet, and a full pull from
 * the sandbox (its data starts afresh on every run, so deletions must be noticed). */
static void
fill_demo (CbApplication *self,
           CbWindow      *window)
{
  const char *profile_id = cb_window_get_profile_id (window);
  g_autoptr(CbProfile) profile = NULL;
  g_autoptr(GTask) task = NULL;
  DemoData *dd;

  if (self->db == NULL || self->sandbox == NULL || profile_id == NULL ||
      g_strcmp0 (profile_id, self->demo_filled) == 0)
    return;
  profile = cb_profile_load (self->db, profile_id, NULL);
  if (profile == NULL || !profile->is_demo)
    return;

  g_free (self->demo_filled);
  self->demo_filled = g_strdup (profile_id);

  /* The sandbox of this run, whatever the profile remembered. */
  g_free (profile->endpoint);
  profile->endpoint = cb_sandbox_dup_endpoint (self->sandbox);

  dd = g_new0 (DemoData, 1);
  dd->db_path = g_strdup (cb_database_get_path (self->db));
  dd->profile_id = g_strdup (profile_id);
  dd->credentials = cb_connection_credentials (profile, CB_SANDBOX_USER_SECRET,
                                               CB_SANDBOX_SENDER_SECRET);

  task = g_task_new (self, self->cancellable, on_sample_imported, NULL);
  g_task_set_source_tag (task, fill_demo);
  g_task_set_task_data (task, dd, demo_data_free);
  g_task_run_in_thread (task, import_sample_thread);
}

static void
on_window_profile_cb (CbWindow      *window,
                      GParamSpec    *pspec,
                      CbApplication *self)
{
  fill_demo (self, window);
}

static CbWindow *
new_window (CbApplication *self)
{
  CbWindow *window = cb_window_new (GTK_APPLICATION (self));

  /* The demo profile is saved once its first connection succeeds: fill it then. */
  g_signal_connect_object (window, "notify::profile-id",
                           G_CALLBACK (on_window_profile_cb), self, 0);
  return window;
}

/* Whether the company the window opened with is the demo company. */
static gboolean
window_shows_demo (CbApplication *self,
                   CbWindow      *window)
{
  const char *profile_id = cb_window_get_profile_id (window);
  g_autoptr(CbProfile) profile = NULL;

  if (self->db == NULL || profile_id == NULL)
    return FALSE;
  profile = cb_profile_load (self->db, profile_id, NULL);

  return profile != NULL && profile->is_demo;
}

/* Opens the demo company in @window through the connection assistant, which saves (or
 * updates) the demo profile with this run's gateway; its data is loaded once the window's
 * company is the demo company (at once, when it already was). */
static void
open_demo (CbApplication *self,
           CbWindow      *window)
{
  g_autofree char *endpoint = cb_sandbox_dup_endpoint (self->sandbox);

  _cb_window_set_demo_endpoint (window, endpoint);
  fill_demo (self, window);
}

static void
on_help_launched_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CbApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      CbWindow *window = get_window (self);

      g_message ("Could not open the help: %s", error->message);

      if (window != NULL)
        {
          AdwToast *toast;

          toast = adw_toast_new (_("Could not open the help. Is a help viewer such as Yelp installed?"));

          adw_toast_set_timeout (toast, 5);
          _cb_window_add_toast (window, toast);
        }
    }
}

static void
cb_application_help_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  CbApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GdkDisplay *display = window != NULL ? gtk_widget_get_display (GTK_WIDGET (window))
                                       : gdk_display_get_default ();
  g_autoptr(GdkAppLaunchContext) context = NULL;

  if (display != NULL)
    context = gdk_display_get_app_launch_context (display);

  g_app_info_launch_default_for_uri_async ("help:" PACKAGE_NAME,
                                           G_APP_LAUNCH_CONTEXT (context),
                                           NULL,
                                           on_help_launched_cb,
                                           g_object_ref (self));
}

static void
cb_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  CbApplication *self = user_data;
  static const char *developers[] = { "The Costbridge developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "application-name", _("Costbridge"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", "The Costbridge developers",
                        "developers", developers,
                        "copyright", "© 2026 The Costbridge developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/costbridge/costbridge",
                        "issue-url", "https://github.com/costbridge/costbridge/issues",
                        /* Translators: Replace "translator-credits" with your name/username, and optionally an email or URL. */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
cb_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  CbApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* Close the windows rather than quit outright, so each one saves its state. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static const GActionEntry app_actions[] = {
  { "quit", cb_application_quit_action },
  { "about", cb_application_about_action },
  { "help", cb_application_help_action },
};

static void
cb_application_activate (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);
  CbWindow *window = get_window (self);

  if (window == NULL)
    {
      window = new_window (self);

      /* The demo company was the last one used: its gateway lives in this process, so
       * start it again (on a new port) rather than show a company that cannot answer. */
      if (self->sandbox == NULL && window_shows_demo (self, window))
        {
          g_autoptr(GError) error = NULL;

          if (!start_demo (self, &error))
            g_message ("Could not start the demo company: %s", error->message);
        }

      if (self->sandbox != NULL)
        open_demo (self, window);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static int
cb_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static int
cb_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  CbApplication *self = CB_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);

  if (g_variant_dict_contains (options, "demo"))
    {
      g_autoptr(GError) error = NULL;
      CbWindow *window;

      if (!start_demo (self, &error))
        {
          g_application_command_line_printerr (command_line,
                                               _("Could not start the demo company: %s\n"),
                                               error->message);
          return 1;
        }

      /* A window opened earlier switches to the demo company now. */
      window = get_window (self);
      if (window != NULL)
        open_demo (self, window);
    }

  g_application_activate (application);

  return 0;
}

static void
cb_application_startup (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };

  G_APPLICATION_CLASS (cb_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.help", help_accels);
  cb_preferences_window_install_actions (GTK_APPLICATION (application));

  gtk_window_set_default_icon_name (APPLICATION_ID);

  /* The profiles and the Intacct cache; the app still opens without it, saving nothing. */
  {
    g_autofree char *path = cb_database_default_path ();
    g_autoptr(GError) error = NULL;

    self->db = cb_database_open (path, &error);
    if (self->db == NULL)
      g_message ("Could not open the database %s: %s", path, error->message);
  }
}

static void
cb_application_shutdown (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->demo_filled, g_free);

  if (self->sandbox != NULL)
    {
      cb_sandbox_stop (self->sandbox);
      g_clear_object (&self->sandbox);
    }

  g_clear_object (&self->db);

  G_APPLICATION_CLASS (cb_application_parent_class)->shutdown (application);
}

static void
cb_application_class_init (CbApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = cb_application_activate;
  app_class->startup = cb_application_startup;
  app_class->shutdown = cb_application_shutdown;
  app_class->handle_local_options = cb_application_handle_local_options;
  app_class->command_line = cb_application_command_line;
}

static void
cb_application_init (CbApplication *self)
{
  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), main_options);
}

CbApplication *
cb_application_new (void)
{
  return g_object_new (CB_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/costbridge/Costbridge/",
                       NULL);
}

char *
cb_application_dup_demo_endpoint (CbApplication *self)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), NULL);

  if (self->sandbox != NULL)
    return cb_sandbox_dup_endpoint (self->sandbox);

  return NULL;
}

CbDatabase *
cb_application_get_database (CbApplication *self)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), NULL);

  return self->db;
}

char *
cb_application_start_demo (CbApplication  *self,
                           GError        **error)
{
  g_return_val_if_fail (CB_IS_APPLICATION (self), NULL);

  if (!start_demo (self, error))
    return NULL;

  return cb_sandbox_dup_endpoint (self->sandbox);
}
