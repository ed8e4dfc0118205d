/* cb-import-dialog.c: see cb-import-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-error.h"
#include "cb-import-dialog.h"
#include "cb-import.h"
#include "cb-window.h"

/* The summary window's parts, kept on it as object data. */
typedef struct
{
  GtkWindow  *summary;      /* weak */
  GtkWindow  *parent;       /* weak */
  GtkLabel   *title;
  GtkLabel   *detail;
  GtkSpinner *spinner;
  GtkWidget  *counts;       /* GtkListBox */
  GtkWidget  *problems;     /* GtkScrolledWindow around a GtkTextView */
  GtkTextBuffer *buffer;
  GtkWidget  *copy;
  gboolean    done;
} Summary;

static void
summary_free (Summary *s)
{
  g_clear_weak_pointer (&s->summary);
  g_clear_weak_pointer (&s->parent);
  g_free (s);
}

static Summary *
summary_get (GtkWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "cb-import-summary");
}

static void
on_copy_clicked (GtkButton *button,
                 Summary   *s)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (s->buffer, &start, &end);
  text = gtk_text_buffer_get_text (s->buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  gtk_button_set_label (button, _("Copied"));
}

static GtkWindow *
summary_new (GtkWindow *parent)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *content, *box, *top, *buttons, *close, *view;
  Summary *s = g_new0 (Summary, 1);

  gtk_widget_set_name (window, "import-summary");
  gtk_window_set_title (GTK_WINDOW (window), _("Import"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 480);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), parent);
      g_set_weak_pointer (&s->parent, parent);
    }
  g_set_weak_pointer (&s->summary, GTK_WINDOW (window));

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (content), adw_header_bar_new ());
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_vexpand (box, TRUE);

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  s->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_spinner_start (s->spinner);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (s->spinner));
  s->title = GTK_LABEL (gtk_label_new (_("Importing…")));
  gtk_widget_set_name (GTK_WIDGET (s->title), "summary-title");
  gtk_widget_add_css_class (GTK_WIDGET (s->title), "title-3");
  gtk_label_set_xalign (s->title, 0.0);
  gtk_label_set_wrap (s->title, TRUE);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (s->title));
  gtk_box_append (GTK_BOX (box), top);

  s->detail = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (s->detail), "summary-detail");
  gtk_label_set_xalign (s->detail, 0.0);
  gtk_label_set_wrap (s->detail, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (s->detail));

  s->counts = gtk_list_box_new ();
  gtk_widget_set_name (s->counts, "summary-counts");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (s->counts), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (s->counts, "boxed-list");
  gtk_widget_set_valign (s->counts, GTK_ALIGN_START);
  gtk_widget_set_visible (s->counts, FALSE);
  gtk_box_append (GTK_BOX (box), s->counts);

  view = gtk_text_view_new ();
  gtk_widget_set_name (view, "summary-problems");
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  s->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  s->problems = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (s->problems), view);
  gtk_widget_add_css_class (s->problems, "card");
  gtk_widget_set_vexpand (s->problems, TRUE);
  gtk_widget_set_visible (s->problems, FALSE);
  gtk_box_append (GTK_BOX (box), s->problems);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_valign (buttons, GTK_ALIGN_END);
  gtk_widget_set_vexpand (buttons, TRUE);
  s->copy = gtk_button_new_with_mnemonic (_("C_opy Problems"));
  gtk_widget_set_name (s->copy, "copy");
  gtk_widget_set_visible (s->copy, FALSE);
  g_signal_connect (s->copy, "clicked", G_CALLBACK (on_copy_clicked), s);
  close = gtk_button_new_with_mnemonic (_("_Close"));
  gtk_widget_set_name (close, "close");
  gtk_widget_add_css_class (close, "suggested-action");
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (gtk_window_close), window);
  gtk_box_append (GTK_BOX (buttons), s->copy);
  gtk_box_append (GTK_BOX (buttons), close);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_box_append (GTK_BOX (content), box);
  adw_window_set_content (ADW_WINDOW (window), content);
  gtk_window_set_default_widget (GTK_WINDOW (window), close);
  g_object_set_data_full (G_OBJECT (window), "cb-import-summary", s,
                          (GDestroyNotify) summary_free);
  return GTK_WINDOW (window);
}

static void
add_count_row (Summary                *s,
               CbJobKind               kind,
               const CbJobApplyCounts *c)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = g_strconcat ("count-", cb_job_kind_to_string (kind), NULL);
  g_autofree char *subtitle = NULL;

  if (c->vanished > 0)
    subtitle = g_strdup_printf (_("%u added, %u updated, %u unchanged, %u no longer in the export"),
                                c->added, c->updated, c->unchanged, c->vanished);
  else
    subtitle = g_strdup_printf (_("%u added, %u updated, %u unchanged"),
                                c->added, c->updated, c->unchanged);
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cb_job_kind_get_label (kind));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_append (GTK_LIST_BOX (s->counts), row);
}

static void
show_outcome (Summary        *s,
              CbImportReport *report,
              const GError   *error)
{
  gboolean changed = FALSE;

  gtk_spinner_stop (s->spinner);
  gtk_widget_set_visible (GTK_WIDGET (s->spinner), FALSE);

  if (error == NULL && report != NULL)
    {
      guint records = 0;

      for (guint k = 0; k < CB_JOB_N_KINDS; k++)
        {
          const CbJobApplyCounts *c = &report->counts[k];
          guint n = c->added + c->updated + c->unchanged + c->vanished;

          if (n == 0)
            continue;
          records += n;
          changed |= c->added + c->updated + c->vanished > 0;
          add_count_row (s, k, c);
        }
      gtk_label_set_text (s->title, _("Imported"));
      {
        g_autofree char *files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u file", "%u files",
                                                               report->files), report->files);
        g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%s, %u record.",
                                                                "%s, %u records.", records),
                                                   files, records);
        gtk_label_set_text (s->detail, detail);
      }
      gtk_widget_set_visible (s->counts, TRUE);
    }
  else
    {
      g_autoptr(GString) text = g_string_new (NULL);

      gtk_label_set_text (s->title, _("Nothing was imported"));
      gtk_widget_add_css_class (GTK_WIDGET (s->title), "error");
      if (report != NULL && report->problems != NULL && report->problems->len > 0)
        {
          g_autofree char *detail = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE,
                         "The files were rejected because of %u problem. Fix it in the export and import the files again.",
                         "The files were rejected because of %u problems. Fix them in the export and import the files again.",
                         report->problems->len + report->problems_dropped),
            report->problems->len + report->problems_dropped);

          gtk_label_set_text (s->detail, detail);
          for (guint i = 0; i < report->problems->len; i++)
            {
              g_autofree char *line = cb_import_problem_to_string (g_ptr_array_index (report->problems, i));
              g_string_append_printf (text, "%s\n", line);
            }
          if (report->problems_dropped > 0)
            g_string_append_printf (text, _("… and %u more problems\n"), report->problems_dropped);
        }
      else
        {
          gtk_label_set_text (s->detail, _("The files could not be read. Nothing was stored."));
          g_string_append_printf (text, "%s\n", error != NULL ? error->message : "");
        }
      gtk_text_buffer_set_text (s->buffer, text->str, -1);
      gtk_widget_set_visible (s->problems, TRUE);
      gtk_widget_set_visible (s->copy, TRUE);
    }

  s->done = TRUE;
  if (changed && s->parent != NULL && CB_IS_WINDOW (s->parent))
    cb_window_data_changed (CB_WINDOW (s->parent));
}

static void
on_imported (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GtkWindow) window = user_data;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Summary *s = summary_get (window);

  cb_import_files_finish (res, &report, &error);
  if (s != NULL && s->summary != NULL)
    show_outcome (s, report, error);
}

GtkWindow *
_cb_import_dialog_import_files (GtkWindow  *parent,
                                CbDatabase *db,
                                const char *profile_id,
                                GPtrArray  *files)
{
  CbImportOptions options = { 0 };
  GtkWindow *window;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (files != NULL, NULL);

  window = summary_new (parent);
  gtk_window_present (window);
  cb_import_files_async (cb_database_get_path (db), profile_id, files, &options, NULL,
                         on_imported, g_object_ref (window));
  return window;
}

gboolean
_cb_import_dialog_is_done (GtkWindow *summary)
{
  Summary *s = summary_get (summary);

  g_return_val_if_fail (s != NULL, FALSE);
  return s->done;
}

typedef struct
{
  GtkWindow  *parent;   /* weak */
  CbDatabase *db;
  char       *profile_id;
} ChooseData;

static void
choose_data_free (ChooseData *d)
{
  g_clear_weak_pointer (&d->parent);
  g_clear_object (&d->db);
  g_free (d->profile_id);
  g_free (d);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     ChooseData      *d)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) model = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        g_ptr_array_add (files, g_list_model_get_item (model, i));
      if (files->len > 0)
        _cb_import_dialog_import_files (d->parent, d->db, d->profile_id, files);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  choose_data_free (d);
}

void
cb_import_dialog_run (GtkWindow  *parent,
                      CbDatabase *db,
                      const char *profile_id)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  ChooseData *d;

  g_return_if_fail (CB_IS_DATABASE (db));
  g_return_if_fail (profile_id != NULL);

  chooser = gtk_file_chooser_native_new (_("Import Job Data"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);

  gtk_file_filter_set_name (all, _("JSON and CSV files"));
  gtk_file_filter_add_mime_type (all, "application/json");
  gtk_file_filter_add_mime_type (all, "text/csv");
  gtk_file_filter_add_suffix (all, "json");
  gtk_file_filter_add_suffix (all, "csv");
  gtk_file_filter_set_name (json, _("JSON files"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_suffix (json, "json");
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);

  d = g_new0 (ChooseData, 1);
  if (parent != NULL)
    g_set_weak_pointer (&d->parent, parent);
  d->db = g_object_ref (db);
  d->profile_id = g_strdup (profile_id);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), d);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
