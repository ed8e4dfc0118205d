/* cb-mapping-store.c: see cb-mapping-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tables (migration 3, cb-schema-3-mappings.inc): mappings holds the stored state of every
 * job-side record that was ever touched; a record without a row is UNMAPPED. STALE is not
 * stored: every read joins the cached Intacct record by RECORDNO and computes it (gone,
 * ID changed, inactive), so it is right the moment a pull has rewritten the cache, with no
 * separate pass.
 *
 * Every change goes through one path: the wanted rows are put in a temporary table
 * (temp.cb_map_targets), the rows that really change are computed against the stored ones
 * (temp.cb_map_changes, before and after), and from there written to mappings, to the
 * undo journal (mapping_actions, mapping_action_rows) and to mapping_history, all in set
 * SQL inside one transaction. A bulk action of any size is one action.
 */

#define G_LOG_DOMAIN "cb-mapping-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-mapping-store.h"

/* How many actions per profile and kind the undo stack keeps. */
#define UNDO_DEPTH 100

static const char * const kind_names[] = { "cost-codes", "cost-types", "vendors", "projects" };
/* job_records.kind (cb-job-store.h's cb_job_kind_to_string) */
static const char * const job_kind_names[] = { "cost_code", "cost_type", "vendor", "job" };
static const char * const objects[] = { "STANDARDTASK", "STANDARDCOSTTYPE", "VENDOR", "PROJECT" };

const char *
cb_mapping_kind_to_string (CbMappingKind kind)
{
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
cb_mapping_kind_from_string (const char    *text,
                             CbMappingKind *kind)
{
  static const struct { const char *name; CbMappingKind kind; } names[] = {
    { "cost-code", CB_MAPPING_COST_CODES },
    { "code", CB_MAPPING_COST_CODES },
    { "standardtask", CB_MAPPING_COST_CODES },
    { "cost-type", CB_MAPPING_COST_TYPES },
    { "type", CB_MAPPING_COST_TYPES },
    { "standardcosttype", CB_MAPPING_COST_TYPES },
    { "vendor", CB_MAPPING_VENDORS },
    { "project", CB_MAPPING_PROJECTS },
    { "job", CB_MAPPING_PROJECTS },
  };
  g_autofree char *norm = NULL;
  gsize len;

  if (text == NULL)
    return FALSE;
  norm = g_ascii_strdown (text, -1);
  g_strstrip (norm);
  g_strdelimit (norm, "_ ", '-');
  len = strlen (norm);
  if (len > 1 && norm[len - 1] == 's')
    norm[len - 1] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (norm, names[i].name))
      {
        if (kind != NULL)
          *kind = names[i].kind;
        return TRUE;
      }
  return FALSE;
}

CbJobKind
cb_mapping_kind_job_kind (CbMappingKind kind)
{
  static const CbJobKind job_kinds[] = {
    CB_JOB_KIND_COST_CODE, CB_JOB_KIND_COST_TYPE, CB_JOB_KIND_VENDOR, CB_JOB_KIND_JOB,
  };

  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, CB_JOB_KIND_COST_CODE);
  return job_kinds[kind];
}

const char *
cb_mapping_kind_intacct_object (CbMappingKind kind)
{
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, NULL);
  return objects[kind];
}

CbMatchKind
cb_mapping_kind_match_kind (CbMappingKind kind)
{
  static const CbMatchKind match_kinds[] = {
    CB_MATCH_COST_CODES, CB_MATCH_COST_TYPES, CB_MATCH_VENDORS, CB_MATCH_PROJECTS,
  };

  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, CB_MATCH_COST_CODES);
  return match_kinds[kind];
}

static const char * const state_names[] = { "unmapped", "suggested", "mapped", "create", "stale" };

const char *
cb_mapping_state_to_string (CbMappingState state)
{
  g_return_val_if_fail (state <= CB_MAPPING_STATE_STALE, NULL);
  return state_names[state];
}

const char *
cb_mapping_state_get_label (CbMappingState state)
{
  static const char * const labels[] = {
    N_("Unmapped"), N_("Suggested"), N_("Mapped"), N_("Create in Intacct"), N_("Stale"),
  };

  g_return_val_if_fail (state <= CB_MAPPING_STATE_STALE, NULL);
  return _(labels[state]);
}

static gboolean
state_from_string (const char     *text,
                   CbMappingState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_ascii_strcasecmp (text, state_names[i]) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

static const char * const how_names[] = { "none", "manual", "auto", "imported", "sync" };

const char *
cb_mapping_how_to_string (CbMappingHow how)
{
  g_return_val_if_fail (how <= CB_MAPPING_HOW_SYNC, NULL);
  return how_names[how];
}

void
cb_mapping_row_free (CbMappingRow *row)
{
  if (row == NULL)
    return;
  g_free (row->job_id);
  g_free (row->job_code);
  g_free (row->job_name);
  g_free (row->job_extra);
  g_free (row->intacct_recordno);
  g_free (row->intacct_id);
  g_free (row->intacct_name);
  g_free (row->reason);
  g_free (row->stale_reason);
  g_free (row->changed_by);
  g_clear_pointer (&row->changed_at, g_date_time_unref);
  g_free (row);
}

void
cb_mapping_change_free (CbMappingChange *change)
{
  if (change == NULL)
    return;
  g_clear_pointer (&change->at, g_date_time_unref);
  g_free (change->user);
  g_free (change->action);
  g_free (change->job_id);
  g_free (change->old_intacct_id);
  g_free (change->new_intacct_id);
  g_free (change);
}

void
cb_mapping_target_free (CbMappingTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->intacct_recordno);
  g_free (target->intacct_id);
  g_free (target);
}

/* ------------------------------------------------------------------------------------ */
/* Statement helpers */

static gboolean
step_done (CbDatabase    *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      cb_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Runs @sql with ?1 = profile, ?2 = kind, ?3 = job kind, ?4 = object and, when given,
 * ?5 = @int5 and ?6 = @text6. */
static gboolean
run (CbDatabase     *db,
     const char     *sql,
     const char     *profile_id,
     CbMappingKind   kind,
     gint64          int5,
     const char     *text6,
     GError        **error)
{
  sqlite3_stmt *stmt = cb_database_prepare (db, sql, error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    cb_database_bind_text (stmt, 1, profile_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int (stmt, 2, kind);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    cb_database_bind_text (stmt, 3, job_kind_names[kind]);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    cb_database_bind_text (stmt, 4, objects[kind]);
  if (sqlite3_bind_parameter_count (stmt) >= 5)
    sqlite3_bind_int64 (stmt, 5, int5);
  if (sqlite3_bind_parameter_count (stmt) >= 6)
    cb_database_bind_text (stmt, 6, text6);
  ok = step_done (db, stmt, error);
  sqlite3_finalize (stmt);
  return ok;
}

static sqlite3_stmt *
prepare_bound (CbDatabase     *db,
               const char     *sql,
               const char     *profile_id,
               CbMappingKind   kind,
               GError        **error)
{
  sqlite3_stmt *stmt = cb_database_prepare (db, sql, error);

  if (stmt == NULL)
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    cb_database_bind_text (stmt, 1, profile_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int (stmt, 2, kind);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    cb_database_bind_text (stmt, 3, job_kind_names[kind]);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    cb_database_bind_text (stmt, 4, objects[kind]);
  return stmt;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static GDateTime *
time_column (sqlite3_stmt *stmt,
             int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NULL;
  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, col));
}

static const char *
user_name (void)
{
  return g_get_user_name ();
}

/* ------------------------------------------------------------------------------------ */
/* Reads */

/* Every read is on mappings alone, one row per job-side record (the triggers of migration
 * 3 keep its copy of the job side and its stale flag): the page is chosen by walking the
 * index of the sort order, which holds st, and only the page's rows then look up their
 * cached Intacct record (for the reason a row is stale, and a counterpart's current
 * name). ?1 profile, ?2 kind, ?3 job kind, ?4 object. */
#define WHERE_LIVE " WHERE m.profile_id = ?1 AND m.kind = ?2 AND m.live = 1"

enum
{
  COL_JOB_ID, COL_JOB_CODE, COL_JOB_NAME, COL_JOB_EXTRA, COL_STATE, COL_RECORDNO,
  COL_INTACCT_ID, COL_INTACCT_NAME, COL_SCORE, COL_REASON, COL_HOW, COL_CHANGED_BY,
  COL_CHANGED_AT, COL_IR_PRESENT, COL_IR_ID, COL_IR_STATUS, COL_IR_NAME,
};

/* The columns of a row, from mappings m and its counterpart ir. */
#define SELECT_COLUMNS \
  "SELECT m.job_id, m.job_code, m.job_name, m.job_extra, m.st, m.intacct_recordno," \
  " m.intacct_id, m.intacct_name, m.score, m.reason, m.how, m.changed_by, m.changed_at," \
  " ir.recordno IS NOT NULL, ir.id, ir.status, ir.name"

#define JOIN_INTACCT \
  " LEFT JOIN intacct_records ir ON ir.profile_id = m.profile_id AND ir.object = ?4" \
  "   AND ir.recordno = m.intacct_recordno"

static CbMappingRow *
row_from_stmt (CbMappingKind  kind,
               sqlite3_stmt  *stmt)
{
  CbMappingRow *row = g_new0 (CbMappingRow, 1);

  row->kind = kind;
  row->job_id = dup_column (stmt, COL_JOB_ID);
  row->job_code = dup_column (stmt, COL_JOB_CODE);
  row->job_name = dup_column (stmt, COL_JOB_NAME);
  row->job_extra = dup_column (stmt, COL_JOB_EXTRA);
  row->state = sqlite3_column_int (stmt, COL_STATE);
  row->intacct_recordno = dup_column (stmt, COL_RECORDNO);
  row->intacct_id = dup_column (stmt, COL_INTACCT_ID);
  row->intacct_name = dup_column (stmt, COL_INTACCT_NAME);
  row->score = sqlite3_column_int (stmt, COL_SCORE);
  row->reason = dup_column (stmt, COL_REASON);
  row->how = sqlite3_column_int (stmt, COL_HOW);
  row->changed_by = dup_column (stmt, COL_CHANGED_BY);
  row->changed_at = time_column (stmt, COL_CHANGED_AT);

  if (row->state == CB_MAPPING_STATE_STALE)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, COL_IR_STATUS);
      const char *new_id = (const char *) sqlite3_column_text (stmt, COL_IR_ID);

      if (!sqlite3_column_int (stmt, COL_IR_PRESENT))
        row->stale_reason = g_strdup_printf (_("“%s” is no longer in Intacct (deleted, or "
                                               "not seen by the last pull)"),
                                             row->intacct_id ? row->intacct_id : "");
      else if (g_strcmp0 (new_id, row->intacct_id) != 0)
        row->stale_reason = g_strdup_printf (_("Renamed in Intacct from “%s” to “%s”"),
                                             row->intacct_id ? row->intacct_id : "",
                                             new_id ? new_id : "");
      else if (g_strcmp0 (status, "inactive") == 0)
        row->stale_reason = g_strdup_printf (_("“%s” is inactive in Intacct"),
                                             row->intacct_id ? row->intacct_id : "");
    }
  else if (row->state == CB_MAPPING_STATE_MAPPED &&
           sqlite3_column_type (stmt, COL_IR_NAME) != SQLITE_NULL)
    {
      /* A counterpart renamed (name only) shows its current name. */
      g_free (row->intacct_name);
      row->intacct_name = dup_column (stmt, COL_IR_NAME);
    }

  return row;
}

static gboolean
has_search (const CbMappingQuery *query)
{
  return query != NULL && query->search != NULL && query->search[0] != '\0';
}

static gboolean
has_filter (const CbMappingQuery *query)
{
  return query != NULL && query->filter != CB_MAPPING_FILTER_ALL;
}

/* The WHERE additions for @query's filter (?5) and search (?6). The search is a plain
 * substring of the lower-case search column (ASCII case folding, as LIKE did). */
static void
append_conditions (GString              *sql,
                   const CbMappingQuery *query)
{
  if (has_filter (query))
    g_string_append (sql, " AND m.st = ?5");
  if (has_search (query))
    g_string_append (sql, " AND instr (m.search, ?6) > 0");
}

static CbMappingState
filter_state (CbMappingFilter filter)
{
  switch (filter)
    {
    case CB_MAPPING_FILTER_UNMAPPED: return CB_MAPPING_STATE_UNMAPPED;
    case CB_MAPPING_FILTER_SUGGESTED: return CB_MAPPING_STATE_SUGGESTED;
    case CB_MAPPING_FILTER_MAPPED: return CB_MAPPING_STATE_MAPPED;
    case CB_MAPPING_FILTER_CREATE: return CB_MAPPING_STATE_CREATE;
    case CB_MAPPING_FILTER_STALE: return CB_MAPPING_STATE_STALE;
    case CB_MAPPING_FILTER_ALL:
    default:
      return CB_MAPPING_STATE_UNMAPPED;
    }
}

static void
bind_conditions (sqlite3_stmt         *stmt,
                 const CbMappingQuery *query)
{
  if (has_filter (query))
    sqlite3_bind_int (stmt, 5, filter_state (query->filter));
  if (has_search (query))
    sqlite3_bind_text (stmt, 6, g_ascii_strdown (query->search, -1), -1, g_free);
}

/* Appends @query's order, and returns the index that walks it (see migration 3). Ties
 * always break by code then ID (by record for names), in the same direction, so pages are
 * stable; rows without a counterpart come last in both directions of the Intacct sorts. */
static const char *
append_order (GString              *sql,
              const CbMappingQuery *query)
{
  CbMappingSort sort = query != NULL ? query->sort : CB_MAPPING_SORT_JOB_CODE;
  gboolean desc = query != NULL && query->descending;
  const char *dir = desc ? " DESC" : "";
  const char *index = NULL;

  switch (sort)
    {
    case CB_MAPPING_SORT_JOB_NAME:
      index = "mappings_by_name";
      g_string_append_printf (sql, " ORDER BY m.job_name COLLATE NOCASE%s, m.job_rec%s", dir, dir);
      break;
    case CB_MAPPING_SORT_INTACCT_ID:
      index = desc ? "mappings_by_intacct_id_desc" : "mappings_by_intacct_id";
      g_string_append_printf (sql, " ORDER BY m.intacct_id IS NULL, m.intacct_id COLLATE NOCASE%s,"
                              " m.job_code%s, m.job_id%s", dir, dir, dir);
      break;
    case CB_MAPPING_SORT_INTACCT_NAME:
      index = desc ? "mappings_by_intacct_name_desc" : "mappings_by_intacct_name";
      g_string_append_printf (sql, " ORDER BY m.intacct_name IS NULL,"
                              " m.intacct_name COLLATE NOCASE%s, m.job_code%s, m.job_id%s",
                              dir, dir, dir);
      break;
    case CB_MAPPING_SORT_STATE:
      index = "mappings_by_state";
      g_string_append_printf (sql, " ORDER BY m.st%s, m.job_code%s, m.job_id%s", dir, dir, dir);
      break;
    case CB_MAPPING_SORT_SCORE:
      index = "mappings_by_score";
      g_string_append_printf (sql, " ORDER BY m.score%s, m.job_code%s, m.job_id%s", dir, dir, dir);
      break;
    case CB_MAPPING_SORT_JOB_CODE:
    default:
      index = has_filter (query) ? "mappings_by_state" : "mappings_by_code";
      g_string_append_printf (sql, " ORDER BY m.job_code%s, m.job_id%s", dir, dir);
      break;
    }

  return index;
}

/* Below this many matches a search reads the matching rows and sorts them; above, it
 * walks the sort order's index, where matches are dense enough to fill a page soon. */
#define SEARCH_SORT_MAX 20000

/* The page @query asks for: the keys of its rows, walking the sort order's index (so an
 * offset skips index entries, not rows), then the rows themselves and their counterparts.
 * A search with few matches (@few_matches) scans the table instead and sorts them. */
static GString *
page_sql (const CbMappingQuery *query,
          gboolean              few_matches)
{
  g_autoptr(GString) order = g_string_new (NULL);
  GString *sql = g_string_new (SELECT_COLUMNS " FROM (SELECT m.job_id AS job_id FROM mappings m");
  const char *index = append_order (order, query);

  if (!few_matches)
    g_string_append_printf (sql, " INDEXED BY %s" WHERE_LIVE, index);
  else
    g_string_append (sql, " WHERE m.profile_id = ?1 AND m.kind = ?2 AND +m.live = 1");
  append_conditions (sql, query);
  g_string_append (sql, order->str);
  if (query != NULL && query->limit > 0)
    g_string_append_printf (sql, " LIMIT %u OFFSET %u", query->limit, query->offset);
  else if (query != NULL && query->offset > 0)
    g_string_append_printf (sql, " LIMIT -1 OFFSET %u", query->offset);
  g_string_append (sql, ") AS page"
                        " JOIN mappings m ON m.profile_id = ?1 AND m.kind = ?2"
                        "   AND m.job_id = page.job_id"
                        JOIN_INTACCT);
  g_string_append (sql, order->str);
  return sql;
}

GPtrArray *
cb_mapping_store_list (CbDatabase           *db,
                       const char           *profile_id,
                       CbMappingKind         kind,
                       const CbMappingQuery *query,
                       GError              **error)
{
  g_autoptr(GString) sql = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (has_search (query))
    {
      guint matches = cb_mapping_store_count (db, profile_id, kind, query, error);

      if (error != NULL && *error != NULL)
        return NULL;
      sql = page_sql (query, matches <= SEARCH_SORT_MAX);
    }
  else
    sql = page_sql (query, FALSE);
  stmt = prepare_bound (db, sql->str, profile_id, kind, error);
  if (stmt == NULL)
    return NULL;
  bind_conditions (stmt, query);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_mapping_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (kind, stmt));
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}

guint
cb_mapping_store_count (CbDatabase           *db,
                        const char           *profile_id,
                        CbMappingKind         kind,
                        const CbMappingQuery *query,
                        GError              **error)
{
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), 0);
  g_return_val_if_fail (profile_id != NULL, 0);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, 0);

  /* The state index holds everything but the search text; a search reads the table. */
  sql = g_string_new ("SELECT count(*) FROM mappings m");
  if (!has_search (query))
    g_string_append (sql, " INDEXED BY mappings_by_state" WHERE_LIVE);
  else
    g_string_append (sql, " WHERE m.profile_id = ?1 AND m.kind = ?2 AND +m.live = 1");
  append_conditions (sql, query);

  stmt = prepare_bound (db, sql->str, profile_id, kind, error);
  if (stmt == NULL)
    return 0;
  bind_conditions (stmt, query);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  else
    cb_database_set_error (db, rc, error);
  sqlite3_finalize (stmt);
  return n;
}

CbMappingRow *
cb_mapping_store_get (CbDatabase  *db,
                      const char  *profile_id,
                      CbMappingKind kind,
                      const char  *job_id,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  CbMappingRow *row = NULL;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, NULL);
  g_return_val_if_fail (job_id != NULL, NULL);

  stmt = prepare_bound (db, SELECT_COLUMNS " FROM mappings m" JOIN_INTACCT WHERE_LIVE
                        " AND m.job_id = ?5 AND ?3 IS NOT NULL",
                        profile_id, kind, error);
  if (stmt == NULL)
    return NULL;
  cb_database_bind_text (stmt, 5, job_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row = row_from_stmt (kind, stmt);
  else if (rc != SQLITE_DONE)
    cb_database_set_error (db, rc, error);
  sqlite3_finalize (stmt);
  return row;
}

gboolean
cb_mapping_store_counts (CbDatabase      *db,
                         const char      *profile_id,
                         CbMappingKind    kind,
                         CbMappingCounts *counts,
                         GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);

  /* One walk of the state index: a count per state, no row read. */
  stmt = prepare_bound (db,
                        "SELECT m.st, count(*) FROM mappings m INDEXED BY mappings_by_state"
                        WHERE_LIVE " GROUP BY m.st",
                        profile_id, kind, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint n = sqlite3_column_int (stmt, 1);

      switch (sqlite3_column_int (stmt, 0))
        {
        case CB_MAPPING_STATE_UNMAPPED: counts->unmapped = n; break;
        case CB_MAPPING_STATE_SUGGESTED: counts->suggested = n; break;
        case CB_MAPPING_STATE_MAPPED: counts->mapped = n; break;
        case CB_MAPPING_STATE_CREATE: counts->create = n; break;
        case CB_MAPPING_STATE_STALE: counts->stale = n; break;
        default: break;
        }
      counts->total += n;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

GHashTable *
cb_mapping_store_targets (CbDatabase    *db,
                          const char    *profile_id,
                          CbMappingKind  kind,
                          GError       **error)
{
  g_autoptr(GHashTable) targets = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, NULL);

  stmt = prepare_bound (db,
                        "SELECT m.job_id, m.st, m.intacct_recordno, m.intacct_id"
                        " FROM mappings m INDEXED BY mappings_by_state" WHERE_LIVE
                        " AND m.st IN (2, 3, 4)",
                        profile_id, kind, error);
  if (stmt == NULL)
    return NULL;

  targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) cb_mapping_target_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbMappingTarget *target = g_new0 (CbMappingTarget, 1);

      target->state = sqlite3_column_int (stmt, 1);
      target->intacct_recordno = dup_column (stmt, 2);
      target->intacct_id = dup_column (stmt, 3);
      g_hash_table_insert (targets, dup_column (stmt, 0), target);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&targets);
}

/* ------------------------------------------------------------------------------------ */
/* Changes */

/* Starts an action: a transaction and empty temporary tables. */
static gboolean
begin_change (CbDatabase  *db,
              GError     **error)
{
  if (!cb_database_exec (db,
                         "CREATE TEMP TABLE IF NOT EXISTS cb_map_targets ("
                         "  job_id TEXT PRIMARY KEY NOT NULL, state INTEGER NOT NULL,"
                         "  recordno TEXT, id TEXT, name TEXT, score INTEGER NOT NULL DEFAULT 0,"
                         "  reason TEXT, how INTEGER NOT NULL);"
                         "CREATE TEMP TABLE IF NOT EXISTS cb_map_ids ("
                         "  job_id TEXT PRIMARY KEY NOT NULL);"
                         "CREATE TEMP TABLE IF NOT EXISTS cb_map_changes ("
                         "  job_id TEXT PRIMARY KEY NOT NULL,"
                         "  old_state INTEGER NOT NULL, new_state INTEGER NOT NULL,"
                         "  old_recordno TEXT, new_recordno TEXT, old_id TEXT, new_id TEXT,"
                         "  old_name TEXT, new_name TEXT,"
                         "  old_score INTEGER NOT NULL, new_score INTEGER NOT NULL,"
                         "  old_reason TEXT, new_reason TEXT,"
                         "  old_how INTEGER NOT NULL, new_how INTEGER NOT NULL,"
                         "  old_by TEXT, new_by TEXT, old_at INTEGER, new_at INTEGER);",
                         error))
    return FALSE;
  if (!cb_database_begin (db, error))
    return FALSE;
  if (!cb_database_exec (db,
                         "DELETE FROM temp.cb_map_targets;"
                         "DELETE FROM temp.cb_map_ids;"
                         "DELETE FROM temp.cb_map_changes;",
                         error))
    {
      cb_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
finish_change (CbDatabase  *db,
               gboolean     ok,
               GError     **error)
{
  if (!ok || !cb_database_commit (db, error))
    {
      cb_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/* Puts @job_ids in temp.cb_map_ids, each checked to be a live job-side record of @kind. */
static gboolean
fill_ids (CbDatabase         *db,
          const char         *profile_id,
          CbMappingKind       kind,
          const char * const *job_ids,
          GError            **error)
{
  sqlite3_stmt *check, *insert;
  gboolean ok = TRUE;

  check = prepare_bound (db,
                         "SELECT 1 FROM job_records WHERE profile_id = ?1 AND kind = ?3"
                         " AND id = ?5 AND vanished_at IS NULL AND ?2 IS NOT NULL"
                         " AND ?4 IS NOT NULL",
                         profile_id, kind, error);
  if (check == NULL)
    return FALSE;
  insert = cb_database_prepare (db, "INSERT OR IGNORE INTO temp.cb_map_ids (job_id) VALUES (?1)",
                                error);
  if (insert == NULL)
    {
      sqlite3_finalize (check);
      return FALSE;
    }

  for (guint i = 0; ok && job_ids[i] != NULL; i++)
    {
      sqlite3_reset (check);
      cb_database_bind_text (check, 5, job_ids[i]);
      if (sqlite3_step (check) != SQLITE_ROW)
        {
          g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                       _("There is no job-side record “%s” among the %s."),
                       job_ids[i], kind_names[kind]);
          ok = FALSE;
          break;
        }
      sqlite3_reset (insert);
      cb_database_bind_text (insert, 1, job_ids[i]);
      ok = step_done (db, insert, error);
    }
  sqlite3_finalize (check);
  sqlite3_finalize (insert);
  return ok;
}

/* Computes temp.cb_map_changes from temp.cb_map_targets: the rows whose state, counterpart,
 * score or reason really change (the same mapping imported again is no change). */
static gboolean
compute_changes (CbDatabase    *db,
                 const char    *profile_id,
                 CbMappingKind  kind,
                 gint64         now,
                 guint         *n_changes,
                 GError       **error)
{
  sqlite3_stmt *stmt;

  if (!run (db,
            "INSERT INTO temp.cb_map_changes SELECT t.job_id,"
            " COALESCE (m.state, 0), t.state, m.intacct_recordno, t.recordno,"
            " m.intacct_id, t.id, m.intacct_name, t.name,"
            " COALESCE (m.score, 0), t.score, m.reason, t.reason,"
            " COALESCE (m.how, 0), t.how, m.changed_by, ?6, m.changed_at, ?5"
            " FROM temp.cb_map_targets t"
            " LEFT JOIN mappings m ON m.profile_id = ?1 AND m.kind = ?2 AND m.job_id = t.job_id"
            " WHERE COALESCE (m.state, 0) IS NOT t.state"
            "   OR m.intacct_recordno IS NOT t.recordno"
            "   OR m.intacct_id IS NOT t.id"
            "   OR COALESCE (m.score, 0) IS NOT t.score"
            "   OR m.reason IS NOT t.reason",
            profile_id, kind, now, user_name (), error))
    return FALSE;

  stmt = cb_database_prepare (db, "SELECT count(*) FROM temp.cb_map_changes", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_step (stmt);
  *n_changes = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Writes temp.cb_map_changes: with @old_to_new the new values, else the old ones (undo);
 * and the history, with @how and @action. */
static gboolean
write_changes (CbDatabase    *db,
               const char    *profile_id,
               CbMappingKind  kind,
               gboolean       old_to_new,
               CbMappingHow   how,
               const char    *action,
               gint64         now,
               GError       **error)
{
  g_autofree char *upsert = NULL;
  g_autofree char *history = NULL;
  const char *to = old_to_new ? "new" : "old";
  const char *from = old_to_new ? "old" : "new";

  upsert = g_strdup_printf ("INSERT INTO mappings (profile_id, kind, job_id, state,"
                            " intacct_recordno, intacct_id, intacct_name, score, reason, how,"
                            " changed_by, changed_at, st)"
                            " SELECT ?1, ?2, job_id, %1$s_state, %1$s_recordno, %1$s_id,"
                            " %1$s_name, %1$s_score, %1$s_reason, %1$s_how, %1$s_by, %1$s_at,"
                            " %1$s_state FROM temp.cb_map_changes WHERE true"
                            " ON CONFLICT (profile_id, kind, job_id) DO UPDATE SET"
                            " st = CASE WHEN excluded.state = 2 AND stale != 0 THEN 4"
                            "   ELSE excluded.state END, state = excluded.state, intacct_recordno = excluded.intacct_recordno,"
                            " intacct_id = excluded.intacct_id, intacct_name = excluded.intacct_name,"
                            " score = excluded.score, reason = excluded.reason, how = excluded.how,"
                            " changed_by = excluded.changed_by, changed_at = excluded.changed_at",
                            to);
  history = g_strdup_printf ("INSERT INTO mapping_history (profile_id, kind, job_id, at, user,"
                             " how, action, old_state, new_state, old_intacct_id, new_intacct_id)"
                             " SELECT ?1, ?2, job_id, ?5, ?6, %u, ?7, %s_state, %s_state,"
                             " %s_id, %s_id FROM temp.cb_map_changes",
                             how, from, to, from, to);

  if (!run (db, upsert, profile_id, kind, 0, NULL, error))
    return FALSE;

  {
    sqlite3_stmt *stmt = cb_database_prepare (db, history, error);
    gboolean ok;

    if (stmt == NULL)
      return FALSE;
    cb_database_bind_text (stmt, 1, profile_id);
    sqlite3_bind_int (stmt, 2, kind);
    sqlite3_bind_int64 (stmt, 5, now);
    cb_database_bind_text (stmt, 6, user_name ());
    cb_database_bind_text (stmt, 7, action);
    ok = step_done (db, stmt, error);
    sqlite3_finalize (stmt);
    return ok;
  }
}

/* Applies temp.cb_map_targets as one action named by @describe (called with the number
 * of rows that change; NULL when not undoable): journal, mappings, history. Nothing is
 * recorded when nothing changes. Inside the caller's transaction. */
static gboolean
apply_targets (CbDatabase    *db,
               const char    *profile_id,
               CbMappingKind  kind,
               CbMappingHow   how,
               char        *(*describe) (guint n, gpointer data),
               gpointer       data,
               gboolean       undoable,
               guint         *n_changed,
               GError       **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *description = NULL;
  guint n = 0;

  if (!compute_changes (db, profile_id, kind, now, &n, error))
    return FALSE;
  if (n_changed != NULL)
    *n_changed = n;
  if (n == 0)
    return TRUE;

  description = describe (n, data);

  if (undoable)
    {
      sqlite3_stmt *stmt;
      gint64 seq;
      gboolean ok;

      /* A new action clears the redo stack. */
      if (!run (db, "DELETE FROM mapping_actions WHERE profile_id = ?1 AND kind = ?2 AND undone = 1",
                profile_id, kind, 0, NULL, error))
        return FALSE;

      stmt = cb_database_prepare (db,
                                  "INSERT INTO mapping_actions (profile_id, kind, description, how,"
                                  " user, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                  error);
      if (stmt == NULL)
        return FALSE;
      cb_database_bind_text (stmt, 1, profile_id);
      sqlite3_bind_int (stmt, 2, kind);
      cb_database_bind_text (stmt, 3, description);
      sqlite3_bind_int (stmt, 4, how);
      cb_database_bind_text (stmt, 5, user_name ());
      sqlite3_bind_int64 (stmt, 6, now);
      ok = step_done (db, stmt, error);
      sqlite3_finalize (stmt);
      if (!ok)
        return FALSE;
      seq = sqlite3_last_insert_rowid (cb_database_get_handle (db));

      if (!run (db, "INSERT INTO mapping_action_rows SELECT ?5, * FROM temp.cb_map_changes"
                " WHERE ?1 IS NOT NULL AND ?2 IS NOT NULL",
                profile_id, kind, seq, NULL, error))
        return FALSE;

      /* Keep the last UNDO_DEPTH actions. */
      if (!run (db,
                "DELETE FROM mapping_actions WHERE profile_id = ?1 AND kind = ?2 AND seq <="
                " (SELECT seq FROM mapping_actions WHERE profile_id = ?1 AND kind = ?2"
                "  ORDER BY seq DESC LIMIT 1 OFFSET ?5)",
                profile_id, kind, UNDO_DEPTH, NULL, error))
        return FALSE;
    }

  return write_changes (db, profile_id, kind, TRUE, how, description, now, error);
}

static char *
describe_set (guint    n,
              gpointer data)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Map %u record to “%s”",
                                       "Map %u records to “%s”", n),
                          n, (const char *) data);
}

static char *
describe_create (guint    n,
                 gpointer data)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Mark %u record “Create in Intacct”",
                                       "Mark %u records “Create in Intacct”", n), n);
}

static char *
describe_clear (guint    n,
                gpointer data)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Clear %u mapping",
                                       "Clear %u mappings", n), n);
}

static char *
describe_accept (guint    n,
                 gpointer data)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Accept %u suggestion",
                                       "Accept %u suggestions", n), n);
}

static char *
describe_auto (guint    n,
               gpointer data)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Auto-match (%u change)",
                                       "Auto-match (%u changes)", n), n);
}

static char *
describe_import (guint    n,
                 gpointer data)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Import %u mapping from CSV",
                                       "Import %u mappings from CSV", n), n);
}

static char *
describe_created (guint    n,
                  gpointer data)
{
  return g_strdup (_("Created in Intacct by a sync"));
}

/* One manual, undoable action on @job_ids (each checked to be a live job-side record):
 * each gets @state with the counterpart @recordno, @id and @name (NULL for none), no score
 * and no reason, in one transaction; see apply_targets(). */
static gboolean
apply_manual (CbDatabase         *db,
              const char         *profile_id,
              CbMappingKind       kind,
              const char * const *job_ids,
              CbMappingState      state,
              const char         *recordno,
              const char         *id,
              const char         *name,
              char             *(*describe) (guint n, gpointer data),
              gpointer            data,
              GError            **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!begin_change (db, error))
    return FALSE;
  ok = fill_ids (db, profile_id, kind, job_ids, error);
  if (ok)
    {
      stmt = cb_database_prepare (db,
                                  "INSERT INTO temp.cb_map_targets (job_id, state, recordno, id,"
                                  " name, score, reason, how)"
                                  " SELECT job_id, ?1, ?2, ?3, ?4, 0, NULL, ?5 FROM temp.cb_map_ids",
                                  error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int (stmt, 1, state);
          cb_database_bind_text (stmt, 2, recordno);
          cb_database_bind_text (stmt, 3, id);
          cb_database_bind_text (stmt, 4, name);
          sqlite3_bind_int (stmt, 5, CB_MAPPING_HOW_MANUAL);
          ok = step_done (db, stmt, error);
          sqlite3_finalize (stmt);
        }
    }
  ok = ok && apply_targets (db, profile_id, kind, CB_MAPPING_HOW_MANUAL, describe, data, TRUE,
                            NULL, error);
  return finish_change (db, ok, error);
}

gboolean
cb_mapping_store_set (CbDatabase         *db,
                      const char         *profile_id,
                      CbMappingKind       kind,
                      const char * const *job_ids,
                      const char         *intacct_recordno,
                      GError            **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *status = NULL;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, FALSE);
  g_return_val_if_fail (job_ids != NULL, FALSE);
  g_return_val_if_fail (intacct_recordno != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = prepare_bound (db,
                        "SELECT id, name, status FROM intacct_records WHERE profile_id = ?1"
                        " AND object = ?4 AND recordno = ?5 AND ?2 IS NOT NULL AND ?3 IS NOT NULL",
                        profile_id, kind, error);
  if (stmt == NULL)
    return FALSE;
  cb_database_bind_text (stmt, 5, intacct_recordno);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = dup_column (stmt, 0);
      name = dup_column (stmt, 1);
      status = dup_column (stmt, 2);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        cb_database_set_error (db, rc, error);
      else
        g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                     _("There is no Intacct %s with record number %s in this company’s "
                       "cached records. Pull from Intacct, then pick again."),
                     objects[kind], intacct_recordno);
      return FALSE;
    }
  if (g_strcmp0 (status, "inactive") == 0)
    {
      g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                   _("The Intacct %s “%s” is inactive: make it active in Intacct, or pick "
                     "another."), objects[kind], id ? id : intacct_recordno);
      return FALSE;
    }

  return apply_manual (db, profile_id, kind, job_ids, CB_MAPPING_STATE_MAPPED, intacct_recordno,
                       id, name, describe_set, id ? id : (char *) intacct_recordno, error);
}

static gboolean
set_plain (CbDatabase         *db,
           const char         *profile_id,
           CbMappingKind       kind,
           const char * const *job_ids,
           CbMappingState      state,
           GError            **error)
{
  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, FALSE);
  g_return_val_if_fail (job_ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return apply_manual (db, profile_id, kind, job_ids, state, NULL, NULL, NULL,
                       state == CB_MAPPING_STATE_CREATE ? describe_create : describe_clear,
                       NULL, error);
}

gboolean
cb_mapping_store_set_create (CbDatabase         *db,
                             const char         *profile_id,
                             CbMappingKind       kind,
                             const char * const *job_ids,
                             GError            **error)
{
  return set_plain (db, profile_id, kind, job_ids, CB_MAPPING_STATE_CREATE, error);
}

gboolean
cb_mapping_store_clear (CbDatabase         *db,
                        const char         *profile_id,
                        CbMappingKind       kind,
                        const char * const *job_ids,
                        GError            **error)
{
  return set_plain (db, profile_id, kind, job_ids, CB_MAPPING_STATE_UNMAPPED, error);
}

gboolean
cb_mapping_store_accept (CbDatabase         *db,
                         const char         *profile_id,
                         CbMappingKind       kind,
                         const char * const *job_ids,
                         guint               min_score,
                         guint              *n_accepted,
                         GError            **error)
{
  g_autofree char *sql = NULL;
  gboolean ok;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_accepted != NULL)
    *n_accepted = 0;

  /* A suggestion whose record has gone from the cache, or turned inactive, is not
   * accepted; the ID and name are taken from the cache as they are now. */
  sql = g_strdup_printf ("INSERT INTO temp.cb_map_targets (job_id, state, recordno, id, name,"
                         " score, reason, how)"
                         " SELECT m.job_id, 2, m.intacct_recordno, ir.id, ir.name, m.score,"
                         " m.reason, 1 FROM mappings m INDEXED BY mappings_by_state"
                         " JOIN intacct_records ir ON ir.profile_id = m.profile_id"
                         "   AND ir.object = ?4 AND ir.recordno = m.intacct_recordno"
                         "   AND ir.status IS NOT 'inactive'"
                         " WHERE m.profile_id = ?1 AND m.kind = ?2 AND m.live = 1 AND m.st = 1"
                         "   AND m.score >= ?5 AND ?3 IS NOT NULL %s",
                         job_ids != NULL ? "AND m.job_id IN (SELECT job_id FROM temp.cb_map_ids)"
                                         : "");

  if (!begin_change (db, error))
    return FALSE;
  ok = (job_ids == NULL || fill_ids (db, profile_id, kind, job_ids, error)) &&
       run (db, sql, profile_id, kind, min_score, NULL, error) &&
       apply_targets (db, profile_id, kind, CB_MAPPING_HOW_MANUAL, describe_accept, NULL,
                      TRUE, n_accepted, error);
  return finish_change (db, ok, error);
}

gboolean
cb_mapping_store_set_created (CbDatabase    *db,
                              const char    *profile_id,
                              CbMappingKind  kind,
                              const char    *job_id,
                              const char    *intacct_recordno,
                              const char    *intacct_id,
                              const char    *intacct_name,
                              GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);
  g_return_val_if_fail (intacct_recordno != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin_change (db, error))
    return FALSE;

  /* The record exists in Intacct now: until the next pull brings it, the cache knows it
   * from here, so the new mapping does not show as stale. */
  stmt = prepare_bound (db,
                        "INSERT INTO intacct_records (profile_id, object, recordno, id, name,"
                        " status, entity, fields, last_seen)"
                        " VALUES (?1, ?4, ?5, ?6, ?7, 'active', NULL, '{}', ?8)"
                        " ON CONFLICT (profile_id, object, recordno) DO NOTHING",
                        profile_id, kind, error);
  ok = stmt != NULL;
  if (ok)
    {
      cb_database_bind_text (stmt, 5, intacct_recordno);
      cb_database_bind_text (stmt, 6, intacct_id);
      cb_database_bind_text (stmt, 7, intacct_name);
      sqlite3_bind_int64 (stmt, 8, g_get_real_time () / G_USEC_PER_SEC);
      ok = step_done (db, stmt, error);
      sqlite3_finalize (stmt);
    }

  if (ok)
    {
      stmt = cb_database_prepare (db,
                                  "INSERT INTO temp.cb_map_targets (job_id, state, recordno, id,"
                                  " name, score, reason, how) VALUES (?1, 2, ?2, ?3, ?4, 0, NULL, ?5)",
                                  error);
      ok = stmt != NULL;
      if (ok)
        {
          cb_database_bind_text (stmt, 1, job_id);
          cb_database_bind_text (stmt, 2, intacct_recordno);
          cb_database_bind_text (stmt, 3, intacct_id);
          cb_database_bind_text (stmt, 4, intacct_name);
          sqlite3_bind_int (stmt, 5, CB_MAPPING_HOW_SYNC);
          ok = step_done (db, stmt, error);
          sqlite3_finalize (stmt);
        }
    }
  ok = ok && apply_targets (db, profile_id, kind, CB_MAPPING_HOW_SYNC, describe_created, NULL,
                            FALSE, NULL, error);
  return finish_change (db, ok, error);
}

/* ------------------------------------------------------------------------------------ */
/* Auto-match */

typedef struct
{
  char *recordno;
  char *id;
  char *name;
} RightRecord;

/* @s, owned by @strings from now on. */
static const char *
keep_string (GPtrArray *strings,
             char      *s)
{
  if (s != NULL)
    g_ptr_array_add (strings, s);
  return s;
}

gboolean
cb_mapping_store_auto_match (CbDatabase              *db,
                             const char              *profile_id,
                             CbMappingKind            kind,
                             const CbMatchThresholds *thresholds,
                             CbMappingCounts         *counts,
                             GError                 **error)
{
  CbMatchThresholds limits = thresholds ? *thresholds : CB_MATCH_THRESHOLDS_DEFAULT;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) right = g_array_new (FALSE, FALSE, sizeof (CbMatchItem));
  g_autoptr(GArray) right_keys = g_array_new (FALSE, FALSE, sizeof (RightRecord));
  g_autoptr(GArray) left = g_array_new (FALSE, FALSE, sizeof (CbMatchItem));
  g_autoptr(GPtrArray) left_ids = g_ptr_array_new ();
  g_autoptr(GArray) left_cleared = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(CbMatcher) matcher = NULL;
  g_autoptr(GArray) results = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

#define KEEP(s) keep_string (strings, (s))

  if (!begin_change (db, error))
    return FALSE;

  /* The right side: active cached records of the object. */
  stmt = prepare_bound (db,
                        "SELECT recordno, id, name,"
                        " json_extract (fields, '$.TAXID'),"
                        " COALESCE (json_extract (fields, '$.DISPLAYCONTACT.EMAIL1'),"
                        "           json_extract (fields, '$.\"DISPLAYCONTACT.EMAIL1\"'))"
                        " FROM intacct_records WHERE profile_id = ?1 AND object = ?4"
                        " AND status IS NOT 'inactive' AND ?2 IS NOT NULL AND ?3 IS NOT NULL"
                        " ORDER BY id, recordno",
                        profile_id, kind, error);
  if (stmt == NULL)
    return finish_change (db, FALSE, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RightRecord key;
      CbMatchItem item;

      key.recordno = (char *) KEEP (dup_column (stmt, 0));
      key.id = (char *) KEEP (dup_column (stmt, 1));
      key.name = (char *) KEEP (dup_column (stmt, 2));
      item.code = key.id;
      item.name = key.name;
      item.tax_id = KEEP (dup_column (stmt, 3));
      item.email = KEEP (dup_column (stmt, 4));
      g_array_append_val (right, item);
      g_array_append_val (right_keys, key);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return finish_change (db, FALSE, error);
    }

  /* The left side: live job-side records without a decision (unmapped or suggested). A
   * row a person cleared (how = manual) is at most suggested again, never mapped
   * automatically, and keeps how = manual so that later runs know it too. */
  stmt = prepare_bound (db,
                        "SELECT m.job_id, m.job_code, m.job_name,"
                        " json_extract (j.fields, '$.tax_id'), json_extract (j.fields, '$.email'),"
                        " m.how = 1"
                        " FROM mappings m INDEXED BY mappings_by_state"
                        " JOIN job_records j ON j.rec = m.job_rec"
                        " WHERE m.profile_id = ?1 AND m.kind = ?2 AND m.live = 1 AND m.st IN (0, 1)"
                        " AND ?3 IS NOT NULL AND ?4 IS NOT NULL",
                        profile_id, kind, error);
  if (stmt == NULL)
    return finish_change (db, FALSE, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbMatchItem item;
      gboolean cleared = sqlite3_column_int (stmt, 5);

      g_ptr_array_add (left_ids, (char *) KEEP (dup_column (stmt, 0)));
      item.code = KEEP (dup_column (stmt, 1));
      item.name = KEEP (dup_column (stmt, 2));
      item.tax_id = KEEP (dup_column (stmt, 3));
      item.email = KEEP (dup_column (stmt, 4));
      g_array_append_val (left, item);
      g_array_append_val (left_cleared, cleared);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return finish_change (db, FALSE, error);
    }
#undef KEEP

  matcher = cb_matcher_new (cb_mapping_kind_match_kind (kind),
                            (const CbMatchItem *) right->data, right->len);
  results = cb_matcher_match_all (matcher, (const CbMatchItem *) left->data, left->len, &limits);

  stmt = cb_database_prepare (db,
                              "INSERT INTO temp.cb_map_targets (job_id, state, recordno, id, name,"
                              " score, reason, how) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              error);
  if (stmt == NULL)
    return finish_change (db, FALSE, error);
  for (guint i = 0; ok && i < results->len; i++)
    {
      const CbMatchResult *r = &g_array_index (results, CbMatchResult, i);
      const RightRecord *key = NULL;
      CbMappingState state = CB_MAPPING_STATE_UNMAPPED;

      if (r->candidate >= 0 && (guint) r->candidate < right_keys->len &&
          r->zone != CB_MATCH_ZONE_NONE)
        {
          key = &g_array_index (right_keys, RightRecord, r->candidate);
          if (r->zone == CB_MATCH_ZONE_AUTO && !r->ambiguous &&
              !g_array_index (left_cleared, gboolean, i))
            state = CB_MAPPING_STATE_MAPPED;
          else
            state = CB_MAPPING_STATE_SUGGESTED;
        }

      sqlite3_reset (stmt);
      cb_database_bind_text (stmt, 1, g_ptr_array_index (left_ids, i));
      sqlite3_bind_int (stmt, 2, state);
      cb_database_bind_text (stmt, 3, key ? key->recordno : NULL);
      cb_database_bind_text (stmt, 4, key ? key->id : NULL);
      cb_database_bind_text (stmt, 5, key ? key->name : NULL);
      sqlite3_bind_int (stmt, 6, key ? r->score : 0);
      cb_database_bind_text (stmt, 7, key ? r->reason : NULL);
      if (g_array_index (left_cleared, gboolean, i))
        sqlite3_bind_int (stmt, 8, CB_MAPPING_HOW_MANUAL);
      else
        sqlite3_bind_int (stmt, 8, key ? CB_MAPPING_HOW_AUTO : CB_MAPPING_HOW_NONE);
      ok = step_done (db, stmt, error);
    }
  sqlite3_finalize (stmt);

  ok = ok && apply_targets (db, profile_id, kind, CB_MAPPING_HOW_AUTO, describe_auto, NULL,
                            TRUE, NULL, error);
  if (!finish_change (db, ok, error))
    return FALSE;
  if (counts != NULL)
    return cb_mapping_store_counts (db, profile_id, kind, counts, error);
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Undo, redo and history */

static char *
stack_description (CbDatabase    *db,
                   const char    *profile_id,
                   CbMappingKind  kind,
                   gboolean       redo,
                   gint64        *seq)
{
  sqlite3_stmt *stmt;
  char *description = NULL;

  stmt = prepare_bound (db,
                        redo ? "SELECT seq, description FROM mapping_actions WHERE profile_id = ?1"
                               " AND kind = ?2 AND undone = 1 ORDER BY seq ASC LIMIT 1"
                             : "SELECT seq, description FROM mapping_actions WHERE profile_id = ?1"
                               " AND kind = ?2 AND undone = 0 ORDER BY seq DESC LIMIT 1",
                        profile_id, kind, NULL);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (seq != NULL)
        *seq = sqlite3_column_int64 (stmt, 0);
      description = dup_column (stmt, 1);
    }
  sqlite3_finalize (stmt);
  return description;
}

char *
cb_mapping_store_undo_description (CbDatabase    *db,
                                   const char    *profile_id,
                                   CbMappingKind  kind)
{
  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, NULL);
  return stack_description (db, profile_id, kind, FALSE, NULL);
}

char *
cb_mapping_store_redo_description (CbDatabase    *db,
                                   const char    *profile_id,
                                   CbMappingKind  kind)
{
  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, NULL);
  return stack_description (db, profile_id, kind, TRUE, NULL);
}

static gboolean
undo_redo (CbDatabase    *db,
           const char    *profile_id,
           CbMappingKind  kind,
           gboolean       redo,
           GError       **error)
{
  g_autofree char *description = NULL;
  g_autofree char *action = NULL;
  gint64 seq = 0;
  gboolean ok;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin_change (db, error))
    return FALSE;

  description = stack_description (db, profile_id, kind, redo, &seq);
  if (description == NULL)
    {
      cb_database_rollback (db);
      g_set_error_literal (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_NOTHING_TO_UNDO,
                           redo ? _("There is nothing to redo.") : _("There is nothing to undo."));
      return FALSE;
    }
  action = g_strdup_printf (redo ? _("Redo: %s") : _("Undo: %s"), description);

  ok = run (db,
            "INSERT INTO temp.cb_map_changes SELECT job_id, old_state, new_state,"
            " old_recordno, new_recordno, old_id, new_id, old_name, new_name,"
            " old_score, new_score, old_reason, new_reason, old_how, new_how,"
            " old_by, new_by, old_at, new_at FROM mapping_action_rows WHERE action_seq = ?5"
            " AND ?1 IS NOT NULL AND ?2 IS NOT NULL",
            profile_id, kind, seq, NULL, error) &&
       write_changes (db, profile_id, kind, redo, CB_MAPPING_HOW_MANUAL, action,
                      g_get_real_time () / G_USEC_PER_SEC, error) &&
       run (db, "UPDATE mapping_actions SET undone = ?6 WHERE seq = ?5"
            " AND ?1 IS NOT NULL AND ?2 IS NOT NULL",
            profile_id, kind, seq, redo ? "0" : "1", error);
  return finish_change (db, ok, error);
}

gboolean
cb_mapping_store_undo (CbDatabase    *db,
                       const char    *profile_id,
                       CbMappingKind  kind,
                       GError       **error)
{
  return undo_redo (db, profile_id, kind, FALSE, error);
}

gboolean
cb_mapping_store_redo (CbDatabase    *db,
                       const char    *profile_id,
                       CbMappingKind  kind,
                       GError       **error)
{
  return undo_redo (db, profile_id, kind, TRUE, error);
}

GPtrArray *
cb_mapping_store_history (CbDatabase    *db,
                          const char    *profile_id,
                          CbMappingKind  kind,
                          const char    *job_id,
                          guint          limit,
                          GError       **error)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CB_IS_DATABASE (db), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sql = g_strdup_printf ("SELECT at, user, how, action, job_id, old_state, new_state,"
                         " old_intacct_id, new_intacct_id FROM mapping_history"
                         " WHERE profile_id = ?1 AND kind = ?2 %s ORDER BY id DESC LIMIT %d",
                         job_id != NULL ? "AND job_id = ?5" : "",
                         limit > 0 ? (int) MIN (limit, G_MAXINT) : -1);
  stmt = prepare_bound (db, sql, profile_id, kind, error);
  if (stmt == NULL)
    return NULL;
  if (job_id != NULL)
    cb_database_bind_text (stmt, 5, job_id);

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_mapping_change_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbMappingChange *change = g_new0 (CbMappingChange, 1);

      change->at = time_column (stmt, 0);
      change->user = dup_column (stmt, 1);
      change->how = sqlite3_column_int (stmt, 2);
      change->action = dup_column (stmt, 3);
      change->job_id = dup_column (stmt, 4);
      change->old_state = sqlite3_column_int (stmt, 5);
      change->new_state = sqlite3_column_int (stmt, 6);
      change->old_intacct_id = dup_column (stmt, 7);
      change->new_intacct_id = dup_column (stmt, 8);
      g_ptr_array_add (changes, change);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cb_database_set_error (db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&changes);
}

/* ------------------------------------------------------------------------------------ */
/* CSV */

static const char * const csv_columns[] = {
  "kind", "job_id", "job_code", "job_name", "state", "intacct_recordno", "intacct_id",
  "intacct_name", "score", "reason", "how", "changed_by", "changed_at",
};

/* A spreadsheet reads a cell that starts with one of these as a formula, so a name such as
 * "=HYPERLINK(…)" from the job system could run when the export is opened (formula, or CSV,
 * injection). Export puts an apostrophe before such a value, which spreadsheets show as
 * text without the apostrophe; import takes it off again, so a round trip is exact. */
#define CSV_FORMULA_CHARS "=+-@"

static gboolean
csv_is_guarded (const char *value)
{
  return value[0] == '\'' && value[1] != '\0' && strchr (CSV_FORMULA_CHARS, value[1]) != NULL;
}

static void
csv_append (GString    *line,
            const char *value,
            gboolean    last)
{
  g_autofree char *guarded = NULL;

  if (value != NULL && value[0] != '\0' && strchr (CSV_FORMULA_CHARS, value[0]) != NULL)
    value = guarded = g_strconcat ("'", value, NULL);

  if (value != NULL && strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (line, '"');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  else if (value != NULL)
    g_string_append (line, value);
  g_string_append (line, last ? "\r\n" : ",");
}

gboolean
cb_mapping_store_export_csv (CbDatabase     *db,
                             const char     *profile_id,
                             CbMappingKind   kind,
                             GOutputStream  *out,
                             GError        **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rows = cb_mapping_store_list (db, profile_id, kind, NULL, error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    csv_append (text, csv_columns[i], i + 1 == G_N_ELEMENTS (csv_columns));

  for (guint i = 0; i < rows->len; i++)
    {
      const CbMappingRow *row = g_ptr_array_index (rows, i);
      g_autofree char *score = row->score > 0 ? g_strdup_printf ("%u", row->score) : NULL;
      g_autofree char *at = row->changed_at ? g_date_time_format_iso8601 (row->changed_at) : NULL;

      csv_append (text, kind_names[kind], FALSE);
      csv_append (text, row->job_id, FALSE);
      csv_append (text, row->job_code, FALSE);
      csv_append (text, row->job_name, FALSE);
      csv_append (text, state_names[row->state], FALSE);
      csv_append (text, row->intacct_recordno, FALSE);
      csv_append (text, row->intacct_id, FALSE);
      csv_append (text, row->intacct_name, FALSE);
      csv_append (text, score, FALSE);
      csv_append (text, row->stale_reason ? row->stale_reason : row->reason, FALSE);
      csv_append (text, row->how != CB_MAPPING_HOW_NONE ? how_names[row->how] : NULL, FALSE);
      csv_append (text, row->changed_by, FALSE);
      csv_append (text, at, TRUE);
    }

  return g_output_stream_write_all (out, text->str, text->len, NULL, NULL, error);
}

typedef struct
{
  guint      line;      /* where the record starts, 1-based */
  GPtrArray *fields;    /* char* */
} CsvRecord;

static void
csv_record_free (CsvRecord *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record);
}

/* RFC 4180, with a BOM, CRLF or LF, and quoted fields over several lines. */
static GPtrArray *
csv_parse (const char  *text,
           gsize        len,
           GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_record_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text, *end = text + len;
  guint line = 1;
  CsvRecord *current = NULL;
  gboolean quoted = FALSE, was_quoted = FALSE;

  if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  if (!g_utf8_validate (p, end - p, NULL))
    {
      g_set_error_literal (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                           _("The mappings file is not UTF-8 text."));
      return NULL;
    }

  for (; p <= end; p++)
    {
      char c = p < end ? *p : '\0';
      gboolean at_end = p == end;

      if (current == NULL)
        {
          if (at_end)
            break;
          current = g_new0 (CsvRecord, 1);
          current->line = line;
          current->fields = g_ptr_array_new_with_free_func (g_free);
        }

      if (quoted)
        {
          if (at_end)
            {
              g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                           _("Line %u: a quoted field is not closed."), current->line);
              csv_record_free (current);
              return NULL;
            }
          if (c == '"' && p + 1 < end && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            {
              if (c == '\n')
                line++;
              g_string_append_c (field, c);
            }
          continue;
        }

      if (c == '"' && field->len == 0 && !was_quoted)
        {
          quoted = was_quoted = TRUE;
          continue;
        }
      if (c == ',')
        {
          g_ptr_array_add (current->fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          continue;
        }
      if (c == '\r' && p + 1 < end && p[1] == '\n')
        continue;
      if (c == '\n' || c == '\r' || at_end)
        {
          g_ptr_array_add (current->fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          /* Blank lines are skipped. */
          if (current->fields->len == 1 && ((char *) current->fields->pdata[0])[0] == '\0')
            csv_record_free (current);
          else
            g_ptr_array_add (records, current);
          current = NULL;
          line++;
          continue;
        }
      g_string_append_c (field, c);
    }

  return g_steal_pointer (&records);
}

static const char *
csv_field (const CsvRecord *record,
           int              col)
{
  const char *value;

  if (col < 0 || (guint) col >= record->fields->len)
    return NULL;
  value = g_ptr_array_index (record->fields, col);
  if (csv_is_guarded (value))
    value++;
  return value[0] != '\0' ? value : NULL;
}

gboolean
cb_mapping_store_import_csv (CbDatabase     *db,
                             const char     *profile_id,
                             CbMappingKind   kind,
                             GInputStream   *in,
                             guint          *n_changed,
                             GError        **error)
{
  g_autoptr(GOutputStream) buffer = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) seen = NULL;
  sqlite3_stmt *job = NULL, *by_id = NULL, *by_recordno = NULL, *insert = NULL;
  int col_job = -1, col_state = -1, col_recordno = -1, col_id = -1;
  const CsvRecord *header;
  gboolean ok = TRUE;
  gssize size;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_changed != NULL)
    *n_changed = 0;

  buffer = g_memory_output_stream_new_resizable ();
  size = g_output_stream_splice (buffer, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error);
  if (size < 0)
    return FALSE;
  records = csv_parse (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (buffer)),
                       g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (buffer)),
                       error);
  if (records == NULL)
    return FALSE;
  if (records->len == 0)
    {
      g_set_error_literal (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                           _("The mappings file is empty: it needs a header line."));
      return FALSE;
    }

  header = g_ptr_array_index (records, 0);
  for (guint i = 0; i < header->fields->len; i++)
    {
      g_autofree char *name = g_ascii_strdown (g_ptr_array_index (header->fields, i), -1);

      g_strstrip (name);
      if (g_str_equal (name, "job_id"))
        col_job = i;
      else if (g_str_equal (name, "state"))
        col_state = i;
      else if (g_str_equal (name, "intacct_recordno"))
        col_recordno = i;
      else if (g_str_equal (name, "intacct_id"))
        col_id = i;
    }
  if (col_job < 0)
    {
      g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                   _("Line %u: the header has no “job_id” column."), header->line);
      return FALSE;
    }

  if (!begin_change (db, error))
    return FALSE;

  job = prepare_bound (db,
                       "SELECT 1 FROM job_records WHERE profile_id = ?1 AND kind = ?3"
                       " AND id = ?5 AND vanished_at IS NULL AND ?2 IS NOT NULL AND ?4 IS NOT NULL",
                       profile_id, kind, error);
  by_id = prepare_bound (db,
                         "SELECT recordno, id, name, status FROM intacct_records"
                         " WHERE profile_id = ?1 AND object = ?4 AND id = ?5"
                         " AND ?2 IS NOT NULL AND ?3 IS NOT NULL"
                         " ORDER BY status IS 'inactive', recordno LIMIT 1",
                         profile_id, kind, NULL);
  by_recordno = prepare_bound (db,
                               "SELECT recordno, id, name, status FROM intacct_records"
                               " WHERE profile_id = ?1 AND object = ?4 AND recordno = ?5"
                               " AND ?2 IS NOT NULL AND ?3 IS NOT NULL",
                               profile_id, kind, NULL);
  insert = cb_database_prepare (db,
                                "INSERT INTO temp.cb_map_targets (job_id, state, recordno, id,"
                                " name, score, reason, how) VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL, ?6)",
                                NULL);
  ok = job != NULL && by_id != NULL && by_recordno != NULL && insert != NULL;
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint r = 1; ok && r < records->len; r++)
    {
      const CsvRecord *record = g_ptr_array_index (records, r);
      const char *job_id = csv_field (record, col_job);
      const char *state_text = csv_field (record, col_state);
      const char *recordno = csv_field (record, col_recordno);
      const char *intacct_id = csv_field (record, col_id);
      CbMappingState state = CB_MAPPING_STATE_MAPPED;
      sqlite3_stmt *lookup;
      const char *key;
      gpointer other;

      if (job_id == NULL)
        {
          g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                       _("Line %u: the job_id is empty."), record->line);
          ok = FALSE;
          break;
        }
      if (g_hash_table_lookup_extended (seen, job_id, NULL, &other))
        {
          g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                       _("Line %u: “%s” is already on line %u."), record->line, job_id,
                       GPOINTER_TO_UINT (other));
          ok = FALSE;
          break;
        }
      g_hash_table_insert (seen, g_strdup (job_id), GUINT_TO_POINTER (record->line));

      if (state_text != NULL && !state_from_string (state_text, &state))
        {
          g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                       _("Line %u: “%s” is not a state (mapped, create, unmapped)."),
                       record->line, state_text);
          ok = FALSE;
          break;
        }
      /* A suggestion is nobody's decision: it is not imported. */
      if (state == CB_MAPPING_STATE_SUGGESTED)
        continue;

      sqlite3_reset (job);
      cb_database_bind_text (job, 5, job_id);
      if (sqlite3_step (job) != SQLITE_ROW)
        {
          g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                       _("Line %u: there is no job-side record “%s” among the %s here."),
                       record->line, job_id, kind_names[kind]);
          ok = FALSE;
          break;
        }

      sqlite3_reset (insert);
      sqlite3_clear_bindings (insert);
      cb_database_bind_text (insert, 1, job_id);
      sqlite3_bind_int (insert, 6, CB_MAPPING_HOW_IMPORTED);

      if (state == CB_MAPPING_STATE_UNMAPPED || state == CB_MAPPING_STATE_CREATE)
        {
          sqlite3_bind_int (insert, 2, state);
          ok = step_done (db, insert, error);
          continue;
        }

      /* MAPPED or STALE: by ID first (the same in another entity or company), else by
       * record number. */
      if (intacct_id == NULL && recordno == NULL)
        {
          g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                       _("Line %u: “%s” names no Intacct record (intacct_id or "
                         "intacct_recordno)."), record->line, job_id);
          ok = FALSE;
          break;
        }
      lookup = intacct_id != NULL ? by_id : by_recordno;
      key = intacct_id != NULL ? intacct_id : recordno;
      sqlite3_reset (lookup);
      cb_database_bind_text (lookup, 5, key);
      if (sqlite3_step (lookup) != SQLITE_ROW)
        {
          g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                       _("Line %u: there is no Intacct %s “%s” in this company’s cached "
                         "records (pull from Intacct first)."),
                       record->line, objects[kind], key);
          ok = FALSE;
          break;
        }
      if (g_strcmp0 ((const char *) sqlite3_column_text (lookup, 3), "inactive") == 0)
        {
          g_set_error (error, CB_MAPPING_ERROR, CB_MAPPING_ERROR_INVALID,
                       _("Line %u: the Intacct %s “%s” is inactive."),
                       record->line, objects[kind], key);
          ok = FALSE;
          break;
        }
      sqlite3_bind_int (insert, 2, CB_MAPPING_STATE_MAPPED);
      cb_database_bind_text (insert, 3, (const char *) sqlite3_column_text (lookup, 0));
      cb_database_bind_text (insert, 4, (const char *) sqlite3_column_text (lookup, 1));
      cb_database_bind_text (insert, 5, (const char *) sqlite3_column_text (lookup, 2));
      ok = step_done (db, insert, error);
    }

  g_clear_pointer (&job, sqlite3_finalize);
  g_clear_pointer (&by_id, sqlite3_finalize);
  g_clear_pointer (&by_recordno, sqlite3_finalize);
  g_clear_pointer (&insert, sqlite3_finalize);
  if (ok && error != NULL && *error != NULL)
    ok = FALSE;
  if (!ok && error != NULL && *error == NULL)
    cb_database_set_error (db, sqlite3_errcode (cb_database_get_handle (db)), error);

  ok = ok && apply_targets (db, profile_id, kind, CB_MAPPING_HOW_IMPORTED, describe_import,
                            NULL, TRUE, n_changed, error);
  return finish_change (db, ok, error);
}
