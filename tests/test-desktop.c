/* test-desktop.c: Costbridge as a GNOME citizen, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The about window's fields, the preferences window bound both ways to GSettings, the
 * shortcuts window and its accelerators, F1 for help, window size and last page
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
#include "cb-page.h"
#include "cb-preferences-window.h"
#include "cb-window.h"

#include "cb-sandbox.h"
#include "cb-test-ui.h"

static const char * const pages[] = {
  "connection", "cost-codes", "cost-types", "vendors", "projects", "bills", "sync", "history",
};

static CbApplication *app;

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
  cb_test_spin_for (500);
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

static gboolean
page_is_final (gpointer data)
{
  GtkLabel *status = data;
  const char *text = gtk_label_get_text (status);

  return !g_str_has_suffix (text, "…");
}

static CbWindow *
present_demo_window (CbSandbox  *sandbox,
                     int         width,
                     int         height)
{
  g_autofree char *endpoint = cb_sandbox_dup_endpoint (sandbox);
  CbWindow *window = present_window (width, height);
  GtkLabel *status;

  _cb_window_set_demo_endpoint (window, endpoint);
  status = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (window), CB_TYPE_WINDOW, "status_label"));
  g_assert_nonnull (status);
  g_assert_true (cb_test_spin_until (page_is_final, status, 30000));

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

/* The metainfo's screenshots */

static const struct {
  const char *page;
  const char *file;
  gboolean    dark;
} metainfo_shots[] = {
  { "connection", "connection.png", FALSE },
  { "vendors", "mapping.png", FALSE },
  { "sync", "sync.png", FALSE },
  { "connection", "connection-dark.png", TRUE },
};

static void
test_metainfo_screenshots (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "..", "data", "screenshots", NULL);
  g_autofree char *saved_dir = g_strdup (g_getenv ("COSTBRIDGE_SCREENSHOT_DIR"));
  g_autofree char *metainfo = NULL;
  g_autofree char *metainfo_path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                          "io.github.costbridge.Costbridge.metainfo.xml.in.in",
                                                          NULL);
  CbWindow *window;

  g_assert_true (cb_sandbox_start (sandbox, 0, &error));
  g_assert_no_error (error);
  window = present_demo_window (sandbox, 1200, 760);

  g_setenv ("COSTBRIDGE_SCREENSHOT_DIR", dir, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (metainfo_shots); i++)
    {
      g_autofree char *path = g_build_filename (dir, metainfo_shots[i].file, NULL);

      adw_style_manager_set_color_scheme (manager, metainfo_shots[i].dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);
      cb_window_set_page (window, metainfo_shots[i].page);
      cb_test_spin_for (50);
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
  destroy_window (window);
  cb_sandbox_stop (sandbox);
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

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP No display: run under xvfb-run\n");
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
  g_test_add_func ("/desktop/window-state", test_window_state);
  g_test_add_func ("/desktop/templates", test_templates);
  g_test_add_func ("/desktop/accessible-labels", test_accessible_labels);
  g_test_add_func ("/desktop/styles", test_styles);
  g_test_add_func ("/desktop/metainfo-screenshots", test_metainfo_screenshots);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}
