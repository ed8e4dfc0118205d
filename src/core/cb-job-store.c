/* cb-job-store.c: see cb-job-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-job-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cb-job-store.h"

static const char * const kind_names[CB_JOB_N_KINDS] = {
  "job", "cost_code", "cost_type", "vendor", "bill", "commitment",
};

static const char * const kind_labels[CB_JOB_N_KINDS] = {
  N_("Jobs"), N_("Cost codes"), N_("Cost types"), N_("Vendors"), N_("Bills"), N_("Commitments"),
};

const char *
cb_job_kind_to_string (CbJobKind kind)
{
  g_return_val_if_fail (kind < CB_JOB_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
cb_job_kind_from_string (const char *text,
                         CbJobKind  *kind)
{
  g_autoptr(GString) squashed = NULL;

  if (text == NULL)
    return FALSE;

  /* "Cost-Codes", "cost_codes", "cost codes", "costcode" → "costcode" */
  squashed = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '-' || *p == '_' || *p == ' ')
        continue;
      g_string_append_c (squashed, g_ascii_tolower (*p));
    }
  if (squashed->len > 1 && squashed->str[squashed->len - 1] == 's')
    g_string_truncate (squashed, squashed->len - 1);

  for (guint i = 0; i < CB_JOB_N_KINDS; i++)
    {
      g_autofree char *name = g_strdup (kind_names[i]);
      char *w = name;

      for (const char *r = kind_names[i]; *r != '\0'; r++)
        if (*r != '_')
          *w++ = *r;
      *w = '\0';
      if (g_str_equal (name, squashed->str))
        {
          if (kind != NULL)
            *kind = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
cb_job_kind_get_label (CbJobKind kind)
{
  g_return_val_if_fail (kind < CB_JOB_N_KINDS, NULL);
  return _(kind_labels[kind]);
}

gboolean
cb_job_kind_has_lines (CbJobKind kind)
{
  return kind == CB_JOB_KIND_BILL || kind == CB_JOB_KIND_COMMITMENT;
}

void
cb_job_line_free (CbJobLine *line)
{
  if (line == NULL)
    return;
  g_free (line->job_id);
  g_free (line->cost_code_id);
  g_free (line->cost_type_id);
  g_free (line->memo);
  g_free (line->gl_account);
  g_free (line);
}

CbJobRecord *
cb_job_record_new (CbJobKind   kind,
                   const char *id)
{
  CbJobRecord *record;

  g_return_val_if_fail (kind < CB_JOB_N_KINDS, NULL);

  record = g_new0 (CbJobRecord, 1);
  record->kind = kind;
  record->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (cb_job_kind_has_lines (kind))
    record->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_line_free);
  if (id != NULL)
    cb_job_record_set (record, "id", id);
  return record;
}

void
cb_job_record_free (CbJobRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->code);
  g_free (record->name);
  g_free (record->status);
  g_clear_pointer (&record->fields, g_hash_table_unref);
  g_clear_pointer (&record->lines, g_ptr_array_unref);
  g_clear_pointer (&record->first_seen, g_date_time_unref);
  g_clear_pointer (&record->last_seen, g_date_time_unref);
  g_clear_pointer (&record->vanished_at, g_date_time_unref);
  g_free (record);
}

const char *
cb_job_record_get (const CbJobRecord *record,
                   const char        *field)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  return g_hash_table_lookup (record->fields, field);
}

static const char *
code_field (CbJobKind kind)
{
  switch (kind)
    {
    case CB_JOB_KIND_JOB:
    case CB_JOB_KIND_BILL:
    case CB_JOB_KIND_COMMITMENT:
      return "number";
    default:
      return "code";
    }
}

static const char *
name_field (CbJobKind kind)
{
  switch (kind)
    {
    case CB_JOB_KIND_BILL:
      return "memo";
    case CB_JOB_KIND_COMMITMENT:
      return "description";
    default:
      return "name";
    }
}

void
cb_job_record_set (CbJobRecord *record,
                   const char  *field,
                   const char  *value)
{
  char **slot = NULL;

  g_return_if_fail (record != NULL);
  g_return_if_fail (field != NULL);

  if (value != NULL)
    g_hash_table_replace (record->fields, g_strdup (field), g_strdup (value));
  else
    g_hash_table_remove (record->fields, field);

  if (g_str_equal (field, "id"))
    slot = &record->id;
  else if (g_str_equal (field, code_field (record->kind)))
    slot = &record->code;
  else if (g_str_equal (field, name_field (record->kind)))
    slot = &record->name;
  else if (g_str_equal (field, "status"))
    slot = &record->status;

  if (slot != NULL)
    {
      g_free (*slot);
      *slot = g_strdup (value);
    }
}

char *
cb_job_format_amount (gint64 cents)
{
  guint64 magnitude = cents < 0 ? -(guint64) cents : (guint64) cents;
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / 100);
  GString *text = g_string_new (cents < 0 ? "−" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (text, ',');
      g_string_append_c (text, digits[i]);
    }
  g_string_append_printf (text, ".%02u", (guint) (magnitude % 100));

  return g_string_free (text, FALSE);
}

gint64
cb_job_record_total_cents (const CbJobRecord *record)
{
  gint64 total = 0;

  g_return_val_if_fail (record != NULL, 0);

  if (record->lines == NULL)
    return 0;
  for (guint i = 0; i < record->lines->len; i++)
    total += ((CbJobLine *) g_ptr_array_index (record->lines, i))->amount_cents;
  return total;
}

/* Storage */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The fields as a JSON object with sorted keys (so equal records give equal text). */
static char *
fields_to_json (GHashTable *fields)
{
  g_autofree gpointer *keys = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = 0;

  keys = g_hash_table_get_keys_as_array (fields, &n);
  qsort (keys, n, sizeof (gpointer), compare_strings);

  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (builder, keys[i]);
      json_builder_add_string_value (builder, g_hash_table_lookup (fields, keys[i]));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
fields_from_json (CbJobRecord *record,
                  const char  *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
      cb_job_record_set (record, name, json_node_get_string (node));
}

static void
append_part (GString    *s,
             const char *value)
{
  if (value == NULL)
    g_string_append_c (s, '\x1d');
  else
    g_string_append (s, value);
  g_string_append_c (s, '\x1f');
}

static char *
record_digest (const CbJobRecord *record,
               const char        *fields_json)
{
  g_autoptr(GString) s = g_string_new (fields_json);

  g_string_append_c (s, '\x1e');
  if (record->lines != NULL)
    for (guint i = 0; i < record->lines->len; i++)
      {
        CbJobLine *line = g_ptr_array_index (record->lines, i);

        append_part (s, line->job_id);
        append_part (s, line->cost_code_id);
        append_part (s, line->cost_type_id);
        g_string_append_printf (s, "%" G_GINT64_FORMAT "\x1f", line->amount_cents);
        append_part (s, line->memo);
        append_part (s, line->gl_account);
        g_string_append_c (s, '\x1e');
      }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA1, s->str, s->len);
}

static gboolean
step_done (CbDatabase    *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      cb_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  sqlite3_stmt *find;
  sqlite3_stmt *insert;
  sqlite3_stmt *update;
  sqlite3_stmt *touch;
  sqlite3_stmt *delete_lines;
  sqlite3_stmt *insert_line;
} ApplyStatements;

static void
apply_statements_clear (ApplyStatements *s)
{
  sqlite3_finalize (s->find);
  sqlite3_finalize (s->insert);
  sqlite3_finalize (s->update);
  sqlite3_finalize (s->touch);
  sqlite3_finalize (s->delete_lines);
  sqlite3_finalize (s->insert_line);
}

static gboolean
apply_statements_prepare (CbDatabase       *db,
                          ApplyStatements  *s,
                          GError          **error)
{
  return
    (s->find = cb_database_prepare (db,
       "SELECT rec, digest, vanished_at FROM job_records "
       "WHERE profile_id = ?1 AND kind = ?2 AND id = ?3", error)) != NULL &&
    (s->insert = cb_database_prepare (db,
       "INSERT INTO job_records (profile_id, kind, id, code, name, status, vendor_id, job_id, "
       "  date, total_cents, fields, digest, first_seen, last_seen, vanished_at, seen_import) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, NULL, ?14)",
       error)) != NULL &&
    (s->update = cb_database_prepare (db,
       "UPDATE job_records SET code = ?2, name = ?3, status = ?4, vendor_id = ?5, job_id = ?6, "
       "  date = ?7, total_cents = ?8, fields = ?9, digest = ?10, last_seen = ?11, "
       "  vanished_at = NULL, seen_import = ?12 WHERE rec = ?1", error)) != NULL &&
    (s->touch = cb_database_prepare (db,
       "UPDATE job_records SET last_seen = ?2, vanished_at = NULL, seen_import = ?3 "
       "WHERE rec = ?1", error)) != NULL &&
    (s->delete_lines = cb_database_prepare (db,
       "DELETE FROM job_lines WHERE rec = ?1", error)) != NULL &&
    (s->insert_line = cb_database_prepare (db,
       "INSERT INTO job_lines (rec, line_no, job_id, cost_code_id, cost_type_id, amount_cents, "
       "  memo, gl_account) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error)) != NULL;
}

static gboolean
insert_lines (CbDatabase         *db,
              ApplyStatements    *s,
              gint64              rec,
              const CbJobRecord  *record,
              GError            **error)
{
  if (record->lines == NULL)
    return TRUE;

  for (guint i = 0; i < record->lines->len; i++)
    {
      CbJobLine *line = g_ptr_array_index (record->lines, i);
      const char *job_id = line->job_id;

      if (job_id == NULL && record->kind == CB_JOB_KIND_COMMITMENT)
        job_id = cb_job_record_get (record, "job_id");

      sqlite3_bind_int64 (s->insert_line, 1, rec);
      sqlite3_bind_int64 (s->insert_line, 2, line->line_no > 0 ? line->line_no : i + 1);
      cb_database_bind_text (s->insert_line, 3, job_id);
      cb_database_bind_text (s->insert_line, 4, line->cost_code_id);
      cb_database_bind_text (s->insert_line, 5, line->cost_type_id);
      sqlite3_bind_int64 (s->insert_line, 6, line->amount_cents);
      cb_database_bind_text (s->insert_line, 7, line->memo);
      cb_database_bind_text (s->insert_line, 8, line->gl_account);
      if (!step_done (db, s->insert_line, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_one (CbDatabase         *db,
           ApplyStatements    *s,
           const char         *profile_id,
           const CbJobRecord  *record,
           gint64              now,
           gint64              import_id,
           CbJobApplyCounts   *counts,
           GError            **error)
{
  g_autofree char *json = fields_to_json (record->fields);
  g_autofree char *digest = record_digest (record, json);
  gboolean has_lines = cb_job_kind_has_lines (record->kind);
  gint64 rec = 0;
  gboolean found = FALSE, same = FALSE, was_vanished = FALSE;
  int rc;

  sqlite3_bind_text (s->find, 1, profile_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s->find, 2, kind_names[record->kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (s->find, 3, record->id, -1, SQLITE_STATIC);
  rc = sqlite3_step (s->find);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      rec = sqlite3_column_int64 (s->find, 0);
      same = g_strcmp0 ((const char *) sqlite3_column_text (s->find, 1), digest) == 0;
      was_vanished = sqlite3_column_type (s->find, 2) != SQLITE_NULL;
    }
  sqlite3_reset (s->find);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return FALSE;
    }

  if (found && same)
    {
      sqlite3_bind_int64 (s->touch, 1, rec);
      sqlite3_bind_int64 (s->touch, 2, now);
      sqlite3_bind_int64 (s->touch, 3, import_id);
      if (!step_done (db, s->touch, error))
        return FALSE;
      /* A record that comes back after vanishing has changed, as far as people go. */
      if (was_vanished)
        counts->updated++;
      else
        counts->unchanged++;
      return TRUE;
    }

  if (!found)
    {
      sqlite3_stmt *st = s->insert;

      cb_database_bind_text (st, 1, profile_id);
      cb_database_bind_text (st, 2, kind_names[record->kind]);
      cb_database_bind_text (st, 3, record->id);
      cb_database_bind_text (st, 4, record->code);
      cb_database_bind_text (st, 5, record->name);
      cb_database_bind_text (st, 6, record->status);
      cb_database_bind_text (st, 7, cb_job_record_get (record, "vendor_id"));
      cb_database_bind_text (st, 8, cb_job_record_get (record, "job_id"));
      cb_database_bind_text (st, 9, cb_job_record_get (record, "date"));
      if (has_lines)
        sqlite3_bind_int64 (st, 10, cb_job_record_total_cents (record));
      else
        sqlite3_bind_null (st, 10);
      cb_database_bind_text (st, 11, json);
      cb_database_bind_text (st, 12, digest);
      sqlite3_bind_int64 (st, 13, now);
      sqlite3_bind_int64 (st, 14, import_id);
      if (!step_done (db, st, error))
        return FALSE;
      rec = sqlite3_last_insert_rowid (cb_database_get_handle (db));
      counts->added++;
    }
  else
    {
      sqlite3_stmt *st = s->update;

      sqlite3_bind_int64 (st, 1, rec);
      cb_database_bind_text (st, 2, record->code);
      cb_database_bind_text (st, 3, record->name);
      cb_database_bind_text (st, 4, record->status);
      cb_database_bind_text (st, 5, cb_job_record_get (record, "vendor_id"));
      cb_database_bind_text (st, 6, cb_job_record_get (record, "job_id"));
      cb_database_bind_text (st, 7, cb_job_record_get (record, "date"));
      if (has_lines)
        sqlite3_bind_int64 (st, 8, cb_job_record_total_cents (record));
      else
        sqlite3_bind_null (st, 8);
      cb_database_bind_text (st, 9, json);
      cb_database_bind_text (st, 10, digest);
      sqlite3_bind_int64 (st, 11, now);
      sqlite3_bind_int64 (st, 12, import_id);
      if (!step_done (db, st, error))
        return FALSE;
      sqlite3_bind_int64 (s->delete_lines, 1, rec);
      if (!step_done (db, s->delete_lines, error))
        return FALSE;
      counts->updated++;
    }

  return insert_lines (db, s, rec, record, error);
}

static gboolean
apply_in_transaction (CbDatabase        *db,
                      const char        *profile_id,
                      CbJobKind          kind,
                      GPtrArray         *records,
                      gboolean           full,
                      CbJobApplyCounts  *counts,
                      GError           **error)
{
  ApplyStatements s = { NULL, };
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 import_id;
  gboolean ok = FALSE;

  stmt = cb_database_prepare (db,
                              "INSERT INTO job_imports (profile_id, kind, imported_at, full) "
                              "VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, kind_names[kind]);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int (stmt, 4, full ? 1 : 0);
  ok = step_done (db, stmt, error);
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;
  import_id = sqlite3_last_insert_rowid (cb_database_get_handle (db));

  if (!apply_statements_prepare (db, &s, error))
    goto out;

  ok = FALSE;
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      const CbJobRecord *record = g_ptr_array_index (records, i);

      if (record->kind != kind || record->id == NULL || *record->id == '\0')
        {
          g_set_error (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
                       _("A record without an ID, or of another kind, cannot be stored as %s."),
                       kind_names[kind]);
          goto out;
        }
      if (!apply_one (db, &s, profile_id, record, now, import_id, counts, error))
        goto out;
    }

  if (full)
    {
      stmt = cb_database_prepare (db,
                                  "UPDATE job_records SET vanished_at = ?3 "
                                  "WHERE profile_id = ?1 AND kind = ?2 AND vanished_at IS NULL "
                                  "AND seen_import <> ?4", error);
      if (stmt == NULL)
        goto out;
      cb_database_bind_text (stmt, 1, profile_id);
      cb_database_bind_text (stmt, 2, kind_names[kind]);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_int64 (stmt, 4, import_id);
      ok = step_done (db, stmt, error);
      sqlite3_finalize (stmt);
      if (!ok)
        goto out;
      counts->vanished += sqlite3_changes (cb_database_get_handle (db));
      ok = FALSE;
    }

  stmt = cb_database_prepare (db,
                              "UPDATE job_imports SET added = ?2, updated = ?3, unchanged = ?4, "
                              "vanished = ?5 WHERE id = ?1", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int64 (stmt, 2, counts->added);
  sqlite3_bind_int64 (stmt, 3, counts->updated);
  sqlite3_bind_int64 (stmt, 4, counts->unchanged);
  sqlite3_bind_int64 (stmt, 5, counts->vanished);
  ok = step_done (db, stmt, error);
  sqlite3_finalize (stmt);

out:
  apply_statements_clear (&s);
  return ok;
}

gboolean
cb_job_store_apply (CbDatabase        *db,
                    const char        *profile_id,
                    CbJobKind          kind,
                    GPtrArray         *records,
                    gboolean           full,
                    CbJobApplyCounts  *counts,
                    GError           **error)
{
  CbJobApplyCounts local = { 0, };
  gboolean own_transaction;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_JOB_N_KINDS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  own_transaction = sqlite3_get_autocommit (cb_database_get_handle (db)) != 0;
  if (own_transaction && !cb_database_begin (db, error))
    return FALSE;

  if (!apply_in_transaction (db, profile_id, kind, records, full, &local, error))
    {
      if (own_transaction)
        cb_database_rollback (db);
      return FALSE;
    }
  if (own_transaction && !cb_database_commit (db, error))
    {
      cb_database_rollback (db);
      return FALSE;
    }

  if (counts != NULL)
    {
      counts->added += local.added;
      counts->updated += local.updated;
      counts->unchanged += local.unchanged;
      counts->vanished += local.vanished;
    }
  return TRUE;
}

/* Reading */

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, column));
}

#define RECORD_COLUMNS "rec, id, fields, first_seen, last_seen, vanished_at"

static CbJobRecord *
record_from_row (sqlite3_stmt *stmt,
                 CbJobKind     kind,
                 gint64       *rec)
{
  CbJobRecord *record = cb_job_record_new (kind, NULL);

  *rec = sqlite3_column_int64 (stmt, 0);
  fields_from_json (record, (const char *) sqlite3_column_text (stmt, 2));
  cb_job_record_set (record, "id", (const char *) sqlite3_column_text (stmt, 1));
  record->first_seen = column_time (stmt, 3);
  record->last_seen = column_time (stmt, 4);
  record->vanished_at = column_time (stmt, 5);
  return record;
}

static gboolean
load_lines (CbDatabase    *db,
            sqlite3_stmt **stmt,
            CbJobRecord   *record,
            gint64         rec,
            GError       **error)
{
  int rc;

  if (*stmt == NULL)
    {
      *stmt = cb_database_prepare (db,
                                   "SELECT line_no, job_id, cost_code_id, cost_type_id, "
                                   "amount_cents, memo, gl_account FROM job_lines "
                                   "WHERE rec = ?1 ORDER BY line_no", error);
      if (*stmt == NULL)
        return FALSE;
    }

  g_ptr_array_set_size (record->lines, 0);
  sqlite3_bind_int64 (*stmt, 1, rec);
  while ((rc = sqlite3_step (*stmt)) == SQLITE_ROW)
    {
      CbJobLine *line = g_new0 (CbJobLine, 1);

      line->line_no = sqlite3_column_int (*stmt, 0);
      line->job_id = g_strdup ((const char *) sqlite3_column_text (*stmt, 1));
      line->cost_code_id = g_strdup ((const char *) sqlite3_column_text (*stmt, 2));
      line->cost_type_id = g_strdup ((const char *) sqlite3_column_text (*stmt, 3));
      line->amount_cents = sqlite3_column_int64 (*stmt, 4);
      line->memo = g_strdup ((const char *) sqlite3_column_text (*stmt, 5));
      line->gl_account = g_strdup ((const char *) sqlite3_column_text (*stmt, 6));
      g_ptr_array_add (record->lines, line);
    }
  sqlite3_reset (*stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

CbJobRecord *
cb_job_store_find (CbDatabase  *db,
                   const char  *profile_id,
                   CbJobKind    kind,
                   const char  *id,
                   GError     **error)
{
  g_autoptr(CbJobRecord) record = NULL;
  sqlite3_stmt *stmt, *lines_stmt = NULL;
  gint64 rec = 0;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (kind < CB_JOB_N_KINDS, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = cb_database_prepare (db,
                              "SELECT " RECORD_COLUMNS " FROM job_records "
                              "WHERE profile_id = ?1 AND kind = ?2 AND id = ?3", error);
  if (stmt == NULL)
    return NULL;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, kind_names[kind]);
  cb_database_bind_text (stmt, 3, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = record_from_row (stmt, kind, &rec);
  else if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      ok = FALSE;
    }
  sqlite3_finalize (stmt);

  if (ok && record != NULL && record->lines != NULL)
    ok = load_lines (db, &lines_stmt, record, rec, error);
  sqlite3_finalize (lines_stmt);

  return ok ? g_steal_pointer (&record) : NULL;
}

/* "%text%" for LIKE, with the wildcards in @text escaped. */
static char *
like_pattern (const char *text)
{
  GString *s = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');
  return g_string_free (s, FALSE);
}

static char *
build_query (const char       *what,
             const CbJobQuery *query,
             gboolean          ordered)
{
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql, "SELECT %s FROM job_records WHERE profile_id = ?1 AND kind = ?2",
                          what);
  if (query == NULL || !query->include_vanished)
    g_string_append (sql, " AND vanished_at IS NULL");
  if (query != NULL && query->search != NULL && *query->search != '\0')
    g_string_append (sql, " AND (id LIKE ?3 ESCAPE '\\' OR code LIKE ?3 ESCAPE '\\' "
                          "OR name LIKE ?3 ESCAPE '\\')");
  if (ordered)
    {
      g_string_append (sql, " ORDER BY code, id");
      if (query != NULL && (query->limit > 0 || query->offset > 0))
        g_string_append (sql, " LIMIT ?4 OFFSET ?5");
    }
  return g_string_free (sql, FALSE);
}

static void
bind_query (sqlite3_stmt     *stmt,
            const char       *profile_id,
            CbJobKind         kind,
            const CbJobQuery *query)
{
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, kind_names[kind]);
  if (query != NULL && query->search != NULL && *query->search != '\0')
    {
      g_autofree char *pattern = like_pattern (query->search);

      cb_database_bind_text (stmt, 3, pattern);
    }
  if (query != NULL)
    {
      sqlite3_bind_int64 (stmt, 4, query->limit > 0 ? (gint64) query->limit : -1);
      sqlite3_bind_int64 (stmt, 5, query->offset);
    }
}

GPtrArray *
cb_job_store_list (CbDatabase        *db,
                   const char        *profile_id,
                   CbJobKind          kind,
                   const CbJobQuery  *query,
                   GError           **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt, *lines_stmt = NULL;
  gboolean with_lines = query != NULL && query->with_lines && cb_job_kind_has_lines (kind);
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (kind < CB_JOB_N_KINDS, NULL);

  sql = build_query (RECORD_COLUMNS, query, TRUE);
  stmt = cb_database_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_query (stmt, profile_id, kind, query);

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rec;
      CbJobRecord *record = record_from_row (stmt, kind, &rec);

      g_ptr_array_add (records, record);
      if (with_lines)
        {
          if (!load_lines (db, &lines_stmt, record, rec, error))
            {
              ok = FALSE;
              break;
            }
        }
      else
        g_clear_pointer (&record->lines, g_ptr_array_unref);
    }
  if (ok && rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  sqlite3_finalize (lines_stmt);

  return ok ? g_steal_pointer (&records) : NULL;
}

guint
cb_job_store_count (CbDatabase        *db,
                    const char        *profile_id,
                    CbJobKind          kind,
                    const CbJobQuery  *query,
                    GError           **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  guint count = 0;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), 0);
  g_return_val_if_fail (profile_id != NULL, 0);
  g_return_val_if_fail (kind < CB_JOB_N_KINDS, 0);

  sql = build_query ("COUNT(*)", query, FALSE);
  stmt = cb_database_prepare (db, sql, error);
  if (stmt == NULL)
    return 0;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, kind_names[kind]);
  if (query != NULL && query->search != NULL && *query->search != '\0')
    {
      g_autofree char *pattern = like_pattern (query->search);

      cb_database_bind_text (stmt, 3, pattern);
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  else
    cb_database_set_error (db, rc, error);
  sqlite3_finalize (stmt);
  return count;
}

GDateTime *
cb_job_store_last_import (CbDatabase *db,
                          const char *profile_id,
                          CbJobKind   kind)
{
  sqlite3_stmt *stmt;
  GDateTime *when = NULL;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (kind < CB_JOB_N_KINDS, NULL);

  stmt = cb_database_prepare (db,
                              "SELECT MAX(imported_at) FROM job_imports "
                              "WHERE profile_id = ?1 AND kind = ?2", NULL);
  if (stmt == NULL)
    return NULL;
  cb_database_bind_text (stmt, 1, profile_id);
  cb_database_bind_text (stmt, 2, kind_names[kind]);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    when = column_time (stmt, 0);
  sqlite3_finalize (stmt);
  return when;
}
