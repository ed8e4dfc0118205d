/* cb-cli-import.c: costbridge-cli commands (being written this cycle)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "costbridge-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-cli.h"

static int
not_yet (int    argc,
         char **argv)
{
  return fail (CB_EXIT_USAGE, _("This command is not available in this build yet"));
}


const Command cb_cli_cmd_import = {
  "import", "", N_("Not available in this build yet"), not_yet, NULL,
};

const Command cb_cli_cmd_records = {
  "records", "", N_("Not available in this build yet"), not_yet, NULL,
};
