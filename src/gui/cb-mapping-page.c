/* cb-mapping-page.c: see cb-mapping-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-mapping-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-intacct-cache.h"
#include "cb-mapping-model.h"
#include "cb-mapping-page.h"
#include "cb-mapping-picker.h"
#include "cb-window.h"

static const char *
cb_mapping_how_label (CbMappingHow how)
{
  switch (how)
    {
    case CB_MAPPING_HOW_MANUAL: return _("manual");
    case CB_MAPPING_HOW_AUTO: return _("automatic");
    case CB_MAPPING_HOW_IMPORTED: return _("imported");
    case CB_MAPPING_HOW_SYNC: return _("by sync");
    case CB_MAPPING_HOW_NONE:
    default:
      return "";
    }
}

#define N_FILTERS 6

struct _CbMappingPage
{
  AdwBin           parent_instance;

  GtkStack        *stack;
  AdwStatusPage   *no_jobs_status;
  AdwStatusPage   *no_intacct_status;
  GtkButton       *auto_match_button;
  GtkSpinner      *spinner;
  GtkSpinButton   *min_score_spin;
  GtkButton       *undo_button;
  GtkButton       *redo_button;
  GtkLabel        *selection_label;
  GtkBox          *filter_box;
  GtkSearchEntry  *search_entry;
  GtkSpinner      *loading_spinner;
  GtkColumnView   *column_view;
  GtkMenuButton   *history_button;
  GtkListBox      *history_list;
  GtkLabel        *history_title;

  GtkToggleButton *filter_buttons[N_FILTERS];

  CbMappingKind       kind;
  CbDatabase         *db;
  char               *profile_id;
  CbMappingModel     *model;
  GtkMultiSelection  *selection;
  CbMappingCounts     counts;
  char               *summary;
  GCancellable       *cancellable;   /* the auto-match worker */
  gboolean            busy;
  gboolean            updating_filters;
  GSettings          *settings;      /* the matcher's thresholds */
  gboolean            min_score_touched;
  char               *select_job_id; /* select this row once the query has loaded */
  gboolean            in_action;     /* telling the window the data changed */
  CbMappingRanker    *ranker;        /* the picker's matcher, built once per data */
};

static void cb_mapping_page_page_iface_init (CbPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbMappingPage, cb_mapping_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (CB_TYPE_PAGE, cb_mapping_page_page_iface_init))

enum {
  PROP_0,
  PROP_KIND,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_history      (CbMappingPage *self);
static void select_pending_job  (CbMappingPage *self);
static void on_min_score_changed_cb (GtkSpinButton *spin,
                                     CbMappingPage *self);

static const char * const filter_labels[N_FILTERS] = {
  N_("All"), N_("Unmapped"), N_("Suggested"), N_("Mapped"), N_("Create"), N_("Stale"),
};

/* Helpers */

static gboolean
has_store (CbMappingPage *self)
{
  return self->db != NULL && self->profile_id != NULL;
}

static guint
filter_count (const CbMappingCounts *counts,
              CbMappingFilter        filter)
{
  switch (filter)
    {
    case CB_MAPPING_FILTER_ALL: return counts->total;
    case CB_MAPPING_FILTER_UNMAPPED: return counts->unmapped;
    case CB_MAPPING_FILTER_SUGGESTED: return counts->suggested;
    case CB_MAPPING_FILTER_MAPPED: return counts->mapped;
    case CB_MAPPING_FILTER_CREATE: return counts->create;
    case CB_MAPPING_FILTER_STALE: return counts->stale;
    default: g_assert_not_reached ();
    }
}

static void
update_summary (CbMappingPage *self)
{
  g_autofree char *summary = NULL;
  guint open = self->counts.unmapped + self->counts.suggested;

  if (!has_store (self) || self->counts.total == 0)
    summary = NULL;
  else if (open == 0 && self->counts.stale == 0)
    summary = g_strdup_printf (ngettext ("All %u mapped", "All %u mapped", self->counts.total),
                               self->counts.total);
  else if (self->counts.stale > 0)
    /* TRANSLATORS: "12 of 340 unmapped, 3 stale" */
    summary = g_strdup_printf (_("%u of %u unmapped, %u stale"), open, self->counts.total,
                               self->counts.stale);
  else
    /* TRANSLATORS: "12 of 340 unmapped" */
    summary = g_strdup_printf (_("%u of %u unmapped"), open, self->counts.total);

  if (g_strcmp0 (summary, self->summary) == 0)
    return;

  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  cb_page_summary_changed (CB_PAGE (self));
}

static void
update_filter_labels (CbMappingPage *self)
{
  for (guint i = 0; i < N_FILTERS; i++)
    {
      guint n = filter_count (&self->counts, i);
      g_autofree char *label = g_strdup_printf ("%s  %u", _(filter_labels[i]), n);
      g_autofree char *accessible = g_strdup_printf (ngettext ("%s: %u row", "%s: %u rows", n),
                                                     _(filter_labels[i]), n);

      gtk_button_set_label (GTK_BUTTON (self->filter_buttons[i]), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
    }
}

static void
update_undo_redo (CbMappingPage *self)
{
  g_autofree char *undo = NULL;
  g_autofree char *redo = NULL;
  g_autofree char *undo_tip = NULL;
  g_autofree char *redo_tip = NULL;

  if (has_store (self))
    {
      undo = cb_mapping_store_undo_description (self->db, self->profile_id, self->kind);
      redo = cb_mapping_store_redo_description (self->db, self->profile_id, self->kind);
    }

  /* TRANSLATORS: a tooltip, "Undo Accept 12 suggestions" */
  undo_tip = undo != NULL ? g_strdup_printf (_("Undo “%s” (Ctrl+Z)"), undo) : g_strdup (_("Nothing to undo"));
  redo_tip = redo != NULL ? g_strdup_printf (_("Redo “%s” (Ctrl+Shift+Z)"), redo) : g_strdup (_("Nothing to redo"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->undo_button), undo_tip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->redo_button), redo_tip);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.undo", undo != NULL && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.redo", redo != NULL && !self->busy);
}

static void
update_selection_actions (CbMappingPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);
  gboolean any = n > 0 && has_store (self) && !self->busy;
  g_autofree char *text = NULL;

  /* (positions are guint: a selection never holds more than G_MAXUINT rows) */
  if (n > 1)
    /* Translators: the number of rows selected in a mapping grid, always more than one */
    text = g_strdup_printf (ngettext ("%u selected", "%u selected", (gulong) n), (guint) n);
  gtk_label_set_text (self->selection_label, text != NULL ? text : "");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.pick", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.accept", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.create", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.clear", any);
}

static void
update_actions (CbMappingPage *self)
{
  gboolean ready = has_store (self) && !self->busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.auto-match", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.accept-all",
                                 ready && self->counts.suggested > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.export", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mapping.import", ready);
  update_undo_redo (self);
  update_selection_actions (self);
}

/* Empty states, filter counts, summary and actions from the model's counts (read in its
 * worker); the rows themselves are left alone. */
static void
refresh_state (CbMappingPage *self)
{
  const char *visible = "no-profile";
  CbMappingCounts counts;

  if (!cb_mapping_model_get_counts (self->model, &counts))
    counts = (CbMappingCounts) { 0 };
  self->counts = counts;

  if (has_store (self))
    {
      if (!cb_mapping_model_get_counts (self->model, &counts))
        {
          /* Still counting: the grid, with its loading spinner. */
          visible = "grid";
        }
      else if (self->counts.total == 0)
        {
          visible = "no-jobs";
        }
      else
        {
          g_autoptr(GDateTime) refreshed =
            cb_intacct_cache_last_refresh (self->db, self->profile_id,
                                           cb_mapping_kind_intacct_object (self->kind));

          visible = refreshed != NULL ? "grid" : "no-intacct";
        }
    }

  gtk_stack_set_visible_child_name (self->stack, visible);
  update_filter_labels (self);
  update_summary (self);
  update_actions (self);
}

static void
invalidate_ranker (CbMappingPage *self)
{
  g_clear_pointer (&self->ranker, cb_mapping_ranker_unref);
}

static void
reload_all (CbMappingPage *self)
{
  cb_mapping_model_set_source (self->model, self->db, self->profile_id);
  update_actions (self);
}

/* The job IDs of the selected rows (NULL-terminated), in view order; @first_row (may be
 * NULL) receives the first one's row as stored now. */
static GStrv
dup_selected_ids (CbMappingPage  *self,
                  CbMappingRow  **first_row)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GStrv ids = cb_mapping_model_dup_job_ids (self->model, selected);

  if (first_row != NULL)
    {
      g_autoptr(GError) error = NULL;

      *first_row = NULL;
      if (ids[0] != NULL && has_store (self))
        *first_row = cb_mapping_store_get (self->db, self->profile_id, self->kind, ids[0], &error);
      if (error != NULL)
        g_warning ("Could not read a mapping: %s", error->message);
    }

  return ids;
}

static void
show_toast (CbMappingPage *self,
            const char    *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CB_IS_WINDOW (root))
    _cb_window_add_toast (CB_WINDOW (root), adw_toast_new (text));
  else
    g_message ("%s", text);
}

static void
report_error (CbMappingPage *self,
              const char    *what,
              const GError  *error)
{
  g_autofree char *text = g_strdup_printf ("%s: %s", what, error->message);

  show_toast (self, text);
}

/* After an action on @job_ids (NULL: on any row): the rows in place, counts, the others. */
static void
action_done (CbMappingPage      *self,
             const char * const *job_ids)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (job_ids != NULL)
    {
      cb_mapping_model_refresh_rows (self->model, job_ids);
      cb_mapping_model_refresh_counts (self->model);
      update_actions (self);
    }
  else
    {
      reload_all (self);
    }
  update_history (self);

  /* Other pages (bills, sync) depend on the mappings; this one is up to date already
   * (and reloading it would lose the scroll position). */
  if (CB_IS_WINDOW (root))
    {
      self->in_action = TRUE;
      cb_window_data_changed (CB_WINDOW (root));
      self->in_action = FALSE;
    }
}

/* Cells */

typedef enum
{
  COLUMN_CODE,
  COLUMN_NAME,
  COLUMN_EXTRA,
  COLUMN_STATUS,
  COLUMN_INTACCT_ID,
  COLUMN_INTACCT_NAME,
} Column;

static const char * const state_classes[] = { "dim-label", "accent", "success", "accent", "error" };
static const char * const state_icons[] = {
  "action-unavailable-symbolic", "starred-symbolic", "object-select-symbolic",
  "list-add-symbolic", "dialog-warning-symbolic",
};

static char *
dup_status_text (const CbMappingRow *row)
{
  switch (row->state)
    {
    case CB_MAPPING_STATE_MAPPED:
      if (row->how == CB_MAPPING_HOW_AUTO)
        /* TRANSLATORS: status of a row mapped automatically, with its score */
        return g_strdup_printf (_("Mapped (automatic, %u)"), row->score);
      if (row->how == CB_MAPPING_HOW_IMPORTED)
        return g_strdup (_("Mapped (imported)"));
      if (row->how == CB_MAPPING_HOW_SYNC)
        return g_strdup (_("Mapped (created by sync)"));
      return g_strdup (_("Mapped (manual)"));
    case CB_MAPPING_STATE_SUGGESTED:
      /* TRANSLATORS: "Suggested 92 · name 92% alike" */
      return g_strdup_printf (_("Suggested %u · %s"), row->score,
                              row->reason != NULL ? row->reason : "");
    case CB_MAPPING_STATE_CREATE:
      return g_strdup (_("Create in Intacct"));
    case CB_MAPPING_STATE_STALE:
      /* TRANSLATORS: "Stale: renamed in Intacct to …" */
      return g_strdup_printf (_("Stale: %s"), row->stale_reason != NULL ? row->stale_reason : "");
    case CB_MAPPING_STATE_UNMAPPED:
    default:
      return g_strdup (_("Unmapped"));
    }
}

static void
update_cell (GtkListItem *list_item)
{
  CbMappingItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "cb-column"));
  const CbMappingRow *row = item != NULL ? cb_mapping_item_get_row (item) : NULL;
  const char *text = NULL;

  if (row == NULL)
    return;

  /* A row whose page is still loading: blank, the status says so. */
  if (cb_mapping_item_is_placeholder (item))
    {
      if (column == COLUMN_STATUS)
        {
          GtkWidget *image = gtk_widget_get_first_child (child);

          gtk_image_clear (GTK_IMAGE (image));
          gtk_inscription_set_text (GTK_INSCRIPTION (gtk_widget_get_next_sibling (image)), "…");
          for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
            gtk_widget_remove_css_class (child, state_classes[i]);
          gtk_widget_add_css_class (child, "dim-label");
        }
      else
        {
          gtk_inscription_set_text (GTK_INSCRIPTION (child), NULL);
        }
      return;
    }

  switch (column)
    {
    case COLUMN_CODE: text = row->job_code; break;
    case COLUMN_NAME: text = row->job_name; break;
    case COLUMN_EXTRA: text = row->job_extra; break;
    case COLUMN_INTACCT_ID: text = row->intacct_id; break;
    case COLUMN_INTACCT_NAME: text = row->intacct_name; break;
    case COLUMN_STATUS:
      {
        GtkWidget *image = gtk_widget_get_first_child (child);
        GtkWidget *label = gtk_widget_get_next_sibling (image);
        g_autofree char *status = dup_status_text (row);
        guint state = MIN ((guint) row->state, G_N_ELEMENTS (state_icons) - 1);

        gtk_image_set_from_icon_name (GTK_IMAGE (image), state_icons[state]);
        gtk_inscription_set_text (GTK_INSCRIPTION (label), status);
        for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
          gtk_widget_remove_css_class (child, state_classes[i]);
        gtk_widget_add_css_class (child, state_classes[state]);
        return;
      }
    default:
      g_assert_not_reached ();
    }

  gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
}

/* Tooltips are asked for when shown, not set on each bind: gtk_widget_set_tooltip_text()
 * costs about a quarter of a millisecond, and GTK 4.8 binds some 200 rows of cells
 * whenever a query replaces the rows, which froze the window for most of a second. */
static gboolean
on_cell_query_tooltip_cb (GtkWidget   *child,
                          int          x,
                          int          y,
                          gboolean     keyboard,
                          GtkTooltip  *tooltip,
                          GtkListItem *list_item)
{
  CbMappingItem *item = gtk_list_item_get_item (list_item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "cb-column"));
  const CbMappingRow *row = item != NULL ? cb_mapping_item_get_row (item) : NULL;
  g_autofree char *text = NULL;

  if (row == NULL)
    return FALSE;

  if (column == COLUMN_STATUS)
    text = cb_mapping_item_is_placeholder (item) ? g_strdup (_("Loading…")) : dup_status_text (row);
  /* Long names are cut short in the cell; the tooltip has all of it. */
  else if (column == COLUMN_NAME)
    text = g_strdup (row->job_name);
  else if (column == COLUMN_INTACCT_NAME)
    text = g_strdup (row->intacct_name);

  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
on_item_changed_cb (CbMappingItem *item,
                    GtkListItem   *list_item)
{
  update_cell (list_item);
}

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *child;

  if (column == COLUMN_STATUS)
    {
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (child), gtk_image_new ());
      gtk_box_append (GTK_BOX (child), gtk_inscription_new (NULL));
      gtk_widget_set_hexpand (gtk_widget_get_last_child (child), TRUE);
    }
  else
    {
      child = gtk_inscription_new (NULL);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (child),
                                         GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
    }
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (column == COLUMN_STATUS
                                                  ? gtk_widget_get_last_child (child) : child),
                                 column == COLUMN_CODE || column == COLUMN_INTACCT_ID ? 8 : 16);
  g_object_set_data (G_OBJECT (child), "cb-column", GINT_TO_POINTER (column));
  if (column == COLUMN_NAME || column == COLUMN_INTACCT_NAME || column == COLUMN_STATUS)
    {
      gtk_widget_set_has_tooltip (child, TRUE);
      g_signal_connect (child, "query-tooltip", G_CALLBACK (on_cell_query_tooltip_cb), list_item);
    }
  gtk_list_item_set_child (list_item, child);
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  user_data)
{
  CbMappingItem *item = gtk_list_item_get_item (list_item);

  update_cell (list_item);
  if (item != NULL)
    g_signal_connect (item, "changed", G_CALLBACK (on_item_changed_cb), list_item);
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      gpointer                  user_data)
{
  CbMappingItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, on_item_changed_cb, list_item);
}

/* Sorting happens in SQL. Each sortable column gets a sorter that only says which column
 * it is: GTK 4.8 has no API to ask the column view's sorter for its primary column, but
 * comparing two items through it calls the primary column's sorter first, and inverts
 * the answer when that column is sorted descending. */
static int probed_sort = -1;

static int
probe_sort_cb (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  if (probed_sort < 0)
    probed_sort = GPOINTER_TO_INT (user_data);

  return GTK_ORDERING_SMALLER;
}

static void
on_sorter_changed_cb (GtkSorter       *sorter,
                      GtkSorterChange  change,
                      CbMappingPage   *self)
{
  /* Two objects: gtk_sorter_compare() says "equal" for one item without asking. */
  g_autoptr(GObject) probe1 = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) probe2 = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  probed_sort = -1;
  order = gtk_sorter_compare (sorter, probe1, probe2);
  if (probed_sort < 0 || order == GTK_ORDERING_EQUAL)
    cb_mapping_model_set_sort (self->model, CB_MAPPING_SORT_JOB_CODE, FALSE);
  else
    cb_mapping_model_set_sort (self->model, probed_sort, order == GTK_ORDERING_LARGER);
  probed_sort = -1;
}

static void
add_column (CbMappingPage *self,
            Column         column,
            const char    *title,
            int            sort,
            gboolean       expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind_cb), GINT_TO_POINTER (column));

  view_column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (sort >= 0)
    {
      g_autoptr(GtkSorter) sorter =
        GTK_SORTER (gtk_custom_sorter_new (probe_sort_cb, GINT_TO_POINTER (sort), NULL));

      gtk_column_view_column_set_sorter (view_column, sorter);
    }
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
build_columns (CbMappingPage *self)
{
  const char *code_title = _("Code");
  const char *extra_title = NULL;

  switch (self->kind)
    {
    case CB_MAPPING_VENDORS:
      code_title = _("Vendor ID");
      extra_title = _("Tax ID");
      break;
    case CB_MAPPING_PROJECTS:
      code_title = _("Job Number");
      extra_title = _("Customer");
      break;
    case CB_MAPPING_COST_CODES:
    case CB_MAPPING_COST_TYPES:
    case CB_MAPPING_N_KINDS:
    default:
      break;
    }

  add_column (self, COLUMN_CODE, code_title, CB_MAPPING_SORT_JOB_CODE, FALSE);
  add_column (self, COLUMN_NAME, _("Name"), CB_MAPPING_SORT_JOB_NAME, TRUE);
  if (extra_title != NULL)
    add_column (self, COLUMN_EXTRA, extra_title, -1, FALSE);
  add_column (self, COLUMN_STATUS, _("Status"), CB_MAPPING_SORT_STATE, TRUE);
  add_column (self, COLUMN_INTACCT_ID, _("Intacct ID"), CB_MAPPING_SORT_INTACCT_ID, FALSE);
  add_column (self, COLUMN_INTACCT_NAME, _("Intacct Name"), CB_MAPPING_SORT_INTACCT_NAME, TRUE);

  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed_cb), self, 0);
}

/* The matcher's thresholds (Preferences) */

static CbMatchThresholds
get_thresholds (CbMappingPage *self)
{
  CbMatchThresholds thresholds = CB_MATCH_THRESHOLDS_DEFAULT;

  thresholds.auto_min = g_settings_get_uint (self->settings, "match-auto-threshold");
  thresholds.suggest_min = g_settings_get_uint (self->settings, "match-suggest-threshold");
  /* A suggestion scores below the automatic threshold. */
  if (thresholds.suggest_min > thresholds.auto_min)
    thresholds.suggest_min = thresholds.auto_min;

  return thresholds;
}

/* Accept Suggestions' default minimum: midway between the suggestion and automatic
 * thresholds, rounded up to a multiple of 5 (80 with the default 60 and 95). */
static void
update_min_score_default (CbMappingPage *self)
{
  CbMatchThresholds thresholds = get_thresholds (self);
  guint mid = (thresholds.suggest_min + thresholds.auto_min + 1) / 2;

  if (self->min_score_touched)
    return;
  mid = MIN ((mid + 4) / 5 * 5, 100);
  g_signal_handlers_block_by_func (self->min_score_spin, on_min_score_changed_cb, self);
  gtk_spin_button_set_value (self->min_score_spin, mid);
  g_signal_handlers_unblock_by_func (self->min_score_spin, on_min_score_changed_cb, self);
}

static void
on_min_score_changed_cb (GtkSpinButton *spin,
                         CbMappingPage *self)
{
  /* Someone chose a minimum: the preferences no longer move it. */
  self->min_score_touched = TRUE;
}

static void
on_thresholds_changed_cb (GSettings     *settings,
                          const char    *key,
                          CbMappingPage *self)
{
  update_min_score_default (self);
}

/* Auto-match in a worker, with its own connection to the same database file */

typedef struct
{
  char              *path;
  char              *profile_id;
  CbMappingKind      kind;
  CbMatchThresholds  thresholds;
} AutoMatchData;

static void
auto_match_data_free (AutoMatchData *data)
{
  g_free (data->path);
  g_free (data->profile_id);
  g_free (data);
}

static void
auto_match_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  AutoMatchData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = cb_database_open (data->path, &error);
  CbMappingCounts *counts = g_new0 (CbMappingCounts, 1);

  if (db == NULL ||
      !cb_mapping_store_auto_match (db, data->profile_id, data->kind, &data->thresholds,
                                    counts, &error))
    {
      g_free (counts);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, counts, g_free);
}

static void
set_busy (CbMappingPage *self,
          gboolean       busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_actions (self);
}

static void
on_auto_match_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  CbMappingPage *self = CB_MAPPING_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autofree CbMappingCounts *counts = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) != NULL &&
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (counts == NULL)
    {
      report_error (self, _("Could not auto-match"), error);
      return;
    }

  action_done (self, NULL);
  {
    /* TRANSLATORS: after auto-match: "240 mapped, 31 suggested, 12 unmapped" */
    g_autofree char *text = g_strdup_printf (_("%u mapped, %u suggested, %u unmapped"),
                                             counts->mapped, counts->suggested,
                                             counts->unmapped);
    show_toast (self, text);
  }
}

/* Actions */

static void
auto_match_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CbMappingPage *self = CB_MAPPING_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  AutoMatchData *data;

  if (!has_store (self) || self->busy)
    return;

  data = g_new0 (AutoMatchData, 1);
  data->path = g_strdup (cb_database_get_path (self->db));
  data->profile_id = g_strdup (self->profile_id);
  data->kind = self->kind;
  data->thresholds = get_thresholds (self);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_auto_match_done_cb, NULL);
  g_task_set_source_tag (task, auto_match_action);
  g_task_set_task_data (task, data, (GDestroyNotify) auto_match_data_free);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, auto_match_thread);
}

static void
accept_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CbMappingPage *self = CB_MAPPING_PAGE (widget);
  g_autoptr(GError) error = NULL;
  guint min_score = gtk_spin_button_get_value_as_int (self->min_score_spin);
  guint n_accepted = 0;

  if (!has_store (self) || self->busy)
    return;

  if (!cb_mapping_store_accept (self->db, self->profile_id, self->kind, NULL, min_score,
                                &n_accepted, &error))
    {
      report_error (self, _("Could not accept the suggestions"), error);
      return;
    }

  action_done (self, NULL);
  {
    g_autofree char *text = g_strdup_printf (ngettext ("%u suggestion accepted",
                                                       "%u suggestions accepted", n_accepted),
                                             n_accepted);
    show_toast (self, text);
  }
}

/* The toolbar's actions on the selected rows (mapping.accept, mapping.create and
 * mapping.clear): one store call, then the rows refresh in place. */
static void
selection_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbMappingPage *self = CB_MAPPING_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = dup_selected_ids (self, NULL);
  const char * const *job_ids = (const char * const *) ids;
  const char *failure;
  gboolean ok;

  if (!has_store (self) || self->busy || ids[0] == NULL)
    return;

  if (g_str_equal (action_name, "mapping.accept"))
    {
      ok = cb_mapping_store_accept (self->db, self->profile_id, self->kind, job_ids, 0, NULL,
                                    &error);
      failure = _("Could not accept the suggestion");
    }
  else if (g_str_equal (action_name, "mapping.create"))
    {
      ok = cb_mapping_store_set_create (self->db, self->profile_id, self->kind, job_ids, &error);
      failure = _("Could not mark the records for creation");
    }
  else
    {
      g_assert (g_str_equal (action_name, "mapping.clear"));
      ok = cb_mapping_store_clear (self->db, self->profile_id, self->kind, job_ids, &error);
      failure = _("Could not clear the mappings");
    }

  if (!ok)
    {
      report_error (self, failure, error);
      return;
    }
  action_done (self, job_ids);
}

static void
undo_redo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbMappingPage *self = CB_MAPPING_PAGE (widget);
  g_autoptr(GError) error = NULL;
  gboolean undo = g_str_equal (action_name, "mapping.undo");
  gboolean ok;

  if (!has_store (self) || self->busy)
    return;

  if (undo)
    ok = cb_mapping_store_undo (self->db, self->profile_id, self->kind, &error);
  else
    ok = cb_mapping_store_redo (self->db, self->profile_id, self->kind, &error);

  if (!ok)
    {
      if (!g_error_matches (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_NOTHING_TO_UNDO))
        report_error (self, undo ? _("Could not undo") : _("Could not redo"), error);
      return;
    }
  action_done (self, NULL);
}

/* The picker's matcher over the cached Intacct records: built in a worker the first time
 * a picker opens, kept until the data changes (cb_page_reload, another profile). */
static CbMappingRanker *
ensure_ranker (CbMappingPage *self)
{
  if (self->ranker == NULL)
    self->ranker = cb_mapping_ranker_new (cb_database_get_path (self->db), self->profile_id,
                                          self->kind);

  return self->ranker;
}

typedef struct
{
  CbMappingPage *page;
  GStrv          ids;
} PickData;

static void
pick_data_free (gpointer  data,
                GClosure *closure)
{
  PickData *pick = data;

  g_object_unref (pick->page);
  g_strfreev (pick->ids);
  g_free (pick);
}

static void
on_picker_picked_cb (CbMappingPicker *picker,
                     int              pick,
                     const char      *recordno,
                     PickData        *data)
{
  CbMappingPage *self = data->page;
  const char * const *ids = (const char * const *) data->ids;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  if (!has_store (self))
    return;

  switch (pick)
    {
    case CB_MAPPING_PICK_RECORD:
      ok = cb_mapping_store_set (self->db, self->profile_id, self->kind, ids, recordno, &error);
      break;
    case CB_MAPPING_PICK_CREATE:
      ok = cb_mapping_store_set_create (self->db, self->profile_id, self->kind, ids, &error);
      break;
    case CB_MAPPING_PICK_CLEAR:
      ok = cb_mapping_store_clear (self->db, self->profile_id, self->kind, ids, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      report_error (self, _("Could not change the mapping"), error);
      return;
    }
  action_done (self, ids);
}

static void
pick_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CbMappingPage *self = CB_MAPPING_PAGE (widget);
  g_autoptr(CbMappingRow) first = NULL;
  g_auto(GStrv) ids = dup_selected_ids (self, &first);
  CbMappingPicker *picker;
  PickData *data;
  GtkRoot *root;

  if (!has_store (self) || self->busy || ids[0] == NULL)
    return;

  root = gtk_widget_get_root (widget);
  picker = cb_mapping_picker_new_with_ranker (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              self->db, self->profile_id, self->kind,
                                              first, g_strv_length (ids), ensure_ranker (self));
  data = g_new0 (PickData, 1);
  data->page = g_object_ref (self);
  data->ids = g_steal_pointer (&ids);
  g_signal_connect_data (picker, "picked", G_CALLBACK (on_picker_picked_cb), data,
                         pick_data_free, 0);
  gtk_window_present (GTK_WINDOW (picker));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbMappingPage *self = CB_MAPPING_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       CbMappingPage   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!_cb_mapping_page_export_csv (self, file, &error))
        report_error (self, _("Could not export the mappings"), error);
      else
        show_toast (self, _("Mappings exported"));
    }
  g_object_unref (dialog);
}

static void
on_import_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       CbMappingPage   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;
      guint n_changed = 0;

      if (!_cb_mapping_page_import_csv (self, file, &n_changed, &error))
        {
          report_error (self, _("Could not import the mappings"), error);
        }
      else
        {
          g_autofree char *text = g_strdup_printf (ngettext ("%u mapping imported",
                                                             "%u mappings imported", n_changed),
                                                   n_changed);
          show_toast (self, text);
        }
    }
  g_object_unref (dialog);
}

static GtkFileFilter *
csv_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");

  return filter;
}

static void
export_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbMappingPage *self = CB_MAPPING_PAGE (widget);
  gboolean export = g_str_equal (action_name, "mapping.export");
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = csv_filter ();

  if (!has_store (self) || self->busy)
    return;

  chooser = gtk_file_chooser_native_new (export ? _("Export Mappings") : _("Import Mappings"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         export ? GTK_FILE_CHOOSER_ACTION_SAVE
                                                : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         export ? _("_Export") : _("_Import"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (export)
    {
      /* TRANSLATORS: a file name, "vendors-mappings.csv" */
      g_autofree char *name = g_strdup_printf (_("%s-mappings.csv"),
                                               cb_mapping_kind_to_string (self->kind));
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  g_signal_connect (chooser, "response",
                    export ? G_CALLBACK (on_export_response_cb) : G_CALLBACK (on_import_response_cb),
                    self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Selecting one job-side record's row (the Sync page's Fix…) */

static void
select_pending_job (CbMappingPage *self)
{
  g_autofree char *job_id = g_steal_pointer (&self->select_job_id);
  int position = cb_mapping_model_find_loaded (self->model, job_id);

  if (position < 0)
    return;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  /* GTK 4.8 has no gtk_column_view_scroll_to(): its list view's action scrolls and
   * focuses. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", (guint) position);
  update_history (self);
}

void
cb_mapping_page_select_job (CbMappingPage *self,
                            const char    *job_id)
{
  g_autoptr(CbMappingRow) row = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CB_IS_MAPPING_PAGE (self));
  g_return_if_fail (job_id != NULL);

  if (!has_store (self))
    return;

  /* Search for its code (or its ID when it has none), every state shown. */
  row = cb_mapping_store_get (self->db, self->profile_id, self->kind, job_id, &error);
  if (error != NULL)
    g_warning ("Could not read a mapping: %s", error->message);

  g_free (self->select_job_id);
  self->select_job_id = g_strdup (job_id);
  gtk_toggle_button_set_active (self->filter_buttons[CB_MAPPING_FILTER_ALL], TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry),
                         row != NULL && row->job_code != NULL ? row->job_code : job_id);
  /* Now, not after the entry's typing delay. */
  cb_mapping_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  if (!cb_mapping_model_is_loading (self->model))
    select_pending_job (self);
}

/* History */

static void
update_history (CbMappingPage *self)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbMappingRow) row = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *title = NULL;
  GtkWidget *child;

  /* Only while the popover is open: it is read when it opens. */
  if (!gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (self->history_button))))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  if (!has_store (self))
    return;

  {
    g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

    /* One selected row: its history; else the page's. */
    if (gtk_bitset_get_size (selected) == 1)
      ids = dup_selected_ids (self, &row);
  }
  if (row != NULL)
    /* TRANSLATORS: "History of V100 Ready Mix Supply Inc" */
    title = g_strdup_printf (_("History of %s %s"), row->job_code != NULL ? row->job_code : "",
                             row->job_name != NULL ? row->job_name : "");
  else
    title = g_strdup (_("Latest changes on this page"));
  gtk_label_set_text (self->history_title, title);

  changes = cb_mapping_store_history (self->db, self->profile_id, self->kind,
                                      row != NULL ? row->job_id : NULL, 50, &error);
  if (changes == NULL)
    {
      g_warning ("Could not read the history: %s", error->message);
      return;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      CbMappingChange *change = g_ptr_array_index (changes, i);
      g_autoptr(GDateTime) local = change->at != NULL ? g_date_time_to_local (change->at) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%x %X") : g_strdup ("");
      const char *old_text = change->old_intacct_id != NULL ? change->old_intacct_id
                                                            : cb_mapping_state_get_label (change->old_state);
      const char *new_text = change->new_intacct_id != NULL ? change->new_intacct_id
                                                            : cb_mapping_state_get_label (change->new_state);
      g_autofree char *title_text = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *line = adw_action_row_new ();

      /* TRANSLATORS: a history line: "Accept 12 suggestions: Unmapped → V100" */
      title_text = g_strdup_printf (_("%s: %s → %s"), change->action != NULL ? change->action : "",
                                    old_text, new_text);
      if (row == NULL && change->job_id != NULL)
        {
          g_autofree char *with_id = g_strdup_printf ("%s · %s", change->job_id, title_text);

          g_free (title_text);
          title_text = g_steal_pointer (&with_id);
        }
      /* TRANSLATORS: "2026-11-21 12:51:43 · jane · manual" */
      subtitle = g_strdup_printf (_("%s · %s · %s"), when,
                                  change->user != NULL ? change->user : "",
                                  cb_mapping_how_label (change->how));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line), title_text);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (line), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (line), subtitle);
      gtk_list_box_append (self->history_list, line);
    }

  if (changes->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("No changes yet"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (self->history_list, label);
    }
}

static void
cb_mapping_page_history_shown_cb (CbMappingPage *self)
{
  update_history (self);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbMappingPage *self = CB_MAPPING_PAGE (widget);

  gtk_menu_button_popup (self->history_button);
}

/* Callbacks */

static void
cb_mapping_page_search_changed_cb (CbMappingPage *self)
{
  /* GtkSearchEntry already waits for a pause in typing ("search-changed"). */
  cb_mapping_model_set_search (self->model,
                               gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_selection_actions (self);
}

static void
cb_mapping_page_stop_search_cb (CbMappingPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
cb_mapping_page_row_activated_cb (CbMappingPage *self,
                                  guint          position)
{
  /* Enter (or a double click) picks for the selection, which holds the activated row. */
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self), "mapping.pick", NULL);
}

static void
on_filter_toggled_cb (GtkToggleButton *button,
                      CbMappingPage   *self)
{
  CbMappingFilter filter;

  if (self->updating_filters || !gtk_toggle_button_get_active (button))
    return;

  filter = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "cb-filter"));
  cb_mapping_model_set_filter (self->model, filter);
  update_selection_actions (self);
}

static void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         CbMappingPage     *self)
{
  update_selection_actions (self);
  update_history (self);
}

static void
on_loading_changed_cb (CbMappingModel *model,
                       GParamSpec     *pspec,
                       CbMappingPage  *self)
{
  gboolean loading = cb_mapping_model_is_loading (model);

  /* Quiet: the previous rows stay until the new ones arrive; a spinner says so. It keeps
   * its place (an idle spinner draws nothing): showing and hiding it would lay out the
   * whole grid again on each keystroke. */
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->column_view),
                               GTK_ACCESSIBLE_STATE_BUSY, loading,
                               -1);
}

static void
on_counts_changed_cb (CbMappingModel *model,
                      CbMappingPage  *self)
{
  refresh_state (self);
}

static void
on_loaded_cb (CbMappingModel *model,
              CbMappingPage  *self)
{
  const GError *error = cb_mapping_model_get_error (model);

  if (error != NULL)
    report_error (self, _("Could not read the mappings"), error);
  /* The model fills the items it had in place (see replace_items()): the positions now
   * stand for other rows, so nothing stays selected. */
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  if (self->select_job_id != NULL)
    select_pending_job (self);
  update_selection_actions (self);
}

static void
on_items_changed_cb (GListModel    *model,
                     guint          position,
                     guint          removed,
                     guint          added,
                     CbMappingPage *self)
{
  update_selection_actions (self);
}

/* CbPage */

static void
cb_mapping_page_set_profile (CbPage     *page,
                             CbDatabase *db,
                             const char *profile_id)
{
  CbMappingPage *self = CB_MAPPING_PAGE (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->busy)
    set_busy (self, FALSE);

  g_set_object (&self->db, db);
  g_free (self->profile_id);
  self->profile_id = g_strdup (profile_id);
  invalidate_ranker (self);
  reload_all (self);
}

static void
cb_mapping_page_reload (CbPage *page)
{
  CbMappingPage *self = CB_MAPPING_PAGE (page);

  if (self->in_action)
    return;
  /* Intacct records may have changed (a refresh): the picker's matcher is built again. */
  invalidate_ranker (self);
  if (!self->busy)
    reload_all (self);
}

static const char *
cb_mapping_page_get_summary (CbPage *page)
{
  return CB_MAPPING_PAGE (page)->summary;
}

static void
cb_mapping_page_page_iface_init (CbPageInterface *iface)
{
  iface->set_profile = cb_mapping_page_set_profile;
  iface->reload = cb_mapping_page_reload;
  iface->get_summary = cb_mapping_page_get_summary;
}

/* GObject */

static void
cb_mapping_page_constructed (GObject *object)
{
  CbMappingPage *self = CB_MAPPING_PAGE (object);
  g_autofree char *jobs_text = NULL;
  g_autofree char *intacct_text = NULL;

  G_OBJECT_CLASS (cb_mapping_page_parent_class)->constructed (object);

  self->model = cb_mapping_model_new (self->kind);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (on_loading_changed_cb), self, 0);
  g_signal_connect_object (self->model, "counts-changed",
                           G_CALLBACK (on_counts_changed_cb), self, 0);
  g_signal_connect_object (self->model, "loaded", G_CALLBACK (on_loaded_cb), self, 0);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, 0);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (on_items_changed_cb), self, 0);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  build_columns (self);

  switch (self->kind)
    {
    case CB_MAPPING_COST_CODES:
      jobs_text = g_strdup (_("Import the cost codes of your job-cost system to map them to Intacct’s standard tasks."));
      intacct_text = g_strdup (_("Refresh from Intacct to fetch its standard tasks."));
      break;
    case CB_MAPPING_COST_TYPES:
      jobs_text = g_strdup (_("Import the cost types of your job-cost system to map them to Intacct’s standard cost types."));
      intacct_text = g_strdup (_("Refresh from Intacct to fetch its standard cost types."));
      break;
    case CB_MAPPING_VENDORS:
      jobs_text = g_strdup (_("Import the vendors of your job-cost system to map them to Intacct’s vendors."));
      intacct_text = g_strdup (_("Refresh from Intacct to fetch its vendors."));
      break;
    case CB_MAPPING_PROJECTS:
    case CB_MAPPING_N_KINDS:
    default:
      jobs_text = g_strdup (_("Import the jobs of your job-cost system to link them to Intacct projects."));
      intacct_text = g_strdup (_("Refresh from Intacct to fetch its projects."));
      break;
    }
  adw_status_page_set_description (self->no_jobs_status, jobs_text);
  adw_status_page_set_description (self->no_intacct_status, intacct_text);

  refresh_state (self);
}

static void
cb_mapping_page_dispose (GObject *object)
{
  CbMappingPage *self = CB_MAPPING_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  invalidate_ranker (self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  /* The template's root is the bin's child: drop it first, or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_MAPPING_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cb_mapping_page_parent_class)->dispose (object);
}

static void
cb_mapping_page_finalize (GObject *object)
{
  CbMappingPage *self = CB_MAPPING_PAGE (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->select_job_id, g_free);

  G_OBJECT_CLASS (cb_mapping_page_parent_class)->finalize (object);
}

static void
cb_mapping_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CbMappingPage *self = CB_MAPPING_PAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, cb_mapping_kind_to_string (self->kind));
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_mapping_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CbMappingPage *self = CB_MAPPING_PAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      {
        const char *text = g_value_get_string (value);

        if (text != NULL && !cb_mapping_kind_from_string (text, &self->kind))
          g_critical ("Unknown mapping kind “%s”", text);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_mapping_page_class_init (CbMappingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cb_mapping_page_constructed;
  object_class->dispose = cb_mapping_page_dispose;
  object_class->finalize = cb_mapping_page_finalize;
  object_class->get_property = cb_mapping_page_get_property;
  object_class->set_property = cb_mapping_page_set_property;

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, "cost-codes",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_KIND, properties[PROP_KIND]);
  g_object_class_override_property (object_class, PROP_SUMMARY, "summary");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/costbridge/Costbridge/ui/cb-mapping-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, no_jobs_status);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, no_intacct_status);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, auto_match_button);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, min_score_spin);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, undo_button);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, redo_button);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, filter_box);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, history_button);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPage, history_title);
  gtk_widget_class_bind_template_callback (widget_class, cb_mapping_page_history_shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, cb_mapping_page_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cb_mapping_page_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, cb_mapping_page_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "mapping.auto-match", NULL, auto_match_action);
  gtk_widget_class_install_action (widget_class, "mapping.accept-all", NULL, accept_all_action);
  gtk_widget_class_install_action (widget_class, "mapping.accept", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "mapping.pick", NULL, pick_action);
  gtk_widget_class_install_action (widget_class, "mapping.create", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "mapping.clear", NULL, selection_action);
  gtk_widget_class_install_action (widget_class, "mapping.undo", NULL, undo_redo_action);
  gtk_widget_class_install_action (widget_class, "mapping.redo", NULL, undo_redo_action);
  gtk_widget_class_install_action (widget_class, "mapping.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "mapping.export", NULL, export_import_action);
  gtk_widget_class_install_action (widget_class, "mapping.import", NULL, export_import_action);
  gtk_widget_class_install_action (widget_class, "mapping.history", NULL, history_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "mapping.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "mapping.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "mapping.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "mapping.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "mapping.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "mapping.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "mapping.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "mapping.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "mapping.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "mapping.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "mapping.history", NULL);
}

static void
cb_mapping_page_init (CbMappingPage *self)
{
  GtkToggleButton *group = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_FILTERS; i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (_(filter_labels[i]));
      g_autofree char *name = g_strdup_printf ("filter-%s",
                                               i == 0 ? "all"
                                                      : cb_mapping_state_to_string ((CbMappingState[]) {
                                                          0, CB_MAPPING_STATE_UNMAPPED,
                                                          CB_MAPPING_STATE_SUGGESTED,
                                                          CB_MAPPING_STATE_MAPPED,
                                                          CB_MAPPING_STATE_CREATE,
                                                          CB_MAPPING_STATE_STALE }[i]));

      gtk_widget_set_name (button, name);
      g_object_set_data (G_OBJECT (button), "cb-filter", GINT_TO_POINTER (i));
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (on_filter_toggled_cb), self);
      gtk_box_append (self->filter_box, button);
      self->filter_buttons[i] = GTK_TOGGLE_BUTTON (button);
    }
  self->updating_filters = TRUE;
  gtk_toggle_button_set_active (self->filter_buttons[0], TRUE);
  self->updating_filters = FALSE;

  self->settings = g_settings_new (CB_SCHEMA_ID);
  g_signal_connect (self->settings, "changed::match-auto-threshold",
                    G_CALLBACK (on_thresholds_changed_cb), self);
  g_signal_connect (self->settings, "changed::match-suggest-threshold",
                    G_CALLBACK (on_thresholds_changed_cb), self);
  g_signal_connect (self->min_score_spin, "value-changed",
                    G_CALLBACK (on_min_score_changed_cb), self);
  update_min_score_default (self);
}

/* Public API */

GtkWidget *
cb_mapping_page_new (const char *kind)
{
  return g_object_new (CB_TYPE_MAPPING_PAGE, "kind", kind, NULL);
}

gboolean
_cb_mapping_page_export_csv (CbMappingPage  *self,
                             GFile          *file,
                             GError        **error)
{
  g_autoptr(GFileOutputStream) out = NULL;

  g_return_val_if_fail (CB_IS_MAPPING_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (has_store (self), FALSE);

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (out == NULL)
    return FALSE;
  if (!cb_mapping_store_export_csv (self->db, self->profile_id, self->kind,
                                    G_OUTPUT_STREAM (out), error))
    return FALSE;

  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

gboolean
_cb_mapping_page_import_csv (CbMappingPage  *self,
                             GFile          *file,
                             guint          *n_changed,
                             GError        **error)
{
  g_autoptr(GFileInputStream) in = NULL;

  g_return_val_if_fail (CB_IS_MAPPING_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (has_store (self), FALSE);

  in = g_file_read (file, NULL, error);
  if (in == NULL)
    return FALSE;
  if (!cb_mapping_store_import_csv (self->db, self->profile_id, self->kind,
                                    G_INPUT_STREAM (in), n_changed, error))
    return FALSE;

  action_done (self, NULL);

  return TRUE;
}

CbMappingModel *
_cb_mapping_page_get_model (CbMappingPage *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_PAGE (self), NULL);

  return self->model;
}

GtkSelectionModel *
_cb_mapping_page_get_selection (CbMappingPage *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_PAGE (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

gboolean
_cb_mapping_page_is_busy (CbMappingPage *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_PAGE (self), FALSE);

  return self->busy;
}

gboolean
_cb_mapping_page_is_loading (CbMappingPage *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_PAGE (self), FALSE);

  return cb_mapping_model_is_busy (self->model);
}
