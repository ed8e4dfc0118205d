/* cb-job-store.h: the job-management side's records, kept per company profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Six kinds of record come from the job-management system's exports: jobs, cost codes,
 * cost types, vendors, bills (with lines) and commitments (subcontracts and purchase
 * orders, with lines). Each is keyed by its external ID (the job system's own ID), unique
 * per profile and kind. Re-importing updates a record in place; a record missing from a
 * *full* re-import of its kind is marked vanished (vanished_at), never deleted, and comes
 * back if a later import has it again.
 *
 * Values are stored normalised, as the importers produce them: dates as ISO 8601
 * ("2026-03-14"), amounts as integer cents (signed: credits are negative), statuses in
 * lower case. Every multi-row change runs in one transaction. Schema: migration 2
 * (cb-schema-2-jobs.inc): tables job_records and job_lines, STRICT, indexed for lookups by
 * (profile, kind, id), by code and by name, and for paging in code order.
 *
 * The fields of each kind (the documented import format; * = required):
 *   job:        id*, number*, name*, status (open|closed), customer, start_date, end_date,
 *               address
 *   cost_code:  id*, code*, name*, division
 *   cost_type:  id*, code*, name*
 *   vendor:     id*, name*, code, tax_id, email, phone, address, status (active|inactive)
 *   bill:       id*, vendor_id*, number*, date*, due_date, currency, memo, status
 *               lines: job_id*, cost_code_id*, cost_type_id, amount*, memo, gl_account
 *   commitment: id*, vendor_id*, job_id*, number*, date, description, status
 *               lines: cost_code_id*, cost_type_id, amount*, memo
 * CbJobRecord's code is number (job, bill, commitment) or code (the others; a vendor's code
 * may be NULL); its name is name, or memo (bill) or description (commitment).
 */

#pragma once

#include <gio/gio.h>

#include "cb-database.h"

G_BEGIN_DECLS

typedef enum
{
  CB_JOB_KIND_JOB,
  CB_JOB_KIND_COST_CODE,
  CB_JOB_KIND_COST_TYPE,
  CB_JOB_KIND_VENDOR,
  CB_JOB_KIND_BILL,
  CB_JOB_KIND_COMMITMENT,
  CB_JOB_N_KINDS
} CbJobKind;

/* "job", "cost_code", "cost_type", "vendor", "bill", "commitment". */
const char *cb_job_kind_to_string   (CbJobKind   kind);
/* Also accepts plurals and dashes ("cost-codes"); FALSE when unknown. */
gboolean    cb_job_kind_from_string (const char *text,
                                     CbJobKind  *kind);
/* For people, translated: "Cost codes". */
const char *cb_job_kind_get_label   (CbJobKind   kind);
/* TRUE for bill and commitment. */
gboolean    cb_job_kind_has_lines   (CbJobKind   kind);

typedef struct
{
  guint  line_no;        /* 1-based, in file order */
  char  *job_id;         /* bill lines; a commitment's lines use the commitment's job */
  char  *cost_code_id;
  char  *cost_type_id;   /* may be NULL */
  gint64 amount_cents;
  char  *memo;
  char  *gl_account;     /* bill lines; may be NULL */
} CbJobLine;

void       cb_job_line_free (CbJobLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbJobLine, cb_job_line_free)

typedef struct
{
  CbJobKind   kind;
  char       *id;          /* external ID */
  char       *code;        /* see above */
  char       *name;
  char       *status;      /* NULL when the export has none */
  GHashTable *fields;      /* every field by its format name (id, code, name… included),
                            * normalised text values; never NULL */
  GPtrArray  *lines;       /* CbJobLine, for bills and commitments (NULL otherwise, and
                            * when listed without lines) */
  GDateTime  *first_seen;  /* set by the store */
  GDateTime  *last_seen;
  GDateTime  *vanished_at; /* NULL unless missing from the last full import */
} CbJobRecord;

CbJobRecord *cb_job_record_new       (CbJobKind          kind,
                                      const char        *id);
void         cb_job_record_free      (CbJobRecord       *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbJobRecord, cb_job_record_free)
/* A field's value, or NULL. */
const char  *cb_job_record_get       (const CbJobRecord *record,
                                      const char        *field);
/* Sets a field (NULL removes it) and keeps code/name/status in step. */
void         cb_job_record_set       (CbJobRecord       *record,
                                      const char        *field,
                                      const char        *value);
/* Sum of the lines' amounts, in cents (0 without lines). */
gint64       cb_job_record_total_cents (const CbJobRecord *record);
/* An amount for people to read: 123456 → "1,234.56", -5 → "−0.05" (U+2212). */
char        *cb_job_format_amount    (gint64             cents);

typedef struct
{
  guint added;
  guint updated;
  guint unchanged;
  guint vanished;     /* newly marked vanished by a full import */
} CbJobApplyCounts;

/* Upserts @records (all of @kind) by external ID, stamps last_seen, clears vanished_at
 * on the ones present, and with @full marks every other non-vanished record of @kind
 * vanished. Runs inside the caller's transaction when one is open (so an import of
 * several files is all-or-nothing), else in its own. A record whose fields and lines
 * are unchanged counts as unchanged. @counts may be NULL. */
gboolean     cb_job_store_apply      (CbDatabase        *db,
                                      const char        *profile_id,
                                      CbJobKind          kind,
                                      GPtrArray         *records,
                                      gboolean           full,
                                      CbJobApplyCounts  *counts,
                                      GError           **error);

/* The record with its lines, or NULL without error when absent. */
CbJobRecord *cb_job_store_find       (CbDatabase        *db,
                                      const char        *profile_id,
                                      CbJobKind          kind,
                                      const char        *id,
                                      GError           **error);

typedef struct
{
  const char *search;            /* case-insensitive substring of id, code or name; NULL: all */
  gboolean    include_vanished;
  gboolean    with_lines;        /* load lines for bills and commitments */
  guint       offset;
  guint       limit;             /* 0: no limit */
} CbJobQuery;

/* Records of @kind ordered by code then id, as @query says (NULL: all, no lines).
 * element-type CbJobRecord. */
GPtrArray   *cb_job_store_list       (CbDatabase        *db,
                                      const char        *profile_id,
                                      CbJobKind          kind,
                                      const CbJobQuery  *query,
                                      GError           **error);
/* How many records cb_job_store_list would return without offset and limit. */
guint        cb_job_store_count      (CbDatabase        *db,
                                      const char        *profile_id,
                                      CbJobKind          kind,
                                      const CbJobQuery  *query,
                                      GError           **error);
/* When records of @kind were last imported for the profile, or NULL if never. */
GDateTime   *cb_job_store_last_import (CbDatabase       *db,
                                       const char       *profile_id,
                                       CbJobKind         kind);

G_END_DECLS
