/* cb-error.c: Costbridge error domains
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-error"

#include "config.h"

#include <string.h>

#include "cb-error.h"

static void
cb_intacct_error_private_init (CbIntacctErrorPrivate *priv)
{
  priv->level = CB_INTACCT_LEVEL_TRANSPORT;
  priv->http_status = 0;
  priv->function_control_id = NULL;
  priv->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_error_entry_free);
  priv->unsure_control_ids = NULL;
}

static void
cb_intacct_error_private_copy (const CbIntacctErrorPrivate *src,
                               CbIntacctErrorPrivate       *dest)
{
  dest->level = src->level;
  dest->http_status = src->http_status;
  dest->function_control_id = g_strdup (src->function_control_id);
  for (guint i = 0; i < src->entries->len; i++)
    g_ptr_array_add (dest->entries, cb_intacct_error_entry_copy (g_ptr_array_index (src->entries, i)));
  dest->unsure_control_ids = g_strdupv (src->unsure_control_ids);
}

static void
cb_intacct_error_private_clear (CbIntacctErrorPrivate *priv)
{
  g_clear_pointer (&priv->function_control_id, g_free);
  g_clear_pointer (&priv->entries, g_ptr_array_unref);
  g_clear_pointer (&priv->unsure_control_ids, g_strfreev);
}

G_DEFINE_EXTENDED_ERROR (CbIntacctError, cb_intacct_error)
G_DEFINE_QUARK (cb-database-error-quark, cb_database_error)
G_DEFINE_QUARK (cb-import-error-quark, cb_import_error)
G_DEFINE_QUARK (cb-mapping-error-quark, cb_mapping_error)
G_DEFINE_QUARK (cb-sync-error-quark, cb_sync_error)

void
cb_clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

const CbIntacctErrorPrivate *
cb_intacct_error_get_details (const GError *error)
{
  if (error == NULL || error->domain != CB_INTACCT_ERROR)
    return NULL;
  return cb_intacct_error_get_private (error);
}

void
cb_intacct_set_error (GError            **error,
                      CbIntacctErrorCode  code,
                      CbIntacctErrorLevel level,
                      guint               http_status,
                      const char         *function_control_id,
                      GPtrArray          *entries,
                      const char         *message)
{
  GError *e;
  CbIntacctErrorPrivate *priv;

  if (error == NULL)
    return;

  e = g_error_new_literal (CB_INTACCT_ERROR, code, message);
  priv = cb_intacct_error_get_private (e);
  priv->level = level;
  priv->http_status = http_status;
  priv->function_control_id = g_strdup (function_control_id);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    g_ptr_array_add (priv->entries, cb_intacct_error_entry_copy (g_ptr_array_index (entries, i)));
  g_propagate_error (error, e);
}

void
cb_intacct_error_set_unsure_control_ids (GError             *error,
                                         const char * const *control_ids)
{
  CbIntacctErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == CB_INTACCT_ERROR);

  priv = cb_intacct_error_get_private (error);
  g_clear_pointer (&priv->unsure_control_ids, g_strfreev);
  priv->unsure_control_ids = g_strdupv ((char **) control_ids);
}

const char *
cb_intacct_error_get_support_id (const GError *error)
{
  const CbIntacctErrorPrivate *priv = cb_intacct_error_get_details (error);

  if (priv == NULL)
    return NULL;
  for (guint i = 0; i < priv->entries->len; i++)
    {
      const CbIntacctErrorEntry *entry = g_ptr_array_index (priv->entries, i);
      if (entry->support_id != NULL)
        return entry->support_id;
    }
  return NULL;
}

CbIntacctErrorEntry *
cb_intacct_error_entry_new (const char *errorno,
                            const char *description,
                            const char *description2,
                            const char *correction)
{
  CbIntacctErrorEntry *entry = g_new0 (CbIntacctErrorEntry, 1);

  entry->errorno = g_strdup (errorno);
  entry->description = g_strdup (description);
  entry->description2 = g_strdup (description2);
  entry->correction = g_strdup (correction);
  entry->support_id = cb_intacct_decode_support_id (description2);
  return entry;
}

CbIntacctErrorEntry *
cb_intacct_error_entry_copy (const CbIntacctErrorEntry *entry)
{
  CbIntacctErrorEntry *copy = g_new0 (CbIntacctErrorEntry, 1);

  copy->errorno = g_strdup (entry->errorno);
  copy->description = g_strdup (entry->description);
  copy->description2 = g_strdup (entry->description2);
  copy->correction = g_strdup (entry->correction);
  copy->support_id = g_strdup (entry->support_id);
  return copy;
}

void
cb_intacct_error_entry_free (CbIntacctErrorEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->errorno);
  g_free (entry->description);
  g_free (entry->description2);
  g_free (entry->correction);
  g_free (entry->support_id);
  g_free (entry);
}

/* Joins the non-empty parts, cleaned of markup, as the SDKs do. */
char *
cb_intacct_error_entry_to_string (const CbIntacctErrorEntry *entry)
{
  GString *s = g_string_new (NULL);
  const char *parts[] = { entry->description, entry->description2, entry->correction };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *clean = cb_intacct_clean_text (parts[i]);
      if (clean == NULL || *clean == '\0')
        continue;
      if (s->len > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, clean);
    }
  if (s->len == 0 && entry->errorno != NULL)
    g_string_append (s, entry->errorno);
  return g_string_free (s, FALSE);
}

char *
cb_intacct_decode_support_id (const char *text)
{
  const char *start, *end;
  g_autofree char *raw = NULL;
  char *decoded;

  if (text == NULL)
    return NULL;
  start = strstr (text, "Support ID:");
  if (start == NULL)
    return NULL;
  start += strlen ("Support ID:");
  while (*start == ' ')
    start++;
  end = strchr (start, ']');
  if (end == NULL)
    end = start + strlen (start);
  while (end > start && end[-1] == ' ')
    end--;
  if (end == start)
    return NULL;
  raw = g_strndup (start, end - start);
  decoded = g_uri_unescape_string (raw, NULL);
  return decoded != NULL ? decoded : g_steal_pointer (&raw);
}

static gboolean
append_entity (GString    *out,
               const char *entity,
               gsize       len)
{
  static const struct { const char *name; const char *text; } named[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
    { "nbsp", " " },
  };

  if (len > 1 && entity[0] == '#')
    {
      gunichar c;
      char *endp = NULL;
      if (entity[1] == 'x' || entity[1] == 'X')
        c = (gunichar) g_ascii_strtoull (entity + 2, &endp, 16);
      else
        c = (gunichar) g_ascii_strtoull (entity + 1, &endp, 10);
      if (endp != entity + len || c == 0 || !g_unichar_validate (c))
        return FALSE;
      g_string_append_unichar (out, c);
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (strlen (named[i].name) == len && strncmp (named[i].name, entity, len) == 0)
      {
        g_string_append (out, named[i].text);
        return TRUE;
      }
  return FALSE;
}

char *
cb_intacct_clean_text (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (p = text; *p != '\0'; p++)
    {
      if (*p == '<')
        {
          const char *close = strchr (p, '>');
          if (close != NULL)
            {
              p = close;
              continue;
            }
        }
      else if (*p == '&')
        {
          const char *semi = strchr (p, ';');
          if (semi != NULL && semi - p <= 10 && append_entity (out, p + 1, semi - p - 1))
            {
              p = semi;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
  g_strstrip (out->str);
  out->len = strlen (out->str);
  return g_string_free (out, FALSE);
}
