/* cb-import-dialog.h: Chooses job-side files (through the portal file chooser), imports them all-or-nothing and shows what was added, updated, unchanged and rejected
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chooser is a GtkFileChooserNative (the file chooser portal in a Flatpak), with JSON
 * and CSV filters and multiple selection. The import runs on a worker thread
 * (cb_import_files_async); then a summary window lists added / updated / unchanged per
 * kind, or, when the files were rejected (nothing was stored), every problem in a
 * selectable, scrollable text with a Copy button.
 *
 * When the store changed, it calls cb_window_data_changed() on @parent if @parent is a
 * CbWindow.
 */

#pragma once

#include <adwaita.h>

#include "cb-database.h"

G_BEGIN_DECLS

void cb_import_dialog_run (GtkWindow  *parent,
                           CbDatabase *db,
                           const char *profile_id);

/* Internal, for tests (no chooser): imports @files (element-type GFile) and returns the
 * summary window, presented at once and filled in when the import ends. */
GtkWindow *_cb_import_dialog_import_files (GtkWindow  *parent,
                                           CbDatabase *db,
                                           const char *profile_id,
                                           GPtrArray  *files);
/* TRUE once the summary shows the outcome. */
gboolean   _cb_import_dialog_is_done      (GtkWindow  *summary);

G_END_DECLS
