/* cb-mapping-model.h: a paged list model over one kind's mapping rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CbMappingModel is a GListModel of CbMappingItem over cb_mapping_store_list(). It knows
 * how many rows the query matches (cb_mapping_store_count) and loads rows in pages of
 * CB_MAPPING_MODEL_PAGE_SIZE only when a view asks for them, keeping at most
 * CB_MAPPING_MODEL_MAX_PAGES pages in memory (least recently used go first), so a kind
 * with 100,000 rows opens without loading them all. Filter, search and sort go into the
 * SQL query (CbMappingQuery); changing them replaces every item at once.
 *
 * CbMappingItem wraps one CbMappingRow. After an action on a few rows,
 * cb_mapping_model_refresh_rows() reads those rows again and updates the loaded items in
 * place (signal "changed"), so the view keeps its scroll position and focus; rows stay
 * where they are until the next reload even when they no longer match the filter.
 */

#pragma once

#include <gio/gio.h>

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

#define CB_TYPE_MAPPING_MODEL (cb_mapping_model_get_type ())
G_DECLARE_FINAL_TYPE (CbMappingModel, cb_mapping_model, CB, MAPPING_MODEL, GObject)

CbMappingModel *cb_mapping_model_new         (CbMappingKind    kind);
CbMappingKind   cb_mapping_model_get_kind    (CbMappingModel  *self);
/* @db and @profile_id may be NULL (an empty model). Reloads. */
void            cb_mapping_model_set_source  (CbMappingModel  *self,
                                              CbDatabase      *db,
                                              const char      *profile_id);
void            cb_mapping_model_set_filter  (CbMappingModel  *self,
                                              CbMappingFilter  filter);
CbMappingFilter cb_mapping_model_get_filter  (CbMappingModel  *self);
/* NULL or "" shows every row. */
void            cb_mapping_model_set_search  (CbMappingModel  *self,
                                              const char      *search);
void            cb_mapping_model_set_sort    (CbMappingModel  *self,
                                              CbMappingSort    sort,
                                              gboolean         descending);
/* Drops every loaded page and counts again; emits one items-changed for the whole model.
 * FALSE with @error when the store could not be read (the model is then empty). */
gboolean        cb_mapping_model_reload      (CbMappingModel  *self,
                                              GError         **error);
/* Reads the rows of @job_ids again and updates their loaded items in place. */
void            cb_mapping_model_refresh_rows (CbMappingModel     *self,
                                               const char * const *job_ids);
/* How many pages are loaded now (for tests and the benchmark). */
guint           cb_mapping_model_get_n_loaded_pages (CbMappingModel *self);

G_END_DECLS
