/* cb-cli-import.c: costbridge-cli import FILE… and records KIND — the job-side store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "costbridge-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-cli.h"
#include "cb-import.h"

/* {{{ import */

static char     *import_profile;
static char     *import_kind;
static gboolean  import_full;
static gboolean  import_day_first;
static char    **import_map;

static const GOptionEntry import_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, &import_profile,
    N_("The company profile (name or id)"), N_("NAME") },
  { "kind", 0, 0, G_OPTION_ARG_STRING, &import_kind,
    N_("What every file holds: job, cost_code, cost_type, vendor, bill or commitment "
       "(default: from each file)"), N_("KIND") },
  { "full", 0, 0, G_OPTION_ARG_NONE, &import_full,
    N_("The files hold every record of their kinds: mark the others vanished"), NULL },
  { "day-first", 0, 0, G_OPTION_ARG_NONE, &import_day_first,
    N_("Read dates like 14/03/2026 as day/month/year"), NULL },
  { "map-column", 0, 0, G_OPTION_ARG_STRING_ARRAY, &import_map,
    N_("Read the CSV column COLUMN as the field FIELD (repeatable)"), N_("COLUMN=FIELD") },
  G_OPTION_ENTRY_NULL
};

static void
add_counts_member (JsonBuilder            *b,
                   const char             *name,
                   const CbJobApplyCounts *c)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "added");
  json_builder_add_int_value (b, c->added);
  json_builder_set_member_name (b, "updated");
  json_builder_add_int_value (b, c->updated);
  json_builder_set_member_name (b, "unchanged");
  json_builder_add_int_value (b, c->unchanged);
  json_builder_set_member_name (b, "vanished");
  json_builder_add_int_value (b, c->vanished);
  json_builder_end_object (b);
}

static void
print_report_json (const CbProfile      *p,
                   const CbImportReport *report,
                   const GError         *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_string_member (b, "profile", p->name);
  json_builder_set_member_name (b, "imported");
  json_builder_add_boolean_value (b, error == NULL);
  add_string_member (b, "error", error != NULL ? error->message : NULL);
  json_builder_set_member_name (b, "files");
  json_builder_add_int_value (b, report->files);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    add_counts_member (b, cb_job_kind_to_string (k), &report->counts[k]);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->problems->len; i++)
    {
      const CbImportProblem *problem = g_ptr_array_index (report->problems, i);

      json_builder_begin_object (b);
      add_string_member (b, "file", problem->file);
      json_builder_set_member_name (b, "line");
      if (problem->line > 0)
        json_builder_add_int_value (b, problem->line);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "record");
      if (problem->index > 0)
        json_builder_add_int_value (b, problem->index);
      else
        json_builder_add_null_value (b);
      add_string_member (b, "id", problem->record_id);
      add_string_member (b, "field", problem->field);
      add_string_member (b, "reason", problem->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "problems_not_listed");
  json_builder_add_int_value (b, report->problems_dropped);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  print_json (root);
}

static void
print_counts (const CbImportReport *report)
{
  gboolean any = FALSE;

  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    {
      const CbJobApplyCounts *c = &report->counts[k];

      if (c->added + c->updated + c->unchanged + c->vanished == 0)
        continue;
      any = TRUE;
      /* Translators: "Vendors: 3 added, 1 updated, 20 unchanged, 0 vanished" */
      g_print (_("%s: %u added, %u updated, %u unchanged, %u vanished\n"),
               cb_job_kind_get_label (k), c->added, c->updated, c->unchanged, c->vanished);
    }
  if (!any)
    g_print ("%s\n", _("The files hold no records."));
}

static int
run_import (int    argc,
            char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) map = NULL;
  g_autoptr(CbImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  CbImportOptions options = { 0, };
  int code = CB_EXIT_OK;

  if (!parse_options (&cb_cli_cmd_import, &argc, &argv, 1, -1, &code))
    return code;
  if (import_profile == NULL)
    return fail (CB_EXIT_USAGE, _("Say which company to import into: --profile NAME"));
  if (import_kind != NULL)
    {
      if (!cb_job_kind_from_string (import_kind, &options.kind))
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not a kind of record: use job, cost_code, cost_type, "
                               "vendor, bill or commitment"), import_kind);
          return fail (CB_EXIT_USAGE, message);
        }
      options.has_kind = TRUE;
    }
  for (guint i = 0; import_map != NULL && import_map[i] != NULL; i++)
    {
      const char *eq = strchr (import_map[i], '=');

      if (eq == NULL || eq == import_map[i] || eq[1] == '\0')
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not COLUMN=FIELD, as in --map-column \"Vendor "
                               "Number=id\""), import_map[i]);
          return fail (CB_EXIT_USAGE, message);
        }
      if (map == NULL)
        map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (map, g_strndup (import_map[i], eq - import_map[i]), g_strdup (eq + 1));
    }
  options.column_map = map;
  options.full = import_full;
  options.date_rule = import_day_first ? CB_IMPORT_DATES_DAY_FIRST : CB_IMPORT_DATES_ISO_OR_US;

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[i]));

  if ((db = open_database (&code)) == NULL || (p = load_profile (db, import_profile, &code)) == NULL)
    return code;

  if (cb_import_files (db, p->id, files, &options, &report, NULL, &error))
    {
      if (opt_json)
        print_report_json (p, report, NULL);
      else
        print_counts (report);
      return CB_EXIT_OK;
    }

  if (report == NULL)
    return fail (CB_EXIT_FAILURE, error->message);

  /* Rejected: every problem, then what it means. */
  if (opt_json)
    print_report_json (p, report, error);
  else
    {
      for (guint i = 0; i < report->problems->len; i++)
        {
          g_autofree char *text = cb_import_problem_to_string (g_ptr_array_index (report->problems, i));

          g_printerr ("%s\n", text);
        }
      if (report->problems_dropped > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE, "… and %u more problem, not listed\n",
                                 "… and %u more problems, not listed\n",
                                 report->problems_dropped),
                    report->problems_dropped);
      g_printerr ("%s\n", error->message);
    }
  return CB_EXIT_FAILURE;
}

const Command cb_cli_cmd_import = {
  "import", N_("FILE…"),
  N_("Import job-side records (jobs, cost codes, cost types, vendors, bills, commitments) "
     "from CSV or JSON files, all or nothing"),
  run_import, import_entries,
};

/* }}} */
/* {{{ records */

static char     *records_profile;
static char     *records_search;
static int       records_limit;
static gboolean  records_vanished;

static const GOptionEntry records_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, &records_profile,
    N_("The company profile (name or id)"), N_("NAME") },
  { "search", 0, 0, G_OPTION_ARG_STRING, &records_search,
    N_("Only records whose ID, code or name contains TEXT (any case)"), N_("TEXT") },
  { "limit", 0, 0, G_OPTION_ARG_INT, &records_limit,
    N_("At most N records"), N_("N") },
  { "vanished", 0, 0, G_OPTION_ARG_NONE, &records_vanished,
    N_("Include records missing from the last full import"), NULL },
  G_OPTION_ENTRY_NULL
};

static char *
format_cents (gint64 cents)
{
  guint64 magnitude = cents < 0 ? (guint64) -cents : (guint64) cents;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", cents < 0 ? "-" : "",
                          magnitude / 100, (guint) (magnitude % 100));
}

static void
print_records_json (const CbProfile *p,
                    CbJobKind        kind,
                    GPtrArray       *records,
                    guint            total)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_string_member (b, "profile", p->name);
  add_string_member (b, "kind", cb_job_kind_to_string (kind));
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, total);
  json_builder_set_member_name (b, "records");
  json_builder_begin_array (b);
  for (guint i = 0; i < records->len; i++)
    {
      const CbJobRecord *r = g_ptr_array_index (records, i);
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (r->fields),
                                           (GCompareFunc) g_strcmp0);

      json_builder_begin_object (b);
      add_string_member (b, "id", r->id);
      add_string_member (b, "code", r->code);
      add_string_member (b, "name", r->name);
      add_string_member (b, "status", r->status);
      add_time_member (b, "first_seen", r->first_seen);
      add_time_member (b, "last_seen", r->last_seen);
      add_time_member (b, "vanished_at", r->vanished_at);
      json_builder_set_member_name (b, "fields");
      json_builder_begin_object (b);
      for (GList *l = keys; l != NULL; l = l->next)
        add_string_member (b, l->data, g_hash_table_lookup (r->fields, l->data));
      json_builder_end_object (b);
      if (r->lines != NULL)
        {
          g_autofree char *total_text = format_cents (cb_job_record_total_cents (r));

          add_string_member (b, "total", total_text);
          json_builder_set_member_name (b, "lines");
          json_builder_begin_array (b);
          for (guint j = 0; j < r->lines->len; j++)
            {
              const CbJobLine *line = g_ptr_array_index (r->lines, j);
              g_autofree char *amount = format_cents (line->amount_cents);

              json_builder_begin_object (b);
              json_builder_set_member_name (b, "line");
              json_builder_add_int_value (b, line->line_no);
              add_string_member (b, "job_id", line->job_id);
              add_string_member (b, "cost_code_id", line->cost_code_id);
              add_string_member (b, "cost_type_id", line->cost_type_id);
              add_string_member (b, "amount", amount);
              add_string_member (b, "memo", line->memo);
              add_string_member (b, "gl_account", line->gl_account);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  print_json (root);
}

static void
print_records_table (CbJobKind  kind,
                     GPtrArray *records)
{
  for (guint i = 0; i < records->len; i++)
    {
      const CbJobRecord *r = g_ptr_array_index (records, i);

      g_print ("%-14s %-14s %-40s %-9s", r->id, r->code != NULL ? r->code : "",
               r->name != NULL ? r->name : "", r->status != NULL ? r->status : "");
      if (r->lines != NULL)
        {
          g_autofree char *total = format_cents (cb_job_record_total_cents (r));

          g_print (" %14s", total);
        }
      if (r->vanished_at != NULL)
        g_print (" %s", _("(vanished)"));
      g_print ("\n");
    }
}

static int
run_records (int    argc,
             char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  CbJobQuery query = { 0, };
  CbJobKind kind;
  guint total;
  int code = CB_EXIT_OK;

  if (!parse_options (&cb_cli_cmd_records, &argc, &argv, 1, 1, &code))
    return code;
  if (!cb_job_kind_from_string (argv[1], &kind))
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not a kind of record: use jobs, cost_codes, cost_types, "
                           "vendors, bills or commitments"), argv[1]);
      return fail (CB_EXIT_USAGE, message);
    }
  if (records_profile == NULL)
    return fail (CB_EXIT_USAGE, _("Say which company: --profile NAME"));
  if (records_limit < 0)
    return fail (CB_EXIT_USAGE, _("--limit must be a positive number"));

  if ((db = open_database (&code)) == NULL || (p = load_profile (db, records_profile, &code)) == NULL)
    return code;

  query.search = records_search;
  query.include_vanished = records_vanished;
  query.with_lines = TRUE;
  query.limit = records_limit;
  records = cb_job_store_list (db, p->id, kind, &query, &error);
  if (records == NULL)
    return fail (CB_EXIT_FAILURE, error->message);
  total = cb_job_store_count (db, p->id, kind, &query, &error);
  if (error != NULL)
    return fail (CB_EXIT_FAILURE, error->message);

  if (opt_json)
    print_records_json (p, kind, records, total);
  else
    {
      print_records_table (kind, records);
      if (records->len < total)
        g_printerr (_("%u of %u records shown\n"), records->len, total);
    }
  return CB_EXIT_OK;
}

const Command cb_cli_cmd_records = {
  "records", N_("KIND"),
  N_("List the job-side records of one kind (jobs, cost_codes, cost_types, vendors, bills, "
     "commitments)"),
  run_records, records_entries,
};

/* }}} */
