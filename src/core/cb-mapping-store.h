/* cb-mapping-store.h: which Intacct record each job-side record corresponds to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four kinds of mapping: cost codes ↔ STANDARDTASK, cost types ↔ STANDARDCOSTTYPE,
 * vendors ↔ VENDOR, jobs ↔ PROJECT. A mapping is keyed by stable IDs on both sides: the
 * job-side external ID, and the Intacct RECORDNO together with the ID and name it had
 * when mapped. A row's state:
 *   MAPPED     to an Intacct record (manual, automatic, imported from CSV, or created by a
 *              sync);
 *   SUGGESTED  the matcher proposes a record (score and reason), nobody accepted it yet;
 *   UNMAPPED   nothing;
 *   CREATE     the record is to be created in Intacct by the next sync;
 *   STALE      mapped, but after a pull the counterpart was renamed (its ID changed),
 *              made inactive, or is gone from Intacct; stale_reason says which.
 * Every job-side record of the kind is a row (UNMAPPED unless said otherwise); vanished
 * job-side records are not listed.
 *
 * Every change is one action: it runs in one transaction, goes on the kind's undo stack
 * (redo is cleared by a new action), and into the history with who (the OS user name),
 * when and how (manual, automatic, imported, sync). Schema: migration 3
 * (cb-schema-3-mappings.inc).
 *
 * Reads for the grid are paged in SQL (offset/limit), sorted and filtered in SQL with
 * indexes, so a page of 100,000 rows opens without loading them all.
 */

#pragma once

#include <gio/gio.h>

#include "cb-database.h"
#include "cb-job-store.h"
#include "cb-matcher.h"

G_BEGIN_DECLS

typedef enum
{
  CB_MAPPING_COST_CODES,
  CB_MAPPING_COST_TYPES,
  CB_MAPPING_VENDORS,
  CB_MAPPING_PROJECTS,
  CB_MAPPING_N_KINDS
} CbMappingKind;

/* "cost-codes", "cost-types", "vendors", "projects" (the window's page names). */
const char *cb_mapping_kind_to_string      (CbMappingKind  kind);
/* Also accepts "cost_codes", "cost-code", "jobs"…; FALSE when unknown. */
gboolean    cb_mapping_kind_from_string    (const char    *text,
                                            CbMappingKind *kind);
CbJobKind   cb_mapping_kind_job_kind       (CbMappingKind  kind);
/* "STANDARDTASK", "STANDARDCOSTTYPE", "VENDOR", "PROJECT". */
const char *cb_mapping_kind_intacct_object (CbMappingKind  kind);
CbMatchKind cb_mapping_kind_match_kind     (CbMappingKind  kind);

typedef enum
{
  CB_MAPPING_STATE_UNMAPPED,
  CB_MAPPING_STATE_SUGGESTED,
  CB_MAPPING_STATE_MAPPED,
  CB_MAPPING_STATE_CREATE,
  CB_MAPPING_STATE_STALE,
} CbMappingState;

/* "unmapped", "suggested", "mapped", "create", "stale". */
const char *cb_mapping_state_to_string (CbMappingState state);
/* For people, translated: "Unmapped", "Suggested", "Mapped", "Create in Intacct", "Stale". */
const char *cb_mapping_state_get_label (CbMappingState state);

typedef enum
{
  CB_MAPPING_HOW_NONE,
  CB_MAPPING_HOW_MANUAL,
  CB_MAPPING_HOW_AUTO,
  CB_MAPPING_HOW_IMPORTED,
  CB_MAPPING_HOW_SYNC,
} CbMappingHow;

const char *cb_mapping_how_to_string (CbMappingHow how);   /* "manual", "auto"… */

typedef struct
{
  CbMappingKind   kind;
  /* The job side. */
  char           *job_id;
  char           *job_code;
  char           *job_name;
  char           *job_extra;          /* vendors: tax ID; jobs: customer; else NULL */
  /* The state and the Intacct side (mapped or suggested counterpart, else NULL). */
  CbMappingState  state;
  char           *intacct_recordno;
  char           *intacct_id;
  char           *intacct_name;
  guint           score;              /* suggestions and automatic mappings, else 0 */
  char           *reason;             /* "same code", "name 92% alike"…; NULL if none */
  char           *stale_reason;       /* STALE only: "renamed in Intacct to …", "inactive…" */
  CbMappingHow    how;
  char           *changed_by;
  GDateTime      *changed_at;         /* NULL when never changed */
} CbMappingRow;

void cb_mapping_row_free (CbMappingRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbMappingRow, cb_mapping_row_free)

typedef enum
{
  CB_MAPPING_FILTER_ALL,
  CB_MAPPING_FILTER_UNMAPPED,
  CB_MAPPING_FILTER_SUGGESTED,
  CB_MAPPING_FILTER_MAPPED,
  CB_MAPPING_FILTER_CREATE,
  CB_MAPPING_FILTER_STALE,
} CbMappingFilter;

typedef enum
{
  CB_MAPPING_SORT_JOB_CODE,
  CB_MAPPING_SORT_JOB_NAME,
  CB_MAPPING_SORT_INTACCT_ID,
  CB_MAPPING_SORT_INTACCT_NAME,
  CB_MAPPING_SORT_STATE,
  CB_MAPPING_SORT_SCORE,
} CbMappingSort;

typedef struct
{
  CbMappingFilter filter;
  const char     *search;       /* case-insensitive, across both sides' code/ID and name */
  CbMappingSort   sort;
  gboolean        descending;
  guint           offset;
  guint           limit;        /* 0: no limit */
} CbMappingQuery;

/* Rows as @query says (NULL: all, by job code). element-type CbMappingRow. */
GPtrArray *cb_mapping_store_list   (CbDatabase           *db,
                                    const char           *profile_id,
                                    CbMappingKind         kind,
                                    const CbMappingQuery *query,
                                    GError              **error);
/* How many rows @query matches, ignoring offset and limit. */
guint      cb_mapping_store_count  (CbDatabase           *db,
                                    const char           *profile_id,
                                    CbMappingKind         kind,
                                    const CbMappingQuery *query,
                                    GError              **error);
/* One row, or NULL without error when the job-side record is absent. */
CbMappingRow *cb_mapping_store_get (CbDatabase           *db,
                                    const char           *profile_id,
                                    CbMappingKind         kind,
                                    const char           *job_id,
                                    GError              **error);

typedef struct
{
  guint total, unmapped, suggested, mapped, create, stale;
} CbMappingCounts;

gboolean   cb_mapping_store_counts (CbDatabase           *db,
                                    const char           *profile_id,
                                    CbMappingKind         kind,
                                    CbMappingCounts      *counts,
                                    GError              **error);

/* Runs the matcher over the kind's job-side records without a mapping (UNMAPPED or
 * SUGGESTED; manual, imported and CREATE rows are never touched) and the cached Intacct
 * records: AUTO results become MAPPED (how = auto), SUGGEST results SUGGESTED, NONE
 * results stay UNMAPPED. One action. @counts (may be NULL) receives the new totals. */
gboolean   cb_mapping_store_auto_match (CbDatabase              *db,
                                        const char              *profile_id,
                                        CbMappingKind            kind,
                                        const CbMatchThresholds *thresholds,
                                        CbMappingCounts         *counts,
                                        GError                 **error);

/* Maps the job-side records @job_ids (NULL-terminated) to the cached Intacct record
 * @intacct_recordno (manual). One action. */
gboolean   cb_mapping_store_set        (CbDatabase           *db,
                                        const char           *profile_id,
                                        CbMappingKind         kind,
                                        const char * const   *job_ids,
                                        const char           *intacct_recordno,
                                        GError              **error);
/* Marks @job_ids "create in Intacct". One action. */
gboolean   cb_mapping_store_set_create (CbDatabase           *db,
                                        const char           *profile_id,
                                        CbMappingKind         kind,
                                        const char * const   *job_ids,
                                        GError              **error);
/* Clears @job_ids back to UNMAPPED (suggestions dropped too). One action. */
gboolean   cb_mapping_store_clear      (CbDatabase           *db,
                                        const char           *profile_id,
                                        CbMappingKind         kind,
                                        const char * const   *job_ids,
                                        GError              **error);
/* Accepts the suggestions of @job_ids (NULL: every SUGGESTED row) whose score is at
 * least @min_score. One action; @n_accepted may be NULL. */
gboolean   cb_mapping_store_accept     (CbDatabase           *db,
                                        const char           *profile_id,
                                        CbMappingKind         kind,
                                        const char * const   *job_ids,
                                        guint                 min_score,
                                        guint                *n_accepted,
                                        GError              **error);
/* Called by the sync runner when it created @job_id's counterpart in Intacct: maps it
 * (how = sync). Not an undoable action, but recorded in the history. */
gboolean   cb_mapping_store_set_created (CbDatabase          *db,
                                         const char          *profile_id,
                                         CbMappingKind        kind,
                                         const char          *job_id,
                                         const char          *intacct_recordno,
                                         const char          *intacct_id,
                                         const char          *intacct_name,
                                         GError             **error);

/* Undo and redo, per profile and kind. The description names the action
 * ("Accept 12 suggestions"); NULL when there is nothing to undo/redo. */
char      *cb_mapping_store_undo_description (CbDatabase    *db,
                                              const char    *profile_id,
                                              CbMappingKind  kind);
char      *cb_mapping_store_redo_description (CbDatabase    *db,
                                              const char    *profile_id,
                                              CbMappingKind  kind);
/* FALSE with CB_MAPPING_ERROR_NOTHING_TO_UNDO when the stack is empty. */
gboolean   cb_mapping_store_undo   (CbDatabase    *db,
                                    const char    *profile_id,
                                    CbMappingKind  kind,
                                    GError       **error);
gboolean   cb_mapping_store_redo   (CbDatabase    *db,
                                    const char    *profile_id,
                                    CbMappingKind  kind,
                                    GError       **error);

typedef struct
{
  GDateTime     *at;
  char          *user;
  CbMappingHow   how;
  char          *action;         /* the action's description */
  char          *job_id;
  CbMappingState old_state, new_state;
  char          *old_intacct_id, *new_intacct_id;   /* may be NULL */
} CbMappingChange;

void       cb_mapping_change_free  (CbMappingChange *change);
/* Newest first, at most @limit (0: all), for one job-side record or all (@job_id NULL).
 * element-type CbMappingChange. */
GPtrArray *cb_mapping_store_history (CbDatabase    *db,
                                     const char    *profile_id,
                                     CbMappingKind  kind,
                                     const char    *job_id,
                                     guint          limit,
                                     GError       **error);

/* CSV with a header: kind, job_id, job_code, job_name, state, intacct_recordno,
 * intacct_id, intacct_name, score, reason, how, changed_by, changed_at. */
gboolean   cb_mapping_store_export_csv (CbDatabase     *db,
                                        const char     *profile_id,
                                        CbMappingKind   kind,
                                        GOutputStream  *out,
                                        GError        **error);
/* Applies a file in that format (job_id and one of intacct_id / intacct_recordno, or
 * state "create"/"unmapped"; other columns ignored), all or nothing, as one action
 * (how = imported). Rows name records of this profile by ID, so a file exported from one
 * entity or company applies to another where the IDs agree. A row whose job-side record
 * or Intacct record is unknown here is an error naming its line. */
gboolean   cb_mapping_store_import_csv (CbDatabase     *db,
                                        const char     *profile_id,
                                        CbMappingKind   kind,
                                        GInputStream   *in,
                                        guint          *n_changed,
                                        GError        **error);

typedef struct
{
  CbMappingState state;          /* MAPPED, CREATE, STALE or other */
  char          *intacct_recordno;
  char          *intacct_id;
} CbMappingTarget;

void       cb_mapping_target_free (CbMappingTarget *target);
/* For the planner: job_id → CbMappingTarget for every row of the kind that is MAPPED,
 * STALE or CREATE. */
GHashTable *cb_mapping_store_targets (CbDatabase    *db,
                                      const char    *profile_id,
                                      CbMappingKind  kind,
                                      GError       **error);

G_END_DECLS
