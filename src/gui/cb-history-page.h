/* cb-history-page.h: every run, each record's outcome, retry failed, report export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CbPage (cb-page.h): the window sets the profile and asks for reloads.
 */

#pragma once

#include <adwaita.h>

#include "cb-page.h"

G_BEGIN_DECLS

#define CB_TYPE_HISTORY_PAGE (cb_history_page_get_type ())
G_DECLARE_FINAL_TYPE (CbHistoryPage, cb_history_page, CB, HISTORY_PAGE, AdwBin)

GtkWidget *cb_history_page_new           (void);
/* The selected run's id, or 0 when none is selected. */
gint64     cb_history_page_get_run_id    (CbHistoryPage  *self);
/* Writes the selected run's report (CSV, cb_run_store_export_csv()) to @file, replacing it;
 * what "Export Report…" does once a file is chosen. */
gboolean   cb_history_page_export_report (CbHistoryPage  *self,
                                          GFile          *file,
                                          GError        **error);

G_END_DECLS
