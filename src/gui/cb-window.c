/* cb-window.c: the main window, a sidebar of pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is a shell: a header bar, a fixed sidebar (a GtkListBox in the
 * navigation-sidebar style) and a GtkStack of pages. Connection is the CbConnectPage;
 * every other page is a CbPage (cb-page.h) that the window tells which company profile is
 * current, and asks to reload when an import, a refresh from Intacct or a sync changed
 * the store (cb_window_data_changed()). A page's summary shows beside its sidebar row.
 */

#define G_LOG_DOMAIN "cb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-window.h"

#include "cb-application.h"
#include "cb-bills-page.h"
#include "cb-connect-page.h"
#include "cb-history-page.h"
#include "cb-import-dialog.h"
#include "cb-mapping-page.h"
#include "cb-refresh-dialog.h"
#include "cb-sync-page.h"
#include "cb-profile.h"
#include "cb-secret-store.h"

#define DEFAULT_PAGE "connection"

struct _CbWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  CbDatabase           *db;
  CbConnectPage        *connect_page;
  GtkMenuButton        *profile_button;
  GPtrArray            *pages;           /* CbPage, in sidebar order */
  char                 *profile_id;      /* the current company, or NULL */

  /* Template children */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkListBox           *sidebar;
  GtkStack             *stack;
  AdwBin               *connection_bin;
};

G_DEFINE_FINAL_TYPE (CbWindow, cb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  DATA_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_PAGE,
  PROP_PROFILE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkListBoxRow *
find_sidebar_row (CbWindow   *self,
                  const char *page)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) &&
          g_strcmp0 (gtk_widget_get_name (child), page) == 0)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

static void
cb_window_sidebar_row_activated_cb (GtkListBox    *list,
                                    GtkListBoxRow *row,
                                    CbWindow      *self)
{
  gtk_list_box_select_row (list, row);
}

static void
cb_window_sidebar_row_selected_cb (GtkListBox    *list,
                                   GtkListBoxRow *row,
                                   CbWindow      *self)
{
  const char *page;

  if (row == NULL)
    return;

  page = gtk_widget_get_name (GTK_WIDGET (row));
  if (g_strcmp0 (page, gtk_stack_get_visible_child_name (self->stack)) == 0)
    return;

  gtk_stack_set_visible_child_name (self->stack, page);
  g_settings_set_string (self->settings, "last-page", page);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static gboolean
cb_window_close_request (GtkWindow *window)
{
  CbWindow *self = CB_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (cb_window_parent_class)->close_request (window);
}

static void
cb_window_dispose (GObject *object)
{
  CbWindow *self = CB_WINDOW (object);

  g_clear_pointer (&self->pages, g_ptr_array_unref);   /* borrowed: the stack owns them */

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_WINDOW);

  G_OBJECT_CLASS (cb_window_parent_class)->dispose (object);
}

static void
cb_window_finalize (GObject *object)
{
  CbWindow *self = CB_WINDOW (object);

  g_clear_pointer (&self->profile_id, g_free);

  g_clear_object (&self->settings);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (cb_window_parent_class)->finalize (object);
}

static void
cb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CbWindow *self = CB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_string (value, cb_window_get_page (self));
      break;

    case PROP_PROFILE_ID:
      g_value_set_string (value, self->profile_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CbWindow *self = CB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      cb_window_set_page (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Profiles */

/* Tells every page which company is current (after a switch, an add or a removal). */
static void
sync_pages_profile (CbWindow *self)
{
  const CbProfile *current = cb_connect_page_get_profile (self->connect_page);
  const char *id = current != NULL ? current->id : NULL;

  if (id != NULL && self->db != NULL)
    {
      g_autoptr(CbProfile) stored = cb_profile_load (self->db, id, NULL);

      if (stored == NULL)
        id = NULL;   /* not saved yet: the assistant is still filling it in */
    }
  if (g_strcmp0 (id, self->profile_id) == 0)
    return;

  g_free (self->profile_id);
  self->profile_id = g_strdup (id);
  for (guint i = 0; self->pages != NULL && i < self->pages->len; i++)
    cb_page_set_profile (g_ptr_array_index (self->pages, i), self->db, self->profile_id);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", self->profile_id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", self->profile_id != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE_ID]);
}

static void
on_page_summary_cb (CbPage     *page,
                    GParamSpec *pspec,
                    GtkLabel   *label)
{
  const char *summary = cb_page_get_summary (page);

  gtk_label_set_label (label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (label), summary != NULL && *summary != '\0');
}

static void
add_page (CbWindow   *self,
          const char *name,
          const char *title,
          GtkWidget  *page)
{
  GtkListBoxRow *row = find_sidebar_row (self, name);
  GtkWidget *summary = gtk_label_new (NULL);

  gtk_widget_set_name (page, name);
  gtk_stack_add_titled (self->stack, page, name, title);
  g_ptr_array_add (self->pages, page);

  /* The page's summary, a caption under the page's name in its sidebar row, so that
   * neither has to be cut short. */
  {
    GtkWidget *box = gtk_list_box_row_get_child (row);
    GtkWidget *name_label = gtk_widget_get_last_child (box);
    GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

    g_object_ref (name_label);
    gtk_box_remove (GTK_BOX (box), name_label);
    gtk_box_append (GTK_BOX (column), name_label);
    g_object_unref (name_label);
    gtk_widget_set_valign (column, GTK_ALIGN_CENTER);
    gtk_widget_set_hexpand (column, TRUE);
    gtk_box_append (GTK_BOX (column), summary);
    gtk_box_append (GTK_BOX (box), column);
  }
  gtk_widget_set_name (summary, "summary");
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (summary, "dim-label");
  gtk_widget_add_css_class (summary, "caption");
  gtk_widget_set_visible (summary, FALSE);
  g_signal_connect_object (page, "notify::summary", G_CALLBACK (on_page_summary_cb), summary, 0);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->profile_id != NULL)
    cb_import_dialog_run (GTK_WINDOW (self), self->db, self->profile_id);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->profile_id != NULL)
    cb_refresh_dialog_present (GTK_WINDOW (self), self->db, self->profile_id);
}

static void
update_profile_menu (CbWindow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) profiles_section = g_menu_new ();
  g_autoptr(GMenu) actions_section = g_menu_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  const CbProfile *current = cb_connect_page_get_profile (self->connect_page);
  g_autofree char *current_id = NULL;
  gboolean found = FALSE;

  if (self->db != NULL)
    profiles = cb_profile_list (self->db, NULL);

  current_id = g_settings_get_string (self->settings, "current-profile");
  if (current != NULL && current->id != NULL)
    {
      g_free (current_id);
      current_id = g_strdup (current->id);
    }

  for (guint i = 0; profiles != NULL && i < profiles->len; i++)
    {
      CbProfile *profile = g_ptr_array_index (profiles, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (profile->name, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-profile",
                                               g_variant_new_string (profile->id));
      g_menu_append_item (profiles_section, item);
      if (g_strcmp0 (profile->id, current_id) == 0)
        {
          adw_window_title_set_subtitle (self->window_title, profile->name);
          gtk_menu_button_set_label (self->profile_button, profile->name);
          found = TRUE;
        }
    }

  g_menu_append (actions_section, _("_Add Company…"), "win.add-company");
  g_menu_append (actions_section, _("_Rename Company…"), "win.rename-profile");
  g_menu_append (actions_section, _("Re_move Company…"), "win.remove-profile");
  g_menu_append_section (menu, _("Companies"), G_MENU_MODEL (profiles_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (actions_section));
  gtk_menu_button_set_menu_model (self->profile_button, G_MENU_MODEL (menu));

  if (!found)
    gtk_menu_button_set_label (self->profile_button, _("Companies"));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rename-profile", current != NULL && current->id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-profile", current != NULL && current->id != NULL);
  sync_pages_profile (self);
}

static void
on_profiles_changed_cb (CbConnectPage *page,
                        CbWindow      *self)
{
  const CbProfile *current = cb_connect_page_get_profile (page);

  if (current != NULL && current->id != NULL)
    g_settings_set_string (self->settings, "current-profile", current->id);

  update_profile_menu (self);
}

static void
on_demo_requested_cb (CbConnectPage *page,
                      CbWindow      *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;

  if (!CB_IS_APPLICATION (app))
    return;

  endpoint = cb_application_start_demo (CB_APPLICATION (app), &error);
  if (endpoint == NULL)
    {
      g_autofree char *title = NULL;
      AdwToast *toast;

      /* Translators: %s is the reason, e.g. "Address already in use" */
      title = g_strdup_printf (_("Could not start the demo company: %s"), error->message);
      toast = adw_toast_new (title);
      adw_toast_set_timeout (toast, 0);
      g_message ("Could not start the demo company: %s", error->message);
      _cb_window_add_toast (self, toast);
      return;
    }

  cb_connect_page_set_demo_endpoint (page, endpoint);
}

static void
open_profile_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  cb_window_set_page (self, "connection");
  cb_connect_page_open_profile (self->connect_page, id);
  g_settings_set_string (self->settings, "current-profile", id);
  update_profile_menu (self);
}

static void
add_company_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  cb_window_set_page (self, "connection");
  cb_connect_page_add_company (self->connect_page);
  update_profile_menu (self);
}

static void
on_rename_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CbWindow         *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "cb-entry");
  const char *id = g_object_get_data (G_OBJECT (dialog), "cb-profile-id");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "rename") != 0 || *name == '\0' || self->db == NULL)
    return;

  if (!cb_profile_rename (self->db, id, name, &error))
    {
      g_message ("Could not rename the profile: %s", error->message);
      _cb_window_add_toast (self, adw_toast_new (_("Could not rename the company")));
      return;
    }

  cb_connect_page_open_profile (self->connect_page, id);
  update_profile_menu (self);
}

static void
rename_profile_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  const CbProfile *profile = cb_connect_page_get_profile (self->connect_page);
  GtkWidget *dialog;
  GtkWidget *entry;

  if (profile == NULL || profile->id == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Rename Company"),
                                   _("The name is only for you: it changes nothing in Intacct."));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), profile->name ? profile->name : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "cb-entry", entry);
  g_object_set_data_full (G_OBJECT (dialog), "cb-profile-id", g_strdup (profile->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_secrets_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;

  if (!cb_secret_store_clear (task_data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_secrets_done_cb (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_message ("Could not remove the company’s passwords from the keyring: %s", error->message);
}

static void
on_remove_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CbWindow         *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "cb-profile-id");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (response, "remove") != 0 || self->db == NULL)
    return;

  if (!cb_profile_delete (self->db, id, &error))
    {
      g_message ("Could not remove the profile: %s", error->message);
      _cb_window_add_toast (self, adw_toast_new (_("Could not remove the company")));
      return;
    }

  /* The passwords go too, in a worker: the keyring may be slow to answer. */
  task = g_task_new (NULL, NULL, clear_secrets_done_cb, NULL);
  g_task_set_source_tag (task, on_remove_response_cb);
  g_task_set_task_data (task, g_strdup (id), g_free);
  g_task_run_in_thread (task, clear_secrets_thread);

  g_settings_reset (self->settings, "current-profile");
  cb_connect_page_add_company (self->connect_page);
  cb_connect_page_set_step (self->connect_page, "welcome");
  adw_window_title_set_subtitle (self->window_title, _("No company connected"));
  update_profile_menu (self);
}

static void
remove_profile_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  const CbProfile *profile = cb_connect_page_get_profile (self->connect_page);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (profile == NULL || profile->id == NULL)
    return;

  /* Translators: %s is the company profile name */
  heading = g_strdup_printf (_("Remove “%s”?"), profile->name ? profile->name : profile->company_id);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Costbridge forgets this company and removes its passwords from your keyring. Nothing changes in Intacct."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cb-profile-id", g_strdup (profile->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cb_window_constructed (GObject *object)
{
  CbWindow *self = CB_WINDOW (object);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *current_id = NULL;

  G_OBJECT_CLASS (cb_window_parent_class)->constructed (object);

  if (CB_IS_APPLICATION (app))
    {
      CbDatabase *db = cb_application_get_database (CB_APPLICATION (app));

      if (db != NULL)
        self->db = g_object_ref (db);
    }
  else
    {
      g_autofree char *path = cb_database_default_path ();
      g_autoptr(GError) error = NULL;

      self->db = cb_database_open (path, &error);
      if (self->db == NULL)
        g_message ("Could not open the database: %s", error->message);
    }

  self->connect_page = cb_connect_page_new (self->db);
  gtk_widget_set_name (GTK_WIDGET (self->connect_page), "connect-page");
  g_signal_connect_object (self->connect_page, "profiles-changed",
                           G_CALLBACK (on_profiles_changed_cb), self, 0);
  g_signal_connect_object (self->connect_page, "demo-requested",
                           G_CALLBACK (on_demo_requested_cb), self, 0);
  adw_bin_set_child (self->connection_bin, GTK_WIDGET (self->connect_page));

  self->profile_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_widget_set_name (GTK_WIDGET (self->profile_button), "profile-button");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->profile_button), _("Switch Company"));
  gtk_menu_button_set_always_show_arrow (self->profile_button, TRUE);
  adw_header_bar_pack_start (self->header_bar, GTK_WIDGET (self->profile_button));

  /* The last company used opens again; a first run shows the welcome page. */
  current_id = g_settings_get_string (self->settings, "current-profile");
  if (*current_id != '\0' && self->db != NULL)
    {
      g_autoptr(CbProfile) profile = cb_profile_load (self->db, current_id, NULL);

      if (profile != NULL)
        cb_connect_page_open_profile (self->connect_page, current_id);
    }

  update_profile_menu (self);
}

static void
cb_window_class_init (CbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cb_window_constructed;
  object_class->dispose = cb_window_dispose;
  object_class->finalize = cb_window_finalize;
  object_class->get_property = cb_window_get_property;
  object_class->set_property = cb_window_set_property;

  window_class->close_request = cb_window_close_request;

  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL,
                         DEFAULT_PAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PROFILE_ID] =
    g_param_spec_string ("profile-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/costbridge/Costbridge/ui/cb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, connection_bin);
  gtk_widget_class_bind_template_callback (widget_class, cb_window_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, cb_window_sidebar_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "win.open-profile", "s", open_profile_action);
  gtk_widget_class_install_action (widget_class, "win.add-company", NULL, add_company_action);
  gtk_widget_class_install_action (widget_class, "win.rename-profile", NULL, rename_profile_action);
  gtk_widget_class_install_action (widget_class, "win.remove-profile", NULL, remove_profile_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);

  /**
   * CbWindow::data-changed:
   *
   * Something changed the store for the current profile (an import, a refresh, a sync);
   * every page has reloaded when handlers run.
   */
  signals[DATA_CHANGED] =
    g_signal_new ("data-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cb_window_init (CbWindow *self)
{
  g_autofree char *last_page = NULL;
  GtkListBoxRow *row;

  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = g_settings_new (CB_SCHEMA_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  adw_window_title_set_subtitle (self->window_title, _("No company connected"));

  self->pages = g_ptr_array_new ();
  add_page (self, "cost-codes", _("Cost codes"), cb_mapping_page_new ("cost-codes"));
  add_page (self, "cost-types", _("Cost types"), cb_mapping_page_new ("cost-types"));
  add_page (self, "vendors", _("Vendors"), cb_mapping_page_new ("vendors"));
  add_page (self, "projects", _("Jobs → Projects"), cb_mapping_page_new ("projects"));
  add_page (self, "bills", _("Bills"), cb_bills_page_new ());
  add_page (self, "sync", _("Sync"), cb_sync_page_new ());
  add_page (self, "history", _("History"), cb_history_page_new ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", FALSE);

  last_page = g_settings_get_string (self->settings, "last-page");
  row = find_sidebar_row (self, last_page);
  if (row == NULL)
    row = find_sidebar_row (self, DEFAULT_PAGE);
  gtk_stack_set_visible_child_name (self->stack, gtk_widget_get_name (GTK_WIDGET (row)));
  gtk_list_box_select_row (self->sidebar, row);
}

CbWindow *
cb_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (CB_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

const char *
cb_window_get_page (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
cb_window_set_page (CbWindow   *self,
                    const char *page)
{
  GtkListBoxRow *row;

  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (page != NULL);

  row = find_sidebar_row (self, page);
  g_return_if_fail (row != NULL);

  gtk_list_box_select_row (self->sidebar, row);
}

void
_cb_window_add_toast (CbWindow *self,
                      AdwToast *toast)
{
  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_cb_window_set_demo_endpoint (CbWindow   *self,
                              const char *endpoint)
{
  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (endpoint != NULL);

  /* The demo company goes through the assistant like any other: its profile is saved
   * once the connection works, and the application then fills it with data. */
  cb_connect_page_set_demo_endpoint (self->connect_page, endpoint);
  cb_connect_page_use_demo (self->connect_page);
}

CbDatabase *
cb_window_get_database (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->db;
}

const char *
cb_window_get_profile_id (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->profile_id;
}

void
cb_window_data_changed (CbWindow *self)
{
  g_return_if_fail (CB_IS_WINDOW (self));

  for (guint i = 0; self->pages != NULL && i < self->pages->len; i++)
    cb_page_reload (g_ptr_array_index (self->pages, i));
  g_signal_emit (self, signals[DATA_CHANGED], 0);
}
