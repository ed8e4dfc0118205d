/* cb-cli-match.c: `match` (auto-match) and `mappings` (list, set, create, clear, accept,
 * undo, redo, history, export, import)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both work on the job-side records and the Intacct cache already in the database (import
 * and pull fill them); neither talks to Intacct.
 */

#define G_LOG_DOMAIN "costbridge-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "cb-intacct-cache.h"
#include "cb-mapping-store.h"

#include "cb-cli.h"

static char *opt_profile;
static int opt_auto_min = -1;
static int opt_suggest_min = -1;
static char *opt_filter;
static char *opt_search;
static char *opt_sort;
static gboolean opt_descending;
static int opt_limit;
static int opt_offset;
static int opt_min_score;

static const GOptionEntry match_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, &opt_profile,
    N_("The company profile (default: the only one)"), N_("NAME") },
  { "auto-min", 0, 0, G_OPTION_ARG_INT, &opt_auto_min,
    N_("Map automatically from this score (default 95)"), N_("N") },
  { "suggest-min", 0, 0, G_OPTION_ARG_INT, &opt_suggest_min,
    N_("Suggest from this score (default 60)"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry mappings_entries[] = {
  { "profile", 0, 0, G_OPTION_ARG_STRING, &opt_profile,
    N_("The company profile (default: the only one)"), N_("NAME") },
  { "filter", 0, 0, G_OPTION_ARG_STRING, &opt_filter,
    N_("list: all, unmapped, suggested, mapped, create or stale"), N_("F") },
  { "search", 0, 0, G_OPTION_ARG_STRING, &opt_search,
    N_("list: only rows whose code, ID or name on either side contains this"), N_("S") },
  { "sort", 0, 0, G_OPTION_ARG_STRING, &opt_sort,
    N_("list: code, name, intacct-id, intacct-name, state or score"), N_("COLUMN") },
  { "descending", 0, 0, G_OPTION_ARG_NONE, &opt_descending, N_("list: reverse the order"), NULL },
  { "limit", 0, 0, G_OPTION_ARG_INT, &opt_limit, N_("list, history: at most N rows"), N_("N") },
  { "offset", 0, 0, G_OPTION_ARG_INT, &opt_offset, N_("list: skip N rows"), N_("N") },
  { "min-score", 0, 0, G_OPTION_ARG_INT, &opt_min_score,
    N_("accept: only suggestions with at least this score"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static int
error_exit (const GError *error)
{
  if (error->domain == CB_MAPPING_ERROR)
    return fail (CB_EXIT_FAILURE, error->message);
  return report_error (error);
}

static gboolean
parse_kind (const char    *text,
            CbMappingKind *kind,
            int           *exit_code)
{
  g_autofree char *msg = NULL;

  if (cb_mapping_kind_from_string (text, kind))
    return TRUE;
  msg = g_strdup_printf (_("“%s” is not a kind of mapping: cost-codes, cost-types, vendors or "
                           "projects"), text);
  *exit_code = fail (CB_EXIT_USAGE, msg);
  return FALSE;
}

static void
add_counts (JsonBuilder           *b,
            const CbMappingCounts *c)
{
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, c->total);
  json_builder_set_member_name (b, "mapped");
  json_builder_add_int_value (b, c->mapped);
  json_builder_set_member_name (b, "suggested");
  json_builder_add_int_value (b, c->suggested);
  json_builder_set_member_name (b, "unmapped");
  json_builder_add_int_value (b, c->unmapped);
  json_builder_set_member_name (b, "create");
  json_builder_add_int_value (b, c->create);
  json_builder_set_member_name (b, "stale");
  json_builder_add_int_value (b, c->stale);
}

/* {{{ match */

static int
run_match (int    argc,
           char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  CbMatchThresholds limits = CB_MATCH_THRESHOLDS_DEFAULT;
  CbMappingKind first, last;
  int exit_code = CB_EXIT_OK;

  if (!parse_options (&cb_cli_cmd_match, &argc, &argv, 1, 1, &exit_code))
    return exit_code;
  if (g_ascii_strcasecmp (argv[1], "all") == 0)
    {
      first = 0;
      last = CB_MAPPING_N_KINDS - 1;
    }
  else if (parse_kind (argv[1], &first, &exit_code))
    last = first;
  else
    return exit_code;

  if (opt_auto_min >= 0)
    limits.auto_min = opt_auto_min;
  if (opt_suggest_min >= 0)
    limits.suggest_min = opt_suggest_min;
  if (limits.auto_min > 100 || limits.suggest_min > limits.auto_min)
    return fail (CB_EXIT_USAGE, _("The scores must be 0–100, with --suggest-min at most "
                                  "--auto-min"));

  if ((db = open_database (&exit_code)) == NULL ||
      (p = pick_profile (db, opt_profile, &exit_code)) == NULL)
    return exit_code;

  json_builder_begin_object (b);
  for (CbMappingKind kind = first; kind <= last; kind++)
    {
      g_autoptr(GError) error = NULL;
      CbMappingCounts counts;

      if (!cb_mapping_store_auto_match (db, p->id, kind, &limits, &counts, &error))
        return error_exit (error);

      json_builder_set_member_name (b, cb_mapping_kind_to_string (kind));
      json_builder_begin_object (b);
      add_counts (b, &counts);
      json_builder_end_object (b);
      if (!opt_json)
        /* TRANSLATORS: "vendors: 40 mapped, 5 suggested, 3 unmapped, 0 to create, 1 stale (of 49)" */
        g_print (_("%s: %u mapped, %u suggested, %u unmapped, %u to create, %u stale (of %u)\n"),
                 cb_mapping_kind_to_string (kind), counts.mapped, counts.suggested,
                 counts.unmapped, counts.create, counts.stale, counts.total);
    }
  json_builder_end_object (b);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);

      print_json (root);
    }
  return CB_EXIT_OK;
}

const Command cb_cli_cmd_match = {
  "match", "KIND|all",
  N_("Match job-side records to the cached Intacct records: map the sure ones, suggest the "
     "likely ones"),
  run_match, match_entries,
};

/* }}} */
/* {{{ mappings */

static void
add_row (JsonBuilder        *b,
         const CbMappingRow *row)
{
  json_builder_begin_object (b);
  add_string_member (b, "job_id", row->job_id);
  add_string_member (b, "job_code", row->job_code);
  add_string_member (b, "job_name", row->job_name);
  add_string_member (b, "job_extra", row->job_extra);
  add_string_member (b, "state", cb_mapping_state_to_string (row->state));
  add_string_member (b, "intacct_recordno", row->intacct_recordno);
  add_string_member (b, "intacct_id", row->intacct_id);
  add_string_member (b, "intacct_name", row->intacct_name);
  json_builder_set_member_name (b, "score");
  json_builder_add_int_value (b, row->score);
  add_string_member (b, "reason", row->reason);
  add_string_member (b, "stale_reason", row->stale_reason);
  add_string_member (b, "how", row->how != CB_MAPPING_HOW_NONE ? cb_mapping_how_to_string (row->how)
                                                               : NULL);
  add_string_member (b, "changed_by", row->changed_by);
  add_time_member (b, "changed_at", row->changed_at);
  json_builder_end_object (b);
}

static gboolean
parse_filter (CbMappingQuery *query,
              int            *exit_code)
{
  static const char * const filters[] = { "all", "unmapped", "suggested", "mapped", "create",
                                          "stale" };
  static const char * const sorts[] = { "code", "name", "intacct-id", "intacct-name", "state",
                                        "score" };
  gboolean found = opt_filter == NULL;

  for (guint i = 0; opt_filter != NULL && i < G_N_ELEMENTS (filters); i++)
    if (g_ascii_strcasecmp (opt_filter, filters[i]) == 0)
      {
        query->filter = i;
        found = TRUE;
      }
  if (!found)
    {
      *exit_code = fail (CB_EXIT_USAGE, _("--filter is one of all, unmapped, suggested, mapped, "
                                          "create, stale"));
      return FALSE;
    }
  found = opt_sort == NULL;
  for (guint i = 0; opt_sort != NULL && i < G_N_ELEMENTS (sorts); i++)
    if (g_ascii_strcasecmp (opt_sort, sorts[i]) == 0)
      {
        query->sort = i;
        found = TRUE;
      }
  if (!found)
    {
      *exit_code = fail (CB_EXIT_USAGE, _("--sort is one of code, name, intacct-id, "
                                          "intacct-name, state, score"));
      return FALSE;
    }
  query->search = opt_search;
  query->descending = opt_descending;
  query->limit = MAX (opt_limit, 0);
  query->offset = MAX (opt_offset, 0);
  return TRUE;
}

static int
mappings_list (CbDatabase    *db,
               CbProfile     *p,
               CbMappingKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  CbMappingQuery query = { 0 };
  int exit_code = CB_EXIT_OK;
  guint total;

  if (!parse_filter (&query, &exit_code))
    return exit_code;
  rows = cb_mapping_store_list (db, p->id, kind, &query, &error);
  if (rows == NULL)
    return error_exit (error);
  total = cb_mapping_store_count (db, p->id, kind, &query, &error);
  if (error != NULL)
    return error_exit (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      add_string_member (b, "kind", cb_mapping_kind_to_string (kind));
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, total);
      json_builder_set_member_name (b, "rows");
      json_builder_begin_array (b);
      for (guint i = 0; i < rows->len; i++)
        add_row (b, g_ptr_array_index (rows, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
      return CB_EXIT_OK;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      const CbMappingRow *row = g_ptr_array_index (rows, i);
      g_autofree char *detail = NULL;

      if (row->stale_reason != NULL)
        detail = g_strdup (row->stale_reason);
      else if (row->reason != NULL)
        detail = g_strdup_printf ("%u: %s", row->score, row->reason);
      g_print ("%-12s %-32s %-18s %-14s %-32s %s\n",
               row->job_code ? row->job_code : row->job_id,
               row->job_name ? row->job_name : "",
               cb_mapping_state_get_label (row->state),
               row->intacct_id ? row->intacct_id : "",
               row->intacct_name ? row->intacct_name : "",
               detail ? detail : "");
    }
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u of %u row\n", "%u of %u rows\n", total),
              rows->len, total);
  return CB_EXIT_OK;
}

/* Prints the result of a change: what changed and the counts now. */
static int
print_changed (CbDatabase    *db,
               CbProfile     *p,
               CbMappingKind  kind,
               const char    *member,
               guint          n,
               const char    *message)
{
  g_autoptr(GError) error = NULL;
  CbMappingCounts counts;

  if (!cb_mapping_store_counts (db, p->id, kind, &counts, &error))
    return error_exit (error);
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, member);
      json_builder_add_int_value (b, n);
      json_builder_set_member_name (b, "counts");
      json_builder_begin_object (b);
      add_counts (b, &counts);
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    g_print ("%s\n", message);
  return CB_EXIT_OK;
}

static guint
count_changed (CbDatabase    *db,
               CbProfile     *p,
               CbMappingKind  kind,
               GPtrArray     *before)
{
  guint n = 0;

  for (guint i = 0; i < before->len; i++)
    {
      const CbMappingRow *old = g_ptr_array_index (before, i);
      g_autoptr(CbMappingRow) now = cb_mapping_store_get (db, p->id, kind, old->job_id, NULL);

      if (now != NULL && (now->state != old->state ||
                          g_strcmp0 (now->intacct_recordno, old->intacct_recordno) != 0))
        n++;
    }
  return n;
}

/* set, create, clear on the job IDs in @ids. */
static int
mappings_edit (CbDatabase    *db,
               CbProfile     *p,
               CbMappingKind  kind,
               const char    *sub,
               char         **ids,
               const char    *intacct_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_mapping_row_free);
  g_autofree char *message = NULL;
  gboolean ok;
  guint n;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      CbMappingRow *row = cb_mapping_store_get (db, p->id, kind, ids[i], &error);

      if (error != NULL)
        return error_exit (error);
      if (row != NULL)
        g_ptr_array_add (before, row);
    }

  if (g_str_equal (sub, "set"))
    {
      g_autoptr(CbCachedRecord) record = NULL;

      record = cb_intacct_cache_find (db, p->id, cb_mapping_kind_intacct_object (kind),
                                      intacct_id, &error);
      if (error != NULL)
        return error_exit (error);
      if (record == NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("There is no Intacct %s “%s” in the cached "
                                                    "records (run “costbridge-cli pull” first)"),
                                                  cb_mapping_kind_intacct_object (kind),
                                                  intacct_id);
          return fail (CB_EXIT_FAILURE, msg);
        }
      ok = cb_mapping_store_set (db, p->id, kind, (const char * const *) ids, record->recordno,
                                 &error);
    }
  else if (g_str_equal (sub, "create"))
    ok = cb_mapping_store_set_create (db, p->id, kind, (const char * const *) ids, &error);
  else
    ok = cb_mapping_store_clear (db, p->id, kind, (const char * const *) ids, &error);
  if (!ok)
    return error_exit (error);

  n = count_changed (db, p, kind, before);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u mapping changed",
                                          "%u mappings changed", n), n);
  return print_changed (db, p, kind, "changed", n, message);
}

static int
mappings_accept (CbDatabase    *db,
                 CbProfile     *p,
                 CbMappingKind  kind,
                 char         **ids)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  if (!cb_mapping_store_accept (db, p->id, kind, ids[0] != NULL ? (const char * const *) ids : NULL,
                                MAX (opt_min_score, 0), &n, &error))
    return error_exit (error);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u suggestion accepted",
                                          "%u suggestions accepted", n), n);
  return print_changed (db, p, kind, "accepted", n, message);
}

static int
mappings_undo_redo (CbDatabase    *db,
                    CbProfile     *p,
                    CbMappingKind  kind,
                    gboolean       redo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *message = NULL;
  CbMappingCounts counts;

  description = redo ? cb_mapping_store_redo_description (db, p->id, kind)
                     : cb_mapping_store_undo_description (db, p->id, kind);
  if (!(redo ? cb_mapping_store_redo : cb_mapping_store_undo) (db, p->id, kind, &error))
    return error_exit (error);
  if (!cb_mapping_store_counts (db, p->id, kind, &counts, &error))
    return error_exit (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      add_string_member (b, redo ? "redone" : "undone", description);
      json_builder_set_member_name (b, "counts");
      json_builder_begin_object (b);
      add_counts (b, &counts);
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    g_print (redo ? _("Redone: %s\n") : _("Undone: %s\n"), description);
  return CB_EXIT_OK;
}

static int
mappings_history (CbDatabase    *db,
                  CbProfile     *p,
                  CbMappingKind  kind,
                  const char    *job_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;

  changes = cb_mapping_store_history (db, p->id, kind, job_id, MAX (opt_limit, 0), &error);
  if (changes == NULL)
    return error_exit (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "changes");
      json_builder_begin_array (b);
      for (guint i = 0; i < changes->len; i++)
        {
          const CbMappingChange *c = g_ptr_array_index (changes, i);

          json_builder_begin_object (b);
          add_time_member (b, "at", c->at);
          add_string_member (b, "user", c->user);
          add_string_member (b, "how", cb_mapping_how_to_string (c->how));
          add_string_member (b, "action", c->action);
          add_string_member (b, "job_id", c->job_id);
          add_string_member (b, "old_state", cb_mapping_state_to_string (c->old_state));
          add_string_member (b, "new_state", cb_mapping_state_to_string (c->new_state));
          add_string_member (b, "old_intacct_id", c->old_intacct_id);
          add_string_member (b, "new_intacct_id", c->new_intacct_id);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
      return CB_EXIT_OK;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      const CbMappingChange *c = g_ptr_array_index (changes, i);
      g_autoptr(GDateTime) local = g_date_time_to_local (c->at);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");

      g_print ("%s  %-10s %-8s %-12s %s → %s  (%s)\n", when, c->user ? c->user : "",
               cb_mapping_how_to_string (c->how), c->job_id,
               c->old_intacct_id ? c->old_intacct_id : cb_mapping_state_to_string (c->old_state),
               c->new_intacct_id ? c->new_intacct_id : cb_mapping_state_to_string (c->new_state),
               c->action);
    }
  return CB_EXIT_OK;
}

static int
mappings_export (CbDatabase    *db,
                 CbProfile     *p,
                 CbMappingKind  kind,
                 const char    *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;

  if (path == NULL || g_str_equal (path, "-"))
    {
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();

      if (!cb_mapping_store_export_csv (db, p->id, kind, mem, &error) ||
          !g_output_stream_close (mem, NULL, &error))
        return error_exit (error);
      fwrite (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)), 1,
              g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)), stdout);
      return fflush (stdout) == 0 ? CB_EXIT_OK : CB_EXIT_FAILURE;
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
      if (out == NULL)
        return fail (CB_EXIT_FAILURE, error->message);
    }
  if (!cb_mapping_store_export_csv (db, p->id, kind, out, &error) ||
      !g_output_stream_close (out, NULL, &error))
    return error_exit (error);
  return CB_EXIT_OK;
}

static int
mappings_import (CbDatabase    *db,
                 CbProfile     *p,
                 CbMappingKind  kind,
                 const char    *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  {
    g_autoptr(GFile) file = g_str_equal (path, "-") ? g_file_new_for_path ("/dev/stdin")
                                                   : g_file_new_for_commandline_arg (path);

    in = G_INPUT_STREAM (g_file_read (file, NULL, &error));
    if (in == NULL)
      return fail (CB_EXIT_FAILURE, error->message);
  }
  if (!cb_mapping_store_import_csv (db, p->id, kind, in, &n, &error))
    return error_exit (error);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u mapping changed",
                                          "%u mappings changed", n), n);
  return print_changed (db, p, kind, "changed", n, message);
}

static int
run_mappings (int    argc,
              char **argv)
{
  static const struct { const char *name; int min, max; } subs[] = {
    { "list", 2, 2 }, { "set", 4, 4 }, { "create", 3, -1 }, { "clear", 3, -1 },
    { "accept", 2, -1 }, { "undo", 2, 2 }, { "redo", 2, 2 }, { "history", 2, 3 },
    { "export", 2, 3 }, { "import", 3, 3 },
  };
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(GStrvBuilder) rest_builder = g_strv_builder_new ();
  g_auto(GStrv) rest = NULL;   /* the arguments after KIND */
  CbMappingKind kind;
  int exit_code = CB_EXIT_OK;
  const char *sub;
  guint i;
  int n;

  if (!parse_options (&cb_cli_cmd_mappings, &argc, &argv, 2, -1, &exit_code))
    return exit_code;
  sub = argv[1];
  n = argc - 1;
  for (i = 0; i < G_N_ELEMENTS (subs); i++)
    if (g_str_equal (sub, subs[i].name))
      break;
  if (i == G_N_ELEMENTS (subs))
    {
      g_autofree char *msg = g_strdup_printf (_("Unknown “mappings %s”: use list, set, create, "
                                                "clear, accept, undo, redo, history, export or "
                                                "import"), sub);
      return fail (CB_EXIT_USAGE, msg);
    }
  if (n < subs[i].min || (subs[i].max >= 0 && n > subs[i].max))
    {
      g_autofree char *msg = g_strdup_printf (_("Wrong number of arguments for “mappings %s” "
                                                "(see --help)"), sub);
      return fail (CB_EXIT_USAGE, msg);
    }
  if (!parse_kind (argv[2], &kind, &exit_code))
    return exit_code;
  for (int a = 3; a < argc; a++)
    g_strv_builder_add (rest_builder, argv[a]);
  rest = g_strv_builder_end (rest_builder);

  if ((db = open_database (&exit_code)) == NULL ||
      (p = pick_profile (db, opt_profile, &exit_code)) == NULL)
    return exit_code;

  if (g_str_equal (sub, "list"))
    return mappings_list (db, p, kind);
  if (g_str_equal (sub, "set"))
    {
      char *ids[] = { rest[0], NULL };

      return mappings_edit (db, p, kind, sub, ids, rest[1]);
    }
  if (g_str_equal (sub, "create") || g_str_equal (sub, "clear"))
    return mappings_edit (db, p, kind, sub, rest, NULL);
  if (g_str_equal (sub, "accept"))
    return mappings_accept (db, p, kind, rest);
  if (g_str_equal (sub, "undo") || g_str_equal (sub, "redo"))
    return mappings_undo_redo (db, p, kind, g_str_equal (sub, "redo"));
  if (g_str_equal (sub, "history"))
    return mappings_history (db, p, kind, rest[0]);
  if (g_str_equal (sub, "export"))
    return mappings_export (db, p, kind, rest[0]);
  return mappings_import (db, p, kind, rest[0]);
}

const Command cb_cli_cmd_mappings = {
  "mappings",
  "list|set|create|clear|accept|undo|redo|history|export|import KIND [JOB_ID…] [INTACCT_ID|FILE]",
  N_("Show and change how job-side records map to Intacct records: list KIND, set KIND JOB_ID "
     "INTACCT_ID, create KIND JOB_ID…, clear KIND JOB_ID…, accept KIND [JOB_ID…], undo KIND, "
     "redo KIND, history KIND [JOB_ID], export KIND [FILE], import KIND FILE"),
  run_mappings, mappings_entries,
};

/* }}} */
