/* cb-refresh-dialog.c: see cb-refresh-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-refresh-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-connection.h"
#include "cb-error.h"
#include "cb-intacct-cache.h"
#include "cb-intacct-objects.h"
#include "cb-intacct-pull.h"
#include "cb-profile.h"
#include "cb-refresh-dialog.h"
#include "cb-sandbox.h"
#include "cb-secret-store.h"
#include "cb-window.h"

#define CB_TYPE_REFRESH_DIALOG (cb_refresh_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CbRefreshDialog, cb_refresh_dialog, CB, REFRESH_DIALOG, AdwWindow)

struct _CbRefreshDialog
{
  AdwWindow       parent_instance;

  CbDatabase     *db;
  char           *profile_id;
  gboolean        full;
  gboolean        running;
  gboolean        changed;
  GCancellable   *cancellable;
  GtkWindow      *parent;       /* weak */

  GtkLabel       *status;
  GtkProgressBar *progress;
  GtkButton      *cancel;
  GtkButton      *close;
  GtkButton      *again;
  GHashTable     *rows;         /* object → AdwActionRow (borrowed) */
  GHashTable     *counts;       /* object → GtkLabel (borrowed) */
};

G_DEFINE_FINAL_TYPE (CbRefreshDialog, cb_refresh_dialog, ADW_TYPE_WINDOW)

static void start (CbRefreshDialog *self);

static char *
describe_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan ago;

  if (when == NULL)
    return g_strdup (_("Never refreshed"));
  local = g_date_time_to_local (when);
  now = g_date_time_new_now_local ();
  ago = g_date_time_difference (now, local);
  if (ago < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Refreshed just now"));
  if (ago < G_TIME_SPAN_HOUR)
    {
      guint minutes = (guint) (ago / G_TIME_SPAN_MINUTE);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Refreshed %u minute ago",
                                           "Refreshed %u minutes ago", minutes), minutes);
    }
  {
    g_autofree char *text = g_date_time_format (local, "%x %X");

    return g_strdup_printf (_("Last refreshed %s"), text);
  }
}

static const char *
object_label (const char *object)
{
  const CbIntacctObjectInfo *info = cb_intacct_object_lookup (object);

  return info != NULL && info->display_name != NULL ? _(info->display_name) : object;
}

static void
show_last_refresh (CbRefreshDialog *self)
{
  const char * const *objects = cb_intacct_pull_default_objects ();

  for (guint i = 0; objects[i] != NULL; i++)
    {
      AdwActionRow *row = g_hash_table_lookup (self->rows, objects[i]);
      g_autoptr(GDateTime) when = cb_intacct_cache_last_refresh (self->db, self->profile_id,
                                                                 objects[i]);
      g_autofree char *subtitle = describe_time (when);
      g_autofree char *count = g_strdup_printf ("%u",
                                                cb_intacct_cache_count (self->db, self->profile_id,
                                                                        objects[i]));

      adw_action_row_set_subtitle (row, subtitle);
      gtk_label_set_text (g_hash_table_lookup (self->counts, objects[i]), count);
    }
}

static void
set_running (CbRefreshDialog *self,
             gboolean         running)
{
  self->running = running;
  gtk_widget_set_visible (GTK_WIDGET (self->cancel), running);
  gtk_widget_set_visible (GTK_WIDGET (self->close), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->again), !running);
  if (!running)
    gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->close));
}

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
  CbRefreshDialog *self = user_data;
  AdwActionRow *row = g_hash_table_lookup (self->rows, progress->object);
  GtkLabel *count = g_hash_table_lookup (self->counts, progress->object);
  g_autofree char *status = NULL;
  g_autofree char *n_of_n = NULL;
  g_autofree char *fetched = g_strdup_printf ("%" G_GUINT64_FORMAT, progress->fetched);
  double fraction;

  /* The 64-bit counts are formatted first, so that each message below is one whole
   * sentence for translators (xgettext cannot see through G_GUINT64_FORMAT). */
  if (progress->total >= 0)
    {
      g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, progress->total);

      /* Translators: records read so far of an object's total in Intacct: "400 of 1250" */
      n_of_n = g_strdup_printf (_("%s of %s"), fetched, total);
    }
  else
    n_of_n = g_strdup ("…");

  switch (progress->state)
    {
    case CB_PULL_STATE_RUNNING:
      status = g_strdup_printf (_("Reading %s (%u of %u): %s"), progress->display_name,
                                progress->index + 1, progress->n_objects, n_of_n);
      if (row != NULL)
        adw_action_row_set_subtitle (row, _("Reading…"));
      break;
    case CB_PULL_STATE_DONE:
      status = g_strdup_printf (_("Read %s (%u of %u)"), progress->display_name,
                                progress->index + 1, progress->n_objects);
      if (row != NULL)
        {
          /* Translators: an object's row once read; %s is the number of new or changed
           * records: "Refreshed just now: 12 changes" */
          g_autofree char *subtitle = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "Refreshed just now: %s change",
                         "Refreshed just now: %s changes", plural_n (progress->fetched)),
            fetched);
          adw_action_row_set_subtitle (row, subtitle);
        }
      break;
    case CB_PULL_STATE_SKIPPED:
    case CB_PULL_STATE_FAILED:
      if (row != NULL)
        adw_action_row_set_subtitle (row, progress->message);
      break;
    case CB_PULL_STATE_CANCELLED:
      if (row != NULL)
        adw_action_row_set_subtitle (row, _("Stopped; what was read is kept"));
      break;
    case CB_PULL_STATE_PENDING:
    default:
      break;
    }

  if (count != NULL)
    gtk_label_set_text (count, n_of_n);
  if (status != NULL)
    gtk_label_set_text (self->status, status);

  fraction = (double) progress->index / progress->n_objects;
  if (progress->total > 0)
    fraction += ((double) progress->fetched / progress->total) / progress->n_objects;
  else if (progress->state != CB_PULL_STATE_RUNNING)
    fraction += 1.0 / progress->n_objects;
  gtk_progress_bar_set_fraction (self->progress, CLAMP (fraction, 0.0, 1.0));
}

static void
on_pulled (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(CbRefreshDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPullResult) result = cb_intacct_pull_finish (res, &error);
  g_autofree char *status = NULL;
  g_autofree char *fetched = NULL;
  const GError *failure;
  guint skipped = 0;

  if (self->db == NULL)
    return;   /* disposed */
  set_running (self, FALSE);

  if (result == NULL)
    {
      gtk_label_set_text (self->status, error->message);
      return;
    }

  self->changed = result->fetched > 0;
  for (guint i = 0; i < result->objects->len; i++)
    {
      const CbPullObjectResult *r = g_ptr_array_index (result->objects, i);

      skipped += r->state == CB_PULL_STATE_SKIPPED;
      self->changed |= r->removed > 0;
    }

  failure = cb_pull_result_get_failure (result);
  if (failure != NULL)
    {
      g_autoptr(CbConnectDiagnosis) d = cb_connect_diagnose (failure);

      status = g_strdup_printf ("%s. %s", d->title, d->advice);
      gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
    }
  else if (result->cancelled)
    {
      fetched = g_strdup_printf ("%" G_GUINT64_FORMAT, result->fetched);
      /* Translators: the refresh was stopped; %s is the number of records read */
      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Stopped. %s record was read and kept.",
                                             "Stopped. %s records were read and kept.",
                                             plural_n (result->fetched)),
                                fetched);
    }
  else
    {
      g_autofree char *records = NULL;

      fetched = g_strdup_printf ("%" G_GUINT64_FORMAT, result->fetched);
      /* Translators: how much a refresh brought, used in "Done: %s" and "Done: %s; %u
       * objects skipped"; %s is a number */
      records = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s new or changed record",
                                              "%s new or changed records",
                                              plural_n (result->fetched)),
                                 fetched);
      if (skipped > 0)
        /* Translators: the refresh ended; the %s is "12 new or changed records", %u the
         * number of objects Intacct would not let it read */
        status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Done: %s; %u object skipped",
                                               "Done: %s; %u objects skipped", skipped),
                                  records, skipped);
      else
        /* Translators: the refresh ended; the %s is "12 new or changed records" */
        status = g_strdup_printf (_("Done: %s"), records);
    }
  gtk_label_set_text (self->status, status);
  if (!result->cancelled && failure == NULL)
    gtk_progress_bar_set_fraction (self->progress, 1.0);

  /* Final counts per object, and what was not reached keeps its last time. */
  for (guint i = 0; i < result->objects->len; i++)
    {
      const CbPullObjectResult *r = g_ptr_array_index (result->objects, i);
      AdwActionRow *row = g_hash_table_lookup (self->rows, r->object);

      if (r->state == CB_PULL_STATE_PENDING && row != NULL)
        {
          g_autofree char *subtitle = describe_time (r->refreshed_at);
          adw_action_row_set_subtitle (row, subtitle);
        }
    }

  if (self->changed && self->parent != NULL && CB_IS_WINDOW (self->parent))
    cb_window_data_changed (CB_WINDOW (self->parent));
}

/* ---- connecting, on a worker thread ----------------------------------------------------- */

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = g_object_get_data (G_OBJECT (task), "db-path");
  const char *profile_id = task_data;
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) profile = NULL;
  g_autoptr(CbIntacctCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  CbIntacctClient *client;
  char *user_password = NULL;
  char *sender_password = NULL;

  if ((db = cb_database_open (path, &error)) == NULL ||
      (profile = cb_profile_load (db, profile_id, &error)) == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
                             _("The company profile no longer exists"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (profile->is_demo)
    credentials = cb_connection_credentials (profile, CB_SANDBOX_USER_SECRET,
                                             CB_SANDBOX_SENDER_SECRET);
  else
    {
      user_password = cb_secret_store_lookup (profile->id, CB_SECRET_USER_PASSWORD,
                                              cancellable, &error);
      if (user_password != NULL)
        sender_password = cb_secret_store_lookup (profile->id, CB_SECRET_SENDER_PASSWORD,
                                                  cancellable, &error);
      if (user_password == NULL || sender_password == NULL)
        {
          cb_clear_secret (&user_password);
          cb_clear_secret (&sender_password);
          if (error == NULL)
            g_set_error_literal (&error, CB_SECRET_ERROR, CB_SECRET_ERROR_FAILED,
                                 _("The passwords for this company are not in the keyring. "
                                   "Test the connection on the Connection page to enter them."));
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      credentials = cb_connection_credentials (profile, user_password, sender_password);
      cb_clear_secret (&user_password);
      cb_clear_secret (&sender_password);
    }

  client = cb_connection_test (credentials, cancellable, &error);
  if (client == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, client, g_object_unref);
}

static void
on_connected (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(CbRefreshDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctClient) client = g_task_propagate_pointer (G_TASK (res), &error);

  if (self->db == NULL)
    return;
  if (client == NULL)
    {
      set_running (self, FALSE);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status, _("Cancelled"));
      else
        {
          g_autoptr(CbConnectDiagnosis) d = cb_connect_diagnose (error);
          g_autofree char *text = g_strdup_printf (_("Could not connect: %s. %s"),
                                                   d->title, d->advice);

          gtk_label_set_text (self->status, text);
          gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
        }
      return;
    }

  gtk_label_set_text (self->status, _("Connected. Reading records…"));
  cb_intacct_pull_async (client, self->db, self->profile_id, NULL,
                         self->full ? CB_PULL_FULL : CB_PULL_NONE,
                         on_progress, g_object_ref (self), g_object_unref,
                         self->cancellable, on_pulled, g_object_ref (self));
}

static void
start (CbRefreshDialog *self)
{
  g_autoptr(GTask) task = NULL;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
  gtk_progress_bar_set_fraction (self->progress, 0.0);
  gtk_label_set_text (self->status, _("Connecting to Intacct…"));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->cancel));

  task = g_task_new (NULL, self->cancellable, on_connected, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (self->profile_id), g_free);
  g_object_set_data_full (G_OBJECT (task), "db-path",
                          g_strdup (cb_database_get_path (self->db)), g_free);
  g_task_run_in_thread (task, connect_thread);
}

static void
on_cancel_clicked (CbRefreshDialog *self)
{
  gtk_label_set_text (self->status, _("Stopping after this page…"));
  g_cancellable_cancel (self->cancellable);
}

static void
on_again_clicked (CbRefreshDialog *self)
{
  self->full = TRUE;
  start (self);
}

static gboolean
on_close_request (GtkWindow *window)
{
  CbRefreshDialog *self = CB_REFRESH_DIALOG (window);

  /* Closing while it runs is a Cancel: what was read stays. */
  g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
cb_refresh_dialog_dispose (GObject *object)
{
  CbRefreshDialog *self = CB_REFRESH_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->db);
  g_clear_weak_pointer (&self->parent);
  G_OBJECT_CLASS (cb_refresh_dialog_parent_class)->dispose (object);
}

static void
cb_refresh_dialog_finalize (GObject *object)
{
  CbRefreshDialog *self = CB_REFRESH_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_free (self->profile_id);
  g_hash_table_unref (self->rows);
  g_hash_table_unref (self->counts);
  G_OBJECT_CLASS (cb_refresh_dialog_parent_class)->finalize (object);
}

static void
cb_refresh_dialog_class_init (CbRefreshDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_refresh_dialog_dispose;
  object_class->finalize = cb_refresh_dialog_finalize;
  window_class->close_request = on_close_request;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_refresh_dialog_init (CbRefreshDialog *self)
{
  GtkWidget *content, *header, *box, *list, *scrolled, *buttons;
  const char * const *objects = cb_intacct_pull_default_objects ();

  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
  self->counts = g_hash_table_new (g_str_hash, g_str_equal);

  gtk_window_set_title (GTK_WINDOW (self), _("Refresh from Intacct"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 640);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (content), header);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_vexpand (box, TRUE);

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->status), "status");
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0.0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status));

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_name (GTK_WIDGET (self->progress), "progress");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress));

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  for (guint i = 0; objects[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *count = gtk_label_new (NULL);
      g_autofree char *name = g_strconcat ("row-", objects[i], NULL);
      g_autofree char *count_name = g_strconcat ("count-", objects[i], NULL);

      gtk_widget_set_name (row, name);
      gtk_widget_set_name (count, count_name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), object_label (objects[i]));
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_hash_table_insert (self->rows, (gpointer) objects[i], row);
      g_hash_table_insert (self->counts, (gpointer) objects[i], count);
    }
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  self->again = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Full Refresh")));
  gtk_widget_set_name (GTK_WIDGET (self->again), "full-refresh");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->again),
                               _("Read every record again and remove those deleted in Intacct"));
  self->cancel = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  gtk_widget_set_name (GTK_WIDGET (self->cancel), "cancel");
  self->close = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Close")));
  gtk_widget_set_name (GTK_WIDGET (self->close), "close");
  gtk_widget_add_css_class (GTK_WIDGET (self->close), "suggested-action");
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->again));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->cancel));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->close));
  gtk_box_append (GTK_BOX (box), buttons);

  g_signal_connect_swapped (self->cancel, "clicked", G_CALLBACK (on_cancel_clicked), self);
  g_signal_connect_swapped (self->again, "clicked", G_CALLBACK (on_again_clicked), self);
  g_signal_connect_swapped (self->close, "clicked", G_CALLBACK (gtk_window_close), self);

  gtk_box_append (GTK_BOX (content), box);
  adw_window_set_content (ADW_WINDOW (self), content);
}

GtkWindow *
_cb_refresh_dialog_new (GtkWindow  *parent,
                        CbDatabase *db,
                        const char *profile_id,
                        gboolean    full)
{
  CbRefreshDialog *self;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);

  self = g_object_new (CB_TYPE_REFRESH_DIALOG, NULL);
  self->db = g_object_ref (db);
  self->profile_id = g_strdup (profile_id);
  self->full = full;
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      g_set_weak_pointer (&self->parent, parent);
    }
  show_last_refresh (self);
  gtk_window_present (GTK_WINDOW (self));
  start (self);
  return GTK_WINDOW (self);
}

gboolean
_cb_refresh_dialog_is_running (GtkWindow *dialog)
{
  g_return_val_if_fail (CB_IS_REFRESH_DIALOG (dialog), FALSE);

  return CB_REFRESH_DIALOG (dialog)->running;
}

void
cb_refresh_dialog_present (GtkWindow  *parent,
                           CbDatabase *db,
                           const char *profile_id)
{
  g_return_if_fail (CB_IS_DATABASE (db));
  g_return_if_fail (profile_id != NULL);

  _cb_refresh_dialog_new (parent, db, profile_id, FALSE);
}
