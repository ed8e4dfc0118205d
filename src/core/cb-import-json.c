/* cb-import-json.c: reading job-side JSON exports with json-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-import"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cb-import-private.h"

typedef struct
{
  const char            *basename;
  const CbImportOptions *options;
  CbImportReport        *report;
} JsonContext;

static const char *
node_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("a list");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return _("true or false");
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return _("text");
      return _("a number");
    }
}

/* A scalar as text: TRUE with *value (NULL for null or empty text), FALSE for a wrong type. */
static gboolean
scalar_text (JsonNode  *node,
             char     **value)
{
  *value = NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      *value = g_strstrip (g_strdup (json_node_get_string (node)));
      if (**value == '\0')
        g_clear_pointer (value, g_free);
      return TRUE;
    case G_TYPE_INT64:
      *value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        *value = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
        return TRUE;
      }
    default:
      return FALSE;
    }
}

/* Copies an object's scalar members into @fields; problems for the others. */
static gboolean
read_members (JsonContext *ctx,
              JsonObject  *object,
              GHashTable  *fields,
              guint        index,
              const char  *record_id,
              const char  *prefix,
              gboolean     skip_lines)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  gboolean ok = TRUE;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autofree char *value = NULL;

      if (skip_lines && g_str_equal (name, "lines"))
        continue;
      /* The id was read first (so that problems can name it). */
      if (g_hash_table_contains (fields, name))
        continue;
      if (!scalar_text (node, &value))
        {
          g_autofree char *label = g_strconcat (prefix, name, NULL);

          cb_import_add_problem (ctx->report, ctx->basename, 0, index, record_id, label,
                                 _("Expected text or a number here, not %s."),
                                 node_type_name (node));
          ok = FALSE;
          continue;
        }
      if (value != NULL)
        g_hash_table_insert (fields, g_strdup (name), g_steal_pointer (&value));
    }
  return ok;
}

static void
read_records (JsonContext *ctx,
              CbJobKind    kind,
              JsonArray   *array,
              GPtrArray   *out,
              const char  *where)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(CbImportRaw) raw = NULL;
      JsonObject *object;
      const char *id;
      gboolean ok;
      CbJobRecord *record;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          cb_import_add_problem (ctx->report, ctx->basename, 0, i + 1, NULL, where,
                                 _("Expected a record (an object), not %s."),
                                 node_type_name (node));
          continue;
        }
      object = json_node_get_object (node);
      raw = cb_import_raw_new (kind);
      raw->index = i + 1;

      {
        JsonNode *id_node = json_object_get_member (object, "id");
        g_autofree char *id_text = NULL;

        if (id_node != NULL && scalar_text (id_node, &id_text) && id_text != NULL)
          g_hash_table_insert (raw->fields, g_strdup ("id"), g_steal_pointer (&id_text));
      }
      id = g_hash_table_lookup (raw->fields, "id");

      ok = read_members (ctx, object, raw->fields, raw->index, id, "",
                         cb_job_kind_has_lines (kind));

      if (cb_job_kind_has_lines (kind) && json_object_has_member (object, "lines"))
        {
          JsonNode *lines = json_object_get_member (object, "lines");

          if (!JSON_NODE_HOLDS_ARRAY (lines))
            {
              cb_import_add_problem (ctx->report, ctx->basename, 0, raw->index, id, "lines",
                                     _("Expected a list of lines, not %s."),
                                     node_type_name (lines));
              ok = FALSE;
            }
          else
            {
              JsonArray *line_array = json_node_get_array (lines);

              for (guint j = 0; j < json_array_get_length (line_array); j++)
                {
                  JsonNode *line_node = json_array_get_element (line_array, j);
                  g_autoptr(CbImportRawLine) line = cb_import_raw_line_new ();
                  g_autofree char *prefix = g_strdup_printf ("lines[%u].", j + 1);

                  line->index = j + 1;
                  if (!JSON_NODE_HOLDS_OBJECT (line_node))
                    {
                      g_autofree char *label = g_strdup_printf ("lines[%u]", j + 1);

                      cb_import_add_problem (ctx->report, ctx->basename, 0, raw->index, id,
                                             label, _("Expected a line (an object), not %s."),
                                             node_type_name (line_node));
                      ok = FALSE;
                      continue;
                    }
                  if (!read_members (ctx, json_node_get_object (line_node), line->fields,
                                     raw->index, id, prefix, FALSE))
                    ok = FALSE;
                  g_ptr_array_add (raw->lines, g_steal_pointer (&line));
                }
            }
        }

      if (id != NULL)
        {
          gpointer first = g_hash_table_lookup (ids, id);

          if (first != NULL)
            {
              cb_import_add_problem (ctx->report, ctx->basename, 0, raw->index, id, "id",
                                     _("This ID is already used by record %u of this file."),
                                     GPOINTER_TO_UINT (first));
              ok = FALSE;
            }
          else
            g_hash_table_insert (ids, g_strdup (id), GUINT_TO_POINTER (raw->index));
        }

      /* Still check the fields, so that every problem of the record is listed. */
      record = cb_import_build_record (raw, ctx->basename, ctx->options, ctx->report);
      if (record != NULL && ok)
        g_ptr_array_add (out, record);
      else if (record != NULL)
        cb_job_record_free (record);
    }
}

static GPtrArray *
kind_array (GPtrArray **out_by_kind,
            CbJobKind   kind)
{
  if (out_by_kind[kind] == NULL)
    out_by_kind[kind] = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  return out_by_kind[kind];
}

static gboolean
kind_for_list (JsonContext  *ctx,
               CbJobKind    *kind,
               GError      **error)
{
  if (ctx->options->has_kind)
    {
      *kind = ctx->options->kind;
      return TRUE;
    }
  if (cb_import_kind_from_filename (ctx->basename, kind))
    return TRUE;
  g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT,
               _("Cannot tell what “%s” holds: name the file after its kind (vendors.json…), "
                 "give it as { \"kind\": \"vendor\", \"records\": […] }, or choose the kind."),
               ctx->basename);
  return FALSE;
}

gboolean
cb_import_parse_json (const char            *data,
                      gsize                  length,
                      const char            *basename,
                      const CbImportOptions *options,
                      GPtrArray            **out_by_kind,
                      CbImportReport        *report,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonContext ctx = { basename, options, report };
  JsonNode *root;
  CbJobKind kind;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (length == 0 || !json_parser_load_from_data (parser, data, length, &parse_error))
    {
      guint line = 0, column = 0;
      const char *position = parse_error != NULL ? strchr (parse_error->message, ':') : NULL;

      /* json-glib says "<data>:LINE:COLUMN: Parse error: …" */
      if (position != NULL && sscanf (position, ":%u:%u:", &line, &column) == 2)
        g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT,
                     _("“%s” is not valid JSON (line %u, column %u): it may be cut short or "
                       "damaged."), basename, line, column);
      else
        g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT,
                     _("“%s” is not valid JSON: it is empty, cut short or damaged."), basename);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT,
                   _("“%s” is not valid JSON: it is empty."), basename);
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* [ {…}, … ] */
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      if (!kind_for_list (&ctx, &kind, error))
        return FALSE;
      read_records (&ctx, kind, json_node_get_array (root), kind_array (out_by_kind, kind), NULL);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT,
                   _("“%s” holds %s: expected a list of records or an object."),
                   basename, node_type_name (root));
      return FALSE;
    }

  /* { "kind": "vendor", "records": [ … ] } */
  if (json_object_has_member (json_node_get_object (root), "records"))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *records = json_object_get_member (object, "records");
      JsonNode *kind_node = json_object_get_member (object, "kind");

      if (kind_node != NULL)
        {
          const char *text = JSON_NODE_HOLDS_VALUE (kind_node) &&
                             json_node_get_value_type (kind_node) == G_TYPE_STRING ?
                             json_node_get_string (kind_node) : NULL;

          if (!cb_job_kind_from_string (text, &kind))
            {
              g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT,
                           _("“%s” names an unknown kind of record: use job, cost_code, "
                             "cost_type, vendor, bill or commitment."), basename);
              return FALSE;
            }
        }
      else if (!kind_for_list (&ctx, &kind, error))
        return FALSE;

      if (!JSON_NODE_HOLDS_ARRAY (records))
        {
          cb_import_add_problem (report, basename, 0, 0, NULL, "records",
                                 _("Expected a list of records, not %s."),
                                 node_type_name (records));
          kind_array (out_by_kind, kind);
          return TRUE;
        }
      read_records (&ctx, kind, json_node_get_array (records), kind_array (out_by_kind, kind),
                    NULL);
      return TRUE;
    }

  /* { "jobs": […], "cost_codes": […], … } */
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    json_object_iter_init (&iter, json_node_get_object (root));
    while (json_object_iter_next (&iter, &name, &node))
      {
        if (!cb_job_kind_from_string (name, &kind))
          {
            cb_import_add_problem (report, basename, 0, 0, NULL, name,
                                   _("This is not a kind of record: use jobs, cost_codes, "
                                     "cost_types, vendors, bills or commitments."));
            continue;
          }
        if (!JSON_NODE_HOLDS_ARRAY (node))
          {
            cb_import_add_problem (report, basename, 0, 0, NULL, name,
                                   _("Expected a list of records, not %s."),
                                   node_type_name (node));
            continue;
          }
        read_records (&ctx, kind, json_node_get_array (node), kind_array (out_by_kind, kind),
                      name);
      }
  }
  return TRUE;
}
