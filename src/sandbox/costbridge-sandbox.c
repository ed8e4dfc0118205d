/* costbridge-sandbox.c: run the sandbox gateway on its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * costbridge-sandbox [--port N] [--faults SPEC] [--latency MS]
 * Faults also come from COSTBRIDGE_SANDBOX_FAULTS (applied before --faults).
 */

#define G_LOG_DOMAIN "costbridge-sandbox"

#include "config.h"

#include <glib-unix.h>
#include <stdlib.h>

#include "cb-sandbox.h"

static gboolean
on_signal_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CbSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *faults = NULL;
  g_autofree char *endpoint = NULL;
  const char *env_faults;
  int port = 0;
  int latency = -1;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0 picks one)", "N" },
    { "faults", 'f', 0, G_OPTION_ARG_STRING, &faults,
      "Faults, e.g. latency=50,429=3,524=1@10,drop-after=2", "SPEC" },
    { "latency", 'l', 0, G_OPTION_ARG_INT, &latency, "Delay before every reply", "MS" },
    { NULL }
  };

  context = g_option_context_new ("- Intacct-compatible sandbox gateway");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("costbridge-sandbox: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("costbridge-sandbox: --port must be 0 to 65535\n");
      return EXIT_FAILURE;
    }

  sandbox = cb_sandbox_new ();
  env_faults = g_getenv ("COSTBRIDGE_SANDBOX_FAULTS");
  if ((env_faults != NULL && !cb_sandbox_configure_faults (sandbox, env_faults, &error)) ||
      (faults != NULL && !cb_sandbox_configure_faults (sandbox, faults, &error)))
    {
      g_printerr ("costbridge-sandbox: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (latency >= 0)
    cb_sandbox_set_latency (sandbox, (guint) latency);

  if (!cb_sandbox_start (sandbox, (guint16) port, &error))
    {
      g_printerr ("costbridge-sandbox: cannot listen: %s\n", error->message);
      return EXIT_FAILURE;
    }

  endpoint = cb_sandbox_dup_endpoint (sandbox);
  g_print ("Sandbox gateway listening on %s\n", endpoint);
  g_print ("Demo credentials (public test values, not secrets):\n");
  g_print ("  sender ID:  %s   sender password: %s\n",
           CB_SANDBOX_SENDER_ID, CB_SANDBOX_SENDER_SECRET);
  g_print ("  company ID: %s\n", CB_SANDBOX_COMPANY_ID);
  g_print ("  user ID:    %s   user password:   %s\n",
           CB_SANDBOX_USER_ID, CB_SANDBOX_USER_SECRET);
  g_print ("  entities:   %s (North Division), %s (South Division)\n",
           CB_SANDBOX_ENTITY_NORTH, CB_SANDBOX_ENTITY_SOUTH);
  g_print ("Press Ctrl+C to stop.\n");

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_main_loop_run (loop);

  cb_sandbox_stop (sandbox);
  return EXIT_SUCCESS;
}
