/* test-connect-ui.c: the connection assistant under Xvfb, against the real sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real widgets, a real SQLite file in a temporary folder, the real keyring (the test
 * wrapper runs gnome-keyring in a private D-Bus session) and real HTTP to the in-process
 * sandbox gateway. Each step is saved as a PNG into $COSTBRIDGE_SCREENSHOT_DIR.
 */

#define G_LOG_DOMAIN "test-connect-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cb-connect-page.h"
#include "cb-window.h"
#include "cb-connection.h"
#include "cb-database.h"
#include "cb-error.h"
#include "cb-intacct-cache.h"
#include "cb-profile.h"
#include "cb-sandbox.h"
#include "cb-secret-store.h"
#include "cb-test-ui.h"

typedef struct
{
  CbSandbox     *sandbox;
  char          *endpoint;
  char          *dir;
  CbDatabase    *db;
  GtkWindow     *window;
  CbConnectPage *page;
} Fixture;

/* Helpers */

static gboolean
is_child_visible (gpointer data)
{
  return gtk_widget_get_child_visible (GTK_WIDGET (data));
}

static gboolean
is_child_hidden (gpointer data)
{
  return !gtk_widget_get_child_visible (GTK_WIDGET (data));
}

static gboolean
is_idle (gpointer data)
{
  return !cb_connect_page_get_busy (CB_CONNECT_PAGE (data));
}

static gpointer
named (Fixture    *fixture,
       const char *name)
{
  GtkWidget *widget = cb_test_find_named (GTK_WIDGET (fixture->page), name);

  if (widget == NULL)
    g_error ("No widget named %s", name);

  return widget;
}

static void
set_text (Fixture    *fixture,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (named (fixture, name)), text);
}

static void
click (Fixture    *fixture,
       const char *name)
{
  GtkWidget *button = named (fixture, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
fill_demo_form (Fixture *fixture)
{
  set_text (fixture, "company-id", "  " CB_SANDBOX_COMPANY_ID " ");
  set_text (fixture, "user-id", CB_SANDBOX_USER_ID " ");
  set_text (fixture, "user-password", CB_SANDBOX_USER_SECRET);
  set_text (fixture, "sender-id", CB_SANDBOX_SENDER_ID);
  set_text (fixture, "sender-password", CB_SANDBOX_SENDER_SECRET);
  set_text (fixture, "entity-id", "");
  set_text (fixture, "endpoint", fixture->endpoint);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->sandbox = cb_sandbox_new ();
  g_assert_true (cb_sandbox_start (fixture->sandbox, 0, &error));
  g_assert_no_error (error);
  fixture->endpoint = cb_sandbox_dup_endpoint (fixture->sandbox);

  fixture->dir = g_dir_make_tmp ("costbridge-connect-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "costbridge.db", NULL);
  fixture->db = cb_database_open (path, &error);
  g_assert_no_error (error);

  fixture->page = cb_connect_page_new (fixture->db);
  fixture->window = GTK_WINDOW (adw_window_new ());
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (fixture->window, 900, 820);
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, fixture->window, 5000));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) profiles = cb_profile_list (fixture->db, NULL);
  g_autofree char *path = g_strdup (cb_database_get_path (fixture->db));

  /* Leave no secrets behind in the test keyring. */
  for (guint i = 0; profiles != NULL && i < profiles->len; i++)
    {
      CbProfile *profile = g_ptr_array_index (profiles, i);
      cb_secret_store_clear (profile->id, NULL, NULL);
    }

  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->window);
  g_clear_object (&fixture->db);

  for (const char *suffix = ""; suffix != NULL;
       suffix = *suffix == '\0' ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);

  cb_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_free (fixture->endpoint);
}

/* Welcome page, then the form validating as the user types. */
static void
test_welcome_and_validation (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *test_button;

  g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "welcome");
  g_assert_nonnull (named (fixture, "demo-button"));
  g_assert_false (gtk_widget_get_visible (named (fixture, "step-switcher")));
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "connect-welcome.png");

  click (fixture, "connect-button");
  g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "form");

  /* The field being edited explains itself under the form. */
  gtk_widget_grab_focus (named (fixture, "sender-id"));
  g_assert_true (gtk_widget_get_visible (named (fixture, "field-hint")));
  g_assert_nonnull (strstr (gtk_label_get_text (named (fixture, "field-hint")),
                            "Web Services authorizations"));

  test_button = named (fixture, "test-button");
  g_assert_false (gtk_widget_get_sensitive (test_button));

  /* An ID with a space inside is wrong at once; spaces around it are trimmed. */
  set_text (fixture, "company-id", "costbridge demo");
  g_assert_true (gtk_widget_has_css_class (named (fixture, "company-id"), "error"));
  g_assert_true (gtk_widget_get_visible (named (fixture, "form-message")));
  g_assert_cmpstr (gtk_label_get_text (named (fixture, "form-message")), ==,
                   "Company ID cannot contain spaces.");

  /* A gateway outside intacct.com and loopback is refused before anything is sent. */
  fill_demo_form (fixture);
  g_assert_false (gtk_widget_has_css_class (named (fixture, "company-id"), "error"));
  g_assert_true (gtk_widget_get_sensitive (test_button));
  set_text (fixture, "endpoint", "https://example.com/ia/xml/xmlgw.phtml");
  g_assert_true (gtk_widget_has_css_class (named (fixture, "endpoint"), "error"));
  g_assert_false (gtk_widget_get_sensitive (test_button));
  adw_expander_row_set_expanded (named (fixture, "advanced-row"), TRUE);
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "connect-form-invalid.png");

  /* Emptying a required field marks it. */
  set_text (fixture, "endpoint", fixture->endpoint);
  set_text (fixture, "user-password", "");
  g_assert_true (gtk_widget_has_css_class (named (fixture, "user-password"), "error"));
  g_assert_false (gtk_widget_get_sensitive (test_button));
  set_text (fixture, "user-password", CB_SANDBOX_USER_SECRET);
  g_assert_true (gtk_widget_get_sensitive (test_button));
}

/* The whole first hour: test, entity, probe, defaults. */
static void
test_connect_flow (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(CbProfile) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_secret = NULL;
  g_autofree char *sender_secret = NULL;
  GtkListBox *entities;
  GtkListBoxRow *first;
  GtkWidget *row;
  GtkWidget *vendor_create;
  GtkWidget *vendor_read;
  GtkDropDown *ap;
  GListModel *model;
  g_autofree char *profile_id = NULL;

  cb_connect_page_add_company (fixture->page);
  fill_demo_form (fixture);
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "connect-form.png");

  click (fixture, "test-button");
  g_assert_true (cb_connect_page_get_busy (fixture->page));
  g_assert_cmpstr (gtk_label_get_text (named (fixture, "test-status")), ==, "Testing the connection…");
  g_assert_true (gtk_widget_get_visible (named (fixture, "cancel-button")));
  g_assert_true (cb_test_spin_until (is_idle, fixture->page, 30000));
  g_assert_false (gtk_widget_get_visible (named (fixture, "diagnosis")));
  g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "entities");

  /* Saved: the profile in SQLite, trimmed, and both passwords in the keyring. */
  profiles = cb_profile_list (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 1);
  saved = cb_profile_copy (g_ptr_array_index (profiles, 0));
  g_assert_cmpstr (saved->company_id, ==, CB_SANDBOX_COMPANY_ID);
  g_assert_cmpstr (saved->user_id, ==, CB_SANDBOX_USER_ID);
  g_assert_cmpstr (saved->endpoint, ==, fixture->endpoint);
  g_assert_nonnull (saved->last_connected);
  profile_id = g_strdup (saved->id);
  user_secret = cb_secret_store_lookup (profile_id, CB_SECRET_USER_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user_secret, ==, CB_SANDBOX_USER_SECRET);
  sender_secret = cb_secret_store_lookup (profile_id, CB_SECRET_SENDER_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sender_secret, ==, CB_SANDBOX_SENDER_SECRET);

  /* Entity picker: top level first, then the demo company's entities; searchable. */
  entities = named (fixture, "entity-list");
  first = gtk_list_box_get_row_at_index (entities, 0);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (first)), ==, "");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "Top level");
  g_assert_nonnull (cb_test_find_named (GTK_WIDGET (entities), CB_SANDBOX_ENTITY_NORTH));
  g_assert_nonnull (cb_test_find_named (GTK_WIDGET (entities), CB_SANDBOX_ENTITY_SOUTH));
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "connect-entities.png");

  gtk_editable_set_text (named (fixture, "entity-search"), CB_SANDBOX_ENTITY_SOUTH);
  g_assert_true (cb_test_spin_until (is_child_visible,
                             cb_test_find_named (GTK_WIDGET (entities), CB_SANDBOX_ENTITY_SOUTH), 2000));
  g_assert_true (cb_test_spin_until (is_child_hidden,
                             cb_test_find_named (GTK_WIDGET (entities), CB_SANDBOX_ENTITY_NORTH), 2000));
  gtk_editable_set_text (named (fixture, "entity-search"), "");

  row = cb_test_find_named (GTK_WIDGET (entities), CB_SANDBOX_ENTITY_NORTH);
  g_signal_emit_by_name (entities, "row-activated", row);
  g_assert_true (cb_test_spin_until (is_idle, fixture->page, 30000));
  g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "probe");
  g_clear_pointer (&saved, cb_profile_free);
  saved = cb_profile_load (fixture->db, profile_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->entity_id, ==, CB_SANDBOX_ENTITY_NORTH);

  /* Probe with one permission taken away: its row says missing and what to grant. */
  cb_sandbox_deny_permission (fixture->sandbox, "VENDOR", "create");
  click (fixture, "probe-button");
  g_assert_true (cb_connect_page_get_busy (fixture->page));
  g_assert_true (cb_test_spin_until (is_idle, fixture->page, 60000));
  vendor_create = named (fixture, "VENDOR:create");
  vendor_read = named (fixture, "VENDOR:read");
  g_test_message ("VENDOR create: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (vendor_create)));
  g_assert_true (gtk_widget_has_css_class (vendor_create, "cb-missing"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (vendor_create)),
                            "Missing. To grant: "));
  g_assert_true (gtk_widget_has_css_class (vendor_read, "cb-granted"));
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "connect-probe.png");

  /* Without the Construction subscription, what needs it says so instead of "missing". */
  cb_sandbox_set_construction_subscribed (fixture->sandbox, FALSE);
  click (fixture, "probe-button");
  g_assert_true (cb_test_spin_until (is_idle, fixture->page, 60000));
  {
    guint n_capabilities = 0;
    const CbCapability *capabilities = cb_capabilities_get_all (&n_capabilities);
    guint n_construction = 0;

    for (guint i = 0; i < n_capabilities; i++)
      {
        g_autofree char *name = g_strdup_printf ("%s:%s", capabilities[i].object,
                                                 capabilities[i].operation);
        GtkWidget *cap_row = named (fixture, name);

        if (capabilities[i].construction)
          {
            n_construction++;
            g_assert_true (gtk_widget_has_css_class (cap_row, "cb-not-subscribed"));
          }
        else if (g_str_equal (name, "VENDOR:create"))
          g_assert_true (gtk_widget_has_css_class (cap_row, "cb-missing"));
        else
          g_assert_true (gtk_widget_has_css_class (cap_row, "cb-granted"));
      }
    g_assert_cmpuint (n_construction, >, 0);
  }
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "connect-probe-not-subscribed.png");
  cb_sandbox_set_construction_subscribed (fixture->sandbox, TRUE);

  /* The steps can be revisited once connected. */
  g_assert_true (gtk_widget_get_visible (named (fixture, "step-switcher")));

  /* Defaults: the lists are filled from Intacct on the first visit. */
  click (fixture, "defaults-next-button");
  g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "defaults");
  g_assert_true (cb_test_spin_until (is_idle, fixture->page, 60000));
  /* The drop-down is the row's activatable widget. */
  ap = GTK_DROP_DOWN (adw_action_row_get_activatable_widget (named (fixture, "ap-account")));
  model = gtk_drop_down_get_model (ap);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 1);
  g_assert_true (gtk_drop_down_get_enable_search (ap));
  {
    g_autoptr(GDateTime) refreshed = cb_intacct_cache_last_refresh (fixture->db, profile_id, "GLACCOUNT");
    g_assert_nonnull (refreshed);
  }
  g_assert_true (g_str_has_prefix (gtk_label_get_text (named (fixture, "refresh-label")),
                                   "Last refreshed from Intacct: "));

  /* The rule "use the default cost type" without one is refused on its row. */
  gtk_drop_down_set_selected (ap, 1);
  adw_combo_row_set_selected (named (fixture, "missing-cost-type-rule"), CB_MISSING_COST_TYPE_DEFAULT);
  click (fixture, "save-defaults-button");
  g_assert_true (gtk_widget_has_css_class (named (fixture, "cost-type"), "error"));
  g_assert_true (gtk_widget_has_css_class (named (fixture, "defaults-message"), "error"));
  g_assert_false (gtk_widget_has_css_class (named (fixture, "ap-account"), "error"));
  g_assert_false (gtk_widget_has_css_class (named (fixture, "location"), "error"));
  g_assert_null (strchr (gtk_label_get_text (named (fixture, "defaults-message")), '\n'));
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "connect-defaults-invalid.png");

  adw_combo_row_set_selected (named (fixture, "missing-cost-type-rule"), CB_MISSING_COST_TYPE_BLOCK);
  adw_combo_row_set_selected (named (fixture, "bill-date-rule"), CB_BILL_DATE_SYNC_DAY);
  click (fixture, "save-defaults-button");
  g_assert_cmpstr (gtk_label_get_text (named (fixture, "defaults-message")), ==, "Defaults saved.");
  g_assert_false (gtk_widget_has_css_class (named (fixture, "cost-type"), "error"));
  g_clear_pointer (&saved, cb_profile_free);
  saved = cb_profile_load (fixture->db, profile_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved->default_ap_account);
  {
    g_autoptr(GtkStringObject) item = g_list_model_get_item (model, 1);
    g_assert_true (g_str_has_prefix (gtk_string_object_get_string (item), saved->default_ap_account));
  }
  g_assert_cmpint (saved->bill_date_rule, ==, CB_BILL_DATE_SYNC_DAY);
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "connect-defaults.png");
}

typedef struct
{
  const char      *name;
  CbConnectProblem problem;
} FailureCase;

/* Runs the same test the page runs, outside the UI, for the expected words. */
static CbConnectDiagnosis *
expected_diagnosis (Fixture *fixture)
{
  g_autoptr(CbProfile) profile = cb_profile_new ();
  g_autoptr(CbIntacctCredentials) credentials = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(GError) error = NULL;

  profile->company_id = g_strstrip (g_strdup (gtk_editable_get_text (named (fixture, "company-id"))));
  profile->user_id = g_strstrip (g_strdup (gtk_editable_get_text (named (fixture, "user-id"))));
  profile->sender_id = g_strstrip (g_strdup (gtk_editable_get_text (named (fixture, "sender-id"))));
  profile->entity_id = g_strstrip (g_strdup (gtk_editable_get_text (named (fixture, "entity-id"))));
  profile->endpoint = g_strstrip (g_strdup (gtk_editable_get_text (named (fixture, "endpoint"))));
  credentials = cb_connection_credentials (profile,
                                           gtk_editable_get_text (named (fixture, "user-password")),
                                           gtk_editable_get_text (named (fixture, "sender-password")));
  client = cb_connection_test (credentials, NULL, &error);
  g_assert_null (client);
  g_assert_nonnull (error);

  return cb_connect_diagnose (error);
}

/* Each failure the sandbox can inject ends in its own diagnosis, never a raw error. */
static void
test_failures (Fixture       *fixture,
               gconstpointer  data)
{
  static const FailureCase cases[] = {
    { "bad-password", CB_CONNECT_USER_CREDENTIALS },
    { "sender-not-authorized", CB_CONNECT_SENDER_NOT_AUTHORIZED },
    { "unknown-entity", CB_CONNECT_ENTITY },
    { "closed-port", CB_CONNECT_NETWORK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbConnectDiagnosis) expected = NULL;
      g_autoptr(GPtrArray) profiles = NULL;
      g_autofree char *screenshot = NULL;
      const char *shown_title;

      cb_connect_page_add_company (fixture->page);
      fill_demo_form (fixture);
      cb_sandbox_set_sender_authorized (fixture->sandbox, TRUE);

      if (g_str_equal (cases[i].name, "bad-password"))
        set_text (fixture, "user-password", "not-the-password");
      else if (g_str_equal (cases[i].name, "sender-not-authorized"))
        cb_sandbox_set_sender_authorized (fixture->sandbox, FALSE);
      else if (g_str_equal (cases[i].name, "unknown-entity"))
        set_text (fixture, "entity-id", "999");
      else
        {
          g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u/ia/xml/xmlgw.phtml",
                                                     cb_test_find_closed_port ());
          set_text (fixture, "endpoint", closed);
        }

      click (fixture, "test-button");
      g_assert_true (cb_test_spin_until (is_idle, fixture->page, 60000));

      expected = expected_diagnosis (fixture);
      g_test_message ("%s: %s — %s", cases[i].name, expected->title, expected->advice);
      g_assert_cmpint (expected->problem, ==, cases[i].problem);

      g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "form");
      g_assert_true (gtk_widget_get_visible (named (fixture, "diagnosis")));
      shown_title = gtk_label_get_text (named (fixture, "diagnosis-title"));
      g_assert_cmpstr (shown_title, ==, expected->title);
      g_assert_cmpstr (gtk_label_get_text (named (fixture, "diagnosis-advice")), ==, expected->advice);
      g_assert_cmpstr (gtk_label_get_text (named (fixture, "test-status")), ==, "Not connected");

      /* Nothing is saved for a connection that does not work. */
      profiles = cb_profile_list (fixture->db, NULL);
      g_assert_cmpuint (profiles->len, ==, 0);

      screenshot = g_strdup_printf ("connect-failure-%s.png", cases[i].name);
      cb_test_save_screenshot (GTK_WIDGET (fixture->window), screenshot);
    }

  cb_sandbox_set_sender_authorized (fixture->sandbox, TRUE);
}

/* Cancel stops a slow test at once and keeps the form. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  cb_connect_page_add_company (fixture->page);
  fill_demo_form (fixture);
  cb_sandbox_set_latency (fixture->sandbox, 3000);

  click (fixture, "test-button");
  g_assert_true (cb_connect_page_get_busy (fixture->page));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (gtk_widget_get_prev_sibling (named (fixture, "test-button")))));
  cb_test_save_screenshot (GTK_WIDGET (fixture->window), "connect-testing.png");
  click (fixture, "cancel-button");
  g_assert_true (cb_test_spin_until (is_idle, fixture->page, 2000));
  g_assert_cmpstr (gtk_label_get_text (named (fixture, "test-status")), ==, "Cancelled");
  g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "form");
  g_assert_false (gtk_widget_get_visible (named (fixture, "cancel-button")));
  cb_sandbox_set_latency (fixture->sandbox, 0);
}

/* "Explore the demo company" creates the demo profile and connects to it. */
static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) profiles = NULL;
  CbProfile *profile;

  cb_connect_page_set_demo_endpoint (fixture->page, fixture->endpoint);
  click (fixture, "demo-button");
  g_assert_true (cb_test_spin_until (is_idle, fixture->page, 30000));
  g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "entities");

  profiles = cb_profile_list (fixture->db, NULL);
  g_assert_cmpuint (profiles->len, ==, 1);
  profile = g_ptr_array_index (profiles, 0);
  g_assert_true (profile->is_demo);
  g_assert_cmpstr (profile->company_id, ==, CB_SANDBOX_COMPANY_ID);

  /* A second visit reuses the same demo profile. */
  cb_connect_page_use_demo (fixture->page);
  g_assert_true (cb_test_spin_until (is_idle, fixture->page, 30000));
  g_clear_pointer (&profiles, g_ptr_array_unref);
  profiles = cb_profile_list (fixture->db, NULL);
  g_assert_cmpuint (profiles->len, ==, 1);
}

static GtkWindow *find_message_dialog (void);
static gboolean has_message_dialog (gpointer data);

/* Without a Secret Service the page says so and offers only "this run only" or Cancel;
 * the passwords then live in memory only. Runs in a subprocess whose session bus
 * address leads nowhere. */
static void
test_keyring_unavailable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) profiles = NULL;
  g_autofree char *profile_id = NULL;
  AdwMessageDialog *dialog;

  if (!g_test_subprocess ())
    {
      g_autofree char *bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/costbridge-test-bus", TRUE);
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      if (bus != NULL)
        g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus, TRUE);
      g_test_trap_assert_passed ();
      return;
    }

  cb_connect_page_add_company (fixture->page);
  fill_demo_form (fixture);
  click (fixture, "test-button");
  g_assert_true (cb_test_spin_until (has_message_dialog, NULL, 60000));
  dialog = ADW_MESSAGE_DIALOG (find_message_dialog ());
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Keyring Is Not Available");
  g_assert_true (adw_message_dialog_has_response (dialog, "run-only"));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  cb_test_save_screenshot (GTK_WIDGET (dialog), "connect-keyring-unavailable.png");

  /* Cancel: nothing saved, still on the form. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (cb_test_spin_until (is_idle, fixture->page, 5000));
  g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "form");
  profiles = cb_profile_list (fixture->db, NULL);
  g_assert_cmpuint (profiles->len, ==, 0);
  g_clear_pointer (&profiles, g_ptr_array_unref);

  /* This run only: connected and saved, the passwords held in memory. */
  click (fixture, "test-button");
  g_assert_true (cb_test_spin_until (has_message_dialog, NULL, 60000));
  dialog = ADW_MESSAGE_DIALOG (find_message_dialog ());
  adw_message_dialog_response (dialog, "run-only");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (cb_connect_page_get_step (fixture->page), ==, "entities");
  profiles = cb_profile_list (fixture->db, NULL);
  g_assert_cmpuint (profiles->len, ==, 1);
  profile_id = g_strdup (((CbProfile *) g_ptr_array_index (profiles, 0))->id);

  /* Opening the profile again in this run fills the passwords from memory. */
  cb_connect_page_open_profile (fixture->page, profile_id);
  g_assert_cmpstr (gtk_editable_get_text (named (fixture, "user-password")), ==, CB_SANDBOX_USER_SECRET);
  g_assert_cmpstr (gtk_editable_get_text (named (fixture, "sender-password")), ==, CB_SANDBOX_SENDER_SECRET);
}

static GtkWindow *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item))
        return GTK_WINDOW (item);
    }

  return NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
menu_has_label (GMenuModel *model,
                const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_label (section, label))
        return TRUE;
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) &&
          g_strcmp0 (text, label) == 0)
        return TRUE;
    }

  return FALSE;
}

/* In the window: the company switcher lists the profile; rename and remove it (removal
 * asks first and also clears the keyring). */
static void
test_window_profiles (void)
{
  g_autoptr(AdwApplication) app = NULL;
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *profile_id = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(CbProfile) profile = NULL;
  CbConnectPage *page;
  GtkMenuButton *switcher;
  GtkWindow *dialog;
  CbWindow *window;

  g_assert_true (cb_sandbox_start (sandbox, 0, &error));
  endpoint = cb_sandbox_dup_endpoint (sandbox);

  app = adw_application_new (APPLICATION_ID ".ConnectTest", G_APPLICATION_NON_UNIQUE);
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/costbridge/Costbridge/");
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = cb_window_new (GTK_APPLICATION (app));
  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, window, 5000));

  page = CB_CONNECT_PAGE (cb_test_find_named (GTK_WIDGET (window), "connect-page"));
  switcher = GTK_MENU_BUTTON (cb_test_find_named (GTK_WIDGET (window), "profile-button"));
  g_assert_nonnull (page);
  g_assert_nonnull (switcher);

  cb_connect_page_set_demo_endpoint (page, endpoint);
  cb_connect_page_use_demo (page);
  g_assert_true (cb_test_spin_until (is_idle, page, 30000));
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "entities");
  profile_id = g_strdup (cb_connect_page_get_profile (page)->id);
  g_assert_true (menu_has_label (gtk_menu_button_get_menu_model (switcher), "Demo company"));
  g_assert_cmpstr (gtk_menu_button_get_label (switcher), ==, "Demo company");
  cb_test_save_screenshot (GTK_WIDGET (window), "connect-window-profile.png");

  /* Rename */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rename-profile", NULL));
  g_assert_true (cb_test_spin_until (has_message_dialog, NULL, 5000));
  dialog = find_message_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog))),
                         "  Demo builders ");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  gtk_window_destroy (dialog);
  profile = cb_profile_load (cb_connect_page_get_database (page), profile_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->name, ==, "Demo builders");
  g_assert_true (menu_has_label (gtk_menu_button_get_menu_model (switcher), "Demo builders"));

  /* Remove: confirmed, the profile and both passwords go. The demo company keeps no
   * passwords in the keyring (its are public test values), so put some there as a real
   * company would have them. */
  secret = cb_secret_store_lookup (profile_id, CB_SECRET_USER_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  g_assert_true (cb_secret_store_save (profile_id, CB_SECRET_USER_PASSWORD, "test user password",
                                       "user-secret", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_secret_store_save (profile_id, CB_SECRET_SENDER_PASSWORD, "test sender password",
                                       "sender-secret", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-profile", NULL));
  g_assert_true (cb_test_spin_until (has_message_dialog, NULL, 5000));
  dialog = find_message_dialog ();
  cb_test_save_screenshot (GTK_WIDGET (dialog), "connect-remove-dialog.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gtk_window_destroy (dialog);
  g_clear_pointer (&profile, cb_profile_free);
  profile = cb_profile_load (cb_connect_page_get_database (page), profile_id, &error);
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "welcome");
  g_assert_false (menu_has_label (gtk_menu_button_get_menu_model (switcher), "Demo builders"));
  for (guint i = 0; i < 100; i++)
    {
      secret = cb_secret_store_lookup (profile_id, CB_SECRET_USER_PASSWORD, NULL, &error);
      if (secret == NULL)
        break;
      g_clear_pointer (&secret, g_free);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
  g_assert_no_error (error);
  g_assert_null (secret);
  secret = cb_secret_store_lookup (profile_id, CB_SECRET_SENDER_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  /* The keyring is cleared in a worker: let it return before the window goes. */
  cb_test_spin_for (1000);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  cb_sandbox_stop (sandbox);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP No display: run under xvfb-run\n");
      return 0;
    }

  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (!g_test_subprocess () && !cb_secret_store_check (NULL, NULL))
    {
      g_print ("1..0 # SKIP No Secret Service: run with build-aux/run-tests\n");
      return 0;
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/connect-ui/welcome-and-validation", test_welcome_and_validation);
  ADD ("/connect-ui/flow", test_connect_flow);
  ADD ("/connect-ui/failures", test_failures);
  ADD ("/connect-ui/cancel", test_cancel);
  ADD ("/connect-ui/demo", test_demo);
  ADD ("/connect-ui/keyring-unavailable", test_keyring_unavailable);
#undef ADD
  g_test_add_func ("/connect-ui/window-profiles", test_window_profiles);

  return g_test_run ();
}
