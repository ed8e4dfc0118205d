/* cb-sandbox-private.h: the sandbox's record store, object table and query language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here is shared with src/core: the sandbox keeps its own idea of the protocol.
 */

#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* ---- errors reported inside a <result> ---------------------------------------------- */

typedef struct
{
  char *errorno;
  char *description;
  char *description2;
  char *correction;
} CbSbError;

void cb_sb_error_free (CbSbError *error);
/* Appends an error; description2 gets a " [Support ID: …]" suffix unless it is NULL. */
void cb_sb_errors_add (GPtrArray  *errors,
                       const char *errorno,
                       const char *description,
                       const char *description2,
                       const char *correction);
char *cb_sb_support_id (void);

/* ---- records ------------------------------------------------------------------------- */

typedef struct
{
  const char *name;   /* interned, upper case; nested fields are dotted: DISPLAYCONTACT.EMAIL1 */
  char       *value;
} CbSbField;

typedef struct _CbSbObjectDef CbSbObjectDef;

typedef struct
{
  guint                recordno;
  const CbSbObjectDef *def;
  char                *entity;   /* owning entity, NULL at the top level */
  GArray              *fields;   /* CbSbField, in insertion order */
  GPtrArray           *lines;    /* owned lines (CbSbRecord), NULL when the object has none */
} CbSbRecord;

CbSbRecord *cb_sb_record_new        (const CbSbObjectDef *def);
CbSbRecord *cb_sb_record_copy       (const CbSbRecord    *record);
void        cb_sb_record_free       (CbSbRecord          *record);
/* NULL when absent */
const char *cb_sb_record_get        (const CbSbRecord    *record,
                                     const char          *name);
void        cb_sb_record_set        (CbSbRecord          *record,
                                     const char          *name,
                                     const char          *value);
void        cb_sb_record_unset      (CbSbRecord          *record,
                                     const char          *name);
/* TRUE when absent or empty */
gboolean    cb_sb_record_is_empty   (const CbSbRecord    *record,
                                     const char          *name);

typedef struct _CbSbStore CbSbStore;

typedef gboolean (*CbSbValidateFunc) (CbSbStore        *store,
                                      const char       *entity,
                                      CbSbRecord       *record,
                                      const CbSbRecord *old_record,
                                      GPtrArray        *errors);

struct _CbSbObjectDef
{
  const char        *name;            /* VENDOR */
  const char        *id_field;        /* VENDORID, or NULL */
  const char *const *required;        /* NULL-terminated, checked on create */
  const char        *status_default;  /* STATUS given on create when absent, or NULL */
  guint              id_max_length;   /* 0 = no limit */
  guint              construction : 1;
  guint              read_only : 1;
  guint              update_by_id : 1;   /* update may name the record by its ID field */
  guint              id_from_recordno : 1; /* an absent ID defaults to the RECORDNO */
  const char        *lines_container; /* APBILLITEMS */
  const char        *line_element;    /* APBILLITEM */
  /* The key that must be unique among records of this object; NULL when none. */
  char            *(*unique_key)      (const CbSbRecord *record);
  CbSbValidateFunc   validate;
};

const CbSbObjectDef *cb_sb_object_lookup (const char *name);
/* Required fields, ID length, uniqueness and the object's own checks. */
gboolean    cb_sb_validate           (CbSbStore        *store,
                                      const char       *entity,
                                      CbSbRecord       *record,
                                      const CbSbRecord *old,
                                      GPtrArray        *errors);
const CbSbObjectDef *cb_sb_line_def      (void);

/* ---- the store ------------------------------------------------------------------------ */

typedef struct
{
  const CbSbObjectDef *def;
  GPtrArray           *records;      /* CbSbRecord, sorted by RECORDNO */
  GHashTable          *by_recordno;  /* GUINT_TO_POINTER (recordno) -> record */
  GHashTable          *by_key;       /* unique key -> record */
} CbSbTable;

CbSbStore  *cb_sb_store_new          (void);
void        cb_sb_store_free         (CbSbStore  *store);
CbSbTable  *cb_sb_store_table        (CbSbStore  *store,
                                      const char *object);
guint       cb_sb_store_next_recordno (CbSbStore *store);

/* Mutations. They keep the indexes and, while a log is open, the undo log. */
void        cb_sb_store_insert       (CbSbStore  *store,
                                      CbSbRecord *record);
/* Puts @record in place of the record with the same RECORDNO. */
void        cb_sb_store_replace      (CbSbStore  *store,
                                      CbSbRecord *record);
void        cb_sb_store_remove       (CbSbStore  *store,
                                      const CbSbObjectDef *def,
                                      guint       recordno);

/* Undo log: begin, then commit (forget) or roll back to a mark. */
void        cb_sb_store_log_begin    (CbSbStore  *store);
guint       cb_sb_store_log_mark     (CbSbStore  *store);
void        cb_sb_store_log_rollback (CbSbStore  *store,
                                      guint       mark);
void        cb_sb_store_log_end      (CbSbStore  *store);

CbSbRecord *cb_sb_store_get          (CbSbStore  *store,
                                      const char *object,
                                      guint       recordno);
CbSbRecord *cb_sb_store_get_by_key   (CbSbStore  *store,
                                      const char *object,
                                      const char *key);
/* First record whose ID field equals @id (any entity). */
CbSbRecord *cb_sb_store_find_by_id   (CbSbStore  *store,
                                      const char *object,
                                      const char *id);

gboolean    cb_sb_visible            (const CbSbRecord *record,
                                      const char       *entity);
/* Unique keys for two- and three-part keys: parts joined with U+001F. */
char       *cb_sb_key_join           (const char *a,
                                      const char *b,
                                      const char *c);
char       *cb_sb_now_modified       (void);

/* ---- seed data ------------------------------------------------------------------------ */

void        cb_sb_seed_demo_company  (CbSbStore *store);
void        cb_sb_seed_generated_vendors (CbSbStore *store,
                                          guint      first,
                                          guint      n);

/* ---- queries -------------------------------------------------------------------------- */

typedef struct _CbSbExpr CbSbExpr;

void        cb_sb_expr_free          (CbSbExpr   *expr);
/* readByQuery's text language; "" or NULL gives NULL with no error (match all). */
gboolean    cb_sb_expr_parse         (const char *text,
                                      CbSbExpr  **out,
                                      char      **error_message);
/* query's <filter> element (its single child); NULL error_message on success. */
gboolean    cb_sb_expr_from_filter   (xmlNode    *filter,
                                      CbSbExpr  **out,
                                      char      **error_message);
gboolean    cb_sb_expr_match         (const CbSbExpr   *expr,
                                      const CbSbRecord *record,
                                      gboolean          case_insensitive);
/* Compares two field values: numbers as numbers, mm/dd/yyyy dates as dates, else bytes. */
int         cb_sb_compare_values     (const char *a,
                                      const char *b,
                                      gboolean    case_insensitive);
gboolean    cb_sb_like               (const char *value,
                                      const char *pattern,
                                      gboolean    case_insensitive);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSbExpr, cb_sb_expr_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSbRecord, cb_sb_record_free)

G_END_DECLS
