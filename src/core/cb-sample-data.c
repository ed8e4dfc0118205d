/* cb-sample-data.c: the sample job-side data set built into the program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * data/sample/costbridge-sample.json (the same records as the per-kind CSV files beside it)
 * describes a builder whose job system overlaps the sandbox's demo company the way real
 * data does: some codes identical, some renamed or punctuated differently, some missing on
 * either side, vendors under another name with the same tax ID.
 */

#define G_LOG_DOMAIN "cb-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-core-resources.h"
#include "cb-import-private.h"

#define SAMPLE_PATH "/io/github/costbridge/Costbridge/core/sample/costbridge-sample.json"

gboolean
cb_import_sample_data (CbDatabase      *db,
                       const char      *profile_id,
                       CbImportReport **report,
                       GError         **error)
{
  g_autoptr(CbImportReport) local = cb_import_report_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *by_kind[CB_JOB_N_KINDS] = { NULL, };
  CbImportOptions options = { .full = TRUE };
  gboolean ok;

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = g_resource_lookup_data (cb_core_get_resource (), SAMPLE_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, CB_IMPORT_ERROR, CB_IMPORT_ERROR_READ,
                   _("The sample data is missing from this build: %s"), local_error->message);
      return FALSE;
    }

  local->files = 1;
  ok = cb_import_parse_json (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                             "costbridge-sample.json", &options, by_kind, local, NULL, error) &&
       cb_import_judge (local, error) &&
       cb_import_apply (db, profile_id, by_kind, TRUE, local, NULL, error);
  cb_import_free_by_kind (by_kind);

  if (ok && report != NULL)
    *report = g_steal_pointer (&local);
  return ok;
}
