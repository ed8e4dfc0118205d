/* cb-bills-page.h: the job-side bills, each line with its job, cost code and cost type, and whether it can go to Intacct
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CbPage (cb-page.h): the window sets the profile and asks for reloads.
 */

#pragma once

#include <adwaita.h>

#include "cb-page.h"

G_BEGIN_DECLS

#define CB_TYPE_BILLS_PAGE (cb_bills_page_get_type ())
G_DECLARE_FINAL_TYPE (CbBillsPage, cb_bills_page, CB, BILLS_PAGE, AdwBin)

GtkWidget *cb_bills_page_new (void);

G_END_DECLS
