/* cb-sync-runner.h: sends a plan to Intacct, exactly once, in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CbSyncRunner runs one sync of one company in a GTask worker thread, with its own
 * database connection and the given Intacct client. A run writes its plan into the outbox
 * (cb-run-store.h), then sends it stage by stage (cb-planner.h), many functions per
 * request (the batch size), one request in flight per company by default:
 *
 *  - each item's function controlid is its stable idempotency key, sent with uniqueid=true;
 *  - the item is committed as "sending" before its request leaves, and "done" with its
 *    RECORDNO when the answer arrives, or "failed" with Intacct's error in words;
 *  - an unknown outcome (timeout, 524, dropped connection, a reply that does not parse,
 *    a crash or kill of the process) leaves it "unsure"; before anything resends an unsure
 *    or sending item (in this run, or a later run or resume with the same item key), the
 *    runner looks it up in Intacct by its natural key and settles it: done when found,
 *    pending again when not. No record is ever created twice;
 *  - session expiry, 429 and 5xx are handled by the client (cb-intacct-client.h);
 *  - an item whose dependency failed is "skipped" with the reason;
 *  - created vendors, projects, standard tasks and standard cost types are mapped to their
 *    new records (cb_mapping_store_set_created).
 *
 * Cancel stops between batches (the run is CANCELLED and can be resumed). One run per
 * company at a time, across processes: another start fails with CB_SYNC_ERROR_BUSY. A run
 * whose process died is INTERRUPTED and can be resumed.
 *
 * Progress reaches the thread-default main context of the caller of the _async function,
 * coalesced to at most about five "progress" signals a second, plus one at each stage
 * change and one at the end; "item" signals (one per settled item, for a live log) are
 * delivered in the same idle, in order.
 */

#pragma once

#include <gio/gio.h>

#include "cb-intacct-client.h"
#include "cb-planner.h"
#include "cb-profile.h"
#include "cb-run-store.h"

G_BEGIN_DECLS

typedef enum
{
  CB_SYNC_STAGE_IDLE,
  CB_SYNC_STAGE_PLANNING,     /* building the plan (retry failed) */
  CB_SYNC_STAGE_CONNECTING,
  CB_SYNC_STAGE_SETTLING,     /* looking up unsure items */
  CB_SYNC_STAGE_SENDING,      /* see CbSyncProgress.kind */
  CB_SYNC_STAGE_FINISHED,
} CbSyncStage;

typedef struct
{
  gint64      run_id;
  CbSyncStage stage;
  CbPlanKind  kind;           /* SENDING: the kind being sent */
  guint       done;           /* items settled (done, failed, skipped) in this run */
  guint       total;          /* items to send in this run */
  guint       failed;
  guint       unsure;
  guint       requests;
  double      rate;           /* items settled per second, over the last seconds */
  double      seconds_left;   /* estimate; negative when unknown */
} CbSyncProgress;

/* For people, translated: "Sending bills (120 of 2,000)…". */
char *cb_sync_progress_describe (const CbSyncProgress *progress);

/* The weekly maintenance window, in local time. */
typedef struct
{
  int   day;                  /* -1 none, 0 every day, 1 Monday … 7 Sunday */
  guint hour;                 /* 0–23 */
  guint duration_hours;       /* 1–24 */
} CbMaintenanceWindow;

/* Parses "none", "every-day 2 3", "sunday 2 4" or "sunday 02:00 4h" (day, start hour,
 * hours); FALSE with G_IO_ERROR_INVALID_ARGUMENT. */
gboolean cb_maintenance_window_parse    (const char                *text,
                                         CbMaintenanceWindow       *window,
                                         GError                   **error);
/* TRUE when @now is inside the window; @ends (may be NULL) receives when it ends. */
gboolean cb_maintenance_window_contains (const CbMaintenanceWindow *window,
                                         GDateTime                 *now,
                                         GDateTime                **ends);

#define CB_TYPE_SYNC_RUNNER (cb_sync_runner_get_type ())
G_DECLARE_FINAL_TYPE (CbSyncRunner, cb_sync_runner, CB, SYNC_RUNNER, GObject)

/* A runner for @profile, opening its own connection to the database at @db_path, and
 * sending through @client (a reference is taken; used only on the worker thread while a
 * run is in progress). */
CbSyncRunner *cb_sync_runner_new            (const char        *db_path,
                                             const CbProfile   *profile,
                                             CbIntacctClient   *client);
/* Functions per request (1–50, default 50). */
void          cb_sync_runner_set_batch_size (CbSyncRunner      *self,
                                             guint              batch_size);
/* "app" (default), "cli", "scheduled": stored with the run. */
void          cb_sync_runner_set_trigger    (CbSyncRunner      *self,
                                             const char        *trigger);
/* With a window set, a run that starts inside it waits until it ends (progress says so
 * with stage IDLE), or fails at once with CB_SYNC_ERROR_MAINTENANCE when @wait is FALSE. */
void          cb_sync_runner_set_maintenance (CbSyncRunner     *self,
                                              const CbMaintenanceWindow *window,
                                              gboolean          wait);

/* Starts a new run of @plan. The result is the run ID (cb_sync_runner_run_finish). Fails
 * with CB_SYNC_ERROR_BUSY when a run of the company is in progress, CB_SYNC_ERROR_BLOCKED
 * when nothing in the plan can go. A run that ends with failed or unsure items still
 * returns its ID (the run's state says so). */
void          cb_sync_runner_run_async      (CbSyncRunner      *self,
                                             CbPlan            *plan,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
/* Continues run @run_id (cancelled, interrupted, or left with unsure items): settles its
 * unsure items, then sends what is still pending or was skipped by the cancel. */
void          cb_sync_runner_resume_async   (CbSyncRunner      *self,
                                             gint64             run_id,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
/* Plans again the items of run @run_id that failed, stayed unsure, were blocked or skipped
 * (with today's mappings and defaults), and runs them as a new run (retry_of = @run_id). */
void          cb_sync_runner_retry_failed_async (CbSyncRunner  *self,
                                                 gint64         run_id,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
/* Any of the three: the run ID, or 0 with @error (CB_SYNC_ERROR_CANCELLED when cancelled:
 * the run ID is then still readable with cb_sync_runner_get_run_id()). */
gint64        cb_sync_runner_run_finish     (CbSyncRunner      *self,
                                             GAsyncResult      *result,
                                             GError           **error);
/* Cancels the run in progress (between batches). */
void          cb_sync_runner_cancel         (CbSyncRunner      *self);
gboolean      cb_sync_runner_is_running     (CbSyncRunner      *self);
/* The current (or last) run's ID, 0 before any. */
gint64        cb_sync_runner_get_run_id     (CbSyncRunner      *self);
/* The last progress delivered on the main context. */
void          cb_sync_runner_get_progress   (CbSyncRunner      *self,
                                             CbSyncProgress    *progress);

/* Signals:
 *   "progress" (const CbSyncProgress *progress)   coalesced, on the caller's context
 *   "item"     (const CbRunItem *item)            an item settled (done, failed, unsure,
 *                                                 skipped), in order
 */

G_END_DECLS
