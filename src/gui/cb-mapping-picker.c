/* cb-mapping-picker.c: see cb-mapping-picker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-mapping-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-intacct-cache.h"
#include "cb-mapping-picker.h"

/* At most this many records are listed; the footer asks to refine the search beyond. */
#define MAX_LISTED 200
/* The matcher's best candidates shown first for one row. */
#define MAX_RANKED 8

struct _CbMappingPicker
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkSearchEntry *search_entry;
  GtkListBox     *list;
  GtkLabel       *footer_label;

  CbDatabase     *db;
  char           *profile_id;
  CbMappingKind   kind;
  CbMappingRow   *row;         /* a copy of what is needed: code, name, extra, recordno */
  guint           n_rows;
  guint           n_records;
  gboolean        picked;
};

G_DEFINE_FINAL_TYPE (CbMappingPicker, cb_mapping_picker, ADW_TYPE_WINDOW)

enum {
  SIGNAL_PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
make_row (CbMappingPick  pick,
          const char    *recordno,
          const char    *title,
          const char    *subtitle,
          const char    *icon_name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);
  g_autofree char *accessible = NULL;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (labels), label);
  if (subtitle != NULL)
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (labels), sub);
    }
  if (icon_name != NULL)
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  accessible = subtitle != NULL ? g_strdup_printf ("%s, %s", title, subtitle) : g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  g_object_set_data (G_OBJECT (row), "cb-pick", GINT_TO_POINTER (pick));
  g_object_set_data_full (G_OBJECT (row), "cb-recordno", g_strdup (recordno), g_free);

  return row;
}

static GtkWidget *
make_record_row (const CbCachedRecord *record,
                 const char           *reason,
                 gboolean              current)
{
  g_autofree char *title = g_strdup_printf ("%s  %s", record->id ? record->id : "",
                                            record->name ? record->name : "");
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (current)
    g_string_append (subtitle, _("Current mapping"));
  if (reason != NULL)
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", reason);
  if (g_strcmp0 (record->status, "inactive") == 0)
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", _("Inactive"));

  return make_row (CB_MAPPING_PICK_RECORD, record->recordno, title,
                   subtitle->len ? subtitle->str : NULL,
                   reason != NULL ? "starred-symbolic" : NULL);
}

static void
clear_list (CbMappingPicker *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_records = 0;
}

/* The matcher's best candidates for the row, appended to the list; their RECORDNOs go
 * into @shown. */
static void
append_ranked (CbMappingPicker *self,
               GHashTable      *shown)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GArray) ranked = NULL;
  g_autoptr(CbMatcher) matcher = NULL;
  g_autofree CbMatchItem *right = NULL;
  CbMatchItem left = { 0 };

  all = cb_intacct_cache_list (self->db, self->profile_id,
                               cb_mapping_kind_intacct_object (self->kind), NULL, &error);
  if (all == NULL)
    {
      g_warning ("Could not read the Intacct records: %s", error->message);
      return;
    }
  if (all->len == 0)
    return;

  right = g_new0 (CbMatchItem, all->len);
  for (guint i = 0; i < all->len; i++)
    {
      CbCachedRecord *record = g_ptr_array_index (all, i);

      right[i].code = record->id;
      right[i].name = record->name;
    }
  matcher = cb_matcher_new (cb_mapping_kind_match_kind (self->kind), right, all->len);
  left.code = self->row->job_code;
  left.name = self->row->job_name;
  if (self->kind == CB_MAPPING_VENDORS)
    left.tax_id = self->row->job_extra;
  ranked = cb_matcher_rank (matcher, &left, MAX_RANKED);

  for (guint i = 0; i < ranked->len; i++)
    {
      CbMatchResult *result = &g_array_index (ranked, CbMatchResult, i);
      CbCachedRecord *record;
      g_autofree char *reason = NULL;

      if (result->candidate < 0 || (guint) result->candidate >= all->len)
        continue;
      record = g_ptr_array_index (all, result->candidate);
      if (g_hash_table_contains (shown, record->recordno))
        continue;
      /* TRANSLATORS: a match score and its reason, e.g. "92 · name 92% alike" */
      reason = g_strdup_printf (_("Score %u · %s"), result->score,
                                result->reason != NULL ? result->reason : "");
      gtk_list_box_append (self->list,
                           make_record_row (record, reason,
                                            g_strcmp0 (record->recordno,
                                                       self->row->intacct_recordno) == 0));
      g_hash_table_add (shown, g_strdup (record->recordno));
      self->n_records++;
    }
}

static void
fill_list (CbMappingPicker *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (search));
  guint total = 0;
  GtkListBoxRow *first;

  clear_list (self);

  if (*stripped == '\0' && self->row != NULL && self->row->job_id != NULL)
    append_ranked (self, shown);

  records = cb_intacct_cache_list (self->db, self->profile_id,
                                   cb_mapping_kind_intacct_object (self->kind),
                                   *stripped != '\0' ? stripped : NULL, &error);
  if (records == NULL)
    g_warning ("Could not read the Intacct records: %s", error->message);
  else
    total = records->len;

  for (guint i = 0; records != NULL && i < records->len && self->n_records < MAX_LISTED; i++)
    {
      CbCachedRecord *record = g_ptr_array_index (records, i);

      if (g_hash_table_contains (shown, record->recordno))
        continue;
      gtk_list_box_append (self->list,
                           make_record_row (record, NULL,
                                            self->row != NULL &&
                                            g_strcmp0 (record->recordno,
                                                       self->row->intacct_recordno) == 0));
      self->n_records++;
    }

  gtk_list_box_append (self->list,
                       make_row (CB_MAPPING_PICK_CREATE, NULL, _("Create in Intacct"),
                                 _("The next sync creates a new record from this one"),
                                 "list-add-symbolic"));
  gtk_list_box_append (self->list,
                       make_row (CB_MAPPING_PICK_CLEAR, NULL, _("Clear Mapping"),
                                 _("Back to unmapped"), "edit-clear-symbolic"));

  if (total > MAX_LISTED)
    {
      g_autofree char *text = g_strdup_printf (_("Showing %u of %u records: type to narrow the search."),
                                               MAX_LISTED, total);
      gtk_label_set_text (self->footer_label, text);
    }
  else
    {
      gtk_label_set_text (self->footer_label,
                          _("Type to search, ↑ and ↓ to move, Enter to pick, Escape to close."));
    }

  first = gtk_list_box_get_row_at_index (self->list, 0);
  gtk_list_box_select_row (self->list, first);
}

static void
pick_row (CbMappingPicker *self,
          GtkListBoxRow   *row)
{
  CbMappingPick pick;
  const char *recordno;

  if (row == NULL || self->picked)
    return;

  pick = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "cb-pick"));
  recordno = g_object_get_data (G_OBJECT (row), "cb-recordno");
  self->picked = TRUE;
  g_signal_emit (self, signals[SIGNAL_PICKED], 0, pick, recordno);
  gtk_window_close (GTK_WINDOW (self));
}

static void
move_selection (CbMappingPicker *self,
                int              delta)
{
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->list);
  int index = selected != NULL ? gtk_list_box_row_get_index (selected) + delta : 0;
  GtkListBoxRow *row;

  if (index < 0)
    index = 0;
  row = gtk_list_box_get_row_at_index (self->list, index);
  if (row == NULL)
    return;

  gtk_list_box_select_row (self->list, row);
  /* Scroll it into view without taking the focus from the search entry. */
  {
    GtkAdjustment *adj = gtk_list_box_get_adjustment (self->list);
    graphene_rect_t bounds;

    if (adj != NULL && gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self->list), &bounds))
      gtk_adjustment_clamp_page (adj, bounds.origin.y, bounds.origin.y + bounds.size.height);
  }
}

static gboolean
on_search_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          CbMappingPicker       *self)
{
  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_selection (self, 1);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_selection (self, -1);
      return TRUE;
    case GDK_KEY_Page_Down:
      move_selection (self, 10);
      return TRUE;
    case GDK_KEY_Page_Up:
      move_selection (self, -10);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
cb_mapping_picker_search_changed_cb (CbMappingPicker *self)
{
  fill_list (self);
}

static void
cb_mapping_picker_search_activate_cb (CbMappingPicker *self)
{
  pick_row (self, gtk_list_box_get_selected_row (self->list));
}

static void
cb_mapping_picker_stop_search_cb (CbMappingPicker *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
cb_mapping_picker_row_activated_cb (CbMappingPicker *self,
                                    GtkListBoxRow   *row)
{
  pick_row (self, row);
}

static void
cb_mapping_picker_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_MAPPING_PICKER);

  G_OBJECT_CLASS (cb_mapping_picker_parent_class)->dispose (object);
}

static void
cb_mapping_picker_finalize (GObject *object)
{
  CbMappingPicker *self = CB_MAPPING_PICKER (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->row, cb_mapping_row_free);

  G_OBJECT_CLASS (cb_mapping_picker_parent_class)->finalize (object);
}

static void
cb_mapping_picker_class_init (CbMappingPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_mapping_picker_dispose;
  object_class->finalize = cb_mapping_picker_finalize;

  /**
   * CbMappingPicker::picked:
   * @pick: a CbMappingPick
   * @recordno: (nullable): the Intacct RECORDNO for CB_MAPPING_PICK_RECORD
   */
  signals[SIGNAL_PICKED] = g_signal_new ("picked", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/costbridge/Costbridge/ui/cb-mapping-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, CbMappingPicker, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPicker, list);
  gtk_widget_class_bind_template_child (widget_class, CbMappingPicker, footer_label);
  gtk_widget_class_bind_template_callback (widget_class, cb_mapping_picker_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cb_mapping_picker_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, cb_mapping_picker_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, cb_mapping_picker_row_activated_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_mapping_picker_init (CbMappingPicker *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}

CbMappingPicker *
cb_mapping_picker_new (GtkWindow          *parent,
                       CbDatabase         *db,
                       const char         *profile_id,
                       CbMappingKind       kind,
                       const CbMappingRow *row,
                       guint               n_rows)
{
  CbMappingPicker *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);

  self = g_object_new (CB_TYPE_MAPPING_PICKER,
                       "transient-for", parent,
                       NULL);
  self->db = g_object_ref (db);
  self->profile_id = g_strdup (profile_id);
  self->kind = kind;
  self->n_rows = MAX (n_rows, 1);
  if (row != NULL)
    {
      self->row = g_new0 (CbMappingRow, 1);
      self->row->kind = row->kind;
      self->row->job_id = g_strdup (row->job_id);
      self->row->job_code = g_strdup (row->job_code);
      self->row->job_name = g_strdup (row->job_name);
      self->row->job_extra = g_strdup (row->job_extra);
      self->row->intacct_recordno = g_strdup (row->intacct_recordno);
    }

  if (self->n_rows > 1)
    {
      g_autofree char *subtitle = g_strdup_printf (ngettext ("%u record", "%u records",
                                                             self->n_rows),
                                                   self->n_rows);
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else if (self->row != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s  %s",
                                                   self->row->job_code ? self->row->job_code : "",
                                                   self->row->job_name ? self->row->job_name : "");
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }

  fill_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));

  return self;
}

GtkWidget *
cb_mapping_picker_get_search_entry (CbMappingPicker *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_PICKER (self), NULL);

  return GTK_WIDGET (self->search_entry);
}

guint
cb_mapping_picker_get_n_records (CbMappingPicker *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_PICKER (self), 0);

  return self->n_records;
}
