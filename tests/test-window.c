/* test-window.c: the application shell and its main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Presents real windows under Xvfb, drives the sidebar, opens the demo company through the
 * connection assistant against the loopback sandbox (as --demo does), checks the
 * application's actions, and saves screenshots into $COSTBRIDGE_SCREENSHOT_DIR.
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cb-application.h"
#include "cb-connect-page.h"
#include "cb-page.h"
#include "cb-window.h"

#include "cb-intacct-cache.h"
#include "cb-profile.h"
#include "cb-sandbox.h"
#include "cb-secret-store.h"
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
page_is_idle (gpointer data)
{
  return !cb_connect_page_get_busy (CB_CONNECT_PAGE (data));
}

static CbConnectPage *
connect_page (CbWindow *window)
{
  GtkWidget *page = cb_test_find_named (GTK_WIDGET (window), "connect-page");

  g_assert_true (CB_IS_CONNECT_PAGE (page));
  return CB_CONNECT_PAGE (page);
}

/* The demo profiles saved in the window's store. */
static guint
count_demo_profiles (CbWindow *window)
{
  g_autoptr(GPtrArray) profiles = cb_profile_list (cb_window_get_database (window), NULL);
  guint n = 0;

  for (guint i = 0; profiles != NULL && i < profiles->len; i++)
    n += ((CbProfile *) g_ptr_array_index (profiles, i))->is_demo ? 1 : 0;

  return n;
}

/* The demo company goes through the connection assistant: the window ends on the demo
 * profile, saved with this run's gateway, with the entities to pick from. */
static void
test_window_demo_connection (void)
{
  g_autoptr(AdwApplication) app = create_test_application ();
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *first_id = NULL;
  g_autoptr(CbProfile) saved = NULL;
  CbWindow *window;
  CbConnectPage *page;
  AdwWindowTitle *title;
  GtkWidget *entities;
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();

  g_assert_true (cb_sandbox_start (sandbox, 0, &error));
  g_assert_no_error (error);
  endpoint = cb_sandbox_dup_endpoint (sandbox);

  window = present_window (app);
  cb_window_set_page (window, "connection");
  title = template_child (window, "window_title");
  page = connect_page (window);

  /* Without a company the assistant welcomes the user. */
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "welcome");
  g_assert_null (cb_window_get_profile_id (window));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Costbridge");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "No company connected");
  cb_test_save_screenshot (GTK_WIDGET (window), "window-no-company.png");

  /* The connection test runs in a worker thread; the window stays responsive. */
  _cb_window_set_demo_endpoint (window, endpoint);
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "form");
  g_assert_true (cb_connect_page_get_busy (page));
  g_assert_true (cb_test_spin_until (page_is_idle, page, 30000));

  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "entities");
  g_assert_nonnull (cb_window_get_profile_id (window));
  first_id = g_strdup (cb_window_get_profile_id (window));
  saved = cb_profile_load (cb_window_get_database (window), first_id, &error);
  g_assert_no_error (error);
  g_assert_true (saved->is_demo);
  g_assert_cmpstr (saved->endpoint, ==, endpoint);
  g_assert_cmpstr (saved->company_id, ==, CB_SANDBOX_COMPANY_ID);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Demo company");

  /* Its credentials are public test values: nothing goes to (or unlocks) the keyring. */
  for (guint kind = 0; kind < 2; kind++)
    {
      g_autofree char *secret = NULL;

      secret = cb_secret_store_lookup (first_id, kind == 0 ? CB_SECRET_USER_PASSWORD
                                                           : CB_SECRET_SENDER_PASSWORD,
                                       NULL, &error);
      g_assert_no_error (error);
      g_assert_null (secret);
    }

  entities = cb_test_find_named (GTK_WIDGET (page), "entity-list");
  g_assert_nonnull (entities);
  g_assert_nonnull (cb_test_find_named (entities, CB_SANDBOX_ENTITY_NORTH));
  g_assert_nonnull (cb_test_find_named (entities, CB_SANDBOX_ENTITY_SOUTH));
  cb_test_save_screenshot (GTK_WIDGET (window), "window-demo-connection.png");

  /* Opening the demo again (a later run, on another port) reuses its profile. */
  _cb_window_set_demo_endpoint (window, endpoint);
  g_assert_true (cb_test_spin_until (page_is_idle, page, 30000));
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "entities");
  g_assert_cmpstr (cb_window_get_profile_id (window), ==, first_id);
  g_assert_cmpuint (count_demo_profiles (window), ==, 1);

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

/* A demo gateway that does not answer: the assistant explains, nothing new is saved. */
static void
test_window_demo_connection_refused (void)
{
  g_autoptr(AdwApplication) app = create_test_application ();
  g_autofree char *endpoint = NULL;
  CbWindow *window;
  CbConnectPage *page;
  guint before;

  endpoint = g_strdup_printf ("http://127.0.0.1:%u/ia/xml/xmlgw.phtml", cb_test_find_closed_port ());
  window = present_window (app);
  page = connect_page (window);
  g_assert_true (cb_test_spin_until (page_is_idle, page, 30000));
  before = count_demo_profiles (window);

  _cb_window_set_demo_endpoint (window, endpoint);
  g_assert_true (cb_connect_page_get_busy (page));
  g_assert_true (cb_test_spin_until (page_is_idle, page, 60000));

  /* The failure is shown on the form, in words, and the spinner stops. */
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "form");
  g_assert_true (gtk_widget_get_visible (cb_test_find_named (GTK_WIDGET (page), "diagnosis")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cb_test_find_named (GTK_WIDGET (page), "test-status"))),
                   ==, "Not connected");
  g_test_message ("Diagnosis: %s",
                  gtk_label_get_text (GTK_LABEL (cb_test_find_named (GTK_WIDGET (page), "diagnosis-title"))));
  g_assert_cmpuint (count_demo_profiles (window), ==, before);

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

/* The demo company as `costbridge --demo` opens it: through the assistant, saved as a
 * profile, filled with the sample job data and a pull from the sandbox, so that every page
 * has something to show. A later start without --demo, on the demo company, starts its
 * gateway again rather than show a company that cannot answer. */
typedef struct
{
  CbWindow   *window;
  const char *profile_id;   /* the profile expected, or NULL for any */
  GDateTime  *after;        /* a full pull newer than this, or NULL for any */
} DemoWait;

static gboolean
demo_is_filled (gpointer data)
{
  DemoWait *wait = data;
  CbWindow *window = wait->window;
  CbDatabase *db = cb_window_get_database (window);
  const char *profile_id = cb_window_get_profile_id (window);
  GtkWidget *vendors = gtk_stack_get_child_by_name (template_child (window, "stack"), "vendors");
  g_autoptr(GDateTime) pulled = NULL;

  if (profile_id == NULL || g_strcmp0 (profile_id, wait->profile_id ? wait->profile_id : profile_id) != 0)
    return FALSE;
  if (!page_is_idle (connect_page (window)))
    return FALSE;
  pulled = cb_intacct_cache_last_full_refresh (db, profile_id, "VENDOR");
  if (pulled == NULL || (wait->after != NULL && g_date_time_compare (pulled, wait->after) <= 0))
    return FALSE;

  return CB_IS_PAGE (vendors) && cb_page_get_summary (CB_PAGE (vendors)) != NULL;
}

static CbApplication *
new_registered_application (void)
{
  static guint serial;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%s.Demo%u", APPLICATION_ID, ++serial);
  CbApplication *app = cb_application_new ();

  /* An id of its own: an application of an earlier test may still be exported. */
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  return app;
}

static void
close_application (CbApplication *app)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_true (cb_test_spin_until (has_no_windows, app, 5000));
}

static void
test_application_demo (void)
{
  g_autoptr(CbApplication) app = new_registered_application ();
  g_autoptr(CbApplication) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *profile_id = NULL;
  g_autofree char *second_endpoint = NULL;
  g_autoptr(CbProfile) profile = NULL;
  g_autoptr(GDateTime) first_pull = NULL;
  DemoWait wait = { NULL, NULL, NULL };
  CbWindow *window;
  CbDatabase *db;

  /* --demo: the gateway starts, then the window opens on the demo company. */
  endpoint = cb_application_start_demo (app, &error);
  g_assert_no_error (error);
  g_assert_nonnull (endpoint);
  g_application_activate (G_APPLICATION (app));
  window = CB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (CB_IS_WINDOW (window));
  wait.window = window;
  g_assert_true (cb_test_spin_until (demo_is_filled, &wait, 60000));

  db = cb_window_get_database (window);
  profile_id = g_strdup (cb_window_get_profile_id (window));
  profile = cb_profile_load (db, profile_id, &error);
  g_assert_no_error (error);
  g_assert_true (profile->is_demo);
  g_assert_cmpstr (profile->endpoint, ==, endpoint);
  g_assert_cmpuint (count_demo_profiles (window), ==, 1);
  g_assert_cmpuint (cb_intacct_cache_count (db, profile_id, "VENDOR"), >, 0);
  first_pull = cb_intacct_cache_last_full_refresh (db, profile_id, "VENDOR");
  g_test_message ("Vendors page: %s",
                  cb_page_get_summary (CB_PAGE (gtk_stack_get_child_by_name (template_child (window, "stack"),
                                                                             "vendors"))));

  /* Every page knows the company: the mapping pages show rows, Sync and Bills too. */
  cb_window_set_page (window, "vendors");
  cb_test_spin_for (300);
  cb_test_save_screenshot (GTK_WIDGET (window), "application-demo-vendors.png");
  close_application (app);

  /* A later start without --demo, on the demo company: a new gateway, the same profile. */
  again = new_registered_application ();
  g_assert_null (cb_application_dup_demo_endpoint (again));
  g_application_activate (G_APPLICATION (again));
  window = CB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (again)));
  g_assert_true (CB_IS_WINDOW (window));
  second_endpoint = cb_application_dup_demo_endpoint (again);
  g_assert_nonnull (second_endpoint);
  wait.window = window;
  wait.profile_id = profile_id;
  wait.after = first_pull;
  g_assert_true (cb_test_spin_until (demo_is_filled, &wait, 60000));
  g_assert_cmpstr (cb_connect_page_get_step (connect_page (window)), ==, "entities");
  g_clear_pointer (&profile, cb_profile_free);
  profile = cb_profile_load (cb_window_get_database (window), profile_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->endpoint, ==, second_endpoint);
  g_assert_cmpuint (count_demo_profiles (window), ==, 1);
  close_application (again);
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
  g_test_add_func ("/application/demo", test_application_demo);

  ret = g_test_run ();
  g_clear_object (&test_app);

  return ret;
}
