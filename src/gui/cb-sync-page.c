/* cb-sync-page.c: see cb-sync-page.h (a placeholder until this cycle's page lands)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-sync-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-sync-page.h"

struct _CbSyncPage
{
  AdwBin parent_instance;
};

static void cb_sync_page_page_iface_init (CbPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbSyncPage, cb_sync_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (CB_TYPE_PAGE, cb_sync_page_page_iface_init))

static void
cb_sync_page_set_profile (CbPage     *page,
                          CbDatabase *db,
                          const char *profile_id)
{
}

static void
cb_sync_page_reload (CbPage *page)
{
}

static void
cb_sync_page_page_iface_init (CbPageInterface *iface)
{
  iface->set_profile = cb_sync_page_set_profile;
  iface->reload = cb_sync_page_reload;
}

static void
cb_sync_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  if (prop_id == 1)
    g_value_set_string (value, NULL);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cb_sync_page_class_init (CbSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cb_sync_page_get_property;
  g_object_class_override_property (object_class, 1, "summary");
}

static void
cb_sync_page_init (CbSyncPage *self)
{
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Not Available Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status), _("Preview and run syncs."));
  adw_bin_set_child (ADW_BIN (self), status);
}

GtkWidget *
cb_sync_page_new (void)
{
  return g_object_new (CB_TYPE_SYNC_PAGE, NULL);
}
