/* cb-test-sync.c: a sandbox, a database and a profile for the sync tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-test-sync"

#include "config.h"

#include <glib/gstdio.h>

#include "cb-connection.h"
#include "cb-intacct-cache.h"
#include "cb-intacct-pull.h"
#include "cb-job-store.h"
#include "cb-mapping-store.h"
#include "cb-test-sync.h"

void
cb_test_sync_set_up (CbTestSync      *s,
                     const char      *tmp_template,
                     const char      *profile_name,
                     CbTestSyncFlags  flags)
{
  g_autoptr(GError) error = NULL;

  s->flags = flags;
  s->sandbox = cb_sandbox_new ();
  g_assert_true (cb_sandbox_start (s->sandbox, 0, &error));
  g_assert_no_error (error);
  s->dir = g_dir_make_tmp (tmp_template, &error);
  g_assert_no_error (error);
  s->db_path = g_build_filename (s->dir, "costbridge.db", NULL);
  s->db = cb_database_open (s->db_path, &error);
  g_assert_no_error (error);

  s->profile = cb_profile_new ();
  s->profile->name = g_strdup (profile_name);
  s->profile->endpoint = cb_sandbox_dup_endpoint (s->sandbox);
  s->profile->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  s->profile->user_id = g_strdup (CB_SANDBOX_USER_ID);
  s->profile->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  s->profile->is_demo = TRUE;
  if (flags & CB_TEST_SYNC_ACCOUNTING)
    {
      s->profile->default_ap_account = g_strdup ("2000");
      s->profile->default_location = g_strdup ("100");
      s->profile->default_department = g_strdup ("FIELD");
    }
  cb_test_sync_save_profile (s);

  if (flags & CB_TEST_SYNC_CLIENT)
    {
      g_autoptr(CbIntacctCredentials) cred = cb_connection_credentials (s->profile,
                                                                        CB_SANDBOX_USER_SECRET,
                                                                        CB_SANDBOX_SENDER_SECRET);

      s->client = cb_intacct_client_new (cred, &error);
      g_assert_no_error (error);
      cb_intacct_client_set_retry_delay (s->client, 10);
    }
}

static void
drop (gpointer  object,
      gboolean  assert_finalized)
{
  if (object == NULL)
    return;
  if (assert_finalized)
    g_assert_finalize_object (object);
  else
    g_object_unref (object);
}

void
cb_test_sync_tear_down (CbTestSync *s)
{
  gboolean finalized = (s->flags & CB_TEST_SYNC_ASSERT_FINALIZED) != 0;
  g_autofree char *wal = g_strconcat (s->db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (s->db_path, "-shm", NULL);

  drop (g_steal_pointer (&s->client), finalized);
  g_clear_pointer (&s->profile, cb_profile_free);
  drop (g_steal_pointer (&s->db), finalized);
  g_unlink (s->db_path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (s->dir);
  g_clear_pointer (&s->db_path, g_free);
  g_clear_pointer (&s->dir, g_free);
  cb_sandbox_stop (s->sandbox);
  drop (g_steal_pointer (&s->sandbox), finalized);
}

void
cb_test_sync_save_profile (CbTestSync *s)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_profile_save (s->db, s->profile, &error));
  g_assert_no_error (error);
}

static CbJobRecord *
simple_record (CbJobKind   kind,
               const char *id,
               const char *code,
               const char *name)
{
  CbJobRecord *r = cb_job_record_new (kind, id);

  cb_job_record_set (r, "code", code);
  cb_job_record_set (r, "name", name);
  return r;
}

/* Stores @records of @kind, and empties @records. */
static void
apply (CbTestSync *s,
       CbJobKind   kind,
       GPtrArray  *records)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_job_store_apply (s->db, s->profile->id, kind, records, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (records, 0);
}

static void
map_to (CbTestSync    *s,
        CbMappingKind  kind,
        const char    *job_id,
        const char    *object,
        const char    *intacct_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCachedRecord) cached = cb_intacct_cache_find (s->db, s->profile->id, object,
                                                            intacct_id, &error);
  const char *ids[] = { job_id, NULL };

  g_assert_no_error (error);
  g_assert_nonnull (cached);
  g_assert_true (cb_mapping_store_set (s->db, s->profile->id, kind, ids, cached->recordno,
                                       &error));
  g_assert_no_error (error);
}

void
cb_test_sync_generate_bills (CbTestSync *s,
                             guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctCredentials) cred = cb_connection_credentials (s->profile,
                                                                    CB_SANDBOX_USER_SECRET,
                                                                    CB_SANDBOX_SENDER_SECRET);
  g_autoptr(CbIntacctClient) client = cb_intacct_client_new (cred, &error);
  g_autoptr(CbPullResult) pulled = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  static const char * const types[] = { "L", "M", "S" };

  g_assert_no_error (error);
  pulled = cb_intacct_pull_run (client, s->db, s->profile->id, NULL, CB_PULL_FULL, NULL, NULL,
                                NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cb_pull_result_get_failure (pulled));

  g_ptr_array_add (records, simple_record (CB_JOB_KIND_JOB, "J-1", "24-001", "Riverside"));
  apply (s, CB_JOB_KIND_JOB, records);
  g_ptr_array_add (records, simple_record (CB_JOB_KIND_COST_CODE, "C-1", "01-310", "PM"));
  apply (s, CB_JOB_KIND_COST_CODE, records);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_ptr_array_add (records, simple_record (CB_JOB_KIND_COST_TYPE, types[i], types[i], types[i]));
  apply (s, CB_JOB_KIND_COST_TYPE, records);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *id = g_strdup_printf ("KV-%u", i);
      g_autofree char *name = g_strdup_printf ("Kill Vendor %u", i);

      g_ptr_array_add (records, simple_record (CB_JOB_KIND_VENDOR, id, id, name));
    }
  apply (s, CB_JOB_KIND_VENDOR, records);

  map_to (s, CB_MAPPING_PROJECTS, "J-1", "PROJECT", "24-001");
  map_to (s, CB_MAPPING_COST_CODES, "C-1", "STANDARDTASK", "01-310");
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    map_to (s, CB_MAPPING_COST_TYPES, types[i], "STANDARDCOSTTYPE", types[i]);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *id = g_strdup_printf ("KV-%u", i);
      g_autofree char *vendor = g_strdup_printf ("V%04u", 1001 + i);

      map_to (s, CB_MAPPING_VENDORS, id, "VENDOR", vendor);
    }

  for (guint b = 0; b < n; b++)
    {
      g_autofree char *id = g_strdup_printf ("KB-%05u", b);
      g_autofree char *vendor = g_strdup_printf ("KV-%u", b % 10);
      CbJobRecord *bill = cb_job_record_new (CB_JOB_KIND_BILL, id);

      cb_job_record_set (bill, "vendor_id", vendor);
      cb_job_record_set (bill, "number", id);
      cb_job_record_set (bill, "date", "2026-03-02");
      cb_job_record_set (bill, "due_date", "2026-04-01");
      /* cb_job_record_new made the bill's (empty) lines array */
      for (guint l = 0; l < 3; l++)
        {
          CbJobLine *line = g_new0 (CbJobLine, 1);

          line->line_no = l + 1;
          line->job_id = g_strdup ("J-1");
          line->cost_code_id = g_strdup ("C-1");
          line->cost_type_id = g_strdup (types[l]);
          line->amount_cents = 10000 + b * 3 + l;
          line->gl_account = g_strdup (l == 0 ? "5000" : "5100");
          g_ptr_array_add (bill->lines, line);
        }
      g_ptr_array_add (records, bill);
    }
  apply (s, CB_JOB_KIND_BILL, records);
}
