/* test-window.c: the application shell and its main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Presents real windows under Xvfb, drives the sidebar, checks the demo Connection page
 * against the loopback sandbox, checks the application's actions, and saves screenshots
 * into $COSTBRIDGE_SCREENSHOT_DIR.
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cb-application.h"
#include "cb-page.h"
#include "cb-window.h"

#include "cb-sandbox.h"
#include "cb-test-ui.h"

static const char * const expected_pages[] = {
  "connection", "cost-codes", "cost-types", "vendors", "projects", "bills", "sync", "history",
};

static const char * const expected_titles[] = {
  "Connection", "Cost codes", "Cost types", "Vendors", "Jobs → Projects", "Bills", "Sync",
  "History",
};

/* Helpers */

/* One registered application for the window tests; CbApplication has a test of its own. */
static AdwApplication *test_app;

static AdwApplication *
create_test_application (void)
{
  g_autoptr(GError) error = NULL;
  AdwApplication *app;

  if (test_app != NULL)
    return g_object_ref (test_app);

  app = adw_application_new (APPLICATION_ID ".Test", G_APPLICATION_NON_UNIQUE);
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/costbridge/Costbridge/");
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  test_app = app;

  return g_object_ref (app);
}

static CbWindow *
present_window (AdwApplication *app)
{
  CbWindow *window = cb_window_new (GTK_APPLICATION (app));

  /* Hold a reference of our own so that g_assert_finalize_object() can check it. */
  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);
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

static gpointer
template_child (CbWindow   *window,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), CB_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static GPtrArray *
list_box_rows (GtkListBox *list)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child))
        g_ptr_array_add (rows, child);
    }

  return rows;
}

/* The first GtkLabel below @widget, depth first. */
static GtkLabel *
find_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label (child);

      if (label != NULL)
        return label;
    }

  return NULL;
}

/* The first widget below @widget that has the style class @css_class. */
static GtkWidget *
find_with_class (GtkWidget  *widget,
                 const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
on_notify_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    guint      *count)
{
  (*count)++;
}

/* Tests */

static void
test_window_sidebar (void)
{
  g_autoptr(AdwApplication) app = create_test_application ();
  g_autoptr(GSettings) settings = g_settings_new (CB_SCHEMA_ID);
  g_autoptr(GPtrArray) rows = NULL;
  CbWindow *window;
  GtkListBox *sidebar;
  GtkStack *stack;
  guint page_notifies = 0;

  g_settings_reset (settings, "last-page");
  window = present_window (app);
  sidebar = template_child (window, "sidebar");
  stack = template_child (window, "stack");

  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (sidebar), "navigation-sidebar"));
  g_assert_cmpstr (cb_window_get_page (window), ==, "connection");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "devel") == DEVELOPMENT_BUILD);

  rows = list_box_rows (sidebar);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (expected_pages));

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkLabel *label = find_label (row);

      g_assert_cmpstr (gtk_widget_get_name (row), ==, expected_pages[i]);
      g_assert_nonnull (label);
      g_assert_cmpstr (gtk_label_get_text (label), ==, expected_titles[i]);
      g_assert_nonnull (gtk_stack_get_child_by_name (stack, expected_pages[i]));
    }

  g_signal_connect (window, "notify::page", G_CALLBACK (on_notify_count_cb), &page_notifies);

  /* Activate every row, last to first, the way a click or Enter would. */
  for (guint i = rows->len; i-- > 0;)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autofree char *saved = NULL;
      GtkWidget *visible;

      gtk_widget_activate (row);
      cb_test_spin_for (20);

      g_assert_cmpstr (cb_window_get_page (window), ==, expected_pages[i]);
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, expected_pages[i]);
      g_assert_true (gtk_list_box_get_selected_row (sidebar) == GTK_LIST_BOX_ROW (row));
      saved = g_settings_get_string (settings, "last-page");
      g_assert_cmpstr (saved, ==, expected_pages[i]);

      /* Every page but Connection is a CbPage the window drives. */
      visible = gtk_stack_get_visible_child (stack);
      g_assert_true (CB_IS_PAGE (visible) == (i > 0));
      if (i > 0)
        g_assert_cmpstr (gtk_widget_get_name (visible), ==, expected_pages[i]);
    }

  /* Connection was visible at the start, so going from History back to it changed the
   * page once per row. */
  g_assert_cmpuint (page_notifies, ==, rows->len);

  /* Activating the visible page again changes nothing. */
  gtk_widget_activate (g_ptr_array_index (rows, 0));
  cb_test_spin_for (20);
  g_assert_cmpuint (page_notifies, ==, rows->len);

  /* The API and the property go through the same sidebar. */
  cb_window_set_page (window, "bills");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "bills");
  g_object_set (window, "page", "vendors", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "vendors");
  g_assert_cmpuint (page_notifies, ==, rows->len + 2);

  cb_test_wait_for_frame (GTK_WIDGET (window));
  cb_test_save_screenshot (GTK_WIDGET (window), "window-vendors.png");

  g_signal_handlers_disconnect_by_func (window, on_notify_count_cb, &page_notifies);
  destroy_window (window);
}

static void
test_window_restores_state (void)
{
  g_autoptr(AdwApplication) app = create_test_application ();
  g_autoptr(GSettings) settings = g_settings_new (CB_SCHEMA_ID);
  CbWindow *window;
  int width, height;

  g_settings_set_string (settings, "last-page", "history");
  g_settings_set_int (settings, "window-width", 910);
  g_settings_set_int (settings, "window-height", 610);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = g_object_ref_sink (cb_window_new (GTK_APPLICATION (app)));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 910);
  g_assert_cmpint (height, ==, 610);
  g_assert_cmpstr (cb_window_get_page (window), ==, "history");

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, window, 5000));

  /* Closing saves the size. */
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  cb_test_wait_for_frame (GTK_WIDGET (window));
  gtk_window_close (GTK_WINDOW (window));
  cb_test_spin_for (20);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 960);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_finalize_object (window);

  /* An unknown saved page falls back to Connection. */
  g_settings_set_string (settings, "last-page", "no-such-page");
  window = g_object_ref_sink (cb_window_new (GTK_APPLICATION (app)));
  g_assert_cmpstr (cb_window_get_page (window), ==, "connection");
  destroy_window (window);

  g_settings_reset (settings, "last-page");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static gboolean
status_is_final (gpointer data)
{
  GtkLabel *status = data;

  return g_strcmp0 (gtk_label_get_text (status), "Connecting…") != 0;
}

static void
test_window_demo_connection (void)
{
  g_autoptr(AdwApplication) app = create_test_application ();
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  CbWindow *window;
  AdwWindowTitle *title;
  GtkStack *connection_stack;
  GtkLabel *status;
  GtkSpinner *spinner;
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  GtkListBox *entities;

  g_assert_true (cb_sandbox_start (sandbox, 0, &error));
  g_assert_no_error (error);
  endpoint = cb_sandbox_dup_endpoint (sandbox);

  window = present_window (app);
  cb_window_set_page (window, "connection");

  title = template_child (window, "window_title");
  connection_stack = template_child (window, "connection_stack");
  status = template_child (window, "status_label");
  spinner = template_child (window, "status_spinner");

  /* Without a company the page says so, and points at --demo. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (connection_stack), ==, "assistant");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Costbridge");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "No company connected");
  cb_test_save_screenshot (GTK_WIDGET (window), "window-no-company.png");

  _cb_window_set_demo_endpoint (window, endpoint);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (connection_stack), ==, "demo");
  g_assert_cmpstr (gtk_label_get_text (template_child (window, "endpoint_label")), ==, endpoint);
  g_assert_cmpstr (gtk_label_get_text (template_child (window, "company_label")), ==,
                   "costbridge-demo");
  g_assert_cmpstr (gtk_label_get_text (template_child (window, "user_label")), ==,
                   "ws_costbridge");
  g_assert_cmpstr (gtk_label_get_text (template_child (window, "sender_label")), ==,
                   "costbridge");
  g_assert_cmpstr (gtk_label_get_text (template_child (window, "entity_label")), ==,
                   "Top level");
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (title), "costbridge-demo"));

  /* The connection test runs in a worker thread; the window stays responsive. */
  g_assert_cmpstr (gtk_label_get_text (status), ==, "Connecting…");
  g_assert_true (gtk_spinner_get_spinning (spinner));

  g_assert_true (cb_test_spin_until (status_is_final, status, 30000));
  g_assert_cmpstr (gtk_label_get_text (status), ==, "Connected");
  g_assert_false (gtk_spinner_get_spinning (spinner));

  entities = template_child (window, "entities_list");
  g_assert_true (gtk_widget_get_visible (template_child (window, "entities_group")));
  rows = list_box_rows (entities);
  g_assert_cmpuint (rows->len, >=, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      AdwPreferencesRow *row = g_ptr_array_index (rows, i);
      GtkWidget *id_label = find_with_class (GTK_WIDGET (row), "cb-entity-id");

      g_assert_true (GTK_IS_LABEL (id_label));
      g_string_append_printf (seen, "%s;", gtk_label_get_text (GTK_LABEL (id_label)));
      g_assert_cmpstr (adw_preferences_row_get_title (row), !=, "");
      g_assert_cmpstr (adw_preferences_row_get_title (row), !=,
                       gtk_label_get_text (GTK_LABEL (id_label)));
    }
  g_test_message ("Entities seen: %s", seen->str);
  g_assert_nonnull (strstr (seen->str, CB_SANDBOX_ENTITY_NORTH ";"));
  g_assert_nonnull (strstr (seen->str, CB_SANDBOX_ENTITY_SOUTH ";"));

  cb_test_save_screenshot (GTK_WIDGET (window), "window-demo-connection.png");
  destroy_window (window);
  cb_sandbox_stop (sandbox);
}

/* Closing the window while the worker thread still talks to the gateway must neither
 * keep the window alive nor touch it when the answer comes. */
static void
test_window_close_while_connecting (void)
{
  g_autoptr(AdwApplication) app = create_test_application ();
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  CbWindow *window;

  g_assert_true (cb_sandbox_start (sandbox, 0, &error));
  g_assert_no_error (error);
  cb_sandbox_set_latency (sandbox, 300);
  endpoint = cb_sandbox_dup_endpoint (sandbox);

  window = present_window (app);
  _cb_window_set_demo_endpoint (window, endpoint);
  cb_test_spin_for (50);
  destroy_window (window);

  /* Let the worker finish; its callback finds no window. */
  cb_test_spin_for (1200);
  cb_sandbox_stop (sandbox);
}

static void
test_window_demo_connection_refused (void)
{
  g_autoptr(AdwApplication) app = create_test_application ();
  g_autofree char *endpoint = NULL;
  CbWindow *window;
  GtkLabel *status;

  endpoint = g_strdup_printf ("http://127.0.0.1:%u/ia/xml/xmlgw.phtml", cb_test_find_closed_port ());
  window = present_window (app);
  status = template_child (window, "status_label");

  _cb_window_set_demo_endpoint (window, endpoint);
  g_assert_cmpstr (gtk_label_get_text (status), ==, "Connecting…");

  /* The failure is shown on the page, in the error style, and the spinner stops. */
  g_assert_true (cb_test_spin_until (status_is_final, status, 60000));
  g_test_message ("Status: %s", gtk_label_get_text (status));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (status), "Not connected: "));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_false (gtk_spinner_get_spinning (template_child (window, "status_spinner")));
  g_assert_false (gtk_widget_get_visible (template_child (window, "entities_group")));

  destroy_window (window);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type))
        return GTK_WINDOW (item);
    }

  return NULL;
}

static gboolean
has_toplevel (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

/* Finds a label with exactly @text below @widget. */
static GtkLabel *
find_label_with_text (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label_with_text (child, text);

      if (label != NULL)
        return label;
    }

  return NULL;
}

#define HELP_FAILED_TOAST "Could not open the help. Is a help viewer such as Yelp installed?"

static gboolean
has_help_toast (gpointer data)
{
  return find_label_with_text (GTK_WIDGET (data), HELP_FAILED_TOAST) != NULL;
}

static gboolean
has_no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (data)) == NULL;
}

static void
test_application_actions (void)
{
  g_autoptr(CbApplication) app = cb_application_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  g_autofree char *endpoint = NULL;
  GtkWindow *window;
  GtkWindow *about;
  GtkWidget *overlay;

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      const char *name = (const char *[]) { "quit", "about", "help" }[i];
      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), name));
    }

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>q"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");
  g_assert_true (g_strv_contains ((const char * const *) accels, "F1"));

  /* Without --demo there is no demo gateway. */
  endpoint = cb_application_dup_demo_endpoint (app);
  g_assert_null (endpoint);

  /* Activation opens one main window, and activating again reuses it. */
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CB_IS_WINDOW (window));
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, window, 5000));

  /* The shortcuts window comes from gtk/help-overlay.ui in the resources. */
  overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));

  /* About */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (cb_test_spin_until (has_toplevel, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW), 5000));
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==,
                   APPLICATION_ID);
  g_assert_cmpstr (adw_about_window_get_developer_name (ADW_ABOUT_WINDOW (about)), ==,
                   "The Costbridge developers");
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_true (gtk_window_get_transient_for (about) == window);
  gtk_window_destroy (about);

  /* Help: without a help viewer the window says so in a toast instead of failing silently. */
  {
    g_autoptr(GAppInfo) viewer = g_app_info_get_default_for_uri_scheme ("help");

    if (viewer == NULL)
      {
        g_assert_false (has_help_toast (window));
        g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
        g_assert_true (cb_test_spin_until (has_help_toast, window, 5000));
      }
    else
      g_test_message ("A help viewer is installed (%s): not opening it from a test",
                      g_app_info_get_id (viewer));
  }

  /* Quit closes the windows, which is what ends the application. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_true (cb_test_spin_until (has_no_windows, app, 5000));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      /* A TAP plan of zero tests with a reason is how TAP (and meson) spell "skipped". */
      g_print ("1..0 # SKIP No display: run under xvfb-run\n");
      return 0;
    }

  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/window/sidebar", test_window_sidebar);
  g_test_add_func ("/window/restores-state", test_window_restores_state);
  g_test_add_func ("/window/demo-connection", test_window_demo_connection);
  g_test_add_func ("/window/demo-connection-refused", test_window_demo_connection_refused);
  g_test_add_func ("/window/close-while-connecting", test_window_close_while_connecting);
  g_test_add_func ("/application/actions", test_application_actions);

  ret = g_test_run ();
  g_clear_object (&test_app);

  return ret;
}
