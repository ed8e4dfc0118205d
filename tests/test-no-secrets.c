/* test-no-secrets.c: no password leaks during a full connect-and-probe run in the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the real window under Xvfb through the whole first hour (fill the form, test
 * the connection, pick an entity, probe, refresh and save defaults, switch companies,
 * reopen the window) against the in-process sandbox, with the real keyring, a real SQLite
 * file in scratch XDG folders, settings in a key file on disk and every log line of the
 * process captured with debug output on. Then looks for both passwords, and their usual
 * encodings, in the database, every file under the scratch folders, the keyring's own
 * files, the settings, the logs and the widgets' texts.
 */

#define G_LOG_DOMAIN "test-no-secrets"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cb-connect-page.h"
#include "cb-database.h"
#include "cb-profile.h"
#include "cb-sandbox.h"
#include "cb-secret-store.h"
#include "cb-window.h"
#include "cb-test-ui.h"

/* The sandbox's credentials are fixed (cb-sandbox.h has no setter); they are distinctive
 * enough, and each is searched in several encodings too. */
static const char * const secrets[] = {
  CB_SANDBOX_USER_SECRET,
  CB_SANDBOX_SENDER_SECRET,
};

static GMutex log_lock;
static GString *log_text;
static guint log_lines;

static char *scratch_dir;
static char *keyring_dir;

/* Needles */

static void
add_needle (GPtrArray  *needles,
            const char *needle)
{
  for (guint i = 0; i < needles->len; i++)
    if (g_str_equal (g_ptr_array_index (needles, i), needle))
      return;
  g_ptr_array_add (needles, g_strdup (needle));
}

/* The part of base64 that the secret alone decides, at each of the three alignments a
 * longer encoded text can give it. */
static void
add_base64_needles (GPtrArray  *needles,
                    const char *secret)
{
  gsize len = strlen (secret);

  for (gsize shift = 0; shift < 3; shift++)
    {
      g_autofree guchar *data = g_malloc0 (shift + len);
      g_autofree char *encoded = NULL;
      gsize first_bit = shift * 8;
      gsize end_bit = (shift + len) * 8;
      gsize start = (first_bit + 5) / 6;
      gsize end = 0;

      memcpy (data + shift, secret, len);
      encoded = g_base64_encode (data, shift + len);
      while ((end + 1) * 6 <= end_bit)
        end++;
      g_assert_cmpuint (end, >, start + 8);
      encoded[end] = '\0';
      add_needle (needles, encoded + start);
    }
}

static GPtrArray *
secret_needles (void)
{
  GPtrArray *needles = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      const char *secret = secrets[i];
      g_autofree char *uri = g_uri_escape_string (secret, NULL, FALSE);
      g_autofree char *xml = g_markup_escape_text (secret, -1);
      g_autoptr(GString) percent = g_string_new (NULL);
      g_autoptr(GString) hex = g_string_new (NULL);
      g_autoptr(GString) hex_upper = g_string_new (NULL);

      for (const char *p = secret; *p != '\0'; p++)
        {
          g_string_append_printf (percent, "%%%02X", (guchar) *p);
          g_string_append_printf (hex, "%02x", (guchar) *p);
          g_string_append_printf (hex_upper, "%02X", (guchar) *p);
        }

      add_needle (needles, secret);
      add_needle (needles, uri);
      add_needle (needles, xml);
      add_needle (needles, percent->str);
      add_needle (needles, hex->str);
      add_needle (needles, hex_upper->str);
      add_base64_needles (needles, secret);
    }

  return needles;
}

/* Returns the first needle found in @data, or NULL. */
static const char *
find_needle (GPtrArray  *needles,
             const void *data,
             gsize       len)
{
  for (guint i = 0; i < needles->len; i++)
    {
      const char *needle = g_ptr_array_index (needles, i);

      gsize needle_len = strlen (needle);
      const char *bytes = data;

      for (gsize at = 0; needle_len <= len && at <= len - needle_len; at++)
        if (bytes[at] == needle[0] && memcmp (bytes + at, needle, needle_len) == 0)
          return needle;
    }

  return NULL;
}

static void
assert_no_needle (GPtrArray  *needles,
                  const void *data,
                  gsize       len,
                  const char *where)
{
  const char *found = find_needle (needles, data, len);

  if (found != NULL)
    g_error ("A password (as “%s”) leaked into %s", found, where);
}

/* Logs */

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_autofree char *line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);

  g_mutex_lock (&log_lock);
  g_string_append (log_text, line);
  g_string_append_c (log_text, '\n');
  log_lines++;
  g_mutex_unlock (&log_lock);

  /* Warnings and worse still reach the default writer, so they stay fatal in tests. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

/* Files */

static guint
scan_tree (GPtrArray  *needles,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_files = 0;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return 0;
      g_assert_true (g_file_get_contents (path, &contents, &len, &error));
      g_assert_no_error (error);
      assert_no_needle (needles, contents, len, path);
      return 1;
    }

  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      n_files += scan_tree (needles, child);
    }

  return n_files;
}

static void
scan_database (GPtrArray  *needles,
               const char *db_path,
               gboolean    expect_wal)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

      if (i == 0 || (i == 1 && expect_wal))
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      scan_tree (needles, path);
    }
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Settings */

static void
scan_settings (GPtrArray *needles,
               GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *current = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >, 0);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, TRUE);
      g_autofree char *where = g_strdup_printf ("the setting %s (%s)", keys[i], printed);

      assert_no_needle (needles, printed, strlen (printed), where);
    }

  /* The run did use the settings. */
  current = g_settings_get_string (settings, "current-profile");
  g_assert_cmpstr (current, !=, "");
}

/* Widgets */

static void
check_text (GPtrArray  *needles,
            GtkWidget  *widget,
            const char *what,
            const char *text)
{
  g_autofree char *where = NULL;

  if (text == NULL || find_needle (needles, text, strlen (text)) == NULL)
    return;

  where = g_strdup_printf ("the %s of a %s named “%s”", what,
                           G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget));
  assert_no_needle (needles, text, strlen (text), where);
}

/* Every text a widget can show. A password entry may hold the password, but only in a
 * GtkText that renders it masked. Counts such masked texts in @n_masked. */
static void
scan_widget (GPtrArray *needles,
             GtkWidget *widget,
             guint     *n_masked)
{
  check_text (needles, widget, "tooltip", gtk_widget_get_tooltip_text (widget));

  if (GTK_IS_LABEL (widget))
    check_text (needles, widget, "label", gtk_label_get_label (GTK_LABEL (widget)));
  if (GTK_IS_BUTTON (widget))
    check_text (needles, widget, "label", gtk_button_get_label (GTK_BUTTON (widget)));
  if (GTK_IS_WINDOW (widget))
    check_text (needles, widget, "title", gtk_window_get_title (GTK_WINDOW (widget)));
  if (ADW_IS_PREFERENCES_ROW (widget))
    check_text (needles, widget, "title",
                adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget))
    check_text (needles, widget, "subtitle",
                adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  if (ADW_IS_EXPANDER_ROW (widget))
    check_text (needles, widget, "subtitle",
                adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget)));
  if (ADW_IS_STATUS_PAGE (widget))
    check_text (needles, widget, "description",
                adw_status_page_get_description (ADW_STATUS_PAGE (widget)));

  /* Every editable shows its text through a GtkText. */
  if (GTK_IS_TEXT (widget))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (widget));

      if (find_needle (needles, text, strlen (text)) != NULL &&
          !gtk_text_get_visibility (GTK_TEXT (widget)))
        (*n_masked)++;
      else
        check_text (needles, widget, "visible text", text);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    scan_widget (needles, child, n_masked);
}

static guint
scan_toplevels (GPtrArray *needles)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_masked = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      scan_widget (needles, toplevel, &n_masked);
    }

  return n_masked;
}

/* Driving the window */

static gboolean
is_idle (gpointer data)
{
  return !cb_connect_page_get_busy (CB_CONNECT_PAGE (data));
}

static gpointer
named (CbConnectPage *page,
       const char    *name)
{
  GtkWidget *widget = cb_test_find_named (GTK_WIDGET (page), name);

  if (widget == NULL)
    g_error ("No widget named %s", name);

  return widget;
}

static void
set_text (CbConnectPage *page,
          const char    *name,
          const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (named (page, name)), text);
}

static void
click (CbConnectPage *page,
       const char    *name)
{
  GtkWidget *button = named (page, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static CbWindow *
open_window (GtkApplication *app)
{
  CbWindow *window = cb_window_new (app);

  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (cb_test_spin_until (cb_test_is_mapped, window, 5000));

  return window;
}

static void
close_window (CbWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static CbConnectPage *
window_page (CbWindow *window)
{
  GtkWidget *page = cb_test_find_named (GTK_WIDGET (window), "connect-page");

  g_assert_nonnull (page);
  return CB_CONNECT_PAGE (page);
}

/* Fills the form and tests the connection; returns the new profile's ID. */
static char *
connect_company (CbWindow   *window,
                 const char *endpoint,
                 const char *entity_id)
{
  CbConnectPage *page = window_page (window);
  GtkListBox *entities;
  GtkWidget *row;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-company", NULL));
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "form");
  set_text (page, "company-id", CB_SANDBOX_COMPANY_ID);
  set_text (page, "user-id", CB_SANDBOX_USER_ID);
  set_text (page, "user-password", CB_SANDBOX_USER_SECRET);
  set_text (page, "sender-id", CB_SANDBOX_SENDER_ID);
  set_text (page, "sender-password", CB_SANDBOX_SENDER_SECRET);
  set_text (page, "entity-id", "");
  set_text (page, "endpoint", endpoint);

  click (page, "test-button");
  g_assert_true (cb_test_spin_until (is_idle, page, 30000));
  g_assert_false (gtk_widget_get_visible (named (page, "diagnosis")));
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "entities");

  entities = named (page, "entity-list");
  row = cb_test_find_named (GTK_WIDGET (entities), entity_id);
  g_assert_nonnull (row);
  g_signal_emit_by_name (entities, "row-activated", row);
  g_assert_true (cb_test_spin_until (is_idle, page, 30000));
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "probe");

  return g_strdup (cb_connect_page_get_profile (page)->id);
}

static void
probe_and_save_defaults (CbWindow *window)
{
  CbConnectPage *page = window_page (window);
  GtkDropDown *ap;

  click (page, "probe-button");
  g_assert_true (cb_test_spin_until (is_idle, page, 60000));
  g_assert_true (gtk_widget_has_css_class (named (page, "VENDOR:read"), "cb-granted"));

  click (page, "defaults-next-button");
  g_assert_cmpstr (cb_connect_page_get_step (page), ==, "defaults");
  g_assert_true (cb_test_spin_until (is_idle, page, 60000));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (named (page, "refresh-label")),
                                   "Last refreshed from Intacct: "));
  /* Refresh again on demand. Its outcome is not this test's business (any error text
   * shown is scanned with the rest of the widgets), only what it leaves behind. */
  click (page, "refresh-button");
  g_assert_true (cb_test_spin_until (is_idle, page, 60000));
  g_test_message ("After the refresh: %s", gtk_label_get_text (named (page, "refresh-label")));

  ap = GTK_DROP_DOWN (adw_action_row_get_activatable_widget (named (page, "ap-account")));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (ap)), >, 1);
  gtk_drop_down_set_selected (ap, 1);
  adw_combo_row_set_selected (named (page, "missing-cost-type-rule"), CB_MISSING_COST_TYPE_BLOCK);
  adw_combo_row_set_selected (named (page, "bill-date-rule"), CB_BILL_DATE_SYNC_DAY);
  click (page, "save-defaults-button");
  g_assert_cmpstr (gtk_label_get_text (named (page, "defaults-message")), ==, "Defaults saved.");
}

/* The test */

static void
test_connect_and_probe (void)
{
  g_autoptr(GPtrArray) needles = secret_needles ();
  g_autoptr(AdwApplication) app = NULL;
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *settings_file = NULL;
  g_autofree char *logs = NULL;
  g_autofree char *secret = NULL;
  CbDatabase *db;
  CbWindow *window;
  guint n_files;
  guint n_masked;

  g_assert_true (cb_sandbox_start (sandbox, 0, &error));
  g_assert_no_error (error);
  endpoint = cb_sandbox_dup_endpoint (sandbox);

  app = adw_application_new (APPLICATION_ID ".NoSecretsTest", G_APPLICATION_NON_UNIQUE);
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/costbridge/Costbridge/");
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  /* Two companies, each tested and scoped to an entity; the first probed and given defaults. */
  window = open_window (GTK_APPLICATION (app));
  first_id = connect_company (window, endpoint, CB_SANDBOX_ENTITY_NORTH);
  probe_and_save_defaults (window);
  second_id = connect_company (window, endpoint, CB_SANDBOX_ENTITY_SOUTH);
  g_assert_cmpstr (first_id, !=, second_id);

  /* Both passwords really are in the keyring. */
  secret = cb_secret_store_lookup (second_id, CB_SECRET_SENDER_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, CB_SANDBOX_SENDER_SECRET);
  cb_clear_secret (&secret);

  /* Switch back to the first company: its form is filled from the keyring. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-profile", "s", first_id));
  g_assert_cmpstr (cb_connect_page_get_profile (window_page (window))->id, ==, first_id);
  n_masked = scan_toplevels (needles);
  g_test_message ("%u masked password texts after switching", n_masked);

  db = cb_connect_page_get_database (window_page (window));
  g_assert_nonnull (db);
  db_path = g_strdup (cb_database_get_path (db));
  g_assert_true (g_str_has_prefix (db_path, scratch_dir));
  profiles = cb_profile_list (db, &error);
  g_assert_no_error (error);
  /* Both companies were saved, the second under a name made unique. */
  g_assert_cmpuint (profiles->len, ==, 2);

  /* With the database still open, its write-ahead log holds the latest writes. */
  scan_database (needles, db_path, TRUE);
  close_window (window);

  /* Reopen: the last company used opens again, from the settings and the keyring. */
  window = open_window (GTK_APPLICATION (app));
  g_assert_cmpstr (cb_connect_page_get_profile (window_page (window))->id, ==, first_id);
  g_assert_cmpstr (cb_connect_page_get_step (window_page (window)), !=, "welcome");
  n_masked = scan_toplevels (needles);
  g_test_message ("%u masked password texts after reopening", n_masked);
  scan_database (needles, db_path, TRUE);

  /* Settings: every key's value, and the key file they were written to. */
  settings = g_settings_new (CB_SCHEMA_ID);
  scan_settings (needles, settings);
  g_settings_sync ();
  settings_file = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
  g_assert_true (g_file_test (settings_file, G_FILE_TEST_IS_REGULAR));
  scan_tree (needles, settings_file);

  /* Leave no secrets behind in the test keyring (removal is part of the run too). */
  for (guint i = 0; i < profiles->len; i++)
    cb_secret_store_clear (((CbProfile *) g_ptr_array_index (profiles, i))->id, NULL, NULL);
  close_window (window);
  g_clear_object (&settings);
  cb_sandbox_stop (sandbox);

  /* Every file the run wrote, the database closed now. */
  scan_database (needles, db_path, FALSE);
  n_files = scan_tree (needles, scratch_dir);
  g_test_message ("%u files under the scratch XDG folders", n_files);
  g_assert_cmpuint (n_files, >=, 2);

  /* gnome-keyring's own files are encrypted: not even they hold a password in clear. */
  if (keyring_dir != NULL && g_file_test (keyring_dir, G_FILE_TEST_IS_DIR))
    {
      n_files = scan_tree (needles, keyring_dir);
      g_test_message ("%u keyring files in %s", n_files, keyring_dir);
      g_assert_cmpuint (n_files, >, 0);
    }
  else
    g_test_message ("No keyring folder to scan");

  /* The logs: debug output was on (the client logged its requests), and clean. */
  g_mutex_lock (&log_lock);
  logs = g_strdup (log_text->str);
  g_mutex_unlock (&log_lock);
  g_test_message ("%u log lines captured", log_lines);
  g_assert_cmpuint (log_lines, >, 10);
  g_assert_nonnull (strstr (logs, "POST " ));
  g_assert_nonnull (strstr (logs, "<senderid>" CB_SANDBOX_SENDER_ID "</senderid>"));
  g_assert_nonnull (strstr (logs, "<userid>" CB_SANDBOX_USER_ID "</userid>"));
  assert_no_needle (needles, logs, strlen (logs), "the logs");
}

/* The needles really match what they should. */
static void
test_needles (void)
{
  g_autoptr(GPtrArray) needles = secret_needles ();

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *plain = g_strdup_printf ("<password>%s</password>", secrets[i]);
      g_autoptr(GString) hex = g_string_new ("x'");

      g_assert_nonnull (find_needle (needles, plain, strlen (plain)));
      for (const char *p = secrets[i]; *p != '\0'; p++)
        g_string_append_printf (hex, "%02X", (guchar) *p);
      g_assert_nonnull (find_needle (needles, hex->str, hex->len));

      for (gsize shift = 0; shift < 3; shift++)
        {
          g_autofree char *text = g_strdup_printf ("%.*s%s!", (int) shift, "ab", secrets[i]);
          g_autofree char *encoded = g_base64_encode ((const guchar *) text, strlen (text));

          g_assert_nonnull (find_needle (needles, encoded, strlen (encoded)));
        }
    }

  g_assert_null (find_needle (needles, "demo-user-pas", 13));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *data_home = g_getenv ("XDG_DATA_HOME");
  int status;

  /* Before anything logs or looks up a folder: capture every log line with debug output on,
   * keep files in scratch folders and settings in a key file there. The keyring daemon
   * runs outside this process and keeps its files where the wrapper put them. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  if (data_home != NULL && *data_home != '\0')
    keyring_dir = g_build_filename (data_home, "keyrings", NULL);
  scratch_dir = g_dir_make_tmp ("costbridge-no-secrets-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      static const char * const vars[] = {
        "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
      };
      g_autofree char *dir = g_build_filename (scratch_dir, vars[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (vars[i], dir, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/no-secrets/needles", test_needles);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP No display: run under xvfb-run\n");
      remove_tree (scratch_dir);
      return 0;
    }

  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (!cb_secret_store_check (NULL, NULL))
    {
      g_print ("1..0 # SKIP No Secret Service: run with build-aux/run-tests\n");
      remove_tree (scratch_dir);
      return 0;
    }

  g_test_add_func ("/no-secrets/connect-and-probe", test_connect_and_probe);

  status = g_test_run ();

  remove_tree (scratch_dir);
  g_free (scratch_dir);
  g_free (keyring_dir);
  g_string_free (log_text, TRUE);

  return status;
}
