/* cb-refresh-dialog.c: see cb-refresh-dialog.h (a placeholder until this cycle's dialog lands)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-refresh-dialog"

#include "config.h"

#include "cb-refresh-dialog.h"

void
cb_refresh_dialog_present (GtkWindow  *parent,
                           CbDatabase *db,
                           const char *profile_id)
{
  g_message ("Not available in this build yet");
}
