/* cb-intacct-record.h: an ordered tree of named fields, the shape of Intacct objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CbIntacctRecord is one XML element seen as data: a name, optional attributes, and
 * either a text value (a field) or child records (an object, a group of lines, a filter).
 * Requests are built from records and replies are parsed into records, so nothing outside
 * the Intacct client ever sees XML. Field lookups ignore case, because the gateway sends
 * the same object as "vendor" from readByQuery and as "VENDOR" from read.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CbIntacctRecord CbIntacctRecord;

CbIntacctRecord *cb_intacct_record_new           (const char            *name);
CbIntacctRecord *cb_intacct_record_new_field     (const char            *name,
                                                  const char            *value);
CbIntacctRecord *cb_intacct_record_ref           (CbIntacctRecord       *self);
void             cb_intacct_record_unref         (CbIntacctRecord       *self);
CbIntacctRecord *cb_intacct_record_copy          (const CbIntacctRecord *self);

const char      *cb_intacct_record_get_name      (const CbIntacctRecord *self);
/* The text of a leaf; NULL when the record has children or no text. */
const char      *cb_intacct_record_get_value     (const CbIntacctRecord *self);
void             cb_intacct_record_set_value     (CbIntacctRecord       *self,
                                                  const char            *value);

const char      *cb_intacct_record_get_attribute (const CbIntacctRecord *self,
                                                  const char            *name);
void             cb_intacct_record_set_attribute (CbIntacctRecord       *self,
                                                  const char            *name,
                                                  const char            *value);
/* Attribute names in the order they were set (NULL-terminated, owned by @self). */
const char     **cb_intacct_record_get_attribute_names (const CbIntacctRecord *self);

guint            cb_intacct_record_get_n_children (const CbIntacctRecord *self);
CbIntacctRecord *cb_intacct_record_get_nth_child  (const CbIntacctRecord *self,
                                                   guint                  n);
/* Appends @child (transfer full) and returns it (borrowed). */
CbIntacctRecord *cb_intacct_record_append        (CbIntacctRecord       *self,
                                                  CbIntacctRecord       *child);
/* Appends a leaf <name>value</name>; value NULL makes an empty element. Returns it. */
CbIntacctRecord *cb_intacct_record_add_field     (CbIntacctRecord       *self,
                                                  const char            *name,
                                                  const char            *value);
/* Replaces the first leaf of that name (case-insensitive), or appends one. */
void             cb_intacct_record_set_field     (CbIntacctRecord       *self,
                                                  const char            *name,
                                                  const char            *value);
/* Appends an empty child record <name/> to fill, and returns it (borrowed). */
CbIntacctRecord *cb_intacct_record_add_child     (CbIntacctRecord       *self,
                                                  const char            *name);

/* The first child of that name (case-insensitive), or NULL. */
CbIntacctRecord *cb_intacct_record_get_child     (const CbIntacctRecord *self,
                                                  const char            *name);
/* The text of the first child of that name: NULL when absent, "" when empty. */
const char      *cb_intacct_record_get_field     (const CbIntacctRecord *self,
                                                  const char            *name);
gboolean         cb_intacct_record_has_field     (const CbIntacctRecord *self,
                                                  const char            *name);
/* The children of the group @name, e.g. the APBILLITEM records inside APBILLITEMS.
 * Returns a new array of borrowed records (never NULL; empty when the group is absent). */
GPtrArray       *cb_intacct_record_get_lines     (const CbIntacctRecord *self,
                                                  const char            *group);
/* Field name → value for the leaves directly under @self (upper-cased names). */
GHashTable      *cb_intacct_record_to_hash_table (const CbIntacctRecord *self);

/* A debug dump, one "NAME=value" per line, nested with indentation. Values of fields
 * named like secrets (password, sessionid, taxid, account numbers…) are masked. */
char            *cb_intacct_record_to_debug_string (const CbIntacctRecord *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbIntacctRecord, cb_intacct_record_unref)

G_END_DECLS
