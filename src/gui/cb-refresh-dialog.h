/* cb-refresh-dialog.h: Pulls the Intacct records of the profile's company into the cache with progress and Cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window listing every object pulled (cb-intacct-pull.h) with its last refresh time,
 * then, while the pull runs, the stage, n of N per object and an overall bar, and Cancel
 * (what was stored stays). It connects on a worker thread: the demo company with the
 * sandbox's public credentials, any other with the passwords from the keyring.
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

/* Internal, for tests: the dialog, already presented and pulling (@full: a full pull). */
GtkWindow *_cb_refresh_dialog_new        (GtkWindow  *parent,
                                          CbDatabase *db,
                                          const char *profile_id,
                                          gboolean    full);
/* TRUE while connecting or pulling. */
gboolean   _cb_refresh_dialog_is_running (GtkWindow  *dialog);

G_END_DECLS
