/* cb-refresh-dialog.h: Pulls the Intacct records of the profile's company into the cache with progress and Cancel
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

void cb_refresh_dialog_present (GtkWindow  *parent,
                           CbDatabase *db,
                           const char *profile_id);

G_END_DECLS
