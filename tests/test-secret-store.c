/* test-secret-store.c: company passwords in a real Secret Service (gnome-keyring)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under build-aux/run-tests, which provides a private session bus with an unlocked
 * throw-away gnome-keyring. The no-service case runs in subprocesses pointed at a bus
 * that does not exist, and at a private bus with no Secret Service on it.
 */

#define G_LOG_DOMAIN "test-secret-store"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "cb-error.h"
#include "cb-secret-store.h"

static char *
unique_profile (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("%s-%s", prefix, uuid);
}

static char *
lookup (const char   *profile,
        CbSecretKind  kind)
{
  g_autoptr(GError) error = NULL;
  char *secret = cb_secret_store_lookup (profile, kind, NULL, &error);

  g_assert_no_error (error);
  return secret;
}

/* What the keyring holds for a profile, seen through libsecret directly. */
static guint
count_items (const char *profile)
{
  static const SecretSchema schema = {
    APPLICATION_ID, SECRET_SCHEMA_NONE,
    {
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  items = secret_password_search_sync (&schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "profile", profile, NULL);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return n;
}

static void
test_kind_strings (void)
{
  g_assert_cmpstr (cb_secret_kind_to_string (CB_SECRET_USER_PASSWORD), ==, "user-password");
  g_assert_cmpstr (cb_secret_kind_to_string (CB_SECRET_SENDER_PASSWORD), ==, "sender-password");
}

static void
test_store_lookup_replace_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = unique_profile ("p-test");
  char *secret;

  /* Nothing yet: NULL without an error. */
  secret = lookup (profile, CB_SECRET_USER_PASSWORD);
  g_assert_null (secret);

  g_assert_true (cb_secret_store_save (profile, CB_SECRET_USER_PASSWORD,
                                       "Costbridge: user password for test",
                                       "first pässword", NULL, &error));
  g_assert_no_error (error);
  secret = lookup (profile, CB_SECRET_USER_PASSWORD);
  g_assert_cmpstr (secret, ==, "first pässword");
  cb_clear_secret (&secret);
  g_assert_null (secret);

  /* The other kind is separate. */
  g_assert_null (lookup (profile, CB_SECRET_SENDER_PASSWORD));
  g_assert_true (cb_secret_store_save (profile, CB_SECRET_SENDER_PASSWORD,
                                       "Costbridge: sender password for test",
                                       "sender secret", NULL, &error));
  g_assert_no_error (error);

  /* Saving again replaces, it does not add. */
  g_assert_true (cb_secret_store_save (profile, CB_SECRET_USER_PASSWORD,
                                       "Costbridge: user password for test",
                                       "second password", NULL, &error));
  g_assert_no_error (error);
  secret = lookup (profile, CB_SECRET_USER_PASSWORD);
  g_assert_cmpstr (secret, ==, "second password");
  cb_clear_secret (&secret);
  secret = lookup (profile, CB_SECRET_SENDER_PASSWORD);
  g_assert_cmpstr (secret, ==, "sender secret");
  cb_clear_secret (&secret);
  g_assert_cmpuint (count_items (profile), ==, 2);

  /* Clear removes both kinds, and clearing nothing is fine. */
  g_assert_true (cb_secret_store_clear (profile, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (lookup (profile, CB_SECRET_USER_PASSWORD));
  g_assert_null (lookup (profile, CB_SECRET_SENDER_PASSWORD));
  g_assert_cmpuint (count_items (profile), ==, 0);
  g_assert_true (cb_secret_store_clear (profile, NULL, &error));
  g_assert_no_error (error);
}

static void
test_profiles_isolated (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = unique_profile ("p-first");
  g_autofree char *second = unique_profile ("p-second");
  char *secret;

  g_assert_true (cb_secret_store_save (first, CB_SECRET_USER_PASSWORD, "first", "one", NULL, &error));
  g_assert_true (cb_secret_store_save (second, CB_SECRET_USER_PASSWORD, "second", "two", NULL, &error));
  g_assert_no_error (error);

  secret = lookup (first, CB_SECRET_USER_PASSWORD);
  g_assert_cmpstr (secret, ==, "one");
  cb_clear_secret (&secret);
  secret = lookup (second, CB_SECRET_USER_PASSWORD);
  g_assert_cmpstr (secret, ==, "two");
  cb_clear_secret (&secret);

  /* Clearing one profile leaves the other. */
  g_assert_true (cb_secret_store_clear (first, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (lookup (first, CB_SECRET_USER_PASSWORD));
  secret = lookup (second, CB_SECRET_USER_PASSWORD);
  g_assert_cmpstr (secret, ==, "two");
  cb_clear_secret (&secret);

  g_assert_true (cb_secret_store_clear (second, NULL, &error));
  g_assert_no_error (error);
}

static void
test_check (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_secret_store_check (NULL, &error));
  g_assert_no_error (error);
  /* The probe leaves nothing behind. */
  g_assert_cmpuint (count_items ("costbridge-keyring-check"), ==, 0);
}

static void
assert_unavailable (GError *error)
{
  g_assert_error (error, CB_SECRET_ERROR, CB_SECRET_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "No keyring is available"));
  g_assert_nonnull (strstr (error->message, "Install and unlock GNOME Keyring"));
}

static void
assert_tree_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (!g_file_test (child, G_FILE_TEST_IS_DIR))
        g_error ("A file was written without a keyring: %s", child);
      assert_tree_empty (child);
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          remove_tree (child);
        else
          g_remove (child);
      }
  g_rmdir (path);
}

/* In a subprocess whose session bus has no Secret Service: every call fails with the
 * helpful error, and no file appears in the (scratch) home and XDG folders. */
static void
run_every_call_unavailable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("cb-secret-home-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);
  char *secret;

  g_assert_nonnull (home);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  g_assert_false (cb_secret_store_save ("p-nobus", CB_SECRET_SENDER_PASSWORD, "label",
                                        "never-stored-secret", NULL, &error));
  assert_unavailable (error);
  g_clear_error (&error);

  secret = cb_secret_store_lookup ("p-nobus", CB_SECRET_SENDER_PASSWORD, NULL, &error);
  g_assert_null (secret);
  assert_unavailable (error);
  g_clear_error (&error);

  g_assert_false (cb_secret_store_clear ("p-nobus", NULL, &error));
  assert_unavailable (error);
  g_clear_error (&error);

  g_assert_false (cb_secret_store_check (NULL, &error));
  assert_unavailable (error);
  g_printerr ("%s\n", error->message);

  assert_tree_empty (home);
  remove_tree (home);
}

static void
test_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/costbridge-test-bus", TRUE);
      run_every_call_unavailable ();
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*No keyring is available*");
  g_test_trap_assert_stderr_unmatched ("*never-stored-secret*");
}

/* A real private bus whose only service directory is empty. */
static void
test_no_service (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *services = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *saved_address = NULL;
  g_autofree char *dbus_daemon = NULL;

  if (g_test_subprocess ())
    {
      run_every_call_unavailable ();
      return;
    }

  dbus_daemon = g_find_program_in_path ("dbus-daemon");
  if (dbus_daemon == NULL)
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }

  dir = g_dir_make_tmp ("cb-secret-bus-XXXXXX", &error);
  g_assert_no_error (error);
  services = g_build_filename (dir, "services", NULL);
  g_assert_cmpint (g_mkdir (services, 0700), ==, 0);
  config = g_build_filename (dir, "session.conf", NULL);
  config_text = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                                 "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                                 "<busconfig>\n"
                                 "  <type>session</type>\n"
                                 "  <listen>unix:dir=%s</listen>\n"
                                 "  <servicedir>%s</servicedir>\n"
                                 "  <policy context=\"default\">\n"
                                 "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                                 "    <allow eavesdrop=\"true\"/>\n"
                                 "    <allow own=\"*\"/>\n"
                                 "  </policy>\n"
                                 "</busconfig>\n",
                                 dir, services);
  g_assert_true (g_file_set_contents (config, config_text, -1, &error));
  g_assert_no_error (error);

  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "dbus-daemon", "--config-file", config,
                             "--print-address", "--nofork", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);

  /* The subprocess inherits the environment; this process keeps its own connection. */
  saved_address = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  if (saved_address != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved_address, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);

  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*No keyring is available*");
  g_test_trap_assert_stderr_unmatched ("*never-stored-secret*");

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret-store/kind-strings", test_kind_strings);
  g_test_add_func ("/secret-store/no-bus", test_no_bus);
  g_test_add_func ("/secret-store/no-service", test_no_service);

  /* The keyring tests need the Secret Service that build-aux/run-tests provides. */
  g_test_add_func ("/secret-store/store-lookup-replace-clear", test_store_lookup_replace_clear);
  g_test_add_func ("/secret-store/profiles-isolated", test_profiles_isolated);
  g_test_add_func ("/secret-store/check", test_check);

  ret = g_test_run ();
  /* Drop libsecret's cached service, so LeakSanitizer sees only real leaks. */
  secret_service_disconnect ();
  return ret;
}
