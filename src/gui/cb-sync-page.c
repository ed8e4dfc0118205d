/* cb-sync-page.c: see cb-sync-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plan is built in a worker thread (cb_planner_build() with its own database
 * connection) whenever the page is shown a company or the store changes. The preview is a
 * GtkListView over a GtkTreeListModel: one row per plan item, whose children (created only
 * when expanded) are the fields it writes, then its lines, each with its own fields.
 * Blocked items are listed with their reason and a "Fix" button that opens the page where
 * the fix is made, with the record's ID in that page's search.
 *
 * A run signs in on a worker thread (secrets from the keyring, or the demo company's public
 * test values), then hands the connected client to a CbSyncRunner, which works on its own
 * worker thread and reports coalesced progress and settled items to this main context.
 */

#define G_LOG_DOMAIN "cb-sync-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-sync-page.h"

#include "cb-connection.h"
#include "cb-job-store.h"
#include "cb-mapping-page.h"
#include "cb-planner.h"
#include "cb-profile.h"
#include "cb-run-store.h"
#include "cb-sandbox.h"
#include "cb-secret-store.h"
#include "cb-sync-runner.h"
#include "cb-window.h"

#define MAX_LOG_LINES 400
#define MAX_BLOCKED_ROWS 500

/* A row of the preview: an item, one of its lines, or one field. */

#define CB_TYPE_PREVIEW_NODE (cb_preview_node_get_type ())
G_DECLARE_FINAL_TYPE (CbPreviewNode, cb_preview_node, CB, PREVIEW_NODE, GObject)

struct _CbPreviewNode
{
  GObject     parent_instance;
  CbPlan     *plan;       /* keeps @item alive */
  CbPlanItem *item;
  int         line;       /* the line's index, or -1 */
  char       *title;
  char       *value;
  char       *badge;      /* the action ("Create"), items only */
  gboolean    blocked;
};

G_DEFINE_FINAL_TYPE (CbPreviewNode, cb_preview_node, G_TYPE_OBJECT)

static void
cb_preview_node_finalize (GObject *object)
{
  CbPreviewNode *self = CB_PREVIEW_NODE (object);

  g_clear_pointer (&self->plan, cb_plan_unref);
  g_free (self->title);
  g_free (self->value);
  g_free (self->badge);

  G_OBJECT_CLASS (cb_preview_node_parent_class)->finalize (object);
}

static void
cb_preview_node_class_init (CbPreviewNodeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_preview_node_finalize;
}

static void
cb_preview_node_init (CbPreviewNode *self)
{
  self->line = -1;
}

static CbPreviewNode *
preview_node_new (CbPlan     *plan,
                  CbPlanItem *item,
                  int         line,
                  const char *title,
                  const char *value)
{
  CbPreviewNode *self = g_object_new (CB_TYPE_PREVIEW_NODE, NULL);

  self->plan = plan != NULL ? cb_plan_ref (plan) : NULL;
  self->item = item;
  self->line = line;
  self->title = g_strdup (title);
  self->value = g_strdup (value);

  return self;
}

static void
append_fields (GListStore *store,
               GPtrArray  *fields)
{
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const CbPlanField *field = g_ptr_array_index (fields, i);
      g_autoptr(CbPreviewNode) node = preview_node_new (NULL, NULL, -1, field->name, field->value);

      g_list_store_append (store, node);
    }
}

/* GtkTreeListModelCreateModelFunc: an item's fields and lines, a line's fields. */
static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  CbPreviewNode *node = item;
  GListStore *store;

  if (node->item == NULL)
    return NULL;

  store = g_list_store_new (CB_TYPE_PREVIEW_NODE);

  if (node->line >= 0)
    {
      append_fields (store, g_ptr_array_index (node->item->lines, node->line));
      return G_LIST_MODEL (store);
    }

  if (node->item->blocked)
    {
      g_autoptr(CbPreviewNode) reason = preview_node_new (NULL, NULL, -1, _("Blocked"),
                                                          node->item->blocked_reason);
      reason->blocked = TRUE;
      g_list_store_append (store, reason);
    }

  append_fields (store, node->item->fields);

  for (guint i = 0; i < node->item->lines->len; i++)
    {
      g_autofree char *title = g_strdup_printf (_("Line %u"), i + 1);
      g_autoptr(CbPreviewNode) line = preview_node_new (node->plan, node->item, i, title, NULL);

      g_list_store_append (store, line);
    }

  return G_LIST_MODEL (store);
}

typedef enum
{
  RUN_NEW,
  RUN_RESUME,
  RUN_RETRY,
} RunMode;

struct _CbSyncPage
{
  AdwBin          parent_instance;

  CbDatabase     *db;
  char           *profile_id;
  char           *summary;
  CbPlan         *plan;
  GListStore     *roots;          /* CbPreviewNode, one per plan item */
  GCancellable   *plan_cancellable;
  GCancellable   *run_cancellable;
  CbSyncRunner   *runner;
  gboolean        connecting;
  gint64          resumable_run;  /* a cancelled or interrupted run, or 0 */
  guint           log_lines;

  /* Template children */
  GtkStack       *stack;
  AdwStatusPage  *empty_status;
  GtkLabel       *plan_summary;
  GtkLabel       *create_count;
  GtkLabel       *update_count;
  GtkLabel       *blocked_count;
  GtkButton      *start_button;
  GtkButton      *resume_button;
  GtkButton      *cancel_button;
  GtkBox         *progress_box;
  GtkLabel       *progress_stage;
  GtkLabel       *progress_detail;
  GtkProgressBar *progress_bar;
  GtkStack       *views;
  GtkListView    *preview_view;
  GtkListBox     *blocked_list;
  GtkTextView    *log_view;
};

static void cb_sync_page_page_iface_init (CbPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbSyncPage, cb_sync_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (CB_TYPE_PAGE, cb_sync_page_page_iface_init))

enum {
  PROP_0,
  PROP_SUMMARY,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_run (CbSyncPage *self,
                       RunMode     mode,
                       gint64      run_id);

/* Helpers */

static CbWindow *
get_window (CbSyncPage *self)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), CB_TYPE_WINDOW);

  return window != NULL ? CB_WINDOW (window) : NULL;
}

static void
toast (CbSyncPage *self,
       const char *text)
{
  CbWindow *window = get_window (self);

  if (window != NULL)
    _cb_window_add_toast (window, adw_toast_new (text));
}

static void
update_actions (CbSyncPage *self)
{
  gboolean busy = cb_sync_page_get_busy (self);
  CbPlanCounts counts = { 0, };

  if (self->plan != NULL)
    cb_plan_get_counts (self->plan, &counts);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.start",
                                 !busy && self->plan != NULL && counts.to_write > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.plan", !busy && self->profile_id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.resume", !busy && self->resumable_run > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.cancel", busy);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), !busy && self->resumable_run > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->start_button), !busy);
}

static void
update_summary (CbSyncPage *self)
{
  g_autofree char *summary = NULL;
  CbPlanCounts counts = { 0, };

  if (self->plan != NULL)
    {
      cb_plan_get_counts (self->plan, &counts);
      if (counts.to_write > 0)
        summary = g_strdup_printf ("%u", counts.to_write);
    }

  if (g_strcmp0 (summary, self->summary) == 0)
    return;

  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  cb_page_summary_changed (CB_PAGE (self));
}

static void
append_log (CbSyncPage *self,
            const char *line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->log_view);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *text = g_strdup_printf ("%s  %s\n", time, line);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
  self->log_lines++;

  /* Keep the last lines only. */
  if (self->log_lines > MAX_LOG_LINES)
    {
      GtkTextIter start, cut;

      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_get_iter_at_line (buffer, &cut, self->log_lines - MAX_LOG_LINES);
      gtk_text_buffer_delete (buffer, &start, &cut);
      self->log_lines = MAX_LOG_LINES;
    }

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_view_scroll_to_iter (self->log_view, &end, 0.0, FALSE, 0.0, 1.0);
}

/* Blocked items and where they are fixed. */

/* The window page where a blocked item is fixed, and what to search for there. */
static const char *
fix_page (const CbPlanItem *item)
{
  static const char * const mapping_pages[] = { "cost-codes", "cost-types", "vendors", "projects" };
  CbJobKind kind;

  switch (item->fix_kind)
    {
    case CB_PLAN_FIX_MAPPING:
      if ((guint) item->fix_mapping_kind < G_N_ELEMENTS (mapping_pages))
        return mapping_pages[item->fix_mapping_kind];
      return NULL;

    case CB_PLAN_FIX_DEFAULT:
      return "connection";

    case CB_PLAN_FIX_RECORD:
      kind = item->fix_job_kind;
      if (kind == CB_JOB_KIND_BILL)
        return "bills";
      if (kind == CB_JOB_KIND_VENDOR)
        return "vendors";
      if (kind == CB_JOB_KIND_JOB)
        return "projects";
      if (kind == CB_JOB_KIND_COST_CODE)
        return "cost-codes";
      if (kind == CB_JOB_KIND_COST_TYPE)
        return "cost-types";
      return NULL;

    case CB_PLAN_FIX_NONE:
    default:
      return NULL;
    }
}

static GtkWidget *
find_search_entry (GtkWidget *root)
{
  if (GTK_IS_SEARCH_ENTRY (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
on_fix_clicked_cb (GtkButton  *button,
                   CbSyncPage *self)
{
  const char *page = g_object_get_data (G_OBJECT (button), "cb-page");
  const char *target = g_object_get_data (G_OBJECT (button), "cb-target");
  CbWindow *window = get_window (self);
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkWidget *page_widget = NULL;

  if (window == NULL || page == NULL)
    return;

  cb_window_set_page (window, page);

  if (GTK_IS_STACK (parent))
    page_widget = gtk_stack_get_child_by_name (GTK_STACK (parent), page);
  /* A mapping page shows and selects the record's row (the target is its job-side ID). */
  if (CB_IS_MAPPING_PAGE (page_widget) && target != NULL)
    {
      cb_mapping_page_select_job (CB_MAPPING_PAGE (page_widget), target);
      return;
    }
  /* Other pages: their own search shows the record. */
  if (page_widget != NULL && target != NULL && g_strcmp0 (page, "connection") != 0)
    {
      GtkWidget *entry = find_search_entry (page_widget);

      if (entry != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (entry), target);
          gtk_widget_grab_focus (entry);
        }
    }
}

static void
fill_blocked (CbSyncPage *self)
{
  GPtrArray *items = self->plan != NULL ? cb_plan_get_items (self->plan) : NULL;
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->blocked_list))) != NULL)
    gtk_list_box_remove (self->blocked_list, child);

  for (guint i = 0; items != NULL && i < items->len && shown < MAX_BLOCKED_ROWS; i++)
    {
      const CbPlanItem *item = g_ptr_array_index (items, i);
      const char *page;
      GtkWidget *row;
      g_autofree char *name = NULL;

      if (!item->blocked)
        continue;

      row = adw_action_row_new ();
      name = g_strdup_printf ("blocked-%s", item->key);
      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->label);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), item->blocked_reason);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

      page = fix_page (item);
      if (page != NULL)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Fix…"));
          g_autofree char *button_name = g_strdup_printf ("fix-%s", item->key);

          gtk_widget_set_name (button, button_name);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (button, _("Open the page where this is fixed"));
          g_object_set_data (G_OBJECT (button), "cb-page", (gpointer) page);
          g_object_set_data_full (G_OBJECT (button), "cb-target", g_strdup (item->fix_target),
                                  g_free);
          g_signal_connect_object (button, "clicked", G_CALLBACK (on_fix_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }

      gtk_list_box_append (self->blocked_list, row);
      shown++;
    }

  if (shown == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing is blocked"));
      gtk_list_box_append (self->blocked_list, row);
    }
}

/* Shows @plan (transfer full; may be NULL). */
static void
show_plan (CbSyncPage *self,
           CbPlan     *plan)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_object_unref);
  CbPlanCounts counts = { 0, };
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  guint create = 0, update = 0;
  GPtrArray *items;

  g_clear_pointer (&self->plan, cb_plan_unref);
  self->plan = plan;

  if (plan != NULL)
    cb_plan_get_counts (plan, &counts);

  for (guint k = 0; k < CB_PLAN_N_KINDS; k++)
    {
      create += counts.kinds[k].create + counts.kinds[k].ensure;
      update += counts.kinds[k].update;
    }
  number = g_strdup_printf ("%u", create);
  gtk_label_set_text (self->create_count, number);
  g_free (number);
  number = g_strdup_printf ("%u", update);
  gtk_label_set_text (self->update_count, number);
  g_free (number);
  number = g_strdup_printf ("%u", counts.blocked);
  gtk_label_set_text (self->blocked_count, number);

  if (plan == NULL)
    text = g_strdup ("");
  else if (counts.to_write == 0 && counts.blocked == 0)
    text = g_strdup_printf (ngettext ("Intacct is up to date: %u record already synced.",
                                      "Intacct is up to date: %u records already synced.",
                                      counts.unchanged), counts.unchanged);
  else
    {
      g_autofree char *money = cb_job_format_amount (counts.bill_cents);

      /* Translators: the plan summary; the last %s is an amount */
      text = g_strdup_printf (_("%u to write, %u blocked, %u already synced and unchanged · "
                                "bills to write total %s"),
                              counts.to_write, counts.blocked, counts.unchanged, money);
    }
  gtk_label_set_text (self->plan_summary, text);

  items = plan != NULL ? cb_plan_get_items (plan) : NULL;
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      CbPlanItem *item = g_ptr_array_index (items, i);
      g_autofree char *value = NULL;
      CbPreviewNode *node;

      if (item->intacct_id != NULL)
        value = g_strdup_printf ("%s %s", item->intacct_object, item->intacct_id);
      else
        value = g_strdup (item->intacct_object);
      node = preview_node_new (plan, item, -1, item->label, value);
      node->blocked = item->blocked;
      node->badge = g_strdup (item->blocked ? _("Blocked") : cb_plan_action_get_label (item->action));
      g_ptr_array_add (nodes, node);
    }
  g_list_store_splice (self->roots, 0, g_list_model_get_n_items (G_LIST_MODEL (self->roots)),
                       nodes->pdata, nodes->len);

  fill_blocked (self);
  update_summary (self);
  update_actions (self);
}

static void
plan_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbSyncPage *self = CB_SYNC_PAGE (source_object);
  g_autoptr(GError) error = NULL;
  CbPlan *plan;

  plan = cb_planner_build_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->plan_cancellable)
    {
      g_clear_pointer (&plan, cb_plan_unref);
      return;
    }

  g_clear_object (&self->plan_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (plan == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not plan the sync: %s"), error->message);

      show_plan (self, NULL);
      gtk_label_set_text (self->plan_summary, text);
      return;
    }

  show_plan (self, plan);
}

static void
check_resumable (CbSyncPage *self)
{
  g_autoptr(GPtrArray) runs = NULL;

  self->resumable_run = 0;
  if (self->db == NULL || self->profile_id == NULL)
    return;

  runs = cb_run_store_list_runs (self->db, self->profile_id, 1, NULL);
  if (runs != NULL && runs->len > 0)
    {
      const CbRun *last = g_ptr_array_index (runs, 0);

      if (last->state == CB_RUN_STATE_CANCELLED || last->state == CB_RUN_STATE_INTERRUPTED)
        self->resumable_run = last->id;
    }
}

static void
refresh (CbSyncPage *self)
{
  g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);

  /* A reload during a run waits: the run's end reloads the window. */
  if (self->runner != NULL && cb_sync_runner_is_running (self->runner))
    return;

  check_resumable (self);

  if (self->db == NULL || self->profile_id == NULL)
    {
      show_plan (self, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "plan");
  gtk_label_set_text (self->plan_summary, _("Planning…"));

  /* Planning reads the whole store: a worker, on a connection of its own. */
  self->plan_cancellable = g_cancellable_new ();
  cb_planner_build_async (self, cb_database_get_path (self->db), self->profile_id,
                          self->plan_cancellable, plan_done_cb, NULL);

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Runs */

static void
show_progress (CbSyncPage           *self,
               const CbSyncProgress *progress)
{
  g_autofree char *stage = cb_sync_progress_describe (progress);
  g_autoptr(GString) detail = g_string_new (NULL);

  gtk_label_set_text (self->progress_stage, stage);

  if (progress->total > 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar,
                                     MIN (1.0, (double) progress->done / progress->total));
      /* Translators: records settled of the run's total */
      g_string_append_printf (detail, _("%u of %u"), progress->done, progress->total);
    }
  else
    gtk_progress_bar_pulse (self->progress_bar);

  if (progress->rate > 0)
    /* Translators: records per second */
    g_string_append_printf (detail, _(" · %.1f/s"), progress->rate);
  if (progress->seconds_left >= 0 && progress->stage == CB_SYNC_STAGE_SENDING)
    {
      guint left = (guint) (progress->seconds_left + 0.5);

      if (left < 60)
        /* Translators: time left, in seconds */
        g_string_append_printf (detail, _(" · about %u s left"), left);
      else
        /* Translators: time left, in minutes */
        g_string_append_printf (detail, _(" · about %u min left"), (left + 59) / 60);
    }
  if (progress->failed > 0)
    g_string_append_printf (detail, ngettext (" · %u failed", " · %u failed", progress->failed),
                            progress->failed);

  gtk_label_set_text (self->progress_detail, detail->str);
}

static void
on_runner_progress_cb (CbSyncRunner         *runner,
                       const CbSyncProgress *progress,
                       CbSyncPage           *self)
{
  show_progress (self, progress);
}

static void
on_runner_item_cb (CbSyncRunner    *runner,
                   const CbRunItem *item,
                   CbSyncPage      *self)
{
  g_autofree char *line = NULL;

  if (item->state == CB_ITEM_STATE_DONE && item->intacct_key != NULL)
    /* Translators: a log line: the record, then its Intacct key */
    line = g_strdup_printf (_("Done: %s → RECORDNO %s"), item->label, item->intacct_key);
  else if (item->error != NULL)
    line = g_strdup_printf ("%s: %s — %s", cb_item_state_get_label (item->state), item->label,
                            item->error);
  else
    line = g_strdup_printf ("%s: %s", cb_item_state_get_label (item->state), item->label);

  append_log (self, line);
}

static void
notify_end (CbSyncPage *self,
            const char *title,
            const char *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *app = g_application_get_default ();

  toast (self, title);

  /* A desktop notification only when the window is not the one being looked at. */
  if (GTK_IS_WINDOW (root) && gtk_window_get_application (GTK_WINDOW (root)) != NULL)
    app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (root)));
  if (app != NULL && (!GTK_IS_WINDOW (root) || !gtk_window_is_active (GTK_WINDOW (root))))
    {
      g_autoptr(GNotification) notification = g_notification_new (title);

      g_notification_set_body (notification, body);
      g_notification_set_default_action_and_target (notification, "app.activate", NULL);
      g_application_send_notification (app, "sync-finished", notification);
    }
}

static void
run_done_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CbSyncPage) self = user_data;
  CbSyncRunner *runner = CB_SYNC_RUNNER (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbRun) run = NULL;
  gint64 run_id;
  CbWindow *window;

  run_id = cb_sync_runner_run_finish (runner, result, &error);
  if (run_id == 0)
    run_id = cb_sync_runner_get_run_id (runner);

  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->log_view == NULL)
    return;   /* the window closed during the run */

  g_clear_object (&self->run_cancellable);

  if (run_id != 0 && self->db != NULL)
    run = cb_run_store_get_run (self->db, run_id, NULL);

  if (error != NULL && !g_error_matches (error, CB_SYNC_ERROR, CB_SYNC_ERROR_CANCELLED) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *line = g_strdup_printf (_("The sync stopped: %s"), error->message);

      append_log (self, line);
      notify_end (self, _("Sync stopped"), error->message);
    }
  else if (run != NULL)
    {
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run->id);

      /* Translators: "Run 12: Succeeded": the run's number, then its state */
      title = g_strdup_printf (_("Run %s: %s"), id, cb_run_state_get_label (run->state));
      /* Translators: a finished run's counts */
      body = g_strdup_printf (_("%u done, %u failed, %u unsure, %u blocked"),
                              run->counts[CB_ITEM_STATE_DONE], run->counts[CB_ITEM_STATE_FAILED],
                              run->counts[CB_ITEM_STATE_UNSURE],
                              run->counts[CB_ITEM_STATE_BLOCKED]);
      append_log (self, title);
      append_log (self, body);
      notify_end (self, title, body);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->progress_box), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  /* Every page shows what the run changed (history, bills' states, this plan). */
  window = get_window (self);
  if (window != NULL)
    cb_window_data_changed (window);
  else
    refresh (self);
}

typedef struct
{
  char     *db_path;
  char     *profile_id;
  RunMode   mode;
  gint64    run_id;
  CbProfile *profile;   /* out */
} ConnectData;

static void
connect_data_free (gpointer data)
{
  ConnectData *cd = data;

  g_free (cd->db_path);
  g_free (cd->profile_id);
  g_clear_pointer (&cd->profile, cb_profile_free);
  g_free (cd);
}

/* Signs in, on a worker thread: the keyring may be slow, the network slower. */
static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ConnectData *cd = task_data;
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbIntacctCredentials) credentials = NULL;
  g_autofree char *user = NULL;
  g_autofree char *sender = NULL;
  CbIntacctClient *client;
  GError *error = NULL;

  db = cb_database_open (cd->db_path, &error);
  if (db != NULL)
    cd->profile = cb_profile_load (db, cd->profile_id, &error);
  if (cd->profile == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (cd->profile->is_demo)
    {
      /* The demo company's credentials are public test values, not secrets. */
      user = g_strdup (CB_SANDBOX_USER_SECRET);
      sender = g_strdup (CB_SANDBOX_SENDER_SECRET);
    }
  else
    {
      user = cb_secret_store_lookup (cd->profile_id, CB_SECRET_USER_PASSWORD, cancellable, &error);
      if (error == NULL)
        sender = cb_secret_store_lookup (cd->profile_id, CB_SECRET_SENDER_PASSWORD, cancellable,
                                         &error);
      if (error == NULL && (user == NULL || sender == NULL))
        error = g_error_new (CB_SECRET_ERROR, CB_SECRET_ERROR_FAILED,
                             _("The keyring holds no passwords for “%s”: enter them again on the Connection page."),
                             cd->profile->name);
    }

  if (error == NULL)
    {
      credentials = cb_connection_credentials (cd->profile, user, sender);
      client = cb_connection_test (credentials, cancellable, &error);
      if (client != NULL)
        {
          g_task_return_pointer (task, client, g_object_unref);
          goto out;
        }
    }

  g_task_return_error (task, error);

out:
  if (user != NULL)
    memset (user, 0, strlen (user));
  if (sender != NULL)
    memset (sender, 0, strlen (sender));
}

static void
connect_done_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CbSyncPage *self = CB_SYNC_PAGE (source_object);
  ConnectData *cd = g_task_get_task_data (G_TASK (result));
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(GError) error = NULL;

  self->connecting = FALSE;
  client = g_task_propagate_pointer (G_TASK (result), &error);

  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->log_view == NULL)
    return;

  if (client == NULL)
    {
      g_autofree char *line = NULL;

      gtk_widget_set_visible (GTK_WIDGET (self->progress_box), FALSE);
      g_clear_object (&self->run_cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      update_actions (self);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          append_log (self, _("Cancelled before anything was sent."));
          return;
        }

      if (error->domain == CB_SECRET_ERROR)
        line = g_strdup (error->message);
      else
        {
          g_autoptr(CbConnectDiagnosis) diagnosis = cb_connect_diagnose (error);

          line = g_strdup_printf ("%s %s", diagnosis->title, diagnosis->advice ? diagnosis->advice : "");
        }
      /* Translators: %s says why */
      append_log (self, line);
      notify_end (self, _("Could not connect to Intacct"), line);
      return;
    }

  append_log (self, _("Connected to Intacct."));

  g_clear_object (&self->runner);
  self->runner = cb_sync_runner_new (cd->db_path, cd->profile, client);
  g_signal_connect_object (self->runner, "progress", G_CALLBACK (on_runner_progress_cb), self, 0);
  g_signal_connect_object (self->runner, "item", G_CALLBACK (on_runner_item_cb), self, 0);

  switch (cd->mode)
    {
    case RUN_RESUME:
      cb_sync_runner_resume_async (self->runner, cd->run_id, self->run_cancellable,
                                   run_done_cb, g_object_ref (self));
      break;
    case RUN_RETRY:
      cb_sync_runner_retry_failed_async (self->runner, cd->run_id, self->run_cancellable,
                                         run_done_cb, g_object_ref (self));
      break;
    case RUN_NEW:
    default:
      cb_sync_runner_run_async (self->runner, self->plan, self->run_cancellable,
                                run_done_cb, g_object_ref (self));
      break;
    }

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
start_run (CbSyncPage *self,
           RunMode     mode,
           gint64      run_id)
{
  g_autoptr(GTask) task = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->log_view);
  ConnectData *cd;

  if (cb_sync_page_get_busy (self) || self->db == NULL || self->profile_id == NULL)
    return;
  if (mode == RUN_NEW && self->plan == NULL)
    return;

  gtk_text_buffer_set_text (buffer, "", -1);
  self->log_lines = 0;
  append_log (self, mode == RUN_RESUME ? _("Resuming the interrupted run…")
                    : mode == RUN_RETRY ? _("Retrying the failed records…")
                    : _("Starting the sync…"));

  gtk_label_set_text (self->progress_stage, _("Connecting to Intacct…"));
  gtk_label_set_text (self->progress_detail, "");
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_box), TRUE);
  gtk_stack_set_visible_child_name (self->views, "log");

  self->run_cancellable = g_cancellable_new ();
  self->connecting = TRUE;

  cd = g_new0 (ConnectData, 1);
  cd->db_path = g_strdup (cb_database_get_path (self->db));
  cd->profile_id = g_strdup (self->profile_id);
  cd->mode = mode;
  cd->run_id = run_id;

  task = g_task_new (self, self->run_cancellable, connect_done_cb, NULL);
  g_task_set_source_tag (task, start_run);
  g_task_set_task_data (task, cd, connect_data_free);
  g_task_run_in_thread (task, connect_thread);

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Actions */

static void
plan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  refresh (CB_SYNC_PAGE (widget));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  start_run (CB_SYNC_PAGE (widget), RUN_NEW, 0);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbSyncPage *self = CB_SYNC_PAGE (widget);

  if (self->resumable_run > 0)
    start_run (self, RUN_RESUME, self->resumable_run);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbSyncPage *self = CB_SYNC_PAGE (widget);

  append_log (self, _("Cancelling after the current batch…"));
  g_cancellable_cancel (self->run_cancellable);
  if (self->runner != NULL)
    cb_sync_runner_cancel (self->runner);
}

/* Preview rows */

static void
on_preview_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);
  GtkWidget *badge = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (title), 28);
  gtk_label_set_xalign (GTK_LABEL (value), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "dim-label");
  gtk_widget_add_css_class (badge, "caption-heading");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_end (box, 12);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
on_preview_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  CbPreviewNode *node = gtk_tree_list_row_get_item (row);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (title);
  GtkWidget *badge = gtk_widget_get_next_sibling (value);
  gboolean is_item = node->item != NULL && node->line < 0;

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (title), node->title);
  gtk_label_set_text (GTK_LABEL (value), node->value != NULL ? node->value : "");
  gtk_label_set_text (GTK_LABEL (badge), node->badge != NULL ? node->badge : "");
  gtk_widget_set_visible (badge, node->badge != NULL);
  gtk_widget_set_tooltip_text (value, node->value);

  if (is_item)
    gtk_widget_add_css_class (title, "heading");
  else
    gtk_widget_remove_css_class (title, "heading");
  if (node->blocked)
    {
      gtk_widget_add_css_class (badge, "error");
      gtk_widget_add_css_class (value, "error");
    }
  else
    {
      gtk_widget_remove_css_class (badge, "error");
      gtk_widget_remove_css_class (value, "error");
    }

  g_object_unref (node);
}

/* CbPage */

static void
cb_sync_page_set_profile (CbPage     *page,
                          CbDatabase *db,
                          const char *profile_id)
{
  CbSyncPage *self = CB_SYNC_PAGE (page);

  if (g_strcmp0 (profile_id, self->profile_id) != 0 || db != self->db)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->log_view);

      /* Another company: stop whatever this page was doing for the last one. */
      g_cancellable_cancel (self->run_cancellable);
      if (self->runner != NULL)
        cb_sync_runner_cancel (self->runner);
      gtk_text_buffer_set_text (buffer, "", -1);
      self->log_lines = 0;
    }

  g_set_object (&self->db, db);
  g_free (self->profile_id);
  self->profile_id = g_strdup (profile_id);
  refresh (self);
}

static void
cb_sync_page_reload (CbPage *page)
{
  refresh (CB_SYNC_PAGE (page));
}

static const char *
cb_sync_page_get_summary (CbPage *page)
{
  return CB_SYNC_PAGE (page)->summary;
}

static void
cb_sync_page_page_iface_init (CbPageInterface *iface)
{
  iface->set_profile = cb_sync_page_set_profile;
  iface->reload = cb_sync_page_reload;
  iface->get_summary = cb_sync_page_get_summary;
}

static void
cb_sync_page_dispose (GObject *object)
{
  CbSyncPage *self = CB_SYNC_PAGE (object);

  g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);
  g_cancellable_cancel (self->run_cancellable);
  if (self->runner != NULL)
    cb_sync_runner_cancel (self->runner);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_SYNC_PAGE);
  g_clear_object (&self->roots);
  g_clear_pointer (&self->plan, cb_plan_unref);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (cb_sync_page_parent_class)->dispose (object);
}

static void
cb_sync_page_finalize (GObject *object)
{
  CbSyncPage *self = CB_SYNC_PAGE (object);

  g_clear_object (&self->runner);
  g_clear_object (&self->run_cancellable);
  g_free (self->profile_id);
  g_free (self->summary);

  G_OBJECT_CLASS (cb_sync_page_parent_class)->finalize (object);
}

static void
cb_sync_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CbSyncPage *self = CB_SYNC_PAGE (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, cb_sync_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_sync_page_class_init (CbSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_sync_page_dispose;
  object_class->finalize = cb_sync_page_finalize;
  object_class->get_property = cb_sync_page_get_property;
  g_object_class_override_property (object_class, PROP_SUMMARY, "summary");

  /**
   * CbSyncPage:busy:
   *
   * Planning, connecting or running.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_BUSY, properties[PROP_BUSY]);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/costbridge/Costbridge/ui/cb-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, plan_summary);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, create_count);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, update_count);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, blocked_count);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, progress_stage);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, progress_detail);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, views);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, preview_view);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, blocked_list);
  gtk_widget_class_bind_template_child (widget_class, CbSyncPage, log_view);

  gtk_widget_class_install_action (widget_class, "sync.plan", NULL, plan_action);
  gtk_widget_class_install_action (widget_class, "sync.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "sync.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "sync.cancel", NULL, cancel_action);
}

static void
cb_sync_page_init (CbSyncPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkTreeListModel *tree;
  g_autoptr(GtkSingleSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->roots = g_list_store_new (CB_TYPE_PREVIEW_NODE);
  tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->roots)), FALSE, FALSE,
                                  create_children, NULL, NULL);
  selection = gtk_single_selection_new (G_LIST_MODEL (tree));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  g_signal_connect (factory, "setup", G_CALLBACK (on_preview_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_preview_bind_cb), NULL);
  gtk_list_view_set_factory (self->preview_view, factory);
  gtk_list_view_set_model (self->preview_view, GTK_SELECTION_MODEL (selection));

  refresh (self);
}

GtkWidget *
cb_sync_page_new (void)
{
  return g_object_new (CB_TYPE_SYNC_PAGE, NULL);
}

gboolean
cb_sync_page_get_busy (CbSyncPage *self)
{
  g_return_val_if_fail (CB_IS_SYNC_PAGE (self), FALSE);

  return self->plan_cancellable != NULL || self->connecting ||
         (self->runner != NULL && cb_sync_runner_is_running (self->runner));
}

CbPlan *
cb_sync_page_get_plan (CbSyncPage *self)
{
  g_return_val_if_fail (CB_IS_SYNC_PAGE (self), NULL);

  return self->plan;
}

void
cb_sync_page_retry_run (CbSyncPage *self,
                        gint64      run_id)
{
  g_return_if_fail (CB_IS_SYNC_PAGE (self));
  g_return_if_fail (run_id > 0);

  start_run (self, RUN_RETRY, run_id);
}
