/* cb-error.h: Costbridge error domains
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CbIntacctErrorCode:
 *
 * What went wrong talking to Intacct, sorted by what a caller can do about it.
 * Every error in this domain carries details (see cb_intacct_error_get_details()):
 * the level it was reported at, the HTTP status, and every Intacct <error> with its
 * errorno, description, description2, correction and decoded Support ID.
 */
typedef enum
{
  CB_INTACCT_ERROR_AUTH_FAILED,           /* wrong user, company or password */
  CB_INTACCT_ERROR_SENDER_NOT_AUTHORIZED, /* sender ID/password wrong, or not authorised for the company */
  CB_INTACCT_ERROR_PERMISSION_DENIED,     /* the user lacks a permission */
  CB_INTACCT_ERROR_NOT_SUBSCRIBED,        /* the company lacks a module (e.g. Construction) */
  CB_INTACCT_ERROR_ENTITY_NOT_ACCESSIBLE, /* the entity does not exist or the user may not enter it */
  CB_INTACCT_ERROR_RATE_LIMITED,          /* 429 / GW-0010, after the retries ran out */
  CB_INTACCT_ERROR_SESSION_INVALID,       /* the session expired or is unknown */
  CB_INTACCT_ERROR_DUPLICATE,             /* a record with that ID already exists */
  CB_INTACCT_ERROR_ALREADY_EXECUTED,      /* uniqueid=true refused a function control ID already done */
  CB_INTACCT_ERROR_NOT_FOUND,             /* a record or object does not exist */
  CB_INTACCT_ERROR_ROLLED_BACK,           /* aborted: another function in the transaction failed */
  CB_INTACCT_ERROR_INVALID_REQUEST,       /* the gateway refused the request (schema, XL03000003, GW-0011) */
  CB_INTACCT_ERROR_MALFORMED_REPLY,       /* the reply is not a well-formed Intacct response */
  CB_INTACCT_ERROR_OUTCOME_UNKNOWN,       /* a write may or may not have run (timeout, 524, dropped) */
  CB_INTACCT_ERROR_NETWORK,               /* could not reach the gateway; nothing was sent */
  CB_INTACCT_ERROR_TLS,                   /* the certificate could not be verified */
  CB_INTACCT_ERROR_SERVER,                /* 5xx after the retries ran out */
  CB_INTACCT_ERROR_ENDPOINT_REFUSED,      /* the endpoint is not an Intacct host (nor loopback) */
  CB_INTACCT_ERROR_COMPANY_UNAVAILABLE,   /* demo expired, company locked, service off-line */
  CB_INTACCT_ERROR_OTHER,
} CbIntacctErrorCode;

/* Where in the reply an error was found. */
typedef enum
{
  CB_INTACCT_LEVEL_TRANSPORT,      /* HTTP or network, no usable XML */
  CB_INTACCT_LEVEL_CONTROL,        /* response/control/status = failure */
  CB_INTACCT_LEVEL_AUTHENTICATION, /* operation/authentication/status = failure */
  CB_INTACCT_LEVEL_RESULT,         /* result/status = failure or aborted */
} CbIntacctErrorLevel;

/* One <error> element of an <errormessage>. Every string may be NULL. */
typedef struct
{
  char *errorno;
  char *description;
  char *description2;
  char *correction;
  char *support_id;  /* decoded from "[Support ID: …]" in description2, or NULL */
} CbIntacctErrorEntry;

CbIntacctErrorEntry *cb_intacct_error_entry_new   (const char                *errorno,
                                                   const char                *description,
                                                   const char                *description2,
                                                   const char                *correction);
CbIntacctErrorEntry *cb_intacct_error_entry_copy  (const CbIntacctErrorEntry *entry);
void                 cb_intacct_error_entry_free  (CbIntacctErrorEntry       *entry);
char                *cb_intacct_error_entry_to_string (const CbIntacctErrorEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbIntacctErrorEntry, cb_intacct_error_entry_free)

/* Decodes the Support ID out of a description2 text ("…[Support ID: a%7Eb]…" → "a~b"). */
char *cb_intacct_decode_support_id (const char *text);

/* Strips markup and decodes HTML entities (&#039; &amp; …) as the SDKs do. */
char *cb_intacct_clean_text (const char *text);

typedef struct
{
  CbIntacctErrorLevel level;
  guint               http_status;          /* 0 when no HTTP reply was received */
  char               *function_control_id;  /* the function it belongs to, or NULL */
  GPtrArray          *entries;              /* (element-type CbIntacctErrorEntry) never NULL */
  GStrv               unsure_control_ids;   /* OUTCOME_UNKNOWN: the functions that may have run */
} CbIntacctErrorPrivate;

#define CB_INTACCT_ERROR (cb_intacct_error_quark ())
GQuark cb_intacct_error_quark (void);

/* The details of an error in CB_INTACCT_ERROR, or NULL for other domains. */
const CbIntacctErrorPrivate *cb_intacct_error_get_details (const GError *error);

/* Sets @error in CB_INTACCT_ERROR with details. @entries may be NULL; it is copied.
 * @message is the sentence for the user (already translated). */
void cb_intacct_set_error (GError            **error,
                           CbIntacctErrorCode  code,
                           CbIntacctErrorLevel level,
                           guint               http_status,
                           const char         *function_control_id,
                           GPtrArray          *entries,
                           const char         *message);

/* Adds the control IDs whose outcome is unknown to an OUTCOME_UNKNOWN error. */
void cb_intacct_error_set_unsure_control_ids (GError             *error,
                                              const char * const *control_ids);

/* The first entry's Support ID, if any. */
const char *cb_intacct_error_get_support_id (const GError *error);

/* Overwrites a secret string with zeros, frees it and sets *@secret to NULL. */
void cb_clear_secret (char **secret);

/* Database and sync domains, filled in by the store and sync issues. */
typedef enum
{
  CB_DATABASE_ERROR_OPEN,
  CB_DATABASE_ERROR_SCHEMA,
  CB_DATABASE_ERROR_CONSTRAINT,
  CB_DATABASE_ERROR_IO,
  CB_DATABASE_ERROR_NOT_FOUND,
  CB_DATABASE_ERROR_INVALID,    /* a value fails validation; the message names the field */
} CbDatabaseErrorCode;

#define CB_DATABASE_ERROR (cb_database_error_quark ())
GQuark cb_database_error_quark (void);

/* Importing job-side files (cb-import.h). */
typedef enum
{
  CB_IMPORT_ERROR_INVALID,      /* records were rejected: the report lists every problem */
  CB_IMPORT_ERROR_FORMAT,       /* not JSON / CSV at all, or no header, or an unknown kind */
  CB_IMPORT_ERROR_READ,         /* the file could not be read */
} CbImportErrorCode;

#define CB_IMPORT_ERROR (cb_import_error_quark ())
GQuark cb_import_error_quark (void);

/* Mappings (cb-mapping-store.h). */
typedef enum
{
  CB_MAPPING_ERROR_INVALID,     /* a row in a mappings CSV, or a pick that cannot be made */
  CB_MAPPING_ERROR_NOTHING_TO_UNDO,
} CbMappingErrorCode;

#define CB_MAPPING_ERROR (cb_mapping_error_quark ())
GQuark cb_mapping_error_quark (void);

/* Plans and runs (cb-planner.h, cb-sync-runner.h). */
typedef enum
{
  CB_SYNC_ERROR_BUSY,           /* another run of this company is in progress */
  CB_SYNC_ERROR_BLOCKED,        /* nothing can go: every item is blocked */
  CB_SYNC_ERROR_CANCELLED,
  CB_SYNC_ERROR_NOT_FOUND,      /* no such run */
  CB_SYNC_ERROR_FAILED,         /* the run ended with failed or unsure items */
  CB_SYNC_ERROR_MAINTENANCE,    /* inside the maintenance window: scheduled runs wait */
} CbSyncErrorCode;

#define CB_SYNC_ERROR (cb_sync_error_quark ())
GQuark cb_sync_error_quark (void);

G_END_DECLS
