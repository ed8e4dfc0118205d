/* test-cli-flow.c: the whole flow with no window, as a script or a timer runs it: the
 * built costbridge-cli against costbridge-sandbox in another process, with a database and
 * XDG folders in a scratch folder. demo-profile with the sample data, pull, match, accept,
 * create, plan, sync (blocked records make it exit 1; everything else is written once),
 * runs, the CSV report, a second sync that writes nothing, --help, a wrong profile and the
 * maintenance window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-flow"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cb-connection.h"
#include "cb-intacct-pager.h"
#include "cb-profile.h"
#include "cb-sandbox.h"

#define DEMO_PROFILE "Demo company"

typedef struct
{
  GSubprocess     *sandbox;
  char            *endpoint;
  char            *dir;
  char            *db_path;
  char            *cli;
  CbIntacctClient *client;   /* this process's own look into the sandbox */
} Fixture;

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static GSubprocessLauncher *
launcher_new (Fixture        *f,
              GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  const char *dirs[][2] = {
    { "XDG_DATA_HOME", "data" }, { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, dirs[i][1], NULL);

      g_mkdir_with_parents (path, 0700);
      g_subprocess_launcher_setenv (launcher, dirs[i][0], path, TRUE);
    }
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, "COSTBRIDGE_SANDBOX_FAULTS");
  return launcher;
}

static GPtrArray *
cli_argv (Fixture    *f,
          const char *first,
          va_list     ap)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *arg;

  g_ptr_array_add (argv, f->cli);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, (char *) "--database");
  g_ptr_array_add (argv, f->db_path);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs costbridge-cli with the arguments (NULL-terminated; --database is added) and waits. */
static void
cli (Fixture    *f,
     Run        *r,
     const char *first,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  va_list ap;

  va_start (ap, first);
  argv = cli_argv (f, first, ap);
  va_end (ap);
  launcher = launcher_new (f, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
  /* the demo passwords are public, but no password goes anywhere, even those */
  g_assert_null (strstr (r->out, CB_SANDBOX_USER_SECRET));
  g_assert_null (strstr (r->err, CB_SANDBOX_USER_SECRET));
  g_assert_null (strstr (r->err, CB_SANDBOX_SENDER_SECRET));
  g_test_message ("costbridge-cli %s %s → %d\n%s", (char *) argv->pdata[1],
                  argv->len > 3 ? (char *) argv->pdata[2] : "", r->status,
                  r->err);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  if (error != NULL)
    g_test_message ("not JSON: %s", text);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static gint64
member_int (JsonObject *o,
            const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i + 1] != NULL; i++)
    {
      g_assert_true (json_object_has_member (o, parts[i]));
      o = json_object_get_object_member (o, parts[i]);
    }
  g_assert_true (json_object_has_member (o, parts[g_strv_length (parts) - 1]));
  return json_object_get_int_member (o, parts[g_strv_length (parts) - 1]);
}

static const char *
member_str (JsonObject *o,
            const char *name)
{
  if (!json_object_has_member (o, name) || JSON_NODE_HOLDS_NULL (json_object_get_member (o, name)))
    return NULL;
  return json_object_get_string_member (o, name);
}

/* How many @object records match @query (NULL: all) in the sandbox, by readByQuery. */
static gint64
sandbox_count (Fixture    *f,
               const char *object,
               const char *query)
{
  g_autoptr(CbIntacctPager) pager = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  pager = cb_intacct_pager_new_read_by_query (f->client, object, "RECORDNO", query, 1);
  page = cb_intacct_pager_next (pager, NULL, &error);
  g_assert_no_error (error);
  return cb_intacct_pager_get_total (pager);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbProfile) profile = cb_profile_new ();
  g_autoptr(CbIntacctCredentials) cred = NULL;
  g_autofree char *sandbox_exe = NULL;
  const char *prefix = "Sandbox gateway listening on ";

  f->dir = g_dir_make_tmp ("test-cli-flow-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "flow.db", NULL);
  f->cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "costbridge-cli", NULL);
  g_assert_true (g_file_test (f->cli, G_FILE_TEST_IS_EXECUTABLE));
  sandbox_exe = g_test_build_filename (G_TEST_BUILT, "..", "src", "sandbox",
                                       "costbridge-sandbox", NULL);
  g_assert_true (g_file_test (sandbox_exe, G_FILE_TEST_IS_EXECUTABLE));

  /* the gateway in its own process, on a port the kernel picks */
  launcher = launcher_new (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  f->sandbox = g_subprocess_launcher_spawn (launcher, &error, sandbox_exe, "--port", "0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->sandbox));
  while (f->endpoint == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);   /* it printed its URL before anything else ended */
      if (g_str_has_prefix (line, prefix))
        f->endpoint = g_strstrip (g_strdup (line + strlen (prefix)));
    }
  g_test_message ("sandbox at %s", f->endpoint);

  profile->endpoint = g_strdup (f->endpoint);
  profile->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  profile->user_id = g_strdup (CB_SANDBOX_USER_ID);
  profile->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  cred = cb_connection_credentials (profile, CB_SANDBOX_USER_SECRET, CB_SANDBOX_SENDER_SECRET);
  f->client = cb_intacct_client_new (cred, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  g_subprocess_send_signal (f->sandbox, SIGTERM);
  g_subprocess_wait (f->sandbox, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (f->sandbox));
  g_assert_cmpint (g_subprocess_get_exit_status (f->sandbox), ==, 0);
  g_clear_object (&f->sandbox);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->cli);
  g_free (f->endpoint);
}

/* Every subcommand of the flow answers --help with its usage, and exit 0. */
static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  const char *commands[] = { "plan", "sync", "runs" };
  const char *options[] = { "--fields", "--respect-maintenance", "--export" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) r = { 0 };

      cli (f, &r, commands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "Usage:"));
      g_assert_nonnull (strstr (r.out, commands[i]));
      g_assert_nonnull (strstr (r.out, options[i]));
      g_assert_nonnull (strstr (r.out, "--json"));
    }
}

static void
assert_ok (Run *r)
{
  if (r->status != 0)
    g_error ("exit %d: %s%s", r->status, r->out, r->err);
}

/* Maps every kind: automatic matches, suggestions from @min_score, and "create in Intacct"
 * for the vendors and jobs still unmapped (cost codes and cost types are left, so that
 * something stays blocked). Returns how many were marked "create". */
static guint
map_everything (Fixture    *f,
                const char *min_score)
{
  const char *kinds[] = { "vendors", "projects", "cost-codes", "cost-types" };
  guint created = 0;

  {
    g_auto(Run) r = { 0 };

    cli (f, &r, "match", "all", "--profile", DEMO_PROFILE, "--json", NULL);
    assert_ok (&r);
  }
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_auto(Run) r = { 0 };
      g_autoptr(JsonNode) node = NULL;

      cli (f, &r, "mappings", "accept", kinds[k], "--min-score", min_score, "--profile",
           DEMO_PROFILE, "--json", NULL);
      assert_ok (&r);
      node = parse_json (r.out);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
    }
  for (guint k = 0; k < 2; k++)
    {
      g_auto(Run) r = { 0 };
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
      JsonArray *rows;

      cli (f, &r, "mappings", "list", kinds[k], "--filter", "unmapped", "--profile", DEMO_PROFILE,
           "--json", NULL);
      assert_ok (&r);
      node = parse_json (r.out);
      rows = json_object_get_array_member (json_node_get_object (node), "rows");
      g_assert_cmpuint (json_array_get_length (rows), ==,
                        member_int (json_node_get_object (node), "total"));
      if (json_array_get_length (rows) == 0)
        continue;
      {
        g_auto(Run) c = { 0 };
        g_autoptr(GSubprocessLauncher) launcher = NULL;
        g_autoptr(GSubprocess) proc = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) changed = NULL;

        g_ptr_array_add (args, g_strdup (f->cli));
        g_ptr_array_add (args, g_strdup ("mappings"));
        g_ptr_array_add (args, g_strdup ("create"));
        g_ptr_array_add (args, g_strdup (kinds[k]));
        for (guint i = 0; i < json_array_get_length (rows); i++)
          g_ptr_array_add (args, g_strdup (member_str (json_array_get_object_element (rows, i),
                                                       "job_id")));
        g_ptr_array_add (args, g_strdup ("--profile"));
        g_ptr_array_add (args, g_strdup (DEMO_PROFILE));
        g_ptr_array_add (args, g_strdup ("--json"));
        g_ptr_array_add (args, g_strdup ("--database"));
        g_ptr_array_add (args, g_strdup (f->db_path));
        g_ptr_array_add (args, NULL);
        launcher = launcher_new (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
        proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
        g_assert_no_error (error);
        g_subprocess_communicate_utf8 (proc, NULL, NULL, &c.out, &c.err, &error);
        g_assert_no_error (error);
        c.status = g_subprocess_get_exit_status (proc);
        assert_ok (&c);
        changed = parse_json (c.out);
        g_test_message ("%s: %u marked “create in Intacct”", kinds[k],
                        json_array_get_length (rows));
        g_assert_cmpint (member_int (json_node_get_object (changed), "changed"), ==,
                         json_array_get_length (rows));
        created += json_array_get_length (rows);
      }
    }
  return created;
}

static gint64
current_hour (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_get_hour (now);
}

static guint
count_runs (Fixture *f)
{
  g_auto(Run) r = { 0 };
  g_autoptr(JsonNode) runs = NULL;

  cli (f, &r, "runs", "--profile", DEMO_PROFILE, "--json", NULL);
  assert_ok (&r);
  runs = parse_json (r.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (runs));
  return json_array_get_length (json_node_get_array (runs));
}

/* Inside the maintenance window, a scheduled sync (--respect-maintenance) waits, says so
 * and writes nothing; @signum (SIGINT: Ctrl+C; SIGTERM: what systemd sends to stop the
 * timer's service) cancels it while it waits, at once rather than at its next check of the
 * window (every 30 s), and it exits 1 saying so, with no run started. */
static void
check_maintenance (Fixture *f,
                   int      signum,
                   gint64   bills_before,
                   gint64   vendors_before)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *window = g_strdup_printf ("every-day %" G_GINT64_FORMAT " 2", current_hour ());
  g_autofree char *out = NULL;
  g_autofree char *rest = NULL;
  guint runs_before = count_runs (f);
  gint64 started;
  double seconds;

  launcher = launcher_new (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  proc = g_subprocess_launcher_spawn (launcher, &error, f->cli, "sync", "--profile", DEMO_PROFILE,
                                      "--respect-maintenance", "--maintenance", window,
                                      "--database", f->db_path, NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  /* it says it waits, and does */
  while (strstr (err->str, "maintenance window") == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("sync ended instead of waiting: %s", err->str);
      g_string_append_printf (err, "%s\n", line);
    }
  g_test_message ("inside the window: %s", err->str);
  g_assert_nonnull (strstr (err->str, "waiting"));
  g_usleep (G_USEC_PER_SEC);
  g_assert_cmpint (sandbox_count (f, "APBILL", NULL), ==, bills_before);

  started = g_get_monotonic_time ();
  g_subprocess_send_signal (proc, signum);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &rest, &error);
  g_assert_no_error (error);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_string_append (err, rest);
  g_test_message ("after %s (%.1f s): exit %d: %s", g_strsignal (signum), seconds,
                  g_subprocess_get_exit_status (proc), err->str);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (err->str, "Stopping"));
  g_assert_nonnull (strstr (err->str, "cancelled"));
  /* the wait ends on the signal: the old 30 s sleep ended it up to 30 s later (generous
   * slack for a loaded machine and sanitizers) */
  g_assert_cmpfloat (seconds, <, 10.0);
  /* nothing was sent, and no run was recorded */
  g_assert_cmpint (sandbox_count (f, "APBILL", NULL), ==, bills_before);
  g_assert_cmpint (sandbox_count (f, "VENDOR", NULL), ==, vendors_before);
  g_assert_cmpuint (count_runs (f), ==, runs_before);
}

static void
test_flow (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(JsonNode) plan = NULL;
  g_autoptr(JsonNode) sync = NULL;
  g_autoptr(JsonNode) runs = NULL;
  g_autoptr(JsonNode) outcomes = NULL;
  g_autoptr(GHashTable) blocked_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *run_text = NULL;
  g_autofree char *csv_path = g_build_filename (f->dir, "report.csv", NULL);
  g_autofree char *csv = NULL;
  JsonObject *counts, *run;
  JsonArray *items;
  gint64 to_write, blocked, run_id, bills_before, vendors_before, done_bills = 0;
  guint created;

  /* a profile on the sandbox with the sample job-side data */
  {
    g_auto(Run) r = { 0 };

    cli (f, &r, "demo-profile", "--endpoint", f->endpoint, "--sample-data", NULL);
    assert_ok (&r);
  }
  /* a profile that does not exist is named, and the command fails with 1 */
  {
    g_auto(Run) r = { 0 };

    cli (f, &r, "plan", "--profile", "No Such Builders", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "No Such Builders"));
    g_assert_nonnull (strstr (r.err, "no profile"));
    g_assert_cmpstr (r.out, ==, "");
  }
  {
    g_auto(Run) r = { 0 };

    cli (f, &r, "sync", "--profile", "No Such Builders", "--json", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "No Such Builders"));   /* {"error": …} */
  }
  /* Intacct's records */
  {
    g_auto(Run) r = { 0 };

    cli (f, &r, "pull", "--profile", DEMO_PROFILE, "--json", NULL);
    assert_ok (&r);
  }
  created = map_everything (f, "90");
  g_assert_cmpuint (created, >, 0);

  /* the plan: what goes, what is blocked and why */
  {
    g_auto(Run) r = { 0 };

    cli (f, &r, "plan", "--profile", DEMO_PROFILE, "--fields", "--json", NULL);
    g_assert_cmpint (r.status, ==, 1);   /* something is blocked */
    plan = parse_json (r.out);
  }
  counts = json_object_get_object_member (json_node_get_object (plan), "counts");
  to_write = member_int (counts, "to_write");
  blocked = member_int (counts, "blocked");
  g_test_message ("plan: %" G_GINT64_FORMAT " to write, %" G_GINT64_FORMAT " blocked, "
                  "%" G_GINT64_FORMAT " bills to create", to_write, blocked,
                  member_int (counts, "kinds.bill.create"));
  g_assert_cmpint (to_write, >, 20);
  g_assert_cmpint (blocked, >, 0);
  g_assert_cmpint (member_int (counts, "kinds.bill.create"), >, 10);
  g_assert_cmpint (member_int (counts, "kinds.vendor.create") +
                   member_int (counts, "kinds.project.create"), ==, created);
  items = json_object_get_array_member (json_node_get_object (plan), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, to_write + blocked);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (json_object_get_boolean_member (item, "blocked"))
        {
          JsonObject *fix = json_object_get_object_member (item, "fix");

          /* a reason in words, and where to fix it */
          g_assert_nonnull (member_str (item, "reason"));
          g_assert_cmpuint (strlen (member_str (item, "reason")), >, 10);
          g_assert_nonnull (fix);
          g_assert_nonnull (member_str (fix, "kind"));
          g_assert_nonnull (member_str (fix, "target"));
          g_assert_cmpstr (member_str (item, "action"), ==, "none");
          g_hash_table_add (blocked_keys, g_strdup (member_str (item, "key")));
        }
      else if (g_strcmp0 (member_str (item, "kind"), "bill") == 0)
        {
          JsonArray *lines = json_object_get_array_member (item, "lines");

          g_assert_cmpuint (json_array_get_length (lines), >, 0);
          for (guint l = 0; l < json_array_get_length (lines); l++)
            {
              JsonObject *line = json_array_get_object_element (lines, l);

              /* the debit side: the cost type's expense account (5xxx), never AP */
              g_assert_nonnull (member_str (line, "ACCOUNTNO"));
              g_assert_true (member_str (line, "ACCOUNTNO")[0] == '5');
              g_assert_nonnull (member_str (line, "PROJECTID"));
              g_assert_nonnull (member_str (line, "TASKID"));
            }
        }
    }
  g_assert_cmpuint (g_hash_table_size (blocked_keys), ==, blocked);

  bills_before = sandbox_count (f, "APBILL", NULL);
  vendors_before = sandbox_count (f, "VENDOR", NULL);
  check_maintenance (f, SIGINT, bills_before, vendors_before);
  check_maintenance (f, SIGTERM, bills_before, vendors_before);

  /* the sync: everything not blocked is written; exit 1 because something is blocked */
  {
    g_auto(Run) r = { 0 };

    cli (f, &r, "sync", "--profile", DEMO_PROFILE, "--json", NULL);
    g_assert_cmpint (r.status, ==, 1);
    sync = parse_json (r.out);
  }
  run = json_node_get_object (sync);
  run_id = member_int (run, "id");
  g_assert_cmpint (run_id, >, 0);
  g_assert_cmpstr (member_str (run, "state"), ==, "succeeded");
  g_assert_cmpint (member_int (run, "counts.done"), ==, to_write);
  g_assert_cmpint (member_int (run, "counts.blocked"), ==, blocked);
  g_assert_cmpint (member_int (run, "counts.failed"), ==, 0);
  g_assert_cmpint (member_int (run, "counts.unsure"), ==, 0);
  items = json_object_get_array_member (run, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *kind = member_str (item, "kind");
      const char *key = member_str (item, "key");

      if (g_hash_table_contains (blocked_keys, key))
        {
          g_assert_cmpstr (member_str (item, "state"), ==, "blocked");
          if (g_strcmp0 (kind, "bill") == 0 && member_str (item, "intacct_id") != NULL)
            {
              g_autofree char *q = g_strdup_printf ("RECORDID = '%s'",
                                                    member_str (item, "intacct_id"));

              g_assert_cmpint (sandbox_count (f, "APBILL", q), ==, 0);
            }
          continue;
        }
      g_assert_cmpstr (member_str (item, "state"), ==, "done");
      g_assert_nonnull (member_str (item, "intacct_key"));
      if (g_strcmp0 (kind, "bill") == 0)
        {
          g_autofree char *q = g_strdup_printf ("RECORDID = '%s'", member_str (item, "intacct_id"));

          /* in Intacct, once */
          g_assert_cmpint (sandbox_count (f, "APBILL", q), ==, 1);
          done_bills++;
        }
      else if (g_strcmp0 (kind, "vendor") == 0)
        {
          g_autofree char *q = g_strdup_printf ("VENDORID = '%s'", member_str (item, "intacct_id"));

          g_assert_cmpint (sandbox_count (f, "VENDOR", q), ==, 1);
        }
    }
  g_assert_cmpint (done_bills, ==, member_int (counts, "kinds.bill.create"));
  g_assert_cmpint (sandbox_count (f, "APBILL", NULL), ==, bills_before + done_bills);
  g_assert_cmpint (sandbox_count (f, "VENDOR", NULL), ==,
                   vendors_before + member_int (counts, "kinds.vendor.create"));

  /* the history lists the run */
  {
    g_auto(Run) r = { 0 };
    gboolean found = FALSE;
    JsonArray *a;

    cli (f, &r, "runs", "--profile", DEMO_PROFILE, "--json", NULL);
    assert_ok (&r);
    runs = parse_json (r.out);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (runs));
    a = json_node_get_array (runs);
    for (guint i = 0; i < json_array_get_length (a); i++)
      if (member_int (json_array_get_object_element (a, i), "id") == run_id)
        {
          found = TRUE;
          g_assert_cmpint (member_int (json_array_get_object_element (a, i), "counts.done"),
                           ==, to_write);
        }
    g_assert_true (found);
  }
  /* its outcomes, with Intacct's keys, and the report for the accountant */
  run_text = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  {
    g_auto(Run) r = { 0 };
    guint keys = 0;

    cli (f, &r, "runs", run_text, "--export", csv_path, "--json", NULL);
    g_assert_cmpint (r.status, ==, 1);   /* the run left records blocked */
    outcomes = parse_json (r.out);
    g_assert_cmpint (member_int (json_node_get_object (outcomes), "id"), ==, run_id);
    items = json_object_get_array_member (json_node_get_object (outcomes), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, to_write + blocked);
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *item = json_array_get_object_element (items, i);

        if (g_strcmp0 (member_str (item, "state"), "done") == 0)
          {
            g_assert_nonnull (member_str (item, "intacct_key"));
            keys++;
          }
        else
          g_assert_nonnull (member_str (item, "error"));
      }
    g_assert_cmpint (keys, ==, to_write);
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  {
    g_auto(GStrv) rows = g_strsplit (csv, "\r\n", -1);
    guint n_rows = 0;

    g_assert_true (g_str_has_prefix (rows[0], "run,seq,kind,action,record,"));
    for (guint i = 1; rows[i] != NULL; i++)
      if (*rows[i] != '\0')
        {
          g_assert_true (g_str_has_prefix (rows[i], run_text));
          n_rows++;
        }
    /* a row per record (a quoted reason could hold a line break: at least that many) */
    g_assert_cmpuint (n_rows, >=, to_write + blocked);
    g_assert_nonnull (strstr (csv, ",done,"));
    g_assert_nonnull (strstr (csv, ",blocked,"));
  }

  /* the same again: nothing is written twice */
  {
    g_auto(Run) r = { 0 };
    g_autoptr(JsonNode) again = NULL;

    cli (f, &r, "plan", "--profile", DEMO_PROFILE, "--json", NULL);
    again = parse_json (r.out);
    g_assert_cmpint (member_int (json_node_get_object (again), "counts.to_write"), ==, 0);
    g_assert_cmpint (member_int (json_node_get_object (again), "counts.blocked"), ==, blocked);
  }
  {
    g_auto(Run) r = { 0 };

    cli (f, &r, "sync", "--profile", DEMO_PROFILE, "--json", NULL);
    g_assert_cmpint (r.status, ==, 1);   /* still blocked */
    g_assert_nonnull (strstr (r.err, "blocked"));
  }
  g_assert_cmpint (sandbox_count (f, "APBILL", NULL), ==, bills_before + done_bills);
  g_assert_cmpint (sandbox_count (f, "VENDOR", NULL), ==,
                   vendors_before + member_int (counts, "kinds.vendor.create"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli-flow/help", Fixture, NULL, fixture_set_up, test_help, fixture_tear_down);
  g_test_add ("/cli-flow/flow", Fixture, NULL, fixture_set_up, test_flow, fixture_tear_down);
  return g_test_run ();
}
