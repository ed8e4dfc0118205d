/* cb-intacct-record.c: an ordered tree of named fields, the shape of Intacct objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-intacct-record"

#include "config.h"

#include <string.h>

#include "cb-intacct-record.h"

struct _CbIntacctRecord
{
  gatomicrefcount  ref_count;
  char            *name;
  char            *value;
  GPtrArray       *attr_names;   /* (element-type utf8) NULL-terminated, or NULL */
  GPtrArray       *attr_values;  /* (element-type utf8) same order, or NULL */
  GPtrArray       *children;     /* (element-type CbIntacctRecord) */
};

/* Element names whose values never appear in a debug dump or a log. The same list
 * the SDKs mask (REFERENCE.md §8). */
static const char * const secret_names[] = {
  "password", "sessionid", "taxid", "achaccountnumber", "accountnumber",
  "wireaccountnumber", "cardnum", "ssn",
};

static gboolean
is_secret_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_names); i++)
    if (g_ascii_strcasecmp (name, secret_names[i]) == 0)
      return TRUE;
  return FALSE;
}

CbIntacctRecord *
cb_intacct_record_new (const char *name)
{
  CbIntacctRecord *self;

  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  self = g_new0 (CbIntacctRecord, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->children = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  return self;
}

CbIntacctRecord *
cb_intacct_record_new_field (const char *name,
                             const char *value)
{
  CbIntacctRecord *self = cb_intacct_record_new (name);

  if (self != NULL)
    self->value = g_strdup (value);
  return self;
}

CbIntacctRecord *
cb_intacct_record_ref (CbIntacctRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cb_intacct_record_unref (CbIntacctRecord *self)
{
  if (self == NULL)
    return;
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->name);
  g_free (self->value);
  g_clear_pointer (&self->attr_names, g_ptr_array_unref);
  g_clear_pointer (&self->attr_values, g_ptr_array_unref);
  g_ptr_array_unref (self->children);
  g_free (self);
}

CbIntacctRecord *
cb_intacct_record_copy (const CbIntacctRecord *self)
{
  CbIntacctRecord *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = cb_intacct_record_new_field (self->name, self->value);
  if (self->attr_names != NULL)
    for (guint i = 0; i + 1 < self->attr_names->len; i++)
      cb_intacct_record_set_attribute (copy,
                                       g_ptr_array_index (self->attr_names, i),
                                       g_ptr_array_index (self->attr_values, i));
  for (guint i = 0; i < self->children->len; i++)
    g_ptr_array_add (copy->children, cb_intacct_record_copy (g_ptr_array_index (self->children, i)));
  return copy;
}

const char *
cb_intacct_record_get_name (const CbIntacctRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

const char *
cb_intacct_record_get_value (const CbIntacctRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->children->len > 0)
    return NULL;
  return self->value;
}

void
cb_intacct_record_set_value (CbIntacctRecord *self,
                             const char      *value)
{
  char *old;

  g_return_if_fail (self != NULL);

  old = self->value;
  self->value = g_strdup (value);
  g_free (old);
}

static int
find_attribute (const CbIntacctRecord *self,
                const char            *name)
{
  if (self->attr_names == NULL)
    return -1;
  for (guint i = 0; i + 1 < self->attr_names->len; i++)
    if (strcmp (g_ptr_array_index (self->attr_names, i), name) == 0)
      return (int) i;
  return -1;
}

const char *
cb_intacct_record_get_attribute (const CbIntacctRecord *self,
                                 const char            *name)
{
  int i;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  i = find_attribute (self, name);
  return i < 0 ? NULL : g_ptr_array_index (self->attr_values, i);
}

void
cb_intacct_record_set_attribute (CbIntacctRecord *self,
                                 const char      *name,
                                 const char      *value)
{
  int i;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && *name != '\0');

  i = find_attribute (self, name);
  if (i >= 0)
    {
      if (value == NULL)
        {
          g_ptr_array_remove_index (self->attr_names, i);
          g_ptr_array_remove_index (self->attr_values, i);
        }
      else
        {
          char *old = g_ptr_array_index (self->attr_values, i);
          g_ptr_array_index (self->attr_values, i) = g_strdup (value);
          g_free (old);
        }
      return;
    }
  if (value == NULL)
    return;

  if (self->attr_names == NULL)
    {
      /* Both arrays keep a trailing NULL so attr_names->pdata is a ready strv. */
      self->attr_names = g_ptr_array_new_with_free_func (g_free);
      self->attr_values = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->attr_names, NULL);
      g_ptr_array_add (self->attr_values, NULL);
    }
  g_ptr_array_insert (self->attr_names, self->attr_names->len - 1, g_strdup (name));
  g_ptr_array_insert (self->attr_values, self->attr_values->len - 1, g_strdup (value));
}

const char **
cb_intacct_record_get_attribute_names (const CbIntacctRecord *self)
{
  static const char *none[] = { NULL };

  g_return_val_if_fail (self != NULL, NULL);

  if (self->attr_names == NULL)
    return none;
  return (const char **) self->attr_names->pdata;
}

guint
cb_intacct_record_get_n_children (const CbIntacctRecord *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->children->len;
}

CbIntacctRecord *
cb_intacct_record_get_nth_child (const CbIntacctRecord *self,
                                 guint                  n)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n >= self->children->len)
    return NULL;
  return g_ptr_array_index (self->children, n);
}

CbIntacctRecord *
cb_intacct_record_append (CbIntacctRecord *self,
                          CbIntacctRecord *child)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (child != NULL, NULL);
  g_return_val_if_fail (child != self, NULL);

  g_ptr_array_add (self->children, child);
  return child;
}

CbIntacctRecord *
cb_intacct_record_add_field (CbIntacctRecord *self,
                             const char      *name,
                             const char      *value)
{
  g_return_val_if_fail (self != NULL, NULL);

  return cb_intacct_record_append (self, cb_intacct_record_new_field (name, value));
}

void
cb_intacct_record_set_field (CbIntacctRecord *self,
                             const char      *name,
                             const char      *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  for (guint i = 0; i < self->children->len; i++)
    {
      CbIntacctRecord *child = g_ptr_array_index (self->children, i);

      if (child->children->len == 0 && g_ascii_strcasecmp (child->name, name) == 0)
        {
          cb_intacct_record_set_value (child, value);
          return;
        }
    }
  cb_intacct_record_add_field (self, name, value);
}

CbIntacctRecord *
cb_intacct_record_add_child (CbIntacctRecord *self,
                             const char      *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  return cb_intacct_record_append (self, cb_intacct_record_new (name));
}

CbIntacctRecord *
cb_intacct_record_get_child (const CbIntacctRecord *self,
                             const char            *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->children->len; i++)
    {
      CbIntacctRecord *child = g_ptr_array_index (self->children, i);

      if (g_ascii_strcasecmp (child->name, name) == 0)
        return child;
    }
  return NULL;
}

/* A child that has children of its own is a group, not a field: it gives NULL. */
const char *
cb_intacct_record_get_field (const CbIntacctRecord *self,
                             const char            *name)
{
  CbIntacctRecord *child = cb_intacct_record_get_child (self, name);

  if (child == NULL || child->children->len > 0)
    return NULL;
  return child->value != NULL ? child->value : "";
}

gboolean
cb_intacct_record_has_field (const CbIntacctRecord *self,
                             const char            *name)
{
  return cb_intacct_record_get_child (self, name) != NULL;
}

GPtrArray *
cb_intacct_record_get_lines (const CbIntacctRecord *self,
                             const char            *group)
{
  GPtrArray *lines = g_ptr_array_new ();
  CbIntacctRecord *child;

  g_return_val_if_fail (self != NULL, lines);

  child = cb_intacct_record_get_child (self, group);
  if (child != NULL)
    for (guint i = 0; i < child->children->len; i++)
      g_ptr_array_add (lines, g_ptr_array_index (child->children, i));
  return lines;
}

GHashTable *
cb_intacct_record_to_hash_table (const CbIntacctRecord *self)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (self != NULL, table);

  for (guint i = 0; i < self->children->len; i++)
    {
      CbIntacctRecord *child = g_ptr_array_index (self->children, i);
      char *key;

      if (child->children->len > 0)
        continue;
      key = g_ascii_strup (child->name, -1);
      /* The first of several same-named fields wins, as get_field() does. */
      if (g_hash_table_contains (table, key))
        g_free (key);
      else
        g_hash_table_insert (table, key, g_strdup (child->value != NULL ? child->value : ""));
    }
  return table;
}

static void
append_debug (GString               *out,
              const CbIntacctRecord *self,
              guint                  depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
  g_string_append (out, self->name);
  if (self->attr_names != NULL)
    for (guint i = 0; i + 1 < self->attr_names->len; i++)
      g_string_append_printf (out, " @%s=%s",
                              (const char *) g_ptr_array_index (self->attr_names, i),
                              (const char *) g_ptr_array_index (self->attr_values, i));

  if (self->children->len > 0)
    {
      g_string_append_c (out, '\n');
      for (guint i = 0; i < self->children->len; i++)
        append_debug (out, g_ptr_array_index (self->children, i), depth + 1);
      return;
    }

  g_string_append_c (out, '=');
  if (is_secret_name (self->name) && self->value != NULL && *self->value != '\0')
    g_string_append (out, "REDACTED");
  else if (self->value != NULL)
    g_string_append (out, self->value);
  g_string_append_c (out, '\n');
}

char *
cb_intacct_record_to_debug_string (const CbIntacctRecord *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  append_debug (out, self, 0);
  return g_string_free (out, FALSE);
}
