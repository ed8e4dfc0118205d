/* cb-profile.h: a company connection profile (no secrets), stored in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb-database.h"

G_BEGIN_DECLS

typedef enum
{
  CB_BILL_DATE_FROM_BILL,      /* WHENCREATED = the bill's own date (default) */
  CB_BILL_DATE_IMPORT_DAY,     /* the day the bill was imported */
  CB_BILL_DATE_SYNC_DAY,       /* the day it is synced */
} CbBillDateRule;

typedef enum
{
  CB_MISSING_COST_TYPE_BLOCK,  /* the bill is blocked until the line has a cost type (default) */
  CB_MISSING_COST_TYPE_DEFAULT,/* use the profile's default cost type */
  CB_MISSING_COST_TYPE_OMIT,   /* send the line with project and task only */
} CbMissingCostTypeRule;

typedef struct
{
  char                 *id;              /* stable, generated: "p-" + uuid */
  char                 *name;            /* what the user calls it */
  char                 *endpoint;        /* NULL: Intacct's gateway */
  char                 *company_id;
  char                 *user_id;
  char                 *sender_id;
  char                 *entity_id;       /* NULL or "": top level */
  gboolean              is_demo;         /* the built-in sandbox company */

  /* accounting defaults (NULL when unset) */
  char                 *default_ap_account;
  char                 *default_location;
  char                 *default_department;
  char                 *default_item;
  char                 *default_cost_type;
  CbBillDateRule        bill_date_rule;
  CbMissingCostTypeRule missing_cost_type_rule;

  GDateTime            *created;
  GDateTime            *last_connected;  /* NULL until a test succeeded */
} CbProfile;

CbProfile *cb_profile_new      (void);
CbProfile *cb_profile_copy     (const CbProfile *self);
void       cb_profile_free     (CbProfile       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbProfile, cb_profile_free)

/* Validates and normalises (trims spaces; company, user and sender IDs required; endpoint
 * allowed by cb_intacct_endpoint_is_allowed()). Errors name the field. */
gboolean   cb_profile_validate (CbProfile       *self,
                                GError         **error);

/* Database CRUD. save inserts or updates by id (generating one when NULL). */
gboolean   cb_profile_save     (CbDatabase      *db,
                                CbProfile       *profile,
                                GError         **error);
CbProfile *cb_profile_load     (CbDatabase      *db,
                                const char      *id_or_name,
                                GError         **error);   /* NOT_FOUND-like: CB_DATABASE_ERROR_NOT_FOUND */
GPtrArray *cb_profile_list     (CbDatabase      *db,
                                GError         **error);   /* element-type CbProfile, by name */
gboolean   cb_profile_delete   (CbDatabase      *db,
                                const char      *id,
                                GError         **error);
gboolean   cb_profile_rename   (CbDatabase      *db,
                                const char      *id,
                                const char      *new_name,
                                GError         **error);

G_END_DECLS
