/* cb-intacct-client.h: a session with one Intacct company over the XML gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking calls, meant for worker threads (GTask); every wait honours a GCancellable.
 * A client creates and owns its SoupSession. Requests to one company are bounded in
 * flight across all clients of the process (default 1, as Sage asks).
 */

#pragma once

#include <gio/gio.h>

#include "cb-intacct-record.h"
#include "cb-intacct-request.h"
#include "cb-intacct-response.h"

G_BEGIN_DECLS

#define CB_INTACCT_DEFAULT_ENDPOINT "https://api.intacct.com/ia/xml/xmlgw.phtml"

typedef struct
{
  char *endpoint;         /* NULL: CB_INTACCT_DEFAULT_ENDPOINT */
  char *sender_id;
  char *sender_password;
  char *company_id;
  char *user_id;
  char *user_password;
  char *entity_id;        /* NULL or "": top level */
} CbIntacctCredentials;

CbIntacctCredentials *cb_intacct_credentials_new  (void);
CbIntacctCredentials *cb_intacct_credentials_copy (const CbIntacctCredentials *self);
/* Wipes the passwords before freeing. */
void                  cb_intacct_credentials_free (CbIntacctCredentials       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbIntacctCredentials, cb_intacct_credentials_free)

/* TRUE for https URLs whose host is under intacct.com (a trailing dot allowed), and for
 * http or https URLs on loopback (127.0.0.0/8, ::1, localhost). Otherwise
 * CB_INTACCT_ERROR_ENDPOINT_REFUSED. */
gboolean cb_intacct_endpoint_is_allowed (const char  *url,
                                         GError     **error);

typedef enum
{
  CB_INTACCT_EXECUTE_NONE        = 0,
  CB_INTACCT_EXECUTE_TRANSACTION = 1 << 0, /* operation transaction="true" */
  CB_INTACCT_EXECUTE_UNIQUE      = 1 << 1, /* control uniqueid=true (writes) */
} CbIntacctExecuteFlags;

#define CB_TYPE_INTACCT_CLIENT (cb_intacct_client_get_type ())
G_DECLARE_FINAL_TYPE (CbIntacctClient, cb_intacct_client, CB, INTACCT_CLIENT, GObject)

CbIntacctClient   *cb_intacct_client_new                (const CbIntacctCredentials *credentials,
                                                         GError                    **error);

/* Tuning (call before the first request). */
void               cb_intacct_client_set_timeout        (CbIntacctClient  *self,
                                                         guint             seconds);
void               cb_intacct_client_set_max_retries    (CbIntacctClient  *self,
                                                         guint             max_retries);
/* First back-off delay; each retry doubles it, with jitter. Default 1000 ms. */
void               cb_intacct_client_set_retry_delay    (CbIntacctClient  *self,
                                                         guint             milliseconds);
/* Requests in flight for this company across the process (default 1). */
void               cb_intacct_client_set_max_in_flight  (CbIntacctClient  *self,
                                                         guint             max_in_flight);

/* Logs in and gets a session (getAPISession) for the credentials' entity. */
gboolean           cb_intacct_client_connect            (CbIntacctClient  *self,
                                                         GCancellable     *cancellable,
                                                         GError          **error);
/* A new session for @entity_id (NULL or "" = top level); later calls use it. */
gboolean           cb_intacct_client_switch_entity      (CbIntacctClient  *self,
                                                         const char       *entity_id,
                                                         GCancellable     *cancellable,
                                                         GError          **error);
gboolean           cb_intacct_client_is_connected       (CbIntacctClient  *self);
char              *cb_intacct_client_dup_entity_id      (CbIntacctClient  *self);
char              *cb_intacct_client_dup_session_endpoint (CbIntacctClient *self);
GDateTime         *cb_intacct_client_dup_session_timeout (CbIntacctClient *self);

/* Sends @functions (element-type CbIntacctFunction) in one request, connecting first
 * when needed. Returns the reply once levels 1 and 2 passed; each result's status is
 * the caller's to check (cb_intacct_result_check()).
 *
 * Retries with back-off and jitter: 429/GW-0010 and a connection that could not be made
 * (nothing ran) always; 502, 503, 504 and dropped connections only when no function is a
 * write. A request with writes whose outcome is unknown (timeout, 524, connection lost
 * after sending, 5xx, a reply that does not parse) fails with
 * CB_INTACCT_ERROR_OUTCOME_UNKNOWN listing the unsure controlids; it is never resent.
 * An authentication failure under a session logs in again once and resends (nothing ran). */
CbIntacctResponse *cb_intacct_client_execute            (CbIntacctClient      *self,
                                                         GPtrArray            *functions,
                                                         CbIntacctExecuteFlags flags,
                                                         GCancellable         *cancellable,
                                                         GError              **error);

/* One function; fails unless its result is success. Returns the result's records
 * (transfer container: a new array holding references). */
GPtrArray         *cb_intacct_client_call               (CbIntacctClient   *self,
                                                         CbIntacctFunction *function,
                                                         GCancellable      *cancellable,
                                                         GError           **error);

/* Generic writes, many objects per request, one function per object. @objects:
 * (element-type CbIntacctRecord). @control_ids: one per object (NULL: new UUIDs).
 * Returns one CbIntacctResult copy per object in order, or NULL with @error for a
 * request-level failure; per-object failures are in each result. */
GPtrArray         *cb_intacct_client_create             (CbIntacctClient    *self,
                                                         GPtrArray          *objects,
                                                         const char * const *control_ids,
                                                         GCancellable       *cancellable,
                                                         GError            **error);
GPtrArray         *cb_intacct_client_update             (CbIntacctClient    *self,
                                                         GPtrArray          *objects,
                                                         const char * const *control_ids,
                                                         GCancellable       *cancellable,
                                                         GError            **error);
gboolean           cb_intacct_client_delete             (CbIntacctClient    *self,
                                                         const char         *object,
                                                         const char * const *record_nos,
                                                         GCancellable       *cancellable,
                                                         GError            **error);

/* The entities the user may enter: readEntityDetails, falling back to a LOCATIONENTITY
 * query. Each record has LOCATIONID, NAME and RECORDNO fields. */
GPtrArray         *cb_intacct_client_list_entities      (CbIntacctClient  *self,
                                                         GCancellable     *cancellable,
                                                         GError          **error);

/* Counters, for tests and benchmarks. */
guint              cb_intacct_client_get_request_count  (CbIntacctClient  *self);
guint              cb_intacct_client_get_retry_count    (CbIntacctClient  *self);

G_END_DECLS
