/* cb-mapping-model.h: a paged list model over one kind's mapping rows, loaded off the
 * main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CbMappingModel is a GListModel of CbMappingItem over cb_mapping_store_list(). It knows
 * how many rows the query matches (cb_mapping_store_count) and loads rows in pages of
 * CB_MAPPING_MODEL_PAGE_SIZE only when a view asks for them, keeping at most
 * CB_MAPPING_MODEL_MAX_PAGES pages in memory (least recently used go first), so a kind
 * with 100,000 rows opens without loading them all. Filter, search and sort go into the
 * SQL query (CbMappingQuery).
 *
 * Nothing is read on the main thread: a change of source, filter, search or sort starts a
 * query in a worker thread (GTask) on its own connection to the same database file
 * (cb_database_open on cb_database_get_path; idle worker connections are kept for the next
 * query). The worker counts the rows and reads the first page (and, on a source change or
 * cb_mapping_model_reload(), the kind's CbMappingCounts); while it runs, "loading" is TRUE
 * and the model keeps showing the previous rows. The newest query wins: starting one
 * cancels the previous one (SQLite is interrupted) and any stale result is dropped. When
 * the result arrives, the items a view holds take the new rows in place (signal
 * "changed") and only the difference in length is announced with items-changed, never a
 * whole-list replacement (GTK 4.8 would rebuild every row it shows at once): within the
 * first few hundred rows, a few dozen rows an iteration, so no iteration of the main loop
 * builds many row widgets. "loading" stays TRUE until the new length is reached, then
 * "loaded" is emitted. Positions then stand for other rows: a view clears its selection
 * on "loaded".
 *
 * A row of a page not yet loaded is a placeholder item (cb_mapping_item_is_placeholder);
 * asking for it starts loading its page in a worker, and when the page arrives the same
 * items are filled in place (signal "changed"), so scrolling never waits.
 *
 * CbMappingItem wraps one CbMappingRow. After an action on a few rows,
 * cb_mapping_model_refresh_rows() reads those rows again and updates the loaded items in
 * place (signal "changed"), so the view keeps its scroll position and focus; rows stay
 * where they are until the next reload even when they no longer match the filter.
 */

#pragma once

#include <gtk/gtk.h>

#include "cb-mapping-store.h"

G_BEGIN_DECLS

#define CB_MAPPING_MODEL_PAGE_SIZE 200
#define CB_MAPPING_MODEL_MAX_PAGES 16

#define CB_TYPE_MAPPING_ITEM (cb_mapping_item_get_type ())
G_DECLARE_FINAL_TYPE (CbMappingItem, cb_mapping_item, CB, MAPPING_ITEM, GObject)

/* Takes @row. */
CbMappingItem      *cb_mapping_item_new     (CbMappingRow  *row);
const CbMappingRow *cb_mapping_item_get_row (CbMappingItem *self);
/* Replaces the row (takes @row) and emits "changed". */
void                cb_mapping_item_set_row (CbMappingItem *self,
                                             CbMappingRow  *row);
/* TRUE while the item stands for a row whose page is still loading (no job_id yet). */
gboolean            cb_mapping_item_is_placeholder (CbMappingItem *self);

#define CB_TYPE_MAPPING_MODEL (cb_mapping_model_get_type ())
G_DECLARE_FINAL_TYPE (CbMappingModel, cb_mapping_model, CB, MAPPING_MODEL, GObject)

CbMappingModel *cb_mapping_model_new         (CbMappingKind    kind);
CbMappingKind   cb_mapping_model_get_kind    (CbMappingModel  *self);
/* @db and @profile_id may be NULL (an empty model, at once). Reloads, counts included. */
void            cb_mapping_model_set_source  (CbMappingModel  *self,
                                              CbDatabase      *db,
                                              const char      *profile_id);
void            cb_mapping_model_set_filter  (CbMappingModel  *self,
                                              CbMappingFilter  filter);
CbMappingFilter cb_mapping_model_get_filter  (CbMappingModel  *self);
/* NULL or "" shows every row. */
void            cb_mapping_model_set_search  (CbMappingModel  *self,
                                              const char      *search);
const char     *cb_mapping_model_get_search  (CbMappingModel  *self);
void            cb_mapping_model_set_sort    (CbMappingModel  *self,
                                              CbMappingSort    sort,
                                              gboolean         descending);
/* Starts the query again in a worker, counting every state too (the store changed). */
void            cb_mapping_model_reload      (CbMappingModel  *self);
/* Counts every state again in a worker ("counts-changed"), leaving the rows alone. */
void            cb_mapping_model_refresh_counts (CbMappingModel *self);
/* TRUE while a query (not a page) runs: the rows shown are the previous query's. */
gboolean        cb_mapping_model_is_loading  (CbMappingModel  *self);
/* TRUE while a query, a count or a page is being read. */
gboolean        cb_mapping_model_is_busy     (CbMappingModel  *self);
/* The last counts read (FALSE, zeros, before any); "counts-changed" says when they change. */
gboolean        cb_mapping_model_get_counts  (CbMappingModel  *self,
                                              CbMappingCounts *counts);
/* The last query's error, or NULL. */
const GError   *cb_mapping_model_get_error   (CbMappingModel  *self);
/* Reads the rows of @job_ids again and updates their loaded items in place. */
void            cb_mapping_model_refresh_rows (CbMappingModel     *self,
                                               const char * const *job_ids);
/* The job IDs at @positions (NULL-terminated, in order). Loaded pages are used as they
 * are; the others are read on the spot (an explicit bulk action, not typing). */
GStrv           cb_mapping_model_dup_job_ids (CbMappingModel  *self,
                                              GtkBitset       *positions);
/* The position of @job_id among the loaded rows, or -1. */
int             cb_mapping_model_find_loaded (CbMappingModel  *self,
                                              const char      *job_id);
/* How many pages are loaded now (for tests and the benchmark). */
guint           cb_mapping_model_get_n_loaded_pages (CbMappingModel *self);

G_END_DECLS
