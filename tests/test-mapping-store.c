/* test-mapping-store.c: the mapping store on a real SQLite file, and `costbridge-cli match`
 * and `mappings`, spawned for real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cb-database.h"
#include "cb-job-store.h"
#include "cb-mapping-store.h"
#include "cb-profile.h"

typedef struct
{
  char       *dir;
  char       *path;
  CbDatabase *db;
  char       *profile;    /* "Acme" */
  char       *profile2;   /* "Acme West": same IDs, other record numbers */
} Fixture;

static char *
add_profile (Fixture    *f,
             const char *name)
{
  g_autoptr(CbProfile) p = cb_profile_new ();
  g_autoptr(GError) error = NULL;

  p->name = g_strdup (name);
  p->company_id = g_strdup ("acme");
  p->user_id = g_strdup ("ws");
  p->sender_id = g_strdup ("sender");
  cb_profile_save (f->db, p, &error);
  g_assert_no_error (error);
  return g_strdup (p->id);
}

static void
exec_sql (Fixture    *f,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  cb_database_exec (f->db, sql, &error);
  g_assert_no_error (error);
}

/* Adds job-side records of @kind: triples of id, code, name, ending with NULL. */
static void
add_jobs (Fixture    *f,
          const char *profile,
          CbJobKind   kind,
          ...)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  g_autoptr(GError) error = NULL;
  const char *id;
  va_list ap;

  va_start (ap, kind);
  while ((id = va_arg (ap, const char *)) != NULL)
    {
      const char *code = va_arg (ap, const char *);
      const char *name = va_arg (ap, const char *);
      CbJobRecord *r = cb_job_record_new (kind, id);

      cb_job_record_set (r, "id", id);
      cb_job_record_set (r, kind == CB_JOB_KIND_JOB ? "number" : "code", code);
      cb_job_record_set (r, "name", name);
      g_ptr_array_add (records, r);
    }
  va_end (ap);

  cb_job_store_apply (f->db, profile, kind, records, FALSE, NULL, &error);
  g_assert_no_error (error);
}

static void
add_intacct (Fixture    *f,
             const char *profile,
             const char *object,
             const char *recordno,
             const char *id,
             const char *name,
             const char *status)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO intacct_records (profile_id, object, "
                                          "recordno, id, name, status, fields, last_seen) "
                                          "VALUES ('%s', '%s', '%s', '%s', '%s', '%s', '{}', 0) "
                                          "ON CONFLICT DO UPDATE SET id = excluded.id, "
                                          "name = excluded.name, status = excluded.status",
                                          profile, object, recordno, id, name, status);
  exec_sql (f, sql);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cb-mapping-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "costbridge.db", NULL);
  f->db = cb_database_open (f->path, &error);
  g_assert_no_error (error);
  f->profile = add_profile (f, "Acme");
  f->profile2 = add_profile (f, "Acme West");

  add_jobs (f, f->profile, CB_JOB_KIND_VENDOR,
            "v1", "ACME", "Acme Concrete Inc",
            "v2", "BOLT", "Bolt Electric LLC",
            "v3", "CRANE", "Crane Rentals",
            "v4", "DIRT", "Dirt Movers Co",
            "v5", NULL, "Eagle Plumbing",
            NULL);
  add_intacct (f, f->profile, "VENDOR", "101", "V-ACME", "Acme Concrete, Inc.", "active");
  add_intacct (f, f->profile, "VENDOR", "102", "V-BOLT", "Bolt Electric", "active");
  add_intacct (f, f->profile, "VENDOR", "103", "V-CRANE", "Crane Rentals", "active");
  add_intacct (f, f->profile, "VENDOR", "104", "V-OLD", "Old Vendor", "inactive");

  /* The second profile: the same IDs on both sides, other RECORDNOs. */
  add_jobs (f, f->profile2, CB_JOB_KIND_VENDOR,
            "v1", "ACME", "Acme Concrete Inc",
            "v2", "BOLT", "Bolt Electric LLC",
            "v3", "CRANE", "Crane Rentals",
            "v4", "DIRT", "Dirt Movers Co",
            "v5", NULL, "Eagle Plumbing",
            NULL);
  add_intacct (f, f->profile2, "VENDOR", "901", "V-ACME", "Acme Concrete, Inc.", "active");
  add_intacct (f, f->profile2, "VENDOR", "902", "V-BOLT", "Bolt Electric", "active");
  add_intacct (f, f->profile2, "VENDOR", "903", "V-CRANE", "Crane Rentals", "active");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->db);
  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *p = g_strconcat (f->path, suffix, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->profile);
  g_free (f->profile2);
}

static CbMappingRow *
get_row (Fixture       *f,
         const char    *profile,
         CbMappingKind  kind,
         const char    *job_id)
{
  g_autoptr(GError) error = NULL;
  CbMappingRow *row = cb_mapping_store_get (f->db, profile, kind, job_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (row);
  return row;
}

static void
assert_state (Fixture        *f,
              const char     *job_id,
              CbMappingState  state,
              const char     *intacct_id)
{
  g_autoptr(CbMappingRow) row = get_row (f, f->profile, CB_MAPPING_VENDORS, job_id);

  g_assert_cmpstr (cb_mapping_state_to_string (row->state), ==,
                   cb_mapping_state_to_string (state));
  g_assert_cmpstr (row->intacct_id, ==, intacct_id);
}

static CbMappingCounts
counts_of (Fixture    *f,
           const char *profile)
{
  g_autoptr(GError) error = NULL;
  CbMappingCounts counts;

  g_assert_true (cb_mapping_store_counts (f->db, profile, CB_MAPPING_VENDORS, &counts, &error));
  g_assert_no_error (error);
  return counts;
}

static void
test_kinds (void)
{
  CbMappingKind kind;

  g_assert_true (cb_mapping_kind_from_string ("cost_codes", &kind));
  g_assert_cmpint (kind, ==, CB_MAPPING_COST_CODES);
  g_assert_true (cb_mapping_kind_from_string ("Cost-Type", &kind));
  g_assert_cmpint (kind, ==, CB_MAPPING_COST_TYPES);
  g_assert_true (cb_mapping_kind_from_string ("jobs", &kind));
  g_assert_cmpint (kind, ==, CB_MAPPING_PROJECTS);
  g_assert_true (cb_mapping_kind_from_string ("vendors", &kind));
  g_assert_cmpint (kind, ==, CB_MAPPING_VENDORS);
  g_assert_false (cb_mapping_kind_from_string ("bills", &kind));
  g_assert_cmpstr (cb_mapping_kind_to_string (CB_MAPPING_PROJECTS), ==, "projects");
  g_assert_cmpstr (cb_mapping_kind_intacct_object (CB_MAPPING_COST_CODES), ==, "STANDARDTASK");
  g_assert_cmpint (cb_mapping_kind_job_kind (CB_MAPPING_PROJECTS), ==, CB_JOB_KIND_JOB);
  g_assert_cmpstr (cb_mapping_state_to_string (CB_MAPPING_STATE_CREATE), ==, "create");
  g_assert_cmpstr (cb_mapping_how_to_string (CB_MAPPING_HOW_IMPORTED), ==, "imported");
}

/* Every action, undone and redone, with its history. */
static void
test_actions_undo_redo (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *v1[] = { "v1", NULL };
  const char *v23[] = { "v2", "v3", NULL };
  const char *v4[] = { "v4", NULL };
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *undo = NULL;
  g_autofree char *redo = NULL;
  CbMappingCounts counts;

  counts = counts_of (f, f->profile);
  g_assert_cmpuint (counts.total, ==, 5);
  g_assert_cmpuint (counts.unmapped, ==, 5);
  g_assert_null (cb_mapping_store_undo_description (f->db, f->profile, CB_MAPPING_VENDORS));
  g_assert_false (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  g_assert_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);

  /* set */
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v1, "101", &error));
  g_assert_no_error (error);
  {
    g_autoptr(CbMappingRow) row = get_row (f, f->profile, CB_MAPPING_VENDORS, "v1");

    g_assert_cmpint (row->state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpstr (row->intacct_recordno, ==, "101");
    g_assert_cmpstr (row->intacct_id, ==, "V-ACME");
    g_assert_cmpstr (row->intacct_name, ==, "Acme Concrete, Inc.");
    g_assert_cmpint (row->how, ==, CB_MAPPING_HOW_MANUAL);
    g_assert_cmpstr (row->changed_by, ==, g_get_user_name ());
    g_assert_nonnull (row->changed_at);
  }

  /* set on several rows; create; clear */
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v23, "103", &error));
  g_assert_no_error (error);
  g_assert_true (cb_mapping_store_set_create (f->db, f->profile, CB_MAPPING_VENDORS, v4, &error));
  g_assert_no_error (error);
  assert_state (f, "v4", CB_MAPPING_STATE_CREATE, NULL);
  g_assert_true (cb_mapping_store_clear (f->db, f->profile, CB_MAPPING_VENDORS, v1, &error));
  g_assert_no_error (error);
  assert_state (f, "v1", CB_MAPPING_STATE_UNMAPPED, NULL);

  counts = counts_of (f, f->profile);
  g_assert_cmpuint (counts.mapped, ==, 2);
  g_assert_cmpuint (counts.create, ==, 1);
  g_assert_cmpuint (counts.unmapped, ==, 2);

  undo = cb_mapping_store_undo_description (f->db, f->profile, CB_MAPPING_VENDORS);
  g_assert_cmpstr (undo, ==, "Clear 1 mapping");

  /* undo clear, create, set ×2 */
  g_assert_true (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  g_assert_no_error (error);
  assert_state (f, "v1", CB_MAPPING_STATE_MAPPED, "V-ACME");
  g_assert_true (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  assert_state (f, "v4", CB_MAPPING_STATE_UNMAPPED, NULL);
  redo = cb_mapping_store_redo_description (f->db, f->profile, CB_MAPPING_VENDORS);
  g_assert_cmpstr (redo, ==, "Mark 1 record “Create in Intacct”");
  g_assert_true (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  assert_state (f, "v2", CB_MAPPING_STATE_UNMAPPED, NULL);
  assert_state (f, "v3", CB_MAPPING_STATE_UNMAPPED, NULL);
  g_assert_true (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  g_assert_no_error (error);
  assert_state (f, "v1", CB_MAPPING_STATE_UNMAPPED, NULL);
  g_assert_false (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  g_assert_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);
  counts = counts_of (f, f->profile);
  g_assert_cmpuint (counts.unmapped, ==, 5);

  /* redo all four, in order */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (cb_mapping_store_redo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
      g_assert_no_error (error);
    }
  assert_state (f, "v1", CB_MAPPING_STATE_UNMAPPED, NULL);
  assert_state (f, "v2", CB_MAPPING_STATE_MAPPED, "V-CRANE");
  assert_state (f, "v4", CB_MAPPING_STATE_CREATE, NULL);
  g_assert_false (cb_mapping_store_redo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  g_assert_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);

  /* A new action after an undo clears the redo stack. */
  g_assert_true (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  g_assert_nonnull ((redo = (g_free (redo), cb_mapping_store_redo_description (f->db, f->profile,
                                                                               CB_MAPPING_VENDORS))));
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v4, "102", &error));
  g_assert_no_error (error);
  g_clear_pointer (&redo, g_free);
  g_assert_null ((redo = cb_mapping_store_redo_description (f->db, f->profile, CB_MAPPING_VENDORS)));

  /* A pick that cannot be made changes nothing. */
  g_assert_false (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v1, "999", &error));
  g_assert_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v1, "104", &error));
  g_assert_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID);   /* inactive */
  g_clear_error (&error);
  {
    const char *bad[] = { "v1", "nope", NULL };

    g_assert_false (cb_mapping_store_set_create (f->db, f->profile, CB_MAPPING_VENDORS, bad,
                                                 &error));
    g_assert_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID);
    g_clear_error (&error);
    assert_state (f, "v1", CB_MAPPING_STATE_MAPPED, "V-ACME");   /* the clear was undone */
  }

  /* History: newest first, who, how, what. */
  history = cb_mapping_store_history (f->db, f->profile, CB_MAPPING_VENDORS, "v1", 0, &error);
  g_assert_no_error (error);
  /* set, clear, undo clear, undo set, redo set, redo clear, undo clear */
  g_assert_cmpuint (history->len, ==, 7);
  {
    CbMappingChange *newest = g_ptr_array_index (history, 0);
    CbMappingChange *second = g_ptr_array_index (history, 1);
    CbMappingChange *oldest = g_ptr_array_index (history, 6);

    g_assert_cmpstr (newest->action, ==, "Undo: Clear 1 mapping");
    g_assert_cmpint (newest->old_state, ==, CB_MAPPING_STATE_UNMAPPED);
    g_assert_cmpint (newest->new_state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpstr (second->action, ==, "Redo: Clear 1 mapping");
    g_assert_cmpint (second->old_state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpint (second->new_state, ==, CB_MAPPING_STATE_UNMAPPED);
    g_assert_cmpstr (oldest->action, ==, "Map 1 record to “V-ACME”");
    g_assert_cmpstr (oldest->new_intacct_id, ==, "V-ACME");
    g_assert_null (oldest->old_intacct_id);
    g_assert_cmpint (oldest->how, ==, CB_MAPPING_HOW_MANUAL);
    g_assert_cmpstr (oldest->user, ==, g_get_user_name ());
    g_assert_nonnull (oldest->at);
  }
  g_clear_pointer (&history, g_ptr_array_unref);
  history = cb_mapping_store_history (f->db, f->profile, CB_MAPPING_VENDORS, NULL, 3, &error);
  g_assert_cmpuint (history->len, ==, 3);

  /* The other profile is untouched. */
  counts = counts_of (f, f->profile2);
  g_assert_cmpuint (counts.unmapped, ==, 5);
}

/* Suggestions as the matcher leaves them (state 1, score, reason). */
static void
add_suggestion (Fixture    *f,
                const char *job_id,
                const char *recordno,
                const char *id,
                guint       score)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO mappings (profile_id, kind, job_id, state, "
                                          "intacct_recordno, intacct_id, intacct_name, score, "
                                          "reason, how) VALUES ('%s', %d, '%s', 1, '%s', '%s', "
                                          "'n', %u, 'name %u%% alike', 2) "
                                          "ON CONFLICT (profile_id, kind, job_id) DO UPDATE SET "
                                          "state = excluded.state, intacct_recordno = "
                                          "excluded.intacct_recordno, intacct_id = excluded.intacct_id, "
                                          "intacct_name = excluded.intacct_name, score = excluded.score, "
                                          "reason = excluded.reason, how = excluded.how",
                                          f->profile, CB_MAPPING_VENDORS, job_id, recordno, id,
                                          score, score);
  exec_sql (f, sql);
}

static void
test_accept (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *only_v3[] = { "v3", NULL };
  guint n = 0;

  add_suggestion (f, "v1", "101", "V-ACME", 92);
  add_suggestion (f, "v2", "102", "V-BOLT", 75);
  add_suggestion (f, "v3", "103", "V-CRANE", 88);
  add_suggestion (f, "v4", "104", "V-OLD", 99);   /* inactive: never accepted */
  g_assert_cmpuint (counts_of (f, f->profile).suggested, ==, 4);

  g_assert_true (cb_mapping_store_accept (f->db, f->profile, CB_MAPPING_VENDORS, only_v3, 0, &n,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  assert_state (f, "v3", CB_MAPPING_STATE_MAPPED, "V-CRANE");
  assert_state (f, "v1", CB_MAPPING_STATE_SUGGESTED, "V-ACME");

  g_assert_true (cb_mapping_store_accept (f->db, f->profile, CB_MAPPING_VENDORS, NULL, 90, &n,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  {
    g_autoptr(CbMappingRow) row = get_row (f, f->profile, CB_MAPPING_VENDORS, "v1");

    g_assert_cmpint (row->state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpuint (row->score, ==, 92);
    g_assert_cmpstr (row->reason, ==, "name 92% alike");
    g_assert_cmpint (row->how, ==, CB_MAPPING_HOW_MANUAL);
  }
  assert_state (f, "v2", CB_MAPPING_STATE_SUGGESTED, "V-BOLT");
  assert_state (f, "v4", CB_MAPPING_STATE_SUGGESTED, "V-OLD");

  g_assert_true (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  assert_state (f, "v1", CB_MAPPING_STATE_SUGGESTED, "V-ACME");
  assert_state (f, "v3", CB_MAPPING_STATE_MAPPED, "V-CRANE");
}

/* 5,000 suggestions accepted in one action, undone in one step. */
static void
test_bulk_accept (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *undo = NULL;
  CbMappingCounts counts;
  guint n = 0;

  sql = g_strdup_printf ("BEGIN;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)"
                         " INSERT INTO job_records (profile_id, kind, id, code, name, fields, digest,"
                         " first_seen, last_seen)"
                         " SELECT '%1$s', 'vendor', 'b' || i, printf ('B%%05d', i), 'Bulk ' || i, '{}', '',"
                         " 0, 0 FROM n;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)"
                         " INSERT INTO intacct_records (profile_id, object, recordno, id, name, status,"
                         " fields, last_seen)"
                         " SELECT '%1$s', 'VENDOR', 'r' || i, 'VB' || i, 'Bulk ' || i, 'active', '{}', 0"
                         " FROM n;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)"
                         " INSERT INTO mappings (profile_id, kind, job_id, state, intacct_recordno,"
                         " intacct_id, intacct_name, score, reason, how)"
                         " SELECT '%1$s', %2$d, 'b' || i, 1, 'r' || i, 'VB' || i, 'Bulk ' || i,"
                         " CASE WHEN i <= 5000 THEN 90 ELSE 70 END, 'same name', 2 FROM n WHERE true"
                         " ON CONFLICT (profile_id, kind, job_id) DO UPDATE SET state = excluded.state,"
                         " intacct_recordno = excluded.intacct_recordno, intacct_id = excluded.intacct_id,"
                         " intacct_name = excluded.intacct_name, score = excluded.score,"
                         " reason = excluded.reason, how = excluded.how;"
                         "COMMIT;",
                         f->profile, CB_MAPPING_VENDORS);
  exec_sql (f, sql);

  g_assert_true (cb_mapping_store_accept (f->db, f->profile, CB_MAPPING_VENDORS, NULL, 80, &n,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5000);
  counts = counts_of (f, f->profile);
  g_assert_cmpuint (counts.mapped, ==, 5000);
  g_assert_cmpuint (counts.suggested, ==, 1000);
  undo = cb_mapping_store_undo_description (f->db, f->profile, CB_MAPPING_VENDORS);
  g_assert_cmpstr (undo, ==, "Accept 5000 suggestions");

  g_assert_true (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  g_assert_no_error (error);
  counts = counts_of (f, f->profile);
  g_assert_cmpuint (counts.mapped, ==, 0);
  g_assert_cmpuint (counts.suggested, ==, 6000);

  g_assert_true (cb_mapping_store_redo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  g_assert_no_error (error);
  counts = counts_of (f, f->profile);
  g_assert_cmpuint (counts.mapped, ==, 5000);
}

/* With the real matcher: sure matches mapped (automatic), people's decisions kept. */
static void
test_auto_match (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbMatchThresholds limits = CB_MATCH_THRESHOLDS_DEFAULT;
  const char *v1[] = { "v1", NULL };
  const char *v2[] = { "v2", NULL };
  g_autofree char *undo = NULL;
  CbMappingCounts counts;

  /* A person mapped v2 elsewhere and cleared v1: the matcher must respect both. */
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v2, "103", &error));
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v1, "101", &error));
  g_assert_true (cb_mapping_store_clear (f->db, f->profile, CB_MAPPING_VENDORS, v1, &error));
  g_assert_no_error (error);

  g_assert_true (cb_mapping_store_auto_match (f->db, f->profile, CB_MAPPING_VENDORS, &limits,
                                              &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.total, ==, 5);
  g_assert_cmpuint (counts.mapped + counts.suggested + counts.unmapped, ==, 5);
  {
    g_autoptr(CbMappingRow) r1 = get_row (f, f->profile, CB_MAPPING_VENDORS, "v1");
    g_autoptr(CbMappingRow) r2 = get_row (f, f->profile, CB_MAPPING_VENDORS, "v2");
    g_autoptr(CbMappingRow) r3 = get_row (f, f->profile, CB_MAPPING_VENDORS, "v3");
    g_autoptr(CbMappingRow) r4 = get_row (f, f->profile, CB_MAPPING_VENDORS, "v4");

    /* The same name: mapped automatically, with its reason. */
    g_assert_cmpint (r3->state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpint (r3->how, ==, CB_MAPPING_HOW_AUTO);
    g_assert_cmpstr (r3->intacct_id, ==, "V-CRANE");
    g_assert_cmpuint (r3->score, >=, limits.auto_min);
    g_assert_nonnull (r3->reason);
    /* Cleared by a person: suggested at most. */
    g_assert_cmpint (r1->state, ==, CB_MAPPING_STATE_SUGGESTED);
    g_assert_cmpstr (r1->intacct_id, ==, "V-ACME");
    g_assert_nonnull (r1->reason);
    /* Mapped by a person: untouched. */
    g_assert_cmpint (r2->state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpstr (r2->intacct_id, ==, "V-CRANE");
    g_assert_cmpint (r2->how, ==, CB_MAPPING_HOW_MANUAL);
    /* Nothing alike: unmapped. The inactive V-OLD is never a candidate. */
    g_assert_cmpint (r4->state, ==, CB_MAPPING_STATE_UNMAPPED);
  }
  undo = cb_mapping_store_undo_description (f->db, f->profile, CB_MAPPING_VENDORS);
  g_assert_true (g_str_has_prefix (undo, "Auto-match"));

  /* Run again: nothing changes, no new action. */
  g_assert_true (cb_mapping_store_auto_match (f->db, f->profile, CB_MAPPING_VENDORS, &limits,
                                              NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) history = cb_mapping_store_history (f->db, f->profile,
                                                             CB_MAPPING_VENDORS, NULL, 0, &error);
    g_autofree char *again = cb_mapping_store_undo_description (f->db, f->profile,
                                                                CB_MAPPING_VENDORS);
    guint auto_entries = 0;

    g_assert_cmpstr (again, ==, undo);
    for (guint i = 0; i < history->len; i++)
      if (((CbMappingChange *) history->pdata[i])->how == CB_MAPPING_HOW_AUTO)
        auto_entries++;
    g_assert_cmpuint (auto_entries, ==, counts.mapped - 1 + counts.suggested);
  }

  /* Undone in one step. */
  g_assert_true (cb_mapping_store_undo (f->db, f->profile, CB_MAPPING_VENDORS, &error));
  g_assert_no_error (error);
  assert_state (f, "v3", CB_MAPPING_STATE_UNMAPPED, NULL);
  assert_state (f, "v1", CB_MAPPING_STATE_UNMAPPED, NULL);
  assert_state (f, "v2", CB_MAPPING_STATE_MAPPED, "V-CRANE");
}

static void
test_create_and_targets (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) targets = NULL;
  const char *v45[] = { "v4", "v5", NULL };
  const char *v1[] = { "v1", NULL };
  CbMappingTarget *t;

  g_assert_true (cb_mapping_store_set_create (f->db, f->profile, CB_MAPPING_VENDORS, v45, &error));
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v1, "101", &error));
  g_assert_no_error (error);

  targets = cb_mapping_store_targets (f->db, f->profile, CB_MAPPING_VENDORS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (targets), ==, 3);
  t = g_hash_table_lookup (targets, "v4");
  g_assert_cmpint (t->state, ==, CB_MAPPING_STATE_CREATE);
  t = g_hash_table_lookup (targets, "v1");
  g_assert_cmpint (t->state, ==, CB_MAPPING_STATE_MAPPED);
  g_assert_cmpstr (t->intacct_recordno, ==, "101");
  g_assert_cmpstr (t->intacct_id, ==, "V-ACME");

  /* The sync created v4's vendor: mapped (how = sync), in the history, not undoable,
   * and not stale although no pull has seen it yet. */
  g_assert_true (cb_mapping_store_set_created (f->db, f->profile, CB_MAPPING_VENDORS, "v4",
                                               "555", "V-DIRT", "Dirt Movers Co", &error));
  g_assert_no_error (error);
  {
    g_autoptr(CbMappingRow) row = get_row (f, f->profile, CB_MAPPING_VENDORS, "v4");
    g_autoptr(GPtrArray) history = NULL;
    g_autofree char *undo = NULL;

    g_assert_cmpint (row->state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpint (row->how, ==, CB_MAPPING_HOW_SYNC);
    g_assert_cmpstr (row->intacct_id, ==, "V-DIRT");
    history = cb_mapping_store_history (f->db, f->profile, CB_MAPPING_VENDORS, "v4", 1, &error);
    g_assert_cmpint (((CbMappingChange *) history->pdata[0])->how, ==, CB_MAPPING_HOW_SYNC);
    undo = cb_mapping_store_undo_description (f->db, f->profile, CB_MAPPING_VENDORS);
    g_assert_cmpstr (undo, ==, "Map 1 record to “V-ACME”");
  }
}

static void
test_stale (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *v1[] = { "v1", NULL };
  const char *v2[] = { "v2", NULL };
  const char *v3[] = { "v3", NULL };
  CbMappingQuery query = { .filter = CB_MAPPING_FILTER_STALE };
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v1, "101", &error));
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v2, "102", &error));
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v3, "103", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts_of (f, f->profile).stale, ==, 0);

  /* A pull: 101 renamed (new ID), 102 made inactive, 103 deleted; a name change alone is
   * not stale. */
  add_intacct (f, f->profile, "VENDOR", "101", "V-ACME2", "Acme Concrete, Inc.", "active");
  add_intacct (f, f->profile, "VENDOR", "102", "V-BOLT", "Bolt Electric", "inactive");
  exec_sql (f, "DELETE FROM intacct_records WHERE recordno = '103'");

  {
    g_autoptr(CbMappingRow) r1 = get_row (f, f->profile, CB_MAPPING_VENDORS, "v1");
    g_autoptr(CbMappingRow) r2 = get_row (f, f->profile, CB_MAPPING_VENDORS, "v2");
    g_autoptr(CbMappingRow) r3 = get_row (f, f->profile, CB_MAPPING_VENDORS, "v3");

    g_assert_cmpint (r1->state, ==, CB_MAPPING_STATE_STALE);
    g_assert_cmpstr (r1->intacct_id, ==, "V-ACME");
    g_assert_nonnull (strstr (r1->stale_reason, "Renamed"));
    g_assert_nonnull (strstr (r1->stale_reason, "V-ACME2"));
    g_assert_cmpint (r2->state, ==, CB_MAPPING_STATE_STALE);
    g_assert_nonnull (strstr (r2->stale_reason, "inactive"));
    g_assert_cmpint (r3->state, ==, CB_MAPPING_STATE_STALE);
    g_assert_nonnull (strstr (r3->stale_reason, "no longer in Intacct"));
    g_assert_cmpstr (r3->intacct_name, ==, "Crane Rentals");
  }
  g_assert_cmpuint (counts_of (f, f->profile).stale, ==, 3);
  g_assert_cmpuint (counts_of (f, f->profile).mapped, ==, 0);
  rows = cb_mapping_store_list (f->db, f->profile, CB_MAPPING_VENDORS, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpuint (cb_mapping_store_count (f->db, f->profile, CB_MAPPING_VENDORS, &query, &error),
                    ==, 3);

  /* Renamed only by name: mapped, with the new name shown. */
  add_intacct (f, f->profile, "VENDOR", "101", "V-ACME", "ACME Concrete Incorporated", "active");
  {
    g_autoptr(CbMappingRow) r1 = get_row (f, f->profile, CB_MAPPING_VENDORS, "v1");

    g_assert_cmpint (r1->state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpstr (r1->intacct_name, ==, "ACME Concrete Incorporated");
    g_assert_null (r1->stale_reason);
  }
  g_assert_cmpuint (counts_of (f, f->profile).stale, ==, 2);
}

static char *
export_text (Fixture    *f,
             const char *profile)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_mapping_store_export_csv (f->db, profile, CB_MAPPING_VENDORS, out, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, &error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static gboolean
import_text (Fixture     *f,
             const char  *profile,
             const char  *text,
             guint       *n,
             GError     **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (g_strdup (text), -1, g_free);

  return cb_mapping_store_import_csv (f->db, profile, CB_MAPPING_VENDORS, in, n, error);
}

static void
test_csv_round_trip (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  const char *v1[] = { "v1", NULL };
  const char *v3[] = { "v3", NULL };
  const char *v4[] = { "v4", NULL };
  guint n = 0;

  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v1, "101", &error));
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, v3, "103", &error));
  g_assert_true (cb_mapping_store_set_create (f->db, f->profile, CB_MAPPING_VENDORS, v4, &error));
  add_suggestion (f, "v2", "102", "V-BOLT", 70);
  g_assert_no_error (error);

  text = export_text (f, f->profile);
  g_assert_true (g_str_has_prefix (text, "kind,job_id,job_code,job_name,state,intacct_recordno,"
                                         "intacct_id,intacct_name,score,reason,how,changed_by,"
                                         "changed_at\r\n"));
  g_assert_nonnull (strstr (text, "vendors,v1,ACME,Acme Concrete Inc,mapped,101,V-ACME,"
                                  "\"Acme Concrete, Inc.\",,,manual,"));
  g_assert_nonnull (strstr (text, "vendors,v4,DIRT,Dirt Movers Co,create,"));

  /* Into the other profile: the same IDs, other record numbers. The suggestion is not
   * imported (nobody decided it). */
  g_assert_true (import_text (f, f->profile2, text, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  {
    g_autoptr(CbMappingRow) r1 = get_row (f, f->profile2, CB_MAPPING_VENDORS, "v1");
    g_autoptr(CbMappingRow) r2 = get_row (f, f->profile2, CB_MAPPING_VENDORS, "v2");
    g_autoptr(CbMappingRow) r4 = get_row (f, f->profile2, CB_MAPPING_VENDORS, "v4");

    g_assert_cmpint (r1->state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpstr (r1->intacct_recordno, ==, "901");
    g_assert_cmpstr (r1->intacct_id, ==, "V-ACME");
    g_assert_cmpint (r1->how, ==, CB_MAPPING_HOW_IMPORTED);
    g_assert_cmpint (r2->state, ==, CB_MAPPING_STATE_UNMAPPED);
    g_assert_cmpint (r4->state, ==, CB_MAPPING_STATE_CREATE);
  }

  /* Round trip into the same profile: nothing changes. */
  g_assert_true (import_text (f, f->profile, text, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);

  /* The import is one action. */
  g_assert_true (cb_mapping_store_undo (f->db, f->profile2, CB_MAPPING_VENDORS, &error));
  g_assert_cmpuint (counts_of (f, f->profile2).unmapped, ==, 5);
  again = export_text (f, f->profile2);
  g_assert_null (strstr (again, ",mapped,"));
}

static void
test_csv_bad_row (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint n = 42;

  before = export_text (f, f->profile);

  /* Line 4 names a vendor unknown in the cache; lines 2–3 are fine but must not apply. */
  g_assert_false (import_text (f, f->profile,
                               "job_id,intacct_id,state\n"
                               "v1,V-ACME,\n"
                               "v4,,create\n"
                               "v2,V-NOPE,mapped\n",
                               &n, &error));
  g_assert_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Line 4:"));
  g_assert_nonnull (strstr (error->message, "V-NOPE"));
  g_clear_error (&error);
  after = export_text (f, f->profile);
  g_assert_cmpstr (before, ==, after);
  g_assert_null (cb_mapping_store_undo_description (f->db, f->profile, CB_MAPPING_VENDORS));

  /* Other bad rows: unknown job, bad state, duplicate, no job_id column, quotes across
   * lines counted right. */
  g_assert_false (import_text (f, f->profile, "job_id,intacct_id\n\"v1\",V-ACME\nzz,V-BOLT\n",
                               &n, &error));
  g_assert_true (g_str_has_prefix (error->message, "Line 3:"));
  g_clear_error (&error);
  g_assert_false (import_text (f, f->profile, "job_id,state\nv1,maybe\n", &n, &error));
  g_assert_true (g_str_has_prefix (error->message, "Line 2:"));
  g_clear_error (&error);
  g_assert_false (import_text (f, f->profile,
                               "job_name,job_id,intacct_id\n\"two\nlines\",v1,V-ACME\n"
                               "x,v1,V-BOLT\n", &n, &error));
  g_assert_true (g_str_has_prefix (error->message, "Line 4:"));
  g_clear_error (&error);
  g_assert_false (import_text (f, f->profile, "id,intacct_id\nv1,V-ACME\n", &n, &error));
  g_assert_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (import_text (f, f->profile, "job_id,intacct_id\nv2,V-OLD\n", &n, &error));
  g_assert_nonnull (strstr (error->message, "inactive"));
  g_clear_error (&error);

  after = (g_free (after), export_text (f, f->profile));
  g_assert_cmpstr (before, ==, after);
}

/* 100,000 cost codes built with SQL in one transaction: paging, filter, search and sort
 * against what the rows must be. */
static void
test_scale (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  CbMappingQuery query = { 0 };
  CbMappingCounts counts;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) all = NULL;
  CbMappingKind kind = CB_MAPPING_COST_CODES;
  gint64 start;

  /* Code C000001…; every 3rd mapped to T-i, every 7th (not 3rd) suggested, every 11th
   * (neither) create; the task of every 300th mapped one is gone (stale). */
  sql = g_strdup_printf ("BEGIN;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
                         " INSERT INTO job_records (profile_id, kind, id, code, name, fields, digest,"
                         " first_seen, last_seen)"
                         " SELECT '%1$s', 'cost_code', 'id' || i, printf ('C%%06d', i),"
                         " printf ('Name %%06d', (i * 7919) %% 100000), '{}', '', 0, 0 FROM n;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
                         " INSERT INTO intacct_records (profile_id, object, recordno, id, name, status,"
                         " fields, last_seen)"
                         " SELECT '%1$s', 'STANDARDTASK', 'r' || i, printf ('T%%06d', i),"
                         " 'Task ' || i, 'active', '{}', 0 FROM n WHERE i %% 300 != 0;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
                         " INSERT INTO mappings (profile_id, kind, job_id, state, intacct_recordno,"
                         " intacct_id, intacct_name, score, reason, how)"
                         " SELECT '%1$s', %2$d, 'id' || i,"
                         " CASE WHEN i %% 3 = 0 THEN 2 WHEN i %% 7 = 0 THEN 1 ELSE 3 END,"
                         " CASE WHEN i %% 3 = 0 OR i %% 7 = 0 THEN 'r' || i END,"
                         " CASE WHEN i %% 3 = 0 OR i %% 7 = 0 THEN printf ('T%%06d', i) END,"
                         " CASE WHEN i %% 3 = 0 OR i %% 7 = 0 THEN 'Task ' || i END,"
                         " CASE WHEN i %% 7 = 0 THEN i %% 100 ELSE 0 END, NULL, 2"
                         " FROM n WHERE i %% 3 = 0 OR i %% 7 = 0 OR i %% 11 = 0"
                         " ON CONFLICT (profile_id, kind, job_id) DO UPDATE SET state = excluded.state,"
                         " intacct_recordno = excluded.intacct_recordno, intacct_id = excluded.intacct_id,"
                         " intacct_name = excluded.intacct_name, score = excluded.score,"
                         " reason = excluded.reason, how = excluded.how;"
                         "COMMIT;",
                         f->profile, kind);
  exec_sql (f, sql);

  start = g_get_monotonic_time ();
  g_assert_true (cb_mapping_store_counts (f->db, f->profile, kind, &counts, &error));
  g_test_message ("counts over 100,000 rows: %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_no_error (error);
  {
    guint mapped_all = 100000 / 3, stale = 100000 / 300;
    guint suggested = 100000 / 7 - 100000 / 21;
    guint create = 100000 / 11 - 100000 / 33 - 100000 / 77 + 100000 / 231;

    g_assert_cmpuint (counts.total, ==, 100000);
    g_assert_cmpuint (counts.stale, ==, stale);
    g_assert_cmpuint (counts.mapped, ==, mapped_all - stale);
    g_assert_cmpuint (counts.suggested, ==, suggested);
    g_assert_cmpuint (counts.create, ==, create);
    g_assert_cmpuint (counts.unmapped, ==, 100000 - mapped_all - suggested - create);
  }

  /* Paging by code: page 500 of 100 rows holds C050001…C050100. */
  query.limit = 100;
  query.offset = 50000;
  start = g_get_monotonic_time ();
  page = cb_mapping_store_list (f->db, f->profile, kind, &query, &error);
  g_test_message ("a page of 100 at offset 50,000 by code: %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 100);
  g_assert_cmpstr (((CbMappingRow *) page->pdata[0])->job_code, ==, "C050001");
  g_assert_cmpstr (((CbMappingRow *) page->pdata[99])->job_code, ==, "C050100");
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Descending by code. */
  query.descending = TRUE;
  query.offset = 0;
  page = cb_mapping_store_list (f->db, f->profile, kind, &query, &error);
  g_assert_cmpstr (((CbMappingRow *) page->pdata[0])->job_code, ==, "C100000");
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Filter stale, sorted by code: C000300, C000600… */
  query = (CbMappingQuery) { .filter = CB_MAPPING_FILTER_STALE, .limit = 10, .offset = 2 };
  start = g_get_monotonic_time ();
  page = cb_mapping_store_list (f->db, f->profile, kind, &query, &error);
  g_test_message ("stale filter, page 1: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (page->len, ==, 10);
  g_assert_cmpstr (((CbMappingRow *) page->pdata[0])->job_code, ==, "C000900");
  g_assert_cmpint (((CbMappingRow *) page->pdata[0])->state, ==, CB_MAPPING_STATE_STALE);
  g_assert_cmpuint (cb_mapping_store_count (f->db, f->profile, kind, &query, &error), ==, 333);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Search across both sides: "T00042" matches the Intacct IDs T000420…T000429 of the
   * rows mapped or suggested (420, 423, 426, 427, 429). */
  query = (CbMappingQuery) { .search = "t00042", .filter = CB_MAPPING_FILTER_ALL };
  start = g_get_monotonic_time ();
  all = cb_mapping_store_list (f->db, f->profile, kind, &query, &error);
  g_test_message ("search: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 5);
  g_assert_cmpstr (((CbMappingRow *) all->pdata[0])->job_code, ==, "C000420");
  g_assert_cmpstr (((CbMappingRow *) all->pdata[4])->intacct_id, ==, "T000429");
  g_assert_cmpuint (cb_mapping_store_count (f->db, f->profile, kind, &query, &error), ==, 5);
  g_clear_pointer (&all, g_ptr_array_unref);
  /* … and a job-side name, with a LIKE wildcard taken literally. */
  query.search = "name 00000";
  g_assert_cmpuint (cb_mapping_store_count (f->db, f->profile, kind, &query, &error), ==, 10);
  query.search = "name_0";
  g_assert_cmpuint (cb_mapping_store_count (f->db, f->profile, kind, &query, &error), ==, 0);

  /* Sort by score, descending, suggested only: scores are i % 100, highest 99. */
  query = (CbMappingQuery) { .filter = CB_MAPPING_FILTER_SUGGESTED, .sort = CB_MAPPING_SORT_SCORE,
                             .descending = TRUE, .limit = 50 };
  page = cb_mapping_store_list (f->db, f->profile, kind, &query, &error);
  g_assert_cmpuint (page->len, ==, 50);
  for (guint i = 0; i < page->len; i++)
    {
      const CbMappingRow *row = page->pdata[i];

      g_assert_cmpint (row->state, ==, CB_MAPPING_STATE_SUGGESTED);
      if (i > 0)
        g_assert_cmpuint (row->score, <=, ((CbMappingRow *) page->pdata[i - 1])->score);
    }
  g_assert_cmpuint (((CbMappingRow *) page->pdata[0])->score, ==, 99);   /* 1099 */
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Sort by job name: every page in order, pages adjacent. */
  query = (CbMappingQuery) { .sort = CB_MAPPING_SORT_JOB_NAME, .limit = 1000, .offset = 30000 };
  start = g_get_monotonic_time ();
  page = cb_mapping_store_list (f->db, f->profile, kind, &query, &error);
  g_test_message ("a page by name at offset 30,000: %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (page->len, ==, 1000);
  g_assert_cmpstr (((CbMappingRow *) page->pdata[0])->job_name, ==, "Name 030000");
  for (guint i = 1; i < page->len; i++)
    g_assert_cmpint (g_ascii_strcasecmp (((CbMappingRow *) page->pdata[i - 1])->job_name,
                                         ((CbMappingRow *) page->pdata[i])->job_name), <, 0);
  g_clear_pointer (&page, g_ptr_array_unref);

  /* Sort by Intacct ID: mapped and suggested first, in ID order, the others after. */
  query = (CbMappingQuery) { .sort = CB_MAPPING_SORT_INTACCT_ID, .limit = 3 };
  start = g_get_monotonic_time ();
  page = cb_mapping_store_list (f->db, f->profile, kind, &query, &error);
  g_test_message ("a page by Intacct ID: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpstr (((CbMappingRow *) page->pdata[0])->intacct_id, ==, "T000003");
  g_assert_cmpstr (((CbMappingRow *) page->pdata[1])->intacct_id, ==, "T000006");
  g_assert_cmpstr (((CbMappingRow *) page->pdata[2])->intacct_id, ==, "T000007");
  g_clear_pointer (&page, g_ptr_array_unref);
  query.offset = 100000 - 1;
  page = cb_mapping_store_list (f->db, f->profile, kind, &query, &error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_null (((CbMappingRow *) page->pdata[0])->intacct_id);
}

/* Values a spreadsheet would take for formulas are exported with a leading apostrophe,
 * and the import takes it off again. */
static void
test_csv_formula_guard (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *ids[] = { "=1+2", "@cmd", NULL };
  guint n = 0;

  add_jobs (f, f->profile, CB_JOB_KIND_VENDOR,
            "=1+2", "+SUM(A1)", "=HYPERLINK(\"http://example.com\",\"x\")",
            "@cmd", "-5", "@Risky, Inc",
            NULL);
  add_intacct (f, f->profile, "VENDOR", "105", "-V-DASH", "=Dash", "active");
  g_assert_true (cb_mapping_store_set (f->db, f->profile, CB_MAPPING_VENDORS, ids, "105", &error));
  g_assert_no_error (error);

  text = export_text (f, f->profile);
  g_assert_nonnull (strstr (text, "\r\nvendors,'=1+2,'+SUM(A1),"
                                  "\"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\","
                                  "mapped,105,'-V-DASH,'=Dash,"));
  g_assert_nonnull (strstr (text, "\r\nvendors,'@cmd,'-5,\"'@Risky, Inc\",mapped,105,"));
  /* Nothing else is touched. */
  g_assert_nonnull (strstr (text, "\r\nvendors,v1,ACME,Acme Concrete Inc,"));

  /* Back in: the apostrophes come off, so the rows are the same records. */
  g_assert_true (cb_mapping_store_clear (f->db, f->profile, CB_MAPPING_VENDORS, ids, &error));
  g_assert_true (import_text (f, f->profile, text, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  {
    g_autoptr(CbMappingRow) row = get_row (f, f->profile, CB_MAPPING_VENDORS, "=1+2");

    g_assert_cmpint (row->state, ==, CB_MAPPING_STATE_MAPPED);
    g_assert_cmpstr (row->intacct_id, ==, "-V-DASH");
  }
}

/* {{{ The command line */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
cli_run (Fixture *f,
         Run     *r,
         ...)
{
  g_autofree char *cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "costbridge-cli",
                                                NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, cli);
  va_start (ap, r);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, (char *) "--database");
  g_ptr_array_add (argv, f->path);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
  if (g_test_verbose ())
    g_test_message ("%s %s → %d\n%s%s", (char *) argv->pdata[1], (char *) argv->pdata[2],
                    r->status, r->out, r->err);
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *csv_path = g_build_filename (f->dir, "vendors.csv", NULL);
  g_autofree char *contents = NULL;
  JsonObject *obj;
  JsonArray *rows;

  /* The CLI talks to the file; this connection must not hold a write lock. */
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "set", "vendors", "v1", "V-ACME", "--profile", "Acme", "--json",
             NULL);
    g_assert_cmpint (r.status, ==, 0);
    obj = parse_object (r.out, parser);
    g_assert_cmpint (json_object_get_int_member (obj, "changed"), ==, 1);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "create", "vendors", "v4", "v5", "--profile", "Acme", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "list", "vendors", "--profile", "Acme", "--filter", "create",
             "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    obj = parse_object (r.out, parser);
    rows = json_object_get_array_member (obj, "rows");
    g_assert_cmpuint (json_array_get_length (rows), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                    "job_id"), ==, "v5");   /* no code: first */
    g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 2);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "list", "vendors", "--profile", "Acme", "--search", "acme", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "V-ACME"));
    g_assert_null (strstr (r.out, "Bolt"));
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "undo", "vendors", "--profile", "Acme", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    obj = parse_object (r.out, parser);
    g_assert_cmpstr (json_object_get_string_member (obj, "undone"), ==,
                     "Mark 2 records “Create in Intacct”");
  }
  assert_state (f, "v4", CB_MAPPING_STATE_UNMAPPED, NULL);
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "redo", "vendors", "--profile", "Acme", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  assert_state (f, "v4", CB_MAPPING_STATE_CREATE, NULL);
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "clear", "vendors", "v5", "--profile", "Acme", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "history", "vendors", "--profile", "Acme", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    obj = parse_object (r.out, parser);
    rows = json_object_get_array_member (obj, "changes");
    g_assert_cmpuint (json_array_get_length (rows), ==, 8);   /* 1 + 2 + 2 + 2 + 1 */
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                    "job_id"), ==, "v5");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                    "new_state"), ==, "unmapped");
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "export", "vendors", csv_path, "--profile", "Acme", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "vendors,v1,ACME,"));
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "import", "vendors", csv_path, "--profile", "Acme West", "--json",
             NULL);
    g_assert_cmpint (r.status, ==, 0);
    obj = parse_object (r.out, parser);
    g_assert_cmpint (json_object_get_int_member (obj, "changed"), ==, 2);
  }
  {
    g_autoptr(CbMappingRow) row = get_row (f, f->profile2, CB_MAPPING_VENDORS, "v1");

    g_assert_cmpstr (row->intacct_recordno, ==, "901");
  }
  {
    g_auto(Run) r = { 0 };

    g_assert_true (g_file_set_contents (csv_path, "job_id,intacct_id\nv1,V-ACME\nv2,V-GONE\n", -1,
                                        NULL));
    cli_run (f, &r, "mappings", "import", "vendors", csv_path, "--profile", "Acme", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "Line 3"));
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "frobnicate", "vendors", "--profile", "Acme", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "mappings", "list", "bills", "--profile", "Acme", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Run) r = { 0 };

    add_suggestion (f, "v3", "103", "V-CRANE", 85);
    cli_run (f, &r, "mappings", "accept", "vendors", "--min-score", "80", "--profile", "Acme",
             "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    obj = parse_object (r.out, parser);
    g_assert_cmpint (json_object_get_int_member (obj, "accepted"), ==, 1);
  }
  assert_state (f, "v3", CB_MAPPING_STATE_MAPPED, "V-CRANE");
  {
    g_auto(Run) r = { 0 };
    JsonObject *vendors;

    cli_run (f, &r, "match", "all", "--profile", "Acme West", "--auto-min", "90", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    obj = parse_object (r.out, parser);
    vendors = json_object_get_object_member (obj, "vendors");
    g_assert_cmpint (json_object_get_int_member (vendors, "total"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (vendors, "mapped"), >=, 2);
    g_assert_true (json_object_has_member (obj, "cost-codes"));
  }
  {
    g_auto(Run) r = { 0 };

    cli_run (f, &r, "match", "vendors", "--profile", "Acme", "--suggest-min", "99", NULL);
    g_assert_cmpint (r.status, ==, 2);   /* suggest above auto */
  }
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mapping-store/kinds", test_kinds);
#define ADD(path, fn) g_test_add ("/mapping-store/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("actions-undo-redo", test_actions_undo_redo);
  ADD ("accept", test_accept);
  ADD ("bulk-accept", test_bulk_accept);
  ADD ("auto-match", test_auto_match);
  ADD ("create-and-targets", test_create_and_targets);
  ADD ("stale", test_stale);
  ADD ("csv-round-trip", test_csv_round_trip);
  ADD ("csv-bad-row", test_csv_bad_row);
  ADD ("csv-formula-guard", test_csv_formula_guard);
  ADD ("scale", test_scale);
  ADD ("cli", test_cli);
#undef ADD

  return g_test_run ();
}
