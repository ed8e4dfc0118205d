/* cb-page.h: what the window asks of each page in its sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every page but Connection implements CbPage. The window tells each page which company
 * profile is current (NULL: none) and asks it to reload after anything changed the store
 * (an import, a refresh from Intacct, a sync). A page may offer a one-line summary for its
 * sidebar row ("12 of 340 unmapped"); it notifies "summary" when that changes.
 */

#pragma once

#include <gtk/gtk.h>

#include "cb-database.h"

G_BEGIN_DECLS

#define CB_TYPE_PAGE (cb_page_get_type ())
G_DECLARE_INTERFACE (CbPage, cb_page, CB, PAGE, GtkWidget)

struct _CbPageInterface
{
  GTypeInterface parent_iface;

  void         (*set_profile) (CbPage     *self,
                               CbDatabase *db,
                               const char *profile_id);
  void         (*reload)      (CbPage     *self);
  const char * (*get_summary) (CbPage     *self);
};

/* @db may be NULL (no store) and @profile_id NULL (no company yet). */
void        cb_page_set_profile (CbPage     *self,
                                 CbDatabase *db,
                                 const char *profile_id);
void        cb_page_reload      (CbPage     *self);
/* The sidebar subtitle, or NULL. */
const char *cb_page_get_summary (CbPage     *self);
/* For implementations: emits notify::summary. */
void        cb_page_summary_changed (CbPage *self);

G_END_DECLS
