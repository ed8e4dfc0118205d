/* cb-import-dialog.c: see cb-import-dialog.h (a placeholder until this cycle's dialog lands)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-import-dialog"

#include "config.h"

#include "cb-import-dialog.h"

void
cb_import_dialog_run (GtkWindow  *parent,
                      CbDatabase *db,
                      const char *profile_id)
{
  g_message ("Not available in this build yet");
}
