/* cb-run-store.c: see cb-run-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-run-store"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "cb-run-store.h"

static const char * const item_states[] = {
  "pending", "sending", "done", "failed", "unsure", "blocked", "skipped",
};

static const char * const run_states[] = {
  "running", "succeeded", "failed", "cancelled", "interrupted",
};

const char *
cb_item_state_to_string (CbItemState state)
{
  g_return_val_if_fail (state < CB_ITEM_N_STATES, NULL);
  return item_states[state];
}

gboolean
cb_item_state_from_string (const char  *text,
                           CbItemState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (item_states); i++)
    if (g_strcmp0 (text, item_states[i]) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

const char *
cb_item_state_get_label (CbItemState state)
{
  switch (state)
    {
    case CB_ITEM_STATE_PENDING: return _("Waiting");
    case CB_ITEM_STATE_SENDING: return _("Sending");
    case CB_ITEM_STATE_DONE: return _("Done");
    case CB_ITEM_STATE_FAILED: return _("Failed");
    case CB_ITEM_STATE_UNSURE: return _("Unsure");
    case CB_ITEM_STATE_BLOCKED: return _("Blocked");
    case CB_ITEM_STATE_SKIPPED: return _("Skipped");
    case CB_ITEM_N_STATES:
    default: break;
    }
  g_return_val_if_reached (NULL);
}

const char *
cb_run_state_to_string (CbRunState state)
{
  g_return_val_if_fail (state <= CB_RUN_STATE_INTERRUPTED, NULL);
  return run_states[state];
}

static CbRunState
run_state_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (run_states); i++)
    if (g_strcmp0 (text, run_states[i]) == 0)
      return i;
  return CB_RUN_STATE_INTERRUPTED;
}

const char *
cb_run_state_get_label (CbRunState state)
{
  switch (state)
    {
    case CB_RUN_STATE_RUNNING: return _("Running");
    case CB_RUN_STATE_SUCCEEDED: return _("Succeeded");
    case CB_RUN_STATE_FAILED: return _("Finished with failures");
    case CB_RUN_STATE_CANCELLED: return _("Cancelled");
    case CB_RUN_STATE_INTERRUPTED: return _("Interrupted");
    default: break;
    }
  g_return_val_if_reached (NULL);
}

void
cb_run_free (CbRun *run)
{
  if (run == NULL)
    return;
  g_free (run->profile_id);
  g_free (run->trigger);
  g_clear_pointer (&run->started, g_date_time_unref);
  g_clear_pointer (&run->ended, g_date_time_unref);
  g_free (run->message);
  g_free (run);
}

CbRunItem *
cb_run_item_copy (const CbRunItem *item)
{
  CbRunItem *copy = g_new0 (CbRunItem, 1);

  *copy = *item;
  copy->item_key = g_strdup (item->item_key);
  copy->job_id = g_strdup (item->job_id);
  copy->label = g_strdup (item->label);
  copy->intacct_object = g_strdup (item->intacct_object);
  copy->intacct_id = g_strdup (item->intacct_id);
  copy->intacct_parent = g_strdup (item->intacct_parent);
  copy->idempotency_key = g_strdup (item->idempotency_key);
  copy->intacct_key = g_strdup (item->intacct_key);
  copy->error = g_strdup (item->error);
  copy->updated = item->updated ? g_date_time_ref (item->updated) : NULL;
  return copy;
}

void
cb_run_item_free (CbRunItem *item)
{
  if (item == NULL)
    return;
  g_free (item->item_key);
  g_free (item->job_id);
  g_free (item->label);
  g_free (item->intacct_object);
  g_free (item->intacct_id);
  g_free (item->intacct_parent);
  g_free (item->idempotency_key);
  g_free (item->intacct_key);
  g_free (item->error);
  g_clear_pointer (&item->updated, g_date_time_unref);
  g_free (item);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NULL;
  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, col));
}

/* Whether the process that owns a running run is still alive (on this host). */
static gboolean
owner_alive (gint64      pid,
             const char *host)
{
  if (pid <= 0)
    return FALSE;
  if (host != NULL && g_strcmp0 (host, g_get_host_name ()) != 0)
    return TRUE;   /* another machine sharing the file: assume alive */
  if (kill ((pid_t) pid, 0) == 0)
    return TRUE;
  return errno == EPERM;
}

#define RUN_COLUMNS "id, profile_id, state, trigger, retry_of, started, ended, duration, " \
  "requests, owner_pid, owner_host, message"

static gboolean
fill_counts (CbDatabase *db,
             CbRun      *run,
             GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_database_prepare (db, "SELECT state, count(*) FROM sync_items WHERE run_id = ? "
                                  "GROUP BY state", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbItemState state;

      if (cb_item_state_from_string ((const char *) sqlite3_column_text (stmt, 0), &state))
        {
          run->counts[state] = sqlite3_column_int (stmt, 1);
          run->total += run->counts[state];
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

static CbRun *
run_from_row (sqlite3_stmt *stmt)
{
  CbRun *run = g_new0 (CbRun, 1);
  g_autofree char *host = NULL;

  run->id = sqlite3_column_int64 (stmt, 0);
  run->profile_id = column_dup (stmt, 1);
  run->state = run_state_from_string ((const char *) sqlite3_column_text (stmt, 2));
  run->trigger = column_dup (stmt, 3);
  run->retry_of = sqlite3_column_int64 (stmt, 4);
  run->started = column_time (stmt, 5);
  run->ended = column_time (stmt, 6);
  run->duration = sqlite3_column_double (stmt, 7);
  run->requests = sqlite3_column_int (stmt, 8);
  host = column_dup (stmt, 10);
  run->message = column_dup (stmt, 11);
  if (run->state == CB_RUN_STATE_RUNNING &&
      !owner_alive (sqlite3_column_int64 (stmt, 9), host))
    {
      run->state = CB_RUN_STATE_INTERRUPTED;
      if (run->message == NULL)
        run->message = g_strdup (_("The run stopped before it finished (the program was closed "
                                   "or stopped). Resume it to finish the same plan."));
    }
  return run;
}

GPtrArray *
cb_run_store_list_runs (CbDatabase  *db,
                        const char  *profile_id,
                        guint        limit,
                        GError     **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_run_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_database_prepare (db, "SELECT " RUN_COLUMNS " FROM sync_runs WHERE profile_id = ? "
                                  "ORDER BY id DESC LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  cb_database_bind_text (stmt, 1, profile_id);
  sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runs, run_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return NULL;
    }
  for (guint i = 0; i < runs->len; i++)
    if (!fill_counts (db, g_ptr_array_index (runs, i), error))
      return NULL;
  return g_steal_pointer (&runs);
}

CbRun *
cb_run_store_get_run (CbDatabase  *db,
                      gint64       run_id,
                      GError     **error)
{
  g_autoptr(CbRun) run = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_database_prepare (db, "SELECT " RUN_COLUMNS " FROM sync_runs WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    run = run_from_row (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return NULL;
    }
  if (run == NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);

      /* Translators: %s is a sync run's number, as `costbridge-cli runs` lists them */
      g_set_error (error, CB_SYNC_ERROR, CB_SYNC_ERROR_NOT_FOUND, _("There is no run %s"), id);
      return NULL;
    }
  if (!fill_counts (db, run, error))
    return NULL;
  return g_steal_pointer (&run);
}

#define ITEM_COLUMNS "run_id, seq, kind, action, item_key, job_id, label, intacct_object, " \
  "intacct_id, intacct_parent, state, idempotency_key, intacct_key, error, attempts, updated"

static CbRunItem *
item_from_row (sqlite3_stmt *stmt)
{
  CbRunItem *item = g_new0 (CbRunItem, 1);
  CbPlanKind kind = 0;
  CbItemState state = CB_ITEM_STATE_PENDING;
  const char *action = (const char *) sqlite3_column_text (stmt, 3);

  item->run_id = sqlite3_column_int64 (stmt, 0);
  item->seq = sqlite3_column_int (stmt, 1);
  cb_plan_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &kind);
  item->kind = kind;
  item->action = CB_PLAN_ACTION_NONE;
  for (int a = CB_PLAN_ACTION_CREATE; a <= CB_PLAN_ACTION_NONE; a++)
    if (g_strcmp0 (action, cb_plan_action_to_string (a)) == 0)
      item->action = a;
  item->item_key = column_dup (stmt, 4);
  item->job_id = column_dup (stmt, 5);
  item->label = column_dup (stmt, 6);
  item->intacct_object = column_dup (stmt, 7);
  item->intacct_id = column_dup (stmt, 8);
  item->intacct_parent = column_dup (stmt, 9);
  cb_item_state_from_string ((const char *) sqlite3_column_text (stmt, 10), &state);
  item->state = state;
  item->idempotency_key = column_dup (stmt, 11);
  item->intacct_key = column_dup (stmt, 12);
  item->error = column_dup (stmt, 13);
  item->attempts = sqlite3_column_int (stmt, 14);
  item->updated = column_time (stmt, 15);
  return item;
}

GPtrArray *
cb_run_store_list_items (CbDatabase  *db,
                         gint64       run_id,
                         int          state,
                         GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_run_item_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_database_prepare (db, "SELECT " ITEM_COLUMNS " FROM sync_items WHERE run_id = ?1 "
                                  "AND (?2 IS NULL OR state = ?2) ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  if (state >= 0 && state < CB_ITEM_N_STATES)
    cb_database_bind_text (stmt, 2, cb_item_state_to_string (state));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

GStrv
cb_run_store_dup_retry_keys (CbDatabase  *db,
                             gint64       run_id,
                             GError     **error)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = cb_database_prepare (db, "SELECT item_key FROM sync_items WHERE run_id = ? AND state "
                                  "IN ('failed', 'unsure', 'sending', 'blocked', 'skipped', "
                                  "'pending') ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (keys, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return NULL;
    }
  return g_strv_builder_end (keys);
}

static void
csv_field (GString    *s,
           const char *value,
           gboolean    last)
{
  if (value != NULL && strpbrk (value, ",\"\n\r") != NULL)
    {
      g_string_append_c (s, '"');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (s, '"');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  else if (value != NULL)
    g_string_append (s, value);
  g_string_append (s, last ? "\r\n" : ",");
}

gboolean
cb_run_store_export_csv (CbDatabase     *db,
                         gint64          run_id,
                         GOutputStream  *out,
                         GError        **error)
{
  g_autoptr(CbRun) run = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) s = g_string_new ("run,seq,kind,action,record,job_id,intacct_object,"
                                       "intacct_id,state,intacct_key,error,attempts,updated\r\n");

  if ((run = cb_run_store_get_run (db, run_id, error)) == NULL ||
      (items = cb_run_store_list_items (db, run_id, -1, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      CbRunItem *item = g_ptr_array_index (items, i);
      char num[32];
      g_autofree char *updated = item->updated ? g_date_time_format_iso8601 (item->updated) : NULL;

      g_snprintf (num, sizeof num, "%" G_GINT64_FORMAT, item->run_id);
      csv_field (s, num, FALSE);
      g_snprintf (num, sizeof num, "%u", item->seq);
      csv_field (s, num, FALSE);
      csv_field (s, cb_plan_kind_to_string (item->kind), FALSE);
      csv_field (s, cb_plan_action_to_string (item->action), FALSE);
      csv_field (s, item->label, FALSE);
      csv_field (s, item->job_id, FALSE);
      csv_field (s, item->intacct_object, FALSE);
      csv_field (s, item->intacct_id, FALSE);
      csv_field (s, cb_item_state_to_string (item->state), FALSE);
      csv_field (s, item->intacct_key, FALSE);
      csv_field (s, item->error, FALSE);
      g_snprintf (num, sizeof num, "%u", item->attempts);
      csv_field (s, num, FALSE);
      csv_field (s, updated, TRUE);
    }
  return g_output_stream_write_all (out, s->str, s->len, NULL, NULL, error);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          GDateTime   *value)
{
  g_autofree char *text = value ? g_date_time_format_iso8601 (value) : NULL;

  add_string (b, name, text);
}

JsonNode *
cb_run_to_json (const CbRun *run)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, run->id);
  add_string (b, "profile", run->profile_id);
  add_string (b, "state", cb_run_state_to_string (run->state));
  add_string (b, "trigger", run->trigger);
  json_builder_set_member_name (b, "retry_of");
  if (run->retry_of > 0)
    json_builder_add_int_value (b, run->retry_of);
  else
    json_builder_add_null_value (b);
  add_time (b, "started", run->started);
  add_time (b, "ended", run->ended);
  json_builder_set_member_name (b, "duration");
  json_builder_add_double_value (b, run->duration);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, run->total);
  json_builder_set_member_name (b, "requests");
  json_builder_add_int_value (b, run->requests);
  add_string (b, "message", run->message);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  for (guint i = 0; i < CB_ITEM_N_STATES; i++)
    {
      json_builder_set_member_name (b, item_states[i]);
      json_builder_add_int_value (b, run->counts[i]);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
cb_run_item_to_json (const CbRunItem *item)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, item->seq);
  add_string (b, "kind", cb_plan_kind_to_string (item->kind));
  add_string (b, "action", cb_plan_action_to_string (item->action));
  add_string (b, "key", item->item_key);
  add_string (b, "job_id", item->job_id);
  add_string (b, "label", item->label);
  add_string (b, "intacct_object", item->intacct_object);
  add_string (b, "intacct_id", item->intacct_id);
  add_string (b, "state", cb_item_state_to_string (item->state));
  add_string (b, "intacct_key", item->intacct_key);
  add_string (b, "error", item->error);
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, item->attempts);
  add_time (b, "updated", item->updated);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
cb_run_store_find_synced (CbDatabase  *db,
                          const char  *profile_id,
                          const char  *item_key,
                          char       **intacct_key,
                          char       **content_hash)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = cb_database_prepare (db, "SELECT intacct_key, content_hash FROM sync_items "
                                  "WHERE profile_id = ? AND item_key = ? AND state = 'done' "
                                  "ORDER BY run_id DESC, seq DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, item_key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (intacct_key)
        *intacct_key = column_dup (stmt, 0);
      if (content_hash)
        *content_hash = column_dup (stmt, 1);
    }
  sqlite3_finalize (stmt);
  return found;
}

void
cb_record_status_free (CbRecordStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->last_error);
  g_clear_pointer (&status->last_updated, g_date_time_unref);
  g_free (status->intacct_key);
  g_free (status->content_hash);
  g_clear_pointer (&status->synced, g_date_time_unref);
  g_free (status);
}

GHashTable *
cb_run_store_get_statuses (CbDatabase          *db,
                           const char          *profile_id,
                           const char * const  *item_keys,
                           guint                n_keys,
                           GError             **error)
{
  g_autoptr(GHashTable) statuses = NULL;
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (profile_id != NULL, NULL);

  statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) cb_record_status_free);
  if (n_keys == 0)
    return g_steal_pointer (&statuses);

  /* Per key, the latest item and the latest done item (sync_items_by_key finds both). */
  sql = g_string_new ("SELECT k.key, l.state, l.error, l.updated, "
                      "d.intacct_key, d.content_hash, d.updated FROM ("
                      "SELECT value AS key, "
                      "(SELECT rowid FROM sync_items WHERE profile_id = ?1 AND item_key = value "
                      "ORDER BY run_id DESC, seq DESC LIMIT 1) AS last_row, "
                      "(SELECT rowid FROM sync_items WHERE profile_id = ?1 AND item_key = value "
                      "AND state = 'done' ORDER BY run_id DESC, seq DESC LIMIT 1) AS done_row "
                      "FROM (");
  for (guint i = 0; i < n_keys; i++)
    g_string_append (sql, i == 0 ? "SELECT ? AS value" : " UNION ALL SELECT ?");
  g_string_append (sql, ")) AS k JOIN sync_items l ON l.rowid = k.last_row "
                        "LEFT JOIN sync_items d ON d.rowid = k.done_row");

  stmt = cb_database_prepare (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  cb_database_bind_text (stmt, 1, profile_id);
  for (guint i = 0; i < n_keys; i++)
    cb_database_bind_text (stmt, i + 2, item_keys[i]);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbRecordStatus *status = g_new0 (CbRecordStatus, 1);

      if (!cb_item_state_from_string ((const char *) sqlite3_column_text (stmt, 1),
                                      &status->last_state))
        status->last_state = CB_ITEM_STATE_PENDING;
      status->last_error = column_dup (stmt, 2);
      status->last_updated = column_time (stmt, 3);
      status->intacct_key = column_dup (stmt, 4);
      status->content_hash = column_dup (stmt, 5);
      status->synced = column_time (stmt, 6);
      g_hash_table_replace (statuses, column_dup (stmt, 0), status);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return NULL;
    }

  return g_steal_pointer (&statuses);
}
