/* cb-import-csv.c: reading job-side CSV exports with libcsv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-import"

#include "config.h"

#include <string.h>
#include <csv.h>
#include <glib/gi18n-lib.h>

#include "cb-import-private.h"

typedef enum
{
  COLUMN_UNKNOWN,
  COLUMN_RECORD,
  COLUMN_LINE,
} ColumnTarget;

typedef struct
{
  ColumnTarget  target;
  char         *field;   /* the field it fills */
} Column;

typedef struct
{
  const char            *basename;
  const CbImportOptions *options;
  CbImportReport        *report;
  GPtrArray             *out;            /* records of the file's kind */
  CbJobKind              kind;
  GHashTable            *column_map;     /* normalised file column → field, or NULL */

  /* libcsv callbacks */
  GPtrArray             *row;            /* char *, the current row's values */
  guint                  current_line;   /* the physical line being fed */
  guint                  row_line;       /* where the current row starts */
  guint                  rows;

  /* the header */
  gboolean               have_header;
  Column                *columns;
  guint                  n_columns;

  /* records */
  GHashTable            *ids;            /* id → first line (as a pointer) */
  CbImportRaw           *group;          /* bills and commitments: the record being gathered */
  char                  *group_id;
} CsvState;

/* "Vendor ID", "vendor-id", " VENDOR_ID " → "vendor_id" */
static char *
normalise_name (const char *name)
{
  GString *s = g_string_new (NULL);
  gboolean pending = FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || (*p & 0x80))
        {
          if (pending && s->len > 0)
            g_string_append_c (s, '_');
          pending = FALSE;
          g_string_append_c (s, g_ascii_tolower (*p));
        }
      else
        pending = TRUE;
    }
  return g_string_free (s, FALSE);
}

static guint
count_newlines (const char *text,
                gsize       length)
{
  guint n = 0;

  for (gsize i = 0; i < length; i++)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == length || text[i + 1] != '\n')))
      n++;
  return n;
}

static void
on_field (void   *value,
          size_t  length,
          void   *user_data)
{
  CsvState *state = user_data;

  if (state->row->len == 0)
    state->row_line = state->current_line - count_newlines (value, length);
  g_ptr_array_add (state->row, g_strstrip (g_strndup (value, length)));
}

static char *
field_list (CbJobKind kind,
            gboolean  lines)
{
  GString *s = g_string_new (NULL);

  for (const CbImportField *f = cb_import_fields_of (kind, lines); f->name != NULL; f++)
    g_string_append_printf (s, "%s%s", s->len > 0 ? ", " : "", f->name);
  return g_string_free (s, FALSE);
}

static void
read_header (CsvState *state)
{
  gboolean has_lines = cb_job_kind_has_lines (state->kind);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  state->have_header = TRUE;
  state->n_columns = state->row->len;
  state->columns = g_new0 (Column, state->n_columns);

  for (guint i = 0; i < state->n_columns; i++)
    {
      const char *title = g_ptr_array_index (state->row, i);
      g_autofree char *name = normalise_name (title);
      Column *column = &state->columns[i];
      const char *mapped = NULL;
      const char *used_by;

      if (state->column_map != NULL)
        mapped = g_hash_table_lookup (state->column_map, name);
      if (mapped != NULL)
        {
          g_free (name);
          name = normalise_name (mapped);
        }

      /* "Job ID" in jobs.csv, "Vendor Name" in vendors.csv: the kind's own name before a
       * field that is not a field of its own. */
      {
        g_autofree char *prefix = g_strconcat (cb_job_kind_to_string (state->kind), "_", NULL);

        if (g_str_has_prefix (name, prefix) &&
            cb_import_find_field (state->kind, FALSE, name) == NULL &&
            cb_import_find_field (state->kind, FALSE, name + strlen (prefix)) != NULL)
          {
            char *field = g_strdup (name + strlen (prefix));

            g_free (name);
            name = field;
          }
      }

      if (has_lines && g_str_has_prefix (name, "line_") &&
          cb_import_find_field (state->kind, TRUE, name + 5) != NULL)
        {
          column->target = COLUMN_LINE;
          column->field = g_strdup (name + 5);
        }
      else if (cb_import_find_field (state->kind, FALSE, name) != NULL)
        {
          column->target = COLUMN_RECORD;
          column->field = g_strdup (name);
        }
      else if (has_lines && cb_import_find_field (state->kind, TRUE, name) != NULL)
        {
          column->target = COLUMN_LINE;
          column->field = g_strdup (name);
        }
      else
        {
          column->target = COLUMN_UNKNOWN;
          if (*title == '\0')
            cb_import_add_problem (state->report, state->basename, state->row_line, 0, NULL,
                                   NULL, _("Column %u has no name in the header row."), i + 1);
          else if (has_lines)
            {
              g_autofree char *record_fields = field_list (state->kind, FALSE);
              g_autofree char *line_fields = field_list (state->kind, TRUE);

              cb_import_add_problem (state->report, state->basename, state->row_line, 0, NULL,
                                   title,
                                   _("There is no such column for %s. Record columns: %s; "
                                     "line columns: %s (or prefixed “line_”). A column map "
                                     "can rename columns."),
                                   cb_job_kind_get_label (state->kind),
                                   record_fields, line_fields);
            }
          else
            {
              g_autofree char *fields = field_list (state->kind, FALSE);

              cb_import_add_problem (state->report, state->basename, state->row_line, 0, NULL,
                                   title,
                                   _("There is no such column for %s. Columns: %s. A column "
                                     "map can rename columns."),
                                   cb_job_kind_get_label (state->kind), fields);
            }
          continue;
        }

      {
        g_autofree char *key = g_strdup_printf ("%d:%s", column->target, column->field);

        used_by = g_hash_table_lookup (used, key);
        if (used_by != NULL)
          cb_import_add_problem (state->report, state->basename, state->row_line, 0, NULL,
                                 title, _("Two columns fill the field “%s” (the other is “%s”)."),
                                 column->field, used_by);
        else
          g_hash_table_insert (used, g_steal_pointer (&key), (gpointer) title);
      }
    }
}

static void
emit_raw (CsvState    *state,
          CbImportRaw *raw)
{
  CbJobRecord *record = cb_import_build_record (raw, state->basename, state->options,
                                                state->report);

  if (record != NULL)
    g_ptr_array_add (state->out, record);
}

static void
flush_group (CsvState *state)
{
  if (state->group != NULL)
    {
      emit_raw (state, state->group);
      g_clear_pointer (&state->group, cb_import_raw_free);
    }
  g_clear_pointer (&state->group_id, g_free);
}

static gboolean
note_id (CsvState   *state,
         const char *id)
{
  gpointer first;

  if (id == NULL)
    return TRUE;
  first = g_hash_table_lookup (state->ids, id);
  if (first != NULL)
    {
      if (cb_job_kind_has_lines (state->kind))
        cb_import_add_problem (state->report, state->basename, state->row_line, 0, id, "id",
                               _("This ID is already used by the record starting on line %u; "
                                 "the rows of one record must follow each other."),
                               GPOINTER_TO_UINT (first));
      else
        cb_import_add_problem (state->report, state->basename, state->row_line, 0, id, "id",
                               _("This ID is already used on line %u of this file."),
                               GPOINTER_TO_UINT (first));
      return FALSE;
    }
  g_hash_table_insert (state->ids, g_strdup (id), GUINT_TO_POINTER (state->row_line));
  return TRUE;
}

static void
read_row (CsvState *state)
{
  g_autoptr(CbImportRaw) raw = NULL;
  g_autoptr(CbImportRawLine) line = NULL;
  gboolean empty = TRUE;
  const char *id;

  for (guint i = 0; i < state->row->len; i++)
    if (*(const char *) g_ptr_array_index (state->row, i) != '\0')
      empty = FALSE;
  if (empty)
    return;

  if (state->row->len != state->n_columns)
    {
      cb_import_add_problem (state->report, state->basename, state->row_line, 0, NULL, NULL,
                             _("This row has %u values but the header has %u columns."),
                             state->row->len, state->n_columns);
      return;
    }

  raw = cb_import_raw_new (state->kind);
  raw->line = state->row_line;
  line = cb_import_raw_line_new ();
  line->line = state->row_line;
  for (guint i = 0; i < state->n_columns; i++)
    {
      const char *value = g_ptr_array_index (state->row, i);
      Column *column = &state->columns[i];

      if (*value == '\0' || column->target == COLUMN_UNKNOWN)
        continue;
      g_hash_table_insert (column->target == COLUMN_RECORD ? raw->fields : line->fields,
                           g_strdup (column->field), g_strdup (value));
    }
  id = g_hash_table_lookup (raw->fields, "id");

  if (!cb_job_kind_has_lines (state->kind))
    {
      if (note_id (state, id))
        emit_raw (state, raw);
      return;
    }

  /* Bills and commitments: consecutive rows with the same id are one record. */
  if (id != NULL && state->group_id != NULL && g_str_equal (id, state->group_id))
    {
      GHashTableIter iter;
      gpointer key, value;
      guint n_first = g_hash_table_size (state->group->fields);
      guint n_this = g_hash_table_size (raw->fields);
      gboolean differs = n_first != n_this;

      g_hash_table_iter_init (&iter, raw->fields);
      while (!differs && g_hash_table_iter_next (&iter, &key, &value))
        differs = g_strcmp0 (g_hash_table_lookup (state->group->fields, key), value) != 0;
      if (differs)
        {
          g_hash_table_iter_init (&iter, raw->fields);
          while (g_hash_table_iter_next (&iter, &key, &value))
            if (g_strcmp0 (g_hash_table_lookup (state->group->fields, key), value) != 0)
              cb_import_add_problem (state->report, state->basename, state->row_line, 0, id, key,
                                     _("The value differs from the record’s first row (line %u); "
                                       "each row of a record repeats the same record fields."),
                                     state->group->line);
          if (n_this < n_first)
            cb_import_add_problem (state->report, state->basename, state->row_line, 0, id, NULL,
                                   _("This row leaves out record fields that the record’s first "
                                     "row (line %u) has."), state->group->line);
        }
      g_ptr_array_add (state->group->lines, g_steal_pointer (&line));
      return;
    }

  flush_group (state);
  if (!note_id (state, id))
    return;
  g_ptr_array_add (raw->lines, g_steal_pointer (&line));
  state->group_id = g_strdup (id);
  state->group = g_steal_pointer (&raw);
}

static void
on_row (int   terminator,
        void *user_data)
{
  CsvState *state = user_data;

  if (state->row->len == 0)
    return;
  if (!state->have_header)
    read_header (state);
  else
    {
      read_row (state);
      state->rows++;
    }
  g_ptr_array_set_size (state->row, 0);
}

static void
csv_state_clear (CsvState *state)
{
  g_clear_pointer (&state->row, g_ptr_array_unref);
  g_clear_pointer (&state->ids, g_hash_table_unref);
  g_clear_pointer (&state->column_map, g_hash_table_unref);
  g_clear_pointer (&state->group, cb_import_raw_free);
  g_clear_pointer (&state->group_id, g_free);
  for (guint i = 0; i < state->n_columns; i++)
    g_free (state->columns[i].field);
  g_clear_pointer (&state->columns, g_free);
}

gboolean
cb_import_parse_csv (const char            *data,
                     gsize                  length,
                     const char            *basename,
                     const CbImportOptions *options,
                     GPtrArray            **out_by_kind,
                     CbImportReport        *report,
                     GCancellable          *cancellable,
                     GError               **error)
{
  struct csv_parser parser;
  CsvState state = { 0, };
  gsize pos = 0;
  gboolean ok = TRUE;

  if (options->has_kind)
    state.kind = options->kind;
  else if (!cb_import_kind_from_filename (basename, &state.kind))
    {
      g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT,
                   _("Cannot tell what “%s” holds: name the file after its kind (jobs.csv, "
                     "cost-codes.csv, cost-types.csv, vendors.csv, bills.csv, "
                     "commitments.csv) or choose the kind."), basename);
      return FALSE;
    }

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    pos = 3;

  state.basename = basename;
  state.options = options;
  state.report = report;
  state.row = g_ptr_array_new_with_free_func (g_free);
  state.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (options->column_map != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      state.column_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_iter_init (&iter, options->column_map);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (state.column_map, normalise_name (key), g_strdup (value));
    }
  if (out_by_kind[state.kind] == NULL)
    out_by_kind[state.kind] = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_job_record_free);
  state.out = out_by_kind[state.kind];

  csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI);

  /* Fed one physical line at a time, so that problems can name their line. */
  while (pos < length)
    {
      const char *nl = memchr (data + pos, '\n', length - pos);
      gsize end = nl != NULL ? (gsize) (nl - data) + 1 : length;

      state.current_line++;
      if (csv_parse (&parser, data + pos, end - pos, on_field, on_row, &state) != end - pos)
        {
          cb_import_add_problem (report, basename, state.current_line, 0, NULL, NULL,
                                 _("The quoting is broken here (a quote inside a value must be "
                                   "doubled, and a quoted value must end with a quote). Nothing "
                                   "after this line was read."));
          ok = FALSE;
          break;
        }
      pos = end;
      if (state.current_line % 4096 == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          csv_free (&parser);
          csv_state_clear (&state);
          return FALSE;
        }
    }
  if (ok && csv_fini (&parser, on_field, on_row, &state) != 0)
    cb_import_add_problem (report, basename, state.row_line > 0 ? state.row_line : state.current_line,
                           0, NULL, NULL,
                           _("The file ends inside a quoted value: it may be cut short."));
  csv_free (&parser);

  if (!state.have_header)
    {
      csv_state_clear (&state);
      g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT,
                   _("“%s” is empty: a CSV file needs a header row naming its columns."),
                   basename);
      return FALSE;
    }
  flush_group (&state);

  csv_state_clear (&state);
  return TRUE;
}
