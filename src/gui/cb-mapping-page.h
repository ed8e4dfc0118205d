/* cb-mapping-page.h: side-by-side grids: job-side cost codes, cost types, vendors or jobs
 * and their Intacct counterparts. @kind is the page name: "cost-codes", "cost-types",
 * "vendors" or "projects"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CbPage (cb-page.h): the window sets the profile and asks for reloads; the summary is
 * "12 of 340 unmapped". The grid (a GtkColumnView over CbMappingModel, paged and sorted in
 * SQL) shows the job side, the status (with score and reason) and the Intacct side, with
 * filters, a search across both sides, and a toolbar: Auto-Match (in a worker thread with
 * its own database connection), Accept Suggestions (minimum score), Create in Intacct,
 * Clear, Undo/Redo, Export/Import CSV. Keys: Enter opens the picker for the selection,
 * Ctrl+Return or A accepts the selected suggestions, Delete clears, Ctrl+Z / Ctrl+Shift+Z
 * undo and redo, Ctrl+F searches, Ctrl+H shows the history (of the selected row, or of the
 * page: when, who, how, action, old → new). Empty states offer win.import and win.refresh.
 * Rows, counts and pages are read in workers (cb-mapping-model.h): typing and filtering
 * never wait for the store. Auto-Match uses the thresholds of the Preferences (GSettings
 * match-auto-threshold, match-suggest-threshold), and Accept Suggestions' minimum starts
 * midway between them.
 */

#pragma once

#include <adwaita.h>

#include "cb-page.h"

G_BEGIN_DECLS

#define CB_TYPE_MAPPING_PAGE (cb_mapping_page_get_type ())
G_DECLARE_FINAL_TYPE (CbMappingPage, cb_mapping_page, CB, MAPPING_PAGE, AdwBin)

GtkWidget *cb_mapping_page_new (const char *kind);

/* Shows and selects the row of the job-side record @job_id: every state shown, its code
 * searched, the row selected and scrolled to once the query has loaded (the Sync page's
 * Fix…). */
void       cb_mapping_page_select_job (CbMappingPage *self,
                                       const char    *job_id);

/* Internal, for the file choosers' responses and for tests. */
typedef struct _CbMappingModel CbMappingModel;

gboolean           _cb_mapping_page_export_csv    (CbMappingPage  *self,
                                                   GFile          *file,
                                                   GError        **error);
gboolean           _cb_mapping_page_import_csv    (CbMappingPage  *self,
                                                   GFile          *file,
                                                   guint          *n_changed,
                                                   GError        **error);
CbMappingModel    *_cb_mapping_page_get_model     (CbMappingPage  *self);
GtkSelectionModel *_cb_mapping_page_get_selection (CbMappingPage  *self);
/* TRUE while auto-match runs in its worker. */
gboolean           _cb_mapping_page_is_busy       (CbMappingPage  *self);
/* TRUE while the grid's rows, a page of them or the counts are being read. */
gboolean           _cb_mapping_page_is_loading    (CbMappingPage  *self);

G_END_DECLS
