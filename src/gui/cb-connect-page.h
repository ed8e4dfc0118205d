/* cb-connect-page.h: the connection assistant (welcome, form, entity, probe, defaults)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb-database.h"
#include "cb-profile.h"

G_BEGIN_DECLS

#define CB_TYPE_CONNECT_PAGE (cb_connect_page_get_type ())

G_DECLARE_FINAL_TYPE (CbConnectPage, cb_connect_page, CB, CONNECT_PAGE, GtkWidget)

/* @db may be NULL (nothing is saved then; the page says so). */
CbConnectPage *cb_connect_page_new              (CbDatabase    *db);
CbDatabase    *cb_connect_page_get_database     (CbConnectPage *self);

/* The step shown: "welcome", "form", "entities", "probe" or "defaults". */
const char    *cb_connect_page_get_step         (CbConnectPage *self);
void           cb_connect_page_set_step         (CbConnectPage *self,
                                                 const char    *step);

/* The profile being set up (owned by the page), or NULL. */
const CbProfile *cb_connect_page_get_profile    (CbConnectPage *self);

/* Starts a new company: an empty form. */
void           cb_connect_page_add_company      (CbConnectPage *self);
/* Opens a saved profile: the form filled from it (passwords from the keyring). */
void           cb_connect_page_open_profile     (CbConnectPage *self,
                                                 const char    *profile_id);

/* The gateway of the built-in demo company; "Explore the demo company" uses it. When
 * unset, the page emits ::demo-requested so that the application can start it. */
void           cb_connect_page_set_demo_endpoint (CbConnectPage *self,
                                                  const char    *endpoint);
/* Fills the form with the demo company and tests the connection. */
void           cb_connect_page_use_demo          (CbConnectPage *self);

/* Whether the last test, probe or refresh is still running. */
gboolean       cb_connect_page_get_busy         (CbConnectPage *self);

G_END_DECLS
