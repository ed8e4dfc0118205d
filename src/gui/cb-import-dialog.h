/* cb-import-dialog.h: Chooses job-side files (through the portal file chooser), imports them all-or-nothing and shows what was added, updated, unchanged and rejected
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
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

G_END_DECLS
