/* cb-sandbox-store.c: records, object definitions, indexes and the undo log of the sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every object lives in a table sorted by RECORDNO (new records get increasing numbers,
 * so appending keeps the order and readByQuery pages come out in natural order), with a
 * hash from RECORDNO and a hash from the object's unique key. Writes made while an undo
 * log is open can be rolled back to any mark: that gives function-level atomicity and
 * transaction="true" rollback without copying tables.
 */

#define G_LOG_DOMAIN "cb-sandbox-store"

#include "config.h"

#include <string.h>

#include "cb-sandbox-private.h"

typedef enum
{
  UNDO_INSERT,   /* undo: remove recordno */
  UNDO_REPLACE,  /* undo: put old back */
  UNDO_REMOVE,   /* undo: insert old again */
} UndoKind;

typedef struct
{
  UndoKind             kind;
  const CbSbObjectDef *def;
  guint                recordno;
  CbSbRecord          *old;   /* owned */
} UndoEntry;

struct _CbSbStore
{
  GHashTable *tables;      /* object name -> CbSbTable */
  guint       next_recordno;
  GArray     *undo;        /* UndoEntry; NULL when no log is open */
};

/* ---- errors -------------------------------------------------------------------------- */

void
cb_sb_error_free (CbSbError *error)
{
  if (error == NULL)
    return;
  g_free (error->errorno);
  g_free (error->description);
  g_free (error->description2);
  g_free (error->correction);
  g_free (error);
}

char *
cb_sb_support_id (void)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  GString *s = g_string_new (NULL);

  /* g_random_* is seeded from /dev/urandom and is thread-safe. */
  for (guint i = 0; i < 10; i++)
    g_string_append_c (s, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  g_string_append (s, "%7E");   /* "~", URL-encoded as the gateway does */
  for (guint i = 0; i < 22; i++)
    g_string_append_c (s, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  return g_string_free (s, FALSE);
}

void
cb_sb_errors_add (GPtrArray  *errors,
                  const char *errorno,
                  const char *description,
                  const char *description2,
                  const char *correction)
{
  CbSbError *error = g_new0 (CbSbError, 1);

  error->errorno = g_strdup (errorno);
  error->description = g_strdup (description ? description : "");
  if (description2 != NULL)
    {
      g_autofree char *support = cb_sb_support_id ();
      error->description2 = g_strdup_printf ("%s [Support ID: %s]", description2, support);
    }
  else
    error->description2 = g_strdup ("");
  error->correction = g_strdup (correction ? correction : "");
  g_ptr_array_add (errors, error);
}

/* ---- records ------------------------------------------------------------------------- */

static void
clear_field (CbSbField *field)
{
  g_free (field->value);
}

CbSbRecord *
cb_sb_record_new (const CbSbObjectDef *def)
{
  CbSbRecord *record = g_new0 (CbSbRecord, 1);

  record->def = def;
  record->fields = g_array_sized_new (FALSE, FALSE, sizeof (CbSbField), 12);
  g_array_set_clear_func (record->fields, (GDestroyNotify) clear_field);
  if (def != NULL && def->lines_container != NULL)
    record->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sb_record_free);
  return record;
}

CbSbRecord *
cb_sb_record_copy (const CbSbRecord *record)
{
  CbSbRecord *copy = cb_sb_record_new (record->def);

  copy->recordno = record->recordno;
  copy->entity = g_strdup (record->entity);
  for (guint i = 0; i < record->fields->len; i++)
    {
      const CbSbField *f = &g_array_index (record->fields, CbSbField, i);
      CbSbField nf = { f->name, g_strdup (f->value) };
      g_array_append_val (copy->fields, nf);
    }
  if (record->lines != NULL)
    {
      if (copy->lines == NULL)
        copy->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sb_record_free);
      for (guint i = 0; i < record->lines->len; i++)
        g_ptr_array_add (copy->lines, cb_sb_record_copy (g_ptr_array_index (record->lines, i)));
    }
  return copy;
}

void
cb_sb_record_free (CbSbRecord *record)
{
  if (record == NULL)
    return;
  g_array_unref (record->fields);
  g_clear_pointer (&record->lines, g_ptr_array_unref);
  g_free (record->entity);
  g_free (record);
}

static CbSbField *
find_field (const CbSbRecord *record,
            const char       *name)
{
  const char *interned = g_intern_string (name);

  for (guint i = 0; i < record->fields->len; i++)
    {
      CbSbField *f = &g_array_index (record->fields, CbSbField, i);
      if (f->name == interned)
        return f;
    }
  return NULL;
}

const char *
cb_sb_record_get (const CbSbRecord *record,
                  const char       *name)
{
  CbSbField *f = find_field (record, name);

  return f ? f->value : NULL;
}

void
cb_sb_record_set (CbSbRecord *record,
                  const char *name,
                  const char *value)
{
  CbSbField *f = find_field (record, name);

  if (f != NULL)
    {
      g_free (f->value);
      f->value = g_strdup (value ? value : "");
    }
  else
    {
      CbSbField nf = { g_intern_string (name), g_strdup (value ? value : "") };
      g_array_append_val (record->fields, nf);
    }
}

void
cb_sb_record_unset (CbSbRecord *record,
                    const char *name)
{
  const char *interned = g_intern_string (name);

  for (guint i = 0; i < record->fields->len; i++)
    if (g_array_index (record->fields, CbSbField, i).name == interned)
      {
        g_array_remove_index (record->fields, i);
        return;
      }
}

gboolean
cb_sb_record_is_empty (const CbSbRecord *record,
                       const char       *name)
{
  const char *v = cb_sb_record_get (record, name);

  return v == NULL || *v == '\0';
}

gboolean
cb_sb_visible (const CbSbRecord *record,
               const char       *entity)
{
  if (entity == NULL || record->entity == NULL)
    return TRUE;
  return strcmp (entity, record->entity) == 0;
}

char *
cb_sb_key_join (const char *a,
                const char *b,
                const char *c)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s", a ? a : "", b ? b : "", c ? c : "");
}

char *
cb_sb_now_modified (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%m/%d/%Y %H:%M:%S");
}

/* ---- object definitions ----------------------------------------------------------------- */

static char *
key_by_id (const CbSbRecord *record)
{
  const char *id = cb_sb_record_get (record, record->def->id_field);

  return (id != NULL && *id != '\0') ? g_strdup (id) : NULL;
}

static char *
key_task (const CbSbRecord *record)
{
  return cb_sb_key_join (cb_sb_record_get (record, "PROJECTID"),
                         cb_sb_record_get (record, "TASKID"), NULL);
}

static char *
key_costtype (const CbSbRecord *record)
{
  return cb_sb_key_join (cb_sb_record_get (record, "PROJECTID"),
                         cb_sb_record_get (record, "TASKID"),
                         cb_sb_record_get (record, "COSTTYPEID"));
}

static char *
key_apbill (const CbSbRecord *record)
{
  /* The bill number is unique per vendor; bills without one are not checked. */
  if (cb_sb_record_is_empty (record, "RECORDID"))
    return NULL;
  return cb_sb_key_join (cb_sb_record_get (record, "VENDORID"),
                         cb_sb_record_get (record, "RECORDID"), NULL);
}

static gboolean
is_date (const char *s)
{
  guint m, d, y;
  char tail;

  if (s == NULL || strlen (s) != 10 || s[2] != '/' || s[5] != '/')
    return FALSE;
  if (sscanf (s, "%2u/%2u/%4u%c", &m, &d, &y, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

static gboolean
is_number (const char *s)
{
  char *end = NULL;

  if (s == NULL || *s == '\0')
    return FALSE;
  g_ascii_strtod (s, &end);
  return end != NULL && *end == '\0';
}

/* A reference to another object, by its ID, that the session must be able to see. */
static CbSbRecord *
find_visible (CbSbStore  *store,
              const char *object,
              const char *id,
              const char *entity)
{
  CbSbTable *table = cb_sb_store_table (store, object);
  CbSbRecord *r;

  if (table == NULL || id == NULL)
    return NULL;
  if (table->def->unique_key == key_by_id)
    r = g_hash_table_lookup (table->by_key, id);
  else
    r = cb_sb_store_find_by_id (store, object, id);
  return (r != NULL && cb_sb_visible (r, entity)) ? r : NULL;
}

static void
ref_error (GPtrArray  *errors,
           const char *what,
           const char *field,
           const char *value,
           const char *object)
{
  g_autofree char *d2 = g_strdup_printf ("%s: %s '%s' does not exist or is not visible "
                                         "in this entity (%s).", what, field, value, object);
  g_autofree char *corr = g_strdup_printf ("Use an existing %s.", field);

  cb_sb_errors_add (errors, "BL01001973", "Invalid reference", d2, corr);
}

static gboolean
validate_vendor (CbSbStore        *store,
                 const char       *entity,
                 CbSbRecord       *record,
                 const CbSbRecord *old,
                 GPtrArray        *errors)
{
  const char *status = cb_sb_record_get (record, "STATUS");

  if (status != NULL && strcmp (status, "active") != 0 && strcmp (status, "inactive") != 0)
    {
      cb_sb_errors_add (errors, "BL01001973", "Invalid value",
                        "VENDOR.STATUS must be 'active' or 'inactive'.",
                        "Use active or inactive.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_optional_refs (CbSbStore        *store,
                     const char       *entity,
                     const CbSbRecord *record,
                     const char       *what,
                     GPtrArray        *errors)
{
  static const struct { const char *field; const char *object; } refs[] = {
    { "LOCATIONID", "LOCATION" },
    { "DEPARTMENTID", "DEPARTMENT" },
    { "ITEMID", "ITEM" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refs); i++)
    {
      const char *v = cb_sb_record_get (record, refs[i].field);

      if (v == NULL || *v == '\0')
        continue;
      if (find_visible (store, refs[i].object, v, entity) == NULL)
        {
          ref_error (errors, what, refs[i].field, v, refs[i].object);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_project (CbSbStore        *store,
                  const char       *entity,
                  CbSbRecord       *record,
                  const CbSbRecord *old,
                  GPtrArray        *errors)
{
  return check_optional_refs (store, entity, record, "PROJECT", errors);
}

static const char *const task_statuses[] = {
  "Not Started", "Planned", "In Progress", "Completed", "On Hold", NULL
};

static gboolean
validate_task (CbSbStore        *store,
               const char       *entity,
               CbSbRecord       *record,
               const CbSbRecord *old,
               GPtrArray        *errors)
{
  const char *project = cb_sb_record_get (record, "PROJECTID");
  const char *status = cb_sb_record_get (record, "TASKSTATUS");
  const char *std = cb_sb_record_get (record, "STANDARDTASKID");

  if (find_visible (store, "PROJECT", project, entity) == NULL)
    {
      ref_error (errors, "TASK", "PROJECTID", project, "PROJECT");
      return FALSE;
    }
  if (!g_strv_contains (task_statuses, status))
    {
      g_autofree char *d2 = g_strdup_printf ("TASKSTATUS '%s' is not valid. Valid values: "
                                             "Not Started, Planned, In Progress, Completed, "
                                             "On Hold.", status);
      cb_sb_errors_add (errors, "BL01001973", "Invalid value", d2,
                        "Use one of the listed values.");
      return FALSE;
    }
  if (std != NULL && *std != '\0' && find_visible (store, "STANDARDTASK", std, entity) == NULL)
    {
      ref_error (errors, "TASK", "STANDARDTASKID", std, "STANDARDTASK");
      return FALSE;
    }
  return check_optional_refs (store, entity, record, "TASK", errors);
}

static gboolean
validate_costtype (CbSbStore        *store,
                   const char       *entity,
                   CbSbRecord       *record,
                   const CbSbRecord *old,
                   GPtrArray        *errors)
{
  const char *std = cb_sb_record_get (record, "STANDARDCOSTTYPEID");
  const char *project = cb_sb_record_get (record, "PROJECTID");
  const char *task = cb_sb_record_get (record, "TASKID");
  g_autofree char *task_key = cb_sb_key_join (project, task, NULL);
  CbSbRecord *t;

  if (find_visible (store, "STANDARDCOSTTYPE", std, entity) == NULL)
    {
      ref_error (errors, "COSTTYPE", "STANDARDCOSTTYPEID", std, "STANDARDCOSTTYPE");
      return FALSE;
    }
  if (find_visible (store, "PROJECT", project, entity) == NULL)
    {
      ref_error (errors, "COSTTYPE", "PROJECTID", project, "PROJECT");
      return FALSE;
    }
  t = cb_sb_store_get_by_key (store, "TASK", task_key);
  if (t == NULL || !cb_sb_visible (t, entity))
    {
      g_autofree char *d2 = g_strdup_printf ("COSTTYPE: TASKID '%s' is not a task of project "
                                             "'%s'.", task, project);
      cb_sb_errors_add (errors, "BL01001973", "Invalid reference", d2,
                        "Create the task in the project first.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_apbill_line (CbSbStore  *store,
                      const char *entity,
                      CbSbRecord *line,
                      guint       n,
                      GPtrArray  *errors)
{
  g_autofree char *what = g_strdup_printf ("APBILLITEM line %u", n);
  const char *account = cb_sb_record_get (line, "ACCOUNTNO");
  const char *amount = cb_sb_record_get (line, "TRX_AMOUNT");
  const char *project = cb_sb_record_get (line, "PROJECTID");
  const char *task = cb_sb_record_get (line, "TASKID");
  const char *costtype = cb_sb_record_get (line, "COSTTYPEID");
  gboolean has_project = project != NULL && *project != '\0';
  gboolean has_task = task != NULL && *task != '\0';
  gboolean has_costtype = costtype != NULL && *costtype != '\0';

  if (account == NULL || *account == '\0')
    {
      g_autofree char *d2 = g_strdup_printf ("%s: required field ACCOUNTNO is missing.", what);
      cb_sb_errors_add (errors, "BL01001973", "Required field missing", d2,
                        "Provide an ACCOUNTNO for every line.");
      return FALSE;
    }
  if (find_visible (store, "GLACCOUNT", account, entity) == NULL)
    {
      ref_error (errors, what, "ACCOUNTNO", account, "GLACCOUNT");
      return FALSE;
    }
  if (!is_number (amount))
    {
      g_autofree char *d2 = g_strdup_printf ("%s: TRX_AMOUNT '%s' is not a number.", what,
                                             amount ? amount : "");
      cb_sb_errors_add (errors, "BL01001973", "Invalid value", d2,
                        "Send the amount as a decimal number such as 1250.00.");
      return FALSE;
    }
  if (has_task && !has_project)
    {
      g_autofree char *d2 = g_strdup_printf ("%s: TASKID requires PROJECTID.", what);
      cb_sb_errors_add (errors, "BL01001973", "Invalid dimensions", d2,
                        "Give the project of the task.");
      return FALSE;
    }
  if (has_costtype && (!has_project || !has_task))
    {
      g_autofree char *d2 = g_strdup_printf ("%s: COSTTYPEID requires PROJECTID and TASKID.",
                                             what);
      cb_sb_errors_add (errors, "BL01001973", "Invalid dimensions", d2,
                        "Give the project and task of the cost type.");
      return FALSE;
    }
  if (has_project && find_visible (store, "PROJECT", project, entity) == NULL)
    {
      ref_error (errors, what, "PROJECTID", project, "PROJECT");
      return FALSE;
    }
  if (has_task)
    {
      g_autofree char *key = cb_sb_key_join (project, task, NULL);
      CbSbRecord *t = cb_sb_store_get_by_key (store, "TASK", key);

      if (t == NULL || !cb_sb_visible (t, entity))
        {
          g_autofree char *d2 = g_strdup_printf ("%s: TASKID '%s' is not a task of project "
                                                 "'%s'.", what, task, project);
          cb_sb_errors_add (errors, "BL01001973", "Invalid dimensions", d2,
                            "Use a task of the line's project.");
          return FALSE;
        }
    }
  if (has_costtype)
    {
      g_autofree char *key = cb_sb_key_join (project, task, costtype);
      CbSbRecord *c = cb_sb_store_get_by_key (store, "COSTTYPE", key);

      if (c == NULL || !cb_sb_visible (c, entity))
        {
          g_autofree char *d2 = g_strdup_printf ("%s: COSTTYPEID '%s' does not exist for "
                                                 "project '%s' task '%s'.", what, costtype,
                                                 project, task);
          cb_sb_errors_add (errors, "BL01001973", "Invalid dimensions", d2,
                            "Create the cost type for that project and task first.");
          return FALSE;
        }
    }
  return check_optional_refs (store, entity, line, what, errors);
}

static gboolean
validate_apbill (CbSbStore        *store,
                 const char       *entity,
                 CbSbRecord       *record,
                 const CbSbRecord *old,
                 GPtrArray        *errors)
{
  gboolean draft = g_strcmp0 (cb_sb_record_get (record, "ACTION"), "Draft") == 0;
  const char *vendor = cb_sb_record_get (record, "VENDORID");
  static const char *const dates[] = { "WHENCREATED", "WHENDUE", NULL };
  double total = 0;

  if (!draft)
    {
      for (guint i = 0; dates[i] != NULL; i++)
        if (cb_sb_record_is_empty (record, dates[i]))
          {
            g_autofree char *d2 = g_strdup_printf ("Required field %s is missing for APBILL.",
                                                   dates[i]);
            cb_sb_errors_add (errors, "BL01001973", "Required field missing", d2,
                              "Give the date as mm/dd/yyyy, or send ACTION Draft.");
            return FALSE;
          }
      if (cb_sb_record_is_empty (record, "VENDORID"))
        {
          cb_sb_errors_add (errors, "BL01001973", "Required field missing",
                            "Required field VENDORID is missing for APBILL.",
                            "Give the bill's vendor.");
          return FALSE;
        }
    }
  for (guint i = 0; dates[i] != NULL; i++)
    {
      const char *v = cb_sb_record_get (record, dates[i]);
      if (v != NULL && *v != '\0' && !is_date (v))
        {
          g_autofree char *d2 = g_strdup_printf ("APBILL.%s '%s' is not a valid date.",
                                                 dates[i], v);
          cb_sb_errors_add (errors, "BL01001973", "Invalid date", d2,
                            "Use the format mm/dd/yyyy.");
          return FALSE;
        }
    }
  if (vendor != NULL && *vendor != '\0')
    {
      CbSbRecord *v = find_visible (store, "VENDOR", vendor, entity);

      if (v == NULL)
        {
          ref_error (errors, "APBILL", "VENDORID", vendor, "VENDOR");
          return FALSE;
        }
      if (g_strcmp0 (cb_sb_record_get (v, "STATUS"), "inactive") == 0)
        {
          g_autofree char *d2 = g_strdup_printf ("Vendor '%s' is inactive and cannot be used "
                                                 "on a bill.", vendor);
          cb_sb_errors_add (errors, "BL01001973", "Inactive vendor", d2,
                            "Activate the vendor or choose another one.");
          return FALSE;
        }
    }
  if (record->lines == NULL || record->lines->len == 0)
    {
      cb_sb_errors_add (errors, "BL01001973", "Required field missing",
                        "An APBILL needs at least one line in APBILLITEMS/APBILLITEM.",
                        "Add a bill line.");
      return FALSE;
    }
  for (guint i = 0; i < record->lines->len; i++)
    {
      CbSbRecord *line = g_ptr_array_index (record->lines, i);

      if (!validate_apbill_line (store, entity, line, i + 1, errors))
        return FALSE;
      total += g_ascii_strtod (cb_sb_record_get (line, "TRX_AMOUNT"), NULL);
    }
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd (buf, sizeof buf, "%.2f", total);
    cb_sb_record_set (record, "TOTALENTERED", buf);
    cb_sb_record_set (record, "STATE", draft ? "Draft" : "Posted");
  }
  return TRUE;
}

static gboolean
validate_item (CbSbStore        *store,
               const char       *entity,
               CbSbRecord       *record,
               const CbSbRecord *old,
               GPtrArray        *errors)
{
  static const char *const types[] = {
    "Inventory", "Non-Inventory", "Non-Inventory (Purchase only)",
    "Non-Inventory (Sales only)", "Kit", "Stockable Kit", NULL
  };

  if (!g_strv_contains (types, cb_sb_record_get (record, "ITEMTYPE")))
    {
      cb_sb_errors_add (errors, "BL01001973", "Invalid value",
                        "ITEM.ITEMTYPE is not a valid item type.",
                        "Use Inventory, Non-Inventory, Non-Inventory (Purchase only), "
                        "Non-Inventory (Sales only), Kit or Stockable Kit.");
      return FALSE;
    }
  return TRUE;
}

static const char *const req_vendor[] = { "VENDORID", "NAME", "DISPLAYCONTACT.PRINTAS", NULL };
static const char *const req_project[] = { "PROJECTID", "NAME", "PROJECTCATEGORY", NULL };
static const char *const req_task[] = { "NAME", "PROJECTID", "TASKSTATUS", NULL };
static const char *const req_stdtask[] = { "STANDARDTASKID", "NAME", NULL };
static const char *const req_stdcost[] = { "STANDARDCOSTTYPEID", "NAME", NULL };
static const char *const req_costtype[] = { "STANDARDCOSTTYPEID", "PROJECTID", "TASKID", NULL };
static const char *const req_apbill[] = { NULL };
static const char *const req_glaccount[] = { "ACCOUNTNO", "TITLE", NULL };
static const char *const req_location[] = { "LOCATIONID", "NAME", NULL };
static const char *const req_department[] = { "DEPARTMENTID", "TITLE", NULL };
static const char *const req_item[] = { "ITEMID", "NAME", "ITEMTYPE", NULL };
static const char *const req_none[] = { NULL };

/* PROJECT.LOCATIONID is documented as required in a multi-entity company. The sandbox
 * checks it when given but does not demand it, so a client that leaves it out still works;
 * an entity session's records belong to that entity anyway. */
static const CbSbObjectDef object_defs[] = {
  { "VENDOR", "VENDORID", req_vendor, "active", 20, FALSE, FALSE, TRUE, FALSE,
    NULL, NULL, key_by_id, validate_vendor },
  { "PROJECT", "PROJECTID", req_project, "active", 20, FALSE, FALSE, TRUE, FALSE,
    NULL, NULL, key_by_id, validate_project },
  { "TASK", "TASKID", req_task, "active", 20, FALSE, FALSE, FALSE, TRUE,
    NULL, NULL, key_task, validate_task },
  { "STANDARDTASK", "STANDARDTASKID", req_stdtask, "active", 20, TRUE, FALSE, TRUE, FALSE,
    NULL, NULL, key_by_id, NULL },
  { "STANDARDCOSTTYPE", "STANDARDCOSTTYPEID", req_stdcost, "active", 12, TRUE, FALSE, TRUE,
    FALSE, NULL, NULL, key_by_id, NULL },
  { "COSTTYPE", "COSTTYPEID", req_costtype, "active", 20, TRUE, FALSE, FALSE, FALSE,
    NULL, NULL, key_costtype, validate_costtype },
  { "APBILL", "RECORDID", req_apbill, NULL, 0, FALSE, FALSE, FALSE, FALSE,
    "APBILLITEMS", "APBILLITEM", key_apbill, validate_apbill },
  { "GLACCOUNT", "ACCOUNTNO", req_glaccount, "active", 24, FALSE, FALSE, TRUE, FALSE,
    NULL, NULL, key_by_id, NULL },
  { "LOCATION", "LOCATIONID", req_location, "active", 20, FALSE, FALSE, TRUE, FALSE,
    NULL, NULL, key_by_id, NULL },
  { "LOCATIONENTITY", "LOCATIONID", req_none, "active", 20, FALSE, TRUE, FALSE, FALSE,
    NULL, NULL, key_by_id, NULL },
  { "DEPARTMENT", "DEPARTMENTID", req_department, "active", 20, FALSE, FALSE, TRUE, FALSE,
    NULL, NULL, key_by_id, NULL },
  { "ITEM", "ITEMID", req_item, "active", 30, FALSE, FALSE, TRUE, FALSE,
    NULL, NULL, key_by_id, validate_item },
};

static const CbSbObjectDef line_def = {
  "APBILLITEM", NULL, req_none, NULL, 0, FALSE, FALSE, FALSE, FALSE,
  NULL, NULL, NULL, NULL
};

const CbSbObjectDef *
cb_sb_object_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (object_defs); i++)
    if (g_strcmp0 (object_defs[i].name, name) == 0)
      return &object_defs[i];
  return NULL;
}

const CbSbObjectDef *
cb_sb_line_def (void)
{
  return &line_def;
}

gboolean
cb_sb_validate (CbSbStore        *store,
                const char       *entity,
                CbSbRecord       *record,
                const CbSbRecord *old,
                GPtrArray        *errors)
{
  const CbSbObjectDef *def = record->def;
  const char *verb = old ? "update" : "create";

  for (guint i = 0; def->required[i] != NULL; i++)
    if (cb_sb_record_is_empty (record, def->required[i]))
      {
        g_autofree char *d2 = g_strdup_printf ("Required field %s is missing for %s.",
                                               def->required[i], def->name);
        g_autofree char *corr = g_strdup_printf ("Provide a value for %s.", def->required[i]);
        g_autofree char *d2b = g_strdup_printf ("Could not %s %s record!", verb, def->name);

        cb_sb_errors_add (errors, "BL01001973", "Required field missing", d2, corr);
        cb_sb_errors_add (errors, "BL01001973", "", d2b, "");
        return FALSE;
      }
  if (def->id_field != NULL && def->id_max_length > 0)
    {
      const char *id = cb_sb_record_get (record, def->id_field);

      if (id != NULL && g_utf8_strlen (id, -1) > (glong) def->id_max_length)
        {
          g_autofree char *d2 = g_strdup_printf ("%s.%s '%s' is longer than %u characters.",
                                                 def->name, def->id_field, id,
                                                 def->id_max_length);
          cb_sb_errors_add (errors, "BL01001973", "Value too long", d2,
                            "Use a shorter ID.");
          return FALSE;
        }
    }
  if (def->unique_key != NULL)
    {
      g_autofree char *key = def->unique_key (record);
      CbSbRecord *other = cb_sb_store_get_by_key (store, def->name, key);

      if (other != NULL && other->recordno != record->recordno)
        {
          const char *value = def->id_field ? cb_sb_record_get (record, def->id_field) : key;
          g_autofree char *d2 = g_strdup_printf ("Another record with the value %s already "
                                                 "exists", value);
          g_autofree char *d2b = g_strdup_printf ("Could not %s %s record!", verb, def->name);

          cb_sb_errors_add (errors, "BL34000061", "", d2, "Use a unique value instead.");
          cb_sb_errors_add (errors, "BL01001973", "", d2b, "");
          return FALSE;
        }
    }
  if (def->validate != NULL && !def->validate (store, entity, record, old, errors))
    return FALSE;
  return TRUE;
}

/* ---- the store ------------------------------------------------------------------------ */

static void
table_free (CbSbTable *table)
{
  g_hash_table_unref (table->by_key);
  g_hash_table_unref (table->by_recordno);
  g_ptr_array_unref (table->records);
  g_free (table);
}

CbSbStore *
cb_sb_store_new (void)
{
  CbSbStore *store = g_new0 (CbSbStore, 1);

  store->tables = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) table_free);
  for (guint i = 0; i < G_N_ELEMENTS (object_defs); i++)
    {
      CbSbTable *table = g_new0 (CbSbTable, 1);

      table->def = &object_defs[i];
      table->records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sb_record_free);
      table->by_recordno = g_hash_table_new (g_direct_hash, g_direct_equal);
      table->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (store->tables, (gpointer) object_defs[i].name, table);
    }
  store->next_recordno = 1;
  return store;
}

static void
clear_undo (UndoEntry *entry)
{
  g_clear_pointer (&entry->old, cb_sb_record_free);
}

void
cb_sb_store_free (CbSbStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->undo, g_array_unref);
  g_hash_table_unref (store->tables);
  g_free (store);
}

CbSbTable *
cb_sb_store_table (CbSbStore  *store,
                   const char *object)
{
  return g_hash_table_lookup (store->tables, object);
}

guint
cb_sb_store_next_recordno (CbSbStore *store)
{
  return store->next_recordno++;
}

static guint
find_position (CbSbTable *table,
               guint      recordno,
               gboolean  *found)
{
  guint lo = 0, hi = table->records->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      CbSbRecord *r = g_ptr_array_index (table->records, mid);

      if (r->recordno < recordno)
        lo = mid + 1;
      else
        hi = mid;
    }
  *found = lo < table->records->len &&
           ((CbSbRecord *) g_ptr_array_index (table->records, lo))->recordno == recordno;
  return lo;
}

static void
index_add (CbSbTable  *table,
           CbSbRecord *record)
{
  g_hash_table_insert (table->by_recordno, GUINT_TO_POINTER (record->recordno), record);
  if (table->def->unique_key != NULL)
    {
      char *key = table->def->unique_key (record);
      if (key != NULL)
        g_hash_table_insert (table->by_key, key, record);
    }
}

static void
index_remove (CbSbTable  *table,
              CbSbRecord *record)
{
  g_hash_table_remove (table->by_recordno, GUINT_TO_POINTER (record->recordno));
  if (table->def->unique_key != NULL)
    {
      g_autofree char *key = table->def->unique_key (record);
      if (key != NULL && g_hash_table_lookup (table->by_key, key) == record)
        g_hash_table_remove (table->by_key, key);
    }
}

static void
log_entry (CbSbStore           *store,
           UndoKind             kind,
           const CbSbObjectDef *def,
           guint                recordno,
           CbSbRecord          *old)
{
  UndoEntry e = { kind, def, recordno, old };

  if (store->undo != NULL)
    g_array_append_val (store->undo, e);
  else
    cb_sb_record_free (old);
}

static void
insert_internal (CbSbStore  *store,
                 CbSbRecord *record)
{
  CbSbTable *table = cb_sb_store_table (store, record->def->name);
  gboolean found;
  guint pos;

  g_assert (table != NULL);
  if (table->records->len == 0 ||
      ((CbSbRecord *) g_ptr_array_index (table->records,
                                         table->records->len - 1))->recordno < record->recordno)
    g_ptr_array_add (table->records, record);
  else
    {
      pos = find_position (table, record->recordno, &found);
      g_assert (!found);
      g_ptr_array_insert (table->records, pos, record);
    }
  index_add (table, record);
}

void
cb_sb_store_insert (CbSbStore  *store,
                    CbSbRecord *record)
{
  if (record->recordno >= store->next_recordno)
    store->next_recordno = record->recordno + 1;
  insert_internal (store, record);
  log_entry (store, UNDO_INSERT, record->def, record->recordno, NULL);
}

/* Returns the record that was replaced, now owned by the caller. */
static CbSbRecord *
replace_internal (CbSbStore  *store,
                  CbSbRecord *record)
{
  CbSbTable *table = cb_sb_store_table (store, record->def->name);
  gboolean found;
  guint pos = find_position (table, record->recordno, &found);
  CbSbRecord *old;

  g_assert (found);
  old = g_ptr_array_index (table->records, pos);
  index_remove (table, old);
  table->records->pdata[pos] = record;
  index_add (table, record);
  return old;
}

void
cb_sb_store_replace (CbSbStore  *store,
                     CbSbRecord *record)
{
  CbSbRecord *old = replace_internal (store, record);

  log_entry (store, UNDO_REPLACE, record->def, record->recordno, old);
}

static CbSbRecord *
remove_internal (CbSbStore           *store,
                 const CbSbObjectDef *def,
                 guint                recordno)
{
  CbSbTable *table = cb_sb_store_table (store, def->name);
  gboolean found;
  guint pos = find_position (table, recordno, &found);
  CbSbRecord *old;

  if (!found)
    return NULL;
  old = g_ptr_array_index (table->records, pos);
  index_remove (table, old);
  return g_ptr_array_steal_index (table->records, pos);
}

void
cb_sb_store_remove (CbSbStore           *store,
                    const CbSbObjectDef *def,
                    guint                recordno)
{
  CbSbRecord *old = remove_internal (store, def, recordno);

  if (old != NULL)
    log_entry (store, UNDO_REMOVE, def, recordno, old);
}

void
cb_sb_store_log_begin (CbSbStore *store)
{
  g_assert (store->undo == NULL);
  store->undo = g_array_new (FALSE, FALSE, sizeof (UndoEntry));
  g_array_set_clear_func (store->undo, (GDestroyNotify) clear_undo);
}

guint
cb_sb_store_log_mark (CbSbStore *store)
{
  return store->undo ? store->undo->len : 0;
}

void
cb_sb_store_log_rollback (CbSbStore *store,
                          guint      mark)
{
  g_assert (store->undo != NULL);
  while (store->undo->len > mark)
    {
      UndoEntry *e = &g_array_index (store->undo, UndoEntry, store->undo->len - 1);

      switch (e->kind)
        {
        case UNDO_INSERT:
          cb_sb_record_free (remove_internal (store, e->def, e->recordno));
          break;
        case UNDO_REPLACE:
          cb_sb_record_free (replace_internal (store, g_steal_pointer (&e->old)));
          break;
        case UNDO_REMOVE:
          insert_internal (store, g_steal_pointer (&e->old));
          break;
        default:
          g_assert_not_reached ();
        }
      g_array_set_size (store->undo, store->undo->len - 1);
    }
}

void
cb_sb_store_log_end (CbSbStore *store)
{
  g_clear_pointer (&store->undo, g_array_unref);
}

CbSbRecord *
cb_sb_store_get (CbSbStore  *store,
                 const char *object,
                 guint       recordno)
{
  CbSbTable *table = cb_sb_store_table (store, object);

  return table ? g_hash_table_lookup (table->by_recordno, GUINT_TO_POINTER (recordno)) : NULL;
}

CbSbRecord *
cb_sb_store_get_by_key (CbSbStore  *store,
                        const char *object,
                        const char *key)
{
  CbSbTable *table = cb_sb_store_table (store, object);

  return (table && key) ? g_hash_table_lookup (table->by_key, key) : NULL;
}

CbSbRecord *
cb_sb_store_find_by_id (CbSbStore  *store,
                        const char *object,
                        const char *id)
{
  CbSbTable *table = cb_sb_store_table (store, object);

  if (table == NULL || table->def->id_field == NULL || id == NULL)
    return NULL;
  if (table->def->unique_key == key_by_id)
    return g_hash_table_lookup (table->by_key, id);
  for (guint i = 0; i < table->records->len; i++)
    {
      CbSbRecord *r = g_ptr_array_index (table->records, i);
      if (g_strcmp0 (cb_sb_record_get (r, table->def->id_field), id) == 0)
        return r;
    }
  return NULL;
}
