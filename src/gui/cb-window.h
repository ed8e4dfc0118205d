/* cb-window.h: the main window, a sidebar of pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb-database.h"

G_BEGIN_DECLS

#define CB_TYPE_WINDOW (cb_window_get_type ())

G_DECLARE_FINAL_TYPE (CbWindow, cb_window, CB, WINDOW, AdwApplicationWindow)

CbWindow   *cb_window_new      (GtkApplication *application);
/* The visible page: "connection", "cost-codes", "cost-types", "vendors", "projects",
 * "bills", "sync" or "history". */
const char *cb_window_get_page (CbWindow       *self);
void        cb_window_set_page (CbWindow       *self,
                                const char     *page);

/* The store (NULL if it could not be opened) and the current company profile's id (NULL
 * when there is none yet). */
CbDatabase *cb_window_get_database   (CbWindow       *self);
const char *cb_window_get_profile_id (CbWindow       *self);
/* Reloads every page after something changed the store, then emits "data-changed". */
void        cb_window_data_changed   (CbWindow       *self);

/* Internal, for CbApplication and tests. */
void        _cb_window_add_toast         (CbWindow   *self,
                                          AdwToast   *toast);
/* Opens the demo company, whose gateway is @endpoint (the loopback sandbox), on the
 * Connection page: the assistant tests the connection in a worker thread and saves the
 * demo profile (reusing the one saved by an earlier run). */
void        _cb_window_set_demo_endpoint (CbWindow   *self,
                                          const char *endpoint);

G_END_DECLS
