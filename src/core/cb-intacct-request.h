/* cb-intacct-request.h: writing Intacct XML gateway requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A request is a control block, one operation with its authentication, and one or more
 * functions, each with its own controlid. Documents are written with libxml2's writer in
 * the schema's element order (control: senderid, password, controlid, uniqueid, dtdversion,
 * policyid, includewhitespace; login: userid, companyid, password, clientid, locationid).
 */

#pragma once

#include <glib.h>

#include "cb-intacct-record.h"

G_BEGIN_DECLS

#define CB_INTACCT_DTD_VERSION "3.0"

typedef struct _CbIntacctFunction CbIntacctFunction;

/* @operation (transfer full) is the one element inside <function>, e.g. <readByQuery>. */
CbIntacctFunction *cb_intacct_function_new            (const char        *control_id,
                                                       CbIntacctRecord   *operation);
CbIntacctFunction *cb_intacct_function_ref            (CbIntacctFunction *self);
void               cb_intacct_function_unref          (CbIntacctFunction *self);
const char        *cb_intacct_function_get_control_id (CbIntacctFunction *self);
CbIntacctRecord   *cb_intacct_function_get_operation  (CbIntacctFunction *self);
/* "readByQuery", "create", "create_bill", … */
const char        *cb_intacct_function_get_name       (CbIntacctFunction *self);
/* TRUE for create/update/delete and legacy create_/update_/delete_ functions. */
gboolean           cb_intacct_function_is_write       (CbIntacctFunction *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbIntacctFunction, cb_intacct_function_unref)

/* A random UUID v4, the SDKs' default function controlid. */
char *cb_intacct_new_control_id (void);

/* Function builders. @control_id NULL means a new UUID. Optional arguments may be NULL
 * (or 0 for page sizes), and are then left out of the document. */
CbIntacctFunction *cb_intacct_function_get_api_session  (const char          *control_id,
                                                         const char          *location_id);
CbIntacctFunction *cb_intacct_function_read_by_query    (const char          *control_id,
                                                         const char          *object,
                                                         const char          *fields,
                                                         const char          *query,
                                                         guint                page_size);
CbIntacctFunction *cb_intacct_function_read_more        (const char          *control_id,
                                                         const char          *result_id);
CbIntacctFunction *cb_intacct_function_read             (const char          *control_id,
                                                         const char          *object,
                                                         const char * const  *keys,
                                                         const char          *fields);
CbIntacctFunction *cb_intacct_function_read_by_name     (const char          *control_id,
                                                         const char          *object,
                                                         const char * const  *names,
                                                         const char          *fields);
/* @filter (transfer full, nullable) is built with the cb_intacct_filter_*() helpers.
 * @order_by NULL leaves the order undefined (the gateway's choice). */
CbIntacctFunction *cb_intacct_function_query            (const char          *control_id,
                                                         const char          *object,
                                                         const char * const  *select,
                                                         CbIntacctRecord     *filter,
                                                         const char          *order_by,
                                                         gboolean             descending,
                                                         guint                page_size,
                                                         guint                offset,
                                                         gboolean             case_insensitive,
                                                         gboolean             show_private);
/* @objects: (element-type CbIntacctRecord) each an upper-case object element. */
CbIntacctFunction *cb_intacct_function_create           (const char          *control_id,
                                                         GPtrArray           *objects);
CbIntacctFunction *cb_intacct_function_update           (const char          *control_id,
                                                         GPtrArray           *objects);
CbIntacctFunction *cb_intacct_function_delete           (const char          *control_id,
                                                         const char          *object,
                                                         const char * const  *record_nos);
CbIntacctFunction *cb_intacct_function_read_entity_details (const char       *control_id);
CbIntacctFunction *cb_intacct_function_inspect          (const char          *control_id,
                                                         const char          *object,
                                                         gboolean             detail);
CbIntacctFunction *cb_intacct_function_lookup           (const char          *control_id,
                                                         const char          *object);

/* Filters for query(): each returns a new record (transfer full). */
CbIntacctRecord *cb_intacct_filter_compare (const char          *op,       /* equalto, lessthan, like… */
                                            const char          *field,
                                            const char          *value);
CbIntacctRecord *cb_intacct_filter_is_null (const char          *field,
                                            gboolean             is_null);
CbIntacctRecord *cb_intacct_filter_in      (const char          *field,
                                            const char * const  *values,
                                            gboolean             negate);   /* notin */
CbIntacctRecord *cb_intacct_filter_between (const char          *field,
                                            const char          *low,
                                            const char          *high);
/* and/or over a NULL-terminated list of filters (transfer full). */
CbIntacctRecord *cb_intacct_filter_and     (CbIntacctRecord     *first,
                                            ...) G_GNUC_NULL_TERMINATED;
CbIntacctRecord *cb_intacct_filter_or      (CbIntacctRecord     *first,
                                            ...) G_GNUC_NULL_TERMINATED;

/* A quoted literal for a readByQuery expression: Erik's Deli → 'Erik\'s Deli'.
 * XML escaping of < > & is the writer's job and is not done here. */
char *cb_intacct_query_quote (const char *value);
/* "FIELD = 'value'" with the value quoted; @op is one of = != < > <= >= like "not like". */
char *cb_intacct_query_condition (const char *field,
                                  const char *op,
                                  const char *value);

typedef enum
{
  CB_INTACCT_AUTH_LOGIN,
  CB_INTACCT_AUTH_SESSION,
} CbIntacctAuthKind;

typedef struct
{
  /* control */
  char              *sender_id;
  char              *sender_password;
  char              *control_id;          /* NULL: a timestamp, as the SDKs do */
  gboolean           unique_id;
  char              *policy_id;           /* NULL for online requests */
  gboolean           include_whitespace;  /* FALSE, as the SDKs send */

  /* operation */
  gboolean           transaction;
  CbIntacctAuthKind  auth_kind;
  char              *session_id;
  char              *user_id;
  char              *company_id;
  char              *user_password;
  char              *client_id;           /* NULL: left out */
  char              *location_id;         /* NULL: left out; "": an empty <locationid/> */

  GPtrArray         *functions;           /* (element-type CbIntacctFunction) */
} CbIntacctRequest;

CbIntacctRequest *cb_intacct_request_new           (void);
/* Frees, wiping the passwords and the session id first. */
void              cb_intacct_request_free          (CbIntacctRequest       *self);
void              cb_intacct_request_add_function  (CbIntacctRequest       *self,
                                                    CbIntacctFunction      *function);

/* The whole document, UTF-8. Fails (CB_INTACCT_ERROR_INVALID_REQUEST) when a required
 * value is missing, a controlid is empty or over 256 characters, or two functions share
 * a controlid. */
GBytes           *cb_intacct_request_serialize     (const CbIntacctRequest *self,
                                                    GError                **error);
/* The same document with passwords, the session id and other secrets replaced by
 * "REDACTED", for logs. */
char             *cb_intacct_request_to_log_string (const CbIntacctRequest *self);
/* One <function> element on its own, as the SDK tests compare them. */
GBytes           *cb_intacct_function_serialize    (CbIntacctFunction      *function,
                                                    GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbIntacctRequest, cb_intacct_request_free)

G_END_DECLS
