/* cb-intacct-response.h: reading Intacct XML gateway replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replies are parsed with libxml2 with network access off and no entity substitution.
 * Status is checked at three levels, in order: control, authentication, then each
 * result. Results are found by their function controlid.
 */

#pragma once

#include <glib.h>

#include "cb-error.h"
#include "cb-intacct-record.h"

G_BEGIN_DECLS

typedef struct
{
  char            *status;        /* success, failure, aborted */
  char            *function;      /* readByQuery, create, … */
  char            *control_id;    /* the function's controlid */
  char            *key;           /* legacy create_xxx: <key>, or NULL */
  char            *list_type;     /* data@listtype, or the legacy <listtype> element's text */

  gboolean         has_data;
  gint64           count;         /* -1 when the attribute is absent */
  gint64           total_count;
  gint64           num_remaining;
  gint64           offset;
  char            *result_id;     /* NULL when absent; "" once nothing remains */

  CbIntacctRecord *data;          /* the <data> element itself, or NULL */
  GPtrArray       *records;       /* (element-type CbIntacctRecord) the element children of data */
  GPtrArray       *errors;        /* (element-type CbIntacctErrorEntry) */
} CbIntacctResult;

typedef struct
{
  /* asynchronous (policyid) submissions */
  gboolean   is_acknowledgement;
  char      *acknowledgement_status;

  /* level 1: control */
  char      *control_status;
  char      *sender_id;
  char      *control_id;
  char      *unique_id;
  char      *dtd_version;
  GPtrArray *control_errors;      /* (element-type CbIntacctErrorEntry) */

  /* level 2: authentication */
  gboolean   has_operation;
  gboolean   has_authentication;
  char      *auth_status;
  char      *user_id;
  char      *company_id;
  char      *location_id;         /* NULL when the element is absent */
  char      *session_timestamp;   /* NULL when absent */
  char      *session_timeout;     /* NULL when absent */
  GPtrArray *auth_errors;         /* (element-type CbIntacctErrorEntry) */

  /* level 3 */
  GPtrArray *results;             /* (element-type CbIntacctResult) in reply order */
} CbIntacctResponse;

/* Parses a reply. Fails with CB_INTACCT_ERROR_MALFORMED_REPLY when the text is not XML,
 * the root is not <response>, or <control> or its <status> is missing. Nothing else is
 * judged here: see cb_intacct_response_check(). */
CbIntacctResponse *cb_intacct_response_parse        (const char              *data,
                                                     gsize                    length,
                                                     GError                 **error);
void               cb_intacct_response_free         (CbIntacctResponse       *self);

/* Checks levels 1 and 2 and the structure an online reply must have (operation,
 * authentication with status, userid and companyid; results with status, function and
 * controlid). On failure, @error is classified (AUTH_FAILED, SENDER_NOT_AUTHORIZED,
 * RATE_LIMITED, SESSION_INVALID when @session_auth, MALFORMED_REPLY, …) and carries
 * every error entry. */
gboolean           cb_intacct_response_check        (const CbIntacctResponse *self,
                                                     gboolean                 session_auth,
                                                     GError                 **error);
CbIntacctResult   *cb_intacct_response_find_result  (const CbIntacctResponse *self,
                                                     const char              *control_id);

CbIntacctResult   *cb_intacct_result_copy           (const CbIntacctResult   *self);
void               cb_intacct_result_free           (CbIntacctResult         *self);

/* TRUE when the result's status is success. Otherwise @error is classified
 * (DUPLICATE, NOT_FOUND, ROLLED_BACK for aborted, PERMISSION_DENIED, ALREADY_EXECUTED,
 * NOT_SUBSCRIBED, …) at CB_INTACCT_LEVEL_RESULT with the function's controlid. */
gboolean           cb_intacct_result_check          (const CbIntacctResult   *self,
                                                     GError                 **error);

/* The code that a list of error entries found at @level means. */
CbIntacctErrorCode cb_intacct_classify_errors       (CbIntacctErrorLevel      level,
                                                     GPtrArray               *entries,
                                                     gboolean                 session_auth);

/* Parses "2015-12-06T15:57:08-08:00" (ISO 8601) or "07/24/2017 15:19:46" (gateway
 * records, taken as UTC). NULL when the text is neither. */
GDateTime         *cb_intacct_parse_datetime        (const char              *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbIntacctResponse, cb_intacct_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbIntacctResult, cb_intacct_result_free)

G_END_DECLS
