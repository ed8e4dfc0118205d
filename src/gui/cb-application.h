/* cb-application.h: the Costbridge application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cb-database.h"

G_BEGIN_DECLS

#define CB_TYPE_APPLICATION (cb_application_get_type ())

G_DECLARE_FINAL_TYPE (CbApplication, cb_application, CB, APPLICATION, AdwApplication)

CbApplication *cb_application_new               (void);
/* The demo gateway's endpoint while --demo is running, else NULL. */
char          *cb_application_dup_demo_endpoint (CbApplication *self);
/* The database opened at startup, or NULL when it could not be opened. */
CbDatabase    *cb_application_get_database      (CbApplication *self);
/* Starts the demo gateway if needed; returns its endpoint. */
char          *cb_application_start_demo        (CbApplication *self,
                                                 GError       **error);

G_END_DECLS
