/* cb-sandbox.h: an Intacct-compatible XML gateway on loopback, holding a demo company
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox answers as Sage Intacct's XML gateway does (see shared/intacct/REFERENCE.md):
 * sender and user credentials, sessions that expire, getAPISession with locationid,
 * readByQuery/readMore/read/readByName/query with their page limits, create/update/delete
 * with required fields and referential checks, uniqueid, transactions, entity scoping.
 * It runs its own thread and main context, so tests and the app can drive it from any
 * thread. It shares no code with the client's request writer and reply parser.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The demo company's credentials. They are public test values, not secrets. */
#define CB_SANDBOX_COMPANY_ID      "costbridge-demo"
#define CB_SANDBOX_USER_ID         "ws_costbridge"
#define CB_SANDBOX_USER_SECRET     "demo-user-pass"
#define CB_SANDBOX_SENDER_ID       "costbridge"
#define CB_SANDBOX_SENDER_SECRET   "demo-sender-pass"
/* Entities of the demo company (LOCATIONENTITY / readEntityDetails). */
#define CB_SANDBOX_ENTITY_NORTH    "100"
#define CB_SANDBOX_ENTITY_SOUTH    "200"

#define CB_TYPE_SANDBOX (cb_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (CbSandbox, cb_sandbox, CB, SANDBOX, GObject)

typedef enum
{
  CB_SANDBOX_FAULT_NONE,
  CB_SANDBOX_FAULT_HTTP_429,          /* control failure GW-0010 with HTTP 429; nothing runs */
  CB_SANDBOX_FAULT_HTTP_502,          /* plain 502, nothing runs */
  CB_SANDBOX_FAULT_HTTP_503,          /* plain 503, nothing runs */
  CB_SANDBOX_FAULT_HTTP_504,          /* plain 504, nothing runs */
  CB_SANDBOX_FAULT_HTTP_524,          /* the work IS done, then a plain 524 */
  CB_SANDBOX_FAULT_DROP_BEFORE,       /* connection closed before any work */
  CB_SANDBOX_FAULT_DROP_AFTER,        /* the work IS done, then the connection is closed */
  CB_SANDBOX_FAULT_MALFORMED,         /* the work IS done, then a truncated, unparsable body */
  CB_SANDBOX_FAULT_EXPIRE_SESSION,    /* every live session expires before this request */
} CbSandboxFault;

CbSandbox *cb_sandbox_new                 (void);

/* Listens on 127.0.0.1:@port (0 picks a free port) in a thread of its own. */
gboolean   cb_sandbox_start               (CbSandbox      *self,
                                           guint16         port,
                                           GError        **error);
void       cb_sandbox_stop                (CbSandbox      *self);
guint16    cb_sandbox_get_port            (CbSandbox      *self);
/* "http://127.0.0.1:PORT/ia/xml/xmlgw.phtml" */
char      *cb_sandbox_dup_endpoint        (CbSandbox      *self);

/* Faults: the next @count requests, after letting @skip requests through, get @fault.
 * Calls queue up in order. */
void       cb_sandbox_add_fault           (CbSandbox      *self,
                                           CbSandboxFault  fault,
                                           guint           skip,
                                           guint           count);
void       cb_sandbox_clear_faults        (CbSandbox      *self);
/* Added delay before every reply, in milliseconds. */
void       cb_sandbox_set_latency         (CbSandbox      *self,
                                           guint           latency_ms);
/* Sessions expire after this many seconds without a call (default 3600). */
void       cb_sandbox_set_session_lifetime (CbSandbox     *self,
                                            guint          seconds);
/* A comma-separated spec, as in COSTBRIDGE_SANDBOX_FAULTS or --faults:
 * "latency=50,429=3,502=1,524=1@10,drop-after=2,drop-before=1,malformed=1,expire=1@5"
 * (name=count[@skip]). Fails with G_IO_ERROR_INVALID_ARGUMENT on a bad spec. */
gboolean   cb_sandbox_configure_faults    (CbSandbox      *self,
                                           const char     *spec,
                                           GError        **error);

/* Permissions and subscriptions, for the permission probe and its tests.
 * @operation is "read", "create", "update" or "delete". */
void       cb_sandbox_deny_permission     (CbSandbox      *self,
                                           const char     *object,
                                           const char     *operation);
void       cb_sandbox_set_construction_subscribed (CbSandbox *self,
                                                   gboolean   subscribed);
/* Removes the sender ID from the company's Web Services authorisations. */
void       cb_sandbox_set_sender_authorized (CbSandbox    *self,
                                             gboolean      authorized);
/* Without the Web Services subscription every request fails at the control level. */
void       cb_sandbox_set_web_services_subscribed (CbSandbox *self,
                                                   gboolean   subscribed);

/* Counters for tests. Requests: every HTTP POST. Writes: every object created, updated
 * or deleted (one per object, as Intacct counts transactions). */
guint      cb_sandbox_get_request_count   (CbSandbox      *self);
guint      cb_sandbox_get_write_count     (CbSandbox      *self);
guint      cb_sandbox_get_login_count     (CbSandbox      *self);
void       cb_sandbox_reset_counters      (CbSandbox      *self);

/* How many records of @object (upper case, e.g. "APBILL") have @field = @value, across
 * every entity. With @field NULL, how many records of @object exist. */
guint      cb_sandbox_count_records       (CbSandbox      *self,
                                           const char     *object,
                                           const char     *field,
                                           const char     *value);

/* Adds @n generated vendors (IDs "GV000001"…) at the top level, for benchmarks. */
void       cb_sandbox_add_generated_vendors (CbSandbox    *self,
                                             guint         n);

G_END_DECLS
