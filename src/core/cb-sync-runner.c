/* cb-sync-runner.c: see cb-sync-runner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-sync-runner"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "cb-mapping-store.h"
#include "cb-sync-runner.h"

#define EMIT_INTERVAL_US (200 * G_TIME_SPAN_MILLISECOND)
#define LOOKUPS_PER_REQUEST 50
/* Sends of one stage (a lost answer, looked up and not found, is sent again). */
#define MAX_PASSES 3

/* ---- progress and the maintenance window ----------------------------------------------- */

char *
cb_sync_progress_describe (const CbSyncProgress *progress)
{
  switch (progress->stage)
    {
    case CB_SYNC_STAGE_IDLE: return g_strdup (_("Waiting"));
    case CB_SYNC_STAGE_PLANNING: return g_strdup (_("Planning…"));
    case CB_SYNC_STAGE_CONNECTING: return g_strdup (_("Connecting to Intacct…"));
    case CB_SYNC_STAGE_SETTLING:
      return g_strdup (_("Checking in Intacct what an interrupted run may have written…"));
    case CB_SYNC_STAGE_SENDING:
      return g_strdup_printf (_("Sending %s (%u of %u)…"),
                              cb_plan_kind_get_label (progress->kind), progress->done,
                              progress->total);
    case CB_SYNC_STAGE_FINISHED:
      return g_strdup_printf (_("Finished: %u of %u, %u failed"), progress->done,
                              progress->total, progress->failed);
    default: break;
    }
  return g_strdup ("");
}

static const char * const day_names[] = {
  "every-day", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

gboolean
cb_maintenance_window_parse (const char          *text,
                             CbMaintenanceWindow *window,
                             GError             **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_auto(GStrv) parts = g_strsplit_set (copy, " \t", -1);
  guint64 hour = 0, hours = 0;
  int day = -2;

  memset (window, 0, sizeof *window);
  window->day = -1;
  if (parts[0] == NULL || g_ascii_strcasecmp (parts[0], "none") == 0 || *parts[0] == '\0')
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (day_names); i++)
    if (g_ascii_strcasecmp (parts[0], day_names[i]) == 0 ||
        (strlen (parts[0]) == 3 && g_ascii_strncasecmp (parts[0], day_names[i], 3) == 0 && i > 0))
      day = i;
  if (day < 0 || g_strv_length (parts) != 3)
    goto bad;
  {
    g_auto(GStrv) hm = g_strsplit (parts[1], ":", 2);
    g_autofree char *h = g_strdup (parts[2]);

    if (!g_ascii_string_to_unsigned (hm[0], 10, 0, 23, &hour, NULL))
      goto bad;
    if (h[0] && (h[strlen (h) - 1] == 'h'))
      h[strlen (h) - 1] = '\0';
    if (!g_ascii_string_to_unsigned (h, 10, 1, 24, &hours, NULL))
      goto bad;
  }
  window->day = day;
  window->hour = hour;
  window->duration_hours = hours;
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a maintenance window: write a day (every-day, monday … sunday), "
                 "a start hour and a number of hours, e.g. “sunday 2 4”"), text);
  return FALSE;
}

gboolean
cb_maintenance_window_contains (const CbMaintenanceWindow *window,
                                GDateTime                 *now,
                                GDateTime                **ends)
{
  g_autoptr(GDateTime) local = NULL;

  if (window == NULL || window->day < 0 || window->duration_hours == 0)
    return FALSE;
  local = g_date_time_to_local (now);
  /* look at the windows that started today and on the days before */
  for (int back = 0; back <= 1 + (int) window->duration_hours / 24; back++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (local, -back);
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;

      if (window->day > 0 && g_date_time_get_day_of_week (day) != window->day)
        continue;
      start = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                     g_date_time_get_day_of_month (day), window->hour, 0, 0);
      end = g_date_time_add_hours (start, window->duration_hours);
      if (g_date_time_compare (local, start) >= 0 && g_date_time_compare (local, end) < 0)
        {
          if (ends)
            *ends = g_steal_pointer (&end);
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- the object -------------------------------------------------------------------------- */

struct _CbSyncRunner
{
  GObject              parent_instance;

  char                *db_path;
  CbProfile           *profile;
  CbIntacctClient     *client;
  guint                batch_size;
  char                *trigger;
  CbMaintenanceWindow  maintenance;
  gboolean             maintenance_wait;

  GMutex               lock;          /* guards everything below */
  GCancellable        *cancellable;   /* the run's, while running */
  gboolean             running;
  gint64               run_id;
  CbSyncProgress       progress;      /* the worker's latest */
  CbSyncProgress       delivered;     /* the last one emitted */
  GPtrArray           *queued_items;  /* CbRunItem, not emitted yet */
  GSource             *emit_source;
  GMainContext        *context;
  gint64               last_emit;
};

G_DEFINE_FINAL_TYPE (CbSyncRunner, cb_sync_runner, G_TYPE_OBJECT)

enum { SIGNAL_PROGRESS, SIGNAL_ITEM, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Profiles with a run in this process. */
static GMutex busy_lock;
static GHashTable *busy_profiles;

static void
cb_sync_runner_finalize (GObject *object)
{
  CbSyncRunner *self = CB_SYNC_RUNNER (object);

  g_free (self->db_path);
  cb_profile_free (self->profile);
  g_clear_object (&self->client);
  g_free (self->trigger);
  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->queued_items);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (cb_sync_runner_parent_class)->finalize (object);
}

static void
cb_sync_runner_class_init (CbSyncRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_sync_runner_finalize;

  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_ITEM] = g_signal_new ("item", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
cb_sync_runner_init (CbSyncRunner *self)
{
  g_mutex_init (&self->lock);
  self->batch_size = 50;
  self->trigger = g_strdup ("app");
  self->maintenance.day = -1;
  self->queued_items = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_run_item_free);
  self->progress.seconds_left = -1;
  self->delivered.seconds_left = -1;
}

CbSyncRunner *
cb_sync_runner_new (const char      *db_path,
                    const CbProfile *profile,
                    CbIntacctClient *client)
{
  CbSyncRunner *self = g_object_new (CB_TYPE_SYNC_RUNNER, NULL);

  self->db_path = g_strdup (db_path);
  self->profile = cb_profile_copy (profile);
  self->client = g_object_ref (client);
  return self;
}

void
cb_sync_runner_set_batch_size (CbSyncRunner *self,
                               guint         batch_size)
{
  self->batch_size = CLAMP (batch_size, 1, 50);
}

void
cb_sync_runner_set_trigger (CbSyncRunner *self,
                            const char   *trigger)
{
  g_free (self->trigger);
  self->trigger = g_strdup (trigger ? trigger : "app");
}

void
cb_sync_runner_set_maintenance (CbSyncRunner              *self,
                                const CbMaintenanceWindow *window,
                                gboolean                   wait)
{
  if (window)
    self->maintenance = *window;
  else
    self->maintenance.day = -1;
  self->maintenance_wait = wait;
}

gboolean
cb_sync_runner_is_running (CbSyncRunner *self)
{
  gboolean running;

  g_mutex_lock (&self->lock);
  running = self->running;
  g_mutex_unlock (&self->lock);
  return running;
}

gint64
cb_sync_runner_get_run_id (CbSyncRunner *self)
{
  gint64 id;

  g_mutex_lock (&self->lock);
  id = self->run_id;
  g_mutex_unlock (&self->lock);
  return id;
}

void
cb_sync_runner_get_progress (CbSyncRunner   *self,
                             CbSyncProgress *progress)
{
  g_mutex_lock (&self->lock);
  *progress = self->delivered;
  g_mutex_unlock (&self->lock);
}

void
cb_sync_runner_cancel (CbSyncRunner *self)
{
  g_mutex_lock (&self->lock);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_mutex_unlock (&self->lock);
}

/* ---- coalesced delivery to the caller's context ------------------------------------------ */

static gboolean
emit_cb (gpointer data)
{
  CbSyncRunner *self = data;
  g_autoptr(GPtrArray) items = NULL;
  CbSyncProgress progress;

  g_mutex_lock (&self->lock);
  items = g_steal_pointer (&self->queued_items);
  self->queued_items = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_run_item_free);
  progress = self->progress;
  self->delivered = progress;
  if (self->emit_source != NULL)
    g_source_destroy (self->emit_source);
  g_clear_pointer (&self->emit_source, g_source_unref);
  self->last_emit = g_get_monotonic_time ();
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < items->len; i++)
    g_signal_emit (self, signals[SIGNAL_ITEM], 0, g_ptr_array_index (items, i));
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, &progress);
  return G_SOURCE_REMOVE;
}

/* Worker side: call with the lock held. */
static void
schedule_emit_locked (CbSyncRunner *self,
                      gboolean      now)
{
  gint64 wait = self->last_emit + EMIT_INTERVAL_US - g_get_monotonic_time ();

  if (self->context == NULL)
    return;
  if (self->emit_source != NULL)
    {
      if (!now)
        return;
      g_source_destroy (self->emit_source);
      g_clear_pointer (&self->emit_source, g_source_unref);
    }
  if (now || wait <= 0)
    self->emit_source = g_idle_source_new ();
  else
    self->emit_source = g_timeout_source_new ((guint) (wait / 1000) + 1);
  g_source_set_priority (self->emit_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->emit_source, emit_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (self->emit_source, "[cb-sync-runner] progress");
  g_source_attach (self->emit_source, self->context);
}

/* ---- the worker --------------------------------------------------------------------------- */

typedef struct
{
  guint        seq;
  CbPlanKind   kind;
  CbPlanAction action;
  guint        stage;
  char        *key;
  char        *job_id;
  char        *label;
  char        *intacct_id;
  char        *intacct_parent;
  char        *intacct_recordno;
  CbIntacctRecord *record;
  GStrv        depends_on;
  char        *idem;
  CbItemState  state;
  char        *intacct_key;
  char        *error;
  guint        attempts;
} Item;

static void
item_free (Item *item)
{
  g_free (item->key);
  g_free (item->job_id);
  g_free (item->label);
  g_free (item->intacct_id);
  g_free (item->intacct_parent);
  g_free (item->intacct_recordno);
  g_clear_pointer (&item->record, cb_intacct_record_unref);
  g_strfreev (item->depends_on);
  g_free (item->idem);
  g_free (item->intacct_key);
  g_free (item->error);
  g_free (item);
}

typedef enum { MODE_NEW, MODE_RESUME, MODE_RETRY } Mode;

typedef struct
{
  Mode         mode;
  CbPlan      *plan;
  gint64       run_id;       /* resume/retry: the given run; then the run's */
  CbDatabase  *db;
  GPtrArray   *items;        /* Item, in seq order */
  GHashTable  *by_key;       /* key → Item */
  guint        requests;
  gint64       started;      /* monotonic */
  guint        settled_at_start;
} Run;

static void
run_free (Run *run)
{
  g_clear_pointer (&run->plan, cb_plan_unref);
  g_clear_object (&run->db);
  g_clear_pointer (&run->items, g_ptr_array_unref);
  g_clear_pointer (&run->by_key, g_hash_table_unref);
  g_free (run);
}

static gboolean
is_settled (CbItemState s)
{
  return s == CB_ITEM_STATE_DONE || s == CB_ITEM_STATE_FAILED || s == CB_ITEM_STATE_SKIPPED;
}

static void
report (CbSyncRunner *self,
        Run          *run,
        Item         *item,
        CbSyncStage   stage,
        CbPlanKind    kind,
        gboolean      now)
{
  CbSyncProgress *p = &self->progress;
  guint done = 0, failed = 0, unsure = 0, total = 0;
  double elapsed = (g_get_monotonic_time () - run->started) / (double) G_USEC_PER_SEC;

  for (guint i = 0; run->items && i < run->items->len; i++)
    {
      Item *it = g_ptr_array_index (run->items, i);

      if (it->state == CB_ITEM_STATE_BLOCKED)
        continue;
      total++;
      done += is_settled (it->state);
      failed += it->state == CB_ITEM_STATE_FAILED;
      unsure += it->state == CB_ITEM_STATE_UNSURE;
    }
  g_mutex_lock (&self->lock);
  now = now || p->stage != stage || p->kind != kind;
  p->run_id = run->run_id;
  p->stage = stage;
  p->kind = kind;
  p->done = done;
  p->total = total;
  p->failed = failed;
  p->unsure = unsure;
  p->requests = run->requests;
  p->rate = elapsed > 0.05 ? (done - MIN (done, run->settled_at_start)) / elapsed : 0;
  p->seconds_left = p->rate > 0 ? (total - done) / p->rate : -1;
  if (item != NULL)
    {
      CbRunItem ri = {
        run->run_id, item->seq, item->kind, item->action, item->key, item->job_id, item->label,
        (char *) cb_plan_kind_intacct_object (item->kind), item->intacct_id, item->intacct_parent,
        item->state, item->idem, item->intacct_key, item->error, item->attempts, NULL,
      };
      g_ptr_array_add (self->queued_items, cb_run_item_copy (&ri));
    }
  schedule_emit_locked (self, now);
  g_mutex_unlock (&self->lock);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
exec_stmt (CbDatabase    *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      cb_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Writes the items' state, key, error and attempts. */
static gboolean
save_items (Run        *run,
            Item      **items,
            guint       n_items,
            GError    **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  if (!cb_database_begin (run->db, error))
    return FALSE;
  stmt = cb_database_prepare (run->db, "UPDATE sync_items SET state = ?, intacct_key = ?, "
                                       "error = ?, attempts = ?, updated = ? "
                                       "WHERE run_id = ? AND seq = ?", error);
  if (stmt == NULL)
    {
      cb_database_rollback (run->db);
      return FALSE;
    }
  for (guint i = 0; i < n_items && ok; i++)
    {
      Item *it = items[i];

      sqlite3_bind_text (stmt, 1, cb_item_state_to_string (it->state), -1, SQLITE_STATIC);
      cb_database_bind_text (stmt, 2, it->intacct_key);
      cb_database_bind_text (stmt, 3, it->error);
      sqlite3_bind_int (stmt, 4, it->attempts);
      sqlite3_bind_int64 (stmt, 5, now_unix ());
      sqlite3_bind_int64 (stmt, 6, run->run_id);
      sqlite3_bind_int (stmt, 7, it->seq);
      ok = exec_stmt (run->db, stmt, error);
    }
  sqlite3_finalize (stmt);
  if (ok)
    {
      stmt = cb_database_prepare (run->db, "UPDATE sync_runs SET requests = ? WHERE id = ?", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int (stmt, 1, run->requests);
          sqlite3_bind_int64 (stmt, 2, run->run_id);
          ok = exec_stmt (run->db, stmt, error);
          sqlite3_finalize (stmt);
        }
    }
  if (!ok)
    {
      cb_database_rollback (run->db);
      return FALSE;
    }
  return cb_database_commit (run->db, error);
}

static gboolean
save_item (Run     *run,
           Item    *item,
           GError **error)
{
  return save_items (run, &item, 1, error);
}

static gboolean
set_run_state (Run        *run,
               CbRunState  state,
               const char *message,
               double      duration,
               GError    **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = cb_database_prepare (run->db, "UPDATE sync_runs SET state = ?, message = ?, "
                                       "ended = ?, duration = duration + ?, requests = ?, "
                                       "owner_pid = CASE WHEN ?1 = 'running' THEN owner_pid "
                                       "ELSE NULL END WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cb_run_state_to_string (state), -1, SQLITE_STATIC);
  cb_database_bind_text (stmt, 2, message);
  if (state == CB_RUN_STATE_RUNNING)
    sqlite3_bind_null (stmt, 3);
  else
    sqlite3_bind_int64 (stmt, 3, now_unix ());
  sqlite3_bind_double (stmt, 4, duration);
  sqlite3_bind_int (stmt, 5, run->requests);
  sqlite3_bind_int64 (stmt, 6, run->run_id);
  ok = exec_stmt (run->db, stmt, error);
  sqlite3_finalize (stmt);
  return ok;
}

/* Whether another live run of the profile exists; marks dead ones interrupted. */
static gboolean
check_busy (Run         *run,
            const char  *profile_id,
            GError     **error)
{
  g_autoptr(GPtrArray) runs = cb_run_store_list_runs (run->db, profile_id, 20, error);
  sqlite3_stmt *stmt;

  if (runs == NULL)
    return FALSE;
  for (guint i = 0; i < runs->len; i++)
    {
      CbRun *r = g_ptr_array_index (runs, i);

      if (r->state == CB_RUN_STATE_RUNNING)
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, r->id);

          /* Translators: %s is the number of a sync run */
          g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_BUSY,
                       _("Run %s of this company is still in progress; "
                         "wait for it to end, or cancel it"), id);
          return FALSE;
        }
    }
  /* runs of dead processes */
  stmt = cb_database_prepare (run->db, "SELECT id, owner_pid, owner_host FROM sync_runs "
                                       "WHERE profile_id = ? AND state = 'running'", error);
  if (stmt == NULL)
    return FALSE;
  cb_database_bind_text (stmt, 1, profile_id);
  {
    g_autoptr(GArray) dead = g_array_new (FALSE, FALSE, sizeof (gint64));

    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (dead, id);
      }
    sqlite3_finalize (stmt);
    for (guint i = 0; i < dead->len; i++)
      {
        g_autofree char *sql = g_strdup_printf ("UPDATE sync_runs SET state = 'interrupted', "
                                                "owner_pid = NULL, message = coalesce(message, "
                                                "'%s') WHERE id = %" G_GINT64_FORMAT,
                                                "The run stopped before it finished.",
                                                g_array_index (dead, gint64, i));

        if (!cb_database_exec (run->db, sql, error))
          return FALSE;
      }
  }
  return TRUE;
}

static gboolean
insert_run (CbSyncRunner *self,
            Run          *run,
            gint64        retry_of,
            GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *items = cb_plan_get_items (run->plan);
  gboolean ok;

  stmt = cb_database_prepare (run->db, "INSERT INTO sync_runs (profile_id, state, trigger, "
                                       "retry_of, started, owner_pid, owner_host) "
                                       "VALUES (?, 'running', ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  cb_database_bind_text (stmt, 1, self->profile->id);
  cb_database_bind_text (stmt, 2, self->trigger);
  if (retry_of > 0)
    sqlite3_bind_int64 (stmt, 3, retry_of);
  sqlite3_bind_int64 (stmt, 4, now_unix ());
  sqlite3_bind_int64 (stmt, 5, getpid ());
  cb_database_bind_text (stmt, 6, g_get_host_name ());
  ok = exec_stmt (run->db, stmt, error);
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;
  run->run_id = sqlite3_last_insert_rowid (cb_database_get_handle (run->db));

  stmt = cb_database_prepare (run->db, "INSERT INTO sync_items (run_id, seq, profile_id, kind, "
                                       "action, stage, item_key, job_id, label, intacct_object, "
                                       "intacct_id, intacct_parent, intacct_recordno, payload, "
                                       "content_hash, depends_on, idempotency_key, state, error, "
                                       "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                       "?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < items->len && ok; i++)
    {
      CbPlanItem *pi = g_ptr_array_index (items, i);
      g_autofree char *payload = pi->record ? cb_plan_record_to_json_string (pi->record) : NULL;
      g_autofree char *deps = pi->depends_on ? g_strjoinv ("\n", pi->depends_on) : NULL;
      g_autofree char *idem = g_uuid_string_random ();

      sqlite3_bind_int64 (stmt, 1, run->run_id);
      sqlite3_bind_int (stmt, 2, i + 1);
      cb_database_bind_text (stmt, 3, self->profile->id);
      cb_database_bind_text (stmt, 4, cb_plan_kind_to_string (pi->kind));
      cb_database_bind_text (stmt, 5, cb_plan_action_to_string (pi->action));
      sqlite3_bind_int (stmt, 6, cb_plan_kind_get_stage (pi->kind));
      cb_database_bind_text (stmt, 7, pi->key);
      cb_database_bind_text (stmt, 8, pi->job_id);
      cb_database_bind_text (stmt, 9, pi->label ? pi->label : pi->key);
      cb_database_bind_text (stmt, 10, pi->intacct_object);
      cb_database_bind_text (stmt, 11, pi->intacct_id);
      cb_database_bind_text (stmt, 12, pi->intacct_parent);
      cb_database_bind_text (stmt, 13, pi->intacct_recordno);
      cb_database_bind_text (stmt, 14, payload);
      cb_database_bind_text (stmt, 15, pi->content_hash);
      cb_database_bind_text (stmt, 16, deps);
      cb_database_bind_text (stmt, 17, idem);
      cb_database_bind_text (stmt, 18, pi->blocked || pi->record == NULL ? "blocked" : "pending");
      cb_database_bind_text (stmt, 19, pi->blocked ? pi->blocked_reason : NULL);
      sqlite3_bind_int64 (stmt, 20, now_unix ());
      ok = exec_stmt (run->db, stmt, error);
      sqlite3_clear_bindings (stmt);
    }
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
load_items (Run     *run,
            GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_database_prepare (run->db, "SELECT seq, kind, action, stage, item_key, job_id, "
                                       "label, intacct_id, intacct_parent, intacct_recordno, "
                                       "payload, depends_on, idempotency_key, state, "
                                       "intacct_key, error, attempts FROM sync_items "
                                       "WHERE run_id = ? ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->run_id);
  run->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  run->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Item *it = g_new0 (Item, 1);
      const char *payload = (const char *) sqlite3_column_text (stmt, 10);
      const char *deps = (const char *) sqlite3_column_text (stmt, 11);
      const char *action = (const char *) sqlite3_column_text (stmt, 2);
      CbPlanKind kind = 0;
      CbItemState state = CB_ITEM_STATE_PENDING;

      it->seq = sqlite3_column_int (stmt, 0);
      cb_plan_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &kind);
      it->kind = kind;
      it->action = CB_PLAN_ACTION_NONE;
      for (int a = CB_PLAN_ACTION_CREATE; a <= CB_PLAN_ACTION_NONE; a++)
        if (g_strcmp0 (action, cb_plan_action_to_string (a)) == 0)
          it->action = a;
      it->stage = sqlite3_column_int (stmt, 3);
      it->key = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      it->job_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      it->label = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      it->intacct_id = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      it->intacct_parent = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      it->intacct_recordno = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      if (payload != NULL)
        it->record = cb_plan_record_from_json_string (payload, NULL);
      it->depends_on = deps && *deps ? g_strsplit (deps, "\n", -1) : NULL;
      it->idem = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
      cb_item_state_from_string ((const char *) sqlite3_column_text (stmt, 13), &state);
      it->state = state;
      it->intacct_key = g_strdup ((const char *) sqlite3_column_text (stmt, 14));
      it->error = g_strdup ((const char *) sqlite3_column_text (stmt, 15));
      it->attempts = sqlite3_column_int (stmt, 16);
      g_ptr_array_add (run->items, it);
      g_hash_table_insert (run->by_key, it->key, it);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (run->db, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* The query that finds an item's record by its natural key. */
static CbIntacctFunction *
lookup_function (const char *control_id,
                 CbPlanKind  kind,
                 const char *intacct_id,
                 const char *parent)
{
  const char *object = cb_plan_kind_intacct_object (kind);
  static const char * const select[] = { "RECORDNO", NULL };
  CbIntacctRecord *filter = NULL;
  g_auto(GStrv) parts = parent ? g_strsplit (parent, "/", 2) : NULL;

  switch (kind)
    {
    case CB_PLAN_KIND_VENDOR:
      filter = cb_intacct_filter_compare ("equalto", "VENDORID", intacct_id);
      break;
    case CB_PLAN_KIND_STANDARD_COST_TYPE:
      filter = cb_intacct_filter_compare ("equalto", "STANDARDCOSTTYPEID", intacct_id);
      break;
    case CB_PLAN_KIND_STANDARD_TASK:
      filter = cb_intacct_filter_compare ("equalto", "STANDARDTASKID", intacct_id);
      break;
    case CB_PLAN_KIND_PROJECT:
      filter = cb_intacct_filter_compare ("equalto", "PROJECTID", intacct_id);
      break;
    case CB_PLAN_KIND_TASK:
      filter = cb_intacct_filter_and (cb_intacct_filter_compare ("equalto", "PROJECTID", parent),
                                      cb_intacct_filter_compare ("equalto", "TASKID", intacct_id),
                                      NULL);
      break;
    case CB_PLAN_KIND_COST_TYPE:
      filter = cb_intacct_filter_and (cb_intacct_filter_compare ("equalto", "PROJECTID", parts[0]),
                                      cb_intacct_filter_compare ("equalto", "TASKID",
                                                                 parts[1] ? parts[1] : ""),
                                      cb_intacct_filter_compare ("equalto", "COSTTYPEID",
                                                                 intacct_id),
                                      NULL);
      break;
    case CB_PLAN_KIND_BILL:
      filter = cb_intacct_filter_and (cb_intacct_filter_compare ("equalto", "VENDORID", parent),
                                      cb_intacct_filter_compare ("equalto", "RECORDID", intacct_id),
                                      NULL);
      break;
    case CB_PLAN_N_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
  return cb_intacct_function_query (control_id, object, select, filter, NULL, FALSE, 2, 0,
                                    FALSE, FALSE);
}

/* Looks @items up in Intacct: found ones get their RECORDNO in *@found (parallel array,
 * NULL when absent). */
static gboolean
lookup_items (CbSyncRunner  *self,
              Run           *run,
              Item         **items,
              guint          n_items,
              char         **found,
              GCancellable  *cancellable,
              GError       **error)
{
  for (guint start = 0; start < n_items; start += LOOKUPS_PER_REQUEST)
    {
      guint n = MIN (LOOKUPS_PER_REQUEST, n_items - start);
      g_autoptr(GPtrArray) functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);
      g_autoptr(CbIntacctResponse) response = NULL;

      for (guint i = 0; i < n; i++)
        {
          Item *it = items[start + i];
          g_autofree char *cid = g_strdup_printf ("lookup-%u", i);

          g_ptr_array_add (functions, lookup_function (cid, it->kind, it->intacct_id,
                                                       it->intacct_parent));
        }
      response = cb_intacct_client_execute (self->client, functions, CB_INTACCT_EXECUTE_NONE,
                                            cancellable, error);
      run->requests++;
      if (response == NULL)
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *cid = g_strdup_printf ("lookup-%u", i);
          CbIntacctResult *result = cb_intacct_response_find_result (response, cid);

          if (result == NULL || !cb_intacct_result_check (result, error))
            {
              if (result == NULL)
                g_set_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_MALFORMED_REPLY,
                             _("Intacct did not answer a lookup"));
              return FALSE;
            }
          found[start + i] = NULL;
          if (result->records && result->records->len > 0)
            found[start + i] = g_strdup (cb_intacct_record_get_field (g_ptr_array_index (result->records, 0),
                                                                     "RECORDNO"));
          if (found[start + i] == NULL && result->records && result->records->len > 0)
            found[start + i] = g_strdup ("");
        }
    }
  return TRUE;
}

static void
mapping_created (Run          *run,
                 CbSyncRunner *self,
                 Item         *it)
{
  CbMappingKind kind;
  g_autoptr(GError) error = NULL;

  switch (it->kind)
    {
    case CB_PLAN_KIND_VENDOR: kind = CB_MAPPING_VENDORS; break;
    case CB_PLAN_KIND_STANDARD_TASK: kind = CB_MAPPING_COST_CODES; break;
    case CB_PLAN_KIND_STANDARD_COST_TYPE: kind = CB_MAPPING_COST_TYPES; break;
    case CB_PLAN_KIND_PROJECT: kind = CB_MAPPING_PROJECTS; break;
    case CB_PLAN_KIND_TASK:
    case CB_PLAN_KIND_COST_TYPE:
    case CB_PLAN_KIND_BILL:
    case CB_PLAN_N_KINDS:
    default:
      return;
    }
  if (it->job_id == NULL || it->intacct_key == NULL || *it->intacct_key == '\0')
    return;
  if (!cb_mapping_store_set_created (run->db, self->profile->id, kind, it->job_id,
                                     it->intacct_key, it->intacct_id,
                                     it->record ? cb_intacct_record_get_field (it->record, "NAME") : NULL,
                                     &error))
    g_debug ("Could not map %s to its new record: %s", it->key, error->message);
}

/* Settles unsure items: done when Intacct has them, pending (to send again, with the same
 * controlid) when not. Updates are not looked up: resending one is harmless. */
static gboolean
settle (CbSyncRunner *self,
        Run          *run,
        GPtrArray    *unsure,
        GCancellable *cancellable,
        GError      **error)
{
  g_autoptr(GPtrArray) lookups = g_ptr_array_new ();
  g_autofree char **found = NULL;

  for (guint i = 0; i < unsure->len; i++)
    {
      Item *it = g_ptr_array_index (unsure, i);

      if (it->action == CB_PLAN_ACTION_UPDATE)
        {
          it->state = CB_ITEM_STATE_PENDING;
          g_clear_pointer (&it->error, g_free);
        }
      else
        g_ptr_array_add (lookups, it);
    }
  if (lookups->len > 0)
    {
      found = g_new0 (char *, lookups->len);
      if (!lookup_items (self, run, (Item **) lookups->pdata, lookups->len, found, cancellable,
                         error))
        {
          for (guint i = 0; i < lookups->len; i++)
            g_free (found[i]);
          return FALSE;
        }
      for (guint i = 0; i < lookups->len; i++)
        {
          Item *it = g_ptr_array_index (lookups, i);

          g_clear_pointer (&it->error, g_free);
          if (found[i] != NULL)
            {
              it->state = CB_ITEM_STATE_DONE;
              g_free (it->intacct_key);
              it->intacct_key = found[i];
              mapping_created (run, self, it);
              report (self, run, it, CB_SYNC_STAGE_SETTLING, it->kind, FALSE);
            }
          else
            it->state = CB_ITEM_STATE_PENDING;
        }
    }
  return save_items (run, (Item **) unsure->pdata, unsure->len, error);
}

static gboolean
send_batch (CbSyncRunner *self,
            Run          *run,
            GPtrArray    *batch,
            GCancellable *cancellable,
            GError      **error)
{
  g_autoptr(GPtrArray) functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);
  g_autoptr(CbIntacctResponse) response = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) unsure = g_ptr_array_new ();

  for (guint i = 0; i < batch->len; i++)
    {
      Item *it = g_ptr_array_index (batch, i);
      g_autoptr(GPtrArray) objects = g_ptr_array_new ();

      it->state = CB_ITEM_STATE_SENDING;
      it->attempts++;
      g_ptr_array_add (objects, it->record);
      g_ptr_array_add (functions, it->action == CB_PLAN_ACTION_UPDATE ?
                       cb_intacct_function_update (it->idem, objects) :
                       cb_intacct_function_create (it->idem, objects));
    }
  /* committed before the request leaves: a crash from here on leaves them "sending" */
  if (!save_items (run, (Item **) batch->pdata, batch->len, error))
    return FALSE;

  /* not cancellable: a write cut short would only add unsure items */
  response = cb_intacct_client_execute (self->client, functions, CB_INTACCT_EXECUTE_UNIQUE,
                                        NULL, &local_error);
  run->requests++;
  if (response == NULL)
    {
      if (g_error_matches (local_error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_OUTCOME_UNKNOWN))
        {
          for (guint i = 0; i < batch->len; i++)
            {
              Item *it = g_ptr_array_index (batch, i);

              it->state = CB_ITEM_STATE_UNSURE;
              g_free (it->error);
              it->error = g_strdup_printf (_("Intacct’s answer was lost (%s); Costbridge looks "
                                             "the record up before it would send it again"),
                                           local_error->message);
              g_ptr_array_add (unsure, it);
            }
          if (!save_items (run, (Item **) batch->pdata, batch->len, error))
            return FALSE;
          for (guint i = 0; i < unsure->len; i++)
            report (self, run, g_ptr_array_index (unsure, i), CB_SYNC_STAGE_SENDING,
                    ((Item *) g_ptr_array_index (unsure, i))->kind, FALSE);
          return settle (self, run, unsure, cancellable, error);
        }
      /* nothing ran: back to pending, and the run stops */
      for (guint i = 0; i < batch->len; i++)
        {
          Item *it = g_ptr_array_index (batch, i);

          it->state = CB_ITEM_STATE_PENDING;
        }
      save_items (run, (Item **) batch->pdata, batch->len, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (guint i = 0; i < batch->len; i++)
    {
      Item *it = g_ptr_array_index (batch, i);
      CbIntacctResult *result = cb_intacct_response_find_result (response, it->idem);
      g_autoptr(GError) item_error = NULL;

      g_clear_pointer (&it->error, g_free);
      if (result == NULL)
        {
          it->state = CB_ITEM_STATE_UNSURE;
          it->error = g_strdup (_("Intacct’s answer did not mention this record"));
          g_ptr_array_add (unsure, it);
        }
      else if (cb_intacct_result_check (result, &item_error))
        {
          const char *recordno = NULL;

          if (result->records && result->records->len > 0)
            recordno = cb_intacct_record_get_field (g_ptr_array_index (result->records, 0),
                                                    "RECORDNO");
          it->state = CB_ITEM_STATE_DONE;
          g_free (it->intacct_key);
          it->intacct_key = g_strdup (recordno ? recordno :
                                      it->intacct_recordno ? it->intacct_recordno : result->key);
          if (it->action == CB_PLAN_ACTION_CREATE || it->action == CB_PLAN_ACTION_ENSURE)
            mapping_created (run, self, it);
        }
      else if (g_error_matches (item_error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_ALREADY_EXECUTED))
        {
          if (it->action == CB_PLAN_ACTION_UPDATE)
            {
              it->state = CB_ITEM_STATE_DONE;
              g_free (it->intacct_key);
              it->intacct_key = g_strdup (it->intacct_recordno);
            }
          else
            {
              it->state = CB_ITEM_STATE_UNSURE;
              it->error = g_strdup (_("Intacct had already run this write; looking it up"));
              g_ptr_array_add (unsure, it);
            }
        }
      else
        {
          it->state = CB_ITEM_STATE_FAILED;
          it->error = g_strdup (item_error->message);
        }
    }
  if (!save_items (run, (Item **) batch->pdata, batch->len, error))
    return FALSE;
  for (guint i = 0; i < batch->len; i++)
    {
      Item *it = g_ptr_array_index (batch, i);

      if (it->state != CB_ITEM_STATE_UNSURE)
        report (self, run, it, CB_SYNC_STAGE_SENDING, it->kind, FALSE);
    }
  if (unsure->len > 0)
    return settle (self, run, unsure, cancellable, error);
  return TRUE;
}

/* Items of earlier runs of this profile still unsure (or left sending) that share a key with
 * this run's items to send: settle them first, and take their outcome. */
static gboolean
settle_earlier (CbSyncRunner *self,
                Run          *run,
                GCancellable *cancellable,
                GError      **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) earlier = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (gint64));

  stmt = cb_database_prepare (run->db, "SELECT run_id, seq, kind, action, item_key, intacct_id, "
                                       "intacct_parent FROM sync_items WHERE profile_id = ? "
                                       "AND run_id != ? AND state IN ('unsure', 'sending')",
                              error);
  if (stmt == NULL)
    return FALSE;
  cb_database_bind_text (stmt, 1, self->profile->id);
  sqlite3_bind_int64 (stmt, 2, run->run_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Item *it = g_new0 (Item, 1);
      CbPlanKind kind = 0;
      gint64 run_id = sqlite3_column_int64 (stmt, 0);

      it->seq = sqlite3_column_int (stmt, 1);
      cb_plan_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &kind);
      it->kind = kind;
      it->action = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "update") == 0 ?
                   CB_PLAN_ACTION_UPDATE : CB_PLAN_ACTION_CREATE;
      it->key = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      it->intacct_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      it->intacct_parent = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      g_ptr_array_add (earlier, it);
      g_array_append_val (runs, run_id);
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < earlier->len; i++)
    {
      Item *old = g_ptr_array_index (earlier, i);
      Item *mine = g_hash_table_lookup (run->by_key, old->key);
      g_autofree char *found = NULL;
      g_autofree char *sql = NULL;

      if (old->action == CB_PLAN_ACTION_UPDATE)
        found = NULL;
      else if (!lookup_items (self, run, &old, 1, &found, cancellable, error))
        return FALSE;
      if (found != NULL)
        sql = sqlite3_mprintf ("UPDATE sync_items SET state = 'done', intacct_key = %Q, "
                               "error = NULL WHERE run_id = %lld AND seq = %u", found,
                               (long long) g_array_index (runs, gint64, i), old->seq);
      else
        sql = sqlite3_mprintf ("UPDATE sync_items SET state = 'failed', error = %Q "
                               "WHERE run_id = %lld AND seq = %u",
                               _("Intacct has no such record: it was not written"),
                               (long long) g_array_index (runs, gint64, i), old->seq);
      {
        gboolean ok = cb_database_exec (run->db, sql, error);

        sqlite3_free (g_steal_pointer (&sql));
        if (!ok)
          return FALSE;
      }
      if (found != NULL && mine != NULL && mine->state == CB_ITEM_STATE_PENDING &&
          mine->action != CB_PLAN_ACTION_UPDATE)
        {
          mine->state = CB_ITEM_STATE_DONE;
          mine->intacct_key = g_strdup (found);
          if (!save_item (run, mine, error))
            return FALSE;
          mapping_created (run, self, mine);
        }
    }
  return TRUE;
}

static gboolean
run_stages (CbSyncRunner *self,
            Run          *run,
            GCancellable *cancellable,
            GError      **error)
{
  g_autoptr(GPtrArray) unsure = g_ptr_array_new ();

  /* 1. settle what a crash or a lost answer left unknown */
  report (self, run, NULL, CB_SYNC_STAGE_SETTLING, 0, TRUE);
  for (guint i = 0; i < run->items->len; i++)
    {
      Item *it = g_ptr_array_index (run->items, i);

      if (it->state == CB_ITEM_STATE_SENDING || it->state == CB_ITEM_STATE_UNSURE)
        g_ptr_array_add (unsure, it);
    }
  if (unsure->len > 0 && !settle (self, run, unsure, cancellable, error))
    return FALSE;
  if (!settle_earlier (self, run, cancellable, error))
    return FALSE;

  /* 2. the stages; an item a lost answer sent back to pending (looked up: not written) is
   * sent again in another pass of its stage, before anything that depends on it */
  for (guint stage = 0, pass = 0; stage < CB_PLAN_N_STAGES; pass++)
    {
      g_autoptr(GPtrArray) todo = g_ptr_array_new ();
      g_autoptr(GPtrArray) ensure = g_ptr_array_new ();
      gboolean again = FALSE;

      for (guint i = 0; i < run->items->len; i++)
        {
          Item *it = g_ptr_array_index (run->items, i);
          gboolean ready = TRUE;

          if (it->stage != stage || it->state != CB_ITEM_STATE_PENDING)
            continue;
          for (guint d = 0; it->depends_on && it->depends_on[d] && ready; d++)
            {
              Item *dep = g_hash_table_lookup (run->by_key, it->depends_on[d]);

              if (dep != NULL && dep->state != CB_ITEM_STATE_DONE)
                {
                  ready = FALSE;
                  it->state = CB_ITEM_STATE_SKIPPED;
                  g_free (it->error);
                  it->error = g_strdup_printf (_("Not sent: it needs %s, which %s"), dep->label,
                                               dep->state == CB_ITEM_STATE_FAILED ?
                                               _("failed") : _("was not written"));
                  save_item (run, it, NULL);
                  report (self, run, it, CB_SYNC_STAGE_SENDING, it->kind, FALSE);
                }
            }
          if (!ready)
            continue;
          if (it->record == NULL)
            {
              it->state = CB_ITEM_STATE_FAILED;
              it->error = g_strdup (_("The stored record to send is damaged"));
              save_item (run, it, NULL);
              continue;
            }
          g_ptr_array_add (it->action == CB_PLAN_ACTION_ENSURE ? ensure : todo, it);
        }

      /* "create if missing": look them up first */
      if (ensure->len > 0)
        {
          g_autofree char **found = g_new0 (char *, ensure->len);

          report (self, run, NULL, CB_SYNC_STAGE_SENDING,
                  ((Item *) g_ptr_array_index (ensure, 0))->kind, TRUE);
          if (!lookup_items (self, run, (Item **) ensure->pdata, ensure->len, found,
                             cancellable, error))
            {
              for (guint i = 0; i < ensure->len; i++)
                g_free (found[i]);
              return FALSE;
            }
          for (guint i = 0; i < ensure->len; i++)
            {
              Item *it = g_ptr_array_index (ensure, i);

              if (found[i] != NULL)
                {
                  it->state = CB_ITEM_STATE_DONE;
                  it->intacct_key = found[i];
                  it->error = g_strdup (_("Already in Intacct"));
                  report (self, run, it, CB_SYNC_STAGE_SENDING, it->kind, FALSE);
                }
              else
                g_ptr_array_add (todo, it);
            }
          if (!save_items (run, (Item **) ensure->pdata, ensure->len, error))
            return FALSE;
        }

      for (guint start = 0; start < todo->len; start += self->batch_size)
        {
          g_autoptr(GPtrArray) batch = g_ptr_array_new ();
          Item *first = g_ptr_array_index (todo, start);

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          for (guint i = start; i < MIN (todo->len, start + self->batch_size); i++)
            {
              Item *it = g_ptr_array_index (todo, i);

              if (it->state == CB_ITEM_STATE_PENDING)
                g_ptr_array_add (batch, it);
            }
          report (self, run, NULL, CB_SYNC_STAGE_SENDING, first->kind, FALSE);
          if (batch->len > 0 && !send_batch (self, run, batch, cancellable, error))
            return FALSE;
        }
      for (guint i = 0; i < todo->len && !again; i++)
        again = ((Item *) g_ptr_array_index (todo, i))->state == CB_ITEM_STATE_PENDING;
      if (!again || pass + 1 >= MAX_PASSES)
        {
          stage++;
          pass = G_MAXUINT;   /* 0 for the next stage */
        }
    }
  return TRUE;
}

typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean cancelled;
} Sleeper;

static void
sleeper_wake (GCancellable *cancellable,
              gpointer      data)
{
  Sleeper *s = data;

  g_mutex_lock (&s->lock);
  s->cancelled = TRUE;
  g_cond_signal (&s->cond);
  g_mutex_unlock (&s->lock);
}

/* Sleeps for @usec, or less if @cancellable is (or gets) cancelled; returns whether it was. */
static gboolean
sleep_unless_cancelled (GCancellable *cancellable,
                        gint64        usec)
{
  Sleeper s = { 0 };
  gint64 until = g_get_monotonic_time () + usec;
  gulong handler;
  gboolean cancelled;

  if (cancellable == NULL)
    {
      g_usleep (usec);
      return FALSE;
    }
  g_mutex_init (&s.lock);
  g_cond_init (&s.cond);
  /* runs sleeper_wake at once if already cancelled */
  handler = g_cancellable_connect (cancellable, G_CALLBACK (sleeper_wake), &s, NULL);
  g_mutex_lock (&s.lock);
  while (!s.cancelled && g_cond_wait_until (&s.cond, &s.lock, until))
    ;
  cancelled = s.cancelled;
  g_mutex_unlock (&s.lock);
  /* waits for a sleeper_wake running in another thread to return */
  g_cancellable_disconnect (cancellable, handler);
  g_cond_clear (&s.cond);
  g_mutex_clear (&s.lock);
  return cancelled;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CbSyncRunner *self = source_object;
  Run *run = task_data;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 retry_of = 0;
  gboolean ok;
  CbRunState final;
  guint failed = 0, unsure = 0, unsent = 0;
  g_autofree char *message = NULL;

  run->started = started;
  if ((run->db = cb_database_open (self->db_path, &error)) == NULL)
    goto fail;

  /* the maintenance window */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) ends = NULL;

    while (cb_maintenance_window_contains (&self->maintenance, now, &ends))
      {
        g_autofree char *when = g_date_time_format (ends, "%H:%M");

        if (!self->maintenance_wait)
          {
            g_set_error (&error, CB_SYNC_ERROR, CB_SYNC_ERROR_MAINTENANCE,
                         _("Inside the maintenance window until %s: scheduled runs wait"), when);
            goto fail;
          }
        g_message (_("Inside the maintenance window until %s: waiting"), when);
        report (self, run, NULL, CB_SYNC_STAGE_IDLE, 0, TRUE);
        /* wake at the end of the window (or every 30 s, to follow a clock change), or at
         * once on cancel */
        if (sleep_unless_cancelled (cancellable,
                                    MIN (30, MAX (1, g_date_time_difference (ends, now) /
                                                     G_USEC_PER_SEC)) * G_USEC_PER_SEC))
          {
            g_cancellable_set_error_if_cancelled (cancellable, &error);
            goto fail;
          }
        g_clear_pointer (&now, g_date_time_unref);
        g_clear_pointer (&ends, g_date_time_unref);
        now = g_date_time_new_now_utc ();
      }
  }

  if (run->mode == MODE_RETRY)
    {
      g_auto(GStrv) keys = NULL;
      CbPlanOptions options = { NULL, TRUE, NULL };

      report (self, run, NULL, CB_SYNC_STAGE_PLANNING, 0, TRUE);
      retry_of = run->run_id;
      if ((keys = cb_run_store_dup_retry_keys (run->db, run->run_id, &error)) == NULL)
        goto fail;
      options.only_keys = (const char * const *) keys;
      if ((run->plan = cb_planner_build (run->db, self->profile, &options, &error)) == NULL)
        goto fail;
      run->mode = MODE_NEW;
    }

  /* claim the company: one run at a time, across processes */
  if (!cb_database_begin (run->db, &error))
    goto fail;
  if (!check_busy (run, self->profile->id, &error))
    {
      cb_database_rollback (run->db);
      goto fail;
    }
  if (run->mode == MODE_NEW)
    {
      CbPlanCounts counts;

      cb_plan_get_counts (run->plan, &counts);
      if (counts.to_write == 0)
        {
          cb_database_rollback (run->db);
          g_set_error (&error, CB_SYNC_ERROR, CB_SYNC_ERROR_BLOCKED,
                       counts.blocked > 0 ?
                       _("Nothing can be sent: every record is blocked (see the preview)") :
                       _("Nothing to send: everything is already in Intacct"));
          goto fail;
        }
      ok = insert_run (self, run, retry_of, &error);
    }
  else
    {
      g_autofree char *sql = NULL;
      g_autoptr(CbRun) r = cb_run_store_get_run (run->db, run->run_id, &error);

      ok = r != NULL;
      if (ok && g_strcmp0 (r->profile_id, self->profile->id) != 0)
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run->run_id);

          /* Translators: %s is the number of a sync run */
          g_set_error (&error, CB_SYNC_ERROR, CB_SYNC_ERROR_NOT_FOUND,
                       _("Run %s belongs to another company"), id);
          ok = FALSE;
        }
      if (ok)
        {
          sql = g_strdup_printf ("UPDATE sync_runs SET state = 'running', ended = NULL, "
                                 "message = NULL, owner_pid = %d, owner_host = '%s' WHERE id = %"
                                 G_GINT64_FORMAT, (int) getpid (), "", run->run_id);
          ok = cb_database_exec (run->db, sql, &error);
        }
      if (ok)
        {
          sqlite3_stmt *stmt = cb_database_prepare (run->db, "UPDATE sync_runs SET owner_host = ? "
                                                             "WHERE id = ?", &error);

          ok = stmt != NULL;
          if (ok)
            {
              cb_database_bind_text (stmt, 1, g_get_host_name ());
              sqlite3_bind_int64 (stmt, 2, run->run_id);
              ok = exec_stmt (run->db, stmt, &error);
              sqlite3_finalize (stmt);
            }
        }
    }
  if (!ok || !cb_database_commit (run->db, &error))
    {
      cb_database_rollback (run->db);
      goto fail;
    }
  g_mutex_lock (&self->lock);
  self->run_id = run->run_id;
  g_mutex_unlock (&self->lock);

  if (!load_items (run, &error))
    goto fail;
  {
    guint settled = 0;

    for (guint i = 0; i < run->items->len; i++)
      settled += is_settled (((Item *) g_ptr_array_index (run->items, i))->state);
    run->settled_at_start = settled;
  }

  report (self, run, NULL, CB_SYNC_STAGE_CONNECTING, 0, TRUE);
  ok = run_stages (self, run, cancellable, &error);

  for (guint i = 0; i < run->items->len; i++)
    {
      Item *it = g_ptr_array_index (run->items, i);

      failed += it->state == CB_ITEM_STATE_FAILED;
      unsure += it->state == CB_ITEM_STATE_UNSURE || it->state == CB_ITEM_STATE_SENDING;
      unsent += it->state == CB_ITEM_STATE_PENDING;
    }
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      final = CB_RUN_STATE_CANCELLED;
      message = g_strdup (_("Cancelled; resume the run to send the rest"));
    }
  else if (!ok)
    {
      final = CB_RUN_STATE_INTERRUPTED;
      message = g_strdup_printf (_("Stopped: %s. Resume the run once this is fixed."),
                                 error->message);
    }
  else if (failed > 0 || unsure > 0)
    {
      final = CB_RUN_STATE_FAILED;
      message = g_strdup_printf (_("%u failed, %u unsure"), failed, unsure);
    }
  else if (unsent > 0)
    {
      /* answers kept getting lost: what is left is known not to be written */
      final = CB_RUN_STATE_INTERRUPTED;
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record was not sent; resume "
                                              "the run to send it",
                                              "%u records were not sent; resume the run to "
                                              "send them", unsent), unsent);
    }
  else
    final = CB_RUN_STATE_SUCCEEDED;
  set_run_state (run, final, message,
                 (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC, NULL);
  report (self, run, NULL, CB_SYNC_STAGE_FINISHED, 0, TRUE);
  if (!ok)
    goto fail;
  g_task_return_int (task, run->run_id);
  return;

fail:
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, CB_SYNC_ERROR, CB_SYNC_ERROR_CANCELLED, _("The sync was cancelled"));
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  CbSyncRunner *self = CB_SYNC_RUNNER (source);
  GTask *outer = data;

  g_mutex_lock (&busy_lock);
  g_hash_table_remove (busy_profiles, self->profile->id);
  g_mutex_unlock (&busy_lock);
  g_mutex_lock (&self->lock);
  self->running = FALSE;
  g_clear_object (&self->cancellable);
  g_mutex_unlock (&self->lock);

  /* deliver what is still queued before the result */
  emit_cb (g_object_ref (self));
  g_object_unref (self);
  {
    GError *error = NULL;
    gssize id = g_task_propagate_int (G_TASK (result), &error);

    if (error)
      g_task_return_error (outer, error);
    else
      g_task_return_int (outer, id);
  }
  g_object_unref (outer);
}

static void
start (CbSyncRunner       *self,
       Mode                mode,
       CbPlan             *plan,
       gint64              run_id,
       GCancellable       *cancellable,
       GAsyncReadyCallback callback,
       gpointer            user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) task = NULL;
  Run *run;
  gboolean busy;

  g_task_set_source_tag (outer, start);
  g_mutex_lock (&busy_lock);
  if (busy_profiles == NULL)
    busy_profiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  busy = g_hash_table_contains (busy_profiles, self->profile->id);
  if (!busy)
    g_hash_table_add (busy_profiles, g_strdup (self->profile->id));
  g_mutex_unlock (&busy_lock);
  if (busy)
    {
      g_task_return_new_error (outer, CB_SYNC_ERROR, CB_SYNC_ERROR_BUSY,
                               _("A sync of this company is already in progress"));
      g_object_unref (outer);
      return;
    }

  run = g_new0 (Run, 1);
  run->mode = mode;
  run->plan = plan ? cb_plan_ref (plan) : NULL;
  run->run_id = run_id;

  g_mutex_lock (&self->lock);
  self->running = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->context == NULL)
    self->context = g_main_context_ref_thread_default ();
  memset (&self->progress, 0, sizeof self->progress);
  self->progress.seconds_left = -1;
  self->last_emit = 0;
  task = g_task_new (self, self->cancellable, run_done, outer);
  g_mutex_unlock (&self->lock);

  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                           g_object_ref (self->cancellable), g_object_unref);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  g_task_run_in_thread (task, run_in_thread);
}

void
cb_sync_runner_run_async (CbSyncRunner       *self,
                          CbPlan             *plan,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_return_if_fail (CB_IS_SYNC_RUNNER (self));
  g_return_if_fail (plan != NULL);
  start (self, MODE_NEW, plan, 0, cancellable, callback, user_data);
}

void
cb_sync_runner_resume_async (CbSyncRunner       *self,
                             gint64              run_id,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (CB_IS_SYNC_RUNNER (self));
  start (self, MODE_RESUME, NULL, run_id, cancellable, callback, user_data);
}

void
cb_sync_runner_retry_failed_async (CbSyncRunner       *self,
                                   gint64              run_id,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_return_if_fail (CB_IS_SYNC_RUNNER (self));
  start (self, MODE_RETRY, NULL, run_id, cancellable, callback, user_data);
}

gint64
cb_sync_runner_run_finish (CbSyncRunner  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  id = g_task_propagate_int (G_TASK (result), error);
  return id < 0 ? 0 : id;
}
