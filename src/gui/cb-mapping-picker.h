/* cb-mapping-picker.h: pick the Intacct counterpart of one or more job-side records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small modal window over the cached Intacct records of a mapping kind's object
 * (cb_intacct_cache_list): when it opens for one row, the matcher's best candidates come
 * first, each with its reason; typing searches code/ID and name. The list is read and
 * ranked in a worker thread (the newest search wins), through a CbMappingRanker: it builds
 * the matcher over every cached record once, on its own connection, and keeps it for the
 * next picker until the page drops it (when the data changes). Keyboard-first: typing
 * goes to the search entry, Up/Down move, Enter picks, Escape closes. Besides records it
 * offers "Create in Intacct" and "Clear mapping". It changes nothing itself: it emits
 * "picked" and closes, and the page applies the choice as one undoable action.
 */

#pragma once

#include <adwaita.h>

#include "cb-mapping-store.h"

G_BEGIN_DECLS

typedef enum
{
  CB_MAPPING_PICK_RECORD,   /* map to the record whose RECORDNO is given */
  CB_MAPPING_PICK_CREATE,   /* create in Intacct */
  CB_MAPPING_PICK_CLEAR,    /* back to unmapped */
} CbMappingPick;

/* The matcher over one kind's cached Intacct records, built on first use in a worker,
 * with its own connection to the database file at @db_path. Thread-safe. */
typedef struct _CbMappingRanker CbMappingRanker;

CbMappingRanker *cb_mapping_ranker_new   (const char       *db_path,
                                          const char       *profile_id,
                                          CbMappingKind     kind);
CbMappingRanker *cb_mapping_ranker_ref   (CbMappingRanker  *self);
void             cb_mapping_ranker_unref (CbMappingRanker  *self);
/* TRUE once the matcher is built (for tests). */
gboolean         cb_mapping_ranker_is_built (CbMappingRanker *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbMappingRanker, cb_mapping_ranker_unref)

#define CB_TYPE_MAPPING_PICKER (cb_mapping_picker_get_type ())
G_DECLARE_FINAL_TYPE (CbMappingPicker, cb_mapping_picker, CB, MAPPING_PICKER, AdwWindow)

/* @row: the (first) selected row, for ranking and the title; @n_rows how many rows the
 * pick applies to. Signal "picked" (CbMappingPick pick, const char *recordno-or-NULL). */
CbMappingPicker *cb_mapping_picker_new        (GtkWindow          *parent,
                                               CbDatabase         *db,
                                               const char         *profile_id,
                                               CbMappingKind       kind,
                                               const CbMappingRow *row,
                                               guint               n_rows);
/* The same, ranking with @ranker (NULL: a ranker of its own). */
CbMappingPicker *cb_mapping_picker_new_with_ranker (GtkWindow          *parent,
                                                    CbDatabase         *db,
                                                    const char         *profile_id,
                                                    CbMappingKind       kind,
                                                    const CbMappingRow *row,
                                                    guint               n_rows,
                                                    CbMappingRanker    *ranker);
/* TRUE while the list is being read or ranked in the worker. */
gboolean         cb_mapping_picker_is_loading       (CbMappingPicker *self);
/* The search entry and the list, for tests. */
GtkWidget       *cb_mapping_picker_get_search_entry (CbMappingPicker *self);
/* How many Intacct records are listed now (not counting Create and Clear). */
guint            cb_mapping_picker_get_n_records    (CbMappingPicker *self);

G_END_DECLS
