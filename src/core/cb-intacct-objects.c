/* cb-intacct-objects.c: the Intacct objects Costbridge reads and writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-intacct-objects"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cb-intacct-objects.h"

#define FIELDS(...) ((const char * const []) { __VA_ARGS__, NULL })

/* REFERENCE.md §5.2. Update keys: TASK, COSTTYPE and APBILL take only RECORDNO. */
static const CbIntacctObjectInfo objects[] = {
  {
    .name = "VENDOR",
    .id_field = "VENDORID",
    .update_key = "VENDORID",
    .select_fields = FIELDS ("RECORDNO", "VENDORID", "NAME", "STATUS", "TERMNAME", "VENDTYPE"),
    /* Dotted names are nested: <DISPLAYCONTACT><PRINTAS>. */
    .required_fields = FIELDS ("VENDORID", "NAME", "DISPLAYCONTACT.PRINTAS"),
    .display_name = N_("Vendor"),
  },
  {
    .name = "PROJECT",
    .id_field = "PROJECTID",
    .update_key = "PROJECTID",
    .select_fields = FIELDS ("RECORDNO", "PROJECTID", "NAME", "PROJECTCATEGORY",
                             "PROJECTSTATUS", "STATUS", "PARENTID", "CUSTOMERID",
                             "LOCATIONID", "DEPARTMENTID"),
    .required_fields = FIELDS ("PROJECTID", "NAME", "PROJECTCATEGORY"),
    .display_name = N_("Project"),
  },
  {
    .name = "TASK",
    .id_field = "TASKID",
    .update_key = "RECORDNO",
    .select_fields = FIELDS ("RECORDNO", "TASKID", "NAME", "PROJECTID", "TASKSTATUS",
                             "STANDARDTASKID", "PARENTKEY", "TASKNO"),
    .required_fields = FIELDS ("NAME", "PROJECTID", "TASKSTATUS"),
    .display_name = N_("Task"),
  },
  {
    .name = "STANDARDTASK",
    .id_field = "STANDARDTASKID",
    .update_key = "STANDARDTASKID",
    .select_fields = FIELDS ("RECORDNO", "STANDARDTASKID", "NAME", "TASKNO", "PARENTKEY"),
    .required_fields = FIELDS ("STANDARDTASKID", "NAME"),
    .needs_construction = TRUE,
    .display_name = N_("Standard task"),
  },
  {
    .name = "COSTTYPE",
    .id_field = "COSTTYPEID",
    .update_key = "RECORDNO",
    .select_fields = FIELDS ("RECORDNO", "COSTTYPEID", "NAME", "PROJECTID", "TASKID",
                             "STANDARDCOSTTYPEID", "STATUS", "ACCOUNTNO"),
    .required_fields = FIELDS ("STANDARDCOSTTYPEID", "PROJECTID", "TASKID"),
    .needs_construction = TRUE,
    .display_name = N_("Cost type"),
  },
  {
    .name = "STANDARDCOSTTYPE",
    .id_field = "STANDARDCOSTTYPEID",
    .update_key = "STANDARDCOSTTYPEID",
    .select_fields = FIELDS ("RECORDNO", "STANDARDCOSTTYPEID", "NAME", "ACCUMULATIONTYPENAME",
                             "STATUS", "ACCOUNTNO"),
    .required_fields = FIELDS ("STANDARDCOSTTYPEID", "NAME"),
    .needs_construction = TRUE,
    .display_name = N_("Standard cost type"),
  },
  {
    .name = "APBILL",
    .id_field = "RECORDID",
    .update_key = "RECORDNO",
    .select_fields = FIELDS ("RECORDNO", "RECORDID", "VENDORID", "WHENCREATED", "WHENDUE",
                             "DOCNUMBER", "DESCRIPTION", "STATE", "CURRENCY", "TOTALENTERED"),
    .required_fields = FIELDS ("VENDORID", "WHENCREATED", "WHENDUE", "APBILLITEMS"),
    .display_name = N_("Bill"),
    .line_group = "APBILLITEMS",
    .line_name = "APBILLITEM",
    .line_fields = FIELDS ("ACCOUNTNO", "TRX_AMOUNT", "ENTRYDESCRIPTION", "LOCATIONID",
                           "DEPARTMENTID", "PROJECTID", "TASKID", "COSTTYPEID", "ITEMID"),
  },
  {
    .name = "GLACCOUNT",
    .id_field = "ACCOUNTNO",
    .update_key = "ACCOUNTNO",
    .select_fields = FIELDS ("RECORDNO", "ACCOUNTNO", "TITLE", "ACCOUNTTYPE", "NORMALBALANCE",
                             "STATUS", "REQUIREPROJECT", "REQUIRETASK", "REQUIREDEPT",
                             "REQUIRELOC"),
    .required_fields = FIELDS ("ACCOUNTNO", "TITLE"),
    .read_only = TRUE,
    .display_name = N_("GL account"),
  },
  {
    .name = "LOCATION",
    .id_field = "LOCATIONID",
    .update_key = "LOCATIONID",
    .select_fields = FIELDS ("RECORDNO", "LOCATIONID", "NAME", "PARENTID", "STATUS"),
    .required_fields = FIELDS ("LOCATIONID", "NAME"),
    .read_only = TRUE,
    .display_name = N_("Location"),
  },
  {
    .name = "LOCATIONENTITY",
    .id_field = "LOCATIONID",
    .update_key = "LOCATIONID",
    .select_fields = FIELDS ("RECORDNO", "LOCATIONID", "NAME"),
    .required_fields = FIELDS ("LOCATIONID", "NAME"),
    .read_only = TRUE,
    .display_name = N_("Entity"),
  },
  {
    .name = "DEPARTMENT",
    .id_field = "DEPARTMENTID",
    .update_key = "DEPARTMENTID",
    .select_fields = FIELDS ("RECORDNO", "DEPARTMENTID", "TITLE", "STATUS"),
    .required_fields = FIELDS ("DEPARTMENTID", "TITLE"),
    .read_only = TRUE,
    .display_name = N_("Department"),
  },
  {
    .name = "ITEM",
    .id_field = "ITEMID",
    .update_key = "ITEMID",
    .select_fields = FIELDS ("RECORDNO", "ITEMID", "NAME", "ITEMTYPE", "STATUS"),
    .required_fields = FIELDS ("ITEMID", "NAME", "ITEMTYPE"),
    .read_only = TRUE,
    .display_name = N_("Item"),
  },
};

const CbIntacctObjectInfo *
cb_intacct_object_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    if (g_ascii_strcasecmp (objects[i].name, name) == 0)
      return &objects[i];
  return NULL;
}

const CbIntacctObjectInfo *
cb_intacct_objects_get_all (guint *n_objects)
{
  if (n_objects != NULL)
    *n_objects = G_N_ELEMENTS (objects);
  return objects;
}

char *
cb_intacct_object_dup_fields_string (const CbIntacctObjectInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return g_strjoinv (",", (char **) info->select_fields);
}

char *
cb_intacct_format_date (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%02u/%02u/%04u",
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date),
                          (guint) g_date_get_year (date));
}

char *
cb_intacct_format_amount (double amount)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double cents;

  g_return_val_if_fail (isfinite (amount), NULL);

  /* Round in cents, half away from zero; nudge by a tiny epsilon so that values such
   * as 1.005 (stored as 1.00499999…) round the way people write them. */
  cents = round (amount * 100.0 + (amount >= 0 ? 1e-7 : -1e-7));
  if (cents == 0)
    cents = 0; /* no "-0.00" */
  g_ascii_formatd (buf, sizeof buf, "%.2f", cents / 100.0);
  return g_strdup (buf);
}

static void
add_optional (CbIntacctRecord *record,
              const char      *name,
              const char      *value)
{
  if (value != NULL)
    cb_intacct_record_add_field (record, name, value);
}

CbIntacctRecord *
cb_intacct_apbill_new (const char  *vendor_id,
                       const char  *bill_number,
                       const GDate *date_created,
                       const GDate *date_due,
                       const char  *currency)
{
  g_autoptr(CbIntacctRecord) bill = NULL;
  g_autofree char *created = NULL;
  g_autofree char *due = NULL;

  g_return_val_if_fail (vendor_id != NULL, NULL);
  g_return_val_if_fail (date_created != NULL && g_date_valid (date_created), NULL);
  g_return_val_if_fail (date_due != NULL && g_date_valid (date_due), NULL);

  created = cb_intacct_format_date (date_created);
  due = cb_intacct_format_date (date_due);

  /* The order of the create example on Sage's bill page. */
  bill = cb_intacct_record_new ("APBILL");
  cb_intacct_record_add_field (bill, "WHENCREATED", created);
  cb_intacct_record_add_field (bill, "VENDORID", vendor_id);
  add_optional (bill, "RECORDID", bill_number);
  cb_intacct_record_add_field (bill, "WHENDUE", due);
  add_optional (bill, "CURRENCY", currency);
  cb_intacct_record_add_child (bill, "APBILLITEMS");
  return g_steal_pointer (&bill);
}

CbIntacctRecord *
cb_intacct_apbill_add_line (CbIntacctRecord *bill,
                            const char      *account_no,
                            const char      *amount,
                            const char      *memo,
                            const char      *project_id,
                            const char      *task_id,
                            const char      *cost_type_id,
                            const char      *location_id,
                            const char      *department_id,
                            const char      *item_id)
{
  CbIntacctRecord *items;
  CbIntacctRecord *line;

  g_return_val_if_fail (bill != NULL, NULL);

  items = cb_intacct_record_get_child (bill, "APBILLITEMS");
  if (items == NULL)
    items = cb_intacct_record_add_child (bill, "APBILLITEMS");

  line = cb_intacct_record_add_child (items, "APBILLITEM");
  add_optional (line, "ACCOUNTNO", account_no);
  add_optional (line, "TRX_AMOUNT", amount);
  add_optional (line, "ENTRYDESCRIPTION", memo);
  add_optional (line, "LOCATIONID", location_id);
  add_optional (line, "DEPARTMENTID", department_id);
  add_optional (line, "PROJECTID", project_id);
  add_optional (line, "TASKID", task_id);
  add_optional (line, "COSTTYPEID", cost_type_id);
  add_optional (line, "ITEMID", item_id);
  return line;
}

CbIntacctRecord *
cb_intacct_apbill_add_line_amount (CbIntacctRecord *bill,
                                   const char      *account_no,
                                   double           amount,
                                   const char      *memo,
                                   const char      *project_id,
                                   const char      *task_id,
                                   const char      *cost_type_id,
                                   const char      *location_id,
                                   const char      *department_id,
                                   const char      *item_id)
{
  g_autofree char *text = cb_intacct_format_amount (amount);

  return cb_intacct_apbill_add_line (bill, account_no, text, memo, project_id, task_id,
                                     cost_type_id, location_id, department_id, item_id);
}
