/* cb-cli.h: what every costbridge-cli command shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command is a Command in its own file (cb-cli-<name>.c), listed in main()'s table
 * in costbridge-cli.c. Results go to standard output (JSON with --json); messages and
 * logs to standard error. Exit codes are CbExitCode (cb-connection.h).
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cb-connection.h"
#include "cb-database.h"
#include "cb-profile.h"

G_BEGIN_DECLS

typedef struct
{
  const char         *name;
  const char         *parameters;  /* "FILE…", shown after the name in --help */
  const char         *summary;     /* N_() */
  int               (*run) (int argc, char **argv);
  const GOptionEntry *entries;     /* the command's own options, or NULL */
} Command;

/* The options every command accepts (--json, --database PATH, --password-stdin). */
extern gboolean opt_json;
extern char    *opt_database;
extern gboolean opt_password_stdin;

/* Parses @argv (argv[0] is the command name) with the command's and the common options;
 * FALSE with *exit_code set on error or on a wrong number of arguments. */
gboolean         parse_options     (const Command *cmd,
                                    int           *argc,
                                    char        ***argv,
                                    int            n_args_min,
                                    int            n_args_max,
                                    int           *exit_code);
/* Prints @node, pretty, on standard output. */
void             print_json        (JsonNode      *node);
void             add_string_member (JsonBuilder   *b,
                                    const char    *name,
                                    const char    *value);   /* NULL → null */
void             add_time_member   (JsonBuilder   *b,
                                    const char    *name,
                                    GDateTime     *value);   /* ISO 8601, NULL → null */
/* Prints a failure of ours (as {"error": {…}} with --json too) and returns @code. */
int              fail              (CbExitCode     code,
                                    const char    *message);
/* Prints a diagnosis of @error (what to fix) and returns its exit code. */
int              report_error      (const GError  *error);
/* The database (--database or the default file), or NULL with *exit_code set. */
CbDatabase      *open_database     (int           *exit_code);
/* The profile by name or id, or NULL with *exit_code set. */
CbProfile       *load_profile      (CbDatabase    *db,
                                    const char    *name,
                                    int           *exit_code);
/* The profile named @name (by name or id), or when @name is NULL the only profile there
 * is; NULL with *exit_code set (a usage error when there are several). */
CbProfile       *pick_profile      (CbDatabase    *db,
                                    const char    *name,
                                    int           *exit_code);
/* A connected client for the profile (secrets from the keyring, --password-stdin, or the
 * demo constants), or NULL with *exit_code set. */
CbIntacctClient *connect_profile   (const CbProfile *p,
                                    int             *exit_code);
/* Records the time of a successful connection on the profile. */
void             stamp_connected   (CbDatabase    *db,
                                    CbProfile     *p);

/* Commands in their own files. */
extern const Command cb_cli_cmd_import;    /* cb-cli-import.c: import FILE… */
extern const Command cb_cli_cmd_records;   /* cb-cli-import.c: records KIND (list job-side records) */
extern const Command cb_cli_cmd_pull;      /* cb-cli-pull.c: pull [--objects …] */
extern const Command cb_cli_cmd_match;     /* cb-cli-match.c: match KIND [--accept-above N] */
extern const Command cb_cli_cmd_mappings;  /* cb-cli-match.c: mappings list|export|import|set|clear|undo|redo */
extern const Command cb_cli_cmd_plan;      /* cb-cli-sync.c: plan */
extern const Command cb_cli_cmd_sync;      /* cb-cli-sync.c: sync [--resume RUN] */
extern const Command cb_cli_cmd_runs;      /* cb-cli-sync.c: runs [RUN] (history, outcomes) */

G_END_DECLS
