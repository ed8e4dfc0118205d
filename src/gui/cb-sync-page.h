/* cb-sync-page.h: the plan, its preview, and runs with progress, cancel and a live log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CbPage (cb-page.h): the window sets the profile and asks for reloads.
 */

#pragma once

#include <adwaita.h>

#include "cb-page.h"
#include "cb-planner.h"

G_BEGIN_DECLS

#define CB_TYPE_SYNC_PAGE (cb_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (CbSyncPage, cb_sync_page, CB, SYNC_PAGE, AdwBin)

GtkWidget *cb_sync_page_new       (void);
/* Planning, signing in or running (the "busy" property). */
gboolean   cb_sync_page_get_busy  (CbSyncPage *self);
/* The plan shown, or NULL (transfer none). */
CbPlan    *cb_sync_page_get_plan  (CbSyncPage *self);
/* Plans again the failed, unsure, blocked and skipped records of run @run_id and runs them
 * as a new run, with progress on this page (the History page's "Retry Failed"). */
void       cb_sync_page_retry_run (CbSyncPage *self,
                                   gint64      run_id);

G_END_DECLS
