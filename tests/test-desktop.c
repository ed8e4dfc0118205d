/* test-desktop.c: Costbridge as a GNOME citizen, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The about window's fields, the preferences window bound both ways to GSettings, the
 * shortcuts window and its accelerators, F1 opening help:costbridge in the default help
 * viewer (a stand-in that records the URI it is given), window size and last page
 * remembered, every template instantiated, every button labelled for screen readers, and
 * every page of the demo company in light and dark style (screenshots in
 * $COSTBRIDGE_SCREENSHOT_DIR). /desktop/metainfo-screenshots saves the pictures the
 * metainfo shows into data/screenshots/ in the build directory; copy them to the source
 * tree's data/screenshots/ to refresh the published ones.
 */

#define G_LOG_DOMAIN "test-desktop"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cb-application.h"
#include "cb-connect-page.h"
#include "cb-history-page.h"
#include "cb-mapping-page.h"
#include "cb-mapping-store.h"
#include "cb-page.h"
#include "cb-planner.h"
#include "cb-preferences-window.h"
#include "cb-profile.h"
#include "cb-sync-page.h"
#include "cb-window.h"

#include "cb-sandbox.h"
#include "cb-test-ui.h"

static const char * const pages[] = {
  "connection", "cost-codes", "cost-types", "vendors", "projects", "bills", "sync", "history",
};

static CbApplication *app;
static char *scratch_dir;   /* XDG data and config homes, with the stand-in help viewer */

/* Helpers */

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type) && gtk_widget_get_visible (GTK_WIDGET (item)))
        return GTK_WINDOW (item);
    }

  return NULL;
}

static gboolean
has_toplevel (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static CbWindow *
present_window (int width,
                int height)
{
  CbWindow *window = cb_window_new (GTK_APPLICATION (app));

  g_object_ref_sink (window);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, window, 5000));
  cb_test_wait_for_frame (GTK_WIDGET (window));

  return window;
}

static void
destroy_window (CbWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
assert_accel (const char *action,
              const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  if (!g_strv_contains ((const char * const *) accels, accel))
    g_error ("%s is not bound to %s", action, accel);
}

/* About */

static void
test_about (void)
{
  CbWindow *window = present_window (900, 640);
  AdwAboutWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (cb_test_spin_until (has_toplevel, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW), 5000));
  about = ADW_ABOUT_WINDOW (find_toplevel (ADW_TYPE_ABOUT_WINDOW));

  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Costbridge");
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APPLICATION_ID);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_developer_name (about), ==, "The Costbridge developers");
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  g_assert_true (g_str_has_prefix (adw_about_window_get_issue_url (about), "https://"));
  g_assert_nonnull (strstr (adw_about_window_get_copyright (about), "Costbridge"));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));

  /* The icon the about window names is installed under that name. */
  {
    g_autofree char *icon = g_strconcat (APPLICATION_ID, ".svg", NULL);
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "icons", "hicolor",
                                                   "scalable", "apps", icon, NULL);
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  }

  cb_test_save_screenshot (GTK_WIDGET (about), "desktop-about.png");
  gtk_window_destroy (GTK_WINDOW (about));
  destroy_window (window);
}

/* Preferences */

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.costbridge.Costbridge");
  CbWindow *window = present_window (900, 640);
  CbPreferencesWindow *prefs;
  GtkSpinButton *auto_spin, *suggest_spin, *batch_spin, *in_flight_spin, *hour_spin;
  GtkSwitch *notifications;
  AdwComboRow *day_row;

  assert_accel ("app.preferences", "<Control>comma");

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (cb_test_spin_until (has_toplevel, GSIZE_TO_POINTER (CB_TYPE_PREFERENCES_WINDOW), 5000));
  prefs = CB_PREFERENCES_WINDOW (find_toplevel (CB_TYPE_PREFERENCES_WINDOW));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prefs)) == GTK_WINDOW (window));

  /* A second activation brings back the same window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  cb_test_spin_for (100);
  {
    guint n = 0;

    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
      n += CB_IS_PREFERENCES_WINDOW (l->data);
    g_assert_cmpuint (n, ==, 1);
  }

  auto_spin = cb_test_named (GTK_WIDGET (prefs), "match-auto-threshold");
  suggest_spin = cb_test_named (GTK_WIDGET (prefs), "match-suggest-threshold");
  batch_spin = cb_test_named (GTK_WIDGET (prefs), "sync-batch-size");
  in_flight_spin = cb_test_named (GTK_WIDGET (prefs), "max-in-flight");
  hour_spin = cb_test_named (GTK_WIDGET (prefs), "maintenance-hour");
  notifications = cb_test_named (GTK_WIDGET (prefs), "notifications");
  day_row = cb_test_named (GTK_WIDGET (prefs), "maintenance-day");

  /* The defaults show. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (auto_spin), ==, 95);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (suggest_spin), ==, 60);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (batch_spin), ==, 50);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (in_flight_spin), ==, 1);
  g_assert_true (gtk_switch_get_active (notifications));
  g_assert_cmpuint (adw_combo_row_get_selected (day_row), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (cb_test_named (GTK_WIDGET (prefs), "maintenance-hour")) &&
                  gtk_widget_is_sensitive (GTK_WIDGET (hour_spin)));
  cb_test_save_screenshot (GTK_WIDGET (prefs), "desktop-preferences.png");

  /* Widget → settings. */
  gtk_spin_button_set_value (auto_spin, 90);
  gtk_spin_button_set_value (batch_spin, 20);
  gtk_spin_button_set_value (in_flight_spin, 2);
  gtk_switch_set_active (notifications, FALSE);
  adw_combo_row_set_selected (day_row, 6);
  gtk_spin_button_set_value (hour_spin, 22);
  g_assert_cmpuint (g_settings_get_uint (settings, "match-auto-threshold"), ==, 90);
  g_assert_cmpuint (g_settings_get_uint (settings, "sync-batch-size"), ==, 20);
  g_assert_cmpuint (g_settings_get_uint (settings, "max-in-flight"), ==, 2);
  g_assert_false (g_settings_get_boolean (settings, "notifications"));
  {
    g_autofree char *day = g_settings_get_string (settings, "maintenance-day");
    g_assert_cmpstr (day, ==, "friday");
  }
  g_assert_cmpuint (g_settings_get_uint (settings, "maintenance-hour"), ==, 22);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (hour_spin)));

  /* Settings → widget. */
  g_settings_set_uint (settings, "match-suggest-threshold", 70);
  g_settings_set_string (settings, "maintenance-day", "every-day");
  g_settings_set_boolean (settings, "notifications", TRUE);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (suggest_spin), ==, 70);
  g_assert_cmpuint (adw_combo_row_get_selected (day_row), ==, 1);
  g_assert_true (gtk_switch_get_active (notifications));

  /* The suggestion threshold cannot rise above the automatic one. */
  gtk_spin_button_set_value (suggest_spin, 99);
  g_assert_cmpuint (g_settings_get_uint (settings, "match-suggest-threshold"), ==, 90);
  gtk_spin_button_set_value (auto_spin, 10);
  g_assert_cmpuint (g_settings_get_uint (settings, "match-auto-threshold"), ==, 90);

  /* Dark style too. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  cb_test_save_screenshot (GTK_WIDGET (prefs), "desktop-preferences-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (prefs));
  destroy_window (window);

  /* A window closed with the preferences bound leaves the settings usable. */
  for (guint i = 0; i < 9; i++)
    g_settings_reset (settings, (const char *[]) { "match-auto-threshold", "match-suggest-threshold",
                                                   "sync-batch-size", "max-in-flight", "notifications",
                                                   "maintenance-day", "maintenance-hour",
                                                   "maintenance-duration", "request-timeout" }[i]);
}

/* Shortcuts and help */

static void
collect_accelerators (GtkWidget *widget,
                      GString   *out)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *title = NULL;
      g_autofree char *accel = NULL;

      g_object_get (widget, "title", &title, "accelerator", &accel, NULL);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      if (accel == NULL || *accel == '\0')
        g_error ("The shortcut “%s” shows no keys", title);
      g_string_append_printf (out, "%s=%s;", title, accel);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_accelerators (child, out);
}

static void
test_shortcuts (void)
{
  static const char * const expected[] = {
    "Show Shortcuts=<Control>question;", "Help=F1;", "Preferences=<Control>comma;",
    "Quit=<Control>q;", "Import Job Data=<Control>i;", "Refresh from Intacct=F5 <Control>r;",
    "Search=<Control>f;", "Accept Suggestion=<Control>Return;", "Undo=<Control>z;",
    "Redo=<Control><Shift>z;", "Main Menu=F10;",
  };
  CbWindow *window = present_window (900, 640);
  GtkWindow *overlay;
  g_autoptr(GString) seen = g_string_new (NULL);

  /* The keys the shortcuts window lists are the ones bound. */
  assert_accel ("app.help", "F1");
  assert_accel ("app.quit", "<Control>q");
  assert_accel ("app.preferences", "<Control>comma");
  assert_accel ("win.show-help-overlay", "<Control>question");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "help"));

  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, overlay, 5000));

  collect_accelerators (GTK_WIDGET (overlay), seen);
  g_test_message ("Shortcuts: %s", seen->str);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      if (strstr (seen->str, expected[i]) == NULL)
        g_error ("The shortcuts window lacks %s", expected[i]);
    }

  cb_test_save_screenshot (GTK_WIDGET (overlay), "desktop-shortcuts.png");
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
  destroy_window (window);
}

/* F1 opens the help. A stand-in help viewer, the default handler for help: URIs in this
 * test's own XDG folders, writes the URI it was started with to a file. */

static void
install_help_viewer (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_build_filename (scratch_dir, "data", NULL);
  g_autofree char *config_home = g_build_filename (scratch_dir, "config", NULL);
  g_autofree char *applications = g_build_filename (data_home, "applications", NULL);
  g_autofree char *script = g_build_filename (scratch_dir, "help-viewer", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop = g_build_filename (applications, "costbridge-test-help.desktop", NULL);
  g_autofree char *desktop_text = NULL;
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);

  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_home, 0700), ==, 0);

  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s' \"$1\" > '%s/help-uri.part' && mv '%s/help-uri.part' '%s/help-uri'\n",
                                 scratch_dir, scratch_dir, scratch_dir);
  g_file_set_contents (script, script_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);

  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Help Viewer\n"
                                  "Exec=%s %%u\nMimeType=x-scheme-handler/help;\nNoDisplay=true\n", script);
  g_file_set_contents (desktop, desktop_text, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps, "[Default Applications]\nx-scheme-handler/help=costbridge-test-help.desktop\n",
                       -1, &error);
  g_assert_no_error (error);

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_help (void)
{
  g_autofree char *uri_path = g_build_filename (scratch_dir, "help-uri", NULL);
  g_autofree char *uri = NULL;
  g_auto(GStrv) actions = NULL;
  g_autoptr(GError) error = NULL;
  CbWindow *window = present_window (900, 640);

  /* F1 is bound to app.help, and to nothing else. */
  actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "F1");
  g_assert_nonnull (actions);
  g_assert_cmpuint (g_strv_length (actions), ==, 1);
  g_assert_cmpstr (actions[0], ==, "app.help");

  /* The action opens Costbridge's help, by the name its pages are installed under. */
  g_unlink (uri_path);
  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  g_assert_true (cb_test_spin_until (file_exists, uri_path, 10000));
  g_file_get_contents (uri_path, &uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uri, ==, "help:" PACKAGE_NAME);
  g_assert_cmpstr (PACKAGE_NAME, ==, "costbridge");

  destroy_window (window);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Window state */

static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.costbridge.Costbridge");
  CbWindow *window = present_window (-1, -1);
  int width, height, min_width, min_height, want_width, want_height;

  /* A size the window can take whatever its pages need: a little over its minimum. */
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
  want_width = MAX (min_width, 1000) + 37;
  want_height = MAX (min_height, 660) + 23;
  gtk_window_set_default_size (GTK_WINDOW (window), want_width, want_height);
  cb_test_wait_for_frame (GTK_WIDGET (window));
  cb_window_set_page (window, "vendors");
  gtk_window_close (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, want_width);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, want_height);

  window = present_window (-1, -1);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, want_width);
  g_assert_cmpint (height, ==, want_height);
  g_assert_cmpstr (cb_window_get_page (window), ==, "vendors");
  cb_window_set_page (window, "connection");
  destroy_window (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "last-page");
}

/* Every template in the resources builds. (gtk4-builder-tool cannot check templates whose
 * parent is a libadwaita type, so the types themselves are instantiated.) */
static void
test_templates (void)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;
  CbWindow *window = present_window (900, 640);
  guint checked = 0;

  g_type_ensure (CB_TYPE_PREFERENCES_WINDOW);
  names = g_resources_enumerate_children ("/io/github/costbridge/Costbridge/ui/", 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat ("/io/github/costbridge/Costbridge/ui/", names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
      const char *xml = g_bytes_get_data (bytes, NULL);
      const char *start = strstr (xml, "<template class=\"");
      g_autofree char *class_name = NULL;
      GType type;
      GtkWidget *widget;

      if (start == NULL)
        {
          g_test_message ("%s: no template yet", names[i]);
          continue;
        }

      start += strlen ("<template class=\"");
      class_name = g_strndup (start, strcspn (start, "\""));
      type = g_type_from_name (class_name);
      if (type == 0)
        {
          g_test_message ("%s: %s is not used by the window yet", names[i], class_name);
          continue;
        }

      widget = g_object_new (type, NULL);
      g_object_ref_sink (widget);
      if (GTK_IS_WINDOW (widget))
        gtk_window_destroy (GTK_WINDOW (widget));
      g_object_unref (widget);
      checked++;
    }

  g_test_message ("%u templates instantiated", checked);
  g_assert_cmpuint (checked, >=, 2);
  destroy_window (window);
}

/* Every button is labelled for screen readers */

static gboolean
has_text_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return *gtk_label_get_text (GTK_LABEL (widget)) != '\0';

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (has_text_label (child))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_labelled (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (tooltip != NULL && *tooltip != '\0')
    return TRUE;
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL)
      || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;

  /* A button whose content is text reads that text. */
  if (has_text_label (widget))
    return TRUE;

  /* A switch or button that a titled row activates: the row, focusable itself, reads its
   * title (libadwaita 1.2 does not yet relate the two for screen readers). */
  for (GtkWidget *row = gtk_widget_get_parent (widget); row != NULL; row = gtk_widget_get_parent (row))
    {
      if (ADW_IS_ACTION_ROW (row))
        {
          const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

          return adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)) == widget
                 && title != NULL && *title != '\0';
        }
    }

  return FALSE;
}

static void
collect_unlabelled (GtkWidget *widget,
                    GString   *path,
                    GString   *out,
                    guint     *n_buttons)
{
  gsize len = path->len;

  /* What is hidden is not read out. */
  if (!gtk_widget_get_visible (widget))
    return;

  g_string_append_printf (path, "/%s", G_OBJECT_TYPE_NAME (widget));
  if (*gtk_widget_get_name (widget) != '\0' && !g_str_equal (gtk_widget_get_name (widget), G_OBJECT_TYPE_NAME (widget)))
    g_string_append_printf (path, "#%s", gtk_widget_get_name (widget));

  /* The parts GTK builds inside a spin button, drop-down or combo row label themselves. */
  if (GTK_IS_SPIN_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) || ADW_IS_COMBO_ROW (widget)
      || GTK_IS_POPOVER (widget))
    {
      g_string_truncate (path, len);
      return;
    }

  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_SWITCH (widget))
    {
      (*n_buttons)++;
      if (!is_labelled (widget))
        g_string_append_printf (out, "%s\n", path->str);
      /* The button's own parts are covered by its label. */
      g_string_truncate (path, len);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unlabelled (child, path, out, n_buttons);

  g_string_truncate (path, len);
}

static void
assert_all_labelled (GtkWidget  *root,
                     const char *what)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GString) unlabelled = g_string_new (NULL);
  guint n_buttons = 0;

  collect_unlabelled (root, path, unlabelled, &n_buttons);
  g_test_message ("%s: %u buttons and switches", what, n_buttons);
  if (unlabelled->len > 0)
    g_error ("%s: buttons with neither a tooltip nor an accessible label:\n%s", what, unlabelled->str);
  g_assert_cmpuint (n_buttons, >, 0);
}

static gboolean
demo_is_connected (gpointer data)
{
  CbWindow *window = data;
  GtkWidget *page = cb_test_find_named (GTK_WIDGET (window), "connect-page");

  return cb_window_get_profile_id (window) != NULL &&
         !cb_connect_page_get_busy (CB_CONNECT_PAGE (page));
}

static void
test_accessible_labels (void)
{
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  CbWindow *window;
  CbPreferencesWindow *prefs;

  g_assert_true (cb_sandbox_start (sandbox, 0, &error));
  g_assert_no_error (error);
  endpoint = cb_sandbox_dup_endpoint (sandbox);

  window = present_window (1000, 680);
  assert_all_labelled (GTK_WIDGET (window), "the window without a company");
  _cb_window_set_demo_endpoint (window, endpoint);
  g_assert_true (cb_test_spin_until (demo_is_connected, window, 30000));
  assert_all_labelled (GTK_WIDGET (window), "the window on the demo company");

  prefs = cb_preferences_window_new (GTK_WINDOW (window), NULL);
  g_object_ref_sink (prefs);
  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, prefs, 5000));
  assert_all_labelled (GTK_WIDGET (prefs), "the preferences window");
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);

  destroy_window (window);
  cb_sandbox_stop (sandbox);
}

/* Light and dark style on the demo company */

static CbWindow *
present_demo_window (CbSandbox  *sandbox,
                     int         width,
                     int         height)
{
  g_autofree char *endpoint = cb_sandbox_dup_endpoint (sandbox);
  CbWindow *window = present_window (width, height);

  _cb_window_set_demo_endpoint (window, endpoint);
  g_assert_true (cb_test_spin_until (demo_is_connected, window, 30000));

  return window;
}

static void
shoot_pages (CbWindow   *window,
             const char *style)
{
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("desktop-%s-%s.png", pages[i], style);

      cb_window_set_page (window, pages[i]);
      g_assert_cmpstr (cb_window_get_page (window), ==, pages[i]);
      cb_test_spin_for (50);
      cb_test_save_screenshot (GTK_WIDGET (window), name);
    }
}

static void
test_styles (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autoptr(GError) error = NULL;
  CbWindow *window;

  g_assert_true (cb_sandbox_start (sandbox, 0, &error));
  g_assert_no_error (error);
  window = present_demo_window (sandbox, 1100, 720);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (manager));
  shoot_pages (window, "light");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (manager));
  /* The window's own style follows: the dark class reaches its widgets. */
  cb_test_wait_for_frame (GTK_WIDGET (window));
  shoot_pages (window, "dark");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  cb_window_set_page (window, "connection");
  destroy_window (window);
  cb_sandbox_stop (sandbox);
}

/* The metainfo's screenshots: the demo company as `costbridge --demo` shows it, with the
 * sample job data and a pull from the demo gateway, after Auto-Match, a sync preview and a
 * run. */

typedef enum {
  SHOT_AFTER_AUTO_MATCH,   /* the Vendors page, suggestions and their reasons showing */
  SHOT_AFTER_PLAN,         /* the Sync page's preview of what a run would write */
  SHOT_AFTER_RUN,          /* History, the run just made */
} ShotStage;

static const struct {
  ShotStage   stage;
  const char *page;
  const char *file;
  gboolean    dark;
} metainfo_shots[] = {
  { SHOT_AFTER_AUTO_MATCH, "vendors", "mapping.png", FALSE },
  { SHOT_AFTER_AUTO_MATCH, "vendors", "mapping-dark.png", TRUE },
  { SHOT_AFTER_PLAN, "sync", "sync.png", FALSE },
  { SHOT_AFTER_RUN, "history", "history.png", FALSE },
  { SHOT_AFTER_RUN, "connection", "connection.png", FALSE },
};

static GtkWidget *
window_page (CbWindow   *window,
             const char *name)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), CB_TYPE_WINDOW, "stack"));
  GtkWidget *page = gtk_stack_get_child_by_name (stack, name);

  g_assert_true (CB_IS_PAGE (page));
  return page;
}

static CbWindow *
find_cb_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      if (CB_IS_WINDOW (l->data))
        return CB_WINDOW (l->data);
    }

  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Closes the toasts showing (their timeouts wait while the window is not focused, as it
 * never is under Xvfb), so that they do not cover the screenshots. */
static gboolean
no_toast_left (gpointer window)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");
  GtkWidget *toast = toast_type != 0 ? find_descendant (window, toast_type) : NULL;
  GtkWidget *close;

  if (toast == NULL)
    return TRUE;

  close = find_descendant (toast, GTK_TYPE_BUTTON);
  g_assert_nonnull (close);
  g_signal_emit_by_name (close, "clicked");
  return FALSE;
}

static gboolean
has_cb_window (gpointer data)
{
  CbWindow *window = find_cb_window ();

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

/* Both sides are loaded: every mapping page shows its grid, not "import" or "refresh". */
static gboolean
demo_is_filled (gpointer data)
{
  static const char * const mapping_pages[] = { "cost-codes", "cost-types", "vendors", "projects" };
  CbWindow *window = data;

  for (guint i = 0; i < G_N_ELEMENTS (mapping_pages); i++)
    {
      GtkStack *stack = cb_test_named (window_page (window, mapping_pages[i]), "mapping-stack");

      if (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "grid") != 0)
        return FALSE;
    }

  return TRUE;
}

static gboolean
connect_page_is_idle (gpointer page)
{
  return !cb_connect_page_get_busy (page);
}

static gboolean
mapping_page_is_idle (gpointer page)
{
  return !_cb_mapping_page_is_busy (page);
}

static gboolean
sync_page_has_plan (gpointer page)
{
  return !cb_sync_page_get_busy (page) && cb_sync_page_get_plan (page) != NULL;
}

static gboolean
history_shows_a_run (gpointer page)
{
  return cb_history_page_get_run_id (page) > 0;
}

static gboolean
sync_page_is_idle (gpointer page)
{
  return !cb_sync_page_get_busy (page)
         && !gtk_widget_get_visible (cb_test_named (page, "progress-box"));
}

static void
auto_match (CbWindow   *window,
            const char *name,
            gboolean    accept)
{
  GtkWidget *page = window_page (window, name);

  cb_window_set_page (window, name);
  g_assert_true (gtk_widget_activate_action (page, "mapping.auto-match", NULL));
  g_assert_true (cb_test_spin_until (mapping_page_is_idle, page, 60000));
  if (accept)
    g_assert_true (gtk_widget_activate_action (page, "mapping.accept-all", NULL));
}

static void
prepare_demo_sync (CbWindow *window)
{
  CbDatabase *db = cb_window_get_database (window);
  const char *profile_id = cb_window_get_profile_id (window);
  CbMappingQuery unmapped = { .filter = CB_MAPPING_FILTER_UNMAPPED };
  g_autoptr(CbProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  for (CbMappingKind kind = 0; kind < CB_MAPPING_N_KINDS; kind++)
    {
      g_autoptr(GPtrArray) rows = cb_mapping_store_list (db, profile_id, kind, &unmapped, &error);
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();

      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (ids, ((CbMappingRow *) g_ptr_array_index (rows, i))->job_id);
      g_ptr_array_add (ids, NULL);
      if (rows->len > 0)
        g_assert_true (cb_mapping_store_set_create (db, profile_id, kind, (const char * const *) ids->pdata, &error));
      g_assert_no_error (error);
    }

  /* Job Cost - Other, from the demo company's chart of accounts. */
  profile = cb_profile_load (db, profile_id, &error);
  g_assert_no_error (error);
  g_free (profile->default_ap_account);
  profile->default_ap_account = g_strdup ("5400");
  g_assert_true (cb_profile_save (db, profile, &error));
  g_assert_no_error (error);

  cb_window_data_changed (window);
}

static void
advance_to (CbWindow  *window,
            ShotStage  stage)
{
  GtkWidget *page;
  CbPlanCounts counts;

  switch (stage)
    {
    case SHOT_AFTER_AUTO_MATCH:
      /* Cost codes, cost types and jobs matched and their suggestions accepted, so that
       * a sync has something to send; vendors matched and left to review. */
      auto_match (window, "cost-codes", TRUE);
      auto_match (window, "cost-types", TRUE);
      auto_match (window, "projects", TRUE);
      auto_match (window, "vendors", FALSE);
      g_assert_nonnull (strstr (cb_page_get_summary (CB_PAGE (window_page (window, "vendors"))), "unmapped"));
      break;

    case SHOT_AFTER_PLAN:
      /* The vendor suggestions accepted, what Intacct lacks marked "Create in Intacct",
       * and a default expense account, as the Sync page's blocked list asks. */
      g_assert_true (gtk_widget_activate_action (window_page (window, "vendors"), "mapping.accept-all", NULL));
      prepare_demo_sync (window);
      page = window_page (window, "sync");
      cb_window_set_page (window, "sync");
      cb_page_reload (CB_PAGE (page));
      g_assert_true (cb_test_spin_until (sync_page_has_plan, page, 60000));
      cb_plan_get_counts (cb_sync_page_get_plan (CB_SYNC_PAGE (page)), &counts);
      g_test_message ("The demo plan: %u to write, %u blocked", counts.to_write, counts.blocked);
      g_assert_cmpuint (counts.to_write, >, 0);
      break;

    case SHOT_AFTER_RUN:
      page = window_page (window, "sync");
      cb_window_set_page (window, "sync");
      g_assert_true (gtk_widget_activate_action (page, "sync.start", NULL));
      g_assert_true (cb_sync_page_get_busy (CB_SYNC_PAGE (page)));
      g_assert_true (cb_test_spin_until (sync_page_is_idle, page, 120000));
      g_assert_true (cb_test_spin_until (history_shows_a_run, window_page (window, "history"), 10000));
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
test_metainfo_screenshots (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autoptr(GSettings) settings = g_settings_new ("io.github.costbridge.Costbridge");
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "..", "data", "screenshots", NULL);
  g_autofree char *saved_dir = g_strdup (g_getenv ("COSTBRIDGE_SCREENSHOT_DIR"));
  g_autofree char *metainfo = NULL;
  g_autofree char *metainfo_path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                          "io.github.costbridge.Costbridge.metainfo.xml.in.in",
                                                          NULL);
  CbWindow *window;
  CbConnectPage *connect_page;
  int stage = -1;

  /* As `costbridge --demo` starts: the application's own demo gateway and window, which
   * loads the sample job data and pulls the demo company. */
  g_settings_set_int (settings, "window-width", 1200);
  g_settings_set_int (settings, "window-height", 750);
  g_settings_set_string (settings, "last-page", "connection");
  endpoint = cb_application_start_demo (app, &error);
  g_assert_no_error (error);
  g_assert_nonnull (endpoint);
  g_application_activate (G_APPLICATION (app));
  g_assert_true (cb_test_spin_until (has_cb_window, NULL, 5000));
  window = g_object_ref (find_cb_window ());
  /* "Explore the Demo Company" on the welcome page saves the demo profile. */
  connect_page = CB_CONNECT_PAGE (find_descendant (GTK_WIDGET (window), CB_TYPE_CONNECT_PAGE));
  cb_connect_page_use_demo (connect_page);
  g_assert_true (cb_test_spin_until (connect_page_is_idle, connect_page, 30000));
  g_assert_nonnull (cb_window_get_profile_id (window));
  /* Saving the demo profile makes it the window's company, and the application fills it
   * (sample job data and a pull) with nothing more to do. */
  g_assert_true (cb_test_spin_until (demo_is_filled, window, 60000));

  g_setenv ("COSTBRIDGE_SCREENSHOT_DIR", dir, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (metainfo_shots); i++)
    {
      g_autofree char *path = g_build_filename (dir, metainfo_shots[i].file, NULL);

      if ((int) metainfo_shots[i].stage != stage)
        {
          adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
          advance_to (window, metainfo_shots[i].stage);
          stage = metainfo_shots[i].stage;
        }

      adw_style_manager_set_color_scheme (manager, metainfo_shots[i].dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);
      cb_window_set_page (window, metainfo_shots[i].page);
      g_assert_cmpstr (cb_window_get_page (window), ==, metainfo_shots[i].page);
      g_assert_true (cb_test_spin_until (no_toast_left, window, 60000));
      cb_test_spin_for (200);
      g_unlink (path);
      cb_test_save_screenshot (GTK_WIDGET (window), metainfo_shots[i].file);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  if (saved_dir != NULL)
    g_setenv ("COSTBRIDGE_SCREENSHOT_DIR", saved_dir, TRUE);
  else
    g_unsetenv ("COSTBRIDGE_SCREENSHOT_DIR");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);

  /* Every screenshot the metainfo shows is committed in the source tree, and was taken here. */
  g_file_get_contents (metainfo_path, &metainfo, NULL, &error);
  g_assert_no_error (error);
  for (const char *p = strstr (metainfo, "data/screenshots/"); p != NULL;
       p = strstr (p + 1, "data/screenshots/"))
    {
      const char *name = p + strlen ("data/screenshots/");
      g_autofree char *file = g_strndup (name, strcspn (name, "<"));
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "screenshots", file, NULL);
      gboolean taken = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (metainfo_shots); i++)
        taken |= g_str_equal (metainfo_shots[i].file, file);
      if (!taken || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_error ("The metainfo shows %s, which %s", file,
                 taken ? "is not in data/screenshots/" : "this test does not take");
    }

  cb_window_set_page (window, "connection");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "last-page");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* The test accessibility backend, so that accessible labels can be checked. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  g_test_init (&argc, &argv, NULL);

  /* Before GIO reads any desktop file: this test's own XDG data and config homes. */
  scratch_dir = g_dir_make_tmp ("costbridge-test-desktop-XXXXXX", &error);
  g_assert_no_error (error);
  install_help_viewer ();

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP No display: run under xvfb-run\n");
      remove_tree (scratch_dir);
      return 0;
    }

  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = cb_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* CbApplication's startup installs app.preferences. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));

  g_test_add_func ("/desktop/about", test_about);
  g_test_add_func ("/desktop/preferences", test_preferences);
  g_test_add_func ("/desktop/shortcuts", test_shortcuts);
  g_test_add_func ("/desktop/help", test_help);
  g_test_add_func ("/desktop/window-state", test_window_state);
  g_test_add_func ("/desktop/templates", test_templates);
  g_test_add_func ("/desktop/accessible-labels", test_accessible_labels);
  g_test_add_func ("/desktop/styles", test_styles);
  g_test_add_func ("/desktop/metainfo-screenshots", test_metainfo_screenshots);

  ret = g_test_run ();

  g_clear_object (&app);
  remove_tree (scratch_dir);
  g_clear_pointer (&scratch_dir, g_free);

  return ret;
}
