/* cb-connection.h: testing a company connection, entities, the permission probe, and the
 * reference data behind the accounting defaults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Blocking calls for worker threads and the command line; the GUI and the CLI both use
 * them, so every message the user sees about a connection is written once, here.
 */

#pragma once

#include "cb-database.h"
#include "cb-intacct-client.h"
#include "cb-profile.h"

G_BEGIN_DECLS

typedef enum
{
  CB_CONNECT_OK,
  CB_CONNECT_USER_CREDENTIALS,     /* wrong user ID, company ID or user password */
  CB_CONNECT_SENDER_CREDENTIALS,   /* wrong sender ID or sender password */
  CB_CONNECT_SENDER_NOT_AUTHORIZED,/* sender not in the company's Web Services authorizations */
  CB_CONNECT_NOT_SUBSCRIBED,       /* the company has no Web Services subscription */
  CB_CONNECT_ENTITY,               /* the entity does not exist or the user may not enter it */
  CB_CONNECT_NETWORK,              /* gateway unreachable */
  CB_CONNECT_TLS,                  /* certificate not trusted */
  CB_CONNECT_RATE_LIMITED,
  CB_CONNECT_ENDPOINT,             /* gateway URL not allowed */
  CB_CONNECT_COMPANY_UNAVAILABLE,  /* demo expired, locked, off-line */
  CB_CONNECT_KEYRING,              /* secrets could not be read from the keyring */
  CB_CONNECT_OTHER,
} CbConnectProblem;

/* What went wrong, in words for an admin: never a raw error dump. */
typedef struct
{
  CbConnectProblem problem;
  char            *title;       /* "The sender ID is not authorised for this company" */
  char            *advice;      /* what to do and where (Intacct menu paths) */
  char            *support_id;  /* Intacct's Support ID, or NULL */
} CbConnectDiagnosis;

CbConnectDiagnosis *cb_connect_diagnose        (const GError        *error);
void                cb_connect_diagnosis_free  (CbConnectDiagnosis  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbConnectDiagnosis, cb_connect_diagnosis_free)

/* Process exit codes of costbridge-cli, shared so scripts can rely on them. */
typedef enum
{
  CB_EXIT_OK = 0,
  CB_EXIT_FAILURE = 1,         /* anything else */
  CB_EXIT_USAGE = 2,
  CB_EXIT_CREDENTIALS = 3,     /* user or sender credentials refused */
  CB_EXIT_NETWORK = 4,         /* gateway unreachable, TLS, rate limited */
  CB_EXIT_PERMISSIONS = 5,     /* a permission or subscription is missing */
  CB_EXIT_KEYRING = 6,         /* no usable Secret Service */
} CbExitCode;

CbExitCode cb_connect_problem_to_exit_code (CbConnectProblem problem);

/* Builds credentials from a profile and its two secrets (borrowed, copied). */
CbIntacctCredentials *cb_connection_credentials (const CbProfile *profile,
                                                 const char      *user_password,
                                                 const char      *sender_password);

/* Connects (login + getAPISession for the profile's entity). On success returns the
 * connected client. On failure returns NULL with @error (diagnose it). */
CbIntacctClient *cb_connection_test             (const CbIntacctCredentials *credentials,
                                                 GCancellable               *cancellable,
                                                 GError                    **error);

/* Entities the user may enter, top level first as a record with LOCATIONID "" and NAME
 * "Top level"; then each entity (LOCATIONID, NAME, RECORDNO). */
GPtrArray       *cb_connection_list_entities    (CbIntacctClient            *client,
                                                 GCancellable               *cancellable,
                                                 GError                    **error);

typedef enum
{
  CB_CAPABILITY_GRANTED,
  CB_CAPABILITY_MISSING,
  CB_CAPABILITY_NOT_SUBSCRIBED,
  CB_CAPABILITY_UNKNOWN,       /* the check itself failed (network…); message says why */
} CbCapabilityState;

typedef struct
{
  const char *object;          /* "VENDOR" */
  const char *operation;       /* "read" or "create" */
  const char *feature;         /* the Costbridge feature that needs it, in words */
  const char *grant;           /* the Intacct permission to grant, with its menu path */
  gboolean    construction;    /* needs the Construction subscription */
} CbCapability;

const CbCapability *cb_capabilities_get_all (guint *n_capabilities);

typedef struct
{
  const CbCapability *capability;
  CbCapabilityState   state;
  char               *message;  /* what was seen, in words */
} CbProbeResult;

void       cb_probe_result_free          (CbProbeResult   *self);

/* Checks every capability without changing anything in Intacct: reads with a one-record
 * readByQuery; creates with a create that lacks its required fields, so that Intacct either
 * refuses the permission or refuses the record, and nothing is ever written.
 * element-type CbProbeResult, in cb_capabilities_get_all() order. @progress may be NULL. */
GPtrArray *cb_connection_probe           (CbIntacctClient *client,
                                          void           (*progress) (guint done, guint total, gpointer data),
                                          gpointer         progress_data,
                                          GCancellable    *cancellable,
                                          GError         **error);

/* Pulls the reference objects behind the accounting defaults (GLACCOUNT, LOCATION,
 * DEPARTMENT, ITEM, STANDARDCOSTTYPE) into the cache for @profile_id. */
gboolean   cb_connection_refresh_defaults_data (CbIntacctClient *client,
                                                CbDatabase      *db,
                                                const char      *profile_id,
                                                GCancellable    *cancellable,
                                                GError         **error);

/* Checks the profile's defaults against the cache (each must exist, be active, and belong
 * to the profile's entity or the top level). Errors name the default and the value. */
gboolean   cb_connection_validate_defaults (CbDatabase      *db,
                                            const CbProfile *profile,
                                            GError         **error);

G_END_DECLS
