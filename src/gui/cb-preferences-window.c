/* cb-preferences-window.c: the preferences window, every row bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-preferences-window.h"

struct _CbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkAdjustment        *auto_adjustment;
  GtkAdjustment        *suggest_adjustment;
  GtkAdjustment        *batch_adjustment;
  GtkAdjustment        *in_flight_adjustment;
  GtkAdjustment        *timeout_adjustment;
  GtkAdjustment        *hour_adjustment;
  GtkAdjustment        *duration_adjustment;
  GtkSwitch            *notifications_switch;
  AdwComboRow          *maintenance_day_row;
  GtkWidget            *maintenance_hour_row;
  GtkWidget            *maintenance_duration_row;
};

G_DEFINE_FINAL_TYPE (CbPreferencesWindow, cb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char * const cb_preferences_maintenance_days[] = {
  "none", "every-day", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
  "sunday", NULL,
};

static gboolean
day_get_mapping (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char *day = g_variant_get_string (variant, NULL);

  for (guint i = 0; cb_preferences_maintenance_days[i] != NULL; i++)
    {
      if (g_str_equal (day, cb_preferences_maintenance_days[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
day_set_mapping (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= g_strv_length ((char **) cb_preferences_maintenance_days))
    return NULL;

  return g_variant_new_string (cb_preferences_maintenance_days[i]);
}

/* The suggestion threshold never rises above the automatic one. */
static void
update_threshold_limits (CbPreferencesWindow *self)
{
  gtk_adjustment_set_upper (self->suggest_adjustment,
                            gtk_adjustment_get_value (self->auto_adjustment));
  gtk_adjustment_set_lower (self->auto_adjustment,
                            gtk_adjustment_get_value (self->suggest_adjustment));
}

static void
update_maintenance_rows (CbPreferencesWindow *self)
{
  gboolean active = adw_combo_row_get_selected (self->maintenance_day_row) != 0;

  gtk_widget_set_sensitive (self->maintenance_hour_row, active);
  gtk_widget_set_sensitive (self->maintenance_duration_row, active);
}

static void
bind_adjustment (CbPreferencesWindow *self,
                 const char          *key,
                 GtkAdjustment       *adjustment)
{
  g_settings_bind (self->settings, key, adjustment, "value", G_SETTINGS_BIND_DEFAULT);
}

static void
cb_preferences_window_constructed (GObject *object)
{
  CbPreferencesWindow *self = CB_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (cb_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (CB_SCHEMA_ID);

  /* Open the limits first, so that neither threshold clamps the other while binding. */
  gtk_adjustment_set_lower (self->auto_adjustment, 1);
  gtk_adjustment_set_upper (self->suggest_adjustment, 100);
  bind_adjustment (self, "match-auto-threshold", self->auto_adjustment);
  bind_adjustment (self, "match-suggest-threshold", self->suggest_adjustment);
  bind_adjustment (self, "sync-batch-size", self->batch_adjustment);
  bind_adjustment (self, "max-in-flight", self->in_flight_adjustment);
  bind_adjustment (self, "request-timeout", self->timeout_adjustment);
  bind_adjustment (self, "maintenance-hour", self->hour_adjustment);
  bind_adjustment (self, "maintenance-duration", self->duration_adjustment);
  g_settings_bind (self->settings, "notifications",
                   self->notifications_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "maintenance-day",
                                self->maintenance_day_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                day_get_mapping, day_set_mapping, NULL, NULL);

  update_threshold_limits (self);
  update_maintenance_rows (self);
  g_signal_connect_object (self->auto_adjustment, "value-changed",
                           G_CALLBACK (update_threshold_limits), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->suggest_adjustment, "value-changed",
                           G_CALLBACK (update_threshold_limits), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->maintenance_day_row, "notify::selected",
                           G_CALLBACK (update_maintenance_rows), self, G_CONNECT_SWAPPED);
}

static void
cb_preferences_window_dispose (GObject *object)
{
  CbPreferencesWindow *self = CB_PREFERENCES_WINDOW (object);

  if (self->settings != NULL)
    {
      g_settings_unbind (self->auto_adjustment, "value");
      g_settings_unbind (self->suggest_adjustment, "value");
      g_settings_unbind (self->batch_adjustment, "value");
      g_settings_unbind (self->in_flight_adjustment, "value");
      g_settings_unbind (self->timeout_adjustment, "value");
      g_settings_unbind (self->hour_adjustment, "value");
      g_settings_unbind (self->duration_adjustment, "value");
      g_settings_unbind (self->notifications_switch, "active");
      g_settings_unbind (self->maintenance_day_row, "selected");
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cb_preferences_window_parent_class)->dispose (object);
}

static void
cb_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CbPreferencesWindow *self = CB_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CbPreferencesWindow *self = CB_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_preferences_window_class_init (CbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cb_preferences_window_constructed;
  object_class->dispose = cb_preferences_window_dispose;
  object_class->get_property = cb_preferences_window_get_property;
  object_class->set_property = cb_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/costbridge/Costbridge/ui/cb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, auto_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, suggest_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, batch_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, in_flight_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, timeout_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, hour_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, duration_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, maintenance_day_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, maintenance_hour_row);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, maintenance_duration_row);
}

static void
cb_preferences_window_init (CbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CbPreferencesWindow *
cb_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CB_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "settings", settings,
                       NULL);
}

GSettings *
cb_preferences_window_get_settings (CbPreferencesWindow *self)
{
  g_return_val_if_fail (CB_IS_PREFERENCES_WINDOW (self), NULL);

  return self->settings;
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *parent = gtk_application_get_active_window (app);
  CbPreferencesWindow *window = NULL;

  /* One preferences window: bring back the one already open. */
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    {
      if (CB_IS_PREFERENCES_WINDOW (l->data))
        {
          window = l->data;
          break;
        }
    }

  if (window == NULL)
    {
      if (CB_IS_PREFERENCES_WINDOW (parent))
        parent = NULL;
      window = cb_preferences_window_new (parent, NULL);
      gtk_window_set_application (GTK_WINDOW (window), app);
    }

  gtk_window_present (GTK_WINDOW (window));
}

void
cb_preferences_window_install_actions (GtkApplication *app)
{
  static const GActionEntry actions[] = {
    { "preferences", preferences_action },
  };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  g_return_if_fail (GTK_IS_APPLICATION (app));

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (app, "app.preferences", preferences_accels);
}
