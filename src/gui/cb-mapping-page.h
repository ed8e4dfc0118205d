/* cb-mapping-page.h: side-by-side grids: job-side cost codes, cost types, vendors or jobs and their Intacct counterparts. @kind is the page name: "cost-codes", "cost-types", "vendors" or "projects"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CbPage (cb-page.h): the window sets the profile and asks for reloads.
 */

#pragma once

#include <adwaita.h>

#include "cb-page.h"

G_BEGIN_DECLS

#define CB_TYPE_MAPPING_PAGE (cb_mapping_page_get_type ())
G_DECLARE_FINAL_TYPE (CbMappingPage, cb_mapping_page, CB, MAPPING_PAGE, AdwBin)

GtkWidget *cb_mapping_page_new (const char *kind);

G_END_DECLS
