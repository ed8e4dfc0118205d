/* bench-pull.c: how fast a pull stores Intacct vendors in the cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pulls CB_BENCH_VENDORS (default 100000) vendors from the sandbox on loopback into a
 * fresh SQLite file: readByQuery/readMore at 1000 per page, one transaction per page, as
 * the app does. Then an incremental pull with nothing changed, and a full pull over the
 * warm cache (upserts plus deletion detection). Prints records/s for each.
 */

#define G_LOG_DOMAIN "bench-pull"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "cb-connection.h"
#include "cb-intacct-cache.h"
#include "cb-intacct-pull.h"
#include "cb-sandbox.h"

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint) strtoul (value, NULL, 10) : fallback;
}

static void
run (const char      *label,
     CbIntacctClient *client,
     CbDatabase      *db,
     const char      *profile_id,
     CbPullFlags      flags)
{
  const char * const vendors[] = { "VENDOR", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPullResult) result = NULL;
  guint requests = cb_intacct_client_get_request_count (client);
  const CbPullObjectResult *r;
  double seconds;

  result = cb_intacct_pull_run (client, db, profile_id, vendors, flags, NULL, NULL, NULL, &error);
  if (result == NULL)
    g_error ("%s", error->message);
  r = cb_pull_result_find (result, "VENDOR");
  if (r->state != CB_PULL_STATE_DONE)
    g_error ("pull %s: %s", cb_pull_state_to_string (r->state), r->message);
  seconds = result->elapsed_us / (double) G_USEC_PER_SEC;
  printf ("pull %-12s: %" G_GUINT64_FORMAT " vendors in %.2f s, %u requests, %u removed, "
          "%.0f records/s\n",
          label, r->fetched, seconds, cb_intacct_client_get_request_count (client) - requests,
          r->removed, seconds > 0 ? r->fetched / seconds : 0.0);
}

int
main (int   argc,
      char *argv[])
{
  guint n_vendors = env_uint ("CB_BENCH_VENDORS", 100000);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) profile = cb_profile_new ();
  g_autoptr(CbIntacctCredentials) credentials = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  guint existing;

  if (!cb_sandbox_start (sandbox, 0, &error))
    g_error ("%s", error->message);
  existing = cb_sandbox_count_records (sandbox, "VENDOR", NULL, NULL);
  if (n_vendors > existing)
    cb_sandbox_add_generated_vendors (sandbox, n_vendors - existing);
  n_vendors = cb_sandbox_count_records (sandbox, "VENDOR", NULL, NULL);

  dir = g_dir_make_tmp ("cb-bench-pull-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "costbridge.db", NULL);
  db = cb_database_open (path, &error);
  if (db == NULL)
    g_error ("%s", error->message);

  profile->name = g_strdup ("Bench");
  profile->endpoint = cb_sandbox_dup_endpoint (sandbox);
  profile->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  profile->user_id = g_strdup (CB_SANDBOX_USER_ID);
  profile->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  if (!cb_profile_save (db, profile, &error))
    g_error ("%s", error->message);
  credentials = cb_connection_credentials (profile, CB_SANDBOX_USER_SECRET,
                                           CB_SANDBOX_SENDER_SECRET);
  client = cb_intacct_client_new (credentials, &error);
  if (client == NULL || !cb_intacct_client_connect (client, NULL, &error))
    g_error ("%s", error->message);

  printf ("# Costbridge pull benchmark: %u vendors, sandbox on loopback, SQLite file (WAL)\n",
          n_vendors);
  run ("first (full)", client, db, profile->id, CB_PULL_NONE);
  run ("incremental", client, db, profile->id, CB_PULL_NONE);
  run ("full again", client, db, profile->id, CB_PULL_FULL);
  if (cb_intacct_cache_count (db, profile->id, "VENDOR") != n_vendors)
    g_error ("cache holds %u vendors, expected %u",
             cb_intacct_cache_count (db, profile->id, "VENDOR"), n_vendors);

  g_clear_object (&client);
  g_clear_object (&db);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  cb_sandbox_stop (sandbox);
  return 0;
}
