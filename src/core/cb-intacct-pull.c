/* cb-intacct-pull.c: see cb-intacct-pull.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-intacct-pull"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-error.h"
#include "cb-intacct-cache.h"
#include "cb-intacct-objects.h"
#include "cb-intacct-pager.h"
#include "cb-intacct-pull.h"

#define ENTITY_OBJECT     "LOCATIONENTITY"
#define PAGE_SIZE         1000   /* readByQuery's largest page (REFERENCE.md 4.1) */
#define PROGRESS_INTERVAL (G_USEC_PER_SEC / 5)

static const char * const default_objects[] = {
  "VENDOR", "STANDARDTASK", "STANDARDCOSTTYPE", "PROJECT", "TASK", "COSTTYPE",
  "GLACCOUNT", "LOCATION", "DEPARTMENT", "ITEM", ENTITY_OBJECT, NULL
};

const char * const *
cb_intacct_pull_default_objects (void)
{
  return default_objects;
}

const char *
cb_pull_state_to_string (CbPullState state)
{
  switch (state)
    {
    case CB_PULL_STATE_PENDING: return "pending";
    case CB_PULL_STATE_RUNNING: return "running";
    case CB_PULL_STATE_DONE: return "done";
    case CB_PULL_STATE_SKIPPED: return "skipped";
    case CB_PULL_STATE_FAILED: return "failed";
    case CB_PULL_STATE_CANCELLED: return "cancelled";
    default: return "unknown";
    }
}

static void
object_result_free (CbPullObjectResult *self)
{
  g_free (self->object);
  g_free (self->message);
  g_clear_error (&self->error);
  g_clear_pointer (&self->refreshed_at, g_date_time_unref);
  g_free (self);
}

void
cb_pull_result_free (CbPullResult *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->objects, g_ptr_array_unref);
  g_free (self);
}

const CbPullObjectResult *
cb_pull_result_find (const CbPullResult *self,
                     const char         *object)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (object != NULL, NULL);

  for (guint i = 0; i < self->objects->len; i++)
    {
      const CbPullObjectResult *r = g_ptr_array_index (self->objects, i);

      if (g_ascii_strcasecmp (r->object, object) == 0)
        return r;
    }
  return NULL;
}

const GError *
cb_pull_result_get_failure (const CbPullResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->objects->len; i++)
    {
      const CbPullObjectResult *r = g_ptr_array_index (self->objects, i);

      if (r->state == CB_PULL_STATE_FAILED && r->error != NULL)
        return r->error;
    }
  return NULL;
}

static const char *
display_name (const char *object)
{
  const CbIntacctObjectInfo *info;

  info = cb_intacct_object_lookup (object);
  return info != NULL && info->display_name != NULL ? _(info->display_name) : object;
}

/* The canonical names of @objects, or NULL with @error for an unknown one. */
static GStrv
resolve_objects (const char * const  *objects,
                 GError             **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (objects == NULL)
    objects = default_objects;
  for (guint i = 0; objects[i] != NULL; i++)
    {
      const CbIntacctObjectInfo *info;
      g_autofree char *name = g_strstrip (g_ascii_strup (objects[i], -1));

      if (*name == '\0')
        continue;
      if (strcmp (name, "ENTITY") == 0 || strcmp (name, "ENTITIES") == 0)
        {
          g_free (name);
          name = g_strdup (ENTITY_OBJECT);
        }
      info = cb_intacct_object_lookup (name);
      if (info == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an Intacct object Costbridge can pull"), objects[i]);
          return NULL;
        }
      g_strv_builder_add (builder, info->name);
    }
  return g_strv_builder_end (builder);
}

typedef struct
{
  CbPullProgressFunc  func;
  gpointer            data;
  gint64              last_emit;
  CbPullProgress      progress;
} Reporter;

static void
report (Reporter                 *reporter,
        const CbPullObjectResult *r,
        guint                     index,
        guint                     n_objects,
        gboolean                  force)
{
  gint64 now;

  if (reporter->func == NULL)
    return;
  now = g_get_monotonic_time ();
  if (!force && now - reporter->last_emit < PROGRESS_INTERVAL)
    return;
  reporter->last_emit = now;

  reporter->progress.object = r->object;
  reporter->progress.display_name = display_name (r->object);
  reporter->progress.index = index;
  reporter->progress.n_objects = n_objects;
  reporter->progress.state = r->state;
  reporter->progress.fetched = r->fetched;
  reporter->progress.total = r->total;
  reporter->progress.message = r->message;
  reporter->func (&reporter->progress, reporter->data);
}

static gboolean
is_not_subscribed (const GError *error)
{
  if (g_error_matches (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_NOT_SUBSCRIBED))
    return TRUE;
  /* Intacct says an object it does not know has no "object definition". */
  return g_error_matches (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_NOT_FOUND) &&
         error->message != NULL && strstr (error->message, "object definition") != NULL;
}

/* Sorts out an object's failure: skipped (the others still pull) or failed. Returns TRUE
 * when the whole pull should stop (the gateway, the session or the store is in trouble). */
static gboolean
settle_failure (CbPullObjectResult *r,
                GError             *error,   /* transfer full */
                gboolean            needs_construction)
{
  r->error = error;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      r->state = CB_PULL_STATE_CANCELLED;
      g_clear_error (&r->error);
      return TRUE;
    }
  if (is_not_subscribed (error))
    {
      r->state = CB_PULL_STATE_SKIPPED;
      r->message = g_strdup (needs_construction
                             ? _("Skipped: the company has no Construction subscription")
                             : _("Skipped: the company has no subscription for this object"));
      return FALSE;
    }
  if (g_error_matches (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_PERMISSION_DENIED))
    {
      r->state = CB_PULL_STATE_SKIPPED;
      r->message = g_strdup_printf (_("Skipped: the Web Services user may not read %s "
                                      "(grant it in the user’s role, Company > Roles)"),
                                    display_name (r->object));
      return FALSE;
    }
  r->state = CB_PULL_STATE_FAILED;
  r->message = g_strdup_printf (_("Could not read %s: %s"), display_name (r->object),
                                error->message);
  /* A problem with one object's records (a bad record, an object Intacct cannot find)
   * leaves the others worth trying; anything else would fail them all the same way. */
  return !(g_error_matches (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_NOT_FOUND) ||
           g_error_matches (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID));
}

/* "WHENMODIFIED >= 'mm/dd/yyyy hh:mm:ss'" for records changed since @since, less the
 * overlap, in local time (as Intacct shows times to the user). */
static char *
modified_since_query (GDateTime *since)
{
  g_autoptr(GDateTime) from = g_date_time_add_hours (since, -CB_INTACCT_PULL_OVERLAP_HOURS);
  g_autoptr(GDateTime) local = g_date_time_to_local (from);
  g_autofree char *text = g_date_time_format (local, "%m/%d/%Y %H:%M:%S");

  return g_strdup_printf ("WHENMODIFIED >= '%s'", text);
}

static char *
fields_with_modified (const CbIntacctObjectInfo *info)
{
  g_autofree char *fields = cb_intacct_object_dup_fields_string (info);

  if (g_strv_contains ((const char * const *) info->select_fields, "WHENMODIFIED"))
    return g_steal_pointer (&fields);
  return g_strconcat (fields, ",WHENMODIFIED", NULL);
}

static void
add_seen (GHashTable *seen,
          GPtrArray  *page)
{
  if (seen == NULL)
    return;
  for (guint i = 0; i < page->len; i++)
    {
      const char *recordno = cb_intacct_record_get_field (g_ptr_array_index (page, i),
                                                          "RECORDNO");

      if (recordno != NULL)
        g_hash_table_add (seen, g_strdup (recordno));
    }
}

/* Pulls one object. Returns TRUE when the whole pull should stop. */
static gboolean
pull_object (CbIntacctClient    *client,
             CbDatabase         *db,
             const char         *profile_id,
             CbPullObjectResult *r,
             guint               index,
             guint               n_objects,
             CbPullFlags         flags,
             Reporter           *reporter,
             GCancellable       *cancellable)
{
  const CbIntacctObjectInfo *info = cb_intacct_object_lookup (r->object);
  /* Whole seconds, as the cache keeps it. */
  g_autoptr(GDateTime) started = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr(GDateTime) last = cb_intacct_cache_last_refresh (db, profile_id, r->object);
  g_autoptr(GDateTime) last_full = cb_intacct_cache_last_full_refresh (db, profile_id, r->object);
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_entities = strcmp (r->object, ENTITY_OBJECT) == 0;

  r->full = is_entities || (flags & CB_PULL_FULL) != 0 || last == NULL || last_full == NULL ||
            g_date_time_difference (started, last_full) > CB_INTACCT_PULL_FULL_DAYS * G_TIME_SPAN_DAY;
  if (r->full)
    seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  r->state = CB_PULL_STATE_RUNNING;
  report (reporter, r, index, n_objects, TRUE);

  if (is_entities)
    {
      g_autoptr(GPtrArray) entities = cb_intacct_client_list_entities (client, cancellable, &error);

      if (entities != NULL)
        {
          r->total = entities->len;
          if (cb_intacct_cache_store_page (db, profile_id, r->object, entities, &error))
            {
              r->fetched = entities->len;
              add_seen (seen, entities);
            }
        }
    }
  else
    {
      g_autofree char *fields = fields_with_modified (info);
      g_autofree char *query = r->full ? g_strdup ("") : modified_since_query (last);
      g_autoptr(CbIntacctPager) pager = NULL;

      g_debug ("Pulling %s: %s", r->object, r->full ? "full" : query);
      pager = cb_intacct_pager_new_read_by_query (client, r->object, fields, query, PAGE_SIZE);
      while (!cb_intacct_pager_is_done (pager))
        {
          g_autoptr(GPtrArray) page = NULL;

          /* Stops between pages: what was stored stays. */
          if (g_cancellable_set_error_if_cancelled (cancellable, &error))
            break;
          page = cb_intacct_pager_next (pager, cancellable, &error);
          if (page == NULL)
            break;
          r->total = cb_intacct_pager_get_total (pager);
          if (!cb_intacct_cache_store_page (db, profile_id, r->object, page, &error))
            break;
          r->fetched += page->len;
          add_seen (seen, page);
          report (reporter, r, index, n_objects, FALSE);
        }
      if (r->total < 0)
        r->total = cb_intacct_pager_get_total (pager);
    }

  if (error == NULL &&
      !cb_intacct_cache_finish_pull (db, profile_id, r->object, started, seen, &r->removed,
                                     &error))
    g_prefix_error (&error, _("Could not keep %s: "), display_name (r->object));

  if (error != NULL)
    {
      gboolean stop = settle_failure (r, g_steal_pointer (&error),
                                      info != NULL && info->needs_construction);

      r->refreshed_at = g_steal_pointer (&last);
      report (reporter, r, index, n_objects, TRUE);
      return stop;
    }

  r->state = CB_PULL_STATE_DONE;
  r->refreshed_at = g_steal_pointer (&started);
  report (reporter, r, index, n_objects, TRUE);
  return FALSE;
}

CbPullResult *
cb_intacct_pull_run (CbIntacctClient     *client,
                     CbDatabase          *db,
                     const char          *profile_id,
                     const char * const  *objects,
                     CbPullFlags          flags,
                     CbPullProgressFunc   progress,
                     gpointer             progress_data,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autoptr(CbPullResult) result = NULL;
  g_auto(GStrv) names = NULL;
  Reporter reporter = { progress, progress_data, 0, { 0 } };
  gint64 start = g_get_monotonic_time ();
  guint n;
  gboolean stopped = FALSE;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (client), NULL);
  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  names = resolve_objects (objects, error);
  if (names == NULL)
    return NULL;
  n = g_strv_length (names);

  result = g_new0 (CbPullResult, 1);
  result->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) object_result_free);
  for (guint i = 0; i < n; i++)
    {
      CbPullObjectResult *r = g_new0 (CbPullObjectResult, 1);

      r->object = g_strdup (names[i]);
      r->state = CB_PULL_STATE_PENDING;
      r->total = -1;
      g_ptr_array_add (result->objects, r);
    }

  for (guint i = 0; i < n && !stopped; i++)
    {
      CbPullObjectResult *r = g_ptr_array_index (result->objects, i);

      if (g_cancellable_is_cancelled (cancellable))
        break;
      stopped = pull_object (client, db, profile_id, r, i, n, flags, &reporter, cancellable);
      result->fetched += r->fetched;
    }

  /* What was not reached keeps its last refresh time, for the caller to show. */
  for (guint i = 0; i < n; i++)
    {
      CbPullObjectResult *r = g_ptr_array_index (result->objects, i);

      if (r->state == CB_PULL_STATE_PENDING)
        r->refreshed_at = cb_intacct_cache_last_refresh (db, profile_id, r->object);
      if (r->state == CB_PULL_STATE_CANCELLED)
        result->cancelled = TRUE;
    }
  if (g_cancellable_is_cancelled (cancellable))
    result->cancelled = TRUE;

  result->elapsed_us = g_get_monotonic_time () - start;
  return g_steal_pointer (&result);
}

/* ---- on a worker thread ------------------------------------------------------------------ */

typedef struct
{
  CbIntacctClient    *client;
  char               *db_path;
  char               *profile_id;
  GStrv               objects;
  CbPullFlags         flags;
  CbPullProgressFunc  progress;
  gpointer            progress_data;
  GDestroyNotify      progress_notify;
  GMainContext       *context;
} PullData;

/* Always through a source: g_main_context_invoke() would run it right here when this
 * thread can acquire the context, which a worker can for the global default one. */
static void
attach_idle (GMainContext   *context,
             GSourceFunc     func,
             gpointer        data,
             GDestroyNotify  notify)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[cb-intacct-pull] progress");
  g_source_attach (source, context);
}

typedef struct
{
  GDestroyNotify notify;
  gpointer       data;
} Notify;

static gboolean
run_notify (gpointer user_data)
{
  Notify *n = user_data;

  n->notify (n->data);
  g_free (n);
  return G_SOURCE_REMOVE;
}

static void
pull_data_free (PullData *data)
{
  g_clear_object (&data->client);
  g_free (data->db_path);
  g_free (data->profile_id);
  g_strfreev (data->objects);
  if (data->progress_notify != NULL)
    {
      /* The task may end on the worker thread; progress data belongs to the caller's. */
      Notify *n = g_new0 (Notify, 1);

      n->notify = data->progress_notify;
      n->data = data->progress_data;
      attach_idle (data->context, run_notify, n, NULL);
    }
  g_main_context_unref (data->context);
  g_free (data);
}

/* A copy of a progress event, delivered in the caller's context. */
typedef struct
{
  CbPullProgress      progress;
  char               *object;
  char               *display_name;
  char               *message;
  CbPullProgressFunc  func;
  gpointer            data;
  GTask              *task;   /* keeps progress_data alive until delivered */
} ProgressEvent;

static void
progress_event_free (ProgressEvent *event)
{
  g_free (event->object);
  g_free (event->display_name);
  g_free (event->message);
  g_clear_object (&event->task);
  g_free (event);
}

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressEvent *event = user_data;

  event->func (&event->progress, event->data);
  return G_SOURCE_REMOVE;
}

static void
forward_progress (const CbPullProgress *progress,
                  gpointer              user_data)
{
  GTask *task = user_data;
  PullData *data = g_task_get_task_data (task);
  ProgressEvent *event = g_new0 (ProgressEvent, 1);

  event->progress = *progress;
  event->object = g_strdup (progress->object);
  event->display_name = g_strdup (progress->display_name);
  event->message = g_strdup (progress->message);
  event->progress.object = event->object;
  event->progress.display_name = event->display_name;
  event->progress.message = event->message;
  event->func = data->progress;
  event->data = data->progress_data;
  event->task = g_object_ref (task);
  attach_idle (data->context, deliver_progress, event, (GDestroyNotify) progress_event_free);
}

static void
pull_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PullData *data = task_data;
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  CbPullResult *result;

  /* One connection per thread. */
  db = cb_database_open (data->db_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result = cb_intacct_pull_run (data->client, db, data->profile_id,
                                (const char * const *) data->objects, data->flags,
                                data->progress != NULL ? forward_progress : NULL, task,
                                cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, (GDestroyNotify) cb_pull_result_free);
}

void
cb_intacct_pull_async (CbIntacctClient     *client,
                       CbDatabase          *db,
                       const char          *profile_id,
                       const char * const  *objects,
                       CbPullFlags          flags,
                       CbPullProgressFunc   progress,
                       gpointer             progress_data,
                       GDestroyNotify       progress_notify,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PullData *data;

  g_return_if_fail (CB_IS_INTACCT_CLIENT (client));
  g_return_if_fail (CB_IS_DATABASE (db));
  g_return_if_fail (profile_id != NULL);

  data = g_new0 (PullData, 1);
  data->client = g_object_ref (client);
  data->db_path = g_strdup (cb_database_get_path (db));
  data->profile_id = g_strdup (profile_id);
  data->objects = g_strdupv ((char **) objects);
  data->flags = flags;
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_notify = progress_notify;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_intacct_pull_async);
  g_task_set_task_data (task, data, (GDestroyNotify) pull_data_free);
  /* Cancel is reported through the result (what was stored stays), not as an error. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, pull_thread);
}

CbPullResult *
cb_intacct_pull_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cb_intacct_pull_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
