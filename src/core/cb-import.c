/* cb-import.c: see cb-import.h; the rules shared by the CSV and JSON readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-import"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cb-import-private.h"

/* Fields */

static const char * const job_statuses[] = { "open", "closed", NULL };
static const char * const vendor_statuses[] = { "active", "inactive", NULL };

static const CbImportField job_fields[] = {
  { "id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "number", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "name", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "status", CB_IMPORT_FIELD_STATUS, FALSE, job_statuses },
  { "customer", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "start_date", CB_IMPORT_FIELD_DATE, FALSE, NULL },
  { "end_date", CB_IMPORT_FIELD_DATE, FALSE, NULL },
  { "address", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { NULL, },
};

static const CbImportField cost_code_fields[] = {
  { "id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "code", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "name", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "division", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { NULL, },
};

static const CbImportField cost_type_fields[] = {
  { "id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "code", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "name", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { NULL, },
};

static const CbImportField vendor_fields[] = {
  { "id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "name", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "code", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "tax_id", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "email", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "phone", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "address", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "status", CB_IMPORT_FIELD_STATUS, FALSE, vendor_statuses },
  { NULL, },
};

static const CbImportField bill_fields[] = {
  { "id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "vendor_id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "number", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "date", CB_IMPORT_FIELD_DATE, TRUE, NULL },
  { "due_date", CB_IMPORT_FIELD_DATE, FALSE, NULL },
  { "currency", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "memo", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "status", CB_IMPORT_FIELD_STATUS, FALSE, NULL },
  { NULL, },
};

static const CbImportField bill_line_fields[] = {
  { "job_id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "cost_code_id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "cost_type_id", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "amount", CB_IMPORT_FIELD_AMOUNT, TRUE, NULL },
  { "memo", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "gl_account", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { NULL, },
};

static const CbImportField commitment_fields[] = {
  { "id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "vendor_id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "job_id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "number", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "date", CB_IMPORT_FIELD_DATE, FALSE, NULL },
  { "description", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "status", CB_IMPORT_FIELD_STATUS, FALSE, NULL },
  { NULL, },
};

static const CbImportField commitment_line_fields[] = {
  { "cost_code_id", CB_IMPORT_FIELD_TEXT, TRUE, NULL },
  { "cost_type_id", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { "amount", CB_IMPORT_FIELD_AMOUNT, TRUE, NULL },
  { "memo", CB_IMPORT_FIELD_TEXT, FALSE, NULL },
  { NULL, },
};

static const CbImportField no_fields[] = { { NULL, }, };

const CbImportField *
cb_import_fields_of (CbJobKind kind,
                     gboolean  lines)
{
  switch (kind)
    {
    case CB_JOB_KIND_JOB:
      return lines ? no_fields : job_fields;
    case CB_JOB_KIND_COST_CODE:
      return lines ? no_fields : cost_code_fields;
    case CB_JOB_KIND_COST_TYPE:
      return lines ? no_fields : cost_type_fields;
    case CB_JOB_KIND_VENDOR:
      return lines ? no_fields : vendor_fields;
    case CB_JOB_KIND_BILL:
      return lines ? bill_line_fields : bill_fields;
    case CB_JOB_KIND_COMMITMENT:
      return lines ? commitment_line_fields : commitment_fields;
    case CB_JOB_N_KINDS:
    default:
      return no_fields;
    }
}

const CbImportField *
cb_import_find_field (CbJobKind   kind,
                      gboolean    lines,
                      const char *name)
{
  for (const CbImportField *f = cb_import_fields_of (kind, lines); f->name != NULL; f++)
    if (g_str_equal (f->name, name))
      return f;
  return NULL;
}

/* Raw records */

CbImportRaw *
cb_import_raw_new (CbJobKind kind)
{
  CbImportRaw *raw = g_new0 (CbImportRaw, 1);

  raw->kind = kind;
  raw->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (cb_job_kind_has_lines (kind))
    raw->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_import_raw_line_free);
  return raw;
}

void
cb_import_raw_free (CbImportRaw *raw)
{
  if (raw == NULL)
    return;
  g_clear_pointer (&raw->fields, g_hash_table_unref);
  g_clear_pointer (&raw->lines, g_ptr_array_unref);
  g_free (raw);
}

CbImportRawLine *
cb_import_raw_line_new (void)
{
  CbImportRawLine *line = g_new0 (CbImportRawLine, 1);

  line->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return line;
}

void
cb_import_raw_line_free (CbImportRawLine *line)
{
  if (line == NULL)
    return;
  g_clear_pointer (&line->fields, g_hash_table_unref);
  g_free (line);
}

/* Reports */

CbImportReport *
cb_import_report_new (void)
{
  CbImportReport *report = g_new0 (CbImportReport, 1);

  report->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_import_problem_free);
  return report;
}

void
cb_import_problem_free (CbImportProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->file);
  g_free (problem->record_id);
  g_free (problem->field);
  g_free (problem->reason);
  g_free (problem);
}

void
cb_import_report_free (CbImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report);
}

char *
cb_import_problem_to_string (const CbImportProblem *problem)
{
  GString *s;

  g_return_val_if_fail (problem != NULL, NULL);

  s = g_string_new (problem->file != NULL ? problem->file : "");
  if (problem->line > 0)
    g_string_append_printf (s, _(", line %u"), problem->line);
  if (problem->index > 0)
    g_string_append_printf (s, _(", record %u"), problem->index);
  if (problem->record_id != NULL)
    g_string_append_printf (s, _(", ID %s"), problem->record_id);
  if (problem->field != NULL)
    g_string_append_printf (s, _(", field %s"), problem->field);
  g_string_append_printf (s, ": %s", problem->reason);
  return g_string_free (s, FALSE);
}

void
cb_import_add_problem (CbImportReport *report,
                       const char     *file,
                       guint           line,
                       guint           index,
                       const char     *record_id,
                       const char     *field,
                       const char     *format,
                       ...)
{
  CbImportProblem *problem;
  va_list args;

  if (report->problems->len >= CB_IMPORT_MAX_PROBLEMS)
    {
      report->problems_dropped++;
      return;
    }

  problem = g_new0 (CbImportProblem, 1);
  problem->file = g_strdup (file);
  problem->line = line;
  problem->index = index;
  problem->record_id = g_strdup (record_id);
  problem->field = g_strdup (field);
  va_start (args, format);
  problem->reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (report->problems, problem);
}

/* Rules */

gboolean
cb_import_parse_amount (const char *text,
                        gint64     *cents)
{
  const char *p = text;
  gboolean negative = FALSE, parens = FALSE, grouped = FALSE;
  guint64 whole = 0, fraction = 0;
  guint digits = 0, group = 0, decimals = 0;

  if (text == NULL)
    return FALSE;

  if (*p == '(')
    {
      parens = TRUE;
      p++;
    }
  else if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (*p == '$')
    p++;

  /* Whole part: digits, optionally in groups of three after the first. */
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (++digits > 13)
            return FALSE;
          whole = whole * 10 + (*p - '0');
          group++;
          if (grouped && group > 3)
            return FALSE;
        }
      else if (*p == ',')
        {
          if (group == 0 || group > 3 || (grouped && group != 3))
            return FALSE;
          grouped = TRUE;
          group = 0;
        }
      else
        break;
    }
  if (digits == 0 || (grouped && group != 3))
    return FALSE;

  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++)
        {
          if (++decimals > 2)
            return FALSE;
          fraction = fraction * 10 + (*p - '0');
        }
      if (decimals == 0)
        return FALSE;
      if (decimals == 1)
        fraction *= 10;
    }

  if (parens)
    {
      if (*p != ')')
        return FALSE;
      p++;
      negative = TRUE;
    }
  if (*p != '\0')
    return FALSE;

  if (cents != NULL)
    *cents = (gint64) (whole * 100 + fraction) * (negative ? -1 : 1);
  return TRUE;
}

static gboolean
read_number (const char **p,
             guint        min_digits,
             guint        max_digits,
             guint       *value)
{
  guint n = 0;

  *value = 0;
  while (g_ascii_isdigit (**p))
    {
      if (++n > max_digits)
        return FALSE;
      *value = *value * 10 + (**p - '0');
      (*p)++;
    }
  return n >= min_digits;
}

char *
cb_import_parse_date (const char        *text,
                      CbImportDateRule   rule,
                      char             **reason)
{
  const char *p = text;
  guint a, b, year;

  if (text == NULL)
    return NULL;

  /* ISO: 2026-03-14 */
  if (read_number (&p, 4, 4, &year) && *p == '-')
    {
      guint month, day;

      p++;
      if (read_number (&p, 2, 2, &month) && *p++ == '-' &&
          read_number (&p, 2, 2, &day) && *p == '\0')
        {
          if (g_date_valid_dmy (day, month, year))
            return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
          *reason = g_strdup_printf (_("“%s” is not a date in the calendar."), text);
          return NULL;
        }
      *reason = g_strdup_printf (_("“%s” is not a date: use 2026-03-14 or 03/14/2026."), text);
      return NULL;
    }

  /* US (month/day/year), or day/month/year when the options say so. */
  p = text;
  if (read_number (&p, 1, 2, &a) && *p++ == '/' &&
      read_number (&p, 1, 2, &b) && *p++ == '/' &&
      read_number (&p, 4, 4, &year) && *p == '\0')
    {
      guint day = rule == CB_IMPORT_DATES_DAY_FIRST ? a : b;
      guint month = rule == CB_IMPORT_DATES_DAY_FIRST ? b : a;

      if (year >= 1000 && g_date_valid_dmy (day, month, year))
        return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
      if (rule == CB_IMPORT_DATES_ISO_OR_US && a > 12 && b <= 12 && year >= 1000 &&
          g_date_valid_dmy (a, b, year))
        *reason = g_strdup_printf (_("“%s” looks like a day-first date; dates are read as "
                                     "month/day/year unless the import is told the file "
                                     "puts the day first."), text);
      else
        *reason = g_strdup_printf (_("“%s” is not a date in the calendar."), text);
      return NULL;
    }

  *reason = g_strdup_printf (_("“%s” is not a date: use 2026-03-14 or 03/14/2026."), text);
  return NULL;
}

gboolean
cb_import_kind_from_filename (const char *basename,
                              CbJobKind  *kind)
{
  g_autofree char *stem = g_strdup (basename);
  char *dot = strrchr (stem, '.');

  if (dot != NULL && dot != stem)
    *dot = '\0';
  if (cb_job_kind_from_string (stem, kind))
    return TRUE;

  /* "2026-03 vendors", "acme_cost_codes", "vendors-a": one word (or two, "cost codes")
   * of the name is a kind, and no other kind is named. */
  {
    g_auto(GStrv) words = NULL;
    gboolean found = FALSE;
    CbJobKind first = CB_JOB_N_KINDS;

    for (char *p = stem; *p != '\0'; p++)
      if (!g_ascii_isalnum (*p))
        *p = ' ';
    words = g_strsplit (stem, " ", -1);
    for (guint i = 0; words[i] != NULL; i++)
      {
        CbJobKind k;
        g_autofree char *pair = NULL;

        if (*words[i] == '\0')
          continue;
        if (words[i + 1] != NULL)
          pair = g_strconcat (words[i], words[i + 1], NULL);
        if ((pair != NULL && cb_job_kind_from_string (pair, &k)) ||
            cb_job_kind_from_string (words[i], &k))
          {
            if (found && k != first)
              return FALSE;
            found = TRUE;
            first = k;
          }
      }
    if (found)
      *kind = first;
    return found;
  }
}

/* Checking a raw record */

static gboolean
check_value (const CbImportField   *field,
             const char            *value,
             const CbImportOptions *options,
             char                 **normalised,
             gint64                *cents,
             char                 **reason)
{
  switch (field->type)
    {
    case CB_IMPORT_FIELD_TEXT:
      *normalised = g_strdup (value);
      return TRUE;

    case CB_IMPORT_FIELD_DATE:
      *normalised = cb_import_parse_date (value, options->date_rule, reason);
      return *normalised != NULL;

    case CB_IMPORT_FIELD_AMOUNT:
      if (!cb_import_parse_amount (value, cents))
        {
          *reason = g_strdup_printf (_("“%s” is not an amount: use digits with “.” before the "
                                       "cents, optionally “$”, “,” between thousands, and “-” "
                                       "or parentheses for a credit."), value);
          return FALSE;
        }
      *normalised = g_strdup_printf ("%" G_GINT64_FORMAT, *cents);
      return TRUE;

    case CB_IMPORT_FIELD_STATUS:
      *normalised = g_utf8_strdown (value, -1);
      if (field->allowed != NULL && !g_strv_contains (field->allowed, *normalised))
        {
          g_autofree char *allowed = g_strjoinv (", ", (char **) field->allowed);

          *reason = g_strdup_printf (_("“%s” is not a status here; use one of: %s."),
                                     value, allowed);
          g_clear_pointer (normalised, g_free);
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/* Checks @values against @fields; calls @store for each good value. */
static gboolean
check_fields (const CbImportField   *fields,
              CbJobKind              kind,
              gboolean               lines,
              GHashTable            *values,
              const char            *file,
              guint                  line,
              guint                  index,
              const char            *record_id,
              const char            *field_prefix,
              const CbImportOptions *options,
              CbImportReport        *report,
              void                 (*store) (gpointer    target,
                                             const char *name,
                                             const char *value,
                                             gint64      cents),
              gpointer               target)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean ok = TRUE;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *label = g_strconcat (field_prefix, key, NULL);

      if (cb_import_find_field (kind, lines, key) == NULL)
        {
          cb_import_add_problem (report, file, line, index, record_id, label,
                                 _("There is no such field for %s."),
                                 cb_job_kind_get_label (kind));
          ok = FALSE;
        }
      else if (!g_utf8_validate (value, -1, NULL))
        {
          cb_import_add_problem (report, file, line, index, record_id, label,
                                 _("The value is not UTF-8 text."));
          ok = FALSE;
        }
    }

  for (const CbImportField *f = fields; f->name != NULL; f++)
    {
      const char *text = g_hash_table_lookup (values, f->name);
      g_autofree char *label = g_strconcat (field_prefix, f->name, NULL);
      g_autofree char *normalised = NULL;
      g_autofree char *reason = NULL;
      gint64 cents = 0;

      if (text == NULL)
        {
          if (f->required)
            {
              cb_import_add_problem (report, file, line, index, record_id, label,
                                     _("This field is required and is missing or empty."));
              ok = FALSE;
            }
          continue;
        }
      if (!g_utf8_validate (text, -1, NULL))
        continue;
      if (!check_value (f, text, options, &normalised, &cents, &reason))
        {
          cb_import_add_problem (report, file, line, index, record_id, label, "%s", reason);
          ok = FALSE;
          continue;
        }
      if (ok)
        store (target, f->name, normalised, cents);
    }
  return ok;
}

static void
store_record_field (gpointer    target,
                    const char *name,
                    const char *value,
                    gint64      cents)
{
  cb_job_record_set (target, name, value);
}

static void
replace_str (char       **slot,
             const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static void
store_line_field (gpointer    target,
                  const char *name,
                  const char *value,
                  gint64      cents)
{
  CbJobLine *line = target;

  if (g_str_equal (name, "job_id"))
    replace_str (&line->job_id, value);
  else if (g_str_equal (name, "cost_code_id"))
    replace_str (&line->cost_code_id, value);
  else if (g_str_equal (name, "cost_type_id"))
    replace_str (&line->cost_type_id, value);
  else if (g_str_equal (name, "amount"))
    line->amount_cents = cents;
  else if (g_str_equal (name, "memo"))
    replace_str (&line->memo, value);
  else if (g_str_equal (name, "gl_account"))
    replace_str (&line->gl_account, value);
}

CbJobRecord *
cb_import_build_record (const CbImportRaw     *raw,
                        const char            *file,
                        const CbImportOptions *options,
                        CbImportReport        *report)
{
  g_autoptr(CbJobRecord) record = NULL;
  const char *id = g_hash_table_lookup (raw->fields, "id");
  gboolean ok;

  if (id != NULL && !g_utf8_validate (id, -1, NULL))
    id = NULL;

  record = cb_job_record_new (raw->kind, NULL);
  ok = check_fields (cb_import_fields_of (raw->kind, FALSE), raw->kind, FALSE, raw->fields,
                     file, raw->line, raw->index, id, "", options, report,
                     store_record_field, record);

  if (cb_job_kind_has_lines (raw->kind))
    {
      if (raw->lines == NULL || raw->lines->len == 0)
        {
          cb_import_add_problem (report, file, raw->line, raw->index, id, "lines",
                                 _("A bill or commitment needs at least one line."));
          ok = FALSE;
        }
      for (guint i = 0; raw->lines != NULL && i < raw->lines->len; i++)
        {
          CbImportRawLine *raw_line = g_ptr_array_index (raw->lines, i);
          g_autoptr(CbJobLine) line = g_new0 (CbJobLine, 1);
          g_autofree char *prefix = NULL;
          guint n = raw_line->index > 0 ? raw_line->index : i + 1;

          /* CSV names the row; JSON names the line inside the record. */
          if (raw_line->line > 0)
            prefix = g_strdup ("");
          else
            prefix = g_strdup_printf ("lines[%u].", n);

          line->line_no = i + 1;
          if (g_hash_table_size (raw_line->fields) == 0)
            {
              cb_import_add_problem (report, file,
                                     raw_line->line > 0 ? raw_line->line : raw->line,
                                     raw->index, id, NULL,
                                     _("Line %u is empty: it names no job, cost code or amount."),
                                     n);
              ok = FALSE;
              continue;
            }
          if (!check_fields (cb_import_fields_of (raw->kind, TRUE), raw->kind, TRUE,
                             raw_line->fields, file,
                             raw_line->line > 0 ? raw_line->line : raw->line,
                             raw->index, id, prefix, options, report,
                             store_line_field, line))
            {
              ok = FALSE;
              continue;
            }
          if (raw->kind == CB_JOB_KIND_COMMITMENT)
            replace_str (&line->job_id, cb_job_record_get (record, "job_id"));
          if (ok)
            g_ptr_array_add (record->lines, g_steal_pointer (&line));
        }
    }

  return ok ? g_steal_pointer (&record) : NULL;
}

/* Files */

static gboolean
looks_like_json (const char *data,
                 gsize       length)
{
  gsize i = 0;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  for (; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return data[i] == '{' || data[i] == '[';
  return FALSE;
}

static gboolean
parse_data (const char            *data,
            gsize                  length,
            const char            *basename,
            const CbImportOptions *options,
            GPtrArray            **out_by_kind,
            CbImportReport        *report,
            GCancellable          *cancellable,
            GError               **error)
{
  g_autofree char *lower = g_ascii_strdown (basename, -1);
  gboolean json;

  if (g_str_has_suffix (lower, ".json"))
    json = TRUE;
  else if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".txt"))
    json = FALSE;
  else
    json = looks_like_json (data, length);

  if (json)
    return cb_import_parse_json (data, length, basename, options, out_by_kind, report,
                                 cancellable, error);
  return cb_import_parse_csv (data, length, basename, options, out_by_kind, report,
                              cancellable, error);
}

gboolean
cb_import_parse_file (GFile                  *file,
                      const CbImportOptions  *options,
                      GPtrArray             **out_by_kind,
                      CbImportReport         *report,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autofree char *data = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GError) local_error = NULL;
  CbImportOptions defaults = { 0, };
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (out_by_kind != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (options == NULL)
    options = &defaults;
  basename = g_file_get_basename (file);
  if (!g_file_load_contents (file, cancellable, &data, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_READ,
                     _("Could not read “%s”: %s"), basename, local_error->message);
      return FALSE;
    }

  return parse_data (data, length, basename, options, out_by_kind, report, cancellable, error);
}

/* Importing */

static gboolean
check_cross_file_duplicates (GPtrArray      **by_kind,
                             guint           *seen_len,
                             GHashTable      *seen,
                             const char      *basename,
                             CbImportReport  *report)
{
  gboolean ok = TRUE;

  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    {
      if (by_kind[k] == NULL)
        continue;
      for (guint i = seen_len[k]; i < by_kind[k]->len; i++)
        {
          CbJobRecord *record = g_ptr_array_index (by_kind[k], i);
          g_autofree char *key = g_strdup_printf ("%u:%s", k, record->id);
          const char *other = g_hash_table_lookup (seen, key);

          if (other != NULL)
            {
              cb_import_add_problem (report, basename, 0, 0, record->id, "id",
                                     _("This %s ID is also in “%s”: one import must have "
                                       "each record once."),
                                     cb_job_kind_to_string (k), other);
              ok = FALSE;
            }
          else
            g_hash_table_insert (seen, g_steal_pointer (&key), g_strdup (basename));
        }
      seen_len[k] = by_kind[k]->len;
    }
  return ok;
}

gboolean
cb_import_apply (CbDatabase             *db,
               const char             *profile_id,
               GPtrArray             **by_kind,
               gboolean                full,
               CbImportReport         *report,
               GCancellable           *cancellable,
               GError                **error)
{
  if (!cb_database_begin (db, error))
    return FALSE;
  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    {
      if (by_kind[k] == NULL)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !cb_job_store_apply (db, profile_id, k, by_kind[k], full, &report->counts[k], error))
        {
          cb_database_rollback (db);
          memset (report->counts, 0, sizeof report->counts);
          return FALSE;
        }
    }
  if (!cb_database_commit (db, error))
    {
      cb_database_rollback (db);
      memset (report->counts, 0, sizeof report->counts);
      return FALSE;
    }
  return TRUE;
}

void
cb_import_free_by_kind (GPtrArray **by_kind)
{
  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    g_clear_pointer (&by_kind[k], g_ptr_array_unref);
}

gboolean
cb_import_judge (CbImportReport  *report,
                GError         **error)
{
  guint n = report->problems->len + report->problems_dropped;

  if (n == 0)
    return TRUE;
  g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_INVALID,
               g_dngettext (GETTEXT_PACKAGE,
                            "Nothing was imported: %u problem was found.",
                            "Nothing was imported: %u problems were found.", n), n);
  return FALSE;
}

gboolean
cb_import_files (CbDatabase             *db,
                 const char             *profile_id,
                 GPtrArray              *files,
                 const CbImportOptions  *options,
                 CbImportReport        **report,
                 GCancellable           *cancellable,
                 GError                **error)
{
  g_autoptr(CbImportReport) local = cb_import_report_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GPtrArray *by_kind[CB_JOB_N_KINDS] = { NULL, };
  guint seen_len[CB_JOB_N_KINDS] = { 0, };
  CbImportOptions defaults = { 0, };
  gboolean ok = FALSE;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (files != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    options = &defaults;

  /* Judge every file first; nothing is written until all of them are good. */
  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      g_autofree char *basename = g_file_get_basename (file);
      g_autoptr(GError) file_error = NULL;

      local->files++;
      if (!cb_import_parse_file (file, options, by_kind, local, cancellable, &file_error))
        {
          if (!g_error_matches (file_error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_FORMAT))
            {
              g_propagate_error (error, g_steal_pointer (&file_error));
              goto out;
            }
          /* A file that is not in the format at all is one more problem to list. */
          cb_import_add_problem (local, basename, 0, 0, NULL, NULL, "%s", file_error->message);
        }
      check_cross_file_duplicates (by_kind, seen_len, seen, basename, local);
    }

  if (!cb_import_judge (local, error))
    goto out;

  ok = cb_import_apply (db, profile_id, by_kind, options->full, local, cancellable, error);

out:
  cb_import_free_by_kind (by_kind);
  /* A report is returned whenever the files could be judged. */
  if (report != NULL && (ok || g_error_matches (error ? *error : NULL, CB_IMPORT_ERROR,
                                                CB_IMPORT_ERROR_INVALID)))
    *report = g_steal_pointer (&local);
  return ok;
}

/* On a worker thread */

typedef struct
{
  char            *database_path;
  char            *profile_id;
  GPtrArray       *files;
  CbImportOptions  options;
  CbImportReport  *report;
} ImportTaskData;

static void
import_task_data_free (ImportTaskData *data)
{
  g_free (data->database_path);
  g_free (data->profile_id);
  g_ptr_array_unref (data->files);
  g_clear_pointer (&data->options.column_map, g_hash_table_unref);
  cb_import_report_free (data->report);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportTaskData *data = task_data;
  g_autoptr(CbDatabase) db = NULL;
  GError *error = NULL;

  db = cb_database_open (data->database_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (cb_import_files (db, data->profile_id, data->files, &data->options, &data->report,
                       cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cb_import_files_async (const char             *database_path,
                       const char             *profile_id,
                       GPtrArray              *files,
                       const CbImportOptions  *options,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportTaskData *data;

  g_return_if_fail (database_path != NULL);
  g_return_if_fail (profile_id != NULL);
  g_return_if_fail (files != NULL);

  data = g_new0 (ImportTaskData, 1);
  data->database_path = g_strdup (database_path);
  data->profile_id = g_strdup (profile_id);
  data->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (data->files, g_object_ref (g_ptr_array_index (files, i)));
  if (options != NULL)
    {
      data->options = *options;
      if (options->column_map != NULL)
        data->options.column_map = g_hash_table_ref (options->column_map);
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_import_files_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_task_data_free);
  g_task_run_in_thread (task, import_thread);
}

gboolean
cb_import_files_finish (GAsyncResult    *result,
                        CbImportReport **report,
                        GError         **error)
{
  ImportTaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    *report = g_steal_pointer (&data->report);
  return g_task_propagate_boolean (G_TASK (result), error);
}
