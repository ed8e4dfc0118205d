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
  GtkSpinner     *spinner;

  CbMappingRow   *row;         /* a copy of what is needed: code, name, extra, recordno */
  guint           n_rows;
  guint           n_records;
  gboolean        picked;
  CbMappingRanker *ranker;
  GCancellable   *cancellable; /* the list being filled */
  gboolean        pick_when_loaded;
};

static void pick_row (CbMappingPicker *self,
                      GtkListBoxRow   *row);

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

/* CbMappingRanker */

struct _CbMappingRanker
{
  gatomicrefcount  ref_count;
  char            *path;
  char            *profile_id;
  CbMappingKind    kind;

  GMutex           lock;      /* the rest, taken by one worker at a time */
  CbDatabase      *db;
  GPtrArray       *records;   /* CbCachedRecord, the matcher's right side */
  CbMatcher       *matcher;
  gboolean         built;
};

CbMappingRanker *
cb_mapping_ranker_new (const char    *db_path,
                       const char    *profile_id,
                       CbMappingKind  kind)
{
  CbMappingRanker *self;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);

  self = g_new0 (CbMappingRanker, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->path = g_strdup (db_path);
  self->profile_id = g_strdup (profile_id);
  self->kind = kind;
  g_mutex_init (&self->lock);

  return self;
}

CbMappingRanker *
cb_mapping_ranker_ref (CbMappingRanker *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
cb_mapping_ranker_unref (CbMappingRanker *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->matcher, cb_matcher_free);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_object (&self->db);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self->profile_id);
  g_free (self);
}

gboolean
cb_mapping_ranker_is_built (CbMappingRanker *self)
{
  gboolean built;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->lock);
  built = self->built;
  g_mutex_unlock (&self->lock);

  return built;
}

/* With the lock held. */
static gboolean
ranker_build (CbMappingRanker  *self,
              GError          **error)
{
  g_autofree CbMatchItem *right = NULL;

  if (self->built)
    return TRUE;

  if (self->db == NULL)
    {
      self->db = cb_database_open (self->path, error);
      if (self->db == NULL)
        return FALSE;
    }
  self->records = cb_intacct_cache_list (self->db, self->profile_id,
                                         cb_mapping_kind_intacct_object (self->kind), NULL, error);
  if (self->records == NULL)
    return FALSE;

  right = g_new0 (CbMatchItem, MAX (self->records->len, 1));
  for (guint i = 0; i < self->records->len; i++)
    {
      CbCachedRecord *record = g_ptr_array_index (self->records, i);

      right[i].code = record->id;
      right[i].name = record->name;
    }
  self->matcher = cb_matcher_new (cb_mapping_kind_match_kind (self->kind), right,
                                  self->records->len);
  self->built = TRUE;

  return TRUE;
}

/* Filling the list in a worker */

typedef struct
{
  char *recordno, *id, *name, *status, *reason;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->recordno);
  g_free (entry->id);
  g_free (entry->name);
  g_free (entry->status);
  g_free (entry->reason);
  g_free (entry);
}

static Entry *
entry_new (const CbCachedRecord *record,
           char                 *reason)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->recordno = g_strdup (record->recordno);
  entry->id = g_strdup (record->id);
  entry->name = g_strdup (record->name);
  entry->status = g_strdup (record->status);
  entry->reason = reason;

  return entry;
}

typedef struct
{
  CbMappingRanker *ranker;
  char            *search;      /* NULL: none */
  gboolean         rank;
  char            *code, *name, *extra;
} FillJob;

static void
fill_job_free (FillJob *job)
{
  cb_mapping_ranker_unref (job->ranker);
  g_free (job->search);
  g_free (job->code);
  g_free (job->name);
  g_free (job->extra);
  g_free (job);
}

typedef struct
{
  GPtrArray *entries;   /* Entry: ranked ones (with a reason) first */
  guint      total;     /* records matching the search */
} FillResult;

static void
fill_result_free (FillResult *result)
{
  g_ptr_array_unref (result->entries);
  g_free (result);
}

static void
fill_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FillJob *job = task_data;
  CbMappingRanker *ranker = job->ranker;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) found = NULL;
  GPtrArray *records;
  FillResult *result = g_new0 (FillResult, 1);

  result->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);

  g_mutex_lock (&ranker->lock);
  if (!ranker_build (ranker, &error))
    {
      g_mutex_unlock (&ranker->lock);
      fill_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (job->rank && ranker->records->len > 0)
    {
      CbMatchItem left = { .code = job->code, .name = job->name };
      g_autoptr(GArray) ranked = NULL;

      if (ranker->kind == CB_MAPPING_VENDORS)
        left.tax_id = job->extra;
      ranked = cb_matcher_rank (ranker->matcher, &left, MAX_RANKED);
      for (guint i = 0; i < ranked->len; i++)
        {
          CbMatchResult *match = &g_array_index (ranked, CbMatchResult, i);
          CbCachedRecord *record;

          if (match->candidate < 0 || (guint) match->candidate >= ranker->records->len)
            continue;
          record = g_ptr_array_index (ranker->records, match->candidate);
          if (!g_hash_table_add (shown, record->recordno))
            continue;
          g_ptr_array_add (result->entries,
                           /* TRANSLATORS: a match score and its reason, e.g. "92 · name 92% alike" */
                           entry_new (record, g_strdup_printf (_("Score %u · %s"), match->score,
                                                               match->reason != NULL ? match->reason : "")));
        }
    }

  /* Every record (the matcher's copy) or those the search finds, in ID order. */
  if (job->search != NULL)
    {
      found = cb_intacct_cache_list (ranker->db, ranker->profile_id,
                                     cb_mapping_kind_intacct_object (ranker->kind),
                                     job->search, &error);
      if (found == NULL)
        g_warning ("Could not read the Intacct records: %s", error->message);
    }
  records = job->search != NULL ? found : ranker->records;
  result->total = records != NULL ? records->len : 0;
  for (guint i = 0; records != NULL && i < records->len && result->entries->len < MAX_LISTED; i++)
    {
      CbCachedRecord *record = g_ptr_array_index (records, i);

      if (!g_hash_table_contains (shown, record->recordno))
        g_ptr_array_add (result->entries, entry_new (record, NULL));
    }
  g_mutex_unlock (&ranker->lock);

  g_task_return_pointer (task, result, (GDestroyNotify) fill_result_free);
}

static GtkWidget *
make_entry_row (CbMappingPicker *self,
                const Entry     *entry)
{
  CbCachedRecord record = {
    .recordno = entry->recordno,
    .id = entry->id,
    .name = entry->name,
    .status = entry->status,
  };

  return make_record_row (&record, entry->reason,
                          self->row != NULL &&
                          g_strcmp0 (entry->recordno, self->row->intacct_recordno) == 0);
}

static void
on_fill_done_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  CbMappingPicker *self = CB_MAPPING_PICKER (source);
  g_autoptr(GError) error = NULL;
  FillResult *result = g_task_propagate_pointer (G_TASK (res), &error);
  GtkListBoxRow *first;

  /* The newest search wins. */
  if (g_task_get_cancellable (G_TASK (res)) != self->cancellable)
    {
      g_clear_pointer (&result, fill_result_free);
      return;
    }
  g_clear_object (&self->cancellable);

  clear_list (self);
  if (result == NULL)
    {
      g_warning ("Could not read the Intacct records: %s", error->message);
    }
  else
    {
      for (guint i = 0; i < result->entries->len; i++)
        {
          gtk_list_box_append (self->list, make_entry_row (self, g_ptr_array_index (result->entries, i)));
          self->n_records++;
        }
    }

  gtk_list_box_append (self->list,
                       make_row (CB_MAPPING_PICK_CREATE, NULL, _("Create in Intacct"),
                                 _("The next sync creates a new record from this one"),
                                 "list-add-symbolic"));
  gtk_list_box_append (self->list,
                       make_row (CB_MAPPING_PICK_CLEAR, NULL, _("Clear Mapping"),
                                 _("Back to unmapped"), "edit-clear-symbolic"));

  if (result != NULL && result->total > MAX_LISTED)
    {
      g_autofree char *text = g_strdup_printf (_("Showing %u of %u records: type to narrow the search."),
                                               MAX_LISTED, result->total);
      gtk_label_set_text (self->footer_label, text);
    }
  else
    {
      gtk_label_set_text (self->footer_label,
                          _("Type to search, ↑ and ↓ to move, Enter to pick, Escape to close."));
    }
  g_clear_pointer (&result, fill_result_free);

  first = gtk_list_box_get_row_at_index (self->list, 0);
  gtk_list_box_select_row (self->list, first);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_spinner_set_spinning (self->spinner, FALSE);

  /* Enter pressed while the list was loading picks now. */
  if (self->pick_when_loaded)
    pick_row (self, gtk_list_box_get_selected_row (self->list));
}

static void
fill_list (CbMappingPicker *self)
{
  g_autoptr(GTask) task = NULL;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (search));
  FillJob *job = g_new0 (FillJob, 1);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->pick_when_loaded = FALSE;

  job->ranker = cb_mapping_ranker_ref (self->ranker);
  job->search = *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
  job->rank = job->search == NULL && self->row != NULL && self->row->job_id != NULL;
  if (self->row != NULL)
    {
      job->code = g_strdup (self->row->job_code);
      job->name = g_strdup (self->row->job_name);
      job->extra = g_strdup (self->row->job_extra);
    }

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_fill_done_cb, NULL);
  g_task_set_source_tag (task, fill_list);
  g_task_set_task_data (task, job, (GDestroyNotify) fill_job_free);
  /* The newest search wins: a stale one finishes, but its list is dropped. */
  g_task_set_check_cancellable (task, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  g_task_run_in_thread (task, fill_thread);
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
  if (self->cancellable != NULL)
    {
      self->pick_when_loaded = TRUE;
      return;
    }
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
  CbMappingPicker *self = CB_MAPPING_PICKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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
  g_clear_pointer (&self->ranker, cb_mapping_ranker_unref);

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
  gtk_widget_class_bind_template_child (widget_class, CbMappingPicker, spinner);
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
  return cb_mapping_picker_new_with_ranker (parent, db, profile_id, kind, row, n_rows, NULL);
}

CbMappingPicker *
cb_mapping_picker_new_with_ranker (GtkWindow          *parent,
                                   CbDatabase         *db,
                                   const char         *profile_id,
                                   CbMappingKind       kind,
                                   const CbMappingRow *row,
                                   guint               n_rows,
                                   CbMappingRanker    *ranker)
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
  self->ranker = ranker != NULL ? cb_mapping_ranker_ref (ranker)
                                : cb_mapping_ranker_new (cb_database_get_path (db), profile_id, kind);
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

gboolean
cb_mapping_picker_is_loading (CbMappingPicker *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_PICKER (self), FALSE);

  return self->cancellable != NULL;
}

guint
cb_mapping_picker_get_n_records (CbMappingPicker *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_PICKER (self), 0);

  return self->n_records;
}
