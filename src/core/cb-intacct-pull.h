/* cb-intacct-pull.h: pulling a company's Intacct records into the cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pull pages through each object with readByQuery/readMore at the largest page Intacct
 * allows (1000), storing every page in its own transaction as it arrives (cb-intacct-cache.h).
 *
 * Incremental: once an object has been pulled completely, later pulls ask only for records
 * with WHENMODIFIED at or after the start of the last complete pull, minus a safety overlap
 * of CB_INTACCT_PULL_OVERLAP_HOURS (which also covers a gateway clock in another time zone).
 * A full pull (on request, on the first pull, or when the last full one is older than
 * CB_INTACCT_PULL_FULL_DAYS) reads everything and *removes* from the cache the records
 * Intacct no longer has; mappings to them then show as Stale (cb-mapping-store.h).
 * Entities (through cb_intacct_client_list_entities) are always read whole, under the
 * object name "LOCATIONENTITY".
 *
 * A cancelled or failed object keeps what was stored, but its refresh time and incremental
 * mark are not moved, so the next pull of it reads what was missed.
 *
 * Objects the company cannot read are skipped with the reason in words (no Construction
 * subscription, permission denied); the other objects still pull.
 */

#pragma once

#include <gio/gio.h>

#include "cb-database.h"
#include "cb-intacct-client.h"

G_BEGIN_DECLS

#define CB_INTACCT_PULL_OVERLAP_HOURS 24
#define CB_INTACCT_PULL_FULL_DAYS     7

typedef enum
{
  CB_PULL_NONE = 0,
  CB_PULL_FULL = 1 << 0,   /* read everything and detect deletions */
} CbPullFlags;

typedef enum
{
  CB_PULL_STATE_PENDING,    /* not reached (the pull stopped before it) */
  CB_PULL_STATE_RUNNING,
  CB_PULL_STATE_DONE,
  CB_PULL_STATE_SKIPPED,    /* not subscribed or no permission: message says which */
  CB_PULL_STATE_FAILED,     /* error says why */
  CB_PULL_STATE_CANCELLED,
} CbPullState;

/* "pending", "running", "done", "skipped", "failed", "cancelled". */
const char *cb_pull_state_to_string (CbPullState state);

/* The objects a pull reads by default, in order (NULL-terminated, static). */
const char * const *cb_intacct_pull_default_objects (void);

typedef struct
{
  char        *object;        /* "VENDOR" */
  CbPullState  state;
  gboolean     full;          /* read whole (deletions detected) rather than incrementally */
  guint64      fetched;       /* records received and stored */
  gint64       total;         /* Intacct's totalcount for the query; -1 before the first page */
  guint        removed;       /* records removed from the cache (full pulls) */
  char        *message;       /* SKIPPED, FAILED: in words; NULL otherwise */
  GError      *error;         /* FAILED, SKIPPED: the underlying error */
  GDateTime   *refreshed_at;  /* DONE: the start of this pull (UTC); else the last one, or NULL */
} CbPullObjectResult;

typedef struct
{
  GPtrArray *objects;         /* element-type CbPullObjectResult, in pull order */
  gboolean   cancelled;
  guint64    fetched;         /* over all objects */
  gint64     elapsed_us;
} CbPullResult;

void cb_pull_result_free (CbPullResult *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPullResult, cb_pull_result_free)
/* The result of @object, or NULL. */
const CbPullObjectResult *cb_pull_result_find (const CbPullResult *self,
                                               const char         *object);
/* The first FAILED object's error, or NULL: the one worth reporting. */
const GError *cb_pull_result_get_failure (const CbPullResult *self);

/* Progress: the object being pulled (the stage), how many of the total records so far. */
typedef struct
{
  const char  *object;        /* "VENDOR" */
  const char  *display_name;  /* "Vendors", translated */
  guint        index;         /* of the object, 0-based */
  guint        n_objects;
  CbPullState  state;         /* RUNNING, or the object's final state */
  guint64      fetched;
  gint64       total;         /* -1 until the first page */
  const char  *message;       /* SKIPPED or FAILED */
} CbPullProgress;

typedef void (*CbPullProgressFunc) (const CbPullProgress *progress,
                                    gpointer              user_data);

/* Pulls @objects (NULL: cb_intacct_pull_default_objects(); names are case-insensitive,
 * "ENTITY" means "LOCATIONENTITY") for @profile_id, blocking. @progress is called on this
 * thread after every page and at every object's end. Returns NULL with @error only when
 * nothing could start (an unknown object name: G_IO_ERROR_INVALID_ARGUMENT); otherwise every object's outcome is in the result, cancelled included. */
CbPullResult *cb_intacct_pull_run    (CbIntacctClient     *client,
                                      CbDatabase          *db,
                                      const char          *profile_id,
                                      const char * const  *objects,
                                      CbPullFlags          flags,
                                      CbPullProgressFunc   progress,
                                      gpointer             progress_data,
                                      GCancellable        *cancellable,
                                      GError             **error);

/* The same on a worker thread, with its own connection to @db's file. @progress runs in
 * the thread-default main context of the caller, at most about five times a second while
 * records arrive, and always once at the end of each object. @client must not be used
 * elsewhere until the pull finishes. */
void          cb_intacct_pull_async  (CbIntacctClient     *client,
                                      CbDatabase          *db,
                                      const char          *profile_id,
                                      const char * const  *objects,
                                      CbPullFlags          flags,
                                      CbPullProgressFunc   progress,
                                      gpointer             progress_data,
                                      GDestroyNotify       progress_notify,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
CbPullResult *cb_intacct_pull_finish (GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
