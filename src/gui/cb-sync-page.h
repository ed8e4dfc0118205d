/* cb-sync-page.h: the plan, its preview, and runs with progress, cancel and a live log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CbPage (cb-page.h): the window sets the profile and asks for reloads.
 */

#pragma once

#include <adwaita.h>

#include "cb-page.h"

G_BEGIN_DECLS

#define CB_TYPE_SYNC_PAGE (cb_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (CbSyncPage, cb_sync_page, CB, SYNC_PAGE, AdwBin)

GtkWidget *cb_sync_page_new (void);

G_END_DECLS
