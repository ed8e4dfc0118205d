/* cb-mapping-page.c: see cb-mapping-page.h (a placeholder until this cycle's page lands)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-mapping-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-mapping-page.h"

struct _CbMappingPage
{
  AdwBin parent_instance;
};

static void cb_mapping_page_page_iface_init (CbPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbMappingPage, cb_mapping_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (CB_TYPE_PAGE, cb_mapping_page_page_iface_init))

static void
cb_mapping_page_set_profile (CbPage     *page,
                             CbDatabase *db,
                             const char *profile_id)
{
}

static void
cb_mapping_page_reload (CbPage *page)
{
}

static void
cb_mapping_page_page_iface_init (CbPageInterface *iface)
{
  iface->set_profile = cb_mapping_page_set_profile;
  iface->reload = cb_mapping_page_reload;
}

static void
cb_mapping_page_get_property (GObject    *object,
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
cb_mapping_page_class_init (CbMappingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cb_mapping_page_get_property;
  g_object_class_override_property (object_class, 1, "summary");
}

static void
cb_mapping_page_init (CbMappingPage *self)
{
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Not Available Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status), _("Map the records of your job-cost system to Intacct."));
  adw_bin_set_child (ADW_BIN (self), status);
}

GtkWidget *
cb_mapping_page_new (const char *kind)
{
  return g_object_new (CB_TYPE_MAPPING_PAGE, NULL);
}
