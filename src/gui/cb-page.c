/* cb-page.c: see cb-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-page"

#include "config.h"

#include "cb-page.h"

G_DEFINE_INTERFACE (CbPage, cb_page, GTK_TYPE_WIDGET)

static void
cb_page_default_init (CbPageInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

void
cb_page_set_profile (CbPage     *self,
                     CbDatabase *db,
                     const char *profile_id)
{
  g_return_if_fail (CB_IS_PAGE (self));

  CB_PAGE_GET_IFACE (self)->set_profile (self, db, profile_id);
}

void
cb_page_reload (CbPage *self)
{
  g_return_if_fail (CB_IS_PAGE (self));

  CB_PAGE_GET_IFACE (self)->reload (self);
}

const char *
cb_page_get_summary (CbPage *self)
{
  CbPageInterface *iface;

  g_return_val_if_fail (CB_IS_PAGE (self), NULL);

  iface = CB_PAGE_GET_IFACE (self);
  return iface->get_summary != NULL ? iface->get_summary (self) : NULL;
}

void
cb_page_summary_changed (CbPage *self)
{
  g_object_notify (G_OBJECT (self), "summary");
}
