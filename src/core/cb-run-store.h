/* cb-run-store.h: sync runs, their outbox, and every record's outcome
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Schema: migration 4 (cb-schema-4-sync.inc). Table sync_runs: one row per run (profile,
 * state, when it started and ended, who started it, the run it retries, counts). Table
 * sync_items: the run's outbox, one row per plan item, in send order: its kind and action,
 * item key, job-side ID, label, the Intacct object and natural key, the record to write
 * (serialised), a stable idempotency key (the function controlid, sent with
 * uniqueid=true), its state, the Intacct RECORDNO once known, the error in words, the
 * number of attempts and when it last changed.
 *
 * Item states:
 *   pending  not sent yet (also what a cancel or an interrupted run leaves: resume sends it)
 *   sending  committed just before its request leaves; still "sending" after a crash
 *            means the outcome is unknown, exactly like unsure
 *   done     Intacct has it: intacct_key holds its RECORDNO
 *   failed   Intacct refused it (error says why, in words); it was not written
 *   unsure   the outcome is unknown (timeout, 524, dropped connection, crash); it is
 *            looked up by its natural key before anything could resend it
 *   blocked  the plan could not send it (error says why)
 *   skipped  not sent: a record it depends on failed or was not written
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cb-database.h"
#include "cb-planner.h"

G_BEGIN_DECLS

typedef enum
{
  CB_ITEM_STATE_PENDING,
  CB_ITEM_STATE_SENDING,
  CB_ITEM_STATE_DONE,
  CB_ITEM_STATE_FAILED,
  CB_ITEM_STATE_UNSURE,
  CB_ITEM_STATE_BLOCKED,
  CB_ITEM_STATE_SKIPPED,
  CB_ITEM_N_STATES
} CbItemState;

/* "pending", "sending", "done", "failed", "unsure", "blocked", "skipped". */
const char *cb_item_state_to_string   (CbItemState  state);
gboolean    cb_item_state_from_string (const char  *text,
                                       CbItemState *state);
/* For people, translated: "Waiting", "Sending", "Done", "Failed", "Unsure", "Blocked",
 * "Skipped". */
const char *cb_item_state_get_label   (CbItemState  state);

typedef enum
{
  CB_RUN_STATE_RUNNING,       /* in progress (or its process died: see interrupted) */
  CB_RUN_STATE_SUCCEEDED,     /* every sendable item is done */
  CB_RUN_STATE_FAILED,        /* ended with failed or unsure items */
  CB_RUN_STATE_CANCELLED,     /* stopped between batches by the user; can be resumed */
  CB_RUN_STATE_INTERRUPTED,   /* its process ended mid-run (crash, kill) or the connection
                               * failed: can be resumed */
} CbRunState;

/* "running", "succeeded", "failed", "cancelled", "interrupted". */
const char *cb_run_state_to_string (CbRunState state);
/* For people, translated. */
const char *cb_run_state_get_label (CbRunState state);

typedef struct
{
  gint64      id;              /* increasing, shown as "run 12" */
  char       *profile_id;
  CbRunState  state;
  char       *trigger;         /* "app", "cli", "scheduled" */
  gint64      retry_of;        /* the run whose failed items this one retries, or 0 */
  GDateTime  *started;
  GDateTime  *ended;           /* NULL while running */
  double      duration;        /* seconds spent running (over every resume) */
  guint       counts[CB_ITEM_N_STATES];  /* items by state */
  guint       total;           /* every item, blocked ones included */
  guint       requests;        /* requests sent to Intacct */
  char       *message;         /* why it stopped, in words, or NULL */
} CbRun;

void   cb_run_free (CbRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbRun, cb_run_free)

typedef struct
{
  gint64       run_id;
  guint        seq;              /* send order within the run, from 1 */
  CbPlanKind   kind;
  CbPlanAction action;
  char        *item_key;
  char        *job_id;
  char        *label;
  char        *intacct_object;
  char        *intacct_id;       /* natural key */
  char        *intacct_parent;
  CbItemState  state;
  char        *idempotency_key;  /* the function controlid */
  char        *intacct_key;      /* RECORDNO once done */
  char        *error;            /* in words: what went wrong and what to fix, or NULL */
  guint        attempts;         /* requests it was part of */
  GDateTime   *updated;
} CbRunItem;

CbRunItem *cb_run_item_copy (const CbRunItem *item);
void       cb_run_item_free (CbRunItem       *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbRunItem, cb_run_item_free)

/* Runs of @profile_id, newest first, at most @limit (0: all). Runs whose process died
 * are reported as INTERRUPTED. element-type CbRun. */
GPtrArray *cb_run_store_list_runs  (CbDatabase   *db,
                                    const char   *profile_id,
                                    guint         limit,
                                    GError      **error);
/* One run, or NULL with CB_SYNC_ERROR_NOT_FOUND. */
CbRun     *cb_run_store_get_run    (CbDatabase   *db,
                                    gint64        run_id,
                                    GError      **error);
/* The run's items in send order; @state -1 for all, else only that state.
 * element-type CbRunItem. */
GPtrArray *cb_run_store_list_items (CbDatabase   *db,
                                    gint64        run_id,
                                    int           state,
                                    GError      **error);
/* The keys of the run's items that failed, stayed unsure, were blocked, skipped or left
 * pending: what "Retry failed" plans again. NULL-terminated; empty when none. */
GStrv      cb_run_store_dup_retry_keys (CbDatabase *db,
                                        gint64      run_id,
                                        GError    **error);

/* The run report for the accountant, CSV with a header: run, seq, kind, action, record,
 * job_id, intacct_object, intacct_id, state, intacct_key, error, attempts, updated. */
gboolean   cb_run_store_export_csv (CbDatabase     *db,
                                    gint64          run_id,
                                    GOutputStream  *out,
                                    GError        **error);
/* {"id", "profile", "state", "trigger", "retry_of", "started", "ended", "duration",
 * "total", "requests", "message", "counts": {state: n…}} */
JsonNode  *cb_run_to_json          (const CbRun     *run);
/* {"seq", "kind", "action", "key", "job_id", "label", "intacct_object", "intacct_id",
 * "state", "intacct_key", "error", "attempts", "updated"} */
JsonNode  *cb_run_item_to_json     (const CbRunItem *item);

/* For the planner: the last item of @profile_id with @item_key that is done (its RECORDNO
 * and content hash). FALSE when the record was never synced. Out arguments may be NULL. */
gboolean   cb_run_store_find_synced (CbDatabase  *db,
                                     const char  *profile_id,
                                     const char  *item_key,
                                     char       **intacct_key,
                                     char       **content_hash);

/* Where a record stands in Intacct, from its items in every run of a profile. */
typedef struct
{
  CbItemState  last_state;     /* its item in the latest run that had it */
  char        *last_error;     /* that item's error in words, or NULL */
  GDateTime   *last_updated;   /* when that item last changed */
  char        *intacct_key;    /* RECORDNO from the latest done item, or NULL when never done */
  char        *content_hash;   /* what that done item wrote, or NULL */
  GDateTime   *synced;         /* when that done item was written, or NULL */
} CbRecordStatus;

void cb_record_status_free (CbRecordStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbRecordStatus, cb_record_status_free)

/* For a batch of records (a page of a list): item key ("bill:B-1001") → CbRecordStatus,
 * in one query. Keys no run ever had are absent. NULL with @error. */
GHashTable *cb_run_store_get_statuses (CbDatabase          *db,
                                       const char          *profile_id,
                                       const char * const  *item_keys,
                                       guint                n_keys,
                                       GError             **error);

G_END_DECLS
