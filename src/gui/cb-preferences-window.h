/* cb-preferences-window.h: the preferences window, every row bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Matching thresholds (automatic and suggested), objects per sync request, requests in
 * flight per company, the request timeout, notifications and the maintenance window in
 * which scheduled runs wait. Every value is a key of the application's schema (CB_SCHEMA_ID),
 * bound both ways, so a change applies at once and code elsewhere reads the key.
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CB_TYPE_PREFERENCES_WINDOW (cb_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CbPreferencesWindow, cb_preferences_window, CB, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* A preferences window bound to @settings (NULL: a new GSettings for CB_SCHEMA_ID),
 * transient for @parent (may be NULL). */
CbPreferencesWindow *cb_preferences_window_new      (GtkWindow *parent,
                                                     GSettings *settings);
GSettings           *cb_preferences_window_get_settings (CbPreferencesWindow *self);

/* Adds app.preferences (Ctrl+comma) to @app, which presents one preferences window,
 * transient for the active window. Call from the application's startup. */
void                 cb_preferences_window_install_actions (GtkApplication *app);

/* The maintenance-day key's values, in the order of the Day row's choices. */
extern const char * const cb_preferences_maintenance_days[];

G_END_DECLS
