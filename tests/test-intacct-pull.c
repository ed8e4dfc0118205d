/* test-intacct-pull.c: pulling Intacct's records into the cache, against the sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-intacct-pull"

#include "config.h"

#include <string.h>

#include "cb-error.h"
#include "cb-intacct-cache.h"
#include "cb-intacct-pull.h"
#include "cb-sandbox.h"
#include "cb-test-sync.h"

typedef CbTestSync Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  cb_test_sync_set_up (f, "cb-pull-XXXXXX", "Demo",
                       CB_TEST_SYNC_CLIENT | CB_TEST_SYNC_ASSERT_FINALIZED);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cb_test_sync_tear_down (f);
}

static CbPullResult *
pull (Fixture            *f,
      const char * const *objects,
      CbPullFlags         flags)
{
  g_autoptr(GError) error = NULL;
  CbPullResult *result;

  result = cb_intacct_pull_run (f->client, f->db, f->profile->id, objects, flags,
                                NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static const CbPullObjectResult *
find (const CbPullResult *result,
      const char         *object)
{
  const CbPullObjectResult *r = cb_pull_result_find (result, object);

  g_assert_nonnull (r);
  return r;
}

/* The first pull reads every object whole; the cache then holds what the sandbox has. */
static void
test_first_pull (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CbPullResult) result = pull (f, NULL, CB_PULL_NONE);
  const char * const *objects = cb_intacct_pull_default_objects ();

  g_assert_false (result->cancelled);
  g_assert_null (cb_pull_result_get_failure (result));
  g_assert_cmpuint (result->objects->len, ==, g_strv_length ((char **) objects));

  for (guint i = 0; objects[i] != NULL; i++)
    {
      const CbPullObjectResult *r = find (result, objects[i]);
      g_autoptr(GDateTime) refreshed = NULL;
      guint expected;

      g_assert_cmpint (r->state, ==, CB_PULL_STATE_DONE);
      g_assert_true (r->full);
      if (strcmp (objects[i], "LOCATIONENTITY") == 0)
        expected = 2;   /* North and South */
      else
        expected = cb_sandbox_count_records (f->sandbox, objects[i], NULL, NULL);
      g_assert_cmpuint (expected, >, 0);
      g_assert_cmpuint (r->fetched, ==, expected);
      g_assert_cmpint (r->total, ==, expected);
      g_assert_cmpuint (cb_intacct_cache_count (f->db, f->profile->id, objects[i]), ==, expected);

      refreshed = cb_intacct_cache_last_refresh (f->db, f->profile->id, objects[i]);
      g_assert_nonnull (refreshed);
      g_assert_true (g_date_time_equal (refreshed, r->refreshed_at));
    }
  g_assert_cmpuint (cb_intacct_cache_count (f->db, f->profile->id, "VENDOR"), >=, 40);
}

static CbIntacctRecord *
new_vendor (const char *id,
            const char *name)
{
  CbIntacctRecord *vendor = cb_intacct_record_new ("VENDOR");
  CbIntacctRecord *contact;

  cb_intacct_record_add_field (vendor, "VENDORID", id);
  cb_intacct_record_add_field (vendor, "NAME", name);
  contact = cb_intacct_record_add_child (vendor, "DISPLAYCONTACT");
  cb_intacct_record_add_field (contact, "PRINTAS", name);
  return vendor;
}

static void
write_vendor (Fixture    *f,
              gboolean    create,
              const char *id,
              const char *name)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (objects, new_vendor (id, name));
  if (create)
    results = cb_intacct_client_create (f->client, objects, NULL, NULL, &error);
  else
    results = cb_intacct_client_update (f->client, objects, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_true (cb_intacct_result_check (g_ptr_array_index (results, 0), &error));
  g_assert_no_error (error);
}

/* Later pulls ask only for what changed; a full pull notices deletions. */
static void
test_incremental_and_deletion (Fixture       *f,
                               gconstpointer  data)
{
  const char * const vendors[] = { "VENDOR", NULL };
  g_autoptr(CbPullResult) first = pull (f, vendors, CB_PULL_NONE);
  g_autoptr(CbPullResult) second = NULL;
  g_autoptr(CbPullResult) third = NULL;
  g_autoptr(CbPullResult) fourth = NULL;
  g_autoptr(CbPullResult) fifth = NULL;
  g_autoptr(CbCachedRecord) cached = NULL;
  g_autoptr(GError) error = NULL;
  const CbPullObjectResult *r;
  guint n_vendors = cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL);
  g_autoptr(GPtrArray) list = NULL;
  const char *recordno = NULL;

  g_assert_cmpuint (find (first, "VENDOR")->fetched, ==, n_vendors);

  /* Nothing changed: nothing comes back. */
  second = pull (f, vendors, CB_PULL_NONE);
  r = find (second, "VENDOR");
  g_assert_cmpint (r->state, ==, CB_PULL_STATE_DONE);
  g_assert_false (r->full);
  g_assert_cmpuint (r->fetched, ==, 0);
  g_assert_cmpuint (cb_intacct_cache_count (f->db, f->profile->id, "VENDOR"), ==, n_vendors);

  /* A new vendor and a renamed one: only those two. */
  write_vendor (f, TRUE, "V-PULL-1", "Pull Test Supply");
  list = cb_intacct_cache_list (f->db, f->profile->id, "VENDOR", NULL, &error);
  g_assert_no_error (error);
  write_vendor (f, FALSE, ((CbCachedRecord *) g_ptr_array_index (list, 0))->id,
                "Renamed By Pull Test");
  third = pull (f, vendors, CB_PULL_NONE);
  r = find (third, "VENDOR");
  g_assert_false (r->full);
  g_assert_cmpuint (r->fetched, ==, 2);
  g_assert_cmpuint (cb_intacct_cache_count (f->db, f->profile->id, "VENDOR"), ==, n_vendors + 1);
  cached = cb_intacct_cache_find (f->db, f->profile->id, "VENDOR",
                                  ((CbCachedRecord *) g_ptr_array_index (list, 0))->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cached->name, ==, "Renamed By Pull Test");
  g_clear_pointer (&cached, cb_cached_record_free);

  /* Deleted in Intacct: an incremental pull cannot see it, a full one removes it. */
  cached = cb_intacct_cache_find (f->db, f->profile->id, "VENDOR", "V-PULL-1", &error);
  g_assert_nonnull (cached);
  recordno = cached->recordno;
  g_assert_true (cb_intacct_client_delete (f->client, "VENDOR",
                                           (const char * const []) { recordno, NULL },
                                           NULL, &error));
  g_assert_no_error (error);
  fourth = pull (f, vendors, CB_PULL_NONE);
  g_assert_cmpuint (find (fourth, "VENDOR")->removed, ==, 0);
  g_assert_cmpuint (cb_intacct_cache_count (f->db, f->profile->id, "VENDOR"), ==, n_vendors + 1);

  fifth = pull (f, vendors, CB_PULL_FULL);
  r = find (fifth, "VENDOR");
  g_assert_true (r->full);
  g_assert_cmpuint (r->fetched, ==, n_vendors);
  g_assert_cmpuint (r->removed, ==, 1);
  g_assert_cmpuint (cb_intacct_cache_count (f->db, f->profile->id, "VENDOR"), ==, n_vendors);
  g_clear_pointer (&cached, cb_cached_record_free);
  cached = cb_intacct_cache_find (f->db, f->profile->id, "VENDOR", "V-PULL-1", &error);
  g_assert_no_error (error);
  g_assert_null (cached);
}

/* A denied permission skips that object with the reason; the others still pull. No
 * Construction subscription skips the construction objects with a note. */
static void
test_skipped (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CbPullResult) result = NULL;
  const CbPullObjectResult *r;

  cb_sandbox_deny_permission (f->sandbox, "ITEM", "read");
  cb_sandbox_set_construction_subscribed (f->sandbox, FALSE);
  result = pull (f, NULL, CB_PULL_NONE);

  r = find (result, "ITEM");
  g_assert_cmpint (r->state, ==, CB_PULL_STATE_SKIPPED);
  g_assert_error (r->error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (r->message, "may not read"));
  g_assert_null (cb_intacct_cache_last_refresh (f->db, f->profile->id, "ITEM"));
  g_assert_cmpuint (cb_intacct_cache_count (f->db, f->profile->id, "ITEM"), ==, 0);

  for (const char * const *o = (const char * const []) { "STANDARDTASK", "STANDARDCOSTTYPE",
                                                          "COSTTYPE", NULL }; *o; o++)
    {
      r = find (result, *o);
      g_assert_cmpint (r->state, ==, CB_PULL_STATE_SKIPPED);
      g_assert_nonnull (strstr (r->message, "Construction"));
    }

  for (const char * const *o = (const char * const []) { "VENDOR", "GLACCOUNT", "LOCATION",
                                                          "DEPARTMENT", NULL }; *o; o++)
    {
      r = find (result, *o);
      g_assert_cmpint (r->state, ==, CB_PULL_STATE_DONE);
      g_assert_cmpuint (r->fetched, ==, cb_sandbox_count_records (f->sandbox, *o, NULL, NULL));
    }
  g_assert_null (cb_pull_result_get_failure (result));
}

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  GPtrArray    *events;      /* "OBJECT state fetched/total" */
  GThread      *main_thread;
  guint64       cancel_after; /* cancel once this many vendors arrived; 0: never */
  CbPullResult *result;
  gboolean      notified;
} AsyncState;

static void
on_progress (const CbPullProgress *progress,
             gpointer              user_data)
{
  AsyncState *s = user_data;

  /* Delivered in the caller's context. */
  g_assert_true (g_thread_self () == s->main_thread);
  g_assert_cmpuint (progress->index, <, progress->n_objects);
  g_assert_nonnull (progress->display_name);
  g_ptr_array_add (s->events, g_strdup_printf ("%s %s %" G_GUINT64_FORMAT "/%" G_GINT64_FORMAT,
                                               progress->object,
                                               cb_pull_state_to_string (progress->state),
                                               progress->fetched, progress->total));
  if (s->cancel_after > 0 && strcmp (progress->object, "VENDOR") == 0 &&
      progress->fetched >= s->cancel_after)
    g_cancellable_cancel (s->cancellable);
}

static void
on_progress_notify (gpointer user_data)
{
  AsyncState *s = user_data;

  g_assert_true (g_thread_self () == s->main_thread);
  s->notified = TRUE;
}

static void
on_pulled (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  AsyncState *s = user_data;
  g_autoptr(GError) error = NULL;

  s->result = cb_intacct_pull_finish (res, &error);
  g_assert_no_error (error);
  g_main_loop_quit (s->loop);
}

static void
run_async (Fixture            *f,
           AsyncState         *s,
           const char * const *objects)
{
  s->loop = g_main_loop_new (NULL, FALSE);
  s->cancellable = g_cancellable_new ();
  s->events = g_ptr_array_new_with_free_func (g_free);
  s->main_thread = g_thread_self ();
  cb_intacct_pull_async (f->client, f->db, f->profile->id, objects, CB_PULL_NONE,
                         on_progress, s, on_progress_notify, s->cancellable, on_pulled, s);
  g_main_loop_run (s->loop);
  /* The progress data is released in this context too. */
  while (!s->notified)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (s->result);
}

static void
async_state_clear (AsyncState *s)
{
  g_main_loop_unref (s->loop);
  g_object_unref (s->cancellable);
  g_ptr_array_unref (s->events);
  cb_pull_result_free (s->result);
}

/* Progress events arrive in the caller's context, coalesced: a start and an end per object
 * at least, and not one per page. */
static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  AsyncState s = { 0 };
  g_autofree char *end = NULL;

  cb_sandbox_add_generated_vendors (f->sandbox, 20000);
  run_async (f, &s, (const char * const []) { "VENDOR", "GLACCOUNT", NULL });

  g_assert_false (s.result->cancelled);
  g_assert_cmpuint (find (s.result, "VENDOR")->fetched, ==,
                    cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL));
  g_assert_cmpuint (s.events->len, >=, 4);
  /* 21 pages of vendors, far fewer events than pages plus the ends, unless slow. */
  for (guint i = 0; i < s.events->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (s.events, i));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (s.events, 0), "VENDOR running 0/-1"));
  end = g_strdup_printf ("VENDOR done %u/%u",
                         cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL),
                         cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (s.events, end, g_str_equal, NULL));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (s.events, s.events->len - 1),
                                   "GLACCOUNT done"));
  async_state_clear (&s);
}

/* Cancel stops between pages; what was stored stays, the refresh time does not move, and
 * the next pull is full again. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  AsyncState s = { 0 };
  g_autoptr(CbPullResult) again = NULL;
  const CbPullObjectResult *r;
  guint n_vendors;
  guint n_cached;

  cb_sandbox_add_generated_vendors (f->sandbox, 10000);
  cb_sandbox_set_latency (f->sandbox, 100);
  n_vendors = cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL);
  s.cancel_after = 1;
  run_async (f, &s, (const char * const []) { "VENDOR", "GLACCOUNT", NULL });

  g_assert_true (s.result->cancelled);
  r = find (s.result, "VENDOR");
  g_assert_cmpint (r->state, ==, CB_PULL_STATE_CANCELLED);
  g_assert_cmpuint (r->fetched, >=, 1000);
  g_assert_cmpuint (r->fetched, <, n_vendors);
  g_assert_cmpint (find (s.result, "GLACCOUNT")->state, ==, CB_PULL_STATE_PENDING);
  n_cached = cb_intacct_cache_count (f->db, f->profile->id, "VENDOR");
  g_assert_cmpuint (n_cached, ==, r->fetched);
  g_assert_null (cb_intacct_cache_last_refresh (f->db, f->profile->id, "VENDOR"));
  g_assert_null (cb_intacct_cache_last_refresh (f->db, f->profile->id, "GLACCOUNT"));
  async_state_clear (&s);

  cb_sandbox_set_latency (f->sandbox, 0);
  again = pull (f, (const char * const []) { "VENDOR", NULL }, CB_PULL_NONE);
  r = find (again, "VENDOR");
  g_assert_true (r->full);
  g_assert_cmpuint (r->fetched, ==, n_vendors);
  g_assert_cmpuint (cb_intacct_cache_count (f->db, f->profile->id, "VENDOR"), ==, n_vendors);
}

static void
test_unknown_object (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPullResult) result = NULL;

  result = cb_intacct_pull_run (f->client, f->db, f->profile->id,
                                (const char * const []) { "vendor", "WIDGET", NULL },
                                CB_PULL_NONE, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "WIDGET"));
  /* Nothing was asked of the gateway. */
  g_assert_cmpuint (cb_sandbox_get_request_count (f->sandbox), ==, 0);
}

/* A gateway that stops answering fails the object in words, and the pull stops there. */
static void
test_network_failure (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CbPullResult) result = NULL;
  const GError *failure;

  cb_intacct_client_set_max_retries (f->client, 1);
  cb_sandbox_add_fault (f->sandbox, CB_SANDBOX_FAULT_HTTP_503, 0, 100);
  result = pull (f, (const char * const []) { "VENDOR", "GLACCOUNT", NULL }, CB_PULL_NONE);
  g_assert_cmpint (find (result, "VENDOR")->state, ==, CB_PULL_STATE_FAILED);
  g_assert_nonnull (find (result, "VENDOR")->message);
  g_assert_cmpint (find (result, "GLACCOUNT")->state, ==, CB_PULL_STATE_PENDING);
  failure = cb_pull_result_get_failure (result);
  g_assert_nonnull (failure);
  g_assert_null (cb_intacct_cache_last_refresh (f->db, f->profile->id, "VENDOR"));
  cb_sandbox_clear_faults (f->sandbox);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/pull/first", test_first_pull);
  ADD ("/pull/incremental-and-deletion", test_incremental_and_deletion);
  ADD ("/pull/skipped", test_skipped);
  ADD ("/pull/progress", test_progress);
  ADD ("/pull/cancel", test_cancel);
  ADD ("/pull/unknown-object", test_unknown_object);
  ADD ("/pull/network-failure", test_network_failure);
#undef ADD

  return g_test_run ();
}
