/* costbridge-cli.c: company profiles, connection tests, entities, the permission probe
 * and the accounting defaults, without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords never come from the command line: `profile add` reads them from standard
 * input (one per line) or prompts on a terminal without echo, and stores them in the
 * keyring. Other commands read them from the keyring, or with --password-stdin from
 * standard input for this run only. Exit codes are CbExitCode (cb-connection.h).
 */

#define G_LOG_DOMAIN "costbridge-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cb-connection.h"
#include "cb-database.h"
#include "cb-import.h"
#include "cb-intacct-cache.h"
#include "cb-profile.h"
#include "cb-sandbox.h"
#include "cb-secret-store.h"

#include "cb-cli.h"

/* Options every command accepts. */
gboolean opt_json;
char *opt_database;
gboolean opt_password_stdin;

static const GOptionEntry common_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print the result as JSON"), NULL },
  { "database", 0, 0, G_OPTION_ARG_FILENAME, &opt_database,
    N_("The database file (default: the user’s data folder)"), N_("PATH") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_password_stdin,
    N_("Read the user password and the sender password from standard input, one per line, "
       "for this run only"), NULL },
  G_OPTION_ENTRY_NULL
};


/* {{{ Output */

void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

static const char *
problem_to_string (CbConnectProblem problem)
{
  static const char * const names[] = {
    "ok", "user-credentials", "sender-credentials", "sender-not-authorized",
    "not-subscribed", "entity", "network", "tls", "rate-limited", "endpoint",
    "company-unavailable", "keyring", "other",
  };

  if ((guint) problem < G_N_ELEMENTS (names))
    return names[problem];
  return "other";
}

void
add_string_member (JsonBuilder *b,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Prints a failure (a diagnosis, never a raw dump) and returns its exit code. */
static int
report_diagnosis (const CbConnectDiagnosis *d)
{
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "problem");
      json_builder_add_string_value (b, problem_to_string (d->problem));
      add_string_member (b, "title", d->title);
      add_string_member (b, "advice", d->advice);
      add_string_member (b, "support_id", d->support_id);
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  g_printerr ("%s\n", d->title);
  if (d->advice != NULL && *d->advice != '\0')
    g_printerr ("%s\n", d->advice);
  if (d->support_id != NULL)
    g_printerr (_("Intacct Support ID: %s\n"), d->support_id);
  return cb_connect_problem_to_exit_code (d->problem);
}

int
report_error (const GError *error)
{
  g_autoptr(CbConnectDiagnosis) d = cb_connect_diagnose (error);

  return report_diagnosis (d);
}

/* A plain failure of ours (usage, not found…), with its exit code. */
int
fail (CbExitCode  code,
      const char *message)
{
  CbConnectDiagnosis d = {
    .problem = code == CB_EXIT_KEYRING ? CB_CONNECT_KEYRING : CB_CONNECT_OTHER,
    .title = (char *) message,
    .advice = NULL,
    .support_id = NULL,
  };

  report_diagnosis (&d);
  return code;
}

void
add_time_member (JsonBuilder *b,
                 const char  *name,
                 GDateTime   *value)
{
  g_autofree char *text = value ? g_date_time_format_iso8601 (value) : NULL;

  add_string_member (b, name, text);
}

static const char * const bill_date_names[] = { "bill", "import", "sync" };
static const char * const missing_cost_type_names[] = { "block", "default", "omit" };

static void
build_profile (JsonBuilder     *b,
               const CbProfile *p)
{
  json_builder_begin_object (b);
  add_string_member (b, "id", p->id);
  add_string_member (b, "name", p->name);
  add_string_member (b, "endpoint", p->endpoint);
  add_string_member (b, "company_id", p->company_id);
  add_string_member (b, "user_id", p->user_id);
  add_string_member (b, "sender_id", p->sender_id);
  add_string_member (b, "entity_id", p->entity_id && *p->entity_id ? p->entity_id : NULL);
  json_builder_set_member_name (b, "is_demo");
  json_builder_add_boolean_value (b, p->is_demo);
  json_builder_set_member_name (b, "defaults");
  json_builder_begin_object (b);
  add_string_member (b, "ap_account", p->default_ap_account);
  add_string_member (b, "location", p->default_location);
  add_string_member (b, "department", p->default_department);
  add_string_member (b, "item", p->default_item);
  add_string_member (b, "cost_type", p->default_cost_type);
  add_string_member (b, "bill_date", bill_date_names[p->bill_date_rule % 3]);
  add_string_member (b, "missing_cost_type", missing_cost_type_names[p->missing_cost_type_rule % 3]);
  json_builder_end_object (b);
  add_time_member (b, "created", p->created);
  add_time_member (b, "last_connected", p->last_connected);
  json_builder_end_object (b);
}

static void
print_profile_text (const CbProfile *p)
{
  g_autofree char *last = p->last_connected ? g_date_time_format (p->last_connected, "%c") : NULL;

  g_print (_("Profile:      %s\n"), p->name);
  g_print (_("Company ID:   %s\n"), p->company_id);
  g_print (_("User ID:      %s\n"), p->user_id);
  g_print (_("Sender ID:    %s\n"), p->sender_id);
  g_print (_("Entity:       %s\n"), p->entity_id && *p->entity_id ? p->entity_id : _("Top level"));
  g_print (_("Gateway:      %s\n"), p->endpoint ? p->endpoint : CB_INTACCT_DEFAULT_ENDPOINT);
  g_print (_("Last tested:  %s\n"), last ? last : _("never"));
}

/* }}} */
/* {{{ Passwords */

/* Reads one line from standard input into a buffer that is wiped before it is freed.
 * On a terminal, prompts on standard error with echo off. */
static char *
read_secret (const char  *prompt,
             GError     **error)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;

  if (tty)
    {
      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }
      else
        tty = FALSE;
    }
  len = getline (&line, &cap, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (len <= 0)
    {
      if (line != NULL)
        explicit_bzero (line, cap);
      free (line);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Expected a password on standard input"));
      return NULL;
    }
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    line[--len] = '\0';
  if (len == 0)
    {
      explicit_bzero (line, cap);
      free (line);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("A password may not be empty"));
      return NULL;
    }
  {
    /* Move into GLib memory so cb_clear_secret() can wipe and free it. */
    char *secret = g_strndup (line, len);

    explicit_bzero (line, cap);
    free (line);
    return secret;
  }
}

typedef struct
{
  char *user;
  char *sender;
} Secrets;

static void
secrets_clear (Secrets *s)
{
  cb_clear_secret (&s->user);
  cb_clear_secret (&s->sender);
}

static gboolean
read_secrets_stdin (const CbProfile *p,
                    Secrets         *out,
                    GError         **error)
{
  g_autofree char *p1 = g_strdup_printf (_("Password of Web Services user %s: "), p->user_id);
  g_autofree char *p2 = g_strdup_printf (_("Password of sender %s: "), p->sender_id);

  if ((out->user = read_secret (p1, error)) == NULL)
    return FALSE;
  if ((out->sender = read_secret (p2, error)) == NULL)
    {
      secrets_clear (out);
      return FALSE;
    }
  return TRUE;
}

/* The profile's two secrets, from the demo constants, standard input or the keyring.
 * On failure prints why and returns the exit code; CB_EXIT_OK on success. */
static int
get_secrets (const CbProfile *p,
             Secrets         *out)
{
  g_autoptr(GError) error = NULL;

  if (p->is_demo)
    {
      /* The demo company's credentials are public test values, not secrets. */
      out->user = g_strdup (CB_SANDBOX_USER_SECRET);
      out->sender = g_strdup (CB_SANDBOX_SENDER_SECRET);
      return CB_EXIT_OK;
    }
  if (opt_password_stdin)
    {
      if (!read_secrets_stdin (p, out, &error))
        return fail (CB_EXIT_USAGE, error->message);
      return CB_EXIT_OK;
    }
  out->user = cb_secret_store_lookup (p->id, CB_SECRET_USER_PASSWORD, NULL, &error);
  if (error == NULL)
    out->sender = cb_secret_store_lookup (p->id, CB_SECRET_SENDER_PASSWORD, NULL, &error);
  if (error != NULL)
    {
      secrets_clear (out);
      report_error (error);
      g_printerr (_("To use the passwords for this run only, pass --password-stdin and give "
                    "them on standard input.\n"));
      return CB_EXIT_KEYRING;
    }
  if (out->user == NULL || out->sender == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("The keyring holds no passwords for profile "
                                                "“%s”. Add the profile again, or pass "
                                                "--password-stdin."), p->name);
      secrets_clear (out);
      return fail (CB_EXIT_KEYRING, msg);
    }
  return CB_EXIT_OK;
}

/* }}} */
/* {{{ Shared steps */

CbDatabase *
open_database (int *exit_code)
{
  g_autofree char *path = opt_database ? g_strdup (opt_database) : cb_database_default_path ();
  g_autoptr(GError) error = NULL;
  CbDatabase *db = cb_database_open (path, &error);

  if (db == NULL)
    *exit_code = fail (CB_EXIT_FAILURE, error->message);
  return db;
}

CbProfile *
load_profile (CbDatabase *db,
              const char *name,
              int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  CbProfile *p = cb_profile_load (db, name, &error);

  if (p == NULL)
    {
      g_autofree char *msg = NULL;

      if (g_error_matches (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_NOT_FOUND))
        msg = g_strdup_printf (_("There is no profile “%s” (see “costbridge-cli profile "
                                 "list”)"), name);
      else
        msg = g_strdup (error->message);
      *exit_code = fail (CB_EXIT_FAILURE, msg);
    }
  return p;
}

CbProfile *
pick_profile (CbDatabase *db,
              const char *name,
              int        *exit_code)
{
  g_autoptr(GPtrArray) all = NULL;

  if (name != NULL)
    return load_profile (db, name, exit_code);

  all = cb_profile_list (db, NULL);
  if (all != NULL && all->len == 1)
    return cb_profile_copy (g_ptr_array_index (all, 0));
  *exit_code = fail (CB_EXIT_USAGE, _("Say which company with --profile NAME (see "
                                      "“costbridge-cli profile list”)"));
  return NULL;
}

/* Connects with the profile; prints the diagnosis on failure. */
CbIntacctClient *
connect_profile (const CbProfile *p,
                 int             *exit_code)
{
  Secrets s = { 0 };
  g_autoptr(CbIntacctCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  CbIntacctClient *client;

  if ((*exit_code = get_secrets (p, &s)) != CB_EXIT_OK)
    return NULL;
  creds = cb_connection_credentials (p, s.user, s.sender);
  secrets_clear (&s);
  client = cb_connection_test (creds, NULL, &error);
  if (client == NULL)
    *exit_code = report_error (error);
  return client;
}

void
stamp_connected (CbDatabase *db,
                 CbProfile  *p)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&p->last_connected, g_date_time_unref);
  p->last_connected = g_date_time_new_now_utc ();
  if (!cb_profile_save (db, p, &error))
    g_warning ("Could not record the connection time: %s", error->message);
}

/* Parses @argv with the command's and the common options; on --help prints and exits. */
gboolean
parse_options (const Command *cmd,
               int           *argc,
               char        ***argv,
               int            n_args_min,
               int            n_args_max,
               int           *exit_code)
{
  g_autofree char *parameter = g_strdup_printf ("%s %s", cmd->name, cmd->parameters);
  g_autoptr(GOptionContext) ctx = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;
  int n;

  g_option_context_set_summary (ctx, _(cmd->summary));
  if (cmd->entries != NULL)
    g_option_context_add_main_entries (ctx, cmd->entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, common_entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      *exit_code = fail (CB_EXIT_USAGE, error->message);
      return FALSE;
    }
  n = *argc - 1;   /* (*argv)[0] is the command name */
  if (n < n_args_min || (n_args_max >= 0 && n > n_args_max))
    {
      g_autofree char *help = g_option_context_get_help (ctx, TRUE, NULL);

      g_printerr ("%s", help);
      *exit_code = CB_EXIT_USAGE;
      return FALSE;
    }
  return TRUE;
}

/* }}} */
/* {{{ profile add|list|show|remove|rename, demo-profile */

static char *add_company, *add_user, *add_sender, *add_entity, *add_endpoint;

static const GOptionEntry add_entries[] = {
  { "company", 0, 0, G_OPTION_ARG_STRING, &add_company,
    N_("Company ID, as typed on the Intacct sign-in page"), N_("ID") },
  { "user", 0, 0, G_OPTION_ARG_STRING, &add_user,
    N_("Web Services user ID (Company > Admin > Web Services users)"), N_("ID") },
  { "sender", 0, 0, G_OPTION_ARG_STRING, &add_sender,
    N_("Web Services sender ID (from the developer licence)"), N_("ID") },
  { "entity", 0, 0, G_OPTION_ARG_STRING, &add_entity,
    N_("Entity ID (default: top level)"), N_("ID") },
  { "endpoint", 0, 0, G_OPTION_ARG_STRING, &add_endpoint,
    N_("Gateway URL (default: Intacct’s)"), N_("URL") },
  G_OPTION_ENTRY_NULL
};

static gboolean demo_sample_data;

static const GOptionEntry demo_entries[] = {
  { "endpoint", 0, 0, G_OPTION_ARG_STRING, &add_endpoint,
    N_("The gateway URL costbridge-sandbox printed"), N_("URL") },
  { "entity", 0, 0, G_OPTION_ARG_STRING, &add_entity,
    N_("Entity ID (default: top level)"), N_("ID") },
  { "sample-data", 0, 0, G_OPTION_ARG_NONE, &demo_sample_data,
    N_("Also load the sample job-side data set (jobs, cost codes, cost types, vendors, bills, "
       "commitments)"), NULL },
  G_OPTION_ENTRY_NULL
};

static const Command cmd_profile_add;
static const Command cmd_demo_profile;

static int
save_new_profile (CbProfile   *p,
                  const Secrets *s)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  int code = CB_EXIT_OK;

  if (!cb_profile_validate (p, &error))
    return fail (CB_EXIT_USAGE, error->message);
  if (s != NULL && !cb_secret_store_check (NULL, &error))
    return report_error (error);
  if ((db = open_database (&code)) == NULL)
    return code;
  if (!cb_profile_save (db, p, &error))
    return fail (g_error_matches (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_IO)
                 ? CB_EXIT_FAILURE : CB_EXIT_USAGE, error->message);
  if (s != NULL)
    {
      g_autofree char *label_user = g_strdup_printf (_("Costbridge: Intacct user password "
                                                       "(%s)"), p->name);
      g_autofree char *label_sender = g_strdup_printf (_("Costbridge: Intacct sender password "
                                                         "(%s)"), p->name);

      if (!cb_secret_store_save (p->id, CB_SECRET_USER_PASSWORD, label_user, s->user, NULL,
                                 &error) ||
          !cb_secret_store_save (p->id, CB_SECRET_SENDER_PASSWORD, label_sender, s->sender,
                                 NULL, &error))
        {
          /* No profile without its secrets. */
          cb_secret_store_clear (p->id, NULL, NULL);
          cb_profile_delete (db, p->id, NULL);
          return report_error (error);
        }
    }

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      build_profile (b, p);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    g_print (_("Added profile “%s”\n"), p->name);
  return CB_EXIT_OK;
}

static int
run_profile_add (int    argc,
                 char **argv)
{
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(GError) error = NULL;
  Secrets s = { 0 };
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_profile_add, &argc, &argv, 1, 1, &code))
    return code;
  if (add_company == NULL || add_user == NULL || add_sender == NULL)
    return fail (CB_EXIT_USAGE, _("--company, --user and --sender are required"));

  p = cb_profile_new ();
  p->name = g_strdup (argv[1]);
  p->company_id = g_strdup (add_company);
  p->user_id = g_strdup (add_user);
  p->sender_id = g_strdup (add_sender);
  p->entity_id = g_strdup (add_entity);
  p->endpoint = g_strdup (add_endpoint);
  if (!cb_profile_validate (p, &error))
    return fail (CB_EXIT_USAGE, error->message);
  /* Ask for nothing that could not be kept. */
  if (!cb_secret_store_check (NULL, &error))
    return report_error (error);
  if (!read_secrets_stdin (p, &s, &error))
    return fail (CB_EXIT_USAGE, error->message);
  code = save_new_profile (p, &s);
  secrets_clear (&s);
  return code;
}

static int
run_demo_profile (int    argc,
                  char **argv)
{
  g_autoptr(CbProfile) p = NULL;
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_demo_profile, &argc, &argv, 0, 1, &code))
    return code;
  if (add_endpoint == NULL)
    return fail (CB_EXIT_USAGE,
                 _("--endpoint is required: the URL costbridge-sandbox printed"));
  p = cb_profile_new ();
  p->name = g_strdup (argc > 1 ? argv[1] : _("Demo company"));
  p->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  p->user_id = g_strdup (CB_SANDBOX_USER_ID);
  p->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  p->endpoint = g_strdup (add_endpoint);
  p->entity_id = g_strdup (add_entity);
  p->is_demo = TRUE;
  if ((code = save_new_profile (p, NULL)) != CB_EXIT_OK || !demo_sample_data)
    return code;

  {
    g_autoptr(CbDatabase) db = NULL;
    g_autoptr(CbImportReport) report = NULL;
    g_autoptr(GError) error = NULL;

    if ((db = open_database (&code)) == NULL)
      return code;
    if (!cb_import_sample_data (db, p->id, &report, &error))
      return fail (CB_EXIT_FAILURE, error->message);
    if (!opt_json)
      g_print (_("Loaded the sample job-side data\n"));
  }
  return CB_EXIT_OK;
}

static int
run_profile_list (int    argc,
                  char **argv);
static int
run_profile_show (int    argc,
                  char **argv);
static int
run_profile_remove (int    argc,
                    char **argv);
static int
run_profile_rename (int    argc,
                    char **argv);

static const Command cmd_profile_add = {
  "profile add", N_("NAME"),
  N_("Adds a company profile. The user password and the sender password are read from "
     "standard input, one per line (or asked for on a terminal), and stored in the keyring."),
  run_profile_add, add_entries,
};
static const Command cmd_profile_list = {
  "profile list", "", N_("Lists the company profiles."), run_profile_list, NULL,
};
static const Command cmd_profile_show = {
  "profile show", N_("NAME"), N_("Shows a profile (never its passwords)."),
  run_profile_show, NULL,
};
static const Command cmd_profile_remove = {
  "profile remove", N_("NAME"), N_("Removes a profile and its passwords from the keyring."),
  run_profile_remove, NULL,
};
static const Command cmd_profile_rename = {
  "profile rename", N_("OLD NEW"), N_("Renames a profile."), run_profile_rename, NULL,
};
static const Command cmd_demo_profile = {
  "demo-profile", N_("[NAME]"),
  N_("Adds a profile for the demo company of a running costbridge-sandbox (give its "
     "--endpoint). Its credentials are public test values."),
  run_demo_profile, demo_entries,
};

static int
run_profile_list (int    argc,
                  char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_profile_list, &argc, &argv, 0, 0, &code))
    return code;
  if ((db = open_database (&code)) == NULL)
    return code;
  if ((profiles = cb_profile_list (db, &error)) == NULL)
    return fail (CB_EXIT_FAILURE, error->message);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < profiles->len; i++)
        build_profile (b, g_ptr_array_index (profiles, i));
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      print_json (root);
      return CB_EXIT_OK;
    }
  if (profiles->len == 0)
    g_print (_("No profiles yet. Add one with “costbridge-cli profile add”.\n"));
  for (guint i = 0; i < profiles->len; i++)
    {
      CbProfile *p = g_ptr_array_index (profiles, i);

      g_print ("%s\t%s\t%s\t%s\n", p->name, p->company_id,
               p->entity_id && *p->entity_id ? p->entity_id : _("Top level"),
               p->is_demo ? _("demo") : "");
    }
  return CB_EXIT_OK;
}

static int
run_profile_show (int    argc,
                  char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_profile_show, &argc, &argv, 1, 1, &code))
    return code;
  if ((db = open_database (&code)) == NULL || (p = load_profile (db, argv[1], &code)) == NULL)
    return code;
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      build_profile (b, p);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    print_profile_text (p);
  return CB_EXIT_OK;
}

static int
run_profile_remove (int    argc,
                    char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(GError) error = NULL;
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_profile_remove, &argc, &argv, 1, 1, &code))
    return code;
  if ((db = open_database (&code)) == NULL || (p = load_profile (db, argv[1], &code)) == NULL)
    return code;
  /* Secrets first: a profile is never removed while its passwords stay behind. */
  if (!p->is_demo && !cb_secret_store_clear (p->id, NULL, &error))
    return report_error (error);
  if (!cb_profile_delete (db, p->id, &error))
    return fail (CB_EXIT_FAILURE, error->message);
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      add_string_member (b, "removed", p->name);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    g_print (_("Removed profile “%s” and its passwords\n"), p->name);
  return CB_EXIT_OK;
}

static int
run_profile_rename (int    argc,
                    char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(CbProfile) renamed = NULL;
  g_autoptr(GError) error = NULL;
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_profile_rename, &argc, &argv, 2, 2, &code))
    return code;
  if ((db = open_database (&code)) == NULL || (p = load_profile (db, argv[1], &code)) == NULL)
    return code;
  if (!cb_profile_rename (db, p->id, argv[2], &error))
    return fail (CB_EXIT_USAGE, error->message);
  if ((renamed = load_profile (db, p->id, &code)) == NULL)
    return code;
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      build_profile (b, renamed);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    g_print (_("Renamed “%s” to “%s”\n"), p->name, renamed->name);
  return CB_EXIT_OK;
}

static int
run_profile (int    argc,
             char **argv)
{
  static const Command *subs[] = {
    &cmd_profile_add, &cmd_profile_list, &cmd_profile_show, &cmd_profile_remove,
    &cmd_profile_rename,
  };

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (subs); i++)
      if (g_str_equal (argv[1], subs[i]->name + strlen ("profile ")))
        return subs[i]->run (argc - 1, argv + 1);

  g_printerr (_("Usage: costbridge-cli profile add|list|show|remove|rename …\n"));
  for (guint i = 0; i < G_N_ELEMENTS (subs); i++)
    g_printerr ("  %-16s %s\n", subs[i]->name, _(subs[i]->summary));
  return argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
         ? CB_EXIT_OK : CB_EXIT_USAGE;
}

/* }}} */
/* {{{ test, entities, entity, probe */

static const Command cmd_test, cmd_entities, cmd_entity, cmd_probe;

static int
run_test (int    argc,
          char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  g_autofree char *entity = NULL;
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_test, &argc, &argv, 1, 1, &code))
    return code;
  if ((db = open_database (&code)) == NULL || (p = load_profile (db, argv[1], &code)) == NULL)
    return code;
  if ((client = connect_profile (p, &code)) == NULL)
    return code;
  stamp_connected (db, p);
  entity = cb_intacct_client_dup_entity_id (client);
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "connected");
      json_builder_add_boolean_value (b, TRUE);
      add_string_member (b, "profile", p->name);
      add_string_member (b, "company_id", p->company_id);
      add_string_member (b, "entity_id", entity && *entity ? entity : NULL);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    g_print (_("Connected to %s (%s)\n"), p->company_id,
             entity && *entity ? entity : _("top level"));
  return CB_EXIT_OK;
}

static GPtrArray *
fetch_entities (const CbProfile  *p,
                CbIntacctClient **client_out,
                int              *code)
{
  g_autoptr(CbProfile) top = cb_profile_copy (p);
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *entities;

  /* The list comes from a top-level session: an entity session sees only itself. */
  g_clear_pointer (&top->entity_id, g_free);
  if ((client = connect_profile (top, code)) == NULL)
    return NULL;
  if ((entities = cb_connection_list_entities (client, NULL, &error)) == NULL)
    {
      *code = report_error (error);
      return NULL;
    }
  if (client_out != NULL)
    *client_out = g_steal_pointer (&client);
  return entities;
}

static int
run_entities (int    argc,
              char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(GPtrArray) entities = NULL;
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_entities, &argc, &argv, 1, 1, &code))
    return code;
  if ((db = open_database (&code)) == NULL || (p = load_profile (db, argv[1], &code)) == NULL)
    return code;
  if ((entities = fetch_entities (p, NULL, &code)) == NULL)
    return code;
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < entities->len; i++)
        {
          CbIntacctRecord *r = g_ptr_array_index (entities, i);
          const char *id = cb_intacct_record_get_field (r, "LOCATIONID");

          json_builder_begin_object (b);
          add_string_member (b, "id", id);
          add_string_member (b, "name", cb_intacct_record_get_field (r, "NAME"));
          json_builder_set_member_name (b, "selected");
          json_builder_add_boolean_value (b, g_strcmp0 (id, p->entity_id ? p->entity_id : "") == 0);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      print_json (root);
      return CB_EXIT_OK;
    }
  for (guint i = 0; i < entities->len; i++)
    {
      CbIntacctRecord *r = g_ptr_array_index (entities, i);
      const char *id = cb_intacct_record_get_field (r, "LOCATIONID");

      g_print ("%s %-8s %s\n", g_strcmp0 (id, p->entity_id ? p->entity_id : "") == 0 ? "*" : " ",
               id && *id ? id : "-", cb_intacct_record_get_field (r, "NAME"));
    }
  return CB_EXIT_OK;
}

static gboolean entity_top_level;

static const GOptionEntry entity_entries[] = {
  { "top-level", 0, 0, G_OPTION_ARG_NONE, &entity_top_level,
    N_("Work at the top level of the company"), NULL },
  G_OPTION_ENTRY_NULL
};

static int
run_entity (int    argc,
            char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(GError) error = NULL;
  int code = CB_EXIT_OK;
  const char *chosen = NULL;

  if (!parse_options (&cmd_entity, &argc, &argv, 1, 2, &code))
    return code;
  if ((argc == 3) == entity_top_level)
    return fail (CB_EXIT_USAGE, _("Give either an entity ID or --top-level"));
  if ((db = open_database (&code)) == NULL || (p = load_profile (db, argv[1], &code)) == NULL)
    return code;

  if (!entity_top_level)
    {
      g_autoptr(CbIntacctClient) client = NULL;
      g_autoptr(GPtrArray) entities = fetch_entities (p, &client, &code);

      if (entities == NULL)
        return code;
      for (guint i = 1; i < entities->len && chosen == NULL; i++)
        if (g_strcmp0 (cb_intacct_record_get_field (g_ptr_array_index (entities, i),
                                                    "LOCATIONID"), argv[2]) == 0)
          chosen = argv[2];
      if (chosen == NULL)
        {
          g_autofree char *msg = g_strdup_printf (_("“%s” is not an entity this user may "
                                                    "enter (see “costbridge-cli entities "
                                                    "%s”)"), argv[2], p->name);
          CbConnectDiagnosis d = { CB_CONNECT_ENTITY, msg, NULL, NULL };

          return report_diagnosis (&d);
        }
      /* Enter it once, so the choice is known to work. */
      if (!cb_intacct_client_switch_entity (client, chosen, NULL, &error))
        return report_error (error);
    }

  g_free (p->entity_id);
  p->entity_id = g_strdup (chosen);
  if (!cb_profile_save (db, p, &error))
    return fail (CB_EXIT_FAILURE, error->message);
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      build_profile (b, p);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    g_print (_("Profile “%s” now works in %s\n"), p->name, chosen ? chosen : _("the top level"));
  return CB_EXIT_OK;
}

static const char *
state_to_string (CbCapabilityState state)
{
  switch (state)
    {
    case CB_CAPABILITY_GRANTED:
      return "granted";
    case CB_CAPABILITY_MISSING:
      return "missing";
    case CB_CAPABILITY_NOT_SUBSCRIBED:
      return "not-subscribed";
    case CB_CAPABILITY_UNKNOWN:
    default:
      return "unknown";
    }
}

static int
run_probe (int    argc,
           char **argv)
{
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gboolean missing = FALSE, unknown = FALSE;
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_probe, &argc, &argv, 1, 1, &code))
    return code;
  if ((db = open_database (&code)) == NULL || (p = load_profile (db, argv[1], &code)) == NULL)
    return code;
  if ((client = connect_profile (p, &code)) == NULL)
    return code;
  if ((results = cb_connection_probe (client, NULL, NULL, NULL, &error)) == NULL)
    return report_error (error);

  for (guint i = 0; i < results->len; i++)
    {
      CbProbeResult *r = g_ptr_array_index (results, i);

      missing |= r->state == CB_CAPABILITY_MISSING || r->state == CB_CAPABILITY_NOT_SUBSCRIBED;
      unknown |= r->state == CB_CAPABILITY_UNKNOWN;
    }

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < results->len; i++)
        {
          CbProbeResult *r = g_ptr_array_index (results, i);

          json_builder_begin_object (b);
          add_string_member (b, "object", r->capability->object);
          add_string_member (b, "operation", r->capability->operation);
          add_string_member (b, "state", state_to_string (r->state));
          add_string_member (b, "feature", _(r->capability->feature));
          add_string_member (b, "grant", _(r->capability->grant));
          json_builder_set_member_name (b, "construction");
          json_builder_add_boolean_value (b, r->capability->construction);
          add_string_member (b, "message", r->message);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    {
      for (guint i = 0; i < results->len; i++)
        {
          CbProbeResult *r = g_ptr_array_index (results, i);
          const char *mark = r->state == CB_CAPABILITY_GRANTED ? "ok"
                             : r->state == CB_CAPABILITY_MISSING ? "MISSING"
                             : r->state == CB_CAPABILITY_NOT_SUBSCRIBED ? "NOT SUBSCRIBED"
                             : "?";

          g_print ("%-15s %-6s %-16s %s\n", mark, r->capability->operation,
                   r->capability->object, _(r->capability->feature));
          if (r->state != CB_CAPABILITY_GRANTED)
            g_print ("                %s\n", r->message);
          if (r->state == CB_CAPABILITY_MISSING)
            g_print (_("                Grant: %s\n"), _(r->capability->grant));
        }
    }
  if (missing)
    return CB_EXIT_PERMISSIONS;
  if (unknown)
    return CB_EXIT_NETWORK;
  return CB_EXIT_OK;
}

static const Command cmd_test = {
  "test", N_("NAME"), N_("Signs in with the profile and reports what is wrong if it cannot."),
  run_test, NULL,
};
static const Command cmd_entities = {
  "entities", N_("NAME"), N_("Lists the entities the user may enter, top level first."),
  run_entities, NULL,
};
static const Command cmd_entity = {
  "entity", N_("NAME [ID]"),
  N_("Chooses the entity the profile works in (or --top-level), and remembers it."),
  run_entity, entity_entries,
};
static const Command cmd_probe = {
  "probe", N_("NAME"),
  N_("Checks each permission Costbridge needs, without changing anything in Intacct."),
  run_probe, NULL,
};

/* }}} */
/* {{{ defaults */

static char *def_ap_account, *def_location, *def_department, *def_item, *def_cost_type;
static char *def_bill_date, *def_missing_cost_type;
static gboolean def_refresh;

static const GOptionEntry defaults_entries[] = {
  { "ap-account", 0, 0, G_OPTION_ARG_STRING, &def_ap_account,
    N_("Default AP account (GL account number; \"\" clears)"), N_("ID") },
  { "location", 0, 0, G_OPTION_ARG_STRING, &def_location, N_("Default location"), N_("ID") },
  { "department", 0, 0, G_OPTION_ARG_STRING, &def_department, N_("Default department"),
    N_("ID") },
  { "item", 0, 0, G_OPTION_ARG_STRING, &def_item, N_("Default item"), N_("ID") },
  { "cost-type", 0, 0, G_OPTION_ARG_STRING, &def_cost_type, N_("Default standard cost type"),
    N_("ID") },
  { "bill-date", 0, 0, G_OPTION_ARG_STRING, &def_bill_date,
    N_("Bill date: the bill’s own date, the import day, or the sync day"),
    "bill|import|sync" },
  { "missing-cost-type", 0, 0, G_OPTION_ARG_STRING, &def_missing_cost_type,
    N_("A bill line without a cost type: block the bill, use the default, or omit it"),
    "block|default|omit" },
  { "refresh", 0, 0, G_OPTION_ARG_NONE, &def_refresh,
    N_("Refresh the lists of accounts, locations, departments, items and cost types from "
       "Intacct"), NULL },
  G_OPTION_ENTRY_NULL
};

static int run_defaults (int    argc,
                         char **argv);

static const Command cmd_defaults = {
  "defaults", N_("NAME"),
  N_("Shows the profile’s accounting defaults; with options, sets and validates them."),
  run_defaults, defaults_entries,
};

static int
parse_choice (const char         *value,
              const char * const *names,
              guint               n_names,
              const char         *option,
              int                *out)
{
  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (value, names[i]))
      {
        *out = (int) i;
        return CB_EXIT_OK;
      }
  {
    g_autofree char *msg = g_strdup_printf (_("Unknown value “%s” for %s"), value, option);

    return fail (CB_EXIT_USAGE, msg);
  }
}

static void
set_default (char       **field,
             const char  *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = *value ? g_strdup (value) : NULL;
}

static int
run_defaults (int    argc,
              char **argv)
{
  static const char * const objects[] = {
    "GLACCOUNT", "LOCATION", "DEPARTMENT", "ITEM", "STANDARDCOSTTYPE",
  };
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) p = NULL;
  g_autoptr(GError) error = NULL;
  gboolean setting, refresh = FALSE;
  int code = CB_EXIT_OK;

  if (!parse_options (&cmd_defaults, &argc, &argv, 1, 1, &code))
    return code;
  if ((db = open_database (&code)) == NULL || (p = load_profile (db, argv[1], &code)) == NULL)
    return code;

  setting = def_ap_account || def_location || def_department || def_item || def_cost_type ||
            def_bill_date || def_missing_cost_type;
  if (def_bill_date != NULL)
    {
      int v;

      if ((code = parse_choice (def_bill_date, bill_date_names, 3, "--bill-date", &v)) != 0)
        return code;
      p->bill_date_rule = v;
    }
  if (def_missing_cost_type != NULL)
    {
      int v;

      if ((code = parse_choice (def_missing_cost_type, missing_cost_type_names, 3,
                                "--missing-cost-type", &v)) != 0)
        return code;
      p->missing_cost_type_rule = v;
    }
  set_default (&p->default_ap_account, def_ap_account);
  set_default (&p->default_location, def_location);
  set_default (&p->default_department, def_department);
  set_default (&p->default_item, def_item);
  set_default (&p->default_cost_type, def_cost_type);

  /* The lists are cached, so this works offline once they were fetched. */
  refresh = def_refresh;
  for (guint i = 0; i < G_N_ELEMENTS (objects) && setting && !refresh; i++)
    {
      g_autoptr(GDateTime) when = cb_intacct_cache_last_refresh (db, p->id, objects[i]);

      refresh = when == NULL;
    }
  if (refresh)
    {
      g_autoptr(CbIntacctClient) client = connect_profile (p, &code);

      if (client == NULL)
        return code;
      if (!cb_connection_refresh_defaults_data (client, db, p->id, NULL, &error))
        return report_error (error);
    }

  if (!cb_connection_validate_defaults (db, p, &error))
    {
      if (setting)
        return fail (CB_EXIT_USAGE, error->message);
      /* Showing: say what no longer holds, and still show them. */
      g_printerr ("%s\n", error->message);
      g_clear_error (&error);
      code = CB_EXIT_FAILURE;
    }
  if (setting && !cb_profile_save (db, p, &error))
    return fail (CB_EXIT_FAILURE, error->message);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      build_profile (b, p);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    {
      struct { const char *label, *object, *value; } rows[] = {
        { N_("AP account"), "GLACCOUNT", p->default_ap_account },
        { N_("Location"), "LOCATION", p->default_location },
        { N_("Department"), "DEPARTMENT", p->default_department },
        { N_("Item"), "ITEM", p->default_item },
        { N_("Cost type"), "STANDARDCOSTTYPE", p->default_cost_type },
      };

      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        {
          g_autoptr(CbCachedRecord) r = rows[i].value
            ? cb_intacct_cache_find (db, p->id, rows[i].object, rows[i].value, NULL) : NULL;

          g_print ("%-18s %s%s%s%s\n", _(rows[i].label),
                   rows[i].value ? rows[i].value : _("(not set)"),
                   r && r->name ? " (" : "", r && r->name ? r->name : "",
                   r && r->name ? ")" : "");
        }
      g_print ("%-18s %s\n", _("Bill date"), bill_date_names[p->bill_date_rule % 3]);
      g_print ("%-18s %s\n", _("No cost type"),
               missing_cost_type_names[p->missing_cost_type_rule % 3]);
    }
  return code;
}

/* }}} */

static int
usage (const Command * const *commands,
       guint                  n_commands,
       int                    code)
{
  FILE *out = code == CB_EXIT_OK ? stdout : stderr;

  fprintf (out, "%s\n\n", _("Usage: costbridge-cli COMMAND [ARGUMENTS…] [--json] "
                            "[--database PATH]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < n_commands; i++)
    fprintf (out, "  %-16s %s\n", commands[i]->name, _(commands[i]->summary));
  fprintf (out, "\n%s\n", _("Run “costbridge-cli COMMAND --help” for a command’s options. "
                            "Passwords are never given as arguments."));
  return code;
}

int
main (int    argc,
      char **argv)
{
  static const Command cmd_profile = {
    "profile", "add|list|show|remove|rename",
    N_("Manages company profiles (add, list, show, remove, rename)"), run_profile, NULL,
  };
  const Command *commands[] = {
    &cmd_profile, &cmd_test, &cmd_entities, &cmd_entity, &cmd_probe, &cmd_defaults,
    &cmd_demo_profile,
    &cb_cli_cmd_import, &cb_cli_cmd_records, &cb_cli_cmd_pull,
    &cb_cli_cmd_match, &cb_cli_cmd_mappings,
    &cb_cli_cmd_plan, &cb_cli_cmd_sync, &cb_cli_cmd_runs,
  };
  int code;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("costbridge-cli");
  /* Standard output carries results (JSON with --json); every log line goes to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    return usage (commands, G_N_ELEMENTS (commands), CB_EXIT_USAGE);
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    return usage (commands, G_N_ELEMENTS (commands), CB_EXIT_OK);

  code = -1;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i]->name))
      {
        code = commands[i]->run (argc - 1, argv + 1);
        break;
      }
  if (code < 0)
    {
      g_printerr (_("Unknown command “%s”\n\n"), argv[1]);
      code = usage (commands, G_N_ELEMENTS (commands), CB_EXIT_USAGE);
    }
  g_free (opt_database);
  return code;
}
