/* cb-history-page.c: see cb-history-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs come from the run store (cb-run-store.h), newest first, in a sidebar list; the
 * selected run's records fill a GtkColumnView (one GObject per record, built when the run is
 * selected). "Retry Failed" hands the run to the Sync page, which plans only its failed,
 * unsure, blocked and skipped records again and starts a run. "Export Report" writes the
 * run's CSV report where the user chooses (GtkFileChooserNative: a portal in a Flatpak).
 */

#define G_LOG_DOMAIN "cb-history-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-history-page.h"

#include "cb-run-store.h"
#include "cb-sync-page.h"
#include "cb-window.h"

#define MAX_RUNS 500

/* One record of a run, for the column view. */

#define CB_TYPE_RUN_ITEM_OBJECT (cb_run_item_object_get_type ())
G_DECLARE_FINAL_TYPE (CbRunItemObject, cb_run_item_object, CB, RUN_ITEM_OBJECT, GObject)

struct _CbRunItemObject
{
  GObject    parent_instance;
  CbRunItem *item;
  char      *seq;
  char      *kind;
  char      *outcome;
};

G_DEFINE_FINAL_TYPE (CbRunItemObject, cb_run_item_object, G_TYPE_OBJECT)

static void
cb_run_item_object_finalize (GObject *object)
{
  CbRunItemObject *self = CB_RUN_ITEM_OBJECT (object);

  g_clear_pointer (&self->item, cb_run_item_free);
  g_free (self->seq);
  g_free (self->kind);
  g_free (self->outcome);

  G_OBJECT_CLASS (cb_run_item_object_parent_class)->finalize (object);
}

static void
cb_run_item_object_class_init (CbRunItemObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_run_item_object_finalize;
}

static void
cb_run_item_object_init (CbRunItemObject *self)
{
}

/* "Done · RECORDNO 1234", or the state and the error in words. */
static char *
describe_outcome (const CbRunItem *item)
{
  const char *state = cb_item_state_get_label (item->state);

  if (item->state == CB_ITEM_STATE_DONE && item->intacct_key != NULL)
    /* Translators: a record's outcome: "Done", then the Intacct key of the record */
    return g_strdup_printf (_("%s · Intacct RECORDNO %s"), state, item->intacct_key);
  if (item->error != NULL && *item->error != '\0')
    return g_strdup_printf ("%s: %s", state, item->error);

  return g_strdup (state);
}

static CbRunItemObject *
cb_run_item_object_new (CbRunItem *item)
{
  CbRunItemObject *self = g_object_new (CB_TYPE_RUN_ITEM_OBJECT, NULL);

  self->item = item;
  self->seq = g_strdup_printf ("%u", item->seq);
  self->kind = g_strdup (cb_plan_kind_get_label (item->kind));
  self->outcome = describe_outcome (item);

  return self;
}

struct _CbHistoryPage
{
  AdwBin          parent_instance;

  CbDatabase     *db;
  char           *profile_id;
  char           *summary;
  gint64          run_id;       /* the selected run, or 0 */
  GListStore     *items;        /* CbRunItemObject of the selected run */
  GtkFileChooserNative *chooser;

  /* Template children */
  GtkStack       *stack;
  AdwStatusPage  *empty_status;
  GtkListBox     *runs_list;
  GtkLabel       *run_title;
  GtkLabel       *run_subtitle;
  GtkColumnView  *items_view;
};

static void cb_history_page_page_iface_init (CbPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbHistoryPage, cb_history_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (CB_TYPE_PAGE, cb_history_page_page_iface_init))

enum {
  PROP_0,
  PROP_SUMMARY,
  N_PROPS
};

static char *
format_duration (double seconds)
{
  guint s = (guint) (seconds + 0.5);

  if (s < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%u s"), s);
  if (s < 3600)
    /* Translators: a duration in minutes and seconds */
    return g_strdup_printf (_("%u min %u s"), s / 60, s % 60);

  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%u h %u min"), s / 3600, (s % 3600) / 60);
}

/* "42 done · 1 failed · 0 unsure · 3 blocked · 12 s" */
static char *
describe_counts (const CbRun *run)
{
  g_autofree char *duration = format_duration (run->duration);

  /* Translators: counts of a sync run's records, then its duration */
  return g_strdup_printf (_("%u done · %u failed · %u unsure · %u blocked · %s"),
                          run->counts[CB_ITEM_STATE_DONE],
                          run->counts[CB_ITEM_STATE_FAILED],
                          run->counts[CB_ITEM_STATE_UNSURE],
                          run->counts[CB_ITEM_STATE_BLOCKED],
                          duration);
}

/* Where a run came from: the app, the command line, or a timer. */
static const char *
describe_trigger (const char *trigger)
{
  if (g_strcmp0 (trigger, "cli") == 0)
    return _("From the command line");
  if (g_strcmp0 (trigger, "scheduled") == 0)
    return _("Scheduled");
  return _("From the app");
}

static char *
describe_run (const CbRun *run)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (run->started);
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run->id);

  /* Translators: a sync run's heading: its number, when it started and how it ended,
   * "Run 12 · 2026-03-14 09:30 · Succeeded" */
  return g_strdup_printf (_("Run %s · %s · %s"), id, date, cb_run_state_get_label (run->state));
}

static void
update_summary (CbHistoryPage *self,
                const CbRun   *last)
{
  g_autofree char *summary = NULL;

  if (last != NULL)
    summary = g_strdup (cb_run_state_get_label (last->state));

  if (g_strcmp0 (summary, self->summary) == 0)
    return;

  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  cb_page_summary_changed (CB_PAGE (self));
}

static void
show_run (CbHistoryPage *self,
          gint64         run_id)
{
  g_autoptr(CbRun) run = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autofree char *title = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *subtitle = NULL;
  guint retryable = 0;

  self->run_id = run_id;
  g_list_store_remove_all (self->items);

  if (run_id == 0 || self->db == NULL)
    {
      gtk_label_set_text (self->run_title, "");
      gtk_label_set_text (self->run_subtitle, "");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.retry", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export", FALSE);
      return;
    }

  run = cb_run_store_get_run (self->db, run_id, &error);
  if (run != NULL)
    items = cb_run_store_list_items (self->db, run_id, -1, &error);
  if (run == NULL || items == NULL)
    {
      g_warning ("Could not load run %" G_GINT64_FORMAT ": %s", run_id, error->message);
      return;
    }

  title = describe_run (run);
  counts = describe_counts (run);
  if (run->message != NULL)
    subtitle = g_strdup_printf ("%s\n%s", counts, run->message);
  else
    subtitle = g_steal_pointer (&counts);
  gtk_label_set_text (self->run_title, title);
  gtk_label_set_text (self->run_subtitle, subtitle);

  objects = g_ptr_array_new_with_free_func (g_object_unref);
  /* Keep send order: steal from the front. */
  while (items->len > 0)
    {
      CbRunItem *item = g_ptr_array_steal_index (items, 0);

      if (item->state != CB_ITEM_STATE_DONE && item->state != CB_ITEM_STATE_PENDING &&
          item->state != CB_ITEM_STATE_SENDING)
        retryable++;
      g_ptr_array_add (objects, cb_run_item_object_new (item));
    }
  g_list_store_splice (self->items, 0, 0, objects->pdata, objects->len);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.retry",
                                 retryable > 0 && run->state != CB_RUN_STATE_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export", TRUE);
}

static void
clear_runs (CbHistoryPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->runs_list))) != NULL)
    gtk_list_box_remove (self->runs_list, child);
}

static void
refresh (CbHistoryPage *self)
{
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *select = NULL;
  gint64 keep = self->run_id;

  clear_runs (self);

  if (self->db != NULL && self->profile_id != NULL)
    {
      runs = cb_run_store_list_runs (self->db, self->profile_id, MAX_RUNS, &error);
      if (runs == NULL)
        g_warning ("Could not list runs: %s", error->message);
    }

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      const CbRun *run = g_ptr_array_index (runs, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = describe_run (run);
      g_autofree char *counts = describe_counts (run);
      g_autofree char *subtitle = NULL;
      g_autofree char *name = g_strdup_printf ("run-%" G_GINT64_FORMAT, run->id);

      /* Translators: a run's origin ("Scheduled", "From the app"…), then its counts */
      subtitle = g_strdup_printf (_("%s · %s"), describe_trigger (run->trigger), counts);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_name (row, name);
      g_object_set_data_full (G_OBJECT (row), "cb-run-id", g_memdup2 (&run->id, sizeof run->id),
                              g_free);
      gtk_list_box_append (self->runs_list, row);
      if (select == NULL || run->id == keep)
        select = GTK_LIST_BOX_ROW (row);
    }

  update_summary (self, runs != NULL && runs->len > 0 ? g_ptr_array_index (runs, 0) : NULL);
  gtk_stack_set_visible_child_name (self->stack, select != NULL ? "runs" : "empty");

  self->run_id = 0;
  if (select != NULL)
    gtk_list_box_select_row (self->runs_list, select);
  else
    show_run (self, 0);
}

static void
cb_history_page_run_selected_cb (CbHistoryPage *self,
                                 GtkListBoxRow *row)
{
  gint64 *id = row != NULL ? g_object_get_data (G_OBJECT (row), "cb-run-id") : NULL;

  show_run (self, id != NULL ? *id : 0);
}

/* Columns */

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_list_item_set_child (list_item, label);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  CbRunItemObject *object = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const char *column = user_data;
  const char *text = NULL;

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "success");

  if (g_str_equal (column, "seq"))
    text = object->seq;
  else if (g_str_equal (column, "record"))
    text = object->item->label;
  else if (g_str_equal (column, "kind"))
    text = object->kind;
  else if (g_str_equal (column, "intacct-id"))
    text = object->item->intacct_id;
  else
    {
      text = object->outcome;
      switch (object->item->state)
        {
        case CB_ITEM_STATE_DONE:
          gtk_widget_add_css_class (label, "success");
          break;
        case CB_ITEM_STATE_FAILED:
          gtk_widget_add_css_class (label, "error");
          break;
        case CB_ITEM_STATE_UNSURE:
        case CB_ITEM_STATE_BLOCKED:
          gtk_widget_add_css_class (label, "warning");
          break;
        case CB_ITEM_STATE_PENDING:
        case CB_ITEM_STATE_SENDING:
        case CB_ITEM_STATE_SKIPPED:
        case CB_ITEM_N_STATES:
        default:
          break;
        }
    }

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "—");
}

static void
add_column (CbHistoryPage *self,
            const char    *title,
            const char    *column_id,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), (gpointer) column_id);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->items_view, column);
}

/* Actions */

static CbSyncPage *
find_sync_page (CbHistoryPage *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (GTK_IS_STACK (parent))
    {
      GtkWidget *page = gtk_stack_get_child_by_name (GTK_STACK (parent), "sync");

      if (CB_IS_SYNC_PAGE (page))
        return CB_SYNC_PAGE (page);
    }

  return NULL;
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CbHistoryPage *self = CB_HISTORY_PAGE (widget);
  CbSyncPage *sync = find_sync_page (self);
  GtkWidget *window = gtk_widget_get_ancestor (widget, CB_TYPE_WINDOW);

  if (sync == NULL || self->run_id == 0)
    return;

  /* The Sync page plans the failed records again and starts; it shows the progress. */
  if (window != NULL)
    cb_window_set_page (CB_WINDOW (window), "sync");
  cb_sync_page_retry_run (sync, self->run_id);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        CbHistoryPage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  if (!cb_history_page_export_report (self, file, &error))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog;

      dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       _("Could Not Export the Report"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbHistoryPage *self = CB_HISTORY_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;

  if (self->run_id == 0 || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Run Report"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, self->run_id);
  /* Translators: the suggested file name of a run report; %s is the run number. Keep it
   * a file name: no slashes. */
  name = g_strdup_printf (_("costbridge-run-%s.csv"), id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* CbPage */

static void
cb_history_page_set_profile (CbPage     *page,
                             CbDatabase *db,
                             const char *profile_id)
{
  CbHistoryPage *self = CB_HISTORY_PAGE (page);

  g_set_object (&self->db, db);
  g_free (self->profile_id);
  self->profile_id = g_strdup (profile_id);
  self->run_id = 0;
  refresh (self);
}

static void
cb_history_page_reload (CbPage *page)
{
  refresh (CB_HISTORY_PAGE (page));
}

static const char *
cb_history_page_get_summary (CbPage *page)
{
  return CB_HISTORY_PAGE (page)->summary;
}

static void
cb_history_page_page_iface_init (CbPageInterface *iface)
{
  iface->set_profile = cb_history_page_set_profile;
  iface->reload = cb_history_page_reload;
  iface->get_summary = cb_history_page_get_summary;
}

static void
cb_history_page_dispose (GObject *object)
{
  CbHistoryPage *self = CB_HISTORY_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  /* The runs list empties as it goes: nothing to show then. */
  if (self->runs_list != NULL)
    g_signal_handlers_disconnect_by_data (self->runs_list, self);
  /* The template's root is the bin's child: drop it first, or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_HISTORY_PAGE);
  g_clear_object (&self->items);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (cb_history_page_parent_class)->dispose (object);
}

static void
cb_history_page_finalize (GObject *object)
{
  CbHistoryPage *self = CB_HISTORY_PAGE (object);

  g_free (self->profile_id);
  g_free (self->summary);

  G_OBJECT_CLASS (cb_history_page_parent_class)->finalize (object);
}

static void
cb_history_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  if (prop_id == PROP_SUMMARY)
    g_value_set_string (value, CB_HISTORY_PAGE (object)->summary);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cb_history_page_class_init (CbHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_history_page_dispose;
  object_class->finalize = cb_history_page_finalize;
  object_class->get_property = cb_history_page_get_property;
  g_object_class_override_property (object_class, PROP_SUMMARY, "summary");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/costbridge/Costbridge/ui/cb-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CbHistoryPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CbHistoryPage, runs_list);
  gtk_widget_class_bind_template_child (widget_class, CbHistoryPage, run_title);
  gtk_widget_class_bind_template_child (widget_class, CbHistoryPage, run_subtitle);
  gtk_widget_class_bind_template_child (widget_class, CbHistoryPage, items_view);
  gtk_widget_class_bind_template_callback (widget_class, cb_history_page_run_selected_cb);

  gtk_widget_class_install_action (widget_class, "history.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "history.export", NULL, export_action);
}

static void
cb_history_page_init (CbHistoryPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (CB_TYPE_RUN_ITEM_OBJECT);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_column_view_set_model (self->items_view, GTK_SELECTION_MODEL (selection));

  add_column (self, "#", "seq", FALSE);
  add_column (self, _("Record"), "record", TRUE);
  add_column (self, _("Kind"), "kind", FALSE);
  add_column (self, _("Intacct ID"), "intacct-id", FALSE);
  add_column (self, _("Outcome"), "outcome", TRUE);

  show_run (self, 0);
}

GtkWidget *
cb_history_page_new (void)
{
  return g_object_new (CB_TYPE_HISTORY_PAGE, NULL);
}

gint64
cb_history_page_get_run_id (CbHistoryPage *self)
{
  g_return_val_if_fail (CB_IS_HISTORY_PAGE (self), 0);

  return self->run_id;
}

gboolean
cb_history_page_export_report (CbHistoryPage  *self,
                               GFile          *file,
                               GError        **error)
{
  g_autoptr(GFileOutputStream) out = NULL;

  g_return_val_if_fail (CB_IS_HISTORY_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->db == NULL || self->run_id == 0)
    {
      g_set_error_literal (error, CB_SYNC_ERROR, CB_SYNC_ERROR_NOT_FOUND,
                           _("Select a run to export first."));
      return FALSE;
    }

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;

  if (!cb_run_store_export_csv (self->db, self->run_id, G_OUTPUT_STREAM (out), error))
    return FALSE;

  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}
