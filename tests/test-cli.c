/* test-cli.c: costbridge-cli, spawned for real, against the sandbox gateway, the real
 * keyring and a database in a scratch folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* memmem */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cb-connection.h"
#include "cb-database.h"
#include "cb-profile.h"
#include "cb-sandbox.h"
#include "cb-secret-store.h"

static const char * const secrets[] = { CB_SANDBOX_USER_SECRET, CB_SANDBOX_SENDER_SECRET };

typedef struct
{
  CbSandbox *sandbox;
  char      *endpoint;
  char      *dir;
  char      *cli;
  gboolean   no_keyring;   /* spawn without a Secret Service */
} Fixture;

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
assert_no_secret (const char *text,
                  gsize       len,
                  const char *where)
{
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (text != NULL && memmem (text, len, secrets[i], strlen (secrets[i])) != NULL)
      g_error ("A password appeared in %s", where);
}

/* Runs costbridge-cli with @args (NULL-terminated) and @input on standard input. */
static void
cli_run (Fixture    *f,
         Run        *r,
         const char *input,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_build_filename (f->dir, "data", NULL);
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, f->cli);
  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  /* No password is ever put in a command line. */
  for (guint i = 0; argv->pdata[i] != NULL; i++)
    assert_no_secret (argv->pdata[i], strlen (argv->pdata[i]), "argv");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  if (f->no_keyring)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                  "unix:path=/nonexistent/costbridge-test-bus", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
  g_assert_true (g_subprocess_get_if_exited (proc));

  assert_no_secret (r->out, strlen (r->out), "standard output");
  assert_no_secret (r->err, strlen (r->err), "standard error (debug messages included)");
  if (g_test_verbose ())
    g_test_message ("%s %s → %d\n%s%s", (char *) argv->pdata[1],
                    argv->len > 2 ? (char *) argv->pdata[2] : "", r->status, r->out, r->err);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static const char *
passwords_input (void)
{
  return CB_SANDBOX_USER_SECRET "\n" CB_SANDBOX_SENDER_SECRET "\n";
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = cb_sandbox_new ();
  g_assert_true (cb_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);
  f->endpoint = cb_sandbox_dup_endpoint (f->sandbox);
  f->dir = g_dir_make_tmp ("cb-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "costbridge-cli", NULL);
  g_assert_true (g_file_test (f->cli, G_FILE_TEST_IS_EXECUTABLE));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cb_sandbox_stop (f->sandbox);
  g_assert_finalize_object (f->sandbox);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->endpoint);
  g_free (f->cli);
}

/* Every file under the data folder (the database and its WAL) is free of passwords. */
static void
assert_database_clean (Fixture *f)
{
  g_autofree char *folder = g_build_filename (f->dir, "data", "costbridge", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      assert_no_secret (contents, len, name);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

static gboolean
keyring_available (void)
{
  g_autoptr(GError) error = NULL;

  if (cb_secret_store_check (NULL, &error))
    return TRUE;
  g_test_skip ("No Secret Service (run through build-aux/run-tests)");
  return FALSE;
}

static char *
add_profile (Fixture    *f,
             const char *name,
             const char *endpoint,
             const char *input)
{
  g_auto(Run) r = { 0 };
  g_autoptr(JsonNode) node = NULL;

  cli_run (f, &r, input, "profile", "add", name, "--company", CB_SANDBOX_COMPANY_ID,
           "--user", CB_SANDBOX_USER_ID, "--sender", CB_SANDBOX_SENDER_ID,
           "--endpoint", endpoint, "--json", NULL);
  g_assert_cmpint (r.status, ==, CB_EXIT_OK);
  node = parse_json (r.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "name"), ==,
                   name);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  const char *commands[][2] = {
    { "profile", "add" }, { "profile", "list" }, { "profile", "show" },
    { "profile", "remove" }, { "profile", "rename" }, { "test", NULL }, { "entities", NULL },
    { "entity", NULL }, { "probe", NULL }, { "defaults", NULL }, { "demo-profile", NULL },
  };

  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "--help", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    g_assert_nonnull (strstr (r.out, "probe"));
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "no-such-command", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_USAGE);
  }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) r = { 0 };

      if (commands[i][1] != NULL)
        cli_run (f, &r, NULL, commands[i][0], commands[i][1], "--help", NULL);
      else
        cli_run (f, &r, NULL, commands[i][0], "--help", NULL);
      g_assert_cmpint (r.status, ==, CB_EXIT_OK);
      g_assert_nonnull (strstr (r.out, "--json"));
      g_assert_nonnull (strstr (r.out, "--database"));
    }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "profile", "add", "--help", NULL);
    g_assert_nonnull (strstr (r.out, "--company"));
    g_assert_null (strstr (r.out, "--password="));
  }
}

static void
test_full_run (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *user_secret = NULL;
  g_autoptr(GError) error = NULL;

  if (!keyring_available ())
    return;

  id = add_profile (f, "Acme", f->endpoint, passwords_input ());

  /* The passwords are in the keyring under the profile's id. */
  user_secret = cb_secret_store_lookup (id, CB_SECRET_USER_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user_secret, ==, CB_SANDBOX_USER_SECRET);
  cb_clear_secret (&user_secret);

  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonArray *list;

    cli_run (f, &r, NULL, "profile", "list", "--json", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    node = parse_json (r.out);
    list = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                    "company_id"), ==, CB_SANDBOX_COMPANY_ID);
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonNode) node = NULL;

    cli_run (f, &r, NULL, "test", "Acme", "--json", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    node = parse_json (r.out);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "connected"));
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonNode) node = NULL;

    cli_run (f, &r, NULL, "profile", "show", "Acme", "--json", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    node = parse_json (r.out);
    /* The successful test was recorded. */
    g_assert_nonnull (json_object_get_string_member (json_node_get_object (node),
                                                     "last_connected"));
  }
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonArray *list;

    cli_run (f, &r, NULL, "entities", "Acme", "--json", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    node = parse_json (r.out);
    list = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (list), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0),
                                                    "id"), ==, "");
  }
  {
    g_auto(Run) r = { 0 };
    g_auto(Run) show = { 0 };
    g_autoptr(JsonNode) node = NULL;

    cli_run (f, &r, NULL, "entity", "Acme", CB_SANDBOX_ENTITY_NORTH, NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    cli_run (f, &show, NULL, "profile", "show", "Acme", "--json", NULL);
    node = parse_json (show.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "entity_id"),
                     ==, CB_SANDBOX_ENTITY_NORTH);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "entity", "Acme", "999", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_PERMISSIONS);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "entity", "Acme", "--top-level", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
  }

  /* The probe: everything granted, nothing written. */
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonArray *list;
    guint n_caps = 0;

    cb_capabilities_get_all (&n_caps);
    cb_sandbox_reset_counters (f->sandbox);
    cli_run (f, &r, NULL, "probe", "Acme", "--json", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    node = parse_json (r.out);
    list = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (list), ==, n_caps);
    for (guint i = 0; i < n_caps; i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, i),
                                                      "state"), ==, "granted");
    g_assert_cmpuint (cb_sandbox_get_write_count (f->sandbox), ==, 0);
  }

  /* Defaults: set, shown, validated against the cached lists. */
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *defaults;

    cli_run (f, &r, NULL, "defaults", "Acme", "--ap-account", "2000", "--bill-date", "sync",
             "--missing-cost-type", "omit", "--json", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    node = parse_json (r.out);
    defaults = json_object_get_object_member (json_node_get_object (node), "defaults");
    g_assert_cmpstr (json_object_get_string_member (defaults, "ap_account"), ==, "2000");
    g_assert_cmpstr (json_object_get_string_member (defaults, "bill_date"), ==, "sync");
    g_assert_cmpstr (json_object_get_string_member (defaults, "missing_cost_type"), ==, "omit");
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "defaults", "Acme", "--department", "NO-SUCH-DEPT", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_USAGE);
    g_assert_nonnull (strstr (r.err, "NO-SUCH-DEPT"));
  }
  {
    g_auto(Run) r = { 0 };
    g_auto(Run) show = { 0 };
    g_autoptr(JsonNode) node = NULL;

    cli_run (f, &r, NULL, "defaults", "Acme", "--bill-date", "tomorrow", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_USAGE);
    /* A refused change is not saved. */
    cli_run (f, &show, NULL, "profile", "show", "Acme", "--json", NULL);
    node = parse_json (show.out);
    g_assert_true (json_node_is_null (json_object_get_member (
      json_object_get_object_member (json_node_get_object (node), "defaults"), "department")));
    g_assert_cmpstr (json_object_get_string_member (
      json_object_get_object_member (json_node_get_object (node), "defaults"), "bill_date"),
      ==, "sync");
  }

  /* A denied permission: exit code for permissions, and the row says what to grant. */
  {
    g_auto(Run) r = { 0 };

    cb_sandbox_deny_permission (f->sandbox, "APBILL", "create");
    cli_run (f, &r, NULL, "probe", "Acme", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_PERMISSIONS);
    g_assert_nonnull (strstr (r.out, "Accounts Payable > Bills: List, View, Add"));
  }

  /* Rename, then remove: the secrets leave the keyring with the profile. */
  {
    g_auto(Run) r = { 0 };
    g_auto(Run) rm = { 0 };
    g_auto(Run) show = { 0 };
    char *left;

    cli_run (f, &r, NULL, "profile", "rename", "Acme", "Acme Builders", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    assert_database_clean (f);
    cli_run (f, &rm, NULL, "profile", "remove", "Acme Builders", NULL);
    g_assert_cmpint (rm.status, ==, CB_EXIT_OK);
    left = cb_secret_store_lookup (id, CB_SECRET_USER_PASSWORD, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (left);
    left = cb_secret_store_lookup (id, CB_SECRET_SENDER_PASSWORD, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (left);
    cli_run (f, &show, NULL, "profile", "show", "Acme Builders", NULL);
    g_assert_cmpint (show.status, ==, CB_EXIT_FAILURE);
  }
  assert_database_clean (f);
}

/* An endpoint on a loopback port that is bound but never listens: connecting is refused,
 * and no other process can take the port while @holder lives. */
static char *
refused_endpoint (GSocket **holder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  *holder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                          &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (*holder, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (*holder, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("http://127.0.0.1:%u/ia/xml/xmlgw.phtml",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static void
test_exit_codes (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *wrong_id = NULL;
  g_autofree char *down_id = NULL;
  g_autofree char *down_endpoint = NULL;
  g_autoptr(GSocket) holder = NULL;

  if (!keyring_available ())
    return;

  /* Wrong user password. */
  wrong_id = add_profile (f, "Wrong", f->endpoint, "not-the-password\n" CB_SANDBOX_SENDER_SECRET "\n");
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonNode) node = NULL;
    JsonObject *err;

    cli_run (f, &r, NULL, "test", "Wrong", "--json", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_CREDENTIALS);
    node = parse_json (r.out);
    err = json_object_get_object_member (json_node_get_object (node), "error");
    g_assert_cmpstr (json_object_get_string_member (err, "problem"), ==, "user-credentials");
    g_assert_nonnull (strstr (r.err, "Web Services users"));
  }

  /* Sender not authorised: credentials, with the menu that fixes it. */
  {
    g_auto(Run) r = { 0 };

    cb_sandbox_set_sender_authorized (f->sandbox, FALSE);
    cli_run (f, &r, NULL, "--password-stdin", NULL);   /* a usage error first */
    g_assert_cmpint (r.status, ==, CB_EXIT_USAGE);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, passwords_input (), "test", "Wrong", "--password-stdin", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_CREDENTIALS);
    g_assert_nonnull (strstr (r.err, "Web Services authorizations"));
    g_assert_nonnull (strstr (r.err, "Support ID"));
    cb_sandbox_set_sender_authorized (f->sandbox, TRUE);
  }

  /* Unreachable gateway. */
  down_endpoint = refused_endpoint (&holder);
  down_id = add_profile (f, "Down", down_endpoint, passwords_input ());
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "test", "Down", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_NETWORK);
  }

  /* Web Services not subscribed: permissions. */
  {
    g_auto(Run) r = { 0 };

    cb_sandbox_set_web_services_subscribed (f->sandbox, FALSE);
    cli_run (f, &r, NULL, "test", "Wrong", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_PERMISSIONS);
    g_assert_nonnull (strstr (r.err, "Company > Subscriptions"));
    cb_sandbox_set_web_services_subscribed (f->sandbox, TRUE);
  }

  /* Construction not subscribed: the probe says so, with the permissions exit code. */
  {
    g_auto(Run) r = { 0 };

    cb_sandbox_set_construction_subscribed (f->sandbox, FALSE);
    cb_sandbox_reset_counters (f->sandbox);
    cli_run (f, &r, passwords_input (), "probe", "Wrong", "--password-stdin", "--json", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_PERMISSIONS);
    g_assert_nonnull (strstr (r.out, "not-subscribed"));
    g_assert_cmpuint (cb_sandbox_get_write_count (f->sandbox), ==, 0);
  }

  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "profile", "remove", "Wrong", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "profile", "remove", "Down", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
  }
  assert_database_clean (f);
}

static void
test_no_keyring (Fixture       *f,
                 gconstpointer  data)
{
  f->no_keyring = TRUE;
  {
    g_auto(Run) r = { 0 };

    /* Without a Secret Service nothing is stored, and the admin is told why before
     * typing any password. */
    cli_run (f, &r, NULL, "profile", "add", "Acme", "--company",
             CB_SANDBOX_COMPANY_ID, "--user", CB_SANDBOX_USER_ID, "--sender",
             CB_SANDBOX_SENDER_ID, "--endpoint", f->endpoint, NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_KEYRING);
    g_assert_cmpstr (r.err, !=, "");
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "profile", "list", "--json", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
    g_assert_null (strstr (r.out, "Acme"));
  }
  /* The demo profile needs no keyring; a sandbox profile with its passwords on standard
   * input works for one run. */
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "demo-profile", "Demo", "--endpoint", f->endpoint, NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "test", "Demo", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
  }
  {
    g_autofree char *path = g_build_filename (f->dir, "data", "costbridge", "costbridge.db",
                                              NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(CbDatabase) db = cb_database_open (path, &error);
    g_autoptr(CbProfile) p = cb_profile_new ();

    g_assert_no_error (error);
    p->name = g_strdup ("Plain");
    p->endpoint = g_strdup (f->endpoint);
    p->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
    p->user_id = g_strdup (CB_SANDBOX_USER_ID);
    p->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
    g_assert_true (cb_profile_save (db, p, &error));
    g_assert_no_error (error);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, NULL, "test", "Plain", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_KEYRING);
    g_assert_nonnull (strstr (r.err, "--password-stdin"));
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, passwords_input (), "test", "Plain", "--password-stdin", NULL);
    g_assert_cmpint (r.status, ==, CB_EXIT_OK);
  }
  assert_database_clean (f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/help", Fixture, NULL, fixture_setup, test_help, fixture_teardown);
  g_test_add ("/cli/full-run", Fixture, NULL, fixture_setup, test_full_run, fixture_teardown);
  g_test_add ("/cli/exit-codes", Fixture, NULL, fixture_setup, test_exit_codes,
              fixture_teardown);
  g_test_add ("/cli/no-keyring", Fixture, NULL, fixture_setup, test_no_keyring,
              fixture_teardown);

  return g_test_run ();
}
