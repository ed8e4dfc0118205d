/* test-connection.c: the connection service against the sandbox gateway: diagnosis of
 * every failure kind, entities, the permission probe, and the accounting defaults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-connection"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cb-connection.h"
#include "cb-intacct-cache.h"
#include "cb-sandbox.h"

typedef struct
{
  CbSandbox            *sandbox;
  CbIntacctCredentials *credentials;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = cb_sandbox_new ();
  g_assert_true (cb_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);

  f->credentials = cb_intacct_credentials_new ();
  f->credentials->endpoint = cb_sandbox_dup_endpoint (f->sandbox);
  f->credentials->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  f->credentials->user_id = g_strdup (CB_SANDBOX_USER_ID);
  f->credentials->user_password = g_strdup (CB_SANDBOX_USER_SECRET);
  f->credentials->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  f->credentials->sender_password = g_strdup (CB_SANDBOX_SENDER_SECRET);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cb_intacct_credentials_free (f->credentials);
  cb_sandbox_stop (f->sandbox);
  g_assert_finalize_object (f->sandbox);
}

/* Connects with @credentials and returns the diagnosis of the failure (which must happen). */
static CbConnectDiagnosis *
diagnose_failure (const CbIntacctCredentials *credentials,
                  guint                       max_retries)
{
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(GError) error = NULL;
  CbConnectDiagnosis *d;
  const char *secrets[] = { CB_SANDBOX_USER_SECRET, CB_SANDBOX_SENDER_SECRET,
                            credentials->user_password, credentials->sender_password };

  client = cb_intacct_client_new (credentials, &error);
  g_assert_no_error (error);
  cb_intacct_client_set_max_retries (client, max_retries);
  cb_intacct_client_set_retry_delay (client, 10);
  cb_intacct_client_set_timeout (client, 5);
  g_assert_false (cb_intacct_client_connect (client, NULL, &error));
  g_assert_nonnull (error);

  d = cb_connect_diagnose (error);
  g_assert_nonnull (d->title);
  g_assert_nonnull (d->advice);
  g_assert_cmpstr (d->title, !=, "");
  g_assert_cmpstr (d->advice, !=, "");
  /* Written for an admin: never the raw gateway message, never a secret. */
  g_assert_cmpstr (d->advice, !=, error->message);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (secrets[i] != NULL)
      {
        g_assert_null (strstr (d->title, secrets[i]));
        g_assert_null (strstr (d->advice, secrets[i]));
      }
  return d;
}

static void
test_diagnose_ok (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctClient) client = cb_connection_test (f->credentials, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  g_assert_true (cb_intacct_client_is_connected (client));
  g_assert_cmpint (cb_connect_problem_to_exit_code (CB_CONNECT_OK), ==, CB_EXIT_OK);
}

static void
test_diagnose_bad_user (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CbConnectDiagnosis) d = NULL;

  g_free (f->credentials->user_password);
  f->credentials->user_password = g_strdup ("not-the-password");
  d = diagnose_failure (f->credentials, 0);
  g_assert_cmpint (d->problem, ==, CB_CONNECT_USER_CREDENTIALS);
  g_assert_nonnull (strstr (d->advice, "Web Services users"));
  g_assert_nonnull (strstr (d->advice, "company ID"));
  g_assert_cmpint (cb_connect_problem_to_exit_code (d->problem), ==, CB_EXIT_CREDENTIALS);
}

static void
test_diagnose_bad_sender (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CbConnectDiagnosis) d = NULL;

  g_free (f->credentials->sender_password);
  f->credentials->sender_password = g_strdup ("not-the-sender-password");
  d = diagnose_failure (f->credentials, 0);
  g_assert_cmpint (d->problem, ==, CB_CONNECT_SENDER_CREDENTIALS);
  g_assert_nonnull (strstr (d->advice, "sender password"));
  g_assert_cmpint (cb_connect_problem_to_exit_code (d->problem), ==, CB_EXIT_CREDENTIALS);
}

static void
test_diagnose_unauthorized_sender (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(CbConnectDiagnosis) d = NULL;

  cb_sandbox_set_sender_authorized (f->sandbox, FALSE);
  d = diagnose_failure (f->credentials, 0);
  g_assert_cmpint (d->problem, ==, CB_CONNECT_SENDER_NOT_AUTHORIZED);
  g_assert_nonnull (strstr (d->advice, "Company > Setup > Company > Security"));
  g_assert_nonnull (strstr (d->advice, "Web Services authorizations"));
  /* The advice names the sender ID to add. */
  g_assert_nonnull (strstr (d->advice, "“" CB_SANDBOX_SENDER_ID "”"));
  g_assert_nonnull (d->support_id);
  g_assert_cmpint (cb_connect_problem_to_exit_code (d->problem), ==, CB_EXIT_CREDENTIALS);
}

static void
test_diagnose_entity (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CbConnectDiagnosis) d = NULL;

  f->credentials->entity_id = g_strdup ("999");
  d = diagnose_failure (f->credentials, 0);
  g_assert_cmpint (d->problem, ==, CB_CONNECT_ENTITY);
  g_assert_cmpint (cb_connect_problem_to_exit_code (d->problem), ==, CB_EXIT_PERMISSIONS);
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
test_diagnose_network (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CbConnectDiagnosis) d = NULL;
  g_autoptr(GSocket) holder = NULL;

  g_free (f->credentials->endpoint);
  f->credentials->endpoint = refused_endpoint (&holder);

  d = diagnose_failure (f->credentials, 0);
  g_assert_cmpint (d->problem, ==, CB_CONNECT_NETWORK);
  g_assert_null (d->support_id);
  g_assert_cmpint (cb_connect_problem_to_exit_code (d->problem), ==, CB_EXIT_NETWORK);
}

static void
test_diagnose_rate_limited (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CbConnectDiagnosis) d = NULL;

  cb_sandbox_add_fault (f->sandbox, CB_SANDBOX_FAULT_HTTP_429, 0, 5);
  d = diagnose_failure (f->credentials, 0);
  g_assert_cmpint (d->problem, ==, CB_CONNECT_RATE_LIMITED);
  g_assert_cmpint (cb_connect_problem_to_exit_code (d->problem), ==, CB_EXIT_NETWORK);
}

static void
test_diagnose_not_subscribed (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CbConnectDiagnosis) d = NULL;

  cb_sandbox_set_web_services_subscribed (f->sandbox, FALSE);
  d = diagnose_failure (f->credentials, 0);
  g_assert_cmpint (d->problem, ==, CB_CONNECT_NOT_SUBSCRIBED);
  g_assert_nonnull (strstr (d->advice, "Company > Subscriptions"));
  g_assert_cmpint (cb_connect_problem_to_exit_code (d->problem), ==, CB_EXIT_PERMISSIONS);
}

static void
test_diagnose_endpoint (void)
{
  g_autoptr(CbIntacctCredentials) c = cb_intacct_credentials_new ();
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(CbConnectDiagnosis) d = NULL;
  g_autoptr(GError) error = NULL;

  c->endpoint = g_strdup ("https://intacct.example.com/ia/xml/xmlgw.phtml");
  c->company_id = g_strdup ("c");
  c->user_id = g_strdup ("u");
  c->user_password = g_strdup ("p");
  c->sender_id = g_strdup ("s");
  c->sender_password = g_strdup ("q");
  client = cb_connection_test (c, NULL, &error);
  g_assert_null (client);
  g_assert_nonnull (error);
  d = cb_connect_diagnose (error);
  g_assert_cmpint (d->problem, ==, CB_CONNECT_ENDPOINT);
}

static void
test_entities (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctClient) client = cb_connection_test (f->credentials, NULL, &error);
  g_autoptr(GPtrArray) entities = NULL;
  gboolean north = FALSE, south = FALSE;

  g_assert_no_error (error);
  entities = cb_connection_list_entities (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entities->len, ==, 3);
  g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (entities, 0), "LOCATIONID"),
                   ==, "");
  g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (entities, 0), "NAME"),
                   ==, "Top level");
  for (guint i = 1; i < entities->len; i++)
    {
      const char *id = cb_intacct_record_get_field (g_ptr_array_index (entities, i),
                                                    "LOCATIONID");
      north |= g_strcmp0 (id, CB_SANDBOX_ENTITY_NORTH) == 0;
      south |= g_strcmp0 (id, CB_SANDBOX_ENTITY_SOUTH) == 0;
      g_assert_nonnull (cb_intacct_record_get_field (g_ptr_array_index (entities, i), "NAME"));
    }
  g_assert_true (north);
  g_assert_true (south);

  /* An entity from the list works as the profile's entity. */
  f->credentials->entity_id = g_strdup (CB_SANDBOX_ENTITY_SOUTH);
  {
    g_autoptr(CbIntacctClient) scoped = cb_connection_test (f->credentials, NULL, &error);
    g_autofree char *entity = NULL;

    g_assert_no_error (error);
    entity = cb_intacct_client_dup_entity_id (scoped);
    g_assert_cmpstr (entity, ==, CB_SANDBOX_ENTITY_SOUTH);
  }
}

static void
count_progress (guint    done,
                guint    total,
                gpointer data)
{
  guint *calls = data;

  g_assert_cmpuint (done, <=, total);
  (*calls)++;
}

static const CbProbeResult *
find_result (GPtrArray  *results,
             const char *object,
             const char *operation)
{
  for (guint i = 0; i < results->len; i++)
    {
      const CbProbeResult *r = g_ptr_array_index (results, i);

      if (g_str_equal (r->capability->object, object) &&
          g_str_equal (r->capability->operation, operation))
        return r;
    }
  g_assert_not_reached ();
}

static GPtrArray *
run_probe (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctClient) client = cb_connection_test (f->credentials, NULL, &error);
  GPtrArray *results;
  guint n_caps = 0, calls = 0;
  guint records_before = cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL);

  g_assert_no_error (error);
  cb_capabilities_get_all (&n_caps);
  cb_sandbox_reset_counters (f->sandbox);
  results = cb_connection_probe (client, count_progress, &calls, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, n_caps);
  g_assert_cmpuint (calls, ==, n_caps);
  /* The probe never changes anything in the company. */
  g_assert_cmpuint (cb_sandbox_get_write_count (f->sandbox), ==, 0);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL), ==,
                    records_before);
  return results;
}

static void
test_capabilities_table (void)
{
  guint n = 0;
  const CbCapability *caps = cb_capabilities_get_all (&n);
  const char *expected[][2] = {
    { "VENDOR", "read" }, { "VENDOR", "create" }, { "STANDARDTASK", "read" },
    { "STANDARDTASK", "create" }, { "STANDARDCOSTTYPE", "read" },
    { "STANDARDCOSTTYPE", "create" }, { "PROJECT", "read" }, { "PROJECT", "create" },
    { "TASK", "read" }, { "TASK", "create" }, { "APBILL", "create" }, { "APBILL", "update" },
    { "COSTTYPE", "read" },
    { "COSTTYPE", "create" }, { "GLACCOUNT", "read" }, { "LOCATION", "read" },
    { "DEPARTMENT", "read" }, { "ITEM", "read" },
  };

  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < n; i++)
        found |= g_str_equal (caps[i].object, expected[e][0]) &&
                 g_str_equal (caps[i].operation, expected[e][1]);
      g_assert_true (found);
    }
  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (caps[i].feature);
      g_assert_nonnull (strstr (caps[i].grant, " > "));
      /* Least privilege: reads never ask for Add or Edit, creates ask for Add and
       * updates for Edit. */
      if (g_str_equal (caps[i].operation, "read"))
        {
          g_assert_null (strstr (caps[i].grant, "Add"));
          g_assert_null (strstr (caps[i].grant, "Edit"));
        }
      else if (g_str_equal (caps[i].operation, "create"))
        g_assert_nonnull (strstr (caps[i].grant, "Add"));
      else
        {
          g_assert_cmpstr (caps[i].operation, ==, "update");
          g_assert_nonnull (strstr (caps[i].grant, "Edit"));
          g_assert_null (strstr (caps[i].grant, "Add"));
        }
      g_assert_null (strstr (caps[i].grant, "Full"));
      if (g_str_has_prefix (caps[i].object, "STANDARD") || g_str_equal (caps[i].object, "COSTTYPE"))
        g_assert_true (caps[i].construction);
    }
}

static void
test_probe_granted (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) results = run_probe (f);

  for (guint i = 0; i < results->len; i++)
    {
      const CbProbeResult *r = g_ptr_array_index (results, i);

      if (r->state != CB_CAPABILITY_GRANTED)
        g_test_message ("%s %s: %s", r->capability->object, r->capability->operation,
                        r->message);
      g_assert_cmpint (r->state, ==, CB_CAPABILITY_GRANTED);
      g_assert_nonnull (r->message);
    }
}

static void
test_probe_denied (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;
  const CbProbeResult *r;

  cb_sandbox_deny_permission (f->sandbox, "VENDOR", "create");
  cb_sandbox_deny_permission (f->sandbox, "GLACCOUNT", "read");
  cb_sandbox_deny_permission (f->sandbox, "APBILL", "update");
  results = run_probe (f);

  r = find_result (results, "VENDOR", "create");
  g_assert_cmpint (r->state, ==, CB_CAPABILITY_MISSING);
  g_assert_nonnull (strstr (r->message, "Accounts Payable > Vendors"));
  r = find_result (results, "GLACCOUNT", "read");
  g_assert_cmpint (r->state, ==, CB_CAPABILITY_MISSING);
  g_assert_cmpint (find_result (results, "VENDOR", "read")->state, ==, CB_CAPABILITY_GRANTED);
  g_assert_cmpint (find_result (results, "APBILL", "create")->state, ==,
                   CB_CAPABILITY_GRANTED);
  /* Adding bills but not editing them: updates of changed bills would fail. */
  r = find_result (results, "APBILL", "update");
  g_assert_cmpint (r->state, ==, CB_CAPABILITY_MISSING);
  g_assert_nonnull (strstr (r->message, "Accounts Payable > Bills: List, View, Edit"));
}

static void
test_probe_unsubscribed (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;

  cb_sandbox_set_construction_subscribed (f->sandbox, FALSE);
  results = run_probe (f);
  for (guint i = 0; i < results->len; i++)
    {
      const CbProbeResult *r = g_ptr_array_index (results, i);

      g_assert_cmpint (r->state, ==, r->capability->construction ? CB_CAPABILITY_NOT_SUBSCRIBED
                                                                  : CB_CAPABILITY_GRANTED);
    }
}

static void
test_probe_network_lost (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctClient) client = cb_connection_test (f->credentials, NULL, &error);
  g_autoptr(GPtrArray) results = NULL;

  g_assert_no_error (error);
  cb_intacct_client_set_max_retries (client, 0);
  cb_sandbox_add_fault (f->sandbox, CB_SANDBOX_FAULT_HTTP_429, 0, 100);
  results = cb_connection_probe (client, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpint (((CbProbeResult *) g_ptr_array_index (results, i))->state, ==,
                     CB_CAPABILITY_UNKNOWN);
  cb_sandbox_clear_faults (f->sandbox);
}

static CbProfile *
saved_profile (CbDatabase *db,
               Fixture    *f)
{
  g_autoptr(CbProfile) profile = cb_profile_new ();
  g_autoptr(GError) error = NULL;

  profile->name = g_strdup ("Demo");
  profile->endpoint = g_strdup (f->credentials->endpoint);
  profile->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  profile->user_id = g_strdup (CB_SANDBOX_USER_ID);
  profile->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  g_assert_true (cb_profile_save (db, profile, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&profile);
}

static void
test_defaults (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cb-connection-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "costbridge.db", NULL);
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) profile = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GPtrArray) cost_types = NULL;
  g_autoptr(GDateTime) refreshed = NULL;
  CbCachedRecord *account;

  g_assert_no_error (error);
  db = cb_database_open (path, &error);
  g_assert_no_error (error);
  profile = saved_profile (db, f);

  /* Nothing cached yet: any default fails, naming itself and its value. */
  profile->default_ap_account = g_strdup ("6000");
  g_assert_false (cb_connection_validate_defaults (db, profile, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "AP account"));
  g_assert_nonnull (strstr (error->message, "6000"));
  g_clear_error (&error);
  g_clear_pointer (&profile->default_ap_account, g_free);

  client = cb_connection_test (f->credentials, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cb_connection_refresh_defaults_data (client, db, profile->id, NULL, &error));
  g_assert_no_error (error);

  accounts = cb_intacct_cache_list (db, profile->id, "GLACCOUNT", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, >, 0);
  locations = cb_intacct_cache_list (db, profile->id, "LOCATION", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (locations->len, >, 0);
  cost_types = cb_intacct_cache_list (db, profile->id, "STANDARDCOSTTYPE", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cost_types->len, >, 0);
  refreshed = cb_intacct_cache_last_refresh (db, profile->id, "ITEM");
  g_assert_nonnull (refreshed);

  /* A real, active, top-level account validates. */
  account = NULL;
  for (guint i = 0; i < accounts->len && account == NULL; i++)
    {
      CbCachedRecord *r = g_ptr_array_index (accounts, i);

      if ((r->entity == NULL || *r->entity == '\0') && g_strcmp0 (r->status, "active") == 0)
        account = r;
    }
  g_assert_nonnull (account);
  profile->default_ap_account = g_strdup (account->id);
  profile->default_cost_type = g_strdup (((CbCachedRecord *) g_ptr_array_index (cost_types, 0))->id);
  profile->missing_cost_type_rule = CB_MISSING_COST_TYPE_DEFAULT;
  g_assert_true (cb_connection_validate_defaults (db, profile, &error));
  g_assert_no_error (error);

  /* An unknown department fails, naming itself. */
  profile->default_department = g_strdup ("NO-SUCH-DEPT");
  g_assert_false (cb_connection_validate_defaults (db, profile, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "department"));
  g_assert_nonnull (strstr (error->message, "NO-SUCH-DEPT"));
  g_assert_null (strstr (error->message, "AP account"));
  g_clear_error (&error);
  g_clear_pointer (&profile->default_department, g_free);

  /* The default-cost-type rule without a default cost type fails. */
  g_clear_pointer (&profile->default_cost_type, g_free);
  g_assert_false (cb_connection_validate_defaults (db, profile, &error));
  g_assert_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID);
  g_clear_error (&error);

  g_clear_object (&db);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  g_remove (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/connection/diagnose/ok", test_diagnose_ok);
  ADD ("/connection/diagnose/bad-user", test_diagnose_bad_user);
  ADD ("/connection/diagnose/bad-sender", test_diagnose_bad_sender);
  ADD ("/connection/diagnose/unauthorized-sender", test_diagnose_unauthorized_sender);
  ADD ("/connection/diagnose/entity", test_diagnose_entity);
  ADD ("/connection/diagnose/network", test_diagnose_network);
  ADD ("/connection/diagnose/rate-limited", test_diagnose_rate_limited);
  ADD ("/connection/diagnose/not-subscribed", test_diagnose_not_subscribed);
  g_test_add_func ("/connection/diagnose/endpoint", test_diagnose_endpoint);
  ADD ("/connection/entities", test_entities);
  g_test_add_func ("/connection/capabilities", test_capabilities_table);
  ADD ("/connection/probe/granted", test_probe_granted);
  ADD ("/connection/probe/denied", test_probe_denied);
  ADD ("/connection/probe/unsubscribed", test_probe_unsubscribed);
  ADD ("/connection/probe/check-failed", test_probe_network_lost);
  ADD ("/connection/defaults", test_defaults);
#undef ADD

  return g_test_run ();
}
