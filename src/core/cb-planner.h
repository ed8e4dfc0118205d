/* cb-planner.h: what a sync would write to Intacct, record by record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plan is built from the job-side records (cb-job-store.h), the mappings
 * (cb-mapping-store.h), the profile's accounting defaults (cb-profile.h), the Intacct
 * cache (cb-intacct-cache.h) and what earlier runs already wrote (cb-run-store.h). It names
 * every record to create or update in Intacct, with every field it would write, and every
 * record that cannot go, with the reason in words and where to fix it.
 *
 * Kinds and the stage each is sent in (a stage waits for the answers of the one before, so
 * a bill never leaves before its new vendor, project, task or cost type exists):
 *   stage 0  VENDOR            vendors marked "create in Intacct"
 *            STANDARDCOSTTYPE  cost types marked "create in Intacct"
 *   stage 1  STANDARDTASK      cost codes marked "create in Intacct" (may list cost types)
 *   stage 2  PROJECT           jobs marked "create in Intacct", with the profile's defaults
 *   stage 3  TASK              each (project, cost code) a bill line uses, from its standard
 *                              task (STANDARDTASKID)
 *   stage 4  COSTTYPE          each (project, cost code, cost type) a bill line uses
 *   stage 5  APBILL            bills with APBILLITEMS lines (ACCOUNTNO, TRX_AMOUNT,
 *                              ENTRYDESCRIPTION, PROJECTID, TASKID, COSTTYPEID, LOCATIONID,
 *                              DEPARTMENTID)
 * TASK and COSTTYPE items under a project that already exists in Intacct are "ensure" items:
 * the runner looks them up first and creates only the missing ones.
 *
 * Every item has a key that is stable across plans ("bill:B-1001", "task:P-12/03-300"), so
 * the run store can tell that a record was already synced, and with which content.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cb-database.h"
#include "cb-intacct-record.h"
#include "cb-job-store.h"
#include "cb-mapping-store.h"
#include "cb-profile.h"

G_BEGIN_DECLS

typedef enum
{
  CB_PLAN_KIND_VENDOR,
  CB_PLAN_KIND_STANDARD_COST_TYPE,
  CB_PLAN_KIND_STANDARD_TASK,
  CB_PLAN_KIND_PROJECT,
  CB_PLAN_KIND_TASK,
  CB_PLAN_KIND_COST_TYPE,
  CB_PLAN_KIND_BILL,
  CB_PLAN_N_KINDS
} CbPlanKind;

/* "vendor", "standard_cost_type", "standard_task", "project", "task", "cost_type", "bill". */
const char *cb_plan_kind_to_string      (CbPlanKind  kind);
gboolean    cb_plan_kind_from_string    (const char *text,
                                         CbPlanKind *kind);
/* For people, translated, plural: "Vendors", "Bills"… */
const char *cb_plan_kind_get_label      (CbPlanKind  kind);
/* "VENDOR", "STANDARDCOSTTYPE", "STANDARDTASK", "PROJECT", "TASK", "COSTTYPE", "APBILL". */
const char *cb_plan_kind_intacct_object (CbPlanKind  kind);
/* The stage the kind is sent in (0–5, see above). */
guint       cb_plan_kind_get_stage      (CbPlanKind  kind);
#define CB_PLAN_N_STAGES 6

typedef enum
{
  CB_PLAN_ACTION_CREATE,
  CB_PLAN_ACTION_UPDATE,       /* a record an earlier run created, changed since: by RECORDNO */
  CB_PLAN_ACTION_ENSURE,       /* look it up, create it only when missing (TASK, COSTTYPE) */
  CB_PLAN_ACTION_NONE,         /* blocked, or already synced and unchanged (skipped) */
} CbPlanAction;

/* "create", "update", "ensure", "none". */
const char *cb_plan_action_to_string (CbPlanAction action);
/* For people, translated: "Create", "Update", "Create if missing", "Nothing". */
const char *cb_plan_action_get_label (CbPlanAction action);

/* Where a blocked item is fixed. */
typedef enum
{
  CB_PLAN_FIX_NONE,
  CB_PLAN_FIX_MAPPING,         /* a mapping row: fix_mapping_kind + fix_target (job-side ID) */
  CB_PLAN_FIX_DEFAULT,         /* a profile default: fix_target = "default_ap_account",
                                * "default_location", "default_department",
                                * "default_cost_type" (CbProfile's field names) */
  CB_PLAN_FIX_RECORD,          /* the job-side record itself: fix_target = its ID, in the
                                * job-side kind fix_job_kind (re-import it) */
} CbPlanFixKind;

/* One field written, as name/value text. Nested fields use dots ("DISPLAYCONTACT.PRINTAS"). */
typedef struct
{
  char *name;
  char *value;
} CbPlanField;

typedef struct
{
  CbPlanKind      kind;
  CbPlanAction    action;
  char           *key;              /* stable item key: "bill:B-1001" */
  CbJobKind       job_kind;         /* the job-side record it comes from */
  char           *job_id;           /* its external ID (for TASK/COSTTYPE: the job's) */
  char           *label;            /* for people: "Bill 1001 from Acme Concrete" */
  char           *intacct_object;   /* "APBILL" */
  char           *intacct_id;       /* the natural key it is looked up by: VENDORID,
                                     * PROJECTID, STANDARDTASKID, TASKID, COSTTYPEID, the
                                     * bill's RECORDID (bill number) */
  char           *intacct_parent;   /* the scope of intacct_id: the bill's VENDORID, the
                                     * task's PROJECTID, the cost type's "PROJECTID/TASKID";
                                     * NULL for the others */
  char           *intacct_recordno; /* UPDATE: the RECORDNO to update; else NULL */
  CbIntacctRecord *record;          /* the object element to write ("APBILL" with
                                     * APBILLITEMS), or NULL when blocked */
  GPtrArray      *fields;           /* (element-type CbPlanField) header fields, in order */
  GPtrArray      *lines;            /* (element-type GPtrArray<CbPlanField>) bill lines;
                                     * empty for other kinds; never NULL */
  gint64          amount_cents;     /* bills: the total; else 0 */
  char           *content_hash;     /* SHA-1 of what is written: "unchanged" means equal */
  GStrv           depends_on;       /* keys of items of this plan it waits for; may be NULL */
  /* blocked */
  gboolean        blocked;
  char           *blocked_reason;   /* in words, translated; NULL unless blocked */
  CbPlanFixKind   fix_kind;
  CbMappingKind   fix_mapping_kind; /* CB_PLAN_FIX_MAPPING */
  CbJobKind       fix_job_kind;     /* CB_PLAN_FIX_RECORD */
  char           *fix_target;       /* see CbPlanFixKind */
} CbPlanItem;

/* A new item (not blocked, no record yet); @job_id may be NULL. */
CbPlanItem *cb_plan_item_new          (CbPlanKind         kind,
                                       CbPlanAction       action,
                                       const char        *key,
                                       CbJobKind          job_kind,
                                       const char        *job_id,
                                       const char        *label);
void        cb_plan_item_free         (CbPlanItem        *item);
/* Sets the record (transfer full), refills fields/lines from it, and the content hash. */
void        cb_plan_item_set_record   (CbPlanItem        *item,
                                       CbIntacctRecord   *record);
/* Marks the item blocked (action NONE, record dropped) with a reason and a fix. */
void        cb_plan_item_block        (CbPlanItem        *item,
                                       const char        *reason,
                                       CbPlanFixKind      fix_kind,
                                       int                fix_sub_kind,  /* CbMappingKind or CbJobKind */
                                       const char        *fix_target);
/* A field's value (dotted names for nested fields), or NULL. */
const char *cb_plan_item_get_field    (const CbPlanItem  *item,
                                       const char        *name);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPlanItem, cb_plan_item_free)

typedef struct
{
  guint create;
  guint update;
  guint ensure;
  guint blocked;
  guint unchanged;      /* already synced and unchanged: not in the plan's items */
} CbPlanKindCounts;

typedef struct
{
  CbPlanKindCounts kinds[CB_PLAN_N_KINDS];
  guint            to_write;      /* create + update + ensure, over every kind */
  guint            blocked;
  guint            unchanged;
  gint64           bill_cents;    /* total of the bills to write */
} CbPlanCounts;

typedef struct _CbPlan CbPlan;

/* An empty plan for @profile_id, to fill with cb_plan_add_item() (tests build plans so). */
CbPlan      *cb_plan_new              (const char        *profile_id);
CbPlan      *cb_plan_ref              (CbPlan            *plan);
void         cb_plan_unref            (CbPlan            *plan);
const char  *cb_plan_get_profile_id   (const CbPlan      *plan);
/* Appends @item (transfer full). Items are kept in stage order when the plan is built; an
 * added item goes last. */
void         cb_plan_add_item         (CbPlan            *plan,
                                       CbPlanItem        *item);
/* (element-type CbPlanItem) (transfer none): every item, blocked ones included, by stage
 * then label. */
GPtrArray   *cb_plan_get_items        (const CbPlan      *plan);
CbPlanItem  *cb_plan_find_item        (const CbPlan      *plan,
                                       const char        *key);
/* Counts, recomputed from the items (plus the unchanged records the planner skipped). */
void         cb_plan_get_counts       (const CbPlan      *plan,
                                       CbPlanCounts      *counts);
/* The plan as JSON: {"profile": …, "counts": {…}, "items": [{kind, action, key, label,
 * job_id, intacct_object, intacct_id, blocked, reason, fix: {kind, mapping, target},
 * fields: {NAME: value…}, lines: [{…}…]}…]}. Without @with_fields, fields/lines are left
 * out. */
JsonNode    *cb_plan_to_json          (const CbPlan      *plan,
                                       gboolean           with_fields);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPlan, cb_plan_unref)

typedef struct
{
  /* Only items with these keys (NULL: all). Used to retry a run's failed items. */
  const char * const *only_keys;
  /* Plan records already synced and unchanged again (as updates of what exists). */
  gboolean            include_unchanged;
  /* The day bills are synced, for CB_BILL_DATE_SYNC_DAY (NULL: today). */
  GDateTime          *now;
} CbPlanOptions;

/* Builds the plan for @profile from the store (blocking; any thread with its own
 * connection). @options may be NULL. */
CbPlan      *cb_planner_build         (CbDatabase          *db,
                                       const CbProfile     *profile,
                                       const CbPlanOptions *options,
                                       GError             **error);

/* Builds the plan in a worker thread, on a connection of its own to the database file
 * at @db_path, for the profile @profile_id as stored there. @source_object (may be NULL)
 * becomes the source of the GAsyncResult; the result is a GTask whose cancellable is
 * @cancellable. */
void         cb_planner_build_async   (gpointer             source_object,
                                       const char          *db_path,
                                       const char          *profile_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
/* Returns: (transfer full): the plan, or NULL with @error set. */
CbPlan      *cb_planner_build_finish  (GAsyncResult        *result,
                                       GError             **error);

/* The outbox's serialisation of a record to write (JSON), and back. */
char            *cb_plan_record_to_json_string   (const CbIntacctRecord *record);
CbIntacctRecord *cb_plan_record_from_json_string (const char            *text,
                                                  GError               **error);

G_END_DECLS
