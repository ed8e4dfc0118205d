/* cb-intacct-objects.h: the Intacct objects Costbridge reads and writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A static description of each object (REFERENCE.md §5.2): its ID field, how update
 * finds a record, the fields to select when pulling, the fields create requires, and
 * whether it needs the Construction subscription. Plus builders for the bill records
 * the sync sends.
 */

#pragma once

#include <glib.h>

#include "cb-intacct-record.h"

G_BEGIN_DECLS

typedef struct
{
  const char         *name;              /* "VENDOR": upper case, as generic functions want */
  const char         *id_field;          /* "VENDORID" */
  const char         *update_key;        /* "RECORDNO" or the ID field */
  const char * const *select_fields;     /* NULL-terminated; RECORDNO first */
  const char * const *required_fields;   /* NULL-terminated; on create */
  gboolean            needs_construction;
  gboolean            read_only;         /* never created by Costbridge */
  const char         *display_name;      /* for users (translatable, use with _()) */
  const char         *line_group;        /* "APBILLITEMS", or NULL */
  const char         *line_name;         /* "APBILLITEM", or NULL */
  const char * const *line_fields;       /* NULL-terminated, or NULL */
} CbIntacctObjectInfo;

/* The object of that name (case-insensitive), or NULL. */
const CbIntacctObjectInfo *cb_intacct_object_lookup   (const char *name);
/* Every object, in a fixed order; @n_objects receives the count. */
const CbIntacctObjectInfo *cb_intacct_objects_get_all (guint      *n_objects);
/* The select list joined with commas, for readByQuery's <fields>. */
char                      *cb_intacct_object_dup_fields_string (const CbIntacctObjectInfo *info);

/* mm/dd/yyyy, as generic functions take dates. */
char            *cb_intacct_format_date       (const GDate *date);
/* An amount rounded half away from zero to 2 decimals: 12.345 → "12.35". */
char            *cb_intacct_format_amount     (double       amount);

/* An <APBILL> ready for create (transfer full). @currency may be NULL. */
CbIntacctRecord *cb_intacct_apbill_new        (const char      *vendor_id,
                                               const char      *bill_number,
                                               const GDate     *date_created,
                                               const GDate     *date_due,
                                               const char      *currency);
/* Appends an APBILLITEM to the bill's APBILLITEMS (created when missing) and returns
 * it (borrowed). @amount is a decimal string; NULL arguments are left out. */
CbIntacctRecord *cb_intacct_apbill_add_line   (CbIntacctRecord *bill,
                                               const char      *account_no,
                                               const char      *amount,
                                               const char      *memo,
                                               const char      *project_id,
                                               const char      *task_id,
                                               const char      *cost_type_id,
                                               const char      *location_id,
                                               const char      *department_id,
                                               const char      *item_id);
/* The same with a double amount, rounded to 2 decimals. */
CbIntacctRecord *cb_intacct_apbill_add_line_amount (CbIntacctRecord *bill,
                                                    const char      *account_no,
                                                    double           amount,
                                                    const char      *memo,
                                                    const char      *project_id,
                                                    const char      *task_id,
                                                    const char      *cost_type_id,
                                                    const char      *location_id,
                                                    const char      *department_id,
                                                    const char      *item_id);

G_END_DECLS
