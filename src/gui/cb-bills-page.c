/* cb-bills-page.c: see cb-bills-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is a GtkColumnView over a paged GListModel (CbBillsModel, private to this
 * file): it knows how many bills match the search (cb_job_store_count) and loads them
 * from the store a page at a time, only when the view asks for a row, so a company with a
 * hundred thousand bills costs a few hundred rows of memory. Vendor names are looked up
 * once per vendor. Selecting a bill loads it with its lines into the detail pane.
 *
 * The Intacct column says where each bill stands: the run store answers for a whole page
 * in one query as the page loads (posted with its RECORDNO and date, failed with the
 * error, unsure, blocked in the last run, or not synced). Whether a posted bill changed
 * since, and whether an unsynced one is blocked, is what the planner decides: it runs in
 * a worker thread (its own database connection) when the page is shown or reloaded, and
 * the rows already loaded update when it answers.
 */

#define G_LOG_DOMAIN "cb-bills-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-bills-page.h"

#include "cb-job-store.h"
#include "cb-planner.h"
#include "cb-profile.h"
#include "cb-run-store.h"

#define PAGE_SIZE 200
#define MAX_CACHED_PAGES 16

/* One row of the list: a bill without its lines. */

#define CB_TYPE_BILL_ITEM (cb_bill_item_get_type ())
G_DECLARE_FINAL_TYPE (CbBillItem, cb_bill_item, CB, BILL_ITEM, GObject)

struct _CbBillItem
{
  GObject  parent_instance;

  char    *id;
  char    *number;
  char    *vendor;      /* the vendor's name, or its ID when unknown */
  char    *date;
  char    *total;       /* formatted */
  char    *lines;       /* how many, formatted */
  char    *state;       /* where it stands in Intacct, in words ("state" property) */
  const char *style;    /* "success", "warning", "error" or NULL, for the state */
  CbRecordStatus *status; /* from the run store, or NULL when no run had it */
};

G_DEFINE_FINAL_TYPE (CbBillItem, cb_bill_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_STATE,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static void
cb_bill_item_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  if (prop_id == ITEM_PROP_STATE)
    g_value_set_string (value, CB_BILL_ITEM (object)->state);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cb_bill_item_finalize (GObject *object)
{
  CbBillItem *self = CB_BILL_ITEM (object);

  g_free (self->id);
  g_free (self->number);
  g_free (self->vendor);
  g_free (self->date);
  g_free (self->total);
  g_free (self->lines);
  g_free (self->state);
  g_clear_pointer (&self->status, cb_record_status_free);

  G_OBJECT_CLASS (cb_bill_item_parent_class)->finalize (object);
}

static void
cb_bill_item_class_init (CbBillItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_bill_item_finalize;
  object_class->get_property = cb_bill_item_get_property;
  item_properties[ITEM_PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
cb_bill_item_init (CbBillItem *self)
{
}

/* The paged model. */

#define CB_TYPE_BILLS_MODEL (cb_bills_model_get_type ())
G_DECLARE_FINAL_TYPE (CbBillsModel, cb_bills_model, CB, BILLS_MODEL, GObject)

struct _CbBillsModel
{
  GObject     parent_instance;

  CbDatabase *db;
  char       *profile_id;
  char       *search;
  guint       n_items;
  GHashTable *pages;      /* page number → GPtrArray of CbBillItem */
  GQueue      page_order; /* page numbers, most recently loaded last */
  GHashTable *vendors;    /* vendor id → name */
  GHashTable *plan;       /* bill item key → PlanInfo, or NULL until the planner answers */
};

/* What the planner would do with a bill. */
typedef struct
{
  gboolean  update;    /* it writes the bill again: it changed since it was synced */
  char     *blocked;   /* why it cannot go, or NULL */
} PlanInfo;

static void
plan_info_free (PlanInfo *info)
{
  g_free (info->blocked);
  g_free (info);
}

static void cb_bills_model_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbBillsModel, cb_bills_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cb_bills_model_list_model_iface_init))

static const char *
lookup_vendor (CbBillsModel *self,
               const char   *vendor_id)
{
  const char *name;

  if (vendor_id == NULL)
    return NULL;

  if (!g_hash_table_lookup_extended (self->vendors, vendor_id, NULL, (gpointer *) &name))
    {
      g_autoptr(CbJobRecord) vendor = NULL;

      vendor = cb_job_store_find (self->db, self->profile_id, CB_JOB_KIND_VENDOR, vendor_id, NULL);
      name = vendor != NULL && vendor->name != NULL ? vendor->name : NULL;
      g_hash_table_insert (self->vendors, g_strdup (vendor_id), g_strdup (name));
      name = g_hash_table_lookup (self->vendors, vendor_id);
    }

  return name != NULL ? name : vendor_id;
}

/* Where the bill stands in Intacct, in words, from the run store and the plan. */
static void
describe_state (CbBillItem *item,
                GHashTable *plan)
{
  const CbRecordStatus *status = item->status;
  g_autofree char *key = g_strdup_printf ("bill:%s", item->id);
  PlanInfo *info = plan != NULL ? g_hash_table_lookup (plan, key) : NULL;
  char *text = NULL;

  item->style = NULL;
  if (status != NULL && status->last_state == CB_ITEM_STATE_FAILED)
    {
      item->style = "error";
      if (status->last_error != NULL && *status->last_error != '\0')
        /* Translators: a bill's state in Intacct; %s is Intacct's error, in words */
        text = g_strdup_printf (_("Failed: %s"), status->last_error);
      else
        text = g_strdup (_("Failed"));
    }
  else if (status != NULL && (status->last_state == CB_ITEM_STATE_UNSURE ||
                              status->last_state == CB_ITEM_STATE_SENDING))
    {
      item->style = "warning";
      /* Translators: a bill's state in Intacct when the answer to a sync never came */
      text = g_strdup (_("Unsure: the next sync looks it up in Intacct before sending it again"));
    }
  else if (status != NULL && status->intacct_key != NULL)
    {
      if (info != NULL && info->update)
        {
          item->style = "warning";
          /* Translators: a bill's state in Intacct; %s is its Intacct record number */
          text = g_strdup_printf (_("Changed since sync · RECORDNO %s"), status->intacct_key);
        }
      else
        {
          g_autoptr(GDateTime) local = status->synced != NULL ? g_date_time_to_local (status->synced) : NULL;
          g_autofree char *date = local != NULL ? g_date_time_format (local, "%Y-%m-%d") : g_strdup ("—");

          item->style = "success";
          /* Translators: a bill's state in Intacct: its Intacct record number, then the
           * date it was last synced */
          text = g_strdup_printf (_("Posted · RECORDNO %s · %s"), status->intacct_key, date);
        }
    }
  else if (info != NULL && info->blocked != NULL)
    {
      item->style = "warning";
      /* Translators: a bill's state in Intacct; %s says why it cannot be synced */
      text = g_strdup_printf (_("Blocked: %s"), info->blocked);
    }
  else if (status != NULL && status->last_state == CB_ITEM_STATE_BLOCKED && plan == NULL)
    {
      item->style = "warning";
      text = g_strdup_printf (_("Blocked: %s"),
                              status->last_error != NULL ? status->last_error : "—");
    }
  else
    /* Translators: a bill's state in Intacct */
    text = g_strdup (_("Not synced"));

  if (g_strcmp0 (text, item->state) == 0)
    {
      g_free (text);
      return;
    }
  g_free (item->state);
  item->state = text;
  g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_STATE]);
}

/* The statuses of a page's bills, in one query. */
static void
load_statuses (CbBillsModel *self,
               GPtrArray    *items)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) statuses = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (keys, g_strdup_printf ("bill:%s", ((CbBillItem *) g_ptr_array_index (items, i))->id));

  statuses = cb_run_store_get_statuses (self->db, self->profile_id,
                                        (const char * const *) keys->pdata, keys->len, &error);
  if (statuses == NULL)
    g_warning ("Could not load the bills’ sync states: %s", error->message);

  for (guint i = 0; i < items->len; i++)
    {
      CbBillItem *item = g_ptr_array_index (items, i);

      g_autofree char *key = NULL;

      if (statuses != NULL)
        g_hash_table_steal_extended (statuses, g_ptr_array_index (keys, i), (gpointer *) &key,
                                     (gpointer *) &item->status);
      describe_state (item, self->plan);
    }
}

static GPtrArray *
load_page (CbBillsModel *self,
           guint         page)
{
  CbJobQuery query = { 0, };
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  query.search = self->search;
  query.with_lines = TRUE;
  query.offset = page * PAGE_SIZE;
  query.limit = PAGE_SIZE;

  records = cb_job_store_list (self->db, self->profile_id, CB_JOB_KIND_BILL, &query, &error);
  if (records == NULL)
    {
      g_warning ("Could not load bills: %s", error->message);
      records = g_ptr_array_new ();
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < records->len; i++)
    {
      const CbJobRecord *record = g_ptr_array_index (records, i);
      CbBillItem *item = g_object_new (CB_TYPE_BILL_ITEM, NULL);
      guint n_lines = record->lines != NULL ? record->lines->len : 0;

      item->id = g_strdup (record->id);
      item->number = g_strdup (record->code);
      item->vendor = g_strdup (lookup_vendor (self, cb_job_record_get (record, "vendor_id")));
      item->date = g_strdup (cb_job_record_get (record, "date"));
      item->total = cb_job_format_amount (cb_job_record_total_cents (record));
      item->lines = g_strdup_printf ("%u", n_lines);
      g_ptr_array_add (items, item);
    }
  load_statuses (self, items);

  /* Keep a bounded number of pages. */
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
  g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (page));
  while (g_queue_get_length (&self->page_order) > MAX_CACHED_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_head (&self->page_order));

  return items;
}

static GType
cb_bills_model_get_item_type (GListModel *model)
{
  return CB_TYPE_BILL_ITEM;
}

static guint
cb_bills_model_get_n_items (GListModel *model)
{
  return CB_BILLS_MODEL (model)->n_items;
}

static gpointer
cb_bills_model_get_item (GListModel *model,
                         guint       position)
{
  CbBillsModel *self = CB_BILLS_MODEL (model);
  guint page = position / PAGE_SIZE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL)
    items = load_page (self, page);

  if (position % PAGE_SIZE >= items->len)
    return NULL;   /* the store changed under us; a reload follows */

  return g_object_ref (g_ptr_array_index (items, position % PAGE_SIZE));
}

static void
cb_bills_model_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cb_bills_model_get_item_type;
  iface->get_n_items = cb_bills_model_get_n_items;
  iface->get_item = cb_bills_model_get_item;
}

static void
cb_bills_model_finalize (GObject *object)
{
  CbBillsModel *self = CB_BILLS_MODEL (object);

  g_clear_object (&self->db);
  g_free (self->profile_id);
  g_free (self->search);
  g_hash_table_unref (self->pages);
  g_queue_clear (&self->page_order);
  g_hash_table_unref (self->vendors);
  g_clear_pointer (&self->plan, g_hash_table_unref);

  G_OBJECT_CLASS (cb_bills_model_parent_class)->finalize (object);
}

static void
cb_bills_model_class_init (CbBillsModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_bills_model_finalize;
}

static void
cb_bills_model_init (CbBillsModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->vendors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->page_order);
}

/* Forgets what was loaded and counts again; tells the view once. */
static void
cb_bills_model_reset (CbBillsModel *self,
                      CbDatabase   *db,
                      const char   *profile_id,
                      const char   *search)
{
  guint old = self->n_items;
  CbJobQuery query = { 0, };

  g_set_object (&self->db, db);
  if (profile_id != self->profile_id)
    {
      g_free (self->profile_id);
      self->profile_id = g_strdup (profile_id);
    }
  g_free (self->search);
  self->search = search != NULL && *search != '\0' ? g_strdup (search) : NULL;

  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->page_order);
  g_hash_table_remove_all (self->vendors);

  query.search = self->search;
  self->n_items = 0;
  if (self->db != NULL && self->profile_id != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->n_items = cb_job_store_count (self->db, self->profile_id, CB_JOB_KIND_BILL,
                                          &query, &error);
      if (error != NULL)
        g_warning ("Could not count bills: %s", error->message);
    }

  if (old != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
}

/* Takes @plan (bill item key → PlanInfo; NULL: unknown) and describes the loaded rows
 * again; their cells follow the "state" property. */
static void
cb_bills_model_set_plan (CbBillsModel *self,
                         GHashTable   *plan)
{
  GHashTableIter iter;
  GPtrArray *items;

  g_clear_pointer (&self->plan, g_hash_table_unref);
  self->plan = plan;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &items))
    for (guint i = 0; i < items->len; i++)
      describe_state (g_ptr_array_index (items, i), self->plan);
}

/* What the planner would do with each bill: bill key → PlanInfo. */
static GHashTable *
plan_bills (CbPlan *plan)
{
  GHashTable *bills = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) plan_info_free);
  GPtrArray *items = cb_plan_get_items (plan);

  for (guint i = 0; i < items->len; i++)
    {
      const CbPlanItem *item = g_ptr_array_index (items, i);
      PlanInfo *info;

      if (item->kind != CB_PLAN_KIND_BILL || item->key == NULL)
        continue;
      info = g_new0 (PlanInfo, 1);
      info->update = !item->blocked && item->action == CB_PLAN_ACTION_UPDATE;
      info->blocked = item->blocked ? g_strdup (item->blocked_reason) : NULL;
      g_hash_table_replace (bills, g_strdup (item->key), info);
    }

  return bills;
}

/* The page */

struct _CbBillsPage
{
  AdwBin              parent_instance;

  CbDatabase         *db;
  char               *profile_id;
  char               *summary;
  guint               total;          /* every bill of the profile, without the search */
  CbBillsModel       *model;
  GtkSingleSelection *selection;
  GCancellable       *plan_cancellable;

  /* Template children */
  GtkStack           *stack;
  AdwStatusPage      *empty_status;
  GtkSearchEntry     *search_entry;
  GtkLabel           *count_label;
  GtkColumnView      *bills_view;
  GtkStack           *detail_stack;
  GtkLabel           *detail_title;
  GtkLabel           *detail_subtitle;
  GtkLabel           *detail_state;
  GtkGrid            *lines_grid;
};

static void cb_bills_page_page_iface_init (CbPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbBillsPage, cb_bills_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (CB_TYPE_PAGE, cb_bills_page_page_iface_init))

enum {
  PROP_0,
  PROP_SUMMARY,
  N_PROPS
};

/* Column factories: a label filled from one field of the item. */

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "cb-numeric"));

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  CbBillItem *item = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  gsize offset = GPOINTER_TO_SIZE (user_data);
  const char *text = G_STRUCT_MEMBER (const char *, item, offset);

  gtk_label_set_text (label, text != NULL ? text : "—");
}

static void
add_column (GtkColumnView *view,
            const char    *title,
            gsize          offset,
            gboolean       numeric,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_object_set_data (G_OBJECT (factory), "cb-numeric", GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), GSIZE_TO_POINTER (offset));

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (view, column);
}

/* The Intacct column: its label follows the item's "state" property. */

static void
sync_state_label (CbBillItem *item,
                  GParamSpec *pspec,
                  GtkLabel   *label)
{
  static const char * const styles[] = { "success", "warning", "error" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), styles[i]);
  if (item->style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), item->style);
  gtk_label_set_text (label, item->state != NULL ? item->state : "—");
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), item->state);
}

static void
on_state_bind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  CbBillItem *item = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));

  sync_state_label (item, NULL, label);
  g_signal_connect_object (item, "notify::state", G_CALLBACK (sync_state_label), label, 0);
}

static void
on_state_unbind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  user_data)
{
  CbBillItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, sync_state_label,
                                          gtk_list_item_get_child (list_item));
}

static void
add_state_column (GtkColumnView *view,
                  const char    *title)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_state_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_state_unbind_cb), NULL);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_fixed_width (column, 180);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (view, column);
}

static void
update_summary (CbBillsPage *self)
{
  g_autofree char *summary = NULL;

  if (self->profile_id != NULL && self->total > 0)
    summary = g_strdup_printf ("%u", self->total);

  if (g_strcmp0 (summary, self->summary) == 0)
    return;

  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  cb_page_summary_changed (CB_PAGE (self));
}

static void
clear_lines (CbBillsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lines_grid))) != NULL)
    gtk_grid_remove (self->lines_grid, child);
}

static void
attach_cell (CbBillsPage *self,
             const char  *text,
             int          column,
             int          row,
             gboolean     numeric)
{
  GtkWidget *label = gtk_label_new (text != NULL && *text != '\0' ? text : "—");

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), row > 0);
  gtk_widget_set_margin_start (label, column == 0 ? 12 : 0);
  gtk_widget_set_margin_end (label, column == 4 ? 12 : 0);
  gtk_widget_set_margin_top (label, row == 0 ? 8 : 0);
  if (row == 0)
    gtk_widget_add_css_class (label, "caption-heading");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (self->lines_grid, label, column, row, 1, 1);
}

/* A job-side ID shown with its number or code when the store knows it: "J-1001 (job-7)". */
static char *
describe_ref (CbBillsPage *self,
              CbJobKind    kind,
              const char  *id)
{
  g_autoptr(CbJobRecord) record = NULL;

  if (id == NULL)
    return NULL;

  record = cb_job_store_find (self->db, self->profile_id, kind, id, NULL);
  if (record == NULL || record->code == NULL || g_strcmp0 (record->code, id) == 0)
    return g_strdup (id);

  return g_strdup_printf ("%s (%s)", record->code, id);
}

static void
show_bill (CbBillsPage *self,
           CbBillItem  *item)
{
  g_autoptr(CbJobRecord) bill = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *total = NULL;
  const char *due, *currency, *memo;
  guint last_row;

  clear_lines (self);

  if (item == NULL || self->db == NULL || self->profile_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }

  bill = cb_job_store_find (self->db, self->profile_id, CB_JOB_KIND_BILL, item->id, &error);
  if (bill == NULL)
    {
      if (error != NULL)
        g_warning ("Could not load bill %s: %s", item->id, error->message);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }

  /* Translators: a bill's heading: its number, then its vendor */
  title = g_strdup_printf (_("Bill %s · %s"), item->number, item->vendor);
  gtk_label_set_text (self->detail_title, title);

  /* Translators: %s is a date */
  g_string_append_printf (subtitle, _("Dated %s"), item->date != NULL ? item->date : "—");
  due = cb_job_record_get (bill, "due_date");
  if (due != NULL)
    /* Translators: %s is a date */
    g_string_append_printf (subtitle, _(", due %s"), due);
  currency = cb_job_record_get (bill, "currency");
  total = cb_job_format_amount (cb_job_record_total_cents (bill));
  /* Translators: the bill's total, then its currency code (USD) */
  g_string_append_printf (subtitle, _(" · total %s %s"), total, currency != NULL ? currency : "");
  memo = cb_job_record_get (bill, "memo");
  if (memo != NULL)
    g_string_append_printf (subtitle, "\n%s", memo);
  /* Translators: %s is the job-side ID of a bill */
  g_string_append_printf (subtitle, _("\nJob-side ID %s"), bill->id);
  gtk_label_set_text (self->detail_subtitle, subtitle->str);

  sync_state_label (item, NULL, self->detail_state);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_state), item->state != NULL);

  attach_cell (self, _("Job"), 0, 0, FALSE);
  attach_cell (self, _("Cost code"), 1, 0, FALSE);
  attach_cell (self, _("Cost type"), 2, 0, FALSE);
  attach_cell (self, _("Memo"), 3, 0, FALSE);
  attach_cell (self, _("Amount"), 4, 0, TRUE);

  for (guint i = 0; bill->lines != NULL && i < bill->lines->len; i++)
    {
      const CbJobLine *line = g_ptr_array_index (bill->lines, i);
      g_autofree char *job = describe_ref (self, CB_JOB_KIND_JOB, line->job_id);
      g_autofree char *code = describe_ref (self, CB_JOB_KIND_COST_CODE, line->cost_code_id);
      g_autofree char *type = describe_ref (self, CB_JOB_KIND_COST_TYPE, line->cost_type_id);
      g_autofree char *amount = cb_job_format_amount (line->amount_cents);

      attach_cell (self, job, 0, i + 1, FALSE);
      attach_cell (self, code, 1, i + 1, FALSE);
      attach_cell (self, type, 2, i + 1, FALSE);
      attach_cell (self, line->memo, 3, i + 1, FALSE);
      attach_cell (self, amount, 4, i + 1, TRUE);
    }

  last_row = bill->lines != NULL ? bill->lines->len : 0;
  /* A little room under the last line, inside the card. */
  gtk_widget_set_margin_bottom (gtk_grid_get_child_at (self->lines_grid, 0, last_row), 8);

  gtk_stack_set_visible_child_name (self->detail_stack, "bill");
}

static void
on_selection_changed_cb (GtkSingleSelection *selection,
                         guint               position,
                         guint               n_items,
                         CbBillsPage        *self)
{
  show_bill (self, gtk_single_selection_get_selected_item (selection));
}

static void
update_count (CbBillsPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *text = NULL;

  if (shown == self->total)
    text = g_strdup_printf (ngettext ("%u bill", "%u bills", self->total), self->total);
  else
    /* Translators: bills matching the search, of all bills */
    text = g_strdup_printf (ngettext ("%u of %u bill", "%u of %u bills", self->total),
                            shown, self->total);
  gtk_label_set_text (self->count_label, text);
}

static void
plan_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbBillsPage *self = CB_BILLS_PAGE (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPlan) plan = NULL;
  CbBillItem *selected;

  plan = cb_planner_build_finish (result, &error);
  if (g_task_get_cancellable (G_TASK (result)) != self->plan_cancellable)
    return;
  g_clear_object (&self->plan_cancellable);

  if (plan == NULL)
    {
      /* The states the run store gives stay; only "changed" and "blocked" are unknown. */
      g_warning ("Could not plan the bills: %s", error->message);
      return;
    }

  cb_bills_model_set_plan (self->model, plan_bills (plan));
  selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected != NULL)
    sync_state_label (selected, NULL, self->detail_state);
}

/* Asks the planner, in a worker, what it would do with each bill. */
static void
start_plan (CbBillsPage *self)
{
  g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);
  cb_bills_model_set_plan (self->model, NULL);

  if (self->db == NULL || self->profile_id == NULL || self->total == 0)
    return;

  self->plan_cancellable = g_cancellable_new ();
  cb_planner_build_async (self, cb_database_get_path (self->db), self->profile_id,
                          self->plan_cancellable, plan_done_cb, NULL);
}

static void
refresh (CbBillsPage *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  self->total = 0;
  if (self->db != NULL && self->profile_id != NULL)
    self->total = cb_job_store_count (self->db, self->profile_id, CB_JOB_KIND_BILL, NULL, NULL);

  cb_bills_model_reset (self->model, self->db, self->profile_id, search);
  gtk_stack_set_visible_child_name (self->stack, self->total > 0 ? "list" : "empty");
  if (self->profile_id == NULL)
    adw_status_page_set_description (self->empty_status,
                                     _("Connect a company first, then import its bills."));
  else
    adw_status_page_set_description (self->empty_status,
                                     _("Import the bills your job-management system exports (Ctrl+I) to review them here before they go to Intacct."));
  update_count (self);
  update_summary (self);
  show_bill (self, gtk_single_selection_get_selected_item (self->selection));
}

static void
cb_bills_page_search_changed_cb (CbBillsPage *self)
{
  refresh (self);
}

static void
cb_bills_page_set_profile (CbPage     *page,
                           CbDatabase *db,
                           const char *profile_id)
{
  CbBillsPage *self = CB_BILLS_PAGE (page);

  g_set_object (&self->db, db);
  g_free (self->profile_id);
  self->profile_id = g_strdup (profile_id);
  /* Stale answers of the last profile must not reach this one's rows. */
  g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);
  cb_bills_model_set_plan (self->model, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  refresh (self);
  start_plan (self);
}

static void
cb_bills_page_reload (CbPage *page)
{
  CbBillsPage *self = CB_BILLS_PAGE (page);

  cb_bills_model_set_plan (self->model, NULL);
  refresh (self);
  start_plan (self);
}

static const char *
cb_bills_page_get_summary (CbPage *page)
{
  return CB_BILLS_PAGE (page)->summary;
}

static void
cb_bills_page_page_iface_init (CbPageInterface *iface)
{
  iface->set_profile = cb_bills_page_set_profile;
  iface->reload = cb_bills_page_reload;
  iface->get_summary = cb_bills_page_get_summary;
}

static void
cb_bills_page_dispose (GObject *object)
{
  CbBillsPage *self = CB_BILLS_PAGE (object);

  /* The template's root is the bin's child: drop it first, or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_BILLS_PAGE);
  g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (cb_bills_page_parent_class)->dispose (object);
}

static void
cb_bills_page_finalize (GObject *object)
{
  CbBillsPage *self = CB_BILLS_PAGE (object);

  g_free (self->profile_id);
  g_free (self->summary);

  G_OBJECT_CLASS (cb_bills_page_parent_class)->finalize (object);
}

static void
cb_bills_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  if (prop_id == PROP_SUMMARY)
    g_value_set_string (value, CB_BILLS_PAGE (object)->summary);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cb_bills_page_class_init (CbBillsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_bills_page_dispose;
  object_class->finalize = cb_bills_page_finalize;
  object_class->get_property = cb_bills_page_get_property;
  g_object_class_override_property (object_class, PROP_SUMMARY, "summary");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/costbridge/Costbridge/ui/cb-bills-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, bills_view);
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, detail_subtitle);
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, detail_state);
  gtk_widget_class_bind_template_child (widget_class, CbBillsPage, lines_grid);
  gtk_widget_class_bind_template_callback (widget_class, cb_bills_page_search_changed_cb);
}

static void
cb_bills_page_init (CbBillsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->model = g_object_new (CB_TYPE_BILLS_MODEL, NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, 0);
  gtk_column_view_set_model (self->bills_view, GTK_SELECTION_MODEL (self->selection));

  add_column (self->bills_view, _("Number"), G_STRUCT_OFFSET (CbBillItem, number), FALSE, FALSE);
  add_column (self->bills_view, _("Vendor"), G_STRUCT_OFFSET (CbBillItem, vendor), FALSE, TRUE);
  add_column (self->bills_view, _("Date"), G_STRUCT_OFFSET (CbBillItem, date), FALSE, FALSE);
  add_column (self->bills_view, _("Total"), G_STRUCT_OFFSET (CbBillItem, total), TRUE, FALSE);
  add_column (self->bills_view, _("Lines"), G_STRUCT_OFFSET (CbBillItem, lines), TRUE, FALSE);
  add_state_column (self->bills_view, _("Intacct"));

  refresh (self);
}

GtkWidget *
cb_bills_page_new (void)
{
  return g_object_new (CB_TYPE_BILLS_PAGE, NULL);
}
